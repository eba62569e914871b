"""The whole-base moment scan: the same answers as the one-customer replay, each moment at its edges."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare.moments._credit_alert import COLOURS
from telcare.moments._usage_anomaly import trailing_mean

SH = ZoneInfo("Asia/Shanghai")


POLICY = tc.default_policy()


AS_OF = date(2011, 11, 10)


M = tc.Moment


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=SH)


days_back = st.integers(0, 40)


customer_state = st.fixed_dictionaries(
    {
        "usage": st.none()
        | st.tuples(st.integers(0, 40_000), st.sampled_from([0, 5_000, 15_000]), days_back),
        "spends": st.lists(st.integers(0, 50_000), max_size=5),
        "forwarded": st.sampled_from([0.0, 0.29, 0.3, 0.6]),
        "spend_days_back": days_back,
        "contract_ends": st.none()
        | st.dates(AS_OF - timedelta(days=30), AS_OF + timedelta(days=60)),
        "birthday": st.none() | st.dates(date(1950, 1, 1), date(2000, 12, 31)),
        "lot": st.none()
        | st.tuples(st.integers(1, 5_000), st.dates(date(2010, 6, 1), date(2011, 11, 30))),
        "contacts": st.dictionaries(st.sampled_from(tc.SNAPSHOT_MOMENTS), days_back, max_size=3),
    }
)


def build(
    i: int, state: dict[str, Any]
) -> tuple[tc.Customer, list[tc.Event], tc.PointsLedger | None, dict[str, Any]]:
    cid = f"c{i}"
    c = tc.Customer(cid, activated_on=date(2005, 1, 1), plan_fee=0, birthday=state["birthday"])
    events: list[tc.Event] = []
    row: dict[str, Any] = {
        "birthday": state["birthday"],
        "contract_ends_on": state["contract_ends"],
    }
    if state["usage"]:
        used, allowance, back = state["usage"]
        since = AS_OF - timedelta(days=back)
        events.append(tc.UsageReading(cid, at(since), used=used, allowance=allowance))
        row.update(used=used, allowance=allowance, alert_since=since)
    else:
        row.update(used=0, allowance=1, alert_since=AS_OF)
    spends = state["spends"]
    reading_on = AS_OF - timedelta(days=state["spend_days_back"])
    if spends:
        for k, spend in enumerate(spends):
            day = reading_on - timedelta(days=31 * (len(spends) - 1 - k))
            share = state["forwarded"] if k == len(spends) - 1 else 0.0
            events.append(tc.SpendReading(cid, at(day), month_spend=spend, forwarded_share=share))
        row.update(month_spend=spends[-1], trailing_mean=trailing_mean(spends[:-1], POLICY.moments.anomaly_months),
                   forwarded_share=state["forwarded"], reading_on=reading_on)  # fmt: skip
    else:
        row.update(month_spend=0, trailing_mean=0, forwarded_share=0.0, reading_on=AS_OF)
    if state["contract_ends"]:
        events.append(
            tc.ContractEnding(cid, at(AS_OF - timedelta(days=90)), ends_on=state["contract_ends"])
        )
    ledger = None
    row.update(expiring_points=0, expires_on=None)
    if state["lot"]:
        points, earned = state["lot"]
        ledger = tc.PointsLedger.empty(cid).accrue("b", earned, points, "bonus")
        lots = ledger.expiring(AS_OF, POLICY.moments.points_expiry_days)
        if lots:
            row.update(
                expiring_points=sum(lot.points for lot in lots), expires_on=lots[0].expires_on
            )
    for moment, back in state["contacts"].items():
        when = AS_OF - timedelta(days=back)
        events.append(tc.ContactMade(cid, at(when), moment))
        row[f"contacted_{moment.value}"] = when
    return c, events, ledger, row


DAY = date(2023, 3, 10)


def D(text: str) -> np.datetime64:
    return np.datetime64(text, "D")


# ---- the scan equals the one-customer replay


@given(st.lists(customer_state, min_size=1, max_size=12))
def test_scan_equals_due_actions_customer_by_customer(states: list[dict[str, Any]]) -> None:
    built = [build(i, s) for i, s in enumerate(states)]
    columns: dict[str, list[Any]] = {}
    for *_, row in built:
        for k in row:
            columns.setdefault(k, [])
    for *_, row in built:
        for k in columns:
            columns[k].append(row.get(k))
    scan = tc.scan_moments(AS_OF, policy=POLICY, **columns)
    for i, (c, events, ledger, _) in enumerate(built):
        actions = {
            a.moment: a
            for a in tc.due_actions(c, events, as_of=AS_OF, policy=POLICY, ledger=ledger)
        }
        for moment in tc.SNAPSHOT_MOMENTS:
            a = actions.get(moment)
            assert bool(scan.due[moment][i]) == (a is not None), (moment, a, i)
            if a is not None:
                assert scan.due_by[moment][i] == np.datetime64(a.due_by), moment
                assert scan.opened_on[moment][i] == np.datetime64(a.opened_on), moment
                assert scan.status_names(moment)[i] == a.status, moment
        if M.CREDIT_ALERT in actions:
            assert COLOURS[scan.colour[i]] == actions[M.CREDIT_ALERT].outcome


def test_scan_counts_and_partial_columns() -> None:
    scan = tc.scan_moments(
        date(2010, 12, 1), contract_ends_on=[date(2010, 12, 31), None, date(2011, 6, 1)]
    )
    assert scan.due[M.CONTRACT_EXPIRY].tolist() == [True, False, False]
    assert set(scan.due) == {M.CONTRACT_EXPIRY}
    assert scan.counts() == {M.CONTRACT_EXPIRY: {"open": 1, "done": 0, "overdue": 0}}
    assert scan.colour is None


# ---- each moment at its boundary


@given(
    st.lists(st.dates(date(1904, 1, 1), date(2008, 12, 31)), min_size=1, max_size=20),
    st.dates(date(2010, 1, 1), date(2013, 12, 31)),
    st.integers(0, 40),
)
def test_birthday_windows_match_across_year_ends_and_leap_days(
    births: list[date], as_of: date, lead: int
) -> None:
    policy = POLICY.model_copy(
        update={"moments": POLICY.moments.model_copy(update={"birthday_days_before": lead})}
    )
    births = [*births, date(1980, 2, 29)]
    scan = tc.scan_moments(as_of, policy=policy, birthday=births)
    for i, born in enumerate(births):
        c = tc.Customer(f"c{i}", activated_on=date(2000, 1, 1), plan_fee=0, birthday=born)
        found = [
            a for a in tc.due_actions(c, [], as_of=as_of, policy=policy) if a.moment is M.BIRTHDAY
        ]
        assert bool(scan.due[M.BIRTHDAY][i]) == bool(found)
        if found:
            assert scan.due_by[M.BIRTHDAY][i] == np.datetime64(found[0].due_by)


def test_points_expiry_boundaries() -> None:
    # due when points > 0 and today <= expires <= today + 30 days
    scan = tc.scan_moments(
        DAY,
        expiring_points=[1, 0, 5, 5, 5, 5],
        expires_on=["2023-03-10", "2023-03-20", "2023-04-09", "2023-04-10", "2023-03-09", "NaT"],
    )
    assert scan.due[M.POINTS_EXPIRY].tolist() == [True, False, True, False, False, False]
    assert scan.opened_on[M.POINTS_EXPIRY][2] == D("2023-03-10")  # 30 days before expiry
    # contact within 7 days of opening, and never after the expiry itself
    assert scan.due_by[M.POINTS_EXPIRY][:3].tolist() == [
        D("2023-02-15"),
        D("2023-02-25"),
        D("2023-03-17"),
    ]
    assert scan.as_of == DAY


def test_usage_anomaly_boundaries() -> None:
    # a drop to half the trailing mean or lower; an empty mean never alerts
    scan = tc.scan_moments(
        DAY, month_spend=[500, 501, 0, 0, 1], trailing_mean=[1_000, 1_000, 0, 1, 2]
    )
    assert scan.due[M.USAGE_ANOMALY].tolist() == [True, False, False, True, True]
    assert scan.due_by[M.USAGE_ANOMALY][0] == D("2023-03-13")  # read today, 3 days to act
    shared = tc.scan_moments(
        DAY, month_spend=[900] * 3, trailing_mean=[1_000] * 3, forwarded_share=[0.3, 0.29, 1.0]
    )
    assert shared.due[M.USAGE_ANOMALY].tolist() == [True, False, True]


def test_credit_colours_at_their_edges() -> None:
    scan = tc.scan_moments(DAY, used=[1, 0, 1, 79, 80, 100], allowance=[1, 0, 0, 100, 100, 100])
    assert scan.colour is not None and scan.colour.tolist() == [3, 0, 3, 0, 1, 3]
    assert scan.due_by[M.CREDIT_ALERT][0] == D("2023-03-11")


def test_contract_expiry_opens_37_days_before_the_end() -> None:
    scan = tc.scan_moments(DAY, contract_ends_on=["2023-04-16", "2023-04-17", "NaT"])
    assert scan.due[M.CONTRACT_EXPIRY].tolist() == [True, False, False]
    assert scan.opened_on[M.CONTRACT_EXPIRY][0] == D("2023-03-10")
    assert scan.due_by[M.CONTRACT_EXPIRY][0] == D("2023-03-17")


@pytest.mark.parametrize(
    ("as_of", "due_on"),
    [
        (date(2023, 2, 28), "2023-02-28"),  # not a leap year: 29 Feb birthdays on 28 Feb
        (date(1900, 2, 28), "1900-02-28"),  # divisible by 100: not a leap year
        (date(2024, 2, 28), None),  # leap year: the birthday is tomorrow
        (date(2000, 2, 28), None),  # divisible by 400: a leap year
        (date(2024, 2, 29), "2024-02-29"),
        (date(2023, 3, 1), None),
    ],
)
def test_leap_day_birthdays(as_of: date, due_on: str | None) -> None:
    scan = tc.scan_moments(as_of, birthday=[date(1980, 2, 29)])
    assert bool(scan.due[M.BIRTHDAY][0]) is (due_on is not None)
    if due_on is not None:
        assert scan.due_by[M.BIRTHDAY][0] == D(due_on)


def test_birthday_window_under_a_policy_of_three_days_ahead() -> None:
    ahead = POLICY.model_copy(
        update={"moments": POLICY.moments.model_copy(update={"birthday_days_before": 3})}
    )
    born = [date(1990, 3, 13), date(1990, 3, 14), date(1990, 3, 10)]
    scan = tc.scan_moments(DAY, policy=ahead, birthday=born)
    assert scan.due[M.BIRTHDAY].tolist() == [True, False, True]
    assert scan.due_by[M.BIRTHDAY][0] == D("2023-03-13")
    assert scan.opened_on[M.BIRTHDAY][0] == D("2023-03-10")  # three days before


# ---- refusals and edges of the inputs


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"colour": [1]}, "unknown columns ['colour']"),
        ({"used": [1]}, "needs ['allowance']"),
        ({"used": [1, 2], "allowance": [1]}, "equal lengths"),
        ({"used": [-1], "allowance": [1]}, "used must be >= 0, got -1"),
        (
            {"month_spend": [1], "trailing_mean": [1], "forwarded_share": [1.5]},
            "shares in [0, 1], got 1.5",
        ),
        ({"birthday": ["not a date"]}, "birthday must hold dates"),
        ({"contacted_birthday": [date(2010, 1, 1)]}, "not evaluated: ['birthday']"),
        ({"contract_ends_on": [[date(2010, 1, 1)]]}, "1-D"),
    ],
)
def test_scan_bad_columns(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.scan_moments(date(2010, 1, 1), **kwargs)
    assert fragment in str(info.value)


def test_scan_needs_a_date() -> None:
    with pytest.raises(tc.InvalidInput, match="as_of"):
        tc.scan_moments(at(AS_OF))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"used": [1]}, r"needs \['allowance'\] together with \['used'\]"),
        ({"allowance": [1]}, r"needs \['used'\] together with \['allowance'\]"),
        ({"month_spend": [1]}, r"needs \['trailing_mean'\] together with \['month_spend'\]"),
        ({"trailing_mean": [1]}, r"needs \['month_spend'\] together with \['trailing_mean'\]"),
        ({"expiring_points": [1]}, r"needs \['expires_on'\] together with \['expiring_points'\]"),
        ({"expires_on": ["2023-01-01"]}, r"needs \['expiring_points'\] together with \['expires_on'\]"),
        ({"nonsense": [1]}, r"unknown columns \['nonsense'\]; scan_moments\(\) takes \[.alert_since., .allowance."),
        ({"contract_ends_on": ["soon"]}, "contract_ends_on must hold dates"),
        ({"contract_ends_on": [[D("2023-01-01")]]}, "contract_ends_on must be a 1-D column"),
        ({"month_spend": [1], "trailing_mean": [2], "forwarded_share": [0.2, 1.5]},
         "forwarded_share must hold shares in"),
        ({"month_spend": [1, 1], "trailing_mean": [2, 2], "forwarded_share": [0.2, 1.5]},
         r"forwarded_share must hold shares in \[0, 1\], got 1.5 at index 1"),
        ({"month_spend": [1], "trailing_mean": [2], "forwarded_share": [True]},
         "forwarded_share must be a 1-D column of shares in .0, 1., got dtype bool"),
        ({"month_spend": [1], "trailing_mean": [2], "forwarded_share": ["a"]},
         "forwarded_share must be a 1-D column of shares"),
        ({"month_spend": [1], "trailing_mean": [2], "forwarded_share": [[0.1]]},
         "forwarded_share must be a 1-D column of shares"),
    ],
)  # fmt: skip
def test_scan_refusals_name_the_column(columns: dict[str, Any], message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.scan_moments(DAY, **columns)


def test_scan_edges_of_its_inputs() -> None:
    with pytest.raises(tc.InvalidInput, match="as_of"):
        tc.scan_moments("2023-03-10", used=[1], allowance=[1])  # type: ignore[arg-type]
    empty = tc.scan_moments(DAY, month_spend=[], trailing_mean=[], forwarded_share=[])
    assert empty.due[M.USAGE_ANOMALY].shape == (0,)
    full = tc.scan_moments(DAY, month_spend=[1], trailing_mean=[2], forwarded_share=[1.0])
    assert full.due[M.USAGE_ANOMALY].tolist() == [True]
    assert full.opened_on[M.USAGE_ANOMALY].dtype == np.dtype("datetime64[D]")


# ---- time zones: the scan reads timestamps as due_actions does (no silent day shift)

ZONES = st.sampled_from(
    [ZoneInfo("UTC"), SH, ZoneInfo("America/New_York"), ZoneInfo("Pacific/Kiritimati")]
)
MOMENTS_AT = st.datetimes(datetime(2010, 1, 1), datetime(2012, 12, 31), timezones=ZONES)


@given(MOMENTS_AT, MOMENTS_AT)
def test_aware_timestamps_give_the_same_answer_as_due_actions(
    ends: datetime, contact: datetime
) -> None:
    import pandas as pd

    as_of = date(2011, 6, 1)
    person = tc.Customer("c", activated_on=date(2009, 1, 1), plan_fee=0)
    notice = tc.ContractEnding("c", datetime(2009, 1, 2, tzinfo=SH), ends_on=tc.local_date(ends))
    made = tc.ContactMade("c", contact, tc.Moment.CONTRACT_EXPIRY)
    events = [notice] + ([made] if tc.local_date(contact) <= as_of else [])
    expected = [
        a
        for a in tc.due_actions(person, events, as_of=as_of)
        if a.moment == tc.Moment.CONTRACT_EXPIRY
    ]
    for ends_column, contact_column in (
        ([ends], [contact] if events[-1] is made else [None]),
        (pd.Series(pd.to_datetime([ends], utc=True)),
         pd.Series(pd.to_datetime([contact if events[-1] is made else None], utc=True))),
    ):  # fmt: skip
        scan = tc.scan_moments(
            as_of, contract_ends_on=ends_column, contacted_contract_expiry=contact_column
        )
        due = bool(scan.due[tc.Moment.CONTRACT_EXPIRY][0])
        assert due == bool(expected)
        if expected:
            assert scan.due_by[tc.Moment.CONTRACT_EXPIRY][0] == np.datetime64(expected[0].due_by)
            assert scan.status_names(tc.Moment.CONTRACT_EXPIRY)[0] == expected[0].status


@pytest.mark.parametrize(
    "column",
    [
        np.array(["2010-11-10T05:00"], dtype="datetime64[ns]"),
        [datetime(2010, 11, 10, 5)],
    ],
)
def test_naive_timestamps_with_a_time_of_day_are_refused(column: Any) -> None:
    with pytest.raises(tc.InvalidInput, match="naive"):
        tc.scan_moments(date(2010, 10, 4), contract_ends_on=column)


def test_midnight_timestamps_are_dates() -> None:
    column = np.array(["2010-11-10", "NaT"], dtype="datetime64[ns]")
    scan = tc.scan_moments(date(2010, 10, 4), contract_ends_on=column)
    assert scan.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == ["2010-10-11", "NaT"]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_timestamps_of_every_unit_at_midnight_read_as_their_dates(unit: str) -> None:
    column = np.array(["2010-11-10", "NaT"], dtype=f"datetime64[{unit}]")
    scan = tc.scan_moments(date(2010, 10, 4), contract_ends_on=column)
    assert scan.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == ["2010-10-11", "NaT"]
    with pytest.raises(tc.InvalidInput, match=r"naive timestamp .* at index 1"):
        tc.scan_moments(
            date(2010, 10, 4),
            contract_ends_on=np.array(
                ["2010-11-10", "2010-11-10T00:00:01"], dtype=f"datetime64[{unit}]"
            ),
        )


def test_coarse_units_and_mixed_python_columns_are_read_as_dates() -> None:
    months = tc.scan_moments(
        date(2010, 10, 4), contract_ends_on=np.array(["2010-11"], dtype="datetime64[M]")
    )
    assert months.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == ["2010-10-02"]
    mixed = [date(2010, 11, 10), datetime(2010, 11, 9, 17, 0, tzinfo=ZoneInfo("UTC")), None]
    scan = tc.scan_moments(
        date(2010, 10, 4), contract_ends_on=mixed
    )  # 17:00 UTC is 01:00 on the 10th
    assert scan.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == [
        "2010-10-11",
        "2010-10-11",
        "NaT",
    ]
    other = tc.Policy.model_validate({"timezone": "America/New_York"})
    late = tc.scan_moments(date(2010, 10, 4), policy=other, contract_ends_on=mixed[1:2])
    assert late.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == [
        "2010-10-10"
    ]  # 12:00 on the 9th


def test_a_tz_aware_pandas_index_reads_in_the_policy_zone() -> None:
    pd = pytest.importorskip("pandas")
    index = pd.DatetimeIndex(["2010-11-09 17:00"], tz="UTC")
    scan = tc.scan_moments(date(2010, 10, 4), contract_ends_on=index)
    assert scan.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == ["2010-10-11"]


def test_scan_refusals_quote_the_column_exactly() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^birthday must hold dates, got "):
        tc.scan_moments(date(2010, 10, 4), birthday=["not a date"])
    with pytest.raises(tc.InvalidInput, match=r"^birthday has a masked entry at index 0"):
        tc.scan_moments(
            date(2010, 10, 4),
            birthday=np.ma.masked_array(
                np.array(["2000-01-01"], dtype="datetime64[D]"), mask=[True]
            ),
        )
    with pytest.raises(tc.InvalidInput, match=r"^contacted_contract_expiry must hold dates, got "):
        tc.scan_moments(
            date(2010, 10, 4), contract_ends_on=["2010-11-10"], contacted_contract_expiry=["soon"]
        )
    with pytest.raises(
        tc.InvalidInput,
        match=r"^contract_ends_on holds the naive timestamp 2010-11-10T05:00:00 at index 0; give dates, or "
        r"timezone-aware timestamps that telcare reads in the policy's time zone$",
    ):
        tc.scan_moments(
            date(2010, 10, 4),
            contract_ends_on=np.array(["2010-11-10T05:00"], dtype="datetime64[s]"),
        )
    with pytest.raises(tc.InvalidInput, match=r"^used must be >= 0, got -1 at index 0$"):
        tc.scan_moments(date(2010, 10, 4), used=[-1], allowance=[10])
    with pytest.raises(tc.InvalidInput, match=r"^allowance must be <= 100000000000000, got "):
        tc.scan_moments(date(2010, 10, 4), used=[1], allowance=[10**15])


def test_a_contact_on_the_day_the_moment_opened_closes_it() -> None:
    scan = tc.scan_moments(
        date(2010, 10, 20), contract_ends_on=["2010-11-10", "2010-11-10"],
        contacted_contract_expiry=["2010-10-04", "2010-10-03"],
    )  # fmt: skip
    assert scan.status_names(tc.Moment.CONTRACT_EXPIRY).tolist() == ["done", "overdue"]


def test_the_scan_as_a_dict_and_as_html() -> None:
    scan = tc.scan_moments(
        date(2010, 10, 4), contract_ends_on=["2010-11-10", None], used=[90, 0], allowance=[100, 0]
    )
    d = scan.to_dict()
    assert d["contract_expiry_due"] == [True, False]
    assert d["contract_expiry_opened_on"][0] == date(2010, 10, 4)
    assert d["contract_expiry_due_by"][0] == date(2010, 10, 11)
    assert d["credit_colour"] == [2, 0]  # 90%: orange
    html = scan._repr_html_()
    assert "contract_expiry" in html and "open 1" in html


@pytest.mark.parametrize(
    ("unit", "value", "due_by"), [("W", "2010-11-11", "2010-10-12"), ("Y", "2011", "2010-12-02")]
)
def test_week_and_year_units_are_dates_already(unit: str, value: str, due_by: str) -> None:
    scan = tc.scan_moments(
        date(2010, 10, 4), contract_ends_on=np.array([value], dtype=f"datetime64[{unit}]")
    )
    assert scan.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == [due_by]


def test_naive_pandas_and_object_columns_read_like_numpy_ones() -> None:
    pd = pytest.importorskip("pandas")
    midnight = tc.scan_moments(
        date(2010, 10, 4), contract_ends_on=pd.Series(pd.to_datetime(["2010-11-10"]))
    )
    assert midnight.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == ["2010-10-11"]
    with pytest.raises(
        tc.InvalidInput, match=r"^contract_ends_on holds the naive timestamp 2010-11-10T05:00"
    ):
        tc.scan_moments(
            date(2010, 10, 4), contract_ends_on=pd.Series(pd.to_datetime(["2010-11-10 05:00"]))
        )
    objects = np.array([date(2010, 11, 10), None], dtype=object)
    scan = tc.scan_moments(date(2010, 10, 4), contract_ends_on=objects)
    assert scan.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == ["2010-10-11", "NaT"]
    with pytest.raises(tc.InvalidInput, match=r"^contract_ends_on\[1\] must be timezone-aware"):
        tc.scan_moments(
            date(2010, 10, 4), contract_ends_on=[date(2010, 11, 10), datetime(2010, 11, 10)]
        )


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("2010-11-10", r"^contract_ends_on must be a 1-D column, got shape \(\)$"),
        (np.array([["2010-11-10"]], dtype="datetime64[D]"), r"^contract_ends_on must be a 1-D column, got shape \(1, 1\)$"),
        (np.ma.masked_array(np.array(["2010-11-10"], dtype="datetime64[D]"), mask=[True]),
         r"^contract_ends_on has a masked entry at index 0; fill or drop the masked rows first$"),
    ],
)  # fmt: skip
def test_date_columns_of_the_wrong_shape_are_refused_as_such(column: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.scan_moments(date(2010, 10, 4), contract_ends_on=column)


def test_an_object_array_of_aware_datetimes_reads_in_the_policy_zone() -> None:
    column = np.array([datetime(2010, 11, 9, 17, 0, tzinfo=ZoneInfo("UTC"))], dtype=object)
    scan = tc.scan_moments(
        date(2010, 10, 4), contract_ends_on=column
    )  # 01:00 on the 10th in Shanghai
    assert scan.due_by[tc.Moment.CONTRACT_EXPIRY].astype(str).tolist() == ["2010-10-11"]


def test_the_registry_decides_which_columns_the_scan_takes() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^moments must be a MomentRegistry, got str$"):
        tc.scan_moments(date(2010, 10, 4), moments="all")  # type: ignore[arg-type]
    only = tc.MomentRegistry(tuple(spec for spec in tc.MOMENTS if spec.code != "birthday"))
    with pytest.raises(tc.InvalidInput, match=r"^unknown columns \['birthday'\]"):
        tc.scan_moments(date(2010, 10, 4), moments=only, birthday=["2000-10-04"])
    assert tc.scan_moments(date(2010, 10, 4), birthday=["2000-10-04"]).due[
        tc.Moment.BIRTHDAY
    ].tolist() == [True]


# ------------------------------------------------------ hostile arguments (#28)

_SCAN = tc.scan_moments(date(2010, 10, 4), used=[13_000, 1_000], allowance=[15_000] * 2)


@pytest.mark.parametrize("moment", ["gold", None, 3, np.array([1, 2]), ["credit_alert"]])
def test_status_names_refuses_a_moment_the_scan_did_not_evaluate_by_name(moment: object) -> None:
    with pytest.raises(tc.InvalidInput, match=r"moment must be one of \('credit_alert',\)"):
        _SCAN.status_names(moment)  # type: ignore[arg-type]


def test_status_names_takes_the_code_as_text_or_as_a_moment() -> None:
    assert _SCAN.status_names("credit_alert").tolist() == ["open", ""]
    assert _SCAN.status_names(tc.Moment.CREDIT_ALERT).tolist() == ["open", ""]


@pytest.mark.parametrize(
    "index", [3, "ab", {"a": 1}, np.ones((2, 2)), np.array([1.5, 2], np.float16), [7]]
)
def test_scan_to_frame_refuses_an_index_that_cannot_label_its_rows(index: object) -> None:
    with pytest.raises(tc.InvalidInput, match="index"):
        _SCAN.to_frame(index)


def test_scan_to_frame_lines_up_on_a_given_index() -> None:
    assert _SCAN.to_frame([7, 9]).index.tolist() == [7, 9]


@pytest.mark.parametrize("code", [None, np.array([1, 2, 3]), np.zeros(0), 3, "Not A Code"])
def test_registry_order_refuses_what_is_not_a_moment_code(code: object) -> None:
    with pytest.raises(tc.InvalidInput, match="code must be a snake_case str"):
        tc.MOMENTS.order(code)


def test_registry_order_places_an_unknown_code_after_the_others() -> None:
    assert tc.MOMENTS.order("first_bill") == tc.MOMENTS.order(tc.Moment.FIRST_BILL) == 2
    assert tc.MOMENTS.order(tc.MOMENTS["first_bill"]) == 2
    assert tc.MOMENTS.order("roaming_abroad") == len(tc.MOMENTS)
    assert np.array([1, 2]) not in tc.MOMENTS  # type: ignore[comparison-overlap]
    with pytest.raises(tc.InvalidInput, match="unknown moment"):
        tc.MOMENTS[np.array([1, 2])]


def test_a_day_shared_by_every_row_gives_the_scan_a_full_column_would() -> None:
    as_of = date(2010, 10, 4)
    n = 5
    cols = {"used": [0, 12_000, 13_500, 15_000, 20_000], "allowance": [15_000] * n,
            "month_spend": [0, 10, 4_000, 9_000, 1], "trailing_mean": [0, 100, 9_000, 9_000, 5],
            "expiring_points": [0, 5, 5, 0, 7]}  # fmt: skip
    on, today = np.datetime64("2010-10-20", "D"), np.datetime64(as_of, "D")
    shared = tc.scan_moments(as_of, **cols, expires_on=np.broadcast_to(on, (n,)))
    full = tc.scan_moments(as_of, **cols, expires_on=np.full(n, on), alert_since=np.full(n, today),
                           reading_on=np.full(n, today))  # fmt: skip
    assert set(shared.due) == set(full.due)
    for m in full.due:
        assert shared.due[m].tolist() == full.due[m].tolist()
        assert shared.status[m].tolist() == full.status[m].tolist()
        assert shared.opened_on[m].tolist() == full.opened_on[m].tolist()
        assert shared.due_by[m].tolist() == full.due_by[m].tolist()
    assert shared.opened_on["points_expiry"].tolist() == [date(2010, 9, 20)] * n
    assert shared.due_by["points_expiry"].tolist() == [date(2010, 9, 27)] * n
    assert shared.due_by["credit_alert"].tolist() == [date(2010, 10, 5)] * n


def test_the_scan_hands_back_no_column_of_the_callers_own() -> None:
    since = np.array(["2010-10-01", "2010-10-02"], dtype="datetime64[D]")
    reading = np.array(["2010-10-03", "2010-10-04"], dtype="datetime64[D]")
    scan = tc.scan_moments(date(2010, 10, 4), used=[15_000, 15_000], allowance=[15_000] * 2,
                           alert_since=since, month_spend=[0, 0], trailing_mean=[9, 9],
                           reading_on=reading)  # fmt: skip
    for day, moment in ((since, tc.Moment.CREDIT_ALERT), (reading, tc.Moment.USAGE_ANOMALY)):
        opened = scan.opened_on[moment]
        assert opened.tolist() == day.tolist()
        assert not np.shares_memory(opened, day)


def test_a_birthday_contact_opening_on_the_day_shares_one_read_only_column() -> None:
    scan = tc.scan_moments(date(2010, 10, 4), birthday=[date(1980, 10, 4), date(1990, 1, 2), None])
    opened, due = scan.opened_on[tc.Moment.BIRTHDAY], scan.due_by[tc.Moment.BIRTHDAY]
    assert opened.tolist() == due.tolist() == [date(2010, 10, 4), None, None]
    assert not opened.flags.writeable and not due.flags.writeable
    early = tc.Policy.model_validate({"moments": {"birthday_days_before": 2}})
    scan = tc.scan_moments(date(2010, 10, 2), birthday=[date(1980, 10, 4)], policy=early)
    assert scan.opened_on[tc.Moment.BIRTHDAY].tolist() == [date(2010, 10, 2)]
    assert scan.due_by[tc.Moment.BIRTHDAY].tolist() == [date(2010, 10, 4)]
