"""A conversation: follow-up questions are read in the context of the conversation's topic.

>>> chat = Conversation(engine)                  # doctest: +SKIP
>>> chat.ask("Where is the summit?").answer      # doctest: +SKIP
'... the NATO summit in Vilnius in July.'
>>> chat.ask("And when is it?").query            # doctest: +SKIP
'Where is the summit? And when is it?'
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answer import Answer, AnswerEngine, Source
from bot.answering.records import REMOVED
from bot.answering.question import (CEDILLA, MAX_QUESTION_CHARS, links_blanked, readable, stemmed_terms,
                                    without_greeting, without_indirect_frame)
from bot.language import ASKING, ASKING_FORMS, LANGUAGES, PREPOSITIONS, detect, garbled, own_words, says_nothing
from bot.small_talk import past_small_talk, small_talk, sources_apart, without_small_talk
from index.lexical import STOPWORDS, content_terms

# Words that point back at something said before.
_PERSONAL = frozenset("he him his she her hers they them their theirs".split())
# "else" is who or what the answer before did not name ("who else?", "Who else visited Bucha?").
_ANAPHORA = _PERSONAL | frozenset("it its this that these those there then such same so else".split())
# After "else", words that say who or what it is not, or whose: no one before need be meant.
_ELSE_SAID = frozenset({"'s", "besides", "than", "but", "except", "apart", "other"})
_ELLIPSIS_START = re.compile(r"^\s*(and|also|but|so|what about|how about|and what about|then)\b", re.IGNORECASE)
_WORDS = re.compile(r"[\w']+")
# Where a second question begins in an English message of two ("Where is the summit and when does it start?", "Where is
# the summit? When does it start?"): its pronoun stands for what the first one names. The first must ask something itself
# ("Tell me, when did he arrive?" and "Sorry, where is it?" are one question).
# After "?", words that say only how the second is asked may open it: "Where is the summit? Exactly when does it start?",
# "… Also, when does it start?" (split at the comma, the first was "Where is the summit? Also?"), "… So who attends?"
_LEADING = frozenset("so also then but exactly precisely roughly approximately now well".split())
_LEAD = re.compile(r"^\s*(?:(?:" + "|".join(sorted(_LEADING)) + r")\b,?\s+)*", re.IGNORECASE)
# A question typed without its "?", ended by a stop, a semicolon or an ellipsis, is one too ("Where is the summit. When
# does it start.", "… summit; when does it start?", "… summit… when does it start?" were one question, a follow-up);
# after the first's own words only, a statement before it stays one question ("The summit is in Vilnius. When does it
# start?"), and so does a clause after an ellipsis or a semicolon ("Where did he go… when he left Kyiv?": ``_ends_there``).
# Its spaces are taken whole (possessive), and an "and" is looked for from the first space of a run only: searched from
# each of its spaces, a long run was read to its end once a space (4,096 spaces held a message up 0.7 s)
_SECOND_QUESTION = re.compile(r"(?:[?.;…]\s*+(?:(?:" + "|".join(sorted(_LEADING)) + r")\b,?\s++)*"
                              r"|,?(?<!\s)\s++and\s++|,\s++)"
                              r"(?=(?:what|when|where|who|whom|which|why|how|whats|wheres)\b)", re.IGNORECASE)
# Nor is an exclamation or a question word alone before a stop a question of its own ("What a summit. When…?", "How
# nice… when…?", "What... when does it start?")
_EXCLAIMED = re.compile(r"(?:what|how|who|where|when|why|which)\W*$|what\s+an?\s|how\s+[\w'-]+\W*$", re.IGNORECASE)
# Question words asked together open one question: "Where and when is the summit?", "How, when and why did he go?"
_TOGETHER = re.compile(r"^\s*(?:(?:what|when|where|who|whom|which|why|how)(?:\s*,\s*|\s+and\s+|\s+or\s+))*",
                       re.IGNORECASE)
_ASKS = re.compile(r"^\s*(?:what|when|where|who|whom|whose|which|why|how|is|are|was|were|do|does|did|will|would|can|could|"
                   r"has|have|had|should|whats|wheres)\b", re.IGNORECASE)
# An English contraction is two words ("what's" is "what is", "isn't" is "is not", "he's" is "he is"), and a
# phone types its apostrophe as ’.
_ENGLISH_WORDS = re.compile(r"\w+(?=n't\b)|n't\b|'(?:s|re|ve|ll|d|m)\b|\w+", re.IGNORECASE)
_CONTRACTED = {"n't": "not", "'s": "is", "'re": "are", "'ve": "have", "'ll": "will", "'d": "would", "'m": "am"}
_CONTRACTED_STEM = {"ca": "can", "wo": "will", "sha": "shall"}  # can't, won't, shan't
# a question word's contraction typed without its apostrophe ("Where is the summit? Whats the date?" was one question,
# "whats" no question word); not "hows" nor "whens" ("the hows and whys", "the whys and whens")
_UNMARKED = frozenset("whats wheres".split())
# Words after which "that"/"this" points back ("where will that be decided?", "what about that?")
# rather than opening a clause ("who said that Ukraine ...").
_BEFORE_POINTER = frozenset(
    "what when where who whom whose which why how is are was were be been do does did will would can could "
    "should has have had about of in on at for with after before from to by into during since than like "
    "and or but not".split()
)
_AFTER_POINTER = frozenset("is was be been will would did does has had happen happened mean means take took".split())
_EXISTENTIAL_AFTER = frozenset("is are was were be been will would 's".split())
_BE = frozenset("is are was were be been being am".split())
_WH = frozenset("what when where who whom which why how".split())
# Words that follow an imperative's verb ("Describe his visit", "Tell me about it", "Explain why") or a
# preposition ("According to him"), not a name's ("Stoltenberg said what about his visit?", "NATO will hold its
# summit where?"); and words that open a question without naming anyone ("Please tell ...", "Okay, ...").
_AFTER_IMPERATIVE = frozenset(
    "me us him her them it his its their our my your the a an this that these those what when where who whom "
    "which why how whether if about to from with for of in on at by".split())
_OPENERS = frozenset("please ok okay hey hi hello now well yes no thanks right".split())
# Words that say nothing of what was counted ("How many were there?") or who else was there, nor where ("there in
# July", "there last year").
_NO_SUBJECT = STOPWORDS | frozenset("many much else".split())
_NO_PLACE = _NO_SUBJECT | frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday year years month months week weeks day days time today yesterday "
    "tomorrow ago last next".split())
# Names that are no place after "there in/at": a language or a people ("there in Russian", "there in Chinese") and a
# feast ("there at Christmas"); "What was said there in Russian?" leaves the place to the topic
_NO_PLACE_NAMES = frozenset(
    "french german dutch greek arabic hebrew czech korean latin hindi christmas easter ramadan hanukkah "
    "passover thanksgiving halloween eid".split())
_LANGUAGE_ENDINGS = ("ish", "ian", "ese")  # "Polish", "Ukrainian", "Chinese"
# "there in/at <name>" in Ukrainian, Russian and Romanian ("там у Києві", "acolo la Paris"), whose months and languages
# are written small: of their capitalised words, only a feast ("на Різдво", "de Crăciun") is no place
_THERE_FOREIGN = frozenset("там acolo".split())
_IN_AT_FOREIGN = frozenset("у в во на la în in".split())  # "во": "в" before some consonants ("во Франции")
_FEASTS_FOREIGN = frozenset(
    "різдво різдва великдень великодня рождество рождества пасха пасху пасхи crăciun craciun paște paste paști pasti"
    .split())
# The same cues in the other languages the default model reads (Ukrainian, Russian, Romanian): an "and ..."
# opening, a personal pronoun (unless a name before it in the question is what it stands for), "there",
# "then", and "this" in a question that names nothing ("Коли це було?", not "Котрий це був візит
# Столтенберга?"). Romanian "lui" is "his" after its noun ("după vizita lui") but "of" before a name
# ("viitorul lui Zelenski"). Left out for their other meanings: та (also "and"), тому ("ago"), sa (typed for
# să, "to").
_ELLIPSIS_START_FOREIGN = re.compile(
    r"^\s*(а|і|й|и|також|также|ще|еще|ещё|și|si|dar|iar|de asemenea)(?=[\s,?!.:;]|$)", re.IGNORECASE)
# "else" in Romanian, and Ukrainian and Russian "ще"/"ещё" ("also", "still" too: "Чи ще триває війна?") after a word
# asking who, what or where ("Хто ще?", "Что ещё он сказал?") or someone ("Хтось ще?", "Кто-нибудь ещё?")
_ELSE_FOREIGN = frozenset("altcineva altceva altundeva".split())
_STILL_FOREIGN = frozenset("ще ещё еще".split())
_ASKS_ELSE_FOREIGN = frozenset("хто що де куди кого кому чого хтось щось небудь кто что где куда чего то нибудь"
                               .split())


# A question word after its preposition names nothing either ("З ким?", "Для чого?", "С кем?", "О чём?", "Cu cine?",
# "Până când?", as "With whom?" and "What for?"): asked alone, each was "Not found" or a photo's caption, and the topic.
# The forms of who and what a preposition takes that ``ASKING`` lacks, and the prepositions (``bot.language``, whose
# ``says_nothing`` reads them so too), and "cui" ("to whom"), which names what a Romanian pronoun joined to its verb
# doubles there ("Cui îi aparține teoria?").
_ASKING_FORMS_FOREIGN = ASKING_FORMS | {"cui"}


def _still_asks_else(words: list[str]) -> bool:
    """True when Ukrainian or Russian ``words`` say "else" ("ще"/"ещё" after who, what, where or someone: "Хто ще
    відвідав Київ?", "Кто же ещё?", or before them: "А ще хто?", "Ещё кто-нибудь?"), not "still" ("Чи ще триває
    саміт?")."""
    for i, w in enumerate(words):
        if w in _STILL_FOREIGN:
            before = words[i - 2] if i > 1 and words[i - 1] in _EMPHASIS_FOREIGN else words[i - 1] if i else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            if before in _ASKS_ELSE_FOREIGN or after in _ASKS_ELSE_FOREIGN and after not in _ASKS_ELSE_ENDING:
                return True
    return False


# a word between who and its "else" that only stresses it ("Кто же ещё?"), and the endings of "someone" ("кто-нибудь")
# that say no "who" of their own after an "else" ("ещё то" is no "else who")
_EMPHASIS_FOREIGN = frozenset("ж же".split())
_ASKS_ELSE_ENDING = frozenset("то небудь нибудь".split())


# "ще"/"ещё" as "else", taken out as _ELSE takes out "else": "Хто ще відвідав Київ?" asks "Хто відвідав Київ?"
_STILL_ELSE = re.compile(rf"(?<!\w)((?:{'|'.join(sorted(_ASKS_ELSE_FOREIGN))})\W+(?:(?:ж|же)\W+)?)(?:ще|ещё|еще)(?!\w)",
                         re.I)


# A question word and verbs alone ("Коли почнеться?", "Коли відкрили?", "Где пройдёт?", "Când are loc?", "Cât
# durează?"): Ukrainian, Russian and Romanian drop a subject their verb says ("When does it start?"), so the question
# leans on the topic as "When does it start?" does. Not who and what, the subject themselves ("Хто переміг?", "Что
# случилось?", "Cine a câștigat?", as "Who won?"), nor a question that names its own subject ("Коли почнеться саміт?",
# "Când începe festivalul?") or holds a number. With no tagger, a verb is told by its ending, of the third person (not
# "Як почуваєшся?", "how are you feeling?"): reflexive (-ся, -сь), past (-ла, -ло, -ли, Ukrainian -ав, -ив), present
# or future (-ає, -ує, -ить, -уть, -тиме, -не, -де; Russian -ет, -ит, -ут after a vowel or д/н: not "билет",
# "саммит"), impersonal (-ано, -ено, -ито); not the infinitive (-ти, Russian -ть, -чь, reflexive too), which says
# no subject to leave unsaid: "Где отдохнуть?", "Де голосувати?" are "Where to rest?", "Where to vote?", self-contained
# as English reads them (and "Где кровать?" a noun); Russian's masculine past only where few nouns end so (-ил, -ыл,
# -ял, -хал, -овал, -казал: "Куда поехал?", "Когда прибыл?"), nor -ал after other letters ("вокзал", "финал"), but
# for the verbs' own ("выступал", "узнал", "передал", "поддержал", "отвечал", "помогал": not "скандал", "кинжал",
# "причал", "маршал"). In Romanian a word after an auxiliary or "se" ("a început", "va dura", "se
# desfășoară"), or ending as its present does (-ează, -ește, -e, -ă) with no article of a noun (-ul, -le, -lor, -a:
# "summitul", "alegerile", "gara"), or, after "to be", a participle, its passive ("Când a fost arestat?", "Unde va fi
# construit?"; not "Când e pace?", "when is there peace?"), or "loc" after "are" ("Când are loc?", "when does it take place?"). The few nouns
# that end so and stand alone after "when" or "where" ("Где правила?") are asked with the topic, then alone if that
# finds nothing sure.
_WITHOUT_SUBJECT_UK = frozenset("коли де куди звідки відколи доки як чому навіщо скільки".split())
_WITHOUT_SUBJECT_RU = frozenset("когда где куда откуда доколе как почему зачем сколько".split())
_WITHOUT_SUBJECT_RO = frozenset("când cand unde încotro incotro cum cât cat".split())
_VERB_ENDING_UK = re.compile(r"(?:(?<!ш)ся|[аеиіїоуяю]сь|[аяеиіу]л[аои]|[аяиу]в|[аиіяую]ть|[аяуюіе]є|"
                             r"[аеиіяу]?ме|муть|[ндж]е|\w{3}[аеия][нт]о|шов|шл[аои]|(?<![лр]о)віз|(?<!те)ніс|міг)$")
_VERB_ENDING_RU = re.compile(r"(?:(?<!шь)ся|[аеиоуыяю]сь|[аяеиыу]л[аои]|[аеояу]ет|[дн]ет|[дн]ут|[аео]ит|"
                             r"дит|[аея]ют|[ая]ят|шел|шл[аои]|(?<![аи])ил|таил|ыл|ял|хал|(?<!пр)овал|[иы]вал|казал|исал|щал|"
                             r"знал|(?<!н)дал|пал|(?<!н)жал|(?<!при)чал|(?<!р)шал|могал|лагал|бегал|звал|брал|думал|"
                             r"нимал|читал|делал|играл|искал|(?<!де)стал|(?<!р)евал|вез|(?<!з)нес|мог|"
                             r"(?:хо|ле)тел|идел|мотрел)$")
# Not a name typed in lower case, whose -аил, -иил no verb shares but "таил" ("где михаил?", "что сказал даниил?",
# "where is Mikhail?"), nor the few nouns a question asks of that end as "пропил" does ("Как плавает крокодил?"), "упал"
# ("где находится непал?") or "принес" ("сколько стоит фитнес?")
_NOUNS_AS_PAST_RU = frozenset("крокодил винил тротил акрил мандрил этил метил бутил непал фитнес велнес".split())
# nor the few nouns that end as a present does ("где интернет?", "где кредит?", "сколько монет?": "where is the
# internet?", "how many coins?"), which were read as "Где пройдет?" is
_NOUNS_AS_PRESENT_RU = frozenset("интернет кабинет кларнет брюнет сонет лорнет монет планет кредит бандит аудит кадет"
                                 .split())
_BE_OR_EMPHASIS_FOREIGN = frozenset(
    "ж же ли б би бы не ні нет вже уже ще ещё еще саме точно именно тоді тогда зараз сейчас сьогодні сегодня завтра "
    "вчора вчера був була було були буде будуть бути был была было были будет будут быть "
    "a au am ai ați ati va vor vom o să sa se s mai și si deja exact acum azi astăzi astazi mâine maine ieri "
    "e este era sunt fi fost are avea avut aibă aiba".split())
_AUXILIARY_RO = frozenset("a au am ai ați ati va vor vom o să sa se s ar".split())
_HAVE_RO = frozenset("are avea avut aibă aiba".split())  # "are loc": "takes place", no noun said
_ARTICLED_RO = re.compile(r"\w+(?:ul|ului|le|lor|ii|ua|[^e]a)$")
_ARTICLE_RO = re.compile(r"\w(?:ul|ului|le|lor|ii)$")  # the endings no participle nor infinitive has
_INFINITIVE_UK = re.compile(r"ти(?:ся|сь)?$")
_INFINITIVE_RU = re.compile(r"(?:ть|ти|чь)(?:ся|сь)?$")
# What or whom a verb is done to ("Що сказав?", "Кого зустрів?", "Кому подякував?", "Что ответила?", "Кого встретил?",
# "З ким зустрівся?", "Чим закінчилося?"): the doer is left unsaid as "Коли почнеться?" leaves it ("What did he say?",
# "Whom did she meet?"). "Що"/"что" is the subject too ("Що сталося?", "Что будет?", "What happened?"), so it leans on
# the topic only where a verb says a person: a masculine, feminine or plural past (-в, -ла, -ли; Russian -л), or a
# plural present (-уть, -ють, -ять; Russian -ут, -ют, -ят, -ат), not a neuter past nor a present's third singular.
_OBJECT_UK = frozenset("що кого кому ким чим".split())
_OBJECT_RU = frozenset("что кого кому кем чем".split())
_WHAT_FOREIGN = frozenset("що что".split())
# (and a masculine past ending in its root's consonant: "Що привіз?", "Кому допоміг?", "Что принёс?", "Кому помог?"; not
# "бизнес", "тепловіз", "паровіз", "електровіз" (locomotives: "Що довіз?", "Що повіз?" are verbs), "теніс", nor after
# "где" the noun "перевал" that ends as "ночевал" does)
_PERSONAL_VERB_UK = re.compile(r"(?:[аяиуеі]в|[аяеиіу]л[аи]|шов|шл[аи]|[уюя]ть|(?<![лр]о)віз|(?<!те)ніс|міг)"
                               r"(?:ся|сь)?$")
_PERSONAL_VERB_RU = re.compile(r"(?:[аеиоуыя]л|[аяеиыу]л[аи]|шел|шл[аи]|[уюя]т|ат|вез|(?<!з)нес|мог)(?:ся|сь)?$")
# The weather's verbs, whose "it" stands for nothing said before ("Коли стемніє?", "Когда светает?", "Unde plouă?",
# "Când ninge?", as "When does it get dark?", "Where does it rain?"): asked first, such a question was told it follows
# on from one before; Russian's with ё as е
_WEATHER_FOREIGN = frozenset(
    "стемніє стемніло темніє темніло світає світало розвидниться розвидняється смеркає смеркається сутеніє вечоріє "
    "дощить морозить підморозить похолоднішає похолоднішало потеплішає потеплішало "
    "похолодає похолодало потепліє потепліло задощить задощило розпогодиться розпогодилося розвидніється сніжить "
    "стемнеет стемнело темнеет темнело светает светало рассветет рассвело смеркается вечереет моросит подморозит "
    "похолодает похолодало потеплеет потеплело распогодится распогодилось рассветает рассветало "
    "plouă ploua plouat ninge ningea nins tună tuna tunat fulgeră fulgera burnițează burniteaza întunecă intuneca "
    "înnoptează innopteaza înserează insereaza înseninează insenineaza lapovițează lapoviteaza".split())
_TO_BE_RO = frozenset("e este era sunt fi fie fost".split())
# Romanian "what" and "whom" are asked so too ("Ce a declarat?", "Ce au trimis?", "Despre ce a vorbit?", "Pe cine a
# invitat?", "Cu cine s-a întâlnit?": "What did he declare?", "Whom did he invite?"), as "Що сказав?" is, but "ce" is the
# subject of a verb made reflexive ("Ce s-a întâmplat?", "Despre ce s-a vorbit?": "What happened?", "What was talked
# about?"), which leaves no one unsaid; "cine" alone is who did it ("Cine a câștigat?")
_REFLEXIVE_RO = frozenset("se s".split())
# its -s participles end -dus, -pus, -is, -es, -ins, -uns, -rs (adus, spus, trimis, ales, prins, ascuns, mers), not as a
# place typed in lower case does ("unde este vilnius", "unde e belarus", "davos", "texas", "athens", "paris": no participle
# ends -paris as "scris" ends)
_PARTICIPLE_RO = re.compile(r"\w+(?:at|it|ut|ât|[dp]us|(?<!par)is|es|[iu]ns|rs)$")
_VERB_ENDING_RO = re.compile(r"\w+(?:ează|eaza|ește|este|e|ă)$")


def _drops_its_subject(original: list[str], words: list[str]) -> bool:
    """True when Ukrainian, Russian or Romanian ``words`` are a question word other than who and what (after its
    preposition, if any) and verbs alone, no name, noun or number said: "Коли почнеться?", "Cât durează?"."""
    i = 1 if len(words) > 1 and (words[0] in PREPOSITIONS or words[:2] == ["de", "ce"]) else 0  # "До коли
    # триватиме?", "De ce a plecat?" ("why", as "ce" after "de" is)
    if len(words) == i + 1:
        return False
    ending = (_VERB_ENDING_UK if words[i] in _WITHOUT_SUBJECT_UK | _OBJECT_UK
              else _VERB_ENDING_RU if words[i] in _WITHOUT_SUBJECT_RU | _OBJECT_RU
              else None if words[i] in _WITHOUT_SUBJECT_RO or words[i] == "ce"
              or words[i] == "cine" and i == 1 else False)
    if ending is False:
        return False
    if words[i] == "ce" and words[:i + 1] != ["de", "ce"] and any(w in _REFLEXIVE_RO for w in words[i + 1:]):
        return False  # "Ce s-a întâmplat?": "ce" is what happened, no one left unsaid
    if words[i] == "ce" and i == 0 and any(w in _TO_BE_RO for w in words[1:]):
        return False  # "ce este deficit", "Ce a fost semnat?": "ce" is what is, or what was done, no one left unsaid
    # the Slavic readings of its verbs, (ending, infinitive, a person's ending where it asks what or whom): "кого" and
    # "кому" are Ukrainian and Russian both
    readings = [(e, inf, (pers if words[i] in objects else None))
                for e, inf, pers, asking, objects in ((_VERB_ENDING_UK, _INFINITIVE_UK, _PERSONAL_VERB_UK,
                                                       _WITHOUT_SUBJECT_UK, _OBJECT_UK),
                                                      (_VERB_ENDING_RU, _INFINITIVE_RU, _PERSONAL_VERB_RU,
                                                       _WITHOUT_SUBJECT_RU, _OBJECT_RU))
                if words[i] in asking or words[i] in objects]
    personal = words[i] not in _WHAT_FOREIGN  # "Що сказав?" leans on the topic, "Що сталося?" does not
    verbs = 0
    said_verb = False  # a person's ending tells only the verb after "що" or "кого", not a noun after it: "Чем
    # закончился финал?", "Кого назначил сенат?" name their own subject ("финал" ends as "сказал" does)
    for j in range(i + 1, len(words)):
        w = words[j].replace("ё", "е")
        if original[j][:1].isupper() or any(c.isdigit() for c in w):
            return False  # a name ("Коли почнеться Євробачення?") or a number is what it asks of
        if w in _WEATHER_FOREIGN or w in _NOUNS_AS_PAST_RU or w in _NOUNS_AS_PRESENT_RU:
            return False  # "Коли стемніє?", "Unde plouă?": no one left unsaid
        if w == "o" and words[j + 1:j + 2] not in (["să"], ["sa"]):
            return False  # "o" is "a" ("Cum se numește o plantă?") but in "o să", the future's
        if w in _BE_OR_EMPHASIS_FOREIGN:
            verbs += w in _HAVE_RO or w not in _AUXILIARY_RO
            continue
        if ending:
            said = [pers is not None and not said_verb and pers.search(w) is not None for e, inf, pers in readings
                    if len(w) >= 5 and inf.search(w) is None]
            verb = any(said) or any(len(w) >= 5 and e.search(w) is not None and inf.search(w) is None
                                    for e, inf, pers in readings)
            personal = personal or any(said)
            said_verb = said_verb or verb
        elif words[j - 1] in _TO_BE_RO:
            verb = len(w) >= 4 and _PARTICIPLE_RO.fullmatch(w) is not None  # "a fost arestat", not "e pace"
        else:
            # "mai" ("else", "again") between an auxiliary and its verb: "Ce a mai spus?" ("What else did he say?")
            before = words[j - 2] if words[j - 1] == "mai" and j - 2 > i else words[j - 1]
            # not a noun with its article after "vor"/"au" ("want"/"have": "ce vor protestatarii"), which no participle
            # nor infinitive ends as
            verb = (before in _AUXILIARY_RO and _ARTICLE_RO.search(w) is None or w == "loc" and words[j - 1] in _HAVE_RO
                    or len(w) >= 4 and not _ARTICLED_RO.fullmatch(w) and _VERB_ENDING_RO.fullmatch(w) is not None)
        if not verb:
            return False
        verbs += 1
    return verbs > 0 and personal


# "afterwards", after what was said before, as "then" is ("Куди потім поїхав?", "Что было потом?", "Ce a urmat apoi?")
_AFTERWARDS_FOREIGN = frozenset("потім потом apoi".split())
_PERSONAL_FOREIGN = frozenset(
    "він вона воно вони його її їх йому їй ним нею ними ньому них нього неї "
    "он она оно они его её ее их ему ей им ней нее неё нем нём нему "
    "el ea ei ele lor său săi sale".split())
_DEMONSTRATIVE_FOREIGN = frozenset(
    "це цей ця ці цього цієї цих той это этот эта эти этого этой этих этом тот "
    "acesta aceasta asta acestea aceștia acela aceea acest această".split())
_POINTING_FOREIGN = _ANAPHORA | _PERSONAL_FOREIGN | _DEMONSTRATIVE_FOREIGN | frozenset(
    "там туди звідти тоді туда оттуда тогда acolo atunci lui".split()) | _ELSE_FOREIGN | _AFTERWARDS_FOREIGN


# Romanian's pronouns joined to their verb by a hyphen ("Cine l-a primit?", "Ce i-a spus?", "Cine a confirmat-o?"), or
# standing before it ("Cine îl conduce?"): "him", "her", "it", "them", "to him". Not "într-o" ("in a"), whose -o is the
# article, nor "s-a", "n-a", "și-a" (itself, not, their own).
_JOINED_PRONOUN = re.compile(r"(?<![\w-])(?:l|i|le|li)-(?=\w)|(?<=\w)-(?:l|o|i|le)(?![\w-])|(?<![\w-])(?:îl|îi)(?![\w-])",
                             re.IGNORECASE)
_ARTICLE_BEFORE = re.compile(r"(?:^|[^\w-])(?:în|in|din|prin)tr$", re.IGNORECASE)
# the words that say whom such a pronoun doubles ("l-a invitat pe Zelenski", "i-a spus lui Biden"); not "pe" before a
# date ("Cine l-a primit pe 20 aprilie?", "pe data de 20 aprilie": on April 20) nor a place ("Cine l-a primit pe
# aeroport?", "pe stradă", "pe front", "pe scenă", "pe loc": at the airport, in the street, on the spot), which "pe"
# says of no one
_DOUBLED = frozenset("pe lui".split())
_PLACE_AFTER_PE = re.compile(r"(?:aeroport|front|teren|drum|peron|platou|internet|ecran|pod|teritoriu)(?:ul|uri|urile)?|"
                             r"(?:strad|scen|pist|hart|list|graniț|granit)(?:ă|a|e|ele)|străzi|străzile|strazi|loc|jos")


def _names_whom_doubled(words: list[str]) -> bool:
    """True when ``words`` (those from a Romanian pronoun joined to its verb on, lower case) say whom it doubles, "pe"
    or "lui" with a name or a noun ("pe Zelenski", "lui Biden"), not a date ("pe 20 aprilie", "pe data de 20") nor a
    place ("pe aeroport")."""
    return any(w in _DOUBLED and not (w == "pe" and k + 1 < len(words) and (words[k + 1][:1].isdigit()
                                                                             or words[k + 1] == "data"
                                                                             or _PLACE_AFTER_PE.fullmatch(words[k + 1])))
               for k, w in enumerate(words))


# A noun in the dative says whom "i-"/"îi" ("to him", "to her") or "le-"/"li-" ("to them") doubles too: "Ce i-a promis
# Stoltenberg Ucrainei?", "Ce îi va oferi NATO Kievului?", "Ce le-a spus Zelenski soldaților?", "i-a trimis unui oraș";
# a name's "-ii" only ("Americii": "aliații" is "the allies"). Not "lor" ("them" again), "trei", "celui".
_DATIVE_ONE = re.compile(r"\w{3,}(?:lui|ei)|unui|unei", re.IGNORECASE)
_DATIVE_NAME = re.compile(r"[A-ZĂÂÎȘȚ]\w{2,}ii")
_DATIVE_MANY = re.compile(r"\w{2,}lor|unor", re.IGNORECASE)
# A noun with its article before such a word makes it whose, not to whom ("președintele Franței", "aderarea Ucrainei",
# "sfârșitul vizitei"); a verb after "va", "să", "ar" ("îi va da Ucrainei") is none.
_WITH_ARTICLE = re.compile(r"\w+(?:ul|le|ii|a)")
_BEFORE_A_VERB = frozenset("va vor vom vei voi să sa ar ai am ați ati".split())


def _doubles_a_dative(pronoun: str, original: list[str], i: int) -> bool:
    """True when a noun in the dative after ``original[i]`` (a Romanian text's words as typed) is whom ``pronoun``, a
    dative one, doubles: "Ce i-a promis Stoltenberg Ucrainei?" names whom "i-" stands for, "Cine l-a prezentat
    Congresului?" ("him") and "Ce i-a spus președintele Franței?" (France's president) do not."""
    pronoun = pronoun.strip("-").lower()
    many = pronoun in ("le", "li")
    if not many and pronoun not in ("i", "îi"):
        return False  # "l-", "-o": him, her, it
    for j in range(i + 1, len(original)):
        word = original[j]
        if not (_DATIVE_MANY.fullmatch(word) if many else
                _DATIVE_ONE.fullmatch(word) or _DATIVE_NAME.fullmatch(word)):
            continue
        before = original[j - 1]
        whose = (before.islower() and _WITH_ARTICLE.fullmatch(before)
                 and (j < 2 or original[j - 2].lower() not in _BEFORE_A_VERB))
        if not whose:
            return True
    return False


def _joined_pronoun_points(text: str, words: list[str]) -> bool:
    """True when Romanian ``text`` (its ``words``, lower case) holds a pronoun joined to its verb (``_JOINED_PRONOUN``)
    that stands for someone said before: only question words and everyday words come before it (and its verb), where a
    name or a noun would be what it stands for ("Sub ce kicker …, făcându-l să rateze …?") or what it doubles ("Cui îi
    aparține teoria?", "Cărui domeniu îi revine …?"), and no "pe" or "lui" after it names whom it doubles."""
    for match in _JOINED_PRONOUN.finditer(text):
        joined = match.group().startswith("-")
        if joined and _ARTICLE_BEFORE.search(text, 0, match.start()):
            continue  # "într-o zi"
        i = len(_WORDS.findall(text[:match.start()]))
        before = words[:i - 1] if joined else words[:i]  # "Cine a confirmat-o?": before its verb
        if says_nothing(" ".join(before), "ro") and not _names_whom_doubled(words[i:]) \
                and not _doubles_a_dative(match.group(), _WORDS.findall(text), i):
            return True
    return False


def _after_a_noun(words: list[str], i: int) -> bool:
    """True when the words before ``words[i]`` end in a noun phrase that an article opens ("the summit that
    will be held", "a town that was liberated"): "that" there opens a relative clause, it points nowhere."""
    for word in reversed(words[:i]):
        if word in ("the", "a", "an"):
            return True
        if word in _BEFORE_POINTER:
            return False
    return False


def _anticipates_a_clause(words: list[str], i: int, names: list[bool]) -> bool:
    """True when "it" at ``words[i]``, next to "is"/"was", stands for a clause later in the question rather than
    for something said before: "Is it true that Stoltenberg visited Bucha?", "Was it Stoltenberg who visited
    Bucha?", "Who said it is time for NATO to invite Ukraine?", "Who was it that visited Bucha?". Something comes
    between "it is" and the clause ("true", "Stoltenberg", "time for NATO"), or a question word before them."""
    if i + 1 < len(words) and words[i + 1] in _BE:
        first = i + 2  # "it is true that"
    elif i and words[i - 1] in _BE:
        first = i + 1  # "is it true that", "who was it that"
    else:
        return False
    fronted = first == i + 1 and i >= 2 and words[i - 2] in _WH
    for j in range(first if fronted else first + 1, len(words)):
        word = words[j]
        if word in ("who", "whom"):
            return True
        # "that" after a name ("was it NATO that invited"), or opening a clause ("true that Stoltenberg visited",
        # "true that the"), not "held that year" nor "the summit that will be held"
        clause = j + 1 < len(words) and (names[j + 1] or words[j + 1] in STOPWORDS)
        if word == "that" and (all(names[first:j]) or clause and not _after_a_noun(words, j)):
            return True
        # "for NATO to invite": an infinitive with its own subject ("to Kyiv", a name, is a place, and "likely to
        # happen" has none: there "it" is what happens)
        if word == "for" and any(words[k] == "to" and k + 1 < len(words) and words[k + 1] not in STOPWORDS
                                 and not names[k + 1] for k in range(j + 2, len(words))):
            return True
    return False


def _names_a_place(words: list[str], names: list[bool], j: int) -> bool:
    """True when ``words[j:]`` opens with a name, after "the" ("Paris", "the NATO summit"), that is no day or month
    ("July"), language or feast ("Russian", "Christmas")."""
    while j < len(words) and words[j] == "the":
        j += 1
    return j < len(words) and names[j] and words[j] not in _NO_PLACE and words[j] not in _NO_PLACE_NAMES \
        and not words[j].endswith(_LANGUAGE_ENDINGS)


def _is_pointer(words: list[str], i: int, names: list[bool], told: bool = True) -> bool:
    word = words[i]
    before = words[i - 1] if i else None
    after = words[i + 1] if i + 1 < len(words) else None
    if word == "it":
        return not _anticipates_a_clause(words, i, names)
    if word == "else":  # "who else?"; not "or else" (otherwise), nor "someone else's", "who else besides Biden"
        return before != "or" and after not in _ELSE_SAID
    if word in _ELSE_FOREIGN:  # "Cine altcineva?"; not "Ce altceva decât gaz…", "cine altcineva în afară de Biden"
        return after not in ("decât", "decat") and not (after in ("în", "in") and words[i + 2:i + 3] in (["afară"],
                                                                                                      ["afara"]))
    if word == "so":  # "Who said so?", "Who believes so?"; not "Why is NATO so important?"
        return after is None
    if word in ("that", "this"):
        if before is None or before in _BEFORE_POINTER or after is None:
            return True
        return after in _AFTER_POINTER and not _after_a_noun(words, i)
    if word == "there":
        if after in _EXISTENTIAL_AFTER or (i == 1 and before in _EXISTENTIAL_AFTER):
            return False
        if after in ("in", "at") and _names_a_place(words, names, i + 2):
            return False  # "What did Biden say there in Paris?": the place is said right after it
        # "How many mass graves were there in Bucha?": what there was, and where, are both said; "Who was there?",
        # "How many people were there?" and "Who else was there in July?" leave the place to the topic.
        return not (before in _BE and any(w not in _NO_SUBJECT for w in words[:i - 1])
                    and any(w not in _NO_PLACE and not w.isdigit() for w in words[i + 1:]))
    if word in _THERE_FOREIGN and after in _IN_AT_FOREIGN and i + 2 < len(words) and names[i + 2] \
            and words[i + 2] not in _FEASTS_FOREIGN:
        return False  # "Ce a spus Biden acolo la Paris?": the place is said right after it
    if word in _DEMONSTRATIVE_FOREIGN:
        return not any(names)
    if word in _AFTERWARDS_FOREIGN:  # not "на потом" ("for later": "почему рада отложила закон на потом")
        return before != "на"
    # Romanian "his" ("după vizita lui"), unless a name follows ("lui Zelenski") or comes before; where no word is
    # capitalised, only at the end can it not be "lui zelenski"
    if word == "lui":
        return (after is None or told and not names[i + 1]) and not any(names[:i])
    if word in _PERSONAL or word in _PERSONAL_FOREIGN or word == "its":
        # "When did Stoltenberg say he would return?", "When will NATO hold its summit?": the name before the
        # pronoun is its antecedent.
        return not any(names[:i])
    return True


def _english_words(text: str) -> list[str]:
    """The words of an English ``text``, a contraction's two written out: "When's that summit?" is
    ["When", "is", "that", "summit"]."""
    words = _ENGLISH_WORDS.findall(text.replace("\u2019", "'"))
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        if i + 1 < len(words) and words[i + 1].lower() == "n't":
            out.append(_CONTRACTED_STEM.get(low, w))
        elif low == "'s" and i and words[i - 1].lower() == "else":
            out.append(w)  # "someone else's drones": whose, not "else is"
        elif low in _UNMARKED:  # "whats the date", as a phone types "what's"
            out.extend([w[:-1], "is"])
        else:
            out.append(_CONTRACTED.get(low, w))
    return out


def _own(question: str) -> str:
    """``question``'s own words, as the engine reads it without its links: a link's slug, an e-mail address's or an
    @name's words are none of its cues ("Where is the summit? https://example.org/news/why-it-matters-for-them" points
    back with no "it", asks for no one else with ".../who-else-is-going"); a link alone as it is (``own_words``)."""
    return " ".join(own_words(question, whole=True).split())


def _foreign(text: str) -> bool:
    """True when ``text`` is in Ukrainian, Russian or Romanian, read by its own words: a link's English slug ("Хто ще?
    https://example.org/news/who-else-visited") is none of them (``own_words``)."""
    return detect(own_words(text)) in ("uk", "ru", "ro")


def is_follow_up(question: str) -> bool:
    """True when ``question`` leans on an earlier turn: a pronoun pointing back, "and ...", or no content. A greeting
    before it is no part of it ("hey when?" is "when?"), as the engine reads it."""
    question = without_greeting(_own(question))  # "…? https://…/why-it-matters": the slug's "it" points nowhere
    text = question.translate(CEDILLA)
    foreign = _foreign(question)  # "El Salvador" holds no Romanian pronoun
    original = _WORDS.findall(text) if foreign else _english_words(text)
    words = [w.lower() for w in original]
    if not words:
        return False
    pointing = _POINTING_FOREIGN if foreign else _ANAPHORA
    if _ELLIPSIS_START.match(text) or (foreign and _ELLIPSIS_START_FOREIGN.match(text)):
        return True
    first = None if foreign else _SECOND_QUESTION.split(text[_TOGETHER.match(text).end():], maxsplit=1)
    if first and len(first) == 2 and _ASKS.match(first[0]):
        return is_follow_up(first[0])  # two questions: the second leans on the first, which alone may lean on the topic
    # A capital letter tells a name only where the question has small letters too ("WHEN DID HE ARRIVE?" and
    # "When Did He Arrive?" name no one), and never in the pronoun "I" ("Can I ask when he arrived?").
    cased = any(w[:1].islower() for w in original)
    names = [cased and w[:1].isupper() and w != "I" for w in original]
    # The first word is capitalised anyway: in English it is a name when it is no function word and no imperative
    # goes before what follows it ("Stoltenberg said what about his visit?", not "Describe his visit").
    names[0] = (not foreign and names[0] and words[0] not in STOPWORDS and words[0] not in _OPENERS
                and (len(words) == 1 or words[1] not in _AFTER_IMPERATIVE))
    told = any(names[1:])  # some word after the first is a name: the capitals tell the names
    if any(w in pointing and _is_pointer(words, i, names, told) for i, w in enumerate(words)):
        return True
    if foreign and _joined_pronoun_points(text, words):  # "Cine l-a primit?" leans on who was named
        return True
    if foreign and _still_asks_else(words):  # "Хто ще відвідав Київ?" leans on who was named, as "Who else …?"
        return True
    if foreign and all(w in ASKING or w in _ASKING_FORMS_FOREIGN or w in PREPOSITIONS for w in words):
        return True  # "Коли?", "З ким?", "Cu cine?": as "When?" and "With whom?", a question word (after its preposition)
    if foreign and _drops_its_subject(original if cased else words, words):  # "КОГО ВСТРЕТИЛ?" names no one
        return True  # "Коли почнеться?", "Cât durează?": as "When does it start?", its subject left unsaid
    if not foreign and _asks_only_its_kind(original, names):
        return True  # "How much?", "What year?", "In what currency?": what it asks of is the topic's
    return len(content_terms(question)) == 0


# Before a question word that asks only for a kind of answer ("In what currency?", "Since when?", "For how long?")
_ASKING_AFTER = frozenset("in at on for since until till by from to with of during".split())
# The question words a word for the kind of answer follows ("What year?", "Which city?", "How much?"); after "where",
# "who", "why" or "when" a word is what they ask of, a name typed in lower case ("where bucha", "who zelensky", "when
# summit": "Where is Bucha?"), which were read as the topic's follow-ups and kept the topic
_ASKING_A_KIND = frozenset("what which how".split())


def _asks_only_its_kind(original: list[str], names: list[bool]) -> bool:
    """True when English words (``original``, as typed) are a question word, after its preposition or not, and at most one word that says
    what kind of answer it wants, no name: "How much?", "What year?", "Since when?", "In what currency?", "How long
    exactly?" ask of the topic, as "When?" does; asked alone they were "Not found" (0.01, 0.23) and took its place.
    "How many soldiers?", "Why Vilnius?", "What NATO?" and "What is NATO?" say what they ask of: a word after the first
    with a capital may be a name, even where every word has one ("Why Vilnius?" tells no names by its capitals), and a
    word after "where", "who", "why" or "when" is one ("where bucha", ``_ASKING_A_KIND``)."""
    shouted = all(w.isupper() for w in original)  # "WHAT YEAR?": its capitals tell nothing
    kept = [(w.lower(), named or (i > 0 and w[:1].isupper() and not shouted))
            for i, (w, named) in enumerate(zip(original, names)) if w.lower() not in _HOW_ASKED]
    if kept and kept[0][0] in _ASKING_AFTER:
        kept = kept[1:]
    return (1 <= len(kept) <= 2 and kept[0][0] in (_WH if len(kept) == 1 else _ASKING_A_KIND)
            and not any(named or w in _AUXILIARY or w in _WH for w, named in kept[1:]))


# The most sentences a topic's answers gave that "who else?" leaves out, and the most recent topics whose are kept (a
# Telegram reply to an older answer asks with its topic again): a long chat's lists stay bounded
_GIVEN_KEPT = 10
_GIVEN_TOPICS = 5
# The most questions of one message answered each: a message of many "?" is not as many searches and replies, its last
# question holding the rest
QUESTIONS_PER_MESSAGE = 3
# Between a question word and the rest of its question, words that say only how it is asked ("Who met Biden and when
# exactly?" is one question); an "and" with no more after the question word asks the first question's "when" too. Not
# "else": "Who visited Kyiv? Who else?" asks for someone the first answer did not name, which it alone leaves out
_HOW_ASKED = frozenset("exactly precisely roughly approximately then now too again so not".split())
# The same in Ukrainian, Russian and Romanian: a question word after "?" or "and" (і, й, та, и, а, și), the first
# question opening with one
_QUESTION_WORD_FOREIGN = (r"(?:де|коли|хто|що|як|чому|навіщо|куди|звідки|скільки|який|яка|яке|які|кого|кому|где|когда|"
                          r"кто|что|как|почему|зачем|куда|откуда|сколько|какой|какая|какое|какие|unde|când|cand|cine|"
                          r"ce|cum|care|cât|cat|câte|cate|câți|cati|de ce)")
# as _LEADING: "Де саміт? Отже, коли він почнеться?", "Где саммит? Итак, когда…?", "Unde este summitul? Deci când…?"
_LEADING_FOREIGN = frozenset("отже тож то так ну також итак также deci așadar asadar atunci iar".split())
_LEADS_FOREIGN = r"(?:(?:" + "|".join(sorted(_LEADING_FOREIGN, key=len, reverse=True)) + r")(?!\w),?\s++)*"
_LEAD_FOREIGN = re.compile(r"^\s*" + _LEADS_FOREIGN, re.IGNORECASE)
# (each run of spaces read once, as in _SECOND_QUESTION)
_SECOND_QUESTION_FOREIGN = re.compile(rf"(?:[?.;…]\s*+{_LEADS_FOREIGN}|,?(?<!\s)\s++(?:і|й|та|и|а|și|si)\s++)"
                                      rf"(?={_QUESTION_WORD_FOREIGN}(?!\w))", re.IGNORECASE)
_TOGETHER_FOREIGN = re.compile(rf"^\s*(?:{_QUESTION_WORD_FOREIGN}(?:\s*,\s*|\s+(?:і|й|та|и|și|si|або|или|sau)\s+))*",
                               re.IGNORECASE)
_ASKS_FOREIGN = re.compile(rf"^\s*(?:{_QUESTION_WORD_FOREIGN}|чи|ли)(?!\w)", re.IGNORECASE)
_HOW_ASKED_FOREIGN = frozenset("саме точно ж же ще еще ещё тоді тогда exact atunci".split())
_AUXILIARY = frozenset("is are was were do does did will would can could should shall may might must has have had"
                       .split())


def two_questions(message: str) -> tuple[str, str] | None:
    """The two questions of an English ``message`` that asks two ("Where is the summit and when does it start?",
    "Where is the summit? When does it start?"), as each is asked alone: the first ending in "?", the second opening
    with a capital. None where it asks one ("Where and when is the summit?", "Who met Biden and when?", "Tell me, when
    did he arrive?", "Did Biden meet Zelensky, who visited Kyiv?"). A link between the two is the first's ("Where is
    the summit? https://… When does it start?" was one question, the link hiding the second's question word)."""
    blanked = links_blanked(message)
    parts = _two_questions(blanked)
    if parts is None or blanked == message:
        return parts
    first, second = parts
    asked = len(first.rstrip("?"))  # the first's own words, up to where its links blanked out or its "?" begin
    start = len(blanked.rstrip()) - len(second)  # the second's, to the end of the message as typed (its link kept)
    # the first as typed to its "?" ("Have you read https://…?"), else to its words ("… https://… and when…"), then
    # the links after it
    mark = blanked.rfind("?", asked, start)
    end = mark + 1 if mark >= 0 else asked
    links = [word.group() for word in re.finditer(r"\S+", message[end:start])
             if blanked[end + word.start():end + word.end()] != word.group()]
    head = message[:end] if mark >= 0 else message[:asked] + "?"
    return " ".join([head, *links]), second[:1] + message[start + 1:].rstrip()


def _two_questions(message: str) -> tuple[str, str] | None:
    """``two_questions`` of a ``message`` that holds no link."""
    if _foreign(message):
        # "Де відбудеться саміт і коли він почнеться?": split only at "?" or "and", a comma alone opening a clause as
        # often as a question ("Хто зустрів Зеленського, який відвідав Київ?")
        lead = _LEAD_FOREIGN.match(message).end()  # "Отже, де саміт? Коли він почнеться?"
        opening = lead + _TOGETHER_FOREIGN.match(message[lead:]).end()
        split = _SECOND_QUESTION_FOREIGN.search(message, opening)
        if split is None or not _ASKS_FOREIGN.match(message[lead:]):
            return None
        first = _first(message, split)
        # after "?" as typed, its word of how it is asked kept ("Отже, коли він почнеться?"); after "і"/"а", without it
        second = message[split.start() + 1:].strip() if _stopped(split) else message[split.end():].strip()
        if _stopped(split) and not _ends_there(message, split, second):  # "Що він сказав… коли приїхав?": a clause
            return None
        words = _WORDS.findall(second.lower())
        while words and words[0] in _LEADING_FOREIGN:
            words = words[1:]
        said = [w for w in words[1:] if w not in ASKING and w not in _HOW_ASKED_FOREIGN]
        return (first.rstrip("?") + "?", second[:1].upper() + second[1:]) if said else None
    lead = _LEAD.match(message).end()  # "Well, where is the summit? …": no comma after "Well" splits it
    # from the question word after words that ask it indirectly: "Do you know, where is the summit?" is one question
    # (the comma split it, and "Do you know?" was asked)
    asks = len(message) - len(without_indirect_frame(message[lead:]))
    opening = asks + _TOGETHER.match(message[asks:]).end()
    split = _SECOND_QUESTION.search(message, opening)
    if split is None or (split.group()[:1] == "." and _TITLE.search(message, max(0, split.start() - 8), split.start())):
        return None  # "Where was Dr. Who filmed?": a name follows a title's stop, whatever word it is
    first = _first(message, split)
    second = message[split.start() + 1:].strip() if _stopped(split) else message[split.end():].strip()
    words = [w.lower() for w in _english_words(second)]
    while words[0] in _LEADING:  # "Exactly when does it start?", as typed; its question word opens it
        words = words[1:]
    said = [w for w in words[1:] if w not in _HOW_ASKED and not w.endswith("ly")]
    if not _ASKS.match(first[_LEAD.match(first).end():]) or not said:  # "But when does it start? Who attends?"
        return None
    if _stopped(split) and split.group()[:1] != "?" and _EXCLAIMED.match(first[_LEAD.match(first).end():]):
        return None  # "What a summit. When does it start?", "How nice… when does it start?": one question, as typed
    # after a comma alone, a question word then its verb opens a clause of the first ("…, who visited Kyiv?"); a
    # question asks "…, when does it start?"
    if not _ends_there(message, split, second) and "and" not in split.group().lower() and words[1] not in _AUXILIARY:
        return None
    return first.rstrip("?") + "?", second[:1].upper() + second[1:]


def _stopped(split: re.Match) -> bool:
    """True when ``split``, where a second question opens, is a stop ("?", ".", ";", "…") and the words after it."""
    return split.group()[:1] in "?.;…"


def _first(message: str, split: re.Match) -> str:
    """The first question of ``message``, up to ``split`` where the second opens, without its comma or ellipsis."""
    first = message[:split.start()].rstrip(" ,")
    return first.rstrip(".…") if split.group()[:1] in ".…" else first


def _ends_there(message: str, split: re.Match, second: str) -> bool:
    """True when the first question of ``message`` ends at ``split``, where ``second`` opens: a "?" or a full stop
    ends it, a semicolon or an ellipsis ("..." too) only before a capital ("Where is the summit… Who attends?"); a
    question word in lower case after one opens a clause of the first as often ("Where did he go… when he left
    Kyiv?")."""
    stop = split.group()[:1]
    if stop == "?" or (stop == "." and message[split.start() - 1:split.start()] != "."
                       and not (second[:1].islower() and _abbreviated(message, split.start()))):
        return True
    return stop in ";.…" and second[:1].isupper()


# An abbreviation's stop ends no question before a question word in lower case: "What did Biden say at 10 a.m. when he
# arrived?", "… in Jan. when …", "…, e.g. when …", "… vs. what …", "т.зв. хто" (each was two questions, "When he
# arrived?" a follow-up); letters with stops between ("a.m", "U.S", "т.зв", "ş.a.m.d") or a word shortened so. Searched
# in the few characters before the stop only (a 1 MB message is no longer to search)
_ABBREVIATED = re.compile(r"(?<![\w.])(?:\w{1,3}(?:\.\w{1,3}){1,4}|(?i:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|"
                          r"vs|approx|etc|incl|dr|mr|mrs|ms|prof|st|gen|gov|sen|jr|sr|cf))\Z")


# A title before a name ("Dr. Who"), its stop no question's end; not "St.", a street's as often, which ends one
_TITLE = re.compile(r"(?<![\w.])(?i:dr|mr|mrs|ms|mx|prof|rev|hon|sen|gov|gen|capt|col|lt|sgt)\Z")


def _abbreviated(message: str, stop: int) -> bool:
    """True when the word before ``message``'s full stop at ``stop`` is an abbreviation ("a.m", "Jan", "e.g")."""
    return _ABBREVIATED.search(message, max(0, stop - 16), stop) is not None


def asks_else(question: str) -> bool:
    """True when ``question`` asks for someone or something the answers before did not give ("Who else was there?",
    "what else did he say?", "anyone else?", "Хто ще?", "Что ещё он сказал?", "Cine altcineva?"), not "or else" nor
    "who else besides Biden"."""
    question = _own(question)  # "…? https://…/who-else-is-going" asks for no one else
    text = without_greeting(question).translate(CEDILLA)
    if _foreign(question):
        words = [w.lower() for w in _WORDS.findall(text)]
        return _still_asks_else(words) or any(w in _ELSE_FOREIGN and _is_pointer(words, i, [])
                                              for i, w in enumerate(words))
    words = [w.lower() for w in _english_words(text)]
    return any(w == "else" and _is_pointer(words, i, []) for i, w in enumerate(words))


# "else" and its Romanian words, not "someone else's"
_ELSE = re.compile(r"\s*\b(?:else|altcineva|altceva|altundeva)\b(?!['\u2019]s)", re.I)


def _leans_on_else_alone(question: str) -> bool:
    """True when only its "else" makes ``question`` a follow-up: "What else did Stoltenberg say?" and "Who else
    visited Bucha?" say what they ask of, "What else?" and "What else did he say?" do not."""
    return asks_else(question) and not is_follow_up(_STILL_ELSE.sub(r"\1", _ELSE.sub("", question)).rstrip())


def says_something(text: str) -> bool:
    """True when ``text`` holds a letter or a digit and is not noise (``bot.language.garbled``): a question or a
    follow-up, not a thumbs-up, a row of punctuation or random bytes."""
    return any(c.isalnum() for c in text) and not garbled(text)


def _named_after_a_comma(question: str) -> bool:
    """True when ``question`` says after its last comma what its pronoun stands for ("Who is he, Shakespeare?", "Where
    is it held, the Eurovision contest?"): it lacks no earlier question, whatever answers it."""
    head, comma, tail = without_greeting(question).rpartition(",")
    return bool(comma and head.strip() and content_terms(tail)) and not is_follow_up(tail)


def _answers_its_own_words(question: str, with_topic: Answer, alone: Answer) -> bool:
    """True when ``with_topic``, self-contained ``question`` read with the old topic, found no sentence, or one that holds
    as many of the question's own terms as ``alone``'s (at least one): else the topic's words answered it ("Where is the
    summit?" after "How much military aid did NATO allies provide?" got the aid sentence, confident), not its own."""
    own = stemmed_terms(question)

    def held(answer: Answer) -> int:
        return len(own & stemmed_terms(answer.answer)) if answer.found and answer.answer else 0

    return not with_topic.found or held(with_topic) >= max(1, held(alone))


def _ends_with(topic: str, question: str) -> bool:
    """True when ``topic``'s last question is ``question`` (in any case)."""
    n = len(question)
    return topic[-n:].lower() == question.lower() and (len(topic) == n or topic[-n - 1] == " ")


def _recent(text: str) -> str:
    """``text``'s last ``MAX_QUESTION_CHARS`` characters, from a word's start: a topic carried on and on stays bounded."""
    if len(text) <= MAX_QUESTION_CHARS:
        return text
    cut = text[-MAX_QUESTION_CHARS:]
    space = cut.find(" ")
    return cut[space + 1:] if 0 <= space < MAX_QUESTION_CHARS // 2 else cut


class Conversation:
    """One chat's state over a shared ``AnswerEngine``: the topic a follow-up refers to.

    A follow-up is asked with the topic (the last self-contained question) as context, a
    self-contained question alone. When that finds nothing confident, the other reading is tried
    too (the question alone, or with the topic) and the more confident answer kept.

    With a ``chat`` id and a store that keeps chats (PostgreSQL), the state lives in the database,
    so a follow-up answered by another replica of the bot keeps its context.

    >>> Conversation(engine, chat="telegram:42").ask("Where is the summit?")  # doctest: +SKIP
    """

    def __init__(self, engine: AnswerEngine, chat: str | None = None):
        self.engine = engine
        self._chats = getattr(getattr(engine, "store", None), "chats", None) if chat is not None else None
        self.chat = chat
        self._topic: str | None = None  # the last self-contained question (plus its follow-ups)
        # what the last answer cited, when it found something: "source?" asks for it; an article's id alone where only
        # that is known (a Telegram reply to an earlier answer, a restart)
        self.cited: Source | str | None = None
        # the last question found nothing: "source?" names the last answer that found something, and says so
        self.cited_earlier = False
        # the sentences each recent topic's answers gave, which "who else?" is not answered with again (the Telegram
        # bot's chats file keeps them over a restart, ``recall``), the latest topic last
        self.given: dict[str, list[str]] = {}

    @property
    def shared(self) -> bool:
        """True when the topic lives in the store (a PostgreSQL store), where every replica reads it."""
        return self._chats is not None

    @property
    def topic(self) -> str | None:
        return self._chats.get(self.chat) if self._chats is not None else self._topic

    @topic.setter
    def topic(self, value: str | None) -> None:
        if self._chats is not None:
            self._chats.set(self.chat, value)
        else:
            self._topic = value

    def reset(self) -> None:
        """Forget the topic and what the last answer cited: after /reset, "source?" says there is no answer yet."""
        self.topic = None
        self.cited = None
        self.cited_earlier = False
        self.given = {}

    def recall(self, given: list[tuple[str, list[str]]]) -> None:
        """``given`` (each topic and the sentences its answers gave, the oldest topic first), read back after a
        restart: "who else?" leaves them out again. Kept as ``ask`` keeps them, the last ten of the last five topics."""
        self.given = {topic: list(sentences)[-_GIVEN_KEPT:] for topic, sentences in given[-_GIVEN_TOPICS:]}

    def take_back(self, sentences: list[str]) -> None:
        """``sentences`` given no more (an answer written over when its Telegram question was edited): "who else?" may
        give them again; each the latest time it was given."""
        for sentence in sentences:
            for kept in reversed(self.given.values()):
                if sentence in kept:
                    del kept[len(kept) - 1 - kept[::-1].index(sentence)]
                    break

    @property
    def article(self) -> str | None:
        """The id of the article the last answer cited (None: none), what a restart keeps of it."""
        return self.cited.doc if isinstance(self.cited, Source) else self.cited

    def _source(self) -> Source:
        """What the last answer cited, said to be removed where the build has its article no more; an article known by
        its id alone as the build has it now (removed: its id)."""
        info = self.engine.store.articles.get(self.article)
        if isinstance(self.cited, Source):  # named as if there still, it was cited from a retracted article
            return self.cited if info is not None else replace(self.cited, revision=REMOVED)
        if info is None:
            return Source(self.cited, "", None, "", 0, 0, 0.0, revision=REMOVED)
        return Source(self.cited, info.title, info.date, "", 0, 0, 0.0, url=info.url)

    def ask(self, question: str) -> Answer:
        """Answer ``question``, carrying the topic into retrieval for a follow-up."""
        # a pasted page is read as far as the engine reads it, past a run of "thanks! " longer than that
        question = readable(past_small_talk(question, MAX_QUESTION_CHARS))
        talk = small_talk(question)
        if talk is not None:
            # "Thanks!", "ok", "hi", "what can you do?": the bot's own words reply (bot.messages), and the topic stays for
            # the next follow-up (asked, "Thanks!" became the topic and the next "And when is it?" lost the summit);
            # "New question" forgets it, as /reset does
            if talk.kind == "reset":
                self.reset()
            # "Danke!" in a language citebot does not read: the reply says which it reads (with the English model, English)
            unread = talk.language is not None and talk.language not in LANGUAGES
            english_only = getattr(self.engine, "languages", None) is not None
            # "source?": the last answer's citation (bot.render); asked, it was "Not found" and became the topic
            cited = [self._source()] if talk.kind == "source" and self.cited is not None else []
            return Answer(question=question, found=False, language=talk.language or "en", small_talk=talk,
                          sources=cited, cited_earlier=bool(cited) and self.cited_earlier,
                          unread_language=unread and english_only,
                          unread_script=unread and not english_only)
        asked, dropped = without_small_talk(question)
        if "reset" in dropped:  # "New question: who visited Bucha?"
            self.reset()
        answer = self._ask(asked)
        if says_something(asked):  # a 👍 leaves the answer before it to be asked about
            if answer.found and answer.sources:
                self.cited, self.cited_earlier = answer.sources[0], False
            else:  # "Not found" under an answer ("Where is the summit and when does it start?"): "source?" is of that one
                self.cited_earlier = self.cited is not None
        if asked != question:
            answer.question = question  # echoed as typed; the topic keeps the question without its "Thanks!"
        return answer

    def ask_each(self, message: str) -> list[Answer]:
        """``message``'s answers: one, or two or three where it asks more (``two_questions``), asked in turn as if
        typed one after the other: the second reads its pronoun with the first's topic ("When does it start?")."""
        return [self.ask(question) for question in self.questions(message)]

    def questions(self, message: str) -> list[str]:
        """The questions ``message`` asks, each for ``ask`` in turn: ``message`` itself, or two or three
        (``two_questions``), and "What articles do you have?" among them one of its own, where it was typed; "New
        question: …" before two forgets the topic now."""
        question = readable(past_small_talk(message, MAX_QUESTION_CHARS))
        if small_talk(question) is None:
            asked, dropped = without_small_talk(question)
            if "sources" in dropped and (apart := sources_apart(question)) is not None:
                # "What articles do you have? Where is the summit?": the list was dropped as if "Thanks!"; it is a turn
                # of its own, where it was typed, as the two typed one after the other (it leaves the topic as it is)
                before, listing, after = apart
                first, then = self.questions(before) if before else [], self.questions(after) if after else []
                if len(first) + len(then) > QUESTIONS_PER_MESSAGE:  # as many searches as a message of questions alone
                    first, then = self.questions(f"{before} {after}"), []
                return first + [listing] + then
            parts = two_questions(asked)
            if parts is not None:
                # "Where is the summit? When does it start? Who attends?": the second holds one more
                questions, rest = [parts[0]], parts[1]
                while len(questions) < QUESTIONS_PER_MESSAGE - 1 and (more := two_questions(rest)) is not None:
                    questions.append(more[0])
                    rest = more[1]
                # "Who visited Bucha? Where from?": a whence after a question asks of it, as "Хто відвідав Бучу?
                # Звідки?" does, not for the source of the answer just given (small talk alone)
                if not any(_is_source(q) for q in questions[1:] + [rest]):
                    if "reset" in dropped:  # "New question: where is the summit and when does it start?"
                        self.reset()
                    return questions + [rest]
        return [message]

    def _ask(self, question: str) -> Answer:
        if not says_something(question):
            # "👍", "?!", bytes that were not UTF-8: read with the topic they got its passage again ("This may not answer
            # it exactly"), and as a topic they cut the next follow-up off from the question it leans on
            return self.engine.ask(question)
        topic = told = self.topic  # read once: with a database store it is a query
        if topic and _ends_with(topic, question):
            # asked again: read as the first time, not with itself as its topic (surer each time it was asked, the topic
            # a copy of it longer)
            topic = topic[:len(topic) - len(question)].rstrip() or None
        # with no topic, "What else did Stoltenberg say?" asks of Stoltenberg: a topic for "When did he say it?" next
        leans = is_follow_up(question) and not (not topic and _leans_on_else_alone(question))
        follow_up = bool(topic) and leans
        # "Who else was there?": someone the answers before did not name, or nothing, never the same sentence again
        given = self.given.get(told, []) if told else []
        besides = {"besides": frozenset(given)} if topic and given and asks_else(question) else {}
        answer = self.engine.ask(question, context=topic if follow_up else None, **besides)
        # A self-contained question in another language than the articles is not tried with the topic: judged by
        # the cosines alone, the topic's words answer it ("Кто написал «Войну и мир»?" after the summit got the
        # summit sentence), where an English question's own terms are missing and it stays not found.
        across = not follow_up and getattr(self.engine, "cross_lingual", lambda q: False)(question)
        if topic and answer.tier != "confident" and not across:
            other = self.engine.ask(question, context=None if follow_up else topic, **besides)
            if other.confidence > answer.confidence and (follow_up or _answers_its_own_words(question, other, answer)):
                answer = other
        if leans and not topic and not answer.found and not _named_after_a_comma(question):
            # "What did he say there?" after /reset: said to need its topic, not to be what nothing answers (it may be)
            answer.no_topic = True
        if not leans:
            # A self-contained question starts a topic, read as it was answered: when the old topic answered it
            # better ("Who visited Bucha?" after "Where is the summit?"), the two together, so that "How did he
            # feel about what he saw there?" next is still asked about Bucha (the most recent words kept). A
            # follow-up starts none, even with no topic to follow: "And when is it?" asked first says nothing that
            # "Who was invited to it?" could lean on. Nor are the two joined when that reading found nothing either:
            # "Who wrote Hamlet?" after Bucha, not found, is not about Bucha ("When did he write it?" got Stoltenberg's
            # visit).
            joined = answer.context is not None and answer.found
            told = self.topic = _recent(f"{answer.context} {answer.question}") if joined else answer.question
            given = []
            self.given.pop(told, None)
        if answer.found and answer.answer and told:
            self.given.pop(told, None)
            self.given[told] = given[-(_GIVEN_KEPT - 1):] + [answer.answer]
            while len(self.given) > _GIVEN_TOPICS:
                del self.given[next(iter(self.given))]
        return answer


def _is_source(question: str) -> bool:
    """True when ``question``, alone, asks where the last answer comes from ("Where from?", "source?")."""
    talk = small_talk(question)
    return talk is not None and talk.kind == "source"
