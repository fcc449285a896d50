"""Building into PostgreSQL: builders meeting on an empty database, a connection lost mid-build, the
embedder's weights changing between builds, and corpus text PostgreSQL cannot hold."""

import hashlib
import json
import logging
import os
import shlex
import shutil
import signal
import threading
import uuid

import pytest

psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need the postgres extra: pip install -e '.[test,postgres]'")

from index.build import open_index
from index.e5_embedder import E5Embedder
from index.embedder import Embedder
from index.errors import CitebotError, IndexNotWritten
from index.pg_build import PgIndexBuilder
from index.pg_store import LOCK_KEY, PgStore, connect, ensure_schema, safe_uri
from tests.conftest import FIXTURE_MODEL_ENV, SHIPPED_CORPUS


def _waiting(conn) -> list[tuple[int, str]]:
    """(pid, query) of every other backend waiting on a lock."""
    return conn.execute("SELECT pid, query FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND pid <> pg_backend_pid() ORDER BY pid").fetchall()


def _in_thread(fn):
    """Runs ``fn`` in a thread; the returned dict gets "result" or "error", and "done" is set when it ends."""
    out = {"done": threading.Event()}

    def run():
        try:
            out["result"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out["error"] = exc
        finally:
            out["done"].set()

    out["thread"] = threading.Thread(target=run, daemon=True)
    out["thread"].start()
    return out


def _until(condition, *threads):
    """Waits until ``condition()`` holds; fails at once when one of ``threads`` ended first."""
    while not condition():
        for t in threads:
            assert not t["done"].is_set(), t.get("error") or t.get("result")
        threads[0]["done"].wait(0.02)


def test_two_builds_meeting_on_an_empty_database_both_succeed_the_second_waiting_for_the_first(
        corpus, pg_uri, embedder, caplog):
    # Both create the shared tables and the vector extension; run at the same moment, CREATE ... IF NOT EXISTS
    # raced and one build ended in psycopg's UniqueViolation on pg_extension_name_index. A lock on
    # pg_extension holds both builders right where they would race until both have got there.
    locker = psycopg.connect(pg_uri, autocommit=True)
    watcher = psycopg.connect(pg_uri, autocommit=True)
    builders = [PgIndexBuilder(corpus, pg_uri, embedder) for _ in range(2)]
    try:
        caplog.set_level(logging.WARNING, logger="citebot.build")
        with locker.transaction():
            locker.execute("LOCK TABLE pg_catalog.pg_extension IN ACCESS EXCLUSIVE MODE")
            runs = [_in_thread(b.build) for b in builders]
            _until(lambda: len(_waiting(watcher)) == 2, *runs)  # both queued: none past the schema yet
        # the lock went with the transaction: both go on
        for run in runs:
            assert run["done"].wait(300)
        for run in runs:
            assert "error" not in run, repr(run.get("error"))
            assert (run["result"].articles, run["result"].passages) == (2, 15)
        said = [r.message for r in caplog.records if "another build" in r.message]
        assert len(said) == 1 and said[0] in [f"another build of {builders[0].label} is running (held by server process "
                                              f"{b._conn.info.backend_pid}): waiting for it to finish" for b in builders]
        builds = [r[0] for r in watcher.execute("SELECT id FROM citebot_builds ORDER BY id")]
        assert len(builds) == 2
        assert PgStore.open(pg_uri).build == builds[-1]
    finally:
        for b in builders:
            b.close()
        locker.close()
        watcher.close()


def test_a_build_whose_connection_dies_raises_the_error_that_ended_it(corpus, pg_uri, embedder):
    # The advisory unlock in the builder's `finally` ran on the dead connection, so the error the build
    # ended with was hidden behind "the connection is closed".
    with connect(pg_uri, register=False) as conn:
        ensure_schema(conn)
    locker = psycopg.connect(pg_uri, autocommit=True)
    watcher = psycopg.connect(pg_uri, autocommit=True)
    builder = PgIndexBuilder(corpus, pg_uri, embedder)
    try:
        with locker.transaction():
            locker.execute("LOCK TABLE citebot_live IN ACCESS EXCLUSIVE MODE")  # the build's first read waits
            run = _in_thread(builder.build)
            _until(lambda: any("citebot_live" in q for _, q in _waiting(watcher)), run)
            (pid, _), = _waiting(watcher)
            watcher.execute("SELECT pg_terminate_backend(%s)", (pid,))
            assert run["done"].wait(60)
        assert isinstance(run.get("error"), psycopg.errors.AdminShutdown), repr(run.get("error"))
        assert "terminating connection due to administrator command" in str(run["error"])
        # the same builder connects again for its next build
        assert builder.build().articles == 2
    finally:
        builder.close()
        locker.close()
        watcher.close()


class EndedWhileEmbedding(PgIndexBuilder):
    """A builder whose connection the server ends (as a restart does) while it embeds, once; ``meanwhile`` then runs."""

    def __init__(self, *args, meanwhile=lambda: None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meanwhile, self.ended = meanwhile, False

    def _embed_or_reuse(self, *args, **kwargs):
        if not self.ended:
            self.ended = True
            with psycopg.connect(self.uri, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (self._conn.info.backend_pid,))
            self.meanwhile()
        return super()._embed_or_reuse(*args, **kwargs)


def test_a_build_whose_connection_the_server_ends_while_it_embeds_is_written_on_a_new_one(corpus, pg_uri, embedder):
    # The build failed at its first statement after the embedding ('lost the connection to …'), and every passage
    # was embedded again by the next: on a large corpus, hours of work lost to a restart of the server.
    builder = EndedWhileEmbedding(corpus, pg_uri, embedder)
    try:
        report = builder.build()
    finally:
        builder.close()
    assert builder.ended
    assert (report.articles, report.passages, report.embedded_passages) == (2, 15, 15)
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM citebot_builds").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone() == (0,)
    assert PgStore.open(pg_uri).size == 15


def test_a_build_that_lost_its_connection_while_another_build_went_live_builds_again_from_that_one(
        corpus, pg_uri, embedder):
    # The other build read the corpus after this one did: writing this one over it could drop an article it has.
    first = PgIndexBuilder(corpus, pg_uri, embedder)
    first.build()
    first.close()
    (corpus / "harbour.txt").write_text("The harbour reopened on Tuesday after the storm.\n", encoding="utf-8")
    other = PgIndexBuilder(corpus, pg_uri, embedder)
    builder = EndedWhileEmbedding(corpus, pg_uri, embedder, meanwhile=other.build)
    try:
        report = builder.build()
    finally:
        builder.close()
        other.close()
    assert (report.articles, report.passages, report.embedded_passages) == (3, 16, 0)
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM citebot_builds").fetchone() == (2,)  # the first one's dropped
    assert "harbour.txt" in PgStore.open(pg_uri).articles


FUND = "Leaders agreed on a new fund for air defence called Skyshield.\n"


def _articles(uri: str, embedder) -> list[str]:
    """The articles of the build that answers now (the store opened afresh)."""
    store = PgStore.open(uri, embedder.model)
    try:
        return sorted(store.articles)
    finally:
        store.close()


def test_a_build_kept_waiting_by_a_lock_another_session_holds_ends_in_one_line_and_the_previous_build_answers(
        pg_built, corpus, embedder):
    # `citebot index --store` (and `citebot add --store`) waited as long as another session held a lock its write
    # needed (a LOCK TABLE left open, a migration): for good, saying nothing, while questions got 30 s.
    (corpus / "fund.txt").write_text(FUND, encoding="utf-8")
    uri = pg_built.uri
    builder = PgIndexBuilder(corpus, uri, embedder)
    builder.write_within = 1
    locker = psycopg.connect(uri, autocommit=True)
    watcher = psycopg.connect(uri, autocommit=True)
    try:
        with locker.transaction():
            locker.execute("LOCK TABLE citebot_live IN EXCLUSIVE MODE")  # reads go on; the build's switch waits
            run = _in_thread(builder.build)
            _until(lambda: any("citebot_live" in q for _, q in _waiting(watcher)), run)
            assert run["done"].wait(60)
            assert _articles(uri, embedder) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]  # during the lock too
        assert isinstance(run.get("error"), IndexNotWritten), repr(run.get("error"))
        assert str(run["error"]) == (f"cannot write the index to {uri}: a lock another session holds kept the build "
                                     "waiting 1 s (canceling statement due to lock timeout); the previous build still "
                                     "answers")
        assert watcher.execute("SELECT count(*) FROM citebot_builds").fetchone() == (1,)
        assert watcher.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone() == (0,)
        assert builder.build().articles == 3  # the lock gone, the same builder writes it
    finally:
        builder.close()
        locker.close()
        watcher.close()
    assert "fund.txt" in _articles(uri, embedder)


def test_a_replica_s_look_at_the_live_build_kept_waiting_by_a_lock_is_one_line_naming_the_lock(pg_built, corpus, embedder):
    # `citebot ask --store` with a corpus asks whether the corpus changed since the live build: behind a lock held on
    # citebot_live the builder's lock_timeout ended that read in psycopg's LockNotAvailable, a traceback.
    builder = PgIndexBuilder(corpus, pg_built.uri, embedder)
    builder.write_within = 1
    try:
        with psycopg.connect(pg_built.uri, autocommit=True) as locker, locker.transaction():
            locker.execute("LOCK TABLE citebot_live IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(CitebotError) as caught:
                builder.status()
        assert str(caught.value) == (f"no answer from {pg_built.uri} within 1 s (a lock another session holds on the "
                                     "index): the read was canceled")
        assert builder.status() == "fresh"
    finally:
        builder.close()


class FrozenWhileEmbedding(PgIndexBuilder):
    """A builder whose server process is stopped (SIGSTOP: a frozen server, a paused machine) while it embeds."""

    frozen: int | None = None

    def _embed_or_reuse(self, *args, **kwargs):
        if self.frozen is None:
            self.frozen = self._conn.info.backend_pid
            os.kill(self.frozen, signal.SIGSTOP)
        return super()._embed_or_reuse(*args, **kwargs)


def test_a_build_whose_server_stops_answering_ends_in_one_line_and_the_previous_build_answers_again(
        pg_built, corpus, embedder):
    # The build's write waited for good on a server that never answered: `citebot index --store` hung.
    (corpus / "fund.txt").write_text(FUND, encoding="utf-8")
    uri = pg_built.uri
    builder = FrozenWhileEmbedding(corpus, uri, embedder)
    builder.write_within = 1
    try:
        run = _in_thread(builder.build)
        try:
            assert run["done"].wait(120)
        finally:
            if builder.frozen is not None:
                os.kill(builder.frozen, signal.SIGCONT)
        assert isinstance(run.get("error"), IndexNotWritten), repr(run.get("error"))
        assert str(run["error"]) == (f"cannot write the index to {uri}: the server does not respond (no answer within "
                                     "1 s); the connection is closed")
        assert _articles(uri, embedder) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]
        builder.frozen = 0  # not again
        assert builder.build().articles == 3
    finally:
        builder.close()


def _ending_the_build_s_connection(monkeypatch, builder, times: int) -> list[int]:
    """Has the server end ``builder``'s connection (as a restart or an administrator does) at its write's last moment,
    every table written and the commit not sent, the first ``times`` times; returns the backends ended."""
    ended = []

    def end(stage):
        if stage == "uncommitted" and len(ended) < times:
            ended.append(builder._conn.info.backend_pid)
            with psycopg.connect(builder.uri, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (ended[-1],))

    monkeypatch.setattr("index.pg_build.checkpoint", end)
    return ended


def test_a_build_whose_connection_the_server_ends_again_and_again_is_written_once_it_stays_its_embedding_kept(
        corpus, pg_uri, embedder, monkeypatch, caplog):
    # A second lost connection lost the build: it was written again only once, and every passage embedded for nothing.
    builder = PgIndexBuilder(corpus, pg_uri, embedder)
    builder.retry_pause = 0.01
    ended = _ending_the_build_s_connection(monkeypatch, builder, 3)
    caplog.set_level(logging.WARNING, logger="citebot.build")
    try:
        report = builder.build()
    finally:
        builder.close()
    assert len(set(ended)) == 3
    assert (report.articles, report.passages, report.embedded_passages) == (2, 15, 15)
    assert [r.getMessage() for r in caplog.records] == [
        f"the server ended the build's connection to {pg_uri}: writing the build on a new one (attempt {n} of 6)"
        for n in (2, 3, 4)]
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM citebot_builds").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone() == (0,)
    assert PgStore.open(pg_uri).size == 15


def test_a_build_whose_connection_the_server_ends_at_every_attempt_gives_up_in_one_line_the_previous_build_answering(
        pg_built, corpus, embedder, monkeypatch, caplog):
    (corpus / "fund.txt").write_text(FUND, encoding="utf-8")
    uri = pg_built.uri
    builder = PgIndexBuilder(corpus, uri, embedder)
    builder.retry_pause = 0.01
    ended = _ending_the_build_s_connection(monkeypatch, builder, 100)
    caplog.set_level(logging.WARNING, logger="citebot.build")
    try:
        with pytest.raises(IndexNotWritten) as caught:
            builder.build()
    finally:
        builder.close()
    assert len(ended) == 6
    assert str(caught.value) == (
        f"cannot write the index to {uri}: the server ended the build's connection at each of 6 attempts to write it "
        "(the last: terminating connection due to administrator command); gave up, and this build's embedding with it; "
        "the previous build still answers")
    assert len(caplog.records) == 5
    assert _articles(uri, embedder) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]
    with psycopg.connect(uri, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM citebot_builds").fetchone() == (1,)


def test_a_build_with_other_weights_than_the_live_build_re_embeds_every_passage(corpus, pg_uri):
    # The folder builder re-embeds when the ONNX weights (CITEBOT_QUANTIZE) change; the PostgreSQL
    # builder reused the int8 build's vectors next to float32 ones, mixing two embeddings in one index.
    model = FIXTURE_MODEL_ENV["CITEBOT_MODEL"]
    first = PgIndexBuilder(corpus, pg_uri, Embedder(model, quantize="int8"))
    try:
        assert first.build().embedded_passages == 15
    finally:
        first.close()
    assert PgStore.open(pg_uri).manifest["embedding"]["quantize"] == "int8"
    (corpus / "harbour.txt").write_text("The harbour reopened on Tuesday after the storm.\n", encoding="utf-8")
    second = PgIndexBuilder(corpus, pg_uri, Embedder(model, quantize="none"))
    try:
        report = second.build()
        assert (report.passages, report.embedded_passages, report.reused_files) == (16, 16, 0)
        assert second.build().embedded_passages == 0  # same weights again: everything reused
    finally:
        second.close()
    assert PgStore.open(pg_uri).manifest["embedding"]["quantize"] == "none"


# PostgreSQL text cannot hold NUL: a "\u0000" escape in one row made every build fail with psycopg.DataError. An
# article id keys a b-tree (its articles, passages and sentences), whose rows hold at most 2,704 bytes: one row's
# 4,000-character id made every build fail ("index row size 4056 exceeds btree version 4 maximum 2704").
_TOO_LONG_ID = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(63))


