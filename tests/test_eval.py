import json
import os

import pytest

from bot.answer import DEFAULT_THRESHOLD
from bot.calibration import engine_settings
from bot.cli import main
from index.models import DEFAULT

# `citebot eval` with no --model runs the default model, at that model's own not-found threshold.
THRESHOLD = engine_settings(DEFAULT).get("threshold", DEFAULT_THRESHOLD)

ARTICLES = {
    "bridge.txt": "Old Bridge\nThe old bridge over the river was built in 1820. Engineers repaired the bridge in 1990.",
    "harbour.txt": "Harbour news\nFishing boats leave the harbour at dawn. The harbour master counts 42 boats every day.",
    "kiln.txt": "Pottery\nPotters fire clay in a kiln. A kiln reaches temperatures above 1200 degrees.",
}
QUESTIONS = [
    {"q": "When was the old bridge built?", "answers": ["1820"]},
    {"q": "How many boats does the harbour master count?", "answers": ["42"]},
    {"q": "What do potters fire clay in?", "answers": ["kiln"]},
    {"q": "Who won the football world cup in 2014?", "answers": []},
    {"turns": ["When was the old bridge built?", "And when was it repaired?"], "answers": ["1990"]},
]


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    folder = tmp_path_factory.mktemp("eval")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    questions = folder / "questions.jsonl"
    questions.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS), encoding="utf-8")
    return folder, corpus, questions


def eval_args(fixture, *extra):
    folder, corpus, questions = fixture
    return ["eval", str(questions), "--corpus", str(corpus), "--index", str(folder / "index"), *extra]


def test_eval_json_reports_every_metric_for_citebot_and_both_baselines(fixture, capsys):
    assert main(eval_args(fixture, "--json", "--compare")) == 0
    report = json.loads(capsys.readouterr().out)
    systems = {s["label"]: s for s in report["systems"]}
    assert list(systems) == ["bm25", "dense", "citebot, no threshold", f"citebot (threshold {THRESHOLD:g})"]
    assert report["threshold"] == THRESHOLD
    cite = systems[f"citebot (threshold {THRESHOLD:g})"]
    assert cite["answerable"] == 3 and cite["absent"] == 1 and cite["conversations"] == 1
    assert cite["recall@1"] == 1.0 and cite["sentence"] == 1.0 and cite["mrr@10"] == 1.0
    assert cite["not_found"] == 1.0
    assert cite["follow_up"] == 1.0
    assert systems["citebot, no threshold"]["not_found"] == 0.0
    assert systems["bm25"]["not_found"] == 0.0  # a plain search always returns something
    assert "sentence" not in systems["bm25"]


def test_eval_prints_a_table_and_writes_the_trade_off_plot(fixture, tmp_path, capsys):
    png = tmp_path / "curve.png"
    assert main(eval_args(fixture, "--plot", str(png))) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].split() == ["system", "recall@1", "recall@5", "MRR@10", "sentence",
                                           "not", "found", "follow-up", "ms/q"]
    assert f"risk-coverage curve and reliability diagram written to {png}" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_malformed_question_line_is_an_error_naming_the_line(fixture, tmp_path, capsys):
    folder, corpus, _ = fixture
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q": "Where?", "answers": []}\n{"answers": ["x"]}\n', encoding="utf-8")
    assert main(["eval", str(bad), "--corpus", str(corpus), "--index", str(folder / "index")]) == 1
    assert capsys.readouterr().err == (f"citebot: error: {bad}:2: not a question row "
                                       """(no "q": the question, or "turns": a conversation's questions)\n""")


def test_a_question_file_that_is_not_utf8_is_an_error_naming_the_line(fixture, tmp_path, capsys):
    folder, corpus, _ = fixture
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(b'{"q": "Where?", "answers": []}\n{"q": "Caf\xe9?", "answers": []}\n')
    assert main(["eval", str(latin1), "--corpus", str(corpus), "--index", str(folder / "index")]) == 1
    assert capsys.readouterr().err == f"citebot: error: {latin1}:2: not UTF-8 (byte 0xe9)\n"


