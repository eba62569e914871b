"""Money as integers of fen (1 yuan = 100 fen).

Money in telcare is always an ``int`` of fen: never a binary float, which
cannot hold 0.10 yuan exactly.  These helpers are the doors in and out.

>>> yuan("96"), yuan(96), yuan("0.01")
(9600, 9600, 1)
>>> format_yuan(123456)
'¥1,234.56'
>>> to_fen([1.5, 0.005, -0.005]).tolist()
[150, 1, -1]
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import column, integer, row_blocks
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_FEN

__all__ = ["FEN_PER_YUAN", "format_yuan", "to_fen", "yuan"]

FEN_PER_YUAN = 100

# The largest amount, in fen, that telcare accepts from a float column: the money
# bound, far inside the range where the float nearest an amount of yuan with two
# decimals is nearer to it than to any other (above about 4.5e15 fen, a float64
# of yuan can no longer tell neighbouring fen apart).
_MAX_FLOAT_FEN = float(MAX_FEN)
# Below this, a fen amount times 10**6 is still an exact float64 integer.
_NOISE_LIMIT = 2.0**53 / 10**6
# An amount of yuan as text: digits, an optional sign and point, or thousands groups.
_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_YUAN_SIGN = re.compile(r"^([+-]?)¥(?=\d)")


def yuan(amount: int | str | Decimal) -> int:
    """Convert an amount in yuan to an ``int`` of fen, exactly.

    Accepts an ``int``, a ``Decimal`` or a decimal string with at most two
    decimals.  Floats are refused because they are ambiguous for money
    (``0.1 + 0.2`` is not ``0.3``); use :func:`to_fen` for float columns.

    >>> yuan("96") == yuan(96) == yuan(Decimal("96.00")) == 9600
    True
    >>> yuan("-1.5")
    -150
    >>> yuan(format_yuan(123456)), yuan("-¥1.00")
    (123456, -100)
    >>> yuan(1.5)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: yuan() refuses the float 1.5: floats are ambiguous for money; pass a str or Decimal such as '1.5'
    """
    if isinstance(amount, bool):
        raise InvalidInput(f"yuan() needs an amount, got the bool {amount!r}")
    if isinstance(amount, int):
        return _bounded(amount * FEN_PER_YUAN, amount)
    if isinstance(amount, float):
        raise InvalidInput(
            f"yuan() refuses the float {amount!r}: floats are ambiguous for money; "
            f"pass a str or Decimal such as {str(amount)!r}"
        )
    if isinstance(amount, str):
        text = _YUAN_SIGN.sub(r"\1", amount.strip())  # "¥1,234.56", "-¥1.00": as format_yuan writes
        if "," in text:
            if not _THOUSANDS.fullmatch(text):
                raise InvalidInput(
                    f"yuan() cannot read {amount!r}: a comma may only separate thousands "
                    "(1,234.50); write the decimal point as '.'"
                )
            text = text.replace(",", "")
        if not _PLAIN.fullmatch(text):
            raise InvalidInput(f"yuan() cannot read {amount!r} as an amount of yuan")
        value = Decimal(text)
    elif isinstance(amount, Decimal):
        value = amount
    else:
        raise InvalidInput(
            f"yuan() needs an int, str or Decimal, got {type(amount).__name__} {amount!r}"
        )
    if not value.is_finite():
        raise InvalidInput(f"yuan() needs a finite amount, got {amount!r}")
    if abs(value) > MAX_FEN // FEN_PER_YUAN:
        raise InvalidInput(f"yuan() got {amount!r}, beyond {MAX_FEN // FEN_PER_YUAN:,} yuan")
    fen = value * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise InvalidInput(
            f"yuan() got {amount!r}, which has more than 2 decimals; "
            "the smallest unit of money is the fen (0.01 yuan)"
        )
    return int(fen)


def _bounded(fen: int, amount: object) -> int:
    if abs(fen) > MAX_FEN:
        raise InvalidInput(f"yuan() got {amount!r}, beyond {MAX_FEN // FEN_PER_YUAN:,} yuan")
    return fen


def to_fen(values: Any) -> npt.NDArray[np.int64]:
    """Convert a column of yuan amounts (floats allowed) to ``int64`` fen.

    Rounds half away from zero after removing binary noise, so ``2.675``
    yuan (stored as 2.67499999...) becomes 268 fen, as a person would expect.
    NaN, infinities, non-numeric values and amounts too large to hold
    exactly raise :class:`~telcare._core.errors.InvalidInput`.

    >>> to_fen([96, 2.675, -0.125]).tolist()
    [9600, 268, -13]
    """
    arr = column(values, "to_fen() values", ndim=None)
    if arr.dtype == np.bool_ or arr.dtype.kind not in "iuf":
        raise InvalidInput(f"to_fen() needs numeric yuan amounts in values, got dtype {arr.dtype}")
    if arr.dtype.kind == "f" and arr.dtype.itemsize < 8:
        arr = _narrow_floats(arr)
    if arr.dtype.kind in "iu":
        big = np.abs(arr.astype(np.float64)) * FEN_PER_YUAN > _MAX_FLOAT_FEN
        if big.any():
            bad = arr[big].flat[0].item()
            raise InvalidInput(f"to_fen() got {bad!r} yuan, too large to hold in fen (in values)")
        return arr.astype(np.int64) * FEN_PER_YUAN
    flat = arr.reshape(-1)
    out = np.empty(flat.shape, dtype=np.int64)
    # Block by block, so the temporaries stay in the CPU cache.
    for rows in row_blocks(flat.size):
        with np.errstate(over="ignore"):  # an overflow becomes inf, refused just below
            scaled = flat[rows] * np.float64(FEN_PER_YUAN)
        size = np.abs(scaled)
        if not (size <= _MAX_FLOAT_FEN).all():  # NaN, infinite or too large: say which
            _refuse_floats(arr)
        # Remove binary noise (267.49999999999997 -> 267.5) where rounding to a
        # millionth of a fen is itself exact; above that the product is already
        # within a fraction of the nearest fen, and rounding it again would lose it.
        if size.max(initial=0.0) < _NOISE_LIMIT:
            np.round(size, 6, out=size)
        else:
            small = size < _NOISE_LIMIT
            size[small] = np.round(size[small], 6)
        size += 0.5
        np.floor(size, out=size)
        size *= np.sign(scaled)  # half away from zero
        out[rows] = size
    return out.reshape(arr.shape)


def _narrow_floats(arr: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """A float32 (or float16) column as float64 amounts that round as the decimals it
    shows: 2.675 stored as float32 is 2.67499995..., whose float64 rounds to 267 fen
    where the float64 2.675 gives 268.  Amounts within one step of the column's
    precision of a half fen are read through their shortest decimal (``'2.675'``);
    the others already round the same way.  From ``limit`` on (16,384 yuan for
    float32) a step is a tenth of a fen or more, so the column cannot tell a half fen
    from its neighbours: refused."""
    limit = 2.0 ** (np.floor(np.log2(0.001 / np.finfo(arr.dtype).eps)) + 1)
    size = np.abs(arr.astype(np.float64))
    big = np.isfinite(size) & (size >= limit)  # NaN and infinities: refused further on
    if big.any():
        bad = arr[big].flat[0].item()
        raise InvalidInput(
            f"to_fen() values hold {bad!r} yuan as {arr.dtype}, which holds amounts to the fen only "
            f"below {limit:,.0f} yuan; pass float64 amounts, or text through yuan()"
        )
    wide = arr.astype(np.float64)
    fen = size * FEN_PER_YUAN
    with np.errstate(invalid="ignore"):
        near = np.abs(fen - np.floor(fen) - 0.5) <= np.spacing(np.abs(arr)) * FEN_PER_YUAN
    if near.any():
        wide[near] = arr[near].astype(str).astype(np.float64)
    return wide


def _refuse_floats(arr: npt.NDArray[Any]) -> None:
    """Raise for the first amount ``to_fen`` cannot convert: not finite, or too large."""
    with np.errstate(over="ignore"):
        scaled = arr.astype(np.float64) * FEN_PER_YUAN
    finite = np.isfinite(scaled)
    if not finite.all():
        bad = arr[~finite].flat[0].item()
        raise InvalidInput(f"to_fen() needs finite amounts, got {bad!r} in values")
    bad = arr[np.abs(scaled) > _MAX_FLOAT_FEN].flat[0].item()
    raise InvalidInput(f"to_fen() got {bad!r} yuan, too large to hold exactly in fen (in values)")


def format_yuan(fen: int | np.integer[Any]) -> str:
    """Format an amount of fen for people: ``¥`` sign, thousands, two decimals.

    >>> format_yuan(9600), format_yuan(-150), format_yuan(0)
    ('¥96.00', '-¥1.50', '¥0.00')
    """
    value = integer(fen, "format_yuan() fen", minimum=None)
    sign = "-" if value < 0 else ""
    whole, cents = divmod(abs(value), FEN_PER_YUAN)
    return f"{sign}¥{whole:,}.{cents:02d}"
