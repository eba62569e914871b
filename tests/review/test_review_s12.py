"""Session 12 hostile review: the defects it reproduced (each an xfail(strict) test until it
was fixed, now a regression test)."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.cli._helpers import SAMPLE, run_base

from telcare import scan_moments
from telcare.cli._run_schema import COLUMNS
from telcare.policy import Policy, as_policy


# Was: with birthday_days_before=0 the birthday's opened_on and due_by are one read-only array;
# pickling keeps them one object but drops the read-only flag, so writing an unpickled opened_on
# silently changes its due_by
def test_unpickled_scan_keeps_opened_on_and_due_by_apart() -> None:
    settings = as_policy(None).model_dump()
    settings["moments"]["birthday_days_before"] = 0
    policy = Policy.model_validate(settings)
    birthday = np.array(["1980-10-04", "1970-10-05"], dtype="datetime64[D]")
    scan = scan_moments(date(2010, 10, 4), policy=policy, birthday=birthday)
    back = pickle.loads(pickle.dumps(scan))
    (key,) = list(back.opened_on)
    due_by = back.due_by[key].copy()
    opened = back.opened_on[key]
    if opened.flags.writeable:  # a writeable column must be the scan's own
        opened[0] = np.datetime64("2000-01-01", "D")
    assert back.due_by[key].tolist() == due_by.tolist()


def _typed_sample() -> Any:
    """docs/run_sample.csv as a table of its columns' own Arrow types."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    kinds = {c.name: c.kind for c in COLUMNS}
    own = {"int": pa.int64(), "date": pa.date32(), "flag": pa.bool_(), "share": pa.float64()}
    names = pcsv.read_csv(SAMPLE).schema.names
    types = {n: own.get(kinds[n], pa.string()) for n in names}
    options = pcsv.ConvertOptions(column_types=types, strings_can_be_null=False)
    return pcsv.read_csv(SAMPLE, convert_options=options)


# Was: a Parquet date32 outside Python's dates (year < 1 or > 9999) escapes the Arrow reading's
# bounds check as a bare OverflowError from as_py(), not a refusal naming the column
@pytest.mark.parametrize("days", [-800_000, 3_000_000])
def test_parquet_date_outside_python_dates_is_refused_by_name(
    tmp_path: Path, days: int, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = _typed_sample()
    at = table.schema.get_field_index("birthday")
    values = pa.array([days] + [None] * (table.num_rows - 1), pa.int32()).cast(pa.date32())
    pq.write_table(table.set_column(at, "birthday", values), tmp_path / "m.parquet")
    assert run_base(tmp_path / "s.duckdb", "2010-10", tmp_path / "m.parquet") == 1
    assert "birthday" in capsys.readouterr().err
    assert not (tmp_path / "s.duckdb").exists()


# Was: MomentScan.counts() keys its statuses by numpy.str_ (from a numpy array of names), not
# plain str: a numpy scalar in a result (issue #28)
def test_scan_counts_are_keyed_by_plain_strings() -> None:
    scan = scan_moments(date(2010, 10, 4), contract_ends_on=["2010-11-10", "2011-06-30"])
    keys = [k for counts in scan.counts().values() for k in counts]
    assert keys and all(type(k) is str for k in keys)
