"""Tell which language a text is in: the bot's own (English, Ukrainian, Romanian, Russian) or another.

Script first (Cyrillic or Latin), then letters only one language of the pair uses (і ї є ґ
against ы э ъ ё; ă â î ș ț), then the short words each language cannot do without. A hint (say
Telegram's ``language_code``), or the first of several that is one of ours, decides when the text does
not (a bare name, a number, "/start"); a Cyrillic text with none of those letters and words takes the
first Ukrainian or Russian hint (a chat's Romanian question before it says nothing of which), else one of
12 letters or more with no і ї є ґ at all is Russian ("і" is among Ukrainian's commonest letters), a
shorter one ("Ок", "Ясно") the hint's English or Romanian (the user's app's, which they read), else Ukrainian.
A question's spelling tells as a letter does (Russian's ь before я ю е и ё, Ukrainian's apostrophe and doubled
consonant: статью, статтю).
A Latin text that uses clearly more (two more) of another European language's short words and letters
than of English's or Romanian's, and at least one of those words, is in that language ("fr", "es", "de",
...): the model may read it, and the bot's words fall back to English (``bot.messages``), rather than a
French question reading as Romanian and a German one as English.

>>> detect("Де відбудеться саміт?")
'uk'
>>> detect("Где пройдёт саммит?")
'ru'
>>> detect("Unde va avea loc summitul?")
'ro'
>>> detect("Where is the summit?")
'en'
>>> detect("NATO", hint="uk-UA")
'uk'
>>> detect("Бюджет затвердили депутати?", hint=("ro", "uk"))
'uk'
>>> detect("Où se tiendra le sommet ?"), detect("Wo findet der Gipfel statt?"), detect("Who is François Hollande?")
('fr', 'de', 'en')
"""

from __future__ import annotations

import re
import unicodedata

from index.transliteration import TO_LATIN, TO_LATIN_J, TO_LATIN_Y

LANGUAGES = ("en", "uk", "ro", "ru")
CYRILLIC_LANGUAGES = ("uk", "ru")
DEFAULT = "en"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_UK_LETTERS = re.compile(r"[іїєґ]")
_RU_LETTERS = re.compile(r"[ыэъё]")
_RO_LETTERS = re.compile(r"[ăâîșşțţ]")
# How each of the pair spells what the other spells otherwise: Russian's ь before я ю е и ё (статью, семья, статьи;
# not "нью", which both write in Нью-Йорк), where Ukrainian writes an apostrophe (сім'я, п'ять, Дар'я) or doubles the
# consonant (статтю, питання, життя), as Russian never does before a final я or ю.
_RU_SPELLING = re.compile(r"[бвгджзклмпрстфхцчшщ]ь[яюеиё]|нь[яеиё]")
_UK_SPELLING = re.compile(r"[бвгджзклмнпрстфхцчшщ]['’ʼ][яюєї]|([бвгджзклмнпрстфхцчшщ])\1[яю]\b")
_TELLS = 2000  # characters read: a text's start tells its language, and a megabyte-long question costs no more
_NO_UK_LETTERS_MIN = 12  # Cyrillic letters from which a text without і ї є ґ reads as Russian (no uk or ru hint)

# Short words each language uses all the time and the other of its pair does not.
_CUES = {
    "uk": frozenset("хто що де коли як який яка яке які яку якій чому скільки чи це цей ця ці він вона вони "
                    "воно був була було були і й у та або від для про після перед між також ще вже його її їх "
                    "якого якої щоб бо з із зі а".split()),
    "ru": frozenset("кто что где когда как какой какая какое какие какую какой почему сколько ли это этот эта "
                    "эти он она они оно был была было были и в с или от для про после перед между также еще "
                    "ещё уже его её их которого которой чтобы потому из со а".split()),
    "ro": frozenset("și si în in cine ce când cand unde cum care cât cat câți cati cate de la pe cu din pentru "
                    "despre un o al ale lui nu mai este sunt era au fost a fi va vor sa să se ne le ii".split()),
    "en": frozenset("a the is are was were be been what who whom whose where when how why which did does do "
                    "of to in and an on for with about from by that this these those it he she they has have "
                    "had will would can could after before".split()),
}


