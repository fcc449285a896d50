"""A running chat's or bot's look at the corpus folder (index/watch.py) while people copy files into it."""

import os
import threading

from index.build import STOP_CHUNK, IndexBuilder
from index.store import Store
from index.watch import SETTLE_SECONDS, WAIT_SECONDS, CorpusWatch, refresh
from tests.living import indexed_template

STORY = ("date 2026-03-01\nThe harbour tunnel under Tallinn Bay opened to traffic on 14 March after six years of "
         "work. It cost 412 million euros, the city council said.\n\nThe second tube opens in May. Tolls start at "
         "two euros a car, the operator said on Monday.\n")
T0 = 1_700_000_000.0  # the moments of this test's clock, in seconds since the epoch


def _texts(index, doc):
    return [p.text for p in Store.load(index).passages.values() if p.doc == doc]


def test_a_file_still_being_copied_in_is_waited_for_and_only_its_whole_text_is_indexed(tmp_path, embedder):
    root = indexed_template(tmp_path, embedder)
    builder = IndexBuilder(root / "corpus", root / "index", embedder)
    story = root / "corpus" / "tunnel.txt"
    half = len(STORY) // 2
    story.write_text(STORY[:half], encoding="utf-8")  # a copy in hand: half of the file, written a moment ago
    os.utime(story, (T0, T0))
    now, pauses = [T0 + 0.5], []

    def pause(seconds):  # the copy goes on while the look waits: the rest is written, then nothing more
        pauses.append(seconds)
        now[0] += seconds
        if story.stat().st_size == half:
            story.write_text(STORY, encoding="utf-8")
            os.utime(story, (now[0], now[0]))

    report = refresh(builder, clock=lambda: now[0], pause=pause)
    assert pauses == [SETTLE_SECONDS - 0.5, SETTLE_SECONDS]  # till the file had been left alone for SETTLE_SECONDS
    assert (report.articles, report.embedded_passages) == (3, 1)
    assert _texts(root / "index", "tunnel.txt") == [STORY.split("\n", 1)[1].strip()]
    assert refresh(builder, clock=lambda: now[0], pause=pause) is None


def test_a_file_written_to_without_end_is_waited_for_no_longer_than_the_bound_then_read_as_it_is(tmp_path, embedder):
    root = indexed_template(tmp_path, embedder)
    builder = IndexBuilder(root / "corpus", root / "index", embedder)
    log = root / "corpus" / "live.txt"
    log.write_text("The count began at noon. ", encoding="utf-8")
    os.utime(log, (T0, T0))
    now, pauses = [T0], []

    def pause(seconds):  # a line appended every moment: the file is never left alone
        pauses.append(seconds)
        now[0] += seconds
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"Line {len(pauses)} was counted. ")
        os.utime(log, (now[0], now[0]))

    report = refresh(builder, clock=lambda: now[0], pause=pause)
    assert sum(pauses) == WAIT_SECONDS  # the look waited its bound, then read the file as it was
    assert report.articles == 3 and _texts(root / "index", "live.txt") == [log.read_text(encoding="utf-8").strip()]


def test_a_file_skipped_before_is_not_warned_about_again_at_each_change_the_watch_takes_in(tmp_path, embedder, caplog):
    # Each story a colleague dropped in made the chat say again every file it had skipped before: a folder holding
    # five Word 97 drafts said five warnings at every drop, each time as new.
    import logging

    root = indexed_template(tmp_path, embedder)
    corpus = root / "corpus"
    (corpus / "draft.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (corpus / "wire.jsonl").write_text('{"text": "Ferries to Helsinki resume on Monday."}\n{"title": "no text"}\n',
                                       encoding="utf-8")
    builder = IndexBuilder(corpus, root / "index", embedder)
    builder.build()
    settled = lambda: T0 + 60  # noqa: E731  every file below was last written at T0: none is being written
    for name, data in [("tunnel.txt", STORY.encode()), ("broken.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")]:
        (corpus / name).write_bytes(data)
        os.utime(corpus / name, (T0, T0))
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="citebot.documents"):
            report = refresh(builder, clock=settled)
        said = caplog.messages
    assert said == ["skipping broken.txt: binary file"]  # the new one alone, at the second drop
    assert [(s.path, s.reason) for s in report.skipped] == [  # the build still lists every file it skipped
        ("broken.txt", "binary file"),
        ("draft.doc", "an old Word document (.doc) is not read: save it as .docx"),
        ("wire.jsonl:2", 'missing "text" string')]


