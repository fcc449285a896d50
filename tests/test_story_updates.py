"""A story that moves: outlets' and days' reports of one fact with other figures (a death toll that rose)."""

import pytest

from bot.answer import AnswerEngine
from index.near_duplicates import disagree, figures
from bot.render import to_html, to_text
from index.build import IndexBuilder, open_index
from index.search import Searcher

STORIES = {
    "herald.md": ("Floods in Riverton: death toll rises to 12", "2026-11-01", """\
Heavy rain caused the Dell river to burst its banks in Riverton on Saturday night.

The death toll from the floods in Riverton rose to 12 on Sunday, the regional emergency service said.

Rescue teams are still searching for three missing residents in the lower town. About 400 people were evacuated to \
the sports hall on Mill Street.
"""),
    "gazette.md": ("Riverton floods kill 12", "2026-11-01", """\
Heavy rain caused the Dell river to burst its banks in Riverton on Saturday night.

The death toll from the floods in Riverton rose to 12 on Sunday, the regional emergency service said.

Rescue teams are still searching for three missing residents. About 400 people were evacuated to a sports hall.
"""),
    "courier.md": ("Riverton floods: death toll climbs to 15", "2026-11-03", """\
The Dell river flooded Riverton over the weekend after two days of heavy rain.

The death toll from the floods in Riverton rose to 15 on Tuesday, the regional emergency service said.

The three missing residents of the lower town were found dead on Monday. About 400 people remain in the sports \
hall on Mill Street.
"""),
}

# The answer both phrasings get: the courier's later toll, and an earlier report of 12, whose article ends the line
COURIER = """\
This may not answer it exactly; the closest passage:

  │ The Dell river flooded Riverton over the weekend after two days of heavy rain.
  │ »The death toll from the floods in Riverton rose to 15 on Tuesday, the regional
  │ emergency service said.«
  │ The three missing residents of the lower town were found dead on Monday. About 400
  │ people remain in the sports hall on Mill Street.
  — Riverton floods: death toll climbs to 15, 2026-11-03 (courier.md)
  Reported differently by: “The death toll from the floods in Riverton rose to 12 on Sunday, the regional \
emergency service said.” — """


# One count in words ("Twelve"), the same in digits the same day, and a later article's other count
WORDED = {
    "post.md": ("Twelve hurt in Ashford warehouse fire", "2026-11-02", """\
Firefighters worked through the night at the paper warehouse on Quay Road in Ashford.

Twelve people were injured in the fire at the Ashford warehouse on Monday, the county fire service said.

One of the injured, a night guard, was taken to the county hospital in Dunmore.
"""),
    "tribune.md": ("Blaze at Ashford paper store", "2026-11-02", """\
A fire broke out late on Monday in a paper warehouse by the river in Ashford.

12 people were injured in the fire at the Ashford warehouse on Monday, the county fire service said.

The cause of the fire is not yet known, and the road stays closed.
"""),
    "ledger.md": ("Ashford fire: more injured found", "2026-11-04", """\
Investigators began searching the burnt-out warehouse in Ashford on Wednesday.

15 people were injured in the fire at the Ashford warehouse on Monday, the county fire service said.

Three of them had gone to a clinic in Dunmore on their own and were counted later.
"""),
}

# A wire story as two outlets ran it two days apart: word for word, but for the toll and its day
WIRE = """\
A landslide buried part of the mountain village of Corbu after a week of rain, the county prefect said.

The number of dead in the Corbu landslide rose to {} on {}, and rescuers were still digging through the mud.

Around 150 residents were moved to a school in the next valley, where the Red Cross set up a field kitchen.
"""
WIRED = {"wire-sunday.md": ("Corbu landslide: 6 dead", "2026-11-01", WIRE.format(6, "Sunday")),
         "wire-tuesday.md": ("Corbu landslide: 9 dead", "2026-11-03", WIRE.format(9, "Tuesday"))}


def _engine(folder, stories, embedder):
    (folder / "corpus").mkdir()
    for name, (title, date, body) in stories.items():
        (folder / "corpus" / name).write_text(f'---\ntitle: "{title}"\ndate: "{date}"\n---\n\n{body}', encoding="utf-8")
    store = open_index(IndexBuilder(folder / "corpus", folder / "index", embedder))
    return AnswerEngine(Searcher(store, embedder))


@pytest.fixture(scope="module")
def engine(tmp_path_factory, embedder):
    return _engine(tmp_path_factory.mktemp("story"), STORIES, embedder)


@pytest.fixture(scope="module")
def worded(tmp_path_factory, embedder):
    return _engine(tmp_path_factory.mktemp("worded"), WORDED, embedder)


@pytest.fixture(scope="module")
def wired(tmp_path_factory, embedder):
    return _engine(tmp_path_factory.mktemp("wired"), WIRED, embedder)


def test_an_earlier_report_of_another_death_toll_is_reported_differently_not_also_reported(engine):
    answer = engine.ask("What is the latest death toll in Riverton?")
    assert to_text(answer) == COURIER + "Floods in Riverton: death toll rises to 12, 2026-11-01 (herald.md)"
    assert answer.also_reported_by == []
    assert to_html(answer)[-1] == (
        "Reported differently by:\n• “The death toll from the floods in Riverton rose to 12 on Sunday, the regional "
        "emergency service said.” — Floods in Riverton: death toll rises to 12, 2026-11-01 (herald.md)")


