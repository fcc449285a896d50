"""A child process's stderr, collected line by line on a thread, so a test waits for a line, never sleeps."""

from __future__ import annotations

import subprocess
import threading


class StderrLines:
    """Collects ``process``'s stderr lines as they come; ``wait_for_line`` blocks until one holds a text.

    >>> lines = StderrLines(subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True))   # doctest: +SKIP
    >>> lines.wait_for_line("citebot: ready")                                           # doctest: +SKIP
    """

    def __init__(self, process: subprocess.Popen, name: str = "the process"):
        self.process = process
        self.name = name
        self.lines: list[str] = []
        self.ended = False
        self.cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.ended = True  # every line is in: the process closed its stderr
            self.cond.notify_all()

    def wait_for_line(self, text: str, timeout: float = 180, nth: int = 1) -> str:
        """The first (``nth``) line holding ``text``; fails with everything said when the process ends or time runs
        out."""
        with self.cond:
            self.cond.wait_for(lambda: sum(text in line for line in self.lines) >= nth
                               or self.process.poll() is not None, timeout)
            match = [line for line in self.lines if text in line]
            assert len(match) >= nth, f"{self.name} never said {text!r} {nth} times; it said:\n" + "\n".join(self.lines)
            return match[nth - 1]

    def line_before_the_end(self, text: str, timeout: float = 180) -> str | None:
        """The first line holding ``text``, or None when the process closed its stderr without saying it."""
        with self.cond:
            ended = self.cond.wait_for(
                lambda: any(text in line for line in self.lines) or self.ended, timeout)
            assert ended, f"{self.name} neither said {text!r} nor ended; it said:\n" + "\n".join(self.lines)
            return next((line for line in self.lines if text in line), None)

    def join(self, timeout: float = 10) -> None:
        self._reader.join(timeout)
