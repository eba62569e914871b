"""The operator's monthly extract for ``telcare run``: one table of customers, a row each.

Each column has a kind (text, an integer with its bounds, a date written
``YYYY-MM-DD``, a flag, a share from 0 to 1, or a code from a fixed list), and is
required or optional; an optional column may be left out of the file or left
empty in a row (its default then applies: 0, no date, ``true`` for
``paid_on_time``, ``""`` for ``manager`` and ``team``).  :func:`extract_schema` is the same
contract as a JSON Schema for one row (``docs/run_schema.json``).

>>> [c.name for c in COLUMNS][:4]
['customer_id', 'activated_on', 'plan_fee', 'bill']
>>> extract_schema()["properties"]["verification"]["enum"]
['unverified', 'genuine', 'suspicious']
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from telcare._core.limits import MAX_AVG_SPEND, MAX_BILL, MAX_COUNT, MAX_DAYS, MAX_FEN, MAX_POINTS
from telcare.customers import AccountStatus, Verification
from telcare.policy import Policy, as_policy

__all__ = [
    "COLUMNS",
    "IDENTITY",
    "STATUS_CODES",
    "VERIFICATION_CODES",
    "Col",
    "extract_schema",
    "table_schema",
]

Kind = Literal["text", "int", "date", "flag", "share", "code"]

#: The codes of ``verification`` and ``status``, in the order of their integer values.
VERIFICATION_CODES = tuple(v.name.lower() for v in Verification)
STATUS_CODES = tuple(s.name.lower() for s in AccountStatus)


@attrs.frozen(slots=True)
class Col:
    """One column of the extract: its name, kind, whether it is required, its bounds
    (integers) or codes, and what it holds."""

    name: str
    kind: Kind
    required: bool
    doc: str
    low: int = 0
    high: int = 0
    codes: tuple[str, ...] = ()


#: The columns of the extract, in the order the sample file writes them.
COLUMNS: tuple[Col, ...] = (
    Col("customer_id", "text", True, "the customer's id (unique in the file)"),
    Col("activated_on", "date", True, "the day the line was activated (on or before the month's end)"),
    Col("plan_fee", "int", True, "the monthly plan fee, fen", 0, MAX_FEN),
    Col("bill", "int", True, "the month's bill, fen (0: no bill this month)", 0, MAX_BILL),
    Col("data_bill", "int", False, "the data part of the bill, fen (at most bill)", 0, MAX_BILL),
    Col("paid_on_time", "flag", False, "the bill was paid on time (default true)"),
    Col("avg_spend", "int", True, "average monthly spend over the tier window ending with this month, fen", 0, MAX_AVG_SPEND),
    Col("months_counted", "int", True, "billed months in that window (at most tiers.window_months)", 0, 120),
    Col("tier", "code", False, "the tier held before this month, read only for a customer the store does not know yet (default: the lowest)"),
    Col("verification", "code", True, "the identity check", codes=VERIFICATION_CODES),
    Col("status", "code", True, "the account's state", codes=STATUS_CODES),
    Col("credit_level", "int", True, "the credit level (1 to the policy's highest)", 1, 100),
    Col("arrears", "int", True, "credit used now, fen", 0, MAX_FEN),
    Col("sms_last_hour", "int", False, "text messages sent in the last hour (the spam guard)", 0, MAX_COUNT),
    Col("days_over", "int", False, "days the account has been over its credit allowance", 0, MAX_DAYS),
    Col("trailing_mean", "int", False, "mean bill of the three months before, fen (0: unknown)", 0, MAX_BILL),
    Col("forwarded_share", "share", False, "share of calls forwarded (0 to 1)"),
    Col("contract_ends_on", "date", False, "the day the contract ends (empty: no contract)"),
    Col("birthday", "date", False, "the customer's birthday (empty: unknown)"),
    Col("manager", "text", False, "the customer's service manager (empty: none)"),
    Col("team", "text", False, "the team of the customer's service manager (empty: none)"),
    Col("points_redeemed", "int", False, "points the customer asked to redeem this month", 0, MAX_POINTS),
    Col("id_number", "text", False, "the holder's ID number (empty: unknown): the watch list"),
    Col("contact_phone", "text", False, "the contact phone given at activation (empty: unknown)"),
    Col("address", "text", False, "the address given at activation (empty: unknown)"),
    Col("operator", "text", False, "the operator who opened the account (empty: unknown)"),
)  # fmt: skip

#: The identity columns the watch list reads (``telcare.watch_list``'s four keys).
IDENTITY = ("id_number", "contact_phone", "address", "operator")

_JSON_TYPES = {"text": "string", "int": "integer", "date": "string", "flag": "boolean",
               "share": "number", "code": "string"}  # fmt: skip


def bounds(col: Col, policy: Policy) -> tuple[int, int]:
    """The integer bounds of ``col`` under ``policy`` (the window and the credit levels)."""
    if col.name == "months_counted":
        return 0, policy.tiers.window_months
    if col.name == "credit_level":
        return 1, max(policy.credit.allowances)
    return col.low, col.high


def codes(col: Col, policy: Policy) -> tuple[str, ...]:
    """The codes ``col`` takes under ``policy`` (the tier ladder's for ``tier``)."""
    return tuple(policy.tiers.codes) if col.name == "tier" else col.codes


def extract_schema(policy: Policy | None = None) -> dict[str, Any]:
    """The JSON Schema of one row of the extract under ``policy`` (default: the default)."""
    return table_schema(COLUMNS, "telcare run: one customer of the monthly extract", policy)


def table_schema(
    columns: tuple[Col, ...], title: str, policy: Policy | None = None
) -> dict[str, Any]:
    """The JSON Schema of one row of a table of ``columns`` (the extract's, or one of the
    optional files' of :mod:`telcare.cli._run_side_schema`)."""
    policy = as_policy(policy)
    props: dict[str, Any] = {}
    for col in columns:
        prop: dict[str, Any] = {"type": _JSON_TYPES[col.kind], "description": col.doc}
        if col.kind == "int":
            prop["minimum"], prop["maximum"] = bounds(col, policy)
        elif col.kind == "date":
            prop["format"] = "date"
        elif col.kind == "share":
            prop["minimum"], prop["maximum"] = 0, 1
        elif col.kind == "code":
            prop["enum"] = list(codes(col, policy))
        elif col.required:
            prop["minLength"] = 1
        if not col.required:
            prop = {"oneOf": [prop, {"type": "null"}], "description": col.doc}
        props[col.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "required": [c.name for c in columns if c.required],
        "properties": props,
        "additionalProperties": False,
    }
