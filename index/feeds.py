"""The RSS, Atom and JSON feeds citebot follows, kept in ``<index>/feeds.json``, and fetching their new items.

>>> feeds = FeedList(Path(".citebot"))
>>> feeds.add("https://news.example.org/rss.xml", Fetcher())          # doctest: +SKIP
>>> feeds.remove("https://news.example.org/rss.xml")                 # doctest: +SKIP
>>> report = feeds.update(Fetcher(), ArticleAdder(Path("corpus")))     # doctest: +SKIP
>>> report.summary()                                                   # doctest: +SKIP
'3 new, 12 already known, 0 failed (1 feed checked)'
"""

from __future__ import annotations

import calendar
import fcntl
import hashlib
import io
import json
import logging
import math
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from index.add import AddError, Added, ArticleAdder
from index.documents import DIRECTION_MARKS
from index.errors import CitebotError
from index.fetch import FEED_TYPES, HTML_TYPES, PAGE_TYPES, Fetcher, check_url
from index.fetch_pool import host_of, in_order
from index.opml import is_opml

log = logging.getLogger("citebot.feeds")
FEEDS_FILE = "feeds.json"
SEEN_KEPT = 2000  # item ids remembered per feed, besides those it still lists (never forgotten)
REMOVED_KEPT = 20  # feeds no longer followed whose taken items are remembered, should they be followed again
NEW_PER_UPDATE = 100  # new items taken from one feed in one update; the rest wait for the next
# Items taken before and updated in their feed since (a later <updated> or <pubDate>, or other words), whose stories are
# fetched again in one update; the rest wait for the next (a feed whose every item changes costs ten fetches an update).
REFRESH_PER_UPDATE = 10
# An item is given up once it has failed in TRIES updates over at least GIVE_UP_AFTER_S seconds: else a feed whose
# dead items fill what one update takes would never reach its new ones, and a site down for an hour (a bot polling
# every 15 minutes) must not lose its articles.
TRIES = 3
GIVE_UP_AFTER_S = 24 * 3600
# An item whose page its site asks to wait for (a 429, a 503 with a Retry-After) is left for the next update, not
# counted as failing (a day of a rate limit gave up a feed's items), till it has been so in TRIES updates over this
# long: a week of it is no rate limit nor maintenance but a page down (one page behind a CDN answering so for ever was
# fetched at every update for ever, holding back its site's items after it each time). It is given up then.
ASKED_TO_WAIT_GIVE_UP_S = 7 * 24 * 3600
# A feed answered 429 with a Retry-After is not asked again till then, a day at most (a year's wait, said by mistake or
# a misread date, lost a year of news).
MAX_RETRY_AFTER_S = 24 * 3600
# An item given up is tried again while its feed lists it, a day after it was given up, then two, four and every seven
# days (a site down over a weekend, a page published after its feed item): few fetches, and no story lost for good.
RETRY_WAITS_S = (1 * 24 * 3600, 2 * 24 * 3600, 4 * 24 * 3600, 7 * 24 * 3600)
# The largest feed read, unless the fetcher's limit (`--max-bytes`) is larger: a feed carrying its stories whole (full-
# content Atom) reaches 10 to 20 MB, over the 5 MB of a page; reading one takes about four times its size in memory.
FEED_MAX_BYTES = 25_000_000
# A feed's XML or JSON compresses a few times, twenty at most: one expanding past FEED_MAX_BYTES more than this many
# times its compressed size is a compression bomb, not a feed for a larger `--max-bytes`.
BOMB_EXPANDS = 100
# Why an item failed when what its link answers is no article page, nor ever will be as it is (an image, audio, another
# feed, a mailto: link, a #!/ route of a page built by script): given up at once (it was fetched, and warned about, at
# every update for a day first).
_NO_ARTICLE_PAGE = ("not_page", "not_html", "a_feed", "not_http_url", "hash_bang", "hash_bang_redirect")
# Why a fetch failed when its server did not answer (within the timeout, or the whole fetch within its total): its
# other items of an update are left for the next, not each given the same wait.
_NO_ANSWER = ("no_answer", "too_long")
# Pages of an update's new items fetched ahead of the one being stored: at most this many pages (5 MB each at most, by
# default) wait in memory behind a slow one.
PAGES_AHEAD = 16


class ListOfFeeds(CitebotError):
    """An OPML list of feeds was given for a feed; ``values["body"]`` is the list, for `feeds add` to follow each."""


@dataclass
class FeedReport:
    """What one ``update`` did."""

    new: list[Added] = field(default_factory=list)
    updated: list[Added] = field(default_factory=list)  # articles taken before, updated in their feeds, now corrected
    known: int = 0
    failed: list[str] = field(default_factory=list)   # "LINK: reason", one per item or feed that failed
    feeds: int = 0
    not_modified: int = 0
    feeds_failed: int = 0  # feeds that could not be fetched or read (their items, not even listed, are not counted)
    waiting: int = 0  # new (or updated) items over NEW_PER_UPDATE (REFRESH_PER_UPDATE) in their feed, left for the next
    feeds_waiting: int = 0  # feeds of a host that answered none of them, left for the next update untried
    feeds_resting: int = 0  # feeds unreadable for a while (``_unreadable_again``) whose next try is not due: untried
    feeds_asked_to_wait: int = 0  # feeds answered "429 Too Many Requests": left for the next update, not unreadable
    feeds_held: int = 0  # feeds not asked, their site's Retry-After (of a 429) not over: untried
    given_up: int = 0  # items of ``failed`` given up: not tried again
    given_up_asked_to_wait: int = 0  # those of ``given_up`` whose site asked to wait for them in updates over a week
    given_up_at_once: int = 0  # items of ``failed`` given up at their first failure, their links no article page
    passed_over: int = 0  # items listed with no page to take (a podcast's episode, only audio): not tried

    def summary(self) -> str:
        # every count with thousands separators: "2100 already known, 3,960 left for the next update" read oddly
        checked = f"{self.feeds:,} feed{'s' if self.feeds != 1 else ''} checked"
        if self.not_modified:
            checked += f", {self.not_modified:,} not modified"
        if self.feeds_failed:
            checked += f", {self.feeds_failed:,} unreadable"
        if self.feeds_asked_to_wait:
            checked += f", {self.feeds_asked_to_wait:,} asked to wait"
        if self.feeds_waiting:
            checked += f", {self.feeds_waiting:,} left for the next update"
        if self.feeds_resting:
            checked += f", {self.feeds_resting:,} unreadable for a while and not due a try"
        if self.feeds_held:
            checked += f", {self.feeds_held:,} waiting as {'its site' if self.feeds_held == 1 else 'their sites'} asked"
        waiting = f", {self.waiting:,} left for the next update" if self.waiting else ""
        failing = self.given_up - self.given_up_asked_to_wait
        given_up = [f"{failing:,} given up after failing for a day"] if failing else []
        if self.given_up_asked_to_wait:  # "after failing for a day" said of a week asked to wait
            given_up.append(f"{self.given_up_asked_to_wait:,} given up after a week of "
                            f"{'its site' if self.given_up_asked_to_wait == 1 else 'their sites'} asking to wait")
        if self.given_up_at_once:
            given_up.append(f"{self.given_up_at_once:,}{' given up' * (not given_up)} at once: no article page")
        given_up = f" ({', '.join(given_up)})" if given_up else ""
        if self.passed_over:
            waiting += f", {self.passed_over:,} passed over (no article link: audio, video or none)"
        updated = f"{len(self.updated):,} updated, " if self.updated else ""
        return (f"{len(self.new):,} new, {updated}{self.known:,} already known, {len(self.failed):,} failed{given_up}"
                f"{waiting} ({checked})")


def _entry_id(entry) -> str | None:
    return entry.get("id") or entry.get("link") or None


def _web_address(link: str) -> bool:
    try:
        check_url(link)
    except CitebotError:
        return False
    return True


