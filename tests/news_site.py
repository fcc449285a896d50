"""A small news site on 127.0.0.1 for tests: article pages with navigation, bylines and footers, an RSS feed
that changes when a story is published, an Atom feed (/atom.xml) whose entries are updated when their stories are
corrected, and the failures real sites have (404, hangs, huge bodies, images).

    with NewsSite() as site:
        site.url("/world/tunnel")            # an article page
        site.publish("ferry")                # the feeds list one more item (and change their ETags)
        site.release.set()                   # lets every hanging /slow request finish
        site.correct("tunnel", "14 March", "21 March")   # the story corrected at its address
        site.retract("tunnel", 410)          # its page gone
    NewsSite(redirected=True)                # its feeds link each item through a redirector (feedproxy, t.co)

To try the README's `citebot add` and `feeds` examples by hand: `python -m tests.news_site --port 33497`.
"""

from __future__ import annotations

import argparse
import hashlib
import threading
from dataclasses import dataclass, replace
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    date: str
    author: str
    paragraphs: tuple[str, ...]


STORIES = {
    "tunnel": Story(
        "tunnel", "Tallinn harbour tunnel to open in March", "2026-11-20", "Maarja Tamm",
        ("The harbour tunnel under Tallinn Bay will open to traffic on 14 March 2027, the city's chief engineer "
         "Kalle Kask said on Friday.",
         "Construction crews finished sealing the last section of the tube this week, three months ahead of "
         "the schedule agreed with the European Investment Bank.",
         "The tunnel will carry up to 40,000 vehicles a day and is expected to cut the drive from the port to "
         "the airport to eleven minutes.",
         "Residents of the Kalamaja district had campaigned against the project for years, citing noise during "
         "the night-time drilling works.")),
    "ferry": Story(
        "ferry", "Electric ferry crosses the Gulf of Finland", "2026-11-21", "Jussi Virtanen",
        ("An electric ferry named Aurora completed the first battery-powered crossing between Helsinki and "
         "Tallinn on Saturday, carrying 320 passengers.",
         "The crossing took two hours and ten minutes, and the ship arrived with a fifth of its charge left, "
         "the operator said.",
         "Shipbuilders in Rauma built the vessel over eighteen months; its batteries are recharged in port in "
         "forty minutes.")),
    "orchestra": Story(
        "orchestra", "City orchestra names its new conductor", "2026-11-22", "Liis Saar",
        ("The Tallinn City Orchestra has named the Brazilian conductor Helena Duarte as its principal "
         "conductor from next season.",
         "Duarte, who is 41, led the orchestra twice as a guest last spring and was chosen unanimously by "
         "the musicians.",
         "Her first concert in the new role will be Mahler's Second Symphony at the Estonia Concert Hall "
         "on 5 September.")),
}


def article_page(story: Story, canonical: str, extra: str = "") -> str:
    """A realistic article page: header, navigation, byline, related links, cookie notice, footer."""
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in story.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(story.title)} | Baltic Morning News</title>
  <link rel="canonical" href="{escape(canonical)}">
  <meta property="og:title" content="{escape(story.title)}">
  <meta name="author" content="{escape(story.author)}">
  <meta property="article:published_time" content="{story.date}T07:30:00+02:00">
</head>
<body>
  <header><a href="/">Baltic Morning News</a>
    <nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
    <li><a href="/culture">Culture</a></li><li><a href="/sport">Sport</a></li></ul></nav>
  </header>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
  <main>
    <article>
      <h1>{escape(story.title)}</h1>
      <p class="byline">By <span class="author">{escape(story.author)}</span>,
        <time datetime="{story.date}T07:30:00+02:00">{story.date}</time></p>
{body}{extra}
    </article>
    <aside><h2>Most read</h2><ul><li><a href="/sport/derby">Derby ends in a draw</a></li>
      <li><a href="/business/rates">Bank holds rates</a></li></ul></aside>
  </main>
  <footer><p>© 2026 Baltic Morning News. All rights reserved.</p>
    <p><a href="/about">About us</a> · <a href="/privacy">Privacy</a> · <a href="/contact">Contact</a></p></footer>
