"""PDFs in the corpus and through `citebot add`: real files written by tests/pdfs.py, read by the real pypdf."""

from __future__ import annotations

import json
import logging
import re

import pytest

from index.documents import fingerprint, read_corpus
from index.pdf import read_pdf, reflow
from tests.living import citebot, indexed_template
from tests.news_site import NewsSite
from tests.pdfs import pdf_bytes, text_stream, write_pdf

# A news report as a PDF sets it: lines wrapped inside paragraphs, a heading, a short last line, a hyphenated word.
REPORT = [
    "Riga port opens a floating solar farm",
    "The port of Riga switched on a floating solar farm on Monday, covering eleven",
    "hectares of the old timber harbour with panels that supply the container termi-",
    "nal during daylight hours.",
    "The farm cost 38 million euros and was built by a Latvian-Finnish consortium.",
]
SENTENCE = ("The port of Riga switched on a floating solar farm on Monday, covering eleven hectares of the old timber "
            "harbour with panels that supply the container termi-nal during daylight hours.")


def test_a_pdf_report_is_read_as_its_sentences_with_wrapped_lines_joined_and_metadata_title_and_date(tmp_path):
    write_pdf(tmp_path / "reports" / "riga.pdf", [REPORT], title="Floating solar in Riga", created="D:20260302093000Z")
    corpus = read_corpus(tmp_path)
    assert corpus.skipped == []
    [article] = corpus.articles
    assert (article.id, article.title, article.date, article.url) == (
        "reports/riga.pdf", "Floating solar in Riga", "2026-03-02", None)
    assert article.text == ("Riga port opens a floating solar farm\n" + SENTENCE + "\n"
                            "The farm cost 38 million euros and was built by a Latvian-Finnish consortium.")


def test_a_pdf_without_metadata_is_titled_by_its_first_sentence_and_undated_as_a_text_file_is(tmp_path):
    write_pdf(tmp_path / "plain.pdf", [REPORT[1:]])
    [article] = read_corpus(tmp_path).articles
    assert article.title == "The port of Riga switched on a floating solar farm on Monday, covering eleven…"
    assert article.date is None


@pytest.mark.parametrize("title", ["Microsoft Word - riga_report_final.docx", "Microsoft PowerPoint - slides.pptx",
                                   "Untitled", "untitled.pdf", "Untitled document", "PowerPoint Presentation",
                                   "Document1", "riga", "riga.pdf", "RIGA", "report v2.docx"])
def test_a_pdf_whose_metadata_title_is_a_tools_placeholder_or_its_file_name_is_titled_by_its_first_line(tmp_path, title):
    write_pdf(tmp_path / "riga.pdf", [REPORT], title=title)
    [article] = read_corpus(tmp_path).articles
    assert article.title == "Riga port opens a floating solar farm"


@pytest.mark.parametrize("title", ["Untitled: the art of leaving things unnamed", "Microsoft Word turns 40",
                                   "Riga port"])
def test_a_pdf_title_that_only_starts_like_a_placeholder_is_its_title(tmp_path, title):
    write_pdf(tmp_path / "riga.pdf", [REPORT], title=title)
    assert read_corpus(tmp_path).articles[0].title == title


def test_a_page_a_browser_printed_keeps_its_title_but_not_the_day_it_was_printed_as_its_date(tmp_path):
    write_pdf(tmp_path / "saved.pdf", [REPORT], title="Riga port opens a floating solar farm | Baltic News",
              created="D:20261205211620+00'00'", creator="Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0.0.0")
    [article] = read_corpus(tmp_path).articles
    assert (article.title, article.date) == ("Riga port opens a floating solar farm | Baltic News", None)


