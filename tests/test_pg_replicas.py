"""Two real `citebot telegram` processes behind one webhook URL share one PostgreSQL index and its chats."""

import itertools
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import urllib.request

import pytest

psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need the postgres extra: pip install -e '.[test,postgres]'")

from bot.answer import AnswerEngine
from bot.conversation import Conversation
from bot.render import source_html
from bot.telegram import TelegramBot, answer_blocks, pack
from index.embedder import Embedder
from index.pg_store import KEPT_CHATS, ChatStates, PgStore, ensure_schema
from index.search import Searcher
from tests.conftest import FIXTURE_MODEL_ENV, ROOT
from tests.fake_bot_api import BotThread, FakeBotApi, parse_html
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
    """`citebot telegram` in webhook mode on its own port (``webhook`` False: long polling), reading the index from
    ``uri``; stderr collected."""

    def __init__(self, api: FakeBotApi, uri: str, home, name: str, token: str = TOKEN, webhook: bool = True):
        self.port = _free_port()
        env = dict(os.environ, TELEGRAM_BOT_TOKEN=token, TELEGRAM_WEBHOOK_SECRET=SECRET, HF_HUB_OFFLINE="1",
                   CITEBOT_CACHE=str(home / "cache"), **FIXTURE_MODEL_ENV)  # each replica copies the embedder out of the database itself
        serving = ["--webhook-url", HOOK, "--listen", f"127.0.0.1:{self.port}"] if webhook else []
        self.process = subprocess.Popen(
            [CITEBOT, "telegram", "--api-url", api.url, *serving,
             "--store", uri, "--corpus", str(home / "no-corpus"), "--index", str(home / "index")],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.name = name
        self.stderr = StderrLines(self.process, name)
        self.lines = self.stderr.lines

    def wait_for_line(self, text: str, timeout: float = 300) -> str:
        return self.stderr.wait_for_line(text, timeout)

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


def test_a_comment_to_a_comment_routed_to_the_replica_that_heard_neither_the_post_nor_the_comment_is_read_with_the_post(
        pg_built):
    """The channel's posts a discussion group's comments are read with were each replica's own (its chats file): a
    reply to a comment under a post, routed to the other replica, was read with its writer's own last question in the
    group, here none ("follows on from an earlier question, and there is none")."""
    post_text = "NATO summit in Vilnius: leaders gather to discuss Ukraine's membership bid."
    under_the_post, alone = Conversation(_engine(pg_built.uri)), Conversation(_engine(pg_built.uri))
    under_the_post.topic = post_text  # what one process makes of it: a comment is read with the post as its topic
    with_post = pack(answer_blocks(under_the_post.ask("where is it held?")))
    assert with_post != pack(answer_blocks(alone.ask("where is it held?")))
    bot, group = "@citebot_test_bot", -1001234
    # each replica its own Bot API: the load balancer hands it only the updates routed to it
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(_engine(pg_built.uri), TOKEN, api_url=api.url,
                                                         poll_timeout=1), api):
        post = api.channel_posts(group, text=post_text)
        first = api.comment(post, f"{bot} when is it?", user_id=12)
        api.wait_for_messages(group, 1)
    with FakeBotApi(TOKEN) as other, BotThread(TelegramBot(_engine(pg_built.uri), TOKEN, api_url=other.url,
                                                           poll_timeout=1), other):
        other.comment(post, f"{bot} where is it held?", user_id=14, reply_to=first)
        reply = [m.text for m in other.wait_for_messages(group, 1)]
    assert reply == with_post
    assert api.rejected == other.rejected == []


