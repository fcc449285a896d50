"""Read a web page saved as one file (.mhtml, .mht: Chrome's and Edge's "Webpage, Single File"), within bounds.

>>> page = read_mhtml(Path("summit.mhtml").read_bytes())   # doctest: +SKIP
>>> page.url, page.title, page.html[:15]                    # doctest: +SKIP
('https://news.example.org/2026/11/20/summit', 'Summit opens in Vilnius', '<!DOCTYPE html>')

Such a file is a MIME message (multipart/related) holding the page and what it loads: its HTML first, then style
sheets, images and frames, each a part. Its header says where the page was saved from (Chrome's
``Snapshot-Content-Location``, else the page part's ``Content-Location``) and its title (``Subject``); its ``Date`` is
the day it was saved, not the story's, and is not read. The parts are found by their boundary a part at a time, only
each one's header parsed (Python's email parser), up to the first text/html part, the only one decoded
(quoted-printable or base64, in the charset its header or its ``<meta>`` names), its body in one piece, never line by
line: an image is never decoded, and a file of MAX_PARTS parts with no page in them is given up.
"""

from __future__ import annotations

import binascii
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email._encoded_words import decode_b  # the email parser's own base64 decoding, lenient as it is
from email.message import Message
from email.parser import BytesHeaderParser

MAX_PARTS = 1_000        # parts looked at for the page, in the whole file; Chrome, Edge and Word write it first
MAX_HEADER = 64 << 10    # bytes of one header (the file's, or a part's): Chrome's are a few hundred
MAX_DEPTH = 4            # multiparts inside multiparts (Chrome writes none)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FIRST_LINE = re.compile(rb"[!-9;-~]+:")  # a header field's name and colon


class Unreadable(ValueError):
    """Why a saved web page is not read, in a few words. ``key`` and ``values`` name the message in
    ``bot.messages.REASONS`` that says the same in the bot's other languages, as a CitebotError's do."""

    def __init__(self, message: str, key: str, **values):
        super().__init__(message)
        self.key, self.values = key, values


@dataclass(frozen=True)
class SavedPage:
    """The page a .mhtml file holds: its HTML, the address it was saved from and the title its header gives."""

    html: str
    url: str | None
    title: str | None


def read_mhtml(data: bytes) -> SavedPage:
    """The page of the .mhtml file ``data`` (see the module's doc); Unreadable (a ValueError) saying why it cannot be
    read."""
    if not _FIRST_LINE.match(data):
        raise _broken("it does not open with a MIME header, as a page saved as one file does")
    head, body = _split(data, 0, len(data), "the file's")
    top = _headers(data[:head])
    found = _page(data, top, body, len(data), 0, itertools.count())
    if found is None:
        raise Unreadable("no web page in it (no text/html part)", "mhtml_no_page")
    part, begins, ends = found
    url = next((u for u in (_address(_raw(top, "Snapshot-Content-Location")), _address(_raw(part, "Content-Location")),
                            _address(_raw(top, "Content-Location"))) if u), None)
    return SavedPage(_decoded(part, memoryview(data)[begins:ends]), url, _text(_raw(top, "Subject")))


def _broken(detail: str) -> Unreadable:
    return Unreadable(f"not a readable saved web page ({detail})", "mhtml_broken", detail=detail)


def _split(data: bytes, start: int, end: int, whose: str) -> tuple[int, int]:
    """Where the header that opens ``data[start:end]`` ends, and where the body after its blank line starts."""
    if data.startswith((b"\r\n", b"\n"), start):  # no header at all: a part of plain text, by MIME's default
        return start, start + (2 if data.startswith(b"\r\n", start) else 1)
    blank = _HEADER_END.search(data, start, min(end, start + MAX_HEADER + 4))
    if blank is None:
        raise _broken(f"{whose} header does not end within {MAX_HEADER // 1024} KB" if end - start > MAX_HEADER
                      else f"{whose} header does not end")
    return blank.start(), blank.end()


def _headers(raw: bytes) -> Message:
    try:
        return BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    except (ValueError, TypeError, IndexError, LookupError) as exc:  # the email package on a hostile header
        raise _broken(f"its header: {exc}") from None


