"""A long life of `citebot telegram` in a few minutes: bursts of new chats, and a rebuild by another process after each.

    python -m bench.soak                               # 20 rounds of 100 chats over the shipped corpus
    python -m bench.soak --rounds 40 --chats 200

Runs the real `citebot telegram` process against the fake Bot API of the tests on 127.0.0.1. Each round, --chats new
chats ask at once; once all are answered, another process adds an article and runs `citebot index`. Prints, each
round, what the bot process holds: resident memory, threads, open files, the builds whose files it has open or
mapped (and mapped files already removed), the builds on disk, and the warnings it logged: pool timeouts, and the
retries of other failed calls (the fake Bot API's listen backlog of 5 refuses some of a burst: retried, answered).
A bot that leaks shows it here: open files and builds held growing a build at a time (fixed in 813c531), or
questions left unanswered once httpx's pool is lost (fixed in 0e95fe7: the round never ends, and the soak says so).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CITEBOT = str(Path(sys.executable).with_name("citebot"))
TOKEN = "123456:bench-soak-token"
QUESTIONS = ["Where is the summit?", "Who was invited to it?", "When is the summit?", "What did Stoltenberg say?"]


def held(pid: int, index: Path) -> dict:
    """What process ``pid`` holds: memory, threads, open files, and the builds of ``index`` it has open or mapped."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    fds = Path(f"/proc/{pid}/fd")
    opened = []
    for fd in fds.iterdir():
        try:
            opened.append(os.readlink(fd))
        except OSError:  # closed meanwhile
            pass
    mapped = {line.split(None, 5)[5] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
              if len(line.split(None, 5)) == 6}
    builds = f"{index.resolve()}/builds/"
    in_builds = [p for p in opened + sorted(mapped) if p.startswith(builds)]
    files = [p for p in opened if not p.startswith(("socket:", "pipe:", "anon_inode:"))]  # sockets come and go
    return {"rss_mb": int(status["VmRSS"].split()[0]) // 1024, "threads": int(status["Threads"]), "files": len(files),
            "builds_held": len({p[len(builds):].split("/")[0] for p in in_builds}),
            "removed_mapped": sum(1 for p in mapped if p.startswith(builds) and p.endswith("(deleted)")),
            "builds_on_disk": len(list((index / "builds").iterdir()))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="rebuilds [20]")
    parser.add_argument("--chats", type=int, default=100, help="new chats asking at once each round [100]")
    parser.add_argument("--model", default=os.environ.get("CITEBOT_MODEL") or "all-MiniLM-L6-v2",
                        help="embedding model [env CITEBOT_MODEL, else all-MiniLM-L6-v2, the faster]")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a round's answers may take [300]")
    args = parser.parse_args()

    from tests.fake_bot_api import FakeBotApi
    from tests.process_lines import StderrLines

    env = dict(os.environ, HF_HUB_OFFLINE="1", CITEBOT_MODEL=args.model, TELEGRAM_BOT_TOKEN=TOKEN)
    with tempfile.TemporaryDirectory(prefix="citebot-soak-") as work:
        corpus, index = Path(work) / "corpus", Path(work) / "index"
        shutil.copytree(ROOT / "corpus", corpus)
        where = ["--corpus", str(corpus), "--index", str(index)]
        subprocess.run([CITEBOT, "index", *where], env=env, check=True, capture_output=True)
        with FakeBotApi(TOKEN) as api:
            bot = subprocess.Popen([CITEBOT, "telegram", "--api-url", api.url, "--rate-limit", "10000", *where],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            lines = StderrLines(bot, "citebot telegram")
            try:
                lines.wait_for_line("answering as")
                print(f"{'round':>5} {'answered':>8} {'s':>6} {'rss_mb':>6} {'threads':>7} {'files':>5} {'builds_held':>11} "
                      f"{'removed_mapped':>14} {'builds_on_disk':>14} {'pool_timeouts':>13} {'retries':>7}", flush=True)
                chat, started = 1_000_000, time.monotonic()
                for round_ in range(args.rounds + 1):
                    due = len(api.state.sent) + args.chats
                    for c in range(chat, chat + args.chats):
                        api.user_says(c, QUESTIONS[c % len(QUESTIONS)])
                    chat += args.chats
                    try:
                        api.wait_until(lambda a: len(a.state.sent) >= due, timeout=args.timeout)
                    except AssertionError:
                        print(f"round {round_}: {due - len(api.state.sent)} of {args.chats} chats got no answer in "
                              f"{args.timeout:.0f} s; the bot's last line: {lines.lines[-1] if lines.lines else ''}")
                        return 1
                    state = held(bot.pid, index)
                    timeouts = sum("Pool timeout" in line for line in lines.lines)
                    retries = sum(" WARNING " in line and "Pool timeout" not in line for line in lines.lines)
                    print(f"{round_:>5} {len(api.state.sent):>8} {time.monotonic() - started:>6.1f} {state['rss_mb']:>6} "
                          f"{state['threads']:>7} {state['files']:>5} {state['builds_held']:>11} {state['removed_mapped']:>14} "
                          f"{state['builds_on_disk']:>14} {timeouts:>13} {retries:>7}", flush=True)
                    if round_ < args.rounds:  # another process adds an article and rebuilds
                        (corpus / f"soak-{round_}.txt").write_text(
                            f"The council of district {round_} approved a new bridge over the river on Monday.\n",
                            encoding="utf-8")
                        subprocess.run([CITEBOT, "index", *where], env=env, check=True, capture_output=True)
            finally:
                bot.send_signal(signal.SIGTERM)
                bot.wait(60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
