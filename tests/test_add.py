"""`citebot add` over real HTTP: a news site on 127.0.0.1, the real entry point, the real model and index."""

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
from html import escape as escape_html

import pytest

from index import frontmatter
from bot.messages import explain
from index.add import AddError, Added, ArticleAdder, canonical
from index.documents import read_file
from index.fetch import Fetcher
from tests.conftest import FIXTURE_MODEL_ENV, SHIPPED_CORPUS
from tests.living import CITEBOT, citebot, files_under, live_build
from tests.news_site import STORIES, NewsSite, Story, article_page
from tests.test_build import _unprivileged


@pytest.fixture
def site():
    with NewsSite(huge_bytes=3_000_000) as served:
        yield served


def stored_name(site, slug: str, title: str, date: str) -> str:
    digest = hashlib.sha256(canonical(site.url(f"/world/{slug}")).encode()).hexdigest()[:6]
    words = re.findall(r"[a-z0-9]+", title.lower())
    return f"127.0.0.1/{date}-{'-'.join(words)}-{digest}.md"


def test_add_stores_the_article_with_its_metadata_and_the_next_question_is_answered_from_it(site, workspace):
    corpus, index = workspace
    story = STORIES["tunnel"]
    result = citebot("add", "--corpus", corpus, "--index", index, site.article_url("tunnel"))
    assert result.returncode == 0, result.stderr
    rel = stored_name(site, "tunnel", story.title, story.date)
    lines = result.stdout.splitlines()
    assert lines[0] == f"added: {story.title}, {story.date} (1 passage) -> {rel}"
    assert re.fullmatch(r"indexed 3 articles into \d+ passages in [\d.]+ s \(1 passage embedded\)", lines[1])
    assert len(lines) == 2

    text = (corpus / rel).read_text(encoding="utf-8")
    meta, body_start = frontmatter.parse(text)
    assert {k: v for k, v in meta.items() if k != "added"} == {
        "title": story.title, "date": story.date, "author": story.author,
        "url": site.url("/world/tunnel"), "fetched": site.article_url("tunnel")}
    body = text[body_start:]
    assert all(paragraph in body for paragraph in story.paragraphs)
    for boilerplate in ("Most read", "cookies", "All rights reserved", "Privacy", "Business", "Derby"):
        assert boilerplate not in body

    asked = citebot("ask", "--json", "--corpus", corpus, "--index", index,
                    "When will the harbour tunnel under Tallinn Bay open to traffic?")
    answer = json.loads(asked.stdout)
    assert "14 March 2027" in answer["answer"]
    assert answer["sources"][0]["doc"] == rel and answer["sources"][0]["title"] == story.title
    assert asked.stderr == ""  # the index was already up to date: nothing rebuilt


def test_the_same_story_from_another_address_or_site_is_not_stored_twice(site, workspace):
    corpus, index = workspace
    before = files_under(corpus)
    story = STORIES["tunnel"]
    result = citebot("add", "--corpus", corpus, "--index", index, site.article_url("tunnel"),
                     site.url("/amp/tunnel"),          # another address naming the same canonical URL
                     site.url("/syndicated/tunnel"),   # a partner's copy: its own URL, near-identical text
                     site.url("/go/tunnel"),           # a redirect to the page added first
                     site.article_url("tunnel"))       # the very same link again
    assert result.returncode == 0, result.stderr
    rel = stored_name(site, "tunnel", story.title, story.date)
    lines = result.stdout.splitlines()
    assert lines[0] == f"added: {story.title}, {story.date} (1 passage) -> {rel}"
    assert lines[1:5] == [f"already known: {story.title}, {story.date} ({rel})"] * 4
    assert lines[5].startswith("indexed 3 articles into ")
    assert files_under(corpus) - before == {rel, ".citebot-add.lock"}
    # the repeated link was fetched again (a correction there would be stored) and found unchanged
    assert site.statuses("/world/2026/tunnel.html").count(200) == 3


def test_a_partners_copy_that_reports_another_figure_days_later_is_added_not_already_known(site, workspace, tmp_path):
    corpus, index = workspace
    story = STORIES["tunnel"]
    first = citebot("add", "--corpus", corpus, "--index", index, site.article_url("tunnel"))
    assert first.returncode == 0, first.stderr
    # The partner's words are the story's, near-identical, but two days on the tunnel carries more vehicles.
    later = dataclasses.replace(story, date="2026-11-22", paragraphs=tuple(
        p.replace("40,000 vehicles", "45,000 vehicles") for p in story.paragraphs))
    page = tmp_path / "partner.html"
    page.write_text(article_page(later, "https://partner.example.com/stories/tunnel"), encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", index, page)
    assert result.returncode == 0, result.stderr
    # It was "already known: Tallinn harbour tunnel to open in March, 2026-11-20 (127.0.0.1/…)": the new figure was
    # dropped, and the answer went on citing 40,000.
    digest = hashlib.sha256(canonical("https://partner.example.com/stories/tunnel").encode()).hexdigest()[:6]
    rel = f"partner.example.com/2026-11-22-tallinn-harbour-tunnel-to-open-in-march-{digest}.md"
    assert result.stdout.splitlines()[0] == f"added: {story.title}, 2026-11-22 (1 passage) -> {rel}"
    copy = tmp_path / "copy.html"  # the partner's copy of the first report: the same figures, already known
    copy.write_text(article_page(story, "https://partner.example.com/stories/tunnel-first"), encoding="utf-8")
    again = citebot("add", "--corpus", corpus, "--index", index, copy)
    assert (again.returncode, again.stdout) == (
        0, f"already known: {story.title}, {story.date} ({stored_name(site, 'tunnel', story.title, story.date)})\n")


def test_a_story_held_in_an_html_file_or_a_jsonl_row_of_the_corpus_is_already_known(site, tmp_path):
    from tests.news_site import article_page

    corpus = tmp_path / "corpus"
    (corpus / "partner").mkdir(parents=True)
    ferry = STORIES["ferry"]
    # A partner's copy of the ferry story, saved as a page: its own canonical URL, the same text.
    (corpus / "partner" / "ferry.html").write_text(article_page(ferry, "https://partner.example.org/ferry"),
                                                   encoding="utf-8")
    # A wire feed's rows: the second is the tunnel story, under the canonical URL its page names.
    rows = [{"id": "summit", "title": "Summit opens in Vilnius", "date": "2026-11-19",
             "text": "The NATO summit opened in Vilnius on Tuesday with talks on air defence."},
            {"id": "tunnel", "title": "Tunnel opening set", "date": "2026-11-20", "url": site.url("/world/tunnel"),
             "text": "The harbour tunnel under Tallinn Bay opens in March 2027, the city said."}]
    (corpus / "wire.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    before = files_under(corpus)
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index",
                     site.article_url("tunnel"), site.article_url("ferry"))
    assert (result.returncode, result.stderr) == (0, "")
    # Both were added again: only the .txt and .md files of the corpus were compared with.
    assert result.stdout == ("already known: Tunnel opening set, 2026-11-20 (wire.jsonl#tunnel)\n"
                             f"already known: {ferry.title}, {ferry.date} (partner/ferry.html)\n")
    assert files_under(corpus) - before == {".citebot-add.lock"}  # the lock that adds share, and no article


@pytest.mark.parametrize("path, options, reason", [
    ("/no-such-story", [], "HTTP 404 Not Found"),
    ("/slow", ["--timeout", "0.5"], "no answer within 0.5 s"),
    ("/photo.jpg", [], "not an HTML page, a PDF or a Word document (Content-Type image/jpeg)"),  # those are added
    ("/feed.xml", [], "a feed (Content-Type application/rss+xml) is not an article: follow it with citebot feeds add URL, "
                      "or add the links of its articles"),  # was "not an HTML page, a PDF or a Word document (…)"
    ("/consent", [], "no article text found on the page"),
    ("/huge", ["--max-bytes", "1000000"], "the body is 3,000,000 bytes, over the 1,000,000-byte limit"),
    ("/huge-chunked", ["--max-bytes", "1000000"], "the body is over the 1,000,000-byte limit"),
])
def test_a_page_that_cannot_be_added_is_one_line_on_stderr_exit_1_and_nothing_written(
        site, workspace, path, options, reason):
    corpus, index = workspace
    before, build = files_under(corpus), live_build(index)
    result = citebot("add", "--corpus", corpus, "--index", index, *options, site.url(path))
    assert result.returncode == 1
    assert result.stderr == f"citebot: error: cannot add {site.url(path)}: {reason}\n"
    assert result.stdout == ""
    assert files_under(corpus) == before and live_build(index) == build


def test_a_feed_served_as_plain_xml_or_json_is_told_where_feeds_go_and_other_xml_is_refused_as_before(site, workspace):
    # Many sites (and python -m http.server, nginx's defaults) serve RSS and Atom as text/xml or application/xml, and a
    # JSON Feed as application/json: `citebot add` of such a feed said "not an HTML page, a PDF or a Word document
    # (Content-Type application/xml)", not that it is a feed to follow.
    corpus, index = workspace
    site.files["/rss"] = ("text/xml; charset=utf-8", site.rss().encode())
    site.files["/atom"] = ("application/xml", site.atom()[0].encode())
    site.files["/feed.json"] = ("application/json", json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Baltic Morning News",
        "items": [{"id": "1", "url": site.article_url("tunnel")}]}).encode())
    site.files["/sitemap.xml"] = ("application/xml", b'<?xml version="1.0"?>\n<urlset xmlns='
                                  b'"http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/</loc></url></urlset>')
    before, build = files_under(corpus), live_build(index)
    links = [site.url(path) for path in ("/rss", "/atom", "/feed.json", "/sitemap.xml")]
    result = citebot("add", "--corpus", corpus, "--index", index, *links)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"citebot: error: cannot add {links[0]}: a feed (Content-Type text/xml) is not an article: follow it with "
        "citebot feeds add URL, or add the links of its articles",
        f"citebot: error: cannot add {links[1]}: a feed (Content-Type application/xml) is not an article: follow it "
        "with citebot feeds add URL, or add the links of its articles",
        f"citebot: error: cannot add {links[2]}: a feed (Content-Type application/json) is not an article: follow it "
        "with citebot feeds add URL, or add the links of its articles",
        f"citebot: error: cannot add {links[3]}: not an HTML page, a PDF or a Word document "
        "(Content-Type application/xml)"]
    assert files_under(corpus) - before <= {".citebot-add.lock"} and live_build(index) == build


def test_a_page_the_build_would_skip_is_an_error_and_never_in_the_corpus(site, workspace):
    corpus, index = workspace
    before, build = files_under(corpus), live_build(index)
    huge = site.url("/huge")  # 3 MB: under --max-bytes (5 MB), over the 1 MB the build reads here
    rel = f"127.0.0.1/article-{hashlib.sha256(canonical(huge).encode()).hexdigest()[:6]}.md"
    result = citebot("add", "--corpus", corpus, "--index", index, huge, env={"CITEBOT_MAX_FILE_MB": "1"})
    assert (result.returncode, result.stdout) == (1, "")
    # It said "cannot read back" yet left the 3 MB file in the corpus, and every later build warned about it.
    assert result.stderr == (f"citebot: error: cannot add {huge}: the build would skip {rel}: "
                             "3.0 MB, over the 1 MB limit (set CITEBOT_MAX_FILE_MB)\n")
    assert files_under(corpus) - before == {".citebot-add.lock"}  # the lock that adds share, and no article
    assert not (corpus / "127.0.0.1").exists() and live_build(index) == build


def test_one_bad_link_among_good_ones_fails_the_command_but_keeps_the_good_ones(site, workspace):
    corpus, index = workspace
    result = citebot("add", "--corpus", corpus, "--index", index, site.url("/no-such-story"),
                     site.article_url("ferry"))
    assert result.returncode == 1
    assert result.stderr == f"citebot: error: cannot add {site.url('/no-such-story')}: HTTP 404 Not Found\n"
    assert result.stdout.splitlines()[0].startswith(f"added: {STORIES['ferry'].title}, 2026-11-21 (1 passage) -> ")
    assert result.stdout.splitlines()[1].startswith("indexed 3 articles")


def test_a_file_the_corpus_folder_cannot_take_is_that_articles_error_and_the_others_are_added_and_indexed(
        workspace, tmp_path):
    corpus, index = workspace
    from tests.news_site import article_page

    page = tmp_path / "saved-page.html"  # its canonical address stores it in bmn.example.org/
    page.write_text(article_page(STORIES["orchestra"], "https://bmn.example.org/culture/orchestra"), encoding="utf-8")
    notes = tmp_path / "notes.txt"  # stored in local/, which the service's user may not write (or a full disk)
    notes.write_text("The city council approved a new cycling bridge over the Pirita river on Tuesday.\n",
                     encoding="utf-8")
    (corpus / "local").mkdir()
    (corpus / "local").chmod(0o555)
    env = dict(os.environ, HF_HUB_OFFLINE="1", **FIXTURE_MODEL_ENV)
    try:
        result = subprocess.run([*_unprivileged(), CITEBOT, "add", "--corpus", str(corpus), "--index", str(index),
                                 str(notes), str(page)], env=env, capture_output=True, text=True, timeout=600)
    finally:
        (corpus / "local").chmod(0o755)
    # It was "citebot: error: Permission denied: …/local/.notes-b1b891.md.19424-7d475e93.md" (a full disk: "No space
    # left on device", no name at all), naming neither the article nor the folder; the page after it was never tried,
    # and an article added before it was left out of the index.
    assert result.returncode == 1
    assert re.fullmatch(rf"citebot: error: cannot add {re.escape(str(notes))}: cannot write local/notes-[0-9a-f]{{6}}\.md "
                        rf"in the corpus folder {re.escape(str(corpus))}: Permission denied\n", result.stderr)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"added: {STORIES['orchestra'].title}, 2026-11-22 (1 passage) -> bmn.example.org/")
    assert lines[1].startswith("indexed 3 articles into ")
    assert list((corpus / "local").iterdir()) == []  # nor a hidden temporary file


@pytest.mark.parametrize("name, reason", [
    ("old.doc", "an old Word document (.doc) is not read: save it as .docx"),
    ("Book.EPUB", "an e-book (.epub) is not read: save its chapters as .html or .txt")])
def test_adding_a_file_the_corpus_reader_does_not_read_says_what_to_save_it_as_as_the_build_does(
        workspace, tmp_path, name, reason):
    # `citebot add old.doc` said "only .txt, .md, .html, .mhtml, .pdf and .docx files can be added", while the same
    # file dropped into the corpus folder was skipped with "an old Word document (.doc) is not read: save it as .docx".
    corpus, index = workspace
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0 a draft")
    result = citebot("add", "--corpus", corpus, "--index", index, tmp_path / name)
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", f"citebot: error: cannot add {tmp_path / name}: {reason}\n")


@pytest.mark.parametrize("name, what", [("data.csv", "a table (.csv)"), ("export.json", "a .json file")])
def test_adding_a_table_says_its_jsonl_goes_into_the_corpus_folder_as_add_takes_none(workspace, tmp_path, name, what):
    # `citebot add data.csv` said to put its articles in a .jsonl file, and `citebot add data.jsonl` then said "only
    # .txt, .md, .html, .mhtml, .pdf and .docx files can be added": advice that led nowhere
    corpus, index = workspace
    (tmp_path / name).write_text("title,text\n", encoding="utf-8")
    (tmp_path / "data.jsonl").write_text('{"text": "The NATO summit will be held in Vilnius in July."}\n',
                                         encoding="utf-8")
    table = citebot("add", "--corpus", corpus, "--index", index, tmp_path / name)
    assert (table.returncode, table.stdout, table.stderr) == (1, "", (
        f"citebot: error: cannot add {tmp_path / name}: {what} is not read: put its articles in a .jsonl file, one "
        '{"text": "…"} a line, in the corpus folder (citebot add takes no .jsonl file)\n'))
    rows = citebot("add", "--corpus", corpus, "--index", index, tmp_path / "data.jsonl")
    assert rows.stderr.endswith(": only .txt, .md, .html, .mhtml, .pdf and .docx files can be added\n")
    with pytest.raises(AddError) as refused:
        ArticleAdder(corpus).add_file(tmp_path / name)
    assert explain(refused.value, refused.value.reason, "uk").endswith(
        'у файл .jsonl, по одній {"text": "…"} у рядку, у теці корпусу (citebot add не додає файлів .jsonl)')


