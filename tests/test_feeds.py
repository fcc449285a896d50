"""`citebot feeds add/list/update` over real HTTP against an RSS feed on 127.0.0.1 that changes between polls."""

import json
import re

import pytest

from tests.living import citebot, fresh_copy, indexed_template, live_build
from tests.news_site import STORIES, NewsSite


@pytest.fixture(scope="module")
def template(tmp_path_factory, embedder):
    return indexed_template(tmp_path_factory.mktemp("feeds-template"), embedder)


@pytest.fixture
def workspace(template, tmp_path):
    return fresh_copy(template, tmp_path / "w")


@pytest.fixture
def site():
    with NewsSite() as served:
        yield served


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
    assert third.stderr == f"citebot: warning: feed item {site.article_url('gone')}: HTTP 404 Not Found\n"

    listing = citebot("feeds", "list", *where)
    assert re.fullmatch(rf"{re.escape(feed)}  Baltic Morning News: World  \(2 items taken, last checked "
                        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)\n", listing.stdout)
    asked = json.loads(citebot("ask", "--json", *where, "How many passengers did the electric ferry Aurora carry?").stdout)
    assert "320 passengers" in asked["answer"]


def test_a_page_that_is_not_a_feed_is_refused_and_updating_nothing_says_how_to_start(site, workspace):
    corpus, index = workspace
    where = ["--corpus", corpus, "--index", index]
    nothing = citebot("feeds", "update", *where)
    assert (nothing.returncode, nothing.stderr) == (
        1, "citebot: error: no feeds to update: add one with `citebot feeds add URL`\n")
    page = site.article_url("tunnel")
    refused = citebot("feeds", "add", page, *where)
    assert (refused.returncode, refused.stderr) == (1, f"citebot: error: cannot follow {page}: not an RSS or Atom feed\n")
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