def test_a_chat_quitting_while_its_watch_embeds_a_large_file_stops_that_build_at_its_next_texts(tmp_path, embedder):
    # /quit while the watch embedded a 16 MB file dropped in: the chat did not exit till every passage of it was
    # embedded (Python joins the embedder's threads at exit), minutes; the build was to end "at any moment".
    root = indexed_template(tmp_path, embedder)
    live = Store.live_folder(root / "index")
    _a_large_story_dropped_in(root)
    os.utime(root / "corpus" / "archive.txt", (T0, T0))  # written long ago: no copy in hand to wait for
    embedded, changes, errors = [], [], []
    quitting = _Stopping(embedder, embedded, lambda: watch.stop())  # the chat quits while its first texts embed
    watch = CorpusWatch(IndexBuilder(root / "corpus", root / "index", quitting), 0.01, changes.append, errors.append)
    watch.start()._thread.join()
    assert embedded == [STOP_CHUNK]  # of the file's hundreds of passages, the texts in hand when it quit
    assert (changes, errors) == ([], [])
    assert Store.live_folder(root / "index") == live  # the live build answers still, nothing half-built beside it
    assert sorted(p.name for p in (root / "index" / "builds").iterdir()) == [live.name]


def test_a_bot_stopping_while_its_watch_job_embeds_a_large_file_stops_that_build_at_its_next_texts(tmp_path, embedder):
    # SIGTERM while the bot's look embedded a large file dropped in: the bot waited for every passage of it (its
    # worker thread is waited for at exit), past a service manager's stop timeout, then was killed.
    from index.add import ArticleAdder
    from index.update import CorpusUpdater

    root = indexed_template(tmp_path, embedder)
    live = Store.live_folder(root / "index")
    _a_large_story_dropped_in(root)
    os.utime(root / "corpus" / "archive.txt", (T0, T0))
    stopping, embedded = threading.Event(), []
    builder = IndexBuilder(root / "corpus", root / "index", _Stopping(embedder, embedded, stopping.set))
    assert CorpusUpdater(ArticleAdder(root / "corpus"), builder).refresh(stopping) is None
    assert embedded == [STOP_CHUNK]
    assert sorted(p.name for p in (root / "index" / "builds").iterdir()) == [live.name]


def test_a_bot_stopping_while_its_feed_polls_build_embeds_stops_that_build_at_its_next_texts(tmp_path, embedder):
    # SIGTERM during a poll ended it after the item in hand, but not the build after it: a poll that took a long story,
    # or found a large file dropped in by hand, held the bot for every passage of it.
    from index.add import ArticleAdder
    from index.update import CorpusUpdater

    root = indexed_template(tmp_path, embedder)
    live = Store.live_folder(root / "index")
    _a_large_story_dropped_in(root)
    stopping, embedded = threading.Event(), []
    updater = CorpusUpdater(ArticleAdder(root / "corpus"), IndexBuilder(root / "corpus", root / "index",
                                                                          _Stopping(embedder, embedded, stopping.set)))
    assert updater.update_feeds(stop=stopping).summary() == "0 new, 0 already known, 0 failed (0 feeds checked)"
    assert embedded == [STOP_CHUNK]
    assert sorted(p.name for p in (root / "index" / "builds").iterdir()) == [live.name]


def _a_large_story_dropped_in(root) -> None:
    """A story of 1,500 paragraphs written into the corpus: hundreds of passages to embed."""
    story = "".join(f"Pier {i} of the old harbour counted {i * 7 + 3} ships in the storm of week {i}.\n\n"
                    for i in range(1500))
    (root / "corpus" / "archive.txt").write_text(story, encoding="utf-8")


class _Stopping:
    """The test's model, told to stop (``stop()``) as its first texts are embedded; ``embedded`` counts each call's."""

    def __init__(self, embedder, embedded: list, stop):
        self._embedder, self._embedded, self._stop = embedder, embedded, stop

    def __getattr__(self, name):
        return getattr(self._embedder, name)

    def embed(self, texts, progress=False):
        self._embedded.append(len(texts))
        self._stop()
        return self._embedder.embed(texts, progress=progress)
