"""Measure citebot's speed and memory against issue 5's targets and print one table. No network.

    python -m bench.run                          # everything: ~30 minutes on 2 cores (million: ~25)
    python -m bench.run --only cold,warm         # some sections: cold warm build speed scale memory split million pg
    python -m bench.run --scale 200000           # a smaller synthetic corpus for the scale section
    python -m bench.run --only pg --pg-passages 100000,1000000   # the index in PostgreSQL (bench/pg_scale.py)
    python -m bench.run --million 100000         # a smaller store for the million section (bench/million.py)

Whole processes are timed where the target is about a process (cold start, `citebot ask -`,
`citebot index`); figures are medians of ``--runs`` runs. The million-passage corpus is
*generated* (see ``synthetic_vectors``), not embedded text.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "corpus"
SQUAD = ROOT.parent / "shared" / "eval" / "squad"
SEED_DEV = ROOT.parent / "shared" / "eval" / "seed_dev.jsonl"
SECTIONS = ("cold", "warm", "build", "speed", "scale", "memory", "split", "million", "pg")
QUESTION = "where is the summit?"
TOPICS = ["the NATO summit", "Vilnius", "Zelensky", "Stoltenberg", "Ukraine's membership", "Kyiv", "Bucha",
          "the alliance", "security guarantees", "the war", "Jens Stoltenberg's visit", "the invitation"]
TEMPLATES = ["where is {}?", "When is {} happening?", "who spoke about {}?", "What did the article say about {}?",
             "{}", "Why does {} matter?", "what happened with {} in April?", "Tell me about {}, please.",
             "Is {} mentioned?", "{}: date, place and people?", "how did {} start?", "what about {} then?",
             "Summarise {}.", "any news on {}?", "who is against {}?", "what was said on {} in Kyiv?"]


@dataclass
class Row:
    figure: str
    target: str
    measured: str
    baseline: str = ""
    ratio: str = ""


ROWS: list[Row] = []
NOTES: list[str] = []


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def env() -> dict:
    # Issue 5's figures set citebot's ONNX route against sentence-transformers running the same model, so the
    # processes run all-MiniLM-L6-v2, not the default multilingual-e5-small (python -m bench.model_speed: both).
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CITEBOT_", "TELEGRAM_"))}
    return dict(clean, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false",
                CITEBOT_MODEL="all-MiniLM-L6-v2")


def citebot() -> list[str]:
    script = Path(sys.executable).with_name("citebot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


# Runs the measured process from a small launcher: a child's peak RSS (ru_maxrss) starts from its
# parent's at fork/exec, and this benchmark process grows large (torch, a million vectors).
LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - started
open(sys.argv[1], "w").write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_child(cmd: list[str], stdin_text: str | None = None, extra_env: dict | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MB) and stdout of one whole process."""
    with tempfile.TemporaryFile("w+") as stdin, tempfile.TemporaryFile("w+") as out, \
            tempfile.TemporaryFile("w+") as err, tempfile.NamedTemporaryFile("r") as result:
        if stdin_text is not None:
            stdin.write(stdin_text)
            stdin.seek(0)
        subprocess.run([sys.executable, "-c", LAUNCHER, result.name, *cmd], stdin=stdin, stdout=out, stderr=err,
                       env=dict(env(), **(extra_env or {})), cwd=ROOT, check=False)
        seconds, maxrss, code = result.read().split()
        out.seek(0)
        err.seek(0)
        if int(code) != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({code}): {err.read()[-2000:]}")
        return float(seconds), int(maxrss) // 1024, out.read()


def median(values) -> float:
    return float(statistics.median(values))


def warm_questions() -> list[str]:
    """200 questions on the shipped corpus: the seed dev questions, then templates over its topics."""
    questions = []
    if SEED_DEV.exists():
        for line in SEED_DEV.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "q" in row:
                questions.append(row["q"])
    questions += [t.format(topic) for t in TEMPLATES for topic in TOPICS]
    return questions[:200]


def embedded(out: str) -> str:
    """"N passages embedded" from `citebot index`'s report line."""
    found = re.search(r"(\d+) passages embedded", out)
    return found.group(0) if found else out.strip()


def build_shipped(work: Path) -> Path:
    index = work / "shipped"
    seconds, _, out = run_child(citebot() + ["index", "--corpus", str(SHIPPED), "--index", str(index)])
    say(f"built the shipped index in {seconds:.1f} s: {out.strip()}")
    return index


