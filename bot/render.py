"""Turn an ``Answer`` into what people read: terminal text or Telegram-style HTML.

>>> print(to_text(answer))  # doctest: +SKIP
Stoltenberg said before inviting Zelensky to the NATO summit in Vilnius in July.
...
"""

from __future__ import annotations

import html
import json
import re
import textwrap
import unicodedata

from bot.answer import Answer, Source
from bot.answering.records import CHANGED, REMOVED
from bot.language import LANGUAGES
from bot.messages import say
from index.documents import CONTROLS, DIRECTION_MARKS

MARK_OPEN, MARK_CLOSE = "»", "«"
BOLD_OPEN, BOLD_CLOSE = "\033[1m", "\033[0m"
WIDTH = 88


# Control characters other than tab and newline, and direction overrides (index/documents.py says why): a title
# "news \u202egro.knab-laer" would show as "news real-bank.org", and reverse the date and article id after it.
_CONTROL = re.compile(f"[{CONTROLS}{DIRECTION_MARKS}]")
MARKS = 3  # combining marks shown on one letter: Vietnamese stacks two, a zalgo title forty
# runs of characters that are no letter, digit or space: where more than MARKS combining marks in a row can be
_NOT_LETTERS = re.compile(r"[^\w\s]{%d,}" % (MARKS + 1))


def printable(text: str) -> str:
    """``text`` for a reader's screen: each control character but tab and newline, and each direction override,
    as U+FFFD, so that every word shown is the article's, in the article's order; and at most ``MARKS`` combining
    marks on one letter, so that a "zalgo" word (a letter under dozens of accents) does not smear over the lines
    around it, while "й", "ș" or a decomposed Vietnamese "ệ" (two marks) show as written.

    The carriage return of a Windows line end (CR LF) is a space, which the wrapping drops, and a carriage return
    alone (the line end of a file saved on an old Mac) is a newline: such an article reads as one saved anywhere
    else, not with a U+FFFD ending each of its lines. So is a line or paragraph separator (U+2028, U+2029, pasted
    from a web page), which a terminal shows as nothing: "The ferry sank\u2028near the port" read "sanknear"."""
    text = _CONTROL.sub("\ufffd", text.replace("\r\n", " \n").translate(_LINE_ENDS))
    return _NOT_LETTERS.sub(_fewer_marks, text)


_LINE_ENDS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n"})


def _fewer_marks(run: re.Match) -> str:
    kept, marks = [], 0
    for char in run.group():
        marks = marks + 1 if unicodedata.category(char) in ("Mn", "Me") else 0
        if marks <= MARKS:
            kept.append(char)
    return "".join(kept)


def one_line(text: str) -> str:
    """``text`` printable on one line: a newline in an article's id (a .jsonl "id") as U+FFFD, so that a source line
    cannot be followed by a line that reads as another source; the line and paragraph separators too (U+2028,
    U+2029), where Telegram's apps break the line as at a newline."""
    return _SEPARATOR.sub("\ufffd", printable(text))


_SEPARATOR = re.compile("[\n\u2028\u2029]")


def marked_passage(source: Source, open_mark: str = MARK_OPEN, close_mark: str = MARK_CLOSE) -> str:
    """The passage, printable, with its answer sentence between the marks (unchanged when it has none)."""
    before, sentence, after = _parts(source)
    return printable(before) if sentence is None else (
        printable(before) + open_mark + printable(sentence) + close_mark + printable(after))


def _parts(source: Source) -> tuple[str, str | None, str]:
    """The passage before its answer sentence, the sentence (None when it has none), and the passage after it: each
    made printable apart, as printable() may leave out characters (a zalgo letter's marks) and the sentence's offsets
    are the article's."""
    text = source.passage
    if source.sentence is None:
        return text, None, ""
    s, e = source.sentence[0] - source.start, source.sentence[1] - source.start
    return text[:s], text[s:e], text[e:]


QUOTE = "  │ "  # the passage as quoted: no line of it can read as the source line under it, whatever the article says


