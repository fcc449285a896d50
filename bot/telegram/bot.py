"""The bot: its handlers, from an update to the cited reply, over a python-telegram-bot Application."""

from __future__ import annotations

import asyncio
import html
import logging
import re
import secrets
import threading
import time
from collections import Counter, OrderedDict
from contextlib import nullcontext
from itertools import islice
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import (
    Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes, Defaults,
    MessageHandler, TypeHandler, filters,
)
from telegram.request import HTTPXRequest

from bot.answer import Answer, AnswerEngine, Source
from bot.answering.question import readable
from bot.conversation import Conversation, is_follow_up, says_something
from bot.live import LiveEngine
from bot.memory import ChatMemory, More, more_json, more_of
from bot.language import CYRILLIC_LANGUAGES, DEFAULT, LANGUAGES, speaks
from bot.messages import articles, byte_count, explain, passages, say
from bot.render import one_line, source_html
from bot.telegram.access import (
    _LINK, _BringsTheBot, _FileReplaced, _ForwardedFromTheBot, _FromAdmin, _JustALink, _mentions, _NamesTheBot, _ToBot, asked_in_reply,
    command_addressee, link, with_hidden_links, without_addressees, without_lead_in, without_links, without_mentions,
)
from bot.telegram.comments import POSTS_PER_CHAT, Post, note_post, post_of, thread_of
from bot.telegram.guide import Guide
from bot.telegram.rate_limit import RateLimit
from bot.telegram.redaction import hide_in_logs, redact
from bot.telegram.retrying import _MAX_WAIT, _Retrying
from bot.telegram.sizing import answer_blocks, pack, split_lines
from bot.telegram.updates import TolerantBot
from bot.telegram.webhook import Webhook
from index.add import NOT_ADDABLE, AddError, not_added
from index.errors import CitebotError
from index.remove import RemoveError

log = logging.getLogger("citebot.telegram")

MAX_CALLBACK_DATA = 64  # bytes
MORE = "more:"
COMMANDS = ["ask", "help", "sources", "reset"]  # the menu; each one's description is bot.messages' "command_NAME"
# What the bot says in its own words is in bot.messages, in the user's language.
# Adding articles from the chat (admins only: CITEBOT_ADMINS); the replies are in bot.messages too.
ADDABLE = (".txt", ".md", ".html", ".htm", ".mhtml", ".mht", ".pdf", ".docx")
# the commands an edit of is not heard: /reset, /add or /remove done again, or /sources listed again, would surprise
_DONE_ONCE = frozenset({"sources", "reset", "new", "add", "remove"})
# what an edit can give a caption to, a question: the reply to one without is noted as its answer
_CAPTIONED = ("photo", "video", "animation", "audio", "voice", "document")
ALBUMS_HEARD = 1000  # the albums whose first photo is remembered (each a few more, sent with it)
# Questions one chat may have in hand (answered or waiting for its turn): each waits in one of the
# Application's 256 concurrent updates, so a group of hundreds under Telegram's flood control (about 20
# messages a minute to a group) held them all and no other chat was answered. 20 is a minute of replies.
QUEUE_PER_CHAT = 20
# Telegram takes 1-256 characters; a short secret is guessable, and redacting it from replies (it must never be
# echoed) would cut it out of cited text and markup: a secret "b" made "Stolten[hidden]erg" and broke <b>.
_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
_NO_TOPIC = object()  # a reply to none of the answers a chat's topics remember
# Telegram's 400s for a chat the bot is in but may not write in, as a 403 is for one it is out of: a group where only
# admins may write, the bot restricted, a forum topic an admin closed. An apology there is refused the same way.
_MAY_NOT_WRITE = re.compile(r"not enough rights to send|have no rights to send|CHAT_WRITE_FORBIDDEN|CHAT_RESTRICTED|"
                            r"TOPIC_CLOSED|need administrator rights", re.IGNORECASE)
# Telegram's 400 to a press answered past its 15 s
_TOO_OLD = re.compile(r"query is too old|query id is invalid", re.IGNORECASE)
TOPICS_PER_CHAT = 50  # answer messages whose topic a reply follows
# In a group, each person's follow-ups follow their own questions: the people whose topics a group keeps, those who
# asked last (a topic is up to 4096 characters: 80 KB a group at most).
PEOPLE_PER_CHAT = 20
# Chats held in memory; older ones are read back from the chats file when heard from again. A chat holds up to 50
# buttons' unshown passages (178 KB of them when full): 10,000 chats in memory could reach some 2 GB.
CHATS_IN_MEMORY = 1_000
REFUSED_TOKEN = "the Bot API refused TELEGRAM_BOT_TOKEN (unknown or revoked): check it with @BotFather"
# Telegram's 409 to a getUpdates that another one, with the same token, cut short: another process polls too
_RIVAL = "terminated by other getUpdates request"
# An admin's caption on a file asks about it when a sentence of it ends with a question mark, as all four languages
# write one ("what does this say about the summit?"); a "?" inside a link's address ends none.
_ASKS = re.compile(r"[?？](?=[\s\"'»”’)\].!…]|$)")


def _noted(notes: OrderedDict, key, value, most: int = TOPICS_PER_CHAT):
    """``value`` noted under ``key`` in ``notes``, which keeps its ``most`` latest notes: a long chat's stay bounded."""
    notes[key] = value
    while len(notes) > most:
        notes.popitem(last=False)
    return value


def _person(update: Update, chat: _Chat | None = None) -> int | str | None:
    """Whose conversation a message goes on: its sender's in a group (an anonymous admin's is the group's, a
    channel's the channel's), theirs in that topic in a forum ("THREAD:SENDER": a forum's topics are its separate
    discussions), and under that post in a channel's discussion group (a post's comments are its own discussion: a
    follow-up there was read with its writer's last question anywhere in the group), None in a private chat (the
    chat's own)."""
    message = update.effective_message
    if message is None or message.chat.type == "private":
        return None
    sender = (message.sender_chat or update.effective_user or message.chat).id
    thread = message.message_thread_id
    under_a_post = chat is not None and thread is not None and thread in chat.posts
    return f"{thread}:{sender}" if message.is_topic_message or under_a_post else sender


async def _answer_press(query, alert: str | None = None) -> None:
    """The press ``query`` answered, with ``alert`` shown when given. Answered once its passage is sent, it may have
    waited past the 15 s Telegram gives a press (behind a long question of the chat, or a flood wait): Telegram's "query
    is too old" is logged and passed over (it failed the update, and the passage sent was left out of its answer's
    thread: a reply to it was read with the chat's last question)."""
    try:
        await query.answer(alert, show_alert=alert is not None)
    except BadRequest as exc:
        if not _TOO_OLD.search(str(exc)):
            raise
        log.info("a press in chat %s was answered too late for Telegram (%s)", query.message.chat.id,
                 redact(str(exc)))


def _refuses(error: BaseException) -> bool:
    """Whether ``error`` is the chat refusing the bot: blocked, out of the group (403), or not let write in it (400)."""
    return isinstance(error, Forbidden) or isinstance(error, BadRequest) and bool(_MAY_NOT_WRITE.search(str(error)))


@dataclass
class _File:
    """A file sent in a chat, as its message holds it: which file, what the bot made of it and said of it."""

    unique_id: str
    done: asyncio.Event = field(default_factory=asyncio.Event)  # set once its add (or refusal) is over
    article: str | None = None  # the article its add stored, which another file put in its message's place takes out
    reply: int | None = None    # message id of the bot's reply to it, written over when the file is replaced


async def _delete_answer(question: Message, chat: "_Chat", message_ids: list[int]) -> None:
    """Deletes the bot's messages ``message_ids`` under ``question``, an answer that answers no more, and forgets their
    topics and citations; one deleted already, or too old (48 h) for a bot to delete, is logged and passed over."""
    for message_id in message_ids:
        try:
            await question.get_bot().delete_message(question.chat.id, message_id)
        except (BadRequest, ChatMigrated) as exc:
            if _refuses(exc):
                raise
            log.info("the answer %s in chat %s cannot be deleted (%s)", message_id, question.chat.id, redact(str(exc)))
        chat.topics.pop(message_id, None)
        chat.cited.pop(message_id, None)


@dataclass
class _Chat:
    conversation: Conversation                                  # a private chat's; a group's is each person's (people)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one question at a time per chat, in order
    saving: asyncio.Lock = field(default_factory=asyncio.Lock)  # its saves, one at a time, in order
    more: OrderedDict = field(default_factory=OrderedDict)    # button key -> More: sources not shown yet, language
    pressed: set = field(default_factory=set)                   # keys of the buttons whose passage is on its way
    language: str | None = None                                 # of the last question: the bot's words follow it
    cyrillic: str | None = None                                 # of the last Ukrainian or Russian one
    in_hand: int = 0                                            # its questions answered or waiting for the lock
    editing: Counter = field(default_factory=Counter)         # message id -> its edits answered or waiting for the lock
    replying: dict = field(default_factory=dict)                # message id -> Event set once its reply, sent
                                                                # without the lock, is noted (or failed)
    topics: OrderedDict = field(default_factory=OrderedDict)  # message id of an answer -> the topic it left
    people: OrderedDict = field(default_factory=OrderedDict)  # in a group: person -> Conversation, who asked last last
    answers: OrderedDict = field(default_factory=OrderedDict)  # message id of a question -> ids of its answer's messages
    cited: OrderedDict = field(default_factory=OrderedDict)   # message id of an answer -> id of the article it cites
    gave: OrderedDict = field(default_factory=OrderedDict)    # message id of a question -> the sentences it was answered
    read_in: OrderedDict = field(default_factory=OrderedDict)  # message id of a question -> the topic it was read with
    cited_before: OrderedDict = field(default_factory=OrderedDict)  # message id of a question -> what the answer
                                                                # before it cited, and whether it found nothing
    forwarded_back: datetime | None = None                      # date of the last forward of the bot's own hinted
    asked: OrderedDict = field(default_factory=OrderedDict)    # message id of a question -> whose conversation asked it
                                                                # (_person), in the order asked (small talk aside)
    files: OrderedDict = field(default_factory=OrderedDict)   # message id of a file -> _File
    # media group id of an album -> its first photo, asked for words, or None once a later photo's caption is answered
    album_requests: OrderedDict = field(default_factory=OrderedDict)
    # in a channel's discussion group: thread (the forwarded post's message id) -> the Post its comments are read with
    posts: OrderedDict = field(default_factory=OrderedDict)
    # its posts edited since the lock was last held: (thread, lead before, lead now), for _carry_over
    moved: list = field(default_factory=list)
    # threads whose post, as noted here, the shared row does not hold (its write failed: the database away): newer
    # than the row, which a comment then does not read over it (_post)
    unshared: set = field(default_factory=set)
    # "More sources" buttons whose press took the shared row and failed, their sources not put back (the database
    # away): this replica's own copy (in ``more``) answers the next press, which puts them back first
    more_unshared: set = field(default_factory=set)


def _not_added(name: str, lang: str) -> str:
    """Why a file called ``name``, of a kind not added, is not, in ``lang``: what to save it as, as citebot add says."""
    why = not_added(name) or AddError(name, NOT_ADDABLE, "not_addable")  # "report.txt." ends in no kind at all
    return explain(why, why.reason, lang)


def checked_settings(token: str, api_url: str | None = None, webhook_url: str | None = None,
                     listen: str = "127.0.0.1:8443", webhook_secret: str | None = None) -> dict | None:
    """Refuses a token, Bot API URL or webhook setting that cannot work; the webhook's settings, None for polling.

    >>> checked_settings("123:abc")  # long polling
    """
    if not token or not _TOKEN.fullmatch(token):
        raise CitebotError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, from @BotFather)")
    if api_url is not None and urlsplit(api_url).scheme not in ("http", "https"):
        raise CitebotError("--api-url must be an http:// or https:// URL")
    return _webhook(webhook_url, listen, webhook_secret) if webhook_url else None


