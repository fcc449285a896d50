"""The bot over a living corpus: admins add from the chat, new builds are answered from at once, old builds
stay while questions read them, conversations survive restarts. Real HTTP, real model, real processes;
only Telegram is faked (tests/fake_bot_api.py)."""

import dataclasses
import itertools
import json
import logging
import os
import re
import resource
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from bot.answer import AnswerEngine
from bot.live import LiveEngine
from bot.memory import ChatMemory
from bot.render import source_html
from bot.telegram import TelegramBot, answer_blocks, pack
from bot.telegram.access import without_links
from index.add import ArticleAdder
from index.build import IndexBuilder, open_index
from index.embedder import Embedder
from index.fetch import Fetcher
from index.search import Searcher
from index.store import Store
from index.update import CorpusUpdater
from tests.conftest import FIXTURE_MODEL_ENV, ROOT
from tests.fake_bot_api import BOT_USER, BotThread, FakeBotApi, parse_html
from tests.living import CITEBOT, citebot, files_under, live_build
from tests.news_site import STORIES, NewsSite
from tests.process_lines import StderrLines

TOKEN = "987654321:AAH-fake_Token_for-citebot_tests_0123"
ADMIN, STRANGER = 501, 502
ADMINS_ONLY = "Adding articles is for the bot's admins."
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TUNNEL_Q = "When will the harbour tunnel under Tallinn Bay open to traffic?"
SUMMIT = ("At a joint conference with the head of NATO in Kyiv, the Ukrainian leader said that the NATO summit to be "
          "held in Vilnius in July could become “historic” and that he had been invited to participate.")
chat_ids = itertools.count(3001)


@pytest.fixture
def site():
    with NewsSite(published=("orchestra",)) as served:
        yield served


def live_engine(corpus, index) -> LiveEngine:
    """What `citebot telegram` serves: the engine over the index's live build, following new builds."""
    embedder = Embedder()
    engine = AnswerEngine(Searcher(open_index(IndexBuilder(corpus, index, embedder)), embedder))
    return LiveEngine(index, lambda store: AnswerEngine(Searcher(store, embedder)), engine, model=embedder.model)


def engine_over(index) -> AnswerEngine:
    embedder = Embedder()
    store = Store.load(index)
    embedder.use_onnx(store.folder)
    return AnswerEngine(Searcher(store, embedder))


def bold(text: str) -> str:
    return parse_html(re.search(r"<b>(.*?)</b>", text, re.S).group(1))


# ---- adding from the chat (the bot in this process) ----------------------------------------------
@pytest.fixture
def adding_bot(workspace):
    corpus, index = workspace
    updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))
    live = live_engine(corpus, index)
    with FakeBotApi(TOKEN) as api:
        bot = TelegramBot(live, TOKEN, api_url=api.url, rate_limit=1000, poll_timeout=1,
                          admins=frozenset({ADMIN}), updater=updater)
        with BotThread(bot, api):
            yield api, bot, corpus


def test_a_file_over_the_size_limit_is_refused_with_the_limit_written_as_the_admins_language_writes_numbers(
        adding_bot):
    api, bot, corpus = adding_bot
    big, told = b"x" * 5_000_001, []
    captions = (None, "Стаття про тунель і порт", "Un articol nou despre tunel", "Новая статья о туннеле и порте")
    for caption in captions:  # one at a time: in order
        api.user_sends_document(ADMIN, file_name="big.txt", content=big, **({"caption": caption} if caption else {}))
        told.append(api.wait_for_messages(ADMIN, len(told) + 1)[-1].plain)
    assert told == [
        "Could not add it: the file is over the limit of 5,000,000 bytes",
        "Не вдалося додати: файл перевищує ліміт у 5\u00a0000\u00a0000 байтів",
        "Nu am putut adăuga: fișierul depășește limita de 5.000.000 de octeți",
        "Не удалось добавить: файл превышает лимит в 5\u00a0000\u00a0000 байт"]


def test_a_file_the_build_would_skip_is_refused_with_the_builds_reason_in_the_admins_language(adding_bot, monkeypatch):
    api, bot, corpus = adding_bot
    before = files_under(corpus)
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "1")  # under the bot's --max-bytes (5 MB), over what the build reads
    big = b"Port news\n\n" + b"The port of Riga switched on a floating solar farm on Monday. " * 25_000
    olena = {"from": {"id": ADMIN, "is_bot": False, "first_name": "Olena", "language_code": "uk"}}
    api.user_sends_document(ADMIN, file_name="port.txt", content=big, **olena)
    [told] = api.wait_for_messages(ADMIN, 1)
    # it was "Не вдалося додати: the build would skip local/port-….md: 1.6 MB, over the 1 MB limit (set …)"
    assert re.fullmatch(r"Не вдалося додати: збірка індексу пропустила б local/port-[0-9a-f]{6}\.md: 1,6 МБ, понад "
                        r"ліміт у 1 МБ \(задайте CITEBOT_MAX_FILE_MB\)", told.plain), told.plain
    assert files_under(corpus) - before <= {".citebot-add.lock"}


