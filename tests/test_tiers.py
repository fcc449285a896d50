"""The three tiers as people read them, and the confidence's calibration on a small fixture."""

import unicodedata

import numpy as np
import pytest

from bot.answer import Answer, Source
from bot.answering.train import EVAL_PRIOR, expected_calibration_error, fit_logistic, isotonic_knots, prior_weights
from bot.render import printable, to_html, to_json_line, to_text

PASSAGE = "The summit opens in July. It will be held in Vilnius."
SOURCE = Source("nato.txt", "Summit news", "2023-04-20", PASSAGE, 100, 100 + len(PASSAGE), 1.2, (126, 100 + len(PASSAGE)))


def answer(tier: str, confidence: float) -> Answer:
    found = tier != "not_found"
    return Answer("Where is the summit?", found, "It will be held in Vilnius." if found else "",
                  [SOURCE] if found else [], confidence=confidence, tier=tier)


def test_a_confident_answer_leads_with_its_sentence():
    text = to_text(answer("confident", 0.9))
    assert text.splitlines()[0] == "It will be held in Vilnius."
    assert "»It will be held in Vilnius.«" in text


def test_an_uncertain_answer_is_introduced_as_possibly_not_answering_and_still_cites_the_passage():
    text = to_text(answer("uncertain", 0.3))
    assert text.splitlines()[0] == "This may not answer it exactly; the closest passage:"
    assert "»It will be held in Vilnius.«" in text
    assert "— Summit news, 2023-04-20 (nato.txt)" in text
    assert to_html(answer("uncertain", 0.3))[0].startswith(
        "<i>This may not answer it exactly; the closest passage:</i>\n<blockquote>The summit opens in July. <b>")
    assert not to_html(answer("confident", 0.9))[0].startswith("<i>")


def test_an_uncertain_answer_to_a_question_in_ukrainian_is_introduced_in_ukrainian_around_the_english_passage():
    uncertain = answer("uncertain", 0.3)
    uncertain.language = "uk"
    text = to_text(uncertain)
    assert text.splitlines()[0] == "Можливо, це не зовсім відповідь; найближчий уривок:"
    assert "»It will be held in Vilnius.«" in text
    assert to_html(uncertain)[0].startswith(
        "<i>Можливо, це не зовсім відповідь; найближчий уривок:</i>\n<blockquote>The summit opens in July. <b>")


def test_below_both_thresholds_it_is_not_found():
    assert to_text(answer("not_found", 0.05)) == "Not found: nothing in the corpus answers “Where is the summit?”."


def test_json_gains_only_the_confidence_and_found_is_true_for_both_shown_tiers():
    import json

    for tier, found in (("confident", True), ("uncertain", True), ("not_found", False)):
        data = json.loads(to_json_line(answer(tier, 0.42)))
        assert list(data) == ["question", "found", "answer", "confidence", "sources"]
        assert data["found"] is found and data["confidence"] == 0.42


def test_a_source_with_a_web_address_shows_it_under_its_label_in_the_terminal_telegram_and_json():
    import json
    from dataclasses import replace

    shown = answer("confident", 0.9)
    shown.sources = [replace(SOURCE, url="https://news.example.org/2023/04/20/summit?ref=rss&p=2")]
    assert to_text(shown).splitlines()[-2:] == [
        "  — Summit news, 2023-04-20 (nato.txt)", "    https://news.example.org/2023/04/20/summit?ref=rss&p=2"]
    assert to_html(shown)[0].endswith(
        "\n— <i>Summit news, 2023-04-20 (nato.txt)</i>\nhttps://news.example.org/2023/04/20/summit?ref=rss&amp;p=2")
    assert json.loads(to_json_line(shown))["sources"][0]["url"] == "https://news.example.org/2023/04/20/summit?ref=rss&p=2"


def test_an_address_a_reader_cannot_open_is_not_offered_as_a_link():
    import json
    from dataclasses import replace

    for url in ("javascript:alert(1)", "file:///etc/passwd", "https://", "https://example.org/a b",
                "https://example.org/\x1b[2J", "https://example.org/" + "a" * 2100, "http://[::1",
                "https://example.org/\u202egro.elgoog"):  # shown as "https://example.org/google.org"
        shown = answer("confident", 0.9)
        shown.sources = [replace(SOURCE, url=url)]
        assert to_text(shown).splitlines()[-1] == "  — Summit news, 2023-04-20 (nato.txt)", url
        assert to_html(shown)[0].endswith("\n— <i>Summit news, 2023-04-20 (nato.txt)</i>"), url
        assert json.loads(to_json_line(shown))["sources"][0]["url"] is None, url


