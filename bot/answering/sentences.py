"""Sentence scoring: each retrieved passage's best answer sentence, and the passages re-ranked by it.

A sentence scores its cosine with the question, plus ``lexical_weight`` x the idf-weighted share of
the question's terms it holds, plus ``type_weight`` when it supplies the kind of answer the question
wants (a date for "when", a count for "how many", ... not already in the question). A sentence that
opens with a pronoun ("it", "he", "they", "його", "воно", "acesta", ... among its first four words) is read after
the one it refers to: terms only that sentence holds count ``context_weight`` as much ("After it was liberated,
mass graves were discovered" answers what was found in Bucha); a list item or a table row is read so with the
heading above it in the passage ("- Region: Dublin" under "## Search service"). A question in another language than
the corpus can add its cosine with the sentence when the question is embedded as a passage
(``as_passage_weight``). A news story's dateline ("Одеса, 3 квітня 2026 р.", a sentence of its own) states no fact: it
and the lead it opens are each quoted with the other (``Candidate.quote``), and a question about one day ("What
happened in Odesa on 3 May 2026?") takes no sentence dated another, by its own words or its dateline's. A passage
scores its retrieval score plus ``sentence_weight`` x its best sentence.

>>> candidates = SentenceScorer(store).score(retrieved)     # doctest: +SKIP
>>> candidates[0].text                                      # doctest: +SKIP
'NATO Secretary-General Jens Stoltenberg during his visit to Bucha in Kyiv Oblast on April 20, 2023.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass


from bot.answering.answer_types import another_day, asked_days, supplies
from bot.answering.question import stemmed_terms
from bot.answering.retrieval import Retrieved
from index.near_duplicates import dateline
from index.search import Hit

_DATELINE_CHARS = 120  # a dateline is short: a longer sentence is not read for one


@dataclass(frozen=True)
class Candidate:
    """A retrieved passage with its best sentence: ``score`` ranks the passages."""

    hit: Hit
    sentence: tuple[int, int]  # article offsets
    text: str
    cosine: float  # the sentence's cosine with the question
    coverage: float  # idf-weighted share of the question's terms in the sentence
    supplied: bool  # the sentence holds the kind of answer wanted
    sentence_score: float
    score: float
    # The article span quoted, where more than the sentence: a dateline and the lead it opens, each read as scored
    # alone (the model judges the sentence it was trained on), quoted as one ("Дніпро, 14 березня 2026 р. У Дніпрі
    # ... відкрили новий ... міст": the day the lead leaves out)
    quote: tuple[int, int] | None = None
    quote_text: str | None = None

    @property
    def quoted(self) -> tuple[tuple[int, int], str]:
        """The article span the answer quotes and its text."""
        return (self.quote, self.quote_text) if self.quote is not None else (self.sentence, self.text)


class SentenceScorer:
    """Picks each passage's best sentence and re-ranks the passages by it (see the module doc).

    >>> SentenceScorer(store, type_weight=0.1).score(retrieved)[0].score   # doctest: +SKIP
    2.31
    """

    def __init__(self, store, sentence_weight: float = 1.0, lexical_weight: float = 1.0, type_weight: float = 0.1,
                 context_weight: float = 0.75):
        if min(sentence_weight, lexical_weight, type_weight, context_weight) < 0:
            raise ValueError("weights must be >= 0")
        self.store = store
        self.sentence_weight = sentence_weight
        self.lexical_weight = lexical_weight
        self.type_weight = type_weight
        self.context_weight = context_weight
        self._terms: dict[tuple[str, int, int], frozenset[str]] = {}
        self._datelines: dict[tuple[str, int, int], bool] = {}

    def score(self, retrieved: Retrieved, sentence_weight: float | None = None, bias: float = 0.0,
              as_passage_weight: float = 0.0, besides: frozenset[str] = frozenset()) -> list[Candidate]:
        """The candidates of ``retrieved``, best first (``sentence_weight``/``bias``: a cross-lingual question's;
        ``as_passage_weight``: how much a sentence's cosine with ``retrieved.as_passage`` adds to its score;
        ``besides``: sentences that are no answer, a passage of none else offering none)."""
        out = []
        for hit in retrieved.hits:
            candidate = self.best_sentence(hit, retrieved, sentence_weight, bias, as_passage_weight, besides)
            if candidate is not None:
                out.append(candidate)
        out.sort(key=lambda c: -c.score)
        return out

    def best_sentence(self, hit: Hit, retrieved: Retrieved, sentence_weight: float | None = None,
                      bias: float = 0.0, as_passage_weight: float = 0.0,
                      besides: frozenset[str] = frozenset()) -> Candidate | None:
        q = retrieved.question
        p = hit.passage
        headings = {s for s in p.sentences if _looks_like_heading(text_of(hit, s))}
        if len(headings) == len(p.sentences):  # a passage of headings alone (a table of contents) answers from them
            headings = set()
        total = sum(q.terms.values()) or 1.0
        best = None
        previous: frozenset[str] = frozenset()
        heading: frozenset[str] = frozenset()
        dated = q.wants != "yesno" and bool(asked_days(q.text))  # "Was it opened on 15 March?" is answered by the 14th
        whole: dict[tuple[int, int], tuple[int, int]] = {}  # a dateline and the lead it opens, quoted as one
        for line, lead in zip(p.sentences, p.sentences[1:]):  # a heading between them is no lead, nor quoted
            if (line not in whole and line not in headings and lead not in headings
                    and self.dateline(p.doc, line, text_of(hit, line))):
                whole[line] = whole[lead] = (line[0], lead[1])
        for span in p.sentences:
            text = text_of(hit, span)
            if span in headings:
                heading = self.terms(p.doc, span, text)
                continue
            vec = self.store.sentence_vector(p.doc, *span)
            cosine = float(vec @ retrieved.vector) if vec is not None else 0.0
            held = self.terms(p.doc, span, text)
            quote = whole.get(span)
            quoted = text if quote is None else text_of(hit, quote)
            if dated and another_day(quoted, q.text):
                previous = held
                continue  # dated another day than asked: "What happened in Odesa on 3 May 2026?", "Одеса, 3 квітня ..."
            coverage = sum(w for t, w in q.terms.items() if t in held) / total
            context = previous if _REFERS_BACK.search(text) else frozenset()
            if _LIST_ITEM_OR_ROW.match(text):
                context = context | heading
            if self.context_weight and context:
                coverage += self.context_weight * sum(
                    w for t, w in q.terms.items() if t in context and t not in held) / total
            previous = held
            given = supplies(text, q.wants, q.text) if q.wants and q.wants != "yesno" else False
            s = cosine + self.lexical_weight * coverage + self.type_weight * given
            if as_passage_weight and vec is not None and retrieved.as_passage is not None:
                s += as_passage_weight * float(vec @ retrieved.as_passage)
            if (best is None or s > best[0]) and text not in besides and quoted not in besides:
                best = (s, span, text, cosine, coverage, given, quote, None if quote is None else quoted)
        if best is None:
            return None
        s, span, text, cosine, coverage, given, quote, quoted = best
        weight = self.sentence_weight if sentence_weight is None else sentence_weight
        return Candidate(hit, span, text, cosine, coverage, given, s, hit.score + weight * s + bias, quote, quoted)

    def dateline(self, doc: str, span: tuple[int, int], text: str) -> bool:
        """True when the sentence ``text`` is a news story's dateline alone ("Одеса, 3 квітня 2026 р.")."""
        key = (doc, span[0], span[1])
        told = self._datelines.get(key)
        if told is None:
            if len(self._datelines) > 200_000:
                self._datelines.clear()
            told = self._datelines[key] = len(text) <= _DATELINE_CHARS and dateline(text)
        return told

    def terms(self, doc: str, span: tuple[int, int], text: str) -> frozenset[str]:
        key = (doc, span[0], span[1])
        terms = self._terms.get(key)
        if terms is None:
            if len(self._terms) > 200_000:
                self._terms.clear()
            terms = self._terms[key] = stemmed_terms(text)
        return terms