def _indent(text: str, width: int = WIDTH) -> str:
    """``text`` quoted (each line after ``QUOTE``) and wrapped at spaces only: "full-scale" is not cut into "full-"
    and "scale", nor a long address into pieces, so its lines joined with spaces are the source's words as they are
    written. Its text is as wide as before it was quoted, ``width`` - 2 columns."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    return "\n".join(_wrap(p, width - 2 + len(QUOTE), QUOTE, QUOTE) for p in paragraphs)


_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, (non-)joiner, word joiner, BOM: nothing shown


def columns_of(text: str) -> int:
    """The terminal columns ``text`` takes: two for a wide character (CJK, most emoji) and for a narrow one that the
    emoji selector U+FE0F makes a picture ("❤️", "1️⃣"), none for a combining mark, another variation selector or a
    zero-width joiner, one for any other."""
    columns, last = 0, 0
    for char in text:
        if char == _EMOJI_SELECTOR:
            columns += 1 if last == 1 else 0  # the heart before it is drawn two columns wide, as a picture
            last = 2 if last else 0
            continue
        last = 0 if unicodedata.category(char) in ("Mn", "Me") or char in _ZERO_WIDTH else (
            2 if unicodedata.east_asian_width(char) in "WF" else 1)
        columns += last
    return columns


_EMOJI_SELECTOR = "\ufe0f"


def _wrap(text: str, columns: int, indent: str, follow: str) -> str:
    """``text`` wrapped at spaces only to lines ``columns`` wide on a terminal, the first after ``indent``, the others
    after ``follow``; a word wider than a line is a line of its own, whole."""
    return _ColumnWrapper(columns, initial_indent=indent, subsequent_indent=follow, break_on_hyphens=False,
                          break_long_words=False).fill(text)


class _ColumnWrapper(textwrap.TextWrapper):
    """textwrap's wrapping, each line's width counted in terminal columns, not characters: "東京駅", three characters
    and six columns, took a line three columns past the terminal's edge, which broke it mid-word."""

    def _wrap_chunks(self, chunks: list[str]) -> list[str]:
        lines: list[str] = []
        chunks.reverse()
        while chunks:
            line, used = [], 0
            indent = self.subsequent_indent if lines else self.initial_indent
            room = self.width - columns_of(indent)
            if self.drop_whitespace and lines and not chunks[-1].strip():
                del chunks[-1]  # the space a line was broken at
            while chunks and used + (size := columns_of(chunks[-1])) <= room:
                used += size
                line.append(chunks.pop())
            if chunks and not line:
                line.append(chunks.pop())  # a word wider than a line (break_long_words is off)
            if self.drop_whitespace and line and not line[-1].strip():
                del line[-1]
            if line:
                lines.append(indent + "".join(line))
        return lines


ECHO = 200  # characters of the question a not-found reply repeats


def not_found_text(answer: Answer) -> str:
    """"Not found", repeating the question (its first ``ECHO`` characters: a pasted page is not echoed whole), printable
    (the terminal and Telegram alike); for a question with no word in it (a 👍, "?!"), what Telegram says of it."""
    from bot.conversation import says_something

    if not says_something(answer.question):  # "Not found: nothing in the corpus answers “👍”." read as a search failed
        return say("not_text", answer.language)
    # a question the model cannot read was not answered, which is not the same as unanswered
    key = ("unread_language" if answer.unread_language else "unread_script" if answer.unread_script
           else "follow_up_alone" if answer.no_topic else "not_found")
    question = answer.question if len(answer.question) <= ECHO else answer.question[: ECHO - 1].rstrip() + "…"
    return printable(say(key, answer.language, question=question))


def small_talk_text(answer: Answer, chat: bool = True, replied: bool = False) -> str:
    """The bot's own words for small talk ("Thanks!" -> "You're welcome. …"); for "what can you do?", the chat's help
    (the Telegram bot sends its /help instead), and for "New question" that the context is cleared; not in a ``chat``
    (``citebot ask``, which has no context nor commands), how to ask for either; for "source?", the last answer's
    source (its title, date, file and web address), or that there was no answer before; ``replied``: asked in reply to
    an answer, which may not be the last, that answer's source ("That answer comes from: …"); for "What articles do you
    have?", that /sources lists them."""
    kind = answer.small_talk.kind
    if kind == "source":  # "source?": the last answer's citation, as the answer showed it; none before an answer
        if not answer.sources:
            return say("no_answer_to_source", answer.language)
        first = answer.sources[0]
        label = first.label() if first.title else first.doc  # an article removed since: its id alone is known
        gone = "\n" + say("source_removed", answer.language) if first.revision == REMOVED else ""
        key = ("replied_answer_source" if replied else "earlier_answer_source" if answer.cited_earlier
               else "answer_source")
        return say(key, answer.language, source=one_line(label)) + (
            f"\n{first.link}" if first.link else "") + gone
    own = {"help": "chat_intro", "reset": "reset"} if chat else {"help": "ask_intro", "reset": "ask_intro"}
    own["sources"] = "see_sources"  # "What articles do you have?" where the list is not at hand (the chats show it)
    text = say(own.get(kind, f"small_talk_{kind}"), answer.language)
    if answer.language not in LANGUAGES:  # "Danke!": said in a language citebot does not read, and told which it reads
        text += " " + say("reads_english_only" if answer.unread_language else "reads_languages", answer.language)
    return text


