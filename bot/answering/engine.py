"""The answer engine: question in, cited ``Answer`` out, through the stages of ``bot.answering``.

>>> engine = AnswerEngine(Searcher(store, embedder))       # doctest: +SKIP
>>> answer = engine.ask("where is the summit?")            # doctest: +SKIP
>>> answer.tier, round(answer.confidence, 2)                # doctest: +SKIP
('confident', 0.83)
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager

from bot.answering.answerability import WEIGHTS, Answerability, CorpusTerms
from bot.answering.corroboration import Corroborator
from bot.answering.question import analyse, as_the_articles_spell, asked, readable, uncontracted, without_links
from bot.answering.records import Answer, Source
from bot.answering.retrieval import Retriever
from bot.answering.revisions import as_it_reads_now
from bot.language import CYRILLIC_LANGUAGES, LANGUAGES, a_name, detect, garbled, legible, says_nothing
from bot.answering.sentences import Candidate, SentenceScorer
from index.add import canonical
from index.search import Searcher

_TOLD_BY = 400  # characters of a passage that tell its language
NAMED_PASSAGES = 20  # passages read to tell whether the articles write a word as a name (a mistyped name's)

# Confidence below which the answer is "not found" (picked on SQuAD dev only, see docs/quality.md),
# and from which it is shown without reservation.
DEFAULT_THRESHOLD = 0.20
DEFAULT_CONFIDENT = 0.5


class BuildGate:
    """Questions share the store's build; moving the store to another build waits for them and holds new ones back."""

    def __init__(self):
        self._changed = threading.Condition()
        self._questions = 0  # questions holding the build
        self._moving = False
        self._waiting = 0  # moves waiting: new questions wait behind them, or a stream of questions would starve them

    @contextmanager
    def shared(self):
        with self._changed:
            self._changed.wait_for(lambda: not self._moving and not self._waiting)
            self._questions += 1
        try:
            yield
        finally:
            with self._changed:
                self._questions -= 1
                self._changed.notify_all()

    @contextmanager
    def exclusive(self):
        with self._changed:
            self._waiting += 1
            try:
                self._changed.wait_for(lambda: not self._moving and not self._questions)
            finally:
                self._waiting -= 1
                self._changed.notify_all()  # questions held back by a move that gave up waiting go on
            self._moving = True
        try:
            yield
        finally:
            with self._changed:
                self._moving = False
                self._changed.notify_all()


def _address(link: str | None) -> str | None:
    """``link`` as `citebot add` compares links, None for one no address can be read from ("https://[oops", an unclosed
    IPv6 bracket: urlsplit raised, and the question got a traceback): it names no article."""
    try:
        return canonical(link)
    except ValueError:
        return None


