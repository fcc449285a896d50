"""Boosted decision trees at question time: the sum of small regression trees over a feature row, numpy only.

Trained with scikit-learn's ``GradientBoostingClassifier`` (``bot.answering.train``); only its trees
travel, as plain lists, so answering never imports scikit-learn.

>>> trees = BoostedTrees(base=0.0, rate=1.0, feature=[[0, -1, -1]], threshold=[[0.5, 0, 0]],
...                      left=[[1, -1, -1]], right=[[2, -1, -1]], value=[[0.0, -1.0, 1.0]])
>>> trees.decision([0.2]), trees.decision([0.9])
(-1.0, 1.0)
"""

from __future__ import annotations

import numpy as np


class BoostedTrees:
    """``base + rate x`` the sum over trees of the leaf a row reaches (left when ``x[feature] <= threshold``).

    Each tree is four parallel node lists: ``feature`` (-1 at a leaf), ``threshold``, ``left`` and
    ``right`` (child node numbers), and ``value`` (read at leaves).
    """

    def __init__(self, base: float, rate: float, feature, threshold, left, right, value):
        self.base, self.rate = float(base), float(rate)
        self.trees = [
            (np.asarray(f, dtype="int64"), np.asarray(t, dtype="float64"), np.asarray(lo, dtype="int64"),
             np.asarray(hi, dtype="int64"), np.asarray(v, dtype="float64"))
            for f, t, lo, hi, v in zip(feature, threshold, left, right, value)
        ]
        if not len(self.trees) == len(feature) == len(threshold) == len(left) == len(right) == len(value):
            raise ValueError("every tree needs feature, threshold, left, right and value lists")
        for f, t, lo, hi, v in self.trees:
            n = len(f)
            if not (len(t) == len(lo) == len(hi) == len(v) == n) or n == 0:
                raise ValueError("a tree's node lists must have one entry per node")
            inner = f >= 0
            if (lo[inner] <= np.flatnonzero(inner)).any() or (hi[inner] <= np.flatnonzero(inner)).any() \
                    or (lo[inner] >= n).any() or (hi[inner] >= n).any():
                raise ValueError("a tree's children must come after their parent")  # so every walk ends

    def decision(self, row) -> float:
        """The ensemble's raw score (log-odds) for one feature row."""
        x = np.asarray(row, dtype="float32")  # as scikit-learn compares: a float32 value against the threshold
        total = 0.0
        for feature, threshold, left, right, value in self.trees:
            node = 0
            while feature[node] >= 0:
                node = left[node] if x[feature[node]] <= threshold[node] else right[node]
            total += value[node]
        return self.base + self.rate * total

    def to_json(self) -> dict:
        return {
            "base": self.base, "rate": self.rate,
            "feature": [t[0].tolist() for t in self.trees], "threshold": [t[1].tolist() for t in self.trees],
            "left": [t[2].tolist() for t in self.trees], "right": [t[3].tolist() for t in self.trees],
            "value": [np.round(t[4], 8).tolist() for t in self.trees],
        }

    @classmethod
    def from_json(cls, data: dict) -> BoostedTrees:
        return cls(data["base"], data["rate"], data["feature"], data["threshold"], data["left"], data["right"],
                   data["value"])

    @classmethod
    def from_sklearn(cls, model) -> BoostedTrees:
        """The trees of a fitted binary ``GradientBoostingClassifier`` (log-loss), leaves at their raw values."""
        trees = [estimator[0].tree_ for estimator in model.estimators_]
        # the constant the trees start from (the prior log-odds): the score of any row less its trees' part
        row = np.zeros((1, model.n_features_in_))
        base = float(model.decision_function(row)[0]) - model.learning_rate * sum(float(t.predict(row.astype("float32"))[0, 0]) for t in trees)
        feature = [np.where(t.children_left >= 0, t.feature, -1) for t in trees]
        return cls(base, model.learning_rate, feature, [t.threshold for t in trees],
                   [t.children_left for t in trees], [t.children_right for t in trees],
                   [t.value[:, 0, 0] for t in trees])
