"""Fetch one web page or feed over HTTP(S) with timeouts, redirects, a size cap and a content-type check.

>>> page = Fetcher(timeout=10, max_bytes=5_000_000).get("https://news.example.org/story")  # doctest: +SKIP
>>> page.url, page.content_type, len(page.body)                                            # doctest: +SKIP
('https://news.example.org/story', 'text/html', 48113)

Links come from chat users and feeds, so by default a host that resolves to a loopback, private,
link-local, reserved, multicast or unspecified address (100.64.0.0/10 too) is refused, at the first URL and at every
redirect: a page of the local network must not become searchable from the chat. Setting
``CITEBOT_ALLOW_PRIVATE_URLS=1`` (or ``Fetcher(allow_private=True)``) allows them all; a comma-separated
list of host names (``CITEBOT_ALLOW_PRIVATE_URLS=intranet.example,localhost``) allows those hosts only.
The address each new connection reached is checked as well, before the request is sent, since DNS may answer the
connect otherwise than it answered the check (DNS rebinding). A proxy named in the environment (``HTTP_PROXY``,
``HTTPS_PROXY``, ``ALL_PROXY``) is used, as httpx uses it; a connection then reaches the proxy, which resolves the
host itself, so only the check before connecting applies.
"""

from __future__ import annotations

import codecs
import io
import ipaddress
import os
import re
import socket
import threading
import time
import urllib.request
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from index.errors import CitebotError

HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPES = ("application/pdf", "application/x-pdf")
DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)  # Word's own
PAGE_TYPES = HTML_TYPES + PDF_TYPES + DOCX_TYPES  # what `citebot add` takes from a link
# What a file server may call a .docx it was not told the type of, besides GENERIC_TYPES: a Word document is a zip.
ZIP_TYPES = ("application/zip", "application/x-zip-compressed")
ZIP_SIGNATURE = b"PK\x03\x04"
# What S3, CDNs and file servers call a file they were not told the type of (or no Content-Type at all): taken as a
# PDF, where one is accepted, when its %PDF- signature is in its first PDF_SNIFF_BYTES (as readers and browsers find it).
GENERIC_TYPES = ("application/octet-stream", "binary/octet-stream")
PDF_SNIFF_BYTES = 1024
# A feed is read whatever it is served as, as feed readers read it: the old names of RSS's and Atom's types, and a file
# server's for any file (a podcast's feed on S3), are feeds' too; so is OPML's, a list of feeds that `feeds add` follows.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json", "application/json", "text/plain", "application/x-rss+xml",
              "application/x-atom+xml", "text/x-opml", "application/x-opml") + HTML_TYPES + GENERIC_TYPES
# The types only a feed is served as: a link to one given to `citebot add` (or to the bot) is told where feeds go.
FEED_ONLY_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
                   "application/x-rss+xml", "application/x-atom+xml")
# The types a feed is often served as that other files are too (text/xml: many sites' RSS; python -m http.server's and
# nginx's for any .xml): a link of one given to `citebot add` is told where feeds go when its opening reads as a feed's.
FEED_TOO_TYPES = ("application/xml", "text/xml", "application/json")
# A feed's opening: RSS's, Atom's or RSS 1.0's root element, or JSON Feed's version (its first key, as written)
FEED_OPENING = re.compile(rb'<(?:rss|feed|rdf:RDF)[\s>]|"version"\s*:\s*"https?://jsonfeed\.org/version/')
USER_AGENT = "citebot/0.1 (+https://github.com/citebot/citebot)"
MAX_BYTES = 5_000_000
ALLOW_PRIVATE_ENV = "CITEBOT_ALLOW_PRIVATE_URLS"
TOTAL_TIMEOUTS = 4      # a whole fetch (every redirect, the whole body) gets at most this many timeouts
MAX_TIMEOUT = 86_400    # seconds: a longer wait for a server is a typo
SNIFF_BYTES = 4096      # where a <meta charset> is looked for when the Content-Type header names none
INFLATE_STEP = 65536    # a gzip or deflate body is decoded at most this many bytes at a time
RETRY_AFTERS_KEPT = 8    # Retry-After headers of one answer read (a proxy's and the site's): the rest passed over
MAX_CODINGS = 5         # Content-Encodings undone, as urllib3 allows: 2,000 of them ended in a RecursionError

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';\s]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
# Python's codecs that no browser reads a page in (UTF-7 is refused for the markup it can hide): read as no charset
_NOT_WEB = frozenset({"utf-7", "unicode-escape", "raw-unicode-escape", "punycode"})


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
    moved: str | None = None      # where the page has moved for good: the address its first permanent redirects
    #                               (301, 308) led to, before any temporary one; None when it did not move

    @cached_property
    def text(self) -> str:
        """The body decoded: a byte-order mark, else the header's charset, else a ``<meta>`` one, else UTF-8, else (an
        old site naming none, its page in windows-1251) a legacy encoding that can be told, with a warning naming it
        (once a page: cached), else UTF-8 with a U+FFFD for each byte that is not. A header's UTF-8 that the body is not
        (a server's default for every page, an old page's own bytes: ``_mostly_utf8``) is passed over for the
        ``<meta>``'s, or a guess."""
        codec = declared_codec(self.body, self.headers.get("content-type", ""))
        if codec == "utf-8" and not _mostly_utf8(self.body):
            codec = declared_codec(self.body)
            codec = None if codec == "utf-8" else codec
        if codec is None:
            from index.documents import read_legacy

            try:
                return self.body.decode("utf-8")
            except UnicodeDecodeError:  # "������ ����" was stored as the story, its every letter lost
                read = read_legacy(self.body, self.url) if b"\x00" not in self.body else None
                if read is not None:
                    return read[0]
        return self.body.decode(codec or "utf-8", errors="replace")


