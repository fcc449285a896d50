"""A corpus in several languages: a question is read over the articles in its own language as over a corpus in
it, and across languages over the others, with the real multilingual-e5-small."""

import re

import pytest

from bot.answer import supplies
from bot.conversation import Conversation
from bot.render import to_html, to_text
from index.near_duplicates import dateline
from tests.newsroom import engine_over

ARTICLES = {
    "uk_school.txt": "date 2024-02-03 У Харкові відкрили підземну школу\n\nПерша в Україні підземна школа "
    "запрацювала в Харкові 3 лютого 2024 р. Її збудували на глибині 6 м під землею.\n\nШкола розрахована на "
    "900 учнів, які навчатимуться у дві зміни. За словами мера Ігоря Терехова, будівництво коштувало близько "
    "70 млн грн.\n",
    "uk_tram.txt": "date 2023-05-12 Львів закупить нові трамваї\n\nУ 2023 р. Львівська міська рада ухвалила "
    "рішення про закупівлю 20 нових трамваїв. Вартість контракту становить 1 250 000 000 грн. Перші вагони "
    "прибудуть до м. Львова вже восени.\n\nМіський голова Андрій Садовий заявив: «Ми оновлюємо транспорт, бо "
    "люди на це заслуговують».\n",
    "uk_bridge.txt": "date 2024-06-01 Київ: ремонт мосту Патона\n\nМіст Патона в Києві ремонтуватимуть до "
    "2026 р. Вартість робіт оцінюють у 1 200 млн грн.\n\nГолова КМДА Сергій Попко повідомив, що рух транспорту "
    "обмежать лише частково. Інженери виявили корозію на 40 % опор.\n",
    "ro_park.txt": "date 2023-09-18 Primăria Chișinău anunță un nou parc\n\nPrimăria municipiului Chișinău a "
    "anunțat deschiderea unui nou parc pe str. Ștefan cel Mare nr. 12. Lucrările au costat 15 000 000 de lei.\n\n"
    "Primarul Ion Ceban a declarat: „Vrem ca fiecare cartier să aibă un spațiu verde.” Potrivit lui, parcul va "
    "avea 300 de copaci și o fântână arteziană.\n",
    "en_moldova.txt": "date 2024-03-10 Moldova opens EU accession talks\n\nMoldova formally opened accession "
    "negotiations with the European Union in June 2024. President Maia Sandu called it a historic day for the "
    "country.\n\nThe talks are expected to take several years. Moldova applied for membership in March 2022, days "
    "after Russia's invasion of Ukraine.\n",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("mixed"), ARTICLES)


def test_the_corpus_reads_in_its_main_language_and_in_each_a_tenth_of_its_passages_are_in(engine):
    assert engine.corpus_language() == "uk"
    assert engine.corpus_languages() == {"uk", "ro", "en"}


@pytest.mark.parametrize("question, sentence", [
    # a Romanian question about the Romanian article, read across languages as the Ukrainian majority's corpus
    # was, cited the article's first sentence
    ("Câți copaci va avea noul parc din Chișinău?",
     "Potrivit lui, parcul va avea 300 de copaci și o fântână arteziană."),
    # a Ukrainian question about the English article, read with BM25 over Ukrainian words only, was not found
    ("Коли Молдова подала заявку на членство в ЄС?",
     "Moldova applied for membership in March 2022, days after Russia's invasion of Ukraine."),
    ("How deep is the underground school in Kharkiv?", "Її збудували на глибині 6 м під землею."),
    ("Скільки нових трамваїв закупить Львів?",
     "У 2023 р. Львівська міська рада ухвалила рішення про закупівлю 20 нових трамваїв."),
])
def test_a_question_is_answered_from_the_article_in_its_own_language_or_in_another(engine, question, sentence):
    answer = engine.ask(question)
    assert answer.found and answer.answer == sentence


@pytest.mark.parametrize("question", ["Cine a câștigat alegerile prezidențiale din Franța?", "Who is the mayor of Paris?",
                                      "Хто виграв чемпіонат світу з футболу 2018 року?"])
def test_a_question_no_article_answers_is_not_found_in_any_language(engine, question):
    assert not engine.ask(question).found


