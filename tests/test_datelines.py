"""A news story opens with its dateline, the place and the day alone ("Одеса, 3 квітня 2026 р.", a sentence of its own):
it reports nothing, yet e5 reads it as near any question that names a place or a day. It and the lead it opens are
quoted as one, with the real multilingual-e5-small over six Ukrainian and Romanian agency stories."""

import pytest

from bot.answering.answer_types import another_day, days
from tests.newsroom import STORIES as NEWSROOM, engine_over

STORIES = {name: NEWSROOM[name] for name in (
    'uk_zerno_odesa.md',
    'uk_mist_dnipro.md',
    'uk_energy.md',
    'uk_kyiv_teatr.md',
    'ro_metrou_bucuresti.md',
    'ro_vin_chisinau.md')}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("datelines"), STORIES)


ODESA = ("Одеса, 3 квітня 2026 р. Порти Великої Одеси у березні відвантажили 4,2 млн т зерна, що на 12 % більше, ніж у "
         "лютому.")
DNIPRO = "Дніпро, 14 березня 2026 р. У Дніпрі в суботу урочисто відкрили новий автомобільний міст через річку Самарку."
ENERGY = ("Київ, 12 січня 2026 р. Через сильні морози споживання електроенергії в Україні в понеділок зросло на 6 % "
          "порівняно з минулим тижнем.")


@pytest.mark.parametrize("question", ["What happened in Odesa on 3 April 2026?", "Що сталося в Одесі 3 квітня 2026 року?"])
def test_what_happened_on_a_storys_day_is_answered_by_its_lead_quoted_with_its_dateline(engine, question):
    # was "Одеса, 3 квітня 2026 р." alone
    answer = engine.ask(question)
    assert (answer.answer, answer.tier) == (ODESA, "confident")


@pytest.mark.parametrize("question", ["Коли відкрили міст у Дніпрі?", "When was the bridge in Dnipro opened?"])
def test_when_the_day_sits_in_the_dateline_the_answer_quotes_it(engine, question):
    # was "У Дніпрі в суботу урочисто відкрили новий автомобільний міст через річку Самарку.": no date
    assert engine.ask(question).answer == DNIPRO


def test_a_question_about_one_day_is_not_answered_by_a_story_dated_another(engine):
    # "Що сталося 12 січня 2026 року?" was "București, 22 aprilie 2026.", confident
    assert engine.ask("Що сталося 12 січня 2026 року?").answer == ENERGY
    assert ODESA not in [c.text for c in engine.rank("What happened in Odesa on 3 May 2026?")]


def test_the_days_a_sentence_names_in_four_languages_and_whether_a_question_asks_another():
    assert [sorted(days(s)) for s in ("Одеса, 3 квітня 2026 р.", "What happened on April 20?", "Galaţi, 30.05.2026.",
                                      "Ce s-a întâmplat pe 30 mai 2026?", "Что случилось 3 апреля?", "Au venit 5 mai mulți.",
                                      "They may 3 times.", "What happened in May 2026?")] == [
        [(4, 3, 2026)], [(4, 20, None)], [(5, 30, 2026)], [(5, 30, 2026)], [(4, 3, None)], [], [], []]
    assert [another_day(ODESA, q) for q in ("What happened in Odesa on 3 May 2026?", "What happened on 3 April?",
                                             "Що сталося 3 квітня 2025 року?", "What happened in Odesa?")] == [
        True, False, True, False]
    assert another_day("The port said so.", "What happened on 3 May 2026?") is False


MORE = {
    "en_jazz_festival.md": "---\nTitle: Riverton jazz festival opens\nDate: 2026-04-01\n---\n\nRiverton, April 1, 2026. The Riverton jazz festival will run from 1 to 5 April in the old harbour, its organisers said on Wednesday.\n\nTickets cost 40 dollars a day. The mayor, J. Hale, will open it.\n",
    "uk_vybukh_kharkiv.md": "---\nTitle: Вибух у Харкові\nDate: 2026-01-13\n---\n\nХарків, 13 січня 2026 р. Учора ввечері в центрі Харкова пролунав вибух, пошкоджено 12 будинків.\n\nПостраждалих немає, повідомив мер І. Терехов.\n",
    "en_harbour_strike.md": "---\nTitle: Harbour strike\nDate: 2026-05-20\n---\n\nPortsmouth, 20 May 2026.\n\n## Background\n\nDock workers in Portsmouth began an indefinite strike over pay, the union said.\n\nThe strike halted 40 ships.\n",
}


@pytest.fixture(scope="module")
def more(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("more_datelines"), MORE)


def test_a_dateline_is_quoted_with_the_sentence_after_it_only_where_no_heading_stands_between(more):
    # was "Portsmouth, 20 May 2026.\n\n## Background\n\nDock workers in Portsmouth began ...": a heading in the quote
    answer = more.ask("What did dock workers in Portsmouth begin?")
    assert answer.answer == "Dock workers in Portsmouth began an indefinite strike over pay, the union said."
    source = answer.sources[0]
    assert source.passage[source.sentence[0] - source.start:source.sentence[1] - source.start] == answer.answer