def _mostly_utf8(body: bytes) -> bool:
    """True when ``body`` is UTF-8 but for fewer stray bytes than its letters past ASCII (a cut excerpt's half of a
    letter): a legacy encoding's text has a stray byte in nearly every such letter, and UTF-8 text read as one is
    lost whole ("Київ" as "РљРёС—РІ"), where each stray byte costs one U+FFFD."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
        stray = text.count("\ufffd")
        return len(text) - len(body.translate(None, bytes(range(128, 256)))) - stray > stray
    return True


def declared_codec(body: bytes, content_type: str = "") -> str | None:
    """The Python codec of a page's ``body``: by its byte-order mark, else the charset of its ``content_type`` header,
    else that of its ``<meta>``; None when none of them names one Python knows."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return name
    header = _HEADER_CHARSET.search(content_type)
    meta = _META_CHARSET.search(body[:SNIFF_BYTES])
    for charset, in_header in ((header.group(1) if header else None, True),
                               (meta.group(1).decode("ascii") if meta else None, False)):
        codec = _codec(charset, in_header)
        if codec:
            return codec
    return None


def _codec(charset: str | None, in_header: bool = False) -> str | None:
    """The Python codec for a page's charset name, as browsers read it; None for a name it does not know."""
    try:
        name = codecs.lookup(charset).name if charset else None
        # Python's bytes-to-bytes codecs (base64, zlib, rot13...), "undefined" and "idna" raised at decode: a traceback
        if name:
            b"<".decode(name, errors="replace")
    except (LookupError, UnicodeError):
        return None
    if name in _NOT_WEB:
        return None
    if name in ("ascii", "latin-1", "iso8859-1"):  # browsers read these labels as windows-1252
        return "cp1252"
    if name and name.startswith("utf-16"):
        if in_header:  # browsers read a header's "utf-16" as UTF-16LE (a byte-order mark was looked for first)
            return "utf-16-be" if name == "utf-16-be" else "utf-16-le"
        return "utf-8"  # a page that could say so in ASCII is not UTF-16
    return name


def check_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL, else FetchError."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number in range)
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {url} ({exc})", key="invalid_url", url=url, detail=str(exc)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}", key="not_http_url", url=url)
    return url


def check_fetchable(url: str) -> str:
    """``url`` when it is an absolute http(s) URL that is no ``#!/`` route, else FetchError: its server never sees what
    follows the #, so every route is one page, the one before it (checked before a stored copy is looked up, too: that
    page, stored, was taken for every route's story)."""
    url = check_url(url)
    if urlsplit(url).fragment.startswith("!/"):
        base = url.split("#", 1)[0]
        raise FetchError(f"a #! address, whose page the site's script builds in the browser (its server sends the "
                         f"page at {base} for every #! address of it), which citebot does not run: add the story's "
                         "own address", key="hash_bang", base=base)
    return url


