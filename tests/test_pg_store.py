"""The index in a real PostgreSQL + pgvector server answers as the folder index does, and builds are safe."""

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
from urllib.parse import quote

import pytest

psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need the postgres extra: pip install -e '.[test,postgres]'")

from bot.answer import AnswerEngine
from bot.calibration import engine_settings
from bot.conversation import Conversation
from index.build import IndexBuilder, open_index
from index.documents import READER_RULES
from index.e5_embedder import E5Embedder
from index.errors import CitebotError
from index.pg_build import PgIndexBuilder
from index.pg_store import PgStore, connect, ensure_schema, safe_uri
from index.search import Searcher
from index.sentences import SENTENCE_RULES
from tests.conftest import FIXTURE_MODEL_ENV, ROOT

QUESTIONS = [
    "where is the summit?", "Who did Stoltenberg meet in Kyiv?", "Where is Bucha?", "What does NATO want to ensure?",
    "Which country invaded Ukraine?", "What did member states send to Ukraine?",
    "What must be strengthened, according to Stoltenberg?", "Who said that Ukraine's future is in NATO?",
    "What will ensure full interoperability with the alliance?", "When did Ukraine ask for fast-track membership?",
    "What is the population of Canada?", "Who wrote Hamlet?", "How do I reset my router?", "Who visited Kyiv?",
]
NEW_ARTICLE = ("date 2023-05-02\nThe summit closes with a statement.\n\nLeaders agreed on a new fund for air defence "
               "called Skyshield. The fund starts in June.")
RENAMED_ARTICLE = ("date 2023-05-09\nThe summit closes with a statement.\n\nLeaders agreed on a new fund for air "
                   "defence called Skydome. The fund starts in July.")
FUND_Q = "What is the new air defence fund called?"


def _engine(store, embedder):
    return AnswerEngine(Searcher(store, embedder))


def _summary(answer):
    return answer.found, answer.answer, [(s.doc, s.start, s.end, s.sentence) for s in answer.sources]


def test_the_postgresql_store_gives_the_folder_store_s_answers_and_sources(pg_built, corpus, tmp_path, embedder):
    folder = _engine(open_index(IndexBuilder(corpus, tmp_path / "index", embedder)), embedder)
    pg = _engine(PgStore.open(pg_built.uri, embedder.model), embedder)
    assert sum(folder.ask(q).found for q in QUESTIONS) >= 10  # the comparison is over real answers
    for question in QUESTIONS:
        assert _summary(pg.ask(question)) == _summary(folder.ask(question)), question


def test_the_database_s_bm25_top_k_is_the_folder_s_exact_top_k_at_every_depth(pg_built, corpus, tmp_path, embedder):
    folder = open_index(IndexBuilder(corpus, tmp_path / "index", embedder))
    pg = PgStore.open(pg_built.uri, embedder.model)
    for question in QUESTIONS + ["the the of and", "summit summit Vilnius", "zzz unknown words"]:
        for k in (1, 3, 10, 50):
            want_ids, want_scores = folder.lexical_search(question, k)
            ids, scores = pg.lexical_search(question, k)
            assert ids.tolist() == want_ids.tolist(), (question, k)
            assert scores.tolist() == pytest.approx(want_scores.tolist(), rel=1e-5), (question, k)
        every = sorted(folder.passages)  # scored one by one: the passages without a shared word score 0
        assert pg.lexical_scores(question, every).tolist() == pytest.approx(
            folder.lexical_scores(question, every).tolist(), rel=1e-5, abs=1e-6), question


def test_the_database_s_vocabulary_iterates_as_the_folder_s_does(pg_built, corpus, tmp_path, embedder):
    folder = open_index(IndexBuilder(corpus, tmp_path / "index", embedder))
    pg = PgStore.open(pg_built.uri, embedder.model)
    assert list(pg.bm25.vocab) == list(folder.bm25.vocab)
    assert "stoltenberg" in pg.bm25.vocab and "zzz" not in pg.bm25.vocab


def test_a_mistyped_name_is_read_as_the_folder_store_reads_it_its_neighbours_asked_of_the_database_at_once(
        pg_built, corpus, tmp_path, embedder):
    folder = _engine(open_index(IndexBuilder(corpus, tmp_path / "index", embedder)), embedder)
    store = PgStore.open(pg_built.uri, embedder.model)
    question = "When did Stoltenburg arrive in Kyiv?"
    assert _summary(_engine(store, embedder).ask(question)) == _summary(folder.ask(question))
    answer = _engine(store, embedder).ask(question)
    assert answer.found and answer.answer == folder.ask("When did Stoltenberg arrive in Kyiv?").answer
    queries, query = [], store._query
    store._query = lambda *args, **kwargs: queries.append(args) or query(*args, **kwargs)
    assert store.bm25.vocab.held(["stoltenbexg", "stoltenberg", "kyiv", "stoltenbeyg"]) == ["stoltenberg", "kyiv"]
    assert len(queries) == 1  # not one a word: a name's ~230 neighbours


def test_a_corpus_of_under_400_passages_reads_in_the_same_languages_from_the_database_as_from_the_folder(
        tmp_path, pg_uri, embedder):
    # the database sampled its first 200 passages, a Ukrainian article at the end of the build went uncounted,
    # and a Ukrainian question was read across languages there and over the Ukrainian passages from the folder
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_en.jsonl").write_text("".join(json.dumps({"id": f"en{i}", "text": (
        f"The harbour of town number {i} received {i * 3 + 7} cargo ships during the spring season.")}) + "\n"
        for i in range(260)), encoding="utf-8")
    (corpus / "z_uk.jsonl").write_text("".join(json.dumps({"id": f"uk{i}", "text": (
        f"Міська рада села номер {i} ухвалила рішення збудувати {i + 3} нових дитячих майданчиків до кінця року.")},
        ensure_ascii=False) + "\n" for i in range(40)), encoding="utf-8")
    folder_store = open_index(IndexBuilder(corpus, tmp_path / "index", embedder))
    builder = PgIndexBuilder(corpus, pg_uri, embedder)
    builder.build()
    builder.close()
    pg_store = PgStore.open(pg_uri, embedder.model)
    assert [p.id for p in pg_store.sample_passages(200)] == [p.id for p in folder_store.sample_passages(200)]
    folder, pg = _engine(folder_store, embedder), _engine(pg_store, embedder)
    assert (pg.corpus_language(), sorted(pg.corpus_languages())) == ("en", ["en", "uk"])
    assert (folder.corpus_language(), sorted(folder.corpus_languages())) == ("en", ["en", "uk"])


def test_a_ukrainian_question_on_a_store_of_the_default_model_is_answered_with_the_english_sentence(corpus, pg_uri):
    e5 = E5Embedder()  # the default model: a foreign question looks its Latin word starts up in the vocabulary
    builder = PgIndexBuilder(corpus, pg_uri, e5)
    builder.build()
    builder.close()
    engine = AnswerEngine(Searcher(PgStore.open(pg_uri, e5.model), e5), **engine_settings(e5.model))
    for question in ("Хто запросив Зеленського на саміт у Вільнюсі?", "Кто пригласил Зеленского на саммит в Вильнюсе?"):
        answer = engine.ask(question)
        assert answer.found, question
        assert "Stoltenberg previously invited the Ukrainian president" in answer.answer, question


def _end_backend(store) -> None:
    """What a restarted (or administered) server does to an open connection: the backend ends it."""
    with psycopg.connect(store.uri, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (store.conn.info.backend_pid,)).fetchone() == (True,)


def test_a_lost_connection_is_opened_again_and_the_next_question_answered(pg_built, embedder):
    store = PgStore.open(pg_built.uri, embedder.model)
    engine = _engine(store, embedder)
    first = _summary(engine.ask("where is the summit?"))
    assert store.conn.execute("SHOW hnsw.ef_search").fetchone() == ("100",)
    lost = store.conn
    _end_backend(store)
    assert _summary(engine.ask("where is the summit?")) == first
    assert store.conn is not lost and lost.closed
    assert store.conn.execute("SHOW hnsw.ef_search").fetchone() == ("100",)  # set again on the new connection
    _end_backend(store)
    store.chats.set("telegram:7", "Where is the summit?")  # a write too
    assert store.chats.get("telegram:7") == "Where is the summit?"
    _end_backend(store)
    assert "summit" in list(store.bm25.vocab)  # and the vocabulary's streamed read


