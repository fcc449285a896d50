"""PostgreSQL + pgvector at scale: build rate, question p50, recall@10 against exact search, BM25 layouts.

    python -m bench.pg_scale --squad-index .citebot-squad --passages 100000      # starts its own server
    python -m bench.pg_scale --squad-index .citebot-squad --passages 1000000 --uri postgresql://citebot@db/bench
    python -m bench.pg_scale --squad-index .citebot-squad --passages 100000 --compare-lexical
    python -m bench.pg_scale --squad-index .citebot-squad --quality-only          # SQuAD test, lexical half

The corpus is generated from a real SQuAD build: passage i is real passage i mod m (text, sentences,
so BM25 has real postings) in article copy i // m, with a *generated* vector near real embeddings
(``bench.run.synthetic_vectors``); queries are SQuAD dev questions (the lexical half) with generated
query vectors (the dense half). The folder store is timed on the same data for comparison.

``--compare-lexical`` also times the BM25 layouts the build does not use, over the same passages:
BM25 weights as a ``sparsevec`` column (an exact scan: pgvector has no exact sparse top-k index) and
PostgreSQL full-text search (``tsvector`` under GIN, ``ts_rank_cd``), and measures the lexical
half's quality on the real SQuAD build (SQuAD test: is the best lexical passage from the gold article?).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from bench.run import SQUAD, synthetic_vectors
from index.lexical import BM25, tokenize
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


def real_data(real: Store) -> StoreData:
    """The real SQuAD build as ``StoreData`` (for the lexical quality figures)."""
    return StoreData(manifest=dict(real.manifest), articles=list(real.articles.values()),
                     passages=list(real.passages.values()), passage_vectors=real.passage_vectors,
                     sentences=sorted(real.sentence_row, key=real.sentence_row.get),
                     sentence_vectors=real.sentence_vectors, bm25=real.bm25)


class _NoEmbedder:
    """The bench hands the searcher its query vectors; nothing is embedded."""

    model = "bench"

    def embed(self, texts):
        raise AssertionError("the bench passes vectors")


def p50_ms(values) -> float:
    return float(np.median(values)) * 1000


def cpu_seconds(pid: int | None = None) -> float | None:
    """CPU time (user + system) of this process, or of the process ``pid`` on this machine (a server
    backend); None when it cannot be read. Unlike wall time it does not grow with the load of others."""
    if pid is None:
        return time.process_time()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def same_scores(got: np.ndarray, want: np.ndarray) -> bool:
    """The same top-k by score (tied passages may be swapped: the generated corpus repeats every text)."""
    return len(got) == len(want) and bool(np.allclose(got, want, rtol=1e-4, atol=1e-5))


def questions(split: str, limit: int | None = None) -> list[dict]:
    rows = [json.loads(line) for line in (SQUAD / "questions" / f"{split}.jsonl").read_text().splitlines() if line.strip()]
    return rows[:limit]


# ---- the BM25 layouts the build does not use, made beside a build for comparison ------------------
class SparsevecLexical:
    """BM25 weights as one ``sparsevec`` per passage; the question's term counts; ORDER BY inner product."""

    def __init__(self, conn, data: StoreData):
        from pgvector import SparseVector

        self.conn, self.vocab, self.dim = conn, data.bm25.vocab, max(1, len(data.bm25.vocab))
        bm25 = data.bm25
        counts = np.diff(bm25.offsets)
        terms = np.repeat(np.arange(len(counts), dtype="int64"), counts)
        order = np.lexsort((terms, bm25.rows))
        rows, terms, weights = bm25.rows[order], terms[order], bm25.weights[order]
        cuts = np.searchsorted(rows, np.arange(bm25.size + 1))
        conn.execute(f"DROP TABLE IF EXISTS bench_sparse; CREATE TABLE bench_sparse (id bigint PRIMARY KEY, "
                     f"ord integer NOT NULL, bm25 sparsevec({self.dim}) NOT NULL)")
        with conn.cursor() as cur, cur.copy("COPY bench_sparse (id, ord, bm25) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int4", "sparsevec"])
            for i, p in enumerate(data.passages):
                lo, hi = cuts[i], cuts[i + 1]
                copy.write_row((p.id, i, SparseVector(dict(zip(terms[lo:hi].tolist(), weights[lo:hi].tolist())),
                                                      self.dim)))
        conn.execute("ANALYZE bench_sparse")

    def top(self, question: str, k: int) -> list[int]:
        from pgvector import SparseVector

        counts: dict[int, float] = {}
        for term in tokenize(question):
            i = self.vocab.get(term)
            if i is not None:
                counts[i] = counts.get(i, 0.0) + 1.0
        if not counts:
            return []
        q = SparseVector(counts, self.dim)
        rows = self.conn.execute("SELECT id, -(bm25 <#> %s) FROM bench_sparse ORDER BY bm25 <#> %s, ord LIMIT %s",
                                 (q, q, k)).fetchall()
        return [(pid, score) for pid, score in rows if score > 0]


