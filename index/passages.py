"""Cut articles into sentence-aware, overlapping passages that point back into the article.

>>> splitter = PassageSplitter(max_chars=400)
>>> passages = splitter.split(article)  # doctest: +SKIP
>>> article.text[passages[0].start : passages[0].end] == passages[0].text  # doctest: +SKIP
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.documents import Article
from index.sentences import SENTENCE_RULES, is_heading, sentence_spans

# The sentence splitter sees at most this many characters at once (cut at a line break, else after
# a space): its cost on a megabyte-long line stays that of many short lines, whatever its rules.
SPLIT_WINDOW = 10_000
# Bumped when the cutting below changes, so indexes built with the old passages are rebuilt.
CUT_RULES = 1
_LAST_SPACE = re.compile(r".*\s", re.DOTALL)  # matches up to and including the last whitespace


def bounded_sentence_spans(text: str, start: int = 0, end: int | None = None,
                           window: int = SPLIT_WINDOW) -> list[tuple[int, int]]:
    """``sentence_spans`` of ``text[start:end]``, handed to the splitter ``window`` characters at a time.

    A window ends at its last line break, else after its last space, else (one huge word) anywhere.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        stop = min(end, pos + window)
        if stop < end:
            newline = text.rfind("\n", pos + window // 2, stop)
            if newline >= 0:
                stop = newline + 1
            else:
                space = _LAST_SPACE.match(text, pos + window // 2, stop)
                if space:
                    stop = space.end()
        spans.extend(sentence_spans(text, pos, stop))
        pos = stop
    return spans


def cut_span(text: str, start: int, end: int, limit: int, first_limit: int | None = None) -> list[tuple[int, int]]:
    """``[start, end)`` cut into pieces of at most ``limit`` characters (the first at most ``first_limit``).

    Each cut falls on the last space that keeps the piece within its limit, or inside a word longer
    than that; pieces carry no leading or trailing whitespace, so they stay verbatim spans.
    """
    pieces = []
    size = first_limit or limit
    while end - start > size:
        stop = start + size
        space = _LAST_SPACE.match(text, start + 1, stop + 1)  # a space at ``stop`` makes a full piece
        cut = space.end() - 1 if space else stop
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
        size = limit
    if end > start:
        pieces.append((start, end))
    return pieces


@dataclass(frozen=True)
class Passage:
    """A window of whole sentences: ``article.text[start:end] == text``.

    ``sentences`` are the spans of its sentences (pieces of a sentence too long for a passage), in
    article offsets.
    """

    id: int
    doc: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...] = field(default=())

    def to_json(self) -> dict:
        return {
            "id": self.id, "doc": self.doc, "start": self.start, "end": self.end,
            "text": self.text, "sentences": [list(s) for s in self.sentences],
        }

    @classmethod
    def from_json(cls, row: dict) -> Passage:
        return cls(
            id=row["id"], doc=row["doc"], start=row["start"], end=row["end"], text=row["text"],
            sentences=tuple((s, e) for s, e in row["sentences"]),
        )


class PassageSplitter:
    """Groups sentences into windows of up to ``max_chars``, overlapping by ``overlap`` blocks.

    A heading line travels with the sentence after it, so it never stands alone, and no passage is
    longer than ``max_chars``: a longer sentence (a table row, a transcript, one huge line) is cut
    at a space, or inside a word longer than that, and its pieces count as its sentences.
    """

    def __init__(self, max_chars: int = 700, overlap: int = 1):
        if max_chars < 50:
            raise ValueError("max_chars must be at least 50")
        if overlap < 0:
            raise ValueError("overlap must be >= 0")
        self.max_chars = max_chars
        self.overlap = overlap

    def settings(self) -> dict:
        """What the index is keyed by: a change here (or in the sentence rules) rebuilds it."""
        return {"max_chars": self.max_chars, "overlap": self.overlap, "sentence_rules": SENTENCE_RULES,
                "cut_rules": CUT_RULES}

    def blocks(self, article: Article) -> list[list[tuple[int, int]]]:
        """Sentences grouped so that a heading and the sentence after it share a block.

        No block is longer than ``max_chars``: a longer sentence is cut into pieces (see
        ``cut_span``), the first sized to fit after its heading, and a run of heading-like lines
        (a list, a table) longer than that is a block of its own.
        """
        text, limit = article.text, self.max_chars
        blocks: list[list[tuple[int, int]]] = []
        pending: list[tuple[int, int]] = []
        for span in bounded_sentence_spans(text, article.body_start):
            s, e = span
            if e - s <= limit and is_heading(text, span):
                if pending and e - pending[0][0] > limit:
                    blocks.append(pending)
                    pending = []
                pending.append(span)
                continue
            if pending:
                room = limit - (s - pending[0][0])
                if e - s <= room or room >= limit // 4:
                    pieces = cut_span(text, s, e, limit, first_limit=room)
                    blocks.append(pending + pieces[:1])
                    blocks.extend([piece] for piece in pieces[1:])
                    pending = []
                    continue
                blocks.append(pending)
                pending = []
            blocks.extend([piece] for piece in cut_span(text, s, e, limit))
        if pending:  # trailing headings with nothing after them
            if blocks and pending[-1][1] - blocks[-1][0][0] <= limit:
                blocks[-1].extend(pending)
            else:
                blocks.append(pending)
        return blocks

    def split(self, article: Article, first_id: int = 0) -> list[Passage]:
        """Passages of ``article``, numbered from ``first_id``."""
        blocks = self.blocks(article)
        passages: list[Passage] = []
        i = 0
        while i < len(blocks):
            j = i + 1
            while j < len(blocks) and blocks[j][-1][1] - blocks[i][0][0] <= self.max_chars:
                j += 1
            spans = tuple(s for block in blocks[i:j] for s in block)
            start, end = spans[0][0], spans[-1][1]
            passages.append(
                Passage(first_id + len(passages), article.id, start, end, article.text[start:end], spans)
            )
            if j >= len(blocks):
                break
            i = max(i + 1, j - self.overlap)
        return passages
