"""Work on many addresses a few at a time, at most ``per_host`` at once on one host, each outcome handed back in order.

>>> for url, done in in_order(urls, fetch, address=str):      # doctest: +SKIP
...     page = done.result()                                    # fetch's value, or the exception it raised

A feed that answers only at the end of its timeout (or never) then costs the others nothing, where fetched one after
another each slow or dead host held up every feed after it.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future
from typing import TypeVar
from urllib.parse import urlsplit

Item = TypeVar("Item")

WORKERS = 8   # fetches at once in all
PER_HOST = 2  # fetches at once on one host (host and port): a site serving many of the feeds is not hammered
AHEAD = 64    # items begun past the first one not handed back yet: what waits for a slow one is bounded


def host_of(url: str) -> str:
    """``url``'s host and port, lower case, as politeness counts them (its text when it is no URL)."""
    try:
        return urlsplit(url.strip()).netloc.lower().rsplit("@", 1)[-1]
    except ValueError:
        return url


def in_order(items: Iterable[Item], work: Callable[[Item], object], address: Callable[[Item], str],
             workers: int = WORKERS, per_host: int = PER_HOST, ahead: int = AHEAD,
             stop: threading.Event | None = None,
             begun_hook: Callable[[Item], None] | None = None) -> Iterator[tuple[Item, Future]]:
    """Each of ``items`` with the finished Future of ``work(item)``, in ``items``' order; ``work`` runs on up to
    ``workers`` threads, at most ``per_host`` of them on items whose ``address`` has one host, and never more than
    ``ahead`` items past the one to be handed back next. Once ``stop`` is set (or the caller stops iterating), no other
    item is begun; the work in hand is left to finish on its own (a fetch ends within its timeouts). ``begun_hook``
    is told each item as a worker takes it, before its work runs (tests: which items were taken while others wait)."""
    items = list(items)
    hosts = [host_of(address(item)) for item in items]
    futures = [Future() for _ in items]
    cond = threading.Condition()
    running: Counter = Counter()
    state = {"next": 0, "first": 0, "closed": False}  # next handed back, first not begun, whether the caller is done
    begun = [False] * len(items)

    def take() -> int | None:  # under cond: the first item allowed to begin, None for none yet
        while state["first"] < len(items) and begun[state["first"]]:
            state["first"] += 1
        for i in range(state["first"], min(len(items), state["next"] + ahead)):
            if not begun[i] and running[hosts[i]] < per_host:
                return i
        return None

    def worker() -> None:
        while True:
            with cond:
                while True:
                    if state["closed"] or (stop is not None and stop.is_set()):
                        for j, future in enumerate(futures):  # the caller, waiting for one of them, is let go
                            if not begun[j] and future is not None:
                                future.cancel()
                        return
                    if state["first"] >= len(items):
                        return
                    i = take()
                    if i is not None:
                        break
                    cond.wait()
                begun[i] = True
                running[hosts[i]] += 1
                if begun_hook is not None:
                    begun_hook(items[i])
            try:
                futures[i].set_result(work(items[i]))
            except BaseException as exc:  # handed to the caller, who reads it in its turn
                futures[i].set_exception(exc)
            with cond:
                running[hosts[i]] -= 1
                cond.notify_all()

    # Daemon threads: a Ctrl-C ends the command at once, not after the fetches in hand time out.
    threads = [threading.Thread(target=worker, name=f"fetch-{n}", daemon=True) for n in range(min(workers, len(items)))]
    for thread in threads:
        thread.start()
    try:
        for i, item in enumerate(items):
            if stop is not None and stop.is_set():
                return
            try:
                futures[i].exception()  # waits for it
            except CancelledError:  # stopped before it was begun
                return
            with cond:
                state["next"] = i + 1
                # not kept here once handed back: a list of pages fetched ahead would all stay in memory to the end
                done, futures[i] = futures[i], None
                cond.notify_all()
            yield item, done
    finally:
        with cond:
            state["closed"] = True
            cond.notify_all()
