"""Answerability: does a candidate sentence answer the question? A calibrated probability.

Each of the best candidates is described by features that read the question (its names and rare
terms the article or the whole corpus never mentions, the kind of answer wanted and whether the
sentence supplies it, dense and lexical evidence agreeing, the margin over the next candidate); a
logistic regression learned on SQuAD ``dev`` only (``python -m bot.answering.train``) scores them,
the best-scoring candidate is the answer, and an isotonic calibration fitted on held-out folds turns
its score into the probability that it answers (for a stated mix of questions, see ``train``).
Inference is numpy only.

>>> model = Answerability.load()                                  # doctest: +SKIP
>>> index, confidence = model.choose(question, candidates, corpus)   # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import numpy as np

from bot.answering.answer_types import supplies
from bot.answering.question import Question, is_negated, stemmed_terms, terms_and_stems
from bot.answering.sentences import Candidate
from bot.answering.trees import BoostedTrees

FEATURES = (
    "score", "retrieval", "dense", "lexical_share", "sentence_cosine", "sentence_coverage", "margin", "is_first",
    "rank", "dense_best", "lexical_best", "missing_in_corpus", "missing_in_article", "missing_in_passage",
    "names_missing_in_article", "has_names", "rarest_in_sentence", "type_wanted", "type_supplied",
    "type_missing", "yesno", "negation_mismatch", "question_terms", "follow_up", "sentence_words",
    "exact_type_supplied", "exact_type_missing",
)
# Kinds of answer whose presence a pattern reads reliably (a date, a count); "person" and "place"
# match almost any capitalised word, so they get features of their own weight.
EXACT_TYPES = ("number", "time")
WEIGHTS = "answerability.json"


class CorpusTerms:
    """What the corpus and each article mention (stemmed terms), computed per article once, lazily."""

    def __init__(self, store):
        self.store = store
        self.build = getattr(store, "build", None)  # a PostgreSQL store's build these terms are of
        self._articles: dict[str, frozenset[str]] = {}
        self._cognates: dict[str, frozenset[str]] = {}
        self._cognate_words: dict[str, list[str]] | None = None

    def in_corpus(self, term: str, exclude: frozenset[str] = frozenset()) -> bool:
        """True when a passage (outside the ``exclude`` articles) holds ``term``."""
        if term not in self.store.bm25.vocab:
            return False
        if not exclude:
            return True
        # Every passage holding the term scores above 0: one more than the excluded articles hold
        # is enough to find one outside them, if there is one.
        ids, _ = self.store.lexical_search(term, self.store.passage_count(exclude) + 1)
        return any(self.store.passage(pid).doc not in exclude for pid in ids.tolist())

    def article_cognates(self, doc: str) -> frozenset[str]:
        """The Latin word starts of article ``doc`` (``bot.language.cognate_keys``), to meet a foreign question's."""
        keys = self._cognates.get(doc)
        if keys is None:
            from bot.language import cognate_keys

            keys = cognate_keys(" ".join(p.text for p in self.store.article_passages(doc)))
            if len(self._cognates) > 50_000:
                self._cognates.clear()
            self._cognates[doc] = keys
        return keys

    def cognates_met(self, keys: frozenset[str], doc: str) -> float:
        """The share of a foreign question's Latin word starts ``keys`` that article ``doc`` spells too."""
        return len(keys & self.article_cognates(doc)) / len(keys) if keys else 0.0

    def cognate_known(self, key: str, exclude: frozenset[str] = frozenset()) -> bool:
        """True when a word of the corpus (outside the ``exclude`` articles) starts with the Latin letters ``key``."""
        if self._cognate_words is None:
            from bot.language import cognate_key

            words: dict[str, list[str]] = {}
            for word in self.store.bm25.vocab:  # once per index: every word's Latin start
                k = cognate_key(word)
                if k:
                    spelt = words.setdefault(k, [])
                    if len(spelt) < 20:  # enough to find one outside held-out articles; memory stays bounded
                        spelt.append(word)
            self._cognate_words = words
        return any(self.in_corpus(word, exclude) for word in self._cognate_words.get(key, ()))

    def article(self, doc: str) -> frozenset[str]:
        terms = self._articles.get(doc)
        if terms is None:
            text = " ".join(p.text for p in self.store.article_passages(doc))
            terms = terms_and_stems(text)  # = stemmed_terms(text) | frozenset(tokenize(text))
            if len(self._articles) > 50_000:
                self._articles.clear()
            self._articles[doc] = terms
        return terms


