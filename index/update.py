"""Add articles (links, files, feeds) to the corpus and bring the index up to date after each batch.

>>> updater = CorpusUpdater(ArticleAdder(Path("corpus")), IndexBuilder(Path("corpus"), Path(".citebot"), Embedder()))
>>> added = updater.add("https://news.example.org/2026/11/20/summit")   # doctest: +SKIP
>>> added.title, added.passages                                          # doctest: +SKIP
('Summit opens in Vilnius', 4)
"""

from __future__ import annotations

import threading

from index.add import Added, ArticleAdder
from index.build import BuildReport, BuildStopped, IndexBuilder
from index.feeds import FeedList, FeedReport
from index.remove import Removed, remove
from index.watch import refresh


class CorpusUpdater:
    """``adder`` stores articles, ``builder`` updates the index incrementally once something new is stored."""

    def __init__(self, adder: ArticleAdder, builder: IndexBuilder, feeds: FeedList | None = None):
        self.adder = adder
        self.builder = builder
        self.feeds = feeds if feeds is not None else FeedList(builder.index_dir)
        self._lock = threading.Lock()  # one add or feed poll at a time in this process

    def add(self, target: str) -> Added:
        """Add a URL or local path (AddError says why not); the index includes it on return."""
        with self._lock:
            return self._indexed(self.adder.add(target))

    def add_bytes(self, data: bytes, name: str) -> Added:
        """Add a file's content (a chat attachment); the index includes it on return."""
        with self._lock:
            return self._indexed(self.adder.add_bytes(data, name))

    def remove(self, target: str) -> Removed:
        """Remove the article ``target`` names (its id, link or file name; RemoveError says why not); the index no
        longer holds it on return."""
        with self._lock:
            removed = remove(self.adder, target)
            self.builder.build(if_stale=True, emptied=True)  # its last article removed: an index of none
            return removed

    def update_feeds(self, progress: bool = False, stop: threading.Event | None = None) -> FeedReport:
        """Take every feed's new items; one index update for all of them. Once ``stop`` is set, the items not
        fetched yet wait for the next poll and the index is not updated (the next start brings it up to date), nor
        is it when ``stop`` is set while the update embeds."""
        with self._lock:
            report = self.feeds.update(self.adder.fetcher, self.adder, progress=progress, stop=stop)
            if stop is not None and stop.is_set():
                return report
            # when stale, even with nothing new: the items of a poll whose build failed (its database away) are taken,
            # so no later poll reports them new, and they stayed out of the index till another item came
            try:
                self.builder.build(if_stale=True, stop=stop)
            except BuildStopped:  # stopped while it embedded: what was stored is indexed at the next start
                pass
            return report

    def refresh(self, stop: threading.Event | None = None) -> BuildReport | None:
        """The corpus folder's hand edits taken into the index (index.watch.refresh), never at once with an add or a
        feed poll of this process, which bring the index up to date themselves; None when there were none, or when
        ``stop`` was set (the bot stopping) before the build had embedded them."""
        with self._lock:
            return refresh(self.builder, stop=stop)

    def _indexed(self, added):
        # Built when stale even for an article there already: a build that failed once it was stored (its database
        # away, a full disk) left it out of the index, and sending it again said "Already there" and left it out still.
        self.builder.build(if_stale=True)
        return added
