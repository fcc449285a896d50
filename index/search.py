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


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its scores: ``score`` ranks, ``dense`` is the cosine."""

    passage: Passage
    score: float
    dense: float
    lexical: float


class Searcher:
    """Retrieves passages from ``store``, embedding queries with ``embedder``.

    ``mode`` is "hybrid" (reciprocal rank fusion of BM25 and dense), "dense" or "lexical".
    """

    def __init__(self, store: Store, embedder: Embedder, mode: str = "hybrid", depth: int = 50, rrf_k: int = 60):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if depth < 1 or rrf_k < 1:
            raise ValueError("depth and rrf_k must be >= 1")
        self.store = store
        self.embedder = embedder
        self.mode = mode
        self.depth = depth
        self.rrf_k = rrf_k

    def embed_query(self, query: str) -> np.ndarray:
        return self.embedder.embed([query])[0]

    def search(self, query: str, k: int = 10, vector: np.ndarray | None = None) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first."""
        if vector is None:
            vector = self.embed_query(query)
        depth = max(self.depth, k)
        dense_ids, dense_scores = self.store.dense_search(vector, depth) if self.mode != "lexical" else ([], [])
        lex_ids, lex_scores = self.store.lexical_search(query, depth) if self.mode != "dense" else ([], [])
        fused: dict[int, float] = {}
        for ranked in (dense_ids, lex_ids):
            for rank, pid in enumerate(ranked):
                fused[int(pid)] = fused.get(int(pid), 0.0) + 1.0 / (self.rrf_k + rank + 1)
        lexical = {int(p): float(s) for p, s in zip(lex_ids, lex_scores)}
        ranked = sorted(fused, key=lambda pid: -fused[pid])[:k]
        hits = []
        for pid in ranked:
            cosine = float(self.store.vector(pid) @ vector)
            hits.append(Hit(self.store.passage(pid), fused[pid], cosine, lexical.get(pid, 0.0)))
        return hits
