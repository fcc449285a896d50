"""Read a corpus folder into ``Article`` records, skipping broken files with a warning.

>>> articles, skipped = read_corpus(Path("corpus"))  # doctest: +SKIP
>>> articles[0].id, articles[0].title, articles[0].date  # doctest: +SKIP
('000_021f342df130e0f3.txt', 'NATO member states are preparing to discuss…', '2023-04-20')
"""

from __future__ import annotations

import codecs
import datetime
import hashlib
import json
import logging
import math
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path

from index import frontmatter
from index.errors import CitebotError, CorpusUnavailable
from index.extract import drop_related_links, nested_too_deep, page_date, parsable, resolve_canonical, trafilatura
from index.legacy_text import decode_legacy
from index.sentences import sentence_spans

log = logging.getLogger("citebot.documents")

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
MHTML_SUFFIXES = {".mhtml", ".mht"}  # a web page saved as one file (Chrome's, Edge's "Webpage, Single File")
# A suffix added here needs no READER_RULES bump: the manifest stamps only files of these suffixes (and of
# UNREAD_SUFFIXES' as "not read", never by a hash), so a file of a new one is a file the index never had, or one whose
# hash now differs from its stamp, and the next build reads it (and it alone).
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES | MHTML_SUFFIXES


class Unreadable(ValueError):
    """Why the build skips a file, in a few words, with the ``key`` and ``values`` of its message in the bot's other
    languages (``Skipped``'s)."""

    def __init__(self, message: str, key: str | None = None, **values):
        super().__init__(message)
        self.key, self.values = key, values


_TABLE = 'put its articles in a .jsonl file, one {"text": "…"} a line'
_SAVED_PAGE = 'save it as "Webpage, HTML only" (.html), or add its address: citebot add URL'
# Files people keep their articles in that are not read: each is skipped with a warning saying what to do (passed over
# without a word, a Word draft dropped in was thought searchable), never opened. A script, a style sheet, an image (a
# saved page's files) are no one's articles, and are passed over. Each makes a new error (its key names its message in
# the bot's other languages: an admin's /remove of such a file says why it was skipped).
_COMPRESSED = (".gz", ".zip", ".bz2", ".xz", ".7z", ".tgz", ".tar")
_TABLES = (".csv", ".tsv", ".xlsx", ".xls", ".ods")
UNREAD_SUFFIXES = {
    ".doc": partial(Unreadable, "an old Word document (.doc) is not read: save it as .docx", "unread_doc"),
    ".odt": partial(Unreadable, "an OpenDocument text (.odt) is not read: save it as .docx or .pdf", "unread_odt"),
    ".rtf": partial(Unreadable, "a Rich Text document (.rtf) is not read: save it as .docx or .txt", "unread_rtf"),
    ".pages": partial(Unreadable, "a Pages document is not read: export it as .docx or .pdf", "unread_pages"),
    ".epub": partial(Unreadable, "an e-book (.epub) is not read: save its chapters as .html or .txt", "unread_epub"),
    ".webarchive": partial(Unreadable, f"a web page saved as a Safari web archive is not read: {_SAVED_PAGE}",
                           "unread_webarchive"),
    **{suffix: partial(Unreadable, f"a compressed file ({suffix}) is not read: unpack it into the corpus folder",
                       "unread_compressed", suffix=suffix) for suffix in _COMPRESSED},
    **{suffix: partial(Unreadable, f"a table ({suffix}) is not read: {_TABLE}", "unread_table", suffix=suffix)
       for suffix in _TABLES},
    ".json": partial(Unreadable, f"a .json file is not read: {_TABLE}", "unread_json"),
    ".xml": partial(Unreadable, "an .xml file is not read: follow a feed with citebot feeds add URL; save articles as "
                                ".txt, .html or .jsonl", "unread_xml"),
    ".opml": partial(Unreadable, "a list of feeds (.opml) is not an article: follow its feeds with citebot feeds add "
                                 "FILE", "unread_opml"),
}
# How files are read into articles (encodings, front matter, titles, dates). The index records it: an index read by
# other rules reads every file again once, reusing the vectors of each passage whose text it finds unchanged.
# 2: UTF-16 text files, YAML headers holding lists, Markdown heading titles, front-matter dates with a time of day.
# 3: a PDF's metadata title a tool made up ("Microsoft Word - report.docx", "Untitled") or that is its file's name is
# no title: the PDF is titled by its text, as one without a title is; a PDF's first line (a menu, a running header)
# is not joined to a heading under it as a wrapped line is.
# 4: an article titled by its text is titled by its first sentence with a letter or digit ("* * *", "🎉🎉🎉" are not).
# 5: a text or HTML file that is not UTF-8 is read in the legacy encoding it can be told to be in (windows-1251, KOI8-U,
# windows-1250, ISO-8859-16: index/legacy_text.py), where it was skipped: an index of a folder holding one reads it.
# 6: a Markdown or text file opening with Hugo's TOML header (+++ ... +++) is titled and dated by it, and the header is
# no content (ce3181c).
# 7: a Word document's list items open with "- " and each table row is one line "| cell | cell |", as in Markdown (its
# cells were a line each, its items unmarked: a short item was a heading, a row's name and number apart).
# A title taken from the text has no list item's bullet and is no table's row (a Markdown file's as well).
# 8: a PDF heading under a paragraph's nearly full last line keeps its own line (1bbf7e8); a Markdown note with no date
# is dated by its created: field and a numbered heading titles it without its number (80818fd); a Word table's
# vertically merged cell reads in each row it spans (e010ee4, bece1d0; once in a layout table, 21e2f17) and a text
# box's paragraphs, list and table on lines of their own after its paragraph (97e59da, ab30fed); a PDF line wrapped
# after an abbreviation still joins the next (e3bcaf2, cb08549).
# 9: a Markdown front matter's values are read as YAML reads them (single quotes, a comment after a blank: 50699b7),
# below their key too (a >- or | block, an indented value: 9593e03, 8b570e6), a key may be a few words in any script
# (the Obsidian Linter's date created:, 6088776, 6d5454e), an empty header is no text (f558273, 1c200f2); a note's
# heading titles it whole but for a section number, Roman or Arabic (8f0f9a4); a .md or .txt with no date in it is
# dated by a day opening its file name (a Jekyll post, a daily note, a Logseq journal page: 0d6784a).
# 10: a front matter's keys in capitals (Title:, Date Created:) and dates written by hand (2023/04/20, 20.04.2023,
# "April 24th, 2023", a weekday before it only if it is one) are read, a day there is not is no date (3142555, 1a4aeed,
# bd0520b); a Notion export's Created:/Date: lines under its heading date it (07b8732); a Logseq page's key:: value
# properties at its top are its header, not text (3a6561e); a .jsonl row's date written as a feed or a person
# writes one is its day (one so written that is no day, "9999-12-31", "2023-02-31", is none, as in a front matter).
# A date before the year 1000 or more than 366 days ahead is no date (d730fff; a PDF's creation date too, 09b077a); a
# front matter may close with "..." as Pandoc's do (acac35e).
# 11: a date written by hand in Ukrainian, Russian or Romanian ("20 квітня 2023 р.", "22 апреля 2023 г.", "21 aprilie
# 2023", cut short, after a weekday cut short, bound by non-breaking spaces) is its day (d9e211d, a2523ec, 37c4457,
# 2734f78); header keys in those languages (Заголовок:, Дата:, Titlu:, Sursa:, ...) are read as the English ones, a
# link key only for an address with a path (215ebfc, 6ee711a); a Notion page's URL: property is its link and a date
# range its first day, a property named with "&" or an emoji no longer ends its header (4534828, 410c4da, 68c2812,
# 1adf8ee).
# 12: a header's publication and creation keys in Ukrainian, Russian and Romanian (Дата публікації:, Опубліковано:,
# Creat:, Data publicării:, ...) date a note (dba6a33); a header key typed decomposed (Unicode NFD) is the key typed
# composed (160d5e4).
# 13: a day written 20/04/2023, 20-04-2023 or 2023.04.20 where its order can be told (fde7845); a Ukrainian or Russian
# date typed in haste, "2023 р" with no dot, "20-го квітня", a Latin i for the Cyrillic one (d3c1a3b); a .txt note's,
# or a .md note's with no front matter, Title:/Date:/Source: lines at its top are its header (8718e5b, fdb3219, 80b7617);
# a saved page's header holding raw UTF-8 is read as written (5deb7aa); a .jsonl field written NaN or Infinity is absent
# (cdf12e4).
# 14: a "Read also:" line of links between a saved page's paragraphs is no text of it (26a3f98); a header value
# holding a raw U+2028, U+2029 or NEL is one line (30de4ee); a month typed with a Turkish capital I or a long s
# ("APRİL", "AUGUſT") dates a note (5997929).
# 15: a saved page of a cookie notice that opens "This website uses cookies." is no story (be59abf); a byline's author
# is the name alone, without its label ("Автор:") or what follows its middle dot or bullet (80210ff), a middle dot
# inside a name kept ("Paul·la", fadd397).
READER_RULES = 15
# The libraries that read files into text: trafilatura (an HTML page's article), htmldate (its date), jusText (its
# fallback), lxml (HTML, and a Word document's XML), pypdf (a PDF), charset-normalizer (a legacy encoding's guess). The
# index records their versions, as it does READER_RULES: an upgrade finds other text in the same page, so an index read
# by other versions reads every file again once, reusing the vectors of each passage whose text it finds unchanged.
READER_LIBRARIES = ("trafilatura", "htmldate", "justext", "lxml", "pypdf", "charset-normalizer")


