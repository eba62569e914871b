"""One customer's points ledger over a long life: what a posting costs at 100, 1,000
and 10,000 postings, and what a balance query costs.

The feed is a realistic month after month: a bill's accrual and an on-time-payment
accrual every month, a tenure bonus every year, a redemption about one month in
three, a bill reversed now and then and a redemption reversed more rarely; points
left unspent expire at each cycle's end (30 Nov), so a long feed crosses hundreds
of expiries.  10,000 postings are about 350 years of that life, the ledger's
length being the point, not the calendar.

The baseline is a mutable dict of lots written by hand that does the same
bookkeeping as the ledger: every posting kept, a reference posted once (the same
request again is a no-op, another one refused), dates in order, the earliest
expiry spent first, lapsed lots set aside, a reversal of an accrual taking its own
lot first and the rest from live lots (claw-back), a reversal of a redemption
giving the points back to their lots.  It does not keep old values, answer past
dates or check its arguments, which the ledger does.

``python -m benchmarks --ledger`` prints the table; the case below is in the main
table at 10,000 postings (goal: at most 3x the baseline).  A posting at a length is
timed warm (:func:`marginals`): the same postings go to a twin of the prefix first, and
the lengths take turns, so that what the benchmark did just before (freeing a long
ledger, another length's tries) does not land in one length's figure; ``--cold`` times
them the old way (:func:`marginal`).  The collector stays on in both: its share is part
of a posting's cost.  ``held`` counts the bytes a posting keeps (``tracemalloc``), which
the machine's load does not move.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from datetime import date, timedelta
from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case

POLICY = tc.default_policy()
Op = tuple[
    str, str, date, int, str
]  # (kind, ref, day, points, source); a reversal names its original


class ByHand:
    """A mutable points ledger over a dict of lots, as one would write it in an afternoon."""

    def __init__(self, expire_after_cycles: int = 1) -> None:
        self.after = expire_after_cycles
        self.lots: dict[date, int] = {}  # live lots (expiring on or after the last posting)
        self.lapsed: dict[date, int] = {}  # lots whose date has passed
        self.history: list[tuple[str, str, date, int, tuple[tuple[date, int], ...]]] = []
        self.refs: dict[str, int] = {}
        self.last = date.min
        self.expiry_of: dict[int, date] = {}

    def _start(self, ref: str, request: tuple[str, date, int]) -> bool:
        """False when ``ref`` was posted with this request (a no-op); raise when it differs."""
        if ref in self.refs:
            kind, day, points, _ = self.history[self.refs[ref]][1:]
            if (kind, day, points) != request:
                raise ValueError(f"reference {ref!r} was posted as something else")
            return False
        if request[1] < self.last:
            raise ValueError("postings must come in date order")
        self.last = request[1]
        for expiry in [e for e in self.lots if e < request[1]]:
            self.lapsed[expiry] = self.lots.pop(expiry)
        return True

    def _record(self, ref: str, kind: str, day: date, points: int, lots: Any) -> None:
        self.refs[ref] = len(self.history)
        self.history.append((ref, kind, day, points, tuple(lots)))

    def _take(self, points: int, skip: date | None = None) -> list[tuple[date, int]]:
        taken = []
        for expiry in sorted(self.lots):
            if points == 0:
                break
            if expiry == skip:
                continue
            take = min(points, self.lots[expiry])
            self.lots[expiry] -= take
            points -= take
            taken.append((expiry, -take))
        return taken

    def accrue(self, ref: str, day: date, points: int) -> None:
        if not self._start(ref, ("accrue", day, points)):
            return
        year = day.year + (day.month == 12) + self.after
        expiry = self.expiry_of.get(year)
        if expiry is None:
            expiry = self.expiry_of[year] = date(year, 11, 30)
        self.lots[expiry] = self.lots.get(expiry, 0) + points
        self._record(ref, "accrue", day, points, [(expiry, points)])

    def redeem(self, ref: str, day: date, points: int) -> None:
        if not self._start(ref, ("redeem", day, points)):
            return
        if self.balance() < points:
            raise ValueError("not enough points")
        self._record(ref, "redeem", day, points, self._take(points))

    def reverse(self, original: str, day: date) -> None:
        _, kind, _, points, lots = self.history[self.refs[original]]
        if not self._start(original + "#reversal", ("reverse", day, points)):
            return
        changes = []
        if kind == "redeem":
            for expiry, delta in lots:
                book = self.lots if expiry >= day else self.lapsed
                book[expiry] = book.get(expiry, 0) - delta
                changes.append((expiry, -delta))
        else:
            own = lots[0][0]
            book = self.lots if own in self.lots else self.lapsed
            back = min(points, book.get(own, 0))
            book[own] = book.get(own, 0) - back
            changes = [(own, -back), *self._take(min(points - back, self.balance()), skip=own)]
        self._record(original + "#reversal", "reverse", day, points, changes)

    def balance(self) -> int:
        return sum(self.lots.values())

    def balance_on(self, day: date) -> int:
        return sum(p for e, p in self.lots.items() if e >= day)


def feed(n: int, rng: np.random.Generator) -> list[Op]:
    """``n`` postings of one customer, each valid where it stands (the baseline runs
    alongside to size the redemptions).

    Up to 25,000 postings a step is a month (about three postings); beyond, a month
    holds ``1 + n // 25_000`` steps, three days apart and ending where a month's one
    step does, so 100,000 postings stay within the ledger's dates (before 3000)."""
    ops: list[Op] = []
    book = ByHand(POLICY.points.expire_after_cycles)
    redeemed: list[str] = []
    per_month = 1 + n // 25_000
    step_no = 0
    while len(ops) < n:
        month, part = divmod(step_no, per_month)
        first = date(2010 + month // 12, 1 + month % 12, 1)
        bill = first + timedelta(days=27 - 3 * (per_month - 1 - part))
        step: list[Op] = [
            ("accrue", f"bill-{step_no}", bill, int(rng.integers(200, 1_500)), "consumption")
        ]
        step.append(("accrue", f"credit-{step_no}", bill + timedelta(days=1), 2, "credit"))
        if month % 12 == 5 and part == per_month - 1:
            step.append(("accrue", f"tenure-{step_no}", bill + timedelta(days=1), 20, "tenure"))
        if rng.random() < 0.06 and step_no:
            step.append(("reverse", f"bill-{step_no - 1}", bill + timedelta(days=1), 0, ""))
        if rng.random() < 0.35:
            step.append(
                (
                    "redeem",
                    f"gift-{step_no}",
                    bill + timedelta(days=2),
                    int(rng.integers(300, 3_000)),
                    "",
                )
            )
        if rng.random() < 0.03 and redeemed:
            step.append(("reverse", redeemed.pop(), bill + timedelta(days=2), 0, ""))
        for op in step[: n - len(ops)]:
            kind, ref, day, points, _ = op
            if kind == "redeem":
                if book.balance_on(day) < points:
                    continue
                book.redeem(ref, day, points)
                redeemed.append(ref)
            elif kind == "accrue":
                book.accrue(ref, day, points)
            else:
                book.reverse(ref, day)
            ops.append(op)
        step_no += 1
    return ops


def by_telcare(ops: list[Op]) -> tuple[int, int, int]:
    ledger = _post(tc.PointsLedger.empty("c1", policy=POLICY), ops)
    last = ops[-1][2]
    return len(ledger), ledger.balance(last), ledger.summary(last).balance


def by_hand(ops: list[Op]) -> tuple[int, int, int]:
    book = _post_by_hand(ByHand(POLICY.points.expire_after_cycles), ops)
    last = ops[-1][2]
    return len(book.history), book.balance_on(last), book.balance_on(last)


def _best(fn: Any, *args: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - start)
    return best


def _post(ledger: tc.PointsLedger, ops: list[Op]) -> tc.PointsLedger:
    for kind, ref, day, points, source in ops:
        if kind == "accrue":
            ledger = ledger.accrue(ref, day, points, source)
        elif kind == "redeem":
            ledger, _ = ledger.redeem(ref, day, points)
        else:
            ledger = ledger.reverse(ref, day)
    return ledger


def _post_by_hand(book: ByHand, ops: list[Op]) -> ByHand:
    for kind, ref, day, points, _ in ops:
        if kind == "accrue":
            book.accrue(ref, day, points)
        elif kind == "redeem":
            book.redeem(ref, day, points)
        else:
            book.reverse(ref, day)
    return book


def marginal(ops: list[Op], tail: int, *, repeat: int) -> tuple[float, float]:
    """Seconds per posting of the last ``tail`` postings, on a ledger (and a baseline)
    holding all the others, cold: each try times them straight after building the
    prefix afresh, untimed (the baseline is mutable, and a ledger value posted to twice
    would branch), while the previous try's values are still held.  The table's method
    until 2026-12-02 (``--cold``); its figures move with what ran just before the timed
    postings (a 10,000-posting ledger freed, the allocator handing out its cold memory),
    not only with the length, so :func:`marginals` is the table's method now."""
    head, last = ops[:-tail], ops[-tail:]
    ours = theirs = float("inf")
    for _ in range(repeat):
        ledger = _post(tc.PointsLedger.empty("c1", policy=POLICY), head)
        ours = min(ours, _best(_post, ledger, last, repeat=1))
        book = _post_by_hand(ByHand(POLICY.points.expire_after_cycles), head)
        theirs = min(theirs, _best(_post_by_hand, book, last, repeat=1))
    return ours / tail, theirs / tail


def _warm_try(ops: list[Op], tail: int) -> tuple[float, float]:
    """One warm try of each contender: seconds for the last ``tail`` postings of
    ``ops`` on a prefix of all the others built afresh, untimed, after the same tail
    was posted, untimed, to a twin of that prefix, so that the timed postings find the
    code, the caches and the allocator as a process posting steadily has them.  Each
    contender's values are released before the next are built."""
    head, last = ops[:-tail], ops[-tail:]
    twin = _post(tc.PointsLedger.empty("c1", policy=POLICY), head)
    _post(twin, last)
    ledger = _post(tc.PointsLedger.empty("c1", policy=POLICY), head)
    ours = _best(_post, ledger, last, repeat=1)
    del twin, ledger
    twin_book = _post_by_hand(ByHand(POLICY.points.expire_after_cycles), head)
    _post_by_hand(twin_book, last)
    book = _post_by_hand(ByHand(POLICY.points.expire_after_cycles), head)
    theirs = _best(_post_by_hand, book, last, repeat=1)
    return ours, theirs


def marginals(
    feeds: dict[int, list[Op]], tail: int, *, repeat: int
) -> dict[int, tuple[float, float]]:
    """Seconds per posting of the last ``tail`` postings at each length of ``feeds``
    (telcare, the baseline): the cost of a posting at that length, the best of
    ``repeat`` warm tries (:func:`_warm_try`).  The tries go round the lengths in turn,
    so that a spell of load on the machine touches every length alike."""
    best = {n: (float("inf"), float("inf")) for n in feeds}
    for _ in range(repeat):
        for n, ops in feeds.items():
            ours, theirs = _warm_try(ops, min(tail, n))
            best[n] = (min(best[n][0], ours), min(best[n][1], theirs))
    return {n: (ours / min(tail, n), theirs / min(tail, n)) for n, (ours, theirs) in best.items()}


def _balances(ledger: tc.PointsLedger, days: list[date]) -> list[int]:
    return [ledger.balance(d) for d in days]


def table(
    sizes: tuple[int, ...] = (100, 1_000, 10_000), *, repeat: int = 5, cold: bool = False
) -> str:
    """Per posting at each length: the last 100 postings on a ledger of that length
    (telcare, the baseline, their ratio; warm, :func:`marginals`, or ``cold``,
    :func:`marginal`), the whole feed from empty averaged, and a balance query on a
    random date of the ledger's life.  Best of ``repeat`` each.  Then what the ledger
    and the baseline hold in memory a posting, counted (:func:`held_per_posting`)."""
    lines = [
        f"{'postings':>9} {'telcare':>10} {'by hand':>9} {'ratio':>6} "
        f"{'whole feed':>11} {'by hand':>9} {'query':>9} {'held':>7} {'by hand':>7}"
    ]
    feeds = {n: feed(n, np.random.default_rng(20101130)) for n in sizes}
    for ops in feeds.values():
        assert by_telcare(ops) == by_hand(ops), "the ledger and the baseline disagree"
    if cold:
        tails = {n: marginal(ops, min(100, n), repeat=repeat) for n, ops in feeds.items()}
    else:
        tails = marginals(feeds, 100, repeat=repeat)
    for n, ops in feeds.items():
        ours, theirs = tails[n]
        whole = _best(by_telcare, ops, repeat=repeat) / n
        whole_by_hand = _best(by_hand, ops, repeat=repeat) / n
        ledger = _post(tc.PointsLedger.empty("c1", policy=POLICY), ops)
        days = [ops[int(i)][2] for i in np.random.default_rng(1).integers(0, n, 1_000)]
        query = _best(_balances, ledger, days, repeat=repeat) / len(days)
        held, held_by_hand = held_per_posting(ops)
        lines.append(
            f"{n:>9,} {ours * 1e6:>8.2f}us {theirs * 1e6:>7.2f}us {ours / theirs:>6.2f} "
            f"{whole * 1e6:>9.2f}us {whole_by_hand * 1e6:>7.2f}us {query * 1e6:>7.2f}us "
            f"{held:>6.0f}B {held_by_hand:>6.0f}B"
        )
    return "\n".join(lines)


def held_per_posting(ops: list[Op]) -> tuple[float, float]:
    """Bytes a posting leaves allocated, the feed posted from empty (the ledger, the
    baseline): what the kept values hold, counted by ``tracemalloc`` (every allocation
    made while posting and still alive after it, the feed's own references and dates
    not included), so that the machine's load does not move it."""
    held = []
    for build in (
        lambda: _post(tc.PointsLedger.empty("c1", policy=POLICY), ops),
        lambda: _post_by_hand(ByHand(POLICY.points.expire_after_cycles), ops),
    ):
        gc.collect()
        tracemalloc.start()
        try:
            kept = build()
            size = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        del kept
        held.append(size / len(ops))
    return held[0], held[1]


def callgrind_run(who: str, part: str, n: int = 10_000, tail: int = 1_000) -> None:
    """The run behind the instruction counts in ``benchmarks/README.md``: the first
    ``n - tail`` postings of the ``n`` feed by ``who`` ("telcare" or "hand"), then the
    last ``tail`` too when ``part`` is "all" (not when it is "head").  Run both under
    valgrind; (all - head) / tail is what a posting at that length executes, the
    collector included.  The imports' objects are frozen out of the collector first::

        OPENBLAS_NUM_THREADS=1 PYTHONHASHSEED=0 PYTHONPATH=src:. valgrind --tool=callgrind \\
          python -c "from benchmarks.bench_ledger import callgrind_run as r; r('telcare', 'all')"
    """
    gc.collect()
    gc.freeze()
    ops = feed(n, np.random.default_rng(20101130))
    head, last = ops[:-tail], ops[-tail:]
    if who == "telcare":
        ledger = _post(tc.PointsLedger.empty("c1", policy=POLICY), head)
        if part == "all":
            _post(ledger, last)
    else:
        book = _post_by_hand(ByHand(POLICY.points.expire_after_cycles), head)
        if part == "all":
            _post_by_hand(book, last)


CASES = [
    Case(
        "points.ledger one customer, 10,000 postings (per posting)",
        10_000,
        feed,
        by_telcare,
        by_hand,
        per_item=True,
        smoke_n=300,
        goal=3.0,
    ),
]
