"""``telcare run --actions FILE --managers FILE`` (issue #31 item 3): the action-log
reports, retention service, the service list and the watch list written for each month
into one DuckDB file, their figures those of the operations functions on the same
inputs in memory; a rerun changes nothing; a bad row of any file is named and nothing
is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import numpy as np
import pandas as pd
import pytest
from tests.cli._helpers import run_base as _run, tables as _tables

import telcare as tc
from telcare.cli._run_actions import last_week
from telcare.cli._run_read import arrow_table
from telcare.cli._run_reports import long_rows
from telcare.cli._run_side_schema import MOMENT_CODES, side_schema
from telcare.cli._synthetic_run import synthetic_extract

DOCS = Path(__file__).parents[2] / "docs"
MONTHS = ("2010-09", "2010-10", "2010-11")
N = 400
MANAGERS = {"li": "north", "wang": "north", "zhao": "south"}


def _base(month: str, folder: Path) -> tuple[Path, dict[str, Any]]:
    """The synthetic extract of ``month`` as a Parquet file, managers by row, no teams."""
    cols = synthetic_extract(N, month, seed=5)
    n = len(cols["customer_id"])
    names = np.array([*MANAGERS, ""], dtype=object)
    cols["manager"] = names[np.arange(n) % len(names)]
    cols["team"] = np.full(n, "", dtype=object)
    import pyarrow.parquet as pq

    path = folder / f"base-{month}.parquet"
    pq.write_table(arrow_table(cols), path)
    return path, cols


def _actions(month: str, ids: Any, folder: Path) -> tuple[Path, pd.DataFrame]:
    """A month's action log as CSV: opened in the month (or the week before), some closed."""
    period = tc.Period.parse(month)
    rng = np.random.default_rng(int(month.replace("-", "")))
    k = 3 * len(ids)
    start = np.datetime64(period.start, "D") - np.timedelta64(7, "D")
    span = int((np.datetime64(period.end, "D") - start).astype(int)) + 1
    opened = start + rng.integers(0, span, k).astype("timedelta64[D]")
    due = opened + rng.integers(0, 8, k).astype("timedelta64[D]")
    closed = opened + rng.integers(0, 10, k).astype("timedelta64[D]")
    closed = np.where((closed <= np.datetime64(period.end, "D")) & (rng.random(k) < 0.8), closed,
                      np.datetime64("NaT", "D"))  # fmt: skip
    moments = np.asarray(MOMENT_CODES, dtype=object)[rng.integers(0, len(MOMENT_CODES), k)]
    outcome = np.asarray(["retained", "lost", "genuine", "reached", ""], dtype=object)[
        rng.integers(0, 5, k)
    ]
    frame = pd.DataFrame({
        "customer_id": np.asarray(ids, dtype=object)[rng.integers(0, len(ids), k)],
        "moment": moments, "opened_on": pd.to_datetime(opened).strftime("%Y-%m-%d"),
        "due_by": pd.to_datetime(due).strftime("%Y-%m-%d"),
        "closed_on": pd.Series(pd.to_datetime(closed)).dt.strftime("%Y-%m-%d").fillna(""),
        "outcome": np.where(np.isnat(closed), "", outcome),
        "compliant": np.where(rng.random(k) < 0.9, "true", "false"),
    })  # fmt: skip
    path = folder / f"actions-{month}.csv"
    frame.to_csv(path, index=False)
    return path, frame


def _managers(folder: Path) -> Path:
    path = folder / "managers.csv"
    pd.DataFrame({"manager": list(MANAGERS), "team": list(MANAGERS.values())}).to_csv(
        path, index=False
    )
    return path


