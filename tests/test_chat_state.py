"""A chat's kept state (chats.sqlite) when it is damaged, from another format, or cannot be written: the bot answers
on, says so in one log line, and keeps the other chats. `citebot telegram` as a process over a fake Bot API."""

import contextlib
import itertools
import logging
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answer import AnswerEngine
from bot.conversation import Conversation
from bot.memory import ChatMemory
from bot.messages import say
from bot.render import source_html
from bot.telegram import TelegramBot, answer_blocks, pack
from index.build import IndexBuilder, open_index
from index.search import Searcher
from tests.conftest import FIXTURE_MODEL_ENV, ROOT, SHIPPED_CORPUS
from tests.fake_bot_api import BOT_USER, BotThread, FakeBotApi
from tests.process_lines import StderrLines
from tests.test_build import _unprivileged

TOKEN = "987654321:AAH-fake_Token_for-citebot_tests_0123"
CITEBOT = Path(sys.executable).with_name("citebot")
chat_ids = itertools.count(7001)
CHATS = "chats-987654321.sqlite"  # the bot's chats file: by the id in its token


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, embedder):
    """The shipped corpus indexed once: (index folder, engine)."""
    folder = tmp_path_factory.mktemp("chat-state-index")
    store = open_index(IndexBuilder(SHIPPED_CORPUS, folder, embedder))
    return folder, AnswerEngine(Searcher(store, embedder))


@pytest.fixture(scope="module")
def engine(shipped):
    return shipped[1]


@pytest.fixture
def index(shipped, tmp_path) -> Path:
    """A copy of the shipped index, with no chats.sqlite yet, for one test's bot."""
    folder = tmp_path / "index"
    shutil.copytree(shipped[0], folder, symlinks=True)
    for kept in folder.glob("chats*.sqlite*"):
        kept.unlink()
    return folder


def answers(engine, *questions) -> list[str]:
    """The Telegram messages one conversation's ``questions`` get, the last's."""
    conversation = Conversation(engine)
    for question in questions[:-1]:
        conversation.ask(question)
    return pack(answer_blocks(conversation.ask(questions[-1])))


