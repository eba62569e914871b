"""The whole-base rules over partitions: in-process chunks, Dask and Spark.

The public entry points are :mod:`telcare.on_dask` and :mod:`telcare.on_spark`.
"""
