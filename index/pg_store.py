"""The index in PostgreSQL + pgvector: the same Store interface as the folder, answered by the database.

Each build is a set of tables ``citebot_b<N>_*`` (articles, passages with a pgvector ``embedding``
column under an HNSW index, sentences, terms, postings); ``citebot_live`` names the live build. A
build is written in ONE transaction that creates its tables and switches ``citebot_live`` last, so
readers see the old build until it commits and a killed build leaves nothing behind. BM25 is an
inverted index the database walks: ``postings`` holds (term, passage, weight) with the very weight
``index/lexical.py`` stores (idf x tf / (tf + k1 (1 - b + b len/avg))) under a b-tree on (term,
passage), so a question's exact top k is a sum over its terms' postings, pruned as the folder's
MaxScore prunes (``lexical_search``).

>>> store = PgStore.open("postgresql://citebot@127.0.0.1:5432/citebot")   # doctest: +SKIP
>>> ids, scores = store.dense_search(vector, 5)                             # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import logging
import os
import re
import shutil
import socket
import threading
import time
from collections import Counter
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index.embedder import cache_root
from index.errors import CitebotError
from index.lexical import tokenize
from index.passages import Passage
from index.store import FORMAT_VERSION, ArticleInfo, Store, rebuild_hint

log = logging.getLogger("citebot")
URI_PREFIXES = ("postgresql://", "postgres://")
LEXICAL = "postings"  # how a build holds BM25: a (term, passage, weight) table under a b-tree
LOCK_KEY = 0x63697465626F74  # "citebot": the advisory lock two builders of one database share
# `citebot index` alone would build a folder index in ./.citebot and leave the store as it was
REBUILD_HINT = rebuild_hint("URI")  # " --store URI": the URI itself, which may hold a password, is never said
# A term in more than this share of the passages is "common": looked up for the passages that can still make
# the top k rather than summed in full (0.1-0.3 measured alike on SQuAD dev at 100,000 passages; 0.2 fastest).
COMMON = 0.2
STREAM_ROWS = 10_000  # rows a streamed read (the whole vocabulary) holds in memory at a time
CACHE_LIMIT = 20_000  # passages (with vectors) kept in memory per process before the cache is emptied
# Conversations citebot_chats keeps, the ones heard from last (as a bot's chats file: bot/memory.py): a chat past them
# is forgotten, so the table stays bounded however many chats ever wrote to it.
KEPT_CHATS = 10_000
CHAT_KINDS = ("topic", "post", "more")  # what a citebot_chats row holds: each kind kept apart, KEPT_CHATS each
# SQLSTATEs of a write the server refuses: a read-only transaction (a hot standby, a role set read-only), no privilege
REFUSED_WRITES = ("25006", "42501")
# Seconds a read of a question may wait for the server (``PgStore.answer_within``): a lock another session holds on the
# index, or a server stopped or out of reach, kept a question (and a bot's chat) waiting for good.
ANSWER_WITHIN = 30.0
CANCEL_GRACE = 5.0  # seconds a server asked to cancel a read has to end it before its connection is cut


def as_array(value) -> np.ndarray:
    """A pgvector value as a float32 numpy vector."""
    return np.asarray(value.to_numpy() if hasattr(value, "to_numpy") else value, dtype="float32")


def is_store_uri(value) -> bool:
    """True when ``value`` names a PostgreSQL store rather than an index folder."""
    return isinstance(value, str) and value.startswith(URI_PREFIXES)


def _user_part(uri: str) -> tuple[str | None, str]:
    """(USER[:PASSWORD] as the address's writer meant it, or None when it has none; the address without it and its @).

    A password with an @ / ? or # not percent-encoded ends the host part early (an @ then stands in the path, or
    none before it), so the user part then runs to the last @ (before a query, where the host part has one), when
    what precedes its first : can be a user name. ValueError: an address urlsplit cannot read (an unclosed [).
    """
    from urllib.parse import urlsplit

    parts = urlsplit(uri)
    head, sep, rest = uri.partition("://")
    userinfo, at, _ = parts.netloc.rpartition("@")
    if sep and (not at or "@" in parts.path):
        meant = (re.split(r"[?#]", rest, maxsplit=1)[0] if at else rest).rpartition("@")[0]
        if re.fullmatch(r"[^/?#@:]*:.*", meant, re.S):
            return meant, f"{head}://{rest[len(meant) + 1:]}"
    if not at:
        return None, uri
    return userinfo, f"{head}{sep}{rest[len(userinfo) + 1:]}"


def _passwords(uri: str) -> list[str]:
    """The passwords ``uri`` holds (in its user info, in ``password=`` parameters), as written and decoded."""
    from urllib.parse import unquote, urlsplit

    try:
        userinfo, query = _user_part(uri)[0] or "", urlsplit(uri).query
    except ValueError:  # an unclosed [IPv6 address, which the driver's message quotes whole: split it by hand
        netloc, query = re.match(r"(?:[^:/?#]*://)?([^/?#]*)[^?#]*\??([^#]*)", uri).groups()
        userinfo = netloc.rpartition("@")[0]
    found = []
    if ":" in userinfo:
        found.append(userinfo.split(":", 1)[1])
    for param in query.split("&"):
        name, _, value = param.partition("=")
        if unquote(name).strip().lower() == "password":
            found.append(value)
    return [p for p in {*found, *map(unquote, found)} if p]


def safe_uri(uri: str) -> str:
    """``uri`` with any password masked, for messages: the user info's and ``password=`` parameters'.

    >>> safe_uri("postgresql://:pw@db/x?sslmode=require&password=pw2")
    'postgresql://:***@db/x?sslmode=require&password=***'
    """
    from urllib.parse import unquote, urlsplit, urlunsplit

    try:
        userinfo, rest = _user_part(uri)
        parts = urlsplit(rest)
    except ValueError:  # e.g. an unclosed [IPv6 address: nothing of it is shown past the scheme
        return uri.split("://", 1)[0] + "://***"
    if userinfo is not None:
        shown = userinfo.split(":", 1)[0] + ":***" if ":" in userinfo else userinfo
        parts = parts._replace(netloc=f"{shown}@{parts.netloc}")
    query = "&".join(f"{name}=***" if unquote(name).strip().lower() == "password" else param
                     for param in parts.query.split("&") for name in [param.partition("=")[0]]) if parts.query else ""
    return mask(urlunsplit(parts._replace(query=query)), uri)


def misread(uri: str) -> bool:
    """True when libpq would read an @ of ``uri`` into its host, port or database name: an @ or a / in a user name or
    password not percent-encoded ends libpq's user part at the first @, and sends the rest of it to a name server."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        read = conninfo_to_dict(uri)
    except Exception:  # noqa: BLE001 - the connection says what is wrong with the address
        return False
    return any("@" in str(read.get(key) or "") for key in ("host", "hostaddr", "port", "dbname"))


def mask(message: str, uri: str) -> str:
    """``message`` (a driver's, which may quote the address or a piece of it) with ``uri``'s passwords blanked."""
    for password in sorted(_passwords(uri), key=len, reverse=True):
        message = message.replace(password, "***")
    return message


def database_error(uri: str, exc, lost: bool | None = None) -> CitebotError:
    """The driver's error ``exc`` as one line naming the store, its passwords masked; ``lost``: the connection went
    (by default, when its SQLSTATE says so or it has none: the client's own "server closed the connection")."""
    if lost is None:
        lost = (getattr(exc, "sqlstate", None) or "08").startswith(("08", "57P"))
    error = CitebotError(f"{'lost the connection to' if lost else 'cannot use the index in'} {safe_uri(uri)}: "
                         f"{error_line(exc, uri)}")
    error.sqlstate = getattr(exc, "sqlstate", None)  # what the server said, for a caller that tells errors apart
    error.line = error_line(exc, uri)
    return error


def error_line(exc, uri: str) -> str:
    """The first line of the driver's error ``exc`` (its SQL and caret follow), ``uri``'s passwords masked."""
    return mask((str(exc).strip().splitlines() or [type(exc).__name__])[0], uri)


def driver():
    """The psycopg module, pgvector's adapter there too; without them, the error that names the postgres extra."""
    try:
        import pgvector.psycopg  # noqa: F401 - every connection registers its types
        import psycopg
    except ImportError:
        raise CitebotError("a postgresql:// store needs the postgres extra: pip install 'citebot[postgres]'") from None
    return psycopg


class Unreachable(CitebotError):
    """No connection could be opened to the server (down, restarting, out of reach, or refusing this role)."""


# What an operator checks when the server refuses a connection, by what libpq or the server said (neither gives a
# SQLSTATE before the connection is made); the first that matches. Only words that bear the hint out: the server's
# are English only under lc_messages C or en (a German server's refusal matches none, and gets no hint: a wrong one,
# "check the host and port" of a server that answered, sends the operator the wrong way).
_BUSY = "the server has no connection free (max_connections): try again, or raise it"
_STARTING = "the server is starting or stopping: try again in a moment"
_HBA = ("the server's pg_hba.conf lets no such connection in: check its lines for this user, database and host (then "
        "SELECT pg_reload_conf())")
_NOT_THERE = ("check the host and port in the address, and that PostgreSQL runs there and takes connections from this "
              "machine (listen_addresses)")
_CONNECT_HINTS = (
    # the server says so of a role it does not have too, under a password method: the user name may be what is wrong
    (r"password authentication failed", "check the user name and the password in the address (or in PGPASSWORD or "
                                        "~/.pgpass): the server says so of a role it does not have too"),
    (r"no password supplied", "the server wants a password: add it to the address "
                              "(postgresql://USER:PASSWORD@HOST/DB) or set PGPASSWORD or ~/.pgpass"),
    (r"is not permitted to log in", "the role may not log in: ALTER ROLE … LOGIN, or name another in the address"),
    (r"too many connections for role", "the role is at its connection limit: try again, or raise it (ALTER ROLE … "
                                       "CONNECTION LIMIT)"),
    (r"too many connections for database", "the database is at its connection limit: try again, or raise it (ALTER "
                                           "DATABASE … CONNECTION LIMIT)"),
    (r'role ".*" does not exist', "check the user name in the address (a role the server has: CREATE ROLE … LOGIN)"),
    (r'database ".*" is not currently accepting connections', "the database takes no connections: ALTER DATABASE … "
                                                              "ALLOW_CONNECTIONS true"),
    (r"no pg_hba\.conf entry|pg_hba\.conf rejects", _HBA),
    (r"permission denied for database", "the role may not connect to that database: GRANT CONNECT ON DATABASE … TO …"),
    (r"database system is (starting up|shutting down|in recovery mode|not yet accepting)", _STARTING),
    (r"too many clients|connection slots are reserved", _BUSY),
    (r"server does not support SSL, but SSL was required", "the server takes no SSL connections: drop sslmode from "
                                                           "the address, or turn ssl on in the server"),
    # the network's words (libpq's and the system's, in English in this process: Python leaves LC_MESSAGES at C)
    (r"Connection refused|timeout expired|failed to resolve host|could not translate host name|No route to host|"
     r"Network is unreachable|Connection timed out|server closed the connection unexpectedly", _NOT_THERE),
)


def connect_hint(line: str) -> str:
    """What to check when a connection failed with ``line`` (the driver's first line); "" when nothing it says bears
    a hint out."""
    missing = re.search(r'database "(.*)" does not exist', line)
    if missing:
        return f"check the database name in the address, or create it (createdb {missing[1]})"
    return next((hint for said, hint in _CONNECT_HINTS if re.search(said, line)), "")


def connect(uri: str, *, register: bool = True):
    """An autocommit connection with the pgvector types registered; a clear error when it fails."""
    psycopg = driver()
    if misread(uri):
        raise CitebotError(f"cannot connect to {safe_uri(uri)}: an @ or a / in the address's user name, password or "
                           "database name must be percent-encoded (@ as %40, / as %2F)")
    try:
        conn = psycopg.connect(uri, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        line = mask(str(exc).strip().splitlines()[0], uri)
        hint = connect_hint(line)
        raise Unreachable(f"cannot connect to {safe_uri(uri)}: {line}{'; ' + hint if hint else ''}") from None
    if register:
        register_vector_types(conn)
    return conn


class Deadline:
    """Gives up on what ``conn`` runs in its block once ``seconds`` pass: the server is asked to cancel it (a server
    alive ends it at once with QueryCanceled: a lock another session holds, a statement too slow), and when it has not
    ended within a grace (the server stopped, its machine paused, the network gone: nothing ever ends that wait) the
    connection's socket is shut down, which ends the wait with an OperationalError and the connection closed.
    ``fired``: None, "canceled" or "cut". One thread watches every deadline of the process.

    >>> with Deadline(conn, 30):              # doctest: +SKIP
    ...     conn.execute("SELECT build FROM citebot_live")
    """

    _pending: list = []  # (when, n, deadline) of the deadlines entered, earliest first (a heap)
    _wake = threading.Condition()
    _watcher: threading.Thread | None = None
    _n = itertools.count()

    def __init__(self, conn, seconds: float):
        self.conn, self.seconds, self.grace = conn, seconds, min(CANCEL_GRACE, seconds)
        self.fired: str | None = None
        self._ended = threading.Event()
        self._lock = threading.Lock()  # the socket is cut only while the block runs: its descriptor is still conn's

    def __enter__(self) -> Deadline:
        entry = (time.monotonic() + self.seconds, next(Deadline._n), self)
        with Deadline._wake:
            Deadline._drop_ended()  # the oldest have mostly ended: the heap holds about the deadlines running
            heapq.heappush(Deadline._pending, entry)
            if Deadline._watcher is None:
                Deadline._watcher = threading.Thread(target=Deadline._watch, name="citebot-deadlines", daemon=True)
                Deadline._watcher.start()
            if Deadline._pending[0] is entry:
                Deadline._wake.notify()
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._ended.set()

    @classmethod
    def _drop_ended(cls) -> None:
        while cls._pending and cls._pending[0][2]._ended.is_set():
            heapq.heappop(cls._pending)

    @classmethod
    def _watch(cls) -> None:
        with cls._wake:
            while True:
                cls._drop_ended()
                if not cls._pending:
                    cls._wake.wait()
                elif (delay := cls._pending[0][0] - time.monotonic()) > 0:
                    cls._wake.wait(delay)
                else:  # striking waits on the server: each in a thread of its own
                    threading.Thread(target=heapq.heappop(cls._pending)[2]._strike, daemon=True).start()

    def _strike(self) -> None:
        with self._lock:
            if self._ended.is_set():
                return
            self.fired = "canceled"
            try:
                self.conn.cancel_safe(timeout=self.grace)
                canceled = True
            except Exception:  # noqa: BLE001 - the server takes no cancel request either
                canceled = False
        if canceled and self._ended.wait(self.grace):
            return
        with self._lock:
            if self._ended.is_set():
                return
            self.fired = "cut"
            try:
                with socket.socket(fileno=os.dup(self.conn.pgconn.socket)) as sock:
                    sock.shutdown(socket.SHUT_RDWR)
            except Exception as exc:  # noqa: BLE001 - the connection closed meanwhile
                log.debug("cutting a connection that did not answer failed: %s", exc)


class NoAnswer(Exception):
    """A step of a build the server did not end within its ``seconds``: ``fired`` is "canceled" (the server canceled
    it: too busy) or "cut" (it did not answer the cancel either: its connection is closed)."""

    def __init__(self, fired: str, seconds: float):
        super().__init__(fired, seconds)
        self.fired, self.seconds = fired, seconds

    def why(self) -> str:
        shown = f"{self.seconds:.0f}" if self.seconds >= 10 else f"{self.seconds:g}"
        if self.fired == "cut":
            return f"the server does not respond (no answer within {shown} s); the connection is closed"
        return f"the server did not finish the build's step within {shown} s (a server too busy): it was canceled"


@contextmanager
def within(conn, seconds: float | None):
    """The block's statements on ``conn`` given up after ``seconds`` (see ``Deadline``), as ``NoAnswer``; None: no limit."""
    if seconds is None:
        yield None
        return
    psycopg = driver()
    deadline = Deadline(conn, seconds)
    try:
        with deadline:
            yield deadline
    except psycopg.Error:
        if deadline.fired is None:
            raise
        raise NoAnswer(deadline.fired, seconds) from None


@contextmanager
def answered_within(conn, uri: str, seconds: float = ANSWER_WITHIN):
    """The block's statements on ``conn`` given up after ``seconds`` (see ``Deadline``), said in one CitebotError."""
    try:
        with within(conn, seconds) as deadline:
            yield deadline
    except NoAnswer as exc:
        why = (" (a lock another session holds on the index, or a server too busy): the read was canceled"
               if exc.fired == "canceled" else ": the server does not respond; the connection is closed")
        raise CitebotError(f"no answer from {safe_uri(uri)} within {seconds:g} s{why}") from None


def register_vector_types(conn) -> bool:
    """Teach ``conn`` pgvector's types; False when the extension is not installed in the database yet."""
    from pgvector.psycopg import register_vector

    try:
        register_vector(conn)
    except Exception:  # psycopg.ProgrammingError: vector type not found
        return False
    return True


def ensure_schema(conn) -> None:
    """The tables every build shares (idempotent; the extension needs a role allowed to create it)."""
    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    conn.execute("""CREATE TABLE IF NOT EXISTS citebot_builds (
        id serial PRIMARY KEY, manifest jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())""")
    conn.execute("""CREATE TABLE IF NOT EXISTS citebot_live (
        one boolean PRIMARY KEY DEFAULT true CHECK (one), build integer NOT NULL)""")
    conn.execute("CREATE TABLE IF NOT EXISTS citebot_assets (sha256 text PRIMARY KEY, data bytea NOT NULL)")
    conn.execute("""CREATE TABLE IF NOT EXISTS citebot_chats (
        chat text PRIMARY KEY, state jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())""")
    # Only when missing: CREATE INDEX IF NOT EXISTS still wants to own the table (another role that may write to the
    # tables, not own them, builds too) and takes a SHARE lock on it (the bots' chat writes wait meanwhile).
    if conn.execute("SELECT to_regclass('citebot_chats_by_update') IS NULL").fetchone()[0]:
        conn.execute("CREATE INDEX IF NOT EXISTS citebot_chats_by_update ON citebot_chats (updated_at)")
    # Each kind's rows (conversations, channel posts, "More sources" buttons) newest first, for forgetting the oldest
    # past its cap (ChatStates.forgetting): without, each new row read every row's state to tell its kind.
    for kind in CHAT_KINDS:
        if conn.execute("SELECT to_regclass(%s) IS NULL", (f"citebot_chats_{kind}_by_update",)).fetchone()[0]:
            conn.execute(f"CREATE INDEX IF NOT EXISTS citebot_chats_{kind}_by_update ON citebot_chats (updated_at, chat) "
                         f"WHERE state ? '{kind}'")


def vector_out_of_path(conn) -> str | None:
    """Why ``conn`` cannot name pgvector's type, when the extension is installed in a schema its search_path leaves
    out (a superuser created it in public; the role's or the database's search_path names citebot's schema alone)."""
    row = conn.execute("SELECT quote_ident(n.nspname), current_setting('search_path') FROM pg_extension e "
                       "JOIN pg_namespace n ON n.oid = e.extnamespace "
                       "WHERE e.extname = 'vector' AND to_regtype('vector') IS NULL").fetchone()
    if row is None:
        return None
    return (f"the vector extension is in schema {row[0]}, which the search_path ({row[1]}) leaves out; add it there "
            f"(ALTER ROLE … SET search_path = …, {row[0]})")


def damaged_build(uri: str, build: int, exc) -> str:
    """A build missing a table (``exc``, the driver's UndefinedTable), in words naming the table."""
    return f"the index build {build} in {safe_uri(uri)} is damaged ({error_line(exc, uri)})"


def table(build: int, name: str) -> str:
    return f"citebot_b{int(build)}_{name}"


def live_build(conn) -> tuple[int, dict] | None:
    """(build id, manifest) of the live build, or None when the database has none."""
    exists = conn.execute("SELECT to_regclass('citebot_live') IS NOT NULL").fetchone()[0]
    if not exists:
        return None
    row = conn.execute("SELECT b.id, b.manifest FROM citebot_live l JOIN citebot_builds b ON b.id = l.build").fetchone()
    return None if row is None else (row[0], row[1])


def check_manifest(manifest: dict, uri: str, model: str | None, corpus: Path | None = None) -> None:
    Store.check_manifest(manifest, safe_uri(uri), model, corpus)


def materialize_assets(conn, manifest: dict) -> Path | None:
    """The build's ONNX export as a local folder (copied out of ``citebot_assets`` once per machine)."""
    assets = manifest.get("assets") or {}
    if not assets:
        return None
    digest = hashlib.sha256(json.dumps(assets, sort_keys=True).encode()).hexdigest()[:16]
    folder = cache_root() / f"onnx-{digest}"
    if all((folder / name).is_file() for name in assets):
        return folder
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, sha in assets.items():
        row = conn.execute("SELECT data FROM citebot_assets WHERE sha256 = %s", (sha,)).fetchone()
        if row is None:
            shutil.rmtree(tmp, ignore_errors=True)
            raise CitebotError(f"the store's embedder file {name} is missing; {REBUILD_HINT}")
        (tmp / name).write_bytes(row[0])
    try:
        tmp.rename(folder)
    except OSError:  # another process got there first
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


class _Lexicon:
    """What the answer engine asks of BM25 (``idf``), answered from the build's ``terms`` table."""

    def __init__(self, store: PgStore):
        self._store = store
        self.table = store._t("terms")  # this build's, whichever build the store moves to later
        self._known: dict[str, tuple[int, int, float] | None] = {}  # term -> (id, df, max weight) or None
        self._df: dict[int, int] = {}

    def lookup(self, terms) -> dict[str, tuple[int, int, float]]:
        """(term id, document frequency, largest weight) of each of ``terms`` the build has."""
        missing = [t for t in set(terms) if t not in self._known]
        if missing:
            rows = self._store._query(f"SELECT term, idx, df, max_weight FROM {self.table} "
                                      "WHERE term = ANY(%s)", (missing,))
            for t in missing:
                self._known[t] = None
            for term, idx, df, max_weight in rows:
                self._known[term] = (idx, df, max_weight)
                self._df[idx] = df
            if len(self._known) > 200_000:
                self._known = {t: self._known[t] for t in terms}
                self._df = {v[0]: v[1] for v in self._known.values() if v is not None}
        return {t: self._known[t] for t in terms if self._known.get(t) is not None}

    @property
    def vocab(self) -> _Vocabulary:
        """Membership of a term in the build's vocabulary: ``term in store.bm25.vocab``."""
        return _Vocabulary(self)

    def df(self, idx: int) -> int:
        """Document frequency of a term id met in ``lookup``."""
        return self._df[idx]

    def scores(self, term: str):
        raise CitebotError("scoring one term over every passage (eval --holdout) needs the folder store")

    def idf(self, term: str) -> float:
        entry = self.lookup([term]).get(term)
        df = 0 if entry is None else entry[1]
        n = self._store.size
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))


