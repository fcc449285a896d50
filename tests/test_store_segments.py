"""The folder store keeps passages in mapped tables, verbatim; a compressed vector index on request; a big index takes
new articles as a segment."""

import json
import shutil

import numpy as np
import pytest

from bot.answering.engine import AnswerEngine
from index.build import IndexBuilder
from index.documents import read_corpus
from index.errors import CitebotError
from index.lexical import BM25
from index.passages import PassageSplitter
from index.search import Searcher
from index.store import ArticleInfo, Store, StoreData
from tests.conftest import SHIPPED_CORPUS
from tests.test_store_index_type import synthetic_data

TUNNEL = ("date 2026-11-20\nThe harbour tunnel under Tallinn Bay will open to traffic on 14 March 2027, the city's "
          "chief engineer Kalle Kask said on Friday.\n\nConstruction crews finished sealing the last section of the "
          "tube this week, three months ahead of schedule.")
TUNNEL_ANSWER = ("The harbour tunnel under Tallinn Bay will open to traffic on 14 March 2027, the city's chief engineer "
                 "Kalle Kask said on Friday.")
TUNNEL_QUESTION = "When will the harbour tunnel under Tallinn Bay open to traffic?"


def test_the_store_gives_back_every_passage_verbatim_with_its_sentences_and_their_vectors(tmp_path):
    corpus = read_corpus(SHIPPED_CORPUS)
    splitter = PassageSplitter()
    passages = [p for a in corpus.articles for p in splitter.split(a)]
    # Ids with gaps and out of order, as incremental builds leave them.
    passages = [type(p)(1000 - 7 * i, p.doc, p.start, p.end, p.text, p.sentences) for i, p in enumerate(passages)]
    keys = sorted({(p.doc, s, e) for p in passages for s, e in p.sentences})
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((len(passages), 8)).astype("float32")
    svectors = rng.standard_normal((len(keys), 8)).astype("float32")
    articles = [ArticleInfo(a.id, a.title, a.date, a.url, a.path) for a in corpus.articles]
    data = StoreData({"model": "m", "dimension": 8, "passages": len(passages)}, articles, passages, vectors, keys,
                     svectors, BM25.build(p.text for p in passages))
    Store.write(tmp_path / "index", data)

    store = Store.load(tmp_path / "index")
    texts = {a.id: a.text for a in corpus.articles}
    assert len(store.passages) == len(passages) and sorted(store.articles) == sorted(texts)
    for row, p in enumerate(passages):
        assert store.passage(p.id) == p
        assert texts[p.doc][p.start : p.end] == p.text
        assert np.array_equal(store.vector(p.id), vectors[row])
    for row, key in enumerate(keys):
        assert np.array_equal(store.sentence_vector(*key), svectors[row])
    assert store.sentence_vector(keys[0][0], 0, 1) is None
    # Read ahead for a question's passages (a run of rows a read): the same vectors come back.
    store.prefetch([p.id for p in passages][::-3] + [12345678])
    for row, key in enumerate(keys):
        assert np.array_equal(store.sentence_vector(*key), svectors[row])
    table = store.parts[0]._sentence_vectors
    picks = [5, 6, 7, 2, 3, 3, 0, len(keys) - 1, 4]  # runs, a step back, a repeat
    assert np.array_equal(table.rows(picks), svectors[picks])
    with pytest.raises(IndexError):
        table.rows([1, len(keys)])
    for article in corpus.articles:
        own = [p for p in passages if p.doc == article.id]
        assert store.article_passages(article.id) == own
        assert store.passage_count({article.id}) == len(own)
        assert store.articles[article.id] == ArticleInfo(article.id, article.title, article.date, article.url, article.path)
    newest = max(articles, key=lambda a: (a.date or "", a.title))
    assert store.latest_articles(1) == [newest]
    dates = sorted(a.date for a in articles if a.date)
    assert store.date_range() == (dates[0], dates[-1])
    assert [p.id for p in store.sample_passages(len(passages))] == [p.id for p in passages]


