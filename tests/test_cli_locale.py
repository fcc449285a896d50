"""The command line's one-line errors and warnings in the locale's language: a Ukrainian, Romanian or Russian user of
`citebot add`, `citebot remove` and `citebot index` reads why in their language, after the "citebot: error: " (or
"warning: ") that stays English, for grep. The real `citebot`, run as a user runs it."""

from __future__ import annotations

import time

from tests.living import citebot


def locale(lang: str) -> dict:
    """The environment of a terminal whose locale is ``lang`` (uk_UA.UTF-8, C.UTF-8, …) and nothing else."""
    return {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": lang}


def test_in_a_ukrainian_locale_citebot_add_says_why_a_missing_file_a_folder_a_zip_and_a_broken_link_were_not_added(
        workspace, site, tmp_path):
    corpus, index = workspace
    (tmp_path / "photos").mkdir()
    (tmp_path / "notes.zip").write_bytes(b"PK\x03\x04 not really a zip")
    missing = site.url("/no-such-story")
    added = citebot("add", "--corpus", corpus, "--index", index, "nope.txt", "photos", "notes.zip", missing,
                    cwd=tmp_path, env=locale("uk_UA.UTF-8"))
    assert added.returncode == 1
    assert added.stdout == ""
    assert added.stderr == (
        "citebot: error: не вдалося додати nope.txt: немає такого файлу чи папки\n"
        "citebot: error: не вдалося додати photos: це папка, а не файл; щоб додати її файли, назвіть їх: "
        "citebot add photos/*\n"
        "citebot: error: не вдалося додати notes.zip: стиснений файл (.zip) не читається: розпакуйте його в папку "
        "корпусу\n"
        f"citebot: error: не вдалося додати {missing}: сервер відповів HTTP 404 Not Found\n")


def test_in_a_romanian_locale_citebot_add_of_a_page_address_without_its_scheme_says_to_give_the_whole_address(
        workspace, tmp_path):
    corpus, index = workspace
    added = citebot("add", "--corpus", corpus, "--index", index, "news.example.org/story", cwd=tmp_path,
                    env=locale("ro_RO.UTF-8"))
    assert added.returncode == 1
    assert added.stderr == ("citebot: error: nu am putut adăuga news.example.org/story: nu există un astfel de fișier; "
                            "pentru a adăuga pagina web, dați adresa ei completă: https://news.example.org/story\n")


def test_in_a_russian_locale_citebot_remove_of_an_unknown_id_says_so_in_russian_and_removes_the_others(workspace):
    corpus, index = workspace
    removed = citebot("remove", "--corpus", corpus, "--index", index, "no-such.md", "https://news.example.org/never",
                      env=locale("ru_RU.UTF-8"))
    assert removed.returncode == 1
    assert removed.stderr == ("citebot: error: в корпусе нет статьи no-such.md\n"
                              "citebot: error: в корпусе нет статьи https://news.example.org/never\n")


def test_in_an_english_locale_the_same_errors_are_as_they_were(workspace, tmp_path):
    corpus, index = workspace
    added = citebot("add", "--corpus", corpus, "--index", index, "nope.txt", cwd=tmp_path, env=locale("C.UTF-8"))
    removed = citebot("remove", "--corpus", corpus, "--index", index, "no-such.md", env=locale("en_GB.UTF-8"))
    assert added.stderr == "citebot: error: cannot add nope.txt: No such file or directory\n"
    assert removed.stderr == "citebot: error: no article no-such.md in the corpus\n"


def test_in_a_russian_locale_a_stored_link_now_gone_keeps_its_copy_and_says_to_take_it_out_with_citebot_remove(
        site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", site.article_url("tunnel"))
    stored = first.stdout.splitlines()[0].split(" -> ")[-1]  # "added: TITLE (1 passage) -> ID"
    site.retract("tunnel", 410)
    again = citebot("add", "--corpus", corpus, "--index", tmp_path / "index", site.article_url("tunnel"),
                    env=locale("ru_RU.UTF-8"))
    assert again.returncode == 1
    # not the Telegram bot's "/remove ID": a reader of the command line takes it out with citebot remove
    assert again.stderr == (f"citebot: error: не удалось добавить {site.article_url('tunnel')}: сервер ответил HTTP "
                            f"410 Gone; копия в корпусе, {stored}, сохранена (если статью отозвали, удалите её: "
                            f"citebot remove {stored})\n")


def a_corpus_with_a_broken_file(folder):
    """``folder``/corpus: one article, and a PNG saved as .txt, which the build skips."""
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "summit.txt").write_text("Summit in Vilnius\n\nThe NATO summit will be held in Vilnius in July.\n",
                                       encoding="utf-8")
    (corpus / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return corpus


def test_in_a_romanian_locale_citebot_index_warns_of_a_broken_file_in_romanian(tmp_path):
    corpus = a_corpus_with_a_broken_file(tmp_path)
    indexed = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("ro_RO.UTF-8"))
    assert indexed.returncode == 0
    assert indexed.stderr == "citebot: warning: se omite broken.txt: este un fișier binar, nu text\n"


def test_in_a_ukrainian_locale_citebot_ask_building_its_index_warns_of_a_broken_file_in_ukrainian(tmp_path):
    corpus = a_corpus_with_a_broken_file(tmp_path)
    asked = citebot("ask", "--corpus", corpus, "--index", tmp_path / "index", "Де відбудеться саміт?",
                    env=locale("uk_UA.UTF-8"))
    assert asked.returncode == 0
    assert "citebot: warning: пропущено broken.txt: це двійковий файл, а не текст" in asked.stderr.splitlines()


def test_citebot_eval_an_operators_command_warns_of_a_broken_file_in_english_whatever_the_locale(tmp_path):
    corpus = a_corpus_with_a_broken_file(tmp_path)
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"q": "Where is the summit?", "answers": ["Vilnius"]}\n', encoding="utf-8")
    measured = citebot("eval", questions, "--corpus", corpus, "--index", tmp_path / "index", env=locale("ru_RU.UTF-8"))
    assert measured.returncode == 0
    assert "citebot: warning: skipping broken.txt: binary file" in measured.stderr.splitlines()


def test_in_a_ukrainian_locale_a_jsonl_line_that_is_not_utf8_is_skipped_with_its_reason_in_ukrainian(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.jsonl").write_bytes(b'{"text": "The NATO summit will be held in Vilnius in July."}\n'
                                         b'{"text": "caf\xe9"}\n')
    indexed = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("uk_UA.UTF-8"))
    assert indexed.returncode == 0
    # before, the reason in English inside the Ukrainian line, where a whole non-UTF-8 file's was Ukrainian
    assert indexed.stderr == ("citebot: warning: пропущено notes.jsonl:2: це не текст у кодуванні UTF-8 (байт 13): "
                              "збережіть файл як UTF-8\n")


