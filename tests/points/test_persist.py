"""A ledger kept between runs: to_dict/from_dict, JSON, replay, restoring at any step,
old values after newer ones, and numpy scalars at the boundary."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import telcare as tc
from telcare import strategies as tcs
from telcare._core.limits import MAX_POINTS

D = date
POLICIES = st.sampled_from(
    [
        tc.Policy.model_validate({"points": {"reversal": m, "pending_days": days}})
        for m in ("claw_back", "allow_negative", "refuse")
        for days in (0, 20)
    ]
)
LEDGERS = POLICIES.flatmap(lambda p: tcs.ledgers(policy=p, max_postings=25))


def _sample() -> tc.PointsLedger:
    """A ledger with every kind of posting: accrual, redemption, both reversals, transfers."""
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), 300, "consumption")
    ledger, _ = ledger.redeem("r1", D(2010, 2, 1), 100)
    ledger = ledger.accrue("b2", D(2010, 12, 5), 200, "credit").reverse("r1", D(2011, 1, 2))
    ledger, _ = ledger.transfer("t1", D(2011, 1, 3), 50, tc.PointsLedger.empty("c2"))
    giver = tc.PointsLedger.empty("c3").accrue("g", D(2011, 1, 1), 80, "bonus")
    _, ledger = giver.transfer("t2", D(2011, 1, 4), 80, ledger)
    return ledger.reverse("b2", D(2011, 2, 1))


def _empty_like(ledger: tc.PointsLedger) -> tc.PointsLedger:
    return tc.PointsLedger(
        ledger.customer_id, ledger.expire_after_cycles, ledger.fen_per_point,
        ledger.reversal_mode,  # type: ignore[arg-type]
        ledger.pending_days, ledger.timezone,
    )  # fmt: skip


def _apply(ledger: tc.PointsLedger, posting: tc.Posting) -> tc.PointsLedger:
    """``posting`` made again by the public operation of its kind (a transfer in, whose
    lots are the sender's, by replay)."""
    if posting.kind == "accrue":
        return ledger.accrue(posting.ref, posting.on, posting.points, posting.source or "")
    if posting.kind == "redeem":
        return ledger.redeem(posting.ref, posting.on, posting.points)[0]
    if posting.kind == "reverse":
        return ledger.reverse(
            posting.original or "", posting.on, posting.points, adjustment=posting.ref
        )
    if posting.kind == "transfer_out":
        to = tc.PointsLedger.empty(posting.counterparty or "")
        return ledger.transfer(posting.ref, posting.on, posting.points, to)[0]
    return ledger.replay([posting])


def _answers(ledger: tc.PointsLedger, days: list[date]) -> tuple[object, ...]:
    return (
        [(e.posting, e.balance) for e in ledger.history()],
        [ledger.summary(d) for d in days],
        [ledger.lots(d) for d in days],
        [ledger.expiring(d, 400) for d in days],
    )


def _refusal(call: Any) -> str:
    try:
        call()
    except tc.TelcareError as exc:
        return f"{type(exc).__name__}: {exc}"
    return "accepted"


# ---- round trips


@given(LEDGERS)
def test_to_dict_and_json_round_trip_to_an_equal_ledger(ledger: tc.PointsLedger) -> None:
    data = ledger.to_dict()
    back = tc.PointsLedger.from_dict(data)
    assert back == ledger and back.to_dict() == data
    assert [(e.posting, e.balance) for e in back.history()] == [
        (e.posting, e.balance) for e in ledger.history()
    ]
    assert json.loads(json.dumps(data)) == data
    assert tc.PointsLedger.from_json(ledger.to_json()) == ledger
    assert _empty_like(ledger).replay(ledger.history()) == ledger


def test_every_kind_of_posting_round_trips() -> None:
    ledger = _sample()
    assert {e.posting.kind for e in ledger.history()} == {
        "accrue", "redeem", "reverse", "transfer_out", "transfer_in",
    }  # fmt: skip
    assert tc.PointsLedger.from_json(ledger.to_json()) == ledger
    replayed = tc.PointsLedger.empty("c1").replay(ledger.history())
    assert replayed == ledger
    assert tc.PointsLedger.empty("c1").replay(e.posting for e in ledger.history()) == ledger
    assert tc.PointsLedger.empty("c1").replay(ledger.to_dict()["postings"]) == ledger  # type: ignore[arg-type]


def test_posting_dicts_are_the_postings_fields_and_the_balance_after() -> None:
    ledger = _sample()
    assert ledger.to_dict()["postings"] == [
        e.posting.to_dict() | {"balance": e.balance} for e in ledger.history()
    ]


# ---- restoring at any step and going on


@settings(max_examples=40)
@given(LEDGERS)
def test_restoring_at_any_step_and_going_on_is_as_if_never_stopped(
    ledger: tc.PointsLedger,
) -> None:
    history = [e.posting for e in ledger.history()]
    empty = _empty_like(ledger)
    steps = [empty]
    for posting in history:
        steps.append(_apply(steps[-1], posting))
    assert steps[-1] == ledger
    last = history[-1].on if history else D(2010, 1, 1)
    days = [
        last - timedelta(days=200),
        last,
        last + timedelta(days=400),
        last + timedelta(days=800),
    ]
    for k, at_k in enumerate(steps):
        for restored in (
            tc.PointsLedger.from_dict(at_k.to_dict()),
            empty.replay(history[:k]),
        ):
            assert restored == at_k
            assert _answers(restored, days) == _answers(at_k, days)
            _same_idempotency_and_refusals(restored, at_k, history[:k], last)
            going_on = restored
            for posting in history[k:]:
                going_on = _apply(going_on, posting)
            assert going_on == ledger
            assert _answers(going_on, days) == _answers(ledger, days)


def _same_idempotency_and_refusals(
    restored: tc.PointsLedger, kept: tc.PointsLedger, done: list[tc.Posting], last: date
) -> None:
    if done:  # a repeated reference: a no-op when it is the same request, refused when not
        again = done[-1]
        if again.kind in ("accrue", "redeem", "reverse"):
            assert _apply(restored, again) == restored == kept
        assert _refusal(lambda: restored.accrue(again.ref, again.on, 1, "bonus")) == _refusal(
            lambda: kept.accrue(again.ref, again.on, 1, "bonus")
        )
        before = again.on - timedelta(days=1)
        assert _refusal(lambda: restored.accrue("late", before, 1, "bonus")) == _refusal(
            lambda: kept.accrue("late", before, 1, "bonus")
        )
    too_much = max(1, restored.balance(last) + 1)
    assert _refusal(lambda: restored.redeem("more", last, too_much)) == _refusal(
        lambda: kept.redeem("more", last, too_much)
    )
    assert _refusal(lambda: restored.reverse("nothing", last)) == _refusal(
        lambda: kept.reverse("nothing", last)
    )


# ---- old values keep answering


@given(LEDGERS)
def test_an_old_ledger_answers_as_before_after_newer_ones_were_derived(
    ledger: tc.PointsLedger,
) -> None:
    steps = [_empty_like(ledger)]
    seen = [steps[0].to_dict()]
    for entry in ledger.history():
        steps.append(_apply(steps[-1], entry.posting))
        seen.append(steps[-1].to_dict())
    assert [s.to_dict() for s in steps] == seen
    assert [len(s) for s in steps] == list(range(len(steps)))


def test_two_ledgers_derived_from_one_do_not_see_each_other() -> None:
    base = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), 300, "consumption")
    kept = base.to_dict()
    left, _ = base.redeem("r1", D(2010, 2, 1), 100)
    right = base.accrue("b2", D(2010, 2, 1), 50, "bonus")  # a branch: from base again
    more_left = left.accrue("b3", D(2010, 3, 1), 1, "bonus")
    assert base.to_dict() == kept and len(base) == 1
    assert [e.posting.ref for e in left.history()] == ["b1", "r1"]
    assert [e.posting.ref for e in right.history()] == ["b1", "b2"]
    assert [e.posting.ref for e in more_left.history()] == ["b1", "r1", "b3"]
    assert (left.balance(D(2010, 2, 1)), right.balance(D(2010, 2, 1))) == (200, 350)
    with pytest.raises(tc.InvalidInput, match="no posting 'r1'"):
        right.posting("r1")
    assert right.accrue("r1", D(2010, 2, 2), 5, "bonus").balance(D(2010, 2, 2)) == 355