def test_a_question_kept_waiting_by_a_lock_another_session_holds_ends_in_one_line_and_the_next_is_answered(
        pg_built, embedder):
    # A question waited as long as another session held its lock on the index (a migration, a LOCK TABLE left open):
    # `citebot ask` and the bot's question hung for good.
    store = PgStore.open(pg_built.uri, embedder.model)
    store.answer_within = 1
    engine = _engine(store, embedder)
    first = _summary(engine.ask("where is the summit?"))
    with psycopg.connect(pg_built.uri, autocommit=True) as locker:
        with locker.transaction():
            locker.execute("LOCK TABLE citebot_live IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(CitebotError) as caught:
                engine.ask("where is the summit?")
        assert str(caught.value) == (f"no answer from {pg_built.uri} within 1 s (a lock another session holds on the "
                                     "index, or a server too busy): the read was canceled")
        assert locker.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").fetchone() == (0,)
    assert _summary(engine.ask("where is the summit?")) == first


def test_a_question_to_a_server_that_stopped_answering_ends_in_one_line_and_the_next_connects_again(pg_built, embedder):
    # A server frozen after the store connected (stopped, its machine paused, the network gone) kept the question
    # waiting for good: the server never said no, so nothing ended the wait.
    store = PgStore.open(pg_built.uri, embedder.model)
    store.answer_within = 1
    engine = _engine(store, embedder)
    first = _summary(engine.ask("where is the summit?"))
    frozen = store.conn.info.backend_pid
    os.kill(frozen, signal.SIGSTOP)
    try:
        with pytest.raises(CitebotError) as caught:
            engine.ask("where is the summit?")
        assert str(caught.value) == (f"no answer from {pg_built.uri} within 1 s: the server does not respond; "
                                     "the connection is closed")
        assert _summary(engine.ask("where is the summit?")) == first  # on a new connection
        assert store.conn.info.backend_pid != frozen
    finally:
        os.kill(frozen, signal.SIGCONT)


def test_a_second_build_of_an_unchanged_corpus_embeds_nothing_and_a_new_file_only_its_passages(pg_built, corpus):
    assert pg_built.status() == "fresh"
    assert pg_built.build().embedded_passages == 0
    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert pg_built.status() == "stale"
    report = pg_built.build()
    assert (report.articles, report.embedded_passages) == (3, 1)
    (corpus / "fund.txt").unlink()
    report = pg_built.build()
    assert (report.articles, report.embedded_passages) == (2, 0)
    assert "fund.txt" not in PgStore.open(pg_built.uri).articles


@pytest.mark.parametrize("older", ["reader rules", "sentence rules", "trafilatura"])
def test_a_build_of_an_older_release_s_rules_is_read_again_once_embedding_nothing_it_had_as_a_folder_is(pg_built, older):
    # a release that splits sentences otherwise (SENTENCE_RULES 9 to 10) embedded every passage of the database again,
    # though it said it kept the vectors of the passages it had
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        build, manifest = conn.execute("SELECT b.id, b.manifest FROM citebot_builds b JOIN citebot_live l "
                                       "ON l.build = b.id").fetchone()
        before = (dict(manifest, reader=READER_RULES - 1) if older == "reader rules" else
                  dict(manifest, readers=dict(manifest["readers"], trafilatura="1.12.0")) if older == "trafilatura" else
                  dict(manifest, splitter=dict(manifest["splitter"], sentence_rules=SENTENCE_RULES - 1)))
        conn.execute("UPDATE citebot_builds SET manifest = %s WHERE id = %s", (json.dumps(before), build))

    def live() -> tuple[list[int], dict]:
        store = PgStore.open(pg_built.uri)
        try:
            return sorted(store.passages), store.manifest
        finally:
            store.close()

    ids = live()[0]
    assert pg_built.status() == "stale" and pg_built.outdated()
    report = pg_built.build()
    assert (report.reused_files, report.embedded_passages, report.passages) == (0, 0, manifest["passages"])
    assert live()[0] == ids  # a citation keeps its passage's id
    assert {key: live()[1][key] for key in ("reader", "readers", "splitter")} == {
        key: manifest[key] for key in ("reader", "readers", "splitter")}
    assert pg_built.status() == "fresh"


@pytest.mark.parametrize("store", ["folder", "postgresql"])
def test_an_index_embedded_before_sentence_rules_9_embeds_every_passage_again_in_a_folder_and_in_the_database(
        corpus, pg_uri, tmp_path, embedder, store):
    # SENTENCE_RULES 9 came with e5 reading ş and ţ typed with a cedilla as ș and ț (62da0c6), and left the vectors of
    # such text to the rebuild of every passage that the bump made; since 125e13d a build of older sentence rules kept
    # its vectors, the older reading with them
    if store == "postgresql":
        builder = PgIndexBuilder(corpus, pg_uri, embedder)
    else:
        builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    try:
        passages = builder.build().passages
        if store == "postgresql":
            with psycopg.connect(pg_uri, autocommit=True) as conn:
                conn.execute("UPDATE citebot_builds SET manifest = jsonb_set(manifest, '{splitter,sentence_rules}', "
                             "'8') WHERE id = (SELECT build FROM citebot_live)")
        else:
            path = builder.index_dir / "current" / "manifest.json"
            manifest = json.loads(path.read_text())
            path.write_text(json.dumps(dict(manifest, splitter=dict(manifest["splitter"], sentence_rules=8))))
        assert builder.outdated()
        report = builder.build()
        assert (report.embedded_passages, report.passages) == (passages, passages)
    finally:
        if store == "postgresql":
            builder.close()


def test_a_replica_whose_copy_of_the_corpus_has_other_mtimes_hashes_each_file_once_not_at_every_look(
        pg_built, corpus, tmp_path, embedder, monkeypatch):
    # Each replica keeps its own copy of the corpus (a git clone, an rsync without -t): its files' mtimes are not the
    # ones the build recorded, so every look of its watch (each 30 s) read and hashed the whole corpus again, for ever
    import index.documents
    from index.watch import refresh

    copy = tmp_path / "replica-corpus"
    shutil.copytree(corpus, copy, copy_function=shutil.copyfile)  # the same files, written now
    hashed, sha256 = [], index.documents._sha256
    monkeypatch.setattr(index.documents, "_sha256", lambda path: hashed.append(path.name) or sha256(path))
    replica = PgIndexBuilder(copy, pg_built.uri, embedder)
    try:
        assert [refresh(replica) for _ in range(3)] == [None, None, None]
        assert sorted(hashed) == sorted(path.name for path in corpus.iterdir())
        hashed.clear()
        (copy / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        assert refresh(replica).embedded_passages == 1
        assert (hashed, refresh(replica)) == (["fund.txt"], None)
    finally:
        replica.close()
    hashed.clear()
    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")  # the first machine's copy, as it was synced
    # the build holds the replica's mtimes now: the first machine hashes only the file it had not
    assert [refresh(pg_built) for _ in range(3)] == [None, None, None]
    assert hashed == ["fund.txt"]


def test_a_replica_whose_copy_of_the_corpus_did_not_change_answers_from_another_s_new_build_rather_than_undo_it(
        pg_built, corpus, tmp_path, embedder):
    # An article added on one machine (citebot add, an admin's /add) was dropped by the next question or watch of a
    # replica whose copy of the corpus lacked it (its copy "changed": it was not the live build's), then put back by
    # the first machine's, and so on at every look: each replica built its own copy again and again.
    from index.watch import refresh

    copy = tmp_path / "replica-corpus"
    shutil.copytree(corpus, copy)
    assert refresh(PgIndexBuilder(copy, pg_built.uri, embedder)) is None  # each look its own process, as `ask`'s
    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert refresh(pg_built).embedded_passages == 1
    assert [refresh(PgIndexBuilder(copy, pg_built.uri, embedder)) for _ in range(2)] == [None, None]
    assert refresh(pg_built) is None
    assert "fund.txt" in PgStore.open(pg_built.uri).articles
    (copy / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")  # synced: the same as the build
    assert refresh(PgIndexBuilder(copy, pg_built.uri, embedder)) is None
    (copy / "000_021f342df130e0f3.txt").unlink()  # its own change is built, as before
    assert refresh(PgIndexBuilder(copy, pg_built.uri, embedder)).articles == 2
    assert sorted(PgStore.open(pg_built.uri).articles) == ["004_e0449b7e4a93b6e4.txt", "fund.txt"]


def test_a_replica_whose_live_build_was_put_back_to_an_older_one_builds_its_unchanged_copy_again(
        pg_built, corpus, embedder):
    # A live build other than this machine's copy was taken for a newer one another replica made: the machine that
    # built fund.txt in, its live build then put back to the one before (a rollback, an older dump restored), answered
    # without the article for good, its copy "not changed since this machine last built it".
    import psycopg

    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert pg_built.build(if_stale=True).embedded_passages == 1
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        conn.execute("UPDATE citebot_live SET build = (SELECT max(id) FROM citebot_builds WHERE id < "
                     "(SELECT build FROM citebot_live))")
    assert "fund.txt" not in PgStore.open(pg_built.uri).articles
    look = PgIndexBuilder(corpus, pg_built.uri, embedder)  # each look its own process, as `ask`'s
    assert look.status() == "stale"
    assert look.build(if_stale=True).articles == 3
    assert "fund.txt" in PgStore.open(pg_built.uri).articles
    look.close()


def test_a_replica_defers_to_a_build_made_after_an_older_dump_was_restored_though_its_id_was_used_before(
        pg_built, corpus, tmp_path, embedder):
    # An older dump restores the builds' id sequence too: the first build after it takes an id this replica saw before
    # the restore, and was taken for an older build; the replica built its own copy, without the article another
    # machine had just added, and that machine then deferred to it: the article was out of the index for good.
    import psycopg

    from index.pg_build import TABLES
    from index.pg_store import table
    from index.watch import refresh

    copy = tmp_path / "replica-corpus"
    shutil.copytree(corpus, copy)
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        dumped = conn.execute("SELECT build FROM citebot_live").fetchone()[0]
    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (copy / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")  # synced
    assert refresh(pg_built).embedded_passages == 1
    assert refresh(PgIndexBuilder(copy, pg_built.uri, embedder)) is None  # it saw the build after the dump
    with psycopg.connect(pg_built.uri) as conn:  # the dump restored: builds, live build and id sequence as they were
        for (later,) in conn.execute("SELECT id FROM citebot_builds WHERE id > %s", (dumped,)).fetchall():
            for name in TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table(later, name)}")
        conn.execute("DELETE FROM citebot_builds WHERE id > %s", (dumped,))
        conn.execute("UPDATE citebot_live SET build = %s", (dumped,))
        conn.execute("SELECT setval(pg_get_serial_sequence('citebot_builds', 'id'), %s)", (dumped,))
    (corpus / "renamed.txt").write_text(RENAMED_ARTICLE, encoding="utf-8")  # added on the first machine
    assert refresh(pg_built).articles == 4
    assert refresh(PgIndexBuilder(copy, pg_built.uri, embedder)) is None  # the replica answers from it
    assert sorted(PgStore.open(pg_built.uri).articles) == [
        "000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt", "fund.txt", "renamed.txt"]


def test_a_replica_answers_from_a_new_build_from_its_next_question_on(pg_built, corpus, embedder):
    replica = _engine(PgStore.open(pg_built.uri, embedder.model), embedder)
    assert "Skyshield" not in replica.ask("What is the new air defence fund called?").answer
    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    pg_built.build()
    answer = replica.ask("What is the new air defence fund called?")
    assert answer.answer == "Leaders agreed on a new fund for air defence called Skyshield."
    assert answer.sources[0].doc == "fund.txt"


class PausingSearcher(Searcher):
    """Stops the first search after retrieving, until ``resume`` is set: a question caught half-way."""

    def __init__(self, store, embedder):
        super().__init__(store, embedder)
        self.retrieved, self.resume = threading.Event(), threading.Event()

    def search(self, *args, **kwargs):
        hits = super().search(*args, **kwargs)
        if not self.retrieved.is_set():
            self.retrieved.set()
            if not self.resume.wait(120):
                raise AssertionError("the paused question was never let go on")
        return hits


class WatchedStore(PgStore):
    """Sets ``seen_new`` when a question finds a newer build live (and so goes to move the store to it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen_new = threading.Event()

    def behind(self) -> bool:
        behind = super().behind()
        if behind:
            self.seen_new.set()
        return behind


def _whole(answer):
    return answer.answer, [(s.doc, s.title, s.date, s.passage, s.start, s.end, s.sentence) for s in answer.sources]


def test_a_question_in_flight_finishes_on_its_build_while_the_next_waits_for_the_switch(pg_built, corpus, embedder):
    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    pg_built.build()
    old = _whole(_engine(PgStore.open(pg_built.uri, embedder.model), embedder).ask(FUND_Q))
    store = WatchedStore.open(pg_built.uri, embedder.model)
    searcher = PausingSearcher(store, embedder)
    engine = AnswerEngine(searcher)
    answers = {}

    def ask(name):
        try:
            answers[name] = engine.ask(FUND_Q)
        finally:
            store.seen_new.set()  # had B not waited for the switch, it has answered by now

    first, second = threading.Thread(target=ask, args=("A",)), threading.Thread(target=ask, args=("B",))
    try:
        first.start()
        assert searcher.retrieved.wait(120)  # A has its passages from the old build
        (corpus / "fund.txt").write_text(RENAMED_ARTICLE, encoding="utf-8")
        pg_built.build()  # another builder commits a new build
        second.start()
        assert store.seen_new.wait(120)
        assert "B" not in answers  # B switches only once A is done with the old build
    finally:
        searcher.resume.set()
        first.join(120)
        second.join(120)
    new = _whole(_engine(PgStore.open(pg_built.uri, embedder.model), embedder).ask(FUND_Q))
    assert old[0] == "Leaders agreed on a new fund for air defence called Skyshield." and old[1][0][2] == "2023-05-02"
    assert new[0] == "Leaders agreed on a new fund for air defence called Skydome." and new[1][0][2] == "2023-05-09"
    assert _whole(answers["A"]) == old
    assert _whole(answers["B"]) == new


def test_a_replica_refuses_a_new_build_of_another_model_once_and_keeps_answering_from_its_own(
        pg_built, corpus, embedder, caplog):
    store = PgStore.open(pg_built.uri, embedder.model)
    replica = _engine(store, embedder)
    before, build = _summary(replica.ask("where is the summit?")), store.build
    e5 = PgIndexBuilder(corpus, pg_built.uri, E5Embedder())
    e5.build()  # the database's live build is now multilingual-e5-small's
    e5.close()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="citebot"):
        for _ in range(3):
            assert _summary(replica.ask("where is the summit?")) == before
    assert (store.build, store.manifest["model"]) == (build, embedder.model)
    assert [r.getMessage() for r in caplog.records] == [
        f"keeping index build {build} of {pg_built.uri}: the new build {build + 1} is refused: index at {pg_built.uri} "
        f"was built with model 'multilingual-e5-small', not {embedder.model!r}; rebuild it with "
        f"`citebot index --model {embedder.model} --store URI` or keep it with `--model multilingual-e5-small`"]
    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    pg_built.build()  # a build of the replica's model goes live, and the replica's is dropped (builders keep two)
    # the engine moves the store before reading the question's terms: the first question is answered from it
    assert replica.ask("What is the new air defence fund called?").sources[0].doc == "fund.txt"
    assert store.build == build + 2


def test_a_store_of_another_format_or_missing_its_embedder_files_is_told_to_rebuild_with_store_uri(pg_built, embedder):
    # It said `citebot index`, which built a folder index in ./.citebot and left the store as it was
    from index.embedder import Embedder, cache_root
    from index.store import FORMAT_VERSION

    # its files on this machine cut short: it was named by the builder's staging folder, `citebot index --index` it
    where = safe_uri(pg_built.uri)
    PgStore.open(pg_built.uri, embedder.model).close()  # copied out of the database
    for model in cache_root().glob("onnx-*/model.onnx"):
        model.write_bytes(model.read_bytes()[:1000])
    with pytest.raises(CitebotError) as corrupt:
        open_index(PgIndexBuilder(pg_built.corpus_dir, pg_built.uri, Embedder(embedder.model)))
    assert str(corrupt.value).startswith(f"index at {where} is corrupt (its onnx embedder's ")
    assert str(corrupt.value).endswith(f"); rebuild it with `citebot index --corpus {pg_built.corpus_dir} --store URI`")
    said = []
    for change in ("jsonb_set(manifest, '{format}', '99')", "jsonb_set(manifest, '{lexical}', '0')", "manifest"):
        with psycopg.connect(pg_built.uri, autocommit=True) as conn:
            original = conn.execute("SELECT manifest FROM citebot_builds").fetchone()[0]
            conn.execute(f"UPDATE citebot_builds SET manifest = {change}")
            if change == "manifest":  # the embedder's files gone from the database and from this machine's cache
                conn.execute("DELETE FROM citebot_assets")
                for folder in cache_root().glob("onnx-*"):
                    shutil.rmtree(folder)
            with pytest.raises(CitebotError) as refused:
                PgStore.open(pg_built.uri, embedder.model)
            conn.execute("UPDATE citebot_builds SET manifest = %s", (psycopg.types.json.Jsonb(original),))
        said.append(str(refused.value))
    assert said[:2] == [
        f"index at {where} has format 99, this citebot reads format {FORMAT_VERSION}; rebuild it with `citebot index "
        f"--store URI`",
        f"the index in {where} keeps BM25 in an older layout; rebuild it with `citebot index --store URI`"]
    assert said[2].startswith("the store's embedder file ") and said[2].endswith(
        " is missing; rebuild it with `citebot index --store URI`")


def test_a_new_build_whose_embedder_files_cannot_be_written_leaves_the_replica_whole_on_its_build(
        pg_built, corpus, embedder, tmp_path, monkeypatch, caplog):
    store = PgStore.open(pg_built.uri, embedder.model)
    replica = _engine(store, embedder)
    before = _summary(replica.ask("where is the summit?"))
    kept = (store.build, store.manifest, store.size, store.folder, store.bm25, store.passages)
    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    pg_built.build()
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("CITEBOT_CACHE", str(tmp_path / "a-file" / "cache"))  # the export cannot be copied out
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="citebot"):
        assert _summary(replica.ask("where is the summit?")) == before
        assert _summary(replica.ask("where is the summit?")) == before
    assert (store.build, store.manifest, store.size, store.folder, store.bm25, store.passages) == kept
    assert "fund.txt" not in store.articles
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith(
        f"keeping index build {kept[0]} of {pg_built.uri}: the new build {kept[0] + 1} is refused: [Errno 20] Not a directory")


def test_a_follow_up_answered_by_another_replica_keeps_the_conversation_s_context(pg_built, embedder):
    one = _engine(PgStore.open(pg_built.uri, embedder.model), embedder)
    two = _engine(PgStore.open(pg_built.uri, embedder.model), embedder)
    alone = Conversation(_engine(PgStore.open(pg_built.uri, embedder.model), embedder), chat="telegram:2")
    Conversation(one, chat="telegram:1").ask("Where is the summit?")
    follow_up = Conversation(two, chat="telegram:1").ask("And when is it?")
    assert follow_up.query == "Where is the summit? And when is it?"
    assert "Vilnius in July" in follow_up.answer
    assert alone.ask("And when is it?").query == "And when is it?"  # another chat has no context


def _role_that_may_not_write(uri: str, name: str, read_only: bool) -> str:
    """A login role on ``uri``'s database that reads every table and writes none: one whose transactions are all
    read-only (as every one on a hot standby is), or one granted SELECT alone; returns its connection string."""
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN")
        conn.execute(f"GRANT {'ALL' if read_only else 'SELECT'} ON ALL TABLES IN SCHEMA public TO {name}")
        if read_only:
            conn.execute(f"ALTER ROLE {name} SET default_transaction_read_only = on")
    return uri.replace("//citebot@", f"//{name}@")


@pytest.mark.parametrize("read_only, refusal", [
    (True, "cannot execute UPDATE in a read-only transaction"),
    (False, "permission denied for table citebot_chats"),
], ids=["read-only-transactions", "select-only"])
def test_a_bot_whose_database_refuses_to_keep_chats_answers_and_keeps_each_chat_s_topic_in_memory_said_once(
        pg_built, embedder, caplog, read_only, refusal):
    """A read-only role or a hot standby: the answer was computed, then thrown away for the refused write of its
    topic, and every question got an apology."""
    uri = _role_that_may_not_write(pg_built.uri, f"reader_{'ro' if read_only else 'select'}_{os.getpid()}", read_only)
    engine = _engine(PgStore.open(uri, embedder.model), embedder)
    with caplog.at_level(logging.INFO, logger="citebot"):
        assert engine.store.chats.take_over("telegram:", "telegram:7:") == 0  # a bot's start
        first = Conversation(engine, chat="telegram:7:1").ask("Where is the summit?")
        follow_up = Conversation(engine, chat="telegram:7:1").ask("And when is it?")
        other = Conversation(engine, chat="telegram:7:2").ask("And when is it?")
        Conversation(engine, chat="telegram:7:1").reset()
        after_reset = Conversation(engine, chat="telegram:7:1").ask("And when is it?")
    assert first.found
    assert follow_up.query == "Where is the summit? And when is it?"
    assert "Vilnius in July" in follow_up.answer
    assert other.query == "And when is it?"  # another chat has no context
    assert after_reset.query == "And when is it?"
    assert [r.getMessage() for r in caplog.records] == [
        f"conversations are not kept across restarts nor shared with other replicas: {safe_uri(uri)} refuses writes "
        f"to citebot_chats (a read-only role or a standby: {refusal}); each chat's topic is kept in this process's "
        "memory"]
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM citebot_chats").fetchone() == (0,)


def test_the_chats_table_keeps_the_10000_chats_heard_from_last_and_forgets_the_oldest_as_a_new_one_comes(
        pg_built, embedder):
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:  # 10,000 chats, chat 1 heard from longest ago
        conn.execute("""INSERT INTO citebot_chats (chat, state, updated_at) SELECT 'telegram:7:' || i,
                        '{"topic": "Where is the summit?"}', now() - interval '1 day' + i * interval '1 second'
                        FROM generate_series(1, 10000) i""")
    engine = _engine(PgStore.open(pg_built.uri, embedder.model), embedder)
    Conversation(engine, chat="telegram:7:10001").ask("Who visited Bucha?")
    Conversation(engine, chat="telegram:7:10001").ask("Who visited Kyiv?")  # a chat known: none forgotten
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        assert conn.execute("SELECT count(*), count(*) FILTER (WHERE chat = 'telegram:7:1') FROM citebot_chats"
                            ).fetchone() == (10_000, 0)
    assert Conversation(engine, chat="telegram:7:1").ask("And when is it?").query == "And when is it?"
    assert Conversation(engine, chat="telegram:7:2").ask("And when is it?").query == "Where is the summit? And when is it?"


def _waiting_on_advisory_lock(uri) -> bool:
    with psycopg.connect(uri, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").fetchone()[0] > 0


def test_a_killed_build_leaves_the_old_build_answering_and_a_second_builder_waits_for_the_lock(
        pg_built, corpus, embedder):
    reader = _engine(PgStore.open(pg_built.uri, embedder.model), embedder)
    before = _summary(reader.ask("where is the summit?"))
    (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", CITEBOT_PAUSE_AT="uncommitted")
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "index", "--corpus", str(corpus), "--store", pg_built.uri],
                            env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:  # the real `citebot index`, stopped after writing every table, before the commit
            if line.strip() == "citebot: paused at uncommitted":
                break
        else:
            raise AssertionError(f"the build ended without pausing (exit {proc.wait()})")
        # Every table of the new build exists inside the open transaction: readers still see the old build.
        assert _summary(reader.ask("where is the summit?")) == before
        assert "fund.txt" not in reader.searcher.store.articles
        second = PgIndexBuilder(corpus, pg_built.uri, embedder)
        done = threading.Event()
        result = {}
        thread = threading.Thread(target=lambda: (result.update(report=second.build()), done.set()))
        thread.start()
        while not _waiting_on_advisory_lock(pg_built.uri):  # the second builder is queued behind the first
            assert thread.is_alive()
            done.wait(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        thread.join(300)
        assert result["report"].articles == 3  # it ran after the killed one, from the old build
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert reader.ask("What is the new air defence fund called?").sources[0].doc == "fund.txt"
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE tablename ~ '^citebot_b[0-9]+_'")}
        builds = [r[0] for r in conn.execute("SELECT id FROM citebot_builds ORDER BY id")]
    assert len(builds) == 2  # the killed build left no row and no table
    names = ("articles", "passages", "sentences", "terms", "postings")
    assert tables == {f"citebot_b{b}_{t}" for b in builds for t in names}


def test_a_build_whose_connection_is_ended_before_its_commit_is_written_again_on_a_new_one(corpus, pg_uri):
    # Its every table written, the commit failed on the ended connection and the whole build, embedding too, was lost.
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", CITEBOT_PAUSE_AT="uncommitted", **FIXTURE_MODEL_ENV)
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "index", "--corpus", str(corpus), "--store", pg_uri],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if line.strip() == "citebot: paused at uncommitted":
                break
        else:
            raise AssertionError(f"the build ended without pausing (exit {proc.wait()})")
        with psycopg.connect(pg_uri, autocommit=True) as admin:  # what a restart (or an administrator) does
            assert admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                 "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone() == (1,)
        proc.send_signal(signal.SIGUSR1)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.startswith("indexed 2 articles into 15 passages in ")
    assert "(15 passages embedded, 0 skipped)" in out
    assert err.strip().splitlines()[-1] == (f"citebot: warning: the server ended the build's connection to {pg_uri}: "
                                            "writing the build on a new one (attempt 2 of 6)")
    assert PgStore.open(pg_uri).size == 15


def _citebot(*args, env=None):
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), timeout=600)


def test_citebot_index_and_ask_with_store_use_the_database(corpus, pg_uri, tmp_path):
    built = _citebot("index", "--corpus", str(corpus), "--store", pg_uri)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("indexed 2 articles into ")
    assert built.stdout.splitlines()[0].endswith(f"-> {pg_uri}")
    shutil.rmtree(corpus)  # a replica needs no corpus folder: the database is the index
    asked = _citebot("ask", "--json", "--corpus", str(corpus), "where is the summit?", env={"CITEBOT_STORE": pg_uri})
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert "the NATO summit to be held in Vilnius in July" in answer["answer"]
    assert not (tmp_path / ".citebot").exists()


def test_an_article_citebot_add_stored_while_the_database_was_away_is_indexed_when_it_is_added_again(
        corpus, embedder, tmp_path):
    # The retry said "already known" and built nothing: the article stayed out of the index till `citebot index`.
    from tests.pg_server import PgServer

    (tmp_path / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    add = ("add", "--corpus", str(corpus), str(tmp_path / "fund.txt"))
    with PgServer() as server:  # its own server, stopped and started again
        uri = server.create_database("citebot")
        builder = PgIndexBuilder(corpus, uri, embedder)
        builder.build()
        builder.close()
        server.pause()
        away = _citebot(*add, "--store", uri, env=FIXTURE_MODEL_ENV)
        server.resume()
        again = _citebot(*add, "--store", uri, env=FIXTURE_MODEL_ENV)
        once_more = _citebot(*add, "--store", uri, env=FIXTURE_MODEL_ENV)
        asked = _citebot("ask", "--json", "--corpus", str(corpus), "--store", uri, FUND_Q, env=FIXTURE_MODEL_ENV)
    assert away.returncode == 1
    assert away.stderr.startswith(f"citebot: error: cannot connect to {uri}: ")
    added = away.stdout.splitlines()[0]
    assert added.startswith("added: The summit closes with a statement., 2023-05-02 (1 passage) -> local/")
    known = "already known: The summit closes with a statement., 2023-05-02 (" + added.rsplit(" -> ", 1)[1] + ")"
    assert (again.returncode, again.stdout.splitlines()[0]) == (0, known)
    assert again.stdout.splitlines()[1].startswith("indexed 3 articles into 16 passages in ")
    assert again.stdout.splitlines()[1].endswith(" s (1 passage embedded)")
    assert (once_more.returncode, once_more.stdout) == (0, known + "\n")  # indexed: nothing more to do
    assert json.loads(asked.stdout)["answer"] == "Leaders agreed on a new fund for air defence called Skyshield."


def test_an_article_citebot_remove_deleted_while_the_database_was_away_leaves_the_index_when_it_is_removed_again(
        corpus, embedder, tmp_path):
    # The retry said "no article fund.txt in the corpus" and built nothing: every replica without the corpus folder
    # went on answering from the article till someone ran `citebot index`.
    with _removed_while_the_database_was_away_then_again(corpus, tmp_path) as (uri, before, away, again):
        after = _citebot(*_replica(tmp_path), "--store", uri, FUND_Q, env=FIXTURE_MODEL_ENV)
    assert json.loads(before.stdout)["answer"] == "Leaders agreed on a new fund for air defence called Skyshield."
    assert away.returncode == 1
    assert away.stdout.startswith("removed: The summit closes with a statement., 2023-05-02 (local/2023-05-02-fund-")
    assert away.stderr.startswith(f"citebot: error: cannot connect to {uri}: ")
    assert (again.returncode, again.stderr) == (1, "citebot: error: no article fund.txt in the corpus\n")
    assert again.stdout.startswith("indexed 2 articles into 15 passages in ")
    assert again.stdout.endswith(" s (0 passages embedded)\n")
    assert (json.loads(after.stdout)["found"], json.loads(after.stdout)["answer"]) == (False, "")


def test_the_last_article_citebot_remove_deleted_while_the_database_was_away_is_left_to_citebot_index_when_removed_again(
        embedder, tmp_path):
    # The README said running the remove again finishes it; for the corpus's last article it cannot tell an emptied
    # folder from a share not mounted, so it says so and leaves the index to `citebot index`, which empties it.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with _removed_while_the_database_was_away_then_again(corpus, tmp_path) as (uri, _, away, again):
        still = _citebot(*_replica(tmp_path), "--store", uri, FUND_Q, env=FIXTURE_MODEL_ENV)
        emptied = _citebot("index", "--corpus", str(corpus), "--store", uri, env=FIXTURE_MODEL_ENV)
        after = _citebot(*_replica(tmp_path), "--store", uri, FUND_Q, env=FIXTURE_MODEL_ENV)
    assert away.returncode == 1
    assert (again.returncode, again.stdout) == (1, "")
    assert again.stderr == (
        "citebot: error: no article fund.txt in the corpus\n"
        f"citebot: error: the corpus folder {corpus} holds no file now, and the index 1 article (a share not mounted?): "
        "the index is left as it is; `citebot index` empties it\n")
    assert still.stderr == "" and json.loads(still.stdout)["answer"] == "Leaders agreed on a new fund for air defence called Skyshield."
    assert emptied.returncode == 0
    assert (after.returncode, after.stdout) == (1, "")
    assert after.stderr.startswith(f"citebot: error: no articles in {tmp_path / 'no-corpus'} yet: ")


def _replica(tmp_path) -> tuple:
    """`citebot ask --json` on a machine with no corpus folder: it answers from the store."""
    return ("ask", "--json", "--corpus", str(tmp_path / "no-corpus"))


@contextlib.contextmanager
def _removed_while_the_database_was_away_then_again(corpus, tmp_path):
    """fund.txt added into a server of its own, a replica's answer, `citebot remove fund.txt` while the server was
    paused and again once it was back: yields the server's address and the three results, the server still up."""
    from tests.pg_server import PgServer

    (tmp_path / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    remove = ("remove", "--corpus", str(corpus), "fund.txt")
    with PgServer() as server:
        uri = server.create_database("citebot")
        assert _citebot("add", "--corpus", str(corpus), "--store", uri, str(tmp_path / "fund.txt"),
                        env=FIXTURE_MODEL_ENV).returncode == 0
        before = _citebot(*_replica(tmp_path), "--store", uri, FUND_Q, env=FIXTURE_MODEL_ENV)
        server.pause()
        away = _citebot(*remove, "--store", uri, env=FIXTURE_MODEL_ENV)
        server.resume()
        again = _citebot(*remove, "--store", uri, env=FIXTURE_MODEL_ENV)
        yield uri, before, away, again


def test_feed_items_citebot_feeds_update_took_while_the_database_was_away_are_indexed_by_the_next_update(
        corpus, embedder, tmp_path):
    # The next update found nothing new and built nothing: the items stayed out of the index till another item came.
    from tests.news_site import NewsSite
    from tests.pg_server import PgServer

    where = ("--corpus", str(corpus), "--index", str(tmp_path / "state"))
    with PgServer() as server, NewsSite() as site:
        uri = server.create_database("citebot")
        builder = PgIndexBuilder(corpus, uri, embedder)
        builder.build()
        builder.close()
        assert _citebot("feeds", "add", site.url("/feed.xml"), *where).returncode == 0
        server.pause()
        away = _citebot("feeds", "update", *where, "--store", uri, env=FIXTURE_MODEL_ENV)
        server.resume()
        again = _citebot("feeds", "update", *where, "--store", uri, env=FIXTURE_MODEL_ENV)
        asked = _citebot("ask", "--json", *where, "--store", uri, "When will the harbour tunnel open?",
                         env=FIXTURE_MODEL_ENV)
    assert away.returncode == 1 and away.stderr.startswith(f"citebot: error: cannot connect to {uri}: ")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == "feeds: 0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"
    assert again.stdout.splitlines()[1].startswith("indexed ")
    assert "14 March 2027" in json.loads(asked.stdout)["answer"]


def test_a_replica_started_before_any_build_says_the_database_has_no_index_yet_not_that_its_corpus_is_missing(
        pg_uri, tmp_path):
    asked = _citebot("ask", "--corpus", str(tmp_path / "no-corpus"), "--store", pg_uri, "where is the summit?")
    assert (asked.returncode, asked.stdout, asked.stderr) == (
        1, "", f"citebot: error: no index in {pg_uri} yet; build one with `citebot index --store URI` (there is no "
                f"corpus folder {tmp_path / 'no-corpus'} here to build it from)\n")


def test_a_store_that_is_not_a_postgresql_address_or_not_reachable_is_one_clear_error(corpus):
    wrong = _citebot("ask", "--corpus", str(corpus), "--store", "mysql://x@y/z", "where?")
    assert (wrong.returncode, wrong.stderr.strip()) == (
        1, "citebot: error: --store must be a postgresql://USER@HOST:PORT/DB address, not a mysql:// one")
    driver = _citebot("ask", "--corpus", str(corpus), "--store", "postgresql+psycopg://citebot:S3cret@db/x", "where?")
    assert (driver.returncode, driver.stderr.strip()) == (
        1, "citebot: error: --store must be a postgresql://USER@HOST:PORT/DB address, not a postgresql+psycopg:// one")
    down = _citebot("ask", "--corpus", str(corpus), "--store", "postgresql://citebot:secret@127.0.0.1:1/none", "where?")
    assert down.returncode == 1
    assert down.stderr.startswith("citebot: error: cannot connect to postgresql://citebot:***@127.0.0.1:1/none: ")
    assert "secret" not in down.stderr and "Traceback" not in down.stderr


@pytest.mark.parametrize("uri, shown", [
    ("postgresql://citebot:S3cret@db:5432/x", "postgresql://citebot:***@db:5432/x"),
    ("postgresql://:S3cret@db/x", "postgresql://:***@db/x"),
    ("postgresql://citebot@db/x?sslmode=require&password=S3cret", "postgresql://citebot@db/x?sslmode=require&password=***"),
    ("postgres://citebot@db/x?PassWord=S3cret&password=S3cret", "postgres://citebot@db/x?PassWord=***&password=***"),
    ("postgresql://citebot:S3cret@[::1/x", "postgresql://***"),
    ("postgresql://citebot:S3c/ret@db/x", "postgresql://citebot:***@db/x"),  # a / ? or # not percent-encoded
    ("postgresql://citebot:S3c?ret@db/x", "postgresql://citebot:***@db/x"),
    ("postgresql://citebot:S3c@r/et@db:5432/x", "postgresql://citebot:***@db:5432/x"),  # an @ and a / in it
    ("postgresql://citebot:pw@db/x?application_name=a:b@c", "postgresql://citebot:***@db/x?application_name=a:b@c"),
    ("postgresql://db/x?application_name=a:b@c", "postgresql://db/x?application_name=a:b@c"),
    ("postgresql://citebot@db:5432/x", "postgresql://citebot@db:5432/x"),
])
def test_an_address_is_shown_without_its_password(uri, shown):
    assert safe_uri(uri) == shown


@pytest.mark.parametrize("uri", ["postgresql://citebot:S3cr%zzet@127.0.0.1:1/x",
                                 "postgresql://citebot@127.0.0.1:1/x?password=S3cr%zzet",
                                 "postgresql://citebot:S3cret@[::1/x?password=S3cret2"])  # quoted whole by the driver
def test_the_driver_s_own_message_is_shown_without_the_password(uri):
    with pytest.raises(CitebotError) as caught:
        connect(uri)
    assert str(caught.value).startswith(f"cannot connect to {safe_uri(uri)}: ")
    assert "S3cr" not in str(caught.value) and "***" in str(caught.value).split(": ", 1)[1]


@pytest.mark.parametrize("password", ["S3c@ret", "S3c@r/et", "S3c/ret", "S3c@ret@"])
def test_a_password_with_an_at_or_a_slash_not_percent_encoded_is_refused_saying_how_to_write_it(pg_uri, password):
    # libpq reads the user part up to the first @: the rest of the password went to a name server as a host name
    # ("failed to resolve host 'ret@127.0.0.1'"), and into the error line, and an address with both was shown mangled.
    uri = pg_uri.replace("postgresql://citebot@", f"postgresql://citebot:{password}@")
    with pytest.raises(CitebotError) as caught:
        connect(uri)
    assert str(caught.value) == (
        f"cannot connect to {pg_uri.replace('citebot@', 'citebot:***@')}: an @ or a / in the address's user name, "
        "password or database name must be percent-encoded (@ as %40, / as %2F)")
    encoded = pg_uri.replace("postgresql://citebot@", f"postgresql://citebot:{quote(password, safe='')}@")
    connect(encoded).close()  # the test server trusts any password


def test_citebot_index_says_where_it_indexed_without_the_password(corpus, pg_uri):
    uri = pg_uri.replace("postgresql://citebot@", "postgresql://citebot:S3cret@") + "?password=S3cret"
    built = _citebot("index", "--corpus", str(corpus), "--store", uri)  # the test server trusts any password
    assert built.returncode == 0, built.stderr
    assert built.stdout.splitlines()[0].endswith(
        "-> " + pg_uri.replace("postgresql://citebot@", "postgresql://citebot:***@") + "?password=***")
    assert "S3cret" not in built.stdout + built.stderr


def test_a_question_that_finds_its_build_dropped_moves_the_store_and_the_next_reads_that_builds_terms(
        pg_built, corpus, embedder):
    store = PgStore.open(pg_built.uri, embedder.model)
    searcher = PausingSearcher(store, embedder)
    engine = AnswerEngine(searcher)
    build, errors = store.build, []

    def ask():
        try:
            engine.ask(FUND_Q)
        except CitebotError as exc:
            errors.append(str(exc))

    first = threading.Thread(target=ask)
    try:
        first.start()
        assert searcher.retrieved.wait(120)  # the question has its passages from its build
        for article in (NEW_ARTICLE, RENAMED_ARTICLE):
            (corpus / "fund.txt").write_text(article, encoding="utf-8")
            pg_built.build()  # two builds on, builders keep two: the question's build is dropped
    finally:
        searcher.resume.set()
        first.join(120)
    assert errors == [f"the index build {build} in {pg_built.uri} was removed while in use; ask again"]
    assert store.build == build + 2
    assert engine.ask(FUND_Q).answer == "Leaders agreed on a new fund for air defence called Skydome."
    assert engine.corpus.build == build + 2  # what the corpus mentions is read from the build it moved to


@pytest.mark.parametrize("command, third", [
    (["chat", "--json"], "And when is it?"),  # the conversation too is as it was
    (["ask", "--json", "-"], "Where is the summit?"),  # the questions from stdin after it are asked
])
def test_a_chat_or_questions_from_stdin_go_on_past_one_question_the_database_could_not_answer(
        pg_built, corpus, command, third):
    # The error of one question (the server restarting, the role barred a moment) ended the whole chat, and
    # its conversation with it, or the whole batch, though the database was back for the next question.
    role = "citebot_away_" + os.urandom(4).hex()
    admin = psycopg.connect(pg_built.uri, autocommit=True)
    admin.execute(f"CREATE ROLE {role} LOGIN")
    admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    uri = pg_built.uri.replace("postgresql://citebot@", f"postgresql://{role}:S3cret@")
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", *command, "--corpus", str(corpus), "--store", uri],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", **FIXTURE_MODEL_ENV))

    def turn(question: str) -> None:
        proc.stdin.write(question + "\n")
        proc.stdin.flush()

    try:
        turn("Where is the summit?")
        first = json.loads(proc.stdout.readline())
        assert "Vilnius in July" in first["answer"]
        admin.execute(f"ALTER ROLE {role} NOLOGIN")
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,))
        turn("Who visited Kyiv?")
        error = next(line for line in proc.stderr if line.startswith("citebot: error:"))
        assert error.startswith(f"citebot: error: cannot connect to {safe_uri(uri)}: ")
        assert error.endswith(f'role "{role}" is not permitted to log in; the role may not log in: ALTER ROLE … '
                              'LOGIN, or name another in the address\n') and "S3cret" not in error
        admin.execute(f"ALTER ROLE {role} LOGIN")
        turn(third)
        assert "Vilnius in July" in json.loads(proc.stdout.readline())["answer"]
        proc.stdin.close()
        assert (proc.wait(120), proc.stdout.read()) == (1, "")  # a question failed
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        admin.close()