def _stored(store: Path, month: str, report: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute('SELECT level, "group", measure, value FROM reports WHERE month = ? '
                           "AND report = ? ORDER BY ALL", [month, report]).fetchall()  # fmt: skip
    finally:
        con.close()


def _long(report: str, built: Any) -> list[tuple[Any, ...]]:
    cols = long_rows(report, built.to_frame())
    rows = zip(cols["level"], cols["group"], cols["measure"], cols["value"], strict=True)
    return sorted((lv, g, m, None if v != v else float(v)) for lv, g, m, v in rows)


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three months with their action logs and the managers' file run into one store."""
    folder = tmp_path_factory.mktemp("months")
    store = folder / "operator.duckdb"
    managers = _managers(folder)
    months: dict[str, Any] = {"store": store, "managers": managers}
    for month in MONTHS:
        base, cols = _base(month, folder)
        actions, frame = _actions(month, cols["customer_id"], folder)
        assert _run(store, month, base, "--actions", str(actions), "--managers", str(managers)) == 0
        months[month] = (base, cols, actions, frame)
    return months


def _book(cols: dict[str, Any]) -> tc.ManagerBook:
    teams = np.asarray([MANAGERS.get(m, "") for m in cols["manager"]], dtype=object)
    return tc.manager_book(np.arange(len(cols["customer_id"])), cols["manager"], team=teams)


def _log(cols: dict[str, Any], frame: pd.DataFrame) -> tc.ActionLog:
    row = pd.Index(cols["customer_id"]).get_indexer(frame["customer_id"].astype(str))
    closed = [None if d == "" or d != d else d for d in frame["closed_on"]]
    outcome = ["" if o != o else o for o in frame["outcome"]]
    return tc.action_log(row, frame["moment"].tolist(), frame["opened_on"].tolist(),
                         frame["due_by"].tolist(), closed_on=closed, outcome=outcome,
                         compliant=(frame["compliant"] == "true").tolist())  # fmt: skip


@pytest.mark.parametrize("month", MONTHS)
def test_the_action_log_reports_are_those_of_the_operations_functions(
    three: dict[str, Any], month: str
) -> None:
    _, cols, _, frame = three[month]
    book, log = _book(cols), _log(cols, frame)
    period = tc.Period.parse(month)
    week = last_week(period)
    expected = {
        "execution_report": tc.execution_report(log, book, period),
        "retention_indicators": tc.retention_indicators(log, book, week),
        "callback_report": tc.callback_report(log, book, week),
    }
    for name, report in expected.items():
        stored = _stored(three["store"], month, name)
        assert stored == _long(name, report) and len(stored) > 30
    # the managers' file gave the teams: the bulletin has the team rows
    teams = {g for lv, g, _, _ in _stored(three["store"], month, "credit_bulletin") if lv == "team"}
    assert teams == {"north", "south", "(none)"}


def test_retention_service_reads_who_stayed_from_the_stores_months(three: dict[str, Any]) -> None:
    cols = three["2010-11"][1]
    ids = pd.Index(cols["customer_id"])
    active = np.zeros((len(ids), len(MONTHS)), dtype=bool)
    for j, month in enumerate(MONTHS):
        other = three[month][1]
        open_ = np.asarray(other["status"]) != "closed"
        rows = ids.get_indexer(np.asarray(other["customer_id"])[open_])
        active[rows[rows >= 0], j] = True
    expected = tc.retention_service(active, list(MONTHS), _book(cols), "2010-11")
    stored = _stored(three["store"], "2010-11", "retention_service")
    assert stored == _long("retention_service", expected)
    assert expected.count("base") > 0 and expected.count("retained") > 0


def test_the_service_list_waits_from_the_first_month_the_store_held_the_entitlement(
    three: dict[str, Any],
) -> None:
    con = duckdb.connect(str(three["store"]), read_only=True)
    try:
        first = dict(con.execute(
            "SELECT customer_id, min(r.expire_on) FROM customers JOIN runs r USING (month) "
            "WHERE benefit_service_manager GROUP BY 1").fetchall())  # fmt: skip
        month = {i: (t, s) for i, t, s in con.execute(
            "SELECT customer_id, tier, segment FROM customers WHERE month = '2010-11'").fetchall()}  # fmt: skip
        listed = con.execute("SELECT customer_id, manager, status, eligible_since, due_by FROM "
                             "service WHERE month = '2010-11' ORDER BY ALL").fetchall()  # fmt: skip
    finally:
        con.close()
    cols = three["2010-11"][1]
    ids = list(cols["customer_id"])
    expected = tc.service_list(
        _book(cols), [month[i][0] for i in ids], [month[i][1] for i in ids], cols["plan_fee"],
        cols["verification"].tolist(), cols["status"].tolist(),
        eligible_since=[first.get(i) for i in ids], as_of=tc.Period.parse("2010-12").start,
    )  # fmt: skip
    status = np.select([expected.on_book, expected.overdue, expected.waiting],
                       ["on_book", "overdue", "waiting"], "withdraw")  # fmt: skip
    keep = expected.on_book | expected.waiting | expected.withdraw
    want = sorted(
        (ids[r], cols["manager"][r], str(status[r]),
         expected.waiting_since[r].item() if expected.eligible[r] else None,
         expected.due_by[r].item() if expected.waiting[r] else None)
        for r in np.flatnonzero(keep)
    )  # fmt: skip
    assert listed == want and {s for _, _, s, _, _ in listed} >= {"on_book", "overdue"}
    # a customer entitled since the first month waits from that month's evaluation day
    assert min(d for _, _, _, d, _ in listed if d is not None) == tc.Period.parse("2010-10").start


def test_a_rerun_of_the_same_month_with_the_same_files_changes_nothing(
    three: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tables(three["store"])
    base, _, actions, _ = three["2010-11"]
    extra = ("--actions", str(actions), "--managers", str(three["managers"]))
    assert _run(three["store"], "2010-11", base, *extra) == 0
    assert "already in the store: nothing changed" in capsys.readouterr().out
    assert _tables(three["store"]) == before
    # the same extract with another action log is another month: refused, nothing changed
    other = three["2010-10"][2]
    assert _run(three["store"], "2010-11", base, "--actions", str(other)) == 1
    assert "already in the store from another extract" in capsys.readouterr().err
    assert _tables(three["store"]) == before


BAD_ACTIONS = [
    ("customer_id", "nobody", "is not a customer of the month's extract"),
    ("moment", "teatime", "is not one of ["),
    ("opened_on", "2010-12-01", "is after the month's last day 2010-11-30"),
    ("due_by", "2010-10-01", "is before the row's opened_on"),
    ("closed_on", "2010-13-01", "is not a date written YYYY-MM-DD"),
    ("compliant", "maybe", "is not true, false, 1 or 0"),
]


@pytest.mark.parametrize(("column", "value", "why"), BAD_ACTIONS)
def test_a_bad_action_is_named_and_nothing_is_written(
    three: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    column: str, value: str, why: str,
) -> None:  # fmt: skip
    base, _, _, frame = three["2010-11"]
    bad = frame.copy()
    bad.loc[2, column] = value
    path = tmp_path / "actions.csv"
    bad.to_csv(path, index=False)
    store = tmp_path / "s.duckdb"
    assert _run(store, "2010-11", base, "--actions", str(path)) == 1
    err = capsys.readouterr().err
    assert f"{path}: row 3, column {column}: {value!r} {why}" in err
    assert "nothing was written" in err and not store.exists()


def test_a_bad_manager_row_is_named_and_the_store_is_left_as_it_was(
    three: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    first, *_ = three["2010-09"]
    assert _run(store, "2010-09", first) == 0
    before = _tables(store)
    path = tmp_path / "managers.csv"
    path.write_text("manager,team,region\nli,north,x\n", encoding="utf-8")
    assert _run(store, "2010-10", three["2010-10"][0], "--managers", str(path)) == 1
    assert "column region: (empty) is not a column of the managers' file" in capsys.readouterr().err
    path.write_text("manager,team\nli,north\nli,south\n(none),east\n", encoding="utf-8")
    assert _run(store, "2010-10", three["2010-10"][0], "--managers", str(path)) == 1
    err = capsys.readouterr().err
    assert f"{path}: row 2, column manager: 'li' repeats a manager of an earlier row" in err
    assert f"{path}: row 3, column manager: '(none)' is the reports' row of no one" in err
    assert _tables(store) == before


def test_refusals_print_in_chinese_under_lang_and_in_english_without(
    three: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, _, _, frame = three["2010-11"]
    bad = frame.copy()
    bad.loc[0, ["opened_on", "due_by", "closed_on"]] = ["2010-12-05", "2010-12-05", ""]
    path = tmp_path / "actions.csv"
    bad.to_csv(path, index=False)
    store = tmp_path / "s.duckdb"
    assert _run(store, "2010-11", base, "--actions", str(path)) == 1
    english = capsys.readouterr().err
    assert _run(store, "2010-11", base, "--actions", str(path), "--lang", "zh_CN") == 1
    chinese = capsys.readouterr().err
    assert f"{path}: 1 bad value(s); nothing was written" in english
    assert f"{path}: row 1, column opened_on: '2010-12-05' is after the month's last day" in english
    assert f"{path}：1个错误值；未写入任何内容" in chinese
    assert f"{path}：第1行，列opened_on：'2010-12-05'晚于本月最后一天2010-11-30" in chinese
    assert not store.exists()


def test_every_explanation_a_reader_gives_has_a_chinese_text() -> None:
    from telcare.cli._extract import bad_when
    from telcare.cli._run_schema import COLUMNS
    from telcare.cli._run_side_schema import ACTION_COLUMNS
    from telcare.cli._run_text import why_text

    whys = {bad_when(c, tc.Policy())[1] for c in (*COLUMNS, *ACTION_COLUMNS)} - {""}
    whys |= {"is empty: the column is required", "is missing: the column is required",
             "the file has no rows", "repeats an id of an earlier row", "is more than the row's bill",
             "repeats an id of an earlier row or partition", "is after the month's last day 2010-11-30",
             "is not a customer of the month's extract", "is before the row's opened_on",
             "repeats a manager of an earlier row", "is the reports' row of no one, not a name",
             *(f"is not a column of {w} (see docs/run.md)"
               for w in ("the extract", "the action log", "the managers' file"))}  # fmt: skip
    untranslated = [w for w in whys if why_text(w, "zh_CN") == w or "the " in why_text(w, "zh_CN")]
    assert untranslated == [] and len(whys) > 15


def test_the_watch_list_flags_shared_identities_from_the_extract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = pd.read_csv(DOCS / "run_sample.csv", dtype=str, keep_default_na=False)
    sample["id_number"] = ["X1"] * 3 + [f"Y{i}" for i in range(len(sample) - 3)]
    sample["operator"] = "op7"
    path = tmp_path / "base.csv"
    sample.to_csv(path, index=False)
    store = tmp_path / "s.duckdb"
    assert _run(store, "2010-11", path) == 0
    assert "no identity columns" not in capsys.readouterr().out.splitlines()[0]
    con = duckdb.connect(str(store), read_only=True)
    try:
        watched = con.execute("SELECT customer_id, operator FROM watch ORDER BY 1").fetchall()
    finally:
        con.close()
    assert watched == sorted((i, "op7") for i in sample["customer_id"][:3])


@pytest.mark.parametrize("name", ["actions", "managers"])
def test_the_schemas_in_the_docs_are_the_files_and_the_samples_meet_them(name: str) -> None:
    schema = json.loads((DOCS / f"run_{name}_schema.json").read_text())
    assert schema == side_schema(name)
    sample = pd.read_csv(DOCS / f"run_{name}_sample.csv", dtype=str, keep_default_na=False)
    assert len(sample) >= 2
    for row in sample.to_dict("records"):
        typed = {k: (None if v == "" and k not in schema["required"] else
                     v == "true" if k == "compliant" else v) for k, v in row.items()}  # fmt: skip
        jsonschema.validate(typed, schema, format_checker=jsonschema.FormatChecker())


def test_the_samples_run_with_the_sample_extract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    extra = ("--actions", str(DOCS / "run_actions_sample.csv"),
             "--managers", str(DOCS / "run_managers_sample.csv"))  # fmt: skip
    assert _run(store, "2010-11", DOCS / "run_sample.csv", *extra) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.endswith(
        "; not written: watch_list (no identity columns), due_actions (no --events file)"
    )
    assert _stored(store, "2010-11", "execution_report")[0][:3] == ("manager", "(none)", "due")
