"""A synthetic operator: a seeded, generated customer base for notebooks, demos and benchmarks.

Pure and reproducible: the same ``n`` and ``seed`` give the same base, and
nothing here reads files, the network or the clock.  The figures are
plausible, not real: spend is log-normal around 150 yuan a month with a long
tail, about a fifth of the base reaches a VIP tier, plans follow the price list of
the era.

:func:`generate_base` gives numpy columns (a :class:`SyntheticBase`);
:meth:`SyntheticBase.to_frame` (or ``telcare.to_frame(base)``) the same base as a
pandas, Polars or PyArrow table, ids first; :func:`customer_base` the columns the
whole-base rules read.

>>> base = generate_base(1_000, seed=7)
>>> len(base), base.monthly_spend.shape
(1000, (1000, 24))
>>> bool((generate_base(1_000, seed=7).plan_fee == base.plan_fee).all())
True
"""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance, integer, one_of, plain_date
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DATE, MIN_DATE
from telcare.customers import mean_spend
from telcare.whatif import CustomerBase

__all__ = [
    "EARLIEST_AS_OF",
    "LATEST_AS_OF",
    "PLAN_FEES",
    "SyntheticBase",
    "customer_base",
    "generate_base",
]

#: Monthly plan fees on offer, in fen (38 to 588 yuan).
PLAN_FEES = np.array([3_800, 5_800, 8_800, 9_600, 12_600, 18_600, 28_800, 58_800], dtype=np.int64)
_PLAN_WEIGHTS = np.array([0.22, 0.24, 0.16, 0.12, 0.11, 0.08, 0.05, 0.02])

I64 = npt.NDArray[np.int64]

#: The longest tenure a generated customer has, in days (16 years).
_MAX_TENURE = 16 * 365
#: The days after ``as_of`` a generated contract may end (up to two years).
_ENDS_WITHIN = 730
#: A generated customer's age at ``as_of``, in days: at least 18 years (18 leap years'
#: worth of days) and up to 50 years more (ages 18 to 68), drawn for each customer.
_YOUNGEST = 18 * 366
_AGE_SPAN = 365 * 50
#: The days a base may be generated for: its oldest activation, its oldest birthday and
#: its last contract end stay within the library's calendar (``MIN_DATE`` to ``MAX_DATE``).
EARLIEST_AS_OF = MIN_DATE + timedelta(days=max(_MAX_TENURE, _YOUNGEST + _AGE_SPAN - 1))
LATEST_AS_OF = MAX_DATE - timedelta(days=_ENDS_WITHIN - 1)


@attrs.frozen(slots=True, eq=False)
class SyntheticBase:
    """Columns of a generated base, aligned by row; money in fen.

    ``monthly_spend`` holds the last 24 billed months, oldest first, with 0
    before a customer's first bill (``months_billed`` says how many are real).
    ``as_of`` is the day after the last billed month.
    """

    as_of: date
    ids: npt.NDArray[np.str_]
    activated_on: npt.NDArray[np.datetime64]
    plan_fee: I64
    monthly_spend: I64
    months_billed: I64
    data_share: npt.NDArray[np.float64]
    on_time: npt.NDArray[np.float64]
    verification: I64
    status: I64
    credit_level: I64
    birthday: npt.NDArray[np.datetime64]
    arrears: I64
    forwarded_share: npt.NDArray[np.float64]
    contract_ends_on: npt.NDArray[np.datetime64]

    def __len__(self) -> int:
        return len(self.ids)

    def __str__(self) -> str:
        tiers = customer_base(self)
        return "\n".join([
            f"SyntheticBase: {len(self):,} customers as of {self.as_of}",
            f"  ids               {', '.join(self.ids[:3].tolist())}{', ...' if len(self) > 3 else ''}",
            f"  average spend     ¥{int(tiers.avg_spend.mean()) / 100:,.2f} a month (last 12 billed months)",
            f"  plan fees         ¥{PLAN_FEES[0] / 100:.0f} to ¥{PLAN_FEES[-1] / 100:.0f}",
            f"  months billed     {int(self.months_billed.min())} to {int(self.months_billed.max())}",
            f"  contracts ending  {int((~np.isnat(self.contract_ends_on)).sum()):,}",
        ])  # fmt: skip

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """The base as flat columns, one row per customer: ``ids`` first, each field, the
        tier inputs (``avg_spend`` and ``months``, as :func:`customer_base` gives them)
        and one ``spend_YYYY_MM`` column per billed month, oldest first (0 before the
        first bill)."""
        avg, counted = _tier_inputs(self)
        flat = {f.name: getattr(self, f.name) for f in attrs.fields(SyntheticBase)}
        del flat["as_of"], flat["monthly_spend"]
        months = {f"spend_{m:%Y_%m}": self.monthly_spend[:, j]
                  for j, m in enumerate(month_starts(self.as_of, self.monthly_spend.shape[1]))}  # fmt: skip
        return {**flat, "avg_spend": avg, "months": counted, **months}

    def to_frame(self, backend: str = "pandas") -> Any:
        """The base as a table of ``backend``: ``"pandas"`` (needs pandas), ``"polars"`` or
        ``"pyarrow"`` (need that library and narwhals, the ``frames`` extra), with the
        :meth:`columns`.  The whole-base rules of :mod:`telcare.frames` read it as it is.

        >>> frame = generate_base(3, seed=1).to_frame()
        >>> list(frame.columns[:3]), frame.shape
        (['ids', 'activated_on', 'plan_fee'], (3, 39))
        >>> import telcare as tc, telcare.frames as tf
        >>> base = generate_base(1_000, seed=7)
        >>> framed = tf.evaluate_tiers(base.to_frame("polars"))["tier"].cast(str).to_list()
        >>> cb = customer_base(base)
        >>> framed == tc.evaluate_tiers(cb.avg_spend, cb.months).tier_codes().tolist()
        True
        """
        backend = one_of(backend, "backend", options=("pandas", "polars", "pyarrow"))
        if backend == "pandas":
            return _module("pandas").DataFrame(self.columns())
        nw = _module("narwhals")
        return nw.from_dict(self.columns(), backend=_module(backend)).to_native()


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - exercised only without the library
        extra = "pip install 'telcare[frames]'" if name == "narwhals" else f"pip install {name}"
        raise ImportError(f"SyntheticBase.to_frame() needs {name}: {extra}") from None