def test_a_pickle_of_an_old_ledger_holds_only_its_own_postings() -> None:
    old = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), 300, "consumption")
    newer = old.accrue("b2", D(2010, 2, 5), 10, "bonus")
    back = pickle.loads(pickle.dumps(old))
    assert back == old and len(back) == 1 and newer != old
    assert copy.deepcopy(old).history() == old.history()
    assert back.accrue("b2", D(2010, 2, 5), 10, "bonus") == newer


# ---- refused: a changed dict, by name, never half-loaded


def _redigest(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the digest recomputed: only the posting-by-posting checks remain."""
    from telcare.points._persist import _digest

    body = {k: v for k, v in data.items() if k != "digest"}
    return body | {"digest": _digest(body)}


def _one_more() -> dict[str, Any]:
    ledger = _sample().accrue("b9", D(2011, 3, 1), 300, "consumption")
    return json.loads(json.dumps(ledger.to_dict()["postings"][-1]))  # type: ignore[no-any-return]


def _changed(change: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(_sample().to_dict()))
    change(data)
    return data  # type: ignore[no-any-return]


def _edit(path: tuple[Any, ...], value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


TAMPERED = {
    "a lot's points edited": (_edit(("postings", 0, "lots", 0, 1), 301), r"postings\[0\] \('b1'\): lots"),
    "points edited": (_edit(("postings", 1, "points"), 99), r"postings\[1\] \('r1'\): lots"),
    "a balance edited": (_edit(("postings", 2, "balance"), 401), r"postings\[2\] \('b2'\): balance"),
    "a posting removed": (lambda d: d["postings"].pop(1), r"postings\[1\] \('b2'\): balance"),
    "the reversed posting removed": (lambda d: d["postings"].pop(0), r"postings\[0\] \('r1'\) cannot be posted"),
    "a posting repeated": (lambda d: d["postings"].insert(2, d["postings"][1]), r"'r1' is already posted"),
    "the dates out of order": (_edit(("postings", 1, "on"), "2009-01-01"), "date order"),
    "a transfer in's lot moved": (_edit(("postings", 5, "lots", 0, 0), "2012-06-30"), r"postings\[5\]\.lots"),
    "a transfer in's points changed": (_edit(("postings", 5, "points"), 81), r"postings\[5\]\.lots: the lots hold 80"),
    "a reversal's points edited": (_edit(("postings", 3, "points"), 60), r"postings\[3\] \('r1#reversal'\): lots"),
    "a reversal's original edited": (_edit(("postings", 3, "original"), "b1"), r"postings\[3\] \('r1#reversal'\): lots"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_a_changed_dict_is_refused_by_the_posting_it_breaks(case: str) -> None:
    """Each posting is posted again and checked before the digest is: the message
    names the first posting that breaks, whether or not the digest was redone."""
    change, message = TAMPERED[case]
    for data in (_changed(change), _redigest(_changed(change))):
        with pytest.raises(tc.InvalidInput, match=message):
            tc.PointsLedger.from_dict(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["postings"].pop(), "digest"),  # the last one: only the digest can tell
        # a reversal may be posted under any adjustment's name: only the digest can tell
        (_edit(("postings", 3, "ref"), "undo-r1"), "digest"),
        (lambda d: d["postings"].append(_one_more()), "digest"),  # a valid one at the end
        (_edit(("fen_per_point",), 3), "digest"),
        (_edit(("digest",), "sha256:0"), "digest 'sha256:0' does not match"),
        (_edit(("customer_id",), ""), "PointsLedger.customer_id must not be empty"),
        (_edit(("expire_after_cycles",), 1.0), "PointsLedger.expire_after_cycles must be an int"),
        (_edit(("reversal_mode",), "forgive"), "PointsLedger.reversal_mode must be one of"),
        (_edit(("postings",), {}), "postings must be a list, got dict"),
        (_edit(("postings", 0), [1, 2]), r"postings\[0\] must be a Posting, a HistoryEntry or a dict"),
        (_edit(("postings", 0, "points"), "300"), r"postings\[0\]\.points must be an int, got str"),
        (_edit(("postings", 0, "points"), True), r"postings\[0\]\.points must be an int, got bool"),
        (_edit(("postings", 0, "points"), 10**16), r"postings\[0\]\.points must be <= 10"),
        (_edit(("postings", 0, "on"), "20100105"), r"postings\[0\]\.on must be a date written YYYY-MM-DD"),
        (_edit(("postings", 0, "on"), "2010-02-30"), r"postings\[0\]\.on must be a real date"),
        (_edit(("postings", 0, "kind"), "gift"), r"postings\[0\]\.kind must be one of"),
        (_edit(("postings", 0, "lots"), "2011-11-30"), r"postings\[0\]\.lots must be an iterable"),
        (_edit(("postings", 0, "lots", 0), ["2011-11-30"]), r"postings\[0\]\.lots\[0\] must be a \[date, points\] pair"),
        (_edit(("postings", 0, "source"), "lottery"), r"postings\[0\] \('b1'\) cannot be posted: unknown points source"),
        (_edit(("postings", 0, "colour"), "red"), r"postings\[0\] has the unknown key 'colour'"),
        (_edit(("colour",), "red"), "the ledger dict has the unknown key 'colour'"),
        (lambda d: d["postings"][0].pop("balance"), r"postings\[0\] lacks the key 'balance'"),
        (lambda d: d.pop("digest"), "the ledger dict lacks the key 'digest'"),
    ],
)  # fmt: skip
def test_a_wrong_dict_is_refused_by_name(change: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.PointsLedger.from_dict(_changed(change))


@pytest.mark.parametrize(
    ("text", "message"),
    [("{", "cannot read the text as JSON"), (b"{}", "needs JSON text"), ("[]", "needs the dict"),
     ("[" * 100_000, "cannot read the text as JSON"), ("NaN", "needs the dict")],
)  # fmt: skip
def test_text_that_is_not_a_ledger_is_refused(text: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.PointsLedger.from_json(text)


@pytest.mark.parametrize(
    ("postings", "message"),
    [
        ("b1", "replay\\(\\) postings must be an iterable"),
        (None, "replay\\(\\) postings must be an iterable"),
        ({"ref": "b1"}, "replay\\(\\) postings must be an iterable"),
        ([1], r"replay\(\) postings\[0\] must be a Posting or HistoryEntry or Mapping, got int"),
        ([tc.Posting("b1", "accrue", D(2010, 1, 5), 300, source="consumption")], r"postings\[0\] \('b1'\): lots"),
        ([tc.HistoryEntry(_sample().history()[0].posting, 7)], r"postings\[0\] \('b1'\): balance"),
        ([tc.Posting("b1", "accrue", 20100105, 300)], r"postings\[0\]\.on must be a datetime\.date, got int"),  # type: ignore[arg-type]
    ],
)  # fmt: skip
def test_replay_refuses_what_the_ledger_would_not_have_recorded(
    postings: Any, message: str
) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.PointsLedger.empty("c1").replay(postings)


def test_replay_goes_on_from_a_restored_ledger() -> None:
    ledger = _sample()
    history = ledger.history()
    snapshot = tc.PointsLedger.from_dict(tc.PointsLedger.empty("c1").replay(history[:3]).to_dict())
    assert snapshot.replay(history[3:]) == ledger
    with pytest.raises(tc.InvalidInput, match=r"postings\[0\]: 'b2' is already posted"):
        snapshot.replay(history[2:])


# ---- numpy scalars at the boundary, and the points bound (issue 28)


def test_numpy_points_become_python_ints() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), np.int64(1200), "consumption")
    assert type(ledger.balance(D(2010, 1, 5))) is int
    assert (
        type(ledger.posting("b1").points) is int
        and type(ledger.lots(D(2010, 1, 5))[0].points) is int
    )
    json.dumps(ledger.to_dict())
    ledger, receipt = ledger.redeem("r1", D(2010, 1, 6), np.int16(200))
    assert type(receipt.points) is int and type(receipt.value) is int
    assert ledger.accrue("b1", D(2010, 1, 5), np.int32(1200), "consumption") == ledger  # a retry
    assert type(ledger.expiring(D(2010, 1, 6), np.int64(700))[0].points) is int


def test_a_numpy_int32_redemption_is_valued_without_wrapping() -> None:
    big = 1_500_000_000
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), big, "bonus")
    _, receipt = ledger.redeem("r1", D(2010, 1, 6), np.int32(big))
    assert receipt.value == 3_000_000_000 and type(receipt.value) is int


def test_numpy_settings_and_sources_become_python_values() -> None:
    ledger = tc.PointsLedger(np.str_("c1"), np.int64(1), np.int32(5), np.str_("refuse"))  # type: ignore[arg-type]
    assert [type(v) for v in (ledger.customer_id, ledger.fen_per_point, ledger.reversal_mode)] == [
        str, int, str,
    ]  # fmt: skip
    ledger = ledger.accrue(np.str_("b1"), D(2010, 1, 5), 10, np.str_("bonus"))  # type: ignore[arg-type]
    assert type(ledger.posting("b1").source) is str and type(ledger.history()[0].posting.ref) is str
    json.dumps(ledger.to_dict())


def test_points_earned_and_received_stay_within_the_bound() -> None:
    full = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), MAX_POINTS, "bonus")
    with pytest.raises(tc.InvalidInput, match=r"points: 1 more would bring .* beyond"):
        full.accrue("b2", D(2010, 1, 6), 1, "bonus")
    giver = tc.PointsLedger.empty("c2").accrue("g", D(2010, 1, 5), 1, "bonus")
    with pytest.raises(tc.InvalidInput, match="beyond"):
        giver.transfer("t", D(2010, 1, 6), 1, full)
    assert giver.balance(D(2010, 1, 6)) == 1