def test_a_compressed_index_is_recorded_in_the_manifest_and_searches_with_exact_scores(tmp_path):
    data = synthetic_data(2000)
    folder = Store.write(tmp_path / "index", data, index_type="ivfsq8")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["index_type"], manifest["index_params"]) == ("ivfsq8", {"nlist": 51, "nprobe": 2})
    store = Store.load(tmp_path / "index")
    assert type(store.faiss).__name__ == "IndexIVFScalarQuantizer"
    for pid in range(0, 2000, 40):
        ids, scores = store.dense_search(data.passage_vectors[pid], 5)
        assert ids[0] == pid
        exact = data.passage_vectors[ids] @ data.passage_vectors[pid]
        assert np.allclose(scores, exact, rtol=0, atol=1e-6)  # re-ranked with the exact vectors, not the 8-bit codes


def test_a_faiss_file_of_another_type_than_the_manifest_says_is_refused(tmp_path):
    folder = Store.write(tmp_path / "index", synthetic_data(2000), index_type="ivfsq8")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["segments"][0]["index_type"] = manifest["index_type"] = "ivf"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CitebotError) as error:
        Store.load(tmp_path / "index")
    assert str(error.value) == (f"index at {tmp_path / 'index'} is corrupt (the manifest says index type 'ivf' but "
                                "faiss.index is a IndexIVFScalarQuantizer); rebuild it with "
                                f"`citebot index --index {tmp_path / 'index'}`")


def test_an_index_type_asked_for_is_kept_by_later_builds_and_another_one_rebuilds(corpus, tmp_path, embedder):
    index = tmp_path / "index"
    with pytest.raises(CitebotError, match=r"unknown index type 'annoy' \(choose from flat, ivf, hnsw, ivfsq8\)"):
        IndexBuilder(corpus, index, embedder, index_type="annoy")
    IndexBuilder(corpus, index, embedder, index_type="ivfsq8").build()
    later = IndexBuilder(corpus, index, embedder)
    assert later.status() == "fresh"
    (corpus / "tunnel.md").write_text(TUNNEL, encoding="utf-8")
    later.build()
    manifest = Store.read_manifest(index)
    assert (manifest["index_type"], manifest["index_choice"]) == ("ivfsq8", "ivfsq8")
    assert IndexBuilder(corpus, index, embedder, index_type="flat").status() == "stale"
    assert IndexBuilder(corpus, index, embedder, index_type="ivfsq8").status() == "fresh"


def _spans(store):
    return sorted((p.doc, p.start, p.end, p.text) for p in store.passages.values())


def test_an_article_added_to_a_big_index_goes_into_a_segment_and_answers(corpus, tmp_path, embedder):
    index = tmp_path / "index"
    builder = IndexBuilder(corpus, index, embedder, delta_min=10)  # the shipped corpus counts as big here
    first = builder.build()
    (corpus / "tunnel.md").write_text(TUNNEL, encoding="utf-8")
    report = builder.build()
    store = Store.load(index)
    assert [entry["path"] for entry in store.manifest["segments"]] == [".", "seg-1"]
    assert report.embedded_passages == len(store.article_passages("tunnel.md")) == 1
    assert report.passages == first.passages + 1 == len(store.passages)
    answer = AnswerEngine(Searcher(store, embedder)).ask(TUNNEL_QUESTION)
    assert (answer.answer, answer.sources[0].doc) == (TUNNEL_ANSWER, "tunnel.md")
    assert builder.status() == "fresh"

    full = IndexBuilder(corpus, tmp_path / "full", embedder)
    full.build()
    assert _spans(store) == _spans(Store.load(full.index_dir))

    (corpus / "tunnel.md").write_text(TUNNEL.replace("14 March 2027", "2 April 2027"), encoding="utf-8")
    builder.build()
    store = Store.load(index)
    assert [p.text for p in store.article_passages("tunnel.md")] == [TUNNEL.replace("14 March 2027", "2 April 2027")[16:]]
    full.build()
    assert _spans(store) == _spans(Store.load(full.index_dir))

    (corpus / "tunnel.md").unlink()
    report = builder.build()
    store = Store.load(index)
    assert "tunnel.md" not in store.articles and report.passages == first.passages == len(store.passages)
    assert store.lexical_search("Tallinn harbour tunnel", 5)[0].tolist() == []
    assert store.date_range() == ("2023-04-20", "2023-04-20")


