"""A million passages of real text in the folder store: build, load, RSS, disk, BM25, a hybrid question, adding one article.

The corpus is SQuAD dev text recombined: each article takes one SQuAD article's sentences, in
passages of as many sentences as a real SQuAD paragraph holds (fixed seed), so terms keep their
real frequencies. It is written as .jsonl corpus files, and the index over it is built directly
(``Store.write``) with *stand-in vectors*: a random projection of hashed tokens (``HashEmbedder``),
not a language model, since embedding a million passages would take a day here. Every figure
but the embedding is the real code path: ``Store.load``, ``Searcher`` + ``AnswerEngine.ask`` (BM25,
dense, fusion, answer choice), and ``IndexBuilder.build`` for the added article (an incremental
segment, with the stand-in embedder). Figures are measured in a fresh process.

    python -m bench.million                       # 1,000,000 passages: ~25 min on 2 busy cores, ~15 GB of disk
    python -m bench.million --passages 100000     # a smaller run (~3 min)
    python -m bench.million --keep /tmp/million   # keep corpus and index; a second run only measures

The last line it prints is one JSON object with every figure (``bench/run.py`` reads it).
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
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "eval" / "squad"
DIM = 384
MODEL = "bench/hash-projection-384"
PER_ARTICLE = 5  # passages per generated article
PER_FILE = 2000  # articles per .jsonl corpus file
ADDED = """---
title: "Tallinn harbour tunnel to open in March"
date: "2026-11-20"
---

