"""Two real `citebot telegram` processes behind one webhook URL share one PostgreSQL index and its chats."""

import itertools
import json
import os
import socket
import subprocess
import urllib.request

import pytest

pytest.importorskip("psycopg", reason="PostgreSQL tests need the postgres extra: pip install -e '.[test,postgres]'")

from bot.answer import AnswerEngine
from bot.conversation import Conversation
from bot.telegram import answer_blocks, pack
from index.embedder import Embedder
from index.pg_store import PgStore
from index.search import Searcher
from tests.conftest import FIXTURE_MODEL_ENV, ROOT
from tests.fake_bot_api import FakeBotApi, parse_html
from tests.living import CITEBOT
from tests.process_lines import StderrLines

TOKEN = "987654321:AAH-fake_Token_for-citebot_tests_0123"
SECRET = "replicas-Secret_token"
HOOK = "https://bot.example.org/citebot/hook"
NEW_ARTICLE = ("date 2023-05-02\nThe summit closes with a statement.\n\nLeaders agreed on a new fund for air defence "
               "called Skyshield. The fund starts in June.")
FUND_Q = "What is the new air defence fund called?"
updates = itertools.count(5001)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Replica:
    """`citebot telegram` in webhook mode on its own port, reading the index from ``uri``; stderr collected."""

    def __init__(self, api: FakeBotApi, uri: str, home, name: str):
        self.port = _free_port()
        env = dict(os.environ, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_WEBHOOK_SECRET=SECRET, HF_HUB_OFFLINE="1",
                   CITEBOT_CACHE=str(home / "cache"), **FIXTURE_MODEL_ENV)  # each replica copies the embedder out of the database itself
        self.process = subprocess.Popen(
            [CITEBOT, "telegram", "--api-url", api.url, "--webhook-url", HOOK, "--listen", f"127.0.0.1:{self.port}",
             "--store", uri, "--corpus", str(home / "no-corpus"), "--index", str(home / "index")],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.name = name
        self.stderr = StderrLines(self.process, name)
        self.lines = self.stderr.lines

    def wait_for_line(self, text: str, timeout: float = 300) -> None:
        self.stderr.wait_for_line(text, timeout)

    def post(self, api: FakeBotApi, chat: int, text: str) -> None:
        """What the load balancer in front does: hand Telegram's update to this replica."""
        update = {"update_id": next(updates), "message": api.message(chat, text=text)}
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/citebot/hook", data=json.dumps(update).encode(),
                                         headers={"Content-Type": "application/json",
                                                  "X-Telegram-Bot-Api-Secret-Token": SECRET}, method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _engine(uri: str) -> AnswerEngine:
    """An engine as a replica builds one: the database's index and the ONNX embedder it carries."""
    store = PgStore.open(uri)
    embedder = Embedder()
    embedder.use_onnx(store.folder)
    return AnswerEngine(Searcher(store, embedder))


def test_two_replicas_behind_one_webhook_share_a_conversation_and_both_answer_from_a_new_build(
        pg_built, corpus, tmp_path):
    reference = _engine(pg_built.uri)
    alone = Conversation(reference)  # the same turns in one process, its topic kept in memory
    first = pack(answer_blocks(alone.ask("Where is the summit?")))
    follow_up = pack(answer_blocks(alone.ask("And when is it?")))
    assert follow_up != pack(answer_blocks(reference.ask("And when is it?")))  # the context changes the answer
    with FakeBotApi(TOKEN) as api:
        replicas = [Replica(api, pg_built.uri, tmp_path / name, name) for name in ("replica-1", "replica-2")]
        try:
            for replica in replicas:
                replica.wait_for_line("answering as @citebot_test_bot over 2 articles by webhook")
            one, two = replicas
            chat, other = 42, 43
            one.post(api, chat, "Where is the summit?")
            assert [m.text for m in api.wait_for_messages(chat, 1)] == first
            two.post(api, chat, "And when is it?")  # the follow-up lands on the other replica
            assert [m.text for m in api.wait_for_messages(chat, 2)[1:]] == follow_up

            two.post(api, other, FUND_Q)
            before = api.wait_for_messages(other, 1)[0].text
            (corpus / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
            assert pg_built.build().articles == 3  # committed: both replicas see it from their next question on
            one.post(api, chat, FUND_Q)
            two.post(api, other, FUND_Q)
            after_one = api.wait_for_messages(chat, 3)[2].text
            after_two = api.wait_for_messages(other, 2)[1].text
        finally:
            for replica in replicas:
                replica.stop()
    assert "Skyshield" not in before
    now = Conversation(_engine(pg_built.uri))
    now.ask("Where is the summit?")
    now.ask("And when is it?")
    assert [after_one] == pack(answer_blocks(now.ask(FUND_Q)))
    assert [after_two] == pack(answer_blocks(_engine(pg_built.uri).ask(FUND_Q)))
    assert "Leaders agreed on a new fund for air defence called Skyshield." in parse_html(after_two)
    assert api.rejected == []
