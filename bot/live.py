"""The answer engine over an index's live build, swapped for a newer build between questions.

Another process (``citebot add``, ``citebot index``) or the bot itself may switch the index's
``current`` build at any time. Each question takes the engine through ``using()``: it first looks
at where ``current`` points (one ``readlink``), loads a newer build when there is one, and holds a
lease (index/lease.py) on the build it answers from, so no build's clean-up deletes its files while
a question still reads them. One thread at a time loads a new build, outside the lock that hands out
engines: meanwhile the other questions are answered from the build in hand.

>>> live = LiveEngine(Path(".citebot"), lambda store: AnswerEngine(Searcher(store, embedder)), engine)  # doctest: +SKIP
>>> with live.using() as engine:                                                                        # doctest: +SKIP
...     engine.ask("where is the summit?")
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from index.errors import CitebotError
from index.lease import Lease
from index.store import Store

log = logging.getLogger("citebot.live")


class LiveEngine:
    """Hands out the engine of the newest build; ``make(store)`` builds an engine over a loaded build.

    ``index_dir`` None makes a fixed holder of ``engine`` that never swaps (tests, a build folder). ``corpus``: the
    folder the index is built from, named in the command a refused build is told to be rebuilt with.
    """

    def __init__(self, index_dir: Path | None, make: Callable[[Store], object] | None, engine,
                 model: str | None = None, corpus: Path | None = None):
        if index_dir is not None and make is None:
            raise ValueError("a live engine needs make(store) to build engines over new builds")
        self.index_dir = Path(index_dir) if index_dir is not None else None
        self.make = make
        self.model = model
        self.corpus = corpus
        self._engine = engine
        self._lock = threading.Lock()  # held for moments: handing out the engine, counting, swapping
        self._loading = threading.Lock()  # held by the one thread loading a new build
        self._folder = self._resolved(getattr(getattr(engine, "store", None), "folder", None))
        self._leases: dict[Path, list] = {}  # build folder -> [lease, questions using it (+1 while current)]
        self._refused: Path | None = None  # a live build that would not load: not tried again at every question
        if self.index_dir is not None and self._folder is not None:
            try:
                self._leases[self._folder] = [Lease(self._folder), 1]
            except OSError as exc:
                log.warning("cannot hold build %s: %s", self._folder, exc)
        self._let_go = False  # a build was let go since the last collection (see _collect)
        self.swaps = 0

    @classmethod
    def fixed(cls, engine) -> LiveEngine:
        return cls(None, None, engine)

    @property
    def engine(self):
        """The engine of the newest build loaded so far (without looking for a newer one)."""
        return self._engine

    @staticmethod
    def _resolved(folder) -> Path | None:
        return Path(folder).resolve() if folder is not None else None

    def current(self):
        """The engine of the index's live build, loading it first when it changed (or waiting for its load)."""
        self._refresh(wait=True)
        self._collect()
        return self._engine

    @contextmanager
    def using(self):
        """The newest engine loaded, its build held until the block ends; a build that another thread is
        loading is not waited for."""
        self._refresh(wait=self._engine is None)
        self._collect()
        with self._lock:
            engine, folder = self._engine, self._folder
            if folder in self._leases:
                self._leases[folder][1] += 1
        try:
            yield engine
        finally:
            with self._lock:
                self._drop(folder)

    def _drop(self, folder: Path | None) -> None:
        held = self._leases.get(folder)
        if held is None:
            return
        held[1] -= 1
        if held[1] <= 0:
            held[0].release()
            del self._leases[folder]
            self._let_go = True

    def _collect(self) -> None:
        """Free the builds let go: a store's views refer back to it, so only a full collection frees it, and Python
        runs one too seldom: a bot kept the memory maps and descriptors of every build it had answered from (31
        descriptors each), and the disk space of their removed files, till it could open no more."""
        if self._let_go:
            self._let_go = False
            gc.collect()

    def _refresh(self, wait: bool) -> None:
        """Load the live build when it changed; ``wait`` False: not while another thread loads one."""
        if self.index_dir is None or self._newer() is None:
            return
        if not self._loading.acquire(blocking=wait):
            return
        try:
            self._load()
        finally:
            self._loading.release()

    def _newer(self) -> Path | None:
        """The live build folder when it is not the one answering (nor one refused), else None."""
        target = self._resolved(Store.live_folder(self.index_dir))
        return target if target is not None and target not in (self._folder, self._refused) else None

    def _load(self) -> None:
        for _ in range(3):  # a build may be switched and its predecessor removed while we look: look again
            target = self._newer()
            if target is None:
                return  # loaded meanwhile by the thread this one waited for
            try:
                lease = Lease(target)
            except OSError:
                continue  # removed between the readlink and the lease: a newer one is live
            try:
                if self._resolved(Store.live_folder(self.index_dir)) != target:
                    lease.release()
                    continue
                engine = self.make(Store.load(target, self.model, self.corpus))
            except CitebotError as exc:
                lease.release()
                self._refused = target
                log.warning("keeping the previous index: %s", exc)
                return
            except BaseException:
                lease.release()
                raise
            with self._lock:
                old = self._folder
                self._engine, self._folder = engine, target
                self._leases[target] = [lease, 1]
                self._drop(old)  # the old build stays until its last question ends
                self.swaps += 1
            log.info("now answering from %s (%d articles)", target.name, len(getattr(engine.store, "articles", ())))
            return