# An installed distribution's metadata folder, as pip writes it: its name (underscores for - and .) and version
_DIST_INFO = re.compile(r"([A-Za-z0-9_.]+?)-([^-]+)\.dist-info")


@cache
def reader_versions() -> dict[str, str | None]:
    """The installed version of each of READER_LIBRARIES (None for one not installed), as a build records them: the
    first ``NAME-VERSION.dist-info`` folder on sys.path, where importlib.metadata looks first.

    Not importlib.metadata itself: every `citebot ask` checks them, and it took 90 ms of a cold ask's 300 (its import,
    the email package, then a search of the whole path for each), where one listing of each folder takes 1 ms.
    """
    wanted = {_distribution_key(name): name for name in READER_LIBRARIES}
    versions: dict[str, str | None] = dict.fromkeys(READER_LIBRARIES)
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:  # a zip file, a folder gone
            continue
        for entry in entries:
            if (found := _DIST_INFO.fullmatch(entry)) and (name := wanted.pop(_distribution_key(found[1]), None)):
                versions[name] = found[2]
        if not wanted:
            break
    return versions


def _distribution_key(name: str) -> str:
    """A distribution's name as PEP 503 compares it: "charset_normalizer" and "Charset-Normalizer" are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


# A leading metadata line such as " date 2023-04-20 This audio is created with AI assistance": a
# short line (a long one that happens to start so is the text itself).
# A line ends at LF, CR LF, or a CR alone (an old Mac's line end).
_DATE_LINE = re.compile(r"\A\s*date[:\s]+(\d{4}-\d{2}-\d{2})\b[^\r\n]{0,200}(?:\r?\n|\r|\Z)", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TITLE_CHARS = 80
# The title is the first sentence of the first TITLE_WINDOW characters: a megabyte-long first line
# is not handed to the sentence splitter whole.
TITLE_WINDOW = 2_000
MAX_FILE_MB_ENV = "CITEBOT_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 20.0


def max_file_bytes() -> int:
    """The size above which a .txt, .md, .html, .mhtml, .pdf or .docx file (or one .jsonl line) is skipped; a .pdf's or
    .docx's text too, in characters.

    Set by the environment variable CITEBOT_MAX_FILE_MB (megabytes, default 20).
    """
    raw = os.environ.get(MAX_FILE_MB_ENV, "").strip()
    if not raw:
        return int(DEFAULT_MAX_FILE_MB * 1_000_000)
    try:
        mb = float(raw)
    except ValueError:
        mb = -1.0
    if not 0 < mb < 1e12:  # "inf" or 1e400 would overflow int(); a terabyte-long article is no limit worth naming
        raise CitebotError(f"{MAX_FILE_MB_ENV} must be a positive number of megabytes, not {raw!r}")
    return int(mb * 1_000_000)


@dataclass(frozen=True)
class Article:
    """One article: its text, where it came from, and where its body starts."""

    id: str
    text: str
    title: str
    date: str | None = None
    url: str | None = None
    path: str = ""
    body_start: int = 0  # offset after a leading metadata line, which is not content


@dataclass
class Skipped:
    """A file (or jsonl line) left out of the build, and why. ``key`` and ``values``, when given, name the message in
    ``bot.messages.REASONS`` that says the reason in the bot's other languages, as a CitebotError's do."""

    path: str
    reason: str
    key: str | None = field(default=None, compare=False)  # the same skip, whichever language says it
    values: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class FileStamp:
    """What the manifest remembers of one corpus file."""

    size: int
    mtime_ns: int
    sha256: str
    # The inode's change time: any write sets it, and no tool can set it back (`touch -r` restores a same-size
    # edit's mtime, not this), so an edit that kept the size and mtime is still hashed again.
    ctime_ns: int = 0

    def to_json(self) -> dict:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "ctime_ns": self.ctime_ns, "sha256": self.sha256}


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def require_corpus_dir(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise CorpusUnavailable(f"corpus {root} is a file, not a folder (set --corpus or CITEBOT_CORPUS)")
    if not root.is_dir():
        raise CorpusUnavailable(f"corpus folder not found: {root} (set --corpus or CITEBOT_CORPUS)",
                                key="no_corpus_folder", folder=root)


def corpus_files(root: Path, skipped: list[Skipped] | None = None) -> list[Path]:
    """Files under ``root`` of the suffixes read (and of UNREAD_SUFFIXES, which are skipped with a warning),
    recursively (folder links followed), hidden ones excluded, in a stable order. Left out, and added to ``skipped``
    when given: a file or folder whose name is not UTF-8 (no
    manifest, table or database can hold it), a folder link to a folder already read (a loop), a file whose name
    reads as a .jsonl row's id, and a folder that cannot be listed (no permission); CitebotError when the corpus
    folder itself cannot be."""
    return list(corpus_paths(root, skipped).values())


def corpus_paths(root: Path, skipped: list[Skipped] | None = None) -> dict[str, Path]:
    """``corpus_files(root, skipped)``, each keyed by its path relative to ``root`` (``path.relative_to(root)
    .as_posix()``), in the same order."""
    folders: dict[str, Path] = {}  # a Path per folder, each file's made from it
    paths = {}
    for rel, dirpath, name in _corpus_entries(root, skipped):
        if dirpath not in folders:
            folders[dirpath] = Path(dirpath)
        paths[rel] = folders[dirpath] / name
    return paths


def corpus_names(root: Path, skipped: list[Skipped] | None = None) -> dict[str, str]:
    """``corpus_paths(root, skipped)`` with each path a string: no Path made for a file that is only stat'ed (each add
    looks at every corpus file for one another process added or changed)."""
    return {rel: os.path.join(dirpath, name) for rel, dirpath, name in _corpus_entries(root, skipped)}


def _corpus_entries(root: Path, skipped: list[Skipped] | None) -> list[tuple[str, str, str]]:
    """(path relative to ``root``, its folder as os.walk names it, its name) of each of ``corpus_files(root, skipped)``.
    """
    # Each relative path is its folder's and its name joined as strings: a Path made and taken apart again per file
    # cost 50 times the walk itself (0.63 s over 20,000 files, paid by each article added, twice by a feed item).
    require_corpus_dir(root)
    found: list[tuple[str, str, str]] = []  # relative path, folder, name
    read = {os.path.realpath(root): "the corpus folder"}  # each folder read once, whatever links lead to it
    rel_of = {os.fspath(root): ""}  # each folder os.walk enters: its path relative to root

    def unlisted(exc: OSError) -> None:  # os.walk would leave such a folder out without a word
        if Path(exc.filename) == Path(root):
            raise CorpusUnavailable(f"cannot read the corpus folder {root}: {exc.strerror}")
        if skipped is not None:
            _skip(skipped, Path(exc.filename).relative_to(root).as_posix(), f"folder not read: {exc.strerror}")

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted, followlinks=True):
        folder_rel = rel_of.pop(dirpath)
        prefix = f"{folder_rel}/" if folder_rel else ""
        kept = []
        for name in sorted(d for d in dirnames if not d.startswith(".") and not _saved_pages_files(d, filenames)):
            where = os.path.join(dirpath, name)
            rel = prefix + name
            real = os.path.realpath(where)
            if not _named_in_utf8(rel, skipped):
                continue
            if real in read:
                if skipped is not None:
                    _skip(skipped, rel, f"a link to a folder read already ({read[real]})")
                continue
            read[real] = rel
            rel_of[where] = rel
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            # "~$draft.docx": the lock file Word keeps beside a document while it is open, no document itself
            if not name.startswith((".", "~$")) and _suffix(name).lower() in _LISTED:
                rel = prefix + name
                if _named_in_utf8(rel, skipped):
                    found.append((rel, dirpath, name))
    return _without_row_names(found, skipped)


_LISTED = SUPPORTED_SUFFIXES | set(UNREAD_SUFFIXES)  # each file of these is read, or skipped with a warning


def _saved_pages_files(folder: str, filenames: list[str]) -> bool:
    """Whether ``folder`` holds the files of a page saved beside it ("Story_files" beside "Story.html": what a browser's
    "Save page as…, Webpage, complete" writes): its scripts, styles, images, and frames and ads as .html or .txt files,
    none of them an article."""
    return folder.endswith("_files") and any(f"{folder[:-6]}{suffix}" in filenames for suffix in (".html", ".htm"))


def _suffix(name: str) -> str:
    """``Path(name).suffix``: from the last dot of a name that neither starts nor ends with it."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _without_row_names(found: list[tuple[str, str, str]], skipped: list[Skipped] | None) -> list[tuple[str, str, str]]:
    """``found`` less each file whose path reads as a .jsonl file's row id (``dump.jsonl#7.txt`` beside ``dump.jsonl``),
    reported in ``skipped``: two articles of one id made both unanswerable, and a row could be hidden so."""
    rows_of = {rel for rel, _, name in found if name.lower().endswith(tuple(JSONL_SUFFIXES))}
    kept = []
    for entry in found:
        rel = entry[0]
        owner = next((rel[:i] for i, c in enumerate(rel) if c == "#" and rel[:i] in rows_of), None) if "#" in rel \
            else None
        if owner is None:
            kept.append(entry)
        elif skipped is not None:
            _skip(skipped, rel, f"its name reads as a row of {owner} ({owner}#ID): rename it")
    return kept


