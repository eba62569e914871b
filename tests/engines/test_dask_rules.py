"""Every registered rule on Dask equals the single-process answer on every row."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

import telcare as tc
import telcare.frames as tf
from telcare.engines import RULES

dd = pytest.importorskip("dask.dataframe")
from telcare import on_dask  # noqa: E402

N = 301
R = np.random.default_rng(11)
SPEND = R.integers(0, 120_000, N)
COLUMNS = {
    "evaluate_tiers": {"avg_spend": SPEND, "months": R.integers(0, 13, N), "current": R.integers(0, 5, N)},
    "points_for_bills": {"spend": SPEND, "data_spend": SPEND // 3, "paid_on_time": R.random(N) < 0.9,
                         "tier": R.choice(["ordinary", "vip", "gold"], N), "tenure_years": R.integers(0, 3, N)},
    "check_benefits": {"tier": R.integers(0, 5, N), "segment_member": R.random(N) < 0.1,
                       "plan_fee": R.choice([3_800, 9_600, 12_800], N), "verification": R.integers(0, 3, N),
                       "status": R.integers(0, 3, N)},
    "check_suspensions": {"arrears": R.integers(0, 80_000, N), "credit_level": R.integers(1, 6, N),
                          "sms_last_hour": R.integers(0, 300, N)},
    "watch_list": {"id_numbers": R.integers(0, 300, N).astype(str), "contact_phones": R.integers(0, 900, N).astype(str),
                   "addresses": R.integers(0, 900, N).astype(str), "operator_ids": R.integers(0, 20, N).astype(str)},
    "scan_moments": {"used": R.integers(0, 20_000, N), "allowance": np.full(N, 15_000)},
}  # fmt: skip
_BOOK = tc.PointsBook.empty(np.arange(N)).post(date(2010, 1, 28), R.integers(0, 900, N))
COLUMNS["book_balances"] = tc.book_to_columns(_BOOK.post(date(2010, 12, 28), R.integers(0, 9, N)))
OPTIONS = {
    "scan_moments": {"as_of": date(2010, 12, 1)},
    "book_balances": {"as_of": date(2011, 11, 1)},
}


def test_every_rule_has_a_dask_form() -> None:
    assert set(on_dask.__all__) == set(RULES)
    assert set(COLUMNS) == set(RULES) - {"mid_high_end", "rates_by_group", "book_totals"}


def test_watch_list_counts_sharing_across_partitions() -> None:
    """Three accounts share an ID, one per partition: each partition alone sees one."""
    frame = pd.DataFrame({"id_numbers": ["A", "x", "A", "y", "A", "z"], "contact_phones": list("pqrstu"),
                          "addresses": list("abcdef"), "operator_ids": list("123456")})  # fmt: skip
    got = on_dask.watch_list(dd.from_pandas(frame, npartitions=3)).compute(scheduler="sync")
    assert got["watch"].tolist() == tc.watch_list(*(frame[c] for c in frame.columns)).tolist()
    assert got["watch"].tolist() == [True, False, True, False, True, False]


@pytest.mark.parametrize("rule", sorted(COLUMNS))
def test_row_rules_on_dask_equal_one_process(rule: str) -> None:
    frame = pd.DataFrame(COLUMNS[rule])
    expected = getattr(tf, rule)(frame, **OPTIONS.get(rule, {}))
    got = getattr(on_dask, rule)(dd.from_pandas(frame, npartitions=4), **OPTIONS.get(rule, {}))
    got = got.compute(scheduler="sync")
    assert list(got.columns) == list(expected.columns) and got.index.equals(expected.index)
    added = [c for c in expected.columns if c not in frame.columns or c in RULES[rule].outputs]
    pd.testing.assert_frame_equal(got[added], expected[added])
    categorical = [c for c in got.columns if isinstance(got[c].dtype, pd.CategoricalDtype)]
    assert all(got[c].dtype == expected[c].dtype for c in categorical)
    assert not [c for c in got.columns if got[c].dtype == object and c not in frame.columns]


def test_rates_by_group_is_exact_across_partitions() -> None:
    groups, successes = R.integers(0, 6, N), R.integers(0, 2, N)
    frame = dd.from_pandas(pd.DataFrame({"groups": groups, "successes": successes}), npartitions=5)
    got = on_dask.rates_by_group(frame)
    expected = tc.rates_by_group(groups, successes)
    assert got.numerator.tolist() == expected.numerator.tolist()
    assert got.denominator.tolist() == expected.denominator.tolist()
    assert got.low.tolist() == expected.low.tolist() and got.high.tolist() == expected.high.tolist()
    with pytest.raises(tc.InvalidInput, match="needs a dask DataFrame"):
        on_dask.check_benefits(pd.DataFrame(COLUMNS["check_benefits"]))


def test_watch_list_on_dask_keeps_the_presence_rule() -> None:
    """Blank and missing keys never count, in any partition; the kernels are the
    single-process ones (shared_counts, busy_keys, shared_flags)."""
    frame = pd.DataFrame({"id_numbers": ["  ", "B", "  ", None, "  ", "B", "B", ""],
                          "contact_phones": list("pqrstuvw"), "addresses": list("abcdefgh"),
                          "operator_ids": list("12345678")})  # fmt: skip
    got = on_dask.watch_list(dd.from_pandas(frame, npartitions=4)).compute(scheduler="sync")
    single = tc.watch_list(*(frame[c] for c in frame.columns))
    assert (
        got["watch"].tolist()
        == single.tolist()
        == [False, True, False, False, False, True, True, False]
    )


def test_the_distributed_page_lists_every_registered_rule() -> None:
    """docs/distributed.md has a row per rule of the registry, so a new rule cannot be
    left out of the page (the functions themselves are generated)."""
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "distributed.md").read_text(encoding="utf-8")
    rows = [line.split("`")[1] for line in page.splitlines() if line.startswith("| `")]
    listed = {name for name in rows if not name.startswith("pip ")}
    assert listed == set(RULES)


def test_watch_list_on_dask_reads_a_keyword_of_none_as_the_default_column() -> None:
    """#28: id_numbers=None raised KeyError '[nan] not in index'; frames reads the default
    column, and so does Dask now.  Two inputs may also name one column."""
    frame = pd.DataFrame({"id_numbers": ["A", "A", "A", "B"], "contact_phones": list("pqrs"),
                          "addresses": list("wxyz"), "operator_ids": list("1234")})  # fmt: skip
    ddf = dd.from_pandas(frame, npartitions=2)
    got = on_dask.watch_list(ddf, id_numbers=None).compute(scheduler="sync")  # type: ignore[arg-type]
    assert got["watch"].tolist() == tf.watch_list(frame, id_numbers=None)["watch"].tolist()
    assert got["watch"].tolist() == [True, True, True, False]
    shared = on_dask.watch_list(ddf, contact_phones="id_numbers").compute(scheduler="sync")
    assert shared["watch"].tolist() == [True, True, True, False]
    with pytest.raises(tc.InvalidInput, match="id_numbers= names a column, got 3"):
        on_dask.watch_list(ddf, id_numbers=3)  # type: ignore[arg-type]


def test_watch_list_on_dask_reads_pandas_na_as_no_key_like_one_process() -> None:
    """#28: telcare.watch_list refused pandas NA as a key while Dask read it as no key."""
    ids = pd.array(["A", pd.NA, "A", "A", pd.NA, pd.NA], dtype="string")
    cols = {"id_numbers": ids, "contact_phones": [""] * 6, "addresses": [""] * 6,
            "operator_ids": [""] * 6}  # fmt: skip
    single = tc.watch_list(*cols.values())
    got = on_dask.watch_list(dd.from_pandas(pd.DataFrame(cols), npartitions=3)).compute(
        scheduler="sync"
    )
    assert got["watch"].tolist() == single.tolist() == [True, False, True, True, False, False]


def test_rates_by_group_on_dask_judges_the_groups_first_as_one_process_does() -> None:
    """#28: text and number groups in different partitions, and successes over trials in
    a later one: Dask refused the trials (the first partition's problem) where one process
    refuses the groups."""
    import dask

    cols = {"groups": ["a", "b", 2.5, "c"], "successes": [0, 0, 0, 1], "trials": [1, 1, 1, 0]}
    with pytest.raises(tc.InvalidInput, match="groups must be labels of one kind"):
        tc.rates_by_group(**cols)
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(pd.DataFrame(cols), npartitions=4, sort=False)
    for frame in (ddf, ddf.repartition(npartitions=1)):
        with pytest.raises(tc.InvalidInput, match="groups must be labels of one kind"):
            on_dask.rates_by_group(frame, trials="trials")
