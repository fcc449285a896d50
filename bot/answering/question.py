"""Question analysis: what retrieval and the later stages need to know about a question.

>>> q = analyse("When did Stoltenberg visit Bucha?", None, bm25)    # doctest: +SKIP
>>> q.wants, q.names                                                # doctest: +SKIP
('time', ('stoltenberg', 'bucha'))
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.answering.answer_types import wanted
from index.lexical import STOPWORDS, content_terms, tokenize

# Words of the question's frame ("according to", "what is the name of") rather than its topic.
QUESTION_FRAME = frozenset(
    "according name named names called call known refer refers referred term terms want wants wanted "
    "kind type sort example mean means meaning describe described say said many much".split()
)
_NEGATION = re.compile(r"\b(not|never|no|none|nor|without|n't|cannot)\b|n't\b", re.I)
_NAME = re.compile(r"(?<=\S )[A-Z]\w*|\b[A-Z]{2,}\b")


@dataclass(frozen=True)
class Question:
    """An analysed question: its text, the earlier question it leans on, and what it asks for.

    ``terms`` maps each stemmed content term to its idf weight (terms only in ``context`` count
    half); ``names`` are the question's capitalised words (lower-cased), ``wants`` the kind of answer.
    """

    text: str
    context: str | None
    terms: dict
    names: tuple[str, ...]
    wants: str | None
    negated: bool
    # a question in another language than the corpus: the Latin spellings of its words' starts (Зеленського ->
    # "zelen"), which names and borrowed words keep across scripts (``bot.language.cognate_keys``)
    cognates: frozenset[str] = frozenset()

    @property
    def query(self) -> str:
        """What retrieval reads: the earlier question, then this one."""
        return f"{self.context} {self.text}" if self.context else self.text

    @property
    def topic_words(self) -> str:
        """The query for BM25 without its frame words ("what does NATO want to ensure" -> no "want")."""
        return " ".join(t for t in tokenize(self.query) if t not in QUESTION_FRAME)


MAX_QUESTION_CHARS = 4096  # Telegram's longest message; a longer "question" is a pasted page, read up to here


def readable(text: str) -> str:
    """``text`` as the engine reads it: its first ``MAX_QUESTION_CHARS`` characters (cut after a word), so a
    question's cost is bounded whatever is pasted, and lone surrogates (bytes of a command line or a pipe that
    were not UTF-8) as U+FFFD, which every encoder accepts: the question is answered rather than crashing the
    embedder. Letters and digits typed full-width or pasted in a "fancy font" are their plain selves, and invisible
    format characters (a zero-width space or joiner, a soft hyphen, a byte-order mark, a direction mark) are
    dropped: pasted from a web page into "sum\u200bmit", they made a word no article holds."""
    if len(text) > MAX_QUESTION_CHARS:
        cut = text[:MAX_QUESTION_CHARS]
        space = cut.rfind(" ", MAX_QUESTION_CHARS // 2)
        text = cut[:space] if space > 0 else cut
    text = _INVISIBLE.sub("", text)
    text = _STYLED.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    if _CYRILLIC.search(text) and _LATIN.search(text):
        text = _one_script_words(text)
    wrapped = _WRAPPED.fullmatch(text)
    text = next(inner.strip() for inner in wrapped.groups() if inner) if wrapped else text
    return _SURROGATE.sub("\ufffd", text)


# Look-alike letters of the other script inside a word: a Cyrillic і or е in "summіt" (a Ukrainian keyboard left in
# its layout, a pasted homoglyph), a Latin i in "Вiльнюсi" (Ukrainian typed on a Russian layout, which has no і).
# No article holds such a word, and "Where is the summіt?" was not found. Cyrillic -> Latin, by shape:
_AS_LATIN = dict(zip("аеорсухіјѕԁһԛԝӏёїАВЕКМНОРСТХУІЈЅԚԜЁЇ", "aeopcyxijsdhqwlëïABEKMHOPCTXYIJSQWËÏ"))
# Latin -> Cyrillic, the letters of the Ukrainian and Russian alphabets only (no Latin s is a Ukrainian ѕ)
_AS_CYRILLIC = dict(zip("aeopcyxiëïABEKMHOPCTXYIËÏ", "аеорсухіёїАВЕКМНОРСТХУІЁЇ"))
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_CYRILLIC = re.compile("[\u0400-\u052f]")
_WORD = re.compile(r"[^\W_]+")


def _one_script_words(text: str) -> str:
    """``text`` with each word written in Latin and Cyrillic letters in one script: the script of most of its letters
    (of the whole question's, for a word of as many of each), when each letter of the other has a look-alike in it.
    A word whose other letters look like none ("Jaguarом": no Latin м) is kept as it is written."""
    latin_text, cyrillic_text = len(_LATIN.findall(text)), len(_CYRILLIC.findall(text))

    def one_script(word: re.Match) -> str:
        latin, cyrillic = len(_LATIN.findall(word.group())), len(_CYRILLIC.findall(word.group()))
        if not latin or not cyrillic:
            return word.group()
        if (latin, latin_text) == (cyrillic, cyrillic_text):
            return word.group()
        table, other = ((_AS_LATIN, _CYRILLIC) if (latin, latin_text) > (cyrillic, cyrillic_text)
                        else (_AS_CYRILLIC, _LATIN))
        letters = [table.get(ch, ch) if other.match(ch) else ch for ch in word.group()]
        return word.group() if any(other.match(ch) for ch in letters) else "".join(letters)

    return _WORD.sub(one_script, text)


_CYRILLIC_WORD = re.compile(r"[\u0400-\u052f]+(?:['’][\u0400-\u052f]+)*")


def as_the_articles_spell(text: str, vocabulary, across: bool = False, named=None) -> str:
    """``text``, a question in a Latin-script language, with each Cyrillic word that no article holds written as the
    articles write it, when they hold one of its common Latin spellings (``bot.language.latin_spellings``): "Who visited
    Буча?" is "Who visited Bucha?", as a reader of Ukrainian news types it. Read as a term no article holds, the name
    was not found (0.057, where "Bucha" is 0.369); a word with no spelling in the articles ("Гамлет") stays as typed.
    A name in another case than the articles' ("Столтенберга", "Києві") is read as the form it is a case of
    (``bot.language.base_forms``), when the articles hold that form's spelling and none of the word as typed: it was
    not found (0.010) or answered less surely (0.369 for "Kyiv"'s 0.768). Only a capitalised word, or any of a question
    typed all in lower case, is taken for a name ("міста", "of the city", in "Which міста?" is not "mist").
    So is such a Latin word of four letters or more, spelt otherwise than the articles spell it (``bot.language.
    latin_variants``): "Kiev" is "Kyiv", "Zelenskiy" "Zelensky" (0.302 and 0.369, where Kyiv's and Zelensky's are 0.729
    and 0.645); "Is the tyre flat?" keeps its tyre. A capitalised one with no such spelling held is read as the name it is
    one slip of the keys from (``mistyped``): "Stoltenburg" is "Stoltenberg" (0.069, not found, where it is 0.729); with
    ``named`` (term -> bool), only as a word the articles write as a name: "Capitol" is not the "capital" they hold. Not
    in a question read ``across`` languages: there a name the
    articles lack costs nothing (Romanian's own "Kiev" is 0.819, "Kyiv" 0.778), and "Ce oraș de lângă Kyiv a vizitat
    Stoltenberg?" was answered with "Jens Stoltenberg arrived in Kyiv.", not the town."""
    from bot.language import base_forms, latin_spellings, latin_variants

    def held(word: str) -> str | None:
        return next((s for s in latin_spellings(word) if s in vocabulary), None)

    def spelt(word: re.Match) -> str:
        typed = word.group()
        lower = tokenize(typed)
        if len(lower) != 1 or lower[0] in vocabulary:
            return typed
        latin = held(lower[0])
        if latin is None and (typed[0].isupper() or lower_case):
            latin = next(filter(None, map(held, base_forms(lower[0]))), None)
        if latin is None:
            return typed
        return latin.upper() if typed.isupper() and len(typed) > 1 else latin.capitalize() if typed[0].isupper() else latin

    def respelt(word: re.Match) -> str:
        typed = word.group()
        lower = tokenize(typed)
        if len(lower) != 1 or len(lower[0]) < 4 or lower[0] in vocabulary or not (typed[0].isupper() or lower_case):
            return typed
        latin = next((v for v in latin_variants(lower[0]) if v in vocabulary), None)
        if latin is None and typed[0].isupper():
            latin = mistyped(lower[0], vocabulary)
            latin = latin if latin is None or named is None or named(latin) else None
        if latin is None:
            return typed
        return latin.upper() if typed.isupper() else latin.capitalize() if typed[0].isupper() else latin

    lower_case = text == text.lower()
    text = _CYRILLIC_WORD.sub(spelt, text) if _CYRILLIC.search(text) else text
    return text if across else _LATIN_WORD.sub(respelt, text)


_LATIN_WORD = re.compile(r"(?<![^\W_])[A-Za-z\u00c0-\u024f]+(?![^\W_])")
SLIP = 7  # letters a capitalised word needs for a slip of one letter to be read as the name the articles hold


def mistyped(word: str, vocabulary) -> str | None:
    """The one word ``vocabulary`` holds that lower-cased ``word``, a name of ``SLIP`` letters or more the articles lack,
    is one slip of the keys from: a letter typed for another or two neighbours swapped, its first and last letters
    kept. None if no word is, or if the articles hold another word one letter from it in any way (Geordia: Georgia,
    Geordie).

    >>> mistyped("stoltenburg", {"stoltenberg"}), mistyped("stoltenbreg", {"stoltenberg"})
    ('stoltenberg', 'stoltenberg')
    >>> mistyped("johnston", {"johnson"}), mistyped("lithuania", {"lithuanian"}), mistyped("crimea", {"crimes"})
    (None, None, None)
    >>> mistyped("geordia", {"georgia", "geordie"})
    """
    if len(word) < SLIP or not word.isascii() or not word.isalpha() or word in STOPWORDS:
        return None
    # A letter added or left out would also read the other form of a word as the word (Lithuania for Lithuanian,
    # Johnston for Johnson), and a first or last letter a different word (Crimea for crimes, Californio for
    # California); a slip inside a long name rarely makes another name.
    inside = range(1, len(word) - 1)
    near = [word[:i] + c + word[i + 1:] for i in inside for c in _LETTERS if c != word[i]]
    near += [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in inside[:-1] if word[i] != word[i + 1]]
    held = _held(near, vocabulary)
    if len(held) != 1:
        return None
    ends = [word[:i] + c + word[i + 1:] for i in (0, len(word) - 1) for c in _LETTERS if c != word[i]]
    ends += [word[:i] + word[i + 1:] for i in range(len(word))] + [word[:i] + c + word[i:] for i in range(len(word) + 1)
                                                                     for c in _LETTERS]
    ends += [word[1] + word[0] + word[2:], word[:-2] + word[-1] + word[-2]]
    return None if set(_held(ends, vocabulary)) - set(held) else held[0]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _held(terms: list[str], vocabulary) -> list[str]:
    """Those of ``terms`` that ``vocabulary`` holds (asked of a database's at once)."""
    return vocabulary.held(terms) if hasattr(vocabulary, "held") else [t for t in terms if t in vocabulary]


_SURROGATE = re.compile("[\ud800-\udfff]")
# A question wrapped in quote marks, as pasted from a message ("“Who visited Bucha?”"): the mark before "Who" hid the
# question word (no person wanted), and another sentence was cited than for the question itself. Its own quotes stay
# ('"War and Peace" or "Anna Karenina"?'), and an apostrophe inside a word ("'Who's there?'").
_APOSTROPHE = r"(?<=\w)['’](?=\w)"
_WRAPPED = re.compile(rf"""\s*(?:"([^"]*\w[^"]*)"|“([^“”]*\w[^“”]*)”|„([^„“”]*\w[^„“”]*)[“”]|«([^«»]*\w[^«»]*)»|"""
                      rf"""'((?:[^'’]|{_APOSTROPHE})*\w(?:[^'’]|{_APOSTROPHE})*)'|"""
                      rf"""‘((?:[^‘’]|{_APOSTROPHE})*\w(?:[^‘’]|{_APOSTROPHE})*)’)\s*""")
# Unicode's format characters (category Cf) that a question may hold: "Where is the sum\u200bmit?" reads as "Where is
# the summit?" to its writer, and was not found (0.01).
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
# Full-width letters and digits (an East Asian keyboard's full-width mode: "Ｗｈｅｒｅ ｉｓ ｔｈｅ ｓｕｍｍｉｔ") and the
# Mathematical Alphanumeric Symbols that "fancy text" generators paste ("𝐖𝐡𝐞𝐫𝐞", "𝘀𝘂𝗺𝗺𝗶𝘁"): no word of them was
# known, and such a question was not found. Other compatibility characters (…, ², ﬁ) are read as they are.
_STYLED = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\U0001d400-\U0001d7ff]+")


# Greetings in the bot's languages (``bot.small_talk`` answers one said alone). One before a question ("hey where is the
# summit?", "привіт, де саміт?") is no part of it: read with it, "hey" was a term no article holds and the question was
# not found (0.06, where "where is the summit?" was 0.62).
GREETINGS = {
    "en": "hi|hello|hey|hiya|howdy|greetings|good morning|good afternoon|good evening|hi there|hello there|hey there|"
          "what's up|whats up",
    "uk": "привіт|вітаю|добрий день|доброго дня|добрий ранок|доброго ранку|добрий вечір|доброго вечора|здрастуйте|хай",
    "ru": "привет|здравствуйте|здравствуй|добрый день|доброе утро|добрый вечер|здрасте|приветствую|хай",
    "ro": "salut|bună|buna|bună ziua|buna ziua|bună dimineața|buna dimineata|bună seara|buna seara|hei|salutare|servus",
}
# Left on a question: "What's up with NATO?" asks; Ukrainian "хай" is "let" and Romanian "bună" "good", greetings only
# where a comma (or a "!") ends them ("Хай, де саміт?", "Bună, unde e summitul?").
_ASKING_GREETINGS = frozenset({"what's up", "whats up"})
_GREETS_WITH_A_COMMA = frozenset({"хай", "bună", "buna"})


def _greeting(phrases: list[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))


_PHRASES = {p for listed in GREETINGS.values() for p in listed.split("|")} - _ASKING_GREETINGS
_GREETING = re.compile(rf"(?:(?:{_greeting(sorted(_PHRASES - _GREETS_WITH_A_COMMA))})(?:\s*[,!.:;]+\s*|\s+)|"
                       rf"(?:{_greeting(sorted(_GREETS_WITH_A_COMMA))})\s*[,!.:;]+\s*)(?=\w)", re.IGNORECASE)
# old Romanian keyboards' s and t, read as the comma-below letters (capitals too: "Ştiţi unde…" was no "Știți unde…")
CEDILLA = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})


