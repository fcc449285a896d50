"""A conversation: follow-up questions are read in the context of the previous one.

>>> chat = Conversation(engine)                  # doctest: +SKIP
>>> chat.ask("Where is the summit?").answer      # doctest: +SKIP
'... the NATO summit in Vilnius in July.'
>>> chat.ask("And when is it?").query            # doctest: +SKIP
'Where is the summit? And when is it?'
"""

from __future__ import annotations

import re

from bot.answer import Answer, AnswerEngine
from index.lexical import content_terms

# Words that point back at something said before.
_ANAPHORA = frozenset(
    "it its it's he him his she her hers they them their theirs this that these those there then "
    "one ones such same".split()
)
_ELLIPSIS_START = re.compile(r"^\s*(and|also|but|so|what about|how about|and what about|then)\b", re.IGNORECASE)
_WORDS = re.compile(r"[\w']+")


def is_follow_up(question: str) -> bool:
    """True when ``question`` leans on an earlier turn: a pronoun, "and ...", or almost no content."""
    words = [w.lower() for w in _WORDS.findall(question)]
    if not words:
        return False
    if _ELLIPSIS_START.match(question):
        return True
    if any(w in _ANAPHORA for w in words):
        return True
    return len(content_terms(question)) == 0


class Conversation:
    """One chat's state over a shared ``AnswerEngine``: the question a follow-up refers to.

    With a ``chat`` id and a store that keeps chats (PostgreSQL), the state lives in the database,
    so a follow-up answered by another replica of the bot keeps its context.

    >>> Conversation(engine, chat="telegram:42").ask("Where is the summit?")  # doctest: +SKIP
    """

    def __init__(self, engine: AnswerEngine, chat: str | None = None):
        self.engine = engine
        self._chats = getattr(getattr(engine, "store", None), "chats", None) if chat is not None else None
        self.chat = chat
        self._topic: str | None = None  # the last self-contained question (plus its follow-ups)

    @property
    def topic(self) -> str | None:
        return self._chats.get(self.chat) if self._chats is not None else self._topic

    @topic.setter
    def topic(self, value: str | None) -> None:
        if self._chats is not None:
            self._chats.set(self.chat, value)
        else:
            self._topic = value

    def reset(self) -> None:
        self.topic = None

    def ask(self, question: str) -> Answer:
        """Answer ``question``, carrying the previous question into retrieval for a follow-up."""
        topic = self.topic
        context = topic if topic and is_follow_up(question) else None
        answer = self.engine.ask(question, context=context)
        if context is None:
            self.topic = answer.question if answer.found else None
        return answer
