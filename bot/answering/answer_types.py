"""What kind of answer a question wants, and whether a sentence supplies one it does not already hold.

>>> wanted("When did Ukraine ask for fast-track membership?")
'time'
>>> supplies("Ukraine applied last September.", "time", "When did Ukraine apply?")
True
>>> supplies("Ukraine applied in September.", "time", "Did Ukraine apply in September?")
False
"""

from __future__ import annotations

import datetime
import functools
import re

from index.near_duplicates import dateline
from index.sentences import MONTHS_UK_RU

_LEAD = r"^\s*(?:\w+\s+){0,3}?"
_WANTS = (
    ("number", re.compile(_LEAD + r"(how (many|much|long|old|far|large|big|tall|high|often)|(what|which) (percentage|percent|number|amount|share|proportion))\b", re.I)),
    ("time", re.compile(_LEAD + r"(when|(what|which) (year|date|time|day|month|century|decade|period|era)|(in|by|since|until|during) (what|which) (year|date|time|century|month|decade))\b", re.I)),
    ("person", re.compile(_LEAD + r"(who|whom|whose)\b", re.I)),
    ("place", re.compile(_LEAD + r"(where|(what|which) (country|city|state|place|region|location|continent|town|capital))\b", re.I)),
    ("yesno", re.compile(r"^\s*(is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|may|might|must)\b", re.I)),
)
TYPES = tuple(name for name, _ in _WANTS)

_MONTHS = "january february march april may june july august september october november december"
# The Ukrainian and Russian months in their cases, and the Romanian ones but "mai" ("more" too), dated by a day alone:
# "20 квітня", "у березні", "21 aprilie", "3 mai" say when as "April 20" does.
_MONTHS_OTHER = MONTHS_UK_RU | frozenset(
    "ianuarie februarie martie aprilie iunie iulie septembrie octombrie noiembrie decembrie".split())
# They say when written small, or with a capital after a day ("8 Марта"): "Марта Костюк", "Мая Плисецкая" are names.
_MONTHS_OTHER_ALT = "|".join(sorted(_MONTHS_OTHER, key=len, reverse=True))
# February's Ukrainian forms are also the adjective "fierce" ("лютий мороз", "лютого ворога"): with no day before them
# ("20 лютого" always says when) they do only after "у", "з", "до"... or before a year ("лютий 2024 р.").
_FIERCE = frozenset("лютий лютого лютому лютім".split())
_MONTHS_ALONE_ALT = "|".join(sorted(_MONTHS_OTHER - _FIERCE, key=len, reverse=True)) + (
    r"|(?:(?<=\b[уУвВзЗ] )|(?<=\b[дД]о ))(?:лютого|лютому|лютім)|(?:лютий|лютого|лютому)(?=\s+\d{4})")