def test_a_missing_or_malformed_unanswerable_file_is_an_error_line_like_the_question_files(fixture, tmp_path, capsys):
    missing, bad = tmp_path / "missing.jsonl", tmp_path / "bad.jsonl"
    bad.write_text('{"q": "Where?", "answers": [], "near": "Bridge#0"}\n{"near": "Bridge#0"\n', encoding="utf-8")
    assert main(eval_args(fixture, "--unanswerable", str(missing))) == 1
    assert capsys.readouterr().err == f"citebot: error: cannot read question file {missing}: No such file or directory\n"
    assert main(eval_args(fixture, "--unanswerable", str(bad))) == 1
    assert capsys.readouterr().err.startswith(f"citebot: error: {bad}:2: not a question row (")


def test_a_plot_named_without_a_suffix_is_written_as_png_and_the_message_names_that_file(fixture, tmp_path, capsys):
    assert main(eval_args(fixture, "--plot", str(tmp_path / "curve"))) == 0
    assert f"risk-coverage curve and reliability diagram written to {tmp_path / 'curve.png'}" in capsys.readouterr().out
    assert (tmp_path / "curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_plot_that_cannot_be_written_is_an_error_line_before_any_question_is_asked(fixture, tmp_path, capsys):
    (tmp_path / "notes").write_text("", encoding="utf-8")
    for plot, why in ((tmp_path / "curve.txt", ".txt is not an image format ("),
                      (tmp_path, "it is a folder (name a .png file)"),
                      (tmp_path / "notes" / "curve.png", f"{tmp_path / 'notes'} is not a folder")):
        assert main(eval_args(fixture, "--plot", str(plot))) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith(f"citebot: error: cannot write plot {plot}: {why}")


def test_a_plot_into_a_folder_where_no_file_can_be_made_is_an_error_line_before_any_question_is_asked(
        fixture, capsys):
    # /proc stands for a read-only folder (root, who runs CI here, may write into any folder of mode 555)
    assert main(eval_args(fixture, "--plot", "/proc/curve.png")) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "citebot: error: cannot write plot /proc/curve.png: No such file or directory\n"


@pytest.mark.parametrize("row, why", [
    ('{"turns": "When?", "answers": ["1820"]}', "turns must be a list of questions"),  # not a conversation of letters
    ('{"q": 5, "answers": []}', "q must be text"),
])
def test_a_row_whose_question_is_not_text_is_an_error_naming_the_line_and_why(fixture, tmp_path, capsys, row, why):
    folder, corpus, _ = fixture
    bad = tmp_path / "bad.jsonl"
    bad.write_text(row + "\n", encoding="utf-8")
    assert main(["eval", str(bad), "--corpus", str(corpus), "--index", str(folder / "index")]) == 1
    assert capsys.readouterr().err == f"citebot: error: {bad}:1: not a question row ({why})\n"


def test_holdout_asks_single_questions_again_without_their_article_but_not_conversations(fixture, tmp_path, capsys):
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"q": "When was the old bridge built?", "answers": ["1820"], "doc": "bridge.txt"}) + "\n"
                    + json.dumps({"turns": ["When was the old bridge built?", "And when was it repaired?"],
                                  "answers": ["1990"], "doc": "bridge.txt"}) + "\n", encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index"), "--holdout"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{rows}: 3 questions"
    assert "rejected, held-out articles (1): 1.000" in out
    assert "follow-up conversations right: 1 / 1" in out


