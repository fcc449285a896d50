"""Split text into sentence spans ``[start, end)`` that point back into the text, in linear time.

The rules are pySBD's (pragmatic_segmenter's English Golden Rules) recast as one left-to-right
scan: every run of terminal punctuation is a candidate boundary, decided from a bounded window
around it (the word before, the word after) and from the quotations and brackets of its line,
which are found first by regexes that never backtrack. So splitting costs the same per character
on prose, on a megabyte of "ab. ab. " and on one megabyte-long word. Two rules of ours stay on
top: a line break always ends a sentence, and a quotation closed by a comma stays one sentence
with its attribution.

>>> text = "Mr. Smith went to Washington. He arrived on May 3.\\nNext line"
>>> [text[s:e] for s, e in sentence_spans(text)]
['Mr. Smith went to Washington.', 'He arrived on May 3.', 'Next line']
"""

from __future__ import annotations

import re
import unicodedata

# Bumped whenever the splitting rules change, so indexes built with the old rules are rebuilt.
# 12: Ukrainian and Russian titles before a name (інж., засл. арт.), тис./млн. before a unit in capitals, Romanian
# gen./sens./s. (f82b4c3, f7615b4, 0f521b9, 2d15070, 87f3563, 6b6a265), a dateline opening a line (851f7f7).
SENTENCE_RULES = 12

