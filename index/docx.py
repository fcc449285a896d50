"""Read a Word document's (.docx) text, within bounds a hostile file (a zip bomb) cannot push.

>>> read_docx(Path("draft.docx").read_bytes(), max_chars=20_000_000)   # doctest: +SKIP
'Tallinn harbour tunnel to open in March\\nThe city council of Tallinn confirmed on Tuesday…'

The text is the main document's paragraphs, one a line, in their order: body text, each table cell's paragraphs row
after row, text boxes where they are anchored. A tracked insertion is read as written and a tracked deletion not (the
draft as it reads with its changes accepted); a tab is a tab, a line break a newline. Headers, footers, footnotes and
comments are not the story, and are left out. The document part is streamed (no element is kept once it closes), refused
unread when the archive says it inflates to more than MAX_PART bytes (the archive cannot hide more: Python's zipfile
reads no further than the size the archive declares), and given up past MAX_SECONDS of CPU time.
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib

MAX_PART = 200_000_000  # bytes the document's XML may inflate to; a 1,000-page report's is about 60 MB
MAX_SECONDS = 20.0       # CPU seconds of the reading thread for one file: 200 MB of the tersest XML takes about 10
MAX_RELS = 1 << 20          # bytes of the package's relationships part, which names the document part

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = f"{_W}t"
# What an element that holds no text is read as. A non-breaking hyphen reads as "-", which search matches; an
# optional (soft) hyphen is not read at all.
_MARKS = {f"{_W}p": "\n", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}tab": "\t", f"{_W}noBreakHyphen": "-"}
# Not read, nor anything inside: deleted and moved-away text (their runs hold w:delText, but a tool may write w:t), and
# the fallback copy of a text box (mc:AlternateContent holds the box twice, as mc:Choice and as mc:Fallback).
_LEFT_OUT = {f"{_W}del", f"{_W}moveFrom", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_MAIN = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: what Word writes for a password-protected document


class Unreadable(ValueError):
    """Why a Word document is not read, in a few words. ``key`` and ``values`` name the message in
    ``bot.messages.REASONS`` that says the same in the bot's other languages, as a CitebotError's do."""

    def __init__(self, message: str, key: str, **values):
        super().__init__(message)
        self.key, self.values = key, values


class _TooLong(Exception):
    pass


class _GaveUp(Exception):
    pass


def read_docx(data: bytes, max_chars: int) -> str:
    """The text of the .docx file ``data`` (see the module's doc); Unreadable (a ValueError) saying why it cannot be
    read, or ValueError("no text")."""
    if data.startswith(_OLE):
        raise Unreadable("a Word document with a password, or an old .doc renamed .docx: save it without a "
                         "password as a .docx (Word Document)", "docx_password")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = archive.getinfo(_main_part(archive))
            if part.file_size > MAX_PART:
                raise Unreadable(f"its document part inflates to {part.file_size / 1e6:.1f} MB, over the "
                                 f"{MAX_PART / 1e6:g} MB a Word document is read to (a zip bomb?)", "docx_bomb",
                                 size=round(part.file_size / 1e6, 1), most=MAX_PART / 1e6)
            with archive.open(part) as stream:
                text = _text(stream, max_chars)
    except _GaveUp:
        raise _too_slow(MAX_SECONDS) from None
    except _TooLong:
        raise Unreadable(f"more than {max_chars:,} characters of text, the limit (set CITEBOT_MAX_FILE_MB)",
                         "docx_too_long", chars=max_chars) from None
    except KeyError:
        raise Unreadable("not a Word document (no document part in it)", "docx_no_part") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: a member encrypted with a zip password; NotImplementedError: a compression zipfile lacks
        raise Unreadable(f"not a readable Word document ({exc})", "docx_broken", detail=str(exc)) from None
    except SyntaxError as exc:  # lxml's XMLSyntaxError: broken XML, or past libxml2's own bounds (depth, node size)
        raise Unreadable(f"not a readable Word document (its XML: {exc})", "docx_broken",
                         detail=f"its XML: {exc}") from None
    if not text.strip():
        raise ValueError("no text")
    return text


def refusals() -> set[str]:
    """Why a Word document past this budget is refused for good: a file refused so, unchanged since, is not read again
    by a build, which would only spend the budget again to refuse it again. Its CPU time only: a document part too large
    is refused by the size the archive declares, unread."""
    return {str(_too_slow(MAX_SECONDS))}


def _too_slow(seconds: float) -> Unreadable:
    return Unreadable(f"gave up after {seconds:g} s of reading it (a zip bomb?)", "docx_time", seconds=float(seconds))


def _main_part(archive: zipfile.ZipFile) -> str:
    """The name of the document part, as the package's relationships name it (word/document.xml when they do not)."""
    from lxml import etree

    try:
        rels = archive.getinfo("_rels/.rels")
    except KeyError:
        return "word/document.xml"
    if rels.file_size > MAX_RELS:
        detail = f"its relationships part inflates to {rels.file_size:,} bytes"
        raise Unreadable(f"not a readable Word document ({detail})", "docx_broken", detail=detail)
    root = etree.fromstring(archive.read(rels), etree.XMLParser(resolve_entities=False, no_network=True))
    for rel in root.iter(_RELATIONSHIP):
        if rel.get("Type") == _MAIN and rel.get("Target"):
            return rel.get("Target").lstrip("/")
    return "word/document.xml"


def _text(stream, max_chars: int) -> str:
    """The text of the document part ``stream``, parsed a chunk at a time into no tree (each element is seen as it
    opens and closes, then forgotten); _TooLong past ``max_chars`` characters, _GaveUp past MAX_SECONDS."""
    from lxml import etree

    reader = _Reader(max_chars)
    parser = etree.XMLParser(target=reader, resolve_entities=False, no_network=True)
    began = time.thread_time()
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        parser.feed(chunk)
        if time.thread_time() - began > MAX_SECONDS:
            raise _GaveUp()
    return parser.close().strip()


class _Reader:
    """An lxml parser target that keeps the text (see the module's doc) of the elements it is told of."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.pieces: list[str] = []
        self.size = 0
        self.hidden = 0  # how deep inside elements left out
        self.in_text = False

    def start(self, tag, attrib) -> None:
        if tag == _TEXT:
            self.in_text = True
        elif tag in _LEFT_OUT:
            self.hidden += 1

    def end(self, tag) -> None:
        if tag == _TEXT:
            self.in_text = False
        elif tag in _LEFT_OUT:
            self.hidden -= 1
        elif tag in _MARKS:
            self.data(_MARKS[tag], mark=True)

    def data(self, text: str, mark: bool = False) -> None:
        if (self.in_text or mark) and not self.hidden:
            self.pieces.append(text)
            self.size += len(text)
            if self.size > self.max_chars:
                raise _TooLong()

    def close(self) -> str:
        return "".join(self.pieces)