def test_a_question_file_saved_with_a_byte_order_mark_is_read(fixture, tmp_path, capsys):
    folder, corpus, _ = fixture
    marked = tmp_path / "bom.jsonl"
    marked.write_text('\ufeff{"q": "When was the old bridge built?", "answers": ["1820"]}\n', encoding="utf-8")
    assert main(["eval", str(marked), "--corpus", str(corpus), "--index", str(folder / "index"), "--json"]) == 0
    [cite] = [s for s in json.loads(capsys.readouterr().out)["systems"] if s["label"].startswith("citebot (")]
    assert (cite["answerable"], cite["recall@1"]) == (1, 1.0)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_question_row_holding_a_line_separator_written_raw_is_read_as_one_row(fixture, tmp_path, capsys, separator):
    # was "citebot: error: …:1: not a question row (Unterminated string starting at: line 1 column 7 (char 6))": the
    # file was cut into lines by str.splitlines, which ends one at a U+2028, U+2029 or NEL too, each kept raw inside
    # a JSON string by json.dumps(..., ensure_ascii=False) (a question pasted from a web page)
    folder, corpus, _ = fixture
    rows = tmp_path / "separated.jsonl"
    rows.write_text(json.dumps({"q": f"When was the old{separator}bridge built?", "answers": ["1820"]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index"), "--json"]) == 0
    [cite] = [s for s in json.loads(capsys.readouterr().out)["systems"] if s["label"].startswith("citebot (")]
    assert cite["answerable"] == 1


@pytest.mark.parametrize("flag, value", [("--threshold", "5"), ("--threshold", "nan"), ("--max-drop", "-0.5")])
def test_a_threshold_or_allowed_drop_outside_0_to_1_is_a_usage_error(fixture, capsys, flag, value):
    # it ended with exit code 1, an error's, where README gives 2 to a usage error (as `--threshold abc` has)
    with pytest.raises(SystemExit) as refused:
        main(eval_args(fixture, flag, value))
    assert refused.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("usage: citebot eval ")
    assert captured.err.endswith(f"\ncitebot eval: error: {flag} must be between 0 and 1, not {float(value):g}\n")


@pytest.mark.parametrize("row, why", [
    ('["When was the old bridge built?", ["1820"]]', "a row is a JSON object"),
    # read as "answers": [], a misspelt key made an answerable question one whose right reply is "not found"
    ('{"q": "When was the old bridge built?", "answer": ["1820"]}', 'no "answers": the gold strings, [] when "not found" is right'),
    # every text holds "": any answer at all was scored right
    ('{"q": "Who won the football world cup in 2014?", "answers": [" "]}', "an empty gold string"),
    ('{"q": "When was the old bridge built?", "answers": ["1820"], "doc": ["bridge.txt"]}', "doc must be text"),
])
def test_a_row_that_would_be_scored_wrongly_is_an_error_naming_the_line_and_why(fixture, tmp_path, capsys, row, why):
    folder, corpus, _ = fixture
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q": "Where?", "answers": []}\n' + row + "\n", encoding="utf-8")
    assert main(["eval", str(bad), "--corpus", str(corpus), "--index", str(folder / "index"), "--holdout"]) == 1
    assert capsys.readouterr().err == f"citebot: error: {bad}:2: not a question row ({why})\n"


def test_holdout_of_a_doc_naming_no_article_is_an_error_naming_the_line_not_a_question_counted_as_unrejected(
        fixture, tmp_path, capsys):
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"q": "When was the old bridge built?", "answers": ["1820"], "doc": "bridge.txt"}) + "\n"
                    + json.dumps({"q": "What do potters fire clay in?", "answers": ["kiln"], "doc": "Pottery#0"}) + "\n",
                    encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index"), "--holdout"]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"citebot: error: {rows}:2: doc 'Pottery#0' names no article of the "
                                                "index, so the question cannot be asked without its article\n")


def test_holdout_warns_with_the_line_of_the_first_question_it_cannot_hold_out_for_want_of_a_doc(
        fixture, tmp_path, capsys, caplog):
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(q) + "\n" for q in (
        {"q": "When was the old bridge built?", "answers": ["1820"], "doc": "bridge.txt"},
        {"q": "How many boats does the harbour master count?", "answers": ["42"]},
        {"q": "What do potters fire clay in?", "answers": ["kiln"]})), encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index"), "--holdout"]) == 0
    assert f"{rows}: 4 questions" in capsys.readouterr().out
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.eval"] == [
        f'{rows}:2: no "doc", so --holdout cannot ask it without its article (and 1 more without one)']


def test_a_conversation_is_scored_at_the_threshold_given_and_right_when_it_rightly_finds_nothing(fixture, tmp_path, capsys):
    # at threshold 1 nothing is shown: the follow-up answered right at the engine's threshold no longer counts
    assert main(eval_args(fixture, "--json", "--threshold", "1")) == 0
    [cut] = [s for s in json.loads(capsys.readouterr().out)["systems"] if s["label"] == "citebot (threshold 1)"]
    assert (cut["recall@1"], cut["follow_up"], cut["conversations"]) == (0.0, 0.0, 1)
    assert (cut["shown"], cut["precision"], cut["ece"]) == (0, None, None)  # undefined, not "all wrong"
    # and a conversation whose last turn the corpus does not answer is right when it is not found
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"turns": ["When was the old bridge built?", "And who won the football world cup in 2014?"],
                                "answers": []}) + "\n", encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index"), "--threshold", "1"]) == 0
    assert "follow-up conversations right: 1 / 1" in capsys.readouterr().out.splitlines()