def without_greeting(text: str) -> str:
    """``text`` without the greeting that opens it, when a question follows: "hey where is the summit?" is "where is
    the summit?", "Привіт, де саміт?" is "де саміт?"; "Hello?" alone stays as it is."""
    found = _GREETING.match(text.translate(CEDILLA))
    return text[found.end():] if found else text


# A question asked indirectly ("Could you tell me where the summit is?", "Do you know when he arrived?"): the words
# that ask it ask nothing of the articles. Read with them, "tell" and "know" were its rarest terms and "Could"/"Do"
# asked for yes or no: "Do you know where the summit is?" answered "We don't know when this war will end…", "Could
# you tell me where…" "…Ukraine's rightful place…", where "Where is the summit?" finds the Vilnius sentence. Only
# before a question word of the same language: "Can you tell me more?" and "Do you know if…" (a yes or no) stay.
# "Can tell me where…" is what a group's "Can @bot tell me where…?" leaves once its mention is taken out. "Can anyone
# tell me…", "Would you mind telling me…", "I'd love to know…" and a frame after "So,"/"And" ("And do you know who…",
# a follow-up's) were read with theirs: "Not found", or "…Ukraine's rightful place…".
# Read in one pass: its spaces are taken whole (possessive), never split between the two sides of an optional comma,
# and "итак" is "и" and "так", as it was read (never also as itself); each "please " or "итак" read two ways doubled the
# time of a frame that was not there (twenty "please " took 8 s). An opening word may run into the next ("Ітак",
# "Ааа,", "Ии"), as it always could: no word of a language's is another's start, so a run is read one way only
# How an English question asked indirectly opens ("So, can you…"), and the words that ask it: before a question word
# (_INDIRECT), or before "about" and its topic (_TOLD_ABOUT: "Do you know anything about Moscow?")
_OPENS_EN = r"(?:(?:so|and|ok|okay|well|also|but|then|now|please)\b\s*+[,!]?\s*+)*"
_FRAME_EN = (r"(?:(?:can|could|would|will|may)\s+(?:(?:you|u|anyone|anybody|someone|somebody)\s+)?(?:(?:please|kindly)\s+)?"
             r"(?:(?:tell|show)\s+(?:me|us)(?:\s*+,?\s*+please)?|explain(?:\s+to\s+(?:me|us))?|let\s+(?:me|us)\s+know)|"
             r"would\s+(?:you|u)\s+mind\s+(?:(?:telling|showing)\s+(?:me|us)|explaining(?:\s+to\s+(?:me|us))?)|"
             r"(?:(?:do|does|would)\s+)?(?:you|u|anyone|anybody|someone|somebody)\s+(?:happen\s+to\s+)?knows?|"
             r"(?:got\s+)?any\s+ideas?|i(?:\s+would|'d|’d)\s+(?:like|love)\s+to\s+know|i\s+(?:want|wanted|need)\s+to\s+know|"
             r"i(?:\s+am|'m|’m)\s+curious(?:\s+to\s+know)?|(?:can|could|may)\s+i\s+ask|"
             r"i\s+wonder|i(?:\s+was|\s+am|'m|’m)\s+wondering|"
             r"(?:tell|show)\s+(?:me|us)(?:\s*+,?\s*+please)?|explain(?:\s+to\s+(?:me|us))?|let\s+(?:me|us)\s+know)")