# Other European languages in Latin script: their short words (some English's too, "in", "was": an English
# question holds more of its own; not "von", "da", a name's particle alone) and the letters they write that
# English and Romanian do not.
_OTHER_CUES = {
    "fr": "le les du des une est où qui quoi quand comment pourquoi quel quelle quels quelles combien avec dans "
          "pour sur pas ne il elle ils elles sont été était ont aux au et ou leur leurs qu la en de a se un ce",
    "es": "el los las del una es dónde donde quién quien qué cuándo cuando cómo como cuál cuáles cuánto cuántos "
          "cuántas con para por en lo le su sus fue ha han está están y será la de a se un",
    "it": "il gli dove chi che cosa quando come perché quale quali quanto quanti quante con per nel nella della "
          "del dei al alla ai dal dalla sul sulla è ha sono stato stata hanno di la a si un una",
    "pt": "os das dos um uma onde quem quando como porque qual quais quanto quantos quantas com para em foi é são "
          "está não será de a se o",
    "de": "der das den dem des ein eine einen wo wer wann wie warum welche welcher welches mit für auf ist sind "
          "wurde wurden haben nicht und oder zu im aus bei nach über in was war hat am an die",
    "nl": "het een waar wie wat wanneer hoe waarom welke hoeveel voor op zijn werd heeft hebben niet en naar "
          "is in was de te om",
    "pl": "gdzie kto kiedy jak dlaczego który która które ile czy jest są był była było się że dla przez",
    "cs": "kde kdo kdy jak proč který která které kolik je jsou byl byla bylo že pro",
    "tr": "nerede kim ne zaman nasıl neden hangi kaç mı mi mu mü ve bir bu için ile",
}
_OTHER_LETTERS = {
    "fr": "éèêëçœùûïÿôà", "es": "ñáíóúé¿¡", "it": "àèéìòù", "pt": "ãõçáéíóúêôà", "de": "äöüß",
    "nl": "ĳ", "pl": "ąęłńśźżóć", "cs": "ěščřžýůňťďáéíóú", "tr": "ığ",
}
_CUES.update({lang: frozenset(words.split()) for lang, words in _OTHER_CUES.items()})


def _other(words: list[str]) -> tuple[str | None, int]:
    """The other European language whose short words and letters ``words`` use most (one of its words at least),
    and how much."""
    best, most = None, 0
    for lang in _OTHER_CUES:
        cues = _score(words, lang)
        score = cues + sum(1 for w in words if any(c in _OTHER_LETTERS[lang] for c in w))
        if cues and score > most:
            best, most = lang, score
    return best, most


Hint = str | None | tuple[str | None, ...]  # a language code, or several, the likeliest first


def _hinted(hint: Hint) -> list[str]:
    """"uk-UA", "ro", "RU" (or several of them, in order) -> those that are one of ours, as languages."""
    codes = (one.replace("_", "-").split("-")[0].lower() for one in (hint if isinstance(hint, tuple) else (hint,)) if one)
    return [code for code in codes if code in LANGUAGES]


def _score(words: list[str], lang: str) -> int:
    return sum(1 for w in words if w in _CUES[lang])


# What a question holds that is none of its words: a web address ("https://…", "www.…", "example.org/news/…"), an
# e-mail address, an @name (a Telegram user's, a channel's). A link's slug and a handle are English as often as not
# ("…/summit-of-leaders-in-riga-this-week", "@the_news_of_the_day"): read with "Unde e summitul?", they outweighed it.
# In brackets or quotes, Romanian's and Ukrainian's „…” too. Matched a word (a run of non-spaces) at a time, from its
# start: linear however long the text. A link typed straight after a stop, as a phone leaves out the space, is one
# from there, as bot.answering.question reads it: "Where is the summit?https://…" took "summit" with it (the question
# left, "Where is the", asked for nothing: a follow-up, and no topic for the next).
_NOT_WORDS = re.compile(r"(?<!\S)[<(\[«\"'“„‘‚]?(?:[^\s?!,;]*?(?:://|www\.)\S*|[\w.-]+\.[a-z]{2,}/\S*|"
                        r"[^\s@]+@[^\s@]+\.[^\s@]+|@\w+\S*)|(?<=[?!,;:])[<(\[«\"'“„‘‚]?(?:https?://|www\.)\S*", re.I)


def own_words(text: str, whole: bool = False) -> str:
    """``text`` as its language is read from: without the links, e-mail addresses and @names in it (their question's
    mark kept), or as it is where no letter is left (a link alone: its words are all it says). Its start only, as
    ``detect`` reads it, unless ``whole`` (a question's cues, ``bot.conversation``: bounded by who asks it).

    >>> own_words("Unde e summitul? https://example.org/news/summit-of-leaders"), own_words("Salut @anna_the_best, ce faci?")
    ('Unde e summitul? ', 'Salut , ce faci?')
    >>> own_words("https://example.org/news/summitul-liderilor")
    'https://example.org/news/summitul-liderilor'
    """
    text = text if whole else text[:_TELLS]
    rest = _NOT_WORDS.sub(lambda m: re.sub(r"[^?!.…,;:]", "", m.group()[len(m.group().rstrip("?!.…,;:)]>»”'\"")):]),
                          text)
    return rest if any(c.isalpha() for c in rest) else text


def speaks(text: str, hint: Hint = None) -> str:
    """The language to answer ``text`` in, citebot's own words around the source: ``detect``'s, except that a name in
    the other script does not decide ("Что сказал Stoltenberg?" is Russian, "Who is Зеленський?" English), as the
    engine reads a question (by words, with no hint). Nor do a link's, an e-mail's or an @name's letters
    (``own_words``): "Unde e summitul? https://example.org/news/summit-of-leaders" is Romanian.

    >>> speaks("Что сказал Stoltenberg?", hint="ro"), detect("Что сказал Stoltenberg?", hint="ro")
    ('ru', 'ro')

    Nor does a capitalised word inside a Latin sentence, a name's ("Ce a spus The Guardian?" is Romanian: "a" is
    both languages' short word, and "The" the name's), where the engine, reading it as before, may take it as English.

    >>> speaks("Ce a spus The Guardian?", hint="en"), detect("Ce a spus The Guardian?", hint="en", by_words=True)
    ('ro', 'en')

    Its letters are read as the engine reads them (``bot.answering.question.readable``): a Latin i for the Cyrillic
    і a Russian layout lacks, a "fancy font"'s letters as plain ones.

    >>> speaks("Скiльки грошей видiлили?"), speaks("𝐔𝐧𝐝𝐞 𝐞 𝐬𝐮𝐦𝐦𝐢𝐭𝐮𝐥?", hint="ru")
    ('uk', 'ro')

    Nor does how a name in the same script is spelt: a Russian question naming a Ukrainian town as Ukrainians write it
    is Russian, and a Ukrainian one naming a Russian town as Russians write it Ukrainian.

    >>> speaks("Кто посетил Ірпінь?"), speaks("Де знаходиться Сыктывкар?"), speaks("А Ірпінь?", hint="en")
    ('ru', 'uk', 'uk')
    """
    from bot.answering.question import readable  # not at the top: it imports from here

    return detect(own_words(readable(text)), hint, by_words=True, names_aside=True)