class _Vocabulary:
    """``term in vocabulary``, asked of the ``terms`` table through the lexicon's cache; iterating it streams
    the build's terms in the folder vocabulary's order (a foreign question's Latin word starts are looked
    up among them once per engine), ``STREAM_ROWS`` rows in memory at a time."""

    def __init__(self, lexicon: _Lexicon):
        self._lexicon = lexicon

    def __contains__(self, term: str) -> bool:
        return term in self._lexicon.lookup([term])

    def held(self, terms: list[str]) -> list[str]:
        """Those of ``terms`` the build holds, in their order: one query for them all (a mistyped name's neighbours)."""
        found = self._lexicon.lookup(terms)
        return [t for t in terms if t in found]

    def __iter__(self):
        for (term,) in self._lexicon._store._stream(f"SELECT term FROM {self._lexicon.table} ORDER BY idx"):
            yield term


class ChatStates:
    """Each chat's conversation state in ``citebot_chats``, shared by every replica of the bot.

    >>> store.chats.set("telegram:123456789:42", "Where is the summit?")          # doctest: +SKIP
    >>> store.chats.get("telegram:123456789:42")                                   # doctest: +SKIP
    'Where is the summit?'
    """

    def __init__(self, store: PgStore, kept: int = KEPT_CHATS):
        self._store = store
        self.kept = kept
        # A database that refuses the writes (a read-only role, a hot standby) or fails them: each chat's topic is kept
        # here instead, the ``kept`` heard from last (newest last), and that is said once, till a write works again.
        self._unsaved: dict[str, str | None] = {}
        self._lock = threading.Lock()
        self._writing = True

    def take_over(self, prefix: str, into: str) -> int:
        """Rekey the chats saved as ``prefix`` + a chat id alone to ``into`` + that id (one a chat already has under
        ``into`` is left as it is); returns how many were taken over (none when the database refuses the write)."""
        try:
            return len(self._store._query(
                "UPDATE citebot_chats o SET chat = %(into)s || substr(o.chat, length(%(prefix)s) + 1) "
                "WHERE starts_with(o.chat, %(prefix)s) AND substr(o.chat, length(%(prefix)s) + 1) ~ '^-?[0-9]+$' "
                "AND NOT EXISTS (SELECT 1 FROM citebot_chats n WHERE n.chat = %(into)s || substr(o.chat, length(%(prefix)s) + 1)) "
                "RETURNING o.chat", {"prefix": prefix, "into": into}))
        except CitebotError as exc:
            self._not_written(exc)
            return 0

    def get(self, chat: str) -> str | None:
        with self._lock:
            if chat in self._unsaved:  # newer than the database's
                return self._unsaved[chat]
        rows = self._store._query("SELECT state->>'topic' FROM citebot_chats WHERE chat = %s", (chat,))
        return rows[0][0] if rows else None

    def set(self, chat: str, topic: str | None) -> None:
        """Keep ``topic`` as ``chat``'s; in this process's memory when the database will not write it."""
        try:
            self._write(chat, topic)
        except CitebotError as exc:
            with self._lock:
                self._unsaved.pop(chat, None)
                self._unsaved[chat] = topic
                while len(self._unsaved) > self.kept:  # the chat heard from longest ago
                    del self._unsaved[next(iter(self._unsaved))]
            self._not_written(exc)
            return
        with self._lock:
            self._unsaved.pop(chat, None)
            if not self._writing:
                log.info("conversations are kept in citebot_chats of %s again", safe_uri(self._store.uri))
            self._writing = True

    def post(self, chat: str, thread: int) -> tuple[str, str | None] | None:
        """The lead and link a replica noted of the channel's post whose thread in discussion group ``chat`` (its
        comments') is ``thread``; None when none did."""
        rows = self._store._query("SELECT state->'post' FROM citebot_chats WHERE chat = %s",
                                  (f"{chat}:post:{thread}",))
        told = rows[0][0] if rows else None
        if not (isinstance(told, list) and len(told) == 2 and isinstance(told[0], str)
                and (told[1] is None or isinstance(told[1], str))):
            return None
        return told[0], told[1]

    def note_post(self, chat: str, thread: int, lead: str, link: str | None) -> bool:
        """Keep ``lead`` and ``link`` as the post of ``thread`` in discussion group ``chat``: a comment to a comment
        there, routed to a replica that heard neither the post nor a reply to it, is read with it. One of the ``kept``
        posts heard of last (apart from the chats); not kept (said once) when the database will not write it: the
        replica that heard the post still has it. Whether it was written."""
        try:
            self._write(f"{chat}:post:{thread}", None, {"post": [lead, link]})
        except CitebotError as exc:
            self._not_written(exc)
            return False
        return True

    def keep_more(self, chat: str, key: str, more: list) -> bool:
        """Keep ``more`` (what an answer's "More sources" button ``key`` in ``chat`` shows when pressed) for every
        replica, one of the ``kept`` buttons made last (apart from the chats and the posts); not kept (said once) when
        the database will not write it. Whether it was written."""
        try:
            self._write(f"{chat}:more:{key}", None, {"more": more})
        except CitebotError as exc:
            self._not_written(exc)
            return False
        return True

    def take_more(self, chat: str, key: str) -> list | bool | None:
        """What the button ``key`` in ``chat`` shows, taken: a second press, on any replica, finds it taken. False when
        a press took it before (on any replica: the replica that sent the answer must not show its own copy again);
        None when no replica kept it (forgotten, or never written) or the database will not say (the answering
        replica's own copy then answers). A taken row stays, its sources dropped, till it is forgotten as the others."""
        try:
            rows = self._store._query(
                "WITH t AS (SELECT chat, state->'more' AS more FROM citebot_chats WHERE chat = %s FOR UPDATE) "
                "UPDATE citebot_chats c SET state = '{\"more\": null}' FROM t WHERE c.chat = t.chat RETURNING t.more",
                (f"{chat}:more:{key}",))
        except CitebotError as exc:
            self._not_written(exc)
            return None
        if rows and rows[0][0] is None:  # JSON null: taken
            return False
        return rows[0][0] if rows and isinstance(rows[0][0], list) else None

    def _write(self, chat: str, topic: str | None, state: dict | None = None) -> None:
        from psycopg.types.json import Jsonb

        state = {"topic": topic} if state is None else state
        added = self._store._query("INSERT INTO citebot_chats (chat, state) VALUES (%s, %s) ON CONFLICT (chat) "
                                   "DO UPDATE SET state = EXCLUDED.state, updated_at = now() RETURNING xmax = 0",
                                   (chat, Jsonb(state)))[0][0]
        if added:  # a new chat (post, button): those of its kind heard from longest ago past ``kept`` are forgotten,
            # each kind apart: every answer's button a row among the chats, a busy bot's buttons pushed out the
            # conversations of the chats idle meanwhile
            self._store._query(self.forgetting(next(iter(state))), (self.kept,))

    @staticmethod
    def forgetting(kind: str) -> str:
        """The statement that deletes the rows of ``kind`` (of CHAT_KINDS) past the newest %s: it walks that kind's
        index (ensure_schema's citebot_chats_KIND_by_update: the kind is written into the statement, as the planner
        matches the index's predicate) and deletes by key. The kind as a parameter read every row's state to tell it
        (a sequential scan of the three caps' rows, each button's sources detoasted: 30-45 ms each answer)."""
        assert kind in CHAT_KINDS
        return (f"DELETE FROM citebot_chats WHERE chat = ANY(ARRAY(SELECT chat FROM citebot_chats WHERE state ? '{kind}' "
                "ORDER BY updated_at DESC, chat DESC OFFSET %s)) RETURNING chat")

    def _not_written(self, exc: CitebotError) -> None:
        """Say once (till a write works again) that conversations live in this process only, and why."""
        with self._lock:
            said, self._writing = not self._writing, False
        if said:
            return
        where = safe_uri(self._store.uri)
        if getattr(exc, "sqlstate", None) in REFUSED_WRITES:
            log.warning("conversations are not kept across restarts nor shared with other replicas: %s refuses writes "
                        "to citebot_chats (a read-only role or a standby: %s); each chat's topic is kept in this "
                        "process's memory", where, getattr(exc, "line", exc))
        else:
            log.warning("conversations are not kept across restarts nor shared with other replicas while citebot_chats "
                        "cannot be written (%s); each chat's topic is kept in this process's memory", exc)


