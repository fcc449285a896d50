"""Read a corpus folder into ``Article`` records, skipping broken files with a warning.

>>> articles, skipped = read_corpus(Path("corpus"))  # doctest: +SKIP
>>> articles[0].id, articles[0].title, articles[0].date  # doctest: +SKIP
('000_021f342df130e0f3.txt', 'NATO member states are preparing to discuss…', '2023-04-20')
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from index import frontmatter
from index.errors import CitebotError
from index.sentences import sentence_spans

log = logging.getLogger("citebot.documents")

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

# A leading metadata line such as " date 2023-04-20 This audio is created with AI assistance".
_DATE_LINE = re.compile(r"\A\s*date[:\s]+(\d{4}-\d{2}-\d{2})\b[^\n]*\n?", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TITLE_CHARS = 80


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
    """A file (or jsonl line) left out of the build, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class FileStamp:
    """What the manifest remembers of one corpus file."""

    size: int
    mtime_ns: int
    sha256: str

    def to_json(self) -> dict:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def require_corpus_dir(root: Path) -> None:
    if not root.is_dir():
        raise CitebotError(f"corpus folder not found: {root} (set --corpus or CITEBOT_CORPUS)")


def corpus_files(root: Path) -> list[Path]:
    """Supported files under ``root``, recursively, hidden ones excluded, in a stable order."""
    require_corpus_dir(root)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not name.startswith(".") and path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(path)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(root: Path, previous: dict[str, dict] | None = None) -> dict[str, FileStamp]:
    """Size, mtime and content hash of every corpus file, keyed by its relative path.

    A file whose size and mtime match ``previous`` keeps its recorded hash, so checking an
    unchanged corpus does not re-read it.
    """
    previous = previous or {}
    stamps = {}
    for path in corpus_files(root):
        rel = path.relative_to(root).as_posix()
        stat = path.stat()
        old = previous.get(rel)
        if old and old["size"] == stat.st_size and old["mtime_ns"] == stat.st_mtime_ns:
            digest = old["sha256"]
        else:
            digest = _sha256(path)
        stamps[rel] = FileStamp(stat.st_size, stat.st_mtime_ns, digest)
    return stamps


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-")
    return cut + "…"


def _title_from(text: str, start: int) -> str:
    spans = sentence_spans(text, start)
    return shorten(text[spans[0][0] : spans[0][1]]) if spans else ""


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
        date = date or header.group(1)
    if not text[body_start:].strip():
        raise ValueError("no text")
    title = shorten(title) if title and title.strip() else _title_from(text, body_start)
    return Article(id=id, text=text, title=title, date=date, url=url, path=path, body_start=body_start)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data:
        raise ValueError("binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _read_text(path: Path, rel: str) -> list[Article]:
    text = _decode(path)
    meta, body_start = frontmatter.parse(text) if path.suffix.lower() == ".md" else (None, 0)
    if meta is None:
        return [make_article(rel, text, rel)]
    # Written by `citebot add`: the header holds the page's title, date and URL (see index/add.py).
    date = meta.get("date") if _DATE.fullmatch(meta.get("date", "")) else None
    return [make_article(rel, text, rel, title=meta.get("title"), date=date, url=meta.get("url"),
                         body_start=body_start)]


def _read_html(path: Path, rel: str) -> list[Article]:
    import trafilatura  # only corpora with HTML pay for this import

    html = _decode(path)
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(html)
    if not text or not text.strip():
        raise ValueError("no main text found in the HTML")
    date = meta.date if meta and meta.date and _DATE.fullmatch(meta.date) else None
    return [make_article(rel, text, rel, title=meta.title if meta else None, date=date)]


def _optional_str(row: dict, key: str) -> str | None:
    value = row.get(key)
    return str(value) if value not in (None, "") else None


def _read_jsonl(path: Path, rel: str, skipped: list[Skipped]) -> list[Article]:
    articles, seen = [], set()
    for lineno, line in enumerate(_decode(path).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{rel}:{lineno}"
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
                title=_optional_str(row, "title"), date=_optional_str(row, "date"), url=_optional_str(row, "url"),
            )
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            reason = f"malformed JSON ({exc.msg})" if isinstance(exc, json.JSONDecodeError) else str(exc)
            _skip(skipped, where, reason)
            continue
        seen.add(key)
        articles.append(article)
    return articles


def _skip(skipped: list[Skipped], where: str, reason: str) -> None:
    log.warning("skipping %s: %s", where, reason)
    skipped.append(Skipped(where, reason))


def read_file(root: Path, path: Path, skipped: list[Skipped]) -> list[Article]:
    """The articles of one corpus file; a broken file yields none and a ``Skipped`` entry."""
    rel = path.relative_to(root).as_posix()
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            return _read_jsonl(path, rel, skipped)
        if suffix in HTML_SUFFIXES:
            return _read_html(path, rel)
        return _read_text(path, rel)
    except (OSError, ValueError) as exc:
        _skip(skipped, rel, "empty file" if str(exc) == "no text" else str(exc))
        return []


def read_corpus(root: Path, only: set[str] | None = None) -> Corpus:
    """Every readable article under ``root`` (or only the files named in ``only``)."""
    corpus = Corpus()
    for path in corpus_files(root):
        if only is None or path.relative_to(root).as_posix() in only:
            corpus.articles.extend(read_file(root, path, corpus.skipped))
    return corpus
