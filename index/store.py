"""The index folder: passages, vectors, FAISS, BM25 and a manifest that describes them.

Layout of ``--index DIR``::

    DIR/current -> builds/<stamp>      the live build (a symlink swapped atomically)
    DIR/builds/<stamp>/manifest.json   format, model, dimension, index type, corpus fingerprint
    DIR/builds/<stamp>/articles.jsonl  article metadata (id, title, date, url, path)
    DIR/builds/<stamp>/passages.jsonl  Passage records with explicit ids and offsets
    DIR/builds/<stamp>/passage_vectors.npy, passage_ids.npy, faiss.index
    DIR/builds/<stamp>/sentences.json, sentence_vectors.npy   for answer-sentence choice
    DIR/builds/<stamp>/bm25.npz
    DIR/builds/<stamp>/model.onnx(.data), tokenizer.json, embedder.json   the ONNX query embedder (optional)

>>> store = Store.load(Path(".citebot"), model="all-MiniLM-L6-v2")  # doctest: +SKIP
>>> store.passage(store.dense_search(vector, 1)[0][0]).doc           # doctest: +SKIP
'000_021f342df130e0f3.txt'
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.errors import CitebotError
from index.faults import checkpoint
from index.lease import in_use
from index.lexical import BM25
from index.passages import Passage

FORMAT_VERSION = 1
REBUILD_HINT = "rebuild it with `citebot index`"


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


# Exact search below this many passages; above it an inverted-file index (see README "Performance").
FLAT_MAX = 100_000
INDEX_TYPES = ("flat", "ivf", "hnsw")


def choose_index_type(n: int, flat_max: int = FLAT_MAX) -> str:
    """"flat" (exact) for a corpus of up to ``flat_max`` passages, else "ivf" (approximate)."""
    return "flat" if n <= flat_max else "ivf"


def index_params(index_type: str, n: int) -> dict:
    """The FAISS settings for ``index_type`` over ``n`` vectors, as the manifest records them."""
    if index_type == "flat":
        return {}
    if index_type == "ivf":
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
    elif index_type == "ivf":
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, params["nlist"], faiss.METRIC_INNER_PRODUCT)
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

    if index_type == "ivf" and "nprobe" in params:
        faiss.extract_index_ivf(index).nprobe = int(params["nprobe"])
    elif index_type == "hnsw" and "efSearch" in params:
        faiss.downcast_index(index.index).hnsw.efSearch = int(params["efSearch"])


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    """A loaded index build: look up passages and articles by id, search by vector."""

    def __init__(self, folder: Path, data: StoreData, faiss_index=None):
        """``faiss_index`` None means exact search over ``data.passage_vectors``."""
        self.folder = folder
        self.manifest = data.manifest
        self.articles = {a.id: a for a in data.articles}
        self.passages = {p.id: p for p in data.passages}
        self.passage_ids = np.array([p.id for p in data.passages], dtype="int64")
        self.passage_vectors = data.passage_vectors
        self._row_of = {pid: row for row, pid in enumerate(self.passage_ids.tolist())}
        self.sentence_row = {key: row for row, key in enumerate(data.sentences)}
        self.sentence_vectors = data.sentence_vectors
        self.bm25 = data.bm25
        self.faiss = faiss_index

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
    def read_manifest(index_dir: Path) -> dict | None:
        folder = Store.live_folder(index_dir)
        if folder is None:
            return None
        try:
            return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CitebotError(f"index at {index_dir} is corrupt (manifest unreadable: {exc}); {REBUILD_HINT}") from None

    @staticmethod
    def check_manifest(manifest: dict, index_dir: Path, model: str | None) -> None:
        """Refuse an index of another format or model, saying how to fix it."""
        version = manifest.get("format")
        if version != FORMAT_VERSION:
            raise CitebotError(
                f"index at {index_dir} has format {version}, this citebot reads format {FORMAT_VERSION}; {REBUILD_HINT}"
            )
        if model is not None and manifest.get("model") != model:
            raise CitebotError(
                f"index at {index_dir} was built with model {manifest.get('model')!r}, not {model!r}; "
                f"rebuild it with `citebot index --model {model}` or choose the index's model"
            )

    @classmethod
    def load(cls, index_dir: Path, model: str | None = None) -> Store:
        """Load the live build; refuse a missing, corrupt or mismatched one."""
        folder = cls.live_folder(index_dir)
        if folder is None:
            raise CitebotError(f"no index at {index_dir}; build one with `citebot index`")
        manifest = cls.read_manifest(index_dir)
        cls.check_manifest(manifest, index_dir, model)
        try:
            data = StoreData(
                manifest=manifest,
                articles=[ArticleInfo(**row) for row in _read_jsonl(folder / "articles.jsonl")],
                passages=[Passage.from_json(row) for row in _read_jsonl(folder / "passages.jsonl")],
                passage_vectors=_map(folder / "passage_vectors.npy"),
                sentences=[tuple(s) for s in json.loads((folder / "sentences.json").read_text(encoding="utf-8"))],
                sentence_vectors=_map(folder / "sentence_vectors.npy"),
                bm25=BM25.load(folder / "bm25.npz"),
            )
            index_type = manifest.get("index_type", "flat")
            faiss_index = None
            size = (folder / "faiss.index").stat().st_size
            if index_type == "flat" and manifest.get("faiss_bytes") is not None:
                # An exact (flat) index holds exactly passage_vectors: numpy searches it without the
                # FAISS import and file read, which a cold `citebot ask` would otherwise pay for.
                if size != manifest["faiss_bytes"]:
                    raise CitebotError(f"faiss.index has {size} bytes, the manifest says {manifest['faiss_bytes']}")
            else:
                faiss_index = cls._read_faiss(folder / "faiss.index")
                apply_search_params(faiss_index, index_type, manifest.get("index_params", {}))
            cls._check_consistent(data, faiss_index, manifest)
            embedding = manifest.get("embedding", {})
            missing = [name for name in embedding.get("files", []) if not (folder / name).is_file()]
            if missing:
                raise CitebotError(f"index at {index_dir} is corrupt (its {embedding.get('backend')} embedder's "
                                   f"{', '.join(missing)} is missing); {REBUILD_HINT}")
        except CitebotError as exc:
            if str(exc).startswith(f"index at {index_dir}"):
                raise
            raise CitebotError(f"index at {index_dir} is corrupt ({exc}); {REBUILD_HINT}") from None
        except Exception as exc:  # any unreadable or inconsistent file means the same thing
            raise CitebotError(f"index at {index_dir} is corrupt ({type(exc).__name__}: {exc}); {REBUILD_HINT}") from None
        return cls(folder, data, faiss_index)

    @staticmethod
    def _read_faiss(path: Path):
        import faiss

        return faiss.read_index(str(path))

    @staticmethod
    def _check_consistent(data: StoreData, faiss_index, manifest: dict) -> None:
        n = len(data.passages)
        dim = manifest.get("dimension")
        problems = []
        if data.passage_vectors.shape != (n, dim):
            problems.append(f"passage vectors {data.passage_vectors.shape} for {n} passages of dimension {dim}")
        if faiss_index is not None and (faiss_index.ntotal != n or faiss_index.d != dim):
            problems.append(f"FAISS holds {faiss_index.ntotal} vectors of dimension {faiss_index.d}")
        if len(data.sentences) != len(data.sentence_vectors):
            problems.append("sentence table and vectors differ in length")
        if data.bm25.size != n:
            problems.append("BM25 table and passages differ in length")
        if problems:
            raise CitebotError("; ".join(problems))

    # ---- lookups -------------------------------------------------------------------------
    def passage(self, pid: int) -> Passage:
        return self.passages[int(pid)]

    def row(self, pid: int) -> int:
        """Where passage ``pid`` sits in the vector table and the BM25 rows."""
        return self._row_of[int(pid)]

    def vector(self, pid: int) -> np.ndarray:
        return self.passage_vectors[self._row_of[int(pid)]]

    def sentence_vector(self, doc: str, start: int, end: int) -> np.ndarray | None:
        row = self.sentence_row.get((doc, start, end))
        return None if row is None else self.sentence_vectors[row]

    def dense_search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Passage ids and inner-product scores of the ``k`` nearest passages, best first."""
        k = min(k, len(self.passages))
        if k == 0:
            return np.zeros(0, dtype="int64"), np.zeros(0, dtype="float32")
        query = np.ascontiguousarray(vector.reshape(-1), dtype="float32")
        if self.faiss is None:
            scores = self.passage_vectors @ query
            rows = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
            rows = rows[np.argsort(-scores[rows], kind="stable")]
            return self.passage_ids[rows], scores[rows]
        scores, ids = self.faiss.search(query.reshape(1, -1), k)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def lexical_search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Passage ids and BM25 scores of the ``k`` best lexical matches, best first."""
        rows, scores = self.bm25.top(query, k)  # exact top rows, without scoring them all
        return self.passage_ids[rows], scores

    # ---- the rest of the interface the searcher uses (index/pg_store.py answers the same calls) ----
    def lexical_scores(self, query: str, pids) -> np.ndarray:
        """The BM25 score of ``query`` for each passage of ``pids``."""
        rows = np.array([self._row_of[int(pid)] for pid in pids], dtype="int64")
        return self.bm25.score_rows(query, rows).astype("float32")

    def dense_scores(self, vector: np.ndarray, pids) -> np.ndarray:
        """Inner product of ``vector`` with each passage of ``pids``."""
        return np.array([float(self.vector(pid) @ vector) for pid in pids], dtype="float32")

    def passage_count(self, docs) -> int:
        """How many passages the articles ``docs`` have."""
        return sum(1 for p in self.passages.values() if p.doc in docs)

    @property
    def dimension(self) -> int:
        return int(self.passage_vectors.shape[1])

    def refresh(self) -> bool:
        """A loaded folder build does not change under its reader (see PgStore.refresh)."""
        return False

    def prefetch(self, pids) -> None:
        """Everything is in memory already."""

    # ---- writing -------------------------------------------------------------------------
    @staticmethod
    def write(index_dir: Path, data: StoreData, index_type: str | None = None, flat_max: int = FLAT_MAX) -> Path:
        """Write a new build and make it live atomically; the previous build stays usable until then.

        ``index_type`` None picks it from the corpus size: exact up to ``flat_max`` passages.
        """
        if index_type is None:
            index_type = choose_index_type(len(data.passages), flat_max)
        index_params(index_type, 0)  # an unknown type fails before anything is written
        builds = index_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        tmp = builds / f"tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            Store._write_files(tmp, data, index_type)
            _fsync_tree(tmp)
            checkpoint("written")
            final = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
            tmp.rename(final)
            checkpoint("renamed")
            link = index_dir / f"current.tmp-{os.getpid()}"
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(Path("builds") / final.name)
            os.replace(link, index_dir / "current")  # the one atomic step that switches builds
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        Store._remove_old_builds(builds, keep=final)
        return final

    @staticmethod
    def _write_files(folder: Path, data: StoreData, index_type: str) -> None:
        import faiss

        ids = np.array([p.id for p in data.passages], dtype="int64")
        np.save(folder / "passage_ids.npy", ids)
        np.save(folder / "passage_vectors.npy", np.ascontiguousarray(data.passage_vectors, dtype="float32"))
        np.save(folder / "sentence_vectors.npy", np.ascontiguousarray(data.sentence_vectors, dtype="float32"))
        params = index_params(index_type, len(ids))
        faiss.write_index(make_faiss_index(data.passage_vectors, ids, index_type, params), str(folder / "faiss.index"))
        for name, source in data.assets.items():
            try:
                os.link(source, folder / name)
            except OSError:  # another file system, or links not allowed
                shutil.copyfile(source, folder / name)
        _write_jsonl(folder / "articles.jsonl", (a.to_json() for a in data.articles))
        _write_jsonl(folder / "passages.jsonl", (p.to_json() for p in data.passages))
        (folder / "sentences.json").write_text(json.dumps([list(s) for s in data.sentences], ensure_ascii=False))
        data.bm25.save(folder / "bm25.npz")
        manifest = dict(data.manifest, format=FORMAT_VERSION, index_type=index_type, index_params=params,
                        faiss_bytes=(folder / "faiss.index").stat().st_size)
        # The manifest goes last: a folder without one was never finished.
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))

    @staticmethod
    def _remove_old_builds(builds: Path, keep: Path) -> None:
        for old in builds.iterdir():
            if old == keep:
                continue
            if in_use(old):
                continue  # a running bot still answers from it (index/lease.py); a later build removes it
            if old.name.startswith("tmp-"):
                pid = old.name.split("-")[1]
                if pid.isdigit() and _pid_alive(int(pid)):
                    continue  # another process is still writing it
            shutil.rmtree(old, ignore_errors=True)


def _map(path: Path) -> np.ndarray:
    """A read-only memory map of a .npy table: a big corpus pages in only the rows answers touch."""
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
