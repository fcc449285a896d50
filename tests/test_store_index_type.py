"""The store picks exact or approximate FAISS search by corpus size and records the choice."""

import json

import faiss
import numpy as np
import pytest

from index.errors import CitebotError
from index.lexical import BM25
from index.passages import Passage
from index.store import FLAT_MAX, ArticleInfo, Store, StoreData, choose_index_type, index_params

DIM = 32


def synthetic_data(n: int, seed: int = 7) -> StoreData:
    """``n`` one-sentence passages in articles of ten, with clustered unit vectors (generated, not embedded)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(1, n // 20), DIM)).astype("float32")
    vectors = centres[rng.integers(0, len(centres), n)] + 0.3 * rng.standard_normal((n, DIM)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"Passage {i} is about topic {i % 37} and place {i % 11}." for i in range(n)]
    passages = [Passage(i, f"doc{i // 10}", 0, len(t), t, ((0, len(t)),)) for i, t in enumerate(texts)]
    articles = [ArticleInfo(f"doc{a}", f"Article {a}", None, None, f"doc{a}.txt") for a in range((n + 9) // 10)]
    manifest = {"model": "all-MiniLM-L6-v2", "dimension": DIM, "passages": n}
    return StoreData(manifest, articles, passages, vectors, [(p.doc, 0, p.end) for p in passages], vectors.copy(),
                     BM25.build(texts))


def test_corpora_up_to_the_threshold_are_searched_exactly_and_bigger_ones_with_ivf():
    assert FLAT_MAX == 100_000
    assert choose_index_type(0) == "flat"
    assert choose_index_type(100_000) == "flat"
    assert choose_index_type(100_001) == "ivf"
    assert choose_index_type(500, flat_max=499) == "ivf"


def test_ivf_settings_grow_with_the_corpus():
    assert index_params("flat", 10) == {}
    assert index_params("ivf", 1_000_000) == {"nlist": 2000, "nprobe": 60}
    assert index_params("ivf", 2000) == {"nlist": 51, "nprobe": 2}
    assert index_params("hnsw", 5) == {"M": 32, "efConstruction": 64, "efSearch": 64}


def test_a_small_corpus_gets_an_exact_index_and_numpy_search_agrees_with_the_faiss_file(tmp_path):
    data = synthetic_data(500)
    folder = Store.write(tmp_path / "index", data)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["index_type"], manifest["index_params"]) == ("flat", {})
    store = Store.load(tmp_path / "index")
    written = faiss.read_index(str(folder / "faiss.index"))
    for query in data.passage_vectors[::25]:
        ids, scores = store.dense_search(query, 10)
        f_scores, f_ids = written.search(query.reshape(1, -1), 10)
        assert ids.tolist() == f_ids[0].tolist()
        assert np.allclose(scores, f_scores[0], atol=1e-5)


def test_a_corpus_over_the_threshold_gets_an_ivf_index_recorded_in_the_manifest(tmp_path):
    data = synthetic_data(2000)
    folder = Store.write(tmp_path / "index", data, flat_max=1000)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["index_type"], manifest["index_params"]) == ("ivf", {"nlist": 51, "nprobe": 2})
    store = Store.load(tmp_path / "index")
    ivf = faiss.extract_index_ivf(store.faiss)
    assert (ivf.nlist, ivf.nprobe, store.faiss.ntotal) == (51, 2, 2000)
    # The lists stay in the file, mapped, and a search starts no threads to read them ahead.
    assert faiss.downcast_InvertedLists(ivf.invlists).prefetch_nthread == 0
    for pid in range(0, 2000, 40):  # every passage finds itself first
        ids, scores = store.dense_search(data.passage_vectors[pid], 5)
        assert ids[0] == pid and scores[0] == pytest.approx(1.0, abs=1e-5)


def test_hnsw_can_be_chosen_explicitly_and_its_search_depth_is_restored_on_load(tmp_path):
    data = synthetic_data(300)
    folder = Store.write(tmp_path / "index", data, index_type="hnsw")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["index_type"] == "hnsw" and manifest["index_params"]["efSearch"] == 64
    store = Store.load(tmp_path / "index")
    assert faiss.downcast_index(store.faiss.index).hnsw.efSearch == 64
    for pid in range(0, 300, 30):
        assert store.dense_search(data.passage_vectors[pid], 3)[0][0] == pid


def test_an_unknown_index_type_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(CitebotError, match=r"unknown index type 'annoy' \(choose from flat, ivf, hnsw, ivfsq8\)"):
        Store.write(tmp_path / "index", synthetic_data(20), index_type="annoy")
    assert not (tmp_path / "index" / "current").exists()


def test_loading_still_refuses_an_index_of_another_model(tmp_path):
    Store.write(tmp_path / "index", synthetic_data(20))
    with pytest.raises(CitebotError, match="was built with model 'all-MiniLM-L6-v2', not 'other/model'"):
        Store.load(tmp_path / "index", model="other/model")


def test_vector_tables_are_memory_mapped_read_only(tmp_path):
    Store.write(tmp_path / "index", synthetic_data(20))
    store = Store.load(tmp_path / "index")
    assert not store.passage_vectors.flags.writeable and not store.sentence_vectors.flags.writeable
    assert store.passage_vectors.shape == (20, DIM)


def test_an_ivf_index_whose_corpus_is_emptied_is_an_index_of_none_and_ivf_again_once_articles_come_back(
        workspace, embedder):
    # `citebot index --index-type ivf` of an emptied corpus folder (or the last article removed from an ivf index) was a
    # traceback: FAISS cannot train an inverted file on no vectors
    from index.build import IndexBuilder
    from index.search import Searcher

    corpus, index = workspace
    IndexBuilder(corpus, index, embedder, index_type="ivf").build()
    saved = {path.name: path.read_bytes() for path in corpus.iterdir()}
    for path in corpus.iterdir():
        path.unlink()
    report = IndexBuilder(corpus, index, embedder, index_type="ivf").build(emptied=True)  # as `citebot index` builds
    assert (report.articles, report.passages) == (0, 0)
    store = Store.load(index, embedder.model)
    assert (len(store.passages), store.manifest["index_choice"]) == (0, "ivf")
    assert Searcher(store, embedder).search("Who was invited to the Vilnius summit?", k=3) == []
    for name, data in saved.items():
        (corpus / name).write_bytes(data)
    report = IndexBuilder(corpus, index, embedder).build()  # a later update keeps the index type asked for
    assert (report.articles, Store.load(index, embedder.model).manifest["index_type"]) == (2, "ivf")