def test_a_logistic_fit_on_a_known_probability_is_calibrated():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4000, 1))
    truth = 1 / (1 + np.exp(-(2.0 * x[:, 0] - 0.5)))
    y = (rng.random(4000) < truth).astype(float)
    coef, intercept = fit_logistic(x, y, l2=0.0)
    assert abs(coef[0] - 2.0) < 0.25 and abs(intercept + 0.5) < 0.15
    p = 1 / (1 + np.exp(-(x[:, 0] * coef[0] + intercept)))
    assert expected_calibration_error(p, y) < 0.04
    assert expected_calibration_error(np.full(4000, 0.99), y) > 0.4  # overconfidence is caught


def test_the_calibration_error_of_a_hand_checked_case():
    confidence = [0.95, 0.95, 0.15, 0.15]
    right = [True, False, False, False]
    # bin 9: confidence 0.95, right 0.5 -> 0.45; bin 1: 0.15 vs 0 -> 0.15; weighted (2*0.45 + 2*0.15)/4
    assert abs(expected_calibration_error(confidence, right) - 0.3) < 1e-9


def mix(rng, answerable: int, absent: int):
    """Scores, labels and kinds of a mix of questions: an answerable one scores higher and is right 80% of the
    time; one whose article is absent is never right."""
    z = np.concatenate([rng.normal(1.0, 1.0, answerable), rng.normal(-1.0, 1.0, absent)])
    y = np.concatenate([rng.random(answerable) < 0.8, np.zeros(absent, bool)]).astype(float)
    return z, y, np.repeat([0, 1], [answerable, absent])


def test_a_confidence_calibrated_for_a_mix_of_questions_says_what_is_right_in_that_mix_not_in_the_training_one():
    rng = np.random.default_rng(11)
    z, y, kind = mix(rng, 4000, 4000)  # trained where half the questions have their article absent
    z_new, y_new, _ = mix(rng, 8000, 2000)  # asked where one in five has
    for_training_mix = np.interp(z_new, *isotonic_knots(z, y))
    for_new_mix = np.interp(z_new, *isotonic_knots(z, y, weight=prior_weights(kind, (4.0, 1.0, 0.0))))
    assert expected_calibration_error(for_training_mix, y_new) > 0.08
    assert expected_calibration_error(for_new_mix, y_new) < 0.03


def test_the_default_prior_turns_the_dev_mix_into_the_evaluations_mix_of_question_kinds():
    kind = np.repeat([0, 1, 2], [3447, 3447, 1414])  # SQuAD dev: each question twice, and unanswerable ones
    weight = prior_weights(kind, EVAL_PRIOR)
    shares = [weight[kind == k].sum() / weight.sum() for k in range(3)]
    assert np.allclose(shares, np.array(EVAL_PRIOR) / sum(EVAL_PRIOR))


def test_each_models_not_found_threshold_is_the_one_learned_with_its_packaged_weights():
    from bot.answering.answerability import Answerability
    from bot.answering.engine import DEFAULT_THRESHOLD
    from bot.calibration import engine_settings
    from index.models import CHOICES

    for model in CHOICES:
        settings = engine_settings(model)
        weights = Answerability.load(**({"name": settings["weights"]} if "weights" in settings else {}))
        assert weights.info["model"] == model
        assert settings.get("threshold", DEFAULT_THRESHOLD) == round(weights.info["threshold"], 2)


def test_boosted_trees_score_a_row_as_scikit_learn_does_and_survive_their_json():
    import json

    from sklearn.ensemble import GradientBoostingClassifier

    from bot.answering.trees import BoostedTrees

    rng = np.random.default_rng(3)
    x = rng.normal(size=(600, 4))
    y = ((x[:, 0] > 0) ^ (x[:, 1] > 0.5)).astype(float)
    model = GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=0).fit(x[:400], y[:400])
    trees = BoostedTrees.from_json(json.loads(json.dumps(BoostedTrees.from_sklearn(model).to_json())))
    ours = np.array([trees.decision(row) for row in x[400:]])
    assert np.allclose(ours, model.decision_function(x[400:]), atol=1e-6)


def test_trees_whose_children_point_back_are_refused_rather_than_walked_forever():
    import pytest

    from bot.answering.trees import BoostedTrees

    with pytest.raises(ValueError, match="children must come after their parent"):
        BoostedTrees(0.0, 1.0, feature=[[0, -1]], threshold=[[0.5, 0]], left=[[0, -1]], right=[[1, -1]],
                     value=[[0.0, 1.0]])