@pytest.mark.parametrize("created", ["D:99991231000000Z", "D:00010101000000Z"])
def test_a_pdf_created_at_year_one_or_far_ahead_is_undated_in_the_corpus_as_citebot_add_stores_it(
        workspace, tmp_path, created):
    # A placeholder's or a broken tool's creation date dated the PDF 9999-12-31 or 0001-01-01 in the corpus (the
    # newest or oldest article in /sources and "latest" answers), where citebot add stored it undated (d730fff)
    corpus, index = workspace
    write_pdf(tmp_path / "own" / "riga.pdf", [REPORT], title="Floating solar in Riga", created=created)
    [article] = read_corpus(tmp_path / "own").articles
    assert (article.title, article.date) == ("Floating solar in Riga", None)
    report = write_pdf(tmp_path / "Riga solar.pdf", [REPORT], title="Floating solar in Riga", created=created)
    added = citebot("add", "--corpus", corpus, "--index", index, report)
    assert added.returncode == 0, added.stderr
    assert re.fullmatch(r"added: Floating solar in Riga \(1 passage\) -> local/floating-solar-in-riga-[0-9a-f]{6}\.md",
                        added.stdout.splitlines()[0])


def test_pages_follow_one_another_and_ligatures_and_control_characters_read_as_their_letters_and_spaces(tmp_path):
    stream = text_stream(["The \ufb01rst \ufb02ights land at 9:40."]).replace(b"9:40.", b"9:40.\x07")
    (tmp_path / "two.pdf").write_bytes(pdf_bytes(streams=[text_stream(["Page one ends here."]), stream]))
    [article] = read_corpus(tmp_path).articles
    assert article.text == "Page one ends here.\nThe first flights land at 9:40."


def test_reflow_joins_a_wrapped_line_but_keeps_headings_bullets_short_last_lines_and_a_hyphen_at_a_line_end():
    text = ("Budget 2027\n"
            "The council approved the budget on Tuesday after a long debate about the self-\n"
            "evident need for new schools in the northern districts.\n"
            "It passed by 31 votes to 20, the city's spokeswoman said.\n"
            "• Schools: 12 million\n"
            "• Roads: 9 million\n")
    assert reflow(text) == ("Budget 2027\n"
                            "The council approved the budget on Tuesday after a long debate about the self-evident "
                            "need for new schools in the northern districts.\n"
                            "It passed by 31 votes to 20, the city's spokeswoman said.\n"
                            "• Schools: 12 million\n"
                            "• Roads: 9 million")


def test_a_numbered_heading_under_a_paragraphs_nearly_full_last_line_keeps_its_own_line_in_a_pdf(tmp_path):
    write_pdf(tmp_path / "plan.pdf", [[
        "Harbour plan 2027",
        "The city council of Tallinn debated the harbour plan for the new ferry line for",
        "three weeks and approved it with a large majority at its meeting in October.",
        "2. Staff",
        "The harbour authority hires forty new workers for the ferry terminal this year,",
        "the port's spokeswoman said.",
        "Conclusion",
        "The plan is the \u201clargest in a decade\u201d, said the mayor of the city of Tallinn.\u201d",
        "Kristen Michal",
    ]])
    [article] = read_corpus(tmp_path).articles
    assert article.text.split("\n") == [
        "Harbour plan 2027",
        "The city council of Tallinn debated the harbour plan for the new ferry line for three weeks and approved it "
        "with a large majority at its meeting in October.",
        "2. Staff",  # not "... in October. 2. Staff"
        "The harbour authority hires forty new workers for the ferry terminal this year, the port's spokeswoman said.",
        "Conclusion",
        "The plan is the \u201clargest in a decade\u201d, said the mayor of the city of Tallinn.\u201d",
        "Kristen Michal"]