_SENTENCE_END = re.compile(r"[.!?¿¡…:;\n]")


def _without_names(text: str, the: bool = False) -> list[str]:
    """``text``'s words, lower-cased, but those capitalised inside a sentence: a name's ("The Guardian", "Le Monde", and
    "iPhone", "eBay", a capital inside the word),
    and with ``the`` a "the" just before one ("Що таке the Alliance?") and the Latin words in lower case between two
    of a name's ("Хто грає в Game of Thrones?", "Bank of America"; not "Зеленський і Макрон"). A text with no word in
    lower case, all in capitals or in Title Case ("A FOST BIDEN LA KYIV?", "Joe Biden Was In Kyiv?"), tells no name
    from the rest: all its words."""
    matches = list(_WORD.finditer(text))
    everything = not any(match.group()[0].islower() for match in matches)
    words, end, article, after = [], None, False, None  # after: where the words after a name's begin
    for match in matches:
        word = match.group()
        opens = end is None or _SENTENCE_END.search(text, end, match.start())
        if everything or word.islower() or opens:  # "iPhone", "eBay": a capital inside is a name's too
            if opens or not (the and _LATIN.match(word) and not _CYRILLIC.search(word)):
                after = None
            words.append(word.lower())
            article = the and word == "the"
        else:
            if the and (article or after is not None):
                del words[len(words) - 1 if after is None else after:]  # "the Alliance", "Game of Thrones": the name's
            article, after = False, len(words)
        end = match.end()
    return words


# A Romanian past participle as phones type it, without diacritics: vizitat, luat, negociat, cerut, venit; spus, dus;
# trimis, scris, ucis, deschis; ajuns, mers, ramas, tras, scos; fost, ales. Not a word in "eat"/"oat" (English's "a
# threat", "a boat"), nor in English's -ous, -ius, -sis, -eans, "gas" ("Trump a serious threat?", "Einstein a
# genius?", "Ukraine a crisis?", "Bitcoin a means of payment?": their "is" left out).
_PARTICIPLE = re.compile(r"(?:[^\W\daeo_]at|^(?:re|pro)?creat|it|ut|[pd]us|(?:[cmrz]|ch)is|(?<!ea)ns|rs|(?:r|ram)as|(?:sc|r)os|"
                         r"fost|ales)$")
# English nouns that end as such a participle does and that an English question puts after "a" with its "is" left out
# ("Stoltenberg a diplomat?", "Biden a democrat?", "Tomato a fruit?") or opens with ("A summit?", "A bit late?"): no
# Romanian participle ends in -ocrat or -plomat, nor is one of these words (Romanian's are vizitat, lucrat, construit).
_NOUN = re.compile(r"(?:ocrat|eaucrat|plomat)$")
_NOUNS = frozenset("fruit summit bandit pundit misfit culprit hermit rabbit habit habitat acrobat combat visit spirit limit "
                   "credit profit deficit exit orbit split edit audit outfit cockpit bit hit kit pit wit cat hat bat rat "
                   "fat flat chat nut hut cut gut".split())


# Romanian's definite article at a noun's end: guvernul, trupele, legile, deputatii (a plural's "-le" after e or i only:
# English's possible, schedule, people are no article)
_ARTICLED = ("ul", "ele", "ile", "lor", "ii")


def _participle(word: str) -> bool:
    """True when lower-cased ``word`` may be a Romanian past participle typed without diacritics."""
    return len(word) >= 3 and _PARTICIPLE.search(word) is not None and word not in _NOUNS and not _NOUN.search(word)


