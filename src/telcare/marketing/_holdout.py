"""Holdouts: customers kept out of a programme or a campaign so its effect can be
measured against them, and the check that a split came out as intended.

:func:`holdout` assigns each customer by a hash of the salt and the customer's id
alone: the first 8 bytes of ``sha256(f"{salt}:{id}")`` as a big-endian integer,
held out when below ``share x 2**64``.  So the assignment is stable across runs,
machines and partitions, does not depend on row order or on the other ids, and
can be reproduced outside Python (``sha2(concat(salt, ':', id), 256)`` in SQL).
An integer id is hashed as its decimal text (``7`` and ``"7"`` agree).

>>> holdout(["13800000001", "13800000002", "13800000003"], share=0.5, salt="autumn").tolist()
[True, False, True]
>>> r = sample_ratio_check(9_000, 1_000, share=0.1)
>>> round(r.p_value, 3), r.mismatch
(1.0, False)
"""

from __future__ import annotations

import hashlib
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import integer, proportion, text
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import label_column
from telcare._core.limits import MAX_COUNT

__all__ = ["SampleRatio", "campaign_salt", "holdout", "sample_ratio_check"]

Bools = npt.NDArray[np.bool_]


def campaign_salt(code: str) -> str:
    """The salt of a campaign's own holdout: ``campaign:<code>``."""
    return f"campaign:{code}"


def _threshold(share: Any) -> int:
    """``floor(share x 2**64)``, exact for a ``Decimal`` or a float's shortest text."""
    exact = Fraction(share) if isinstance(share, Decimal | int) else Fraction(str(float(share)))
    return int(exact * 2**64)


def holdout(ids: Any, *, share: Any, salt: str) -> Bools:
    """True for the customers held out: about ``share`` of ``ids`` (in ``[0, 1)``),
    chosen by a hash of ``salt`` and each id (see the module).

    The same salt gives the same customers every time; a programme keeps one salt
    for its control group (``OfferCatalogue.control_group``), each campaign has its
    own (``campaign:<code>``), so the groups are drawn independently.

    >>> import telcare as tc
    >>> ids = [f"1380000{i:04d}" for i in range(10_000)]
    >>> held = tc.holdout(ids, share=0.1, salt="programme-2010")
    >>> int(held.sum()), bool(tc.holdout(ids[:3], share=0.1, salt="programme-2010")[0] == held[0])
    (987, True)
    """
    proportion(share, "share", open_high=True)
    salt = text(salt, "salt")
    texts = list(map(str, label_column(ids, "ids")))  # a plain column at C speed
    prefix = salt.encode() + b":"
    sha = hashlib.sha256
    digests = b"".join([sha(prefix + t.encode()).digest()[:8] for t in texts])
    buckets = np.frombuffer(digests, dtype=">u8")
    held: Bools = buckets < np.uint64(_threshold(share))
    return held


@attrs.frozen(slots=True)
class SampleRatio(Displayable):
    """A sample-ratio check: the counts, the control share expected, Pearson's
    chi-square with one degree of freedom, its p-value, and whether the split looks
    broken (``p_value < threshold``)."""

    treated: int
    control: int
    share: float
    expected_control: float
    chi_square: float
    p_value: float
    threshold: float
    mismatch: bool


def sample_ratio_check(
    n_treated: int, n_control: int, *, share: float, threshold: float = 0.001
) -> SampleRatio:
    """Whether ``n_control`` of ``n_treated + n_control`` customers fits a control
    ``share``: the chi-square test of the two counts against ``share``, one degree of
    freedom, ``p = erfc(sqrt(x / 2))``.

    A p-value under ``threshold`` flags a split gone wrong (ids dropped by a join,
    a filter run on one group only, a salt changed halfway).  The default 0.001
    is strict because the check runs on every campaign and every day: at 0.05 one
    healthy split in twenty would raise an alarm, while a real fault in a base of
    thousands gives p-values far below 0.001.

    >>> import telcare as tc
    >>> r = tc.sample_ratio_check(9_200, 800, share=0.1)
    >>> round(r.chi_square, 2), f"{r.p_value:.1e}", r.mismatch
    (44.44, '2.6e-11', True)
    """
    treated = integer(n_treated, "n_treated", maximum=MAX_COUNT)
    control = integer(n_control, "n_control", maximum=MAX_COUNT)
    expected = proportion(share, "share", open_low=True, open_high=True)
    alpha = proportion(threshold, "threshold", open_low=True, open_high=True)
    total = treated + control
    if total == 0:
        raise InvalidInput("sample_ratio_check needs customers: n_treated + n_control is 0")
    e_control, e_treated = total * expected, total * (1 - expected)
    chi2 = (control - e_control) ** 2 / e_control + (treated - e_treated) ** 2 / e_treated
    p = math.erfc(math.sqrt(chi2 / 2))
    return SampleRatio(treated, control, expected, e_control, chi2, p, alpha, p < alpha)