def test_local_files_are_copied_in_the_same_way(site, workspace, tmp_path):
    corpus, index = workspace
    from tests.news_site import article_page

    page = tmp_path / "saved-page.html"
    page.write_text(article_page(STORIES["orchestra"], "https://bmn.example.org/culture/orchestra"), encoding="utf-8")
    notes = tmp_path / "Council notes.txt"
    notes.write_text("The city council approved a new cycling bridge over the Pirita river on Tuesday. "
                     "Work on the bridge starts in April and will cost 4.2 million euros.\n", encoding="utf-8")
    slides = tmp_path / "slides.pptx"
    slides.write_bytes(b"PK\x03\x04")
    result = citebot("add", "--corpus", corpus, "--index", index, page, notes, slides)
    assert result.returncode == 1
    assert result.stderr == (f"citebot: error: cannot add {slides}: only .txt, .md, .html, .mhtml, .pdf and .docx "
                             "files can be added\n")
    digest = hashlib.sha256(canonical("https://bmn.example.org/culture/orchestra").encode()).hexdigest()[:6]
    lines = result.stdout.splitlines()
    assert lines[0] == (f"added: {STORIES['orchestra'].title}, 2026-11-22 (1 passage) -> "
                        f"bmn.example.org/2026-11-22-city-orchestra-names-its-new-conductor-{digest}.md")
    assert re.fullmatch(r"added: The city council approved a new cycling bridge over the Pirita river on Tuesday\. "
                        r"\(1 passage\) -> local/council-notes-[0-9a-f]{6}\.md", lines[1])
    assert lines[2].startswith("indexed 4 articles into ")
    again = citebot("add", "--corpus", corpus, "--index", index, notes)
    assert again.returncode == 0 and again.stdout.startswith("already known: The city council approved")


def test_a_local_file_with_a_leading_date_line_is_read_as_the_corpus_reader_reads_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SHIPPED_CORPUS / "004_e0449b7e4a93b6e4.txt", corpus)
    # Its first line is "date 2023-04-20 This audio is created with AI assistance": the date, not content.
    shipped = SHIPPED_CORPUS / "000_021f342df130e0f3.txt"
    [dropped_in] = read_file(SHIPPED_CORPUS, shipped, [])
    body = dropped_in.text[dropped_in.body_start:].strip()
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", shipped)
    assert result.returncode == 0, result.stderr
    # It was "added: date 2023-04-20 This audio is created with AI assistance (5 passages) -> local/000-...md".
    rel = f"local/2023-04-20-000-021f342df130e0f3-{hashlib.sha256(body.encode()).hexdigest()[:6]}.md"
    assert result.stdout.splitlines()[0] == (
        f"added: NATO member states are preparing to discuss Ukraine's membership and security…, 2023-04-20 "
        f"(5 passages) -> {rel}")
    [stored] = read_file(corpus, corpus / rel, [])
    assert (stored.title, stored.date, stored.text[stored.body_start:].strip()) == (
        dropped_in.title, dropped_in.date, body)


def test_an_obsidian_note_added_is_dated_by_its_created_field_as_the_corpus_reader_dates_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SHIPPED_CORPUS / "004_e0449b7e4a93b6e4.txt", corpus)
    note = tmp_path / "visit.md"
    note.write_text("---\ncreated: 2026-10-14\ntags:\n  - harbour\n---\n# Ferry terminal visit\n"
                    "The council visited the new ferry terminal on Tuesday. It opens in March.\n", encoding="utf-8")
    [dropped_in] = read_file(tmp_path, note, [])
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", note)
    assert result.returncode == 0, result.stderr
    # It was "added: Ferry terminal visit (1 passage)", stored undated, though the note dropped in is dated 2026-10-14.
    assert result.stdout.splitlines()[0] == "added: Ferry terminal visit, 2026-10-14 (1 passage) -> local/2026-10-14-visit-" \
        + hashlib.sha256(dropped_in.text[dropped_in.body_start:].strip().encode()).hexdigest()[:6] + ".md"
    [stored] = read_file(corpus, next((corpus / "local").iterdir()), [])
    assert (dropped_in.date, stored.title, stored.date) == ("2026-10-14", "Ferry terminal visit", "2026-10-14")


def test_a_note_whose_front_matter_keys_are_capitalised_is_added_with_its_title_as_the_corpus_reader_titles_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SHIPPED_CORPUS / "004_e0449b7e4a93b6e4.txt", corpus)
    note = tmp_path / "bridge.md"
    note.write_text("---\nTitle: Bridge repairs\nDate: 2023/04/21\nAuthor: Olena Kovalenko\n---\n"
                    "The bridge over the Dnipro will close for repairs in June.\n", encoding="utf-8")
    [dropped_in] = read_file(tmp_path, note, [])
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", note)
    assert result.returncode == 0, result.stderr
    # It was "added: The bridge over the Dnipro will close for repairs in June., 2023-04-21", its Title: and Author: lost
    assert result.stdout.splitlines()[0] == "added: Bridge repairs, 2023-04-21 (1 passage) -> local/2023-04-21-bridge-repairs-" \
        + hashlib.sha256(dropped_in.text[dropped_in.body_start:].strip().encode()).hexdigest()[:6] + ".md"
    stored = next((corpus / "local").iterdir())
    assert frontmatter.parse(stored.read_text(encoding="utf-8"))[0] == {
        "title": "Bridge repairs", "date": "2023-04-21", "author": "Olena Kovalenko", "file": "bridge.md",
        "added": frontmatter.parse(stored.read_text(encoding="utf-8"))[0]["added"]}
    assert (dropped_in.title, dropped_in.date) == ("Bridge repairs", "2023-04-21")


def test_a_notion_page_is_added_dated_by_its_created_property_as_the_corpus_reader_dates_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = tmp_path / "Harbour budget 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md"
    # as Notion exports it on Windows: a byte-order mark, CRLF line endings
    page.write_bytes("\ufeff# Harbour budget\r\n\r\nCreated: April 20, 2023 10:00 AM\r\nTags: council, port\r\n\r\n"
                     "The harbour budget rose to 4 million euros.\r\n".encode("utf-8"))
    [dropped_in] = read_file(tmp_path, page, [])
    added = ArticleAdder(corpus).add_file(page)
    # It was "added: Harbour budget (1 passage)", stored undated, though the page dropped in is dated 2023-04-20
    assert (added.title, added.date, added.rel.split("/")[0]) == ("Harbour budget", "2023-04-20", "local")
    [stored] = read_file(corpus, corpus / added.rel, [])
    assert (dropped_in.title, dropped_in.date) == (stored.title, stored.date) == ("Harbour budget", "2023-04-20")
    assert "Tags: council, port" in stored.text[stored.body_start:]


def test_a_front_matter_date_that_is_not_a_date_is_dropped_and_nothing_is_written_outside_the_corpus(workspace, tmp_path):
    corpus, index = workspace
    evil = tmp_path / "in" / "evil.md"
    evil.parent.mkdir()
    evil.write_text('---\ntitle: "Evil"\ndate: "../../../outside/pwned"\n---\n\n'
                    "The harbour authority in Tallinn said the new ferry terminal opens next spring.\n",
                    encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", index, evil)
    assert result.returncode == 0, result.stderr
    # It was written to corpus/local/../../../outside/pwned-evil-<hash>.md, creating the folders.
    assert re.fullmatch(r"added: Evil \(1 passage\) -> local/evil-[0-9a-f]{6}\.md", result.stdout.splitlines()[0])
    assert not (tmp_path / "outside").exists() and not (corpus.parent.parent / "outside").exists()
    rel = result.stdout.splitlines()[0].rsplit(" -> ", 1)[1]
    assert "date" not in frontmatter.parse((corpus / rel).read_text(encoding="utf-8"))[0]

    # A chat attachment takes the same path (add_bytes): a date with a traversal after it is no date either.
    adder = ArticleAdder(corpus)
    added = adder.add_bytes(b'---\ndate: "2026-11-20/../../../../x"\n---\n\nThe council met on Friday to vote '
                            b"on the budget for the new bridge over the Pirita river.\n", "minutes.md")
    assert re.fullmatch(r"local/minutes-[0-9a-f]{6}\.md", added.rel) and added.date is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "w"]


def test_a_corpus_folder_that_links_outside_the_corpus_is_refused_as_a_target(tmp_path):
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    corpus.mkdir()
    elsewhere.mkdir()
    (corpus / "local").symlink_to(elsewhere)  # the corpus reader does not enter a linked folder either
    with pytest.raises(AddError, match=r"^cannot add note\.txt: local/note-[0-9a-f]{6}\.md would be outside "
                                       r"the corpus folder$"):
        ArticleAdder(corpus).add_bytes(b"The ferry to Helsinki leaves at nine every morning.", "note.txt")
    assert list(elsewhere.iterdir()) == []


def test_a_link_left_as_the_add_lock_file_is_refused_and_its_target_neither_emptied_nor_created(workspace, tmp_path):
    corpus, index = workspace
    note = tmp_path / "note.txt"
    note.write_text("The ferry to Helsinki leaves at nine every morning from the western harbour.\n", encoding="utf-8")
    precious, nowhere = tmp_path / "authorized_keys", tmp_path / "nologin"
    precious.write_text("ssh-ed25519 AAAA... admin\n", encoding="utf-8")
    before, build = files_under(corpus), live_build(index)
    for target in (precious, nowhere):  # whoever may drop files into the corpus folder left the link
        (corpus / ".citebot-add.lock").unlink(missing_ok=True)
        (corpus / ".citebot-add.lock").symlink_to(target)
        result = citebot("add", "--corpus", corpus, "--index", index, note)
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == (f"citebot: error: cannot add {note}: .citebot-add.lock in the corpus folder is a "
                                 "link, not citebot's lock file: remove it\n")
    # Opened with "w", the link's target was emptied, or created where it pointed, and the note added.
    assert precious.read_text(encoding="utf-8") == "ssh-ed25519 AAAA... admin\n" and not nowhere.exists()
    assert files_under(corpus) == before and live_build(index) == build


def test_a_canonical_link_to_a_host_with_a_leading_dot_is_stored_where_the_reader_reads(workspace, tmp_path):
    corpus, index = workspace
    from tests.news_site import article_page

    story = STORIES["orchestra"]
    page = tmp_path / "page.html"
    page.write_text(article_page(story, "http://.hidden.example/culture/orchestra"), encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", index, page)
    assert result.returncode == 0, result.stderr
    # It went to corpus/.hidden.example/, a hidden folder: never indexed, and "added" again each time.
    digest = hashlib.sha256(canonical("http://.hidden.example/culture/orchestra").encode()).hexdigest()[:6]
    rel = f"hidden.example/2026-11-22-city-orchestra-names-its-new-conductor-{digest}.md"
    assert result.stdout.splitlines()[0] == f"added: {story.title}, 2026-11-22 (1 passage) -> {rel}"
    assert result.stdout.splitlines()[1].startswith("indexed 3 articles into ")
    again = citebot("add", "--corpus", corpus, "--index", index, page)
    assert again.returncode == 0 and again.stdout == f"already known: {story.title}, 2026-11-22 ({rel})\n"
    assert not any(p.name.startswith(".") and p.is_dir() for p in corpus.iterdir())


def test_a_stored_story_is_known_by_its_sites_mobile_address_and_by_any_spelling_of_its_escaped_letters(tmp_path):
    from tests.news_site import article_page

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = tmp_path / "page.html"  # a saved page naming its address with upper-case escapes ("café")
    page.write_text(article_page(STORIES["orchestra"], "https://www.bmn.example.org/caf%C3%A9/orchestra"),
                    encoding="utf-8")
    adder = ArticleAdder(corpus)
    adder.add_file(page)
    # A feed's link to the mobile site, or with its escapes written small, was another story: fetched and stored twice.
    assert [adder.stored(url) for url in (
        "https://m.bmn.example.org/caf%c3%a9/orchestra", "https://bmn.example.org/café/orchestra/",
        "https://bmn.example.org/caf%C3%A9/orchestra?utm_source=rss", "https://m.bmn.example.org/cafe/orchestra",
        "https://bmn.example.org/caf%C3%A9%2Forchestra")] == [True, True, True, False, False]
    assert canonical("https://m.com/x") == "https://m.com/x"  # a site named "m", not a mobile copy


def test_a_site_naming_its_front_page_as_every_articles_canonical_link_has_each_article_added(tmp_path):
    from index.fetch import Fetcher
    from tests.news_site import article_page
    from tests.test_fetch import Served, send

    def page(slug):
        return lambda handler: send(handler, 200, article_page(STORIES[slug], site.url("/")).encode())

    (tmp_path / "corpus").mkdir()
    adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
    with Served({"/world/tunnel": page("tunnel"), "/world/ferry": page("ferry")}) as site:
        tunnel, ferry = adder.add(site.url("/world/tunnel")), adder.add(site.url("/world/ferry"))
        again = adder.add(site.url("/world/tunnel"))
    assert (tunnel.is_new, ferry.is_new, tunnel.title, ferry.title) == (True, True, STORIES["tunnel"].title,
                                                                         STORIES["ferry"].title)
    assert again.duplicate_of == tunnel.rel
    [meta] = [frontmatter.parse((tmp_path / "corpus" / ferry.rel).read_text(encoding="utf-8"))[0]]
    assert meta["url"] == site.url("/world/ferry")


def test_adding_reads_the_corpus_as_the_build_does_a_fifo_a_device_and_a_file_over_the_limit_unread(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seed.txt").write_text("The Vilnius summit opened on Tuesday.", encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")  # reading it blocked `citebot add` for ever
    (corpus / "zero.txt").symlink_to("/dev/zero")  # read until memory ran out
    note = "The harbour authority in Tallinn said the new ferry terminal opens next spring, on time.\n"
    # Over the limit, which the build skips: 153 MB of it took 55 s and 2.7 GB to add a one-line note.
    # The same words: read, it made the note "already known" as a copy of a file that is not indexed.
    (corpus / "big.txt").write_text(note + "\n" * 1000, encoding="utf-8")
    (tmp_path / "note.txt").write_text(note, encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", tmp_path / "note.txt",
                     env={"CITEBOT_MAX_FILE_MB": "0.001"}, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"added: The harbour authority in Tallinn said .*\(1 passage\) -> local/note-[0-9a-f]{6}\.md",
                        lines[0])
    assert lines[1].startswith("indexed 2 articles into 2 passages") and len(lines) == 2
    assert sorted(line.split(": ")[2] for line in result.stderr.splitlines()) == [
        "skipping big.txt", "skipping pipe.txt", "skipping zero.txt"]


def test_a_local_file_that_is_not_a_regular_file_is_refused_unread(workspace, tmp_path):
    corpus, index = workspace
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # raised MemoryError
    before = files_under(corpus)
    for name in ("pipe.txt", "zero.txt"):
        result = citebot("add", "--corpus", corpus, "--index", index, tmp_path / name, timeout=120)
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == f"citebot: error: cannot add {tmp_path / name}: not a regular file\n"
    assert files_under(corpus) == before


def test_a_front_matter_escaping_a_lone_surrogate_is_refused_in_one_line(workspace, tmp_path):
    corpus, index = workspace
    note = tmp_path / "note.md"
    note.write_text('---\ntitle: "bad \\ud800 title"\n---\n\nThe summit in Vilnius opened on Tuesday.\n',
                    encoding="utf-8")
    before = files_under(corpus)
    result = citebot("add", "--corpus", corpus, "--index", index, note)  # was a UnicodeEncodeError traceback
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"citebot: error: cannot add {note}: its front matter escapes a lone surrogate, "
                             "not UTF-8 text\n")
    assert files_under(corpus) == before


def test_an_article_title_with_control_characters_is_shown_with_them_as_replacement_characters(workspace, tmp_path):
    corpus, index = workspace
    note = tmp_path / "note.md"
    note.write_text('---\ntitle: "Summit \\u001b[2J\\u001b]0;pwned\\u0007 news"\n---\n\n'
                    "The summit in Vilnius opened on Tuesday with a speech by the host.\n", encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", index, note)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"added: Summit \ufffd\[2J\ufffd\]0;pwned\ufffd news \(1 passage\) -> "
                        r"local/summit-2j-0-pwned-news-[0-9a-f]{6}\.md", result.stdout.splitlines()[0])
    again = citebot("add", "--corpus", corpus, "--index", index, note)
    assert again.stdout.startswith("already known: Summit \ufffd[2J\ufffd]0;pwned\ufffd news (local/summit-2j-")
    [stored] = (corpus / "local").glob("summit-*.md")  # the title is kept as the page gave it
    assert read_file(corpus, stored, [])[0].title == "Summit \x1b[2J\x1b]0;pwned\x07 news"


def test_a_direction_override_in_an_article_title_is_shown_as_a_replacement_character_not_obeyed(workspace, tmp_path):
    corpus, index = workspace
    note = tmp_path / "note.md"  # U+202E shows "gro.knab-laer" as "real-bank.org", and the file name after it reversed
    note.write_text('---\ntitle: "Summit \\u202egro.knab-laer"\n---\n\n'
                    "The summit in Vilnius opened on Tuesday with a speech by the host.\n", encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", index, note)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"added: Summit \ufffdgro\.knab-laer \(1 passage\) -> local/summit-gro-knab-laer-[0-9a-f]{6}\.md",
                        result.stdout.splitlines()[0])
    [stored] = (corpus / "local").glob("summit-*.md")
    assert read_file(corpus, stored, [])[0].title == "Summit \u202egro.knab-laer"