# ---- 1. cold start ---------------------------------------------------------------------------
def section_cold(work: Path, runs: int, index: Path) -> None:
    faiss_file = str(index / "current" / "faiss.index")
    ask = citebot() + ["ask", "--corpus", str(SHIPPED), "--index", str(index), QUESTION]
    base = [sys.executable, str(ROOT / "bench" / "baseline_st.py"), faiss_file, QUESTION]
    run_child(ask), run_child(base)  # page cache warm for both; not counted
    ours, theirs, rss = [], [], []
    for i in range(runs):  # interleaved, so both see the same machine load
        seconds, peak, _ = run_child(ask)
        ours.append(seconds)
        rss.append(peak)
        theirs.append(run_child(base)[0])
        say(f"cold run {i + 1}/{runs}: citebot ask {ours[-1]:.2f} s, sentence-transformers script {theirs[-1]:.2f} s")
    ratio = median(ours) / median(theirs)
    ROWS.append(Row("1. cold `citebot ask \"where is the summit?\"` (wall)", "<= 1.0 s; <= 0.2x baseline",
                    f"{median(ours):.2f} s", f"{median(theirs):.2f} s (import ST + load + embed + FAISS)",
                    f"{ratio:.2f}x"))
    ROWS.append(Row("   peak RSS of that process", "-", f"{median(rss):.0f} MB"))


# ---- 2. warm -----------------------------------------------------------------------------------
def section_warm(work: Path, runs: int, index: Path) -> None:
    questions = warm_questions()
    ask = citebot() + ["ask", "--json", "--corpus", str(SHIPPED), "--index", str(index), "-"]
    one, many = [], []
    for _ in range(runs):
        one.append(run_child(ask, questions[0] + "\n")[0])
        seconds, _, out = run_child(ask, "\n".join(questions) + "\n")
        many.append(seconds)
        assert len(out.strip().splitlines()) == len(questions), "one JSON line per question"
    per_question = (median(many) - median(one)) / (len(questions) - 1)
    ROWS.append(Row(f"2. warm `citebot ask -`, {len(questions)} questions: per question", "<= 15 ms",
                    f"{per_question * 1000:.1f} ms", f"start-up + 1 question {median(one):.2f} s, "
                    f"all {median(many):.2f} s"))

    sys.path.insert(0, str(ROOT))
    from bot.answer import AnswerEngine
    from index.build import IndexBuilder, open_index
    from index.embedder import Embedder
    from index.search import Searcher

    embedder = Embedder()
    engine = AnswerEngine(Searcher(open_index(IndexBuilder(SHIPPED, index, embedder)), embedder))
    engine.warm_up()
    timings = []
    for q in questions:
        started = time.perf_counter()
        engine.ask(q)
        timings.append(time.perf_counter() - started)
    embed = []
    for q in questions:
        started = time.perf_counter()
        embedder.embed([q])
        embed.append(time.perf_counter() - started)
    ROWS.append(Row("   in-process engine.ask: median / p90", "-",
                    f"{median(timings) * 1000:.1f} / {np.percentile(timings, 90) * 1000:.1f} ms",
                    f"question embedding alone {median(embed) * 1000:.1f} ms ({embedder.backend})"))


# ---- 4. build ----------------------------------------------------------------------------------
def copy_writable(source: Path, dest: Path) -> None:
    """A copy of ``source`` its owner may change and delete: the shared eval data is read-only, and a copy that
    kept its modes could not take the incremental step's row (nor be removed) but as root."""
    shutil.copytree(source, dest, copy_function=shutil.copyfile)
    for folder in [dest, *(p for p in dest.rglob("*") if p.is_dir())]:
        folder.chmod(folder.stat().st_mode | stat.S_IWUSR)