def test_a_line_wrapped_after_an_abbreviation_goes_on_over_a_short_last_line_that_ends_in_no_full_stop(tmp_path):
    # A wrapped line ending in "U.S." or "Dr." was taken for a sentence's end over a short last line with no full
    # stop (a list item's, a caption's), which was then kept apart as if a heading: "Embassy in Tallinn" alone
    write_pdf(tmp_path / "visits.pdf", [[
        "Visitors this week",
        "\u2022 The harbour master met the unions, the city council and the staff of the U.S.",
        "Embassy in Tallinn",
        "\u2022 The ferry operators",
        "The prize for the new ferry terminal in the old harbour went to the team led by Dr.",
        "Maria Tamm (see photo)",
        "The jury met for the last time on Monday and gave its prize in the evening.",
        "Tallinn, 3 May",
        "The jury of the prize for the new terminal in the old harbour met again on 5 Oct.",
        "2. Staff",
    ]])
    [article] = read_corpus(tmp_path).articles
    assert article.text.split("\n") == [
        "Visitors this week",
        "\u2022 The harbour master met the unions, the city council and the staff of the U.S. Embassy in Tallinn",
        "\u2022 The ferry operators",
        "The prize for the new ferry terminal in the old harbour went to the team led by Dr. Maria Tamm (see photo)",
        "The jury met for the last time on Monday and gave its prize in the evening.",
        "Tallinn, 3 May",  # a sentence's end over a place and date: apart, as the heading under a paragraph is
        "The jury of the prize for the new terminal in the old harbour met again on 5 Oct.",
        "2. Staff"]  # not "5 Oct. 2.", a date: a line opening with a number is not read on from an abbreviation


@pytest.mark.parametrize("header", ["Home | News | World | Business | Sport | Culture",  # a site's menu, printed
                                    "Baltic News Weekly - Issue 14 - March 2026",        # a running header
                                    "Port authority reports higher cargo volumes"])      # a heading over the heading
def test_a_line_over_a_pdfs_heading_is_not_joined_to_it_as_if_wrapped_nor_titles_the_pdf_with_the_heading_run_on(
        tmp_path, header):
    write_pdf(tmp_path / "riga.pdf", [[header] + REPORT])
    [article] = read_corpus(tmp_path).articles
    assert article.text.split("\n")[:3] == [header, "Riga port opens a floating solar farm", SENTENCE]
    assert article.title == header  # its own line, not "... | Culture Riga port opens a floating…"


