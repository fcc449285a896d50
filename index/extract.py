"""Extract the article from a news page: its text (navigation, footers, comments dropped) and metadata.

>>> story = extract_article(html, url="https://news.example.org/story")   # doctest: +SKIP
>>> story.title, story.date, story.author, story.url                      # doctest: +SKIP
('Summit opens in Vilnius', '2026-11-20', 'Ann Reporter', 'https://news.example.org/2026/summit')
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from index.errors import CitebotError

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MIN_CHARS = 200  # less than this is a teaser, a cookie notice or an error page, not an article


# A page whose title says it is no story ("Article not found", "Сторінку не знайдено", "404"): what many sites answer a
# removed story's address with, as 200 OK. A title's part says so, its site's name beside it ("Page not found | Site").
_NOT_FOUND = re.compile(
    r"(?:(?:oops|sorry|упс|ой|вибачте|извините|ne\s+pare\s+rău)[!.,]*\s*)?"
    r"(?:(?:(?:error|помилка|ошибка|eroare)\s*)?404\s*[:.!\-–—]?\s*)?"
    r"(?:(?:the\s+)?(?:(?:page|article|story|content|post|news)\s+(?:was\s+|is\s+)?)?not\s+found"
    r"|(?:the\s+)?(?:page|article|story|content|post)\s+(?:could\s+not|cannot|can['’]t)\s+be\s+found"
    r"|(?:the\s+)?(?:page|article|story|content|post)\s+(?:does\s+not|doesn['’]t)\s+exist"
    r"|(?:сторінк[уаи]|статт[юія]|матеріал|новин[уа])?\s*не\s+знайден[оаі]?"
    r"|(?:страниц[аыу]|стать[яюи]|материал|новост[ьи])?\s*не\s+найден[оаы]?"
    r"|(?:pagina|articolul|știrea|stirea)\s+nu\s+(?:a\s+fost\s+g[ăa]sit[ăa]?|exist[ăa])"
    r"|pagin[ăa]\s+(?:neg[ăa]sit[ăa]|inexistent[ăa])"
    r"|(?:(?:error|помилка|ошибка|eroare)\s*)?404(?:\s+error)?)"
    r"(?:\s*[:\-–—(]?\s*(?:error\s*)?\(?404\)?)?", re.I)
_TITLE_PARTS = re.compile(r"\s+[|\-–—:•·»/]\s+|\s*::\s*")
NOT_FOUND_WORDS = 300  # a page titled so (or a consent notice) with more words than this is a story


# What a not-found page's text speaks of (the page, the link followed to it), and a story under a title that only opens
# as such a page does not ("Error 404 — the band's new album": a band named so).
_PAGE_WORDS = re.compile(r"\b(?:pages?|links?|url|address)\b|сторінк|посиланн|страниц|ссылк|\bpagin", re.I)


def _says_not_found(title: str, text: str) -> bool:
    """Whether ``title`` (or a part of it, beside its site's name) says that its page is not found: a title that says
    no more ("Article not found", "404 - Сторінку не знайдено"), or a part of it beside other words ("Page not found |
    Site") where the text speaks of the page or the link too."""
    parts = _TITLE_PARTS.split(title)
    saying = [_NOT_FOUND.fullmatch(part.strip(" .!?…")) is not None for part in parts]
    if len(parts) > 3 or not any(saying):
        return False
    said = {title, *(part.strip() for part in parts)}  # the title, as the text opens with it, is no word of the text
    return all(saying) or any(_PAGE_WORDS.search(line) for line in text.splitlines() if line.strip() not in said)


# A consent platform's notice, sent in the story's place to a reader without its cookie: its sentences speak of cookies,
# consent or personal data to the reader ("We and our 842 partners store … on your device"), where a story about them
# speaks of a regulator and the sites in the third person.
_CONSENT = re.compile(r"cookie|consent|personal\s+data|privacy|partners|персональн|конфіденційн|конфиденциальн|згод|"
                      r"погод|соглас|партнер|acord|consimț|consimt|date\w*\s+personale|confidențial|parteneri", re.I)
_ADDRESSED = re.compile(r"\b(?:we|our|(?-i:us)|you|your|ми|наш\w*|ви|ваш\w*|мы|вы|noi|nostr\w*|dumneavoastră|dvs|"
                        r"tale|tău)\b", re.I)
# The site speaking ("We and our partners…", "This site uses cookies"): a notice does in most of its sentences, an
# explainer telling its reader how to refuse cookies ("You can refuse cookies…") speaks to them alone.
_SITE_SPEAKING = re.compile(r"\b(?:we|our|ours|(?-i:us)|ми|наш\w*|нам|нас|мы|noi|nostr\w*)\b|this\s+(?:web\s*)?site|"
                            r"ц(?:ей|ього)\s+сайт|эт(?:от|ого)\s+сайт|acest\s+site", re.I)
# What every consent notice names (the IAB's text: "store and/or access information on a device, such as cookies, and
# process personal data"), where a brief of partners and agreements ("соглашение", "noi acorduri") names neither.
_COOKIES_OR_DATA = re.compile(r"cookie|кукі|куки|personal\s+(?:data|information)|персональн\w*\s+дан|"
                              r"date(?:le)?\s+(?:cu\s+caracter\s+)?personale", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
CONSENT_SHARE = 0.8  # of a notice's sentences that speak so: all of them, but a button's word or a heading
SITE_SPEAKING_SHARE = 0.5  # of a notice's sentences that speak as the site


def _consent_wall(text: str) -> bool:
    """Whether ``text`` (a page's main text) is a cookie consent notice and nothing more."""
    if len(text.split()) > NOT_FOUND_WORDS or not _COOKIES_OR_DATA.search(text):
        return False
    sentences = [s for s in _SENTENCE_END.split(text) if len(s.split()) >= 3]
    # (a sentence of the site naming itself, "This website uses cookies.", speaks to the reader as well)
    speaking = sum(1 for s in sentences if _CONSENT.search(s) and (_ADDRESSED.search(s) or _SITE_SPEAKING.search(s)))
    as_site = sum(1 for s in sentences if _SITE_SPEAKING.search(s))
    return (len(sentences) >= 2 and speaking >= CONSENT_SHARE * len(sentences)
            and as_site >= SITE_SPEAKING_SHARE * len(sentences))


# A paywall's offer in a story's place, after its opening: "Subscribe to read the full story", "Already a subscriber?
# Sign in", "Цей матеріал доступний лише передплатникам", "Abonează-te pentru a citi articolul complet". Phrases that
# speak to a reader about this story, not a story's words about subscribers ("12,000 subscribers", "who subscribe"),
# nor a brief's last line asking to follow the paper ("Подпишитесь, чтобы читать новости первыми: t.me/…", "Abonează-te
# pentru a primi știrile pe Telegram"): subscribing "to read" is to read on, this story, not whatever the line names.
_PAYWALL_PITCH = re.compile(
    r"\b(?:subscribe|sign\s+in|log\s+in|register)(?:\s+now)?\s+(?:to|and)\s+(?:read|continue|keep\s+reading|unlock|get\s+"
    r"(?:full\s+|unlimited\s+)?access)|\balready\s+(?:a\s+)?(?:subscriber|member|subscribed)\b|\bthis\s+(?:article|story|"
    r"content|piece)\s+is\s+(?:only\s+)?(?:for|available\s+(?:only\s+)?to|exclusive\s+to|reserved\s+for)\s+(?:our\s+)?"
    r"(?:paying\s+)?(?:subscribers|members)|\bto\s+(?:continue|keep)\s+reading\b"
    r"|(?:лише|тільки|виключно)\s+(?:для\s+)?передплатник|оформ\w*\s+передплату|підпиш\w*,?\s+щоб\s+(?:читати|прочитати)(?=\s*(?:[.!…]|$))"
    r"|вже\s+(?:маєте\s+передплату|передплатник)|щоб\s+(?:читати|прочитати)\s+(?:далі|повністю|статтю|матеріал)"
    r"|(?:только|исключительно)\s+(?:для\s+)?подписчик|оформ\w*\s+подписку|подпиш\w*,?\s+чтобы\s+(?:читать|прочитать)(?=\s*(?:[.!…]|$))"
    r"|уже\s+(?:есть\s+подписка|подписчик|подписаны)|чтобы\s+(?:читать|прочитать)\s+(?:дальше|полностью|статью|материал)"
    r"|(?:doar|numai|exclusiv)\s+(?:pentru\s+)?abona[țţt]|(?:abonea(?:z|ză|za)[-\s]te|abona[țţt]i[-\s]v[ăa])\s+pentru\s+"
    r"(?:acces|a\s+(?:continua|avea\s+acces|debloca|citi(?=\s*(?:[.!…]|$))))"
    r"|(?:ești|eşti|esti|sunteți|sunteţi|sunteti)\s+deja\s+abonat|pentru\s+a\s+citi\s+(?:articolul|tot|în\s+continuare|"
    r"mai\s+departe)", re.I)
PITCH_LINES = 2  # of a text's last lines, where a paywall's offer stands
# An offer that says the story goes on behind it ("the full story", "continue reading", "this article is for
# subscribers", "читати далі", "articolul complet"): what a longer teaser of several paragraphs ends with, where a long
# story's page may end with an offer of something else ("Subscribe to read our newsletter", "Already a subscriber? Sign
# in to manage your newsletters", which says nothing of this story being cut).
_STORY_GOES_ON = re.compile(
    r"\bfull\s+(?:story|article)|\brest\s+of\s+(?:this|the)\s+(?:story|article)|\b(?:continue|keep)\s+reading\b"
    r"|\bthis\s+(?:article|story|content|piece)\s+is\s+"
    r"(?:only\s+)?(?:for|available|exclusive|reserved)\b|(?:лише|тільки|виключно)\s+(?:для\s+)?передплатник"
    r"|(?:читати|прочитати)\s+(?:далі|повністю)"
    r"|(?:только|исключительно)\s+(?:для\s+)?подписчик|(?:читать|прочитать)\s+(?:дальше|полностью)"
    r"|(?:doar|numai|exclusiv)\s+(?:pentru\s+)?abona[țţt]|articolul\s+complet"
    r"|citi\s+(?:în\s+continuare|mai\s+departe)", re.I)
# A word of subscribing or signing in, which the offer closing a longer teaser has beside the story going on: a story's
# own last sentence can say "to continue reading" ("…somewhere to continue reading during blackouts, the mayor said").
_SUBSCRIBING = re.compile(
    r"\bsubscri|\b(?:sign|log)\s+in\b|\bregister\b|передплат|підпи[сш]|подпи[сш]|увійд|войд"
    r"|\babona|\bautentific|\bconecteaz", re.I)
# A metered paywall's count of the free articles left to its reader ("You have 2 free articles left", "your last free
# article", "У вас залишилося 2 безкоштовні статті"): it shows the whole story above its offer, not a teaser.
_METER = re.compile(
    r"\b[1-9]\d?\s+free\s+(?:articles?|stories|story)\s+(?:left|remaining)|\b(?:last|final)\s+free\s+(?:article|story)"
    r"|(?:залишил\w*|лишил\w*|лишає\w*)\s+[1-9]\d?\s+безкоштовн|(?:остал\w*|оста[её]тся)\s+[1-9]\d?\s+бесплатн"
    r"|(?:mai\s+ai|mai\s+aveți|mai\s+aveti|rămân|raman)\s+[1-9]\d?\s+articole\s+gratuite", re.I)
TEASER_WORDS = 600  # of a paywall's teaser of several paragraphs, at most: a longer page is the story, whatever ends it


def paywall_pitch(text: str) -> str | None:
    """The opening of the offer to subscribe that ``text`` (a page's text) ends with, when the text is a paywall's
    teaser: at most NOT_FOUND_WORDS words, one of its last lines asking its reader to subscribe or sign in to read on
    ("Subscribe to read the full story."); or at most TEASER_WORDS, that line saying the story goes on behind it.
    None for a story, a story about subscriptions too."""
    words = len(text.split())
    if words > TEASER_WORDS:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    pitch = next((line for line in lines[-PITCH_LINES:] if _PAYWALL_PITCH.search(line) and not _METER.search(line)
                  and (words <= NOT_FOUND_WORDS or _STORY_GOES_ON.search(line) and _SUBSCRIBING.search(line))),
                 None)
    return pitch[:60].rsplit(" ", 1)[0] if pitch and len(pitch) > 60 else pitch


class NoArticle(CitebotError):
    """A page with no article text in it."""


@dataclass(frozen=True)
class Story:
    """An extracted article: its text and what the page says about it."""

    text: str
    title: str | None = None
    date: str | None = None      # YYYY-MM-DD
    author: str | None = None
    url: str | None = None       # the canonical URL when the page names one, else where it was fetched


# Control characters XML forbids (tab, newline, carriage return aside), raw or as character references: lxml gives
# up on the page over one of them ("discarding data: None"), so a whole article was lost to a stray &#x1b;.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,8}));?")


def _blank(match: re.Match) -> str:
    if match.lastindex is None:
        return " "
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    return " " if code < 32 and code not in (9, 10, 13) else match.group(0)


def nested_too_deep(html: str) -> bool:
    """Whether ``html`` nests its elements deeper than lxml (libxml2) reads, 255 deep: what lies deeper is dropped, so
    a story wrapped in 300 <div>s reads as a page with no main text.

    >>> nested_too_deep("<div>" * 300 + "A story." + "</div>" * 300), nested_too_deep("<div><p>A story.</p></div>")
    (True, False)
    """
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        lxml.html.document_fromstring(html, parser=parser)
    except (ValueError, lxml.etree.LxmlError):
        return False
    return any("Excessive depth" in error.message for error in parser.error_log)


def parsable(html: str) -> str:
    """``html`` with the control characters XML forbids (raw or as references) as spaces, which lxml parses."""
    return _CONTROL.sub(_blank, html)


def extract_article(html: str, url: str | None = None, min_chars: int = MIN_CHARS) -> Story:
    """The main text and metadata of ``html`` (fetched from ``url``); NoArticle when there is none."""
    from index.bounded import bounded

    raw = bounded(_article_json, parsable(html), url)  # a long page in a child process, within a budget
    found = json.loads(raw) if raw else {}
    text = (found.get("text") or "").strip()
    title = _clean(found.get("title"))
    # (before the length: a not-found page of a line, "Sorry, this page does not exist.", was "no article text found")
    if title and _says_not_found(title, text) and len(text.split()) <= NOT_FOUND_WORDS:
        raise NoArticle(f"the page says “{title}”: no story on it (removed, or moved to another address?)",
                        key="not_found_page", title=title)
    text = _unsigned(text)
    if len(text) < min_chars:
        raise NoArticle("no article text found on the page", key="no_article")
    if _consent_wall(text):
        opening = max(text.splitlines(), key=len)[:60].rsplit(" ", 1)[0]
        raise NoArticle(f"the page shows a cookie consent notice alone (“{opening}…”), not the story: open it in a "
                        f"browser, accept, save the page as HTML and add that file", key="consent_wall", opening=opening)
    return Story(
        text=text,
        title=title,
        date=page_date(found.get("date"), html, url),
        author=_author(found.get("author")),
        url=_identity(_clean(found.get("source") or found.get("url")), url),  # "source": the canonical link
    )


def trafilatura():
    """The trafilatura module, imported at first use (heavy: only what reads pages pays for it), its own warnings
    quiet: its "discarding data: None" for a page with no main text came beside the skip's or the add's own reason."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    return trafilatura


def _article_json(html: str, url: str | None) -> str | None:
    """trafilatura's JSON of the article of ``html``, or None."""
    tree = trafilatura().load_html(html)
    if tree is not None:  # a saved page (no ``url``) too: its <base> is no more its address than a fetched one's
        resolve_canonical(tree, url)
        drop_related_links(tree)
        drop_byline_emails(tree)
    # No deduplicate: trafilatura's is a cache kept for the whole process, so the same page extracted a fourth
    # time (a retry, a bot running for weeks) had no text, and a paragraph seen three times was dropped after.
    return trafilatura().extract(html if tree is None else tree, url=url, output_format="json", with_metadata=True,
                                 include_comments=False, include_tables=False, favor_precision=True, deduplicate=False)


# A line that links another of the outlet's stories between a story's paragraphs: "Read also: <a>…</a>", "Читайте
# також:", "Citește și:". Its label opens the line, and the rest of it is the link's words (a few links': a block).
# Not "See also": a manual's cross-reference ("See also: rename(2).") is its text.
_RELATED = re.compile(r"(?:read\s+(?:also|more)|also\s+read|related(?:\s+(?:story|stories|articles?))?(?=\s*:)"
                      r"|(?:читайте|читати|дивіться|смотрите)\s+(?:також|также|тоже)|(?:також|также)\s+читайте"
                      r"|(?:citește|citeşte|citeste|citiți|citiţi|cititi|vezi)\s+(?:și|şi|si))(?!\w)", re.I)
_RELATED_TAGS = ("p", "div", "li", "h2", "h3", "h4", "h5", "h6")
_NO_WORD = re.compile(r"[\W_]*")


def drop_related_links(tree) -> None:
    """Take out of ``tree`` each line linking another story ("Read also: <a>…</a>"): trafilatura kept it as a paragraph
    of the story, and a question about the story it links was answered with it, cited from this one. Only a line whose
    words outside its links are its label alone: "Read more about the route in the city's plan." stays."""
    for element in list(tree.iter(_RELATED_TAGS)):
        opening = " ".join("".join(itertools.islice(element.itertext(), 3)).split())
        if not _RELATED.match(opening):  # (the label is in its first few pieces of text: most elements end here)
            continue
        links = [" ".join(link.text_content().split()) for link in element.iter("a")]
        if not any(links):
            continue
        rest = " ".join(element.text_content().split())
        for link in filter(None, links):
            rest = rest.replace(link, " ", 1)
        rest = rest.strip()
        label = _RELATED.match(rest)
        if _NO_WORD.fullmatch(rest[label.end():] if label else rest):
            parent = element.getparent()
            if parent is not None:
                _remove(element, parent)


def _remove(element, parent) -> None:
    """``element`` out of ``parent``, the text after it (its tail) kept where it stood."""
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def resolve_canonical(tree, url: str | None) -> None:
    """The page's canonical link (the one trafilatura reads) made absolute against ``url``, where the page wrote it as a
    path ("/world/story"): trafilatura takes such a link only beside an og: address, and read the story's address as
    the one it was fetched from, so an AMP copy was stored as a story of its own beside the story's page. The page's
    <base href> is read for that alone: trafilatura took it for the story's address where no canonical link is."""
    link = tree.find('.//head//link[@rel="canonical"]')
    href = (link.get("href") or "").strip() if link is not None else ""
    try:
        base = _base(tree, url) if href and not urlsplit(href).scheme else None
        if base:  # (none for a saved page naming no absolute <base>: its link left as written)
            link.set("href", urljoin(base, href))
    except ValueError:  # a malformed address ("//[x"): left as written, which trafilatura passes over
        pass
    for base in list(tree.iterfind(".//base[@href]")):  # a section's, /world/, made each story of it "already known"
        del base.attrib["href"]


def _base(tree, url: str | None) -> str | None:
    """The address a browser reads the page's relative links against: its <base href> (an app's "/"), else ``url``."""
    base = tree.find(".//base[@href]")
    try:
        based = urljoin(url or "", base.get("href").strip()) if base is not None else url
    except ValueError:  # a malformed <base>: passed over, as a browser passes it over
        return url
    return based if urlsplit(based).scheme in ("http", "https") else url  # not a javascript: or data: base


def page_date(date: str | None, html: str, url: str | None = None) -> str | None:
    """The page's date as trafilatura found it, YYYY-MM-DD, unless it is a bare year's guess.

    With no date in the page's metadata, htmldate searches the text, and a year it finds without a day it can read
    ("3 марта 2023 г.": it reads no Russian or Ukrainian month) comes back as that year's 1 January. Such a date is
    kept only when the metadata alone (meta tags, <time>, the address) give it too; else the page has no date."""
    if not date or not _DATE.fullmatch(date):
        return None
    if not date.endswith("-01-01"):
        return date
    from htmldate import find_date  # trafilatura's own date reader

    try:
        return date if find_date(html, url=url, extensive_search=False) == date else None
    except (ValueError, TypeError, RecursionError):  # lxml on hostile markup: no date rather than a guess
        return None


def _identity(canonical: str | None, fetched: str | None) -> str | None:
    """The address that names the story: its canonical link, unless that is a site's front page while the story
    was fetched from a page of its own (some sites name their front page as every article's canonical link:
    taken at its word, each article after the first would be 'already known')."""
    if canonical and fetched and _front_page(canonical) and not _front_page(fetched):
        return fetched
    return canonical or fetched


def _front_page(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


# A byline's middle dot or bullet, and what follows it: a date, the reading time, a city, the outlet ("Olena Kovalenko ·
# 07.12.2026", "· 5 min read", "• Digi24"), which trafilatura kept as the author's ("Olena Kovalenko ·", its digits gone).
# A middle dot between two letters is a name's own (Catalan "Paul·la", "Marcel·lí"), not a byline's.
_BYLINE_TAIL = re.compile(r"(?:\s*•|\s+·|·(?=\s|$)).*", re.S)
# A byline's label before the name, which trafilatura drops in English ("By …") and kept in the others: "Автор: Олена
# Коваленко" was stored as "Автор Олена Коваленко", "Autor: Ioana Popescu" as "Autor Ioana Popescu".
# "Text: Olena Kovalenko" too, as German and Central European papers label the writer beside the photographer.
_LABEL = r"(?:author|автор(?:ка)?|текст|texte?|autor(?:ul)?|autoare)"
_BYLINE_LABEL = re.compile(_LABEL + r"\s*:?\s+(?=\w)", re.I)
# A label alone: "Text und Foto: …", which trafilatura parts at its "und"; "By", all a byline of an address left
_LABEL_ALONE = re.compile(rf"(?:by|{_LABEL})\W*", re.I)
# A photographer's or an illustrator's credit beside the byline ("Text: Olena Kovalenko | Foto: Ivan Petrenko"), which
# trafilatura listed as a second author ("Foto Ivan Petrenko"): not who wrote the story.
_CREDIT = re.compile(r"(?:fotos?|photos?|photography|фото|fotografi[ei]|video|відео|видео|illustrations?|ilustrați[ie]"
                     r"|ілюстрації|иллюстрации)(?!\w)", re.I)
# A writer who took the photos too: "Text and photos: Olena Kovalenko", "Текст і фото: Олена Коваленко" (a label, "and",
# a credit), read whole, or the credit after a label alone, where trafilatura parted the byline at its "and"/"und".
_JOINT_LABEL = re.compile(_LABEL + r"\s*(?:and|und|&|/|\+|і|й|та|и|și|şi|si|a)\s*" + _CREDIT.pattern + r"\s*:?\s+(?=\w)",
                          re.I)
_CREDIT_LABEL = re.compile(_CREDIT.pattern + r"\s*:?\s+(?=\w)", re.I)
# An address to write to, in a byline ("Olena Kovalenko, olena@kyivdaily.ua"): trafilatura made a name of it ("Olena Ua").
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_BYLINE_ELEMENT = re.compile(r"author|byline", re.I)
BYLINE_WORDS = 40  # of an element naming an author or a byline, at most, that is a byline: a longer one holds the story


def drop_byline_emails(tree) -> None:
    """Take the e-mail addresses out of ``tree``'s author meta tags and bylines (an element whose class, itemprop or
    rel names an author or a byline), where trafilatura reads the author from: it made one of each address."""
    for element in tree.iter():
        if not isinstance(element.tag, str):  # a comment, a processing instruction
            continue
        if element.tag == "meta":
            if _BYLINE_ELEMENT.search(element.get("name") or element.get("property") or "") and "@" in (
                    element.get("content") or ""):
                element.set("content", _EMAIL.sub("", element.get("content")))
        elif any(_BYLINE_ELEMENT.search(element.get(attribute) or "") for attribute in ("class", "itemprop", "rel")) and (
                len(" ".join(element.itertext()).split()) <= BYLINE_WORDS):  # (not a theme's <article class="author-…">)
            for inner in element.iter():
                if inner.text and "@" in inner.text:
                    inner.text = _EMAIL.sub("", inner.text)
                if inner is not element and inner.tail and "@" in inner.tail:
                    inner.tail = _EMAIL.sub("", inner.tail)


_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SIGNATURE_MARKS = re.compile(r"[\s,;:|/()<>•·–—-]*")
_MAIL_LABEL = re.compile(r"(?i)\b(?:e-?mail|mail|ел\.?\s*пошта|е-?мейл|эл\.?\s*почта)\s*:")


def _unsigned(text: str) -> str:
    """``text`` without the signature under the story, a line or two of its own: the writer's name, maybe labelled,
    and an address to write to ("Text: Olena Kovalenko, olena@kyivdaily.ua"), which was stored as its last paragraph.
    A sentence of the story giving an address ("Send your photos to photos@kyivdaily.ua, the editor said.") stays."""
    lines = text.rstrip().split("\n")
    for _ in range(2):
        if len(lines) < 2 or not _signature(lines[-1]) or lines[-2].rstrip().endswith(":"):
            break  # (an address the line before introduces, "…can write to:", is the story's)
        lines.pop()
    return "\n".join(lines)


def _signature(line: str) -> bool:
    """Whether ``line`` is a writer's signature: at most 8 words, an e-mail address, and besides it only a byline's label
    and up to four capitalised words of a name."""
    if "@" not in line or len(line.split()) > 8:
        return False
    rest = _EMAIL.sub(" ", line).strip()
    if rest == line.strip():
        return False
    rest = _MAIL_LABEL.sub(" ", rest)
    if _BYLINE_LABEL.match(rest):
        rest = _BYLINE_LABEL.sub("", rest, count=1)
    elif ":" in rest:  # a contact the story gives under another label ("Donations: Kyiv Zoo, donate@kyivzoo.ua")
        return False
    words = _NAME_WORD.findall(rest)
    return (len(words) <= 4 and all(word[0].isupper() for word in words)
            and bool(_SIGNATURE_MARKS.fullmatch(_NAME_WORD.sub("", rest))))


def _author(value) -> str | None:
    """The author trafilatura found, without a byline's label before the name ("Автор:", "Text:"), what it writes
    after a middle dot or a bullet ("· 07.12.2026"), or a photographer's credit beside it ("Foto: Ivan Petrenko")."""
    author = _clean(value)
    if not author:
        return None
    names = []
    after_label = False  # (the name before was a label alone: "Text" of "Text und Foto: Olena Kovalenko")
    for name in author.split(";"):  # (trafilatura's "; " between the names a byline's "|", "/", "," or "and" parted)
        name = name.strip()
        joint = _JOINT_LABEL.match(name) or (_CREDIT_LABEL.match(name) if after_label else None)
        after_label = bool(_LABEL_ALONE.fullmatch(name))
        if joint:
            name = name[joint.end():]
        elif _CREDIT.match(name) or after_label:
            continue
        name = _BYLINE_TAIL.sub("", _BYLINE_LABEL.sub("", name, count=1) if _BYLINE_LABEL.match(name) else name)
        if name.strip(" ,;|-–—"):
            names.append(name.strip(" ,;|-–—"))
    return "; ".join(names) or None


def _clean(value) -> str | None:
    value = " ".join(str(value).split()) if value else ""
    return value or None