@pytest.mark.parametrize("row, reason", [
    ({"id": "x1", "title": "Wire", "text": "The council met on Monday.\u0000 It approved it."},
     'a NUL character (\\u0000) in "text" at character 26'),
    ({"id": _TOO_LONG_ID, "text": "The falcon nested on the cathedral tower. It raised three chicks."},
     "an article id of 4,043 bytes (its file's path and \"id\"): over the 2,000 that PostgreSQL can index"),
], ids=["a NUL character", "an id too long to index"])
def test_a_jsonl_row_postgresql_cannot_hold_is_skipped_by_line_and_the_build_goes_on(corpus, pg_uri, embedder, row,
                                                                                      reason):
    (corpus / "feed.jsonl").write_text(
        json.dumps({"id": "ok", "text": "The council met on Monday. It approved the budget."}) + "\n"
        + json.dumps(row) + "\n", encoding="utf-8")
    builder = PgIndexBuilder(corpus, pg_uri, embedder)
    try:
        report = builder.build()
    finally:
        builder.close()
    assert [(s.path, s.reason) for s in report.skipped] == [("feed.jsonl:2", reason)]
    assert "feed.jsonl#ok" in PgStore.open(pg_uri).articles
    assert report.articles == 3


def _role(uri: str, *grants: str) -> str:
    """A new login role of ``uri``'s database holding ``grants`` (``{role}`` in each is its name); its address,
    with a password (the test server trusts any)."""
    role = f"citebot_role_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        for grant in grants:
            conn.execute(grant.format(role=role))
    return uri.replace("postgresql://citebot@", f"postgresql://{role}:S3cret@")


