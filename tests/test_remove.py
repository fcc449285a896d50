"""`citebot remove` and the bot's `/remove`: an article taken out of the corpus and the index from where an admin works.
Real files, the real model and index, real HTTP on 127.0.0.1, real PostgreSQL, the fake Bot API behind real PTB."""

import itertools
import json
import os
import re
import subprocess

import pytest

from bot.memory import ChatMemory
from bot.telegram import TelegramBot
from index.add import ArticleAdder
from index.build import IndexBuilder
from index.embedder import Embedder
from index.errors import CorpusEmptied
from index.fetch import Fetcher
from index.update import CorpusUpdater
from index.watch import refresh
from tests.conftest import FIXTURE_MODEL_ENV
from tests.fake_bot_api import BotThread, FakeBotApi
from tests.living import CITEBOT, citebot, files_under
from tests.news_site import STORIES
from tests.pdfs import write_pdf
from tests.process_lines import StderrLines
from tests.test_living_bot import ADMIN, STRANGER, TOKEN, TUNNEL_Q, live_engine

NOTES = "date 2026-11-30\nA wrong note says the Daugava bridge in Riga closed on Monday night for repairs.\n"
BRIDGE_Q = "When did the Daugava bridge in Riga close?"
SUMMIT_DOC = "000_021f342df130e0f3.txt"
OLENA = 503  # an admin whose Telegram speaks Ukrainian


def cited(corpus, index, question: str) -> list[str]:
    answer = json.loads(citebot("ask", "--json", "--corpus", corpus, "--index", index, question).stdout)
    return [source["doc"] for source in answer["sources"]]


def test_remove_takes_an_article_out_by_its_link_file_name_or_id_and_the_next_question_is_not_answered_from_it(
        site, workspace, tmp_path):
    corpus, index = workspace
    where = ("--corpus", corpus, "--index", index)
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    added = citebot("add", *where, site.article_url("tunnel"), tmp_path / "notes.txt")
    tunnel, notes = (line.rsplit(" -> ", 1)[1] for line in added.stdout.splitlines()[:2])
    assert cited(corpus, index, TUNNEL_Q)[0] == tunnel

    removed = citebot("remove", *where, site.article_url("tunnel"), "notes.txt", f"{corpus}/{SUMMIT_DOC}")
    assert (removed.returncode, removed.stderr) == (0, "")
    lines = removed.stdout.splitlines()
    assert lines[:3] == [f"removed: {STORIES['tunnel'].title}, 2026-11-20 ({tunnel})",
                         f"removed: A wrong note says the Daugava bridge in Riga closed on Monday night for repairs., "
                         f"2026-11-30 ({notes})",
                         "removed: NATO member states are preparing to discuss Ukraine's membership and security…, "
                         f"2023-04-20 ({SUMMIT_DOC})"]
    assert re.fullmatch(r"indexed 1 article into \d+ passages in [\d.]+ s \(0 passages embedded\)", lines[3])
    assert len(lines) == 4
    assert files_under(corpus) == {"004_e0449b7e4a93b6e4.txt", ".citebot-add.lock"}
    assert sorted(p.name for p in corpus.iterdir() if p.is_dir()) == []  # its site's folder, emptied, went with it
    for question in (TUNNEL_Q, BRIDGE_Q, "Who was invited to the Vilnius summit?"):
        assert not {tunnel, notes, SUMMIT_DOC} & set(cited(corpus, index, question))


def test_an_article_not_in_the_corpus_is_one_error_line_and_exit_1_and_the_others_are_removed(workspace):
    corpus, index = workspace
    removed = citebot("remove", "--corpus", corpus, "--index", index, "no-such.md", SUMMIT_DOC,
                      "https://news.example.org/never-added")
    assert removed.returncode == 1
    assert removed.stderr == ("citebot: error: no article no-such.md in the corpus\n"
                              "citebot: error: no article https://news.example.org/never-added in the corpus\n")
    assert removed.stdout.splitlines()[0].endswith(f"({SUMMIT_DOC})")
    assert SUMMIT_DOC not in files_under(corpus)