# Romanian "mai" is May only after a day and before a year or a stop ("cu 5 mai mult" is "5 more").
_MAI = r"mai(?=\s*(?:\d{4}|[.,;:)]|$))"
# ... or after "pe", "din", "la", "până", "după" and a day, unless "more" follows: "pe 20 mai a fost", not "la 5 mai mulți".
_ON_DAY = r"\b(?:pe|din|la|până|pana|după|dupa)\s+"
_MAI_ON_DAY = r"mai\b(?!\s+(?:mul[tț]|pu[țţt]in))"
_ON_DAY_BEFORE = re.compile(_ON_DAY + r"\Z", re.I)
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions dozen "
    "dozens half quarter first second third several"
)
# The same in Ukrainian, Russian and Romanian, where a small count is written in words as often ("три школи", "две полосы",
# "două benzi"); not Romanian "opt" (eight; English "opt out") nor "nouă" (nine, and "new": "o nouă lege"), and none
# followed by an apostrophe ("сім'я" is a family)
_NUMBER_WORDS_OTHER = (
    "два дві двох три трьох чотири чотирьох п'ять п’ять п'яти п’яти шість шести сім семи вісім восьми дев'ять дев’ять "
    "десять десяти одинадцять дванадцять двадцять тридцять сорок п'ятдесят п’ятдесят сто сотні сотень тисяча тисячі "
    "тисяч мільйон мільйони мільйонів мільярд мільярди мільярдів кілька декілька десятки десятків половина "
    "две двух трёх трех четыре четырёх четырех пять пяти шесть семь восемь девять десять пятьдесят сотни тысяча "
    "тысячи тысяч миллион миллиона миллионов миллиард миллиарда миллиардов несколько десятки десятков половина "
    "doi două trei patru cinci șase şase șapte şapte zece unsprezece doisprezece douăsprezece douăzeci treizeci "
    "patruzeci cincizeci sută sute mii milion milioane miliard miliarde zeci câteva câțiva câţiva jumătate"
)
_FOUND = {
    "number": re.compile(r"\d[\d,.]*%?|\b(" + _NUMBER_WORDS.replace(" ", "|") + r")\b"
                         r"|(?<![\w'’])(" + "|".join(dict.fromkeys(_NUMBER_WORDS_OTHER.split())) + r")(?![\w'’])", re.I),
    "time": re.compile(
        r"\b(1\d{3}s?|20\d{2}s?|\d{1,2}(st|nd|rd|th)? century|" + _MONTHS.replace(" ", "|")
        + r"|yesterday|today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"(last|next|this) (week|month|year|spring|summer|autumn|fall|winter|" + _MONTHS.replace(" ", "|") + r")|"
        r"spring|summer|autumn|winter|decades?|centur(y|ies)|years? (ago|later|earlier))\b"
        r"|(?<!\w)(?-i:" + _MONTHS_ALONE_ALT + r")(?!\w)|\b\d{1,2}\s+(?:" + _MONTHS_OTHER_ALT + r"|" + _MAI + r")(?!\w)"
        r"|" + _ON_DAY + r"\d{1,2}\s+" + _MAI_ON_DAY, re.I),
    "person": re.compile(r"(?<=\S )[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*"),
    "place": re.compile(r"\b(?:in|at|near|from|to|into|across|outside|inside|of) (?:the )?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)"),
}
# A person or a place in Cyrillic, or a place in Romanian, which the patterns above (English words, capitals in Latin
# letters) do not read: a name of two capitalised words or an initial and a surname ("Миколу Бондаренка", "Ю. Васьков"),
# not a place's ("у с. Агрономічне Вінницької обл."); a capitalised name after a locative word ("у Львові", "з
# Кременчука", "в м. Чернівці", "біля вул. Наукової", "din Rădăuți", "de la Cluj-Napoca", "în comuna Florești") or a
# place's abbreviation ("jud. Cluj", "s. Săpânța"). A name opening a quote is a title's or a company's ("гурт «Нова
# Опера»", "НАК «Нафтогаз України»"), as a Latin one there is no person to _FOUND.
_CYR_UP, _UP = "А-ЯЁЇІЄҐ", "A-ZĂÂÎȘŞȚŢА-ЯЁЇІЄҐ"
_CYR_NAME = "[" + _CYR_UP + r"][а-яёїієґ'’-]+"
_PLACE_WORDS = (
    r"(?:м|с|смт|вул|просп|пл|пров|бульв|г|ул|пос|s|str|com|jud|mun|bd|bdul|sect)\.|місто|міста|місті|село|селі|села"
    r"|селище|селищі|город|городе|деревня|деревне|orașul|oraşul|orașului|oraşului|municipiul|municipiului|comuna|comunei"
    r"|satul|satului|județul|judeţul|județului|judeţului|strada|străzii")
_LOCATIVE = (r"у|в|во|на|з|із|зі|до|біля|поблизу|під|від|через|по|к|из|от|около|возле|под|"
             r"în|la|din|spre|lângă|prin|către|pe|dinspre|de\s+la|de\s+lângă")
