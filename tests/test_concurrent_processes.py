"""Several citebot processes over one corpus and index at once: readers while a build switches, builds and adds
side by side. Real processes; each moment is reached through index/faults.py's pause, never by sleeping."""

import os
import re
import signal
import subprocess

from tests.conftest import FIXTURE_MODEL_ENV, ROOT
from tests.living import CITEBOT, citebot, live_build
from tests.process_lines import StderrLines

SUMMIT = "the NATO summit to be held in Vilnius in July"
TUNNEL = ("The harbour tunnel under Tallinn Bay will open to traffic on 14 March 2027, the city's chief engineer "
          "Kalle Kask said on Friday.")


class Citebot:
    """A ``citebot`` process started with CITEBOT_PAUSE_AT=``stage``; its stderr lines collected as they come."""

    def __init__(self, stage: str, *args):
        env = dict(os.environ, HF_HUB_OFFLINE="1", CITEBOT_PAUSE_AT=stage, **FIXTURE_MODEL_ENV)
        self.process = subprocess.Popen([CITEBOT, *map(str, args)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.stderr = StderrLines(self.process, f"citebot {args[0]}")

    def go_on(self) -> None:
        """Let it go on from its pause."""
        self.process.send_signal(signal.SIGUSR1)

    def finish(self) -> tuple[int, str, list[str]]:
        """Its exit code, stdout and stderr lines, once it ended."""
        out = self.process.stdout.read()
        code = self.process.wait(300)
        self.stderr.join()
        return code, out, self.stderr.lines

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def paused(stage: str, *args) -> Citebot:
    """``citebot ARGS``, once it has paused at ``stage``."""
    process = Citebot(stage, *args)
    process.stderr.wait_for_line(f"citebot: paused at {stage}")
    return process


def test_an_ask_loading_the_index_while_another_process_switches_builds_answers_from_the_new_build(workspace):
    corpus, index = workspace
    first = live_build(index)
    ask = paused("loading", "ask", "--corpus", corpus, "--index", index, "where is the summit?")
    try:  # the ask has found the live build, and opened none of its files yet
        (corpus / "tunnel.txt").write_text(TUNNEL, encoding="utf-8")
        built = citebot("index", "--corpus", corpus, "--index", index)
        assert built.returncode == 0, built.stderr
        assert live_build(index) != first and not (index / first).exists()  # switched, and the old build removed
        ask.go_on()
        code, out, err = ask.finish()
    finally:
        ask.kill()
    assert (code, err) == (0, ["", "citebot: paused at loading"])
    assert SUMMIT in out
    assert sorted(p.name for p in (index / "builds").iterdir()) == [os.path.basename(live_build(index))]


def test_an_ask_that_waited_for_another_process_building_the_same_change_answers_without_building_it_again(
        workspace):
    corpus, index = workspace
    (corpus / "tunnel.txt").write_text(TUNNEL, encoding="utf-8")
    where = ("--corpus", corpus, "--index", index)
    first = paused("embedding", "ask", *where, "When will the harbour tunnel open?")  # building, holding the lock
    second = Citebot("embedding", "ask", *where, "When will the harbour tunnel open to traffic?")
    try:
        second.stderr.wait_for_line(f"another build of {index} is running: waiting for it to finish")
        first.go_on()
        assert first.finish()[0] == 0
        built = live_build(index)
        assert second.stderr.line_before_the_end("citebot: paused at embedding") is None  # it built nothing
        code, out, err = second.finish()
    finally:
        first.kill()
        second.kill()
    assert code == 0 and TUNNEL in out
    assert [re.sub(r"in [0-9.]+ s", "in _ s", line) for line in err] == [
        "citebot: the corpus changed: updating the index…",
        f"citebot: warning: another build of {index} is running: waiting for it to finish",
        "citebot: indexed 3 articles into 16 passages in _ s (0 passages embedded)",  # the other process embedded it
    ]
    assert live_build(index) == built and [p.name for p in (index / "builds").iterdir()] == [os.path.basename(built)]


def test_an_add_or_a_feed_update_with_another_model_than_the_index_is_refused_before_anything_is_added(workspace):
    # A bot serving the index's model refused the build such an add made and never saw an article again.
    from tests.living import files_under
    from tests.news_site import NewsSite

    corpus, index = workspace
    where = ("--corpus", corpus, "--index", index)
    before, build = files_under(corpus), live_build(index)
    refusal = (f"citebot: error: index at {index} was built with model 'all-MiniLM-L6-v2', not 'multilingual-e5-small'; "
               f"rebuild it with `citebot index --model multilingual-e5-small --corpus {corpus} --index {index}` or keep "
               "it with `--model all-MiniLM-L6-v2`\n")
    with NewsSite(published=("tunnel",)) as site:
        assert citebot("feeds", "add", site.url("/feed.xml"), *where).returncode == 0
        feeds = (index / "feeds.json").read_text(encoding="utf-8")
        added = citebot("add", "--model", "multilingual-e5-small", *where, site.article_url("tunnel"))
        updated = citebot("feeds", "update", "--model", "multilingual-e5-small", *where)
    for done in (added, updated):
        assert (done.returncode, done.stdout, done.stderr) == (1, "", refusal)
    assert files_under(corpus) == before and live_build(index) == build
    assert (index / "feeds.json").read_text(encoding="utf-8") == feeds  # its items are still to be taken


def test_a_rebuild_with_another_model_says_so_in_one_line_and_a_running_engine_keeps_answering_from_its_build(
        workspace, caplog):
    import logging

    from bot.answer import AnswerEngine
    from bot.live import LiveEngine
    from index.build import IndexBuilder, open_index
    from index.embedder import Embedder
    from index.search import Searcher

    corpus, index = workspace
    embedder = Embedder()  # all-MiniLM-L6-v2, the index's model: what the bot serving it holds
    engine = AnswerEngine(Searcher(open_index(IndexBuilder(corpus, index, embedder)), embedder))
    live = LiveEngine(index, lambda store: AnswerEngine(Searcher(store, embedder)), engine, model=embedder.model)
    first = live.engine.store.folder
    rebuilt = citebot("index", "--model", "multilingual-e5-small", "--corpus", corpus, "--index", index)
    assert (rebuilt.returncode, rebuilt.stderr) == (0, (
        "citebot: warning: not reusing the previous index: it was built with model 'all-MiniLM-L6-v2'; "
        "every passage is embedded again with 'multilingual-e5-small'\n"))
    with caplog.at_level(logging.WARNING, logger="citebot"):
        for _ in range(2):
            with live.using() as answering:
                assert answering.store.folder == first and SUMMIT in answering.ask("Where is the summit?").answer
    assert [r.getMessage() for r in caplog.records] == [
        f"keeping the previous index: index at {index.resolve() / live_build(index)} was built with model 'multilingual-e5-small', not "
        f"'all-MiniLM-L6-v2'; rebuild it with `citebot index --model all-MiniLM-L6-v2 --index {index.resolve()}` or "
        "keep it with "
        "`--model multilingual-e5-small`"]


def test_a_running_chats_refusal_of_a_rebuild_with_another_model_names_its_corpus_in_the_command(workspace, caplog):
    # A chat or bot run with --corpus (its engine moving to each new build) met a rebuild with another model and logged
    # `citebot index --model all-MiniLM-L6-v2 --index …`: run as written, "corpus folder not found: corpus"
    import logging

    from bot.cli import build_parser, open_engine

    corpus, index = workspace
    args = build_parser().parse_args(["chat", "--corpus", str(corpus), "--index", str(index),
                                      "--model", "all-MiniLM-L6-v2"])
    live = open_engine(args, announce=False, live=True)
    assert citebot("index", "--model", "multilingual-e5-small", "--corpus", corpus, "--index", index).returncode == 0
    with caplog.at_level(logging.WARNING, logger="citebot"):
        with live.using() as answering:
            assert SUMMIT in answering.ask("Where is the summit?").answer
    assert [r.getMessage() for r in caplog.records] == [
        f"keeping the previous index: index at {index.resolve() / live_build(index)} was built with model "
        f"'multilingual-e5-small', not 'all-MiniLM-L6-v2'; rebuild it with `citebot index --model all-MiniLM-L6-v2 "
        f"--corpus {corpus} --index {index.resolve()}` or keep it with `--model multilingual-e5-small`"]


def test_a_build_removes_what_a_killed_build_of_the_same_pid_left_as_a_container_runs_each_build_as_pid_1(
        workspace, embedder):
    from index.build import IndexBuilder

    corpus, index = workspace
    (corpus / "tunnel.txt").write_text(TUNNEL, encoding="utf-8")
    killed = paused("written", "index", "--corpus", corpus, "--index", index)  # its folder written, not yet named
    killed.kill()
    [left] = [p for p in (index / "builds").iterdir() if p.name.startswith("tmp-")]
    # The next build runs with the pid the killed one had: here, this process's.
    left.rename(left.with_name(f"tmp-{os.getpid()}-{left.name.split('-')[2]}"))
    report = IndexBuilder(corpus, index, embedder).build()
    assert report.articles == 3
    assert [p.name for p in (index / "builds").iterdir()] == [report.folder.name]


def test_the_running_bot_knows_a_story_another_process_appended_to_a_corpus_file_and_does_not_add_it_twice(
        workspace):
    import json

    from bot.answer import AnswerEngine
    from bot.live import LiveEngine
    from bot.telegram import TelegramBot
    from index.add import ArticleAdder
    from index.build import IndexBuilder, open_index
    from index.embedder import Embedder
    from index.fetch import Fetcher
    from index.search import Searcher
    from index.update import CorpusUpdater
    from tests.fake_bot_api import BotThread, FakeBotApi
    from tests.living import files_under
    from tests.news_site import STORIES, NewsSite

    token, admin = "987654321:AAH-fake_Token_for-citebot_tests_0123", 501
    corpus, index = workspace
    wire = corpus / "wire.jsonl"
    wire.write_text(json.dumps({"id": "grain", "text": "The grain deal was extended for sixty days. Ships left Odesa "
                                                       "for Istanbul on Monday morning."}) + "\n", encoding="utf-8")
    embedder = Embedder()
    live = LiveEngine(index, lambda store: AnswerEngine(Searcher(store, embedder)),
                      AnswerEngine(Searcher(open_index(IndexBuilder(corpus, index, embedder)), embedder)),
                      model=embedder.model)
    updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))
    with NewsSite(published=("orchestra",)) as site, FakeBotApi(token) as api:
        bot = TelegramBot(live, token, api_url=api.url, rate_limit=1000, poll_timeout=1, admins=frozenset({admin}),
                          updater=updater)
        with BotThread(bot, api):
            api.user_says(admin, f"/add {site.article_url('tunnel')}")  # the bot has read the corpus once
            assert api.wait_for_messages(admin, 1)[0].plain == \
                "Added: Tallinn harbour tunnel to open in March (1 passage)"
            orchestra = STORIES["orchestra"]
            with wire.open("a", encoding="utf-8") as rows:  # another process's pipeline appends the same story
                rows.write(json.dumps({"id": "conductor", "title": orchestra.title, "url": site.article_url("orchestra"),
                                       "text": "\n\n".join(orchestra.paragraphs)}) + "\n")
            before = files_under(corpus)
            api.user_says(admin, f"/add {site.article_url('orchestra')}")
            assert api.wait_for_messages(admin, 2)[1].plain == \
                "Already there: City orchestra names its new conductor (wire.jsonl#conductor)"
    assert files_under(corpus) == before
