"""The command line, ``python -m telcare``: ``demo``, ``report``, ``policy``, ``run`` and ``export``."""

from __future__ import annotations

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.cli._main import (
    main as main,
)