_NAME_OTHER = "[" + _UP + r"][^\W\d_][\w'’-]*(?:\s+[" + _UP + r"][^\W\d_][\w'’-]*)*"
_FOUND_OTHER = {
    "person": re.compile(r"(?<![\w'’«„“\"-])(?:" + _CYR_NAME + r"\s+" + _CYR_NAME
                         + r"|(?:[" + _CYR_UP + r"]\.\s*){1,2}" + _CYR_NAME + r")(?![\w'’-])"),
    "place": re.compile(r"(?<![\w'’-])(?i:(?:" + _LOCATIVE + r")\s+(?:(?:" + _PLACE_WORDS + r")\s*)?|(?:" + _PLACE_WORDS
                        + r")\s*)(" + _NAME_OTHER + ")"),
}
_AFTER_PLACE_WORD = re.compile(r"(?i:(?<![\w'’-])(?:" + _PLACE_WORDS + "|" + _LOCATIVE + r"))\s*\Z")
_PLACE_WORD_CHARS = 32  # a locative word or a place's abbreviation and the spaces after it, at most
_SECOND_WORD = re.compile(r"\S+\s+")
_DATELINE_END = re.compile(r"\.\s+")
_DATELINE_CHARS = 120
_NAMES_READ = 64  # a question's names a name in another case is told against: a long one's first
_WORD = re.compile(r"[\w'’-]+")
_YEAR = re.compile(r"(1[5-9]|20)\d\d")
_AFTER_MONTH = re.compile(r"\b(" + _MONTHS.replace(" ", "|") + r")\s+$", re.I)
# A day before its month: "20 квітня", "21 aprilie", "3 mai".
_BEFORE_MONTH = re.compile(r"\s+(?:" + _MONTHS_OTHER_ALT + "|" + _MAI + r")(?!\w)", re.I)
_BEFORE_MAI = re.compile(r"\s+" + _MAI_ON_DAY, re.I)


def _is_date_part(sentence: str, match: re.Match) -> bool:
    """True for a year (1500-2099) or a day of a month: numbers that date rather than count."""
    text = match.group(0).rstrip(".,")
    return (bool(_YEAR.fullmatch(text)) or bool(_AFTER_MONTH.search(sentence, max(0, match.start() - 12), match.start()))
            or bool(_BEFORE_MONTH.match(sentence, match.end()))
            or bool(_BEFORE_MAI.match(sentence, match.end())
                    and _ON_DAY_BEFORE.search(sentence, max(0, match.start() - 8), match.start())))


def wanted(question: str) -> str | None:
    """The kind of answer ``question`` asks for: number, time, person, place, yesno, or None."""
    for name, pattern in _WANTS:
        if pattern.search(question):
            return name
    return None


@functools.lru_cache(maxsize=8)
def _read(question: str) -> tuple[frozenset[str], str | None, tuple[str, ...]]:
    """The words of ``question`` (lower-cased), and the start of its longest word after the first (a yes/no
    question's key): read once per question, not once per sentence it is held against (a megabyte-long
    question took 3.7 s of a 10 s answer here); and its first names of four letters or more (lower-cased), against
    which a name in another case is told ("Бондаренка" of "Бондаренко")."""
    words = _WORD.findall(question)
    longest = max((w for w in words[1:] if len(w) > 3), key=len, default=None)
    lowered = None if longest is None else longest.lower()
    key = None if lowered is None else lowered[: max(4, len(lowered) - 2)]
    names = tuple(dict.fromkeys(w.lower() for w in words if len(w) >= 4 and w[0].isupper()))[:_NAMES_READ]
    return frozenset(w.lower() for w in words), key, names