_INDIRECT = {
    "en": (_OPENS_EN + _FRAME_EN, r"what|when|where|who|whom|whose|which|why|how"),
    "uk": (r"(?:(?:а|і|й|то|так|отже|ну|будь[\s-]+ласка)\s*+,?\s*+)*"  # how it opens ("А скажіть…", "Будь ласка, …")
           r"(?:(?:скажіть|скажи|підкажіть|підкажи|підскажіть|підскажи)(?:\s+мені)?(?:\s*+,?\s*+будь[\s-]+ласка)?|"
           r"(?:ви\s+)?не\s+(?:підкажете|скажете)|(?:чи\s+)?(?:ви\s+)?(?:не\s+)?(?:знаєте|знаєш)(?:\s+ви)?|"
           r"(?:хтось|хто-небудь)\s+знає|"
           r"(?:чи\s+)?(?:не\s+)?(?:можете|можеш|могли\s+б)(?:\s+ви)?\s+(?:мені\s+)?(?:сказати|підказати)|цікаво)",
           r"де|коли|хто|кого|кому|що|чого|скільки|чому|як|який|яка|яке|які|якого|якої|звідки|куди|навіщо"),
    "ru": (r"(?:(?:а|и|так|ну|пожалуйста)\s*+,?\s*+)*"  # how it opens ("А скажите…", "Итак, скажите…")
           r"(?:(?:скажите|скажи|подскажите|подскажи)(?:\s+мне)?(?:\s*+,?\s*+пожалуйста)?|"
           r"(?:вы\s+)?не\s+(?:подскажете|скажете)(?:\s+ли)?|(?:вы\s+)?(?:не\s+)?(?:знаете|знаешь)(?:\s+ли)?(?:\s+вы)?|"
           r"кто-(?:нибудь|то)\s+знает|"
           r"(?:не\s+)?(?:можете|можешь|могли\s+бы)(?:\s+вы)?\s+(?:мне\s+)?(?:сказать|подсказать)|интересно)",
           r"где|когда|кто|кого|кому|что|чего|сколько|почему|зачем|как|какой|какая|какое|какие|откуда|куда"),
    "ro": (r"(?:(?:și|si|deci|atunci)\s*+,?\s*+)*"  # how it opens ("Și știți unde…")
           r"(?:(?:îmi\s+|imi\s+)?(?:puteți|puteti|poți|poti)\s+(?:să-mi\s+|sa-mi\s+|să\s+îmi\s+|sa\s+imi\s+)?"
           r"(?:spune|spuneți|spuneti|spui)|(?:spuneți-mi|spuneti-mi|spune-mi)(?:\s*+,?\s*+(?:vă|va|te)\s+rog)?|"
           r"(?:vă|va|te)\s+rog\s*+,?\s*+(?:să-mi|sa-mi|să\s+îmi|sa\s+imi)\s+(?:spuneți|spuneti|spui)|"
           r"(?:nu\s+)?(?:știți|stiti|știi|stii)|(?:știe|stie)\s+cineva|(?:aveți|aveti|ai)\s+(?:vreo\s+)?idee|"
           r"(?:aș|as)\s+vrea\s+(?:să|sa)\s+(?:știu|stiu|aflu)|"
           r"vreau\s+(?:să|sa)\s+(?:știu|stiu|aflu)|(?:mă|ma)\s+întreb|ma\s+intreb)",
           r"unde|când|cand|cine|ce|câți|câte|cât|cati|cate|cat|cum|care|încotro"),
}
_ASKED_INDIRECTLY = re.compile("|".join(rf"^\s*+{frame}\s*+[,:]?\s*+(?=(?:{words})\b)"
                                        for frame, words in _INDIRECT.values()), re.IGNORECASE)