def test_a_note_whose_link_is_mistyped_leaves_add_and_remove_by_link_working_and_is_removed_by_that_link(
        site, workspace):
    # a front matter's "http://[x/a" (an IPv6 bracket never closed) made every link's `add` and `remove` end in a
    # traceback (ValueError: Invalid IPv6 URL), as did such a link given to `remove`, and one typed with a byte that is
    # not UTF-8 (a Latin-1 terminal's "é": UnicodeEncodeError)
    corpus, index = workspace
    where = ("--corpus", corpus, "--index", index)
    (corpus / "typo.md").write_text('---\ntitle: "Lighthouse"\nurl: "http://[x/a"\n---\n\nThe lighthouse in Odesa was '
                                    "repainted white and red this spring.\n", encoding="utf-8")
    added = citebot("add", *where, site.article_url("tunnel"))
    assert (added.returncode, added.stderr) == (0, "")
    removed = citebot("remove", *where, site.article_url("tunnel"), "http://[x/a", "https://bmn.example.org/caf\udce9")
    assert removed.returncode == 1
    assert removed.stderr == "citebot: error: no article https://bmn.example.org/caf\\udce9 in the corpus\n"
    assert removed.stdout.splitlines()[0].startswith(f"removed: {STORIES['tunnel'].title}, 2026-11-20 (")
    assert removed.stdout.splitlines()[1] == "removed: Lighthouse (typo.md)"  # named by its link as written


def test_a_row_of_a_jsonl_file_is_not_removed_and_the_line_says_where_to_delete_it(workspace):
    corpus, index = workspace
    (corpus / "dump.jsonl").write_text(json.dumps({"id": "a1", "text": "The ferry sails at dawn."}) + "\n" +
                                       json.dumps({"id": "a2", "text": "The bridge opens at noon."}) + "\n")
    for target in ("dump.jsonl#a1", "dump.jsonl"):
        removed = citebot("remove", "--corpus", corpus, "--index", index, target)
        assert (removed.returncode, removed.stdout) == (1, "")
        assert removed.stderr == (f"citebot: error: {target} is in dump.jsonl, a .jsonl file of articles one a line, "
                                  "which citebot does not rewrite: delete the line there\n")
    assert "dump.jsonl" in files_under(corpus)


EMPTY_PAGE = "<html><head><title>Report</title></head><body></body></html>"


def test_a_file_every_build_skipped_is_removed_from_the_corpus_folder_and_the_line_says_why_it_was_skipped(workspace):
    corpus, index = workspace
    where = ("--corpus", corpus, "--index", index)
    (corpus / "report.html").write_text(EMPTY_PAGE, encoding="utf-8")
    (corpus / "scans").mkdir()
    (corpus / "scans" / "scan.txt").write_bytes(bytes(range(256)) * 8)
    assert citebot("index", *where).stdout.splitlines()[1:] == ["  skipped report.html: no main text found in the HTML",
                                                                "  skipped scans/scan.txt: binary file"]
    # It was "citebot: error: no article report.html in the corpus", of a file the build had just said it skipped.
    removed = citebot("remove", *where, "report.html", f"{corpus}/scans/scan.txt", "scans")
    assert removed.returncode == 1
    assert removed.stdout.splitlines()[:2] == [
        "removed: report.html, a file the build skipped (no main text found in the HTML)",
        "removed: scans/scan.txt, a file the build skipped (binary file)"]
    assert removed.stderr.splitlines()[-1] == "citebot: error: no article scans in the corpus"
    assert not {"report.html", "scans/scan.txt"} & files_under(corpus)
    assert SUMMIT_DOC in files_under(corpus) and not (corpus / "scans").exists()


def test_a_file_the_build_never_reads_is_not_removed_nor_said_to_be_one_the_build_skipped(workspace):
    # An image, a video, a browser's folder of a saved page's parts, Word's lock file: the build passes over them without
    # a word, and remove deleted each, saying "removed: pic.png, a file the build skipped (binary file)"
    corpus, index = workspace
    (corpus / "pic.png").write_bytes(bytes(range(256)) * 8)
    (corpus / "report.html").write_text("<html><body><p>The Daugava bridge reopens in May.</p></body></html>",
                                        encoding="utf-8")
    (corpus / "report_files").mkdir()
    (corpus / "report_files" / "frame.html").write_text(EMPTY_PAGE, encoding="utf-8")
    (corpus / "~$draft.docx").write_bytes(b"Olena")
    removed = citebot("remove", "--corpus", corpus, "--index", index, "pic.png", "report_files/frame.html",
                      "~$draft.docx")
    assert (removed.returncode, removed.stdout) == (1, "")
    assert removed.stderr == ("citebot: error: no article pic.png in the corpus\n"
                              "citebot: error: no article report_files/frame.html in the corpus\n"
                              "citebot: error: no article ~$draft.docx in the corpus\n")
    assert {"pic.png", "report_files/frame.html", "~$draft.docx"} <= files_under(corpus)


