"""Reasons as codes (issue #31): the registry, the rendering in each language, the
catalogue, and the one table of codes in docs/reasons.md."""

from __future__ import annotations

import copy
import importlib
import json
import pickle
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

import telcare as tc
from telcare._core import catalogue, reasons
from telcare._core.limits import MAX_AVG_SPEND, MAX_POINTS
from telcare._core.reason_kinds import MAX_REASON_FEN
from telcare._core.reasons import COUNT, FEN, REGISTRY, Reason, define, placeholders

DOCS = Path(__file__).parents[2] / "docs" / "reasons.md"
ROW = re.compile(
    r"^\| `(?P<code>[a-z0-9_.]+)` \| (?P<params>.*?) \| `(?P<en>.*)` \| `(?P<zh>.*)` \|$"
)


def _all_codes() -> dict[str, reasons.ReasonCode]:
    for module in reasons.PRODUCERS:  # every producer, whatever this process imported so far
        importlib.import_module(module)
    return dict(REGISTRY)


def _zh(code: str) -> str:
    return catalogue.translation("zh_CN").pgettext(code, REGISTRY[code].template)


def _docs_rows() -> dict[str, tuple[str, str, str]]:
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if (m := ROW.match(line)) is not None:
            assert m["code"] not in rows, f"{m['code']} has two rows"
            rows[m["code"]] = (m["params"], m["en"], m["zh"])
    return rows


def _params_cell(spec: reasons.ReasonCode) -> str:
    return ", ".join(f"`{name}` {kind.name}" for name, kind in spec.kinds.items()) or "-"


def test_a_reason_is_its_english_sentence_with_a_code_and_machine_parameters() -> None:
    d = tc.evaluate_tier(
        tc.Customer("c", activated_on=date(2019, 5, 1), plan_fee=0, monthly_spend=[55_000] * 12,
                    tier="silver")
    )  # fmt: skip
    first = d.reasons[0]
    assert isinstance(first, Reason) and isinstance(first, str)
    assert first == "average ¥550.00 over 12 months >= gold threshold ¥500.00 (6 months needed)"
    assert first.code == "tier.qualify.meets"
    assert dict(first.params) == {"avg": 55_000, "months": 12, "tier": "gold", "threshold": 50_000,
                                  "min_months": 6}  # fmt: skip
    assert first.text("zh_CN") == "近12个月月均消费¥550.00，达到金卡门槛¥500.00（需6个月）"
    assert [r.code for r in d.reasons] == ["tier.qualify.meets", "tier.move.up", "tier.next.spend"]


def test_to_dict_carries_code_params_and_text_in_the_language_as_strict_json() -> None:
    c = tc.Customer(
        "c", activated_on=date(2009, 6, 1), plan_fee=tc.yuan(58), segments={"mid_high_end"}
    )
    d = tc.check_benefit(c, "free_sim_replacement", used=2)
    english, chinese = d.to_dict(), d.to_dict(lang="zh_CN")
    assert english["reasons"][-1] == {
        "code": "benefit.quota.none_left",
        "params": {"used": 2, "quota": 2, "uses": "free_sim_replacement"},
        "text": "used 2 of 2 free SIM replacements in the cycle, none left",
    }
    assert (
        chinese["reasons"][-1]["text"] == "本周期已使用省内本异地免费补/换卡2次（限2次），已无剩余"
    )
    assert chinese["reasons"][-1]["params"] == english["reasons"][-1]["params"]
    json.loads(json.dumps(chinese, allow_nan=False, ensure_ascii=False))
    with pytest.raises(tc.InvalidInput, match="lang must be one of"):
        d.to_dict(lang="zh")


def test_a_frame_shows_the_reasons_texts() -> None:
    pd = pytest.importorskip("pandas")
    c = tc.Customer("c", activated_on=date(2010, 1, 1), plan_fee=0, tier="gold")
    frame = tc.to_frame(tc.eligible_benefits(c))
    assert isinstance(frame, pd.DataFrame)
    assert frame.loc[0, "reasons"][0] == "qualifies: tier gold is one of vip, silver, gold, diamond"
    one = tc.check_benefit(c, "phone_manager").to_frame(lang="zh_CN")
    assert one.loc[0, "reasons"][0] == "符合条件：客户等级金卡属于贵宾卡、银卡、金卡、钻石卡"


