"""The ONNX export embeds like sentence-transformers, and questions never import torch."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from index.build import IndexBuilder, open_index
from index.embedder import Embedder, OnnxEncoder, build_device, build_workers, query_threads
from index.errors import CitebotError
from index.store import Store
from tests.conftest import FIXTURE_MODEL_ENV, ROOT, SHIPPED_CORPUS

TOPICS = ["the NATO summit", "Vilnius", "Zelensky", "Stoltenberg", "Ukraine's membership", "Kyiv", "Bucha",
          "the alliance", "security guarantees", "the war"]
TEMPLATES = ["where is {}?", "When is {} happening?", "who spoke about {}", "What did the article say about {}?",
             "{}", "Tell me everything about {} and why it matters.", "IS {} IMPORTANT??", "{} - date, place, people"]
ODD = ["x", "?", "2023-04-20", "Ünïcode naïve café 東京 Київ", "   spaces   around   ", "emoji ⚡️🇺🇦 summit",
       "a " * 300 + "very long question past the 256-token limit", "NATO " * 120, "tab\tand\nnewline", "1 2 3 4 5 6 7"]


def varied_questions() -> list[str]:
    """200 questions: templates over topics, sentences of the corpus, and odd inputs (long, unicode, tiny)."""
    questions = [t.format(topic) for topic in TOPICS for t in TEMPLATES] + ODD
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SHIPPED_CORPUS.iterdir()))
    words = text.split()
    for i in range(0, len(words), 7):
        if len(questions) == 200:
            break
        questions.append(" ".join(words[i : i + 12]) + "?")
    assert len(questions) == 200
    return questions


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """An index whose export keeps float32 weights: it must reproduce sentence-transformers."""
    corpus = tmp_path_factory.mktemp("parity") / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    builder = IndexBuilder(corpus, corpus.parent / "index", Embedder(quantize="none"))
    builder.build()
    return builder.index_dir


@pytest.fixture(scope="module")
def int8_index(tmp_path_factory):
    """An index built with the default settings: int8 weights."""
    corpus = tmp_path_factory.mktemp("int8") / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    builder = IndexBuilder(corpus, corpus.parent / "index", Embedder())
    builder.build()
    return builder.index_dir


def test_the_build_folder_carries_the_onnx_export_and_the_manifest_says_so(index):
    folder = Store.live_folder(index)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["embedding"] == {
        "backend": "onnx", "files": ["model.onnx", "model.onnx.data", "tokenizer.json", "embedder.json"],
        "onnx": "model.onnx", "tokenizer": "tokenizer.json", "max_seq_length": 256, "pooling": "mean",
        "quantize": "none",
    }
    config = json.loads((folder / "embedder.json").read_text())
    assert (config["model"], config["dimension"], config["max_seq_length"]) == ("all-MiniLM-L6-v2", 384, 256)


def test_onnx_vectors_match_sentence_transformers_for_200_varied_questions(index, embedder):
    questions = varied_questions()
    st = embedder.sentence_transformer().encode(questions, normalize_embeddings=True, convert_to_numpy=True)
    onnx = OnnxEncoder(Store.live_folder(index)).embed(questions)
    cosines = np.sum(st * onnx, axis=1)
    assert cosines.min() >= 0.999, questions[int(cosines.argmin())]


def test_onnx_and_sentence_transformers_retrieve_the_same_top_5_for_200_questions(index, embedder):
    store = Store.load(index, embedder.model)
    questions = varied_questions()
    st = embedder.sentence_transformer().encode(questions, normalize_embeddings=True, convert_to_numpy=True)
    onnx = OnnxEncoder(store.folder).embed(questions)
    for question, a, b in zip(questions, st, onnx):
        assert store.dense_search(a, 5)[0].tolist() == store.dense_search(b, 5)[0].tolist(), question
        # the sentence table is the bigger search space the answer engine ranks
        top_a = np.argsort(-(store.sentence_vectors @ a), kind="stable")[:5].tolist()
        top_b = np.argsort(-(store.sentence_vectors @ b), kind="stable")[:5].tolist()
        assert top_a == top_b, question


def test_builds_store_int8_weights_by_default_and_their_vectors_stay_close_to_float32(int8_index, embedder):
    folder = Store.live_folder(int8_index)
    assert json.loads((folder / "manifest.json").read_text())["embedding"]["quantize"] == "int8"
    assert json.loads((folder / "embedder.json").read_text())["quantize"] == "int8"
    assert (folder / "model.onnx.data").stat().st_size < 30_000_000  # float32 weights take 90 MB
    questions = varied_questions()
    st = embedder.sentence_transformer().encode(questions, normalize_embeddings=True, convert_to_numpy=True)
    cosines = np.sum(st * OnnxEncoder(folder).embed(questions), axis=1)
    # measured: median 0.993, lowest 0.976 (for the one-character question "?")
    assert np.median(cosines) >= 0.99 and cosines.min() >= 0.97, questions[int(cosines.argmin())]


@pytest.mark.parametrize("weights", ["float32", "int8"])
def test_parallel_sessions_give_every_text_exactly_the_vector_one_session_gives(weights, index, int8_index):
    folder = Store.live_folder(index if weights == "float32" else int8_index)
    questions = varied_questions()
    one = OnnxEncoder(folder, threads=1).embed(questions)
    assert np.array_equal(OnnxEncoder(folder, threads=1, workers=2).embed(questions), one)
    assert np.array_equal(OnnxEncoder(folder, threads=1, workers=3).embed(questions[:2]), one[:2])


@pytest.mark.parametrize("setting", ["two", "²"])  # "²" is a digit to str.isdigit, not to int(): a traceback
def test_a_bad_build_workers_setting_is_refused_by_name(monkeypatch, setting):
    monkeypatch.setenv("CITEBOT_BUILD_WORKERS", setting)
    with pytest.raises(CitebotError) as refused:
        build_workers()
    assert str(refused.value) == f"CITEBOT_BUILD_WORKERS must be a positive whole number, not {setting!r}"


@pytest.mark.parametrize("setting", ["two", "²"])
def test_a_bad_threads_setting_is_refused_by_name(monkeypatch, setting):
    monkeypatch.setenv("CITEBOT_THREADS", setting)
    with pytest.raises(CitebotError) as refused:
        query_threads()
    assert str(refused.value) == f"CITEBOT_THREADS must be a positive whole number, not {setting!r}"


def test_a_bad_device_setting_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("CITEBOT_DEVICE", "gpu")
    with pytest.raises(CitebotError, match="CITEBOT_DEVICE must be one of auto, cpu, cuda, not 'gpu'"):
        build_device()


def test_asking_for_cuda_where_torch_sees_no_gpu_says_how_to_build_on_the_cpu(monkeypatch):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    monkeypatch.setenv("CITEBOT_DEVICE", "cuda")
    with pytest.raises(CitebotError, match="CITEBOT_DEVICE=cuda, but torch sees no GPU .*unset it to build on the CPU"):
        build_device()
    monkeypatch.setenv("CITEBOT_DEVICE", "auto")
    assert build_device() == "cpu"


def test_a_gpu_build_keeps_float32_weights_for_the_questions_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("CITEBOT_QUANTIZE", raising=False)
    embedder = Embedder()
    embedder.use_device("cuda")
    assert (embedder.device, embedder.quantize) == ("cuda", "none")
    monkeypatch.setenv("CITEBOT_QUANTIZE", "int8")
    told = Embedder()
    told.use_device("cuda")
    assert told.quantize == "int8"


def test_a_build_where_torch_sees_a_gpu_embeds_there_and_questions_get_a_float32_export(monkeypatch, tmp_path):
    # The GPU is the one part out of reach here: the CPU stands in for it, everything else is real.
    import index.embedder

    monkeypatch.delenv("CITEBOT_QUANTIZE", raising=False)
    monkeypatch.setattr(index.embedder, "build_device", lambda: "cuda")
    moved = []

    def use_device(self, device):
        original(self, device)
        moved.append(device)
        self.device = "cpu"  # stands in for "cuda"

    original = Embedder.use_device
    monkeypatch.setattr(Embedder, "use_device", use_device)
    embedder = Embedder()
    builder = IndexBuilder(SHIPPED_CORPUS, tmp_path / "index", embedder)
    builder.build()
    assert moved == ["cuda"] and embedder.backend == "sentence-transformers"  # the build did not embed with ONNX
    store = Store.load(builder.index_dir)
    assert store.manifest["embedding"]["quantize"] == "none"
    questions = varied_questions()[:40]
    cosines = np.sum(embedder.sentence_transformer().encode(questions, normalize_embeddings=True)
                     * OnnxEncoder(store.folder).embed(questions), axis=1)
    assert cosines.min() >= 0.999  # the questions' export reads like the model that embedded the passages


def test_a_build_with_other_weights_than_the_last_re_embeds_every_passage(index, tmp_path):
    work = tmp_path / "index"
    shutil.copytree(index, work, symlinks=True)
    report = IndexBuilder(index.parent / "corpus", work, Embedder(quantize="int8")).build()
    assert report.embedded_passages == report.passages == 15
    assert Store.load(work).manifest["embedding"]["quantize"] == "int8"


def test_a_bad_quantize_setting_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("CITEBOT_QUANTIZE", "int4")
    with pytest.raises(CitebotError, match="CITEBOT_QUANTIZE must be one of int8, none, not 'int4'"):
        Embedder()


def test_open_index_switches_the_embedder_to_the_onnx_export(index):
    embedder = Embedder()
    assert embedder.backend == "sentence-transformers"
    builder = IndexBuilder(SHIPPED_CORPUS, index, embedder)
    open_index(builder)
    assert embedder.backend == "onnx"
    assert embedder.embed(["where is the summit?"]).shape == (1, 384)


def test_the_sentence_transformers_backend_ignores_the_export(index):
    embedder = Embedder(backend="sentence-transformers")
    assert embedder.use_onnx(Store.live_folder(index)) is False
    assert embedder.backend == "sentence-transformers"


def test_an_export_of_another_model_is_not_used(index, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(Store.live_folder(index), copy)
    config = json.loads((copy / "embedder.json").read_text())
    (copy / "embedder.json").write_text(json.dumps(dict(config, model="some/other-model")))
    assert Embedder().use_onnx(copy) is False
    with pytest.raises(CitebotError, match="the ONNX model in .* is of 'some/other-model', not 'all-MiniLM-L6-v2'"):
        Embedder(backend="onnx").use_onnx(copy)


def test_a_build_with_its_onnx_weights_missing_is_refused_as_corrupt(index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(index, copy, symlinks=True)
    (Store.live_folder(copy) / "model.onnx.data").unlink()
    with pytest.raises(CitebotError, match=r"is corrupt \(its onnx embedder's model.onnx.data is missing\); "
                                           r"rebuild it with `citebot index --index \S+/index`"):
        Store.load(copy)


PROBE = """
import sys
from bot.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers', 'sentence_transformers'})
print('heavy modules:', heavy, 'exit', code)
"""


def _run(args, cwd):
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", **FIXTURE_MODEL_ENV)  # the ONNX path is MiniLM's
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    return done.stdout.strip().splitlines()[-1], done.stderr


def test_asking_with_a_built_index_never_imports_torch_transformers_or_sentence_transformers(index):
    last, _ = _run(["ask", "--json", "--corpus", str(index.parent / "corpus"), "--index", str(index),
                    "where is the summit?"], ROOT)
    assert last == "heavy modules: [] exit 0"


def test_an_incremental_update_reuses_the_export_and_never_imports_torch(index, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(index.parent / "corpus", corpus)
    work = tmp_path / "index"
    shutil.copytree(index, work, symlinks=True)
    (corpus / "new.txt").write_text("The summit ends on Wednesday with a joint statement.", encoding="utf-8")
    last, err = _run(["index", "--corpus", str(corpus), "--index", str(work)], ROOT)
    assert last == "heavy modules: [] exit 0", err
    assert Store.load(work).manifest["embedding"]["backend"] == "onnx"
