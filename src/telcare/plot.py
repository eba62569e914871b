"""Plots for notebooks and reports (extra ``telcare[plot]``: matplotlib).

Each function returns a matplotlib ``Figure`` and draws nothing on screen by
itself; call ``fig.savefig(...)``, or leave it as a cell's value: Jupyter shows
it as a picture without ``%matplotlib inline`` (the figure gives its own PNG).
The core of telcare never imports this module.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import telcare as tc
>>> from telcare import plot
>>> fig = plot.uplift(tc.compare(tc.Rate(460, 1000), tc.Rate(400, 1000)))
>>> fig.axes[0].get_title()
'treated vs control'
>>> fig._repr_png_()[1:4]
b'PNG'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telcare._core.checks import instance

try:
    from matplotlib.figure import Figure as _Figure
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("telcare.plot needs matplotlib: pip install 'telcare[plot]'") from exc

import numpy as np

from telcare._core.errors import InvalidInput
from telcare.metrics import CampaignCounts, Uplift, qini_auc_score, qini_curve

__all__ = [
    "Figure", "campaign_funnel", "liability", "qini", "tier_migration", "uplift", "value_by_budget",
]  # fmt: skip


class Figure(_Figure):
    """A matplotlib ``Figure`` that Jupyter displays as a PNG by itself."""

    def _repr_png_(self) -> bytes:
        from io import BytesIO

        buffer = BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight", dpi=100)
        return buffer.getvalue()


def campaign_funnel(counts: CampaignCounts) -> Figure:
    """Targets -> connected -> contacted -> success, as horizontal bars with counts."""
    counts = instance(counts, CampaignCounts, "campaign_funnel() needs CampaignCounts, got {got}")
    stages = ["valid targets", "connected", "contacted", "success"]
    values = [counts.valid_targets, counts.connected, counts.contacted, counts.deals]
    fig = Figure(figsize=(6, 3))
    ax = fig.add_subplot()
    bars = ax.barh(stages[::-1], values[::-1], color=["#1b9e77", "#66a61e", "#7570b3", "#d95f02"])
    ax.bar_label(bars, labels=[f"{v:,}" for v in values[::-1]], padding=3)
    ax.set_title("campaign funnel")
    ax.set_xlabel("customers")
    ax.set_xlim(0, max([*values, 1]) * 1.15)
    fig.tight_layout()
    return fig


def uplift(*comparisons: Uplift, labels: Sequence[str] | None = None) -> Figure:
    """Treated and control rates with their intervals, one pair per comparison."""
    if not comparisons or not all(isinstance(u, Uplift) for u in comparisons):
        raise InvalidInput("uplift() needs one or more Uplift results from telcare.compare()")
    names = list(labels) if labels is not None else [f"#{i + 1}" for i in range(len(comparisons))]
    if len(names) != len(comparisons):
        raise InvalidInput(f"got {len(names)} labels for {len(comparisons)} comparisons")
    fig = Figure(figsize=(6, 3 + 0.4 * len(comparisons)))
    ax = fig.add_subplot()
    for i, u in enumerate(comparisons):
        for offset, rate, colour, name in (
            (-0.15, u.control, "#999999", "control"),
            (0.15, u.treated, "#d95f02", "treated"),
        ):
            low, high = rate.ci(u.level)
            ax.errorbar(rate.value * 100, i + offset, xerr=[[(rate.value - low) * 100], [(high - rate.value) * 100]],
                        fmt="o", color=colour, capsize=4, label=name if i == 0 else None)  # fmt: skip
        ax.annotate(
            f"{u.pp:+.1f} pp, p={u.p_value:.2g}", (u.treated.value * 100, i + 0.3), fontsize=8
        )
    ax.set_yticks(range(len(comparisons)), names)
    ax.set_xlabel("rate (%)")
    ax.set_title("treated vs control")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def tier_migration(matrix: Any, codes: Sequence[str]) -> Figure:
    """A heat map of customers moving from tier (rows) to tier (columns)."""
    counts = np.asarray(matrix)
    if counts.ndim != 2 or counts.shape != (len(codes), len(codes)):
        raise InvalidInput(
            f"matrix must be {len(codes)} x {len(codes)} for codes {list(codes)}, got shape {counts.shape}"
        )
    fig = Figure(figsize=(5, 4.5))
    ax = fig.add_subplot()
    image = ax.imshow(np.log10(counts + 1), cmap="Blues")
    for (r, c), n in np.ndenumerate(counts):
        ax.text(c, r, f"{int(n):,}", ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(codes)), codes, rotation=30)
    ax.set_yticks(range(len(codes)), codes)
    ax.set_xlabel("to")
    ax.set_ylabel("from")
    ax.set_title("tier migration")
    fig.colorbar(image, ax=ax, label="log10(customers + 1)")
    fig.tight_layout()
    return fig


def liability(months: Sequence[str], outstanding_fen: Sequence[int]) -> Figure:
    """The points liability (yuan) month by month over the cycle."""
    if len(months) != len(outstanding_fen) or not months:
        raise InvalidInput(
            f"months and outstanding_fen must be non-empty and of equal length, got {len(months)} and {len(outstanding_fen)}"
        )
    fig = Figure(figsize=(7, 3))
    ax = fig.add_subplot()
    ax.plot(list(months), np.asarray(outstanding_fen) / 100, marker="o")
    ax.set_ylabel("liability (yuan)")
    ax.set_title("points liability over the cycle")
    ax.tick_params(axis="x", rotation=45)
    fig.tight_layout()
    return fig


def value_by_budget(
    budgets_fen: Sequence[int],
    values_fen: Sequence[float],
    *,
    bounds_fen: Sequence[float] | None = None,
) -> Figure:
    """Expected value (yuan) against budget (yuan): one allocation per budget (e.g.
    ``tc.allocate(match, budget=b).expected_value``), with its upper bound when given.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from telcare import plot
    >>> plot.value_by_budget([0, 10_000, 20_000], [0, 9_000, 12_000]).axes[0].get_title()
    'expected value by budget'
    """
    budgets = np.asarray(budgets_fen, dtype=np.float64)
    values = np.asarray(values_fen, dtype=np.float64)
    if budgets.ndim != 1 or not len(budgets) or values.shape != budgets.shape:
        raise InvalidInput(
            f"budgets_fen and values_fen must be non-empty and of equal length, got {budgets.shape} and {values.shape}"
        )
    fig = Figure(figsize=(6, 3.5))
    ax = fig.add_subplot()
    ax.plot(budgets / 100, values / 100, marker="o", label="allocation")
    if bounds_fen is not None:
        bounds = np.asarray(bounds_fen, dtype=np.float64)
        if bounds.shape != budgets.shape:
            raise InvalidInput(f"bounds_fen must have {len(budgets)} values, got {bounds.shape}")
        ax.plot(budgets / 100, bounds / 100, linestyle="--", color="grey", label="upper bound")
        ax.legend()
    ax.set_xlabel("budget (yuan)")
    ax.set_ylabel("expected value (yuan)")
    ax.set_title("expected value by budget")
    fig.tight_layout()
    return fig


def qini(y_true: Any, uplift: Any, treatment: Any, *, label: str = "target list") -> Figure:
    """The Qini curve of a ranked list, with the random line and the perfect ranking.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from telcare import plot
    >>> fig = plot.qini([1, 0, 0, 1, 1, 0], [0.9, 0.8, 0.6, 0.5, 0.3, 0.1], [1, 1, 0, 0, 1, 0])
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['target list (Qini 0.154)', 'perfect', 'random']
    """
    x, q = qini_curve(y_true, uplift, treatment)
    y = np.asarray(y_true, dtype=np.int64)
    t = np.asarray(treatment, dtype=np.int64)
    px, pq = qini_curve(y, y * t - y * (1 - t), t)
    score = qini_auc_score(y_true, uplift, treatment)
    fig = Figure(figsize=(5, 4))
    ax = fig.add_subplot()
    ax.plot(x, q, label=f"{label} (Qini {score:.3f})")
    ax.plot(px, pq, linestyle=":", color="grey", label="perfect")
    ax.plot([0, px[-1]], [0, pq[-1]], linestyle="--", color="black", label="random")
    ax.set_xlabel("customers targeted, highest score first")
    ax.set_ylabel("incremental responses")
    ax.set_title("Qini curve")
    ax.legend()
    fig.tight_layout()
    return fig
