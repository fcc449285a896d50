"""Add articles to the corpus folder from a URL, a local file or raw text: once each, written atomically.

An article becomes ``<corpus>/<site>/<date>-<slug>-<hash>.md``: Markdown whose front-matter header
keeps the title, date, author and canonical URL (index/frontmatter.py; index/documents.py reads it).

>>> adder = ArticleAdder(Path("corpus"), Fetcher(timeout=10))
>>> added = adder.add("https://news.example.org/2026/11/20/summit")   # doctest: +SKIP
>>> added.title, added.rel, added.passages, added.duplicate_of          # doctest: +SKIP
('Summit opens in Vilnius', 'news.example.org/2026-11-20-summit-opens-in-vilnius-3f2a9c.md', 4, None)
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import itertools
import logging
import os
import re
import shlex
import string
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from html import unescape
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from index import frontmatter
from index.documents import (DOCX_SUFFIXES, HTML_SUFFIXES, MHTML_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES,
                             UNREAD_SUFFIXES, Article, Skipped, TooBig, _regular_size, corpus_names,
                             front_matter_article, make_article, max_file_bytes, read_bytes, read_file,
                             read_legacy, require_corpus_dir, text_header, utf16_codec, valid_date)
from index.documents import log as reader_log
from index.errors import CitebotError
from index.extract import NoArticle, Story, extract_article, paywall_pitch
from index.fetch import (DOCX_TYPES, HTML_TYPES, PAGE_TYPES, PDF_TYPES, Fetcher, FetchError, check_fetchable,
                         check_url, declared_codec)
from index.near_duplicates import Fingerprint, disagree, shingles, similarity
from index.passages import PassageSplitter
from index.transliteration import in_latin

LOCAL_FOLDER = "local"
MAX_FOLDER_BYTES = 255  # a site's folder: what a file name may be (NAME_MAX), so any real host name fits whole
LOCK_FILE = ".citebot-add.lock"  # in the corpus folder: adds take turns
# A host name with a dot, then a path or nothing: what a reader copies from an address bar without its https://
_ADDRESS_WITHOUT_SCHEME = re.compile(r"(?i)^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:/|$)")
ADDABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | MHTML_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES  # a local file's
NOT_ADDABLE = "only .txt, .md, .html, .mhtml, .pdf and .docx files can be added"
NEAR_IDENTICAL = 0.9  # Jaccard similarity of word 5-grams above which two texts are one story
ANOTHER_PAGE_SHARE = 0.5  # of a page's text, at most, that is the story its canonical link names: another page of it
# A page number in an address: a query parameter (?page=2, ?p=3, ?pagina=2, ?str=2, ?part=2, ?seite=2) or the path's
# last part (/2, /page/2, /pagina-2), what tells page 2 of a story from the address a feed or a site links the same page
# by.
_PAGE_PARAMETER = re.compile(r"(?i)^(?:page|p|pg|pag|pagina|paged|part|parte|seite|str|stranitsa|storinka)=\d{1,3}$")
_PAGE_IN_PATH = re.compile(r"(?i)/(?:(?:page|pagina|pag|p|str)[/-]?)?\d{1,2}/?$")
_NAMES_ITS_COPY = ("not_rewritten", "teaser_kept", "notice_kept")  # an AddError that names the stored copy already
# A <meta http-equiv="refresh"> and its content, "0; url=…" (a delay, then maybe "url=" and the address, maybe quoted),
# looked for in the first REFRESH_SNIFF characters of a page: in its <head>.
REFRESH_SNIFF = 65536
_META_TAG = re.compile(r"<meta\b[^<>]{0,4000}>", re.IGNORECASE)
_REFRESH = re.compile(r"""\bhttp-equiv\s*=\s*["']?\s*refresh\b""", re.IGNORECASE)
_CONTENT = re.compile(r"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_REFRESH_URL = re.compile(r"""\s*\d[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(["']?)(\S.*)""", re.IGNORECASE | re.DOTALL)
# An AMP page: its <html> tag marked "amp" or "⚡" (the AMP format's rule), past a doctype and comments. The comments'
# repetition is possessive: backtracking into it took twice as long for each comment more (60 comments: for ever).
_AMP = re.compile(r"(?is)\A\ufeff?\s*(?:<!doctype[^>]*>\s*|<!--.*?-->\s*)*+<html\b[^>]*?\s(?:amp|\u26a1)(?=[\s=/>])")


class AddError(CitebotError):
    """Why ``what`` could not be added, in one line: "cannot add WHAT: REASON"."""

    def __init__(self, what: str, reason: str, key: str | None = None, **values):
        super().__init__(f"cannot add {what}: {reason}", key=key, **values)
        self.what, self.reason = what, reason


@dataclass(frozen=True)
class Added:
    """One article added, updated (a new version of one stored before, written over it under its id: ``updated``),
    or found already there (``duplicate_of`` naming it)."""

    rel: str                        # the article id: its file relative to the corpus folder (#row for a jsonl row)
    title: str
    date: str | None
    passages: int
    duplicate_of: str | None = None
    updated: bool = False
    read_as: str | None = None      # the legacy encoding a file not in UTF-8 was read in: a guess, so the sender is told
    url: str | None = field(default=None, compare=False)  # the address it is stored under (a redirector's link is not)

    @property
    def is_new(self) -> bool:
        return self.duplicate_of is None and not self.updated


@dataclass(frozen=True)
class _Seen:
    """What the duplicate check keeps of one corpus article."""

    file: str                       # relative to the corpus folder
    id: str                         # the article id: the file, or file#row for a jsonl row
    urls: frozenset[str]            # canonical, and the address it was fetched from
    text: Fingerprint               # of its body's 5-grams: a fraction of them, read again in full when alike
    title: str = ""                 # as the build reads it
    file_name: str | None = None    # the name of the local file `citebot add` stored it from (its header's "file")


# Query parameters that are tracking by definition (a campaign's or an ad click's tag, never a page's): a link with them
# is the link without them ("?utm_source=rss" on every feed item's link made a stored story another link).
_TRACKING = re.compile(r"(utm_[^=]*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|yclid)(=.*)?", re.IGNORECASE)


# A site's mobile copy of its pages ("m.bbc.co.uk/news/…"), like its "www.", is one site.
_SITE_PREFIX = re.compile(r"\A(?:www\.|m\.(?=[^.:]+\.))")
# RFC 3986's equivalent spellings of one address: "%c3%a9", "%C3%A9" and "é" (a feed's link against a page's own).
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")


def _pages_apart(one: str, other: str) -> bool:
    """Whether ``one`` and ``other`` (canonical addresses) are two pages of one story: another page number alone
    (``/story`` and ``/story?page=2``, ``/story/2`` and ``/story/3``) tells them apart."""
    def unnumbered(address: str) -> str:
        parts = urlsplit(address)
        query = "&".join(q for q in parts.query.split("&") if q and not _PAGE_PARAMETER.match(q))
        return urlunsplit(parts._replace(path=_PAGE_IN_PATH.sub("", parts.path).rstrip("/"), query=query))
    return one != other and unnumbered(one) == unnumbered(other)


def canonical(url: str | None) -> str | None:
    """``url`` compared loosely: no fragment, no tracking parameter (utm_*, fbclid, gclid…), lower-case host and no
    "www." or mobile "m.", no trailing slash, http = https, one spelling of each escaped character. The one test of
    link identity: `citebot add` and feed items alike."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[x/a", a bracket never closed: no address to compare, the same only as itself
        return url.strip()
    path = _escaped(parts.path.rstrip("/") or "/")
    query = "&".join(_escaped(p) for p in parts.query.split("&") if p and not _TRACKING.fullmatch(p))
    return urlunsplit(("https", _SITE_PREFIX.sub("", parts.netloc.lower()), path, query, ""))


def _escaped(part: str) -> str:
    """``part`` of an address with every escape upper-case, an unreserved character's unescaped, and a character
    outside ASCII escaped as UTF-8 (how RFC 3986 compares addresses; "%2F" stays an escape, not a "/")."""
    def one(match: re.Match) -> str:
        char = chr(int(match.group()[1:], 16))
        return char if char in _UNRESERVED else match.group().upper()

    part = _ESCAPE.sub(one, part)
    # a lone surrogate (a byte of a link typed in another encoding than UTF-8) escaped too: never a traceback
    return "".join(c if ord(c) < 128 else quote(c.encode("utf-8", "surrogatepass"), safe="") for c in part)


def slug(text: str, limit: int = 60, transliterate: bool = True) -> str:
    """``text`` as a file name's words: lower-case ASCII letters and digits between hyphens, at most ``limit`` of them,
    or "article"; Cyrillic letters transliterated (``transliterate``; an older release dropped them)."""
    if transliterate:
        text = in_latin(text)  # a Ukrainian or Russian title names its file as an English one does, not "article"
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or "article"


def not_added(name: str) -> AddError | None:
    """Why a file called ``name`` is not added for its kind (what to save it as, in the words the build skips it with,
    where the build names its kind), None for a kind that is: `citebot add` and a file sent to the bot say the same."""
    suffix = Path(name).suffix.lower()
    if suffix in ADDABLE_SUFFIXES:
        return None
    if suffix in UNREAD_SUFFIXES:
        why = UNREAD_SUFFIXES[suffix]()
        if why.key in ("unread_table", "unread_json"):  # a .jsonl file, which add refuses in turn: say where it goes
            return AddError(name, f"{why}, in the corpus folder (citebot add takes no .jsonl file)", "unread_add_jsonl",
                            why=why)
        return AddError(name, str(why), why.key, **why.values)
    return AddError(name, NOT_ADDABLE, "not_addable")


class ArticleAdder:
    """Stores articles in ``corpus_dir`` as front-matter Markdown, skipping stories it already has.

    A story is already there when a corpus file has the same canonical URL or near-identical text
    (``near_identical``: Jaccard similarity of word 5-grams). Files are written to a hidden temporary
    name and renamed into place, so a crash leaves nothing half-written that the corpus reader would see.
    """

    def __init__(self, corpus_dir: Path, fetcher: Fetcher | None = None, near_identical: float = NEAR_IDENTICAL,
                 splitter: PassageSplitter | None = None):
        if not 0.0 < near_identical <= 1.0:
            raise ValueError("near_identical must be in (0, 1]")
        self.corpus_dir = Path(corpus_dir)
        self.fetcher = fetcher or Fetcher()
        self.near_identical = near_identical
        self.splitter = splitter or PassageSplitter()
        self._known: dict[str, tuple[_Seen, ...]] | None = None  # file -> its articles
        self._stamps: dict[str, tuple[int, int, int] | None] = {}  # file -> its size, mtime, ctime when read into _known

    # ---- entry points --------------------------------------------------------------------
    def add(self, target: str) -> Added:
        """Add a URL (http/https; one in the corpus already is fetched again) or a local file path; AddError says why
        not."""
        if re.match(r"^[a-zA-Z][\w+.-]*://", target):
            return self.add_url(target, refresh=True)
        return self.add_file(Path(target))

    def add_url(self, url: str, refresh: bool = False, fetched: Future | None = None) -> Added:
        """The page at ``url``, stored. A link whose address is in the corpus already is that article, not fetched
        (a feed's item is taken once), unless ``refresh``: then it is fetched again (a conditional GET when the stored
        copy keeps the page's ETag or Last-Modified) and, when its text, title or date changed (news gets corrected),
        it replaces the stored copy in place, under the same id. A page that can no longer be read (gone, a 404 or
        410, or with no article text) leaves the stored copy as it is, and the AddError says so. ``fetched``: the page
        fetched already (a feed's items are fetched a few at once), in place of the fetch of a link not stored; its
        error is this fetch's."""
        try:
            url = check_fetchable(url)  # a #!/ route is refused before the page before its # is looked up stored
            known = self._page_by_url(url)
            if known and not refresh:
                return self._existing(known)
            try:
                page = fetched.result() if fetched is not None and known is None else self.fetcher.get(
                    url, accept=PAGE_TYPES, **self._validators(known, url))
                if page.status == 304 and known is not None:  # not modified since the stored copy was fetched
                    return self._existing(known)
                page = self._refreshed(page)
                validators = {"etag": page.headers.get("etag"), "last_modified": page.headers.get("last-modified")}
                if page.content_type in PDF_TYPES or page.body.startswith(b"%PDF-"):
                    return self.add_pdf(page.body, page.url, what=url, validators=validators)
                if page.content_type in DOCX_TYPES:
                    return self.add_docx(page.body, Path(urlsplit(page.url).path).name or "document.docx", what=url,
                                         url=page.url, validators=validators)
                landed, amp = canonical(page.url), bool(_AMP.match(page.text))
                if amp or (known is not None and landed != canonical(url) and landed not in known.urls):
                    own = self._own_page(page, known, url, amp)
                    if own is not None:  # a copy of the story (an AMP or mobile page), often a short one: its own page
                        return self.add_html(own.text, own.url, what=url, fetched=url)
                return self.add_html(page.text, page.url, what=url, validators=validators)
            except CitebotError as exc:
                if known is None or exc.key in _NAMES_ITS_COPY:
                    raise
                raise self._kept(url, known, exc) from None
        except AddError:
            raise
        except CitebotError as exc:
            raise AddError(url, str(exc), exc.key, **exc.values) from None

    def _refreshed(self, page):
        """The page a page with no article text sends a browser to by its ``<meta http-equiv="refresh">`` (what t.co
        answers a browser with, a site's "you are being redirected" page), as a redirect is followed: at most the
        fetcher's redirects, none back to a page asked; else ``page``. A page with article text stays itself, whatever
        it refreshes to (a front page reloading itself every few minutes), and so does one saying it is not found (a
        removed story's page sending its reader home)."""
        asked = {canonical(page.url)}
        for _ in range(self.fetcher.max_redirects):
            target = _refresh_target(page)
            if target is None or canonical(target) in asked:
                return page
            try:
                extract_article(page.text, url=page.url)
                return page
            except NoArticle as exc:
                if exc.key == "not_found_page":  # a soft 404 sending its reader home: the home page is no story of it
                    return page
            asked.add(canonical(target))
            page = self.fetcher.get(target, accept=PAGE_TYPES)
        return page

    def stored(self, url: str) -> bool:
        """Whether the corpus holds the article of ``url`` (the address it was fetched from, or its canonical URL)."""
        try:
            return bool(self._at_url(check_url(url), self._every_known()))
        except CitebotError:
            return False

    def add_file(self, path: Path) -> Added:
        what = str(path)
        suffix = path.suffix.lower()
        ours = suffix in ADDABLE_SUFFIXES
        address = _ADDRESS_WITHOUT_SCHEME.match(what)
        if (address and not os.path.lexists(path) and not os.path.lexists(address.group().rstrip("/"))
                and (not ours or address.group().endswith("/"))):
            # "example.org/story" (or ".../story.html") is no file here: the reader meant the page (a scheme says which,
            # and no guess between http and https is made for them); "notes.txt" alone reads as a host name too
            raise AddError(what, f"no such file; to add the web page, give its whole address: https://{what}",
                           "no_such_file_address", address=f"https://{what}")
        if os.path.isdir(path):  # not read: a folder's files may be anything, its subfolders a whole archive
            raise AddError(what, f"a folder, not a file; to add its files, name them: citebot add {shlex.quote(what)}/*",
                           "a_folder", command=f"citebot add {shlex.quote(what)}/*")
        if not ours:
            raise not_added(what)
        try:  # a regular file, read no further than the limit (a FIFO would block, /dev/zero never end)
            data = read_bytes(path, self.fetcher.max_bytes)
        except TooBig:
            raise self._too_big(what) from None
        except ValueError as exc:
            raise AddError(what, str(exc)) from None
        except OSError as exc:  # no such file, or one not to be read: the system's reason, which REASONS words anew
            raise AddError(what, exc.strerror or str(exc), "os_error", why=exc) from None
        return self.add_bytes(data, path.name, what=what)

    def add_bytes(self, data: bytes, name: str, what: str | None = None) -> Added:
        """A file's content (say a chat attachment called ``name``): .html, .mhtml, .pdf and .docx extracted, .txt/.md as
        they are."""
        what = what or name
        suffix = Path(name).suffix.lower()
        if len(data) > self.fetcher.max_bytes:
            raise self._too_big(what)
        if suffix in PDF_SUFFIXES:
            return self.add_pdf(data, None, what=what, stem=Path(name).stem)
        if suffix in DOCX_SUFFIXES:
            return self.add_docx(data, name, what=what)
        if suffix in MHTML_SUFFIXES:
            return self.add_saved_page(data, name, what=what)
        # A page saved from a browser keeps its charset, which its <meta> (or byte-order mark) names: read as if fetched;
        # a text file (or a page naming no charset) as the corpus reader reads it (UTF-8, UTF-16 by its byte-order mark,
        # or an editor's "ANSI", windows-1251 or -1250, when which one can be told: with a warning naming it).
        codec = declared_codec(data) if suffix in HTML_SUFFIXES else utf16_codec(data)
        if b"\x00" in data and not codec:
            raise AddError(what, "a binary file, not text", "binary")
        read_as = None
        try:
            text = data.decode(codec or "utf-8-sig")
        except UnicodeDecodeError:
            read = read_legacy(data, what) if codec is None else None
            if read is None:
                named = "UTF-8" if codec in (None, "utf-8", "utf-8-sig") else codec
                raise AddError(what, f"not {named} text", "not_text", codec=named) from None
            text, read_as = read
        if "\x00" in text:
            raise AddError(what, "a binary file, not text", "binary")
        if suffix in HTML_SUFFIXES:
            return replace(self.add_html(text, None, what=what), read_as=read_as)
        if suffix not in TEXT_SUFFIXES:
            raise AddError(what, NOT_ADDABLE, "not_addable")
        meta, body_start = text_header(text, suffix)  # as the corpus reader reads it (`Title:`, Notion)
        if not all(_utf8(value) for value in meta.values()):
            raise AddError(what, "its front matter escapes a lone surrogate, not UTF-8 text", "surrogate")
        try:  # as the corpus reader reads the file: a leading "date 2023-04-20 …" line is its date, not content
            article = front_matter_article(name, text, meta, body_start)
        except ValueError:
            raise AddError(what, "the file is empty", "empty_file") from None
        story = Story(text[article.body_start:].strip(), title=meta.get("title"), date=article.date,
                      author=meta.get("author"), url=article.url)
        return replace(self._store(story, what, folder=LOCAL_FOLDER, stem=Path(name).stem), read_as=read_as)

    def add_html(self, html: str, url: str | None, what: str, validators: dict | None = None,
                 fetched: str | None = None) -> Added:
        """A page (fetched from ``url``; stored as fetched from ``fetched`` when that is given)."""
        try:
            story = extract_article(html, url=url)
        except CitebotError as exc:
            raise AddError(what, str(exc), exc.key, **exc.values) from None
        folder = urlsplit(story.url or url or "").hostname or LOCAL_FOLDER
        return self._store(story, what, folder=folder, stem=story.title or "article", fetched=fetched or url,
                           validators=validators)

    def _own_page(self, page, known: _Seen | None, what: str, amp: bool):
        """The page of the story at its own (canonical) address, fetched, when ``page`` is a copy of it elsewhere: an
        AMP page (``amp``), or the page a stored link (of ``known``) now leads to that names that story's address (a
        mobile redirect). None when ``page`` is no such copy, or, for a link not stored, when its own page cannot be
        read (the copy is then the story as far as can be told); for a stored one, AddError, and the stored copy is
        kept (an AMP copy is often a short version, and would be written over the story)."""
        try:
            story = extract_article(page.text, url=page.url)
        except CitebotError:
            return None  # no article: said as for any page
        own = canonical(story.url)
        if own is None or own == canonical(page.url) or not (amp or own in known.urls):
            return None
        given = canonical(page.url) == canonical(what)  # the link given is the copy: it leads nowhere else
        copy = "it is a copy" if given else f"it now leads to {page.url}, a copy"
        try:
            found = self.fetcher.get(story.url, accept=PAGE_TYPES)
        except CitebotError as exc:
            if known is None:
                return None
            raise AddError(what, f"{copy} of the story, whose own page {story.url} cannot be read: {exc}",
                           "copy_given" if given else "copy_elsewhere", to=page.url, own=story.url, cause=exc) from None
        if canonical(found.url) != own or found.content_type in PDF_TYPES + DOCX_TYPES:
            if known is None:
                return None
            raise AddError(what, f"{copy} of the story, whose own page {story.url} leads to {found.url}",
                           "copy_given_too" if given else "copy_elsewhere_too", to=page.url, own=story.url,
                           then=found.url)
        return found

    def add_pdf(self, data: bytes, url: str | None, what: str, stem: str | None = None,
                validators: dict | None = None) -> Added:
        """A PDF (fetched from ``url``, or a file named ``stem``.pdf), stored as its text under a front matter of the
        title and date its metadata give: the text the corpus reader would extract from the PDF (index/pdf.py)."""
        from index.pdf import read_pdf  # pypdf's import, only for a PDF

        stem = stem or Path(urlsplit(url or "").path).stem or "document"
        try:
            doc = read_pdf(data, max_chars=max_file_bytes(), name=f"{stem}.pdf")
        except ValueError as exc:  # index.pdf.Unreadable: its key names it in the bot's other languages
            raise AddError(what, str(exc), getattr(exc, "key", None), **getattr(exc, "values", {})) from None
        story = Story(doc.text, title=doc.title, date=doc.date, url=url)
        return self._store(story, what, folder=urlsplit(url or "").hostname or LOCAL_FOLDER, stem=stem, fetched=url,
                           validators=validators)

    def add_docx(self, data: bytes, name: str, what: str, url: str | None = None,
                 validators: dict | None = None) -> Added:
        """A Word document (a file called ``name``, fetched from ``url`` when one is given), stored as the text the
        corpus reader reads from it (index/docx.py, within its bounds: a zip bomb is refused), titled and dated as the
        reader titles and dates it."""
        from index.docx import read_docx  # lxml's import, only for a Word document

        try:
            text = read_docx(data, max_chars=max_file_bytes())
            article = make_article(name, text, name)  # a leading "date 2023-04-20" line is its date, not content
        except ValueError as exc:
            if str(exc) == "no text":
                raise AddError(what, "the file is empty", "empty_file") from None
            # index.docx.Unreadable: its key names it in the bot's other languages
            raise AddError(what, str(exc), getattr(exc, "key", None), **getattr(exc, "values", {})) from None
        story = Story(text[article.body_start:].strip(), date=article.date, url=url)
        return self._store(story, what, folder=urlsplit(url or "").hostname or LOCAL_FOLDER, stem=Path(name).stem,
                           fetched=url, validators=validators)

    def add_saved_page(self, data: bytes, name: str, what: str) -> Added:
        """A web page saved as one file (.mhtml, a file called ``name``), stored as the page it holds would be (index/
        mhtml.py reads it), its link the page's canonical one, else the address it was saved from."""
        from index.mhtml import read_mhtml

        try:
            page = read_mhtml(data)
            story = extract_article(page.html, url=page.url)
        except ValueError as exc:  # index.mhtml.Unreadable: its key names it in the bot's other languages
            raise AddError(what, str(exc), getattr(exc, "key", None), **getattr(exc, "values", {})) from None
        except CitebotError as exc:
            raise AddError(what, str(exc), exc.key, **exc.values) from None
        if not story.title and page.title:
            story = replace(story, title=page.title)
        folder = urlsplit(story.url or "").hostname or LOCAL_FOLDER
        return self._store(story, what, folder=folder, stem=story.title or Path(name).stem)

    def _too_big(self, what: str) -> AddError:
        limit = self.fetcher.max_bytes
        return AddError(what, f"the file is over the {limit:,}-byte limit", "file_over", limit_bytes=limit)

    # ---- storing -------------------------------------------------------------------------
    def _store(self, story: Story, what: str, folder: str, stem: str, fetched: str | None = None,
               validators: dict | None = None) -> Added:
        """``story`` written into the corpus: as a new article, over the article it is a new version of, or not at all
        when the corpus has it already. ``fetched``: where a page came from (``what`` is then the link given);
        ``validators``: the ETag and Last-Modified it came with."""
        require_corpus_dir(self.corpus_dir)
        # Stored as the story's address, not as the link it was reached by: a feed's ?utm_source=rss (a page naming no
        # canonical link) was cited with every answer from it.
        story, fetched = replace(story, url=_untracked(story.url)), _untracked(fetched)
        with self._lock(what):
            seen = tuple(self._every_known())  # one look at the corpus for every check
            source = None if fetched else Path(what).name  # a local file's (or a chat attachment's) name
            earlier = self._earlier_version(story, what, fetched, source, seen)
            if earlier and fetched and not _addresses(fetched, story.url) & earlier.urls:
                # The link of a stored story now redirects to another page (many sites send a removed story's readers
                # to a section's front page): not the story's new version.
                raise AddError(what, f"it now leads to {fetched}, another page", "elsewhere", to=fetched)
            if earlier:
                return self._replace(earlier, story, what, fetched, validators or {}, source)
            # A local file naming a stored page that it is no new version of is another note about that page (see
            # _earlier_version): not the page already known
            known = self._page_by_url(story.url, seen) if source is None else None
            if known and fetched and self._another_page(known, story, fetched):
                # Page 2 of a paginated story, whose canonical link names page 1 (as many do): stored under its own
                # address, where it was "already known" as page 1 and its text never stored
                story, known = replace(story, url=fetched), None
            known = known or self._by_text(story.text, seen)
            if known:
                return self._existing(known)
            pitch = paywall_pitch(story.text)
            if pitch:  # a story new to the corpus, behind a paywall: its opening and the offer were stored as the story
                raise AddError(what, f"the page shows only the story's opening and an offer to subscribe (“{pitch}…”), "
                                     f"not the whole story: open it in a browser where you are signed in as a "
                                     f"subscriber, save the page as HTML and add that file", "paywall_teaser",
                               opening=pitch)
            key = canonical(story.url) or story.text
            # The date and folder come from the page or the file: a date is YYYY-MM-DD or dropped (a
            # front matter's "../../x" wrote outside the corpus), and a folder neither starts nor ends
            # with a dot (".hidden.example" is a folder the corpus reader never enters; ".." is the parent), nor
            # is longer than a file name may be (a page's canonical link to a 300-letter host failed every add).
            date = valid_date(story.date)
            folder = _site_folder(folder)
            words = slug(story.title or stem)
            # A name that opens with its day (a daily note's "2023-04-20", a Jekyll post's "2023-04-20-ferry-plans",
            # the day it is dated by) is not given it twice: "2023-04-20-2023-04-20-ae4bbf.md"
            dated = date and not (words == date or words.startswith(date + "-"))
            # A name another article has is not taken: two notes naming one page (so one digest) whose titles differ
            # only past a name's words had the second written over the first, its text lost
            for attempt in itertools.count():
                digest = hashlib.sha256(f"{key}\n{attempt}".encode() if attempt else key.encode()).hexdigest()[:6]
                name = f"{date + '-' if dated else ''}{words}-{digest}.md"
                target = self.corpus_dir / folder / name
                if not os.path.lexists(target):
                    break
            if not target.resolve().is_relative_to(self.corpus_dir.resolve()):
                raise AddError(what, f"{folder}/{name} would be outside the corpus folder")
            header = {"title": story.title, "date": date, "author": story.author, "url": story.url,
                      "fetched": fetched if fetched and fetched != story.url else None, "file": source,
                      **_validator_fields(validators), "added": _now()}
            rel = target.relative_to(self.corpus_dir).as_posix()
            try:
                article = _write_atomically(target, frontmatter.render(header, story.text),
                                            check=lambda written: self._as_built(written, rel, what))
            except OSError as exc:  # a full disk, a folder the user may not write: this article's error, not the run's
                raise AddError(what, f"cannot write {rel} in the corpus folder {self.corpus_dir}: "
                                     f"{exc.strerror or exc}", "cannot_write", file=rel, folder=self.corpus_dir,
                               why=exc) from None
            self._known[rel] = (self._seen(rel, rel, _addresses(story.url, fetched), story.text, article.title,
                                           source),)
            return self._added(rel, article)

    def _earlier_version(self, story: Story, what: str, fetched: str | None, source: str | None, seen) -> _Seen | None:
        """The stored article that ``story`` is a new version of, if one is. For a page: the one stored from its
        address (the link given, or where it led), not one that only shares its canonical URL (an AMP or partner's
        copy names it too). For a file: the one at the address its front matter or canonical link names, when stored
        from a file of the same name, near-identical to it or of its title (two notes naming one page as their source,
        an interview's and a fact check's, are two notes: the second was written over the first, its text lost), else
        one stored from a file of the same name that is near-identical to it or has its title."""
        if fetched:  # (not another page of a paginated story that names one address for all: see _another_page)
            at = self._at_url(what, seen) + self._at_url(fetched, seen)
            pages = itertools.chain((s for s in at if s.file_name is None), (s for s in at if self._alike(s, story)))
            return next((s for s in pages if not self._another_page(s, story, fetched)), None)
        if story.url:  # or, a link given to a note stored with none (as its "Source:" line was read as text), its file's
            return self._version_at(story, source, seen) or self._same_file(story, source, seen)
        return self._same_file(story, source, seen)

    def _version_at(self, story: Story, source: str | None, seen) -> _Seen | None:
        """The article stored at the address ``story``, of a local file called ``source``, names that it is a new
        version of: stored from a file of that name, else near-identical to it, else of its title. Each article at that
        address is asked, not the first alone: two notes may name one page (the second of them, edited and added again,
        was asked against the first and "added:" anew, beside itself)."""
        wanted = canonical(story.url)
        pages = [s for s in seen if wanted in s.urls]
        if not pages:
            return None
        mine = shingles(story.text)
        title = _as_read("new.md", frontmatter.render({"title": story.title}, story.text)).title
        return (next((s for s in pages if source is not None and s.file_name == source), None)
                or next((s for s in pages if similarity(mine, self._shingles(s)) >= self.near_identical), None)
                or next((s for s in pages if s.title == title), None))

    def _same_file(self, story: Story, source: str, seen) -> _Seen | None:
        """The article `citebot add` stored from a local file called ``source`` (its header's "file"; for one stored
        before the header named it, by its stored name) that ``story`` corrects: near-identical, or of the same title
        (a correction of more words). None when there is none, or more than one of that title."""
        named = "|".join(re.escape(slug(story.title or Path(source).stem, transliterate=latin))  # as _store names it
                         for latin in (True, False))  # or an older release, which named a Cyrillic title's "article"
        stored_as = re.compile(rf"{LOCAL_FOLDER}/(?:\d{{4}}-\d{{2}}-\d{{2}}-)?(?:{named})-[0-9a-f]{{6}}\.md")
        alike = [s for s in seen if not s.urls and s.id == s.file and s.file.endswith(".md")
                 and (s.file_name == source if s.file_name else stored_as.fullmatch(s.file))]
        if not alike:
            return None
        mine = shingles(story.text)
        read = [(s, *self._read_now(s)) for s in alike]
        score, best = max(((similarity(mine, shingles(body)), s) for s, body, _ in read), key=lambda pair: pair[0])
        if score >= self.near_identical:
            return best
        title = _as_read("new.md", frontmatter.render({"title": story.title}, story.text)).title
        titled = [s for s, _, its_title in read if its_title == title]
        return titled[0] if len(titled) == 1 else None

    def _read_now(self, seen: _Seen) -> tuple[str, str]:
        """The body and title of ``seen``, a note `citebot add` stored from a local file, as that file is read now: an
        older release stored a .txt note's "Title:", "Date:", "Source:" lines as its text (see text_header), and the
        note added again was compared with them, stored a second time beside itself."""
        body = self._body(seen)
        meta, start = text_header(body, ".txt")
        if not start:
            return body, seen.title
        return body[start:], _as_read("old.md", frontmatter.render({"title": meta.get("title")}, body[start:])).title

    def _replace(self, seen: _Seen, story: Story, what: str, fetched: str | None, validators: dict,
                 source: str | None) -> Added:
        """``seen``'s stored copy rewritten as ``story`` in place, under its id (so the index embeds only the passages
        that changed, and a citation of it keeps its id), when its text, title or date differ; else ``seen``, there
        already. An article that `citebot add` did not write (a .jsonl row, an .html or .pdf file) is not rewritten:
        AddError, unless ``story`` is near-identical to it."""
        path = self.corpus_dir / seen.file
        articles, skipped = self._read(path)
        stored = next((a for a in articles if a.id == seen.id), None)
        if stored is None:
            raise CitebotError(f"cannot read back {seen.id}: {skipped[0].reason if skipped else 'no article'}",
                               key="cannot_read_back", id=seen.id, why=skipped[0] if skipped else "no article")
        old = _header(stored)
        header = {"title": story.title, "date": valid_date(story.date), "author": story.author, "url": story.url,
                  "fetched": None, "file": source or old.get("file"), **_validator_fields(validators),
                  "added": old.get("added"), "updated": _now()}
        from_page = fetched is not None  # fetched now, not a file's version (which its owner shortened, if shorter)
        fetched = fetched or old.get("fetched")  # a file's version keeps the address its page was fetched from
        header["fetched"] = fetched if fetched and canonical(fetched) != canonical(story.url) else None
        text = frontmatter.render(header, story.text)
        if seen.id != seen.file or path.suffix != ".md" or "added" not in old:
            # Not a file `citebot add` wrote (a .jsonl row, an .html or .pdf file, a person's own .md): its text did not
            # come from this page as it is extracted here, so it is the page's only when near-identical (as before),
            # and it is not rewritten otherwise.
            if similarity(shingles(story.text), shingles(stored.text[stored.body_start:])) >= self.near_identical:
                return self._added(seen.id, stored, duplicate_of=seen.id)
            if seen.id != seen.file:  # a .jsonl row, which citebot remove does not take out
                raise AddError(what, f"it is a new version of {seen.id}, which is not rewritten in place (only the "
                                     f"files citebot add writes are): correct it there, or delete it and add this "
                                     f"again", "not_rewritten", id=seen.id)
            raise AddError(what, f"it is a new version of {seen.id}, which is not rewritten in place (only the files "
                                 f"citebot add writes are): correct it there, or take it out with citebot remove "
                                 f"{shlex.quote(seen.id)} and add this again", "not_rewritten_file", id=seen.id)
        fresh = _as_read(seen.file, text)
        if (fresh.text[fresh.body_start:].strip(), fresh.title, fresh.date) == \
                (stored.text[stored.body_start:].strip(), stored.title, stored.date):
            return self._added(seen.id, stored, duplicate_of=seen.id)
        teaser = _teaser(stored.text[stored.body_start:], story.text) if from_page else None
        if teaser:  # a paywall's teaser, a consent wall, a notice: not the story's new version, which would erase it
            opening, words, others = teaser
            shows = (f"the page now shows only the first {opening:,} of the story's {words:,} words (a paywall or a "
                     f"sign-in wall?)" if opening else
                     f"the page now shows none of the story's {words:,} words, but {others:,} others (a notice, a "
                     f"consent wall?)")
            raise AddError(what, f"{shows}; the copy in the corpus, {seen.id}, is kept (to store the page as it is now, "
                                 f"take it out with citebot remove {shlex.quote(seen.id)} and add the link again)",
                           "teaser_kept" if opening else "notice_kept",
                           first=opening, words=words, others=others, id=seen.id)
        try:
            article = _write_atomically(path, text, check=lambda written: self._as_built(written, seen.file, what))
        except OSError as exc:
            raise AddError(what, f"cannot write {seen.file} in the corpus folder {self.corpus_dir}: "
                                 f"{exc.strerror or exc}", "cannot_write", file=seen.file, folder=self.corpus_dir,
                           why=exc) from None
        self._known[seen.file] = (self._seen(seen.file, seen.file, _addresses(story.url, header["fetched"]),
                                             story.text, article.title, header["file"]),)
        return self._added(seen.file, article, updated=True)

    def _validators(self, known: _Seen | None, url: str) -> dict:
        """``etag`` and ``modified`` for a conditional GET of ``url``: what its last answer said, where the stored copy
        of ``known`` was fetched from ``url`` and keeps them."""
        if known is None or known.id != known.file:
            return {}
        articles, _ = self._read(self.corpus_dir / known.file)
        meta = next((_header(a) for a in articles if a.id == known.id), {})
        if canonical(meta.get("fetched") or meta.get("url")) != canonical(url):
            return {}
        return {"etag": meta.get("etag"), "modified": meta.get("last_modified")}

    def _kept(self, what: str, known: _Seen, exc: CitebotError) -> AddError:
        """Why the page of ``known``, stored before, could not be stored again: its stored copy is left as it was."""
        reason = exc.reason if isinstance(exc, AddError) else str(exc)
        status = str(exc.values.get("status", "")).split(" ")[0] if exc.key == "http_status" else ""
        if exc.key == "not_found_page":  # a removed story's address answering 200 OK, "Page not found": as a 404
            status = "404"
        stored = self._stored_from(known)
        if status in ("404", "410") and stored and not any(_same_address(what, s) for s in stored):
            # another address of it ("…/story/" for "…/story"), which its site need not serve: no sign of a retraction
            return AddError(what, f"{reason}; the copy in the corpus, {known.id}, is kept: it was stored from "
                                  f"{stored[0]}, another address (to fetch it again: citebot add "
                                  f"{shlex.quote(stored[0])})", "gone_kept_elsewhere", cause=exc, id=known.id,
                            stored=stored[0])
        if status in ("404", "410") and known.id != known.file:  # a .jsonl row, which citebot remove does not take out
            return AddError(what, f"{reason}; the copy in the corpus, {known.id}, is kept (if the story was retracted, "
                                  f"delete its line in {known.file})", "gone_kept_row", cause=exc, id=known.id,
                            file=known.file)
        if status in ("404", "410"):  # a retracted story, maybe: deleting it is a person's decision, not a fetch's
            return AddError(what, f"{reason}; the copy in the corpus, {known.id}, is kept (if the story was retracted, "
                                  f"take it out: citebot remove {shlex.quote(known.id)})", "gone_kept", cause=exc,
                            id=known.id)
        return AddError(what, f"{reason}; the copy in the corpus, {known.id}, is kept", "kept", cause=exc, id=known.id)

    def _stored_from(self, known: _Seen) -> list[str]:
        """The addresses of ``known``'s stored copy: the one its page was fetched from first, then its own."""
        articles, _ = self._read(self.corpus_dir / known.file)
        article = next((a for a in articles if a.id == known.id), None)
        if article is None:
            return []
        meta = _header(article) if known.id == known.file else {}
        return [url for url in (meta.get("fetched"), article.url) if url]

    def _as_built(self, written: Path, rel: str, what: str) -> Article:
        """The article of ``written`` as the build will read it at ``rel``; AddError when the build would skip it."""
        articles, skipped = self._read(written)
        if not articles:
            raise AddError(what, f"the build would skip {rel}: {skipped[0].reason if skipped else 'no article'}",
                           "build_would_skip", rel=rel, why=skipped[0] if skipped else "no article")
        return articles[0]

    def _existing(self, seen: _Seen) -> Added:
        """The corpus article that ``seen`` stands for, as a duplicate."""
        articles, skipped = self._read(self.corpus_dir / seen.file)
        article = next((a for a in articles if a.id == seen.id), None)
        if article is None:
            raise CitebotError(f"cannot read back {seen.id}: {skipped[0].reason if skipped else 'no article'}",
                               key="cannot_read_back", id=seen.id, why=skipped[0] if skipped else "no article")
        return self._added(seen.id, article, duplicate_of=seen.id)

    def _added(self, rel: str, article: Article, duplicate_of: str | None = None, updated: bool = False) -> Added:
        """``article``, known as ``rel``, as ``add`` reports it."""
        return Added(rel, article.title, article.date, len(self.splitter.split(article)), duplicate_of, updated,
                     url=article.url)

    def _read(self, path: Path) -> tuple[list[Article], list[Skipped]]:
        """The articles of a corpus file as the build reads them, and what it skips, without the build's warnings."""
        skipped: list[Skipped] = []
        with _reader_quiet():
            return read_file(self.corpus_dir, path, skipped), skipped

    @contextmanager
    def _lock(self, what: str):
        # The bot and `citebot add` may add at once: checking for duplicates and writing is one step.
        with os.fdopen(_open_lock(self.corpus_dir / LOCK_FILE, what), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ---- what is there already ----------------------------------------------------------------
    def known(self) -> dict[str, tuple[_Seen, ...]]:
        """Every article of the corpus, by file, as the build reads it: its URLs and its body's fingerprint.

        Read once; later calls read only files that appeared or changed since (another process may add too, or
        append to a .jsonl file).
        """
        known = self._known or {}
        present = corpus_names(self.corpus_dir)
        stamps = {rel: _stamp(path) for rel, path in present.items()}
        known = {rel: seen for rel, seen in known.items() if rel in present and self._stamps.get(rel) == stamps[rel]}
        for rel, path in present.items():
            if rel in known:
                continue
            # A file at a time, as the build reads it: a FIFO, a file (or jsonl line) over CITEBOT_MAX_FILE_MB...
            # are not opened, and of what is read only the URLs and a fingerprint are kept.
            articles, _ = self._read(Path(path))
            headers = [_header(a) for a in articles]
            known[rel] = tuple(self._seen(rel, a.id, _addresses(a.url, h.get("fetched")), a.text[a.body_start:], a.title,
                                          h.get("file")) for a, h in zip(articles, headers))
        self._known, self._stamps = known, stamps
        return known

    def _seen(self, file: str, id_: str, urls: frozenset[str], body: str, title: str = "",
              file_name: str | None = None) -> _Seen:
        return _Seen(file, id_, urls, Fingerprint.of(shingles(body), self.near_identical), title, file_name)

    def _at_url(self, url: str | None, seen) -> list[_Seen]:
        """The articles of ``seen`` at ``url`` (its canonical address, or the one it was fetched from)."""
        wanted = canonical(url)
        return [s for s in seen if wanted in s.urls] if wanted is not None else []

    def _page_by_url(self, url: str | None, seen=None) -> _Seen | None:
        """The article stored as the page at ``url``, not from a local file: a note naming the page as its source is
        another article (taken for the page's copy, it was written over by the page, or the page "already known" as
        it); a page saved as a file is the page's copy where the page fetched is near-identical to it or of its title
        (see _earlier_version)."""
        found = self._at_url(url, seen if seen is not None else self._every_known())
        return next((s for s in found if s.file_name is None), None)

    def _another_page(self, known: _Seen, story: Story, fetched: str) -> bool:
        """Whether ``story``, fetched from ``fetched`` and sharing an address with ``known`` (its canonical link), is
        another page of that story rather than a copy or a new version of it (an AMP or a print version, a correction):
        page 2 of a paginated story whose every page names page 1 as its canonical link, or page 1 after page 2 was
        stored. So it is when ``known`` is a page `citebot add` stored (not a .jsonl row, a saved page or a person's
        note, which may be a summary of the story under its address), fetched from an address that is the one ``known``
        was stored from with another page number (``/story?page=2`` and ``/story``: not a feed's ``/2026/12/07/story.html``
        for ``/story``, whose page rewritten in place is the story's update), and at most half of its text (its
        5-grams) is ``known``'s."""
        if canonical(story.url) not in known.urls or known.id != known.file or known.file_name is not None:
            return False  # (a stored link now leading to another page is not its page either)
        articles, _ = self._read(self.corpus_dir / known.file)
        article = next((a for a in articles if a.id == known.id), None)
        meta = _header(article) if article is not None else {}
        if "added" not in meta or not _pages_apart(canonical(meta.get("fetched") or article.url), canonical(fetched)):
            return False  # (the same address, or another of the same page: a story rewritten in place is its update)
        mine = shingles(story.text)
        return len(mine & self._shingles(known)) <= ANOTHER_PAGE_SHARE * len(mine)

    def _alike(self, seen: _Seen, story: Story) -> bool:
        """Whether ``story`` is near-identical to ``seen`` or of its title."""
        if similarity(shingles(story.text), self._shingles(seen)) >= self.near_identical:
            return True
        return seen.title == _as_read("new.md", frontmatter.render({"title": story.title}, story.text)).title

    def _by_text(self, text: str, seen) -> _Seen | None:
        """The corpus article whose body's 5-grams are near-identical to ``text``'s and that states its figures, if
        one is: near-identical words with a figure each lacks ("rose to 12", "rose to 15") are the story moved on,
        another report of it, not a copy."""
        mine = shingles(text)
        fingerprint = Fingerprint.of(mine, self.near_identical)
        alike = (s for s in seen if fingerprint.may_reach(s.text, self.near_identical))
        scored = ((similarity(mine, shingles(body)), s, body) for s in alike for body in (self._body(s),))
        same = sorted((pair for pair in scored if pair[0] >= self.near_identical), key=lambda pair: -pair[0])
        return next((s for _, s, body in same if not disagree(text, body)), None)

    def _shingles(self, seen: _Seen) -> frozenset[int]:
        """The 5-grams of ``seen``'s body (none when it has gone or changed id)."""
        return shingles(self._body(seen))

    def _body(self, seen: _Seen) -> str:
        """``seen``'s body, read again from its file ("" when it has gone or changed id)."""
        articles, _ = self._read(self.corpus_dir / seen.file)
        return next((a.text[a.body_start:] for a in articles if a.id == seen.id), "")

    def _every_known(self):
        """Every article of the corpus, as ``known()`` keeps it."""
        return itertools.chain.from_iterable(self.known().values())


def _teaser(stored: str, new: str) -> tuple[int, int, int] | None:
    """How many words of the ``stored`` story's opening a page's ``new`` text shows, of how many, and how many others,
    when it is not the story's new version: at most half as many words, and of the story only its opening (what a
    paywall or a sign-in wall shows) or none of it (a consent wall, a notice), the rest other words. None when ``new``
    is a version of the story: of half its words or more (a correction), or keeping parts of it past its opening
    (paragraphs cut out of it)."""
    old_words, new_words = _WORDS.findall(stored.lower()), _WORDS.findall(new.lower())
    if len(new_words) * 2 > len(old_words):
        return None
    opening = next((i for i, (a, b) in enumerate(zip(old_words, new_words)) if a != b), len(new_words))
    rest = new_words[opening:]
    if len(rest) >= 5:  # what follows the opening: the story's own words, not an offer or a notice?
        found = shingles(" ".join(rest))
        if len(found & shingles(stored)) * 2 >= len(found):
            return None
    return opening, len(old_words), len(rest)


_WORDS = re.compile(r"\w+")  # as near_duplicates counts words


def _utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _site_folder(host: str) -> str:
    """The corpus folder for ``host``: a name of its own (no separator, no leading or trailing dot) of at most
    MAX_FOLDER_BYTES bytes, else LOCAL_FOLDER."""
    name = re.sub(r"[^\w.-]", "_", host).strip(".")
    name = name.encode("utf-8")[:MAX_FOLDER_BYTES].decode("utf-8", "ignore").strip(".")
    return name or LOCAL_FOLDER


def _open_lock(path: Path, what: str) -> int:
    """A descriptor of the lock file ``path``, created if need be, never emptied and never followed if a link."""
    # Whoever may drop files in the corpus folder could leave a link here (to ~/.ssh/authorized_keys): opened with "w",
    # its target was emptied at the next add, or created where the link pointed.
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno != errno.ELOOP:  # a read-only corpus folder, one the user may not write
            raise AddError(what, f"cannot write in the corpus folder {path.parent}: {exc.strerror or exc}",
                           "cannot_write_folder", folder=path.parent, why=exc) from None
    raise AddError(what, f"{path.name} in the corpus folder is a link, not citebot's lock file: remove it")


def _stamp(path: str) -> tuple[int, int, int] | None:
    """``path``'s size, mtime and ctime, as the build stamps it: one changes when another process rewrites or appends to
    it (the ctime even when a same-size edit has its mtime put back, by `touch -r` or a copy that keeps mtimes)."""
    try:
        return _regular_size(Path(path))
    except (OSError, ValueError):
        return None


def _refresh_target(page) -> str | None:
    """The http(s) address an HTML ``page``'s ``<meta http-equiv="refresh" content="0; url=…">`` (in its first
    REFRESH_SNIFF characters) names, made absolute, if any (the content read as the HTML standard reads it)."""
    if page.content_type not in ("", *HTML_TYPES):
        return None
    head = page.text[:REFRESH_SNIFF]
    for tag in _META_TAG.finditer(head):
        if not _REFRESH.search(tag.group()):
            continue
        content = _CONTENT.search(tag.group())
        found = _REFRESH_URL.match(unescape(next((v for v in content.groups() if v is not None), ""))) \
            if content else None
        if not found:
            continue
        target = found.group(2).strip()
        if found.group(1):  # a quoted address ends at its quote
            target = target.split(found.group(1), 1)[0]
        try:
            target = urljoin(page.url, target.strip())
        except ValueError:
            return None
        return target if urlsplit(target).scheme.lower() in ("http", "https") else None
    return None


def _untracked(url: str | None) -> str | None:
    """``url`` as it is stored: without its ``#fragment`` and the query parameters that only track a click
    (``_TRACKING``), else as written."""
    if not url:
        return url
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING.fullmatch(p))
    return urlunsplit(parts._replace(query=query, fragment=""))


def _addresses(*urls: str | None) -> frozenset[str]:
    return frozenset(c for c in map(canonical, urls) if c)


def _same_address(one: str, two: str) -> bool:
    """Whether two links ask a server for one page: told apart by neither a fragment, a tracking parameter, nor the
    host's case (as ``canonical`` does not tell apart a last slash, http and https, or "www.", which a site may)."""
    def asked(url: str) -> tuple:
        parts = urlsplit(url.strip())
        query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING.fullmatch(p))
        return parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query

    try:
        return asked(one) == asked(two)
    except ValueError:
        return False


def _header(article: Article) -> dict[str, str]:
    """The front matter of an article `citebot add` stored (before body_start): "fetched", where its page was fetched
    from; "file", the local file it came from; "etag" and "last_modified", what the page's server said of it..."""
    meta, _ = frontmatter.parse(article.text[: article.body_start])
    return meta or {}


def _as_read(rel: str, text: str) -> Article:
    """The article the corpus reader makes of ``text``, a front-matter .md file at ``rel``."""
    meta, body_start = frontmatter.parse(text)
    return front_matter_article(rel, text, meta or {}, body_start)


def _validator_fields(validators: dict | None) -> dict[str, str | None]:
    """A page's ETag and Last-Modified as its stored copy's header keeps them, for the conditional GET of a later add."""
    return {"etag": (validators or {}).get("etag"), "last_modified": (validators or {}).get("last_modified")}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@contextmanager
def _reader_quiet():
    """The corpus reader's warnings about what it skips, dropped in this thread only."""
    # Reading the corpus to compare is not building it: the build that follows an add gives those warnings.
    thread = threading.get_ident()

    def other_thread(record: logging.LogRecord) -> bool:
        return record.thread != thread

    reader_log.addFilter(other_thread)
    try:
        yield
    finally:
        reader_log.removeFilter(other_thread)


def _write_atomically(target: Path, text: str, check: Callable[[Path], Article]) -> Article:
    """``text`` at ``target`` via a hidden temporary file, which ``check`` reads before the rename: all or nothing."""
    new_folder = not target.parent.is_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Hidden, so no build reads it; named *.md as the target is, so ``check`` reads it as a build will read the
    # target. A file that fails the check is thus never in the corpus, not even between a rename and an unlink.
    tmp = target.parent / f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}{target.suffix}"
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        article = check(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        if new_folder:
            with suppress(OSError):  # not empty: a file was put there meanwhile
                target.parent.rmdir()
        raise
    return article


__all__ = ["AddError", "Added", "ArticleAdder", "FetchError", "canonical", "shingles", "similarity"]
