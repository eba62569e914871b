"""The SQLite store of docs/embedding.md ("Keeping points in SQLite"), run against a
real database file in a temporary folder: a ledger's postings and a book's months
come back equal, writing twice changes nothing, an edited row is caught, and a run
stopped between two writes leaves every table as it was.

The code under test is the page's own: its imports, constants, classes and
functions are read from the page and run here, so the page cannot drift from what
is tested.
"""

from __future__ import annotations

import ast
import doctest
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import telcare as tc

D = date
PAGE = Path(__file__).resolve().parents[1] / "docs" / "embedding.md"
SECTION = "## Keeping points in SQLite"
#: What the page defines and these tests run.
STORE = {"SCHEMA", "Batch", "apply", "save_ledger", "postings", "load_ledger", "start_book",
         "write_month", "read_book"}  # fmt: skip


def _defines(node: ast.stmt) -> bool:
    """An import, a function, a class or an UPPER_CASE constant: what the page defines."""
    if isinstance(node, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef):
        return True
    return isinstance(node, ast.Assign) and all(
        isinstance(t, ast.Name) and t.id.isupper() for t in node.targets
    )


def _page_code() -> SimpleNamespace:
    """The definitions of the page's section, run in a namespace of their own."""
    section = PAGE.read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ", 1)[0]
    namespace: dict[str, Any] = {}
    for example in doctest.DocTestParser().get_examples(section):
        tree = ast.parse(example.source)
        if tree.body and all(_defines(node) for node in tree.body):
            exec(compile(tree, str(PAGE), "exec"), namespace)
    return SimpleNamespace(**namespace)


@pytest.fixture(scope="module")
def page() -> SimpleNamespace:
    return _page_code()


@pytest.fixture
def path(tmp_path: Path, page: SimpleNamespace) -> Path:
    """A database file holding the page's schema and nothing else."""
    file = tmp_path / "points.db"
    with _open(file) as con:
        con.executescript(page.SCHEMA)
    return file


@pytest.fixture
def con(path: Path) -> Iterator[sqlite3.Connection]:
    with _open(path) as connection:
        yield connection


def _open(file: Path) -> closing[sqlite3.Connection]:
    """A connection to ``file``, closed when the block ends (``with con:`` only commits)."""
    return closing(sqlite3.connect(file))


def _dump(con: sqlite3.Connection) -> list[str]:
    """Every table's schema and rows, as SQL."""
    return list(con.iterdump())


def test_the_page_defines_the_store_these_tests_run(page: SimpleNamespace) -> None:
    assert vars(page).keys() >= STORE


# ------------------------------------------------------------------ the ledger


def _policy(mode: str) -> tc.Policy:
    return tc.Policy.model_validate({"points": {"reversal": mode}})


def _ledger(mode: str, spend: int) -> tc.PointsLedger:
    """Every kind of posting under ``mode``, the last reversal reaching spent points
    (``unrecovered`` under claw_back, a debt under allow_negative)."""
    policy = _policy(mode)
    ledger = tc.PointsLedger.empty("c1", policy=policy)
    ledger = ledger.accrue("b1", D(2010, 1, 5), 300, "consumption")
    ledger, _ = ledger.redeem("r1", D(2010, 2, 1), 250)
    ledger = ledger.accrue("b2", D(2010, 12, 5), 200, "credit").reverse("r1", D(2011, 1, 2))
    ledger, _ = ledger.transfer("t1", D(2011, 1, 3), 50, tc.PointsLedger.empty("c2", policy=policy))
    giver = tc.PointsLedger.empty("c3", policy=policy).accrue("g", D(2011, 1, 1), 80, "bonus")
    _, ledger = giver.transfer("t2", D(2011, 1, 4), 80, ledger)
    ledger, _ = ledger.redeem("r2", D(2011, 1, 5), spend)
    ledger = ledger.reverse("b2", D(2011, 2, 1))
    return ledger.accrue("b3", D(2011, 2, 28), 100, "tenure")


LEDGERS = pytest.mark.parametrize(
    ("mode", "spend"), [("claw_back", 500), ("allow_negative", 500), ("refuse", 300)]
)


@LEDGERS
def test_every_kind_of_posting_comes_back_from_the_file_with_the_same_digest(
    page: SimpleNamespace, path: Path, mode: str, spend: int
) -> None:
    ledger = _ledger(mode, spend)
    with _open(path) as con:
        page.save_ledger(con, ledger)
    with _open(path) as con:  # another run
        loaded = page.load_ledger(con, "c1")
        rebuilt = tc.PointsLedger.empty("c1", policy=_policy(mode))
        rebuilt = rebuilt.replay(page.postings(con, "c1"))
    assert loaded == ledger
    assert loaded.to_dict() == ledger.to_dict()  # the same postings, balances and digest
    assert loaded.history() == ledger.history()
    assert rebuilt.to_dict() == ledger.to_dict()


def test_the_sample_reaches_debt_and_unrecovered_points() -> None:
    """The round trip above stores both columns with values other than zero."""
    last = {m: _ledger(m, 500).posting("b2#reversal") for m in ("claw_back", "allow_negative")}
    assert (last["claw_back"].unrecovered, last["allow_negative"].debt) == (170, 170)


