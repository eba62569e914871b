"""Campaign-effect metrics with honest statistics.

Seed 000 evaluates an outbound project by its contacts and contact rate,
connection rate, successes and success rate, talk time, labour utilisation and
service quality; seed 001 measures callbacks by completion, success,
timeliness, authenticity and policy compliance.  Every rate here is a
:class:`~telcare.metrics.rates.Rate` that keeps its counts and gives a confidence
interval; a comparison with a control group gives the difference in
percentage points with Newcombe's interval and a two-sided p-value.

>>> r = retention(start=10_000, retained=8_780, baseline=Rate(8_235, 10_000))
>>> str(r.rate), round(r.pp_change, 2)
('87.80% [87.1, 88.4]', 5.45)
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import attrs

from telcare.core.checks import field, integer, number, proportion
from telcare.core.display import Displayable
from telcare.core.errors import InvalidInput
from telcare.core.limits import MAX_COUNT
from telcare.metrics.rates import Rate, z_value

__all__ = [
    "CallbackCounts",
    "CallbackKpis",
    "CampaignCounts",
    "CampaignReport",
    "Figure",
    "Retention",
    "Uplift",
    "ValueReport",
    "callback_kpis",
    "campaign_report",
    "campaign_value",
    "compare",
    "minimum_detectable_effect",
    "retention",
    "revenue_forecast",
    "sample_size",
]

_NORMAL = NormalDist()


_count = field(integer)


def _at_most(instance: object, pairs: tuple[tuple[str, str], ...]) -> None:
    for part, whole in pairs:
        if getattr(instance, part) > getattr(instance, whole):
            raise InvalidInput(
                f"{type(instance).__name__}.{part} ({getattr(instance, part)}) cannot exceed "
                f"{whole} ({getattr(instance, whole)})"
            )


@attrs.frozen(slots=True)
class Figure(Displayable):
    """A ratio that is not a proportion (seconds per call, a share of time), with its inputs."""

    numerator: float
    denominator: float
    unit: str = ""

    @property
    def value(self) -> float:
        """``numerator / denominator`` (NaN when the denominator is 0)."""
        return self.numerator / self.denominator if self.denominator else math.nan

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.value:.2f}{unit} ({self.numerator:,.0f} / {self.denominator:,.0f})"


@attrs.frozen(slots=True)
class CampaignCounts(Displayable):
    """What an outbound campaign did (seed 000's project evaluation).

    ``contacted`` counts successful contacts, whether the customer completed the
    offer or refused it; ``deals`` the successes.  Times are in seconds:
    ``talk_seconds`` over the connected calls, ``handle_seconds`` the agents'
    call handling time (talk, hold and wrap-up), ``working_seconds`` their paid
    working time.  ``rated``/``satisfied`` are the hang-up satisfaction ratings.
    """

    valid_targets: int = attrs.field(validator=_count)
    dialled: int = attrs.field(validator=_count)
    connected: int = attrs.field(validator=_count)
    contacted: int = attrs.field(validator=_count)
    deals: int = attrs.field(validator=_count)
    talk_seconds: int = attrs.field(default=0, validator=_count)
    handle_seconds: int = attrs.field(default=0, validator=_count)
    working_seconds: int = attrs.field(default=0, validator=_count)
    rated: int = attrs.field(default=0, validator=_count)
    satisfied: int = attrs.field(default=0, validator=_count)

    def __attrs_post_init__(self) -> None:
        _at_most(self, (("connected", "dialled"), ("contacted", "valid_targets"), ("deals", "contacted"),
                        ("satisfied", "rated"), ("handle_seconds", "working_seconds")))  # fmt: skip


@attrs.frozen(slots=True)
class CampaignReport(Displayable):
    """The outbound project's figures, each a :class:`Rate` or :class:`Figure` keeping its inputs.

    ``success_rate`` is deals per valid target (the seed's "success rate =
    deals / customers"); ``success_per_contact`` is deals per successful contact.
    ``utilisation`` is handle time over working time (labour utilisation, not
    occupancy).
    """

    contacts: int
    contact_rate: Rate
    connection_rate: Rate
    deals: int
    success_rate: Rate
    success_per_contact: Rate
    avg_talk_seconds: Figure
    utilisation: Figure
    satisfaction: Rate

    def rows(self) -> tuple[tuple[str, str], ...]:
        """(label, formatted figure) pairs for printing."""
        return (
            ("successful contacts", f"{self.contacts:,}"),
            ("contact rate", str(self.contact_rate)),
            ("connection rate", str(self.connection_rate)),
            ("deals", f"{self.deals:,}"),
            ("success rate (per target)", str(self.success_rate)),
            ("success per contact", str(self.success_per_contact)),
            ("average talk time", str(self.avg_talk_seconds)),
            ("labour utilisation", str(self.utilisation)),
            ("satisfaction", str(self.satisfaction)),
        )


def campaign_report(counts: CampaignCounts) -> CampaignReport:
    """The seed's outbound project evaluation from a campaign's counts.

    >>> c = CampaignCounts(valid_targets=1_000, dialled=2_400, connected=1_500, contacted=860, deals=120,
    ...                    talk_seconds=270_000, handle_seconds=330_000, working_seconds=460_800,
    ...                    rated=500, satisfied=489)
    >>> report = campaign_report(c)
    >>> str(report.contact_rate), str(report.connection_rate)
    ('86.00% [83.7, 88.0]', '62.50% [60.5, 64.4]')
    >>> round(report.avg_talk_seconds.value), round(report.utilisation.value, 3)
    (180, 0.716)
    """
    if not isinstance(counts, CampaignCounts):
        raise InvalidInput(f"campaign_report() needs CampaignCounts, got {type(counts).__name__}")
    c = counts
    return CampaignReport(
        contacts=c.contacted,
        contact_rate=Rate(c.contacted, c.valid_targets),
        connection_rate=Rate(c.connected, c.dialled),
        deals=c.deals,
        success_rate=Rate(c.deals, c.valid_targets),
        success_per_contact=Rate(c.deals, c.contacted),
        avg_talk_seconds=Figure(c.talk_seconds, c.connected, "s per connected call"),
        utilisation=Figure(c.handle_seconds, c.working_seconds),
        satisfaction=Rate(c.satisfied, c.rated),
    )


@attrs.frozen(slots=True)
class Uplift(Displayable):
    """Treated minus control.

    ``difference`` is a proportion (0.1 for ten points), ``pp`` the same in
    percentage points; ``ci`` is Newcombe's hybrid score interval of the
    difference (as proportions); ``p_value`` the two-sided pooled z-test;
    ``relative`` the lift relative to the control rate (NaN if it is 0).
    """

    treated: Rate
    control: Rate
    difference: float
    ci: tuple[float, float]
    p_value: float
    level: float

    @property
    def pp(self) -> float:
        """The difference in percentage points."""
        return self.difference * 100

    @property
    def relative(self) -> float:
        """Treated / control - 1."""
        return self.treated.value / self.control.value - 1 if self.control.value else math.nan

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain values, in proportions and points."""
        return {
            "treated": self.treated.to_dict(),
            "control": self.control.to_dict(),
            "difference": self.difference,
            "pp": self.pp,
            "ci": list(self.ci),
            "p_value": self.p_value,
            "relative": self.relative,
            "level": self.level,
        }

    @property
    def significant(self) -> bool:
        """Whether the interval excludes zero (at ``level``)."""
        return self.ci[0] > 0 or self.ci[1] < 0

    def __str__(self) -> str:
        low, high = self.ci
        return f"{self.pp:+.2f} pp [{low * 100:+.2f}, {high * 100:+.2f}], p = {self.p_value:.3g}"


def _as_rate(value: object, name: str) -> Rate:
    if not isinstance(value, Rate):
        raise InvalidInput(
            f"{name} must be a Rate(numerator, denominator), got {type(value).__name__} {value!r}"
        )
    if value.denominator == 0:
        raise InvalidInput(f"{name} has no observations (0 of 0)")
    return value


def compare(treated: Rate, control: Rate, *, level: float = 0.95) -> Uplift:
    """Difference between a treated and a control group's rates.

    >>> u = compare(Rate(460, 1000), Rate(400, 1000))
    >>> round(u.pp, 1), tuple(round(x, 4) for x in u.ci), round(u.p_value, 4)
    (6.0, (0.0166, 0.1031), 0.0067)
    """
    treated, control = _as_rate(treated, "treated"), _as_rate(control, "control")
    p1, p2 = treated.value, control.value
    l1, u1 = treated.ci(level)
    l2, u2 = control.ci(level)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    n1, n2 = treated.denominator, control.denominator
    pooled = (treated.numerator + control.numerator) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = (1.0 if d == 0 else 0.0) if se == 0 else 2 * _NORMAL.cdf(-abs(d) / se)
    return Uplift(treated, control, d, (low, high), p_value, level)


@attrs.frozen(slots=True)
class Retention(Displayable):
    """The share of a base still active, and its change in percentage points."""

    rate: Rate
    baseline: float | None
    comparison: Uplift | None

    @property
    def pp_change(self) -> float | None:
        """(rate - baseline) in percentage points, when a baseline is given."""
        return None if self.baseline is None else (self.rate.value - self.baseline) * 100


def retention(start: int, retained: int, *, baseline: Rate | float | None = None) -> Retention:
    """Retention of a base over a period (保有率), optionally against a baseline.

    ``baseline`` may be a proportion (last year's 0.8235) or a :class:`Rate`;
    with a Rate the change also gets an interval and p-value (``comparison``).

    >>> round(retention(1000, 878, baseline=0.8235).pp_change, 2)
    5.45
    """
    rate = Rate(retained, start)
    if baseline is None:
        return Retention(rate, None, None)
    if isinstance(baseline, Rate):
        return Retention(rate, baseline.value, compare(rate, baseline))
    try:
        return Retention(rate, proportion(baseline, "baseline"), None)
    except InvalidInput:
        raise InvalidInput(
            f"baseline must be a proportion in [0, 1] or a Rate, got {baseline!r}"
        ) from None


def _proportion(value: object, name: str) -> float:
    return proportion(value, name, open_low=True, open_high=True)


def sample_size(baseline: float, mde: float, *, alpha: float = 0.05, power: float = 0.8) -> int:
    """Customers per arm to detect ``baseline`` -> ``baseline + mde`` (two-sided).

    Pooled variance under the null, unpooled under the alternative, rounded up.

    >>> sample_size(0.02, 0.01)
    3826
    """
    p1 = _proportion(baseline, "baseline")
    if number(mde, "mde", above=-1, below=1) == 0:
        raise InvalidInput(f"mde must be a non-zero difference of proportions, got {mde!r}")
    p2 = _proportion(p1 + mde, "baseline + mde")
    z_alpha = z_value(1 - _proportion(alpha, "alpha"))
    z_beta = _NORMAL.inv_cdf(_proportion(power, "power"))
    mean = (p1 + p2) / 2
    root = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_beta * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return math.ceil(root * root / (mde * mde) - 1e-9)


def minimum_detectable_effect(
    baseline: float, n: int, *, alpha: float = 0.05, power: float = 0.8
) -> float:
    """The smallest upward difference ``n`` customers per arm can detect (inverse of :func:`sample_size`).

    >>> round(minimum_detectable_effect(0.02, 3826), 4)
    0.01
    """
    p1 = _proportion(baseline, "baseline")
    n = integer(n, "n", minimum=2)
    z_alpha = z_value(1 - _proportion(alpha, "alpha"))
    z_beta = _NORMAL.inv_cdf(_proportion(power, "power"))

    def needed(mde: float) -> float:
        p2 = p1 + mde
        mean = (p1 + p2) / 2
        root = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_beta * math.sqrt(
            p1 * (1 - p1) + p2 * (1 - p2)
        )
        return root * root / (mde * mde)

    low, high = 1e-12, 1 - p1 - 1e-12
    if needed(high) > n:
        raise InvalidInput(f"{n} customers per arm cannot detect any rise from {p1}")
    for _ in range(200):
        mid = (low + high) / 2
        if needed(mid) > n:
            low = mid
        else:
            high = mid
    return high


@attrs.frozen(slots=True)
class CallbackCounts(Displayable):
    """Seed 001's callback work: required, completed, reached, on time, authentic, compliant."""

    required: int = attrs.field(validator=_count)
    completed: int = attrs.field(validator=_count)
    successful: int = attrs.field(validator=_count)
    on_time: int = attrs.field(validator=_count)
    authentic: int = attrs.field(validator=_count)
    compliant: int = attrs.field(validator=_count)

    def __attrs_post_init__(self) -> None:
        _at_most(self, (("completed", "required"), ("successful", "completed"), ("on_time", "completed"),
                        ("authentic", "successful"), ("compliant", "successful")))  # fmt: skip


@attrs.frozen(slots=True)
class CallbackKpis(Displayable):
    """The five callback KPIs, each a :class:`Rate` with its denominator.

    completion = completed / required; success = reached / completed;
    timeliness = completed on time / completed; authenticity = genuine data /
    reached; policy compliance = compliant / reached.
    """

    completion: Rate
    success: Rate
    timeliness: Rate
    authenticity: Rate
    compliance: Rate


def callback_kpis(counts: CallbackCounts) -> CallbackKpis:
    """Seed 001's callback KPIs from the counts.

    >>> k = callback_kpis(CallbackCounts(required=500, completed=480, successful=450, on_time=470,
    ...                                  authentic=441, compliant=450))
    >>> str(k.completion), str(k.authenticity)
    ('96.00% [93.9, 97.4]', '98.00% [96.2, 98.9]')
    """
    if not isinstance(counts, CallbackCounts):
        raise InvalidInput(f"callback_kpis() needs CallbackCounts, got {type(counts).__name__}")
    c = counts
    return CallbackKpis(
        completion=Rate(c.completed, c.required),
        success=Rate(c.successful, c.completed),
        timeliness=Rate(c.on_time, c.completed),
        authenticity=Rate(c.authentic, c.successful),
        compliance=Rate(c.compliant, c.successful),
    )


@attrs.frozen(slots=True)
class ValueReport(Displayable):
    """What a campaign cost and created (seed 000's value model). Money in fen."""

    cost: int
    contacts: int
    successes: int
    cost_per_contact: float
    cost_per_success: float
    survival: float
    abandonment: float
    value_created: int
    incremental_successes: float | None
    incremental_value: int | None
    roi: float

    def __str__(self) -> str:
        return (
            f"cost {self.cost / 100:,.2f} yuan, value {self.value_created / 100:,.2f} yuan, "
            f"ROI {self.roi:.1%}"
        )


def campaign_value(
    *,
    cost: int,
    contacts: int,
    successes: int,
    unit_price: int,
    usage_months: int,
    survival: float = 1.0,
    targets: int | None = None,
    control: Rate | None = None,
) -> ValueReport:
    """Cost per contact and per success, survival, value created and ROI.

    Value created is ``successes x survival x unit_price x usage_months``: the
    products sold, those still in use over the usage cycle, at their price per
    month.  With a ``control`` group's success rate and the ``targets``, only the
    successes above what the control rate predicts count as the campaign's
    (incremental value), and ROI is computed on those.

    >>> v = campaign_value(cost=5_000_000, contacts=8_600, successes=1_200, unit_price=1_000,
    ...                    usage_months=12, survival=0.8, targets=10_000, control=Rate(400, 10_000))
    >>> v.value_created, round(v.incremental_successes), v.incremental_value, round(v.roi, 3)
    (11520000, 800, 7680000, 0.536)
    """
    cost = integer(cost, "cost", maximum=10**17)
    unit_price = integer(unit_price, "unit_price", maximum=10**15)
    contacts = integer(contacts, "contacts")
    successes = integer(successes, "successes")
    usage_months = integer(usage_months, "usage_months", maximum=MAX_COUNT)
    if successes > contacts:
        raise InvalidInput(f"successes ({successes}) cannot exceed contacts ({contacts})")
    survival = proportion(survival, "survival")
    per_success = survival * unit_price * usage_months
    value = round(successes * per_success)
    incremental = incremental_value = None
    if control is not None:
        control = _as_rate(control, "control")
        if targets is None:
            raise InvalidInput("targets (>= contacts) must be given with a control group, got None")
        targets = integer(targets, "targets", minimum=contacts)
        incremental = successes - control.value * targets
        incremental_value = round(incremental * per_success)
    gain = incremental_value if incremental_value is not None else value
    return ValueReport(
        cost=cost,
        contacts=contacts,
        successes=successes,
        cost_per_contact=cost / contacts if contacts else math.nan,
        cost_per_success=cost / successes if successes else math.nan,
        survival=float(survival),
        abandonment=1 - float(survival),
        value_created=value,
        incremental_successes=incremental,
        incremental_value=incremental_value,
        roi=(gain - cost) / cost if cost else math.nan,
    )


def revenue_forecast(*streams: tuple[int, int, int]) -> int:
    """Revenue (fen) of product streams, each ``(users, unit_price_fen, periods)``.

    Seed 002's golf service: a 200-yuan yearly fee from 50,000 members plus
    100,000 users at 5 yuan a month for 12 months is 16 million yuan.

    >>> revenue_forecast((50_000, 20_000, 1), (100_000, 500, 12)) == 16_000_000 * 100
    True
    """
    total = 0
    for i, stream in enumerate(streams):
        if not isinstance(stream, tuple) or len(stream) != 3:
            raise InvalidInput(f"stream {i} must be (users, unit_price, periods), got {stream!r}")
        users, price, periods = (
            integer(part, f"stream {i} {what}")
            for part, what in zip(stream, ("users", "unit_price", "periods"), strict=True)
        )
        total += users * price * periods
    return total
