"""The index folder: passages, vectors, FAISS, BM25 and a manifest that describes them.

Layout of ``--index DIR``::

    DIR/current -> builds/<stamp>      the live build (a symlink swapped atomically)
    DIR/builds/<stamp>/manifest.json   format, layout, model, dimension, index type, segments, corpus fingerprint
    DIR/builds/<stamp>/tables.npz      passages (ids, offsets, text), articles, sentence keys (index/segment.py)
    DIR/builds/<stamp>/passage_vectors.npy, passage_ids.npy, faiss.index, sentence_vectors.npy, bm25.npz
    DIR/builds/<stamp>/seg-<n>/...     the same files for articles an incremental update added (hard links
                                       share the unchanged segments between builds)
    DIR/builds/<stamp>/deleted.npz     passages and articles of earlier segments that were changed or removed
    DIR/builds/<stamp>/model.onnx(.data), tokenizer.json, embedder.json   the ONNX query embedder (optional)
    DIR/stamps.json                    corpus files' stamps a look took anew, unrecorded by the live build (a
                                       new ctime after a chmod): index/build.py's STAMPS_FILE, a cache

Every table is memory-mapped: loading a million passages reads no passage, and a question pages in
the rows it touches only.

>>> store = Store.load(Path(".citebot"), model="all-MiniLM-L6-v2")  # doctest: +SKIP
>>> store.passage(store.dense_search(vector, 1)[0][0]).doc           # doctest: +SKIP
'000_021f342df130e0f3.txt'
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import time
import uuid
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.errors import CitebotError, IndexNotWritten
from index.faults import checkpoint
from index.lease import Lease, in_use
from index.lexical import BM25
from index.passages import Passage
from index.rowfile import RowFile
from index.segment import Segment

FORMAT_VERSION = 1
# The folder layout (tables.npz and segments); an index of another layout is rebuilt.
LAYOUT = 2


@dataclass(frozen=True)
class ArticleInfo:
    """What search results need of an article: no text, just its label."""

    id: str
    title: str
    date: str | None
    url: str | None
    path: str

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "date": self.date, "url": self.url, "path": self.path}


@dataclass
class StoreData:
    """Everything a build produces, before it is written."""

    manifest: dict
    articles: list[ArticleInfo]
    passages: list[Passage]
    passage_vectors: np.ndarray
    sentences: list[tuple[str, int, int]]
    sentence_vectors: np.ndarray
    bm25: BM25 = field(default=None)
    # Files copied (hard-linked when possible) into the build folder, by name: the ONNX export.
    assets: dict[str, Path] = field(default_factory=dict)


# Exact search below this many passages; above it an inverted-file index (see docs/performance.md).
FLAT_MAX = 100_000
INDEX_TYPES = ("flat", "ivf", "hnsw", "ivfsq8")
# Files of one segment (index/segment.py and its vectors and indexes).
SEGMENT_FILES = ("tables.npz", "passage_ids.npy", "passage_vectors.npy", "sentence_vectors.npy", "faiss.index",
                 "bm25.npz")


def choose_index_type(n: int, flat_max: int = FLAT_MAX) -> str:
    """"flat" (exact) for a corpus of up to ``flat_max`` passages, else "ivf" (approximate)."""
    return "flat" if n <= flat_max else "ivf"


def index_params(index_type: str, n: int) -> dict:
    """The FAISS settings for ``index_type`` over ``n`` vectors, as the manifest records them."""
    if index_type == "flat":
        return {}
    if index_type in ("ivf", "ivfsq8"):
        # About 2*sqrt(n) lists, probing 3% of them: on the bench's million vectors (generated around real
        # embeddings) recall@10 is 1.0 at ~4 ms a query, so there is room before the 0.95 / 20 ms targets.
        nlist = max(1, min(int(2 * n**0.5), max(1, n // 39)))
        return {"nlist": nlist, "nprobe": max(1, min(nlist, round(nlist * 0.03)))}
    if index_type == "hnsw":
        return {"M": 32, "efConstruction": 64, "efSearch": 64}
    raise CitebotError(f"unknown index type {index_type!r} (choose from {', '.join(INDEX_TYPES)})")


def make_faiss_index(vectors: np.ndarray, ids: np.ndarray, index_type: str = "flat", params: dict | None = None,
                     seed: int = 1234):
    """A FAISS inner-product index over ``vectors`` carrying the explicit passage ``ids``."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype="float32")
    ids = np.ascontiguousarray(ids, dtype="int64")
    n, dim = vectors.shape
    params = params if params is not None else index_params(index_type, n)
    if index_type == "flat":
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    elif index_type in ("ivf", "ivfsq8"):
        if index_type == "ivf":
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, params["nlist"], faiss.METRIC_INNER_PRODUCT)
        else:  # one byte per dimension instead of four: a quarter of the memory, scores re-ranked exactly
            index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dim), dim, params["nlist"],
                                                  faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        # k-means on a sample: 64 points per list is plenty and keeps a million-vector build to seconds.
        sample = min(n, 64 * params["nlist"])
        rows = np.sort(np.random.default_rng(seed).choice(n, sample, replace=False)) if sample < n else slice(None)
        index.cp.seed = seed
        index.train(vectors[rows])
        index.nprobe = params["nprobe"]
    elif index_type == "hnsw":
        inner = faiss.IndexHNSWFlat(dim, params["M"], faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = params["efConstruction"]
        inner.hnsw.efSearch = params["efSearch"]
        index = faiss.IndexIDMap2(inner)
    else:
        index_params(index_type, n)  # raises the error that names the known types
    if n:
        index.add_with_ids(vectors, ids)
    return index


def apply_search_params(index, index_type: str, params: dict) -> None:
    """Set the query-time knobs the manifest records (FAISS files do not keep all of them)."""
    import faiss

    if index_type in ("ivf", "ivfsq8") and "nprobe" in params:
        faiss.extract_index_ivf(index).nprobe = int(params["nprobe"])
    elif index_type == "hnsw" and "efSearch" in params:
        faiss.downcast_index(index.index).hnsw.efSearch = int(params["efSearch"])


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_dir():
            _fsync_tree(path)
            continue
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


CACHE_LIMIT = 20_000  # passages (and locations) a store keeps made, between emptyings
FAISS_CLASSES = {"flat": "IndexIDMap2", "hnsw": "IndexIDMap2", "ivf": "IndexIVFFlat", "ivfsq8": "IndexIVFScalarQuantizer"}


class _Part:
    """One segment with its vectors and indexes, as the store searches it."""

    def __init__(self, name: str, segment: Segment, vectors: np.ndarray | RowFile,
                 sentence_vectors: np.ndarray | RowFile, bm25: BM25, faiss_index=None, index_type: str = "flat"):
        """Vectors are arrays (in memory or mapped) or ``RowFile``s read a row at a time."""
        self.name, self.segment, self._vectors, self._sentence_vectors = name, segment, vectors, sentence_vectors
        self.bm25, self.faiss, self.index_type = bm25, faiss_index, index_type

    @property
    def vectors(self) -> np.ndarray:
        """Every passage vector (mapped): for an exact scan, or tests."""
        return self._vectors.array() if isinstance(self._vectors, RowFile) else self._vectors

    @property
    def sentence_vectors(self) -> np.ndarray:
        v = self._sentence_vectors
        return v.array() if isinstance(v, RowFile) else v

    def vector_rows(self, rows) -> np.ndarray:
        v = self._vectors
        return v.rows(rows) if isinstance(v, RowFile) else v[np.asarray(rows, dtype="int64")]

    def sentence_vector(self, row: int) -> np.ndarray:
        v = self._sentence_vectors
        return v.row(row) if isinstance(v, RowFile) else v[row]

    def sentence_vector_rows(self, rows) -> np.ndarray:
        v = self._sentence_vectors
        return v.rows(rows) if isinstance(v, RowFile) else v[np.asarray(rows, dtype="int64")]

    @property
    def shapes(self) -> tuple[tuple, int]:
        """(shape of the passage vectors, number of sentence vectors), without reading them."""
        return tuple(self._vectors.shape), len(self._sentence_vectors)

    def dense(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the ``k`` nearest passages of this segment, best first."""
        k = min(k, self.segment.size)
        if k <= 0:
            return np.zeros(0, dtype="int64"), np.zeros(0, dtype="float32")
        if self.faiss is None:
            scores = self.vectors @ query
            rows = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
            rows = rows[np.argsort(-scores[rows], kind="stable")]
            return rows, scores[rows]
        quantized = self.index_type == "ivfsq8"
        # Quantized scores: take more candidates than asked and re-rank them with the exact vectors.
        fetch = min(self.segment.size, max(4 * k, 40)) if quantized else k
        scores, ids = self.faiss.search(query.reshape(1, -1), fetch)
        keep = ids[0] >= 0
        rows, scores = self.segment.rows_of(ids[0][keep]), scores[0][keep]
        if quantized:
            scores = self.vector_rows(rows) @ query
            order = np.argsort(-scores, kind="stable")[:k]
            rows, scores = rows[order], scores[order]
        return rows, scores


class _Passages(Mapping):
    """passage id -> Passage, made on demand (``len`` and iteration cover every live passage)."""

    def __init__(self, store: Store):
        self._store = store
        self._cache: dict[int, Passage] = {}  # the passages recent questions touched

    def __getitem__(self, pid) -> Passage:
        pid = int(pid)
        passage = self._cache.get(pid)
        if passage is None:
            part, row = self._store._locate_one(pid)
            if part is None:
                raise KeyError(pid)
            passage = self._store.parts[part].segment.passage(row)
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[pid] = passage
        return passage

    def __len__(self) -> int:
        return sum(p.segment.size for p in self._store.parts) - len(self._store.dead)

    def __iter__(self):
        for part in self._store.parts:
            ids = part.segment.t["ids"]
            for pid in ids[~np.isin(ids, self._store.dead)].tolist():
                yield pid

    def values(self):
        return (self[pid] for pid in self)


class _Articles(Mapping):
    """article id -> ArticleInfo, read on demand (``len`` and iteration cover every live article)."""

    def __init__(self, store: Store):
        self._store = store

    def __getitem__(self, doc: str):
        at = self._store._article_loc(doc)
        if at is None:
            raise KeyError(doc)
        return self._store.parts[at[0]].segment.article(at[1])

    def __contains__(self, doc) -> bool:
        return isinstance(doc, str) and self._store._article_loc(doc) is not None

    def __len__(self) -> int:
        return sum(p.segment.article_count for p in self._store.parts) - len(self._store.dead_articles)

    def __iter__(self):
        for i, part in enumerate(self._store.parts):
            for row in range(part.segment.article_count):
                if (i, row) not in self._store.dead_articles:
                    yield part.segment.article_id(row)

    def values(self):
        for i, part in enumerate(self._store.parts):
            for row in range(part.segment.article_count):
                if (i, row) not in self._store.dead_articles:
                    yield part.segment.article(row)


class _SentenceRows(Mapping):
    """(doc, start, end) -> row in ``store.sentence_vectors``; membership without reading them all."""

    def __init__(self, store: Store):
        self._store = store

    def _find(self, key):
        at = self._store._article_loc(key[0])
        if at is None:
            return None
        row = self._store.parts[at[0]].segment.sentence_vector_row(at[1], key[1], key[2])
        return None if row is None else self._store._sentence_offsets[at[0]] + row

    def __getitem__(self, key) -> int:
        row = self._find(key)
        if row is None:
            raise KeyError(key)
        return row

    def __contains__(self, key) -> bool:
        return self._find(key) is not None

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __iter__(self):
        for i, part in enumerate(self._store.parts):
            for doc, s, e, _ in part.segment.sentence_keys():
                if self._store._article_loc(doc) == (i, part.segment.find_article(doc)):
                    yield (doc, s, e)


class _Lexicon:
    """What the answer engine asks of BM25 over several segments: ``vocab`` membership and ``idf``."""

    def __init__(self, parts: list[_Part]):
        self._parts = parts
        self.size = sum(p.bm25.size for p in parts)

    @property
    def vocab(self):
        return _UnionVocabulary([p.bm25.vocab for p in self._parts])

    def idf(self, term: str) -> float:
        df = 0
        for p in self._parts:
            i = p.bm25.vocab.get(term)
            df += 0 if i is None else int(p.bm25.offsets[i + 1] - p.bm25.offsets[i])
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))


class _UnionVocabulary:
    def __init__(self, vocabularies):
        self._vocabularies = vocabularies

    def __contains__(self, term) -> bool:
        return any(term in v for v in self._vocabularies)

    def __iter__(self):
        return iter(sorted(set().union(*(set(v) for v in self._vocabularies))))


def _merge(ids: list[np.ndarray], scores: list[np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best of several best-first lists (ties: the earlier list, then its order)."""
    if len(ids) == 1:
        return ids[0][:k], scores[0][:k]
    all_ids, all_scores = np.concatenate(ids), np.concatenate(scores)
    order = np.argsort(-all_scores, kind="stable")[:k]
    return all_ids[order], all_scores[order]


def _index_option(index_dir) -> str:
    """`` --index DIR`` for a command the user is told to run, naming the index folder (the one holding it, for a build's
    folder); "" for the default folder; `` --store URI`` for a PostgreSQL store (named by its URI, a string), whose
    password is never said."""
    if not isinstance(index_dir, Path):
        return " --store URI"
    if index_dir.parent.name == "builds":
        index_dir = index_dir.parent.parent
    return "" if index_dir == Path(".citebot") else f" --index {shlex.quote(str(index_dir))}"


def _corpus_option(corpus: Path | None) -> str:
    """`` --corpus DIR`` for a command the user is told to run, when the index's corpus (``corpus``, where known) is not
    the default folder: without it the command, run as written, said "corpus folder not found: corpus"."""
    return "" if corpus is None or Path(corpus) == Path("corpus") else f" --corpus {shlex.quote(str(corpus))}"


def rebuild_hint(index_dir, corpus: Path | None = None) -> str:
    """How to rebuild a damaged index, the folder named unless it is the default: `citebot index` alone, run after
    `--index DIR`, rebuilt ./.citebot and the damaged one was refused again."""
    return f"rebuild it with `citebot index{_corpus_option(corpus)}{_index_option(index_dir)}`"


class Store:
    """A loaded index build: look up passages and articles by id, search by vector and by words.

    A build is one or more segments (``index/segment.py``); passages and articles of earlier
    segments that an incremental update replaced or removed are listed in ``deleted.npz`` and
    never returned.

    >>> store = Store.load(Path(".citebot"))                             # doctest: +SKIP
    >>> store.passages[42].text, store.articles["a.txt"].title           # doctest: +SKIP
    """

    def __init__(self, folder: Path, data: StoreData | None = None, faiss_index=None, *, parts: list[_Part] | None = None,
                 manifest: dict | None = None, dead: np.ndarray | None = None, dead_articles=frozenset()):
        """From ``data`` in memory (``faiss_index`` None: exact search), or from loaded ``parts``."""
        self.folder = folder
        if parts is None:
            segment = Segment.from_data(data.articles, data.passages, data.sentences)
            parts = [_Part(".", segment, data.passage_vectors, data.sentence_vectors, data.bm25, faiss_index,
                           data.manifest.get("index_type", "flat"))]
            manifest = data.manifest
        self.manifest = manifest
        self.parts = parts
        self.dead = np.zeros(0, dtype="int64") if dead is None else np.sort(np.asarray(dead, dtype="int64"))
        self.dead_articles = frozenset(dead_articles)
        self._dead_set = frozenset(self.dead.tolist())
        self._dead_in = [int((p.segment.rows_of(self.dead) >= 0).sum()) if len(self.dead) else 0 for p in parts]
        self._locations: dict[int, tuple[int | None, int]] = {}
        self._article_locations: dict[str, tuple[int, int] | None] = {}
        self._sentences: dict[tuple[str, int, int], np.ndarray] = {}  # read ahead by ``prefetch``
        self._sentence_offsets = np.concatenate([[0], np.cumsum([p.segment.sentence_count for p in parts])]).tolist()
        self.bm25 = parts[0].bm25 if len(parts) == 1 else _Lexicon(parts)
        self.faiss = parts[0].faiss
        self.passages = _Passages(self)
        self.articles = _Articles(self)
        self.sentence_row = _SentenceRows(self)

    # ---- whole tables (tests and benchmarks; a question never reads them) ----------------------
    @property
    def passage_ids(self) -> np.ndarray:
        return np.concatenate([p.segment.t["ids"] for p in self.parts])

    @property
    def passage_vectors(self) -> np.ndarray:
        return self.parts[0].vectors if len(self.parts) == 1 else np.concatenate([p.vectors for p in self.parts])

    @property
    def sentence_vectors(self) -> np.ndarray:
        if len(self.parts) == 1:
            return self.parts[0].sentence_vectors
        return np.concatenate([p.sentence_vectors for p in self.parts])

    # ---- reading -------------------------------------------------------------------------
    @staticmethod
    def live_folder(index_dir: Path) -> Path | None:
        """The folder of the live build under ``index_dir``, or None when there is none."""
        if (index_dir / "manifest.json").is_file():  # pointed straight at a build folder
            return index_dir
        current = index_dir / "current"
        if current.is_symlink() or current.exists():
            return current.resolve()
        return None

    @staticmethod
    def read_manifest(index_dir: Path, corpus: Path | None = None) -> dict | None:
        """The live build's manifest, or None when there is no build (``corpus``: the folder to rebuild it from, where
        known, for the command an unreadable one is refused with)."""
        return Store._from_live(index_dir, lambda folder: Store._manifest_in(folder, index_dir, corpus))

    @staticmethod
    def _manifest_in(folder: Path, index_dir: Path, corpus: Path | None = None) -> dict:
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError(f"a JSON {type(manifest).__name__}, not an object")
            _check_stamps(manifest.get("files", {}))
            return manifest
        except (OSError, ValueError) as exc:
            raise CitebotError(f"index at {index_dir} is corrupt (manifest unreadable: {exc}); "
                               f"{rebuild_hint(index_dir, corpus)}") from None

    @staticmethod
    def _from_live(index_dir: Path, read):
        """``read(folder)`` of the live build (None when there is none), read again from the new live build when it
        failed because another process switched builds meanwhile and removed the one being read."""
        for attempt in range(3):
            folder = Store.live_folder(index_dir)
            if folder is None:
                return None
            try:
                return read(folder)
            except CitebotError:
                if attempt == 2 or Store.live_folder(index_dir) == folder:
                    raise

    @staticmethod
    def check_manifest(manifest: dict, index_dir: Path, model: str | None, corpus: Path | None = None) -> None:
        """Refuse an index of another format or model, saying how to fix it (``corpus``: the folder to rebuild it
        from, where known)."""
        version = manifest.get("format")
        if version != FORMAT_VERSION:
            raise CitebotError(
                f"index at {index_dir} has format {version}, this citebot reads format {FORMAT_VERSION}; "
                f"{rebuild_hint(index_dir, corpus)}"
            )
        if model is not None and manifest.get("model") != model:
            from index.models import CHOICES, available

            built = manifest.get("model")
            keep = f"--model {shlex.quote(str(built))}"  # a model folder's name may hold a space
            rebuild = f"citebot index --model {shlex.quote(model)}{_corpus_option(corpus)}{_index_option(index_dir)}"
            hint = (f"rebuild it with `{rebuild}` or keep it with `{keep}`"
                    if available(model) else
                    f"no model {model!r} is here (packaged: {', '.join(CHOICES)}; or a sentence-transformers "
                    f"folder): keep the index with `{keep}`")
            raise CitebotError(f"index at {index_dir} was built with model {built!r}, not {model!r}; {hint}")

    @classmethod
    def load(cls, index_dir: Path, model: str | None = None, corpus: Path | None = None) -> Store:
        """Load the live build; refuse a missing, corrupt or mismatched one (``corpus``: the folder to rebuild it from,
        where known, for the command it is refused with)."""
        store = cls._from_live(index_dir, lambda folder: cls._load_held(folder, index_dir, model, corpus))
        if store is None:
            raise CitebotError(f"no index at {index_dir}; build one with `citebot index`")
        return store

    @classmethod
    def _load_held(cls, folder: Path, index_dir: Path, model: str | None, corpus: Path | None = None) -> Store:
        """Load the build in ``folder`` under a lease, so that no build's clean-up removes it meanwhile."""
        checkpoint("loading")
        try:
            lease = Lease(folder)
        except OSError:  # no manifest: reading it says why
            lease = None
        try:
            return cls._load_folder(folder, index_dir, model, corpus)
        finally:
            if lease is not None:
                lease.release()

    @classmethod
    def _load_folder(cls, folder: Path, index_dir: Path, model: str | None, corpus: Path | None = None) -> Store:
        hint = rebuild_hint(index_dir, corpus)
        manifest = cls._manifest_in(folder, index_dir, corpus)
        cls.check_manifest(manifest, index_dir, model, corpus)
        if manifest.get("layout") != LAYOUT:
            raise CitebotError(f"index at {index_dir} has folder layout {manifest.get('layout')}, this citebot reads "
                               f"layout {LAYOUT}; {hint}")
        try:
            if not manifest["segments"]:
                raise CitebotError("its manifest lists no segments")
            parts = [cls._load_part(folder, entry, manifest, hint) for entry in manifest["segments"]]
            dead, dead_articles = np.zeros(0, dtype="int64"), set()
            if (folder / "deleted.npz").is_file():
                with np.load(folder / "deleted.npz", allow_pickle=False) as deleted:
                    dead = deleted["passages"]
                    dead_articles = {(int(s), int(r)) for s, r in deleted["articles"].reshape(-1, 2).tolist()}
            embedding = manifest.get("embedding", {})
            missing = [name for name in embedding.get("files", []) if not (folder / name).is_file()]
            if missing:
                raise CitebotError(f"index at {index_dir} is corrupt (its {embedding.get('backend')} embedder's "
                                   f"{', '.join(missing)} is missing); {hint}")
        except CitebotError as exc:
            if str(exc).startswith(f"index at {index_dir}"):
                raise
            raise CitebotError(f"index at {index_dir} is corrupt ({exc}); {hint}") from None
        except Exception as exc:  # any unreadable or inconsistent file means the same thing
            raise CitebotError(f"index at {index_dir} is corrupt ({type(exc).__name__}: {exc}); "
                               f"{hint}") from None
        return cls(folder, parts=parts, manifest=manifest, dead=dead, dead_articles=dead_articles)

    @classmethod
    def _load_part(cls, build: Path, entry: dict, manifest: dict, hint: str) -> _Part:
        folder = build / entry["path"]
        with _reading(folder, "tables.npz"):
            segment = Segment.load(folder, hint)
        index_type = entry.get("index_type", "flat")
        faiss_index = None
        size = (folder / "faiss.index").stat().st_size
        if index_type == "flat" and entry.get("faiss_bytes") is not None:
            # An exact (flat) index holds exactly passage_vectors: numpy searches it without the
            # FAISS import and file read, which a cold `citebot ask` would otherwise pay for.
            if size != entry["faiss_bytes"]:
                raise CitebotError(f"faiss.index has {size} bytes, the manifest says {entry['faiss_bytes']}")
        else:
            import faiss

            with _reading(folder, "faiss.index"):
                faiss_index = cls._read_faiss(folder / "faiss.index", index_type)
            found = type(faiss.downcast_index(faiss_index)).__name__
            if found != FAISS_CLASSES.get(index_type):
                raise CitebotError(f"the manifest says index type {index_type!r} but faiss.index is a {found}")
            apply_search_params(faiss_index, index_type, entry.get("index_params", {}))
        # An exact index scans every passage vector: mapped. Otherwise a question reads a few rows.
        with _reading(folder, "passage_vectors.npy") as path:
            vectors = _map(path) if faiss_index is None else RowFile.npy(path)
        with _reading(folder, "sentence_vectors.npy") as path:
            sentence_vectors = RowFile.npy(path)
        with _reading(folder, "bm25.npz") as path:
            bm25 = BM25.load(path)
        part = _Part(entry["path"], segment, vectors, sentence_vectors, bm25, faiss_index, index_type)
        cls._check_consistent(part, manifest.get("dimension"))
        return part

    @staticmethod
    def _read_faiss(path: Path, index_type: str = "flat"):
        """The FAISS index at ``path``; an inverted file's lists stay in the file, mapped (probed lists page in)."""
        import faiss

        if index_type not in ("ivf", "ivfsq8"):
            return faiss.read_index(str(path))
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP)
        lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(index).invlists)
        if isinstance(lists, faiss.OnDiskInvertedLists):
            # Else every search starts threads that read the probed lists ahead into the page cache: for
            # one query whose lists are already cached that tripled its CPU time (200,000 passages:
            # 1.9 ms a search with, 0.5 ms without; the same results).
            lists.prefetch_nthread = 0
        return index

    @staticmethod
    def _check_consistent(part: _Part, dim) -> None:
        n = part.segment.size
        problems = []
        shape, sentences = part.shapes
        if shape != (n, dim):
            problems.append(f"passage vectors {shape} for {n} passages of dimension {dim}")
        if part.faiss is not None and (part.faiss.ntotal != n or part.faiss.d != dim):
            problems.append(f"FAISS holds {part.faiss.ntotal} vectors of dimension {part.faiss.d}")
        if part.segment.sentence_count != sentences:
            problems.append("sentence table and vectors differ in length")
        if part.bm25.size != n:
            problems.append("BM25 table and passages differ in length")
        if problems:
            raise CitebotError("; ".join(problems))

    # ---- lookups -------------------------------------------------------------------------
    def _locate(self, pids) -> tuple[np.ndarray, np.ndarray]:
        """(segment, row) of each live passage of ``pids``; segment -1 for an unknown or deleted one."""
        pids = np.asarray(pids, dtype="int64").reshape(-1)
        where = np.full(len(pids), -1, dtype="int64")
        rows = np.full(len(pids), -1, dtype="int64")
        for i, part in enumerate(self.parts):
            todo = where < 0
            if not todo.any():
                break
            found = part.segment.rows_of(pids[todo]) if len(self.parts) > 1 else part.segment.rows_of(pids)
            hit = found >= 0
            idx = np.flatnonzero(todo)[hit]
            where[idx], rows[idx] = i, found[hit]
        if len(self.dead):
            where[np.isin(pids, self.dead)] = -1
        return where, rows

    def _locate_one(self, pid) -> tuple[int | None, int]:
        pid = int(pid)
        found = self._locations.get(pid)
        if found is None:
            found = (None, -1)
            if pid not in self._dead_set:
                for i, part in enumerate(self.parts):
                    row = part.segment.row_of(pid)
                    if row >= 0:
                        found = (i, row)
                        break
            if len(self._locations) >= 10 * CACHE_LIMIT:
                self._locations.clear()
            self._locations[pid] = found
        return found

    def _article_loc(self, doc: str) -> tuple[int, int] | None:
        """(segment, row) of the live article ``doc``: the newest segment that has it."""
        if doc in self._article_locations:
            return self._article_locations[doc]
        found = None
        for i in range(len(self.parts) - 1, -1, -1):
            row = self.parts[i].segment.find_article(doc)
            if row is not None:
                found = None if (i, row) in self.dead_articles else (i, row)
                break
        if len(self._article_locations) >= 10 * CACHE_LIMIT:
            self._article_locations.clear()
        self._article_locations[doc] = found
        return found

    def passage(self, pid: int) -> Passage:
        return self.passages[int(pid)]

    def vector(self, pid: int) -> np.ndarray:
        part, row = self._locate_one(pid)
        if part is None:
            raise KeyError(pid)
        return self.parts[part].vector_rows([row])[0]

    def vectors_of(self, pids) -> np.ndarray:
        """The vectors of the live passages ``pids``, in that order, one read per segment (KeyError for an unknown
        one): a build reusing thousands read each with a system call of its own."""
        pids = np.asarray(pids, dtype="int64").reshape(-1)
        where, rows = self._locate(pids)
        if (where < 0).any():
            raise KeyError(int(pids[np.argmax(where < 0)]))
        out = np.zeros((len(pids), self.dimension), dtype="float32")
        for i, part in enumerate(self.parts):
            mine = np.flatnonzero(where == i)
            if len(mine):
                order = np.argsort(rows[mine], kind="stable")
                out[mine[order]] = part.vector_rows(rows[mine][order])
        return out

    def sentence_vectors_of(self, keys) -> np.ndarray:
        """The vectors of the sentences ``keys`` ((doc, start, end)), in that order, one read per segment: NaN for one
        not stored, as ``sentence_vector``'s None is once put in a table."""
        out = np.zeros((len(keys), self.dimension), dtype="float32")
        found: dict[int, tuple[list[int], list[int]]] = {}
        for i, (doc, start, end) in enumerate(keys):
            vector = self._sentences.get((doc, start, end))
            if vector is not None:
                out[i] = vector
                continue
            at = self._article_loc(doc)
            row = None if at is None else self.parts[at[0]].segment.sentence_vector_row(at[1], start, end)
            if row is None:
                out[i] = np.nan
                continue
            at_part = found.setdefault(at[0], ([], []))
            at_part[0].append(i)
            at_part[1].append(row)
        for part, (mine, rows) in found.items():
            mine, rows = np.asarray(mine, dtype="int64"), np.asarray(rows, dtype="int64")
            order = np.argsort(rows, kind="stable")
            out[mine[order]] = self.parts[part].sentence_vector_rows(rows[order])
        return out

    def sentence_vector(self, doc: str, start: int, end: int) -> np.ndarray | None:
        vector = self._sentences.get((doc, start, end))
        if vector is not None:
            return vector
        at = self._article_loc(doc)
        if at is None:
            return None
        part = self.parts[at[0]]
        row = part.segment.sentence_vector_row(at[1], start, end)
        return None if row is None else part.sentence_vector(row)

    def dense_search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Passage ids and inner-product scores of the ``k`` nearest passages, best first."""
        k = min(k, len(self.passages))
        if k <= 0:
            return np.zeros(0, dtype="int64"), np.zeros(0, dtype="float32")
        query = np.ascontiguousarray(vector.reshape(-1), dtype="float32")
        return self._gather(lambda part, n: part.dense(query, n), k)

    def lexical_search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Passage ids and BM25 scores of the ``k`` best lexical matches, best first."""
        # bm25.top: the exact top rows, without scoring them all
        return self._gather(lambda part, n: part.bm25.top(query, n), k)

    def _gather(self, search, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The best ``k`` over every segment: ``search(part, n)`` gives a part's top rows and scores,
        asked for as many more as it has deleted passages, which are then dropped."""
        ids, scores = [], []
        for part, dead in zip(self.parts, self._dead_in):
            rows, s = search(part, k + dead)
            pids = part.segment.t["ids"][rows]
            if dead:
                keep = ~np.isin(pids, self.dead)
                pids, s = pids[keep], s[keep]
            ids.append(pids)
            scores.append(s)
        return _merge(ids, scores, k)

    # ---- the rest of the interface the searcher uses (index/pg_store.py answers the same calls) ----
    def lexical_scores(self, query: str, pids) -> np.ndarray:
        """The BM25 score of ``query`` for each passage of ``pids``."""
        where, rows = self._locate(pids)
        out = np.zeros(len(rows), dtype="float32")
        for i, part in enumerate(self.parts):
            mine = where == i
            if mine.any():
                out[mine] = part.bm25.score_rows(query, rows[mine])
        return out

    def dense_scores(self, vector: np.ndarray, pids) -> np.ndarray:
        """Inner product of ``vector`` with each passage of ``pids``."""
        where, rows = self._locate(pids)
        query = np.asarray(vector, dtype="float32").reshape(-1)
        out = np.zeros(len(rows), dtype="float32")
        for i, part in enumerate(self.parts):
            mine = np.flatnonzero(where == i)
            if len(mine):
                order = np.argsort(rows[mine])  # ascending rows read the memory map in order
                out[mine[order]] = part.vector_rows(rows[mine][order]) @ query
        return out

    def passage_count(self, docs) -> int:
        """How many passages the articles ``docs`` have."""
        total = 0
        for doc in docs:
            at = self._article_loc(doc)
            if at is not None:
                total += len(self.parts[at[0]].segment.article_passage_rows(at[1]))
        return total

    @property
    def dimension(self) -> int:
        return int(self.parts[0].shapes[0][1])

    def behind(self) -> bool:
        """A loaded folder build does not change under its reader (see PgStore.behind)."""
        return False

    def refresh(self) -> bool:
        """A loaded folder build does not change under its reader (see PgStore.refresh)."""
        return False

    def prefetch(self, pids) -> None:
        """Read the sentence vectors of passages ``pids`` now, a run of rows at a time: the answer stage
        asks for each of them next (one read a passage instead of one a sentence). Kept until the next call."""
        cache: dict[tuple[str, int, int], np.ndarray] = {}
        wanted: dict[int, tuple[list, list]] = {}
        for pid in pids:
            at, row = self._locate_one(pid)
            if at is None:
                continue
            segment = self.parts[at].segment
            doc = segment.article_id(int(segment.t["part"][int(row)]))
            if self._article_loc(doc) != (at, int(segment.t["part"][int(row)])):
                continue
            spans, vrows = segment.passage_sentence_rows(row)
            keys, rows = wanted.setdefault(at, ([], []))
            for span, vrow in zip(spans, vrows):
                if vrow is not None:
                    keys.append((doc, *span))
                    rows.append(vrow)
        for at, (keys, rows) in wanted.items():
            order = np.argsort(rows, kind="stable")  # ascending rows: neighbours are read together
            vectors = self.parts[at].sentence_vector_rows(np.asarray(rows, dtype="int64")[order])
            for j, i in enumerate(order.tolist()):
                cache[keys[i]] = vectors[j]
        self._sentences = cache

    # ---- questions about the corpus as a whole, answered without reading all of it ----------
    def article_passages(self, doc: str) -> list[Passage]:
        """The passages of article ``doc``, in order ([] for an unknown article)."""
        at = self._article_loc(doc)
        if at is None:
            return []
        segment = self.parts[at[0]].segment
        return [segment.passage(row) for row in segment.article_passage_rows(at[1]).tolist()]

    def article_ids_of(self, rel: str) -> list[str]:
        """Ids of the live articles read from corpus file ``rel``."""
        out = []
        for i, part in enumerate(self.parts):
            for row in part.segment.article_rows_of_file(rel):
                doc = part.segment.article_id(row)
                if self._article_loc(doc) == (i, row):
                    out.append(doc)
        return out

    def sample_passages(self, n: int) -> list[Passage]:
        """Up to ``n`` live passages spread evenly over the corpus."""
        out: list[Passage] = []
        total = max(1, len(self.passages))
        for part in self.parts:
            size = part.segment.size
            want = max(1, round(n * size / total)) if size else 0
            for row in np.linspace(0, size - 1, num=min(want, size), dtype="int64").tolist() if want else []:
                p = part.segment.passage(row)
                if p.id not in self._dead_set:
                    out.append(p)
        return out[:n]

    def latest_articles(self, n: int) -> list[ArticleInfo]:
        """The ``n`` newest articles by (date, title), newest first (undated ones last)."""
        found = []
        for i, part in enumerate(self.parts):
            order = part.segment.articles_by_date()
            taken = 0
            for row in order[::-1].tolist():
                if (i, row) in self.dead_articles or self._article_loc(part.segment.article_id(row)) != (i, row):
                    continue
                found.append(part.segment.article(row))
                taken += 1
                if taken >= n:
                    break
        found.sort(key=lambda a: (a.date or "", a.title), reverse=True)
        return found[:n]

    def date_range(self) -> tuple[str, str] | None:
        """The first and the last article date, or None when no article is dated."""
        dates = []
        for part in self.parts:
            order, undated = part.segment.articles_by_date(), part.segment.undated()
            if undated < len(order):
                dates += [part.segment.article(int(order[undated])).date, part.segment.article(int(order[-1])).date]
        return (min(dates), max(dates)) if dates else None

    def undated_count(self) -> int:
        """How many live articles have no date (an article dated once and undated in a later part counts once)."""
        count = 0
        for i, part in enumerate(self.parts):
            order = part.segment.articles_by_date()
            for row in order[:part.segment.undated()].tolist():
                if (i, row) not in self.dead_articles and self._article_loc(part.segment.article_id(row)) == (i, row):
                    count += 1
        return count

    # ---- writing -------------------------------------------------------------------------
    @staticmethod
    def write(index_dir: Path, data: StoreData, index_type: str | None = None, flat_max: int = FLAT_MAX) -> Path:
        """Write a new build and make it live atomically; the previous build stays usable until then.

        ``index_type`` None picks it from the corpus size: exact up to ``flat_max`` passages.
        """
        if index_type is None:
            index_type = choose_index_type(len(data.passages), flat_max)
        index_params(index_type, 0)  # an unknown type fails before anything is written
        if not data.passages:  # an inverted file cannot be trained on no vectors; the build's choice stays recorded
            index_type = "flat"

        def fill(tmp: Path) -> dict:
            entry = Store._write_segment(tmp, ".", data, index_type)
            Store._link_assets(tmp, data.assets)
            return dict(data.manifest, format=FORMAT_VERSION, layout=LAYOUT, segments=[entry],
                        index_type=index_type, index_params=entry["index_params"], faiss_bytes=entry["faiss_bytes"])

        return Store._publish(index_dir, fill)

    @staticmethod
    def write_delta(index_dir: Path, previous: Store, data: StoreData, removed: list[str]) -> Path:
        """A new build: ``previous``'s segments (hard-linked, unchanged), ``data`` as one more segment,
        and the articles ``removed`` (and any ``data`` article that ``previous`` holds) marked deleted."""
        if previous.folder is None or previous.manifest.get("layout") != LAYOUT:
            raise CitebotError("an incremental update needs a loaded folder build")

        def fill(tmp: Path) -> dict:
            entries = []
            for entry in previous.manifest["segments"]:
                source, target = previous.folder / entry["path"], tmp / entry["path"]
                target.mkdir(exist_ok=True)
                for name in SEGMENT_FILES:
                    _link_or_copy(source / name, target / name)
                entries.append(entry)
            name = f"seg-{previous.manifest.get('next_segment', len(entries))}"
            (tmp / name).mkdir()
            entries.append(Store._write_segment(tmp / name, name, data, "flat"))
            Store._link_assets(tmp, data.assets)
            dead = [previous.dead]
            dead_articles = set(previous.dead_articles)
            for doc in set(removed) | {a.id for a in data.articles}:
                at = previous._article_loc(doc)
                if at is not None:
                    dead_articles.add(at)
                    segment = previous.parts[at[0]].segment
                    dead.append(segment.t["ids"][segment.article_passage_rows(at[1])])
            np.savez(tmp / "deleted.npz", passages=np.unique(np.concatenate(dead)).astype("int64"),
                     articles=np.array(sorted(dead_articles), dtype="int64").reshape(-1, 2))
            base = entries[0]
            return dict(data.manifest, format=FORMAT_VERSION, layout=LAYOUT, segments=entries,
                        next_segment=int(name.split("-")[1]) + 1, index_type=base["index_type"],
                        index_params=base["index_params"], faiss_bytes=base["faiss_bytes"])

        return Store._publish(index_dir, fill)

    @staticmethod
    def _publish(index_dir: Path, fill) -> Path:
        """Fill a temporary build folder (``fill(tmp)`` returns its manifest), then switch to it atomically."""
        builds = index_dir / "builds"
        tmp = builds / f"tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            builds.mkdir(parents=True, exist_ok=True)
            tmp.mkdir()
        except OSError as exc:
            raise not_written(index_dir, exc) from None
        final = None
        try:
            manifest = fill(tmp)
            # The manifest goes last: a folder without one was never finished.
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
            _fsync_tree(tmp)
            checkpoint("written")
            final = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
            tmp.rename(final)
            checkpoint("renamed")
            link = index_dir / f"current.tmp-{os.getpid()}"
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(Path("builds") / final.name)
            current = index_dir / "current"
            if current.is_dir() and not current.is_symlink():
                # An index copied by a tool that follows links (cp -rL, scp -r): its live build is a folder no link
                # can replace, so every build failed there and left its folder behind. It joins the old builds.
                current.rename(builds / f"{final.name}-copied")
            os.replace(link, current)  # the one atomic step that switches builds
        except OSError as exc:  # a full disk, a quota: the new folder goes (even renamed: not live), the live build stays
            for folder in (tmp, final):
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
            raise not_written(index_dir, exc) from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        Store._remove_old_builds(builds, keep=final)
        return final

    @staticmethod
    def _write_segment(folder: Path, name: str, data: StoreData, index_type: str) -> dict:
        """The files of one segment; returns its manifest entry."""
        import faiss

        segment = Segment.from_data(data.articles, data.passages, data.sentences)
        ids = segment.t["ids"]
        segment.save(folder)
        _save_npy(folder / "passage_ids.npy", ids)
        _save_npy(folder / "passage_vectors.npy", np.ascontiguousarray(data.passage_vectors, dtype="float32"))
        _save_npy(folder / "sentence_vectors.npy", np.ascontiguousarray(data.sentence_vectors, dtype="float32"))
        params = index_params(index_type, len(ids))
        _write_faiss(make_faiss_index(data.passage_vectors, ids, index_type, params), folder / "faiss.index")
        data.bm25.save(folder / "bm25.npz")
        return {"path": name, "index_type": index_type, "index_params": params, "passages": int(len(ids)),
                "faiss_bytes": (folder / "faiss.index").stat().st_size}

    @staticmethod
    def _link_assets(folder: Path, assets: dict[str, Path]) -> None:
        for name, source in assets.items():
            _link_or_copy(source, folder / name)

    @staticmethod
    def _remove_old_builds(builds: Path, keep: Path) -> None:
        for old in builds.iterdir():
            if old == keep:
                continue
            if in_use(old):
                continue  # a running bot still answers from it (index/lease.py); a later build removes it
            if old.name.startswith("tmp-"):
                pid = old.name.split("-")[1]
                # Another process may still be writing it; one of this process's pid was left by an earlier process
                # (killed) that had the same pid, as every build run in a container of its own does (pid 1).
                if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
                    continue
            shutil.rmtree(old, ignore_errors=True)


def _check_stamps(files) -> None:
    """ValueError unless ``files`` maps each corpus file to its size, mtime and hash, as a build writes them: the
    freshness check and the build read them all, and a hand-edited entry was a traceback in both."""
    if not isinstance(files, dict) or not all(
            isinstance(s, dict) and isinstance(s.get("size"), int) and isinstance(s.get("mtime_ns"), int)
            and isinstance(s.get("sha256"), str) for s in files.values()):
        raise ValueError('"files" is not a table of file stamps')


def not_written(index_dir: Path, exc: OSError) -> IndexNotWritten:
    """The one-line error for a build that could not be written, saying whether the live build still answers."""
    builds = index_dir / "builds"
    why = f"{builds} is a file in the way" if builds.exists() and not builds.is_dir() else exc.strerror or str(exc)
    live = "; the previous build still answers" if Store.live_folder(index_dir) is not None else ""
    return IndexNotWritten(f"cannot write the index at {index_dir}: {why}{live}")


def _save_npy(path: Path, array: np.ndarray) -> None:
    """``np.save`` of ``array``, written by Python: numpy's own writer leaves the file cut short when its last
    write fails (a full disk) and says an earlier one as "17280 requested and 2016 written", with no errno."""
    array = np.ascontiguousarray(array)
    with open(path, "wb") as handle:
        np.lib.format.write_array_header_1_0(handle, np.lib.format.header_data_from_array_1_0(array))
        handle.write(array.reshape(-1).view("uint8"))


def _write_faiss(index, path: Path) -> None:
    """``faiss.write_index`` through a Python file: FAISS's own file writer only prints a failed last write (a full
    disk at its close) and leaves the file cut short, and says any other one in a RuntimeError without its errno."""
    import faiss

    failed: list[OSError] = []
    with open(path, "wb") as handle:
        def write(data: bytes) -> int:
            try:
                return handle.write(data)
            except OSError as exc:
                failed.append(exc)
                raise

        try:
            faiss.write_index(index, faiss.PyCallbackIOWriter(write))
        except RuntimeError:
            if failed:
                raise failed[0] from None
            raise


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, target)


@contextmanager
def _reading(folder: Path, name: str):
    """``folder / name``; whatever reading it raises is said in one line naming the file (within the build), which
    loading gives as the corrupt index's reason."""
    path = folder / name
    shown = path.relative_to(folder.parent).as_posix() if folder.name.startswith("seg-") else name
    try:
        if name.endswith(".npy"):
            with open(path, "rb") as handle:
                if handle.read(6) != b"\x93NUMPY":  # else numpy says it may hold pickles, to load "unsafely"
                    raise _Unreadable(f"{shown}: not a .npy table")
        yield path
    except _Unreadable:
        raise
    except FileNotFoundError:
        raise _Unreadable(f"{shown} is missing") from None
    except Exception as exc:
        said = f"{type(exc).__name__}: {exc}"
        raise _Unreadable(said if name in str(exc) else f"{shown}: {said}") from None


class _Unreadable(CitebotError):
    """A file of a build that cannot be read, named."""


def _map(path: Path) -> np.ndarray:
    """A read-only memory map of a .npy table: a big corpus pages in only the rows answers touch."""
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