def test_a_text_file_saved_as_utf16_by_windows_notepad_is_added_with_its_text_unchanged(workspace, tmp_path):
    corpus, index = workspace
    note = tmp_path / "note.txt"
    body = "The summit in Vilnius opened on Tuesday with a speech by the host.\r\nIt lasts two days."
    note.write_bytes(body.encode("utf-16"))
    result = citebot("add", "--corpus", corpus, "--index", index, note)  # was "a binary file, not text"
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added: The summit in Vilnius opened on Tuesday with a speech by the host. ")
    [stored] = (corpus / "local").glob("note-*.md")
    article = read_file(corpus, stored, [])[0]
    assert article.text[article.body_start:] == body + "\n"


def test_a_page_saved_in_the_charset_its_meta_or_byte_order_mark_names_is_added_as_a_fetched_one_is_read(
        workspace, tmp_path):
    from tests.news_site import Story, article_page

    corpus, index = workspace
    budget = Story("budget", "Городской совет утвердил бюджет", "2026-11-05", "Иван Петров",
                   ("Городской совет Таллина утвердил новый бюджет на 2027 год, сообщил представитель совета в пятницу.",
                    "Больше всего средств получат школы и общественный транспорт, а также ремонт мостов через реку.",
                    "Оппозиция голосовала против и назвала расходы на новый стадион слишком большими для города."))
    saved = tmp_path / "budget.html"  # as a browser saves it: the page's own bytes, windows-1251 as its <meta> says
    saved.write_bytes(article_page(budget, "https://news.example.ru/budget")
                      .replace('<meta charset="utf-8">', '<meta charset="windows-1251">').encode("cp1251"))
    ferry = tmp_path / "ferry.html"  # UTF-16, as its byte-order mark says
    ferry.write_bytes(article_page(STORIES["ferry"], "https://bmn.example.org/world/ferry").encode("utf-16"))
    result = citebot("add", "--corpus", corpus, "--index", index, saved, ferry)
    assert result.returncode == 0, result.stderr  # were "not UTF-8 text" and "a binary file, not text"
    digests = [hashlib.sha256(canonical(url).encode()).hexdigest()[:6]
               for url in ("https://news.example.ru/budget", "https://bmn.example.org/world/ferry")]
    stored = [f"news.example.ru/2026-11-05-gorodskoy-sovet-utverdil-byudzhet-{digests[0]}.md",
              f"bmn.example.org/2026-11-21-electric-ferry-crosses-the-gulf-of-finland-{digests[1]}.md"]
    assert result.stdout.splitlines()[:2] == [f"added: {budget.title}, 2026-11-05 (1 passage) -> {stored[0]}",
                                              f"added: {STORIES['ferry'].title}, 2026-11-21 (1 passage) -> {stored[1]}"]
    assert budget.paragraphs[0] in (corpus / stored[0]).read_text(encoding="utf-8")
    assert STORIES["ferry"].paragraphs[0] in (corpus / stored[1]).read_text(encoding="utf-8")


def test_an_address_without_its_scheme_is_no_file_and_the_error_says_to_give_the_whole_address(workspace):
    corpus, index = workspace
    result = citebot("add", "--corpus", corpus, "--index", index, "example.org/world/story", "www.example.org",
                     "notes.txt")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "citebot: error: cannot add example.org/world/story: no such file; to add the web page, give its whole "
        "address: https://example.org/world/story\n"
        "citebot: error: cannot add www.example.org: no such file; to add the web page, give its whole address: "
        "https://www.example.org\n"
        "citebot: error: cannot add notes.txt: No such file or directory\n")


def test_an_address_without_its_scheme_ending_in_html_or_pdf_is_no_file_either_unless_its_folder_is_here(workspace):
    # A story's address copied without https:// often ends in .html (or .pdf): it was "No such file or directory",
    # which says nothing of the page the reader meant.
    corpus, index = workspace
    (index.parent / "backup.old").mkdir()
    result = citebot("add", "--corpus", corpus, "--index", index, "www.example.org/world/2026/story.html",
                     "example.org/reports/annual.pdf", "backup.old/notes.txt", "drafts/notes.md", cwd=index.parent)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "citebot: error: cannot add www.example.org/world/2026/story.html: no such file; to add the web page, give "
        "its whole address: https://www.example.org/world/2026/story.html\n"
        "citebot: error: cannot add example.org/reports/annual.pdf: no such file; to add the web page, give its "
        "whole address: https://example.org/reports/annual.pdf\n"
        "citebot: error: cannot add backup.old/notes.txt: No such file or directory\n"
        "citebot: error: cannot add drafts/notes.md: No such file or directory\n")


# ---- news gets corrected: a link or a file added again ----------------------------------------------------
def test_a_link_added_again_after_its_story_was_corrected_is_updated_in_place_and_answered_from_the_correction(
        site, workspace):
    corpus, index = workspace
    story, link = STORIES["tunnel"], site.article_url("tunnel")
    rel = stored_name(site, "tunnel", story.title, story.date)
    assert citebot("add", "--corpus", corpus, "--index", index, link).returncode == 0
    added = frontmatter.parse((corpus / rel).read_text(encoding="utf-8"))[0]["added"]
    site.correct("tunnel", "14 March 2027", "21 March 2027")  # one word of 80: under the near-duplicate rule's 10%
    result = citebot("add", "--corpus", corpus, "--index", index, link)
    # It was "already known: …", the page not even fetched: the wrong date stayed in the corpus, and was cited.
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == f"updated: {story.title}, {story.date} ({rel})"
    assert re.fullmatch(r"indexed 3 articles into \d+ passages in [\d.]+ s \(1 passage embedded\)", lines[1])
    assert len(lines) == 2
    assert sorted(p for p in files_under(corpus) if p.startswith("127.0.0.1/")) == [rel]  # over it, under its name
    text = (corpus / rel).read_text(encoding="utf-8")
    meta, body_start = frontmatter.parse(text)
    assert "will open to traffic on 21 March 2027" in text[body_start:] and "14 March" not in text
    assert (meta["url"], meta["fetched"], meta["added"]) == (site.url("/world/tunnel"), link, added)
    assert meta["updated"] >= added
    asked = json.loads(citebot("ask", "--json", "--corpus", corpus, "--index", index,
                               "When will the harbour tunnel under Tallinn Bay open to traffic?").stdout)
    assert "21 March 2027" in asked["answer"] and asked["sources"][0]["doc"] == rel
    again = citebot("add", "--corpus", corpus, "--index", index, link)
    assert (again.returncode, again.stdout) == (0, f"already known: {story.title}, {story.date} ({rel})\n")


def test_a_link_added_again_is_asked_for_with_the_etag_its_copy_was_stored_with_so_an_unchanged_page_costs_a_304(
        tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story, path = STORIES["ferry"], "/world/2026/ferry.html"
    with NewsSite(validators=True) as site:
        adder = ArticleAdder(corpus)
        first = adder.add(site.url(path))
        meta = frontmatter.parse((corpus / first.rel).read_text(encoding="utf-8"))[0]
        validators = (meta["etag"], meta["last_modified"])
        assert adder.add(site.url(path)) == Added(first.rel, story.title, story.date, 1, duplicate_of=first.rel)
        site.correct("ferry", "320 passengers", "302 passengers")
        assert adder.add(site.url(path)) == Added(first.rel, story.title, story.date, 1, updated=True)
        assert [r for r in site.requests if r[0] == path] == [(path, None, None, 200), (path, *validators, 304),
                                                               (path, *validators, 200)]
    meta = frontmatter.parse((corpus / first.rel).read_text(encoding="utf-8"))[0]
    assert meta["etag"] != validators[0] and meta["last_modified"] != validators[1]  # the corrected page's, kept
    assert "302 passengers" in (corpus / first.rel).read_text(encoding="utf-8")


def test_a_link_whose_page_is_gone_or_holds_no_article_now_keeps_its_stored_copy_and_says_so(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    adder = ArticleAdder(corpus)
    stored = {slug: adder.add(site.article_url(slug)).rel for slug in ("tunnel", "ferry", "orchestra")}
    before = {rel: (corpus / rel).read_bytes() for rel in stored.values()}
    site.retract("tunnel", 410)  # a retracted story
    site.retract("ferry", 404)
    site.walled.add("orchestra")  # a cookie wall where the story was: no article text
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index",
                     *(site.article_url(slug) for slug in stored))
    # Deleting a retracted story is a person's decision: the copy stays, and the error says so and how.
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"citebot: error: cannot add {site.article_url('tunnel')}: HTTP 410 Gone; the copy in the corpus, "
        f"{stored['tunnel']}, is kept (if the story was retracted, take it out: citebot remove {stored['tunnel']})",
        f"citebot: error: cannot add {site.article_url('ferry')}: HTTP 404 Not Found; the copy in the corpus, "
        f"{stored['ferry']}, is kept (if the story was retracted, take it out: citebot remove {stored['ferry']})",
        f"citebot: error: cannot add {site.article_url('orchestra')}: no article text found on the page; the copy in "
        f"the corpus, {stored['orchestra']}, is kept"]
    assert {rel: (corpus / rel).read_bytes() for rel in stored.values()} == before


@pytest.mark.parametrize("sorry", ["long", "short"])
def test_a_stored_link_whose_page_now_says_it_is_not_found_keeps_its_copy_and_names_citebot_remove(
        site, tmp_path, sorry):
    # A removed story's address answering 200 OK with a "Page not found" page was told "…; the copy in the corpus, ID, is
    # kept", where a 404 is told how to take a retracted story out; one of a line ("Sorry, this page does not exist.")
    # was told "no article text found on the page", not what the page says.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    adder = ArticleAdder(corpus, Fetcher(timeout=10))
    path = "/world/2026/12/01/ferry.html"
    site.files[path] = ("text/html; charset=utf-8", article_page(STORIES["ferry"], site.url(path)).encode())
    rel = adder.add(site.url(path)).rel
    before = (corpus / rel).read_bytes()
    site.files[path] = ("text/html; charset=utf-8", article_page(
        Story("gone", "Page not found | Baltic Morning News", "2026-12-01", "",
              (SORRY,) if sorry == "long" else ("Sorry, this page does not exist.",)), "").encode())
    with pytest.raises(AddError) as kept:
        adder.add(site.url(path))
    assert str(kept.value) == (
        f"cannot add {site.url(path)}: the page says “Page not found | Baltic Morning News”: no story on it (removed, "
        f"or moved to another address?); the copy in the corpus, {rel}, is kept (if the story was retracted, take it "
        f"out: citebot remove {rel})")
    assert (corpus / rel).read_bytes() == before


