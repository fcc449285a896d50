"""Errors the library raises on purpose; the front ends turn them into one-line messages."""


class CitebotError(Exception):
    """A problem the user can fix (bad corpus, stale or corrupt index, bad setting)."""


class IndexNotWritten(CitebotError):
    """A new build could not be written (a full disk, a read-only folder); the live build, if any, is unchanged."""