The harbour tunnel under Tallinn Bay will open to traffic on 14 March 2027, the city's chief engineer Kalle Kask said on Friday.
Construction crews finished sealing the last section of the tube this week, three months ahead of the schedule agreed with the European Investment Bank.
The tunnel will carry up to 40,000 vehicles a day and is expected to cut the drive from the port to the airport to eleven minutes.
"""
ADDED_QUESTION = "When will the harbour tunnel under Tallinn Bay open to traffic?"
# What this bench measured at 1,000,000 passages before the hybrid question and BM25 were made cheaper
# (main at 2b82b24, same machine, load average 4.6 on the 2 shared cores): printed beside today's figures.
BEFORE = {"load_s": 0.066, "rss_after_questions_mb": 2460, "bm25_p50_ms": 12.34, "bm25_cpu_p50_ms": 7.62,
          "ask_p50_ms": 65.8, "ask_cpu_p50_ms": 34.0, "add_s": 0.07, "dense_recall10": 0.956, "ivfsq8_recall10": 0.956,
          "dense_p50_ms": 7.32}


class HashEmbedder:
    """Stand-in embedder for this bench only: the normalised sum of a fixed random vector per hashed token.

    >>> HashEmbedder().embed(["the summit in Vilnius"]).shape
    (1, 384)
    """

    model = MODEL
    requested_backend = backend = "sentence-transformers"  # nothing to export into the build

    def __init__(self, dim: int = DIM, buckets: int = 1 << 15, seed: int = 7):
        self.dim = dim
        self.buckets = buckets
        self.table = np.random.default_rng(seed).standard_normal((buckets, dim)).astype("float32")

    def _raw(self, text: str) -> np.ndarray:
        from index.lexical import content_terms

        terms = content_terms(text)
        if not terms:
            return np.zeros(self.dim, dtype="float32")
        return self.table[[zlib.crc32(t.encode()) % self.buckets for t in terms]].sum(axis=0)

    def embed(self, texts, progress: bool = False) -> np.ndarray:
        out = np.array([self._raw(t) for t in texts], dtype="float32").reshape(-1, self.dim)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)

    def embed_queries(self, texts, as_passage: bool = False) -> np.ndarray:
        return self.embed(texts)

    def use_onnx(self, folder, threads=None, workers=1) -> bool:
        return False


def squad_pool() -> tuple[list[str], list[np.ndarray], list[int]]:
    """Every SQuAD dev sentence, the sentence indexes of each SQuAD article, and paragraph sentence counts."""
    from index.sentences import sentence_spans

    sentences: list[str] = []
    by_title: dict[str, list[int]] = {}
    counts = []
    for line in (SQUAD / "corpus" / "squad_dev_v1.1.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        spans = sentence_spans(row["text"])
        for s, e in spans:
            by_title.setdefault(row["title"], []).append(len(sentences))
            sentences.append(" ".join(row["text"][s:e].split()))  # one line: passages are joined by blank lines
        counts.append(len(spans))
    return sentences, [np.array(v) for v in by_title.values()], counts


def generate(n: int, corpus: Path, seed: int = 20261123):
    """Write the corpus files; return the store's StoreData pieces and the sentence pool index of each sentence."""
    from index.passages import Passage
    from index.store import ArticleInfo

    pool, topics, counts = squad_pool()
    rng = np.random.default_rng(seed)
    sizes = np.array([len(t) for t in topics], dtype="float64")
    n_articles = -(-n // PER_ARTICLE)
    pick_topic = rng.choice(len(topics), size=n_articles, p=sizes / sizes.sum())
    pick_count = rng.choice(np.array(counts), size=n)
    articles, passages, sentence_keys, sentence_pool = [], [], [], []
    corpus.mkdir(parents=True, exist_ok=True)
    handle = None
    pid = 0
    for a in range(n_articles):
        if a % PER_FILE == 0:
            if handle:
                handle.close()
            rel = f"bench-{a // PER_FILE:04d}.jsonl"
            handle = (corpus / rel).open("w", encoding="utf-8")
        topic = topics[pick_topic[a]]
        doc, title = f"{rel}#a{a}", f"{pool[topic[0]][:60]} ({a})"
        text_parts, pos = [], 0
        for _ in range(min(PER_ARTICLE, n - pid)):
            m = min(int(pick_count[pid]), len(topic))
            chosen = topic[np.sort(rng.choice(len(topic), size=max(1, m), replace=False))]
            spans, start = [], pos
            for j, s in enumerate(chosen.tolist()):
                if j:
                    pos += 1  # the joining space
                spans.append((pos, pos + len(pool[s])))
                pos += len(pool[s])
                sentence_pool.append(s)
            body = " ".join(pool[s] for s in chosen.tolist())
            passages.append(Passage(pid, doc, start, pos, body, tuple(spans)))
            sentence_keys.extend((doc, s, e) for s, e in spans)
            text_parts.append(body)
            pid += 1
            pos += 2  # "\n\n" between passages
        handle.write(json.dumps({"id": f"a{a}", "title": title, "text": "\n\n".join(text_parts)}, ensure_ascii=False) + "\n")
        articles.append(ArticleInfo(doc, title, None, None, rel))
    handle.close()
    return pool, articles, passages, sentence_keys, np.array(sentence_pool, dtype="int64")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def build(n: int, work: Path, index_type: str | None) -> dict:
    """Generate the corpus and write the index; return the build figures."""
    from index.build import embedding_text
    from index.documents import fingerprint
    from index.lexical import BM25
    from index.passages import PassageSplitter
    from index.store import LAYOUT, Store, StoreData

    corpus, index = work / "corpus", work / "index"
    t, c = time.perf_counter(), cpu()
    pool, articles, passages, sentence_keys, sentence_pool = generate(n, corpus)
    gen = (time.perf_counter() - t, cpu() - c)
    print(f"bench: generated {len(passages):,} passages in {len(articles):,} articles, "
          f"{len(sentence_keys):,} sentences ({gen[0]:.0f} s)", file=sys.stderr, flush=True)

    t, c = time.perf_counter(), cpu()
    embedder = HashEmbedder()
    pool_vectors = embedder.embed(pool)
    rng = np.random.default_rng(5)
    # Sentence vectors: their sentence's stand-in vector plus a little noise (so none are equal);
    # a passage's: the normalised sum of its sentences', so dense search ranks like the stand-in query embedding.
    svectors = np.lib.format.open_memmap(work / "sentence_vectors.tmp.npy", mode="w+", dtype="float32",
                                         shape=(len(sentence_keys), DIM))
    chunk = 500_000
    for lo in range(0, len(sentence_keys), chunk):
        v = pool_vectors[sentence_pool[lo : lo + chunk]] + 0.02 * rng.standard_normal((len(sentence_pool[lo : lo + chunk]), DIM), dtype="float32")
        svectors[lo : lo + chunk] = v / np.linalg.norm(v, axis=1, keepdims=True)
    starts = np.cumsum([0] + [len(p.sentences) for p in passages])
    pvectors = np.zeros((len(passages), DIM), dtype="float32")
    for lo in range(0, len(passages), 100_000):
        hi = min(len(passages), lo + 100_000)
        block = svectors[starts[lo] : starts[hi]]
        pvectors[lo:hi] = np.add.reduceat(block, starts[lo:hi] - starts[lo], axis=0)
    pvectors /= np.maximum(np.linalg.norm(pvectors, axis=1, keepdims=True), 1e-6)
    vec = (time.perf_counter() - t, cpu() - c)

    by_id = {a.id: a for a in articles}
    t, c = time.perf_counter(), cpu()
    bm25 = BM25.build(embedding_text(by_id[p.doc], p.text) for p in passages)
    bm = (time.perf_counter() - t, cpu() - c)
    print(f"bench: BM25 built ({bm[0]:.0f} s)", file=sys.stderr, flush=True)

    manifest = {"model": MODEL, "dimension": DIM, "layout": LAYOUT, "splitter": PassageSplitter().settings(),
                "files": {rel: s.to_json() for rel, s in fingerprint(corpus).items()}, "articles": len(articles),
                "passages": len(passages), "skipped": [], "next_id": len(passages),
                "embedding": {"backend": "sentence-transformers"}}
    data = StoreData(manifest, articles, passages, pvectors, sentence_keys, svectors, bm25)
    t, c = time.perf_counter(), cpu()
    Store.write(index, data, index_type=index_type)
    wr = (time.perf_counter() - t, cpu() - c)
    (work / "sentence_vectors.tmp.npy").unlink()
    text_bytes = sum(len(p.text.encode("utf-8")) for p in passages)
    return {"passages": len(passages), "articles": len(articles), "sentences": len(sentence_keys),
            "text_mb": text_bytes / 1e6, "generate_s": gen[0], "vectors_s": vec[0], "bm25_build_s": bm[0],
            "bm25_build_cpu_s": bm[1], "write_s": wr[0], "write_cpu_s": wr[1], "build_peak_rss_mb":
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident set (VmHWM: its peak; ru_maxrss would count the parent's from before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(work: Path, queries: int) -> dict:
    """In a fresh process: load, RSS, BM25 and hybrid question latency, IVF recall, adding one article."""
    from bot.answering.engine import AnswerEngine
    from index.build import IndexBuilder
    from index.lease import Lease
    from index.search import Searcher
    from index.store import Store, _Part, index_params, make_faiss_index

    corpus, index = work / "corpus", work / "index"
    if (corpus / "added").exists():  # left by an interrupted run
        shutil.rmtree(corpus / "added")
        IndexBuilder(corpus, index, HashEmbedder()).build()
    out: dict = {"rss_before_mb": rss_mb()}
    t = time.perf_counter()
    store = Store.load(index, model=MODEL)
    out["load_s"] = time.perf_counter() - t
    out["rss_loaded_mb"] = rss_mb()
    out["disk_mb"] = sum(f.stat().st_size for f in Store.live_folder(index).rglob("*") if f.is_file()) / 1e6
    out["index_type"] = store.manifest["index_type"]
    questions = [json.loads(line)["q"] for line in (SQUAD / "questions" / "dev.jsonl").read_text().splitlines()
                 if line.strip()][:queries]
    embedder = HashEmbedder()
    engine = AnswerEngine(Searcher(store, embedder))
    for q in questions[:10]:  # warm numpy, the answer model, the corpus language
        engine.ask(q)
    lex, lex_cpu, ask, ask_cpu, found = [], [], [], [], 0
    for q in questions:
        t, c = time.perf_counter(), time.process_time()
        store.lexical_search(q, 50)
        lex.append(time.perf_counter() - t)
        lex_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        found += engine.ask(q).found
        ask.append(time.perf_counter() - t)
        ask_cpu.append(time.process_time() - c)
    ms = lambda xs, p=50: float(np.percentile(xs, p)) * 1000  # noqa: E731
    out.update(bm25_p50_ms=ms(lex), bm25_p95_ms=ms(lex, 95), bm25_cpu_p50_ms=ms(lex_cpu), ask_p50_ms=ms(ask),
               ask_p95_ms=ms(ask, 95), ask_cpu_p50_ms=ms(ask_cpu), questions=len(questions), found=found)
    out["rss_after_questions_mb"] = rss_mb()
    out["peak_rss_mb"] = rss_mb("VmHWM")

    # Dense: the store's own index and an IVF-SQ8 one over the same vectors, against exact search.
    qv = embedder.embed_queries(questions[:100])
    vectors = store.parts[0].vectors
    exact = []
    for q in qv:
        scores = vectors @ q
        exact.append(set(np.argpartition(-scores, 10)[:10].tolist()))
    ids = store.parts[0].segment.t["ids"]

    def recall_and_p50(part) -> tuple[float, float]:
        hits, times = [], []
        for q, truth in zip(qv, exact):
            t = time.perf_counter()
            rows, _ = part.dense(q, 10)
            times.append(time.perf_counter() - t)
            hits.append(len(truth & set(rows.tolist())) / 10)
        return float(np.mean(hits)), ms(times)

    out["dense_recall10"], out["dense_p50_ms"] = recall_and_p50(store.parts[0])
    t = time.perf_counter()
    params = index_params("ivfsq8", len(ids))
    sq8 = make_faiss_index(np.asarray(vectors), ids, "ivfsq8", params)
    out["ivfsq8_build_s"] = time.perf_counter() - t
    import faiss

    out["ivfsq8_mb"] = faiss.serialize_index(sq8).nbytes / 1e6
    out["faiss_mb"] = (Store.live_folder(index) / "faiss.index").stat().st_size / 1e6
    part = _Part(".", store.parts[0].segment, vectors, store.parts[0].sentence_vectors, store.parts[0].bm25, sq8, "ivfsq8")
    out["ivfsq8_recall10"], out["ivfsq8_p50_ms"] = recall_and_p50(part)
    del sq8, part

    # Adding one article: a file dropped into the corpus, then the index brought up to date. The
    # measured build is leased so that the update leaves it, and made live again afterwards.
    measured = Store.live_folder(index)
    lease = Lease(measured)
    (corpus / "added").mkdir(exist_ok=True)
    (corpus / "added" / "tunnel.md").write_text(ADDED, encoding="utf-8")
    builder = IndexBuilder(corpus, index, HashEmbedder())
    t, c = time.perf_counter(), time.process_time()
    report = builder.build()
    out["add_s"], out["add_cpu_s"] = time.perf_counter() - t, time.process_time() - c
    out["add_embedded"] = report.embedded_passages
    after = Store.load(index, model=MODEL)
    answer = AnswerEngine(Searcher(after, embedder)).ask(ADDED_QUESTION)
    out["add_answer"] = answer.answer
    out["add_answer_doc"] = answer.sources[0].doc if answer.sources else None
    out["segments"] = len(after.manifest["segments"])
    # A --keep run measures the same one-segment store next time (removing the article again would
    # leave two more segments behind each run).
    (corpus / "added" / "tunnel.md").unlink()
    (corpus / "added").rmdir()
    link = index / f"current.tmp-{os.getpid()}"
    link.symlink_to(Path("builds") / measured.name)
    os.replace(link, index / "current")
    lease.release()
    for build in (index / "builds").iterdir():
        if build != measured:
            shutil.rmtree(build)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--index-type", default=None, help="the vector index to build (default: by size)")
    parser.add_argument("--keep", metavar="DIR", help="keep corpus and index in DIR and reuse them next time")
    parser.add_argument("--measure", metavar="DIR", help=argparse.SUPPRESS)  # the fresh measuring process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.queries)))
        return
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="million-"))
    meta_path = work / f"build-{args.passages}.json"
    try:
        if meta_path.is_file():
            built = json.loads(meta_path.read_text())
        else:
            shutil.rmtree(work / "corpus", ignore_errors=True)
            shutil.rmtree(work / "index", ignore_errors=True)
            built = build(args.passages, work, args.index_type)
            meta_path.write_text(json.dumps(built))
        proc = subprocess.run([sys.executable, "-m", "bench.million", "--measure", str(work), "--queries",
                               str(args.queries)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            sys.exit(f"bench.million: measuring failed:\n{proc.stderr[-3000:]}")
        m = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    r = dict(built, **m)
    b = BEFORE if r["passages"] == 1_000_000 else None  # figures from before, at the same size
    print(f"{r['passages']:,} passages of recombined SQuAD text in {r['articles']:,} articles "
          f"({r['sentences']:,} sentences, {r['text_mb']:,.0f} MB of text), stand-in vectors of dimension {DIM}")
    print(f"  build: BM25 {r['bm25_build_s']:.0f} s (CPU {r['bm25_build_cpu_s']:.0f} s), write {r['write_s']:.0f} s "
          f"(CPU {r['write_cpu_s']:.0f} s; {r['index_type']} index), peak RSS {r['build_peak_rss_mb']:,.0f} MB")
    print(f"  load {r['load_s'] * 1000:.0f} ms; RSS {r['rss_loaded_mb']:,.0f} MB loaded, "
          f"{r['rss_after_questions_mb']:,.0f} MB after {r['questions']} questions (peak {r['peak_rss_mb']:,.0f} MB); "
          f"index on disk {r['disk_mb'] / 1000:,.2f} GB"
          + (f"; before: load {b['load_s'] * 1000:.0f} ms, RSS {b['rss_after_questions_mb']:,.0f} MB" if b else ""))
    print(f"  BM25 top-50 p50 {r['bm25_p50_ms']:.2f} ms (CPU {r['bm25_cpu_p50_ms']:.2f} ms), p95 {r['bm25_p95_ms']:.2f} ms"
          + (f"; before {b['bm25_p50_ms']:.2f} ms (CPU {b['bm25_cpu_p50_ms']:.2f} ms)" if b else ""))
    print(f"  hybrid question (BM25 + dense + fusion + answer) p50 {r['ask_p50_ms']:.1f} ms "
          f"(CPU {r['ask_cpu_p50_ms']:.1f} ms), p95 {r['ask_p95_ms']:.1f} ms; {r['found']}/{r['questions']} answered"
          + (f"; before {b['ask_p50_ms']:.1f} ms (CPU {b['ask_cpu_p50_ms']:.1f} ms)" if b else ""))
    print(f"  dense ({r['index_type']}) recall@10 {r['dense_recall10']:.3f}, p50 {r['dense_p50_ms']:.2f} ms"
          + (f", {r['faiss_mb']:,.0f} MB" if "faiss_mb" in r else "")
          + (f"; before {b['dense_recall10']:.3f}, {b['dense_p50_ms']:.2f} ms" if b else ""))
    print(f"  ivfsq8 recall@10 {r['ivfsq8_recall10']:.3f}, p50 {r['ivfsq8_p50_ms']:.2f} ms, {r['ivfsq8_mb']:,.0f} MB "
          f"(built in {r['ivfsq8_build_s']:.0f} s)")
    print(f"  add one article: {r['add_s']:.2f} s (CPU {r['add_cpu_s']:.2f} s, {r['add_embedded']} passages embedded, "
          f"{r['segments']} segments); answers from it: {r['add_answer_doc']}" + (f"; before {b['add_s']:.2f} s" if b else ""))
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall times include waiting for a core")
    print(json.dumps(r))


if __name__ == "__main__":
    main()
