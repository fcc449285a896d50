import json
import logging
import os

import pytest

from index.documents import fingerprint, make_article, read_corpus, shorten
from index.errors import CitebotError
from tests.conftest import SHIPPED_CORPUS


def test_shipped_article_gets_its_date_from_the_leading_date_line_and_a_title_from_its_first_sentence():
    corpus = read_corpus(SHIPPED_CORPUS)
    first = next(a for a in corpus.articles if a.id == "000_021f342df130e0f3.txt")
    assert first.date == "2023-04-20"
    assert first.title == "NATO member states are preparing to discuss Ukraine's membership and security…"
    assert first.text.startswith(" date 2023-04-20")
    assert first.text[first.body_start:].startswith("\nNATO member states")


def test_text_and_markdown_files_are_read_recursively_with_their_relative_path_as_id(tmp_path):
    (tmp_path / "news" / "deep").mkdir(parents=True)
    (tmp_path / "news" / "deep" / "a.md").write_text("# Heading\n\nThe summit is in Vilnius.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The war began in 2022.", encoding="utf-8")
    (tmp_path / "ignored.js").write_text("var x, y;", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["b.txt", "news/deep/a.md"]
    assert corpus.articles[1].title == "Heading"  # its words, not its heading marks
    assert corpus.skipped == []


def test_jsonl_rows_become_articles_with_metadata_and_bad_lines_are_skipped_by_name(tmp_path, caplog):
    rows = [
        json.dumps({"id": "w1", "title": "Warsaw", "text": "Warsaw is the capital of Poland.", "date": "2020-01-02",
                    "url": "https://example.org/w"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "An article without id."}),
        json.dumps({"id": "w1", "text": "duplicate id"}),
        json.dumps(["a", "list"]),
    ]
    (tmp_path / "wiki.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.url) for a in corpus.articles] == [
        ("wiki.jsonl#w1", "Warsaw", "2020-01-02", "https://example.org/w"),
        ("wiki.jsonl#4", "An article without id.", None, None),
    ]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("wiki.jsonl:2", "malformed JSON (Expecting property name enclosed in double quotes at column 2)"),
        ("wiki.jsonl:3", 'missing "text" string'),
        ("wiki.jsonl:5", 'duplicate id "w1"'),
        ("wiki.jsonl:6", "line is not a JSON object"),
    ]
    assert "skipping wiki.jsonl:2: malformed JSON" in caplog.text


def test_a_jsonl_field_that_is_neither_text_nor_a_number_is_absent_not_its_python_spelling(tmp_path):
    rows = [{"id": 7, "title": {"en": "Riga"}, "date": ["2026"], "url": True, "text": "Riga hosts a cheese festival."},
            {"id": {"x": 1}, "title": 2026, "date": 20260801, "text": "Tallinn hosts a song festival."}]
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert [(a.id, a.title, a.date, a.url) for a in read_corpus(tmp_path).articles] == [
        ("news.jsonl#7", "Riga hosts a cheese festival.", None, None),
        ("news.jsonl#2", "2026", "20260801", None),
    ]


def test_a_jsonl_field_written_as_nan_or_infinity_is_absent_and_its_row_is_read(tmp_path):
    # pandas holds a missing value as NaN, and json.dumps writes it so (not JSON, but Python's json reads it): every row
    # after the first with no id was skipped ('duplicate id "nan"'), and a date of NaN was listed as the newest
    rows = [{"id": float("nan"), "title": float("nan"), "date": float("nan"), "url": float("nan"),
             "text": "Riga hosts a cheese festival."},
            {"id": float("nan"), "title": "Tallinn", "date": float("inf"), "text": "Tallinn hosts a song festival."},
            {"id": float("-inf"), "date": "2023-04-20", "text": "Vilnius hosts a jazz festival."}]
    (tmp_path / "frame.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert corpus.skipped == []
    assert [(a.id, a.title, a.date, a.url) for a in corpus.articles] == [
        ("frame.jsonl#1", "Riga hosts a cheese festival.", None, None),
        ("frame.jsonl#2", "Tallinn", None, None),
        ("frame.jsonl#3", "Vilnius hosts a jazz festival.", "2023-04-20", None),
    ]


def test_a_jsonl_rows_date_written_as_a_feed_or_a_person_writes_one_is_its_day_and_another_is_kept_as_written(tmp_path):
    # "Thu, 20 Apr 2023 10:00:00 +0000" (a feed's pubDate, as a dump of one keeps it) was the article's date as
    # written: listed so, sorted above every ISO date in /sources ("T" > "2"), and not "April" to /sources April 2023
    rows = [{"id": "a", "date": "Thu, 20 Apr 2023 10:00:00 +0000", "text": "The ferry will run twice a day."},
            {"id": "b", "date": "2023-04-21T09:30:00Z", "text": "The old bridge was closed for repairs."},
            {"id": "c", "date": "April 22, 2023", "text": "The tram line opens in May."},
            {"id": "d", "date": "Spring 2023", "text": "The harbour crane was repaired."}]
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert [(a.id, a.date) for a in read_corpus(tmp_path).articles] == [
        ("news.jsonl#a", "2023-04-20"), ("news.jsonl#b", "2023-04-21"), ("news.jsonl#c", "2023-04-22"),
        ("news.jsonl#d", "Spring 2023")]


def test_a_jsonl_rows_date_written_as_a_day_there_is_not_at_year_one_or_far_ahead_is_no_date_as_in_a_front_matter(
        tmp_path):
    # A .jsonl row kept such a date as written, where a front matter's is no date (d730fff): a placeholder's
    # "9999-12-31" sorted as the newest article in /sources and "latest" answers, Go's zero time as the oldest
    rows = [{"id": "a", "date": "9999-12-31", "text": "The ferry will run twice a day."},
            {"id": "b", "date": "0001-01-01T00:00:00Z", "text": "The old bridge was closed for repairs."},
            {"id": "c", "date": "2023-02-31", "text": "The tram line opens in May."},
            {"id": "d", "date": "0000-00-00", "text": "The harbour crane was repaired."},
            {"id": "e", "date": "Thu, 20 Apr 2023 10:00:00 EST", "text": "The pier is open."},
            {"id": "f", "date": "Spring 2023", "text": "The bus runs late."}]
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert [(a.id, a.date) for a in read_corpus(tmp_path).articles] == [
        ("news.jsonl#a", None), ("news.jsonl#b", None), ("news.jsonl#c", None), ("news.jsonl#d", None),
        ("news.jsonl#e", "2023-04-20"), ("news.jsonl#f", "Spring 2023")]


def test_html_main_text_and_title_are_extracted(tmp_path):
    body = " ".join(["The alliance will meet in Vilnius in July to discuss Ukraine's path to membership."] * 4)
    (tmp_path / "page.html").write_text(
        "<html><head><title>Summit in Vilnius</title></head><body>"
        "<nav>Home | About | Contact</nav>"
        f"<article><h1>Summit in Vilnius</h1><p>{body}</p><p>Leaders arrive on Tuesday.</p></article>"
        "<footer>Copyright 2023</footer></body></html>",
        encoding="utf-8",
    )
    corpus = read_corpus(tmp_path)
    assert corpus.skipped == []
    (article,) = corpus.articles
    assert article.title == "Summit in Vilnius"
    assert "The alliance will meet in Vilnius in July" in article.text
    assert "Copyright" not in article.text


def test_a_saved_web_page_keeps_its_canonical_address(tmp_path):
    body = " ".join(["The alliance will meet in Vilnius in July to discuss Ukraine's path to membership."] * 4)
    (tmp_path / "page.html").write_text(
        '<html><head><title>Summit in Vilnius</title><link rel="canonical" href="https://news.example.org/summit">'
        f"</head><body><article><h1>Summit in Vilnius</h1><p>{body}</p></article></body></html>", encoding="utf-8")
    (article,) = read_corpus(tmp_path).articles
    assert article.url == "https://news.example.org/summit"


def test_a_web_page_whose_date_is_only_a_year_in_its_text_has_no_date_not_the_first_of_january(tmp_path):
    body = ("Київ, 3 марта 2023 г. Ремонт моста через Днепр завершили рабочие городского предприятия, сообщил мэр. "
            "Работы стоили 230 млн гривен и длились восемь месяцев.")
    page = ("<html><head>{meta}<title>Ремонт моста</title></head><body><article><h1>Ремонт моста</h1>"
            f"<p>{body}</p><p>Мост откроют в понедельник.</p></article></body></html>")
    (tmp_path / "guessed.html").write_text(page.format(meta=""), encoding="utf-8")
    published = '<meta property="article:published_time" content="2023-01-01T09:00:00Z">'
    (tmp_path / "new-year.html").write_text(page.format(meta=published), encoding="utf-8")
    english = page.format(meta="").replace("3 марта 2023 г.", "March 3, 2023.")
    (tmp_path / "english.html").write_text(english, encoding="utf-8")
    dates = {a.id: a.date for a in read_corpus(tmp_path).articles}
    assert dates == {"guessed.html": None, "new-year.html": "2023-01-01", "english.html": "2023-03-03"}
    from index.extract import extract_article  # what `citebot add` reads a fetched page with

    assert [extract_article(p, min_chars=10).date for p in (page.format(meta=""), page.format(meta=published), english)] == [
        None, "2023-01-01", "2023-03-03"]


def test_a_saved_web_page_is_read_in_the_charset_its_meta_names(tmp_path):
    body = "Вечером 3 марта в г. Омске загорелся склад площадью 2 тыс. кв. м. Пожар тушили 12 часов."
    page = (f'<html><head><meta charset="windows-1251"><title>Пожар в Омске</title></head><body><article>'
            f"<h1>Пожар в Омске</h1><p>{body}</p><p>Пострадавших нет.</p></article></body></html>")
    (tmp_path / "omsk.html").write_bytes(page.encode("cp1251"))
    (tmp_path / "wrong.html").write_bytes(page.replace("windows-1251", "utf-8").encode("cp1251"))
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.text) for a in corpus.articles] == [
        ("omsk.html", "Пожар в Омске", f"Пожар в Омске\n{body}\nПострадавших нет.")]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("wrong.html", "not UTF-8 (invalid continuation byte at byte 41): save it as UTF-8")]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("latin1.txt", "café crème".encode("latin-1"), "not UTF-8 (invalid continuation byte at byte 3): save it as UTF-8"),
        # what a Romanian or a Russian Windows editor saves as plain text: the warning says what to do
        ("stiri.txt", "Ştiri din ţară".encode("iso-8859-2"), "not UTF-8 (invalid start byte at byte 0): save it as UTF-8"),
        ("novosti.txt", "Новости дня".encode("cp1251"), "not UTF-8 (invalid continuation byte at byte 0): save it as UTF-8"),
        ("empty.md", b"  \n\n ", "empty file"),
        ("blank.jsonl", b"", None),
        ("nothing.html", b"<html><body></body></html>", "no main text found in the HTML"),
    ],
)
def test_a_broken_file_is_skipped_with_one_warning_naming_it_and_the_build_goes_on(tmp_path, caplog, name, content,
                                                                                  reason):
    (tmp_path / "good.txt").write_text("A good article.", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    with caplog.at_level(logging.WARNING):
        corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    if reason is None:
        assert corpus.skipped == []
    else:
        assert [(s.path, s.reason) for s in corpus.skipped] == [(name, reason)]
        # an empty page also had trafilatura's "discarding data: None", shown as "citebot: warning: discarding data: None"
        assert [r.getMessage() for r in caplog.records] == [f"skipping {name}: {reason}"]


def test_a_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CitebotError, match="corpus folder not found: .*nowhere"):
        read_corpus(tmp_path / "nowhere")