def test_a_role_that_may_only_read_keeps_answering_from_the_live_build_and_its_build_is_one_clear_error(
        pg_built, corpus, embedder, caplog):
    # A read-only role (or a read-only replica) over a changed corpus: the build's CREATE failed as psycopg's
    # InsufficientPrivilege, a traceback for `citebot index`, and for `citebot ask` too, though the live build answers.
    uri = _role(pg_built.uri, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    (corpus / "fund.txt").write_text("Leaders agreed on a new fund for air defence called Skyshield.\n", encoding="utf-8")
    builder = PgIndexBuilder(corpus, uri, embedder)
    try:
        with pytest.raises(IndexNotWritten) as caught:
            builder.build()
        assert str(caught.value) == (f"cannot write the index to {safe_uri(uri)}: permission denied for schema public; "
                                     "the previous build still answers")
        caplog.set_level(logging.WARNING, logger="citebot")
        store = open_index(builder)
        assert (len(store.articles), "fund.txt" in store.articles) == (2, False)
        assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
            f"{caught.value}, without the corpus's latest changes"]
        assert "S3cret" not in caplog.text
    finally:
        builder.close()


def test_a_database_without_pgvector_and_a_role_that_may_not_create_it_is_one_error_saying_who_must(
        corpus, pg_uri, embedder):
    uri = _role(pg_uri, "GRANT CREATE ON SCHEMA public TO {role}")
    builder = PgIndexBuilder(corpus, uri, embedder)
    try:
        with pytest.raises(IndexNotWritten) as caught:
            builder.build()
    finally:
        builder.close()
    assert str(caught.value) == (f"cannot write the index to {safe_uri(uri)}: permission denied to create extension "
                                 '"vector" (a superuser must run CREATE EXTENSION vector in the database once)')