def test_a_report_of_the_same_figures_in_other_words_still_corroborates():
    assert not disagree("The death toll rose to 1,500 on April 20.", "On 20 April, 1500 people had died.")
    assert not disagree("The summit will be held in Vilnius in July.", "Vilnius hosts the summit on July 11.")
    assert disagree("The death toll rose to 12 on Sunday.", "The death toll rose to 15 on Tuesday.")


def test_a_later_report_of_a_risen_death_toll_is_the_answer_and_the_earlier_one_reported_differently(engine):
    answer = engine.ask("How many people died in the Riverton floods?")
    assert to_text(answer) == COURIER + "Riverton floods kill 12, 2026-11-01 (gazette.md)"


# A later article of the same wording about another town: its toll is no update of Riverton's
MILLBROOK = {"valley.md": ("Millbrook floods: toll rises to 20", "2026-11-04", """\
The Ash river flooded Millbrook over the weekend after two days of heavy rain.

The death toll from the floods in Millbrook rose to 20 on Wednesday, the regional emergency service said.

Rescue teams are still searching the lower town. About 300 people were evacuated to the school on Church Road.
""")}


@pytest.mark.parametrize("question", ["How many people died in the Riverton floods?",
                                      "What is the latest death toll in Riverton?",
                                      # as typed in a chat: all in lower case, or the town first
                                      "how many people died in the riverton floods?",
                                      "Riverton floods: how many people died?"])
def test_a_later_toll_of_another_town_is_not_the_update_of_the_town_asked_about(tmp_path, embedder, question):
    # Millbrook's 20 of 4 November was the answer, Riverton's 15 and 12 "reported differently": its sentence says the
    # same but for the town and the figure, and it was the latest
    answer = _engine(tmp_path, {**STORIES, **MILLBROOK}, embedder).ask(question)
    assert answer.answer == "The death toll from the floods in Riverton rose to 15 on Tuesday, the regional emergency " \
        "service said."
    assert answer.sources[0].doc == "courier.md"
    assert "valley.md" not in {s.doc for s in answer.reported_differently_by + answer.also_reported_by}


# Millbrook's toll, its first report naming Riverton upstream, and its later one naming Millbrook alone
DOWNSTREAM = {
    "valley.md": ("Millbrook floods: toll rises to 20", "2026-11-04", """\
The Ash river flooded Millbrook, ten miles downstream of Riverton, over the weekend.

The death toll from the floods in Millbrook rose to 20 on Wednesday, the regional emergency service said.

Rescue teams are still searching the lower town.
"""),
    "vale.md": ("Millbrook floods: toll rises to 25", "2026-11-06", """\
The Ash river flooded Millbrook over the weekend after two days of heavy rain.

The death toll from the floods in Millbrook rose to 25 on Friday, the regional emergency service said.

Rescue teams are still searching the lower town.
"""),
}


def test_a_follow_up_naming_another_town_is_answered_with_that_towns_update_though_the_first_report_names_both(
        tmp_path, embedder):
    # Millbrook's 20 of 4 November was the answer, its 25 of 6 November not even listed: the earlier question's
    # Riverton, which the first report names in passing, was asked of the later report too
    answer = _engine(tmp_path, {**STORIES, **DOWNSTREAM}, embedder).ask("and how many died in Millbrook?",
                                                                        "How many people died in the Riverton floods?")
    assert answer.answer == "The death toll from the floods in Millbrook rose to 25 on Friday, the regional emergency " \
        "service said."
    assert [s.doc for s in answer.reported_differently_by] == ["valley.md"]


# A later report of Riverton's toll whose passage opens no sentence with "The"
NINETEEN = {"upd.md": ("Riverton: 19 dead", "2026-11-04", """\
Rescue teams are searching what is left of Riverton's lower town.

In Riverton the death toll from the floods rose to 19 on Wednesday, the regional emergency service said.

Some 400 people remain in a sports hall.
""")}


@pytest.mark.parametrize("question", ["How many people died in the Riverton floods?",
                                      "HOW MANY PEOPLE DIED IN THE RIVERTON FLOODS?"])
def test_a_question_in_capitals_is_answered_with_the_later_report_as_in_lower_case(tmp_path, embedder, question):
    # In capitals, Riverton's 15 of 3 November was the answer: its passage opens sentences with "The", and THE was
    # read as a name of the question that the later report does not give
    answer = _engine(tmp_path, {**STORIES, **NINETEEN}, embedder).ask(question)
    assert answer.answer == "In Riverton the death toll from the floods rose to 19 on Wednesday, the regional " \
        "emergency service said."
    # the herald's and the gazette's reports of 12 are one sentence, word for word, of the same day, and the first
    # cited is either, as the model weighs the rest of their passages (the herald's first on one machine, the
    # gazette's on another): the other is a copy, not another report
    said = [(s.doc, s.passage[s.sentence[0] - s.start: s.sentence[1] - s.start]) for s in answer.reported_differently_by]
    assert said[0][0] in ("herald.md", "gazette.md")
    assert [sentence for _, sentence in said] == [
        "The death toll from the floods in Riverton rose to 12 on Sunday, the regional emergency service said.",
        "The death toll from the floods in Riverton rose to 15 on Tuesday, the regional emergency service said."]
    assert said[1][0] == "courier.md"


