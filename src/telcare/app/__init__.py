"""An application of the library: a generated operator and the demo job behind
``python -m telcare demo``.
"""