@contextlib.contextmanager
def citebot_telegram(index: Path, api: FakeBotApi, prefix=()):
    """`citebot telegram` over ``index`` talking to ``api`` (its token): (process, its stderr lines); SIGTERM at the end."""
    env = dict(os.environ, TELEGRAM_BOT_TOKEN=api.token, HF_HUB_OFFLINE="1", **FIXTURE_MODEL_ENV)
    process = subprocess.Popen(
        [*prefix, str(CITEBOT), "telegram", "--api-url", api.url, "--corpus", str(SHIPPED_CORPUS), "--index", str(index)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = StderrLines(process, "citebot telegram")
    try:
        lines.wait_for_line("answering as @")
        yield process, lines
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, "\n".join(lines.lines)
        lines.join()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def said(lines: StderrLines, logger: str) -> list[str]:
    """What ``logger`` said, without the time stamp."""
    return [line.split(f" {logger}: ", 1)[1] for line in lines.lines if f" {logger}: " in line]


def test_a_chats_file_that_is_no_database_is_moved_aside_with_one_warning_and_the_bot_answers(engine, index):
    chats = index / CHATS
    chats.write_bytes(b"not an SQLite file " * 100)
    chat = next(chat_ids)
    with FakeBotApi(TOKEN) as api, citebot_telegram(index, api) as (process, lines):
        api.user_says(chat, "Where is the summit?")
        api.user_says(chat, "Who was invited to it?")
        replies = api.wait_for_messages(chat, 2, timeout=120)
    aside = list(index.glob(f"{CHATS}.unreadable-*"))
    assert [r.text for r in replies[1:]] == answers(engine, "Where is the summit?", "Who was invited to it?")
    assert [p.read_bytes() for p in aside] == [b"not an SQLite file " * 100]  # kept, for whoever wants it
    assert [line for line in lines.lines if "chats" in line] == [
        f"citebot: warning: {chats} is not a readable chats file (file is not a database): moved to {aside[0].name}; "
        "conversations start afresh"]
    assert ChatMemory(chats).load(chat)[0] == "Where is the summit?"  # the new file keeps conversations


def test_the_chats_file_holding_everyones_questions_is_readable_by_the_bots_user_only_whatever_the_umask(
        engine, index):
    chat = next(chat_ids)
    permissive = ("sh", "-c", 'umask 000 && exec "$@"', "sh")
    with FakeBotApi(TOKEN) as api, citebot_telegram(index, api, permissive) as (process, lines):
        api.user_says(chat, "Where is the summit?")
        replies = api.wait_for_messages(chat, 1, timeout=120)
        kept = {p.name: oct(p.stat().st_mode & 0o777) for p in index.glob(f"{CHATS}*")}  # its log open
    assert [r.text for r in replies] == answers(engine, "Where is the summit?")
    # It was -rw-r--r-- (SQLite's own mode for a new file): any user of the machine read every chat's questions.
    assert kept == {CHATS: "0o600", f"{CHATS}-wal": "0o600", f"{CHATS}-shm": "0o600"}
    assert ChatMemory(index / CHATS).load(chat)[0] == "Where is the summit?"


def test_on_a_read_only_index_folder_the_bot_answers_and_follows_up_with_one_warning(engine, index):
    prefix = _unprivileged()  # root writes anywhere
    for folder in (index, *index.rglob("*")):
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o555)
    chat = next(chat_ids)
    try:
        with FakeBotApi(TOKEN) as api, citebot_telegram(index, api, prefix) as (process, lines):
            api.user_says(chat, "Where is the summit?")
            api.user_says(chat, "Who was invited to it?")
            replies = api.wait_for_messages(chat, 2, timeout=120)
    finally:
        for folder in (index, *index.rglob("*")):
            if folder.is_dir() and not folder.is_symlink():
                folder.chmod(0o755)
    assert [r.text for r in replies[1:]] == answers(engine, "Where is the summit?", "Who was invited to it?")
    assert [line for line in lines.lines if "chats" in line] == [
        f"citebot: warning: cannot keep conversations in {index / CHATS} (unable to open database file): "
        "they last only until the bot stops"]
    assert not (index / CHATS).exists()


def test_when_the_disk_fills_the_bot_answers_and_resets_without_apologising_and_saves_again_when_it_can(engine, index):
    chat = next(chat_ids)
    chats = index / CHATS
    with FakeBotApi(TOKEN) as api, citebot_telegram(index, api) as (process, lines):
        api.user_says(chat, "Where is the summit?")
        api.wait_for_messages(chat, 1, timeout=120)
        # a full disk, as files stop growing past a byte (EFBIG, where a full disk gives ENOSPC)
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (1, resource.RLIM_INFINITY))
        api.user_says(chat, "Who was invited to it?")
        follow_up = api.wait_for_messages(chat, 2)[1]
        lines.wait_for_line("cannot save conversations")
        api.user_says(chat, "/reset")
        reset = api.wait_for_messages(chat, 3)[2]
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        api.user_says(chat, "Who visited Bucha?")
        api.wait_for_messages(chat, 4)
        lines.wait_for_line("saved to")
    assert [follow_up.text] == answers(engine, "Where is the summit?", "Who was invited to it?")
    assert reset.plain == say("reset", "en")
    assert len(api.messages(chat)) == 4  # no apology after any of them
    assert said(lines, "citebot.memory") == [
        f"cannot save conversations to {chats} (disk I/O error): they are kept in memory till saving works again",
        f"conversations are saved to {chats} again"]
    assert ChatMemory(chats).load(chat)[0] == "Who visited Bucha?"


