"""Web pages saved as one file (.mhtml, .mht) in the corpus: real files, written here as Chrome writes them."""

from __future__ import annotations

import base64
import quopri
import re
import tracemalloc
from email import policy
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart

import pytest

from index import frontmatter, mhtml
from index.add import AddError, ArticleAdder
from index.documents import read_corpus
from tests.living import citebot, read_with_warnings
from tests.news_site import STORIES, article_page

SAVED_FROM = "https://bmn.example.org/world/tunnel"
BOUNDARY = "----MultipartBoundary--vG6hqZ2sTk9xWbN3pLcJ0eYfRm4uDa8iKo1QnE5w7X----"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(2_000)


def page_html() -> str:
    """The tunnel story's page as Chrome keeps it: its own markup, a Content-Type <meta> first in its head, no canonical
    link (the address is the header's)."""
    html = article_page(STORIES["tunnel"], SAVED_FROM)
    html = re.sub(r'\s*<link rel="canonical"[^>]*>', "", html)
    return html.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">', 1)


def part(kind: str, location: str, payload: bytes, encoding: str = "quoted-printable", **headers) -> MIMENonMultipart:
    """One part of a saved page, as Chrome writes it: its type, headers, encoding and address, no MIME-Version."""
    main, sub = kind.split("/")
    made = MIMENonMultipart(main, sub)
    del made["MIME-Version"]
    for name, value in headers.items():
        made[name.replace("_", "-")] = value
    made["Content-Transfer-Encoding"] = encoding
    made["Content-Location"] = location
    if encoding == "base64":
        made.set_payload(base64.encodebytes(payload).decode("ascii"))
    else:
        made.set_payload(quopri.encodestring(payload).decode("ascii"))
    return made


def chrome_mhtml(page: bytes, parts: list[MIMENonMultipart] | None = None, subject: str = STORIES["tunnel"].title
                 + " | Baltic Morning News", snapshot: str | None = SAVED_FROM, page_encoding: str = "quoted-printable",
                 before: list[MIMENonMultipart] = ()) -> bytes:
    """A page saved as Chrome's "Webpage, Single File" writes it: a MIME header (From: <Saved by Blink>, the address it
    was saved from, its title, the day it was saved), then the page in quoted-printable, then what it loads."""
    root = MIMEMultipart("related", boundary=BOUNDARY, type="text/html")
    for first in before:
        root.attach(first)
    root.attach(part("text/html", SAVED_FROM, page, page_encoding, Content_ID="<frame-5A1C0E7B2D@mhtml.blink>"))
    for more in parts if parts is not None else [
            part("text/css", "cid:css-8d0b7f10-61a5-4b0e@mhtml.blink", b"body { font-family: serif; }"),
            part("image/png", "https://bmn.example.org/logo.png", PNG, "base64"),
            part("text/html", "https://ads.example.net/frame", b"<html><body><p>Win a cruise to Helsinki! Click "
                 b"here to enter the draw today and every day until Christmas.</p></body></html>",
                 Content_ID="<frame-77B3A1@mhtml.blink>")]:
        root.attach(more)
    content_type = root["Content-Type"]
    del root["Content-Type"], root["MIME-Version"]
    root["From"] = "<Saved by Blink>"
    if snapshot:
        root["Snapshot-Content-Location"] = snapshot
    root["Subject"] = subject if subject.isascii() else Header(subject, "utf-8").encode()  # RFC 2047's =?utf-8?…?=
    root["Date"] = "Sun, 6 Dec 2026 06:31:07 -0000"  # the day it was saved, not the story's
    root["MIME-Version"] = "1.0"
    root["Content-Type"] = content_type
    head, body = root.as_bytes(policy=policy.SMTP).split(b"\r\n\r\n", 1)  # CR LF line ends, as Chrome writes them
    head = head[:head.index(b"\r\nContent-Type: ")]
    # Chrome's own folding of its Content-Type (email's would spell the long boundary in RFC 2231's pieces)
    return (head + f'\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{BOUNDARY}"'
            .encode() + b"\r\n\r\n\r\n" + body)


SAVED = chrome_mhtml(page_html().encode("utf-8"))


