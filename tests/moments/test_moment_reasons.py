"""The moments' reasons as codes (issue #31): each action's reason keeps its English,
carries a code and machine parameters, and speaks Chinese; a moment of one's own may
still give plain text."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
ID = "13800000001"
D0 = date(2010, 10, 4)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SH)


def test_a_retried_callback_nests_its_opening_and_names_the_slots_in_chinese() -> None:
    ev = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(58)),
          tc.CallbackAttempt(ID, at(D0, 10), reached=False)]  # fmt: skip
    (a,) = tc.due_actions(tc.Customer(ID, D0, tc.yuan(58)), ev, as_of=D0)
    r = a.reason
    assert r.code == "moment.callback.retry"
    assert r.params["head"].code == "moment.callback"
    assert dict(r.params["head"].params) == {"opened": D0, "fee": 5_800, "days": 3}
    assert r.params["failed"] == ("morning",) and r.params["untried"] == ("afternoon", "evening")
    assert r.text("zh_CN").startswith(
        "2010-10-04入网（套餐¥58.00）：3天内完成首次回访；已有1个时段回访未成功（上午）："
        "请于2010-10-07前在其他时段（下午、晚上）重试"
    )
    out = a.to_dict(lang="zh_CN")
    assert out["reason"]["params"]["head"] == {
        "code": "moment.callback", "params": {"opened": "2010-10-04", "fee": 5_800, "days": 3}
    }  # fmt: skip
    json.dumps(out, allow_nan=False, ensure_ascii=False)


def test_a_credit_alert_keeps_the_policys_share_as_a_number() -> None:
    ev = [tc.UsageReading(ID, at(D0), used=15_000, allowance=15_000)]
    (a,) = tc.due_actions(tc.Customer(ID, D0, tc.yuan(58)), ev, as_of=D0)
    r = a.reason
    assert (
        r
        == "usage ¥150.00 is 100% of the ¥150.00 allowance: red alert, level 3 of 3 (>= 100%); suspension risk"
    )
    assert r.code == "moment.credit_alert.red" and r.to_dict()["params"]["threshold"] == 1.0
    assert r.text("zh_CN") == (
        "已用¥150.00，占信用额度¥150.00的100%：红色预警，第3级（共3级，不低于100%）；有停机风险"
    )


def test_a_moment_of_ones_own_may_still_give_plain_text() -> None:
    asked = tc.CancellationRequested(ID, at(D0, 9))
    r = tc.Replay(tc.Customer(ID, D0, 0), [asked], D0, tc.default_policy())
    (a,) = tc.simple_moment(r, tc.CancellationRequested, "cancellation_request", 1, "asked on {on}")
    assert a.reason == "asked on 2010-10-04" and a.reason.code == "moment.own"
    assert a.reason.text("zh_CN") == "关键时点：asked on 2010-10-04"