_LINES = re.compile(r"[^\n\r]+")
# A candidate boundary: a run of terminal punctuation, then closing quotes and brackets.
_CANDIDATE = re.compile(r"(?:[.!?。．！？…]++|-(?=[\"'“”]))([\"'”’»“)\]]*+)")
_QUOTES = "\"'“”’»"
# Quotations and brackets whose punctuation never ends a sentence (pySBD's "between punctuation").
# Each pattern stops at the next opener of its kind, so a line of unclosed openers stays linear.
_REGIONS = (
    ('"', re.compile(r'"[^"]*+"')),
    ("“", re.compile(r"“[^“”]*+”")),
    ("«", re.compile(r"«[^«»]*+»")),
    ("„", re.compile(r"„[^„“”]*+[“”]")),
    ("[", re.compile(r"\[[^\[\]]*+\]")),
    ("(", re.compile(r"\([^()]*+\)")),
    ("'", re.compile(r"(?<=\s)'(?:[^'\s]|\s(?!')|'[a-zA-Z])*+'")),
    ("‘", re.compile(r"(?<=\s)‘(?:[^‘’]|’[a-zA-Z])*+’")),
    ("--", re.compile(r"--[^-]*+--")),
)
_SPACES = re.compile(r"\s+")
# After a period: what makes a non-prepositive abbreviation keep going (pySBD's replace_period_of_abbr).
_ABBR_GOES_ON = re.compile(r"\s(?:[a-zа-яёіїєґăâîșşțţ]|I\s|I'm|I'll|\d|\()")
_NUMBER_ABBR_GOES_ON = re.compile(r"\s\d|\s+\(")
_MULTI_PERIOD = re.compile(r"(?:\A|\W)[A-Za-z](?:\.[A-Za-z])+\Z")
# "т.е", "т.зв", "ş.a.m.d": such a word in Cyrillic or Romanian goes on before a lower-case word, ends before a capital.
_MULTI_PERIOD_OTHER = re.compile(r"(?:\A|\W)[^\W\d_](?:\.[^\W\d_])+\Z")
# A reference glued to a full stop ("the wall.[1] It", "slept.:33 He", "ended.12 Then"): the boundary follows it.
_REFERENCE = re.compile(r"(?:\[[^\[\]\n]{1,40}\])++(?::\d{1,4}(?:(?:[-–]|,\s?)\d{1,4})*+)*+|(?::\d{1,4}(?:(?:[-–]|,\s?)\d{1,4})*+)++|\d{1,3}(?:\s?\d{1,3})?")
# List items (pySBD's ListItemReplacer): "1. a 2. b", "1) a 2) b", "a. x b. y", "(i) x (ii) y".
_NUMBERED = re.compile(r"(?<!\S)[-⁃]?(\d{1,2})\.(?=\s|\))")
_NUMBERED_PARENS = re.compile(r"(?<![\d\w])(\d{1,2})\)(?=\s)")
_LETTERED = re.compile(r"(?<!\S)([a-z])\.")
_LETTERED_PARENS = re.compile(r"(?:(?<!\S)|(?<=\())([a-z]{1,5})\)")
_ROMAN = {r: i for i, r in enumerate("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split())}
_LATIN = {chr(97 + i): i for i in range(26)}
_MAYBE_LIST = re.compile(r"(?<!\S)(?:[-⁃]?\d{1,2}\.|[a-z]\.|\(?[a-z]{1,5}\))|\d\)")
_LIST_MARKER = re.compile(r"\(\w{1,5}\)")
_FULL_WIDTH = "。．！？"
_LINE_START_NUMBER = re.compile(r"\s*+\d{1,2}\.(?=\s\S|\))")
_DIGIT_NEXT = re.compile(r"\s*\d")
_SPACED = re.compile(r"(?:\s\.){3}\s")
_SPACED_TAIL = re.compile(r"(?:\s\.)*\s*")

ABBREVIATIONS = frozenset(
    """adj adm adv al ala alta apr arc ariz ark art assn asst attys aug ave bart bld bldg blvd brig bros btw
    cal calif capt cl cmdr co col colo comdr con conn corp cpl cres ct d.phil dak dec del dept det dist dr
    dr.phil dr.philos drs e.g ens esp esq etc exp expy ext feb fed fla ft fwy fy ga gen gov hon hosp hr hway
    hwy i.e ia id ida ill inc ind ing insp is jan jr jul jun kan kans ken ky la lt ltd maj man mar mass may
    md me med messrs mex mfg mich min minn miss mlle mm mme mo mont mr mrs ms msgr mssrs mt mtn neb nebr
    nev no nos nov nr oct ok okla ont op ord ore p pa pd pde penn penna pfc ph ph.d pl plz pp prof pvt que
    rd rs ref rep reps res rev rt sask sec sen sens sep sept sfc sgt sr st supt surg tce tenn tex univ usafa
    u.s ut va v ver viz vs vt wash wis wisc wy wyo yuk fig""".split()
)
# Titles and the like, always followed by what they qualify: "Dr. Watson", "Fig. 3", "St. Louis".
PREPOSITIVE = frozenset(
    """adm attys brig capt cmdr col cpl det dr gen gov ing lt maj mr mrs ms mt messrs mssrs prof ph rep reps
    rev sen sens sgt st supt v vs fig""".split()
)
NUMBER_ABBREVIATIONS = frozenset("art ext no nos p pp".split())
# Ukrainian, Russian and Romanian abbreviations, lower-cased: as pySBD's, they go on before a lower-case word or a
# number ("2023 р. уряд", "300 грн. за тонну", "ст. 26") and end a sentence before a capital ("у 2019 г. Проект").
ABBREVIATIONS_UK_RU_RO = frozenset(
    """р рр ст ч п пп т е д с м г гг к ін інш тис млн млрд грн коп дол руб долл тыс см див напр обл
    р-н буд кв куб корп стр пос год хв мин сек тел каб січ лют бер квіт трав черв лип серп вер верес жовт лист груд
    янв фев февр мар апр авг сент окт нояб дек
    pag alin lit cca aprox ian febr mart iun iul mil mld ap bl sc et sect tel""".split()
)
# ... and those always followed by what they qualify: "вул. Хрещатик", "т. зв. «реформа»", "str. Ștefan", "Dl. Popescu",
# "ec. Ion Vasile" (economist), "інж. О. Ковальчук", "засл. арт. України О. Ступка", "нар. арт." (engineer, honoured and
# people's artist).
PREPOSITIVE_UK_RU_RO = frozenset(
    """вул просп пров бульв пл ул пер ім им св проф акад доц зв смт о оз інж инж засл нар
    dl dna dlui dnei dle d-na d-l d-lui str bd bdul av sf conf lect gral jud mun com or ec""".split()
)
# A currency's abbreviation before its country: "230 дол. США", "5 млн долл. США".
_CURRENCY_COUNTRY = re.compile(r"\sСША\b")
_CURRENCIES = frozenset("дол долл".split())
# A thousand, a million or a billion before a unit written with a capital: "15,8 тис. МВт", "5 млн. USD", "1,63 mld. EUR".
_MULTIPLIERS = frozenset("тис тыс млн млрд mil mld".split())
_UNIT_AFTER = re.compile(r"\s(?:[кМГТ]Вт|Гкал|[кМГТ]Дж|[КМГТ]Б|[МГ]біт|[МГ]бит|[kMGT]Wh?|USD|EUR|UAH|RON|MDL|GBP|CHF|PLN)"
                         r"(?![^\W\d_])")
# Before a name these name a place ("м. Київ", "г. Новосибирск", "р. Дніпро", "с. Ворзель"), after a number a
# unit or the year ("6 м.", "2019 г.", "2023 р."), which may end a sentence.
# Romanian "s." (sat, a village) too: "din s. Bulboaca", "după 5 s. Apoi", though only after a preposition or a comma
# ("com. Ciorescu, s. Vatra") or at the start of a line: an English letter s ends a sentence ("adding an s. The").
_PLACE_OR_UNIT = frozenset("м г р с s".split())
_VILLAGE_PREPOSITIONS = frozenset("din în in la pe de spre lângă langa prin către catre până pana pînă pina".split())
# English titles that are Romanian words in lower case ("două benzi pe sens.", "lucrări de acest gen."): those end a
# sentence before a capital, as other abbreviations do, while "Gen. Milley" and "Sen. Warren" go on; "gen." only
# after a word that makes it a kind ("de acest gen.", "un nou gen."), as a Romanian general is written in lower case
# too ("făcută de gen. Mircea Chelaru").
_ROMANIAN_WORDS = frozenset("gen sens".split())
_KIND_DETERMINERS = frozenset(
    """acest acel același acelaşi acelasi aceluiași aceluiaşi aceluiasi acestui acelui orice alt altui un unui niciun
    niciunui nou singur asemenea fiecare celălalt celalalt""".split()
)
# "арт." is an artist only after "засл." or "нар." ("засл. арт. України О. Ступка"), before a number an article or an
# item ("арт. 12345"); else art or artillery, which may end a sentence ("це арт. Так", "обстріляла арт. ЗСУ").
_ARTIST_TITLES = frozenset("засл. нар.".split())
_YEAR_ABBREVIATIONS = frozenset("р г рр гг".split())
_SQUARE_CUBIC = frozenset("кв. куб.".split())  # "15 кв. м.", "3 куб. м.": a unit, which may end a sentence
# The word before a sentence: terminal punctuation, then closing quotes or brackets ("…працює в ТОВ «Нафтогаз» з
# 2015 р. Раніше…": a closing quote alone ends a name, not a sentence).
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)]*\Z")
# One word and its comma before a date: "Ранее, в 2024 г. Харьков …", "Зокрема, у 2023 р. Україна …".
_INTRODUCED = re.compile(r"[^\W\d_]+,")
# The words that introduce a date so at the start of a line ("Зокрема, 20 квітня 2023 р. Україна …"): any other
# capitalised word there, with a day and no preposition, is a place, the dateline of an agency story ("Київ, 12 січня
# 2026 р. Через морози …"), which ends before the story.
_INTRODUCING_A_DATE = frozenset(
    """зокрема раніше ранее нагадаємо нагадуємо напомним нагадаем також также тоді тогда так отже итак тож отож водночас
    одночасно однак однако проте втім впрочем утім потім потом затем згодом впоследствии пізніше позже позднее
    наприклад например приміром нарешті наконец спочатку сначала відтак відповідно соответственно нині ныне зараз
    сейчас тепер теперь вперше впервые востаннє далі далее тому поэтому власне собственно загалом вообще зрештою
    щоправда правда звісно конечно очевидно ймовірно вероятно можливо возможно мабуть кстати передусім насамперед
    відтоді зазначимо зауважимо отметим відзначимо уточнимо додамо добавим відомо известно вочевидь безумовно
    безусловно зазвичай обычно натомість зато зате офіційно официально фактично формально""".split()
)
_DATE_PREPOSITIONS = frozenset("у в до з із від по після на за с со от к после из".split())
# The Ukrainian and Russian months in the cases a date takes: "20 квітня 2023 р.", "У квітні 2023 р.", "За липень
# 2023 р.", "5 мая 2023 г." (also index/near_duplicates.py's, a figure's date).
MONTHS_UK_RU = frozenset(
    """січень січня січні лютий лютого лютому лютім березень березня березні квітень квітня квітні травень травня
    травні червень червня червні липень липня липні серпень серпня серпні вересень вересня вересні жовтень жовтня
    жовтні листопад листопада листопаді грудень грудня грудні
    январь января январе февраль февраля феврале март марта марте апрель апреля апреле май мая мае июнь июня июне
    июль июля июле август августа августе сентябрь сентября сентябре октябрь октября октябре ноябрь ноября ноябре
    декабрь декабря декабре""".split()
)
# The months and seasons ("Навесні 2023 р.", "Весной 2021 г.") that a date at the start of a sentence may name before
# its year.
_DATE_MONTHS = MONTHS_UK_RU | frozenset("навесні влітку восени взимку весною літом зимою весной летом осенью зимой".split())
# Words that start a sentence after "U.S." or "I." (pySBD's SENTENCE_STARTERS).
SENTENCE_STARTERS = frozenset(
    "A Being Did For He How However I In It Millions More She That The There They We What When Where Who Why".split()
)
_STARTER_ABBREVIATIONS = ("U.S", "U.K", "E.U", "U.S.A", "I", "i.v", "I.V")
# ... and Ukrainian and Russian ones, after initials that follow a surname: "Наказ підписав Кравченко А.С. Він …".
SENTENCE_STARTERS_UK_RU = frozenset("Він Вона Воно Вони Це Ми Я Он Она Оно Они Это Мы".split())
_STARTERS_ANY = SENTENCE_STARTERS | SENTENCE_STARTERS_UK_RU
# "So-called", "that is", "including", "for example", always followed by what they introduce: "т.зв. «реформа»",
# "т.н. Северный поток", "т.е. Москва", "напр. Львів"; written with a space ("т. н.") they end in a _T_END after "т.".
_INTRODUCING = frozenset("т.зв т.н т.наз т.е т.ч напр".split())
_T_ENDS = frozenset("зв н наз е ч".split())
# First names cut to two letters, case-sensitive ("et al. The" ends): "Дж. Байден", "Gh. Asachi", "Al. I. Cuza".
_FIRST_NAMES = frozenset("Дж Вл Ол Gh Al Şt Șt Th Gr".split())
_OPENERS = "([«„“\"'‘"
# A Cyrillic word cut short before a lower-case Cyrillic one: "нац. ун-ту" (a sentence never opens so).
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff'’ʼ-]*[\u0400-\u04ff]")
_CYRILLIC_LOWER_AFTER = re.compile(r"\s[а-яёіїєґ]")
_EXCLAMATION_WORDS = frozenset("Yahoo Y!J Yum".split())