def features(question: Question, candidates: list[Candidate], corpus: CorpusTerms,
             exclude: frozenset[str] = frozenset()) -> np.ndarray:
    """One row of ``FEATURES`` per candidate, as a float matrix (``exclude``: articles left out)."""
    n = len(candidates)
    weights = question.terms
    total = sum(weights.values()) or 1.0
    own = {t: w for t, w in weights.items()}
    missing_corpus = sum(w for t, w in own.items() if not _known(t, corpus, exclude)) / total
    if question.cognates:  # a foreign question: which of its names and borrowed words the corpus never spells
        missing_corpus = sum(1 for k in question.cognates if not corpus.cognate_known(k, exclude)) / len(question.cognates)
    rarest = max(own, key=own.get) if own else None
    scores = np.array([c.score for c in candidates])
    dense = np.array([c.hit.dense for c in candidates])
    lexical = np.array([c.hit.lexical for c in candidates])
    top_lexical = float(lexical.max()) if n and lexical.max() > 0 else 1.0
    rows = np.zeros((n, len(FEATURES)), dtype="float64")
    for i, c in enumerate(candidates):
        article = corpus.article(c.hit.passage.doc)
        passage = stemmed_terms(c.hit.passage.text)
        others = np.delete(scores, i)
        if question.cognates:  # a foreign question: its names meet the article's by their Latin spelling
            names_missing = 1.0 - corpus.cognates_met(question.cognates, c.hit.passage.doc)
        else:
            names_missing = (
                sum(1 for name in question.names if name not in article) / len(question.names)
                if question.names else 0.0
            )
        wanted = question.wants in ("number", "time", "person", "place")
        given = supplies(c.quoted[1], question.wants, question.text) if question.wants else False
        exact = question.wants in EXACT_TYPES
        rows[i] = (
            c.score, c.hit.score, c.hit.dense, c.hit.lexical / top_lexical, c.cosine, c.coverage,
            c.score - (float(others.max()) if len(others) else c.score - 1.0), float(i == 0), math.log1p(i),
            float(dense[i] >= dense.max()), float(lexical[i] >= lexical.max()), missing_corpus,
            sum(w for t, w in own.items() if t not in article) / total,
            sum(w for t, w in own.items() if t not in passage) / total,
            names_missing, float(bool(question.names or question.cognates)), float(rarest is not None and rarest in passage),
            float(wanted), float(wanted and given), float(wanted and not given), float(question.wants == "yesno"),
            float(question.negated != is_negated(c.text)), math.log1p(len(own)), float(question.context is not None),
            math.log1p(len(c.text.split())),
            float(exact and given), float(exact and not given),
        )
    return rows


def _known(term: str, corpus: CorpusTerms, exclude: frozenset[str]) -> bool:
    return any(corpus.in_corpus(term + s, exclude) for s in ("", "s", "es", "ed", "ing", "e"))


class Answerability:
    """A logistic regression over ``FEATURES`` that chooses the candidate, and a calibrated score of the
    chosen one: by boosted ``trees`` over its features when trained with them, else its logistic score;
    calibrated by isotonic ``knots`` when trained with them, else by Platt's ``a``, ``b``.

    ``mean``/``scale`` standardise the features; ``coef``/``intercept`` score a candidate; the chosen
    candidate's score ``z`` becomes ``interp(z, knots)`` (or ``sigmoid(a * z + b)``). Choosing and judging
    are apart because trees judged better and chose worse: on SQuAD dev, out of fold, trees over the
    chosen candidate rejected 0.849 of the questions whose article was held out against the weighted
    sum's 0.816 at the same recall (five folds), while trees choosing among the candidates lost 0.3
    points of sentence accuracy.

    >>> Answerability.load().probability(np.zeros((1, len(FEATURES))))   # doctest: +SKIP
    """

    def __init__(self, mean, scale, coef, intercept: float, a: float = 1.0, b: float = 0.0, info: dict | None = None,
                 knots: tuple | None = None, trees: BoostedTrees | None = None):
        self.mean = np.asarray(mean, dtype="float64")
        self.scale = np.asarray(scale, dtype="float64")
        self.coef = np.asarray(coef, dtype="float64")
        if not (self.mean.shape == self.scale.shape == self.coef.shape == (len(FEATURES),)):
            raise ValueError(f"answerability weights must have {len(FEATURES)} features")
        self.intercept = float(intercept)
        self.a, self.b = float(a), float(b)
        self.info = info or {}
        # isotonic calibration: the chosen candidate's score -> probability, interpolated between knots
        self.knots = None if knots is None else (np.asarray(knots[0], dtype="float64"), np.asarray(knots[1], dtype="float64"))
        self.trees = trees

    @classmethod
    def load(cls, path: Path | None = None, name: str = WEIGHTS) -> Answerability:
        """The packaged weights file ``name`` (or the weights at ``path``)."""
        if path is None:
            text = resources.files("bot.answering").joinpath(name).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text)
        if data.get("features") != list(FEATURES):
            raise ValueError("answerability weights were trained on other features: retrain them")
        knots = (data["knots_x"], data["knots_p"]) if data.get("knots_x") else None
        trees = BoostedTrees.from_json(data["trees"]) if data.get("trees") else None
        return cls(data["mean"], data["scale"], data["coef"], data["intercept"], data["a"], data["b"], data.get("info"),
                   knots, trees)

    def to_json(self) -> dict:
        return {
            "features": list(FEATURES), "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
            "coef": self.coef.round(6).tolist(), "intercept": round(self.intercept, 6), "a": round(self.a, 6),
            "b": round(self.b, 6),
            "knots_x": None if self.knots is None else self.knots[0].round(6).tolist(),
            "knots_p": None if self.knots is None else self.knots[1].round(6).tolist(), "info": self.info,
            "trees": None if self.trees is None else self.trees.to_json(),
        }

    def logits(self, rows: np.ndarray) -> np.ndarray:
        return ((rows - self.mean) / self.scale) @ self.coef + self.intercept

    def judge(self, row: np.ndarray, logit: float) -> float:
        """The uncalibrated score of a chosen candidate whose feature row is ``row`` and logistic score ``logit``."""
        return self.trees.decision(row) if self.trees is not None else float(logit)

    def calibrate(self, logit: float) -> float:
        if self.knots is not None:
            return float(np.interp(logit, *self.knots))
        return float(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, self.a * logit + self.b)))))

    def choose(self, question: Question, candidates: list[Candidate], corpus: CorpusTerms,
               exclude: frozenset[str] = frozenset()) -> tuple[int, float]:
        """The index of the candidate that best answers, and the probability that it does."""
        rows = features(question, candidates, corpus, exclude)
        z = self.logits(rows)
        i = int(np.argmax(z))
        return i, self.calibrate(self.judge(rows[i], float(z[i])))