def test_a_comment_to_a_comment_on_a_replica_that_knew_the_post_before_the_channel_edited_it_elsewhere_reads_it_edited(
        pg_built):
    """The channel's edit heard by one replica, a comment to a comment routed to the other, which had heard the post
    before: read with the post as that replica last heard it, not as it reads now (its own copy was never checked)."""
    before, edited = "Kyiv visit: NATO's chief honours fallen soldiers.", \
        "NATO summit in Vilnius: leaders gather to discuss Ukraine's membership bid."
    as_edited, as_before = Conversation(_engine(pg_built.uri)), Conversation(_engine(pg_built.uri))
    as_edited.topic, as_before.topic = edited, before
    with_edited = pack(answer_blocks(as_edited.ask("where is it held?")))
    assert with_edited != pack(answer_blocks(as_before.ask("where is it held?")))
    bot, group = "@citebot_test_bot", -1001235
    chats = ChatStates(PgStore.open(pg_built.uri))
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(_engine(pg_built.uri), TOKEN, api_url=api.url,
                                                         poll_timeout=1), api), \
            FakeBotApi(TOKEN) as other, BotThread(TelegramBot(_engine(pg_built.uri), TOKEN, api_url=other.url,
                                                              poll_timeout=1), other):
        post = api.channel_posts(group, text=before)
        first = other.comment(post, f"{bot} when is it?", user_id=12)  # the other replica hears of the post
        other.wait_for_messages(group, 1)
        api.user_edits(post, text=edited)  # the channel's edit, heard by the first
        thread = f"telegram:{TOKEN.partition(':')[0]}:{group}"
        api.wait_until(lambda _: chats.post(thread, post["message_id"]) == (edited, None))
        other.comment(post, f"{bot} where is it held?", user_id=14, reply_to=first)
        reply = [m.text for m in other.wait_for_messages(group, 2)[1:]]
    assert reply == with_edited
    assert api.rejected == other.rejected == []


def test_a_channel_edit_heard_while_the_database_was_away_is_not_undone_by_the_next_comment_to_a_comment(
        corpus, embedder, tmp_path):
    """The edit, heard while the database was away, was noted here but not shared; once it was back, a comment to a
    comment read the shared row (the post as it was before the edit) and noted it over the edit heard here."""
    from index.pg_build import PgIndexBuilder
    from tests.pg_server import PgServer

    before, edited = "Kyiv visit: NATO's chief honours fallen soldiers.", \
        "NATO summit in Vilnius: leaders gather to discuss Ukraine's membership bid."
    bot, group = "@citebot_test_bot", -1001236
    with PgServer() as server:  # its own server, stopped under the running bot
        uri = server.create_database("citebot")
        builder = PgIndexBuilder(corpus, uri, embedder)
        builder.build()
        builder.close()
        as_edited, as_before = Conversation(_engine(uri)), Conversation(_engine(uri))
        as_edited.topic, as_before.topic = edited, before
        with_edited = pack(answer_blocks(as_edited.ask("where is it held?")))
        assert with_edited != pack(answer_blocks(as_before.ask("where is it held?")))
        with FakeBotApi(TOKEN) as api:
            telegram = TelegramBot(_engine(uri), TOKEN, api_url=api.url, poll_timeout=1)
            with BotThread(telegram, api):
                post = api.channel_posts(group, text=before)
                first = api.comment(post, "when is it?", user_id=12)  # to a colleague (an edit while the database
                # is away fails carrying the bot's readers over: "Sorry, something went wrong" under the post)

                def noted(text):
                    return lambda _: group in telegram.chats and getattr(
                        telegram.chats[group].posts.get(post["message_id"]), "lead", None) == text

                api.wait_until(noted(before))
                server.pause()
                try:
                    api.user_edits(post, text=edited)  # heard here, not shared: the database is away
                    api.wait_until(noted(edited))
                finally:
                    server.resume()
                api.comment(post, f"{bot} where is it held?", user_id=14, reply_to=first)
                reply = [m.text for m in api.wait_for_messages(group, 1)]
    assert reply == with_edited


def test_a_channel_edit_heard_while_the_database_is_away_gets_no_apology_and_its_readers_go_on_with_it_once_back(
        corpus, embedder, tmp_path):
    """The channel's edit of a post whose thread had a reader of the bot, heard while the database was away: carrying
    that reader's conversation over to the post as edited read its topic from the database, which failed, and the group
    got "Sorry, something went wrong while answering that." under the post (no one had asked anything); the reader's
    next comment was then read with the post as it was."""
    from index.pg_build import PgIndexBuilder
    from tests.pg_server import PgServer

    before, edited = "Kyiv visit: NATO's chief honours fallen soldiers.", \
        "NATO summit in Vilnius: leaders gather to discuss Ukraine's membership bid."
    bot, group = "@citebot_test_bot", -1001237
    with PgServer() as server:  # its own server, stopped under the running bot
        uri = server.create_database("citebot")
        builder = PgIndexBuilder(corpus, uri, embedder)
        builder.build()
        builder.close()
        as_edited, as_before = Conversation(_engine(uri)), Conversation(_engine(uri))
        as_edited.topic, as_before.topic = edited, before
        with_edited = pack(answer_blocks(as_edited.ask("where is it held?")))
        assert with_edited != pack(answer_blocks(as_before.ask("where is it held?")))
        with FakeBotApi(TOKEN) as api:
            telegram = TelegramBot(_engine(uri), TOKEN, api_url=api.url, poll_timeout=1)
            with BotThread(telegram, api):
                post = api.channel_posts(group, text=before)
                first = api.comment(post, f"{bot} when is it?", user_id=12)
                api.wait_for_messages(group, 1)
                said = threading.Event()  # the bot's word on the edit it could not carry over (a log line)
                handler = logging.Handler(logging.WARNING)
                handler.emit = lambda record: record.name == "citebot.telegram" and said.set()
                logging.getLogger("citebot.telegram").addHandler(handler)
                server.pause()
                try:
                    api.user_edits(post, text=edited)
                    assert said.wait(60)
                finally:
                    server.resume()
                    logging.getLogger("citebot.telegram").removeHandler(handler)
                api.comment(post, f"{bot} where is it held?", user_id=12, reply_to=first)
                api.wait_for_messages(group, 2)
        sent = [m.text for m in api.messages(group)]
    assert sent[1:] == with_edited


