"""``citebot eval``: measure answer quality on a JSON-lines question file.

    citebot eval ../shared/eval/seed_dev.jsonl
    citebot eval --corpus ../shared/eval/squad/corpus --index .citebot-squad --compare test.jsonl

Metrics (definitions from ../shared/eval/README.md): recall@k = one of the first k cited passages
contains a gold string (case-insensitive); MRR@10; answer-sentence accuracy = the answer sentence
contains a gold string; not-found rate over rows with ``answers: []`` (and per added set: absent,
on-topic, unanswerable, held-out articles); follow-up accuracy over rows with ``turns`` (first cited
passage of the last turn, or "not found" for ``answers: []``); precision of shown answers and the expected calibration error of their
``confidence`` (a shown answer is right when its sentence holds a gold string); latency per question.

>>> rows = read_rows(Path("../shared/eval/seed_dev.jsonl"))   # doctest: +SKIP
>>> Evaluator(engine).run_citebot(rows).metrics(threshold=1.6)["recall@1"]  # doctest: +SKIP
1.0
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.answering.train import expected_calibration_error
from index.errors import CitebotError

SYSTEMS = ("bm25", "dense", "citebot")
log = logging.getLogger("citebot.eval")


@dataclass(frozen=True)
class Row:
    """One question: ``turns`` (the last is asked, the earlier ones are its context) and gold strings."""

    turns: tuple[str, ...]
    answers: tuple[str, ...]
    doc: str | None = None
    held_out: bool = False  # asked with its own article removed: the honest answer is "not found"
    group: str = ""  # the set a not-found row came from: "absent", "ontopic", "unanswerable" ("" the file itself)
    line: int = field(default=0, compare=False)  # its line in the question file (for messages)

    @property
    def answerable(self) -> bool:
        return bool(self.answers) and not self.held_out

    @property
    def holdable(self) -> bool:
        """A single answerable question of the file itself: ``--holdout`` asks it again without its article."""
        return bool(self.answers) and not self.group and len(self.turns) == 1

    @property
    def absent(self) -> bool:
        return not self.answers or self.held_out


STDIN = "-"  # a question file named so is read from standard input, as `citebot ask -` reads its questions


def shown(path) -> str:
    """A question file's name in a message: standard input's said as such."""
    return "<stdin>" if str(path) == STDIN else str(path)


def read_rows(path: Path, doc_key: str = "doc") -> list[Row]:
    """The rows of a question file; a malformed line is an error naming the line (``doc_key``: the field naming
    a row's article)."""
    try:
        # a byte-order mark (Windows editors) read past; a row ends at "\n" alone: str.splitlines would cut one at a
        # U+2028, U+2029 or NEL, which json.dumps(..., ensure_ascii=False) leaves raw inside a string
        data = sys.stdin.buffer.read() if str(path) == STDIN else Path(path).read_bytes()
        lines = re.split(r"\r?\n", data.decode("utf-8-sig"))
    except OSError as exc:
        raise CitebotError(f"cannot read question file {shown(path)}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise CitebotError(f"{shown(path)}:{line}: not UTF-8 (byte 0x{exc.object[exc.start]:02x})") from None
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("a row is a JSON object")
            if "turns" not in data and "q" not in data:
                raise ValueError('no "q": the question, or "turns": a conversation\'s questions')
            turns = data["turns"] if "turns" in data else [data["q"]]
            if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
                raise ValueError("turns must be a list of questions" if "turns" in data
                                 else "q must be text" if not isinstance(data["q"], str) else "empty question")
            if "answers" not in data:  # read as [], a misspelt key would make an answerable row a "not found" one
                raise ValueError('no "answers": the gold strings, [] when "not found" is right')
            answers = data["answers"]
            if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
                raise ValueError("answers must be a list of strings")
            if not all(a.strip() for a in answers):  # every text holds "": every answer would be right
                raise ValueError("an empty gold string")
            if data.get(doc_key) is not None and not isinstance(data[doc_key], str):
                raise ValueError(f"{doc_key} must be text")
        except (ValueError, KeyError, TypeError) as exc:
            raise CitebotError(f"{shown(path)}:{number}: not a question row ({exc})") from None
        rows.append(Row(tuple(turns), tuple(answers), data.get(doc_key), line=number))
    if not rows:
        raise CitebotError(f"{shown(path)} holds no questions")
    return rows


def contains(text: str, answers) -> bool:
    low = text.lower()
    return any(a.lower() in low for a in answers)


@dataclass
class Outcome:
    """What one system did with one row."""

    row: Row
    passages: list[str]  # cited passage texts, best first (up to 10)
    sentence: str | None  # the answer sentence (citebot only)
    score: float  # citebot's confidence; baselines always answer
    seconds: float
    found: bool = True
    # this question's not-found threshold less the engine's: a question in another language than the
    # corpus is judged by its own model, against its own threshold
    offset: float = 0.0

    @property
    def right(self) -> bool:
        """The answer sentence holds a gold string (never for a not-found row)."""
        return bool(self.sentence) and not self.row.absent and contains(self.sentence, self.row.answers)

    def rank(self) -> int | None:
        """1-based rank of the first passage holding a gold string, None when there is none."""
        for i, text in enumerate(self.passages[:10]):
            if contains(text, self.row.answers):
                return i + 1
        return None


@dataclass
class Run:
    """All outcomes of one system; ``metrics(threshold)`` applies a not-found threshold afterwards."""

    system: str
    outcomes: list[Outcome] = field(default_factory=list)
    thresholded: bool = False

    def found(self, o: Outcome, threshold: float | None) -> bool:
        if not self.thresholded or threshold is None:
            return o.found
        return o.found and o.score >= threshold + o.offset  # no candidate at all is never an answer shown

    def metrics(self, threshold: float | None = None) -> dict:
        single = [o for o in self.outcomes if len(o.row.turns) == 1]
        answerable = [o for o in single if o.row.answerable]
        # a conversation of --absent or --ontopic is one of that set's questions to reject, not a follow-up of the file
        absent = [o for o in self.outcomes if o.row.absent and (len(o.row.turns) == 1 or o.row.group)]
        turns = [o for o in self.outcomes if len(o.row.turns) > 1 and not o.row.group]
        out: dict = {"system": self.system, "questions": len(self.outcomes)}
        if answerable:
            n = len(answerable)
            ranks = [o.rank() if self.found(o, threshold) else None for o in answerable]
            out["recall@1"] = sum(1 for r in ranks if r == 1) / n
            out["recall@5"] = sum(1 for r in ranks if r is not None and r <= 5) / n
            out["mrr@10"] = sum(1.0 / r for r in ranks if r is not None) / n
            if self.system == "citebot":
                out["sentence"] = sum(
                    1 for o in answerable if self.found(o, threshold) and o.sentence and contains(o.sentence, o.row.answers)
                ) / n
            out["answerable"] = n
        if absent:
            out["not_found"] = sum(1 for o in absent if not self.found(o, threshold)) / len(absent)
            out["absent"] = len(absent)
            for name in GROUPS:
                rows = [o for o in absent if _group(o.row) == name]
                if rows:
                    out[f"rejected_{name}"] = sum(1 for o in rows if not self.found(o, threshold)) / len(rows)
                    out[f"questions_{name}"] = len(rows)
        if turns:  # the last turn's answer: right in the first cited passage, or "not found" when that is right
            out["follow_up"] = sum(1 for o in turns if (not self.found(o, threshold) if o.row.absent
                                                        else self.found(o, threshold) and o.rank() == 1)) / len(turns)
            out["conversations"] = len(turns)
        if self.system == "citebot":
            shown = [o for o in single if self.found(o, threshold)]
            out["shown"] = len(shown)
            # with no answer shown neither is defined: null, not a 0.0 that reads as "every answer wrong"
            out["precision"] = sum(o.right for o in shown) / len(shown) if shown else None
            out["ece"] = expected_calibration_error([o.score for o in shown], [o.right for o in shown]) if shown else None
        times = sorted(o.seconds for o in self.outcomes)
        out["latency_ms_mean"] = 1000 * sum(times) / len(times)
        out["latency_ms_p50"] = 1000 * times[len(times) // 2]
        out["latency_ms_p95"] = 1000 * times[min(len(times) - 1, int(len(times) * 0.95))]
        return out


GROUPS = ("off_topic", "ontopic", "absent", "unanswerable", "held_out")


def _group(row: Row) -> str:
    if row.held_out:
        return "held_out"
    return row.group or "off_topic"


class Evaluator:
    """Runs question rows through the citebot engine (and, to compare, plain BM25 and dense).

    ``engine`` is an AnswerEngine; its threshold is applied after the fact from each answer's
    ``score`` so one pass yields the whole trade-off curve.

    >>> evaluator = Evaluator(engine)                                   # doctest: +SKIP
    >>> evaluator.run_baseline(rows, "lexical").metrics()["recall@1"]   # doctest: +SKIP
    0.7
    """

    def __init__(self, engine, progress: bool = False):
        self.engine = engine
        self.progress = progress
        self._articles = None

    def _bar(self, items, label: str):
        if not self.progress:
            return items
        from tqdm import tqdm

        return tqdm(items, desc=label, unit="q", file=sys.stderr, leave=False, mininterval=0.5)

    def held_out(self, rows: list[Row], source: str | Path = "questions") -> list[Row]:
        """Each row with a ``doc``, asked again with its whole article removed (all docs of its title).

        Single questions only: a conversation is asked through ``Conversation``, which removes no article.
        A ``doc`` naming no article of the index is an error naming its line of ``source``: nothing would be
        removed, and the question, asked over the whole corpus, would count as one to reject."""
        held = [Row(r.turns, r.answers, r.doc, held_out=True, line=r.line) for r in rows
                if r.doc and r.holdable]
        for r in held:
            if not self._exclude(r):
                raise CitebotError(f"{shown(source)}:{r.line}: doc {r.doc!r} names no article of the index, "
                                   "so the question cannot be asked without its article")
        return held

    def _exclude(self, row: Row) -> frozenset[str]:
        if not row.held_out:
            return frozenset()
        if self._articles is None:
            # A row's ``doc`` is the article id, or for a .jsonl corpus the id after "file.jsonl#".
            self._articles = {}
            for a in self.engine.store.articles.values():
                self._articles[a.id] = a
                self._articles.setdefault(a.id.split("#", 1)[-1], a)
        article = self._articles.get(row.doc)
        if article is None:
            return frozenset()
        return frozenset(a.id for a in self.engine.store.articles.values() if a.id == article.id or a.title == article.title)

    def run_citebot(self, rows: list[Row], run: Run | None = None) -> Run:
        """``rows`` asked of citebot, each outcome added to ``run`` as it comes (a Ctrl-C leaves those asked)."""
        import copy

        from bot.conversation import Conversation

        e = self.engine
        open_engine = copy.copy(e)  # the same stages, answering whatever the confidence
        open_engine.threshold = open_engine.confident = 0.0
        foreign = e.foreign_threshold - e.threshold if e.cross_lingual_bias is not None else 0.0
        open_engine.foreign_threshold = 0.0
        run = Run("citebot", thresholded=True) if run is None else run
        for row in self._bar(rows, "citebot"):
            started = time.perf_counter()
            if len(row.turns) == 1:
                answer = open_engine.ask(row.turns[0], exclude=self._exclude(row))
            else:
                chat = Conversation(e)
                for turn in row.turns:
                    answer = chat.ask(turn)
            seconds = time.perf_counter() - started
            passages = [h.passage.text for h in e._distinct([c.hit for c in answer.candidates], limit=10)]
            sentence = answer.candidates[0].text if answer.candidates else None
            offset = foreign if e.cross_lingual(row.turns[-1]) else 0.0
            # found: an answer to show at no threshold. A conversation is asked at the engine's threshold, so its
            # answer.found is that threshold's verdict: "no threshold" scored its follow-ups at the threshold
            found = answer.found if len(row.turns) == 1 else bool(answer.candidates)
            run.outcomes.append(Outcome(row, passages, sentence, answer.confidence, seconds, found, offset))
        return run

    def run_baseline(self, rows: list[Row], mode: str) -> Run:
        import numpy as np

        from index.search import Searcher

        s = self.engine.searcher
        searcher = Searcher(s.store, s.embedder, mode=mode, depth=10)
        zero = np.zeros(s.store.dimension, dtype="float32")
        run = Run("bm25" if mode == "lexical" else mode)
        for row in self._bar(rows, run.system):
            started = time.perf_counter()
            query = " ".join(row.turns)  # what a plain search box gets: everything typed so far
            vector = zero if mode == "lexical" else None
            hits = searcher.search(query, k=10, vector=vector, exclude=self._exclude(row))
            run.outcomes.append(Outcome(row, [h.passage.text for h in hits], None, 0.0, time.perf_counter() - started))
        return run


def suggest_threshold(run: Run, max_drop: float) -> float | None:
    """The highest threshold that costs at most ``max_drop`` of recall@1 against no threshold."""
    single = [o for o in run.outcomes if len(o.row.turns) == 1]
    if not any(o.row.absent for o in single):
        return None
    answerable = [o for o in single if o.row.answerable]
    right = sorted(o.score - o.offset for o in answerable if o.rank() == 1)
    if not right:
        return None
    k = int(max_drop * len(answerable) + 1e-9)  # right answers a threshold may turn into "not found"
    return right[k] if k < len(right) else right[-1]


def unmatchable(run: Run, store) -> list[Row]:
    """The answerable rows that no passage of the index can count right: none holds any of their gold strings."""
    left = [o.row for o in run.outcomes if o.row.answerable and o.rank() is None]  # a cited passage held one
    for passage in store.passages.values() if left else ():
        low = passage.text.lower()
        left = [r for r in left if not any(a.lower() in low for a in r.answers)]
        if not left:
            break
    return left


def _floor4(threshold: float) -> str:
    """A threshold as printed: four decimals rounded down, so that ``--threshold`` given what is printed still shows
    every answer the suggestion keeps (0.76316 rounded to 0.7632 rejected the right answer at 0.76316)."""
    import math

    low = math.floor(threshold * 10_000) / 10_000
    text = f"{low:.4f}"
    return text if float(text) <= threshold else f"{low - 0.0001:.4f}"  # x * 10000 may round up


def plot(run: Run, threshold: float, path: Path, title: str, confident: float | None = None) -> None:
    """Two panels as a PNG: the risk-coverage curve and the reliability diagram of the confidence.

    Risk-coverage: as the not-found threshold moves, the share of answerable questions whose shown
    answer is right (coverage) against the share of shown answers that are right (precision), over
    every single question (answerable and not-found rows alike). Reliability: shown answers binned
    by confidence, the share right in each bin against the diagonal.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    single = [o for o in run.outcomes if len(o.row.turns) == 1]
    conf = np.array([o.score for o in single])
    offset = np.array([o.offset for o in single])
    right = np.array([o.right for o in single])
    answerable = np.array([o.row.answerable for o in single])
    found = np.array([o.found for o in single], dtype=bool)  # as Run.found: no candidate is never shown
    fig, (ax, rel) = plt.subplots(1, 2, figsize=(10, 4.3), dpi=110)
    grid = np.unique(np.concatenate([[0.0], conf - offset]))
    coverage, precision = [], []
    for t in grid:
        shown = found & (conf >= t + offset)
        if shown.sum() == 0:
            continue
        coverage.append((right & shown & answerable).sum() / max(answerable.sum(), 1))
        precision.append((right & shown).sum() / shown.sum())
    ax.plot(coverage, precision, label="threshold moving")
    for t, style, name in ((threshold, "o", "not found below"), (confident, "s", "confident from")):
        if t is None:
            continue
        shown = found & (conf >= t + offset)
        if shown.any():
            ax.plot([(right & shown & answerable).sum() / max(answerable.sum(), 1)], [(right & shown).sum() / shown.sum()],
                    style, color="black", label=f"{name} {t:g}")
    ax.set_xlabel("answerable questions answered right (coverage)")
    ax.set_ylabel("shown answers that are right (precision)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title("risk-coverage", fontsize=10)
    shown = found & (conf >= threshold + offset)
    bins = np.linspace(0, 1, 11)
    which = np.minimum((conf * 10).astype(int), 9)
    centres, shares, sizes = [], [], []
    for b in range(10):
        m = shown & (which == b)
        if m.any():
            centres.append(conf[m].mean())
            shares.append(right[m].mean())
            sizes.append(int(m.sum()))
    rel.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    rel.bar(bins[:-1] + 0.05, [0] * 10, width=0.1, alpha=0)
    rel.plot(centres, shares, "o-", label="shown answers")
    for x, y, n in zip(centres, shares, sizes):
        rel.annotate(str(n), (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7)
    if shown.any():
        ece = expected_calibration_error(conf[shown], right[shown])
        rel.set_title(f"reliability (ECE {ece:.3f}, {int(shown.sum())} shown)", fontsize=10)
    else:  # undefined, as in the figures: not an ECE of 0.000 that reads as perfectly calibrated
        rel.set_title("reliability (no answer shown)", fontsize=10)
    rel.set_xlabel("confidence")
    rel.set_ylabel("share right")
    rel.set_xlim(0, 1)
    rel.set_ylim(0, 1.02)
    rel.grid(alpha=0.3)
    rel.legend(loc="upper left", fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


COLUMNS = (
    ("recall@1", "recall@1"), ("recall@5", "recall@5"), ("mrr@10", "MRR@10"), ("sentence", "sentence"),
    ("not_found", "not found"), ("follow_up", "follow-up"), ("latency_ms_mean", "ms/q"),
)


def table(results: list[dict]) -> str:
    """The metrics of each system as an aligned text table."""
    cols = [(k, h) for k, h in COLUMNS if any(k in r for r in results)]
    width = max([22] + [len(r["label"]) + 1 for r in results])
    lines = ["system".ljust(width) + "".join(h.rjust(11) for _, h in cols)]
    for r in results:
        cells = []
        for key, _ in cols:
            value = r.get(key)
            cells.append("-".rjust(11) if value is None else (f"{value:.1f}" if key.startswith("latency") else f"{value:.3f}").rjust(11))
        lines.append(r["label"].ljust(width) + "".join(cells))
    return "\n".join(lines)


NAMES = {"off_topic": "not in corpus (the file's own)", "ontopic": "on-topic, not answered", "absent": "absent articles",
         "unanswerable": "SQuAD 2.0 unanswerable (held-out half)", "held_out": "held-out articles"}


def figures(open_run: dict, cut: dict) -> str:
    """The issue's figures, one a line: answerable quality and its cost, rejections, calibration."""
    lines = []
    if "recall@1" in cut:
        lines.append(f"answerable ({cut['answerable']}): recall@1 {cut['recall@1']:.3f} (no threshold {open_run['recall@1']:.3f}),"
                     f" sentence {cut['sentence']:.3f}")
    for name in GROUPS:
        if f"rejected_{name}" in cut:
            lines.append(f"rejected, {NAMES[name]} ({cut[f'questions_{name}']}): {cut[f'rejected_{name}']:.3f}")
    if "follow_up" in cut:
        lines.append(f"follow-up conversations right: {round(cut['follow_up'] * cut['conversations'])} / {cut['conversations']}")
    if cut.get("shown"):
        lines.append(f"shown answers: {cut['shown']}, right {cut['precision']:.3f}, calibration error (ECE) {cut['ece']:.3f}")
    lines.append(f"latency per question: mean {cut['latency_ms_mean']:.1f} ms, p50 {cut['latency_ms_p50']:.1f} ms")
    return "\n".join(lines)


def plot_path(path: Path) -> Path:
    """Where ``--plot PATH`` will be written, checked before the questions are asked: a name without a
    suffix gets ".png" (as matplotlib adds it), a folder or a format matplotlib cannot write is an error."""
    from matplotlib.backend_bases import FigureCanvasBase

    if path.is_dir():
        raise CitebotError(f"cannot write plot {path}: it is a folder (name a .png file)")
    if not path.suffix:
        path = path.with_suffix(".png")
    formats = FigureCanvasBase.get_supported_filetypes()
    if path.suffix[1:].lower() not in formats:
        raise CitebotError(f"cannot write plot {path}: {path.suffix} is not an image format ({', '.join(sorted(formats))})")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise CitebotError(f"cannot write plot {path}: {exc.filename} is not a folder") from None
    except OSError as exc:
        raise CitebotError(f"cannot write plot {path}: {exc.strerror or exc}") from None
    try:
        _writable(path)
    except OSError as exc:  # a read-only folder or disk: said now, not after every question was asked
        raise CitebotError(f"cannot write plot {path}: {exc.strerror or exc}") from None
    return path


def _writable(path: Path) -> None:
    """Raise what writing ``path`` would raise, changing nothing: an existing file opened to append, else a
    nameless file made where it would be."""
    import tempfile

    if path.exists():
        open(path, "ab").close()
    else:
        tempfile.TemporaryFile(dir=path.resolve().parent).close()


def _golds(answers) -> str:
    """A row's gold strings as a warning names them: the first three, each cut at 60 characters, and how many more (a
    row of 1,000, or one a page long, made a warning line as long as the row)."""
    said = [repr(a if len(a) <= 60 else a[:60] + "…") for a in answers[:3]]
    return ", ".join(said) + (f" and {len(answers) - 3} more" if len(answers) > 3 else "")


def _read_warning_of_repeats(path: Path) -> list[Row]:
    """``read_rows(path)``, with a warning naming the first row that repeats an earlier one (the same turns and gold
    strings), which counts each time it is there in every figure."""
    return _warned_of_repeats(path, read_rows(path))


def _warned_of_repeats(path: Path, rows: list[Row]) -> list[Row]:
    """``rows``, with a warning naming the first that repeats an earlier one (see ``_read_warning_of_repeats``)."""
    first, repeats = {}, []
    for row in rows:
        seen = first.setdefault((row.turns, row.answers), row.line)
        if seen != row.line:
            repeats.append((row.line, seen))
    if repeats:  # as many times as it is there: "twice" said of a row there 100,000 times hid 99,999 repeats
        line, seen = repeats[0]
        times = 1 + sum(1 for _, earlier in repeats if earlier == seen)
        more = len(repeats) - (times - 1)
        log.warning(f"{shown(path)}:{line}: the same row as line {seen}, so it counts "
                    + ("twice" if times == 2 else f"{times} times")
                    + (f" (and {more} more repeated)" if more else ""))
    return rows


def _not_found_rows(path: Path, flag: str) -> list[Row]:
    """The rows of ``flag``'s file, every one scored as "not found": a warning naming the first that has gold strings,
    which are left unused (a file of answerable questions given as --absent reads as rejections)."""
    rows = _read_warning_of_repeats(path)
    golden = [r for r in rows if r.answers]
    if golden:
        log.warning(f"{shown(path)}:{golden[0].line}: its gold strings ({_golds(golden[0].answers)}) are not "
                    f'used: every question of {flag} is scored as "not found"'
                    + (f" (and {len(golden) - 1} more with gold strings)" if len(golden) > 1 else ""))
    return rows


def _refuse(args, why: str) -> None:
    """A usage error, exit code 2, as `--threshold abc` is (a CitebotError where no parser is at hand)."""
    usage_error = getattr(args, "usage_error", None)
    if usage_error is not None:
        usage_error(why)
    raise CitebotError(why)


def run(args) -> int:
    """The ``citebot eval`` command."""
    from bot.cli import open_engine

    for flag, value in (("--threshold", args.threshold), ("--max-drop", getattr(args, "max_drop", 0.0))):
        if value is not None and not 0.0 <= value <= 1.0:  # a confidence, a share of recall@1
            _refuse(args, f"{flag} must be between 0 and 1, not {value:g}")
    read = [f"--{flag}" if flag != "file" else "FILE" for flag in ("file", "absent", "ontopic", "unanswerable")
            if str(getattr(args, flag, None)) == STDIN]
    if len(read) > 1:  # the first would take all of standard input, and the next read none
        _refuse(args, f"only one question file can be - (standard input), not {' and '.join(read)}")
    if args.plot:
        args.plot = plot_path(args.plot)
    rows = _read_warning_of_repeats(args.file)
    for flag in ("absent", "ontopic"):
        path = getattr(args, flag, None)
        if path:
            rows += [Row(r.turns, (), r.doc, group=flag, line=r.line) for r in _not_found_rows(path, f"--{flag}")]
    if getattr(args, "unanswerable", None):
        from bot.answering.train import unanswerable_rows

        asked = _warned_of_repeats(args.unanswerable, unanswerable_rows(args.unanswerable, train=False))
        if not asked:
            log.warning(f"{shown(args.unanswerable)}: all its questions are on the half of the articles "
                        "answerability trains on (its \"near\"), so none is asked")
        rows += [Row(r.turns, (), r.doc, group="unanswerable") for r in asked]
    engine = open_engine(args)
    threshold = engine.threshold if args.threshold is None else args.threshold
    progress = len(rows) >= 50 and sys.stderr.isatty() and not getattr(args, "no_progress", False)
    evaluator = Evaluator(engine, progress=progress)
    if args.holdout:
        lacking = [r for r in rows if r.holdable and not r.doc]
        if lacking:
            log.warning(f'{shown(args.file)}:{lacking[0].line}: no "doc", so --holdout cannot ask it without its '
                        'article'
                        + (f" (and {len(lacking) - 1} more without one)" if len(lacking) > 1 else ""))
        rows += evaluator.held_out(rows, args.file)
    engine.warm_up()
    engine.corpus_languages()  # read once from up to 200 passages: the first question's latency held that cost
    runs = []
    cite = Run("citebot", thresholded=True)
    try:
        if args.compare:
            runs += [evaluator.run_baseline(rows, "lexical"), evaluator.run_baseline(rows, "dense")]
        evaluator.run_citebot(rows, cite)
        interrupted = None
    except KeyboardInterrupt:  # hours into a long file: the figures of the questions asked so far, not nothing
        from bot.cli import _end_the_line_of_ctrl_c

        _end_the_line_of_ctrl_c()
        if not cite.outcomes:
            if args.compare:
                print("citebot: interrupted while --compare's baselines were asked, before citebot's own questions: "
                      "no figures", file=sys.stderr, flush=True)
            raise
        interrupted = len(cite.outcomes)  # the first rows of the file, asked of every system
        runs = [Run(r.system, r.outcomes[:interrupted], r.thresholded) for r in runs]
    lost = unmatchable(cite, engine.store)
    if lost:  # a misspelt gold string reads as a wrong answer in every figure
        log.warning(f"{shown(args.file)}:{lost[0].line}: no passage of the index holds any of its gold strings "
                    f"({_golds(lost[0].answers)}), so no answer to it can count as right"
                    + (f" (and {len(lost) - 1} more like it)" if len(lost) > 1 else ""))
    results = [dict(r.metrics(), label=r.system) for r in runs]
    results.append(dict(cite.metrics(None), label="citebot, no threshold"))
    # a question in another language than the corpus has its own threshold, always as far from the engine's
    offset = next((o.offset for o in cite.outcomes if o.offset), 0.0)
    # a confidence is never below 0: a threshold that would be is 0 (every answer shown), not a negative one
    other = f", other languages {max(0.0, threshold + offset):.3g}" if offset else ""
    results.append(dict(cite.metrics(threshold), label=f"citebot (threshold {threshold:g}{other})"))
    suggested = suggest_threshold(cite, args.max_drop)
    if args.json:
        # the thresholds a question in another language than the corpus is scored at, as the table's label and last
        # line give them (null when the file holds none); the one applied rounded past float noise (0.24 - 0.156 was
        # 0.08400000000000002), the suggested one as exact as suggested_threshold
        other_languages = round(max(0.0, threshold + offset), 12) if offset else None
        suggested_other = max(0.0, suggested + offset) if offset and suggested is not None else None
        print(json.dumps({"file": str(args.file), "interrupted": interrupted is not None,
                          "threshold": threshold, "suggested_threshold": suggested,
                          "threshold_other_languages": other_languages,
                          "suggested_threshold_other_languages": suggested_other,
                          "systems": results}, ensure_ascii=False), flush=True)
    else:
        if interrupted is None:
            print(f"{shown(args.file)}: {len(rows)} question{'' if len(rows) == 1 else 's'}")
        else:
            print(f"{shown(args.file)}: interrupted after {interrupted} of {len(rows)} questions, "
                  f"the figures are of those {interrupted}")
        print(table(results))
        print(figures(results[-2], results[-1]))
        if suggested is not None:
            also = f" (other languages {_floor4(max(0.0, suggested + offset))})" if offset else ""
            print(f"suggested threshold (recall@1 within {args.max_drop:g} of no threshold): {_floor4(suggested)}{also}")
        sys.stdout.flush()
    if interrupted is not None:
        return 130  # Ctrl-C's, as README gives it; no plot drawn
    if args.plot:  # after the figures: a plot that fails to write (a disk full by then) costs only the plot
        extra = [getattr(args, name, None) for name in ("absent", "ontopic", "unanswerable")]
        title = " + ".join([args.file.name] + [f.name for f in extra if f])
        try:
            plot(cite, threshold, args.plot, title + (" + held-out articles" if args.holdout else ""), engine.confident)
        except OSError as exc:
            raise CitebotError(f"cannot write plot {args.plot}: {exc.strerror or exc}") from None
        if not args.json:
            print(f"risk-coverage curve and reliability diagram written to {args.plot}")
    return 0