def _says_who_did_what(text: str) -> bool:
    """True when ``text``'s words open with a subject of one to four words (none of English's short words), then "a"
    or "au" and a participle: Romanian's perfect ("Stoltenberg a vizitat Kievul?", "Deputatii au votat legea?"), which
    holds no letter or word only Romanian has once typed without diacritics; or with "a" or "au" and a participle, its
    subject after them (a name, or a noun with Romanian's article: "A vizitat Stoltenberg Kievul?", "A semnat
    presedintele legea?"), and no short word of English's ("A permit required?" is English). English asks "Is Stoltenberg
    a diplomat?", its "is" first, or leaves the "is" out before a noun (``_NOUNS``). A capital "A" there is a name's
    letter ("Plan A options?", "Hepatitis A virus?"), but in a text with no word in lower case ("STOLTENBERG A VIZITAT
    KIEVUL?")."""
    cased = _WORD.findall(text)
    anycase = not any(word[0].islower() for word in cased)
    words = [word.lower() for word in cased]
    if len(words) >= 3 and words[0] in ("a", "au"):  # its subject a name or a noun with Romanian's article
        subject = cased[2][0].isupper() and not anycase or any(w.endswith(_ARTICLED) for w in words[2:])
        participle = (anycase or cased[1].islower()) and _participle(words[1])  # "A Brexit deal", "A Kuwait Airways": names
        return subject and participle and all(w not in _CUES["en"] for w in words[2:])
    for i in range(1, min(5, len(words) - 1)):
        if words[i] in ("a", "au"):
            return ((anycase or cased[i].islower()) and all(w not in _CUES["en"] for w in words[:i])
                    and (anycase or cased[i + 1].islower()) and _participle(words[i + 1]))  # "a Brexit": a name
    return False


def _romanian_e(text: str) -> int:
    """How often ``text`` writes Romanian's "e" ("is", "este" as phones type it: "Summitul e in iulie?"): a word of its
    own ("e-mail"'s is none, nor an initial's, "E. coli"), not right after a name's word, whose title it may go on
    ("Who wrote Cine e cine?"); a capital only in a text with no word in lower case, or opening a sentence ("E
    adevarat?")."""
    if not re.search(r"(?<![\w-])[eE](?![\w-])", text):
        return 0
    matches = list(_WORD.finditer(text))
    everything = not any(match.group()[0].islower() for match in matches)
    count, end, name = 0, None, False
    for match in matches:
        word = match.group()
        opens = end is None or _SENTENCE_END.search(text, end, match.start()) is not None
        if (word == "e" and not name or word == "E" and (everything or opens)) \
                and text[max(match.start() - 1, 0):match.start()] != "-" \
                and text[match.end():match.end() + 1] not in ("-", "."):
            count += 1
        name = not (everything or word.islower() or opens)  # as _without_names reads a name
        end = match.end()
    return count


def _cyrillic(words: list[str], cyrillic: int, latin: int) -> bool:
    """True when the text is in Cyrillic: when only one script's words hold short words of its languages, that
    script (the other's are names), else the one most of its letters are in ("Что такое malum in se?")."""
    if cyrillic and latin:
        ours = _score(words, "uk") + _score(words, "ru")
        theirs = _score(words, "en") + _score(words, "ro")
        if bool(ours) != bool(theirs):
            return bool(ours)
    return cyrillic > latin


# Short words Ukrainian and Russian both write (Ukrainian's "в" for its "у" next to a vowel, Russian's "у" as "at"): among
# the words around a name they tell neither, where the name's letters do ("Вибухи в Києві?" is Ukrainian)
_BOTH_WRITE = frozenset("в у".split())


def _uk_ru(words: list[str], lower: str, by_words: bool) -> tuple[int, int]:
    """How much ``words`` (``lower``: their text, lower-cased) tell Ukrainian and Russian: a letter of one of the pair
    twice what one of its short words does."""
    uk = 2 * len(_UK_LETTERS.findall(lower)) + _score(words, "uk")
    ru = 2 * len(_RU_LETTERS.findall(lower)) + _score(words, "ru")
    if by_words:  # a question's, as a letter of the pair's (a passage is read as before); ь before я in a word
        # with і is Ukrainian's own (мільярд, більярд, Льюїс), where Russian writes миллиард
        russian = sum(len(_RU_SPELLING.findall(word)) for word in words if not _UK_LETTERS.search(word))
        uk, ru = uk + 2 * len(_UK_SPELLING.findall(lower)), ru + 2 * russian
    return uk, ru


