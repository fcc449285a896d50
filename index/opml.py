"""OPML subscription lists, as feed readers import and export them: the feeds one lists, and the feeds followed as one.

>>> listed("subscriptions.opml")                                     # doctest: +SKIP
['https://news.example.org/rss.xml', 'https://news.example.org/world/atom.xml']
>>> print(written([{"url": "https://news.example.org/rss.xml", "title": "News"}]))  # doctest: +SKIP
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
…
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.parsers import expat

from index.documents import one_line
from index.errors import CitebotError

# A list of 1,000 feeds is 200 KB; a feed reader's export of one with long descriptions, a few MB.
OPML_MAX_BYTES = 10_000_000
# Each feed listed costs a fetch and a rewrite of feeds.json; a newsroom follows dozens, a reader's heaviest user
# hundreds. A list of 10,000 would hold `feeds add` for hours and every `feeds update` after it.
MOST_FEEDS = 1000
CHUNK = 1 << 16
# Where a document's first element may be preceded by a byte order mark, an XML declaration, comments and a doctype.
_OPML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^>\[]*>)\s*)*<opml[\s>]",
                         re.I | re.S)
# What expat says of a document that stops midway (a download cut short), only ever at its end.
_CUT_SHORT = {expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
              expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
              expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
              expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION]}
# The root elements of RSS (0.9x, 2.0; 1.0's <rdf:RDF>) and Atom: a feed saved as a file, given for an OPML list.
FEED_ROOTS = ("rss", "feed", "rdf")
# An <rdf:RDF> is RSS 1.0 (or 0.90) in RSS's namespace, or with a <channel>; FOAF, DOAP and other RDF are no feed.
RSS_IN_RDF = ("http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/")
_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')
# The encoding an XML document declares (Shift_JIS, GBK, EUC-KR: of those expat cannot read, it being multi-byte).
_DECLARED = re.compile(rb"""\A\s*<\?xml[\x20-\x3d\x3f-\x7e\s]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]{0,39})["']""")
# What a list of feeds is saved as, but .opml: no top-level domain is named so.
_FILE_EXTENSIONS = ("xml", "txt", "rss", "atom", "rdf", "json", "opml")
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def is_opml(body: bytes) -> bool:
    """Whether ``body`` (a fetched page) is an OPML document, by its first element: at once where its first 4 KB are
    UTF-8 that says so; else as an XML parser reads up to that element, in UTF-16 (as Windows' Notepad saves a list)
    or after a comment of any length, as a local file is read."""
    return _OPML_START.match(body[:4096]) is not None or (_first_element(body) or "").lower() == "opml"


def _first_element(body: bytes) -> str | None:
    """The name of the first element of the XML document ``body``; None for no XML, or one declaring entities."""
    parser = expat.ParserCreate()

    def start(tag: str, attributes: dict) -> None:
        raise _Refused(tag)  # read no further: a feed's items, a page's body

    def entities(*_) -> None:  # none expanded, in the first element's attributes either (listed_in refuses them)
        raise _Refused(None)

    parser.StartElementHandler = start
    parser.EntityDeclHandler = entities
    try:
        parser.Parse(body, False)  # in one call: a 12 MB comment read in chunks is read again at each (1.8 s)
    except _Refused as found:
        return found.args[0]
    except ValueError:  # "multi-byte encodings are not supported" (Shift_JIS, GBK): read in UTF-8, as listed_in does
        in_utf8 = _in_utf8(body)
        return _first_element(in_utf8) if in_utf8 is not None else None
    except expat.ExpatError:
        return None
    return None


def names_file(target: str) -> bool:
    """Whether ``target``, given to `feeds add`, is a local OPML file rather than an address: a path that is there, a
    name ending in .opml, or one whose first part names no host (subs.xml, exports/feeds.txt, ./subs, ~/subs.xml); one
    not there is then said to be missing, not "not an http(s) URL" (news.example.org/rss.xml, localhost:8080/feed)."""
    if "://" in target or target[:5].lower() == "feed:":
        return False
    if target.lower().endswith(".opml") or Path(target).exists():
        return True
    first, slash, _ = target.replace("\\", "/").partition("/")
    if not slash:  # a host alone (news.example.org), or a file's name: a host's name ends in no file's extension
        return first.rpartition(".")[2].lower() in _FILE_EXTENSIONS
    return first in ("", ".", "..", "~") or "." not in first and ":" not in first and first.lower() != "localhost"


def listed(path: Path | str) -> list[str]:
    """The feed addresses (``xmlUrl``) the OPML file at ``path`` lists, in any folder, each once, in its order."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > OPML_MAX_BYTES:  # said from its first 64 KB alone: a 50 MB file costs next to nothing
                _too_large(handle.read(CHUNK), name, f"it is {size:,} bytes, over")
            body = handle.read(OPML_MAX_BYTES + 1)  # a pipe or a device says no size
    except OSError as exc:
        raise CitebotError(f"cannot read {one_line(name)}: {exc.strerror or exc}") from None
    if len(body) > OPML_MAX_BYTES:
        _too_large(body[:CHUNK], name, "it is over")
    return listed_in(body, name)


def _too_large(head: bytes, name: str, said: str) -> None:
    """Refuses a file over the limit for an OPML list, whose first bytes are ``head``: as the feed it is where they
    say it is one (a full-content feed saved from a browser is often over 10 MB), else by its size."""
    _read(head, name, whole=False)
    raise CitebotError(f"cannot read {one_line(name)}: {said} the {OPML_MAX_BYTES:,}-byte limit for an OPML list")


class _Refused(Exception):
    """Raised from the parser's handlers: the document is read no further."""


