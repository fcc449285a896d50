"""`citebot feeds add/list/update` over real HTTP against an RSS feed on 127.0.0.1 that changes between polls."""

import gzip
import json
import logging
import os
import re
import signal
import subprocess
import time
import tracemalloc
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest

from index import frontmatter
from index.add import ArticleAdder
from index.feeds import FeedList, counts, next_try
from index.fetch import Fetcher
from tests.conftest import FIXTURE_MODEL_ENV
from tests.living import CITEBOT, citebot, files_under, live_build
from tests.news_site import STORIES, NewsSite, article_page
from tests.test_fetch import Served, send, story_page


def test_update_takes_the_new_items_asks_only_if_changed_and_counts_what_it_knows(site, workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    feed = site.url("/feed.xml")
    followed = citebot("feeds", "add", feed, *where)
    assert (followed.returncode, followed.stdout) == (0, f"following: Baltic Morning News: World ({feed})\n")

    first = citebot("feeds", "update", *where)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert re.fullmatch(rf"added: {STORIES['tunnel'].title}, 2026-11-20 \(1 passage\) -> 127\.0\.0\.1/\S+\.md", lines[0])
    assert lines[1] == "feeds: 1 new, 0 already known, 0 failed (1 feed checked)"
    assert lines[2].startswith("indexed 3 articles into ")

    build = live_build(index)
    unchanged = citebot("feeds", "update", *where)
    assert unchanged.stdout == "feeds: 0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)\n"
    assert live_build(index) == build  # nothing new: no rebuild
    polls = [r for r in site.requests if r[0] == "/feed.xml"]
    assert polls[-1][1:] == ('"v1"', "Thu, 01 Jan 1970 00:00:00 GMT", 304)  # a conditional GET, answered 304

    site.publish("ferry")
    site.publish("gone")  # listed in the feed, but its page is a 404
    third = citebot("feeds", "update", *where)
    assert third.returncode == 0
    lines = third.stdout.splitlines()
    assert lines[0].startswith(f"added: {STORIES['ferry'].title}, 2026-11-21 (1 passage) -> 127.0.0.1/")
    assert lines[1] == "feeds: 1 new, 1 already known, 1 failed (1 feed checked)"
    assert lines[2].startswith("indexed 4 articles into ")
    # (it said "HTTP 404 Not Found" alone: whether the item was dropped, or would be tried again, was not said)
    assert third.stderr == (f"citebot: warning: feed item {site.article_url('gone')}: HTTP 404 Not Found (tried again at "
                            "the next update)\n")

    listing = citebot("feeds", "list", *where)
    assert re.fullmatch(rf"{re.escape(feed)}  Baltic Morning News: World  \(2 items taken, 1 failing, last checked "
                        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)\n", listing.stdout)
    asked = json.loads(citebot("ask", "--json", *where, "How many passengers did the electric ferry Aurora carry?").stdout)
    assert "320 passengers" in asked["answer"]


def test_an_update_stopped_with_ctrl_c_has_named_what_it_added_and_says_where_it_is(workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    with NewsSite(published=("tunnel", "slow")) as site:  # the second item's page hangs till released
        assert citebot("feeds", "add", site.url("/feed.xml"), *where).returncode == 0
        env = dict(os.environ, HF_HUB_OFFLINE="1", **FIXTURE_MODEL_ENV)
        # SIGINT as a terminal has it: a suite run in the background of a shell (`make test &`) ignores it, and Python
        # then installs no KeyboardInterrupt for it in the child, which updated to the end and exited 0
        with subprocess.Popen([CITEBOT, "feeds", "update", *map(str, where)], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)) as update:
            added = update.stdout.readline()  # the first item's page was stored; the second's (fetched at once) hangs
            site.wait_for_request("/world/2026/slow.html")
            update.send_signal(signal.SIGINT)  # as Ctrl-C in the terminal
            site.release.set()
            out, err = update.communicate(timeout=300)
    assert update.returncode == 130
    assert re.fullmatch(rf"added: {STORIES['tunnel'].title}, 2026-11-20 \(1 passage\) -> 127\.0\.0\.1/\S+\.md\n",
                        added + out)
    assert err == ("citebot: interrupted: 1 article added so far is in the corpus; the index takes it in at the next "
                   "ask or `citebot index`\n")


def test_a_removed_feed_is_no_longer_followed_and_its_articles_stay_answerable(site, workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    feed = site.url("/feed.xml")
    assert citebot("feeds", "add", feed, *where).returncode == 0
    assert citebot("feeds", "update", *where).returncode == 0

    removed = citebot("feeds", "remove", feed, *where)
    assert (removed.returncode, removed.stdout) == (
        0, f"no longer following: Baltic Morning News: World ({feed}); the articles taken from it stay in the corpus\n")
    assert citebot("feeds", "list", *where).stdout == "no feeds yet: citebot feeds add URL\n"
    polls = len(site.requests)
    assert citebot("feeds", "update", *where).returncode == 0
    assert len(site.requests) == polls  # nothing fetched
    asked = json.loads(citebot("ask", "--json", *where, "When will the harbour tunnel under Tallinn Bay open?").stdout)
    assert "14 March 2027" in asked["answer"]

    again = citebot("feeds", "remove", feed, *where)
    assert (again.returncode, again.stderr) == (
        1, f"citebot: error: not following {feed}: `citebot feeds list` shows the feeds followed\n")


def test_a_feed_followed_again_does_not_bring_back_the_articles_deleted_meanwhile(site, workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    feed = site.url("/feed.xml")
    assert citebot("feeds", "add", feed, *where).returncode == 0
    taken = citebot("feeds", "update", *where)
    [tunnel] = [line.rsplit(" -> ", 1)[1] for line in taken.stdout.splitlines() if line.startswith("added: ")]
    assert citebot("feeds", "remove", feed, *where).returncode == 0
    (corpus / tunnel).unlink()  # the operator did not want it

    assert citebot("feeds", "add", feed, *where).returncode == 0
    again = citebot("feeds", "update", *where)
    assert again.stdout.splitlines()[0] == "feeds: 0 new, 1 already known, 0 failed (1 feed checked)"
    assert not (corpus / tunnel).exists()


def test_a_feed_that_cannot_be_read_fails_the_update_for_cron_and_a_missing_corpus_fails_it_first(site, workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    assert citebot("feeds", "add", site.url("/feed.xml"), *where).returncode == 0
    gone = site.url("/feed.xml").replace("/feed.xml", "/old-feed.xml")
    feeds = json.loads((index / "feeds.json").read_text(encoding="utf-8"))
    feeds["feeds"].append(dict(feeds["feeds"][0], url=gone))  # a feed the site has since taken down
    (index / "feeds.json").write_text(json.dumps(feeds), encoding="utf-8")

    update = citebot("feeds", "update", *where)
    assert update.returncode == 1
    assert update.stdout.splitlines()[1] == "feeds: 1 new, 0 already known, 1 failed (2 feeds checked, 1 unreadable)"
    assert update.stderr == f"citebot: warning: feed {gone}: HTTP 404 Not Found\n"
    nowhere = citebot("feeds", "update", "--corpus", corpus / "nowhere", "--index", index)
    assert (nowhere.returncode, nowhere.stdout, nowhere.stderr) == (
        1, "", f"citebot: error: corpus folder not found: {corpus / 'nowhere'} (set --corpus or CITEBOT_CORPUS)\n")


def test_an_update_with_no_feed_followed_is_no_failure_for_cron_and_says_how_to_follow_one(workspace):
    corpus, index = workspace
    build = live_build(index)
    # A cron job left running after the last feed was removed mailed a failure at every run: nothing failed.
    nothing = citebot("feeds", "update", "--corpus", corpus, "--index", index)
    assert (nothing.returncode, nothing.stdout, nothing.stderr) == (
        0, "feeds: none followed, nothing to update (follow one with `citebot feeds add URL`)\n", "")
    assert live_build(index) == build


def test_a_page_that_is_not_a_feed_is_refused(site, workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    page = site.article_url("tunnel")
    refused = citebot("feeds", "add", page, *where)
    assert (refused.returncode, refused.stderr) == (1, f"citebot: error: cannot follow {page}: not an RSS, Atom or JSON feed\n")
    missing = citebot("feeds", "add", site.url("/rss"), *where)
    assert (missing.returncode, missing.stderr) == (1, f"citebot: error: cannot follow {site.url('/rss')}: HTTP 404 Not Found\n")
    assert citebot("feeds", "list", *where).stdout == "no feeds yet: citebot feeds add URL\n"


@pytest.mark.parametrize("text", ['[]', '{"feeds": {"url": "x"}}', '{"feeds": [1]}', '{"feeds": [{"title": "no url"}]}'])
def test_a_feeds_file_of_another_shape_is_one_error_that_says_how_to_mend_it(tmp_path, text):
    (tmp_path / "feeds.json").write_text(text, encoding="utf-8")
    listed = citebot("feeds", "list", "--index", tmp_path)
    assert (listed.returncode, listed.stderr) == (
        1, f"citebot: error: cannot read {tmp_path / 'feeds.json'}: not a list of feeds with their URLs; fix or remove "
        "it, then follow the feeds again with `citebot feeds add URL`\n")


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>{i}</title><link>{escape(link)}</link><guid>item-{i}</guid></item>"
                    for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title>'
            f"<link>http://localhost/</link><description>d</description>{items}</channel></rss>").encode()


def feed_route(body: bytes, etag: str = '"v1"'):
    """The feed at ``etag``: a 304 to a conditional GET that names it; ``asked`` records each If-None-Match."""
    def route(handler):
        feed_route.asked.append(handler.headers.get("If-None-Match"))
        if handler.headers.get("If-None-Match") == etag:
            return send(handler, 304, b"", headers={"ETag": etag})
        return send(handler, 200, body, "application/rss+xml", {"ETag": etag})
    return route


def test_malformed_and_private_item_links_fail_alone_and_the_good_item_is_taken(tmp_path, monkeypatch):
    monkeypatch.setenv("CITEBOT_ALLOW_PRIVATE_URLS", "localhost")  # the feed's host, not 127.0.0.1
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        secret = site.url("/secret")
        site.routes["/feed.xml"] = feed_route(rss("http://localhost:abc/x", "https://xn--/", secret,
                                                  site.url("/story", "localhost")))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml", "localhost"), Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
        assert (len(report.new), report.known) == (1, 0)
        assert report.failed == [
            "http://localhost:abc/x: not a valid URL: http://localhost:abc/x "
            "(Port could not be cast to integer value as 'abc')",
            "https://xn--/: not a valid URL: https://xn--/ (Malformed A-label, no Punycode eligible content found)",
            f"{secret}: 127.0.0.1 is a private address; set CITEBOT_ALLOW_PRIVATE_URLS=1 to allow"]
        assert "/secret" not in site.hits
        again = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
        assert (len(again.new), again.known, len(again.failed)) == (0, 1, 3)  # feeds.json was saved
        assert [s.rsplit("/", 1)[-1] for s in feeds.feeds()[0]["seen"]] == ["item-3"]


def test_an_item_whose_page_names_a_host_too_long_for_a_folder_is_stored_and_stops_no_update(tmp_path):
    (tmp_path / "corpus").mkdir()
    host = "a" * 300 + ".example"  # no host is this long, but a page may name it as its canonical link

    def long_host(handler):
        send(handler, 200, article_page(STORIES["ferry"], f"https://{host}/ferry").encode())

    feed_route.asked = []
    with Served({"/long": long_host, "/story": story_page}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/long"), site.url("/story")))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        # Its folder was named after the host, longer than a file name may be: "File name too long" ended every
        # update there, for every feed, and the next item was never taken.
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
        assert report.summary() == "2 new, 0 already known, 0 failed (1 feed checked)"
    assert [a.rel.split("/")[0] for a in report.new] == ["a" * 255, "bmn.example.org"]


def test_an_item_that_failed_is_tried_again_though_the_feed_has_not_changed(tmp_path):
    (tmp_path / "corpus").mkdir()
    answers = iter([503, 200])

    def flaky(handler):
        status = next(answers, 200)
        if status == 200:
            return story_page(handler)
        return send(handler, status, b"busy")

    feed_route.asked = []
    with Served({"/story": flaky}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        first = feeds.update(Fetcher(timeout=10), adder)
        assert first.failed == [f"{site.url('/story')}: HTTP 503 Service Unavailable"] and not first.new
        second = feeds.update(Fetcher(timeout=10), adder)
        assert (second.summary(), second.new[0].title) == (
            "1 new, 0 already known, 0 failed (1 feed checked)", STORIES["tunnel"].title)
        third = feeds.update(Fetcher(timeout=10), adder)
        assert third.summary() == "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"
    assert feed_route.asked == [None, None, None, '"v1"']  # add, two full GETs, then a conditional one


def test_items_sharing_one_dead_link_fetch_it_once_an_update_and_each_fails(tmp_path):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({}) as site:
        dead = site.url("/gone")
        site.routes["/feed.xml"] = feed_route(rss(dead, dead, dead, site.url("/also-gone")))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
        # One link that never answers, shared by a feed's 100 items, held an update for 100 timeouts.
        assert sorted(path for path in site.hits if path != "/feed.xml") == ["/also-gone", "/gone"]  # (fetched at once)
    assert report.summary() == "0 new, 0 already known, 4 failed (1 feed checked)"
    assert report.failed == [f"{dead}: HTTP 404 Not Found"] * 3 + [f"{site.url('/also-gone')}: HTTP 404 Not Found"]
    tried_again = sorted(key.rsplit("/", 1)[-1] for key in feeds.feeds()[0]["tries"])
    assert tried_again == ["item-0", "item-1", "item-2", "item-3"]  # each counted a try, and tried at the next update


def test_a_feed_of_more_items_than_one_update_takes_leaves_the_rest_for_the_next_and_gives_up_a_dead_item_after_a_day(
        tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    hours = [0, 1, 2, 25, 26]  # the clock at each update: three failures in two hours are not enough to give up
    with Served({"/story": story_page}) as site:
        links = [site.url("/story")] + [site.url(f"/gone/{i}") for i in range(249)]  # 404s: fetched, not stored
        site.routes["/feed.xml"] = feed_route(rss(*links))
        feeds = FeedList(tmp_path / "index", clock=lambda: 3600.0 * hours[0])
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        summaries = []
        while hours:
            summaries.append(feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
                             .summary())
            hours.pop(0)
        assert summaries == [
            "1 new, 0 already known, 99 failed, 150 left for the next update (1 feed checked)",
            "0 new, 1 already known, 100 failed, 149 left for the next update (1 feed checked)",
            "0 new, 1 already known, 100 failed, 149 left for the next update (1 feed checked)",
            "0 new, 1 already known, 100 failed (100 given up after failing for a day), 149 left for the next update "
            "(1 feed checked)",
            "0 new, 101 already known, 100 failed, 49 left for the next update (1 feed checked)"]
        assert site.hits.count("/gone/0") == 4 and site.hits.count("/gone/99") == 3
        assert counts(feeds.feeds()[0]) == (1, 100, 100)  # taken, given up, failing
        gone = site.url("/gone/0")
        assert [r.getMessage() for r in caplog.records if r.getMessage().startswith(f"feed item {gone}:")] == [
            f"feed item {gone}: HTTP 404 Not Found (tried again at the next update)"] * 3 + [
            f"feed item {gone}: HTTP 404 Not Found (given up after failing for a day, 4 tries; tried again in 1 day)"]
        assert "/gone/199" in site.hits and "/gone/200" not in site.hits
    assert feed_route.asked == [None] * 6  # a feed with items left is fetched in full, never answered 304


def atom_feed(entries: str) -> bytes:
    """An Atom feed titled "Atom feed" holding ``entries`` (its <entry> elements, as written)."""
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom feed</title>'
            f'<id>urn:uuid:feed</id><updated>2026-11-20T00:00:00Z</updated>{entries}</feed>').encode()


def followed_and_updated_twice(site, tmp_path):
    """The reports of two updates of the feed at ``site``'s /feed.xml, followed in ``tmp_path``."""
    feeds = FeedList(tmp_path / "index")
    feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
    adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
    return feeds.update(Fetcher(timeout=10), adder), feeds.update(Fetcher(timeout=10), adder)


def test_a_feed_followed_again_still_counts_its_given_up_items_as_given_up(tmp_path):
    feed_route.asked = []
    with Served({}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/a"), site.url("/b")))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        followed = feeds.feeds()
        followed[0].update(seen=["item-0", "item-1"], given_up=["item-1"])
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": followed}), encoding="utf-8")
        feeds.remove(site.url("/feed.xml"))
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
    assert counts(feeds.feeds()[0]) == (1, 1, 0)  # taken, given up, failing


def test_a_failing_item_pushed_past_what_one_update_takes_keeps_its_count_of_failures(tmp_path):
    (tmp_path / "corpus").mkdir()

    def listing(*guids: str) -> bytes:
        items = "".join(f"<item><title>{g}</title><link>{site.url('/gone/' + g)}</link><guid>{g}</guid></item>"
                        for g in guids)
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title>'
                f"<link>http://localhost/</link><description>d</description>{items}</channel></rss>").encode()

    feed_route.asked = []
    with Served({}) as site:
        site.routes["/feed.xml"] = feed_route(listing("old"))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        feeds.update(Fetcher(timeout=10), adder)
        site.routes["/feed.xml"] = feed_route(listing(*(f"new-{i}" for i in range(100)), "old"), etag='"v2"')
        report = feeds.update(Fetcher(timeout=10), adder)
    assert report.summary() == "0 new, 0 already known, 100 failed, 1 left for the next update (1 feed checked)"
    tries = feeds.feeds()[0]["tries"]  # item id -> [failures, first failed at, link]; feedparser made the guids URLs
    assert [n for key, (n, *_) in tries.items() if key.endswith("/old")] == [1]


def test_a_feed_listing_more_items_than_are_remembered_is_taken_to_its_last_item_and_then_rests(tmp_path):
    # 2,101 items: more than the 2,000 ids remembered of items no longer listed, and than 20 updates of 100 take.
    # Each links to the same story, so that only the first is fetched; the others are known by their link.
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        items = "".join(f"<item><title>{i}</title><link>{site.url('/story')}</link><guid isPermaLink='false'>{i}</guid>"
                        "</item>" for i in range(2101))
        site.routes["/feed.xml"] = feed_route(
            (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Archive</title>'
             f"<link>http://localhost/</link><description>d</description>{items}</channel></rss>").encode())
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        summaries = [feeds.update(Fetcher(timeout=10), adder).summary()]
        # `feeds list` said "100 items taken" of an archive of 2,101, as if that were all of it
        listed = [citebot("feeds", "list", "--index", tmp_path / "index").stdout]
        summaries += [feeds.update(Fetcher(timeout=10), adder).summary() for _ in range(22)]
        listed.append(citebot("feeds", "list", "--index", tmp_path / "index").stdout)
    assert summaries[0] == "1 new, 99 already known, 0 failed, 2,001 left for the next update (1 feed checked)"
    checked = [feed["checked"] for feed in feeds.feeds()]
    assert re.fullmatch(rf"{re.escape(site.url('/feed.xml'))}  Archive  \(100 items taken, 2,001 left for the next "
                        r"update, last checked \S+\)\n", listed[0])
    assert listed[1] == f"{site.url('/feed.xml')}  Archive  (2,101 items taken, last checked {checked[0]})\n"
    # The ids of its first items were forgotten, and the 2,101st item never reached: 100 taken again each update.
    assert summaries[-3:] == [
        "0 new, 2,100 already known, 0 failed, 1 left for the next update (1 feed checked)",
        "0 new, 2,101 already known, 0 failed (1 feed checked)",
        "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"]
    assert site.hits.count("/story") == 1


@pytest.mark.parametrize("title, shown", [
    # a terminal reading ESC [31m turns its text red
    ("Evil\n\n  feed &#x1b;[31mred&#x1b;[0m\r", "Evil feed [31mred [0m"),
    # shows as "Daily real-bank.news", and the address after it reversed
    ("Daily \u202eswen.knab-laer", "Daily \ufffdswen.knab-laer"),
], ids=["lines and escape sequences", "direction override"])
def test_a_feed_title_is_listed_on_one_line_with_no_escape_sequence_or_direction_override_left_in_it(tmp_path, title,
                                                                                                      shown):
    with Served({}) as site:
        site.routes["/feed.xml"] = lambda handler: send(handler, 200, (
            f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            "<link>http://localhost/</link><description>d</description></channel></rss>").encode(), "application/rss+xml")
        feed = site.url("/feed.xml")
        followed = citebot("feeds", "add", feed, "--index", tmp_path)
    assert (followed.returncode, followed.stdout) == (0, f"following: {shown} ({feed})\n")
    listed = citebot("feeds", "list", "--index", tmp_path)
    assert listed.stdout == f"{feed}  {shown}  (0 items taken, last checked never)\n"


@pytest.mark.parametrize("title", [
    '<title type="html">Daily &lt;b&gt;News&lt;/b&gt; &amp;amp; more&lt;script&gt;alert(1)&lt;/script&gt;</title>',
    '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Daily <b>News</b> &amp; more</div></title>',
])
def test_an_atom_feed_titled_in_html_is_listed_by_its_text_without_tags_or_entities(tmp_path, title):
    with Served({}) as site:
        site.routes["/atom.xml"] = lambda handler: send(handler, 200, (
            f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">{title}'
            "<id>urn:x</id><updated>2023-04-20T00:00:00Z</updated></feed>").encode(), "application/atom+xml")
        feed = site.url("/atom.xml")
        followed = citebot("feeds", "add", feed, "--index", tmp_path)
    assert (followed.returncode, followed.stdout) == (0, f"following: Daily News & more ({feed})\n")


def test_a_feed_whose_body_is_the_path_of_a_local_file_is_not_that_file(tmp_path):
    local = tmp_path / "local.xml"  # feedparser opened the bytes as a path: "/dev/zero" was read till memory ran out
    local.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Local secrets</title>'
                     "<item><link>http://localhost/secret</link></item></channel></rss>", encoding="utf-8")
    with Served({}) as site:
        site.routes["/feed"] = lambda handler: send(handler, 200, str(local).encode(), "text/plain")
        feed = site.url("/feed")
        followed = citebot("feeds", "add", feed, "--index", tmp_path / "index")
    assert (followed.returncode, followed.stdout) == (1, "")
    assert followed.stderr == f"citebot: error: cannot follow {feed}: not an RSS, Atom or JSON feed\n"
    assert not (tmp_path / "index" / "feeds.json").exists()


def test_a_feeds_file_edited_by_hand_with_fields_of_other_types_is_read_without_them_and_updated(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))
        feed = site.url("/feed.xml")
        assert citebot("feeds", "add", feed, "--index", index).returncode == 0
        edited = json.loads((index / "feeds.json").read_text(encoding="utf-8"))
        # Each of these was a traceback: an ETag of a number in the request's headers, a dict in a set...
        edited["feeds"][0].update(title=["Test feed"], etag=5, modified={"at": 0}, checked=7, seen=[{"id": 1}, 2],
                                  given_up=[{"id": 1}])
        (index / "feeds.json").write_text(json.dumps(edited), encoding="utf-8")
        listed = citebot("feeds", "list", "--index", index)
        assert (listed.returncode, listed.stdout) == (0, f"{feed}  (0 items taken, last checked never)\n")
        update = citebot("feeds", "update", "--corpus", corpus, "--index", index)
    assert update.returncode == 0, update.stderr
    assert update.stdout.splitlines()[1] == "feeds: 1 new, 0 already known, 0 failed (1 feed checked)"
    assert feed_route.asked == [None, None]  # no validators sent: they were not the feed's
    assert re.fullmatch(rf"{re.escape(feed)}  Test feed  \(1 item taken, last checked \S+\)\n",
                        citebot("feeds", "list", "--index", index).stdout)


def test_a_feeds_file_nested_too_deep_is_one_error(tmp_path):
    (tmp_path / "feeds.json").write_text('{"feeds": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    listed = citebot("feeds", "list", "--index", tmp_path)
    assert (listed.returncode, listed.stderr) == (
        1, f"citebot: error: cannot read {tmp_path / 'feeds.json'}: maximum recursion depth exceeded while decoding a "
        "JSON array from a unicode string\n")


def test_a_feeds_file_that_cannot_be_written_is_one_error_naming_it_and_the_list_stays_as_it_was(tmp_path):
    import resource

    feeds = tmp_path / "feeds.json"
    before = '{"feeds": [{"url": "https://news.example.org/rss.xml", "title": "News", "seen": []}]}'
    feeds.write_text(before, encoding="utf-8")
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))  # as a full disk stops writes (EFBIG, not ENOSPC)
    removed = subprocess.run([CITEBOT, "feeds", "remove", "https://news.example.org/rss.xml", "--index", str(tmp_path)],
                             capture_output=True, text=True, timeout=120, preexec_fn=limit)
    # it was "citebot: error: File too large" (a full disk: "No space left on device"), naming no file
    assert (removed.returncode, removed.stdout, removed.stderr) == (
        1, "", f"citebot: error: cannot write {feeds}: File too large\n")
    assert feeds.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".feeds.lock", "feeds.json"]


def test_items_sharing_one_id_but_linking_to_different_stories_are_each_taken(tmp_path):
    (tmp_path / "corpus").mkdir()

    def ferry_page(handler):
        send(handler, 200, article_page(STORIES["ferry"], "https://bmn.example.org/world/ferry").encode())

    feed_route.asked = []
    with Served({"/story": story_page, "/ferry": ferry_page}) as site:
        items = "".join(f'<item><title>{i}</title><link>{site.url(path)}</link><guid isPermaLink="false">'
                        "https://bmn.example.org/</guid></item>" for i, path in enumerate(["/story", "/ferry"]))
        site.routes["/feed.xml"] = feed_route(
            (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title>'
             f"<link>http://localhost/</link><description>d</description>{items}</channel></rss>").encode())
        report, again = followed_and_updated_twice(site, tmp_path)
    # The second item was counted as already known, as the first listed twice, and never taken.
    assert report.summary() == "2 new, 0 already known, 0 failed (1 feed checked)"
    assert [added.title for added in report.new] == [STORIES["tunnel"].title, STORIES["ferry"].title]
    assert again.summary() == "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"


def test_an_item_a_feed_lists_twice_under_other_titles_is_taken_once_and_never_fetched_again_as_a_correction(
        tmp_path):
    (tmp_path / "corpus").mkdir()
    with Served({"/story": story_page}) as site:
        items = "".join(f'<item><title>{title}</title><link>{site.url("/story")}</link><guid isPermaLink="false">'
                        "story-1</guid></item>" for title in ["Tunnel 92% complete", "Tunnel nearly complete"])
        body = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title>'
                f"<link>http://localhost/</link><description>d</description>{items}</channel></rss>").encode()
        # no ETag: fetched in full at every update, as many feeds are
        site.routes["/feed.xml"] = lambda handler: send(handler, 200, body, "application/rss+xml")
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        summaries = [feeds.update(Fetcher(timeout=10), adder).summary() for _ in range(3)]
    # The two versions overwrote each other in feeds.json: each update fetched the story again as a correction (one of
    # the feed's ten an update) and counted it "already known" twice.
    assert summaries == ["1 new, 0 already known, 0 failed (1 feed checked)"] + [
        "0 new, 1 already known, 0 failed (1 feed checked)"] * 2
    assert site.hits.count("/story") == 1


def test_an_atom_entry_without_a_link_is_passed_over_as_an_rss_item_without_one_is(tmp_path):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        site.routes["/feed.xml"] = feed_route(atom_feed(
            f'<entry><title>Linked</title><id>urn:uuid:1</id><link href="{site.url("/story")}"/>'
            f'<updated>2026-11-20T00:00:00Z</updated></entry>'
            f'<entry><title>Brief</title><id>urn:uuid:2</id><updated>2026-11-20T00:00:00Z</updated>'
            f'<content type="text">The whole story is this line.</content></entry>'))
        report, again = followed_and_updated_twice(site, tmp_path)
    # Its id was taken for its link: "urn:uuid:2: not an http(s) URL" at every update for a day, then "given up".
    assert report.summary() == ("1 new, 0 already known, 0 failed, 1 passed over (no article link: audio, video or "
                                "none) (1 feed checked)")
    assert again.summary() == "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"


def test_a_feed_removed_while_another_process_updates_the_feeds_says_it_waits_and_is_removed_after(tmp_path):
    import subprocess
    import threading

    from tests.living import CITEBOT

    (tmp_path / "corpus").mkdir()
    asked, answer = threading.Event(), threading.Event()

    def held(handler):  # the item the update is fetching, answered once the test says so
        asked.set()
        answer.wait(60)
        story_page(handler)

    feed_route.asked = []
    with Served({"/story": held}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))
        feed, where = site.url("/feed.xml"), ["--corpus", tmp_path / "corpus", "--index", tmp_path / "index"]
        assert citebot("feeds", "add", feed, *where).returncode == 0
        update = subprocess.Popen([CITEBOT, "feeds", "update", *map(str, where)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        assert asked.wait(60)  # the update holds the feed list
        remove = subprocess.Popen([CITEBOT, "feeds", "remove", feed, *map(str, where)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        waiting = remove.stderr.readline()  # said before it waits: the update goes on till the item is answered
        answer.set()
        removed, updated = remove.communicate(timeout=120), update.communicate(timeout=120)
    assert waiting == ("citebot: warning: waiting for another citebot updating the feeds (or changing the list) "
                       "to finish\n")
    assert (remove.returncode, removed[0]) == (
        0, f"no longer following: Test feed ({feed}); the articles taken from it stay in the corpus\n")
    assert update.returncode == 0 and updated[0].splitlines()[1] == "feeds: 1 new, 0 already known, 0 failed (1 feed checked)"


def test_an_item_link_with_escape_sequences_is_fetched_and_warned_about_percent_encoded(tmp_path):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/x\x1b[31mred\x1b[0m"), site.url("/y\n\tz"))
                                              .replace(b"\x1b", b"&#x1b;"))
        where = ["--corpus", tmp_path / "corpus", "--index", tmp_path / "index"]
        assert citebot("feeds", "add", site.url("/feed.xml"), *where).returncode == 0
        update = citebot("feeds", "update", *where)
    # The ESC reached the terminal: the rest of its output red. Line breaks and tabs are dropped, as browsers do.
    assert update.stderr == (f"citebot: warning: feed item {site.url('/x%1B[31mred%1B[0m')}: HTTP 404 Not Found (tried "
                             "again at the next update)\n"
                             f"citebot: warning: feed item {site.url('/yz')}: HTTP 404 Not Found (tried again at the "
                             "next update)\n")
    assert sorted(site.hits[-2:]) == ["/x%1B[31mred%1B[0m", "/yz"]  # fetched at once: either may be asked first


@pytest.mark.parametrize("content_type, declaration", [
    ("application/rss+xml; charset=undefined", '<?xml version="1.0"?>'),
    ("application/rss+xml", '<?xml version="1.0" encoding="undefined"?>'),
])
def test_a_feed_in_pythons_undefined_codec_is_one_error_line_and_fails_only_its_own_update(
        tmp_path, content_type, declaration):
    body = (f'{declaration}<rss version="2.0"><channel><title>Odd feed</title>'
            "<link>http://localhost/</link><description>d</description></channel></rss>").encode()
    reason = "cannot read the feed: decoding with 'undefined' codec failed (UnicodeError: undefined encoding)"
    (tmp_path / "corpus").mkdir()
    with Served({"/odd": lambda handler: send(handler, 200, body, content_type)}) as site:
        feed = site.url("/odd")
        followed = citebot("feeds", "add", feed, "--index", tmp_path / "index")
        assert (followed.returncode, followed.stdout) == (1, "")  # was a UnicodeError traceback
        assert followed.stderr == f"citebot: error: cannot follow {feed}: {reason}\n"
        site.routes["/good"] = lambda handler: send(handler, 200, rss(), "application/rss+xml")
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/good"), Fetcher(timeout=10))
        site.routes["/good"] = lambda handler: send(handler, 200, body, content_type)  # it turns odd once followed
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    assert report.summary() == "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)"
    assert report.failed == [f"{site.url('/good')}: {reason}"]


def test_a_feed_item_description_of_100000_attributes_is_read_without_sanitizing_it(tmp_path):
    attributes = " ".join(f"a{i}=x" for i in range(100_000))
    body = rss("http://localhost/story").replace(
        b"</guid>", f"</guid><description><![CDATA[<p {attributes}>]]></description>".encode())
    with Served({"/feed.xml": lambda handler: send(handler, 200, body, "application/rss+xml")}) as site:
        tracemalloc.start()
        try:
            feed = FeedList(tmp_path / "index").add(site.url("/feed.xml"), Fetcher(timeout=10))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert feed["title"] == "Test feed"
    assert peak < 40_000_000  # was 156 MB for this 0.9 MB feed: feedparser sanitized the HTML no one reads


def updated_at(hours: list[int], feed: str, folder: Path, before=lambda hour: None) -> tuple[FeedList, list[str]]:
    """``feed`` followed in ``folder``/index, then updated into ``folder``/corpus once at each of ``hours`` (the clock,
    in hours; ``before(hour)`` runs first): the feed list, and each update's summary."""
    clock = [hours[0]]
    feeds = FeedList(folder / "index", clock=lambda: 3600.0 * clock[0])
    feeds.add(feed, Fetcher(timeout=10))
    adder = ArticleAdder(folder / "corpus", Fetcher(timeout=10))
    summaries = []
    for hour in hours:
        clock[0] = hour
        before(hour)
        summaries.append(feeds.update(Fetcher(timeout=10), adder).summary())
    return feeds, summaries


def test_an_item_given_up_is_tried_again_a_day_later_then_two_and_taken_once_its_page_works(tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    works = []  # the story's page answers once this is not empty

    def story(handler):
        return story_page(handler) if works else send(handler, 503, b"busy")

    hours = [0, 1, 25, 26, 49, 50, 73, 97]  # the clock at each update
    feed_route.asked = []
    with Served({"/story": story}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))
        def mended_at_50(hour):
            if hour == 50:
                works.append(True)  # the site mended, a day after the item was given up

        feeds, summaries = updated_at(hours, site.url("/feed.xml"), tmp_path, before=mended_at_50)
    # Given up for good at hour 25, the page that worked from hour 50 was never taken.
    assert summaries == [
        "0 new, 0 already known, 1 failed (1 feed checked)",
        "0 new, 0 already known, 1 failed (1 feed checked)",
        "0 new, 0 already known, 1 failed (1 given up after failing for a day) (1 feed checked)",
        "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)",  # 26: a day has not passed
        "0 new, 0 already known, 1 failed (1 feed checked)",  # 49: tried again, failing still
        "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)",  # 50, 73: two days have not passed
        "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)",
        "1 new, 0 already known, 0 failed (1 feed checked)"]  # 97: tried again, and taken
    assert site.hits.count("/story") == 5
    assert counts(feeds.feeds()[0]) == (1, 0, 0)  # taken, given up, failing
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("feed item")][-2:] == [
        f"feed item {site.url('/story')}: HTTP 503 Service Unavailable (given up after failing for a day, 3 tries; "
        "tried again in 1 day)",
        f"feed item {site.url('/story')}: HTTP 503 Service Unavailable (still failing; tried again in 2 days)"]
    # Conditional GETs while no try was due; in full (None) when one was: a 304 would have hidden the item.
    assert feed_route.asked == [None, None, None, None, '"v1"', None, '"v1"', '"v1"', None]


def redirect(status: int, location: str):
    def route(handler):
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return route


def test_a_feed_that_moved_for_good_is_followed_at_its_new_address_and_one_moved_for_a_while_is_not(tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))
        site.routes["/old.xml"] = redirect(301, "/feed.xml")  # an address the site retired before we followed it
        feeds = FeedList(tmp_path / "index")
        assert feeds.add(site.url("/old.xml"), Fetcher(timeout=10))["url"] == site.url("/feed.xml")
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        assert feeds.update(Fetcher(timeout=10), adder).summary() == "1 new, 0 already known, 0 failed (1 feed checked)"

        site.routes["/feed.xml"] = redirect(308, "/rss/world.xml")  # the site moves it
        site.routes["/rss/world.xml"] = feed_route(rss(site.url("/story")))
        assert feeds.update(Fetcher(timeout=10), adder).summary() == (
            "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)")
        site.hits.clear()
        assert feeds.update(Fetcher(timeout=10), adder).summary() == (
            "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)")
        assert site.hits == ["/rss/world.xml"]  # asked there at once: no hop through the old address
        assert [f["url"] for f in feeds.feeds()] == [site.url("/rss/world.xml")]

        site.routes["/rss/world.xml"] = redirect(302, "/feed.xml")  # for a while only
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))
        feeds.update(Fetcher(timeout=10), adder)
        assert [f["url"] for f in feeds.feeds()] == [site.url("/rss/world.xml")]
    assert [r.getMessage() for r in caplog.records if "moved" in r.getMessage()] == [
        f"feed {site.url('/feed.xml')} has moved for good to {site.url('/rss/world.xml')}: followed there from now on"]


def test_a_feed_that_cannot_be_read_is_listed_as_unreadable_since_its_first_failure_with_the_reason(tmp_path):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))
        feed = site.url("/feed.xml")
        feeds = FeedList(tmp_path / "index")
        feeds.add(feed, Fetcher(timeout=10))
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        feeds.update(Fetcher(timeout=10), adder)
        del site.routes["/feed.xml"]  # the site took it down
        feeds.update(Fetcher(timeout=10), adder)
        failing_since = feeds.feeds()[0]["checked"]
        feeds.update(Fetcher(timeout=10), adder)
        # It said "last checked" at the last update that read it, as if all were well since.
        listed = citebot("feeds", "list", "--index", tmp_path / "index").stdout
        assert re.fullmatch(rf"{re.escape(feed)}  Test feed  \(1 item taken, last checked \S+; unreadable since "
                            rf"{failing_since}: HTTP 404 Not Found\)\n", listed)
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))  # back
        feeds.update(Fetcher(timeout=10), adder)
    assert re.fullmatch(rf"{re.escape(feed)}  Test feed  \(1 item taken, last checked \S+\)\n",
                        citebot("feeds", "list", "--index", tmp_path / "index").stdout)