def test_nested_reasons_render_in_the_same_language() -> None:
    c = tc.Customer("c", activated_on=date(2010, 1, 1), plan_fee=tc.yuan(58), tier="ordinary")
    d = tc.check_benefit(c, "service_manager")
    assert d.reasons[0] == "does not qualify: plan fee ¥58.00 < ¥96.00"
    assert d.reasons[0].text("zh_CN") == "不符合条件：套餐费¥58.00低于¥96.00"
    assert d.to_dict()["reasons"][0]["params"] == {
        "misses": [{"code": "benefit.miss.plan_fee", "params": {"fee": 5_800, "minimum": 9_600}}]
    }


def test_an_unknown_code_is_refused_naming_it() -> None:
    with pytest.raises(
        tc.InvalidInput,
        match=r"unknown reason code 'tier\.move\.sideways'; codes of tier\.move: \['tier\.move\.down",
    ):
        Reason("tier.move.sideways", tier="gold")
    with pytest.raises(tc.InvalidInput, match="unknown reason code 7"):
        Reason(7)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"Reason\(\) needs a code"):
        Reason()


def test_missing_and_extra_parameters_are_refused_at_construction() -> None:
    with pytest.raises(
        tc.InvalidInput, match=r"needs the parameters \['tier'\]; missing \['tier'\]"
    ):
        Reason("tier.move.stays")
    with pytest.raises(tc.InvalidInput, match=r"unknown \['months'\]"):
        Reason("tier.move.stays", tier="gold", months=3)
    with pytest.raises(tc.InvalidInput, match="parameter level is a count, got 'two'"):
        Reason("credit.delay.none", level="two")
    with pytest.raises(tc.InvalidInput, match="parameter level is a count, got True"):
        Reason("credit.delay.none", level=True)


def test_numpy_figures_become_python_values_at_the_boundary() -> None:
    """#28: a numpy credit level must not reach the parameters (json.dumps fails on it)."""
    s = tc.check_suspension(np.int64(20_000), np.int64(2), np.int64(0))
    level = s.reasons[0].params["level"]
    assert (
        type(level) is int
        and s.reasons[0] == "arrears ¥200.00 exceed the level-2 allowance of ¥150.00"
    )
    json.dumps(s.to_dict())


def _alert(**change: object) -> Reason:
    params = {"used": 12_345, "allowance": 12_345, "colour": "red", "level": 3,
              "threshold": 0.8, "share": 1.0}  # fmt: skip
    return Reason("moment.credit_alert", **{**params, **change})


@pytest.mark.parametrize("name", ["share", "threshold"])
@pytest.mark.parametrize(
    "value", [float("nan"), float("-inf"), Decimal("NaN"), Decimal("1e400"), 10**400, "0.5", True]
)
def test_a_number_or_share_parameter_is_a_finite_number_named_in_the_refusal(
    name: str, value: object
) -> None:
    with pytest.raises(tc.InvalidInput, match=f"'moment.credit_alert': parameter {name} is a"):
        _alert(**{name: value})


def test_numpy_and_decimal_numbers_become_python_numbers_in_the_parameters() -> None:
    r = _alert(share=np.float32(0.5), threshold=Decimal("0.8"))
    assert type(r.params["share"]) is float and r.params["threshold"] == Decimal("0.8")
    assert r == "usage ¥123.45 is 50% of the ¥123.45 allowance: red alert, level 3 of 3 (>= 80%)"
    assert json.loads(json.dumps(r.to_dict(), allow_nan=False))["params"]["threshold"] == 0.8
    forwarded = Reason("moment.usage_anomaly.forwarding", forwarded=np.int64(1), minimum=0.5)
    assert type(forwarded.params["forwarded"]) is int


def test_a_time_or_datetime_parameter_is_aware() -> None:
    naive = datetime(2010, 11, 22, 8, 0)
    with pytest.raises(
        tc.InvalidInput, match=r"parameter at is a time, got .* give it a time zone"
    ):
        Reason("contact.cap.full", count=2, days=30, cap=2, at=naive)
    aware = Reason("contact.cap.full", count=2, days=30, cap=2, at=naive.replace(tzinfo=UTC))
    assert aware.to_dict()["params"]["at"] == "2010-11-22T08:00:00+00:00"