def listed_in(body: bytes, name: str) -> list[str]:
    """The feed addresses the OPML document ``body`` (read from ``name``) lists; CitebotError, in one line, for a
    document that is no OPML, broken XML, one that declares entities (none is ever expanded) or lists no feed."""
    return _read(body, name, whole=True)


def _read(body: bytes, name: str, whole: bool) -> list[str]:
    """``listed_in``; where ``body`` is not ``whole`` but a file's first bytes, CitebotError only for what they tell
    alone (a feed, a root other than <opml>), else the feeds listed so far."""
    where = one_line(name)
    if whole and not body.strip():
        raise CitebotError(f"cannot read {where}: it is empty")
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and (json_feed := _json_feed(body)):
        raise CitebotError(f"cannot read {where}: {_a_feed('JSON Feed', json_feed[0])}")
    parser = expat.ParserCreate()
    feeds: dict[str, None] = {}
    root: list[str] = []
    # open <entry>/<item> elements of a feed: a self link in one is its entry's own address (Blogger gives each entry
    # one), not the feed's, which was told to be followed
    in_entries = [0]
    feed = [False]  # whether it is a feed: its root says so (an <rdf:RDF>, with RSS's namespace or a <channel>)
    namespaces: dict[str, str] = {}  # of a feed's (or RDF's) elements so far: each prefix's ("" the default's)

    def rss(tag: str) -> bool:
        """Whether an element is RSS's: in its namespace, or in none (RSS 0.9x, or a file that left it out); a
        <po:Channel> (the BBC's Programmes Ontology's) is a TV channel, no RSS one."""
        prefix = tag.rpartition(":")[0]
        return namespaces.get(prefix) in RSS_IN_RDF or not prefix and "" not in namespaces

    def start(tag: str, attributes: dict) -> None:
        if not root:
            root.append(tag)
            if tag.lower() != "opml" and tag.rsplit(":", 1)[-1].lower() not in FEED_ROOTS:
                raise _Refused(_not_opml(tag))
            feed[0] = tag.lower() != "opml" and (tag.rsplit(":", 1)[-1].lower() != "rdf" or any(
                value.strip() in RSS_IN_RDF for key, value in attributes.items() if key.split(":")[0] == "xmlns"))
        if root[0].lower() != "opml":  # a feed saved as a file, read for where it is served: then said what to do
            namespaces.update((key[6:], value.strip()) for key, value in attributes.items()
                              if key.split(":")[0] == "xmlns")
            name = tag.rsplit(":", 1)[-1].lower()
            feed[0] = feed[0] or name == "channel" and rss(tag)
            in_entries[0] += name in ("entry", "item")
            if feed[0] and name == "link" and not in_entries[0] and attributes.get("rel", "").strip().lower() == "self":
                url = attributes.get("href", "").strip()
                if url[:8].lower().startswith(("http://", "https://")):
                    raise _Refused(_a_feed(f"<{one_line(root[0])}>", url))
            return
        if tag.lower() != "outline":
            return
        # xmlUrl, as OPML 2.0 spells it; some exporters write xmlurl or XMLURL
        url = next((value for key, value in attributes.items() if key.lower() == "xmlurl"), "").strip()
        if url and url not in feeds:
            if len(feeds) == MOST_FEEDS:
                raise _Refused(f"it lists more than {MOST_FEEDS:,} feeds, the most one `citebot feeds add` follows: "
                               "split it")
            feeds[url] = None

    def entities(*_) -> None:  # as defusedxml does: no entity is declared, so none is expanded (a billion laughs)
        raise _Refused("it declares XML entities (<!ENTITY>), which no OPML list needs: not read")

    def end(tag: str) -> None:
        in_entries[0] -= tag.rsplit(":", 1)[-1].lower() in ("entry", "item") and root[0].lower() != "opml"

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entities
    try:
        for offset in range(0, len(body), CHUNK):
            parser.Parse(body[offset:offset + CHUNK], False)
        if whole:
            parser.Parse(b"", True)
    except _Refused as exc:
        raise CitebotError(f"cannot read {where}: {exc}") from None
    except ValueError:  # "multi-byte encodings are not supported": read again in UTF-8, as Python's codec reads it
        if (in_utf8 := _in_utf8(body)) is None:
            raise CitebotError(f"cannot read {where}: its encoding cannot be read (save it as UTF-8)") from None
        return _read(in_utf8, name, whole)
    except expat.ExpatError as exc:
        if not whole and not feed[0]:  # the start of a file that is broken, or not XML: its size said instead
            return []
        if root and root[0].lower() != "opml":  # a feed with an HTML entity (&nbsp;) in it: a feed all the same
            said = _a_feed(f"<{one_line(root[0])}>", None) if feed[0] else _not_opml(root[0])
            raise CitebotError(f"cannot read {where}: {said}") from None
        raise CitebotError(f"cannot read {where}: {_broken(exc, bool(root))}") from None
    if root and root[0].lower() != "opml" and (whole or feed[0]):
        said = _a_feed(f"<{one_line(root[0])}>", None) if feed[0] else _not_opml(root[0])
        raise CitebotError(f"cannot read {where}: {said}")
    if whole and not feeds:
        raise CitebotError(f"cannot read {where}: it lists no feeds (no <outline> with an xmlUrl)")
    return list(feeds)