def _page(data: bytes, headers: Message, body: int, end: int, depth: int,
          looked: Iterator[int]) -> tuple[Message, int, int] | None:
    """The header of the first text/html part in the part whose header is ``headers`` and whose body is
    ``data[body:end]``, and where that page's body begins and ends; None when it holds none. ``looked`` counts the parts
    looked at, in the whole file."""
    kind = headers.get_content_type()
    if kind == "text/html":
        return headers, body, end
    if not kind.startswith("multipart/") or depth >= MAX_DEPTH:
        return None
    boundary = headers.get_boundary()
    if not boundary:
        raise _broken("a multipart with no boundary")
    for start, stop in _parts(data, body, end, boundary.encode("utf-8", "surrogateescape")):
        if next(looked) == MAX_PARTS:
            raise Unreadable(f"no web page in its first {MAX_PARTS:,} parts", "mhtml_no_page_within", most=MAX_PARTS)
        head, part_body = _split(data, start, stop, "a part's")
        found = _page(data, _headers(data[start:head]), part_body, stop, depth + 1, looked)
        if found is not None:
            return found
    return None


def _parts(data: bytes, start: int, end: int, boundary: bytes):
    """(start, end) of each part of the multipart body ``data[start:end]``, found one at a time: from the line after a
    ``--boundary`` line to the line break before the next (the last part, when the closing line is missing, to
    ``end``)."""
    marker = b"--" + boundary
    if data.startswith(marker, start):
        at = start
    else:
        found = data.find(b"\n" + marker, start, end)
        at = found + 1 if found >= 0 else None
    while at is not None:
        after = at + len(marker)
        if data.startswith(b"--", after):  # the closing delimiter
            return
        line_end = data.find(b"\n", after, end)
        if line_end < 0:
            return
        part_start = line_end + 1
        following = data.find(b"\n" + marker, line_end, end)  # from the line break: an empty part ends at once
        part_end = end if following < 0 else following
        if following >= 0 and part_end > part_start and data[part_end - 1] == 13:  # the CR of a CR LF
            part_end -= 1
        if part_end > part_start:
            yield part_start, part_end
        at = following + 1 if following >= 0 else None


def _decoded(part: Message, body: memoryview) -> str:
    """The text of the page part whose header is ``part``: its ``body`` decoded (quoted-printable, base64), in its
    charset. Decoded here as the email parser decodes it, not by the parser, which holds a string for each line: a body
    of five million quoted-printable soft line breaks ("=\\r\\n", 15 MB) took 475 MB to read."""
    from index.fetch import declared_codec

    coding = (_raw(part, "Content-Transfer-Encoding") or "").strip().lower()
    try:
        if coding == "quoted-printable":
            raw = binascii.a2b_qp(body)
        elif coding == "base64":  # as the parser: line breaks dropped, then its leniency on padding and stray bytes
            raw = decode_b(body.tobytes().translate(None, b"\r\n"))[0]
        else:
            raw = body.tobytes()
    except ValueError as exc:
        raise _broken(f"its page: {exc}") from None
    codec = declared_codec(raw, _text(_raw(part, "Content-Type")) or "") or "utf-8"
    try:
        html = raw.decode(codec)
    except UnicodeDecodeError as exc:
        named = "UTF-8" if codec in ("utf-8", "utf-8-sig") else codec
        raise Unreadable(f"its page is not {named} text ({exc.reason} at byte {exc.start})", "not_text",
                         codec=named) from None
    if "\x00" in html:
        raise _broken("its page is binary, not text")
    return html.removeprefix("\ufeff")


def _raw(headers: Message, name: str) -> str | None:
    """The first ``name`` field's value as the file holds it (its bytes beyond ASCII as surrogate escapes). The parser's
    ``get`` hands such a value over as a Header, whose text has lost them to "�", and which no regex reads."""
    return next((value for key, value in headers.raw_items() if key.lower() == name.lower()), None)


def _address(value: str | None) -> str | None:
    """``value`` when it is an http(s) address (not a cid: or file: one, which names no page on the web)."""
    value = _text(value)
    return value if value and re.fullmatch(r"(?i)https?://\S+", value) else None


def _text(value) -> str | None:
    """A header's value as text on one line: its raw bytes read as UTF-8, its RFC 2047 words (``=?utf-8?Q?...?=``)
    decoded."""
    if value is None:
        return None
    from email.header import decode_header, make_header

    raw = str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        text = str(make_header(decode_header(raw)))
    except (ValueError, LookupError, UnicodeError):  # an unknown charset, a broken encoded word
        text = raw
    return " ".join(text.split()) or None