def test_a_stored_link_given_again_at_an_address_that_is_gone_names_the_address_it_was_stored_from(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    stored = ArticleAdder(corpus).add(site.article_url("tunnel")).rel
    before = (corpus / stored).read_bytes()
    given = site.article_url("tunnel") + "/"  # the same link to the corpus, a 404 to the site
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", given)
    # It was told "if the story was retracted, take it out: citebot remove …": the story is there, at its own address.
    assert (result.returncode, result.stdout, result.stderr) == (1, "", (
        f"citebot: error: cannot add {given}: HTTP 404 Not Found; the copy in the corpus, {stored}, is kept: it was "
        f"stored from {site.article_url('tunnel')}, another address (to fetch it again: citebot add "
        f"{site.article_url('tunnel')})\n"))
    assert (corpus / stored).read_bytes() == before
    with pytest.raises(AddError) as refused:
        ArticleAdder(corpus).add_url(given, refresh=True)
    assert explain(refused.value, refused.value.reason, "uk") == (
        f"сервер відповів HTTP 404 Not Found; копію в корпусі, {stored}, залишено: її отримано з "
        f"{site.article_url('tunnel')}, іншої адреси (щоб завантажити її знову: /add {site.article_url('tunnel')})")


BUDGET = Story(
    "budget", "Tallinn council passes a budget of 1.2 billion euros", "2026-11-23", "Kadri Lepp",
    ("The Tallinn city council passed next year's budget of 1.2 billion euros on Thursday, by 45 votes to 34, "
     "after a debate that lasted into the night.",
     "The largest share, 310 million euros, goes to schools and kindergartens, among them two new schools in "
     "Lasnamäe that are to open in September.",
     "Public transport receives 190 million euros, which keeps travel free for residents and pays for twenty new "
     "electric buses on the airport lines.",
     "The opposition said the plan leaves too little for repairing streets, and proposed cutting the city's "
     "spending on events and festivals instead.",
     "The deputy mayor for finance, Jaan Org, answered that the city borrows less than last year and that its "
     "debt stays under a third of its income.",
     "Property tax on land rises by a tenth from January, the first rise in six years, bringing in an estimated "
     "14 million euros more.",
     "A proposal to close two of the city's libraries on Sundays was dropped after a petition signed by 12,000 "
     "residents.",
     "The budget takes effect on 1 January once the mayor signs it, which she said she would do on Monday."))
PAYWALL = "This article is for subscribers. Subscribe for one euro a month, or sign in if you have an account."
# What a site shows where a story was taken down for review: none of its words.
NOTICE = dataclasses.replace(BUDGET, title="Article unavailable", paragraphs=(
    "This article is being reviewed by our editors and is not available at the moment. We apologise to our readers "
    "and will publish it again once the review is complete. Questions about it can be sent to the editor in chief at "
    "the address below.",))


def test_a_page_that_now_shows_only_a_teaser_keeps_the_stored_story_and_says_how_much_of_it_it_shows(
        site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    adder = ArticleAdder(corpus)
    site.print_story(BUDGET)
    link, first = site.article_url("budget"), BUDGET.paragraphs
    rel = adder.add(link).rel
    before = (corpus / rel).read_bytes()
    # A paywall went up: the page shows the story's first paragraph, then an offer. It replaced the story, whose
    # other seven paragraphs were no longer in the corpus nor cited.
    site.print_story(dataclasses.replace(BUDGET, paragraphs=(first[0], PAYWALL)))
    with pytest.raises(AddError) as kept:
        adder.add(link)
    assert str(kept.value) == (
        f"cannot add {link}: the page now shows only the first 39 of the story's 202 words (a paywall or a sign-in "
        f"wall?); the copy in the corpus, {rel}, is kept (to store the page as it is now, take it out with "
        f"citebot remove {rel} and add the link again)")
    # (its heading and first paragraph; words as the near-duplicate rule counts them: "1.2" is two). An editor's cut to
    # the first paragraphs looks the same, and is kept the same way (deleting it is the way out, which the line says).
    site.print_story(dataclasses.replace(BUDGET, paragraphs=first[:3]))
    with pytest.raises(AddError) as cut:
        adder.add(link)
    assert str(cut.value).startswith(f"cannot add {link}: the page now shows only the first 86 of the story's 202 "
                                     f"words")
    # A notice where the story was, none of its words: not its new version either.
    site.print_story(NOTICE)
    with pytest.raises(AddError) as notice:
        adder.add(link)
    assert str(notice.value) == (
        f"cannot add {link}: the page now shows none of the story's 202 words, but 47 others (a notice, a consent "
        f"wall?); the copy in the corpus, {rel}, is kept (to store the page as it is now, take it out with "
        f"citebot remove {rel} and add the link again)")
    assert (corpus / rel).read_bytes() == before and files_under(corpus) == {rel, ".citebot-add.lock"}


def test_a_correction_of_one_sentence_or_one_cutting_paragraphs_out_of_the_story_replaces_it(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    adder = ArticleAdder(corpus)
    site.print_story(BUDGET)
    link, first = site.article_url("budget"), BUDGET.paragraphs
    rel = adder.add(link).rel
    corrected = (first[0].replace("45 votes to 34", "44 votes to 35"), *first[1:])
    site.print_story(dataclasses.replace(BUDGET, paragraphs=corrected))
    assert adder.add(link) == Added(rel, BUDGET.title, BUDGET.date, 2, updated=True)
    assert "by 44 votes to 35" in (corpus / rel).read_text(encoding="utf-8")
    # Five paragraphs of eight cut from the middle (a claim withdrawn): a quarter of the story is left, and it is the
    # story's new version, though far shorter: what it keeps after its opening is the story's too.
    site.print_story(dataclasses.replace(BUDGET, paragraphs=(corrected[0], corrected[1], corrected[7])))
    assert adder.add(link) == Added(rel, BUDGET.title, BUDGET.date, 1, updated=True)
    body = (corpus / rel).read_text(encoding="utf-8")
    assert "Public transport" not in body and body.endswith(corrected[7] + "\n")


def test_a_link_that_now_redirects_to_another_page_keeps_its_stored_copy_and_says_where_it_leads(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    adder = ArticleAdder(corpus)
    link = site.article_url("tunnel")
    rel = adder.add(link).rel
    before = (corpus / rel).read_bytes()
    site.moved["tunnel"] = "/world/2026/ferry.html"  # as sites send a removed story's readers elsewhere
    with pytest.raises(AddError) as refused:
        adder.add(link)
    # The ferry story was written over the tunnel story, under its id.
    assert str(refused.value) == (f"cannot add {link}: it now leads to {site.article_url('ferry')}, another page; the "
                                  f"copy in the corpus, {rel}, is kept")
    assert (corpus / rel).read_bytes() == before and files_under(corpus) == {rel, ".citebot-add.lock"}


def test_a_link_that_now_redirects_to_an_amp_copy_of_its_story_is_compared_by_the_storys_own_page(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    adder = ArticleAdder(corpus)
    link, story = site.article_url("tunnel"), STORIES["tunnel"]
    rel = adder.add(link).rel
    site.moved["tunnel"] = "/amp/tunnel"  # a mobile redirect: its AMP copy, a short version naming the same canonical page
    site.correct("tunnel", "14 March 2027", "21 March 2027")
    # The AMP copy's two paragraphs and "Read the full story" were written over the story, and the correction lost.
    assert adder.add(link) == Added(rel, story.title, story.date, 1, updated=True)
    text = (corpus / rel).read_text(encoding="utf-8")
    meta, body_start = frontmatter.parse(text)
    assert "will open to traffic on 21 March 2027" in text and "Read the full story" not in text
    assert all(p.replace("14 March", "21 March") in text[body_start:] for p in story.paragraphs)
    assert (meta["url"], meta["fetched"]) == (site.url("/world/tunnel"), link)  # still known by the link given
    assert adder.add(link) == Added(rel, story.title, story.date, 1, duplicate_of=rel)
    assert [r[0] for r in site.requests[-3:]] == ["/world/2026/tunnel.html", "/amp/tunnel", "/world/tunnel"]
    site.gone["tunnel-own"] = 404  # the story's own page gone: its AMP copy is no version of it to store
    with pytest.raises(AddError) as kept:
        adder.add(link)
    assert str(kept.value) == (
        f"cannot add {link}: it now leads to {site.url('/amp/tunnel')}, a copy of the story, whose own page "
        f"{site.url('/world/tunnel')} cannot be read: HTTP 404 Not Found; the copy in the corpus, {rel}, is kept")
    assert files_under(corpus) == {rel, ".citebot-add.lock"}


def test_an_amp_page_added_first_or_reached_by_a_mobile_redirect_stores_the_story_from_its_own_page(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    adder = ArticleAdder(corpus)
    story = STORIES["tunnel"]
    site.moved["tunnel"] = "/amp/tunnel"
    # Its short AMP version ("Read the full story … on our website" for two of its four paragraphs) was stored.
    for link in (site.url("/amp/tunnel"), site.article_url("tunnel")):
        added = adder.add(link)
        text = (corpus / added.rel).read_text(encoding="utf-8")
        meta, body_start = frontmatter.parse(text)
        assert all(p in text[body_start:] for p in story.paragraphs) and "Read the full story" not in text
        assert (meta["url"], meta["fetched"]) == (site.url("/world/tunnel"), link)
        assert adder.add(link) == Added(added.rel, story.title, story.date, 1, duplicate_of=added.rel)
        (corpus / added.rel).unlink()
    site.gone["tunnel-own"] = 404  # its own page cannot be read: the AMP copy is the story as far as can be told
    added = adder.add(site.url("/amp/tunnel"))
    assert "Read the full story" in (corpus / added.rel).read_text(encoding="utf-8")


def test_an_amp_page_naming_its_story_by_a_relative_canonical_link_is_one_article_with_the_storys_own_page(tmp_path):
    from tests.test_fetch import Served, send

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = STORIES["tunnel"]
    short = dataclasses.replace(story, paragraphs=story.paragraphs[:2] + (
        "Read the full story, with maps of the route and a timeline of the works, on our website.",))

    def page(shown, amp=False):  # the canonical link as many sites write it: a path on their own host
        html = article_page(shown, "/world/tunnel")
        return lambda handler: send(handler, 200, (html.replace("<html ", "<html amp ", 1) if amp else html).encode())

    with Served({"/world/tunnel/amp/": page(short, amp=True), "/world/tunnel": page(story),
                 "/world/tunnel?utm_source=twitter": page(story)}) as site:
        adder = ArticleAdder(corpus)
        # The relative link was not read: the AMP copy's two paragraphs were stored under the AMP address, and the
        # story's own page, a second article, answered beside it ("Also reported by" the story itself).
        first = adder.add(site.url("/world/tunnel/amp/"))
        again = adder.add(site.url("/world/tunnel?utm_source=twitter"))
    assert first == Added(first.rel, story.title, story.date, 1)
    assert again == Added(first.rel, story.title, story.date, 1, duplicate_of=first.rel)
    assert files_under(corpus) == {first.rel, ".citebot-add.lock"}
    text = (corpus / first.rel).read_text(encoding="utf-8")
    meta, body_start = frontmatter.parse(text)
    assert (meta["url"], meta["fetched"]) == (site.url("/world/tunnel"), site.url("/world/tunnel/amp/"))
    assert all(p in text[body_start:] for p in story.paragraphs) and "Read the full story" not in text


def test_a_relative_canonical_link_is_read_against_the_pages_base_address_as_a_browser_reads_it(tmp_path):
    from tests.test_fetch import Served, send

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = STORIES["tunnel"]

    def page(amp=False):  # an app's page: every relative link, the canonical one too, is read against <base href="/">
        html = article_page(story, "world/tunnel").replace("<head>", '<head>\n  <base href="/">', 1)
        return lambda handler: send(handler, 200, (html.replace("<html ", "<html amp ", 1) if amp else html).encode())

    with Served({"/amp/world/tunnel": page(amp=True), "/world/tunnel": page()}) as site:
        # Read against the AMP page's own address, the link was /amp/world/world/tunnel, a page that is not there: the
        # copy was stored, and cited, under that dead address.
        added = ArticleAdder(corpus).add(site.url("/amp/world/tunnel"))
    meta, _ = frontmatter.parse((corpus / added.rel).read_text(encoding="utf-8"))
    assert (meta["url"], meta["fetched"]) == (site.url("/world/tunnel"), site.url("/amp/world/tunnel"))


def test_stories_whose_pages_name_their_section_as_base_address_and_no_canonical_link_are_stories_of_their_own(
        tmp_path):
    from tests.test_fetch import Served, send

    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def page(slug, section):  # no canonical link; the section's address is what the page's relative links are read by
        html = re.sub(r'\s*<link rel="canonical"[^>]*>', "", article_page(STORIES[slug], ""))
        html = html.replace("<head>", f'<head>\n  <base href="{section}">', 1)
        return lambda handler: send(handler, 200, html.encode())

    routes = {}
    with Served(routes) as site:
        routes.update({"/world/tunnel": page("tunnel", site.url("/world/")),
                       "/world/ferry": page("ferry", site.url("/world/"))})
        adder = ArticleAdder(corpus)
        first, second = adder.add(site.url("/world/tunnel")), adder.add(site.url("/world/ferry"))
    # The <base> was read as each story's address: both were /world/, and the ferry "already known" as the tunnel.
    assert (first.is_new, second.is_new) == (True, True)
    urls = [frontmatter.parse((corpus / added.rel).read_text(encoding="utf-8"))[0]["url"] for added in (first, second)]
    assert urls == [site.url("/world/tunnel"), site.url("/world/ferry")]


def test_saved_pages_naming_their_section_as_base_address_are_stories_of_their_own_added_or_in_the_corpus(tmp_path):
    corpus, saved = tmp_path / "corpus", tmp_path / "saved"
    corpus.mkdir()
    saved.mkdir()
    for slug in ("tunnel", "ferry"):  # saved from the site, its canonical link left out: the <base> of its section kept
        html = re.sub(r'\s*<link rel="canonical"[^>]*>', "", article_page(STORIES[slug], ""))
        (saved / f"{slug}.html").write_text(
            html.replace("<head>", '<head>\n  <base href="https://news.example.org/world/">', 1), encoding="utf-8")
    adder = ArticleAdder(corpus)
    first, second = adder.add_file(saved / "tunnel.html"), adder.add_file(saved / "ferry.html")
    # The <base> was read as each page's address: the ferry was "already known" as the tunnel, both "at" /world/.
    assert (first.is_new, second.is_new, first.url, second.url) == (True, True, None, None)
    # The build read it so too: each saved page in the corpus folder cited as /world/, the section's front page.
    assert [article.url for article in read_file(saved, saved / "ferry.html", [])] == [None]


@pytest.mark.timeout(60)
def test_a_page_opening_with_many_comments_is_added_without_the_amp_check_taking_for_ever(site, tmp_path):
    from tests.news_site import article_page

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Telling an AMP page by its <html> tag past the comments before it took twice as long for each comment more
    # (2 s at 22 comments): one of 60 held the add (a feed update, the bot's /add) for ever.
    page = "<!--x-->" * 60 + article_page(STORIES["ferry"], site.url("/world/ferry"))
    site.files["/commented.html"] = ("text/html; charset=utf-8", page.encode())
    added = ArticleAdder(corpus).add(site.url("/commented.html"))
    assert (added.title, added.passages, added.is_new) == (STORIES["ferry"].title, 1, True)


def test_a_link_whose_address_a_jsonl_row_holds_is_compared_with_it_and_the_row_is_not_rewritten(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    from index.extract import extract_article
    from tests.news_site import article_page

    story, link = STORIES["tunnel"], site.article_url("tunnel")
    page = extract_article(article_page(story, site.url("/world/tunnel")), url=link)
    same = {"id": "same", "title": story.title, "date": story.date, "url": link, "text": page.text}
    other = {"id": "other", "title": "Tunnel opening set", "date": story.date, "url": site.url("/world/tunnel"),
             "text": "The harbour tunnel under Tallinn Bay opens in March 2027, the city said."}
    wire = "".join(json.dumps(row) + "\n" for row in (same, other))
    (corpus / "wire.jsonl").write_text(wire, encoding="utf-8")
    adder = ArticleAdder(corpus)
    assert adder.add(link).duplicate_of == "wire.jsonl#same"  # fetched again: the page says what the row says
    site.correct("tunnel", "three months ahead of the schedule agreed with the European Investment Bank",
                 "two months behind the schedule the city had set")  # a row, not from this page: only when near-identical
    with pytest.raises(AddError) as refused:
        adder.add(link)
    assert str(refused.value) == (
        f"cannot add {link}: it is a new version of wire.jsonl#same, which is not rewritten in place (only the files "
        f"citebot add writes are): correct it there, or delete it and add this again")
    assert (corpus / "wire.jsonl").read_text(encoding="utf-8") == wire and files_under(corpus) == {
        "wire.jsonl", ".citebot-add.lock"}
    # A file of one's own naming the address is taken out as citebot remove takes a file out (a row is not)
    own = "---\ntitle: Ferry notes\nurl: " + site.article_url("ferry") + "\n---\nThe ferry runs on Sundays now.\n"
    (corpus / "ferry notes.md").write_text(own, encoding="utf-8")
    with pytest.raises(AddError) as mine:
        ArticleAdder(corpus).add(site.article_url("ferry"))
    assert str(mine.value) == (
        f"cannot add {site.article_url('ferry')}: it is a new version of ferry notes.md, which is not rewritten in "
        f"place (only the files citebot add writes are): correct it there, or take it out with citebot remove "
        f"'ferry notes.md' and add this again; the copy in the corpus, ferry notes.md, is kept")
    site.retract("tunnel", 410)  # a retracted story a row holds: the row is deleted by hand, its file being the user's
    with pytest.raises(AddError) as gone:
        ArticleAdder(corpus).add(link)
    assert str(gone.value) == (f"cannot add {link}: HTTP 410 Gone; the copy in the corpus, wire.jsonl#same, is kept (if "
                               f"the story was retracted, delete its line in wire.jsonl)")
    assert [explain(mine.value, mine.value.reason, lang) for lang in ("en", "uk")] == [
        "it is a new version of ferry notes.md, which is not rewritten in place (only the files citebot add writes "
        "are): correct it there, or take it out with /remove ferry notes.md and add this again; the copy in the "
        "corpus, ferry notes.md, is kept",
        "це нова версія ferry notes.md, яку не переписують на місці (лише файли, записані citebot add): виправте її "
        "там або вилучіть її командою /remove ferry notes.md і додайте це знову; копію в корпусі, ferry notes.md, "
        "залишено"]


def test_a_local_file_corrected_by_a_few_words_or_by_many_under_its_title_is_updated_in_place(tmp_path):
    corpus, inbox = tmp_path / "corpus", tmp_path / "inbox"
    corpus.mkdir()
    inbox.mkdir()
    notes = inbox / "notes.txt"
    first = ("Council approves the Pirita bridge\n\nThe city council approved a new cycling bridge over the Pirita "
             "river on Tuesday, by 41 votes to 20. Work on the bridge starts in April and will cost 4.2 million "
             "euros, the council's budget office said. The bridge will be 140 metres long and lit at night.\n")
    notes.write_text(first, encoding="utf-8")
    adder = ArticleAdder(corpus)
    added = adder.add(str(notes))
    title = "Council approves the Pirita bridge"
    assert re.fullmatch(r"local/notes-[0-9a-f]{6}\.md", added.rel)
    assert frontmatter.parse((corpus / added.rel).read_text(encoding="utf-8"))[0]["file"] == "notes.txt"
    # A few words corrected: near-identical to what is stored, so it was "already known" and the correction dropped.
    notes.write_text(first.replace("41 votes to 20", "41 votes to 12"), encoding="utf-8")
    assert adder.add(str(notes)) == Added(added.rel, title, None, 1, updated=True)
    # Corrected at length under the same title: it was stored as a second article, both versions cited.
    corrected = (f"{title}\n\nThe city council approved a new footbridge for cyclists and walkers over the Pirita "
                 "river on Tuesday. Building starts in May, not April, and the budget office now puts the cost at 5.1 "
                 "million euros after a second tender. An earlier version of this note gave the wrong month.\n")
    notes.write_text(corrected, encoding="utf-8")
    assert adder.add(str(notes)) == Added(added.rel, title, None, 1, updated=True)
    assert files_under(corpus) == {added.rel, ".citebot-add.lock"}
    assert (corpus / added.rel).read_text(encoding="utf-8").endswith(corrected.split("\n\n", 1)[1])
    assert adder.add(str(notes)).duplicate_of == added.rel  # unchanged since: already there
    # Another file of the same words stays a copy of it (the near-duplicate rule), and one of another title under the
    # same name is another article.
    (inbox / "forwarded.txt").write_text(corrected, encoding="utf-8")
    assert adder.add(str(inbox / "forwarded.txt")).duplicate_of == added.rel
    (inbox / "other").mkdir()
    (inbox / "other" / "notes.txt").write_text("Tram line 4 closes for repairs\n\nThe tram line to Kopli closes "
                                               "for three weeks of track repairs from Monday.\n", encoding="utf-8")
    other = adder.add(str(inbox / "other" / "notes.txt"))
    assert other.is_new and other.rel != added.rel


def test_a_local_file_stored_before_its_name_was_kept_is_found_by_its_stored_name(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "local").mkdir(parents=True)
    note = "The harbour authority in Tallinn said the new ferry terminal opens next spring, on time and on budget.\n"
    (corpus / "local" / "terminal-1a2b3c.md").write_text(  # as `citebot add terminal.txt` stored it until now
        f'---\nadded: "2026-11-20T10:00:00Z"\n---\n\n{note}', encoding="utf-8")
    (tmp_path / "terminal.txt").write_text(note.replace("next spring", "next summer"), encoding="utf-8")
    added = ArticleAdder(corpus).add(str(tmp_path / "terminal.txt"))
    assert (added.rel, added.updated) == ("local/terminal-1a2b3c.md", True)
    meta, start = frontmatter.parse((corpus / added.rel).read_text(encoding="utf-8"))
    assert (meta["added"], meta["file"]) == ("2026-11-20T10:00:00Z", "terminal.txt")


def test_a_file_naming_a_stored_articles_address_is_that_articles_new_version(site, tmp_path):
    from tests.news_site import article_page

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    adder = ArticleAdder(corpus)
    story = STORIES["orchestra"]
    stored = adder.add(site.article_url("orchestra"))
    # A page saved from the browser after the correction: its canonical link names the stored article's address.
    fixed = dataclasses.replace(story, paragraphs=(story.paragraphs[0].replace("Brazilian", "Portuguese"),
                                                  *story.paragraphs[1:]))
    (tmp_path / "saved.html").write_text(article_page(fixed, site.url("/world/orchestra")), encoding="utf-8")
    assert adder.add(str(tmp_path / "saved.html")) == Added(stored.rel, story.title, story.date, 1, updated=True)
    # A Markdown note with the address in its front matter, corrected at length: the article's version too.
    (tmp_path / "note.md").write_text(f'---\ntitle: "{story.title}"\nurl: "{site.url("/world/orchestra")}"\n---\n\n'
                                      "Helena Duarte becomes principal conductor of the Tallinn City Orchestra next "
                                      "season, the orchestra said on Sunday.\n", encoding="utf-8")
    assert adder.add(str(tmp_path / "note.md")) == Added(stored.rel, story.title, None, 1, updated=True)
    meta = frontmatter.parse((corpus / stored.rel).read_text(encoding="utf-8"))[0]
    assert (meta["url"], meta["fetched"]) == (site.url("/world/orchestra"), site.article_url("orchestra"))
    assert files_under(corpus) == {stored.rel, ".citebot-add.lock"}
    # the link is still the article's: the page, fetched again, is a new version of the note in its turn
    assert adder.add(site.article_url("orchestra")) == Added(stored.rel, story.title, story.date, 1, updated=True)


def test_adds_of_a_corrected_link_at_once_store_it_once_and_an_adder_that_knew_the_old_copy_sees_the_new_one(
        site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    link, story = site.article_url("tunnel"), STORIES["tunnel"]
    bots = ArticleAdder(corpus)  # a running bot's: it remembers what the corpus held when it last looked
    rel = bots.add(link).rel
    site.correct("tunnel", "eleven minutes", "twelve minutes")
    results: list = [None, None]

    def add(i: int) -> None:  # two processes' adders (cron, a shell)
        results[i] = ArticleAdder(corpus).add(link)

    threads = [threading.Thread(target=add, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted((r.updated, r.duplicate_of) for r in results) == [(False, rel), (True, None)]
    assert files_under(corpus) == {rel, ".citebot-add.lock"}
    assert bots.add(link) == Added(rel, story.title, story.date, 1, duplicate_of=rel)  # not the old copy: unchanged
    assert "twelve minutes" in (corpus / rel).read_text(encoding="utf-8")


@pytest.mark.parametrize("names_its_page", [True, False], ids=["canonical-link", "no-canonical-link"])
def test_a_stored_link_given_again_with_tracking_parameters_and_a_fragment_is_that_story_corrected_in_place(
        tmp_path, names_its_page):
    from tests.test_fetch import Served, send

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story, corrected = STORIES["tunnel"], []
    tracked = "/tunnel?id=7&utm_source=rss&utm_medium=feed&gclid=Cj0K&mc_eid=42"

    def page(handler):
        shown = story if not corrected else dataclasses.replace(
            story, paragraphs=tuple(p.replace("14 March", "21 March") for p in story.paragraphs))
        html = article_page(shown, site.url("/tunnel?id=7"))
        if not names_its_page:
            html = re.sub(r'<link rel="canonical"[^>]*>', "", html)
        send(handler, 200, html.encode())

    with Served({"/tunnel?id=7": page, tracked: page}) as site:
        adder = ArticleAdder(corpus)
        rel = adder.add(site.url("/tunnel?id=7")).rel
        unchanged = adder.add(site.url(tracked + "#comments"))
        corrected.append(1)
        # The link with a feed's utm_* and an ad's gclid was another link: without a canonical link on the page the
        # correction was taken for the same story unchanged ("already known"), and the wrong date stayed cited.
        again = adder.add(site.url(tracked + "#comments"))
    assert unchanged == Added(rel, story.title, story.date, 1, duplicate_of=rel)
    assert again == Added(rel, story.title, story.date, 1, updated=True)
    assert files_under(corpus) == {".citebot-add.lock", rel}
    assert "will open to traffic on 21 March 2027" in (corpus / rel).read_text(encoding="utf-8")
    assert adder.stored(site.url(tracked)) and not adder.stored(site.url("/tunnel?id=8&utm_source=rss"))


def test_a_corpus_file_edited_to_its_old_size_with_its_old_mtime_put_back_is_compared_by_its_new_text(tmp_path):
    # A running bot's adder remembered each corpus file's fingerprint while its size and mtime held: a same-size edit
    # with its mtime put back (`touch -r`, a copy that keeps mtimes) left the old text's, and the new text, added
    # again, was stored a second time
    corpus, inbox = tmp_path / "corpus", tmp_path / "inbox"
    corpus.mkdir()
    inbox.mkdir()
    old = ("Ferry terminal opens next spring\n\nThe harbour authority in Tallinn said the new ferry terminal opens "
           "next spring, on time and on budget, with room for four ships at once.\n")
    new = ("Tram line 4 closes for repairs\n\nThe tram line to Kopli closes for three weeks of track repairs from "
           "Monday, and buses run in its place every ten minutes.\n")
    new = new.rstrip("\n").ljust(len(old) - 1) + "\n"
    assert len(new.encode()) == len(old.encode())
    note = corpus / "notes.txt"
    note.write_text(old, encoding="utf-8")
    before = note.stat()
    bots = ArticleAdder(corpus)
    (inbox / "terminal.txt").write_text(old, encoding="utf-8")
    assert bots.add(str(inbox / "terminal.txt")).duplicate_of == "notes.txt"
    note.write_text(new, encoding="utf-8")
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    while note.stat().st_ctime_ns == before.st_ctime_ns:  # within one tick of the file system's clock
        os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (note.stat().st_size, note.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    (inbox / "tram.txt").write_text(new, encoding="utf-8")
    assert bots.add(str(inbox / "tram.txt")) == Added("notes.txt", "Tram line 4 closes for repairs", None, 1,
                                                      duplicate_of="notes.txt")
    assert files_under(corpus) == {"notes.txt", ".citebot-add.lock"}


def test_a_ukrainian_or_russian_title_or_file_name_names_its_file_in_latin_letters_not_article(tmp_path):
    # Every Cyrillic title or file name made the same "article" file name, so citations, /sources and citebot remove
    # showed a pile of local/article-e69f08.md, local/article-7c4a3c.md... that said nothing of their stories
    corpus, inbox = tmp_path / "corpus", tmp_path / "inbox"
    corpus.mkdir()
    inbox.mkdir()
    adder = ArticleAdder(corpus)
    (inbox / "звіт.txt").write_text("Місто відкриє нову лінію трамваю до аеропорту у вересні 2027 року, сказав "
                                    "заступник мера.\n", encoding="utf-8")
    (inbox / "отчёт.txt").write_text("Больше всего средств получат школы и общественный транспорт, сообщил "
                                     "представитель совета в пятницу.\n", encoding="utf-8")
    (inbox / "note.md").write_text('---\ntitle: "Нова лінія трамваю з\'єднає аеропорт із центром Києва"\n---\n\n'
                                   "Цифри за жовтень: пасажирів на лінії метро стало на 12 відсотків більше, ніж рік "
                                   "тому.\n", encoding="utf-8")
    names = [re.sub(r"-[0-9a-f]{6}\.md$", "", adder.add(str(inbox / name)).rel)
             for name in ("звіт.txt", "отчёт.txt", "note.md")]
    assert names == ["local/zvit", "local/otchet", "local/nova-liniia-tramvaiu-ziednaie-aeroport-iz-tsentrom-kyieva"]


def test_a_daily_note_or_a_jekyll_post_added_is_named_by_its_day_once(tmp_path):
    # Dated by its file name's day, it was stored under that day twice: local/2023-04-20-2023-04-20-ae4bbf.md
    corpus, inbox = tmp_path / "corpus", tmp_path / "inbox"
    corpus.mkdir()
    inbox.mkdir()
    adder = ArticleAdder(corpus)
    (inbox / "2023-04-20.md").write_text("- Met Olena about the ferry.\n- The council votes on Friday.\n",
                                         encoding="utf-8")
    (inbox / "2023-04-21-ferry-plans.md").write_text("---\nlayout: post\n---\n# Ferry plans\n\nThe ferry runs daily.\n",
                                                     encoding="utf-8")
    added = [adder.add(str(inbox / name)) for name in ("2023-04-20.md", "2023-04-21-ferry-plans.md")]
    assert [(re.sub(r"-[0-9a-f]{6}\.md$", "", a.rel), a.date) for a in added] == [
        ("local/2023-04-20", "2023-04-20"), ("local/2023-04-21-ferry-plans", "2023-04-21")]
    # added again, each is found as the one stored
    assert [adder.add(str(inbox / name)).duplicate_of for name in ("2023-04-20.md", "2023-04-21-ferry-plans.md")] == [
        a.rel for a in added]


def test_a_cyrillic_note_stored_as_article_before_its_file_name_was_kept_is_still_found_by_its_stored_name(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "local").mkdir(parents=True)
    note = "Новий термінал порому в Одесі відкриють навесні. Він буде вчасно і в межах бюджету, сказали в порту.\n"
    (corpus / "local" / "article-1a2b3c.md").write_text(  # as `citebot add термінал.txt` stored it until now
        f'---\nadded: "2026-11-20T10:00:00Z"\n---\n\n{note}', encoding="utf-8")
    (tmp_path / "термінал.txt").write_text(note.replace("сказали", "повідомили"), encoding="utf-8")
    added = ArticleAdder(corpus).add(str(tmp_path / "термінал.txt"))
    assert (added.rel, added.updated) == ("local/article-1a2b3c.md", True)


def test_a_folder_given_to_add_is_refused_saying_how_to_add_its_files(workspace, tmp_path):
    # `citebot add ~/Downloads/articles` was told "only .txt, .md, .html, .mhtml, .pdf and .docx files can be added",
    # of a folder holding just such files
    corpus, index = workspace
    inbox = tmp_path / "saved articles"
    inbox.mkdir()
    (inbox / "notes.txt").write_text("The tram line to Kopli closes for three weeks of repairs.\n", encoding="utf-8")
    before = files_under(corpus)
    result = citebot("add", "--corpus", corpus, "--index", index, inbox)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"citebot: error: cannot add {inbox}: a folder, not a file; to add its files, name them: "
                             f"citebot add '{inbox}'/*\n")
    assert files_under(corpus) == before


def test_a_link_whose_page_has_no_text_but_a_meta_refresh_adds_the_page_it_refreshes_to(site, tmp_path):
    # A shortener's or a site's "you are being redirected" page: what a browser shows is where it refreshes to.
    site.files["/t/9xKq2"] = ("text/html; charset=utf-8", (
        '<html><head><meta content="0; url=\'/world/2026/tunnel.html\'" http-equiv="Refresh">'
        "</head><body></body></html>").encode())
    site.files["/reload"] = ("text/html; charset=utf-8",  # no text, refreshing itself: still no article
                             b'<html><head><meta http-equiv="refresh" content="300; url=/reload"></head></html>')
    adder = ArticleAdder(tmp_path, Fetcher(timeout=10))
    added = adder.add_url(site.url("/t/9xKq2"))
    with pytest.raises(AddError) as reloading:
        adder.add_url(site.url("/reload"))
    assert (added.title, added.url) == ("Tallinn harbour tunnel to open in March", site.url("/world/tunnel"))
    assert str(reloading.value) == f"cannot add {site.url('/reload')}: no article text found on the page"


def test_a_hash_bang_link_is_refused_before_any_fetch_saying_its_page_is_built_by_script(site, tmp_path):
    link = site.url("/#!/world/tunnel")
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path, Fetcher(timeout=10)).add_url(link)
    said = ("a #! address, whose page the site's script builds in the browser (its server sends the page at "
            f"{site.url('/')} for every #! address of it), which citebot does not run: add the story's own address")
    assert (str(refused.value), site.requests) == (f"cannot add {link}: {said}", [])
    assert explain(refused.value, said, "uk") == (
        "адреса з #!, сторінку якої будує в браузері скрипт сайту (його сервер надсилає сторінку "
        f"{site.url('/')} на кожну адресу з #!), а citebot скриптів не виконує: додайте власну адресу статті")


def test_a_hash_bang_link_to_a_site_whose_front_page_is_stored_is_refused_not_taken_for_that_page(site, tmp_path):
    # The front page stored (added by hand, or by an older citebot as a #! item's story): the link is no address of it.
    site.files["/"] = ("text/html; charset=utf-8", article_page(STORIES["tunnel"], site.url("/")).encode())
    adder = ArticleAdder(tmp_path, Fetcher(timeout=10))
    adder.add_url(site.url("/"))
    asked = len(site.requests)
    link = site.url("/#!/world/ferry")
    said = (f"cannot add {link}: a #! address, whose page the site's script builds in the browser (its server sends "
            f"the page at {site.url('/')} for every #! address of it), which citebot does not run: add the story's own "
            "address")
    with pytest.raises(AddError) as as_an_item:  # a feed's item: it was "already known", its story lost
        adder.add_url(link)
    with pytest.raises(AddError) as added:  # citebot add, /add: it ended "; the copy in the corpus, …, is kept"
        adder.add(link)
    assert (str(as_an_item.value), str(added.value), len(site.requests)) == (said, said, asked)


def test_a_link_that_redirects_to_a_hash_bang_route_is_refused_not_stored_as_the_page_before_the_hash(site, tmp_path):
    # A shortener's 301 to https://site/#!/world/tunnel: the site's server is sent the page before the # only.
    site.files["/"] = ("text/html; charset=utf-8", article_page(STORIES["ferry"], site.url("/")).encode())
    site.moved["tunnel"] = "/#!/world/tunnel"
    link = site.article_url("tunnel")
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path, Fetcher(timeout=10)).add_url(link)
    said = (f"{link} redirects to {site.url('/#!/world/tunnel')}, a #! address, whose page the site's script builds in "
            f"the browser (its server sends the page at {site.url('/')} for every #! address of it), which citebot "
            "does not run: add the story's own address")
    assert (str(refused.value), site.statuses("/"), files_under(tmp_path)) == (f"cannot add {link}: {said}", [], set())
    assert explain(refused.value, said, "uk") == (
        f"{link} переадресовує на {site.url('/#!/world/tunnel')}, адресу з #!, сторінку якої будує в браузері скрипт "
        f"сайту (його сервер надсилає сторінку {site.url('/')} на кожну адресу з #!), а citebot скриптів не виконує: "
        "додайте власну адресу статті")


def test_a_note_whose_front_matter_keys_are_ukrainian_is_added_with_its_title_date_author_and_link(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    note = tmp_path / "mist.md"
    note.write_text("---\nЗаголовок: Ремонт мосту\nДата: 20 квітня 2023 р.\nАвтор: Олена Коваль\n"
                    "Джерело: https://news.example.ua/mist\n---\nМіст через Дніпро закриють на ремонт у червні.\n",
                    encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", note)
    assert result.returncode == 0, result.stderr
    # It was "added: Міст через Дніпро закриють на ремонт у червні. (1 passage)": undated, its author and link dropped
    assert result.stdout.splitlines()[0].startswith("added: Ремонт мосту, 2023-04-20 (1 passage) -> local/")
    stored = next((corpus / "local").iterdir())
    header = frontmatter.parse(stored.read_text(encoding="utf-8"))[0]
    assert (header["title"], header["date"], header["author"], header["url"]) == (
        "Ремонт мосту", "2023-04-20", "Олена Коваль", "https://news.example.ua/mist")


def test_notes_whose_source_key_names_only_a_site_are_each_added_not_one_over_another(tmp_path):
    # review of 215ebfc: "Джерело: https://www.pravda.com.ua/" (the newspaper, as "Джерело: газета «День»" is) was taken
    # for the note's own address: a second note from that site "updated" the first, whose text was lost, and answers
    # from either cited the site's front page
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "mist.md").write_text("---\nЗаголовок: Ремонт мосту\nДжерело: https://www.pravda.com.ua/\n---\n"
                                      "Міст через Дніпро закриють на ремонт у червні.\n", encoding="utf-8")
    (tmp_path / "biudzhet.md").write_text("---\nЗаголовок: Бюджет міста\nДжерело: https://www.pravda.com.ua/\n---\n"
                                          "Бюджет Києва зріс на третину.\n", encoding="utf-8")
    (tmp_path / "port.md").write_text("---\ntitle: Port budget\nSource: https://www.reuters.com\n---\n"
                                      "The port's budget grew by a third.\n", encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index",
                     tmp_path / "mist.md", tmp_path / "biudzhet.md", tmp_path / "port.md")
    assert result.returncode == 0, result.stderr
    assert [line.split(" -> ")[0] for line in result.stdout.splitlines()[:3]] == [
        "added: Ремонт мосту (1 passage)", "added: Бюджет міста (1 passage)", "added: Port budget (1 passage)"]
    texts = [path.read_text(encoding="utf-8") for path in (corpus / "local").iterdir()]
    assert sorted((header["title"], header.get("url"), text[body:].strip())
                  for text in texts for header, body in [frontmatter.parse(text)]) == [
        ("Port budget", None, "The port's budget grew by a third."),
        ("Бюджет міста", None, "Бюджет Києва зріс на третину."),
        ("Ремонт мосту", None, "Міст через Дніпро закриють на ремонт у червні."),
    ]


def test_two_notes_naming_one_page_as_their_source_are_each_added_and_a_note_edited_is_updated_in_place(tmp_path):
    # The second note naming the page the first names ("Джерело:", "url:") was taken for the first's new version:
    # "updated: Перевірка фактів", the interview's text gone from the corpus
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "interviu.md").write_text("---\nЗаголовок: Інтерв'ю з мером\nДжерело: https://news.example.ua/porom\n"
                                          "---\nМер сказав, що квиток на пором коштуватиме 40 гривень.\n",
                                          encoding="utf-8")
    (tmp_path / "perevirka.md").write_text("---\nЗаголовок: Перевірка фактів\nДжерело: https://news.example.ua/porom\n"
                                           "---\nНасправді квиток на пором коштуватиме 60 гривень.\n", encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index",
                     tmp_path / "interviu.md", tmp_path / "perevirka.md")
    assert result.returncode == 0, result.stderr
    assert [line.split(" -> ")[0] for line in result.stdout.splitlines()[:2]] == [
        "added: Інтерв'ю з мером (1 passage)", "added: Перевірка фактів (1 passage)"]
    # the interview's note, edited and added again, is its new version, the fact check left as it was
    (tmp_path / "interviu.md").write_text("---\nЗаголовок: Інтерв'ю з мером\nДжерело: https://news.example.ua/porom\n"
                                          "---\nМер сказав, що квиток на пором коштуватиме 45 гривень.\n",
                                          encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", tmp_path / "interviu.md")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("updated: Інтерв'ю з мером (local/")
    texts = [path.read_text(encoding="utf-8") for path in (corpus / "local").iterdir()]
    assert sorted((header["title"], header["url"], text[body:].strip())
                  for text in texts for header, body in [frontmatter.parse(text)]) == [
        ("Інтерв'ю з мером", "https://news.example.ua/porom", "Мер сказав, що квиток на пором коштуватиме 45 гривень."),
        ("Перевірка фактів", "https://news.example.ua/porom", "Насправді квиток на пором коштуватиме 60 гривень."),
    ]


def test_the_second_of_two_notes_naming_one_page_edited_and_added_again_is_updated_in_place_not_added_anew(tmp_path):
    # Only the first article at the page's address was asked whether the note was its new version: the fact check,
    # edited, was "added:" again (written over under its old name, or beside itself under a new title)
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def note(name: str, title: str, body: str):
        (tmp_path / name).write_text(f"---\nЗаголовок: {title}\nДжерело: https://news.example.ua/porom\n---\n{body}\n",
                                     encoding="utf-8")
        result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", tmp_path / name)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[0].split(" -> ")[0]

    assert note("interviu.md", "Інтерв'ю з мером", "Мер сказав, що квиток на пором коштуватиме 40 гривень.") == \
        "added: Інтерв'ю з мером (1 passage)"
    assert note("perevirka.md", "Перевірка фактів", "Насправді квиток на пором коштуватиме 60 гривень.") == \
        "added: Перевірка фактів (1 passage)"
    assert note("perevirka.md", "Перевірка фактів", "Насправді квиток на пором коштуватиме 65 гривень.") == \
        "updated: Перевірка фактів (local/perevirka-faktiv-614fe6.md)"
    assert note("perevirka.md", "Перевірка фактів: ціна квитка",
                "Насправді квиток на пором коштуватиме 70 гривень, а не 40.") == \
        "updated: Перевірка фактів: ціна квитка (local/perevirka-faktiv-614fe6.md)"
    texts = [path.read_text(encoding="utf-8") for path in (corpus / "local").iterdir()]
    assert sorted((header["title"], text[body:].strip())
                  for text in texts for header, body in [frontmatter.parse(text)]) == [
        ("Інтерв'ю з мером", "Мер сказав, що квиток на пором коштуватиме 40 гривень."),
        ("Перевірка фактів: ціна квитка", "Насправді квиток на пором коштуватиме 70 гривень, а не 40."),
    ]


def test_two_notes_naming_one_page_whose_long_titles_differ_only_past_the_file_names_words_are_both_kept(tmp_path):
    # Both were named by the page's address and the title's first 60 letters: the second "added:" was written over the
    # first, whose text was lost
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    opening = "Council meeting on the harbour ferry ticket prices and the timetable for"
    for name, month, body in (("may.md", "May", "The mayor said a ticket will cost 40 hryvnias from May."),
                              ("june.md", "June", "The council said the June timetable keeps two ferries a day.")):
        (tmp_path / name).write_text(f"---\ntitle: {opening} {month}\nurl: https://news.example.ua/porom\n---\n{body}\n",
                                     encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", tmp_path / "may.md", tmp_path / "june.md")
    assert result.returncode == 0, result.stderr
    assert [line.split(" -> ")[0] for line in result.stdout.splitlines()[:2]] == [
        f"added: {opening} May (1 passage)", f"added: {opening} June (1 passage)"]
    texts = [path.read_text(encoding="utf-8") for path in (corpus / "local").iterdir()]
    assert sorted(text[body:].strip() for text in texts for _, body in [frontmatter.parse(text)]) == [
        "The council said the June timetable keeps two ferries a day.",
        "The mayor said a ticket will cost 40 hryvnias from May.",
    ]


def test_a_page_added_after_a_note_naming_it_as_its_source_is_stored_beside_the_note_not_written_over_it(site, tmp_path):
    # The note at the page's address was taken for the page's stored copy: "updated: Tallinn harbour tunnel to open in
    # March (local/my-thoughts-on-the-tunnel-….md)", the note's own words gone from the corpus
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story, link = STORIES["tunnel"], site.article_url("tunnel")
    (tmp_path / "thoughts.md").write_text(f"---\ntitle: My thoughts on the tunnel\nurl: {site.url('/world/tunnel')}\n"
                                          f"---\nI think the tunnel will open late. Kalle Kask is too hopeful.\n",
                                          encoding="utf-8")
    result = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", tmp_path / "thoughts.md", link)
    assert result.returncode == 0, result.stderr
    lines = [line.split(" -> ")[0] for line in result.stdout.splitlines()[:2]]
    assert lines[0] == "added: My thoughts on the tunnel (1 passage)"
    assert lines[1].startswith(f"added: {story.title}, {story.date} (")
    rel = stored_name(site, "tunnel", story.title, story.date)
    notes = list((corpus / "local").iterdir())
    assert (len(notes), sorted(p for p in files_under(corpus) if not p.startswith(("local/", ".")))) == (1, [rel])
    note = notes[0].read_text(encoding="utf-8")
    assert note[frontmatter.parse(note)[1]:] == "I think the tunnel will open late. Kalle Kask is too hopeful.\n"
    # the page added again is the page's copy, not the note
    again = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", link)
    assert (again.returncode, again.stdout) == (0, f"already known: {story.title}, {story.date} ({rel})\n")


def test_a_one_line_note_of_a_title_or_a_link_is_added_as_its_text_not_refused_as_empty(tmp_path):
    # Read as a header with nothing under it, "Title: Call the plumber on Monday" alone was "cannot add plumber.txt:
    # the file is empty"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    added = ArticleAdder(corpus).add_bytes(b"Title: Call the plumber on Monday\n", "plumber.txt")
    assert (added.title, added.date) == ("Title: Call the plumber on Monday", None)
    assert frontmatter.parse((corpus / added.rel).read_text(encoding="utf-8"))[0]["file"] == "plumber.txt"
    assert (corpus / added.rel).read_text(encoding="utf-8").endswith("---\n\nTitle: Call the plumber on Monday\n")


def test_a_note_added_before_its_title_date_and_source_lines_were_read_is_updated_in_place_when_added_again(tmp_path):
    # An older release stored jazz.txt's "Title:", "Date:", "Source:" lines as its text; added again (unchanged, or
    # corrected), the note was stored a second time beside it, both cited with every answer from it
    corpus, inbox = tmp_path / "corpus", tmp_path / "inbox"
    (corpus / "local").mkdir(parents=True)
    inbox.mkdir()
    header = "Title: Festivalul de jazz\nDate: 24/04/2023\nSource: https://ziare.example.ro/jazz\n\n"
    story = ("Festivalul de jazz de la Gărâna va avea loc în iulie, au anunțat organizatorii. "
             "Biletele se vând de luni.\n")
    (corpus / "local" / "jazz-7d9e14.md").write_text(
        f'---\nfile: "jazz.txt"\nadded: "2023-04-24T10:00:00Z"\n---\n\n{header}{story}', encoding="utf-8")
    (inbox / "jazz.txt").write_text(header + story, encoding="utf-8")
    adder = ArticleAdder(corpus)
    assert adder.add(str(inbox / "jazz.txt")) == Added("local/jazz-7d9e14.md", "Festivalul de jazz", "2023-04-24", 1,
                                                       updated=True, url="https://ziare.example.ro/jazz")
    (inbox / "jazz.txt").write_text(header + story.replace("de luni", "de marți"), encoding="utf-8")
    assert adder.add(str(inbox / "jazz.txt")) == Added("local/jazz-7d9e14.md", "Festivalul de jazz", "2023-04-24", 1,
                                                       updated=True, url="https://ziare.example.ro/jazz")
    assert [p.name for p in (corpus / "local").iterdir()] == ["jazz-7d9e14.md"]
    assert (corpus / "local" / "jazz-7d9e14.md").read_text(encoding="utf-8").endswith(
        "---\n\n" + story.replace("de luni", "de marți"))


@pytest.mark.parametrize("label", ["Read also:", "Read more:", "RELATED:", "Читайте також:", "Читайте также:",
                                   "Citește și:", "Vezi și:"])
def test_a_read_also_line_linking_another_story_is_no_text_of_the_article_added_or_saved(site, tmp_path, label):
    # Outlets put a line linking another of their stories between a story's paragraphs ("Read also: <a>…</a>",
    # "Читайте також:", "Citește și:"). It was stored as the story's text, and "What happened to the ferry?" was
    # answered with "Read also: Electric ferry crosses the Gulf of Finland", cited from the tunnel's story.
    story = STORIES["tunnel"]
    related = (f'<p><strong>{label}</strong> <a href="/world/2026/ferry.html">{escape_html(STORIES["ferry"].title)}'
               f'</a></p>')
    mention = "<p>Read more about the route in the city's plan, which was published on Friday.</p>"
    page = article_page(story, site.url("/world/tunnel")).replace(
        f"<p>{escape_html(story.paragraphs[1])}</p>", f"<p>{escape_html(story.paragraphs[1])}</p>\n{related}\n{mention}")
    site.files["/world/2026/tunnel-related.html"] = ("text/html; charset=utf-8", page.encode())
    (tmp_path / "corpus").mkdir()
    adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
    added = adder.add(site.url("/world/2026/tunnel-related.html"))
    text = (tmp_path / "corpus" / added.rel).read_text(encoding="utf-8")
    body = text[frontmatter.parse(text)[1]:].strip()
    expected = "\n".join((story.title, *story.paragraphs[:2],
                          "Read more about the route in the city's plan, which was published on Friday.",
                          *story.paragraphs[2:]))
    assert body == expected
    saved = tmp_path / "saved" / "tunnel.html"  # the page saved into a corpus folder reads the same
    saved.parent.mkdir()
    saved.write_text(page, encoding="utf-8")
    [article] = read_file(saved.parent, saved, [])
    assert article.text[article.body_start:].strip() == expected


SORRY = ("Sorry, the article you are looking for does not exist or has been removed. It may have been moved to another "
         "address, or the link you followed may be out of date. Try searching our site or go back to the home page to "
         "read the latest news from Tallinn, Estonia and the world.")


@pytest.mark.parametrize("title, said", [
    ("Article not found", "Article not found"),
    ("Page not found | Baltic Morning News", "Page not found | Baltic Morning News"),
    ("404 - Сторінку не знайдено", "404 - Сторінку не знайдено"),
    ("Страница не найдена", "Страница не найдена"),
    ("Pagina nu a fost găsită", "Pagina nu a fost găsită")])
def test_a_page_answering_200_that_it_is_not_found_is_refused_saying_so_not_stored(site, workspace, title, said):
    # A story removed from many sites' CMS answers "200 OK" with a page titled "Article not found" and a paragraph of
    # apology: it was added ("added: Article not found, 2026-12-01"), listed in /sources, and answered from.
    corpus, index = workspace
    before, build = files_under(corpus), live_build(index)
    story = Story("gone", title, "2026-12-01", "Maarja Tamm", (SORRY,))
    site.files["/world/2026/12/01/gone.html"] = ("text/html; charset=utf-8", article_page(story, "").encode())
    link = site.url("/world/2026/12/01/gone.html")
    result = citebot("add", "--corpus", corpus, "--index", index, link)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"citebot: error: cannot add {link}: the page says “{said}”: no story on it (removed, or "
                             f"moved to another address?)\n")
    assert files_under(corpus) - before <= {".citebot-add.lock"} and live_build(index) == build


CONSENT = {
    "en": ("We value your privacy",
           "We and our 842 partners store and access information on your device, such as cookies, and process personal "
           "data, such as unique identifiers and standard information sent by a device, for personalised ads and "
           "content, ad and content measurement, audience insights and product development.",
           "With your permission we and our partners may use precise geolocation data and identification through "
           "device scanning. You may click to consent to our and our partners' processing as described above."),
    "uk": ("Ми цінуємо вашу конфіденційність",
           "Ми та наші 842 партнери зберігаємо інформацію на вашому пристрої, зокрема файли cookie, та обробляємо "
           "персональні дані, як-от унікальні ідентифікатори, для персоналізованої реклами та вмісту, вимірювання "
           "реклами та вмісту й аналізу аудиторії.",
           "З вашої згоди ми та наші партнери можемо використовувати точні дані геолокації. Натисніть «Прийняти все», "
           "щоб погодитися на обробку ваших даних, як описано вище."),
}


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_page_that_shows_only_a_cookie_consent_wall_is_refused_saying_so_and_a_story_about_cookies_is_added(
        site, workspace, lang):
    # A site behind a consent platform sends a reader without its cookie a page of the consent text alone: it was
    # added as an article titled by the site's name ("added: Kyiv Daily"), and "Who processes personal data on my
    # device?" was answered from it.
    corpus, index = workspace
    before, build = files_under(corpus), live_build(index)
    heading, *paragraphs = CONSENT[lang]
    wall = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Baltic Morning News</title></head><body>'
            f'<div class="consent"><h2>{heading}</h2>' + "".join(f"<p>{p}</p>" for p in paragraphs) +
            '<button>Accept all</button><button>Manage options</button></div></body></html>')
    site.files["/world/2026/12/07/walled.html"] = ("text/html; charset=utf-8", wall.encode())
    link = site.url("/world/2026/12/07/walled.html")
    result = citebot("add", "--corpus", corpus, "--index", index, link)
    assert (result.returncode, result.stdout) == (1, "")
    opening = paragraphs[0][:60].rsplit(" ", 1)[0]
    assert result.stderr == (f"citebot: error: cannot add {link}: the page shows a cookie consent notice alone "
                             f"(“{opening}…”), not the story: open it in a browser, accept, save the page as HTML and "
                             f"add that file\n")
    assert files_under(corpus) - before <= {".citebot-add.lock"} and live_build(index) == build

    cookies = Story("cookies", "Regulator fines three news sites over cookie banners", "2026-12-07", "Liis Saar", (
        "Estonia's data protection inspectorate fined three news sites on Monday for cookie banners that made "
        "rejecting tracking harder than accepting it.",
        "The sites must let readers refuse all cookies with one click, and may not share personal data with "
        "advertising partners without consent, the inspectorate said.",
        "One of the publishers said it would appeal, arguing that the consent platform it uses is certified."))
    site.files["/world/2026/12/07/cookies.html"] = ("text/html; charset=utf-8",
                                                    article_page(cookies, site.url("/world/cookies")).encode())
    added = citebot("add", "--corpus", corpus, "--index", index, site.url("/world/2026/12/07/cookies.html"))
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith(f"added: {cookies.title}, 2026-12-07 (1 passage) -> ")


THIS_SITE_USES_COOKIES = {
    "en": ("This website uses cookies. We use cookies to personalise content and ads, to provide social media features "
           "and to analyse our traffic.",
           "We also share information about your use of our site with our social media, advertising and analytics "
           "partners who may combine it with other information that you've provided to them.",
           "You consent to our cookies if you continue to use our website."),
    "uk": ("Цей сайт використовує файли cookie. Ми використовуємо файли cookie, щоб персоналізувати вміст і рекламу та "
           "аналізувати наш трафік.",
           "Ми також передаємо інформацію про те, як ви користуєтеся нашим сайтом, нашим партнерам із соціальних мереж, "
           "реклами й аналітики.",
           "Продовжуючи користуватися сайтом, ви погоджуєтеся з нашими файлами cookie."),
    "ro": ("Acest site folosește cookie-uri. Folosim cookie-uri pentru a personaliza conținutul și reclamele și pentru "
           "a analiza traficul nostru.",
           "De asemenea, le oferim partenerilor noștri de social media, publicitate și analiză informații cu privire la "
           "modul în care folosiți site-ul nostru.",
           "Dacă veți continua să folosiți site-ul nostru, vă exprimați acordul pentru cookie-urile noastre."),
}


@pytest.mark.parametrize("lang", ["en", "uk", "ro"])
def test_a_notice_that_opens_this_website_uses_cookies_is_refused_as_a_consent_notice(site, tmp_path, lang):
    # The notice's first sentence speaks of the site in the third person ("This website uses cookies."), and was not
    # counted as the site speaking to its reader: the notice was added as an article titled by the site's name.
    paragraphs = THIS_SITE_USES_COOKIES[lang]
    story = Story("cookies", "Kyiv Daily", "2026-12-07", "", paragraphs)
    site.files["/news/2026/12/07/cookies.html"] = ("text/html; charset=utf-8", article_page(story, "").encode())
    (tmp_path / "corpus").mkdir()
    link = site.url("/news/2026/12/07/cookies.html")
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)).add(link)
    opening = max(paragraphs, key=len)[:60].rsplit(" ", 1)[0]  # its longest line's opening
    assert str(refused.value) == (f"cannot add {link}: the page shows a cookie consent notice alone (“{opening}…”), "
                                  f"not the story: open it in a browser, accept, save the page as HTML and add that "
                                  f"file")


STAIRS = (Story("stairs", "Odesa to rebuild the Potemkin Stairs", "2026-12-07", "Olena Kovalenko", (
    "The city council of Odesa approved on Tuesday a plan to rebuild the Potemkin Stairs, damaged by a drone strike "
    "in the spring.",
    "The works will cost 84 million hryvnias and should be finished by the autumn of 2027, the deputy mayor said.",
    "Engineers will first reinforce the granite steps and then restore the balustrades, keeping the original design.")),
          Story("stairs", "Odesa to rebuild the Potemkin Stairs", "2026-12-07", "Olena Kovalenko", (
    "The council also voted to rename twelve streets in the Prymorskyi district after Ukrainian poets and painters.",
    "The new names take effect on 1 March 2027, and residents will not need to change their documents, officials "
    "said.",
    "The longest of them, Pushkinska Street, becomes Lesia Ukrainka Street after a public vote with 41,000 "
    "participants.")))


def test_page_two_of_a_story_whose_canonical_link_names_page_one_is_added_under_its_own_address(site, workspace):
    # Both pages of a paginated story name page 1 as their canonical link: page 2 was "already known" as page 1, and
    # its text was never stored ("Which street becomes Lesia Ukrainka Street?" had no answer).
    corpus, index = workspace
    one, two = site.url("/news/stairs"), site.url("/news/stairs?page=2")
    for link, page in ((one, STAIRS[0]), (two, STAIRS[1])):
        site.files[link.removeprefix(site.base)] = ("text/html; charset=utf-8", article_page(page, one).encode())
    result = citebot("add", "--corpus", corpus, "--index", index, one, two)
    assert result.returncode == 0, result.stderr
    name = "127.0.0.1/2026-12-07-odesa-to-rebuild-the-potemkin-stairs-{}.md"
    first, second = (name.format(hashlib.sha256(canonical(link).encode()).hexdigest()[:6]) for link in (one, two))
    assert result.stdout.splitlines()[:2] == [
        f"added: Odesa to rebuild the Potemkin Stairs, 2026-12-07 (1 passage) -> {first}",
        f"added: Odesa to rebuild the Potemkin Stairs, 2026-12-07 (1 passage) -> {second}"]
    meta, _ = frontmatter.parse((corpus / second).read_text(encoding="utf-8"))
    assert meta["url"] == two and "fetched" not in meta
    again = citebot("add", "--corpus", corpus, "--index", index, two, one)  # each page again: each known as itself
    assert again.stdout == (f"already known: Odesa to rebuild the Potemkin Stairs, 2026-12-07 ({second})\n"
                            f"already known: Odesa to rebuild the Potemkin Stairs, 2026-12-07 ({first})\n")
    asked = citebot("ask", "--json", "--corpus", corpus, "--index", index,
                    "Which street becomes Lesia Ukrainka Street?")
    answer = json.loads(asked.stdout)
    assert "Pushkinska Street" in answer["answer"] and answer["sources"][0]["doc"] == second


def test_page_one_added_after_page_two_of_a_story_whose_pages_name_page_one_is_stored_beside_it(site, tmp_path):
    # Page 2, added first, is stored under page 1's address, which its canonical link names: page 1 added after it was
    # "updated: …" over it, and page 2's text was lost.
    one, two = site.url("/news/stairs"), site.url("/news/stairs?page=2")
    for link, page in ((one, STAIRS[0]), (two, STAIRS[1])):
        site.files[link.removeprefix(site.base)] = ("text/html; charset=utf-8", article_page(page, one).encode())
    (tmp_path / "corpus").mkdir()
    adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
    second, first = adder.add(two), adder.add(one)
    assert (second.duplicate_of, second.updated, first.duplicate_of, first.updated) == (None, False, None, False)
    assert second.rel != first.rel
    corpus = tmp_path / "corpus"
    texts = {rel: read_file(corpus, corpus / rel, [])[0].text for rel in (first.rel, second.rel)}
    assert STAIRS[0].paragraphs[2] in texts[first.rel] and STAIRS[1].paragraphs[2] in texts[second.rel]
    again = [adder.add(link) for link in (one, two)]  # each page again: each known as itself
    assert [(a.rel, a.duplicate_of) for a in again] == [(first.rel, first.rel), (second.rel, second.rel)]


@pytest.mark.parametrize("page_two", ["/news/stairs?part=2", "/news/stairs?parte=2", "/news/stairs?seite=2"])
def test_page_two_numbered_as_a_part_is_stored_beside_page_one_not_over_it(site, tmp_path, page_two):
    # A paginated story whose second page is ?part=2 (?parte=2, ?seite=2), its canonical link page 1: page 1 added
    # after page 2 was "updated: …" over it, page 2's text lost ("Which street becomes Lesia Ukrainka Street?" had
    # no answer), as for ?page=2 before c3f692e.
    one, two = site.url("/news/stairs"), site.url(page_two)
    for link, page in ((one, STAIRS[0]), (two, STAIRS[1])):
        site.files[link.removeprefix(site.base)] = ("text/html; charset=utf-8", article_page(page, one).encode())
    (tmp_path / "corpus").mkdir()
    adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
    second, first = adder.add(two), adder.add(one)
    assert (second.duplicate_of, second.updated, first.duplicate_of, first.updated) == (None, False, None, False)
    assert second.rel != first.rel
    corpus = tmp_path / "corpus"
    texts = {rel: read_file(corpus, corpus / rel, [])[0].text for rel in (first.rel, second.rel)}
    assert STAIRS[0].paragraphs[2] in texts[first.rel] and STAIRS[1].paragraphs[2] in texts[second.rel]


def test_a_story_rewritten_in_place_added_from_another_address_than_its_copys_is_updated_not_a_second_page(
        site, tmp_path):
    # A story stored from a feed's dated link (/news/2026/12/07/stairs.html, its canonical link /news/stairs), rewritten
    # in place (the council's plan reversed, two of its three paragraphs new) and added from its canonical link, was
    # "added:" beside the old copy as another page of a paginated story (c3f692e), and the plan it no longer reports
    # stayed in the answers. Only an address that is another's with a page number (?page=2, /2) is another page.
    one, dated = site.url("/news/stairs"), site.url("/news/2026/12/07/stairs.html")
    site.files["/news/2026/12/07/stairs.html"] = ("text/html; charset=utf-8", article_page(STAIRS[0], one).encode())
    (tmp_path / "corpus").mkdir()
    adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
    stored = adder.add(dated)
    reversed_ = dataclasses.replace(STAIRS[0], paragraphs=STAIRS[0].paragraphs[:1] + (
        "The council reversed its decision on Wednesday after protests by residents, the mayor said on television.",
        "Instead the stairs will be conserved as they are, and a plaque for the victims of the strike added next year."))
    site.files["/news/stairs"] = ("text/html; charset=utf-8", article_page(reversed_, one).encode())
    site.files["/news/2026/12/07/stairs.html"] = ("text/html; charset=utf-8", article_page(reversed_, one).encode())
    updated = adder.add(one)
    assert (updated.rel, updated.updated, updated.duplicate_of) == (stored.rel, True, None)
    assert files_under(tmp_path / "corpus") <= {".citebot-add.lock", stored.rel}
    text = read_file(tmp_path / "corpus", tmp_path / "corpus" / stored.rel, [])[0].text
    assert reversed_.paragraphs[1] in text and STAIRS[0].paragraphs[1] not in text


TEASERS = {
    "en": (("Kyiv will open three new metro stations on the left bank by the end of 2027, the city's transport chief said "
            "on Monday.",
            "Subscribe to read the full story. Get unlimited access to Kyiv Daily for 99 hryvnias a month. Already a "
            "subscriber? Sign in."),
           "the page shows only the story's opening and an offer to subscribe (“Subscribe to read the full story. Get "
           "unlimited access to…”), not the whole story: open it in a browser where you are signed in as a subscriber, "
           "save the page as HTML and add that file"),
    "uk": (("Київ до кінця 2027 року відкриє три нові станції метро на лівому березі, повідомив у понеділок очільник "
            "транспортного департаменту.",
            "Цей матеріал доступний лише передплатникам. Оформіть передплату, щоб читати далі. Вже маєте передплату? "
            "Увійдіть."),
           "сторінка показує лише початок статті й пропозицію передплати («Цей матеріал доступний лише передплатникам. "
           "Оформіть…»), а не всю статтю: відкрийте її в браузері, де ви ввійшли як передплатник, збережіть сторінку як "
           "HTML і додайте цей файл"),
    "ro": (("Metrorex va deschide trei noi stații de metrou în Berceni până la sfârșitul anului 2027, a anunțat luni "
            "directorul companiei.",
            "Acest articol este disponibil doar abonaților. Abonează-te pentru a citi articolul complet. Ești deja "
            "abonat? Autentifică-te."),
           "pagina arată doar începutul articolului și o ofertă de abonament („Acest articol este disponibil doar "
           "abonaților. Abonează-te…”), nu tot articolul: deschideți-o în browserul în care sunteți autentificat ca "
           "abonat, salvați pagina ca HTML și adăugați acel fișier"),
}


@pytest.mark.parametrize("lang", ["en", "uk", "ro"])
def test_a_paywalls_teaser_added_for_the_first_time_is_refused_and_a_story_about_subscriptions_is_added(
        site, tmp_path, lang):
    # A story behind a paywall, added for the first time, was stored as its opening and the offer ("added: Kyiv to
    # open three metro stations"), and "How much does Kyiv Daily cost?" was answered from the offer.
    paragraphs, said = TEASERS[lang]
    site.files["/news/2026/12/07/metro.html"] = ("text/html; charset=utf-8", article_page(
        Story("metro", "Kyiv to open three metro stations", "2026-12-07", "Olena Kovalenko", paragraphs), "").encode())
    (tmp_path / "corpus").mkdir()
    link = site.url("/news/2026/12/07/metro.html")
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)).add(link)
    assert explain(refused.value, refused.value.reason, lang) == said
    assert files_under(tmp_path / "corpus") <= {".citebot-add.lock"}

    paid = Story("paid", "Kyiv Daily puts its investigations behind a paywall", "2026-12-07", "Olena Kovalenko", (
        "Kyiv Daily will put its investigations behind a paywall from January, its editor said on Monday.",
        "Readers who subscribe will pay 99 hryvnias a month; news stories stay free to read for everyone.",
        "The paper had 12,000 subscribers at the end of November, up from 8,000 a year ago."))
    (tmp_path / "paid").mkdir()
    assert _added_from_the_site(site, tmp_path / "paid", "business", paid).title == paid.title


METRO_OPENING = (
    "Kyiv will open three new metro stations on the left bank by the end of 2027, the city's transport chief said on "
    "Monday, after the council approved the last part of the loan that pays for the works and for the new trains.",
    "The stations, Hryhorenka Avenue, Kharkivska Square and Kyiv-Darnytsia, extend the Syretsko-Pecherska line by 4.2 "
    "kilometres towards the Troieshchyna district, where about 300,000 people live without a metro station, and where "
    "buses to the centre take an hour or more at the busiest times of the morning and the evening.",
    "The works stopped in February 2022, when Russia's full-scale invasion began, and tunnel boring machines stood in "
    "the shafts for almost three years, guarded by workers of the metro who checked them every week for water and "
    "for damage from the shelling of the nearby power station.",
    "The city found 9 billion hryvnias for the first stage in its own budget, and the European Investment Bank agreed "
    "in October to lend a further 150 million euros, repaid over twenty years, for the tunnels, the signalling and "
    "twelve new trains built in Ukraine at the Kryukiv works in Kremenchuk.",
    "Residents of the left bank have waited for the extension since the first plans were drawn up in the 1990s, and "
    "several earlier mayors promised it before elections, the transport chief reminded reporters, saying that this "
    "time the money was in the accounts and the contractors were already on the site with their machines.",
    "The first trains should run between the new stations in test mode in the autumn of 2027, with passengers from "
    "December if the inspectors approve the tunnels, the ventilation and the escalators, which come from a factory "
    "in Dnipro that had to move part of its work to the west of the country.",
    "Until then the city will run express buses from Troieshchyna to the Livoberezhna station every five minutes at "
    "the busiest hours, and a new bus lane on the Pivnichnyi bridge opens in January, the transport chief said.")


@pytest.mark.parametrize("pitch, opening", [
    ("Subscribe to read the full story. Get unlimited access to Kyiv Daily for 99 hryvnias a month.",
     "Subscribe to read the full story. Get unlimited access to"),
    ("To continue reading, subscribe to Kyiv Daily. Already a subscriber? Sign in.",
     "To continue reading, subscribe to Kyiv Daily. Already a"),
])
def test_a_paywalls_teaser_of_several_paragraphs_over_300_words_is_refused_too(site, tmp_path, pitch, opening):
    # A paywall showing seven paragraphs (334 words) before its offer was stored as the story, the offer with it, where
    # one of a paragraph was refused: only a page of at most 300 words was read as a teaser.
    assert len(" ".join(METRO_OPENING).split()) > 300
    site.files["/news/2026/12/07/metro.html"] = ("text/html; charset=utf-8", article_page(
        Story("metro", "Kyiv to open three metro stations", "2026-12-07", "Olena Kovalenko", METRO_OPENING + (pitch,)),
        "").encode())
    (tmp_path / "corpus").mkdir()
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)).add(site.url("/news/2026/12/07/metro.html"))
    assert explain(refused.value, refused.value.reason, "en") == (
        f"the page shows only the story's opening and an offer to subscribe (“{opening}…”), not the whole story: open "
        f"it in a browser where you are signed in as a subscriber, save the page as HTML and add that file")
    assert files_under(tmp_path / "corpus") <= {".citebot-add.lock"}


def test_a_long_story_ending_with_an_offer_of_the_papers_newsletter_is_added_not_taken_for_a_paywall(site, tmp_path):
    # Its whole text and, after it, what a long story's page offers beside it: not an offer to read this story on.
    metro = Story("metro", "Kyiv to open three metro stations", "2026-12-07", "Olena Kovalenko", METRO_OPENING + (
        "Subscribe to read our morning newsletter on the city's transport every weekday.",))
    assert _added_from_the_site(site, tmp_path, "business", metro).title == metro.title


@pytest.mark.parametrize("meter", [
    "You have 2 free articles left this month. Subscribe to continue reading without limits.",
    "This is your last free article this month. Subscribe to keep reading the full story of every day.",
    "У вас залишилося 2 безкоштовні статті цього місяця. Оформіть передплату, щоб читати далі без обмежень.",
])
def test_a_whole_story_under_a_metered_paywalls_count_of_free_articles_left_is_added(site, tmp_path, meter):
    # A metered paywall shows the whole story and, under it, how many free articles are left with its offer; since
    # ce5214e such a story of 300 to 600 words was refused as a paywall's teaser ("You have 2 free articles left…").
    metro = Story("metro", "Kyiv to open three metro stations", "2026-12-07", "Olena Kovalenko", METRO_OPENING + (meter,))
    assert _added_from_the_site(site, tmp_path, "business", metro).title == metro.title


@pytest.mark.parametrize("last", [
    "Libraries will stay open in the evenings so that children have somewhere to continue reading and studying during "
    "blackouts, the mayor said.",
    "Finland, already a member of the alliance since 2023, has offered to host the next summit, the minister added.",
    "Passengers already subscribed to the monthly pass will keep the old fare until March, the city said.",
    "Already a subscriber? Sign in to manage your newsletters.",
])
def test_a_whole_story_of_300_to_600_words_whose_last_line_only_sounds_like_an_offer_is_added(site, tmp_path, last):
    # Since ce5214e a story of 300 to 600 words was refused as a paywall's teaser when one of its last two lines read as
    # an offer ("to continue reading", "already a member", "already subscribed") and named the story going on: a
    # sentence of the story, or a page's offer to sign in that says nothing of this story being cut, lost the story.
    metro = Story("metro", "Kyiv to open three metro stations", "2026-12-07", "Olena Kovalenko", METRO_OPENING + (last,))
    added = _added_from_the_site(site, tmp_path, "business", metro)
    stored = (tmp_path / "corpus" / added.rel).read_text(encoding="utf-8")
    assert stored[frontmatter.parse(stored)[1]:].rstrip().endswith(last)


@pytest.mark.parametrize("footer", [
    "Підпишіться, щоб читати новини першими: t.me/kyivdaily",
    "Подпишитесь, чтобы читать новости первыми: t.me/kyivdaily",
    "Abonează-te pentru a primi cele mai noi știri pe Telegram.",
    "Abonați-vă pentru a fi la curent cu știrile pe canalul nostru de Telegram.",
])
def test_a_brief_ending_with_a_link_to_subscribe_to_the_papers_telegram_channel_is_added_not_taken_for_a_paywall(
        site, tmp_path, footer):
    # A brief of two sentences ending with a line asking its reader to follow the paper on Telegram was refused as a
    # paywall's teaser ("the page shows only the story's opening and an offer to subscribe (“Подпишитесь, чтобы читать
    # новости первыми…”)"): "subscribe, so as to read" was read as "subscribe to read on", whatever was to be read.
    metro = Story("metro", "Kyiv to open three metro stations", "2026-12-07", "Olena Kovalenko", (
        TEASERS["en"][0][0],
        "The stations will serve about 120,000 passengers a day and cost 9 billion hryvnias, he told reporters.", footer))
    assert _added_from_the_site(site, tmp_path, "business", metro).title == metro.title


def _added_from_the_site(site, tmp_path, section: str, story: Story):
    """``story`` served at /SECTION/2026/12/07/SLUG.html, its canonical link /SECTION/SLUG, added to a new corpus."""
    site.files[f"/{section}/2026/12/07/{story.slug}.html"] = (
        "text/html; charset=utf-8", article_page(story, site.url(f"/{section}/{story.slug}")).encode())
    (tmp_path / "corpus").mkdir()
    return ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)).add(site.url(f"/{section}/2026/12/07/{story.slug}.html"))