def test_in_a_romanian_locale_the_next_build_warns_again_of_the_jsonl_line_it_skipped_in_romanian(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.jsonl").write_bytes(b'{"text": "The NATO summit will be held in Vilnius in July."}\n'
                                         b'{"text": "caf\xe9"}\n')
    first = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("ro_RO.UTF-8"))
    (corpus / "oslo.txt").write_text("The ski festival in Oslo takes place every February.\n", encoding="utf-8")
    again = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("ro_RO.UTF-8"))
    # before, the build that kept the unchanged .jsonl file said its line's reason in English the second time
    warning = ("citebot: warning: se omite notes.jsonl:2: nu este text în codificarea UTF-8 (octetul 13): salvați "
               "fișierul ca UTF-8\n")
    assert (first.stderr, again.stderr) == (warning, warning)


def test_in_a_russian_locale_the_next_build_warns_again_of_a_page_past_its_cpu_budget_in_russian(tmp_path):
    from tests.test_bounded import report

    corpus = a_corpus_with_a_broken_file(tmp_path)
    (corpus / "broken.txt").unlink()
    (corpus / "report.html").write_text(report(60_000), encoding="utf-8")  # ~25 s to read: over a budget of 1 s
    budget = dict(locale("ru_RU.UTF-8"), CITEBOT_HTML_CPU_SECONDS="1")
    first = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=budget, timeout=120)
    (corpus / "oslo.txt").write_text("The ski festival in Oslo takes place every February.\n", encoding="utf-8")
    again = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=budget, timeout=120)
    # before, the build that left the unchanged page unread (refused again for the same budget) said why in English
    warning = ("citebot: warning: пропущено report.html: страница читается слишком долго (больше 1 с процессора): "
               "сохраните текст статьи как .txt\n")
    assert (first.stderr, again.stderr) == (warning, warning)


def test_citebot_add_of_a_name_with_a_line_break_says_why_on_one_line_in_every_language(workspace, tmp_path):
    corpus, index = workspace
    name = "notes\nfrom monday.txt"  # a name pasted with its line break, as `citebot remove` takes one
    ukrainian = citebot("add", "--corpus", corpus, "--index", index, name, cwd=tmp_path, env=locale("uk_UA.UTF-8"))
    english = citebot("add", "--corpus", corpus, "--index", index, name, cwd=tmp_path, env=locale("C.UTF-8"))
    # before, the line broke in two, the second half without its "citebot: error:" (grep lost it)
    assert (ukrainian.returncode, ukrainian.stderr) == (
        1, "citebot: error: не вдалося додати notes\ufffdfrom monday.txt: немає такого файлу чи папки\n")
    assert (english.returncode, english.stderr) == (
        1, "citebot: error: cannot add notes\ufffdfrom monday.txt: No such file or directory\n")


def test_in_a_ukrainian_locale_a_link_in_the_corpus_that_loops_is_skipped_saying_why_in_ukrainian(tmp_path):
    corpus = a_corpus_with_a_broken_file(tmp_path)
    (corpus / "broken.txt").unlink()
    (corpus / "loop.txt").symlink_to("loop.txt")  # a link to itself, as a sync tool may leave one
    indexed = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("uk_UA.UTF-8"))
    assert indexed.returncode == 0
    # before, "пропущено loop.txt: Too many levels of symbolic links", where a dangling link's was Ukrainian
    assert indexed.stderr == "citebot: warning: пропущено loop.txt: забагато рівнів символічних посилань\n"


def test_in_a_ukrainian_locale_citebot_index_lists_the_files_it_skipped_in_ukrainian_as_its_warnings_do(tmp_path):
    corpus = a_corpus_with_a_broken_file(tmp_path)
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    indexed = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("uk_UA.UTF-8"))
    assert indexed.returncode == 0
    summary, *skipped = indexed.stdout.splitlines()
    assert summary.startswith("indexed 1 article into 1 passage in ")  # the line scripts read stays English
    # before, "  skipped broken.txt: binary file" under the warning "пропущено broken.txt: це двійковий файл, а не текст"
    assert skipped == ["  пропущено broken.txt: це двійковий файл, а не текст",
                       "  пропущено empty.txt: файл порожній"]


def test_in_a_romanian_and_a_russian_locale_citebot_index_lists_the_files_it_skipped_in_their_language(tmp_path):
    corpus = a_corpus_with_a_broken_file(tmp_path)
    romanian = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("ro_RO.UTF-8"))
    russian = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("ru_RU.UTF-8"))
    english = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("C.UTF-8"))
    assert romanian.stdout.splitlines()[1:] == ["  omis broken.txt: este un fișier binar, nu text"]
    assert russian.stdout.splitlines()[1:] == ["  пропущено broken.txt: это двоичный файл, а не текст"]
    assert english.stdout.splitlines()[1:] == ["  skipped broken.txt: binary file"]


def a_windows_1251_article(folder):
    """``folder``/kyiv.txt: a Ukrainian article an old editor saved in windows-1251, which the build reads with a
    warning naming the encoding."""
    path = folder / "kyiv.txt"
    path.write_bytes("Візит до Києва\n\nГенеральний секретар НАТО Єнс Столтенберг у четвер відвідав Київ. Він зустрівся "
                     "з президентом України та обговорив членство в Альянсі.\n".encode("cp1251"))
    return path


