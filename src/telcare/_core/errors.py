"""The exceptions telcare raises.

Every exception derives from :class:`TelcareError`, so ``except TelcareError``
catches anything the library raises on purpose.  Leaves that describe bad
input also derive from the matching builtin, so existing ``except ValueError``
handlers keep working.

Ineligibility is never an exception: a customer who does not qualify for a
benefit gets a decision with ``eligible=False`` and its reasons.  Exceptions
are for misuse (bad input) and broken invariants (spending points that are
not there, posting the same reference twice with different content).

>>> from telcare._core.errors import DuplicatePosting, InsufficientPoints, InvalidInput, TelcareError
>>> all(issubclass(leaf, TelcareError) and issubclass(leaf, ValueError)
...     for leaf in (InvalidInput, InsufficientPoints, DuplicatePosting))
True
"""

from __future__ import annotations

__all__ = ["DuplicatePosting", "InsufficientPoints", "InvalidInput", "TelcareError"]


class TelcareError(Exception):
    """Base class of every error telcare raises on purpose."""


class InvalidInput(TelcareError, ValueError):
    """A value given to telcare is not acceptable.

    Raised for negative money, NaN or infinite amounts, arrays of different
    lengths, naive datetimes, unknown tier or benefit codes, events out of
    order, and the like.  The message quotes the offending value and says what
    was expected.  The call that raised it changed nothing.
    """


class InsufficientPoints(TelcareError, ValueError):
    """A redemption or transfer asked for more points than the balance holds.

    The ledger is left exactly as it was.
    """

    def __init__(self, requested: int, available: int, customer_id: str) -> None:
        self.requested = requested
        self.available = available
        self.customer_id = customer_id
        super().__init__(
            f"customer {customer_id!r} asked for {requested} points "
            f"but only {available} are available"
        )


class DuplicatePosting(TelcareError, ValueError):
    """A posting reference was reused with different content.

    Posting the same reference again with the same content is a harmless
    no-op (a retried bill must not pay twice); reusing it for something else
    is almost always a bug upstream, so telcare refuses it.
    """

    def __init__(self, ref: str, existing: object, attempted: object) -> None:
        self.ref = ref
        self.existing = existing
        self.attempted = attempted
        super().__init__(
            f"reference {ref!r} was already posted as {existing!r}; "
            f"refusing a different posting {attempted!r} under the same reference"
        )
