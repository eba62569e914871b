"""For users of telcare's values: Hypothesis strategies, plots, notebook display.

The public entry points are :mod:`telcare.strategies` and :mod:`telcare.plot`.
"""