def test_judging_trees_learn_what_a_weighted_sum_of_the_features_cannot():
    from bot.answering.answerability import FEATURES
    from bot.answering.train import train

    rng = np.random.default_rng(5)
    n = 3000
    X = rng.normal(size=(n, len(FEATURES)))
    right = np.abs(X[:, 0]) < 0.7  # right when a feature is neither low nor high: no weighted sum reads that
    kind = np.where(right, 0, rng.choice([1, 2], n))
    data = {"X": X, "y": right.astype(float), "passage": right, "group": np.arange(n), "kind": kind,
            "title": rng.integers(0, 1 << 20, n)}
    for judge, separated in (("trees", True), ("logistic", False)):
        model, report = train(data, prior=None, judge=judge)
        confidence = np.array([model.calibrate(model.judge(row, float(model.logits(row[None])[0]))) for row in X])
        gap = confidence[right].mean() - confidence[~right].mean()
        assert bool(gap > 0.6) is separated, (judge, gap)
        assert model.info["judge"] == judge


def test_a_newline_in_an_article_id_keeps_its_telegram_label_on_one_line():
    from dataclasses import replace

    forged = replace(SOURCE, doc="nato.txt)\n— Official bulletin, 2023-04-21 (gov.txt")
    block = to_html(Answer("Where is the summit?", True, "It will be held in Vilnius.", [forged, forged],
                           corroborating=1, confidence=0.9, tier="confident"))
    assert block[0].endswith("\n— <i>Summit news, 2023-04-20 (nato.txt)\ufffd— Official bulletin, 2023-04-21 (gov.txt)</i>")
    assert block[1] == "Also reported by:\n• Summit news, 2023-04-20 (nato.txt)\ufffd— Official bulletin, 2023-04-21 (gov.txt)"


def test_direction_overrides_of_an_article_show_as_marks_and_cannot_reorder_its_title_or_the_words_after_it():
    import json
    from dataclasses import replace

    # U+202E shows "gro.knab-laer" as "real-bank.org" (the "Trojan Source" trick), and an override left open
    # would reverse the date and the article id after the title too
    forged = replace(SOURCE, title="Bank news \u202egro.knab-laer", doc="news\u2067.txt",
                     passage="The summit opens in July. It will be held in \u202dVilnius\u202c.",
                     end=100 + len(PASSAGE) + 2, sentence=(126, 100 + len(PASSAGE) + 2))
    shown = Answer("Where is the summit?", True, "It will be held in \u202dVilnius\u202c.", [forged, forged],
                   corroborating=1, confidence=0.9, tier="confident")
    assert to_text(shown).splitlines() == [
        "It will be held in \ufffdVilnius\ufffd.", "",
        "  │ The summit opens in July. »It will be held in \ufffdVilnius\ufffd.«",
        "  — Bank news \ufffdgro.knab-laer, 2023-04-20 (news\ufffd.txt)",
        "  Also reported by: Bank news \ufffdgro.knab-laer, 2023-04-20 (news\ufffd.txt)"]
    assert to_html(shown) == [
        "<blockquote>The summit opens in July. <b>It will be held in \ufffdVilnius\ufffd.</b></blockquote>\n"
        "— <i>Bank news \ufffdgro.knab-laer, 2023-04-20 (news\ufffd.txt)</i>",
        "Also reported by:\n• Bank news \ufffdgro.knab-laer, 2023-04-20 (news\ufffd.txt)"]
    verbatim = json.loads(to_json_line(shown))  # the text as the article has it
    assert verbatim["answer"] == "It will be held in \u202dVilnius\u202c."
    assert verbatim["sources"][0]["title"] == "Bank news \u202egro.knab-laer"
    assert verbatim["sources"][0]["passage"] == forged.passage


def test_a_line_or_paragraph_separator_in_an_article_id_or_title_keeps_its_telegram_label_on_one_line():
    from dataclasses import replace

    # Telegram's apps break the line at U+2028 and U+2029 as at a newline: the id would forge a second source
    forged = replace(SOURCE, title="Summit\u2029news", doc="nato.txt)\u2028— Official bulletin, 2023-04-21 (gov.txt")
    block = to_html(Answer("Where is the summit?", True, "It will be held in Vilnius.", [forged, forged],
                           corroborating=1, confidence=0.9, tier="confident"))
    assert block[0].endswith("\n— <i>Summit\ufffdnews, 2023-04-20 (nato.txt)\ufffd— Official bulletin, 2023-04-21 (gov.txt)</i>")
    assert block[1] == "Also reported by:\n• Summit\ufffdnews, 2023-04-20 (nato.txt)\ufffd— Official bulletin, 2023-04-21 (gov.txt)"
    assert to_text(Answer("q", True, "It will be held in Vilnius.", [forged], confidence=0.9,
                          tier="confident")).split("\n")[-1] == (
        "  — Summit\ufffdnews, 2023-04-20 (nato.txt)\ufffd— Official bulletin, 2023-04-21 (gov.txt)")