def _webhook(url: str, listen: str, secret: str | None) -> dict:
    """The webhook's settings: an HTTPS URL, a secret Telegram sends back, a HOST:PORT to listen on."""
    parts = urlsplit(url)
    if parts.scheme != "https" and parts.hostname not in ("localhost", "127.0.0.1"):
        raise CitebotError("--webhook-url must be an https:// URL (Telegram posts only to HTTPS)")
    if not secret or not _SECRET.fullmatch(secret):
        raise CitebotError("webhook mode needs TELEGRAM_WEBHOOK_SECRET: 16-256 of A-Z a-z 0-9 _ - "
                           "(`openssl rand -hex 32` makes one)")
    host, _, port = listen.rpartition(":")
    if not host or not port.isdecimal() or not 0 < int(port) < 65536:  # "²" is a digit to isdigit, not to int()
        raise CitebotError(f"--listen must be HOST:PORT, not {listen!r}")
    return {"listen": host.strip("[]"), "port": int(port), "url_path": parts.path.lstrip("/"),
            "webhook_url": url, "secret_token": secret}


def _not_the_refused_token(record: logging.LogRecord) -> bool:
    """Leaves out the library's 30-line traceback for a token refused while polling: the bot stops with one line."""
    return "Invalid token. Aborting retry loop" not in record.getMessage()


def _poll_failed(exc: TelegramError) -> None:
    """Nothing: TelegramBot._polled says a failed getUpdates in a line; the library, which tries again within 30 s,
    logged each with a 30-line traceback at ERROR that said no more."""


