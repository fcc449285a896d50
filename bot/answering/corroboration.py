"""Corroboration: the sources of an answer, with the other articles that say the same thing first.

>>> sources, corroborating, disputing = Corroborator(store).sources(best, candidates)   # doctest: +SKIP
"""

from __future__ import annotations

import re

import numpy as np

from bot.answering.records import Source
from bot.language import latin_variants, name_spellings, names
from bot.answering.sentences import Candidate
from index.near_duplicates import dateline, disagree
from index.search import Hit

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")  # words, numbers and each mark: what goes before a word


def day(date: str | None) -> str | None:
    """The YYYY-MM-DD day an article's ``date`` opens with (comparable as text), or None."""
    return date[:10] if date and _DAY.match(date) else None


class Corroborator:
    """Lists up to ``max_sources`` distinct passages: the answer's, then those of other articles
    whose sentence says what the answer sentence says (sentence cosine >= ``corroboration``), then
    those whose such sentence states other figures (``disagree``: reported differently), then
    further evidence. Overlapping windows of one article and near-identical passages (cosine >=
    0.95) never take two slots, but among the sources a passage that states other figures than the
    one it is near-identical to is the story moved on, not a copy.

    >>> Corroborator(store, max_sources=3).distinct(hits)   # doctest: +SKIP
    """

    def __init__(self, store, max_sources: int = 5, corroboration: float = 0.6):
        if not 0 < max_sources <= 50:
            raise ValueError("max_sources must be between 1 and 50")
        if not 0.0 <= corroboration <= 1.0:
            raise ValueError("corroboration is a cosine between 0 and 1")
        self.store = store
        self.max_sources = max_sources
        self.corroboration = corroboration

    def sources(self, best: Candidate, candidates: list[Candidate], translations: frozenset[str] = frozenset(),
                asked: tuple[str | None, ...] = ()) -> tuple[list[Source], int, int]:
        """The answer's sources, best first, how many after the first corroborate it and how many after those
        report it with other figures. The passages ``translations`` names are in another language than the
        answer's: however near its words they read to the model, each is another outlet's report, not a copy.
        A passage stating other figures that lacks a name of the question (``asked``) that ``best``'s gives does not
        report it differently (see ``latest``): it is further evidence."""
        hits = [best.hit] + [c.hit for c in candidates if c is not best]
        chosen = self.distinct(hits, limit=self.max_sources, figures=True, translations=translations)
        svec = self._said(best)
        named = _names_asked(best, asked)
        corroborating, disputing, others = [], [], []
        for hit in chosen[1:]:
            match = None
            if hit.passage.doc != best.hit.passage.doc and not any(s.doc == hit.passage.doc
                                                                   for s in corroborating + disputing):
                match = self.corroborates(hit, svec)
            if match is not None and disagree(best.text, _text(hit, match)) and not _gives(hit, named):
                match = None  # other figures of another place or person: another fact, not another report of it
            if match is None:
                others.append(self.source(hit, None))
            elif disagree(best.text, _text(hit, match)):
                disputing.append(self.source(hit, match))  # the same statement, another count: no corroboration
            else:
                corroborating.append(self.source(hit, match))
        sources = ([self.source(best.hit, best.quoted[0])] + corroborating + disputing + others)[: self.max_sources]
        shown = min(len(corroborating), self.max_sources - 1)
        return sources, shown, min(len(disputing), self.max_sources - 1 - shown)

    def latest(self, best: Candidate, rivals: list[Candidate], asked: tuple[str | None, ...] = ()) -> Candidate:
        """``best``, or the candidate among ``rivals`` of the latest article, dated after ``best``'s, whose sentence
        says what ``best``'s says with other figures: the story as it stands ("rose to 15" on Tuesday, not "rose to
        12" on Sunday). An undated article, or one of the same day, is never taken for the later; nor one whose
        passage lacks a name of the question (``asked``: it and the question it follows) that ``best``'s gives, in
        any spelling: e5 reads "the price of bread in Kyiv rose to 35 UAH" and "the price of pork in Kharkiv reached
        245 UAH" as the same fact (0.91), and another town's later toll is not the update of the one asked about."""
        newest = day(self.store.articles[best.hit.passage.doc].date)
        svec = self._said(best)
        if newest is None or svec is None:
            return best
        named = _names_asked(best, asked)
        chosen = best
        for rival in rivals:
            when = day(self.store.articles[rival.hit.passage.doc].date)
            if when is None or when <= newest or not disagree(best.text, rival.text) or dateline(rival.text):
                continue
            if not _gives(rival.hit, named):
                continue
            vec = self.store.sentence_vector(rival.hit.passage.doc, *rival.sentence)
            if vec is not None and float(vec @ svec) >= self.corroboration:
                chosen, newest = rival, when
        return chosen

    def saying_the_same(self, best: Candidate, candidates: list[Candidate]) -> list[Candidate]:
        """The ``candidates`` whose sentence, of another article than ``best``'s, says what ``best``'s says (in any
        figures)."""
        svec = self._said(best)
        if svec is None:
            return []
        same = []
        for candidate in candidates:
            if candidate.hit.passage.doc != best.hit.passage.doc and not dateline(candidate.text):
                vec = self.store.sentence_vector(candidate.hit.passage.doc, *candidate.sentence)
                if vec is not None and float(vec @ svec) >= self.corroboration:
                    same.append(candidate)
        return same

    def _said(self, candidate: Candidate):
        """The vector of ``candidate``'s sentence, or None where it says nothing another report could say: a dateline
        alone ("Constanța, 15 iunie 2026."), which e5 reads as near every other story's (0.94) and any dated
        sentence."""
        if dateline(candidate.text):
            return None
        return self.store.sentence_vector(candidate.hit.passage.doc, *candidate.sentence)

    def corroborates(self, hit: Hit, svec) -> tuple[int, int] | None:
        """The sentence of ``hit`` that says what the answer sentence says, if any."""
        if svec is None:
            return None
        best, best_sim = None, self.corroboration
        for span in hit.passage.sentences:
            if dateline(_text(hit, span)):
                continue  # a place and a day alone report nothing, though e5 reads them as near any dated sentence
            vec = self.store.sentence_vector(hit.passage.doc, *span)
            if vec is not None and float(vec @ svec) >= best_sim:
                best, best_sim = span, float(vec @ svec)
        return best

    def distinct(self, hits: list[Hit], limit: int | None = None, figures: bool = False,
                 translations: frozenset[str] = frozenset()) -> list[Hit]:
        """Up to ``limit`` hits minus overlapping windows of one article and near-identical passages (with
        ``figures``, those that state the figures of each passage kept they are near-identical to; never the
        passages ``translations`` names)."""
        kept: list[Hit] = []
        vectors: list[np.ndarray] = []
        for hit in hits:
            p = hit.passage
            if any(k.passage.doc == p.doc and k.passage.start < p.end and p.start < k.passage.end for k in kept):
                continue
            vector = self.store.vector(p.id)
            near = np.flatnonzero(np.stack(vectors) @ vector >= 0.95) if vectors else []
            # A wire story run again two days on, word for word but "rose to 9" for "rose to 6", is as near as a copy
            # (0.96 with MiniLM, and e5's cosines run higher): dropped, its earlier toll was never reported differently
            if len(near) and p.id not in translations \
                    and not (figures and all(disagree(kept[k].passage.text, p.text) for k in near)):
                continue
            kept.append(hit)
            vectors.append(vector)
            if limit is not None and len(kept) >= limit:
                break
        return kept

    def source(self, hit: Hit, sentence: tuple[int, int] | None) -> Source:
        info = self.store.articles[hit.passage.doc]
        p = hit.passage
        return Source(info.id, info.title, info.date, p.text, p.start, p.end, hit.score, sentence, info.url)