def _regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(opener, closer) positions of the quotations and brackets of ``text[start:end]``, by opener."""
    found = []
    for opener, pattern in _REGIONS:
        if text.find(opener, start, end) >= 0:
            found.extend((m.start(), m.end() - 1) for m in pattern.finditer(text, start, end))
    found.sort()
    return found


def _period_ends_sentence(text: str, p: int, after: int, line_start: int, line_end: int) -> bool:
    """A single period at ``p`` followed by whitespace at ``after``: pySBD's abbreviation and number rules."""
    lo = max(line_start, p - 32)
    window = text[lo:p]
    if not window or window[-1].isspace():
        # " . . . " (an ellipsis written with spaces) goes on; a lone period elsewhere ends
        return not (_end_of_spaced_ellipsis(text, p, line_end) or _in_spaced_ellipsis(text, p, line_start, line_end))
    words = window.split()
    word = words[-1]
    whole = len(word) < len(window) or lo == line_start  # the word starts after a space or at the line start
    if not word.isascii():  # a letter and its accent as two characters ("Й" as "И\u0306", text from a Mac): one
        word = unicodedata.normalize("NFC", word)
    protected = False
    if whole:
        lower = word.lower()
        bare = word.lstrip(_OPENERS)
        if len(word) == 1 and word.isupper():  # an initial, as in "J. Smith" or "О. Петренко", or the pronoun "I."
            protected = True
        elif bare.lower() in _INTRODUCING or lower in _T_ENDS and len(words) > 1 \
                and words[-2].lstrip(_OPENERS).lower() == "т.":
            return False
        elif bare in _FIRST_NAMES or not word.isascii() and _initials(bare):  # "Дж. Байден", "А.С. Кравченко"
            return _starts_sentence(text, after, line_end, _STARTERS_ANY)
        elif lower in ABBREVIATIONS:
            if lower in PREPOSITIVE and not (word in _ROMANIAN_WORDS and (word == "sens" or len(words) > 1 and (
                    unicodedata.normalize("NFC", words[-2]).lstrip(_OPENERS).lower() in _KIND_DETERMINERS))):
                return False
            if lower in NUMBER_ABBREVIATIONS:
                protected = bool(_NUMBER_ABBR_GOES_ON.match(text, after, line_end))
            else:
                protected = bool(_ABBR_GOES_ON.match(text, after, line_end))
        elif word.isupper():
            pass  # an acronym ("DNA.", "ЄС."), not "Dna." or "Вул."
        elif lower in _PLACE_OR_UNIT and not (len(words) > 1 and (words[-2][-1].isdigit()
                                                                   or words[-2].lower() in _SQUARE_CUBIC)) \
                and (word != "s" or _before_village(words, lo, line_start)):
            return False  # "м. Львова", "В г. Новосибирске", "din s. Bulboaca" (but "у 2019 г. Проект" may end)
        elif lower in PREPOSITIVE_UK_RU_RO:
            return False
        elif lower == "арт" and (len(words) > 1 and words[-2].lstrip(_OPENERS).lower() in _ARTIST_TITLES
                                 or _NUMBER_ABBR_GOES_ON.match(text, after, line_end)):
            return False  # "засл. арт. України", "нар. арт. СРСР", "арт. 12345"
        elif _opening_date(text, words, lo, line_start):
            return False  # "У 2023 р. Львівська рада ...", "В 1991 г. СССР распался": a date alone is no sentence
        elif lower in _CURRENCIES and _CURRENCY_COUNTRY.match(text, after, line_end):
            return False
        elif lower in _MULTIPLIERS and _UNIT_AFTER.match(text, after, line_end):
            return False  # "15,8 тис. МВт", "5 млн. USD", "1,63 mld. EUR": the unit of the number
        elif lower in ABBREVIATIONS_UK_RU_RO or not word.isascii() and _MULTI_PERIOD_OTHER.search(word):
            return not _ABBR_GOES_ON.match(text, after, line_end)
        elif _CYRILLIC_WORD.fullmatch(bare) and _CYRILLIC_LOWER_AFTER.match(text, after, line_end):
            return False  # "нац. ун-ту", "міжнар. організацій"
    if word == "Co" and text.startswith(" KG", after):
        return False  # "GmbH & Co. KG"
    if word[-1] == "°" and _DIGIT_NEXT.match(text, after, line_end):
        return False  # "N°. 1026"
    if _end_of_spaced_ellipsis(text, p, line_end):
        return False  # "abandoned. . . ." at the end of a line
    if not protected and not _MULTI_PERIOD.search(word):  # "U.S.", "e.g.", "a.m."
        return True
    if word.lower().endswith(("a.m", "p.m")) and _capital_after(text, after, line_end):
        return True
    return word.endswith(_STARTER_ABBREVIATIONS) and _starts_sentence(text, after, line_end)