def _named_in_utf8(rel: str, skipped: list[Skipped] | None) -> bool:
    """True when ``rel``, a path under the corpus folder, is UTF-8; else False, reported in ``skipped`` by its bytes."""
    try:
        rel.encode("utf-8")
        return True
    except UnicodeEncodeError:
        if skipped is not None:
            _skip(skipped, os.fsencode(rel).decode("utf-8", "backslashreplace"), "its name is not UTF-8: rename it")
        return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _regular_size(path: Path) -> tuple[int, int, int]:
    """Size, mtime and ctime of a regular file; ValueError for anything else (a FIFO, a device, a folder)."""
    info = path.stat()  # follows symlinks: a dangling one or a loop raises OSError here
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file")
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns


def fingerprint(root: Path, previous: dict[str, dict] | None = None) -> dict[str, FileStamp]:
    """Size, mtime and content hash of every corpus file, keyed by its relative path.

    A file whose size, mtime and ctime match ``previous`` keeps its recorded hash, so checking an
    unchanged corpus does not re-read it (a stamp without a ctime, an older release's, is hashed again).
    A file that cannot be read, or is too big to be, is stamped without a hash (``read_corpus`` reports
    it as skipped); the size limit is applied before a recorded hash is kept, and a recorded skip is never
    kept, so raising or lowering CITEBOT_MAX_FILE_MB makes an index with such a file stale.
    """
    previous = previous or {}
    stamps = {}
    limit = max_file_bytes()
    for rel, path in corpus_paths(root).items():
        try:
            size, mtime_ns, ctime_ns = _regular_size(path)
            old = previous.get(rel)
            if path.suffix.lower() in UNREAD_SUFFIXES:
                digest = f"not read: a {path.suffix.lower()} file"
            elif size > limit and path.suffix.lower() not in JSONL_SUFFIXES:
                digest = f"not read: {size} bytes"
            elif (old and old["size"] == size and old["mtime_ns"] == mtime_ns and old.get("ctime_ns") == ctime_ns
                  and not old["sha256"].startswith("not read")):  # a skip under a lower limit is no hash to keep
                digest = old["sha256"]
            else:
                digest = _sha256(path)
        except (OSError, ValueError) as exc:
            size, mtime_ns, ctime_ns, digest = 0, 0, 0, f"not read: {exc}"
        stamps[rel] = FileStamp(size, mtime_ns, digest, ctime_ns)
    return stamps


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-")
    return cut + "…"


# A Markdown heading's marks ("# Budget news", "## Budget news ##"): markup, not words of the title.
_HEADING_MARKS = re.compile(r"\A#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?\Z", re.DOTALL)
# A heading's section number ("# 1. Introduction", "## 2.3. Results", "# IV. Findings", "## XIV) Scope"): out of its
# document it numbers nothing. A year ("# 2027 budget"), a figure ("# 3.5 million visitors"), a capital word that is no
# numeral of a section (I to XXXIX: "# CIVIC. Plans", "# MIX. Line-up") are words of the title.
_SECTION_NUMBER = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})*|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))[.)](?:[ \t]+|\Z)")
# A Markdown heading's line: the title is all of it ("# NATO. The summit opens" was "NATO.", cut at its full stop).
_HEADING_LINE = re.compile(r"#{1,6}(?:[ \t]|\Z)")


# A list item's bullet ("- Hard hats stay on"; a Word document's items are read so too): markup, not words of the title.
_LIST_MARK = re.compile(r"\A[ \t]*[-*+•‣◦▪][ \t]+(?=\S)")
# A table's row ("| Omar Haddad | +372 5123 4567 |", a Word document's rows too): cells, not a title's sentence.
_TABLE_ROW = re.compile(r"[ \t]*\|.*\|[ \t]*\r?")