def test_in_a_ukrainian_locale_citebot_index_says_it_reads_a_windows_1251_file_in_ukrainian(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    a_windows_1251_article(corpus)
    indexed = citebot("index", "--corpus", corpus, "--index", tmp_path / "index", env=locale("uk_UA.UTF-8"))
    assert indexed.returncode == 0
    # before, "citebot: warning: reading kyiv.txt as windows-1251 (not UTF-8)" beside the Ukrainian warnings of skips
    assert indexed.stderr == "citebot: warning: читаю kyiv.txt у кодуванні windows-1251 (не UTF-8)\n"


def test_in_a_russian_locale_citebot_add_of_a_windows_1251_file_says_it_reads_it_so_in_russian(
        workspace, tmp_path):
    corpus, index = workspace
    a_windows_1251_article(tmp_path)
    russian = citebot("add", "--corpus", corpus, "--index", index, "kyiv.txt", cwd=tmp_path, env=locale("ru_RU.UTF-8"))
    assert russian.returncode == 0
    assert russian.stderr == "citebot: warning: читаю kyiv.txt в кодировке windows-1251 (не UTF-8)\n"


def test_citebot_index_says_it_reads_a_windows_1251_file_in_romanian_in_a_romanian_locale_and_in_english_in_c(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    a_windows_1251_article(corpus)
    romanian = citebot("index", "--corpus", corpus, "--index", tmp_path / "ro", env=locale("ro_RO.UTF-8"))
    english = citebot("index", "--corpus", corpus, "--index", tmp_path / "en", env=locale("C.UTF-8"))
    assert romanian.stderr == "citebot: warning: citesc kyiv.txt în codificarea windows-1251 (nu UTF-8)\n"
    assert english.stderr == "citebot: warning: reading kyiv.txt as windows-1251 (not UTF-8)\n"


def test_in_a_ukrainian_locale_a_mistyped_command_is_told_why_in_ukrainian_under_its_english_usage(tmp_path):
    typo = citebot("aks", "Де відбудеться саміт?", cwd=tmp_path, env=locale("uk_UA.UTF-8"))
    assert typo.returncode == 2
    # the usage line stays as argparse writes it (tools read it), and "citebot: error: " English, for grep; before,
    # "argument COMMAND: invalid choice: 'aks' (choose from …)" where `citebot add`'s errors were Ukrainian
    assert typo.stderr == ("usage: citebot [-h] [--version] COMMAND ...\n"
                           "citebot: error: аргумент COMMAND: недопустиме значення: 'aks', можливо, ви мали на увазі "
                           "'ask'? (можливі: 'index', 'add', 'remove', 'feeds', 'ask', 'chat', 'telegram', 'eval')\n")


def test_in_a_russian_and_a_romanian_locale_a_missing_question_an_unknown_option_and_a_bad_value_say_why_in_theirs(
        tmp_path):
    russian, romanian = locale("ru_RU.UTF-8"), locale("ro_RO.UTF-8")
    missing = citebot("ask", stdin="", cwd=tmp_path, env=russian)
    unknown = citebot("index", "--bogus", cwd=tmp_path, env=russian)
    no_value = citebot("ask", "--corpus", cwd=tmp_path, env=russian)
    empty = citebot("ask", " ", cwd=tmp_path, env=romanian)
    wait = citebot("index", "--wait", "soon", cwd=tmp_path, env=romanian)
    assert [(run.returncode, run.stderr.splitlines()[0].split()[:2]) for run in (missing, unknown, empty, wait)] == [
        (2, ["usage:", "citebot"])] * 4
    assert [run.stderr.splitlines()[-1] for run in (missing, unknown, no_value, empty, wait)] == [
        "citebot ask: error: не указаны обязательные аргументы: question",
        "citebot: error: неизвестные аргументы: --bogus",
        "citebot ask: error: аргумент --corpus: ожидается одно значение",
        "citebot ask: error: întrebarea este goală",
        "citebot index: error: argumentul --wait: trebuie să fie un număr de secunde, 0 sau mai mult, nu 'soon'"]


def test_in_a_c_locale_a_mistyped_command_line_is_told_why_in_argparses_english_as_before(tmp_path):
    typo = citebot("aks", cwd=tmp_path, env=locale("C.UTF-8"))
    missing = citebot("ask", stdin="", cwd=tmp_path, env=locale("en_US.UTF-8"))
    assert typo.stderr.splitlines()[-1] == ("citebot: error: argument COMMAND: invalid choice: 'aks', maybe you meant "
                                           "'ask'? (choose from 'index', 'add', 'remove', 'feeds', 'ask', 'chat', "
                                           "'telegram', 'eval')")
    assert missing.stderr.splitlines()[-1] == "citebot ask: error: the following arguments are required: question"


def test_in_a_ukrainian_and_a_romanian_locale_a_flag_given_a_value_is_told_so_whole_not_half_in_english(tmp_path):
    json = citebot("ask", "--json=yes", "Де відбудеться саміт?", cwd=tmp_path, env=locale("uk_UA.UTF-8"))
    opml = citebot("feeds", "list", "--opml=x", cwd=tmp_path, env=locale("ro_RO.UTF-8"))
    assert (json.returncode, opml.returncode, json.stdout, opml.stdout) == (2, 2, "", "")
    # before, "аргумент --json: ignored explicit argument 'yes'": argparse's words inside the Ukrainian
    assert json.stderr.splitlines()[-1] == "citebot ask: error: аргумент --json: не приймає значення: 'yes'"
    assert opml.stderr.splitlines()[-1] == "citebot feeds list: error: argumentul --opml: nu primește o valoare: 'x'"


def another_pythons_argparse(folder, wording: dict) -> dict:
    """The environment of a ``citebot`` whose argparse words its errors as ``wording`` has them (English template:
    another Python's), through a sitecustomize in ``folder``, as a Python whose argparse words them otherwise would."""
    (folder / "sitecustomize.py").write_text(
        f"import argparse\nargparse._ = lambda text, wording={wording!r}: wording.get(text, text)\n", encoding="utf-8")
    return {"PYTHONPATH": str(folder)}


def test_a_usage_error_another_python_words_otherwise_stays_whole_in_english_not_half_translated(tmp_path):
    env = dict(locale("uk_UA.UTF-8"),
               **another_pythons_argparse(tmp_path, {"expected one argument": "expected a value"}))
    no_value = citebot("ask", "--corpus", cwd=tmp_path, env=env)
    assert no_value.returncode == 2
    # before, "аргумент --corpus: expected a value": the line half Ukrainian
    assert no_value.stderr.splitlines()[-1] == "citebot ask: error: argument --corpus: expected a value"


def test_in_a_ukrainian_locale_a_mistyped_command_holding_argparses_own_words_is_told_why_whole(tmp_path):
    typo = citebot("ask (choose from x", cwd=tmp_path, env=locale("uk_UA.UTF-8"))
    quoted = citebot("it's \"ask\"", cwd=tmp_path, env=locale("uk_UA.UTF-8"))
    suggested = citebot("qwerty", cwd=tmp_path, env=dict(locale("uk_UA.UTF-8"), **another_pythons_argparse(tmp_path, {
        "invalid choice: %(value)r (choose from %(choices)s)":
            "invalid choice: %(value)r, maybe a typo? (choose from %(choices)s)"})))  # as Python 3.14 can suggest
    # before, "недопустиме значення: 'ask (можливі: x' (choose from 'index', …)": what was typed cut at its own words;
    # and "недопустиме значення: 'aks', maybe a typo? (можливі: …)", argparse's other words taken for what was typed
    assert typo.stderr.splitlines()[-1] == (
        "citebot: error: аргумент COMMAND: недопустиме значення: 'ask (choose from x' (можливі: 'index', 'add', "
        "'remove', 'feeds', 'ask', 'chat', 'telegram', 'eval'); щоб поставити запитання: citebot ask "
        "'ask (choose from x'")  # words typed as the command: a question typed without `ask`
    assert quoted.stderr.splitlines()[-1] == (
        "citebot: error: аргумент COMMAND: недопустиме значення: 'it\\'s \"ask\"' (можливі: 'index', 'add', "
        "'remove', 'feeds', 'ask', 'chat', 'telegram', 'eval'); щоб поставити запитання: citebot ask "
        "'it'\"'\"'s \"ask\"'")
    assert suggested.stderr.splitlines()[-1] == (
        "citebot: error: argument COMMAND: invalid choice: 'qwerty', maybe a typo? (choose from 'index', 'add', "
        "'remove', 'feeds', 'ask', 'chat', 'telegram', 'eval')")


def test_a_mistyped_command_action_or_choice_is_told_the_one_it_is_closest_to_in_the_locales_language(tmp_path):
    # "citebot chta" listed the eight commands and left the user to find the one meant
    chat = citebot("chta", cwd=tmp_path, env=locale("C.UTF-8"))
    feeds = citebot("feeds", "lst", cwd=tmp_path, env=locale("ro_RO.UTF-8"))
    index = citebot("index", "--index-type", "flt", cwd=tmp_path, env=locale("ru_RU.UTF-8"))
    unlike = citebot("qwerty", cwd=tmp_path, env=locale("C.UTF-8"))  # close to none: the list alone, as before
    assert [run.returncode for run in (chat, feeds, index, unlike)] == [2] * 4
    assert [run.stderr.splitlines()[-1] for run in (chat, feeds, index, unlike)] == [
        "citebot: error: argument COMMAND: invalid choice: 'chta', maybe you meant 'chat'? (choose from 'index', 'add', "
        "'remove', 'feeds', 'ask', 'chat', 'telegram', 'eval')",
        "citebot feeds: error: argumentul ACTION: valoare nevalidă: 'lst', poate ați vrut să scrieți 'list'? (posibile: "
        "'add', 'list', 'remove', 'update')",
        "citebot index: error: аргумент --index-type: недопустимое значение: 'flt', возможно, вы имели в виду 'flat'? "
        "(возможные: 'flat', 'ivf', 'hnsw', 'ivfsq8')",
        "citebot: error: argument COMMAND: invalid choice: 'qwerty' (choose from 'index', 'add', 'remove', 'feeds', "
        "'ask', 'chat', 'telegram', 'eval')"]


def test_a_question_typed_without_ask_is_told_how_to_ask_it_not_a_command_that_takes_no_question(tmp_path):
    # `citebot what is the summit?` was "invalid choice: 'what', maybe you meant 'chat'?" (chat takes no question:
    # `citebot chat is the summit?` is refused too), and `citebot "where is the summit?"` the eight commands alone
    commands = "'index', 'add', 'remove', 'feeds', 'ask', 'chat', 'telegram', 'eval'"
    what = citebot("what", "is", "the", "summit?", cwd=tmp_path, env=locale("C.UTF-8"))
    where = citebot("where is the summit?", cwd=tmp_path, env=locale("uk_UA.UTF-8"))
    aks = citebot("aks", "where", "is", "the", "summit?", cwd=tmp_path, env=locale("C.UTF-8"))  # ask, mistyped
    assert [run.returncode for run in (what, where, aks)] == [2] * 3
    assert [run.stderr.splitlines()[-1] for run in (what, where, aks)] == [
        f"citebot: error: argument COMMAND: invalid choice: 'what' (choose from {commands}); to ask a question: "
        "citebot ask 'what is the summit?'",
        f"citebot: error: аргумент COMMAND: недопустиме значення: 'where is the summit?' (можливі: {commands}); "
        "щоб поставити запитання: citebot ask 'where is the summit?'",
        f"citebot: error: argument COMMAND: invalid choice: 'aks', maybe you meant 'ask'? (choose from {commands})"]


def test_in_a_ukrainian_a_romanian_and_a_russian_locale_citebot_telegram_listen_without_a_webhook_says_why_in_theirs(
        tmp_path):
    said = [citebot("telegram", "--listen", "0.0.0.0:8443", cwd=tmp_path, env=locale(lang)).stderr.splitlines()[-1]
            for lang in ("uk_UA.UTF-8", "ro_RO.UTF-8", "ru_RU.UTF-8", "C.UTF-8")]
    # before, in English whole where `citebot telegram --rate-limit 0` said why in the locale's language
    assert said == [
        "citebot telegram: error: --listen потребує --webhook-url (режим вебхука); без нього бот опитує Telegram "
        "і не слухає жодного порту",
        "citebot telegram: error: --listen necesită --webhook-url (modul webhook); fără el botul interoghează Telegram "
        "și nu ascultă pe niciun port",
        "citebot telegram: error: --listen требует --webhook-url (режим вебхука); без него бот опрашивает Telegram "
        "и не слушает ни одного порта",
        "citebot telegram: error: --listen needs --webhook-url (webhook mode); without it the bot long-polls and "
        "listens on no port"]


def feed_of(*links: str) -> bytes:
    items = "".join(f"<item><title>{i}</title><link>{link}</link><guid>item-{i}</guid></item>"
                    for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title>'
            f"<link>http://localhost/</link>{items}</channel></rss>").encode()


def test_in_a_ukrainian_a_romanian_and_a_russian_locale_feeds_update_says_why_each_item_failed_and_what_comes_of_it(
        workspace):
    import json

    from tests.test_fetch import Served, send

    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]

    def busy(handler):
        send(handler, 429, b"Too Many Requests", headers={"Retry-After": "3600"})

    listed = ["/gone", "/busy"]
    with Served({"/busy": busy, "/feed.xml": lambda handler: send(handler, 200, feed_of(
            *map(served.url, listed)), "application/rss+xml")}) as served:
        gone, waits = served.url("/gone"), served.url("/busy")
        assert citebot("feeds", "add", served.url("/feed.xml"), *where).returncode == 0
        said = {}
        for lang in ("uk_UA.UTF-8", "ro_RO.UTF-8", "ru_RU.UTF-8", "C.UTF-8"):
            update = citebot("feeds", "update", *where, env=locale(lang))
            assert update.returncode == 0  # an item failing is a warning, not a failure for cron
            said[lang] = update.stderr.splitlines()
        # its third failure, the first a day ago: given up; then, its next try due, still failing (the busy item
        # gone from the feed: its site asking to wait leaves the site's other items for the next update)
        feeds = json.loads((index / "feeds.json").read_text(encoding="utf-8"))
        tries = feeds["feeds"][0]["tries"]
        (key,) = tries  # the gone item's
        tries[key] = [2, time.time() - 2 * 24 * 3600, gone]
        (index / "feeds.json").write_text(json.dumps(feeds), encoding="utf-8")
        given_up = citebot("feeds", "update", *where, env=locale("uk_UA.UTF-8")).stderr.splitlines()
        feeds = json.loads((index / "feeds.json").read_text(encoding="utf-8"))
        feeds["feeds"][0]["retry"][key] = [0, time.time() - 2 * 24 * 3600, gone]
        listed.remove("/busy")
        (index / "feeds.json").write_text(json.dumps(feeds), encoding="utf-8")
        still = citebot("feeds", "update", *where, env=locale("ro_RO.UTF-8")).stderr.splitlines()
    # before, in English whole where `citebot add` of the same link said why in the locale's language
    assert said == {
        "uk_UA.UTF-8": [
            f"citebot: warning: запис стрічки {gone}: сервер відповів HTTP 404 Not Found (буде спробовано ще раз під "
            "час наступного оновлення)",
            f"citebot: warning: запис стрічки {waits}: сервер відповів HTTP 429 Too Many Requests (відкладено до "
            "наступного оновлення: сайт попросив зачекати)"],
        "ro_RO.UTF-8": [
            f"citebot: warning: elementul din flux {gone}: serverul a răspuns HTTP 404 Not Found (se va reîncerca la "
            "următoarea actualizare)",
            f"citebot: warning: elementul din flux {waits}: serverul a răspuns HTTP 429 Too Many Requests (amânat până "
            "la următoarea actualizare: site-ul a cerut să se aștepte)"],
        "ru_RU.UTF-8": [
            f"citebot: warning: запись ленты {gone}: сервер ответил HTTP 404 Not Found (повторная попытка при "
            "следующем обновлении)",
            f"citebot: warning: запись ленты {waits}: сервер ответил HTTP 429 Too Many Requests (отложено до "
            "следующего обновления: сайт попросил подождать)"],
        "C.UTF-8": [
            f"citebot: warning: feed item {gone}: HTTP 404 Not Found (tried again at the next update)",
            f"citebot: warning: feed item {waits}: HTTP 429 Too Many Requests (left for the next update, since its "
            "site asked to wait)"]}
    assert given_up == [
        f"citebot: warning: запис стрічки {gone}: сервер відповів HTTP 404 Not Found (облишено після доби невдач, "
        "3 спроби; наступна спроба через 1 день)",
        f"citebot: warning: запис стрічки {waits}: сервер відповів HTTP 429 Too Many Requests (відкладено до "
        "наступного оновлення: сайт попросив зачекати)"]
    assert still == [
        f"citebot: warning: elementul din flux {gone}: serverul a răspuns HTTP 404 Not Found (încă eșuează; se "
        "reîncearcă peste 2 zile)"]


def test_a_warning_logged_with_a_message_key_its_values_missing_or_unknown_is_said_as_logged_not_lost(capsys):
    import logging

    from bot.cli import _Said

    said = logging.StreamHandler()
    said.setFormatter(_Said())
    said.formatter.lang = "uk"
    log = logging.getLogger("citebot.test-said")
    log.addHandler(said)
    try:
        log.warning("feed item %s: %s (given up)", "https://x.org/a", "timed out",
                    extra={"said": ("feed_item_given_up", {"link": "https://x.org/a", "reason": "timed out"})})
        log.warning("a message of a later citebot", extra={"said": ("no_such_message", {})})
        log.warning("a value of another shape", extra={"said": "feed_item_retry"})
    finally:
        log.removeHandler(said)
    # before, each a "--- Logging error ---" traceback in its place: the warning a cron mail was sent for, lost
    assert capsys.readouterr().err == ("citebot: warning: feed item https://x.org/a: timed out (given up)\n"
                                       "citebot: warning: a message of a later citebot\n"
                                       "citebot: warning: a value of another shape\n")


def test_in_a_ukrainian_a_romanian_and_a_russian_locale_feeds_add_and_remove_say_what_they_did_in_theirs(tmp_path):
    from tests.test_fetch import Served, send

    routes = {"/feed.xml": lambda handler: send(handler, 200, feed_of(), "application/rss+xml")}
    with Served(routes) as served:
        feed, gone = served.url("/feed.xml"), served.url("/gone.xml")
        subscriptions = tmp_path / "subscriptions.opml"
        subscriptions.write_text(f'<?xml version="1.0"?><opml version="2.0"><head/><body><outline type="rss" '
                                 f'xmlUrl="{feed}"/><outline type="rss" xmlUrl="{gone}"/></body></opml>',
                                 encoding="utf-8")
        said = {}
        for lang in ("uk_UA.UTF-8", "ro_RO.UTF-8", "ru_RU.UTF-8", "C.UTF-8"):
            where, env = ["--index", tmp_path / lang], locale(lang)
            runs = [citebot("feeds", "update", *where, env=env),
                    citebot("feeds", "add", feed, *where, env=env),
                    citebot("feeds", "add", feed, *where, env=env),
                    citebot("feeds", "add", gone, *where, env=env),
                    citebot("feeds", "remove", feed, *where, env=env),
                    citebot("feeds", "remove", feed, *where, env=env),
                    citebot("feeds", "add", subscriptions, *where, env=env)]
            said[lang] = [(run.returncode, run.stdout, run.stderr) for run in runs]
    listed = f"(2 listed in {subscriptions})"
    # before, each line in English whole, where `citebot add` of a link said why it failed in the locale's language
    assert said["C.UTF-8"] == [
        (0, "feeds: none followed, nothing to update (follow one with `citebot feeds add URL`)\n", ""),
        (0, f"following: Test feed ({feed})\n", ""),
        (0, f"already following: Test feed ({feed})\n", ""),
        (1, "", f"citebot: error: cannot follow {gone}: HTTP 404 Not Found\n"),
        (0, f"no longer following: Test feed ({feed}); the articles taken from it stay in the corpus\n", ""),
        (1, "", f"citebot: error: not following {feed}: `citebot feeds list` shows the feeds followed\n"),
        (1, f"following: Test feed ({feed})\nfeeds: 1 newly followed, 0 already followed, 1 refused {listed}\n",
         f"citebot: error: cannot follow {gone}: HTTP 404 Not Found\n")]
    assert said["uk_UA.UTF-8"] == [
        (0, "feeds: жодної стрічки не відстежено, оновлювати нічого (додайте стрічку: `citebot feeds add URL`)\n",
         ""),
        (0, f"відтепер відстежується: Test feed ({feed})\n", ""),
        (0, f"уже відстежується: Test feed ({feed})\n", ""),
        (1, "", f"citebot: error: не вдалося відстежувати {gone}: сервер відповів HTTP 404 Not Found\n"),
        (0, f"більше не відстежується: Test feed ({feed}); статті, взяті з неї, лишаються в корпусі\n", ""),
        (1, "", f"citebot: error: стрічка {feed} не відстежується: `citebot feeds list` показує відстежувані "
                "стрічки\n"),
        (1, f"відтепер відстежується: Test feed ({feed})\nfeeds: нових — 1, уже відстежуваних — 0, відхилено — 1 "
            f"(у {subscriptions} перелічено 2)\n",
         f"citebot: error: не вдалося відстежувати {gone}: сервер відповів HTTP 404 Not Found\n")]
    assert said["ro_RO.UTF-8"] == [
        (0, "feeds: niciun flux urmărit, nimic de actualizat (adăugați unul cu `citebot feeds add URL`)\n", ""),
        (0, f"urmărit de acum: Test feed ({feed})\n", ""),
        (0, f"deja urmărit: Test feed ({feed})\n", ""),
        (1, "", f"citebot: error: nu se poate urmări {gone}: serverul a răspuns HTTP 404 Not Found\n"),
        (0, f"nu mai este urmărit: Test feed ({feed}); articolele preluate din el rămân în corpus\n", ""),
        (1, "", f"citebot: error: fluxul {feed} nu este urmărit: `citebot feeds list` arată fluxurile urmărite\n"),
        (1, f"urmărit de acum: Test feed ({feed})\nfeeds: noi: 1, deja urmărite: 0, refuzate: 1 "
            f"({subscriptions} listează 2)\n",
         f"citebot: error: nu se poate urmări {gone}: serverul a răspuns HTTP 404 Not Found\n")]
    assert said["ru_RU.UTF-8"] == [
        (0, "feeds: ни одна лента не отслеживается, обновлять нечего (добавьте ленту: `citebot feeds add URL`)\n",
         ""),
        (0, f"теперь отслеживается: Test feed ({feed})\n", ""),
        (0, f"уже отслеживается: Test feed ({feed})\n", ""),
        (1, "", f"citebot: error: не удалось отслеживать {gone}: сервер ответил HTTP 404 Not Found\n"),
        (0, f"больше не отслеживается: Test feed ({feed}); статьи, взятые из неё, остаются в корпусе\n", ""),
        (1, "", f"citebot: error: лента {feed} не отслеживается: `citebot feeds list` показывает отслеживаемые "
                "ленты\n"),
        (1, f"теперь отслеживается: Test feed ({feed})\nfeeds: новых — 1, уже отслеживаемых — 0, отклонено — 1 "
            f"(в {subscriptions} перечислено 2)\n",
         f"citebot: error: не удалось отслеживать {gone}: сервер ответил HTTP 404 Not Found\n")]


def test_in_a_ukrainian_a_romanian_and_a_russian_locale_feeds_update_sums_up_in_theirs(tmp_path):
    from tests.news_site import STORIES, article_page
    from tests.test_fetch import Served, send

    def busy(handler):
        send(handler, 429, b"Too Many Requests", headers={"Retry-After": "3600"})

    routes = {"/busy": busy, "/dead.xml": lambda handler: send(handler, 404, b"not found"),
              "/tunnel": lambda handler: send(handler, 200, article_page(STORIES["tunnel"], served.url("/tunnel")).encode()),
              "/feed.xml": lambda handler: send(handler, 200, feed_of(
                  served.url("/tunnel"), served.url("/gone"), served.url("/busy")), "application/rss+xml")}
    with Served(routes) as served:
        summaries = {}
        for lang in ("uk_UA.UTF-8", "ro_RO.UTF-8", "ru_RU.UTF-8", "C.UTF-8"):
            (tmp_path / lang / "corpus").mkdir(parents=True)
            where = ["--corpus", tmp_path / lang / "corpus", "--index", tmp_path / lang / "index"]
            for feed in ("/feed.xml", "/dead.xml"):
                served.routes["/dead.xml"] = lambda handler: send(handler, 200, feed_of(), "application/rss+xml")
                assert citebot("feeds", "add", served.url(feed), *where).returncode == 0
            served.routes["/dead.xml"] = lambda handler: send(handler, 404, b"not found")
            update = citebot("feeds", "update", *where, env=locale(lang))
            assert update.returncode == 1  # a feed unreadable: an error, for cron
            summaries[lang] = [line for line in update.stdout.splitlines() if line.startswith("feeds: ")]
    # before, in English whole under the Ukrainian warnings of its items
    assert summaries == {
        "uk_UA.UTF-8": ["feeds: нових — 1, уже відомих — 0, невдалих — 2, відкладено до наступного оновлення — 1 "
                        "(перевірено стрічок — 2, не читаються — 1)"],
        "ro_RO.UTF-8": ["feeds: noi: 1, deja cunoscute: 0, eșuate: 2, amânate până la următoarea actualizare: 1 "
                        "(fluxuri verificate: 2, ilizibile: 1)"],
        "ru_RU.UTF-8": ["feeds: новых — 1, уже известных — 0, неудачных — 2, отложено до следующего обновления — 1 "
                        "(проверено лент — 2, не читаются — 1)"],
        "C.UTF-8": ["feeds: 1 new, 0 already known, 2 failed, 1 left for the next update (2 feeds checked, "
                    "1 unreadable)"]}


def test_in_a_ukrainian_locale_the_summary_of_feeds_update_counts_each_kind_of_item_given_up_and_feed_left():
    from bot.messages import feeds_summary
    from index.feeds import FeedReport

    report = FeedReport(known=2100, failed=["a", "b", "c", "d"], feeds=3, not_modified=1, feeds_asked_to_wait=1,
                        feeds_waiting=1, feeds_resting=1, feeds_held=2, given_up=3, given_up_asked_to_wait=1,
                        given_up_at_once=1, passed_over=5, waiting=3960)
    # the English as FeedReport.summary() says it, for the Telegram bot's log
    assert feeds_summary(report, "en") == report.summary() == (
        "0 new, 2,100 already known, 4 failed (2 given up after failing for a day, 1 given up after a week of its site "
        "asking to wait, 1 at once: no article page), 3,960 left for the next update, 5 passed over (no article link: "
        "audio, video or none) (3 feeds checked, 1 not modified, 1 asked to wait, 1 left for the next update, "
        "1 unreadable for a while and not due a try, 2 waiting as their sites asked)")
    assert feeds_summary(report, "uk") == (
        "нових — 0, уже відомих — 2\u00a0100, невдалих — 4 (облишено після доби невдач — 2, облишено після тижня, "
        "коли сайт просив зачекати, — 1, облишено одразу, бо це не сторінки статей, — 1), відкладено до наступного "
        "оновлення — 3\u00a0960, пропущено без посилання на статтю (аудіо, відео чи нічого) — 5 (перевірено стрічок — "
        "3, без змін — 1, сайт попросив зачекати — 1, відкладено до наступного оновлення — 1, давно не читаються, і "
        "пробувати ще рано, — 1, чекають, як попросив сайт, — 2)")
    assert feeds_summary(report, "ro") == (
        "noi: 0, deja cunoscute: 2.100, eșuate: 4 (abandonate după o zi de eșecuri: 2, abandonate după o săptămână în "
        "care site-ul a cerut să se aștepte: 1, abandonate imediat, nefiind pagini de articol: 1), amânate până la "
        "următoarea actualizare: 3.960, omise, fără link către un articol (audio, video sau nimic): 5 (fluxuri "
        "verificate: 3, nemodificate: 1, site-ul a cerut să se aștepte: 1, amânate până la următoarea actualizare: 1, "
        "ilizibile de o vreme, încă nu e timpul unei încercări: 1, în așteptare, cum a cerut site-ul: 2)")


def test_in_a_ukrainian_a_romanian_and_a_russian_locale_feeds_update_says_why_a_feed_failed_moved_or_reads_again(
        tmp_path):
    import json

    from tests.news_site import STORIES, article_page
    from tests.test_fetch import Served, send

    dated = {"tunnel": "Mon, 23 Nov 2026 08:00:00 GMT"}

    def feed(handler):
        link = served.url("/tunnel")
        send(handler, 200, (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Moved feed</title><link>'
                            f'{served.url("/")}</link><item><title>Tunnel</title><link>{link}</link><guid>{link}</guid><pubDate>'
                            f'{dated["tunnel"]}</pubDate></item></channel></rss>').encode(), "application/rss+xml")

    def moved(handler):
        handler.send_response(301)
        handler.send_header("Location", served.url("/feed.xml"))
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def busy(handler):
        send(handler, 429, b"Too Many Requests", headers={"Retry-After": "600"})

    def story(handler):
        send(handler, 200, article_page(STORIES["tunnel"], served.url("/tunnel")).encode())

    empty = lambda handler: send(handler, 200, feed_of(), "application/rss+xml")  # noqa: E731
    routes = {"/moved.xml": feed, "/feed.xml": feed, "/tunnel": story, "/dead.xml": empty, "/busy.xml": empty}
    (tmp_path / "corpus").mkdir()
    where = ["--corpus", tmp_path / "corpus", "--index", tmp_path / "index"]

    def stored() -> list[dict]:
        return json.loads((tmp_path / "index" / "feeds.json").read_text(encoding="utf-8"))["feeds"]

    with Served(routes) as served:
        urls = {name: served.url(f"/{name}.xml") for name in ("moved", "dead", "busy")}
        for url in urls.values():
            assert citebot("feeds", "add", url, *where).returncode == 0
        routes.update({"/moved.xml": moved, "/dead.xml": lambda handler: send(handler, 404, b"not found"),
                       "/busy.xml": busy})
        first = citebot("feeds", "update", *where, env=locale("uk_UA.UTF-8"))
        (until,) = [time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(f["wait_until"])) for f in stored()
                    if f.get("wait_until")]
        (since,) = [f["unreadable_since"] for f in stored() if f.get("unreadable_since")]
        # its third failure, the first two days ago: tried again only a day later; the story corrected, its page gone
        feeds = stored()
        for one in feeds:
            if one["url"] == urls["dead"]:
                one["unreadable_tries"] = [2, time.time() - 2 * 24 * 3600]
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": feeds}), encoding="utf-8")
        dated["tunnel"] = "Tue, 24 Nov 2026 08:00:00 GMT"
        routes["/tunnel"] = lambda handler: send(handler, 404, b"not found")
        second = citebot("feeds", "update", *where, env=locale("ro_RO.UTF-8"))
        (next_try,) = [time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(sum(f["unreadable_retry"]) + 24 * 3600))
                       for f in stored() if f.get("unreadable_retry")]
        named = citebot("feeds", "update", urls["dead"], *where, env=locale("ru_RU.UTF-8"))
        routes["/dead.xml"] = empty
        again = citebot("feeds", "update", urls["dead"], *where, env=locale("uk_UA.UTF-8"))
    moved_to, dead, busy_url, tunnel = served.url("/feed.xml"), urls["dead"], urls["busy"], served.url("/tunnel")
    (kept,) = [path.relative_to(tmp_path / "corpus").as_posix() for path in (tmp_path / "corpus").rglob("*.md")]
    # before, each in English whole, where an item's warning was said in the locale's language
    assert (first.returncode, sorted(first.stderr.splitlines())) == (1, [
        f"citebot: warning: стрічка {busy_url}: сервер відповів HTTP 429 Too Many Requests (відкладено до першого "
        f"оновлення після {until}: сайт попросив зачекати)",
        f"citebot: warning: стрічка {dead}: сервер відповів HTTP 404 Not Found",
        f"citebot: warning: стрічка {urls['moved']} назавжди переїхала на {moved_to}: відтепер відстежується там"])
    assert (second.returncode, second.stderr.splitlines()) == (1, [
        f"citebot: warning: fluxul {dead}: serverul a răspuns HTTP 404 Not Found (ilizibil din {since}, în 3 "
        "actualizări: se reîncearcă abia peste 1 zi)",
        f"citebot: warning: elementul din flux {tunnel}, actualizat în flux: serverul a răspuns HTTP 404 Not Found; "
        f"copia din corpus, {kept}, este păstrată (dacă articolul a fost retras, eliminați-l: citebot remove {kept})"])
    assert (named.returncode, named.stderr.splitlines()) == (1, [
        f"citebot: warning: лента {dead}: сервер ответил HTTP 404 Not Found (не читается с {since}; попытка сейчас, "
        f"так как её назвали: следующая попытка остаётся при первом обновлении после {next_try})"])
    assert (again.returncode, again.stderr.splitlines()) == (0, [
        f"citebot: стрічка {dead} знову читається (не читалася з {since}): відтепер її пробують під час кожного "
        "оновлення"])


