"""Learn the answerability weights from SQuAD ``dev`` data only, reproducibly.

    python -m bot.answering.train --corpus ../shared/eval/squad/corpus --index .citebot-squad-minilm \
        --model all-MiniLM-L6-v2
    python -m bot.answering.train --corpus ../shared/eval/squad/corpus --index .citebot-squad-e5 \
        --model multilingual-e5-small
    python -m bot.answering.train --foreign --corpus ../shared/eval/squad/corpus --index .citebot-squad-e5 \
        --model multilingual-e5-small --questions bench/data/translated/squad_dev.jsonl

Positives and negatives: every ``dev.jsonl`` question asked over the corpus (a candidate is right
when its sentence holds a gold string), the same questions asked with their article removed (the
``--holdout`` trick: nothing can be right unless another article says it too), and the SQuAD 2.0
unanswerable questions of half the dev articles (``training_half``; the other half is left for
``citebot eval`` to report). A logistic regression scores the candidates and chooses one; boosted
trees (scikit-learn's ``GradientBoostingClassifier``, ``--judge trees``) score the chosen candidate's
features, trained on the chosen candidates with the dev questions reweighted to the mix of kinds
``--prior`` names; an isotonic fit of their out-of-fold scores (folds by article) calibrates them;
the not-found threshold is the highest confidence that costs at most ``--max-drop`` of dev
recall@1. Writes the model's packaged
weights (``answerability.json``; ``answerability-e5.json`` for e5, whose cosines read differently).
``--foreign`` trains the model for questions in another language than the corpus on translated dev
questions, each read as the engine reads a foreign one (``answerability-e5-foreign.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

from bot.answering.answerability import FEATURES, WEIGHTS, Answerability, features
from bot.answering.question import analyse
from bot.answering.trees import BoostedTrees

SHARED = Path("../shared/eval/squad/questions")
# The mix of question kinds the confidence is calibrated for: answerable, article absent, unanswerable.
# These are the sizes of what `citebot eval` asks on SQuAD (test.jsonl, absent.jsonl and the reporting
# half of unanswerable_dev.jsonl, as ../shared/eval/README.md lists them): about one question in two
# answerable. Dev alone asks every question twice (over the corpus and with its article held out), so
# it has twice the absent share, and a confidence calibrated to it says 0.6 where 0.75 are right.
EVAL_PRIOR = (4658.0, 2465.0, 1463.0)
# The judging trees, chosen on dev out of fold among depth 2-4 and 100-300 trees (docs/quality.md).
TREES = {"n_estimators": 100, "max_depth": 3, "learning_rate": 0.05, "min_samples_leaf": 50}


def training_half(article_title: str) -> bool:
    """True for the articles whose unanswerable questions train; the rest are for reporting."""
    return zlib.crc32(article_title.encode("utf-8")) % 2 == 0


def title_of(doc: str | None) -> str:
    """The article title of a SQuAD paragraph id ("Title#3" -> "Title")."""
    return doc.rsplit("#", 1)[0] if doc else ""


def unanswerable_rows(path: Path, train: bool):
    """The unanswerable questions of the training (or the reporting) half of the articles, as not-found rows."""
    from bot.evaluate import Row, read_rows
    from index.errors import CitebotError

    # "near": the article the question was written about (SQuAD 2.0 keeps no answer in it)
    rows = read_rows(path, doc_key="near")
    for r in rows:  # without it a question fell in the training half: never asked by `citebot eval`, not a word said
        if not r.doc:
            raise CitebotError(f'{path}:{r.line}: not a question row (no "near": the paragraph it was written against '
                               "says which half of the articles it is in)")
    return [Row(r.turns, (), r.doc, line=r.line) for r in rows if training_half(title_of(r.doc)) == train]


def collect(engine, rows, evaluator, progress: bool = True) -> dict:
    """Feature rows of the best ``engine.choose`` candidates of every row, with labels and groups."""
    from bot.evaluate import contains

    X, sentence_right, passage_right, group, kind, titles = [], [], [], [], [], []
    items = rows
    if progress:
        from tqdm import tqdm

        items = tqdm(rows, file=sys.stderr, unit="q", mininterval=1.0, leave=False)
    for g, row in enumerate(items):
        cross = engine.cross_lingual(row.turns[-1])  # read as the engine reads it: a foreign question shares no words
        q = analyse(row.turns[-1], None, engine.store.bm25, cross_lingual=cross)
        exclude = evaluator._exclude(row)
        candidates = engine.candidates(q, exclude, cross)[: engine.choose]
        if not candidates:
            continue
        X.append(features(q, candidates, engine.corpus, exclude))
        for c in candidates:
            sentence_right.append(bool(row.answers) and contains(c.text, row.answers))
            passage_right.append(bool(row.answers) and contains(c.hit.passage.text, row.answers))
            group.append(g)
            kind.append(0 if row.answerable else (1 if row.held_out else 2))
            titles.append(zlib.crc32(title_of(row.doc).encode("utf-8")))
    return {
        "X": np.vstack(X), "y": np.array(sentence_right, dtype="float64"), "passage": np.array(passage_right),
        "group": np.array(group), "kind": np.array(kind), "title": np.array(titles, dtype="int64"),
    }


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50,
                 weight: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Ridge-penalised logistic regression by Newton's method, rows weighted by ``weight``: (coef, intercept)."""
    n, d = X.shape
    Xb = np.hstack([X, np.ones((n, 1))])
    v = np.ones(n) if weight is None else np.asarray(weight, dtype="float64")
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(Xb @ w, -50, 50)))
        grad = Xb.T @ (v * (p - y)) + penalty * w
        hess = Xb.T @ (Xb * (v * p * (1 - p))[:, None]) + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return w[:-1], float(w[-1])


