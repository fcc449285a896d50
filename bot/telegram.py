"""The Telegram front end: the same cited answers as ``citebot ask``, in a chat, within the Bot API's rules.

    TELEGRAM_BOT_TOKEN=123:abc citebot telegram            # long polling
    bot = TelegramBot(engine, token="123:abc", api_url="http://127.0.0.1:8081")
    await bot.serve(bot.application(), stop_event)        # until stop_event is set

The only module that imports ``telegram`` (python-telegram-bot v22).
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
import secrets
import signal
import time
import traceback
import warnings
from collections import Counter, OrderedDict, deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning
from telegram.ext import (
    Application, ApplicationHandlerStop, BaseRateLimiter, CallbackQueryHandler, CommandHandler, ContextTypes,
    Defaults, MessageHandler, TypeHandler, filters,
)
from telegram.request import HTTPXRequest

from bot.answer import Answer, AnswerEngine, Source
from bot.conversation import Conversation
from bot.live import LiveEngine
from bot.memory import ChatMemory, More
from bot.language import detect
from bot.messages import articles, passages, say
from bot.render import not_found_text, source_html, to_html
from index.errors import CitebotError
from index.lexical import STOPWORDS

log = logging.getLogger("citebot.telegram")

MAX_MESSAGE = 4096      # Telegram's limit, in UTF-16 code units
MAX_CALLBACK_DATA = 64  # bytes
MORE = "more:"
COMMANDS = [("ask", "ask a question (in groups)"), ("help", "what I know and how to ask"),
            ("sources", "the articles I know"), ("reset", "forget our conversation")]
# What the bot says in its own words is in bot.messages, in the user's language.
# Adding articles from the chat (admins only: CITEBOT_ADMINS); the replies are in bot.messages too.
ADDABLE = (".txt", ".md", ".html", ".htm")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")


# ---- Telegram's message rules -------------------------------------------------------------
def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


_TAG_OR_TEXT = re.compile(r"(<[^<>]+>)")
_SENTENCE_END = re.compile(r"(?<=\n)|(?<=[.!?…]\s)")
_WORD_END = re.compile(r"(?<=\s)")
_ATOM = re.compile(r"&#?\w+;|.", re.DOTALL)  # an entity is one indivisible character
_EMPTY_TAG = re.compile(r"<([\w-]+)[^<>]*>(\s*)</\1>")
_TAG_ROOM = 256  # room kept in each message for the tags that close and reopen across a split


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """``text`` (Telegram HTML) cut into messages of at most ``limit`` UTF-16 units.

    Cuts fall at line or sentence ends (words or characters only for longer runs), never inside a
    tag or an entity; tags open at a cut are closed before it and reopened after it.
    """
    if utf16_len(text) <= limit:
        return [text]
    chunks, current, stack = [], "", []  # stack: (tag name, opening tag) of the tags open at this point

    def closing() -> str:
        return "".join(f"</{name}>" for name, _ in reversed(stack))

    for piece in _pieces(text, limit - _TAG_ROOM):
        if piece.startswith("<"):
            name = piece.strip("</>").split()[0].lower()
            if piece.startswith("</"):
                stack.pop()
            else:
                stack.append((name, piece))
            current += piece
            continue
        if utf16_len(current + piece + closing()) > limit and _visible(current):
            chunks.append(current.rstrip() + closing())
            current = "".join(tag for _, tag in stack)
        current += piece
    chunks.append(current)
    cleaned = (_EMPTY_TAG.sub(r"\2", chunk).strip() for chunk in chunks)
    return [chunk for chunk in cleaned if _visible(chunk)]


def _pieces(text: str, budget: int):
    """Tags, and runs of text that each fit ``budget``: sentences, else words, else characters."""
    for part in _TAG_OR_TEXT.split(text):
        if part.startswith("<"):
            yield part
            continue
        for sentence in _SENTENCE_END.split(part):
            if utf16_len(sentence) <= budget:
                yield sentence
                continue
            for word in _WORD_END.split(sentence):
                run = ""
                for atom in _ATOM.findall(word):
                    if utf16_len(run) + utf16_len(atom) > budget:
                        yield run
                        run = ""
                    run += atom
                yield run


def _visible(chunk: str) -> bool:
    return bool(_TAG_OR_TEXT.sub("", chunk).strip())


def pack(blocks: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """HTML ``blocks`` (passages, lists) joined into as few messages as fit; a block is split only when it alone is too long."""
    messages, current = [], ""
    for block in blocks:
        for part in split_html(block, limit):
            joined = f"{current}\n\n{part}" if current else part
            if utf16_len(joined) <= limit:
                current = joined
            else:
                messages.append(current)
                current = part
    if current:
        messages.append(current)
    return messages


def answer_blocks(answer: Answer) -> list[str]:
    """What a chat gets for ``answer``: the cited passage and "Also reported by", or a plain not-found."""
    if answer.found:
        return to_html(answer)
    return [html.escape(not_found_text(answer)) + "\n" + say("see_sources", answer.language)]


# ---- what the bot knows ---------------------------------------------------------------------
# A name word is a whole word (letters, digits, ’ ' -) that starts with A-Z and has a-z after it; a name is two
# or more such words apart by spaces or tabs only. Possessive quantifiers, and the lowercase look-ahead tried only
# at a word's start, keep a match linear in the text (the pattern it replaces backtracked: a 700-character
# "AA…aa" run took half a second).
_NAME_WORD = r"(?<![\w’'-])[A-Z](?=[\w’'-]*?[a-z])[\w’'-]*+"
_NAME = re.compile(rf"{_NAME_WORD}(?:[ \t]++{_NAME_WORD})++")


class Guide:
    """What /start, /help and /sources say about the corpus of ``store``; examples are verified with ``engine``.

    >>> guide = Guide(engine)                           # doctest: +SKIP
    >>> guide.examples()                                # doctest: +SKIP
    ['What do the articles say about Jens Stoltenberg?', ...]
    """

    def __init__(self, engine: AnswerEngine, listed: int = 100, sampled: int = 5000):
        """``listed``: articles /sources names; ``sampled``: passages (spread over the corpus) read for example names."""
        if listed < 1 or sampled < 1:
            raise ValueError("listed and sampled must be >= 1")
        self.engine = engine
        self.store = engine.store
        self.listed = listed
        self.sampled = sampled
        self._examples: list[str] | None = None

    def summary(self, lang: str = "en") -> str:
        n = len(self.store.articles)
        dates = self.store.date_range()
        when = "" if not dates else say("dated_one", lang, date=dates[0]) if dates[0] == dates[-1] else \
            say("dated_range", lang, first=dates[0], last=dates[-1])
        return f"<b>{articles(n, lang)}</b>{html.escape(when)}"

    def examples(self, count: int = 2, tries: int = 6, lang: str = "en") -> list[str]:
        """Questions about the names the articles mention most that the engine does answer (computed once, in English)."""
        if self._examples is None:
            found = []
            for name in self._names(tries):
                if len(found) < count and self.engine.ask(say("example_question", "en", name=name)).found:
                    found.append(name)
            self._examples = found
        return [say("example_question", lang, name=name) for name in self._examples]

    def _names(self, most: int) -> list[str]:
        """The ``most`` multi-word capitalised names mentioned by the most articles, then most often (in the sampled
        passages); a name inside one already chosen, or holding one, is left out."""
        count, docs = Counter(), {}
        for passage in self.store.sample_passages(self.sampled):
            for match in _NAME.finditer(passage.text):
                words = match.group(0).split()
                while words and words[0].lower() in STOPWORDS:
                    words = words[1:]
                if len(words) >= 2:
                    name = " ".join(words)
                    count[name] += 1
                    docs.setdefault(name, set()).add(passage.doc)
        ranked = sorted(count, key=lambda n: (-len(docs[n]), -count[n], n))
        chosen: list[str] = []
        for name in ranked:
            if len(chosen) == most:
                break
            if not any(name in other or other in name for other in chosen):
                chosen.append(name)
        return chosen

    def help_html(self, lang: str = "en") -> str:
        examples = self.examples(lang=lang)
        lines = [say("help_intro", lang, summary=self.summary(lang)), "", html.escape(say("help_how", lang))]
        if examples:
            lines += ["", say("for_example", lang)] + [f"• {html.escape(q)}" for q in examples]
        lines += ["", html.escape(say("help_more", lang))]
        return "\n".join(lines)

    def sources_html(self, lang: str = "en") -> str:
        known = self.store.latest_articles(self.listed)
        total = len(self.store.articles)
        lines = [say("sources_intro", lang, summary=self.summary(lang))]
        lines += [f"• <b>{html.escape(a.title)}</b>" + html.escape(f", {a.date}" if a.date else "") +
                  f" <i>({html.escape(a.id)})</i>" for a in known]
        if total > self.listed:
            lines.append(html.escape(say("sources_more", lang, n=total - self.listed)))
        return "\n".join(lines)


# ---- limits ----------------------------------------------------------------------------------
class RateLimit:
    """At most ``per_minute`` questions per user in any 60 seconds; a user refused is told so once, not at each refusal.

    >>> limit = RateLimit(2, clock=lambda: 100.0)
    >>> [limit.wait(7) for _ in range(3)]
    [0, 0, 60]
    >>> limit.tell(7, 60), limit.tell(7, 60)
    (True, False)
    """

    def __init__(self, per_minute: int, window: float = 60.0, clock=time.monotonic):
        if not isinstance(per_minute, int) or per_minute < 1:
            raise CitebotError("the rate limit must be at least 1 question a minute")
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._asked: dict[int, deque] = {}
        self._told: dict[int, float] = {}  # user -> when they may ask again, for users told to wait

    def wait(self, user: int) -> int:
        """0 when ``user`` may ask now (counting it), else the whole seconds until they may."""
        now = self.clock()
        asked = self._asked.setdefault(user, deque())
        while asked and asked[0] <= now - self.window:
            asked.popleft()
        if len(asked) >= self.per_minute:
            return max(1, int(asked[0] + self.window - now + 0.999))
        asked.append(now)
        if len(self._asked) > 10_000:  # forget users who have not asked within the window
            self._asked = {u: q for u, q in self._asked.items() if q and q[-1] > now - self.window}
        return 0

    def tell(self, user: int, wait: int) -> bool:
        """Whether to tell ``user``, refused for ``wait`` s, to wait: once, then not until they may ask again."""
        now = self.clock()
        if self._told.get(user, now) > now:
            return False
        self._told[user] = now + wait
        if len(self._told) > 10_000:
            self._told = {u: until for u, until in self._told.items() if until > now}
        return True


def parse_allowed(text: str | None, name: str = "CITEBOT_ALLOWED_CHATS") -> frozenset[int] | None:
    """The ids in CITEBOT_ALLOWED_CHATS (or CITEBOT_ADMINS) ("123, -100456"), or None when it is unset."""
    if not text or not text.strip():
        return None
    try:
        return frozenset(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise CitebotError(f"{name} must be comma-separated numeric user or chat ids") from None


# The longest flood-control wait (429) the Bot API calls of the current task sit out: _notice sets 0.
_MAX_WAIT: ContextVar[float] = ContextVar("citebot_max_wait", default=float("inf"))


class _Retrying(BaseRateLimiter):
    """Every Bot API call: waits out flood control (429) and retries timeouts and 5xx, ``attempts`` times in all.

    A call made while ``_MAX_WAIT`` is ``s`` waits out a 429 only of ``s`` seconds or less: a notice nobody will miss
    must not hold one of the bot's concurrent updates for minutes."""

    def __init__(self, attempts: int = 4, backoff: float = 0.5):
        self.attempts = attempts
        self.backoff = backoff

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        for attempt in range(1, self.attempts + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta
                    warnings.simplefilter("ignore")
                    wait = exc.retry_after
                wait = wait.total_seconds() if hasattr(wait, "total_seconds") else wait
                if attempt == self.attempts or wait > _MAX_WAIT.get():
                    raise
                log.warning("flood control on %s: waiting %s s", endpoint, wait)
                await asyncio.sleep(float(wait) + 0.1)
            except NetworkError as exc:  # timeouts, 5xx, dropped connections; BadRequest is the caller's fault
                if isinstance(exc, BadRequest) or attempt == self.attempts:
                    raise
                log.warning("%s failed (%s); retrying", endpoint, exc)
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))


