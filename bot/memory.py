"""Each chat's conversation state on disk (SQLite next to the index), so a restart forgets nothing.

What is kept per chat: the question a follow-up refers to (in a group, each person's: the people who asked last),
the sources behind each "More sources" button still on screen, with the language of the question that made the
button, the topic each of the bot's recent answers left (a reply to one is read with it), the messages that answered
each recent question (an edit of it edits them), the article each answer message cites (an admin's /remove in reply
to it takes that one out) and the file each recent message holds, with the article it was added as and the bot's reply
to it (a file replaced in its message takes that article out, and the reply is edited), and the article each
conversation's last answer cited (the chat's, in a group each person's: "source?" names it), and whether a question
since found nothing (it says so), and the sentences each conversation's recent topics were answered with ("who else?"
is not answered with them again).

>>> memory = ChatMemory(Path(".citebot/chats-123456789.sqlite"))
>>> memory.save(42, "Where is the summit?", {"k3y": More([source], "uk")},                # doctest: +SKIP
...             {7: "Where is the summit?"}, answers={6: [7]}, cited={7: "summit.md"},
...             files={5: ("AgADxyz", "local/port-1a2b.md", 8)}, last={None: "summit.md"},
...             given={None: {"Where is the summit?": ["The summit is in Vilnius."]}})
>>> memory.load(42)                                                          # doctest: +SKIP
('Where is the summit?', [('k3y', More(sources=[Source(...)], language='uk'))], [(7, 'Where is the summit?')], [],
 [(6, [7])], [(7, 'summit.md')], [(5, 'AgADxyz', 'local/port-1a2b.md', 8)], [(None, 'summit.md', False)],
 [(None, [('Where is the summit?', ['The summit is in Vilnius.'])])], [])
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sqlite3
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

from bot.answer import Source
from bot.language import LANGUAGES

log = logging.getLogger("citebot.memory")
_FIELDS = {f.name for f in dataclasses.fields(Source)}


def _source_json(source: Source) -> dict:
    return dataclasses.asdict(source)


def _source(row: dict) -> Source:
    row = {k: v for k, v in row.items() if k in _FIELDS}
    if row.get("sentence") is not None:
        row["sentence"] = tuple(row["sentence"])
    return Source(**row)


def _topics_json(topics) -> str:
    """``topics`` (message id -> topic) as [distinct topics, [[message id, index], ...]]: an answer's passages, and
    the answers of one thread, share a topic of up to 4096 characters, stored once."""
    index: dict = {}
    answers = [[message, index.setdefault(topic, len(index))] for message, topic in topics.items()]
    return json.dumps([list(index), answers], ensure_ascii=False)


def move_database(path: Path, to: Path) -> None:
    """Rename the SQLite file ``path`` to ``to`` with its write-ahead log (saves not in the file yet) and shared memory."""
    path.rename(to)
    for suffix in ("-wal", "-shm"):  # a log left behind would be lost, or replayed into a new file of the old name
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(to.with_name(to.name + suffix))


_LAID_OUT = ("chat_id", "topic", "more", "updated")  # the columns every release's chats table has
# what a row of another format raises, or a damaged one: json gives up on arrays nested thousands deep with RecursionError,
# and int() on a message id of 1e400 (json's infinity) with OverflowError
_BROKEN = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OverflowError)


def _buttons(text: str) -> list[tuple[str, "More"]]:
    return [(key, More([_source(s) for s in sources], *language)) for key, sources, *language in json.loads(text)]


def _answers(text: str) -> list[tuple[int, str | None]]:
    distinct, answers = json.loads(text)
    return [(int(message), distinct[i]) for message, i in answers]


def _replies(text: str) -> list[tuple[int, list[int]]]:
    """Each recent question's message id and the ids of the messages that answered it."""
    return [(int(question), [int(m) for m in sent]) for question, sent in json.loads(text)]


def _cited(text: str) -> list[tuple[int, str]]:
    """Each recent answer message's id and the id of the article it cites."""
    return [(int(message), str(article)) for message, article in json.loads(text)]


