"""New-subscriber callbacks as seed 001 measures them: completion, success,
timeliness, authenticity and policy compliance, each a rate with its counts.
"""

from __future__ import annotations

import attrs

from telcare._core.checks import field, instance, integer, not_above, python_scalar
from telcare._core.display import Displayable
from telcare.metrics._rates import Rate

__all__ = [
    "CallbackCounts",
    "CallbackKpis",
    "callback_kpis",
]

_count = field(integer)


@attrs.frozen(slots=True)
class CallbackCounts(Displayable):
    """Seed 001's callback work: required, completed, reached, on time, authentic, compliant."""

    required: int = attrs.field(converter=python_scalar, validator=_count)
    completed: int = attrs.field(converter=python_scalar, validator=_count)
    successful: int = attrs.field(converter=python_scalar, validator=_count)
    on_time: int = attrs.field(converter=python_scalar, validator=_count)
    authentic: int = attrs.field(converter=python_scalar, validator=_count)
    compliant: int = attrs.field(converter=python_scalar, validator=_count)

    def __attrs_post_init__(self) -> None:
        not_above(self, (("completed", "required"), ("successful", "completed"), ("on_time", "completed"),
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
    counts = instance(counts, CallbackCounts, "callback_kpis() needs CallbackCounts, got {got}")
    c = counts
    return CallbackKpis(
        completion=Rate(c.completed, c.required),
        success=Rate(c.successful, c.completed),
        timeliness=Rate(c.on_time, c.completed),
        authenticity=Rate(c.authentic, c.successful),
        compliance=Rate(c.compliant, c.successful),
    )