def test_a_stored_jsonl_row_grown_over_the_line_limit_is_told_in_the_admins_language_when_its_link_is_added_again(
        adding_bot, site, monkeypatch):
    api, bot, corpus = adding_bot
    url = site.article_url("tunnel")
    row = {"id": "riga-solar", "url": url, "title": "Riga port goes solar",
           "text": "The port of Riga switched on a floating solar farm on Monday. " * 3}
    (corpus / "wire.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    olena = {"from": {"id": ADMIN, "is_bot": False, "first_name": "Olena", "language_code": "uk"}}
    api.user_says(ADMIN, f"/add {url}", **olena)
    api.wait_for_messages(ADMIN, 1)
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.0001")  # 100 bytes a line, under the row's length
    api.user_says(ADMIN, f"/add {url}", **olena)
    told = api.wait_for_messages(ADMIN, 2)[1]
    # it was "… не вдалося знову прочитати wire.jsonl#riga-solar: line over the 0.0001 MB limit (set …); копію …"
    assert told.plain == ("Не вдалося додати: не вдалося знову прочитати wire.jsonl#riga-solar: рядок понад ліміт у "
                          "0,0001 МБ (задайте CITEBOT_MAX_FILE_MB); копію в корпусі, wire.jsonl#riga-solar, залишено")


def test_an_admin_adds_by_command_by_link_and_by_file_and_the_next_question_is_answered_from_it(adding_bot, site,
                                                                                               caplog):
    caplog.set_level(logging.INFO, logger="citebot.telegram")
    api, bot, corpus = adding_bot
    chat = ADMIN
    said = itertools.count(1)

    def say(text=None, **document):
        if document:
            api.user_sends_document(chat, **document)
        else:
            api.user_says(chat, text)
        return api.wait_for_messages(chat, next(said))[-1]

    assert say(f"/add {site.article_url('tunnel')}").plain == "Added: Tallinn harbour tunnel to open in March (1 passage)"
    assert "14 March 2027" in bold(say(TUNNEL_Q).text)
    assert say(site.article_url("ferry")).plain == "Added: Electric ferry crosses the Gulf of Finland (1 passage)"
    tunnel_file = next(p for p in files_under(corpus) if "tunnel" in p)
    assert say(f"/add {site.url('/amp/tunnel')}").plain == \
        f"Already there: Tallinn harbour tunnel to open in March ({tunnel_file})"
    assert f"Added: Tallinn harbour tunnel to open in March (1 passage) ({tunnel_file})" in caplog.messages
    assert f"Already there: Tallinn harbour tunnel to open in March ({tunnel_file})" in caplog.messages  # named once
    notes = ("Ferry timetable\n\nFrom December the Aurora sails from Helsinki at 07:30 and 16:30 every day, "
             "the operator announced.\n").encode()
    assert say(file_name="timetable.md", content=notes, mime_type="text/markdown").plain == \
        "Added: Ferry timetable (1 passage)"
    assert "07:30" in bold(say("When does the Aurora sail from Helsinki from December?").text)
    assert say(f"/add {site.url('/no-such-story')}").plain == "Could not add it: HTTP 404 Not Found"
    assert say("/add").plain == ("Send /add with a link, for example: /add https://news.example.org/story, "
                                 "or send a .txt, .md, .html, .mhtml, .pdf or .docx file.")
    assert say("/add /etc/passwd").plain.startswith("Send /add with a link")
    assert api.rejected == []


def test_an_added_articles_title_is_told_with_its_direction_overrides_and_escapes_as_replacement_characters(
        adding_bot, caplog):
    caplog.set_level(logging.INFO, logger="citebot.telegram")
    api, bot, corpus = adding_bot
    # U+202E shows "elbatemit" as "timetable" and reverses what follows; ESC [2J would clear the log's terminal
    notes = ("# Ferry \u202eelbatemit\x1b[2J\n\nFrom December the Aurora sails from Helsinki at 07:30 and 16:30 "
             "every day, the operator announced.\n").encode()
    api.user_sends_document(ADMIN, file_name="ferry.md", content=notes, mime_type="text/markdown")
    assert api.wait_for_messages(ADMIN, 1)[0].plain == "Added: Ferry \ufffdelbatemit\ufffd[2J (1 passage)"
    assert any(re.fullmatch(r"Added: Ferry \ufffdelbatemit\ufffd\[2J \(1 passage\) \(local/ferry-[0-9a-f]{6}\.md\)", said)
               for said in caplog.messages)


def test_an_admin_is_told_a_text_file_not_in_utf8_was_read_in_a_guessed_encoding_so_a_garbled_title_is_seen(
        adding_bot):
    from tests.test_legacy_text import KYIV, ODESA, TIMIS

    api, bot, corpus = adding_bot
    sent = [("en", "odesa.txt", ("Одеський порт\n\n" + ODESA).encode("koi8_u")),
            ("uk", "kyiv.txt", ("Бюджет Києва\n\n" + KYIV).encode("cp1251")),
            ("ro", "timis.txt", ("Spital nou\n\n" + TIMIS).encode("cp1250")),
            ("ru", "kyiv.txt", ("Бюджет Києва\n\n" + KYIV).encode("cp1251")),
            ("en", "notes.txt", "Ferry notes\n\nThe Aurora sails from Helsinki at 07:30 every day.\n".encode())]
    told = []
    for lang, name, content in sent:  # one at a time: each replies after its build
        speaking = {"from": {"id": ADMIN, "is_bot": False, "first_name": "Olena", "language_code": lang}}
        api.user_sends_document(ADMIN, file_name=name, content=content, **speaking)
        told.append(api.wait_for_messages(ADMIN, len(told) + 1)[-1].plain)
    kyiv = next(p for p in files_under(corpus) if "kyiv" in p)
    assert told == [
        "Added: Одеський порт (1 passage)\n\nRead as KOI8-U (the file is not UTF-8): if the title above looks wrong, "
        "save the file as UTF-8 and send it again.",
        "Додано: Бюджет Києва (1 уривок)\n\nПрочитано як windows-1251 (файл не в UTF-8): якщо назва вище виглядає "
        "неправильно, збережіть файл у UTF-8 і надішліть його знову.",
        "Adăugat: Spital nou (1 pasaj)\n\nCitit ca windows-1250 (fișierul nu este în UTF-8): dacă titlul de mai sus "
        "arată greșit, salvați fișierul ca UTF-8 și trimiteți-l din nou.",
        f"Уже есть: Бюджет Києва ({kyiv})\n\nПрочитано как windows-1251 (файл не в UTF-8): если название выше "
        "выглядит неправильно, сохраните файл в UTF-8 и отправьте его снова.",
        "Added: Ferry notes (1 passage)"]


def test_an_admins_file_whose_caption_asks_is_added_then_the_question_answered_from_it_and_a_note_is_left_alone(
        adding_bot):
    api, bot, corpus = adding_bot
    solar = b"Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares.\n"
    timetable = ("Ferry timetable\n\nFrom December the Aurora sails from Helsinki at 07:30 and 16:30 every day, "
                 "the operator announced.\n").encode()
    api.user_sends_document(ADMIN, file_name="riga.txt", content=solar,
                            caption="From the port's newsletter: for Tuesday's piece")  # a note to the chat
    api.wait_for_messages(ADMIN, 1)
    # the note's question would be answered before this file's add ends, and this question after it
    api.user_sends_document(ADMIN, file_name="timetable.txt", content=timetable,
                            caption="When does the Aurora sail from Helsinki from December?")
    api.wait_until(lambda api: any("07:30" in m.text for m in api.messages(ADMIN)))  # was never answered
    told = api.messages(ADMIN)
    assert [m.plain for m in told[:2]] == ["Added: Port news (1 passage)", "Added: Ferry timetable (1 passage)"]
    assert len(told) == 3 and "07:30" in bold(told[2].text)


def test_an_admins_file_whose_caption_is_edited_is_not_asked_for_a_note_and_has_its_answer_edited_for_a_question(
        adding_bot):
    api, bot, corpus = adding_bot
    before = files_under(corpus)
    solar = b"Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares.\n"
    timetable = ("Ferry timetable\n\nFrom December the Aurora sails from Helsinki at 07:30 and 16:30 every day, "
                 "the operator announced.\n").encode()
    note = api.message(ADMIN, document=api.document("riga.txt", solar), caption="From the port newsletter, for Tuesday")
    api.push("message", note)
    api.wait_for_messages(ADMIN, 1)
    api.user_edits(note, caption="From the port's newsletter, for Tuesday")  # was answered: "Not found: …"
    odt = api.message(ADMIN, document=api.document("report.odt", b"PK\x03\x04"), caption="Quarterly report")
    api.push("message", odt)
    api.wait_for_messages(ADMIN, 2)
    api.user_edits(odt, caption="The quarterly report")  # was answered as a question too
    asked = api.message(ADMIN, document=api.document("timetable.txt", timetable),
                        caption="When does the Aurora sail from Helsinki from Decembr?")
    api.push("message", asked)
    api.wait_until(lambda api: any("07:30" in m.text for m in api.messages(ADMIN)))  # added, then answered
    api.user_edits(asked, caption="When does the Aurora sail from Helsinki from December?")  # a typo fixed
    [edit] = api.wait_for_messages(ADMIN, 1, method="editMessageText")
    api.user_says(ADMIN, "Thanks")  # answered after the edits, under the chat's lock: an answer to one came before it
    api.wait_until(lambda api: any("welcome" in m.plain for m in api.messages(ADMIN)))
    told = api.messages(ADMIN)
    assert [m.plain for m in told[:3]] == [
        "Added: Port news (1 passage)",
        "Could not add it: an OpenDocument text (.odt) is not read: save it as .docx or .pdf",
        "Added: Ferry timetable (1 passage)"]
    assert len(told) == 5 and "07:30" in bold(told[3].text)
    assert edit.message_id == told[3].message_id and "07:30" in bold(edit.text)
    added = sorted(p.split("-")[0] for p in files_under(corpus) - before if p != ".citebot-add.lock")
    assert added == ["local/riga", "local/timetable"]  # the files edited are not added again


def test_an_admins_file_whose_question_is_edited_out_of_its_caption_has_its_answer_deleted_and_taken_back(adding_bot):
    # a text question edited into a 👍 has its answer written over; a file's caption edited so left the answer standing,
    # answering what was no longer asked, and "source?" named its article
    api, bot, corpus = adding_bot
    timetable = ("Ferry timetable\n\nFrom December the Aurora sails from Helsinki at 07:30 and 16:30 every day, "
                 "the operator announced.\n").encode()
    asked = api.message(ADMIN, document=api.document("timetable.txt", timetable),
                        caption="When does the Aurora sail from Helsinki from December?")
    api.push("message", asked)
    api.wait_until(lambda api: any("07:30" in m.text for m in api.messages(ADMIN)))  # added, then answered
    api.user_edits(asked, caption="👍")
    [deleted] = api.wait_for_messages(ADMIN, 1, method="deleteMessage")
    api.user_says(ADMIN, "source?")  # answered after the edit, under the chat's lock
    told = api.wait_for_messages(ADMIN, 3)
    assert [told[0].plain, deleted.message_id, told[2].plain] == [
        "Added: Ferry timetable (1 passage)", told[1].message_id,
        "There is no earlier answer to give the source of. Ask a question about the articles first."]


def test_an_admins_file_whose_question_is_edited_out_of_its_caption_and_back_in_is_answered_again(adding_bot):
    # taken back by the 👍, the answer was forgotten with the question: the caption edited back into the question was
    # taken for a note never answered, and left unanswered
    api, bot, corpus = adding_bot
    timetable = ("Ferry timetable\n\nFrom December the Aurora sails from Helsinki at 07:30 and 16:30 every day, "
                 "the operator announced.\n").encode()
    question = "When does the Aurora sail from Helsinki from December?"
    asked = api.message(ADMIN, document=api.document("timetable.txt", timetable), caption=question)
    api.push("message", asked)
    api.wait_until(lambda api: any("07:30" in m.text for m in api.messages(ADMIN)))  # added, then answered
    api.user_edits(asked, caption="👍")
    api.wait_for_messages(ADMIN, 1, method="deleteMessage")
    api.user_edits(asked, caption=question)  # thought better of it
    # (waited for by the answer itself: a "Thanks" sent next could take the chat's lock before the edit did, the
    # edit's handler waiting for the file's add first, and be answered before it, as on CI once)
    api.wait_until(lambda api: len([m for m in api.messages(ADMIN) if "07:30" in m.text]) == 2)
    told = api.messages(ADMIN)
    assert [told[0].plain, len(told)] == ["Added: Ferry timetable (1 passage)", 3]
    assert "07:30" in bold(told[2].text)


def test_an_admins_file_in_a_group_whose_caption_no_longer_asks_the_bot_has_its_answer_deleted(adding_bot):
    # in a group the caption edited into a 👍, or to ask a colleague, no longer mentions the bot: no handler heard it,
    # and the answer stood under a file that asked the bot nothing (a text question so edited has its answer deleted)
    api, bot, corpus = adding_bot
    group, mention = -next(chat_ids), f"@{BOT_USER['username']}"
    timetable = ("Ferry timetable\n\nFrom December the Aurora sails from Helsinki at 07:30 and 16:30 every day, "
                 "the operator announced.\n").encode()
    answered = []
    for edit in ({"caption": "👍"}, {"caption": "@anna When does the Aurora sail from Helsinki from December?",
                                     "caption_entities": [{"type": "mention", "offset": 0, "length": 5}]}, {}):
        caption = f"{mention} When does the Aurora sail from Helsinki from December?"
        asked = api.message(group, user_id=ADMIN, chat_type="supergroup", caption=caption,
                            caption_entities=[{"type": "mention", "offset": 0, "length": len(mention)}],
                            document=api.document(f"timetable{len(answered)}.txt", timetable))
        api.push("message", asked)
        api.wait_until(lambda api: len([m for m in api.messages(group) if "07:30" in m.text]) > len(answered))
        answered.append([m for m in api.messages(group) if "07:30" in m.text][-1].message_id)
        api.user_edits(asked, **edit)
        api.wait_for_messages(group, len(answered), method="deleteMessage")
    assert [m.message_id for m in api.messages(group, method="deleteMessage")] == answered


def test_an_admins_file_replaced_in_its_message_has_its_article_removed_and_the_new_file_added_in_one_reply_edited(
        adding_bot):
    api, bot, corpus = adding_bot
    before = files_under(corpus)
    port = b"Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares.\n"
    corrected = (b"Port news, corrected\n\nThe port of Riga switched on a floating solar farm on Monday, covering "
                 b"twelve hectares.\n")
    timetable = ("Ferry timetable\n\nFrom December the Aurora sails from Helsinki at 07:30 and 16:30 every day, "
                 "the operator announced.\n").encode()
    question = "How many hectares does the floating solar farm in Riga cover?"
    sent = api.message(ADMIN, document=api.document("riga.txt", port), caption=question)
    api.push("message", sent)
    api.wait_until(lambda api: any("eleven" in m.text for m in api.messages(ADMIN)))  # added, then answered
    [old] = [p for p in files_under(corpus) - before if p.startswith("local/")]
    api.user_edits(sent, document=api.document("riga.txt", corrected), caption=question)  # was left alone
    odt = api.message(ADMIN, document=api.document("report.odt", b"PK\x03\x04"))
    api.push("message", odt)
    api.wait_for_messages(ADMIN, 3)
    api.user_edits(odt, document=api.document("timetable.txt", timetable))  # the file it meant to send
    theirs = api.message(STRANGER, document=api.document("notes.txt", timetable))
    api.push("message", theirs)
    api.wait_for_messages(STRANGER, 1)
    api.user_edits(theirs, document=api.document("notes.txt", port))  # told again, in place: the same words
    api.wait_until(lambda api: any(str(p.get("chat_id")) == str(STRANGER) for p in api.calls("editMessageText")))
    edits = api.wait_for_messages(ADMIN, 3, method="editMessageText")
    api.user_says(ADMIN, "Thanks")  # after the edits: a reply to one came before it
    api.wait_until(lambda api: any("welcome" in m.plain for m in api.messages(ADMIN)))
    told = api.messages(ADMIN)
    assert [m.plain for m in told[:3]] == [
        "Added: Port news (1 passage)", told[1].plain,
        "Could not add it: an OpenDocument text (.odt) is not read: save it as .docx or .pdf"]
    assert len(told) == 4 and "eleven" in bold(told[1].text)
    assert [(e.message_id, e.plain) for e in edits if "Added" in e.plain] == [
        (told[0].message_id, f"The file was replaced: removed Port news ({old})\n\nAdded: Port news, corrected (1 passage)"),
        (told[2].message_id, "Added: Ferry timetable (1 passage)")]
    [answer] = [e for e in edits if "Added" not in e.plain]
    assert answer.message_id == told[1].message_id and "twelve" in bold(answer.text)  # answered from the new file
    assert [m.plain for m in api.messages(STRANGER)] == [ADMINS_ONLY]  # a stranger's file is not read, edited or not
    added = sorted(p.split("-")[0] for p in files_under(corpus) - before if p != ".citebot-add.lock")
    assert added == ["local/riga", "local/timetable"] and old not in files_under(corpus)
    assert b"twelve" in (corpus / next(p for p in files_under(corpus) if p.startswith("local/riga"))).read_bytes()


def test_an_answer_from_a_file_replaced_by_one_that_cannot_be_added_is_withdrawn_as_its_article_is_removed(adding_bot):
    api, bot, corpus = adding_bot
    before = files_under(corpus)
    port = b"Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares.\n"
    question = "How many hectares does the floating solar farm in Riga cover?"
    sent = api.message(ADMIN, document=api.document("riga.txt", port), caption=question)
    api.push("message", sent)
    api.wait_until(lambda api: any("eleven" in m.text for m in api.messages(ADMIN)))  # added, then answered
    [old] = [p for p in files_under(corpus) - before if p.startswith("local/")]
    odt = api.document("riga.odt", b"PK\x03\x04")
    api.user_edits(sent, document=odt, caption=question)
    edits = api.wait_for_messages(ADMIN, 2, method="editMessageText")  # was 1: the answer stood, citing Port news
    api.user_edits(sent, document=odt, caption=question + " Roughly?")
    api.user_says(ADMIN, "Thanks")  # after the edits: a reply to one came before it
    api.wait_until(lambda api: any("welcome" in m.plain for m in api.messages(ADMIN)))
    told = api.messages(ADMIN)
    assert [(e.message_id, e.plain) for e in edits] == [
        (told[0].message_id, f"The file was replaced: removed Port news ({old})\n\nCould not add it: an OpenDocument "
                             "text (.odt) is not read: save it as .docx or .pdf"),
        (told[1].message_id, "This article has since been removed from the sources.")]
    assert "reply_markup" not in edits[1].params and len(told) == 3  # its caption edited after: left alone
    assert len(api.messages(ADMIN, method="editMessageText")) == 2 and old not in files_under(corpus)


def serving(api, corpus, index):
    """What `citebot telegram` serves, an admin's adds built and its chats file in the index folder."""
    updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))
    return BotThread(TelegramBot(live_engine(corpus, index), TOKEN, api_url=api.url, rate_limit=1000, poll_timeout=1,
                                 admins=frozenset({ADMIN}), updater=updater, memory=ChatMemory(index / "chats.sqlite")),
                     api)