def _files(text: str) -> list[tuple[int, str, str | None, int | None]]:
    """Each recent file's message id, the file's unique id, the article it was added as and the bot's reply to it."""
    return [(int(message), str(unique), article if article is None else str(article), reply if reply is None else
             int(reply)) for message, unique, article, reply in json.loads(text)]


def _last(text: str) -> list[tuple[int | str | None, str, bool]]:
    """Each conversation's last answer's article: the person (None: the chat's own conversation), the article id, and
    whether a question after that answer found nothing (a file from before has none)."""
    return [(person if person is None or isinstance(person, str) else int(person), str(article), earlier == [True])
            for person, article, *earlier in json.loads(text)]


def _given(text: str) -> list[tuple[int | str | None, list[tuple[str, list[str]]]]]:
    """Each conversation's sentences given: the person (None: the chat's own conversation), and each recent topic with
    the sentences its answers gave, the oldest topic first."""
    rows = []
    for person, topics in json.loads(text):
        if not all(isinstance(topic, str) and isinstance(sentences, list) and all(isinstance(s, str) for s in sentences)
                   for topic, sentences in topics):
            raise ValueError("not a list of [topic, [sentence, ...]]")
        rows.append((person if person is None or isinstance(person, str) else int(person),
                     [(topic, list(sentences)) for topic, sentences in topics]))
    return rows


def _gave(text: str) -> list[tuple[int, list[str]]]:
    """Each recent question's message id and the sentences its answer gave that "who else?" still leaves out (an edit
    of the question gives them back)."""
    rows = [(int(question), sentences) for question, sentences in json.loads(text)]
    if not all(isinstance(sentences, list) and all(isinstance(s, str) for s in sentences) for _, sentences in rows):
        raise ValueError("not a list of [question, [sentence, ...]]")  # "Biden" would read as five sentences
    return rows


def _questions(text: str) -> dict:
    """What an edit of a recent question into a 👍 gives back after a restart: "asked", each question's message id and
    whose it is (a person; None: the chat's own conversation), in the order asked; "read_in", the topic each was read
    with; "before", the article the answer before it cited and whether a question then had found nothing; and "posts",
    in a channel's discussion group, each post's thread with the lead and the link its comments are read with."""
    saved = json.loads(text)
    if saved == []:  # a file from before
        return {"asked": [], "read_in": [], "before": [], "posts": []}

    def person(who):
        return who if who is None or isinstance(who, str) else int(who)

    def topic(read):
        if read is not None and not isinstance(read, str):
            raise ValueError("a topic is text")
        return read

    return {"asked": [(int(question), person(who)) for question, who in saved["asked"]],
            "read_in": [(int(question), topic(read)) for question, read in saved["read_in"]],
            "before": [(int(question), topic(article), nothing is True) for question, article, nothing in
                       saved["before"]],
            "posts": [(int(thread), topic(lead) or "", topic(link)) for thread, lead, link in saved.get("posts", [])]}


def _language(text: str) -> list[str | None]:
    """[the language the chat's words were last in, its last Cyrillic one]: each None where not one of the bot's."""
    said = json.loads(text)
    if not isinstance(said, list):
        raise TypeError("not a list")
    return [one if isinstance(one, str) and one in LANGUAGES else None for one in said[:2]]


def _people(text: str) -> list[tuple[int | str, str | None]]:
    """Each person's topic: a person is a sender's id, or "THREAD:SENDER" in a forum's topic."""
    rows = json.loads(text)
    if not isinstance(rows, list) or not all(isinstance(row, list) and len(row) == 2 for row in rows):
        raise ValueError("not a list of [person, topic]")  # {"11": "..."} would read as person "1", topic "1"
    return [(person if isinstance(person, str) else int(person), topic if topic is None else str(topic))
            for person, topic in rows]


# the row's columns after its topic: how each is read, and what a warning calls it
_PARTS = ((_buttons, "More sources buttons"), (_answers, "answers' topics"), (_people, "people's topics"),
          (_replies, "questions' answers"), (_cited, "answers' articles"), (_files, "files"),
          (_last, "last answers' articles"), (_given, "sentences given"),
          (_gave, "questions' sentences given"), (_language, "language"),
          (_questions, "questions' topics and sources before them"))