def test_fingerprint_records_size_and_content_hash_of_every_file(tmp_path):
    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    before = fingerprint(tmp_path)
    (tmp_path / "a.txt").write_text("two", encoding="utf-8")
    after = fingerprint(tmp_path, {k: v.to_json() for k, v in before.items()})
    assert before["a.txt"].size == 3
    assert before["a.txt"].sha256 == "7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed"
    assert after["a.txt"].sha256 != before["a.txt"].sha256


def test_a_file_over_the_size_limit_is_skipped_by_name_without_being_read(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.001")  # 1,000 bytes
    (tmp_path / "good.txt").write_text("A good article.", encoding="utf-8")
    (tmp_path / "huge.txt").write_text("word " * 300, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("huge.txt", "0.002 MB, over the 0.001 MB limit (set CITEBOT_MAX_FILE_MB)")]
    assert "skipping huge.txt: 0.002 MB, over the 0.001 MB limit" in caplog.text
    assert fingerprint(tmp_path)["huge.txt"].sha256 == "not read: 1500 bytes"


@pytest.mark.parametrize("value", ["lots", "inf", "1e400", "nan", "0"])
def test_the_size_limit_must_be_a_positive_number(tmp_path, monkeypatch, value):
    (tmp_path / "good.txt").write_text("A good article.", encoding="utf-8")
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", value)
    with pytest.raises(CitebotError, match=f"CITEBOT_MAX_FILE_MB must be a positive number of megabytes, not '{value}'"):
        read_corpus(tmp_path)


def test_a_corpus_that_is_a_file_is_named_as_one(tmp_path):
    (tmp_path / "notes.txt").write_text("A file.", encoding="utf-8")
    with pytest.raises(CitebotError, match="corpus .*notes.txt is a file, not a folder"):
        read_corpus(tmp_path / "notes.txt")


def test_a_big_jsonl_file_streams_and_skips_only_its_overlong_line(tmp_path, monkeypatch):
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.001")
    rows = [{"id": "a", "text": "First row."}, {"id": "b", "text": "long " * 400}, {"id": "c", "text": "Third row."}]
    (tmp_path / "big.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows * 1), encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["big.jsonl#a", "big.jsonl#c"]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("big.jsonl:2", "line over the 0.001 MB limit (set CITEBOT_MAX_FILE_MB)")]


def test_deeply_nested_and_truncated_json_lines_are_skipped_by_line(tmp_path):
    lines = ["[" * 100_000 + "]" * 100_000, '{"text": "cut off', json.dumps({"text": "Fine."}), "\ufeff{}"]
    (tmp_path / "odd.jsonl").write_bytes("\ufeff".encode() + "\n".join(lines).encode("utf-8"))
    corpus = read_corpus(tmp_path)
    assert [a.text for a in corpus.articles] == ["Fine."]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("odd.jsonl:1", "malformed JSON (nested too deeply)"),
        ("odd.jsonl:2", "malformed JSON (Unterminated string starting at column 10)"),  # it read cut off: "… at)"
        ("odd.jsonl:4", 'missing "text" string'),  # a stray BOM is dropped, as at the start of the file
    ]


def test_files_that_cannot_be_read_even_by_root_are_skipped_by_name(tmp_path):
    # chmod 000 does not stop root, so: a FIFO (opening it would block), a dangling symlink and a
    # symlink loop, each named like an article.
    (tmp_path / "good.txt").write_text("A good article.", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    (tmp_path / "dir").symlink_to(tmp_path)  # a folder loop: not followed
    corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    assert sorted((s.path, s.reason) for s in corpus.skipped) == [
        ("dir", "a link to a folder read already (the corpus folder)"),
        ("gone.txt", "No such file or directory"),
        ("loop.md", "Too many levels of symbolic links"),
        ("pipe.txt", "not a regular file"),
    ]
    stamps = fingerprint(tmp_path)
    assert sorted(stamps) == ["gone.txt", "good.txt", "loop.md", "pipe.txt"]
    assert stamps["pipe.txt"].sha256 == "not read: not a regular file"


def test_the_title_of_a_megabyte_line_comes_from_its_beginning():
    text = "Opening words of a very long line " + "and so on " * 100_000
    assert make_article("a.txt", text, "a.txt").title == shorten(text[:200])


@pytest.mark.parametrize("first", ["* * *", "=====", "🎉🎉🎉", "\u200b\u200b", "• • •"])
def test_an_article_titled_by_its_text_is_titled_by_its_first_sentence_with_a_letter_or_digit_in_it(first):
    text = f"{first}\n\nThe council approved the budget on Monday.\nIt passed by 31 votes to 20."
    assert make_article("a.md", text, "a.md").title == "The council approved the budget on Monday."
    assert make_article("b.md", first, "b.md").title == " ".join(first.split())  # no sentence has one: the first


@pytest.mark.parametrize("text, title", [
    ("- Closed-toe shoes are required on site\n- Hard hats stay on", "Closed-toe shoes are required on site"),
    ("* Docker 24 or later\n* Python 3.11", "Docker 24 or later"),
    ("+ Sign in at the gate office", "Sign in at the gate office"),
    ("  - Collect a visitor badge", "Collect a visitor badge"),
    ("\u2022 Visitors wait at the gate.", "Visitors wait at the gate."),
    ("-5 degrees in Tallinn on Monday.", "-5 degrees in Tallinn on Monday."),  # a minus, not a bullet
    # a table's rows are no title: the first line of text after them is; a table alone, its first row's cells
    ("| Name | Phone |\n| --- | --- |\n| Omar Haddad | +372 5123 4567 |\n\nCall the site manager first.",
     "Call the site manager first."),
    ("| Done. Next | Yes |\nThe depot reopens.", "The depot reopens."),  # a row the sentence splitter cuts
    ("| Name | Phone |\n| Omar Haddad | +372 5123 4567 |", "Name \u00b7 Phone"),
])
def test_an_article_titled_by_its_opening_list_item_or_table_is_titled_by_words_not_list_marks_or_bars(text, title):
    # It was "- Closed-toe shoes are required on site", "| Name | Phone |" in /sources and under every quote
    assert make_article("a.md", text, "a.md").title == title


def test_a_huge_line_that_starts_like_a_date_line_is_text_not_metadata():
    text = " date 2023-04-20 This audio is created " + "and the run-on sentence goes on " * 10_000
    article = make_article("a.txt", text, "a.txt")
    assert (article.body_start, article.date) == (0, None)
    assert make_article("b.txt", " date 2023-04-20 short line\nBody.", "b.txt").body_start == 28


def test_a_front_matter_header_is_parsed_with_its_values_stripped_even_around_a_long_run_of_spaces(tmp_path):
    # `key:  value  ` and `key: "json"` lines; spaces and tabs around a value are not part of it.
    (tmp_path / "a.md").write_text('---\ntitle:\t "Summit opens"  \ndate : 2026-11-20 \t\n# a comment\n'
                                   'url:https://example.org/s\n---\n\nThe summit opened.', encoding="utf-8")
    # A header line with a run of spaces inside its value (at 150,000 the old pattern took 77 s: python -m
    # bench.hostile_text times it)
    (tmp_path / "b.md").write_text("---\ntitle: x" + " " * 5_000 + "y" + " " * 1000 + "\n---\nBody.",
                                   encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.url, a.text[a.body_start:]) for a in corpus.articles] == [
        ("a.md", "Summit opens", "2026-11-20", "https://example.org/s", "The summit opened."),
        ("b.md", "x y", None, None, "Body."),
    ]


def test_an_obsidian_note_is_dated_by_its_created_field_and_titled_by_its_numbered_heading_without_the_number(tmp_path):
    # Obsidian's notes carry `created:`, not `date:`: they were undated, and "# 1. Ferry terminal visit" was
    # titled "1." (the sentence splitter ends a sentence at "1.")
    (tmp_path / "visit.md").write_text("---\ncreated: 2026-10-14\ntags:\n  - harbour\n---\n"
                                       "# 1. Ferry terminal visit\n\nThe terminal in Paldiski seats 600.\n",
                                       encoding="utf-8")
    (tmp_path / "results.md").write_text('---\ncreated: "2026-10-15T09:30"\n---\n## 2.3. Results and more\nAll good.',
                                         encoding="utf-8")
    (tmp_path / "both.md").write_text("---\ndate: 2026-11-20\ncreated: 2026-10-01\n---\n# 2027 budget\nIt passed.",
                                      encoding="utf-8")
    (tmp_path / "number.md").write_text("# 1.\n\nA note with a bare number for its heading.", encoding="utf-8")
    assert make_article("alone.md", "# 1.", "alone.md").title == "1."
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date) for a in corpus.articles] == [
        ("both.md", "2027 budget", "2026-11-20"),  # the date its writer gave, over the day the note was made
        ("number.md", "A note with a bare number for its heading.", None),
        ("results.md", "Results and more", "2026-10-15"),
        ("visit.md", "Ferry terminal visit", "2026-10-14"),
    ]


