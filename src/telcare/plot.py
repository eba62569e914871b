"""Pictures of telcare's results (extra ``telcare[plot]``).

The public home of :mod:`telcare.kit.plot`, which holds the code; import this one.
"""

from telcare.kit.plot import *  # noqa: F403
from telcare.kit.plot import __all__ as __all__
