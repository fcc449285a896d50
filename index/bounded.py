"""Read a large web page in a child process held to a budget of CPU time and memory, refused past it.

>>> bounded(_article_json, html, url)   # doctest: +SKIP
'{"title": "Summit opens in Vilnius", "text": "The summit opened on Tuesday…", …}'

trafilatura's time grows with the square of a page's size (a 4 MB page of short paragraphs took 26 s, one of 19 MB
more than 10 minutes) and it has no hook to check a budget from inside. A page of up to IN_PROCESS_CHARS characters
(about 2 s) is read here; a longer one by the same function in ``python -m index.bounded``, which sets its own limits
(MAX_SECONDS of CPU, MAX_MEMORY of address space) before it reads its call as JSON on stdin and writes the result as
JSON on stdout. Past a limit the page is refused (Unreadable) with the reason, and nothing else is lost.
"""

from __future__ import annotations

import builtins
import importlib
import json
import os
import resource
import signal
import subprocess
import sys

from index.errors import CitebotError

IN_PROCESS_CHARS = 1_000_000  # a page this long is read in this process: about 2 s of trafilatura's
MAX_SECONDS = 60.0            # CPU seconds a longer page's reader may take, as a PDF's (env CITEBOT_HTML_CPU_SECONDS)
MAX_MEMORY = 2 << 30          # bytes of address space it may take; a 4 MB page of short paragraphs takes about 400 MB
_ADVICE = "save its article text as .txt"


class Unreadable(CitebotError, ValueError):
    """A page past the budget of its reader: the corpus reader skips it (a ValueError) and ``citebot add`` refuses it
    (a CitebotError, whose key names the message in the bot's other languages)."""


def cpu_seconds() -> float:
    """The CPU budget of a long page's reader: CITEBOT_HTML_CPU_SECONDS, else MAX_SECONDS."""
    value = os.environ.get("CITEBOT_HTML_CPU_SECONDS", "").strip()
    try:
        seconds = float(value) if value else MAX_SECONDS
    except ValueError:
        raise CitebotError(f"CITEBOT_HTML_CPU_SECONDS must be a number of seconds, not {value!r}") from None
    if not seconds > 0:
        raise CitebotError(f"CITEBOT_HTML_CPU_SECONDS must be more than 0, not {value!r}")
    return seconds


def bounded(function, html: str, *args):
    """``function(html, *args)`` (a module-level function whose arguments and result JSON can hold), called here for
    a page of up to IN_PROCESS_CHARS, else in a child process within the budget; Unreadable past it."""
    if len(html) <= IN_PROCESS_CHARS:
        return function(html, *args)
    seconds = cpu_seconds()
    call = json.dumps({"function": f"{function.__module__}:{function.__qualname__}", "args": [html, *args]})
    # -P: the current folder (which may hold anything called index/) is not on the child's path
    command = [sys.executable, "-P", "-m", "index.bounded", str(seconds), str(MAX_MEMORY)]
    too_long = _too_long(seconds)
    try:  # the wall clock only for a child kept waiting, not working (a busy machine): its CPU limit stops it first
        done = subprocess.run(command, input=call.encode(), capture_output=True, timeout=seconds * 4 + 30)
    except subprocess.TimeoutExpired:
        raise too_long from None
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # past the CPU limit (SIGKILL: past its hard one)
        raise too_long
    try:
        result = json.loads(done.stdout)
    except ValueError:
        detail = (done.stderr.decode(errors="replace").strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise Unreadable(f"the page could not be read ({detail}): {_ADVICE}", key="html_failed", detail=detail) from None
    if "raised" not in result:
        return result["value"]
    if result["raised"] == "MemoryError":
        raise _too_big()
    raised = getattr(builtins, result["raised"], None)
    if not (isinstance(raised, type) and issubclass(raised, Exception)):
        raised = RuntimeError
    raise raised(result["message"])


def refusals() -> set[str]:
    """Why a page past this budget is refused (its CPU time, its memory): a file refused so, unchanged since, is not
    read again by a build, which would only spend the budget again to refuse it again."""
    return {str(_too_long(cpu_seconds())), str(_too_big())}


def _too_long(seconds: float) -> Unreadable:
    return Unreadable(f"the page takes too long to read (over {seconds:g} s of CPU): {_ADVICE}", key="html_time",
                      seconds=seconds)


def _too_big() -> Unreadable:
    most = MAX_MEMORY >> 20
    return Unreadable(f"the page takes too much memory to read (over {most:,} MB): {_ADVICE}", key="html_memory",
                      mb=most)


def _limit(seconds: float, memory: int) -> None:
    whole = max(1, int(-(-seconds // 1)))  # RLIMIT_CPU counts whole seconds
    resource.setrlimit(resource.RLIMIT_CPU, (whole, whole + 1))  # SIGXCPU at the first, SIGKILL at the second
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _reached(memory: int) -> bool:
    """Whether this process's address space came within 1/32 of ``memory`` (Linux's VmPeak; False where unknown)."""
    try:
        with open("/proc/self/status", "rb") as status:
            peak = next((line for line in status if line.startswith(b"VmPeak:")), None)
    except OSError:
        return False
    return peak is not None and int(peak.split()[1]) * 1024 >= memory - memory // 32


def main(argv: list[str]) -> None:
    """The child: set the limits, read the call on stdin, write its value (or what it raised) on stdout."""
    memory = int(argv[1])
    _limit(float(argv[0]), memory)
    unmapped = False
    try:
        call = json.loads(sys.stdin.buffer.read())
        module, name = call["function"].split(":")
        found = {"value": getattr(importlib.import_module(module), name)(*call["args"])}
    except MemoryError:
        found = {"raised": "MemoryError", "message": ""}
    except Exception as exc:  # said to the parent, which raises it as it would have been raised there
        found = {"raised": type(exc).__name__, "message": str(exc)}
        unmapped = isinstance(exc, ImportError) and "failed to map segment" in str(exc)  # dlopen's ENOMEM
    # An allocation refused at the limit is not always a MemoryError: lxml's parser then gives up on the page without
    # a word (no text found), its XPath raises "unknown error", an import fails to map a library. Whatever came of it,
    # a reader that ran into its limit is past its budget. A library whose loading was refused may have asked for more
    # than the margin left below the limit (one segment of a few MB), so its error says so itself.
    if unmapped or _reached(memory):
        found = {"raised": "MemoryError", "message": ""}
    sys.stdout.write(json.dumps(found))


if __name__ == "__main__":
    main(sys.argv[1:])
