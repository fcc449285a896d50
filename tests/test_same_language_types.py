"""What a question in Ukrainian, Romanian or Russian asks for ("Скільки", "Câte": a count; "Коли", "Când": a day) is read
from its own words over articles in its language, as over articles in another, and a sentence holding that kind of answer
is preferred in the passage: with the real multilingual-e5-small over six Ukrainian and Romanian agency stories."""

import pytest

from bot.answer import AnswerEngine
from bot.answering.answer_types import supplies
from bot.answering.question import analyse
from bot.calibration import engine_settings
from index.build import IndexBuilder, open_index
from index.e5_embedder import E5Embedder
from index.search import Searcher

STORIES = {
    'uk_mist_dnipro.md': "---\nTitle: У Дніпрі відкрили новий міст через Самарку\nDate: 2026-03-14\n---\n\nДніпро, 14 березня 2026 р. У Дніпрі в суботу урочисто відкрили новий автомобільний міст через річку Самарку. Його будівництво тривало 26 місяців і коштувало 1,5 млрд грн.\n\nМіський голова Б. Філатов заявив, що міст розвантажить лівий берег. «Ми чекали на цей день майже три роки, і тепер дорога з Ігрені до центру займатиме 20 хв., а не годину», – сказав він журналістам.\n\nДовжина мосту становить 1,2 км, ширина – 28 м. За даними управління транспорту, щодня ним проїжджатиме близько 35 тис. автомобілів. Підрядником виступило ТОВ «Дніпромістбуд», яке очолює інж. О. Ковальчук.\n\nРоботи фінансували з міського бюджету (бл. 900 млн грн) та за кредитом ЄБРР. Наступний етап, реконструкцію розв'язки на вул. Широкій, планують завершити до кінця 2027 р.\n",
    'uk_shkola_lviv.md': '---\nTitle: У Львові збудували укриття для трьох шкіл\nDate: 2026-02-02\n---\n\nЛьвів, 2 лютого 2026 р. У Франківському районі м. Львова завершили будівництво підземного укриття, яке одночасно можуть використовувати три школи. Воно розраховане на 1 200 учнів і вчителів.\n\nУкриття збудували за 7 міс. замість запланованих десяти. Вартість робіт склала 84,6 млн грн, з них 60 млн грн виділила державна субвенція. «Діти більше не сидітимуть у холодних підвалах під час тривог», – наголосив директор департаменту освіти В. Лозинський.\n\nЗа словами заступника міського голови А. Москаленка, у 2026 р. місто планує звести ще чотири такі укриття. Загалом у Львові зараз навчається понад 80 тис. школярів.\n\nУ приміщенні є вентиляція, запас води на 72 год. та генератор потужністю 150 кВт. Укриття розташоване біля вул. Наукової, 12.\n',
    'uk_energy.md': '---\nTitle: Укренерго: споживання електроенергії зросло через морози\nDate: 2026-01-12\n---\n\nКиїв, 12 січня 2026 р. Через сильні морози споживання електроенергії в Україні в понеділок зросло на 6 % порівняно з минулим тижнем. Про це повідомили в НЕК «Укренерго».\n\nТемпература в північних областях опускалася до –22 °C. Пік споживання зафіксували о 18:30, коли він сягнув 15,8 тис. МВт. Енергетики закликали українців не вмикати одночасно кілька потужних приладів.\n\n«Ситуація в енергосистемі складна, але контрольована», – заявив голова правління В. Зайченко. За його словами, з Польщі, Словаччини та Румунії імпортували 1,3 тис. МВт.\n\nГрафіки відключень у понеділок не застосовували. Проте в Сумській та Чернігівській обл. через пошкодження мереж без світла залишалися 23 тис. абонентів.\n',
    'ro_spital_cluj.md': '---\nTitle: Spitalul Regional de Urgență Cluj primește prima autorizație\nDate: 2026-02-17\n---\n\nCluj-Napoca, 17 februarie 2026. Spitalul Regional de Urgență Cluj a primit autorizația de construire, a anunțat marți Ministerul Sănătății. Investiția este estimată la 2,3 mld. lei.\n\nNoul spital va avea 850 de paturi și 22 de săli de operație. Ministrul Sănătății, dl. A. Rogobete, a spus că „este un proiect pe care clujenii îl așteaptă de peste 15 ani”.\n\nTerenul, de 17 ha, se află în comuna Florești, jud. Cluj. Lucrările urmează să fie finalizate până în dec. 2029, potrivit calendarului publicat de minister.\n\nProf. univ. dr. D. Ionescu, coordonatorul proiectului, a precizat că spitalul va angaja aproximativ 2.500 de medici, asistente și alt personal.\n',
    'ro_pod_iasi.md': '---\nTitle: Primăria Iaşi a semnat contractul pentru pasajul de pe str. Păcurari\nDate: 2026-03-09\n---\n\nIaşi, 9 martie 2026. Primăria municipiului Iaşi a semnat luni contractul pentru construirea pasajului rutier de pe str. Păcurari. Valoarea lucrărilor este de 212 mil. lei, fără TVA.\n\nPrimarul M. Chirica a declarat că lucrările vor începe în aprilie şi vor dura 30 de luni. „Este cea mai mare investiţie în infrastructura rutieră a oraşului din ultimii 20 de ani”, a spus acesta.\n\nPasajul va avea o lungime de 640 m şi câte două benzi pe sens. Constructorul este asocierea condusă de SC Drumuri Moldova SRL, cu sediul în str. Ştefan cel Mare nr. 14.\n\nPotrivit dlui. Chirica, circulaţia va fi deviată pe str. Moara de Vânt pe toată durata şantierului. Proiectul este finanţat prin PNRR, în proporţie de 85 %.\n',
    'ro_metrou_bucuresti.md': '---\nTitle: Magistrala 6 de metrou va fi gata în 2028, spune Metrorex\nDate: 2026-04-22\n---\n\nBucurești, 22 aprilie 2026. Magistrala 6 de metrou, care va lega Gara de Nord de Aeroportul Henri Coandă, va fi finalizată în 2028, a anunțat miercuri directorul Metrorex, Gr. Popescu.\n\nTronsonul are 14,2 km și 12 stații. Costul total este estimat la 1,63 mld. euro, din care Japonia finanțează 70 % printr-un împrumut JICA.\n\n„Călătoria de la Gara de Nord la aeroport va dura 23 de minute”, a precizat dl. Popescu. El a adăugat că primele 6 stații, până la 1 Mai, vor fi deschise în cursul anului 2027.\n\nMinistrul Transporturilor a spus că proiectul a fost întârziat de contestații. Lucrările la stația Tokyo, din sect. 1, au început în ian. 2025 și sunt realizate în proporție de 40 %.\n',
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("same_language")
    (folder / "corpus").mkdir()
    for name, text in STORIES.items():
        (folder / "corpus" / name).write_text(text, encoding="utf-8")
    embedder = E5Embedder()
    store = open_index(IndexBuilder(folder / "corpus", folder / "index", embedder))
    return AnswerEngine(Searcher(store, embedder), **engine_settings(embedder.model))


@pytest.mark.parametrize("question, answer", [
    # was the story's lead, quoted with its dateline ("Cluj-Napoca, 17 februarie 2026. Spitalul Regional ...")
    ("Câte paturi va avea spitalul din Cluj?", "Noul spital va avea 850 de paturi și 22 de săli de operație."),
    # was the lead again ("Cluj-Napoca, 17 februarie 2026. Spitalul Regional de Urgență Cluj a primit autorizația ...")
    ("Când vor fi finalizate lucrările la spitalul din Cluj?",
     "Lucrările urmează să fie finalizate până în dec. 2029, potrivit calendarului publicat de minister."),
])
def test_a_question_for_a_count_or_a_day_is_answered_by_the_sentence_that_gives_it_in_the_articles_language(
        engine, question, answer):
    assert engine.ask(question).answer == answer


@pytest.mark.parametrize("question, language, wants", [
    ("Скільки коштував міст через Самарку?", "uk", "number"),
    ("Câte paturi va avea spitalul din Cluj?", "ro", "number"),
    ("Коли відкрили міст у Дніпрі?", "uk", "time"),
    ("Şi când a fost semnat contractul?", "ro", "time"),
    ("Когда открыли мост?", "ru", "time"),
    # a person or a place: the sentences' names are not read for one in Cyrillic, so none is asked for, as before
    ("Хто очолює ТОВ «Дніпромістбуд»?", "uk", None),
    ("Unde se află terenul spitalului?", "ro", None),
    # an English question is read by its own words, as before
    ("How much did the bridge cost?", "en", "number"),
    ("Cat food prices: what rose?", "en", None),
])
def test_what_a_question_asks_for_over_articles_in_its_language_is_read_from_its_own_words(
        engine, question, language, wants):
    assert analyse(question, None, engine.store.bm25, language=language).wants == wants


def test_a_when_question_answered_by_a_lead_whose_dateline_gives_the_day_stays_confident(engine):
    # the lead alone gives no day: judged by it alone, asking for one, "Коли відкрили міст у Дніпрі?" fell to "uncertain"
    answer = engine.ask("Коли відкрили міст у Дніпрі?")
    assert (answer.answer, answer.tier) == (
        "Дніпро, 14 березня 2026 р. У Дніпрі в суботу урочисто відкрили новий автомобільний міст через річку Самарку.",
        "confident")


def test_a_follow_up_in_ukrainian_or_romanian_is_read_as_before_for_what_it_asks(engine):
    # its topic's sentence outweighs the day it lacks: wanting one judged the topic's article below another's dateline
    assert analyse("şi când?", "Câte paturi va avea spitalul din Cluj?", engine.store.bm25, language="ro").wants is None


@pytest.mark.parametrize("question, answer", [
    # was the lead ("Дніпро, 14 березня 2026 р. У Дніпрі в суботу урочисто відкрили новий ... міст через річку Самарку.")
    ("Скільки коштував міст через Самарку?", "Його будівництво тривало 26 місяців і коштувало 1,5 млрд грн."),
    # was "Загалом у Львові зараз навчається понад 80 тис. школярів." (how many pupils the city has)
    ("Скільки учнів вміщує укриття у Львові?", "Воно розраховане на 1 200 учнів і вчителів."),
])
def test_a_sentence_opening_with_a_ukrainian_pronoun_is_read_with_the_one_before_it_that_names_what_it_means(
        engine, question, answer):
    assert engine.ask(question).answer == answer


@pytest.mark.parametrize("sentence, question, supplied", [
    ("Укриття можуть використовувати три школи.", "Скільки шкіл?", True),
    ("Місто планує звести ще чотири такі укриття.", "Скільки укриттів?", True),
    ("Ми чекали на цей день майже три роки.", "Скільки років?", True),
    ("Укриття збудували за сім місяців.", "Скільки місяців?", True),
    ("Пасаж будет иметь две полосы в каждую сторону.", "Сколько полос?", True),
    ("Pasajul va avea câte două benzi pe sens.", "Câte benzi?", True),
    ("Au participat mii de oameni.", "Câți oameni au participat?", True),
    # a family, a new law, opting out: no count
    ("Сім'я отримала нову квартиру.", "Скільки квартир?", False),
    ("Parlamentul a adoptat o nouă lege.", "Câte legi?", False),
    ("Users can opt out of the survey.", "How many users?", False),
])
def test_a_count_written_in_words_in_ukrainian_russian_or_romanian_is_a_count_as_in_english(sentence, question, supplied):
    assert supplies(sentence, "number", question) is supplied


def test_a_question_for_a_count_the_lead_gives_in_words_stays_confident(engine):
    # "три школи" was read as no count: asking for one, the lead was judged "uncertain" (0.41; 0.56 before it was asked)
    answer = engine.ask("Скільки шкіл зможуть використовувати укриття у Львові?")
    assert (answer.answer, answer.tier) == (
        "Львів, 2 лютого 2026 р. У Франківському районі м. Львова завершили будівництво підземного укриття, яке "
        "одночасно можуть використовувати три школи.", "confident")