DAY_ONE = 1_796_004_000  # 2026-11-30T02:00:00Z: the clock of the tests below at their hour 0


def at(hour: int) -> str:
    """The clock of the tests below at ``hour``, as feeds.json and `feeds list` write it."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(DAY_ONE + 3600 * hour))


def test_a_feed_unreadable_for_a_day_is_tried_a_day_later_then_two_said_once_each_time_and_comes_back_by_itself(
        tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="citebot.feeds")
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    listed = []
    with Served({"/story": story_page}) as site:
        feed = site.url("/feed.xml")
        up = feed_route(rss(site.url("/story")))
        site.routes["/feed.xml"] = up

        def site_at(hour):
            if hour == 1:
                del site.routes["/feed.xml"]  # taken down: a 404 at every fetch
            if hour == 97:
                listed.append(citebot("feeds", "list", "--index", tmp_path / "index").stdout)
                site.routes["/feed.xml"] = up  # back

        hours = [0, 1, 2, 25, 26, 49, 50, 97, 98]
        feeds, summaries = updated_at([DAY_ONE // 3600 + hour for hour in hours], feed, tmp_path,
                                      before=lambda hour: site_at(hour - DAY_ONE // 3600))
        fetched = site.hits.count("/feed.xml")
    # It was fetched, and warned about, at every update for as long as it stayed down (a bot polling every 15 minutes:
    # 96 warnings a day, for ever). Unreadable in three updates over a day, it is tried a day later, then two, ...
    assert summaries == [
        "1 new, 0 already known, 0 failed (1 feed checked)",
        "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)",  # 1
        "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)",  # 2
        "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)",  # 25: a day, three updates: tried less often
        "0 new, 0 already known, 0 failed (0 feeds checked, 1 unreadable for a while and not due a try)",  # 26
        "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)",  # 49: a day later, still down
        "0 new, 0 already known, 0 failed (0 feeds checked, 1 unreadable for a while and not due a try)",  # 50
        "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)",  # 97: two days later, back
        "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"]  # 98: at every update again
    assert fetched == 1 + 7  # followed, then every update but those of hours 26 and 50
    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "citebot.feeds"]
    assert said == [
        ("WARNING", f"feed {feed}: HTTP 404 Not Found"), ("WARNING", f"feed {feed}: HTTP 404 Not Found"),
        ("WARNING", f"feed {feed}: HTTP 404 Not Found (unreadable since {at(1)}, in 3 updates: tried again only in 1 "
                    "day)"),
        ("WARNING", f"feed {feed}: HTTP 404 Not Found (unreadable since {at(1)}: tried again in 2 days)"),
        # good news, not a warning: the bot logs it as it logs each update's summary, at INFO
        ("INFO", f"feed {feed} reads again (unreadable since {at(1)}): tried at every update again")]
    assert listed == [f"{feed}  Test feed  (1 item taken, last checked {at(49)}; unreadable since {at(1)}: HTTP 404 "
                      f"Not Found; next tried at the first update after {at(97)}, or now by `citebot feeds update "
                      f"{feed}`)\n"]
    assert citebot("feeds", "list", "--index", tmp_path / "index").stdout == (
        f"{feed}  Test feed  (1 item taken, last checked {at(98)})\n")


def test_a_feed_its_server_says_is_gone_for_good_is_tried_only_a_day_later_from_its_first_410(tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        feed = site.url("/feed.xml")
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))

        def gone_at_1(hour):
            if hour - DAY_ONE // 3600 == 1:
                site.routes["/feed.xml"] = lambda handler: send(handler, 410, b"gone")

        feeds, summaries = updated_at([DAY_ONE // 3600 + hour for hour in (0, 1, 2, 24, 25)], feed, tmp_path,
                                      before=gone_at_1)
        fetched = site.hits.count("/feed.xml")
    # A 410 is the site saying, on purpose, that the feed is gone: not asked again every update for a day first, but
    # still tried, a day later, then two, four and every seven days (a site mended, a 410 sent by mistake).
    assert summaries[1:] == [
        "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)",  # 1
        "0 new, 0 already known, 0 failed (0 feeds checked, 1 unreadable for a while and not due a try)",  # 2
        "0 new, 0 already known, 0 failed (0 feeds checked, 1 unreadable for a while and not due a try)",  # 24
        "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)"]  # 25: a day later
    assert fetched == 1 + 3
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed {feed}: HTTP 410 Gone (unreadable since {at(1)}, gone for good, its server says: tried again only in "
        "1 day)",
        f"feed {feed}: HTTP 410 Gone (unreadable since {at(1)}: tried again in 2 days)"]


def test_a_feed_resting_when_an_older_citebot_found_it_readable_again_is_tried_at_every_update(tmp_path):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        feed = site.url("/feed.xml")
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))
        (tmp_path / "index").mkdir()
        # as the previous release leaves it: the keys it does not know kept, its own "unreadable" dropped
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": [
            {"url": feed, "title": "Test feed", "seen": [], "checked": at(0), "unreadable_retry": [2, DAY_ONE]}]}))
        feeds = FeedList(tmp_path / "index", clock=lambda: DAY_ONE + 3600.0)
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    assert report.summary() == "1 new, 0 already known, 0 failed (1 feed checked)"
    assert "unreadable_retry" not in feeds.feeds()[0]


def test_a_resting_feed_named_to_feeds_update_is_tried_now_and_an_unfollowed_one_is_refused(workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        feed, up = site.url("/feed.xml"), feed_route(rss(site.url("/story")))
        site.routes["/feed.xml"] = up
        hour = int(time.time()) // 3600
        clock = [hour - 31]
        feeds = FeedList(index, clock=lambda: 3600.0 * clock[0])
        feeds.add(feed, Fetcher(timeout=10))
        del site.routes["/feed.xml"]  # down: unreadable in three updates over a day, it rests till 18 hours from now
        for clock[0] in (hour - 30, hour - 29, hour - 6):
            feeds.update(Fetcher(timeout=10), ArticleAdder(corpus, Fetcher(timeout=10)))
        site.routes["/feed.xml"] = up  # the operator mended its server
        resting = citebot("feeds", "update", *where)
        listed = citebot("feeds", "list", *where)
        added_again = citebot("feeds", "add", feed, *where)
        named = citebot("feeds", "update", feed, *where)
        other = citebot("feeds", "update", site.url("/other.xml"), *where)
    assert (resting.returncode, resting.stdout) == (
        0, "feeds: 0 new, 0 already known, 0 failed (0 feeds checked, 1 unreadable for a while and not due a try)\n")
    # It waited a day, then two, four and every seven days, with no way to try it sooner.
    assert listed.stdout == (
        f"{feed}  Test feed  (0 items taken, last checked {at_hour(hour - 6)}; unreadable since {at_hour(hour - 30)}: "
        f"HTTP 404 Not Found; next tried at the first update after {at_hour(hour + 18)}, or now by "
        f"`citebot feeds update {feed}`)\n")
    # an operator following it again to have it tried was told only "already following"
    assert (added_again.returncode, added_again.stdout) == (0, (
        f"already following: Test feed ({feed}); unreadable since {at_hour(hour - 30)}: next tried at the first update "
        f"after {at_hour(hour + 18)}, or now by `citebot feeds update {feed}`\n"))
    assert named.returncode == 0, named.stderr
    lines = named.stdout.splitlines()
    assert re.fullmatch(rf"added: {STORIES['tunnel'].title}, 2026-11-20 \(1 passage\) -> bmn\.example\.org/\S+\.md",
                        lines[0])
    assert lines[1] == "feeds: 1 new, 0 already known, 0 failed (1 feed checked)"
    assert lines[2].startswith("indexed 3 articles into ")
    assert named.stderr == (f"citebot: feed {feed} reads again (unreadable since {at_hour(hour - 30)}): tried at every "
                            "update again\n")
    assert (other.returncode, other.stdout, other.stderr) == (
        1, "", f"citebot: error: not following {site.url('/other.xml')}: `citebot feeds list` shows the feeds "
               "followed\n")


def test_a_resting_feed_named_to_feeds_update_that_still_fails_keeps_its_next_scheduled_try(tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        feed = site.url("/feed.xml")
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story")))
        clock = [0]
        feeds = FeedList(tmp_path / "index", clock=lambda: DAY_ONE + 3600.0 * clock[0])
        feeds.add(feed, Fetcher(timeout=10))
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        del site.routes["/feed.xml"]  # down: unreadable in three updates over a day, it rests till hour 49
        for clock[0] in (1, 2, 25):
            feeds.update(Fetcher(timeout=10), adder)
        caplog.clear()
        clock[0] = 30  # the operator asks whether its server is mended: not yet
        named = feeds.update(Fetcher(timeout=10), adder, only=[feed]).summary()
        listed = next_try(feeds.feeds()[0])
        summaries = []
        for clock[0] in (48, 49):
            summaries.append(feeds.update(Fetcher(timeout=10), adder).summary())
    assert named == "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)"
    # It pushed the next try out as a scheduled one does: from hour 49 to hour 78, for having been looked at.
    assert listed == at(49)
    assert summaries == [
        "0 new, 0 already known, 0 failed (0 feeds checked, 1 unreadable for a while and not due a try)",  # 48
        "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)"]  # 49: its try, as scheduled
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed {feed}: HTTP 404 Not Found (unreadable since {at(1)}; tried now as named: its next try stays at the "
        f"first update after {at(49)})",
        f"feed {feed}: HTTP 404 Not Found (unreadable since {at(1)}: tried again in 2 days)"]


def test_a_feed_without_a_title_is_named_by_its_url_once_when_followed_listed_and_removed(tmp_path):
    index = tmp_path / "index"
    untitled = (b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><link>http://localhost/</link>'
                b"<description>d</description></channel></rss>")
    with Served({"/feed.xml": lambda handler: send(handler, 200, untitled, "application/rss+xml")}) as site:
        feed = site.url("/feed.xml")
        followed = citebot("feeds", "add", feed, "--index", index).stdout
        listed = citebot("feeds", "list", "--index", index).stdout
        # as an older citebot stored it: the feed's URL for its title
        saved = json.loads((index / "feeds.json").read_text())
        saved["feeds"][0]["title"] = feed
        (index / "feeds.json").write_text(json.dumps(saved))
        listed_before = citebot("feeds", "list", "--index", index).stdout
        removed = citebot("feeds", "remove", feed, "--index", index).stdout
    # each said "URL (URL)", and `feeds list` "URL  URL"
    assert followed == f"following: {feed}\n"
    assert listed == listed_before == f"{feed}  (0 items taken, last checked never)\n"
    assert removed == f"no longer following: {feed}; the articles taken from it stay in the corpus\n"


def at_hour(hour: int) -> str:
    """The hour ``hour`` (hours since the epoch) as feeds.json and `feeds list` write it."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(3600 * hour))