def test_a_feed_item_removed_is_not_taken_again_by_the_next_feeds_update_nor_by_a_correction_of_it(site, workspace):
    corpus, index = workspace
    where = ("--corpus", corpus, "--index", index)
    assert citebot("feeds", "add", site.url("/feed.xml"), *where).returncode == 0
    taken = citebot("feeds", "update", *where).stdout.splitlines()[0]
    tunnel = taken.rsplit(" -> ", 1)[1]
    assert citebot("remove", *where, tunnel).stdout.startswith(f"removed: {STORIES['tunnel'].title}, 2026-11-20")

    site.publish("ferry")
    site.correct("tunnel", "14 March 2027", "21 March 2027")  # a correction: the feed lists it anew
    again = citebot("feeds", "update", *where)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1] == "feeds: 1 new, 1 already known, 0 failed (1 feed checked)"
    assert [p for p in files_under(corpus) if "tunnel" in p] == []
    assert not [doc for doc in cited(corpus, index, TUNNEL_Q) if "tunnel" in doc]


def test_remove_with_a_postgresql_store_takes_the_article_out_of_the_database(corpus, pg_uri, tmp_path):
    where = ("--corpus", corpus, "--store", pg_uri)
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    notes = citebot("add", *where, tmp_path / "notes.txt").stdout.splitlines()[0].rsplit(" -> ", 1)[1]
    removed = citebot("remove", *where, notes)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines()[0] == ("removed: A wrong note says the Daugava bridge in Riga closed on Monday "
                                              f"night for repairs., 2026-11-30 ({notes})")
    assert removed.stdout.splitlines()[1].startswith("indexed 2 articles into ")
    asked = json.loads(citebot("ask", "--json", *where, BRIDGE_Q).stdout)
    assert notes not in [source["doc"] for source in asked["sources"]]


VISIT_DOC = "004_e0449b7e4a93b6e4.txt"
NO_ARTICLES = ("no articles in {corpus} yet: add some with `citebot add URL|FILE`, or put .txt, .md, .html, .mhtml, "
               ".pdf, .docx or .jsonl files in it")


def test_removing_the_last_article_succeeds_and_a_later_question_is_told_there_are_no_articles_yet(workspace):
    corpus, index = workspace
    where = ("--corpus", corpus, "--index", index)
    removed = citebot("remove", *where, SUMMIT_DOC, VISIT_DOC)
    assert (removed.returncode, removed.stderr) == (0, "")
    assert removed.stdout.splitlines()[2:] == ["the index holds no articles now; add some with `citebot add URL|FILE`"]
    for asked in (citebot("ask", *where, "Where is the summit?"), citebot("ask", "--json", *where, "Where is it?")):
        assert (asked.returncode, asked.stdout) == (1, "")
        assert asked.stderr == f"citebot: error: {NO_ARTICLES.format(corpus=corpus)}\n"
    chat = citebot("chat", *where, stdin="thanks\nWhere is the summit?\n")
    assert chat.stderr.splitlines()[-1] == f"citebot: error: {NO_ARTICLES.format(corpus=corpus)}"
    unbuilt = citebot("ask", "--corpus", corpus, "--index", index.parent / "new", "Where?")  # no index yet: the same
    assert unbuilt.stderr.splitlines() == ["citebot: no index yet: building it from the corpus…",
                                           f"citebot: error: {NO_ARTICLES.format(corpus=corpus)}"]