def private_address(host: str, port: int) -> str | None:
    """The first address ``host`` resolves to that is not public (loopback, private, link-local, reserved,
    multicast, unspecified), as text; None when all are public or it does not resolve (the fetch then says so)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        found = _not_public(info[4][0])
        if found:
            return found
    return None


def _not_public(ip: str) -> str | None:
    """``ip`` as text (an IPv4-mapped address as IPv4) when it is not public; None when it is."""
    address = ipaddress.ip_address(ip.split("%")[0])
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    # not global: 100.64.0.0/10 too, carrier-grade NAT's shared space, where a cloud may serve its metadata
    # (Alibaba's at 100.100.100.200); site-local: IPv6's fec0::/10, a private range before fc00::/7 was
    if (address.is_loopback or address.is_private or address.is_link_local or address.is_reserved
            or address.is_multicast or address.is_unspecified or not address.is_global
            or getattr(address, "is_site_local", False)):
        return str(address)
    return None


class _Watchdog:
    """Shuts the connection's socket down after ``seconds``: a server sending its headers a byte at a time
    (each within the read timeout) would otherwise hold a fetch for hours before the body is read at all."""

    def __init__(self, seconds: float):
        self.fired = False
        self._socket = None
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def trace(self, event: str, info: dict) -> None:  # httpcore's "trace" request extension
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self._socket = info["return_value"].get_extra_info("socket")

    def _fire(self) -> None:
        self.fired = True
        try:
            self._socket.shutdown(socket.SHUT_RDWR)  # the blocked read returns at once
        except (AttributeError, OSError):
            pass

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


class Fetcher:
    """GETs with a ``timeout`` (seconds, per connect/read), up to ``max_redirects``, at most ``max_bytes``.

    A whole fetch (every redirect, the whole body) must end within ``total`` seconds, by default
    ``TOTAL_TIMEOUTS`` times ``timeout``: a server sending a byte at a time cannot hold it for longer.
    ``allow_private``: True allows hosts at private addresses, a set of host names allows those, None reads
    ``CITEBOT_ALLOW_PRIVATE_URLS`` (``1``, or host names separated by commas).

    >>> Fetcher(timeout=0).get("http://x")   # doctest: +SKIP
    Traceback (most recent call last):
    ValueError: timeout must be positive
    """

    def __init__(self, timeout: float = 15.0, max_bytes: int = MAX_BYTES, max_redirects: int = 5,
                 user_agent: str = USER_AGENT, total: float | None = None,
                 allow_private: bool | Iterable[str] | None = None):
        if not timeout > 0:
            raise ValueError("timeout must be positive")
        if total is not None and not total > 0:
            raise ValueError("total must be positive")
        # inf (or 1e300) overflowed the socket's timeout: a traceback at the first connect
        if timeout > MAX_TIMEOUT or (total or 0) > TOTAL_TIMEOUTS * MAX_TIMEOUT:
            raise ValueError(f"timeout must be at most {MAX_TIMEOUT:,} s (a day)")
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        if max_redirects < 0:
            raise ValueError("max_redirects must be >= 0")
        self.timeout = float(timeout)
        self.total = float(total) if total is not None else TOTAL_TIMEOUTS * self.timeout
        self.max_bytes = int(max_bytes)
        self.max_redirects = int(max_redirects)
        self.user_agent = user_agent
        if allow_private is None:
            allow_private = os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower()
            if allow_private in ("1", "true", "yes", "0", "false", "no", ""):
                allow_private = allow_private in ("1", "true", "yes")
            else:
                allow_private = allow_private.split(",")
        if isinstance(allow_private, bool):
            self.allow_private, self.private_hosts = allow_private, frozenset()
        else:
            self.allow_private = False
            self.private_hosts = frozenset(h.strip().lower().strip("[]") for h in allow_private if h.strip())
        # httpx reads the same variables (urllib's getproxies); through a proxy the connected address is the proxy's
        self.proxied = any(urllib.request.getproxies().get(scheme) for scheme in ("http", "https", "all"))

    def get(self, url: str, accept: tuple[str, ...] = HTML_TYPES, etag: str | None = None,
            modified: str | None = None, max_bytes: int | None = None) -> Page:
        """The page at ``url``; FetchError for a bad URL, a private address, an HTTP error, a timeout, another
        content type or a body over the cap (``max_bytes``, else the fetcher's).

        ``etag``/``modified`` make it a conditional GET: a 304 comes back as a ``Page`` with status 304.
        """
        import httpx  # only commands that fetch pay for the import

        url = check_fetchable(url)
        deadline = time.monotonic() + self.total
        # Only the codings _decoded undoes: httpx asks for br and zstd too once brotli or zstandard is installed, and
        # such a body, read raw here, was passed on compressed ("no article text", "not an RSS or Atom feed").
        headers = {"User-Agent": self.user_agent, "Accept": ", ".join(accept) + ", */*;q=0.1",
                   "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        watchdog = _Watchdog(self.total)

        answered = []  # the hop being sent has answered with its headers

        def trace(event: str, info: dict) -> None:  # httpcore's "trace" request extension, on every hop
            watchdog.trace(event, info)
            if event.endswith(".receive_response_headers.complete"):
                answered.append(True)
            # Only a new connection is checked: one reused for a redirect was checked when made, for the same host.
            if event == "connection.connect_tcp.complete" and not self.proxied:
                self._check_host(request.url, info["return_value"])  # request: the one being sent

        try:
            # Redirects are followed here, one hop at a time, so that every hop's host is checked.
            with watchdog, httpx.Client(timeout=self.timeout, follow_redirects=False, headers=headers) as client:
                request = client.build_request("GET", url, extensions={"trace": trace})
                moved, for_good = None, True
                asked = []  # each hop's address, to tell a loop from a long chain
                for _ in range(self.max_redirects + 1):
                    self._check_host(request.url)
                    asked.append(str(request.url))
                    answered.clear()
                    try:
                        response = client.send(request, stream=True)
                    except UnicodeError as exc:
                        if not answered:  # IDNA refused the host asked for ("a..b")
                            raise
                        # httpx reads a redirect's Location as the hop answers: IDNA refused the host it names
                        raise FetchError(f"{request.url} redirects to a host name that is not valid ({exc})",
                                         key="bad_redirect_host", url=str(request.url), detail=str(exc)) from None
                    try:
                        if not response.has_redirect_location:
                            page = self._read(response, accept, deadline, max_bytes or self.max_bytes)
                            if watchdog.fired:  # a body cut short by the watchdog can look complete
                                raise self._too_long()
                            page.moved = moved
                            return page
                        request = response.next_request
                        if request.url.fragment.startswith("!/"):  # its server would be sent the page before the #
                            raise _hash_bang_hop(str(response.request.url), str(request.url))
                        for_good = for_good and response.status_code in (301, 308)
                        if for_good:
                            moved = str(request.url)
                    finally:
                        response.close()
                    if time.monotonic() > deadline:
                        raise self._too_long()
                raise _too_many_redirects(asked + [str(request.url)], self.max_redirects)
        except FetchError:
            raise
        except (httpx.TransportError, OSError) if watchdog.fired else ():  # the watchdog cut the answer off
            raise self._too_long() from None
        except httpx.TimeoutException:
            raise FetchError(f"no answer within {self.timeout:g} s", key="no_answer", seconds=self.timeout) from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"not a valid URL: {url} ({exc})", key="invalid_url", url=url, detail=str(exc)) from None
        except httpx.HTTPError as exc:
            detail = f"{type(exc).__name__}: {exc}"
            raise FetchError(f"cannot fetch it ({detail})".replace(" ()", ""), key="cannot_fetch",
                             detail=detail) from None
        except (UnicodeError, ValueError) as exc:  # a host name IDNA refuses ("xn--"), a malformed URL
            raise FetchError(f"not a valid URL: {url} ({exc})", key="invalid_url", url=url, detail=str(exc)) from None

    def _check_host(self, url, stream=None) -> None:
        """FetchError when ``url``'s host is not allowed private addresses and has one: among those it resolves
        to or, given ``stream`` (a new connection to it), the one the connection reached; that one is then closed
        before its request is sent."""
        host = url.raw_host.decode("ascii").lower()
        if self.allow_private or host in self.private_hosts:
            return
        if stream is None:
            found = private_address(host, url.port or (443 if url.scheme == "https" else 80))
        else:
            found = _not_public(stream.get_extra_info("server_addr")[0])
            if found:
                stream.close()
        if found:
            said = f"{host} is a private address" if host == found else f"{host} resolves to a private address {found}"
            raise FetchError(f"{said}; set {ALLOW_PRIVATE_ENV}=1 to allow",
                             key="private_address" if host == found else "private_resolved", host=host, address=found,
                             env=ALLOW_PRIVATE_ENV)

    def _too_long(self) -> FetchError:
        return FetchError(f"not finished within {self.total:g} s in all", key="too_long", seconds=self.total)

    def _read(self, response, accept: tuple[str, ...], deadline: float, limit: int) -> Page:
        from index.documents import one_line  # the server's words in an error line: no escape sequence of theirs

        final = str(response.url)
        header = {k.lower(): v for k, v in response.headers.items()}
        if response.status_code == 304:
            return Page(final, 304, "", b"", header)
        if response.status_code >= 400:
            status = one_line(f"{response.status_code} {response.reason_phrase}".rstrip())
            # a 429's Retry-After kept, or a 503's (a site under maintenance: RFC 9110 gives it the same meaning): a
            # feed update waits as long as the site asked (bounded), not asking at once; each header's value apart
            # (httpx joins them with ", ", as an HTTP date has one); and the address that answered it (after a
            # redirector's hop): that site asked to wait, not the redirector
            more = {"answered_at": final} if response.status_code in (429, 503) else {}
            if response.status_code in (429, 503) and "retry-after" in header:
                more["retry_after"] = tuple(response.headers.get_list("retry-after")[:RETRY_AFTERS_KEPT])
            raise FetchError(f"HTTP {status}", key="http_status", status=status, **more)
        content_type = header.get("content-type", "").split(";")[0].strip().lower()
        # a link to a .docx file, served as a file server serves one it was not told the type of, is a Word document
        # when its body is a zip
        docx = DOCX_TYPES[0] in accept and urlsplit(final).path.lower().endswith(".docx")
        sniff = (not content_type or content_type in GENERIC_TYPES or (docx and content_type in ZIP_TYPES)) and (
            PDF_TYPES[0] in accept or docx)
        # a page's link served as XML or JSON: its opening read, to tell a feed (then refused all the same)
        sniff = sniff or (content_type in FEED_TOO_TYPES and content_type not in accept and accept != FEED_TYPES)
        if content_type and content_type not in accept and not sniff:
            raise self._not_accepted(content_type, accept)
        length = header.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise FetchError(f"the body is {int(length):,} bytes, over the {limit:,}-byte limit",
                             key="body_size", size_bytes=int(length), limit_bytes=limit)
        # One buffer, its bytes handed over without a copy: a list of chunks joined held the body twice at the end.
        body, size = io.BytesIO(), 0
        for chunk in _decoded(response):
            if time.monotonic() > deadline:
                raise self._too_long()
            size += len(chunk)
            if size > limit:
                # how far the bytes received expand, when compressed: a feed's few times, a compression bomb's hundreds
                compressed = "content-encoding" in header and response.num_bytes_downloaded
                grown = {"expands": size // compressed, "sent": int(length) if length.isdigit() else None} \
                    if compressed else {}
                raise FetchError(f"the body is over the {limit:,}-byte limit", key="body_over", limit_bytes=limit,
                                 **grown)
            body.write(chunk)
            if sniff and size >= PDF_SNIFF_BYTES:
                content_type = self._sniffed(body.getvalue()[:PDF_SNIFF_BYTES], content_type, accept, docx)
                sniff = False
        if sniff:
            content_type = self._sniffed(body.getvalue(), content_type, accept, docx)
        return Page(final, response.status_code, content_type, body.getvalue(), header)

    def _sniffed(self, body: bytes, content_type: str, accept: tuple[str, ...], docx: bool = False) -> str:
        """The type of a body served as ``content_type``, a generic one or none: a PDF by its signature, a Word
        document by a zip's at a link to a .docx file (``docx``); else the Content-Type it came with (none: read as a
        page, as before), or, for a generic one, not accepted. A body that begins as markup does ("<!DOCTYPE html>",
        "<html>"), whatever words about PDFs follow."""
        if PDF_TYPES[0] in accept and b"%PDF-" in body[:PDF_SNIFF_BYTES] and \
                not body.lstrip(b"\xef\xbb\xbf \t\r\n\f").startswith(b"<"):
            return PDF_TYPES[0]
        if docx and body.startswith(ZIP_SIGNATURE):
            return DOCX_TYPES[0]
        if content_type and content_type not in accept:
            raise self._not_accepted(content_type, accept, body)
        return content_type

    @staticmethod
    def _not_accepted(content_type: str, accept: tuple[str, ...], opening: bytes = b"") -> FetchError:
        from index.documents import one_line

        # a link `citebot add` is given may be a page or a PDF: told "not an HTML page", a reader took PDFs for refused
        feed, pdf = accept == FEED_TYPES, PDF_TYPES[0] in accept
        what = ("a feed" if feed else "an HTML page, a PDF or a Word document" if DOCX_TYPES[0] in accept
                else "an HTML page or a PDF" if pdf else "an HTML page")
        content_type = one_line(content_type)
        if not feed and (content_type in FEED_ONLY_TYPES or (  # "not an HTML page" did not say where a feed goes
                content_type in FEED_TOO_TYPES and FEED_OPENING.search(opening[:PDF_SNIFF_BYTES]))):
            return FetchError(f"a feed (Content-Type {content_type}) is not an article: follow it with citebot feeds "
                              "add URL, or add the links of its articles", content_type=content_type, key="a_feed")
        return FetchError(f"not {what} (Content-Type {content_type})", content_type=content_type,
                          key="not_feed" if feed else "not_page" if pdf else "not_html")


def _hash_bang_hop(url: str, to: str) -> FetchError:
    """A redirect of ``url`` to ``to``, a ``#!/`` route (see check_fetchable), refused before it is followed."""
    base = to.split("#", 1)[0]
    return FetchError(f"{url} redirects to {to}, a #! address, whose page the site's script builds in the browser (its "
                      f"server sends the page at {base} for every #! address of it), which citebot does not run: add "
                      "the story's own address", key="hash_bang_redirect", url=url, to=to, base=base)


