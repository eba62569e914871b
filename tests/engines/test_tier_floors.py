"""A manager's floor in the tier rule's frames and Dask forms (#29 item 6): the optional
``floor`` and ``floor_until`` columns, ``as_of``, and ``one_down`` from the policy give
the numpy form's answers on uneven partitions, an aware timestamp is read as its day in
the policy's time zone, and a floored row without a last day is refused by name and row
in every form."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import telcare as tc
import telcare.frames as tf

dd = pytest.importorskip("dask.dataframe", reason="telcare[dask] is not installed")
import dask  # noqa: E402

from telcare import on_dask  # noqa: E402

N = 40
AS_OF = date(2026, 12, 31)
R = np.random.default_rng(29)
ONE_DOWN = tc.Policy.model_validate({"tiers": {"downgrade": "one_down"}})
#: 17:00 UTC on the 30th is 01:00 on the 31st in Shanghai: the floor holds on AS_OF
#: there, while its UTC day (the 30th) would have ended it.
AWARE = datetime(2026, 12, 30, 17, tzinfo=UTC)


def _columns() -> dict[str, Any]:
    floor = R.choice([0, 0, 1, 2, 3, 4], N)
    until = R.choice([date(2026, 12, 30), AS_OF, date(2027, 6, 30)], N).astype(object)
    until[floor == 0] = None  # no floor: no last day
    return {"avg_spend": R.integers(0, 120_000, N), "months": R.integers(0, 13, N),
            "current": R.integers(0, 5, N), "missed": R.integers(0, 3, N), "floor": floor,
            "floor_until": until}  # fmt: skip


COLUMNS = _columns()


def _uneven(frame: pd.DataFrame) -> Any:
    """A Dask frame of partitions of 0, 3, 1 and 36 rows."""
    cuts = [(0, 0), (0, 3), (3, 4), (4, N)]
    return dd.concat([dd.from_pandas(frame.iloc[a:b], npartitions=1, sort=False) for a, b in cuts])


def _answer(batch: tc.TierBatch) -> dict[str, list[Any]]:
    return {"tier": batch.tier_codes().tolist(), "missed": batch.missed.tolist(),
            "changed": batch.changed.tolist(),
            "qualified": np.asarray(batch.codes)[batch.qualified].tolist()}  # fmt: skip


def _from_frame(out: Any) -> dict[str, list[Any]]:
    if isinstance(out, pa.Table):
        out = out.to_pandas()
    return {c: [v if isinstance(v, bool | int) else str(v) for v in list(out[c])]
            for c in ("tier", "missed", "changed", "qualified")}  # fmt: skip


@pytest.mark.parametrize("policy", [None, ONE_DOWN], ids=["to_qualifying", "one_down"])
def test_frames_and_dask_on_uneven_partitions_give_the_numpy_answer(policy: Any) -> None:
    expected = _answer(tc.evaluate_tiers(**COLUMNS, as_of=AS_OF, policy=policy))
    held = tc.evaluate_tiers(**{**COLUMNS, "floor": np.zeros(N, int)}, as_of=AS_OF, policy=policy)
    assert expected != _answer(held)  # the floors change some answers: the test can tell
    frame = pd.DataFrame(COLUMNS, index=np.arange(N) * 7)
    with dask.config.set({"scheduler": "sync", "dataframe.convert-string": False}):
        out = on_dask.evaluate_tiers(_uneven(frame), as_of=AS_OF, policy=policy).compute()
    assert out.index.tolist() == frame.index.tolist()
    assert _from_frame(out) == expected
    assert _from_frame(tf.evaluate_tiers(frame, as_of=AS_OF, policy=policy)) == expected


def test_a_floor_column_may_be_named_by_keyword_and_hold_tier_codes() -> None:
    codes = np.asarray(tc.default_policy().tiers.codes)[COLUMNS["floor"]]
    frame = pd.DataFrame({**COLUMNS, "floor": codes}).rename(columns={"floor_until": "kept_to"})
    expected = _answer(tc.evaluate_tiers(**COLUMNS, as_of=AS_OF))
    assert _from_frame(tf.evaluate_tiers(frame, floor_until="kept_to", as_of=AS_OF)) == expected


def test_an_aware_timestamp_is_read_as_its_day_in_the_policy_time_zone_in_every_library() -> None:
    cols = {"avg_spend": [5_000, 5_000], "months": [12, 12], "current": [3, 3], "missed": [1, 1],
            "floor": [3, 3], "floor_until": [AWARE, AWARE]}  # fmt: skip
    numpy = tc.evaluate_tiers(**cols, as_of=AS_OF)
    assert numpy.tier_codes().tolist() == ["gold", "gold"]  # held: the 31st in Shanghai
    aware = pd.DataFrame(cols).assign(floor_until=pd.to_datetime([AWARE, AWARE], utc=True))
    frames = [aware, pl.DataFrame(cols), pa.table(cols)]
    for frame in frames:
        assert _from_frame(tf.evaluate_tiers(frame, as_of=AS_OF)) == _answer(numpy), type(frame)
    with dask.config.set({"scheduler": "sync"}):
        out = on_dask.evaluate_tiers(dd.from_pandas(aware, npartitions=2), as_of=AS_OF)
        assert _from_frame(out.compute()) == _answer(numpy)


def test_a_floored_row_without_a_last_day_is_refused_by_name_and_row_in_every_form() -> None:
    cols = {**COLUMNS, "floor_until": COLUMNS["floor_until"].copy()}
    row = int(np.flatnonzero(cols["floor"] > 0)[-1])  # in the last partition of _uneven
    cols["floor_until"][row] = None
    where = f"floor_until is missing at index {row}, where floor is"
    with pytest.raises(tc.InvalidInput, match=where):
        tc.evaluate_tiers(**cols, as_of=AS_OF)
    frame = pd.DataFrame(cols)
    for make in (pd.DataFrame, pl.DataFrame, pa.table):
        with pytest.raises(tc.InvalidInput, match=where):
            tf.evaluate_tiers(make(cols), as_of=AS_OF)
    local = f"partition 3: floor_until is missing at index {row - 4}, where floor is"
    with (
        dask.config.set({"scheduler": "sync", "dataframe.convert-string": False}),
        pytest.raises(tc.InvalidInput, match=local),
    ):
        on_dask.evaluate_tiers(_uneven(frame), as_of=AS_OF).compute()


def test_missing_days_where_there_is_no_floor_are_read_as_none_in_every_missing_form() -> None:
    """NaN, None, NaT and pandas NA in floor_until where floor is 0: no floor."""
    expected = _answer(tc.evaluate_tiers(**COLUMNS, as_of=AS_OF))
    none = COLUMNS["floor"] == 0
    for gap in (np.nan, None, pd.NaT, pd.NA):
        until = COLUMNS["floor_until"].copy()
        until[none] = gap
        frame = pd.DataFrame({**COLUMNS, "floor_until": until})
        assert _from_frame(tf.evaluate_tiers(frame, as_of=AS_OF)) == expected, gap
    typed = pd.DataFrame(COLUMNS).assign(floor_until=pd.to_datetime(COLUMNS["floor_until"]))
    assert typed["floor_until"].dtype.kind == "M"
    assert _from_frame(tf.evaluate_tiers(typed, as_of=AS_OF)) == expected


def test_a_missing_floor_or_as_of_is_refused_by_name() -> None:
    frame = pd.DataFrame(COLUMNS).assign(floor=pd.Series(COLUMNS["floor"]).astype("Int64"))
    frame.loc[5, "floor"] = pd.NA
    with pytest.raises(tc.InvalidInput, match=r"column 'floor' is missing a value at row 5"):
        tf.evaluate_tiers(frame, as_of=AS_OF)
    with pytest.raises(tc.InvalidInput, match=r"needs as_of="):
        tf.evaluate_tiers(pd.DataFrame(COLUMNS))
    with pytest.raises(tc.InvalidInput, match=r"got floor without floor_until"):
        tf.evaluate_tiers(pd.DataFrame(COLUMNS).drop(columns="floor_until"), as_of=AS_OF)