def test_every_file_gone_from_the_corpus_folder_by_hand_leaves_the_index_as_it_is_till_citebot_index_empties_it(
        workspace):
    corpus, index = workspace
    builder = IndexBuilder(corpus, index, Embedder())
    live = live_engine(corpus, index)
    for name in (SUMMIT_DOC, VISIT_DOC):
        (corpus / name).unlink()
    # A share not mounted leaves its mount point so: an index of none would embed every passage again once it is back.
    with pytest.raises(CorpusEmptied) as emptied:
        refresh(builder)
    assert str(emptied.value) == (f"the corpus folder {corpus} holds no file now, and the index 2 articles (a share "
                                  "not mounted?): the index is left as it is; `citebot index` empties it")
    assert len(live.current().store.articles) == 2
    assert builder.build(emptied=True).articles == 0  # as `citebot index` and `citebot remove` build
    assert len(live.current().store.articles) == 0
    assert builder.status() == "fresh"  # not built again at every look


def test_an_open_chat_whose_corpus_folder_is_emptied_by_hand_says_so_once_and_answers_from_the_last_build(workspace):
    corpus, index = workspace
    env = dict(os.environ, HF_HUB_OFFLINE="1", NO_COLOR="1", CITEBOT_WATCH_SECONDS="0.2", **FIXTURE_MODEL_ENV)
    chat = subprocess.Popen([CITEBOT, "chat", "--json", "--corpus", corpus, "--index", index],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    stderr = StderrLines(chat, "citebot chat")
    try:
        chat.stdin.write("Where is the summit?\n")
        chat.stdin.flush()
        before = json.loads(chat.stdout.readline())
        for name in (SUMMIT_DOC, VISIT_DOC):
            (corpus / name).unlink()
        warned = stderr.wait_for_line("citebot: warning: ")
        chat.stdin.write("Where is the summit?\n")
        chat.stdin.close()
        after = json.loads(chat.stdout.readline())
        assert chat.wait(timeout=120) == 0
    finally:
        if chat.poll() is None:
            chat.kill()
    assert before["found"] and before["sources"][0]["doc"] in (SUMMIT_DOC, VISIT_DOC)
    assert warned == (f"citebot: warning: the corpus folder {corpus} holds no file now, and the index 2 articles (a "
                      "share not mounted?): the index is left as it is; `citebot index` empties it; answering from the "
                      "index as last built")
    assert after["answer"] == before["answer"]
    assert [line for line in stderr.lines if "warning" in line] == [warned]  # once, not at every look


def test_removing_the_last_article_from_a_postgresql_store_leaves_a_database_of_none_and_says_so(corpus, pg_uri):
    where = ("--corpus", corpus, "--store", pg_uri)
    assert citebot("index", *where).returncode == 0
    removed = citebot("remove", *where, SUMMIT_DOC, VISIT_DOC)
    assert (removed.returncode, removed.stderr) == (0, "")
    assert removed.stdout.splitlines()[2:] == ["the index holds no articles now; add some with `citebot add URL|FILE`"]
    asked = citebot("ask", *where, "Where is the summit?")
    assert (asked.returncode, asked.stdout) == (1, "")
    assert asked.stderr == f"citebot: error: {NO_ARTICLES.format(corpus=corpus)}\n"


# ---- /remove in Telegram ------------------------------------------------------------------------
@pytest.fixture
def removing_bot(workspace):
    corpus, index = workspace
    updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))
    with FakeBotApi(TOKEN) as api:
        bot = TelegramBot(live_engine(corpus, index), TOKEN, api_url=api.url, rate_limit=1000, poll_timeout=1,
                          admins=frozenset({ADMIN, OLENA}), updater=updater)
        with BotThread(bot, api):
            yield api, corpus