def test_a_front_matter_value_in_single_quotes_or_followed_by_a_yaml_comment_is_read_as_yaml_reads_it(tmp_path):
    # `date: '2023-04-20'` and `date: 2023-04-20  # published` are YAML's date, but left the note undated, and
    # `title: 'Ferry plans'` titled it with its quotes
    (tmp_path / "quoted.md").write_text("---\ntitle: 'Ferry plans: the captain''s view'\ndate: '2023-04-20'\n---\n"
                                        "The ferry runs daily.\n", encoding="utf-8")
    (tmp_path / "commented.md").write_text('---\ntitle: "Ferry plans"  # the working title\n'
                                           "date: 2023-04-20  # published\nurl: https://example.org/ferry#plans\n"
                                           "---\nThe ferry runs daily.\n", encoding="utf-8")
    (tmp_path / "created.md").write_text("---\ntitle: C# tips\ncreated: '2023-04-21' # by the Templater\n---\n"
                                         "Use records.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.url, a.text[a.body_start:]) for a in corpus.articles] == [
        ("commented.md", "Ferry plans", "2023-04-20", "https://example.org/ferry#plans", "The ferry runs daily.\n"),
        ("created.md", "C# tips", "2023-04-21", None, "Use records.\n"),
        ("quoted.md", "Ferry plans: the captain's view", "2023-04-20", None, "The ferry runs daily.\n"),
    ]


def test_a_note_the_obsidian_linter_stamped_is_dated_by_its_date_created_and_its_header_is_not_content(tmp_path):
    # The Linter's `date created:` and `date modified:` keys have a space: the header was read as the note's text,
    # titled "date created: 2023-04-20" and undated
    (tmp_path / "ferry.md").write_text("---\ndate created: 2023-04-20\ndate modified: '2023-05-02T09:15:00+03:00'\n"
                                       "tags:\n  - harbour\n---\n# Ferry plans\nThe ferry runs daily.\n",
                                       encoding="utf-8")
    (tmp_path / "dated.md").write_text("---\ndate: 2023-06-01\ndate created: 2023-04-20\nавтор: Олена\n---\n"
                                       "Notes from the harbour board.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.text[a.body_start:]) for a in corpus.articles] == [
        ("dated.md", "Notes from the harbour board.", "2023-06-01", "Notes from the harbour board.\n"),
        ("ferry.md", "Ferry plans", "2023-04-20", "# Ferry plans\nThe ferry runs daily.\n"),
    ]


def test_a_line_of_prose_between_two_rules_at_a_notes_top_is_its_text_not_a_header_of_a_key_of_several_words(tmp_path):
    # Since a key may be several words, a note opening with a rule, a line of prose with a colon and a rule (a framed
    # summary; a setext heading under a rule) had that line read as a header's "key: value" and lost from its text
    (tmp_path / "update.md").write_text("---\nUpdate from the Kyiv office: the summit opens on Monday.\n---\n\n"
                                        "Olena will attend.\n", encoding="utf-8")
    (tmp_path / "day1.md").write_text("---\nDay 1: Arrival in Kyiv\n---\nWe landed at noon.\n", encoding="utf-8")
    # A header of keys of several words with a year in them (the Linter's stamp, ISO or its default format), or with a
    # key of one word, is still a header
    (tmp_path / "stamped.md").write_text("---\ndate created: 2023-04-20\ndate modified: 2023-05-02\n---\n"
                                         "The ferry runs daily.\n", encoding="utf-8")
    (tmp_path / "linter.md").write_text("---\ndate created: Thursday, April 20th 2023, 10:00:00 am\n"
                                        "date modified: Tuesday, May 2nd 2023, 9:15:00 am\n---\nThe ferry runs daily.\n",
                                        encoding="utf-8")
    (tmp_path / "status.md").write_text("---\ntitle: Ferry plans\nreading status: done\n---\nThe ferry runs daily.\n",
                                        encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.text[a.body_start:]) for a in corpus.articles] == [
        ("day1.md", "Day 1: Arrival in Kyiv", None, "---\nDay 1: Arrival in Kyiv\n---\nWe landed at noon.\n"),
        ("linter.md", "The ferry runs daily.", "2023-04-20", "The ferry runs daily.\n"),  # its default format read too
        ("stamped.md", "The ferry runs daily.", "2023-04-20", "The ferry runs daily.\n"),
        ("status.md", "Ferry plans", None, "The ferry runs daily.\n"),
        ("update.md", "Update from the Kyiv office: the summit opens on Monday.", None,
         "---\nUpdate from the Kyiv office: the summit opens on Monday.\n---\n\nOlena will attend.\n"),
    ]


def test_a_markdown_note_is_titled_by_its_whole_heading_less_a_section_number_roman_or_not_but_no_word_of_it(tmp_path):
    # "# I. Introduction" kept its numeral while "# II. Methods" lost it; "# CIVIC. Plans for the square" was titled
    # "Plans for the square" (CIVIC taken for a numeral), and "# NATO. The summit opens" "NATO." (the heading cut
    # at its first full stop)
    headings = {
        "1.md": ("# I. Introduction", "Introduction"),
        "2.md": ("# II. Methods", "Methods"),
        "3.md": ("## XIV) Findings", "Findings"),
        "4.md": ("# 2.3. Results and more", "Results and more"),
        "5.md": ("# CIVIC. Plans for the square", "CIVIC. Plans for the square"),
        "6.md": ("# MIX. Festival line-up", "MIX. Festival line-up"),
        "7.md": ("# NATO. The summit opens in Vilnius", "NATO. The summit opens in Vilnius"),
        "8.md": ("# Chapter IV. The storm ##", "Chapter IV. The storm"),
        "9.md": ("# 3.5 million visitors came", "3.5 million visitors came"),
    }
    for name, (heading, _) in headings.items():
        (tmp_path / name).write_text(f"{heading}\n\nThe survey covered forty ports.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title) for a in corpus.articles] == [(name, title) for name, (_, title) in headings.items()]


def test_a_jekyll_post_a_daily_note_or_a_journal_page_with_no_date_in_it_is_dated_by_its_file_name(tmp_path):
    # Jekyll dates a post by its name (_posts/2023-04-20-ferry-plans.md, no date: in its front matter), Obsidian a
    # daily note (2023-04-21.md) and Logseq a journal page (journals/2023_04_22.md): all three were undated
    (tmp_path / "_posts").mkdir()
    (tmp_path / "journals").mkdir()
    (tmp_path / "_posts" / "2023-04-20-ferry-plans.md").write_text("---\nlayout: post\ntitle: Ferry plans\n---\n"
                                                                  "The ferry runs daily.\n", encoding="utf-8")
    (tmp_path / "2023-04-21.md").write_text("- Met the harbour master.\n", encoding="utf-8")
    (tmp_path / "journals" / "2023_04_22.md").write_text("- The ferry was late.\n", encoding="utf-8")
    (tmp_path / "2023-04-23 minutes.txt").write_text(" date 2023-05-02\nThe board met.\n", encoding="utf-8")
    (tmp_path / "2023-02-30-notes.md").write_text("---\ndate: 2023-06-01\n---\nNo such day.\n", encoding="utf-8")
    (tmp_path / "2023-13-01.md").write_text("No such month.\n", encoding="utf-8")
    (tmp_path / "20230424-ferry.md").write_text("Not a date of a name.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.date) for a in corpus.articles] == [
        ("2023-02-30-notes.md", "2023-06-01"),
        ("2023-04-21.md", "2023-04-21"),
        ("2023-04-23 minutes.txt", "2023-05-02"),  # the date in the file over its name's
        ("2023-13-01.md", None),
        ("20230424-ferry.md", None),
        ("_posts/2023-04-20-ferry-plans.md", "2023-04-20"),
        ("journals/2023_04_22.md", "2023-04-22"),
    ]


def test_a_front_matter_value_on_the_lines_below_its_key_is_read_whole_not_as_its_block_mark(tmp_path):
    # Jekyll's long titles are folded (`title: >-` then indented lines): the post was titled ">-"
    (tmp_path / "folded.md").write_text("---\nlayout: post\ntitle: >-\n  Tallinn's harbour tunnel: what the\n"
                                        "  council decided\ndescription: |\n  Notes from the meeting.\n\n"
                                        "  - the vote\ndate: 2023-04-20\n---\nThe council met.\n", encoding="utf-8")
    (tmp_path / "plain.md").write_text("---\ntitle:\n  Ferry plans for\n  the harbour\ntags:\n  - harbour\n"
                                       "author:\n  name: Olena\n---\nThe ferry runs daily.\n", encoding="utf-8")
    (tmp_path / "tagged.md").write_text("---\ntitle: |-\n---\nNo title under the mark.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.text[a.body_start:]) for a in corpus.articles] == [
        ("folded.md", "Tallinn's harbour tunnel: what the council decided", "2023-04-20", "The council met.\n"),
        ("plain.md", "Ferry plans for the harbour", None, "The ferry runs daily.\n"),
        ("tagged.md", "No title under the mark.", None, "No title under the mark.\n"),
    ]


def test_a_front_matter_value_below_its_key_with_a_colon_inside_a_word_is_read_not_taken_for_a_mapping(tmp_path):
    # "10:30" and "https://…" were taken for a YAML mapping's "key: value" under the key, and the value was lost: the
    # note titled by its first sentence, its address gone. YAML's mapping has a blank (or the line's end) after its colon.
    (tmp_path / "ferry.md").write_text("---\ntitle:\n  Ferry timetable from 10:30\nurl:\n  https://harbour.example/ferry\n"
                                       "author:\n  name: Olena\n---\nThe ferry runs daily.\n", encoding="utf-8")
    [article] = read_corpus(tmp_path).articles
    assert (article.title, article.url, article.text[article.body_start:]) == (
        "Ferry timetable from 10:30", "https://harbour.example/ferry", "The ferry runs daily.\n")


def test_a_jekyll_page_with_an_empty_front_matter_has_no_header_in_its_text(tmp_path):
    # Jekyll renders a page only when it opens with a front matter, empty as it may be ("---" then "---"): the two
    # rules were read as the page's text, its first passage opening "--- ---"
    (tmp_path / "about.md").write_text("---\n---\n\n# About the harbour board\n\nThe board meets monthly.\n",
                                       encoding="utf-8")
    [article] = read_corpus(tmp_path).articles
    assert (article.title, article.text[article.body_start:]) == (
        "About the harbour board", "# About the harbour board\n\nThe board meets monthly.\n")


def test_a_jekyll_page_with_an_empty_front_matter_and_a_rule_further_down_has_no_header_in_its_text(tmp_path):
    # The empty header's "---" then "---" was read as the start of a header running to the page's next rule ("---"
    # under its first section): that was no header, so the whole page was text again, opening "--- ---"
    (tmp_path / "about.md").write_text("---\n---\n\n# About the harbour board\n\nThe board meets monthly.\n\n---\n\n"
                                       "Contact the secretary.\n", encoding="utf-8")
    [article] = read_corpus(tmp_path).articles
    assert (article.title, article.text[article.body_start:]) == (
        "About the harbour board",
        "# About the harbour board\n\nThe board meets monthly.\n\n---\n\nContact the secretary.\n")


def test_raising_the_size_limit_gets_a_skipped_file_indexed_and_lowering_it_drops_it(tmp_path, monkeypatch, embedder):
    from index.build import IndexBuilder
    from index.search import Searcher
    from index.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "small.txt").write_text("It rained all day in Chisinau on Monday.", encoding="utf-8")
    (corpus / "big.txt").write_text("The harbour tunnel under Tallinn Bay opens to traffic in 2031. " * 20,
                                    encoding="utf-8")  # 1,280 bytes
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.001")
    assert [s.path for s in builder.build().skipped] == ["big.txt"]
    assert builder.status() == "fresh"

    # As the skip's warning advises: the size and mtime are unchanged, and the recorded "not read"
    # stamp used to be kept, so the index stayed "fresh" without the file.
    monkeypatch.delenv("CITEBOT_MAX_FILE_MB")
    assert builder.status() == "stale"
    assert builder.build().skipped == []
    assert builder.status() == "fresh"
    store = Store.load(tmp_path / "index", model=embedder.model)
    hits = Searcher(store, embedder).search("When does the Tallinn Bay tunnel open?", k=1)
    assert hits[0].passage.doc == "big.txt"

    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.001")
    assert builder.status() == "stale"
    assert [s.path for s in builder.build().skipped] == ["big.txt"]
    assert sorted(Store.load(tmp_path / "index", model=embedder.model).articles) == ["small.txt"]


