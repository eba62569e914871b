"""The points book at the size of a whole base: post a month, expire a cycle, compute
the liability, each against the same bookkeeping written by hand in plain numpy.

The book holds two cycles of lots (bills of January 2010 and December 2010, and a
redemption in between), the state of a base in early 2011.  Each operation is timed
against a baseline that computes the same new columns from the same state with plain
numpy (the input's bounds checked, the lot, the reversible points and the earned
totals added, the issued points summed); the answers are compared before any time is
printed.  Peak memory is the extra memory ``tracemalloc`` traces while the operation
runs, shown as a multiple of the book's lot columns (the points of its open lots).

``python -m benchmarks.bench_book --customers 10000000`` prints the table and the
goals (issue 29: at most 1.5x the baseline, at most 2 s a month, peak at most 3x the
lots' columns); ``python -m benchmarks -k 'points.book*'`` runs the same cases in
the common table.
"""

from __future__ import annotations

import argparse
from datetime import date
from types import SimpleNamespace
from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case, best_of, peak_extra

MAX_POINTS = 10**15
JAN, DEC, MONTH = date(2010, 1, 31), date(2010, 12, 31), date(2011, 1, 31)
REDEEMED_ON, CLOSE_ON, ASKED_ON = date(2010, 12, 31), date(2011, 12, 1), date(2011, 6, 30)


def _points(n: int, rng: np.random.Generator) -> np.ndarray:
    """A month of bill points: about 150 a customer, 0 for the 5% with no bill."""
    points = rng.lognormal(np.log(150), 0.9, n).astype(np.int64)
    points[rng.random(n) < 0.05] = 0
    return points


def setup(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """The book in early 2011 and the plain-numpy copy of its state, built independently."""
    jan, dec, month = _points(n, rng), _points(n, rng), _points(n, rng)
    spent = (rng.beta(1.0, 3.0, n) * jan).astype(np.int64)
    book = tc.PointsBook.empty(np.arange(n, dtype=np.int64))
    book = book.post(JAN, jan).redeem(REDEEMED_ON, spent).post(DEC, dec)
    base = {  # the same bookkeeping by hand: lots by expiry, reversible points, totals
        "lots": {date(2011, 11, 30): jan - spent, date(2012, 11, 30): dec.copy()},
        "reversible": {date(2011, 11, 30): jan.copy(), date(2012, 11, 30): dec.copy()},
        "earned": jan + dec,
        "expired": np.zeros(n, dtype=np.int64),
        "issued": int(jan.sum()) + int(dec.sum()),
    }
    run = SimpleNamespace(book=book, base=base, month=month)
    return {"lots": list(book._lots), "run": run}  # only the lots count as the input


# ---------------------------------------------------------------- post a month


def post(d: dict[str, Any]) -> tc.PointsBook:
    run = d["run"]
    return run.book.post(MONTH, run.month)


def post_baseline(d: dict[str, Any]) -> dict[str, Any]:
    run = d["run"]
    points, lot = run.month, date(2012, 11, 30)
    if points.min() < 0 or points.max() > MAX_POINTS:
        raise ValueError("points out of bounds")
    return {
        "lot": run.base["lots"][lot] + points,
        "reversible": run.base["reversible"][lot] + points,
        "earned": run.base["earned"] + points,
        "issued": run.base["issued"] + int(points.sum()),
    }


def post_check(book: tc.PointsBook, expected: dict[str, Any]) -> None:
    np.testing.assert_array_equal(book._lots[1], expected["lot"])
    np.testing.assert_array_equal(book._reversible[1], expected["reversible"])
    np.testing.assert_array_equal(book._earned, expected["earned"])
    assert book.issued["consumption"] == expected["issued"]


# ---------------------------------------------------------------- expire a cycle


def expire(d: dict[str, Any]) -> tc.PointsBook:
    return d["run"].book.expire(CLOSE_ON)


def expire_baseline(d: dict[str, Any]) -> dict[str, Any]:
    base = d["run"].base
    closing = [e for e in base["lots"] if e < CLOSE_ON]
    expired = base["expired"].copy()
    for e in closing:
        expired += base["lots"][e]
    return {"expired": expired, "open": [e for e in base["lots"] if e >= CLOSE_ON]}


def expire_check(book: tc.PointsBook, expected: dict[str, Any]) -> None:
    np.testing.assert_array_equal(book._expired, expected["expired"])
    assert list(book._expiries) == expected["open"]


# ---------------------------------------------------------------- the liability


def liability(d: dict[str, Any]) -> int:
    return d["run"].book.liability(ASKED_ON)


def liability_baseline(d: dict[str, Any]) -> int:
    lots = d["run"].base["lots"]
    return sum(int(lot.sum()) for e, lot in lots.items() if e >= ASKED_ON) * 2


def liability_check(got: int, expected: int) -> None:
    assert got == expected, (got, expected)


OPERATIONS = {
    "post a month": (post, post_baseline, post_check),
    "expire a cycle": (expire, expire_baseline, expire_check),
    "liability": (liability, liability_baseline, liability_check),
}

CASES = [
    Case(f"points.book {name}", 10_000_000, setup, run, baseline, check, goal=1.5)
    for name, (run, baseline, check) in OPERATIONS.items()
]


def measure(n: int, repeat: int = 3, seed: int = 20101130) -> list[dict[str, Any]]:
    """Each operation at ``n`` customers: seconds, the baseline's, peak extra bytes and
    the lots' bytes (the answers are compared first: a fast wrong answer stops the run)."""
    data = setup(n, np.random.default_rng(seed))
    lots_bytes = sum(lot.nbytes for lot in data["lots"])
    rows = []
    for name, (run, baseline, check) in OPERATIONS.items():
        check(run(data), baseline(data))
        seconds, _ = best_of(run, data, repeat)
        base_seconds, _ = best_of(baseline, data, repeat)
        rows.append({
            "operation": name, "n": n, "seconds": seconds, "baseline": base_seconds,
            "peak": peak_extra(run, data), "baseline_peak": peak_extra(baseline, data),
            "lots_bytes": lots_bytes,
        })  # fmt: skip
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    head = f"{'operation':<16} {'customers':>12} {'book':>9} {'numpy':>9} {'ratio':>6} {'peak MB':>8} {'x lots':>6} {'numpy x lots':>12}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['operation']:<16} {r['n']:>12,} {r['seconds']:>8.3f}s {r['baseline']:>8.3f}s "
            f"{r['seconds'] / r['baseline']:>6.2f} {r['peak'] / 2**20:>8.1f} "
            f"{r['peak'] / r['lots_bytes']:>6.2f} {r['baseline_peak'] / r['lots_bytes']:>12.2f}"
        )
    post_row = rows[0]
    lines.append(
        f"\ngoals: <= 1.5x numpy: {'met' if all(r['seconds'] <= 1.5 * r['baseline'] for r in rows) else 'MISSED'}; "
        f"a month in <= 2 s: {post_row['seconds']:.3f} s, {'met' if post_row['seconds'] <= 2 else 'MISSED'}; "
        f"peak <= 3x the lots' columns: {'met' if all(r['peak'] <= 3 * r['lots_bytes'] for r in rows) else 'MISSED'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_book", description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000_000, help="the base's size")
    parser.add_argument("--repeat", type=int, default=3, help="time the best of this many runs")
    args = parser.parse_args(argv)
    print(render(measure(args.customers, repeat=args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