@pytest.mark.parametrize("byline, author", [
    ("Olena Kovalenko · 07.12.2026", "Olena Kovalenko"),
    ("Olena Kovalenko · 5 min read", "Olena Kovalenko"),
    ("Олена Коваленко · Київ", "Олена Коваленко"),
    ("Ioana Popescu • Digi24", "Ioana Popescu"),
    ("Maarja Tamm, Jussi Virtanen", "Maarja Tamm; Jussi Virtanen"),
    ("Автор: Олена Коваленко", "Олена Коваленко"),
    ("Autor: Ioana Popescu", "Ioana Popescu"),
    ("Авторка Олена Коваленко · Київ", "Олена Коваленко"),
    ("Paul·la Vidal · Barcelona", "Paul·la Vidal"),  # a Catalan name's middle dot, between two letters, is the name's
    ("Marcel·lí Pons", "Marcel·lí Pons"),
])
def test_a_bylines_label_or_what_follows_its_middle_dot_is_not_the_authors_name(site, tmp_path, byline, author):
    # "Olena Kovalenko · 07.12.2026" was stored (and listed) as the author "Olena Kovalenko ·", its date dropped and the
    # dot kept; "Олена Коваленко · Київ" with the city, "Ioana Popescu • Digi24" with the outlet, "Автор: Олена
    # Коваленко" as "Автор Олена Коваленко". And with that, a Catalan name's own middle dot was taken for a byline's:
    # "Paul·la Vidal" was stored as "Paul", "Marcel·lí Pons" as "Marcel".
    added = _added_from_the_site(site, tmp_path, "world", dataclasses.replace(STORIES["ferry"], author=byline))
    meta, _ = frontmatter.parse((tmp_path / "corpus" / added.rel).read_text(encoding="utf-8"))
    assert meta["author"] == author


