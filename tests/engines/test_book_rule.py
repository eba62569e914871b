"""The points book as a registered whole-base rule (issue #29 item 3): its columns round
trip through a data frame, and ``book_balances`` / ``book_totals`` give the book's own
answers in one process, on pandas and Polars, and on Dask over uneven partitions (an
empty one among them), exactly."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

import telcare as tc
import telcare.frames as tf

AS_OF = date(2011, 11, 1)
DAYS = (AS_OF, date(2011, 11, 30), date(2011, 12, 1), date(2012, 12, 1))


def make_book(n: int, seed: int = 29, *, policy: tc.Policy | None = None) -> tc.PointsBook:
    """Two years of postings, a redemption, a reversal and a closed lot: four lots seen,
    three open, every running total non-zero."""
    r = np.random.default_rng(seed)
    book = tc.PointsBook.empty(np.arange(n) * 7 + 1, policy=policy)
    for month in (1, 6, 11):
        book = book.post(date(2009, month, 28), r.integers(0, 500, n))
    last = r.integers(0, 500, n)
    for month in (1, 6, 11):
        book = book.post(date(2010, month, 28), last)
    day = date(2010, 11, 29)
    book = book.redeem(day, np.minimum(r.integers(0, 900, n), book.spendable(day)))
    book = book.reverse(
        date(2010, 11, 30), np.minimum(r.integers(0, 60, n), last), date(2010, 11, 28)
    )
    book = book.expire(date(2010, 12, 1))
    return book.post(date(2010, 12, 28), r.integers(0, 500, n), source="bonus")


BOOK = make_book(60)


def _last(book: tc.PointsBook) -> date:
    return date.fromisoformat(book.to_dict()["last_posting"])


def test_a_book_round_trips_through_a_pandas_and_a_polars_frame() -> None:
    columns = tc.book_to_columns(BOOK)
    assert [c for c in columns if c.startswith("lot_")] == ["lot_2011_11_30", "lot_2012_11_30"]
    for frame in (
        pd.DataFrame(columns),
        pl.DataFrame({k: np.asarray(v) for k, v in columns.items()}),
    ):
        back = tc.book_from_columns(frame, last_posting=_last(BOOK), issued=BOOK.issued)
        assert back.to_dict() == BOOK.to_dict()
        for day in DAYS:
            assert back.summary(day) == BOOK.summary(day)
            assert back.liability(day) == BOOK.liability(day)
        # the book read back goes on as the book itself does (a reversal needs the reversible lot)
        again = (BOOK, back)
        ops = [b.reverse(date(2011, 1, 5), np.minimum(1, b.balance(date(2011, 1, 5))), date(2010, 11, 28))
               for b in again]  # fmt: skip
        assert ops[0].summary(AS_OF) == ops[1].summary(AS_OF)


def test_a_book_read_back_from_its_columns_equals_it_when_nothing_was_closed() -> None:
    book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [120, 30])
    book = book.reverse(date(2010, 2, 1), [20, 0], date(2010, 1, 31))
    back = tc.book_from_columns(tc.book_to_columns(book), last_posting=date(2010, 2, 1),
                                issued=book.issued)  # fmt: skip
    assert back == book


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"lot_2011_11_30": None}, "lot_2011_11_30"),
        ({"lot_2011_11_30": "x"}, "lot_2011_11_30"),
        ({"lot_2011_11_30": -1}, "lot_2011_11_30"),
        ({"redeemed": 0.5}, "redeemed"),
        ({"lot_2011_02_30": 1}, "lot_2011_02_30"),
        ({"lot_2011_10_31": 1}, "lot_2011_10_31"),
        ({"lot_2011": 1}, "lot_2011"),
        ({"reversible_2013_11_30": 1}, "reversible_2013_11_30"),
        ({"ids": None}, "ids"),
        ({"ids": 1}, "ids"),
        ({"debt": 5}, "debt"),
    ],
)
def test_bad_columns_are_refused_by_name(change: dict[str, Any], named: str) -> None:
    frame = pd.DataFrame(tc.book_to_columns(BOOK))
    for name, value in change.items():
        frame[name] = (frame[name] if name in frame else frame["earned"]).astype(object)
        frame.loc[3, name] = value
    with pytest.raises(tc.InvalidInput, match=named):
        tc.book_from_columns(frame)
    with pytest.raises(tc.InvalidInput, match=named):
        tf.book_totals(frame, as_of=AS_OF)


def test_a_frame_without_ids_and_a_bad_issued_are_refused() -> None:
    with pytest.raises(tc.InvalidInput, match="needs an 'ids' column"):
        tc.book_from_columns({"lot_2011_11_30": [1]})
    with pytest.raises(tc.InvalidInput, match=r"source .promo."):
        tc.book_from_columns({"ids": ["a"]}, issued={"promo": 3})
    with pytest.raises(tc.InvalidInput, match="unexpected column 'lots'"):
        tc.book_balances(["a"], as_of=AS_OF, lots=[1])
    with pytest.raises(tc.InvalidInput, match="mapping of columns or a data frame"):
        tc.book_from_columns([1, 2])


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("library", ["numpy", "pandas", "polars"])
def test_the_rules_give_the_books_own_answers(day: date, library: str) -> None:
    columns = tc.book_to_columns(BOOK)
    if library == "numpy":
        got = tc.book_balances(**columns, as_of=day, within_days=45)
        balances = {
            n: getattr(got, n).tolist() for n in ("balance", "spendable", "expiring", "expired")
        }
        totals = tc.book_totals(**columns, as_of=day)
    else:
        frame = pd.DataFrame(columns) if library == "pandas" else pl.DataFrame(dict(columns))
        out = tf.book_balances(frame, as_of=day, within_days=45)
        balances = {n: list(out[n]) for n in ("balance", "spendable", "expiring", "expired")}
        totals = tf.book_totals(frame, as_of=day)
    assert balances == {"balance": BOOK.balance(day).tolist(), "spendable": BOOK.spendable(day).tolist(),
                        "expiring": BOOK.expiring(day, 45).tolist(), "expired": BOOK.expired(day).tolist()}  # fmt: skip
    assert totals.summary == BOOK.summary(day) and totals.liability == BOOK.liability(day)
    assert totals.customers == len(BOOK) and totals.summary.balanced
    json.dumps(totals.to_dict())
    assert all(type(v) is int for k, v in totals.to_dict().items() if k != "as_of")


def test_a_debt_is_read_under_allow_negative() -> None:
    policy = tc.Policy.model_validate({"points": {"reversal": "allow_negative"}})
    book = tc.PointsBook.empty(["a", "b"], policy=policy).post(date(2010, 1, 31), [100, 50])
    book = book.redeem(date(2010, 2, 1), [80, 0]).reverse(
        date(2010, 2, 2), [100, 0], date(2010, 1, 31)
    )
    columns = tc.book_to_columns(book)
    assert columns["debt"].tolist() == [80, 0]
    day = date(2010, 3, 1)
    got = tc.book_balances(**columns, as_of=day, policy=policy)
    assert got.balance.tolist() == book.balance(day).tolist() == [-80, 50]
    assert got.spendable.tolist() == [0, 50]
    assert tc.book_totals(**columns, as_of=day, policy=policy).summary == book.summary(day)


def _uneven(frame: pd.DataFrame, dd: Any) -> Any:
    """Four partitions of 0, 1, 23 and the rest of the rows."""
    parts = [frame.iloc[:0], frame.iloc[:1], frame.iloc[1:24], frame.iloc[24:]]
    return dd.from_delayed([dd.from_pandas(p, npartitions=1).to_delayed()[0] for p in parts],
                           meta=frame.iloc[:0], verify_meta=False)  # fmt: skip


@pytest.mark.parametrize("day", DAYS)
def test_dask_over_uneven_partitions_gives_the_one_process_answer_exactly(day: date) -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    from telcare import on_dask

    frame = pd.DataFrame(tc.book_to_columns(BOOK))
    with dask.config.set(scheduler="sync"):
        ddf = _uneven(frame, dd)
        assert [len(p) for p in ddf.partitions] == [0, 1, 23, 36]
        totals = on_dask.book_totals(ddf, as_of=day)
        out = on_dask.book_balances(ddf, as_of=day, within_days=45).compute()
    assert totals == tf.book_totals(frame, as_of=day)
    assert totals.summary == BOOK.summary(day) and totals.liability == BOOK.liability(day)
    expected = tf.book_balances(frame, as_of=day, within_days=45)
    pd.testing.assert_frame_equal(out, expected)


def test_dask_refuses_a_bad_partition_by_name_and_partition() -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    from telcare import on_dask

    frame = pd.DataFrame(tc.book_to_columns(BOOK)).astype({"redeemed": float})
    frame.loc[30, "redeemed"] = np.nan
    with (
        dask.config.set(scheduler="sync"),
        pytest.raises(tc.InvalidInput, match=r"partition 1.*redeemed"),
    ):
        on_dask.book_totals(dd.from_pandas(frame, npartitions=2), as_of=AS_OF)
    with pytest.raises(tc.InvalidInput, match="no column 'ids'"):
        on_dask.book_totals(dd.from_pandas(frame.drop(columns="ids"), npartitions=2), as_of=AS_OF)
