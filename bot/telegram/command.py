"""``citebot telegram``: checks the settings, wires engine, updater and memory into the bot, serves until a signal."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import warnings
from collections.abc import Callable
from pathlib import Path

from telegram.error import InvalidToken, NetworkError
from telegram.warnings import PTBDeprecationWarning

from bot.answer import AnswerEngine
from bot.memory import ChatMemory, move_database
from bot.telegram.access import parse_allowed
from bot.telegram.bot import REFUSED_TOKEN, TelegramBot, checked_settings
from bot.telegram.rate_limit import RateLimit
from bot.telegram.redaction import redact
from index.errors import CitebotError
from index.watch import watch_seconds

log = logging.getLogger("citebot.telegram")

TELEGRAM_FILE_BYTES = 20_000_000  # the largest file the Bot API lets a bot download (getFile)


def run(args, make_engine: Callable[[], AnswerEngine]) -> int:
    """``citebot telegram``: serve until SIGTERM, SIGINT or SIGHUP. The token comes only from TELEGRAM_BOT_TOKEN.

    ``make_engine`` loads the model and index; it runs after the settings are checked, so a
    missing token is reported at once rather than after the model loads.
    """
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise CitebotError("set TELEGRAM_BOT_TOKEN to the bot's token (from @BotFather) to run the Telegram bot")
    webhook_secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET")
    checked_settings(token, args.api_url, args.webhook_url, args.listen, webhook_secret)
    admins = parse_allowed(os.environ.get("CITEBOT_ADMINS"), "CITEBOT_ADMINS")
    allowed = parse_allowed(os.environ.get("CITEBOT_ALLOWED_CHATS"))
    feeds_every = getattr(args, "feeds_every", None)
    if feeds_every is not None and feeds_every <= 0:
        raise CitebotError("--feeds-every must be a positive number of minutes")
    RateLimit(args.rate_limit)  # a limit under 1 is refused here too, not after the build and the model's load
    watch_every = watch_seconds() or None  # a bad CITEBOT_WATCH_SECONDS is refused before the model's load too
    engine = make_engine()
    index_dir = getattr(args, "index", None)
    updater = _updater(args) if index_dir is not None and (admins or feeds_every or watch_every) else None
    if updater is not None and getattr(updater.builder, "foreign", None) is not None and updater.builder.foreign():
        updater = _without_updater(args, updater, feeds_every)
    memory = _memory(index_dir, token) if index_dir is not None else None
    bot = TelegramBot(engine, token, api_url=args.api_url, rate_limit=args.rate_limit,
                      allowed_chats=allowed,
                      webhook_url=args.webhook_url, listen=args.listen,
                      webhook_secret=webhook_secret,
                      admins=admins, updater=updater, memory=memory, feeds_every=feeds_every,
                      watch_every=watch_every if updater is not None else None,
                      # an admin's file as large as a page /add fetches: it was refused over 5 MB whatever --max-bytes
                      max_file_bytes=min(getattr(args, "max_bytes", 5_000_000), TELEGRAM_FILE_BYTES))
    logging.getLogger("citebot").setLevel(logging.INFO)
    warnings.filterwarnings("ignore", message=".*retry_after.*", category=PTBDeprecationWarning)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s citebot %(levelname)s %(name)s: %(message)s"))
    _take_over_chats(engine, token)
    try:
        asyncio.run(_serve_until_signalled(bot))
    except InvalidToken:
        raise CitebotError(REFUSED_TOKEN) from None
    except (NetworkError, OSError) as exc:
        where = bot.api_url or "api.telegram.org"
        raise CitebotError(f"cannot reach the Bot API at {where}: {redact(str(exc))}") from None
    return 0


def _memory(index_dir: Path, token: str) -> ChatMemory | None:
    """The bot's own chats file, named by its id (the token's digits): two bots over one index are spoken to in the
    same chat ids (a user's private chat has the user's id with each). A chats.sqlite from before is the first bot's.
    None for a token that is no bot token (refused just after)."""
    bot = token.partition(":")[0]
    if not bot.isdigit():
        return None
    path, before = index_dir / f"chats-{bot}.sqlite", index_dir / "chats.sqlite"
    if before.exists() and not path.exists():
        try:
            move_database(before, path)
        except OSError as exc:
            log.warning("cannot take over %s (%s): conversations start afresh in %s", before, exc.strerror, path.name)
    return ChatMemory(path)


def _take_over_chats(engine, token: str) -> None:
    """A PostgreSQL store's conversations from before they were kept per bot (keyed ``telegram:CHAT``, which two bots
    over one database shared) become the first bot's to start, as a chats.sqlite from before does."""
    chats = getattr(getattr(engine, "store", None), "chats", None)
    bot = token.partition(":")[0]
    if chats is None or not bot.isdigit():
        return
    taken = chats.take_over("telegram:", f"telegram:{bot}:")  # none when the database refuses writes (said once)
    if taken:
        log.info("took over %d conversations saved before they were kept per bot", taken)


def _updater(args):
    """Adds for the admins and the feed job: the index is updated with an embedder of its own, so a build
    never touches the one questions use."""
    from index.add import ArticleAdder
    from index.feeds import FeedList
    from index.models import make_embedder
    from index.fetch import Fetcher
    from index.update import CorpusUpdater

    from bot.cli import make_builder  # --store URI: admins' additions go into the PostgreSQL index

    try:
        fetcher = Fetcher(max_bytes=args.max_bytes)  # without it, a feed over 25 MB was never read by the bot
    except ValueError as exc:
        raise CitebotError(str(exc)) from None
    builder = make_builder(args, make_embedder(getattr(args, "model", None)))
    # the feeds `citebot feeds add` follows: a PostgreSQL builder's own folder is a cache, not --index
    return CorpusUpdater(ArticleAdder(args.corpus, fetcher), builder, FeedList(args.index))


def _without_updater(args, updater, feeds_every):
    """No adds, feed polls nor watch where ./corpus is there by default, named by no --corpus nor CITEBOT_CORPUS, and
    the store's live build is not one this machine made from it (a checkout's sample articles): an admin's article or
    a feed's went into that folder, and the store was built from it, every replica's articles lost. With
    --feeds-every the bot is refused (exit code 2), as `citebot feeds update` is; else said once."""
    from bot.cli import _Refused
    from bot.messages import say

    builder = updater.builder
    folder = str(Path(args.corpus).resolve())
    builder.close()
    if feeds_every is not None:
        raise _Refused(say("store_not_written_from_default_corpus", "en", store=builder.label, folder=folder,
                           corpus=str(args.corpus)))
    log.warning("%s holds a build this machine did not make from %s, the default corpus folder, which no --corpus or "
                "CITEBOT_CORPUS named: answering from that build; admins' adds and the corpus folder's watch are off: "
                "name the store's corpus folder with --corpus DIR or CITEBOT_CORPUS to have them", builder.label, folder)
    return None


async def _serve_until_signalled(bot: TelegramBot) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # SIGHUP (its terminal closed) as SIGTERM: the questions in hand are answered; not where nohup has it ignored
    hangup = [signal.SIGHUP] if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN else []
    for sig in (signal.SIGINT, signal.SIGTERM, *hangup):
        loop.add_signal_handler(sig, stop.set)
    await bot.serve(bot.application(), stop)