def _title_from(text: str, start: int) -> str:
    """The first Markdown heading's line or sentence that has a letter or digit in it (not a rule "* * *", a line of
    emoji or of "=====") and is not in a table's row, without its heading's marks and section number or its list mark;
    else the first such row's cells, else the first sentence."""
    end = min(len(text), start + TITLE_WINDOW)
    titles, rows = [], []
    line_end = start
    for s, e in sentence_spans(text, start, end):
        if s < line_end:
            continue  # the rest of a heading's line
        line_start = max(text.rfind("\n", start, s) + 1, start)
        if _HEADING_LINE.match(text, s) and not text[line_start:s].strip():
            line_end = text.find("\n", s, end)
            line_end = end if line_end < 0 else line_end
            heading = _unmarked(text[s:line_end].strip())
            number = _SECTION_NUMBER.match(heading)
            if number and any(c.isalnum() for c in heading[number.end():]):
                return shorten(heading[number.end():])
            if any(c.isalnum() for c in heading) and not number:
                return shorten(heading)
            titles.append(heading)
            continue  # a heading of a number alone: the title is the words after it
        raw = text[s:e]
        sentence = _unmarked(raw)
        if any(c.isalnum() for c in sentence):
            row_end = text.find("\n", e, end)
            row = _TABLE_ROW.fullmatch(text, line_start, end if row_end < 0 else row_end)
            if not row:
                return shorten(sentence)
            rows.append(" \u00b7 ".join(c.strip() for c in row.group().strip().strip("|").split("|") if c.strip()))
        titles.append(sentence)
    return shorten(rows[0] if rows else titles[0] if titles else "")


def _unmarked(sentence: str) -> str:
    heading = _HEADING_MARKS.match(sentence)
    if heading and heading.group(1).strip():
        return heading.group(1)
    bullet = _LIST_MARK.match(sentence)
    return sentence[bullet.end():] if bullet and any(c.isalnum() for c in sentence) else sentence


def make_article(
    id: str, text: str, path: str, title: str | None = None, date: str | None = None, url: str | None = None,
    body_start: int = 0,
) -> Article:
    """An article with its title and date filled from the text where metadata lacks them.

    ``body_start`` skips a header that is not content (a front matter); else a leading date line is skipped.
    """
    header = None if body_start else _DATE_LINE.match(text)
    if header:
        body_start = header.end()
        date = date or valid_date(header.group(1))
    if not text[body_start:].strip():
        raise ValueError("no text")
    title = shorten(title) if title and title.strip() else _title_from(text, body_start)
    return Article(id=id, text=text, title=title, date=date, url=url, path=path, body_start=body_start)