def test_lowering_the_size_limit_drops_a_jsonl_line_over_it_from_the_index_and_raising_it_takes_the_line_back(
        tmp_path, monkeypatch, embedder):
    # An unchanged file's articles are the previous build's: a .jsonl line over a lowered limit stayed indexed, and one
    # skipped under the old limit stayed skipped once it was raised, its warning still saying to set the limit
    from index.build import IndexBuilder
    from index.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = [{"id": "ferry", "text": "The ferry line opens in spring."},
            {"id": "tunnel", "text": "The harbour tunnel under Tallinn Bay opens to traffic in 2031. " * 20}]
    # its second line is 1,300 bytes long
    (corpus / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.001")
    assert builder.status() == "stale"
    report = builder.build()
    assert ([(s.path, s.reason) for s in report.skipped], report.embedded_passages) == (
        [("wire.jsonl:2", "line over the 0.001 MB limit (set CITEBOT_MAX_FILE_MB)")], 0)
    assert sorted(Store.load(builder.index_dir, model=embedder.model).articles) == ["wire.jsonl#ferry"]
    assert builder.status() == "fresh"
    monkeypatch.delenv("CITEBOT_MAX_FILE_MB")
    assert builder.status() == "stale"
    assert builder.build().skipped == []
    assert sorted(Store.load(builder.index_dir, model=embedder.model).articles) == ["wire.jsonl#ferry",
                                                                                    "wire.jsonl#tunnel"]


def test_a_file_named_in_bytes_that_are_not_utf8_is_skipped_by_name_and_a_linked_folder_is_read_once(
        tmp_path, embedder):
    from index.build import IndexBuilder

    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    corpus.mkdir(), elsewhere.mkdir()
    (corpus / "good.txt").write_text("The bridge opens in May.", encoding="utf-8")
    (elsewhere / "tram.txt").write_text("The tram line opens in June.", encoding="utf-8")
    with open(os.fsencode(corpus) + b"/caf\xe9.txt", "w", encoding="utf-8") as latin1_name:
        latin1_name.write("The cafe closed.")
    (corpus / "linked").symlink_to(elsewhere)
    (corpus / "loop").symlink_to(corpus)

    read = read_corpus(corpus)
    assert sorted(a.id for a in read.articles) == ["good.txt", "linked/tram.txt"]
    assert [(s.path, s.reason) for s in read.skipped] == [
        ("loop", "a link to a folder read already (the corpus folder)"),
        ("caf\\xe9.txt", "its name is not UTF-8: rename it")]
    assert set(fingerprint(corpus)) == {"good.txt", "linked/tram.txt"}
    report = IndexBuilder(corpus, tmp_path / "index", embedder).build()  # the manifest once could not hold the name
    assert (report.articles, len(report.skipped)) == (2, 2)


@pytest.mark.parametrize("control", ["&#x1b;", "&#27;", "\x1b", "\x0c"])
def test_an_html_article_with_a_stray_control_character_is_read_not_dropped(tmp_path, control):
    (tmp_path / "a.html").write_text(
        "<html><head><title>Cheese festival</title></head><body><article><h1>Cheese festival</h1><p>The cheese "
        f"festival in Riga takes place every August.{control} It draws 20,000 visitors from the Baltic states and "
        "beyond, and the city closes its old town to traffic for three days.</p></article></body></html>",
        encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert (corpus.skipped, [a.title for a in corpus.articles]) == ([], ["Cheese festival"])
    assert "takes place every August. It draws 20,000 visitors" in corpus.articles[0].text  # trafilatura joins spaces


@pytest.mark.parametrize("given", ["absolute", "relative", "dot"])
def test_corpus_paths_keys_each_corpus_file_by_its_path_relative_to_the_corpus_in_the_same_order(
        tmp_path, monkeypatch, given):
    from pathlib import Path

    from index.documents import corpus_files, corpus_paths

    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    (corpus / "b.example" / "2026").mkdir(parents=True), elsewhere.mkdir()
    for rel in ["z.txt", "a.md", "b.example/2026/story.md", "b.example/x.HTML", "dump.jsonl", "dump.jsonl#1.txt",
                ".hidden.txt", "b.example/.draft.md", "notes.doc", "app.js"]:
        (corpus / rel).write_text("The bridge opens in May.", encoding="utf-8")
    (elsewhere / "tram.txt").write_text("The tram line opens in June.", encoding="utf-8")
    os.mkdir(os.fsencode(corpus) + b"/caf\xe9")
    (corpus / "linked").symlink_to(elsewhere)
    (corpus / "b.example" / "loop").symlink_to(corpus)
    monkeypatch.chdir(tmp_path if given == "relative" else corpus)
    root = {"absolute": corpus, "relative": Path("corpus"), "dot": Path(".")}[given]

    paths = corpus_paths(root)
    # notes.doc is listed, to be skipped with a warning (a document the reader does not read), app.js is not
    assert list(paths) == ["a.md", "dump.jsonl", "notes.doc", "z.txt", "b.example/x.HTML", "b.example/2026/story.md",
                           "linked/tram.txt"]
    assert list(paths.values()) == corpus_files(root)
    assert [path.relative_to(root).as_posix() for path in paths.values()] == list(paths)


def test_a_document_of_a_kind_not_read_is_skipped_with_a_warning_saying_how_to_have_it_read(tmp_path, caplog):
    (tmp_path / "good.txt").write_text("The ferry leaves at noon.", encoding="utf-8")
    for name in ("legacy.doc", "notes.odt", "story.RTF", "page.webarchive", "export.csv", "old.txt.gz", "dump.json",
                 "sitemap.xml", "feeds.opml"):
        (tmp_path / name).write_bytes(b"PK\x03\x04 not read, not even opened")
    for name in ("app.js", "style.css", "logo.png", "Makefile"):  # not documents anyone takes for articles
        (tmp_path / name).write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="citebot.documents"):
        corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("dump.json", 'a .json file is not read: put its articles in a .jsonl file, one {"text": "…"} a line'),
        ("export.csv", 'a table (.csv) is not read: put its articles in a .jsonl file, one {"text": "…"} a line'),
        ("feeds.opml", "a list of feeds (.opml) is not an article: follow its feeds with citebot feeds add FILE"),
        ("legacy.doc", "an old Word document (.doc) is not read: save it as .docx"),
        ("notes.odt", "an OpenDocument text (.odt) is not read: save it as .docx or .pdf"),
        ("old.txt.gz", "a compressed file (.gz) is not read: unpack it into the corpus folder"),
        ("page.webarchive", 'a web page saved as a Safari web archive is not read: save it as "Webpage, HTML only" '
                            "(.html), or add its address: citebot add URL"),
        ("sitemap.xml", "an .xml file is not read: follow a feed with citebot feeds add URL; save articles as .txt, "
                        ".html or .jsonl"),
        ("story.RTF", "a Rich Text document (.rtf) is not read: save it as .docx or .txt"),
    ]
    assert caplog.messages == [f"skipping {s.path}: {s.reason}" for s in corpus.skipped]
    assert fingerprint(tmp_path)["legacy.doc"].sha256 == "not read: a .doc file"  # never hashed: a 2 GB .zip costs nothing


def test_a_word_97_document_dropped_into_an_indexed_corpus_is_noticed_and_warned_about_once_not_passed_over(
        tmp_path, embedder, caplog):
    from index.build import IndexBuilder
    from index.watch import refresh
    from tests.living import indexed_template

    root = indexed_template(tmp_path, embedder)
    builder = IndexBuilder(root / "corpus", root / "index", embedder)
    (root / "corpus" / "draft.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with caplog.at_level(logging.WARNING, logger="citebot.documents"):
        report = refresh(builder)  # what a running chat's or bot's look at the corpus folder does
    assert report is not None and report.articles == 2 and report.embedded_passages == 0
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("draft.doc", "an old Word document (.doc) is not read: save it as .docx")]
    assert caplog.messages == ["skipping draft.doc: an old Word document (.doc) is not read: save it as .docx"]
    assert refresh(builder) is None  # the next look finds the index fresh: warned about once, not at every look