def supplies(sentence: str, kind: str | None, question: str) -> bool:
    """True when ``sentence`` holds a ``kind`` of thing that ``question`` does not already say.

    A yes/no question is supplied by a sentence that states something about the question's own
    words (its statement or denial), so any sentence holding one of its capitalised names or its
    longest word counts.
    """
    if kind is None:
        return False
    asked, key, names = _read(question)
    if kind == "yesno":
        return key is not None and key in sentence.lower()
    if kind == "person":
        sentence = _without_dateline(sentence)  # "Brașov, 9 februarie 2026. Compania ...": no person
    for pattern in (_FOUND[kind], _FOUND_OTHER.get(kind)):
        for match in pattern.finditer(sentence) if pattern is not None else ():
            if kind == "number" and _is_date_part(sentence, match):
                continue  # "in 2022", "on April 20" say when, not how many
            if pattern is _FOUND_OTHER.get("person") and _after_place_word(sentence, match.start()):
                # a place's name: "у с. Агрономічне Вінницької обл.", "у Великій Британії"; or a place's and a
                # person's read as one pair ("У Києві Віталій Кличко"): the pair from the second word on
                second = _SECOND_WORD.match(sentence, match.start())
                match = second and pattern.match(sentence, second.end())
                if not match or _after_place_word(sentence, match.start()):
                    continue
            text = match.group(match.lastindex or 0) if kind == "place" else match.group(0)
            words = [w.lower() for w in _WORD.findall(text)]
            if pattern is _FOUND[kind]:
                if words and not all(w in asked for w in words):
                    return True
            elif words and not all(w in asked or _inflected(w, names) for w in words):
                return True  # "Миколу Бондаренка" is no answer to "Чи капітан Микола Бондаренко?"
    return False


def _after_place_word(sentence: str, start: int) -> bool:
    """True when a locative word or a place's abbreviation ends just before ``start`` in ``sentence`` (read within
    the few characters before it, so a long sentence of names is read in linear time)."""
    return _AFTER_PLACE_WORD.search(sentence, max(0, start - _PLACE_WORD_CHARS), start) is not None


def _inflected(word: str, names: tuple[str, ...]) -> bool:
    """True when ``word`` is one of ``names`` in another case by their first letters but two ("Бондаренка" of
    "Бондаренко", "Chiriac" of "Chiriacului"), each of four or more."""
    stem = word[: max(4, len(word) - 2)]
    return len(word) >= 4 and any(w.startswith(stem) or word.startswith(w[: max(4, len(w) - 2)]) for w in names)


def _without_dateline(sentence: str) -> str:
    """``sentence`` without the dateline that opens it ("Київ, 12 січня 2026 р. ", "București, 22 aprilie 2026. "): a
    lead quoted with its dateline, whose first word is no name."""
    for end in _DATELINE_END.finditer(sentence, 0, _DATELINE_CHARS):
        if dateline(sentence[:end.start() + 1]):
            return sentence[end.end():]
    return sentence


# The months a day is written with, in the four languages (Ukrainian and Russian in the genitive a day takes): a
# question that asks about one day and a sentence dated another ("What happened in Odesa on 3 May 2026?", "Одеса, 3
# квітня 2026 р. Порти ...") disagree.
_MONTH_NUMBERS = {name: i % 12 + 1 for names in (
    "january february march april may june july august september october november december",
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
) for i, name in enumerate(names.split())}
_MONTH_ALT = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))


def _key(word: str, table: dict) -> str:
    """The key of ``table`` that ``word``, matched case-blind, spells: its lower case, or, where that lowers a letter to
    another ("APRİL", a Turkish keyboard's capital I, is "apri̇l"; "Auguſt", a long s, stays so), the key it matches."""
    lower = word.lower()
    if lower in table:
        return lower
    return next(key for key in table if re.fullmatch(re.escape(key), word, re.I))

_YEAR_AFTER = r"(?:,?\s+(?P<year>(?:1[5-9]|20)\d\d)(?!\d))?"
_ORDINAL = r"(?:st|nd|rd|th|-?го|-?е)?"  # "3rd April", "July 4th", "3-го квітня", "3-е апреля"
_DAYS = re.compile(
    r"(?<![\w.])(?:(?P<day>[0-3]?\d)" + _ORDINAL + r"(?:\s+of)?\s+(?P<month>" + _MONTH_ALT + r")(?!\w)" + _YEAR_AFTER
    + r"|(?P<month2>" + _MONTH_ALT + r")\s+(?P<day2>[0-3]?\d)" + _ORDINAL + r"(?![\w.,]\d)"
    + _YEAR_AFTER.replace("year", "year2")
    + r"|(?P<day3>[0-3]?\d)\.(?P<month3>[01]?\d)\.(?P<year3>(?:1[5-9]|20)\d\d)(?!\d)"
    + r"|(?P<year4>(?:1[5-9]|20)\d\d)-(?P<month4>[01]\d)-(?P<day4>[0-3]\d)(?![\w.-]?\d))", re.I)  # "2026-04-03"