def test_a_store_built_from_another_corpus_folder_is_told_to_rebuild_from_that_folder(tmp_path, pg_uri, embedder):
    # Built with `--corpus "my articles" --store URI`, then asked with another --model, the advice was `citebot index
    # --model multilingual-e5-small --store URI`: run as written it answered "corpus folder not found: corpus".
    articles = tmp_path / "my articles"
    shutil.copytree(SHIPPED_CORPUS, articles)
    built = PgIndexBuilder(articles, pg_uri, embedder)
    try:
        built.build()
    finally:
        built.close()
    other = PgIndexBuilder(articles, pg_uri, E5Embedder())
    try:
        with pytest.raises(CitebotError) as refused:
            other.status()
    finally:
        other.close()
    rebuild = f"citebot index --model multilingual-e5-small --corpus '{articles}' --store URI"
    assert str(refused.value) == (
        f"index at {safe_uri(pg_uri)} was built with model {embedder.model!r}, not 'multilingual-e5-small'; rebuild it "
        f"with `{rebuild}` or keep it with `--model {embedder.model}`")
    assert shlex.split(rebuild)[4:6] == ["--corpus", str(articles)]


def test_a_file_moved_out_of_the_corpus_and_back_is_not_embedded_again_into_a_store_either(corpus, pg_uri, embedder,
                                                                                           monkeypatch):
    # The builder's vectors of what its builds let go (a6e18e2) are kept for a PostgreSQL store too: its previous build
    # is read whole into memory (load_snapshot), no vector a query of its own, as _gone's docstring had it
    builder = PgIndexBuilder(corpus, pg_uri, embedder)
    try:
        builder.build()
        (corpus / "000_021f342df130e0f3.txt").rename(corpus.parent / "away.txt")
        assert builder.build().articles == 1
        (corpus.parent / "away.txt").rename(corpus / "000_021f342df130e0f3.txt")
        embedded, embed = [], embedder.embed
        monkeypatch.setattr(embedder, "embed", lambda texts, **kw: embedded.extend(texts) or embed(texts, **kw))
        report = builder.build()
    finally:
        builder.close()
    assert (report.articles, report.embedded_passages, embedded) == (2, 0, [])