def test_a_reply_to_an_answer_withdrawn_as_its_article_was_removed_is_a_fresh_question_after_a_restart_too(workspace):
    corpus, index = workspace
    port = b"Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares.\n"
    question = "How many hectares does the floating solar farm in Riga cover?"
    alone = "“How much did it cost?” follows on from an earlier question, and there is none: ask it in full, saying " \
            "who or what it is about.\nSee /sources for the articles I know."

    with FakeBotApi(TOKEN) as api:
        sent = api.message(ADMIN, document=api.document("riga.txt", port), caption=question)
        with serving(api, corpus, index) as served:
            api.push("message", sent)
            api.wait_until(lambda api: any("eleven" in m.text for m in api.messages(ADMIN)))  # added, then answered
            api.user_edits(sent, document=api.document("riga.odt", b"PK\x03\x04"), caption=question)
            api.wait_for_messages(ADMIN, 2, method="editMessageText")  # "This article has since been removed …"
            withdrawn = api.messages(ADMIN)[1]
            api.push("message", api.message(ADMIN, text="How much did it cost?", reply_to=withdrawn))
            before = api.wait_for_messages(ADMIN, 3)[2]  # it was read with the question about the removed article
            api.user_says(ADMIN, "Where will the NATO summit be held?")  # the chat's topic now: another question
            api.wait_for_messages(ADMIN, 4)
        served.bot.memory.close()
        with serving(api, corpus, index):  # a restart: which answer was withdrawn is read back from the chats file
            api.push("message", api.message(ADMIN, text="How much did it cost?", reply_to=withdrawn))
            after = api.wait_for_messages(ADMIN, 5)[4]
    assert [before.plain, after.plain] == [alone, alone]


def test_an_admins_file_replaced_in_its_message_after_a_restart_still_has_its_article_removed_and_its_answer_edited(
        workspace):
    corpus, index = workspace
    before = files_under(corpus)
    port = b"Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares.\n"
    corrected = (b"Port news, corrected\n\nThe port of Riga switched on a floating solar farm on Monday, covering "
                 b"twelve hectares.\n")
    question = "How many hectares does the floating solar farm in Riga cover?"

    with FakeBotApi(TOKEN) as api:
        sent = api.message(ADMIN, document=api.document("riga.txt", port), caption=question)
        with serving(api, corpus, index) as served:
            api.push("message", sent)
            api.wait_until(lambda api: any("eleven" in m.text for m in api.messages(ADMIN)))  # added, then answered
        served.bot.memory.close()
        [old] = [p for p in files_under(corpus) - before if p.startswith("local/")]
        with serving(api, corpus, index):  # a restart (a new release): the file was left alone, its article answered from
            api.user_edits(sent, document=api.document("riga.txt", corrected), caption=question)
            edits = api.wait_for_messages(ADMIN, 2, method="editMessageText")
        told = api.messages(ADMIN)
    assert [(e.message_id, e.plain) for e in edits[:1]] == [
        (told[0].message_id, f"The file was replaced: removed Port news ({old})\n\nAdded: Port news, corrected (1 passage)")]
    assert len(told) == 2 and edits[1].message_id == told[1].message_id and "twelve" in bold(edits[1].text)
    assert old not in files_under(corpus)


def test_an_admins_file_still_being_added_when_other_chats_fill_the_bots_memory_is_replaced_once_its_add_ends(
        workspace):
    corpus, index = workspace
    before = files_under(corpus)
    updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))
    adding, release, add_bytes = threading.Event(), threading.Event(), updater.add_bytes

    def held(data, name):  # the first add holds till another chat has been heard from
        if not release.is_set():
            adding.set()
            release.wait(60)
        return add_bytes(data, name)

    updater.add_bytes = held
    port = b"Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares.\n"
    corrected = (b"Port news, corrected\n\nThe port of Riga switched on a floating solar farm on Monday, covering "
                 b"twelve hectares.\n")
    with FakeBotApi(TOKEN) as api:
        # one chat kept in memory: a stranger's /help lets the admin's go while its file is read
        bot = TelegramBot(live_engine(corpus, index), TOKEN, api_url=api.url, rate_limit=1000, poll_timeout=1,
                          admins=frozenset({ADMIN}), updater=updater, memory=ChatMemory(index / "chats.sqlite"),
                          max_chats=1)
        with BotThread(bot, api):
            sent = api.message(ADMIN, document=api.document("riga.txt", port))
            api.push("message", sent)
            assert adding.wait(60)
            api.push("message", api.message(STRANGER, text="/help"))
            api.wait_for_messages(STRANGER, 1)
            release.set()
            [told] = api.wait_for_messages(ADMIN, 1)
            [old] = [p for p in files_under(corpus) - before if p.startswith("local/")]
            api.user_edits(sent, document=api.document("riga.txt", corrected))
            [edit] = api.wait_for_messages(ADMIN, 1, method="editMessageText")
    [riga] = [p for p in files_under(corpus) - before if p.startswith("local/")]
    assert told.plain == "Added: Port news (1 passage)" and edit.message_id == told.message_id
    assert edit.plain == f"The file was replaced: removed Port news ({old})\n\nAdded: Port news, corrected (1 passage)"
    assert b"twelve" in (corpus / riga).read_bytes()


def test_an_admins_file_replaced_while_it_is_being_added_is_replaced_once_its_add_ends(adding_bot):
    api, bot, corpus = adding_bot
    before = files_under(corpus)
    adding, release, add_bytes = threading.Event(), threading.Event(), bot.updater.add_bytes

    def held(data, name):  # the first add holds till the file is replaced
        if not release.is_set():
            adding.set()
            release.wait(60)
        return add_bytes(data, name)

    bot.updater.add_bytes = held
    port = b"Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares.\n"
    corrected = (b"Port news, corrected\n\nThe port of Riga switched on a floating solar farm on Monday, covering "
                 b"twelve hectares.\n")
    sent = api.message(ADMIN, document=api.document("riga.txt", port))
    api.push("message", sent)
    assert adding.wait(60)
    replacement = api.document("riga.txt", corrected)
    api.user_edits(sent, document=replacement)
    # the bot has heard of the new file: it waits for the first add to end (it added the new file beside the old)
    api.wait_until(lambda api: bot.chats[ADMIN].files[sent["message_id"]].unique_id == replacement["file_unique_id"])
    release.set()
    [edit] = api.wait_for_messages(ADMIN, 1, method="editMessageText")
    [told] = api.messages(ADMIN)
    [riga] = [p for p in files_under(corpus) - before if p.startswith("local/")]
    assert told.plain.startswith("Added: Port news (1 passage)") and edit.message_id == told.message_id
    assert edit.plain.startswith("The file was replaced: removed Port news (local/riga-") and edit.plain.endswith(
        "\n\nAdded: Port news, corrected (1 passage)")
    assert b"twelve" in (corpus / riga).read_bytes()


def test_an_admins_caption_edited_while_its_file_is_being_added_is_answered_as_edited_once_the_add_ends(adding_bot):
    api, bot, corpus = adding_bot
    adding, release, add_bytes = threading.Event(), threading.Event(), bot.updater.add_bytes
    edited, heard, chat_of = threading.Event(), threading.Event(), bot._chat

    def held(data, name):  # the add holds till the bot has heard the edit
        adding.set()
        release.wait(60)
        return add_bytes(data, name)

    async def chat(chat_id):  # the edit's handler reads its chat first: the moment it looks at the answers
        if edited.is_set():
            heard.set()
        return await chat_of(chat_id)

    bot.updater.add_bytes, bot._chat = held, chat
    news = ("Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares. "
            "From December the Aurora sails from Helsinki at 07:30 every day, the operator announced.\n").encode()
    sent = api.message(ADMIN, document=api.document("port.txt", news),
                       caption="How many hectares does the floating solar farm in Riga cover?")
    api.push("message", sent)
    assert adding.wait(60)
    edited.set()
    api.user_edits(sent, caption="When does the Aurora sail from Helsinki?")  # was left alone: the old one answered
    assert heard.wait(60)
    release.set()
    [edit] = api.wait_for_messages(ADMIN, 1, method="editMessageText")
    told = api.messages(ADMIN)
    assert [m.plain for m in told[:1]] == ["Added: Port news (1 passage)"] and len(told) == 2
    assert "eleven" in bold(told[1].text)  # the caption it was sent with, answered once the file is added
    assert edit.message_id == told[1].message_id and "07:30" in bold(edit.text)  # then the caption as edited


def test_an_admins_link_to_a_feed_is_told_how_a_feed_is_followed_in_their_language(adding_bot, site):
    api, bot, corpus = adding_bot
    before, told = files_under(corpus), []
    for lang, path in (("en", "/feed.xml"), ("uk", "/atom.xml"), ("ro", "/feed.xml"), ("ru", "/atom.xml")):
        speaking = {"from": {"id": ADMIN, "is_bot": False, "first_name": "Olena", "language_code": lang}}
        api.user_says(ADMIN, site.url(path), **speaking)
        told.append(api.wait_for_messages(ADMIN, len(told) + 1)[-1].plain)
    assert told == [  # was "Could not add it: not an HTML page, a PDF or a Word document (Content-Type …)"
        "Could not add it: a feed (Content-Type application/rss+xml) is not an article: follow it with citebot feeds "
        "add URL, or add the links of its articles",
        "Не вдалося додати: стрічка новин (Content-Type application/atom+xml) не є статтею: стежте за нею командою "
        "citebot feeds add URL або додайте посилання на її статті",
        "Nu am putut adăuga: un flux de știri (Content-Type application/rss+xml) nu este un articol: urmăriți-l cu "
        "citebot feeds add URL sau adăugați linkurile articolelor sale",
        "Не удалось добавить: лента новостей (Content-Type application/atom+xml) не является статьёй: следите за ней "
        "командой citebot feeds add URL или добавьте ссылки на её статьи"]
    assert files_under(corpus) == before