def _opening_date(text: str, words: list[str], lo: int, line_start: int) -> bool:
    """True when the words before a period are a date ending with the year's abbreviation at the start of a
    sentence: a preposition, a month (with its day) or both before the year: "У 2023 р", "В 1991 г", "До 2026 р",
    "20 квітня 2023 р", "У квітні 2023 р", "За липень 2023 р", "С 1 мая 2023 г", also after one word and a comma:
    "Ранее, в 2024 г", "Зокрема, 20 квітня 2023 р"; not a dateline, a place and its day opening the line: "Київ, 12
    січня 2026 р"."""
    if len(words) < 3 or words[-1].lower() not in _YEAR_ABBREVIATIONS or not words[-2].isdigit():
        return False
    k = 2  # the words of the date so far: the year and its abbreviation
    if words[-3].lower() in _DATE_MONTHS:
        k = 3
        if len(words) > 3 and words[-4].isdigit() and len(words[-4]) <= 2:
            k = 4  # the day
    if len(words) > k and words[-k - 1].lower() in _DATE_PREPOSITIONS:
        k += 1
    elif k == 2:
        return False  # a year alone ("2019 г") may end a sentence that began before the window
    if len(words) > k and _INTRODUCED.fullmatch(words[-k - 1]):
        k += 1  # "Ранее," "Раніше," "Зокрема,": a word and a comma before the date is no sentence either
        if len(words) > k and _cut_short(words[-k - 1]):
            return False  # "в г. Харькове, в 2019 г.", "О. Петренко, у 2024 р.": no sentence opens after "г." or "О."
        if k == 5 and len(words) == k and lo == line_start and words[0][0].isupper() \
                and words[0][:-1].lower() not in _INTRODUCING_A_DATE:
            return False  # a dateline, a place and its day opening the line: "Київ, 12 січня 2026 р." ends
    if len(words) > k:
        return bool(_ENDS_SENTENCE.search(words[-k - 1])) or words[-k - 1] in ("—", "–")
    return lo == line_start  # else the window may have cut the word before