# The same stories in a Ukrainian and a Russian outlet (and others, so that the corpus reads in three languages).
REPORTS = {
    "ru_port.txt": "date 2026-11-24 Порт Одессы принял рекордное число судов\n\nВ ноябре 2026 г. порт Одессы принял 312 "
    "судов, т.е. на 40% больше, чем годом ранее. Об этом сообщил директор порта А. С. Кравченко.\n",
    "uk_port.txt": "date 2026-11-26 Одеський порт прийняв рекордну кількість суден\n\nУ листопаді 2026 р. Одеський "
    "морський порт прийняв 312 суден, тобто на 40% більше, ніж роком раніше. Про це повідомив директор порту "
    "О. С. Кравченко.\n",
    "ru_bread.txt": "date 2026-11-10 Хлеб в Киеве подорожал\n\nЦена хлеба в Киеве выросла до 32 грн. Пекари объясняют "
    "это ростом цен на муку.\n",
    "uk_bread.txt": "date 2026-11-15 Хліб у Києві подорожчав\n\nЦіна хліба в Києві зросла до 35 грн. Пекарі пояснюють "
    "це зростанням цін на борошно.\n",
    "uk_bridge.txt": "date 2026-11-18 У Києві добудують Подільський міст\n\nКиївська міська рада виділила ще 4,7 млрд "
    "грн на Подільський міст. Рух мостом мають відкрити до кінця 2027 р.\n",
    "uk_meat.txt": "date 2026-11-25 Ціни на м'ясо зросли\n\nУ жовтні свинина подорожчала на 18%. Середня ціна "
    "кілограма свинини в Харкові сягнула 245 грн.\n",
    "ro_paine.txt": "date 2026-11-12 Pâinea se scumpește la Chișinău\n\nPrețul unei pâini la Chișinău a crescut la 10 "
    "lei. Brutarii spun că făina s-a scumpit.\n",
    "ro_paine_2.txt": "date 2026-11-19 Pâinea, tot mai scumpă la Chișinău\n\nPrețul unei pâini la Chișinău a crescut la "
    "12 lei. Brutarii spun că făina s-a scumpit din nou.\n",
    "ro_pod.txt": "date 2026-11-20 Un nou pod la Iași\n\nConsiliul Județean Iași a aprobat proiectul podului peste "
    "Bahlui, în valoare de 86 de milioane de lei. Lucrările vor începe în martie 2027.\n",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("reports"), REPORTS)


@pytest.mark.parametrize("question", ["Скільки суден прийняв порт Одеси в листопаді?",
                                      "Сколько судов принял порт Одессы в ноябре?"])
def test_the_same_story_in_a_ukrainian_and_a_russian_outlet_is_also_reported_by_the_other(reports, question):
    # each was answered from one outlet with no word of the other, which the other reading of the question held
    answer = reports.ask(question)
    assert answer.found
    assert {answer.sources[0].doc, *(s.doc for s in answer.also_reported_by)} == {"ru_port.txt", "uk_port.txt"}


@pytest.mark.parametrize("question", ["До скількох гривень зросла ціна хліба в Києві?",
                                      "До скольких гривен выросла цена хлеба в Киеве?", "Скільки коштує хліб у Києві?"])
def test_a_later_report_in_the_other_language_with_other_figures_is_the_answer_and_the_earlier_reported_differently(
        reports, question):
    # each cited the Russian outlet's earlier "32 грн" and said nothing of the Ukrainian one's "35 грн" five days on
    answer = reports.ask(question)
    assert answer.found and answer.answer == "Ціна хліба в Києві зросла до 35 грн."
    assert [s.doc for s in answer.reported_differently_by] == ["ru_bread.txt"]


@pytest.mark.parametrize("question, line", [
    ("Скільки коштує хліб у Києві?",
     "  Інакше повідомляють: «Цена хлеба в Киеве выросла до 32 грн.» — Цена хлеба в Киеве выросла до 32 грн., "
     "2026-11-10 (ru_bread.txt)"),
    ("До скольких гривен выросла цена хлеба в Киеве?",
     "  Иначе сообщают: «Цена хлеба в Киеве выросла до 32 грн.» — Цена хлеба в Киеве выросла до 32 грн., "
     "2026-11-10 (ru_bread.txt)"),
    ("La cât a crescut prețul unei pâini la Chișinău?",
     "  Relatează altfel: „Prețul unei pâini la Chișinău a crescut la 10 lei.” — Prețul unei pâini la Chișinău a "
     "crescut la 10 lei., 2026-11-12 (ro_paine.txt)"),
])
def test_the_sentence_reported_differently_is_quoted_as_the_questions_language_quotes(reports, question, line):
    # it was quoted in English marks, “Цена хлеба…”, where every other quotation of the bot's Ukrainian and Russian
    # words is in «», and its Romanian in „”
    answer = reports.ask(question)
    assert line in to_text(answer).split("\n")
    assert to_html(answer)[-1].endswith(line.split(": ", 1)[1])


