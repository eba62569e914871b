"""The contact rules' reasons as codes (issue #31): the English of before, a code,
machine parameters and Chinese text, in to_dict(lang=) as strict JSON."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 11, 23, 10, 0, tzinfo=SH)


def test_a_full_cap_names_when_the_next_contact_is_allowed_as_a_machine_datetime() -> None:
    made = [tc.ContactMade("c1", datetime(2026, 11, d, 10, tzinfo=SH), project="p") for d in (2, 9)]
    d = tc.contact_allowed("c1", None, MON, made)
    full = d.reasons[0]
    assert full == "2 contacts in the last 30 days (cap 2): next one allowed from 2026-12-02 10:00"
    assert full.code == "contact.cap.full"
    assert full.params["at"] == datetime(2026, 12, 2, 10, tzinfo=SH)
    assert full.text("zh_CN") == "近30天已接触2次（上限2次）：2026-12-02 10:00起方可再次接触"
    assert [r.code for r in d.reasons] == ["contact.cap.full", "contact.hours.open"]


def test_to_dict_carries_the_codes_and_the_chinese_text_as_strict_json() -> None:
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=SH)
    d = tc.contact_allowed("c1", tc.Moment.NEW_SUBSCRIBER_CALLBACK, saturday, [])
    zh = d.to_dict(lang="zh_CN")
    assert zh["reasons"][0] == {
        "code": "contact.exempt",
        "params": {"moment": "new_subscriber_callback"},
        "text": "新入网回访不受接触频次上限限制",
    }
    assert zh["reasons"][1]["params"] == {
        "hours": "Mon-Fri 08:00-20:00",
        "opening": "2026-11-23T08:00:00+08:00",
    }
    assert (
        zh["reasons"][1]["text"]
        == "不在接触时间周一至周五 08:00-20:00内，下次可接触时间：11月23日周一 08:00"
    )
    assert d.to_dict()["reasons"][1]["text"] == (
        "outside contact hours Mon-Fri 08:00-20:00, next opening Mon 23 Nov 08:00"
    )
    json.dumps(zh, allow_nan=False, ensure_ascii=False)


def test_a_channels_cap_speaks_its_channels_name() -> None:
    p = tc.Policy.model_validate({"contact": {"channel_day_caps": {"sms": 1}}})
    sent = tc.ContactMade("c1", MON.replace(hour=9), tc.Moment.BIRTHDAY, tc.Channel.SMS)
    d = tc.contact_allowed("c1", tc.Moment.BIRTHDAY, MON, [sent], policy=p)
    day = next(r for r in d.reasons if r.code.startswith("contact.channel."))
    assert day == "sms cap 1 per day reached: next one allowed from 2026-11-24 00:00"
    assert day.code == "contact.channel.day.full"
    assert day.text("zh_CN") == "短信渠道已达每天1次的上限：2026-11-24 00:00起方可再次接触"
