"""The fuzz table: every public callable, fed values from the whole range of their types.

Each callable of ``telcare.__all__`` (and of the engine modules) is called with
arguments drawn from everything a caller could pass: ints of any size, floats with
NaN and infinities, decimals, huge and unicode strings, dates and datetimes from
``datetime.min`` to ``datetime.max``, naive and aware, numpy arrays of every dtype
and of 0, 1 and 2 dimensions, masked arrays, lists, None, and now and then a valid
value of the kind the parameter wants.  The only outcomes allowed are an answer or
a :class:`~telcare.TelcareError` (pydantic's ``ValidationError`` for the policy
models, as the contract says); any other exception or a warning fails the test
(pytest turns warnings into errors here).  Each example must finish within the
profile's deadline, so a hang fails too.

The ``ci`` profile draws ``FUZZ_EXAMPLES`` calls per callable; run deeper with
``pytest tests/test_fuzz.py --hypothesis-profile=nightly``.
"""

from __future__ import annotations

import contextlib
import enum
import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import telcare as tc
from telcare import strategies as tcs

FUZZ_EXAMPLES = 40
POLICY = tc.default_policy()
CUSTOMER = tc.Customer(
    "c1", activated_on=date(2010, 1, 4), plan_fee=9_600, monthly_spend=(50_000,) * 12
)

ZONES = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**62, max_value=2**200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.text(max_size=8),
    st.sampled_from(["", " ", "1,50", "1e999999999", "inf", "nan", "None", "ordinary", "gold",
                     "phone_manager", "x" * 10_000, "新用户回访"]),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=ZONES),
    st.sampled_from([date.min, date.max, datetime.min, datetime.max,
                     datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC)]),
)  # fmt: skip
dtypes = st.one_of(
    hnp.integer_dtypes(), hnp.unsigned_integer_dtypes(), hnp.floating_dtypes(), hnp.boolean_dtypes(),
    hnp.datetime64_dtypes(), hnp.unicode_string_dtypes(max_len=4),
)  # fmt: skip
arrays = st.one_of(
    hnp.arrays(dtypes, hnp.array_shapes(min_dims=0, max_dims=2, max_side=4)),
    hnp.arrays(dtypes, st.integers(0, 5)),
    st.builds(
        lambda data, mask: np.ma.masked_array(
            data, mask=mask[: len(data)] + [False] * (len(data) - len(mask))
        ),
        hnp.arrays(hnp.integer_dtypes(), st.integers(1, 4)),
        st.lists(st.booleans(), max_size=4),
    ),
    st.lists(scalars, max_size=4),
    st.lists(st.integers(-(2**70), 2**70), max_size=4).map(lambda xs: np.array(xs, dtype=object)),
)
wild = st.one_of(scalars, arrays)

#: A valid value of a kind, for parameters annotated with it (so deeper code is reached).
VALID: dict[str, st.SearchStrategy[Any]] = {
    "Policy": st.just(POLICY),
    "Customer": tcs.customers(),
    "CallbackFacts": st.builds(tc.CallbackFacts),
    "CampaignCounts": st.just(tc.CampaignCounts(valid_targets=100, dialled=90, connected=80, contacted=70, deals=10)),
    "CallbackCounts": st.just(tc.CallbackCounts(10, 9, 8, 7, 6, 5)),
    "Rate": st.builds(lambda n, k: tc.Rate(min(k, n), n), st.integers(0, 50), st.integers(0, 50)),
    "PointsLedger": st.just(tc.PointsLedger.empty("c1").accrue("b", date(2010, 1, 5), 100, "consumption")),
    "Moment": st.sampled_from(list(tc.Moment)),
    "date": st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    "datetime": st.datetimes(datetime(1990, 1, 1), datetime(2030, 12, 31), timezones=ZONES),
}  # fmt: skip

#: What each callable may raise besides TelcareError (the contract: pydantic for policies).
ALSO_ALLOWED: dict[str, tuple[type[BaseException], ...]] = {
    name: (pydantic.ValidationError,)
    for name in tc.__all__
    if isinstance(getattr(tc, name), type) and issubclass(getattr(tc, name), pydantic.BaseModel)
}


def _public_callables() -> list[tuple[str, Callable[..., Any]]]:
    found = [(name, getattr(tc, name)) for name in tc.__all__ if callable(getattr(tc, name))]
    # Exceptions are not called with data; calling an enum class is the standard library's
    # lookup (its own ValueError/TypeError), while telcare's conversions to its enums are
    # fuzzed through the functions and constructors that take them.
    found = [
        (n, f)
        for n, f in found
        if not (isinstance(f, type) and issubclass(f, BaseException | enum.Enum))
    ]
    try:
        from telcare import on_dask

        found += [(f"on_dask.{n}", getattr(on_dask, n)) for n in on_dask.__all__]
    except ImportError:  # pragma: no cover - the dask extra is part of the test extra
        pass
    return sorted(found, key=lambda item: item[0])


CALLABLES = _public_callables()


def _strategy_for(parameter: inspect.Parameter) -> st.SearchStrategy[Any]:
    annotation = str(parameter.annotation)
    valid = [strategy for kind, strategy in VALID.items() if kind in annotation]
    return st.one_of(wild, *valid) if valid else wild


@st.composite
def calls(draw: st.DrawFn, function: Callable[..., Any]) -> tuple[list[Any], dict[str, Any]]:
    target = function.__init__ if isinstance(function, type) else function  # type: ignore[misc]
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):  # pragma: no cover - every public callable has one
        return [], {}
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for parameter in signature.parameters.values():
        if parameter.name == "self":
            continue
        if parameter.kind is parameter.VAR_POSITIONAL:
            args += draw(st.lists(wild, max_size=2))
        elif parameter.kind is parameter.VAR_KEYWORD:
            names = st.sampled_from(
                ["used", "allowance", "birthday", "contract_ends_on", "colour", "x"]
            )
            kwargs.update(draw(st.dictionaries(names, wild, max_size=2)))
        elif parameter.default is parameter.empty or draw(st.booleans()):
            value = draw(_strategy_for(parameter))
            if parameter.kind is parameter.KEYWORD_ONLY:
                kwargs[parameter.name] = value
            else:
                args.append(value)
        # else: leave the default
    return args, kwargs


@pytest.mark.parametrize(("name", "function"), CALLABLES, ids=[name for name, _ in CALLABLES])
def test_every_public_callable_answers_or_raises_a_telcare_error(
    name: str, function: Callable[..., Any]
) -> None:
    allowed = (tc.TelcareError, *ALSO_ALLOWED.get(name, ()))

    @settings(
        max_examples=FUZZ_EXAMPLES if settings().max_examples < 1_000 else settings().max_examples,
        deadline=timedelta(seconds=5),
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        args, kwargs = data.draw(calls(function), label="call")
        with contextlib.suppress(*allowed):  # an answer, or a TelcareError: both fine
            function(*args, **kwargs)

    fuzz()


def test_the_table_covers_the_whole_public_surface() -> None:
    names = {name for name, _ in CALLABLES}
    functions = {n for n in tc.__all__ if inspect.isfunction(getattr(tc, n))}
    assert functions <= names
    assert len(CALLABLES) >= 100, len(CALLABLES)
