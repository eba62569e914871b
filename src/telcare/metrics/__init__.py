"""Campaign-effect metrics: rates with intervals, uplift against a control group,
retention, sample size, targeting, value and ROI, staffing.
"""

from __future__ import annotations

import sys

from telcare.metrics._bootstrap import BootstrapInterval, bootstrap_interval
from telcare.metrics._callbacks import CallbackCounts, CallbackKpis, callback_kpis
from telcare.metrics._campaigns import CampaignCounts, CampaignReport, Figure, campaign_report
from telcare.metrics._curves import qini_auc_score, qini_curve, uplift_auc_score, uplift_curve
from telcare.metrics._experiments import (
    Retention,
    RetentionAverage,
    Uplift,
    compare,
    retention,
    retention_average,
)

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.metrics._groups import (
    GroupRates,
    rates_by_group,
    rates_from_counts as rates_from_counts,
)
from telcare.metrics._labels import label_keys as label_keys, label_values as label_values
from telcare.metrics._outbound import (
    AgentPerformance,
    TrialForecast,
    agent_performance,
    list_utilisation,
    reason_shares,
    trial_forecast,
    value_by,
)
from telcare.metrics._power import minimum_detectable_effect, power, sample_size
from telcare.metrics._rates import Rate
from telcare.metrics._staffing import (
    Staffing,
    erlang_c,
    inbound_staffing,
    outbound_staffing,
    staffing,
)
from telcare.metrics._survival import RetentionCurve, retention_curve
from telcare.metrics._targeting import (
    CellUplift,
    UpliftByPercentile,
    uplift_at_k,
    uplift_by_cell,
    uplift_by_percentile,
)
from telcare.metrics._value import ValueReport, campaign_value, revenue_forecast

__all__ = [
    "AgentPerformance",
    "BootstrapInterval",
    "CallbackCounts",
    "CallbackKpis",
    "CampaignCounts",
    "CampaignReport",
    "CellUplift",
    "Figure",
    "GroupRates",
    "Rate",
    "Retention",
    "RetentionAverage",
    "RetentionCurve",
    "Staffing",
    "TrialForecast",
    "Uplift",
    "UpliftByPercentile",
    "ValueReport",
    "agent_performance",
    "bootstrap_interval",
    "callback_kpis",
    "campaign_report",
    "campaign_value",
    "compare",
    "erlang_c",
    "inbound_staffing",
    "list_utilisation",
    "minimum_detectable_effect",
    "outbound_staffing",
    "power",
    "qini_auc_score",
    "qini_curve",
    "rates_by_group",
    "reason_shares",
    "retention",
    "retention_average",
    "retention_curve",
    "revenue_forecast",
    "sample_size",
    "staffing",
    "trial_forecast",
    "uplift_at_k",
    "uplift_auc_score",
    "uplift_by_cell",
    "uplift_by_percentile",
    "uplift_curve",
    "value_by",
]

# The second round's module path, named like the function: registered as imported so
# that ``import telcare.metrics.staffing`` never binds the module over ``staffing``.
sys.modules.setdefault(f"{__name__}.staffing", sys.modules[f"{__name__}._staffing"])