class _Rows(Mapping):
    """A read-only mapping over one of the build's tables, fetched on demand and cached."""

    def __init__(self, fetch_one, fetch_all, count):
        self._fetch_one, self._fetch_all, self._count = fetch_one, fetch_all, count
        self.cache: dict = {}
        self._len: int | None = None

    def __getitem__(self, key):
        if key not in self.cache:
            value = self._fetch_one(key)
            if value is None:
                raise KeyError(key)
            self.cache[key] = value
        return self.cache[key]

    def __len__(self) -> int:
        if self._len is None:
            self._len = self._count()
        return self._len

    def __iter__(self):
        return (key for key, _ in self._fetch_all())

    def values(self):
        return [value for _, value in self._fetch_all()]

    def items(self):
        return list(self._fetch_all())


class PgStore:
    """The live build of a PostgreSQL store, behind the folder ``Store``'s interface.

    Every search is one SQL statement; passages, their vectors and their sentences' vectors are
    fetched with the hits and cached, so the answer stage makes no further round trips.
    ``behind()`` (the answer engine asks it before each question) tells when a newer build has
    committed, and ``refresh()`` moves to it, so every replica answers from the new build from its next
    question on.

    >>> store = PgStore.open("postgresql://citebot@127.0.0.1:5432/citebot", model="all-MiniLM-L6-v2")  # doctest: +SKIP
    """

    def __init__(self, uri: str, conn, build: int, manifest: dict, model: str | None = None):
        self.uri = uri
        self.conn = conn
        self.answer_within = ANSWER_WITHIN  # seconds a read may wait for the server (see Deadline)
        self._ef_search = 0  # the connection's hnsw.ef_search, when this store set it
        self._connecting = threading.Lock()
        self.chats = ChatStates(self)
        # The model every build must be of: the embedder was made for the first one's.
        self.model = model if model is not None else manifest.get("model")
        self._moving = False  # refreshing after a read found its build dropped
        self._refused: int | None = None  # a live build that would not load: not tried again at every question
        self._use(build, manifest)

    @classmethod
    def open(cls, uri: str, model: str | None = None) -> PgStore:
        conn = connect(uri)
        try:
            with answered_within(conn, uri):
                live = live_build(conn)
                unnamed = vector_out_of_path(conn) if live is not None else None
        except BaseException:
            conn.close()
            raise
        if unnamed:
            conn.close()
            raise CitebotError(f"cannot use the index in {safe_uri(uri)}: {unnamed}")
        if live is None:
            conn.close()
            raise CitebotError(f"no index in {safe_uri(uri)}; build one with `citebot index --store URI`")
        check_manifest(live[1], uri, model)
        return cls(uri, conn, *live, model=model)

    def _use(self, build: int, manifest: dict) -> None:
        """Answer from ``build`` from now on; when it cannot be loaded, the store is left as it was."""
        if manifest.get("lexical") != LEXICAL:
            raise CitebotError(f"the index in {safe_uri(self.uri)} keeps BM25 in an older layout; {REBUILD_HINT}")
        size = int(manifest.get("passages", 0))
        dimension = int(manifest["dimension"])
        folder = materialize_assets(self.conn, manifest)
        # Everything that can fail has: switch every attribute together.
        self.build, self.manifest, self.size, self.dimension, self.folder = build, manifest, size, dimension, folder
        self.bm25 = _Lexicon(self)
        self.passages = _Rows(self._fetch_passage, self._all_passages, lambda: self.size)
        self.articles = _Rows(self._fetch_article, self._all_articles,
                              lambda: self._query(f"SELECT count(*) FROM {self._t('articles')}")[0][0])
        self._vectors: dict[int, np.ndarray] = {}
        self._sentences: dict[tuple[str, int, int], np.ndarray] = {}
        self._lexical: tuple[str, dict[int, float]] = ("", {})

    def _t(self, name: str) -> str:
        return table(self.build, name)

    def _reconnect(self, dead) -> None:
        """A new connection in place of ``dead`` (unless another thread made one already); its settings start afresh."""
        with self._connecting:
            if self.conn is dead:
                try:
                    dead.close()
                except Exception:  # already gone
                    pass
                self.conn = connect(self.uri)  # a CitebotError saying why when the server is still away
                self._ef_search = 0

    def _lost(self, conn, exc) -> bool:
        """True when ``exc`` says ``conn`` is gone (closed, broken: the server restarted or ended it)."""
        import psycopg

        return isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)) and (conn.closed or conn.broken)

    def _query(self, sql: str, params=None, binary: bool = False, ef_search: int = 0) -> list[tuple]:
        """The rows of ``sql``; a lost connection is opened again and the read tried once more.

        ``ef_search``: the HNSW search width ``sql`` needs, set on the connection first when it differs."""
        import psycopg

        for attempt in (1, 2):
            conn = self.conn
            try:
                if conn.closed:
                    raise psycopg.OperationalError("the connection is closed")
                with answered_within(conn, self.uri, self.answer_within), conn.cursor(binary=binary) as cur:
                    if ef_search and ef_search != self._ef_search:
                        cur.execute(f"SET hnsw.ef_search = {int(ef_search)}")
                        self._ef_search = ef_search
                    cur.execute(sql, params)
                    return cur.fetchall()
            except psycopg.errors.UndefinedTable as exc:
                raise self._removed(exc) from None
            except psycopg.Error as exc:
                if attempt == 2 or not self._lost(conn, exc):
                    raise database_error(self.uri, exc, self._lost(conn, exc)) from None
                self._reconnect(conn)
        raise AssertionError("unreachable")

    def _removed(self, exc) -> CitebotError:
        """The error of a read from a build dropped under it (builders keep two); the store moves to the live
        build now, so the next question is answered from it. A table missing from the live build itself (an
        operator's DROP TABLE, a partial restore) is said as such: asking again would meet it again."""
        gone, damaged = self.build, False
        if not self._moving:
            self._moving = True
            try:
                self.refresh()
                damaged = self.build == gone and self._query("SELECT build FROM citebot_live") == [(gone,)]
            except CitebotError:
                pass
            finally:
                self._moving = False
        if damaged:
            return CitebotError(f"{damaged_build(self.uri, gone, exc)}; {REBUILD_HINT}")
        return CitebotError(f"the index build {gone} in {safe_uri(self.uri)} was removed while in use; ask again")

    def _stream(self, sql: str, params=None):
        """The rows of ``sql`` as they arrive (libpq's chunked mode), never all of them in memory; a connection
        found lost before the first row is opened again. Each ``STREAM_ROWS`` rows have ``answer_within`` to come."""
        import psycopg

        for attempt in (1, 2):
            conn = self.conn
            started = False
            try:
                if conn.closed:
                    raise psycopg.OperationalError("the connection is closed")
                with conn.cursor() as cur:
                    rows = cur.stream(sql, params, size=STREAM_ROWS)
                    while True:
                        with answered_within(conn, self.uri, self.answer_within):
                            chunk = list(itertools.islice(rows, STREAM_ROWS))
                        started = started or bool(chunk)
                        yield from chunk
                        if len(chunk) < STREAM_ROWS:
                            break
                return
            except psycopg.errors.UndefinedTable as exc:
                raise self._removed(exc) from None
            except psycopg.Error as exc:
                if started or attempt == 2 or not self._lost(conn, exc):
                    raise database_error(self.uri, exc, self._lost(conn, exc)) from None
                self._reconnect(conn)

    # ---- keeping up with builds ------------------------------------------------------------
    def behind(self) -> bool:
        """True when another build than this store's (and not one refused) is live: ``refresh()`` would move to it."""
        return self._newer() is not None

    def _newer(self) -> int | None:
        row = self._query("SELECT build FROM citebot_live")
        return row[0][0] if row and row[0][0] not in (self.build, self._refused) else None

    def refresh(self) -> bool:
        """Switch to the live build if another one committed since; True when it did.

        A build of another model or format than this store's, or one that will not load, is refused
        with one warning: the store keeps answering from its build until another build goes live.
        It changes the tables every read goes to: the answer engine calls it once the questions in flight end."""
        import psycopg

        build = self._newer()
        if build is None:
            return False
        manifest = self._query("SELECT manifest FROM citebot_builds WHERE id = %s", (build,))[0][0]
        try:
            check_manifest(manifest, self.uri, self.model)
            self._use(build, manifest)
        except psycopg.Error as exc:  # the connection, not the build: tried again at the next question
            raise database_error(self.uri, exc, self._lost(self.conn, exc)) from None
        except (CitebotError, OSError, KeyError, ValueError) as exc:
            self._refused = build
            log.warning("keeping index build %s of %s: the new build %s is refused: %s", self.build, safe_uri(self.uri),
                        build, exc)
            return False
        return True

    # ---- lookups ---------------------------------------------------------------------------
    _PASSAGE_COLUMNS = 'id, doc, start, "end", text, sentences, embedding'

    def _remember(self, rows) -> None:
        if len(self._vectors) > CACHE_LIMIT:
            self.passages.cache.clear()
            self._vectors.clear()
            self._sentences.clear()
        for pid, doc, start, end, text, sentences, embedding in rows:
            spans = tuple((sentences[i], sentences[i + 1]) for i in range(0, len(sentences), 2))
            self.passages.cache[pid] = Passage(pid, doc, start, end, text, spans)
            self._vectors[pid] = as_array(embedding)

    def _fetch(self, pids) -> None:
        missing = [int(p) for p in pids if int(p) not in self._vectors]
        if missing:
            self._remember(self._query(f"SELECT {self._PASSAGE_COLUMNS} FROM {self._t('passages')} WHERE id = ANY(%s)",
                                       (missing,), binary=True))

    def _fetch_passage(self, pid):
        self._fetch([pid])
        return self.passages.cache.get(int(pid))

    def _all_passages(self):
        rows = self._query(f'SELECT id, doc, start, "end", text, sentences FROM {self._t("passages")} ORDER BY ord')
        for pid, doc, start, end, text, sentences in rows:
            spans = tuple((sentences[i], sentences[i + 1]) for i in range(0, len(sentences), 2))
            yield pid, Passage(pid, doc, start, end, text, spans)

    def _fetch_article(self, doc):
        rows = self._query(f'SELECT id, title, date, url, path FROM {self._t("articles")} WHERE id = %s', (doc,))
        return ArticleInfo(*rows[0]) if rows else None

    def _all_articles(self):
        for row in self._query(f'SELECT id, title, date, url, path FROM {self._t("articles")} ORDER BY ord'):
            yield row[0], ArticleInfo(*row)

    def passage(self, pid: int) -> Passage:
        return self.passages[int(pid)]

    def vector(self, pid: int) -> np.ndarray:
        self._fetch([pid])
        return self._vectors[int(pid)]

    def passage_count(self, docs) -> int:
        """How many passages the articles ``docs`` have."""
        if not docs:
            return 0
        return self._query(f"SELECT count(*) FROM {self._t('passages')} WHERE doc = ANY(%s)", (list(docs),))[0][0]

    # ---- questions about the corpus as a whole (as the folder Store answers them) ------------------
    def article_passages(self, doc: str) -> list[Passage]:
        """The passages of article ``doc``, in order."""
        rows = self._query(f'SELECT id, doc, start, "end", text, sentences FROM {self._t("passages")} '
                           "WHERE doc = %s ORDER BY ord", (doc,))
        return [Passage(pid, d, s, e, text, tuple((sp[i], sp[i + 1]) for i in range(0, len(sp), 2)))
                for pid, d, s, e, text, sp in rows]

    def sample_passages(self, n: int) -> list[Passage]:
        """Up to ``n`` passages spread evenly over the build: the rows the folder store samples of the same build."""
        if n < 1 or self.size < 1:
            return []
        # every size // n-th row from the first would leave a build of under 2n passages' last ones out: its articles'
        # language then went uncounted, and the engine read the corpus otherwise than over the folder store
        ords = np.linspace(0, self.size - 1, num=min(n, self.size), dtype="int64").tolist()
        rows = self._query(f'SELECT id, doc, start, "end", text, sentences FROM {self._t("passages")} '
                           "WHERE ord = ANY(%s) ORDER BY ord", (ords,))
        return [Passage(pid, d, s, e, text, tuple((sp[i], sp[i + 1]) for i in range(0, len(sp), 2)))
                for pid, d, s, e, text, sp in rows]

    def latest_articles(self, n: int) -> list[ArticleInfo]:
        """The ``n`` newest articles by (date, title), newest first (undated ones last)."""
        rows = self._query(f'SELECT id, title, date, url, path FROM {self._t("articles")} '
                           "ORDER BY coalesce(date, '') COLLATE \"C\" DESC, title COLLATE \"C\" DESC LIMIT %s", (n,))
        return [ArticleInfo(*row) for row in rows]

    def date_range(self) -> tuple[str, str] | None:
        """The first and the last article date, or None when no article is dated."""
        first, last = self._query(f'SELECT min(date), max(date) FROM {self._t("articles")} WHERE date IS NOT NULL')[0]
        return None if first is None else (first, last)

    def undated_count(self) -> int:
        """How many articles have no date."""
        return self._query(f'SELECT count(*) FROM {self._t("articles")} WHERE date IS NULL')[0][0]

    def prefetch(self, pids) -> None:
        """Load the passages ``pids`` and their sentences' vectors in one round trip each."""
        self._fetch(pids)
        keys = [(p.doc, s, e) for p in (self.passages.cache[int(pid)] for pid in pids if int(pid) in self.passages.cache)
                for s, e in p.sentences if (p.doc, s, e) not in self._sentences]
        if keys:
            docs, starts, ends = (list(x) for x in zip(*keys))
            rows = self._query(
                f'SELECT s.doc, s.start, s."end", s.embedding FROM {self._t("sentences")} s '
                "JOIN unnest(%s::text[], %s::int[], %s::int[]) AS k(doc, st, en) "
                'ON s.doc = k.doc AND s.start = k.st AND s."end" = k.en', (docs, starts, ends), binary=True)
            for doc, s, e, vec in rows:
                self._sentences[(doc, s, e)] = as_array(vec)

    def sentence_vector(self, doc: str, start: int, end: int) -> np.ndarray | None:
        key = (doc, start, end)
        if key not in self._sentences:
            rows = self._query(f'SELECT embedding FROM {self._t("sentences")} WHERE doc = %s AND start = %s AND "end" = %s',
                               key, binary=True)
            if not rows:
                return None
            self._sentences[key] = as_array(rows[0][0])
        return self._sentences[key]

    # ---- search ----------------------------------------------------------------------------
    def dense_search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Passage ids and inner products of the ``k`` nearest passages (HNSW), best first."""
        k = min(int(k), self.size)
        if k <= 0:
            return np.zeros(0, dtype="int64"), np.zeros(0, dtype="float32")
        ef = min(1000, max(100, 2 * k))  # HNSW returns at most ef_search rows
        query = np.ascontiguousarray(vector.reshape(-1), dtype="float32")
        from pgvector import Vector

        rows = self._query(f"SELECT {self._PASSAGE_COLUMNS} FROM {self._t('passages')} "
                           "ORDER BY embedding <#> %s LIMIT %s", (Vector(query), k), binary=True, ef_search=ef)
        self._remember(rows)
        ids = np.array([r[0] for r in rows], dtype="int64")
        # The score is computed here, as the folder store does, so both rank ties the same way.
        scores = np.array([self._vectors[int(pid)] @ query for pid in ids], dtype="float32")
        return ids, scores

    def dense_scores(self, vector: np.ndarray, pids) -> np.ndarray:
        """Inner product of ``vector`` with each passage of ``pids``."""
        self._fetch(pids)
        query = np.asarray(vector.reshape(-1), dtype="float32")
        return np.array([self._vectors[int(pid)] @ query for pid in pids], dtype="float32")

    def _terms(self, query: str, k: int) -> tuple[list[tuple[int, int, float]], int]:
        """The query's indexed terms as (term id, times in the query, largest possible contribution), and how
        many of them, first in that list, to sum in full: all but the common ones (in more than ``COMMON``
        of the passages), whose small bounds then leave few passages to look them up for. Each part is
        ordered by bound, largest first."""
        counts = Counter(tokenize(query))
        known = self.bm25.lookup(list(counts))
        limit = max(k, COMMON * self.size)
        terms = sorted(((idx, counts[t], counts[t] * max_weight, df > limit)
                        for t, (idx, df, max_weight) in known.items()), key=lambda term: (term[3], -term[2], term[0]))
        return [term[:3] for term in terms], max(1, sum(not term[3] for term in terms))

    def lexical_search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Passage ids and BM25 scores of the ``k`` best matches, best first: exact, from the postings table.

        One statement: the database sums the postings of the question's terms that are not common
        (MaxScore's "essential" terms), scores the best ``k`` of those passages in full to get a floor
        for the k-th score, keeps the passages whose partial sum plus everything the common terms
        could add reaches that floor, and looks the common terms up for those passages only. Should
        the k-th score not beat what a passage holding none of the summed terms could score, it is
        asked once more with as many more terms summed as it takes for that k-th score to beat the rest.
        """
        terms, used = self._terms(query, max(int(k), 1))
        if not terms or k <= 0:
            self._lexical = (query, {})
            return np.zeros(0, dtype="int64"), np.zeros(0, dtype="float32")
        k = int(k)
        while True:
            rest = sum(bound for _, _, bound in terms[used:])
            others = self._OTHERS.format(postings=self._t("postings"))
            rows = self._query(self._LEXICAL_TOP.format(postings=self._t("postings"), passages=self._t("passages"),
                                                        columns=self._PASSAGE_COLUMNS, others=others),
                               {"terms": [t[0] for t in terms], "times": [float(t[1]) for t in terms],
                                "essential": [t[0] for t in terms[:used]], "others": [t[0] for t in terms[used:]],
                                "rest": rest, "k": k}, binary=True)
            if used == len(terms) or (len(rows) == k and rows[-1][-1] > rest):
                break
            # The k-th score found bounds the true k-th from below: sum terms until the rest cannot beat it,
            # and the next answer is exact (its candidates include these, so its k-th is no lower).
            floor = rows[-1][-1] if len(rows) == k else 0.0
            used += 1
            while used < len(terms) and sum(bound for _, _, bound in terms[used:]) >= floor:
                used += 1
        self._remember([r[:-1] for r in rows])
        self._lexical = (query, {r[0]: float(r[-1]) for r in rows})
        return (np.array([r[0] for r in rows], dtype="int64"), np.array([r[-1] for r in rows], dtype="float32"))

    _LEXICAL_TOP = """
        WITH q(term, times) AS (SELECT * FROM unnest(%(terms)s::int4[], %(times)s::float8[])),
        cand AS MATERIALIZED (
            SELECT p.passage, sum(p.weight * q.times) AS part FROM q JOIN {postings} p ON p.term = q.term
            WHERE q.term = ANY(%(essential)s::int4[]) GROUP BY p.passage),
        best AS (SELECT c.passage, c.part + ({others}) AS score
                 FROM (SELECT * FROM cand ORDER BY part DESC, passage LIMIT %(k)s) c),
        floor AS (SELECT CASE WHEN count(*) = %(k)s THEN min(score) ELSE 0 END AS v FROM best),
        scored AS (
            SELECT c.passage, c.part + ({others}) AS score FROM cand c, floor f WHERE c.part + %(rest)s >= f.v
            ORDER BY score DESC, c.passage LIMIT %(k)s)
        SELECT {columns}, s.score FROM scored s JOIN {passages} ON id = s.passage ORDER BY s.score DESC, s.passage"""
    # What the common terms add to the passage c: looked up in the b-tree, (term, passage) by (term, passage).
    _OTHERS = """coalesce((SELECT sum(p.weight * q.times) FROM {postings} p JOIN q ON q.term = p.term
                           WHERE p.passage = c.passage AND p.term = ANY(%(others)s::int4[])), 0)"""

    def lexical_scores(self, query: str, pids) -> np.ndarray:
        """The BM25 score of ``query`` for each passage of ``pids`` (0 for no shared term)."""
        pids = [int(p) for p in pids]
        known = self._lexical[1] if self._lexical[0] == query else {}
        missing = [p for p in pids if p not in known]
        scores = dict(known)
        terms = self._terms(query, 1)[0] if missing else []
        if terms:
            rows = self._query(
                f"SELECT p.passage, sum(p.weight * q.times) FROM unnest(%s::int4[], %s::float8[]) AS q(term, times) "
                f"JOIN {self._t('postings')} p ON p.term = q.term WHERE p.passage = ANY(%s::int8[]) GROUP BY p.passage",
                ([t[0] for t in terms], [float(t[1]) for t in terms], missing))
            scores.update({pid: float(s) for pid, s in rows})
        return np.array([scores.get(p, 0.0) for p in pids], dtype="float32")

    def close(self) -> None:
        self.conn.close()


def format_ok(manifest: dict) -> bool:
    return manifest.get("format") == FORMAT_VERSION