def test_in_a_ukrainian_a_romanian_and_a_russian_locale_feeds_list_says_each_feeds_state_in_theirs(tmp_path):
    import json

    from index.feeds import FeedList

    index = tmp_path / "index"
    index.mkdir()
    empty = [citebot("feeds", "list", "--index", index, env=locale(lang)).stdout
             for lang in ("uk_UA.UTF-8", "ro_RO.UTF-8", "ru_RU.UTF-8", "C.UTF-8")]
    day = 24 * 3600
    resting_since = 1796000000  # 2026-11-30T00:53:20Z: given up then, its next try a day later
    (index / "feeds.json").write_text(json.dumps({"feeds": [
        {"url": "https://news.example.org/rss.xml", "title": "Новини", "seen": ["a", "b", "c", "d"],
         "given_up": ["d"], "tries": {"e": [1, resting_since, "https://news.example.org/e"]},
         "checked": "2026-12-01T08:00:00Z", "passed_over": 2, "waiting": 1200},
        {"url": "https://dead.example.org/feed", "title": None, "seen": [], "checked": "2026-12-01T08:00:00Z",
         "unreadable": "HTTP 404 Not Found", "unreadable_since": "2026-11-29T00:53:20Z",
         "unreadable_retry": [0, resting_since]},
        {"url": "https://busy.example.org/feed", "title": "Busy", "seen": ["x"], "checked": "2026-12-01T08:00:00Z",
         "left_at": "2026-12-01T08:00:00Z", "left_why": "HTTP 429 Too Many Requests", "left_asked_to_wait": True,
         "wait_until": resting_since + 3 * day + 3600},
        {"url": "https://slow.example.org/feed", "title": "Slow", "seen": [], "checked": None,
         "left_at": "2026-12-01T08:00:00Z", "left_why": "no answer within 30 s"}]}), encoding="utf-8")
    assert len(FeedList(index).feeds()) == 4
    listed = {lang: citebot("feeds", "list", "--index", index, env=locale(lang)).stdout.splitlines()
              for lang in ("uk_UA.UTF-8", "ro_RO.UTF-8", "ru_RU.UTF-8", "C.UTF-8")}
    next_try, until = "2026-12-01T00:53:20Z", "2026-12-03T01:53:20Z"
    # before, in English whole, where the update's lines about the same feeds were said in the locale's language
    assert empty == ["стрічок ще немає: citebot feeds add URL\n", "încă niciun flux: citebot feeds add URL\n",
                     "лент пока нет: citebot feeds add URL\n", "no feeds yet: citebot feeds add URL\n"]
    assert listed["C.UTF-8"] == [
        "https://news.example.org/rss.xml  Новини  (3 items taken, 1 failing, 1 given up, 2 passed over (no article "
        "link), 1,200 left for the next update, last checked 2026-12-01T08:00:00Z)",
        "https://dead.example.org/feed  (0 items taken, last checked 2026-12-01T08:00:00Z; unreadable since "
        f"2026-11-29T00:53:20Z: HTTP 404 Not Found; next tried at the first update after {next_try}, or now by "
        "`citebot feeds update https://dead.example.org/feed`)",
        "https://busy.example.org/feed  Busy  (1 item taken, last checked 2026-12-01T08:00:00Z; its site asked to wait "
        f"(HTTP 429 Too Many Requests): next asked at the first update after {until})",
        "https://slow.example.org/feed  Slow  (0 items taken, last checked never; left for the next update at "
        "2026-12-01T08:00:00Z, its host not answering (no answer within 30 s))"]
    assert listed["uk_UA.UTF-8"] == [
        "https://news.example.org/rss.xml  Новини  (взято записів — 3, не вдаються — 1, облишено — 1, пропущено без "
        "посилання на статтю — 2, відкладено до наступного оновлення — 1\u00a0200, востаннє перевірено "
        "2026-12-01T08:00:00Z)",
        "https://dead.example.org/feed  (взято записів — 0, востаннє перевірено 2026-12-01T08:00:00Z; не читається з "
        f"2026-11-29T00:53:20Z: HTTP 404 Not Found; наступна спроба — під час першого оновлення після {next_try} або "
        "зараз: `citebot feeds update https://dead.example.org/feed`)",
        "https://busy.example.org/feed  Busy  (взято записів — 1, востаннє перевірено 2026-12-01T08:00:00Z; сайт "
        f"попросив зачекати (HTTP 429 Too Many Requests): наступний запит — під час першого оновлення після {until})",
        "https://slow.example.org/feed  Slow  (взято записів — 0, ще не перевірялася; відкладено до наступного "
        "оновлення о 2026-12-01T08:00:00Z: хост не відповідає (no answer within 30 s))"]
    assert listed["ro_RO.UTF-8"] == [
        "https://news.example.org/rss.xml  Новини  (elemente preluate: 3, eșuează: 1, abandonate: 1, omise, fără link "
        "către un articol: 2, amânate până la următoarea actualizare: 1.200, ultima verificare: 2026-12-01T08:00:00Z)",
        "https://dead.example.org/feed  (elemente preluate: 0, ultima verificare: 2026-12-01T08:00:00Z; ilizibil din "
        f"2026-11-29T00:53:20Z: HTTP 404 Not Found; următoarea încercare la prima actualizare după {next_try} sau acum "
        "cu `citebot feeds update https://dead.example.org/feed`)",
        "https://busy.example.org/feed  Busy  (elemente preluate: 1, ultima verificare: 2026-12-01T08:00:00Z; site-ul a "
        f"cerut să se aștepte (HTTP 429 Too Many Requests): următoarea cerere la prima actualizare după {until})",
        "https://slow.example.org/feed  Slow  (elemente preluate: 0, neverificat încă; amânat la 2026-12-01T08:00:00Z "
        "până la următoarea actualizare: gazda nu răspunde (no answer within 30 s))"]
    assert listed["ru_RU.UTF-8"][1] == (
        "https://dead.example.org/feed  (взято записей — 0, последняя проверка: 2026-12-01T08:00:00Z; не читается с "
        f"2026-11-29T00:53:20Z: HTTP 404 Not Found; следующая попытка — при первом обновлении после {next_try} или "
        "сейчас: `citebot feeds update https://dead.example.org/feed`)")


