"""BM25 over passages in plain numpy: no scipy import on the query path.

Scores match bm25s' default ("lucene") variant with k1=1.5, b=0.75. ``top`` is exact and only
scores the rows that can still reach the top k (MaxScore): the rare terms' postings are summed, and
a common term's postings are looked up for those candidates only once its largest possible
contribution can no longer lift an unseen row past the k-th best (bounded from below by a few
hundred rows scored in full).

>>> bm25 = BM25.build(["the summit is in Vilnius", "the war goes on"])
>>> bm25.top("where is the summit", 1)  # doctest: +SKIP
(array([0]), array([0.98], dtype=float32))
"""

from __future__ import annotations

import re
import struct
import threading
import unicodedata
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

# A word; an apostrophe between Cyrillic letters (Ukrainian "м'ята", "п’ять") stays inside it.
_TOKEN = re.compile(r"\w+(?:['’ʼ](?=[а-яёіїєґ])\w+)*")
# A Latin word with a lower-case letter right before a capital ("ZelenskyiPhoto"), and where it splits:
# the whole words of Latin letters only, kept when they have a hump. (One pattern for both,
# r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b", backtracked quadratically: a 50 KB "aBaB...1" took 5.6 s.)
_HUMP = re.compile(r"[a-z][A-Z]")
_LATIN_WORD = re.compile(r"\b[A-Za-z]+\b")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Romanian s/t with cedilla (ş ţ, old keyboards) and with comma below (ș ț) are one letter; both, and
# ă â î, fold to the plain letter, as many people type Romanian without diacritics. Russian ё -> е,
# as it is usually written. Apostrophes fold to one, with the left quote and the backtick people type for it
# ("м‘ясо", "п`ять"). A soft hyphen (a hint where a word may break, invisible
# unless it does: "Па\u00adто\u00adна") is dropped, so the word stays whole.
_FOLD = str.maketrans({"ș": "s", "ş": "s", "ț": "t", "ţ": "t", "ă": "a", "â": "a", "î": "i", "ё": "е",
                       "’": "'", "ʼ": "'", "‘": "'", "`": "'", "\u00ad": None, "ı": "i"})
# A combining diacritic that NFC composes with no letter is dropped, as no word holds it (\w has no marks): a stress mark
# on a Cyrillic vowel ("Пу́тин", as Wikipedia writes names) broke the word in two, "пу" and "тин", and so did the dot
# lower() leaves of a Turkish dotted capital İ ("İstanbul" is "i" and a combining dot, then "i" and "stanbul"); the
# dotless ı folds to i (above) as "DIYARBAKIR" lower-cased reads it. Composed letters keep theirs ("école", "й").
_MARKS = re.compile("[\u0300-\u036f]+")
# Longer words are indexed (and queried) by their first MAX_TOKEN_CHARS characters, so one
# megabyte-long "word" cannot make the vocabulary megabytes long.
MAX_TOKEN_CHARS = 64
_CHUNK_ROWS = 50_000  # passages tokenized and counted at a time while building
_BLOCK = 64  # vocabulary terms per bisection block
_SAMPLE = 5_000  # rows whose partial sums bound the k-th best score from below
_PROBE = 256  # of them, those with the best partial sums scored in full (a tighter bound)
# A term in more than this share of the rows also gets a dense row of weights (0 where absent): it is
# no bigger than the term's postings, and looking a candidate up in it is one read, not a binary search.
DENSE_SHARE = 0.5
DENSE_MIN_ROWS = 10_000  # below this many rows a binary search is cheap enough
# What ``tokenize`` makes of a text: one more whenever it changes, so that a build reuses only term counts tokenized
# as it would tokenize (``BM25.build``'s ``reuse``)
TOKEN_RULES = 3
# The Unicode version of this Python's database, which says what \w, lower() and NFC make of a character (letters a
# version assigns are none before it): counts kept under another are not reused either
_UNICODE = tuple(int(part) for part in unicodedata.unidata_version.split("."))