def test_a_role_that_may_not_read_the_index_is_one_error_line_naming_the_table(pg_built, corpus):
    role = "citebot_noread_" + os.urandom(4).hex()
    with psycopg.connect(pg_built.uri, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
    uri = pg_built.uri.replace("postgresql://citebot@", f"postgresql://{role}:S3cret@")
    asked = _citebot("ask", "--corpus", str(corpus), "--store", uri, "where is the summit?", env=FIXTURE_MODEL_ENV)
    assert (asked.returncode, asked.stderr) == (
        1, f"citebot: error: cannot use the index in {safe_uri(uri)}: permission denied for table citebot_live\n")


def test_a_read_the_server_cancels_is_said_as_such_not_as_a_lost_connection(pg_built, embedder):
    store = PgStore.open(pg_built.uri, embedder.model)
    store.conn.execute("SET lock_timeout = '10ms'")
    with psycopg.connect(pg_built.uri, autocommit=True) as locker, locker.transaction():
        locker.execute(f"LOCK TABLE {store._t('articles')} IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(CitebotError) as caught:
            store.latest_articles(1)
    assert str(caught.value) == f"cannot use the index in {pg_built.uri}: canceling statement due to lock timeout"
    assert store.latest_articles(1)  # the same connection goes on


def test_citebot_index_whose_connection_is_ended_says_so_in_one_line(corpus, pg_uri):
    with connect(pg_uri, register=False) as conn:
        ensure_schema(conn)
    with psycopg.connect(pg_uri, autocommit=True) as locker, psycopg.connect(pg_uri, autocommit=True) as watcher:
        with locker.transaction():
            locker.execute("LOCK TABLE citebot_live IN ACCESS EXCLUSIVE MODE")  # the build's first read waits
            proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "index", "--corpus", str(corpus), "--store", pg_uri],
                                    cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env=dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", **FIXTURE_MODEL_ENV))
            try:
                while not (pids := [pid for pid, q in watcher.execute(
                        "SELECT pid, query FROM pg_stat_activity WHERE wait_event_type = 'Lock'") if "citebot_live" in q]):
                    assert proc.poll() is None, proc.communicate()
                    threading.Event().wait(0.05)
                watcher.execute("SELECT pg_terminate_backend(%s)", (pids[0],))
                out, err = proc.communicate(timeout=120)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    assert (proc.returncode, out, err) == (
        1, "", f"citebot: error: lost the connection to {pg_uri}: terminating connection due to administrator command\n")


def test_a_corrected_link_added_again_with_store_is_updated_in_place_and_only_its_changed_passage_embedded(
        pg_built, corpus, tmp_path):
    from tests.news_site import NewsSite

    where = ("--corpus", str(corpus), "--index", str(tmp_path / "state"), "--store", pg_built.uri)
    question = "When will the harbour tunnel under Tallinn Bay open to traffic?"
    with NewsSite() as site:
        link = site.article_url("tunnel")
        added = _citebot("add", *where, link, env=FIXTURE_MODEL_ENV)
        site.correct("tunnel", "14 March 2027", "21 March 2027")
        updated = _citebot("add", *where, link, env=FIXTURE_MODEL_ENV)
    asked = _citebot("ask", "--json", *where, question, env=FIXTURE_MODEL_ENV)
    rel = added.stdout.splitlines()[0].rsplit(" -> ", 1)[1]
    assert (updated.returncode, updated.stderr) == (0, "")
    assert updated.stdout.splitlines()[0] == f"updated: Tallinn harbour tunnel to open in March, 2026-11-20 ({rel})"
    assert updated.stdout.splitlines()[1].startswith("indexed 3 articles into ")
    assert updated.stdout.splitlines()[1].endswith(" s (1 passage embedded)")
    answer = json.loads(asked.stdout)
    assert "21 March 2027" in answer["answer"] and answer["sources"][0]["doc"] == rel


def test_the_database_says_how_many_articles_are_dated_and_how_many_not_as_the_folder_does(corpus, pg_uri, tmp_path,
                                                                                           embedder):
    from bot.sources import summary

    (corpus / "ferry.txt").write_text("date 2023-05-02\nFerry plans.\n\nThe ferry to Tallinn starts in June.",
                                      encoding="utf-8")
    (corpus / "tunnel.txt").write_text("Tunnel plans.\n\nThe harbour tunnel opens in spring.", encoding="utf-8")
    builder = PgIndexBuilder(corpus, pg_uri, embedder)
    try:
        builder.build()
        pg = PgStore.open(pg_uri, embedder.model)
        folder = open_index(IndexBuilder(corpus, tmp_path / "index", embedder))
        assert (pg.undated_count(), summary(pg), summary(pg, "uk")) == (
            2, "4 articles, 2 dated 2023-04-20 to 2023-05-02, 2 undated",
            "4 статті, 2 з датами 2023-04-20 – 2023-05-02, 2 без дати")
        assert (folder.undated_count(), summary(folder)) == (pg.undated_count(), summary(pg))
    finally:
        builder.close()


def _citebot_in(folder, *args, env=None):
    """`citebot ARGS` run in ``folder`` (its working directory), as an operator runs it there."""
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, cwd=folder,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), timeout=600)