def fit_model(data: dict, l2: float = 1.0) -> Answerability:
    X, y = data["X"], data["y"]
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    coef, intercept = fit_logistic((X - mean) / scale, y, l2)
    return Answerability(mean, scale, coef, intercept)


def chosen(model: Answerability, data: dict, mask: np.ndarray | None = None):
    """Per question: (group, chosen row index, its logit)."""
    z = model.logits(data["X"])
    out = {}
    for i, g in enumerate(data["group"].tolist()):
        if mask is not None and not mask[i]:
            continue
        if g not in out or z[i] > z[out[g]]:
            out[g] = i
    idx = np.array(sorted(out.values()))
    return idx, z[idx]


def prior_weights(kind: np.ndarray, prior: tuple[float, float, float] | None) -> np.ndarray:
    """Per question of ``kind`` (0 answerable, 1 article absent, 2 unanswerable), the weight that turns the
    training mix of kinds into ``prior`` (their shares; None: keep the training mix)."""
    if prior is None:
        return np.ones(len(kind))
    counts = np.bincount(kind, minlength=3).astype("float64")
    share = np.asarray(prior, dtype="float64") / sum(prior)
    present = counts > 0
    share = np.where(present, share, 0.0) / share[present].sum()
    return (share / np.where(present, counts / counts.sum(), 1.0))[kind]


def fit_trees(X: np.ndarray, y: np.ndarray, weight: np.ndarray) -> BoostedTrees:
    """Boosted trees (``TREES``) scoring whether a chosen candidate is right, rows weighted by ``weight``."""
    try:
        from sklearn.ensemble import GradientBoostingClassifier
    except ImportError:
        raise SystemExit("error: training needs scikit-learn, citebot's train extra: pip install 'citebot[train]'") from None

    model = GradientBoostingClassifier(random_state=0, **TREES).fit(X, y, sample_weight=weight)
    return BoostedTrees.from_sklearn(model)


