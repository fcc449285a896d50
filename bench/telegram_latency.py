"""Reply latency of the Telegram bot: from getUpdates handing over a question to its sendMessage arriving.

    python bench/telegram_latency.py                       # 50 questions over the shipped corpus
    python bench/telegram_latency.py -n 200 --corpus ~/articles --index ~/.cache/citebot

Runs the real bot (real model, index, python-telegram-bot, HTTP) against the fake Bot API of the tests
on 127.0.0.1, one question at a time, each in a new chat; prints the median and spread, and the
answer engine's own time for the same questions so the adapter's share shows.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "where is the summit?", "who visited Kyiv?", "when did Stoltenberg arrive in Kyiv?",
    "what did Zelensky say about the invitation?", "how much military aid have NATO allies provided?",
    "where did Stoltenberg pay tribute to soldiers?", "what is Ukraine's rightful place?",
    "what happened in Bucha?", "what will help Kyiv move to NATO standards?", "when is the Vilnius summit?",
]
TOKEN = "123456:bench-token"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="questions to time [50]")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=ROOT / ".citebot-bench-telegram")
    parser.add_argument("--poll-timeout", type=int, default=10, help="long-poll timeout the bot uses [10]")
    parser.add_argument("--model", default=os.environ.get("CITEBOT_MODEL") or None,
                        help="embedding model [env CITEBOT_MODEL, default: citebot's]")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    from bot.cli import open_engine
    from bot.telegram import TelegramBot
    from tests.fake_bot_api import BotThread, FakeBotApi

    engine = open_engine(argparse.Namespace(corpus=args.corpus, index=args.index, model=args.model))
    engine.warm_up()
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(args.n)]
    latencies = []
    with FakeBotApi(TOKEN) as api:
        bot = TelegramBot(engine, TOKEN, api_url=api.url, rate_limit=10_000, poll_timeout=args.poll_timeout)
        with BotThread(bot, api):
            for chat, question in enumerate(QUESTIONS[:3] + questions, start=1):  # the first 3 warm up
                update = api.user_says(chat, question)
                reply = api.wait_for_messages(chat, 1)[0]
                if chat > 3:
                    latencies.append(reply.received_at - api.state.delivered_at[update])
    engine_times = []
    for question in questions:
        started = time.perf_counter()
        engine.ask(question)
        engine_times.append(time.perf_counter() - started)

    def ms(values, q):
        return 1000 * statistics.quantiles(values, n=100, method="inclusive")[q - 1]

    print(f"telegram reply latency, update -> sendMessage, {len(latencies)} questions over "
          f"{len(engine.store.articles)} articles ({os.cpu_count()} CPUs):")
    print(f"  median {1000 * statistics.median(latencies):.1f} ms   p90 {ms(latencies, 90):.1f} ms   "
          f"min {1000 * min(latencies):.1f} ms   max {1000 * max(latencies):.1f} ms")
    print(f"  of which the answer engine alone: median {1000 * statistics.median(engine_times):.1f} ms")


if __name__ == "__main__":
    main()