def days(text: str) -> frozenset[tuple[int, int, int | None]]:
    """The days ``text`` names, as (month, day, year or None): "3 квітня 2026 р." (4, 3, 2026), "April 20" (4, 20,
    None), "30.05.2026" (5, 30, 2026). Romanian "mai" ("more" too) dates only before a year or a stop."""
    found = set()
    for m in _DAYS.finditer(text):
        if m["day3"] or m["day4"]:
            month, day, year = int(m["month3"] or m["month4"]), int(m["day3"] or m["day4"]), m["year3"] or m["year4"]
        else:
            word = _key(m["month"] or m["month2"], _MONTH_NUMBERS)
            if word == "mai" and m["month"] and not m["year"] and not re.match(r"\s*(?:[.,;:!?]|$)", text[m.end():]):
                continue  # "5 mai mulți"
            if word == "may" and not (m["month"] or m["month2"]).startswith(("May", "MAY")) and not (m["year"] or m["year2"]):
                continue  # "they may 3 times"
            month, day, year = _MONTH_NUMBERS[word], int(m["day"] or m["day2"]), m["year"] or m["year2"]
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.add((month, day, int(year) if year else None))
    for m in _SPANS.finditer(text):
        found |= _span(m)
    found |= _told_from(found, text)
    dated = {(month, day) for month, day, year in found if year is not None}
    return frozenset(d for d in found if d[2] is not None or d[:2] not in dated)  # "April 29–May 2, 1961": of 1961


# A story's lead tells of the day before its dateline, or of a day of the week, by a word: "Харків, 13 січня 2026 р.
# Учора ввечері ..." names 12 January; "Odesa, April 25, 2026. On Friday ..." names 24 April.
_DAYS_BEFORE = {word: n for n, words in ((1, "yesterday вчора учора вчера ieri"), (2, "позавчора позавчера alaltăieri"))
                for word in words.split()}
_WEEKDAYS = {word: i for i, words in enumerate((
    "monday понеділок понеділка понедельник luni", "tuesday вівторок вторник marți marţi marti",
    "wednesday середа середу среда среду miercuri", "thursday четвер четверг joi",
    "friday п'ятниця п'ятницю п’ятниця п’ятницю пятница пятницу vineri",
    "saturday субота суботу суббота субботу sâmbătă sîmbătă sambata",
    "sunday неділя неділю воскресенье duminică duminica")) for word in words.split()}
_WORDS_OF_DAYS = {**_DAYS_BEFORE, **_WEEKDAYS}
_RELATIVE = re.compile(r"(?<![\w'’])(" + "|".join(sorted(_WORDS_OF_DAYS, key=len, reverse=True))
                       + r")(?![\w'’])", re.I)


def _told_from(found: set, text: str) -> set[tuple[int, int, int]]:
    """The days ``text`` tells of by a word, from each day of a year it names: the day before it, the latest of a
    weekday up to it."""
    told = set()
    for word in {_key(m[1], _WORDS_OF_DAYS) for m in _RELATIVE.finditer(text)} if any(d[2] for d in found) else ():
        for month, day, year in found:
            try:
                date = datetime.date(year, month, day)
            except (TypeError, ValueError):  # no year; "30 February"
                continue
            if word in _DAYS_BEFORE:
                date -= datetime.timedelta(_DAYS_BEFORE[word])
            else:
                date -= datetime.timedelta((date.weekday() - _WEEKDAYS[word]) % 7)
            told.add((date.month, date.day, date.year))
    return told