@pytest.mark.parametrize("more, topics, people, lost", [
    ('[["k3y", [1, 2], "en"]]', "[[], []]", "[]", "More sources buttons"),  # a button's sources as other than objects
    ("[]", '[{"0": "Where is the summit?"}, [[5, 0]]]', "[]", "answers' topics"),  # topics by key
    ("[]", "[[], []]", '{"11": "Who visited Bucha?"}', "people's topics"),  # people's topics by key
])
def test_a_chat_whose_saved_state_is_of_another_format_is_answered_with_its_topic_and_one_warning(
        engine, tmp_path, caplog, more, topics, people, lost):
    chat, other = next(chat_ids), next(chat_ids)
    memory = ChatMemory(tmp_path / "chats.sqlite")
    memory.save(other, "Who visited Bucha?", {})
    with sqlite3.connect(tmp_path / "chats.sqlite") as db:
        db.execute("INSERT INTO chats (chat_id, topic, more, updated, topics, people) "
                   "VALUES (?, 'Where is the summit?', ?, 0, ?, ?)", (chat, more, topics, people))
    caplog.set_level(logging.WARNING, logger="citebot.memory")
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(engine, TOKEN, api_url=api.url, memory=memory,
                                                         poll_timeout=1), api):
        api.user_says(chat, "Who was invited to it?")
        api.user_says(other, "How did he feel about what he saw there?")
        reply, other_reply = api.wait_for_messages(chat, 1)[0], api.wait_for_messages(other, 1)[0]
    assert [reply.text] == answers(engine, "Where is the summit?", "Who was invited to it?")
    assert [other_reply.text] == answers(engine, "Who visited Bucha?", "How did he feel about what he saw there?")
    assert caplog.messages == [f"chat {chat}: its saved {lost} cannot be read from {tmp_path / 'chats.sqlite'}: left out"]


@pytest.mark.parametrize("column, lost", [("given", "sentences given"), ("people", "people's topics")])
def test_a_chat_whose_saved_state_is_nested_a_hundred_thousand_deep_is_answered_with_its_topic_and_one_warning(
        engine, tmp_path, caplog, column, lost):
    # json gave up on it with a RecursionError, which was no damage the row was read past: each message of the chat
    # failed to be answered, and each was logged as an error
    chat = next(chat_ids)
    memory = ChatMemory(tmp_path / "chats.sqlite")
    memory.save(chat, "Where is the summit?", {})
    with sqlite3.connect(tmp_path / "chats.sqlite") as db:
        db.execute(f"UPDATE chats SET {column} = ?", ("[" * 100_000 + "]" * 100_000,))
    caplog.set_level(logging.WARNING)
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(engine, TOKEN, api_url=api.url, memory=memory,
                                                         poll_timeout=1), api):
        api.user_says(chat, "Who was invited to it?")
        reply = api.wait_for_messages(chat, 1)[0]
    assert [reply.text] == answers(engine, "Where is the summit?", "Who was invited to it?")
    assert caplog.messages == [f"chat {chat}: its saved {lost} cannot be read from {tmp_path / 'chats.sqlite'}: left out"]


@pytest.mark.parametrize("column, value, lost", [
    ("questions", '{"asked": [[1e400, null]], "read_in": [], "before": []}', "questions' topics and sources before them"),
    ("replies", "[[1e400, [5]]]", "questions' answers")])
def test_a_chat_whose_saved_message_id_is_an_infinite_number_is_answered_with_its_topic_and_one_warning(
        engine, tmp_path, caplog, column, value, lost):
    # int() of it raised an OverflowError, which was no damage the row was read past: each message of the chat failed
    # to be answered ("Sorry, something went wrong"), and each was logged as an error
    chat = next(chat_ids)
    memory = ChatMemory(tmp_path / "chats.sqlite")
    memory.save(chat, "Where is the summit?", {})
    with sqlite3.connect(tmp_path / "chats.sqlite") as db:
        db.execute(f"UPDATE chats SET {column} = ?", (value,))
    caplog.set_level(logging.WARNING)
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(engine, TOKEN, api_url=api.url, memory=memory,
                                                         poll_timeout=1), api):
        api.user_says(chat, "Who was invited to it?")
        reply = api.wait_for_messages(chat, 1)[0]
    assert [reply.text] == answers(engine, "Where is the summit?", "Who was invited to it?")
    assert caplog.messages == [f"chat {chat}: its saved {lost} cannot be read from {tmp_path / 'chats.sqlite'}: left out"]


