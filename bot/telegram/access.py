"""Who may talk to the bot: the allow-lists from the environment, and messages addressed to the bot in groups."""

from __future__ import annotations

import re

from telegram import Message
from telegram.ext import filters

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
    """Messages that mention the bot or reply to it."""

    def filter(self, message: Message) -> bool:
        return _mentions(message) != [] or _replies_to_bot(message)


class _JustALink(filters.MessageFilter):
    """Messages that are just a link (see ``link``)."""

    def filter(self, message: Message) -> bool:
        return link(message) is not None


def link(message: Message) -> str | None:
    """The address ``message`` is just a link to, a mention of the bot aside: its text, or the one hyperlink
    (a text_link) its whole text is; None when it says anything more."""
    text = message.text or ""
    for mention in _mentions(message):
        text = text.replace(mention, " ")
    text = text.strip()
    if _LINK.fullmatch(text):
        return text
    hidden = [entity.url for entity, shown in message.parse_entities(["text_link"]).items()
              if shown.strip() == text] if text else []
    return hidden[0] if len(hidden) == 1 and _LINK.fullmatch(hidden[0] or "") else None


def _mentions(message: Message) -> list[str]:
    bot = message.get_bot()
    found = message.parse_entities(["mention", "text_mention"]) if message.text else {}
    return [text for entity, text in found.items()
            if (entity.type == "mention" and text.lower() == f"@{(bot.username or '').lower()}")
            or (entity.type == "text_mention" and entity.user and entity.user.id == bot.id)]


def _replies_to_bot(message: Message) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == message.get_bot().id)