def _not_opml(root: str) -> str:
    """What a document whose root element, ``root``, is neither <opml> nor a feed's is told."""
    return f"not an OPML list of feeds: it is XML whose root element is <{one_line(root)}>, not <opml>"


def _a_feed(kind: str, url: str | None) -> str:
    """What a feed given as a local file is told (``kind``: its root element, or JSON Feed): to follow it at its web
    address, ``url`` where the feed names its own, since a file on this machine never gets new items."""
    return (f"it is a feed itself ({kind}), not an OPML list of feeds: follow it at its web address, citebot feeds add "
            f"{one_line(url) if url else 'URL (a file on this machine gets no new items)'}")


def _json_feed(body: bytes) -> tuple[str | None] | None:
    """Whether ``body`` (a JSON document) is a JSON Feed: None if not, else its own address (its ``feed_url``, an
    http(s) one; None for none, or a file that does not read). Its "version" is looked for in the whole of it: one
    written with sorted keys (json.dumps(sort_keys=True)) has it after its items, far past its first kilobytes."""
    import json

    if not _JSON_FEED.search(body):  # a scan, no object made: most JSON is read no further
        return None
    try:
        feed = json.loads(body)
    except (ValueError, RecursionError):
        return (None,)  # a JSON Feed cut short or mangled: a feed all the same
    version = feed.get("version") if isinstance(feed, dict) else None
    if not isinstance(version, str) or not version.startswith(("https://jsonfeed.org/version/",
                                                                "http://jsonfeed.org/version/")):
        return None  # "version" was some item's or extension's, not the feed's
    url = feed.get("feed_url")
    return (url.strip() if isinstance(url, str) and url.strip()[:8].lower().startswith(("http://", "https://"))
            else None,)


def _in_utf8(body: bytes) -> bytes | None:
    """``body``, an XML document in a multi-byte encoding expat cannot read (a Japanese feed reader's Shift_JIS, a
    Chinese one's GBK), in UTF-8 as its declaration then says; None where it declares no encoding Python knows."""
    declared = _DECLARED.match(body)
    try:
        text = body.decode(declared[1].decode("ascii"), "replace") if declared else None
    except (LookupError, ValueError):  # a codec unknown, or Python's "undefined" one (UnicodeError)
        return None
    if text is None or text.encode("utf-8", "surrogatepass")[:declared.end()] != body[:declared.end()]:
        return None  # its declaration not in ASCII (UTF-7, EBCDIC): not told apart so
    return (text[:declared.start(1)] + "UTF-8" + text[declared.end(1):]).encode("utf-8", "replace")


def _broken(exc: expat.ExpatError, began: bool) -> str:
    """Why a document is not read, from expat's error: where (a column counted from 1, as editors count) and what."""
    what = expat.ErrorString(exc.code)
    at = f"line {exc.lineno}, column {exc.offset + 1}"
    if not began:
        return f"not an OPML list of feeds: not XML ({at}: {what})"
    if exc.code in _CUT_SHORT:
        return f"broken XML: it ends at {at}, before its last element is closed (cut short?)"
    if exc.code == expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]:  # an HTML one: &eacute; &nbsp;
        what += " (XML knows &amp; &lt; &gt; &quot; &apos; and &#NNN; alone)"
    return f"broken XML at {at}: {what}"


def written(feeds: list[dict]) -> str:
    """``feeds`` (as ``FeedList.feeds()`` gives them) as an OPML 2.0 subscription list, for a feed reader or another
    citebot to import."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', "  <head>",
             "    <title>Feeds followed by citebot</title>", "  </head>", "  <body>"]
    for feed in feeds:
        title = _attribute(feed.get("title") or feed["url"])
        # type "rss" for every feed, Atom and JSON too: OPML 2.0 names a subscription so, whatever its format
        lines.append(f'    <outline type="rss" text={title} title={title} xmlUrl={_attribute(feed["url"])}/>')
    return "\n".join([*lines, "  </body>", "</opml>"]) + "\n"


def _attribute(value: str) -> str:
    """``value`` as a quoted XML attribute; a character XML 1.0 cannot hold (a control character) as U+FFFD."""
    value = _NOT_IN_XML.sub("\ufffd", value)
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\t", "&#9;"),
                              ("\n", "&#10;"), ("\r", "&#13;")):
        value = value.replace(character, entity)
    return f'"{value}"'
