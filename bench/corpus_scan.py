"""What a look for hand edits of the corpus folder costs: the scan a running bot or chat makes on its interval.

The scan is ``IndexBuilder.status()``: list every corpus file, stat it, and compare its size and mtime with the
manifest's (a file whose size and mtime match keeps its recorded hash, unread; a changed one is read and hashed). The
corpus: ``--files`` small Markdown files in 20 folders, written in a temporary folder; the manifest is the one a
build of them records (its "files" table), so no model is loaded and nothing is embedded.

    python -m bench.corpus_scan                    # 20,000 files
    python -m bench.corpus_scan --files 2000
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from index.documents import fingerprint


def scan(corpus: Path, manifest: str) -> bool:
    """What ``IndexBuilder.status()`` does past its settings' checks: True when the corpus is as recorded."""
    recorded = json.loads(manifest)["files"]
    stamps = fingerprint(corpus, recorded)
    return {rel: s.sha256 for rel, s in stamps.items()} == {rel: s["sha256"] for rel, s in recorded.items()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus_scan", description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.files < 1 or args.runs < 1:
        parser.error("--files and --runs must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="corpus-scan-"))
    try:
        corpus = work / "corpus"
        for i in range(args.files):
            folder = corpus / f"site{i % 20}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"a{i}.md").write_text(f"---\ntitle: Article {i}\n---\nThe council met on day {i}.\n",
                                             encoding="utf-8")
        manifest = json.dumps({"files": {rel: s.to_json() for rel, s in fingerprint(corpus).items()}})
        seconds = []
        for _ in range(args.runs):
            start = time.perf_counter()
            assert scan(corpus, manifest)
            seconds.append(time.perf_counter() - start)
        edited = corpus / "site0" / "a0.md"
        edited.write_text(edited.read_text(encoding="utf-8") + "It adjourned.\n", encoding="utf-8")
        start = time.perf_counter()
        assert not scan(corpus, manifest)
        changed = time.perf_counter() - start
        print(f"corpus: {args.files:,} files in 20 folders")
        print(f"a scan of the unchanged corpus: median {statistics.median(seconds):.2f} s, "
              f"min {min(seconds):.2f} s, max {max(seconds):.2f} s ({args.runs} runs)")
        print(f"a scan that finds one file edited: {changed:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
