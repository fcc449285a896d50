"""python -m bot.answering.train: the same questions learn the same weights, however they were collected."""

import importlib

import numpy as np
import pytest

from bot.answering.answerability import FEATURES

trainer = importlib.import_module("bot.answering.train")  # the module: bot.answering.train.train is its function


class Trained(Exception):
    """Raised in place of training, once the collected data has been seen."""


def test_training_on_the_caches_of_a_parallel_collection_sees_the_questions_in_the_order_of_one_collection(
        tmp_path, monkeypatch):
    # `--part K N` collects every N-th question from the K-th into a cache of its own; trained on their union the
    # rows came part after part, and the trees and the isotonic fit, which read rows in order, learned other weights
    rng = np.random.default_rng(0)
    group = np.repeat(np.arange(40), 3)  # 40 questions, 3 candidates each
    data = {"X": rng.normal(size=(len(group), len(FEATURES))), "y": rng.integers(0, 2, len(group)).astype("float64"),
            "passage": rng.integers(0, 2, len(group)).astype(bool), "group": group, "kind": group % 3,
            "title": (group // 4).astype("int64")}
    whole = tmp_path / "whole.npz"
    np.savez(whole, **data)
    parts = [tmp_path / f"part{k}.npz" for k in (0, 1)]
    for k, part in enumerate(parts):
        np.savez(part, **{key: value[group % 2 == k] for key, value in data.items()})
    seen = []

    def train(data, *args, **kwargs):
        seen.append(data)
        raise Trained

    monkeypatch.setattr(trainer, "train", train)
    for caches in ([whole], parts):
        with pytest.raises(Trained):
            trainer.main(["--cache", *map(str, caches)])
    one, union = seen
    assert sorted(one) == sorted(union)
    assert all(np.array_equal(one[key], union[key]) for key in one)
    assert np.array_equal(union["group"], group)


def test_a_cache_collected_for_another_model_or_for_foreign_questions_is_refused_naming_both(tmp_path, monkeypatch):
    # only the number of features was checked: e5's features silently became MiniLM's weights
    cache = tmp_path / "e5.npz"
    group = np.arange(10)
    np.savez(cache, collected_for=np.array("multilingual-e5-small, English questions"),
             X=np.zeros((10, len(FEATURES))), y=np.zeros(10), passage=np.zeros(10, bool), group=group, kind=group % 3,
             title=group.astype("int64"))
    monkeypatch.setattr(trainer, "train", lambda *args, **kwargs: pytest.fail("trained on another model's features"))
    for extra, wanted in ((["--model", "all-MiniLM-L6-v2"], "all-MiniLM-L6-v2, English questions"),
                          (["--foreign"], "multilingual-e5-small, foreign questions")):
        with pytest.raises(SystemExit) as refused:
            trainer.main(["--cache", str(cache), *extra])
        assert str(refused.value) == (f"{cache} holds the features of multilingual-e5-small, English questions, "
                                      f"not of {wanted}: remove it or name another")


def test_several_caches_one_of_them_missing_is_refused_leaving_the_others_as_they_were(tmp_path, monkeypatch):
    # it collected every question anew into the first cache: the part 0 of a parallel collection became the whole,
    # and its union with part 1, once there, held half of the questions twice
    import bot.cli

    part0, part1 = tmp_path / "part0.npz", tmp_path / "part1.npz"
    np.savez(part0, group=np.array([0, 0, 2]))
    before = part0.read_bytes()
    monkeypatch.setattr(bot.cli, "open_engine", lambda *args, **kwargs: pytest.fail("collected anew"))
    with pytest.raises(SystemExit) as refused:
        trainer.main(["--corpus", str(tmp_path), "--index", str(tmp_path / "index"), "--cache", str(part0), str(part1)])
    assert str(refused.value) == (f"{part1}: no such cache (several caches are only read: collect each with "
                                  "--part K N --cache FILE)")
    assert part0.read_bytes() == before


@pytest.mark.parametrize("flag, why", [
    (["--max-drop", "-1"], "--max-drop must be at least 0 and under 1, not -1"),  # an IndexError
    (["--max-drop", "2"], "--max-drop must be at least 0 and under 1, not 2"),  # weights written with threshold 0.5
    (["--prior", "0", "0", "0"], "--prior needs shares of at least 0, the answerable one above 0, not 0 0 0"),  # NaN
    (["--prior", "-1", "1", "1"], "--prior needs shares of at least 0, the answerable one above 0, not -1 1 1"),
])
def test_a_max_drop_or_prior_that_cannot_be_trained_for_is_a_usage_error(tmp_path, monkeypatch, capsys, flag, why):
    import bot.cli

    monkeypatch.setattr(bot.cli, "open_engine", lambda *args, **kwargs: pytest.fail("collected"))
    with pytest.raises(SystemExit) as refused:
        trainer.main(["--corpus", str(tmp_path), "--index", str(tmp_path / "index"), *flag])
    assert refused.value.code == 2
    assert capsys.readouterr().err.endswith(f"python -m bot.answering.train: error: {why}\n")


def test_a_question_file_that_cannot_be_read_is_one_error_line_before_any_index_is_opened(tmp_path, monkeypatch):
    import bot.cli

    monkeypatch.setattr(bot.cli, "open_engine", lambda *args, **kwargs: pytest.fail("the index was opened first"))
    missing = tmp_path / "dev.jsonl"
    with pytest.raises(SystemExit) as refused:
        trainer.main(["--corpus", str(tmp_path), "--index", str(tmp_path / "index"), "--questions", str(missing)])
    assert str(refused.value) == f"error: cannot read question file {missing}: No such file or directory"



def test_questions_whose_articles_leave_an_article_fold_empty_are_refused_with_what_to_do(monkeypatch, tmp_path):
    # the articles 0, 1, 2, 5 and 6 leave folds 3 and 4 of five empty: an IndexError before
    rng = np.random.default_rng(1)
    group = np.repeat(np.arange(40), 3)
    cache = tmp_path / "few.npz"
    np.savez(cache, collected_for=np.array("multilingual-e5-small, English questions"),
             X=rng.normal(size=(len(group), len(FEATURES))), y=(np.arange(len(group)) % 3 == 0).astype("float64"),
             passage=np.ones(len(group), bool), group=group, kind=group % 2,
             title=np.repeat(np.array([0, 1, 2, 5, 6] * 8), 3).astype("int64"))
    with pytest.raises(SystemExit) as refused:
        trainer.main(["--cache", str(cache)])
    assert str(refused.value) == ("error: the questions' articles fall in 3 of the 5 article folds: "
                                  "train on more articles' questions, or with fewer --folds")