class FullTextLexical:
    """PostgreSQL full-text search: ``to_tsvector('english', text)`` under GIN, the question's words OR-ed,
    ranked by ``ts_rank_cd`` (stemmed, stop words dropped; not BM25)."""

    def __init__(self, conn, passages_table: str):
        conn.execute(f"DROP TABLE IF EXISTS bench_fts; CREATE TABLE bench_fts AS SELECT id, "
                     f"to_tsvector('english', text) AS tsv FROM {passages_table}")
        conn.execute("CREATE INDEX ON bench_fts USING gin (tsv)")
        conn.execute("ANALYZE bench_fts")
        self.conn = conn

    def top(self, question: str, k: int) -> list[int]:
        words = sorted(set(tokenize(question)))
        if not words:
            return []
        query = " | ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words)
        rows = self.conn.execute(
            "WITH q AS (SELECT to_tsquery('english', %s) AS q) SELECT id FROM bench_fts, q WHERE tsv @@ q.q "
            "ORDER BY ts_rank_cd(tsv, q.q) DESC, id LIMIT %s", (query, k)).fetchall()
        return [(r[0], None) for r in rows]


def lexical_quality(conn, uri: str, real: Store) -> list[tuple[str, str]]:
    """SQuAD test, lexical half alone: how often the best lexical passage (and any of the best 5) is from
    the gold article, for the folder's BM25, the database's postings, and full-text search."""
    from index.pg_build import write_build
    from index.pg_store import PgStore

    build = write_build(conn, real_data(real))
    store = PgStore.open(uri)
    fts = FullTextLexical(conn, f"citebot_b{build}_passages")
    rows = questions("test")
    rankers = {"BM25, folder store (numpy)": lambda q: real.lexical_search(q, 5)[0].tolist(),
               "BM25, postings table (this build)": lambda q: store.lexical_search(q, 5)[0].tolist(),
               "full-text search, english, ts_rank_cd": lambda q: [pid for pid, _ in fts.top(q, 5)]}
    out = []
    for name, top in rankers.items():
        at1 = at5 = 0
        for row in rows:
            docs = [real.passages[pid].doc.split("#", 1)[-1] for pid in top(row["q"])]  # "file.jsonl#" dropped
            at1 += bool(docs) and docs[0] == row["doc"]
            at5 += row["doc"] in docs
        out.append((f"SQuAD test ({len(rows):,} questions), lexical half alone, recall@1 / @5 by article: {name}",
                    f"{at1 / len(rows):.3f} / {at5 / len(rows):.3f}"))
    store.close()
    conn.execute("DROP TABLE bench_fts")
    return out


