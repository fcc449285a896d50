"""Fault-injection hook for crash tests: a build pauses for good at a named stage when asked to.

    CITEBOT_PAUSE_AT=written citebot index    # stderr: "citebot: paused at written"; waits to be killed

Stages, in build order: "embedding" (passages embedded, sentences not yet), "written" (the new build
folder is written and synced under a temporary name), "renamed" (it has its final name, but
``current`` still points at the previous build).
"""

from __future__ import annotations

import os
import signal
import sys

STAGES = ("embedding", "written", "renamed")


def checkpoint(stage: str) -> None:
    """Pause this process at ``stage`` when ``CITEBOT_PAUSE_AT`` names it; otherwise return at once."""
    if os.environ.get("CITEBOT_PAUSE_AT") != stage:
        return
    # A line of its own, so a test reading stderr line by line sees the moment it can strike.
    sys.stderr.write(f"\ncitebot: paused at {stage}\n")
    sys.stderr.flush()
    while True:
        signal.pause()