def test_an_unanswerable_question_without_near_is_an_error_naming_the_line_not_a_question_never_asked(
        fixture, tmp_path, capsys):
    rows = tmp_path / "unanswerable.jsonl"
    rows.write_text('{"q": "Who built the kiln?", "answers": [], "near": "Bridge#0"}\n'
                    '{"q": "Who won the football world cup in 2014?", "answers": []}\n', encoding="utf-8")
    assert main(eval_args(fixture, "--unanswerable", str(rows))) == 1
    assert capsys.readouterr().err == (f'citebot: error: {rows}:2: not a question row (no "near": the paragraph it was '
                                       "written against says which half of the articles it is in)\n")


def test_an_unanswerable_file_all_on_the_articles_trained_on_is_a_warning_that_none_is_asked(
        fixture, tmp_path, capsys, caplog):
    rows = tmp_path / "unanswerable.jsonl"  # "Harbour" is in the training half (crc32 even)
    rows.write_text('{"q": "Who won the football world cup in 2014?", "answers": [], "near": "Harbour#0"}\n',
                    encoding="utf-8")
    assert main(eval_args(fixture, "--unanswerable", str(rows))) == 0
    assert "unanswerable" not in capsys.readouterr().out
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.eval"] == [
        f'{rows}: all its questions are on the half of the articles answerability trains on (its "near"), so none is asked']


def test_a_plot_that_fails_to_write_after_the_questions_were_asked_still_leaves_the_figures_printed(
        fixture, tmp_path, capsys, monkeypatch):
    import bot.evaluate

    def read_only_disk(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(bot.evaluate, "plot", read_only_disk)
    png = tmp_path / "curve.png"
    assert main(eval_args(fixture, "--plot", str(png))) == 1
    captured = capsys.readouterr()
    assert "answerable (3): recall@1 1.000 (no threshold 1.000), sentence 1.000" in captured.out.splitlines()
    assert captured.err == f"citebot: error: cannot write plot {png}: Permission denied\n"


def test_no_threshold_scores_a_conversation_as_answered_whatever_its_confidence(fixture, tmp_path, capsys):
    # "citebot, no threshold" shows every answer: a conversation whose last turn the corpus does not answer is
    # wrong there (it was scored at the engine's threshold, so right), and right only with a threshold
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"turns": ["When was the old bridge built?", "And who won the football world cup in 2014?"],
                                "answers": []}) + "\n"
                    + json.dumps({"turns": ["When was the old bridge built?", "And when was it repaired?"],
                                  "answers": ["1990"]}) + "\n", encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index"), "--json"]) == 0
    systems = {s["label"]: s for s in json.loads(capsys.readouterr().out)["systems"]}
    assert systems["citebot, no threshold"]["follow_up"] == 0.5
    assert systems[f"citebot (threshold {THRESHOLD:g})"]["follow_up"] == 1.0


def test_a_question_left_with_no_passage_at_all_is_not_found_even_at_threshold_0(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bridge.txt").write_text(ARTICLES["bridge.txt"], encoding="utf-8")
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"q": "When was the old bridge built?", "answers": ["1820"], "doc": "bridge.txt"}) + "\n",
                    encoding="utf-8")
    # held out, the only article is gone: nothing is cited, so nothing is shown, whatever the threshold
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--holdout",
                 "--threshold", "0", "--json"]) == 0
    [cut] = [s for s in json.loads(capsys.readouterr().out)["systems"] if s["label"] == "citebot (threshold 0)"]
    assert (cut["rejected_held_out"], cut["shown"], cut["precision"]) == (1.0, 1, 1.0)


def test_the_suggested_threshold_is_printed_rounded_down_so_that_giving_it_back_keeps_every_answer_it_keeps(
        fixture, capsys, monkeypatch):
    import bot.evaluate

    # 0.76316 printed as 0.7632 and given back as --threshold rejected the right answer at 0.76316
    monkeypatch.setattr(bot.evaluate, "suggest_threshold", lambda run, max_drop: 0.76316)
    assert main(eval_args(fixture)) == 0
    assert "suggested threshold (recall@1 within 0.015 of no threshold): 0.7631" in capsys.readouterr().out.splitlines()
    # and on the fixture itself: the suggestion, given back as printed, costs no recall@1 (0.015 of 3 questions: none)
    monkeypatch.undo()
    assert main(eval_args(fixture, "--json")) == 0
    report = json.loads(capsys.readouterr().out)
    printed = bot.evaluate._floor4(report["suggested_threshold"])
    assert main(eval_args(fixture, "--json", "--threshold", printed)) == 0
    [cut] = [s for s in json.loads(capsys.readouterr().out)["systems"] if s["label"] == f"citebot (threshold {float(printed):g})"]
    assert cut["recall@1"] == 1.0


