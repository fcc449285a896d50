"""The answer path as stages, each one unit with a typed record out:

question analysis (``question.py``: ``Question``) -> retrieval (``retrieval.py``: ``Retrieved``) ->
sentence scoring (``sentences.py``: ``Candidate``) -> answerability (``answerability.py``: features and
a calibrated probability) -> corroboration (``corroboration.py``: ``Source``) -> ``Answer``
(``engine.py`` runs them; ``records.py`` holds what the front ends read).
"""
