"""Hypothesis strategies for telcare's values (extra ``telcare[strategies]``).

The public home of :mod:`telcare.kit.strategies`, which holds the code; import this one.
"""

from telcare.kit.strategies import *  # noqa: F403
from telcare.kit.strategies import __all__ as __all__