def _decode(data: bytes, name: str | None = None) -> str:
    """``data`` as UTF-8 text; for a file (``name``, as the warning names it) that is not, in the legacy encoding it can
    be told to be in (a text editor's "ANSI", windows-1251 or -1250, names none: index/legacy_text.py), with a warning
    naming it, so that a wrong guess is seen; ValueError when it is binary or no encoding can be told."""
    if b"\x00" in data:
        raise Unreadable("binary file", "binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        read = read_legacy(data, name) if name is not None else None
        if read is None:
            raise Unreadable(f"not UTF-8 ({exc.reason} at byte {exc.start}): save it as UTF-8", "not_utf8",
                             at=exc.start) from None
        return read[0]


def read_legacy(data: bytes, name: str) -> tuple[str, str] | None:
    """``data``, not UTF-8, in the legacy encoding it can be told to be in, and that encoding's name, with a warning
    naming the file ``name`` and the encoding; None when none can be told."""
    read = decode_legacy(data)
    if read is not None:
        log.warning("reading %s as %s (not UTF-8)", one_line(name), read[1],
                    extra={"said": ("cli_reading_legacy", {"path": one_line(name), "encoding": read[1]})})  # its words
    return read


class TooBig(Unreadable):
    """A file over the size limit (or one that grew over it while read)."""


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes: ValueError naming what is wrong (``TooBig``
    when over the limit), OSError when it cannot be opened. A FIFO or device is refused unopened."""
    size = _regular_size(path)[0]
    if size > limit:
        megabytes = _megabytes_over(size, limit)
        raise TooBig(f"{megabytes} MB, over the {limit / 1e6:g} MB limit (set {MAX_FILE_MB_ENV})", "over_file_limit",
                     megabytes=megabytes, limit=limit / 1e6, env=MAX_FILE_MB_ENV)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew since the stat
        raise TooBig(f"over the {limit / 1e6:g} MB limit (set {MAX_FILE_MB_ENV})", "grew_over_file_limit",
                     limit=limit / 1e6, env=MAX_FILE_MB_ENV)
    return data


def _megabytes_over(size: int, limit: int) -> str:
    """``size`` bytes in megabytes, to one decimal or the few more it takes to read as over ``limit``."""
    # one decimal alone made a 20.04 MB file "20.0 MB, over the 20 MB limit"
    for decimals in range(1, 6):
        shown = f"{size / 1e6:.{decimals}f}"
        if float(shown) > limit / 1e6:
            return shown
    return f"{size / 1e6:.6f}"


def utf16_codec(data: bytes) -> str | None:
    """"utf-16" when ``data`` opens with UTF-16's byte-order mark (a text file Windows Notepad saved as "Unicode"),
    else None."""
    return "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None


def _decode_utf16(data: bytes) -> str:
    try:
        text = data.decode("utf-16")  # the byte-order mark says which end first, and is read past
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-16, as its byte-order mark says ({exc.reason} at byte {exc.start})", "not_text",
                         codec="UTF-16") from None
    if "\x00" in text:
        raise Unreadable("binary file", "binary")
    return text


def read_text(path: Path, limit: int | None = None, name: str | None = None) -> str:
    """A corpus text file as the build reads it: bounded by ``limit`` (default ``max_file_bytes()``),
    a regular file, UTF-8 (or UTF-16 opening with its byte-order mark; or, named ``name`` in a warning, a legacy
    encoding that can be told) with no NUL character; ValueError or OSError when the build would skip it."""
    data = read_bytes(path, max_file_bytes() if limit is None else limit)
    return _decode_utf16(data) if utf16_codec(data) else _decode(data, name or path.name)


def _read_text(path: Path, rel: str, limit: int) -> list[Article]:
    text = read_text(path, limit, rel)
    meta, body_start = text_header(text, path.suffix)
    return [front_matter_article(rel, text, meta, body_start)]


def text_header(text: str, suffix: str) -> tuple[dict[str, str], int]:
    """The metadata of a text file's ``text`` and the offset where its body starts, as the corpus and `citebot add`
    alike read it: a .md file's front matter (or Logseq properties), else the date properties of a Notion page's
    export (which stay its text), else (a .txt file's too) its "Title:", "Date:", "Source:" lines (see _key_lines);
    ({}, 0) for none."""
    if suffix.lower() not in TEXT_SUFFIXES:
        return {}, 0
    if suffix.lower() == ".md":
        meta, body_start = frontmatter.parse(text)
        if meta is not None:
            return lower_keys(meta), body_start
        if properties := _page_properties(text):
            return lower_keys(properties), 0
    return _key_lines(text)


# A Notion page exported as Markdown: its title's heading, a blank line, then its properties a line each
# ("Created: April 20, 2023 10:00 AM", "Tags: council"), each line's length bounded (a value as long as a link may be,
# 2,048 characters: a clipped page's "URL"); a property's name may hold any character but a colon ("Owner & team",
# "📅 Date"), not a digit or a space first.
_NOTION_PROPERTIES = re.compile(r"\A#[ \t][^\r\n]{1,500}\r?\n(?:[ \t]*\r?\n){1,2}"
                                r"((?:[^\s\d:][^\r\n:]{0,40}:[ \t][^\r\n]{1,2048}(?:\r?\n|\Z)){1,40})")
_PROPERTY = re.compile(r"([^\s\d:][^\r\n:]{0,40}):[ \t]([^\r\n]*)")
# The properties that give the day a page was written (Notion's "Created" and "Created time" are its default names),
# as a front matter's do; "Last edited time" is not one.
_DATE_PROPERTIES = ("date", "created", "created time", "date created", "created at", "created on")
# Its web address: the "URL" property Notion's Web Clipper gives a page it saved, an http(s) address alone.
_NOTION_URL = re.compile(r"https?://[^\s<>\"]{1,2040}")


def _page_properties(text: str) -> dict[str, str]:
    """The date properties of a Notion page's Markdown export, lower-cased keys: those whose value is a day (of a range,
    "April 20, 2023 → April 22, 2023", its first), and its "url" when that is a web address; the lines stay the page's
    text (its tags, its status are asked about)."""
    found = _NOTION_PROPERTIES.match(text)
    if not found:
        return {}
    properties = {}
    # a line ends at "\n" alone, as the match's lines do: str.splitlines would cut one at a U+2028 or a form feed
    for line in filter(None, re.split(r"\r?\n", found.group(1))):
        key, value = _PROPERTY.fullmatch(line).groups()
        # "📅 Date" is a "date" property; a name typed decomposed (NFD) is the name typed composed (see frontmatter.parse)
        key = " ".join(re.sub(r"[^\w&/ -]", " ", unicodedata.normalize("NFC", key)).split()).lower()
        value = value.strip()
        day = value.split("→", 1)[0].strip()  # of a range its first day; an address keeps a "→" in it
        if key in properties:
            continue
        if (key in _DATE_PROPERTIES or key in _OWN_KEYS and _OWN_KEYS[key] in _DATE_PROPERTIES) and valid_date(day):
            properties[key] = day
        elif (key == "url" or _OWN_KEYS.get(key) == "url") and _NOTION_URL.fullmatch(value):
            properties[key] = value
    return properties


# A note typed in a plain editor, or MultiMarkdown's header (iA Writer's, nvALT's), opens with lines of its title, day,
# address or author: "Title: Festivalul de jazz", "Date: 24/04/2023", "Source: https://…", "Заголовок: …", "Дата: …".
# Such a line is one of these keys (in capitals or not, in the writer's language: _OWN_KEYS) whose value is one (a day,
# an http(s) address alone, a title or author of a line); the header is the run of them at the top, up to the first
# line that is not one ("Source: the mayor's office", "Note: the meeting moved." are the note's text), the blank lines
# after it passed over, and it must give a title, a day or an address, and have the note's text under it: a one-line
# note ("Title: Call the plumber on Monday", a bookmark's "Source: https://…" alone) is its text, not an empty file.
# A Logseq property ("Title:: Ferry plans", "::") is no such line: its value is not ": Ferry plans".
_KEY_LINE = re.compile(r"([^\W\d][^\r\n:]{0,40}):(?!:)[ \t]*([^\r\n]{1,2048})(?:\r?\n|\r|\Z)")
_KEY_LINES = 12
_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r?\n|\r))*")


def _key_lines(text: str) -> tuple[dict[str, str], int]:
    """The header of "Key: value" lines at the top of ``text`` (see _KEY_LINE), lower-cased keys, and the offset where
    its body starts; ({}, 0) for none."""
    fields, position = {}, 0
    for _ in range(_KEY_LINES):
        found = _KEY_LINE.match(text, position)
        if not found:
            break
        key = " ".join(unicodedata.normalize("NFC", found.group(1)).split()).lower()
        value = found.group(2).strip()
        english = key if key in ("title", "author", "url", *_DATE_PROPERTIES) else _OWN_KEYS.get(key)
        if english is None or not value or key in fields \
                or english in _DATE_PROPERTIES and not valid_date(value) \
                or english == "url" and not _NOTION_URL.fullmatch(value):
            break
        fields[key] = value
        position = found.end()
    meta = lower_keys(fields)
    body_start = _BLANK_LINES.match(text, position).end()
    if not (meta.get("title") or meta.get("url") or any(meta.get(key) for key in _DATE_PROPERTIES)) \
            or not text[body_start:].strip():
        return {}, 0
    return meta, body_start


# A header's keys as a Ukrainian, Romanian or Russian note writes them ("Заголовок:", "Дата:", "Autor:", "Sursa:"),
# and "Link:"/"Source:" as Romanian and English notes write an address's: the English key's they stand for. A date's key
# is one only where its value is a day, an address's only where its value is a web address alone, as a Notion page's
# properties are read: "Data: 45% of voters…", "Дата: ще не відома", "Джерело: газета «День»" are no date or link.
_OWN_KEYS = {"заголовок": "title", "назва": "title", "название": "title", "titlu": "title",
             "дата": "date", "data": "date", "створено": "created", "создано": "created",
             # the day a note's article was published, and the day the note was made, as a site's page or a notes app
             # names them ("Дата публікації: 20 квітня 2023 р.", "Опубликовано: 22.04.2023", "Data publicării: …")
             "дата публікації": "date", "опубліковано": "date", "дата публикации": "date", "опубликовано": "date",
             "data publicării": "date", "data publicarii": "date", "publicat": "date",
             "дата створення": "created", "дата создания": "created", "creat": "created",
             "data creării": "created", "data crearii": "created",
             "автор": "author", "autor": "author",
             "джерело": "url", "посилання": "url", "источник": "url", "ссылка": "url", "sursa": "url", "sursă": "url",
             "link": "url", "source": "url"}
# A site's front page ("Джерело: https://www.pravda.com.ua/", "Source: https://www.reuters.com") names the
# newspaper, as "Джерело: газета «День»" does, not the note's page: taken for its address, a second note from that
# site was a new version of the first in `citebot add` (the first's text lost), and answers cited a page the sentence
# is not on.
_FRONT_PAGE = re.compile(r"https?://[^/?#]+/?(?:#.*)?")


def lower_keys(meta: dict[str, str]) -> dict[str, str]:
    """A front matter's fields, a key in capitals (`Title:`, `Date:`, `Date Created:`, as notes written by hand have
    them) the same key as in lower case; one written in lower case is taken over it. A key in Ukrainian, Romanian or
    Russian (see _OWN_KEYS) gives the English key's value where the English key is not written: the first such key."""
    lowered = {key.lower(): value for key, value in meta.items()} | {key: value for key, value in meta.items()
                                                                    if key == key.lower()}
    own = {}
    for key, value in lowered.items():
        english = _OWN_KEYS.get(key)
        if english is None or english in lowered or english in own or not isinstance(value, str):
            continue
        if english in ("date", "created") and not valid_date(value) \
                or english == "url" and (not _NOTION_URL.fullmatch(value.strip())
                                         or _FRONT_PAGE.fullmatch(value.strip())):
            continue
        own[english] = value
    return lowered | own


def front_matter_article(rel: str, text: str, meta: dict, body_start: int) -> Article:
    """The article of the text or Markdown file ``text`` at ``rel`` whose front matter (up to ``body_start``) is
    ``meta`` (none: {} and 0), as the corpus and `citebot add` alike read it."""
    # Written by `citebot add`: the header holds the page's title, date and URL (see index/add.py).
    # Obsidian's notes are dated by `created:` (the Obsidian Linter's `date created:`), the day the note was made, a
    # date its writer gave being missing.
    meta = lower_keys(meta)
    date = next(filter(None, map(valid_date, (meta.get(key) for key in _DATE_PROPERTIES))), None)
    article = make_article(rel, text, rel, title=meta.get("title"), date=date, url=meta.get("url"),
                           body_start=body_start)
    return article if article.date else replace(article, date=name_date(rel))