_ASKED = re.compile(r"(?<=[?!.])\s+")  # where one question of a topic ends and the next begins


# A request to be told about a topic ("Tell me about Bucha", "Can you tell me more about the summit?", "What do you know
# about Moscow?"): its words ask nothing of the articles, the topic after "about" is what it asks of. Read with them,
# "tell" (an article's "told") was its rarest term: "Tell me about Bucha", "… about the summit", "… about Zelensky"
# cited "“Let me say clearly: Ukraine’s rightful place…” Stoltenberg told reporters…", "Tell me about Moscow" was "Not
# found", where "about Bucha" cites the Bucha sentence (0.38) and "about Moscow" Moscow's (0.77). Any of the words that
# ask a question indirectly (_FRAME_EN) do so before "about": "Do you know anything about Moscow?" was "Not found",
# "do you know about the summit?" cited "We don't know when this war will end…", "know" its rarest term.
_TOLD_ABOUT = re.compile(
    rf"^\s*+{_OPENS_EN}(?:{_FRAME_EN}|"
    r"what\s+(?:can|could|do)\s+(?:you|u)\s+(?:tell\s+(?:me|us)|know|say)|"
    r"(?:i(?:\s+would|'d|’d)\s+(?:like|love)|i\s+(?:want|wanted|need))\s+to\s+(?:hear|learn))"
    r"(?:\s+(?:more|a\s+bit(?:\s+more)?|a\s+little(?:\s+more)?|something|anything|everything))?(?:\s*+,)?\s++"
    r"(?=about\b)",
    re.IGNORECASE)