def test_a_page_saved_complete_is_read_and_the_folder_of_its_scripts_frames_and_ads_is_passed_over(tmp_path):
    # What a browser's "Save page as…, Webpage, complete" writes: the page, and beside it PAGE_files/ holding what the
    # page loads, frames and ads among them (Chrome saves an ad's script served as text as f.txt)
    story = ("<html><head><title>Harbour tunnel opens</title></head><body><article><h1>Harbour tunnel opens</h1>"
             "<p>The harbour tunnel under Tallinn Bay opened to traffic on Monday after six years of work.</p>"
             "<p>It cost 412 million euros, the city council said, and carries four lanes.</p></article></body></html>")
    (tmp_path / "Harbour tunnel opens.html").write_text(story, encoding="utf-8")
    files = tmp_path / "Harbour tunnel opens_files"
    files.mkdir()
    (files / "saved_resource.html").write_text(
        "<html><body><p>Win a cruise to Helsinki today! Click here to claim your prize before the offer ends at "
        "midnight, terms apply.</p></body></html>", encoding="utf-8")
    (files / "f.txt").write_text("(function(){var ad=document.createElement('div');})();", encoding="utf-8")
    (files / "app.js").write_text("var x = 1;", encoding="utf-8")
    (tmp_path / "Budget_files").mkdir()  # a folder so named beside no saved page is a folder of articles
    (tmp_path / "Budget_files" / "notes.txt").write_text("The budget passed on Friday.", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["Harbour tunnel opens.html", "Budget_files/notes.txt"]
    assert corpus.skipped == []


def test_a_front_matter_of_capitalised_keys_or_a_date_written_with_slashes_dots_or_words_titles_and_dates_the_note(tmp_path):
    # Hand-written and European notes write `Title:`, `Date:` and dates as 2023/04/20 or 20.04.2023: the header was
    # read (no content) but the note was titled by its first sentence and undated
    (tmp_path / "bridge.md").write_text("---\nTitle: Bridge repairs\nDate: 2023/04/21\nURL: https://example.org/b\n---\n"
                                        "The bridge will close in June.\n", encoding="utf-8")
    (tmp_path / "tram.md").write_text("---\ntitle: Tram line\ndate: 22.04.2023\n---\nThe tram line opens.\n",
                                      encoding="utf-8")
    (tmp_path / "made.md").write_text("---\nDate Created: 3.5.2023 10:15\n---\nThe pier was painted.\n",
                                      encoding="utf-8")
    (tmp_path / "worded.md").write_text("---\ndate: April 24th, 2023\n---\nThe port reopened.\n", encoding="utf-8")
    (tmp_path / "both.md").write_text("---\nDate: 2023-01-01\ndate: 2023-04-25\n---\nThe lower-case key's.\n",
                                      encoding="utf-8")
    (tmp_path / "wrong.md").write_text("---\ndate: 31.02.2023\n---\nNo such day.\n", encoding="utf-8")
    (tmp_path / "american.md").write_text("---\ndate: 04/05/2023\n---\nApril or May: not told.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.url) for a in corpus.articles] == [
        ("american.md", "April or May: not told.", None, None),
        ("both.md", "The lower-case key's.", "2023-04-25", None),
        ("bridge.md", "Bridge repairs", "2023-04-21", "https://example.org/b"),
        ("made.md", "The pier was painted.", "2023-05-03", None),
        ("tram.md", "Tram line", "2023-04-22", None),
        ("worded.md", "The port reopened.", "2023-04-24", None),
        ("wrong.md", "No such day.", None, None),
    ]


def test_a_date_written_day_first_with_slashes_or_dashes_or_year_first_with_dots_is_its_day_when_it_can_be_told(
        tmp_path):
    # Romania, Ukraine and Britain write a day as 20/04/2023 or 20-04-2023, Hungary and Korea's sites as 2023.04.20:
    # such a note was undated (citations and /sources showed no date) and a .jsonl row kept "20/04/2023" as written,
    # sorted above every ISO date. A day is read where its order can be told (a number over 12 is the day, as in
    # America's 04/21/2023); 04/07/2023 (April or July) still is not, and the note is dated by its `created`
    notes = {"ro.md": "20/04/2023", "dashed.md": "21-04-2023", "dotted.md": "2023.04.22", "time.md": "23/04/2023 10:30",
             "us.md": "04/24/2023", "either.md": "04/07/2023", "none.md": "13/13/2023", "mixed.md": "20/04-2023"}
    for name, date in notes.items():
        (tmp_path / name).write_text(f"---\ndate: {date}\ncreated: 2023-01-01\n---\nPodul va fi reparat.\n",
                                     encoding="utf-8")
    rows = [{"id": "a", "date": "25/04/2023", "text": "Ministrul a anunțat un nou pod."},
            {"id": "b", "date": "2023.04.26", "text": "Мер оголосив про відновлення метро."}]
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                         encoding="utf-8")
    assert [(a.id, a.date) for a in read_corpus(tmp_path).articles] == [
        ("dashed.md", "2023-04-21"), ("dotted.md", "2023-04-22"), ("either.md", "2023-01-01"),
        ("mixed.md", "2023-01-01"), ("news.jsonl#a", "2023-04-25"), ("news.jsonl#b", "2023-04-26"),
        ("none.md", "2023-01-01"), ("ro.md", "2023-04-20"), ("time.md", "2023-04-23"), ("us.md", "2023-04-24")]


def test_a_front_matter_date_that_is_no_day_is_no_date_and_the_note_is_dated_by_its_created_or_its_name(tmp_path):
    # An unpublished WordPress draft's zero date, a typo's 31 February: the note was dated "0000-00-00", "2023-02-31",
    # though 31.02.2023 written with dots is no date
    (tmp_path / "2023-04-20-draft.md").write_text("---\ntitle: Draft\ndate: 0000-00-00 00:00:00\n---\n"
                                                  "The ferry runs daily.\n", encoding="utf-8")
    (tmp_path / "typo.md").write_text("---\ndate: 2023-02-31\ncreated: 2023-04-19\n---\nThe pier was painted.\n",
                                      encoding="utf-8")
    (tmp_path / "month.md").write_text("---\ndate: 2023-13-01T10:00:00+03:00\n---\nThe tram line opens.\n",
                                       encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date) for a in corpus.articles] == [
        ("2023-04-20-draft.md", "Draft", "2023-04-20"),
        ("month.md", "The tram line opens.", None),
        ("typo.md", "The pier was painted.", "2023-04-19"),
    ]


def test_a_word_before_a_written_date_is_read_as_its_weekday_only_when_it_is_one(tmp_path):
    # "Due May 3, 2023", "before April 24, 2023": the deadline was taken for the day the note was written, the word
    # before it read as a weekday (as "Thursday, April 20th 2023" of the Obsidian Linter is)
    (tmp_path / "grant.md").write_text("---\ndate: Due May 3, 2023\ncreated: 2023-04-20\n---\nThe grant covers the pier.\n",
                                       encoding="utf-8")
    (tmp_path / "Ferry launch 9f8e7d6c5b4a39281706f5e4d3c2b1a0.md").write_text(
        "# Ferry launch\n\nDate: before April 24, 2023\nCreated: April 19, 2023 10:00 AM\n\nThe ferry starts in May.\n",
        encoding="utf-8")
    (tmp_path / "linter.md").write_text("---\ndate created: Thursday, April 20th 2023, 10:00:00 am\n---\nThe pier.\n",
                                        encoding="utf-8")
    (tmp_path / "mail.md").write_text("---\ndate: Sat., 22 Apr 2023 10:00:00 +0300\n---\nThe tram.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.date) for a in corpus.articles] == [
        ("Ferry launch 9f8e7d6c5b4a39281706f5e4d3c2b1a0.md", "2023-04-19"),
        ("grant.md", "2023-04-20"),
        ("linter.md", "2023-04-20"),
        ("mail.md", "2023-04-22"),
    ]


def test_a_date_written_by_hand_in_ukrainian_romanian_or_russian_is_its_day_wherever_a_note_gives_one(tmp_path):
    # "date: 20 квітня 2023 р.", "21 aprilie 2023", "22 апреля 2023 г." (as a newsroom's notes, and Obsidian in those
    # languages, write a day) left the note undated; a .jsonl row kept "26 апреля 2023 г." as written, which sorted
    # above every ISO date: the newest article in /sources and "latest" answers
    notes = {"uk.md": "date: 20 квітня 2023 р.", "ro.md": "date: 21 aprilie 2023", "ru.md": "date: 22 апреля 2023 г.",
             "linter.md": "date created: четвер, 20 квітня 2023 р., 10:00", "mai.md": "date: 3 mai 2023",
             "year.md": "date: 20 квітня 2023 року", "short.md": "date: 24 ian. 2023"}
    for name, line in notes.items():
        (tmp_path / name).write_text(f"---\n{line}\n---\nПоромне сполучення відновлять.\n", encoding="utf-8")
    (tmp_path / "Нарада 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md").write_text(
        "# Нарада\n\nCreated: 5 травня 2023 10:00\n\nНарада щодо бюджету відбулася в мерії.\n", encoding="utf-8")
    rows = [{"id": "a", "date": "24 apr. 2023", "text": "Ministrul a anunțat un nou pod."},
            {"id": "b", "date": "25 квітня 2023", "text": "Мер оголосив про відновлення метро."},
            {"id": "c", "date": "26 апреля 2023 г.", "text": "Глава города сообщил о мосте."},
            {"id": "d", "date": "квітень 2023", "text": "Міст відкрили."}]
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                         encoding="utf-8")
    assert [(a.id, a.date) for a in read_corpus(tmp_path).articles] == [
        ("linter.md", "2023-04-20"), ("mai.md", "2023-05-03"),
        ("news.jsonl#a", "2023-04-24"), ("news.jsonl#b", "2023-04-25"), ("news.jsonl#c", "2023-04-26"),
        ("news.jsonl#d", "квітень 2023"), ("ro.md", "2023-04-21"), ("ru.md", "2023-04-22"),
        ("short.md", "2023-01-24"), ("uk.md", "2023-04-20"), ("year.md", "2023-04-20"),
        ("Нарада 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md", "2023-05-05")]