def _before_village(words: list[str], lo: int, line_start: int) -> bool:
    """True when the word before a Romanian "s." is a preposition or ends with a comma or a colon, or when "s." opens
    its line: "din s. Bulboaca", "com. Ciorescu, s. Vatra" (not "adding an s. The")."""
    if len(words) == 1:
        return lo == line_start
    before = words[-2]
    return before[-1] in ",:" or before.lstrip(_OPENERS).lower() in _VILLAGE_PREPOSITIONS


def _cut_short(word: str) -> bool:
    """True for an initial or a known abbreviation with its period ("О.", "г.", "вул.", "str."), which ends no sentence
    before a word and a comma."""
    if not word.endswith("."):
        return False
    bare = word[:-1].lstrip(_OPENERS)
    lower = bare.lower()
    return (len(bare) == 1 or _initials(bare) or lower in ABBREVIATIONS or lower in ABBREVIATIONS_UK_RU_RO
            or lower in PREPOSITIVE_UK_RU_RO)


def _in_spaced_ellipsis(text: str, p: int, line_start: int, line_end: int) -> bool:
    """True for the first three periods of " . . . " (a fourth, as in " . . . . Next", ends the sentence)."""
    k, i = 0, p
    while k < 8 and i - 3 >= line_start and text[i - 2] == "." and text[i - 1] == " " and text[i - 3].isspace():
        i -= 2
        k += 1
    k %= 4
    if k == 3:
        return False
    last = p + 2 * (2 - k)  # the third period of this group
    return bool(_SPACED.match(text, last - 5, line_end))