# One toll as the president gave it, reported by outlets that spell his name Zelensky and Zelenskyy
SPELT = """\
The Dell river flooded Riverton over the weekend after two days of heavy rain.

President {} said the death toll from the floods in Riverton rose to {} on {}.

Rescue teams are still searching the lower town.
"""
PRESIDENT = {"a.md": ("Riverton floods", "2026-11-01", SPELT.format("Zelensky", 12, "Sunday")),
             "b.md": ("Riverton floods: toll rises", "2026-11-03", SPELT.format("Zelenskyy", 15, "Tuesday"))}


def test_a_later_report_spelling_the_name_asked_otherwise_is_the_update(tmp_path, embedder):
    # The 12 of 1 November was the answer, the 15 not even reported differently: Zelenskyy was not read as Zelensky
    answer = _engine(tmp_path, PRESIDENT, embedder).ask("What death toll did Zelensky give for the Riverton floods?")
    assert answer.answer == "President Zelenskyy said the death toll from the floods in Riverton rose to 15 on Tuesday."
    assert [s.doc for s in answer.reported_differently_by] == ["a.md"]


def test_a_count_written_in_words_is_reported_differently_by_a_later_count_in_digits(worded):
    answer = worded.ask("How many people were injured in the Ashford warehouse fire?")
    assert to_text(answer) == """\
15 people were injured in the fire at the Ashford warehouse on Monday, the county fire service said.

  │ Investigators began searching the burnt-out warehouse in Ashford on Wednesday.
  │ »15 people were injured in the fire at the Ashford warehouse on Monday, the county
  │ fire service said.«
  │ Three of them had gone to a clinic in Dunmore on their own and were counted later.
  — Ashford fire: more injured found, 2026-11-04 (ledger.md)
  Reported differently by: “Twelve people were injured in the fire at the Ashford warehouse on Monday, the county \
fire service said.” — Twelve hurt in Ashford warehouse fire, 2026-11-02 (post.md)
  Reported differently by: “12 people were injured in the fire at the Ashford warehouse on Monday, the county fire \
service said.” — Blaze at Ashford paper store, 2026-11-02 (tribune.md)"""


def test_twelve_in_words_and_12_in_digits_are_the_same_count_also_reported(worded):
    answer = worded.ask("How many people were injured in the Ashford warehouse fire?", exclude=frozenset({"ledger.md"}))
    assert to_text(answer) == """\
Twelve people were injured in the fire at the Ashford warehouse on Monday, the county fire service said.

  │ Firefighters worked through the night at the paper warehouse on Quay Road in Ashford.
  │ »Twelve people were injured in the fire at the Ashford warehouse on Monday, the county
  │ fire service said.«
  │ One of the injured, a night guard, was taken to the county hospital in Dunmore.
  — Twelve hurt in Ashford warehouse fire, 2026-11-02 (post.md)
  Also reported by: Blaze at Ashford paper store, 2026-11-02 (tribune.md)"""


def test_numbers_in_words_are_read_as_figures_but_one_of_them_and_ordinals_are_not():
    assert figures("Two dozen people, a dozen of them children, and three hundred and fifty sheep") == {
        "24", "12", "350"}
    assert figures("twenty-one, 1.5 million, three million and 3 million") == {"21", "1500000", "3000000"}
    assert figures("Дванадцять людей загинули; погибли пятнадцать; douăzeci și cinci de oameni") == {"12", "15", "25"}
    assert figures("One of the victims was the first to be named, the second one by one, and no one else") == set()
    assert figures("The twenty-first victim was named on the one hundredth day") == set()
    assert figures("Between twenty and thirty were hurt, and one person died") == {"20", "30", "1"}
    assert not disagree("One of the 12 victims was a firefighter.",
                        "A firefighter was among the twelve victims, police said on 3 May.")
    assert disagree("Twelve people were killed on Sunday.", "Fifteen people were killed on Sunday.")
    assert not disagree("Twelve people were killed on Sunday.", "12 people were killed on Sunday.")


def test_a_copy_of_a_stored_story_stating_a_million_digit_figure_in_billions_is_already_known_not_a_crash(tmp_path):
    # Decimal overflowed scaling a figure of a million digits by "billion": `citebot add` ended in a traceback
    from index.add import ArticleAdder

    (tmp_path / "corpus").mkdir()
    body = " ".join(f"Rescuers searched the {side} district for survivors after the river rose overnight."
                    for side in "north south east west central upper lower old new far".split())
    figure = "9" * 1_000_001
    (tmp_path / "first.txt").write_text(f"Flood toll\n\n{body} In all {figure} billion people were counted.\n")
    (tmp_path / "again.txt").write_text(f"Flood toll\n\n{body} In all {figure} billion people were counted!\n")
    adder = ArticleAdder(tmp_path / "corpus")
    first = adder.add_file(tmp_path / "first.txt")
    again = adder.add_file(tmp_path / "again.txt")
    assert (first.is_new, again.duplicate_of) == (True, first.rel)
    assert figures(f"{figure} billion and 1.5 billion") == {figure, "1500000000"}