@pytest.mark.parametrize("name, make, reason", [
    ("scan.pdf", lambda: pdf_bytes(streams=[b"q 612 0 0 792 0 0 cm 0.5 g 0 0 1 1 re f Q"]),
     "no text in it (a scan? citebot does not read the text of images)"),
    ("broken.pdf", lambda: pdf_bytes([["A report."]])[:300], None),
    ("fake.pdf", lambda: b"<html><body>Not found</body></html>", "not a PDF file (no %PDF header)"),
    ("bomb.pdf", lambda: pdf_bytes(streams=[text_stream(["x"]) + b" " * 40_000_000]),
     "gave up: a stream in it inflates to over 16 MB (a PDF bomb?)"),
    ("pages.pdf", lambda: pdf_bytes(streams=[text_stream(["x"])] * 1_001), "1,001 pages, over the 1,000-page limit"),
    ("nested.pdf", lambda: pdf_bytes(streams=[b"BT /F1 11 Tf " + b"[" * 100_000 + b"(x)" + b"]" * 100_000 + b" TJ ET"]),
     "a broken PDF (nested too deeply)"),
])
def test_a_pdf_that_cannot_be_read_is_skipped_with_a_warning_naming_it_and_why_and_the_rest_is_read(
        tmp_path, caplog, name, make, reason):
    (tmp_path / name).write_bytes(make())
    (tmp_path / "good.txt").write_text("The ferry leaves at noon.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="citebot.documents"):
        corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    [skipped] = corpus.skipped
    assert skipped.path == name
    if reason is None:
        assert skipped.reason.startswith("a broken PDF (")
    else:
        assert skipped.reason == reason
    assert caplog.messages == [f"skipping {name}: {skipped.reason}"]  # pypdf's own warnings are not passed on


def test_an_encrypted_pdf_is_read_when_it_opens_without_a_password_and_skipped_when_it_needs_one(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf.tmp", [REPORT])
    for name, user, algorithm in (("locked.pdf", "secret", "AES-256"), ("printing-restricted.pdf", "", "AES-128"),
                                  ("old-rc4.pdf", "", "RC4-128")):
        writer = PdfWriter(clone_from=PdfReader(plain))
        writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
        with (tmp_path / name).open("wb") as handle:
            writer.write(handle)
    plain.unlink()
    corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["old-rc4.pdf", "printing-restricted.pdf"]
    assert all(SENTENCE in a.text for a in corpus.articles)
    assert [(s.path, s.reason) for s in corpus.skipped] == [("locked.pdf", "encrypted: it opens only with a password")]


def test_a_pdf_over_the_size_limit_is_not_opened_and_its_text_is_held_to_as_many_characters(tmp_path, monkeypatch):
    write_pdf(tmp_path / "big.pdf", [REPORT * 3], compress=False)  # 2 KB
    write_pdf(tmp_path / "long.pdf", [REPORT * 40])  # 0.9 KB, 15,000 characters of text
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.001")
    corpus = read_corpus(tmp_path)
    assert corpus.articles == []
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("big.pdf", "0.002 MB, over the 0.001 MB limit (set CITEBOT_MAX_FILE_MB)"),
        ("long.pdf", "its text is over 1,000 characters, the limit CITEBOT_MAX_FILE_MB sets")]


def test_reading_a_pdf_gives_up_past_its_cpu_time_and_memory_budgets_naming_why():
    # Hundreds of forms on a page, each a stream that inflates to 2 MB of blanks: pypdf would read them all.
    form = text_stream(["x"]) + b" " * 2_000_000
    data = pdf_bytes(streams=[b" ".join(b"/Fm%d Do" % i for i in range(200))], forms=[form] * 200)
    with pytest.raises(ValueError, match=r"^gave up after 0\.5 s of reading it \(a PDF bomb\?\)$"):
        read_pdf(data, max_chars=1_000_000, seconds=0.5)
    with pytest.raises(ValueError, match=r"^gave up: reading it took over 16 MB of memory \(a PDF bomb\?\)$"):
        read_pdf(data, max_chars=1_000_000, memory=16 << 20)


def test_a_pdf_dropped_into_an_indexed_corpus_is_read_by_the_next_build_alone(tmp_path, embedder):
    from index.build import IndexBuilder

    root = indexed_template(tmp_path, embedder)
    corpus, index = root / "corpus", root / "index"
    manifest = json.loads((index / "current" / "manifest.json").read_text())
    write_pdf(corpus / "riga.pdf", [REPORT])
    # The manifest stamps only files of the suffixes read: a .pdf an older citebot passed over is new to it
    assert "riga.pdf" not in manifest["files"] and "riga.pdf" in fingerprint(corpus)
    builder = IndexBuilder(corpus, index, embedder)
    assert builder.status() == "stale"
    report = builder.build()
    assert report.articles == 3 and report.reused_files == 2 and report.embedded_passages == 1
    assert builder.status() == "fresh"


def test_citebot_ask_answers_from_a_pdf_with_its_sentence_verbatim_across_the_line_it_wrapped_at(workspace):
    corpus, index = workspace
    write_pdf(corpus / "riga.pdf", [REPORT], title="Floating solar in Riga", created="D:20260302093000Z")
    asked = citebot("ask", "--json", "--corpus", corpus, "--index", index,
                    "How many hectares does the floating solar farm in Riga cover?")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["answer"] == SENTENCE
    source = answer["sources"][0]
    assert (source["doc"], source["title"], source["date"]) == ("riga.pdf", "Floating solar in Riga", "2026-03-02")
    text = read_corpus(corpus).articles[-1].text
    assert text[source["start"]:source["end"]] == source["passage"]


def test_citebot_add_stores_a_local_pdf_and_a_linked_one_as_their_text_and_the_next_question_finds_it(
        workspace, tmp_path):
    corpus, index = workspace
    report = write_pdf(tmp_path / "Riga solar.pdf", [REPORT], title="Floating solar in Riga",
                       created="D:20260302093000Z")
    added = citebot("add", "--corpus", corpus, "--index", index, report)
    assert added.returncode == 0, added.stderr
    lines = added.stdout.splitlines()
    assert re.fullmatch(r"added: Floating solar in Riga, 2026-03-02 \(1 passage\) -> "
                        r"local/2026-03-02-floating-solar-in-riga-[0-9a-f]{6}\.md", lines[0])
    stored = corpus / lines[0].rsplit(" -> ", 1)[1]
    assert stored.read_text(encoding="utf-8").endswith("\n\n" + reflow(
        "\n".join(REPORT)) + "\n")

    ferry = ["Electric ferry Aurora crossed the Gulf of Finland on batteries alone on Saturday, carrying",
             "320 passengers between Helsinki and Tallinn in two hours and ten minutes."]
    with NewsSite() as site:
        site.files["/reports/ferry.pdf"] = ("application/pdf", pdf_bytes([ferry]))
        link = site.url("/reports/ferry.pdf")
        added = citebot("add", "--corpus", corpus, "--index", index, link)
        assert added.returncode == 0, added.stderr
        assert re.fullmatch(r"added: Electric ferry Aurora crossed the Gulf of Finland on batteries alone on… "
                            r"\(1 passage\) -> 127\.0\.0\.1/ferry-[0-9a-f]{6}\.md", added.stdout.splitlines()[0])
        again = citebot("add", "--corpus", corpus, "--index", index, link)
        assert again.stdout.startswith("already known: Electric ferry Aurora")
    asked = citebot("ask", "--json", "--corpus", corpus, "--index", index,
                    "How many passengers did the electric ferry Aurora carry?")
    answer = json.loads(asked.stdout)
    assert answer["answer"] == " ".join(ferry)
    assert answer["sources"][0]["url"] == link


def test_citebot_add_titles_a_pdf_whose_metadata_title_is_its_file_name_by_its_first_line(workspace, tmp_path):
    corpus, index = workspace
    report = write_pdf(tmp_path / "riga.pdf", [REPORT], title="riga")  # its file's name, as some tools set it
    added = citebot("add", "--corpus", corpus, "--index", index, report)
    assert added.returncode == 0, added.stderr
    assert re.fullmatch(r"added: Riga port opens a floating solar farm \(1 passage\) -> "
                        r"local/riga-[0-9a-f]{6}\.md", added.stdout.splitlines()[0])


def test_citebot_add_says_why_a_pdf_cannot_be_added_and_writes_nothing(workspace, tmp_path):
    corpus, index = workspace
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_bytes(streams=[b"0 0 1 1 re f"]))
    before = sorted(p.name for p in corpus.rglob("*"))
    added = citebot("add", "--corpus", corpus, "--index", index, scan)
    assert added.returncode == 1
    assert added.stderr == (f"citebot: error: cannot add {scan}: no text in it (a scan? citebot does not read the "
                            "text of images)\n")
    assert sorted(p.name for p in corpus.rglob("*")) == before


