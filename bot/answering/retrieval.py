"""Retrieval: the passages that may answer a ``Question`` (BM25 and dense search, fused).

>>> retrieved = Retriever(searcher).retrieve(question)     # doctest: +SKIP
>>> retrieved.hits[0].passage.doc                           # doctest: +SKIP
'004_e0449b7e4a93b6e4.txt'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.answering.question import Question
from index.search import Hit, Searcher


@dataclass(frozen=True)
class Retrieved:
    """The ``hits`` for ``question``, best first, and the query vector they were found with (``as_passage``:
    the question also embedded as a passage, when asked for)."""

    question: Question
    vector: np.ndarray
    hits: list[Hit]
    as_passage: np.ndarray | None = None


class Retriever:
    """Searches ``searcher`` for the ``depth`` best passages of a question.

    A follow-up's vector is its own embedding plus that of the question fused with its context:
    its own words lead, the earlier question supplies what it leaves out.

    >>> Retriever(searcher, depth=30).retrieve(analyse("who visited Kyiv?", None, bm25))  # doctest: +SKIP
    """

    def __init__(self, searcher: Searcher, depth: int = 30):
        if depth < 1:
            raise ValueError("depth must be >= 1")
        self.searcher = searcher
        self.depth = depth

    def retrieve(self, question: Question, exclude: frozenset[str] = frozenset(), lexical: bool = True,
                 as_passage: bool = False, within: frozenset[str] | None = None) -> Retrieved:
        """``as_passage``: also embed the question as a passage (``Retrieved.as_passage``); ``within``: only the
        passages of these articles."""
        vector = _read(self.searcher.embed_query, question)
        passage_vector = _read(self.searcher.embed_as_passage, question) if as_passage else None
        hits = self.searcher.search(question.topic_words, k=self.depth, vector=vector, exclude=exclude, lexical=lexical,
                                      within=within)
        if self.searcher.fusion == "rrf" and self.searcher.mode == "hybrid" and hits:
            top = max(abs(hits[0].score), 1e-9)  # put reciprocal-rank scores on the cosine's scale
            hits = [Hit(h.passage, h.score / top, h.dense, h.lexical) for h in hits]
        return Retrieved(question, vector, hits, passage_vector)


def _read(embed, question: Question) -> np.ndarray:
    """``question`` embedded by ``embed``; a follow-up's plus that of the question fused with its context."""
    vector = embed(question.text)
    return _normalise(embed(question.query) + vector) if question.context else vector


def _normalise(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
