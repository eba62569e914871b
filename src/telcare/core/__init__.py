"""Foundations every layer uses: errors, money, dates, bounds, input checks.

Nothing here knows about tiers, points or moments.
"""