def test_items_whose_links_are_no_article_page_are_given_up_at_their_first_failure_not_fetched_at_every_update(
        tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    routes = {"/story": story_page, "/photo.jpg": lambda handler: send(handler, 200, b"\xff\xd8\xff", "image/jpeg"),
              "/episode.mp3": lambda handler: send(handler, 200, b"ID3", "audio/mpeg"),
              "/other.xml": feed_route(rss("http://localhost/x"))}
    with Served(routes) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/story"), site.url("/photo.jpg"), site.url("/episode.mp3"),
                                                  site.url("/other.xml"), "mailto:desk@example.org"))
        feeds, summaries = updated_at([0, 1, 2, 25], site.url("/feed.xml"), tmp_path)
        fetched = [site.hits.count(path) for path in ("/photo.jpg", "/episode.mp3", "/other.xml")]
    # The server said what each is: a photo, a podcast's audio, another feed, no web page at all. Each failed, with a
    # warning, at every update for a day (a bot polling every 15 minutes: 96 fetches and warnings of each).
    assert summaries == [
        "1 new, 0 already known, 4 failed (4 given up at once: no article page) (1 feed checked)",
        "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)",
        "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)",
        "0 new, 1 already known, 4 failed (1 feed checked)"]  # a day later, tried again, as an item given up is
    assert fetched == [2, 2, 2]
    assert counts(feeds.feeds()[0]) == (1, 4, 0)
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("feed item")][:4] == [
        f"feed item {site.url('/photo.jpg')}: not an HTML page, a PDF or a Word document (Content-Type image/jpeg) "
        "(no article page: given up at once; tried again in 1 day)",
        f"feed item {site.url('/episode.mp3')}: not an HTML page, a PDF or a Word document (Content-Type audio/mpeg) "
        "(no article page: given up at once; tried again in 1 day)",
        f"feed item {site.url('/other.xml')}: a feed (Content-Type application/rss+xml) is not an article: follow it "
        "with citebot feeds add URL, or add the links of its articles (no article page: given up at once; tried again "
        "in 1 day)",
        "feed item mailto:desk@example.org: not an http(s) URL: mailto:desk@example.org (no article page: given up at "
        "once; tried again in 1 day)"]


def test_a_dead_item_of_a_feed_that_gives_its_items_new_ids_at_every_fetch_is_given_up_all_the_same(tmp_path):
    (tmp_path / "corpus").mkdir()
    fetches = []

    def churning(handler):  # guids stamped with the time of the fetch, as some feed generators make them
        fetches.append(True)
        items = "".join(f'<item><title>{name}</title><link>{site.url(path)}</link><guid isPermaLink="false">'
                        f"{name}-{len(fetches)}</guid></item>" for name, path in (("story", "/story"), ("gone", "/gone")))
        send(handler, 200, (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed'
                            f"</title><link>http://localhost/</link><description>d</description>{items}</channel></rss>"
                            ).encode(), "application/rss+xml")

    hours = [0, 1, 25, 26, 27]
    with Served({"/story": story_page, "/feed.xml": churning}) as site:
        feeds, summaries = updated_at(hours, site.url("/feed.xml"), tmp_path)
    # Its count of failures began again with each new id: the dead item failed, with a warning, at every update for ever.
    assert summaries == [
        "1 new, 0 already known, 1 failed (1 feed checked)",
        "0 new, 1 already known, 1 failed (1 feed checked)",
        "0 new, 1 already known, 1 failed (1 given up after failing for a day) (1 feed checked)",
        "0 new, 2 already known, 0 failed (1 feed checked)",
        "0 new, 2 already known, 0 failed (1 feed checked)"]
    assert site.hits.count("/gone") == 3 and site.hits.count("/story") == 1
    assert counts(feeds.feeds()[0])[1:] == (1, 0)  # given up, failing


def test_an_item_its_site_asks_to_wait_for_for_a_week_in_a_feed_giving_new_ids_at_every_fetch_is_given_up_all_the_same(
        tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    fetches = []

    def churning(handler):  # guids stamped with the time of the fetch, as some feed generators make them
        fetches.append(True)
        send(handler, 200, (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed'
                            f"</title><link>http://localhost/</link><description>d</description><item><title>down"
                            f'</title><link>{site.url("/down")}</link><guid isPermaLink="false">down-{len(fetches)}'
                            "</guid></item></channel></rss>").encode(), "application/rss+xml")

    def down(handler):  # one page down behind a CDN, answering 503 with a Retry-After for ever
        return send(handler, 503, b"Service Unavailable", headers={"Retry-After": "600"})

    with Served({"/down": down, "/feed.xml": churning}) as site:
        feeds, summaries = updated_at([0, 1, 2, 169, 170], site.url("/feed.xml"), tmp_path)
    # Its count of waits began again with each new id: asked for at every update for ever, its site held back each time.
    # (the summary said "1 given up after failing for a day", of a page failing for a week, its site asking to wait)
    assert summaries == ["0 new, 0 already known, 0 failed, 1 left for the next update (1 feed checked)"] * 3 + [
        "0 new, 0 already known, 1 failed (1 given up after a week of its site asking to wait) (1 feed checked)",
        "0 new, 1 already known, 0 failed (1 feed checked)"]
    assert site.hits.count("/down") == 4
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"][-1] == (
        f"feed item {site.url('/down')}: HTTP 503 Service Unavailable (given up, its site having asked to wait for it "
        "for 7 days, in 4 updates: no wait but a page down; tried again in 1 day)")


def test_a_web_page_given_for_a_feed_is_refused_with_the_feeds_it_names_to_follow_instead(tmp_path):
    home = ('<!DOCTYPE html><html><head><title>Baltic Morning News</title>'
            '<link rel="alternate" type="application/rss+xml" title="World\n news" href="/world/rss.xml">'
            '<link rel="alternate" type="application/atom+xml" href="https://bmn.example.org/atom.xml">'
            '<link rel="alternate" hreflang="et" href="/et/">'
            '<link rel="stylesheet" type="text/css" href="/site.css"></head><body><p>Today</p></body></html>')
    with Served({"/": lambda handler: send(handler, 200, home.encode())}) as site:
        page = site.url("/")
        refused = citebot("feeds", "add", page, "--index", tmp_path)
    # It said "not an RSS or Atom feed" only, where the page names its feeds, as a browser or a feed reader finds them.
    assert (refused.returncode, refused.stderr) == (
        1, f"citebot: error: cannot follow {page}: not an RSS, Atom or JSON feed but a web page, which names "
        f"its feeds: {site.url('/world/rss.xml')} (World news), https://bmn.example.org/atom.xml\n")


def served_feed(body: bytes, content_type: str, etag: str = '"v1"'):
    """A route serving ``body`` as ``content_type`` with ``etag``, and a 304 to a conditional GET that names it."""
    def route(handler):
        if handler.headers.get("If-None-Match") == etag:
            return send(handler, 304, b"", headers={"ETag": etag})
        return send(handler, 200, body, content_type, {"ETag": etag})
    return route


def ferry_page(handler):
    send(handler, 200, article_page(STORIES["ferry"], "https://bmn.example.org/world/ferry").encode())


@pytest.mark.parametrize("version, content_type", [("1.1", "application/feed+json"), ("1", "application/json")])
def test_a_json_feed_is_followed_and_its_items_taken_by_their_url_or_external_url(tmp_path, version, content_type):
    (tmp_path / "corpus").mkdir()
    with Served({"/story": story_page, "/ferry": ferry_page}) as site:
        feed = {"version": f"https://jsonfeed.org/version/{version}", "title": "Baltic Morning News (JSON)",
                "home_page_url": "https://bmn.example.org/", "items": [
                    {"id": "tunnel", "url": site.url("/story"), "title": "Tunnel", "content_html": "<p>Tunnel</p>",
                     "date_published": "2026-11-20T08:00:00Z"},
                    {"id": 2, "external_url": "/ferry", "content_text": "A linked story elsewhere.",  # a number (1.0)
                     "date_modified": "2026-11-21T08:00:00+02:00"},
                    {"id": "note", "content_text": "A note with no page of its own."},
                    1, "x", None, []]}  # no items: passed over, as an RSS item without a link is
        site.routes["/feed.json"] = served_feed(json.dumps(feed).encode(), content_type)
        followed = citebot("feeds", "add", site.url("/feed.json"), "--index", tmp_path / "index")
        # It said "not a feed (Content-Type application/json)", or "not an RSS or Atom feed": no JSON Feed was read.
        assert (followed.returncode, followed.stdout, followed.stderr) == (
            0, f"following: Baltic Morning News (JSON) ({site.url('/feed.json')})\n", "")
        feeds = FeedList(tmp_path / "index")
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        first, second = feeds.update(Fetcher(timeout=10), adder), feeds.update(Fetcher(timeout=10), adder)
    assert [added.title for added in first.new] == [STORIES["tunnel"].title, STORIES["ferry"].title]
    assert first.summary().startswith("2 new, 0 already known, 0 failed")
    assert second.summary() == "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"
    assert sorted(feeds.feeds()[0]["seen"]) == ["2", "tunnel"]