def test_the_kind_of_several_codes_is_the_plural_of_their_vocabulary() -> None:
    """The statuses a benefit is served in were of the kind 'statuss' (a naive plural)."""
    kinds = {kind.name for spec in _all_codes().values() for kind in spec.kinds.values()}
    assert {"statuses", "tiers", "segments", "channels", "holdings", "slots"} <= kinds
    assert [k for k in kinds if k.endswith("ss")] == []
    with pytest.raises(tc.InvalidInput, match="parameter statuses is a statuses, got 'active'"):
        Reason("benefit.status.refused", status="suspended", statuses="active")


def test_a_definition_must_name_exactly_the_templates_parameters() -> None:
    with pytest.raises(tc.InvalidInput, match=r"uses \['a'\], the kinds name \['a', 'b'\]"):
        define("example.bad", "{a}", a=COUNT, b=FEN)
    with pytest.raises(tc.InvalidInput, match="dotted lower-case words"):
        define("Bad", "x")
    with pytest.raises(tc.InvalidInput, match="already defined"):
        define("tier.move.stays", "remains {tier}", tier=FEN)
    assert "example.bad" not in REGISTRY and "Bad" not in REGISTRY


def test_a_reason_pickles_copies_and_cannot_change() -> None:
    r = tc.check_suspension(tc.yuan(1_200), 5, 0, delayed=True, days_over=2).reasons[1]
    back = pickle.loads(pickle.dumps(r))
    assert (back, back.code, back.params) == (r, r.code, r.params) and type(back) is Reason
    assert copy.deepcopy(r) is r
    with pytest.raises(AttributeError, match="cannot change"):
        r.code = "x"  # type: ignore[misc]
    decision = tc.is_suspicious(tc.CallbackFacts(address_ok=False))
    assert pickle.loads(pickle.dumps(decision)) == decision


def test_the_yuan_of_a_reason_is_format_yuan() -> None:
    for fen in (0, 1, -1, 99, 100, -150, 123_456, 10**15, -(10**15) - 7):
        assert FEN.show(fen, "en") == tc.format_yuan(fen)


def test_every_code_has_english_and_chinese_text_with_the_same_parameters() -> None:
    codes = _all_codes()
    assert len(codes) >= 60
    for code, spec in codes.items():
        zh = _zh(code)
        assert zh != spec.template, f"{code} has no zh_CN text"
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{code}: {zh!r} is not Chinese"
        assert placeholders(zh) == placeholders(spec.template), code


def test_the_catalogue_holds_no_entry_for_a_code_that_is_gone() -> None:
    codes = _all_codes()
    entries = catalogue.catalogue_entries(catalogue.catalogue_text("zh_CN"))
    contexts = {ctxt for ctxt, _ in entries if ctxt is not None and "." in ctxt}
    assert contexts == set(codes)
    assert all(entries[(code, spec.template)] for code, spec in codes.items())


def test_the_vocabularies_are_named_in_chinese() -> None:
    zh = catalogue.translation("zh_CN")
    words = {
        "tier": tc.default_policy().tiers.codes,
        "status": tuple(s.name.lower() for s in tc.AccountStatus),
        "verification": tuple(v.name.lower() for v in tc.Verification),
        "segment": (tc.default_policy().segment.code,),
        "complaint": tc.COMPLAINT_TYPES,
        "call_item": (*tc.CALL_STAGES, *tc.CALL_SKILLS),
        "moment": tuple(m.value for m in tc.Moment),
        "channel": tuple(c.value for c in tc.Channel),
        "project_type": tc.PROJECT_TYPES,
        "slot": ("morning", "afternoon", "evening"),
        "colour": ("yellow", "orange", "red"),
    }
    for context, codes in words.items():
        missing = [c for c in codes if zh.pgettext(context, c) == c]
        assert missing == [], context
    assert [zh.pgettext("tier", c) for c in ("vip", "silver", "gold", "diamond")] == [
        "贵宾卡", "银卡", "金卡", "钻石卡",
    ]  # fmt: skip


