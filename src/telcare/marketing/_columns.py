"""The customer columns every offer gate reads, prepared once for all offers: one
row per customer in a whole-base match, one row in a one-customer decision.

A gate reads a column by name (``columns["avg_spend"]``): the built-in ones are
``tier`` (an index into ``policy.tiers.codes``), ``segment_member``,
``avg_spend``, ``plan_fee``, ``tenure_months``, ``credit_level``, ``callable``
(not on the do-not-call list), ``holds`` (bit sets, ``[word, customer]``) and
``profile`` (the channel preference and refusals as one small int); a gate of
one's own may read more, given as ``columns=`` to the matchers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.errors import InvalidInput
from telcare.marketing._prospect import CHANNELS
from telcare.policy import Channel

__all__ = ["PROFILES", "Columns", "channel_table", "prepare"]

Bools = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]


@attrs.frozen(slots=True, eq=False)
class Columns:
    """Customer columns prepared once for every offer, one row per customer."""

    tier: I64
    segment_member: Bools
    avg_spend: I64
    plan_fee: I64
    tenure_months: I64
    credit_level: I64
    holds: npt.NDArray[np.uint64]
    profile: npt.NDArray[np.intp]
    callable: Bools
    response: npt.NDArray[np.float64] | None  # [customer, offer]; None: 1 everywhere
    extra: Mapping[str, npt.NDArray[Any]] = attrs.field(factory=dict)

    def __len__(self) -> int:
        return len(self.tier)

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        """A column by name: an extra one given by the caller, else a built-in one."""
        if name in self.extra:
            return self.extra[name]
        if name in BUILTIN_COLUMNS:
            found: npt.NDArray[Any] = getattr(self, name)
            return found
        raise InvalidInput(
            f"no customer column {name!r}; the gates can read {[*BUILTIN_COLUMNS, *self.extra]}"
        )

    def rows(self, part: slice) -> Columns:
        """The same columns for a block of rows (views, no copies)."""
        return Columns(
            self.tier[part], self.segment_member[part], self.avg_spend[part], self.plan_fee[part],
            self.tenure_months[part], self.credit_level[part], self.holds[:, part],
            self.profile[part], self.callable[part],
            None if self.response is None else self.response[part],
            {k: v[part] for k, v in self.extra.items()},
        )  # fmt: skip


BUILTIN_COLUMNS = (
    "tier", "segment_member", "avg_spend", "plan_fee", "tenure_months", "credit_level",
    "holds", "profile", "callable",
)  # fmt: skip


def prepare(
    words: int,
    *,
    tier: I64,
    segment_member: Bools,
    avg_spend: I64,
    plan_fee: I64,
    tenure_months: I64,
    credit_level: I64,
    holds: Bools,
    preferred: I64,
    refused: Bools,
    do_not_call: Bools,
    response: npt.NDArray[np.float64] | None,
    extra: Mapping[str, npt.NDArray[Any]],
) -> Columns:
    """The one preparation of customer columns both forms of the match use."""
    n = len(tier)
    # Holdings as bit sets, 64 to a word: np.packbits, then the bytes read as words.
    packed = np.packbits(holds, axis=1, bitorder="little")
    padded = np.zeros((n, 8 * words), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    bits = np.ascontiguousarray(padded.view("<u8").T)
    refused_bits = np.packbits(refused, axis=1, bitorder="little")[:, 0]
    # numpy gathers fastest with intp indexes, so the profile is stored as one
    profile = ((preferred + 1) << len(CHANNELS)) | refused_bits.astype(np.intp)
    return Columns(
        tier=tier, segment_member=segment_member, avg_spend=avg_spend, plan_fee=plan_fee,
        tenure_months=tenure_months, credit_level=credit_level, holds=bits, profile=profile,
        callable=~do_not_call, response=response, extra=dict(extra),
    )  # fmt: skip


#: Channel profiles: preferred channel (or none) x subsets of refused channels.
PROFILES = (len(CHANNELS) + 1) << len(CHANNELS)


@functools.lru_cache(maxsize=256)
def channel_table(channels: tuple[Channel, ...]) -> npt.NDArray[np.int8]:
    """The channel an offer uses for every customer profile, -1 when none is left.

    A profile is ``(preferred + 1) << 5 | refused bits``: the customer's preferred
    channel when the offer uses it and the customer did not refuse it, else the
    offer's first channel the customer did not refuse.  Kept per channel list
    (read-only): building it took 85% of a one-customer ``best_offers`` call.

    >>> int(channel_table((Channel.SMS, Channel.PHONE))[0])  # no preference, nothing refused
    1
    """
    table = np.full(PROFILES, -1, dtype=np.int8)
    for profile in range(PROFILES):
        preferred, refused = (profile >> len(CHANNELS)) - 1, profile & ((1 << len(CHANNELS)) - 1)
        usable = [CHANNELS.index(ch) for ch in channels if not refused >> CHANNELS.index(ch) & 1]
        if preferred in usable:
            table[profile] = preferred
        elif usable:
            table[profile] = usable[0]
    table.flags.writeable = False
    return table