def _names_asked(best: Candidate, asked: tuple[str | None, ...]) -> list[frozenset[str]]:
    """The spellings of each name of the questions ``asked`` that ``best``'s passage gives. A word the question writes
    with a capital, past its first, is a name where the passage gives it with one; a word it writes in lower case, or
    opens with ("how many died in the riverton floods?", "Riverton floods: how many died?", as typed in a chat), where
    the passage gives it with a capital within a sentence, not opening one (as "The" does); so does a word in capitals
    ("HOW MANY DIED IN THE RIVERTON FLOODS?": RIVERTON, not THE). Names written one after the other are one name,
    given by either ("Volodymyr Zelensky", and Tuesday's "Zelensky said"); an initial is none ("U.S.").
    The question a follow-up follows counts only where the follow-up names none of the passage's:
    "and how many died in Millbrook?" after "How many died in Riverton?" asks Millbrook's toll, though its passage names
    Riverton upstream."""
    text = best.hit.passage.text
    given = _named(text)
    for question in asked:
        if not question:
            continue
        within = _named_within(text, question)
        capitalised = {word for word in names(question) if not word.isupper()}  # capitals tell no name
        spelt, after = [], None
        for match in _WORD.finditer(question):
            word, spellings = match.group(), name_spellings(match.group())
            if len(word) < 2 or not spellings & (given if word in capitalised else within):
                after = None  # an initial is no name: "the U.S." is "the United States" in a later report
            elif after is not None and question[after:match.start()].isspace():
                spelt[-1] |= spellings  # "Volodymyr Zelensky": one person, whom a later report gives by either name
                after = match.end()
            else:
                spelt.append(spellings)
                after = match.end()
        if spelt:
            return [_respelt(spellings) for spellings in spelt[:_RESPELT]] + spelt[_RESPELT:]
    return []


