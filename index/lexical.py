"""BM25 over passages in plain numpy: no scipy import on the query path.

Scores match bm25s' default ("lucene") variant with k1=1.5, b=0.75.

>>> bm25 = BM25.build(["the summit is in Vilnius", "the war goes on"])
>>> bm25.top("where is the summit", 1)  # doctest: +SKIP
(array([0]), array([0.98], dtype=float32))
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np

# A word; an apostrophe between Cyrillic letters (Ukrainian "м'ята", "п’ять") stays inside it.
_TOKEN = re.compile(r"\w+(?:['’ʼ](?=[а-яёіїєґ])\w+)*")
# Romanian s/t with cedilla (ş ţ, old keyboards) and with comma below (ș ț) are one letter; both, and
# ă â î, fold to the plain letter, as many people type Romanian without diacritics. Russian ё -> е,
# as it is usually written. Apostrophes fold to one.
_FOLD = str.maketrans({"ș": "s", "ş": "s", "ț": "t", "ţ": "t", "ă": "a", "â": "a", "î": "i", "ё": "е",
                       "’": "'", "ʼ": "'"})


def tokenize(text: str) -> list[str]:
    """Lower-cased words of ``text``, Latin, Cyrillic or other, with Romanian diacritics folded.

    >>> tokenize("Ședința a avut loc în Chişinău; п’ять")
    ['sedinta', 'a', 'avut', 'loc', 'in', 'chisinau', "п'ять"]
    """
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower().translate(_FOLD))


def best_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest positive ``scores``, best first (ties by index)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype="int64")
    rows = np.argpartition(-scores, k - 1)[:k]
    rows = rows[np.argsort(-scores[rows], kind="stable")]
    return rows[scores[rows] > 0]


class BM25:
    """Inverted index: for each term, the rows that contain it and their precomputed weights."""

    def __init__(self, vocab: dict[str, int], offsets: np.ndarray, rows: np.ndarray, weights: np.ndarray, size: int):
        self.vocab = vocab
        self.offsets = offsets  # postings of term t are rows[offsets[t]:offsets[t+1]]
        self.rows = rows
        self.weights = weights
        self.size = size

    @classmethod
    def build(cls, texts: list[str], k1: float = 1.5, b: float = 0.75) -> BM25:
        counts = [Counter(tokenize(t)) for t in texts]
        lengths = np.array([sum(c.values()) for c in counts], dtype="float64")
        avg = lengths.mean() if len(lengths) and lengths.mean() > 0 else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for row, counter in enumerate(counts):
            for term, tf in counter.items():
                postings.setdefault(term, []).append((row, tf))
        vocab = {term: i for i, term in enumerate(sorted(postings))}
        offsets = np.zeros(len(vocab) + 1, dtype="int64")
        all_rows, all_weights = [], []
        n = len(texts)
        for term, i in vocab.items():
            plist = postings[term]
            rows = np.array([r for r, _ in plist], dtype="int32")
            tf = np.array([f for _, f in plist], dtype="float64")
            idf = np.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
            norm = k1 * (1 - b + b * lengths[rows] / avg)
            all_rows.append(rows)
            all_weights.append((idf * tf / (tf + norm)).astype("float32"))
            offsets[i + 1] = offsets[i] + len(plist)
        rows = np.concatenate(all_rows) if all_rows else np.zeros(0, dtype="int32")
        weights = np.concatenate(all_weights) if all_weights else np.zeros(0, dtype="float32")
        return cls(vocab, offsets, rows, weights, n)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for ``query`` (each distinct query term counted once per use)."""
        scores = np.zeros(self.size, dtype="float32")
        for term in tokenize(query):
            i = self.vocab.get(term)
            if i is not None:
                lo, hi = self.offsets[i], self.offsets[i + 1]
                scores[self.rows[lo:hi]] += self.weights[lo:hi]  # a term lists each row once
        return scores

    def idf(self, term: str) -> float:
        """Inverse document frequency of ``term``; an unseen term counts as rare."""
        i = self.vocab.get(term)
        df = 0 if i is None else int(self.offsets[i + 1] - self.offsets[i])
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))

    def top(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the ``k`` best rows with a positive score, best first."""
        scores = self.scores(query)
        rows = best_rows(scores, k)
        return rows, scores[rows]

    def save(self, path: Path) -> None:
        terms = np.array(sorted(self.vocab, key=self.vocab.get), dtype=object)
        np.savez(path, terms=terms.astype(str), offsets=self.offsets, rows=self.rows, weights=self.weights,
                 size=np.array([self.size]))

    @classmethod
    def load(cls, path: Path) -> BM25:
        data = np.load(path, allow_pickle=False)
        vocab = {term: i for i, term in enumerate(data["terms"].tolist())}
        return cls(vocab, data["offsets"], data["rows"], data["weights"], int(data["size"][0]))


STOPWORDS = frozenset(
    """a an the and or but if of at by for with about against between into through during before after
    above below to from up down in out on off over under again further then once here there when where
    why how all any both each few more most other some such no nor not only own same so than too very
    s t can will just don should now is are was were be been being have has had having do does did doing
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
    hers herself it its itself they them their theirs themselves what which who whom whose this that
    these those am would could may might must shall also as""".split()
)


def content_terms(text: str) -> list[str]:
    """The tokens of ``text`` that carry meaning (stopwords dropped)."""
    return [t for t in tokenize(text) if t not in STOPWORDS]