@pytest.mark.parametrize("byline, author", [
    ("Text: Olena Kovalenko", "Olena Kovalenko"),
    ("Text: Olena Kovalenko | Foto: Ivan Petrenko", "Olena Kovalenko"),
    ("Текст: Олена Коваленко | Фото: Іван Петренко", "Олена Коваленко"),
    ("Text: Ioana Popescu | Foto: Mihai Ionescu", "Ioana Popescu"),
    ("Olena Kovalenko, olena@kyivdaily.ua", "Olena Kovalenko"),
    ("Ioana Popescu | ioana.popescu@digi24.ro", "Ioana Popescu"),
    ("Olena Kovalenko | Ivan Petrenko", "Olena Kovalenko; Ivan Petrenko"),  # two authors, kept both
])
def test_a_bylines_text_label_photo_credit_or_email_is_not_an_authors_name(site, tmp_path, byline, author):
    # "Text: Olena Kovalenko" was stored (and listed) as the author "Text Olena Kovalenko"; a photographer's credit
    # beside it ("| Foto: Ivan Petrenko") as a second author "Foto Ivan Petrenko"; and an address to write to
    # ("Olena Kovalenko, olena@kyivdaily.ua") as a second author "Olena Ua", what trafilatura made of it.
    added = _added_from_the_site(site, tmp_path, "world", dataclasses.replace(STORIES["ferry"], author=byline))
    meta, _ = frontmatter.parse((tmp_path / "corpus" / added.rel).read_text(encoding="utf-8"))
    assert meta["author"] == author