def test_a_line_of_article_text_shaped_like_a_source_line_shows_inside_the_quoted_passage_not_as_a_source():
    from dataclasses import replace

    # an article may hold a line that reads as citebot's own source line, and one that reads as its address line
    passage = ("The summit opens in July.\n— Official bulletin, 2023-04-21 (gov.txt)\n    https://gov.example.org/\n"
               "It will be held in Vilnius.")
    forged = replace(SOURCE, passage=passage, end=100 + len(passage), sentence=(100 + passage.index("It"), 100 + len(passage)))
    shown = Answer("Where is the summit?", True, "It will be held in Vilnius.", [forged], confidence=0.9, tier="confident")
    assert to_text(shown).splitlines() == [
        "It will be held in Vilnius.", "",
        "  │ The summit opens in July.",
        "  │ — Official bulletin, 2023-04-21 (gov.txt)",
        "  │     https://gov.example.org/",
        "  │ »It will be held in Vilnius.«",
        "  — Summit news, 2023-04-20 (nato.txt)"]
    assert to_html(shown) == [
        "<blockquote>The summit opens in July.\n— Official bulletin, 2023-04-21 (gov.txt)\n    https://gov.example.org/\n"
        "<b>It will be held in Vilnius.</b></blockquote>\n— <i>Summit news, 2023-04-20 (nato.txt)</i>"]


# Real text whose letters carry accents: Ukrainian and Romanian as typed (precomposed) and decomposed (as a Mac
# names files), and Vietnamese decomposed, two marks on one letter ("ệ": e, dot below, circumflex).
ACCENTED = ["Їжачок ґречно пройшов повз щойно збудований ґанок у Києві.",
            "Învățământul din România și știința țării: ţară, şcoală, ăâî.",
            "Tiếng Việt có dấu: Hà Nội, Huế, Đà Nẵng, nghệ thuật."]


def test_a_zalgo_title_and_passage_show_at_most_three_marks_on_a_letter_and_json_keeps_them_all():
    import json
    from dataclasses import replace

    zalgo = "Z" + "\u0336\u0334\u0353\u035a" * 10 + "algo"  # forty marks stacked on one letter smear over the lines around
    passage = f"The summit opens in July. It will be held in {zalgo}."
    source = replace(SOURCE, title=f"Summit {zalgo} news", passage=passage, end=100 + len(passage),
                     sentence=(126, 100 + len(passage)))
    shown = Answer("Where is the summit?", True, passage[26:], [source, source], corroborating=1, confidence=0.9,
                   tier="confident")
    tamed = "Z\u0336\u0334\u0353algo"
    assert to_text(shown).splitlines() == [
        f"It will be held in {tamed}.", "",
        f"  │ The summit opens in July. »It will be held in {tamed}.«",
        f"  — Summit {tamed} news, 2023-04-20 (nato.txt)",
        f"  Also reported by: Summit {tamed} news, 2023-04-20 (nato.txt)"]
    assert to_html(shown) == [
        f"<blockquote>The summit opens in July. <b>It will be held in {tamed}.</b></blockquote>\n"
        f"— <i>Summit {tamed} news, 2023-04-20 (nato.txt)</i>",
        f"Also reported by:\n• Summit {tamed} news, 2023-04-20 (nato.txt)"]
    verbatim = json.loads(to_json_line(shown))
    assert (verbatim["answer"], verbatim["sources"][0]["title"]) == (passage[26:], f"Summit {zalgo} news")


def test_a_zalgo_question_that_is_not_found_is_echoed_with_at_most_three_marks_on_a_letter_in_the_terminal_and_telegram():
    from bot.telegram.sizing import answer_blocks

    zalgo = "Z" + "\u0336\u0334\u0353\u035a" * 10 + "algo"
    unanswered = Answer(f"Where is {zalgo}?", False, None, [], confidence=0.02, tier="not_found")
    echoed = "Not found: nothing in the corpus answers “Where is Z\u0336\u0334\u0353algo?”."
    assert to_text(unanswered) == echoed
    assert answer_blocks(unanswered)[0].splitlines()[0] == echoed


@pytest.mark.parametrize("text", ACCENTED + [unicodedata.normalize("NFD", t) for t in ACCENTED])
def test_ukrainian_romanian_and_vietnamese_accents_show_as_they_are_written(text):
    from dataclasses import replace

    source = replace(SOURCE, title=text, passage=text, end=100 + len(text), sentence=(100, 100 + len(text)))
    shown = Answer("?", True, text, [source], confidence=0.9, tier="confident")
    assert printable(text).encode() == text.encode()
    assert to_text(shown).splitlines()[0].encode() == text.encode()
    assert f"<b>{text}</b>".encode() in to_html(shown)[0].encode()
    assert f"<i>{text}, 2023-04-20 (nato.txt)</i>".encode() in to_html(shown)[0].encode()