_RESPELT = 16  # names of a question given their transliterations' spellings: a question names a few, a pasted page more


def _respelt(spellings: frozenset[str]) -> frozenset[str]:
    """``spellings`` and the other transliterations of each (``latin_variants``): another outlet writes Zelensky
    Zelenskyy."""
    return spellings | {variant for spelt in spellings for variant in latin_variants(spelt)}


def _gives(hit: Hit, named: list[frozenset[str]]) -> bool:
    """True when ``hit``'s passage gives each of the names ``named`` (their spellings), in one spelling or another."""
    if not named:
        return True
    spelt = _named(hit.passage.text)
    return all(name & spelt for name in named)


def _named(text: str) -> frozenset[str]:
    """The spellings of every word ``text`` writes with a capital (``bot.language.name_spellings``)."""
    capitalised = {word for word in _WORD.findall(text) if word[0].isupper()}
    return frozenset(s for word in capitalised for s in name_spellings(word))


def _named_within(text: str, question: str) -> frozenset[str]:
    """The spellings of every word ``text`` writes with a capital after a word or a comma: a name, not a sentence's
    first word ("flooded Riverton", not "The death toll"); of a name of several words, only where ``question`` gives
    each ("the emergency service" is no name for "the State Emergency Service said", "new york" is one)."""
    asked = {s for word in _WORD.findall(question) for s in name_spellings(word)}
    capitalised, run, previous = set(), [], ""
    for token in _TOKEN.findall(text) + [""]:
        named = token[:1].isupper() and (previous[:1].isalnum() or previous == ",")
        if not (named and run and previous == run[-1]):  # a name's words, one after the other, end
            if all(name_spellings(word) & asked for word in run):
                capitalised.update(run)
            run = []
        if named:
            run.append(token)
        previous = token
    return frozenset(s for word in capitalised for s in name_spellings(word))


def _text(hit: Hit, span: tuple[int, int]) -> str:
    """The sentence at article offsets ``span`` of ``hit``'s passage."""
    return hit.passage.text[span[0] - hit.passage.start : span[1] - hit.passage.start]