def test_an_admins_link_behind_hyperlinked_text_or_with_a_mention_in_a_group_is_added_not_asked(adding_bot, site):
    api, bot, corpus = adding_bot
    group, shown = -next(chat_ids), "Harbour tunnel story"
    hyperlink = {"type": "text_link", "offset": 0, "length": len(shown), "url": site.article_url("tunnel")}
    api.user_says(ADMIN, shown, entities=[hyperlink])
    hidden = api.wait_for_messages(ADMIN, 1)[0]
    api.user_says(group, f"@{BOT_USER['username']} {site.article_url('ferry')}", user_id=ADMIN, chat_type="supergroup")
    mentioned = api.wait_for_messages(group, 1)[0]
    api.user_says(group, f"@{BOT_USER['username']} {site.article_url('orchestra')}", user_id=STRANGER,
                  chat_type="supergroup")
    refused = api.wait_for_messages(group, 2)[1]
    assert hidden.plain == "Added: Tallinn harbour tunnel to open in March (1 passage)"
    assert mentioned.plain == "Added: Electric ferry crosses the Gulf of Finland (1 passage)"
    assert refused.plain == ADMINS_ONLY
    assert site.statuses("/world/2026/orchestra.html") == []


def test_an_admin_sends_a_pdf_report_and_it_is_added_as_citebot_add_adds_it_or_told_why_not_in_their_language(
        adding_bot):
    from tests.pdfs import pdf_bytes

    api, bot, corpus = adding_bot
    report = ["Riga port opens a floating solar farm",
              "The port of Riga switched on a floating solar farm on Monday, covering eleven hectares of the old",
              "timber harbour with panels that supply the container terminal during daylight hours."]
    replies = itertools.count(1)

    def send(name: str, content: bytes, caption: str | None = None) -> str:
        api.user_sends_document(ADMIN, file_name=name, content=content, mime_type="application/pdf",
                                **({"caption": caption} if caption else {}))
        return api.wait_for_messages(ADMIN, next(replies))[-1].plain

    # It was "I answer text questions: type yours in words."
    assert send("Riga solar.pdf", pdf_bytes([report], title="Floating solar in Riga", created="D:20260302093000Z")) \
        == "Added: Floating solar in Riga (1 passage)"
    [stored] = [p for p in files_under(corpus) if p.startswith("local/")]
    assert re.fullmatch(r"local/2026-03-02-floating-solar-in-riga-[0-9a-f]{6}\.md", stored)
    api.user_says(ADMIN, "How many hectares does the floating solar farm in Riga cover?")
    assert "eleven hectares" in bold(api.wait_for_messages(ADMIN, next(replies))[-1].text)
    scan = pdf_bytes(streams=[b"0 0 1 1 re f"])  # a page with no text on it
    captions = (None, "Звіт про тунель і порт", "Un raport nou despre tunel", "Новый отчёт о туннеле и порте")
    assert [send("scan.pdf", scan, caption) for caption in captions] == [
        "Could not add it: no text in it (a scan? citebot does not read the text of images)",
        "Не вдалося додати: у файлі немає тексту (це скан? citebot не читає текст на зображеннях)",
        "Nu am putut adăuga: fișierul nu conține text (o scanare? citebot nu citește textul din imagini)",
        "Не удалось добавить: в файле нет текста (это скан? citebot не читает текст на изображениях)"]
    assert send("big.pdf", b"%PDF-1.4\n" + b" " * 5_000_001) == \
        "Could not add it: the file is over the limit of 5,000,000 bytes"
    assert send("notes.PDF", b"not a PDF at all") == "Could not add it: not a PDF file (no %PDF header)"
    assert [p for p in files_under(corpus) if p.startswith("local/")] == [stored]  # nothing written for the others
    assert api.rejected == []


