"""Build the index into PostgreSQL: one transaction per build, one builder at a time.

The corpus is read, split and embedded exactly as for the folder store (``IndexBuilder``, reusing
the vectors of unchanged files by fingerprint); only where the build goes differs. ``write_build``
creates the build's tables, fills them with COPY, indexes them (HNSW for the vectors) and switches
``citebot_live`` to them, all in one transaction: readers keep answering from the old build until
the commit, and a build killed at any moment rolls back to nothing. Builders serialise on a
PostgreSQL advisory lock, so two of them (on any machines) never interleave.

>>> builder = PgIndexBuilder(Path("corpus"), "postgresql://citebot@127.0.0.1:5432/citebot", Embedder())  # doctest: +SKIP
>>> builder.build().passages                                                                            # doctest: +SKIP
18
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

import numpy as np

from index.build import IndexBuilder, embedded_otherwise, other_model, other_weights
from index.embedder import Embedder
from index.errors import CitebotError, IndexNotWritten
from index.faults import checkpoint
from index.passages import PassageSplitter
from index.pg_store import (ANSWER_WITHIN, CANCEL_GRACE, LEXICAL, LOCK_KEY, Deadline, NoAnswer, PgStore, Unreachable,
                            answered_within, as_array, cache_root, check_manifest, connect, damaged_build, driver,
                            ensure_schema, error_line, live_build, materialize_assets, register_vector_types, safe_uri,
                            table, vector_out_of_path, within)
from index.store import FORMAT_VERSION, ArticleInfo, Store, StoreData

log = logging.getLogger("citebot.build")
KEEP_BUILDS = 2  # the live build and the one before it: a replica mid-question may still read the older
HNSW = {"m": 16, "ef_construction": 64}
TABLES = ("passages", "sentences", "articles", "terms", "postings")
# SQLSTATEs of a build the database refused, its connection still up: no right to create (a read-only role, no
# right to CREATE EXTENSION vector), a read-only replica, no room, canceled (statement_timeout), pgvector missing.
NOT_WRITTEN = ("42501", "25006", "53", "54", "57014", "58P01")
LOCK_TIMEOUT = "55P03"  # lock_not_available: a lock another session holds outlasted the builder's lock_timeout
# Seconds a build's statement may wait for a lock another session holds (its lock_timeout), and a step of the build
# (a read, the schema) for the server's answer; a write that grows with the build has WRITE_WITHIN per WRITE_BATCH
# passages more (COPY, the HNSW index: about 1,000 passages a second on a loaded 2-core server). Past them the server
# is asked to cancel, and a server that does not (stopped, frozen, out of reach) has its connection cut (``Deadline``).
WRITE_WITHIN = ANSWER_WITHIN
WRITE_BATCH = 2_000
# Attempts at writing a build whose connection the server ends (a restart, a failover, an administrator), the
# embedding kept; RETRY_PAUSE seconds before the second, doubling after each (1, 2, 4, 8, 16: 31 s in all).
WRITE_ATTEMPTS = 6
RETRY_PAUSE = 1.0
# In a replica's staging folder, per corpus folder: its files' SHA-256s when this machine last built them or found
# them the live build's, and when the server made that build (PgIndexBuilder._corpus_moved).
SEEN_FILE = "seen-{}.json"


def write_budget(seconds: float | None, passages: int) -> float | None:
    """Seconds the write of a build of ``passages`` passages has: ``seconds`` twice (a lock waited for up to its
    lock_timeout, then the rest), and ``seconds`` more per ``WRITE_BATCH`` passages."""
    return None if seconds is None else seconds * (2 + passages / WRITE_BATCH)


def postings_copy(bm25, passage_ids: np.ndarray, chunk: int = 1 << 20):
    """``bm25``'s postings as a binary COPY stream of (term, passage, weight), terms ascending, in pieces.

    Built with numpy rather than row by row: a million passages hold tens of millions of postings.
    """
    counts = np.diff(bm25.offsets)
    terms = np.repeat(np.arange(len(counts), dtype="int32"), counts)
    yield COPY_HEADER
    for lo in range(0, len(bm25.rows), chunk):
        hi = min(lo + chunk, len(bm25.rows))
        rec = np.empty(hi - lo, dtype=[("fields", ">i2"), ("l1", ">i4"), ("term", ">i4"), ("l2", ">i4"),
                                       ("passage", ">i8"), ("l3", ">i4"), ("weight", ">f4")])
        rec["fields"], rec["l1"], rec["l2"], rec["l3"] = 3, 4, 8, 4
        rec["term"] = terms[lo:hi]
        rec["passage"] = passage_ids[bm25.rows[lo:hi]]
        rec["weight"] = bm25.weights[lo:hi]
        yield rec.tobytes()
    yield COPY_TRAILER


COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension length
COPY_TRAILER = b"\xff\xff"


def _store_assets(cur, assets: dict[str, Path]) -> dict[str, str]:
    """Put the ONNX export's files in ``citebot_assets`` (content-addressed, so rebuilds store them once)."""
    names = {}
    for name, path in sorted(assets.items()):
        data = Path(path).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        cur.execute("INSERT INTO citebot_assets (sha256, data) VALUES (%s, %s) ON CONFLICT DO NOTHING", (sha, data))
        names[name] = sha
    return names


