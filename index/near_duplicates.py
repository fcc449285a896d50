"""Near-identical texts found among many without keeping every text's word 5-grams in memory.

A ``Fingerprint`` keeps an article's number of 5-grams and the smallest of their hashes: enough to rule
out, with certainty, most articles whose Jaccard similarity to a new text is under the threshold (a size
filter and a prefix filter), and to estimate it for the rest (a bottom-k sketch). Only the few articles
left are read again and compared in full.

>>> a = shingles("NATO Secretary General Jens Stoltenberg arrived in Kyiv on Thursday for talks")
>>> b = shingles("NATO Secretary General Jens Stoltenberg arrived in Kyiv on Thursday for talks.")
>>> Fingerprint.of(a, 0.9).may_reach(Fingerprint.of(b, 0.9), 0.9), similarity(a, b)
(True, 1.0)

Near-identical texts can still tell two moments of a story apart, by their figures:

>>> disagree("The death toll rose to 12 on Sunday.", "The death toll rose to 15 on Tuesday.")
True
>>> disagree("1,500 soldiers came on April 20.", "On 20 April 1500 soldiers came."), disagree("12 died.", "Many died.")
(False, False)
"""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_SHINGLE = 5
SKETCH = 128  # hashes a fingerprint keeps at least: its similarity estimate errs by about 0.03 at 0.9
# A pair estimated this far under the threshold is not compared in full. At 0.9 and 128 hashes the estimate's
# standard deviation is 0.027: a pair at the threshold would have to be estimated 7 deviations low.
ESTIMATE_MARGIN = 0.2
# A figure as news writes it: 12, 1,500 (its thousands separators dropped), 3.5
_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")


def shingles(text: str) -> frozenset[int]:
    """Hashes of the word 5-grams of ``text`` (case and punctuation ignored)."""
    words = list(map(str.lower, _WORD.findall(text)))
    if len(words) < _SHINGLE:
        return frozenset({hash(" ".join(words))})
    # Each run of _SHINGLE words, joined by map and zip rather than a slice per word: the same hashes, 15% sooner
    # (each file of the corpus is fingerprinted when `citebot add` or a feed update first looks at it)
    return frozenset(map(hash, map(" ".join, zip(*(words[i:] for i in range(_SHINGLE))))))


def figures(text: str) -> frozenset[str]:
    """The figures ``text`` states."""
    return frozenset(f.replace(",", "") for f in _FIGURE.findall(text))


def disagree(text: str, other: str) -> bool:
    """True when each text states a figure the other does not: "rose to 12" against "rose to 15", the same
    story's earlier and later count, or two outlets' different ones."""
    mine, theirs = figures(text), figures(other)
    return bool(mine - theirs) and bool(theirs - mine)


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard similarity of two sets of 5-gram hashes."""
    return len(a & b) / len(a | b) if a and b else 0.0


def _prefix(size: int, threshold: float) -> int:
    """How many of the smallest hashes two sets at or over ``threshold`` surely share one of (prefix filtering,
    Chaudhuri et al. 2006): all but the ``ceil(threshold * size) - 1`` largest."""
    return size - math.ceil(threshold * size - 1e-9) + 1  # the epsilon: 0.55 * 100 is 55.00000000000001


@dataclass(frozen=True)
class Fingerprint:
    """An article's number of distinct 5-grams and its smallest 5-gram hashes, ascending."""

    size: int
    smallest: array  # of 64-bit hashes: an eighth of the memory of a tuple of ints

    @classmethod
    def of(cls, hashes: frozenset[int], threshold: float) -> Fingerprint:
        keep = max(SKETCH, _prefix(len(hashes), threshold))
        return cls(len(hashes), array("q", sorted(hashes)[:keep]))

    def may_reach(self, other: Fingerprint, threshold: float) -> bool:
        """False when the two texts' similarity is surely (size, prefix) or all but surely (sketch) under
        ``threshold``; True when they must be compared in full."""
        if not self.size or not other.size:
            return False
        if min(self.size, other.size) < threshold * max(self.size, other.size) - 1e-9:
            return False  # Jaccard is at most the smaller set over the larger
        mine = set(self.smallest[: _prefix(self.size, threshold)])
        if mine.isdisjoint(other.smallest[: _prefix(other.size, threshold)]):
            return False
        return self._estimate(other) >= threshold - ESTIMATE_MARGIN

    def _estimate(self, other: Fingerprint) -> float:
        """Jaccard similarity estimated from both sketches: the share of the union's smallest hashes in both."""
        a, b = set(self.smallest[:SKETCH]), set(other.smallest[:SKETCH])  # each its whole set when smaller
        union = sorted(a | b)[:SKETCH]  # the union's smallest: in both exactly when in both sketches
        return sum(1 for h in union if h in a and h in b) / len(union)