def test_the_reliability_diagram_with_no_answer_shown_says_so_rather_than_an_ece_of_0(fixture, tmp_path, capsys, monkeypatch):
    from matplotlib.axes import Axes

    titles = []
    monkeypatch.setattr(Axes, "set_title", lambda self, label, **kwargs: titles.append(label))
    assert main(eval_args(fixture, "--threshold", "1", "--plot", str(tmp_path / "curve.png"))) == 0
    assert titles == ["risk-coverage", "reliability (no answer shown)"]
    titles.clear()
    assert main(eval_args(fixture, "--threshold", "0", "--plot", str(tmp_path / "curve.png"))) == 0
    assert titles[1].startswith("reliability (ECE ") and titles[1].endswith(", 4 shown)")


def test_latency_per_question_holds_no_one_time_reading_of_the_corpus(fixture, capsys, monkeypatch):
    import time

    import bot.evaluate
    from bot.answering.engine import AnswerEngine

    happened = []
    languages = AnswerEngine._languages

    def noted(self):  # the corpus's languages, read once from its passages: a set-up cost, not a question's
        if self._corpus_language is None:
            happened.append("languages read")
        return languages(self)

    class Clock:  # the clock the evaluation times questions with
        @staticmethod
        def perf_counter():
            happened.append("clock read")
            return time.perf_counter()

    monkeypatch.setattr(AnswerEngine, "_languages", noted)
    monkeypatch.setattr(bot.evaluate, "time", Clock)
    assert main(eval_args(fixture, "--json")) == 0
    assert happened.count("languages read") == 1
    assert happened.index("languages read") < happened.index("clock read")  # before any question is timed


def test_a_gold_string_no_passage_holds_is_a_warning_naming_its_line_not_only_a_silent_wrong_answer(
        fixture, tmp_path, capsys, caplog):
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(q) + "\n" for q in (
        {"q": "When was the old bridge built?", "answers": ["1820"]},
        {"q": "How many boats does the harbour master count?", "answers": ["forty-two", "42 boats a day"]},
        {"turns": ["When was the old bridge built?", "And when was it repaired?"], "answers": ["1909"]})),
        encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index")]) == 0
    assert "answerable (2): recall@1 0.500 (no threshold 0.500), sentence 0.500" in capsys.readouterr().out.splitlines()
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.eval"] == [
        f"{rows}:2: no passage of the index holds any of its gold strings ('forty-two', '42 boats a day'), "
        "so no answer to it can count as right (and 1 more like it)"]


def test_a_threshold_that_would_be_negative_for_questions_in_another_language_is_given_as_0(fixture, tmp_path, capsys):
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in (
        {"q": "When was the old bridge built?", "answers": ["1820"]},
        {"q": "Коли збудували старий міст?", "answers": ["1820"]})), encoding="utf-8")
    # the other languages' threshold is the engine's less 0.156: below it, no confidence (never below 0) is kept out
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index"), "--threshold", "0.1"]) == 0
    assert "citebot (threshold 0.1, other languages 0)" in capsys.readouterr().out


def test_json_carries_the_thresholds_of_questions_in_another_language_that_the_table_prints(fixture, tmp_path, capsys):
    from bot.evaluate import _floor4

    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in (
        {"q": "When was the old bridge built?", "answers": ["1820"]},
        {"q": "Коли збудували старий міст?", "answers": ["1820"]},
        {"q": "Who won the football world cup in 2014?", "answers": []})), encoding="utf-8")
    args = ["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index")]
    assert main(args) == 0
    printed = capsys.readouterr().out.splitlines()
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # the table's label and last line gave them; the JSON object had neither number
    other, suggested = report["threshold_other_languages"], report["suggested_threshold_other_languages"]
    assert printed[-1] == ("suggested threshold (recall@1 within 0.015 of no threshold): "
                           f"{_floor4(report['suggested_threshold'])} (other languages {_floor4(suggested)})")
    assert printed[3].startswith(f"citebot (threshold {THRESHOLD:g}, other languages {other:.3g}) ")
    assert 0 < other < THRESHOLD and suggested < report["suggested_threshold"]
    # a file in the corpus's language alone: no other language's threshold, null
    assert main(eval_args(fixture, "--json")) == 0
    english = json.loads(capsys.readouterr().out)
    assert (english["threshold_other_languages"], english["suggested_threshold_other_languages"]) == (None, None)