def test_a_ukrainian_or_russian_date_typed_in_haste_is_its_day_as_typed_with_care(tmp_path):
    # "22 квітня 2023 р" (the year's word with no dot), "20-го квітня 2023" (the day as an ordinal, as said aloud) and
    # "23 квiтня 2023" (a Latin i typed for the Cyrillic one, a keyboard left in English, as "трaвня" with a Latin a)
    # left the note undated: no date in its citation or in /sources. A word that is no month stays none
    notes = {"dotless.md": "22 квітня 2023 р", "ru.md": "24 апреля 2023 г", "ordinal.md": "20-го квітня 2023",
             "ruordinal.md": "21-го апреля 2023 г.", "latin.md": "23 квiтня 2023", "latin2.md": "5 трaвня 2023 р.",
             "weekday.md": "понедiлок, 24 квiтня 2023 р.", "word.md": "20 мiста 2023", "year.md": "2023 р"}
    for name, date in notes.items():
        (tmp_path / name).write_text(f"---\ndate: {date}\ncreated: 2023-01-01\n---\nПоромне сполучення відновлять.\n",
                                     encoding="utf-8")
    assert [(a.id, a.date) for a in read_corpus(tmp_path).articles] == [
        ("dotless.md", "2023-04-22"), ("latin.md", "2023-04-23"), ("latin2.md", "2023-05-05"),
        ("ordinal.md", "2023-04-20"), ("ru.md", "2023-04-24"), ("ruordinal.md", "2023-04-21"),
        ("weekday.md", "2023-04-24"), ("word.md", "2023-01-01"), ("year.md", "2023-01-01")]


def test_a_month_of_another_language_is_a_date_only_with_its_day_and_year_in_the_form_a_date_takes(tmp_path):
    # Romanian "mai" is "more" too, Ukrainian "лютого" "fierce": a word is a month only between a day and a year, in
    # the case the language writes after a day ("20 квітня", not "20 квітень"); none of these is the note's day, which
    # is left to its `created`
    dates = ["mai mult 2023", "20 mai mult", "квітень 2023", "20 квітень 2023", "20 квітня", "Due 3 mai 2023",
             "до 20 квітня 2023", "aprilie 20, 2023"]
    for n, date in enumerate(dates):
        (tmp_path / f"note{n}.md").write_text(f"---\ndate: {date}\ncreated: 2023-04-0{n + 1}\n---\nThe pier.\n",
                                              encoding="utf-8")
    assert [a.date for a in read_corpus(tmp_path).articles] == [f"2023-04-0{n + 1}" for n in range(len(dates))]


def test_a_date_written_with_non_breaking_spaces_is_its_day_as_with_spaces(tmp_path):
    # Russian and Ukrainian typography binds "2023 г." and "20 квітня" with a non-breaking space (a CMS's &nbsp;, a
    # typographer's, Word's Ctrl+Shift+Space): "22\u00a0апреля 2023\u00a0г." left a note undated, and a .jsonl row kept
    # it as written, sorted above every ISO date (the newest article in /sources); English "April\u00a020, 2023" too
    (tmp_path / "ru.md").write_text("---\ndate: 22\u00a0апреля 2023\u00a0г.\n---\nГлава города сообщил о мосте.\n",
                                    encoding="utf-8")
    rows = [{"id": "a", "date": "20\u00a0квітня\u00a02023\u00a0р.", "text": "Мер оголосив про відновлення метро."},
            {"id": "b", "date": "April\u00a021, 2023", "text": "The mayor announced the metro."},
            {"id": "c", "date": "24\u202fapr.\u202f2023", "text": "Ministrul a anunțat un nou pod."}]
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                         encoding="utf-8")
    assert [(a.id, a.date) for a in read_corpus(tmp_path).articles] == [
        ("news.jsonl#a", "2023-04-20"), ("news.jsonl#b", "2023-04-21"), ("news.jsonl#c", "2023-04-24"),
        ("ru.md", "2023-04-22")]


def test_a_weekday_cut_short_before_a_ukrainian_russian_or_romanian_date_is_its_weekday_as_thu_is_in_english(tmp_path):
    # "чт, 20 квіт. 2023 р.", "вс, 23 апр. 2023 г.", "dum., 23 apr. 2023" (a browser's or a phone's date with its weekday
    # cut short, as "Thu, 20 Apr 2023" is in English) left the note undated; a word that is no weekday still is no day
    notes = {"uk.md": "date: чт, 20 квіт. 2023 р.", "ru.md": "date: Вс, 23 апр. 2023 г.",
             "ro.md": "date: dum., 23 apr. 2023", "time.md": "date: Пт, 21 квітня 2023 р., 10:00",
             "ro2.md": "date: sâm., 22 aprilie 2023", "due.md": "date: до 20 квітня 2023"}
    for name, line in notes.items():
        (tmp_path / name).write_text(f"---\n{line}\ncreated: 2023-04-01\n---\nПоромне сполучення.\n", encoding="utf-8")
    assert [(a.id, a.date) for a in read_corpus(tmp_path).articles] == [
        ("due.md", "2023-04-01"), ("ro.md", "2023-04-23"), ("ro2.md", "2023-04-22"), ("ru.md", "2023-04-23"),
        ("time.md", "2023-04-21"), ("uk.md", "2023-04-20")]


def test_romanian_months_cut_short_as_romanian_writes_them_are_their_months(tmp_path):
    # "3 febr. 2023" and "3 noiem. 2023" (Romanian's own cuts of februarie and noiembrie, beside feb. and nov.) left
    # the note undated
    for name, date in (("feb.md", "3 febr. 2023"), ("nov.md", "4 noiem. 2023")):
        (tmp_path / name).write_text(f"---\ndate: {date}\n---\nPodul vechi a fost închis.\n", encoding="utf-8")
    assert [(a.id, a.date) for a in read_corpus(tmp_path).articles] == [("feb.md", "2023-02-03"),
                                                                        ("nov.md", "2023-11-04")]


def test_a_notion_page_exported_as_markdown_is_dated_by_the_date_or_created_property_under_its_title(tmp_path):
    # Notion writes a page's properties a line each under its title's heading: the note was undated
    (tmp_path / "Harbour budget 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md").write_text(
        "# Harbour budget\n\nCreated: April 20, 2023 10:00 AM\nTags: council, port\n\n"
        "The harbour budget rose to 4 million euros.\n", encoding="utf-8")
    (tmp_path / "Ferry plans 9f8e7d6c5b4a39281706f5e4d3c2b1a0.md").write_text(
        "# Ferry plans\n\nCreated time: April 20, 2023 10:00 AM\nDate: April 24, 2023\nLast edited time: May 2, 2023 "
        "9:15 AM\n\nThe ferry runs twice a day.\n", encoding="utf-8")
    # A heading and a line with a colon under it, no date: a note, undated; a date further down is the text's
    (tmp_path / "agenda.md").write_text("# Agenda\n\nItem one: the budget.\n\nCreated: April 20, 2023\n",
                                        encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.text[a.body_start:a.body_start + 16]) for a in corpus.articles] == [
        ("Ferry plans 9f8e7d6c5b4a39281706f5e4d3c2b1a0.md", "Ferry plans", "2023-04-24", "# Ferry plans\n\nC"),
        ("Harbour budget 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md", "Harbour budget", "2023-04-20", "# Harbour budget"),
        ("agenda.md", "Agenda", None, "# Agenda\n\nItem o"),
    ]


def test_a_notion_page_is_linked_by_its_url_property_and_dated_by_a_date_range_or_a_property_named_with_an_emoji(
        tmp_path):
    # a page Notion's Web Clipper saved has its address as "URL: https://…": the article had no link, so no answer
    # could cite it; a date range ("April 20, 2023 → April 22, 2023"), a property named with "&" or an emoji above the
    # date ("Owner & team:", "📅 Date:") left the page undated
    (tmp_path / "Ferry plans 9f8e7d6c5b4a39281706f5e4d3c2b1a0.md").write_text(
        "# Ferry plans\n\nCreated: April 20, 2023 10:00 AM\nURL: https://news.example.org/ferry-plans?id=7\n\n"
        "The ferry runs twice a day.\n", encoding="utf-8")
    (tmp_path / "Summit 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md").write_text(
        "# Summit\n\nDate: April 21, 2023 → April 23, 2023\nURL: summit notes\n\nThe summit opens in Vilnius.\n",
        encoding="utf-8")
    (tmp_path / "Budget 0a1b2c3d4e5f60718293a4b5c6d7e8f9.md").write_text(
        "# Budget\n\nOwner & team: Olena, port office\n📅 Date: April 22, 2023\n\nThe budget rose.\n",
        encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.title, a.date, a.url) for a in corpus.articles] == [
        ("Budget", "2023-04-22", None),
        ("Ferry plans", "2023-04-20", "https://news.example.org/ferry-plans?id=7"),
        ("Summit", "2023-04-21", None),  # "summit notes" is no address
    ]
    # the property lines stay the page's text, as its tags do
    assert "URL: https://news.example.org/ferry-plans?id=7" in corpus.articles[1].text[corpus.articles[1].body_start:]


def test_a_notion_page_with_a_line_separator_or_a_form_feed_in_a_property_line_is_read_and_dated(tmp_path):
    # review of 4534828: a property line holding a U+2028 (text pasted from a web page), a U+0085 or a form feed, one
    # line to the header's reading, was cut in two by str.splitlines, whose piece matched no property: AttributeError,
    # and `citebot index` (and `citebot add` of the page) stopped with a traceback, every other article unread
    (tmp_path / "Clip 9f8e7d6c5b4a39281706f5e4d3c2b1a0.md").write_text(
        "# Clip\n\nTags: ferry\u2028port\nOwner\x0cteam: Olena\u0085Petro\nCreated: April 20, 2023 10:00 AM\n"
        "URL: https://news.example.org/clip\n\nThe ferry runs twice a day.\n", encoding="utf-8")
    (tmp_path / "summit.txt").write_text("The summit opens in Vilnius.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.title, a.date, a.url) for a in corpus.articles] == [
        ("Clip", "2023-04-20", "https://news.example.org/clip"), ("The summit opens in Vilnius.", None, None)]


def test_a_notion_pages_url_with_an_arrow_in_it_is_its_link_whole_a_date_range_its_first_day(tmp_path):
    # review of 4534828: every property's value was cut at its first "→", a date range's mark, so an address with one
    # in it ("https://…/wiki/A→B", a link typed or pasted as a browser shows it) was cited cut short, "https://…/wiki/A"
    (tmp_path / "Arrows 9f8e7d6c5b4a39281706f5e4d3c2b1a0.md").write_text(
        "# Arrows\n\nDate: April 21, 2023 → April 23, 2023\nURL: https://wiki.example.org/wiki/A→B\n\n"
        "The arrow points right.\n", encoding="utf-8")
    assert [(a.title, a.date, a.url) for a in read_corpus(tmp_path).articles] == [
        ("Arrows", "2023-04-21", "https://wiki.example.org/wiki/A→B")]


