"""The answer engine's settings for each embedding model, learned on dev questions only.

Cosines mean different things per model: multilingual-e5-small puts unrelated texts at about
0.7 where all-MiniLM-L6-v2 puts them near 0, so the not-found threshold and what counts as
"the same fact" (corroboration) are learned per model (docs/languages.md).

>>> engine_settings("all-MiniLM-L6-v2")
{'languages': ('en',)}
>>> sorted(engine_settings("multilingual-e5-small"))
['cognate_weight', 'corroboration', 'cross_lingual_as_passage', 'cross_lingual_bias', 'foreign_weights', 'score_floor', 'threshold', 'weights']
"""

from __future__ import annotations

SETTINGS: dict[str, dict] = {
    # The engine's defaults were picked for MiniLM; it reads English only, so no cross-lingual mode,
    # and a question in another language that finds nothing is told so.
    "all-MiniLM-L6-v2": {"languages": ("en",)},
    # weights: e5's own answerability model for questions in the corpus's language (python -m bot.answering.train
    # --model multilingual-e5-small), with the not-found threshold learned with it (0.2373 -> 0.24).
    # foreign_weights: the model for questions in another language, trained on translated SQuAD dev questions
    # (python -m bot.answering.train --foreign ...); its not-found threshold is the one its training learned.
    # score_floor: a foreign question whose best fused score stays under it is not found whatever that model says
    # (learned on Wikipedia, it never saw a question far from every article); cognate_weight: a foreign question's
    # names met in the passage add to its score before the floor. On seed_multilingual_dev 0.25 doubled the gap
    # between the best not-in-corpus score and the lowest answered one; the floor sits in the middle of that gap
    # (2.528 .. 2.670 since cross_lingual_as_passage raised every foreign score).
    # cross_lingual_as_passage: a foreign question's cosine with each sentence when embedded as a passage, added
    # to the sentence's score; 1.0 of 0.5, 1 and 2 on translated dev (first candidate right 0.648 -> 0.680).
    "multilingual-e5-small": {"weights": "answerability-e5.json", "foreign_weights": "answerability-e5-foreign.json",
                              "threshold": 0.24, "corroboration": 0.9, "cross_lingual_bias": 1.05,
                              "score_floor": 2.60, "cognate_weight": 0.25, "cross_lingual_as_passage": 1.0},
}


def engine_settings(model: str) -> dict:
    """Keyword arguments for ``AnswerEngine`` with ``model``'s vectors ({} for an unknown model: the defaults)."""
    return dict(SETTINGS.get(model, {}))
