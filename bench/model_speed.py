"""Time each embedding model on the shipped corpus, side by side: build, cold `ask`, warm `ask -`.

    python -m bench.model_speed                       # both models, 3 runs each (~3 minutes on 2 cores)
    python -m bench.model_speed --models multilingual-e5-small --runs 5

The figures behind docs/languages.md (which model is the default and why). Whole processes, as
`make bench` times them: the warm figure is `make bench`'s row 2 (the same 200 questions through one
`citebot ask --json -`, minus one question's run, divided by 199), for each model in turn.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.run import QUESTION, SHIPPED, citebot, median, run_child, warm_questions
from index.models import CHOICES


def measure(model: str, work: Path, runs: int) -> dict:
    """Build the shipped corpus with ``model``, then time cold and warm questions on it."""
    build = [run_child(citebot() + ["index", "--corpus", str(SHIPPED), "--index", str(work / f"{model}-{i}"),
                                    "--model", model])[0] for i in range(runs)]
    index = work / f"{model}-0"  # the first of those builds: questions need no build of their own
    ask = citebot() + ["ask", "--corpus", str(SHIPPED), "--index", str(index), "--model", model]
    run_child(ask + [QUESTION])  # page cache warm; not counted
    cold = [run_child(ask + [QUESTION]) for _ in range(runs)]
    questions = warm_questions()
    one = [run_child(ask + ["--json", "-"], questions[0] + "\n")[0] for _ in range(runs)]
    many = [run_child(ask + ["--json", "-"], "\n".join(questions) + "\n")[0] for _ in range(runs)]
    return {"build": build, "cold": [s for s, _, _ in cold], "rss": [r for _, r, _ in cold],
            "warm": (median(many) - median(one)) / (len(questions) - 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.model_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(CHOICES), help=f"comma-separated [default {','.join(CHOICES)}]")
    parser.add_argument("--runs", type=int, default=3, help="runs per timed process [default 3]")
    args = parser.parse_args(argv)
    if args.runs < 1:  # no run has no median
        parser.error("--runs must be at least 1")
    print("| model | build shipped corpus, wall | cold `ask` wall / peak RSS | warm `ask -` per question |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="citebot-models-") as tmp:
        for model in args.models.split(","):
            print(f"bench: {model} ...", file=sys.stderr, flush=True)
            m = measure(model, Path(tmp), args.runs)
            print(f"| {model} | {min(m['build']):.2f}-{max(m['build']):.2f} s "
                  f"| {min(m['cold']):.2f}-{max(m['cold']):.2f} s / {median(m['rss']):.0f} MB "
                  f"| {m['warm'] * 1000:.1f} ms |", flush=True)


if __name__ == "__main__":
    main()
