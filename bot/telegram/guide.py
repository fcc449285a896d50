"""What /start, /help and /sources say about the corpus, with example questions the engine answers."""

from __future__ import annotations

import html
import re
from collections import Counter

from bot.answer import AnswerEngine
from bot.messages import say
from bot.sources import listing, summary
from index.lexical import STOPWORDS

# A name word is a whole word (letters, digits, ’ ' -) that starts with A-Z and has a-z after it; a name is two
# or more such words apart by spaces or tabs only. Possessive quantifiers, and the lowercase look-ahead tried only
# at a word's start, keep a match linear in the text (the pattern it replaces backtracked: a 700-character
# "AA…aa" run took half a second).
_NAME_WORD = r"(?<![\w’'-])[A-Z](?=[\w’'-]*?[a-z])[\w’'-]*+"
_NAME = re.compile(rf"{_NAME_WORD}(?:[ \t]++{_NAME_WORD})++")


class Guide:
    """What /start, /help and /sources say about the corpus of ``store``; examples are verified with ``engine``.

    >>> guide = Guide(engine)                           # doctest: +SKIP
    >>> guide.examples()                                # doctest: +SKIP
    ['What do the articles say about Jens Stoltenberg?', ...]
    """

    def __init__(self, engine: AnswerEngine, listed: int = 100, sampled: int = 5000):
        """``listed``: articles /sources names; ``sampled``: passages (spread over the corpus) read for example names."""
        if listed < 1 or sampled < 1:
            raise ValueError("listed and sampled must be >= 1")
        self.engine = engine
        self.store = engine.store
        self.build = getattr(self.store, "build", None)  # a PostgreSQL store moves to new builds under one engine
        self.listed = listed
        self.sampled = sampled
        self._examples: list[str] | None = None

    def of(self, engine: AnswerEngine) -> bool:
        """True when this guide is of ``engine``'s build: its examples are the names that build answers about."""
        return engine is self.engine and getattr(engine.store, "build", None) == self.build

    def summary(self, lang: str = "en") -> str:
        return summary(self.store, lang, markup=True)

    def examples(self, count: int = 2, tries: int = 6, lang: str = "en") -> list[str]:
        """Questions about the names the articles mention most that the engine does answer (computed once, in English)."""
        if self._examples is None:
            found = []
            for name in self._names(tries):
                if len(found) < count and self.engine.ask(say("example_question", "en", name=name)).found:
                    found.append(name)
            self._examples = found
        return [say("example_question", lang, name=name) for name in self._examples]

    def _names(self, most: int) -> list[str]:
        """The ``most`` multi-word capitalised names mentioned by the most articles, then most often (in the sampled
        passages); a name inside one already chosen, or holding one, is left out."""
        count, docs = Counter(), {}
        for passage in self.store.sample_passages(self.sampled):
            for match in _NAME.finditer(passage.text):
                words = match.group(0).split()
                while words and words[0].lower() in STOPWORDS:
                    words = words[1:]
                if len(words) >= 2:
                    name = " ".join(words)
                    count[name] += 1
                    docs.setdefault(name, set()).add(passage.doc)
        ranked = sorted(count, key=lambda n: (-len(docs[n]), -count[n], n))
        chosen: list[str] = []
        for name in ranked:
            if len(chosen) == most:
                break
            if not any(name in other or other in name for other in chosen):
                chosen.append(name)
        return chosen

    def help_html(self, lang: str = "en") -> str:
        examples = self.examples(lang=lang)
        # the last article removed: "I answer questions about 0 articles" said nothing of how any come in
        intro = say("help_intro", lang, summary=self.summary(lang)) if len(self.store.articles) else \
            html.escape(say("no_articles", lang))
        lines = [intro, "", html.escape(say("help_how", lang))]
        if examples:
            lines += ["", say("for_example", lang)] + [f"• {html.escape(q)}" for q in examples]
        lines += ["", html.escape(say("help_more", lang))]
        return "\n".join(lines)

    def sources_html(self, lang: str = "en", ask: str = "") -> str:
        """/sources' list; ``ask``: what followed the command, a page ("2") and/or words a title or id has."""
        return listing(self.store, lang, self.listed, markup=True, ask=ask)