def _end_of_spaced_ellipsis(text: str, p: int, line_end: int) -> bool:
    """True for a period followed by nothing but " . . ." to the end of its line."""
    return line_end - p < 16 and bool(_SPACED_TAIL.fullmatch(text, p + 1, line_end))


def _capital_after(text: str, pos: int, end: int) -> bool:
    """True when ``pos`` is one whitespace character followed by a capital, in any script ("Ştefan", "Єдність")."""
    return pos + 1 < end and text[pos].isspace() and text[pos + 1].isupper()


def _starts_sentence(text: str, after: int, line_end: int, starters: frozenset = SENTENCE_STARTERS) -> bool:
    """True when the word after ``after`` is one that starts sentences, as in "the U.S. The"."""
    rest = text[after:min(line_end, after + 12)]
    if not rest[:1].isspace():
        return False
    word, _, tail = rest[1:].partition(" ")
    return word in starters and bool(tail or after + 1 + len(word) < line_end)


def _initials(word: str) -> bool:
    """True for initials written together, as in "А.С" (the period after the last is the candidate)."""
    return len(word) >= 3 and all(len(part) == 1 and part.isupper() for part in word.split("."))


def _run_ends_sentence(text: str, p: int, run: str, after: int, line_start: int, line_end: int) -> bool:
    """Whether the punctuation ``run`` at ``p``, followed by whitespace at ``after``, ends a sentence."""
    if run == ".":
        return _period_ends_sentence(text, p, after, line_start, line_end)
    if run in ("...", "…"):  # an ellipsis ends a sentence only before a capital
        spaces = _SPACES.match(text, after, line_end)
        return bool(spaces) and text[spaces.end():spaces.end() + 1].isupper()
    if run == "!":
        if text[after + 1:after + 2].islower():
            return False  # "Hey! you there" goes on
        word = text[max(line_start, p - 8):p].split()
        return not (word and word[-1] in _EXCLAMATION_WORDS)
    if len(run) >= 3 and p > line_start and not text[p - 1].isspace() and not run.strip("!?"):
        return False  # "Wow!!! Great" is one (pySBD's continuous punctuation)
    return True