def test_an_admin_sends_a_word_draft_and_it_is_added_as_citebot_add_adds_it_and_a_big_one_is_not_downloaded(
        adding_bot):
    from tests.test_docx import DRAFT

    api, bot, corpus = adding_bot
    replies = itertools.count(1)

    def send(name: str, content: bytes, caption: str | None = None) -> str:
        api.user_sends_document(ADMIN, file_name=name, content=content, mime_type=WORD,
                                **({"caption": caption} if caption else {}))
        return api.wait_for_messages(ADMIN, next(replies))[-1].plain

    # It was "I answer text questions: type yours in words."
    assert send("Riga draft.docx", DRAFT) == "Added: Riga port opens a floating solar farm (1 passage)"
    [stored] = [p for p in files_under(corpus) if p.startswith("local/")]
    assert re.fullmatch(r"local/riga-draft-[0-9a-f]{6}\.md", stored)
    api.user_says(ADMIN, "How many hectares does the floating solar farm in Riga cover?")
    assert "eleven hectares" in bold(api.wait_for_messages(ADMIN, next(replies))[-1].text)
    assert send("Riga draft (1).docx", DRAFT) == f"Already there: Riga port opens a floating solar farm ({stored})"
    downloads = len(api.calls("getFile"))
    assert send("big.docx", b"PK\x03\x04" + bytes(5_000_000)) == \
        "Could not add it: the file is over the limit of 5,000,000 bytes"
    assert len(api.calls("getFile")) == downloads  # refused by the size Telegram gave, not downloaded
    locked = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)  # what Word saves with a password: no zip
    captions = (None, "Звіт про тунель і порт", "Un raport nou despre tunel", "Новый отчёт о туннеле и порте")
    assert [send("locked.docx", locked, caption) for caption in captions] == [
        "Could not add it: a Word document with a password, or an old .doc renamed .docx: save it without a password "
        "as a .docx (Word Document)",
        "Не вдалося додати: документ Word із паролем або старий .doc, перейменований на .docx: збережіть його без "
        "пароля як .docx (документ Word)",
        "Nu am putut adăuga: un document Word cu parolă sau un .doc vechi redenumit .docx: salvați-l fără parolă ca "
        ".docx (Document Word)",
        "Не удалось добавить: документ Word с паролем или старый .doc, переименованный в .docx: сохраните его без "
        "пароля как .docx (документ Word)"]
    assert send("cut.docx", DRAFT[:len(DRAFT) // 2], "Звіт про тунель і порт") == \
        "Не вдалося додати: документ Word не вдається прочитати (File is not a zip file)"
    assert [p for p in files_under(corpus) if p.startswith("local/")] == [stored]
    assert api.rejected == []


def test_an_admin_sends_a_page_saved_as_one_file_and_it_is_added_as_the_page_it_holds(adding_bot):
    from tests.test_mhtml import SAVED, SAVED_FROM

    api, bot, corpus = adding_bot
    replies = itertools.count(1)

    def send(name: str, content: bytes, caption: str | None = None) -> str:
        api.user_sends_document(ADMIN, file_name=name, content=content, mime_type="multipart/related",
                                **({"caption": caption} if caption else {}))
        return api.wait_for_messages(ADMIN, next(replies))[-1].plain

    # It was "I answer text questions: type yours in words."
    assert send("Tallinn tunnel.mhtml", SAVED) == "Added: Tallinn harbour tunnel to open in March (1 passage)"
    [stored] = [p for p in files_under(corpus) if p.startswith("bmn.example.org/")]
    assert f'url: "{SAVED_FROM}"' in (corpus / stored).read_text(encoding="utf-8")
    api.user_says(ADMIN, TUNNEL_Q)
    assert "14 March 2027" in bold(api.wait_for_messages(ADMIN, next(replies))[-1].text)
    images = SAVED.replace(b"Content-Type: text/html", b"Content-Type: image/gif")
    assert send("images.mht", images, "Звіт про тунель і порт") == \
        "Не вдалося додати: у ньому немає вебсторінки (немає частини text/html)"
    assert [p for p in files_under(corpus) if p.startswith("bmn.example.org/")] == [stored]
    assert api.rejected == []


def test_anyone_else_asking_to_add_is_told_it_is_for_the_admins_and_nothing_is_added(adding_bot, site):
    api, bot, corpus = adding_bot
    before = files_under(corpus)
    api.user_says(STRANGER, f"/add {site.article_url('tunnel')}")
    api.user_says(STRANGER, site.article_url("tunnel"))
    api.user_sends_document(STRANGER, file_name="notes.txt", content=b"Some notes about the harbour tunnel.")
    replies = api.wait_for_messages(STRANGER, 3)
    api.user_says(STRANGER, "Where is the summit?")  # questions are still for everyone
    answer = api.wait_for_messages(STRANGER, 4)[3]
    assert [r.plain for r in replies] == [ADMINS_ONLY] * 3
    assert "Vilnius" in bold(answer.text)
    assert files_under(corpus) == before
    assert site.statuses("/world/2026/tunnel.html") == []


def test_an_admin_sending_a_file_of_a_kind_not_added_is_told_what_to_save_it_as_or_which_kinds_are_in_their_language(
        adding_bot):
    api, bot, corpus = adding_bot
    before, told = files_under(corpus), []
    for lang, name in (("en", "report.odt"), ("uk", "звіт.doc"), ("ro", "raport.rtf"), ("ru", "данные.xlsx"),
                       ("ru", "фото.JPG")):
        speaking = {"from": {"id": ADMIN, "is_bot": False, "first_name": "Olena", "language_code": lang}}
        api.user_sends_document(ADMIN, file_name=name, content=b"PK\x03\x04 a document", **speaking)
        told.append(api.wait_for_messages(ADMIN, len(told) + 1)[-1].plain)
    api.user_sends_document(STRANGER, file_name="report.odt", content=b"PK\x03\x04 a document")
    stranger = api.wait_for_messages(STRANGER, 1)[0].plain
    assert told == [  # was "only .txt, .md, .html, .mhtml, .pdf and .docx files can be added", as `citebot add` said
        "Could not add it: an OpenDocument text (.odt) is not read: save it as .docx or .pdf",
        "Не вдалося додати: старий документ Word (.doc) не читається: збережіть його як .docx",
        "Nu am putut adăuga: un document Rich Text (.rtf) nu este citit: salvați-l ca .docx sau .txt",
        'Не удалось добавить: таблица (.xlsx) не читается: запишите её статьи в файл .jsonl, по одной {"text": "…"} в '
        "строке, в папке корпуса (citebot add не добавляет файлы .jsonl)",
        "Не удалось добавить: добавить можно только файлы .txt, .md, .html, .mhtml, .pdf и .docx"]  # a kind unnamed
    assert stranger == "I answer text questions: type yours in words."  # a file is no question: as before
    assert files_under(corpus) == before


def test_in_a_group_an_admins_file_of_a_kind_not_added_is_told_so_where_one_to_add_is_heard_and_not_asked(adding_bot):
    api, bot, corpus = adding_bot
    group, before, replies = -next(chat_ids), files_under(corpus), itertools.count(1)
    mention = f"@{BOT_USER['username']}"

    def send(chat, name, caption=None, content=b"PK\x03\x04 a document", **message):
        if caption:
            message.update(caption=caption, caption_entities=[
                {"type": "mention", "offset": m.start(), "length": len(mention)} for m in re.finditer(mention, caption)])
        api.user_sends_document(chat, file_name=name, content=content, user_id=ADMIN,
                                chat_type="private" if chat == ADMIN else "supergroup", **message)
        return api.wait_for_messages(chat, next(replies) if chat == group else 1)[-1]

    send(ADMIN, "report.odt", "Quarterly report for the team")  # was answered as a question: "Not found: …"
    api.user_sends_document(group, file_name="report.odt", content=b"PK\x03\x04", user_id=ADMIN,
                            chat_type="supergroup", caption="Quarterly report for the team")  # the group's: left alone
    told = send(group, "report.odt", mention)  # was the /help
    under = send(group, "report.odt", reply_to=told)  # was nothing, though a .txt so is added
    ukrainian = send(group, "звіт.odt", f"{mention} звіт")  # was answered as a question
    addable = send(group, "звіт.txt", f"{mention} звіт", content=b"")  # a kind added, in the same words
    assert [m.plain for m in api.messages(ADMIN)] == [
        "Could not add it: an OpenDocument text (.odt) is not read: save it as .docx or .pdf"]
    assert [m.plain for m in api.messages(group)] == [told.plain, under.plain, ukrainian.plain, addable.plain] == [
        "Could not add it: an OpenDocument text (.odt) is not read: save it as .docx or .pdf"] * 2 + [
        "Не вдалося додати: текстовий документ OpenDocument (.odt) не читається: збережіть його як .docx або .pdf",
        "Не вдалося додати: файл порожній"]  # was in English: the mention read with "звіт"
    assert files_under(corpus) == before


def test_the_add_replies_speak_the_telegram_language_of_whoever_sends_them(adding_bot, site):
    api, bot, corpus = adding_bot

    def speaking(user_id, language_code):
        return {"from": {"id": user_id, "is_bot": False, "first_name": "Olena", "language_code": language_code}}

    replies = []
    for text in (f"/add {site.article_url('tunnel')}", f"/add {site.url('/amp/tunnel')}",
                 f"/add {site.url('/no-such-story')}", "/add"):  # one at a time: an add replies after its build
        api.user_says(ADMIN, text, **speaking(ADMIN, "uk"))
        replies.append(api.wait_for_messages(ADMIN, len(replies) + 1)[-1].plain)
    api.user_says(STRANGER, f"/add {site.article_url('ferry')}", **speaking(STRANGER, "ro"))
    refused = api.wait_for_messages(STRANGER, 1)[0].plain
    tunnel_file = next(p for p in files_under(corpus) if "tunnel" in p)
    assert replies == [
        "Додано: Tallinn harbour tunnel to open in March (1 уривок)",  # the article's own title stays as it is
        f"Вже є: Tallinn harbour tunnel to open in March ({tunnel_file})",
        "Не вдалося додати: сервер відповів HTTP 404 Not Found",
        "Надішліть /add із посиланням, наприклад: /add https://news.example.org/story, або надішліть файл .txt, .md, "
        ".html, .mhtml, .pdf чи .docx.",
    ]
    assert refused == "Doar administratorii botului pot adăuga articole."


def test_add_or_remove_with_words_not_a_link_is_answered_in_the_language_of_those_words_from_an_english_app(adding_bot):
    api, bot, corpus = adding_bot
    told, heard = [], {ADMIN: 0, STRANGER: 0}
    for user, text in ((ADMIN, "/add посилання з новин"), (ADMIN, "/add linkul de la articol"),
                       (ADMIN, "/add эту ссылку"), (STRANGER, "/add ссылку на эту статью"),
                       (STRANGER, "/remove articolul despre summit")):  # one at a time, each from an English app
        api.user_says(user, text)
        heard[user] += 1
        told.append(api.wait_for_messages(user, heard[user])[-1].plain)
    # before, each was English: a command's own words were not read, only the app's language
    assert told == [
        "Надішліть /add із посиланням, наприклад: /add https://news.example.org/story, або надішліть файл .txt, .md, "
        ".html, .mhtml, .pdf чи .docx.",
        "Trimiteți /add cu un link, de exemplu: /add https://news.example.org/story, sau trimiteți un fișier .txt, .md, "
        ".html, .mhtml, .pdf sau .docx.",
        "Отправьте /add со ссылкой, например: /add https://news.example.org/story, или пришлите файл .txt, .md, .html, "
        ".mhtml, .pdf или .docx.",
        "Добавлять статьи могут только администраторы бота.",
        "Doar administratorii botului pot elimina articole.",
    ]


def test_the_words_of_an_add_are_read_past_its_links_in_one_pass_however_long_and_dotted_the_argument():
    # a stranger's "/add" followed by a message's worth of "x.x.x.…" was read again from each of its characters (the
    # regex for a file name, anchored nowhere), the time growing with the square of its length: 4,096 characters held
    # every chat up a third of a second, and a longer text (a fake API's, a caption's) for minutes
    dotted = "x." * 500_000  # no file name: kept, as a word
    assert without_links(f"посилання {dotted} https://t.me/s/news www.example.org/a ştiri.ro/a.md linkul") == \
        f"посилання {dotted} linkul"
    assert without_links("x" * 1_000_000 + " ссылку") == "x" * 1_000_000 + " ссылку"


REFUSALS = {  # why each add below fails, as each language says it: English as the index (and `citebot add`) says it
    "en": ("Could not add it: ", [
        "HTTP 404 Not Found",
        "not an HTML page, a PDF or a Word document (Content-Type image/jpeg)", "no article text found on the page",
        "the body is 3,000,000 bytes, over the 1,000,000-byte limit", "no answer within 0.5 s",
        "localhost resolves to a private address 127.0.0.1; set CITEBOT_ALLOW_PRIVATE_URLS=1 to allow",
        "the file is empty", "a binary file, not text", "not UTF-8 text"]),
    "uk": ("Не вдалося додати: ", [
        "сервер відповів HTTP 404 Not Found",
        "це не HTML-сторінка, не PDF і не документ Word (Content-Type image/jpeg)",
        "на сторінці не знайдено тексту статті",
        "розмір сторінки — 3\u00a0000\u00a0000 байтів, а ліміт — 1\u00a0000\u00a0000 байтів",
        "сервер не відповів за 0,5 с",
        "localhost веде на приватну адресу 127.0.0.1; щоб дозволити її, задайте CITEBOT_ALLOW_PRIVATE_URLS=1",
        "файл порожній", "це двійковий файл, а не текст", "це не текст у кодуванні UTF-8"]),
    "ro": ("Nu am putut adăuga: ", [
        "serverul a răspuns HTTP 404 Not Found",
        "nu este nici o pagină HTML, nici un PDF, nici un document Word (Content-Type image/jpeg)",
        "pe pagină nu s-a găsit textul unui articol",
        "pagina are 3.000.000 de octeți, peste limita de 1.000.000 de octeți", "serverul nu a răspuns în 0,5 s",
        "localhost duce la adresa privată 127.0.0.1; pentru a o permite, setați CITEBOT_ALLOW_PRIVATE_URLS=1",
        "fișierul este gol", "este un fișier binar, nu text", "nu este text în codificarea UTF-8"]),
    "ru": ("Не удалось добавить: ", [
        "сервер ответил HTTP 404 Not Found",
        "это не HTML-страница, не PDF и не документ Word (Content-Type image/jpeg)",
        "на странице не найден текст статьи",
        "размер страницы — 3\u00a0000\u00a0000 байт, а лимит — 1\u00a0000\u00a0000 байт", "сервер не ответил за 0,5 с",
        "localhost указывает на частный адрес 127.0.0.1; чтобы разрешить его, задайте CITEBOT_ALLOW_PRIVATE_URLS=1",
        "файл пуст", "это двоичный файл, а не текст", "это не текст в кодировке UTF-8"]),
}


def test_why_a_link_or_a_file_could_not_be_added_is_said_in_the_admins_language(workspace, site):
    corpus, index = workspace
    fetcher = Fetcher(timeout=0.5, max_bytes=1_000_000, allow_private=["127.0.0.1"])  # not "localhost"
    updater = CorpusUpdater(ArticleAdder(corpus, fetcher), IndexBuilder(corpus, index, Embedder()))
    links = [site.url("/no-such-story"), site.url("/photo.jpg"), site.url("/consent"), site.url("/huge"),
             site.url("/slow"), site.url("/world/2026/tunnel.html").replace("127.0.0.1", "localhost")]
    files = [b"", b"PK\x03\x04\x00\x00binary", "Стаття, збережена у windows-1251.".encode("cp1251")]
    told = {}
    with FakeBotApi(TOKEN) as api:
        bot = TelegramBot(live_engine(corpus, index), TOKEN, api_url=api.url, rate_limit=1000, poll_timeout=1,
                          admins=frozenset({ADMIN}), updater=updater)
        with BotThread(bot, api):
            sender = itertools.count(1)
            for lang in REFUSALS:  # one add at a time: each replies after the one before
                speaking = {"from": {"id": ADMIN, "is_bot": False, "first_name": "Olena", "language_code": lang}}
                for link in links:
                    api.user_says(ADMIN, f"/add {link}", **speaking)
                    api.wait_for_messages(ADMIN, next(sender))
                for content in files:
                    api.user_sends_document(ADMIN, file_name="notes.txt", content=content, **speaking)
                    api.wait_for_messages(ADMIN, next(sender))
            replies = iter(api.messages(ADMIN))
            told = {lang: [next(replies).plain for _ in links + files] for lang in REFUSALS}
    assert told == {lang: [opening + why for why in reasons] for lang, (opening, reasons) in REFUSALS.items()}


# ---- new builds, old builds -----------------------------------------------------------------------
def test_a_new_build_from_another_process_is_used_by_the_next_question_and_the_old_one_stays_while_in_use(
        workspace, site):
    corpus, index = workspace
    live = live_engine(corpus, index)
    with live.using() as before:  # a question in hand on the first build
        first = before.store.folder
        assert citebot("add", "--corpus", corpus, "--index", index, site.article_url("tunnel")).returncode == 0
        assert Store.live_folder(index) != first
        with live.using() as after:  # the next question: the new build, at once
            assert after.store.folder == Store.live_folder(index) and len(after.store.articles) == 3
            assert "14 March 2027" in after.ask(TUNNEL_Q).answer
        assert first.is_dir()  # not deleted under the question still reading it
        assert before.ask("Where is the summit?").found and len(before.store.articles) == 2
        assert citebot("add", "--corpus", corpus, "--index", index, site.article_url("ferry")).returncode == 0
        assert first.is_dir()
    with live.using() as latest:
        assert len(latest.store.articles) == 4
    assert citebot("add", "--corpus", corpus, "--index", index, site.article_url("orchestra")).returncode == 0
    assert not first.exists()  # no question uses it any more: the next build's clean-up removed it
    builds = sorted(p.name for p in (index / "builds").iterdir())
    assert len(builds) == 2  # the live build and the one the live engine still holds as current
    assert live.swaps == 2


def test_a_new_build_that_will_not_load_is_refused_once_and_the_previous_one_answers_until_a_good_one_comes(
        workspace, site, caplog):
    corpus, index = workspace
    live = live_engine(corpus, index)
    first = live.current().store.folder
    assert citebot("add", "--corpus", corpus, "--index", index, site.article_url("tunnel")).returncode == 0
    (Store.live_folder(index) / "tables.npz").write_bytes(b"garbage")  # the new build, broken on disk
    with caplog.at_level(logging.WARNING, logger="citebot"):
        for _ in range(3):
            with live.using() as engine:
                assert engine.store.folder == first and engine.ask("Where is the summit?").found
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["keeping the previous index"]  # not at each question
    assert citebot("index", "--corpus", corpus, "--index", index).returncode == 0
    with live.using() as engine:
        assert len(engine.store.articles) == 3 and "14 March 2027" in engine.ask(TUNNEL_Q).answer


def test_questions_are_answered_from_the_old_build_at_once_while_one_thread_loads_the_new_one(workspace):
    corpus, index = workspace
    embedder = Embedder()
    loading, release, made = threading.Event(), threading.Event(), []

    def make(store):  # the real engine, once the test lets the load go on
        made.append(store.folder)
        loading.set()
        if not release.wait(60):
            raise AssertionError("the load was never let go on")
        return AnswerEngine(Searcher(store, embedder))

    live = LiveEngine(index, make, AnswerEngine(Searcher(open_index(IndexBuilder(corpus, index, embedder)), embedder)),
                      model=embedder.model)
    first = live.engine.store.folder
    (corpus / "tunnel.txt").write_text("\n\n".join(STORIES["tunnel"].paragraphs), encoding="utf-8")
    IndexBuilder(corpus, index, embedder).build()
    new = Store.live_folder(index)
    loaded, waited, answered = [], [], []
    loader = threading.Thread(target=lambda: loaded.append(live.current()))  # what the bot does after an add
    waiter = threading.Thread(target=lambda: waited.append(live.current()))
    asker = threading.Thread(target=lambda: answered.append(answer_from(live)))  # another chat's question
    try:
        loader.start()
        assert loading.wait(60)
        waiter.start()
        asker.start()
        asker.join(60)
        assert not asker.is_alive(), "the question waited for the new build to load"
    finally:
        release.set()
        for thread in (loader, waiter, asker):
            thread.join(60)
    assert answered == [(first, SUMMIT, "")]  # the tunnel: not found
    assert made == [new]  # loaded once: the other caller of current() waited for that load
    assert loaded[0] is waited[0] and loaded[0].store.folder == new
    assert answer_from(live) == (new, SUMMIT, STORIES["tunnel"].paragraphs[0])  # the next question: the new build


def answer_from(live: LiveEngine):
    """The build a question is answered from, and its answers to the summit's and the tunnel's questions."""
    with live.using() as engine:
        return engine.store.folder, engine.ask("Where is the summit?").answer, engine.ask(TUNNEL_Q).answer


# ---- the real `citebot telegram` process ------------------------------------------------------------
class BotProcess:
    """`citebot telegram` running against the fake Bot API; its stderr lines are collected as they come."""

    def __init__(self, api, corpus, index, *extra, admins=str(ADMIN), env=None):
        env = dict(os.environ, TELEGRAM_BOT_TOKEN=TOKEN, HF_HUB_OFFLINE="1", CITEBOT_ADMINS=admins,
                   **FIXTURE_MODEL_ENV, **(env or {}))
        self.process = subprocess.Popen(
            [CITEBOT, "telegram", "--api-url", api.url, "--corpus", str(corpus), "--index", str(index), *extra],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.stderr = StderrLines(self.process, "citebot telegram")
        self.lines = self.stderr.lines

    def wait_for_line(self, text: str, timeout: float = 180, nth: int = 1) -> str:
        return self.stderr.wait_for_line(text, timeout, nth)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(60)
        self.stderr.join(10)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
            print("citebot telegram said:\n" + "\n".join(self.lines))


def test_an_admins_file_is_added_up_to_the_bots_max_bytes_as_a_link_is_within_what_telegram_lets_a_bot_download(
        workspace):
    corpus, index = workspace
    survey = (b"Harbour survey\n\nThe harbour survey counted forty-two cranes at the Muuga terminal on Friday.\n"
              + b"\n" * 5_500_000)  # 5.5 MB: was "over the limit of 5,000,000 bytes" whatever --max-bytes said
    with FakeBotApi(TOKEN) as api:
        bot = BotProcess(api, corpus, index, "--max-bytes", "30000000")
        try:
            bot.wait_for_line("answering as")
            api.user_sends_document(ADMIN, file_name="survey.txt", content=survey)
            assert api.wait_for_messages(ADMIN, 1)[0].plain == "Added: Harbour survey (1 passage)"
            api.user_sends_document(ADMIN, file_name="huge.txt", content=b"x" * 20_000_001)
            assert api.wait_for_messages(ADMIN, 2)[1].plain == (
                "Could not add it: the file is over the limit of 20,000,000 bytes")  # Telegram's for a bot's download
            assert bot.stop() == 0
        finally:
            bot.kill()
    assert len(api.calls("getFile")) == 1  # the file over Telegram's limit is refused before it is downloaded


def test_the_running_bot_answers_from_feeds_from_citebot_add_in_another_process_and_from_an_admins_add(
        workspace, site):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    assert citebot("feeds", "add", site.url("/feed.xml"), *where).returncode == 0
    chat, stranger = ADMIN, STRANGER
    with FakeBotApi(TOKEN) as api:
        bot = BotProcess(api, corpus, index, "--feeds-every", "60")
        try:
            bot.wait_for_line("feeds: 1 new, 0 already known, 0 failed (1 feed checked)")
            api.user_says(chat, "Who will be the principal conductor of the Tallinn City Orchestra?")
            assert "Helena Duarte" in bold(api.wait_for_messages(chat, 1)[0].text)

            added = citebot("add", *where, site.article_url("tunnel"))  # another process, while the bot runs
            assert added.returncode == 0, added.stderr
            api.user_says(chat, TUNNEL_Q)
            assert "14 March 2027" in bold(api.wait_for_messages(chat, 2)[1].text)

            api.user_says(chat, f"/add {site.article_url('ferry')}")
            assert api.wait_for_messages(chat, 3)[2].plain == \
                "Added: Electric ferry crosses the Gulf of Finland (1 passage)"
            api.user_says(chat, "How many passengers did the electric ferry Aurora carry?")
            assert "320 passengers" in bold(api.wait_for_messages(chat, 4)[3].text)

            api.user_says(stranger, f"/add {site.article_url('tunnel')}")
            assert api.wait_for_messages(stranger, 1)[0].plain == ADMINS_ONLY
            assert bot.stop() == 0
        finally:
            bot.kill()
    assert api.rejected == []
    assert len(list(Store.load(index).articles)) == 5


def test_an_admins_file_the_disk_cannot_take_is_one_reply_and_one_warning_and_is_added_once_there_is_room(workspace):
    corpus, index = workspace
    notes = b"The city council approved a new cycling bridge over the Pirita river on Tuesday.\n"
    with FakeBotApi(TOKEN) as api:
        bot = BotProcess(api, corpus, index)
        try:
            bot.wait_for_line("answering as @")
            # a full disk, as files stop growing past a byte (EFBIG, "File too large", where a full disk gives ENOSPC)
            resource.prlimit(bot.process.pid, resource.RLIMIT_FSIZE, (1, resource.RLIM_INFINITY))
            api.user_sends_document(ADMIN, file_name="notes.txt", content=notes)
            refused = api.wait_for_messages(ADMIN, 1)[0]
            resource.prlimit(bot.process.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            api.user_sends_document(ADMIN, file_name="notes.txt", content=notes)
            added = api.wait_for_messages(ADMIN, 2)[1]
            assert bot.stop() == 0
        finally:
            bot.kill()
    # It was "Sorry, something went wrong while answering that." and a 30-line traceback ending in OSError
    why = rf"cannot write local/notes-[0-9a-f]{{6}}\.md in the corpus folder {re.escape(str(corpus))}: File too large"
    assert re.fullmatch(f"Could not add it: {why}", refused.plain)
    assert added.plain == "Added: The city council approved a new cycling bridge over the Pirita river on Tuesday. (1 passage)"
    warned = [line.split(" citebot.telegram: ", 1)[1] for line in bot.lines if " WARNING citebot.telegram: " in line]
    assert len(warned) == 1 and re.fullmatch(f"cannot add notes\\.txt: {why}", warned[0])
    assert not [line for line in bot.lines if "Traceback" in line]
    assert [p.name for p in (corpus / "local").iterdir()] == [re.search(r"notes-[0-9a-f]{6}\.md", refused.plain)[0]]


def test_a_conversation_and_its_more_sources_button_survive_a_sigterm_restart(workspace):
    corpus, index = workspace
    engine = engine_over(index)
    chat = next(chat_ids)
    with FakeBotApi(TOKEN) as api:
        first = BotProcess(api, corpus, index)
        try:
            api.user_says(chat, "Where is the summit?")
            question = api.wait_for_messages(chat, 1)[0]
            assert first.stop() == 0
        finally:
            first.kill()
        second = BotProcess(api, corpus, index)
        try:
            api.user_says(chat, "And when is it?")
            follow_up = api.wait_for_messages(chat, 2)[1]
            api.user_clicks(question, question.buttons[0]["callback_data"])  # a button from before the restart
            more = api.wait_for_messages(chat, 3)[2]
            assert second.stop() == 0
        finally:
            second.kill()
    assert [follow_up.text] == pack(answer_blocks(engine.ask("And when is it?", context="Where is the summit?")))
    assert "July" in bold(follow_up.text)
    assert more.text == source_html(engine.ask("Where is the summit?").sources[1])
    assert [c.get("text") for c in api.calls("answerCallbackQuery")] == [None]  # not "expired"


def builds_held(pid: int, index) -> set[str]:
    """The build folders of ``index`` whose files process ``pid`` has open or mapped (their names)."""
    builds = f"{Path(index).resolve()}/builds/"
    fds = Path(f"/proc/{pid}/fd")
    opened = [os.readlink(fd) for fd in fds.iterdir() if fd.is_symlink()]
    mapped = [line.split(None, 5)[5] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
              if len(line.split(None, 5)) == 6]
    return {path[len(builds):].split("/")[0] for path in opened + mapped if path.startswith(builds)}


@pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="reads the bot's open files in /proc")
def test_the_running_bot_lets_go_of_the_files_of_each_build_it_moved_on_from(workspace):
    corpus, index = workspace
    with FakeBotApi(TOKEN) as api:
        bot = BotProcess(api, corpus, index)
        try:
            first = Path(live_build(index)).name
            seen = [first]
            for rebuild in range(6):  # each: a question on the build in hand, then another process builds a new one
                chat = next(chat_ids)
                api.user_says(chat, "Where is the summit?")
                assert "Vilnius" in bold(api.wait_for_messages(chat, 1)[0].text)
                (corpus / f"council-{rebuild}.txt").write_text(
                    f"The council of district {rebuild} approved a new bridge over the river on Monday.\n",
                    encoding="utf-8")
                assert citebot("index", "--corpus", corpus, "--index", index).returncode == 0
                seen.append(Path(live_build(index)).name)
            chat = next(chat_ids)
            api.user_says(chat, "Which council approved a new bridge over the river?")  # moves the bot to the last
            api.wait_for_messages(chat, 1)
            held = builds_held(bot.process.pid, index)
            assert bot.stop() == 0
        finally:
            bot.kill()
    assert len(set(seen)) == 7
    # the build it answers from, and the first, which /help's guide reads until /help is next asked for: not the
    # other five (before: every build it had answered from, 31 open descriptors each, their disk space never freed)
    assert held == {seen[-1], first}


# ---- sources saved with an earlier answer, shown after the corpus changed ---------------------------------
NATO_ARTICLE = "000_021f342df130e0f3.txt"
NATO_LABEL = "NATO member states are preparing to discuss Ukraine's membership and security…, 2023-04-20"
INVITED = ("Stoltenberg previously invited the Ukrainian president to attend the Vilnius summit, to which Zelensky "
           "responded that he was \"grateful\" for the invitation, but it was important that Ukraine also \"received a "
           "corresponding invitation.\"")
CORRECTION = "Correction, 21 April: an earlier version of this story misstated where the talks took place.\n\n"


def retract(corpus: Path) -> None:
    (corpus / NATO_ARTICLE).unlink()


def correct_elsewhere(corpus: Path) -> None:  # a note under the date line: every offset after it moves, no word else
    path = corpus / NATO_ARTICLE
    date_line, rest = path.read_text(encoding="utf-8").split("\n\n", 1)
    path.write_text(f"{date_line}\n\n{CORRECTION}{rest}", encoding="utf-8")


def correct_the_quote(corpus: Path) -> None:  # the quoted sentence itself is reworded
    path = corpus / NATO_ARTICLE
    path.write_text(path.read_text(encoding="utf-8").replace("previously invited", "had invited"), encoding="utf-8")


def move_into_a_folder(corpus: Path) -> None:
    (corpus / "archive").mkdir()
    (corpus / NATO_ARTICLE).rename(corpus / "archive" / NATO_ARTICLE)


def more_sources_after(workspace, change) -> tuple[list, object, LiveEngine]:
    """"Where is the summit?" asked of the bot, the corpus changed by ``change`` and rebuilt, then "More sources"
    pressed twice: the two passages shown, the sources the answer had saved, and the bot's engine."""
    corpus, index = workspace
    live = live_engine(corpus, index)
    saved = live.engine.ask("Where is the summit?").sources
    chat = next(chat_ids)
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(live, TOKEN, api_url=api.url, poll_timeout=1), api):
        api.user_says(chat, "Where is the summit?")
        answer = api.wait_for_messages(chat, 1)[0]
        change(corpus)
        IndexBuilder(corpus, index, Embedder()).build()
        api.user_clicks(answer, answer.buttons[0]["callback_data"])
        first = api.wait_for_messages(chat, 2)[1]
        api.user_clicks(first, first.buttons[0]["callback_data"])
        second = api.wait_for_messages(chat, 3)[2]
    assert api.rejected == []
    return [first, second], saved, live


def test_more_sources_of_an_article_removed_since_the_answer_says_it_was_removed_and_shows_none_of_its_text(
        workspace):
    shown, saved, _ = more_sources_after(workspace, retract)
    assert [(saved[1].doc, saved[2].doc)] == [(NATO_ARTICLE, NATO_ARTICLE)]  # the two passages behind the button
    assert [m.plain for m in shown] == [
        f"This article has since been removed from the sources.\n— {NATO_LABEL} ({NATO_ARTICLE})"] * 2


def test_source_asked_after_the_answers_article_was_removed_says_it_was_removed_in_reply_to_that_answer_too(workspace):
    corpus, index = workspace
    chat = next(chat_ids)
    removed = "This article has since been removed from the sources."
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(live_engine(corpus, index), TOKEN, api_url=api.url,
                                                         poll_timeout=1), api):
        api.user_says(chat, "What is high on the agenda?")
        answer = api.wait_for_messages(chat, 1)[0]
        retract(corpus)
        IndexBuilder(corpus, index, Embedder()).build()
        api.user_says(chat, "source?")
        latest = api.wait_for_messages(chat, 2)[1]
        api.user_says(chat, "source?", reply_to=answer)  # only its article's id is known of it: the article is gone
        replied = api.wait_for_messages(chat, 3)[2]
    assert [latest.plain, replied.plain] == [
        f"The last answer comes from: {NATO_LABEL} ({NATO_ARTICLE})\n{removed}",
        f"That answer comes from: {NATO_ARTICLE}\n{removed}"]  # a reply to it: not the last answer's words (e2acac8)

def test_more_sources_of_an_article_reworded_since_the_answer_says_it_no_longer_says_that(workspace):
    shown, _, _ = more_sources_after(workspace, correct_the_quote)
    assert shown[0].plain == (f"This article has since been changed and no longer says this.\n"
                              f"— {NATO_LABEL} ({NATO_ARTICLE})")
    assert "had invited" not in shown[0].plain and "previously invited" not in shown[0].plain


def test_more_sources_of_an_article_corrected_elsewhere_show_its_current_text_at_its_new_offsets(workspace):
    shown, saved, live = more_sources_after(workspace, correct_elsewhere)
    text = (workspace[0] / NATO_ARTICLE).read_text(encoding="utf-8")
    with live.using() as engine:
        now = [engine.recheck(source) for source in saved[1:3]]
    assert [text[s.start:s.end] == s.passage for s in now] == [True, True]  # never the words the old offsets held
    assert [s.start - old.start for s, old in zip(now, saved[1:3])] == [len(CORRECTION)] * 2
    assert text[slice(*now[0].sentence)] == INVITED and now[1].passage == saved[2].passage
    assert [m.text for m in shown] == [source_html(s) for s in now]
    assert [m.plain.split("\n")[0] for m in shown] == ["This article has been updated since; it still says this:"] * 2
    assert bold(shown[0].text) == INVITED


def test_more_sources_of_an_article_moved_into_a_folder_show_it_under_its_new_id_as_it_was(workspace):
    shown, saved, _ = more_sources_after(workspace, move_into_a_folder)
    moved = [dataclasses.replace(s, doc=f"archive/{NATO_ARTICLE}") for s in saved[1:3]]
    assert [m.text for m in shown] == [source_html(s) for s in moved]


def test_a_story_stored_again_from_its_address_under_a_corrected_title_is_found_there_by_its_address(workspace,
                                                                                                      embedder):
    corpus, index = workspace
    body = (corpus / NATO_ARTICLE).read_text(encoding="utf-8").split("\n\n", 1)[1]
    (corpus / NATO_ARTICLE).unlink()
    story = lambda title: f'---\ntitle: "{title}"\ndate: "2023-04-20"\nurl: "https://news.example.org/nato"\n---\n\n'
    (corpus / "news.example.org").mkdir()
    (corpus / "news.example.org" / "2023-04-20-nato-summit.md").write_text(story("NATO to discuss Ukraine") + body,
                                                                           encoding="utf-8")
    IndexBuilder(corpus, index, embedder).build()
    saved = engine_over(index).ask("Where is the summit?").sources[1]
    assert (saved.doc, saved.passage[saved.sentence[0] - saved.start:saved.sentence[1] - saved.start]) == \
        ("news.example.org/2023-04-20-nato-summit.md", INVITED)
    (corpus / "news.example.org" / "2023-04-20-nato-summit.md").unlink()  # retracted, then stored again corrected
    corrected = "news.example.org/2023-04-20-nato-summit-corrected.md"
    (corpus / corrected).write_text(story("NATO to discuss Ukraine (corrected)") + CORRECTION + body, encoding="utf-8")
    IndexBuilder(corpus, index, embedder).build()
    now = engine_over(index).recheck(saved)
    text = (corpus / corrected).read_text(encoding="utf-8")
    assert (now.doc, now.title, now.revision) == (corrected, "NATO to discuss Ukraine (corrected)", "updated")
    assert text[now.start:now.end] == now.passage == saved.passage and text[slice(*now.sentence)] == INVITED


def test_a_sigterm_during_a_feed_poll_stops_it_after_the_item_in_hand_and_leaves_the_rest_for_the_next_poll(workspace):
    from tests.test_feeds import rss
    from tests.test_fetch import Served, send

    corpus, index = workspace
    asked, answer = threading.Event(), threading.Event()

    def held(handler):  # an item's page answering slowly, as a poll of many feeds meets many
        asked.set()
        answer.wait(120)
        send(handler, 404, b"gone")

    with Served({f"/story/{i}": held for i in range(5)}) as site:
        body = rss(*(site.url(f"/story/{i}") for i in range(5)))
        site.routes["/feed.xml"] = lambda handler: send(handler, 200, body, "application/rss+xml")
        assert citebot("feeds", "add", site.url("/feed.xml"), "--corpus", corpus, "--index", index).returncode == 0
        with FakeBotApi(TOKEN) as api:
            bot = BotProcess(api, corpus, index, "--feeds-every", "60")
            try:
                assert asked.wait(180)
                bot.process.send_signal(signal.SIGTERM)
                bot.wait_for_line("stopping: finishing the questions in hand")
                answer.set()  # the item in hand answers; the four after it would too, at once
                code = bot.process.wait(120)
                bot.stderr.join(10)
            finally:
                answer.set()
                bot.kill()
    # The poll went on to its last item before the bot stopped: a poll of 30 feeds took minutes past the SIGTERM, and
    # a service manager kills a bot that long in stopping. Only the pages in hand were asked for (two at once from one
    # site); the second's answer, not waited for, is left for the next poll with the three after it.
    assert code == 0
    assert {path for path in site.hits if path.startswith("/story/")} <= {"/story/0", "/story/1"}
    assert bot.wait_for_line("citebot.telegram: feeds: ").split("citebot.telegram: ", 1)[1] == (
        "feeds: 0 new, 0 already known, 1 failed, 4 left for the next update (1 feed checked)")


# ---- a link added again after its story was corrected ------------------------------------------------------------
def test_an_admin_adding_a_corrected_link_again_is_told_it_was_updated_and_more_sources_saved_before_say_it_changed(
        workspace, site):
    from tests.news_site import Story

    corpus, index = workspace
    # The NATO story on the site, not in the corpus: its "previously invited" sentence is behind "More sources".
    text = (corpus / NATO_ARTICLE).read_text(encoding="utf-8")
    (corpus / NATO_ARTICLE).unlink()
    title = "NATO to discuss Ukraine's membership in Vilnius"
    site.stories["nato"] = Story("nato", title, "2023-04-20", "Staff", tuple(
        p.strip() for p in text.split("\n\n")[1:] if p.strip()))
    site.revisions["nato"] = 0
    link = site.article_url("nato")
    updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))
    live = live_engine(corpus, index)
    chat, told = next(chat_ids), []

    def add(lang: str) -> str:
        api.user_says(ADMIN, f"/add {link}", **{"from": {"id": ADMIN, "is_bot": False, "first_name": "Olena",
                                                         "language_code": lang}})
        told.append(api.wait_for_messages(ADMIN, len(told) + 1)[-1].plain)
        return told[-1]

    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(live, TOKEN, api_url=api.url, rate_limit=1000,
                                                         poll_timeout=1, admins=frozenset({ADMIN}),
                                                         updater=updater), api):
        assert add("en").startswith(f"Added: {title} (")
        rel = next(p for p in files_under(corpus) if p.startswith("127.0.0.1/"))
        api.user_says(chat, "Where is the summit?")
        answer = api.wait_for_messages(chat, 1)[0]
        with live.using() as engine:
            saved = engine.ask("Where is the summit?").sources[1:3]  # what the button shows, one press each
        assert [s.doc for s in saved] == [rel, rel] and saved[1].passage.startswith(INVITED)
        site.correct("nato", "previously invited", "had invited")  # the quoted sentence corrected at the address
        # It was "Already there: …", the page not fetched again: the button went on showing the uncorrected quote.
        assert add("en") == f"Updated: {title} ({rel})"
        api.user_clicks(answer, answer.buttons[0]["callback_data"])
        first = api.wait_for_messages(chat, 2)[1]
        api.user_clicks(first, first.buttons[0]["callback_data"])
        second = api.wait_for_messages(chat, 3)[2]
        site.correct("nato", "mid-July", "11-12 July")
        assert add("uk") == f"Оновлено: {title} ({rel})"
        assert add("ro") == f"Există deja: {title} ({rel})"
        site.correct("nato", "deeply moved", "deeply shaken")
        assert add("ru") == f"Обновлено: {title} ({rel})"
        site.retract("nato", 410)
        # the admin is told the bot's command, not the command line's
        assert add("uk") == (f"Не вдалося додати: сервер відповів HTTP 410 Gone; копію в корпусі, {rel}, залишено "
                             f"(якщо статтю відкликано, вилучіть її: /remove {rel})")
        assert add("en") == (f"Could not add it: HTTP 410 Gone; the copy in the corpus, {rel}, is kept (if the story "
                             f"was retracted, take it out: /remove {rel})")
    assert api.rejected == []
    # The passage saved with the answer, read again in the corrected article: the title it quoted is still there, at
    # its new offsets (the header gained its "updated" line); the corrected sentence is not.
    assert first.plain.split("\n")[:2] == ["This article has been updated since; it still says this:", title]
    assert second.plain.split("\n")[:2] == ["This article has since been changed and no longer says this.",
                                            f"— {title}, 2023-04-20 ({rel})"]
    assert "invited" not in second.plain
    assert [p for p in files_under(corpus) if p.startswith("127.0.0.1/")] == [rel]
    assert "deeply shaken" in (corpus / rel).read_text(encoding="utf-8")


