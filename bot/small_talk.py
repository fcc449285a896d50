"""Small talk: turns that ask nothing of the articles ("Thanks!", "ok", "hi", "what can you do?"), in en/uk/ru/ro.

>>> small_talk("Thank you very much!"), small_talk("Thanks, and when is it?")
(SmallTalk(kind='thanks', language='en'), None)
>>> without_small_talk("OK, and when is it?")
('and when is it?', {'ack'})
"""

from __future__ import annotations

import re

from bot.answer import SmallTalk
from bot.answering.question import CEDILLA, GREETINGS
from bot.language import LANGUAGES


# Small talk: turns that ask nothing of the articles, answered in the bot's own words and leaving the topic to the next
# follow-up. A closed list of phrases by language and kind; a turn is small talk when its words are these phrases and
# nothing else ("Thank you very much!", "ok thanks", "Hi, what can you do?"): one other word and it is a question
# ("Thanks, and when is it?", "Is that OK?", "Hi, where is the summit?"). The strongest kind of a turn names the reply
# ("Hi, what can you do?" gets the help); words of no kind ("very much", "bot") only go with the others. "sources" asks
# what the articles are ("What articles do you have?"), which /sources lists; "Which articles did NATO publish?" asks
# them.
_TALK_KINDS = ("reset", "help", "sources", "source", "presence", "bye", "thanks", "greeting", "ack")  # strongest first
_TALK = {
    "en": {
        "help": "what can you do|what do you do|what can i ask|what can i ask you|what are you|who are you|help|help me|"
                "how does this work|how does it work|how do you work",
        "sources": "what articles do you have|which articles do you have|what articles do you know|"
                   "which articles do you know|what sources do you have|which sources do you have|"
                   "what sources do you know|which sources do you know|what are your sources|what are your articles|"
                   "what articles are there|which articles are there|what do you know|what can i ask about|"
                   "what can i ask you about|list the articles|list your articles|list the sources|list your sources|"
                   "show me the articles|show me your sources",
        "presence": "are you there|you there|anyone there|anybody there|is anyone there|is anybody there|"
                    "are you still there|still there|are you alive",
        "bye": "bye|goodbye|good bye|bye bye|see you|see you later|good night",
        "thanks": "thanks|thank you|thank u|thx|ty|cheers|many thanks|much appreciated|appreciated",
        "greeting": GREETINGS["en"],
        "ack": "ok|okay|k|kk|okey|alright|all right|fine|sure|great|cool|nice|good|super|perfect|awesome|excellent|"
               "wonderful|got it|i see|understood|noted|good job|well done|wow|"
               # that it is clear ("Thanks, all clear" was looked up, a passage cited, and the topic)
               "clear|that's clear|that is clear|it's clear|it is clear|everything is clear|everything's clear|"
               "i understand|"
               # yes or no alone ("Yes please", "No thanks"): asked, "Not found", and the topic
               "yes|yeah|yep|yup|no|nope|nah|no thanks|no thank you|no thx|"
               # agreeing, and with another phrase only stressing it: "Where from exactly?" asks "Where from?"
               "exactly|precisely",
        "reset": "new question|new topic|another topic|different topic|start over|let's start over|start again|"
                 "forget it|forget that",
        # where the last answer comes from (bot.conversation); not "who said that?", which the articles answer
        "source": "source|sources|the source|your source|link|links|the link|url|citation|reference|"
                  "what is the source|what's the source|what is your source|what's your source|which source|"
                  "where is the source|where's the source|where is your source|where's your source|"
                  "where is that from|where's that from|where is this from|where's this from|where did you get that|"
                  "where did you get this|give me the source|give me the link|show me the source|show me the link|"
                  "source of that|source of this|source for that|source for this|the source of that|the source of this|"
                  "what is the source of that|what's the source of that|what is the source of this|"
                  "what's the source of this|and the source|and source|and your source|and the link|and the links|"
                  "and where is that from|and where's that from|and where is this from|and where's this from|"
                  # alone as "откуда?" alone, after an answer about a person too; a clause of its own, a question's
                  "where from|and where from|from where|and from where",
        # and the one they are said to: "Thanks, mate!", "thanks man" and "hi guys" were looked up, "Not found", the topic
        # "now" with them too: "Now it's clear", "Thanks, everything is clear now" were looked up, as "Теперь всё понятно"
        # what the thanks are for: "Thanks for the answer", "Спасибо за ответ" were looked up, a passage cited, the topic
        None: "very much|so much|a lot|again|bot|citebot|oh|ah|well|then|now|please|pls|plz|"
              "for the answer|for your answer|for the help|for your help|for that|for this|"
              "mate|man|buddy|bro|dude|pal|friend|sir|madam|ma'am|guys|folks|all|everyone|everybody",
    },
    "uk": {
        "help": "що ти вмієш|що ви вмієте|що ти можеш|що ви можете|хто ти|хто ви|допомога|допоможи|допоможіть|"
                "як це працює|як ти працюєш",
        "sources": "що ти знаєш|що ви знаєте|які в тебе статті|які у тебе статті|які у вас статті|які в вас статті|"
                   "які статті ти маєш|які статті ви маєте|які статті ти знаєш|які статті ви знаєте|"
                   "які статті у тебе є|які статті у вас є|які в тебе джерела|які у тебе джерела|які у вас джерела|"
                   "які джерела ти знаєш|які джерела ви знаєте|про що можна запитати|про що можна спитати|"
                   "про що тебе можна запитати|про що вас можна запитати|перелік статей|покажи статті|покажіть статті",
        "presence": "ти тут|ви тут|є хто|хтось тут",
        "bye": "бувай|бувайте|до побачення|па|на все добре|до зустрічі|на добраніч",
        "thanks": "дякую|дякуємо|спасибі|щиро дякую|дякс|дяки|мерсі|мерсі боку",  # the last four as a friend says it
        "greeting": GREETINGS["uk"],
        "ack": "ok|ок|окей|добре|гаразд|чудово|супер|клас|круто|зрозуміло|ясно|зрозумів|зрозуміла|дуже добре|відмінно|"
               "все зрозуміло|усе зрозуміло|все ясно|усе ясно|тепер зрозуміло|тепер ясно|"
               "так|ні|ні дякую|ні спасибі|точно|саме",
        "reset": "нове запитання|нове питання|нова тема|інша тема|почнімо спочатку|почати спочатку|забудь",
        "source": "джерело|джерела|посилання|link|лінк|яке джерело|де джерело|звідки це|звідки це відомо|"
                  "звідки|а звідки|і звідки|а звідки це|і звідки це|а джерело|і джерело|а де джерело|і де джерело|"
                  "дай посилання|дайте посилання|покажи джерело|покажіть джерело",
        None: "дуже|велике|величезне|вам|тобі|ще раз|бот|ну|тепер|будь ласка|за відповідь|за допомогу|"
              "друже|друзі|всім|усім|брате|бро|пане|пані",  # "Дякую, друже!", "Привіт усім", as "Thanks, mate!"
    },
    "ru": {
        "help": "что ты умеешь|что вы умеете|что ты можешь|что вы можете|кто ты|кто вы|помощь|помоги|помогите|"
                "как это работает|как ты работаешь",
        "sources": "что ты знаешь|что вы знаете|какие у тебя статьи|какие у вас статьи|какие статьи у тебя есть|"
                   "какие статьи у вас есть|какие статьи ты знаешь|какие статьи вы знаете|какие у тебя источники|"
                   "какие у вас источники|какие источники ты знаешь|какие источники вы знаете|о чём можно спросить|"
                   "о чем можно спросить|о чём тебя можно спросить|о чем тебя можно спросить|о чём вас можно спросить|"
                   "о чем вас можно спросить|список статей|покажи статьи|покажите статьи",
        "presence": "ты тут|вы тут|ты здесь|вы здесь|есть кто|кто-нибудь тут|кто-нибудь здесь",
        "bye": "пока|до свидания|всего доброго|всего хорошего|до встречи|спокойной ночи",
        "thanks": "спасибо|благодарю|спс|мерси|мерси боку|пасиб|пасибо",  # the last four as a friend says it
        "greeting": GREETINGS["ru"],
        "ack": "ok|ок|окей|хорошо|ладно|отлично|супер|класс|круто|понятно|ясно|понял|поняла|очень хорошо|прекрасно|"
               "всё понятно|все понятно|всё ясно|все ясно|теперь понятно|теперь ясно|"
               "да|нет|нет спасибо|точно|именно",
        "reset": "новый вопрос|новая тема|другая тема|начнём сначала|начнем сначала|начать сначала|забудь",
        "source": "источник|источники|ссылка|ссылку|ссылки|link|линк|какой источник|где источник|откуда это|"
                  "откуда|а откуда|и откуда|а откуда это|и откуда это|а источник|и источник|а где источник|"
                  "и где источник|а ссылка|и ссылка|"
                  "откуда это известно|дай ссылку|дайте ссылку|покажи источник|покажите источник",
        None: "большое|огромное|очень|вам|тебе|ещё раз|еще раз|бот|ну|теперь|пожалуйста|за ответ|за помощь|"
              "друг|друзья|дружище|всем|брат|братан|бро|ребята|"
              "господин|госпожа",  # "Спасибо, друг!", "Привет всем", "Спасибо, господин Петров" as "Дякую, пане…"
    },
    "ro": {
        "help": "ce poți face|ce poti face|ce puteți face|ce puteti face|cine ești|cine esti|cine sunteți|cine sunteti|"
                "ajutor|ajută-mă|ajuta-ma|cum funcționează|cum functioneaza",
        "sources": "ce articole ai|ce articole aveți|ce articole aveti|ce articole cunoști|ce articole cunosti|"
                   "ce surse ai|ce surse aveți|ce surse aveti|ce surse cunoști|ce surse cunosti|ce știi|ce stii|"
                   "ce știți|ce stiti|despre ce pot întreba|despre ce pot intreba|despre ce te pot întreba|"
                   "despre ce te pot intreba|despre ce vă pot întreba|despre ce va pot intreba|lista articolelor|"
                   "lista surselor|arată-mi articolele|arata-mi articolele",
        "presence": "ești acolo|esti acolo|sunteți acolo|sunteti acolo|ești aici|esti aici|e cineva acolo",
        "bye": "pa|la revedere|pe curând|pe curand|noapte bună|noapte buna|o zi bună|o zi buna",
        # "merci" and "ciao" are Romanian's too (as French's and Italian's: said alone, in the chat's language)
        "thanks": "mulțumesc|multumesc|mersi|merci|mulțumim|multumim|vă mulțumesc|va multumesc|îți mulțumesc|"
                  "iti multumesc|mulțam|multam",  # "mulțam" as a friend says it
        "greeting": GREETINGS["ro"] + "|ciao",
        "ack": "ok|bine|super|perfect|grozav|excelent|minunat|am înțeles|am inteles|înțeleg|inteleg|în regulă|"
               "in regula|foarte bine|clar|da|nu|nu mulțumesc|nu multumesc|nu mersi|exact|mai exact|întocmai|intocmai|"
               "e clar|este clar|totul e clar|totul este clar|acum e clar|acum este clar|acum înțeleg|acum inteleg",
        "reset": "întrebare nouă|intrebare noua|o întrebare nouă|o intrebare noua|subiect nou|un subiect nou|"
                 "s-o luăm de la capăt|s-o luam de la capat|de la capăt|de la capat|uită|uita",
        "source": "sursa|sursă|sursele|link|linkul|link-ul|care e sursa|care este sursa|de unde e asta|"
                  "de unde este asta|de unde ai asta|dă-mi sursa|da-mi sursa|dați-mi sursa|dati-mi sursa|"
                  "de unde|și de unde|si de unde|și sursa|si sursa|și care e sursa|si care e sursa",
        None: "mult|frumos|foarte|încă o dată|inca o data|bot|acum|vă rog|va rog|te rog|pentru răspuns|pentru raspuns|"
              "pentru ajutor|"
              "prietene|prieteni|frate|tuturor|omule|"
              # "Mulțumesc, prietene!", "Salut tuturor", "Mulțumesc, domnule Popescu" as "Дякую, пане…"
              "domnule|doamnă|doamna|domnișoară|domnisoara|domnilor|doamnelor",
    },
}
# Thanks, greetings and goodbyes in the other languages ``bot.language`` tells, which citebot does not read: asked, "Danke!"
# was "Not found: nothing in the corpus answers …"; small talk, it gets the bot's reply (in English) and the languages
# it reads. Not "salut" and "servus", Romanian too; "merci" and "ciao", Romanian's as well, are in both.
_TALK_ELSEWHERE = {
    "de": ("danke|danke schön|danke schon|danke sehr|vielen dank|besten dank", "hallo|guten tag|guten morgen|guten abend",
           "tschüss|tschüs|auf wiedersehen|gute nacht"),
    "fr": ("merci|merci beaucoup|merci bien", "bonjour|bonsoir|coucou", "au revoir|bonne nuit|à bientôt"),
    "es": ("gracias|muchas gracias|mil gracias", "hola|buenos días|buenos dias|buenas tardes",
           "adiós|adios|hasta luego|hasta pronto|buenas noches"),
    "it": ("grazie|grazie mille|molte grazie", "ciao|buongiorno|buonasera|salve", "arrivederci|buonanotte|a presto"),
    "pt": ("obrigado|obrigada|muito obrigado|muito obrigada", "olá|ola|oi|bom dia|boa tarde|boa noite",
           "tchau|adeus|até logo|ate logo"),
    "nl": ("dank je|dank u|dank je wel|dank u wel|bedankt", "hallo|hoi|goedemorgen|goedemiddag|goedenavond",
           "doei|tot ziens"),
    "pl": ("dziękuję|dziekuje|dzięki|dzieki", "cześć|czesc|dzień dobry|dzien dobry|witam", "do widzenia|na razie"),
    "cs": ("děkuji|dekuji|děkuju|dekuju|díky|diky", "ahoj|dobrý den|dobry den", "na shledanou|nashledanou"),
    "tr": ("teşekkürler|tesekkurler|teşekkür ederim|tesekkur ederim|sağ ol|sag ol|sağol|sagol", "merhaba|selam|günaydın",
           "görüşürüz|gorusuruz|hoşça kal|hosca kal"),
}
_TALK.update({lang: dict(zip(("thanks", "greeting", "bye"), phrases)) for lang, phrases in _TALK_ELSEWHERE.items()})
_TALK_WORDS = re.compile(r"[\w']+")


