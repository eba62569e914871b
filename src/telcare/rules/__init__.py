"""The domain rules: each rule's arithmetic once (:mod:`~telcare.rules.kernels`),
its one-customer form with reasons, and its whole-base form over columns.
"""