# A span of days names each day in it: "from 1 to 5 April" names 3 April, "April 29–May 2, 1961", "з 30 березня по 2
# квітня", "între 3 și 4 mai"; "on 1 and 3 June" names two days, "between 1 and 5 June" all five.
_TO = r"\s*(?:[-–—]|\s(?:to|until|till|through|thru|and|до|по|і|й|та|и|la|pân[aă] la|și|şi)\s)\s*"
_BETWEEN = r"(?:(?P<between>between|from|între|din|de la|між|поміж|з|із|від|между|с|от)\s+)?"
_SPANS = re.compile(
    r"(?<![\w.])" + _BETWEEN + r"(?:(?P<d1>[0-3]?\d)(?:\s+(?P<m1>" + _MONTH_ALT + r"))?(?P<to>" + _TO + r")(?P<d2>[0-3]?\d)\s+"
    r"(?P<m2>" + _MONTH_ALT + r")(?!\w)" + _YEAR_AFTER
    + r"|(?P<m3>" + _MONTH_ALT + r")\s+(?P<d3>[0-3]?\d)(?P<to2>" + _TO + r")(?:(?P<m4>" + _MONTH_ALT + r")\s+)?"
    r"(?P<d4>[0-3]?\d)(?![\w.,]\d)" + _YEAR_AFTER.replace("year", "year2") + ")", re.I)
_SPAN_DAYS = 62  # the longest span read day by day: a longer one is its two ends


def _span(m: re.Match) -> set[tuple[int, int, int | None]]:
    """The days of the span ``m`` of ``_SPANS`` found: its two ends, and the days between where it is one."""
    if m["d1"]:
        first, last, to = (m["m1"] or m["m2"], int(m["d1"])), (m["m2"], int(m["d2"])), m["to"]
    else:
        first, last, to = (m["m3"], int(m["d3"])), (m["m4"] or m["m3"], int(m["d4"])), m["to2"]
    if any(word.lower() == "may" and not word.startswith(("May", "MAY")) for word in (first[0], last[0])):
        return set()  # "they may 3 times"
    if any(word.lower() == "mai" and word is not m["m3"] for word in (first[0], last[0])) and not (m["year"] or m["year2"]):
        return set()  # "1 sau 2 mai mulți"
    year = m["year"] or m["year2"]
    year = int(year) if year else None
    (m1, d1), (m2, d2) = ((_MONTH_NUMBERS[_key(w, _MONTH_NUMBERS)], d) for w, d in (first, last))
    try:
        end = datetime.date(year or 2024, m2, d2)  # a leap year: 29 February stands in a span of no year
        start = datetime.date(end.year - (m1 > m2), m1, d1)
    except ValueError:
        return set()
    ends = {(start.month, start.day, year and start.year), (end.month, end.day, year)}
    one = to.strip().lower() not in {"and", "і", "й", "та", "и", "și", "şi"} or m["between"]
    if not one or not 0 <= (end - start).days <= _SPAN_DAYS:
        return ends
    return ends | {((start + datetime.timedelta(i)).month, (start + datetime.timedelta(i)).day,
                    year and (start + datetime.timedelta(i)).year) for i in range((end - start).days)}


@functools.lru_cache(maxsize=8)
def asked_days(question: str) -> frozenset[tuple[int, int, int | None]]:
    """``days(question)``, read once per question, not once per sentence it is held against."""
    return days(question)


def another_day(sentence: str, question: str) -> bool:
    """True when ``question`` asks about a day and ``sentence`` names days, none of them that one ("Одеса, 3 квітня 2026
    р. Порти ..." for "What happened in Odesa on 3 May 2026?"); a year that one of them leaves out agrees."""
    asked = asked_days(question)
    if not asked:
        return False
    named = days(sentence)
    return bool(named) and not any(m == m2 and d == d2 and (y is None or y2 is None or y == y2)
                                   for m, d, y in asked for m2, d2, y2 in named)
