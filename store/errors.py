"""The store's exceptions: every failure a caller can act on is one of these."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the store raises on purpose.

    A caller that catches StoreError has handled every failure the store knows
    about: bad input, a missing interaction, a forbidden state, or a database
    that cannot be written (busy for too long, read-only, disk full).
    """


class NotFound(StoreError):
    """The interaction (or other row) named by the caller does not exist."""


class Conflict(StoreError):
    """The operation is not allowed in the interaction's current state."""


class InvalidInput(StoreError):
    """The input is malformed; the message names the offending field."""


class StoreUnavailable(StoreError):
    """The database could not be opened or written (locked, read-only, full, not ours)."""