def test_a_question_asked_where_a_corpus_folder_happens_to_be_answers_from_the_store_and_leaves_it_as_built(
        pg_built, tmp_path, embedder):
    # `citebot ask --store URI` in a folder holding ./corpus (a checkout of citebot, with its sample articles) took that
    # folder, never named, for a copy of the database's corpus: "the corpus changed: updating the index…", and the
    # store's build of every article was replaced by one of the folder's few; every replica then answered from those.
    here = _checkout(tmp_path)
    uri = pg_built.uri
    before = _articles_live(uri, embedder)
    asked = _citebot_in(here, "ask", "--json", "--store", uri, "where is the summit?", env=FIXTURE_MODEL_ENV)
    assert asked.returncode == 0, asked.stderr
    assert "the NATO summit to be held in Vilnius in July" in json.loads(asked.stdout)["answer"]
    assert asked.stderr.splitlines() == [_answering_from_the_build(uri, here)]
    assert _articles_live(uri, embedder) == before == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]
    # once built from it here, by the command that says so, the folder is this machine's copy: changed, it is built again
    built = _citebot_in(here, "index", "--store", uri, env=FIXTURE_MODEL_ENV)
    assert built.returncode == 0, built.stderr
    assert _articles_live(uri, embedder) == ["fund.txt"]
    (here / "corpus" / "more.txt").write_text(RENAMED_ARTICLE, encoding="utf-8")
    again = _citebot_in(here, "ask", "--json", "--store", uri, FUND_Q, env=FIXTURE_MODEL_ENV)
    assert again.returncode == 0, again.stderr
    assert again.stderr.splitlines()[0] == "citebot: the corpus changed: updating the index…"
    assert _articles_live(uri, embedder) == ["fund.txt", "more.txt"]


