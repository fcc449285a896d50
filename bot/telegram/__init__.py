"""The Telegram front end: the same cited answers as ``citebot ask``, in a chat, within the Bot API's rules.

    TELEGRAM_BOT_TOKEN=123:abc citebot telegram            # long polling
    bot = TelegramBot(engine, token="123:abc", api_url="http://127.0.0.1:8081")
    await bot.serve(bot.application(), stop_event)        # until stop_event is set

The only package that imports ``telegram`` (python-telegram-bot v22), one unit a file: ``sizing.py`` (messages
within 4096 UTF-16 units), ``guide.py`` (/help and /sources), ``rate_limit.py`` (questions per user),
``retrying.py`` (flood control and retries of Bot API calls), ``redaction.py`` (the token out of logs),
``access.py`` (who may talk to the bot), ``updates.py`` (getUpdates read an update at a time), ``webhook.py``
(the webhook server, which reads an update at a time too), ``bot.py``
(``TelegramBot`` and its handlers) and ``command.py`` (``citebot telegram``: ``run``).
"""

from bot.telegram.access import parse_allowed
from bot.telegram.bot import ADDABLE, COMMANDS, MAX_CALLBACK_DATA, MORE, TelegramBot
from bot.telegram.command import run
from bot.telegram.guide import _NAME, Guide  # noqa: F401  _NAME: bench/hostile_text.py times it
from bot.telegram.rate_limit import RateLimit
from bot.telegram.redaction import hide_in_logs, redact
from bot.telegram.sizing import MAX_MESSAGE, answer_blocks, pack, split_html, utf16_len

__all__ = [
    "ADDABLE", "COMMANDS", "MAX_CALLBACK_DATA", "MAX_MESSAGE", "MORE", "Guide", "RateLimit", "TelegramBot",
    "answer_blocks", "hide_in_logs", "pack", "parse_allowed", "redact", "run", "split_html", "utf16_len",
]