def test_more_sources_pressed_on_the_replica_that_did_not_answer_shows_the_next_passage_once(pg_built):
    """The sources behind an answer's "More sources" button were the answering replica's own (its chats file): a press
    routed to the other replica got "Those sources have expired; ask the question again."."""
    sources = _engine(pg_built.uri).ask("Where is the summit?").sources
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(_engine(pg_built.uri), TOKEN, api_url=api.url,
                                                         poll_timeout=1), api):
        api.user_says(42, "Where is the summit?")
        first = api.wait_for_messages(42, 1)[0]
    [button] = first.buttons
    assert button["text"] == f"More sources ({len(sources) - 1})"
    with FakeBotApi(TOKEN) as other, BotThread(TelegramBot(_engine(pg_built.uri), TOKEN, api_url=other.url,
                                                           poll_timeout=1), other):
        other.user_clicks(first, button["callback_data"])
        second = other.wait_for_messages(42, 1)[0]
        other.wait_for_call("answerCallbackQuery")
        other.user_clicks(first, button["callback_data"])  # the same button again: its passage was shown
        other.wait_until(lambda a: len(a.calls("answerCallbackQuery")) == 2)
    assert second.text == source_html(sources[1])
    assert [b["text"] for b in second.buttons] == [f"More sources ({len(sources) - 2})"]
    assert [c.get("text") for c in other.calls("answerCallbackQuery")] == \
        [None, "Those sources have expired; ask the question again."]
    assert api.rejected == []  # (the other Bot API never sent the answer: its button is not taken off there)


def test_a_double_tap_on_more_sources_whose_second_press_lands_on_the_replica_that_answered_shows_the_passage_once(
        pg_built):
    """The first press routed to the other replica, which showed the next passage; the second to the one that sent the
    answer, which still had its own copy of the sources and showed that passage a second time."""
    sources = _engine(pg_built.uri).ask("Where is the summit?").sources
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(_engine(pg_built.uri), TOKEN, api_url=api.url,
                                                         poll_timeout=1), api), \
            FakeBotApi(TOKEN) as other, BotThread(TelegramBot(_engine(pg_built.uri), TOKEN, api_url=other.url,
                                                              poll_timeout=1), other):
        api.user_says(42, "Where is the summit?")
        first = api.wait_for_messages(42, 1)[0]
        [button] = first.buttons
        other.user_clicks(first, button["callback_data"])
        shown = other.wait_for_messages(42, 1)[0]
        other.wait_for_call("answerCallbackQuery")
        api.user_clicks(first, button["callback_data"])  # the second tap, on the replica that answered
        api.wait_for_call("answerCallbackQuery")
        sent_there = [m.text for m in api.messages(42)]
    assert shown.text == source_html(sources[1])
    assert sent_there == [first.text]
    assert [c.get("text") for c in api.calls("answerCallbackQuery")] == \
        ["Those sources have expired; ask the question again."]