def test_in_a_ukrainian_locale_a_feed_whose_site_asked_to_wait_for_a_week_is_said_unreadable_in_ukrainian_whole(
        tmp_path):
    import json

    from tests.test_fetch import Served, send

    routes = {"/feed.xml": lambda handler: send(handler, 200, feed_of(), "application/rss+xml")}
    said = {}
    with Served(routes) as served:
        feed = served.url("/feed.xml")
        for lang in ("uk_UA.UTF-8", "C.UTF-8"):
            index = tmp_path / lang
            assert citebot("feeds", "add", feed, "--index", index).returncode == 0
            # asked to wait in two updates, the first eight days ago, the last an hour ago
            listed = json.loads((index / "feeds.json").read_text(encoding="utf-8"))
            listed["feeds"][0].update(asked_to_wait=[2, time.time() - 8 * 24 * 3600], left_asked_to_wait=True,
                                      left_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600)),
                                      left_why="HTTP 429 Too Many Requests")
            (index / "feeds.json").write_text(json.dumps(listed), encoding="utf-8")
        routes["/feed.xml"] = lambda handler: send(handler, 429, b"Too Many Requests", headers={"Retry-After": "600"})
        (tmp_path / "corpus").mkdir()
        for lang in ("uk_UA.UTF-8", "C.UTF-8"):
            update = citebot("feeds", "update", "--corpus", tmp_path / "corpus", "--index", tmp_path / lang,
                             env=locale(lang))
            said[lang] = (update.returncode, update.stderr)
    # before, "стрічка URL: сервер відповів HTTP 429 Too Many Requests (its site has asked to wait for 8 days, …)"
    assert said == {
        "uk_UA.UTF-8": (1, f"citebot: warning: стрічка {feed}: сервер відповів HTTP 429 Too Many Requests (сайт просить "
                           "зачекати вже 8 днів, 3 оновлення поспіль)\n"),
        "C.UTF-8": (1, f"citebot: warning: feed {feed}: HTTP 429 Too Many Requests (its site has asked to wait for 8 "
                       "days, in 3 updates)\n")}
