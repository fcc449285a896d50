"""Errors the library raises on purpose; the front ends turn them into one-line messages."""


class CitebotError(Exception):
    """A problem the user can fix (bad corpus, stale or corrupt index, bad setting).

    ``key`` and ``values``, when given, name the message in ``bot.messages.REASONS`` that says the same in the
    bot's other languages (the message itself is the English)."""

    def __init__(self, *args, key: str | None = None, **values):
        super().__init__(*args)
        self.key, self.values = key, values


class CorruptIndex(CitebotError):
    """A file of the live build holds what no build writes (its bytes changed on disk), found as it was read."""


class IndexNotWritten(CitebotError):
    """A new build could not be written (a full disk, a read-only folder); the live build, if any, is unchanged."""


class CorpusUnavailable(CitebotError):
    """The corpus folder is not there, or cannot be listed (an unmounted share, a permission taken away)."""


class CorpusEmptied(CorpusUnavailable):
    """The corpus folder holds no file while the live build holds articles: a share not mounted leaves its mount point
    so, and emptying the index would embed every passage again once it is back."""


class UnreadableExport(CitebotError):
    """A file of an ONNX export is there but cannot be read (its bytes changed on disk)."""