def _checkout(tmp_path):
    """A folder holding ./corpus with one article, as a checkout of citebot holds its sample articles."""
    here = tmp_path / "checkout"
    (here / "corpus").mkdir(parents=True)
    (here / "corpus" / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    return here


def _answering_from_the_build(uri: str, here) -> str:
    """The warning of a question asked in ``here`` over the store at ``uri``, not built from ``here``'s ./corpus."""
    return (f"citebot: warning: {uri} holds a build this machine did not make from {here / 'corpus'}, the default "
            "corpus folder, which no --corpus or CITEBOT_CORPUS named: answering from that build; to build the store "
            "from this folder instead, run `citebot index --corpus corpus --store URI` here")


def _articles_live(uri: str, embedder) -> list[str]:
    """The files of the build that answers now (the store opened afresh)."""
    store = PgStore.open(uri, embedder.model)
    try:
        return sorted(store.articles)
    finally:
        store.close()


def test_a_folder_built_into_the_store_here_then_changed_after_another_machine_built_the_store_is_not_built_over_it(
        corpus, pg_uri, tmp_path, embedder):
    # The store built once from a checkout's ./corpus on this machine (trying citebot out), then from the real corpus on
    # another, kept this machine's record of that folder: a `git pull` that changed the sample articles made the next
    # `citebot ask --store URI` there build them over the store again, for every replica to answer from.
    here = _checkout(tmp_path)
    tried = _citebot_in(here, "index", "--store", pg_uri, env=FIXTURE_MODEL_ENV)
    assert tried.returncode == 0, tried.stderr
    other = {**FIXTURE_MODEL_ENV, "CITEBOT_CACHE": str(tmp_path / "other-machine")}
    real = _citebot_in(tmp_path, "index", "--corpus", str(corpus), "--store", pg_uri, env=other)
    assert real.returncode == 0, real.stderr
    (here / "corpus" / "more.txt").write_text(RENAMED_ARTICLE, encoding="utf-8")
    asked = _citebot_in(here, "ask", "--json", "--store", pg_uri, "where is the summit?", env=FIXTURE_MODEL_ENV)
    assert asked.returncode == 0, asked.stderr
    assert "the NATO summit to be held in Vilnius in July" in json.loads(asked.stdout)["answer"]
    assert asked.stderr.splitlines() == [_answering_from_the_build(pg_uri, here)]
    assert _articles_live(pg_uri, embedder) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]