def test_saving_again_changes_nothing_and_saving_later_adds_only_the_new_postings(
    page: SimpleNamespace, con: sqlite3.Connection
) -> None:
    ledger = _ledger("claw_back", 500)
    page.save_ledger(con, ledger)
    before = _dump(con)
    page.save_ledger(con, ledger)
    assert _dump(con) == before
    later = ledger.accrue("b4", D(2011, 3, 31), 40, "consumption")
    page.save_ledger(con, later)
    added = sorted(set(_dump(con)) - set(before))
    digest = later.to_dict()["digest"]
    assert len(added) == 2  # the ledger's row with its new digest, and the new posting
    assert added[0].startswith("INSERT INTO \"ledger\" VALUES('c1'") and digest in added[0]
    assert added[1].startswith("INSERT INTO \"posting\" VALUES('c1',9,'b4'")
    assert page.load_ledger(con, "c1") == later


def test_an_edit_every_posting_agrees_with_is_caught_by_the_digest(
    page: SimpleNamespace, con: sqlite3.Connection
) -> None:
    page.save_ledger(con, _ledger("claw_back", 500))
    with con:  # a bill moved a day within its cycle: the same lot, the same balances
        con.execute("UPDATE posting SET day = '2010-01-04' WHERE ref = 'b1'")
    edited = tc.PointsLedger.empty("c1").replay(page.postings(con, "c1"))
    assert edited.posting("b1").on == D(2010, 1, 4)
    with pytest.raises(tc.InvalidInput, match=r"^digest 'sha256:[0-9a-f]{64}' does not match"):
        page.load_ledger(con, "c1")


def test_a_removed_last_row_is_caught_by_the_digest(
    page: SimpleNamespace, con: sqlite3.Connection
) -> None:
    page.save_ledger(con, _ledger("claw_back", 500))
    with con:
        con.execute("DELETE FROM posting WHERE ref = 'b3'")
    with pytest.raises(tc.InvalidInput, match="does not match the ledger's postings"):
        page.load_ledger(con, "c1")


def test_an_edited_effect_is_refused_at_its_row(
    page: SimpleNamespace, con: sqlite3.Connection
) -> None:
    page.save_ledger(con, _ledger("claw_back", 500))
    with con:
        con.execute("UPDATE posting SET points = 310 WHERE ref = 'b1'")
    message = r"postings\[0\] \('b1'\): lots is recorded as \[\['2011-11-30', 300\]\]"
    with pytest.raises(tc.InvalidInput, match=message):
        page.load_ledger(con, "c1")
    with pytest.raises(tc.InvalidInput, match=message):
        tc.PointsLedger.empty("c1").replay(page.postings(con, "c1"))


def test_a_customer_with_no_stored_ledger_is_a_lookup_error(
    page: SimpleNamespace, con: sqlite3.Connection
) -> None:
    with pytest.raises(LookupError, match="no ledger is stored for customer 'c9'"):
        page.load_ledger(con, "c9")


def _stop_at(con: sqlite3.Connection, table: str, when: str) -> None:
    """The database refuses the row of ``table`` that ``when`` picks, mid-transaction."""
    con.execute(
        f"CREATE TEMP TRIGGER stop BEFORE INSERT ON {table} WHEN {when} "
        "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
    )


def test_a_save_stopped_between_two_postings_leaves_the_file_as_it_was(
    page: SimpleNamespace, path: Path
) -> None:
    ledger = _ledger("claw_back", 500)
    first = tc.PointsLedger.empty("c1").replay(ledger.history()[:2])
    with _open(path) as con:
        page.save_ledger(con, first)
        _stop_at(con, "posting", "NEW.seq = 5")  # after the digest and three postings
        before = _dump(con)
        with pytest.raises(sqlite3.IntegrityError, match="the disk is full"):
            page.save_ledger(con, ledger)
        assert _dump(con) == before
    with _open(path) as con:  # the next run finds the first save, and its save succeeds
        assert page.load_ledger(con, "c1") == first
        page.save_ledger(con, ledger)
        assert page.load_ledger(con, "c1") == ledger


# ------------------------------------------------------------------ the book

IDS = ["c3", "c1", "c4", "c2"]  # the book's row order, not sorted


def _months(page: SimpleNamespace) -> dict[str, list[Any]]:
    """Two cycles of a base's months: every kind of batch, several sources, numpy and
    list columns, a reversal reaching spent points, an all-zero batch, the expiry."""
    b = page.Batch
    return {
        "2010-01": [b("post", D(2010, 1, 31), np.array([484, 21, 152, 0])),
                    b("post", D(2010, 1, 31), [20, 0, 20, 0], source="credit")],
        "2010-02": [b("redeem", D(2010, 2, 10), [200, 0, 0, 0]),
                    b("reverse", D(2010, 2, 20), [0, 0, 172, 0], earned_on=D(2010, 1, 31)),
                    b("redeem", D(2010, 2, 21), [0, 0, 0, 0]),
                    b("post", D(2010, 2, 28), [300, 100, 0, 50])],
        "2010-12": [b("post", D(2010, 12, 31), [100, 100, 100, 100], source="tenure")],
        "2011-01": [b("redeem", D(2011, 1, 10), [0, 200, 0, 0]),
                    b("reverse", D(2011, 1, 15), [0, 121, 0, 0], earned_on=D(2010, 2, 28))],
        "2011-12": [b("expire", D(2011, 12, 1)),
                    b("post", D(2011, 12, 31), np.array([10, 10, 10, 10]))],
    }  # fmt: skip