@pytest.mark.parametrize("updated", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00", "0000-00-00T00:00:00Z"])
def test_a_feed_item_dated_before_the_year_1_or_after_9999_in_utc_is_taken_as_an_undated_one(tmp_path, updated):
    # Go's zero time written in a zone east of UTC is the year 0 in UTC, a placeholder's last day of 9999 west of it
    # the year 10000, WordPress's zero date the year -1: the update ended in a traceback (ValueError: year 0 is out of
    # range) before any feed's item was taken
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/story": story_page}) as site:
        site.routes["/feed.xml"] = feed_route(atom_feed(
            f'<entry><title>Linked</title><id>urn:uuid:1</id><link href="{site.url("/story")}"/>'
            f'<updated>{updated}</updated></entry>'))
        report, again = followed_and_updated_twice(site, tmp_path)
    assert report.summary() == "1 new, 0 already known, 0 failed (1 feed checked)"
    assert again.summary() == "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"


def test_a_json_feed_whose_title_and_items_hold_half_an_emoji_is_followed_and_its_items_taken(tmp_path):
    # an emoji's UTF-16 pair cut in half (a JavaScript slice: "\ud83d" alone) is no character UTF-8 can write:
    # `feeds add` ended in a traceback (UnicodeEncodeError: surrogates not allowed) writing feeds.json
    (tmp_path / "corpus").mkdir()
    with Served({"/story": story_page, "/ferry%EF%BF%BD": ferry_page}) as site:
        feed = ('{"version": "https://jsonfeed.org/version/1.1", "title": "Baltic Morning News \\ud83d", "items": ['
                f'{{"id": "tunnel \\ud83d", "url": "{site.url("/story")}", "title": "Tunnel \\ud83d", '
                '"content_html": "<p>Tunnel \\ud83d</p>", "summary": "\\ude00"}, '
                f'{{"id": "ferry", "url": "{site.url("/ferry")}\\ud83d"}}]}}')
        site.routes["/feed.json"] = served_feed(feed.encode(), "application/feed+json")
        followed = citebot("feeds", "add", site.url("/feed.json"), "--index", tmp_path / "index")
        assert (followed.returncode, followed.stdout, followed.stderr) == (
            0, f"following: Baltic Morning News \ufffd ({site.url('/feed.json')})\n", "")
        report = FeedList(tmp_path / "index").update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus",
                                                                                        Fetcher(timeout=10)))
    assert report.summary() == "2 new, 0 already known, 0 failed (1 feed checked)"
    assert sorted(FeedList(tmp_path / "index").feeds()[0]["seen"]) == ["ferry", "tunnel \ufffd"]


@pytest.mark.parametrize("body, reason", [
    (b'{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": {"id": "1"}}',
     "not a JSON Feed: its items are not a list"),
    (b'{"version": 2, "items": []}', "not an RSS, Atom or JSON feed"),
    (b'{"data": [1, 2, 3]}', "not an RSS, Atom or JSON feed"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": [',
     "not a JSON Feed: Expecting value: line 1 column 57 (char 56)"),
    (b"[" * 100_000 + b"]" * 100_000, "not a JSON Feed: nested too deep"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "title": "Caf\xe9"}', "not a JSON Feed: not UTF-8"),
])
def test_a_json_document_that_is_no_json_feed_is_refused_in_one_line_saying_why(tmp_path, body, reason):
    with Served({"/feed.json": served_feed(body, "application/feed+json")}) as site:
        refused = citebot("feeds", "add", site.url("/feed.json"), "--index", tmp_path)
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1, "", f"citebot: error: cannot follow {site.url('/feed.json')}: {reason}\n")


def test_a_web_page_naming_its_json_feed_names_it_to_follow_instead_but_not_its_other_json(tmp_path):
    home = ('<!DOCTYPE html><html><head><title>Baltic Morning News</title>'
            '<link rel="alternate" type="application/feed+json" title="World (JSON)" href="/feed.json">'
            '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/7">'  # WordPress's REST API
            '</head><body><p>Today</p></body></html>')
    with Served({"/": lambda handler: send(handler, 200, home.encode())}) as site:
        refused = citebot("feeds", "add", site.url("/"), "--index", tmp_path)
    assert (refused.returncode, refused.stderr) == (
        1, f"citebot: error: cannot follow {site.url('/')}: not an RSS, Atom or JSON feed but a web page, which names "
        f"its feed: {site.url('/feed.json')} (World (JSON))\n")


def full_content_atom(size: int, link: str) -> bytes:
    """An Atom feed of about ``size`` bytes, each entry carrying its whole story as HTML (as many blogs' feeds do); the
    first links to ``link``, the others to pages of bmn.example.org."""
    story = escape("<p>" + "The harbour tunnel under Tallinn Bay will open on 14 March 2027, the ministry said. " * 60
                   + "</p>")
    entries, total, i = [], 0, 0
    while total < size:
        href = link if i == 0 else f"https://bmn.example.org/world/{i}"
        entries.append(f'<entry><title>Story {i}</title><id>urn:uuid:{i}</id><link href="{href}"/>'
                       f'<updated>2026-11-20T00:00:00Z</updated><content type="html">{story}</content></entry>')
        total, i = total + len(entries[-1]), i + 1
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Full feed</title>'
            f'<id>urn:uuid:feed</id><updated>2026-11-20T00:00:00Z</updated>{"".join(entries)}</feed>').encode()


def test_a_full_content_feed_of_12_mb_is_followed_by_the_cli_and_the_bot_alike_within_bounded_memory(tmp_path):
    (tmp_path / "corpus").mkdir()
    with Served({"/story": story_page}) as site:
        body = full_content_atom(12_000_000, site.url("/story"))
        site.routes["/feed.xml"] = served_feed(body, "application/atom+xml")
        followed = citebot("feeds", "add", site.url("/feed.xml"), "--index", tmp_path / "cli")
        # Both refused it: "the body is 12,0xx,xxx bytes, over the 5,000,000-byte limit" (pages' limit, 5 MB).
        assert (followed.returncode, followed.stdout, followed.stderr) == (
            0, f"following: Full feed ({site.url('/feed.xml')})\n", "")
        feeds = FeedList(tmp_path / "bot")
        tracemalloc.start()
        try:
            feeds.add(site.url("/feed.xml"), Fetcher())  # the bot's fetcher
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        # a feed is fetched (not each of its 1,500 links) only where an item is new
        report = feeds.update(Fetcher(), ArticleAdder(tmp_path / "corpus", Fetcher()))
    assert peak < 6 * len(body)
    assert report.new[0].title == STORIES["tunnel"].title


def oversized(size: int, chunked: bool):
    """A route answering with ``size`` bytes of feed, its size said in a Content-Length or not (chunked)."""
    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Transfer-Encoding" if chunked else "Content-Length", "chunked" if chunked else str(size))
        handler.end_headers()
        piece = b"<!-- " + b"x" * (1 << 20) + b" -->"
        for sent in range(0, size, len(piece)):
            part = piece[:size - sent]
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
        if chunked:
            handler.wfile.write(b"0\r\n\r\n")
    return route


def gzipped(size: int, bomb: bool = False):
    """A route answering with ``size`` bytes of feed gzipped, its Content-Length the gzipped size: text that shrinks
    about half, or (``bomb``) zeros, which shrink a thousand times. Gzipped at its first request."""
    body = []

    def route(handler):
        if not body:
            filler = bytes(size) if bomb else os.urandom(size // 2).hex().encode()
            body.append(gzip.compress(b"<!-- " + filler + b" -->", compresslevel=9 if bomb else 1))
        send(handler, 200, body[0], "application/rss+xml", {"Content-Encoding": "gzip"})
    route.body = body
    return route


BOMB = gzipped(100_000_000, bomb=True)


@pytest.mark.parametrize("served, said", [
    (oversized(26_000_000, chunked=False),
     "the feed is 26,000,000 bytes, over the 25,000,000-byte limit for a feed (--max-bytes 26000000 reads it)"),
    (oversized(26_000_000, chunked=True), "the feed is over the 25,000,000-byte limit for a feed (read up to the "
     "limit: its whole size was not said; a larger --max-bytes reads it)"),
    # it said "its server did not say its size", which the Content-Length had said, gzipped
    (gzipped(26_000_000), "the feed is over the 25,000,000-byte limit for a feed (read up to the limit: its whole "
     "size was not said; a larger --max-bytes reads it)"),
    # 100 MB of zeros in 97 KB, gzipped: it was told "a larger --max-bytes reads it", as a feed is
    (BOMB, "the feed, {sent:,} bytes compressed, expands past the 25,000,000-byte limit for a feed, over 100 times its "
     "size (a compression bomb?)"),
])
def test_a_feed_over_the_limit_for_a_feed_is_refused_naming_its_size_and_the_limit(tmp_path, served, said):
    with Served({"/feed.xml": served}) as site:
        refused = citebot("feeds", "add", site.url("/feed.xml"), "--index", tmp_path)
    said = said.format(sent=len(served.body[0])) if served is BOMB else said
    # "the body is over the 5,000,000-byte limit": pages' limit, named as the body's
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1, "", f"citebot: error: cannot follow {site.url('/feed.xml')}: {said}\n")


def test_a_feed_over_the_limit_for_a_feed_is_read_by_the_bots_feed_job_given_the_max_bytes_its_refusal_names(tmp_path):
    from bot.cli import build_parser
    from bot.telegram.command import _updater
    from index.feeds import _fetch

    args = build_parser().parse_args(["telegram", "--index", str(tmp_path), "--max-bytes", "26000000",
                                      "--model", FIXTURE_MODEL_ENV["CITEBOT_MODEL"]])
    with Served({"/feed.xml": oversized(26_000_000, chunked=False)}) as site:
        page = _fetch(_updater(args).adder.fetcher, site.url("/feed.xml"))  # what the bot's feed job fetches with
    assert len(page.body) == 26_000_000


# ---- a story corrected after it was taken: its feed item updated -------------------------------------------------
def test_an_item_updated_in_its_feed_after_its_story_was_corrected_is_fetched_again_and_its_copy_rewritten(workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    story, path = STORIES["tunnel"], "/world/2026/tunnel.html"
    with NewsSite(published=("tunnel",), validators=True) as site:
        assert citebot("feeds", "add", site.url("/atom.xml"), *where).returncode == 0
        first = citebot("feeds", "update", *where)
        rel = first.stdout.split(" -> ")[1].split("\n")[0]
        stored = frontmatter.parse((corpus / rel).read_text(encoding="utf-8"))[0]
        site.correct("tunnel", "14 March 2027", "21 March 2027")  # the entry's <updated> moves an hour later
        # Each item was taken once: the correction was never fetched, and the wrong date stayed cited.
        second = citebot("feeds", "update", *where)
        third = citebot("feeds", "update", *where)
        pages = [r for r in site.requests if r[0] == path]
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    assert lines[:2] == [f"updated: {story.title}, {story.date} ({rel})",
                         "feeds: 0 new, 1 updated, 0 already known, 0 failed (1 feed checked)"]
    assert lines[2].startswith("indexed 3 articles into ") and len(lines) == 3
    # fetched again as `citebot add` does it: a conditional GET with what its server said of the stored copy
    assert pages == [(path, None, None, 200), (path, stored["etag"], stored["last_modified"], 200)]
    assert "will open to traffic on 21 March 2027" in (corpus / rel).read_text(encoding="utf-8")
    assert third.stdout == "feeds: 0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)\n"
    asked = json.loads(citebot("ask", "--json", *where, "When will the harbour tunnel under Tallinn Bay open?").stdout)
    assert "21 March 2027" in asked["answer"] and asked["sources"][0]["doc"] == rel


def test_updated_items_are_fetched_again_a_few_an_update_and_one_whose_article_was_deleted_is_not_brought_back(
        tmp_path, monkeypatch):
    monkeypatch.setattr("index.feeds.REFRESH_PER_UPDATE", 1)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with NewsSite(published=("orchestra", "ferry", "tunnel"), validators=True) as site:
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/atom.xml"), Fetcher(timeout=10))
        adder = ArticleAdder(corpus, Fetcher(timeout=10))

        def update() -> tuple[str, list[str]]:
            report = feeds.update(Fetcher(timeout=10), adder)
            return report.summary(), [added.rel for added in report.updated]

        taken = feeds.update(Fetcher(timeout=10), adder).new
        rel = {STORIES[slug].title: added.rel for added in taken for slug in STORIES
               if added.title == STORIES[slug].title}
        (corpus / rel[STORIES["orchestra"].title]).unlink()  # an editor deleted it: it stays deleted
        site.correct("orchestra", "Brazilian", "Portuguese")
        site.correct("ferry", "320 passengers", "302 passengers")
        site.correct("tunnel", "14 March 2027", "21 March 2027")
        polls = [update(), update(), update()]
    # one a poll here (ten in truth): a feed generator stamping every item with the time of the fetch costs ten fetches
    assert polls == [
        ("0 new, 1 updated, 1 already known, 0 failed, 1 left for the next update (1 feed checked)",
         [rel[STORIES["ferry"].title]]),
        ("0 new, 1 updated, 2 already known, 0 failed (1 feed checked)", [rel[STORIES["tunnel"].title]]),
        ("0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)", [])]
    assert sorted(files_under(corpus)) == sorted([".citebot-add.lock", rel[STORIES["ferry"].title],
                                                  rel[STORIES["tunnel"].title]])
    assert "302 passengers" in (corpus / rel[STORIES["ferry"].title]).read_text(encoding="utf-8")
    assert "21 March 2027" in (corpus / rel[STORIES["tunnel"].title]).read_text(encoding="utf-8")


def test_a_feed_stamping_every_item_with_the_time_of_each_fetch_has_no_item_fetched_again_for_it(tmp_path):
    (tmp_path / "corpus").mkdir()
    polls = []

    def stamped(handler):  # as some feed generators write <updated>: the time the feed is made, on every entry
        polls.append(len(polls))
        when = f"2026-11-2{len(polls)}T10:00:00Z"
        entries = "".join(f'<entry><title>{STORIES[slug].title}</title><link href="{site.url("/" + slug)}"/>'
                          f"<id>urn:{slug}</id><updated>{when}</updated></entry>" for slug in ("tunnel", "ferry"))
        send(handler, 200, f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Stamped</title><id>urn:f</id>'
                            f"<updated>{when}</updated>{entries}</feed>".encode(), "application/atom+xml")

    def page(slug):
        return lambda handler: send(handler, 200, article_page(STORIES[slug], site.url("/" + slug)).encode())

    with Served({"/feed.xml": stamped, "/tunnel": page("tunnel"), "/ferry": page("ferry")}) as site:
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        summaries = [feeds.update(Fetcher(timeout=10), adder).summary() for _ in range(3)]
    # Each poll's later date fetched both stories again, at every poll, for as long as the feed listed them.
    assert summaries == ["2 new, 0 already known, 0 failed (1 feed checked)"] + [
        "0 new, 2 already known, 0 failed (1 feed checked)"] * 2
    assert (site.hits.count("/tunnel"), site.hits.count("/ferry")) == (1, 1)


def test_a_podcast_episode_with_only_audio_is_passed_over_and_counted_and_a_report_given_as_a_pdf_enclosure_is_taken(
        tmp_path):
    from tests.pdfs import pdf_bytes

    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    report_pdf = pdf_bytes([["Harbour tunnel progress report", "The harbour tunnel under Tallinn Bay is 92 percent "
                                                                "complete, the port authority reported in November."]],
                           title="Harbour tunnel progress report")
    with Served({"/story": story_page,
                 "/report.pdf": lambda handler: send(handler, 200, report_pdf, "application/pdf")}) as site:
        items = (f'<item><title>Episode 1</title><guid isPermaLink="false">ep-1</guid><description>We talk about the '
                 f'tunnel.</description><enclosure url="https://cdn.example.org/ep-1.mp3" length="1" type="audio/mpeg"/>'
                 # a guid without isPermaLink="false" is the item's link, as RSS has it: here one that is no address
                 f'</item><item><title>Episode 2</title><guid>urn:uuid:ep-2</guid><enclosure '
                 f'url="https://cdn.example.org/ep-2.mp3" length="1" type="audio/mpeg"/></item><item><title>Report</title><guid isPermaLink="false">report-1</guid><enclosure '
                 f'url="{site.url("/report.pdf")}" length="{len(report_pdf)}" type="application/pdf"/></item>'
                 f'<item><title>Story</title><link>{site.url("/story")}</link><guid isPermaLink="false">story-1</guid>'
                 f"</item>")
        site.routes["/feed.xml"] = feed_route(
            (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour podcast</title>'
             f"<link>http://localhost/</link><description>d</description>{items}</channel></rss>").encode())
        report, again = followed_and_updated_twice(site, tmp_path)
        listed = citebot("feeds", "list", "--index", tmp_path / "index").stdout
    # The episodes were passed over without a word ("0 failed", nothing said why the feed's items were not taken), or
    # failed as "urn:uuid:ep-2: not an http(s) URL" at every update for a day, then given up.
    assert report.summary() == ("2 new, 0 already known, 0 failed, 2 passed over (no article link: audio, video or "
                                "none) (1 feed checked)")
    assert sorted(added.title for added in report.new) == ["Harbour tunnel progress report", STORIES["tunnel"].title]
    assert again.summary() == "0 new, 0 already known, 0 failed (1 feed checked, 1 not modified)"  # not tried again
    assert re.fullmatch(rf"{re.escape(site.url('/feed.xml'))}  Harbour podcast  \(2 items taken, 2 passed over \(no "
                        r"article link\), last checked \S+\)\n", listed)


@pytest.mark.parametrize("content_type", ["application/x-rss+xml", "application/x-atom+xml", "application/octet-stream",
                                          "binary/octet-stream"])
def test_a_feed_served_under_an_old_or_a_generic_content_type_is_followed_as_feed_readers_follow_it(tmp_path,
                                                                                                    content_type):
    with Served({"/feed": served_feed(rss("https://bmn.example.org/world/tunnel"), content_type)}) as site:
        followed = citebot("feeds", "add", site.url("/feed"), "--index", tmp_path)
    # "not a feed (Content-Type application/x-rss+xml)": an old name of RSS's type, or a file server's for any file
    assert (followed.returncode, followed.stdout, followed.stderr) == (0, f"following: Test feed ({site.url('/feed')})\n",
                                                                       "")


def test_items_linking_to_their_feeds_home_page_are_passed_over_and_the_home_page_is_not_stored_as_an_article(
        tmp_path):
    (tmp_path / "corpus").mkdir()
    feed_route.asked = []
    with Served({"/": story_page, "/story": story_page}) as site:  # a home page that reads as an article
        home = site.url("/")
        items = "".join(f'<item><title>Episode {i}</title><link>{link}</link><guid isPermaLink="false">ep-{i}</guid>'
                        f'<enclosure url="https://cdn.example.org/ep-{i}.mp3" length="1" type="audio/mpeg"/></item>'
                        for i, link in enumerate([home, home.rstrip("/"), site.url("/story")]))
        site.routes["/feed.xml"] = feed_route(
            (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour podcast</title>'
             f"<link>{home}</link><description>d</description>{items}</channel></rss>").encode())
        report, again = followed_and_updated_twice(site, tmp_path)
    # A podcast linking each episode to the show's home page had that page stored as the first episode's article.
    assert report.summary() == ("1 new, 0 already known, 0 failed, 2 passed over (no article link: audio, video or "
                                "none) (1 feed checked)")
    assert "/" not in site.hits


@pytest.mark.parametrize("given", ["feed://{host}/feed.xml", "feed:http://{host}/feed.xml", "FEED://{host}/feed.xml"])
def test_a_feed_link_of_the_feed_scheme_as_sites_give_it_is_followed_and_removed_at_its_http_address(tmp_path,
                                                                                                      given):
    with Served({"/feed.xml": served_feed(rss("https://bmn.example.org/world/tunnel"), "application/rss+xml")}) as site:
        given = given.format(host=f"127.0.0.1:{site.port}")
        followed = citebot("feeds", "add", given, "--index", tmp_path)
    # "not an http(s) URL: feed://…": the scheme sites give their feeds' links for a feed reader to open them
    assert (followed.returncode, followed.stdout, followed.stderr) == (
        0, f"following: Test feed ({site.url('/feed.xml')})\n", "")
    removed = citebot("feeds", "remove", f" {given} ", "--index", tmp_path)
    # "not following feed://…": the link it was followed by was not read as add reads it
    assert (removed.returncode, removed.stdout, removed.stderr) == (
        0, f"no longer following: Test feed ({site.url('/feed.xml')}); the articles taken from it stay in the corpus\n",
        "")
    again = citebot("feeds", "remove", given, "--index", tmp_path)
    assert (again.returncode, again.stderr) == (
        1, f"citebot: error: not following {site.url('/feed.xml')}: `citebot feeds list` shows the feeds followed\n")


def test_a_json_feed_in_the_charset_its_header_names_is_read_in_it_and_one_in_utf_8_whatever_its_header_says(tmp_path):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Новости Таллина",
            "items": [{"id": "1", "url": "https://bmn.example.org/world/tunnel"}]}
    body = json.dumps(feed, ensure_ascii=False)
    with Served({"/1251.json": served_feed(body.encode("cp1251"), "application/feed+json; charset=windows-1251"),
                 "/utf8.json": served_feed(body.encode(), "application/feed+json; charset=iso-8859-1")}) as site:
        # "not a JSON Feed: not UTF-8", though its server said which charset it is in
        followed = [citebot("feeds", "add", site.url(path), "--index", tmp_path).stdout for path in ("/1251.json",
                                                                                                      "/utf8.json")]
    assert followed == [f"following: Новости Таллина ({site.url('/1251.json')})\n",
                        f"following: Новости Таллина ({site.url('/utf8.json')})\n"]