def test_an_add_a_remove_or_a_feed_update_where_a_corpus_folder_happens_to_be_is_refused_nothing_written(
        pg_built, tmp_path, embedder):
    # `citebot add/remove/feeds update --store URI` in a folder holding ./corpus (a checkout's sample articles), named
    # by no --corpus nor CITEBOT_CORPUS, wrote into that folder and built the store from it: every replica's articles
    # were replaced by the folder's few.
    here = _checkout(tmp_path)
    article = tmp_path / "dome.txt"
    article.write_text(RENAMED_ARTICLE, encoding="utf-8")
    uri = pg_built.uri
    refusal = (f"citebot: error: {uri} holds a build this machine did not make from {here / 'corpus'}, the default "
               "corpus folder, which no --corpus or CITEBOT_CORPUS named: nothing was changed; name the store's corpus "
               "folder with --corpus DIR or CITEBOT_CORPUS, or, to build the store from this folder instead, run "
               "`citebot index --corpus corpus --store URI` here first")
    for command in (["add", str(article)], ["remove", "fund.txt"], ["feeds", "update", "http://127.0.0.1:9/feed.xml"]):
        refused = _citebot_in(here, *command, "--store", uri, env=FIXTURE_MODEL_ENV)
        assert (refused.returncode, refused.stdout, refused.stderr.splitlines()) == (2, "", [refusal])
    assert sorted(path.name for path in (here / "corpus").iterdir()) == ["fund.txt"]
    assert _articles_live(uri, embedder) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]
    ukrainian = _citebot_in(here, "add", str(article), "--store", uri, env={**FIXTURE_MODEL_ENV, "LC_ALL": "uk_UA.UTF-8"})
    assert (ukrainian.returncode, ukrainian.stderr.splitlines()) == (2, [
        f"citebot: error: {uri} містить збірку індексу, яку ця машина не робила з {here / 'corpus'} (типова тека "
        "корпусу, її не назвали ні --corpus, ні CITEBOT_CORPUS): нічого не змінено; назвіть теку корпусу сховища через "
        "--corpus DIR або CITEBOT_CORPUS, а щоб натомість зібрати сховище з цієї теки, спершу виконайте тут `citebot "
        "index --corpus corpus --store URI`"])
    # the store's own corpus named, the add goes there; once this machine built the store from ./corpus, there
    named = _citebot_in(tmp_path, "add", "--corpus", str(pg_built.corpus_dir), str(article), "--store", uri,
                        env=FIXTURE_MODEL_ENV)
    assert named.returncode == 0, named.stderr
    assert _articles_live(uri, embedder) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt",
                                             "local/2023-05-09-dome-ee3189.md"]
    built = _citebot_in(here, "index", "--store", uri, env=FIXTURE_MODEL_ENV)
    assert built.returncode == 0, built.stderr
    removed = _citebot_in(here, "remove", "fund.txt", "--store", uri, env=FIXTURE_MODEL_ENV)
    added = _citebot_in(here, "add", str(article), "--store", uri, env=FIXTURE_MODEL_ENV)
    assert (removed.returncode, added.returncode) == (0, 0), removed.stderr + added.stderr
    assert _articles_live(uri, embedder) == ["local/2023-05-09-dome-ee3189.md"]