def _items(entries, home: str | None = None) -> list[tuple[str | None, str | None]]:
    """The (id, link) of each of a feed's ``entries``. An id that entries with different links share (a feed giving
    every item the site's address as its id) is none of theirs: each is known by the id and its link. A link to the
    feed's ``home`` page (its channel's link: a podcast linking each episode to the show's site) is no article's."""
    links: dict[str | None, set] = {}
    for entry in entries:
        links.setdefault(_entry_id(entry), set()).add(_link(entry))
    items = []
    for entry in entries:
        key, link = _entry_id(entry), _link(entry)
        if link:  # as a browser reads it (tabs and line breaks dropped, another control character percent-encoded),
            # not an escape sequence in a warning
            link = _CONTROL.sub(lambda found: "" if found.group() in "\t\n\r" else quote(found.group()), link.strip())
        # feedparser's copy of an id that is no address (an Atom "urn:uuid:…", an RSS guid not marked
        # isPermaLink="false" beside a podcast's audio): the item has no link
        if link and entry.get("link") and not _alternates(entry) and not _web_address(link):
            link = None
        if link and home and _same_page(link, home):
            link = None
        items.append((f"{key} {link}" if key is not None and len(links[key]) > 1 else key, link))
    return items


def _same_page(link: str, other: str) -> bool:
    """Whether two addresses name one page, told apart neither by http and https, the host's case, nor a last slash."""
    try:
        one, two = urlsplit(link.strip()), urlsplit(other.strip())
    except ValueError:
        return False
    return (one.netloc.lower(), one.path.rstrip("/"), one.query, one.fragment) == (
        two.netloc.lower(), two.path.rstrip("/"), two.query, two.fragment)


def _http_address(url: str) -> str:
    """``url`` read as feed readers read the feed: scheme of the links sites give their feeds
    ("feed://host/rss.xml" is http://host/rss.xml, "feed:https://host/rss.xml" is https://host/rss.xml)."""
    url = url.strip()
    if url[:5].lower() != "feed:":
        return url
    rest = url[5:]
    return rest if re.match(r"https?://", rest, re.I) else f"http:{rest}"


def _alternates(entry) -> list[str]:
    """The addresses an entry links to as itself (not its enclosures: a podcast episode's audio)."""
    return [link.get("href") for link in entry.get("links") or [] if link.get("rel", "alternate") == "alternate"]


def _link(entry) -> str | None:
    """An entry's link; for one without, its first enclosure that citebot reads, a PDF or a web page (a feed of reports
    gives each as an enclosure), not audio, video or an image."""
    return entry.get("link") or next(
        (link.get("href") for link in entry.get("links") or [] if link.get("rel") == "enclosure" and link.get("href")
         and (link.get("type") or "").split(";")[0].strip().lower() in PAGE_TYPES), None)