def test_an_admin_removes_an_article_by_its_id_and_the_next_question_is_not_answered_from_it(
        removing_bot, site):
    api, corpus = removing_bot
    said = itertools.count(1)

    def say(text, chat=ADMIN, language_code="en"):
        api.user_says(chat, text, **{"from": {"id": chat, "is_bot": False, "first_name": "Olena",
                                              "language_code": language_code}})
        return api.wait_for_messages(chat, next(said) if chat == ADMIN else 1)[-1]

    assert say(f"/add {site.article_url('tunnel')}").plain.startswith("Added: ")
    tunnel = next(p for p in files_under(corpus) if "tunnel" in p)
    assert tunnel in say(TUNNEL_Q).plain
    assert say("/remove").plain == ("Send /remove with the article's id, as /sources and the answers show it, or the "
                                    "link it was added from, for example: /remove https://news.example.org/story. Or "
                                    "reply /remove to the answer that cites it.")
    assert say(f"/remove {tunnel}").plain == f"Removed: {STORIES['tunnel'].title}, 2026-11-20 ({tunnel})"
    assert tunnel not in say(TUNNEL_Q).plain
    assert tunnel not in files_under(corpus)
    assert say(f"/remove {tunnel}").plain == f"Could not remove it: no article {tunnel} in the corpus"
    assert say(f"/remove {tunnel}", chat=OLENA, language_code="uk").plain == \
        f"Не вдалося вилучити: у корпусі немає статті {tunnel}"
    assert say(f"/remove {SUMMIT_DOC}", chat=STRANGER).plain == "Removing articles is for the bot's admins."
    assert say(f"/remove {SUMMIT_DOC}", chat=STRANGER + 10, language_code="ru").plain == \
        "Удалять статьи могут только администраторы бота."
    assert SUMMIT_DOC in files_under(corpus)
    assert api.rejected == []