def test_a_server_without_pgvector_installed_is_one_error_saying_where_to_install_it(corpus, pg_uri, embedder):
    # It said "cannot use the index in …: extension "vector" is not available", and not the server's hint that pgvector
    # must first be installed on the machine PostgreSQL runs on (PostgreSQL 18 looks for it where this setting says).
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {pg_uri.rsplit('/', 1)[1]} SET extension_control_path = '/nonexistent'")
    builder = PgIndexBuilder(corpus, pg_uri, embedder)
    try:
        with pytest.raises(IndexNotWritten) as caught:
            builder.build()
    finally:
        builder.close()
    assert str(caught.value) == (f'cannot write the index to {pg_uri}: extension "vector" is not available (pgvector '
                                 "must first be installed on the machine PostgreSQL runs on: "
                                 "https://github.com/pgvector/pgvector#installation)")


def test_a_search_path_that_leaves_out_the_vector_extension_s_schema_is_one_error_saying_what_to_add(
        corpus, pg_uri, embedder):
    # A superuser created the extension in public, and the database's search_path names the schema citebot is to use
    # (capitals and a quote in its name) alone: the build ended in psycopg's UndefinedObject, 'type "vector" does not
    # exist', a traceback.
    database = pg_uri.rsplit("/", 1)[1]
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION vector")
        conn.execute('CREATE SCHEMA "Citebot ""Q"" Index"')
        conn.execute(f'ALTER DATABASE "{database}" SET search_path = "Citebot ""Q"" Index"')
    builder = PgIndexBuilder(corpus, pg_uri, embedder)
    try:
        with pytest.raises(IndexNotWritten) as caught:
            builder.build()
        assert str(caught.value) == (
            f'cannot write the index to {pg_uri}: the vector extension is in schema public, which the search_path '
            '("Citebot ""Q"" Index") leaves out; add it there (ALTER ROLE … SET search_path = …, public)')
        with psycopg.connect(pg_uri, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{database}" SET search_path = "Citebot ""Q"" Index", public')
        builder.close()  # the next `citebot index`: a new connection, with the new search_path
        assert builder.build().articles == 2
    finally:
        builder.close()
    store = PgStore.open(pg_uri, embedder.model)
    try:
        assert store.dense_search(embedder.embed_queries(["where is the summit?"])[0], 1)[0].size == 1
    finally:
        store.close()
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        assert conn.execute("SELECT DISTINCT schemaname FROM pg_tables WHERE tablename LIKE 'citebot%'").fetchall() == [
            ('Citebot "Q" Index',)]
        conn.execute(f'ALTER DATABASE "{database}" SET search_path = "Citebot ""Q"" Index"')  # a replica's, say
    with pytest.raises(CitebotError) as caught:
        PgStore.open(pg_uri, embedder.model)
    assert str(caught.value) == (
        f'cannot use the index in {pg_uri}: the vector extension is in schema public, which the search_path '
        '("Citebot ""Q"" Index") leaves out; add it there (ALTER ROLE … SET search_path = …, public)')


def test_a_build_by_another_role_than_the_one_that_made_the_tables_goes_live_and_says_what_it_could_not_drop(
        pg_built, corpus, embedder, caplog):
    # A second role (a deploy job's, say) allowed to create and write: its build failed on the shared tables it does
    # not own ('must be owner of table citebot_chats'), and once past them, its build live, on the older build's
    # tables it may not drop: `citebot index` said 'cannot write the index to …' of a build that went live.
    (corpus / "fund.txt").write_text(FUND, encoding="utf-8")
    pg_built.build()  # builds 1 and 2, the citebot role's: the next build drops the first
    uri = _role(pg_built.uri, "GRANT CREATE ON SCHEMA public TO {role}",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
                "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    (corpus / "harbour.txt").write_text("The harbour reopened on Tuesday after the storm.\n", encoding="utf-8")
    builder = PgIndexBuilder(corpus, uri, embedder)
    caplog.set_level(logging.WARNING, logger="citebot.build")
    try:
        report = builder.build()
    finally:
        builder.close()
    assert (report.articles, report.embedded_passages) == (4, 1)
    assert [r.getMessage() for r in caplog.records] == [
        "build 3 is live; the builds before it were not dropped: must be owner of table citebot_b1_passages"]
    assert "harbour.txt" in _articles(uri, embedder)


def test_a_build_waiting_for_another_says_which_server_process_holds_the_builders_lock(
        pg_built, corpus, embedder, caplog):
    # A build that never ends (its process stopped with Ctrl-Z, its machine paused) keeps every other build waiting:
    # 'another build of … is running' named nothing the operator could look up or end.
    holder = psycopg.connect(pg_built.uri, autocommit=True)
    pid = holder.info.backend_pid
    watcher = psycopg.connect(pg_built.uri, autocommit=True)
    builder = PgIndexBuilder(corpus, pg_built.uri, embedder)
    caplog.set_level(logging.WARNING, logger="citebot.build")
    try:
        holder.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        run = _in_thread(builder.build)
        _until(lambda: watcher.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
               .fetchone()[0] == 1, run)
        holder.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        assert run["done"].wait(300)
        assert "error" not in run, repr(run.get("error"))
    finally:
        builder.close()
        holder.close()
        watcher.close()
    assert [r.getMessage() for r in caplog.records] == [
        f"another build of {pg_built.uri} is running (held by server process {pid}): "
        "waiting for it to finish"]


def test_a_build_that_may_wait_for_another_a_few_seconds_gives_up_after_them_naming_the_holder_and_the_way_out(
        pg_built, corpus, embedder, caplog):
    # A build waited for another for as long as that one held the builders' lock: for good behind one that never ends
    # (its process stopped with Ctrl-Z, its machine paused), and a cron job's builds piled up behind it.
    (corpus / "fund.txt").write_text(FUND, encoding="utf-8")
    uri = pg_built.uri
    holder = psycopg.connect(uri, autocommit=True)
    pid = holder.info.backend_pid
    builder = PgIndexBuilder(corpus, uri, embedder)
    builder.wait = 1.5
    caplog.set_level(logging.WARNING, logger="citebot.build")
    try:
        holder.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))  # held throughout: the builder gives up by itself
        run = _in_thread(builder.build)
        assert run["done"].wait(120), "still waiting"
        assert isinstance(run.get("error"), IndexNotWritten), repr(run.get("error"))
        assert str(run["error"]) == (
            f"cannot write the index to {uri}: another build (server process {pid}) still held the builders' lock after "
            f"the 1.5 s this build waits for it (--wait, CITEBOT_BUILD_WAIT); if that build is stuck, end it (SELECT "
            f"pg_terminate_backend({pid})) and build again; the previous build still answers")
        assert [r.getMessage() for r in caplog.records] == [
            f"another build of {uri} is running (held by server process {pid}): waiting at most 1.5 s for it to finish"]
        assert holder.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone() == (1,)
        assert _articles(uri, embedder) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]
        builder.wait = 0  # not waited for at all: said at once, the same way
        with pytest.raises(IndexNotWritten) as caught:
            builder.build()
        assert str(caught.value).startswith(
            f"cannot write the index to {uri}: another build (server process {pid}) holds the builders' lock, and this "
            "build does not wait for it (--wait, CITEBOT_BUILD_WAIT: 0); if that build is stuck")
        holder.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        assert builder.build().articles == 3  # the lock let go, the same builder builds
    finally:
        builder.close()
        holder.close()
    assert "fund.txt" in _articles(uri, embedder)