def without_indirect_frame(text: str) -> str:
    """``text`` without the words that ask it indirectly: "Could you tell me where the summit is?" is "where the
    summit is?", "Скажіть, будь ласка, де саміт?" is "де саміт?", "Tell me about Bucha" is "about Bucha" (``_TOLD_ABOUT``);
    "Can you tell me more?" stays as it is."""
    found = _ASKED_INDIRECTLY.match(text.translate(CEDILLA)) or _TOLD_ABOUT.match(text)
    return text[found.end():] if found else text


# Words that pass a question on, ending a lead-in ("Anna asked", "My boss wants to know", "Анна питає", "Ana întreabă",
# with whom: "Olena asks us") or opening it ("Question from Taras"): a lead-in without them may be what the question
# asks about ("Vilnius summit: when is it?"). Nor one that opens with a question word: it asks what was asked ("What did
# Stoltenberg ask - more troops or more money?", "Who asked: Zelensky or Biden?"), read without it "more troops or more
# money?" (Romanian "care" and "cat" are not among them: English words too, "Care workers ask:")
PASSED_ON = re.compile(
    r"^(?!\s*(?:what|when|where|who|whom|whose|which|why|how|"
    r"де|коли|хто|кого|кому|що|чого|скільки|чому|як|який|яка|яке|які|якого|якої|звідки|куди|навіщо|"
    r"где|когда|кто|кому|что|чего|сколько|почему|зачем|как|какой|какая|какое|какие|откуда|куда|"
    r"unde|când|cand|cine|ce|câți|câte|cât|cum|încotro)\b)"
    r"(?:(?:.*\b(?!(?<=\S\s)(?-i:[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ]))"  # Capitalised past the first word: a name ("Stevie Wonder:")
    r"(?:(?<!'s )(?<!’s )(?<!\bthe )(?<!\ba )(?<!\bbig )asks?\b|ask(?:ed|ing)|"  # "Kyiv's ask:", "The big ask -": nouns
    r"wonder(?:s|ed|ing)?|(?:want(?:s|ed)?|would like|'d like) to know|"
    r"(?:за|с|по)?пит(?:ає|ав|ала|али|ають|ую|ує|ували|увала|ував)|цікав\w*|хоч(?:е|уть) (?:знати|дізнатися)|"
    r"спрашива\w*|спросил\w*|интересу\w*|хоч(?:ет|ут) (?:знать|узнать)|"
    r"[îi]ntreab\w*|[îi]ntrebat|vr(?:ea|or) s[ăa] (?:știe|afle|ştie|stie))"  # as typed without diacritics too
    r"(?:\s+(?:us|you|me|everyone|нас|вас|мене|меня|тебе|ne|vă|te|mă))?\s*$)"
    r"|\s*(?:questions? from|q from|питання від|вопрос от|[îi]ntrebare(?:a)? de la)\b)",
    re.I | re.S)
