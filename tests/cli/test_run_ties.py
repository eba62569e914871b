"""``telcare run`` hands the segment integer tie codes for its text ids: the members
are those ``mid_high_end`` picks from the ids as Python strings, in one process and
through Dask, and no Python string is made for the whole base."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st

import telcare as tc
from telcare.cli._run_dask import dask_rules
from telcare.cli._run_rules import ONE_PROCESS, tie_codes


def _case(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    spend = rng.integers(0, 4, n) * 1_000  # few values: most rows tie with the cut
    eligible = rng.random(n) < 0.8
    tenure = rng.integers(0, 3, n)  # ties on tenure too, so the id decides
    ids = [f"{'ÿ' if k % 7 == 0 else 'c'}{rng.integers(0, 10**6)}-{k}" for k in range(n)]
    return spend, eligible, tenure, ids


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 300), st.sampled_from(["0.1", "0.5", "0.9"]))
def test_tie_codes_pick_the_members_the_text_ids_pick(seed: int, n: int, share: str) -> None:
    spend, eligible, tenure, ids = _case(seed, n)
    want = tc.mid_high_end(spend, eligible, tenure_days=tenure, ids=ids, share=share)
    got = ONE_PROCESS.segment(spend, eligible, tenure, pa.array(ids), share)
    assert got.tolist() == want.tolist()


def test_only_the_rows_tied_at_the_cut_get_a_code() -> None:
    spend = np.array([9, 5, 5, 5, 1])
    codes = tie_codes(spend, np.array([True] * 5), pa.array(["e", "d", "a", "c", "b"]), "0.4")
    assert codes.tolist() == [0, 3, 1, 2, 0]


@pytest.mark.parametrize("share", ["0.0001", "1"])
def test_no_tie_to_break_when_the_cut_takes_no_one_or_everyone(share: str) -> None:
    codes = tie_codes(np.array([5, 5]), np.array([True, True]), pa.array(["b", "a"]), share)
    assert codes.tolist() == [0, 0]


def test_numpy_ids_are_given_to_the_segment_as_they_are() -> None:
    ids = np.array(["b", "a"], dtype=object)
    assert tie_codes(np.array([5, 5]), np.array([True, True]), ids, "0.5") is ids


def test_dask_breaks_the_ties_as_one_process_does() -> None:
    spend, eligible, tenure, ids = _case(7, 400)
    want = tc.mid_high_end(spend, eligible, tenure_days=tenure, ids=ids, share="0.3")
    got = dask_rules([150, 250]).segment(spend, eligible, tenure, pa.array(ids), "0.3")
    assert got.tolist() == want.tolist()
