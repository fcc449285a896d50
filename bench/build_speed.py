"""From-scratch SQuAD builds, float32 vs int8 weights, wall and CPU time, and what each answers.

    python -m bench.build_speed                  # both builds (~4-10 min on 2 cores)
    python -m bench.build_speed --quality        # also SQuAD test recall@1 / sentence of each (~+10 min)

Each build runs as a real `citebot index` process with an empty export cache (CITEBOT_CACHE), so it
pays for importing torch and exporting the model, as on a new machine; a third build shows the
same with the export already cached (every later new index on that machine).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT / ".." / "shared" / "eval" / "squad"


def citebot(*args: str, env: dict) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, stdout) of one `citebot` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"citebot {' '.join(args)} failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def measure(quality: bool = False, echo: bool = True) -> list[dict]:
    """The three builds' rows: {"build", "wall_s", "cpu_s", "out"[, "quality"]}; [] without the SQuAD corpus."""
    corpus = SQUAD / "corpus"
    if not corpus.is_dir():
        print(f"{corpus} not found", file=sys.stderr)
        return []
    rows = []
    with tempfile.TemporaryDirectory(prefix="citebot-build-speed-") as work:
        work = Path(work)
        # The first row is the build as it was before issue 9: float32, one session on every core.
        for label, quantize, cache, workers in (("float32, 1 session (before)", "none", "cold-fp32", "1"),
                                                ("int8, new machine", "int8", "cold-int8", ""),
                                                ("int8, export cached", "int8", "cold-int8", "")):
            env = dict(os.environ, HF_HUB_OFFLINE="1", CITEBOT_QUANTIZE=quantize, CITEBOT_CACHE=str(work / cache),
                       CITEBOT_BUILD_WORKERS=workers, CITEBOT_MODEL="all-MiniLM-L6-v2")  # the ONNX weights compared
            index = work / f"index-{len(rows)}"
            wall, cpu, out = citebot("index", "--corpus", str(corpus), "--index", str(index), env=env)
            row = {"build": label, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "out": out.strip()}
            if quality and len(rows) < 2:
                _, _, metrics = citebot("eval", str(SQUAD / "questions" / "test.jsonl"), "--corpus", str(corpus),
                                        "--index", str(index), "--json", env=env)
                row["quality"] = json.loads(metrics)
            rows.append(row)
            if echo:
                print(json.dumps(row), flush=True)
            shutil.rmtree(index, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quality", action="store_true", help="also evaluate SQuAD test with each build")
    args = parser.parse_args(argv)
    rows = measure(args.quality)
    if not rows:
        return 1
    base = rows[0]
    print(f"\n{'build':<28} {'wall s':>8} {'CPU s':>8} {'speed-up, wall':>15} {'speed-up, CPU':>14}")
    for row in rows:
        print(f"{row['build']:<28} {row['wall_s']:>8.1f} {row['cpu_s']:>8.1f} "
              f"{base['wall_s'] / row['wall_s']:>14.2f}x {base['cpu_s'] / row['cpu_s']:>13.2f}x")
    print(f"load average now: {os.getloadavg()[0]:.1f} (wall time is only comparable on an idle machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
