"""What type checkers and IDEs see of :mod:`telcare`: the union of the domain
packages' faces (at run time each loads on first use, see ``__init__.py``)."""

from telcare import (
    benefits as benefits,
    cli as cli,
    compiled as compiled,
    contact as contact,
    customers as customers,
    engines as engines,
    frames as frames,
    marketing as marketing,
    metrics as metrics,
    moments as moments,
    on_dask as on_dask,
    on_spark as on_spark,
    operations as operations,
    plot as plot,
    points as points,
    policy as policy,
    strategies as strategies,
    synthetic as synthetic,
    tiers as tiers,
    whatif as whatif,
)
from telcare._core import *
from telcare.benefits import *
from telcare.compiled import *
from telcare.contact import *
from telcare.customers import *
from telcare.engines import *
from telcare.marketing import *
from telcare.metrics import *
from telcare.moments import *
from telcare.operations import *
from telcare.points import *
from telcare.policy import *
from telcare.tiers import *
from telcare.whatif import *

__version__: str
FACES: dict[str, tuple[str, ...]]
SUBMODULES: tuple[str, ...]
__all__: list[str]
