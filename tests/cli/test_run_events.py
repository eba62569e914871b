"""``telcare run --events FILE`` (issue #31 item 3): the due actions of the event-driven
moments written for each month into the DuckDB store, the same as ``telcare.due_actions``
gives for each customer with events in memory; a rerun changes nothing; every bad row
is named and nothing is written."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import duckdb
import jsonschema
import pandas as pd
import pytest
from tests.cli._helpers import run_base as _run

import telcare as tc
from telcare.cli import _store as store_module
from telcare.cli._run_read import arrow_table
from telcare.cli._run_side_schema import EVENT_COLUMNS, EVENT_KINDS, side_schema
from telcare.cli._synthetic_run import synthetic_extract

DOCS = Path(__file__).parents[2] / "docs"
MONTHS = ("2010-09", "2010-10", "2010-11")
SH = ZoneInfo("Asia/Shanghai")
N = 60
CODE = {kind.event: code for code, kind in EVENT_KINDS.items()}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


def _events(month: str, ids: list[str]) -> list[tc.Event]:
    """A month's events: a cancellation request, an activation with its callback attempts
    (one morning, one afternoon: not reached), a contact closing the request of the month
    before (whose request the file repeats), an event at 23:30 local (15:30 UTC) on the
    last day, and a bill."""
    period = tc.Period.parse(month)
    end, k = period.end, MONTHS.index(month)
    a, b, c = ids[k], ids[10 + k], ids[20 + k]
    out: list[tc.Event] = [
        tc.CancellationRequested(a, _at(end - timedelta(days=2), 10)),
        tc.Activated(b, _at(period.start + timedelta(days=5), 9), plan_fee=12_600, device="iPhone 4"),
        tc.CallbackAttempt(b, _at(period.start + timedelta(days=6), 9, 30), reached=False),
        tc.CallbackAttempt(b, _at(period.start + timedelta(days=6), 15, 30), reached=False),
        tc.BillIssued(c, datetime(end.year, end.month, end.day, 15, 30, tzinfo=ZoneInfo("UTC")),
                      amount=9_900),
    ]  # fmt: skip
    if k:
        before = tc.Period.parse(MONTHS[k - 1]).end
        asked = tc.CancellationRequested(ids[k - 1], _at(before - timedelta(days=2), 10))
        out += [asked, tc.ContactMade(ids[k - 1], _at(period.start, 11),
                                      moment="cancellation_request")]  # fmt: skip
    return out


def _row(event: tc.Event) -> dict[str, str]:
    """The events file's row of ``event``."""
    row = {c.name: "" for c in EVENT_COLUMNS}
    row |= {"customer_id": event.customer_id, "event": CODE[type(event)],
            "at": event.at.isoformat()}  # fmt: skip
    for name, value in attrs.asdict(event, recurse=False).items():
        if name in ("customer_id", "at") or value is None:
            continue
        shown = getattr(value, "value", value)
        row[name] = str(shown).lower() if isinstance(shown, bool) else str(shown)
    return row


def _write(events: list[tc.Event], path: Path) -> Path:
    pd.DataFrame([_row(e) for e in events]).to_csv(path, index=False)
    return path


def _base(month: str, folder: Path) -> tuple[Path, dict[str, Any]]:
    cols = synthetic_extract(N, month, seed=5)
    import pyarrow.parquet as pq

    path = folder / f"base-{month}.parquet"
    pq.write_table(arrow_table(cols), path)
    return path, cols