def test_a_notion_pages_url_of_a_thousand_characters_is_its_link_and_the_date_below_it_is_read(tmp_path):
    # review of 4534828: a property line was read to its 500th character, so a clipped page's address past that (a
    # tracking link; 4534828 took one of up to 2,048) was no link, and stopped the header: the Created under it was lost
    url = "https://news.example.org/story?utm_source=" + "x" * 1000
    (tmp_path / "Clip 9f8e7d6c5b4a39281706f5e4d3c2b1a0.md").write_text(
        f"# Clip\n\nURL: {url}\nCreated: April 20, 2023 10:00 AM\n\nThe ferry runs twice a day.\n", encoding="utf-8")
    (tmp_path / "Long 0a1b2c3d4e5f60718293a4b5c6d7e8f9.md").write_text(  # longer than a link is: neither
        f"# Long\n\nURL: {url}{'y' * 2048}\nCreated: April 21, 2023 10:00 AM\n\nThe tram runs.\n", encoding="utf-8")
    assert [(a.title, a.date, a.url) for a in read_corpus(tmp_path).articles] == [
        ("Clip", "2023-04-20", url), ("Long", None, None)]


def test_a_logseq_page_is_titled_and_dated_by_its_page_properties_which_are_not_its_text(tmp_path):
    # Logseq writes a page's properties as `key:: value` lines at its top: the page was titled "title:: Ferry plans",
    # undated, and the lines were its text
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "ferry.md").write_text("title:: Ferry plans\ndate:: [[Apr 20th, 2023]]\ntags:: [[port]], news\n\n"
                                                 "- The ferry to Tallinn will run twice a day from May.\n",
                                                 encoding="utf-8")
    (tmp_path / "pages" / "tram.md").write_text("type:: [[meeting]]\ncreated:: 2023-04-21\n- The tram line opens.\n",
                                                encoding="utf-8")
    (tmp_path / "pages" / "chat.md").write_text("Olena:: we meet at ten.\nThe board met.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.text[a.body_start:]) for a in corpus.articles] == [
        ("pages/chat.md", "Olena:: we meet at ten.", None, "Olena:: we meet at ten.\nThe board met.\n"),
        ("pages/ferry.md", "Ferry plans", "2023-04-20", "- The ferry to Tallinn will run twice a day from May.\n"),
        ("pages/tram.md", "The tram line opens.", "2023-04-21", "- The tram line opens.\n"),
    ]


def test_a_date_at_year_one_or_more_than_a_year_ahead_is_no_date_and_the_note_is_dated_by_its_created_or_its_name(
        tmp_path):
    # Go's zero time (Hugo writes it for "no date"), a placeholder's 9999-12-31, a typo's year 3023: the notes were
    # dated so, sorted as the oldest or the newest article in /sources and "latest" answers
    import datetime

    (tmp_path / "zero.md").write_text("---\ntitle: Pier\ndate: 0001-01-01T00:00:00Z\ncreated: 2023-04-19\n---\n"
                                      "The pier is open.\n", encoding="utf-8")
    (tmp_path / "2023-04-20-far.md").write_text("---\ntitle: Ferry\ndate: 9999-12-31\n---\nThe ferry leaves at ten.\n",
                                                encoding="utf-8")
    (tmp_path / "typo.md").write_text("---\ntitle: Bridge\ndate: 20.04.3023\n---\nThe bridge is shut.\n",
                                      encoding="utf-8")
    (tmp_path / "0999-01-01-old.md").write_text("The tram runs late.\n", encoding="utf-8")
    (tmp_path / "harbour.txt").write_text("date 9999-12-31\nThe harbour crane was repaired.\n", encoding="utf-8")
    soon = datetime.date.today() + datetime.timedelta(days=30)  # a post scheduled next month keeps its day
    (tmp_path / "soon.md").write_text(f"---\ntitle: Crane\ndate: {soon.isoformat()}\n---\nThe crane is fixed.\n",
                                      encoding="utf-8")
    assert [(a.id, a.title, a.date) for a in read_corpus(tmp_path).articles] == [
        ("0999-01-01-old.md", "The tram runs late.", None),
        ("2023-04-20-far.md", "Ferry", "2023-04-20"),
        ("harbour.txt", "The harbour crane was repaired.", None),
        ("soon.md", "Crane", soon.isoformat()),
        ("typo.md", "Bridge", None),
        ("zero.md", "Pier", "2023-04-19"),
    ]


def test_a_date_366_days_ahead_or_in_the_year_1000_is_a_date_and_one_a_day_further_is_none_as_the_readme_says(tmp_path):
    import datetime

    today = datetime.date.today()
    for name, day in [("edge", today + datetime.timedelta(days=366)), ("past", today + datetime.timedelta(days=367)),
                      ("first", datetime.date(1000, 1, 1))]:
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {name}\ndate: {day.isoformat()}\n---\nThe ferry runs.\n",
                                             encoding="utf-8")
    (tmp_path / "before.txt").write_text("date 0999-12-31\nThe tram runs late.\n", encoding="utf-8")
    assert [(a.id, a.date) for a in read_corpus(tmp_path).articles] == [
        ("before.txt", None), ("edge.md", (today + datetime.timedelta(days=366)).isoformat()),
        ("first.md", "1000-01-01"), ("past.md", None)]


def test_a_pandoc_header_closed_by_three_dots_titles_and_dates_the_note_and_is_not_its_text(tmp_path):
    # Pandoc (and YAML) ends a header with "..." as well as "---": the note was titled "title: Library hours",
    # undated, its header read as its text
    (tmp_path / "hours.md").write_text("---\ntitle: Library hours\ndate: 2023-04-20\n...\n\nThe library opens at nine.\n",
                                       encoding="utf-8")
    # A line of prose between a rule and "..." is no header, as between two rules: the note's text
    (tmp_path / "list.md").write_text("---\nThe ferry runs at ten...\n...\n\nThe pier is open.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.text[a.body_start:]) for a in corpus.articles] == [
        ("hours.md", "Library hours", "2023-04-20", "The library opens at nine.\n"),
        ("list.md", "The ferry runs at ten...", None, "---\nThe ferry runs at ten...\n...\n\nThe pier is open.\n"),
    ]


def test_a_text_notes_title_date_and_source_lines_at_its_top_title_date_and_link_it_and_are_not_its_text(tmp_path):
    # A note typed in a plain editor (or MultiMarkdown's, iA Writer's header) opens with "Title:", "Date:",
    # "Source:" lines, in the writer's language too: /sources listed "Title: Festivalul de jazz", undated, and answers
    # cited no link. Only lines of these keys whose value is one (a day, an address) are a header, up to the first that
    # is not: "Note: …" and "Source: the mayor's office" are the note's text
    (tmp_path / "jazz.txt").write_text(
        "Title: Festivalul de jazz\nDate: 24/04/2023\nSource: https://ziare.example.ro/jazz\n\n"
        "Festivalul de jazz de la Gărâna va avea loc în iulie.\n", encoding="utf-8")
    (tmp_path / "міст.txt").write_text("Заголовок: Ремонт мосту\nДата: 20 квітня 2023 р.\nАвтор: Олена Коваль\n"
                                       "Міст через Дніпро закриють на ремонт.\n", encoding="utf-8")
    (tmp_path / "writer.md").write_text("Title: Ferry plans\nDate: April 21, 2023\n\nThe ferry runs daily.\n",
                                        encoding="utf-8")
    (tmp_path / "note.txt").write_text("Note: the meeting moved.\n\nThe council met on Friday.\n", encoding="utf-8")
    (tmp_path / "mayor.txt").write_text("Title: Budget\nSource: the mayor's office\n\nThe budget passed.\n",
                                        encoding="utf-8")
    assert [(a.id, a.title, a.date, a.url, a.text[a.body_start:]) for a in read_corpus(tmp_path).articles] == [
        ("jazz.txt", "Festivalul de jazz", "2023-04-24", "https://ziare.example.ro/jazz",
         "Festivalul de jazz de la Gărâna va avea loc în iulie.\n"),
        ("mayor.txt", "Budget", None, None, "Source: the mayor's office\n\nThe budget passed.\n"),
        ("note.txt", "Note: the meeting moved.", None, None, "Note: the meeting moved.\n\nThe council met on Friday.\n"),
        ("writer.md", "Ferry plans", "2023-04-21", None, "The ferry runs daily.\n"),
        ("міст.txt", "Ремонт мосту", "2023-04-20", None, "Міст через Дніпро закриють на ремонт.\n"),
    ]


def test_a_note_of_title_or_source_lines_alone_is_read_as_its_text_not_skipped_as_empty(tmp_path):
    # A one-line note ("Title: Call the plumber"), a bookmark of its link alone: read as a header with nothing under
    # it, each was skipped as "empty file" (and `citebot add` said "the file is empty"), though it was read before
    (tmp_path / "plumber.txt").write_text("Title: Call the plumber on Monday\n", encoding="utf-8")
    (tmp_path / "bookmark.txt").write_text("Source: https://ziare.example.ro/brasov\r\n\r\n", encoding="utf-8")
    (tmp_path / "day.md").write_text("Date: 20/04/2023\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.url, a.text[a.body_start:]) for a in corpus.articles] == [
        ("bookmark.txt", "Source: https://ziare.example.ro/brasov", None, None,
         "Source: https://ziare.example.ro/brasov\r\n\r\n"),
        ("day.md", "Date: 20/04/2023", None, None, "Date: 20/04/2023\n"),
        ("plumber.txt", "Title: Call the plumber on Monday", None, None, "Title: Call the plumber on Monday\n"),
    ]
    assert corpus.skipped == []


def test_a_logseq_property_in_capitals_is_no_title_line_and_stays_the_notes_text(tmp_path):
    # "Title:: Ferry plans" (a Logseq property, "::", its key typed in capitals) was read as a "Title:" line of value
    # ": Ferry plans": /sources listed ": Ferry plans", and the line was no longer its text
    (tmp_path / "ferry.md").write_text("Title:: Ferry plans\nDate:: 20/04/2023\n\nThe ferry runs daily.\n",
                                       encoding="utf-8")
    assert [(a.id, a.title, a.date, a.text[a.body_start:]) for a in read_corpus(tmp_path).articles] == [
        ("ferry.md", "Title:: Ferry plans", None, "Title:: Ferry plans\nDate:: 20/04/2023\n\nThe ferry runs daily.\n")]