def train(data: dict, l2: float = 1.0, max_drop: float = 0.02, folds: int = 5,
          prior: tuple[float, float, float] | None = None, judge: str = "trees") -> tuple[Answerability, dict]:
    """The model on all of ``data``, calibrated on out-of-fold choices; and its dev report.

    ``prior``: the shares of answerable, absent-article and unanswerable questions the confidence is
    calibrated for (the judging trees and the calibration reweight the dev questions to it; the choice of
    candidate is unchanged). ``judge``: "trees" scores the chosen candidate by boosted trees, "logistic"
    by the logistic regression that chose it.
    """
    if judge not in ("trees", "logistic"):
        raise ValueError("judge is 'trees' or 'logistic'")
    fold = data["title"] % folds
    covered = len(np.unique(fold))
    if covered < folds:  # an empty fold has nothing to score, and its complement is all the data
        raise ValueError(f"the questions' articles fall in {covered} of the {folds} article folds: "
                         "train on more articles' questions, or with fewer --folds")
    idx_all, z_all = [], []
    for f in range(folds):
        part = fit_model({k: v[fold != f] for k, v in data.items()}, l2)
        idx, z = chosen(part, data, fold == f)
        if judge == "trees":
            seen, _ = chosen(part, data, fold != f)
            part.trees = fit_trees(data["X"][seen], data["y"][seen], prior_weights(data["kind"][seen], prior))
            z = np.array([part.judge(data["X"][i], v) for i, v in zip(idx.tolist(), z.tolist())])
        idx_all.append(idx)
        z_all.append(z)
    idx, z = np.concatenate(idx_all), np.concatenate(z_all)
    y = data["y"][idx]
    weight = prior_weights(data["kind"][idx], prior)
    a, b = fit_logistic(z[:, None], y, l2=0.0, weight=weight)
    model = fit_model(data, l2)
    if judge == "trees":
        every, _ = chosen(model, data)
        model.trees = fit_trees(data["X"][every], data["y"][every], prior_weights(data["kind"][every], prior))
    model.a, model.b = float(a[0]), float(b)
    model.knots = isotonic_knots(z, y, weight=weight)
    confidence = np.array([model.calibrate(v) for v in z])
    # not-found threshold: the highest that costs at most max_drop of dev recall@1 (answerable rows)
    answerable = data["kind"][idx] == 0
    right = data["passage"][idx] & answerable
    n = int(answerable.sum())
    keep = np.sort(confidence[right])
    k = int(max_drop * n + 1e-9)
    threshold = float(keep[k]) if k < len(keep) else 0.5
    first = {}
    for i, g in enumerate(data["group"].tolist()):
        first.setdefault(g, i)
    first_idx = np.array([first[g] for g in data["group"][idx].tolist()])
    report = {
        "questions": int(len(idx)), "answerable": n,
        "recall@1 (first candidate)": float((data["passage"][first_idx] & answerable).sum() / n),
        "recall@1 (chosen, out-of-fold)": float(right.sum() / n),
        "sentence (first candidate)": float((data["y"][first_idx].astype(bool) & answerable).sum() / n),
        "sentence (chosen, out-of-fold)": float((data["y"][idx].astype(bool) & answerable).sum() / n),
        "threshold": round(threshold, 4),
        "held-out rejected": float((confidence[data["kind"][idx] == 1] < threshold).mean()),
        "unanswerable rejected": float((confidence[data["kind"][idx] == 2] < threshold).mean())
        if (data["kind"][idx] == 2).any() else None,
        "ece (out-of-fold)": expected_calibration_error(confidence, y),
        "ece (out-of-fold, weighted to the prior)": expected_calibration_error(confidence, y, weight=weight),
        "ece (calibrated on other articles, shown)": cross_fitted_ece(z, y, data["title"][idx], weight, threshold),
        "ece (calibrated on other articles, shown, mean of 8 splits)": float(np.mean(
            [cross_fitted_ece(z, y, data["title"][idx], weight, threshold, split) for split in range(1, 9)])),
    }
    model.info = {"threshold": round(threshold, 4), "trained_on": "SQuAD dev + held-out dev articles + "
                  "unanswerable_dev (training half)", "prior": None if prior is None else list(prior),
                  "judge": judge, "folds": folds, "dev": {k: round(v, 4) if isinstance(v, float) else v for k, v in report.items()}}
    return model, report


def cross_fitted_ece(z: np.ndarray, y: np.ndarray, title: np.ndarray, weight: np.ndarray, threshold: float,
                     split: int = 1) -> float:
    """The ECE of answers shown (confidence >= ``threshold``) when the calibration is fitted on half the articles
    and applied to the other half: what to expect on articles never trained on. ``split`` (>= 1) picks which
    halves; one split's figure moves by +-0.03 from another's, so the report also gives the mean of eight."""
    half = (title >> split) % 2  # not the folds' split (title % folds), so each half mixes every fold's scores
    confidence = np.zeros(len(z))
    for h in (0, 1):
        knots = isotonic_knots(z[half != h], y[half != h], weight=weight[half != h])
        confidence[half == h] = np.interp(z[half == h], *knots)
    shown = confidence >= threshold
    return expected_calibration_error(confidence[shown], y[shown], weight=weight[shown])


