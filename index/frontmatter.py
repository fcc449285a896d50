"""A Markdown file's front-matter header: ``key: "value"`` lines between two ``---`` lines, the second maybe ``...``
as Pandoc writes it (or Hugo's TOML one, ``key = "value"`` lines between two ``+++`` lines, read alone; or a Logseq
page's properties, ``key:: value`` lines at its top).

The values are JSON strings (a subset of YAML), so any title or URL round-trips exactly.

>>> text = render({"title": 'He said "yes"', "date": "2026-11-20"}, "The body.")
>>> parse(text)[0]
{'title': 'He said "yes"', 'date': '2026-11-20'}
>>> text[parse(text)[1]:]
'The body.\\n'
"""

from __future__ import annotations

import json
import re
import unicodedata

# (An empty one, "---" then "---", is what a Jekyll page with no metadata opens with: tried first, or its second rule
# was taken for a header's first line, the header running to the page's next rule further down.) A header may close
# with "..." as well, YAML's end of a document, as Pandoc's documents write it.
_HEADER = re.compile(r"\A---[ \t]*\r?\n(?:|(.*?)\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)\s*", re.DOTALL)
# A key, a colon and the rest of the line (stripped after the match: a lazy value followed by a
# whitespace run made fullmatch quadratic in the run, 77 s for a 150 KB header line).
# A key is up to six words of letters, digits, "_" and "-" (in any script), opening with a letter or "_", blanks between
# them: the Obsidian Linter's `date created:` (a line of a million words and no colon is failed at its sixth word).
_LINE = re.compile(r"([^\W\d][\w-]*(?:[ \t]+[\w-]+){0,5})[ \t]*:(.*)")
# A key of several words ("date created"), and a value with a year in it (the Obsidian Linter's stamp, ISO or its
# default "Thursday, April 20th 2023, 10:00:00 am"): see parse.
_BLANK = re.compile(r"[ \t]")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")
# A line of what a key holds in YAML (Jekyll's, Hugo's, Obsidian's headers): indented, or a list item ("- news").
_NESTED = re.compile(r"[ \t]|-(?:[ \t]|$)")
# Where a header's line ends: "\n", "\r\n" or "\r", not str.splitlines's U+2028, U+2029, NEL, form feed...:
# json.dumps(..., ensure_ascii=False), as render writes a value, leaves the first three raw inside its string
_LINE_END = re.compile(r"\r\n|\r|\n")


_TOML_HEADER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)\s*", re.DOTALL)
_TOML_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*=(.*)")
# What an array's lines or a table hold: their keys are not the page's ("[params]" then "title = ...").
_TOML_INNER = re.compile(r"[ \t]*(?:[\[\]\"'{}0-9-]|$)")


def parse(text: str) -> tuple[dict[str, str] | None, int]:
    """The header's fields and the offset where the body starts; (None, 0) when ``text`` has no header."""
    match = _HEADER.match(text)
    if not match:
        fields, end = _parse_toml(text)
        return (fields, end) if fields is not None else _parse_logseq(text)
    fields, below = {}, None  # below: the last key, how its value is read, and the indented lines under it
    one_word = several = dated = False  # what keys the header has, and whether one of several words holds a date
    # composed (NFC) first: a key typed as macOS and some editors write text (NFD, "Sursă" an "a" and a combining breve)
    # is the key typed composed, not a line no key opens (which made the whole header the note's text)
    for line in _LINE_END.split(unicodedata.normalize("NFC", match.group(1) or "")):
        if below is not None and (not line.strip() or _NESTED.match(line)):
            below[2].append(line.strip())  # its value's next line, or a YAML list or mapping under it ("tags:", "- news")
            continue
        _keep(fields, below)
        below = None
        found = _LINE.fullmatch(line)
        if not found:
            if line.strip() and not line.lstrip().startswith("#"):
                return None, 0  # not a header of ours: read the file as plain text
            continue
        key, raw = found.group(1), found.group(2).strip(" \t")
        if _BLANK.search(key):
            several, dated = True, dated or bool(_YEAR.search(raw))
        else:
            one_word = True
        if _BLOCK.fullmatch(raw):
            below = (key, "\n" if raw.startswith("|") else " ", [])
            continue
        value = _yaml_scalar(raw)
        if value is None:
            return None, 0
        below = (key, None if raw.startswith(('"', "'")) else "", [value])
    _keep(fields, below)
    if several and not one_word and not dated:
        # Keys all of several words, none holding a year (the Obsidian Linter's `date created:` does): a line of prose
        # between two rules at a note's top ("Update from the Kyiv office: the summit opens on Monday."), not a header
        return None, 0
    return fields, match.end()


# A block scalar's mark: `title: >-` then the title on the indented lines under it, as Jekyll's long titles are written
_BLOCK = re.compile(r"[|>](?:[+-]?[1-9]?|[1-9][+-])(?:[ \t]+#.*)?")