# ---- secrets stay out of logs -----------------------------------------------------------------
_HIDDEN: set[str] = set()


def hide_in_logs(*secrets_: str | None) -> None:
    """From now on every log record, traceback included, shows ``secrets_`` as "[hidden]"."""
    if not _HIDDEN:
        make = logging.getLogRecordFactory()

        def factory(*args, **kwargs):
            return _redact_record(make(*args, **kwargs))

        logging.setLogRecordFactory(factory)
    _HIDDEN.update(s for s in secrets_ if s)


def redact(text: str) -> str:
    for secret in _HIDDEN:
        text = text.replace(secret, "[hidden]")
    return text


def _redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken log call is logging's problem, not ours
        return record
    if redact(message) != message:
        record.msg, record.args = redact(message), ()
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if redact(text) != text:
            record.exc_text = redact(text)  # formatters print exc_text when it is set
    return record


# ---- the bot ------------------------------------------------------------------------------------
@dataclass
class _Chat:
    conversation: Conversation
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one question at a time per chat, in order
    saving: asyncio.Lock = field(default_factory=asyncio.Lock)  # its saves, one at a time, in order
    more: OrderedDict = field(default_factory=OrderedDict)    # button key -> More: sources not shown yet, language
    language: str | None = None                                 # of the last question: the bot's words follow it