def generate_base(
    n: int = 100_000, *, seed: int = 2010, as_of: date = date(2010, 12, 1)
) -> SyntheticBase:
    """A reproducible base of ``n`` customers whose last billed month ends before ``as_of``,
    a day from :data:`EARLIEST_AS_OF` to :data:`LATEST_AS_OF` (:func:`_as_of` says why);
    each customer is 18 to 68 years old at ``as_of`` (a fifth have no birthday on file).

    >>> generate_base(10, as_of=date(1900, 1, 2))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: as_of must be on or after 1968-01-02 (a base's customers were activated up to 16 years and born up to 68 years before it, and telcare's calendar starts on 1900-01-01), got datetime.date(1900, 1, 2)
    """
    n = integer(n, "n", minimum=1, maximum=50_000_000)
    seed = integer(seed, "seed")
    as_of = _as_of(as_of)
    rng = np.random.default_rng(seed)
    today = np.datetime64(as_of, "D")
    tenure_days = np.minimum(rng.exponential(4 * 365, n).astype(np.int64) + 1, _MAX_TENURE)
    activated = today - tenure_days.astype("timedelta64[D]")
    months_billed = np.minimum(tenure_days // 30, 24)
    plan = rng.choice(PLAN_FEES, n, p=_PLAN_WEIGHTS)
    # Spend: the plan fee plus a log-normal extra per customer, a slow personal trend,
    # and month-to-month noise; a few customers fall away sharply in the last month.
    level = plan * 0.8 + rng.lognormal(np.log(4_500), 0.85, n)
    trend = rng.normal(0, 0.01, n)
    months = np.arange(24)
    noise = rng.lognormal(0, 0.15, (n, 24))
    spend = level[:, None] * (1 + trend[:, None] * (months - 12)) * noise
    falling = rng.random(n) < 0.03
    spend[falling, -1] *= rng.uniform(0.1, 0.45, int(falling.sum()))
    billed: I64 = np.maximum(spend, 0).astype(np.int64)
    billed[months[None, :] < (24 - months_billed)[:, None]] = 0
    ids = np.char.add("138", np.char.zfill(rng.permutation(n).astype(str), 8))
    birthday = _birthdays(rng, today, n)
    credit = rng.choice(np.arange(1, 6), n, p=[0.35, 0.3, 0.2, 0.1, 0.05])
    allowance = np.array([0, 5_000, 15_000, 30_000, 60_000, 100_000])[credit]
    arrears = (allowance * rng.beta(0.6, 2.0, n) * 1.15).astype(np.int64)
    ends = today + rng.integers(-20, _ENDS_WITHIN, n).astype("timedelta64[D]")
    ends[rng.random(n) < 0.6] = np.datetime64("NaT", "D")
    return SyntheticBase(
        as_of=as_of,
        ids=ids,
        activated_on=activated,
        plan_fee=plan,
        monthly_spend=billed,
        months_billed=months_billed,
        data_share=rng.beta(2, 5, n),
        on_time=rng.beta(12, 1, n),
        verification=rng.choice(np.arange(3), n, p=[0.05, 0.92, 0.03]),
        status=rng.choice(np.arange(3), n, p=[0.95, 0.04, 0.01]),
        credit_level=credit,
        birthday=birthday,
        arrears=arrears,
        forwarded_share=np.where(
            rng.random(n) < 0.02, rng.uniform(0.3, 0.8, n), rng.uniform(0, 0.1, n)
        ),
        contract_ends_on=ends,
    )


def _birthdays(
    rng: np.random.Generator, today: np.datetime64, n: int
) -> npt.NDArray[np.datetime64]:
    """Each customer's birthday, 18 to 68 years before ``today`` whatever its year, or
    none on file (a fifth).  The draws are the ones the birthdays of 1950-1999 took, so
    every other column of a base is as it was before ages were drawn."""
    age = _YOUNGEST + rng.integers(0, _AGE_SPAN, n)
    birthday = today - age.astype("timedelta64[D]")
    birthday[rng.random(n) < 0.2] = np.datetime64("NaT", "D")
    return birthday


def _as_of(value: object) -> date:
    """``value`` as the day a base is generated for, or ``InvalidInput`` naming it: its
    customers were activated up to 16 years and born up to 68 years before it and their
    contracts end up to two years after it, every one of those days in the library's
    calendar."""
    as_of = plain_date(value, "as_of")
    if as_of < EARLIEST_AS_OF:
        raise InvalidInput(
            f"as_of must be on or after {EARLIEST_AS_OF} (a base's customers were activated "
            f"up to 16 years and born up to 68 years before it, and telcare's calendar starts "
            f"on {MIN_DATE}), got {as_of!r}"
        )
    if as_of > LATEST_AS_OF:
        raise InvalidInput(
            f"as_of must be on or before {LATEST_AS_OF} (a base's contracts end up to two "
            f"years after it, and telcare's calendar ends on {MAX_DATE}), got {as_of!r}"
        )
    return as_of


def month_starts(as_of: date, months: int) -> list[date]:
    """The first day of each of the ``months`` months before ``as_of``'s month, oldest first."""
    out = []
    day = as_of.replace(day=1)
    for _ in range(months):
        day = (day - timedelta(days=1)).replace(day=1)
        out.append(day)
    return out[::-1]


def _tier_inputs(base: SyntheticBase) -> tuple[I64, I64]:
    """The average spend over the last 12 billed months and how many there are."""
    counted = np.minimum(base.months_billed, 12)
    return mean_spend(base.monthly_spend[:, 12:].sum(axis=1), counted), counted


def customer_base(base: SyntheticBase) -> CustomerBase:
    """The generated base as the columns the whole-base rules read, for the last 12 months.

    Tiers are evaluated on the last 12 billed months, points on them as bills
    (data spend and on-time payment from the customer's shares), the snapshot
    moments on the last month.

    >>> cb = customer_base(generate_base(1_000, seed=7))
    >>> len(cb), cb.bills.shape
    (1000, (1000, 12))
    """
    instance(base, SyntheticBase, "base must be a SyntheticBase (from generate_base), got {got}")
    spend = base.monthly_spend[:, 12:]  # the default tier window: the last 12 months
    avg, counted = _tier_inputs(base)
    last = base.monthly_spend
    trailing = np.where(base.months_billed >= 4, last[:, -4:-1].sum(axis=1) // 3, 0)
    return CustomerBase(
        base.ids,
        avg,
        counted,
        tenure_days=(np.datetime64(base.as_of, "D") - base.activated_on).astype(np.int64),
        plan_fee=base.plan_fee,
        verification=base.verification,
        status=base.status,
        credit_level=base.credit_level,
        bills=spend,
        data_bills=(spend * base.data_share[:, None]).astype(np.int64),
        paid_on_time=np.repeat(base.on_time[:, None] > 0.5, spend.shape[1], axis=1),
        moment_columns={
            "used": base.arrears,
            "month_spend": last[:, -1],
            "trailing_mean": trailing,
            "forwarded_share": base.forwarded_share,
            "contract_ends_on": base.contract_ends_on,
            "birthday": base.birthday,
        },
    )