def _made_at(text) -> datetime | None:
    """A build's time as seen-*.json keeps it; None when not kept (or by a citebot that kept its id)."""
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def write_build(conn, data: StoreData, seconds: float | None = None) -> int:
    """Write ``data`` as a new build and make it live, in one transaction; returns the build id.

    ``seconds``: the writes have ``write_budget(seconds, passages)``, the commit ``seconds``, dropping the builds
    past the kept ones ``seconds`` again (``NoAnswer`` past them; None: no limit)."""
    from pgvector import Vector

    dim = int(data.passage_vectors.shape[1])
    vocabulary = max(1, len(data.bm25.vocab))
    commit = None if seconds is None else Deadline(conn, seconds)
    with _committed_within(commit, seconds), conn.transaction():
        with within(conn, write_budget(seconds, len(data.passages))), conn.cursor() as cur:
            assets = _store_assets(cur, data.assets)
            manifest = dict(data.manifest, format=FORMAT_VERSION, vocabulary=vocabulary, assets=assets,
                            index_type="hnsw", index_params=dict(HNSW), lexical=LEXICAL)
            manifest.pop("faiss_bytes", None)
            from psycopg.types.json import Jsonb

            cur.execute("INSERT INTO citebot_builds (manifest) VALUES (%s) RETURNING id", (Jsonb(manifest),))
            build = cur.fetchone()[0]
            t = lambda name: table(build, name)  # noqa: E731
            cur.execute(f"CREATE TABLE {t('articles')} (id text PRIMARY KEY, ord integer NOT NULL, title text NOT NULL, "
                        "date text, url text, path text NOT NULL)")
            cur.execute(f'CREATE TABLE {t("passages")} (id bigint PRIMARY KEY, ord integer NOT NULL, doc text NOT NULL, '
                        f'start integer NOT NULL, "end" integer NOT NULL, text text NOT NULL, sentences integer[] NOT NULL, '
                        f"embedding vector({dim}) NOT NULL)")
            cur.execute(f'CREATE TABLE {t("sentences")} (doc text NOT NULL, start integer NOT NULL, "end" integer NOT NULL, '
                        f'embedding vector({dim}) NOT NULL, PRIMARY KEY (doc, start, "end"))')
            cur.execute(f"CREATE TABLE {t('terms')} (term text PRIMARY KEY, idx integer NOT NULL, df integer NOT NULL, "
                        "max_weight real NOT NULL)")
            cur.execute(f"CREATE TABLE {t('postings')} (term integer NOT NULL, passage bigint NOT NULL, "
                        "weight real NOT NULL)")
            with cur.copy(f"COPY {t('articles')} (id, ord, title, date, url, path) FROM STDIN") as copy:
                for i, a in enumerate(data.articles):
                    copy.write_row((a.id, i, a.title, a.date, a.url, a.path))
            vectors = np.ascontiguousarray(data.passage_vectors, dtype="float32")
            with cur.copy(f'COPY {t("passages")} (id, ord, doc, start, "end", text, sentences, embedding) '
                          "FROM STDIN (FORMAT BINARY, FREEZE)") as copy:
                copy.set_types(["int8", "int4", "text", "int4", "int4", "text", "int4[]", "vector"])
                for i, p in enumerate(data.passages):
                    copy.write_row((p.id, i, p.doc, p.start, p.end, p.text, [x for s in p.sentences for x in s],
                                    Vector(vectors[i])))
            svectors = np.ascontiguousarray(data.sentence_vectors, dtype="float32")
            with cur.copy(f'COPY {t("sentences")} (doc, start, "end", embedding) FROM STDIN (FORMAT BINARY)') as copy:
                copy.set_types(["text", "int4", "int4", "vector"])
                for (doc, s, e), vec in zip(data.sentences, svectors):
                    copy.write_row((doc, s, e, Vector(vec)))
            df = np.diff(data.bm25.offsets)
            with cur.copy(f"COPY {t('terms')} (term, idx, df, max_weight) FROM STDIN (FREEZE)") as copy:
                for term, idx in data.bm25.vocab.items():
                    copy.write_row((term, idx, int(df[idx]), float(data.bm25.max_weights[idx])))
            ids = np.array([p.id for p in data.passages], dtype="int64")
            with cur.copy(f"COPY {t('postings')} (term, passage, weight) FROM STDIN (FORMAT BINARY, FREEZE)") as copy:
                for piece in postings_copy(data.bm25, ids):
                    copy.write(piece)
            # Rows went in term order, so the b-tree builds from sorted input; with the weight in it a
            # question's postings are read from the index alone (FREEZE marked the rows all-visible).
            cur.execute(f"CREATE INDEX ON {t('postings')} (term, passage) INCLUDE (weight)")
            cur.execute(f"CREATE INDEX ON {t('passages')} (doc)")
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cur.execute(f"CREATE INDEX ON {t('passages')} USING hnsw (embedding vector_ip_ops) "
                        f"WITH (m = {HNSW['m']}, ef_construction = {HNSW['ef_construction']})")
            cur.execute(f"ANALYZE {t('passages')}")
            cur.execute(f"ANALYZE {t('postings')}")
            cur.execute("INSERT INTO citebot_live (one, build) VALUES (true, %s) "
                        "ON CONFLICT (one) DO UPDATE SET build = EXCLUDED.build", (build,))
            cur.execute("SELECT pg_notify('citebot_build', %s)", (str(build),))
        checkpoint("uncommitted")  # crash tests strike here: everything written, nothing committed
        if commit is not None:
            commit.__enter__()  # the commit's clock starts now, not while the tables were written
    try:
        with within(conn, seconds):
            _drop_old_builds(conn, build)
    except (driver().Error, NoAnswer) as exc:  # the build is live: older ones left are dropped by a later build
        why = exc.why() if isinstance(exc, NoAnswer) else error_line(exc, "")
        log.warning("build %s is live; the builds before it were not dropped: %s", build, why)
    return build


