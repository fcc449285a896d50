"""A model the exporter cannot reproduce falls back to sentence-transformers, with a one-line notice."""

import json
import logging
import shutil

import pytest

from index.build import IndexBuilder, open_index
from index.embedder import Embedder, resolve_model
from index.search import Searcher
from index.store import Store
from tests.conftest import SHIPPED_CORPUS


@pytest.fixture(scope="module")
def max_pooling_model(tmp_path_factory):
    """The packaged MiniLM with max pooling instead of mean: a real model the export does not cover."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling

    packaged = SentenceTransformer(resolve_model(None), device="cpu")
    model = SentenceTransformer(modules=[packaged[0], Pooling(384, pooling_mode="max")], device="cpu")
    folder = tmp_path_factory.mktemp("maxpool") / "model"
    model.save(str(folder))
    return folder


def test_an_unexportable_model_is_indexed_and_asked_with_sentence_transformers(max_pooling_model, tmp_path, caplog):
    corpus = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    embedder = Embedder(str(max_pooling_model))
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    with caplog.at_level(logging.WARNING, logger="citebot.embedder"):
        builder.build()
    notices = [r.getMessage() for r in caplog.records if r.name == "citebot.embedder"]
    assert notices == [f"no ONNX export for {embedder.model} (pooling mode 'max' is not supported); "
                       "questions will use sentence-transformers"]
    folder = Store.live_folder(builder.index_dir)
    assert json.loads((folder / "manifest.json").read_text())["embedding"] == {"backend": "sentence-transformers"}
    assert not (folder / "model.onnx").exists()

    store = open_index(builder)
    assert embedder.backend == "sentence-transformers"
    hits = Searcher(store, embedder).search("where is the summit?", k=3)
    assert "Vilnius" in " ".join(h.passage.text for h in hits)