def _talk_words(text: str) -> list[str]:
    """``text``'s words as the phrases of ``_TALK`` are written: lower case, ş/ţ with a comma, a phone's ’ as '."""
    return _TALK_WORDS.findall(text.translate(CEDILLA).replace("\u2019", "'").lower())


def _talk_phrases() -> dict[tuple[str, ...], tuple[str | None, frozenset[str]]]:
    """Each phrase of ``_TALK`` (its words) -> its kind, and the languages that have it ("ok": all four)."""
    phrases: dict[tuple[str, ...], tuple[str | None, frozenset[str]]] = {}
    for lang, kinds in _TALK.items():
        for kind, listed in kinds.items():
            for phrase in listed.split("|"):
                # and as a phone types it, without its apostrophe: "Whats the source", "wheres that from", "lets start
                # over" were looked up, "Not found"
                for words in {tuple(_TALK_WORDS.findall(phrase)), tuple(_TALK_WORDS.findall(phrase.replace("'", "")))}:
                    phrases[words] = (kind, phrases.get(words, (kind, frozenset()))[1] | {lang})
    return phrases


_TALK_PHRASES = _talk_phrases()
_TALK_LONGEST = max(map(len, _TALK_PHRASES))


# Words only stressing the others ("Where from exactly?", "Звідки саме?", "De unde mai exact?"), inside a phrase too
# ("Where exactly is that from?" was asked, "Not found", where "Where is that from exactly?" named the source); a whence
# they stress, a clause of its own after a question, asks of that question as the whence alone does
_STRESS = frozenset({"exactly", "precisely", "точно", "саме", "именно", "exact", "întocmai", "intocmai"})


