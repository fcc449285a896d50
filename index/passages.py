"""Cut articles into sentence-aware, overlapping passages that point back into the article.

>>> splitter = PassageSplitter(max_chars=400)
>>> passages = splitter.split(article)  # doctest: +SKIP
>>> article.text[passages[0].start : passages[0].end] == passages[0].text  # doctest: +SKIP
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.documents import Article
from index.sentences import SENTENCE_RULES, is_heading, sentence_spans


@dataclass(frozen=True)
class Passage:
    """A window of whole sentences: ``article.text[start:end] == text``.

    ``sentences`` are the spans of its sentences, in article offsets.
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

    A heading line travels with the sentence after it, so it never stands alone, and a window
    always holds at least one whole block even when that block is longer than ``max_chars``.
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
        return {"max_chars": self.max_chars, "overlap": self.overlap, "sentence_rules": SENTENCE_RULES}

    def blocks(self, article: Article) -> list[list[tuple[int, int]]]:
        """Sentences grouped so that a heading and the sentence after it share a block."""
        blocks: list[list[tuple[int, int]]] = []
        pending: list[tuple[int, int]] = []
        for span in sentence_spans(article.text, article.body_start):
            pending.append(span)
            if not is_heading(article.text, span):
                blocks.append(pending)
                pending = []
        if pending:  # trailing headings with nothing after them
            if blocks:
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
