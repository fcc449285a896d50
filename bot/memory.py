"""Each chat's conversation state on disk (SQLite next to the index), so a restart forgets nothing.

What is kept per chat: the question a follow-up refers to, the sources behind each "More sources"
button still on screen, with the language of the question that made the button, and the topic each of the
bot's recent answers left (a reply to one is read with it).

>>> memory = ChatMemory(Path(".citebot/chats.sqlite"))
>>> memory.save(42, "Where is the summit?", {"k3y": More([source], "uk")}, {7: "Where is the summit?"})  # doctest: +SKIP
>>> memory.load(42)                                                          # doctest: +SKIP
('Where is the summit?', [('k3y', More(sources=[Source(...)], language='uk'))], [(7, 'Where is the summit?')])
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from pathlib import Path
from typing import NamedTuple

from bot.answer import Source

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


class More(NamedTuple):
    """What a "More sources" button holds: the sources not shown yet, and the language its words are in."""

    sources: list[Source]
    language: str | None = None  # None: a button saved before the language was kept


class ChatMemory:
    """Topic and "More sources" of the ``kept`` chats heard from last, in the SQLite file at ``path`` (created
    when missing): a chat past them is forgotten, as the bot forgets it in memory, so the file stays bounded
    however many chats write (each can hold up to 50 buttons of passages, some 150 KB)."""

    def __init__(self, path: Path, kept: int = 10_000):
        if kept < 1:
            raise ValueError("kept must be >= 1")
        self.path = Path(path)
        self.kept = kept
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS chats (chat_id INTEGER PRIMARY KEY, topic TEXT, "
                         "more TEXT NOT NULL DEFAULT '[]', updated REAL, topics TEXT NOT NULL DEFAULT '[[], []]')")
        self._db.execute("CREATE INDEX IF NOT EXISTS chats_by_update ON chats (updated)")
        if "topics" not in {row[1] for row in self._db.execute("PRAGMA table_info(chats)")}:  # a file from before
            self._db.execute("ALTER TABLE chats ADD COLUMN topics TEXT NOT NULL DEFAULT '[[], []]'")
        self._count = self._db.execute("SELECT COUNT(*) FROM chats").fetchone()[0]

    def load(self, chat_id: int) -> tuple[str | None, list[tuple[str, More]], list[tuple[int, str | None]]]:
        """The chat's topic, its buttons' sources (oldest button first) and its answers' topics (message id, topic;
        oldest first): (None, [], []) for a new chat."""
        with self._lock:
            row = self._db.execute("SELECT topic, more, topics FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
        if row is None:
            return None, [], []
        try:
            more = [(key, More([_source(s) for s in sources], *language))
                    for key, sources, *language in json.loads(row[1])]
        except (ValueError, TypeError, KeyError):  # written by an incompatible version: forget the buttons
            more = []
        try:
            distinct, answers = json.loads(row[2])
            topics = [(int(message), distinct[i]) for message, i in answers]
        except (ValueError, TypeError, IndexError):
            topics = []
        return row[0], more, topics

    def save(self, chat_id: int, topic: str | None, more, topics=None) -> None:
        """Remember ``topic``, ``more`` (button key -> More, in order) and ``topics`` (answer message id -> the topic
        it left, in order) for ``chat_id``."""
        data = json.dumps([[key, [_source_json(s) for s in sources], language]
                           for key, (sources, language) in more.items()], ensure_ascii=False)
        answered = _topics_json(topics or {})
        with self._lock:
            # ``updated`` orders the saves (the last one highest), not by the clock: two saves in one tick must
            # not tie when the oldest chat is chosen to forget
            turn = "(SELECT COALESCE(MAX(updated), 0) + 1 FROM chats)"
            known = self._db.execute(f"UPDATE chats SET topic = ?, more = ?, topics = ?, updated = {turn} "
                                     "WHERE chat_id = ?", (topic, data, answered, chat_id)).rowcount
            if known:
                return
            self._db.execute(f"INSERT INTO chats (chat_id, topic, more, topics, updated) VALUES (?, ?, ?, ?, {turn})",
                             (chat_id, topic, data, answered))
            self._count += 1
            if self._count > self.kept:  # forget the chats heard from longest ago
                self._db.execute("DELETE FROM chats WHERE chat_id IN (SELECT chat_id FROM chats WHERE chat_id != ? "
                                 "ORDER BY updated LIMIT ?)", (chat_id, self._count - self.kept))
                self._count = self.kept

    def close(self) -> None:
        with self._lock:
            self._db.close()