def test_an_rss_feed_served_as_json_is_read_as_the_rss_it_is(tmp_path):
    with Served({"/feed": served_feed(rss("https://bmn.example.org/world/tunnel"), "application/json")}) as site:
        followed = citebot("feeds", "add", site.url("/feed"), "--index", tmp_path)
    # "not a JSON Feed: Expecting value: line 1 column 1 (char 0)": its Content-Type was believed over its body
    assert (followed.returncode, followed.stdout, followed.stderr) == (0, f"following: Test feed ({site.url('/feed')})\n",
                                                                       "")


def test_an_item_linking_to_a_stored_story_with_tracking_parameters_is_that_story_and_its_correction_is_fetched(
        tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tracked = "/tunnel?utm_source=rss&utm_medium=feed&fbclid=IwAR0x"
    revision = []

    def atom(handler):  # its entry <updated> an hour later once the story is corrected
        send(handler, 200, f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Tracked</title><id>urn:f</id>'
                           f'<updated>2026-11-23T07:30:00Z</updated><entry><title>{STORIES["tunnel"].title}</title>'
                           f'<link href="{site.url(tracked)}"/><id>urn:tunnel</id>'
                           f"<updated>2026-11-20T0{7 + len(revision)}:30:00Z</updated></entry></feed>".encode(),
             "application/atom+xml")

    def page(handler):
        story = STORIES["tunnel"]
        if revision:
            story = replace(story, paragraphs=tuple(p.replace("14 March", "21 March") for p in story.paragraphs))
        send(handler, 200, article_page(story, site.url("/tunnel")).encode())

    with Served({"/atom.xml": atom, "/tunnel": page, tracked: page}) as site:
        adder = ArticleAdder(corpus, Fetcher(timeout=10))
        rel = adder.add(site.url("/tunnel")).rel  # stored from its clean link first
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/atom.xml"), Fetcher(timeout=10))
        first = feeds.update(Fetcher(timeout=10), adder).summary()
        revision.append(1)
        # The item's link, the stored story's but for its utm_* and fbclid, was another link: the story counted as
        # "already known" and its correction was never fetched, leaving the wrong date cited.
        second = feeds.update(Fetcher(timeout=10), adder)
    assert (first, second.summary()) == ("0 new, 1 already known, 0 failed (1 feed checked)",
                                         "0 new, 1 updated, 0 already known, 0 failed (1 feed checked)")
    assert [added.rel for added in second.updated] == [rel]
    assert files_under(corpus) == {".citebot-add.lock", rel}
    assert "will open to traffic on 21 March 2027" in (corpus / rel).read_text(encoding="utf-8")


def test_an_item_through_a_redirector_to_a_tracked_link_is_stored_under_the_storys_address_without_the_tracking(
        tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    landing = "/tunnel?id=7&utm_source=feedburner&utm_medium=feed&utm_campaign=World"

    def rss(handler):  # its link a redirector's (feedproxy, t.co), its guid the story's own address
        send(handler, 200, f'<rss version="2.0"><channel><title>Proxied</title><link>{site.url("/")}</link><item>'
                           f'<title>{STORIES["tunnel"].title}</title><link>{site.url("/r/7")}</link>'
                           f'<guid isPermaLink="true">{site.url("/tunnel?id=7")}</guid></item></channel></rss>'.encode(),
             "application/rss+xml")

    def page(handler):  # a site that names no canonical link
        send(handler, 200, re.sub(r'<link rel="canonical"[^>]*>', "", article_page(STORIES["tunnel"], "")).encode())

    with Served({"/rss": rss, "/r/7": lambda handler: send(handler, 302, b"", headers={"Location": landing}),
                 landing: page, "/tunnel?id=7": page}) as site:
        adder = ArticleAdder(corpus, Fetcher(timeout=10))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/rss"), Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), adder)
        again = adder.add(site.url("/tunnel?id=7"))
    [added] = report.new
    meta, _ = frontmatter.parse((corpus / added.rel).read_text(encoding="utf-8"))
    # The campaign's utm_* were kept in the address every answer cites the story by.
    assert (meta["url"], meta.get("fetched")) == (site.url("/tunnel?id=7"), None)
    assert again.duplicate_of == added.rel and files_under(corpus) == {".citebot-add.lock", added.rel}


@pytest.mark.parametrize("feed", ["/atom.xml", "/feed.xml"], ids=["id no URL", "guid the story's address"])
def test_a_correction_of_an_item_linking_through_a_redirector_rewrites_its_story_even_after_a_restart(tmp_path, feed):
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def update():  # as a new run does: what the feeds took is read back from feeds.json
        return FeedList(tmp_path / "index").update(Fetcher(timeout=10), ArticleAdder(corpus, Fetcher(timeout=10)))

    with NewsSite(published=("tunnel",), redirected=True) as site:
        FeedList(tmp_path / "index").add(site.url(feed), Fetcher(timeout=10))
        [added] = update().new
        site.correct("tunnel", "14 March 2027", "21 March 2027")
        # The story was stored under its own address, never the redirector's: the item counted as "already known", and
        # its first version stayed cited for good.
        corrected = update()
        text = (corpus / added.rel).read_text(encoding="utf-8")
        (corpus / added.rel).unlink()  # an editor deleted it: a correction does not bring it back
        site.correct("tunnel", "21 March 2027", "28 March 2027")
        after = update()
    assert site.statuses("/r/tunnel") == [301]
    assert corrected.summary() == "0 new, 1 updated, 0 already known, 0 failed (1 feed checked)"
    assert [a.rel for a in corrected.updated] == [added.rel] and "will open to traffic on 21 March 2027" in text
    assert after.summary() == "0 new, 1 already known, 0 failed (1 feed checked)"
    assert files_under(corpus) == {".citebot-add.lock"}


def opml(*outlines: str) -> str:
    """An OPML 2.0 subscription list, as a feed reader exports it, of ``outlines`` (folders may nest)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head><title>My feeds</title></head>\n'
            "  <body>\n" + "".join(f"    {outline}\n" for outline in outlines) + "  </body>\n</opml>\n")


def test_an_opml_file_from_a_feed_reader_follows_every_feed_it_lists_in_folders_too_and_says_what_became_of_each(
        site, tmp_path):
    index = tmp_path / "index"
    rss, atom, page, gone = site.url("/feed.xml"), site.url("/atom.xml"), site.article_url("tunnel"), site.url("/old.xml")
    assert citebot("feeds", "add", rss, "--index", index).returncode == 0
    subscriptions = tmp_path / "subscriptions.opml"
    subscriptions.write_text(opml(
        f'<outline text="World" title="World" type="rss" xmlUrl="{rss}" htmlUrl="{site.url("/world")}"/>',
        '<outline text="Baltic" title="Baltic">',
        f'  <outline text="World (Atom)" type="rss" xmlUrl="{atom}"/>',
        '  <outline text="Old and odd">',
        f'    <outline text="A story, not a feed" type="rss" xmlUrl="{page}"/>',
        f'    <outline text="World, again" type="rss" xmlUrl="{rss}"/>',  # one feed in two folders: listed once
        "  </outline>",
        "</outline>",
        f'<outline text="Closed" type="rss" xmlUrl="{gone}"/>',
        '<outline text="A blog to read" type="link" url="https://blog.example.org/"/>'), encoding="utf-8")

    added = citebot("feeds", "add", subscriptions, "--index", index)
    assert (added.returncode, added.stdout, added.stderr) == (
        1,
        f"already following: Baltic Morning News: World ({rss})\n"
        f"following: Baltic Morning News: World ({atom})\n"
        f"feeds: 1 newly followed, 1 already followed, 2 refused (4 listed in {subscriptions})\n",
        f"citebot: error: cannot follow {page}: not an RSS, Atom or JSON feed\n"
        f"citebot: error: cannot follow {gone}: HTTP 404 Not Found\n")
    assert [feed["url"] for feed in FeedList(index).feeds()] == [rss, atom]


def test_a_sites_list_of_its_feeds_served_as_opml_is_followed_whole_from_its_url(site, tmp_path):
    rss, atom = site.url("/feed.xml"), site.url("/atom.xml")
    site.files["/feeds.opml"] = ("text/x-opml; charset=utf-8", opml(
        f'<outline text="World" type="rss" xmlUrl="{rss}"/>', f'<outline text="Atom" type="rss" xmlUrl="{atom}"/>',
    ).encode())
    added = citebot("feeds", "add", site.url("/feeds.opml"), "--index", tmp_path)
    assert (added.returncode, added.stdout, added.stderr) == (
        0,
        f"following: Baltic Morning News: World ({rss})\n"
        f"following: Baltic Morning News: World ({atom})\n"
        f"feeds: 2 newly followed, 0 already followed, 0 refused (2 listed in {site.url('/feeds.opml')})\n", "")



@pytest.mark.parametrize("name, encoded", [
    ("utf16.opml", lambda text: text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")),
    ("commented.opml", lambda text: text.replace("?>\n", "?>\n<!-- " + "Exported by Reader 4.2 for Mari. " * 150
                                                 + "-->\n", 1).encode()),
], ids=["in UTF-16", "after a comment of 5 KB"])
def test_a_sites_list_of_its_feeds_served_as_opml_in_utf_16_or_after_a_long_comment_is_followed_whole(site, tmp_path,
                                                                                                    name, encoded):
    rss, atom = site.url("/feed.xml"), site.url("/atom.xml")
    site.files[f"/{name}"] = ("text/x-opml", encoded(opml(f'<outline text="World" type="rss" xmlUrl="{rss}"/>',
                                                         f'<outline text="Atom" type="rss" xmlUrl="{atom}"/>')))
    added = citebot("feeds", "add", site.url(f"/{name}"), "--index", tmp_path)
    # It was "citebot: error: cannot follow …: not an RSS, Atom or JSON feed", though the same list saved as a file
    # was followed: an OPML list was told by its first 4 KB of UTF-8 alone.
    assert (added.returncode, added.stdout, added.stderr) == (
        0,
        f"following: Baltic Morning News: World ({rss})\n"
        f"following: Baltic Morning News: World ({atom})\n"
        f"feeds: 2 newly followed, 0 already followed, 0 refused (2 listed in {site.url(f'/{name}')})\n", "")


@pytest.mark.parametrize("encoding", ["Shift_JIS", "GBK", "EUC-KR"])
def test_an_opml_file_in_a_multi_byte_encoding_of_east_asia_is_followed_whole(site, tmp_path, encoding):
    rss, atom = site.url("/feed.xml"), site.url("/atom.xml")
    subscriptions = tmp_path / "subscriptions.opml"
    subscriptions.write_bytes(opml('<outline text="ニュース 新闻 뉴스">', f'  <outline text="世界" type="rss" xmlUrl="{rss}"/>',
                                   "</outline>", f'<outline text="Atom" type="rss" xmlUrl="{atom}"/>').replace(
        'encoding="UTF-8"', f'encoding="{encoding}"').encode(encoding, "replace"))
    added = citebot("feeds", "add", subscriptions, "--index", tmp_path / "index")
    # It was a traceback: "ValueError: multi-byte encodings are not supported", from the XML parser.
    assert (added.returncode, added.stdout, added.stderr) == (
        0,
        f"following: Baltic Morning News: World ({rss})\n"
        f"following: Baltic Morning News: World ({atom})\n"
        f"feeds: 2 newly followed, 0 already followed, 0 refused (2 listed in {subscriptions})\n", "")

def test_the_feeds_followed_are_written_as_opml_2_that_another_citebot_follows_whole(site, tmp_path):
    rss, atom = site.url("/feed.xml"), site.url("/atom.xml")
    for feed in (rss, atom):
        assert citebot("feeds", "add", feed, "--index", tmp_path / "here").returncode == 0
    exported = citebot("feeds", "list", "--opml", "--index", tmp_path / "here")
    assert (exported.returncode, exported.stdout, exported.stderr) == (0, f"""\
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>Feeds followed by citebot</title>
  </head>
  <body>
    <outline type="rss" text="Baltic Morning News: World" title="Baltic Morning News: World" xmlUrl="{rss}"/>
    <outline type="rss" text="Baltic Morning News: World" title="Baltic Morning News: World" xmlUrl="{atom}"/>
  </body>
</opml>
""", "")
    moved = tmp_path / "feeds.opml"
    moved.write_text(exported.stdout, encoding="utf-8")
    followed = citebot("feeds", "add", moved, "--index", tmp_path / "there")
    assert followed.stdout.splitlines()[-1] == f"feeds: 2 newly followed, 0 already followed, 0 refused (2 listed in {moved})"
    assert [feed["url"] for feed in FeedList(tmp_path / "there").feeds()] == [rss, atom]


def test_feed_titles_and_addresses_with_markup_in_them_are_exported_as_opml_that_reads_back_as_they_are(tmp_path):
    import xml.etree.ElementTree as ElementTree

    feeds = [{"url": "https://news.example.org/rss?section=world&lang=en", "title": 'News & "Views" <daily>'},
             {"url": "https://blog.example.org/feed", "title": None}]
    (tmp_path / "feeds.json").write_text(json.dumps({"feeds": feeds}), encoding="utf-8")
    exported = citebot("feeds", "list", "--opml", "--index", tmp_path)
    outlines = ElementTree.fromstring(exported.stdout.encode()).findall("./body/outline")
    assert [(o.get("text"), o.get("xmlUrl")) for o in outlines] == [
        ('News & "Views" <daily>', "https://news.example.org/rss?section=world&lang=en"),
        ("https://blog.example.org/feed", "https://blog.example.org/feed")]
    nothing = citebot("feeds", "list", "--opml", "--index", tmp_path / "none")
    assert ElementTree.fromstring(nothing.stdout.encode()).findall("./body/outline") == []


BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE opml [\n <!ENTITY lol "lol">\n'
                  ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
                  ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
                  '<opml version="2.0"><body><outline text="&lol3;" xmlUrl="https://example.org/feed"/></body></opml>\n')


@pytest.mark.parametrize("name, text, reason", [
    ("feed.xml", None, "it is a feed itself (<rss>), not an OPML list of feeds: follow it at its web address, citebot "
     "feeds add URL (a file on this machine gets no new items)"),
    ("page.opml", "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"></head></html>",
     "not an OPML list of feeds: it is XML whose root element is <html>, not <opml>"),
    ("notes.opml", "World: https://news.example.org/rss\n", "not an OPML list of feeds: not XML (line 1, column 1: syntax error)"),
    ("cut.opml", opml('<outline text="World" xmlUrl="https://news.example.org/rss"/>')[:-30],
     "broken XML: it ends at line 5, column 5, before its last element is closed (cut short?)"),
    ("mismatched.opml", opml('<outline text="News">', '<outline text="World" xmlUrl="https://news.example.org/rss">', "</outline>"),
     "broken XML at line 8, column 5: mismatched tag"),
    ("folders.opml", opml('<outline text="News"><outline text="World"/></outline>'),
     "it lists no feeds (no <outline> with an xmlUrl)"),
    ("empty.opml", "", "it is empty"),
    ("laughs.opml", BILLION_LAUGHS, "it declares XML entities (<!ENTITY>), which no OPML list needs: not read"),
    # an encoding Python names but reads nothing in: it was a traceback, "UnicodeError: undefined encoding"
    ("undefined.opml", '<?xml version="1.0" encoding="undefined"?>\n<opml version="2.0"><body><outline '
     'xmlUrl="https://news.example.org/rss"/></body></opml>\n', "its encoding cannot be read (save it as UTF-8)"),
    # RDF, as RSS 1.0 is, but no feed: it was "a feed itself (<rdf:RDF>) … follow it at its web address"
    ("foaf.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
     'xmlns:foaf="http://xmlns.com/foaf/0.1/"><foaf:Person><foaf:name>Mari Tamm</foaf:name><foaf:weblog '
     'rdf:resource="https://mari.example.org/"/></foaf:Person></rdf:RDF>\n',
     "not an OPML list of feeds: it is XML whose root element is <rdf:RDF>, not <opml>"),
    ("doap.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://usefulinc.com/ns/doap#">'
     '<Project><name>citebot</name><homepage rdf:resource="https://citebot.example.org/"/></Project></rdf:RDF>',
     "not an OPML list of feeds: it is XML whose root element is <rdf:RDF>, not <opml>"),
    # a TV channel of the BBC's Programmes Ontology, no RSS <channel>: it was "a feed itself (<rdf:RDF>)"
    ("programmes.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
     'xmlns:po="http://purl.org/ontology/po/"><po:Channel rdf:about="/bbcone#service"><po:name>BBC One</po:name>'
     '</po:Channel></rdf:RDF>', "not an OPML list of feeds: it is XML whose root element is <rdf:RDF>, not <opml>"),
    ("rss1.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
     '<channel rdf:about="https://news.example.org/"><title>World</title></channel></rdf:RDF>',
     "it is a feed itself (<rdf:RDF>), not an OPML list of feeds: follow it at its web address, citebot feeds add URL "
     "(a file on this machine gets no new items)"),
])
def test_a_file_that_is_no_opml_list_of_feeds_is_one_line_saying_why_and_nothing_is_followed(site, tmp_path, name, text,
                                                                                          reason):
    given = tmp_path / name
    given.write_text(site.rss() if text is None else text, encoding="utf-8")
    refused = citebot("feeds", "add", given, "--index", tmp_path / "index")
    assert (refused.returncode, refused.stdout, refused.stderr) == (1, "", f"citebot: error: cannot read {given}: {reason}\n")
    assert not (tmp_path / "index" / "feeds.json").exists()
    assert site.requests == []


@pytest.mark.parametrize("name, text, kind", [
    ("atom.xml", '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>World</title>'
     '<link rel="alternate" href="https://news.example.org/world/"/><link rel="self" '
     'href="https://news.example.org/world/atom.xml"/><entry><id>1</id><link href="https://news.example.org/1"/></entry>'
     '</feed>\n', "<feed>"),
    ("rss.xml", '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>World</title>'
     '<link>https://news.example.org/world/</link><atom:link href="https://news.example.org/world/atom.xml" '
     'rel="self" type="application/rss+xml"/></channel></rss>', "<rss>"),
    ("feed.json", '{"version": "https://jsonfeed.org/version/1.1", "title": "World", '
     '"feed_url": "https://news.example.org/world/atom.xml", "items": []}', "JSON Feed"),
    # as json.dumps(sort_keys=True) writes one: "version" after its items, past the file's first 4 KB
    ("sorted.json", json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "World",
                                "feed_url": "https://news.example.org/world/atom.xml",
                                "items": [{"id": str(i), "url": f"https://news.example.org/{i}",
                                           "content_text": "The harbour tunnel will open in March. " * 10}
                                          for i in range(20)]}, sort_keys=True), "JSON Feed"),
])
def test_a_feed_saved_as_a_file_is_refused_naming_the_address_it_says_it_is_served_at_to_follow_instead(tmp_path, name,
                                                                                                    text, kind):
    given = tmp_path / name
    given.write_text(text, encoding="utf-8")
    refused = citebot("feeds", "add", given, "--index", tmp_path / "index")
    # It said "not an OPML list of feeds: it is XML whose root element is <rss>, not <opml>" (a JSON Feed, "not XML"),
    # nothing of what to do with a feed saved from a browser, or sent by a colleague.
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1, "", f"citebot: error: cannot read {given}: it is a feed itself ({kind}), not an OPML list of feeds: follow it "
        "at its web address, citebot feeds add https://news.example.org/world/atom.xml\n")
    assert not (tmp_path / "index" / "feeds.json").exists()


@pytest.mark.parametrize("name, text, kind, address", [
    ("blog.xml", '<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><entry><id>1</id><link rel="self" '
     'type="application/atom+xml" href="https://blog.example.org/feeds/posts/default/123"/></entry><link rel="self" '
     'href="https://blog.example.org/feeds/posts/default"/></feed>', "<feed>", "https://blog.example.org/feeds/posts/default"),
    ("entries.xml", '<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><entry><id>1</id><link rel="self" '
     'href="https://blog.example.org/feeds/posts/default/123"/></entry></feed>', "<feed>",
     "URL (a file on this machine gets no new items)"),
    ("items.rss", '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>W</title><item><title>x'
     '</title><atom:link rel="self" href="https://other.example.com/item/9"/></item></channel></rss>', "<rss>",
     "URL (a file on this machine gets no new items)"),
    ("rdf.xml", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
     'xmlns:atom="http://www.w3.org/2005/Atom"><item rdf:about="https://news.example.org/1"><atom:link rel="self" '
     'href="https://news.example.org/1.rdf"/></item><channel rdf:about="https://news.example.org/"><atom:link '
     'rel="self" href="https://news.example.org/index.rdf"/></channel></rdf:RDF>', "<rdf:RDF>",
     "https://news.example.org/index.rdf"),
], ids=["an entry's before its feed's", "an entry's alone", "an item's alone", "an RSS 1.0 item's before its channel's"])
def test_a_feed_saved_as_a_file_is_never_told_to_follow_the_address_of_one_of_its_entries(tmp_path, name, text, kind,
                                                                                          address):
    given = tmp_path / name
    given.write_text(text, encoding="utf-8")
    refused = citebot("feeds", "add", given, "--index", tmp_path / "index")
    # An entry's own address (Blogger's entries each have a <link rel="self">) was given as the feed's to follow:
    # "citebot feeds add https://blog.example.org/feeds/posts/default/123", one post, not the feed.
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1, "", f"citebot: error: cannot read {given}: it is a feed itself ({kind}), not an OPML list of feeds: follow it "
        f"at its web address, citebot feeds add {address}\n")
    assert not (tmp_path / "index" / "feeds.json").exists()


def test_an_opml_file_not_there_is_one_line_and_an_address_without_its_scheme_is_still_refused_as_no_url(tmp_path):
    # A list saved under another name than *.opml (subs.xml, a folder's) was "not an http(s) URL: subs.xml".
    for name in ("subscriptions.opml", "subs.xml", "exports/feeds.txt", "./subs", "~/Downloads/subs.xml"):
        missing = citebot("feeds", "add", name, "--index", tmp_path, cwd=tmp_path)
        assert (missing.returncode, missing.stderr) == (
            1, f"citebot: error: cannot read {name}: No such file or directory\n")
    for address in ("news.example.org/rss.xml", "news.example.org", "localhost:8080/feed.xml"):
        schemeless = citebot("feeds", "add", address, "--index", tmp_path, cwd=tmp_path)
        assert (schemeless.returncode, schemeless.stderr) == (1, f"citebot: error: not an http(s) URL: {address}\n")


@pytest.mark.parametrize("name, body, kind, address", [
    ("full.xml", lambda: full_content_atom(12_000_000, "https://news.example.org/1").replace(
        b"<title>Full feed</title>", b'<title>Full feed</title><link rel="self" href="https://news.example.org/full.xml"/>'),
     "<feed>", "https://news.example.org/full.xml"),
    ("full.json", lambda: json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Full feed", "items": [
        {"id": str(i), "url": f"https://news.example.org/{i}", "content_html": "<p>The tunnel will open.</p>" * 50}
        for i in range(8_000)]}).encode(), "JSON Feed", "URL (a file on this machine gets no new items)"),
])
def test_a_feed_saved_as_a_file_over_the_limit_for_an_opml_list_is_told_it_is_a_feed_not_too_large_a_list(
        tmp_path, name, body, kind, address):
    given = tmp_path / name
    given.write_bytes(body())
    refused = citebot("feeds", "add", given, "--index", tmp_path / "index")
    # It said "it is 12,0xx,xxx bytes, over the 10,000,000-byte limit for an OPML list", of a full-content feed saved
    # from a browser: no word of its being a feed, nor of where to follow it.
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1, "", f"citebot: error: cannot read {given}: it is a feed itself ({kind}), not an OPML list of feeds: follow it "
        f"at its web address, citebot feeds add {address}\n")
    assert not (tmp_path / "index" / "feeds.json").exists()


def test_an_opml_file_of_50_mb_or_of_10000_feeds_is_refused_in_one_line_before_any_feed_is_fetched(site, tmp_path):
    huge = tmp_path / "huge.opml"
    with huge.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: no 50 MB written
    refused = citebot("feeds", "add", huge, "--index", tmp_path / "index")
    assert (refused.returncode, refused.stderr) == (
        1, f"citebot: error: cannot read {huge}: it is 50,000,000 bytes, over the 10,000,000-byte limit for an OPML list\n")

    newsroom = tmp_path / "newsroom.opml"
    newsroom.write_text(opml(*(f'<outline text="Desk {i}" type="rss" xmlUrl="{site.url(f"/desk/{i}.xml")}"/>'
                               for i in range(10_000))), encoding="utf-8")
    refused = citebot("feeds", "add", newsroom, "--index", tmp_path / "index")
    assert (refused.returncode, refused.stderr) == (
        1, f"citebot: error: cannot read {newsroom}: it lists more than 1,000 feeds, the most one `citebot feeds add` "
           "follows: split it\n")
    assert site.requests == []
    assert not (tmp_path / "index" / "feeds.json").exists()


class Crowd:
    """Feeds on two sites: ``slow`` (its own host) answers only once every feed of ``fast`` has been served, as a
    feed answering at the end of its timeout does; ``fast`` serves ``n`` feeds (/feed/I.xml, titled "Feed I", no
    items) and a 404 at /gone.xml."""

    def __init__(self, n: int):
        import threading

        self.n, self.served, self.waiting = n, set(), threading.Event()
        self.all_served = threading.Event()
        self.fast, self.slow = Served({}), Served({"/feed.xml": self._slow})
        self.fast.routes.update({f"/feed/{i}.xml": self._fast(i) for i in range(n)})

    def begin(self) -> None:
        """From now on the slow feed answers only once every fast one has been served (again)."""
        self.served.clear()
        self.all_served.clear()
        self.waiting.set()

    def _fast(self, i: int):
        def route(handler):
            send(handler, 200, empty_rss(f"Feed {i}"), "application/rss+xml")
            self.served.add(i)
            if len(self.served) == self.n:
                self.all_served.set()
        return route

    def _slow(self, handler):
        if self.waiting.is_set():  # from the update on: it answers once the others were served
            self.all_served.wait(60)
        send(handler, 200, empty_rss("Slow feed"), "application/rss+xml")

    def urls(self) -> list[str]:
        """The slow feed first, then the fast ones with the 404 among them."""
        fast = [self.fast.url(f"/feed/{i}.xml") for i in range(self.n)]
        return [self.slow.url("/feed.xml"), *fast[:2], self.fast.url("/gone.xml"), *fast[2:]]

    def __enter__(self) -> "Crowd":
        self.fast.__enter__()
        self.slow.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.all_served.set()
        self.slow.__exit__(*exc)
        self.fast.__exit__(*exc)


def empty_rss(title: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            "<link>http://localhost/</link><description>d</description></channel></rss>").encode()


def test_a_feed_answering_slowly_holds_up_no_other_feed_of_an_update_and_each_is_reported_in_the_lists_order(
        tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    with Crowd(6) as crowd:
        feeds = FeedList(tmp_path / "index")
        for url in crowd.urls():
            if not url.endswith("/gone.xml"):
                feeds.add(url, Fetcher(timeout=10))
        feeds.path.write_text(json.dumps({"feeds": [*feeds.feeds()[:3], {"url": crowd.urls()[3], "seen": []},
                                                    *feeds.feeds()[3:]]}), encoding="utf-8")
        crowd.begin()
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    # The slow feed, first in the list, answered only once the seven after it had been: fetched one by one, it was
    # given up at its timeout ("no answer within 10 s") and the others were fetched after it.
    assert (report.summary(), report.failed) == (
        "0 new, 0 already known, 1 failed (8 feeds checked, 1 unreadable)", [f"{crowd.urls()[3]}: HTTP 404 Not Found"])
    assert [(f["url"], f["title"], f.get("unreadable")) for f in feeds.feeds()] == [
        (url, "Slow feed" if i == 0 else None if i == 3 else f"Feed {i - 1 - (i > 3)}",
         "HTTP 404 Not Found" if i == 3 else None) for i, url in enumerate(crowd.urls())]
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed {crowd.urls()[3]}: HTTP 404 Not Found"]


def test_an_opml_list_whose_first_feed_answers_slowly_follows_the_others_meanwhile_and_says_so_in_its_order(tmp_path):
    with Crowd(4) as crowd:
        crowd.begin()
        urls = crowd.urls()
        subscriptions = tmp_path / "subscriptions.opml"
        subscriptions.write_text(opml(*(f'<outline text="x" type="rss" xmlUrl="{url}"/>' for url in urls)))
        added = citebot("feeds", "add", subscriptions, "--index", tmp_path / "index", "--timeout", "10")
    assert (added.returncode, added.stdout, added.stderr) == (
        1,
        f"following: Slow feed ({urls[0]})\n"
        + "".join(f"following: Feed {i} ({url})\n" for i, url in enumerate(urls[1:3] + urls[4:]))
        + f"feeds: 5 newly followed, 0 already followed, 1 refused (6 listed in {subscriptions})\n",
        f"citebot: error: cannot follow {urls[3]}: HTTP 404 Not Found\n")
    assert [feed["url"] for feed in FeedList(tmp_path / "index").feeds()] == urls[:3] + urls[4:]


def test_feeds_of_one_site_are_fetched_two_at_a_time_while_another_sites_feed_is_not_kept_waiting(tmp_path):
    import threading

    (tmp_path / "corpus").mkdir()
    cond, events = threading.Condition(), []

    def busy(i: int):
        def route(handler):
            with cond:
                events.append(("begin", i))
                cond.notify_all()
                # the first two hold their site's two places till both are taken and the other site's feed was served
                cond.wait_for(lambda: i > 1 or {("begin", 0), ("begin", 1), ("end", "other")} <= set(events), 60)
            send(handler, 200, empty_rss(f"Busy {i}"), "application/rss+xml")
            with cond:
                events.append(("end", i))
        return route

    def other(handler):
        send(handler, 200, empty_rss("Other"), "application/rss+xml")
        with cond:
            events.append(("end", "other"))
            cond.notify_all()

    with Served({f"/{i}.xml": busy(i) for i in range(4)}) as site, Served({"/feed.xml": other}) as elsewhere:
        urls = [site.url(f"/{i}.xml") for i in range(4)] + [elsewhere.url("/feed.xml")]
        (tmp_path / "index").mkdir()
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": [{"url": url} for url in urls]}))
        report = FeedList(tmp_path / "index").update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus"))
    assert report.summary() == "0 new, 0 already known, 0 failed (5 feeds checked)"
    at_once = most = 0
    for what, i in events:
        if i != "other":
            at_once += 1 if what == "begin" else -1
            most = max(most, at_once)
    assert (most, len(events)) == (2, 9)


def test_a_third_item_of_one_site_waits_for_one_of_its_two_in_hand_while_another_sites_item_is_begun():
    import threading

    from index.fetch_pool import in_order

    items = [f"http://busy.example/{i}" for i in range(4)] + ["http://other.example/feed"]
    release, other_done, taken, handed = threading.Event(), threading.Event(), [], []

    def work(url: str) -> str:
        if url == items[-1]:
            other_done.set()
        elif url in items[:2]:
            release.wait(60)  # the busy site's first two hold its two places
        return url

    def run():
        handed.extend(url for url, done in in_order(items, work, address=str, begun_hook=taken.append))

    thread = threading.Thread(target=run)
    thread.start()
    assert other_done.wait(60)
    # Items are taken in order: a third of the busy site would have been taken before the other site's, which is done.
    taken_meanwhile = sorted(taken)
    release.set()
    thread.join(60)
    assert taken_meanwhile == sorted(items[:2] + items[-1:])
    assert handed == items


def test_feeds_on_a_server_that_does_not_answer_cost_an_update_one_timeout_and_are_listed_waiting_for_the_next(
        tmp_path, caplog):
    # Timeouts of 5 s here and below: the silent server's fetches end at them, and the live one must answer within
    # them on a busy machine too (1 s is no margin there).
    (tmp_path / "corpus").mkdir()

    def silent(handler):  # answers nothing till the test ends
        silent_site.stop.wait(60)

    with Served({f"/{i}.xml": silent for i in range(5)}) as silent_site, \
            Served({"/feed.xml": lambda handler: send(handler, 200, empty_rss("Other"), "application/rss+xml")}) as site:
        urls = [silent_site.url(f"/{i}.xml") for i in range(5)] + [site.url("/feed.xml")]
        (tmp_path / "index").mkdir()
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": [{"url": url} for url in urls]}))
        feeds = FeedList(tmp_path / "index", clock=lambda: DAY_ONE)
        report = feeds.update(Fetcher(timeout=5), ArticleAdder(tmp_path / "corpus"))
        asked = sorted(silent_site.hits)
        listed = citebot("feeds", "list", "--index", tmp_path / "index").stdout.splitlines()
    # Two at a time, a host with 1,000 feeds that accepts connections and never answers held every update 500
    # timeouts (two hours at 15 s). The two fetched at once now fail, and the host, having answered none, has its
    # other feeds wait for the next update, untried, as a quiet host's items do.
    assert (asked, report.summary()) == (
        ["/0.xml", "/1.xml"], "0 new, 0 already known, 2 failed (3 feeds checked, 2 unreadable, 3 left for the next update)")
    host = urls[0].split("/")[2]
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed {urls[0]}: no answer within 5 s", f"feed {urls[1]}: no answer within 5 s",
        f"feeds at {host}: 3 more left for the next update, since it did not answer (no answer within 5 s)"]
    assert [(f.get("unreadable"), f.get("checked") is not None) for f in feeds.feeds()] == [
        ("no answer within 5 s", True)] * 2 + [(None, False)] * 3 + [(None, True)]
    # The three left were listed "last checked never", as a feed just followed is, with no word that they wait.
    assert listed[2:5] == [f"{url}  (0 items taken, last checked never; left for the next update at {at(0)}, "
                           "its host not answering (no answer within 5 s))" for url in urls[2:5]]


def test_items_on_a_server_that_does_not_answer_cost_an_update_one_timeout_and_wait_for_the_next(tmp_path, caplog):
    (tmp_path / "corpus").mkdir()

    def silent(handler):  # answers nothing till the test ends
        silent_site.stop.wait(60)

    feed_route.asked = []
    with Served({f"/{i}.html": silent for i in range(3)}) as silent_site, Served({"/story": story_page}) as site:
        links = [silent_site.url(f"/{i}.html") for i in range(3)]
        site.routes["/feed.xml"] = feed_route(rss(*links, site.url("/story")))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=5))
        first = feeds.update(Fetcher(timeout=10), adder)
        asked_first = list(silent_site.hits)
        second = feeds.update(Fetcher(timeout=10), adder)
    # Each of a silent server's items was given a whole timeout, one after another: a site gone quiet with 100 items
    # in its feed held every update 25 minutes. The two fetched at once (two at most a site) now fail, and the
    # server, having answered none, has its other items wait for the next update.
    assert (sorted(asked_first), sorted(silent_site.hits)) == (["/0.html", "/1.html"], ["/0.html", "/0.html",
                                                                                       "/1.html", "/1.html"])
    assert (first.summary(), second.summary()) == (
        "1 new, 0 already known, 2 failed, 1 left for the next update (1 feed checked)",
        "0 new, 1 already known, 2 failed, 1 left for the next update (1 feed checked)")
    host = links[0].split("/")[2]
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed item {links[0]}: no answer within 5 s (tried again at the next update)",
        f"feed item {links[1]}: no answer within 5 s (tried again at the next update)",
        f"feed items at {host}: 1 more left for the next update, since it did not answer (no answer within 5 s)",
    ] * 2
    assert counts(feeds.feeds()[0]) == (1, 0, 2)  # one taken, none given up, two failing: the third left untried


def test_a_feed_item_whose_page_answers_slowly_holds_up_no_other_item_and_the_items_are_added_in_the_feeds_order(
        tmp_path):
    import threading

    (tmp_path / "corpus").mkdir()
    others_served, slugs = threading.Event(), ["tunnel", "ferry", "orchestra"]

    def page(slug: str):
        def route(handler):
            if slug == "tunnel":  # answers once the pages of the items after it have been served
                others_served.wait(60)
            send(handler, 200, article_page(STORIES[slug], f"https://bmn.example.org/world/{slug}").encode())
            if slug != "tunnel" and {f"/{s}" for s in slugs[1:]} <= set(site.hits):
                others_served.set()
        return route

    feed_route.asked = []
    with Served({f"/{slug}": page(slug) for slug in slugs}) as site:
        site.routes["/feed.xml"] = feed_route(rss(*(site.url(f"/{slug}") for slug in slugs)))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        told = []
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)),
                              on_new=lambda added: told.append(added.title))
        others_served.set()
    # Fetched one after another, the first item's page was given up at its timeout, the others fetched after it.
    assert (report.summary(), told) == ("3 new, 0 already known, 0 failed (1 feed checked)",
                                        [STORIES[slug].title for slug in slugs])


def test_a_site_with_one_page_that_never_answers_still_has_its_other_items_taken_in_the_same_update(tmp_path):
    (tmp_path / "corpus").mkdir()

    def hangs(handler):
        site.stop.wait(60)

    feed_route.asked = []
    with Served({"/hangs": hangs, "/story": story_page, "/ferry": ferry_page}) as site:
        site.routes["/feed.xml"] = feed_route(rss(site.url("/hangs"), site.url("/story"), site.url("/ferry")))
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=5)))
    # It answered the story fetched beside the hanging page: not a server gone quiet, so nothing waits for it.
    assert (report.summary(), report.failed) == ("2 new, 0 already known, 1 failed (1 feed checked)",
                                                 [f"{site.url('/hangs')}: no answer within 5 s"])


def test_full_content_feeds_fetched_at_once_are_read_one_at_a_time_in_bounded_memory(tmp_path):
    with Served({}) as one, Served({}) as other:
        body = full_content_atom(3_000_000, one.url("/story"))
        urls = []
        for site in (one, other):
            for i in range(2):
                site.routes[f"/{i}.xml"] = served_feed(body, "application/atom+xml")
                urls.append(site.url(f"/{i}.xml"))
        feeds, taken = FeedList(tmp_path / "index"), re.findall(r"<id>(urn:uuid:\d+)</id>", body.decode())
        tracemalloc.start()
        try:
            followed = [done[1] for _, done in feeds.follow_each(urls, Fetcher())]  # each fetched and read
            feeds.path.write_text(json.dumps({"feeds": [dict(feed, seen=taken) for feed in feeds.feeds()]}))
            report = feeds.update(Fetcher(), ArticleAdder(tmp_path / "corpus", Fetcher()))  # each again, none new
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    # Four read at once took 15 times a feed's size; fetched at once, they are read one after another.
    assert (followed, report.summary()) == (
        [True] * 4, f"0 new, {4 * len(taken):,} already known, 0 failed (4 feeds checked)")
    assert peak < 10 * len(body)


def link_shortener_page(target: str) -> bytes:
    """What t.co answers a browser with: no text, a <meta http-equiv="refresh"> (in <noscript>) and a script, both
    leading to ``target``."""
    return (f'<head><noscript><META http-equiv="refresh" content="0;URL={escape(target)}"></noscript>'
            f"<title>{escape(target)}</title></head>"
            f'<script>window.opener = null; location.replace("{target.replace("/", chr(92) + "/")}")</script>').encode()


def test_an_item_linking_through_a_shortener_that_answers_with_a_meta_refresh_takes_the_story_it_leads_to(tmp_path):
    (tmp_path / "corpus").mkdir()
    with Served({"/story": story_page}) as site:
        site.routes["/t/9xKq2"] = lambda handler: send(handler, 200, link_shortener_page(site.url("/story")))
        site.routes["/feed.xml"] = served_feed(rss(site.url("/t/9xKq2")), "application/rss+xml")
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    # It failed "no article text found on the page" at every update for a day, then was given up.
    assert (report.summary(), report.failed) == ("1 new, 0 already known, 0 failed (1 feed checked)", [])
    assert [(added.title, added.url) for added in report.new] == [
        ("Tallinn harbour tunnel to open in March", "https://bmn.example.org/world/tunnel")]
    assert site.hits == ["/feed.xml", "/feed.xml", "/t/9xKq2", "/story"]


def test_items_linking_to_hash_bang_routes_are_given_up_at_once_not_taken_as_the_page_before_the_hash(tmp_path):
    (tmp_path / "corpus").mkdir()
    with Served({}) as site:
        # The site's front page, which its script turns into the story of the route after #! in a browser
        site.routes["/"] = lambda handler: send(handler, 200, article_page(STORIES["orchestra"], site.url("/")).encode())
        tunnel, ferry = site.url("/#!/world/tunnel"), site.url("/#!/world/ferry")
        site.routes["/feed.xml"] = served_feed(rss(tunnel, ferry), "application/rss+xml")
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    # The front page's story was stored as the tunnel's, and the ferry counted "already known": both stories lost.
    assert report.summary() == "0 new, 0 already known, 2 failed (2 given up at once: no article page) (1 feed checked)"
    assert report.failed == [
        f"{link}: a #! address, whose page the site's script builds in the browser (its server sends the page at "
        f"{site.url('/')} for every #! address of it), which citebot does not run: add the story's own address"
        for link in (tunnel, ferry)]
    assert (site.hits, files_under(tmp_path / "corpus")) == (["/feed.xml", "/feed.xml"], set())


def test_a_site_answering_too_many_requests_has_its_other_items_left_for_the_next_update_not_asked_one_by_one(
        tmp_path, caplog):
    import threading

    (tmp_path / "corpus").mkdir()
    both = threading.Barrier(2)  # the two pages fetched at once (two at most a site) are both asked for: then told

    def limited(handler):
        try:
            both.wait(30)
        except threading.BrokenBarrierError:  # (only once the test has failed: a third page asked for)
            pass
        send(handler, 429, b"Too Many Requests", headers={"Retry-After": "3600"})

    with Served({f"/{i}.html": limited for i in range(6)}) as site:
        links = [site.url(f"/{i}.html") for i in range(6)]
        site.routes["/feed.xml"] = served_feed(rss(*links), "application/rss+xml")
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    # Each of its items was asked for after the site said to wait, each a warning and a failure counted towards giving
    # it up: a day of a rate limit, and every item of the feed was given up.
    assert sorted(site.hits) == ["/0.html", "/1.html", "/feed.xml", "/feed.xml"]
    assert report.summary() == "0 new, 0 already known, 0 failed, 6 left for the next update (1 feed checked)"
    host = links[0].split("/")[2]
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed item {link}: HTTP 429 Too Many Requests (left for the next update, since its site asked to wait)"
        for link in links[:2]] + [
        f"feed items at {host}: 4 more left for the next update, since it asked to wait (HTTP 429 Too Many Requests)"]


def test_an_item_its_site_answers_too_many_requests_for_a_day_is_left_for_the_next_update_not_given_up(tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    hours = [0, 2, 25, 26]  # the clock at each update: the site asks to wait till hour 26
    clock = [hours[0]]

    def story(handler):
        if clock[0] < 26:
            return send(handler, 429, b"Too Many Requests", headers={"Retry-After": "3600"})
        return story_page(handler)

    with Served({"/story": story}) as site:
        site.routes["/feed.xml"] = served_feed(rss(site.url("/story")), "application/rss+xml")
        _, summaries = updated_at(hours, site.url("/feed.xml"), tmp_path,
                                  before=lambda hour: clock.__setitem__(0, hour))  # the site reads the clock too
    # Each refusal was a failure counted towards giving it up: "1 failed (1 given up after failing for a day)" at hour
    # 25, and at hour 26, the site answering again, the item was not asked for (its next try a day later).
    assert summaries == ["0 new, 0 already known, 0 failed, 1 left for the next update (1 feed checked)"] * 3 + [
        "1 new, 0 already known, 0 failed (1 feed checked)"]
    story_url = site.url("/story")
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed item {story_url}: HTTP 429 Too Many Requests (left for the next update, since its site asked to wait)"
    ] * 3


def test_an_item_whose_page_its_site_asks_to_wait_for_a_week_is_given_up_and_its_sites_new_item_is_taken(
        tmp_path, caplog):
    (tmp_path / "corpus").mkdir()
    hours = [0, 1, 2, 169, 170]  # the clock at each update: the page answers 503 with a Retry-After for ever

    def down(handler):  # one page down behind a CDN, the site's others answering
        return send(handler, 503, b"Service Unavailable", headers={"Retry-After": "600"})

    with Served({"/down": down, "/story": story_page}) as site:
        site.routes["/feed.xml"] = served_feed(rss(site.url("/down")), "application/rss+xml")

        def published_at_170(hour):
            if hour == 170:
                site.routes["/feed.xml"] = served_feed(rss(site.url("/down"), site.url("/story")),
                                                       "application/rss+xml", etag='"v2"')

        feeds, summaries = updated_at(hours, site.url("/feed.xml"), tmp_path, before=published_at_170)
    # Asked to wait at every update, it was never given up: fetched at every update for ever, its site held back each
    # time ("since it asked to wait") and its later items with it.
    # (the summary said "1 given up after failing for a day", as the warning below does not)
    assert summaries == ["0 new, 0 already known, 0 failed, 1 left for the next update (1 feed checked)"] * 3 + [
        "0 new, 0 already known, 1 failed (1 given up after a week of its site asking to wait) (1 feed checked)",
        "1 new, 1 already known, 0 failed (1 feed checked)"]
    assert site.hits.count("/down") == 4 and site.hits.count("/story") == 1
    down_url = site.url("/down")
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed item {down_url}: HTTP 503 Service Unavailable (left for the next update, since its site asked to wait)"
    ] * 3 + [
        f"feed item {down_url}: HTTP 503 Service Unavailable (given up, its site having asked to wait for it for 7 "
        "days, in 4 updates: no wait but a page down; tried again in 1 day)"]
    assert counts(feeds.feeds()[0]) == (1, 1, 0)  # taken, given up, failing


def test_a_feed_its_site_asks_to_wait_for_a_week_is_unreadable_for_cron(tmp_path, caplog):
    (tmp_path / "corpus").mkdir()

    def feed(handler):  # followed, then answered 429 with a Retry-After for ever (a misconfigured rate limit)
        if len(site.hits) == 1:
            return served_feed(rss(site.url("/story")), "application/rss+xml")(handler)
        return send(handler, 429, b"Too Many Requests", headers={"Retry-After": "600"})

    with Served({"/feed.xml": feed, "/story": story_page}) as site:
        feeds, summaries = updated_at([0, 1, 2, 169], site.url("/feed.xml"), tmp_path)
        listed = feeds.feeds()
    # Asked to wait at every update, it was never unreadable: no exit code 1 for cron, nothing in `feeds list`, for ever.
    assert summaries == ["0 new, 0 already known, 0 failed (1 feed checked, 1 asked to wait)"] * 3 + [
        "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)"]
    url = site.url("/feed.xml")
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"][-1] == (
        f"feed {url}: HTTP 429 Too Many Requests (its site has asked to wait for 7 days, in 4 updates)")
    assert [feed.get("unreadable") for feed in listed] == [
        "HTTP 429 Too Many Requests (its site has asked to wait for 7 days, in 4 updates)"]


# (the time a count of waits began, the updates counted at hour 169): a time ahead of the clock is taken as now, the
# count kept; one that is no time is dropped, the count begun again
MANGLED = [(DAY_ONE + 366 * 24 * 3600.0, 5), (float("nan"), 3), (float("-inf"), 3)]
MANGLED_IDS = ["a year on, the clock set back since", "NaN, a hand edit", "-Infinity, a hand edit"]


@pytest.mark.parametrize("since, updates", MANGLED, ids=MANGLED_IDS)
def test_an_items_stored_count_of_waits_from_a_clock_ahead_or_mangled_is_counted_from_now_not_held_nor_a_traceback(
        tmp_path, caplog, since, updates):
    (tmp_path / "corpus").mkdir()

    def down(handler):  # one page down behind a CDN, answering 503 with a Retry-After for ever
        return send(handler, 503, b"Service Unavailable", headers={"Retry-After": "600"})

    with Served({"/down": down}) as site:
        feed, down_url = site.url("/feed.xml"), site.url("/down")
        site.routes["/feed.xml"] = served_feed(rss(down_url), "application/rss+xml")
        (tmp_path / "index").mkdir()
        # its item asked to wait twice, while the machine's clock ran a year ahead (a board with no clock of its own,
        # before NTP), or its first time mangled (JSON's NaN and -Infinity, which Python reads)
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": [
            {"url": feed, "title": "Test feed", "seen": [], "checked": at(0),
             "asked": {site.url("/item-0"): [2, since, down_url]}}]}))
        clock = [0]
        feeds = FeedList(tmp_path / "index", clock=lambda: DAY_ONE + 3600.0 * clock[0])
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        summaries = []
        for clock[0] in (0, 1, 169):
            summaries.append(feeds.update(Fetcher(timeout=10), adder).summary())
    # Every update stopped at the item with "ValueError: cannot convert float NaN to integer" ("OverflowError: cannot
    # convert float infinity to integer"), every feed after it unread; a year on, it was asked for, and its site's
    # other items held back, at every update for a year and a week.
    assert summaries == ["0 new, 0 already known, 0 failed, 1 left for the next update (1 feed checked)"] * 2 + [
        "0 new, 0 already known, 1 failed (1 given up after a week of its site asking to wait) (1 feed checked)"]
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"][-1] == (
        f"feed item {down_url}: HTTP 503 Service Unavailable (given up, its site having asked to wait for it for 7 "
        f"days, in {updates} updates: no wait but a page down; tried again in 1 day)")


@pytest.mark.parametrize("since, updates", MANGLED, ids=MANGLED_IDS)
def test_a_feeds_stored_count_of_waits_from_a_clock_ahead_or_mangled_is_counted_from_now_not_a_traceback(
        tmp_path, caplog, since, updates):
    (tmp_path / "corpus").mkdir()

    def limited(handler):  # a misconfigured rate limit, answering 429 with a Retry-After for ever
        return send(handler, 429, b"Too Many Requests", headers={"Retry-After": "600"})

    with Served({"/feed.xml": limited}) as site:
        feed = site.url("/feed.xml")
        (tmp_path / "index").mkdir()
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": [
            {"url": feed, "title": "Test feed", "seen": [], "checked": at(0), "left_at": at(0),
             "left_why": "HTTP 429 Too Many Requests", "left_asked_to_wait": True, "asked_to_wait": [2, since]}]}))
        clock = [0]
        feeds = FeedList(tmp_path / "index", clock=lambda: DAY_ONE + 3600.0 * clock[0])
        adder = ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10))
        summaries = []
        for clock[0] in (0, 1, 169):
            summaries.append(feeds.update(Fetcher(timeout=10), adder).summary())
    # -Infinity stopped every update with "OverflowError: cannot convert float infinity to integer"; NaN was never a
    # week ago: "1 asked to wait", exit code 0, for ever; a year on, for a year and a week.
    assert summaries == ["0 new, 0 already known, 0 failed (1 feed checked, 1 asked to wait)"] * 2 + [
        "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)"]
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"][-1] == (
        f"feed {feed}: HTTP 429 Too Many Requests (its site has asked to wait for 7 days, in {updates} updates)")


def test_a_feeds_count_of_waits_left_by_a_release_that_read_it_since_is_begun_again_not_taken_for_a_week_of_waits(
        tmp_path, caplog):
    (tmp_path / "corpus").mkdir()

    def limited(handler):  # a rate limit of an hour, the first in a week
        return send(handler, 429, b"Too Many Requests", headers={"Retry-After": "600"})

    with Served({"/feed.xml": limited}) as site:
        feed = site.url("/feed.xml")
        (tmp_path / "index").mkdir()
        # asked to wait twice at hours 0 and 1; then the release before, which keeps "asked_to_wait" as it was (and
        # drops its own "left_at"), read the feed at every update for a week
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": [
            {"url": feed, "title": "Test feed", "seen": [], "checked": at(200), "asked_to_wait": [2, DAY_ONE]}]}))
        feeds = FeedList(tmp_path / "index", clock=lambda: DAY_ONE + 3600.0 * 201)
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    # Its first refusal in a week was taken for the third of a week of them: unreadable, exit code 1 for cron.
    assert report.summary() == "0 new, 0 already known, 0 failed (1 feed checked, 1 asked to wait)"
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed {feed}: HTTP 429 Too Many Requests (left for the first update after 2026-12-08T11:10:00Z, since its "
        "site asked to wait)"]


def test_a_correction_its_site_answers_too_many_requests_for_is_fetched_at_the_next_update_not_lost(tmp_path, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with NewsSite(published=("tunnel",), validators=True) as site:
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/atom.xml"), Fetcher(timeout=10))
        adder = ArticleAdder(corpus, Fetcher(timeout=10))
        (taken,) = feeds.update(Fetcher(timeout=10), adder).new
        site.correct("tunnel", "14 March 2027", "21 March 2027")
        site.gone["tunnel"] = 429  # its site asks to wait: the correction was marked fetched, and never fetched again
        limited = feeds.update(Fetcher(timeout=10), adder).summary()
        del site.gone["tunnel"]
        report = feeds.update(Fetcher(timeout=10), adder)
    assert (limited, report.summary()) == (
        "0 new, 0 already known, 0 failed, 1 left for the next update (1 feed checked)",
        "0 new, 1 updated, 0 already known, 0 failed (1 feed checked)")
    assert [added.rel for added in report.updated] == [taken.rel]
    assert "will open to traffic on 21 March 2027" in (corpus / taken.rel).read_text(encoding="utf-8")
    link = site.article_url("tunnel")
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds" and "429" in r.getMessage()] == [
        f"feed item {link}, updated in its feed: HTTP 429 Too Many Requests (left for the next update, since its site "
        "asked to wait)"]


def test_a_feed_whose_site_answers_too_many_requests_is_left_for_the_next_update_not_counted_unreadable(workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    limited = []  # once it holds True, the site answers every request 429

    def feed(handler):
        if limited:
            return send(handler, 429, b"Too Many Requests", headers={"Retry-After": "120"})
        return served_feed(rss(), "application/rss+xml")(handler)

    with Served({"/feed.xml": feed}) as site:
        url = site.url("/feed.xml")
        assert citebot("feeds", "add", url, *where).returncode == 0
        limited.append(True)
        update = citebot("feeds", "update", *where)
        listing = citebot("feeds", "list", *where)
        asked = len(site.hits)
        again = citebot("feeds", "update", *where)
    # The feed was "1 unreadable", exit code 1 for cron, and listed "unreadable since …": a site's rate limit read as a
    # broken feed, a day of it trying the feed only days later.
    assert (update.returncode, update.stdout) == (
        0, "feeds: 0 new, 0 already known, 0 failed (1 feed checked, 1 asked to wait)\n")
    till = re.fullmatch(rf"citebot: warning: feed {re.escape(url)}: HTTP 429 Too Many Requests \(left for the first "
                        r"update after (\S+), since its site asked to wait\)\n", update.stderr)[1]
    # `feeds list` said "left for the next update at X, …; next asked at the first update after Y", X its last check.
    assert re.fullmatch(rf"{re.escape(url)}  Test feed  \(0 items taken, last checked \S+; its site asked to wait \(HTTP "
                        rf"429 Too Many Requests\): next asked at the first update after {till}\)\n", listing.stdout)
    # Within its Retry-After (two minutes), the next update asked again, and was refused again.
    assert (again.returncode, again.stdout, again.stderr, len(site.hits)) == (
        0, "feeds: 0 new, 0 already known, 0 failed (0 feeds checked, 1 waiting as its site asked)\n", "", asked)


def test_a_feed_whose_site_answers_too_many_requests_for_a_day_is_read_once_it_answers_not_rested_for_days(tmp_path):
    (tmp_path / "corpus").mkdir()
    hours = [0, 2, 25, 26]  # the clock at each update: the site asks to wait till hour 26
    clock = [hours[0]]

    def feed(handler):
        if len(site.hits) > 1 and clock[0] < 26:  # (the first request, following it, is answered)
            return send(handler, 429, b"Too Many Requests")  # (no Retry-After: asked again at the next update)
        return served_feed(rss(site.url("/story")), "application/rss+xml")(handler)

    with Served({"/feed.xml": feed, "/story": story_page}) as site:
        feeds, summaries = updated_at(hours, site.url("/feed.xml"), tmp_path,
                                      before=lambda hour: clock.__setitem__(0, hour))  # the site reads the clock too
    # At hour 25 the feed was "unreadable since …, in 3 updates: tried again only in 1 day", and at hour 26, its site
    # answering again, it was not asked for.
    assert summaries == ["0 new, 0 already known, 0 failed (1 feed checked, 1 asked to wait)"] * 3 + [
        "1 new, 0 already known, 0 failed (1 feed checked)"]
    assert [feed.get("unreadable") for feed in feeds.feeds()] == [None]


@pytest.mark.parametrize("retry_after, waiting, asked", [
    ("3600", 0.5, 1),
    ("in an HTTP date an hour on", 0.5, 1),
    ("31536000", 23, 24),  # a year: a day at most
], ids=["seconds", "http date", "capped"])
def test_a_feed_whose_site_asks_to_wait_with_retry_after_is_not_asked_again_till_then(tmp_path, caplog, retry_after,
                                                                                       waiting, asked):
    (tmp_path / "corpus").mkdir()
    clock = [0.0]  # hours
    if retry_after.startswith("in an HTTP date"):
        # an hour after the feed list's clock (hour 0) when the site answers: a date counted from the machine's clock,
        # a second of which could tick between writing it and reading it, made the wait 3599 s now and then
        retry_after = "Thu, 01 Jan 1970 01:00:00 GMT"

    def feed(handler):
        if len(site.hits) == 2:  # (the first request, following it, is answered; the second asked to wait)
            return send(handler, 429, b"Too Many Requests", headers={"Retry-After": retry_after})
        return served_feed(rss(site.url("/story")), "application/rss+xml")(handler)

    with Served({"/feed.xml": feed, "/story": story_page}) as site:
        feeds = FeedList(tmp_path / "index", clock=lambda: 3600.0 * clock[0])
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        summaries = []
        for clock[0] in (0, waiting, asked):
            summaries.append(feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
                             .summary())
    # The feed was asked again at the next update, however long its site had asked to wait.
    assert summaries == ["0 new, 0 already known, 0 failed (1 feed checked, 1 asked to wait)",
                         "0 new, 0 already known, 0 failed (0 feeds checked, 1 waiting as its site asked)",
                         "1 new, 0 already known, 0 failed (1 feed checked)"]
    assert site.hits == ["/feed.xml", "/feed.xml", "/feed.xml", "/story"]
    till = "1970-01-01T01:00:00Z" if asked == 1 else "1970-01-02T00:00:00Z"
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed {site.url('/feed.xml')}: HTTP 429 Too Many Requests (left for the first update after {till}, since its "
        "site asked to wait)"]


def test_a_site_asking_to_wait_behind_a_redirector_holds_back_only_its_own_items_not_every_redirected_one(
        tmp_path, caplog):
    import threading

    (tmp_path / "corpus").mkdir()
    refused = threading.Event()  # the other sites answer once the busy one has refused its item

    def limited(handler):
        send(handler, 429, b"Too Many Requests")
        refused.set()

    def story(slug):
        def route(handler):
            refused.wait(30)
            send(handler, 200, article_page(STORIES[slug], f"https://bmn.example.org/world/{slug}").encode())
        return route

    with Served({"/busy": limited}) as busy, Served({f"/{slug}": story(slug) for slug in STORIES}) as news, \
            Served({}) as redirector:  # a t.co or FeedBurner: every item's link is a hop through it
        targets = [busy.url("/busy")] + [news.url(f"/{slug}") for slug in STORIES]
        for i, target in enumerate(targets):
            redirector.routes[f"/r/{i}"] = lambda handler, to=target: send(handler, 302, b"", headers={"Location": to})
        links = [redirector.url(f"/r/{i}") for i in range(len(targets))]
        redirector.routes["/feed.xml"] = served_feed(rss(*links), "application/rss+xml")
        feeds = FeedList(tmp_path / "index")
        feeds.add(redirector.url("/feed.xml"), Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    # The redirector was taken for the site asking to wait: the stories after the refused item, of another site, were
    # "left for the next update, since it asked to wait" every update that the busy site's limit lasted.
    assert report.summary() == (f"{len(STORIES)} new, 0 already known, 0 failed, 1 left for the next update "
                                "(1 feed checked)")
    assert sorted(news.hits) == sorted(f"/{slug}" for slug in STORIES)
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed item {links[0]}: HTTP 429 Too Many Requests (left for the next update, since its site asked to wait)"]


def test_a_site_asking_to_wait_from_its_own_www_host_holds_back_its_other_items_not_each_asked_and_refused(
        tmp_path, caplog, monkeypatch):
    import threading

    (tmp_path / "corpus").mkdir()
    second_asked = threading.Event()  # the second item is asked for (two at once of a site) before the first's refusal
    links = [f"http://example.org/world/{i}" for i in range(6)]  # its feed's links, each moved to https://www.…

    def moved(i):
        def route(handler):
            if i == 1:
                second_asked.set()
            send(handler, 301, b"", headers={"Location": f"http://www.example.org/world/{i}"})
        return route

    def limited(handler):
        second_asked.wait(30)
        send(handler, 429, b"Too Many Requests", headers={"Retry-After": "3600"})

    routes = {"http://example.org/feed.xml": served_feed(rss(*links), "application/rss+xml")}
    routes.update({link: moved(i) for i, link in enumerate(links)})
    routes.update({f"http://www.example.org/world/{i}": limited for i in range(len(links))})
    with Served(routes) as site:  # the site, reached through it as a forward proxy (example.org resolves nowhere)
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "http_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", site.url(""))
        feeds = FeedList(tmp_path / "index")
        feeds.add("http://example.org/feed.xml", Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    # Keyed by www.example.org alone (f9b76c0), the 429 held none of the links at example.org: every item of the feed was
    # asked for and refused, a warning each (100 a feed, each update the site's limit lasted).
    assert report.summary() == "0 new, 0 already known, 0 failed, 6 left for the next update (1 feed checked)"
    assert sorted(hit for hit in site.hits if "www." in hit) == [f"http://www.example.org/world/{i}" for i in (0, 1)]
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed item {links[0]}: HTTP 429 Too Many Requests (left for the next update, since its site asked to wait)",
        f"feed item {links[1]}: HTTP 429 Too Many Requests (left for the next update, since its site asked to wait)",
        "feed items at example.org: 4 more left for the next update, since it asked to wait (HTTP 429 Too Many "
        "Requests)"]


@pytest.mark.parametrize("retry_after", ["\u00b2", "\u00b9\u00b2\u00b3"], ids=["superscript two", "superscript 123"])
def test_a_retry_after_of_digits_other_than_ascii_ones_is_read_as_no_wait_said_not_a_crash_of_the_update(
        tmp_path, caplog, retry_after):
    (tmp_path / "corpus").mkdir()
    clock = [0.0]  # hours

    def feed(handler):  # (sent as Latin-1, as http.server sends a header; httpx reads it so)
        if len(site.hits) == 2:
            return send(handler, 429, b"Too Many Requests", headers={"Retry-After": retry_after})
        return served_feed(rss(site.url("/story")), "application/rss+xml")(handler)

    with Served({"/feed.xml": feed, "/story": story_page}) as site:
        feeds = FeedList(tmp_path / "index", clock=lambda: 3600.0 * clock[0])
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        summaries = []
        for clock[0] in (0, 0.25):
            summaries.append(feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
                             .summary())
    # "²" is a digit to str.isdigit, not to int(): the update stopped with "ValueError: invalid literal for int()", a
    # traceback, every feed after this one unread, at every update while its site said so.
    assert summaries == ["0 new, 0 already known, 0 failed (1 feed checked, 1 asked to wait)",
                         "1 new, 0 already known, 0 failed (1 feed checked)"]
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed {site.url('/feed.xml')}: HTTP 429 Too Many Requests (left for the next update, since its site asked to "
        "wait)"]


@pytest.mark.parametrize("written", ["asctime", "-0000"])
def test_a_retry_after_date_with_no_zone_written_is_read_in_gmt_as_http_says_not_in_the_machines_local_time(
        tmp_path, caplog, monkeypatch, written):
    from email.utils import formatdate

    monkeypatch.setenv("TZ", "EST+05")  # a machine in New York (a POSIX zone: no tz database needed)
    time.tzset()
    (tmp_path / "corpus").mkdir()
    clock = [0.0]  # hours

    def feed(handler):
        if len(site.hits) == 2:  # an hour and a second after the feed list's clock (hour 0)
            on = 3601
            said = time.asctime(time.gmtime(on)) if written == "asctime" else formatdate(on)  # "… -0000"
            return send(handler, 429, b"Too Many Requests", headers={"Retry-After": said})
        return served_feed(rss(site.url("/story")), "application/rss+xml")(handler)

    try:
        with Served({"/feed.xml": feed, "/story": story_page}) as site:
            feeds = FeedList(tmp_path / "index", clock=lambda: 3600.0 * clock[0])
            feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
            summaries = []
            for clock[0] in (0, 0.5, 1.01):
                summaries.append(feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus",
                                                                                Fetcher(timeout=10))).summary())
    finally:
        monkeypatch.undo()
        time.tzset()
    # Read as New York's time, the hour was six: the feed was held five hours past its site's wait (and east of
    # Greenwich, in Kyiv, an hour's wait was a time past, asked again at once and refused).
    assert summaries == ["0 new, 0 already known, 0 failed (1 feed checked, 1 asked to wait)",
                         "0 new, 0 already known, 0 failed (0 feeds checked, 1 waiting as its site asked)",
                         "1 new, 0 already known, 0 failed (1 feed checked)"]
    [said] = [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"]
    assert said == (f"feed {site.url('/feed.xml')}: HTTP 429 Too Many Requests (left for the first update after "
                    "1970-01-01T01:00:01Z, since its site asked to wait)")


def test_a_feed_an_older_citebot_read_while_its_site_had_asked_to_wait_is_not_held_for_what_is_left_of_that_wait(
        tmp_path):
    (tmp_path / "corpus").mkdir()
    with Served({"/story": story_page}) as site:
        feed = site.url("/feed.xml")
        site.routes["/feed.xml"] = served_feed(rss(site.url("/story")), "application/rss+xml")
        (tmp_path / "index").mkdir()
        # as a release before 242b221 leaves it, having read the feed at hour 1 of a day's wait asked at hour 0: the
        # "wait_until" it does not know kept, its own "left_at" and "left_why" dropped
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": [
            {"url": feed, "title": "Test feed", "seen": [], "checked": at(1), "wait_until": DAY_ONE + 24 * 3600}]}))
        feeds = FeedList(tmp_path / "index", clock=lambda: DAY_ONE + 2 * 3600.0)
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
        listed = feeds.feeds()
    # It was held the 22 hours left, "1 waiting as its site asked", `feeds list` saying nothing of why.
    assert report.summary() == "1 new, 0 already known, 0 failed (1 feed checked)"
    assert "wait_until" not in listed[0]


@pytest.mark.parametrize("wait_until", [DAY_ONE + 366 * 24 * 3600.0, float("inf")],
                         ids=["a year on, the clock set back since", "Infinity, a hand edit"])
def test_a_feed_whose_stored_wait_is_past_what_any_site_may_ask_is_asked_not_held_for_good(tmp_path, wait_until):
    from index.feeds import waits_till

    (tmp_path / "corpus").mkdir()
    with Served({"/story": story_page}) as site:
        feed = site.url("/feed.xml")
        site.routes["/feed.xml"] = served_feed(rss(site.url("/story")), "application/rss+xml")
        (tmp_path / "index").mkdir()
        # a 429 answered while the machine's clock ran a year ahead (a board with no clock of its own, before NTP)
        (tmp_path / "index" / "feeds.json").write_text(json.dumps({"feeds": [
            {"url": feed, "title": "Test feed", "seen": [], "checked": at(0), "left_at": at(0),
             "left_why": "HTTP 429 Too Many Requests", "left_asked_to_wait": True, "wait_until": wait_until}]}))
        feeds = FeedList(tmp_path / "index", clock=lambda: DAY_ONE + 3600.0)
        listed = [waits_till(f) for f in feeds.feeds()]
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    # It was held a year ("1 waiting as its site asked" at every update), a day being the most a site's wait is
    # kept; Infinity was held for good, and `feeds list` stopped with "OverflowError: timestamp out of range".
    assert listed == [None]
    assert report.summary() == "1 new, 0 already known, 0 failed (1 feed checked)"


@pytest.mark.parametrize("status, retry_after, said", [
    (503, ["3600"], "503 Service Unavailable"),
    (429, ["120", "3600"], "429 Too Many Requests"),
    (503, ["3600", "120"], "503 Service Unavailable"),
    (429, ["120, 3600"], "429 Too Many Requests"),
    (429, ["Wed, 3600"], "429 Too Many Requests"),  # read as one date, none, the feed asked again at once
], ids=["a site under maintenance", "two Retry-After headers", "a site under maintenance saying it twice",
        "two Retry-After headers a proxy merged into one line", "a weekday alone and a wait merged into one line"])
def test_a_feed_whose_site_asks_to_wait_under_maintenance_or_in_several_retry_after_headers_waits_the_longest_said(
        tmp_path, caplog, status, retry_after, said):
    (tmp_path / "corpus").mkdir()
    clock = [0.0]  # hours

    def feed(handler):
        if len(site.hits) == 2:  # (the first request, following it, is answered; the second asked to wait)
            handler.send_response(status)
            for value in retry_after:  # each its own header line, as a proxy in front of the site adds its own
                handler.send_header("Retry-After", value)
            handler.send_header("Content-Length", "0")
            return handler.end_headers()
        return served_feed(rss(site.url("/story")), "application/rss+xml")(handler)

    with Served({"/feed.xml": feed, "/story": story_page}) as site:
        feeds = FeedList(tmp_path / "index", clock=lambda: 3600.0 * clock[0])
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        summaries = []
        for clock[0] in (0, 0.5, 1):
            summaries.append(feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
                             .summary())
        listed = feeds.feeds()
    # A 503 was "1 unreadable" (exit code 1), three of them over a day resting the feed for days, where RFC 9110 gives
    # its Retry-After the meaning a 429's has; two Retry-After headers, joined by httpx as "120, 3600", read as none
    # and the feed was asked again at the next update, and refused again; so did one line of them both, as a proxy
    # that merges repeated headers sends them.
    assert summaries == ["0 new, 0 already known, 0 failed (1 feed checked, 1 asked to wait)",
                         "0 new, 0 already known, 0 failed (0 feeds checked, 1 waiting as its site asked)",
                         "1 new, 0 already known, 0 failed (1 feed checked)"]
    assert site.hits == ["/feed.xml", "/feed.xml", "/feed.xml", "/story"]
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed {site.url('/feed.xml')}: HTTP {said} (left for the first update after 1970-01-01T01:00:00Z, since its "
        "site asked to wait)"]
    assert [feed.get("unreadable") for feed in listed] == [None]


def test_an_item_whose_site_is_under_maintenance_with_retry_after_is_left_for_the_next_update_with_its_sites_others(
        tmp_path, caplog):
    (tmp_path / "corpus").mkdir()

    def maintenance(handler):
        send(handler, 503, b"Down for maintenance", headers={"Retry-After": "600"})

    with Served({f"/down/{i}": maintenance for i in range(5)}) as down, Served({"/story": story_page}) as news:
        links = [down.url(f"/down/{i}") for i in range(5)] + [news.url("/story")]
        news.routes["/feed.xml"] = served_feed(rss(*links), "application/rss+xml")
        feeds = FeedList(tmp_path / "index")
        feeds.add(news.url("/feed.xml"), Fetcher(timeout=10))
        report = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    # Each was asked for, "HTTP 503 Service Unavailable" a warning each, 5 failed, counted towards giving them up.
    assert report.summary() == "1 new, 0 already known, 0 failed, 5 left for the next update (1 feed checked)"
    assert len(down.hits) == 2  # two at once of a site: the rest untried
    assert [r.getMessage() for r in caplog.records if r.name == "citebot.feeds"] == [
        f"feed item {links[0]}: HTTP 503 Service Unavailable (left for the next update, since its site asked to wait)",
        f"feed item {links[1]}: HTTP 503 Service Unavailable (left for the next update, since its site asked to wait)",
        f"feed items at 127.0.0.1:{down.port}: 3 more left for the next update, since it asked to wait (HTTP 503 "
        "Service Unavailable)"]


@pytest.mark.parametrize("retry_after", ["0", "soon", "-60", "Wed, 21 Oct 2015 07:28:00 GMT"],
                         ids=["no seconds", "garbage", "negative", "a date past"])
def test_a_feed_or_item_whose_site_answers_503_with_a_retry_after_saying_no_wait_is_a_failure_as_a_500_is(
        tmp_path, caplog, retry_after):
    (tmp_path / "corpus").mkdir()

    def broken(handler):
        send(handler, 503, b"Service Unavailable", headers={"Retry-After": retry_after})

    with Served({"/down": broken, "/story": story_page}) as site:
        site.routes["/feed.xml"] = served_feed(rss(site.url("/down"), site.url("/story")), "application/rss+xml")
        feeds = FeedList(tmp_path / "index")
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        items = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
        site.routes["/feed.xml"] = broken
        feed = feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
        listed = feeds.feeds()
    # A 503 whose Retry-After said no wait (0, garbage, a time past) was "asked to wait" all the same: its item left for
    # the next update with its site's others, never counted a try, never given up; its feed never unreadable (exit 0),
    # where docs/keeping-current.md says a 503 saying no wait is unreadable as a 500 is.
    assert items.summary() == "1 new, 0 already known, 1 failed (1 feed checked)"
    assert items.failed == [f"{site.url('/down')}: HTTP 503 Service Unavailable"]
    assert feed.summary() == "0 new, 0 already known, 1 failed (1 feed checked, 1 unreadable)"
    assert feed.failed == [f"{site.url('/feed.xml')}: HTTP 503 Service Unavailable"]
    assert [feed.get("unreadable") for feed in listed] == ["HTTP 503 Service Unavailable"]
    assert "asked to wait" not in caplog.text


def test_a_resting_unreadable_feed_whose_site_then_asks_to_wait_is_listed_with_the_wait_alone_not_a_past_next_try(
        tmp_path):
    (tmp_path / "corpus").mkdir()
    t0 = int(time.time()) - 49 * 3600  # (`feeds list` reads the wait against the machine's clock)
    hours, answer = [0.0], ["feed"]

    def feed(handler):
        if answer[0] == "broken":
            return send(handler, 500, b"Internal Server Error")
        if answer[0] == "maintenance":
            return send(handler, 503, b"Down for maintenance", headers={"Retry-After": "3600"})
        return served_feed(rss(), "application/rss+xml")(handler)

    def stamp(hour: float) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + 3600 * hour))

    with Served({"/feed.xml": feed}) as site:
        feeds = FeedList(tmp_path / "index", clock=lambda: t0 + 3600 * hours[0])
        feeds.add(site.url("/feed.xml"), Fetcher(timeout=10))
        answer[0] = "broken"
        for hours[0] in (0, 12, 25):  # unreadable in three updates over a day: tried again only a day later
            feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
        answer[0], hours[0] = "maintenance", 49  # its try due: under maintenance, for an hour
        feeds.update(Fetcher(timeout=10), ArticleAdder(tmp_path / "corpus", Fetcher(timeout=10)))
    listing = citebot("feeds", "list", "--index", tmp_path / "index")
    # It said "…; next tried at the first update after {stamp(49)}, or now by `citebot feeds update URL`; its site asked
    # to wait (…): next asked at the first update after {stamp(50)}": two next times, the first past and not so.
    assert (listing.returncode, listing.stdout) == (
        0, f"{site.url('/feed.xml')}  Test feed  (0 items taken, last checked {stamp(49)}; unreadable since {stamp(0)}: "
           f"HTTP 500 Internal Server Error; its site asked to wait (HTTP 503 Service Unavailable): next asked at the "
           f"first update after {stamp(50)})\n")


def test_the_summary_tells_items_given_up_after_a_day_of_failures_from_those_after_a_week_of_their_sites_asking_to_wait():
    from index.feeds import FeedReport

    report = FeedReport(failed=["a", "b", "c", "d"], feeds=2, given_up=3, given_up_asked_to_wait=2, given_up_at_once=1)
    # before, "(3 given up after failing for a day, 1 at once: …)": two of them asked for at every update for a week
    assert report.summary() == (
        "0 new, 0 already known, 4 failed (1 given up after failing for a day, 2 given up after a week of their sites "
        "asking to wait, 1 at once: no article page) (2 feeds checked)")