# one short clause (at most 60 characters, no sentence or line of its own) before a colon or a dash, and a question
_LEAD_IN = re.compile(r"^\s*([^\n.?!…:—–]{1,60}?)\s*(?::|[—–]|(?<=\s)-(?=\s))\s*(?=\S)")


# Words that say a question comes, as a lead-in alone ("Q:", "Quick question:", "One more question -", "Stupid question,
# but:", "Швидке питання:", "Вопрос:", "Întrebare:"): read with it, "Q: who visited Bucha?" was "Not found" (0.23, where
# "Who visited Bucha?" is 0.37). Not "Summit question:" nor "Questions about the summit:", which say what it asks of.
_ANNOUNCED = re.compile(
    r"(?:(?:a|one|another|my|quick|short|small|simple|stupid|dumb|silly|naive|last|final|one\s+more|follow[\s-]?up|"
    r"random|related|next|new)\s+)*(?:q|qn|question)|"
    r"(?:(?:швидке|коротке|ще\s+одне|одне|просте|дурне|наступне|нове|останнє|уточнююче)\s+)*(?:за)?питання|"
    r"(?:(?:быстрый|короткий|ещё\s+один|еще\s+один|один|простой|глупый|следующий|новый|последний|уточняющий)\s+)*"
    r"вопрос|(?:o\s+)?(?:întrebare|intrebare)a?(?:\s+(?:rapidă|rapida|scurtă|scurta|simplă|simpla))?",
    re.I)
_BUT = re.compile(r"\s*,?\s*(?:but|though|please|pls|але|но|dar)\s*$", re.I)


def without_lead_in(text: str) -> str:
    """``text`` without the words it is passed on with: "Anna asked: where is the summit?" is "where is the summit?"
    (searched with "Anna asked", it was "Not found"); "Vilnius summit: when is it?" stays whole (``PASSED_ON``); nor
    those that say a question comes ("Quick question: who visited Bucha?", ``_ANNOUNCED``). Both, one after the other
    ("Anna asked: Q: who visited Bucha?", searched with "Q" "Not found"), are left out, three at most: a run of "Q: "
    is not read to its end."""
    for _ in range(3):
        found = _LEAD_IN.match(text)
        if not (found and (PASSED_ON.search(found.group(1))
                           or _ANNOUNCED.fullmatch(_BUT.sub("", found.group(1)).strip()))):
            break
        text = text[found.end():]
    return text