def test_an_admins_link_sent_during_a_feed_poll_is_said_to_wait_for_it_and_typed_and_added_once_it_ends(workspace, site):
    from index.feeds import FeedList
    from tests.test_feeds import rss
    from tests.test_fetch import Served, send

    corpus, index = workspace
    asked, answer = threading.Event(), threading.Event()

    def held(handler):  # the poll's item, answered once the test says so
        asked.set()
        answer.wait(120)
        send(handler, 404, b"gone")

    with Served({"/held": held}) as feeds_site:
        feeds_site.routes["/feed.xml"] = lambda handler: send(handler, 200, rss(feeds_site.url("/held")),
                                                                "application/rss+xml")
        FeedList(index).add(feeds_site.url("/feed.xml"), Fetcher(timeout=10))
        updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))
        with FakeBotApi(TOKEN) as api:
            bot = TelegramBot(live_engine(corpus, index), TOKEN, api_url=api.url, rate_limit=1000, poll_timeout=1,
                              admins=frozenset({ADMIN}), updater=updater, feeds_every=60)
            typing, polling = bot._typing, []

            def typed(*args, **kwargs):  # whether a feed poll was in hand as "typing…" began
                polling.append(bot._polling)
                return typing(*args, **kwargs)

            bot._typing = typed
            with BotThread(bot, api):
                try:
                    assert asked.wait(60)  # the poll holds the adds till its last item and its build
                    api.user_says(ADMIN, f"/add {site.article_url('ferry')}")
                    waiting = api.wait_for_messages(ADMIN, 1)[0]
                finally:
                    answer.set()
                added = api.wait_for_messages(ADMIN, 2)[1]
            told = [method for method, params in api.state.calls
                    if str(params.get("chat_id")) == str(ADMIN) and method in ("sendChatAction", "sendMessage")]
    # The admin saw "typing…" for five seconds, then nothing till the poll ended: minutes, an hour for the first poll
    # of 30 feeds just followed.
    assert waiting.plain == "A feed update is in progress: this is added once it ends."
    assert added.plain == "Added: Electric ferry crosses the Gulf of Finland (1 passage)"
    # then "typing…" all through the poll after being told to wait for it, as if the reply were coming: now from its end
    assert polling == [False]
    assert told[0] == told[-1] == "sendMessage" and set(told[1:-1]) == {"sendChatAction"}


