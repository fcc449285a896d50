"""The answer engine: question in, cited ``Answer`` out. Shared by every front end.

>>> engine = AnswerEngine(Searcher(store, embedder))       # doctest: +SKIP
>>> answer = engine.ask("where is the summit?")            # doctest: +SKIP
>>> answer.found, answer.answer                             # doctest: +SKIP
(True, 'Stoltenberg said before inviting Zelensky to the NATO summit in Vilnius in July.')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import re

import numpy as np

from bot.language import asks_for, detect
from index.lexical import content_terms, tokenize
from index.search import Hit, Searcher

# Picked on SQuAD `dev` only (see README "Quality"): the highest confidence that costs at most
# 1.5 points of dev recall@1, with each dev question also asked with its article removed.
DEFAULT_THRESHOLD = 1.60


@dataclass(frozen=True)
class Source:
    """A cited passage with the article it comes from; ``sentence`` marks the answer in it."""

    doc: str
    title: str
    date: str | None
    passage: str
    start: int
    end: int
    score: float
    sentence: tuple[int, int] | None = None  # article offsets of the answer sentence
    url: str | None = None

    def label(self) -> str:
        """"Title, date (article id)" for people."""
        parts = [self.title] + ([self.date] if self.date else [])
        return f"{', '.join(parts)} ({self.doc})"

    def to_json(self) -> dict:
        return {
            "doc": self.doc, "title": self.title, "date": self.date, "passage": self.passage,
            "start": self.start, "end": self.end, "score": round(self.score, 6),
        }


@dataclass
class Answer:
    """What the engine says: ``sources[0]`` holds ``answer`` verbatim when ``found``.

    ``sources[1 : 1 + corroborating]`` report the same fact; the rest are further evidence.
    ``score`` is the confidence compared with the threshold (kept when not found, as the reason).
    """

    question: str
    found: bool
    answer: str = ""
    sources: list[Source] = field(default_factory=list)
    corroborating: int = 0
    query: str = ""  # what retrieval was given (the question fused with its context)
    score: float = 0.0
    threshold: float = 0.0
    language: str = "en"  # the question's language: the words around the answer are in it
    candidates: list = field(default_factory=list, repr=False)  # the re-ranked passages, for evaluation

    @property
    def also_reported_by(self) -> list[Source]:
        return self.sources[1 : 1 + self.corroborating]

    def to_json(self) -> dict:
        return {
            "question": self.question, "found": self.found, "answer": self.answer if self.found else "",
            "sources": [s.to_json() for s in self.sources],
        }


@dataclass(frozen=True)
class Candidate:
    """A retrieved passage re-scored with its best sentence: ``score`` ranks the passages."""

    hit: Hit
    sentence: tuple[int, int]
    sentence_score: float
    score: float


class AnswerEngine:
    """Retrieves with ``searcher``, re-ranks passages by their best sentence, picks the answer.

    Each sentence of the ``rerank`` best passages scores its cosine with the question, plus
    ``lexical_weight`` x the idf-weighted share of question terms it holds, plus ``cue_weight``
    when it holds what the question asks for (a date for "when", a number for "how many").
    A passage scores its retrieval score plus ``sentence_weight`` x its best sentence. When the
    best passage scores below ``threshold`` the corpus is taken not to answer.

    A question in another language than the corpus (``cross_lingual_bias`` not None, a model
    that reads both) is ranked by the cosines alone, BM25 and shared words having nothing to
    say across languages; its best sentence counts ``cross_lingual_sentence_weight`` (sentence
    cosines across languages are noisier than the passage's), and ``cross_lingual_bias`` is added
    to its confidence so that one threshold serves both kinds (learned on dev, ``bot.calibration``).

    >>> engine = AnswerEngine(Searcher(store, embedder), threshold=0.5)   # doctest: +SKIP
    >>> engine.ask("Who wrote Hamlet?").found                              # doctest: +SKIP
    False
    """

    def __init__(
        self,
        searcher: Searcher,
        threshold: float = DEFAULT_THRESHOLD,
        max_sources: int = 5,
        corroboration: float = 0.6,
        rerank: int = 30,
        sentence_weight: float = 1.0,
        lexical_weight: float = 1.0,
        cue_weight: float = 0.1,
        cross_lingual_bias: float | None = None,
        cross_lingual_sentence_weight: float = 0.5,
    ):
        if not 0 < max_sources <= 50:
            raise ValueError("max_sources must be between 1 and 50")
        if not 0.0 <= corroboration <= 1.0:
            raise ValueError("corroboration is a cosine between 0 and 1")
        if rerank < 1:
            raise ValueError("rerank must be >= 1")
        if min(sentence_weight, lexical_weight, cue_weight, cross_lingual_sentence_weight) < 0:
            raise ValueError("weights must be >= 0")
        self.searcher = searcher
        self.store = searcher.store
        self.threshold = float(threshold)
        self.max_sources = max_sources
        self.corroboration = corroboration
        self.rerank = max(rerank, max_sources)
        self.sentence_weight = sentence_weight
        self.lexical_weight = lexical_weight
        self.cue_weight = cue_weight
        self.cross_lingual_bias = cross_lingual_bias
        self.cross_lingual_sentence_weight = cross_lingual_sentence_weight
        self._corpus_language: str | None = None
        self._terms: dict[tuple[str, int, int], frozenset[str]] = {}

    def warm_up(self) -> None:
        """Load the model now rather than on the first question."""
        self.searcher.embed_query("warm up")

    def ask(self, question: str, context: str | None = None, exclude: frozenset[str] = frozenset()) -> Answer:
        """Answer ``question``; ``context`` is the earlier question a follow-up leans on.

        ``exclude`` holds article ids to leave out (evaluation uses it to simulate absent articles).
        """
        question = " ".join(question.split())
        query = f"{context} {question}" if context else question
        answer = Answer(question=question, found=False, query=query, threshold=self.threshold)
        ranked = self.rank(question, context, exclude)
        answer.language = detect(question)
        if not ranked:
            return answer
        best = ranked[0]
        answer.score = best.score
        answer.candidates = ranked
        if best.score < self.threshold:
            return answer
        chosen = self._distinct([c.hit for c in ranked], limit=self.max_sources)
        svec = self.store.sentence_vector(best.hit.passage.doc, *best.sentence)
        corroborating, others = [], []
        for hit in chosen[1:]:
            match = None
            if hit.passage.doc != best.hit.passage.doc and not any(s.doc == hit.passage.doc for s in corroborating):
                match = self._corroborates(hit, svec)
            if match is not None:
                corroborating.append(self._source(hit, match))
            else:
                others.append(self._source(hit, None))
        answer.found = True
        answer.answer = self._text(best.hit, best.sentence)
        answer.sources = ([self._source(best.hit, best.sentence)] + corroborating + others)[: self.max_sources]
        answer.corroborating = min(len(corroborating), self.max_sources - 1)
        return answer

    def rank(self, question: str, context: str | None = None, exclude: frozenset[str] = frozenset()) -> list[Candidate]:
        """The re-ranked candidate passages for ``question``, best first."""
        question = " ".join(question.split())
        query = f"{context} {question}" if context else question
        qvec = self.searcher.embed_query(question)
        if context:
            # The follow-up's own words lead; the earlier question supplies what it leaves out.
            qvec = _normalise(self.searcher.embed_query(query) + qvec)
        cross = self.cross_lingual(question)
        hits = self.searcher.search(_topic_words(query), k=self.rerank, vector=qvec, exclude=exclude, lexical=not cross)
        if not hits:
            return []
        terms = {} if cross else _weights(self.store.bm25, question, context)
        cue = asks_for(question) if cross else question_cue(question)
        bias = self.cross_lingual_bias if cross else 0.0
        sentence_weight = self.cross_lingual_sentence_weight if cross else self.sentence_weight
        top = max(abs(hits[0].score), 1e-9) if self.searcher.fusion == "rrf" and self.searcher.mode == "hybrid" else 1.0
        out = []
        for hit in hits:
            spans, scores = self.sentence_scores(hit, qvec, terms, cue)
            i = int(np.argmax(scores))
            score = hit.score / top + sentence_weight * float(scores[i]) + bias
            out.append(Candidate(hit, spans[i], float(scores[i]), score))
        out.sort(key=lambda c: -c.score)
        return out

    def corpus_language(self) -> str:
        """The language most passages are in (read once from up to 200 passages spread over the corpus)."""
        if self._corpus_language is None:
            passages = list(self.store.passages.values())
            sample = passages[:: max(1, len(passages) // 200)]
            votes: dict[str, int] = {}
            for p in sample:
                lang = detect(p.text[:400])
                votes[lang] = votes.get(lang, 0) + 1
            self._corpus_language = max(sorted(votes), key=votes.get) if votes else "en"
        return self._corpus_language

    def cross_lingual(self, question: str) -> bool:
        """True when ``question`` is in another language than the corpus and the model reads both."""
        return self.cross_lingual_bias is not None and detect(question) != self.corpus_language()

    # ---- sentence choice -----------------------------------------------------------------
    def sentence_scores(self, hit: Hit, qvec: np.ndarray, terms: dict[str, float], cue: str | None):
        """Spans of the answerable sentences of ``hit`` and their scores (see the class doc)."""
        p = hit.passage
        spans = [s for s in p.sentences if not (_looks_like_heading(self._text(hit, s)) and len(p.sentences) > 1)]
        spans = spans or list(p.sentences)
        vecs = [self.store.sentence_vector(p.doc, *s) for s in spans]
        cosines = np.array([float(v @ qvec) if v is not None else 0.0 for v in vecs])
        total = sum(terms.values()) or 1.0
        lexical = np.array([sum(w for t, w in terms.items() if t in self._sentence_terms(hit, s)) / total for s in spans])
        scores = cosines + self.lexical_weight * lexical
        if cue and self.cue_weight:
            scores = scores + self.cue_weight * np.array([has_cue(self._text(hit, s), cue) for s in spans])
        return spans, scores

    def _sentence_terms(self, hit: Hit, span: tuple[int, int]) -> frozenset[str]:
        key = (hit.passage.doc, span[0], span[1])
        terms = self._terms.get(key)
        if terms is None:
            terms = self._terms[key] = frozenset(_stem(t) for t in content_terms(self._text(hit, span)))
        return terms

    def _corroborates(self, hit: Hit, svec) -> tuple[int, int] | None:
        """The sentence of ``hit`` that says what the answer sentence says, if any."""
        if svec is None:
            return None
        best, best_sim = None, self.corroboration
        for span in hit.passage.sentences:
            vec = self.store.sentence_vector(hit.passage.doc, *span)
            if vec is not None and float(vec @ svec) >= best_sim:
                best, best_sim = span, float(vec @ svec)
        return best

    # ---- sources -------------------------------------------------------------------------
    def _distinct(self, hits: list[Hit], limit: int | None = None) -> list[Hit]:
        """Up to ``limit`` hits minus overlapping windows of one article and near-identical passages."""
        kept: list[Hit] = []
        vectors: list[np.ndarray] = []
        for hit in hits:
            p = hit.passage
            if any(k.passage.doc == p.doc and k.passage.start < p.end and p.start < k.passage.end for k in kept):
                continue
            vector = self.store.vector(p.id)
            if vectors and float(np.max(np.stack(vectors) @ vector)) >= 0.95:
                continue
            kept.append(hit)
            vectors.append(vector)
            if limit is not None and len(kept) >= limit:
                break
        return kept

    def _text(self, hit: Hit, span: tuple[int, int]) -> str:
        offset = hit.passage.start
        return hit.passage.text[span[0] - offset : span[1] - offset]

    def _source(self, hit: Hit, sentence: tuple[int, int] | None) -> Source:
        info = self.store.articles[hit.passage.doc]
        p = hit.passage
        return Source(info.id, info.title, info.date, p.text, p.start, p.end, hit.score, sentence, info.url)


# ---- what a question asks for ----------------------------------------------------------------
_CUES = (
    ("number", re.compile(r"^\s*(?:\w+\s+){0,3}?(how (many|much|long|old|far|large|big|tall|high)|what (percentage|percent|number|amount))\b", re.I)),
    ("time", re.compile(r"^\s*(?:\w+\s+){0,3}?(when|what (year|date|time|day|month|century|decade|period|era)|(in|by|since|until) what (year|date|time|century))\b", re.I)),
    ("person", re.compile(r"^\s*(?:\w+\s+){0,3}?(who|whom|whose)\b", re.I)),
    ("place", re.compile(r"^\s*(?:\w+\s+){0,3}?(where|what (country|city|state|place|region|location|continent))\b", re.I)),
)
_MONTHS = "january february march april may june july august september october november december".split()
_HAS = {
    "number": re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half)\b", re.I),
    "time": re.compile(r"\b(1\d{3}|20\d{2}|\d{1,2}(st|nd|rd|th)? century|" + "|".join(_MONTHS) + r"|yesterday|today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|last (week|month|year|september|spring|summer|autumn|fall|winter))\b", re.I),
    "person": re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+"),
    "place": re.compile(r"\b(in|at|near|from|to) (the )?[A-Z][a-z]+"),
}


def question_cue(question: str) -> str | None:
    """What kind of answer ``question`` wants: "number", "time", "person", "place" or None."""
    for name, pattern in _CUES:
        if pattern.search(question):
            return name
    return None


def has_cue(sentence: str, cue: str) -> float:
    """1.0 when ``sentence`` holds the kind of thing ``cue`` asks for, else 0.0."""
    return 1.0 if _HAS[cue].search(sentence) else 0.0


def _stem(term: str) -> str:
    """A light suffix strip so "invaded" meets "invade" and "summits" meets "summit"."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(term) > len(suffix) + 3 and term.endswith(suffix):
            return term[: -len(suffix)]
    return term


# Words of the question's frame ("according to", "what is the name of") rather than its topic.
QUESTION_FRAME = frozenset(
    "according name named names called call known refer refers referred term terms want wants wanted "
    "kind type sort example mean means meaning describe described say said".split()
)


def _topic_words(query: str) -> str:
    """The query for BM25 without its frame words ("what does NATO want to ensure" -> no "want")."""
    return " ".join(t for t in tokenize(query) if t not in QUESTION_FRAME)


def _weights(bm25, question: str, context: str | None) -> dict[str, float]:
    """Idf weight of each question term; terms only in the earlier question count half."""
    weights: dict[str, float] = {}
    for term in content_terms(context or ""):
        if term not in QUESTION_FRAME:
            weights[_stem(term)] = 0.5 * bm25.idf(term)
    for term in content_terms(question):
        if term not in QUESTION_FRAME:
            weights[_stem(term)] = bm25.idf(term)
    return weights


def _looks_like_heading(text: str) -> bool:
    return not text.rstrip().endswith((".", "!", "?", "…", '"', "”", "’", "'", ")")) and len(text.split()) <= 10


def _normalise(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
