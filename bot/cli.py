"""The ``citebot`` command: build the index, ask questions, chat. Errors become one line.

    citebot ask "where is the summit?"
    citebot chat
    citebot index --corpus ./corpus
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import re
import sys
from pathlib import Path

from bot import UNNAMED_CORPUS  # the --corpus of a command that named none (see there)
from index.errors import CitebotError

log = logging.getLogger("citebot")
LISTEN = "127.0.0.1:8443"  # where a webhook's server listens when --listen is not given
EPILOG_ASK = """examples:
  citebot ask "where is the summit?"
  citebot ask --json "who visited Kyiv?"
  citebot ask "Де відбудеться саміт?"           in Ukrainian, Romanian or Russian too
  citebot ask --model all-MiniLM-L6-v2 --index .citebot-minilm "where is the summit?"
                                                English only, faster; an index of its own
  printf 'where is the summit?\\nwho visited Kyiv?\\n' | citebot ask --json -
"""
EPILOG_CHAT = """examples:
  citebot chat                      interactive; /sources lists the articles, /reset (or /new) forgets the
                                    context, /quit leaves
  printf 'Where is the summit?\\nAnd when is it?\\n' | citebot chat --json
"""
EPILOG_TELEGRAM = """examples:
  TELEGRAM_BOT_TOKEN=123:abc citebot telegram
  TELEGRAM_BOT_TOKEN=123:abc TELEGRAM_WEBHOOK_SECRET=$(openssl rand -hex 32) \\
      citebot telegram --webhook-url https://bot.example.org/citebot --listen 0.0.0.0:8443
"""
EPILOG_EVAL = """examples:
  citebot eval ../shared/eval/seed_dev.jsonl
  citebot eval --corpus ../shared/eval/squad/corpus --index .citebot-squad --compare \\
      ../shared/eval/squad/questions/test.jsonl
"""
EPILOG_ADD = """examples:
  citebot add https://news.example.org/2026/11/20/summit
  citebot add ~/Downloads/report.html notes.txt annual-report.pdf draft.docx "Summit opens.mhtml"
"""
EPILOG_REMOVE = """examples:
  citebot remove 127.0.0.1/2026-11-20-tallinn-harbour-tunnel-to-open-in-march-caffc7.md
  citebot remove https://news.example.org/2026/11/20/summit      the link it was added from
  citebot remove notes.txt                                       the file it was added from
