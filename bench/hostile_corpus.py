"""`citebot index` on the corpus that took main down (issue 9): time, peak RSS and index size.

The corpus: a 2 MB line of one letter, a 120,000-word sentence with no full stop, a 20,000-row
Markdown table and a 5 MB single-token line, beside the two shipped articles, plus files nothing
can read (a FIFO, a dangling symlink, a symlink loop). The build runs as a child process through
the real entry point; its peak RSS is the child's ``ru_maxrss``.

    python -m bench.hostile_corpus
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "corpus"
# Files a build writes that are vectors or the ONNX query embedder, which the size bound leaves aside.
VECTOR_FILES = {"passage_vectors.npy", "sentence_vectors.npy", "faiss.index", "passage_ids.npy"}
EMBEDDER_FILES = re.compile(r"^(model\.onnx.*|tokenizer\.json|embedder\.json)$")


def write_issue_cases(folder: Path, words_in_sentence: int = 120_000, table_rows: int = 20_000) -> dict[str, int]:
    """The four files of issue 9 under ``folder``; their sizes in bytes, by name.

    The run-on sentence and the table cost embedding time in proportion to their size (the two
    single-token lines hardly any), so the test suite writes them smaller than the bench does.
    """
    folder.mkdir(parents=True, exist_ok=True)
    words = re.sub(r"[.!?…]", "", " ".join(p.read_text(encoding="utf-8") for p in sorted(SHIPPED.glob("*.txt")))).split()
    files = {
        "one_letter.txt": "a" * 2_000_000 + "\n",
        "run_on.txt": " ".join(words[i % len(words)] for i in range(words_in_sentence)) + "\n",
        "table.md": "## Results\n\n| id | name | value |\n|---:|------|------:|\n"
                    + "".join(f"| {i} | item {i} | {i * 37 % 1000} |\n" for i in range(table_rows)),
        "token.txt": "z" * 5_000_000 + "\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name: (folder / name).stat().st_size for name in files}


def write_unreadable(folder: Path) -> list[str]:
    """Files even root cannot read as articles (chmod 000 does not stop root): their names."""
    os.mkfifo(folder / "pipe.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    return ["dangling.txt", "loop.md", "pipe.txt"]


def index_bytes(folder: Path) -> dict[str, int]:
    """Sizes of the live build's files, vectors and the ONNX embedder left out."""
    live = (folder / "current").resolve()
    return {p.name: p.stat().st_size for p in live.iterdir()
            if p.is_file() and p.name not in VECTOR_FILES and not EMBEDDER_FILES.match(p.name)}


def run_index(corpus: Path, index: Path, env: dict | None = None) -> tuple[subprocess.CompletedProcess, float, float]:
    """`citebot index` in a child; (result, seconds, peak RSS of the child in MB)."""
    citebot = Path(sys.executable).parent / "citebot"
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(r.returncode, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr)\n"
    )
    full_env = dict(os.environ, HF_HUB_OFFLINE="1", NO_COLOR="1", **(env or {}))
    result = subprocess.run([sys.executable, "-c", probe, str(citebot), "index", "--corpus", str(corpus),
                             "--index", str(index)], capture_output=True, text=True, env=full_env, timeout=3000)
    first, _, rest = result.stdout.partition("\n")
    code, seconds, rss_kb = first.split()
    return subprocess.CompletedProcess(result.args, int(code), rest, result.stderr), float(seconds), int(rss_kb) / 1024


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        corpus = work / "corpus"
        shutil.copytree(SHIPPED, corpus)
        sizes = write_issue_cases(corpus)
        write_unreadable(corpus)
        corpus_bytes = sum(p.stat().st_size for p in corpus.iterdir() if p.is_file() and not p.is_symlink())
        started = time.perf_counter()
        result, seconds, rss = run_index(corpus, work / "index")
        wall = time.perf_counter() - started
        print(result.stdout.strip())
        if result.returncode:
            print(result.stderr[-3000:])
            raise SystemExit(result.returncode)
        files = index_bytes(work / "index")
        manifest = json.loads(((work / "index" / "current").resolve() / "manifest.json").read_text())
        total = sum(files.values())
        print(f"corpus: {corpus_bytes / 1e6:.1f} MB ({', '.join(f'{n} {s / 1e6:.1f} MB' for n, s in sizes.items())})")
        print(f"citebot index: {seconds:.0f} s, peak RSS {rss:,.0f} MB ({wall:.0f} s with the probe)")
        print(f"index without vectors/ONNX: {total / 1e6:.1f} MB = {total / corpus_bytes:.2f} x the corpus; "
              + ", ".join(f"{n} {s / 1e6:.1f} MB" for n, s in sorted(files.items(), key=lambda x: -x[1])))
        print(f"passages {manifest['passages']:,}; bm25.npz = {files['bm25.npz'] / corpus_bytes:.2f} x the corpus")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
