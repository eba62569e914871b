"""A catalogue compiled for one match: each gate's parameter per offer (the gate
table's ``bound``), the channel per customer profile, and the values, costs and
project types as arrays indexed by offer.

>>> from datetime import date
>>> import telcare as tc
>>> catalogue = tc.OfferCatalogue.model_validate({"offers": [
...     {"code": "data_pack", "name": "Data pack", "project_type": "promotion",
...      "channels": ["sms"], "value": 2_000, "cost": 500, "min_plan_fee": 5_800,
...      "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})
>>> from telcare.marketing._rows import OFFER_GATES
>>> t = compile_offers(catalogue, tc.default_policy(), date(2010, 11, 22), OFFER_GATES)
>>> t.param("plan_fee"), t.param("tier")
(((5800, 9223372036854775807),), (None,))
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance
from telcare.contact import project_type_cap
from telcare.marketing._columns import PROFILES, channel_table
from telcare.marketing._gates import GateContext, OfferGates
from telcare.marketing._rows import OFFER_GATES
from telcare.policy import PROJECT_TYPES, OfferCatalogue, Policy

__all__ = ["OfferTables", "compile_offers"]

I64 = npt.NDArray[np.int64]


@attrs.frozen(slots=True, eq=False)
class OfferTables:
    """The catalogue's gates and figures for one policy and day, indexed by offer."""

    codes: tuple[str, ...]
    holdings: tuple[str, ...]
    words: int  # 64-bit words of the holdings bit sets
    gates: OfferGates
    params: tuple[tuple[Any, ...], ...]  # [gate][offer]; None: the offer has no such gate
    channel: npt.NDArray[np.int8]  # [offer, profile]
    value: I64
    cost: I64
    project: I64  # index into PROJECT_TYPES
    project_cap: I64

    def param(self, gate: str) -> tuple[Any, ...]:
        """One gate's parameter for every offer."""
        return self.params[[g.name for g in self.gates].index(gate)]


def compile_offers(
    catalogue: OfferCatalogue, policy: Policy, day: date, gates: OfferGates = OFFER_GATES
) -> OfferTables:
    """Compile ``catalogue`` for a match on ``day`` under ``policy`` and ``gates``."""
    catalogue = instance(
        catalogue, OfferCatalogue, "catalogue must be a telcare.OfferCatalogue, got {got}"
    )
    gates = instance(gates, OfferGates, "gates must be a telcare.OfferGates table, got {got}")
    offers = catalogue.offers
    context = GateContext(policy, day, catalogue)
    return OfferTables(
        codes=catalogue.codes,
        holdings=catalogue.holdings,
        words=max(1, -(-len(catalogue.holdings) // 64)),
        gates=gates,
        params=tuple(tuple(g.bound(o, context) for o in offers) for g in gates),
        channel=np.array([channel_table(o.channels) for o in offers], dtype=np.int8).reshape(
            len(offers), PROFILES
        ),
        value=np.array([o.value for o in offers], dtype=np.int64),
        cost=np.array([o.cost for o in offers], dtype=np.int64),
        project=np.array([PROJECT_TYPES.index(o.project_type) for o in offers], dtype=np.int64),
        project_cap=np.array(
            [project_type_cap(policy, o.project_type) for o in offers], dtype=np.int64
        ),
    )