def detect(text: str, hint: Hint = None, by_words: bool = False, names_aside: bool = False) -> str:
    """The language of ``text``: "en", "uk", "ro", "ru", another European language's code when the text is
    plainly in it, else ``hint``'s (its first of the bot's; a Cyrillic text's, its first Ukrainian or Russian), then
    English. ``by_words``, ``names_aside``: see ``speaks``."""
    hints = _hinted(hint)
    hinted = hints[0] if hints else None
    text = text[:_TELLS]
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if not cyrillic and not latin:
        return hinted or DEFAULT
    lower = text.lower()
    words = _WORD.findall(lower)
    # A name's "the" in a Cyrillic question is no English ("Що таке the Alliance?"); in a Latin one English's short
    # words are weighed against Romanian's, and "What is the Bassin de compensation…?" keeps its "the".
    if _cyrillic(_without_names(text, the=True) if names_aside else words, cyrillic, latin) if by_words \
            else cyrillic > latin:
        if names_aside:  # the words around a name tell its question's language, not how the name is spelt: "Кто
            # посетил Ірпінь?" is Russian, "Де знаходиться Сыктывкар?" Ukrainian; the name's letters where they say nothing
            # (nor do "в" and "у", which both write: "Погода в Одесі?" is Ukrainian, its "в" Ukrainian's "у" by a vowel)
            around = [word for word in _without_names(text) if word not in _BOTH_WRITE]
            if not any(match.group()[0].islower() for match in _WORD.finditer(text)):  # "Где Ірпінь?", "ГДЕ ІРПІНЬ?":
                # no word in lower case tells a name from the rest, but the pair's short words are no name's
                around = [word for word in around if word in _CUES["uk"] or word in _CUES["ru"]]
            uk, ru = _uk_ru(around, " ".join(around), by_words)
            if uk != ru:
                return "uk" if uk > ru else "ru"
        uk, ru = _uk_ru(words, lower, by_words)
        if uk != ru:
            return "uk" if uk > ru else "ru"
        # The text tells neither: the user's language is a better guess than its length (a Ukrainian "Бюджет
        # затвердили депутати?" from a Ukrainian app got Russian words), and a user reads their app's language.
        cyrillic_hint = next((lang for lang in hints if lang in CYRILLIC_LANGUAGES), None)
        if cyrillic_hint:
            return cyrillic_hint
        # Too short to tell by a missing і ("Ок", "Ясно"), from a user whose app (or the chat so far) is in English or
        # Romanian: that language, which they read, rather than a guess at Ukrainian or Russian
        if hinted and cyrillic < _NO_UK_LETTERS_MIN:
            return hinted
        # "і" is among Ukrainian's commonest letters and Russian has none: a longer text without any is Russian
        if cyrillic >= _NO_UK_LETTERS_MIN and not _UK_LETTERS.search(lower):
            return "ru"
        return "uk"
    if names_aside:
        words = _without_names(text)
    ro = 2 * len(_RO_LETTERS.findall(lower)) + _score(words, "ro")
    if names_aside and _says_who_did_what(text):
        ro += 2  # as telling as a letter of Romanian's: the words around the source only, the engine reads as before
    en = _score(words, "en")
    other, score = _other(words)
    if other and score >= max(ro, en) + 2:  # a clear lead: "Who sang La Vie en Rose?" stays English
        return other
    if names_aside:  # "Summitul e in iulie?": its "in" English's too, "e" (for "este") Romanian's alone; after the
        # other languages', whose "e" is "and" ("Dove sono Roma e Milano?" is Italian)
        ro += _romanian_e(text)
    if ro != en:
        return "ro" if ro > en else "en"
    return hinted or DEFAULT


# What a question in another language than English asks for (English: bot.answering.answer_types). The other
# European languages' words come after ours ("wie" is German "how" and Dutch "who": left out).
_ASKS = (
    ("number", re.compile(r"^\W*(?:\w+\s+){0,2}?(скільки|сколько|câți|câte|cât|cati|cate|cat|combien|cuántos|cuántas|cuánta|"
                          r"cuánto|wie viele|wieviel|quanti|quante|quanto|quantos|quantas|ile|kolik|hoeveel|kaç)\b", re.I)),
    ("time", re.compile(r"^\W*(?:\w+\s+){0,2}?(коли|когда|când|cand|(в|у|în|in) (якому|каком|ce) (році|году|an|zi|lună)|"
                        r"якого числа|какого числа|quand|cuándo|cuando|wann|quando|kiedy|kdy|wanneer|ne zaman)\b", re.I)),
    ("person", re.compile(r"^\W*(?:\w+\s+){0,2}?(хто|кто|кого|кому|чий|чия|чей|чья|cine|cui|qui|quién|quien|wer|chi|"
                          r"quem|kto|kdo|kim)\b", re.I)),
    ("place", re.compile(r"^\W*(?:\w+\s+){0,2}?(де|где|куди|куда|звідки|звідкіля|откуда|unde|(в|у|în|in) (якому|якій|каком|какой|ce) "
                         r"(місті|країні|городе|стране|oraș|oraş|țară|ţară)|où|dónde|donde|wo|dove|onde|gdzie|kde|waar|"
                         r"nerede|(quelle|quel|qué|welche|welchem|welcher|quale|que|jakie|jakim|które|którym) "
                         r"(ville|pays|ciudad|país|stadt|land|città|paese|cidade|miasto|mieście|kraj))\b", re.I)),
)


def asks_for(question: str) -> str | None:
    """What kind of answer a question in another language than English wants ("time", "person", …) or None.

    >>> asks_for("Când a ajuns Stoltenberg la Kiev?")
    'time'
    """
    for name, pattern in _ASKS:
        if pattern.search(question):
            return name
    return None


def a_name(text: str, lang: str) -> bool:
    """True when ``text`` is a name, not a sentence of ``lang``: each of its words but ``lang``'s short ones starts with
    a capital ("Straße des 17. Juni", "Die Grünen"), and it asks nothing (``asks_for``: "Wann war Stoltenberg in
    Kiew?" asks).

    >>> a_name("Die Grünen", "de"), a_name("Wo findet der Gipfel statt?", "de"), a_name("Qui a écrit Hamlet ?", "fr")
    (True, False, False)
    """
    cues = _CUES.get(lang, frozenset())
    words = _WORD.findall(text[:_TELLS])
    return asks_for(text) is None and all(word[0].isupper() or word.lower() in cues for word in words)


