"""The list of articles /sources shows, in the chat and the Telegram bot: the corpus's size and dates, newest first."""

from __future__ import annotations

import html

from bot.messages import articles, number, say
from bot.render import one_line


def summary(store, lang: str = "en", markup: bool = False) -> str:
    """"21 articles, dated 2023-04-20 to 2023-04-21": the corpus of ``store`` in a few words (``markup``: Telegram
    HTML, the count bold)."""
    n = len(store.articles)
    dates = store.date_range()
    when = "" if not dates else say("dated_one", lang, date=dates[0]) if dates[0] == dates[-1] else \
        say("dated_range", lang, first=dates[0], last=dates[-1])
    return f"<b>{articles(n, lang)}</b>{html.escape(when)}" if markup else articles(n, lang) + when


def listing(store, lang: str = "en", listed: int = 100, markup: bool = False) -> str:
    """The ``listed`` newest articles of ``store``, one a line (title, date, id), under the summary, and how many more
    there are; ``markup``: Telegram HTML, the titles bold and the ids in italics."""
    total = len(store.articles)
    escape = html.escape if markup else str
    if not total:  # not "I know 0 articles, newest first:" over an empty list
        return escape(say("no_articles", lang))
    lines = [say("sources_intro", lang, summary=summary(store, lang, markup))]
    for article in store.latest_articles(listed):
        # on one line each, as an answer's label: a newline in a .jsonl row's id would make it read as two articles
        title, id_ = one_line(article.title), one_line(article.id)
        date = f", {one_line(article.date)}" if article.date else ""
        lines.append(f"• <b>{escape(title)}</b>{escape(date)} <i>({escape(id_)})</i>" if markup else
                     f"• {title}{date} ({id_})")
    if total > listed:
        lines.append(escape(say("sources_more", lang, n=number(total - listed, lang))))
    return "\n".join(lines)
