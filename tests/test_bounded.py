import logging

import pytest

from bot.messages import explain
from index import bounded
from index.add import AddError, ArticleAdder
from index.documents import read_corpus
from index.extract import extract_article
from index.store import Store
from tests.living import citebot, files_under


def report(paragraphs: int) -> str:
    """A page of one article of many short paragraphs: trafilatura's time grows with the square of its length."""
    paras = "".join(f"<p>Paragraph {i} of the report says the council met on Tuesday.</p>\n" for i in range(paragraphs))
    return (f"<html><head><title>Report</title><link rel=\"canonical\" href=\"https://news.example.org/report\">"
            f"</head><body><article><h1>Report</h1>{paras}</article></body></html>")


def test_a_page_over_the_in_process_length_is_read_by_a_child_exactly_as_in_process(tmp_path, monkeypatch):
    page = report(2_000)
    (tmp_path / "report.html").write_text(page, encoding="utf-8")
    here = (extract_article(page, url="https://news.example.org/r"), read_corpus(tmp_path).articles)
    monkeypatch.setattr(bounded, "IN_PROCESS_CHARS", 1_000)
    child = (extract_article(page, url="https://news.example.org/r"), read_corpus(tmp_path).articles)
    assert child == here
    assert here[0].text.count("of the report says the council met on Tuesday.") == 2_000
    assert [(a.title, a.url) for a in here[1]] == [("Report", "https://news.example.org/report")]


def test_a_page_past_the_cpu_budget_is_skipped_by_the_build_with_a_warning_and_refused_in_four_languages(
        tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(bounded, "IN_PROCESS_CHARS", 1_000)
    monkeypatch.setenv("CITEBOT_HTML_CPU_SECONDS", "1")
    (tmp_path / "report.html").write_text(report(60_000), encoding="utf-8")  # 4.2 MB: about 25 s of CPU to read here, 25 times the budget
    (tmp_path / "note.txt").write_text("The council met on Tuesday.", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["note.txt"]
    reason = "the page takes too long to read (over 1 s of CPU): save its article text as .txt"
    assert [(s.path, s.reason) for s in corpus.skipped] == [("report.html", reason)]
    assert caplog.messages == [f"skipping report.html: {reason}"]
    refused = []
    for name in ("report.html", "report.mhtml"):
        data = (tmp_path / "report.html").read_bytes()
        if name.endswith(".mhtml"):
            data = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\n"
                    b"Content-Type: text/html; charset=utf-8\r\nContent-Location: https://news.example.org/report\r\n"
                    b"\r\n" + data + b"\r\n--b--\r\n")
        try:
            ArticleAdder(tmp_path / "added").add_bytes(data, name)
        except AddError as exc:
            refused.append([str(exc)] + [explain(exc, exc.reason, lang) for lang in ("uk", "ro", "ru")])
    assert refused == [[
        f"cannot add {name}: {reason}",
        "сторінка читається надто довго (понад 1 с процесора): збережіть текст статті як .txt",
        "pagina se citește prea mult timp (peste 1 s de procesor): salvați textul articolului ca .txt",
        "страница читается слишком долго (больше 1 с процессора): сохраните текст статьи как .txt",
    ] for name in ("report.html", "report.mhtml")]
    assert not (tmp_path / "added").exists() or files_under(tmp_path / "added") == set()


@pytest.mark.parametrize("mb", [40, 64, 80, 128])
def test_a_page_that_needs_more_memory_than_its_reader_may_take_is_skipped_saying_so_at_any_limit(
        tmp_path, monkeypatch, caplog, mb):
    # Past the limit it was a traceback (RuntimeError: unknown error, lxml's XPath; ImportError: a library not
    # mapped), or "no main text found in the HTML" (lxml's parser gave up without a word), as well as the reason below
    monkeypatch.setattr(bounded, "IN_PROCESS_CHARS", 1_000)
    monkeypatch.setattr(bounded, "MAX_MEMORY", mb << 20)
    (tmp_path / "report.html").write_text(report(60_000), encoding="utf-8")  # 4.2 MB: about 220 MB to read
    (tmp_path / "note.txt").write_text("The council met on Tuesday.", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        corpus = read_corpus(tmp_path)
    reason = f"the page takes too much memory to read (over {mb} MB): save its article text as .txt"
    assert ([a.id for a in corpus.articles], [(s.path, s.reason) for s in corpus.skipped], caplog.messages) == (
        ["note.txt"], [("report.html", reason)], [f"skipping report.html: {reason}"])


def test_citebot_add_of_a_page_past_the_cpu_budget_is_one_line_exit_1_and_nothing_written(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(report(60_000), encoding="utf-8")  # 4.2 MB, over the length read in process: ~25 s to read
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", page,
                     env={"CITEBOT_HTML_CPU_SECONDS": "1"}, timeout=120)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"citebot: error: cannot add {page}: the page takes too long to read (over 1 s of CPU): "
                             "save its article text as .txt\n")
    assert files_under(corpus) == set() and not (tmp_path / "index").exists()


def test_a_page_refused_for_its_budget_is_not_read_again_by_later_builds_until_it_or_the_budget_changes(
        tmp_path, monkeypatch, caplog, embedder):
    from index.build import IndexBuilder

    read = []
    real = bounded.bounded
    monkeypatch.setattr(bounded, "bounded", lambda function, html, *args: read.append(len(html)) or real(function, html,
                                                                                                          *args))
    monkeypatch.setattr(bounded, "IN_PROCESS_CHARS", 10_000)
    monkeypatch.setenv("CITEBOT_HTML_CPU_SECONDS", "1")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.html").write_text(report(60_000), encoding="utf-8")  # about 25 s of CPU: refused at 1 s
    (corpus / "note.txt").write_text("The council met on Tuesday.", encoding="utf-8")
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    reason = "the page takes too long to read (over 1 s of CPU): save its article text as .txt"

    def build() -> list[tuple[str, str]]:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            built = builder.build()
        assert [m for m in caplog.messages if m.startswith("skipping")] == [f"skipping report.html: {reason}"]
        return [(s.path, s.reason) for s in built.skipped]

    assert (build(), len(read)) == ([("report.html", reason)], 1)
    (corpus / "ferry.txt").write_text("The ferry leaves at noon.", encoding="utf-8")
    assert (build(), len(read)) == ([("report.html", reason)], 1)  # each build read it again: a minute of CPU at 60 s
    assert (build(), len(read)) == ([("report.html", reason)], 1)  # nothing changed
    with (corpus / "report.html").open("a", encoding="utf-8") as page:
        page.write("<!-- edited -->")
    assert (build(), len(read)) == ([("report.html", reason)], 2)  # another page: read
    monkeypatch.setenv("CITEBOT_HTML_CPU_SECONDS", "2")
    reason = reason.replace("over 1 s", "over 2 s")
    assert (build(), len(read)) == ([("report.html", reason)], 3)  # a larger budget: read again
    assert sorted(Store.load(builder.index_dir).articles) == ["ferry.txt", "note.txt"]