def test_the_docs_table_lists_every_code_with_its_parameters_and_both_texts() -> None:
    codes = _all_codes()
    rows = _docs_rows()
    assert sorted(set(codes) - set(rows)) == [], "codes missing from docs/reasons.md"
    assert sorted(set(rows) - set(codes)) == [], "rows of docs/reasons.md that are no code"
    for code, spec in codes.items():
        assert rows[code] == (_params_cell(spec), spec.template, _zh(code)), code


def test_the_catalogue_compiles_to_the_mo_form_gettext_reads() -> None:
    import gettext
    import io

    source = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "tier"\nmsgid "gold"\nmsgstr "金卡"\n\n'
        '#, fuzzy\nmsgid "left"\nmsgstr "剩余"\n\n'
        'msgid "plain"\nmsgstr ""\n"两行"\n"合一"\n'
    )
    entries = catalogue.catalogue_entries(source)
    assert entries[("tier", "gold")] == "金卡" and (None, "left") not in entries
    found = gettext.GNUTranslations(io.BytesIO(catalogue.mo_bytes(entries)))
    assert found.pgettext("tier", "gold") == "金卡"
    assert found.gettext("plain") == "两行合一" and found.gettext("left") == "left"
    with pytest.raises(tc.InvalidInput, match="line 2 is not a quoted string"):
        catalogue.catalogue_entries('msgid "a"\nmsgstr b\n')


def test_the_service_list_reason_speaks_both_languages() -> None:
    book = tc.manager_book(["a"], [""])
    sl = tc.service_list(book, [0], [False], [5_800], [1], [0], eligible_since=[None],
                         as_of=date(2010, 12, 1))  # fmt: skip
    assert sl.reason(0) == "does not qualify: plan fee ¥58.00 < ¥96.00; account active"
    assert sl.reason(0, lang="zh_CN") == "不符合条件：套餐费¥58.00低于¥96.00；账户状态：正常"
    with pytest.raises(tc.InvalidInput, match="lang must be one of"):
        sl.reason(0, lang="de")


@pytest.mark.parametrize(
    ("code", "params", "name"),
    [
        ("credit.delay.none", {"level": 10**5000}, "level"),  # was a bare ValueError (str())
        ("credit.delay.none", {"level": -1}, "level"),
        ("credit.delay.none", {"level": MAX_POINTS + 1}, "level"),
        ("whatif.points", {"before": 0, "after": 10**16}, "after"),
        ("benefit.miss.plan_fee", {"fee": 10**5000, "minimum": 0}, "fee"),
        ("benefit.miss.plan_fee", {"fee": 0, "minimum": -(10**20)}, "minimum"),
        ("credit.over", {"arrears": MAX_REASON_FEN + 1, "level": 1, "allowance": 0}, "arrears"),
    ],
)
def test_a_count_or_fen_parameter_out_of_its_bounds_is_refused_by_name(
    code: str, params: dict[str, int], name: str
) -> None:
    with pytest.raises(tc.InvalidInput, match=rf"'{code}': parameter {name} is a") as caught:
        Reason(code, **params)
    assert "from " in str(caught.value) and len(str(caught.value)) < 300


@pytest.mark.parametrize("value", [1.5, 2.0, "3", Decimal(3), None])
def test_a_count_or_fen_parameter_that_is_no_integer_is_refused_by_name(value: object) -> None:
    with pytest.raises(tc.InvalidInput, match="parameter level is a count, got"):
        Reason("credit.delay.none", level=value)
    with pytest.raises(tc.InvalidInput, match="parameter fee is a fen, got"):
        Reason("benefit.miss.plan_fee", fee=value, minimum=0)


def test_the_largest_figures_a_valid_input_gives_a_reason_are_within_its_bounds() -> None:
    """The largest count is a points balance (whatif.points), the largest money the
    worth of one at the policy's highest price of a point (moment.points_expiry)."""
    assert Reason("whatif.points", before=0, after=MAX_POINTS).params["after"] == MAX_POINTS
    worth = MAX_POINTS * 10_000
    assert worth <= MAX_REASON_FEN
    assert (
        Reason("credit.over", arrears=-worth, level=0, allowance=worth).params["arrears"] == -worth
    )
    assert Reason("tier.keep", amount=MAX_AVG_SPEND, tier="gold").params["amount"] == MAX_AVG_SPEND