def test_more_sources_pressed_over_a_damaged_or_empty_shared_button_is_told_the_sources_expired_not_an_apology(
        pg_built):
    """A button's row with no sources (damage, another version's format) was taken as a button to show: the press got
    "Sorry, something went wrong while answering that." and the log a traceback (IndexError), its button taken off."""
    bot_id = TOKEN.partition(":")[0]
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        for key, state in (("empty", '{"more": [[], "en"]}'), ("junk", '{"more": "ab"}'),
                           ("partial", '{"more": [[{"doc": "a1"}], "en"]}')):
            conn.execute("INSERT INTO citebot_chats (chat, state) VALUES (%s, %s)", (f"telegram:{bot_id}:42:more:{key}",
                                                                                      state))
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(_engine(pg_built.uri), TOKEN, api_url=api.url,
                                                         poll_timeout=1), api):
        api.user_says(42, "Where is the summit?")
        answer = api.wait_for_messages(42, 1)[0]
        for n, key in enumerate(("empty", "junk", "partial"), start=1):
            api.user_clicks(answer, f"more:{key}")
            api.wait_until(lambda a, n=n: len(a.calls("answerCallbackQuery")) == n)
    assert [c.get("text") for c in api.calls("answerCallbackQuery")] == \
        ["Those sources have expired; ask the question again."] * 3
    assert api.calls("editMessageReplyMarkup") == []
    assert len(api.messages(42)) == 1


def test_the_buttons_and_posts_replicas_share_are_bounded_apart_and_push_out_no_conversation(pg_built):
    """Each answer's button a row among the chats kept: a busy bot's buttons, mostly never pressed, pushed the
    conversations of the chats idle meanwhile out of the table (a follow-up there then read alone)."""
    chats = ChatStates(PgStore.open(pg_built.uri), kept=2)
    chats.set("telegram:1:41", "Where is the summit?")
    chats.set("telegram:1:42", "Who visited Kyiv?")
    for key in ("k1", "k2", "k3"):  # three answers' buttons in chat 43
        chats.keep_more("telegram:1:43", key, [[], "en"])
    for thread in (7, 8, 9):
        chats.note_post("telegram:1:-1005", thread, f"Post {thread}.", None)
    assert [chats.get("telegram:1:41"), chats.get("telegram:1:42")] == ["Where is the summit?", "Who visited Kyiv?"]
    assert [chats.take_more("telegram:1:43", key) for key in ("k1", "k2", "k3")] == [None, [[], "en"], [[], "en"]]
    assert [chats.post("telegram:1:-1005", thread) for thread in (7, 8, 9)] == [None, ("Post 8.", None),
                                                                                ("Post 9.", None)]
    chats.set("telegram:1:44", "When is it?")  # a third conversation: the one heard from longest ago goes
    assert [chats.get(f"telegram:1:{chat}") for chat in (41, 42, 44)] == [None, "Who visited Kyiv?", "When is it?"]


def test_a_new_conversation_post_or_button_forgets_the_oldest_of_its_kind_through_an_index_not_every_row_s_state(
        pg_built):
    """Each new chat, post and answer's button ran a DELETE that read every row's state to tell its kind (a sequential
    scan of the 30,000 rows of the three caps, the buttons' sources detoasted: ~35,000 buffers, 30-45 ms an answer);
    a table from before the posts and buttons were kept gets the indexes at the next build (ensure_schema)."""
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        for kind in ("topic", "post", "more"):  # the table as a bot from before these rows left it
            conn.execute(f"DROP INDEX IF EXISTS citebot_chats_{kind}_by_update")
        ensure_schema(conn)  # what the next `citebot index` does
        for kind, state in (("topic", "jsonb_build_object('topic', repeat('q', 80))"),
                            ("post", "jsonb_build_object('post', jsonb_build_array(repeat('p', 200), NULL))"),
                            ("more", "jsonb_build_object('more', jsonb_build_array(jsonb_build_array("
                                     "jsonb_build_object('passage', repeat(md5(i::text), 40))), 'en'))")):
            conn.execute(f"INSERT INTO citebot_chats (chat, state, updated_at) SELECT 'telegram:1:' || i || ':{kind}', "
                         f"{state}, now() - i * interval '1 second' FROM generate_series(1, %s) i", (KEPT_CHATS + 1,))
        conn.execute("VACUUM ANALYZE citebot_chats")  # as autovacuum leaves it
        plans = {kind: "\n".join(row[0] for row in conn.execute("EXPLAIN " + ChatStates.forgetting(kind),
                                                                  (KEPT_CHATS,)))
                 for kind in ("topic", "post", "more")}
    for kind, plan in plans.items():
        assert "Seq Scan" not in plan, plan
        assert f"Index Only Scan Backward using citebot_chats_{kind}_by_update" in plan, plan
    chats = ChatStates(PgStore.open(pg_built.uri))
    chats.keep_more("telegram:1:43", "k1", [[], "en"])  # one more button: the two oldest go
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        counts = dict(conn.execute("SELECT k, count(*) FROM citebot_chats, jsonb_object_keys(state) k GROUP BY k"))
    assert counts == {"topic": KEPT_CHATS + 1, "post": KEPT_CHATS + 1, "more": KEPT_CHATS}