def test_an_admin_removing_a_file_the_build_skipped_has_it_deleted_and_is_told_why_it_was_skipped_in_their_language(
        removing_bot):
    api, corpus = removing_bot
    skipped = {  # each file the build skips, as an admin speaking each language removes it, and the reply
        "report.html": ("en", "Removed: report.html, a file the build skipped (no main text found in the HTML)"),
        "звіт.html": ("uk", "Вилучено: звіт.html, файл, який збірка індексу пропускала (на сторінці не знайдено тексту "
                            "статті)"),  # the reason was in English: "(no main text found in the HTML)"
        "порожній.txt": ("uk", "Вилучено: порожній.txt, файл, який збірка індексу пропускала (файл порожній)"),
        "scan.txt": ("ru", "Удалено: scan.txt, файл, который сборка индекса пропускала (это двоичный файл, а не "
                           "текст)"),
        "notes.txt": ("ru", "Удалено: notes.txt, файл, который сборка индекса пропускала (это не текст в кодировке "
                            "UTF-8 (байт 6): сохраните файл в UTF-8)"),
        "scan.pdf": ("ro", "Eliminat: scan.pdf, un fișier omis la construirea indexului (fișierul nu conține text (o "
                           "scanare? citebot nu citește textul din imagini))"),
        "raport.odt": ("ro", "Eliminat: raport.odt, un fișier omis la construirea indexului (un document OpenDocument "
                             "(.odt) nu este citit: salvați-l ca .docx sau .pdf)"),
        "archive.zip": ("uk", "Вилучено: archive.zip, файл, який збірка індексу пропускала (стиснений файл (.zip) не "
                              "читається: розпакуйте його в папку корпусу)"),
        # the operating system's reason, which stayed in English: "(No such file or directory)"
        "посилання.txt": ("uk", "Вилучено: посилання.txt, файл, який збірка індексу пропускала (немає такого файлу чи "
                                "папки)"),
    }
    for name in ("report.html", "звіт.html"):
        (corpus / name).write_text(EMPTY_PAGE, encoding="utf-8")
    (corpus / "порожній.txt").write_bytes(b"")
    (corpus / "scan.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "notes.txt").write_bytes(b"Hello \xff\xfe world\n")
    write_pdf(corpus / "scan.pdf", streams=[b""])
    (corpus / "raport.odt").write_bytes(b"PK\x03\x04")
    (corpus / "archive.zip").write_bytes(b"PK\x03\x04")
    (corpus / "посилання.txt").symlink_to(corpus / "moved-away.txt")  # a link to a file moved away
    told = {}
    for n, (name, (lang, _)) in enumerate(skipped.items(), start=1):  # one at a time: each replies after its build
        api.user_says(OLENA, f"/remove {name}", **{"from": {"id": OLENA, "is_bot": False, "first_name": "Olena",
                                                            "language_code": lang}})
        told[name] = api.wait_for_messages(OLENA, n)[-1].plain
    assert told == {name: reply for name, (_, reply) in skipped.items()}
    assert not set(skipped) & files_under(corpus)
    assert api.rejected == []


def test_an_admin_removing_the_last_article_is_told_it_is_removed_and_a_question_that_there_are_no_articles_yet(
        removing_bot):
    api, corpus = removing_bot
    for n, doc in enumerate((SUMMIT_DOC, VISIT_DOC), start=1):
        api.user_says(ADMIN, f"/remove {doc}")
        assert api.wait_for_messages(ADMIN, n)[-1].plain.startswith("Removed: ")
    api.user_says(ADMIN, "Where is the summit?")
    assert api.wait_for_messages(ADMIN, 3)[-1].plain == ("There are no articles to answer from yet: an admin adds them "
                                                         "with /add and a link, or by sending a file.")
    api.user_says(OLENA, "Де саміт?", **{"from": {"id": OLENA, "is_bot": False, "first_name": "Olena",
                                                  "language_code": "uk"}})
    assert api.wait_for_messages(OLENA, 1)[-1].plain == ("Поки немає статей, з яких відповідати: адміністратор додає "
                                                         "їх командою /add із посиланням або надсилаючи файл.")
    api.user_says(ADMIN, "/sources")
    assert api.wait_for_messages(ADMIN, 4)[-1].plain == ("There are no articles to answer from yet: an admin adds them "
                                                         "with /add and a link, or by sending a file.")
    api.user_says(ADMIN, "/help")
    assert api.wait_for_messages(ADMIN, 5)[-1].plain.split("\n\n")[0] == (
        "There are no articles to answer from yet: an admin adds them with /add and a link, or by sending a file.")
    assert files_under(corpus) == {".citebot-add.lock"}
    assert api.rejected == []


def test_an_admin_replying_remove_to_an_answer_from_before_a_restart_takes_out_the_article_it_cites(
        workspace, tmp_path):
    corpus, index = workspace
    updater = CorpusUpdater(ArticleAdder(corpus, Fetcher(timeout=10)), IndexBuilder(corpus, index, Embedder()))

    def bot(api):
        return BotThread(TelegramBot(live_engine(corpus, index), TOKEN, api_url=api.url, rate_limit=1000,
                                     poll_timeout=1, admins=frozenset({ADMIN}), updater=updater,
                                     memory=ChatMemory(tmp_path / "chats.sqlite")), api)

    with FakeBotApi(TOKEN) as api:
        with bot(api):
            api.user_says(ADMIN, "Where is the summit?")
            answer = api.wait_for_messages(ADMIN, 1)[0]
            api.user_says(STRANGER, "Where is the summit?")
            strangers = api.wait_for_messages(STRANGER, 1)[0]
        with bot(api):  # a restart (a new release)
            api.user_says(STRANGER, "/remove", reply_to=strangers)
            api.user_says(ADMIN, "/remove", reply_to=answer)
            removed = api.wait_for_messages(ADMIN, 2)[1]
            api.user_says(ADMIN, "/remove", reply_to=removed)  # the bot's message, but no answer
            no_answer = api.wait_for_messages(ADMIN, 3)[2]
            api.user_says(ADMIN, "Where is the summit?")
            again = api.wait_for_messages(ADMIN, 4)[3]
        refused = api.wait_for_messages(STRANGER, 2)[1]
    visit = "004_e0449b7e4a93b6e4.txt"  # the answer's article; the summit's own is among its other sources
    assert answer.plain.index(f"({visit})") < answer.plain.index(f"({SUMMIT_DOC})")
    assert removed.plain == f"Removed: NATO Secretary General Jens Stoltenberg is on Thursday in his first visit to… " \
                            f"({visit})"
    assert no_answer.plain == ("That message is not one of my recent answers: send /remove with the article's id, "
                               "as /sources and the answers show it.")
    assert visit not in again.plain
    assert refused.plain == "Removing articles is for the bot's admins."
    assert files_under(corpus) == {SUMMIT_DOC, ".citebot-add.lock"}
    assert api.rejected == []


def test_remove_help_shows_an_example():
    result = citebot("remove", "--help")
    assert result.returncode == 0
    assert "examples:\n  citebot remove 127.0.0.1/2026-11-20-" in result.stdout
