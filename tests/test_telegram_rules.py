"""Telegram's message rules as the bot keeps them, and the fake Bot API that referees them."""

import html
import json
import urllib.error
import urllib.request

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answer import Answer, Source
from bot.telegram import RateLimit, answer_blocks, pack, parse_allowed, split_html, utf16_len
from index.errors import CitebotError
from tests.fake_bot_api import BadRequest, FakeBotApi, parse_html

TOKEN = "42:rules-token"
hostile_text = st.lists(
    st.sampled_from(list("ab <>&;\"'.!?\n") + ["</i>", "<b>", "&amp;", "🎉", "👩‍👩‍👧", "Ж", "語", "ش", "x" * 50]),
    max_size=200,
).map("".join)


def squeeze(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=150, deadline=None)
@given(before=hostile_text, inside=hostile_text, after=hostile_text, repeat=st.integers(1, 12),
       limit=st.integers(400, 4096))
def test_split_html_cuts_escaped_text_into_valid_messages_within_the_limit(before, inside, after, repeat, limit):
    source = html.escape(before * repeat) + "<b>" + html.escape(inside * repeat) + "</b>" + html.escape(after * repeat)
    chunks = split_html(source, limit)
    assert all(utf16_len(c) <= limit for c in chunks)
    assert squeeze("".join(parse_html(c) for c in chunks)) == squeeze(parse_html(source))


def test_split_html_cuts_at_sentence_ends_and_reopens_the_bold_it_cut_through():
    sentences = "".join(f"Sentence number {i} ends here. " for i in range(400))
    chunks = split_html("<b>" + sentences.strip() + "</b>")
    assert len(chunks) == 4
    assert all(c.startswith("<b>Sentence number ") and c.endswith(" ends here.</b>") for c in chunks)


def test_split_html_cuts_a_run_without_spaces_between_characters_never_inside_an_entity():
    chunks = split_html("&amp;🎉" * 2000)
    assert all(utf16_len(c) <= 4096 for c in chunks)
    assert "".join(parse_html(c) for c in chunks) == "&🎉" * 2000


def test_pack_puts_blocks_together_while_they_fit_and_cuts_between_blocks_first():
    small = ["first block", "second block"]
    assert pack(small) == ["first block\n\nsecond block"]
    big = ["a" * 3000, "b" * 3000, "c" * 10]
    assert pack(big) == ["a" * 3000, "b" * 3000 + "\n\n" + "c" * 10]


def test_a_2000_character_address_with_quotes_and_ampersands_under_a_long_passage_reaches_the_reader_whole():
    url = ("https://news.example.org/hel?" + "&".join(f"p{i}='v{i}'" for i in range(300)))[:2000]
    passage = " ".join(f"Berth number {i} of the new ferry terminal takes ships from Tallinn." for i in range(10))
    answer = Answer("When will the terminal open?", True, passage.split(". ")[0] + ".",
                    [Source("rows.jsonl#huge", "Helsinki ferry terminal", None, passage, 0, len(passage), 1.0,
                            (0, len(passage.split(". ")[0]) + 1), url)], confidence=0.9, tier="confident")
    messages = pack(answer_blocks(answer))
    assert all(utf16_len(m) <= 4096 for m in messages)
    assert [m.endswith("\n— <i>Helsinki ferry terminal (rows.jsonl#huge)</i>\n" + url.replace("&", "&amp;"))
            for m in messages] == [True]
    assert [parse_html(m).splitlines()[-1] for m in messages] == [url]


def test_the_rate_limit_lets_a_user_ask_again_once_the_minute_has_passed():
    now = [1000.0]
    limit = RateLimit(2, clock=lambda: now[0])
    assert [limit.wait(7), limit.wait(7), limit.wait(7), limit.wait(8)] == [0, 0, 60, 0]
    now[0] += 45
    assert limit.wait(7) == 15
    now[0] += 15
    assert limit.wait(7) == 0


def test_the_rate_limit_must_allow_at_least_one_question():
    with pytest.raises(CitebotError, match="at least 1 question a minute"):
        RateLimit(0)


def test_the_allow_list_reads_comma_separated_ids():
    assert parse_allowed(" 123, -100456 ,") == frozenset({123, -100456})
    assert parse_allowed("") is None and parse_allowed(None) is None
    with pytest.raises(CitebotError, match="CITEBOT_ALLOWED_CHATS must be comma-separated numeric"):
        parse_allowed("123,@someone")


# ---- the referee ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, error", [
    ("<b>open", "Can't find end tag corresponding to start tag b"),
    ("3 < 5", "Unsupported start tag at byte offset 2"),
    ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
    ("a</i>", 'Unmatched end tag at byte offset 1, found "</i>"'),
    ("fish & chips", "Character '&' is reserved at byte offset 5"),
    ("<b>x</i></b>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
])
def test_the_fake_refuses_html_telegram_cannot_parse(text, error):
    with pytest.raises(BadRequest) as refused:
        parse_html(text)
    assert str(refused.value) == f"Bad Request: can't parse entities: {error}"


def _send(api: FakeBotApi, **params) -> tuple[int, dict]:
    request = urllib.request.Request(f"{api.url}/bot{TOKEN}/sendMessage", data=json.dumps(params).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_the_fake_counts_length_in_utf16_units_after_parsing_like_telegram():
    with FakeBotApi(TOKEN) as api:
        fits = _send(api, chat_id=1, text="<b>" + "🎉" * 2048 + "</b>", parse_mode="HTML")
        too_long = _send(api, chat_id=1, text="🎉" * 2048 + "!", parse_mode="HTML")
        broken = _send(api, chat_id=1, text="1 < 2", parse_mode="HTML")
        empty = _send(api, chat_id=1, text="<b> </b>", parse_mode="HTML")
    assert fits[0] == 200 and fits[1]["result"]["text"] == "🎉" * 2048
    assert too_long == (400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"})
    assert broken == (400, {"ok": False, "error_code": 400,
                            "description": "Bad Request: can't parse entities: Unsupported start tag at byte offset 2"})
    assert empty[1]["description"] == "Bad Request: message text is empty"


def test_the_fake_refuses_callback_data_over_64_bytes():
    with FakeBotApi(TOKEN) as api:
        status, body = _send(api, chat_id=1, text="hi",
                             reply_markup={"inline_keyboard": [[{"text": "x", "callback_data": "é" * 33}]]})
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
