"""telcare's whole-base rules on Dask (extra ``telcare[dask]``).

The public home of :mod:`telcare.engines.dask`, which holds the code; import this one.
"""

from telcare.engines.dask import *  # noqa: F403
from telcare.engines.dask import __all__ as __all__