# A file named by its day: a Jekyll post ("2023-04-20-ferry-plans.md"), an Obsidian daily note ("2023-04-20.md"), a
# Logseq journal page ("2023_04_20.md"), minutes ("2023-04-20 board.txt").
_NAME_DATE = re.compile(r"(\d{4})([-_])(\d{2})\2(\d{2})(?=[-_ .]|\Z)")


def name_date(rel: str) -> str | None:
    """The YYYY-MM-DD day a file at ``rel`` is named by (its name opens with it), when that is a day (see _day); else
    None."""
    found = _NAME_DATE.match(rel.rsplit("/", 1)[-1])
    if not found:
        return None
    return _day(found.group(1), found.group(3), found.group(4))


# A day no article was written on: a year written with a leading zero (Go's zero time, 0001-01-01T00:00:00Z, which Hugo
# and other Go tools write for "no date"; a typo's 0203), or one more than a year after today (a placeholder's
# 9999-12-31, a typo's 3023; a post scheduled for next month keeps its day). Such a date sorted as the oldest or the
# newest article in /sources and "latest" answers.
_FIRST_YEAR = 1000
_DAYS_AHEAD = 366


def _day(year: str, month: str, day: str) -> str | None:
    """YYYY-MM-DD of ``year``, ``month`` and ``day`` when that is a day an article may be dated by; else None."""
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:  # 31.02.2023, 2023-02-31, a draft's 0000-00-00: no day
        return None
    if date.year < _FIRST_YEAR or date > datetime.date.today() + datetime.timedelta(days=_DAYS_AHEAD):
        return None
    return date.isoformat()


# A date, or a date and time as Jekyll ("2023-04-20 10:00:00 +0300") and Hugo ("2023-04-20T10:00:00+03:00") write it.
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}[^\n]{0,40})?")
# A day as people write it by hand, a time of day maybe after it: 2023/04/20, 20.04.2023 (day first, as Europe writes
# it; 20/04/2023 where the day can be told, see _DAY_OR_MONTH_FIRST), April 20, 2023 or Apr 20th, 2023 (Notion, Logseq),
# Thursday, April 20th 2023 (the Obsidian Linter), 20 April 2023. 04/05/2023 is not read: April or May cannot be told.
_MONTHS = {name: number for number, names in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
     "sep sept september", "oct october", "nov november", "dec december"), 1) for name in names.split()}
# The months of Ukrainian, Russian and Romanian: (before a year alone, "квітень 2023", "апрель 2023", "aprilie
# 2023"; after a day, in the case a date takes there, "20 квітня 2023 р.", "22 апреля 2023 г.", "21 aprilie 2023";
# cut short, as Romanian, Russian and Ukrainian write them, "24 ian. 2023", "22 апр. 2023", "20 квіт 2023"). A month
# is one only with its day or its year beside it: Romanian "mai" is "more" too, Ukrainian "лютого" "fierce".
_OTHER_MONTHS = (
    ("січень январь ianuarie", "січня января ianuarie", "ian січ янв"),
    ("лютий февраль februarie", "лютого февраля februarie", "лют фев февр febr"),
    ("березень март martie", "березня марта martie", "mart бер мар"),
    ("квітень апрель aprilie", "квітня апреля aprilie", "квіт апр"),
    ("травень май mai", "травня мая mai", "трав"),
    ("червень июнь iunie", "червня июня iunie", "iun черв июн"),
    ("липень июль iulie", "липня июля iulie", "iul лип июл"),
    ("серпень август", "серпня августа", "серп авг"),
    ("вересень сентябрь septembrie", "вересня сентября septembrie", "вер сен сент"),
    ("жовтень октябрь octombrie", "жовтня октября octombrie", "жовт окт"),
    ("листопад ноябрь noiembrie", "листопада ноября noiembrie", "лист ноя нояб noiem"),
    ("грудень декабрь decembrie", "грудня декабря decembrie", "груд дек"),
)
_DAY_MONTHS = _MONTHS | {name: number for number, (_, of_day, short) in enumerate(_OTHER_MONTHS, 1)
                         for name in f"{of_day} {short}".split()}
# Before a year alone a Cyrillic month is written whole: "лист 2023" is "letter 2023"
_YEAR_MONTHS = _MONTHS | {name: number for number, (alone, _, short) in enumerate(_OTHER_MONTHS, 1)
                          for name in alone.split() + [n for n in short.split() if n.isascii()]}
_SHORT_MONTHS = {name: number for number, (_, _, short) in enumerate(_OTHER_MONTHS, 1) for name in short.split()}
# The year's word after a Ukrainian or Russian date: "20 квітня 2023 р.", "20 квітня 2023 року", "22 апреля 2023 г.",
# its dot left out in haste ("22 квітня 2023 р")
_YEAR_WORD = r"(?:[ \t]*[рг]\.?|[ \t]+(?:року|года))?"
# A time after a date, maybe after a word for "at": "20 квітня 2023 р., 10:00", "20 апреля 2023 в 10:00",
# "20.04.2023 ora 10:00"
_TIME_AFTER = r"(?:,?[ \tT]+(?:(?:о|в|ora)[ \t]+)?\d{1,2}[:.]\d{2}[^\n]{0,40})?"
# 2023/04/20, and 2023.04.20 as Hungary's and Korea's sites write it
_SLASHED = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})" + _TIME_AFTER)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME_AFTER)
# 20/04/2023, 20-04-2023 (day first, as Romania, Ukraine, Britain write it) or 04/20/2023 (America's): read only where
# the order can be told, one number over 12 and the other not; 04/07/2023 (April or July) is no day
_DAY_OR_MONTH_FIRST = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})" + _TIME_AFTER)
# A word before the day is its weekday ("Thursday, April 20th 2023", "Sat., 22 Apr 2023"), not any word: "Due May 3,
# 2023", "before April 24, 2023" are a deadline, no day the note was written.
_WEEKDAY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
            r"|понеділок|вівторок|середа|четвер|п['ʼ’]ятниця|субота|неділя"
            r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье"
            r"|luni|marți|marţi|marti|miercuri|joi|vineri|sâmbătă|sambata|duminică|duminica"
            # cut short, as a browser or a phone writes them before a date ("чт, 20 квіт. 2023 р.", "dum., 23 apr. 2023")
            r"|пн|вт|ср|чт|пт|сб|нд|вс|lun|mar|mie|vin|sâm|sam|dum)"
            r"\.?,?[ \t]+")
# The letters other than A-Z that A-Z matches case-blind, as the month they spell: "APRİL" (a Turkish capital I, as a
# Turkish locale writes April in capitals), "AUGUſT" (an old print's long s), whose lower case is no month's name
CASE_BLIND = str.maketrans("\u0130\u0131\u017f\u212a", "iisk")  # İ ı ſ, the Kelvin sign
# A day of another language comes before its month ("20 квітня 2023"), as ISO's and English's may ("20 April 2023"),
# maybe as an ordinal, as Ukrainian and Russian say it ("20-го квітня 2023", "21-го апреля 2023 г.")
_WORDED = re.compile(rf"(?:{_WEEKDAY})?" r"(?:([A-Za-z]{3,9})\.?[ \t]+(\d{1,2})(?:st|nd|rd|th)?,?[ \t]+(\d{4})"
                     r"|(\d{1,2})(?:st|nd|rd|th|-го)?[ \t]+([^\W\d_]{3,10})\.?,?[ \t]+(\d{4})" + _YEAR_WORD + ")"
                     + _TIME_AFTER, re.IGNORECASE)


def valid_date(value: str | None) -> str | None:
    """The YYYY-MM-DD date of ``value`` when it is one, or one and a time of day, as ISO or as people write a day by
    hand (see _WORDED), and a day an article may be dated by (see _day); else None."""
    parts = _date_parts(value)
    return _day(*parts) if parts else None