def isotonic_knots(z: np.ndarray, y: np.ndarray, points: int = 40,
                   weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pool-adjacent-violators fit of P(right | z), rows weighted by ``weight``, as at most ``points``
    knots for ``np.interp``."""
    order = np.argsort(z, kind="stable")
    v = np.ones(len(z)) if weight is None else np.asarray(weight, dtype="float64")[order]
    z, y = z[order], y[order].astype("float64")
    blocks: list[list[float]] = []  # [weighted sum y, total weight, weighted sum z]
    for zi, yi, vi in zip(z.tolist(), y.tolist(), v.tolist()):
        blocks.append([vi * yi, vi, vi * zi])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s, c, t = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
            blocks[-1][2] += t
    xs = np.array([b[2] / b[1] for b in blocks])
    ps = np.array([b[0] / b[1] for b in blocks])
    if len(xs) > points:
        pick = np.unique(np.linspace(0, len(xs) - 1, points).round().astype(int))
        xs, ps = xs[pick], ps[pick]
    return xs, np.clip(ps, 0.01, 0.99)


def expected_calibration_error(confidence: np.ndarray, right: np.ndarray, bins: int = 10,
                               weight: np.ndarray | None = None) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by their size (rows by ``weight``)."""
    confidence = np.asarray(confidence, dtype="float64")
    right = np.asarray(right, dtype="float64")
    v = np.ones(len(confidence)) if weight is None else np.asarray(weight, dtype="float64")
    if not len(confidence):
        return 0.0
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            total += abs(np.average(right[m], weights=v[m]) - np.average(confidence[m], weights=v[m])) * v[m].sum()
    return float(total / v.sum())


def dumps(weights: dict) -> str:
    """The weights file's text: one entry a line, the trees (thousands of numbers) on one line of their own."""
    weights = dict(weights)
    trees = weights.pop("trees", None)
    text = json.dumps(weights, indent=1)
    if trees is not None:
        text = text[: text.rindex("}")].rstrip() + ',\n "trees": ' + json.dumps(trees, separators=(",", ":")) + "\n}"
    return text + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.answering.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/eval/squad/corpus"))
    parser.add_argument("--index", type=Path, default=Path(".citebot-squad"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--questions", type=Path, default=SHARED / "dev.jsonl")
    parser.add_argument("--unanswerable", type=Path, default=SHARED / "unanswerable_dev.jsonl")
    parser.add_argument("--foreign", action="store_true",
                        help="train the weights for questions in other languages than the corpus (--questions: a "
                        "translated dev file; no unanswerable questions), written to the model's foreign_weights file")
    parser.add_argument("--out", type=Path, help="where to write the weights [default: the packaged file of --model]")
    parser.add_argument("--cache", type=Path, nargs="+",
                        help="keep the collected features here (.npz) and reuse them; several: their union")
    parser.add_argument("--part", type=int, nargs=2, metavar=("K", "N"), default=(0, 1),
                        help="collect only every N-th question from the K-th (run N in parallel, then train on their caches)")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--max-drop", type=float, default=0.02)
    parser.add_argument("--prior", type=float, nargs=3, metavar=("ANSWERABLE", "ABSENT", "UNANSWERABLE"),
                        default=EVAL_PRIOR, help="the mix of question kinds to calibrate for [default: "
                        "citebot eval's SQuAD mix, %(default)s]")
    parser.add_argument("--dev-mix", action="store_true", help="calibrate for the training questions' own mix")
    parser.add_argument("--judge", choices=("trees", "logistic"), default="trees",
                        help="what scores the chosen candidate before calibration [default: %(default)s]")
    parser.add_argument("--folds", type=int, default=5,
                        help="article folds for the out-of-fold scores the calibration is fitted on [default: %(default)s]")
    args = parser.parse_args(argv)
    k, n = args.part
    if not 0 <= k < n:
        parser.error("--part K N needs 0 <= K < N")
    if not 0 <= args.max_drop < 1:  # a share of dev recall@1 (1 and over: any threshold, and 0.5 was written)
        parser.error(f"--max-drop must be at least 0 and under 1, not {args.max_drop:g}")
    if not (all(share >= 0 for share in args.prior) and args.prior[0] > 0):  # else NaN weights, a traceback
        parser.error("--prior needs shares of at least 0, the answerable one above 0, not "
                     + " ".join(f"{share:g}" for share in args.prior))
    from index.models import make_embedder

    name = make_embedder(args.model).model
    collected_for = f"{name}, {'foreign' if args.foreign else 'English'} questions"
    missing = [c for c in args.cache or () if not c.exists()]
    if len(args.cache or ()) > 1 and missing:  # else all were collected anew into the first, a part's cache overwritten
        raise SystemExit(f"{missing[0]}: no such cache (several caches are only read: collect each with --part K N "
                         "--cache FILE)")
    if args.cache and not missing:
        parts = [dict(np.load(c)) for c in args.cache]
        for cache, part in zip(args.cache, parts):  # a cache of before this check says nothing: taken as it is
            was = str(part.pop("collected_for", collected_for))
            if was != collected_for:  # else e5's features became MiniLM's weights, or English ones the foreign
                raise SystemExit(f"{cache} holds the features of {was}, not of {collected_for}: remove it or name another")
        data = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
        # the questions in the order one collection gives them (each part holds every N-th): the trees and the
        # isotonic fit read rows in order, and the caches of `--part` in turn learned other weights
        order = np.argsort(data["group"], kind="stable")
        data = {key: value[order] for key, value in data.items()}
    else:
        from bot.evaluate import Evaluator, read_rows
        from bot.cli import open_engine
        from index.errors import CitebotError

        try:  # the question files read first: a wrong path is said at once, not after the index is built
            rows = read_rows(args.questions)
            # SQuAD 2.0's unanswerable questions are English: none translated
            unanswerable = [] if args.foreign else unanswerable_rows(args.unanswerable, train=True)
            engine = open_engine(args)
            evaluator = Evaluator(engine)
            rows = rows + evaluator.held_out(rows, args.questions) + unanswerable
        except CitebotError as exc:
            raise SystemExit(f"error: {exc}") from None
        engine.searcher.embed_query("warm up")  # not warm_up(): the weights being retrained may not load
        data = collect(engine, rows[k::n], evaluator)
        data["group"] = data["group"] * n + k
        if args.cache:
            np.savez(args.cache[0], collected_for=np.array(collected_for), **data)
        if n > 1:
            print(f"collected part {k} of {n} into {args.cache[0] if args.cache else 'nothing'}")
            return 0
    if data["X"].shape[1] != len(FEATURES):
        raise SystemExit("the cached features are of another feature set: remove the cache")
    if args.folds < 2:
        parser.error("--folds needs at least 2")
    prior = None if args.dev_mix else tuple(args.prior)
    if args.foreign and prior is not None:  # no unanswerable questions: their share goes to the not-found ones
        prior = (prior[0], prior[1] + prior[2], 0.0)
    try:
        model, report = train(data, args.l2, args.max_drop, folds=args.folds, prior=prior, judge=args.judge)
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from None
    from bot.calibration import engine_settings

    model.info["model"] = name  # the model whose vectors these weights read
    if args.foreign:
        model.info["trained_on"] = f"{args.questions.name} (SQuAD dev, translated) + its held-out articles"
    if args.out is None:
        key = "foreign_weights" if args.foreign else "weights"
        if args.foreign and key not in engine_settings(name):
            parser.error(f"{name} reads no other language than the corpus's: no foreign weights to train")
        args.out = Path(__file__).with_name(engine_settings(name).get(key, WEIGHTS))
    args.out.write_text(dumps(model.to_json()), encoding="utf-8")
    for key, value in report.items():
        print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
    top = sorted(zip(FEATURES, model.coef), key=lambda t: -abs(t[1]))
    print("weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in top))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
