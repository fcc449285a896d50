"""Read a PDF's text layer and metadata with pypdf, within bounds a hostile file cannot push.

>>> doc = read_pdf(Path("report.pdf").read_bytes(), max_chars=20_000_000)   # doctest: +SKIP
>>> doc.title, doc.date, doc.text[:40]                                        # doctest: +SKIP
('Tallinn harbour tunnel to open in March', '2026-11-20', 'The city council of Tallinn confirmed on')

The text is what pypdf extracts, page after page, with three changes, each to read as the page reads:
a line that wraps inside a paragraph (it runs nearly as long as its neighbours) is joined to the next
by a space, as the sentence splitter takes a line break for a sentence's end; the Latin ligatures a
font draws as one glyph (U+FB00-FB06, "ﬁ") are their letters; control characters are spaces. A hyphen
at a line's end stays, the line joined without a space ("iden-tifier"): which hyphens the typesetter
added cannot be told from the page, and "self-evident" must keep its own. Nothing else is changed.

A file is refused (Unreadable, a ValueError, naming why) when it is encrypted with a password, broken, has no text
layer (a scan), more than MAX_PAGES pages, more than ``max_chars`` characters of text, or takes more
than MAX_SECONDS of this thread's CPU time or MAX_MEMORY bytes more memory to read (a "PDF bomb": a
stream that inflates to gigabytes, a page of millions of operators, thousands of nested forms).
pypdf's own limits per stream are lowered to STREAM_BYTES.
"""

from __future__ import annotations

import datetime
import io
import logging
import os
import re
import resource
import time
import unicodedata
from dataclasses import dataclass

from index.sentences import sentence_spans

MAX_PAGES = 1_000
MAX_SECONDS = 60.0       # CPU seconds of the reading thread for one file; a 1,000-page report takes about 40
MAX_MEMORY = 512 << 20   # bytes the process may grow by while one file is read
STREAM_BYTES = 16 << 20  # what one stream may inflate to (pypdf's default is 75 MB)
CHECK_EVERY = 256        # operators between two checks of the time and memory spent
_FULL_LINE = 0.75        # a line this long, against the longer of its neighbours, wrapped: it is joined to the next

# pypdf's warnings about a file it reads all the same ("Ignoring wrong pointing object 6 0"), a line each: not the
# user's to act on. A file it cannot read is one warning of the corpus reader's, naming it and why.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_LIGATURES = re.compile("[\ufb00-\ufb06]")
# C0 and C1 controls but tab and newline, and lone surrogates no UTF-8 writer takes
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})(\d{2})")
_ENDS = ".!?…:;"  # a line ending so ends a sentence (or a clause a list follows)
_CLOSING = "\"'”’»)]"  # what may close a sentence after its full stop: quotes, brackets
_BULLET = re.compile(r"[•◦▪▫●○■□►▶‣⁃–—*]\s")
# A title the writing tool put in the metadata rather than one its author gave: "Microsoft Word - report.docx",
# "Untitled", "untitled.pdf", "PowerPoint Presentation", "Document1", a file's name. Such a PDF is titled by its text.
_TOOL_TITLE = re.compile(r"""\A(?:microsoft\s+(?:word|powerpoint|excel|publisher)\s+-\s.*
                             |untitled(?:[\s_-]*\d+)?(?:\s+document)?
                             |powerpoint\s+presentation|document\s*\d*|presentation\s*\d*|slide\s*\d+|title
                             |.*\.(?:docx?|pdf|pptx?|xlsx?|odt|odp|ods|rtf|tex|dvi|indd|qxd|pages|key|txt|html?)
                             )\Z""", re.IGNORECASE | re.VERBOSE)


@dataclass(frozen=True)
class PdfText:
    """A PDF's text, as read (see the module's doc), and the title and date its metadata give, if any."""

    text: str
    title: str | None = None
    date: str | None = None


class Unreadable(ValueError):
    """Why a PDF is not read, in a few words. ``key`` and ``values`` name the message in ``bot.messages.REASONS`` that
    says the same in the bot's other languages, as a CitebotError's do."""

    def __init__(self, message: str, key: str | None = None, **values):
        super().__init__(message)
        self.key, self.values = key, values


class _GaveUp(Exception):
    """Raised by the budget inside pypdf's extraction: the file costs more than it may."""


class _Budget:
    """This thread's CPU time and the process's memory, checked as a file is read."""

    def __init__(self, seconds: float, memory: int):
        self.deadline = time.thread_time() + seconds
        self.seconds, self.memory = seconds, memory
        self.start_memory = _resident()
        self.why: Unreadable | None = None  # why it gave up
        self.count = 0

    def check(self) -> None:
        if self.why is None:
            if time.thread_time() > self.deadline:
                self.why = _too_slow(self.seconds)
            elif _resident() - self.start_memory > self.memory:
                self.why = _too_big(self.memory)
        if self.why is not None:
            # pypdf catches an exception raised inside a form (and reads on): raised again at each operator, it
            # reaches the page's own operators, which it does not catch
            raise _GaveUp(str(self.why))

    def visit(self, operator, *_args) -> None:  # pypdf's visitor_operand_before, called before each operator
        self.count += 1
        # "Do" draws a form, whose stream pypdf inflates and parses before this sees its first operator
        if self.count % CHECK_EVERY == 0 or operator == b"Do" or self.why is not None:
            self.check()


