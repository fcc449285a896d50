"""The list of articles /sources shows, in the chat and the Telegram bot: the corpus's size and dates, newest first;
``/sources 2`` the next page, ``/sources WORD`` the articles whose title, date or id has that word, ``/sources 2023``
those of a year."""

from __future__ import annotations

import heapq
import html
import re
import unicodedata

from bot.answering.question import CEDILLA
from bot.messages import articles, number, say
from bot.render import one_line
from index.documents import CASE_BLIND, valid_date, year_month

LISTED = 100  # articles a page of /sources names (a Telegram page takes several messages of 4096 units)
ASKED = 200  # characters of what follows /sources that are read: the rest of a longer argument is passed over
_PAGE = re.compile(r"\d{1,7}")  # "/sources 2"; a longer run of digits is a word to find, never a page to reach
_YEAR = re.compile(r"1[89]\d\d|2\d\d\d")  # "/sources 2023" past the last page: the articles of that year
# A month as people type one: "2023-4", "2023/04", "04.2023", "April 2023", "apr. 2023", in Ukrainian, Russian or
# Romanian too: "квітень 2023 р.", "апрель 2023 г.", "aprilie 2023" (see year_month); and a day not as ISO writes it
_MONTH_NUMBERS = re.compile(r"(\d{4})[-/. ](\d{1,2})|(\d{1,2})[-/. ](\d{4})")  # "2023 04", "04 2023" too
_MONTH_NAMED = re.compile(r"([^\W\d_]{3,10}\.?) (\d{4})(?: ?[рг]\.| року| года)?")
_DAY_NUMBERS = re.compile(r"(\d{4})([-. ])(\d{1,2})\2(\d{1,2})")


def summary(store, lang: str = "en", markup: bool = False) -> str:
    """"21 articles, dated 2023-04-20 to 2023-04-21": the corpus of ``store`` in a few words (``markup``: Telegram
    HTML, the count bold); "280 articles, 224 dated 2023-01-02 to 2023-10-07, 56 undated" when some have no date."""
    n = len(store.articles)
    dates = store.date_range()
    undated = store.undated_count() if dates else 0
    if not dates:
        when = ""
    elif undated:  # not "dated 2023-04-20" of articles some of which have no date
        key = "dated_some_one" if dates[0] == dates[-1] else "dated_some_range"
        when = say(key, lang, date=dates[0], first=dates[0], last=dates[-1], dated=number(n - undated, lang),
                   undated=number(undated, lang))
    else:
        when = say("dated_one", lang, date=dates[0]) if dates[0] == dates[-1] else \
            say("dated_range", lang, first=dates[0], last=dates[-1])
    return f"<b>{articles(n, lang)}</b>{html.escape(when)}" if markup else articles(n, lang) + when


def asked(text: str) -> tuple[str, int]:
    """What follows /sources, ``text``: the words to find (one line, case-folded) and the page asked for.

    A number written with a leading zero that ends a month or a day is no page: "2023 04" is April 2023 ("2023 4" is
    page 4 of "2023" while there is one, as the listing names its pages).

    >>> asked(""), asked("2"), asked("  NATO  summit 3 "), asked("0"), asked("2023 04"), asked("02")
    (('', 1), ('', 2), ('nato summit', 3), ('', 1), ('2023 04', 1), ('', 2))
    """
    words = " ".join(text[:ASKED].split())
    last = words.rsplit(" ", 1)
    page = 1
    if _PAGE.fullmatch(last[-1]) and not (len(last) == 2 and last[-1].startswith("0") and _when(words)):
        page, words = max(int(last[-1]), 1), last[0] if len(last) == 2 else ""
    return _folded(words), page


def _folded(text: str) -> str:
    """``text`` on one line, case-folded, a Turkish capital "İ" a plain "i" (not "i" and a combining dot above) and so
    a small dotless "ı" (which case-folds to itself): "APRİL 2023" and "aprıl 2023" are April 2023, "istanbul" finds
    "İstanbul" and "diyarbakir" "Diyarbakır", as dates read them (index.documents' CASE_BLIND).

    >>> _folded("APRİL 2023"), _folded("İstanbul"), _folded("aprıl 2023"), _folded("Diyarbakır")
    ('april 2023', 'istanbul', 'april 2023', 'diyarbakir')

    A letter typed two ways is one: a Romanian "ş"/"ţ" with a cedilla (an old keyboard's) the "ș"/"ț" with a comma below,
    as questions read them, and an accent typed apart (a Mac's copy and paste: "e" and U+0301) the accented letter.

    >>> _folded("IAŞI"), _folded("cafe\u0301") == "café"
    ('iași', True)
    """
    return unicodedata.normalize("NFC", one_line(text)).translate(CASE_BLIND).casefold().replace("i\u0307", "i") \
        .translate(CEDILLA)


def _when(words: str) -> str | None:
    """The ISO month or day ("2023-04", "2023-04-20") ``words`` name as people type one, else None; the articles of it
    are found whatever their title says.

    >>> _when("2023-4"), _when("04.2023"), _when("april 2023"), _when("20.04.2023"), _when("april 20, 2023")
    ('2023-04', '2023-04', '2023-04', '2023-04-20', '2023-04-20')
    >>> _when("квітень 2023 р."), _when("aprilie 2023"), _when("апрель 2023"), _when("20 квітня 2023")
    ('2023-04', '2023-04', '2023-04', '2023-04-20')
    >>> _when("2023"), _when("13.2023"), _when("bulletin 2023"), _when("31.02.2023"), _when("лист 2023")
    (None, None, None, None, None)
    """
    if found := _MONTH_NUMBERS.fullmatch(words):
        year, month = found.group(1, 2) if found.group(1) else found.group(4, 3)
        day = valid_date(f"{year}/{month}/1")
    elif found := _MONTH_NAMED.fullmatch(words):
        month = year_month(found.group(1))
        day = valid_date(f"{found.group(2)}/{month}/1") if month else None
    elif found := _DAY_NUMBERS.fullmatch(words):
        return valid_date("/".join(found.group(1, 3, 4)))
    else:
        return valid_date(words)  # "20.04.2023", "april 20, 2023", "20 квітня 2023" (None past 100 chars)
    return day[:7] if day else None