def test_a_page_chrome_saved_as_one_file_is_read_as_the_html_page_it_holds_with_the_address_it_was_saved_from(
        tmp_path):
    assert SAVED.startswith(b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://bmn.example.org/world/"
                            b"tunnel\r\nSubject: Tallinn harbour tunnel to open in March | Baltic Morning News\r\n")
    (tmp_path / "Tallinn tunnel.mhtml").write_bytes(SAVED)
    (tmp_path / "as html").mkdir()
    (tmp_path / "as html" / "Tallinn tunnel.html").write_text(page_html(), encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert corpus.skipped == []
    saved, html = corpus.articles
    assert (saved.id, saved.title, saved.date, saved.url) == (
        "Tallinn tunnel.mhtml", "Tallinn harbour tunnel to open in March", "2026-11-20", SAVED_FROM)
    assert (saved.text, saved.title, saved.date) == (html.text, html.title, html.date)
    assert saved.text.startswith("Tallinn harbour tunnel to open in March\nThe harbour tunnel under Tallinn Bay will "
                                 "open to traffic on 14 March 2027")
    assert "cruise" not in saved.text  # an ad's frame, the second page in the file, is not the story


def test_an_older_mht_in_base64_and_a_charset_of_its_own_is_read_and_its_title_taken_from_its_header(tmp_path):
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><body>'
            '<article><p>Мерія Таллінна підтвердила у вівторок, що тунель під затокою відкриють для руху 14 березня '
            '2027 року, на три місяці раніше, ніж планували.</p><p>Будівельники завершили герметизацію останньої '
            'секції тунелю цього тижня, повідомив головний інженер міста Калле Каск.</p></article></body></html>')
    saved = chrome_mhtml(html.encode("cp1251"), parts=[], subject="Тунель у Таллінні відкриють у березні",
                         snapshot=None, page_encoding="base64")
    (tmp_path / "tunnel.MHT").write_bytes(saved)
    [article] = read_corpus(tmp_path).articles
    assert (article.title, article.url) == ("Тунель у Таллінні відкриють у березні", SAVED_FROM)  # the part's address
    assert article.text.startswith("Мерія Таллінна підтвердила у вівторок")


def test_a_saved_page_with_lf_line_ends_or_an_empty_part_before_its_page_is_read_as_chromes_own(tmp_path):
    boundary = b"--" + BOUNDARY.encode()
    (tmp_path / "chrome.mhtml").write_bytes(SAVED)
    (tmp_path / "lf.mhtml").write_bytes(SAVED.replace(b"\r\n", b"\n"))  # copied by a tool that changed its line ends
    (tmp_path / "empty part.mhtml").write_bytes(SAVED.replace(boundary, boundary + b"\r\n" + boundary, 1))
    corpus = read_corpus(tmp_path)
    assert corpus.skipped == []
    chrome, *others = corpus.articles
    assert (chrome.id, chrome.url) == ("chrome.mhtml", SAVED_FROM)
    assert [(a.title, a.url, a.text) for a in others] == [(chrome.title, chrome.url, chrome.text)] * 2


def _images_before_the_page(count: int) -> bytes:
    """A saved page whose file holds ``count`` images before the page itself."""
    images = [part("image/png", f"https://bmn.example.org/{i}.png", PNG[:64], "base64") for i in range(count)]
    return chrome_mhtml(page_html().encode("utf-8"), parts=[], before=images)


def _nested_images_before_the_page() -> bytes:
    """A saved page whose file holds two multiparts of two images each before the page: six parts before it."""
    def images() -> MIMEMultipart:
        folder = MIMEMultipart("mixed")
        for i in range(2):
            folder.attach(part("image/png", f"https://bmn.example.org/{i}.png", PNG[:64], "base64"))
        return folder
    return chrome_mhtml(page_html().encode("utf-8"), parts=[], before=[images(), images()])