# A link pasted into a question ("What does https://example.org/news/summit say about the date?"): its letters are no
# words of the question, and searched for they made it "Not found". One in brackets or quotes too ('"https://…"'), and
# one typed straight after a stop, as a phone leaves out the space ("Where is the summit?https://…": no link, its
# letters searched for with the summit's).
_LINK_START = "<([\"'«“‘"
_LINK = re.compile(rf"[{re.escape(_LINK_START)}]?(?<![^\s{re.escape(_LINK_START)}?!,;:])(?:https?://|www\.)[^\s<>]+>?",
                   re.I)
_LINK_END = ".,;:!?)]>»”’'\""


def _link(found: str) -> tuple[str, str]:
    """The link a match ``found`` is, and what follows it (the sentence's punctuation, its closing bracket or quote):
    a closing bracket is the link's own while the link opened one ("…/wiki/Mercury_(planet)"). One pass."""
    found = found.lstrip(_LINK_START)
    opened, closed, end = found.count("("), found.count(")"), len(found)
    while end and found[end - 1] in _LINK_END:
        if found[end - 1] == ")":
            if closed <= opened:
                break
            closed -= 1
        end -= 1
    return found[:end], found[end:]


def without_links(text: str) -> tuple[str, list[str]]:
    """``text`` without the web addresses in it, and those addresses (no trailing punctuation); ``text`` as it is,
    with none, when it is a link alone or links alone (no question is left to ask)."""
    found = [_link(m.group())[0] for m in _LINK.finditer(text)]
    if not found:
        return text, []
    # the question's own mark after the link stays ("Where is it (https://…)?"); its brackets go with it
    rest = " ".join(_LINK.sub(lambda m: " " + re.sub(r"[^?!.,;:]", "", _link(m.group())[1]) + " ", text).split())
    rest = re.sub(r"\s+([?!.,;:])", r"\1", rest)
    rest = re.sub(r"([?!.])[.,;:]+", r"\1", rest).lstrip(" ,;:.!?").rstrip(" ,;:")
    if not any(c.isalnum() for c in rest):
        return text, []
    return rest, [("https://" + link) if link.lower().startswith("www.") else link for link in found]


def links_blanked(text: str) -> str:
    """``text`` with each web address in it written over with spaces, as long as it was: where its own words are, at
    the same places ("Where is the summit? https://… When does it start?" asks two questions). A question's mark after
    a link stays ("Have you read https://…? When was it published?", "Where is it (https://…)? When…" ask two)."""

    def blanked(match: re.Match) -> str:
        after = _link(match.group())[1]
        kept = after[after.index("?"):] if "?" in after else ""
        return " " * (len(match.group()) - len(kept)) + kept

    return _LINK.sub(blanked, text)


# A question word's contraction, as typed ("Where's the summit?", "when’s", and on a phone "Wheres", "whats"): read as
# its two words. e5 read "Where's the summit happening?" further from its sentence than "Where is …" ("Not found", 0.11
# against 0.26), "Wheres" was a word to look up, asking for no place, and "What's the Bassin de compensation …?" read
# as Romanian. Not "who's", as often "whose" or a name's ("Doctor Who's TARDIS"), nor "whys" ("the whys").
_CONTRACTED_ASKING = re.compile(r"\b(?:(what|where|when|how|why)['’]s|(what|where|when|how)s)\b", re.IGNORECASE)


def uncontracted(text: str) -> str:
    """``text`` with its question words' contractions as their two words: "Where's the summit?" is "Where is the
    summit?", "whats the date" "what is the date"."""
    return _CONTRACTED_ASKING.sub(lambda m: (m.group(1) or m.group(2)) + " is", text)


def asked(text: str) -> str:
    """The question ``text`` as the engine reads and echoes it: its words, without a greeting that opens it."""
    return without_greeting(" ".join(text.split()))


def analyse(text: str, context: str | None, bm25, cross_lingual: bool = False, language: str | None = None) -> Question:
    """The ``Question`` record for ``text`` asked after ``context``, idf weights from ``bm25``.

    A question in another language than the corpus has no terms to share with it; the kind of
    answer it wants is read by ``bot.language.asks_for`` (``language``: the question's, when already told), as it is
    for one in Ukrainian, Romanian or Russian over articles in its own language; an English one by its own words
    ("Who...?" over Ukrainian articles wants a person), but for yes or no (its words are in no sentence there).
    """
    # "Anna asked: can you tell me where the summit is?" asks "where the summit is?"
    text = without_indirect_frame(without_lead_in(asked(text)))
    # the topic's questions without theirs too: after "Do you know where the summit is?", "know" was a word of the topic
    context = " ".join(without_indirect_frame(without_lead_in(question))
                       for question in _ASKED.split(" ".join(context.split()))) if context else None
    if cross_lingual:
        from bot.language import asks_for, cognate_keys, detect

        language = language or detect(text)
        cognates = cognate_keys(text, language) | cognate_keys(context or "", language)
        kind = asks_for(text) or (wanted(text) if language == "en" else None)
        return Question(text, context, {}, (), None if kind == "yesno" else kind, False, cognates)
    terms: dict[str, float] = {}
    for term in content_terms(context or ""):
        if term not in QUESTION_FRAME:
            terms[stem(term)] = 0.5 * bm25.idf(term)
    for term in content_terms(text):
        if term not in QUESTION_FRAME:
            terms[stem(term)] = bm25.idf(term)
    names = tuple(dict.fromkeys(m.group(0).lower() for m in _NAME.finditer(text)))
    wants = _wants(text, None if context else language)
    return Question(text, context, terms, names, wants, bool(_NEGATION.search(text)))