def _keep(fields: dict[str, str], below: tuple | None) -> None:
    """The value of ``below``'s key into ``fields``: a quoted string alone (the lines under it are a YAML list or
    mapping), a block scalar's lines, a plain value with the lines that go on with it, unless they are a list or mapping
    ("tags:" then "- news", "author:" then "name: Olena")."""
    if below is None:
        return
    key, joiner, lines = below
    if joiner is None:  # a quoted string
        value = lines[0]
    elif joiner:  # a block scalar: its lines, folded (">") into one
        value = joiner.join(lines if joiner == "\n" else filter(None, lines)).strip()
    else:
        value, lines = lines[0], [line for line in lines[1:] if line and not line.startswith("#")]
        if not any(line.startswith("-") or _mapping(line) for line in lines):
            value = " ".join([value, *lines]).strip()
    if value:
        fields[key] = value


def _mapping(line: str) -> bool:
    """Whether ``line`` is a YAML mapping's ``key: value``: its colon followed by a blank or the line's end, not a colon
    inside a word ("Ferry from 10:30", "https://harbour.example")."""
    found = _LINE.fullmatch(line)
    return bool(found) and found.group(2)[:1] in ("", " ", "\t")


# YAML's single-quoted scalar ('' is a quote in it: 'the captain''s view'), and a comment after a value: "#" after a space
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_COMMENT = re.compile(r"[ \t]#")  # one blank before it: a run of them matched at each of its blanks was quadratic


def _yaml_scalar(value: str):
    """A header line's value as YAML reads it: a double-quoted (JSON) or single-quoted string, else plain text, with a
    comment after it (`date: 2023-04-20  # published`) dropped; None when a JSON string is followed by more text."""
    if value.startswith('"'):
        try:
            scalar, end = json.JSONDecoder().raw_decode(value)
        except ValueError:
            return None
    elif quoted := _SINGLE_QUOTED.match(value):
        scalar, end = quoted.group(1).replace("''", "'"), quoted.end()
    else:
        comment = _COMMENT.search(value)
        return value[: comment.start()].rstrip() if comment else value
    rest = value[end:].lstrip(" \t")
    if not rest or rest.startswith("#") and rest != value[end:]:
        return scalar
    return None if value.startswith('"') else value  # 'Twas the night' before: a plain value


def _parse_toml(text: str) -> tuple[dict[str, str] | None, int]:
    """A Hugo ``+++`` header's top-level string, date and number values (an array, a table passed over)."""
    match = _TOML_HEADER.match(text)
    if not match:
        return None, 0
    fields, in_table = {}, False
    for line in _LINE_END.split(match.group(1)):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            in_table = True  # a table runs to the header's end: the page's own keys come before it
            continue
        found = _TOML_LINE.fullmatch(stripped)
        if not found:
            if _TOML_INNER.match(line):
                continue  # an array's or an inline table's next line
            return None, 0
        if in_table:
            continue
        key, value = found.group(1), found.group(2).strip()
        if value.startswith('"'):
            try:  # a comment may follow the string: title = "Ferry" # draft
                value = json.JSONDecoder().raw_decode(value)[0]
            except ValueError:
                return None, 0
        elif value.startswith("'") and value.endswith("'") and len(value) > 1:
            value = value[1:-1]  # a literal string: no escapes
        elif value.startswith(("[", "{")):
            continue
        if isinstance(value, str) and value:
            fields[key] = value
    return fields, match.end()


# A Logseq page's property ("title:: Ferry plans", "date:: [[Apr 20th, 2023]]"): Logseq writes its keys in lower case
# ("Olena:: we meet at ten" is a line of text). The value runs to the line's end, matched with no backtracking.
_LOGSEQ_LINE = re.compile(r"([a-z][a-z0-9_-]{0,60})::(?:[ \t]([^\r\n]*))?(?:\r?\n|\r|\Z)")
_PAGE_LINK = re.compile(r"\[\[([^\[\]]*)\]\]")  # a value that is one page's link: [[Apr 20th, 2023]]
_LOGSEQ_LINES = 50
_BLANKS = re.compile(r"\s*")


def _parse_logseq(text: str) -> tuple[dict[str, str] | None, int]:
    """A Logseq page's properties at its top (at most ``_LOGSEQ_LINES``), a value that is a page's link unwrapped;
    (None, 0) when it opens with none."""
    fields, end = {}, 0
    for _ in range(_LOGSEQ_LINES):
        found = _LOGSEQ_LINE.match(text, end)
        if not found:
            break
        end = found.end()
        value = (found.group(2) or "").strip()
        link = _PAGE_LINK.fullmatch(value)
        if link:
            value = link.group(1).strip()
        if value:
            fields.setdefault(found.group(1), value)
    if not end:
        return None, 0
    return fields, _BLANKS.match(text, end).end()


def render(fields: dict[str, str | None], body: str) -> str:
    """``body`` under a header of the non-empty ``fields``, in order."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items() if value]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body.strip() + "\n"
