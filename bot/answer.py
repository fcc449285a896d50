"""The answer engine: question in, cited ``Answer`` out. Shared by every front end.

>>> engine = AnswerEngine(Searcher(store, embedder))       # doctest: +SKIP
>>> answer = engine.ask("where is the summit?")            # doctest: +SKIP
>>> answer.found, answer.answer                             # doctest: +SKIP
(True, 'Stoltenberg said before inviting Zelensky to the NATO summit in Vilnius in July.')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index.lexical import content_terms
from index.search import Hit, Searcher

# Calibrated on ../shared/eval (see README "Quality"): below this cosine nothing answers.
DEFAULT_THRESHOLD = 0.3


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
    """

    question: str
    found: bool
    answer: str = ""
    sources: list[Source] = field(default_factory=list)
    corroborating: int = 0
    query: str = ""  # what retrieval was given (the question fused with its context)

    @property
    def also_reported_by(self) -> list[Source]:
        return self.sources[1 : 1 + self.corroborating]

    def to_json(self) -> dict:
        return {
            "question": self.question, "found": self.found, "answer": self.answer if self.found else "",
            "sources": [s.to_json() for s in self.sources],
        }


class AnswerEngine:
    """Retrieves with ``searcher``, picks the answer sentence, groups corroborating articles.

    ``threshold``: when no sentence of the top ``candidates`` passages reaches this cosine with
    the question, the corpus is taken not to answer. The answer sentence maximises cosine plus
    ``lexical_weight`` x the idf-weighted share of question terms it contains, plus
    ``rank_weight`` x its passage's retrieval score relative to the best.
    """

    def __init__(
        self,
        searcher: Searcher,
        threshold: float = DEFAULT_THRESHOLD,
        max_sources: int = 5,
        corroboration: float = 0.6,
        depth: int = 20,
        candidates: int = 5,
        lexical_weight: float = 0.5,
        rank_weight: float = 0.3,
    ):
        if not 0 < max_sources <= 50:
            raise ValueError("max_sources must be between 1 and 50")
        if not -1.0 <= threshold <= 1.0 or not 0.0 <= corroboration <= 1.0:
            raise ValueError("threshold and corroboration are cosines")
        self.searcher = searcher
        self.store = searcher.store
        self.threshold = threshold
        self.max_sources = max_sources
        self.corroboration = corroboration
        self.depth = max(depth, max_sources, candidates)
        self.candidates = candidates
        self.lexical_weight = lexical_weight
        self.rank_weight = rank_weight

    def warm_up(self) -> None:
        """Load the model now rather than on the first question."""
        self.searcher.embed_query("warm up")

    def ask(self, question: str, context: str | None = None) -> Answer:
        """Answer ``question``; ``context`` is the earlier question a follow-up leans on."""
        question = " ".join(question.split())
        query = f"{context} {question}" if context else question
        qvec = self.searcher.embed_query(question)
        rvec = qvec if not context else _normalise(self.searcher.embed_query(query) + qvec)
        hits = self.searcher.search(query, k=self.depth, vector=rvec)
        answer = Answer(question=question, found=False, query=query)
        if not hits:
            return answer
        terms = set(content_terms(question)) | (set(content_terms(context)) if context else set())
        top_score = hits[0].score or 1.0
        candidates = []  # (rank score, sentence cosine, hit, sentence)
        for hit in hits[: self.candidates]:
            span, score, cosine = self._best_sentence(hit, qvec, terms)
            candidates.append((score + self.rank_weight * hit.score / top_score, cosine, hit, span))
        if max(c[1] for c in candidates) < self.threshold:
            return answer
        _, _, best, sentence = max(candidates, key=lambda c: c[0])
        chosen = self._distinct([best] + [h for h in hits if h is not best])
        svec = self.store.sentence_vector(best.passage.doc, *sentence)
        corroborating, others = [], []
        for hit in chosen[1:]:
            match = self._corroborates(hit, svec, qvec) if hit.passage.doc != best.passage.doc else None
            if match is not None and not any(s.doc == hit.passage.doc for s in corroborating):
                corroborating.append(self._source(hit, match))
            else:
                others.append(self._source(hit, None))
        answer.found = True
        answer.answer = self._text(best, sentence)
        answer.sources = ([self._source(best, sentence)] + corroborating + others)[: self.max_sources]
        answer.corroborating = min(len(corroborating), self.max_sources - 1)
        return answer

    # ---- sentence choice -----------------------------------------------------------------
    def _best_sentence(self, hit: Hit, qvec: np.ndarray, terms: set[str]) -> tuple[tuple[int, int], float, float]:
        """The sentence of ``hit`` that best answers: (span, combined score, cosine)."""
        bm25 = self.store.bm25
        total = sum(bm25.idf(t) for t in terms) or 1.0
        best = None
        for span in hit.passage.sentences:
            text = self._text(hit, span)
            if _looks_like_heading(text) and len(hit.passage.sentences) > 1:
                continue  # a heading is context, not an answer
            vec = self.store.sentence_vector(hit.passage.doc, *span)
            cosine = float(vec @ qvec) if vec is not None else 0.0
            lexical = sum(bm25.idf(t) for t in terms & set(content_terms(text))) / total
            score = cosine + self.lexical_weight * lexical
            if best is None or score > best[1]:
                best = (span, score, cosine)
        return best

    def _corroborates(self, hit: Hit, svec, qvec) -> tuple[int, int] | None:
        """The sentence of ``hit`` that says what the answer sentence says, if any."""
        if svec is None:
            return None
        best, best_sim = None, self.corroboration
        for span in hit.passage.sentences:
            vec = self.store.sentence_vector(hit.passage.doc, *span)
            if vec is not None and float(vec @ svec) >= best_sim and float(vec @ qvec) >= self.threshold:
                best, best_sim = span, float(vec @ svec)
        return best

    # ---- sources -------------------------------------------------------------------------
    def _distinct(self, hits: list[Hit]) -> list[Hit]:
        """Hits minus overlapping windows of the same article and near-identical passages."""
        kept: list[Hit] = []
        for hit in hits:
            p = hit.passage
            duplicate = any(
                (k.passage.doc == p.doc and k.passage.start < p.end and p.start < k.passage.end)
                or float(self.store.vector(k.passage.id) @ self.store.vector(p.id)) >= 0.95
                for k in kept
            )
            if not duplicate:
                kept.append(hit)
        return kept

    def _text(self, hit: Hit, span: tuple[int, int]) -> str:
        offset = hit.passage.start
        return hit.passage.text[span[0] - offset : span[1] - offset]

    def _source(self, hit: Hit, sentence: tuple[int, int] | None) -> Source:
        info = self.store.articles[hit.passage.doc]
        p = hit.passage
        return Source(info.id, info.title, info.date, p.text, p.start, p.end, hit.score, sentence, info.url)


def _looks_like_heading(text: str) -> bool:
    return not text.rstrip().endswith((".", "!", "?", "…", '"', "”", "’", "'", ")")) and len(text.split()) <= 10


def _normalise(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
