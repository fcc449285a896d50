"""Time the text readers on inputs that once made them quadratic: one figure each, in seconds.

Each case is a text a user or an article can send (a front-matter line of 150,000 spaces, a 50 KB
question of "aBaB…", a 700-character "AA…aa" run in a passage, a megabyte-long question held against
a sentence); the tests pin what each returns, this prints how long it takes. No model, no index.

    python -m bench.hostile_text
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def _seconds(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def cases() -> list[tuple[str, str, float]]:
    """(case, what was measured before the fix, seconds now), in the order printed."""
    from bot.answering.answer_types import supplies
    from bot.language import detect
    from bot.telegram import _NAME
    from index.documents import read_corpus
    from index.lexical import tokenize

    out = []
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "b.md").write_text("---\ntitle: x" + " " * 150_000 + "y\n---\nBody.", encoding="utf-8")
        out.append(("read_corpus: a front-matter line of 150,000 spaces", "76.3 s",
                    _seconds(lambda: read_corpus(Path(folder)))))
    out.append(("tokenize: a 50 KB question 'aBaB…1'", "5.6 s", _seconds(lambda: tokenize("aB" * 25_000 + "1"))))
    run = "A" * 350 + "a" * 350
    out.append(("example names: a 700-character 'AA…aa' run", "0.52 s",
                _seconds(lambda: list(_NAME.finditer(run + " " + run)))))
    question = "where is the summit? " * 50_000
    sentences = [f"The summit opens on July {day}, 2023." for day in range(1, 60)]
    out.append(("answer type: a 1 MB question against 59 sentences", "3.7 s",
                _seconds(lambda: [supplies(s, "time", question) for s in sentences])))
    out.append(("detect: a 1 MB question 'a a a …' (nine more languages' cues)", "0.95 s",
                _seconds(lambda: detect("a " * 500_000))))
    return out


def main() -> int:
    rows = cases()
    width = max(len(name) for name, _, _ in rows)
    print(f"{'case':<{width}}  {'before':>8}  {'now':>10}")
    for name, before, seconds in rows:
        print(f"{name:<{width}}  {before:>8}  {seconds:>8.4f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