def test_citebot_add_reads_a_pdf_served_as_octet_stream_or_untyped_by_its_signature_and_refuses_other_binaries(
        workspace):
    corpus, index = workspace
    lines = ["Electric ferry Aurora crossed the Gulf of Finland on batteries alone on Saturday, carrying",
             "320 passengers between Helsinki and Tallinn in two hours and ten minutes."]
    with NewsSite() as site:  # as S3 and CDNs serve a report uploaded without its type
        site.files["/a/ferry"] = ("application/octet-stream", pdf_bytes([lines], title="Aurora on batteries"))
        site.files["/b/tunnel.pdf"] = ("binary/octet-stream", b"\xef\xbb\xbf" + pdf_bytes([REPORT]))
        site.files["/c/solar"] = (None, b"\r\n" + pdf_bytes([REPORT[:2]], title="Riga solar"))
        site.files["/d/archive.zip"] = ("application/octet-stream", b"PK\x03\x04" + b"\x00" * 2000 + b"%PDF-1.4")
        site.files["/e/page"] = (None, b"<html><head><title>Ferry</title></head><body><p>%PDF-1.4</p></body></html>")
        said = [citebot("add", "--corpus", corpus, "--index", index, site.url(path))
                for path in ("/a/ferry", "/b/tunnel.pdf", "/c/solar", "/d/archive.zip", "/e/page")]
    # They were "not an HTML page (Content-Type application/octet-stream)"
    assert [s.returncode for s in said[:3]] == [0, 0, 0], [s.stderr for s in said]
    assert [s.stdout.split(" -> ")[0] for s in said[:3]] == [
        "added: Aurora on batteries (1 passage)",
        "added: Riga port opens a floating solar farm (1 passage)",
        "added: Riga solar (1 passage)"]
    assert said[3].returncode == 1
    assert said[3].stderr == (f"citebot: error: cannot add {site.url('/d/archive.zip')}: not an HTML page, a PDF or "
                              "a Word document (Content-Type application/octet-stream)\n")
    assert said[4].returncode == 1  # an untyped page is read as a page still: this one has no article in it
    assert said[4].stderr.startswith(f"citebot: error: cannot add {site.url('/e/page')}: ")
    assert "PDF" not in said[4].stderr


