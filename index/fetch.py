"""Fetch one web page or feed over HTTP(S) with timeouts, redirects, a size cap and a content-type check.

>>> page = Fetcher(timeout=10, max_bytes=5_000_000).get("https://news.example.org/story")  # doctest: +SKIP
>>> page.url, page.content_type, len(page.body)                                            # doctest: +SKIP
('https://news.example.org/story', 'text/html', 48113)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from index.errors import CitebotError

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json", "text/plain") + HTML_TYPES
USER_AGENT = "citebot/0.1 (+https://github.com/citebot/citebot)"
MAX_BYTES = 5_000_000


class FetchError(CitebotError):
    """A page that could not be fetched; the message says why in one line."""


@dataclass
class Page:
    """A fetched body and what the server said about it; ``status`` 304 means "not modified", no body."""

    url: str                      # after redirects
    status: int
    content_type: str
    body: bytes = b""
    headers: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        charset = self.headers.get("content-type", "").partition("charset=")[2].split(";")[0].strip().strip('"')
        try:
            return self.body.decode(charset or "utf-8", errors="replace")
        except LookupError:  # an unknown charset name
            return self.body.decode("utf-8", errors="replace")


def check_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL, else FetchError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"not an http(s) URL: {url}")
    return url.strip()


class Fetcher:
    """GETs with a ``timeout`` (seconds, per connect/read), up to ``max_redirects``, at most ``max_bytes``.

    >>> Fetcher(timeout=0).get("http://x")   # doctest: +SKIP
    Traceback (most recent call last):
    ValueError: timeout must be positive
    """

    def __init__(self, timeout: float = 15.0, max_bytes: int = MAX_BYTES, max_redirects: int = 5,
                 user_agent: str = USER_AGENT):
        if not timeout > 0:
            raise ValueError("timeout must be positive")
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        if max_redirects < 0:
            raise ValueError("max_redirects must be >= 0")
        self.timeout = float(timeout)
        self.max_bytes = int(max_bytes)
        self.max_redirects = int(max_redirects)
        self.user_agent = user_agent

    def get(self, url: str, accept: tuple[str, ...] = HTML_TYPES, etag: str | None = None,
            modified: str | None = None) -> Page:
        """The page at ``url``; FetchError for an HTTP error, a timeout, another content type or a body over the cap.

        ``etag``/``modified`` make it a conditional GET: a 304 comes back as a ``Page`` with status 304.
        """
        import httpx  # only commands that fetch pay for the import

        url = check_url(url)
        headers = {"User-Agent": self.user_agent, "Accept": ", ".join(accept) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        try:
            with httpx.Client(timeout=self.timeout, follow_redirects=True, max_redirects=self.max_redirects,
                              headers=headers) as client:
                with client.stream("GET", url) as response:
                    return self._read(response, accept)
        except httpx.TimeoutException:
            raise FetchError(f"no answer within {self.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {self.max_redirects} redirects") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch it ({type(exc).__name__}: {exc})".replace(" ()", "")) from None

    def _read(self, response, accept: tuple[str, ...]) -> Page:
        final = str(response.url)
        header = {k.lower(): v for k, v in response.headers.items()}
        if response.status_code == 304:
            return Page(final, 304, "", b"", header)
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
        content_type = header.get("content-type", "").split(";")[0].strip().lower()
        if content_type and content_type not in accept:
            what = "an HTML page" if accept == HTML_TYPES else "a feed"
            raise FetchError(f"not {what} (Content-Type {content_type})")
        length = header.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"the body is {int(length):,} bytes, over the {self.max_bytes:,}-byte limit")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"the body is over the {self.max_bytes:,}-byte limit")
            chunks.append(chunk)
        return Page(final, response.status_code, content_type, b"".join(chunks), header)
