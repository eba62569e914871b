"""Holdouts: a deterministic assignment from a hash of the salt and the id alone,
the share met within its binomial interval, and the sample-ratio check."""

from __future__ import annotations

import hashlib
import itertools
import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc

IDS = [f"1380{i:07d}" for i in range(20_000)]
salts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1).filter(
    lambda s: s == s.strip()
)


def _by_hand(ids: list[str], share: float, salt: str) -> list[bool]:
    """The documented rule, written out: sha256 of "salt:id", its first 8 bytes."""
    cut = int(Decimal(str(share)) * 2**64)
    digest = [hashlib.sha256(f"{salt}:{i}".encode()).digest()[:8] for i in ids]
    return [int.from_bytes(d, "big") < cut for d in digest]


def test_the_assignment_is_the_documented_hash_of_salt_and_id() -> None:
    held = tc.holdout(IDS[:500], share=0.25, salt="programme-2010")
    assert held.dtype == np.bool_ and held.tolist() == _by_hand(IDS[:500], 0.25, "programme-2010")
    # an integer id is its decimal text, from a list or a numpy column
    assert tc.holdout([7, 12], share=0.5, salt="s").tolist() == _by_hand(["7", "12"], 0.5, "s")
    assert tc.holdout(np.array([7, 12]), share=0.5, salt="s").tolist() == _by_hand(
        ["7", "12"], 0.5, "s"
    )
    assert tc.holdout(np.array(IDS[:50]), share=0.5, salt="s").tolist() == _by_hand(
        IDS[:50], 0.5, "s"
    )


def test_a_share_of_zero_holds_nobody_and_a_decimal_share_reads_exactly() -> None:
    assert not tc.holdout(IDS[:1000], share=0, salt="s").any()
    assert (
        tc.holdout(IDS[:1000], share=Decimal("0.1"), salt="s").tolist()
        == tc.holdout(IDS[:1000], share=0.1, salt="s").tolist()
    )
    assert tc.holdout([], share=0.1, salt="s").tolist() == []
    # the quick check's separator inside an id is no padding: the id is hashed as given
    assert tc.holdout(["a\x1fb"], share=0.5, salt="s").tolist() == _by_hand(["a\x1fb"], 0.5, "s")


@given(st.floats(0.01, 0.5), salts)
def test_the_share_is_met_within_its_binomial_interval(share: float, salt: str) -> None:
    held = int(tc.holdout(IDS, share=share, salt=salt).sum())
    n = len(IDS)
    sd = math.sqrt(n * share * (1 - share))
    assert abs(held - n * share) <= 5 * sd  # fails about once in 1.7 million draws


@given(st.integers(0, 2**32 - 1), salts, st.integers(0, 2_000))
def test_one_ids_assignment_never_depends_on_the_others(seed: int, salt: str, k: int) -> None:
    ids = IDS[:2_000]
    flags = dict(zip(ids, tc.holdout(ids, share=0.3, salt=salt).tolist(), strict=True))
    shuffled = [ids[i] for i in np.random.default_rng(seed).permutation(len(ids))]
    subset = shuffled[:k]
    added = ["13899999999", "a much longer id than the others, in text"]
    for rows in (shuffled, subset, [*subset, *added], [*added, *subset]):
        got = tc.holdout(rows, share=0.3, salt=salt).tolist()
        assert [g for g, i in zip(got, rows, strict=True) if i in flags] == [
            flags[i] for i in rows if i in flags
        ]


def test_a_partitioned_run_gives_the_same_flags_as_one_run() -> None:
    """The marketing rules are not registered for Dask (``telcare.on_dask`` does not
    stand on marketing), so the partitions are numpy chunks of uneven sizes."""
    ids = np.array(IDS)
    whole = tc.holdout(ids, share=0.1, salt="programme-2010")
    cuts = [0, 1, 17, 4_000, 4_001, 12_345, len(ids)]
    parts = [
        tc.holdout(ids[a:b], share=0.1, salt="programme-2010") for a, b in itertools.pairwise(cuts)
    ]
    assert np.concatenate(parts).tolist() == whole.tolist()


def test_salts_draw_independent_groups() -> None:
    a = tc.holdout(IDS, share=0.5, salt="programme-2010")
    b = tc.holdout(IDS, share=0.5, salt="campaign:autumn")
    both = int((a & b).sum())
    assert abs(both - len(IDS) / 4) <= 5 * math.sqrt(len(IDS) * 0.25 * 0.75)