def test_the_figures_of_a_huge_text_of_short_words_or_one_endless_number_are_read_in_less_memory_than_the_text():
    # Every word's match was kept at once: 1.4 GB for the figures of a 20 MB file of "a a a ...", twice that for
    # `citebot add` comparing it with a stored copy
    import tracemalloc

    words, endless = "a " * 1_000_000 + "and twelve died", "one thousand " * 150_000 + "twelve"
    tracemalloc.start()
    try:
        found = figures(words), figures(endless)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (found, peak < len(words) // 2) == (({"12"}, {"10000", "12"}), True)


def test_the_figures_of_an_endless_run_of_thousands_groups_are_read_in_less_memory_than_the_text():
    # "100,100,100,..." was one figure, the regex holding 34 times the text's memory to match it (680 MB for 20 MB)
    import tracemalloc

    grouped = "100," * 450_000 + "100 " * 450_000  # "1,500" and "1 500" are each one figure
    tracemalloc.start()
    try:
        found = figures(grouped)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (found, peak < len(grouped) // 2) == ({"100100100100100100100100100"}, True)


def test_a_wire_storys_earlier_toll_word_for_word_but_the_figure_is_still_reported_differently(wired):
    answer = wired.ask("How many people died in the Corbu landslide?")
    assert to_text(answer) == """\
This may not answer it exactly; the closest passage:

  │ A landslide buried part of the mountain village of Corbu after a week of rain, the
  │ county prefect said.
  │ »The number of dead in the Corbu landslide rose to 9 on Tuesday, and rescuers were
  │ still digging through the mud.«
  │ Around 150 residents were moved to a school in the next valley, where the Red Cross
  │ set up a field kitchen.
  — Corbu landslide: 9 dead, 2026-11-03 (wire-tuesday.md)
  Reported differently by: “The number of dead in the Corbu landslide rose to 6 on Sunday, and rescuers were still \
digging through the mud.” — Corbu landslide: 6 dead, 2026-11-01 (wire-sunday.md)"""


# One count as a range, its scale word written once ("between 2 and 3 million") or at both ends, and a later count
RANGED = {
    "agency.md": ("Drought in the south: millions short of water", "2026-10-01", """\
The drought in the southern provinces has lasted since June, the water agency said.

Between 2 million and 3 million people in the south are short of drinking water, the water agency said on Monday.

Tankers bring water to the villages twice a week.
"""),
    "daily.md": ("Southern drought: no rain in sight", "2026-10-02", """\
Rain has not fallen in the southern provinces since June, officials said.

Between 2 and 3 million people in the south are short of drinking water, the water agency said on Monday.

More tankers were sent to the hill villages this week.
"""),
    "weekly.md": ("Drought spreads north", "2026-10-09", """\
The drought has reached the central plain, where wells ran dry in the first week of October.

4 million people in the south are short of drinking water, the water agency said on Thursday.

The government asked neighbouring countries for water tankers.
"""),
}


@pytest.fixture(scope="module")
def ranged(tmp_path_factory, embedder):
    return _engine(tmp_path_factory.mktemp("ranged"), RANGED, embedder)


def test_a_range_with_its_scale_word_once_is_read_at_that_scale_at_both_ends():
    assert figures("between 2 and 3 million, 2-3 million, 2 to 3 million or 2 or 3 million") == {"2000000", "3000000"}
    assert figures("between two and three million, 1.5–2.5 billion and twenty to thirty thousand") == {
        "2000000", "3000000", "1500000000", "2500000000", "20000", "30000"}
    assert figures("from 800 to 1.2 million, 2 and 3 people, 12 to 15 dozen") == {"800", "1200000", "2", "3", "144",
                                                                                  "180"}
    assert not disagree("Between 2 and 3 million fled.", "Between 2 million and 3 million fled.")
    assert disagree("Between 2 and 3 million fled.", "4 million fled.")


def test_a_range_written_with_its_scale_word_once_and_the_same_range_written_twice_agree_also_reported(ranged):
    answer = ranged.ask("How many people in the south are short of drinking water?", exclude=frozenset({"weekly.md"}))
    assert to_text(answer) == """\
Between 2 million and 3 million people in the south are short of drinking water, the water agency said on Monday.

  │ The drought in the southern provinces has lasted since June, the water agency said.
  │ »Between 2 million and 3 million people in the south are short of drinking water, the
  │ water agency said on Monday.«
  │ Tankers bring water to the villages twice a week.
  — Drought in the south: millions short of water, 2026-10-01 (agency.md)
  Also reported by: Southern drought: no rain in sight, 2026-10-02 (daily.md)"""


def test_a_later_count_outside_the_range_is_the_answer_and_the_range_reported_differently(ranged):
    answer = ranged.ask("How many people in the south are short of drinking water?")
    assert to_text(answer) == """\
4 million people in the south are short of drinking water, the water agency said on Thursday.

  │ The drought has reached the central plain, where wells ran dry in the first week of
  │ October.
  │ »4 million people in the south are short of drinking water, the water agency said on
  │ Thursday.«
  │ The government asked neighbouring countries for water tankers.
  — Drought spreads north, 2026-10-09 (weekly.md)
  Reported differently by: “Between 2 million and 3 million people in the south are short of drinking water, the \
water agency said on Monday.” — Drought in the south: millions short of water, 2026-10-01 (agency.md)
  Reported differently by: “Between 2 and 3 million people in the south are short of drinking water, the water \
agency said on Monday.” — Southern drought: no rain in sight, 2026-10-02 (daily.md)"""


# A Ukrainian outlet's toll two days apart, each in words inflected after "до" ("up to"): "дванадцяти", "п'ятнадцяти"
INFLECTED = {
    "rano.md": ("Повінь у Вишневому", "2026-11-01", """\
Сильні дощі спричинили повінь у селищі Вишневе в суботу ввечері.

Кількість загиблих унаслідок повені у Вишневому зросла до дванадцяти, повідомила обласна служба порятунку.

Рятувальники досі шукають трьох зниклих мешканців нижньої частини селища.
"""),
    "piznishe.md": ("Повінь у Вишневому: нові жертви", "2026-11-03", """\
Річка вийшла з берегів у Вишневому після двох днів сильних дощів.

Кількість загиблих унаслідок повені у Вишневому зросла до п'ятнадцяти, повідомила обласна служба порятунку.

Трьох зниклих мешканців знайшли мертвими в понеділок.
"""),
}


@pytest.fixture(scope="module")
def inflected(tmp_path_factory, embedder):
    return _engine(tmp_path_factory.mktemp("inflected"), INFLECTED, embedder)


def test_ukrainian_and_russian_number_words_are_read_in_every_case_and_their_ordinals_are_not():
    assert figures("до дванадцяти, дванадцятьох людей, п'ятьом, трьох, двома, п'ятеро, двоє, семеро, сорока, "
                   "двохсот, шістсот") == {"12", "5", "3", "2", "7", "40", "200", "600"}
    assert figures("двенадцати, пятнадцатью, трёх, трех, четырьмя, двоих, пятерых, семисот, девятьсот") == {
        "12", "15", "3", "4", "2", "5", "700", "900"}
    assert figures("від двох до трьох мільйонів, от двух до трёх миллионов, двадцяти п'яти тисячам") == {
        "2000000", "3000000", "25000"}
    assert figures("двадцять першого квітня, двадцать первого апреля, сто двадцять п'ятий, сорок второй") == set()
    assert figures("douăsprezece, două, doi, unsprezece, al douăzeci și cincilea, al doilea") == {"12", "2", "11"}
    assert not disagree("Двадцять першого квітня загинули 12 людей.", "21 квітня загинули дванадцятеро людей.")
    assert disagree("Кількість загиблих зросла до дванадцяти.", "Кількість загиблих зросла до п'ятнадцяти.")


def test_a_later_ukrainian_toll_in_inflected_words_is_the_answer_and_the_earlier_reported_differently(inflected):
    answer = inflected.ask("Скільки людей загинуло під час повені у Вишневому?")
    assert (answer.answer, answer.also_reported_by, [s.label() for s in answer.reported_differently_by]) == (
        "Кількість загиблих унаслідок повені у Вишневому зросла до п'ятнадцяти, повідомила обласна служба порятунку.",
        [], ["Повінь у Вишневому, 2026-11-01 (rano.md)"])


# The same loss as two Ukrainian outlets wrote it, "1,5 мільйона" and "1,5 млн" (a decimal comma and an abbreviation)
WRITTEN = {
    "vechir.md": ("Збитки від повені у Вишневому", "2026-11-02", """\
Обласна влада підрахувала збитки від повені у Вишневому.

Збитки від повені у Вишневому оцінили в 1,5 мільйона гривень, повідомила обласна адміністрація.

Гроші на відбудову мостів виділять із резервного фонду.
"""),
    "ranok.md": ("Вишневе рахує збитки", "2026-11-04", """\
У Вишневому почали відбудовувати зруйновані мости.

Збитки від повені у Вишневому оцінили в 1,5 млн гривень, повідомила обласна адміністрація.

Відбудова триватиме до весни.
"""),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory, embedder):
    return _engine(tmp_path_factory.mktemp("written"), WRITTEN, embedder)


def test_figures_as_ukrainian_russian_and_romanian_news_write_them_are_read_as_their_digits():
    assert figures("1,5 мільйона, 2,5 млн, 12 тис. людей, 3 млрд, 1 500 загиблих, 2 000 000, 4 mld. lei") == {
        "1500000", "2500000", "12000", "3000000000", "1500", "2000000", "4000000000"}
    assert figures("півтора мільйона, полторы тысячи, £2bn, 3,75 відсотка, 1,500 soldiers") == {
        "1500000", "1500", "2000000000", "3.75%", "1500"}
    assert not disagree("Втрати склали 3 млн гривень.", "Втрати склали 3 мільйони гривень.")
    assert not disagree("Ущерб оценили в 1,5 млн гривен.", "Збитки оцінили в 1,5 мільйона гривень.")
    assert not disagree("Losses reached £2bn.", "Losses reached £2 billion.")


def test_a_figure_written_with_trailing_zeros_after_its_decimal_point_or_comma_is_the_same_figure():
    # "35,50 грн" and "35,5 грн" were two prices: the later report was the answer and the earlier reported differently
    assert figures("Хліб коштує 35,50 грн, молоко 42.0 грн, масло 0,00 грн.") == {"35.5", "42", "0"}
    assert not disagree("Pâinea costă 4,50 lei, a anunțat ministerul.", "Pâinea costă 4,5 lei, a anunțat ministerul.")
    assert not disagree("The rate rose to 3.0%.", "The rate rose to 3%.")
    assert disagree("Хліб подорожчав до 35,50 грн.", "Хліб подорожчав до 35,05 грн.")


def test_one_loss_written_as_1_5_million_and_as_1_5_mln_is_also_reported_not_reported_differently(written):
    answer = written.ask("У скільки гривень оцінили збитки від повені у Вишневому?")
    assert to_text(answer) == """\
Можливо, це не зовсім відповідь; найближчий уривок:

  │ У Вишневому почали відбудовувати зруйновані мости.
  │ »Збитки від повені у Вишневому оцінили в 1,5 млн гривень, повідомила обласна
  │ адміністрація.«
  │ Відбудова триватиме до весни.
  — Вишневе рахує збитки, 2026-11-04 (ranok.md)
  Також повідомляють: Збитки від повені у Вишневому, 2026-11-02 (vechir.md)"""


# One loan as two Ukrainian outlets wrote it, "1,250 млрд" and "1,25 млрд": a decimal comma before three digits or two
LOAN = {
    "dilo.md": ("Кредит на відбудову Вишневого", "2026-11-05", """\
Обласна рада затвердила кредит на відбудову Вишневого після повені.

Кредит на відбудову Вишневого становить 1,250 млрд гривень, повідомила обласна рада.

Першими відбудують мости через річку.
"""),
    "visti.md": ("Вишневе отримає кредит", "2026-11-06", """\
Депутати обласної ради проголосували за кредит для Вишневого.

Кредит на відбудову Вишневого становить 1,25 млрд гривень, повідомила обласна рада.

Гроші надійдуть до кінця року.
"""),
}


@pytest.fixture(scope="module")
def loan(tmp_path_factory, embedder):
    return _engine(tmp_path_factory.mktemp("loan"), LOAN, embedder)


def test_one_loan_written_as_1_250_and_as_1_25_billion_is_also_reported_not_reported_differently(loan):
    # "1,250 млрд" was read as 1,250 billion: the later "1,25 млрд" was the answer and the other reported differently
    answer = loan.ask("Скільки становить кредит на відбудову Вишневого?")
    assert (answer.answer, [s.label() for s in answer.also_reported_by], answer.reported_differently_by) == (
        "Кредит на відбудову Вишневого становить 1,250 млрд гривень, повідомила обласна рада.",
        ["Вишневе отримає кредит, 2026-11-06 (visti.md)"], [])


# A share and a count of the same residents, a day apart: "12% of the 400" is 48 of them, not "12 of the 400"
SHARED = {
    "monday.md": ("Riverton: first residents go home", "2026-11-09", """\
The water has gone down in the lower town of Riverton, the regional emergency service said.

12% of the 400 evacuated residents of the lower town have returned home, the regional emergency service said.

The sports hall on Mill Street stays open for those who cannot go back yet.
"""),
    "tuesday.md": ("Riverton: residents return slowly", "2026-11-10", """\
Power came back to most streets of the lower town of Riverton on Tuesday.

12 of the 400 evacuated residents of the lower town have returned home, the regional emergency service said.

The sports hall on Mill Street stays open for those who cannot go back yet.
"""),
}


@pytest.fixture(scope="module")
def shared(tmp_path_factory, embedder):
    return _engine(tmp_path_factory.mktemp("shared"), SHARED, embedder)


def test_a_percentage_is_a_figure_of_its_own_not_the_count_of_the_same_digits():
    assert figures("45%, 45 %, 45 per cent, 45 percent, 45 відсотків, 45 процентов, 45 la sută, 45 de procente") == {
        "45%"}
    assert figures("сорок п'ять відсотків, forty-five per cent, 12-15%, between 12 and 15 per cent, 1,5%") == {
        "45%", "12%", "15%", "1.5%"}
    assert figures("5% of 5 people, 5 percentage points, 15 la 20 de oameni") == {"5%", "5", "15", "20"}
    assert disagree("Turnout was 45% and 30 polling stations opened late.",
                    "Turnout was 30% and 45 polling stations opened late.")
    assert not disagree("Inflation slowed to 5.2% in October.", "Інфляція сповільнилася до 5,2 % у жовтні.")


def test_a_count_after_a_share_of_the_same_digits_is_the_answer_and_the_share_reported_differently(shared):
    answer = shared.ask("How many evacuated residents of the lower town have returned home?")
    assert to_text(answer) == """\
12 of the 400 evacuated residents of the lower town have returned home, the regional emergency service said.

  │ Power came back to most streets of the lower town of Riverton on Tuesday.
  │ »12 of the 400 evacuated residents of the lower town have returned home, the regional
  │ emergency service said.«
  │ The sports hall on Mill Street stays open for those who cannot go back yet.
  — Riverton: residents return slowly, 2026-11-10 (tuesday.md)
  Reported differently by: “12% of the 400 evacuated residents of the lower town have returned home, the regional \
emergency service said.” — Riverton: first residents go home, 2026-11-09 (monday.md)"""


def test_a_figure_in_one_currency_is_reported_differently_from_it_in_another_but_not_from_it_with_no_currency():
    # "$5 million" and "€5 million" were one figure: a report of the aid in euros corroborated one in dollars
    assert disagree("The fund gave $5 million to the hospital.", "The fund gave €5 million to the hospital.")
    assert disagree("Уряд виділив 5 млн грн на ремонт.", "Уряд виділив 5 млн доларів на ремонт.")
    assert disagree("Aid of 5 million hryvnias was sent.", "Aid of 5 million dollars was sent.")
    assert disagree("Amenda este de 500 de lei.", "Amenda este de 500 de euro.")
    assert disagree("Repairs cost $2-3 million.", "Repairs cost 2-3 million euros.")
    # a report that leaves the currency out, or names it another way, states the same figure
    assert not disagree("The fund gave $5 million to the hospital.", "The fund gave 5 million to the hospital.")
    assert not disagree("The fund gave $5 million.", "The fund gave 5 million dollars, or USD 5 million.")
    assert not disagree("Ущерб составил 12 тыс. грн.", "Збитки склали 12 тис. гривень.")
    assert not disagree("Repairs cost $2-3 million.", "Repairs cost 2 to 3 million dollars.")
    assert not disagree("The euro fell as 5 million people voted.", "The dollar rose as 5 million people voted.")
    assert not disagree("The fund gave $5 million to 12 towns.", "The fund gave 5 million to 12 towns in May.")
    assert figures("$5 million, €5 million, 5 млн грн") == {"5000000"}


def test_one_thousand_or_a_million_written_as_its_word_alone_is_read_but_thousands_and_romanian_mie_are_not():
    # "Тисяча людей" was no figure: a report of a thousand and one of 1,200 protesters were "Also reported by"
    assert figures("Тисяча людей, понад тисячу, тысяча человек, тысячей, мільйон гривень, o mie de oameni, "
                   "un milion de lei, o sută de case, тисяча двісті") == {"1000", "1000000", "100", "1200"}
    # "тисячі", "тысячи" and "mii" are also "thousands", and Romanian "mie" alone is "to me"; "UN" is no "one"
    assert figures("Тисячі людей, тысячи человек, mii de oameni, mie îmi place, the UN million-dollar appeal") == set()
    assert disagree("Тисяча людей вийшли на протест у центрі міста.", "1200 людей вийшли на протест у центрі міста.")
    assert not disagree("Тисяча людей вийшли на протест.", "1000 людей вийшли на протест.")
    assert not disagree("La protest au venit o mie de oameni.", "La protest au venit 1000 de oameni.")


def test_a_dot_between_thousands_as_romanian_and_ukrainian_news_write_it_is_read_as_a_thousands_separator():
    # "1.500 de oameni" was 1.5 people: a Romanian report of 1.500 and one of 1.800 protesters were one figure's
    assert figures("La protest au venit 1.500 de oameni, iar amenzile au fost de 2.500,50 lei.") == {"1500", "2500.5"}
    assert figures("На протест прийшли 1.500 людей, а 0.500 кг — це пів кілограма.") == {"1500", "0.5"}
    assert figures("Losses were 1.500.000 and 2.000.000.000,5 dollars.") == {"1500000", "2000000000.5"}
    # in English a dot before three digits is a decimal point, and a dot before more or fewer digits is always one
    assert figures("The ratio was 1.500, pi is 3.14159 and the rate 12.25 in 2026.") == {"1.5", "3.14159", "12.25",
                                                                                          "2026"}
    assert disagree("La protest au venit 1.500 de oameni și 2 polițiști.",
                    "La protest au venit 1.800 de oameni și 2 polițiști.")
    assert not disagree("La protest au venit 1.500 de oameni.", "1,500 people came to the protest, 1500 în total.")
    assert not disagree("На протест прийшли 1.500 людей.", "На протест прийшли 1 500 людей.")


def test_the_figures_of_an_endless_run_of_dotted_thousands_groups_are_read_in_less_memory_than_the_text():
    import tracemalloc

    dotted = "Прийшли " + "100." * 200_000  # no run of more than nine groups is one figure: it is read in pieces
    tracemalloc.start()
    try:
        found = figures(dotted)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (found, peak < len(dotted) // 2) == ({"100100", "100100100100100100100100"}, True)


def test_figures_of_other_kinds_a_date_a_time_ago_an_ordinal_and_a_count_never_differ():
    assert not disagree("The visit is his first since the invasion on February 24, 2022.",
                        "It was his fourth visit, but the first since the war began almost 14 months ago.")
    assert not disagree("He arrived in Kyiv on April 20, 2023.", "He arrived for his 4th visit, 14 months on.")
    assert not disagree("The war began on 24 лютого 2022 року.", "Війна триває вже 14 місяців.")
    assert not disagree("Talks began in 2014 and 12 towns joined.", "Talks began two years ago and 12 towns joined.")
    assert disagree("He arrived in Kyiv on April 20, 2023.", "He arrived in Kyiv on April 22, 2023.")
    assert disagree("The siege lasted 14 months.", "The siege lasted 15 months.")
    assert disagree("12 died on April 20.", "15 died 3 days ago.")
    assert not disagree("12 may have died.", "12 people died, 3 days ago.")


# Two outlets' reports of one visit: one dates the invasion, the other counts the months since it
VISIT = {
    "kyiv-post.md": ("Stoltenberg in Kyiv", "2023-04-20", """\
NATO Secretary General Jens Stoltenberg arrived in Kyiv on Thursday, a visit not announced in advance.

The visit is Stoltenberg's first to Ukraine since Russia's full-scale invasion of Ukraine on February 24, 2022.

He met President Volodymyr Zelensky and laid flowers at the Wall of Remembrance.
"""),
    "wire.md": ("NATO chief visits Ukraine", "2023-04-20", """\
Jens Stoltenberg, the head of NATO, came to Kyiv on Thursday and talked about Ukraine's future in the alliance.

The visit is Stoltenberg's first to Ukraine since Russia's full-scale invasion of Ukraine almost 14 months ago.

The two men held a joint press conference after their talks.
"""),
}


@pytest.fixture(scope="module")
def visit(tmp_path_factory, embedder):
    return _engine(tmp_path_factory.mktemp("visit"), VISIT, embedder)


def test_a_report_stating_a_time_ago_where_the_answer_states_a_date_is_also_reported_not_reported_differently(visit):
    answer = visit.ask("When did Stoltenberg first visit Ukraine since the invasion?")
    assert to_text(answer) == """\
The visit is Stoltenberg's first to Ukraine since Russia's full-scale invasion of Ukraine on February 24, 2022.

  │ NATO Secretary General Jens Stoltenberg arrived in Kyiv on Thursday, a visit not
  │ announced in advance.
  │ »The visit is Stoltenberg's first to Ukraine since Russia's full-scale invasion of
  │ Ukraine on February 24, 2022.«
  │ He met President Volodymyr Zelensky and laid flowers at the Wall of Remembrance.
  — Stoltenberg in Kyiv, 2023-04-20 (kyiv-post.md)
  Also reported by: NATO chief visits Ukraine, 2023-04-20 (wire.md)"""
    assert answer.reported_differently_by == []


# Another town's later count, asked about a town the question names in the Romanian genitive (Sibiului: of Sibiu)
COUNTIES = {
    "sibiu.md": ("Inundații la Sibiu", "2026-11-01", """\
Ploile au umflat râurile din centrul țării.

În Sibiu au fost inundate 40 de case, a anunțat prefectura duminică.

Pompierii au evacuat 100 de oameni.
"""),
    "brasov.md": ("Inundații la Brașov", "2026-11-03", """\
Ploile au umflat râurile din centrul țării.

În Brașov au fost inundate 60 de case, a anunțat prefectura marți.

Pompierii au evacuat 200 de oameni.
""")}


def test_a_later_count_of_another_town_is_not_the_update_of_a_town_named_in_the_romanian_genitive(tmp_path, embedder):
    # Brașov's 60 was the answer, Sibiu's 40 "reported differently": Sibiului was not read as Sibiu
    answer = _engine(tmp_path, COUNTIES, embedder).ask("Câte case au fost inundate în zona Sibiului?")
    assert answer.answer == "În Sibiu au fost inundate 40 de case, a anunțat prefectura duminică."
    assert answer.reported_differently_by == []


# The president by his full name on Sunday, by his surname alone in Tuesday's later toll
NAMED = {"a.md": ("Riverton floods", "2026-11-01", SPELT.format("Volodymyr Zelensky", 12, "Sunday")),
         "b.md": ("Riverton floods: toll rises", "2026-11-03", SPELT.format("Zelensky", 15, "Tuesday")
                  .replace("President Zelensky", "Zelensky"))}


def test_a_later_report_giving_the_person_asked_by_surname_alone_is_the_update(tmp_path, embedder):
    # The 12 of 1 November was the answer, the 15 not even reported differently: Tuesday's report lacked Volodymyr
    answer = _engine(tmp_path, NAMED, embedder).ask(
        "What death toll did Volodymyr Zelensky give for the Riverton floods?")
    assert answer.answer == "Zelensky said the death toll from the floods in Riverton rose to 15 on Tuesday."
    assert [s.doc for s in answer.reported_differently_by] == ["a.md"]


# Troops the U.S. will send, by its initials on Monday, by its name in Thursday's later figure
TROOPS = """\
Allies met in Brussels on {day}.

The {who} will send {count} troops to Poland, the Pentagon said on {day}.

The troops will arrive in spring.
"""
SENT = {"a.md": ("Troops to Poland", "2026-11-01", TROOPS.format(day="Monday", who="U.S.", count="3,000")),
        "b.md": ("More troops to Poland", "2026-11-04", TROOPS.format(day="Thursday", who="United States",
                                                                         count="5,000"))}


def test_a_later_figure_of_the_country_asked_by_its_initials_given_by_its_name_is_the_update(tmp_path, embedder):
    # The 3,000 of Monday was the answer, the 5,000 not listed: the U of U.S. was asked of Thursday's report
    answer = _engine(tmp_path, SENT, embedder).ask("How many troops will the U.S. send to Poland?")
    assert answer.answer == "The United States will send 5,000 troops to Poland, the Pentagon said on Thursday."
    assert [s.doc for s in answer.reported_differently_by] == ["a.md"]


# The rescued as the State Emergency Service counted them on Sunday, and as rescuers counted them by Tuesday
RESCUED = {
    "a.md": ("Valley floods", "2026-11-01", """\
Heavy rain flooded the valley villages on Saturday night.

The State Emergency Service said 30 people were rescued from flooded homes in the valley on Sunday.

Schools remain closed.
"""),
    "b.md": ("Valley floods: more rescued", "2026-11-03", """\
The water began to fall on Monday.

Rescuers said 40 people were rescued from flooded homes in the valley by Tuesday.

Schools remain closed.
""")}


def test_a_later_figure_is_the_update_though_the_question_gives_words_of_a_longer_name_in_lower_case(tmp_path, embedder):
    # The 30 of Sunday was the answer, the 40 not listed: "emergency service" was read as a name the 40 lacked
    answer = _engine(tmp_path, RESCUED, embedder).ask("How many people did the emergency service rescue?")
    assert answer.answer == "Rescuers said 40 people were rescued from flooded homes in the valley by Tuesday."
    assert [s.doc for s in answer.reported_differently_by] == ["a.md"]