def _in_sequence(values: list[int], i: int) -> bool:
    """True when list item ``i`` follows or precedes its neighbour by one (pySBD's list check)."""
    v = values[i]
    if i + 1 < len(values) and values[i + 1] == v + 1:
        return True
    return i > 0 and (values[i - 1] == v - 1 or (v == 0 and values[i - 1] == 9) or (v == 9 and values[i - 1] == 0))


def _lists(text: str, start: int, end: int) -> tuple[list[int], set[int]]:
    """Where list items start a sentence, and the periods that mark items rather than end sentences."""
    breaks: list[int] = []
    marks: set[int] = set()
    numbered = list(_NUMBERED.finditer(text, start, end))
    if numbered:
        values = [int(m.group(1)) for m in numbered]
        items = [m for i, m in enumerate(numbered) if _in_sequence(values, i)]
        no_breaks = any(text[max(start, m.start() - 4):m.start()] == "for " and text[m.end() + 1:m.end() + 2].islower()
                        for m in items)
        for m in items:
            marks.add(m.end() - 1)
            if not no_breaks:
                breaks.append(_item_start(text, m.start(1), start))
    if ")" in text[start:end] if end - start < 4096 else text.find(")", start, end) >= 0:
        numbered = list(_NUMBERED_PARENS.finditer(text, start, end))
        values = [int(m.group(1)) for m in numbered]
        breaks.extend(m.start(1) for i, m in enumerate(numbered)
                      if _in_sequence(values, i) and text[m.start(1) - 1:m.start(1)].isspace())
        for pattern in (_LETTERED_PARENS,):
            for alphabet in (_LATIN, _ROMAN):
                found = [m for m in pattern.finditer(text, start, end) if m.group(1) in alphabet]
                values = [alphabet[m.group(1)] for m in found]
                for i, m in enumerate(found):
                    if _in_sequence(values, i):
                        at = m.start(1) - (text[m.start(1) - 1] == "(")
                        if at > start:
                            breaks.append(at)
    lettered = list(_LETTERED.finditer(text, start, end))
    if len(lettered) > 1:
        values = [_LATIN[m.group(1)] for m in lettered]
        for i, m in enumerate(lettered):
            if _in_sequence(values, i):
                marks.add(m.end() - 1)
                if m.start() > start:
                    breaks.append(m.start())
    breaks = sorted(set(b for b in breaks if b > start))
    return breaks, marks


def _item_start(text: str, digits: int, start: int) -> int:
    """Where a list item begins: at its number, or at a one-character bullet just before it ("• 10.")."""
    at = digits
    if at > start and text[at - 1] in "-⁃":
        at -= 1
    k = at
    while k > start and text[k - 1] == " ":
        k -= 1
    if k - 1 >= start and not text[k - 1].isspace() and (k - 1 == start or text[k - 2].isspace()):
        return k - 1
    return at


