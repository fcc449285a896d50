"""Real PDF files for tests, written by hand: pages of text lines in Helvetica, document metadata, and the hostile
kinds (a stream that inflates to gigabytes, thousands of pages, forms in forms, nesting, a broken cross-reference).

    write_pdf(path, [["The tunnel opens in March.", "Its cost was 412 million euros."]], title="Tunnel news")
"""

from __future__ import annotations

import zlib
from pathlib import Path


def _string(line: str) -> bytes:
    """``line`` as a PDF literal string in the font's encoding: WinAnsiEncoding (cp1252: curly quotes and dashes too),
    and the ligatures "\ufb01" and "\ufb02" as codes 1 and 2, a font's glyphs /fi and /fl."""
    data = line.replace("\ufb01", "\x01").replace("\ufb02", "\x02").encode("cp1252")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_stream(lines: list[str], size: int = 11, leading: int = 14) -> bytes:
    """A page's content: ``lines`` one under another from the top left."""
    body = [b"BT", b"/F1 %d Tf %d TL 72 760 Td" % (size, leading)]
    body += [_string(line) + b" Tj T*" for line in lines]
    return b"\n".join(body + [b"ET"])


def pdf_bytes(pages: list[list[str]] | None = None, *, streams: list[bytes] | None = None, title: str | None = None,
              created: str | None = None, creator: str | None = None, compress: bool = True,
              forms: list[bytes] = ()) -> bytes:
    """A PDF of ``pages`` (each a list of lines) or of raw content ``streams``, with an /Info dictionary of
    ``title``, ``created`` (a PDF date, "D:20230420103000Z") and ``creator`` when given. ``forms`` are form XObjects
    every page may draw (/Fm0, /Fm1...)."""
    streams = list(streams) if streams is not None else [text_stream(lines) for lines in pages or []]
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    packed_of: dict[bytes, bytes] = {}  # a bomb's thousand streams alike are compressed once

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        if compress and data not in packed_of:
            packed_of[data] = zlib.compress(data, 9)
        packed = packed_of[data] if compress else data
        filters = b" /Filter /FlateDecode" if compress else b""
        return b"<< /Length %d%s%s >>\nstream\n" % (len(packed), filters, extra) + packed + b"\nendstream"

    catalog, tree = add(b""), add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
               b"/BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl] >> >>")
    form_ids = [add(stream(data, b" /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >>"
                           % font)) for data in forms]
    xobjects = b" /XObject << %s >>" % b" ".join(b"/Fm%d %d 0 R" % (i, f) for i, f in enumerate(form_ids)) if forms else b""
    kids = []
    for data in streams:
        content = add(stream(data))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >>%s >> "
                        b"/Contents %d 0 R >>" % (tree, font, xobjects, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = [(key, value) for key, value in (("Title", title), ("CreationDate", created), ("Creator", creator)) if value]
    info_id = add(b"<< %s >>" % b" ".join(b"/%s %s" % (k.encode(), _string(v)) for k, v in info)) if info else None
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"/Size %d /Root %d 0 R" % (len(objects) + 1, catalog) + (b" /Info %d 0 R" % info_id if info_id else b"")
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def write_pdf(path: Path, pages: list[list[str]] | None = None, **kwargs) -> Path:
    """``pdf_bytes(pages, **kwargs)`` written to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(pages, **kwargs))
    return path
