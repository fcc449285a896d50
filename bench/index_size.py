"""Index size against corpus size, without embedding: the files a build writes, vectors and ONNX aside.

Reads the corpus, cuts passages and builds BM25 exactly as `citebot index` does, then writes
tables.npz (passages, sentence spans, articles) and bm25.npz the way the store writes them.

    python -m bench.index_size ../shared/eval/squad/corpus
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from index.build import embedding_text
from index.documents import corpus_files, read_corpus
from index.lexical import BM25
from index.passages import PassageSplitter
from index.segment import Segment
from index.store import ArticleInfo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    corpus_bytes = sum(p.stat().st_size for p in corpus_files(args.corpus) if p.is_file())
    corpus = read_corpus(args.corpus)
    splitter = PassageSplitter()
    passages = [(a, p) for a in corpus.articles for p in splitter.split(a)]
    sentences = sorted({(p.doc, s, e) for _, p in passages for s, e in p.sentences}, key=lambda k: (k[0], k[1]))
    bm25 = BM25.build(embedding_text(a, p.text) for a, p in passages)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        articles = [ArticleInfo(a.id, a.title, a.date, a.url, a.path) for a in corpus.articles]
        Segment.from_data(articles, [p for _, p in passages], sentences).save(folder)  # tables.npz
        bm25.save(folder / "bm25.npz")
        sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    total = sum(sizes.values())
    print(f"{args.corpus}: {corpus_bytes / 1e6:.2f} MB in {len(corpus.articles):,} articles "
          f"({len(corpus.skipped)} skipped) -> {len(passages):,} passages, {len(sentences):,} sentences")
    print(f"index without vectors/ONNX: {total / 1e6:.2f} MB = {total / corpus_bytes:.2f} x the corpus; "
          + ", ".join(f"{n} {s / 1e6:.2f} MB ({s / corpus_bytes:.2f} x)" for n, s in sorted(sizes.items(), key=lambda x: -x[1]))
          + f" [{time.perf_counter() - started:.0f} s]")


if __name__ == "__main__":
    main()
