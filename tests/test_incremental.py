"""An incremental update embeds only what changed and ends where a full rebuild ends."""

import json
import shutil

import numpy as np
import pytest

from index.build import IndexBuilder, embedding_text
from index.store import Store
from tests.conftest import SHIPPED_CORPUS

NEW_ARTICLE = ("date 2023-05-02\nThe summit closes with a statement.\n\nLeaders agreed on a new fund for air defence. "
               "The fund starts in June. Ministers will meet again in Brussels.")
ROWS = [
    {"id": "a", "title": "Grain deal", "text": "The grain deal was extended for sixty days. Ships left Odesa."},
    {"id": "b", "title": "Energy", "text": "Power plants were repaired before winter. Exports of power resumed."},
]


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, folder)
    (folder / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return folder


def _snapshot(index_dir):
    """Everything a build holds, keyed by content rather than by passage id."""
    store = Store.load(index_dir)
    passages = {(p.doc, p.start, p.end): (p.text, p.sentences) for p in store.passages.values()}
    vectors = {(p.doc, p.start, p.end): store.vector(p.id) for p in store.passages.values()}
    sentences = {key: store.sentence_vectors[row] for key, row in store.sentence_row.items()}
    terms = sorted(store.bm25.vocab)
    return store, passages, vectors, sentences, terms


def assert_same_as_full_rebuild(index_dir, corpus, embedder, tmp_path):
    full = IndexBuilder(corpus, tmp_path / "full", embedder)
    full.build()
    inc_store, inc_passages, inc_vectors, inc_sentences, inc_terms = _snapshot(index_dir)
    full_store, full_passages, full_vectors, full_sentences, full_terms = _snapshot(full.index_dir)
    assert inc_passages == full_passages
    assert inc_vectors.keys() == full_vectors.keys() and inc_sentences.keys() == full_sentences.keys()
    for key, vector in full_vectors.items():
        assert np.allclose(inc_vectors[key], vector, atol=1e-5), key
    for key, vector in full_sentences.items():
        assert np.allclose(inc_sentences[key], vector, atol=1e-5), key
    assert inc_terms == full_terms
    assert {a.id: a for a in inc_store.articles.values()} == full_store.articles
    for key in inc_passages:  # BM25 scores each passage the same
        query = inc_passages[key][0]
        inc_rows = dict(zip(*[x.tolist() for x in inc_store.lexical_search(query, 3)]))
        full_rows = dict(zip(*[x.tolist() for x in full_store.lexical_search(query, 3)]))
        inc_spans = {(inc_store.passage(pid).doc, inc_store.passage(pid).start): round(s, 4) for pid, s in inc_rows.items()}
        full_spans = {(full_store.passage(pid).doc, full_store.passage(pid).start): round(s, 4)
                      for pid, s in full_rows.items()}
        assert inc_spans == full_spans


def test_adding_one_article_embeds_only_its_passages_and_equals_a_full_rebuild(corpus, tmp_path, embedder):
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    first = builder.build()
    (corpus / "new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    report = builder.build()
    new_passages = [p for p in Store.load(builder.index_dir).passages.values() if p.doc == "new.md"]
    assert report.passages == first.passages + len(new_passages)
    assert report.embedded_passages == len(new_passages) == 1
    assert report.reused_files == 3
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_removing_a_file_removes_its_passages_and_equals_a_full_rebuild(corpus, tmp_path, embedder):
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    (corpus / "000_021f342df130e0f3.txt").unlink()
    report = builder.build()
    store = Store.load(builder.index_dir)
    assert report.embedded_passages == 0
    assert sorted({p.doc for p in store.passages.values()}) == ["004_e0449b7e4a93b6e4.txt", "wire.jsonl#a",
                                                                 "wire.jsonl#b"]
    assert "000_021f342df130e0f3.txt" not in store.articles
    assert not [key for key in store.sentence_row if key[0] == "000_021f342df130e0f3.txt"]
    assert store.lexical_search("Stoltenberg invited Zelensky to the summit", 50)[0].size > 0
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_appending_a_row_to_a_jsonl_file_embeds_only_that_row(corpus, tmp_path, embedder):
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    row = {"id": "c", "title": "Drones", "text": "A drone factory opened in Lviv. It makes two hundred a month."}
    with (corpus / "wire.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    report = builder.build()
    assert report.reused_files == 2
    assert report.embedded_passages == 1
    assert "wire.jsonl#c" in Store.load(builder.index_dir).articles
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_editing_a_row_re_embeds_that_row_and_keeps_the_others(corpus, tmp_path, embedder):
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    rows = [ROWS[0], dict(ROWS[1], text="Power plants were bombed again. Exports of power stopped.")]
    (corpus / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = builder.build()
    assert report.embedded_passages == 1
    store = Store.load(builder.index_dir)
    assert [p.text for p in store.passages.values() if p.doc == "wire.jsonl#b"] == [rows[1]["text"]]
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_a_file_edited_while_the_build_reads_the_corpus_never_has_its_old_texts_vectors_for_its_new_text(
        corpus, tmp_path, embedder, monkeypatch):
    import index.build

    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    read = index.build.read_corpus

    def edited_between_fingerprint_and_read(root, *args, **kwargs):
        # one word for another of its length: every passage keeps its offsets, only its text changes
        rows = [ROWS[0], dict(ROWS[1], text=ROWS[1]["text"].replace("resumed", "stopped"))]
        (corpus / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return read(root, *args, **kwargs)

    monkeypatch.setattr(index.build, "read_corpus", edited_between_fingerprint_and_read)
    # the build found the file unchanged, so it keeps the file's articles of the previous build, as its stamp says
    assert builder.build().embedded_passages == 0
    assert [p.text for p in Store.load(builder.index_dir).passages.values() if p.doc == "wire.jsonl#b"] == [
        ROWS[1]["text"]]
    monkeypatch.setattr(index.build, "read_corpus", read)
    assert builder.build().embedded_passages == 1  # the next build sees the edit, and embeds its new text
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_a_row_deleted_before_others_and_a_file_moved_re_embed_nothing(corpus, tmp_path, embedder, monkeypatch):
    rows = [{"text": f"Story {n}: the ferry line {n} opens in spring. Tickets go on sale in March."} for n in range(3)]
    (corpus / "dump.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    (corpus / "dump.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[1:]), encoding="utf-8")
    (corpus / "archive").mkdir()
    (corpus / "004_e0449b7e4a93b6e4.txt").rename(corpus / "archive" / "004_e0449b7e4a93b6e4.txt")
    embedded, embed = [], embedder.embed
    monkeypatch.setattr(embedder, "embed", lambda texts, **kw: embedded.extend(texts) or embed(texts, **kw))
    report = builder.build()  # the rows after the deleted one are renumbered; the moved file has new article ids
    assert (report.embedded_passages, embedded) == (0, [])  # neither a passage nor a sentence embedded again
    assert sorted(a for a in Store.load(builder.index_dir).articles if "dump" in a) == ["dump.jsonl#1", "dump.jsonl#2"]
    monkeypatch.undo()
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def _vectors_by_text(index_dir):
    """Each passage's vector by its embedding text, and each sentence's by its text, as a build holds them."""
    store = Store.load(index_dir)
    passages = {embedding_text(store.articles[p.doc], p.text): store.vector(p.id) for p in store.passages.values()}
    sentences = {p.text[s - p.start : e - p.start]: store.sentence_vector(p.doc, s, e)
                 for p in store.passages.values() for s, e in p.sentences}
    return passages, sentences


def _splitting(monkeypatch, builder) -> list:
    split, real = [], builder.splitter.split
    monkeypatch.setattr(builder.splitter, "split", lambda article, **kw: split.append(article.id) or real(article, **kw))
    return split


def test_a_row_appended_to_a_jsonl_file_is_the_only_one_split_the_others_passages_are_the_builds(corpus, tmp_path,
                                                                                                 embedder, monkeypatch):
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    row = {"id": "c", "title": "Drones", "text": "A drone factory opened in Lviv. It makes two hundred a month."}
    with (corpus / "wire.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    split = _splitting(monkeypatch, builder)
    report = builder.build()
    assert split == ["wire.jsonl#c"]
    assert report.embedded_passages == 1
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_a_jsonl_file_edited_before_a_row_is_appended_has_every_row_split_again(corpus, tmp_path, embedder,
                                                                                monkeypatch):
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    rows = [dict(ROWS[0], text=ROWS[0]["text"].replace("sixty", "ninety")), ROWS[1],
            {"id": "c", "title": "Drones", "text": "A drone factory opened in Lviv."}]
    (corpus / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    split = _splitting(monkeypatch, builder)
    builder.build()
    assert split == ["wire.jsonl#a", "wire.jsonl#b", "wire.jsonl#c"]
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_a_row_read_past_a_jsonl_files_stamp_is_never_kept_for_another_row_appended_there_later(corpus, tmp_path,
                                                                                                embedder, monkeypatch):
    import index.build

    rows = [{"text": r["text"]} for r in ROWS]  # ids by line number
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    read = index.build.read_corpus

    def appended_while_reading(root, *args, **kwargs):  # a feed writing its dump while the build reads it
        with (corpus / "wire.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"text": "A drone factory opened in Lviv. It makes two hundred a month."}) + "\n")
        return read(root, *args, **kwargs)

    (corpus / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setattr(index.build, "read_corpus", appended_while_reading)
    builder.build()  # stamped with two rows, read with three
    monkeypatch.setattr(index.build, "read_corpus", read)
    rows.append({"text": "Buses to Krakow run every hour."})  # the dump written again: its third row another
    (corpus / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    builder.build()
    assert [p.text for p in Store.load(builder.index_dir).passages.values() if p.doc == "wire.jsonl#3"] == [
        "Buses to Krakow run every hour."]
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_a_build_reusing_more_vectors_than_one_system_call_reads_still_reads_each_of_them(corpus, tmp_path, embedder,
                                                                                          monkeypatch):
    import index.rowfile

    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    with (corpus / "wire.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "c", "text": "A drone factory opened in Lviv."}) + "\n")
    # Linux's read() transfers at most 2 GiB - 4 KiB a call: the vectors of a million passages read as one run came
    # back cut. Here a call returns at most 1,000 bytes (under two vectors), as that cap does at scale.
    pread = index.rowfile.os.pread
    monkeypatch.setattr(index.rowfile.os, "pread", lambda fd, n, offset: pread(fd, min(n, 1000), offset))
    assert builder.build().embedded_passages == 1
    monkeypatch.undo()
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def _counting(monkeypatch, embedder) -> list:
    embedded, embed = [], embedder.embed
    monkeypatch.setattr(embedder, "embed", lambda texts, **kw: embedded.extend(texts) or embed(texts, **kw))
    return embedded


def test_a_file_copied_under_another_name_takes_its_originals_vectors_bit_for_bit(corpus, tmp_path, embedder,
                                                                                   monkeypatch):
    # A copy of a stored file (same text, new name) embedded every passage and sentence of it again.
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    original = _vectors_by_text(builder.index_dir)
    shutil.copy(corpus / "004_e0449b7e4a93b6e4.txt", corpus / "copy of 004.txt")
    embedded = _counting(monkeypatch, embedder)
    report = builder.build()
    assert (report.embedded_passages, embedded) == (0, [])
    store = Store.load(builder.index_dir)
    copy = [p for p in store.passages.values() if p.doc == "copy of 004.txt"]
    assert len(copy) == len(store.article_passages("004_e0449b7e4a93b6e4.txt")) > 0
    for p in copy:
        assert store.vector(p.id).tobytes() == original[0][embedding_text(store.articles[p.doc], p.text)].tobytes()
        for s, e in p.sentences:
            sentence = p.text[s - p.start : e - p.start]
            assert store.sentence_vector(p.doc, s, e).tobytes() == original[1][sentence].tobytes()
    monkeypatch.undo()
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_a_folder_moved_out_of_the_corpus_and_back_between_two_builds_is_not_embedded_again(corpus, tmp_path, embedder,
                                                                                           monkeypatch):
    # A sub-folder moved away and back between two looks of a running chat's watch was embedded whole again at the
    # second look (57 passages of multilingual-e5-small, 30 s); the builder keeps what its last builds dropped.
    (corpus / "sub").mkdir()
    (corpus / "000_021f342df130e0f3.txt").rename(corpus / "sub" / "000_021f342df130e0f3.txt")
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    before = _vectors_by_text(builder.index_dir)
    (corpus / "sub").rename(tmp_path / "away")
    assert builder.build().articles == 3
    (tmp_path / "away").rename(corpus / "sub")
    embedded = _counting(monkeypatch, embedder)
    report = builder.build()
    assert (report.articles, report.embedded_passages, embedded) == (4, 0, [])
    after = _vectors_by_text(builder.index_dir)
    assert after[0].keys() == before[0].keys() and after[1].keys() == before[1].keys()
    assert all(after[0][text].tobytes() == vector.tobytes() for text, vector in before[0].items())
    assert all(after[1][text].tobytes() == vector.tobytes() for text, vector in before[1].items())
    monkeypatch.undo()
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_a_builder_keeps_no_more_vectors_of_what_it_let_go_than_its_bound(corpus, tmp_path, embedder, monkeypatch):
    monkeypatch.setattr("index.build.DROPPED_VECTORS", 1)
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    store = Store.load(builder.index_dir)
    gone = store.article_passages("000_021f342df130e0f3.txt")
    texts = len(gone) + len({span for p in gone for span in p.sentences})  # passages overlap: a sentence embedded once
    (corpus / "000_021f342df130e0f3.txt").rename(tmp_path / "away.txt")
    builder.build()
    (tmp_path / "away.txt").rename(corpus / "000_021f342df130e0f3.txt")
    embedded = _counting(monkeypatch, embedder)
    builder.build()
    assert len(embedded) == texts - 1  # the one vector kept is not embedded again


def test_a_file_dropped_into_an_indexed_corpus_is_the_only_one_read_the_others_come_from_the_build(
        corpus, tmp_path, embedder, monkeypatch, caplog):
    # A running chat's or bot's look at the corpus folder rebuilt an index under 50,000 passages by reading every file
    # again: one story dropped into 500 saved pages took 5 s (trafilatura), thousands took minutes at each change, and
    # each change said every file's warning again ("reading kyiv.txt as windows-1251").
    import logging

    import index.documents

    (corpus / "kyiv.txt").write_bytes("Міська рада Києва схвалила новий бюджет у понеділок. Мер сказав, що це рекорд."
                                      .encode("cp1251"))
    with (corpus / "wire.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"title": "no text"}\n')
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    (corpus / "new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    read, read_file = [], index.documents.read_file
    monkeypatch.setattr(index.documents, "read_file",
                        lambda root, path, *args, **kw: read.append(path.name) or read_file(root, path, *args, **kw))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="citebot.documents"):
        report = builder.build()  # as a running chat's or bot's look at the folder builds, or citebot index
    assert read == ["new.md"]
    assert (report.articles, report.embedded_passages, report.reused_files) == (6, 1, 4)
    # a file skipped in part is said again, as a build says every file it skips
    assert [(s.path, s.reason) for s in report.skipped] == [("wire.jsonl:3", 'missing "text" string')]
    assert caplog.messages == ['skipping wire.jsonl:3: missing "text" string']
    monkeypatch.undo()
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_a_file_edited_to_its_old_size_with_its_old_mtime_put_back_is_read_again_not_kept_with_its_old_text(
        corpus, tmp_path, embedder):
    # A same-size edit whose mtime was set back (`touch -r`, a copy that keeps it, a share's coarse timestamps) kept
    # the file's old articles from the previous build: answers quoted text no longer in the file
    import os

    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    wire = corpus / "wire.jsonl"
    before = wire.stat()
    rows = [ROWS[0], dict(ROWS[1], text=ROWS[1]["text"].replace("resumed", "stopped"))]
    wire.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    os.utime(wire, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (wire.stat().st_size, wire.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert builder.status() == "stale"
    assert IndexBuilder(corpus, builder.index_dir, embedder).status() == "stale"  # another process sees it too
    report = builder.build()
    assert (report.embedded_passages, report.reused_files) == (1, 2)
    assert [p.text for p in Store.load(builder.index_dir).passages.values() if p.doc == "wire.jsonl#b"] == [
        rows[1]["text"]]
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path)


def test_an_index_stamped_without_ctimes_by_an_older_release_hashes_each_file_once_and_reads_none_again(
        corpus, tmp_path, embedder, monkeypatch):
    import index.documents

    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    manifest_path = builder.index_dir / "current" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for stamp in manifest["files"].values():
        del stamp["ctime_ns"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    hashed, sha256 = [], index.documents._sha256
    monkeypatch.setattr(index.documents, "_sha256", lambda path: hashed.append(path.name) or sha256(path))
    read, read_file = [], index.documents.read_file
    monkeypatch.setattr(index.documents, "read_file",
                        lambda root, path, *args, **kw: read.append(path.name) or read_file(root, path, *args, **kw))
    upgraded = IndexBuilder(corpus, builder.index_dir, embedder)
    assert [upgraded.status(), upgraded.status()] == ["fresh", "fresh"]
    assert sorted(hashed) == sorted(path.name for path in corpus.iterdir())
    report = upgraded.build()  # as `citebot index` does: the build records the ctimes
    assert (report.embedded_passages, read) == (0, [])
    hashed.clear()
    assert (IndexBuilder(corpus, builder.index_dir, embedder).status(), hashed) == ("fresh", [])


def test_a_corpus_whose_files_changed_only_their_ctime_is_hashed_once_not_at_every_question(
        corpus, tmp_path, embedder, monkeypatch):
    # chmod -R, a restore or copy that keeps mtimes (cp -a, rsync -a, tar), a sync adding its attributes: each file's
    # ctime is new, its text is not. A fresh index is never rebuilt to record them, so every `citebot ask` (a process
    # of its own) hashed the whole corpus again, for good: a corpus of PDFs took seconds a question.
    import os

    import index.documents

    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    before = {path.name: path.stat().st_ctime_ns for path in corpus.iterdir()}
    for path in corpus.iterdir():
        path.chmod(0o600)
    assert all(path.stat().st_ctime_ns != before[path.name] for path in corpus.iterdir())
    hashed, sha256 = [], index.documents._sha256
    monkeypatch.setattr(index.documents, "_sha256", lambda path: hashed.append(path.name) or sha256(path))
    questions = [IndexBuilder(corpus, builder.index_dir, embedder).status() for _ in range(3)]
    assert (questions, sorted(hashed)) == (["fresh"] * 3, sorted(before))
    wire = corpus / "wire.jsonl"  # an edit after that is still seen, its size and mtime put back
    stat = wire.stat()
    wire.write_text(wire.read_text(encoding="utf-8").replace("resumed", "stopped"), encoding="utf-8")
    os.utime(wire, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert IndexBuilder(corpus, builder.index_dir, embedder).status() == "stale"


def test_a_row_appended_to_a_jsonl_file_of_a_big_index_is_the_only_one_split_and_the_segment_added_holds_it_alone(
        corpus, tmp_path, embedder, monkeypatch):
    # Over 50,000 passages a change goes into a segment: one row appended to a feed's dump split every row of it again
    # and wrote all of them into the new segment (the base's marked deleted), as big as the dump itself
    builder = IndexBuilder(corpus, tmp_path / "index", embedder, delta_min=10)  # the shipped corpus counts as big here
    builder.build()
    row = {"id": "c", "title": "Drones", "text": "A drone factory opened in Lviv. It makes two hundred a month."}
    with (corpus / "wire.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    split = _splitting(monkeypatch, builder)
    report = builder.build()
    store = Store.load(builder.index_dir)
    assert split == ["wire.jsonl#c"]
    assert report.embedded_passages == 1
    assert [(entry["path"], entry["passages"]) for entry in store.manifest["segments"][1:]] == [("seg-1", 1)]
    assert [p.text for p in store.article_passages("wire.jsonl#c")] == [row["text"]]
    full = IndexBuilder(corpus, tmp_path / "full", embedder)
    full.build()
    fresh = Store.load(full.index_dir)
    assert sorted((p.doc, p.start, p.end, p.text) for p in store.passages.values()) == sorted(
        (p.doc, p.start, p.end, p.text) for p in fresh.passages.values())
    assert report.passages == len(fresh.passages) and report.articles == len(fresh.articles)
    assert builder.status() == "fresh"


def test_a_row_appended_to_a_jsonl_file_is_the_only_passage_tokenized_for_the_keyword_index_which_is_a_full_builds(
        corpus, tmp_path, embedder, monkeypatch):
    import index.lexical

    # The keyword index was counted again from every passage's text for each row a feed appended: a third of the CPU
    # of such an update (1,658 SQuAD rows)
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    with (corpus / "wire.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "c", "title": "Drones", "text": "A drone factory opened in Lviv."}) + "\n")
    counted, count = [], index.lexical._count_chunk
    monkeypatch.setattr(index.lexical, "_count_chunk", lambda texts, *a: counted.extend(texts) or count(texts, *a))
    builder.build()
    monkeypatch.undo()
    assert counted == ["Drones\nA drone factory opened in Lviv."]
    full = IndexBuilder(corpus, tmp_path / "full", embedder)
    full.build()
    appended, rebuilt = Store.load(builder.index_dir), Store.load(full.index_dir)
    assert [p.text for p in appended.passages.values()] == [p.text for p in rebuilt.passages.values()]
    assert list(appended.bm25.vocab) == list(rebuilt.bm25.vocab) and appended.bm25.avgdl == rebuilt.bm25.avgdl
    for name in ("offsets", "rows", "weights", "max_weights", "tf", "lengths"):
        assert np.array_equal(getattr(appended.bm25, name), getattr(rebuilt.bm25, name)), name
    assert_same_as_full_rebuild(builder.index_dir, corpus, embedder, tmp_path / "again")