def _unstressed(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` without those only stressing the others ("exactly", "mai exact")."""
    return tuple(w for i, w in enumerate(words) if w not in _STRESS and words[i:i + 2] != ("mai", "exact"))


def small_talk(text: str) -> SmallTalk | None:
    """What ``text`` is, when it asks nothing of the articles: thanks, "ok", a greeting, "are you there?", "bye", "what
    can you do?" or "source?" (in English, Ukrainian, Russian or Romanian, and nothing else; thanks, a greeting or "bye"
    in another language ``bot.language`` tells, "Danke!", its code as the language); None for a question.

    >>> small_talk("Thank you very much!"), small_talk("Thanks, and when is it?")
    (SmallTalk(kind='thanks', language='en'), None)
    """
    words = _talk_words(text)
    talk = _small_talk(words)
    bare = _unstressed(tuple(words))
    if talk is None and bare and len(bare) < len(words):  # "Where exactly is that from?": the phrase it stresses
        talk = _small_talk(list(bare))
    return talk if talk is not None else _said_to_a_name(text)


# Thanks or a goodbye said to someone named, up to three words capitalised after it, a title with its stop among them:
# "thanks, Biden" was asked "Biden", "Thanks, Joe Biden" and "Thanks, Mr. Biden" all of it
_NAME = re.compile(r"[^\W\d_][\w'\u2019-]*")
_TITLE = re.compile(r"[^\W\d_]{1,4}\.")
_NAME_WORDS = 3
# a question typed in title case after thanks, not the one thanked: "Thanks, Who Is Biden", "Thanks, And When"
_NOT_A_NAME = frozenset("who whom whose what which when where why how and or but".split())
# Words of address a title follows in lower case, as Ukrainian, Russian and Romanian write it ("Дякую, пане президенте.",
# "Спасибо, господин президент.", "Mulțumesc, domnule președinte." were looked up, the Stoltenberg passage cited)
_ADDRESS = frozenset("mr mrs ms dr sir madam пане пані господин госпожа domnule doamnă doamna domnișoară domnisoara"
                     .split())


def _said_to_a_name(text: str) -> SmallTalk | None:
    """The thanks or goodbye ``text`` says to someone it names ("thanks, Biden", "Thank you Olena!", "Дякую, Андрію",
    "Bye, Stoltenberg.", "Thanks, Joe Biden", "Thanks, Mr. Biden"): nothing asked. Not with a "?" ("Thank you,
    Stoltenberg?" asks of him), nor after a greeting ("Hi, Zelensky" may ask of him), nor after a stop ("Thanks.
    Stoltenberg", "Thanks! Bucha": a name looked up)."""
    if "?" in text or "\uff1f" in text:
        return None
    # a 🙏 after it, as a stop ("Thanks, Stoltenberg 🙏" was looked up, his visit cited and the topic)
    text = text.strip()
    words = text[:len(text) - _AFTER_A_NAME.match(text[::-1]).end()].split(" ")
    for n in range(1, min(_NAME_WORDS, len(words) - 1) + 1):
        head, name = " ".join(words[:-n]).rstrip(), words[-n:]
        if not _NAME.fullmatch(name[-1]) or not all(_NAME.fullmatch(w) or _TITLE.fullmatch(w) for w in name[:-1]):
            return None
        if not all(w[:1].isupper() for w in name) and not _a_title(name):
            continue  # "Thanks, Mr. president.": a title in lower case after a word of address, as "пане президенте"
        if not head.strip(" ,") or (not head[-1].isalnum() and head[-1] != ","):  # "Thanks. Stoltenberg": looked up
            continue
        talk = _small_talk(_talk_words(head))
        if talk is not None and talk.kind in ("thanks", "bye"):
            return talk if name[0].lower() not in _NOT_A_NAME else None
    return None


def _a_title(name: list[str]) -> bool:
    """True when ``name`` is a word of address and a title in lower case, one or two words ("пане президенте", "domnule
    președinte", "Mr. president"), no question word among them ("sir what now", "пане де саміт")."""
    return (len(name) > 1 and name[0].rstrip(".").lower().translate(CEDILLA) in _ADDRESS
            and not any(w.lower() in _NOT_A_NAME or _ASKS.match(w) for w in name[1:]))


def _small_talk(words: list[str]) -> SmallTalk | None:
    """What ``words`` (as ``_talk_words`` reads them) are, when they ask nothing of the articles; see ``small_talk``."""
    kinds, languages, i, pleading = set(), None, 0, False
    while i < len(words):
        for n in range(min(_TALK_LONGEST, len(words) - i), 0, -1):  # the longest phrase first: "thank you", "good night"
            found = _TALK_PHRASES.get(tuple(words[i:i + n]))
            if found is not None:
                break
        else:
            return None  # a word that is no small talk: a question
        kind, langs = found
        kinds.add(kind)
        pleading = pleading or tuple(words[i:i + n]) in _PLEASE
        languages = langs if languages is None else languages & langs
        i += n
    # "Please?" alone nudges, as "are you there?" does: asked, it was "Not found" and became the topic
    kind = next((k for k in _TALK_KINDS if k in kinds), "presence" if pleading else None)
    if kind is None:
        return None  # no words, or "very much" alone
    if languages and not languages & set(LANGUAGES):  # "Hallo": German and Dutch, neither read, both told so alike
        return SmallTalk(kind, min(languages))
    return SmallTalk(kind, next(iter(languages)) if languages and len(languages) == 1 else None)


# not after "No." before a number, its abbreviation ("No. 10 said what?" was asked as "10 said what?", the "No." a "no")
_CLAUSES = re.compile(r"(?<=[,.!?;:…])(?!(?<=\b[Nn]o\.)\s+\d)\s+")
# "Please" closing a question, as a phone types it ("where is the summit pls"); and a word of thanks that closes a
# question no less as one of its words ("Is the support appreciated?")
_PLEASE = frozenset({("please",), ("pls",), ("plz",), ("будь", "ласка"), ("пожалуйста",), ("vă", "rog"), ("va", "rog"),
                     ("te", "rog")})
_NOT_CLOSING = frozenset({("appreciated",), ("cheers",)})
# Thanks or "please" after a verb of saying, or in quotes, is what was said, the question's object: "Who said thank
# you?", "Why did he say please?", "Cine a spus „mulțumesc”?", "Кому сказать спасибо?" were asked as "Who said", "Why
# did he say", "Cine a spus", "Кому сказать"; and so are thanks after "a" or "our" ("Who got a thank you", "Who deserves
# our thanks"), and thanks (not "please") after a verb that gives or gets them ("Who gave thanks?", "Кто передал
# спасибо?" were "Who gave", "Кто передал"). A question that opens with "what" has its object, so there they close it
# ("What did Germany send thanks", "What did he say, thank you?"); after a colon they are what was said all the same
# ("Why did he say: please?").
_ARTICLE = re.compile(r"\b(?:a|the|our|his|her|their|my|your|its|no|any|some|special|word|cuvântul|слово)\W*$",
                      re.IGNORECASE)
_SAYING = re.compile(r"\b(?:say|says|said|saying|tell|tells|told|write|writes|wrote|written|reply|replied|answer|"
                     r"answered|mean|means|meant|spus|spune|spun|zis|zice|scris|răspuns|сказав|сказала|сказали|"
                     r"сказати|каже|казав|написав|написала|відповів|сказал|сказать|говорит|говорил|написал|"
                     r"ответил)\W*$", re.IGNORECASE)
_GIVING = re.compile(r"\b(?:give|gives|gave|given|giving|send|sends|sent|sending|get|gets|got|gotten|getting|receive|"
                     r"receives|received|pass|passed|offer|offers|offered|extend|extended|deserve|deserves|deserved|"
                     r"express|expressed|owe|owes|owed|передав|передала|передали|передати|передай|отримав|отримала|"
                     r"отримали|передал|передать|передай|получил|получила|получили)\W*$", re.IGNORECASE)
# "Please" or thanks typed straight after "ask" is what was asked for ("Who asked please?" was asked as "Who asked"); after
# a comma it is the asker's ("Who asked, please?")
_ASKED = re.compile(r"\b(?:ask|asks|asked|asking|просив|попросив|просил|попросил|cerut)\W*$", re.IGNORECASE)
_WHAT = re.compile(r"^\W*(?:(?:and|so|і|а|и|și|si)\s+)?(?:what|що|что|ce)(?!\w)", re.IGNORECASE)
# The one they were said to may come between the verb and the thanks: "Кто сказал Зеленскому спасибо?", "Who said to
# Biden: thank you?" were asked as "Кто сказал Зеленскому", "Who said to Biden:"; a name, capitalised ("Who said that
# thanks" is "Who said that")
_SAID_TO = re.compile(r"\s(?:(?:to|lui)\s)?(\w+)\W*$", re.IGNORECASE)


def _said_to(head: str, kind: str) -> bool:
    """True when ``head`` ends with a verb of saying, or for thanks (``kind``) of giving, and the name of the one they
    were said or given to ("сказал Зеленскому", "передал Байдену": "Кто передал Байдену спасибо?" was asked as "Кто
    передал Байдену")."""
    named = _SAID_TO.search(head)
    verb = head[:named.start()] if named is not None else ""
    return named is not None and named.group(1)[:1].isupper() and bool(
        _SAYING.search(verb) or (kind == "thanks" and _GIVING.search(verb)))


def _what_was_said(head: str, kind: str, question: str) -> bool:
    """True when the thanks or "please" (``kind``) after ``head`` is the object of its last word, in ``question``."""
    said = _SAYING.search(head) or _said_to(head, kind)
    if _ARTICLE.search(head) or (head.rstrip().endswith(":") and (said or _GIVING.search(head))):
        return True
    verb = said or (kind == "thanks" and _GIVING.search(head))
    return bool(verb) and not _WHAT.match(question)


_QUOTE = "\"“„«'‘"


def _without_closing_thanks(clause: str, question: str) -> tuple[str, str | None]:
    """``clause`` of ``question`` without the thanks or "please" that closes it with no comma or stop before it ("where
    is the summit thanks", "when did he arrive please?"), and the kind dropped ("thanks", "please"; None when nothing
    was)."""
    spaces = [m.start() for m in re.finditer(r"\s+", clause.strip())]
    for space in spaces[::-1][:_TALK_LONGEST + 2][::-1]:  # the longest closing first: "thank you very much"
        head, tail = clause.strip()[:space], clause.strip()[space:]
        words, talk = tuple(_talk_words(tail)), small_talk(tail)
        kind = ("please" if words in _PLEASE else
                "thanks" if talk is not None and talk.kind == "thanks" and words not in _NOT_CLOSING else None)
        asked_for = _ASKED.search(head) is not None and not _WHAT.match(question)
        if kind is not None and tail.lstrip()[:1] not in _QUOTE and not asked_for and not _what_was_said(head, kind,
                                                                                                         question):
            return head.rstrip(" ,"), kind
    return clause, None


def _without_opening_please(clause: str) -> str | None:
    """``clause`` without the "please" that opens it with no comma after it, as a phone types it ("pls where is the
    summit", "будь ласка де саміт": "please" was a word to look up), where a word in lower case or a question word
    follows (not "Please Please Me"); None where none does."""
    tokens = clause.split()
    for n in (1, 2):  # "please", "будь ласка", "vă rog"
        if len(tokens) > n and tuple(_talk_words(" ".join(tokens[:n]))) in _PLEASE and tokens[n - 1][-1:].isalpha():
            following = tokens[n].strip(_STOPS + _QUOTE)
            if following[:1].islower() or _ASKS.match(following):
                return " ".join(tokens[n:])
    return None


# "Whence?" asks for the source alone, but in a clause of its own it opens a question as often ("Звідки, до речі, прибув
# Столтенберг?", "De unde, mai exact, vine gazul?"), or asks one ("Хто відвідав Бучу? Звідки?", "… Where from?")
_WHENCE = frozenset({("звідки",), ("а", "звідки"), ("і", "звідки"), ("откуда",), ("а", "откуда"), ("и", "откуда"),
                     ("de", "unde"), ("și", "de", "unde"), ("si", "de", "unde"), ("where", "from"),
                     ("and", "where", "from"), ("from", "where"), ("and", "from", "where")})


def _kind(clause: str) -> str | None:
    """The kind of small talk ``clause`` is, or "please" ("Pls, where is the summit?", "Where is it? pls"); None for
    words of a question."""
    words = tuple(_talk_words(clause))
    if words in _PLEASE:
        return "please"
    if words in _WHENCE or _unstressed(words) in _WHENCE:  # "Who visited Bucha? Where from exactly?"
        return None
    talk = small_talk(clause)
    return talk.kind if talk is not None else None


def _thanked(clauses: list[str]) -> tuple[str, int] | None:
    """The kind of the thanks or goodbye, said to someone, that the first two or three of ``clauses`` are, a stop ending
    it ("Thanks, Biden.", "Thanks, mate!", "Thank you Mr. Biden."), or a comma where a question word opens the clause
    after it ("Thanks, Biden, where is the summit?"), and how many clauses it is; None where they are no such sentence
    (the last of ``clauses`` is none of it)."""
    for n in range(min(3, len(clauses) - 1), 1, -1):
        said = " ".join(clauses[:n]).rstrip()
        if said[-1:] == "," and _ASKS.match((clauses[n].split() or [""])[0].strip(_STOPS + _QUOTE)):
            said = said[:-1]  # "Thanks, Biden, where is the summit?" was asked as "Biden, where is the summit?"
        elif said[-1:] not in ".!…":
            continue
        if (talk := small_talk(said)) is not None and talk.kind in ("thanks", "bye"):
            return talk.kind, n
    return None


def _said(clauses: list[str], i: int, kind: str, question: str) -> bool:
    """True when ``clauses[i]`` of ``question``, small talk of ``kind``, is what the clause before it says after its
    comma or colon ("Why did he say: please?", 'Who said, "thank you"?')."""
    before = clauses[i - 1]
    return before.rstrip()[-1:] in ",:" and (clauses[i].lstrip()[:1] in _QUOTE or
                                               _what_was_said(before, kind, question))


def _openings(clauses: list[str]) -> list[str]:
    """For each of ``clauses``, the clause its sentence opens with ("Who gave" in "What is NATO? Who gave"), which tells
    a "what" question."""
    openings: list[str] = []
    for i, clause in enumerate(clauses):
        openings.append(clause if not i or clauses[i - 1].rstrip()[-1:] in ".?!…" else openings[-1])
    return openings


# Pictographs, with their joiners, selectors and skin tones: a run of them standing apart, or after a stop
# ("summit?🙏"), is typed as a stop is
_EMOJI = "\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\u200d\ufe0f\u20e3"
_EMOJI_TOKEN = re.compile(f"[{_EMOJI}]+")
_EMOJI_AFTER_STOP = re.compile(f"(?<=[,.!?;:…])[{_EMOJI}]+$")
_STOPS = ",.!?;:…"
# A question's opening word, and its question words capitalised: an emoji between a question and one is its "?"
# ("Where is the summit 🙏 When does it start?" was one question, "Not found"), not before a name ("When did 🇩🇪 Scholz")
_ASKING = ("when|where|who|whom|whose|what|which|why|how|коли|де|хто|що|чому|навіщо|куди|звідки|скільки|який|яка|яке|"
           "які|когда|где|кто|что|почему|зачем|куда|откуда|сколько|какой|какая|какое|какие|când|cand|unde|cine|ce|cum|"
           "care|cât|cat")
_ASKS = re.compile(rf"^(?:{_ASKING}|is|are|was|were|do|does|did|will|would|can|could|has|have|had|чи|ли)$",
                   re.IGNORECASE)
_ASKS_NEXT = re.compile(rf"^(?:{_ASKING})$", re.IGNORECASE)
_FLAG = re.compile("(?:[\U0001f1e6-\U0001f1ff]{2})+")  # a country's flag, two regional indicator letters
# what ends thanks said to someone after the name: stops, emoji, the spaces between them ("Thanks, Biden! 🙏🙏"), read
# from the end (matched at the start of the text reversed: one pass)
_AFTER_A_NAME = re.compile(f"[\\s.!…{_EMOJI}]*")


def _question_mark(clause: list[str], following: str) -> bool:
    """True when an emoji between the words of ``clause``, a question, and ``following``, a capitalised question word,
    stands for the first's "?"."""
    word = following.rstrip(_STOPS)
    return bool(clause and _ASKS.match(clause[0]) and word[:1].isupper() and _ASKS_NEXT.match(word))


def _emoji_as_stops(text: str) -> str | None:
    """``text`` with the emoji between, before or after its words read as stops ("Thanks 🙏 where is the summit?" is
    "Thanks. where is the summit?", "Where is it? 🙏 When?" is "Where is it? When?"); None where it has none, or no
    word (a 👍 alone stays as it is)."""
    tokens = text.split()
    words = [i for i, token in enumerate(tokens) if any(c.isalnum() for c in token)]
    if not words:
        return None
    kept: list[str] = []
    clause = 0  # where the clause of kept words opens
    for i, token in enumerate(tokens):
        bare = _EMOJI_AFTER_STOP.sub("", token)
        if not _EMOJI_TOKEN.fullmatch(token):
            kept.append(bare)  # "summit?🙏": the stop is typed already
        elif words[0] < i < words[-1] and kept[-1][-1] not in _STOPS:
            # "Thanks 🙏 where is it?": a stop not typed; not "Who sent ❤ to Kyiv?", a word, nor a flag before a name,
            # a capital after it ("When did 🇩🇪 Scholz visit Kyiv?" was "When did. Scholz visit Kyiv?")
            if len(kept) - clause <= _TALK_LONGEST + 2 and _kind(" ".join(kept[clause:])):
                kept[-1] += "."
            elif i + 1 < len(tokens) and _question_mark(kept[clause:], tokens[i + 1]):
                # "Where is the summit 🙏 When does it start?": two questions; a flag after a word in lower case is
                # its country's name, kept ("Was Biden in 🇺🇦 Who else?" is "Was Biden in 🇺🇦?", not "Was Biden in?"),
                # after a name it only adorns it ("Did Biden visit Kyiv 🇺🇦 Who went with him?")
                if _FLAG.fullmatch(token) and not kept[-1][:1].isupper():
                    kept.append(token + "?")
                else:
                    kept[-1] += "?"
            else:
                kept.append(token)
        if kept and kept[-1][-1:] in tuple(_STOPS):
            clause = len(kept)
    return " ".join(kept) if len(kept) < len(tokens) or any(k != t for k, t in zip(kept, tokens)) else None


def without_small_talk(question: str) -> tuple[str, set[str]]:
    """``question`` without the thanks or greeting that opens or closes it, a clause of its own, and the kinds of small
    talk dropped: "OK, and when is it?" is "and when is it?", "Thanks! When did he arrive?" is "When did he arrive?",
    "When is it? Thanks" is "When is it?", and so, typed with no stop before its thanks or "please", is "when is it
    thanks" ("Great Britain: who leads it?" stays as it is); emoji between its words are stops, themselves dropped
    ("emoji"): "Thanks 🙏 where is it?" is "where is it?". Asked with them, "ok" and "thanks" were words to look up,
    and "When" after "Thanks!" a name that "he" stood for."""
    stopped = _emoji_as_stops(question)
    clauses = _CLAUSES.split((stopped or question).strip())
    first, last, dropped = 0, len(clauses), {"emoji"} if stopped is not None else set()
    while first < last - 1:
        # "Thanks, Biden. Where is the summit?": the one thanked is a clause of the thanks, not of the question
        named = _thanked(clauses[first:last])
        if named is not None and any(_kind(clause) is None for clause in clauses[first:first + named[1]]):
            kind, n = named
        elif (kind := _kind(clauses[first])) is not None:
            n = 1
        else:
            break
        first, dropped = first + n, dropped | {kind}
    # the sentence a thanks closes tells whether it asks "what": "What is NATO? Who gave thanks?" was "… Who gave"
    openings = _openings(clauses[first:])
    while last - 1 > first and (kind := _kind(clauses[last - 1])) is not None and not _said(
            clauses, last - 1, kind, openings[last - 2 - first]):
        last, dropped = last - 1, dropped | {kind}
    if last < len(clauses):  # the comma it closed with goes with it: "Where is the summit, thanks" was "… summit,"
        clauses[last - 1] = clauses[last - 1].rstrip(",;: ")
    # small talk between two sentences is neither's: "Where is the summit? Thanks! When does it start?" was asked as one
    # question, its two looked up together; after the question, not the small talk before it ("…? Thanks. Ok. When…")
    kept = [clauses[first]]
    for i in range(first + 1, last):
        if i < last - 1 and kept[-1].rstrip()[-1:] in "?!" and (kind := _kind(clauses[i])) is not None:
            dropped.add(kind)
        else:
            kept.append(clauses[i])
    if (opened := _without_opening_please(kept[0])) is not None:  # "pls where is the summit"
        kept[0], dropped = opened, dropped | {"please"}
    kept[-1], closing = _without_closing_thanks(kept[-1], _openings(kept)[-1])
    if closing is not None:
        dropped.add(closing)
    asked = " ".join(kept)
    if dropped and (stopped or question).rstrip()[-1:] in "?\uff1f" and asked.rstrip()[-1:] not in "?!.…\uff1f":
        asked += "?"  # "Who voted, no?" is "Who voted?": the mark closed the question, not its tag alone
    return (question if not dropped else asked), dropped


# The distinct clauses of small talk read before a question ("thanks! Thanks!! THANKS!!!"): past them it is read as it is
_DISTINCT_TALK = 64


def past_small_talk(text: str, limit: int) -> str:
    """``text`` from the last clause of the small talk it opens with, where that small talk runs past its first
    ``limit`` characters (as far as a question is read): "thanks! " typed 5,000 times before "Where is the summit?" is
    "thanks! Where is the summit?" (read up to ``limit``, it was thanks alone, and the question never asked); else
    ``text``. Each distinct clause is read once, and at most ``_DISTINCT_TALK`` of them, so the work stays bounded
    whatever is pasted.

    >>> past_small_talk("Thanks! " * 3 + "Where is it?", 10)
    'Thanks! Where is it?'
    """
    if len(text) <= limit:
        return text
    kinds: dict[str, str | None] = {}
    start = last = text.find(text.lstrip()[:1])
    for stop in _CLAUSES.finditer(text, start):
        clause = text[start:stop.start()]
        if clause not in kinds:
            if len(kinds) == _DISTINCT_TALK:
                break
            kinds[clause] = _kind(clause)
        if kinds[clause] is None:
            break
        last, start = start, stop.end()
    return text[last:] if last > limit // 2 else text


def sources_apart(question: str) -> tuple[str, str, str] | None:
    """``question`` about the clause of it that asks what the articles are, where it asks something else too ("What
    articles do you have? Where is the summit?"): what it asks before that clause, the clause, and what it asks after
    (one of them "": "Where is the summit?", "What articles do you have?", ""), any other such clause left out and small
    talk alone on one side taken with the other ("Thanks! What articles do you have? Where is it?" asks "Thanks! Where is
    it?" after); None where no clause asks it, or nothing else is asked ("Thanks! What do you know?")."""
    stopped = _emoji_as_stops(question)
    clauses = _CLAUSES.split((stopped or question).strip())
    kinds = [_kind(clause) for clause in clauses]
    listing = [i for i, kind in enumerate(kinds) if kind == "sources"]
    if not listing or None not in kinds:
        return None
    at = listing[0]
    before = clauses[:at]
    after = [c for i, c in enumerate(clauses[at + 1:], at + 1) if i not in listing]
    if before and listing[-1] == len(clauses) - 1 and not after:
        before[-1] = before[-1].rstrip(",;: ")  # the comma before it goes with it: "Where is the summit, what do you know?"
    if None not in kinds[:at]:  # "Thanks!" before it: of the question after
        before, after = [], before + after
    elif None not in kinds[at + 1:]:  # "… thanks" after it: of the question before
        before, after = before + after, []
    return " ".join(before), clauses[at], " ".join(after)
