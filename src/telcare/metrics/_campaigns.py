"""An outbound project's effect as seed 000 measures it.

Contacts and contact rate, connection rate, successes and success rate, talk
time, labour utilisation and service quality.  Every rate is a
:class:`~telcare.metrics._rates.Rate` that keeps its counts and gives a
confidence interval.

>>> c = CampaignCounts(valid_targets=1000, dialled=950, connected=860, contacted=800, deals=120)
>>> str(campaign_report(c).success_rate)
'12.00% [10.1, 14.2]'
"""

from __future__ import annotations

import math
from statistics import NormalDist

import attrs

from telcare._core.checks import field, instance, integer, not_above, python_scalar
from telcare._core.display import Displayable, summary_text
from telcare.metrics._rates import Rate

__all__ = [
    "CampaignCounts",
    "CampaignReport",
    "Figure",
    "campaign_report",
]

_NORMAL = NormalDist()


_count = field(integer)


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
    working time.  ``rated``/``satisfied`` are the hang-up satisfaction ratings;
    ``checked``/``accurate`` the calls quality-checked and those found accurate
    (seed 000 reports service accuracy next to satisfaction).
    """

    valid_targets: int = attrs.field(converter=python_scalar, validator=_count)
    dialled: int = attrs.field(converter=python_scalar, validator=_count)
    connected: int = attrs.field(converter=python_scalar, validator=_count)
    contacted: int = attrs.field(converter=python_scalar, validator=_count)
    deals: int = attrs.field(converter=python_scalar, validator=_count)
    talk_seconds: int = attrs.field(default=0, converter=python_scalar, validator=_count)
    handle_seconds: int = attrs.field(default=0, converter=python_scalar, validator=_count)
    working_seconds: int = attrs.field(default=0, converter=python_scalar, validator=_count)
    rated: int = attrs.field(default=0, converter=python_scalar, validator=_count)
    satisfied: int = attrs.field(default=0, converter=python_scalar, validator=_count)
    checked: int = attrs.field(default=0, converter=python_scalar, validator=_count)
    accurate: int = attrs.field(default=0, converter=python_scalar, validator=_count)

    def __attrs_post_init__(self) -> None:
        not_above(self, (("connected", "dialled"), ("contacted", "valid_targets"), ("deals", "contacted"),
                        ("satisfied", "rated"), ("handle_seconds", "working_seconds"),
                        ("accurate", "checked")))  # fmt: skip


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
    avg_talk_seconds_per_dial: Figure | None = None
    """Talk time per outbound call, connected or not: seed 000's "每个呼出电话的平均时长"."""
    accuracy: Rate | None = None
    """Accurate calls among those quality-checked (``None`` when none was checked)."""

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
            *(
                [("talk time per outbound call", str(self.avg_talk_seconds_per_dial))]
                if self.avg_talk_seconds_per_dial is not None
                else []
            ),
            ("labour utilisation", str(self.utilisation)),
            ("satisfaction", str(self.satisfaction)),
            *([("service accuracy", str(self.accuracy))] if self.accuracy is not None else []),
        )

    def __str__(self) -> str:
        return summary_text("Campaign report", self.rows())


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
    >>> str(report.avg_talk_seconds_per_dial)   # seed 000 averages over every outbound call
    '112.50 s per outbound call (270,000 / 2,400)'

    ``avg_talk_seconds`` averages over the connected calls, ``avg_talk_seconds_per_dial``
    over every dialled call, as seed 000's evaluation does; both are kept, named.
    """
    counts = instance(counts, CampaignCounts, "campaign_report() needs CampaignCounts, got {got}")
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
        avg_talk_seconds_per_dial=Figure(c.talk_seconds, c.dialled, "s per outbound call"),
        accuracy=Rate(c.accurate, c.checked) if c.checked else None,
    )