def test_an_admin_adding_a_page_that_takes_long_to_read_sees_typing_till_the_reply_and_none_after_it(workspace, site):
    # Telegram shows "typing…" for 5 s: sent once, the admin of a page read for a minute (a 3 MB one, index/bounded.py)
    # saw it go, then nothing till the reply, as if the bot had died
    corpus, index = workspace
    updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))
    with FakeBotApi(TOKEN) as api:
        bot = TelegramBot(live_engine(corpus, index), TOKEN, api_url=api.url, rate_limit=1000, poll_timeout=1,
                          admins=frozenset({ADMIN}), updater=updater)
        bot.typing_every = 0.05  # 4.5 s in Telegram

        def typing(api) -> int:
            return sum(str(params.get("chat_id")) == str(ADMIN) for params in api.calls("sendChatAction"))

        with BotThread(bot, api):
            try:
                api.user_says(ADMIN, site.article_url("slow"))  # its page is held till the test lets it go
                site.wait_for_request("/world/2026/slow.html")
                api.wait_until(lambda api: typing(api) >= 3)  # shown again and again while the page is read
            finally:
                site.release.set()
            added = api.wait_for_messages(ADMIN, 1)[0]
        # stopped: whatever the bot was to send is sent
        told = [method for method, params in api.state.calls
                if str(params.get("chat_id")) == str(ADMIN) and method in ("sendChatAction", "sendMessage")]
    assert added.plain == "Added: Tallinn harbour tunnel to open in March (1 passage)"
    assert told[-1] == "sendMessage" and told.count("sendMessage") == 1  # no "typing…" after the reply
    assert api.abandoned == [] and api.rejected == []