def test_citebot_wait_0_answers_a_question_from_the_live_build_and_index_ends_in_one_line_while_another_build_runs(
        pg_built, corpus):
    # `citebot ask --store` with the corpus changed waited behind another build (an hour at a million passages).
    from tests.test_pg_store import _citebot

    (corpus / "fund.txt").write_text(FUND, encoding="utf-8")
    uri = pg_built.uri
    with psycopg.connect(uri, autocommit=True) as holder:
        pid = holder.info.backend_pid
        holder.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        held = (f"another build (server process {pid}) holds the builders' lock, and this build does not wait for it "
                f"(--wait, CITEBOT_BUILD_WAIT: 0); if that build is stuck, end it (SELECT pg_terminate_backend({pid})) "
                "and build again; the previous build still answers")
        indexed = _citebot("index", "--corpus", str(corpus), "--store", uri, "--wait", "0", env=FIXTURE_MODEL_ENV)
        assert (indexed.returncode, indexed.stdout) == (1, ""), indexed.stderr
        asked = _citebot("ask", "--corpus", str(corpus), "--store", uri, "Where is the summit?",
                         env=dict(FIXTURE_MODEL_ENV, CITEBOT_BUILD_WAIT="0"))
    assert asked.returncode == 0, asked.stderr
    assert "Vilnius" in asked.stdout
    assert asked.stderr.splitlines() == ["citebot: the corpus changed: updating the index…",
                                         f"citebot: warning: cannot write the index to {uri}: {held}, without the "
                                         "corpus's latest changes"]
    assert indexed.stderr.splitlines() == [f"citebot: error: cannot write the index to {uri}: {held}"]