def _due(store: Path, month: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute("SELECT customer_id, moment, opened_on, due_by, status, channel, "
                           "priority, closed_on, outcome, reason, reason_params FROM due "
                           "WHERE month = ? ORDER BY ALL", [month]).fetchall()  # fmt: skip
    finally:
        con.close()


def _tiers(store: Path, month: str) -> dict[str, str]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        got = con.execute("SELECT customer_id, tier FROM customers WHERE month = ?", [month])
        return dict(got.fetchall())
    finally:
        con.close()


def _expected(cols: dict[str, Any], events: list[tc.Event], month: str,
              tiers: dict[str, str]) -> list[tuple[Any, ...]]:  # fmt: skip
    """What ``tc.due_actions`` gives, as of the month's evaluation day (the 1st of the next
    month, the moment scan's day), for each customer with events, the customer built from
    the extract's row."""
    ids = list(cols["customer_id"])
    out = []
    for cid in sorted({e.customer_id for e in events}):
        r = ids.index(cid)
        customer = tc.Customer(cid, cols["activated_on"][r].item(), int(cols["plan_fee"][r]),
                               tier=tiers[cid], verification=str(cols["verification"][r]),
                               status=str(cols["status"][r]),
                               credit_level=int(cols["credit_level"][r]))  # fmt: skip
        for a in tc.due_actions(
            customer, events, as_of=tc.Period.parse(month).end + timedelta(days=1)
        ):
            params = json.dumps(a.reason.to_dict()["params"], sort_keys=True)
            out.append((cid, str(a.moment), a.opened_on, a.due_by, a.status, a.channel.value,
                        a.priority, a.closed_on, a.outcome, a.reason.code, params))  # fmt: skip
    return sorted(out)


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three months, each with its events file, run into one store."""
    folder = tmp_path_factory.mktemp("months")
    store = folder / "operator.duckdb"
    months: dict[str, Any] = {"store": store}
    ids = [str(i) for i in synthetic_extract(N, MONTHS[0], seed=5)["customer_id"]]
    for month in MONTHS:
        base, cols = _base(month, folder)
        events = _events(month, [i for i in ids if i in set(cols["customer_id"])])
        path = _write(events, folder / f"events-{month}.csv")
        assert _run(store, month, base, "--events", str(path)) == 0
        months[month] = (base, cols, events, path)
    return months


@pytest.mark.parametrize("month", MONTHS)
def test_due_holds_what_due_actions_gives_for_each_customer_with_events(
    three: dict[str, Any], month: str
) -> None:
    _, cols, events, _ = three[month]
    stored = _due(three["store"], month)
    assert stored == _expected(cols, events, month, _tiers(three["store"], month))
    moments = {row[1] for row in stored}
    assert {"cancellation_request", "new_subscriber_callback", "first_bill"} <= moments
    callback = next(row for row in stored if row[1] == "new_subscriber_callback")
    assert callback[9] == "moment.callback.retry"  # two slots failed, the third untried


def test_a_contact_in_the_next_month_closes_the_request_its_file_repeats(
    three: dict[str, Any],
) -> None:
    events = three["2010-10"][2]
    asked = next(e for e in events if isinstance(e, tc.ContactMade)).customer_id
    row = next(r for r in _due(three["store"], "2010-10") if r[0] == asked)
    assert (row[1], row[4], row[7]) == ("cancellation_request", "done", date(2010, 10, 1))


def test_an_event_late_on_the_last_day_in_local_time_is_the_month_s(
    three: dict[str, Any],
) -> None:
    # 15:30 UTC on 30 November is 23:30 in Shanghai: the last day, not after the month
    # (16:30 UTC is the next day there, and refused: the bad rows below)
    _, _, events, _ = three["2010-11"]
    billed = next(e for e in events if isinstance(e, tc.BillIssued))
    row = next(r for r in _due(three["store"], "2010-11") if r[0] == billed.customer_id)
    assert row[1:3] == ("first_bill", date(2010, 11, 30))


def test_a_rerun_with_the_same_files_changes_nothing_and_another_events_file_is_refused(
    three: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = three["store"]
    base, _, events, path = three["2010-11"]
    con = duckdb.connect(str(store), read_only=True)
    before = store_module.table_rows(con)
    con.close()
    capsys.readouterr()
    assert _run(store, "2010-11", base, "--events", str(path)) == 0
    assert "already in the store: nothing changed" in capsys.readouterr().out
    other = _write(events[:-1], tmp_path / "other.csv")
    assert _run(store, "2010-11", base, "--events", str(other)) == 1
    assert "already in the store from another extract" in capsys.readouterr().err
    assert _run(store, "2010-11", base) == 1  # the events file left out: another input
    con = duckdb.connect(str(store), read_only=True)
    after = store_module.table_rows(con)
    con.close()
    assert after == before and len(after["due"]) > 9


def test_without_events_the_run_says_it_skipped_the_due_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, _ = _base("2010-11", tmp_path)
    store = tmp_path / "s.duckdb"
    assert _run(store, "2010-11", base, "--verbose", "--lang", "zh_CN") == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].endswith("due_actions（未提供--events文件）")
    assert "  due_actions  run.skipped.no_events  未提供--events文件" in captured.err
    assert _due(store, "2010-11") == []


BAD = {
    "an unknown event code": ({"event": "cancelation_requested"}, "event", "'cancelation_requested' is not one of"),
    "a field the kind needs": ({"event": "callback_attempt"}, "reached", "(empty) is empty: the row's event needs it"),
    "a field the kind lacks": ({"plan_fee": "100"}, "plan_fee", "'100' is not a field of the row's event"),
    "a naive timestamp": ({"at": "2010-11-20T10:00:00"}, "at", "'2010-11-20T10:00:00' is not a time written"),
    "a day not in the calendar": ({"at": "2010-11-31T10:00:00+08:00"}, "at", "'2010-11-31T10:00:00+08:00' is not a time written"),
    "an unknown customer": ({"customer_id": "nobody"}, "customer_id", "'nobody' is not a customer of the month's extract"),
    "after the month, in local time": ({"at": "2010-11-30T16:30:00Z"}, "at", "'2010-11-30T16:30:00Z' is after the month's last day 2010-11-30"),
    "a contact about nothing": ({"event": "contact_made"}, "moment", "(empty) is empty: a contact needs a moment or a project"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_row_is_named_and_nothing_is_written(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, cols = _base("2010-11", tmp_path)
    ids = [str(i) for i in cols["customer_id"]]
    rows = [_row(tc.CancellationRequested(i, _at(date(2010, 11, 20), 10))) for i in ids[:3]]
    change, column, why = BAD[case]
    rows[1] |= change
    path = tmp_path / "events.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    store = tmp_path / "s.duckdb"
    assert _run(store, "2010-11", base, "--events", str(path)) == 1
    err = capsys.readouterr().err
    assert f"{path}: 1 bad value(s); nothing was written" in err
    assert f"{path}: row 2, column {column}: {why}" in err
    assert not store.exists()


def test_a_parquet_events_file_with_aware_timestamps_is_read_as_the_csv(
    tmp_path: Path, three: dict[str, Any]
) -> None:
    base, _, events, _ = three["2010-11"]
    frame = pd.DataFrame([_row(e) for e in events])
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    for name in ("plan_fee", "amount"):
        frame[name] = pd.to_numeric(frame[name]).astype("Int64")
    frame["reached"] = frame["reached"].map({"true": True, "false": False}).astype("boolean")
    frame = frame.replace("", None)
    path = tmp_path / "events.parquet"
    frame.to_parquet(path)
    store = tmp_path / "s.duckdb"
    assert _run(store, "2010-11", base, "--events", str(path)) == 0
    assert _due(store, "2010-11") == _due(three["store"], "2010-11")


def test_the_schema_in_the_docs_is_the_file_and_the_sample_meets_it() -> None:
    schema = json.loads((DOCS / "run_events_schema.json").read_text())
    assert schema == side_schema("events")
    sample = pd.read_csv(DOCS / "run_events_sample.csv", dtype=str, keep_default_na=False)
    flags = {c.name for c in EVENT_COLUMNS if c.kind == "flag"}
    for row in sample.to_dict("records"):
        typed = {k: None if v == "" else v == "true" if k in flags else
                 int(v) if k in ("plan_fee", "amount", "used", "allowance", "month_spend") else v
                 for k, v in row.items()}  # fmt: skip
        jsonschema.validate(typed, schema, format_checker=jsonschema.FormatChecker())
    assert set(sample["event"]) >= {"cancellation_requested", "callback_attempt", "activated"}


def test_the_sample_runs_with_the_sample_extract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    path = DOCS / "run_events_sample.csv"
    assert _run(store, "2010-11", DOCS / "run_sample.csv", "--events", str(path)) == 0
    out = capsys.readouterr().out
    assert "due_actions" not in out.splitlines()[0]
    assert {r[1] for r in _due(store, "2010-11")} >= {
        "cancellation_request",
        "new_subscriber_callback",
    }


def test_every_explanation_the_events_reader_gives_has_a_chinese_text() -> None:
    from telcare.cli._extract import bad_when
    from telcare.cli._run_events import AT_WHY
    from telcare.cli._run_text import why_text

    whys = {bad_when(c, tc.Policy())[1] for c in EVENT_COLUMNS} - {""}
    whys |= {AT_WHY, "is empty: the row's event needs it", "is empty: a contact needs a moment "
             "or a project", "is not a field of the row's event: leave it empty",
             "is not a column of the events file (see docs/run.md)"}  # fmt: skip
    untranslated = [w for w in whys if why_text(w, "zh_CN") == w or "the " in why_text(w, "zh_CN")]
    assert untranslated == [] and len(whys) > 8
