"""Benchmarks: telcare against hand-written numpy baselines, in one process.

Run ``python -m benchmarks`` from the repository root (``--help`` for options).
"""