"""
EPILOG_FEEDS = """examples:
  citebot feeds add https://news.example.org/rss.xml
  citebot feeds add subscriptions.opml     (every feed of a feed reader's OPML export)
  citebot feeds list
  citebot feeds list --opml > feeds.opml   (to move them to another machine or feed reader)
  citebot feeds remove https://news.example.org/rss.xml
  citebot feeds update                     (cron it, or run `citebot telegram --feeds-every 30`)
  citebot feeds update https://news.example.org/rss.xml   (that feed alone, now: one resting, its server mended)
"""


def _feeds_help(action: str, description: str) -> dict:
    """A feeds action's description and its own lines of EPILOG_FEEDS as its examples."""
    examples = [line for line in EPILOG_FEEDS.splitlines() if line.startswith(f"  citebot feeds {action}")]
    return {"description": description, "epilog": "examples:\n" + "".join(f"{line}\n" for line in examples),
            "formatter_class": argparse.RawDescriptionHelpFormatter}


EPILOG_INDEX = """examples:
  citebot index
  citebot index --corpus ~/articles --index ~/.local/share/citebot/index
"""


def _folder(value: str) -> Path:
    """A --corpus or --index value: an empty one (an unset shell variable) would mean the current folder."""
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return Path(value)


def _model(value: str) -> str:
    """A --model value, a packaged model's name in any case."""
    from index.models import canonical

    return canonical(value)


class _Typed(argparse._StoreAction):
    """An option whose value may come from the environment: ``DEST_typed`` says it was typed (for the error line)."""

    def __call__(self, parser, namespace, values, option_string=None):
        super().__call__(parser, namespace, values, option_string)
        setattr(namespace, f"{self.dest}_typed", True)


def _from_environment(args, message: str) -> str:
    """" (CITEBOT_MODEL=foo in the environment)" after an error ``message`` naming a model the environment named, not
    the command line: "no model 'foo' is here" left a user to guess where 'foo' came from (a shell's profile)."""
    import shlex

    model, named = getattr(args, "model", None), os.environ.get("CITEBOT_MODEL")
    if not model or not named or getattr(args, "model_typed", False) or repr(model) not in message:
        return ""
    return f" (CITEBOT_MODEL={shlex.quote(named)} in the environment)"


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    corpus = os.environ.get("CITEBOT_CORPUS")
    common.add_argument("--corpus", type=_folder, default=Path(corpus) if corpus else UNNAMED_CORPUS,
                        help="folder of articles (.txt .md .html .htm .mhtml .mht .pdf .docx .jsonl), read recursively "
                             "[env CITEBOT_CORPUS, default ./corpus]")
    common.add_argument("--index", type=_folder, default=Path(os.environ.get("CITEBOT_INDEX") or ".citebot"),
                        help="index folder [env CITEBOT_INDEX, default ./.citebot]")
    common.add_argument("--store", default=os.environ.get("CITEBOT_STORE") or None, metavar="URI",
                        help="keep the index in PostgreSQL + pgvector instead of --index, e.g. "
                             "postgresql://citebot@db:5432/citebot [env CITEBOT_STORE]")
    common.add_argument("--model", type=_model, action=_Typed, default=os.environ.get("CITEBOT_MODEL") or None,
                        help="all-MiniLM-L6-v2 (English questions only, faster), or a "
                             "sentence-transformers model name or folder: building an index of either needs the "
                             "minilm extra, pip install 'citebot[minilm]' "
                             "[env CITEBOT_MODEL, default: multilingual-e5-small, which reads questions "
                             "in Ukrainian, Romanian and Russian too and needs no extra]")
    # a string default: argparse converts it only when it is used, so a bad variable is a usage error, not a traceback
    common.add_argument("--wait", type=_seconds, default=os.environ.get("CITEBOT_BUILD_WAIT") or None, metavar="SECONDS",
                        help="seconds a build waits for another build of the same index to finish, then gives up "
                             "in one line (0: not at all) [env CITEBOT_BUILD_WAIT, default: as long as that build takes]")
    return common


def _seconds(value: str) -> float:
    """A --wait value: seconds, 0 or more."""
    return _amount(value, "a number of seconds, 0 or more", zero=True)


def _minutes(value: str) -> float:
    """A --feeds-every value: minutes, more than 0."""
    return _amount(value, "a positive number of minutes", zero=False)


def _amount(value: str, kind: str, zero: bool) -> float:
    """``value`` as a finite number more than 0 (or 0 itself, with ``zero``); else a usage error saying it must be
    ``kind`` (nan, compared as no interval at all, is none either)."""
    try:
        amount = float(value)
    except ValueError:
        amount = float("nan")
    if not (0 <= amount if zero else 0 < amount) or amount == float("inf"):
        raise argparse.ArgumentTypeError(f"must be {kind}, not {value!r}")
    return amount


def _per_minute(value: str) -> int:
    """A --rate-limit value (or CITEBOT_RATE_LIMIT's): questions a minute, 1 or more."""
    try:
        limit = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {value!r}") from None
    if limit < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 question a minute, not {value!r}")
    return limit


def _release() -> str:
    """The installed release of citebot, as its package metadata names it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("citebot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


class _Version(argparse.Action):
    """`--version`: prints the release, read from the package metadata only when asked (not at every run: 30-50 ms)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"citebot {_release()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """argparse's parser, its usage errors said in the locale's language (``bot.messages.USAGE_ERRORS``) after its
    English "usage:" line and "citebot ask: error: ", which tools and grep read; its help stays English."""

    def error(self, message: str):
        from bot.messages import usage_error

        super().error(usage_error(message, _locale_language()))

    def parse_known_args(self, args=None, namespace=None):
        self._typed = list(sys.argv[1:] if args is None else args)  # for _check_value: the words after a choice
        return super().parse_known_args(args, namespace)

    def _check_value(self, action, value):
        """A value that is none of the choices (`citebot chta`, `feeds lst`, `--index-type flt`) is told the choice it
        is closest to, if one is close, as Python 3.14's argparse can tell it; else argparse's own check. Words typed
        after a command close to none that takes words (`citebot what is the summit?`: not 'chat'), or a command of
        several words (`citebot "where is the summit?"`), are a question typed without `ask`: told how to ask it."""
        if action.choices is not None and isinstance(value, str) and value not in action.choices:
            import difflib
            import itertools
            import shlex

            typed = getattr(self, "_typed", [])
            words = list(itertools.takewhile(lambda word: not word.startswith("-"),
                                             typed[typed.index(value) + 1:] if value in typed else []))
            choices = [choice for choice in action.choices if isinstance(choice, str) and not (
                words and isinstance(action, argparse._SubParsersAction)
                and all(each.option_strings for each in action.choices[choice]._actions))]  # none that takes no words
            closest = difflib.get_close_matches(value, choices, 1)
            listed = ", ".join(map(repr, action.choices))
            if closest:
                raise argparse.ArgumentError(action, argparse._(
                    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)") % {
                    "value": value, "closest": closest[0], "choices": listed})
            if action.dest == "command" and (words or len(value.split()) > 1):
                raise argparse.ArgumentError(action, argparse._(
                    "invalid choice: %(value)r (choose from %(choices)s); to ask a question: citebot ask %(question)s")
                    % {"value": value, "choices": listed, "question": shlex.quote(" ".join([value, *words]))})
        super()._check_value(action, value)


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(
        prog="citebot", description="Ask questions of a pile of articles; get the exact source text, cited.",
        epilog='start with:  citebot ask "where is the summit?"', formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version,
                        help="print the release of citebot and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("index", parents=[common], help="build or refresh the index", epilog=EPILOG_INDEX,
                       formatter_class=raw, description="Build the index from the corpus (reusing unchanged files).")
    p.add_argument("--index-type", choices=("flat", "ivf", "hnsw", "ivfsq8"), default=None,
                   help="the vector index: exact (flat), inverted file (ivf), graph (hnsw) or an 8-bit compressed "
                        "inverted file (ivfsq8, a quarter of ivf's size) [default: the index's current one, else "
                        "flat up to 100,000 passages and ivf above]; later updates keep it")
    p.set_defaults(run=cmd_index)

    fetching = argparse.ArgumentParser(add_help=False)
    fetching.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for a server [default 15]")
    fetching.add_argument("--max-bytes", type=int, default=5_000_000,
                          help="largest page or file accepted, in bytes [default 5000000]; a feed may be "
                               "25000000, or this if larger")

    p = sub.add_parser("add", parents=[common, fetching], help="add articles from URLs or files, then update the index",
                       epilog=EPILOG_ADD, formatter_class=raw,
                       description="Fetch pages, PDFs and Word documents (or copy .txt .md .html .mhtml .pdf .docx "
                                   "files) into the corpus as Markdown with their title, date, author and URL, skipping "
                                   "stories already there (a link stored before is fetched again and, when corrected, "
                                   "updated in place), and update the index.")
    p.add_argument("targets", nargs="+", metavar="URL|PATH", help="http(s) URLs or local files")
    p.set_defaults(run=cmd_add)

    p = sub.add_parser("remove", parents=[common], help="remove articles from the corpus, then update the index",
                       epilog=EPILOG_REMOVE, formatter_class=raw,
                       description="Delete articles from the corpus folder, each named by its id (as citations show it), "
                                   "the link it was added from, or its file's name, and update the index.")
    p.add_argument("targets", nargs="+", metavar="ID|URL|FILE", help="article ids, links or file names")
    p.set_defaults(run=cmd_remove)

    p = sub.add_parser("feeds", help="follow RSS/Atom/JSON feeds: add, list, remove, update", epilog=EPILOG_FEEDS,
                       formatter_class=raw, description="Follow RSS, Atom and JSON feeds; `update` adds their new articles.")
    feeds = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    f = feeds.add_parser("add", parents=[common, fetching], help="follow a feed, or every feed an OPML file lists",
                         **_feeds_help("add", "Follow a feed, or every feed an OPML file (a feed reader's export) lists."))
    f.add_argument("url", metavar="URL|OPML", help="the feed's URL, or an OPML file (or its URL) listing feeds")
    f.set_defaults(run=cmd_feeds_add)
    f = feeds.add_parser("list", parents=[common], help="the feeds followed",
                         **_feeds_help("list", "The feeds followed: items taken, failing, given up and left for the next "
                                               "update, when last checked."))
    f.add_argument("--opml", action="store_true",
                   help="write them as an OPML 2.0 list instead, for a feed reader or another citebot to import")
    f.set_defaults(run=cmd_feeds_list)
    f = feeds.add_parser("remove", parents=[common], help="stop following a feed (its articles stay)",
                         **_feeds_help("remove", "Stop following a feed; the articles taken from it stay in the corpus."))
    f.add_argument("url", help="the feed's URL, as `citebot feeds list` shows it")
    f.set_defaults(run=cmd_feeds_remove)
    f = feeds.add_parser("update", parents=[common, fetching], help="add every feed's new articles, update the index",
                         **_feeds_help("update", "Add every feed's new articles to the corpus (or those of the feeds named, "
                                                 "each tried now), then update the index once."))
    f.add_argument("urls", nargs="*", metavar="URL",
                   help="only these feeds, as `citebot feeds list` shows them, each tried now even if unreadable for a "
                        "while and not due a try (still failing, its next try stays where it was) [default: every feed, "
                        "as due]")
    f.set_defaults(run=cmd_feeds_update)

    p = sub.add_parser("ask", parents=[common],
                       help="answer a question, or two asked together (or each stdin line's with -)",
                       epilog=EPILOG_ASK, formatter_class=raw,
                       description="Answer a question with the sentence that answers it, cited.")
    p.add_argument("question", nargs="*", help="the question, or - to read the questions of each stdin line in turn "
                                               "(as when none is given and stdin is not a terminal)")
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p.set_defaults(run=cmd_ask)

    p = sub.add_parser("chat", parents=[common], help="a conversation: follow-ups keep their context",
                       epilog=EPILOG_CHAT, formatter_class=raw,
                       description="Chat with the corpus; a follow-up is read in the context of the last question.")
    p.add_argument("--json", action="store_true", help="read turns from stdin, print one JSON object per turn")
    p.set_defaults(run=cmd_chat)

    p = sub.add_parser("telegram", parents=[common], help="run the Telegram bot (token from TELEGRAM_BOT_TOKEN)",
                       formatter_class=raw, epilog=EPILOG_TELEGRAM,
                       description="Answer questions in Telegram chats by long polling, or by webhook.")
    p.add_argument("--api-url", default=os.environ.get("TELEGRAM_API_URL") or None,
                   help="Bot API server base URL, e.g. a local Bot API server "
                        "[env TELEGRAM_API_URL, default: Telegram's]")
    p.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to (webhook mode)")
    p.add_argument("--listen", help=f"HOST:PORT the webhook server listens on, with --webhook-url [default {LISTEN}]")
    p.add_argument("--feeds-every", type=_minutes, metavar="MINUTES",
                   help="run `citebot feeds update` every MINUTES while serving [default: never]")
    p.add_argument("--max-bytes", type=int, default=5_000_000,
                   help="largest page an admin's /add fetches, or file an admin sends (a file at most 20000000, "
                        "what Telegram lets a bot download), in bytes [default 5000000]; a feed --feeds-every "
                        "reads may be 25000000, or this if larger")
    # a string default: argparse converts it only for this command, so a bad variable is its usage error alone
    p.add_argument("--rate-limit", type=_per_minute, default=os.environ.get("CITEBOT_RATE_LIMIT") or "20",
                   help="questions per user per minute [env CITEBOT_RATE_LIMIT, default 20]")
    p.set_defaults(run=cmd_telegram)

    p = sub.add_parser("eval", parents=[common], help="measure answer quality on a question file",
                       formatter_class=raw, epilog=EPILOG_EVAL,
                       description="Answer recall@1/@5, MRR@10, answer-sentence accuracy, not-found rate, follow-ups.")
    p.add_argument("file", type=Path, help="questions, JSON lines (see ../shared/eval/README.md); - reads them from standard input")
    p.add_argument("--compare", action="store_true", help="also run bm25-only and dense-only on the same passages")
    p.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
    p.add_argument("--plot", type=Path, metavar="PNG",
                   help="write the risk-coverage curve and the reliability diagram of the confidence to PNG")
    p.add_argument("--absent", type=Path, metavar="FILE", help="also ask these questions, all scored as 'not found'")
    p.add_argument("--ontopic", type=Path, metavar="FILE",
                   help="also ask these on-topic questions the corpus does not answer ('not found' is right)")
    p.add_argument("--unanswerable", type=Path, metavar="FILE",
                   help="also ask these SQuAD 2.0 unanswerable questions (those of the articles not trained on)")
    p.add_argument("--holdout", action="store_true",
                   help="also ask each row that has a `doc` with its whole article removed (a not-found question)")
    p.add_argument("--threshold", type=float, help="not-found confidence threshold [default: the engine's]")
    p.add_argument("--max-drop", type=float, default=0.015,
                   help="recall@1 loss allowed when suggesting a threshold [default 0.015]")
    p.set_defaults(run=cmd_eval)
    for command in sub.choices.values():  # a command's own check of its arguments ends as argparse's do (exit code 2)
        command.set_defaults(usage_error=command.error)
    return parser


# ---- wiring ------------------------------------------------------------------------------
_ctrl_c_line_ended = False


def _end_the_line_of_ctrl_c() -> None:
    """After Ctrl-C, which a terminal echoes as "^C" where its cursor stood: what follows (a last word, the shell's
    prompt) on a line of its own. Once, and only on a terminal: a file or a pipe saw no "^C"."""
    global _ctrl_c_line_ended
    for stream in (sys.stderr, sys.stdout):
        if not _ctrl_c_line_ended and stream.isatty():
            print(file=stream, flush=True)
            _ctrl_c_line_ended = True


def _say(message: str) -> None:
    print(f"citebot: {message}", file=sys.stderr, flush=True)


# Errors a user meets before any answer (no corpus folder, no article in it), whose key names their whole line, said
# in the language of the locale (or of the chat): not a reason inside an English line ("cannot add URL: …").
ERRORS_SAID_WHOLE = frozenset({"no_corpus_folder", "no_articles_yet", "no_usable_articles", "cannot_follow",
                               "not_following"})


def _error(exc: CitebotError, hint=None) -> str:
    """``exc`` as its line says it after "citebot: error: " (which stays English, for grep): in the language of
    ``hint`` (a language, or the chat's languages), else of the locale, where it is one of ``ERRORS_SAID_WHOLE``."""
    if getattr(exc, "key", None) not in ERRORS_SAID_WHOLE:
        return str(exc)
    from bot.language import detect
    from bot.messages import explain

    return explain(exc, str(exc), detect("", hint=hint or _terminal_language()))


def _report_build(event, lang: str = "en") -> None:
    """What citebot says while it builds the index, in ``lang``: ``citebot ask``/``chat``'s in the locale's language (as
    their first errors), the Telegram bot's log (and eval's) in English, the operator's."""
    from bot.messages import say

    if event in ("missing", "stale", "outdated"):  # outdated: after an upgrade (or a rollback), little is embedded
        _say(say(f"index_{event}", lang))
    elif event.articles:  # an index of none (a chat opened in an empty corpus folder): each question says so
        _say(_built(event, lang, skipped=True))


def _built(report, lang: str, skipped: bool = False) -> str:
    """"indexed 2 articles into 2 passages in 0.3 s (1 passage embedded)" in ``lang``: what ``report`` built (and
    with ``skipped``, how many files it skipped)."""
    from bot.messages import articles, number, passages, say

    seconds = f"{report.seconds:.1f}" if lang == "en" else f"{report.seconds:.1f}".replace(".", ",")
    skips = say("index_skipped", lang, count=number(len(report.skipped), lang)) if skipped and report.skipped else ""
    return say("index_built", lang, articles=articles(report.articles, lang), passages=passages(report.passages, lang),
               seconds=seconds, embedded=passages(report.embedded_passages, lang), skipped=skips)


def open_engine(args, announce: bool = True, live: bool = False, none_yet: bool = False, in_locale: bool = False):
    """The answer engine over a fresh index for ``args`` (building it first when needed), said in the locale's language
    with ``in_locale`` (a reader's ``citebot ask``/``chat``), else in English (the Telegram bot's log, the operator's).

    ``live``: a ``bot.live.LiveEngine`` that moves to each new build of the index as it appears. ``none_yet``: a corpus
    folder with no article yet and no index gets an index of none, not NoArticles (each question is told so).
    """
    from bot.answer import AnswerEngine
    from bot.calibration import engine_settings
    from index.build import open_index
    from index.models import make_embedder
    from index.search import Searcher

    embedder = make_embedder(args.model)
    builder = make_builder(args, embedder)
    builder.none_yet = none_yet
    from bot.language import detect

    lang = detect("", hint=_terminal_language()) if in_locale else "en"
    store = open_index(builder, on_build=(lambda event: _report_build(event, lang)) if announce else None)
    settings = engine_settings(embedder.model)
    engine = AnswerEngine(Searcher(store, embedder), **settings)
    if live and not getattr(args, "store", None):
        from bot.live import LiveEngine

        return LiveEngine(args.index, lambda new: AnswerEngine(Searcher(new, embedder), **settings), engine,
                          model=embedder.model, corpus=args.corpus)
    return engine  # a PostgreSQL store moves to new builds by itself (PgStore.refresh, before each question)


def make_builder(args, embedder):
    """The builder for ``--store URI`` (PostgreSQL) when given, else for the ``--index`` folder."""
    from index.build import IndexBuilder

    if getattr(args, "store", None):
        from index.pg_store import is_store_uri

        if not is_store_uri(args.store):
            scheme = args.store.split("://", 1)[0] if "://" in args.store else None  # the rest may hold a password
            raise CitebotError("--store must be a postgresql://USER@HOST:PORT/DB address, not "
                               + (f"a {scheme}:// one" if scheme is not None else "that"))
        from index.pg_build import PgIndexBuilder

        if getattr(args, "index_type", None):
            raise CitebotError("--index-type is for an index folder; a PostgreSQL store uses pgvector's HNSW index")
        builder = PgIndexBuilder(args.corpus, args.store, embedder)
        # ./corpus by default is not taken for the store's corpus till this machine builds it from there (a question's,
        # a bot's, an evaluation's), and an add, a remove, a feed update or a bot's admin does not write into it
        # (``_index_updater``, bot.telegram): by `citebot index` alone, the command that says it builds from it
        builder.corpus_named = args.corpus is not UNNAMED_CORPUS or getattr(args, "command", None) == "index"
    else:
        builder = IndexBuilder(args.corpus, args.index, embedder, index_type=getattr(args, "index_type", None))
    builder.wait = getattr(args, "wait", None)
    return builder


# ---- commands ----------------------------------------------------------------------------
def cmd_index(args) -> int:
    from index.models import make_embedder

    lang = _locale_language()  # the files skipped listed in the reader's language, as the build's warnings say them
    builder = make_builder(args, make_embedder(args.model))
    report = builder.build(progress=sys.stderr.isatty(), emptied=True)
    print(f"indexed {_articles(report.articles)} into {_passages(report.passages)} in {report.seconds:.1f} s "
          f"({_passages(report.embedded_passages)} embedded, {len(report.skipped)} skipped) -> "
          f"{getattr(builder, 'label', args.index)}")
    for skipped in report.skipped:
        print(f"  {_skip_said('cli_skipped', skipped, lang)}")
    return 0


def _adder(args):
    from index.add import ArticleAdder

    try:
        return ArticleAdder(args.corpus, _fetcher(args))
    except ValueError as exc:
        raise CitebotError(str(exc)) from None


def _fetcher(args):
    """The fetcher of ``--timeout`` and ``--max-bytes``; a bad setting is one error line."""
    from index.fetch import Fetcher

    try:
        return Fetcher(timeout=args.timeout, max_bytes=args.max_bytes)
    except ValueError as exc:
        raise CitebotError(str(exc)) from None


def _index_updater(args):
    """The builder that updates the index after an add, refusing first an index of another model than ``--model``'s
    (it would be rebuilt whole with this one, and every reader of its own model would then refuse it)."""
    from index.models import make_embedder

    builder = make_builder(args, make_embedder(args.model))
    builder.require_model()
    if getattr(builder, "foreign", None) is not None and builder.foreign():
        # ./corpus by default where the store was not built from it here (a checkout's sample articles): writing into it
        # and building the store from it lost every replica's articles
        from bot.messages import say

        raise _Refused(say("store_not_written_from_default_corpus", _locale_language(), store=builder.label,
                           folder=str(args.corpus.resolve()), corpus=str(args.corpus)))
    return builder


class _Refused(CitebotError):
    """A command refused before it changed anything, for what it must be told (a usage error: exit code 2). Known by
    ``usage``, not its class: `python -m bot.cli` runs this module as __main__, and a module importing bot.cli again
    (the Telegram bot's) raises the other copy's."""

    usage = True


def _stale(builder) -> bool:
    """True when the index is behind the corpus, or cannot be checked (a build then says why); not when there is none
    yet (the first question builds it)."""
    try:
        return builder.status() == "stale"
    except CitebotError:
        return True


def _update_index(builder, emptied: bool = False) -> None:
    report = builder.build(progress=sys.stderr.isatty(), if_stale=True, emptied=emptied)
    if not report.articles:  # the last one removed: the index holds none, and a question is told so
        print("the index holds no articles now; add some with `citebot add URL|FILE`", flush=True)
        return
    print(f"indexed {_articles(report.articles)} into {_passages(report.passages)} in {report.seconds:.1f} s "
          f"({_passages(report.embedded_passages)} embedded)", flush=True)


def _passages(n: int) -> str:
    return f"{n} passage{'' if n == 1 else 's'}"


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def _added_line(added) -> str:
    """"added: TITLE, DATE (N passages) -> FILE" (or "updated: …", "already known: …"), each control character of the
    article's title or file name as U+FFFD: a title an article gave itself cannot clear the screen or retitle the
    terminal."""
    from index.documents import one_line

    title = one_line(f"{added.title}{', ' + added.date if added.date else ''}")
    if added.updated:
        return f"updated: {title} ({one_line(added.rel)})"
    if added.is_new:
        return f"added: {title} ({_passages(added.passages)}) -> {one_line(added.rel)}"
    return f"already known: {title} ({one_line(added.duplicate_of)})"


def cmd_add(args) -> int:
    from bot.messages import say
    from index.add import AddError
    from index.documents import one_line

    lang = _locale_language()  # why one was not added: in the reader's language, as `citebot ask` answers
    adder, failed, new = _adder(args), 0, 0
    builder = _index_updater(args)
    for target in args.targets:
        try:
            added = adder.add(target)
        except AddError as exc:
            # on one line, as remove's: a name pasted with its line break ("notes\nfrom monday.txt") split it in two
            why = say("cli_cannot_add", lang, what=exc.what, reason=_reason(exc, exc.reason, lang))
            _say(f"error: {one_line(why)}")
            failed += 1
            continue
        new += added.is_new or added.updated
        print(_added_line(added), flush=True)
    # Built when stale even for articles there already: an add whose build failed once they were stored (the database
    # away, a full disk) left them out of the index, and adding them again said "already known" and left them out still.
    if new or (failed < len(args.targets) and _stale(builder)):
        _update_index(builder)
    return 1 if failed else 0


def _reason(exc: CitebotError, english: str, lang: str) -> str:
    """Why ``exc`` (an add's or a remove's error), in ``lang``: ``english``, the index's, for English (it names the
    command line's commands, "citebot remove ID"); else its words in ``bot.messages.REASONS``, where it has them."""
    from bot.messages import explain

    return english if lang == "en" else explain(exc, english, lang, command_line=True)


def _unfinished_remove(builder) -> bool:
    """Whether the index holds a file the corpus folder no longer has: a remove whose build failed once the file was
    deleted (the database away, a full disk) left its article in the index, and removing it again found no such article
    and built nothing."""
    from index.documents import corpus_paths

    try:
        return bool(set((builder.built() or {}).get("files", {})) - set(corpus_paths(builder.corpus_dir)))
    except (OSError, CitebotError):  # the corpus folder away: nothing to finish here
        return False


def cmd_remove(args) -> int:
    from index.add import ArticleAdder
    from index.documents import one_line
    from index.remove import RemoveError, remove

    lang = _locale_language()
    adder, failed, removed, missing = ArticleAdder(args.corpus), 0, 0, False
    builder = _index_updater(args)
    for target in args.targets:
        try:
            gone = remove(adder, target)
        except RemoveError as exc:
            _say(f"error: {one_line(_reason(exc, str(exc), lang))}")
            failed += 1
            missing = missing or exc.key == "not_in_corpus"
            continue
        removed += 1
        if gone.skipped is not None:
            print(f"removed: {one_line(gone.id)}, a file the build skipped ({one_line(gone.skipped.reason)})", flush=True)
            continue
        print(f"removed: {one_line(gone.title + (', ' + gone.date if gone.date else ''))} ({one_line(gone.id)})",
              flush=True)
    if removed or (failed < len(args.targets) and _stale(builder)) or (missing and _unfinished_remove(builder)):
        _update_index(builder, emptied=bool(removed))
    return 1 if failed else 0


def cmd_feeds_add(args) -> int:
    from index.feeds import FeedList, ListOfFeeds
    from index.opml import listed, listed_in, names_file

    feeds, fetcher = FeedList(args.index), _fetcher(args)
    if names_file(args.url):
        return _follow_listed(feeds, fetcher, listed(args.url), args.url)
    try:
        feed, new = feeds.follow(args.url, fetcher)
    except ListOfFeeds as given:
        return _follow_listed(feeds, fetcher, listed_in(given.values["body"], args.url), args.url)
    print(_following_line(feed, new, _locale_language()))
    return 0


def _following_line(feed: dict, new: bool, lang: str) -> str:
    """"following: FEED" (or "already following: …") in ``lang``, the locale's language."""
    from bot.messages import say
    from index.feeds import next_try

    if not new and next_try(feed):  # followed again to have it tried now: said how
        return say("feeds_already_following_resting", lang, feed=_feed_name(feed), url=feed["url"],
                   since=feed.get("unreadable_since") or "then", next=next_try(feed))
    return say("feeds_following" if new else "feeds_already_following", lang, feed=_feed_name(feed))


def _follow_listed(feeds, fetcher, urls: list[str], name: str) -> int:
    """Follow each feed of an OPML list, a line for each (a refused one's on stderr, saying why), then a summary."""
    from bot.messages import number, say
    from index.documents import one_line

    lang = _locale_language()
    new = known = refused = 0
    for url, followed in feeds.follow_each(urls, fetcher):  # a few fetched at once, each said in the list's order
        if isinstance(followed, CitebotError):
            why = one_line(str(followed))
            if followed.key != "cannot_follow":  # an address no fetch was tried at (not http, malformed)
                why = f"cannot follow {one_line(url)}: {why}"
                followed = CitebotError(why, key="cannot_follow", url=one_line(url), cause=followed)
            if lang != "en":
                why = one_line(_reason(followed, why, lang))
            print(f"citebot: error: {why}", file=sys.stderr, flush=True)
            refused += 1
            continue
        feed, fresh = followed
        print(_following_line(feed, fresh, lang), flush=True)
        new, known = new + fresh, known + (not fresh)
    def count(n: int):  # (the English line's counts as they were, ungrouped)
        return n if lang == "en" else number(n, lang)

    print(say("feeds_followed_from_list", lang, new=count(new), known=count(known), refused=count(refused),
              listed=count(len(urls)), name=one_line(name)))
    return 1 if refused else 0


def _titled(feed: dict) -> bool:
    """Whether a listed feed has a title of its own (an older citebot stored a feed's URL for none)."""
    return bool(feed.get("title")) and feed["title"] != feed["url"]


def _feed_name(feed: dict) -> str:
    """A feed as a line names it: "TITLE (URL)", or its URL alone when it has no title ("URL (URL)" said it twice)."""
    return f"{feed['title']} ({feed['url']})" if _titled(feed) else feed["url"]


def cmd_feeds_list(args) -> int:
    from index.feeds import FeedList, counts, next_try, waits_till

    feeds = FeedList(args.index).feeds()
    if args.opml:
        from index.opml import written

        sys.stdout.flush()
        sys.stdout.buffer.write(written(feeds).encode("utf-8"))  # UTF-8 as it declares, whatever the terminal's
        sys.stdout.flush()
        return 0
    lang = _locale_language()
    if lang != "en":  # in the locale's language, as `feeds update` says of the same feeds
        from bot.messages import FEEDS_LIST, feed_listed

        if not feeds:
            print(FEEDS_LIST["none"][lang])
        for feed in feeds:
            waits = waits_till(feed) if feed.get("left_at") else None
            title = f"  {feed['title']}" if _titled(feed) else ""
            print(f"{feed['url']}{title}  {feed_listed(feed, lang, *counts(feed), next_try(feed), waits)}")
        return 0
    if not feeds:
        print("no feeds yet: citebot feeds add URL")
    for feed in feeds:
        taken, given_up, failing = counts(feed)
        more = (f", {failing:,} failing" if failing else "") + (f", {given_up:,} given up" if given_up else "")
        if feed.get("passed_over"):  # listed at the last update with no page to take (a podcast's episodes)
            more += f", {feed['passed_over']:,} passed over (no article link)"
        if feed.get("waiting"):  # over what one update takes (a 2,000-item archive): "100 items taken" read as all
            more += f", {feed['waiting']:,} left for the next update"
        unreadable = (f"; unreadable since {feed.get('unreadable_since') or 'then'}: {feed['unreadable']}"
                      if feed.get("unreadable") else "")
        waits = waits_till(feed) if feed.get("left_at") else None  # its site's Retry-After, said at its last check
        if next_try(feed) and not (waits and waits >= next_try(feed)):  # (both "%Y-%m-%dT%H:%M:%SZ": compared as text)
            # a resting feed whose try was due and whose site then asked to wait: "next tried at" a time past, and
            # "next asked at" the wait's end, two next times; the wait, ending later, alone says when
            unreadable += (f"; next tried at the first update after {next_try(feed)}, or now by "
                           f"`citebot feeds update {feed['url']}`")
        if waits:  # its site's Retry-After, said when it was asked (last checked)
            # It said "left for the next update at X, its site asking to wait (…); next asked at the first update
            # after Y": left for two updates, X being its "last checked" again.
            unreadable += (f"; its site asked to wait ({feed.get('left_why') or 'no answer'}): next asked at the first "
                           f"update after {waits_till(feed)}")
        elif feed.get("left_at"):  # its host answered none of its feeds that update, or asked to wait (429)
            unreadable += (f"; left for the next update at {feed['left_at']}, "
                           f"{'its site asking to wait' if feed.get('left_asked_to_wait') else 'its host not answering'}"
                           f" ({feed.get('left_why') or 'no answer'})")
        title = f"  {feed['title']}" if _titled(feed) else ""
        print(f"{feed['url']}{title}  ({taken:,} item{'s' if taken != 1 else ''} taken{more}, "
              f"last checked {feed.get('checked') or 'never'}{unreadable})")
    return 0


def cmd_feeds_remove(args) -> int:
    from bot.messages import say
    from index.feeds import FeedList

    feed = FeedList(args.index).remove(args.url)
    print(say("feeds_no_longer_following", _locale_language(), feed=_feed_name(feed)))
    return 0


def cmd_feeds_update(args) -> int:
    from bot.messages import feeds_summary, say
    from index.documents import require_corpus_dir
    from index.feeds import FeedList

    logging.getLogger("citebot.feeds").setLevel(logging.INFO)  # a feed that reads again is said, as news
    feeds = FeedList(args.index)
    # not a failure: a cron job left running after the last feed was removed mailed one each run (a feed named is one
    # not followed, said so by the update)
    if not feeds.feeds() and not args.urls:
        print(say("feeds_none_followed", _locale_language()))
        return 0
    require_corpus_dir(args.corpus)  # else every item fails alone, each with the same warning
    builder = _index_updater(args)
    from tqdm import tqdm

    from bot.messages import articles

    adder = _adder(args)
    taken = []

    def tell(added) -> None:  # as each is added: a Ctrl-C later leaves the lines of what was taken
        taken.append(added)
        tqdm.write(_added_line(added), file=sys.stdout)
        sys.stdout.flush()

    try:
        report = feeds.update(adder.fetcher, adder, progress=sys.stderr.isatty(), on_new=tell, only=args.urls or None)
    except KeyboardInterrupt:
        _end_the_line_of_ctrl_c()
        if taken:
            one = len(taken) == 1
            _say(f"interrupted: {articles(len(taken))} added so far "
                 f"{'is' if one else 'are'} in the corpus; the index takes {'it' if one else 'them'} in "
                 "at the next ask or `citebot index`")
        raise
    print(f"feeds: {feeds_summary(report, _locale_language())}", flush=True)
    if report.new or _stale(builder):  # the items of an update whose build failed are taken, never new again
        _update_index(builder)
    # An item that failed is tried again next time, till given up after three updates over a day (a 404 today may
    # be an article tomorrow): a warning. A feed that could not be read at all is an error, so that cron says so.
    return 1 if report.feeds_failed else 0


def cmd_telegram(args) -> int:
    from bot.telegram import run  # the adapter owns Telegram; this edge only hands it the engine

    if args.listen is None:
        args.listen = LISTEN
    elif not args.webhook_url:  # else ignored: the user's proxy would forward to a port nothing listens on
        args.usage_error("--listen needs --webhook-url (webhook mode); without it the bot long-polls and listens on "
                         "no port")
    return run(args, lambda: open_engine(args, live=True))


def cmd_eval(args) -> int:
    from bot.evaluate import run

    return run(args)


# What str.splitlines ends a line at besides "\n", which json.dumps(..., ensure_ascii=False) leaves raw inside a string
# (a line or paragraph separator, a NEL, pasted into an article from a web page): escaped, an answer stays one line
_LINE_BREAKS_ESCAPED = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _printer(json_mode: bool, chat: bool = True, sources=None, articles=None):
    """How an answer is printed; ``sources(lang)``: the articles, which "What articles do you have?" gets;
    ``articles()``: the same as JSON's sources name theirs, the "articles" key its JSON object gets."""
    import json

    from bot.render import WIDTH, fit, to_text

    # no-color.org: a NO_COLOR that is set and not empty turns it off; a dumb terminal shows escape codes as text
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    if json_mode:
        def show_json(answer) -> None:
            told = answer.to_json()
            if answer.small_talk is not None and answer.small_talk.kind == "sources" and articles is not None:
                told["articles"] = articles()  # "What articles do you have?": the list, not an object naming none
            line = json.dumps(told, ensure_ascii=False).translate(_LINE_BREAKS_ESCAPED)
            try:
                line.encode(sys.stdout.encoding or "utf-8")
            except UnicodeEncodeError:  # backslashreplace would write "\U0001f9c0", which is no JSON escape
                line = json.dumps(told, ensure_ascii=True)
            print(line, flush=True)

        return show_json

    def show(answer) -> None:
        if answer.small_talk is not None and answer.small_talk.kind == "sources" and sources is not None:
            print(fit(sources(answer.language), _columns()), flush=True)  # "What articles do you have?": /sources
            return
        # a narrower terminal (COLUMNS, else its own size, as it is now) gets the quoted passage wrapped to it, not to
        # WIDTH by the terminal, which breaks lines mid-word and under no bar, and the lines around it too
        # (a quoted line is 2 characters wider than the width asked: see bot/render.py's _indent)
        columns = _columns()
        width = WIDTH if columns is None else min(WIDTH, columns - 2)
        print(to_text(answer, color=color, width=width, columns=columns, chat=chat), flush=True)

    return show


def _columns() -> int | None:
    """The width of the terminal stdout is (COLUMNS, else the terminal's size; never under 22); None for a file or a
    pipe, whose lines are not wrapped to any."""
    import shutil

    from bot.render import WIDTH

    return max(shutil.get_terminal_size((WIDTH + 2, 24)).columns, 22) if sys.stdout.isatty() else None


MAX_LINE = 1 << 20  # characters of a stdin line read; the rest of a longer line is read past, never held


def _stdin_lines(prompt=None):
    """The non-blank lines of stdin, stripped; ``prompt()`` is called before each line is read."""
    first = True
    while True:
        if prompt is not None:
            prompt()
        line = sys.stdin.readline(MAX_LINE)
        if not line:
            return
        rest = line
        while rest and not rest.endswith("\n"):  # a line over MAX_LINE: drop its tail chunk by chunk
            rest = sys.stdin.readline(MAX_LINE)
        if first:  # a file a Windows editor saved starts with a byte-order mark, read past as eval's files are
            line, first = line.removeprefix("\ufeff"), False
        line = line.strip()
        if not _blank(line):
            yield line


def _blank(text: str) -> bool:
    """True when ``text`` holds nothing to read: whitespace, or a zero-width space and the like alone."""
    from bot.answering.question import readable

    return not readable(text).strip()


def cmd_ask(args) -> int:
    questions = args.question
    lines = None
    if not questions:
        # `echo "where is the summit?" | citebot ask` reads its questions as `citebot ask -` does; at a terminal, and
        # from a stdin that holds none, it is the usage error it always was, said before the model loads
        lines = None if sys.stdin.isatty() else _stdin_lines()
        first = None if lines is None else next(lines, None)
        if first is None:
            args.usage_error("the following arguments are required: question")
        lines = itertools.chain([first], lines)
    from_stdin = questions == ["-"] or lines is not None
    question = " ".join(questions).strip()
    if not from_stdin and _blank(question):
        args.usage_error("the question is empty")
    from bot.sources import every, listing

    engine = open_engine(args, in_locale=True)
    _require_articles(engine, args.corpus)
    show = _printer(args.json, chat=False, sources=lambda lang: listing(engine.store, lang),
                    articles=lambda: every(engine.store))
    hint = _terminal_language()
    once = _Once(engine)
    # "Where is the summit? When does it start?": each question answered, as the chat answers them, the second echoed
    # before its answer ("? When does it start?"); --json: one object a question, each on its line
    echo = None if args.json else _echo
    if not from_stdin:
        for i, asked in enumerate(once.questions(question)):
            if i and echo is not None:
                echo(asked)
            show(_in_language(once.ask(asked), asked, hint))
        return 0
    from bot.answering.question import readable
    from bot.render import fit, printable

    failed = False
    # typed at a terminal and read there, the question is the line just typed above: echoed only as the chat echoes it
    typed = sys.stdin.isatty() and sys.stdout.isatty()
    for i, q in enumerate(lines or _stdin_lines()):
        if not (args.json or typed):  # each line's question before its answer, as a piped chat's transcript has it:
            # in a file of answers (`citebot ask - < questions.txt > answers.txt`) each says what it answers
            print(("\n" if i else "") + fit(f"? {printable(readable(q))}", _columns()) + "\n", flush=True)
        elif i and not args.json:  # at the terminal: a blank line between an answer and the next, as it always was
            print()
        for answer in _turns(once, q, lambda: hint, echo):  # a question's error (the database away) ends only its line
            if answer is None:
                failed = True
                break
            show(answer)
    return 1 if failed else 0


def _echo(question: str) -> None:
    """The second or third question of a line, shown before its answer, as the chat's transcript shows it."""
    from bot.render import fit, printable

    print("\n" + fit(f"? {printable(question)}", _columns()) + "\n", flush=True)


class _Once:
    """Messages each asked as a chat's first turn: small talk ("hi", "thanks", "what can you do?") gets citebot's
    words, as in the chat, not "Not found" or a passage; a question it opens or closes ("Thanks! Where is …?") is
    asked without it; a message of two or three questions gets their answers, as the chat's, the second read with the
    first's topic, and no message is another's follow-up."""

    def __init__(self, engine):
        from bot.conversation import Conversation

        self.engine = engine
        self.conversation = Conversation(engine)

    def questions(self, message: str) -> list[str]:
        """The questions ``message`` asks ("Where is the summit? When does it start?": two), for ``ask`` in turn, in a
        conversation of their own."""
        from bot.conversation import Conversation

        self.conversation = Conversation(self.engine)  # a new one each message: none is the one before's follow-up
        return self.conversation.questions(message)

    def ask(self, question: str):
        return self.conversation.ask(question)


def _require_articles(engine, corpus) -> None:
    """NoArticles when ``engine``'s build holds no article (all of them removed): "Not found" would read as a question
    that nothing answers, not as a corpus to add articles to."""
    if not len(engine.store.articles):
        raise _no_articles(engine, corpus)


def _no_articles(engine, corpus):
    """NoArticles for ``engine``'s build of none: "no usable articles (1 skipped)" where it skipped files, as the
    build's own error says, not "put .pdf files in it" beside the .pdf it could not read."""
    from index.build import NoArticles

    return NoArticles(corpus, len(engine.store.manifest.get("skipped") or ()))


def _in_language(answer, question: str, hint):
    """``answer`` with citebot's words in ``question``'s language, else (a bare "NATO?" does not tell) in ``hint``'s,
    as the Telegram bot does: the language of the conversation so far, its last Cyrillic one, the locale's
    (``bot.language.detect``). Small talk's words may tell the language where letters do not ("спасибо" is Russian)."""
    from bot.language import speaks

    told = answer.small_talk.language if answer.small_talk is not None else None
    answer.language = told or speaks(question, hint=hint)
    return answer


class _LiveChat:
    """A chat whose every question is answered from the index's newest build: articles that another process
    (``citebot add``, ``feeds update``, ``index``) took in meanwhile are answered from, as the Telegram bot does."""

    def __init__(self, engine, corpus: Path | None = None):
        from bot.conversation import Conversation
        from bot.live import LiveEngine

        self.live = engine if isinstance(engine, LiveEngine) else LiveEngine.fixed(engine)
        self.conversation = Conversation(self.live.engine)
        self.corpus = corpus

    def questions(self, message: str) -> list[str]:
        """The questions ``message`` asks, for ``ask`` in turn: two where it asks two ("Where is the summit and when
        does it start?")."""
        from index.faults import checkpoint

        checkpoint("answering")
        return self.conversation.questions(message)

    def ask(self, question: str):
        """``question``'s answer, in the context of the questions before it."""
        with self.live.using() as engine:  # the build stays on disk until the answer is in hand
            self.conversation.engine = engine
            answer = self.conversation.ask(question)
            if answer.small_talk is None and self.corpus is not None:  # "thanks" needs no article
                _require_articles(engine, self.corpus)
            return answer

    def reset(self) -> None:
        self.conversation.reset()

    def sources(self, lang: str, ask: str = "") -> str:
        """The articles of the newest build, as the Telegram bot's /sources lists them, in ``lang``; ``ask``: what
        followed /sources ("2", "nato")."""
        from bot.sources import listing

        with self.live.using() as engine:
            if self.corpus is not None and not len(engine.store.articles):
                # not the Telegram bot's "an admin adds them with /add": what a question is told, said as the list
                said = _error(_no_articles(engine, self.corpus), lang)
                return said[:1].upper() + said[1:]
            return listing(engine.store, lang, ask=ask)

    def articles(self) -> list[dict]:
        """Every article of the newest build, newest first, as JSON's sources name theirs."""
        from bot.sources import every

        with self.live.using() as engine:
            return every(engine.store)


def cmd_chat(args) -> int:
    from bot.language import detect
    from index.watch import watch_seconds

    every = watch_seconds()  # a bad CITEBOT_WATCH_SECONDS is refused before the model loads
    # opened in an empty corpus folder, the chat opens: each question and /sources say how to add articles, and those
    # added meanwhile (`citebot add` in another terminal) are answered from, as in a chat whose last one was removed
    chat = _LiveChat(open_engine(args, live=True, none_yet=True, in_locale=True), args.corpus)
    show = _printer(args.json, sources=chat.sources, articles=chat.articles)
    # the interactive chat writes its prompt, and readline edits the line, only where stdout is the terminal too
    piped = args.json or not (sys.stdin.isatty() and sys.stdout.isatty())
    notes: list[str] = []  # what the watch found (and warned of) while a chat typed at a terminal waited, said after it
    typed = sys.stdin.isatty()
    held = _hold_other_threads_logs(notes) if typed else []
    tell = (lambda note: notes.append(f"citebot: {note}")) if typed else _say
    watch = _watch(args, chat, every, tell, detect("", hint=_terminal_language())) if every else None
    try:
        return _piped(args, chat, show, notes) if piped else _interactive(chat, show, notes)
    finally:
        if watch is not None:
            watch.stop()
        for handler, hold in held:
            handler.removeFilter(hold)
        _say_last_notes(notes)


def _hold_other_threads_logs(notes: list[str]) -> list:
    """Log records of any thread but the main one (the corpus watch's build: "skipping broken.txt: binary file") put
    in ``notes`` as they would have been printed, rather than printed into the line the user types at the chat's
    prompt. Returns the (handler, filter) pairs, for ``removeFilter``."""
    import threading

    main = threading.main_thread().ident
    held = []
    for handler in logging.getLogger().handlers:
        def hold(record: logging.LogRecord, handler=handler) -> bool:
            if record.thread == main:
                return True
            notes.append(handler.format(record))
            return False

        handler.addFilter(hold)
        held.append((handler, hold))
    return held


def _piped(args, chat, show, notes: list[str] | None = None) -> int:
    """The chat's turns from stdin: a transcript, or one JSON object per question (``--json``). Typed at a terminal
    (``citebot chat > talk.txt``), its greeting and prompt are on stderr, the terminal, and the file is the transcript;
    ``notes`` (another thread's) are said before the next prompt, never into the line being typed."""
    from bot.answering.question import readable
    from bot.language import detect
    from bot.messages import say
    from bot.render import fit, printable

    locale = _terminal_language()
    columns = _columns()  # at a terminal (`citebot chat < questions.txt`): its lines wrapped at spaces, as answers are
    lang, cyrillic, failed = detect("", hint=locale), None, False  # as in the interactive chat
    typed = sys.stdin.isatty()
    if typed:
        print(say("chat_intro", lang), file=sys.stderr, flush=True)
    for i, turn in enumerate(_stdin_lines((lambda: _prompt(notes)) if typed else None)):
        command = _command(turn)
        if command in QUIT:
            break
        if not args.json:  # a transcript: each turn as far as it is read (control characters as U+FFFD), its answer
            print(("\n" if i else "") + fit(f"? {printable(readable(turn))}", columns) + "\n", flush=True)
        if command is not None:  # a command, not a question: no JSON object for it
            try:
                said = _obey(chat, command, lang, turn)
            except CitebotError as exc:  # /sources with the database away a moment: as a question's error, not the end
                _say(f"error: {exc}")
                failed = True
                continue
            if not args.json:
                print(fit(said, columns), flush=True)
            continue
        # a message of two questions: the second's echoed before its answer, as it is searched
        echo = None if args.json else (lambda question: print("\n" + fit(f"? {printable(question)}", columns) + "\n",
                                                              flush=True))
        try:
            for answer in _turns(chat, turn, lambda: (lang, cyrillic, locale), echo):
                if answer is None:
                    failed = True
                    break
                lang, cyrillic = _spoken(answer, cyrillic)
                show(answer)
        except KeyboardInterrupt:
            if not typed:  # a script's Ctrl-C ends it
                raise
            print(file=sys.stderr)  # after the terminal's "^C"; the question is given up, as in the interactive chat
            if not args.json:  # under the question given up, a line apart: not read as an answer cut short
                print(say("answer_interrupted", lang), flush=True)
    else:
        if typed:  # Ctrl-D: the shell's prompt on a line of its own, not after the chat's
            print(file=sys.stderr)
    return 1 if failed else 0


def _prompt(notes: list[str] | None) -> None:
    _say_notes(notes)
    print("? ", end="", file=sys.stderr, flush=True)


def _watch(args, chat: _LiveChat, every: float, tell, lang: str = "en"):
    """A look at the corpus folder every ``every`` seconds, on a thread of its own (index/watch.py): a file dropped in,
    edited or deleted by hand is taken into the index, only it embedded, by an embedder of its own (loaded only then),
    and the next question is answered from the new build; ``tell`` says so, in ``lang`` (the locale's, as the chat
    said it built the index). A question never waits for a look."""
    from bot.messages import say
    from index.models import make_embedder
    from index.watch import CorpusWatch

    def changed(report) -> None:
        chat.live.current()  # loaded here, not by the next question
        if not report.articles:  # its last file deleted: the next question is told so too
            tell(say("corpus_emptied", lang))
            return
        tell(say("corpus_changed", lang, built=_built(report, lang)))

    def failed(exc: Exception) -> None:
        why = exc if isinstance(exc, CitebotError) else f"{type(exc).__name__}: {exc}"
        tell(f"warning: {why}; answering from the index as last built")

    return CorpusWatch(make_builder(args, make_embedder(args.model)), every, changed, failed).start()


def _turns(chat, message: str, hint, asking=None):
    """``chat``'s (``_LiveChat``'s, or ``_Once``'s) answers to ``message``, each yielded once computed, before the next
    question is searched (two or three where it asks more: the first is read while the second is searched, and a
    Ctrl-C then gives up the second alone); each in its question's language else ``hint()``'s, the chat's so far;
    ``asking(question)`` is called as the second and third are searched. A failure is said in one line and yields
    None, the last: the chat or the questions from stdin go on (the database may be back at the next question, as the
    Telegram bot's is)."""
    from bot.language import speaks
    from index.faults import checkpoint

    question = message  # the question being asked, whose language a failure is said in, as its answer would be
    try:
        for i, question in enumerate(chat.questions(message)):
            if i:
                if asking is not None:  # before it is searched: a Ctrl-C meanwhile is seen to give up that question
                    asking(question)
                checkpoint("answering-next")
            yield _in_language(chat.ask(question), question, hint())
    except CitebotError as exc:
        _say(f"error: {_error(exc, speaks(question, hint=hint()))}")
        yield None


def _spoken(answer, cyrillic: str | None) -> tuple[str, str | None]:
    """The chat's language after ``answer``, and its last Cyrillic one (``cyrillic`` before): a Cyrillic question that
    does not tell Ukrainian from Russian takes the chat's Cyrillic language, not a Romanian question's in between."""
    from bot.language import CYRILLIC_LANGUAGES

    return answer.language, answer.language if answer.language in CYRILLIC_LANGUAGES else cyrillic


def _locale_language() -> str:
    """The language of the user's locale, one of ours (English for another, or none)."""
    from bot.language import detect

    return detect("", hint=_terminal_language())


def _terminal_language() -> str | None:
    """The language the user's locale asks messages in: the first of LANGUAGE ("uk:en": its first entry),
    LC_ALL, LC_MESSAGES and LANG that is set, the order gettext reads them in (LC_ALL=uk_UA.UTF-8 over
    LANG=en_US.UTF-8 is Ukrainian). As gettext, LANGUAGE is passed over where the locale is C (a script's LC_ALL=C,
    for English to grep, under a desktop's LANGUAGE=uk:en): None, English."""
    locale = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
    if locale in ("C", "POSIX") or locale.startswith("C."):
        return None
    return os.environ.get("LANGUAGE", "").split(":")[0] or locale or None


HISTORY_LINES = 1000  # questions the interactive chat's history keeps
# The chat's commands, piped or typed, read as the Telegram bot reads its own: in any case, an "@name" and the words
# after one passed over ("/Reset", "/help me"); another "/word" is a command the chat does not know, not a question.
QUIT = ("quit", "exit")
RESET = ("reset", "new")  # /new: what many chat bots call starting over
HELP = ("help", "start")  # as the Telegram bot's: what the chat does and its commands
SOURCES = ("sources",)  # as the Telegram bot's: the articles there are to ask about
_COMMAND = re.compile(r"/([A-Za-z0-9_]+)(?:@\S*)?(?=\s|$)")


def _command(line: str) -> str | None:
    """The command ``line`` opens, lower-cased and without its slash ("/Reset please" is "reset"); None for a question.
    "exit" or "quit" alone, as a shell or a database's prompt leaves, is "quit": no article answers it."""
    if line.strip().lower() in QUIT:
        return "quit"
    match = _COMMAND.match(line)
    return match.group(1).lower() if match else None


def _obey(chat, command: str, lang: str, line: str = "") -> str:
    """Carry out ``command`` (not /quit) in ``chat``; what came of it, in ``lang``; ``line``: the command's line, whose
    words after it /sources reads ("/sources 2", "/sources nato")."""
    from bot.messages import say

    if command in RESET:
        chat.reset()
        return say("context_cleared", lang)
    if command in SOURCES:
        match = _COMMAND.match(line)
        return chat.sources(lang, line[match.end():] if match else "")
    return say("chat_intro" if command in HELP else "unknown_command", lang)


def _interactive(chat, show, notes: list[str] | None = None) -> int:
    """The chat at a terminal; ``notes`` (another thread's) are said once a line is typed, or before the next prompt,
    never into the line being typed."""
    hint = _terminal_language()  # before _readline() may name another locale
    readline = _readline()
    history = os.environ.get("CITEBOT_HISTORY") or _in_home(".citebot_history")
    try:
        if history:
            readline.read_history_file(history)
    except OSError:
        pass
    read = readline.get_current_history_length()
    readline.set_history_length(HISTORY_LINES)  # the file is cut to its last lines at the end: it must not grow for ever
    from bot.language import detect
    from bot.messages import say
    from bot.render import fit, printable

    lang, cyrillic = detect("", hint=hint), None  # the terminal's language until a question says otherwise
    print(fit(say("chat_intro", lang), _columns()))
    ending = _ended_by_signals()
    try:
        while True:
            _say_notes(notes)  # what came while an answer was computed, before the prompt rather than after the next line
            try:
                line = input("? ")
                _as_read_in_history(readline, line, read)
                line = line.strip()
            except EOFError:
                print()
                break
            except KeyboardInterrupt:
                if not readline.get_line_buffer().strip():  # at an empty prompt Ctrl-C ends the chat
                    raise
                print()  # a line being typed is given up, as a shell gives it up: the chat, and its context, go on
                continue
            _say_notes(notes)
            command = _command(line)
            if command in QUIT:
                break
            if command is not None:
                try:
                    print(fit(_obey(chat, command, lang, line), _columns()))
                except CitebotError as exc:  # /sources with the database away a moment: the chat goes on
                    _say(f"error: {exc}")
            elif not _blank(line):
                try:
                    # a line of two questions: the second's as if typed as it is searched, as the transcript echoes it,
                    # wrapped at spaces as the answers are (the terminal broke it mid-word)
                    for answer in _turns(chat, line, lambda: (lang, cyrillic, hint),
                                         lambda question: print(fit(f"? {printable(question)}", _columns()), flush=True)):
                        if answer is None:
                            break
                        lang, cyrillic = _spoken(answer, cyrillic)
                        show(answer)
                        print()
                except KeyboardInterrupt:
                    # a question that takes long (a database away, a big build loading) is given up as a shell gives up
                    # a command: ending the chat lost its context, and the next one loaded the model again
                    print()  # after the terminal's "^C"
                    print(fit(say("answer_interrupted", lang), _columns()))
    except KeyboardInterrupt:  # Ctrl-C at an empty prompt: main() ends the line the terminal's "^C" began
        raise
    finally:
        _restore_signals(ending)
        if history:
            _keep_history(readline, history, readline.get_current_history_length() - read)
    return 0


def _readline():
    """The readline module, reading keys as UTF-8 where Python reads the terminal so in the C locale (``LC_ALL=C``, or a
    locale not installed: PEP 540's UTF-8 mode): readline took each byte of a typed "ș" or Cyrillic letter for a Meta
    key, and a question typed in Ukrainian began a history search and was lost."""
    import locale

    if sys.flags.utf8_mode and locale.setlocale(locale.LC_CTYPE) in ("C", "POSIX"):
        try:
            locale.setlocale(locale.LC_CTYPE, "C.UTF-8")  # the C locale but for its characters, where there is one
        except locale.Error:
            pass
        else:  # readline reads the locale from the environment as it loads, and Python at each line read
            os.environ["LC_ALL" if "LC_ALL" in os.environ else "LC_CTYPE"] = "C.UTF-8"
    import readline

    return readline


def _say_notes(notes: list[str] | None) -> None:
    """Print (on stderr) and forget the lines another thread left in ``notes``."""
    while notes:
        print(notes.pop(0), file=sys.stderr, flush=True)


def _say_last_notes(notes: list[str]) -> None:
    """The notes still held when the chat ends (Ctrl-D, Ctrl-C, /quit) said before it does, rather than lost; not where
    its terminal is gone (SIGHUP)."""
    try:
        _say_notes(notes)
    except OSError:
        pass


def _ended_by_signals() -> dict:
    """SIGTERM (a service manager, a logout) and SIGHUP (the chat's terminal closed) end the chat as /quit does, its
    history kept, with 128 + the signal's number: by default they ended the process at once, and the history with it.
    SIGHUP is left alone where it is ignored (under nohup). Returns the handlers they had."""
    import signal

    def end(signum, frame):
        raise SystemExit(128 + signum)

    return {sig: signal.signal(sig, end) for sig in (signal.SIGTERM, signal.SIGHUP)
            if signal.getsignal(sig) is not signal.SIG_IGN}


def _restore_signals(handlers: dict) -> None:
    import signal

    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def _as_read_in_history(readline, line: str, kept: int) -> None:
    """The history's newest line (``line``), this chat's (after the file's ``kept``), cut to what a question reads: a
    pasted page was kept whole, up to ``HISTORY_LINES`` times, in a file every chat reads back at its start. Its line
    breaks are spaces: a question pasted over two lines (a terminal's bracketed paste reads it as one) was saved so and
    came back as two. A line with nothing to read (spaces) is taken out: the up arrow stopped at it on the way to the
    questions before it."""
    from bot.answering.question import readable

    read, newest = " ".join(readable(line).splitlines()), readline.get_current_history_length()
    if newest <= kept or readline.get_history_item(newest) != line:  # not added: the same as the line before it
        return
    if not read.strip():
        readline.remove_history_item(newest - 1)
    elif read != line:
        readline.replace_history_item(newest - 1, read)


def _keep_history(readline, path, added: int) -> None:
    """Append this chat's ``added`` lines to the history file (made private when new).

    Appending, not rewriting: two chats open at once would otherwise each write the file as it was when they
    began plus their own lines, and the one ending last would erase the other's questions."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # readline appends only to a file that exists
        readline.append_history_file(max(added, 0), path)
    except OSError:
        pass


def _in_home(name: str) -> Path | None:
    """``~/name``, or None where there is no home (no HOME, and a user id without a passwd entry, as a
    container's arbitrary user has): the chat then keeps no history rather than ending in a traceback."""
    try:
        return Path.home() / name
    except RuntimeError:
        return None


def _standard_streams() -> bool:
    """Mend closed or narrow standard streams; False when stdout is closed (nothing could be printed).

    A closed stdin reads as empty; a closed stderr discards (Python would print to stdout, into the JSON);
    a character stdout's encoding cannot hold (PYTHONIOENCODING=latin-1) is written as its escape; bytes stdin's
    encoding cannot read are each a U+FFFD (Python reads them so only in the C locale: under en_US.UTF-8 a
    byte 0xff piped in was a UnicodeDecodeError).
    """
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")
    elif hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    if sys.stdout is None:
        return False
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    return True


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of what could not be written stays quiet."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _skip_said(key: str, skipped, lang: str) -> str:
    """A file the build left out (``index.documents.Skipped``) and why, on one line, in ``lang``, as message ``key``
    says it ("cli_skipping" for the build's warning, "cli_skipped" for `citebot index`'s list)."""
    from bot.messages import explain, say
    from index.documents import one_line

    return say(key, lang, path=one_line(skipped.path), reason=one_line(explain(skipped, skipped.reason, lang)))


class _Said(logging.Formatter):
    """A log record as the command says it on stderr: a warning as "citebot: warning: …", news a command shows (a feed
    that reads again) as "citebot: …". A record the index words as data, ``skipped`` (a file it leaves out) or ``said``
    (a message of ``bot.messages`` and its values: a file read as windows-1251), is said in ``lang``."""

    lang = "en"  # a reader's command (not the Telegram bot's log nor eval's, the operator's) has the locale's: main()

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's naming)
        message, skipped, said = record.message, getattr(record, "skipped", None), getattr(record, "said", None)
        try:
            if skipped is not None and self.lang != "en":  # a file the build leaves out (index/documents.py), and why
                message = _skip_said("cli_skipping", skipped, self.lang)
            elif said is not None and self.lang != "en":
                from bot.messages import say_logged

                message = say_logged(said[0], self.lang, said[1])
        except Exception:  # a value missing, a key no message has: said as logged, in English, where an error here
            # put logging's "--- Logging error ---" traceback in the warning's place (a cron mail's one line lost)
            message = record.message
        return f"citebot: {'warning: ' if record.levelno >= logging.WARNING else ''}{message}"


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The commands (or `feeds`' actions) ``parser`` takes, each name's parser."""
    return next((action.choices for action in parser._actions if isinstance(action, argparse._SubParsersAction)), {})


def _command_first(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``argv`` with the options typed before the command word moved after it (after `feeds ACTION`'s action), where
    the command reads them: `citebot --corpus DIR ask …` and `citebot --json ask …` as `citebot ask --corpus DIR …`
    and `citebot ask --json …` (argparse took DIR for a mistyped command, and --json for an unknown option). Only
    options some command takes are moved, spelt out or shortened as argparse reads them after the command (`--ind DIR`;
    one that starts options with a value and options without takes one unless a command follows it); anything else
    (`--version`, `-h`) is left as typed. A `--` just before the command (or a word) is dropped: `citebot -- ask q`
    asks q."""
    commands = _commands(parser)
    options = {option: action.nargs != 0 for command in commands.values()
               for sub in (command, *_commands(command).values())
               for action in sub._actions for option in action.option_strings if option.startswith("--")}
    i = 0
    while i < len(argv) and argv[i] not in commands:
        if argv[i] == "--" and i + 1 < len(argv) and not argv[i + 1].startswith("-"):  # a command, a word: a `--`
            argv = [*argv[:i], *argv[i + 1:]]  # before a question typed without `ask` or a mistyped command
            continue  # was the command argparse said was invalid ("citebot ask '-- where is the summit?'")
        name = argv[i].split("=", 1)[0]
        if name not in options and name.startswith("--") and len(name) > 2 and not any(
                top.startswith(name) for top in ("--help", "--version")):  # those citebot's own: left as typed
            meant = {option for option in options if option.startswith(name)}
            if meant:  # shortened: what argparse makes of it after the command (or its "ambiguous option" error)
                takes = {options[option] for option in meant}
                value = takes.pop() if len(takes) == 1 else i + 1 < len(argv) and argv[i + 1] not in commands
                options[name] = value
        if name not in options or name in ("--help", "--version"):
            if i and not argv[i].startswith("-"):  # `citebot --corpus DIR chta`: the word after the options is the
                return [*argv[i:], *argv[:i]]  # command mistyped ('chat'?), not DIR taken for one (nor the words
                # after it, a question typed without `ask`, cut from it)
            return argv
        i += 2 if options[name] and "=" not in argv[i] else 1
    if i >= len(argv):  # options and no command: that it is missing (not DIR of `--corpus DIR` taken for a mistyped one)
        return []
    if i == 0:
        return argv
    actions = _commands(commands[argv[i]])
    if actions and not (i + 1 < len(argv) and argv[i + 1] in actions):  # `citebot --corpus DIR feeds`: what `feeds`
        return argv[i:]  # alone says (which action?), not DIR taken for one
    after = i + 1 + bool(actions)
    return [*argv[i:after], *argv[:i], *argv[after:]]


def _options_after_the_action(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``argv`` with the options typed between a command and its action moved after the action, where it reads them:
    `citebot feeds --index DIR list` as `citebot feeds list --index DIR` (argparse took DIR for a mistyped action).
    Only the action's options are moved, spelt out or shortened as argparse reads them after it; a word after them that
    is no action takes the action's place, for argparse to say it is mistyped (`lst`: 'list'?), and anything else
    (`-h`) is left as typed."""
    commands = _commands(parser)
    actions = _commands(commands[argv[0]]) if argv and argv[0] in commands else {}
    options = {option: action.nargs != 0 for sub in actions.values() for action in sub._actions
               for option in action.option_strings if option.startswith("--") and option != "--help"}
    i = 1
    while actions and i < len(argv) and argv[i] not in actions:
        name = argv[i].split("=", 1)[0]
        meant = {options[option] for option in options if option.startswith(name)} if name.startswith("--") else set()
        if name not in options and len(meant) != 1:
            break  # the action mistyped (`lst`), said to be so, not the options' value taken for it; or `-h`
        i += 2 if options.get(name, meant.pop() if meant else False) and "=" not in argv[i] else 1
    if i > 1 and i >= len(argv):  # `citebot feeds --index DIR`: what `feeds` alone says (which action?), not DIR
        return argv[:1]  # taken for one
    if i == 1 or i >= len(argv) or argv[i].startswith("-"):
        return argv
    return [argv[0], argv[i], *argv[1:i], *argv[i + 1:]]


def main(argv: list[str] | None = None) -> int:
    if not _standard_streams():
        print("citebot: error: standard output is closed", file=sys.stderr)
        return 1
    said = logging.StreamHandler()
    said.setFormatter(_Said())
    logging.basicConfig(level=logging.WARNING, handlers=[said])
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # `citebot` alone: the commands and how to start, where "arguments are required: COMMAND" said neither
        parser.print_help(sys.stderr)
        return 2
    if argv[0] == "help" and len(argv) <= 2:  # `citebot help`, `citebot help ask`: as `--help` says it, git's way
        argv = [*argv[1:], "--help"]
    args = parser.parse_args(_options_after_the_action(parser, _command_first(parser, argv)))
    if args.command not in ("telegram", "eval"):  # the operator's lines stay English, whatever the server's locale
        said.formatter.lang = _locale_language()
    try:
        return args.run(args)
    except CitebotError as exc:
        said = _error(exc)
        print(f"citebot: error: {said}{_from_environment(args, said)}", file=sys.stderr)
        return 2 if getattr(exc, "usage", False) else 1
    except KeyboardInterrupt:
        _end_the_line_of_ctrl_c()
        return 130
    except BrokenPipeError:
        _drop_stdout()
        return 0
    except OSError as exc:  # writing the output failed (a full disk), or another failure no library error names
        _drop_stdout()
        where = f": {exc.filename}" if exc.filename else ""
        print(f"citebot: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except Exception as exc:
        psycopg = sys.modules.get("psycopg")  # a PostgreSQL store's (the extra may not be installed)
        if psycopg is None or not isinstance(exc, psycopg.Error):
            raise
        from index.pg_store import database_error

        print(f"citebot: error: {database_error(getattr(args, 'store', None) or '', exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