class FeedList:
    """The followed feeds: URL, title, HTTP validators (ETag, Last-Modified), the item ids already taken (or given
    up), how many updates each failing item has failed in, when each item given up was last tried, and the same of a
    feed that cannot be read."""

    def __init__(self, index_dir: Path, clock=time.time):
        self.index_dir = Path(index_dir)
        self.clock = clock  # seconds since the epoch: when an item first failed, and whether a day has passed
        self.path = self.index_dir / FEEDS_FILE

    # ---- the file ------------------------------------------------------------------------
    def feeds(self) -> list[dict]:
        return self._read()[0]

    def _read(self) -> tuple[list[dict], list[dict]]:
        """The feeds followed, and those removed (URL and items taken) that ``add`` remembers."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return [], []
        except (OSError, ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            raise CitebotError(f"cannot read {self.path}: {exc}") from None
        feeds = data.get("feeds", []) if isinstance(data, dict) else None
        if not isinstance(feeds, list) or not all(
                isinstance(f, dict) and isinstance(f.get("url"), str) and isinstance(f.get("seen", []), list) for f in feeds):
            raise CitebotError(f"cannot read {self.path}: not a list of feeds with their URLs; fix or remove it, "
                               "then follow the feeds again with `citebot feeds add URL`")
        removed = data.get("removed", [])
        if not isinstance(removed, list):  # only a memory: a mangled one is forgotten, not an error
            removed = []
        removed = [r for r in removed if isinstance(r, dict) and isinstance(r.get("url"), str)
                   and isinstance(r.get("seen"), list)]
        # A field of another type (a hand edit) is dropped here, not a traceback later: the title and HTTP validators
        # are fetched again, and an id that is not text is no feed item's.
        for feed in feeds:
            for name in ("title", "etag", "modified", "checked", "unreadable", "unreadable_since", "left_at",
                         "left_why"):
                if name in feed:
                    feed[name] = feed[name] if isinstance(feed[name], str) else None
            if not isinstance(feed.get("left_asked_to_wait", False), bool):
                del feed["left_asked_to_wait"]
            if "wait_until" in feed and not (isinstance(feed["wait_until"], (int, float))
                                             and not isinstance(feed["wait_until"], bool)):
                del feed["wait_until"]
            if "wait_until" in feed and not feed["wait_until"] <= self.clock() + MAX_RETRY_AFTER_S:
                # further on than a site's wait is kept (a day): the clock set back since a 429 answered while it ran
                # ahead held the feed as long, Infinity (a hand edit) for good, and `feeds list` stopped (OverflowError)
                del feed["wait_until"]
            if "wait_until" in feed and not (feed.get("left_at") and feed.get("left_asked_to_wait")):
                # with no 429 beside it: an older release, which keeps it as it was, read the feed meanwhile (it was
                # held the rest of the wait, `feeds list` saying nothing of why)
                del feed["wait_until"]
            if "asked_to_wait" in feed and not (_is_tries(feed["asked_to_wait"]) and len(feed["asked_to_wait"]) == 2
                                                and (feed.get("left_at") or feed.get("unreadable"))):
                # dropped with neither beside it (this release keeps one with the 429's "left_at", or with "unreadable"
                # once it is so): the release before, which keeps it as it was, read the feed meanwhile (a week on, its
                # first 429 was the third of a week of them, the feed unreadable at once)
                del feed["asked_to_wait"]
            for name in ("unreadable_tries", "unreadable_retry"):
                # dropped with no "unreadable" beside it: the previous release, which keeps these as they were, read
                # the feed again meanwhile
                if name in feed and not (feed.get("unreadable") and _is_tries(feed[name]) and len(feed[name]) == 2):
                    del feed[name]
            feed["title"] = _one_line(feed.get("title"))  # one saved before titles were made one line
            for name in ("passed_over", "waiting"):
                if not _is_count(feed.get(name)):
                    feed.pop(name, None)
        for feed in feeds + removed:
            feed["seen"] = [key for key in feed.get("seen", []) if isinstance(key, str)]
            given_up = feed.get("given_up")
            feed["given_up"] = [key for key in given_up if isinstance(key, str)] if isinstance(given_up, list) else []
        for feed in feeds:
            for name in ("tries", "retry", "asked"):
                pairs = feed.get(name)
                feed[name] = {key: n for key, n in pairs.items() if _is_tries(n)} if isinstance(pairs, dict) else {}
            versions = feed.get("versions")
            feed["versions"] = {key: v for key, v in versions.items() if _is_version(v)} if isinstance(
                versions, dict) else {}
            stored_as = feed.get("stored_as")
            feed["stored_as"] = {key: url for key, url in stored_as.items() if isinstance(url, str)} if isinstance(
                stored_as, dict) else {}
        return list(feeds), removed

    def _save(self, feeds: list[dict], removed: list[dict]) -> None:
        tmp = self.path.with_name(f".{FEEDS_FILE}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
        try:
            body = {"feeds": feeds, "removed": removed} if removed else {"feeds": feeds}
            tmp.write_text(json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except BaseException as exc:
            tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):  # a full disk, a read-only index folder: it said "No space left on device" alone
                raise CitebotError(f"cannot write {self.path}: {exc.strerror or exc}") from None
            raise

    @contextmanager
    def _lock(self):
        # `citebot feeds update` and the bot's feed job must not poll (and rewrite the file) at once.
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with (self.index_dir / ".feeds.lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # an update takes minutes: said, else a `feeds add` looks hung
                log.warning("waiting for another citebot updating the feeds (or changing the list) to finish")
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ---- commands ------------------------------------------------------------------------
    def add(self, url: str, fetcher: Fetcher) -> dict:
        """Follow the feed at ``url`` (fetched once to check it is RSS, Atom or a JSON Feed); returns its entry."""
        return self.follow(url, fetcher)[0]

    def follow(self, url: str, fetcher: Fetcher) -> tuple[dict, bool]:
        """``add``, and whether the feed is followed from now on (False: it was already); ListOfFeeds for an OPML list
        of feeds given for a feed."""
        ((_, followed),) = self.follow_each([url], fetcher)
        if isinstance(followed, BaseException):
            raise followed
        return followed

    def follow_each(self, urls: list[str], fetcher: Fetcher) -> Iterator[tuple[str, tuple[dict, bool] | CitebotError]]:
        """``follow`` each of ``urls`` (an OPML list's), each with what ``follow`` returns or the CitebotError it
        raises, in their order; their feeds are fetched a few at a time (two at most of one site), so that a slow or
        dead one holds up no other."""
        followed = {feed["url"] for feed in self._read()[0]}

        def fetched(given: str) -> tuple[str, tuple | None]:
            url = check_url(_http_address(given))
            return url, None if url in followed else _probe(fetcher, url)  # None: looked at again under the lock

        for given, done in in_order(urls, fetched, address=_http_address):
            try:
                yield given, self._followed(*done.result(), fetcher)
            except CitebotError as exc:
                yield given, exc

    def _followed(self, url: str, probed: tuple | None, fetcher: Fetcher) -> tuple[dict, bool]:
        """The feed at ``url`` (``_probe``'s ``probed``, or None when it was followed already) in the list from now on,
        and whether it was not before."""
        with self._lock():
            feeds, removed = self._read()
            found = next((f for f in feeds if f["url"] == url), None)
            if found:
                return found, False
            moved, title = probed or _probe(fetcher, url)  # (no longer followed: removed meanwhile)
            if moved:  # followed where the site says it now is for good, as a reader's link is edited
                url = moved
                found = next((f for f in feeds if f["url"] == url), None)
                if found:
                    return found, False
            # Followed before: the items taken then are not taken again (articles deleted since stay deleted).
            before = next((r for r in removed if r["url"] == url), None)
            feed = {"url": url, "title": title, "etag": None, "modified": None,
                    "seen": [str(k) for k in before["seen"]] if before else [], "checked": None}
            if before and before["given_up"]:
                feed["given_up"] = before["given_up"]
            feeds.append(feed)
            self._save(feeds, [r for r in removed if r is not before])
            return feed, True

    def remove(self, url: str) -> dict:
        """Stop following the feed at ``url`` (as ``feeds()`` lists it, or as ``add`` was given it); returns its entry.
        The articles taken from it stay in the corpus: they are articles like any other."""
        url = _http_address(url)
        with self._lock():
            feeds, removed = self._read()
            found = next((f for f in feeds if f["url"] == url), None)
            if found is None:
                raise CitebotError(f"not following {url}: `citebot feeds list` shows the feeds followed",
                                   key="not_following", url=url)
            removed = [r for r in removed if r["url"] != url] + [
                {"url": url, "seen": found["seen"], "given_up": found["given_up"]}]
            self._save([f for f in feeds if f is not found], removed[-REMOVED_KEPT:])
            return found

    def update(self, fetcher: Fetcher, adder: ArticleAdder, progress: bool = False,
               on_new: Callable[[Added], None] | None = None, stop: threading.Event | None = None,
               only: list[str] | None = None) -> FeedReport:
        """Fetch every feed (conditional GET) and add the items not taken before; ``on_new`` is told of each new
        article as it is added (an update stopped midway has told of what it took). Once ``stop`` is set (a bot
        stopping), no other feed or item is fetched: the items not reached are left for the next update. Given
        ``only`` (URLs, as ``remove`` takes them), only those feeds are fetched, each now even if it is unreadable for a
        while and not due a try (its server mended); CitebotError, before any fetch, for one not followed."""
        report = FeedReport()
        with self._lock():
            feeds, removed = self._read()
            named = None if only is None else {_http_address(url) for url in only}
            for url in sorted(named or ()):
                if not any(f["url"] == url for f in feeds):
                    raise CitebotError(f"not following {url}: `citebot feeds list` shows the feeds followed",
                                   key="not_following", url=url)
            try:
                self._update(feeds, fetcher, adder, report, progress, on_new, stop or threading.Event(), named)
            finally:  # what was taken is remembered even if something unforeseen stops the update
                self._save(feeds, removed)
        return report

    def _update(self, feeds: list[dict], fetcher: Fetcher, adder: ArticleAdder, report: FeedReport,
                progress: bool, on_new: Callable[[Added], None] | None, stop: threading.Event,
                named: set[str] | None = None) -> None:
        from tqdm import tqdm

        todo = []  # (feed, entry id, link, whether it was given up, the item's version, whether it was taken before)
        answered = []  # (feed, ETag, Last-Modified, the ids it lists) of each feed that sent its items
        failing = set()  # ids of the feeds with an item that failed or waits for the next update
        waits: dict[int, int] = {}  # id of a feed -> its new (or updated) items left for the next update

        def wait(feed: dict, counted: bool = True) -> None:
            """One of ``feed``'s items left for the next update; ``counted``: a new or updated one, not one given up."""
            report.waiting += counted
            waits[id(feed)] = waits.get(id(feed), 0) + counted
            failing.add(id(feed))

        now = self.clock()
        asks = []  # (feed, its address, ETag, Last-Modified): what each fetch asks, settled before any is begun
        for feed in feeds:
            _not_ahead(feed, now)
            if named is not None and feed["url"] not in named:
                continue
            if "unreadable_retry" in feed and not _retry_due(feed["unreadable_retry"], now) and named is None:
                report.feeds_resting += 1  # `feeds list` says when it is tried next
                continue
            if now < feed.get("wait_until", now) and named is None:  # its site's Retry-After, not over
                report.feeds_held += 1
                continue
            feed.pop("wait_until", None)
            # A 304 would hide an item given up whose next try is due: such a feed is fetched in full.
            due = any(_retry_due(tried, now) for tried in feed["retry"].values())
            asks.append((feed, feed["url"], None if due else feed.get("etag"), None if due else feed.get("modified")))
        # A host serving 1,000 of the feeds that accepts connections and never answers held every update a timeout
        # for each two of them (two hours): once it has not answered a feed (within the timeout) and answered none, its
        # other feeds of the update are left for the next, untried, as its items are.
        feed_hosts = _SilentHosts()

        def listing_of(ask: tuple) -> _Listing | None:  # None: not fetched, its host silent
            host = host_of(ask[1])
            if feed_hosts.silent(host) is not None:
                return None
            try:
                got = _listing(fetcher, *ask[1:])
            except CitebotError as exc:
                feed_hosts.fetched(host, exc)
                raise
            feed_hosts.fetched(host)
            return got

        # A few feeds fetched at once (two at most of one site), each read here in the list's order: fetched one after
        # another, a feed answering at the end of its timeout, or a dead host, held up every feed after it.
        for (feed, url, *_), fetched in in_order(asks, listing_of, address=lambda ask: ask[1], stop=stop):
            if stop.is_set():
                break
            if fetched.exception() is None and fetched.result() is None:
                feed_hosts.leave(host_of(url))
                report.feeds_waiting += 1
                # `feeds list` says so: it showed such a feed "last checked never", as if it were never asked for
                feed["left_at"], feed["left_why"] = _stamp(self.clock()), feed_hosts.why[host_of(url)]
                feed["left_asked_to_wait"] = host_of(url) in feed_hosts.limited
                continue
            report.feeds += 1
            feed["checked"] = _stamp(self.clock())
            error = fetched.exception()
            down = None  # a site's wait asked for so long that it is taken for the feed's being unreadable
            if isinstance(error, CitebotError) and _too_many_requests(error):
                # Asked in TRIES updates over ASKED_TO_WAIT_GIVE_UP_S, as an item is: a site answering so for ever (a
                # misconfigured rate limit) was never unreadable, and cron never told of it (exit code 1)
                asked_n, since = feed.get("asked_to_wait") or (0, self.clock())
                feed["asked_to_wait"] = [asked_n + 1, since]
                if asked_n + 1 >= TRIES and self.clock() - since >= ASKED_TO_WAIT_GIVE_UP_S:
                    down = CitebotError(f"{error} (its site has asked to wait for {_days(int(self.clock() - since))}, "
                                        f"in {asked_n + 1} updates)", key="feed_asked_to_wait_for_days", error=error,
                                        waited_days=int(self.clock() - since) // DAY_S, updates=asked_n + 1)
            if down is None and isinstance(error, CitebotError) and _too_many_requests(error):
                # Its site's rate limit, not a broken feed: it was "1 unreadable" (exit code 1 for cron), and a day of
                # it had the feed tried only days later. Left for the next update, as its items are.
                report.feeds_asked_to_wait += 1
                feed["left_at"], feed["left_why"], feed["left_asked_to_wait"] = feed["checked"], str(error), True
                # As long as it said (Retry-After, a day at most): asked again at once, each update was refused again.
                wait_s = _retry_after(error, now=self.clock())
                if wait_s:
                    feed["wait_until"] = self.clock() + wait_s
                log.warning("feed %s: %s (left for the %s, since its site asked to wait)", feed["url"], error,
                            f"first update after {_stamp(feed['wait_until'])}" if wait_s else "next update",
                            extra={"said": ("feed_asked_to_wait_until", {
                                "url": feed["url"], "reason": error, "until": _stamp(feed["wait_until"])})
                                if wait_s else ("feed_asked_to_wait", {"url": feed["url"], "reason": error})})
                continue
            for name in ("left_at", "left_why", "left_asked_to_wait"):
                feed.pop(name, None)
            try:
                if down is not None:
                    raise down
                listing = fetched.result()
            except CitebotError as exc:
                # `feeds list` says so: it showed the last update that read the feed as "last checked", all well
                feed["unreadable_since"] = feed.get("unreadable_since") or feed["checked"]
                feed["unreadable"] = _one_line(str(exc))
                report.failed.append(f"{feed['url']}: {exc}")
                report.feeds_failed += 1
                if named is not None and "unreadable_retry" in feed and not _retry_due(feed["unreadable_retry"], now):
                    # An operator's look at whether its server is mended, not one of its tries: failing, it pushed the
                    # next try out as a try does (a day became two), for having been asked about.
                    log.warning("feed %s: %s (unreadable since %s; tried now as named: its next try stays at the first "
                                "update after %s)", feed["url"], exc, feed.get("unreadable_since") or "then",
                                next_try(feed), extra={"said": ("feed_unreadable_named", {
                                    "url": feed["url"], "reason": exc, "since": feed.get("unreadable_since") or "then",
                                    "next": next_try(feed)})})
                    continue
                again, (key, values) = _unreadable_again(feed, exc, self.clock())
                log.warning("feed %s: %s%s", feed["url"], exc, again,
                            extra={"said": (key, {"url": feed["url"], "reason": exc, **values})})
                continue
            if "unreadable_retry" in feed:  # said, as its being tried less often was; good news, not a warning
                log.info("feed %s reads again (unreadable since %s): tried at every update again", feed["url"],
                         feed.get("unreadable_since") or "then", extra={"said": (
                             "feed_reads_again", {"url": feed["url"], "since": feed.get("unreadable_since") or "then"})})
            for name in ("unreadable", "unreadable_since", "unreadable_tries", "unreadable_retry", "asked_to_wait"):
                feed.pop(name, None)
            # Moved for good (and a feed there): asked there from now on, as feed readers do, not through a hop that
            # lasts only as long as the old address does. Not where another feed followed is already.
            if listing.moved and not any(f["url"] == listing.moved for f in feeds):
                log.warning("feed %s has moved for good to %s: followed there from now on", feed["url"], listing.moved,
                            extra={"said": ("feed_moved", {"url": feed["url"], "to": listing.moved})})
                if feed.get("title") == feed["url"]:  # an older citebot's stand-in for no title: no title of the new one
                    feed["title"] = None
                feed["url"] = listing.moved
            if listing.status == 304:
                feed.pop("waiting", None)
                report.not_modified += 1
                continue
            items = listing.items
            # Said in the summary and `feeds list`, not tried: an item with no page to read has none to read later.
            feed["passed_over"] = sum(1 for key, link in items if key is None or not link)
            report.passed_over += feed["passed_over"]
            versions = listing.versions
            if len(versions) > 1 and len({when for when, _ in versions}) == 1:
                # one date on every item: the time the feed was made (some generators stamp each item so), which says
                # nothing of any story: their words alone are compared
                versions = [[None, words] for _, words in versions]
            listed = {key for key, _ in items}
            answered.append((feed, listing.etag, listing.modified, listed))
            feed["title"] = listing.title or feed.get("title")
            seen, given_up = set(feed["seen"]), set(feed["given_up"])
            # Counts of the items still listed only: an item the feed dropped is not tried again anyway.
            tries, feed["tries"] = feed["tries"], {}
            retry, feed["retry"] = feed["retry"], {}
            asked, feed["asked"] = feed["asked"], {}
            # The records of items no longer listed under their ids, by link: a feed that gives its items new ids at
            # every fetch (guids stamped with the time) began a dead item's count of failures again at each update,
            # and it was never given up. An item of a new id and such a link takes its record over.
            unlisted = {record[2]: (old, record, records is retry) for records in (tries, retry)
                        for old, record in records.items() if old not in listed and len(record) > 2}
            # So are its site's asks to wait for it: counted from the first, not begun again at each new id (an item
            # asked to wait for a week was asked for at every update for ever, its site's other items held back)
            unasked = {record[2]: record for old, record in asked.items() if old not in listed and len(record) > 2}
            taking, retrying, refreshing = 0, [], 0
            # An id listed twice (under two titles) is one item, as the feed's first listing of it says: its two
            # versions, each remembered in turn, had it fetched again as a correction at every update.
            once = set()
            for (key, link), version in zip(items, versions):
                if key is None or not link or key in once:
                    continue
                once.add(key)
                if key not in seen and link in unlisted:
                    old, record, was_given_up = unlisted.pop(link)
                    if was_given_up:
                        feed["given_up"] = [key if k == old else k for k in feed["given_up"]]
                        feed["seen"].append(key)
                        seen.add(key)
                        given_up.add(key)
                        retry[key] = record
                    else:
                        tries[key] = record
                if key not in seen and key not in asked and link in unasked:
                    asked[key] = unasked.pop(link)
                if key in given_up and key not in feed["retry"]:  # tried again when due (at once: one given up
                    # by an older citebot, which did not time it)
                    feed["retry"][key] = (*retry.get(key, (0, 0.0))[:2], link)
                    if _retry_due(feed["retry"][key], now):
                        retrying.append((feed, key, link, True, version, False))
                        continue
                if key in seen:
                    before = feed["versions"].get(key)
                    # The address its story is stored under: a link through a redirector (feedproxy, t.co) is none
                    link = feed["stored_as"].get(key, link)
                    if key in given_up or before is None or not _corrected(before, version) or not adder.stored(link):
                        # (an item taken by an older citebot, which kept no version, is compared from now on; one whose
                        # article was deleted stays deleted)
                        if key not in given_up:
                            feed["versions"][key] = version
                        report.known += 1
                    elif refreshing < REFRESH_PER_UPDATE:  # its story was corrected: fetched again, as `add` does
                        todo.append((feed, key, link, False, version, True))
                        refreshing += 1
                    else:
                        wait(feed)
                    continue
                if key in tries:
                    feed["tries"][key] = (*tries[key][:2], link)
                if key in asked:
                    feed["asked"][key] = (*asked[key][:2], link)
                if taking < NEW_PER_UPDATE:  # a feed of 100,000 items (each fetched) must not hold an update for days
                    todo.append((feed, key, link, False, version, False))
                    taking += 1
                else:
                    wait(feed)
            # New items first; an item given up and due waits for an update with room (its feed fetched in full then)
            room = max(NEW_PER_UPDATE - taking, 0)
            todo.extend(retrying[:room])
            report.known += len(retrying[room:])
        feed_hosts.warn("feeds")
        dead: dict[str, str] = {}  # link -> why it failed: fetched once an update, however many items share it
        # A site gone quiet with 100 items in its feeds held every update 100 timeouts (25 minutes): once a server has
        # not answered an item (within the timeout) and answered none, its other items wait for the next update.
        item_hosts = _SilentHosts()
        # The pages of new items are fetched a few at once, as the feeds are (a slow page held up every item after it),
        # each link once and only one not stored already; the items are stored here, one at a time, in their order.
        fetching, links = set(), set()  # the indices in todo of the pages fetched ahead
        for i, (_, _, link, _, _, again) in enumerate(todo):
            if not again and link not in links and not adder.stored(link):
                fetching.add(i)
            links.add(link)

        def fetch_ahead(numbered: tuple[int, tuple]):
            i, (_, _, link, *_) = numbered
            if i not in fetching:
                return None
            host = host_of(link)
            why = item_hosts.silent(host)
            if why is not None:
                raise _Untried(why)
            try:
                page = adder.fetcher.get(link, accept=PAGE_TYPES)
            except CitebotError as exc:
                item_hosts.fetched(host, exc)
                raise
            item_hosts.fetched(host)
            return page

        handled = 0
        for (_, (feed, key, link, was_given_up, version, again)), ahead in tqdm(
                in_order(enumerate(todo), fetch_ahead, address=lambda numbered: numbered[1][2], ahead=PAGES_AHEAD,
                         stop=stop),
                total=len(todo), desc="feed items", unit="item", disable=not progress or not todo, leave=False):
            handled += 1
            host, error = host_of(link), ahead.exception()
            fetched = ahead if error is not None or ahead.result() is not None else None  # its page, fetched ahead
            if isinstance(error, _Untried) or (again and item_hosts.silent(host) is not None):
                # not tried, not counted as a try: the next update tries it
                item_hosts.leave(host)
                wait(feed, not was_given_up)
                continue
            if again:  # taken before, and updated in the feed since: its story fetched again
                before, feed["versions"][key] = feed["versions"].get(key), version  # once: a correction that cannot
                # be stored is not fetched at each poll
                try:
                    added = adder.add_url(link, refresh=True)
                except AddError as exc:
                    item_hosts.fetched(host, exc)
                    if _too_many_requests(exc):  # asked to wait: fetched at the next update, the correction not lost
                        feed["versions"][key] = before
                        log.warning("feed item %s, updated in its feed: %s (left for the next update, since its site "
                                    "asked to wait)", link, exc.values.get("cause") or exc.reason, extra={"said": (
                                        "feed_item_updated_asked_to_wait",
                                        {"link": link, "reason": exc.values.get("cause") or exc})})
                        wait(feed)
                        continue
                    report.failed.append(f"{link}: {exc.reason}")
                    log.warning("feed item %s, updated in its feed: %s", link, exc.reason,
                                extra=_said("feed_item_updated_failed", link, exc))
                    continue
                item_hosts.fetched(host)
                if key in feed["stored_as"] and added.url:  # (``link`` is that address: its story's, perhaps moved)
                    feed["stored_as"][key] = added.url
                if added.updated:
                    report.updated.append(added)
                    if on_new:
                        on_new(added)
                else:
                    report.known += 1
                continue
            try:
                if link in dead:  # 100 items linking to one page that never answers held an update 100 timeouts
                    raise dead[link]
                added = adder.add_url(link, fetched=fetched)
            except AddError as exc:
                dead[link] = exc
                now = self.clock()
                if _too_many_requests(exc) and was_given_up:  # (asked at every update, its next try never pushed)
                    report.failed.append(f"{link}: {exc.reason}")
                    tried = feed["retry"][key][0] + 1
                    feed["retry"][key] = (tried, now, link)
                    log.warning("feed item %s: %s (its site still asking to wait; tried again in %s)", link,
                                exc.reason, _days(_retry_wait(tried)), extra=_said(
                                    "feed_item_still_asked_to_wait", link, exc, wait_days=_retry_wait(tried) // DAY_S))
                    continue
                if _too_many_requests(exc):  # its site's rate limit, not the page's fault: a day of it gave the item up
                    asked_n, since = feed["asked"].get(key, (0, now))[:2]
                    feed["asked"][key] = (asked_n + 1, since, link)
                    if asked_n + 1 < TRIES or now - since < ASKED_TO_WAIT_GIVE_UP_S:
                        log.warning("feed item %s: %s (left for the next update, since its site asked to wait)", link,
                                    exc.reason, extra=_said("feed_item_asked_to_wait", link, exc))
                        wait(feed)
                        continue
                    report.failed.append(f"{link}: {exc.reason}")
                    log.warning("feed item %s: %s (given up, its site having asked to wait for it for %s, in %d "
                                "updates: no wait but a page down; tried again in %s)", link, exc.reason,
                                _days(int(now - since)), asked_n + 1, _days(_retry_wait(0)), extra=_said(
                                    "feed_item_given_up_asked_to_wait", link, exc, waited_days=int(now - since) // DAY_S,
                                    updates=asked_n + 1, wait_days=_retry_wait(0) // DAY_S))
                    report.given_up += 1
                    report.given_up_asked_to_wait += 1
                    del feed["asked"][key]
                    feed["tries"].pop(key, None)
                    feed["seen"].append(key)
                    feed["given_up"].append(key)
                    feed["retry"][key] = (0, now, link)
                    continue
                report.failed.append(f"{link}: {exc.reason}")
                if was_given_up:
                    tried = feed["retry"][key][0] + 1
                    feed["retry"][key] = (tried, now, link)
                    log.warning("feed item %s: %s (still failing; tried again in %s)", link, exc.reason,
                                _days(_retry_wait(tried)),
                                extra=_said("feed_item_still_failing", link, exc, wait_days=_retry_wait(tried) // DAY_S))
                    continue
                # Tried again at the next update (a timeout today may be an article tomorrow), till given up.
                failed, since = feed["tries"].get(key, (0, now))[:2]
                feed["tries"][key] = (failed + 1, since, link)
                at_once = exc.key in _NO_ARTICLE_PAGE
                if not at_once and (failed + 1 < TRIES or now - since < GIVE_UP_AFTER_S):
                    # said, as a given-up item's next try is: "HTTP 404 Not Found" alone left it to guess whether the
                    # item was dropped, or worth fixing a server, or a proxy, for
                    log.warning("feed item %s: %s (tried again at the next update)", link, exc.reason,
                                extra=_said("feed_item_retry", link, exc))
                    failing.add(id(feed))
                    continue
                if at_once:
                    log.warning("feed item %s: %s (no article page: given up at once; tried again in %s)", link,
                                exc.reason, _days(_retry_wait(0)),
                                extra=_said("feed_item_no_page", link, exc, wait_days=_retry_wait(0) // DAY_S))
                    report.given_up_at_once += 1
                else:
                    log.warning("feed item %s: %s (given up after failing for a day, %d tries; tried again in %s)",
                                link, exc.reason, failed + 1, _days(_retry_wait(0)), extra=_said(
                                    "feed_item_given_up", link, exc, tries=failed + 1, wait_days=_retry_wait(0) // DAY_S))
                    report.given_up += 1
                del feed["tries"][key]
                feed["asked"].pop(key, None)
                feed["seen"].append(key)
                feed["given_up"].append(key)
                feed["retry"][key] = (0, now, link)
                continue
            feed["tries"].pop(key, None)
            feed["asked"].pop(key, None)
            feed["versions"][key] = version
            if added.is_new:  # (not a story stored before, perhaps another site's copy of the same text)
                _remember_address(feed, key, link, added, adder)
            if was_given_up:
                feed["retry"].pop(key, None)
                feed["given_up"].remove(key)
            else:
                feed["seen"].append(key)
            if added.is_new:
                report.new.append(added)
                if on_new:
                    on_new(added)
            else:
                report.known += 1
        if stop.is_set():  # a poll of 30 feeds held a stopping bot for minutes: the rest wait for the next one
            for waiting in todo[handled:]:
                wait(waiting[0], not waiting[3])  # an item given up is not counted: it was not new
        item_hosts.warn("feed items")
        # The validators are kept only once every item was taken: with a failed item's feed answering
        # 304 until it changed, the item would never be tried again. Such a feed is fetched in full.
        for feed, etag, modified, listed in answered:
            if id(feed) not in failing:
                feed["etag"], feed["modified"] = etag, modified
            if waits.get(id(feed)):  # `feeds list` says so: "100 items taken" of 2,101 read as all of them
                feed["waiting"] = waits[id(feed)]
            else:
                feed.pop("waiting", None)
            # An id the feed still lists is kept however many there are: forgotten, its item was taken again at the
            # next update, and a feed listing more than SEEN_KEPT items went round its first ones for ever.
            feed["seen"] = _kept(feed["seen"], listed)
            feed["given_up"] = _kept(feed["given_up"], listed)
            feed["versions"] = {key: version for key, version in feed["versions"].items() if key in listed}
            feed["stored_as"] = {key: url for key, url in feed["stored_as"].items() if key in listed}


def _remember_address(feed: dict, key: str, link: str, added: Added, adder: ArticleAdder) -> None:
    """The address ``added`` (``key``'s story, taken from ``link``) is stored under, kept when ``link`` is none of its
    stored copy's (a redirector's, feedproxy or t.co): a correction of the item is fetched there."""
    if added.url and not adder.stored(link):
        feed["stored_as"][key] = added.url


@dataclass
class _Listing:
    """What a feed answered an update, without its body: fetches done at once hold no more than this."""

    status: int
    moved: str | None
    etag: str | None = None
    modified: str | None = None
    title: str | None = None
    items: list = field(default_factory=list)     # (id, link) of each item, as ``_items`` gives them
    versions: list = field(default_factory=list)  # ``_version`` of each


def _listing(fetcher: Fetcher, url: str, etag: str | None, modified: str | None) -> _Listing:
    """The feed at ``url`` fetched (a conditional GET given ``etag`` or ``modified``) and read; CitebotError says why
    it could not be."""
    page = _fetch(fetcher, url, etag=etag, modified=modified)
    if page.status == 304:
        return _Listing(304, page.moved)
    with _READING:  # and what is kept of it taken, before another is read
        parsed = _parse(page, url)
        return _Listing(page.status, page.moved, page.headers.get("etag"), page.headers.get("last-modified"),
                        _feed_title(parsed.feed), _items(parsed.entries, parsed.feed.get("link")),
                        [_version(entry) for entry in parsed.entries])


class _SilentHosts:
    """The hosts of an update's fetches (feeds, or items' pages) that did not answer one within its timeout and answered
    none, or that answered one "429 Too Many Requests" (a rate limit: asking on was asking to be refused, each refusal
    counted towards giving an item up): their other fetches are left for the next update, untried, and said in one
    warning a host. The fetching threads call it (a dict's or a set's single steps)."""

    def __init__(self):
        self.why: dict[str, str] = {}   # host -> why it did not answer
        self.errors: dict[str, CitebotError] = {}  # host -> the error that said so, for the warning in other languages
        self.heard: set[str] = set()    # hosts that answered a fetch (a page, a 404...)
        self.limited: set[str] = set()  # hosts that answered a fetch 429: asked to wait, whatever they answered before
        self.left: dict[str, int] = {}  # host -> its fetches left for the next update

    def silent(self, host: str) -> str | None:
        """Why ``host`` is taken for silent (or asking to wait), or None when it is not."""
        return None if host in self.heard and host not in self.limited else self.why.get(host)

    def fetched(self, host: str, exc: CitebotError | None = None) -> None:
        """What a fetch from ``host`` came to: ``exc`` when it failed."""
        if exc is not None and _too_many_requests(exc):
            # The site that answered it, after any redirect: a t.co or FeedBurner hop in front of 100 sites' items was
            # taken for the site asking to wait, and every item through it held back. The host asked is held too where
            # it is the same site (example.org moved to www.example.org): keyed by the www host alone, every item linked
            # at example.org was asked for and refused.
            answered = _answered_at(exc) or host
            for limited in {host, answered} if _same_site(host, answered) else {answered}:
                self.why[limited], self.errors[limited] = getattr(exc, "reason", str(exc)), exc
                self.limited.add(limited)
        elif exc is not None and _unanswered(exc):
            if host not in self.why:
                self.why[host], self.errors[host] = getattr(exc, "reason", str(exc)), exc
        else:
            self.heard.add(host)

    def leave(self, host: str) -> None:
        self.left[host] = self.left.get(host, 0) + 1

    def warn(self, what: str) -> None:
        """Say the fetches left for each host: ``what`` they are, "feeds" or "feed items"."""
        for host, untried in self.left.items():
            key = f"{what.replace(' ', '_')}_left_{'asked_to_wait' if host in self.limited else 'not_answering'}"
            log.warning("%s at %s: %d more left for the next update, since it %s (%s)", what, host, untried,
                        "asked to wait" if host in self.limited else "did not answer", self.why[host], extra={"said": (
                            key, {"host": host, "n": untried, "reason": self.errors.get(host) or self.why[host]})})


class _Untried(Exception):
    """A page not fetched, its server having not answered another item's (the reason): left for the next update."""


def _unanswered(exc: CitebotError) -> bool:
    """Whether a fetch failed because its server did not answer (a stored story's copy kept for that reason too)."""
    cause = exc.values.get("cause")
    return exc.key in _NO_ANSWER or (isinstance(cause, CitebotError) and cause.key in _NO_ANSWER)


def _too_many_requests(exc: CitebotError) -> bool:
    """Whether a fetch was answered "429 Too Many Requests", or "503 Service Unavailable" with a Retry-After (a site
    under maintenance saying till when: RFC 9110 gives it a 429's meaning), a stored story's copy kept for that reason
    too: its server asking to wait, not the page's fault. A 503 that says no wait is a failure as a 500 is: one whose
    Retry-After said none ("0", "soon", a time past) was taken for asking to wait, its item never given up, its feed
    never unreadable."""
    cause = exc.values.get("cause")
    return any(isinstance(error, CitebotError) and error.key == "http_status" and (
        str(error.values.get("status", "")).startswith("429") or
        (str(error.values.get("status", "")).startswith("503") and _retry_after(error) is not None))
        for error in (exc, cause))


def _answered_at(exc: CitebotError) -> str | None:
    """The host that answered a fetch "429 Too Many Requests" (after its redirects), or None when not said."""
    cause = exc.values.get("cause")
    for error in (exc, cause):
        if isinstance(error, CitebotError) and error.values.get("answered_at"):
            return host_of(error.values["answered_at"])
    return None


def _same_site(one: str, other: str) -> bool:
    """Whether hosts (``host_of``'s, with their ports) are one site: the same, or one under the other (www.example.org
    and example.org, news.example.org); not a redirector (t.co) and the site it sends to."""
    return one == other or one.endswith(f".{other}") or other.endswith(f".{one}")


def _retry_after(exc: CitebotError, now: float | None = None) -> int | None:
    """The seconds a 429's (or a 503's) Retry-After asked to wait (given in seconds or as an HTTP date, counted from
    ``now``, the feed list's clock: the machine's by default), the longest of several headers (a proxy's and the site's:
    joined into one by httpx, "120, 3600" read as no wait), MAX_RETRY_AFTER_S at most; None for none, one past, or one
    that reads as neither."""
    said = exc.values.get("retry_after") or ()
    now = time.time() if now is None else now
    waits = [seconds for line in ([said] if isinstance(said, str) else said) for value in _values_said(line)
             if (seconds := _wait_said(value, now))]
    return min(max(waits), MAX_RETRY_AFTER_S) if waits else None


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _values_said(line) -> list[str]:
    """The values of one Retry-After header line: one, or several that a proxy merging repeated headers joined with
    commas ("120, 3600" was read as no wait); an HTTP date keeps its own comma ("Sun, 06 Nov 1994 08:49:37 GMT"), but
    a weekday alone before seconds is no date's ("Wed, 3600" was read as one date, none: no wait). At most 8, as the
    header lines read (each line's length the HTTP client's bound)."""
    parts = [part.strip() for part in str(line or "").split(",", 16)[:16]]
    values = []
    while parts and len(values) < 8:
        part = parts.pop(0)
        if parts and part.lower()[:3] in _WEEKDAYS and part.isalpha() and not parts[0].isdigit():
            part = f"{part}, {parts.pop(0)}"  # a date's weekday and the rest of it
        values.append(part)
    return values


def _wait_said(said, now: float) -> int | None:
    """The seconds one Retry-After header's value asks to wait from ``now``; None for none, one past, or one that reads
    as neither."""
    import datetime
    import math
    from email.utils import parsedate_to_datetime

    said = str(said or "").strip()
    if said.isascii() and said.isdigit():  # ("²" is a digit to isdigit, not to int: it stopped the update)
        seconds = int(said[:12])
    else:
        try:
            when = parsedate_to_datetime(said)
            # An HTTP date is in GMT, whatever it says: one with no zone (asctime's, or "-0000") was read in the
            # machine's local time, New York's hour's wait six hours, Kyiv's a time past.
            when = when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)
            seconds = math.ceil(when.timestamp() - now)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return seconds if seconds > 0 else None


def _probe(fetcher: Fetcher, url: str) -> tuple[str | None, str | None]:
    """The feed at ``url`` fetched once, to follow it: where it moved for good (None: it did not) and its title;
    CitebotError, ListOfFeeds for an OPML list, when it cannot be followed."""
    try:
        page = _fetch(fetcher, url)
        parsed = None if is_opml(page.body) else _parse(page, url)
    except CitebotError as exc:
        raise CitebotError(f"cannot follow {url}: {exc}", key="cannot_follow", url=url, cause=exc) from None
    if parsed is None:
        raise ListOfFeeds(f"cannot follow {url}: a list of feeds (OPML), not a feed", body=page.body)
    return page.moved, _feed_title(parsed.feed)


def counts(feed: dict) -> tuple[int, int, int]:
    """How many of a listed feed's (``FeedList.feeds()``) items were taken, given up, and are failing."""
    given_up = len(set(feed["given_up"]).intersection(feed["seen"]))
    return len(feed["seen"]) - given_up, given_up, len(feed["tries"])


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _feed_title(channel) -> str | None:
    """The feed's title as plain text: an HTML title (Atom's ``type="html"``, or escaped markup in RSS) loses its
    tags and has its entities read, so that "Tom &amp;amp; Jerry <i>daily</i>" is listed as "Tom & Jerry daily"."""
    title = channel.get("title")
    if title and channel.get("title_detail", {}).get("type") in ("text/html", "application/xhtml+xml"):
        title = _html_text(str(title))
    return _one_line(title)


def _html_text(markup: str) -> str:
    """The text of an HTML fragment, its <script> and <style> left out."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml refuses some fragments (one of only a comment): the markup as it is
        return markup
    for dropped in root.xpath("//script|//style"):
        dropped.drop_tree()
    return root.text_content()


_DIRECTION = re.compile(f"[{DIRECTION_MARKS}]")  # "\u202eswen.knab-laer" shows as "real-bank.news"


def _one_line(title) -> str | None:
    """A feed's ``title`` as one line of plain text: its line breaks and control characters (a terminal's escape
    sequences) as spaces, the spaces collapsed, and its direction overrides as U+FFFD; None for none."""
    return " ".join(_DIRECTION.sub("\ufffd", _CONTROL.sub(" ", str(title))).split()) or None if title else None


def _kept(ids: list, listed: set) -> list:
    """``ids`` less the oldest of those not in ``listed``, down to SEEN_KEPT if they go that far."""
    over = len(ids) - SEEN_KEPT
    kept = []
    for key in ids:
        if over > 0 and key not in listed:
            over -= 1
            continue
        kept.append(key)
    return kept


def _unreadable_again(feed: dict, exc: CitebotError, now: float) -> tuple[str, tuple[str, dict]]:
    """What a feed that could not be read at ``now`` (``exc``) comes to, as the end of its warning, and as the message
    of ``bot.messages`` that says its warning and that message's values but the feed's url and ``reason``: a feed
    unreadable in TRIES updates over GIVE_UP_AFTER_S, or at once answering 410 Gone, is tried again on an item's
    schedule given up (a day later, then 2, 4 and every 7 days): a dead feed was fetched, and warned about, at every
    update for ever."""
    since = feed.get("unreadable_since") or "then"
    if "unreadable_retry" in feed:
        tried = feed["unreadable_retry"][0] + 1
        feed["unreadable_retry"] = [tried, now]
        return (f" (unreadable since {since}: tried again in {_days(_retry_wait(tried))})",
                ("feed_unreadable_retry", {"since": since, "wait_days": _retry_wait(tried) // DAY_S}))
    failed, first = feed.get("unreadable_tries") or (0, now)
    failed += 1
    # A 410 is the site saying on purpose that the feed is gone: tried again all the same, at a site mended or a 410
    # sent by mistake, but not every update for a day first.
    gone = exc.key == "http_status" and str(exc.values.get("status", "")).startswith("410")
    if not gone and (failed < TRIES or now - first < GIVE_UP_AFTER_S):
        feed["unreadable_tries"] = [failed, first]
        return "", ("feed_unreadable", {})
    feed.pop("unreadable_tries", None)
    feed["unreadable_retry"] = [0, now]
    why = "gone for good, its server says" if gone else f"in {failed} updates"
    said = {"since": since, "wait_days": _retry_wait(0) // DAY_S}
    return (f" (unreadable since {since}, {why}: tried again only in {_days(_retry_wait(0))})",
            ("feed_unreadable_gone", said) if gone else ("feed_unreadable_given_up", dict(said, updates=failed)))


def next_try(feed: dict) -> str | None:
    """When a listed feed (``FeedList.feeds()``) that is tried less often, unreadable for a while, is next due a try;
    None for one tried at every update."""
    tried = feed.get("unreadable_retry")
    return _stamp(tried[1] + _retry_wait(tried[0])) if tried else None


def waits_till(feed: dict) -> str | None:
    """Till when a listed feed (``FeedList.feeds()``) is not asked, as its site's Retry-After (of a 429) said; None for
    none."""
    return _stamp(feed["wait_until"]) if feed.get("wait_until") else None


def _stamp(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _retry_wait(tried: int) -> int:
    """Seconds from an item's last try to its next, once given up and tried again ``tried`` times since."""
    return RETRY_WAITS_S[min(tried, len(RETRY_WAITS_S) - 1)]


def _said(key: str, link: str, exc: CitebotError, **values) -> dict:
    """A warning's ``extra``: its message in ``bot.messages`` (``key``) and its values, for a command to say it in the
    reader's language (bot/cli.py's _Said): ``exc`` why ``link`` failed, ``*_days`` whole days, ``tries`` and
    ``updates`` counts."""
    return {"said": (key, {"link": link, "reason": exc, **values})}


DAY_S = 24 * 3600


def _days(seconds: int) -> str:
    days = seconds // DAY_S
    return f"{days} day{'s' if days != 1 else ''}"


def _retry_due(tried: tuple, now: float) -> bool:
    """Whether an item given up, ``tried`` = (times tried again since, when last tried), is due a try at ``now``."""
    return now >= tried[1] + _retry_wait(tried[0])


def _version(entry) -> list:
    """What a feed item says of its story's version: [when it was last updated (or published), seconds since the epoch,
    or None; a hash of its title, summary and content]. Either changing says the story was corrected."""
    from feedparser.datetimes import _parse_date  # feedparser's reader of a feed's dates, of a JSON Feed's too

    stamp = dict.get(entry, "updated_parsed") or dict.get(entry, "published_parsed")  # dict's: not feedparser's
    if stamp is None:  # fallback from "updated" to "published", which warns
        written = dict.get(entry, "updated") or dict.get(entry, "published")
        stamp = _parse_date(written) if isinstance(written, str) else None
    words = [dict.get(entry, "title"), dict.get(entry, "summary")] + [
        part.get("value") for part in dict.get(entry, "content") or [] if isinstance(part, dict)]
    digest = hashlib.sha256("\x00".join(str(w) for w in words if w).encode("utf-8", "replace")).hexdigest()[:16]
    try:
        when = calendar.timegm(stamp) if stamp else None
    except (ValueError, OverflowError):  # read in UTC, a day before the year 1 or after 9999 (Go's zero time east of it)
        when = None
    return [when, digest]


def _corrected(before: list, now: list) -> bool:
    """Whether a feed item's version ``now`` is later than ``before`` (``_version``): a later date, or other words."""
    return (before[0] is not None and now[0] is not None and now[0] > before[0]) or now[1] != before[1]


def _is_version(value) -> bool:
    """True for a remembered ``_version``, as feeds.json holds it."""
    return (isinstance(value, list) and len(value) == 2 and (value[0] is None or isinstance(value[0], (int, float)))
            and isinstance(value[1], str))


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_tries(value) -> bool:
    """True for a remembered (failures, first failed at) pair, as feeds.json holds it, or one followed by its link. A
    time that is no time (NaN, -Infinity: JSON as Python reads it, a hand edit) is none: an item's or a feed's week of
    waits counted from it stopped every update with a traceback ("cannot convert float NaN to integer")."""
    return (isinstance(value, (list, tuple)) and len(value) in (2, 3) and _is_count(value[0])
            and isinstance(value[1], (int, float)) and math.isfinite(value[1]) and value[1] >= 0
            and (len(value) == 2 or isinstance(value[2], str)))


def _not_ahead(feed: dict, now: float) -> None:
    """``feed``'s remembered counts (``_is_tries``: an item's failures, waits and tries since given up, the feed's own),
    each time no later than ``now``: one kept while the machine's clock ran ahead, set back since, is taken as now, its
    count kept. An item's week of waits counted from a time a year on was asked for (its site's other items held back
    behind it) at every update for a year and a week, a feed asked to wait so never unreadable for as long; a failing
    item's day, or a given-up item's next try, as long."""
    for name in ("tries", "retry", "asked"):
        feed[name] = {key: [n[0], min(n[1], now), *n[2:]] for key, n in feed[name].items()}
    for name in ("asked_to_wait", "unreadable_tries", "unreadable_retry"):
        if name in feed:
            feed[name] = [feed[name][0], min(feed[name][1], now)]


def _fetch(fetcher: Fetcher, url: str, etag: str | None = None, modified: str | None = None):
    """The feed at ``url``, up to FEED_MAX_BYTES (or the fetcher's limit, if larger); one over it is refused with its
    size, when its server said it, and the limit."""
    limit = max(fetcher.max_bytes, FEED_MAX_BYTES)
    try:
        return fetcher.get(url, accept=FEED_TYPES, etag=etag, modified=modified, max_bytes=limit)
    except CitebotError as exc:
        if exc.key == "body_size":
            # how to read it said: it was refused at every poll, and nothing told an operator of --max-bytes
            raise CitebotError(f"the feed is {exc.values['size_bytes']:,} bytes, over the {limit:,}-byte limit for a "
                               f"feed (--max-bytes {exc.values['size_bytes']} reads it)") from None
        if exc.key == "body_over" and exc.values.get("expands", 0) > BOMB_EXPANDS:
            # a compression bomb (its Content-Length, if any, that of the body compressed): no larger limit is worth it
            sent = exc.values.get("sent")
            raise CitebotError(f"the feed{f', {sent:,} bytes compressed,' if sent else ', compressed,'} expands past "
                               f"the {limit:,}-byte limit for a feed, over {BOMB_EXPANDS} times its size (a "
                               "compression bomb?)") from None
        if exc.key == "body_over":
            # no Content-Length, or that of the body gzipped
            raise CitebotError(f"the feed is over the {limit:,}-byte limit for a feed (read up to the limit: its whole "
                               "size was not said; a larger --max-bytes reads it)") from None
        raise


# Feeds fetched at once are read one at a time: reading is Python's work, which threads do not share out, and a 25 MB
# feed takes about four times its size to read (eight read at once, 800 MB).
_READING = threading.RLock()


def _parse(page, url: str):
    """The feed ``page`` (fetched from ``url``) read, as feedparser reads one; one at a time in this process."""
    with _READING:
        return _read_feed(page, url)


def _read_feed(page, url: str):
    import feedparser  # only feed commands pay for the import

    # A JSON Feed by its first character, whatever it is served as; one served as JSON unless it begins as markup (an
    # RSS feed served as application/json). Its first bytes only: stripping a whole feed's copied it.
    first = page.body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"{" or (page.content_type in JSON_TYPES and first != b"<"):
        parsed = _json_feed(page.body, page.url or url, page.headers.get("content-type", ""))
        if parsed is not None:
            return parsed

    # A stream, never the bytes: feedparser opens bytes that name a file, so a feed answering "/dev/zero" was read
    # till memory ran out, and one answering a local file's path was that file.
    try:
        # Items' HTML (descriptions, content) is neither sanitized nor has its links resolved: only their links and
        # ids are read, and sanitizing a 0.9 MB description of 100,000 attributes peaked at 156 MB, 3.5 s.
        parsed = feedparser.parse(io.BytesIO(page.body), sanitize_html=False, resolve_relative_uris=False,
                                  response_headers={"content-location": page.url or url,
                                                    "content-type": page.headers.get("content-type", "")})
    except UnicodeError as exc:  # feedparser falls back from a charset Python does not know, not from "undefined"
        raise CitebotError(f"cannot read the feed: {exc}") from None
    if parsed.get("version") in (None, "") and not parsed.entries:
        named = _feeds_named(page, url) if page.content_type in HTML_TYPES else []
        if named:  # a site's front page given for its feed: the page says where the feed is
            raise CitebotError(f"not an RSS, Atom or JSON feed but a web page, which names its "
                               f"feed{'s' * (len(named) > 1)}: " + ", ".join(named))
        raise CitebotError("not an RSS, Atom or JSON feed")
    return parsed


def _feeds_named(page, url: str) -> list[str]:
    """The RSS, Atom and JSON feeds a web page names (``<link rel="alternate" type="application/rss+xml" href=…>``, as
    feed readers find them), each "URL (title)", at most five."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page.body)
    except Exception:  # lxml refuses some documents (an empty one): it names none
        return []
    named = []
    for link in root.iter("link"):
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in (link.get("rel") or "").lower().split() or kind not in (  # not "application/json":
                # WordPress names its REST API's JSON of the page so
                "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"):
            continue
        try:
            address = check_url(_CONTROL.sub("", urljoin(page.url or url, (link.get("href") or "").strip())))
        except (CitebotError, ValueError):
            continue
        title = _one_line(link.get("title"))
        entry = f"{address} ({title})" if title else address
        if entry not in named:
            named.append(entry)
    return named[:5]


JSON_TYPES = ("application/feed+json", "application/json")


def _json_text(body: bytes, content_type: str) -> str:
    """A JSON document's text: UTF-8, as JSON is (RFC 8259; a byte-order mark let pass), else in the charset its
    ``content_type`` header names, as feed readers read it."""
    from index.fetch import declared_codec

    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        codec = declared_codec(body, content_type)
        if codec and codec not in ("utf-8", "utf-8-sig"):
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                raise CitebotError(f"not a JSON Feed: neither UTF-8 nor {codec}") from None
        raise CitebotError("not a JSON Feed: not UTF-8") from None
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # after json.loads, whose escapes of a pair made one character
_JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/1(\.\d+)?/?")


def _json_feed(body: bytes, base: str, content_type: str = ""):
    """A JSON Feed (https://jsonfeed.org, version 1 or 1.1) read into what feedparser makes of an RSS or Atom feed
    (feedparser does not read JSON Feeds): the feed's title; each item's id, link (its ``url``, else its
    ``external_url``, resolved against ``base``), title, dates, text and attachments (as enclosures). None for a JSON
    document that is no JSON Feed (no version of one); CitebotError for a body that is not JSON, or a JSON Feed whose
    items are not a list. An item that is not an object is passed over, as feedparser passes over a broken item."""
    from feedparser import FeedParserDict

    try:
        data = json.loads(_json_text(body, content_type))
    except RecursionError:
        raise CitebotError("not a JSON Feed: nested too deep") from None
    except ValueError as exc:  # json.JSONDecodeError, or an integer of more digits than Python reads
        raise CitebotError(f"not a JSON Feed: {exc}") from None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not _JSON_FEED_VERSION.fullmatch(version.strip()):
        return None
    if not isinstance(data.get("items"), list):
        raise CitebotError("not a JSON Feed: its items are not a list")

    def text(value) -> str | None:
        # a lone surrogate (a "\ud83d" escape: an emoji's UTF-16 pair cut in half by a JavaScript slice) as U+FFFD, as a
        # decoder reads a broken byte: no UTF-8 writer takes it, and feeds.json's took the command down
        return _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) and value.strip() else None

    def address(value) -> str | None:
        try:
            return urljoin(base, text(value).strip()) if text(value) else None
        except ValueError:  # "http://[x": no address, as feedparser finds none in such a link
            return None

    entries = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        key = item.get("id")  # a string in 1.1; 1.0 let it be a number, which is read as its text
        key = str(key) if isinstance(key, (int, float)) and not isinstance(key, bool) else text(key)
        link = address(item.get("url")) or address(item.get("external_url"))
        entry = FeedParserDict(id=key, link=link, links=[{"rel": "alternate", "href": link}] if link else [])
        for name, ours in (("title", "title"), ("date_published", "published"), ("date_modified", "updated"),
                           ("summary", "summary")):
            if text(item.get(name)):
                entry[ours] = text(item[name])
        entry["content"] = [{"type": kind, "value": text(item[name])} for name, kind in (
            ("content_html", "text/html"), ("content_text", "text/plain")) if text(item.get(name))]
        entry["enclosures"] = [{"href": address(a.get("url")), "type": text(a.get("mime_type")) or ""}
                               for a in item.get("attachments") or [] if isinstance(a, dict) and address(a.get("url"))]
        entry["links"] += [{"rel": "enclosure", **enclosure} for enclosure in entry["enclosures"]]
        entries.append(entry)
    title, home = text(data.get("title")), address(data.get("home_page_url"))
    channel = FeedParserDict({name: value for name, value in (("title", title), ("link", home)) if value})
    return FeedParserDict(feed=channel, entries=entries,
                          version=f"json{version.strip().rstrip('/').rsplit('/', 1)[1].replace('.', '')}", bozo=False)
