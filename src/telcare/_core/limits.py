"""The bounds every figure lives within, chosen once so no arithmetic can overflow.

The whole-base rules compute in ``int64``.  Rather than widen every product,
telcare bounds its inputs and its policy figures so that no product of a valid
policy and a valid input can leave ``int64`` (largest value about 9.22e18):

- shares and multipliers have at most four decimal places, so each is an exact
  ratio with a denominator of at most :data:`MAX_DENOMINATOR` (``10**4``), and a
  multiplier is at most 100 (numerator at most ``10**6``);
- money columns (usage, allowances, spends) are at most :data:`MAX_FEN`
  (``10**14`` fen, a trillion yuan), so ``money * denominator <= 10**18``;
- one bill is at most :data:`MAX_BILL` (``10**12`` fen), and points per yuan at
  most :data:`MAX_POINTS_PER_YUAN` (100), so consumption points before the
  floor are at most ``10**10 * 100 * 10**6 = 10**18``.

- a point is worth at most :data:`MAX_FEN_PER_POINT` (1,000 fen, ten yuan), so the
  worth of a whole balance, ``MAX_POINTS * fen_per_point``, is at most ``10**18`` fen.

The agreement properties (``tests/rules/test_agreement.py``) run the rules up to
these bounds and check the answers against exact Python integers.

>>> MAX_FEN * MAX_DENOMINATOR < 2**63
True
>>> (MAX_BILL // 100) * MAX_POINTS_PER_YUAN * 100 * MAX_DENOMINATOR < 2**63
True
>>> MAX_POINTS * MAX_FEN_PER_POINT < 2**63
True
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "MAX_AVG_SPEND",
    "MAX_BILL",
    "MAX_COUNT",
    "MAX_DATE",
    "MAX_DAYS",
    "MAX_DENOMINATOR",
    "MAX_FEN",
    "MAX_FEN_PER_POINT",
    "MAX_POINTS",
    "MAX_POINTS_PER_YUAN",
    "MIN_DATE",
]

#: Denominator bound of every share and multiplier (four decimal places).
MAX_DENOMINATOR = 10**4
#: Money in a column or a policy figure, in fen: a trillion yuan.
MAX_FEN = 10**14
#: One bill, in fen: ten billion yuan.
MAX_BILL = 10**12
#: Average monthly spend in a tier evaluation, in fen (compared, never multiplied).
MAX_AVG_SPEND = 10**15
#: Points per whole yuan of spend (consumption and data), and per posting bonus.
MAX_POINTS_PER_YUAN = 100
#: A points balance, posting or price in points.
MAX_POINTS = 10**15
#: The price of a point, in fen (``points.fen_per_point``; the default is 2): ten yuan,
#: far above any programme's, so a balance's worth (at most 10**18 fen) fits int64.
MAX_FEN_PER_POINT = 1_000
#: A count of events (missed evaluations, SMS in an hour, contacts, attempts).
MAX_COUNT = 10**9
#: A span of days in a policy or a query (ten years).
MAX_DAYS = 3660
#: The calendar telcare works in.  Deadlines add at most MAX_DAYS to a date and
#: time zones move it by a day, so dates far inside ``datetime``'s own range
#: (years 1 to 9999) keep every derived date valid.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)