class AnswerEngine:
    """Analyses the question, retrieves, scores sentences, judges answerability, corroborates.

    ``threshold`` and ``confident`` split the calibrated confidence into three tiers: below
    ``threshold`` "not found"; from ``confident`` on, a confident answer; in between the closest
    passage is shown as possibly not answering. ``choose`` is how many of the best candidates the
    answerability model (the packaged weights file ``weights``; each embedding model has its own, see
    ``bot.calibration``) compares. A model that reads other languages than the corpus's
    (``cross_lingual_bias`` set) judges a question in one of them by its own answerability model
    (``foreign_weights``, trained on translated dev questions) against ``foreign_threshold`` (default:
    the not-found threshold that model's training learned); the tiers are the same. That model learned
    from Wikipedia articles, where the passage nearest to a question is always of some related topic;
    ``score_floor`` keeps its nearness to the corpus at all: a foreign question whose best fused score,
    plus ``cognate_weight`` x the share of its names met in the passage, stays under it is not found.
    ``cross_lingual_as_passage``: a foreign question is also embedded as a passage is, and each sentence's
    cosine with that vector, times this weight, adds to its score (e5 places a text and its translation
    close together as passages, and a question read that way meets the sentence that restates it).
    ``languages``: the question languages the model reads, when known
    (a not-found answer to a question in another says so). ``context_weight``: how much a sentence
    that opens with a pronoun counts the question's terms only the sentence before it holds
    (``SentenceScorer``).

    >>> engine = AnswerEngine(Searcher(store, embedder), threshold=0.5)   # doctest: +SKIP
    >>> engine.ask("Who wrote Hamlet?").found                              # doctest: +SKIP
    False
    """

    def __init__(
        self,
        searcher: Searcher,
        threshold: float = DEFAULT_THRESHOLD,
        confident: float | None = None,
        max_sources: int = 5,
        corroboration: float = 0.6,
        rerank: int = 30,
        sentence_weight: float = 1.0,
        lexical_weight: float = 1.0,
        cue_weight: float = 0.1,
        context_weight: float = 0.75,
        choose: int = 5,
        weights: str = WEIGHTS,
        foreign_weights: str | None = None,
        foreign_threshold: float | None = None,
        score_floor: float | None = None,
        cognate_weight: float = 0.0,
        cross_lingual_bias: float | None = None,
        cross_lingual_sentence_weight: float = 0.5,
        cross_lingual_as_passage: float = 0.0,
        languages: tuple[str, ...] | None = None,
    ):
        confident = max(DEFAULT_CONFIDENT, threshold) if confident is None else confident
        if confident < threshold:
            raise ValueError("the confident threshold must be >= the not-found threshold")
        if rerank < 1 or choose < 1:
            raise ValueError("rerank and choose must be >= 1")
        if not 0.0 <= threshold <= 1.0 or not 0.0 <= confident <= 1.0:
            raise ValueError("threshold and confident are probabilities between 0 and 1")
        if cross_lingual_sentence_weight < 0 or cognate_weight < 0 or cross_lingual_as_passage < 0:
            raise ValueError("weights must be >= 0")
        if foreign_threshold is not None and not 0.0 <= foreign_threshold <= 1.0:
            raise ValueError("foreign_threshold is a probability between 0 and 1")
        if cross_lingual_bias is not None and not foreign_weights:
            raise ValueError("a cross-lingual model needs foreign_weights to judge foreign questions")
        self._foreign_threshold = foreign_threshold
        self.score_floor = score_floor
        self.cognate_weight = cognate_weight
        self.cross_lingual_bias = cross_lingual_bias
        self.cross_lingual_sentence_weight = cross_lingual_sentence_weight
        self.cross_lingual_as_passage = cross_lingual_as_passage
        self.languages = None if languages is None else tuple(languages)
        self._corpus_language: tuple[str, frozenset[str]] | None = None
        self._passage_languages: dict = {}
        self.searcher = searcher
        self.store = searcher.store
        self.threshold = float(threshold)
        self.confident = float(confident)
        self.choose = choose
        self.retriever = Retriever(searcher, depth=max(rerank, max_sources))
        self.scorer = SentenceScorer(self.store, sentence_weight, lexical_weight, cue_weight, context_weight)
        self.corroborator = Corroborator(self.store, max_sources, corroboration)
        self.weights = weights
        self.foreign_weights = foreign_weights
        self.model: Answerability | None = None
        self.foreign_model: Answerability | None = None
        self.corpus = CorpusTerms(self.store)
        self._links: tuple[CorpusTerms, dict[str, frozenset[str]]] | None = None  # a build's articles by link
        self.gate = BuildGate()

    @property
    def max_sources(self) -> int:
        return self.corroborator.max_sources

    def answerability(self) -> Answerability:
        if self.model is None:
            self.model = Answerability.load(name=self.weights)
        return self.model

    def foreign_answerability(self) -> Answerability:
        """The answerability model of questions in another language than the corpus's (loaded once)."""
        if self.foreign_model is None:
            self.foreign_model = Answerability.load(name=self.foreign_weights)
        return self.foreign_model

    def warm_up(self) -> None:
        """Load the model now rather than on the first question."""
        self.searcher.embed_query("warm up")
        self.answerability()
        if self.foreign_weights:
            self.foreign_answerability()

    def ask(self, question: str, context: str | None = None, exclude: frozenset[str] = frozenset(),
            besides: frozenset[str] = frozenset()) -> Answer:
        """Answer ``question``; ``context`` is the earlier question a follow-up leans on.

        ``exclude`` holds article ids to leave out (evaluation uses it to simulate absent articles); ``besides``
        sentences already given, which are not the answer again ("who else?").

        A link in the question ("What does https://example.org/news/summit say about the date?") is not searched
        for: the question is answered from the article of that link when the corpus has it and it answers, otherwise
        from the whole corpus, as the question without the link would be.
        """
        question, links = without_links(question)
        context = context and without_links(context)[0]
        with self._one_build():
            linked = self._linked(links)
            if linked:
                answer = self._ask(question, context, exclude, besides, within=linked)
                if answer.found:
                    return answer
            return self._ask(question, context, exclude, besides)

    def _linked(self, links: list[str]) -> frozenset[str]:
        """The ids of the articles of the build in hand whose link (canonical) is one of ``links``."""
        if not links:
            return frozenset()
        if self._links is None or self._links[0] is not self.corpus:
            by_link: dict[str, set[str]] = {}
            for article in self.store.articles.values():
                if address := _address(article.url):
                    by_link.setdefault(address, set()).add(article.id)
            self._links = (self.corpus, {link: frozenset(ids) for link, ids in by_link.items()})
        return frozenset().union(*(self._links[1].get(_address(link), frozenset()) for link in links))

    def _ask(self, question: str, context: str | None, exclude: frozenset[str],
             besides: frozenset[str] = frozenset(), within: frozenset[str] | None = None) -> Answer:
        question = readable(question)
        typed = asked(question)  # echoed as typed, read with its contractions as their two words
        question, context = uncontracted(question), context and uncontracted(readable(context))
        answer = self._read(question, context, exclude, besides, within)
        answer.question = typed
        return answer

    def _read(self, question: str, context: str | None, exclude: frozenset[str], besides: frozenset[str],
              within: frozenset[str] | None) -> Answer:
        # by its words: "Що сказав Jens Stoltenberg про NATO?" has more Latin letters than Cyrillic, all a name's,
        # and read as English (BM25, the English model) it was not found
        language = detect(question, by_words=True)
        if self._mixed(language):
            # Read over the articles in the question's language as over a corpus in it, and over the others
            # across languages (each reading judged by the model trained for it); the likelier answer is kept.
            same = self._answer(question, context, exclude, language, False, lambda c: self._in(c, language), besides,
                                within)
            other = self._answer(question, context, exclude, language, True, lambda c: not self._in(c, language),
                                 besides, within)
            answer, rest = (same, other) if same.confidence >= other.confidence else (other, same)
            return self._reported_across(answer, rest.candidates, (question, context))
        return self._answer(question, context, exclude, language, self._reads_across(language), besides=besides,
                            within=within)

    def _reported_across(self, answer: Answer, others: list[Candidate], asked: tuple[str | None, ...] = ()) -> Answer:
        """``answer`` with the reports of its fact among the other reading's candidates ``others`` (the same story
        in a Ukrainian and a Russian outlet), as among its own: also reported by, reported differently by, and a
        later one with other figures the answer (of the names ``asked``, the question and the one it follows, as
        ``Corroborator.latest`` reads them)."""
        if not answer.found:
            return answer
        first = answer.candidates[0]
        reports = self.corroborator.saying_the_same(first, others[: self.choose])
        if not reports:
            return answer
        best = self.corroborator.latest(first, [first, *reports], asked)
        answer.candidates = [best] + [c for c in (first, *reports, *answer.candidates[1:]) if c is not best]
        answer.answer, answer.score = best.quoted[1], best.score
        # A report read in the other reading is in another language than the answer, and e5 reads it as near as a copy
        # (0.95 and over): yet it is another outlet's, and the reader of one of the two languages may not know of it.
        translations = frozenset(c.hit.passage.id for c in (reports if best is first else [first]))
        answer.sources, answer.corroborating, answer.disputing = self.corroborator.sources(best, answer.candidates,
                                                                                           translations, asked)
        return answer

    def _answer(self, question: str, context: str | None, exclude: frozenset[str], language: str, cross: bool,
                keep=None, besides: frozenset[str] = frozenset(), within: frozenset[str] | None = None) -> Answer:
        """The answer read as a foreign question (``cross``) or not, from the candidates ``keep`` keeps, none of the
        sentences ``besides`` (``within``: of these articles only)."""
        q = self._analyse(question, context, language, cross)
        # "峰会在哪里举行？" reads as English with no word of it known: "not found" would say the corpus does not answer
        illegible = any(c.isalpha() for c in q.text) and not legible(q.text)
        # e5 reads "Wo findet der Gipfel statt?" only as far as it happens to: "not found" would say the articles have
        # no answer, when citebot reads four languages (a close one, Bulgarian or Moldovan, reads as one of them) and
        # the corpus's own, which BM25 reads; a name ("Die Grünen") is no sentence of it, and may simply be absent
        other = illegible or (language not in LANGUAGES and language not in self.corpus_languages()
                              and not a_name(question, language))
        answer = Answer(question=asked(question), found=False, query=q.query, context=q.context, language=language,
                        unread_language=self.unread(language) or illegible and self.languages is not None,
                        unread_script=other and self.languages is None)
        candidates = self.candidates(q, exclude, cross, besides, within)
        if keep is not None:
            candidates = [c for c in candidates if keep(c)]
        if not candidates:
            return answer
        model = self.foreign_answerability() if cross else self.answerability()
        pick, confidence = model.choose(q, candidates[: self.choose], self.corpus, exclude)
        if cross and self.score_floor is not None and candidates[0].score + self._cognates(q, candidates[0]) < self.score_floor:
            confidence = 0.0  # nothing in the corpus comes near the question
        if cross and q.context is None and (says_nothing(q.text, language) or not legible(q.text)):
            # Trained on translated questions that all name something, the foreign model has no feature for
            # one that names nothing ("Кто?" was confident, 0.68, with a photo caption), nor for noise in a dozen
            # scripts that read as Russian (0.78); English has its terms.
            confidence = 0.0
        if garbled(q.text):  # random bytes hold Latin letters too: "h\ufffd\ufffdT\ufffd+?\ufffdZO" was confident, 0.60
            confidence = 0.0
        # A later article saying the same with other figures is the story's update: it is the answer, with the
        # confidence judged for the pick, which says the same thing (the earlier report is "reported differently")
        best = self.corroborator.latest(candidates[pick], candidates[: self.choose], (q.text, q.context))
        answer.candidates = [best] + [c for c in candidates if c is not best]
        answer.score = best.score
        answer.confidence = confidence
        if confidence < (self.foreign_threshold if cross else self.threshold):
            return answer
        answer.tier = "confident" if confidence >= self.confident else "uncertain"
        answer.found = True
        answer.answer = best.quoted[1]
        answer.sources, answer.corroborating, answer.disputing = self.corroborator.sources(best, answer.candidates,
                                                                                           asked=(q.text, q.context))
        return answer

    def recheck(self, source: Source) -> Source:
        """``source``, saved with an earlier answer, as this build has it (``bot.answering.revisions``): at its
        offsets now, or said to be removed or changed, never the words an article no longer has."""
        with self._one_build():
            return as_it_reads_now(self.store, source)

    def rank(self, question: str, context: str | None = None, exclude: frozenset[str] = frozenset()) -> list[Candidate]:
        """The scored candidate passages for ``question``, by sentence score, best first."""
        question, context = uncontracted(readable(question)), context and uncontracted(readable(context))
        with self._one_build():
            language = detect(question, by_words=True)
            cross = self._reads_across(language)
            return self.candidates(self._analyse(question, context, language, cross), exclude, cross)

    def _analyse(self, question: str, context: str | None, language: str, cross: bool):
        """The ``Question`` record, read as a foreign question (``cross``) or over articles in its language; in a
        Latin-script language, its Cyrillic names as the articles spell them ("Who visited Буча?", "Cine a vizitat
        Бучу?": Bucha), and, over articles in its language, its Latin ones ("Kiev": Kyiv)."""
        if language not in CYRILLIC_LANGUAGES:
            vocabulary = self.store.bm25.vocab
            question = as_the_articles_spell(question, vocabulary, cross, self._named)
            context = context and as_the_articles_spell(context, vocabulary, cross, self._named)
        return analyse(question, context, self.store.bm25, cross_lingual=cross, language=language)

    def _named(self, term: str) -> bool:
        """True when the articles write ``term`` (a held word) as a name: in the passages it scores best in, always
        with a capital."""
        # A capitalised word one letter from a common word is a name the articles lack, not a slip: "Capitol" is not
        # the "capital" they hold, the Chicago "Tribune" not a "tribute", "Stepped" of a title-case question not
        # "stopped".
        ids, _ = self.store.lexical_search(term, NAMED_PASSAGES)
        written = [m.group() for pid in ids.tolist()
                   for m in re.finditer(rf"(?<![^\W_]){re.escape(term)}(?![^\W_])", self.store.passage(pid).text, re.I)]
        return bool(written) and all(w[0].isupper() for w in written)

    @contextmanager
    def _one_build(self):
        """A question's hold on one build of the store, from its first read to its last.

        A store that follows new builds (PostgreSQL) is moved first, once the questions in flight have ended:
        its terms' idf come from the build it is searched in, and what the corpus mentions is read afresh
        from that build. Only the move waits; the look for a newer build (one query) does not."""
        def terms_behind() -> bool:  # also after the store moved itself, a read finding its build dropped
            return self.corpus.build != getattr(self.store, "build", None)

        if self.store.behind() or terms_behind():
            with self.gate.exclusive():
                self.store.refresh()
                if terms_behind():
                    self.corpus = CorpusTerms(self.store)
                    self._corpus_language, self._passage_languages = None, {}  # the new build's articles
        with self.gate.shared():
            yield

    def candidates(self, q, exclude: frozenset[str], cross: bool,
                   besides: frozenset[str] = frozenset(), within: frozenset[str] | None = None) -> list[Candidate]:
        """The scored candidates of the analysed question ``q`` (``cross``: read as a foreign question), best first,
        one for each answer sentence; a passage offers its best sentence not ``besides`` (the one after a sentence
        already given is another answer: "who else?")."""
        retrieved = self.retriever.retrieve(q, exclude, lexical=not cross,
                                            as_passage=cross and self.cross_lingual_as_passage > 0, within=within)
        if cross:
            scored = self.scorer.score(retrieved, self.cross_lingual_sentence_weight, self.cross_lingual_bias or 0.0,
                                       self.cross_lingual_as_passage, besides)
        else:
            scored = self.scorer.score(retrieved, besides=besides)
        # Overlapping passages of an article offer the same sentence: the answerability model compares answers,
        # and a copy of the best one as runner-up would read as a narrow margin.
        best: dict[tuple, Candidate] = {}
        for c in scored:
            best.setdefault((c.hit.passage.doc, c.sentence), c)
        return list(best.values())

    def _cognates(self, q, candidate: Candidate) -> float:
        """``cognate_weight`` x the share of a foreign question's names and loanwords whose Latin spelling starts
        a word of the candidate's passage (Зеленського ~ Zelensky)."""
        if not q.cognates or not self.cognate_weight:
            return 0.0
        return self.cognate_weight * self.corpus.cognates_met(q.cognates, candidate.hit.passage.doc)

    @property
    def foreign_threshold(self) -> float:
        """The not-found threshold of a question in another language than the corpus's."""
        if self._foreign_threshold is None:
            self._foreign_threshold = float(self.foreign_answerability().info.get("threshold", self.threshold))
        return self._foreign_threshold

    @foreign_threshold.setter
    def foreign_threshold(self, value: float) -> None:
        self._foreign_threshold = value

    def corpus_language(self) -> str:
        """The language most passages are in (read once from up to 200 passages spread over the corpus)."""
        return self._languages()[0]

    def corpus_languages(self) -> frozenset[str]:
        """The languages at least a tenth of the passages are in (the same sample), the most passages' always."""
        return self._languages()[1]

    def _languages(self) -> tuple[str, frozenset[str]]:
        if self._corpus_language is None:
            votes: dict[str, int] = {}
            for p in self.store.sample_passages(200):
                lang = detect(p.text[:_TOLD_BY])
                votes[lang] = votes.get(lang, 0) + 1
            main = max(sorted(votes), key=votes.get) if votes else "en"
            total = sum(votes.values())
            self._corpus_language = (main, frozenset([main, *(lang for lang, n in votes.items() if 10 * n >= total)]))
        return self._corpus_language

    def _mixed(self, language: str) -> bool:
        """True when the corpus holds articles in ``language`` and in others, and the model reads across them."""
        languages = self.corpus_languages()
        return self.cross_lingual_bias is not None and language in languages and len(languages) > 1

    def _in(self, candidate: Candidate, language: str) -> bool:
        """True when the candidate's passage is in ``language`` (each passage told once)."""
        p = candidate.hit.passage
        told = self._passage_languages.get(p.id)
        if told is None:
            if len(self._passage_languages) > 100_000:
                self._passage_languages.clear()
            told = self._passage_languages[p.id] = detect(p.text[:_TOLD_BY])
        return told == language

    def unread(self, language: str) -> bool:
        """True when the model does not read questions in ``language`` (``languages``, and the corpus's
        own, which BM25 reads): "not found" would then say more than citebot knows."""
        return self.languages is not None and language not in self.languages and language != self.corpus_language()

    def cross_lingual(self, question: str) -> bool:
        """True when ``question`` is in another language than the corpus and the model reads both."""
        return self._reads_across(detect(question, by_words=True))

    def _reads_across(self, language: str) -> bool:
        return self.cross_lingual_bias is not None and language != self.corpus_language()

    def _distinct(self, hits, limit=None):
        return self.corroborator.distinct(hits, limit)