def test_two_bots_over_one_database_keep_their_own_topic_of_one_chat_and_the_first_takes_over_one_from_before(
        pg_built, tmp_path):
    """A user's private chat has the user's id with every bot: keyed by chat id alone, one bot's follow-up was read
    with the question the user had asked the other."""
    alone = Conversation(_engine(pg_built.uri))
    alone.ask("Where is the summit?")
    follow_up = pack(answer_blocks(alone.ask("And when is it?")))
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:  # what a bot saved before chats were kept per bot
        conn.execute("""INSERT INTO citebot_chats (chat, state) VALUES ('telegram:42', '{"topic": "Where is the summit?"}')""")
    other_token = "123123123:AAH-other_Token_for-citebot_tests_0456"
    with FakeBotApi(TOKEN) as api, FakeBotApi(other_token) as other_api:
        first = Replica(api, pg_built.uri, tmp_path / "first", "the first bot", webhook=False)
        try:
            first.wait_for_line("answering as @citebot_test_bot over 2 articles by long polling")
            second = Replica(other_api, pg_built.uri, tmp_path / "second", "the second bot", token=other_token,
                             webhook=False)
            try:
                second.wait_for_line("answering as @citebot_test_bot over 2 articles by long polling")
                other_api.user_says(42, "Who visited Bucha?")  # the same user asks the second bot another question
                other_api.wait_for_messages(42, 1)
                api.user_says(42, "And when is it?")
                answer = [m.text for m in api.wait_for_messages(42, 1)]
            finally:
                second.stop()
        finally:
            first.stop()
    assert answer == follow_up
    assert "took over 1 conversations saved before they were kept per bot" in "\n".join(first.lines)
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        rows = conn.execute("SELECT chat, state->>'topic' FROM citebot_chats WHERE state ? 'topic' "  # not a post or a button
                            "ORDER BY chat").fetchall()
    assert rows == [("telegram:123123123:42", "Who visited Bucha?"), ("telegram:987654321:42", "Where is the summit?")]


def test_a_bot_over_a_read_only_role_answers_a_question_and_its_follow_up_and_says_once_that_chats_are_not_kept(
        pg_built, tmp_path):
    """A role set read-only (as every session on a hot standby is): the answer was computed, then thrown away for the
    refused write of the chat's topic, and the user got 'Sorry, something went wrong' to every question."""
    alone = Conversation(_engine(pg_built.uri))
    first = pack(answer_blocks(alone.ask("Where is the summit?")))
    follow_up = pack(answer_blocks(alone.ask("And when is it?")))
    with psycopg.connect(pg_built.uri, autocommit=True) as conn:
        conn.execute("CREATE ROLE standby_reader LOGIN")
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO standby_reader")
        conn.execute("ALTER ROLE standby_reader SET default_transaction_read_only = on")
    uri = pg_built.uri.replace("//citebot@", "//standby_reader@")
    with FakeBotApi(TOKEN) as api:
        bot = Replica(api, uri, tmp_path / "reader", "the bot over a read-only role", webhook=False)
        try:
            bot.wait_for_line("answering as @citebot_test_bot over 2 articles by long polling")
            api.user_says(42, "Where is the summit?")
            api.wait_for_messages(42, 1)
            api.user_says(42, "And when is it?")
            api.user_says(43, "Where is the summit?")
            answers = [m.text for m in api.wait_for_messages(42, 2)]
            api.wait_for_messages(43, 1)
        finally:
            bot.stop()
            bot.stderr.join()
    assert answers == first + follow_up
    said = [line.partition(" citebot: ")[2] for line in bot.lines if "conversations" in line]
    assert said == [f"conversations are not kept across restarts nor shared with other replicas: {uri} refuses writes "
                    "to citebot_chats (a read-only role or a standby: cannot execute UPDATE in a read-only "
                    "transaction); each chat's topic is kept in this process's memory"]
    assert api.rejected == []