def _split_line(text: str, start: int, end: int, breaks: list[int], marks: set[int]) -> list[tuple[int, int]]:
    """Sentence spans of one line; ``breaks`` start list items, ``marks`` are periods of list markers."""
    regions = _regions(text, start, end)
    starting = {o: c for o, c in regions}
    asides = [b for o, c in regions  # '"Hi!" (Dinah was the cat.) "Bye."': the aside is a sentence of its own
              if text[o] == "(" and text[o - 2:o] in ('" ', "” ") and text[c + 1:c + 3] in (' "', " “")
              for b in (o, c + 2)]
    if asides:
        breaks = sorted({*breaks, *asides})
    n_regions, n_breaks = len(regions), len(breaks)
    ri = bi = 0
    covered = -1  # the furthest closer of the regions opened so far
    spans: list[tuple[int, int]] = []
    cursor = _region_sentence(text, start, end, starting, spans)
    for match in _CANDIDATE.finditer(text, start, end):
        p, q = match.start(), match.end()
        while bi < n_breaks and breaks[bi] <= p:
            if breaks[bi] > cursor:
                spans.append((cursor, breaks[bi]))
                cursor = _region_sentence(text, breaks[bi], end, starting, spans)
            bi += 1
        if q <= cursor or p in marks:
            continue
        while ri < n_regions and regions[ri][0] < p:
            if regions[ri][1] > covered:
                covered = regions[ri][1]
            ri += 1
        closers = match.group(1)
        if q >= end:
            break
        if not text[q].isspace():
            if text[q - 1 - len(closers)] in _FULL_WIDTH:
                pass  # "period．Does it": full-width punctuation needs no space after it
            elif closers or p < covered or not text[p - 1:p].strip() or text[p] == "." and q != p + 1:
                continue
            else:  # glued to a reference ("the wall.[1] It fell", "ended.:33 Then"): the boundary follows it
                ref = _REFERENCE.match(text, q, end)
                if ref is None or not _capital_after(text, ref.end(), end) \
                        or text[q].isdigit() and text[p - 1].isdigit():  # "3.5 Mb"
                    continue
                q = ref.end()
        elif closers and any(c in _QUOTES for c in closers):
            if covered > q or not _capital_after(text, q, end):
                continue  # "Why?" he asked. / "... 'Who am I?' Ah, ..." inside a longer quotation
        elif p < covered:
            continue
        elif not _run_ends_sentence(text, p, text[p:q - len(closers)], q, start, end):
            continue
        spans.append((cursor, q))
        cursor = _region_sentence(text, q, end, starting, spans)
    for b in breaks[bi:]:
        if b > cursor:
            spans.append((cursor, b))
            cursor = b
    if cursor < end:
        spans.append((cursor, end))
    return spans


def _region_sentence(text: str, pos: int, end: int, starting: dict[int, int], spans: list) -> int:
    """A sentence that opens with a quotation or brackets ending before a capital is that quotation.

    pySBD's ``"We won." The end`` and ``(See below.) Next``; appends them and returns the new cursor.
    """
    while True:
        while pos < end and text[pos].isspace():
            pos += 1
        close = starting.get(pos)
        if close is None or text[close - 1] == "," or close - pos < 3 or _LIST_MARKER.fullmatch(text, pos, close + 1):
            return pos
        if not _capital_after(text, close + 1, end):
            return pos
        spans.append((pos, close + 1))
        pos = close + 1


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``; a line break always ends a sentence."""
    end = len(text) if end is None else end
    breaks, marks = _lists(text, start, end) if _MAYBE_LIST.search(text, start, end) else ([], set())
    spans = []
    bi = 0
    for line in _LINES.finditer(text, start, end):
        ls, le = line.span()
        bj = bi
        while bj < len(breaks) and breaks[bj] < le:
            bj += 1
        number = _LINE_START_NUMBER.match(text, ls, le)
        if number:  # "1. Buy milk" at the start of a line
            marks.add(number.end() - 1)
        for s, e in _split_line(text, ls, le, breaks[bi:bj], marks):
            s, e = _strip(text, s, e)
            if e > s:
                spans.append((s, e))
        bi = bj
    return spans


def is_heading(text: str, span: tuple[int, int], max_words: int = 10) -> bool:
    """A short line with no closing punctuation, e.g. "NATO supported Ukraine"."""
    line = text[span[0] : span[1]]
    if not line or line[-1] in ".!?…:;,\"'”’)":
        return False
    starts_line = span[0] == 0 or text[span[0] - 1] == "\n"
    ends_line = span[1] == len(text) or text[span[1]] == "\n"
    return starts_line and ends_line and len(line.split()) <= max_words
