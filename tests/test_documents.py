import json
import logging

import pytest

from index.documents import fingerprint, read_corpus
from index.errors import CitebotError
from tests.conftest import SHIPPED_CORPUS


def test_shipped_article_gets_its_date_from_the_leading_date_line_and_a_title_from_its_first_sentence():
    corpus = read_corpus(SHIPPED_CORPUS)
    first = next(a for a in corpus.articles if a.id == "000_021f342df130e0f3.txt")
    assert first.date == "2023-04-20"
    assert first.title == "NATO member states are preparing to discuss Ukraine's membership and security…"
    assert first.text.startswith(" date 2023-04-20")
    assert first.text[first.body_start:].startswith("\nNATO member states")


def test_text_and_markdown_files_are_read_recursively_with_their_relative_path_as_id(tmp_path):
    (tmp_path / "news" / "deep").mkdir(parents=True)
    (tmp_path / "news" / "deep" / "a.md").write_text("# Heading\n\nThe summit is in Vilnius.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The war began in 2022.", encoding="utf-8")
    (tmp_path / "ignored.csv").write_text("x,y", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["b.txt", "news/deep/a.md"]
    assert corpus.articles[1].title == "# Heading"
    assert corpus.skipped == []


def test_jsonl_rows_become_articles_with_metadata_and_bad_lines_are_skipped_by_name(tmp_path, caplog):
    rows = [
        json.dumps({"id": "w1", "title": "Warsaw", "text": "Warsaw is the capital of Poland.", "date": "2020-01-02",
                    "url": "https://example.org/w"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "An article without id."}),
        json.dumps({"id": "w1", "text": "duplicate id"}),
        json.dumps(["a", "list"]),
    ]
    (tmp_path / "wiki.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.url) for a in corpus.articles] == [
        ("wiki.jsonl#w1", "Warsaw", "2020-01-02", "https://example.org/w"),
        ("wiki.jsonl#4", "An article without id.", None, None),
    ]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("wiki.jsonl:2", "malformed JSON (Expecting property name enclosed in double quotes)"),
        ("wiki.jsonl:3", 'missing "text" string'),
        ("wiki.jsonl:5", 'duplicate id "w1"'),
        ("wiki.jsonl:6", "line is not a JSON object"),
    ]
    assert "skipping wiki.jsonl:2: malformed JSON" in caplog.text


def test_html_main_text_and_title_are_extracted(tmp_path):
    body = " ".join(["The alliance will meet in Vilnius in July to discuss Ukraine's path to membership."] * 4)
    (tmp_path / "page.html").write_text(
        "<html><head><title>Summit in Vilnius</title></head><body>"
        "<nav>Home | About | Contact</nav>"
        f"<article><h1>Summit in Vilnius</h1><p>{body}</p><p>Leaders arrive on Tuesday.</p></article>"
        "<footer>Copyright 2023</footer></body></html>",
        encoding="utf-8",
    )
    corpus = read_corpus(tmp_path)
    assert corpus.skipped == []
    (article,) = corpus.articles
    assert article.title == "Summit in Vilnius"
    assert "The alliance will meet in Vilnius in July" in article.text
    assert "Copyright" not in article.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("latin1.txt", "café crème".encode("latin-1"), "not UTF-8 (invalid continuation byte at byte 3)"),
        ("empty.md", b"  \n\n ", "empty file"),
        ("blank.jsonl", b"", None),
        ("nothing.html", b"<html><body></body></html>", "no main text found in the HTML"),
    ],
)
def test_a_broken_file_is_skipped_with_a_warning_naming_it_and_the_build_goes_on(tmp_path, caplog, name, content, reason):
    (tmp_path / "good.txt").write_text("A good article.", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    with caplog.at_level(logging.WARNING):
        corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    if reason is None:
        assert corpus.skipped == []
    else:
        assert [(s.path, s.reason) for s in corpus.skipped] == [(name, reason)]
        assert f"skipping {name}: {reason}" in caplog.text


def test_a_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CitebotError, match="corpus folder not found: .*nowhere"):
        read_corpus(tmp_path / "nowhere")


def test_fingerprint_records_size_and_content_hash_of_every_file(tmp_path):
    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    before = fingerprint(tmp_path)
    (tmp_path / "a.txt").write_text("two", encoding="utf-8")
    after = fingerprint(tmp_path, {k: v.to_json() for k, v in before.items()})
    assert before["a.txt"].size == 3
    assert before["a.txt"].sha256 == "7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed"
    assert after["a.txt"].sha256 != before["a.txt"].sha256