def test_a_bot_whose_database_restarts_says_why_in_one_log_line_and_answers_again_once_it_is_back(
        corpus, embedder, tmp_path):
    from index.pg_build import PgIndexBuilder
    from tests.pg_server import PgServer

    with PgServer() as server:  # its own server, restarted under the running bot
        uri = server.create_database("citebot")
        builder = PgIndexBuilder(corpus, uri, embedder)
        builder.build()
        builder.close()
        expected = pack(answer_blocks(_engine(uri).ask("Who visited Bucha?")))
        with FakeBotApi(TOKEN) as api:
            bot = Replica(api, uri, tmp_path / "bot", "the bot", webhook=False)
            try:
                bot.wait_for_line("answering as @citebot_test_bot over 2 articles by long polling")
                server.pause()
                api.user_says(42, "Who visited Bucha?")
                down = [m.text for m in api.wait_for_messages(42, 1)]
                failed = bot.wait_for_line(" failed: ")
                server.resume()
                api.user_says(42, "Who visited Bucha?")
                back = [m.text for m in api.wait_for_messages(42, 2)[1:]]
            finally:
                bot.stop()
    assert down == ["Sorry, something went wrong while answering that. Please try again."]
    assert failed.endswith(f"citebot ERROR citebot.telegram: update 1 failed: cannot connect to {uri}: connection "
                           f"failed: connection to server at \"127.0.0.1\", port {server.port} failed: Connection refused; "
                           "check the host and port in the address, and that PostgreSQL runs there and takes "
                           "connections from this machine (listen_addresses)")
    assert back == expected
    assert [line for line in bot.lines if "ERROR" in line or "Traceback" in line] == [failed]


def test_more_sources_pressed_while_the_database_is_away_keeps_its_button_and_shows_the_passage_once_it_is_back(
        corpus, embedder, tmp_path):
    """A press on the replica that sent the answer, the database away meanwhile: the button was taken off before the
    passage was read again in the build (which failed), so after the apology nothing was left to press."""
    from index.pg_build import PgIndexBuilder
    from tests.pg_server import PgServer

    with PgServer() as server:  # its own server, stopped under the running bot
        uri = server.create_database("citebot")
        builder = PgIndexBuilder(corpus, uri, embedder)
        builder.build()
        builder.close()
        sources = _engine(uri).ask("Where is the summit?").sources
        with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(_engine(uri), TOKEN, api_url=api.url, poll_timeout=1),
                                                 api):
            api.user_says(42, "Where is the summit?")
            answer = api.wait_for_messages(42, 1)[0]
            [button] = answer.buttons
            server.pause()
            try:
                api.user_clicks(answer, button["callback_data"])
                api.wait_for_call("answerCallbackQuery")
                edits_while_away = api.calls("editMessageReplyMarkup")
            finally:
                server.resume()
            api.user_clicks(answer, button["callback_data"])
            passage = api.wait_for_messages(42, 2)[1]
            api.wait_until(lambda a: len(a.calls("answerCallbackQuery")) == 2)
    assert edits_while_away == []
    assert [c.get("text") for c in api.calls("answerCallbackQuery")] == \
        ["Sorry, something went wrong while answering that. Please try again.", None]
    assert passage.text == source_html(sources[1])