def test_a_ukrainian_romanian_or_russian_note_is_titled_dated_and_linked_by_header_keys_in_its_language(tmp_path):
    # "Заголовок:", "Дата:", "Sursa:" were passed over: the note titled by its first sentence, undated, with no link
    (tmp_path / "uk.md").write_text("---\nЗаголовок: Ремонт мосту\nДата: 20 квітня 2023 р.\nАвтор: Олена Коваль\n"
                                    "Джерело: https://news.example.ua/mist\n---\n"
                                    "Міст через Дніпро закриють на ремонт у червні.\n", encoding="utf-8")
    (tmp_path / "ro.md").write_text("---\nTitlu: Podul se închide\nData: 21 aprilie 2023\nAutor: Ion Popescu\n"
                                    "Sursa: https://stiri.example.ro/pod\n---\nPodul peste Prut se închide în iunie.\n",
                                    encoding="utf-8")
    (tmp_path / "ru.md").write_text("---\nНазвание: Бюджет порта\nСоздано: 22.04.2023\n"
                                    "Ссылка: https://news.example.ru/port\n---\nБюджет порта вырос на треть.\n",
                                    encoding="utf-8")
    (tmp_path / "Порт 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md").write_text(
        "# Порт\n\nДата: 23 квітня 2023 р.\nПосилання: https://news.example.ua/port\n\nПорт відкрили.\n", encoding="utf-8")
    # a key in English is taken over one in the note's language; a value that is no day or no address is no date or link
    (tmp_path / "both.md").write_text("---\ntitle: Ferry plans\nЗаголовок: Пором\ndate: 2023-04-24\nДата: 2023-01-01\n"
                                      "---\nThe ferry runs daily.\n", encoding="utf-8")
    (tmp_path / "unknown.md").write_text("---\nДата: ще не відома, але скоро\nДжерело: газета «День»\n---\n"
                                         "Саміт перенесли.\n", encoding="utf-8")
    (tmp_path / "Poll 0a1b2c3d4e5f60718293a4b5c6d7e8f9.md").write_text(
        "# Poll\n\nData: 45% of voters said no, 2023.\n\nThe poll closed.\n", encoding="utf-8")
    (tmp_path / "prose.md").write_text("Дата: ще не відома, але саміт буде.\nУсі чекають.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.url) for a in corpus.articles] == [
        ("Poll 0a1b2c3d4e5f60718293a4b5c6d7e8f9.md", "Poll", None, None),
        ("both.md", "Ferry plans", "2023-04-24", None),
        ("prose.md", "Дата: ще не відома, але саміт буде.", None, None),
        ("ro.md", "Podul se închide", "2023-04-21", "https://stiri.example.ro/pod"),
        ("ru.md", "Бюджет порта", "2023-04-22", "https://news.example.ru/port"),
        ("uk.md", "Ремонт мосту", "2023-04-20", "https://news.example.ua/mist"),
        ("unknown.md", "Саміт перенесли.", None, None),
        ("Порт 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md", "Порт", "2023-04-23", "https://news.example.ua/port"),
    ]
    # the Notion page's property lines stay its text, and the poll's line too
    assert corpus.articles[0].text[corpus.articles[0].body_start:] == "# Poll\n\nData: 45% of voters said no, 2023.\n\n" \
        "The poll closed.\n"


def test_a_note_dated_by_its_publication_or_creation_key_in_ukrainian_russian_or_romanian_is_dated_by_it(tmp_path):
    # "Дата публікації:", "Опубліковано:", "Data publicării:", "Creat:" were passed over: the notes undated
    (tmp_path / "uk.md").write_text("---\nЗаголовок: Ремонт мосту\nДата публікації: 20 квітня 2023 р.\n---\n"
                                    "Міст закриють у червні.\n", encoding="utf-8")
    (tmp_path / "uk2.md").write_text("---\nОпубліковано: 21.04.2023\n---\nПором запустять у травні.\n",
                                     encoding="utf-8")
    (tmp_path / "uk3.md").write_text("---\nДата створення: 22.04.2023\n---\nПорт відкрили.\n", encoding="utf-8")
    (tmp_path / "ru.md").write_text("---\nДата публикации: 23 апреля 2023 г.\n---\nБюджет порта вырос.\n",
                                    encoding="utf-8")
    (tmp_path / "ru2.md").write_text("---\nОпубликовано: 24.04.2023\n---\nПаром отменили.\n", encoding="utf-8")
    (tmp_path / "ru3.md").write_text("---\nДата создания: 25.04.2023\n---\nМост закрыли.\n", encoding="utf-8")
    (tmp_path / "ro.md").write_text("---\nData publicării: 26 aprilie 2023\n---\nPodul se închide.\n",
                                    encoding="utf-8")
    (tmp_path / "ro2.md").write_text("---\nCreat: 27.04.2023\n---\nPortul s-a deschis.\n", encoding="utf-8")
    (tmp_path / "ro3.md").write_text("---\nData creării: 28.04.2023\nPublicat: 29.04.2023\n---\nBugetul a crescut.\n",
                                     encoding="utf-8")
    # the date of publication is taken over the day the note was made; a value that is no day is no date
    (tmp_path / "both.md").write_text("---\nДата створення: 01.05.2023\nДата публікації: 30.04.2023\n---\n"
                                      "Саміт відбувся.\n", encoding="utf-8")
    (tmp_path / "unknown.md").write_text("---\nОпубліковано: у газеті «День»\n---\nСаміт перенесли.\n",
                                         encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date) for a in corpus.articles] == [
        ("both.md", "Саміт відбувся.", "2023-04-30"),
        ("ro.md", "Podul se închide.", "2023-04-26"),
        ("ro2.md", "Portul s-a deschis.", "2023-04-27"),
        ("ro3.md", "Bugetul a crescut.", "2023-04-29"),
        ("ru.md", "Бюджет порта вырос.", "2023-04-23"),
        ("ru2.md", "Паром отменили.", "2023-04-24"),
        ("ru3.md", "Мост закрыли.", "2023-04-25"),
        ("uk.md", "Ремонт мосту", "2023-04-20"),
        ("uk2.md", "Пором запустять у травні.", "2023-04-21"),
        ("uk3.md", "Порт відкрили.", "2023-04-22"),
        ("unknown.md", "Саміт перенесли.", None),
    ]


def test_header_keys_typed_in_decomposed_unicode_are_the_same_keys_as_typed_composed(tmp_path):
    # As macOS and some editors write text (NFD: "ă" an "a" and a combining breve, "ї" an "і" and a diaeresis), a key
    # of "Sursă:" or "Дата публікації:" was no key at all: the whole front matter was read as the note's text
    nfd = __import__("unicodedata").normalize
    (tmp_path / "ro.md").write_text(nfd("NFD", "---\nTitlu: Știri din port\nData publicării: 26 aprilie 2023\n"
                                               "Sursă: https://stiri.example.ro/port\n---\nPortul s-a deschis.\n"),
                                    encoding="utf-8")
    (tmp_path / "uk.md").write_text(nfd("NFD", "---\nЗаголовок: Ремонт мосту\nДата публікації: 20 квітня 2023 р.\n"
                                               "---\nМіст закриють у червні.\n"), encoding="utf-8")
    (tmp_path / "Порт 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md").write_text(
        nfd("NFD", "# Порт\n\nДата публікації: 23 квітня 2023 р.\n\nПорт відкрили.\n"), encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.url, a.text[a.body_start:]) for a in corpus.articles] == [
        ("ro.md", nfd("NFC", "Știri din port"), "2023-04-26", "https://stiri.example.ro/port",
         nfd("NFD", "Portul s-a deschis.\n")),
        ("uk.md", "Ремонт мосту", "2023-04-20", None, nfd("NFD", "Міст закриють у червні.\n")),
        ("Порт 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md", "Порт", "2023-04-23", None,
         nfd("NFD", "# Порт\n\nДата публікації: 23 квітня 2023 р.\n\nПорт відкрили.\n")),
    ]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_header_value_holding_a_line_separator_written_raw_is_read_as_one_line(tmp_path, separator):
    # `citebot add` writes each value as JSON with ensure_ascii=False, which leaves a U+2028, U+2029 or NEL raw inside
    # its string (a file named "ferry\u2028times.txt", a title pasted from a web page): the header was cut into lines
    # by str.splitlines, which ends one there too, so the note was titled 'file: "ferry times.txt"' and its header
    # lines were its text, quoted as answers; a Hugo header alike
    (tmp_path / "added.md").write_text(f'---\ntitle: "Ferry{separator}times"\ndate: "2023-04-20"\n'
                                       f'file: "ferry{separator}times.txt"\n---\n\nThe ferry leaves at nine.\n',
                                       encoding="utf-8")
    (tmp_path / "hugo.md").write_text(f'+++\ntitle = "Bridge{separator}works"\ndate = 2023-04-21\n+++\n\n'
                                      f'The bridge closes in June.\n', encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date, a.text[a.body_start:]) for a in corpus.articles] == [
        ("added.md", "Ferry times", "2023-04-20", "The ferry leaves at nine.\n"),
        ("hugo.md", "Bridge works", "2023-04-21", "The bridge closes in June.\n"),
    ]


def test_a_month_typed_with_a_turkish_capital_i_or_a_long_s_dates_the_note(tmp_path):
    # the date patterns match case-blind, so "APRİL" (a Turkish capital I, as a Turkish locale writes April in capitals)
    # and "AUGUſT" (an old print's long s) matched a month's letters, but their lower case ("apri̇l", "auguſt") is no
    # month's name: each note was undated and the row's date kept as written, where the answer's dateline reads them
    # (bc14057)
    (tmp_path / "a.md").write_text("---\ntitle: Ferry\ndate: 20 APRİL 2023\n---\nThe ferry leaves at nine.\n",
                                   encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title: Bridge\nDate: AUGUſT 3, 2023\n\nThe bridge closes in June.\n",
                                    encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": "The port opened.", "title": "Port",
                                                  "date": "FRİDAY, 21 APRİL 2023"}, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [(a.id, a.title, a.date) for a in corpus.articles] == [
        ("a.md", "Ferry", "2023-04-20"), ("b.txt", "Bridge", "2023-08-03"), ("c.jsonl#1", "Port", "2023-04-21")]