@contextmanager
def _committed_within(commit: Deadline | None, seconds: float | None):
    """The commit at the end of the block, given up after ``seconds`` once ``commit`` (entered in it) was started."""
    try:
        yield
    except driver().Error:
        if commit is None or commit.fired is None:
            raise
        raise NoAnswer(commit.fired, seconds) from None
    finally:
        if commit is not None:
            commit.__exit__(None, None, None)


def _drop_old_builds(conn, live: int) -> None:
    keep = [row[0] for row in conn.execute("SELECT id FROM citebot_builds WHERE id <= %s ORDER BY id DESC LIMIT %s",
                                           (live, KEEP_BUILDS))]
    for (old,) in conn.execute("SELECT id FROM citebot_builds WHERE id <> ALL(%s) AND id < %s", (keep, live)).fetchall():
        with conn.transaction():
            for name in TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table(old, name)}")
            conn.execute("DELETE FROM citebot_builds WHERE id = %s", (old,))
    conn.execute("DELETE FROM citebot_assets a WHERE NOT EXISTS (SELECT 1 FROM citebot_builds b, "
                 "jsonb_each_text(b.manifest->'assets') e WHERE e.value = a.sha256)")


def load_snapshot(conn, build: int, manifest: dict) -> Store:
    """The whole build in memory as a folder-style ``Store``: what an incremental build reuses vectors from."""
    from index.passages import Passage

    t = lambda name: table(build, name)  # noqa: E731
    with conn.cursor(binary=True) as cur:
        cur.execute(f"SELECT id, title, date, url, path FROM {t('articles')} ORDER BY ord")
        articles = [ArticleInfo(*row) for row in cur.fetchall()]
        cur.execute(f'SELECT id, doc, start, "end", text, sentences, embedding FROM {t("passages")} ORDER BY ord')
        rows = cur.fetchall()
        cur.execute(f'SELECT doc, start, "end", embedding FROM {t("sentences")} ORDER BY doc, start')
        sentence_rows = cur.fetchall()
    dim = int(manifest["dimension"])
    passages = [Passage(pid, doc, s, e, text, tuple((sp[i], sp[i + 1]) for i in range(0, len(sp), 2)))
                for pid, doc, s, e, text, sp, _ in rows]
    vectors = np.array([as_array(r[6]) for r in rows], dtype="float32").reshape(-1, dim)
    svectors = np.array([as_array(r[3]) for r in sentence_rows], dtype="float32").reshape(-1, dim)
    folder = materialize_assets(conn, manifest) or cache_root() / "none"
    data = StoreData(manifest=manifest, articles=articles, passages=passages, passage_vectors=vectors,
                     sentences=[(d, s, e) for d, s, e, _ in sentence_rows], sentence_vectors=svectors)
    return Store(folder, data)