def test_more_sources_whose_database_went_away_after_the_press_took_the_button_shows_the_passage_once_it_is_back(
        corpus, embedder, tmp_path):
    """The press took the shared button (since 41d3f0e, on the replica that answered too), then the database went away
    while the passage was read again: the apology came, and the sources could not be put back in the shared row, whose
    taken mark then made every press, here too, "Those sources have expired", the passage never shown."""
    from index.pg_build import PgIndexBuilder
    from tests.pg_server import PgServer

    with PgServer() as server:  # its own server, stopped under the running bot
        uri = server.create_database("citebot")
        builder = PgIndexBuilder(corpus, uri, embedder)
        builder.build()
        builder.close()
        sources = _engine(uri).ask("Where is the summit?").sources
        with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(_engine(uri), TOKEN, api_url=api.url, poll_timeout=1),
                                                 api):
            api.user_says(42, "Where is the summit?")
            answer = api.wait_for_messages(42, 1)[0]
            [button] = answer.buttons
            holding = psycopg.connect(uri, autocommit=True)
            holding.execute("BEGIN")
            holding.execute("LOCK TABLE citebot_live IN ACCESS EXCLUSIVE MODE")  # the passage's read waits on it
            try:
                with psycopg.connect(uri, autocommit=True) as watching:
                    api.user_clicks(answer, button["callback_data"])
                    api.wait_until(lambda _: watching.execute(  # the button taken, the read waiting
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").fetchone()[0] == 1)
                server.pause()
                try:
                    api.wait_for_call("answerCallbackQuery")
                finally:
                    server.resume()
            finally:
                holding.close()
            api.user_clicks(answer, button["callback_data"])
            api.wait_until(lambda a: len(a.calls("answerCallbackQuery")) == 2)
            sent = [m.text for m in api.messages(42)]
    assert [c.get("text") for c in api.calls("answerCallbackQuery")] == \
        ["Sorry, something went wrong while answering that. Please try again.", None]
    assert sent == [answer.text, source_html(sources[1])]


def test_an_admin_s_article_added_after_the_server_ended_the_bot_s_connections_is_indexed_not_an_apology(
        pg_built, corpus, tmp_path):
    env = dict(os.environ, TELEGRAM_BOT_TOKEN=TOKEN, CITEBOT_ADMINS="42", HF_HUB_OFFLINE="1",
               CITEBOT_CACHE=str(tmp_path / "cache"), **FIXTURE_MODEL_ENV)
    with FakeBotApi(TOKEN) as api:
        process = subprocess.Popen([CITEBOT, "telegram", "--api-url", api.url, "--store", pg_built.uri, "--corpus",
                                    str(corpus), "--index", str(tmp_path / "index")],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        bot = StderrLines(process, "the bot")
        try:
            bot.wait_for_line("answering as @citebot_test_bot over 2 articles by long polling")
            api.user_sends_document(42, "rain.txt", b"Rain in Vilnius\n\nIt rained in Vilnius on the first day.")
            first = api.wait_for_messages(42, 1)[0].text  # the bot's builder now holds a connection
            with psycopg.connect(pg_built.uri, autocommit=True) as conn:  # what a restart of the server does to them
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            api.user_sends_document(42, "fund.txt", NEW_ARTICLE.encode())
            added = api.wait_for_messages(42, 2)[1].text
            api.user_says(42, FUND_Q)
            answer = parse_html(api.wait_for_messages(42, 3)[2].text)
        finally:
            process.terminate()
            process.wait(60)
    assert first == "Added: Rain in Vilnius (1 passage)"
    assert added == "Added: The summit closes with a statement. (1 passage)"
    assert "Leaders agreed on a new fund for air defence called Skyshield." in answer


def _examples(help_text: str) -> list[str]:
    return [line[2:] for line in parse_html(help_text).splitlines() if line.startswith("• ")]


def test_help_offers_examples_from_the_build_the_bot_moved_to_not_names_the_corpus_no_longer_has(
        pg_built, corpus, tmp_path):
    with FakeBotApi(TOKEN) as api:
        bot = Replica(api, pg_built.uri, tmp_path / "bot", "the bot", webhook=False)
        try:
            bot.wait_for_line("answering as @citebot_test_bot over 2 articles by long polling")
            api.user_says(42, "/help")
            before = _examples(api.wait_for_messages(42, 1)[0].text)
            for article in corpus.iterdir():
                article.unlink()
            (corpus / "fund.txt").write_text(
                "date 2023-05-02\nThe summit closes with a statement.\n\nLeaders agreed on a new fund for air defence "
                "called Skyshield. Maria Lopez of the Defence Council said the fund starts in June. Maria Lopez chairs "
                "it.", encoding="utf-8")
            assert pg_built.build().articles == 1
            api.user_says(42, "Who visited Bucha?")  # the bot moves to the new build
            api.wait_for_messages(42, 2)
            api.user_says(42, "/help")
            after = parse_html(api.wait_for_messages(42, 3)[2].text)
        finally:
            bot.stop()
    assert before == ["What do the articles say about North Atlantic Alliance?",
                      "What do the articles say about Ukrainian President Volodymyr Zelensky?"]
    assert after.startswith("I answer questions about 1 article, dated 2023-05-02,")
    assert _examples(after) == ["What do the articles say about Maria Lopez?"]


def test_an_article_an_admin_sends_again_once_the_database_is_back_is_indexed_though_it_was_already_stored(
        corpus, embedder, tmp_path):
    from index.pg_build import PgIndexBuilder
    from tests.pg_server import PgServer

    env = dict(os.environ, TELEGRAM_BOT_TOKEN=TOKEN, CITEBOT_ADMINS="42", HF_HUB_OFFLINE="1",
               CITEBOT_CACHE=str(tmp_path / "cache"), **FIXTURE_MODEL_ENV)
    with PgServer() as server, FakeBotApi(TOKEN) as api:
        uri = server.create_database("citebot")
        builder = PgIndexBuilder(corpus, uri, embedder)
        builder.build()
        builder.close()
        process = subprocess.Popen([CITEBOT, "telegram", "--api-url", api.url, "--store", uri, "--corpus",
                                    str(corpus), "--index", str(tmp_path / "index")],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        bot = StderrLines(process, "the bot")
        try:
            bot.wait_for_line("answering as @citebot_test_bot over 2 articles by long polling")
            server.pause()
            api.user_sends_document(42, "fund.txt", NEW_ARTICLE.encode())  # stored in the corpus, not indexed
            refused = api.wait_for_messages(42, 1)[0].text
            server.resume()
            api.user_sends_document(42, "fund.txt", NEW_ARTICLE.encode())
            again = api.wait_for_messages(42, 2)[1].text
            api.user_says(42, FUND_Q)
            answer = parse_html(api.wait_for_messages(42, 3)[2].text)
        finally:
            process.terminate()
            process.wait(60)
    assert refused.startswith(f"Could not add it: cannot connect to {uri}: ")
    assert again.startswith("Already there: The summit closes with a statement. (local/2023-05-02-fund-")
    assert "Leaders agreed on a new fund for air defence called Skyshield." in answer


def test_a_bot_started_where_a_corpus_folder_happens_to_be_answers_from_the_store_and_adds_nothing_to_it(
        pg_built, tmp_path):
    # `citebot telegram --store URI` run in a folder holding ./corpus (a checkout of citebot, its sample articles), named
    # by no --corpus nor CITEBOT_CORPUS, built that folder over the store at its start, for every replica to answer
    # from; an admin's article then went into that folder, and a feed poll's items too.
    here = tmp_path / "checkout"
    (here / "corpus").mkdir(parents=True)
    (here / "corpus" / "fund.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    env = dict(os.environ, TELEGRAM_BOT_TOKEN=TOKEN, CITEBOT_ADMINS="42", HF_HUB_OFFLINE="1",
               CITEBOT_CACHE=str(tmp_path / "cache"), **FIXTURE_MODEL_ENV)
    with FakeBotApi(TOKEN) as api:
        process = subprocess.Popen([CITEBOT, "telegram", "--api-url", api.url, "--store", pg_built.uri, "--index",
                                    str(tmp_path / "index")],
                                   cwd=here, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        bot = StderrLines(process, "the bot")
        try:
            bot.wait_for_line("answering as @citebot_test_bot over 2 articles by long polling")
            api.user_says(42, "where is the summit?")
            answer = parse_html(api.wait_for_messages(42, 1)[0].text)
            api.user_sends_document(42, "rain.txt", b"Rain in Vilnius\n\nIt rained in Vilnius on the first day.")
            added = api.wait_for_messages(42, 2)[1].text
        finally:
            process.terminate()
            process.wait(60)
        # as `python -m bot.cli` too, which runs bot.cli as __main__ while the bot imports it again
        refused = subprocess.run([sys.executable, "-m", "bot.cli", "telegram", "--api-url", api.url, "--store",
                                  pg_built.uri, "--index", str(tmp_path / "index"), "--feeds-every", "60"],
                                 cwd=here, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                                 timeout=600)
    assert "the NATO summit to be held in Vilnius in July" in answer
    assert added == "Adding articles is not set up for this bot."
    warned = (f"citebot: warning: {pg_built.uri} holds a build this machine did not make from {here / 'corpus'}, the "
              "default corpus folder, which no --corpus or CITEBOT_CORPUS named: answering from that build; ")
    assert [line for line in bot.lines if "warning" in line.lower()] == [
        warned + "to build the store from this folder instead, run `citebot index --corpus corpus --store URI` here",
        warned + "admins' adds and the corpus folder's watch are off: name the store's corpus folder with --corpus DIR "
                 "or CITEBOT_CORPUS to have them"]
    assert (refused.returncode, refused.stderr.splitlines()[1:]) == (2, [(
        f"citebot: error: {pg_built.uri} holds a build this machine did not make from {here / 'corpus'}, the default "
        "corpus folder, which no --corpus or CITEBOT_CORPUS named: nothing was changed; name the store's corpus folder "
        "with --corpus DIR or CITEBOT_CORPUS, or, to build the store from this folder instead, run `citebot index "
        "--corpus corpus --store URI` here first")])
    assert sorted(path.name for path in (here / "corpus").iterdir()) == ["fund.txt"]
    store = PgStore.open(pg_built.uri, FIXTURE_MODEL_ENV["CITEBOT_MODEL"])
    try:
        assert sorted(store.articles) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]
    finally:
        store.close()