# A question in Ukrainian, Russian or Romanian made of these words alone ("Коли?", "Когда именно?", "Când?", "De ce?")
# names nothing, as "When?" names nothing in English (where the stopwords tell it): question words, "exactly", "else".
ASKING = frozenset(
    "коли де куди звідки хто кого кому що чому навіщо як скільки який яка яке які котрий котра котре саме ще чи "
    "когда где куда откуда кто кого кому что чего почему зачем как сколько какой какая какое какие который "
    "которая которое именно ещё еще ли "
    "când cand unde încotro incotro cine ce de cum cât cat câți cati câte cate care exact anume oare".split())


# A question word after its preposition names nothing either ("З ким?", "Для чого?", "С кем?", "О чём?", "Cu cine?",
# "Până când?", as "With whom?" and "What for?"): the forms of who and what a preposition takes that ``ASKING`` lacks,
# and the prepositions. Read as words that name something, "З ким?" and "С кем?" asked first got a passage.
ASKING_FORMS = frozenset("ким чим кім чім чого кем чем ком чём чего".split())
PREPOSITIONS = frozenset(
    "з із зі зо у в на до від для про за по при через після перед між над під без "
    "с со во о об обо от из после между под "
    "cu la pe din pentru despre până pana în in prin spre după dupa fără fara".split())


def says_nothing(text: str, lang: str) -> bool:
    """True when every word of ``text`` is one of ``lang``'s everyday words or a question word (``ASKING``): a bare
    "Кто?", "Куда?" or "Și când?" names nothing to look up (read alone; a follow-up takes its topic from the question
    before it).

    >>> says_nothing("Кто?", "ru"), says_nothing("Куда?", "uk"), says_nothing("А коли?", "uk")
    (True, True, True)
    >>> says_nothing("Cine a scris Hamlet?", "ro")
    False
    """
    cues = _CUES.get(lang, frozenset())
    return all(word in cues or word in ASKING or word in ASKING_FORMS or word in PREPOSITIONS
               for word in _WORD.findall(text.lower()))


# The letters questions here are written in: Latin (with the diacritics of European languages, ș ț included)
# and the Cyrillic of Ukrainian and Russian.
_LEGIBLE = re.compile(r"[A-Za-z\u00c0-\u00ff\u0100-\u017f\u0218-\u021b\u0400-\u045f\u0490\u0491]")


def legible(text: str) -> bool:
    """True when most letters of ``text`` are Latin or modern Cyrillic: a string of a dozen scripts' letters
    (keyboard noise, a mis-decoded page) is read as no question at all.

    >>> legible("Кто пригласил Stoltenberg?"), legible("⌛sױረYѾ֣ࠪۮ٩ᶀb҈ڤѹЫϩEጐо🍐Ѣ֑😖҉4")
    (True, False)
    """
    letters = [c for c in text[:_TELLS] if c.isalpha()]
    return bool(letters) and 2 * sum(1 for c in letters if _LEGIBLE.match(c)) >= len(letters)


def garbled(text: str) -> bool:
    """True when a quarter or more of ``text``'s visible characters are U+FFFD (bytes that were not UTF-8), control
    characters or unassigned code points: random bytes piped or pasted, not a question, whatever letters they hold.

    >>> garbled("What is \ufffd?"), garbled("h\ufffd\ufffdT\ufffd+?\ufffdZO\ufffd\x1a")
    (False, True)
    """
    chars = [c for c in text[:_TELLS] if not c.isspace()]
    bad = sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs"))
    return bool(chars) and 4 * bad >= len(chars)


_Y_ENDING = re.compile("(?:ий|ій|ый)$")
_YE = re.compile("(?:^|(?<=[аеєиіїоуыэюяьъ'’]))е")


def latin_spellings(word: str) -> tuple[str, ...]:
    """The Latin spellings of lower-cased Cyrillic ``word`` that English-language articles commonly give a Ukrainian or
    Russian name, Ukrainian's (г as h, и as y) first, then Russian's (г as g, и as i), then a name spelt with j.

    >>> latin_spellings("буча"), latin_spellings("київ")[0], latin_spellings("столтенберг")
    (('bucha',), 'kyiv', ('stoltenberh', 'stoltenberg'))
    >>> "zelensky" in latin_spellings("зеленський"), latin_spellings("єнс")
    (True, ('iens', 'yens', 'jens'))
    """
    spellings = []
    for lang in ("uk", "ru"):
        for table, spelt in ((TO_LATIN[lang], word), (TO_LATIN_Y[lang], _YE.sub("ye", word))):
            spellings.append(spelt.translate(table))
            if _Y_ENDING.search(spelt):
                spellings.append(_Y_ENDING.sub("", spelt).translate(table) + "y")
    spellings.extend(word.translate(TO_LATIN_J[lang]) for lang in ("uk", "ru"))
    return tuple(dict.fromkeys(s for s in spellings if s.isascii()))


