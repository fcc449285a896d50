"""The corpus folder watched for hand edits (a file dropped in, edited or deleted, a sync) by a running bot or chat:
every ``CITEBOT_WATCH_SECONDS`` the index is brought up to date with it, only what changed embedded again.

>>> watch = CorpusWatch(IndexBuilder(Path("corpus"), Path(".citebot"), Embedder()), watch_seconds(),
...                     on_change=print, on_error=print).start()                                  # doctest: +SKIP
>>> watch.stop()                                                                                  # doctest: +SKIP
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from index.errors import CitebotError

if TYPE_CHECKING:
    from index.build import BuildReport, IndexBuilder

WATCH_ENV = "CITEBOT_WATCH_SECONDS"
# A look lists and stats every corpus file: 0.29 s over 20,000 files (python -m bench.corpus_scan), 1% of a core
# at this interval; far less for a smaller folder.
DEFAULT_WATCH_SECONDS = 30.0


def watch_seconds() -> float:
    """Seconds between a running bot's or chat's looks at the corpus folder for hand edits (CITEBOT_WATCH_SECONDS,
    default 30); 0: never."""
    raw = os.environ.get(WATCH_ENV, "").strip()
    if not raw:
        return DEFAULT_WATCH_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not (0 <= seconds and math.isfinite(seconds)):
        raise CitebotError(f"{WATCH_ENV} must be a number of seconds (0: never look), not {raw!r}")
    return seconds


def refresh(builder: IndexBuilder) -> BuildReport | None:
    """The index brought up to date with the corpus folder as it is now (files dropped in, edited or deleted by hand,
    by a sync): only what changed is embedded again. None when it was up to date. Costs a look at every file's size
    and mtime (index.documents.fingerprint) when nothing changed."""
    if builder.status() == "fresh":
        return None
    return builder.build(if_stale=True)


class CorpusWatch:
    """Every ``every`` seconds (from the end of the last look), on a thread of its own: ``refresh(builder)``, then
    ``on_change(report)`` when the index was updated; ``on_error(error)`` once for a look that failed, again only when
    the next failure says something else (the corpus folder away, an index that cannot be written).
    """

    def __init__(self, builder: IndexBuilder, every: float, on_change: Callable[[BuildReport], None],
                 on_error: Callable[[Exception], None]):
        if every <= 0:
            raise ValueError("every must be a positive number of seconds")
        self.builder = builder
        self.every = every
        self.on_change = on_change
        self.on_error = on_error
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="citebot-corpus-watch", daemon=True)

    def start(self) -> CorpusWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        """No look after this one; a build in hand is not waited for (a build ended at any moment leaves the previous
        one answering)."""
        self._stop.set()

    def _run(self) -> None:
        failed = None
        while not self._stop.wait(self.every):
            try:
                report = refresh(self.builder)
                if report is not None and not self._stop.is_set():
                    self.on_change(report)
            except Exception as exc:  # the look is tried again at the next interval; a thread's traceback helps no one
                if str(exc) != failed:
                    self.on_error(exc)
                failed = str(exc)
                continue
            failed = None
