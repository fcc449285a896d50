"""Sentence splitting speed, old (pySBD per line) vs new (index.sentences), in characters per second.

    python -m bench.splitter                 # SQuAD corpus, shipped corpus, six hostile 1 MB shapes
    python -m bench.splitter --size 200000   # smaller hostile shapes

Times are CPU seconds of this process (``time.process_time``), so other load on the machine
inflates them less. pySBD grows superlinearly on dense lines, so the old splitter runs on
doubling prefixes of each hostile shape, as the index fed it (10,000-character windows), until
one takes over ``--old-budget`` seconds; its figure says how many characters it was measured on.
Also prints how many of the old splitter's sentences the new one reproduces exactly.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.passages import bounded_sentence_spans  # noqa: E402
from index.sentences import sentence_spans  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad" / "corpus" / "squad_dev_v1.1.jsonl"
SHIPPED = ROOT / "corpus"
HOSTILE = {
    '"ab. " repeated': "ab. ",
    '"why? " repeated': "why? ",
    "one word": "a",
    '"Mr. Dr. " repeated': "Mr. Dr. ",
    '"1. item " repeated': "1. item ",
    "one sentence, no full stop": "lorem ipsum dolor sit amet ",
}


class PysbdSplitter:
    """The core of the splitter before SENTENCE_RULES 4: pySBD on each line, sentences located back in the text.

    >>> [text[s:e] for s, e in PysbdSplitter().spans(text := "Mr. Smith left. He came.")]
    ['Mr. Smith left.', 'He came.']
    """

    def __init__(self) -> None:
        import pysbd

        self.segmenter = pysbd.Segmenter(language="en", clean=False)

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        end = len(text) if end is None else end
        out = []
        pos = start
        while pos < end:
            line_end = text.find("\n", pos, end)
            line_end = end if line_end < 0 else line_end
            cursor = pos
            for piece in self.segmenter.segment(text[pos:line_end]) if line_end > pos else []:
                piece = piece.strip()
                found = text.find(piece, cursor, line_end) if piece else -1
                if found < 0:
                    continue
                out.append((found, found + len(piece)))
                cursor = found + len(piece)
            pos = line_end + 1
        return out


def rate(split, texts: list[str]) -> tuple[float, float]:
    """(characters per CPU second, CPU seconds) of ``split`` over ``texts``."""
    chars = sum(len(t) for t in texts)
    started = time.process_time()
    for text in texts:
        split(text)
    seconds = time.process_time() - started
    return chars / max(seconds, 1e-9), seconds


def windowed(spans):
    """A splitter fed 10,000 characters at a time, as the index feeds it (index.passages)."""
    return lambda text: bounded_sentence_spans(text) if spans is sentence_spans else _old_windowed(spans, text)


def _old_windowed(spans, text: str):
    import index.passages as passages

    original = passages.sentence_spans
    passages.sentence_spans = spans
    try:
        return passages.bounded_sentence_spans(text)
    finally:
        passages.sentence_spans = original


def agreement(old: PysbdSplitter, texts: list[str]) -> tuple[int, int, int]:
    """(old sentences, new sentences, sentences identical in both) over ``texts``."""
    a = b = same = 0
    for text in texts:
        x, y = set(old.spans(text)), set(sentence_spans(text))
        a, b, same = a + len(x), b + len(y), same + len(x & y)
    return a, b, same


def corpora() -> dict[str, list[str]]:
    found = {}
    if SQUAD.exists():
        found["SQuAD corpus (1,659 paragraphs)"] = [json.loads(line)["text"] for line in
                                                     SQUAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    found["shipped corpus/"] = [p.read_text(encoding="utf-8") for p in sorted(SHIPPED.glob("*.txt"))]
    return found


def passages_seconds(split) -> tuple[float, int]:
    """CPU seconds to read the SQuAD corpus and cut it into passages with ``split`` as the splitter; passages."""
    import index.documents as documents
    import index.passages as passages

    saved = passages.sentence_spans, documents.sentence_spans
    passages.sentence_spans = documents.sentence_spans = split
    try:
        started = time.process_time()
        corpus = documents.read_corpus(SQUAD.parent)
        cutter = passages.PassageSplitter()
        count = sum(len(cutter.split(article)) for article in corpus.articles)
        return time.process_time() - started, count
    finally:
        passages.sentence_spans, documents.sentence_spans = saved


def old_on_prefixes(old: PysbdSplitter, text: str, budget: float) -> tuple[float, int]:
    """pySBD's characters per second on doubling prefixes of ``text``, stopping past ``budget`` seconds."""
    size, best = 1_000, (0.0, 0)
    while size <= len(text):
        chars_per_s, seconds = rate(windowed(old.spans), [text[:size]])
        best = (chars_per_s, size)
        if seconds > budget:
            break
        size *= 2
    return best


def main(argv: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of each hostile shape")
    parser.add_argument("--old-budget", type=float, default=3.0, help="CPU seconds pySBD gets per hostile shape")
    args = parser.parse_args(argv)
    old = PysbdSplitter()
    rows = []
    for name, texts in corpora().items():
        new_rate, _ = rate(sentence_spans, texts)
        old_rate, _ = rate(old.spans, texts)
        a, b, same = agreement(old, texts)
        rows.append((name, f"{new_rate / 1e6:.2f} MB/s", f"{old_rate / 1e3:.0f} KB/s",
                     f"{new_rate / old_rate:.0f}x; {same}/{a} old sentences identical ({same / a:.1%}), new has {b}"))
    if SQUAD.exists():
        (new_s, new_n), (old_s, old_n) = passages_seconds(sentence_spans), passages_seconds(old.spans)
        rows.append(("SQuAD read + cut into passages (CPU s)", f"{new_s:.2f} s", f"{old_s:.2f} s",
                     f"{old_s / new_s:.0f}x less; {new_n} passages, {old_n} before"))
    for name, unit in HOSTILE.items():
        text = (unit * (args.size // len(unit) + 1))[:args.size]
        new_rate, _ = rate(sentence_spans, [text])
        old_rate, measured = old_on_prefixes(old, text, args.old_budget)
        rows.append((f"{name}, {args.size:,} chars", f"{new_rate / 1e6:.2f} MB/s",
                     f"{old_rate / 1e3:.1f} KB/s on {measured:,} chars", f"{new_rate / old_rate:.0f}x"))
    width = max(len(r[0]) for r in rows)
    print(f"{'text':<{width}}  {'new':>10}  {'old (pySBD)':>28}  new/old")
    for name, new, old_text, ratio in rows:
        print(f"{name:<{width}}  {new:>10}  {old_text:>28}  {ratio}")
    return rows


if __name__ == "__main__":
    main()