def _wants(text: str, language: str | None) -> str | None:
    """What ``text`` asks for over articles in its own language: an English question by its own words (``wanted``);
    one in another ("Скільки коштував міст?", "Câte paturi va avea spitalul?", "Коли відкрили міст?") by its
    question word, as over articles in English (``asks_for``): a count, a day, a person or a place, which ``supplies``
    reads in any of them (a person in Cyrillic by a name of two words or an initial, a place by a capitalised name
    after "у", "з", "din", "la", "jud." ...). A follow-up ("şi când?", ``language`` None) is read as before: its topic's sentence, held by the earlier question's words,
    outweighs the day it lacks, and wanting one judged the topic's article below another's dateline in a corpus of
    several languages (test_mixed_corpus)."""
    if language in (None, "en"):
        return wanted(text)
    from bot.language import asks_for

    return asks_for(text) or wanted(text)


@lru_cache(maxsize=1 << 16)
def stem(term: str) -> str:
    """A term's stem, so "arrive" meets "arrived", "sent" meets "send" and "countries" meets "country".

    Snowball's English stemmer (PyStemmer, C) after mapping irregular verb forms to their base.
    Remembered per word: the answer stage stems every candidate sentence and whole articles, and
    their words repeat (a cached call costs a tenth of stemming).
    """
    term = _IRREGULAR.get(term, term)
    return _stemmer().stemWord(term)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


# Past tenses and participles of common English irregular verbs -> the base form. Snowball stems
# regular inflections only, and a question asks "did they send" of a sentence that says "sent".
_IRREGULAR = {
    form: base
    for base, *forms in (line.split() for line in """
        arise arose arisen|awake awoke awoken|be was were been|bear bore borne born|beat beaten|become became
        begin began begun|bend bent|bet|bite bit bitten|bleed bled|blow blew blown|break broke broken
        breed bred|bring brought|build built|burn burnt|buy bought|catch caught|choose chose chosen|come came
        cost|creep crept|cut|deal dealt|dig dug|do did done|draw drew drawn|dream dreamt|drink drank drunk
        drive drove driven|eat ate eaten|fall fell fallen|feed fed|feel felt|fight fought|find found|flee fled
        fly flew flown|forbid forbade forbidden|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen
        get got gotten|give gave given|go went gone|grow grew grown|hang hung|have has had|hear heard
        hide hid hidden|hit|hold held|hurt|keep kept|kneel knelt|know knew known|lay laid|lead led|lean leant
        leap leapt|learn learnt|leave left|lend lent|let|lie lain|light lit|lose lost|make made|mean meant
        meet met|pay paid|put|quit|read|ride rode ridden|ring rang rung|rise rose risen|run ran|say said|see saw seen
        seek sought|sell sold|send sent|set|shake shook shaken|shine shone|shoot shot|show shown|shrink shrank shrunk
        shut|sing sang sung|sink sank sunk|sit sat|sleep slept|slide slid|speak spoke spoken|spend spent|spin spun
        split|spread|spring sprang sprung|stand stood|steal stole stolen|stick stuck|sting stung|strike struck
        strive strove striven|swear swore sworn|sweep swept|swim swam swum|swing swung|take took taken
        teach taught|tear tore torn|tell told|think thought|throw threw thrown|understand understood
        wake woke woken|wear wore worn|weave wove woven|weep wept|win won|withdraw withdrew withdrawn
        write wrote written""".replace("\n", "|").split("|") if line.strip())
    for form in forms
}


def stemmed_terms(text: str) -> frozenset[str]:
    """The stemmed content terms of ``text``."""
    return frozenset(map(stem, set(tokenize(text)).difference(STOPWORDS)))  # each distinct word stemmed once


def terms_and_stems(text: str) -> frozenset[str]:
    """The words of ``text`` and the stems of its content words, in one pass (an article's vocabulary)."""
    words = set(tokenize(text))
    return frozenset(words.union(map(stem, words.difference(STOPWORDS))))


def is_negated(text: str) -> bool:
    return bool(_NEGATION.search(text))