@pytest.mark.parametrize("name, make, reason", [
    ("renamed.mhtml", lambda: page_html().encode(),
     "not a readable saved web page (it does not open with a MIME header, as a page saved as one file does)"),
    ("images.mhtml", lambda: SAVED.replace(b"Content-Type: text/html", b"Content-Type: image/gif"),
     "no web page in it (no text/html part)"),
    ("many.mhtml", lambda: _images_before_the_page(4), "no web page in its first 4 parts"),
    ("nested.mhtml", _nested_images_before_the_page, "no web page in its first 4 parts"),
    ("cut.mhtml", lambda: SAVED[:60], "not a readable saved web page (the file's header does not end)"),
    ("no boundary.mhtml", lambda: re.sub(rb';\s*boundary="[^"]+"', b"", SAVED, count=1),
     "not a readable saved web page (a multipart with no boundary)"),
    ("latin.mhtml", lambda: chrome_mhtml("<p>Tallinn café</p>".encode("cp1252")),
     "its page is not UTF-8 text (invalid continuation byte at byte 14)"),
    ("big.mhtml", lambda: SAVED + bytes(60_000 - len(SAVED)),
     "0.1 MB, over the 0.05 MB limit (set CITEBOT_MAX_FILE_MB)"),
])
def test_a_saved_page_that_cannot_be_read_is_skipped_with_a_warning_naming_it_and_why(
        tmp_path, caplog, monkeypatch, name, make, reason):
    monkeypatch.setattr(mhtml, "MAX_PARTS", 4)
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.05")
    (tmp_path / name).write_bytes(make())
    (tmp_path / "good.txt").write_text("The ferry leaves at noon.", encoding="utf-8")
    assert read_with_warnings(tmp_path, caplog) == (["good.txt"], [(name, reason)], [f"skipping {name}: {reason}"])


def test_only_the_first_page_of_a_saved_file_is_decoded(monkeypatch):
    decoded = []
    real = mhtml._decoded
    monkeypatch.setattr(mhtml, "_decoded",
                        lambda found, body: decoded.append(found.get("Content-Location")) or real(found, body))
    page = mhtml.read_mhtml(SAVED)
    assert decoded == [SAVED_FROM]  # not the style sheet, the image or the ad's frame
    assert (page.url, page.title) == (SAVED_FROM, "Tallinn harbour tunnel to open in March | Baltic Morning News")


def test_a_saved_page_of_a_million_soft_line_breaks_is_read_in_less_than_twice_its_size_of_memory():
    # quoted-printable's soft line break "=\r\n" joins two lines; the email parser made a string of each
    page = b"<p>The ferry leaves at noon.</p>" + b"=\r\n" * 1_000_000 + b"<p>It returns at six.</p>"
    saved = chrome_mhtml(b"<p>PAGE</p>", parts=[]).replace(b"<p>PAGE</p>", page, 1)
    tracemalloc.start()
    try:
        read = mhtml.read_mhtml(saved)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (read.html, read.url) == ("<p>The ferry leaves at noon.</p><p>It returns at six.</p>", SAVED_FROM)
    assert peak < 2 * len(saved)  # was 26 times its 3 MB: 78 MB


def test_a_saved_page_whose_headers_hold_utf8_as_written_is_read_with_them_not_ending_the_build(tmp_path):
    # a header of UTF-8 as written, not in RFC 2047's =?utf-8?…?= (RFC 6532 allows it; a tool's or a hand's edit): the
    # email parser hands such a value over as a Header, not a str, and a page part's took `citebot index` down
    saved = (SAVED.replace(b"Content-Type: text/html\r\n", "Content-Type: text/html; charset=“utf-8”\r\n".encode(), 1)
             .replace(SAVED_FROM.encode(), f"{SAVED_FROM}/київ".encode(), 1)
             .replace(b"Subject: Tallinn harbour tunnel", "Subject: Таллінн: tunnel".encode(), 1))
    (tmp_path / "tunnel.mhtml").write_bytes(saved)
    corpus = read_corpus(tmp_path)
    assert corpus.skipped == []
    [article] = corpus.articles
    assert (article.url, article.title) == (f"{SAVED_FROM}/київ", "Tallinn harbour tunnel to open in March")
    assert article.text.startswith("Tallinn harbour tunnel to open in March\nThe harbour tunnel under Tallinn Bay")
    page = mhtml.read_mhtml(saved.replace(b"<title>", b"<title-x>"))
    assert page.title == "Таллінн: tunnel to open in March | Baltic Morning News"