def _resident() -> int:
    """The process's resident memory in bytes (its peak, where /proc is not there to say it)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if os.uname().sysname == "Darwin" else peak * 1024


def read_pdf(data: bytes, max_chars: int, seconds: float | None = None, memory: int | None = None,
             name: str | None = None) -> PdfText:
    """The text, title and date of the PDF ``data`` (a file named ``name``, if known), read within ``seconds`` of CPU
    and ``memory`` bytes (MAX_SECONDS, MAX_MEMORY); Unreadable (a ValueError) saying why it cannot be read. A metadata
    title that a tool made up (``_TOOL_TITLE``) or that is the file's name, with or without its suffix, is no title."""
    import pypdf  # only corpora with PDFs pay for this import
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    if b"%PDF-" not in data[:1024]:
        raise Unreadable("not a PDF file (no %PDF header)", "pdf_not_pdf")
    budget = _Budget(MAX_SECONDS if seconds is None else seconds, MAX_MEMORY if memory is None else memory)
    limits = dict(zlib_maximum_output_length=STREAM_BYTES, lzw_maximum_output_length=STREAM_BYTES,
                  run_length_maximum_output_length=STREAM_BYTES, brotli_maximum_output_length=STREAM_BYTES,
                  array_based_stream_maximum_output_length=STREAM_BYTES, maximum_declared_stream_length=STREAM_BYTES,
                  page_tree_maximum_entries=2 * MAX_PAGES + 10, jbig2dec_binary=None)
    try:
        with pypdf.apply_configuration(**limits):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _decrypt(reader)
            try:
                pages = len(reader.pages)
            except LimitReachedError:
                raise Unreadable(f"over the {MAX_PAGES:,}-page limit", "pdf_over_pages", most=MAX_PAGES) from None
            if pages > MAX_PAGES:
                raise Unreadable(f"{pages:,} pages, over the {MAX_PAGES:,}-page limit", "pdf_pages", pages=pages,
                                 most=MAX_PAGES)
            texts, size = [], 0
            for page in reader.pages:
                budget.check()
                texts.append(page.extract_text(visitor_operand_before=budget.visit) or "")
                size += len(texts[-1])
                if size > 2 * max_chars:  # before the reflow, which only takes characters away
                    raise _TooLong()
            budget.check()
            meta = _metadata(reader)
    except _GaveUp:
        raise budget.why from None
    except _TooLong:
        raise _too_long(max_chars) from None
    except FileNotDecryptedError:
        raise Unreadable("encrypted: it opens only with a password", "pdf_encrypted") from None
    except DependencyError as exc:
        raise Unreadable(f"not read ({exc})", "pdf_not_read", detail=str(exc)) from None
    except LimitReachedError as exc:
        said = _first_line(exc)
        if "decompress" in said.lower() or "length" in said.lower():
            raise Unreadable(f"gave up: a stream in it inflates to over {STREAM_BYTES >> 20} MB (a PDF bomb?)",
                             "pdf_stream", mb=STREAM_BYTES >> 20) from None
        raise Unreadable(f"gave up: {said} (a PDF bomb?)", "pdf_gave_up", detail=said) from None
    except RecursionError:
        raise Unreadable("a broken PDF (nested too deeply)", "pdf_nested") from None
    except MemoryError:
        raise Unreadable("gave up: not enough memory to read it", "pdf_no_memory") from None
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 (pypdf on a broken file: PdfReadError, KeyError, TypeError, zlib.error...)
        if budget.why:  # the budget's exception, wrapped by pypdf
            raise budget.why from None
        detail = f"{type(exc).__name__}: {_first_line(exc)}"
        raise Unreadable(f"a broken PDF ({detail})", "pdf_broken", detail=detail) from None
    text = reflow(clean("\n".join(page.strip("\n") for page in texts)))  # a paragraph may go on over the page
    if not any(c.isalnum() for c in text):
        raise Unreadable("no text in it (a scan? citebot does not read the text of images)", "pdf_no_text")
    if len(text) > max_chars:
        raise _too_long(max_chars)
    title, date = meta
    return PdfText(text, None if title is None or _made_up(title, name) else title, date)


def _made_up(title: str, name: str | None) -> bool:
    """Whether ``title`` is a writing tool's or the file ``name``'s, not one an author gave."""
    if _TOOL_TITLE.match(title):
        return True
    if not name:
        return False
    name = os.path.basename(name).casefold()
    return title.casefold() in (name, os.path.splitext(name)[0])


class _TooLong(Exception):
    pass


def refusals() -> set[str]:
    """Why a PDF past this budget is refused for good: a file refused so, unchanged since, is not read again by a
    build, which would only spend the budget again to refuse it again. Its CPU time only: the memory budget is the
    whole process's growth (ru_maxrss), which another thread's work can push past it, and a PDF refused by mistake
    would stay refused till edited."""
    return {str(_too_slow(MAX_SECONDS))}


