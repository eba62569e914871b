from __future__ import annotations

import pytest

import telcare as tc


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (tc.InvalidInput, ValueError),
        (tc.InsufficientPoints, ValueError),
        (tc.DuplicatePosting, ValueError),
    ],
)
def test_every_error_is_a_telcare_error_and_its_builtin(
    error: type[Exception], builtin: type[Exception]
) -> None:
    assert issubclass(error, tc.TelcareError)
    assert issubclass(error, builtin)


def test_insufficient_points_names_the_figures() -> None:
    err = tc.InsufficientPoints(requested=500, available=120, customer_id="c1")
    assert (err.requested, err.available, err.customer_id) == (500, 120, "c1")
    assert "500" in str(err) and "120" in str(err) and "'c1'" in str(err)


def test_duplicate_posting_names_the_ref() -> None:
    err = tc.DuplicatePosting("bill-2010-01", existing=("accrue", 10), attempted=("accrue", 11))
    assert "bill-2010-01" in str(err) and "11" in str(err)


def test_every_exception_class_telcare_defines_is_a_telcare_error_and_a_builtin() -> None:
    import inspect

    from telcare._core import errors

    leaves = [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, Exception) and cls is not tc.TelcareError
    ]
    assert leaves, "the errors module defines no leaf"
    for cls in leaves:
        assert issubclass(cls, tc.TelcareError), cls
        assert any(issubclass(cls, b) for b in (ValueError, TypeError, LookupError)), cls
