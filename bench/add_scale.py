"""`citebot add` over a large corpus: the duplicate check's memory, and seconds per added article.

The corpus is SQuAD dev articles' sentences recombined into news-sized articles (fixed seed), written as
front-matter Markdown in a temporary folder. It measures what one ArticleAdder (as `citebot add` and the
Telegram bot hold) costs: reading the corpus's URLs and text fingerprints once, then adding new articles,
then adding copies that differ by a word (each must be found as a duplicate). And what each add pays whatever the
corpus holds: a look at the corpus folder, for the files another process added meanwhile.

    python -m bench.add_scale                      # 20,000 articles (about 2 min here)
    python -m bench.add_scale --articles 5000
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.bm25_scale import SQUAD, squad_articles
from index.add import ArticleAdder
from index.documents import corpus_files


def texts(articles: list[list[str]], n: int, sentences: int, seed: int):
    """``n`` article bodies of ``sentences`` sentences each, drawn from one SQuAD article at a time."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        source = articles[int(rng.integers(len(articles)))]
        chosen = rng.choice(len(source), size=min(sentences, len(source)), replace=False)
        yield " ".join(source[i] for i in chosen.tolist())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--sentences", type=int, default=25, help="sentences an article has (25: about 600 words)")
    parser.add_argument("--add", type=int, default=100, help="new articles added, and as many near-copies")
    args = parser.parse_args()

    articles, _ = squad_articles(SQUAD / "corpus" / "squad_dev_v1.1.jsonl")
    work = Path(tempfile.mkdtemp(prefix="add-scale-"))
    try:
        corpus = work / "corpus"
        words = 0
        for i, body in enumerate(texts(articles, args.articles, args.sentences, seed=1)):
            folder = corpus / f"site{i % 20}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"a{i}.md").write_text(f"---\ntitle: Article {i}\nurl: https://site{i % 20}.example/{i}\n---\n"
                                             f"{body}\n", encoding="utf-8")
            words += len(body.split())
        print(f"corpus: {args.articles:,} articles, {words / args.articles:.0f} words each on average")
        before = peak_mb()
        adder = ArticleAdder(corpus)
        start = time.perf_counter()
        adder.known()
        print(f"first read of the corpus (URLs and text of every article): {time.perf_counter() - start:.1f} s, "
              f"peak memory +{peak_mb() - before:.0f} MB")
        start = time.perf_counter()
        adder.known()
        print(f"a later look (only new files are read): {time.perf_counter() - start:.2f} s")
        # Each add looks at the whole corpus folder for files another process added (a feed item twice: before its
        # fetch, and under the add lock): the walk's cost is paid per article, whatever the corpus's size.
        start = time.perf_counter()
        listed = len(corpus_files(corpus))
        walked = time.perf_counter() - start
        start = time.perf_counter()
        for _ in os.walk(corpus):
            pass
        print(f"listing the corpus folder (corpus_files): {walked:.3f} s for {listed:,} files; "
              f"os.walk alone: {time.perf_counter() - start:.3f} s")
        stored = [f"https://site{i % 20}.example/{i}" for i in range(0, args.articles, max(args.articles // 20, 1))]
        start = time.perf_counter()
        found = [adder.add_url(url) for url in stored]
        seconds = time.perf_counter() - start
        print(f"a feed item whose link is stored already: {seconds / len(stored) * 1000:.0f} ms each, "
              f"{sum(not f.is_new for f in found)} of {len(stored)} found")

        new = list(texts(articles, args.add, args.sentences, seed=2))
        start = time.perf_counter()
        added = [adder.add_bytes(body.encode(), f"new{i}.txt") for i, body in enumerate(new)]
        seconds = time.perf_counter() - start
        print(f"{args.add} new articles added: {seconds / args.add * 1000:.0f} ms each, "
              f"{sum(a.is_new for a in added)} new")
        start = time.perf_counter()
        copies = [adder.add_bytes(body.replace(" the ", " a ", 1).encode(), f"copy{i}.txt") for i, body in enumerate(new)]
        seconds = time.perf_counter() - start
        print(f"{args.add} copies differing by a word: {seconds / args.add * 1000:.0f} ms each, "
              f"{sum(not c.is_new for c in copies)} found as duplicates")
        print(f"peak memory: {peak_mb():.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
