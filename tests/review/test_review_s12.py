"""Session 12 hostile review: reproduced defects, each an xfail(strict) until fixed."""

from __future__ import annotations

import pickle
from datetime import date

import numpy as np
import pytest

from telcare import scan_moments
from telcare.policy import Policy, as_policy


@pytest.mark.xfail(
    strict=True,
    reason="with birthday_days_before=0 the birthday's opened_on and due_by are one "
    "read-only array; pickling keeps them one object but drops the read-only flag, so "
    "writing an unpickled opened_on silently changes its due_by",
)
def test_unpickled_scan_keeps_opened_on_and_due_by_apart() -> None:
    settings = as_policy(None).model_dump()
    settings["moments"]["birthday_days_before"] = 0
    policy = Policy.model_validate(settings)
    birthday = np.array(["1980-10-04", "1970-10-05"], dtype="datetime64[D]")
    scan = scan_moments(date(2010, 10, 4), policy=policy, birthday=birthday)
    back = pickle.loads(pickle.dumps(scan))
    (key,) = list(back.opened_on)
    due_by = back.due_by[key].copy()
    opened = back.opened_on[key]
    if opened.flags.writeable:  # a writeable column must be the scan's own
        opened[0] = np.datetime64("2000-01-01", "D")
    assert back.due_by[key].tolist() == due_by.tolist()