def test_an_evaluation_run_where_a_corpus_folder_happens_to_be_measures_the_store_as_built(pg_built, tmp_path, embedder):
    # `citebot eval FILE --store URI` in a folder holding ./corpus (a checkout's sample articles), named by no --corpus
    # nor CITEBOT_CORPUS, built that folder over the store before measuring it: the store's articles were lost to every
    # replica, and the figures were the folder's.
    here = _checkout(tmp_path)
    (here / "questions.jsonl").write_text('{"q": "where is the summit?", "answers": ["Vilnius"]}\n', encoding="utf-8")
    measured = _citebot_in(here, "eval", "questions.jsonl", "--store", pg_built.uri, env=FIXTURE_MODEL_ENV)
    assert measured.returncode == 0, measured.stderr
    assert measured.stderr.splitlines() == [_answering_from_the_build(pg_built.uri, here)]
    assert _articles_live(pg_built.uri, embedder) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]


def test_a_store_that_refuses_the_connection_says_in_one_line_what_to_check(pg_server, pg_uri, tmp_path):
    # `citebot ask --store` with a wrong password, an unknown role, a missing database or a host where no server
    # listens ended in the driver's words alone ("FATAL:  password authentication failed for user …"): what was wrong,
    # not what the operator should check. Each now says it; the wrong password against a real server that asks for one
    # (a role of its own under scram-sha-256, the other tests' trust left as it is).
    import psycopg

    from tests.pg_server import DB_USER

    with psycopg.connect(pg_uri, autocommit=True) as conn:
        conn.execute("CREATE ROLE tD_reader LOGIN PASSWORD 'right-one'")
    hba = pg_server.root / "data" / "pg_hba.conf"
    hba.write_text("host all td_reader 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")
    port, db = pg_server.port, pg_uri.rsplit("/", 1)[1]
    server = f'connection failed: connection to server at "127.0.0.1", port {port} failed: '
    home = tmp_path / "home"  # no ~/.pgpass, no PGPASSWORD: the address alone
    home.mkdir()
    env = {"HOME": str(home), "PGPASSWORD": "", "PGPASSFILE": str(home / "none")}

    def error(uri):
        asked = _citebot("ask", "--corpus", str(tmp_path / "none"), "--store", uri, "where?", env=env)
        assert asked.returncode == 1 and asked.stdout == "" and asked.stderr.count("\n") == 1, asked.stderr
        return asked.stderr.strip()

    assert error(f"postgresql://td_reader:wrong-one@127.0.0.1:{port}/{db}") == (
        f"citebot: error: cannot connect to postgresql://td_reader:***@127.0.0.1:{port}/{db}: {server}FATAL:  password "
        'authentication failed for user "td_reader"; check the user name and the password in the address (or in PGPASSWORD '
        "or ~/.pgpass): the server says so of a role it does not have too")
    assert error(f"postgresql://td_reader@127.0.0.1:{port}/{db}") == (
        f"citebot: error: cannot connect to postgresql://td_reader@127.0.0.1:{port}/{db}: {server}fe_sendauth: no "
        "password supplied; the server wants a password: add it to the address (postgresql://USER:PASSWORD@HOST/DB) or "
        "set PGPASSWORD or ~/.pgpass")
    assert error(f"postgresql://nobody@127.0.0.1:{port}/{db}") == (
        f"citebot: error: cannot connect to postgresql://nobody@127.0.0.1:{port}/{db}: {server}FATAL:  role \"nobody\" "
        "does not exist; check the user name in the address (a role the server has: CREATE ROLE … LOGIN)")
    assert error(f"postgresql://{DB_USER}@127.0.0.1:{port}/no_such_db") == (
        f"citebot: error: cannot connect to postgresql://{DB_USER}@127.0.0.1:{port}/no_such_db: {server}FATAL:  "
        'database "no_such_db" does not exist; check the database name in the address, or create it (createdb '
        "no_such_db)")
    assert error(f"postgresql://{DB_USER}@127.0.0.1:1/{db}") == (
        f"citebot: error: cannot connect to postgresql://{DB_USER}@127.0.0.1:1/{db}: connection failed: connection to "
        'server at "127.0.0.1", port 1 failed: Connection refused; check the host and port in the address, and that '
        "PostgreSQL runs there and takes connections from this machine (listen_addresses)")
    assert error(f"postgresql://{DB_USER}@no-such-host.invalid/{db}") == (
        f"citebot: error: cannot connect to postgresql://{DB_USER}@no-such-host.invalid/{db}: failed to resolve host "
        "'no-such-host.invalid': [Errno -2] Name or service not known; check the host and port in the address, and "
        "that PostgreSQL runs there and takes connections from this machine (listen_addresses)")