def test_a_role_s_statement_and_idle_timeouts_do_not_end_a_build(corpus, pg_uri, embedder):
    # Set for a role's queries (as managed databases do), they ended a build waiting for another's lock, embedding
    # while its connection was idle, or indexing every passage: 'canceling statement due to statement timeout'.
    uri = pg_uri + "?options=-c%20statement_timeout%3D50%20-c%20idle_session_timeout%3D50"
    holder = psycopg.connect(pg_uri, autocommit=True)
    builder = PgIndexBuilder(corpus, uri, embedder)
    try:
        holder.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))  # another build is running
        run = _in_thread(builder.build)
        waited = "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' " \
                 "AND NOT l.granted AND now() - a.query_start > interval '200 milliseconds'"
        _until(lambda: holder.execute(waited).fetchone()[0] == 1, run)  # longer than the statement_timeout
        holder.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        assert run["done"].wait(300)
        assert "error" not in run, repr(run.get("error"))
        assert run["result"].articles == 2
    finally:
        builder.close()
        holder.close()


def test_the_telegram_bot_with_a_store_updates_the_feeds_citebot_feeds_add_follows(corpus, pg_uri, tmp_path):
    # With --store, the bot's feed job read the feeds of the builder's staging cache folder, never those that
    # `citebot feeds add --store URI` had written to --index: --feeds-every took nothing, ever.
    from bot.cli import build_parser
    from bot.telegram.command import _updater
    from index.feeds import FeedList

    args = build_parser().parse_args(["telegram", "--corpus", str(corpus), "--index", str(tmp_path / "state"),
                                      "--store", pg_uri, "--model", FIXTURE_MODEL_ENV["CITEBOT_MODEL"]])
    updater = _updater(args)
    try:
        assert updater.feeds.path == FeedList(tmp_path / "state").path
    finally:
        updater.builder.close()


