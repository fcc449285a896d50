"""What the answer path hands to the front ends: ``Answer`` and its cited ``Source`` passages.

>>> Answer(question="who wrote Hamlet?", found=False).tier
'not_found'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.documents import DIRECTION_MARKS

TIERS = ("confident", "uncertain", "not_found")
# What became of a source's article since the answer that found it (bot/answering/revisions.py): still holding the
# quoted words but otherwise changed, no longer holding them, gone from the build.
UPDATED, CHANGED, REMOVED = "updated", "changed", "removed"


@dataclass(frozen=True)
class Source:
    """A cited passage with the article it comes from; ``sentence`` marks the answer in it.

    ``revision``: None for a passage as the build answering has it; for a source saved with an earlier answer and
    read again, what became of its article since (UPDATED, CHANGED: ``passage`` is "", or REMOVED: ditto).
    """

    doc: str
    title: str
    date: str | None
    passage: str
    start: int
    end: int
    score: float
    sentence: tuple[int, int] | None = None  # article offsets of the answer sentence
    url: str | None = None
    revision: str | None = None

    def label(self) -> str:
        """"Title, date (article id)" for people."""
        parts = [self.title] + ([self.date] if self.date else [])
        return f"{', '.join(parts)} ({self.doc})"

    @property
    def link(self) -> str | None:
        """The article's web address when a reader can open it (http or https), else None."""
        return self.url if self.url is not None and _openable(self.url) else None

    def to_json(self) -> dict:
        return {
            "doc": self.doc, "title": self.title, "date": self.date, "url": self.link, "passage": self.passage,
            "start": self.start, "end": self.end, "score": round(self.score, 6),
        }


MAX_LINK = 2048  # longer addresses are not links people follow, and would crowd a Telegram message
# and no direction override: "https://example.org/\u202egro.elgoog" shows as "https://example.org/google.org"
_NOT_IN_LINK = re.compile(f"[\\s\x00-\x1f\x7f-\x9f<>\"{DIRECTION_MARKS}]")


def _openable(url: str) -> bool:
    # An article's url comes from a page, a feed or a .jsonl row: "javascript:..." or a spaced-out address is
    # provenance to keep in the index, not a link to offer.
    if len(url) > MAX_LINK or _NOT_IN_LINK.search(url):
        return False
    from index.fetch import FetchError, check_url  # the rule links are fetched by; here, off every answer's path

    try:
        check_url(url)
    except FetchError:
        return False
    return True


@dataclass(frozen=True)
class SmallTalk:
    """A turn that asks nothing of the articles ("Thanks!", "hi", "are you there?", "what can you do?"), which the bot
    answers in its own words: ``kind`` names the reply ("thanks", "ack", "greeting", "presence", "bye", "help",
    "source" for "source?", which the last answer's source answers, or "reset" for "New question", which forgets the
    conversation's topic),
    ``language`` is the one language whose words these are, or None where several of citebot's share them ("ok"); that of
    another language, which citebot does not read ("Danke!": "de"), is said in English."""

    kind: str
    language: str | None = None


@dataclass
class Answer:
    """What the engine says: ``sources[0]`` holds ``answer`` verbatim when ``found``.

    ``confidence`` is the calibrated probability that ``answer`` answers the question; ``tier`` is
    "confident", "uncertain" (shown, introduced as possibly not answering) or "not_found".
    ``sources[1 : 1 + corroborating]`` report the same fact; the ``disputing`` after them report it with other
    figures ("rose to 15" against "rose to 12"); the rest are further evidence.
    ``score`` is the best passage's retrieval score (kept when not found, as a reason).

    >>> Answer(question="q", found=True, answer="A.", confidence=0.4, tier="uncertain").to_json()["confidence"]
    0.4
    """

    question: str
    found: bool
    answer: str = ""
    sources: list[Source] = field(default_factory=list)
    corroborating: int = 0
    disputing: int = 0
    query: str = ""  # what retrieval was given (the question fused with its context)
    score: float = 0.0
    confidence: float = 0.0
    tier: str = "not_found"
    context: str | None = None  # the earlier question this answer leaned on, if any
    language: str = "en"  # the question's language: the words around the answer are in it
    unread_language: bool = False  # the model does not read the question's language (said when not found)
    unread_script: bool = False  # in a script or a language none of citebot's four is (ditto): the model reads all
    no_topic: bool = False  # a follow-up ("And when?") asked with no earlier question to read it with (ditto)
    candidates: list = field(default_factory=list, repr=False)  # the scored candidates, for evaluation
    small_talk: SmallTalk | None = None  # a turn that asks nothing (not found; no sources but "source?"'s one)
    # "source?" after a question that found nothing: its source is of the last answer that found something, before it
    cited_earlier: bool = False

    @property
    def also_reported_by(self) -> list[Source]:
        return self.sources[1 : 1 + self.corroborating]

    @property
    def reported_differently_by(self) -> list[Source]:
        return self.sources[1 + self.corroborating : 1 + self.corroborating + self.disputing]

    def to_json(self) -> dict:
        return {
            "question": self.question, "found": self.found, "answer": self.answer if self.found else "",
            "confidence": round(float(self.confidence), 4),
            "sources": [s.to_json() for s in self.sources],
        }
