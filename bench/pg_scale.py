"""PostgreSQL + pgvector at scale: build rate, question p50 and recall@10 against exact search.

    python -m bench.pg_scale --squad-index .citebot-squad --n 100000            # starts its own server
    python -m bench.pg_scale --squad-index .citebot-squad --n 100000 --uri postgresql://citebot@db/bench

The corpus is generated from a real SQuAD build: passage i is real passage i mod m (text, sentences,
so BM25 has real postings) in article copy i // m, with a *generated* vector near real embeddings
(``bench.run.synthetic_vectors``); queries are SQuAD dev questions (the lexical half) with generated
query vectors (the dense half). The folder store is timed on the same data for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from bench.run import SQUAD, synthetic_vectors
from index.lexical import BM25
from index.passages import Passage
from index.store import ArticleInfo, Store, StoreData


def generate(real: Store, n: int, rng: np.random.Generator) -> StoreData:
    base = list(real.passages.values())
    m = len(base)
    passages, articles, seen = [], [], set()
    for i in range(n):
        p = base[i % m]
        doc = f"{p.doc}#{i // m}"
        passages.append(Passage(i, doc, p.start, p.end, p.text, p.sentences))
        if doc not in seen:
            seen.add(doc)
            a = real.articles[p.doc]
            articles.append(ArticleInfo(doc, a.title, a.date, a.url, a.path))
    centres = np.vstack([real.passage_vectors, real.sentence_vectors]).astype("float32")
    vectors = synthetic_vectors(centres, n, rng)
    sentences = sorted({(p.doc, s, e) for p in passages for s, e in p.sentences})
    svectors = synthetic_vectors(centres, len(sentences), rng)
    manifest = dict(real.manifest, passages=n, articles=len(articles), files={}, next_id=n)
    return StoreData(manifest=manifest, articles=articles, passages=passages, passage_vectors=vectors,
                     sentences=sentences, sentence_vectors=svectors, bm25=BM25.build([p.text for p in passages]))


class _NoEmbedder:
    """The bench hands the searcher its query vectors; nothing is embedded."""

    model = "bench"

    def embed(self, texts):
        raise AssertionError("the bench passes vectors")


def p50_ms(values) -> float:
    return float(np.median(values)) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--squad-index", type=Path, required=True, help="a folder index built from the SQuAD corpus")
    parser.add_argument("--n", type=int, default=100_000, help="generated passages [default 100,000]")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--uri", help="an existing database (default: start a throw-away server)")
    args = parser.parse_args(argv)

    from index.pg_build import write_build
    from index.pg_store import PgStore, connect, ensure_schema, register_vector_types
    from index.search import Searcher

    rng = np.random.default_rng(7)
    real = Store.load(args.squad_index)
    started = time.perf_counter()
    data = generate(real, args.n, rng)
    print(f"generated {args.n:,} passages, {len(data.sentences):,} sentences in {time.perf_counter() - started:.0f} s",
          flush=True)
    server = None
    uri = args.uri
    if uri is None:
        from tests.pg_server import PgServer

        server = PgServer().start()
        uri = server.create_database("bench")
    try:
        conn = connect(uri, register=False)
        ensure_schema(conn)
        register_vector_types(conn)
        started = time.perf_counter()
        write_build(conn, data)
        build_s = time.perf_counter() - started
        print(f"PostgreSQL build (COPY + HNSW, one transaction): {build_s:.0f} s = {args.n / build_s:,.0f} passages/s",
              flush=True)
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        store = PgStore.open(uri)
        questions = [json.loads(line)["q"] for line in (SQUAD / "questions" / "dev.jsonl").read_text().splitlines()
                     if line.strip()][:args.queries]
        centres = np.vstack([real.passage_vectors, real.sentence_vectors]).astype("float32")
        qvecs = synthetic_vectors(centres, len(questions), rng)
        exact = [set(np.argsort(-(data.passage_vectors @ q), kind="stable")[:10].tolist()) for q in qvecs]
        recall, dense_lat = [], []
        for q, truth in zip(qvecs, exact):
            t = time.perf_counter()
            ids, _ = store.dense_search(q, 50)  # the searcher's depth: ef_search 100
            dense_lat.append(time.perf_counter() - t)
            recall.append(len(set(ids[:10].tolist()) & truth) / 10)
        lex_lat = []
        for question in questions:
            t = time.perf_counter()
            store.lexical_search(question, 50)
            lex_lat.append(time.perf_counter() - t)
        results = {}
        folder = Store(Path("."), data)
        for name, s in (("postgresql", store), ("folder (in memory, exact)", folder)):
            searcher = Searcher(s, _NoEmbedder())
            lat = []
            for question, q in zip(questions, qvecs):
                t = time.perf_counter()
                searcher.search(question, k=30, vector=q)
                lat.append(time.perf_counter() - t)
            results[name] = p50_ms(lat)
        print(f"\n| figure ({args.n:,} generated passages) | measured |\n|---|---|")
        print(f"| build rate into PostgreSQL (COPY, HNSW m=16 ef_construction=64, one transaction) | "
              f"{args.n / build_s:,.0f} passages/s ({build_s:.0f} s) |")
        print(f"| database size | {size / 2**20:,.0f} MB |")
        print(f"| dense top-50 (HNSW, ef_search 100) p50 | {p50_ms(dense_lat):.1f} ms |")
        print(f"| recall@10 of HNSW vs exact ({len(questions)} generated queries) | {np.mean(recall):.3f} |")
        print(f"| BM25 top-50 in the database (sparsevec, exact scan) p50 | {p50_ms(lex_lat):.1f} ms |")
        for name, value in results.items():
            print(f"| hybrid question (Searcher.search, k=30), {name}, p50 | {value:.1f} ms |")
        store.close()
        conn.close()
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