def _decoded(chat_id: int, row: tuple, path: Path) -> tuple:
    """A row's topic, buttons, answers' topics, people's topics, questions' answers, answers' articles, files, last
    answers' articles, sentences given, questions' sentences given and language; a part another format wrote (or damage) is left out, with a warning."""
    topic, parts, lost = row[0], [], []
    if topic is not None and not isinstance(topic, str):
        topic = None
        lost.append("topic")
    for column, (read, what) in enumerate(_PARTS, start=1):
        try:
            parts.append(read(row[column]))
        except _BROKEN:
            parts.append([])
            lost.append(what)
    if lost:
        log.warning("chat %s: its saved %s cannot be read from %s: left out", chat_id, " and ".join(lost), path)
    return (topic, *parts)


class More(NamedTuple):
    """What a "More sources" button holds: the sources not shown yet, and the language its words are in."""

    sources: list[Source]
    language: str | None = None  # None: a button saved before the language was kept


def more_json(more: More) -> list:
    """``more`` as JSON holds it: [its sources, its language] (a PostgreSQL store's ``citebot_chats`` shares it)."""
    return [[_source_json(s) for s in more.sources], more.language]


def more_of(held) -> More | None:
    """The More that ``more_json`` gave ``held``; None for one another format wrote (or damage), or one of no sources
    (taken for a button to show, its press failed on the first of none)."""
    try:
        sources, language = held
        more = More([_source(s) for s in sources], language if isinstance(language, str) and language in LANGUAGES
                    else None)
    except _BROKEN:
        return None
    return more if more.sources else None