def test_a_chats_file_whose_chats_table_is_another_programs_is_moved_aside_with_one_warning_and_a_new_one_keeps_them(
        engine, tmp_path, caplog):
    path = tmp_path / "chats.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE chats (chat_id INTEGER PRIMARY KEY, title TEXT, updated REAL)")
        db.execute("INSERT INTO chats VALUES (1, 'Readers', 0)")
        db.commit()
    chat, other = next(chat_ids), next(chat_ids)
    caplog.set_level(logging.WARNING, logger="citebot.memory")
    memory = ChatMemory(path)
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(engine, TOKEN, api_url=api.url, memory=memory,
                                                         poll_timeout=1), api):
        for asking in (chat, other):
            api.user_says(asking, "Where is the summit?")
            api.wait_for_messages(asking, 1)
        api.user_says(chat, "Who was invited to it?")
        follow_up = api.wait_for_messages(chat, 2)[1]
    [aside] = tmp_path.glob("chats.sqlite.unreadable-*")
    assert [follow_up.text] == answers(engine, "Where is the summit?", "Who was invited to it?")
    # each chat's every read warned that its conversation could not be read, and none was ever kept
    assert caplog.messages == [f"{path} is not a readable chats file (its chats table has no topic and more columns): "
                               f"moved to {aside.name}; conversations start afresh"]
    assert [ChatMemory(path).load(asked)[0] for asked in (chat, other)] == ["Where is the summit?"] * 2  # kept now
    with contextlib.closing(sqlite3.connect(aside)) as db:
        assert db.execute("SELECT * FROM chats").fetchall() == [(1, "Readers", 0.0)]  # kept as it was, for its owner


def test_two_bots_over_one_index_keep_each_users_conversation_apart_across_restarts(engine, index):
    user = next(chat_ids)  # a user's private chat has the user's id with every bot
    other_token = "123456789:AAH-another_bot_over_the_same_index"
    with FakeBotApi(TOKEN) as api:
        with citebot_telegram(index, api):
            api.user_says(user, "Where is the summit?")
            api.wait_for_messages(user, 1, timeout=120)
        with FakeBotApi(other_token, dict(BOT_USER, id=123456789, username="other_bot")) as other:
            with citebot_telegram(index, other):
                other.user_says(user, "Who visited Bucha?")
                other.wait_for_messages(user, 1, timeout=120)
        with citebot_telegram(index, api):  # the first bot restarted
            api.user_says(user, "And when is it?")
            follow_up = api.wait_for_messages(user, 2, timeout=120)[1]
    assert [follow_up.text] == answers(engine, "Where is the summit?", "And when is it?")
    assert answers(engine, "Where is the summit?", "And when is it?") != answers(engine, "Who visited Bucha?", "And when is it?")


def test_the_chats_file_of_a_release_before_bots_had_their_own_is_taken_over_with_its_conversations(engine, index):
    user = next(chat_ids)
    ChatMemory(index / "chats.sqlite").save(user, "Where is the summit?", {})
    with FakeBotApi(TOKEN) as api, citebot_telegram(index, api):
        api.user_says(user, "And when is it?")
        follow_up = api.wait_for_messages(user, 1, timeout=120)[0]
    assert [follow_up.text] == answers(engine, "Where is the summit?", "And when is it?")
    assert sorted(p.name for p in index.glob("chats*.sqlite")) == [CHATS]  # moved, not copied