def test_feed_items_taken_by_a_poll_whose_build_found_the_database_away_are_indexed_by_the_next_poll(
        corpus, embedder, tmp_path):
    from bot.answer import AnswerEngine
    from index.add import ArticleAdder
    from index.errors import CitebotError
    from index.feeds import FeedList
    from index.fetch import Fetcher
    from index.search import Searcher
    from index.update import CorpusUpdater
    from tests.news_site import NewsSite
    from tests.pg_server import PgServer

    with PgServer() as server, NewsSite() as site:
        uri = server.create_database("citebot")
        builder = PgIndexBuilder(corpus, uri, embedder)
        builder.build()
        updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), builder, FeedList(tmp_path / "state"))
        try:
            updater.feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
            server.pause()
            with pytest.raises(CitebotError) as away:  # the bot's feed job logs it: "feeds: cannot connect to …"
                updater.update_feeds()
            server.resume()
            report = updater.update_feeds()
            store = PgStore.open(uri, embedder.model)
            answer = AnswerEngine(Searcher(store, embedder)).ask("When will the harbour tunnel open?")
            store.close()
        finally:
            builder.close()
    assert str(away.value).startswith(f"cannot connect to {uri}: ")
    assert report.summary() == "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"
    assert "14 March 2027" in answer.answer


def test_a_live_build_missing_a_table_is_one_line_naming_it_and_the_next_build_rebuilds_it(
        pg_built, corpus, embedder, caplog):
    # A table of the live build dropped (an operator's DROP TABLE, a partial restore): every question said '… was
    # removed while in use; ask again', and again when asked again, and `citebot index` ended in 'cannot use the index
    # in …: relation "citebot_b1_passages" does not exist': only SQL by hand got the index back.
    from bot.answer import AnswerEngine
    from index.search import Searcher

    uri = pg_built.uri
    with psycopg.connect(uri, autocommit=True) as admin:
        admin.execute("DROP TABLE citebot_b1_passages")
    store = PgStore.open(uri, embedder.model)
    caplog.set_level(logging.WARNING, logger="citebot.build")
    try:
        engine = AnswerEngine(Searcher(store, embedder))
        for _ in range(2):
            with pytest.raises(CitebotError) as caught:
                engine.ask("Where is the summit?")
            assert str(caught.value) == (f'the index build 1 in {uri} is damaged (relation "citebot_b1_passages" does '
                                         "not exist); rebuild it with `citebot index --store URI`")
        report = pg_built.build()  # as `citebot index` does
        assert (report.articles, report.embedded_passages) == (2, 15)
        assert [r.getMessage() for r in caplog.records] == [
            f'not reusing the previous index: the index build 1 in {uri} is damaged (relation "citebot_b1_passages" '
            "does not exist)"]
        assert "Vilnius" in engine.ask("Where is the summit?").answer
    finally:
        store.close()


def test_a_build_that_fills_the_database_s_disk_ends_in_one_line_and_the_previous_build_answers(
        pg_server, pg_built, corpus, embedder):
    # A database disk nearly full: a tablespace on a 2 MB tmpfs, filled to its last 100 KB, takes the new build's tables
    # (the server's own files stay where they were, so the server itself goes on).
    import pwd
    import re
    import subprocess

    from tests.pg_server import SERVER_USER

    if os.geteuid() != 0:
        pytest.skip("mounting the small disk needs root")
    disk = pg_server.root / f"disk-{uuid.uuid4().hex[:8]}"  # where the server's user may go
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.strip()}")
    space = "full_" + uuid.uuid4().hex[:8]
    admin = psycopg.connect(pg_built.uri, autocommit=True)
    builder = None
    try:
        os.chown(disk, pwd.getpwnam(SERVER_USER).pw_uid, -1)
        (disk / "filler").write_bytes(bytes(2 * 1024 * 1024 - 100 * 1024))
        admin.execute(f"CREATE TABLESPACE {space} LOCATION '{disk}'")
        (corpus / "fund.txt").write_text(FUND, encoding="utf-8")
        uri = f"{pg_built.uri}?options=-c%20default_tablespace%3D{space}"
        builder = PgIndexBuilder(corpus, uri, embedder)
        with pytest.raises(IndexNotWritten) as caught:
            builder.build()
        assert re.fullmatch(rf'cannot write the index to {re.escape(uri)}: could not extend file "pg_tblspc/[0-9/A-Z_]+": '
                            "No space left on device; the previous build still answers", str(caught.value)), caught.value
        assert _articles(pg_built.uri, embedder) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]
        assert admin.execute("SELECT count(*) FROM citebot_builds").fetchone() == (1,)
        assert admin.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone() == (0,)
        assert pg_built.build().articles == 3  # on the server's own disk, the next build goes live
    finally:
        if builder is not None:
            builder.close()
        admin.execute("CHECKPOINT")  # the files of the build rolled back are removed at the next checkpoint
        admin.execute(f"DROP TABLESPACE IF EXISTS {space}")
        admin.close()
        subprocess.run(["umount", str(disk)], check=True)
        disk.rmdir()
    assert "fund.txt" in _articles(pg_built.uri, embedder)