class ChatMemory:
    """Topic and "More sources" of the ``kept`` chats heard from last, in the SQLite file at ``path`` (created
    when missing): a chat past them is forgotten, as the bot forgets it in memory, so the file stays bounded
    however many chats write (each can hold up to 50 buttons of passages, some 150 KB)."""

    def __init__(self, path: Path, kept: int = 10_000):
        if kept < 1:
            raise ValueError("kept must be >= 1")
        self.path = Path(path)
        self.kept = kept
        self._lock = threading.Lock()
        self._saving = True  # False after a save failed, till one succeeds: the failure is said once
        self._count = 0
        self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        """The file's connection; a file that is no chats file is moved aside for a new one, and None (with a
        warning) when the file cannot be opened or written: conversations are then kept only while the bot runs."""
        try:
            return self._connect()
        except sqlite3.OperationalError as exc:  # a read-only or full disk, a folder we may not write in
            reason = exc
        except sqlite3.DatabaseError as exc:  # not an SQLite file, or a damaged one
            aside = self._move_aside()
            if aside is None:
                reason = exc
            else:
                log.warning("%s is not a readable chats file (%s): moved to %s; conversations start afresh",
                            self.path, exc, aside.name)
                try:
                    return self._connect()
                except sqlite3.DatabaseError as again:
                    reason = again
        except OSError as exc:  # its folder cannot be made
            reason = exc.strerror or exc
        log.warning("cannot keep conversations in %s (%s): they last only until the bot stops", self.path, reason)
        return None

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The chats' questions are theirs: a new file is the bot's user's only, as `citebot chat`'s history is (SQLite
        # gives its -wal and -shm the file's mode). Made otherwise, it was readable by every user of the machine.
        with suppress(OSError):  # there already, or not to be made: SQLite opens it, or says why not
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            # another program's chats table (or another layout): each chat's every read, and the saves, failed on it
            there = {row[1] for row in db.execute("PRAGMA table_info(chats)")}
            missing = [column for column in _LAID_OUT if column not in there]
            if there and missing:
                raise sqlite3.DatabaseError(f"its chats table has no {' and '.join(missing)} column"
                                            f"{'s' if len(missing) > 1 else ''}")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS chats (chat_id INTEGER PRIMARY KEY, topic TEXT, "
                       "more TEXT NOT NULL DEFAULT '[]', updated REAL, topics TEXT NOT NULL DEFAULT '[[], []]')")
            db.execute("CREATE INDEX IF NOT EXISTS chats_by_update ON chats (updated)")
            columns = {row[1] for row in db.execute("PRAGMA table_info(chats)")}
            if "topics" not in columns:  # a file from before
                db.execute("ALTER TABLE chats ADD COLUMN topics TEXT NOT NULL DEFAULT '[[], []]'")
            if "people" not in columns:  # a file from before each person's topic was kept in groups
                db.execute("ALTER TABLE chats ADD COLUMN people TEXT NOT NULL DEFAULT '[]'")
            # a file from before answers were edited, or removed, or files replaced, after a restart
            # or before the sentences given were ("who else?" after a restart)
            # or before the chat's language was ("Привет", then a sticker, after a restart)
            # or before what a question's edit into a 👍 gives back was (an edit after a restart)
            for column in ("replies", "cited", "files", "last_cited", "given", "gave", "language", "questions"):
                if column not in columns:
                    db.execute(f"ALTER TABLE chats ADD COLUMN {column} TEXT NOT NULL DEFAULT '[]'")
            self._count = db.execute("SELECT COUNT(*) FROM chats").fetchone()[0]  # a damaged file fails here
        except BaseException:
            db.close()
            raise
        return db

    def _move_aside(self) -> Path | None:
        """Rename the unreadable file (with its write-ahead log) out of the way, keeping it; None when it cannot be."""
        aside = self.path.with_name(f"{self.path.name}.unreadable-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            move_database(self.path, aside)
        except OSError:
            return None
        return aside

    def load(self, chat_id: int) -> tuple[str | None, list[tuple[str, More]], list[tuple[int, str | None]],
                                          list[tuple[int, str | None]], list[tuple[int, list[int]]],
                                          list[tuple[int, str]], list[tuple[int, str, str | None, int | None]],
                                          list[tuple[int | str | None, str, bool]],
                                          list[tuple[int | str | None, list[tuple[str, list[str]]]]],
                                          list[tuple[int, list[str]]], list[str | None], dict]:
        """The chat's topic, its buttons' sources (oldest button first), its answers' topics (message id, topic;
        oldest first), in a group its people's topics (person, topic; the one who asked last last), its questions'
        answers (question's message id, its answer's message ids; oldest first), its answer messages' articles
        (message id, article id; oldest first) and its files (message id, file unique id, article id, reply's message
        id; oldest first) and the article each conversation's last answer cited (person, None for the chat's own,
        article id, whether a question after that answer found nothing) and each conversation's sentences given
        (person, [(topic, its answers' sentences), ...], the oldest topic first) and the sentences its recent questions'
        answers gave (message id, sentences; oldest first) and [the language the chat's words were last in, its last
        Cyrillic one] ([] when not saved) and what an edit of a recent question gives back (``_questions``): (None, [],
        [], [], [], [], [], [], [], [], [], []) for a new chat, and for one the file cannot give back (said in a
        warning)."""
        if self._db is None:
            return None, [], [], [], [], [], [], [], [], [], [], _questions("[]")
        try:
            with self._lock:
                row = self._db.execute("SELECT topic, more, topics, people, replies, cited, files, last_cited, "
                                       "given, gave, language, questions FROM chats WHERE chat_id = ?",
                                       (chat_id,)).fetchone()
        except sqlite3.Error as exc:  # a damaged page of the file: this chat starts afresh, the others are read on
            log.warning("chat %s: its conversation cannot be read from %s (%s): it starts afresh", chat_id, self.path, exc)
            return None, [], [], [], [], [], [], [], [], [], [], _questions("[]")
        if row is None:
            return None, [], [], [], [], [], [], [], [], [], [], _questions("[]")
        return _decoded(chat_id, row, self.path)

    def save(self, chat_id: int, topic: str | None, more, topics=None, people=None, answers=None, cited=None,
             files=None, last=None, found_nothing=frozenset(), given=None, gave=None, language=(),
             questions=None) -> None:
        """Remember ``topic``, ``more`` (button key -> More, in order), ``topics`` (answer message id -> the topic
        it left, in order), ``people`` (in a group: person id -> their topic, in order), ``answers`` (question message
        id -> its answer's message ids, in order), ``cited`` (answer message id -> the article it cites, in order) and
        ``files`` (message id -> its file's unique id, the article it was added as, the bot's reply; in order) and
        ``last`` (person, None for the chat's own conversation -> the article its last answer cited) for ``chat_id``,
        ``found_nothing`` the persons of ``last`` whose question after that answer found nothing, and ``given`` (person
        -> topic -> the sentences its answers gave, in order; ``Conversation.given``) and ``gave`` (question message id
        -> the sentences its answer gave, in order: an edit of it after a restart gives them back) and ``language`` (the
        language the chat's words were last in, its last Cyrillic one: "Привет" said, /start is in Russian after a
        restart too) and ``questions`` ("asked": question message id -> person, in the order asked; "read_in":
        question message id -> the topic it was read with; "before": question message id -> the article the answer
        before it cited, whether a question then had found nothing; "posts": a channel's post's thread -> its lead and
        link, ``bot.telegram.comments.Post``). A save that fails
        (a full disk) is said once, till one succeeds again."""
        if self._db is None:
            return
        data = json.dumps([[key, [_source_json(s) for s in sources], language]
                           for key, (sources, language) in more.items()], ensure_ascii=False)
        answered = _topics_json(topics or {})
        asked = json.dumps(list((people or {}).items()), ensure_ascii=False)
        replies = json.dumps([[question, list(sent)] for question, sent in (answers or {}).items()])
        articles = json.dumps(list((cited or {}).items()), ensure_ascii=False)
        held = json.dumps([[message, *file] for message, file in (files or {}).items()], ensure_ascii=False)
        # true after the article where a question since found nothing: "source?" after a restart says so
        lasts = json.dumps([[person, article] + [True] * (person in found_nothing) for person, article in
                            (last or {}).items()], ensure_ascii=False)
        sentences = json.dumps([[person, [[t, list(s)] for t, s in topics.items()]] for person, topics in
                                (given or {}).items() if topics], ensure_ascii=False)
        taken = json.dumps([[message, list(s)] for message, s in (gave or {}).items() if s], ensure_ascii=False)
        said = json.dumps(list(language))
        questions = questions or {}
        recent = json.dumps({"asked": list(questions.get("asked", {}).items()),
                             "read_in": list(questions.get("read_in", {}).items()),
                             "before": [[q, *b] for q, b in questions.get("before", {}).items()],
                             "posts": [[thread, *post] for thread, post in questions.get("posts", {}).items()]},
                            ensure_ascii=False)
        with self._lock:
            try:
                self._write(chat_id, topic, data, answered, asked, replies, articles, held, lasts, sentences, taken,
                            said, recent)
            except sqlite3.Error as exc:
                if self._saving:
                    log.warning("cannot save conversations to %s (%s): they are kept in memory till saving works "
                                "again", self.path, exc)
                self._saving = False
                return
            if not self._saving:
                log.info("conversations are saved to %s again", self.path)
            self._saving = True

    def _write(self, chat_id: int, topic: str | None, data: str, answered: str, asked: str, replies: str,
               articles: str, held: str, lasts: str, sentences: str, taken: str, said: str, recent: str) -> None:
        # ``updated`` orders the saves (the last one highest), not by the clock: two saves in one tick must
        # not tie when the oldest chat is chosen to forget
        turn = "(SELECT COALESCE(MAX(updated), 0) + 1 FROM chats)"
        values = (topic, data, answered, asked, replies, articles, held, lasts, sentences, taken, said, recent)
        known = self._db.execute(f"UPDATE chats SET topic = ?, more = ?, topics = ?, people = ?, replies = ?, "
                                 f"cited = ?, files = ?, last_cited = ?, given = ?, gave = ?, language = ?, questions = ?, "
                                 f"updated = {turn} WHERE chat_id = ?",
                                 (*values, chat_id)).rowcount
        if known:
            return
        self._db.execute(f"INSERT INTO chats (chat_id, topic, more, topics, people, replies, cited, files, last_cited, "
                         f"given, gave, language, questions, updated) "
                         f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {turn})",
                         (chat_id, *values))
        self._count += 1
        if self._count > self.kept:  # forget the chats heard from longest ago
            self._db.execute("DELETE FROM chats WHERE chat_id IN (SELECT chat_id FROM chats WHERE chat_id != ? "
                             "ORDER BY updated LIMIT ?)", (chat_id, self._count - self.kept))
            self._count = self.kept

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