# Agency news open with a dateline, the place and the day ("Cluj-Napoca, 21 aprilie."), in each language's order.
DATELINED = {
    "en_port.txt": "Odesa port handles record grain volumes\n\nOdesa, April 25, 2026. The port of Odesa handled a "
    "record 5.1 million tonnes of grain in April, the port authority said on Friday.\n\nMost of the cargo was corn, "
    "bound for Spain and Egypt. The previous record, 4.8 million tonnes, was set in 2021.\n",
    "ro_metro.txt": "date 2026-04-21 Metroul din Cluj-Napoca primește finanțare\n\nCluj-Napoca, 21 aprilie. "
    "Ministerul Transporturilor a semnat contractul de finanțare pentru prima linie de metrou din Cluj-Napoca, în "
    "valoare de 1,2 mld. euro. Lucrările vor începe în luna iunie, a anunțat ministrul.\n\nPrima stație va fi "
    "construită pe str. Avram Iancu nr. 15, lângă Piața Unirii. Linia va avea 21 km și 19 stații.\n",
    "uk_bridge.txt": "date 2026-04-20 У Києві відкрили міст після ремонту\n\nКиїв, 20 квітня. У м. Київ після "
    "дворічного ремонту відкрили Північний міст через р. Дніпро. Вартість робіт склала 1,5 млрд грн.\n\nРемонт "
    "мосту почався у 2024 р. Роботи тривали 26 міс.\n",
}


@pytest.fixture(scope="module")
def datelined(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("datelined"), DATELINED)


def test_the_months_of_ukrainian_russian_and_romanian_dates_say_when_and_their_day_counts_nothing():
    assert [supplies(s, "time", "Коли?") for s in ("Київ, 20 квітня.", "В марте цены выросли.", "Lucrările încep în "
            "luna iunie.", "Suceava, 3 mai.", "Au venit mai mulți.")] == [True, True, True, True, False]
    assert [supplies(s, "number", "Скільки?") for s in ("Київ, 20 квітня.", "Suceava, 3 mai.", "Au venit 140.")] == [
        False, False, True]


def test_a_name_spelt_as_a_month_says_no_when_but_a_day_before_it_does():
    # "Марта" and "Мая" are March's and May's genitive, written small; with a capital and no day they are names
    assert [supplies(s, "time", "Коли вона виграла?") for s in (
        "Марта Костюк вийшла до фіналу.", "Мая Плисецкая танцевала в Большом театре.", "8 Марта всем дарят цветы.",
        "Турнір почався 3 березня.")] == [False, False, True, True]


def test_februarys_ukrainian_name_as_the_adjective_fierce_says_no_when_but_after_a_day_or_in_says_when():
    # "лютий", "лютого", "лютому" are February and also "fierce": "лютий мороз" is a frost, not a date
    assert [supplies(s, "time", "Коли?") for s in (
        "Стоїть лютий мороз.", "Він зустрів лютого ворога.", "Київ, 20 лютого.", "У лютому ціни зросли.",
        "Ціни зростали до лютого.", "Це був лютий 2024 року.")] == [False, False, True, True, True, True]


def test_romanian_may_after_pe_or_din_and_a_day_says_when_though_a_verb_follows_it():
    # "pe 20 mai a fost" is the way a Romanian date is most often written: neither a stop nor a year after "mai"
    assert [supplies(s, "time", "Când?") for s in ("Pe 20 mai a fost inaugurat metroul.", "Din 1 mai se schimbă orarul.",
                                                    "Au ajuns la 5 mai mulți.")] == [True, True, False]
    assert [supplies(s, "number", "Câți?") for s in ("Pe 20 mai a fost inaugurat metroul.", "Au ajuns la 5 mai mulți.",
                                                      "Pe 5 mai puțini au venit.")] == [False, True, True]