def section_build(work: Path, runs: int, report: bool = True, source: Path = SQUAD / "corpus") -> Path | None:
    if not source.is_dir():
        NOTES.append(f"build: {source} not found, section skipped")
        return None
    corpus = work / "squad-corpus"
    index = work / "squad"
    for left in (corpus, index):  # a --keep folder's from an earlier run: this build is from scratch
        shutil.rmtree(left, ignore_errors=True)
    copy_writable(source, corpus)
    sys.path.insert(0, str(ROOT))
    from index.build import embedding_text
    from index.embedder import Embedder, OnnxEncoder, build_workers
    from index.onnx_export import cache_folder
    from index.store import Store

    cached = cache_folder(Embedder("all-MiniLM-L6-v2"))  # the child's model (env()): exported once per machine
    exported = cached is None or not cached.is_dir()
    seconds, _, out = run_child(citebot() + ["index", "--corpus", str(corpus), "--index", str(index)])
    say(f"built the SQuAD index: {out.strip()}")
    if not report:
        return index
    store = Store.load(index)
    manifest = store.manifest
    ROWS.append(Row(f"4. `citebot index` SQuAD from scratch ({manifest['articles']} articles, "
                    f"{manifest['passages']} passages, {len(store.sentence_row)} sentences)", "-",
                    f"{seconds:.1f} s", "includes loading torch and the ONNX export" if exported
                    else "the ONNX export cached by an earlier run (CITEBOT_CACHE); torch not loaded"))

    texts = [embedding_text(store.articles[p.doc], p.text) for p in store.passages.values()]
    encoder = OnnxEncoder(store.folder, threads=1, workers=build_workers())
    encoder.embed(texts[:32])
    ours = []
    for _ in range(max(1, runs // 2)):
        started = time.perf_counter()
        mine = encoder.embed(texts)
        ours.append(time.perf_counter() - started)
    st = Embedder(backend="sentence-transformers").sentence_transformer()
    st.encode(texts[:32])
    theirs = []
    for _ in range(max(1, runs // 2)):
        started = time.perf_counter()
        plain = st.encode(texts, convert_to_numpy=True, normalize_embeddings=True)
        theirs.append(time.perf_counter() - started)
    ours_rate, their_rate = len(texts) / median(ours), len(texts) / median(theirs)
    ROWS.append(Row("   embedding throughput, SQuAD passages (build path: ONNX)", "report vs plain encode",
                    f"{ours_rate:.0f} passages/s", f"{their_rate:.0f} passages/s (SentenceTransformer.encode)",
                    f"{ours_rate / their_rate:.2f}x"))
    cosines = np.sum(mine * plain, axis=1)
    # int8 weights (the default) move vectors a little: float32 must match sentence-transformers,
    # int8 stays close (tests/test_onnx_parity.py) and answers as well (bench.build_speed --quality)
    int8 = manifest.get("embedding", {}).get("quantize") == "int8"
    weights = "int8 export vs float32 sentence-transformers" if int8 else "float32 export vs sentence-transformers"
    ROWS.append(Row(f"   build-path vectors, {weights} (cosine)", ">= 0.97 (int8)" if int8 else ">= 0.999",
                    f"min {cosines.min():.6f}", f"mean {cosines.mean():.6f}"))

    # parity on real questions over a real-size index: the dev questions (never the test set)
    questions = [json.loads(line)["q"] for line in (SQUAD / "questions" / "dev.jsonl").read_text().splitlines()
                 if line.strip()][:200]
    a = st.encode(questions, normalize_embeddings=True, convert_to_numpy=True)
    b = OnnxEncoder(store.folder).embed(questions)
    same = sum(store.dense_search(x, 5)[0].tolist() == store.dense_search(y, 5)[0].tolist() for x, y in zip(a, b))
    ROWS.append(Row(f"1. parity, {len(questions)} SQuAD dev questions: cosine / same top-5 ({'int8' if int8 else 'float32'})",
                    ">= 0.97 / report" if int8 else ">= 0.999 / all",
                    f"min {np.sum(a * b, axis=1).min():.6f} / {same}/{len(questions)}",
                    "same list, same order" if int8 else ""))

    # incremental: one article (a jsonl row) added to ~1,700, then removed
    row = {"id": "Bench#1", "title": "Benchmark article",
           "text": "The benchmark article was added to test incremental updates. It has two sentences."}
    with (corpus / "squad_dev_v1.1.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    seconds, peak, out = run_child(citebot() + ["index", "--corpus", str(corpus), "--index", str(index)])
    ROWS.append(Row(f"   incremental: add 1 article to the {manifest['articles']}-article index", "re-embed only it",
                    f"{embedded(out)}; {seconds:.1f} s wall", f"no torch import: peak RSS {peak} MB"))
    lines = (corpus / "squad_dev_v1.1.jsonl").read_text(encoding="utf-8").splitlines()
    (corpus / "squad_dev_v1.1.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    seconds, _, out = run_child(citebot() + ["index", "--corpus", str(corpus), "--index", str(index)])
    after = Store.load(index)
    gone = not any(p.doc == "squad_dev_v1.1.jsonl#Bench#1" for p in after.passages.values())
    ROWS.append(Row("   incremental: remove it again", "its passages removed",
                    f"{'removed' if gone else 'STILL THERE'}; {after.manifest['passages']} passages; "
                    f"{embedded(out)}; {seconds:.1f} s"))
    return index


# ---- 3. scale ----------------------------------------------------------------------------------
def synthetic_vectors(centres: np.ndarray, n: int, rng: np.random.Generator, sigma: float = 0.03) -> np.ndarray:
    """``n`` unit vectors near real embeddings: a random mix of two real vectors plus gaussian noise.

    Mixing keeps the geometry of real sentence embeddings (their clusters and the space between
    them); the noise (norm ~0.6) makes every vector new. Generated, not embedded text.
    """
    out = np.empty((n, centres.shape[1]), dtype="float32")
    for lo in range(0, n, 100_000):
        k = min(100_000, n - lo)
        i, j = rng.integers(0, len(centres), k), rng.integers(0, len(centres), k)
        a = rng.uniform(0.5, 1.0, (k, 1)).astype("float32")
        block = a * centres[i] + (1 - a) * centres[j] + sigma * rng.standard_normal(out[lo:lo + k].shape, dtype="float32")
        out[lo:lo + k] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


SERVE = """
import sys, time, numpy as np, faiss
from index.store import apply_search_params
started = time.perf_counter()
index = faiss.read_index(sys.argv[1] + "/faiss.index")
apply_search_params(index, sys.argv[2], {"nprobe": int(sys.argv[3])} if sys.argv[2] == "ivf" else {})
vectors = np.asarray(np.load(sys.argv[1] + "/passage_vectors.npy", mmap_mode="r"))
queries = np.load(sys.argv[1] + "/queries.npy")
loaded = time.perf_counter() - started
lat = []
for q in queries:
    t = time.perf_counter(); scores, ids = index.search(q.reshape(1, -1), 10); lat.append(time.perf_counter() - t)
    float(vectors[ids[0][0]] @ q)  # what an answer does with the hit's vector
rss = [l for l in open("/proc/self/status") if l.startswith("VmRSS")][0].split()[1]
print(int(rss) // 1024, loaded, float(np.median(lat)))
"""


def section_scale(work: Path, n: int, squad_index: Path | None) -> None:
    import faiss

    sys.path.insert(0, str(ROOT))
    from index.store import Store, choose_index_type, index_params, make_faiss_index

    rng = np.random.default_rng(20261122)
    source = squad_index or (work / "shipped")
    real = Store.load(source)
    centres = np.concatenate([real.passage_vectors, real.sentence_vectors]).astype("float32")
    started = time.perf_counter()
    vectors = synthetic_vectors(centres, n, rng)
    queries = synthetic_vectors(centres, 200, rng)
    say(f"generated {n:,} vectors around {len(centres):,} real ones in {time.perf_counter() - started:.1f} s")

    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    flat_lat = []
    for q in queries[:50]:  # exact search as the store runs it below the threshold
        t = time.perf_counter()
        scores = vectors @ q
        np.argpartition(-scores, 9)[:10]
        flat_lat.append(time.perf_counter() - t)
    del exact

    kind = choose_index_type(n)
    params = index_params(kind, n)
    started = time.perf_counter()
    index = make_faiss_index(vectors, np.arange(n, dtype="int64"), kind, params)
    build_seconds = time.perf_counter() - started
    say(f"built {kind} {params} over {n:,} vectors in {build_seconds:.1f} s")
    lat, hits = [], []
    for q in queries:
        t = time.perf_counter()
        _, ids = index.search(q.reshape(1, -1), 10)
        lat.append(time.perf_counter() - t)
        hits.append(ids[0])
    recall = float(np.mean([len(set(a.tolist()) & set(b.tolist())) / 10 for a, b in zip(hits, truth)]))

    folder = work / "scale"
    shutil.rmtree(folder, ignore_errors=True)  # left in a --keep folder by a run stopped here
    folder.mkdir()
    faiss.write_index(index, str(folder / "faiss.index"))
    np.save(folder / "passage_vectors.npy", vectors)
    np.save(folder / "queries.npy", queries)
    del index, vectors
    _, _, out = run_child([sys.executable, "-c", SERVE, str(folder), kind, str(params.get("nprobe", 0))])
    rss, load_seconds, serve_p50 = out.split()
    shutil.rmtree(folder)

    ROWS.append(Row(f"3. scale: {n:,} synthetic passages, index chosen", "by size, in manifest",
                    f"{kind} {params}", f"built in {build_seconds:.0f} s"))
    ROWS.append(Row("   search p50 (one query, top 10)", "<= 20 ms", f"{median(lat) * 1000:.2f} ms",
                    f"exact: {median(flat_lat) * 1000:.0f} ms", f"{median(lat) / median(flat_lat):.3f}x"))
    ROWS.append(Row("   recall@10 vs exact search (200 generated queries)", ">= 0.95", f"{recall:.3f}"))
    ROWS.append(Row("   serving process: RSS after load + 200 searches", "report",
                    f"{rss} MB", f"index load {float(load_seconds):.1f} s, p50 {float(serve_p50) * 1000:.2f} ms"))
    if squad_index is not None:
        lexical_at_scale(real, n)


def section_million(work: Path, n: int) -> None:
    """The whole folder store and answer path over ``n`` passages of real text (bench/million.py, its own process)."""
    out = subprocess.run([sys.executable, "-m", "bench.million", "--passages", str(n), "--keep", str(work / "million")],
                         capture_output=True, text=True, cwd=ROOT, env=env())
    if out.returncode:
        NOTES.append(f"million: bench.million failed: {out.stderr.strip()[-500:]}")
        return
    r = json.loads(out.stdout.strip().splitlines()[-1])
    shutil.rmtree(work / "million", ignore_errors=True)
    ROWS.append(Row(f"9. {r['passages']:,} real passages (SQuAD recombined, stand-in vectors), folder store",
                    "report", f"{r['disk_mb'] / 1000:.1f} GB on disk", f"BM25 built in {r['bm25_build_s']:.0f} s, "
                    f"written in {r['write_s']:.0f} s ({r['index_type']})"))
    from bench.million import BEFORE

    b = BEFORE if r["passages"] == 1_000_000 else None
    was = lambda text: f"; before {text}"  # noqa: E731  (today's figure first, the one before beside it)
    ROWS.append(Row("   load (Store.load, fresh process)", "<= 2 s", f"{r['load_s'] * 1000:.0f} ms",
                    f"before {b['load_s'] * 1000:.0f} ms" if b else ""))
    ROWS.append(Row(f"   RSS after load + {r['questions']} questions", "<= 3 GB", f"{r['rss_after_questions_mb']:,.0f} MB",
                    f"loaded {r['rss_loaded_mb']:,.0f} MB" + (was(f"{b['rss_after_questions_mb']:,} MB") if b else "")))
    ROWS.append(Row("   BM25 top-50 p50", "<= 5 ms", f"{r['bm25_p50_ms']:.2f} ms", f"CPU {r['bm25_cpu_p50_ms']:.2f} ms"
                    + (was(f"{b['bm25_p50_ms']:.2f} ms, CPU {b['bm25_cpu_p50_ms']:.2f} ms") if b else "")))
    ROWS.append(Row("   hybrid question (BM25 + dense + fusion + answer) p50", "<= 20 ms", f"{r['ask_p50_ms']:.1f} ms",
                    f"CPU {r['ask_cpu_p50_ms']:.1f} ms" + (was(f"{b['ask_p50_ms']:.1f} ms, CPU {b['ask_cpu_p50_ms']:.1f} ms")
                                                          if b else "")))
    ROWS.append(Row("   add one article (incremental segment)", "<= 5 s", f"{r['add_s']:.2f} s",
                    f"answers from {r['add_answer_doc']}" + (was(f"{b['add_s']:.2f} s") if b else "")))
    ROWS.append(Row(f"   dense {r['index_type']} recall@10 / p50", ">= 0.95", f"{r['dense_recall10']:.3f}",
                    f"{r['dense_p50_ms']:.2f} ms" + (was(f"{b['dense_recall10']:.3f}, {b['dense_p50_ms']:.2f} ms") if b else "")))
    ROWS.append(Row("   ivfsq8 (--index-type) recall@10 / p50", ">= 0.95", f"{r['ivfsq8_recall10']:.3f}",
                    f"{r['ivfsq8_p50_ms']:.2f} ms, {r['ivfsq8_mb']:,.0f} MB"))


def lexical_at_scale(real, n: int) -> None:
    """BM25 top-50 (the hybrid search's lexical half) over ``n`` passages: the real SQuAD postings tiled."""
    from index.lexical import BM25

    copies = -(-n // real.bm25.size)
    offsets = real.bm25.offsets * copies
    lengths = np.diff(real.bm25.offsets)
    rows = np.empty(int(offsets[-1]), dtype="int32")
    weights = np.empty(int(offsets[-1]), dtype="float32")
    for t in range(len(lengths)):
        lo, hi = real.bm25.offsets[t], real.bm25.offsets[t + 1]
        block = (real.bm25.rows[lo:hi][None, :] + real.bm25.size * np.arange(copies, dtype="int32")[:, None])
        rows[offsets[t]:offsets[t + 1]] = block.reshape(-1)
        weights[offsets[t]:offsets[t + 1]] = np.tile(real.bm25.weights[lo:hi], copies)
    big = BM25(real.bm25.vocab, offsets, rows, weights, real.bm25.size * copies)
    questions = [json.loads(line)["q"] for line in (SQUAD / "questions" / "dev.jsonl").read_text().splitlines()
                 if line.strip()][:100]
    lat = []
    for q in questions:
        t = time.perf_counter()
        big.top(q, 50)
        lat.append(time.perf_counter() - t)
    ROWS.append(Row(f"   BM25 top-50 over {big.size:,} passages (hybrid's lexical half)", "(in the 20 ms)",
                    f"{median(lat) * 1000:.1f} ms", "SQuAD postings tiled; 100 SQuAD dev questions"))


# ---- build speed (issue 9: at least twice as fast) ----------------------------------------------
def section_speed() -> None:
    """SQuAD from scratch: the float32 one-session build before issue 9, int8 on a new machine, int8 cached."""
    from bench.build_speed import measure

    rows = measure(echo=False)
    if not rows:
        NOTES.append("speed: the SQuAD corpus was not found, section skipped")
        return
    base = rows[0]
    for row in rows:
        ROWS.append(Row(f"   build SQuAD from scratch: {row['build']}", ">= 2x" if row is not base else "baseline",
                        f"{row['wall_s']:.1f} s wall, {row['cpu_s']:.1f} s CPU",
                        f"before: {base['wall_s']:.1f} s wall, {base['cpu_s']:.1f} s CPU",
                        f"{base['wall_s'] / row['wall_s']:.2f}x"))


# ---- sentence splitting (issue 9: bounded by input, builds faster) -----------------------------
def section_split() -> None:
    from bench.splitter import main as splitter

    for name, new, old, ratio in splitter([]):
        ROWS.append(Row(f"   split sentences: {name}", ">= 1 MB/s, linear", new, f"pySBD {old}", ratio))


# ---- 6. the index in PostgreSQL + pgvector (a throw-away server per size) -------------------------
def section_pg(squad_index: Path, sizes: list[int]) -> None:
    """Build rate, question p50 and recall@10 at each size, each in a child process (bench/pg_scale.py)."""
    for n in sizes:
        say(f"PostgreSQL at {n:,} generated passages (bench/pg_scale.py)")
        done = subprocess.run([sys.executable, "-m", "bench.pg_scale", "--squad-index", str(squad_index),
                               "--passages", str(n), "--json"], cwd=ROOT, env=env(), capture_output=True, text=True)
        if done.returncode:
            ROWS.append(Row(f"6. PostgreSQL, {n:,} passages", "report", "failed", done.stderr.strip()[-200:]))
            continue
        figures = dict(json.loads(done.stdout.strip().splitlines()[-1]))
        pick = lambda start: next(v for k, v in figures.items() if k.startswith(start))  # noqa: E731
        ROWS.append(Row(f"6. PostgreSQL: {n:,} generated passages, build rate", "report", pick("PostgreSQL build rate"),
                        f"database {pick('database size')}"))
        ROWS.append(Row("   hybrid question p50 (Searcher.search, k=30)", "<= 50 ms",
                        pick("hybrid question (Searcher.search, k=30), PostgreSQL"),
                        "folder in memory: " + pick("hybrid question (Searcher.search, k=30), folder")))
        ROWS.append(Row("   recall@10, HNSW vs exact (200 generated queries)", ">= 0.95", pick("recall@10 of HNSW")))
        ROWS.append(Row("   BM25 top-50 (postings table) p50; same top-50 as folder", "exact",
                        pick("lexical top-50, postings"), "dense top-50 p50 " + pick("dense top-50")))


# ---- 5. memory (and Telegram latency over the fake Bot API) --------------------------------------
def _rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return -1


def section_memory(work: Path, index: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.fake_bot_api import FakeBotApi

    token = "123456:bench-token"
    questions = warm_questions()[:60]
    with FakeBotApi(token=token) as api:
        proc = subprocess.Popen(citebot() + ["telegram", "--corpus", str(SHIPPED), "--index", str(index),
                                             "--api-url", api.url, "--rate-limit", "100000"],
                                env=dict(env(), TELEGRAM_BOT_TOKEN=token), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            started = time.perf_counter()
            api.wait_for_call("getUpdates", timeout=120)
            ready = time.perf_counter() - started
            time.sleep(1.0)
            rss_start = _rss_mb(proc.pid)
            latencies = []
            for i, q in enumerate(questions):
                chat = 1000 + i  # one chat each: no follow-up context, no rate limit in play
                t = time.perf_counter()
                api.user_says(chat_id=chat, text=q)
                api.wait_for_messages(chat, 1, timeout=60)
                latencies.append(time.perf_counter() - t)
            rss_after = _rss_mb(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    ROWS.append(Row("5. RSS of `citebot telegram` after start-up (shipped corpus)", "<= 400 MB",
                    f"{rss_start} MB", f"after {len(questions)} answers {rss_after} MB; ready in {ready:.1f} s"))
    ROWS.append(Row(f"2. Telegram update-to-reply, fake Bot API ({len(latencies)} msgs, median)", "<= 50 ms",
                    f"{median(latencies) * 1000:.0f} ms",
                    "p90 " + f"{np.percentile(latencies, 90) * 1000:.0f} ms; see also bench/telegram_latency.py"))


# ---- report ------------------------------------------------------------------------------------
def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        mem = 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{model}, {cores} cores, {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def print_table() -> None:
    headers = ("figure", "target", "measured", "baseline / detail", "ratio")
    rows = [headers] + [(r.figure, r.target, r.measured, r.baseline, r.ratio) for r in ROWS]
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]
    line = "| " + " | ".join("{:<%d}" % w for w in widths) + " |"
    print(line.format(*headers))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows[1:]:
        print(line.format(*row))


def passage_counts(text: str) -> list[int]:
    """``--pg-passages``: whole numbers, comma-separated (read when parsing, not after the sections before pg ran)."""
    try:
        counts = [int(n) for n in text.split(",") if n.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"passage counts are whole numbers, comma-separated, not {text!r}") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"passage counts are at least 1, not {text!r}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections, comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--runs", type=int, default=5, help="runs per timed process [default 5]")
    parser.add_argument("--scale", type=int, default=1_000_000, help="synthetic passages [default 1,000,000]")
    parser.add_argument("--pg-passages", type=passage_counts, default="100000,1000000",
                        help="generated passages for the PostgreSQL section [default 100000,1000000]")
    parser.add_argument("--million", type=int, default=1_000_000, help="passages of the million section [default 1,000,000]")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown or args.runs < 1 or args.scale < 1000:
        parser.error(f"unknown sections {sorted(unknown)}" if unknown else "--runs >= 1 and --scale >= 1000")
    work = args.keep or Path(tempfile.mkdtemp(prefix="citebot-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = time.perf_counter()
    try:
        shipped = build_shipped(work) if {"cold", "warm", "memory"} & set(only) else None
        if "cold" in only:
            section_cold(work, args.runs, shipped)
        if "warm" in only:
            section_warm(work, max(3, args.runs // 2), shipped)
        squad = section_build(work, args.runs, report="build" in only) if {"build", "scale", "pg"} & set(only) else None
        if "speed" in only:
            section_speed()
        if "scale" in only:
            section_scale(work, args.scale, squad)
        if "memory" in only:
            section_memory(work, shipped)
        if "split" in only:
            section_split()
        if "pg" in only and squad is not None:
            section_pg(squad, args.pg_passages)
        if "million" in only:
            section_million(work, args.million)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print(f"load average before/after: {load_before[0]:.1f} / {os.getloadavg()[0]:.1f} "
          f"(the cores are shared; whole run {time.perf_counter() - started:.0f} s)")
    print()
    print_table()
    for note in NOTES:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