@pytest.mark.parametrize("change", ["moved into a sub-folder", "copied under another name"])
def test_a_file_moved_or_copied_in_a_big_index_goes_into_a_segment_without_embedding_anything_again(
        change, corpus, tmp_path, embedder, monkeypatch):
    # README says a copy of a file under another name embeds nothing again (a6e18e2), but over 50,000 passages (a
    # segment added) every passage and sentence of the copy was embedded again: its original was no file the build let go
    index = tmp_path / "index"
    builder = IndexBuilder(corpus, index, embedder, delta_min=10)  # the shipped corpus counts as big here
    builder.build()
    if change == "moved into a sub-folder":
        (corpus / "archive").mkdir()
        (corpus / "004_e0449b7e4a93b6e4.txt").rename(corpus / "archive" / "004_e0449b7e4a93b6e4.txt")
    else:
        shutil.copy(corpus / "004_e0449b7e4a93b6e4.txt", corpus / "copy of 004.txt")
    embedded, embed = [], embedder.embed
    monkeypatch.setattr(embedder, "embed", lambda texts, **kw: embedded.extend(texts) or embed(texts, **kw))
    report = builder.build()
    monkeypatch.undo()
    store = Store.load(index)
    assert [entry["path"] for entry in store.manifest["segments"]] == [".", "seg-1"]
    assert (report.embedded_passages, embedded) == (0, [])  # neither a passage nor a sentence embedded again
    full = IndexBuilder(corpus, tmp_path / "full", embedder)
    full.build()
    fresh = Store.load(full.index_dir)
    assert _spans(store) == _spans(fresh)
    for p in fresh.passages.values():  # the moved or copied vectors are the ones a fresh build makes
        kept = next(q for q in store.article_passages(p.doc) if (q.start, q.end) == (p.start, p.end))
        assert np.allclose(store.vector(kept.id), fresh.vector(p.id), atol=1e-5)
        for s, e in p.sentences:
            assert np.allclose(store.sentence_vector(p.doc, s, e), fresh.sentence_vector(p.doc, s, e), atol=1e-5)


def test_a_file_with_a_colon_in_its_name_skipped_in_a_big_index_is_no_longer_listed_skipped_once_deleted(
        corpus, tmp_path, embedder):
    # A segment build kept the live build's skips of every file whose name up to its first colon was not changed: a
    # broken "Minutes: 12 May.pdf" was listed skipped (and said so at every `citebot index`) after it was deleted, or
    # once for each edit of it.
    builder = IndexBuilder(corpus, tmp_path / "index", embedder, delta_min=10)  # the shipped corpus counts as big here
    builder.build()
    (corpus / "Minutes: 12 May.pdf").write_bytes(b"not a pdf")
    report = builder.build()
    assert [(s.path, s.reason) for s in report.skipped] == [("Minutes: 12 May.pdf", "not a PDF file (no %PDF header)")]
    (corpus / "Minutes: 12 May.pdf").write_bytes(b"still not a pdf")
    builder.build()
    assert Store.load(builder.index_dir).manifest["skipped"] == [
        {"path": "Minutes: 12 May.pdf", "reason": "not a PDF file (no %PDF header)", "key": "pdf_not_pdf"}]
    (corpus / "Minutes: 12 May.pdf").unlink()
    builder.build()
    store = Store.load(builder.index_dir)
    assert [entry["path"] for entry in store.manifest["segments"]] == [".", "seg-1", "seg-2", "seg-3"]
    assert store.manifest["skipped"] == []
