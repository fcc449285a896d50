"""BM25 at a million passages of real text: build, size on disk, load, and top-50 latency.

The passages are SQuAD dev paragraphs' sentences recombined: each passage takes as many sentences
as a real paragraph of one article has, drawn from that article (fixed seed), so terms keep their
real frequencies and co-occurrences. Queries are SQuAD dev questions. The "full scan" column is
what BM25 did before (score every row, then pick the best); the exact top-k must return the same
scores, and this prints how many of the full scan's top 50 it returned.

    python -m bench.bm25_scale                 # 1,000,000 passages (about 5 min, 3 GB here)
    python -m bench.bm25_scale --passages 100000
    python -m bench.bm25_scale --keep /tmp/bm25   # keep the index; a second run only measures queries
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from index.lexical import BM25, best_rows
from index.sentences import sentence_spans

SQUAD = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "squad"


def squad_articles(path: Path) -> tuple[list[list[str]], list[int]]:
    """Sentences of each SQuAD article, and the sentence count of every paragraph."""
    by_title: dict[str, list[str]] = {}
    counts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        spans = sentence_spans(row["text"])
        by_title.setdefault(row["title"], []).extend(row["text"][s:e] for s, e in spans)
        counts.append(len(spans))
    return list(by_title.values()), counts


def passages(articles: list[list[str]], counts: list[int], n: int, seed: int = 20261123):
    """``n`` passages, each sentences of one article as many as a real paragraph holds."""
    rng = np.random.default_rng(seed)
    sizes = np.array([len(a) for a in articles], dtype="float64")
    pick_article = rng.choice(len(articles), size=n, p=sizes / sizes.sum())
    pick_count = rng.choice(np.array(counts), size=n)
    for a, m in zip(pick_article.tolist(), pick_count.tolist()):
        sentences = articles[a]
        chosen = np.sort(rng.choice(len(sentences), size=min(m, len(sentences)), replace=False))
        yield " ".join(sentences[i] for i in chosen.tolist())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--keep", metavar="DIR", help="keep the built index in DIR and reuse it next time")
    args = parser.parse_args()

    articles, counts = squad_articles(SQUAD / "corpus" / "squad_dev_v1.1.jsonl")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bm25-scale-"))
    meta_path = work / f"bm25-{args.passages}.json"
    try:
        if meta_path.is_file():  # built before with --keep: measure the queries again
            meta = json.loads(meta_path.read_text())
        else:
            work.mkdir(parents=True, exist_ok=True)
            text_bytes = 0

            def counted():
                nonlocal text_bytes
                for text in passages(articles, counts, args.passages):
                    text_bytes += len(text.encode("utf-8"))
                    yield text

            started = time.perf_counter()
            built = BM25.build(counted())
            meta = {"build_s": time.perf_counter() - started, "text_bytes": text_bytes,
                    "build_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
            built.save(work / f"bm25-{args.passages}.npz")
            del built
            meta_path.write_text(json.dumps(meta))
        build_s, text_bytes, build_rss = meta["build_s"], meta["text_bytes"], meta["build_rss"]
        size = (work / f"bm25-{args.passages}.npz").stat().st_size
        started = time.perf_counter()
        bm25 = BM25.load(work / f"bm25-{args.passages}.npz")
        load_s = time.perf_counter() - started

        questions = [json.loads(line)["q"] for line in (SQUAD / "questions" / "dev.jsonl").read_text().splitlines()
                     if line.strip()][: args.queries]
        for q in questions[:20]:  # warm the page cache and numpy
            bm25.top(q, args.k)
        fast, full, found, fast_cpu, full_cpu = [], [], [], [], []
        for q in questions:
            t, c = time.perf_counter(), time.process_time()
            rows, scores = bm25.top(q, args.k)
            fast.append(time.perf_counter() - t)
            fast_cpu.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            every = bm25.scores(q)
            best = best_rows(every, args.k)
            full.append(time.perf_counter() - t)
            full_cpu.append(time.process_time() - c)
            # recall of the exact top-k: its scores (ties may swap rows of equal score) match the full scan's
            expected = np.sort(every[best])[::-1]
            found.append(float(np.mean(np.isclose(np.sort(scores)[::-1], expected, rtol=1e-5))) if len(best) else 1.0)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    ms = lambda xs, p: float(np.percentile(xs, p)) * 1000  # noqa: E731
    print(f"BM25 over {bm25.size:,} passages of recombined SQuAD text ({text_bytes / 1e6:,.0f} MB of text, "
          f"{len(bm25.vocab):,} terms, {len(bm25.rows):,} postings)")
    print(f"  build {build_s:.0f} s, peak RSS {build_rss:,.0f} MB; bm25.npz {size / 1e6:,.0f} MB "
          f"= {size / text_bytes:.2f} x the text; load (memory-mapped) {load_s * 1000:.1f} ms")
    load = os.getloadavg()[0]
    print(f"  top-{args.k}, {len(questions)} SQuAD dev questions: p50 {ms(fast, 50):.2f} ms, p95 {ms(fast, 95):.2f} ms "
          f"(CPU time p50 {ms(fast_cpu, 50):.2f} ms, p95 {ms(fast_cpu, 95):.2f} ms)")
    print(f"  full scan (score every row, as before): p50 {ms(full, 50):.2f} ms, p95 {ms(full, 95):.2f} ms "
          f"(CPU time p50 {ms(full_cpu, 50):.2f} ms, p95 {ms(full_cpu, 95):.2f} ms)")
    print(f"  load average {load:.1f} on {os.cpu_count()} cores: wall times include waiting for a core")
    print(f"  top-{args.k} scores equal to the full scan's: {np.mean(found):.4f} (1 = exact)")


if __name__ == "__main__":
    main()
