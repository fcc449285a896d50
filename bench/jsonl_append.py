"""One row appended to a big .jsonl file (a live feed's dump, a chat's watch): seconds of the index update.

The corpus is the first ``--rows`` rows of SQuAD dev as one .jsonl file, built once into ``--keep`` (about 15 min for
all 1,658 on 2 cores: every passage is embedded) and reused by later runs. Each timing starts from a copy of that
index: one row appended (its rows before it unchanged), and, for comparison, the first row edited (every row read and
split again, as one appended was before the build kept an appended file's old rows).

    python -m bench.jsonl_append --keep /tmp/jsonl-append          # 1,658 rows
    python -m bench.jsonl_append --keep /tmp/jsonl-append-200 --rows 200
    python -m bench.jsonl_append --keep /tmp/jsonl-append-200 --rows 200 --delta-min 100  # as over 50,000 passages
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from pathlib import Path

from bench.build_speed import SQUAD
from index.build import DELTA_MIN_PASSAGES, IndexBuilder
from index.models import make_embedder

NEW_ROW = {"id": "appended", "title": "Ferry", "text": "A new ferry line links the two ports. It sails twice a day."}


def timed(base: Path, work: Path, change, runs: int, delta_min: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of ``runs`` updates of a copy of ``base`` after ``change(corpus file)``, and passages
    embedded (CPU time says more than wall time on a machine whose cores other work shares)."""
    seconds, cpu, embedded = [], [], 0
    for _ in range(runs):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work, symlinks=True)
        change(work / "corpus" / "rows.jsonl")
        builder = IndexBuilder(work / "corpus", work / "index", make_embedder(None), delta_min=delta_min)
        started, started_cpu = time.perf_counter(), time.process_time()
        embedded = builder.build(if_stale=True).embedded_passages
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    shutil.rmtree(work, ignore_errors=True)
    return statistics.median(seconds), statistics.median(cpu), embedded


def append(path: Path) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(NEW_ROW) + "\n")


def edit_first(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = json.loads(lines[0])
    row["text"] += " It was edited."
    path.write_text(json.dumps(row) + "\n" + "".join(lines[1:]), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, required=True, help="folder of the corpus and its index, built once")
    parser.add_argument("--rows", type=int, default=1658)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delta-min", type=int, default=DELTA_MIN_PASSAGES,
                        help="index size (passages) from which an update is added as a segment: a small one times "
                             "the path of an index over 50,000 passages")
    args = parser.parse_args()

    base = args.keep / "base"
    if not (base / "index").is_dir():
        (base / "corpus").mkdir(parents=True, exist_ok=True)
        with (SQUAD / "corpus" / "squad_dev_v1.1.jsonl").open(encoding="utf-8") as rows:
            head = [line for _, line in zip(range(args.rows), rows)]
        (base / "corpus" / "rows.jsonl").write_text("".join(head), encoding="utf-8")
        started = time.perf_counter()
        IndexBuilder(base / "corpus", base / "index", make_embedder(None)).build()
        print(f"first build of {len(head):,} rows: {time.perf_counter() - started:.0f} s")
    # under this release's rules: an index built by another reads every row again once
    IndexBuilder(base / "corpus", base / "index", make_embedder(None)).build(if_stale=True)
    rows = sum(1 for _ in (base / "corpus" / "rows.jsonl").open(encoding="utf-8"))
    for label, change in (("one row appended", append), ("first row edited (every row split)", edit_first)):
        seconds, cpu, embedded = timed(base, args.keep / "run", change, args.runs, args.delta_min)
        print(f"{rows:,} rows, {label}: {seconds:.2f} s, CPU {cpu:.2f} s (medians of {args.runs}), "
              f"{embedded} passages embedded")


if __name__ == "__main__":
    main()