@pytest.mark.parametrize(
    ("ids", "kw", "message"),
    [
        (IDS[:3], {"share": 1, "salt": "s"}, r"share must be in \[0, 1\)"),
        (IDS[:3], {"share": -0.1, "salt": "s"}, r"share must be in \[0, 1\)"),
        (IDS[:3], {"share": float("nan"), "salt": "s"}, "share must be"),
        (IDS[:3], {"share": True, "salt": "s"}, "share must be"),
        (IDS[:3], {"share": 0.1, "salt": ""}, "salt must not be empty"),
        (IDS[:3], {"share": 0.1, "salt": 7}, "salt must be a str"),
        (["a", None], {"share": 0.1, "salt": "s"}, r"ids is missing at index 1 \(got None\)"),
        (["a", float("nan")], {"share": 0.1, "salt": "s"}, r"ids is missing at index 1"),
        (["a", " b"], {"share": 0.1, "salt": "s"}, r"ids\[1\] must be a label without edge"),
        (["a", ""], {"share": 0.1, "salt": "s"}, r"ids\[1\] must be a label without edge"),
        ([""], {"share": 0.1, "salt": "s"}, r"ids\[0\] must be a label without edge"),
        (["a\t", "b"], {"share": 0.1, "salt": "s"}, r"ids\[0\] must be a label without edge"),
        (["a", "b", "\u3000c"], {"share": 0.1, "salt": "s"}, r"ids\[2\] must be a label"),
        (["a", 1.5], {"share": 0.1, "salt": "s"}, r"ids\[1\] must be a text or integer label"),
        ("abc", {"share": 0.1, "salt": "s"}, "ids must be a column of labels, got the str"),
    ],
)
def test_holdout_refuses_by_name(ids: object, kw: dict[str, object], message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.holdout(ids, **kw)  # type: ignore[arg-type]


def test_a_missing_id_in_a_pandas_column_is_refused_by_row() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(tc.InvalidInput, match="ids is missing at index 1"):
        tc.holdout(pd.Series(["a", pd.NA, "c"]), share=0.1, salt="s")
    assert tc.holdout(pd.Series(IDS[:20]), share=0.5, salt="s").tolist() == _by_hand(
        IDS[:20], 0.5, "s"
    )


# ---- the sample-ratio check


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.floats(0.001, 0.999))
def test_the_sample_ratio_p_value_is_scipys_chisquare(t: int, c: int, share: float) -> None:
    stats = pytest.importorskip("scipy.stats")
    if t + c == 0:
        return
    r = tc.sample_ratio_check(t, c, share=share)
    expected = stats.chisquare([t, c], [(t + c) * (1 - share), (t + c) * share])
    assert r.chi_square == pytest.approx(float(expected.statistic), rel=1e-9, abs=1e-9)
    assert r.p_value == pytest.approx(float(expected.pvalue), rel=1e-6, abs=1e-300)
    assert r.mismatch == (r.p_value < 0.001)


def test_a_split_gone_wrong_is_flagged_and_a_healthy_one_is_not() -> None:
    held = tc.holdout(IDS, share=0.1, salt="programme-2010")
    healthy = tc.sample_ratio_check(int((~held).sum()), int(held.sum()), share=0.1)
    assert not healthy.mismatch and healthy.p_value > 0.001
    # a join dropped a fifth of the control group
    broken = tc.sample_ratio_check(int((~held).sum()), int(held.sum() * 0.8), share=0.1)
    assert broken.mismatch and broken.p_value < 1e-6
    assert tc.sample_ratio_check(9_000, 1_000, share=0.1, threshold=0.5).p_value == 1.0
    assert broken.to_dict()["mismatch"] is True


@pytest.mark.parametrize(
    ("args", "kw", "message"),
    [
        ((0, 0), {"share": 0.1}, "n_treated \\+ n_control is 0"),
        ((10, 1), {"share": 0}, r"share must be in \(0, 1\)"),
        ((10, 1), {"share": 1}, r"share must be in \(0, 1\)"),
        ((10, 1), {"share": 0.1, "threshold": 0}, r"threshold must be in \(0, 1\)"),
        ((-1, 1), {"share": 0.1}, "n_treated must be >= 0"),
        ((1, 10**10), {"share": 0.1}, "n_control must be <= 1000000000"),
        ((1.5, 1), {"share": 0.1}, "n_treated must be an int"),
    ],
)
def test_the_sample_ratio_check_refuses_by_name(
    args: tuple[object, object], kw: dict[str, object], message: str
) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.sample_ratio_check(*args, **kw)  # type: ignore[arg-type]