@pytest.mark.parametrize("topic, follow_up", [("Unde va fi construită prima stație de metrou?", "şi când?"),
                                              ("Де відкрили Північний міст?", "а коли?")])
def test_a_when_follow_up_stays_with_its_topics_article_not_an_english_dateline(datelined, topic, follow_up):
    # only the English dateline's month was a date: "şi când?" after the metro was answered "Odesa, April 25, 2026."
    chat = Conversation(datelined)
    first = chat.ask(topic)
    answer = chat.ask(follow_up)
    assert answer.found and answer.sources[0].doc == first.sources[0].doc


# Four Romanian agency stories, each opening with its dateline, the place and the day alone ("București, 22 aprilie
# 2026."), a sentence of its own
AGENCY = {
    "ro_wine.md": ("Festivalul Vinului de la Chişinău a atras 120 de mii de vizitatori", "2025-10-06", """\
Chişinău, 6 octombrie 2025. Peste 120 de mii de persoane au vizitat în acest weekend Festivalul Naţional al Vinului, \
desfăşurat în Piaţa Marii Adunări Naţionale. Au participat 73 de vinării din R. Moldova.

Un pahar de degustare a costat 25 de lei, iar biletul de intrare a fost gratuit.

Cea mai mare medalie a festivalului a revenit vinăriei Castel Mimi, din s. Bulboaca. Următoarea ediţie va avea loc \
în prima săptămână din oct. 2026.
"""),
    "ro_metro.md": ("Magistrala 6 de metrou va fi gata în 2028, spune Metrorex", "2026-04-22", """\
București, 22 aprilie 2026. Magistrala 6 de metrou, care va lega Gara de Nord de Aeroportul Henri Coandă, va fi \
finalizată în 2028, a anunțat miercuri directorul Metrorex, Gr. Popescu.

Tronsonul are 14,2 km și 12 stații. Costul total este estimat la 1,63 mld. euro.
"""),
    "ro_tennis.md": ("Sorana Cîrstea a câștigat turneul de la Constanța", "2026-06-15", """\
Constanța, 15 iunie 2026. Jucătoarea de tenis Sorana Cîrstea a câștigat duminică turneul WTA 250 de la Constanța, \
după ce a învins-o în finală pe americanca J. Pegula cu 6-4, 7-5.

Meciul a durat o oră și 48 de minute. Pe stadion au fost prezenți aproximativ 4 mii de spectatori.
"""),
    "ro_floods.md": ("Inundaţii în judeţul Galaţi: 300 de case afectate", "2026-05-30", """\
Galaţi, 30 mai 2026. Ploile torenţiale din ultimele 48 de ore au afectat peste 300 de gospodării din jud. Galaţi, \
a anunţat ISU.

Pompierii au intervenit cu 25 de autospeciale şi 4 bărci. Guvernul va aloca 15 mil. lei din Fondul de rezervă \
pentru sinistraţi.
"""),
}


