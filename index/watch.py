"""The corpus folder watched for hand edits (a file dropped in, edited or deleted, a sync) by a running bot or chat:
every ``CITEBOT_WATCH_SECONDS`` the index is brought up to date with it, only what changed embedded again.

>>> watch = CorpusWatch(IndexBuilder(Path("corpus"), Path(".citebot"), Embedder()), watch_seconds(),
...                     on_change=print, on_error=print).start()                                  # doctest: +SKIP
>>> watch.stop()                                                                                  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import TYPE_CHECKING

from index.documents import corpus_names, one_line
from index.errors import CitebotError

if TYPE_CHECKING:
    from index.build import BuildReport, IndexBuilder

WATCH_ENV = "CITEBOT_WATCH_SECONDS"
# A look lists and stats every corpus file: 0.29 s over 20,000 files (python -m bench.corpus_scan), 1% of a core
# at this interval; far less for a smaller folder.
DEFAULT_WATCH_SECONDS = 30.0
# A corpus file changed this recently is taken for one still being written (a copy from a slow share, scp, a download
# saved under its own name): the look waits till it is left alone this long, WAIT_SECONDS at most, so that no half
# of it is answered from; one written to for longer is read as it is then, and again at the next look.
SETTLE_SECONDS = 2.0
WAIT_SECONDS = 10.0


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


def refresh(builder: IndexBuilder, clock: Callable[[], float] = time.time,
            pause: Callable[[float], object] = time.sleep, stop: threading.Event | None = None) -> BuildReport | None:
    """The index brought up to date with the corpus folder as it is now (files dropped in, edited or deleted by hand,
    by a sync): only what changed is embedded again. None when it was up to date. Costs a look at every file's size
    and mtime (index.documents.fingerprint) when nothing changed. A changed file written to in the last
    SETTLE_SECONDS (by ``clock``) is waited for, by ``pause``, WAIT_SECONDS at most; a pause that returns True (the
    watch stopped) ends the look, None, and so does ``stop`` set while the build embeds, the live build left as is."""
    from index.build import BuildStopped

    if builder.status() == "fresh":
        return None
    waited = 0.0
    while waited < WAIT_SECONDS and (age := _youngest_change(builder, clock())) is not None:
        if pause(SETTLE_SECONDS - age):
            return None
        waited += SETTLE_SECONDS - age
    with _unsaid((builder.built() or {}).get("skipped", [])):
        try:
            return builder.build(if_stale=True, stop=stop)
        except BuildStopped:
            return None


@contextmanager
def _unsaid(skipped: list[dict]):
    """The warnings of this thread's build that a file is skipped left unsaid for the files the live build skipped
    already, for the same reason (a Word 97 draft, a broken PDF): said once, when met, not again at each change."""
    said = {(one_line(s["path"]), one_line(s["reason"])) for s in skipped}
    thread = threading.get_ident()

    def new(record: logging.LogRecord) -> bool:
        return not (record.thread == thread and record.msg == "skipping %s: %s" and tuple(record.args) in said)

    logger = logging.getLogger("citebot.documents")
    logger.addFilter(new)
    try:
        yield
    finally:
        logger.removeFilter(new)


def _youngest_change(builder: IndexBuilder, now: float) -> float | None:
    """Seconds since the last write to the corpus file written last of those changed since the live build, when
    under SETTLE_SECONDS (a copy in hand: read now, half a story would be answered from); else None. A file dated
    later than ``now`` (a share's clock ahead of this one) is not waited for."""
    recorded = (builder.built() or {}).get("files", {})
    ages = []
    for rel, path in corpus_names(builder.corpus_dir).items():
        try:
            info = os.stat(path)
        except OSError:
            continue
        old = recorded.get(rel)
        if old is None or (old["size"], old["mtime_ns"]) != (info.st_size, info.st_mtime_ns):
            ages.append(now - info.st_mtime_ns / 1e9)
    young = [age for age in ages if 0 <= age < SETTLE_SECONDS]
    return min(young) if young else None


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
        """No look after this one; a build in hand is not waited for and ends before its next texts to embed (a build
        ended at any moment leaves the previous one answering)."""
        self._stop.set()

    def _run(self) -> None:
        failed = None
        while not self._stop.wait(self.every):
            try:
                report = refresh(self.builder, pause=self._stop.wait, stop=self._stop)  # stop() ends a wait or a build
                if report is not None and not self._stop.is_set():
                    self.on_change(report)
            except Exception as exc:  # the look is tried again at the next interval; a thread's traceback helps no one
                if str(exc) != failed:
                    self.on_error(exc)
                failed = str(exc)
                continue
            failed = None