def _too_many_redirects(hops: list[str], most: int) -> FetchError:
    """Why a fetch whose redirects (``hops``: each address asked, then where the last one led) went past ``most``
    stopped: a loop named by the address that leads back, else the count ("more than 5 redirects" told an operator
    neither that a site's redirects went round in a circle nor where). Only a loop still going round at the last hop:
    one a cookie ended, then a chain too long, is no loop that stopped the fetch."""
    if hops[-1] in hops[:-1]:
        return FetchError(f"a redirect loop: {hops[-2]} redirects back to {hops[-1]}", key="redirect_loop",
                          url=hops[-2], to=hops[-1])
    return FetchError(f"more than {most} redirects", key="redirects", n=most)


def _decoded(response):
    """The body of ``response`` decoded from its gzip and deflate Content-Encodings (httpx's rules), a step at a
    time: httpx decodes each chunk whole, so a 1 KB body gzipped twice became 512 MB in one call, before any
    size check could see it. A coding other than these is passed through as httpx does."""
    values = response.headers.get_list("content-encoding", split_commas=True)
    codings = [v.strip().lower() for v in values if v.strip().lower() in ("gzip", "x-gzip", "deflate")]
    if len(codings) > MAX_CODINGS:
        raise FetchError(f"the body is compressed {len(codings):,} times over (Content-Encoding), more than the "
                         f"{MAX_CODINGS} accepted", key="compressed", n=len(codings), most=MAX_CODINGS)
    chunks = response.iter_raw()
    for coding in reversed(codings):  # the last coding applied is the first undone
        chunks = _inflate(chunks, coding)
    return chunks


def _inflate(chunks, coding: str):
    """``chunks`` decoded from ``coding``, at most ``INFLATE_STEP`` bytes a step; a deflate body without its
    zlib header is read as raw deflate, as httpx and browsers read it."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding != "deflate" else zlib.MAX_WBITS)
    first = coding == "deflate"
    for data in chunks:
        while data:
            try:
                out = inflater.decompress(data, INFLATE_STEP)
            except zlib.error as exc:
                if first:
                    inflater, first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                raise FetchError(f"cannot fetch it (DecodingError: {exc})", key="cannot_fetch",
                                 detail=f"DecodingError: {exc}") from None
            first = False
            data = inflater.unconsumed_tail
            if out:
                yield out
    try:
        out = inflater.flush()
    except zlib.error as exc:  # pragma: no cover
        raise FetchError(f"cannot fetch it (DecodingError: {exc})", key="cannot_fetch",
                         detail=f"DecodingError: {exc}") from None
    if out:
        yield out
