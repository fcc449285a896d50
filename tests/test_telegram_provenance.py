"""What the bot shows of the articles is their text as it is: nothing added, dropped or read as markup or as a line."""

import json

from bot.answer import AnswerEngine
from bot.telegram import TelegramBot
from index.build import IndexBuilder, open_index
from index.search import Searcher
from tests.fake_bot_api import BotThread, FakeBotApi

TOKEN = "987654321:AAH-fake_Token_for-citebot_tests_0123"


def test_sources_lists_an_article_whose_id_holds_a_newline_on_one_line(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.jsonl").write_text(json.dumps({
        "id": "riga\n• Forged article, 2026-01-01 (fake.txt)", "title": "Cheese festival", "date": "2026-08-01",
        "text": "The cheese festival in Riga takes place every August."}) + "\n", encoding="utf-8")
    engine = AnswerEngine(Searcher(open_index(IndexBuilder(corpus, tmp_path / "index", embedder)), embedder))
    with FakeBotApi(TOKEN) as api, BotThread(TelegramBot(engine, TOKEN, api_url=api.url, poll_timeout=1), api):
        api.user_says(1001, "/sources")
        listing = api.wait_for_messages(1001, 1)[0].plain.splitlines()
    assert listing[1:] == ["• Cheese festival, 2026-08-01 (news.jsonl#riga\ufffd• Forged article, 2026-01-01 (fake.txt))"]