def test_ctrl_c_in_a_long_run_prints_the_figures_of_the_questions_asked_so_far_and_exits_130(fixture, tmp_path):
    import fcntl
    import pty
    import re
    import signal
    import struct
    import subprocess
    import termios

    from tests.living import CITEBOT

    folder, corpus, _ = fixture
    rows = tmp_path / "long.jsonl"
    asked = [QUESTIONS[0], QUESTIONS[3]] * 100_000  # hours of questions: a run stopped with Ctrl-C
    rows.write_text("".join(json.dumps(q) + "\n" for q in asked), encoding="utf-8")
    main_side, terminal = pty.openpty()  # stderr at a terminal, where the progress bar shows how far it got
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # 80 columns (0 draws no bar)
    with subprocess.Popen([CITEBOT, "eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index")],
                          stdout=subprocess.PIPE, stderr=terminal, text=True, env=dict(os.environ, HF_HUB_OFFLINE="1"),
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)) as run:
        os.close(terminal)
        bar = b""
        while not re.search(rb"citebot: +0%\|[^\r\n]*\| *[1-9]\d*/200000", bar):  # some questions asked
            bar += os.read(main_side, 4096)
        run.send_signal(signal.SIGINT)  # as Ctrl-C at the terminal
        out, _ = run.communicate(timeout=300)
    os.close(main_side)
    # it ended with exit code 130 and not a line on stdout: the figures of every question asked were lost
    assert run.returncode == 130
    lines = out.splitlines()
    header = re.fullmatch(rf"{re.escape(str(rows))}: interrupted after (\d+) of 200000 questions, "
                          r"the figures are of those (\d+)", lines[0])
    assert header and header[1] == header[2] and int(header[1]) >= 1
    n = int(header[1])
    assert lines[1].split() == ["system", "recall@1", "recall@5", "MRR@10", "sentence", "not", "found", "ms/q"]
    answerable, absent = (n + 1) // 2, n // 2
    assert f"answerable ({answerable}): recall@1 1.000 (no threshold 1.000), sentence 1.000" in lines
    assert (f"rejected, not in corpus (the file's own) ({absent}): 1.000" in lines) == (absent > 0)


def test_absent_and_ontopic_files_score_their_conversations_as_their_own_rejections_and_say_what_is_left_unused(
        fixture, tmp_path, capsys, caplog):
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"q": "When was the old bridge built?", "answers": ["1820"]}) + "\n", encoding="utf-8")
    absent = tmp_path / "absent.jsonl"  # written with the gold strings of the articles left out
    absent.write_text("".join(json.dumps(q) + "\n" for q in (
        {"q": "Who is the mayor of Paris?", "answers": ["Hidalgo"]},
        {"q": "Who won the football world cup in 2014?", "answers": ["Germany"]})), encoding="utf-8")
    ontopic = tmp_path / "ontopic.jsonl"
    ontopic.write_text("".join(json.dumps(q) + "\n" for q in (
        {"q": "Who designed the old bridge?", "answers": []},
        {"turns": ["When was the old bridge built?", "And who painted it?"], "answers": []},
        {"q": "Who designed the old bridge?", "answers": []})), encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index"), "--json",
                 "--absent", str(absent), "--ontopic", str(ontopic), "--threshold", "1"]) == 0
    [cut] = [s for s in json.loads(capsys.readouterr().out)["systems"] if s["label"] == "citebot (threshold 1)"]
    # the on-topic conversation was the only one, counted as a follow-up of the file itself: "1 / 1 right"
    assert "conversations" not in cut and "follow_up" not in cut
    assert (cut["questions_ontopic"], cut["rejected_ontopic"], cut["questions_absent"], cut["absent"]) == (3, 1.0, 2, 5)
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.eval"] == [
        f"{absent}:1: its gold strings ('Hidalgo') are not used: every question of --absent is scored as \"not found\" "
        "(and 1 more with gold strings)",
        f"{ontopic}:3: the same row as line 1, so it counts twice"]


def test_a_file_of_one_question_says_one_question(fixture, tmp_path, capsys):
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"q": "When was the old bridge built?", "answers": ["1820"]}) + "\n", encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{rows}: 1 question"


