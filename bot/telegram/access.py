"""Who may talk to the bot: the allow-lists from the environment, and messages addressed to the bot in groups."""

from __future__ import annotations

import re

from telegram import Message
from telegram.ext import filters

from bot.answering.question import MAX_QUESTION_CHARS, PASSED_ON
from bot.conversation import is_follow_up, two_questions
from index.errors import CitebotError

_LINK = re.compile(r"https?://\S+")


def parse_allowed(text: str | None, name: str = "CITEBOT_ALLOWED_CHATS") -> frozenset[int] | None:
    """The ids in CITEBOT_ALLOWED_CHATS (or CITEBOT_ADMINS) ("123, -100456"), or None when it is unset."""
    if not text or not text.strip():
        return None
    try:
        return frozenset(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise CitebotError(f"{name} must be comma-separated numeric user or chat ids") from None


class _ToBot(filters.MessageFilter):
    """Messages addressed to the bot in a group: they mention it, or reply to it with words for it.

    Not a message forwarded (a channel's post that Telegram forwards into its discussion group, an announcement a
    colleague shares): its mention of the bot is its author's, and the channel's "Ask @bot …" was answered under the
    post. Not a reply that reacts to the bot's answer (a 👍, a sticker) or speaks to a colleague under it ("@anna can
    you use this?"): Telegram delivers every reply to the bot, privacy on or off, and each got "Not found"."""

    def filter(self, message: Message) -> bool:
        if message.forward_origin is not None or message.is_automatic_forward:
            return False
        return _mentions(message) != [] or (_replies_to_bot(message) and not _to_others(message))


class _ForwardedFromTheBot(filters.MessageFilter):
    """A message of the bot's own (an answer, a "Not found") that a user forwarded: shared, not a question to it."""

    def filter(self, message: Message) -> bool:
        return forwarded_from_the_bot(message)


def forwarded_from_the_bot(message: Message) -> bool:
    """Whether ``message`` is one of the bot's own, forwarded by a user (its answer shared)."""
    sender = getattr(message.forward_origin, "sender_user", None)
    return sender is not None and sender.id == message.get_bot().id


class _FromAdmin(filters.UpdateFilter):
    """Updates from an admin, as ``admin(update)`` (the bot's ``_admin``) tells."""

    def __init__(self, admin):
        super().__init__()
        self.admin = admin

    def filter(self, update) -> bool:
        return self.admin(update)


class _FileReplaced(filters.MessageFilter):
    """An edited message whose file is another than the one the bot took from it, as ``replaced(message)`` tells."""

    def __init__(self, replaced):
        super().__init__()
        self.replaced = replaced

    def filter(self, message: Message) -> bool:
        return self.replaced(message)


class _BringsTheBot(filters.MessageFilter):
    """The service message of a group the bot joins: someone added it, or made the group with it."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot().id
        return bool(message.group_chat_created) or any(member.id == bot for member in message.new_chat_members or ())


class _NamesTheBot(filters.MessageFilter):
    """Commands that name the bot (``/sauces@yourbot``); in a group, one that names no bot may be another bot's."""

    def filter(self, message: Message) -> bool:
        return command_addressee(message) == (message.get_bot().username or "").lower() != ""


def command_addressee(message: Message) -> str | None:
    """The bot a message's leading command names, lowercased: "" for ``/help``, "otherbot" for ``/help@OtherBot``;
    None when the message is no command."""
    text = message.text or ""
    return text.split(maxsplit=1)[0].partition("@")[2].lower() if text.startswith("/") else None


class _JustALink(filters.MessageFilter):
    """Messages that are just a link (see ``link``)."""

    def filter(self, message: Message) -> bool:
        return link(message) is not None


def link(message: Message) -> str | None:
    """The address ``message`` is just a link to, a mention of the bot aside: its text, or the one hyperlink
    (a text_link) its whole text is; None when it says anything more."""
    text = without_mentions(message.text or message.caption or "", _mentions(message))
    if _LINK.fullmatch(text):
        return text
    hidden = [entity.url for entity, shown in _entities(message, "text_link").items()
              if shown.strip() == text] if text else []
    return hidden[0] if len(hidden) == 1 and _LINK.fullmatch(hidden[0] or "") else None


_HIDDEN_LINKS = 10  # of a message's hyperlinked words read with its question: Telegram allows 100 entities


def _hidden(message: Message) -> list:
    """``message``'s text_link entities to a web address, in order, at most ``_HIDDEN_LINKS``."""
    entities = sorted(_entities(message, "text_link"), key=lambda entity: entity.offset)
    return [entity for entity in entities if entity.url and _LINK.fullmatch(entity.url)][:_HIDDEN_LINKS]


# the mark that ends a question of a message, a space after it or not ("Where is the summit?Who is Stoltenberg?", as
# a phone leaves the space out, is two questions to bot.conversation too); a link's own "?" ("…/a?b=1") is none
_ASKED = re.compile(r"(?:https?://|www\.)\S+|\?+(?=\s|$|[^\W\d_])", re.I)


def with_hidden_links(question: str, message: Message) -> str:
    """``question`` (``message``'s) with the web addresses behind its hyperlinked words, each after the "?" of the
    question its word is in, else at the end: "Where is the summit? Who is Stoltenberg?", "summit" a link, reads
    "Where is the summit? https://… Who is Stoltenberg?" (the link went after the second, asked with it, the first
    answered from the whole corpus)."""
    text = message.text or message.caption or ""
    utf16 = text.encode("utf-16-le")  # Telegram counts an entity's offset in UTF-16 code units
    hidden = _hidden(message)
    if not hidden:
        return question
    marks = [end - 1 for end in _ends(text)]
    after: dict[int, list[str]] = {}
    for entity in hidden:
        start = len(utf16[:entity.offset * 2].decode("utf-16-le", errors="ignore"))
        after.setdefault(sum(mark < start for mark in marks), []).append(entity.url)
    ends = _ends(question)
    for asked in sorted(after, reverse=True):
        at = ends[asked] if asked < len(ends) else len(question)
        rest = question[at:]  # "?Who is …": the next question is no part of the link
        question = " ".join([question[:at], *after[asked]]) + (" " if rest[:1].strip() else "") + rest
    return question


def _ends(text: str) -> list[int]:
    """Where each question of ``text`` but its last ends, just past its mark: a "?", or a full stop, a semicolon or an
    ellipsis where bot.conversation reads two questions ("Where is the summit. Who is Stoltenberg?": a link behind
    "summit" went after the second's "?", asked with it)."""
    ends = {mark.end() for mark in _ASKED.finditer(text) if mark.group()[0] == "?"}
    rest, at = text[:MAX_QUESTION_CHARS], 0  # as much as is read as a question
    for _ in range(_HIDDEN_LINKS):  # as many as links may go after: each question's split is one linear search
        parts = two_questions(rest)
        if parts is None:
            break
        start = len(rest.rstrip()) - len(parts[1])  # where the second opens
        stop = len(rest[:start].rstrip())
        if stop and rest[stop - 1] in ".;…":
            ends.add(at + stop)
        rest, at = rest[start:], at + start
    return sorted(ends)


def without_mentions(text: str, mentions: list[str]) -> str:
    """``text`` without ``mentions`` and the comma or colon that goes with one: "@bot, who wrote it?" and "who wrote
    it, @bot?" are "who wrote it?" (the comma was read with the question: "Not found: … “, who wrote it?”"). A comma
    before a mention that words follow is the words' before it, and stays: "Hey folks, @bot where is the summit?" is
    "Hey folks, where is the summit?" (it went with the mention: "folks where is the summit?", "Not found")."""
    for mention in set(mentions):
        text = re.sub(rf"\s*(,\s*)?{re.escape(mention)}(\s*[,:])?(?=(\s*(?:[?!.…]|$))?)", _mention_out, text)
    return text.strip()


def without_lead_in(text: str, mentions: list[str]) -> str:
    """``text`` without the words a member passes a question on with, before a colon or a dash and the mention:
    "Anna asked: @bot where is the summit?" asks "@bot where is the summit?" ("Anna asked" was asked too: "Not found").
    Kept where they do not pass it on (``PASSED_ON``: "Vilnius summit: @bot who attended?" asks of which summit),
    where the question leans on them and where they are more than a short clause (a sentence of their own, a line, over
    60 characters)."""
    for mention in set(mentions):
        lead_in = re.match(rf"([^\n.?!…:—–]{{1,60}})[:—–]\s*(?={re.escape(mention)}(?!\w))", text)
        if lead_in and PASSED_ON.search(lead_in.group(1)) \
                and not is_follow_up(without_mentions(text[lead_in.end():], mentions)):
            return text[lead_in.end():]
    return text


def _mention_out(mention: re.Match) -> str:
    """What a mention of the bot, with a comma before it (group 1) and a comma or colon after it, leaves in its
    place: nothing where it ends the sentence (group 3), else a comma before it, else a space; the space left out where
    one follows it ("Hey folks,  who wrote War and Peace?" was echoed with two)."""
    if mention.group(3) is not None:
        return ""
    spaced = mention.string[mention.end():mention.end() + 1].isspace()
    return ("," if spaced else ", ") if mention.group(1) else "" if spaced else " "


# a link, a path or a file name: a word with a "/" in it, or one ending in a dot and an extension, matched from the
# word's start only (searched for anywhere, "x.x.x.…" was tried again from each of its characters: quadratic)
_LINK_OR_FILE = re.compile(r"\S*/\S*|\S*\.\w{1,5}")


def without_links(text: str) -> str:
    """``text`` without its links and file names: what a command's words say of their language ("/add посилання з
    новин"), not what a link's path or an article's id does ("/remove local/de-la-summit.md" is no Romanian).
    One pass over its words, however long."""
    return " ".join(word for word in text.split() if not _LINK_OR_FILE.fullmatch(word))


def asked_in_reply(message: Message) -> str:
    """The question ``message`` (``/ask`` or a mention of the bot, alone) puts to the bot by replying to a colleague's:
    the words of the message replied to (the part quoted, when one is), its mention of the bot taken out; "" for a reply
    to the bot, to a command, to a link or to no words (in a forum, a message that replies to nothing replies to its
    topic's opening), for one under a channel's post (a comment that replies to nothing replies to the post), and for
    one under the bot's own answer forwarded (a colleague sharing it: asked, it got its own sentence again)."""
    replied = message.reply_to_message
    if replied is None or _replies_to_bot(message) or replied.is_automatic_forward or forwarded_from_the_bot(replied):
        return ""
    words = message.quote.text if message.quote else replied.text or replied.caption or ""
    asked = without_mentions(words, _mentions(replied))
    # a link is no question: it was asked, "Not found: nothing in the corpus answers “https://…”"
    return "" if words.startswith("/") or _LINK.fullmatch(asked) or not message.quote and link(replied) else asked


def without_addressees(text: str, message: Message) -> str:
    """``text`` (a question to the bot) without the colleagues ``message`` names at its start or its end, with their
    comma or colon: "@anna where is the summit?" and "where is the summit, @anna?" ask "where is the summit?" (the
    name was asked too: "Not found: nothing in the corpus answers “@anna Where is the summit?”"); a name inside the
    question ("what did @anna post?") is part of it. A name is an @username, a mention entity or not (Telegram makes
    none of a name shorter than a username's five letters, "@anna"), or a name a mention without one shows."""
    mine = set(_mentions(message))
    shown = sorted({t for e, t in _entities(message, "text_mention").items() if t not in mine}, key=len, reverse=True)
    name = "|".join([r"@\w{1,32}", *(re.escape(n) for n in shown)])
    text = re.sub(rf"\A(?:\s*+(?:{name})(?!\w)\s*+[,:]?)+", "", text)
    # the names at the end, matched from the end (the text read backwards, anchored there: one pass, where a search
    # for them from each character was quadratic in a run of spaces)
    backwards = "|".join([r"\w{1,32}@", *(re.escape(n[::-1]) for n in shown)])
    read = re.match(rf"(\s*+[?!.…]*+)((?:\s*+(?:{backwards})(?![\w@])[\s,]*+)*+)", text[::-1])
    head, names = text[: len(text) - read.end()], text[len(text) - read.end():]
    # after a comma, or after the question's own mark ("where is the summit? @anna"): with neither, the name is what
    # the question asks about ("Who is @Stoltenberg?" was asked as "Who is?": "Not found")
    if not names.lstrip().startswith(",") and not head.rstrip().endswith(tuple("?!.…")):
        return text.strip()
    return (head + read.group(1)[::-1]).strip()


def _mentions(message: Message) -> list[str]:
    """The mentions of the bot in the message's text or a photo's (a document's…) caption."""
    bot = message.get_bot()
    return [text for entity, text in _entities(message, "mention", "text_mention").items()
            if (entity.type == "mention" and text.lower() == f"@{(bot.username or '').lower()}")
            or (entity.type == "text_mention" and entity.user and entity.user.id == bot.id)]


def _to_others(message: Message) -> bool:
    """Whether a message says nothing to the bot: no letter or digit (👍, "?!"), or mentions others but not it."""
    words = message.text or message.caption
    if words is None:
        return False  # a document, a sticker: its handler decides
    if not any(ch.isalnum() for ch in words):
        return True
    named = _entities(message, "mention", "text_mention")
    return bool(named) and not _mentions(message)


def _entities(message: Message, *types: str) -> dict:
    """The entities of ``types`` in the message's text, else in its caption, with the text each covers."""
    if message.text:
        return message.parse_entities(list(types))
    return message.parse_caption_entities(list(types)) if message.caption else {}


def _replies_to_bot(message: Message) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == message.get_bot().id)