# Places in Ukraine and Moldova whose English spellings differ by more than a letter's transliteration: each group's
# spellings, today's official (Ukrainian, Romanian) one first, then the exonyms English, Romanian, German and Polish
# readers still type, mostly from Russian (the "KyivNotKiev" list; Kishinev for Chișinău, Lemberg for Lviv).
_EXONYMS = (
    ("kyiv", "kiev", "kiew", "kijow", "kyjiv"), ("odesa", "odessa"), ("lviv", "lvov", "lwow", "lemberg", "liov"),
    ("kharkiv", "kharkov", "harkov", "charkiw"), ("mykolaiv", "nikolaev", "nikolayev", "mykolayiv"),
    ("zaporizhzhia", "zaporizhia", "zaporizhzhya", "zaporozhye", "zaporozhe", "zaporojie"), ("luhansk", "lugansk"),
    ("dnipro", "dnepr", "dnipropetrovsk", "dnepropetrovsk"), ("chernihiv", "chernigov", "cernigov"),
    ("rivne", "rovno"), ("chisinau", "kishinev", "kishinyov"), ("vinnytsia", "vinnitsa"),
    ("zhytomyr", "zhitomir", "jitomir"), ("chernivtsi", "chernovtsy", "cernauti", "czernowitz"),
    ("uzhhorod", "uzhgorod"), ("balti", "beltsy"),
)
_EXONYM = {spelling: group for group in _EXONYMS for spelling in group}
# A Slavic surname's adjectival ending as English, Polish and transliteration systems write it: Zelensky, Zelenskyi,
# Zelenskyy, Zelenskiy, Zelenski (-ський, -ский), and its feminine Zelenska, Zelenskaya (-ська, -ская).
_ENDINGS = (("sky", "skyi", "skyy", "skiy", "ski", "skii", "skij", "skyj"), ("ska", "skaya", "skaia", "skaja"))
# The letters one transliteration writes where another writes others, for the same sound: х as kh or h (Kharkiv,
# Romanian Harkov), ж as zh, z or j (Romanian), и, й and і as y or i (Zelenskyi, Zelenskii), є as ye or ie.
_LETTERS = (("kh", "h"), ("zh", "z"), ("zh", "j"), ("y", "i"), ("ye", "ie"))
# What marks a spelling as a Slavic name's transliteration (kh, zh, yi, iy, a word-initial ye/ie/yu/iu/ya/ia, a surname's
# ending): one letter's swap is taken only where the word or its variant has one. Without, English words and other
# names were respelled to whatever the articles held: Lyon as lion, tire as tyre, Smyth as Smith, Bryan as Brian.
_MARKED = re.compile(r"kh|zh|yi|iy|yy|^(?:ye|ie|yu|iu|ya|ia)|sk(?:y|yi|yy|iy|i|ii|ij|yj|a|aya|aia|aja)$")


_NAME_CHARS = 64  # the longest word given other spellings, as the index reads a word by its first 64 letters (a name is
# a few dozen at most; one of 600 letters that an article held took 16 s and 970 MB to respell, 16 times in a question)


def latin_variants(word: str) -> tuple[str, ...]:
    """The other Latin spellings of lower-cased ``word``, a Ukrainian, Russian or Moldovan name, that articles may
    give it, likeliest first: its place's spellings (``_EXONYMS``), then those one or two letters' transliterations
    apart (``_ENDINGS``, then ``_LETTERS``, each way), where the word or the spelling is marked as a Slavic name's
    (``_MARKED``).

    >>> latin_variants("kiev")[:2], latin_variants("zelenskiy")[:3], "kharkiv" in latin_variants("harkiv")
    (('kyiv', 'kiew'), ('zelensky', 'zelenskyi', 'zelenskyy'), True)
    >>> "lion" in latin_variants("lyon"), "smith" in latin_variants("smyth")
    (False, False)
    """
    def near(spelt: str) -> list[str]:
        found = []
        for family in _ENDINGS:
            ending = next((e for e in sorted(family, key=len, reverse=True) if spelt.endswith(e)), None)
            if ending:
                found.extend(spelt[:-len(ending)] + other for other in family)
        for pair in _LETTERS:
            for a, b in (pair, pair[::-1]):
                found.extend(spelt[:m.start()] + b + spelt[m.end():] for m in re.finditer(a, spelt))
        return found

    if len(word) > _NAME_CHARS:  # no name: its variants, swaps one and two at a time, grow as its length cubed
        return ()
    once = near(word)
    marked = _MARKED.search(word) is not None
    variants = [v for v in once + [v for spelt in once for v in near(spelt)] if marked or _MARKED.search(v)]
    return tuple(v for v in dict.fromkeys(list(_EXONYM.get(word, ())) + variants) if v != word)


# Ukrainian and Russian case endings of a name, longest first, each with the endings of the forms it may be a case of,
# likeliest first: a name copied from a Ukrainian or Russian sentence keeps its case (Столтенберга, Зеленського, Бучу,
# Києві). Adjectival surnames first (-ського: -ський), then nouns: masculine ("" for a consonant), feminine.
_CASES = (
    ("ого", ("ий",)), ("ому", ("ий",)), ("ові", ("",)), ("еві", ("", "ь")), ("єві", ("й",)),
    ("ім", ("ий",)), ("им", ("ий",)), ("ым", ("ий",)), ("ої", ("а", "я")), ("ою", ("а",)), ("ею", ("а", "я")),
    ("єю", ("я",)), ("ой", ("а",)), ("ей", ("я",)), ("ую", ("а",)), ("ом", ("",)), ("ем", ("", "ь")), ("єм", ("й",)),
    ("а", ("", "ь")), ("я", ("", "ь", "й")), ("у", ("а", "")), ("ю", ("я", "", "ь", "й")),
    ("і", ("а", "", "я", "ь", "й")), ("ї", ("я",)), ("и", ("а",)), ("ы", ("а",)), ("е", ("", "а")),
)
# Ukrainian's о, е or є of a masculine noun's last syllable is і (ї) when the syllable closes it: Києва, Київ; Харкова,
# Харків; Львова, Львів.
_OPENED = re.compile("([оеє])([бвгґджзклмнпрстфхцчшщ])$")
_VOWELS = frozenset("аеєиіїоуыэюяё")