def year_month(name: str) -> int | None:
    """The number of the month ``name`` names before a year alone ("April 2023", "apr. 2023", "квітень 2023",
    "апрель 2023", "aprilie 2023"; a Cyrillic month cut short with its dot, "квіт. 2023", "янв. 2023", as "лист 2023"
    is "letter 2023"), else None."""
    word = name.lower().removesuffix(".")
    return _YEAR_MONTHS.get(word) or (_SHORT_MONTHS.get(word) if name.endswith(".") else None)


# A space that binds its words, as typography writes one inside a date ("22\u00a0апреля 2023\u00a0г.", a CMS's &nbsp;,
# Word's Ctrl+Shift+Space; "April\u00a020, 2023"), is a space there
_SPACES = str.maketrans(dict.fromkeys("\u00a0\u2007\u2009\u202f", " "))
# A Latin letter typed for the Cyrillic one it looks like inside a Cyrillic word, a keyboard left in English ("квiтня"
# with a Latin i, "трaвня", "понедiлок"), is that Cyrillic letter; a word of Latin letters alone is left as written
_CYRILLIC_WORD = re.compile(r"[^\W\d_]*[\u0400-\u04ff][^\W\d_]*")
_LOOKALIKES = str.maketrans("aceiopxyABCEHIKMOPTX", "асеіорхуАВСЕНІКМОРТХ")


def _date_parts(value: str | None) -> tuple[str, int | str, str] | None:
    """The year, month and day ``value`` is written as (see valid_date), whether or not they make a day ("2023-02-31"
    and "9999-12-31" do not); None when it is not written as a date."""
    value = value.strip(" \t\u00a0\u2007\u2009\u202f") if value else ""
    if not value or len(value) > 100:
        return None
    value = value.translate(_SPACES)  # of 100 characters at most: a megabyte's value is not gone through twice
    value = _CYRILLIC_WORD.sub(lambda word: word.group().translate(_LOOKALIKES), value)
    if found := _DATE_TIME.fullmatch(value):
        year, month, day = found.group(1).split("-")
    elif found := _SLASHED.fullmatch(value):
        year, month, day = found.group(1, 3, 4)
    elif found := _DOTTED.fullmatch(value):
        day, month, year = found.groups()
    elif found := _DAY_OR_MONTH_FIRST.fullmatch(value):
        first, second, year = found.group(1, 3, 4)
        if int(first) > 12 >= int(second):
            day, month = first, second
        elif int(second) > 12 >= int(first):
            month, day = first, second
        else:
            return None
    elif found := _WORDED.fullmatch(value):
        name, day, year = found.group(1, 2, 3) if found.group(1) else found.group(5, 4, 6)
        month = (_MONTHS if found.group(1) else _DAY_MONTHS).get(name.translate(CASE_BLIND).lower())
        if month is None:
            return None
    else:
        return None
    return year, month, day


def _decode_html(data: bytes, name: str | None = None) -> str:
    """A page's text: in the charset its byte-order mark or ``<meta>`` names (a page saved from a browser keeps
    its own, say windows-1251), else UTF-8, or for a file (``name``) a legacy encoding that can be told, as
    ``citebot add`` reads a local .html file."""
    from index.fetch import declared_codec

    codec = declared_codec(data)
    if codec is None:
        return _decode(data, name)
    if codec in ("utf-8", "utf-8-sig"):  # a page that says UTF-8 is taken at its word
        return _decode(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not {codec} text, as its charset says ({exc.reason} at byte {exc.start})", "not_text",
                         codec=codec) from None
    if "\x00" in text:
        raise Unreadable("binary file", "binary")
    return text


def _read_html(path: Path, rel: str, limit: int) -> list[Article]:
    return [_page_article(_decode_html(read_bytes(path, limit), rel), rel)]


def _read_mhtml(path: Path, rel: str, limit: int) -> list[Article]:
    from index.mhtml import read_mhtml

    page = read_mhtml(read_bytes(path, limit))
    return [_page_article(page.html, rel, url=page.url, title=page.title)]


def _page_article(html: str, rel: str, url: str | None = None, title: str | None = None) -> Article:
    """The article of the page ``html`` (file ``rel``): its canonical address, else ``url`` (where it was saved
    from); its title, else ``title``."""
    from index.bounded import bounded

    html = parsable(html)
    text, own_title, date, own_url = bounded(_page_parts, html)  # a long page in a child process, within a budget
    if not text or not text.strip():
        if nested_too_deep(html):
            raise Unreadable("no main text found in the HTML: its elements nest more than 255 deep, and the HTML "
                             "parser reads none deeper", "nested_too_deep")
        raise Unreadable("no main text found in the HTML", "no_article")
    date = page_date(date, html)
    url = own_url or url  # the page's canonical address, for a saved web page
    return make_article(rel, text, rel, title=own_title or title, date=date, url=url)


def _page_parts(html: str) -> list[str | None]:
    """The main text of ``html``, and the title, date and canonical address its metadata give."""
    reader = trafilatura()  # only corpora with HTML pay for its import
    try:
        page = reader.load_html(html)
        if page is not None:  # a "Read also: <a>…</a>" line is no text of the story, as citebot add reads it
            drop_related_links(page)
        text = reader.extract(html if page is None else page, include_comments=False, include_tables=False,
                              favor_precision=True)
        tree = reader.load_html(html)
        if tree is not None:  # its <base href> (a section's, /world/) was taken for the page's address
            resolve_canonical(tree, None)
        meta = reader.extract_metadata(html if tree is None else tree)
    except (ValueError, RecursionError, LookupError, TypeError, AttributeError) as exc:  # lxml on hostile markup
        raise ValueError(f"HTML not parsed ({type(exc).__name__}: {exc})") from None
    return [text, meta.title if meta else None, meta.date if meta else None, meta.url if meta else None]


def _read_pdf(path: Path, rel: str, limit: int) -> list[Article]:
    from index.pdf import read_pdf  # only corpora with PDFs pay for pypdf's import

    doc = read_pdf(read_bytes(path, limit), max_chars=limit, name=path.name)
    # a creation date before the year 1000 or over a year ahead is no date (see _day), as citebot add reads it
    return [make_article(rel, doc.text, rel, title=doc.title, date=valid_date(doc.date))]


def _read_docx(path: Path, rel: str, limit: int) -> list[Article]:
    from index.docx import read_docx

    return [make_article(rel, read_docx(read_bytes(path, limit), max_chars=limit), rel)]


def _row_date(row: dict) -> str | None:
    """A .jsonl row's date: its day, YYYY-MM-DD, when it is written as one the readers read (a feed's "Thu, 20 Apr 2023
    10:00:00 +0000", "2023-04-21T09:30:00Z", "April 22, 2023"), as every other article's is, so that it sorts and is
    found among theirs; none when so written but no day an article may be dated by ("2023-02-31", a placeholder's
    "9999-12-31", Go's zero time: see _day), as in a front matter; else as written ("Spring 2023", 2023)."""
    date = _optional_str(row, "date")
    parts = _date_parts(date)
    return _day(*parts) if parts else date


def _optional_str(row: dict, key: str) -> str | None:
    """``row[key]`` as text: a string, or a number's digits ("id": 7, "date": 2023); anything else (an object, a list,
    true, NaN or Infinity: pandas' missing value, as json.dumps writes it) says no title, date or id one could show, and
    is absent rather than its Python spelling ("{'y': 1}", "nan")."""
    value = row.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None if isinstance(value, float) and not math.isfinite(value) else str(value)
    return value if isinstance(value, str) and value else None


