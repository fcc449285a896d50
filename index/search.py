"""Find the passages that best answer a query: BM25 and dense retrieval, fused.

>>> searcher = Searcher(store, embedder)                     # doctest: +SKIP
>>> hit = searcher.search("where is the summit?", k=5)[0]   # doctest: +SKIP
>>> hit.passage.doc, round(hit.dense, 2)                     # doctest: +SKIP
('004_e0449b7e4a93b6e4.txt', 0.52)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.embedder import Embedder
from index.passages import Passage
from index.store import Store

MODES = ("hybrid", "dense", "lexical")
FUSIONS = ("score", "rrf")
WITHIN_PASSAGES = 2000  # of the articles a question's links name: the cost of scoring them is bounded


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its scores: ``score`` ranks, ``dense`` is the cosine, ``lexical`` BM25."""

    passage: Passage
    score: float
    dense: float
    lexical: float


class Searcher:
    """Retrieves passages from ``store``, embedding queries with ``embedder``.

    ``mode`` is "hybrid", "dense" or "lexical". Hybrid takes the union of the ``depth`` best
    passages of each and fuses them either by ``fusion="score"`` (cosine plus ``lexical_weight``
    x BM25 relative to the best BM25 of the query: both scales are meaningful, so a strong match
    on one side is not flattened into a rank) or ``fusion="rrf"`` (reciprocal rank fusion, ``rrf_k``).

    >>> Searcher(store, embedder, mode="dense").search("who visited Kyiv?", k=1)  # doctest: +SKIP
    """

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        mode: str = "hybrid",
        depth: int = 50,
        fusion: str = "score",
        lexical_weight: float = 0.45,
        rrf_k: int = 60,
    ):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}")
        if depth < 1 or rrf_k < 1:
            raise ValueError("depth and rrf_k must be >= 1")
        if lexical_weight < 0:
            raise ValueError("lexical_weight must be >= 0")
        self.store = store
        self.embedder = embedder
        self.mode = mode
        self.depth = depth
        self.fusion = fusion
        self.lexical_weight = lexical_weight
        self.rrf_k = rrf_k

    def embed_query(self, query: str) -> np.ndarray:
        return self.embedder.embed_queries([query])[0]

    def embed_as_passage(self, text: str) -> np.ndarray:
        """Question ``text`` embedded as the passages are (e5's "passage: " prefix; the query vector for other
        models), cut to one window like a question."""
        return self.embedder.embed_queries([text], as_passage=True)[0]

    def search(
        self, query: str, k: int = 10, vector: np.ndarray | None = None, exclude: frozenset[str] = frozenset(),
        lexical: bool = True, within: frozenset[str] | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first; passages of ``exclude`` articles are skipped.

        ``lexical=False`` ranks a hybrid search by the dense score alone (BM25 still reported): a
        question in another language than the passages shares no words with them, and a zero
        BM25 must not count against a passage. ``within``: only the passages of these articles (a question
        about the article a link names), scored and fused alike, at most ``WITHIN_PASSAGES`` of them.
        """
        mode = self.mode if lexical or self.mode == "lexical" else "dense"
        if vector is None:
            vector = self.embed_query(query)
        if within is not None:
            return self._within(query, k, vector, within - exclude, mode)
        depth = max(self.depth, k)
        pad = self.store.passage_count(exclude) if exclude else 0
        dense: dict[int, float] = {}
        dense_rank: dict[int, int] = {}
        if self.mode != "lexical":
            ids, scores = self.store.dense_search(vector, depth + pad)
            for pid, score in zip(ids.tolist(), scores.tolist()):
                if len(dense) < depth and (not exclude or self.store.passage(pid).doc not in exclude):
                    dense_rank[pid] = len(dense)
                    dense[pid] = float(score)
        lexical: dict[int, float] = {}
        lexical_rank: dict[int, int] = {}
        if self.mode != "dense":
            ids, scores = self.store.lexical_search(query, depth + pad)
            for pid, score in zip(ids.tolist(), scores.tolist()):
                if len(lexical) < depth and (not exclude or self.store.passage(pid).doc not in exclude):
                    lexical_rank[pid] = len(lexical)
                    lexical[pid] = float(score)
        pool = list(dict.fromkeys(list(dense) + list(lexical)))
        # Every candidate gets both scores, so fusion never treats "not in the other list" as zero.
        missing = [pid for pid in pool if pid not in dense]
        dense.update(zip(missing, self.store.dense_scores(vector, missing).tolist()))
        if self.mode != "dense":
            missing = [pid for pid in pool if pid not in lexical]
            lexical.update(zip(missing, self.store.lexical_scores(query, missing).tolist()))
        return self._fused(pool, k, mode, dense, lexical, dense_rank, lexical_rank)

    def _within(self, query: str, k: int, vector: np.ndarray, docs: frozenset[str], mode: str) -> list[Hit]:
        """The ``k`` best passages of the articles ``docs`` (their first ``WITHIN_PASSAGES`` in all)."""
        pool = [p.id for doc in sorted(docs) for p in self.store.article_passages(doc)][:WITHIN_PASSAGES]
        if not pool:
            return []
        dense = dict(zip(pool, self.store.dense_scores(vector, pool).tolist()))
        lexical = dict(zip(pool, self.store.lexical_scores(query, pool).tolist())) if self.mode != "dense" else {}
        dense_rank = {pid: r for r, pid in enumerate(sorted(pool, key=lambda pid: (-dense[pid], pid)))}
        lexical_rank = {pid: r for r, pid in enumerate(sorted(pool, key=lambda pid: (-lexical[pid], pid)))} \
            if lexical else {}
        return self._fused(pool, k, mode, dense, lexical, dense_rank, lexical_rank)

    def _fused(self, pool: list[int], k: int, mode: str, dense: dict, lexical: dict, dense_rank: dict,
               lexical_rank: dict) -> list[Hit]:
        """The ``k`` best of ``pool`` by the fusion of their dense and lexical scores (or ranks), best first."""
        best_lexical = max(lexical.values(), default=0.0) or 1.0
        fused: dict[int, float] = {}
        for pid in pool:
            if mode == "dense":
                fused[pid] = dense[pid]
            elif mode == "lexical":
                fused[pid] = lexical[pid]
            elif self.fusion == "rrf":
                fused[pid] = sum(
                    1.0 / (self.rrf_k + ranks[pid] + 1) for ranks in (dense_rank, lexical_rank) if pid in ranks
                )
            else:
                fused[pid] = dense[pid] + self.lexical_weight * lexical[pid] / best_lexical
        ranked = sorted(pool, key=lambda pid: (-fused[pid], pid))[:k]
        self.store.prefetch(ranked)  # the answer stage reads these passages' sentences next
        return [Hit(self.store.passage(pid), fused[pid], dense[pid], lexical.get(pid, 0.0)) for pid in ranked]
