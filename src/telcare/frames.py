"""telcare's whole-base rules on pandas, Polars and PyArrow tables (extra ``telcare[frames]``).

The public home of :mod:`telcare.engines.frames`, which holds the code; import this one.
"""

from telcare.engines.frames import *  # noqa: F403
from telcare.engines.frames import __all__ as __all__
