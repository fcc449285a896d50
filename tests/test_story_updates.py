"""A story that moves: outlets' and days' reports of one fact with other figures (a death toll that rose)."""

import pytest

from bot.answer import AnswerEngine
from index.near_duplicates import disagree
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


@pytest.fixture(scope="module")
def engine(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("story")
    (folder / "corpus").mkdir()
    for name, (title, date, body) in STORIES.items():
        (folder / "corpus" / name).write_text(f'---\ntitle: "{title}"\ndate: "{date}"\n---\n\n{body}', encoding="utf-8")
    store = open_index(IndexBuilder(folder / "corpus", folder / "index", embedder))
    return AnswerEngine(Searcher(store, embedder))


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