</body>
</html>
"""


COOKIE_WALL = """<!DOCTYPE html><html><head><title>Before you continue</title></head>
<body><nav><a href="/">Home</a></nav><div class="consent"><p>Accept cookies to continue.</p>
<button>Accept</button></div><footer>© 2026</footer></body></html>"""


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (a timeout, a size cap) resets the connection: expected here


class NewsSite:
    """The site; a context manager serving on a free port of 127.0.0.1.

    ``release`` is set on exit, so a request hanging on /slow always ends; ``requests`` records
    (path, If-None-Match, If-Modified-Since, status) of every request. ``files`` maps a path to the
    (Content-Type, body) served there: a report as a PDF, say (a Content-Type of None: served without one).
    """

    def __init__(self, huge_bytes: int = 3_000_000, published: tuple[str, ...] = ("tunnel",),
                 validators: bool = False, port: int = 0, redirected: bool = False):
        self.huge_bytes = huge_bytes
        self.published = list(published)
        # What each article page says now (``correct`` changes one), the pages that answer an error instead (a story
        # retracted: 410) or show a cookie wall, and whether the pages send an ETag and Last-Modified and answer a
        # request naming the ETag with 304 Not Modified.
        self.stories = dict(STORIES)
        self.revisions = dict.fromkeys(STORIES, 0)
        self.gone: dict[str, int] = {}
        self.moved: dict[str, str] = {}  # slug -> the path its page redirects to (301) from now on
        self.walled: set[str] = set()
        self.validators = validators
        # The feeds link each item through /r/SLUG, a redirector's 301 to its page with utm_* on (FeedBurner's), and
        # the RSS items say what their stories say now, under each story's address as its guid.
        self.redirected = redirected
        self.release = threading.Event()
        self.requests: list[tuple[str, str | None, str | None, int]] = []
        self.files: dict[str, tuple[str | None, bytes]] = {}
        self.cond = threading.Condition()
        self._server = _QuietServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="news-site", daemon=True)

    def __enter__(self) -> NewsSite:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def article_url(self, slug: str) -> str:
        return self.url(f"/world/2026/{slug}.html")

    def correct(self, slug: str, old: str, new: str) -> None:
        """The story ``slug`` corrected at its address: ``old`` is ``new`` in its title and paragraphs from now on."""
        with self.cond:
            story = self.stories[slug]
            self.stories[slug] = replace(story, title=story.title.replace(old, new),
                                         paragraphs=tuple(p.replace(old, new) for p in story.paragraphs))
            self.revisions[slug] += 1

    def print_story(self, story: Story) -> None:
        """Serve ``story`` at ``article_url(story.slug)`` from now on, as a new story or over the one of that slug (a
        correction cutting paragraphs, a paywall's teaser)."""
        with self.cond:
            self.stories[story.slug] = story
            self.revisions[story.slug] = self.revisions.get(story.slug, -1) + 1

    def retract(self, slug: str, status: int = 410) -> None:
        """The story's page answers ``status`` (410 Gone, 404 Not Found) from now on."""
        with self.cond:
            self.gone[slug] = status

    def publish(self, slug: str) -> None:
        """Put one more story at the top of the feed."""
        with self.cond:
            self.published.insert(0, slug)

    def feed_version(self) -> str:
        with self.cond:  # (its items saying what their stories say now, a correction too)
            corrected = f"-{sum(self.revisions.values())}" if self.redirected else ""
            return f'"v{len(self.published)}{corrected}"'

    def statuses(self, path: str) -> list[int]:
        with self.cond:
            return [r[3] for r in self.requests if r[0] == path]

    def wait_for_request(self, path: str, timeout: float = 30) -> None:
        with self.cond:
            if not self.cond.wait_for(lambda: any(r[0] == path for r in self.requests) or
                                      any(r[0] == path + "#started" for r in self.requests), timeout):
                raise AssertionError(f"no request for {path}")

    # ---- pages -------------------------------------------------------------------------------
    def item_url(self, slug: str) -> str:
        """The link of the story ``slug``'s item in the feeds: its page, or the redirector leading there."""
        return self.url(f"/r/{slug}") if self.redirected else self.article_url(slug)

    def rss(self) -> str:
        with self.cond:
            slugs = list(self.published)
            stories = dict(self.stories) if self.redirected else STORIES
        guid = (lambda s: f'<guid isPermaLink="true">{self.article_url(s)}</guid>') if self.redirected else (
            lambda s: f'<guid isPermaLink="false">bmn-{s}</guid>')
        items = "".join(
            f"""
    <item>
      <title>{escape(stories[s].title if s in stories else s)}</title>
      <link>{self.item_url(s)}</link>
      {guid(s)}
      <pubDate>{formatdate(0)}</pubDate>
      <description>{escape(stories[s].paragraphs[0] if s in stories else s)}</description>
    </item>""" for s in slugs)
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Baltic Morning News: World</title>
    <link>{self.base}/world</link>
    <description>The latest stories</description>{items}
  </channel>
</rss>
"""

    def atom(self) -> tuple[str, str]:
        """The Atom feed of the published stories, each entry ``updated`` an hour later for each correction of its
        story, and its ETag, which changes with it."""
        with self.cond:
            listed = [(s, self.stories[s], self.revisions[s]) for s in self.published if s in self.stories]
        entries = "".join(f"""
  <entry>
    <title>{escape(story.title)}</title>
    <link href="{self.item_url(slug)}"/>
    <id>urn:bmn:{slug}</id>
    <published>{story.date}T07:30:00+02:00</published>
    <updated>{story.date}T{7 + revision:02d}:30:00+02:00</updated>
    <summary>{escape(story.paragraphs[0])}</summary>
  </entry>""" for slug, story, revision in listed)
        etag = '"a' + "-".join(f"{slug}.{revision}" for slug, _, revision in listed) + '"'
        return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Baltic Morning News: World</title>
  <id>urn:bmn:world</id>
  <updated>2026-11-23T07:30:00+02:00</updated>{entries}
</feed>
""", etag

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _record(self, status: int) -> None:
                with site.cond:
                    site.requests.append((self.path, self.headers.get("If-None-Match"),
                                          self.headers.get("If-Modified-Since"), status))
                    site.cond.notify_all()

            def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
                      headers: dict | None = None) -> None:
                self._record(status)
                self.send_response(status)
                if content_type is not None:  # None: served with no Content-Type, as some servers do
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802 (http.server's naming)
                path = self.path
                if path in site.files:
                    content_type, body = site.files[path]
                    return self._send(200, body, content_type)
                if path.startswith("/r/") and site.redirected:  # a redirector's hop, tracking added
                    return self._send(301, b"", headers={
                        "Location": f"/world/2026/{path[3:]}.html?utm_source=feedburner&utm_medium=feed"})
                if site.redirected:  # the page a redirector led to, its tracking read by no one
                    path = path.split("?", 1)[0]
                if path.startswith("/world/2026/") and path.endswith(".html"):
                    slug = path.rsplit("/", 1)[1].removesuffix(".html")
                    if slug in site.gone:
                        return self._send(site.gone[slug], b"<html><body><h1>This story was removed</h1></body></html>")
                    if slug in site.moved:
                        return self._send(301, b"", headers={"Location": site.moved[slug]})
                    if slug in site.stories:
                        return self._article(slug)
                if path.startswith("/world/") and path.count("/") == 2 and path[7:] in site.stories:
                    # the story's canonical address, which also serves it (unless retracted there: "SLUG-own")
                    slug = path[7:]
                    if f"{slug}-own" in site.gone:
                        return self._send(site.gone[f"{slug}-own"], b"<html><body><h1>Not found</h1></body></html>")
                    return self._article(slug)
                if path == "/amp/tunnel":  # the story's short version at another address, naming the same canonical URL
                    short = replace(STORIES["tunnel"], paragraphs=STORIES["tunnel"].paragraphs[:2] + (
                        "Read the full story, with maps of the route and a timeline of the works, on our website.",))
                    page = article_page(short, site.url("/world/tunnel")).replace("<html ", "<html \u26a1 ", 1)
                    return self._send(200, page.encode())  # <html ⚡>: an AMP page
                if path == "/syndicated/tunnel":  # the same text on a partner site, with its own canonical URL
                    page = article_page(STORIES["tunnel"], "https://partner.example.com/stories/tunnel",
                                        extra="\n      <p>This story first appeared in Baltic Morning News.</p>")
                    return self._send(200, page.encode())
                if path == "/go/tunnel":
                    self._record(301)
                    self.send_response(301)
                    self.send_header("Location", "/world/2026/tunnel.html")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if path == "/feed.xml":
                    version = site.feed_version()
                    if self.headers.get("If-None-Match") == version:
                        self._record(304)
                        self.send_response(304)
                        self.send_header("ETag", version)
                        self.end_headers()
                        return None
                    return self._send(200, site.rss().encode(), "application/rss+xml; charset=utf-8",
                                      {"ETag": version, "Last-Modified": formatdate(0, usegmt=True)})
                if path == "/atom.xml":
                    body, etag = site.atom()
                    if self.headers.get("If-None-Match") == etag:
                        self._record(304)
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.end_headers()
                        return None
                    return self._send(200, body.encode(), "application/atom+xml; charset=utf-8", {"ETag": etag})
                if path == "/consent":
                    return self._send(200, COOKIE_WALL.encode())
                if path == "/photo.jpg":
                    return self._send(200, b"\xff\xd8\xff\xe0" + b"\x00" * 2000, "image/jpeg")
                if path == "/huge":  # announces its size
                    self._record(200)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(site.huge_bytes))
                    self.end_headers()
                    return self._stream(site.huge_bytes)
                if path == "/huge-chunked":  # does not: the cap must hold while reading
                    self._record(200)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    return self._stream(site.huge_bytes, chunked=True)
                if path in ("/slow", "/world/2026/slow.html"):  # headers never come until the test lets them
                    with site.cond:
                        site.requests.append((path + "#started", None, None, 0))
                        site.cond.notify_all()
                    site.release.wait(60)
                    return self._send(200, article_page(STORIES["tunnel"], site.url("/slow")).encode())
                return self._send(404, b"<html><body><h1>Not found</h1></body></html>")

            def _article(self, slug: str) -> None:
                with site.cond:
                    story, revision = site.stories[slug], site.revisions[slug]
                page = (COOKIE_WALL if slug in site.walled else article_page(story, site.url(f"/world/{slug}"))).encode()
                if not site.validators:
                    return self._send(200, page)
                etag = f'"{hashlib.sha256(page).hexdigest()[:16]}"'
                headers = {"ETag": etag, "Last-Modified": formatdate(1_790_000_000 + 3600 * revision, usegmt=True)}
                if self.headers.get("If-None-Match") == etag:
                    self._record(304)
                    self.send_response(304)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    return None
                return self._send(200, page, headers=headers)

            def _stream(self, size: int, chunked: bool = False) -> None:
                block = b"<p>" + b"filler text " * 680 + b"</p>\n"
                sent = 0
                try:
                    while sent < size:
                        piece = block[: size - sent]
                        if chunked:
                            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                        else:
                            self.wfile.write(piece)
                        sent += len(piece)
                    if chunked:
                        self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: as it should
                    pass

        return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve the site, every story published, until Ctrl-C: the README's examples, run by hand."""
    parser = argparse.ArgumentParser(prog="python -m tests.news_site", description=main.__doc__)
    parser.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 [default: a free one]")
    args = parser.parse_args(argv)
    with NewsSite(published=("orchestra", "ferry", "tunnel"), port=args.port) as site:
        print(f"serving the test news site at {site.base} (Ctrl-C ends it); its feed: {site.url('/feed.xml')}",
              flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