def _jsonl_lines(path: Path, limit: int):
    """(line number, line bytes or None when longer than ``limit``) of a .jsonl file, streamed."""
    _regular_size(path)
    with path.open("rb") as handle:
        lineno = 0
        while True:
            line = handle.readline(limit + 1)
            if not line:
                return
            lineno += 1
            if len(line) > limit and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest of the long line
                    line = handle.readline(1 << 20)
                yield lineno, None
                continue
            yield lineno, line


def _read_jsonl(path: Path, rel: str, skipped: list[Skipped], limit: int) -> list[Article]:
    """The rows of a .jsonl file, read a line at a time; a bad line is skipped by its number."""
    articles, seen = [], set()
    for lineno, raw in _jsonl_lines(path, limit):
        where = f"{rel}:{lineno}"
        if raw is None:
            reason = f"line over the {limit / 1e6:g} MB limit (set {MAX_FILE_MB_ENV})"
            _skip(skipped, where, reason, Unreadable(reason, "line_over_file_limit", limit=limit / 1e6,
                                                     env=MAX_FILE_MB_ENV))
            continue
        try:
            line = _decode(raw).rstrip("\r\n")
        except ValueError as exc:
            if str(exc) == "binary file":  # not a text file at all: one warning, not one per line
                _skip(skipped, rel if lineno == 1 else where, "binary file" if lineno == 1 else
                      "binary data (NUL byte); the rest of the file is not read", exc if lineno == 1 else None)
                break
            _skip(skipped, where, str(exc), exc)  # not UTF-8: its words in the bot's languages, as a whole file's
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("line is not a JSON object")
            text = row.get("text")
            if not isinstance(text, str):
                raise ValueError('missing "text" string')
            key = _optional_str(row, "id") or str(lineno)
            if key in seen:
                raise ValueError(f'duplicate id "{key}"')
            article = make_article(
                f"{rel}#{key}", text, rel,
                title=_optional_str(row, "title"), date=_row_date(row), url=_optional_str(row, "url"),
            )
            _require_storable(article)
        except RecursionError:
            _skip(skipped, where, "malformed JSON (nested too deeply)")
            continue
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            reason = f"malformed JSON ({_where(exc)})" if isinstance(exc, json.JSONDecodeError) else str(exc)
            _skip(skipped, where, reason)
            continue
        seen.add(key)
        articles.append(article)
    return articles


# The longest article id kept: PostgreSQL keys its tables by it (a b-tree row holds 2,704 bytes with its columns).
MAX_ID_BYTES = 2_000


def _require_storable(article: Article) -> None:
    """ValueError when a string of ``article`` cannot be stored: a lone surrogate that a JSON escape
    ("\\ud800") put there, which no UTF-8 writer takes and would crash the embedder (and the build)
    later, a NUL character ("\\u0000"), which PostgreSQL text cannot hold, or an id longer than PostgreSQL can index.
    The text is never changed instead: passage offsets cite it verbatim."""
    for name in ("id", "text", "title", "date", "url"):
        value = getattr(article, name)
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = ord(value[exc.start])
            raise ValueError(f'not UTF-8 (a lone surrogate \\u{bad:04x} in "{name}" at character {exc.start})') from None
        if "\x00" in value:
            raise ValueError(f'a NUL character (\\u0000) in "{name}" at character {value.index(chr(0))}')
    size = len(article.id.encode("utf-8"))
    if size > MAX_ID_BYTES:  # a b-tree row holds at most 2,704 bytes: one such id failed every build, not just its own
        whose = "its path" if article.id == article.path else "its file's path and \"id\""
        raise ValueError(f"an article id of {size:,} bytes ({whose}): over the {MAX_ID_BYTES:,} that PostgreSQL can index")


# What no reader's screen gets from an article, a file name or a server, each shown as U+FFFD (one for one: offsets
# hold). CONTROLS: the control characters but tab and newline (an ESC [2J clears a terminal; OSC 52 writes its
# clipboard). DIRECTION_MARKS: the direction embeddings, overrides and isolates, U+202A-U+202E and U+2066-U+2069:
# "report\u202etxt.md" shows as "reportdm.txt" (the "Trojan Source" trick), and one left open reverses the rest of
# the line. Right-to-left text needs none of them (its letters carry their direction); the marks U+200E, U+200F and
# U+061C, which move no letter, are shown as they are. bot/render.py and index/feeds.py build on the same two.
CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
DIRECTION_MARKS = "\u202a-\u202e\u2066-\u2069"
# For one line: a newline in a file name (or a .jsonl id) would split a warning in two.
_CONTROL = re.compile(f"[\n{CONTROLS}{DIRECTION_MARKS}]")


def one_line(text: str) -> str:
    """``text`` for a one-line message: each control character but tab, and each direction override, as U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def _where(exc: json.JSONDecodeError) -> str:
    """json's reason with its place in the line: its bare words read cut off ("Unterminated string starting at")."""
    return f"{exc.msg.removesuffix(' at')} at column {exc.colno}"


def _skip(skipped: list[Skipped], where: str, reason: str,
          why: ValueError | CitebotError | Skipped | None = None) -> None:
    """``where`` left out for ``reason``; ``why``, the error it came of, may name its message in the bot's languages."""
    skip = Skipped(where, reason, getattr(why, "key", None), getattr(why, "values", {}))
    log.warning("skipping %s: %s", one_line(where), one_line(reason), extra={"skipped": skip})  # for its words
    skipped.append(skip)


def read_file(root: Path, path: Path, skipped: list[Skipped], limit: int | None = None) -> list[Article]:
    """The articles of one corpus file; a broken file yields none and a ``Skipped`` entry.

    ``limit`` (bytes, default ``max_file_bytes()``) caps a .txt, .md, .html, .mhtml, .pdf or .docx file (and a .pdf's
    or .docx's text, in characters), and each line of a .jsonl file, which is streamed.
    """
    limit = max_file_bytes() if limit is None else limit
    rel = path.relative_to(root).as_posix()
    suffix = path.suffix.lower()
    try:
        if suffix in UNREAD_SUFFIXES:
            raise UNREAD_SUFFIXES[suffix]()
        if suffix in JSONL_SUFFIXES:
            return _read_jsonl(path, rel, skipped, limit)
        reader = (_read_html if suffix in HTML_SUFFIXES else _read_pdf if suffix in PDF_SUFFIXES
                  else _read_docx if suffix in DOCX_SUFFIXES else _read_mhtml if suffix in MHTML_SUFFIXES
                  else _read_text)
        articles = reader(path, rel, limit)
        for article in articles:  # a front matter's JSON string may hold a lone surrogate or a NUL too
            _require_storable(article)
        return articles
    except OSError as exc:  # a dangling symlink, a symlink loop, no permission...
        _skip(skipped, rel, exc.strerror or str(exc), CitebotError(str(exc), key="os_error", why=exc))
        return []
    except ValueError as exc:
        if str(exc) == "no text":
            _skip(skipped, rel, "empty file", Unreadable("empty file", "empty_file"))
        else:
            _skip(skipped, rel, str(exc), exc)
        return []


def read_corpus(root: Path, only: set[str] | None = None, limit: int | None = None,
                unread: dict[str, Skipped] | None = None) -> Corpus:
    """Every readable article under ``root`` (or only the files named in ``only``); a file named in ``unread`` is
    skipped with the reason it gives there, not read."""
    limit = max_file_bytes() if limit is None else limit
    unread = unread or {}
    corpus = Corpus()
    for rel, path in corpus_paths(root, corpus.skipped).items():
        if rel in unread:
            _skip(corpus.skipped, rel, unread[rel].reason, unread[rel])  # its key too: said in the same words
        elif only is None or rel in only:
            corpus.articles.extend(read_file(root, path, corpus.skipped, limit))
    return corpus