# A pronoun among a sentence's first words refers to what the sentence before it named: in English, Ukrainian, Russian
# ("Його будівництво ... коштувало 1,5 млрд грн." after the bridge's opening) and Romanian (none of them an English word).
_REFERS_BACK = re.compile(
    r"^\W*(?:\S+\s+){0,3}?(it|its|he|his|him|she|her|they|their|them|this|these|those|there"
    r"|він|вона|воно|вони|його|її|їх|їхній|їхня|їхнє|їхні|йому|ним|нею|ними|цей|ця|це|ці|там"
    r"|он|она|оно|они|его|её|ее|их|ему|ей|ней|этот|эта|это|эти"
    r"|ea|ei|ele|lui|său|săi|acesta|aceasta|acestea|aceștia|aceştia|această|acest|acolo)\b", re.I)


def text_of(hit: Hit, span: tuple[int, int]) -> str:
    """The text of the article span ``span`` inside ``hit``'s passage."""
    offset = hit.passage.start
    return hit.passage.text[span[0] - offset : span[1] - offset]


# A list item or a table row states something whether or not it ends in a full stop (notes seldom give one): a
# bullet, a number before three words or more ("2. Staff" is a numbered heading), or a row between bars.
_LIST_ITEM_OR_ROW = re.compile(r"\s*(?:[-*+•‣◦▪]\s+\S|\d{1,3}[.)]\s+(?:\S+\s+){2}\S|\|.*\w.*\|\s*$)")


def _looks_like_heading(text: str) -> bool:
    if _LIST_ITEM_OR_ROW.match(text):
        return False
    return not text.rstrip().endswith((".", "!", "?", "…", '"', "”", "’", "'", ")")) and len(text.split()) <= 10