def test_citebot_add_stores_a_saved_page_under_the_address_it_was_saved_from_and_the_next_question_finds_it(
        template, tmp_path):
    from tests.living import fresh_copy

    corpus, index = fresh_copy(template, tmp_path / "w")
    saved = tmp_path / "Downloads" / "Tallinn harbour tunnel.mhtml"
    saved.parent.mkdir()
    saved.write_bytes(SAVED)
    added = citebot("add", "--corpus", corpus, "--index", index, saved)
    # It was "citebot: error: cannot add …: only .txt, .md, .html, .pdf and .docx files can be added"
    assert added.returncode == 0, added.stderr
    line = added.stdout.splitlines()[0]
    assert re.fullmatch(r"added: Tallinn harbour tunnel to open in March, 2026-11-20 \(1 passage\) -> "
                        r"bmn\.example\.org/2026-11-20-tallinn-harbour-tunnel-to-open-in-march-[0-9a-f]{6}\.md",
                        line), line
    rel = line.rsplit(" -> ", 1)[1]
    meta, _ = frontmatter.parse((corpus / rel).read_text(encoding="utf-8"))
    assert (meta["url"], meta["author"], meta["file"]) == (SAVED_FROM, "Maarja Tamm", "Tallinn harbour tunnel.mhtml")
    asked = citebot("ask", "--json", "--corpus", corpus, "--index", index,
                    "When will the harbour tunnel under Tallinn Bay open to traffic?")
    assert asked.stderr == ""  # the add updated the index
    assert '"doc": "' + rel + '"' in asked.stdout


@pytest.mark.parametrize("name, make, reason", [
    ("images.mht", lambda: SAVED.replace(b"Content-Type: text/html", b"Content-Type: image/gif"),
     "no web page in it (no text/html part)"),
    ("renamed.mhtml", lambda: b"<html><body>A page</body></html>",
     "not a readable saved web page (it does not open with a MIME header, as a page saved as one file does)"),
])
def test_a_saved_page_sent_to_be_added_is_read_within_the_bounds_of_the_corpus_reader(tmp_path, name, make, reason):
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path).add_bytes(make(), name)
    assert str(refused.value) == f"cannot add {name}: {reason}"
    assert list(tmp_path.iterdir()) == []


def test_why_a_saved_page_an_admin_sent_is_not_added_is_said_in_each_language(tmp_path, monkeypatch):
    from bot.messages import explain

    monkeypatch.setattr(mhtml, "MAX_PARTS", 5)
    sent = {"images.mhtml": SAVED.replace(b"Content-Type: text/html", b"Content-Type: image/gif"),
            "cut.mhtml": SAVED[:60],
            "many.mhtml": _images_before_the_page(5),
            "latin.mhtml": chrome_mhtml("<p>Tallinn café</p>".encode("cp1252"))}
    said = []
    for name, data in sent.items():
        with pytest.raises(AddError) as refused:
            ArticleAdder(tmp_path).add_bytes(data, name)
        said.append([explain(refused.value, refused.value.reason, lang) for lang in ("en", "uk", "ro", "ru")])
    # each as a Word document's or a PDF's reasons are: in the language of the admin's Telegram
    assert said == [
        ["no web page in it (no text/html part)", "у ньому немає вебсторінки (немає частини text/html)",
         "nu conține nicio pagină web (nicio parte text/html)", "в нём нет веб-страницы (нет части text/html)"],
        ["not a readable saved web page (the file's header does not end)",
         "збережену вебсторінку не вдається прочитати (the file's header does not end)",
         "pagina web salvată nu poate fi citită (the file's header does not end)",
         "сохранённую веб-страницу не удаётся прочитать (the file's header does not end)"],
        ["no web page in its first 5 parts", "серед перших 5 частин файлу немає вебсторінки",
         "nicio pagină web printre primele 5 părți ale fișierului", "среди первых 5 частей файла нет веб-страницы"],
        ["its page is not UTF-8 text (invalid continuation byte at byte 14)", "це не текст у кодуванні UTF-8",
         "nu este text în codificarea UTF-8", "это не текст в кодировке UTF-8"],
    ]
