import pytest

from index.build import IndexBuilder, open_index
from index.search import Searcher

ARTICLES = {
    "bridge.txt": "The old bridge over the river was built in 1820. Engineers repaired the bridge in 1990.",
    "harbour.txt": "Fishing boats leave the harbour at dawn. The harbour master counts every boat.",
    "kiln.txt": "Potters fire clay in a kiln. A kiln reaches very high temperatures.",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("search")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return open_index(IndexBuilder(corpus, folder / "index", embedder))


def docs(hits):
    return [h.passage.doc for h in hits]


def test_lexical_search_ranks_the_passage_with_the_rare_query_word_first(store, embedder):
    hits = Searcher(store, embedder, mode="lexical").search("kiln", k=3)
    assert docs(hits) == ["kiln.txt"]  # BM25 returns only passages that share a word


def test_dense_search_finds_a_paraphrase_with_no_shared_word(store, embedder):
    hits = Searcher(store, embedder, mode="dense").search("ceramics oven", k=3)
    assert docs(hits)[0] == "kiln.txt"


def test_score_fusion_adds_the_cosine_and_the_weighted_relative_bm25(store, embedder):
    searcher = Searcher(store, embedder, fusion="score", lexical_weight=0.4)
    hits = searcher.search("when was the bridge repaired", k=3)
    assert docs(hits)[0] == "bridge.txt"
    best_lexical = max(h.lexical for h in hits)
    for h in hits:
        assert h.score == pytest.approx(h.dense + 0.4 * h.lexical / best_lexical, abs=1e-6)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_every_fused_candidate_carries_both_its_cosine_and_its_bm25(store, embedder):
    hits = Searcher(store, embedder).search("harbour boats", k=3)
    vector = embedder.embed(["harbour boats"])[0]
    for h in hits:
        assert h.dense == pytest.approx(float(store.vector(h.passage.id) @ vector), abs=1e-5)
    assert hits[0].passage.doc == "harbour.txt" and hits[0].lexical > 0


def test_reciprocal_rank_fusion_sums_one_over_k_plus_rank_of_each_list(store, embedder):
    hits = Searcher(store, embedder, fusion="rrf", rrf_k=60).search("kiln", k=3)
    assert hits[0].passage.doc == "kiln.txt"
    assert hits[0].score == pytest.approx(1 / 61 + 1 / 61)  # first in both lists
    assert all(h.score <= 1 / 61 + 1 / 62 for h in hits[1:])


def test_excluded_articles_never_come_back(store, embedder):
    hits = Searcher(store, embedder).search("kiln", k=3, exclude=frozenset({"kiln.txt"}))
    assert "kiln.txt" not in docs(hits)
    assert len(hits) == 2


def test_settings_are_validated(store, embedder):
    with pytest.raises(ValueError, match="mode"):
        Searcher(store, embedder, mode="fuzzy")
    with pytest.raises(ValueError, match="fusion"):
        Searcher(store, embedder, fusion="max")
    with pytest.raises(ValueError, match="lexical_weight"):
        Searcher(store, embedder, lexical_weight=-0.1)