class _Overtaken(Exception):
    """Another build went live while this one had lost its connection and the builders' lock with it."""

    def __init__(self, build: int | None):
        super().__init__(build)
        self.build = build


def _no_pgvector(exc) -> bool:
    """Whether ``exc`` is the server's CREATE EXTENSION vector finding no pgvector installed where it runs (its hint,
    which says so, is on a line of its own that the one-line error leaves out)."""
    return exc.sqlstate in ("0A000", "58P01") and 'extension "vector" is not available' in str(exc)


class PgIndexBuilder(IndexBuilder):
    """``IndexBuilder`` whose builds go into the PostgreSQL database at ``uri``.

    >>> PgIndexBuilder(Path("corpus"), "postgresql://citebot@db:5432/citebot", Embedder()).status()  # doctest: +SKIP
    'fresh'
    """

    def __init__(self, corpus_dir: Path, uri: str, embedder: Embedder, splitter: PassageSplitter | None = None):
        driver()  # refused before an add or a feed update takes anything in, not at its build
        digest = hashlib.sha256(safe_uri(uri).encode()).hexdigest()[:12]
        super().__init__(corpus_dir, cache_root() / f"staging-{digest}", embedder, splitter)
        self.uri = uri
        self.label = safe_uri(uri)
        self._conn = None
        self._base: int | None = None  # the live build when this build took the lock
        self.write_within = WRITE_WITHIN  # seconds a lock or a step may keep the build waiting (see WRITE_WITHIN)
        self.wait: float | None = None  # seconds to wait for another build to let go of the builders' lock (None: no limit)
        self.retry_pause = RETRY_PAUSE  # seconds before writing again on a new connection, doubling each time
        self._seen_files: dict[str, str] | None = None  # see _seen
        self._seen_build: datetime | None = None  # when the build _seen_files were built as or found live in was made
        self._looked_at: datetime | None = None  # when the live build, as _manifest last read it, was made
        self._deferred = False  # said that the live build is another copy's
        # False for a question's builder whose corpus folder is ./corpus by default, named by no --corpus nor
        # CITEBOT_CORPUS (bot/cli.py): a folder that merely happens to be there (a checkout's sample articles) is not
        # taken for a copy of the store's corpus until this machine builds the store from it (_corpus_moved)
        self.corpus_named = True

    def build(self, progress: bool = False, if_stale: bool = False, emptied: bool = False, stop=None):
        """As for a folder; a build the database refuses is ``IndexNotWritten``, naming why, the live build unchanged."""
        psycopg = driver()

        try:
            try:
                return super().build(progress, if_stale, emptied, stop)
            except _Overtaken as overtaken:  # it read the corpus after this build did: built on, not written over
                log.warning("build %s of %s went live while this build's connection was lost: building again from it",
                            overtaken.build, self.label)
                return super().build(progress, if_stale, emptied, stop)
        except NoAnswer as exc:  # a frozen server answers nothing: what still answers is not known here
            note = "" if exc.fired == "cut" else self._base_note()
            raise IndexNotWritten(f"cannot write the index to {self.label}: {exc.why()}{note}") from None
        except psycopg.Error as exc:
            if exc.sqlstate == LOCK_TIMEOUT:
                raise IndexNotWritten(f"cannot write the index to {self.label}: a lock another session holds kept the "
                                      f"build waiting {self.write_within:g} s ({error_line(exc, self.uri)})"
                                      f"{self._base_note()}") from None
            if not (exc.sqlstate or "").startswith(NOT_WRITTEN) and not _no_pgvector(exc):
                raise
            raise IndexNotWritten(f"cannot write the index to {self.label}: {self._why(exc)}{self._live_note()}") from None

    def _base_note(self) -> str:
        """What ``_live_note`` says, from the live build found when the build began (asking again could wait as long)."""
        return "; the previous build still answers" if self._base is not None else ""

    def _why(self, exc) -> str:
        why = error_line(exc, self.uri)
        if exc.sqlstate == "42501" and "extension" in why:
            why += " (a superuser must run CREATE EXTENSION vector in the database once)"
        elif _no_pgvector(exc):
            why += (" (pgvector must first be installed on the machine PostgreSQL runs on: "
                    "https://github.com/pgvector/pgvector#installation)")
        return why

    def _live_note(self) -> str:
        try:
            return "; the previous build still answers" if self._live() is not None else ""
        except Exception:  # noqa: BLE001 - the refusal is the error to report
            return ""

    def _connection(self, check: bool = False):
        """The builder's connection (a new one when the last was lost); on an empty database it creates nothing:
        the shared tables and the vector extension are made by ``_lock``, holding the builders' lock. ``check``: one
        the server ended while it was idle (a restart since the last build) is found out and replaced first."""
        if check and self._conn is not None and not self._conn.closed:
            try:
                with within(self._conn, self.write_within):  # a server that does not answer is NoAnswer, said
                    self._conn.execute("SELECT 1")
            except driver().OperationalError:
                self._conn.close()
        if self._conn is None or self._conn.closed:
            self._conn = None
            conn = connect(self.uri, register=False)
            with within(conn, self.write_within):
                # A build is one long batch (a wait for the lock, embedding while idle, an HNSW index over every
                # passage): a role's statement_timeout or idle_session_timeout, set for its queries, would end it half
                # done. Its own limits are per step (``within``) and per lock waited for (lock_timeout).
                conn.execute("SET statement_timeout = 0")
                conn.execute(f"SET lock_timeout = {max(1, round(self.write_within * 1000))}")
                if conn.info.server_version >= 140000:  # no idle_session_timeout before PostgreSQL 14
                    conn.execute("SET idle_session_timeout = 0")
                register_vector_types(conn)
            self._conn = conn
        return self._conn

    def _live(self) -> tuple[int, dict] | None:
        """The live build, as ``live_build``; a server that does not answer in time is a CitebotError saying so."""
        conn = self._connection()
        try:
            # A little longer than the lock_timeout, so a lock held on citebot_live is said as such
            with answered_within(conn, self.uri, self.write_within + CANCEL_GRACE):
                return live_build(conn)
        except driver().errors.LockNotAvailable:
            raise CitebotError(f"no answer from {self.label} within {self.write_within:g} s (a lock another session "
                               "holds on the index): the read was canceled") from None

    def status(self) -> str:
        """As for a folder; a replica with no corpus folder serves the database's live build as it is, and one started
        before any build is told that the database has none (not that the corpus folder it need not have is missing)."""
        if not self.corpus_dir.is_dir():
            if self._live() is not None:
                return "fresh"
            raise CitebotError(f"no index in {self.label} yet; build one with `citebot index --store URI` "
                               f"(there is no corpus folder {self.corpus_dir} here to build it from)")
        return super().status()

    def _corpus_moved(self, here: dict[str, str], built: dict[str, str]) -> bool:
        """Whether this copy of the corpus is to be built again: it is not the live build's, and it changed since this
        machine last built it or found it the live build's (SEEN_FILE). A copy unchanged since is behind a build another
        replica made from its own copy (an article added there): it is answered from, not undone by building this one.
        Only a newer build than the one this machine saw: a live build put back to an older one (a rollback, an older
        dump restored) was answered from for good, though this copy was built after it. Newer by when the server made
        it, not by its id: an older dump restores the ids' sequence too, and the next build takes an id seen before."""
        if here == built:
            self._saw(here, self._looked_at)
            return False
        seen = self._seen()
        if not self.corpus_named and not self._built_here():
            # A question asked where a folder ./corpus happens to be (a checkout of citebot, its two sample articles)
            # built that folder over the store's build of every article, for every replica to answer from; so did one
            # whose folder changed (a `git pull`) after the store, once built from it here, was built anew elsewhere
            if not self._deferred:
                folder = str(self.corpus_dir.resolve())
                log.warning("%s holds a build this machine did not make from %s, the default corpus folder, which no "
                            "--corpus or CITEBOT_CORPUS named: answering from that build; to build the store from this "
                            "folder instead, run `citebot index --corpus %s --store URI` here", self.label, folder,
                            self.corpus_dir, extra={"said": ("store_not_from_default_corpus", {
                                "store": self.label, "folder": folder, "corpus": str(self.corpus_dir)})})
                self._deferred = True
            return False
        if seen is None or here != seen or self._seen_build is None or self._looked_at is None or \
                self._looked_at <= self._seen_build:
            return True
        if not self._deferred:
            log.info("the live build of %s was made from another copy of the corpus than %s, which has not changed since "
                     "this machine last built it: answering from that build", self.label, self.corpus_dir)
            self._deferred = True
        return False

    def _built_here(self) -> bool:
        """Whether the live build, as ``_manifest`` last read it, is the one this machine last built from this copy of
        the corpus or found live with it (SEEN_FILE): the same build, made at the same moment by the server's clock, not
        one made since from another copy, nor an older one put back."""
        return self._seen() is not None and self._seen_build is not None and self._looked_at == self._seen_build

    def foreign(self) -> bool:
        """Whether the store's live build is not this corpus folder's, where no --corpus nor CITEBOT_CORPUS named it
        (``corpus_named`` False): its files are not the folder's (the folder missing: none) and it is not the build
        this machine made from the folder or found live with it. An add, a remove or a feed update there would write
        into a folder that merely happens to be ./corpus and build the store from it, every replica's articles lost.
        False for a named corpus and for a store with no build yet."""
        if self.corpus_named:
            return False
        manifest = self._manifest()
        if manifest is None:
            return False
        built = {rel: stamp["sha256"] for rel, stamp in manifest.get("files", {}).items()}
        here = ({rel: stamp.sha256 for rel, stamp in self._fingerprint(manifest.get("files")).items()}
                if self.corpus_dir.is_dir() else {})
        if here == built:  # the folder is the live build's: its copy from now on, as a question finds it
            self._saw(here, self._looked_at)
            return False
        return not self._built_here()

    def _seen_path(self) -> Path:
        return self.index_dir / SEEN_FILE.format(hashlib.sha256(str(self.corpus_dir.resolve()).encode()).hexdigest()[:12])

    def _seen(self) -> dict[str, str] | None:
        """Each file's SHA-256 of this copy of the corpus when this machine last built it or found it the live build's;
        None when not known (a first look, a cache emptied)."""
        if self._seen_files is None:
            try:
                kept = json.loads(self._seen_path().read_text(encoding="utf-8"))
                if kept.get("corpus") == str(self.corpus_dir.resolve()) and isinstance(kept.get("files"), dict):
                    self._seen_files = kept["files"]
                    self._seen_build = _made_at(kept.get("made"))
            except (OSError, ValueError, AttributeError):
                pass
        return self._seen_files

    def _saw(self, files: dict[str, str], build: datetime | None) -> None:
        """``files`` (this copy's SHA-256s) kept as the copy this machine built or found live, in the build the server
        made at ``build``; only a cache."""
        self._deferred = False
        if files == self._seen() and build == self._seen_build:
            return
        path = self._seen_path()
        with suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
            tmp.write_text(json.dumps({"corpus": str(self.corpus_dir.resolve()), "files": files,
                                       "made": build and build.isoformat()}), encoding="utf-8")
            os.replace(tmp, path)
            self._seen_files, self._seen_build = dict(files), build

    def _made(self, build: int) -> datetime | None:
        """When the server made ``build`` (its clock alone, the same for every replica)."""
        conn = self._connection()
        with answered_within(conn, self.uri, self.write_within + CANCEL_GRACE):
            row = conn.execute("SELECT created_at FROM citebot_builds WHERE id = %s", (build,)).fetchone()
        return None if row is None else row[0]

    def _manifest(self) -> dict | None:
        live = self._live()
        self._looked_at = None if live is None else self._made(live[0])
        if live is not None:
            check_manifest(live[1], self.uri, None, self.corpus_dir)
        return None if live is None else live[1]

    def _check(self, manifest: dict) -> None:
        check_manifest(manifest, self.uri, self.embedder.model, self.corpus_dir)

    @contextmanager
    def _lock(self):
        # A long-running bot's builder (admins' adds, the feed job) holds its connection between builds: one the server
        # ended meanwhile failed the next build, and the article just added was "Already there" but never indexed.
        self._base = None
        conn = self._connection(check=True)
        self._take_lock(conn)
        try:
            self._base = self._live_id()
            # Only under the lock: two builders creating the extension or a table IF NOT EXISTS at once
            # both find it missing, and the second fails on the catalog's unique index.
            with within(conn, self.write_within):
                ensure_schema(conn)
                if not register_vector_types(conn) and (unnamed := vector_out_of_path(conn)):
                    raise IndexNotWritten(f"cannot write the index to {self.label}: {unnamed}")
            yield
        except BaseException:
            conn = self._conn  # the one holding the lock now (_write may have taken it again on a new one)
            if conn is not None and not conn.closed and not conn.broken:  # a lost one: the server released the lock
                try:
                    with within(conn, self.write_within):
                        conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
                except Exception as exc:  # noqa: BLE001 - the error that ended the build is the one to report
                    log.debug("releasing the build lock of %s failed: %s", self.label, exc)
            raise
        with within(self._conn, self.write_within):
            self._conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))

    def _take_lock(self, conn) -> None:
        """The builders' advisory lock, on ``conn``: at once, or said and waited for while another build holds it (for
        ``wait`` seconds at most, then ``IndexNotWritten`` naming that build's server process; without a limit, for as
        long as it does: the server ends each wait after its lock_timeout and is asked again, so a server that stops
        answering meanwhile is found out)."""
        psycopg = driver()
        with within(conn, self.write_within):
            if conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
                return
            # the session holding it, which an operator can look up (pg_stat_activity) when that build never ends
            row = conn.execute("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
                               "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                               "AND classid::bigint = %s AND objid::bigint = %s",
                               (LOCK_KEY >> 32, LOCK_KEY & 0xFFFFFFFF)).fetchone()
        pid = row[0] if row else None
        if self.wait is not None and self.wait <= 0:
            raise self._still_held(pid)
        held = f" (held by server process {pid})" if pid is not None else ""
        log.warning("another build of %s is running%s: waiting %sfor it to finish", self.label, held,
                    "" if self.wait is None else f"at most {self.wait:g} s ")
        until = None if self.wait is None else time.monotonic() + self.wait
        timeout = self.write_within
        try:
            while True:
                if until is not None:
                    left = until - time.monotonic()
                    if left <= 0:
                        raise self._still_held(pid)
                    if left < timeout:  # the last wait ends with the limit, not a lock_timeout past it
                        timeout = left
                        with within(conn, self.write_within):
                            conn.execute(f"SET lock_timeout = {max(1, round(timeout * 1000))}")
                try:
                    with within(conn, timeout + CANCEL_GRACE):
                        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
                    return
                except psycopg.errors.LockNotAvailable:  # the server answers, and the other build still holds it
                    continue
                except NoAnswer as exc:
                    if exc.fired != "canceled":
                        raise
        finally:
            if timeout != self.write_within and not (conn.closed or conn.broken):
                with within(conn, self.write_within):
                    conn.execute(f"SET lock_timeout = {max(1, round(self.write_within * 1000))}")

    def _still_held(self, pid: int | None) -> IndexNotWritten:
        """The end of a build that waited ``wait`` seconds for the build holding the builders' lock (server process
        ``pid``), naming that build and how to end it."""
        who = f"another build (server process {pid})" if pid is not None else "another build"
        waited = (f"holds the builders' lock, and this build does not wait for it (--wait, CITEBOT_BUILD_WAIT: 0)"
                  if self.wait <= 0 else
                  f"still held the builders' lock after the {self.wait:g} s this build waits for it (--wait, "
                  "CITEBOT_BUILD_WAIT)")
        end = f" (SELECT pg_terminate_backend({pid}))" if pid is not None else ""
        return IndexNotWritten(f"cannot write the index to {self.label}: {who} {waited}; if that build is stuck, end "
                               f"it{end} and build again{self._live_note()}")

    def _live_id(self) -> int | None:
        live = self._live()
        return None if live is None else live[0]

    def _previous(self) -> Store | None:
        conn = self._connection()
        live = self._live()
        if live is None:
            return None
        if (other_weights(self.embedder, live[1]) or other_model(self.embedder, live[1])
                or embedded_otherwise(live[1])):
            return None  # vectors embedded otherwise must not mix with the new ones
        try:
            check_manifest(live[1], self.uri, self.embedder.model)
            with within(conn, write_budget(self.write_within, int(live[1].get("passages", 0)))):
                return load_snapshot(conn, *live)
        except CitebotError as exc:
            log.warning("not reusing the previous index: %s", exc)
            return None
        except driver().errors.UndefinedTable as exc:  # a table of it dropped: the build replaces it whole
            log.warning("not reusing the previous index: %s", damaged_build(self.uri, live[0], exc))
            return None

    def _write(self, data: StoreData) -> Path | None:
        """``write_build`` on the builder's connection; one the server ended (a restart, an administrator) while the
        build embedded or wrote is replaced, the lock taken again on the new one, and the build written there, when no
        other build went live meanwhile (``_Overtaken``): what was embedded is not lost with the connection."""
        psycopg = driver()
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            holder, conn = self._conn, None
            try:
                conn = self._connection(check=True)
                if conn is not holder:  # the server released the builders' lock with the connection that held it
                    log.warning("the server ended the build's connection to %s: writing the build on a new one%s",
                                self.label, f" (attempt {attempt} of {WRITE_ATTEMPTS})" if attempt > 1 else "")
                    self._take_lock(conn)
                    live = self._live_id()
                    if live != self._base:
                        raise _Overtaken(live)
                build = write_build(conn, data, self.write_within)
                break
            except (psycopg.OperationalError, Unreachable) as exc:
                if conn is not None and not (conn.closed or conn.broken):
                    raise
                lost = error_line(exc, self.uri) if isinstance(exc, psycopg.Error) else str(exc)
                if conn is not None and not conn.closed:
                    conn.close()
            if attempt < WRITE_ATTEMPTS:  # a server restarting (or failing over) takes a while to take connections
                time.sleep(self.retry_pause * 2 ** (attempt - 1))
        else:
            raise IndexNotWritten(f"cannot write the index to {self.label}: the server ended the build's connection "
                                  f"at each of {WRITE_ATTEMPTS} attempts to write it (the last: {lost}); gave up, and "
                                  f"this build's embedding with it{self._base_note()}")
        with within(conn, self.write_within):
            manifest, made = conn.execute("SELECT manifest, created_at FROM citebot_builds WHERE id = %s",
                                          (build,)).fetchone()
            self._saw({rel: stamp["sha256"] for rel, stamp in data.manifest.get("files", {}).items()}, made)
            return materialize_assets(conn, manifest)

    def open(self) -> PgStore:
        return PgStore.open(self.uri, self.embedder.model)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