def test_a_pdf_refused_for_its_budget_is_not_read_again_by_later_builds_until_it_or_the_budget_changes(
        tmp_path, monkeypatch, caplog, embedder):
    from index import pdf
    from index.build import IndexBuilder
    from index.store import Store

    read = []
    real = pdf.read_pdf
    monkeypatch.setattr(pdf, "read_pdf", lambda data, *args, **kwargs: read.append(len(data)) or real(data, *args,
                                                                                                       **kwargs))
    monkeypatch.setattr(pdf, "MAX_SECONDS", 0.5)
    corpus = tmp_path / "corpus"
    form = text_stream(["x"]) + b" " * 2_000_000  # forms pypdf would read for seconds: refused at 0.5 s
    (corpus / "bomb.pdf").parent.mkdir()
    (corpus / "bomb.pdf").write_bytes(pdf_bytes(streams=[b" ".join(b"/Fm%d Do" % i for i in range(200))],
                                                forms=[form] * 200))
    (corpus / "note.txt").write_text("The council met on Tuesday.", encoding="utf-8")
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    reason = "gave up after 0.5 s of reading it (a PDF bomb?)"

    def build() -> list[tuple[str, str]]:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            built = builder.build()
        assert [m for m in caplog.messages if m.startswith("skipping")] == [f"skipping bomb.pdf: {reason}"]
        return [(s.path, s.reason) for s in built.skipped]

    assert (build(), len(read)) == ([("bomb.pdf", reason)], 1)
    (corpus / "ferry.txt").write_text("The ferry leaves at noon.", encoding="utf-8")
    assert (build(), len(read)) == ([("bomb.pdf", reason)], 1)  # each build read it again: a minute of CPU at 60 s
    assert (build(), len(read)) == ([("bomb.pdf", reason)], 1)  # nothing changed
    with (corpus / "bomb.pdf").open("ab") as bomb:
        bomb.write(b"% edited\n")
    assert (build(), len(read)) == ([("bomb.pdf", reason)], 2)  # another file: read
    monkeypatch.setattr(pdf, "MAX_SECONDS", 0.6)
    reason = reason.replace("0.5 s", "0.6 s")
    assert (build(), len(read)) == ([("bomb.pdf", reason)], 3)  # a larger budget: read again
    assert sorted(Store.load(builder.index_dir).articles) == ["ferry.txt", "note.txt"]


def test_only_a_pdf_refused_for_its_cpu_time_stays_refused_as_its_memory_budget_is_the_whole_process_growth():
    from index import pdf

    # ru_maxrss counts every thread's memory: a PDF refused as over 512 MB while another thread grew is read again
    assert pdf.refusals() == {"gave up after 60 s of reading it (a PDF bomb?)"}