def to_text(answer: Answer, color: bool = False, width: int = WIDTH, columns: int | None = None,
            chat: bool = True) -> str:
    """The answer sentence, its passage with the sentence marked (its text wrapped at ``width`` - 2), the source,
    corroboration; ``columns``: the terminal's width, which every other line is wrapped to as well (see ``fit``);
    ``chat``: small talk answered in a chat, not by a one-shot ``citebot ask``.

    An uncertain answer is introduced as possibly not answering, and shows the passage only.
    """
    if answer.small_talk is not None:
        return fit(small_talk_text(answer, chat), columns)
    if not answer.found:
        return fit(not_found_text(answer), columns)
    first = answer.sources[0]
    marks = (BOLD_OPEN, BOLD_CLOSE) if color else (MARK_OPEN, MARK_CLOSE)
    lead = say("uncertain", answer.language) if answer.tier == "uncertain" else printable(answer.answer)
    lines = [lead, "", _indent(marked_passage(first, *marks), width), f"  — {one_line(first.label())}"]
    if first.link:
        lines.append(f"    {first.link}")
    for source in answer.also_reported_by:
        lines.append(f"  {say('also_reported_by', answer.language)}: {one_line(source.label())}")
    for source in answer.reported_differently_by:
        quoted = one_line(differently(source, answer.language))
        lines.append(f"  {say('reported_differently_by', answer.language)}: {quoted}")
    return fit("\n".join(lines), columns)


def fit(text: str, columns: int | None) -> str:
    """``text``'s lines wrapped to a terminal ``columns`` wide (None: as they are, for a file or a pipe), at spaces only
    as the passage is, so that no word, date or article id is cut: the terminal would break each line mid-word. A
    line that opens with spaces (a source's) goes on under ``FOLLOW``; a word longer than a line (a web address) is
    a line of its own, whole, which a terminal can open as a link. The quoted passage is wrapped already."""
    return text if columns is None else "\n".join(_fit_line(line, columns) for line in text.split("\n"))


def _fit_line(line: str, columns: int) -> str:
    if columns_of(line) <= columns or line.startswith(QUOTE):
        return line
    words = line.lstrip(" ")
    indent = line[: len(line) - len(words)]
    return _wrap(words, columns, indent, FOLLOW if indent else "")


FOLLOW = "    "  # where a wrapped source line goes on: under its title, as a source's web address is


def differently(source: Source, lang: str = "en") -> str:
    """A source that reports the answer's fact with other figures: its sentence, quoted as ``lang`` quotes, and its
    label (its date tells the earlier report from the later)."""
    return say("reported_differently_as", lang, sentence=_parts(source)[1], source=source.label())


def to_json_line(answer: Answer, ascii_only: bool = False) -> str:
    """One JSON object; ``ascii_only``: every other character as a JSON escape, for an output that cannot hold it."""
    return json.dumps(answer.to_json(), ensure_ascii=ascii_only)


def to_html(answer: Answer) -> list[str]:
    """Telegram HTML blocks, one per source, source text escaped, the answer sentence bold."""
    if not answer.found:
        return [html.escape(not_found_text(answer))]
    first = answer.sources[0]
    blocks = [source_html(first)]
    if answer.tier == "uncertain":
        blocks[0] = f"<i>{html.escape(say('uncertain', answer.language))}</i>\n" + blocks[0]
    also = answer.also_reported_by
    if also:
        blocks.append(say("also_reported_by", answer.language) + ":\n" + "\n".join(f"• {html.escape(one_line(s.label()))}" for s in also))
    if answer.reported_differently_by:
        blocks.append(say("reported_differently_by", answer.language) + ":\n" + "\n".join(
            f"• {html.escape(one_line(differently(s, answer.language)))}" for s in answer.reported_differently_by))
    return blocks


def source_html(source: Source, lang: str = "en") -> str:
    """One source as Telegram HTML: its passage (answer sentence bold, if any), then its label and web address.

    A source read again after its article changed (``source.revision``, bot/answering/revisions.py) opens with what
    became of it, in ``lang``; one whose article was removed or no longer says it shows no passage.

    The address is shown as text, which Telegram makes a link, rather than put in an ``<a href>`` that Telegram
    may refuse, failing the whole reply. Only its ``&`` is escaped (a link has no ``<``, ``>`` or ``"``): each ``'`` as
    ``&#x27;`` took six of a message's 4,096 characters, and a 2,000-character address was cut across two messages."""
    link = f"\n{html.escape(source.link, quote=False)}" if source.link else ""
    label = f"\n— <i>{html.escape(one_line(source.label()))}</i>" + link
    if source.revision is None:
        return _html_passage(source) + label
    note = f"<i>{html.escape(say(f'source_{source.revision}', lang))}</i>"
    return note + (label if source.revision in (CHANGED, REMOVED) else "\n" + _html_passage(source) + label)


def _html_passage(source: Source) -> str:
    """The passage as a quote (the label after it cannot be forged by a line of it), its answer sentence bold."""
    before, sentence, after = (html.escape(printable(part)) if part is not None else None for part in _parts(source))
    return "<blockquote>" + before + ("" if sentence is None else f"<b>{sentence}</b>{after}") + "</blockquote>"