def tokenize(text: str) -> list[str]:
    """Lower-cased words of ``text``, Latin, Cyrillic or other, with Romanian diacritics folded.

    >>> tokenize("Ședința a avut loc în Chişinău; п’ять")
    ['sedinta', 'a', 'avut', 'loc', 'in', 'chisinau', "п'ять"]

    Words that scraping glued together ("ZelenskyiPhoto: Yefrem Lukatsky", a caption and its credit)
    also give their parts, so "photo" finds the credit; the whole word stays, so "iphone" still finds "iPhone":

    >>> tokenize("ZelenskyiPhoto: AP")
    ['zelenskyiphoto', 'ap', 'zelenskyi', 'photo']
    """
    glued = glued_words(text) if _HUMP.search(text) else ()
    if text.isascii():  # nothing to compose or fold (the common case, and a third of the cost)
        text = text.lower()
    else:
        text = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
        if _MARKS.search(text):
            text = _MARKS.sub("", text)
    tokens = [t[:MAX_TOKEN_CHARS] for t in _TOKEN.findall(text)]
    for word in glued:
        tokens.extend(part.lower()[:MAX_TOKEN_CHARS] for part in _CAMEL.split(word))
    return tokens


def glued_words(text: str) -> list[str]:
    """The words of ``text`` made of Latin letters only with a capital right after a lower-case letter.

    >>> glued_words("ZelenskyiPhoto and an iPhone, not NATOsummit, e2eTest or ÉcoleNormale")
    ['ZelenskyiPhoto', 'iPhone']
    """
    return [word for word in _LATIN_WORD.findall(text) if _HUMP.search(word)]


def best_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest positive ``scores``, best first (ties by index)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype="int64")
    rows = np.argpartition(-scores, k - 1)[:k]
    rows = rows[np.lexsort((rows, -scores[rows]))]
    return rows[scores[rows] > 0]


class Vocabulary(Mapping):
    """Sorted terms in one UTF-8 blob (newline-joined) with their byte offsets: term -> term id.

    It costs the bytes of its terms, not a fixed width per term, and loads without building a dict.

    >>> vocab = Vocabulary.from_sorted(["kyiv", "summit"])
    >>> vocab.get("summit"), "war" in vocab, list(vocab)
    (1, False, ['kyiv', 'summit'])
    """

    def __init__(self, blob: np.ndarray, offsets: np.ndarray):
        self.blob = blob  # uint8: the terms, each followed by "\n"
        self.offsets = offsets  # int64: term i is blob[offsets[i]:offsets[i + 1] - 1]
        self._heads: list[bytes] | None = None
        self._found: dict[str, int | None] = {}  # terms looked up before (up to 50,000; questions repeat words)

    @classmethod
    def from_sorted(cls, terms: list[str]) -> Vocabulary:
        encoded = [t.encode("utf-8") for t in terms]
        blob = np.frombuffer(b"".join(e + b"\n" for e in encoded), dtype="uint8")
        offsets = np.zeros(len(encoded) + 1, dtype="int64")
        np.cumsum([len(e) + 1 for e in encoded], out=offsets[1:])
        return cls(blob, offsets)

    def _term_bytes(self, i: int) -> bytes:
        return self.blob[self.offsets[i] : self.offsets[i + 1] - 1].tobytes()

    def __getitem__(self, term: str) -> int:
        found = self._found.get(term, -1)
        if found == -1:
            found = self._find(term)
            if len(self._found) >= 50_000:
                self._found.clear()
            self._found[term] = found
        if found is None:
            raise KeyError(term)
        return found

    def get(self, term, default=None):
        try:
            return self[term]
        except KeyError:
            return default

    def __contains__(self, term) -> bool:
        return isinstance(term, str) and self.get(term) is not None

    def _find(self, term: str) -> int | None:
        """Term ``term``'s id, or None."""
        # UTF-8 byte order is code point order, the order the terms were sorted in. Every 64th term
        # is held as bytes (built on first use), so a lookup is two bisections, one over 64 terms.
        if self._heads is None:
            self._heads = [self._term_bytes(i) for i in range(0, len(self), _BLOCK)]
        key = term.encode("utf-8")
        block = bisect_right(self._heads, key) - 1
        if block < 0:
            return None
        lo = block * _BLOCK
        hi = min(lo + _BLOCK, len(self))
        words = self.blob[self.offsets[lo] : self.offsets[hi] - 1].tobytes().split(b"\n")
        if len(words) != hi - lo:  # a term holds a newline (an article id may: a .jsonl "id", a file name)
            words = [self._term_bytes(i) for i in range(lo, hi)]
        j = bisect_left(words, key)
        if j < len(words) and words[j] == key:
            return lo + j
        return None

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __iter__(self) -> Iterator[str]:
        return iter(self.blob.tobytes().decode("utf-8").split("\n")[:-1])