def test_a_row_repeated_more_than_once_is_said_to_count_as_many_times_as_it_is_there(fixture, tmp_path, capsys, caplog):
    # "rows.jsonl:3: the same row as line 1, so it counts twice (and 3 more repeated)" of a row there four times
    folder, corpus, _ = fixture
    bridge, painter = ({"q": "When was the old bridge built?", "answers": ["1820"]},
                       {"q": "Who painted the old bridge?", "answers": []})
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(q) + "\n" for q in (bridge, painter, bridge, bridge, bridge, painter)),
                    encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{rows}: 6 questions"
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.eval"] == [
        f"{rows}:3: the same row as line 1, so it counts 4 times (and 1 more repeated)"]


def test_a_warning_naming_a_rows_gold_strings_names_three_each_cut_short_not_a_line_as_long_as_the_row(
        fixture, tmp_path, capsys, caplog):
    # a row of 1,000 gold strings (or one of a page's length) given as --absent was a warning of 750,000 characters
    folder, corpus, _ = fixture
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"q": "When was the old bridge built?", "answers": ["1820"]}) + "\n", encoding="utf-8")
    absent = tmp_path / "absent.jsonl"
    absent.write_text(json.dumps({"q": "Who is the mayor of Paris?",
                                  "answers": ["Anne Hidalgo " * 1000, "Hidalgo", *(f"mayor {n}" for n in range(998))]})
                      + "\n", encoding="utf-8")
    assert main(["eval", str(rows), "--corpus", str(corpus), "--index", str(folder / "index"),
                 "--absent", str(absent)]) == 0
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.eval"] == [
        f"{absent}:1: its gold strings ('{('Anne Hidalgo ' * 5)[:60]}…', 'Hidalgo', 'mayor 0' and 997 more) are not "
        'used: every question of --absent is scored as "not found"']


def test_eval_dash_reads_the_question_file_from_standard_input_and_names_it_stdin(fixture):
    # `citebot eval -` was "cannot read question file -: No such file or directory", where `citebot ask -` reads stdin
    import subprocess

    from tests.living import CITEBOT

    folder, corpus, _ = fixture
    rows = "".join(json.dumps(q) + "\n" for q in ({"q": "When was the old bridge built?", "answers": ["1820"]},
                                                  {"q": "When was the old bridge built?", "answers": ["1820"]}))
    run = subprocess.run([CITEBOT, "eval", "-", "--corpus", str(corpus), "--index", str(folder / "index"), "--json"],
                         input=rows, capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, HF_HUB_OFFLINE="1"))
    assert run.returncode == 0, run.stderr
    [cut] = [s for s in json.loads(run.stdout)["systems"] if s["label"] == f"citebot (threshold {THRESHOLD:g})"]
    assert (cut["answerable"], cut["recall@1"]) == (2, 1.0)
    # (then, when this test is the first of the file to run, the index being built)
    assert run.stderr.splitlines()[0] == "citebot: warning: <stdin>:2: the same row as line 1, so it counts twice"
    bad = subprocess.run([CITEBOT, "eval", "-", "--corpus", str(corpus), "--index", str(folder / "index")],
                         input='{"q": 1, "answers": []}\n', capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, HF_HUB_OFFLINE="1"))
    assert (bad.returncode, bad.stdout, bad.stderr) == (1, "", "citebot: error: <stdin>:1: not a question row "
                                                                 "(q must be text)\n")


def test_two_question_files_read_from_standard_input_are_a_usage_error_naming_both(fixture, capsys):
    with pytest.raises(SystemExit) as exit:
        main(eval_args(fixture, "--absent", "-", "--ontopic", "-"))
    assert exit.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "citebot eval: error: only one question file can be - (standard input), not --absent and --ontopic")


def test_an_unanswerable_question_repeated_is_said_to_count_twice_as_a_repeat_in_any_other_file_is(
        fixture, tmp_path, capsys, caplog):
    rows = tmp_path / "unanswerable.jsonl"  # "Bridge" is in the reporting half (crc32 odd): its questions are asked
    rows.write_text('{"q": "Who painted the old bridge?", "answers": [], "near": "Bridge#0"}\n' * 2, encoding="utf-8")
    assert main(eval_args(fixture, "--unanswerable", str(rows))) == 0
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.eval"] == [
        f"{rows}:2: the same row as line 1, so it counts twice"]
