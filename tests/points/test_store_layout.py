"""How the ledger's store keeps its postings: flat lots, a pickle of the earlier layout,
and the garbage collector's view of a long ledger (``telcare.points._store``)."""

from __future__ import annotations

import gc
import pickle
import sys
from datetime import date, timedelta

import pytest

import telcare as tc


def _ledger(n: int) -> tc.PointsLedger:
    ledger = tc.PointsLedger.empty("c1")
    day = date(2010, 1, 1)
    for i in range(n):
        day += timedelta(days=3)
        ledger = ledger.accrue(f"b{i}", day, 300 + i, "consumption")
        if i % 5 == 4 and ledger.balance(day) >= 500:
            ledger, _ = ledger.redeem(f"r{i}", day, 500)
        if i % 17 == 16:
            ledger = ledger.reverse(f"b{i - 1}", day)
        if i % 23 == 22:  # most of the balance: the earlier lot and part of the later
            ledger, _ = ledger.redeem(f"all{i}", day, ledger.balance(day) - 100)
    return ledger


def test_the_store_keeps_lots_flat_and_the_views_give_pairs() -> None:
    ledger = _ledger(40)
    store = ledger._store
    row, state = store.rows[-1], store.states[-1]
    assert all(not isinstance(x, tuple) for x in row[7] + state[0])
    assert len(state[0]) % 2 == 0 and state[0][0::2] == tuple(sorted(state[0][0::2]))
    last = ledger.history()[-1].posting
    assert last.lots == tuple(zip(row[7][0::2], row[7][1::2], strict=True))
    lots = ledger.lots(row[2])
    assert [(lot.expires_on, lot.points) for lot in lots] == list(
        zip(state[0][0::2], state[0][1::2], strict=True)
    )


def test_a_pickle_of_the_earlier_layout_loads_as_the_same_ledger() -> None:
    """Until this layout a pickle held each posting's lots as (expiry, points) pairs."""
    ledger = _ledger(150)  # 450 days: two cycles' lots live at once
    restore, (cls, settings, rows) = ledger.__reduce__()
    as_pairs = tuple(
        (*r[:7], tuple(zip(r[7][0::2], r[7][1::2], strict=True)), *r[8:]) for r in rows
    )
    assert any(len(r[7]) > 1 for r in as_pairs)  # some postings touch two lots
    old = restore(cls, settings, as_pairs)
    assert old.to_dict() == ledger.to_dict()
    assert pickle.loads(pickle.dumps(ledger)).to_dict() == ledger.to_dict()


@pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info >= (3, 14),
    reason="the untracking order is CPython's generational collector's (3.14 changed it)",
)
def test_a_young_collection_leaves_no_new_posting_tracked() -> None:
    """With the lots as pairs inside the rows, a posting's row and state needed three
    passes of the collector before it stopped tracking them (so they reached the oldest
    generation still tracked); flat and listed for it, one young collection does."""
    ledger = _ledger(20)
    gc.collect()  # the store's lists are old now, as in a long-lived ledger
    gc.disable()
    try:
        day = ledger.history()[-1].posting.on
        for i in range(300):
            day += timedelta(days=3)
            ledger = ledger.accrue(f"x{i}", day, 200 + i, "consumption")
            if i % 4 == 3:
                ledger, _ = ledger.redeem(f"y{i}", day, 700)
            if i % 29 == 28:
                ledger = ledger.reverse(f"x{i - 1}", day)
        gc.collect(0)
    finally:
        gc.enable()
    store = ledger._store
    tracked = [row[0] for row, state in zip(store.rows, store.states, strict=True)
               if gc.is_tracked(row) or gc.is_tracked(state)]  # fmt: skip
    assert tracked == []
