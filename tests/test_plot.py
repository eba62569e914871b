"""Plots return matplotlib figures and refuse what they cannot draw."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

import telcare as tc
from telcare import plot

matplotlib.use("Agg")


def test_plots_return_figures() -> None:
    counts = tc.CampaignCounts(
        valid_targets=1_000, dialled=2_400, connected=1_500, contacted=860, deals=120
    )
    funnel = plot.campaign_funnel(counts)
    assert funnel.axes[0].get_title() == "campaign funnel"
    u = tc.compare(tc.Rate(460, 1000), tc.Rate(400, 1000))
    assert len(plot.uplift(u, u, labels=["a", "b"]).axes[0].get_yticks()) == 2
    heat = plot.tier_migration(np.arange(25).reshape(5, 5), tc.default_policy().tiers.codes)
    assert heat.axes[0].get_title() == "tier migration"
    line = plot.liability(["2010-01", "2010-02"], [100_000, 150_000])
    assert list(line.axes[0].lines[0].get_ydata()) == [1000.0, 1500.0]
    for fig in (funnel, heat, line):
        fig.canvas.draw()  # renders with Agg


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: plot.campaign_funnel("counts"), "CampaignCounts"),
        (lambda: plot.uplift(), "one or more Uplift"),
        (
            lambda: plot.uplift(tc.compare(tc.Rate(1, 2), tc.Rate(1, 2)), labels=["a", "b"]),
            "2 labels for 1",
        ),
        (lambda: plot.tier_migration(np.zeros((2, 2)), ["a", "b", "c"]), "3 x 3"),
        (lambda: plot.liability([], []), "non-empty"),
    ],
)
def test_plot_bad_inputs(call: object, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()  # type: ignore[operator]
    assert fragment in str(info.value)


def test_the_qini_plot_draws_the_curve_the_metric_computes() -> None:
    import telcare as tc
    from telcare import plot

    y, score, t = (
        [1, 0, 0, 1, 1, 0, 1, 0],
        [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2],
        [1, 1, 0, 0, 1, 0, 1, 0],
    )
    fig = plot.qini(y, score, t, label="model")
    line = fig.axes[0].lines[0]
    x, q = tc.qini_curve(y, score, t)
    assert list(line.get_xdata()) == x.tolist() and list(line.get_ydata()) == q.tolist()
    assert line.get_label() == f"model (Qini {tc.qini_auc_score(y, score, t):.3f})"