class TelegramBot:
    """Answers chats over ``engine``; the token comes in here and goes nowhere but the Bot API URL.

    >>> bot = TelegramBot(engine, token=os.environ["TELEGRAM_BOT_TOKEN"])   # doctest: +SKIP
    >>> await bot.serve(bot.application(), stop)                             # doctest: +SKIP
    """

    typing_every = 4.5  # seconds: Telegram shows "typing…" for 5 s, or till the bot's next message

    def __init__(self, engine: AnswerEngine | LiveEngine, token: str, api_url: str | None = None, rate_limit: int = 20,
                 allowed_chats: frozenset[int] | None = None, webhook_url: str | None = None,
                 listen: str = "127.0.0.1:8443", webhook_secret: str | None = None, timeout: float = 10.0,
                 attempts: int = 4, poll_timeout: int = 10, clock=time.monotonic, max_chats: int = CHATS_IN_MEMORY,
                 admins: frozenset[int] | None = None, updater=None, memory: ChatMemory | None = None,
                 feeds_every: float | None = None, max_file_bytes: int = 5_000_000,
                 watch_every: float | None = None):
        """``engine``: a LiveEngine follows new builds; ``updater`` (index/update.py) adds articles for
        ``admins``; ``memory`` keeps conversations across restarts; ``feeds_every`` minutes polls the feeds;
        ``watch_every`` seconds looks at the corpus folder for files dropped in, edited or deleted by hand."""
        self.webhook = checked_settings(token, api_url, webhook_url, listen, webhook_secret)
        if timeout <= 0 or attempts < 1 or poll_timeout < 0:
            raise CitebotError("timeouts must be positive and at least one attempt made")
        if feeds_every is not None and (feeds_every <= 0 or updater is None):
            raise CitebotError("--feeds-every must be a positive number of minutes")
        if watch_every is not None and (watch_every <= 0 or updater is None):
            raise ValueError("watch_every must be a positive number of seconds, with an updater")
        self.live = engine if isinstance(engine, LiveEngine) else LiveEngine.fixed(engine)
        self.admins = admins or frozenset()
        self.updater = updater
        self.memory = memory
        self.feeds_every = feeds_every
        self.watch_every = watch_every
        self._watch_failed: str | None = None  # what the last look at the corpus folder failed with, said once
        self._stopping = threading.Event()  # set once the bot stops: a feed poll in hand leaves its other items
        self._polling = False  # a feed poll holds the adds (till its last item and its build)
        self.max_file_bytes = max_file_bytes
        self._adding = asyncio.Lock()
        self.token = token
        self.api_url = api_url.rstrip("/") if api_url else None
        self.limit = RateLimit(rate_limit, clock=clock)
        self.allowed = allowed_chats
        self.timeout = timeout
        self.attempts = attempts
        self.poll_timeout = poll_timeout
        self.max_chats = max_chats
        self.guide = Guide(self.live.engine)
        self.chats: OrderedDict[int, _Chat] = OrderedDict()
        self._reading: dict[int, asyncio.Future] = {}  # chat id -> its read from ``memory`` in hand
        # (chat id, media group id) -> the first message of the album heard (noted by the gate, in the updates' order,
        # before any wait): an album's photos come one an update, and it gets one reply
        self.albums: OrderedDict[tuple[int, str], int] = OrderedDict()
        # supergroup id -> the group it was (noted before any wait): Telegram tells a move in both chats
        self.moved: OrderedDict[int, int] = OrderedDict()
        self._has_polled = False  # a getUpdates has answered: another process polling now came after this one
        self._rival_said = False  # another process polling with the token was warned about since the last answer
        self._poll_failures = 0  # getUpdates failed in a row (the network away): the first to answer says so
        self._gave_up: CitebotError | None = None  # why polling stopped for good
        self._giving_up = asyncio.Event()

    @property
    def engine(self):
        """The engine of the newest build loaded so far."""
        return self.live.engine

    # ---- wiring ----------------------------------------------------------------------------
    def application(self) -> Application:
        """A python-telegram-bot Application with every handler, talking to ``api_url``."""
        hide_in_logs(self.token, self.webhook and self.webhook["secret_token"])
        for noisy in ("httpx", "httpcore"):  # httpx logs each request URL, and the URL holds the token
            logging.getLogger(noisy).setLevel(logging.WARNING)
        logging.getLogger("telegram.ext").addFilter(_not_the_refused_token)  # once: the same filter is not added twice
        timeouts = {"connect_timeout": self.timeout, "read_timeout": self.timeout, "write_timeout": self.timeout,
                    "pool_timeout": self.timeout}
        urls = {"base_url": f"{self.api_url}/bot", "base_file_url": f"{self.api_url}/file/bot"} if self.api_url else {}
        bot = TolerantBot(self.token, request=HTTPXRequest(connection_pool_size=64, **timeouts),
                          get_updates_request=HTTPXRequest(**timeouts), rate_limiter=_Retrying(self.attempts),
                          polled=self._polled,
                          defaults=Defaults(parse_mode=ParseMode.HTML, allow_sending_without_reply=True,
                                            link_preview_options=LinkPreviewOptions(is_disabled=True)), **urls)
        app = Application.builder().bot(bot).concurrent_updates(True).build()
        new = filters.UpdateType.MESSAGE
        # a question edited (a typo fixed) is asked again; not other edits: a live location is edited every few seconds
        asked = filters.UpdateType.MESSAGES
        private, to_bot = filters.ChatType.PRIVATE, _ToBot()
        words = filters.TEXT | filters.CAPTION  # a photo's caption is its sender's words: "Where is the summit?"
        app.add_handler(TypeHandler(Update, self.gate), group=-1)
        # a channel's post forwarded into its discussion group, or the channel's edit of it: what its comments are read
        # with (never a question: its mention of the bot is the channel's)
        app.add_handler(MessageHandler(asked & filters.IS_AUTOMATIC_FORWARD & ~private, self.on_post))
        # the bot's own answer forwarded back (users forward answers to share them): it was asked as a question, and
        # "Not found" found; a hint in a private chat, nothing in a group (where a forward is never to the bot)
        app.add_handler(MessageHandler(new & private & _ForwardedFromTheBot(), self.on_own_answer))
        app.add_handler(CommandHandler(["start", "help"], self.on_help, filters=asked))
        app.add_handler(CommandHandler("sources", self.on_sources, filters=new))
        app.add_handler(CommandHandler(["reset", "new"], self.on_reset, filters=new))  # /new: other chat bots' word; not in the menu
        app.add_handler(CommandHandler("ask", self.on_ask, filters=asked))
        app.add_handler(CommandHandler("add", self.on_add, filters=new))
        app.add_handler(CommandHandler("remove", self.on_remove, filters=new))
        # a file replaced in its message (Telegram lets its sender put another there): taken as a file sent anew, an
        # admin's replacing the article of the one it held
        app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.Document.ALL & (private | to_bot)
                                       & _FileReplaced(self._replaced), self.on_file_replaced))
        # an admin's file whose caption was edited: not a new question, nor a file to add again
        app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.Document.ALL & (private | to_bot)
                                       & _FromAdmin(self._admin), self.on_caption_edited))
        app.add_handler(MessageHandler(asked & words & ~filters.COMMAND & (private | to_bot) & _JustALink(),
                                       self.on_link))
        addable = filters.Document.FileExtension("txt")
        for extension in ADDABLE[1:]:
            addable = addable | filters.Document.FileExtension(extension.lstrip("."))
        app.add_handler(MessageHandler(new & addable & (private | to_bot), self.on_document))
        # an admin's file of another kind, where theirs to add are heard: not a question, though it has a caption
        app.add_handler(MessageHandler(new & filters.Document.ALL & (private | to_bot) & _FromAdmin(self._admin),
                                       self.on_other_file))
        app.add_handler(MessageHandler(asked & words & ~filters.COMMAND & (private | to_bot), self.on_question))
        app.add_handler(MessageHandler(asked & filters.COMMAND & (private | _NamesTheBot()), self.on_unknown_command))
        app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & ~words & ~filters.Document.ALL & private,
                                       self.on_words_gone))
        # in a group, a question edited to no longer speak to the bot ("@bot who …?" into "@anna who …?"): not asked of it;
        # so a file's caption ("@bot when …?" into a 👍, or taken out), its file kept, and a photo's taken out (in a
        # reply to the bot too: a photo alone under its answer is a colleague's reaction; so is a reader's file, which
        # no handler heard: an admin's is on_caption_edited's; and in a private chat, where its answer stood too, as
        # an admin's file's is taken back); a live location moving is none
        captioned = filters.PHOTO | filters.VIDEO | filters.ANIMATION | filters.AUDIO | filters.VOICE
        kept_file = filters.Document.ALL & ~_FileReplaced(self._replaced)
        app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & (~words & kept_file | ~private & (
            ~to_bot & (words & ~filters.Document.ALL | kept_file) | ~words & captioned)), self.on_no_longer_asked))
        # in a group, a sticker or photo under the bot's answer is a colleague's reaction, not a question to turn down
        app.add_handler(MessageHandler(new & ~words & ~filters.StatusUpdate.ALL & private, self.on_not_text))
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migrate))
        app.add_handler(MessageHandler(new & _BringsTheBot(), self.on_joined))
        app.add_handler(CallbackQueryHandler(self.on_more, pattern=f"^{MORE}"))
        app.add_handler(CallbackQueryHandler(self.on_other_button))
        app.add_error_handler(self.on_error)
        return app

    async def serve(self, app: Application, stop: asyncio.Event) -> None:
        """Run ``app`` (long polling, or the webhook) until ``stop`` is set, then finish what is in hand."""
        async with app:  # getMe: a bad token fails here
            for lang in LANGUAGES:  # the menu in each of our languages: Telegram shows the one of the user's app
                commands = [BotCommand(c, say(f"command_{c}", lang)) for c in COMMANDS]
                await app.bot.set_my_commands(commands, language_code=None if lang == DEFAULT else lang)
            await asyncio.to_thread(self.guide.examples)
            await app.start()
            if self.feeds_every:
                app.job_queue.run_repeating(self.on_feeds_job, interval=self.feeds_every * 60, first=1,
                                            name="feeds")
            if self.watch_every:
                app.job_queue.run_once(self.on_watch_job, self.watch_every, name="corpus folder")
            webhook = Webhook(app, **self.webhook) if self.webhook else None
            try:
                if webhook:
                    await webhook.start(allowed_updates=Update.ALL_TYPES)
                else:
                    await app.updater.start_polling(timeout=self.poll_timeout, bootstrap_retries=3,
                                                    allowed_updates=Update.ALL_TYPES, error_callback=_poll_failed)
                articles = await asyncio.to_thread(lambda: len(self.engine.store.articles))  # a query, in PostgreSQL
                log.info("answering as @%s over %d articles by %s", app.bot.username, articles,
                         "webhook" if self.webhook else "long polling")
                signalled, gave_up = asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._giving_up.wait())
                await asyncio.wait({signalled, gave_up}, return_when=asyncio.FIRST_COMPLETED)
                signalled.cancel(), gave_up.cancel()
                if self._gave_up is not None:
                    raise self._gave_up
                log.info("stopping: finishing the questions in hand")
            finally:
                self._stopping.set()
                if webhook:
                    await webhook.stop()
                try:
                    if app.updater.running:
                        await app.updater.stop()
                except InvalidToken:  # what ended the library's polling: _polled gave up on it
                    if self._gave_up is None:
                        raise
                finally:  # the updater's last getUpdates may fail (a network error): the application stops anyway
                    await app.stop()

    def _polled(self, error: TelegramError | None) -> None:
        """After each getUpdates: failures in a row are warned about, and their end said; a token refused (revoked
        while the bot ran) or another process that polled with it first stops the bot, which polled no more (the
        library gives up on a refused token) or fought the other for each update for ever, a line per poll."""
        if self._stopping.is_set() or self._gave_up is not None:
            return
        if error is None:
            if self._poll_failures:  # the warnings stop, but a warning's silence does not say it is over
                log.info("getUpdates answers again, after %d failed in a row", self._poll_failures)
            self._has_polled, self._rival_said, self._poll_failures = True, False, 0
        elif isinstance(error, InvalidToken):
            self._give_up(CitebotError(REFUSED_TOKEN))
        elif not isinstance(error, Conflict) or _RIVAL not in str(error):  # a 502, the network away, a timeout
            self._poll_failures += 1
            failures = self._poll_failures
            # the 1st, 2nd, 4th, 8th… in a row: an outage of hours is a few lines, and a timed-out poll (Telegram out of
            # reach, its packets dropped), which the library tries again at once and never logs, is one of them
            if failures & (failures - 1) == 0:
                log.warning("getUpdates failed (%s)%s; polling again", redact(str(error)),
                            f", {failures} times in a row" if failures > 1 else "")
        elif not self._has_polled:  # it was polling before this one started: this one is the mistake
            self._give_up(CitebotError("another process is already polling Telegram with this bot's token "
                                       f"(409 Conflict: {_RIVAL}): stop it first, or give this one another "
                                       "bot's token"))
        elif not self._rival_said:
            self._rival_said = True
            log.warning("another process is polling Telegram with this bot's token (409 Conflict: %s): each of "
                        "them gets only some of the messages until it stops", _RIVAL)

    def _give_up(self, why: CitebotError) -> None:
        self._gave_up = why
        self._giving_up.set()

    # ---- handlers ----------------------------------------------------------------------------
    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Outside the allow-list: say the bot is private (when spoken to) and stop there. Within it, a chat from
        before a restart is read back first, so that even a reply to a sticker speaks the chat's language."""
        if self.allowed is None or self._allowed(update):
            chat, message = update.effective_chat, update.effective_message
            if update.message and message.media_group_id and (chat.id, message.media_group_id) not in self.albums:
                _noted(self.albums, (chat.id, message.media_group_id), message.message_id, most=ALBUMS_HEARD)
            spoken_to = update.callback_query or (message is not None and self._spoken_to(message))
            if self.memory is not None and chat is not None and chat.id not in self.chats and spoken_to:
                await self._chat(chat.id)
            return
        if update.callback_query:
            await update.callback_query.answer(say("private", self._lang(update)))
        elif update.effective_message and self._spoken_to(update.effective_message):
            await self._notice(update.effective_message, say("private", self._lang(update, update.effective_message.text)))
        raise ApplicationHandlerStop

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._instead(update, await self._help(self._lang(update)))

    async def on_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        # "/sources 2", "/sources nato": the next page, the articles whose title has the word (bounded in listing)
        for text in split_lines(await self._sources(self._lang(update), " ".join(context.args or ()))):
            await update.effective_message.reply_text(text)

    async def on_reset(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = await self._chat(update.effective_chat.id)
        await self._post(chat, update.effective_message)
        person = _person(update, chat)
        conversation = self._conversation_of(update.effective_chat.id, chat, person)
        async with chat.lock:  # after the question in hand, which would set the topic again
            await self._carry_over(chat)
            await asyncio.to_thread(conversation.reset)  # a write, with a PostgreSQL store
            # its questions withdrawn after it give nothing back ("source?" named the answer before one, forgotten)
            for question in [q for q, whose in chat.asked.items() if whose == person]:
                del chat.asked[question]
        await self._remember(update.effective_chat.id, chat)
        await update.effective_message.reply_text(say("reset", self._lang(update)))

    # ---- adding articles (admins) --------------------------------------------------------------
    async def on_add(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/add URL``: fetch, store and index the article; the next question can be answered from it."""
        message = update.effective_message
        target = " ".join(context.args or []).strip()
        lang = self._lang(update, without_links(target))  # "/add посилання з новин" from an English app: Ukrainian
        if not self._admin(update):
            await message.reply_text(say("admins_only", lang))
        elif not re.fullmatch(r"https?://\S+", target):  # never a path on this machine
            await message.reply_text(html.escape(say("add_usage", lang)))
        else:
            await self._add(context, message, lambda: asyncio.to_thread(self.updater.add, target), lang)

    async def on_link(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A message that is just a link (hidden behind its text, or with a mention in a group): in reply to a
        colleague's question it asks that question, answered from the link's article when the corpus has it, as
        ``/ask https://…`` in reply does; else an admin adds it."""
        message = update.effective_message
        lang = self._lang(update)
        request = None
        if update.message and message.media_group_id:  # a link on an album's photo after its first: as a question there
            chat = await self._chat(message.chat.id)  # (the first photo's request for words stood above its reply)
            request = self._album_asked(chat, message)
        # in reply to a colleague's question, the link is where it came up, as with "/ask https://…": it is asked
        # (it was told "Adding articles is for the bot's admins.", and an admin's was added: the question left
        # unanswered either way), the link with it (bot.answering.engine reads a question's link)
        question = asked_in_reply(message)
        if question:
            await self._answer(update, context, f"{question} {link(message)}", request)
            return
        if request is not None:
            async with chat.lock:
                await self._take_back_request(chat, message, request)
        if not self._admin(update):
            # a question edited into a link: its answer is written over, as for one edited into a 👍 (it stood, the
            # refusal under it); a link fixed by an edit into a question has the refusal written over
            await self._instead(update, say("admins_only", lang))
            return
        url = link(message)
        await self._add(context, message, lambda: asyncio.to_thread(self.updater.add, url), lang)

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A .txt, .md, .html, .mhtml, .pdf or .docx file sent by an admin is added as an article, as `citebot add` adds
        it."""
        message = update.effective_message
        file = await self._heard(message)
        try:
            await self._take(update, context, file)
        finally:
            await self._settled(message, file)

    async def on_file_replaced(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A file its sender replaced in its message, taken as a file sent anew once the one before is done with: an
        admin's takes out the article of the one it replaced (as /remove does), and the bot's reply to the message is
        written over with what came of both. Before, the new file was never added and the old one answered from."""
        message = update.effective_message
        before = self.chats[message.chat.id].files[message.message_id]
        file = await self._heard(message)
        try:
            await before.done.wait()
            file.article, file.reply = before.article, before.reply  # till the new file is added
            if self._admin(update) or (message.document.file_name or "").lower().endswith(ADDABLE):
                await self._take(update, context, file, before.article)
            elif message.caption:  # another's file of a kind never added: its caption asked again, as today
                await self.on_question(update, context)
        finally:
            await self._settled(message, file)

    async def _take(self, update: Update, context: ContextTypes.DEFAULT_TYPE, file: _File,
                    replaced: str | None = None) -> None:
        """A file an admin sent (or put in place of one whose article was ``replaced``) added, its caption's question
        answered once it is; another's file is not read, and the question in its caption answered."""
        message = update.effective_message
        document = message.document
        # without the bot's mention (with it, "@bot звіт" was English) and the colleagues it names, as a message's
        # words are ("@anna where is the summit?" was asked with "@anna")
        question = without_addressees(without_mentions(message.caption or "", _mentions(message)), message)
        lang = self._lang(update, question)
        if not self._admin(update):
            # a caption with words is a question about the file, as a photo's is: asked of the articles there are
            if not readable(question).strip():
                await self._tell(message, say("admins_only", lang), file)
                return
            request = None  # an album's file after its first: the first's request for words taken back, as a photo's
            if update.message and message.media_group_id:  # caption does (it stood above the answer)
                request = self._album_asked(await self._chat(message.chat.id), message)
            await self._tell(message, say("admins_only_asked", lang), file)
            await self._answer(update, context, question, request)
            return
        name = document.file_name or ""
        refusal = None
        if not name.lower().endswith(ADDABLE):
            refusal = _not_added(name, lang)
        elif (document.file_size or 0) > self.max_file_bytes:
            refusal = say("file_too_big", lang, size=byte_count(self.max_file_bytes, lang))
        if refusal is not None and replaced is None:
            await self._tell(message, html.escape(say("cannot_add", lang, reason=refusal)), file)
            return

        async def job():
            data = None if refusal else bytes(await (await document.get_file()).download_as_bytearray())
            return await asyncio.to_thread(self._put, data, name, replaced)

        done = await self._change(context, message, job, lang, ("no_adding", "add_after_feeds", "cannot_add"), file)
        if done is None:
            return
        removed, added, failed = done
        said = []
        if removed is not None:
            said.append(say("file_replaced", lang, title=one_line(removed.title + (f", {removed.date}" if removed.date
                                                                                   else "")), id=one_line(removed.id)))
            log.info("%s", said[-1])
        file.article = added.rel if added is not None and (added.is_new or added.updated) else None
        if added is not None:
            said.append(self._said_added(added, lang))
        else:
            if failed is not None:
                log.warning("%s", redact(str(failed)))
                refusal = explain(failed, getattr(failed, "reason", str(failed)), lang)
            said.append(say("cannot_add", lang, reason=refusal))
        await self._tell(message, html.escape("\n\n".join(said)), file)
        if added is None and replaced is not None:
            await self._withdraw(message, replaced, lang)
        # a question in the caption is answered once the file is among the articles; a note ("from the ministry") is
        # the chat's, and a file not added is no source of an answer to "what does this say?"
        if added is not None and _ASKS.search(question) and says_something(question):
            await self._answer(update, context, question)

    async def _withdraw(self, message: Message, article: str, lang: str) -> None:
        """The answer to the caption of ``message``, a file replaced by one not added, written over in ``lang`` with
        "This article has since been removed from the sources." when it cites ``article``, the replaced file's, removed:
        it stood as if the articles still said it. An edit of the caption after is left alone, as a file not added's is."""
        chat = await self._chat(message.chat.id)
        async with chat.lock:  # after an answer in hand
            answered = chat.answers.get(message.message_id) or []
            if not answered or chat.cited.get(answered[0]) != article:  # none, or one from another article: it stands
                return
            del chat.answers[message.message_id]
        for message_id in answered:
            if chat.cited.get(message_id, article) != article:  # a passage "More sources" showed from another article
                continue
            chat.cited.pop(message_id, None)  # a /remove in reply to it has no article to take out
            if message_id in chat.topics:  # a reply to it is a fresh question, not one about the article removed
                chat.topics[message_id] = None
            try:
                await message.get_bot().edit_message_text(html.escape(say("source_removed", lang)), message.chat.id,
                                                          message_id)  # its "More sources" button goes with its text
            except BadRequest as exc:
                if _refuses(exc):
                    raise
                log.info("the answer to file %s in chat %s cannot be withdrawn (%s)", message.message_id,
                         message.chat.id, redact(str(exc)))
        await self._remember(message.chat.id, chat)

    def _put(self, data: bytes | None, name: str, replaced: str | None):
        """In a worker thread: the article ``replaced`` removed (unless gone already), then ``data`` added as the
        file ``name`` (None: not to be added); what was removed, what was added, and why it was not."""
        removed = None
        if replaced is not None:
            try:
                removed = self.updater.remove(replaced)
            except RemoveError as exc:
                if exc.key != "not_in_corpus":  # removed since (/remove): the new file is added all the same
                    raise
        if data is None:
            return removed, None, None
        try:
            return removed, self.updater.add_bytes(data, name), None
        except CitebotError as exc:  # not added; or added, but the index not updated (a full disk, the database away)
            return removed, None, exc

    async def _heard(self, message: Message) -> _File:
        """The file of ``message``, noted as the one it holds (for the chat's last ``TOPICS_PER_CHAT`` files)."""
        files = (await self._chat(message.chat.id)).files
        files.pop(message.message_id, None)  # noted anew: the latest
        return _noted(files, message.message_id, _File(message.document.file_unique_id))

    async def _settled(self, message: Message, file: _File) -> None:
        """``file``'s add (or refusal) over: what came of it saved, so that its file replaced after a restart takes
        out its article, and told to a replacement or caption edit waiting on it."""
        file.done.set()
        chat = self.chats.get(message.chat.id)
        if chat is not None and chat.files.get(message.message_id) is file:
            try:
                await self._remember(message.chat.id, chat)
            except CitebotError as exc:  # the database away (a shared topic is read from it): the reply is sent
                log.warning("cannot save what came of a file in chat %s: %s", message.chat.id, exc)

    def _replaced(self, message: Message) -> bool:
        """Whether ``message`` is a file put in place of another the bot took from it (an edit of its caption keeps
        its file)."""
        chat = self.chats.get(message.chat.id)
        file = chat.files.get(message.message_id) if chat is not None else None
        return file is not None and message.document is not None and file.unique_id != message.document.file_unique_id

    async def _tell(self, message: Message, text: str, file: _File | None = None) -> None:
        """``text`` in reply to ``message``; for a ``file``, written over the bot's reply to it before (its file
        replaced), and noted as its reply."""
        if file is not None and file.reply is not None:
            try:
                await message.get_bot().edit_message_text(text, message.chat.id, file.reply)
                return
            except BadRequest as exc:
                if "message is not modified" in str(exc).lower():  # it says so already
                    return
                if _refuses(exc):
                    raise
                log.info("the reply to file %s in chat %s cannot be edited (%s): replying anew", message.message_id,
                         message.chat.id, redact(str(exc)))
        sent = await message.reply_text(text)
        if file is not None:
            file.reply = sent.message_id

    async def on_caption_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An admin's file whose caption was edited: a question answered before is answered again, in its answer's
        place, as an edited question is; one edited into no question (a 👍, a note, no caption) has its answer deleted
        and taken back, as in a group one edited to no longer mention the bot (the file's own reply stays); a caption
        never answered (a note, its file not added) is left alone."""
        message = update.effective_message
        question = without_addressees(without_mentions(message.caption or "", _mentions(message)), message)
        chat = await self._chat(message.chat.id)
        file = chat.files.get(message.message_id)
        if file is not None:  # its add still running (a PDF read for a minute): the caption it was sent with is
            await file.done.wait()  # answered once it ends, then this one in its place, not left unanswered
        if not (_ASKS.search(question) and says_something(question)):  # a 👍, a note, no caption: asks no more
            # its answer stood, answering what was no longer asked; noted as answered by nothing now, the caption
            # edited back into a question is answered anew (taken for a note never answered, it was left unanswered)
            await self._take_back(update, chat, answerable=True)
            return
        async with chat.lock:  # after the answer in hand, which notes the message it answered once it is sent
            answered = message.message_id in chat.answers
        if answered:
            await self._answer(update, context, question)

    async def on_other_file(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An admin's file of a kind not added (report.odt, a photo sent as a file): told which kinds are."""
        message = update.effective_message
        # the caption's words without the mention (a short "@bot звіт" read as English)
        lang = self._lang(update, without_mentions(message.caption or "", _mentions(message)))
        reason = _not_added(message.document.file_name or "", lang)
        file = await self._heard(message)  # a file of another kind put in its place is added
        try:
            await self._tell(message, html.escape(say("cannot_add", lang, reason=reason)), file)
        finally:
            await self._settled(message, file)

    async def _add(self, context: ContextTypes.DEFAULT_TYPE, message: Message, job, lang: str):
        """Await ``job()`` (an add, then the index update, in a worker thread) and say what came of it in ``lang``;
        what was added, or None."""
        added = await self._change(context, message, job, lang, ("no_adding", "add_after_feeds", "cannot_add"))
        if added is None:
            return None
        await message.reply_text(html.escape(self._said_added(added, lang)))
        return added

    @staticmethod
    def _said_added(added, lang: str) -> str:
        """What came of an add, in ``lang`` (and in the log)."""
        # the title as the page gave it, on one line without its escapes and direction overrides (bot.render.one_line)
        if added.updated:  # a correction of an article stored before, written over it under its id
            text = say("updated", lang, title=one_line(added.title), id=one_line(added.rel))
            log.info("%s", text)
        elif added.is_new:
            text = say("added", lang, title=one_line(added.title), passages=passages(added.passages, lang))
            log.info("%s (%s)", text, one_line(added.rel))
        else:
            text = say("already_there", lang, title=one_line(added.title), id=one_line(added.duplicate_of))
            log.info("%s", text)  # it names the article already
        if added.read_as:  # a guess: a wrong one garbles the title just told, which the admin can see
            text += "\n\n" + say("read_as", lang, encoding=added.read_as)
        return text

    async def _change(self, context: ContextTypes.DEFAULT_TYPE, message: Message, job, lang: str, words: tuple,
                      file: _File | None = None):
        """``job()``'s result (an add or a removal, then the index update, in a worker thread), awaited in the adds' turn
        and the new build taken up; None once why not is said in ``lang`` (for a ``file``, as its reply). ``words``: the
        messages for no updater, for waiting on a feeds poll and for a failure ("no_adding", "add_after_feeds",
        "cannot_add", or the removal's)."""
        no_updater, after_feeds, cannot = words
        if self.updater is None:
            await self._tell(message, say(no_updater, lang), file)
            return None
        # shown till the change is done: sent once, it went after 5 s, and a page read for a minute (index/bounded.py)
        # looked like a bot that had died. Not while a feed poll holds it, which the admin is told of: "typing…" all
        # through the poll's minutes said the reply was coming
        finished, waits = asyncio.Event(), self._polling
        typing = None if waits else self._typing(context, message, until=finished)
        try:
            if waits:  # else the admin saw "typing…" for five seconds, then nothing for as long as the poll took
                await message.reply_text(html.escape(say(after_feeds, lang)))
            async with self._adding:  # one change of the corpus and its build at a time
                typing = typing or self._typing(context, message, until=finished)
                done = await job()
                await asyncio.to_thread(self.live.current)  # the next question is answered from the new build at once
        except CitebotError as exc:  # not added or not there; or done, but the index not updated (a full disk, the
            # database away); the operator hears of it too
            await self._typed(typing, finished)
            log.warning("%s", redact(str(exc)))
            reason = getattr(exc, "reason", str(exc))  # an add's reason, without "cannot add WHAT: "
            await self._tell(message, html.escape(say(cannot, lang, reason=explain(exc, reason, lang))), file)
            return None
        finally:
            await self._typed(typing, finished)
        return done

    async def on_remove(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/remove ID`` (or the link it was added from, or its file's name), or ``/remove`` in reply to one of the
        bot's answers (its cited article): the article deleted from the corpus folder and the index; the next question
        is not answered from it."""
        message = update.effective_message
        target = " ".join(context.args or []).strip()
        lang = self._lang(update, without_links(target))  # as /add's: an id or a link alone says nothing of it
        if not self._admin(update):
            await message.reply_text(say("remove_admins_only", lang))
            return
        if not target and message.reply_to_message is not None:
            chat = await self._chat(message.chat.id)
            target = chat.cited.get(message.reply_to_message.message_id)
            if target is None:  # another message, or an answer older than the chat's last ones
                await message.reply_text(html.escape(say("remove_not_an_answer", lang)))
                return
        if not target:
            await message.reply_text(html.escape(say("remove_usage", lang)))
            return
        removed = await self._change(context, message, lambda: asyncio.to_thread(self.updater.remove, target), lang,
                                     ("no_removing", "remove_after_feeds", "cannot_remove"))
        if removed is None:
            return
        title = one_line(removed.title + (f", {removed.date}" if removed.date else ""))
        text = (say("removed", lang, title=title, id=one_line(removed.id)) if removed.skipped is None else
                say("removed_skipped", lang, id=one_line(removed.id),
                    reason=one_line(explain(removed.skipped, removed.skipped.reason, lang))))
        log.info("%s", text)
        await message.reply_text(html.escape(text))

    async def on_feeds_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every ``feeds_every`` minutes: take the feeds' new items; questions go on meanwhile."""
        try:
            async with self._adding:
                self._polling = True
                try:
                    report = await asyncio.to_thread(self.updater.update_feeds, stop=self._stopping)
                finally:
                    self._polling = False
                if not self._stopping.is_set():
                    await asyncio.to_thread(self.live.current)
        except CitebotError as exc:
            log.warning("feeds: %s", exc)
            return
        log.info("feeds: %s", report.summary())

    async def on_watch_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``watch_every`` seconds after the last look ended: what changed in the corpus folder by hand (a file dropped
        in, edited or deleted) taken into the index, only it embedded; off the event loop, under the lock of the admins'
        adds and the feed polls (one in hand brings the index up to date itself), and never on a question's path (a
        look at 20,000 files takes some tenths of a second)."""
        report = None
        try:
            if not self._adding.locked():
                async with self._adding:
                    # stopping ends the build in hand: a SIGTERM waited for every passage of a large file dropped in
                    report = await asyncio.to_thread(self.updater.refresh, self._stopping)
                    if report is not None and not self._stopping.is_set():
                        await asyncio.to_thread(self.live.current)  # the next question is answered from it at once
            self._watch_failed = None
        except CitebotError as exc:  # the corpus folder away, the index not writable: said once, looked at again
            said = redact(str(exc))
            if said != self._watch_failed:
                log.warning("corpus folder: %s", said)
            self._watch_failed = said
        finally:
            if not self._stopping.is_set():
                context.job_queue.run_once(self.on_watch_job, self.watch_every, name="corpus folder")
        if report is not None:
            log.info("the corpus folder changed: indexed %s into %s in %.1f s (%s embedded)", articles(report.articles),
                     passages(report.passages), report.seconds, passages(report.embedded_passages))

    def _admin(self, update: Update) -> bool:
        """Whether the sender is in ``admins``: by user id, or an anonymous admin of a group listed there. Such a
        message comes from GroupAnonymousBot, the same user in every group, with the group itself as its sender_chat,
        which Telegram sets so for the group's admins only; a channel posting in the group has the channel there."""
        message = update.effective_message
        if message is not None and message.sender_chat is not None:
            return message.sender_chat.id == message.chat.id and message.chat.id in self.admins
        return update.effective_user is not None and update.effective_user.id in self.admins

    async def _help(self, lang: str) -> str:
        """/help's text in ``lang``, made off the event loop (the corpus's size and dates are queries in PostgreSQL)."""
        return await asyncio.to_thread((await self._guide()).help_html, lang)

    async def _sources(self, lang: str, ask: str = "") -> str:
        """/sources' list of articles in ``lang`` (``ask``: what followed the command), made off the event loop."""
        return await asyncio.to_thread((await self._guide()).sources_html, lang, ask)

    async def _guide(self) -> Guide:
        """The guide of the newest build (its example questions computed off the event loop). A PostgreSQL store moves to
        a new build under the same engine: /help offered the names of articles the new build no longer had."""
        engine = await asyncio.to_thread(self.live.current)
        if not self.guide.of(engine):
            guide = Guide(engine)
            await asyncio.to_thread(guide.examples)
            self.guide = guide
        return self.guide

    async def on_ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        # /ask alone in reply to a colleague's question asks it (it was told how to ask); so does /ask with a link alone
        # (where the question came up), which is no question of its own: asked with it, the link's article answers
        question = " ".join(context.args or [])
        if not question or _LINK.search(question) and not says_something(_LINK.sub(" ", question)):
            replied = asked_in_reply(update.effective_message)
            question = f"{replied} {question}".strip() if replied else question
        # a link alone is no question, as one replied to is not (it was asked: "Not found: nothing in the corpus answers
        # “https://…”"), nor is one with a "?" after it, or two links
        if not question or _LINK.search(question) and not says_something(_LINK.sub(" ", question)):
            lang = self._lang(update)
            examples = (await self._guide()).examples(lang=lang)
            usage = say("ask_usage", lang, example=examples[0]) if examples else say("ask_usage_plain", lang)
            await self._instead(update, html.escape(usage))
            return
        await self._answer(update, context, question)

    async def on_question(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        request = None
        if update.message and message.media_group_id:  # a caption on an album's photo after its first
            request = self._album_asked(await self._chat(message.chat.id), message)
        mentions = _mentions(message)
        question = without_mentions(without_lead_in(message.text or message.caption, mentions), mentions)
        question = without_addressees(question, message)
        if not readable(question).strip():  # a mention alone in reply to a colleague's question asks it
            question = asked_in_reply(message)
        if not readable(question).strip():  # a mention alone, or with a zero-width space
            await self._instead(update, await self._help(self._lang(update)))
            return
        # a word hyperlinked ("What does this story say…", Telegram's text_link) names the article as a link typed out
        # does (bot.answering.engine reads a question's link); it was not read, the whole corpus answering
        await self._answer(update, context, with_hidden_links(question, message), request)

    @staticmethod
    def _album_asked(chat: _Chat, message: Message) -> int | None:
        """An album's photo whose caption asks: none is asked for words after it, and the first photo, without a
        caption, asked for words before it is returned: its request is taken back when the caption is answered (it
        stood above the answer, telling the reader to type what they had)."""
        first = chat.album_requests.get(message.media_group_id)
        _noted(chat.album_requests, message.media_group_id, None)
        return first

    @staticmethod
    async def _take_back_request(chat: _Chat, message: Message, first: int) -> None:
        """The request for words sent to the album's ``first`` photo deleted, once sent; under the chat's lock, in the
        turn of the caption of ``message`` (taken outside it, the album's next caption was answered first)."""
        replying = chat.replying.get(first)
        if replying is not None:  # the request, sent without the lock, is on its way
            await replying.wait()
        asked = chat.answers.pop(first, None)
        if asked:
            await _delete_answer(message, chat, asked)

    async def on_own_answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One of the bot's own messages forwarded back to it in a private chat: asked, it got its own sentence again
        or "Not found"; told to ask in the user's own words, in their language: the chat's, else their app's (the text
        forwarded is the bot's, citing an article: "That is my own answer" came in the article's English). Once for the
        messages forwarded together (a stretch of the chat, an answer and its "More sources" passages: each got it),
        which Telegram dates alike; in order with the questions around them."""
        message = update.effective_message
        chat = await self._chat(message.chat.id)
        async with chat.lock:  # after the answer in hand: under it, not before it
            if chat.forwarded_back == message.date:  # forwarded with one told already
                return
            chat.forwarded_back = message.date
            await message.reply_text(say("own_answer_forwarded", self._lang(update)))

    async def on_not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A sticker, a voice message, a photo without a caption: asked for words. The reply to one that an edit can
        give a caption (a photo, a video, a file, a voice message) is noted as its answer, which the question the edit
        adds is answered in place of (it came under it, the request for words left above the answer); a sticker or a
        location, whose edits (a live location moving) never ask, is not."""
        message = update.effective_message
        album = message.media_group_id
        if album and self.albums.get((message.chat.id, album)) != message.message_id:
            return  # an album's photo after its first, which has the caption (asked) or was asked for words
        if album:  # a later photo's caption, answered, takes this request back (both stood)
            chat = await self._chat(message.chat.id)
            if album in chat.album_requests:  # answered already
                return
            _noted(chat.album_requests, album, message.message_id)
        if any(getattr(message, kind) for kind in _CAPTIONED):
            await self._instead(update, say("not_text", self._lang(update)))
        else:
            await message.reply_text(say("not_text", self._lang(update)))

    async def on_words_gone(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A photo whose question was edited out of its caption: its answer edited into what a photo without one gets;
        other edits with no words (a live location moving, every few seconds) are left alone."""
        message = update.effective_message
        chat = await self._chat(message.chat.id)
        async with chat.lock:  # after the answer in hand, which notes the message it answered once it is sent
            answered = message.message_id in chat.answers
        if answered:
            await self._instead(update, say("not_text", self._lang(update)))

    async def on_no_longer_asked(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In a group, a question its sender edited so that it no longer speaks to the bot (the mention taken out: a
        colleague asked instead): its answer stood, answering what was no longer asked of the bot, and stayed the
        topic. It is deleted, as what the message gets sent anew (nothing) would have it, and it is taken back as a
        question edited into a 👍 is: what it gave, and the topic, where nothing was asked since. One too old for a bot
        to delete (48 h) stays; chatter edited, never answered, is left alone. A file's caption that asked is taken
        back too (its answer stood): once the file's add ends, which answers the caption it was sent with, and noted
        as answered by nothing, so that edited back to ask the bot it is answered anew, as an admin's caption edited
        into a 👍 is; so is a reader's file's caption taken out in a private chat."""
        message = update.effective_message
        chat = await self._chat(message.chat.id)
        file = chat.files.get(message.message_id) if message.document else None
        if file is not None:
            await file.done.wait()
        # in a private chat a file without a caption was asked for words (an .odt): that request stays, its file replaced
        await self._take_back(update, chat, answerable=file is not None, asked=message.chat.type == "private")

    async def _take_back(self, update: Update, chat: _Chat, answerable: bool = False, asked: bool = False) -> None:
        """The answer to the update's message, which asks the bot no more, deleted and taken back: what it gave, and
        the topic and "source?" where nothing was asked since; a message never answered is left alone. ``answerable``:
        the message stays noted as one answered, by no messages now (a file's caption, which an edit asks again only
        where it was answered). ``asked``: only where it was answered as a question, not told to type one."""
        message = update.effective_message
        async with chat.lock:  # after the answer in hand, which notes the message it answered once it is sent
            replying = chat.replying.get(message.message_id)
            if replying is not None:  # its first version's reply, sent without the lock, is on its way
                await replying.wait()
            answered = chat.answers.get(message.message_id)
            if not answered or asked and message.message_id not in chat.read_in:
                return
            person = _person(update, chat)
            conversation = chat.conversation if person is None else chat.people.get(person)
            if conversation is not None:
                conversation.take_back(chat.gave.pop(message.message_id, []))
                await self._give_back_topic(chat, conversation, message.message_id, person)
            del chat.answers[message.message_id]  # edited back to speak to the bot, it is answered anew
            if answerable:
                chat.answers[message.message_id] = []
            chat.asked.pop(message.message_id, None)  # no longer asked: one before it may give its topic back
            chat.read_in.pop(message.message_id, None)
            chat.cited_before.pop(message.message_id, None)
            await _delete_answer(message, chat, answered)
            await self._remember(message.chat.id, chat)

    async def on_post(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A channel's post forwarded into its discussion group (the bot hears it with group privacy off, or as an
        admin), or the channel's edit of it: noted, so that its comments are read with it as it reads now."""
        message = update.effective_message
        post = post_of(message)
        if post is None:
            return
        chat = await self._chat(message.chat.id)
        # shared first: a comment here meanwhile, which reads the shared post (_post), finds it as edited, not the post
        # as it was over the edit noted here
        shared = await self._share_post(message.chat.id, message.message_id, post)
        async with chat.lock:  # after the comment in hand, read with the post as it was
            self._note_post(chat, message.message_id, post, shared)
            await self._carry_over(chat)
        await self._remember(message.chat.id, chat)

    async def _post(self, chat: _Chat, message: Message) -> Post | None:
        """The channel's post ``message`` comments on (a reply to it, or to another comment in its thread), noted as
        the post reads now; None for a message under none. With a PostgreSQL store the posts are shared: a comment to
        a comment, routed to a replica that heard neither the post nor a reply to it, was read without the post."""
        thread = thread_of(message)
        if thread is not None:
            post = post_of(message.reply_to_message)
            if post is not None:
                shared = await self._share_post(message.chat.id, thread, post)  # shared first, as on_post does
                self._note_post(chat, thread, post, shared)
                return post
        thread = message.message_thread_id
        shared = self._shared_chats()
        if thread is not None and thread in chat.unshared and thread in chat.posts:  # the row holds it as before
            # (an edit heard here while the database was away): shared now, not read over
            if await self._share_post(message.chat.id, thread, chat.posts[thread]):
                chat.unshared.discard(thread)
        elif thread is not None and shared is not None:  # heard by another replica only, or edited since as heard there
            known = chat.posts.get(thread)
            told = await asyncio.to_thread(shared.post, self._chat_key(message.chat.id), thread)
            # not over one noted here meanwhile (its edit heard here, shared before it is noted): that one is newer
            if told is not None and Post(*told) != known and chat.posts.get(thread) is known:
                self._note_post(chat, thread, Post(*told))
        if thread is None or thread not in chat.posts:
            return None
        chat.posts.move_to_end(thread)
        return chat.posts[thread]

    @staticmethod
    def _note_post(chat: _Chat, thread: int, post: Post, shared: bool = True) -> None:
        """``post`` noted as ``thread``'s; edited by its channel, the conversations under it that were still on the
        post as it read (only follow-ups asked since), and its answers' topics, go on with it as it reads now.
        ``shared`` False: the shared row could not be written, and holds an older post (or none)."""
        before = note_post(chat.posts, thread, post)
        if shared:
            chat.unshared.discard(thread)
        else:
            chat.unshared = {t for t in chat.unshared if t in chat.posts} | {thread}
        if before is None or not before.lead or before.lead == post.lead:
            return
        chat.moved = chat.moved[-(POSTS_PER_CHAT - 1):] + [(thread, before.lead, post.lead)]  # see _carry_over
        for answer, topic in chat.topics.items():
            if topic == before.lead:
                chat.topics[answer] = post.lead or None

    @staticmethod
    async def _carry_over(chat: _Chat) -> None:
        """The conversations under the posts edited since (``chat.moved``), and the answers' topics, go on with them as
        they read now; called under the chat's lock, after the comments in hand, read with the post as it was (carried
        over as an edit was heard, a comment waiting its turn set the old post as its reader's topic after it, and the
        answer in hand noted it as its own), and off the event loop: with a PostgreSQL store each topic is a query (the
        loop, every chat, waited on one for each reader)."""
        moved, chat.moved = chat.moved, []
        if not moved:
            return
        for _, before, now in moved:  # the answers in hand, sent after the edit was noted, noted the post as it was
            for answer, topic in chat.topics.items():  # (a reply to one was read with it)
                if topic == before:
                    chat.topics[answer] = now or None
        people = [(person, conversation) for person, conversation in chat.people.items()]

        def carry_over() -> None:
            for thread, before, now in moved:
                for person, conversation in people:
                    if str(person).startswith(f"{thread}:") and conversation.topic == before:
                        conversation.topic = now or None

        try:
            await asyncio.to_thread(carry_over)
        except CitebotError as exc:
            # the database away (each reader's topic is a query): carried over by the next to hold the lock, a reader
            # carried over already reading as the post now. An edit heard meanwhile got "Sorry, something went wrong"
            # under the post in the group, where no one had asked anything.
            chat.moved = moved + chat.moved
            log.warning("the readers under an edited post go on with it once the database answers: %s", exc)

    async def on_joined(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Brought into a group: its /help, in the language of whoever brought it. With group privacy on the bot hears
        only /ask and replies to it; a group that added it and heard nothing did not know to use them."""
        await update.effective_message.reply_text(await self._help(self._lang(update)), do_quote=False)

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        command = message.text.split(maxsplit=1)[0][1:].partition("@")[0].lower()
        if update.edited_message and command in _DONE_ONCE:  # an edited /reset or /add: not done again, nor unknown
            return
        await self._instead(update, say("unknown_command", self._lang(update)))

    async def on_more(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """"More sources": the next passage under the answer; the button moves down to it."""
        query = update.callback_query
        if query.message is None:  # under a message sent in inline mode, which the bot never sends: no chat to answer in
            await query.answer()
            return
        chat = await self._chat(query.message.chat.id)
        key = query.data.removeprefix(MORE)
        more = chat.more.pop(key, None)
        shared = self._shared_chats()
        if shared is not None and key not in chat.pressed:  # the replicas' copy, taken: no tap on any shows it twice
            chat.pressed.add(key)  # a second tap meanwhile is not said to have expired
            try:
                if more is not None and key in chat.more_unshared and \
                        await self._share_more(query.message.chat.id, key, more):  # put back, then taken as any
                    chat.more_unshared.discard(key)
                held = await asyncio.to_thread(shared.take_more, self._chat_key(query.message.chat.id), key)
            finally:
                chat.pressed.discard(key)
            # taken by a press before (another replica's, a double tap): this replica's own copy is not shown again,
            # unless this replica's press took it and could not put it back
            more = (more if key in chat.more_unshared else None) if held is False else more or more_of(held)
        if not more:  # a second tap while its passage is on its way: not expired (it said so, and the passage came)
            await query.answer(None if key in chat.pressed else say("expired", self._lang(update)))
            return
        chat.pressed.add(key)
        try:
            await self._more(update, query, chat, key, more)
        except CitebotError:  # the database away while the passage was read again: the button stays for a press once
            _noted(chat.more, key, more, 50)  # it is back (the press is told of the failure: error), on any replica
            await self._kept_back(chat, query.message.chat.id, key, more)
            await self._remember(query.message.chat.id, chat)
            raise
        finally:
            chat.pressed.discard(key)

    async def _more(self, update: Update, query, chat: _Chat, key: str, more: More) -> None:
        """The passage of the button ``key`` pressed (``query``), which held ``more``."""
        sources = more.sources
        lang = more.language or self._lang(update)  # the question's, which the button's label is in
        await self._remember(query.message.chat.id, chat)
        # Under the chat's lock: an edit withdrawing the answer, handled while the passage was on its way, found it
        # not yet noted with the answer and deleted the answer alone, the passage left standing (a busy machine's race)
        async with chat.lock:
            # read again before the button is taken off: a database away failed it, and left no button to press again
            shown = await asyncio.to_thread(self._as_it_reads_now, sources[0])
            try:
                await query.edit_message_reply_markup(None)
            except (BadRequest, ChatMigrated):  # the message is too old to edit, or its group moved: the button stays
                pass
            try:
                sent = await self._send(query.message, False, chat, pack([source_html(shown, lang)]), sources[1:],
                                        lang)
            except (BadRequest, Forbidden) as exc:
                if not _refuses(exc):
                    raise
                # a forum topic closed since, a group where only admins may write now: the member who pressed is told
                # why, and the button stays for when it opens again (it vanished, nothing came, its passages lost)
                _noted(chat.more, key, more, 50)
                await self._kept_back(chat, query.message.chat.id, key, more)
                button = InlineKeyboardButton(say("more_sources", lang, n=len(sources)), callback_data=query.data)
                try:
                    await query.edit_message_reply_markup(InlineKeyboardMarkup([[button]]))
                except (BadRequest, ChatMigrated):
                    pass
                log.info("update %s left unanswered: chat %s refuses the bot (%s)", update.update_id,
                         query.message.chat.id, redact(str(exc)))
                await self._remember(query.message.chat.id, chat)  # the button put back (after a restart: "expired")
                chat.pressed.discard(key)  # a tap after the answer: the button is back
                await _answer_press(query, say("may_not_post", self._lang(update)))
                return
            chat.pressed.discard(key)  # a tap after the answer (a client not yet showing the button gone): expired
            chat.more_unshared.discard(key)  # shown: a press on it again is told so
            await _answer_press(query)  # once the passage is sent: had it been refused, the member would be told why
            for answered in chat.answers.values():  # noted with its answer: taken away with it when the question is
                if query.message.message_id in answered:  # (it stood alone, its answer deleted, its button still there)
                    answered += [m.message_id for m in sent if m.chat.id == query.message.chat.id]
                    break
            topic = chat.topics.get(query.message.message_id, _NO_TOPIC)
            if topic is not _NO_TOPIC:  # the answer's passages: a reply to one follows the answer's topic too
                self._note_topic(sent, topic, shown.doc)
        await self._remember(query.message.chat.id, chat)

    def _as_it_reads_now(self, source: Source) -> Source:
        """A source saved with an earlier answer, read again in the newest build: the articles may have been removed,
        corrected or moved since (a retracted story's words are not shown as a current source)."""
        with self.live.using() as engine:
            return engine.recheck(source)

    async def on_other_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button the bot never made (another bot's on the same token): answered, or the client spins for a while."""
        await update.callback_query.answer()

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup, which has another id: its conversation (the topic, the sentences given, the
        article the last answer cited), language and access go on there."""
        message = update.effective_message
        old, new = ((message.chat.id, message.migrate_to_chat_id) if message.migrate_to_chat_id
                    else (message.migrate_from_chat_id, message.chat.id))
        if self.allowed is not None and old in self.allowed and new not in self.allowed:
            self.allowed = self.allowed | {new}
            log.warning("group %s is now supergroup %s: add %s to CITEBOT_ALLOWED_CHATS", old, new, new)
        if new in self.chats or new in self.moved:  # Telegram tells both chats: moved already (or asked there first)
            return
        _noted(self.moved, new, old, most=ALBUMS_HEARD)  # before any wait: the other chat's telling, meanwhile, returns
        # Told again after a restart (an update handled but not confirmed when the bot stopped; a webhook's delivery
        # retried), the supergroup is not in memory: its saved conversation goes on, not written over by the group's
        if self.memory is not None and await asyncio.to_thread(self.memory.load, new) is not None:
            return
        before, after = await self._chat(old), await self._chat(new)

        def carry_over(pairs) -> None:  # queries, with a PostgreSQL store
            for was, now in pairs:
                now.topic = was.topic
                now.given = was.given  # what "who else?" leaves out there
                # what "source?" names there (it said there was no answer yet)
                now.cited, now.cited_earlier = was.cited, was.cited_earlier

        async with after.lock:  # before a question asked there meanwhile
            if after.answers:  # answered there while the chats were read back: its own conversation goes on
                return
            pairs = [(before.conversation, after.conversation)] + [
                (conversation, self._conversation_of(new, after, person))
                for person, conversation in before.people.items()]
            await asyncio.to_thread(carry_over, pairs)
            after.language, after.cyrillic = before.language, before.cyrillic
        await self._remember(new, after)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The one place failures go: the traceback to the log, a short apology to the user."""
        if not isinstance(update, Update):
            job, error = getattr(context, "job", None), context.error
            if job is not None:  # a job's failure that no error of ours explains (those it logs itself): a bug to fix
                log.error("the %s job failed: %s", job.name, redact(f"{type(error).__name__}: {error}"), exc_info=error)
                return
            log.warning("Telegram: %s", redact(str(error)))
            return
        if _refuses(context.error):  # nothing to fix, no one to tell
            chat = update.effective_chat.id if update.effective_chat else None
            log.info("update %s left unanswered: chat %s refuses the bot (%s)", update.update_id, chat,
                     redact(str(context.error)))
            return
        if isinstance(context.error, CitebotError):  # says what went wrong in one line (a database away): no traceback
            log.error("update %s failed: %s", update.update_id, redact(str(context.error)))
        else:
            log.error("update %s failed", update.update_id, exc_info=context.error)
        try:
            if update.callback_query:
                await update.callback_query.answer(say("apology", self._lang(update)))
            elif update.effective_message:
                await self._notice(update.effective_message, say("apology", self._lang(update, update.effective_message.text)))
        except TelegramError as exc:
            log.warning("could not apologise for update %s: %s", update.update_id, redact(str(exc)))

    # ---- answering ---------------------------------------------------------------------------
    async def _answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: str,
                      request: int | None = None) -> None:
        """Rate limit, then retrieval off the event loop, then the reply; one question at a time per chat. ``request``:
        an album's first photo, whose request for words this answer takes the place of (a caption on a later photo)."""
        message = update.effective_message
        lang = self._lang(update, question)
        # an anonymous admin is GroupAnonymousBot, someone posting as a channel Channel_Bot: each in every group
        user = (message.sender_chat or update.effective_user or message.chat).id
        wait = self.limit.wait(user)
        if wait:  # told once; a flood of messages after it is ignored, so it holds nothing up
            if request is not None:  # an album's caption: its first photo's request for words, which it had, taken back
                chat = await self._chat(message.chat.id)
                async with chat.lock:
                    await self._take_back_request(chat, message, request)
            if self.limit.tell(user, wait):
                await self._notice(message, say("rate_limited", lang, limit=self.limit.per_minute, wait=wait))
            return
        if not says_something(question):  # "👍", "??" typed as text: asked, it was "Not found: … “👍”"
            if request is None:  # (an album's first photo got it: one is enough)
                await self._instead(update, say("not_text", lang))  # what the same 👍 as a sticker gets
            return
        chat = await self._chat(message.chat.id)
        if chat.in_hand >= QUEUE_PER_CHAT:  # replying would only join the queue Telegram is holding back
            log.warning("chat %s has %d questions in hand: update %s left unanswered", message.chat.id,
                        chat.in_hand, update.update_id)
            return
        chat.language = answer_language = lang
        if lang in CYRILLIC_LANGUAGES:
            chat.cyrillic = lang
        post = await self._post(chat, message)  # a comment under a channel's post: read with the post
        person = _person(update, chat)
        conversation = self._conversation_of(message.chat.id, chat, person)
        if post is not None and post.link and is_follow_up(question):  # a post that is a link alone: its article
            question = f"{question} {post.link}"  # answers, as a question with a link is answered

        def ask(replied, cited: str | None) -> tuple[list[Answer] | None, str | None]:
            with self.live.using() as engine:  # the newest build; it stays on disk until this question ends
                conversation.engine = engine
                try:
                    last = conversation.cited
                    if message.message_id not in chat.cited_before:  # (an edit: what came before its first version)
                        _noted(chat.cited_before, message.message_id, (last, conversation.cited_earlier))
                    if replied is not _NO_TOPIC:
                        conversation.topic = replied
                        if cited is not None:  # a reply to small talk ("You're welcome."): the chat's last answer's
                            conversation.cited = cited  # "source?" in reply to it: its article, not the latest answer's
                    elif post is not None and post.lead and conversation.topic is None:  # a first comment under it
                        conversation.topic = post.lead  # (after /reset too: the thread is still about the post)
                    if edit is not None:  # its answer, written over, was not given: "who else?" may give it again
                        conversation.take_back(chat.gave.pop(edit, []))
                    _noted(chat.read_in, message.message_id,
                           replied if replied is not _NO_TOPIC else conversation.topic)
                    answers = conversation.ask_each(question)  # two where it asks two questions
                    if any(answer.small_talk is None for answer in answers):  # asked, not a "Thanks!": a question
                        chat.asked.pop(message.message_id, None)  # withdrawn before it gives no topic back past it
                        _noted(chat.asked, message.message_id, person)
                    _noted(chat.gave, message.message_id, [a.answer for a in answers if a.found and a.answer])
                    if cited is not None and conversation.cited is cited:  # nothing asked: the last answer is as it was
                        conversation.cited = last  # (the next "source?" named the replied one as "The last answer")
                    if answers[-1].small_talk is None and not len(engine.store.articles):  # the last one removed
                        return None, None
                    return answers, conversation.topic  # the topic: a query, in PostgreSQL
                finally:
                    conversation.engine = None  # see _conversation

        chat.in_hand += 1
        edit = message.message_id if update.edited_message else None  # its first version's reply waits for it
        if edit is not None:
            chat.editing[edit] += 1
        try:
            async with chat.lock:
                await self._carry_over(chat)
                if post is not None:  # as it reads now: the channel may have edited it while the comment waited
                    post = chat.posts.get(thread_of(message) or message.message_thread_id, post)
                if request is not None:
                    await self._take_back_request(chat, message, request)
                # a reply to an earlier answer follows that answer's topic: in a group, others' questions came in
                # between (looked up here, after the answer before has noted its topic: a quick reply to it is read so)
                to = getattr(message.reply_to_message, "message_id", None)
                replied = chat.topics.get(to, _NO_TOPIC)
                if replied is _NO_TOPIC and edit is not None:  # read as its first version was, not with that as its topic
                    replied = chat.read_in.get(edit, _NO_TOPIC)
                self._typing(context, message)
                cited = chat.cited.get(to)  # a reply to an answer: "source?" names that answer's, not the last one's
                answers, topic = await asyncio.to_thread(ask, replied, cited)
                if answers is None:  # "Not found" would read as a question nothing answers, not as an empty corpus
                    await message.reply_text(html.escape(say("no_articles", lang)))
                    return
                # two questions in one message: each answer in messages of its own, one reply to it (an edit of the
                # question writes over both), its "More sources" under the last holding both answers' other sources
                texts, rest, cites = [], [], []
                for answer in answers:
                    talk = answer.small_talk  # "Thanks!", "hi": the bot's own words, in the language they were said in
                    answer.language = talk and talk.language or answer_language  # else the question's, or the app's
                    if talk and talk.language in LANGUAGES:  # "Привет", "Salut" said so: /start and a sticker next too
                        chat.language = talk.language  # (their letters alone told Ukrainian, English)
                        if talk.language in CYRILLIC_LANGUAGES:
                            chat.cyrillic = talk.language
                    own = [await self._help(answer.language)] if talk and talk.kind == "help" else \
                        split_lines(await self._sources(answer.language)) if talk and talk.kind == "sources" else \
                        pack(answer_blocks(answer, replied=replied is not _NO_TOPIC and cited is not None))
                    texts += own
                    rest += answer.sources[1:]
                    cites += [answer.sources[0].doc if answer.found and answer.sources else None] * len(own)
                sent = await self._in_place(update, chat, texts, rest, lang)
                if len(sent) != len(cites):  # an edit left a message that read so already: which is which is unknown
                    cites = [cites[-1]] * len(sent)
                for message_sent, article in zip(sent, cites):  # "source?" in reply to one names its answer's article
                    self._note_topic([message_sent], topic, article)
                await self._remember(message.chat.id, chat)
        finally:
            chat.in_hand -= 1
            if edit is not None:
                chat.editing[edit] -= 1
                if not chat.editing[edit]:
                    del chat.editing[edit]

    async def _in_place(self, update: Update, chat: _Chat, texts: list[str], rest: list[Source],
                        lang: str) -> list[Message]:
        """``texts`` in reply to the update's message, over its earlier answer's messages when it is an edit of a
        question answered before, noted as its answer; under the chat's lock. Returns the messages sent or edited."""
        message = update.effective_message
        replying = chat.replying.get(message.message_id) if update.edited_message else None
        if replying is not None:  # its first version's reply, sent without the lock, is on its way: it is written over
            await replying.wait()
        answered = chat.answers.get(message.message_id) if update.edited_message else None
        # none ([]): its answer taken back (a file's caption edited into a 👍), sent anew
        sent = await self._replace(message, answered, chat, texts, rest, lang) if answered else None
        if sent is None:
            sent = await self._send(message, True, chat, texts, rest, lang)
            self._note_answer(chat, message, sent)
        return sent

    @staticmethod
    def _note_answer(chat: _Chat, question: Message, sent: list[Message]) -> None:
        """``sent`` noted as the answer to ``question``, which an edit of it writes over (for the chat's last
        ``TOPICS_PER_CHAT`` questions)."""
        _noted(chat.answers, question.message_id, [m.message_id for m in sent])

    async def _instead(self, update: Update, text: str) -> None:
        """``text`` (help, or a request for words) in reply to the update's message; to an edited one, in its answer's
        place: a question edited into "👍" or /help left its answer there, answering what was no longer asked."""
        message = update.effective_message
        chat = await self._chat(message.chat.id)
        if not update.edited_message:  # noted as its answer, which an edit ("/hlep" into "/help") writes over
            # After an edit of it in hand alone: under the chat's lock, /help or a 👍 waited for any question in hand
            async with chat.lock if message.message_id in chat.editing else nullcontext():
                if message.message_id in chat.answers:  # its edit into a question was answered first: this reply,
                    return  # to what it no longer says, would stand under the answer and be noted as it
                # an edit arriving while this is on its way ("/hlep" fixed at once) waits to write over it
                chat.replying[message.message_id] = noted = asyncio.Event()
                try:
                    sent = await message.reply_text(text)
                    if message.message_id not in chat.answers:  # (not its edit's answer, noted while this was sent)
                        self._note_answer(chat, message, [sent])
                finally:
                    chat.replying.pop(message.message_id, None)
                    noted.set()
            await self._remember(message.chat.id, chat)
            return
        async with chat.lock:  # after the answer in hand, which notes the message it answered once it is sent
            person = _person(update, chat)  # its answer, written over, was not given: "who else?" may give it again
            conversation = chat.conversation if person is None else chat.people.get(person)
            if conversation is not None:
                conversation.take_back(chat.gave.pop(message.message_id, []))
                await self._give_back_topic(chat, conversation, message.message_id, person)
            chat.asked.pop(message.message_id, None)  # no longer asked: one before it may give its topic back
            # edited back into a question, it is read anew, as one edited back to speak to the bot is (it was read with
            # its first version's topic, and withdrawn again gave back its source, over questions asked in between)
            chat.read_in.pop(message.message_id, None)
            chat.cited_before.pop(message.message_id, None)
            for sent in await self._in_place(update, chat, [text], [], DEFAULT):
                chat.topics.pop(sent.message_id, None)  # a reply to it follows the chat's topic, not the question's
                chat.cited.pop(sent.message_id, None)  # nor does /remove in reply to it take out what it cited
            await self._remember(message.chat.id, chat)

    @staticmethod
    async def _give_back_topic(chat: _Chat, conversation: Conversation, question: int, person) -> None:
        """The topic ``question``, withdrawn by an edit (into a 👍, /help), was read with given back to ``conversation``
        (``person``'s) where nothing was asked since: it stayed the topic, and the next "And when is it?" was read with
        what was no longer asked; so is what the answer before it cited (the next "source?" named the withdrawn
        answer's article). Where a question was asked since ("When was that?", leaning on it: the topic the
        same), the topic stays: it went back all the same. Under the chat's lock, before its answer is written over."""
        answered = chat.answers.get(question)
        before = chat.read_in.get(question, _NO_TOPIC)
        if not answered or before is _NO_TOPIC:  # never answered, or saved by a release that kept no topics: it stays
            return
        if [asked for asked, whose in chat.asked.items() if whose == person][-1:] != [question]:  # asked since
            return
        if question in chat.cited_before:
            conversation.cited, conversation.cited_earlier = chat.cited_before[question]
        left = chat.topics.get(answered[-1], _NO_TOPIC)  # the topic its answer left

        def give_back() -> None:  # the topic: a query, in PostgreSQL
            if left is not _NO_TOPIC and left != before and conversation.topic == left:
                conversation.topic = before

        await asyncio.to_thread(give_back)

    async def _send(self, where, quote: bool, chat: _Chat, texts: list[str], rest: list[Source],
                    lang: str) -> list[Message]:
        """``texts`` in order into ``where``'s chat and forum topic, the first quoting ``where`` when ``quote`` (in
        groups); a "More sources" button under the last. Returns the messages sent."""
        markup = await self._more_button(where.chat.id, chat, rest, lang)
        sent, moved_to = [], None
        try:
            for i, text in enumerate(map(redact, texts)):  # a question may quote the token back at us
                last = markup if i == len(texts) - 1 else None
                if moved_to is None:
                    try:
                        sent.append(await self._reply(where, text, last, quote and i == 0))
                        continue
                    except ChatMigrated as exc:  # the group became a supergroup (a "More sources" under an old answer)
                        moved_to = exc.new_chat_id
                        await self._move_button(chat, moved_to, markup)
                sent.append(await where.get_bot().send_message(moved_to, text, reply_markup=last))
        except (BadRequest, Forbidden) as exc:
            # refused (a topic closed, the bot blocked): the button it was to carry, never shown, is not kept (each
            # "More sources" pressed in a closed topic kept one, and 50 pushed out the chat's other answers' buttons)
            if markup and _refuses(exc):
                key = markup.inline_keyboard[0][0].callback_data.removeprefix(MORE)
                chat.more.pop(key, None)
                if moved_to is not None:
                    (await self._chat(moved_to)).more.pop(key, None)
            raise
        return sent

    async def _replace(self, question: Message, answered: list[int], chat: _Chat, texts: list[str],
                       rest: list[Source], lang: str) -> list[Message] | None:
        """The answer to an edited ``question`` written over its earlier answer's messages ``answered``: a typo fixed
        replaces the answer rather than piling a second one under it; messages it needs no more are deleted, more it
        needs sent (two questions edited into one, or one into two). None when they cannot all be edited (the answer
        deleted): the caller replies anew."""
        kept = min(len(answered), len(texts))
        # else under the last one sent
        markup = await self._more_button(question.chat.id, chat, rest, lang) if kept == len(texts) else None
        edited = []
        for i, (message_id, text) in enumerate(zip(answered[:kept], map(redact, texts))):
            try:
                edited.append(await question.get_bot().edit_message_text(
                    text, question.chat.id, message_id, reply_markup=markup if i == len(texts) - 1 else None))
            except (BadRequest, ChatMigrated) as exc:  # ChatMigrated: a group now a supergroup, answered there anew
                if "message is not modified" in str(exc).lower():  # it reads so already: nothing to add
                    continue
                if _refuses(exc):
                    raise
                log.info("the answer to message %s in chat %s cannot be edited (%s): answering anew",
                         question.message_id, question.chat.id, redact(str(exc)))
                if markup:  # the new answer gets a button of its own
                    chat.more.pop(markup.inline_keyboard[0][0].callback_data.removeprefix(MORE), None)
                return None
        # the second answer of two questions edited into one: it answers no more
        await _delete_answer(question, chat, answered[kept:])
        more = await self._send(question, True, chat, texts[kept:], rest, lang) if kept < len(texts) else []
        chat.answers[question.message_id] = answered[:kept] + [m.message_id for m in more]
        return edited + more

    @staticmethod
    async def _reply(where, text: str, markup, quote: bool) -> Message:
        if isinstance(where, Message):  # reply_text keeps the topic; Chat.send_message would post in General
            # one older than Telegram shows a bot (48 h) comes without its forum topic: a reply to it is put there
            # ("More sources" under it went to the forum's General)
            quoted = True if not where.is_accessible else None if quote else False
            return await where.reply_text(text, reply_markup=markup, do_quote=quoted)
        return await where.chat.send_message(text, reply_markup=markup)  # a message too old to see: its chat

    async def _move_button(self, chat: _Chat, chat_id: int, markup: InlineKeyboardMarkup | None) -> None:
        """The "More sources" of ``markup`` kept by ``chat_id``'s chat, where it is sent now."""
        key = markup.inline_keyboard[0][0].callback_data.removeprefix(MORE) if markup else None
        more = chat.more.pop(key, None)
        if more:
            target = await self._chat(chat_id)
            target.more[key] = more
            await self._remember(chat_id, target)

    def _note_topic(self, sent: list[Message], topic: str | None, article: str | None) -> None:
        """Remember that ``sent`` answered in ``topic`` citing ``article``: a reply to one of them is read with the
        topic, and an admin's /remove in reply to one takes the article out."""
        for message in sent:
            chat = self.chats.get(message.chat.id)
            if chat is not None:
                _noted(chat.topics, message.message_id, topic)
                chat.cited.pop(message.message_id, None)  # an answer edited into one that cites another, or none
                if article is not None:
                    _noted(chat.cited, message.message_id, article)

    async def _more_button(self, chat_id: int, chat: _Chat, rest: list[Source],
                           lang: str) -> InlineKeyboardMarkup | None:
        """A "More sources" button for ``rest``, labelled in ``lang``; the next one under its passage will be too.
        Shared with the other replicas where the store shares chats: a press is routed to any of them."""
        if not rest:
            return None
        key = secrets.token_urlsafe(6)  # random: a button from before a restart must not hit another answer
        _noted(chat.more, key, More(rest, lang), 50)
        await self._share_more(chat_id, key, chat.more[key])
        data = f"{MORE}{key}"
        assert len(data.encode()) <= MAX_CALLBACK_DATA
        label = say("more_sources", lang, n=len(rest))
        return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])

    @staticmethod
    async def _notice(message: Message, text: str) -> None:
        """``text`` in reply to ``message``, unless the chat is under flood control (then it is left unsaid)."""
        waits = _MAX_WAIT.set(0)
        try:
            await message.reply_text(text)
        except RetryAfter as exc:
            log.warning("flood control in chat %s: a notice was not sent (%s)", message.chat.id, exc)
        finally:
            _MAX_WAIT.reset(waits)

    def _typing(self, context: ContextTypes.DEFAULT_TYPE, message: Message,
                until: asyncio.Event | None = None) -> asyncio.Task:
        """Show "typing…" in the message's chat, again every ``typing_every`` seconds till ``until`` is set, never
        cancelled: httpx's pool (httpcore 1.0.9, encode/httpcore#1093) loses for good the connection of a request
        cancelled while it waits for one, and the indicator cancelled under the answer of each question in a burst of
        chats lost all 64 within a few hundred answers: the bot answered no one again until restarted. Only the wait
        between two is cut short; the application awaits the task at stop."""
        async def show() -> None:
            # never waited out under flood control (in this task only): retried after the reply, it showed "typing…"
            # under an answer already there
            _MAX_WAIT.set(0)
            while True:
                try:
                    await message.reply_chat_action(ChatAction.TYPING)  # in the message's forum topic, as replies are
                except TelegramError as exc:
                    log.debug("typing indicator failed: %s", exc)
                if until is None:
                    return
                try:
                    await asyncio.wait_for(until.wait(), self.typing_every)
                    return
                except TimeoutError:
                    pass

        return context.application.create_task(show(), name="typing")

    async def _typed(self, typing: asyncio.Task | None, done: asyncio.Event) -> None:
        """Stop ``typing`` (``_typing`` till ``done``; None: not begun) and let a "typing…" in flight arrive first:
        after the reply, it showed the bot typing a message that never came. Waited for ``timeout`` at most, and never
        cancelled."""
        if not done.is_set():
            done.set()
            if typing is not None:
                await asyncio.wait({typing}, timeout=self.timeout)

    def _lang(self, update: Update, text: str | None = None) -> str:
        """The language to speak: ``text``'s, else the chat's last question's, else the user's Telegram language; in
        a group the user's Telegram language before the last question's, which may be another reader's (an anonymous
        admin has none: the group's last question's). A Cyrillic text that does not tell Ukrainian from Russian takes
        the first of them that is one of those, the chat's last Cyrillic question's before the app's in a private
        chat: a Romanian question in between says nothing of which."""
        chat = self.chats.get(update.effective_chat.id) if update.effective_chat else None
        user = update.effective_user
        said, app = (chat.language, chat.cyrillic) if chat else (None, None), (user.language_code if user else None,)
        group = update.effective_chat and update.effective_chat.type != "private"
        hint = app + said if group else said + app
        return speaks(text if isinstance(text, str) else "", hint=hint)  # a malformed update's "text" may be a number

    async def _chat(self, chat_id: int) -> _Chat:
        """The chat's state; one from before a restart is read back from ``memory`` (off the event loop)."""
        chat = self.chats.get(chat_id)
        if chat is None:
            saved = None
            if self.memory is not None:
                # one read of a chat at a time, its updates going on in the order they came: each reading it apart, a
                # later one read first went first (a caption taken out took back no answer, the question's, sent after)
                reading = self._reading.get(chat_id)
                if reading is None:
                    reading = self._reading[chat_id] = asyncio.ensure_future(
                        asyncio.to_thread(self.memory.load, chat_id))
                    reading.add_done_callback(lambda _: self._reading.pop(chat_id, None))
                saved = await asyncio.shield(reading)
            chat = self.chats.get(chat_id)  # another update of the chat may have read it meanwhile
        if chat is None:
            chat = self.chats[chat_id] = _Chat(self._conversation(chat_id))
            if saved is not None:  # a chat from before a restart picks up where it was
                topic, more, topics, people, answers, cited, files, last, given, gave, said, questions = saved
                if not chat.conversation.shared:  # else the database has it, maybe newer, from another replica
                    chat.conversation.topic = topic
                for person, asked in people:
                    self._conversation_of(chat_id, chat, person).topic = asked  # not shared: only those are saved
                for person, article, found_nothing in last:  # "source?" names what the answer before the restart cited
                    # (a person's, whose order among those who asked last stays as it was), saying so where a
                    # question after it found nothing
                    conversation = chat.conversation if person is None else chat.people.get(person) or \
                        self._conversation_of(chat_id, chat, person)
                    conversation.cited, conversation.cited_earlier = article, found_nothing
                for person, sentences in given:  # "who else?" is not answered with what it was before the restart
                    conversation = chat.conversation if person is None else chat.people.get(person) or \
                        self._conversation_of(chat_id, chat, person)
                    conversation.recall(sentences)
                chat.more.update(more)
                chat.topics.update(topics)
                chat.answers.update(answers)  # an edit of a question from before the restart edits its answer
                chat.cited.update(cited)
                chat.gave.update(gave)  # a question edited after the restart gives back what its answer gave
                # and, edited into a 👍, the topic it was read with and what the answer before it cited
                chat.asked.update((questions or {}).get("asked", []))
                chat.read_in.update((questions or {}).get("read_in", []))
                # the channel's posts whose comments a discussion group keeps apart (a comment to a comment after the
                # restart was read with its writer's last question anywhere in the group)
                chat.posts.update((thread, Post(lead, link)) for thread, lead, link in (questions or {}).get("posts", []))
                chat.cited_before.update((question, (article, nothing)) for question, article, nothing
                                         in (questions or {}).get("before", []))
                for message_id, unique_id, article, reply in files:  # a file replaced after the restart takes its out
                    chat.files[message_id] = _File(unique_id, article=article, reply=reply)
                    chat.files[message_id].done.set()
                # the language its words followed, as saved ("Привет" said last: Russian); in a file from before it was,
                # the newest button's (its answer's), else the topic question's
                told = [m.language for _, m in reversed(more) if m.language] + ([speaks(topic)] if topic else [])
                chat.language = said[0] if said else told[0] if told else None
                chat.cyrillic = said[1] if len(said) > 1 else \
                    next((lang for lang in told if lang in CYRILLIC_LANGUAGES), None)
            self._forget_idle_chats(keep=chat_id)
        self.chats.move_to_end(chat_id)
        return chat

    def _forget_idle_chats(self, keep: int) -> None:
        """Down to ``max_chats`` in memory (but ``keep``), the least recently heard from first; a chat whose question
        is being answered or saved, or whose file is being added, stays (dropped, it was read back as a second copy
        with a lock of its own, and a file's add saved nothing of it: its file replaced was never taken out)."""
        over = len(self.chats) - self.max_chats
        if over <= 0:
            return
        idle = (chat_id for chat_id, chat in self.chats.items()
                if chat_id != keep and not (chat.in_hand or chat.lock.locked() or chat.saving.locked()
                                            or any(not file.done.is_set() for file in chat.files.values())))
        for chat_id in list(islice(idle, over)):
            del self.chats[chat_id]

    def _conversation_of(self, chat_id: int, chat: _Chat, person: int | str | None) -> Conversation:
        """The conversation ``person``'s follow-ups in ``chat`` go on: in a group, their own (their follow-up after
        another's question was read with that one), for the ``PEOPLE_PER_CHAT`` who asked last; the chat's in a
        private chat (``person`` None)."""
        if person is None:
            return chat.conversation
        conversation = chat.people.pop(person, None)
        if conversation is None:
            conversation = self._conversation(f"{chat_id}:{person}")
        return _noted(chat.people, person, conversation, PEOPLE_PER_CHAT)

    def _shared_chats(self):
        """The store's chats every replica reads (a PostgreSQL store's ``citebot_chats``), None for a folder's."""
        return getattr(getattr(self.engine, "store", None), "chats", None)

    def _chat_key(self, chat_id: int | str) -> str:
        """``chat_id`` as the shared chats know it: per bot, since a user's private chat has the user's id with every
        bot."""
        return f"telegram:{self.token.partition(':')[0]}:{chat_id}"

    async def _share_post(self, chat_id: int, thread: int, post: Post) -> bool:
        """``post`` noted as ``thread``'s for every replica, where the store shares chats; False when the store shares
        them and could not write it."""
        shared = self._shared_chats()
        if shared is None:
            return True
        return await asyncio.to_thread(shared.note_post, self._chat_key(chat_id), thread, post.lead, post.link)

    async def _share_more(self, chat_id: int, key: str, more: More) -> bool:
        """The button ``key``'s ``more`` kept for every replica, where the store shares chats; False when the store
        shares them and could not write it."""
        shared = self._shared_chats()
        if shared is None:
            return True
        return await asyncio.to_thread(shared.keep_more, self._chat_key(chat_id), key, more_json(more))

    async def _kept_back(self, chat: _Chat, chat_id: int, key: str, more: More) -> None:
        """A pressed button ``key`` whose passage was not shown: its ``more`` put back for every replica, or, when
        that fails, marked as this replica's to show (its press took the shared row)."""
        if await self._share_more(chat_id, key, more):
            chat.more_unshared.discard(key)
        else:
            chat.more_unshared = {k for k in chat.more_unshared if k in chat.more} | {key}

    def _conversation(self, chat_id: int | str) -> Conversation:
        """A new chat's conversation, holding no engine: each question lends it the newest build's. An engine kept by
        a chat idle since kept that build's mapped files and open descriptors after its folder was removed, one build
        more for each rebuild, till the bot ran out of file descriptors (and the disk space was never freed)."""
        # a PostgreSQL store's chats, if any, per bot: a user's private chat has the user's id with every bot
        conversation = Conversation(self.engine, chat=self._chat_key(chat_id))
        conversation.engine = None
        return conversation

    async def _remember(self, chat_id: int, chat: _Chat) -> None:
        """Save the chat's topic, buttons, answers' topics, questions' answers, answers' articles, files, the article
        each conversation's last answer cited and the sentences each was given, off the event loop: with a PostgreSQL
        store the topic is a query."""
        if self.memory is None:
            return
        async with chat.saving:  # in order, so an older state is never written over a newer one
            # the event loop changes them meanwhile
            more, topics, answers, cited = map(OrderedDict, (chat.more, chat.topics, chat.answers, chat.cited))
            files = {message_id: (f.unique_id, f.article, f.reply) for message_id, f in chat.files.items()}
            # a person's topic in a PostgreSQL store is there already (a query each to read)
            people = [(person, c) for person, c in chat.people.items() if not c.shared]
            # each conversation's last answer's article, the chat's own (None) first, then its people's in order
            conversations = [(None, chat.conversation), *chat.people.items()]
            last = {person: c.article for person, c in conversations if c.article}
            found_nothing = {person for person, c in conversations if c.article and c.cited_earlier}
            # what "who else?" leaves out, each conversation's, kept in the chats file as the topic is (one per replica)
            given = {person: {t: list(s) for t, s in c.given.items()} for person, c in conversations if c.given}
            # what each recent question's answer gave, that an edit of it gives back: those still left out alone
            kept = {s for topics in given.values() for sentences in topics.values() for s in sentences}
            gave = {message_id: [s for s in sentences if s in kept] for message_id, sentences in chat.gave.items()}
            # what an edit of a recent question into a 👍 gives back: the article alone of what the answer before cited
            questions = {"asked": OrderedDict(chat.asked), "read_in": OrderedDict(chat.read_in),
                         "posts": {thread: (post.lead, post.link) for thread, post in list(chat.posts.items())},
                         "before": {message_id: (c.doc if isinstance(c, Source) else c, nothing)
                                    for message_id, (c, nothing) in list(chat.cited_before.items())}}
            await asyncio.to_thread(lambda: self.memory.save(chat_id, chat.conversation.topic, more, topics,
                                                             {person: c.topic for person, c in people}, answers, cited,
                                                             files, last, found_nothing, given, gave,
                                                             (chat.language, chat.cyrillic), questions))

    def _allowed(self, update: Update) -> bool:
        ids = {x.id for x in (update.effective_user, update.effective_chat) if x is not None}
        return bool(ids & self.allowed)

    @staticmethod
    def _spoken_to(message: Message) -> bool:
        for_us = command_addressee(message) in ("", (message.get_bot().username or "").lower())
        return message.chat.type == "private" or for_us or _ToBot().filter(message)
