"""The answer engine's public names, kept here for every front end (``bot.answering`` holds the stages).

>>> from bot.answer import AnswerEngine, Answer, Source   # doctest: +SKIP
"""

from bot.answering.answer_types import supplies, wanted
from bot.answering.engine import DEFAULT_CONFIDENT, DEFAULT_THRESHOLD, AnswerEngine
from bot.answering.records import TIERS, Answer, SmallTalk, Source
from bot.answering.sentences import Candidate

__all__ = [
    "AnswerEngine", "Answer", "SmallTalk", "Source", "Candidate", "TIERS", "DEFAULT_THRESHOLD", "DEFAULT_CONFIDENT",
    "wanted", "supplies",
]
