"""Split text into sentence spans ``[start, end)`` that point back into the text.

>>> text = "Mr. Smith went to Washington. He arrived on May 3.\\nNext line"
>>> [text[s:e] for s, e in sentence_spans(text)]
['Mr. Smith went to Washington.', 'He arrived on May 3.', 'Next line']
"""

from __future__ import annotations

import re

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
# What may open the next sentence: a capital, a digit or an opening quote/bracket.
# Capitals include Cyrillic (А-Я, Ё, Ukrainian Є І Ї Ґ) and Romanian Ă Ș Ş Ț Ţ.
_OPENER = re.compile(r"\s+[\"'“‘«(\[]?[A-Z0-9À-ÖØ-ÞА-ЯЁЄІЇҐĂȘŞȚŢ]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_LINES = re.compile(r"[^\n]+")
# Bumped whenever the splitting rules change, so indexes built with the old rules are rebuilt.
SENTENCE_RULES = 3

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st sr jr gen col lt sgt capt cmdr adm gov sen rep pres rev hon
    vs etc inc ltd co corp dept univ no nos fig figs vol pp ed eds approx est
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft e.g i.e u.s u.k u.n a.m p.m
    al c ca cf op""".split()
)


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the period ending at ``end`` closes an abbreviation or an initial."""
    match = _WORD_BEFORE.search(text, max(0, end - 12), end)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():  # an initial such as "J. Smith"
        return True
    return word.lower().rstrip(".") in ABBREVIATIONS


def _inside_attributed_quote(text: str, start: int, stop: int, end: int) -> bool:
    """True inside a quotation that closes with a comma, as in "It is over. We won," he said."""
    before = text[start:stop]
    straight = before.count('"') % 2 == 1
    curly = before.count("“") > before.count("”")
    if not (straight or curly):
        return False
    close = text.find('"' if straight else "”", stop, end)
    return close > stop and text[close - 1] == ","


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        if not _OPENER.match(text, stop, end):
            continue
        if text[match.start()] == "." and match.end() - match.start() == 1 and _is_abbreviation(text, stop):
            continue
        if _inside_attributed_quote(text, cursor, stop, end):
            continue  # the quoted sentences and their attribution are one statement
        spans.append((cursor, stop))
        cursor = stop
    spans.append((cursor, end))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``; a line break always ends a sentence."""
    end = len(text) if end is None else end
    spans = []
    for line in _LINES.finditer(text, start, end):
        for s, e in _split_line(text, line.start(), line.end()):
            s, e = _strip(text, s, e)
            if e > s:
                spans.append((s, e))
    return spans


def is_heading(text: str, span: tuple[int, int], max_words: int = 10) -> bool:
    """A short line with no closing punctuation, e.g. "NATO supported Ukraine"."""
    line = text[span[0] : span[1]]
    if not line or line[-1] in ".!?…:;,\"'”’)":
        return False
    starts_line = span[0] == 0 or text[span[0] - 1] == "\n"
    ends_line = span[1] == len(text) or text[span[1]] == "\n"
    return starts_line and ends_line and len(line.split()) <= max_words