@pytest.mark.parametrize("byline, author", [
    ("Text and photos: Olena Kovalenko", "Olena Kovalenko"),
    ("Text und Foto: Olena Kovalenko", "Olena Kovalenko"),
    ("Текст і фото: Олена Коваленко", "Олена Коваленко"),
    ("Nikos Fotopoulos | Anna Textor", "Nikos Fotopoulos; Anna Textor"),
])
def test_a_writer_who_took_the_photos_too_is_the_authors_name_not_dropped_as_a_photo_credit(
        site, tmp_path, byline, author):
    # Since 2b362ac "Text and photos: Olena Kovalenko" was stored with the author "and photos: Olena Kovalenko", and
    # "Text und Foto: …" (which trafilatura parts at its "und") with none: her name was read as a photographer's credit.
    added = _added_from_the_site(site, tmp_path, "world", dataclasses.replace(STORIES["ferry"], author=byline))
    meta, _ = frontmatter.parse((tmp_path / "corpus" / added.rel).read_text(encoding="utf-8"))
    assert meta.get("author") == author


@pytest.mark.parametrize("signature", [
    "Text: Olena Kovalenko, olena@kyivdaily.ua",
    "Autor: Ioana Popescu | ioana.popescu@digi24.ro",
    "Олена Коваленко, o.kovalenko@kyivdaily.ua",
    "olena@kyivdaily.ua",
])
def test_a_signature_with_an_email_address_after_the_story_is_not_stored_as_its_last_paragraph(
        site, tmp_path, signature):
    # The writer's name and address under the story, a line of its own, was stored as the story's last paragraph (and
    # passage), where a sentence of the story giving an address to write to is the story's.
    ferry = STORIES["ferry"]
    told = "Readers can send their photos of the crossing to photos@kyivdaily.ua, the operator said on Sunday."
    story = dataclasses.replace(ferry, paragraphs=ferry.paragraphs + (told, signature))
    added = _added_from_the_site(site, tmp_path, "world", story)
    stored = (tmp_path / "corpus" / added.rel).read_text(encoding="utf-8")
    assert stored[frontmatter.parse(stored)[1]:].rstrip().endswith(told)