class BM25:
    """Inverted index: for each term, the rows that contain it (ascending) and their precomputed weights."""

    def __init__(self, vocab: Mapping[str, int], offsets: np.ndarray, rows: np.ndarray, weights: np.ndarray,
                 size: int, max_weights: np.ndarray | None = None, avgdl: float = 1.0,
                 dense_terms: np.ndarray | None = None, dense_weights: np.ndarray | None = None,
                 tf: np.ndarray | None = None, lengths: np.ndarray | None = None):
        """``dense_terms`` (term ids) and ``dense_weights`` (one row of every row's weight per term): see DENSE_SHARE.
        ``tf`` (each posting's term count) and ``lengths`` (each row's, in tokens): what ``build`` may reuse."""
        self.tf, self.lengths = (tf, lengths) if tf is not None and lengths is not None else (None, None)
        self.vocab = vocab
        self.avgdl = avgdl  # the average passage length (in tokens) the weights were computed with
        self.offsets = offsets  # postings of term t are rows[offsets[t]:offsets[t+1]]
        self.rows = rows
        self.weights = weights
        self.size = size
        if max_weights is None:  # the largest weight of each term's postings: its MaxScore bound
            nonempty = np.diff(offsets) > 0
            max_weights = np.zeros(len(offsets) - 1, dtype="float32")
            if nonempty.any():
                max_weights[nonempty] = np.maximum.reduceat(weights, offsets[:-1][nonempty])
        self.max_weights = max_weights
        if dense_terms is None:
            dense_terms, dense_weights = self._dense_rows()
        self.dense_terms, self.dense_weights = dense_terms, dense_weights
        self._dense = {int(t): j for j, t in enumerate(dense_terms.tolist())}
        self._local = threading.local()

    def _dense_rows(self) -> tuple[np.ndarray, np.ndarray]:
        df = np.diff(self.offsets)
        terms = np.flatnonzero(df > DENSE_SHARE * self.size) if self.size >= DENSE_MIN_ROWS else np.zeros(0, "int64")
        weights = np.zeros((len(terms), self.size), dtype="float32")
        for j, t in enumerate(terms.tolist()):
            rows, w = self._postings(t)
            weights[j, rows] = w
        return terms.astype("int64"), weights

    def _weights_of(self, i: int, rows: np.ndarray) -> np.ndarray:
        """Term ``i``'s weight in each of ``rows`` (0 where absent), as float64."""
        j = self._dense.get(i)
        if j is not None:
            return self.dense_weights[j][rows].astype("float64")
        return _lookup(*self._postings(i), rows)

    @classmethod
    def build(cls, texts, k1: float = 1.5, b: float = 0.75, background: BM25 | None = None,
              reuse: tuple[BM25, np.ndarray] | None = None) -> BM25:
        """The index of ``texts`` (any iterable), counted a chunk of passages at a time.

        With ``background`` (a larger index these passages are searched beside), document
        frequencies, the passage count and the average length are those of both together, so
        the two indexes' scores compare. With ``reuse`` (an index built with its term counts, and
        the row of each text in it, -1 for none), a text with a row there is not tokenized again: its
        counts are that row's (the text must be the one that row was built from). The index is the
        same as one built from every text.
        """
        ids: dict[str, int] = {}
        lengths_parts, term_parts, row_parts, tf_parts = [], [], [], []
        n = 0
        chunk: list[str] = []
        old_rows = None
        if reuse is not None and reuse[0].tf is not None and background is None:
            old, old_rows = reuse[0], np.asarray(reuse[1], dtype="int64")
            words = list(old.vocab)
            taken = old_rows[old_rows >= 0]
            # (no term holds a newline, but a vocabulary may; and one old row counts for one text)
            if len(words) != len(old.vocab) or len(np.unique(taken)) != len(taken) or (taken >= old.size).any():
                old_rows = None
            else:
                ids.update(zip(words, range(len(words))))
                texts = [text for text, row in zip(texts, old_rows.tolist()) if row < 0]
        for text in texts:
            chunk.append(text)
            if len(chunk) == _CHUNK_ROWS:
                n = _count_chunk(chunk, n, ids, lengths_parts, term_parts, row_parts, tf_parts)
                chunk = []
        if chunk:
            n = _count_chunk(chunk, n, ids, lengths_parts, term_parts, row_parts, tf_parts)
        lengths = np.concatenate(lengths_parts) if lengths_parts else np.zeros(0, dtype="int64")
        terms = np.concatenate(term_parts) if term_parts else np.zeros(0, dtype="int32")
        rows = np.concatenate(row_parts) if row_parts else np.zeros(0, dtype="int32")
        tf = np.concatenate(tf_parts) if tf_parts else np.zeros(0, dtype="float32")
        del term_parts, row_parts, tf_parts
        if old_rows is not None:
            terms, rows, tf, lengths, n = _with_reused(old, old_rows, terms, rows, tf, lengths)
        # Renumber the terms in sorted order, then group postings by term (rows stay ascending). Terms counted in
        # no row (an old row's not reused) are dropped.
        words = list(ids)  # in id order
        used = np.bincount(terms, minlength=len(words)) > 0
        order = sorted(np.flatnonzero(used).tolist() if not used.all() else range(len(words)), key=words.__getitem__)
        rank = np.full(len(words), -1, dtype="int32")
        rank[order] = np.arange(len(order))
        terms = rank[terms] if len(terms) else terms
        by_term = np.argsort(terms, kind="stable")
        terms, rows, tf = terms[by_term], rows[by_term], tf[by_term]
        del by_term
        df = np.bincount(terms, minlength=len(order))
        offsets = np.zeros(len(order) + 1, dtype="int64")
        np.cumsum(df, out=offsets[1:])
        avg = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
        total = n
        if background is not None:
            sorted_words = [words[i] for i in order]
            df = df + np.array([background.df(w) for w in sorted_words], dtype=df.dtype).reshape(df.shape)
            total = n + background.size
            avg = (float(lengths.sum()) + background.avgdl * background.size) / max(1, total)
        idf = np.log(1 + (total - df + 0.5) / (df + 0.5))
        weights = np.empty(len(rows), dtype="float32")
        for lo in range(0, len(rows), 1 << 22):  # in slices: float64 temporaries of the whole would double the peak
            sl = slice(lo, lo + (1 << 22))
            norm = k1 * (1 - b + b * lengths[rows[sl]] / avg)
            weights[sl] = idf[terms[sl]] * tf[sl] / (tf[sl] + norm)
        vocab = Vocabulary.from_sorted([words[i] for i in order])
        # Each posting's term count and each row's length are kept, so a later build reuses them (``reuse``)
        counts = tf.astype(np.min_scalar_type(int(tf.max()) if len(tf) else 0))
        return cls(vocab, offsets, rows.astype("int32"), weights, n, avgdl=avg, tf=counts,
                   lengths=lengths.astype(np.min_scalar_type(int(lengths.max()) if len(lengths) else 0)))

    def df(self, term: str) -> int:
        """How many rows hold ``term``."""
        i = self.vocab.get(term)
        return 0 if i is None else int(self.offsets[i + 1] - self.offsets[i])

    def _terms(self, query: str) -> list[tuple[int, int]]:
        """(term id, how often the query holds it) for the query's indexed terms."""
        counts: dict[int, int] = {}
        for term in tokenize(query):
            i = self.vocab.get(term)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        return list(counts.items())

    def _postings(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.offsets[i], self.offsets[i + 1]
        return self.rows[lo:hi], self.weights[lo:hi]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for ``query`` (each query term counted once per use)."""
        scores = np.zeros(self.size, dtype="float32")
        for i, times in self._terms(query):
            rows, weights = self._postings(i)
            scores[rows] += times * weights  # a term lists each row once
        return scores

    def score_rows(self, query: str, rows: np.ndarray) -> np.ndarray:
        """BM25 scores of just ``rows`` for ``query``: a binary search in each term's postings."""
        rows = np.asarray(rows, dtype="int64")
        out = np.zeros(len(rows), dtype="float64")
        for i, times in self._terms(query):
            out += times * self._weights_of(i, rows)
        return out.astype("float32")

    def idf(self, term: str) -> float:
        """Inverse document frequency of ``term``; an unseen term counts as rare."""
        i = self.vocab.get(term)
        df = 0 if i is None else int(self.offsets[i + 1] - self.offsets[i])
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))

    def top(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the ``k`` best rows with a positive score, best first; exact.

        Terms are taken by their largest possible contribution, largest first, and their postings
        summed until the k-th best partial sum beats what all the remaining terms together could
        add to a row none of them has seen. The few hundred rows with the best partial sums are then
        scored in full: their k-th best score is a tighter lower bound of the k-th best, and only
        the rows that the remaining terms could still lift to it are looked up in them (sorted).
        """
        terms = self._terms(query)
        if k <= 0 or not terms:
            return np.zeros(0, dtype="int64"), np.zeros(0, dtype="float32")
        bounds = [times * float(self.max_weights[i]) for i, times in terms]
        order = sorted(range(len(terms)), key=lambda j: -bounds[j])
        rest = sum(bounds)
        acc = self._scratch()
        try:
            seen: list[np.ndarray] = []  # rows met for the first time, per term summed
            threshold, used, met, sample = 0.0, 0, 0, None
            for j in order:
                i, times = terms[j]
                rows, weights = self._postings(i)
                # numpy casts an int32 index to intp on every fancy index: once here instead of twice
                # (a gather and a scatter over 60,000 rows of a million: 274 -> 154 us with the cast).
                rows = rows.astype(np.intp)
                if not used:  # nothing summed yet: every row is new
                    seen.append(rows)
                    acc[rows] = weights if times == 1 else times * weights
                else:
                    before = acc[rows]
                    seen.append(rows[before == 0])  # every weight is positive: 0 means not met yet
                    before += weights if times == 1 else times * weights
                    acc[rows] = before
                met += len(seen[-1])
                rest -= bounds[j]
                used += 1
                if used == len(order):
                    break
                nxt = terms[order[used]][0]
                next_df = int(self.offsets[nxt + 1] - self.offsets[nxt])
                if met < k or next_df * 4 < met:  # summing the next term costs less than checking whether to
                    continue
                # The k-th best partial sum of the rows met first (the rarest terms', distinct) is a
                # lower bound of the k-th best score; an unseen row scores at most ``rest``.
                if sample is None or len(sample) < max(_SAMPLE, k):  # (at least k rows: met >= k)
                    sample = np.concatenate(seen)[: max(_SAMPLE, k)]
                threshold = max(threshold, float(np.partition(acc[sample], len(sample) - k)[len(sample) - k]))
                if threshold > _above(rest):
                    break
            everything = np.concatenate(seen)
            cand = everything
            if used < len(order) and sample is not None and len(sample) > max(_PROBE, k):
                # A few rows scored in full bound the k-th best score from below more tightly than
                # partial sums do: the sampled rows with the best partial sums (most are in the top k).
                threshold = max(threshold, self._probe(terms, order[used:], acc, sample, k))
            if used < len(order):
                # Only rows that the terms left can still lift to the threshold stay, sorted: the
                # binary searches below are cache-friendly with ascending keys (np.sort of the rows
                # costs a third of an argsort of them and a reorder).
                cand = np.sort(everything[acc[everything] >= _below(threshold, rest, np.float32)])
            partial = acc[cand].astype("float64")
            acc[everything] = 0  # leave the scratch array zeroed for the next query
        except BaseException:
            self._local.__dict__.clear()  # the scratch array may be left dirty: drop it
            raise
        # The terms not summed are looked up for the rows still in reach, largest bound first,
        # dropping rows as ``rest`` shrinks (MaxScore).
        for j in order[used:]:
            keep = partial >= _below(threshold, rest)
            if not keep.all():
                cand, partial = cand[keep], partial[keep]
            i, times = terms[j]
            partial += times * self._weights_of(i, cand)
            rest -= bounds[j]
            if len(partial) > k and j != order[-1]:  # (after the last term a threshold prunes nothing)
                threshold = max(threshold, float(np.partition(partial, len(partial) - k)[len(partial) - k]))
        best = best_rows(partial, k)
        return cand[best], partial[best].astype("float32")

    def _probe(self, terms, left, acc, sample, k: int) -> float:
        """The k-th best full score of the ``_PROBE`` (or k) rows of ``sample`` with the best partial sums in
        ``acc`` (the terms ``left`` not summed in it yet are looked up): a lower bound of the k-th best."""
        sums = acc[sample]
        n = max(_PROBE, k)
        probe = np.sort(sample[np.argpartition(sums, len(sums) - n)[len(sums) - n :]])
        full = acc[probe].astype("float64")
        for j in left:
            full += terms[j][1] * self._weights_of(terms[j][0], probe)
        return float(np.partition(full, len(full) - k)[len(full) - k])

    def _scratch(self) -> np.ndarray:
        """A per-thread accumulator over all rows, allocated once (zeroed again after each query)."""
        local = self._local.__dict__
        if "acc" not in local:
            local["acc"] = np.zeros(self.size, dtype="float32")
        return local["acc"]

    def save(self, path: Path) -> None:
        """One uncompressed .npz, so ``load`` can memory-map every array in it."""
        vocab = self.vocab if isinstance(self.vocab, Vocabulary) else Vocabulary.from_sorted(sorted(self.vocab))
        if vocab is not self.vocab and list(vocab.values()) != [self.vocab[t] for t in vocab]:
            raise ValueError("a dict vocabulary must number its terms in sorted order")
        save_npz(path, terms=vocab.blob, term_offsets=vocab.offsets, offsets=self.offsets, rows=self.rows,
                 weights=self.weights, max_weights=self.max_weights, size=np.array([self.size]),
                 avgdl=np.array([self.avgdl], dtype="float64"), dense_terms=self.dense_terms,
                 dense_weights=self.dense_weights, **({} if self.tf is None else {"tf": self.tf, "lengths": self.lengths,
                                                   "token_rules": np.array((TOKEN_RULES, *_UNICODE), dtype="uint16")}))

    @classmethod
    def load(cls, path: Path) -> BM25:
        data = _map_npz(Path(path))
        vocab = Vocabulary(data["terms"], data["term_offsets"])
        avgdl = float(data["avgdl"][0]) if "avgdl" in data else 1.0
        # counts tokenized by other rules, or by a Python of another Unicode version, are not reused
        counted = "token_rules" in data and tuple(data["token_rules"].tolist()) == (TOKEN_RULES, *_UNICODE)
        return cls(vocab, data["offsets"], data["rows"], data["weights"], int(data["size"][0]), data["max_weights"], avgdl,
                   data.get("dense_terms"), data.get("dense_weights"),
                   data.get("tf") if counted else None, data.get("lengths") if counted else None)


def _above(bound):
    """``bound`` with room for float32 rounding: what a sum no larger than it can reach."""
    return bound * (1 + 1e-5) + 1e-9


def _below(threshold: float, rest: float, dtype=np.float64):
    """The least partial sum that ``rest`` more could lift to ``threshold``: ``x >= _below(t, rest)``
    keeps every ``x`` with ``_above(x + rest) >= t`` (a hair more in ``dtype``'s rounding, never fewer)."""
    cut = (threshold - 1e-9) / (1 + 1e-5) - rest
    cut = dtype(cut - 1e-12 * (abs(threshold) + abs(rest)))
    return np.nextafter(cut, dtype(-np.inf)) if cut > 0 else dtype(-np.inf)


def _with_reused(old: BM25, old_rows: np.ndarray, terms, rows, tf, lengths):
    """The postings (term id, row, tf) and row lengths of every row, the rows with an ``old_rows`` entry taken from
    ``old`` (its term ids are the first ids), the others (``terms``, ``rows``, ``tf``, ``lengths``: counted in order)
    fitted in between; sorted by row, as counting every text makes them. And the number of rows."""
    n = len(old_rows)
    fresh = np.flatnonzero(old_rows < 0)
    new_of_old = np.full(old.size, -1, dtype="int64")
    kept = np.flatnonzero(old_rows >= 0)
    new_of_old[old_rows[kept]] = kept
    old_terms = np.repeat(np.arange(len(old.offsets) - 1, dtype="int64"), np.diff(old.offsets))
    at = new_of_old[old.rows]
    mine = at >= 0
    all_terms = np.concatenate([old_terms[mine], terms.astype("int64")])
    all_rows = np.concatenate([at[mine], fresh[rows.astype("int64")]])
    all_tf = np.concatenate([old.tf[mine].astype("float32"), tf])
    by_row = np.lexsort((all_terms, all_rows))
    all_lengths = np.zeros(n, dtype="int64")
    all_lengths[kept] = old.lengths[old_rows[kept]]
    all_lengths[fresh] = lengths
    return all_terms[by_row].astype("int32"), all_rows[by_row].astype("int32"), all_tf[by_row], all_lengths, n


def _count_chunk(texts, first_row, ids, lengths_parts, term_parts, row_parts, tf_parts) -> int:
    """Tokenize ``texts`` (rows from ``first_row``) and append their (term, row, tf) postings."""
    setdefault = ids.setdefault
    token_ids: list[int] = []
    lengths = np.zeros(len(texts), dtype="int64")
    for r, text in enumerate(texts):
        tokens = tokenize(text)
        lengths[r] = len(tokens)
        token_ids.extend([setdefault(t, len(ids)) for t in tokens])
    lengths_parts.append(lengths)
    if token_ids:
        local = np.repeat(np.arange(len(texts), dtype="int64"), lengths)
        keys, tf = np.unique(np.array(token_ids, dtype="int64") * len(texts) + local, return_counts=True)
        term_parts.append((keys // len(texts)).astype("int32"))
        row_parts.append((keys % len(texts) + first_row).astype("int32"))
        tf_parts.append(tf.astype("float32"))
    return first_row + len(texts)


def _lookup(rows: np.ndarray, weights: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The weight of each ``wanted`` row in ascending postings ``rows``; 0 where it is absent."""
    if len(rows) == 0 or len(wanted) == 0:
        return np.zeros(len(wanted), dtype="float64")
    wanted = wanted.astype(rows.dtype, copy=False)  # else numpy converts all of ``rows`` to search it
    at = np.minimum(np.searchsorted(rows, wanted), len(rows) - 1)
    return np.where(rows[at] == wanted, weights[at], 0).astype("float64")


def save_npz(path: Path, **arrays: np.ndarray) -> None:
    """An uncompressed .npz like ``np.savez`` writes, with every array's data 64-byte aligned in the file.

    ``_map_npz`` maps the arrays in place; numpy copies a whole unaligned array to search it
    (``searchsorted`` over a mapped million-row table took 1 ms instead of 1 us), so the padding
    matters. It goes into each member's local header as an "extra" field (the id zipalign uses).
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, value in arrays.items():
            array = np.asanyarray(value)
            big = array.nbytes > (1 << 31) - (1 << 20)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            start = archive.fp.tell() + 30 + len(info.filename.encode()) + 4 + (20 if big else 0)
            info.extra = struct.pack("<HH", 0xD935, -start % 64) + b"\0" * (-start % 64)
            with archive.open(info, "w", force_zip64=big) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def _map_npz(path: Path, offsets: dict[str, int] | None = None) -> dict[str, np.ndarray]:
    """Every array of an uncompressed .npz, memory-mapped in place (read into memory if compressed).

    ``offsets``, when given, receives where each mapped array's data starts in the file.
    """
    out = {}
    with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
        for info in archive.infolist():
            name = info.filename.removesuffix(".npy")
            if info.compress_type != zipfile.ZIP_STORED:
                with archive.open(info) as member:
                    out[name] = np.lib.format.read_array(member, allow_pickle=False)
                continue
            raw.seek(info.header_offset)
            local = raw.read(30)
            if local[:4] != b"PK\x03\x04":
                raise ValueError(f"{path.name}: bad zip entry {info.filename}")
            start = info.header_offset + 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little")
            raw.seek(start)
            version = np.lib.format.read_magic(raw)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(raw)
            if dtype.hasobject:
                raise ValueError(f"{path.name}: {name} holds Python objects")
            count = int(np.prod(shape))
            if count == 0:
                out[name] = np.zeros(shape, dtype=dtype)
            else:
                if offsets is not None:
                    offsets[name] = raw.tell()
                mapped = np.memmap(path, dtype=dtype, mode="r", offset=raw.tell(), shape=shape,
                                   order="F" if fortran else "C")
                out[name] = mapped.view(np.ndarray)  # the same mapped pages, without memmap's slow slicing
    return out


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
