"""A source saved with an earlier answer, read again in the build in hand: the articles may have changed since.

"More sources" shows passages that an answer found, maybe hours and several builds ago; meanwhile an article may
have been retracted, corrected, moved into a folder or renamed. What was quoted is shown again only where the
article still holds it verbatim, at the offsets it has now; else the reader is told the article was removed or no
longer says it.

>>> as_it_reads_now(store, source).revision   # doctest: +SKIP
'removed'
"""

from __future__ import annotations

from dataclasses import replace

from bot.answering.records import CHANGED, REMOVED, UPDATED, Source

_LOOKUP = 500  # characters of the quoted text that find the article it moved to
_MOVED_TO = 20  # passages looked at for it


def quoted(source: Source) -> str:
    """What ``source`` quoted: its answer sentence, or its whole passage when it marks none."""
    if source.sentence is None:
        return source.passage
    return source.passage[source.sentence[0] - source.start:source.sentence[1] - source.start]


def as_it_reads_now(store, source: Source) -> Source:
    """``source`` as ``store``'s build has it. The same object when its article still reads so; at its new place when
    the article, or the article it moved to, still holds the quoted text verbatim (``revision`` "updated" when more
    than the article id changed: its words around the quote, its offsets, title, date or address); else a source
    with no passage, ``revision`` "removed" or "changed"."""
    words = quoted(source)
    info = store.articles.get(source.doc)
    present = info is not None
    # the article under another id only where its own is gone or now another article's: not a copy of it elsewhere
    # (a local file's duplicate, of the same title and no address) while it is there and no longer says it
    moved = [] if present and _same_article(info, source) else _moved_to(store, source, words)
    for doc in ([source.doc] if present else []) + moved:
        found = _holding(store, doc, source, words)
        if found is None:
            continue
        info = store.articles[doc]
        now = replace(found, title=info.title, date=info.date, url=info.url)
        if now == source:
            return source
        return replace(now, revision=None if replace(now, doc=source.doc) == source else UPDATED)
    return replace(source, passage="", sentence=None, revision=CHANGED if present else REMOVED)


def _same_article(info, source: Source) -> bool:
    """True when the article ``info`` is the one ``source`` was cut from, whatever its id now: of the same web address
    (a story corrected at its address may have a new title, so a new file name), else of the same title."""
    return info.url == source.url if source.url else info.url is None and info.title == source.title


def _moved_to(store, source: Source, words: str) -> list[str]:
    """Other articles that may hold ``words`` and are ``source``'s under a new id (a file renamed or moved into a
    folder, a story corrected at its address stored anew, a .jsonl row renumbered by a deletion before it), not
    another outlet's copy."""
    pids, _ = store.lexical_search(words[:_LOOKUP], _MOVED_TO)
    docs: list[str] = []
    for doc in dict.fromkeys(store.passage(pid).doc for pid in pids.tolist()):
        info = store.articles.get(doc)
        if doc != source.doc and info is not None and _same_article(info, source):
            docs.append(doc)
    return docs


def _holding(store, doc: str, source: Source, words: str) -> Source | None:
    """``source`` as article ``doc`` has it now: its passage, where the article still holds it verbatim (nearest to its
    old place); else the passage now holding its quoted sentence; None when the article no longer holds the quote."""
    passages = store.article_passages(doc)
    spans = _spans(passages)
    at = _nearest(spans, source.passage, source.start)
    if at is not None:
        moved = at - source.start
        sentence = None if source.sentence is None else (source.sentence[0] + moved, source.sentence[1] + moved)
        return replace(source, doc=doc, start=at, end=at + len(source.passage), sentence=sentence)
    at = _nearest(spans, words, source.sentence[0]) if source.sentence is not None else None
    if at is None:
        return None
    end = at + len(words)
    holding = [p for p in passages if p.start <= at and end <= p.end]
    if not holding:  # the sentence is cut across passages now: shown alone
        return replace(source, doc=doc, passage=words, start=at, end=end, sentence=(at, end))
    p = min(holding, key=lambda p: abs(p.start - (source.start + at - source.sentence[0])))
    return replace(source, doc=doc, passage=p.text, start=p.start, end=p.end, sentence=(at, end))


def _nearest(spans: list[tuple[int, str]], words: str, was: int) -> int | None:
    """The article offset where ``words`` stand in ``spans`` nearest to ``was``; None where they stand nowhere."""
    return min((start + i for start, text in spans for i in _finds(text, words)), key=lambda i: abs(i - was),
               default=None)


def _spans(passages) -> list[tuple[int, str]]:
    """The article's text as its passages (in order, overlapping) cover it: (start, text) of each stretch."""
    spans: list[list] = []
    for p in passages:
        if spans and p.start <= spans[-1][0] + len(spans[-1][1]):
            start, text = spans[-1]
            if p.end > start + len(text):
                spans[-1][1] = text + p.text[start + len(text) - p.start:]
        else:
            spans.append([p.start, p.text])
    return [(start, text) for start, text in spans]


def _finds(text: str, words: str):
    """Every place ``words`` starts in ``text``."""
    i = text.find(words)
    while i >= 0:
        yield i
        i = text.find(words, i + 1)
