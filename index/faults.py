"""Fault-injection hook for crash and race tests: a process pauses at a named stage when asked to.

    CITEBOT_PAUSE_AT=written citebot index    # stderr: "citebot: paused at written"; waits to be killed

Stages, in build order: "embedding" (passages embedded, sentences not yet), "written" (the new build
folder is written and synced under a temporary name), "renamed" (it has its final name, but
``current`` still points at the previous build); for a PostgreSQL store (index/pg_build.py),
"uncommitted" (every table of the new build written and indexed, the transaction not yet committed).
A reader pauses at "loading" (index/store.py: the live build's folder found, none of its files opened yet), and a
chat at "answering" (bot/cli.py: a question read, its answer not yet computed) and "answering-next" (a message of two
questions: the first's answer shown, the second's not yet computed).
A paused process waits to be killed, or, in its main thread, for SIGUSR1, which lets it go on (and pass
the stage from then on), so a test can let another process act at that very moment.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

STAGES = ("embedding", "written", "renamed")  # the folder store's; index/pg_build.py adds "uncommitted"
_passed: set[str] = set()  # stages this process was let go on from


def checkpoint(stage: str) -> None:
    """Pause this process at ``stage`` when ``CITEBOT_PAUSE_AT`` names it; otherwise return at once."""
    if os.environ.get("CITEBOT_PAUSE_AT") != stage or stage in _passed:
        return
    if threading.current_thread() is not threading.main_thread():  # signal handlers live in the main thread
        _announce(stage)
        while True:
            signal.pause()
    _passed.add(stage)
    _wait_for_sigusr1(stage)


def _announce(stage: str) -> None:
    # A line of its own, so a test reading stderr line by line sees the moment it can strike.
    sys.stderr.write(f"\ncitebot: paused at {stage}\n")
    sys.stderr.flush()


def _wait_for_sigusr1(stage: str) -> None:
    """Announce ``stage`` and block until SIGUSR1 comes (to any thread: the wakeup pipe keeps it, no race)."""
    woken: list[bool] = []
    read, write = os.pipe()
    os.set_blocking(write, False)
    handler = signal.signal(signal.SIGUSR1, lambda *_: woken.append(True))
    wakeup = signal.set_wakeup_fd(write)
    try:
        _announce(stage)
        while not woken:
            os.read(read, 1)  # a byte per signal; the handler runs before the loop tests again
    finally:
        signal.set_wakeup_fd(wakeup)
        signal.signal(signal.SIGUSR1, handler)
        os.close(read)
        os.close(write)