def base_forms(word: str) -> tuple[str, ...]:
    """The forms that lower-cased Cyrillic ``word``, a name in one of its cases, may be a case of, likeliest first: its
    case ending replaced by the ending of each (``_CASES``), of four letters or more.

    >>> base_forms("зеленського"), base_forms("бучу"), base_forms("києва")[:2]
    (('зеленський',), ('буча',), ('києв', 'київ'))
    """
    forms = []
    for ending, bases in _CASES:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[:-len(ending)]
            vowel = stem[-1] in _VOWELS
            for base in bases:
                if (base == "й") != vowel and base in ("", "ь", "й"):
                    continue  # й closes a vowel (Сергія: Сергій), a consonant closes a stem or takes ь (Ігоря: Ігор)
                forms.append(stem + base)
                if not base:
                    forms.append(_OPENED.sub(lambda m: ("ї" if m[1] == "є" else "і") + m[2], stem))
    return tuple(dict.fromkeys(f for f in forms if f != word and len(f) >= 4))


def names(text: str) -> list[str]:
    """The words of ``text`` written with a capital that do not open it: the names it gives (a place, a person).

    >>> names("До скількох гривень зросла ціна хліба в Києві?"), names("How many died in the Riverton floods?")
    (['Києві'], ['Riverton'])
    """
    return [m.group() for m in _WORD.finditer(text) if m.start() and m.group()[0].isupper()]


def name_spellings(word: str) -> frozenset[str]:
    """The Latin spellings by which the name ``word``, in any of its cases and in Cyrillic or Latin letters, is met in
    another article, in any of citebot's languages: Києві, Киеве, Kyiv and Kiev share "kyiv" (``base_forms``,
    ``latin_spellings``, ``_EXONYMS``).

    >>> {"kyiv", "kiev"} <= name_spellings("Києві") & name_spellings("Киеве"), "kyiv" in name_spellings("Kiev")
    (True, True)
    >>> name_spellings("Харкові") & name_spellings("Києві"), sorted(name_spellings("Chișinău"))[:2]
    (frozenset(), ['chisinau', 'kishinev'])
    >>> "sibiu" in name_spellings("Sibiului"), "iasi" in name_spellings("Iașului"), "moldova" in name_spellings("Moldovei")
    (True, True, True)
    """
    lower = word.lower()
    if _CYRILLIC.search(lower):
        spelt = [s for form in (lower, *base_forms(lower)) for s in latin_spellings(form)]
    else:
        plain = "".join(c for c in unicodedata.normalize("NFD", lower) if not unicodedata.combining(c))
        spelt = [plain] + [plain[:-len(ending)] + base for ending, bases in _RO_CASES if plain.endswith(ending)
                           and len(plain) - len(ending) >= 3 for base in bases]
    return frozenset(s for one in spelt for s in (one, *_EXONYM.get(one, ())))


# Romanian genitive-dative endings of a name, each with the endings of the forms it may be a case of: "zona Sibiului"
# is Sibiu's, "Clujului" Cluj's, "Iașului" Iași's, "Moldovei" and "României" Moldova's and România's
_RO_CASES = (("ului", ("", "i")), ("lui", ("",)), ("ei", ("a",)))


COGNATE = 5  # letters of a word's Latin spelling that must agree: Зеленського/Zelenski/Zelensky, Вільнюсі/Vilnius


def cognate_keys(text: str, lang: str | None = None) -> frozenset[str]:
    """The first ``COGNATE`` letters, in plain Latin, of ``text``'s words of four letters or more, less
    ``lang``'s short everyday words: names and borrowed words keep their start across languages.

    >>> sorted(cognate_keys("Хто запросив Зеленського до Вільнюса?", "uk"))
    ['vilni', 'zapro', 'zelen']
    >>> sorted(cognate_keys("to which Zelensky responded in Vilnius"))
    ['respo', 'vilni', 'which', 'zelen']
    """
    keys = set()
    cues = _CUES.get(lang or "", frozenset())
    for word in _WORD.findall(text.lower()):
        if word not in cues:
            key = cognate_key(word, lang)
            if key:
                keys.add(key)
    return frozenset(keys)


def cognate_key(word: str, lang: str | None = None) -> str | None:
    """The first ``COGNATE`` letters of lower-cased ``word`` in plain Latin, or None under four letters.

    >>> cognate_key("зеленського", "uk"), cognate_key("zelensky"), cognate_key("nato")
    ('zelen', 'zelen', 'nato')
    """
    latin = unicodedata.normalize("NFD", word.translate(TO_LATIN.get(lang or "", TO_LATIN["ru"])))
    latin = "".join(c for c in latin if c.isascii() and c.isalpha())
    return latin[:COGNATE] if len(latin) >= 4 else None