def _too_slow(seconds: float) -> Unreadable:
    return Unreadable(f"gave up after {seconds:g} s of reading it (a PDF bomb?)", "pdf_time", seconds=float(seconds))


def _too_big(memory: int) -> Unreadable:
    return Unreadable(f"gave up: reading it took over {memory >> 20} MB of memory (a PDF bomb?)", "pdf_memory",
                      mb=memory >> 20)


def _too_long(max_chars: int) -> Unreadable:
    return Unreadable(f"its text is over {max_chars:,} characters, the limit CITEBOT_MAX_FILE_MB sets", "pdf_too_long",
                      chars=max_chars)


def _decrypt(reader) -> None:
    """``reader`` decrypted when it opens with no password (permissions only, say "no printing"), else ValueError."""
    from pypdf import PasswordType

    if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise Unreadable("encrypted: it opens only with a password", "pdf_encrypted")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else "no detail"


def _metadata(reader) -> tuple[str | None, str | None]:
    """The title and date of the document information dictionary. Its creation date is not taken from a page a
    web browser printed (its Creator a user agent, "Mozilla/5.0 ..."): that is the day it was printed."""
    try:
        info = reader.metadata or {}
        title = _text(info.get("/Title"))
        creator = _text(info.get("/Creator")) or ""
        raw = _text(info.get("/CreationDate"))
    except Exception:  # noqa: BLE001 (a broken dictionary: no metadata rather than no article)
        return None, None
    date = None
    found = _PDF_DATE.match(raw or "")
    if found and not creator.startswith("Mozilla/"):
        try:
            date = datetime.date(*map(int, found.groups())).isoformat()
        except ValueError:
            date = None
    return title, date


def _text(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(clean(value).split())
    return value or None


def clean(text: str) -> str:
    """``text`` with Windows and old-Mac line ends as newlines, control characters as spaces, lone surrogates as
    U+FFFD and the Latin ligatures (U+FB00-FB06) as their letters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    text = _SURROGATE.sub("\ufffd", text)
    return _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def reflow(text: str) -> str:
    """``text`` with each line that wraps inside a paragraph joined to the next: by a space, or by nothing after a
    hyphen that a lower-case letter follows ("iden-" "tifier" -> "iden-tifier"). A line wraps when neither it nor
    the next is blank, nor the next a bullet, and either the next goes on in lower case after a line that ends no
    sentence, or the line is at least _FULL_LINE of the longer of its neighbours (of the next two, for a line with none
    before it); so a paragraph's short last line, a heading, a line over a heading (a menu, a running header) or a page
    number keeps its line break, as does a paragraph's nearly full last line over a heading (``_heading_after``).
    Lines lose trailing spaces."""
    lines = [line.rstrip() for line in text.split("\n")]
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i + 1 == len(lines):
            break
        after = lines[i + 1]
        body, next_body = line.strip(), after.strip()
        before = lines[i - 1].strip() if i else ""
        # a line with none before it (the first, or the first after a blank line) is measured against the next two:
        # a menu or a running header as long as the heading under it did not wrap into it
        beside = before or (lines[i + 2].strip() if i + 2 < len(lines) else "")
        wraps = (body and next_body and not _BULLET.match(next_body) and not _heading_after(body, next_body)
                 and ((next_body[0].islower() and body[-1] not in _ENDS)
                      or len(body) >= _FULL_LINE * max(len(beside), len(next_body))))
        if not wraps:
            out.append("\n")
            continue
        out.append("" if len(body) > 1 and body[-1] == "-" and body[-2].isalpha() and next_body[0].islower() else " ")
        lines[i + 1] = after.lstrip()
    return "".join(out).strip()


def _heading_after(body: str, next_body: str) -> bool:
    """Whether ``next_body`` is a heading (or a signature) under a paragraph whose last line is ``body``: ``body`` ends
    a sentence, and the next line is short, opens in upper case or with a digit ("2. Staff") and ends no sentence. A
    paragraph's own last line ends in a full stop, so it is still joined to the full line before it."""
    last = next_body.rstrip(_CLOSING)
    return (body.rstrip(_CLOSING)[-1:] in (".", "!", "?", "…") and bool(last) and last[-1] not in _ENDS
            and (next_body[0].isupper() or next_body[0].isdigit()) and len(next_body) < _FULL_LINE * len(body)
            and (next_body[0].isdigit() or _ends_sentence(body, next_body)))


def _ends_sentence(body: str, next_body: str) -> bool:
    """Whether the sentence splitter ends a sentence after ``body`` when ``next_body`` follows it on the same line: not
    after an abbreviation or an initial that the next line goes on from ("the U.S." "Embassy in Tallinn", "Dr." "Maria
    Tamm"), whose full stop a list item's or a caption's short last line, with no full stop of its own, follows. (A
    next line opening with a number is not asked: "5 Oct." "2. Staff" would read as a date.)"""
    return any(end == len(body) for _, end in sentence_spans(f"{body} {next_body}"))