def _run(page: SimpleNamespace, policy: tc.Policy, con: sqlite3.Connection) -> Any:
    """The months applied in memory and written to the file, as the page's job does."""
    page.start_book(con, IDS)
    book = tc.PointsBook.empty(IDS, policy=policy)
    for month, batches in _months(page).items():
        book = page.apply(book, batches)
        assert page.write_month(con, month, batches) is True
    return book


MODES = ("claw_back", "allow_negative")
BOOK_POLICIES = pytest.mark.parametrize("policy", [_policy(m) for m in MODES], ids=MODES)


@BOOK_POLICIES
def test_a_book_comes_back_from_its_months_with_the_same_balances_and_liability(
    page: SimpleNamespace, path: Path, policy: tc.Policy
) -> None:
    with _open(path) as con:
        book = _run(page, policy, con)
    with _open(path) as con:  # another run
        stored = page.read_book(con, policy)
    assert stored == book
    assert stored.ids.tolist() == IDS
    assert stored.issued == book.issued == {"consumption": 1147, "credit": 40, "tenure": 400}
    for as_of in (D(2011, 12, 31), D(2012, 6, 1), D(2013, 1, 1)):
        assert stored.balance(as_of).tolist() == book.balance(as_of).tolist()
        assert stored.liability(as_of) == book.liability(as_of)
        assert stored.summary(as_of) == book.summary(as_of)


def test_the_book_sample_reaches_what_the_rules_cannot_take_back(page: SimpleNamespace) -> None:
    """Customer c1's reversal in January 2011 reaches spent points under both modes."""
    books = {m: tc.PointsBook.empty(IDS, policy=_policy(m)) for m in MODES}
    for batches in _months(page).values():
        books = {m: page.apply(book, batches) for m, book in books.items()}
    claw, negative = (books[m].summary_of("c1", D(2011, 12, 31)) for m in MODES)
    assert claw.unrecovered == 100
    assert (claw.balance, negative.balance) == (10, -90)  # a debt of 100, less December's 10


def test_zeros_are_not_stored(page: SimpleNamespace, con: sqlite3.Connection) -> None:
    _run(page, tc.default_policy(), con)
    stored = con.execute("SELECT count(*) FROM book_points").fetchone()[0]
    given = sum(
        int(np.count_nonzero(b.points))
        for batches in _months(page).values()
        for b in batches
        if b.points is not None
    )
    assert stored == given == 20


def test_writing_a_month_twice_changes_nothing(
    page: SimpleNamespace, con: sqlite3.Connection
) -> None:
    book = _run(page, tc.default_policy(), con)
    before = _dump(con)
    months = _months(page)
    assert page.write_month(con, "2010-02", months["2010-02"]) is False
    assert page.write_month(con, "2010-02", months["2011-01"]) is False  # never rewritten
    assert _dump(con) == before
    assert page.read_book(con) == book


def _february(page: SimpleNamespace, con: sqlite3.Connection) -> tuple[Any, list[Any]]:
    """A file holding January, the book after February, and February's batches."""
    page.start_book(con, IDS)
    months = _months(page)
    assert page.write_month(con, "2010-01", months["2010-01"]) is True
    book = page.apply(tc.PointsBook.empty(IDS), [*months["2010-01"], *months["2010-02"]])
    return book, months["2010-02"]


def test_a_month_stopped_between_two_batches_leaves_the_file_as_it_was(
    page: SimpleNamespace, path: Path
) -> None:
    with _open(path) as con:
        book, february = _february(page, con)
        before = _dump(con)

        def stopped_after_two_batches() -> Iterator[Any]:
            yield from february[:2]
            raise RuntimeError("the job was stopped")

        with pytest.raises(RuntimeError, match="the job was stopped"):
            page.write_month(con, "2010-02", stopped_after_two_batches())
        assert _dump(con) == before
    with _open(path) as con:  # the next run writes February, and the book is whole
        assert _dump(con) == before
        assert page.write_month(con, "2010-02", february) is True
        assert page.read_book(con) == book


def test_a_month_the_database_stops_between_two_rows_leaves_the_file_as_it_was(
    page: SimpleNamespace, path: Path
) -> None:
    with _open(path) as con:
        book, february = _february(page, con)
        _stop_at(con, "book_points", "NEW.month = '2010-02' AND NEW.step = 3 AND NEW.customer = 1")
        before = _dump(con)
        with pytest.raises(sqlite3.IntegrityError, match="the disk is full"):
            page.write_month(con, "2010-02", february)
        assert _dump(con) == before
    with _open(path) as con:
        assert page.write_month(con, "2010-02", february) is True
        assert page.read_book(con) == book