FESTIVAL = ("Riverton, April 1, 2026. The Riverton jazz festival will run from 1 to 5 April in the old harbour, its organisers "
            "said on Wednesday.")


@pytest.mark.parametrize("question", ["What happens in Riverton on April 3?", "What will happen on 3 April in Riverton?"])
def test_a_question_about_a_day_within_a_span_of_days_a_sentence_names_is_answered_by_it(more, question):
    # was not found, or "The mayor, J. Hale, will open it.": "from 1 to 5 April" read as 5 April alone
    answer = more.ask(question)
    assert (answer.answer, answer.tier) == (FESTIVAL, "confident")


def test_the_days_of_a_span_are_each_named():
    assert [sorted(days(s)) for s in ("from 1 to 5 April", "April 29–May 2, 1961", "з 30 березня по 2 квітня 2026 р.",
                                      "între 3 și 4 mai 2026", "on 1 and 3 June")] == [
        [(4, d, None) for d in range(1, 6)], [(4, 29, 1961), (4, 30, 1961), (5, 1, 1961), (5, 2, 1961)],
        [(3, 30, 2026), (3, 31, 2026), (4, 1, 2026), (4, 2, 2026)], [(5, 3, 2026), (5, 4, 2026)],
        [(6, 1, None), (6, 3, None)]]
    assert sorted(days("between 1 and 3 June")) == [(6, 1, None), (6, 2, None), (6, 3, None)]


def test_a_day_written_in_numbers_year_first_or_as_an_ordinal_is_read():
    # were none of them: "2026-04-03", "3rd April", "the 4th of July", "July 4th, 1776", "3-го квітня", "on 3 May"
    assert [sorted(days(s)) for s in ("What happened on 2026-04-03?", "on 3rd April", "on the 4th of July, 1776",
                                      "July 4th, 1776", "Що сталося 3-го квітня?", "Что случилось 3-го апреля?",
                                      "What happened on 3 May?", "Build 2026-04-031.")] == [
        [(4, 3, 2026)], [(4, 3, None)], [(7, 4, 1776)], [(7, 4, 1776)], [(4, 3, None)], [(4, 3, None)], [(5, 3, None)],
        []]


def test_a_question_about_a_day_written_year_first_is_not_answered_by_a_story_dated_another(engine):
    # was "Київ, 12 січня 2026 р. Через сильні морози ...", confident
    assert engine.ask("What happened on 2026-04-03?").answer == ODESA


KHARKIV = "Харків, 13 січня 2026 р. Учора ввечері в центрі Харкова пролунав вибух, пошкоджено 12 будинків."


def test_a_lead_telling_of_yesterday_or_a_weekday_names_that_day_not_its_datelines_alone(more):
    # "Що сталося в Харкові 12 січня?" was not found: the story, dated the 13th, was skipped
    assert sorted(days(KHARKIV)) == [(1, 12, 2026), (1, 13, 2026)]
    assert sorted(days("Odesa, April 25, 2026. On Friday the port loaded 40 ships.")) == [(4, 24, 2026), (4, 25, 2026)]
    assert more.ask("Що сталося в Харкові 12 січня?").answer == KHARKIV


def test_a_month_or_weekday_typed_with_a_turkish_capital_i_or_a_long_s_is_read_as_that_day():
    # each raised KeyError ('apri̇l', 'auguſt', 'fri̇day'): the pattern, case-blind, matched "APRİL" (a Turkish
    # keyboard's capital I) and "Auguſt" (an old print's long s), whose lower case is no month's key; every dated
    # question whose candidates held one, and every question that named one, ended in a traceback
    assert [sorted(days(s)) for s in ("ANKARA, 20 APRİL 2026.", "on 3 Auguſt 1776", "from 1 to 3 Auguſt",
                                      "APRİL 29–MAY 1, 1961", "Odesa, April 25, 2026. On FRİDAY the port loaded.",
                                      "Riga, 3 ſeptember 2026. Yeſterday it rained.")] == [
        [(4, 20, 2026)], [(8, 3, 1776)], [(8, 1, None), (8, 2, None), (8, 3, None)],
        [(4, 29, 1961), (4, 30, 1961), (5, 1, 1961)], [(4, 24, 2026), (4, 25, 2026)], [(9, 2, 2026), (9, 3, 2026)]]


def test_a_question_naming_a_day_with_a_turkish_capital_i_is_answered(more):
    # was a traceback (KeyError: 'apri̇l') for the question, and for any dated question whose candidates held "APRİL"
    assert more.ask("What happens in Riverton on APRİL 3?").answer == FESTIVAL