def measure(real: Store, n: int, uri: str, n_queries: int, compare_lexical: bool,
            quality_only: bool = False) -> list[tuple[str, str]]:
    from index.pg_build import write_build
    from index.pg_store import PgStore, connect, ensure_schema, register_vector_types
    from index.search import Searcher

    rng = np.random.default_rng(7)
    conn = connect(uri, register=False)
    ensure_schema(conn)
    register_vector_types(conn)
    figures: list[tuple[str, str]] = []
    if compare_lexical:
        figures += lexical_quality(conn, uri, real)
        for name, value in figures:
            print(f"{name}: {value}", flush=True)
    if quality_only:
        return figures
    started = time.perf_counter()
    data = generate(real, n, rng)
    print(f"generated {n:,} passages, {len(data.sentences):,} sentences in {time.perf_counter() - started:.0f} s",
          flush=True)
    started = time.perf_counter()
    build = write_build(conn, data)
    build_s = time.perf_counter() - started
    print(f"PostgreSQL build: {build_s:.0f} s = {n / build_s:,.0f} passages/s", flush=True)
    size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    store = PgStore.open(uri)
    asked = [row["q"] for row in questions("dev", n_queries)]
    centres = np.vstack([real.passage_vectors, real.sentence_vectors]).astype("float32")
    qvecs = synthetic_vectors(centres, len(asked), rng)
    recall, dense_lat = [], []
    for q in qvecs:
        truth = set(np.argpartition(-(data.passage_vectors @ q), 10)[:10].tolist())
        t = time.perf_counter()
        ids, _ = store.dense_search(q, 50)  # the searcher's depth: ef_search 100
        dense_lat.append(time.perf_counter() - t)
        recall.append(len(set(ids[:10].tolist()) & truth) / 10)
    folder = Store(Path("."), data)
    lexical = {"postings table (b-tree, MaxScore), this build":
               lambda q: list(zip(*(a.tolist() for a in store.lexical_search(q, 50))))}
    if compare_lexical:
        started = time.perf_counter()
        sparse = SparsevecLexical(conn, data)
        lexical["sparsevec column (exact scan)"] = lambda q: sparse.top(q, 50)
        print(f"sparsevec table written in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        fts = FullTextLexical(conn, f"citebot_b{build}_passages")
        lexical["full-text search (tsvector, GIN, ts_rank_cd)"] = lambda q: fts.top(q, 50)
        print(f"tsvector table and GIN index written in {time.perf_counter() - started:.0f} s", flush=True)
    truth_lex = [folder.lexical_search(q, 50) for q in asked]
    lexical_rows = []
    for name, top in lexical.items():
        lat, same, overlap = [], 0, []
        for question, (want_ids, want_scores) in zip(asked, truth_lex):
            t = time.perf_counter()
            got = top(question)
            lat.append(time.perf_counter() - t)
            scores = np.array([score for _, score in got], dtype="float64") if got and got[0][1] is not None else None
            same += scores is not None and same_scores(scores, want_scores)
            overlap.append(len({pid for pid, _ in got} & set(want_ids.tolist())) / max(1, len(want_ids)))
        lexical_rows.append((f"lexical top-50, {name}: p50; exact (same top-50 scores as the folder's BM25); "
                             "passages shared with the folder's top-50",
                             f"{p50_ms(lat):.1f} ms; {same}/{len(asked)}; {np.mean(overlap):.3f}"))
    hybrid, cpu = {}, {}
    backend = store.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    for name, s in (("PostgreSQL", store), ("folder store in memory (exact numpy + BM25)", folder)):
        searcher = Searcher(s, _NoEmbedder())
        lat = []
        before = (cpu_seconds(), cpu_seconds(backend))
        for question, q in zip(asked, qvecs):
            t = time.perf_counter()
            searcher.search(question, k=30, vector=q)
            lat.append(time.perf_counter() - t)
        hybrid[name] = p50_ms(lat)
        client = (cpu_seconds() - before[0]) / len(asked) * 1000
        server = (cpu_seconds(backend) - before[1]) / len(asked) * 1000 if before[1] is not None else None
        cpu[name] = f"{client:.1f} ms here" + ("" if s is folder else
                                               f" + {server:.1f} ms in the server" if server is not None else "")
    figures += [
        (f"PostgreSQL build rate, {n:,} passages (COPY, postings b-tree, HNSW m=16 ef_construction=64, one transaction)",
         f"{n / build_s:,.0f} passages/s ({build_s:.0f} s)"),
        ("database size", f"{size / 2**20:,.0f} MB"),
        ("dense top-50 (HNSW, ef_search 100) p50", f"{p50_ms(dense_lat):.1f} ms"),
        (f"recall@10 of HNSW vs exact search ({len(asked)} generated queries)", f"{np.mean(recall):.3f}"),
        *lexical_rows,
        *((f"hybrid question (Searcher.search, k=30), {name}, p50", f"{value:.1f} ms") for name, value in hybrid.items()),
        *((f"hybrid question, {name}, mean CPU time (not inflated by the other jobs' load)", value)
          for name, value in cpu.items()),
        ("load average (1 min) at the end, on this machine's cores", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()}"),
    ]
    store.close()
    conn.close()
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--squad-index", type=Path, required=True, help="a folder index built from the SQuAD corpus")
    parser.add_argument("--passages", "--n", type=int, default=100_000, help="generated passages [default 100,000]")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--compare-lexical", action="store_true", help="also time sparsevec and full-text search")
    parser.add_argument("--quality-only", action="store_true",
                        help="only the lexical quality figures on the real SQuAD build (implies --compare-lexical)")
    parser.add_argument("--uri", help="an existing, empty database (default: start a throw-away server)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line at the end")
    args = parser.parse_args(argv)
    if args.passages < 1000 or args.queries < 1:
        parser.error("--passages >= 1000 and --queries >= 1")
    real = Store.load(args.squad_index)
    server = None
    uri = args.uri
    if uri is None:
        from tests.pg_server import PgServer

        server = PgServer().start()
        uri = server.create_database("bench")
    try:
        figures = measure(real, args.passages, uri, args.queries, args.compare_lexical or args.quality_only,
                          args.quality_only)
    finally:
        if server is not None:
            server.stop()
    print("\n| figure (SQuAD build) | measured |" if args.quality_only else
          f"\n| figure ({args.passages:,} generated passages) | measured |")
    print("|---|---|")
    for name, value in figures:
        print(f"| {name} | {value} |")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