def test_an_address_in_the_story_is_kept_when_the_element_around_the_story_names_its_author(site, tmp_path):
    # Since 2b362ac the addresses in an element whose class names an author or a byline were taken out, so a theme's
    # <article class="post author-olena-kovalenko"> (a container of the whole story) lost the story's own address:
    # "…send their photos of the crossing to , the operator said on Sunday." was stored.
    told = "Readers can send their photos of the crossing to photos@kyivdaily.ua, the operator said on Sunday."
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in STORIES["ferry"].paragraphs + (told,))
    site.files["/world/2026/12/07/ferry.html"] = ("text/html; charset=utf-8", (
        f'<html><head><title>{STORIES["ferry"].title}</title><meta name="author" content="Olena Kovalenko, '
        f'olena@kyivdaily.ua"></head><body><article class="post author-olena-kovalenko"><h1>{STORIES["ferry"].title}'
        f'</h1><p class="byline">By Olena Kovalenko, olena@kyivdaily.ua</p>{paragraphs}</article></body></html>'
    ).encode())
    (tmp_path / "corpus").mkdir()
    added = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)).add(site.url("/world/2026/12/07/ferry.html"))
    meta, start = frontmatter.parse((tmp_path / "corpus" / added.rel).read_text(encoding="utf-8"))
    assert (tmp_path / "corpus" / added.rel).read_text(encoding="utf-8")[start:].rstrip().endswith(told)
    assert meta["author"] == "Olena Kovalenko"


@pytest.mark.parametrize("tail", [
    ("Passengers who lost luggage on the crossing can write to:", "lost@tallink.ee"),
    ("Lost Luggage: Tallink Grupp, lost@tallink.ee",),
    ("Donations: Kyiv Zoo, donate@kyivzoo.ua",),
])
def test_an_address_the_story_gives_on_its_last_line_is_stored_not_dropped_as_a_signature(site, tmp_path, tail):
    # Since 01bad86 a last line of an address with a few capitalised words was dropped as the writer's signature: the
    # address a sentence introduces ("…can write to:") and a labelled contact ("Donations: Kyiv Zoo, …") were lost.
    ferry = STORIES["ferry"]
    added = _added_from_the_site(site, tmp_path, "world", dataclasses.replace(ferry, paragraphs=ferry.paragraphs + tail))
    stored = (tmp_path / "corpus" / added.rel).read_text(encoding="utf-8")
    assert stored[frontmatter.parse(stored)[1]:].rstrip().endswith(tail[-1])


@pytest.mark.parametrize("title, paragraphs", [
    ("Error 404 — the band's new album", (
        "Tallinn rock band Error 404 released its third album on Friday, five years after its second.",
        "The band recorded the ten songs in a farmhouse on Saaremaa over two winters, its singer told ERR.",
        "The album goes on tour in March, with concerts in Tartu, Riga and Vilnius.")),
    ("Не знайдено — фільм про зниклого туриста", (
        "У прокат вийшов фільм Олени Ковальчук про туриста, який зник у Карпатах у 2019 році.",
        "Режисерка знімала стрічку три роки в горах над Ворохтою, розповіла вона журналістам.",
        "Прем'єра в Києві відбудеться в суботу, а в березні фільм покажуть у Львові.")),
    ("Page not found — Tartu theatre's new play", (
        "Tartu's Vanemuine theatre opened its season on Saturday with a comedy about a programmer who loses his job.",
        "The play, written by the theatre's director, sold out its first six evenings within a day.",
        "It runs until April, and an English version is planned for the summer festival.")),
])
def test_a_short_story_whose_title_only_opens_as_a_not_found_page_does_is_added(site, tmp_path, title, paragraphs):
    # A brief titled "Error 404 — the band's new album" (a band named so) was refused as a removed story's page ("the
    # page says “Error 404 — the band's new album”: no story on it"), and could not be added at all, saved as a file
    # neither: its title's part "Error 404" beside the story's words was read as "Page not found | Site".
    added = _added_from_the_site(site, tmp_path, "culture", Story("band", title, "2026-12-07", "Liis Saar", paragraphs))
    assert added.title == title


def test_a_not_found_page_titled_beside_the_sites_name_with_a_list_of_news_is_refused(site, tmp_path):
    # What a soft 404 beside its site's name says of itself ("the page you are looking for"), a story does not.
    story = Story("gone", "Сторінку не знайдено — Київський вісник", "2026-12-07", "", (
        "На жаль, сторінку, яку ви шукаєте, не знайдено: можливо, її видалили або посилання застаріло.",
        "Поверніться на головну або скористайтеся пошуком, щоб прочитати останні новини з Києва та світу."))
    site.files["/world/2026/12/07/gone.html"] = ("text/html; charset=utf-8", article_page(story, "").encode())
    (tmp_path / "corpus").mkdir()
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)).add(site.url("/world/2026/12/07/gone.html"))
    assert refused.value.key == "not_found_page"


def test_a_short_explainer_telling_the_reader_how_to_refuse_cookies_is_added(site, tmp_path):
    # A consent notice speaks as the site ("We and our partners…"); an explainer speaks to the reader alone, and was
    # refused as one ("the page shows a cookie consent notice alone (“You can refuse cookies on almost every news…”)").
    story = Story("refuse", "You can refuse cookies: here is how", "2026-12-07", "Liis Saar", (
        "You can refuse cookies on almost every news site, and under the EU's privacy rules you do not have to accept "
        "tracking to read.",
        "Look for a button that says Reject all or Manage options on the consent banner; if you only see Accept, the "
        "site may be breaking the law.",
        "Your browser can also block third-party cookies: in its privacy settings, choose to block them for every site.",
        "If a site shares your personal data without your consent, you can complain to the data protection "
        "inspectorate."))
    assert _added_from_the_site(site, tmp_path, "tech", story).title == story.title


@pytest.mark.parametrize("title, paragraphs", [
    ("US partners welcome air defence package", (
        "The US will send its European partners a new air defence package, the Pentagon said on Monday.",
        "US partners in the Baltic states welcomed the decision and said they would share the costs.",
        "Our partners know that we keep our word, the US defence secretary told reporters in Brussels.",
        "Officials said the first systems would arrive in the spring.")),
    ("Мы согласны: Минск подписал соглашение", (
        "«Мы согласны с условиями», — заявил министр после подписания соглашения с партнерами.",
        "Согласно документу, мы получим кредит в два миллиарда долларов, сказал он.",
        "Партнеры Минска, по его словам, согласились на отсрочку платежей, и мы это ценим.",
        "Соглашение вступит в силу в январе.")),
    ("Noi acorduri între România și Moldova", (
        "România și Moldova au semnat miercuri noi acorduri de cooperare în domeniul energiei.",
        "Acordurile prevăd noi interconectări electrice și noi investiții în rețeaua de gaze.",
        "Noi parteneri europeni vor finanța o parte din lucrări, potrivit acordului semnat la Chișinău.",
        "Premierul a spus că noi linii vor fi gata în doi ani, după acordul Comisiei Europene.")),
])
def test_a_short_story_of_partners_and_agreements_is_no_cookie_consent_notice(site, tmp_path, title, paragraphs):
    # "US partners…", "«Мы согласны…»", Romanian "noi acorduri" ("new agreements": "noi" is "we" too) read as a site
    # speaking to its reader of consent ("partners", "соглас", "acord"), and each brief was refused as a consent notice.
    added = _added_from_the_site(site, tmp_path, "world", Story("brief", title, "2026-12-07", "Liis Saar", paragraphs))
    assert added.title == title


def test_a_not_found_page_that_refreshes_to_the_home_page_is_refused_saying_so_not_the_home_pages_story_added(
        site, tmp_path):
    # Many a soft 404 sends its reader home after a few seconds (<meta http-equiv="refresh" content="5; url=/">): read
    # as a page with no article, it was followed, and the home page's lead story was added under the removed story's
    # link ("added: Tallinn harbour tunnel to open in March").
    site.files["/"] = ("text/html; charset=utf-8", article_page(STORIES["tunnel"], site.url("/")).encode())
    gone = article_page(Story("gone", "Page not found | Baltic Morning News", "2026-12-01", "", (SORRY,)), "")
    site.files["/world/2026/12/01/gone.html"] = ("text/html; charset=utf-8", gone.replace(
        "<head>", '<head>\n  <meta http-equiv="refresh" content="5; url=/">').encode())
    (tmp_path / "corpus").mkdir()
    link = site.url("/world/2026/12/01/gone.html")
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)).add(link)
    assert str(refused.value) == (f"cannot add {link}: the page says “Page not found | Baltic Morning News”: no story "
                                  f"on it (removed, or moved to another address?)")
    assert files_under(tmp_path / "corpus") <= {".citebot-add.lock"}