def _key(article):
    return article.date or "", article.title  # latest_articles' order: newest first, undated last


def listing(store, lang: str = "en", listed: int = LISTED, markup: bool = False, ask: str = "") -> str:
    """The ``listed`` newest articles of ``store``, one a line (title, date, id), under the summary, and how many more
    there are and how to list them; ``ask``: what followed /sources, a page ("2") and/or words the title, date or id
    has;
    ``markup``: Telegram HTML, the titles bold and the ids in italics."""
    total = len(store.articles)
    escape = html.escape if markup else str
    if not total:  # not "I know 0 articles, newest first:" over an empty list
        return escape(say("no_articles", lang))
    return _listing(store, lang, listed, markup, *asked(ask))


def _listing(store, lang: str, listed: int, markup: bool, words: str, page: int, again: bool = True) -> str:
    """listing's page ``page`` of the articles whose title, date or id has ``words`` (all of them without); ``again``: a
    page past the last of ``words`` looks for "``words`` ``page``" once, as words, never read again from text (cut at
    ASKED characters, "WORDS 22 1" would be "WORDS 22" again)."""
    total = len(store.articles)
    escape = html.escape if markup else str
    if words:  # every article read once, only the pages up to the one asked for held
        when = _when(words)
        found = [a for a in store.articles.values()
                 if words in _folded(a.title) or words in _folded(a.id) or words in _folded(a.date or "")
                 or when and (a.date or "").startswith(when)]
        total, shown = len(found), heapq.nlargest(min(page * listed, len(found)), found, key=_key)
        if not total and not (again and page > 1):  # "/sources april 2023": "april" is none's, "april 2023" a month
            return escape(say("sources_none_found", lang, words=words))
    else:
        shown = store.latest_articles(min(page, -(-total // listed)) * listed) if page > 1 else \
            store.latest_articles(listed)
    pages = -(-total // listed)
    if page > pages:
        # "/sources day 100" past the last page of "day": the articles whose title has "day 100"; "/sources 2023" past
        # the last of them all: those of the year, and a year of none is told so, not a page (a shorter number past
        # the last page is not a word: "/sources 2" would be every article with a 2 in its date)
        if again and (words or _YEAR.fullmatch(str(page))):
            whole = f"{words} {page}".lstrip()
            found = _listing(store, lang, listed, markup, whole, 1, again=False)
            # a month of none ("/sources may 2024") is told so, but not over a page of a number that has some
            # ("/sources 2023 2" of one page of 2023: page 2, as the listing names its pages, not February); a year
            # after a month ("/sources 02 2023") is no page of its number, but the month
            page_of_number = total and _PAGE.fullmatch(words) and not _YEAR.fullmatch(str(page))
            if not words or _when(whole) and not page_of_number or \
                    found != escape(say("sources_none_found", lang, words=whole)):
                return found
        if not total:
            return escape(say("sources_none_found", lang, words=words))
        return escape(say("sources_no_page" if pages > 1 else "sources_one_page", lang, command=_command(words, pages)))
    shown = shown[(page - 1) * listed:page * listed]
    first, last = (page - 1) * listed + 1, (page - 1) * listed + len(shown)
    if words:
        intro = say("sources_found", lang, count=articles(total, lang), words=words)
    elif page > 1:
        intro = say("sources_page", lang, first=number(first, lang), last=number(last, lang),
                    total=number(total, lang))
    else:
        intro = None
    lines = [escape(intro) if intro else say("sources_intro", lang, summary=summary(store, lang, markup))]
    for article in shown:
        # on one line each, as an answer's label: a newline in a .jsonl row's id would make it read as two articles
        title, id_ = one_line(article.title), one_line(article.id)
        date = f", {one_line(article.date)}" if article.date else ""
        lines.append(f"• <b>{escape(title)}</b>{escape(date)} <i>({escape(id_)})</i>" if markup else
                     f"• {title}{date} ({id_})")
    if total > last:
        command = _command(words, page + 1)
        lines.append(escape(say("sources_more_found" if words else "sources_more", lang,
                                n=number(total - last, lang), command=command)))
    return "\n".join(lines)


def _command(words: str, page: int) -> str:
    """"/sources 2", "/sources nato 2": how that page is asked for (its first page, "/sources nato"; of words ending in
    a number, "/sources 2023 1": "/sources 2023" is page 2,023 of them all)."""
    numbered = page > 1 or bool(words) and bool(_PAGE.fullmatch(words.rsplit(" ", 1)[-1]))
    return " ".join(filter(None, ("/sources", words, str(page) if numbered else "")))


def every(store) -> list[dict]:
    """Every article of ``store``, newest first, as a JSON answer's sources name theirs (``doc``, ``title``, ``date``,
    ``url``: its web address when a reader can open it, else None): what "What articles do you have?" gets in JSON."""
    from bot.answering.records import Source

    return [{"doc": a.id, "title": a.title, "date": a.date, "url": Source(a.id, a.title, a.date, "", 0, 0, 0.0, url=a.url).link}
            for a in store.latest_articles(len(store.articles))]