def test_a_refused_connection_is_given_no_hint_it_does_not_bear_out(pg_server, pg_uri):
    # Each refusal a real server gives, with what connect() said to check: a role at its connection limit was told to
    # check its user name; a database that takes no connections, a pg_hba.conf line that rejects, a server without SSL
    # under sslmode=require, an address's unknown parameter to check the host and port and that PostgreSQL runs there
    # (it answered); a role the server does not have, under a password method, to check the password (the server says
    # "password authentication failed" of a missing role too). What no hint fits (a server whose lc_messages is German)
    # gets none: a wrong hint sends the operator the wrong way.
    import psycopg

    from index.pg_store import Unreachable, connect_hint
    from tests.pg_server import DB_USER

    with psycopg.connect(pg_uri, autocommit=True) as conn:
        conn.execute("CREATE ROLE rd_limited LOGIN CONNECTION LIMIT 0")
        conn.execute("CREATE DATABASE rd_closed")
        conn.execute("ALTER DATABASE rd_closed ALLOW_CONNECTIONS false")
    hba = pg_server.root / "data" / "pg_hba.conf"
    hba.write_text("host all rd_ghost 127.0.0.1/32 scram-sha-256\nhost all rd_rejected 127.0.0.1/32 reject\n"
                   + hba.read_text())
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")
    port, db = pg_server.port, pg_uri.rsplit("/", 1)[1]
    server = f'connection failed: connection to server at "127.0.0.1", port {port} failed: '

    def error(uri):
        with pytest.raises(Unreachable) as refused:
            connect(uri)
        return str(refused.value)

    assert error(f"postgresql://rd_limited@127.0.0.1:{port}/{db}") == (
        f"cannot connect to postgresql://rd_limited@127.0.0.1:{port}/{db}: {server}FATAL:  too many connections for "
        'role "rd_limited"; the role is at its connection limit: try again, or raise it (ALTER ROLE … CONNECTION LIMIT)')
    assert error(f"postgresql://{DB_USER}@127.0.0.1:{port}/rd_closed") == (
        f"cannot connect to postgresql://{DB_USER}@127.0.0.1:{port}/rd_closed: {server}FATAL:  database \"rd_closed\" "
        "is not currently accepting connections; the database takes no connections: ALTER DATABASE … "
        "ALLOW_CONNECTIONS true")
    assert error(f"postgresql://rd_rejected@127.0.0.1:{port}/{db}") == (
        f"cannot connect to postgresql://rd_rejected@127.0.0.1:{port}/{db}: {server}FATAL:  pg_hba.conf rejects "
        f'connection for host "127.0.0.1", user "rd_rejected", database "{db}", no encryption; the server\'s '
        "pg_hba.conf lets no such connection in: check its lines for this user, database and host (then SELECT "
        "pg_reload_conf())")
    assert error(f"postgresql://rd_ghost:a-password@127.0.0.1:{port}/{db}") == (
        f"cannot connect to postgresql://rd_ghost:***@127.0.0.1:{port}/{db}: {server}FATAL:  password authentication "
        'failed for user "rd_ghost"; check the user name and the password in the address (or in PGPASSWORD or '
        "~/.pgpass): the server says so of a role it does not have too")
    assert error(f"postgresql://{DB_USER}@127.0.0.1:{port}/{db}?sslmode=require") == (
        f"cannot connect to postgresql://{DB_USER}@127.0.0.1:{port}/{db}?sslmode=require: {server}server does not "
        "support SSL, but SSL was required; the server takes no SSL connections: drop sslmode from the address, or "
        "turn ssl on in the server")
    assert error(f"postgresql://{DB_USER}@127.0.0.1:{port}/{db}?no_such_option=1") == (
        f"cannot connect to postgresql://{DB_USER}@127.0.0.1:{port}/{db}?no_such_option=1: invalid URI query "
        'parameter: "no_such_option"')
    assert connect_hint(f"{server}FATAL:  Passwort-Authentifizierung für Benutzer »reader« fehlgeschlagen") == ""
    assert connect_hint(f"{server}ВАЖНО:  роль \"reader\" не существует") == ""