class _ToBot(filters.MessageFilter):
    """Messages that mention the bot or reply to it."""

    def filter(self, message: Message) -> bool:
        return _mentions(message) != [] or _replies_to_bot(message)


def _mentions(message: Message) -> list[str]:
    bot = message.get_bot()
    found = message.parse_entities(["mention", "text_mention"]) if message.text else {}
    return [text for entity, text in found.items()
            if (entity.type == "mention" and text.lower() == f"@{(bot.username or '').lower()}")
            or (entity.type == "text_mention" and entity.user and entity.user.id == bot.id)]


def _replies_to_bot(message: Message) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == message.get_bot().id)


class TelegramBot:
    """Answers chats over ``engine``; the token comes in here and goes nowhere but the Bot API URL.

    >>> bot = TelegramBot(engine, token=os.environ["TELEGRAM_BOT_TOKEN"])   # doctest: +SKIP
    >>> await bot.serve(bot.application(), stop)                             # doctest: +SKIP
    """

    def __init__(self, engine: AnswerEngine | LiveEngine, token: str, api_url: str | None = None, rate_limit: int = 20,
                 allowed_chats: frozenset[int] | None = None, webhook_url: str | None = None,
                 listen: str = "127.0.0.1:8443", webhook_secret: str | None = None, timeout: float = 10.0,
                 attempts: int = 4, poll_timeout: int = 10, clock=time.monotonic, max_chats: int = 10_000,
                 admins: frozenset[int] | None = None, updater=None, memory: ChatMemory | None = None,
                 feeds_every: float | None = None, max_file_bytes: int = 5_000_000):
        """``engine``: a LiveEngine follows new builds; ``updater`` (index/update.py) adds articles for
        ``admins``; ``memory`` keeps conversations across restarts; ``feeds_every`` minutes polls the feeds."""
        if not token or not _TOKEN.fullmatch(token):
            raise CitebotError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, from @BotFather)")
        if api_url is not None and urlsplit(api_url).scheme not in ("http", "https"):
            raise CitebotError("--api-url must be an http:// or https:// URL")
        if timeout <= 0 or attempts < 1 or poll_timeout < 0:
            raise CitebotError("timeouts must be positive and at least one attempt made")
        if feeds_every is not None and (feeds_every <= 0 or updater is None):
            raise CitebotError("--feeds-every must be a positive number of minutes")
        self.live = engine if isinstance(engine, LiveEngine) else LiveEngine.fixed(engine)
        self.admins = admins or frozenset()
        self.updater = updater
        self.memory = memory
        self.feeds_every = feeds_every
        self.max_file_bytes = max_file_bytes
        self._adding = asyncio.Lock()
        self.token = token
        self.api_url = api_url.rstrip("/") if api_url else None
        self.limit = RateLimit(rate_limit, clock=clock)
        self.allowed = allowed_chats
        self.webhook = self._webhook(webhook_url, listen, webhook_secret) if webhook_url else None
        self.timeout = timeout
        self.attempts = attempts
        self.poll_timeout = poll_timeout
        self.max_chats = max_chats
        self.guide = Guide(self.live.engine)
        self.chats: OrderedDict[int, _Chat] = OrderedDict()

    @property
    def engine(self):
        """The engine of the newest build loaded so far."""
        return self.live.engine

    @staticmethod
    def _webhook(url: str, listen: str, secret: str | None) -> dict:
        parts = urlsplit(url)
        if parts.scheme != "https" and parts.hostname not in ("localhost", "127.0.0.1"):
            raise CitebotError("--webhook-url must be an https:// URL (Telegram posts only to HTTPS)")
        if not secret or not _SECRET.fullmatch(secret):
            raise CitebotError("webhook mode needs TELEGRAM_WEBHOOK_SECRET: 1-256 of A-Z a-z 0-9 _ -")
        host, _, port = listen.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise CitebotError(f"--listen must be HOST:PORT, not {listen!r}")
        return {"listen": host.strip("[]"), "port": int(port), "url_path": parts.path.lstrip("/"),
                "webhook_url": url, "secret_token": secret}

    # ---- wiring ----------------------------------------------------------------------------
    def application(self) -> Application:
        """A python-telegram-bot Application with every handler, talking to ``api_url``."""
        hide_in_logs(self.token, self.webhook and self.webhook["secret_token"])
        for noisy in ("httpx", "httpcore"):  # httpx logs each request URL, and the URL holds the token
            logging.getLogger(noisy).setLevel(logging.WARNING)
        timeouts = {"connect_timeout": self.timeout, "read_timeout": self.timeout, "write_timeout": self.timeout,
                    "pool_timeout": self.timeout}
        builder = (Application.builder().token(self.token)
                   .request(HTTPXRequest(connection_pool_size=64, **timeouts))
                   .get_updates_request(HTTPXRequest(**timeouts))
                   .rate_limiter(_Retrying(self.attempts)).concurrent_updates(True)
                   .defaults(Defaults(parse_mode=ParseMode.HTML, allow_sending_without_reply=True,
                                      link_preview_options=LinkPreviewOptions(is_disabled=True))))
        if self.api_url:
            builder = builder.base_url(f"{self.api_url}/bot").base_file_url(f"{self.api_url}/file/bot")
        app = builder.build()
        new = filters.UpdateType.MESSAGE
        private, to_bot = filters.ChatType.PRIVATE, _ToBot()
        app.add_handler(TypeHandler(Update, self.gate), group=-1)
        app.add_handler(CommandHandler(["start", "help"], self.on_help, filters=new))
        app.add_handler(CommandHandler("sources", self.on_sources, filters=new))
        app.add_handler(CommandHandler("reset", self.on_reset, filters=new))
        app.add_handler(CommandHandler("ask", self.on_ask, filters=new))
        app.add_handler(CommandHandler("add", self.on_add, filters=new))
        link = filters.Regex(r"^\s*https?://\S+\s*$")
        app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & private & link, self.on_link))
        addable = filters.Document.FileExtension("txt")
        for extension in ADDABLE[1:]:
            addable = addable | filters.Document.FileExtension(extension.lstrip("."))
        app.add_handler(MessageHandler(new & addable & (private | to_bot), self.on_document))
        app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & (private | to_bot), self.on_question))
        app.add_handler(MessageHandler(new & filters.COMMAND & private, self.on_unknown_command))
        app.add_handler(MessageHandler(new & ~filters.TEXT & ~filters.StatusUpdate.ALL & (private | to_bot),
                                       self.on_not_text))
        app.add_handler(CallbackQueryHandler(self.on_more, pattern=f"^{MORE}"))
        app.add_error_handler(self.on_error)
        return app

    async def serve(self, app: Application, stop: asyncio.Event) -> None:
        """Run ``app`` (long polling, or the webhook) until ``stop`` is set, then finish what is in hand."""
        async with app:  # getMe: a bad token fails here
            await app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
            await asyncio.to_thread(self.guide.examples)
            await app.start()
            if self.feeds_every:
                app.job_queue.run_repeating(self.on_feeds_job, interval=self.feeds_every * 60, first=1,
                                            name="feeds")
            try:
                if self.webhook:
                    await app.updater.start_webhook(**self.webhook, allowed_updates=Update.ALL_TYPES)
                else:
                    await app.updater.start_polling(timeout=self.poll_timeout, bootstrap_retries=3,
                                                    allowed_updates=Update.ALL_TYPES)
                articles = await asyncio.to_thread(lambda: len(self.engine.store.articles))  # a query, in PostgreSQL
                log.info("answering as @%s over %d articles by %s", app.bot.username, articles,
                         "webhook" if self.webhook else "long polling")
                await stop.wait()
                log.info("stopping: finishing the questions in hand")
            finally:
                if app.updater.running:
                    await app.updater.stop()
                await app.stop()

    # ---- handlers ----------------------------------------------------------------------------
    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Outside the allow-list: say the bot is private (when spoken to) and stop there."""
        if self.allowed is None or self._allowed(update):
            return
        if update.callback_query:
            await update.callback_query.answer(say("private", self._lang(update)))
        elif update.effective_message and self._spoken_to(update.effective_message):
            await self._notice(update.effective_message, say("private", self._lang(update, update.effective_message.text)))
        raise ApplicationHandlerStop

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(await self._help(self._lang(update)))

    async def on_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        listing = await asyncio.to_thread((await self._guide()).sources_html, self._lang(update))  # store queries
        for text in split_html(listing):
            await update.effective_message.reply_text(text)

    async def on_reset(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = await self._chat(update.effective_chat.id)
        async with chat.lock:  # after the question in hand, which would set the topic again
            await asyncio.to_thread(chat.conversation.reset)  # a write, with a PostgreSQL store
        await self._remember(update.effective_chat.id, chat)
        await update.effective_message.reply_text(say("reset", self._lang(update)))

    # ---- adding articles (admins) --------------------------------------------------------------
    async def on_add(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/add URL``: fetch, store and index the article; the next question can be answered from it."""
        message = update.effective_message
        target = " ".join(context.args or []).strip()
        lang = self._lang(update)
        if not self._admin(update):
            await message.reply_text(say("admins_only", lang))
        elif not re.fullmatch(r"https?://\S+", target):  # never a path on this machine
            await message.reply_text(html.escape(say("add_usage", lang)))
        else:
            await self._add(message, lambda: asyncio.to_thread(self.updater.add, target), lang)

    async def on_link(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A message that is just a link, in a private chat: an admin adds it."""
        message = update.effective_message
        lang = self._lang(update)
        if not self._admin(update):
            await message.reply_text(say("admins_only", lang))
            return
        url = message.text.strip()
        await self._add(message, lambda: asyncio.to_thread(self.updater.add, url), lang)

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A .txt, .md or .html file sent by an admin is added as an article."""
        message = update.effective_message
        document = message.document
        lang = self._lang(update, message.caption)
        if not self._admin(update):
            await message.reply_text(say("admins_only", lang))
            return
        name = document.file_name or "document.txt"
        if (document.file_size or 0) > self.max_file_bytes:
            reason = say("file_too_big", lang, limit=f"{self.max_file_bytes:,}")
            await message.reply_text(html.escape(say("cannot_add", lang, reason=reason)))
            return

        async def job():
            data = bytes(await (await document.get_file()).download_as_bytearray())
            return await asyncio.to_thread(self.updater.add_bytes, data, name)

        await self._add(message, job, lang)

    async def _add(self, message: Message, job, lang: str) -> None:
        """Await ``job()`` (an add, then the index update, in a worker thread) and say what came of it in ``lang``.

        The reason a fetch failed (an HTTP status, a size) comes from the fetcher, in English."""
        if self.updater is None:
            await message.reply_text(say("no_adding", lang))
            return
        from index.add import AddError

        typing = asyncio.create_task(self._typing(message))
        try:
            async with self._adding:
                added = await job()
                await asyncio.to_thread(self.live.current)  # answer from the new build at once
        except AddError as exc:
            await message.reply_text(html.escape(say("cannot_add", lang, reason=exc.reason)))
            return
        except CitebotError as exc:
            await message.reply_text(html.escape(say("cannot_add", lang, reason=str(exc))))
            return
        finally:
            typing.cancel()
        if added.is_new:
            text = say("added", lang, title=added.title, passages=passages(added.passages, lang))
        else:
            text = say("already_there", lang, title=added.title, id=added.duplicate_of)
        log.info("%s (%s)", text, added.rel)
        await message.reply_text(html.escape(text))

    async def on_feeds_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every ``feeds_every`` minutes: take the feeds' new items; questions go on meanwhile."""
        try:
            async with self._adding:
                report = await asyncio.to_thread(self.updater.update_feeds)
                await asyncio.to_thread(self.live.current)
        except CitebotError as exc:
            log.warning("feeds: %s", exc)
            return
        log.info("feeds: %s", report.summary())

    def _admin(self, update: Update) -> bool:
        return update.effective_user is not None and update.effective_user.id in self.admins

    async def _help(self, lang: str) -> str:
        """/help's text in ``lang``, made off the event loop (the corpus's size and dates are queries in PostgreSQL)."""
        return await asyncio.to_thread((await self._guide()).help_html, lang)

    async def _guide(self) -> Guide:
        """The guide of the newest build (its example questions computed off the event loop)."""
        engine = await asyncio.to_thread(self.live.current)
        if self.guide.engine is not engine:
            guide = Guide(engine)
            await asyncio.to_thread(guide.examples)
            self.guide = guide
        return self.guide

    async def on_ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        question = " ".join(context.args or [])
        if not question:
            lang = self._lang(update)
            examples = (await self._guide()).examples(lang=lang)
            usage = say("ask_usage", lang, example=examples[0]) if examples else say("ask_usage_plain", lang)
            await update.effective_message.reply_text(html.escape(usage))
            return
        await self._answer(update, question)

    async def on_question(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        question = message.text
        for mention in _mentions(message):
            question = question.replace(mention, " ")
        if not question.strip():
            await message.reply_text(await self._help(self._lang(update)))
            return
        await self._answer(update, question)

    async def on_not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(say("not_text", self._lang(update)))

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(say("unknown_command", self._lang(update)))

    async def on_more(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """"More sources": the next passage under the answer; the button moves down to it."""
        query = update.callback_query
        chat = await self._chat(query.message.chat.id)
        more = chat.more.pop(query.data.removeprefix(MORE), None)
        await query.answer(None if more else say("expired", self._lang(update)))
        if not more:
            return
        sources = more.sources
        lang = more.language or self._lang(update)  # the question's, which the button's label is in
        await self._remember(query.message.chat.id, chat)
        try:
            await query.edit_message_reply_markup(None)
        except BadRequest:  # the message is too old to edit: the button just stays
            pass
        await self._send(query.message, False, chat, pack([source_html(sources[0])]), sources[1:], lang)
        await self._remember(query.message.chat.id, chat)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The one place failures go: the traceback to the log, a short apology to the user."""
        if not isinstance(update, Update):
            log.warning("Telegram: %s", redact(str(context.error)))
            return
        log.error("update %s failed", update.update_id, exc_info=context.error)
        try:
            if update.callback_query:
                await update.callback_query.answer(say("apology", self._lang(update)))
            elif update.effective_message:
                await self._notice(update.effective_message, say("apology", self._lang(update, update.effective_message.text)))
        except TelegramError as exc:
            log.warning("could not apologise for update %s: %s", update.update_id, redact(str(exc)))

    # ---- answering ---------------------------------------------------------------------------
    async def _answer(self, update: Update, question: str) -> None:
        """Rate limit, then retrieval off the event loop, then the reply; one question at a time per chat."""
        message = update.effective_message
        lang = self._lang(update, question)
        user = (update.effective_user or message.chat).id
        wait = self.limit.wait(user)
        if wait:  # told once; a flood of messages after it is ignored, so it holds nothing up
            if self.limit.tell(user, wait):
                await self._notice(message, say("rate_limited", lang, limit=self.limit.per_minute, wait=wait))
            return
        chat = await self._chat(message.chat.id)
        chat.language = answer_language = lang

        def ask() -> Answer:
            with self.live.using() as engine:  # the newest build; it stays on disk until this question ends
                chat.conversation.engine = engine
                return chat.conversation.ask(question)

        async with chat.lock:
            typing = asyncio.create_task(self._typing(message))
            try:
                answer = await asyncio.to_thread(ask)
            finally:
                typing.cancel()
            answer.language = answer_language  # the question's words, Telegram's language_code when they do not tell
            await self._send(message, True, chat, pack(answer_blocks(answer)), answer.sources[1:], lang)
            await self._remember(message.chat.id, chat)

    async def _send(self, where, quote: bool, chat: _Chat, texts: list[str], rest: list[Source], lang: str) -> None:
        """``texts`` in order into ``where``'s chat and forum topic, the first quoting ``where`` when ``quote`` (in
        groups); a "More sources" button under the last."""
        markup = self._more_button(chat, rest, lang)
        for i, text in enumerate(map(redact, texts)):  # a question may quote the token back at us
            last = markup if i == len(texts) - 1 else None
            if isinstance(where, Message):  # reply_text keeps the topic; Chat.send_message would post in General
                await where.reply_text(text, reply_markup=last, do_quote=None if quote and i == 0 else False)
            else:  # a message too old for the bot to see (Telegram tells no topic): its chat
                await where.chat.send_message(text, reply_markup=last)

    def _more_button(self, chat: _Chat, rest: list[Source], lang: str) -> InlineKeyboardMarkup | None:
        """A "More sources" button for ``rest``, labelled in ``lang``; the next one under its passage will be too."""
        if not rest:
            return None
        key = secrets.token_urlsafe(6)  # random: a button from before a restart must not hit another answer
        chat.more[key] = More(rest, lang)
        while len(chat.more) > 50:
            chat.more.popitem(last=False)
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

    async def _typing(self, message: Message) -> None:
        try:
            await message.reply_chat_action(ChatAction.TYPING)  # in the message's forum topic, as replies are
        except TelegramError as exc:
            log.debug("typing indicator failed: %s", exc)

    def _lang(self, update: Update, text: str | None = None) -> str:
        """The language to speak: ``text``'s, else the chat's last question's, else the user's Telegram language."""
        chat = self.chats.get(update.effective_chat.id) if update.effective_chat else None
        user = update.effective_user
        hint = (chat.language if chat else None) or (user.language_code if user else None)
        return detect(text or "", hint=hint)

    async def _chat(self, chat_id: int) -> _Chat:
        """The chat's state; one from before a restart is read back from ``memory`` (off the event loop)."""
        chat = self.chats.get(chat_id)
        if chat is None:
            saved = await asyncio.to_thread(self.memory.load, chat_id) if self.memory is not None else None
            chat = self.chats.get(chat_id)  # another update of the chat may have read it meanwhile
        if chat is None:
            chat = self.chats[chat_id] = _Chat(Conversation(self.engine, chat=f"telegram:{chat_id}"))
            if saved is not None:  # a chat from before a restart picks up where it was
                topic, more = saved
                if not chat.conversation.shared:  # else the database has it, maybe newer, from another replica
                    chat.conversation.topic = topic
                chat.more.update(more)
            while len(self.chats) > self.max_chats:
                self.chats.popitem(last=False)
        self.chats.move_to_end(chat_id)
        return chat

    async def _remember(self, chat_id: int, chat: _Chat) -> None:
        """Save the chat's topic and buttons, off the event loop: with a PostgreSQL store the topic is a query."""
        if self.memory is None:
            return
        async with chat.saving:  # in order, so an older state is never written over a newer one
            more = OrderedDict(chat.more)  # as it is now: the event loop changes it while the save runs
            await asyncio.to_thread(lambda: self.memory.save(chat_id, chat.conversation.topic, more))

    def _allowed(self, update: Update) -> bool:
        ids = {x.id for x in (update.effective_user, update.effective_chat) if x is not None}
        return bool(ids & self.allowed)

    @staticmethod
    def _spoken_to(message: Message) -> bool:
        command = (message.text or "").split(maxsplit=1)[0] if (message.text or "").startswith("/") else ""
        addressee = command.partition("@")[2].lower()
        for_us = command and addressee in ("", (message.get_bot().username or "").lower())
        return message.chat.type == "private" or bool(for_us) or _ToBot().filter(message)


# ---- the command ------------------------------------------------------------------------------
def run(args, make_engine: Callable[[], AnswerEngine]) -> int:
    """``citebot telegram``: serve until SIGTERM or SIGINT. The token comes only from TELEGRAM_BOT_TOKEN.

    ``make_engine`` loads the model and index; it runs after the settings are checked, so a
    missing token is reported at once rather than after the model loads.
    """
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise CitebotError("set TELEGRAM_BOT_TOKEN to the bot's token (from @BotFather) to run the Telegram bot")
    admins = parse_allowed(os.environ.get("CITEBOT_ADMINS"), "CITEBOT_ADMINS")
    feeds_every = getattr(args, "feeds_every", None)
    if feeds_every is not None and feeds_every <= 0:
        raise CitebotError("--feeds-every must be a positive number of minutes")
    engine = make_engine()
    index_dir = getattr(args, "index", None)
    updater = _updater(args) if index_dir is not None and (admins or feeds_every) else None
    memory = ChatMemory(index_dir / "chats.sqlite") if index_dir is not None else None
    bot = TelegramBot(engine, token, api_url=args.api_url, rate_limit=args.rate_limit,
                      allowed_chats=parse_allowed(os.environ.get("CITEBOT_ALLOWED_CHATS")),
                      webhook_url=args.webhook_url, listen=args.listen,
                      webhook_secret=os.environ.get("TELEGRAM_WEBHOOK_SECRET"),
                      admins=admins, updater=updater, memory=memory, feeds_every=feeds_every)
    logging.getLogger("citebot").setLevel(logging.INFO)
    warnings.filterwarnings("ignore", message=".*retry_after.*", category=PTBDeprecationWarning)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s citebot %(levelname)s %(name)s: %(message)s"))
    try:
        asyncio.run(_serve_until_signalled(bot))
    except InvalidToken:
        raise CitebotError("the Bot API refused TELEGRAM_BOT_TOKEN (unknown or revoked): check it with @BotFather") from None
    except (NetworkError, OSError) as exc:
        where = bot.api_url or "api.telegram.org"
        raise CitebotError(f"cannot reach the Bot API at {where}: {redact(str(exc))}") from None
    return 0


def _updater(args):
    """Adds for the admins and the feed job: the index is updated with an embedder of its own, so a build
    never touches the one questions use."""
    from index.add import ArticleAdder
    from index.models import make_embedder
    from index.fetch import Fetcher
    from index.update import CorpusUpdater

    from bot.cli import make_builder  # --store URI: admins' additions go into the PostgreSQL index

    builder = make_builder(args, make_embedder(getattr(args, "model", None)))
    return CorpusUpdater(ArticleAdder(args.corpus, Fetcher()), builder)


async def _serve_until_signalled(bot: TelegramBot) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await bot.serve(bot.application(), stop)
