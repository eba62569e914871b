"""What a month of ``telcare run`` starts from: each customer's latest month in the
store, even when the customer was absent from the month before (docs/run.md)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tests.cli._helpers import sample_rows as _rows, write_rows as _write

from telcare._core.errors import InvalidInput
from telcare.cli._run import run_month_into
from telcare.cli._store import connect, keys_of, last_state
from telcare.policy import Policy

FIRST = "13800000007"  # the sample's first row


def _three_months(tmp_path: Path, october: dict[str, str], december: dict[str, str]) -> Path:
    """October with ``october`` as the first row, November without it, December with
    ``december``; the store."""
    rows = _rows()
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-10", base=_write(tmp_path / "a.csv", [october, *rows[1:]]))
    run_month_into(str(store), "2010-11", base=_write(tmp_path / "b.csv", rows[1:]))
    run_month_into(str(store), "2010-12", base=_write(tmp_path / "c.csv", [december, *rows[1:]]))
    return store


def test_an_absent_month_neither_counts_a_miss_nor_resets_the_grace(tmp_path: Path) -> None:
    rows = _rows()
    silver = {**rows[0], "tier": "gold", "avg_spend": "35000", "status": "active"}
    store = _three_months(tmp_path, silver, {**silver, "tier": ""})
    con = duckdb.connect(str(store), read_only=True)
    try:
        got = con.execute("SELECT month, tier_held, tier, missed FROM customers WHERE "
                          f"customer_id = '{FIRST}' ORDER BY month").fetchall()  # fmt: skip
    finally:
        con.close()
    # October misses gold once; November was not evaluated; December's is the second
    # consecutive miss (downgrade_after = 2): down to silver, the count starts again
    assert got == [("2010-10", "gold", "gold", 1), ("2010-12", "gold", "silver", 0)]


def test_the_colour_and_suspension_come_from_the_customer_s_latest_month(tmp_path: Path) -> None:
    rows = _rows()
    store = _three_months(tmp_path, {**rows[0], "tier": "gold"}, rows[0])
    con = connect(str(store))
    try:
        october = con.execute("SELECT tier, missed, credit_colour, suspend FROM customers WHERE "
                              f"month = '2010-10' AND customer_id = '{FIRST}'").fetchall()  # fmt: skip
        import pyarrow as pa

        keys = keys_of(con, pa.array([FIRST, "nobody", rows[1]["customer_id"]]))
        prev = last_state(con, "2010-11", keys, Policy())
    finally:
        con.close()
    assert prev.colour is not None and prev.suspended is not None
    gold = list(Policy().tiers.codes).index("gold")
    assert october[0][0] == "gold"
    assert (int(prev.tier[0]), int(prev.missed[0])) == (gold, october[0][1])
    assert (int(prev.colour[0]), bool(prev.suspended[0])) == october[0][2:]
    assert int(prev.tier[1]) == -1  # new to the store


@pytest.mark.parametrize(("who", "what"), [(0, "earlier months"), (1, "month 2010-11")])
def test_a_tier_the_ladder_lacks_in_the_store_is_refused(
    tmp_path: Path, who: int, what: str
) -> None:
    rows = _rows()
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-10", base=_write(tmp_path / "a.csv", rows))
    run_month_into(str(store), "2010-11", base=_write(tmp_path / "b.csv", rows[1:]))
    con = duckdb.connect(str(store))
    ident = rows[who]["customer_id"]  # the first is absent from November, the second not
    # customers is a view: its tiers are indices into each month's ladder in labels
    con.execute("UPDATE labels SET labels = list_append(labels, 'platinum') WHERE "
                "\"column\" = 'tier'")  # fmt: skip
    con.execute("UPDATE customer_rows SET tier = len(l.labels) - 1 FROM labels l WHERE "
                "l.month = customer_rows.month AND l.\"column\" = 'tier' AND key = "
                f"(SELECT key FROM members WHERE customer_id = '{ident}')")  # fmt: skip
    assert con.execute("SELECT DISTINCT tier FROM customers WHERE customer_id = ?",
                       [ident]).fetchall() == [("platinum",)]  # fmt: skip
    con.close()
    with pytest.raises(InvalidInput, match=rf"{what} holds tiers .* \['platinum'\]"):
        run_month_into(str(store), "2010-12", base=_write(tmp_path / "c.csv", rows))


def test_ids_like_numbers_and_ids_that_are_not_come_back_as_given_with_their_keys(
    tmp_path: Path,
) -> None:
    # the store keeps a decimal numeral as its number and any other id as its text: a
    # leading 0, a letter, a non-ASCII digit, 19 digits must each come back as given
    odd = ["13800000001", "0013800000002", "A13800000003", "\u0661\u0663\u0668", "9" * 19, "0"]
    rows = [dict(r, customer_id=i) for r, i in zip(_rows(), odd, strict=False)]
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-10", base=_write(tmp_path / "a.csv", rows))
    run_month_into(str(store), "2010-11", base=_write(tmp_path / "b.csv", rows[::-1]))
    con = duckdb.connect(str(store), read_only=True)
    try:
        members = con.execute("SELECT customer_id, key FROM members ORDER BY key").fetchall()
        months = con.execute("SELECT month, customer_id, key FROM customers ORDER BY month, "
                             "key").fetchall()  # fmt: skip
    finally:
        con.close()
    assert members == [(i, k) for k, i in enumerate(odd)]  # November added no member
    assert months == [(m, i, k) for m in ("2010-10", "2010-11") for k, i in enumerate(odd)]