@pytest.fixture(scope="module")
def agency(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("agency"), {
        name: f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}" for name, (title, date, body) in AGENCY.items()})


@pytest.mark.parametrize("question", ["When will the next wine festival take place?",
                                      "Коли відбудеться наступний фестиваль вина?"])
def test_another_storys_dateline_alone_neither_reports_an_answer_nor_reports_it_differently(agency, question):
    # a place and a day alone read to e5 as near any sentence with a date (0.91): the wine festival's next edition was
    # "Also reported by" the metro, the tennis and the floods, each by its dateline
    answer = agency.ask(question)
    assert answer.answer == "Următoarea ediţie va avea loc în prima săptămână din oct. 2026."
    assert (answer.also_reported_by, answer.reported_differently_by) == ([], [])
    assert to_text(answer).splitlines()[-1] == (
        "  — Festivalul Vinului de la Chişinău a atras 120 de mii de vizitatori, 2025-10-06 (ro_wine.md)")


# The same stories with the day of their dateline in digits, as Ukrainian and Romanian sites often write it
NUMBERED = {name: (title, date, re.sub(r"^([\w-]+), (\d+) (\w+) (\d{4})\.", lambda m: "{}, {:02d}.{}.{}.".format(
    m[1], int(m[2]), {"aprilie": "04", "mai": "05", "iunie": "06", "octombrie": "10"}[m[3]], m[4]), body))
            for name, (title, date, body) in AGENCY.items()}


@pytest.fixture(scope="module")
def numbered(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("numbered"), {
        name: f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}" for name, (title, date, body) in NUMBERED.items()})


@pytest.mark.parametrize("question", ["When will the next wine festival take place?",
                                      "Коли відбудеться наступний фестиваль вина?"])
def test_a_dateline_of_a_day_in_digits_neither_reports_an_answer_nor_reports_it_differently(numbered, question):
    # "Galaţi, 30.05.2026." read as a quantity, 30.05, and a year: the festival was "Також повідомляють" the floods
    assert [body.split(". ", 1)[0] for _, _, body in NUMBERED.values()] == [
        "Chişinău, 06.10.2025", "București, 22.04.2026", "Constanța, 15.06.2026", "Galaţi, 30.05.2026"]
    answer = numbered.ask(question)
    assert answer.answer == "Următoarea ediţie va avea loc în prima săptămână din oct. 2026."
    assert (answer.also_reported_by, answer.reported_differently_by) == ([], [])
    assert to_text(answer).splitlines()[-1] == (
        "  — Festivalul Vinului de la Chişinău a atras 120 de mii de vizitatori, 2025-10-06 (ro_wine.md)")


# An English timeline whose headings are written in Title Case, each a fact and its day, no dateline
TIMELINE = {
    "invasion.md": ("A year of war", "2023-02-24", """\
Russia launched its full-scale invasion of Ukraine on 24 February 2022, attacking from the north, east and south.

Millions of Ukrainians fled abroad in the first weeks.
"""),
    "timeline.md": ("Timeline of the war", "2023-03-01", """\
## Russia Invaded Ukraine On 24 February 2022

Columns of tanks crossed the border before dawn.

## Bucha Was Liberated On 31 March 2022

Ukrainian troops entered the town after Russian forces withdrew.
"""),
}


@pytest.fixture(scope="module")
def timeline(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("timeline"), {
        name: f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}" for name, (title, date, body) in TIMELINE.items()})


def test_a_heading_in_title_case_that_states_a_fact_and_its_day_is_no_dateline_and_still_reports_the_answer(timeline):
    # its capitalised words read as a dateline's names, "Russia Invaded Ukraine On 24 February 2022" reported nothing
    answer = timeline.ask("When did Russia invade Ukraine?")
    assert answer.answer == ("Russia launched its full-scale invasion of Ukraine on 24 February 2022, attacking from "
                             "the north, east and south.")
    assert to_text(answer).splitlines()[-2:] == [
        "  — A year of war, 2023-02-24 (invasion.md)", "  Also reported by: Timeline of the war, 2023-03-01 (timeline.md)"]


# The same stories, the floods' from a town whose name has a particle in lower case, as many have ("Baia de Aramă",
# "Rio de Janeiro", "Rostov-on-Don") or an apostrophe ("Слов'янськ", "Кам'янець-Подільський")
PARTICLED = {name: (title, date, body.replace("Galaţi, 30 mai 2026.", "Baia de Aramă, 30 mai 2026."))
             for name, (title, date, body) in AGENCY.items()}


@pytest.fixture(scope="module")
def particled(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("particled"), {
        name: f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}" for name, (title, date, body) in PARTICLED.items()})


def test_a_dateline_of_a_place_named_with_a_particle_or_an_apostrophe_reports_no_answer(particled):
    # "Baia de Aramă, 30 mai 2026." read as a sentence with a word in lower case, "de": the wine festival was
    # "Також повідомляють" the floods
    answer = particled.ask("Коли відбудеться наступний фестиваль вина?")
    assert answer.answer == "Următoarea ediţie va avea loc în prima săptămână din oct. 2026."
    assert (answer.also_reported_by, answer.reported_differently_by) == ([], [])
    # so any such place's, in any language
    assert [dateline(s) for s in ("Baia de Aramă, 30 mai 2026.", "Rostov-on-Don, May 30, 2026.",
                                  "Слов'янськ, 2 лютого 2026 р.", "Кам'янець-Подільський, 20 травня 2026 р.",
                                  "м. Київ, 12 січня 2026 р.")] == [True] * 5
    assert [dateline(s) for s in ("Kyiv, 12 January 2026: 15 killed.", "Вибори призначено на 31 березня 2024 р.",
                                  "Kyiv, on 12 January 2026.", "On 22 April 2026, in Bucharest.")] == [False] * 4
