"""Read a Word document's (.docx) text, within bounds a hostile file (a zip bomb) cannot push.

>>> read_docx(Path("draft.docx").read_bytes(), max_chars=20_000_000)   # doctest: +SKIP
'Tallinn harbour tunnel to open in March\\nThe city council of Tallinn confirmed on Tuesday…'

The text is the main document's paragraphs, one a line, in their order: body text, each table a line a row, written as
a Markdown table's row is ("| Omar Haddad | +372 5123 4567 |", a cell's paragraphs joined by spaces, a vertically merged
cell's text, up to MAX_MERGED characters, in each row it spans that reads as a row; but a table laying out the page, a
row of one cell or of a cell of more than MAX_CELL_LINES lines, is read a line a paragraph, as the body is), text boxes
after the paragraph they are anchored in (not inside its sentence), on lines of their own, read as the body is. A
bulleted or numbered paragraph (a list item, by its own numbering or its style's, not a heading) opens with "- ", as a
Markdown list item does: the number Word shows is not in the text, and a
wrong one would be quoted as the document's. A tracked insertion is read as written and a tracked deletion not (the
draft as it reads with its changes accepted); a tab is a tab, a line break a newline (in a table, a space). Headers,
footers, footnotes and comments are not the story, and are left out. The document part is streamed (no element is kept
once it closes), refused unread when the archive says it inflates to more than MAX_PART bytes (the archive cannot hide
more: Python's zipfile reads no further than the size the archive declares), and given up past MAX_SECONDS of CPU time;
the styles part (which styles are lists) is read whole, when it is no more than MAX_STYLES bytes.
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from array import array

MAX_PART = 200_000_000  # bytes the document's XML may inflate to; a 1,000-page report's is about 60 MB
MAX_SECONDS = 20.0       # CPU seconds of the reading thread for one file: 200 MB of the tersest XML takes about 10
MAX_RELS = 1 << 20          # bytes of the package's relationships part, which names the document part
MAX_STYLES = 4 << 20        # bytes of the styles part (which styles are lists), streamed; a larger one is not read
# A row is a line when it has two cells with text or more, none of more lines than this: a row of a table of data, not
# of a table laying out a page (one cell, or a cell holding the article's paragraphs), whose lines are read as lines.
MAX_CELL_LINES = 3
# A vertically merged cell's text, which Word writes in its first row only, is read again in each row under it (the
# row "| Omar Haddad | +372 5999 0000 |", not "+372 5999 0000" alone) when it is no longer than this, in one of the
# table's first MAX_MERGED_COLUMNS grid columns (a row of a million merges keeps no million texts)
MAX_MERGED = 200
MAX_MERGED_COLUMNS = 64

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = f"{_W}t"
# What an element that holds no text is read as. A non-breaking hyphen reads as "-", which search matches; an
# optional (soft) hyphen is not read at all.
_MARKS = {f"{_W}p": "\n", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}tab": "\t", f"{_W}noBreakHyphen": "-"}
# Not read, nor anything inside: deleted and moved-away text (their runs hold w:delText, but a tool may write w:t), and
# the fallback copy of a text box (mc:AlternateContent holds the box twice, as mc:Choice and as mc:Fallback).
_LEFT_OUT = {f"{_W}del", f"{_W}moveFrom", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
             f"{_W}pPrChange",  # a paragraph's properties before a tracked change: a list it no longer is
             f"{_W}tcPrChange",  # a cell's before one: a merge it no longer is
             f"{_W}trPrChange"}  # a row's before one: columns it no longer skips
_P, _PSTYLE, _NUMID, _OUTLINE = f"{_W}p", f"{_W}pStyle", f"{_W}numId", f"{_W}outlineLvl"
_TABLE, _ROW, _CELL, _VAL = f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}val"
_SPAN, _VMERGE, _BEFORE = f"{_W}gridSpan", f"{_W}vMerge", f"{_W}gridBefore"  # _BEFORE: grid columns a row skips
_BOX = f"{_W}txbxContent"  # a text box's paragraphs, inside a run of the paragraph it is anchored in
_PROPERTIES = {_PSTYLE, _NUMID, _OUTLINE}
_HEADING_LEVELS = {str(level) for level in range(9)}  # w:outlineLvl's 0 to 8; 9 is body text
# What a table row's bar or space is read as where the row lays out the page: nothing, a line's end, and either before
# a list item's mark (a space opening a list item's text)
_LAYOUTS = ("", "\n", "- ", "\n- ")
_WATCHED = {*_MARKS, *_LEFT_OUT, _PSTYLE, _NUMID, _OUTLINE, _TABLE, _ROW, _CELL, _SPAN, _VMERGE, _BEFORE, _BOX}
_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
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
            lists, headings = _list_styles(archive, part.filename)
            with archive.open(part) as stream:
                text = _text(stream, max_chars, lists, headings)
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


def _list_styles(archive: zipfile.ZipFile, part: str) -> tuple[set[str], set[str]]:
    """The ids of the paragraph styles that make a paragraph a list item: numbered (a numId but 0), their own or a
    style's they are based on, and no heading (Word numbers headings "1 Introduction" by their style too); and of the
    heading styles (an outline level 1 to 9), whose paragraphs are no list items even when numbered by their own
    numbering. None when the document part's relationships name no styles part, or it is over MAX_STYLES bytes or
    broken: the text is read all the same, its list items by their own numbering. The part is streamed, a style at a
    time."""
    from lxml import etree

    folder, _, name = part.rpartition("/")
    based, numbered, heading = {}, {}, {}
    try:
        rels = archive.getinfo(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels")
        if rels.file_size > MAX_RELS:
            return set(), set()
        root = etree.fromstring(archive.read(rels), etree.XMLParser(resolve_entities=False, no_network=True))
        target = next((rel.get("Target") for rel in root.iter(_RELATIONSHIP)
                       if rel.get("Type") == _STYLES and rel.get("Target") and rel.get("TargetMode") != "External"),
                      None)
        if not target:
            return set(), set()
        styles = archive.getinfo(target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/"))
        if styles.file_size > MAX_STYLES:
            return set(), set()
        with archive.open(styles) as stream:
            for _, style in etree.iterparse(stream, tag=f"{_W}style", resolve_entities=False, no_network=True):
                sid = style.get(f"{_W}styleId")
                if sid and style.get(f"{_W}type") == "paragraph":
                    parent = style.find(f"{_W}basedOn")
                    based[sid] = parent.get(_VAL) if parent is not None else None
                    num = style.find(f"{_W}pPr/{_W}numPr/{_NUMID}")
                    if num is not None:
                        numbered[sid] = num.get(_VAL) != "0"
                    outline = style.find(f"{_W}pPr/{_OUTLINE}")
                    if outline is not None:
                        heading[sid] = outline.get(_VAL) in _HEADING_LEVELS
                style.clear(keep_tail=False)
                while style.getprevious() is not None:  # the styles read: no tree of them is kept
                    del style.getparent()[0]
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, SyntaxError):
        return set(), set()
    resolved: dict[str, tuple[bool | None, bool]] = {}  # each style's numbering and whether it is a heading's
    for sid in based:
        chain, on_chain, at = [], set(), sid
        while at is not None and at not in resolved and at not in on_chain:  # a loop of basedOn ends where it closes
            chain.append(at)
            on_chain.add(at)
            at = based.get(at)
        num, head = resolved.get(at, (None, False))
        for style in reversed(chain):  # each style once: a chain of 100,000 styles is no 100,000 walks
            num, head = numbered.get(style, num), heading.get(style, head)
            resolved[style] = num, head
    return ({sid for sid, (num, head) in resolved.items() if num and not head},
            {sid for sid, (_, head) in resolved.items() if head})


def _text(stream, max_chars: int, lists: set[str] = frozenset(), headings: set[str] = frozenset()) -> str:
    """The text of the document part ``stream``, parsed a chunk at a time into no tree (each element is seen as it
    opens and closes, then forgotten), paragraphs of the styles ``lists`` read as list items, of ``headings`` never;
    _TooLong past ``max_chars`` characters, _GaveUp past MAX_SECONDS."""
    from lxml import etree

    reader = _Reader(max_chars, lists, headings)
    parser = etree.XMLParser(target=reader, resolve_entities=False, no_network=True)
    began = time.thread_time()
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        parser.feed(chunk)
        if time.thread_time() - began > MAX_SECONDS:
            raise _GaveUp()
    return parser.close().strip()


class _Reader:
    """An lxml parser target that keeps the text (see the module's doc) of the elements it is told of."""

    def __init__(self, max_chars: int, lists: set[str] = frozenset(), headings: set[str] = frozenset()):
        self.max_chars = max_chars
        self.lists, self.headings = lists, headings
        self.pieces: list[str] = []
        self.size = 0
        self.hidden = 0  # how deep inside elements left out
        self.in_text = False
        # Each open paragraph: where its list mark would go in pieces (None: it has no properties), its style, whether
        # its own numbering numbers it and its own outline level makes it a heading (None: its style's say)
        self.paragraphs: list[list] = []
        self.tables = 0  # how deep inside tables
        self.boxes = 0  # how deep inside text boxes
        # Where the text box being read began in pieces, when it is read after the body paragraph it is anchored in
        # (Word writes it inside, where the cursor was: maybe inside a sentence), and such boxes' pieces, to be read
        self.box_at: int | None = None
        self.deferred: list[str] = []
        self.row: tuple[int, int] | None = None  # where the row being read began in pieces, and the size then
        # Where the row's bars and spaces are in pieces, four times over, plus what a layout table reads it as (its
        # index in _LAYOUTS): 8 bytes a mark, as a row of a million one-letter cells has two million of them
        self.marks = array("q")
        self.cells = 0  # the row's cells with text
        self.lines = 0  # the most lines (paragraphs, line breaks) of text one of its cells has
        self.cell_lines = 0  # the cell being read's
        self.space = False  # a paragraph or line ended in the cell: a space before its next text
        self.filled = False  # the row has text other than spaces, tabs and bars
        # The table's vertically merged cells' text, by grid column; the cell being read's column, grid columns wide,
        # merge ("restart", "continue" or None), and where its text began in pieces and the size then
        self.merged: dict[int, str] = {}
        self.column, self.span, self.merge, self.cell_at = 0, 1, None, (0, 0)
        self.repeated: list[int] = []  # where in pieces the row's merged cells' text is read again (one a column)

    def start(self, tag, attrib) -> None:
        if tag == _TEXT:
            self.in_text = True
        elif tag not in _WATCHED:  # most elements (runs, their properties): one look-up
            return
        elif tag in _LEFT_OUT:
            self.hidden += 1
        elif self.hidden:
            return
        elif tag == _P:
            self.paragraphs.append([None, None, None, None])
        elif tag == _BOX:  # its paragraphs on lines of their own, not run into the text before it
            self.boxes += 1
            if self.boxes == 1 and not self.tables and self.paragraphs:
                self.box_at = len(self.pieces)
            else:
                self._break()
        elif tag in _PROPERTIES and self.paragraphs:
            paragraph = self.paragraphs[-1]
            if paragraph[0] is None:  # its properties come before its text: a place for its list mark, if it is one
                paragraph[0] = len(self.pieces)
                self.pieces.append("")
            if tag == _PSTYLE:
                paragraph[1] = attrib.get(_VAL)
            elif tag == _NUMID:
                paragraph[2] = attrib.get(_VAL) != "0"
            else:  # an outline level: a heading, though numbered (but the 10th, Word's "Body Text")
                paragraph[3] = attrib.get(_VAL) in _HEADING_LEVELS
        elif tag == _TABLE:
            self.tables += 1
            if self.tables == 1:
                self.merged.clear()
        elif tag == _ROW and self.tables == 1:
            self.row, self.cells, self.lines, self.filled = (len(self.pieces), self.size), 0, 0, False
            self.column = 0
            del self.marks[:], self.repeated[:]
            self._mark("|", 0)
        elif tag == _CELL and self.tables == 1:
            self.cell_lines, self.space = 0, False
            self.span, self.merge, self.cell_at = 1, None, (len(self.pieces), self.size)
        elif self.tables != 1:
            return
        elif tag == _SPAN:
            try:
                self.span = max(int(attrib.get(_VAL, "1")), 1)
            except ValueError:
                pass
        elif tag == _VMERGE:
            self.merge = "restart" if attrib.get(_VAL) == "restart" else "continue"
        elif tag == _BEFORE:  # the row's first cell is under a later grid column, as are its merges
            try:
                self.column = max(int(attrib.get(_VAL, "0")), 0)
            except ValueError:
                pass

    def end(self, tag) -> None:
        if tag == _TEXT:
            self.in_text = False
        elif tag not in _WATCHED:
            return
        elif tag in _LEFT_OUT:
            self.hidden -= 1
        elif self.hidden:
            return
        elif tag == _P:
            self._end_paragraph()
            if self.deferred and not self.paragraphs:  # the anchor's: its boxes after it
                self._add_deferred()
        elif tag == _BOX:
            self.boxes -= 1
            if not self.boxes and self.box_at is not None:
                self.deferred += self.pieces[self.box_at:]
                del self.pieces[self.box_at:]
                self.box_at = None
            else:
                self._break()
        elif tag == _TABLE:
            self.tables -= 1
        elif tag in _MARKS:
            mark = _MARKS[tag]
            if not self.tables:
                self._add(mark)
            elif mark == "\n":  # a line break in a cell: a space, the row being one line
                self.space = self.cell_lines > 0
            else:
                self._in_cell(mark)
        elif self.tables == 1 and tag == _CELL:
            self._end_merge()
            self._mark(" |", self.cell_lines > 0)
            self.cells += self.cell_lines > 0
            self.lines = max(self.lines, self.cell_lines)
        elif self.tables == 1 and tag == _ROW:
            self._end_row()
        elif self.tables and tag in (_ROW, _CELL):  # an inner table's: a space
            self.space = self.cell_lines > 0

    def data(self, text: str) -> None:
        if self.in_text and not self.hidden:
            if self.tables:
                self._in_cell(text)
            else:
                self._add(text)

    def _in_cell(self, text: str) -> None:
        """Adds ``text`` to the cell being read, after a space: the bar's, or that of a paragraph or line ended."""
        if not self.cell_lines:
            self._mark(" ", 0)
            self.cell_lines = 1
        elif self.space:
            self._mark(" ", 1)
            self.cell_lines += 1
        self.space = False
        if not self.filled:
            self.filled = bool(text.strip("| \t"))
        self._add(text)

    def _end_merge(self) -> None:
        """Remembers a merge's first cell's text, or reads it into a cell merged into it, a row with nothing else not
        filled by it (the merge's rest, no line)."""
        column = self.column
        self.column += self.span
        if self.merge == "continue":
            text = self.merged.get(column)
            if text and not self.cell_lines:
                filled = self.filled
                self._in_cell(text)
                self.filled = filled
                self.repeated.append(len(self.pieces) - 1)
            return
        self.merged.pop(column, None)
        at, size = self.cell_at
        short = self.size - size <= MAX_MERGED + 2 * MAX_CELL_LINES  # its spaces besides; a longer one is not joined
        if self.merge == "restart" and column < MAX_MERGED_COLUMNS and short:
            text = " ".join("".join(self.pieces[at:]).split())
            if text and len(text) <= MAX_MERGED:
                self.merged[column] = text

    def _end_paragraph(self) -> None:
        at, style, numbered, heading = self.paragraphs.pop()
        listed = ((numbered if numbered is not None else style in self.lists)
                  and not (heading if heading is not None else style in self.headings))
        if self.tables:
            self.space = self.cell_lines > 0
        else:
            self._add("\n")
        if not listed or at is None or len(self.paragraphs) > self.boxes:  # a box's paragraphs are in the anchor's
            return
        if not self.tables and "".join(self.pieces[at:]).strip():
            self.pieces[at] = "- "
            self._grow(2)
        elif self.tables == 1 and self.row is not None:  # a cell's: a list item where the row lays out the page
            first = len(self.marks)
            while first and self.marks[first - 1] >> 2 >= at:  # the item's first text's space
                first -= 1
            if first < len(self.marks) and any(self.pieces[i].strip()
                                               for i in range(self.marks[first] >> 2, len(self.pieces))):
                self.marks[first] |= 2

    def _end_row(self) -> None:
        at, size = self.row
        if not self.filled:  # a row of empty cells (a spacer, a merged row's rest): no line
            del self.pieces[at:]
            self.size = size
        elif self.cells >= 2 and self.lines <= MAX_CELL_LINES:
            self._add("\n")
        else:  # a layout table's (a boxed note, a page laid out in cells): its lines, as in the body, not one
            for mark in self.marks:
                where, layout = mark >> 2, _LAYOUTS[mark & 3]
                self.size += len(layout) - len(self.pieces[where])
                self.pieces[where] = layout
            for where in self.repeated:  # a merged cell reads once, in its first row, as a page shows it
                self.size -= len(self.pieces[where]) + len(self.pieces[where + 1])  # its text, and its bar's line
                self.pieces[where] = self.pieces[where + 1] = ""
            self._grow(0)  # its list items' marks
        self.row = None

    def _add_deferred(self) -> None:
        """Reads the text boxes anchored in the paragraph just read, on lines of their own after it."""
        self._break()
        self.pieces += self.deferred
        self.deferred = []
        self._break()

    def _break(self) -> None:
        """Ends the line being read, if it has text: in a table's cell, with a space."""
        if self.tables:
            self.space = self.cell_lines > 0
            return
        last = len(self.pieces)
        while last and not self.pieces[last - 1]:  # a paragraph's place for a list mark
            last -= 1
        if last and not self.pieces[last - 1].endswith("\n"):
            self._add("\n")

    def _mark(self, text: str, newline: bool) -> None:
        """Adds a bar or a space of a table row, which a layout table's row reads as a newline or as nothing."""
        if self.row is not None:
            self.marks.append(len(self.pieces) << 2 | newline)
        self._add(text)

    def _add(self, text: str) -> None:
        self.pieces.append(text)
        self._grow(len(text))

    def _grow(self, chars: int) -> None:
        self.size += chars
        if self.size > self.max_chars:
            raise _TooLong()

    def close(self) -> str:
        if self.deferred:  # an anchor left unclosed
            self._add_deferred()
        return "".join(self.pieces)
