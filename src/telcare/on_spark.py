"""telcare's whole-base rules on Spark (extra ``telcare[spark]``).

The public home of :mod:`telcare.engines.spark`, which holds the code; import this one.
"""

from telcare.engines.spark import *  # noqa: F403
from telcare.engines.spark import __all__ as __all__