class _Logged(logging.Handler):
    """Sets ``seen`` once a record of ``level`` or above comes: a test waits for the moment a job's failure is logged."""

    def __init__(self, level: int):
        super().__init__(level)
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.set()


def test_a_feed_poll_failing_where_no_error_of_citebots_says_why_is_logged_at_error_with_its_traceback(workspace,
                                                                                                       caplog):
    corpus, index = workspace

    class Faulty(CorpusUpdater):  # a fault no error of citebot's names (a bug, a library's own exception)
        def update_feeds(self, progress=False, stop=None):
            raise KeyError("guid")

    updater = Faulty(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))
    caplog.set_level(logging.INFO)
    logged = _Logged(logging.ERROR)
    logging.getLogger("citebot.telegram").addHandler(logged)
    try:
        with FakeBotApi(TOKEN) as api:
            bot = TelegramBot(live_engine(corpus, index), TOKEN, api_url=api.url, rate_limit=1000, poll_timeout=1,
                              updater=updater, feeds_every=60)
            with BotThread(bot, api):
                assert logged.seen.wait(60)
    finally:
        logging.getLogger("citebot.telegram").removeHandler(logged)
    # It was one line at WARNING, "Telegram: 'guid'": nothing said where it came from, nor a job had failed.
    [failed] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert (failed.levelname, failed.getMessage()) == ("ERROR", "the feeds job failed: KeyError: 'guid'")
    assert failed.exc_info and "Traceback (most recent call last)" in caplog.text and "in update_feeds" in caplog.text
    assert api.calls("sendMessage") == []  # no one is told: there is no one to tell


# ---- the corpus folder edited by hand while the bot runs ----------------------------------------------------------
TUNNEL = "The harbour tunnel under Tallinn Bay will open to traffic on 14 March 2027, the city council said."


def test_a_file_dropped_into_the_corpus_folder_edited_or_deleted_by_hand_is_answered_from_as_it_is_now(workspace):
    corpus, index = workspace
    chat = next(chat_ids)
    with FakeBotApi(TOKEN) as api:
        bot = BotProcess(api, corpus, index, admins="", env={"CITEBOT_WATCH_SECONDS": "0.2"})
        try:
            bot.wait_for_line("answering as @")
            (corpus / "tunnel.txt").write_text(TUNNEL, encoding="utf-8")
            dropped = bot.wait_for_line("the corpus folder changed: ")
            api.user_says(chat, TUNNEL_Q)
            first = bold(api.wait_for_messages(chat, 1)[0].text)
            (corpus / "tunnel.txt").write_text(TUNNEL.replace("14 March", "21 March"), encoding="utf-8")
            edited = bot.wait_for_line("the corpus folder changed: ", nth=2)
            api.user_says(chat, TUNNEL_Q)
            second = bold(api.wait_for_messages(chat, 2)[1].text)
            (corpus / "tunnel.txt").unlink()
            deleted = bot.wait_for_line("the corpus folder changed: ", nth=3)
            api.user_says(chat, TUNNEL_Q)
            third = api.wait_for_messages(chat, 3)[2].plain
            assert bot.stop() == 0
        finally:
            bot.kill()
    # They were answered from the build the bot started with until something else updated the index.
    said = [line.split(" citebot.telegram: ", 1)[1].split(" in ", 1) for line in (dropped, edited, deleted)]
    assert [(first_half, last_half.split(" s ", 1)[1]) for first_half, last_half in said] == [
        ("the corpus folder changed: indexed 3 articles into 16 passages", "(1 passage embedded)"),
        ("the corpus folder changed: indexed 3 articles into 16 passages", "(1 passage embedded)"),
        ("the corpus folder changed: indexed 2 articles into 15 passages", "(0 passages embedded)")]
    assert (first, second) == (TUNNEL, TUNNEL.replace("14 March", "21 March"))
    assert third.startswith("Not found")
    assert api.rejected == []


def test_a_passage_of_another_article_more_sources_showed_under_an_answer_withdrawn_with_its_file_is_not_written_over(
        adding_bot):
    # the answer from a file replaced by one not added is withdrawn; a passage "More sources" showed under it, from an
    # article still there, keeps its words
    api, bot, corpus = adding_bot
    port = b"Port news\n\nThe port of Riga switched on a floating solar farm on Monday, covering eleven hectares.\n"
    question = "How many hectares does the floating solar farm in Riga cover?"
    sent = api.message(ADMIN, document=api.document("riga.txt", port), caption=question)
    api.push("message", sent)
    api.wait_until(lambda api: any("eleven" in m.text for m in api.messages(ADMIN)))  # added, then answered
    answer = api.messages(ADMIN)[1]
    api.user_clicks(answer, answer.buttons[0]["callback_data"])
    passage = api.wait_for_messages(ADMIN, 3)[2]
    api.user_edits(sent, document=api.document("riga.odt", b"PK\x03\x04"), caption=question)
    edits = api.wait_for_messages(ADMIN, 2, method="editMessageText")
    api.user_says(ADMIN, "Thanks")  # after the edits: one more came before it
    api.wait_until(lambda api: any("welcome" in m.plain for m in api.messages(ADMIN)))
    assert "Port news" not in passage.plain
    assert [e.message_id for e in api.messages(ADMIN, method="editMessageText")] == [
        api.messages(ADMIN)[0].message_id, answer.message_id]
    assert edits[1].plain == "This article has since been removed from the sources."
