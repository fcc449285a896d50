"""Near-identical texts found among many without keeping every text's word 5-grams in memory.

A ``Fingerprint`` keeps an article's number of 5-grams and the smallest of their hashes: enough to rule
out, with certainty, most articles whose Jaccard similarity to a new text is under the threshold (a size
filter and a prefix filter), and to estimate it for the rest (a bottom-k sketch). Only the few articles
left are read again and compared in full.

>>> a = shingles("NATO Secretary General Jens Stoltenberg arrived in Kyiv on Thursday for talks")
>>> b = shingles("NATO Secretary General Jens Stoltenberg arrived in Kyiv on Thursday for talks.")
>>> Fingerprint.of(a, 0.9).may_reach(Fingerprint.of(b, 0.9), 0.9), similarity(a, b)
(True, 1.0)

Near-identical texts can still tell two moments of a story apart, by their figures:

>>> disagree("The death toll rose to 12 on Sunday.", "The death toll rose to 15 on Tuesday.")
True
>>> disagree("1,500 soldiers came on April 20.", "On 20 April 1500 soldiers came."), disagree("12 died.", "Many died.")
(False, False)

A figure may be written in words: "twelve" is 12, and "one of the victims" is no count.

>>> disagree("Twelve people died.", "15 people died."), disagree("Twelve people died.", "12 people died.")
(True, False)

A range's scale word written once is its scale at both ends: "between 2 and 3 million" is 2,000,000 to 3,000,000.

>>> disagree("Between 2 and 3 million fled.", "Between 2 million and 3 million fled.")
False

A figure's currency is part of it, but a figure written with none is the same figure in any:

>>> disagree("Aid of $5 million came.", "Aid of €5 million came."), disagree("$5 million came.", "5 million came.")
(True, False)

Only figures of one kind differ: a date from a date, never from a length of time or a count.

>>> disagree("The first visit since May 9, 2022.", "The first visit in 14 months."), disagree("On May 9.", "On May 11.")
(False, True)
"""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass
from decimal import Decimal

from index.lexical import STOPWORDS
from index.sentences import MONTHS_UK_RU

_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*")  # a word, an apostrophe's too: "Слов'янськ"
# A place's name with a particle in lower case ("Baia de Aramă", "Rostov-on-Don", "Frankfurt an der Oder") or after
# the abbreviation of its kind ("м. Київ", "mun. Chişinău")
_PARTICLES = re.compile(r"(?<=[^\W\d_])(?:[ -](?:de|la|le|am|an|der|on|upon|es|del|da|du|au|sur|din|di|al|el|im|na|nad|"
                        r"pod))+[ -](?=[^\W\d_])")
# The small words a headline in Title Case writes with a capital ("Russia Invaded Ukraine On 24 February 2022"), no
# place's name: "May" is a month, "Don" a river ("Rostov-on-Don")
_TITLE_CASE_WORDS = STOPWORDS - {"may", "don", "am"}
_PLACE_KIND = re.compile(r"^\W*(?:м|г|с|смт|mun|jud|or|com|sat)\.\s*(?=[^\W\d_])")
# A day in digits, as a dateline writes it ("12.01.2026", "12/01/26", "2026-01-12"), and the time after it ("14:35")
_NUMERIC_DAY = re.compile(r"(?<![\d.,])(?:(?:0?[1-9]|[12]\d|3[01])([./])(?:0?[1-9]|1[0-2])\1(?:\d{4}|\d{2})"
                          r"|\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])|(?:[01]?\d|2[0-3]):[0-5]\d)(?!\d|[.,]\d)")
_SHINGLE = 5
SKETCH = 128  # hashes a fingerprint keeps at least: its similarity estimate errs by about 0.03 at 0.9
# A pair estimated this far under the threshold is not compared in full. At 0.9 and 128 hashes the estimate's
# standard deviation is 0.027: a pair at the threshold would have to be estimated 7 deviations low.
ESTIMATE_MARGIN = 0.2
# A figure as news writes it (12, 1,500, 1 500 or 1.500.000 with its thousands separators dropped, 3.5 or 3,5 with a
# decimal comma, 2.500,50), or a word, which may be of one; at most nine groups of three digits, Decimal's precision:
# a longer run of them ("100 100 100 ...") took the regex 33 times the text's memory
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3}){1,8}(?!\d)|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3}){1,8}(?![\d,.]\d|\d)|"
                    r"[1-9]\d{0,2}(?:\.\d{3}){1,8}(?:,\d+)?(?![\d.]\d|\d)|"
                    r"\d+,(?:\d{1,2}|\d{4,})(?!\d)|\d+(?:\.\d+)?|[^\W\d_]+(?:['\u2019\u02bc][^\W\d_]+)*")
# A figure whose dots may group thousands ("1.500", "1.500.000", "2.500,50"); one dot alone ("1.500") does only in a
# text of Cyrillic or Romanian letters, whose news writes decimals with a comma, or before Romanian "de": in English
# it is 1.5
_DOT_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3}){1,8}(?:,\d+)?")
_DOTTED_SCRIPT = re.compile(r"[\u0400-\u04ffăâîșşțţĂÂÎȘŞȚŢ]")
_SEPARATORS = dict.fromkeys(map(ord, ", \u00a0\u2009\u202f"))  # of thousands, for str.translate to drop
_MAX_DIGITS = 28  # Decimal's precision
_MAX_WORDS = 20  # of one number: "one thousand one thousand ..." on and on is no count, and would be held whole
_JOINED = re.compile(r"[\s\-\u2010\u2011]+")  # what may stand between the words of one number: "twenty-one"
_UNIT, _TEN, _HUNDREDS, _HUNDRED, _SCALE, _DOZEN, _AND, _PLUS, _LAST_ONE = range(9)
_ENGLISH = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
           "seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# Each word's kind and value, lowercase; Ukrainian, Russian and Romanian in the forms a count of people or things
# takes most (a word that is also "a" or "new" left out: Romanian "un", "o", "nouă"; "один" is "one of" as often, so
# read only as a compound number's last word, below)
_WORDS = {
    **{w: (_UNIT, n) for n, w in enumerate(_ENGLISH)}, **{w: (_TEN, 20 + 10 * n) for n, w in enumerate(_TENS)},
    "hundred": (_HUNDRED, 100), "thousand": (_SCALE, 10**3), "million": (_SCALE, 10**6), "billion": (_SCALE, 10**9),
    "dozen": (_DOZEN, 12), "and": (_AND, 0), "bn": (_SCALE, 10**9), "mln": (_SCALE, 10**6),
    # one and a half: "півтора мільйона", "полторы тысячи"
    **{w: (_UNIT, Decimal("1.5")) for w in ("півтора", "півтори", "полтора", "полторы")},
}
for _language in (
    "два дві 2 три 3 чотири 4 п'ять 5 шість 6 сім 7 вісім 8 дев'ять 9 десять 10 одинадцять 11 дванадцять 12 "
    "тринадцять 13 чотирнадцять 14 п'ятнадцять 15 шістнадцять 16 сімнадцять 17 вісімнадцять 18 дев'ятнадцять 19 "
    "двадцять 20 тридцять 30 сорок 40 п'ятдесят 50 шістдесят 60 сімдесят 70 вісімдесят 80 дев'яносто 90 "
    "сто 100 двісті 200 триста 300 чотириста 400 п'ятсот 500 тисяча тисячі тисяч 1000 мільйон мільйони мільйонів "
    "1000000",
    "два две 2 три 3 четыре 4 пять 5 шесть 6 семь 7 восемь 8 девять 9 десять 10 одиннадцать 11 двенадцать 12 "
    "тринадцать 13 четырнадцать 14 пятнадцать 15 шестнадцать 16 семнадцать 17 восемнадцать 18 девятнадцать 19 "
    "двадцать 20 тридцать 30 сорок 40 пятьдесят 50 шестьдесят 60 семьдесят 70 восемьдесят 80 девяносто 90 "
    "сто 100 двести 200 триста 300 четыреста 400 пятьсот 500 тысяча тысячи тысяч 1000 миллион миллиона миллионов "
    "1000000",
    "doi două 2 trei 3 patru 4 cinci 5 șase şase 6 șapte şapte 7 opt 8 zece 10 unsprezece 11 doisprezece "
    "douăsprezece 12 treisprezece 13 paisprezece 14 cincisprezece 15 șaisprezece şaisprezece 16 șaptesprezece "
    "şaptesprezece 17 optsprezece 18 nouăsprezece 19 douăzeci 20 treizeci 30 patruzeci 40 cincizeci 50 șaizeci "
    "şaizeci 60 șaptezeci şaptezeci 70 optzeci 80 nouăzeci 90 sută sute 100 mie mii 1000 milion milioane 1000000 "
    "și şi 0",  # "douăzeci și cinci": 25
    # The other cases, as after "до", "з", "понад" ("до дванадцяти", "двома"), and the numbers that count people
    # ("п'ятеро", "двоє"), those of 5, 9, 10 to 20 and 30 from their stems below; "сьома" and "семью" left out: also
    # "the seventh" and "family"
    "двох двом двома двоє 2 трьох трьом трьома троє 3 чотирьох чотирьом чотирма четверо 4 шести шістьох шістьом "
    "шістьма шістьома шестеро 6 семи сімох сімом сімома семеро 7 восьми вісьмох вісьмом вісьма вісьмома восьмеро 8 "
    "сорока 40 п'ятдесяти п'ятдесятьох п'ятдесятьма 50 шістдесяти шістдесятьох шістдесятьма 60 сімдесяти "
    "сімдесятьох сімдесятьма 70 вісімдесяти вісімдесятьох вісімдесятьма 80 дев'яноста 90 ста 100 двохсот двомстам "
    "200 трьохсот трьомстам 300 чотирьохсот чотирьомстам 400 п'ятисот п'ятистам 500 шістсот шестисот 600 сімсот "
    "семисот 700 вісімсот восьмисот 800 дев'ятсот дев'ятисот 900 тисячу тисячею тисячам тисячами тисячах 1000 "
    "мільйона мільйону мільйоном мільйонам мільйонами мільйонах 1000000 мільярд мільярда мільярди мільярдів "
    "мільярдам мільярдами 1000000000",
    "двух двум двумя двое двоих двоим двоими 2 трёх трех трём трем тремя трое троих троим 3 четырёх четырех четырём "
    "четырем четырьмя четверо четверых 4 шести шестью шестеро шестерых 6 семи семеро семерых 7 восьми восемью "
    "восьмью восьмеро восьмерых 8 сорока 40 пятидесяти пятьюдесятью 50 шестидесяти шестьюдесятью 60 семидесяти "
    "семьюдесятью 70 восьмидесяти восемьюдесятью 80 девяноста 90 ста 100 двухсот двумстам 200 трёхсот трехсот "
    "тремстам 300 четырёхсот четырехсот четырёмстам четыремстам 400 пятисот пятистам 500 шестьсот шестисот 600 "
    "семьсот семисот 700 восемьсот восьмисот 800 девятьсот девятисот 900 тысячу тысячей тысячью тысячам тысячами "
    "тысячах тысяче 1000 миллиону миллионом миллионам миллионами миллионах миллионе 1000000 миллиард миллиарда "
    "миллиардов миллиардам миллиардами 1000000000",
    "miliard miliarde mld 1000000000",
    "тис тыс 1000 млн 1000000 млрд 1000000000",  # "12 тис. людей", "1,5 млн гривень"
    *(f"{_stem}и {_stem}ью {_stem}ьох {_stem}ьом {_stem}ьма {_stem}ьома {_stem}еро {_stem}ерых {_value}"
      for _stem, _value in (
        ("п'ят", 5), ("пят", 5), ("дев'ят", 9), ("девят", 9), ("десят", 10), ("одинадцят", 11), ("одиннадцат", 11),
        ("дванадцят", 12), ("двенадцат", 12), ("тринадцят", 13), ("тринадцат", 13), ("чотирнадцят", 14),
        ("четырнадцат", 14), ("п'ятнадцят", 15), ("пятнадцат", 15), ("шістнадцят", 16), ("шестнадцат", 16),
        ("сімнадцят", 17), ("семнадцат", 17), ("вісімнадцят", 18), ("восемнадцат", 18), ("дев'ятнадцят", 19),
        ("девятнадцат", 19), ("двадцят", 20), ("двадцат", 20), ("тридцят", 30), ("тридцат", 30))),
):
    _names: list[str] = []
    for _word in _language.split():
        if not _word.isdigit():
            _names.append(_word)
            continue
        _value = int(_word)
        for _name in _names:
            _kind = (_PLUS if not _value else _UNIT if _value < 20 else _TEN if _value < 100 else
                     _SCALE if _value >= 1000 else _HUNDRED if _name in ("sută", "sute") else _HUNDREDS)
            _WORDS.setdefault(_name, (_kind, _value))
        _names = []
# "One" in Ukrainian, Russian and Romanian, read only as a compound number's last word ("двадцять одна тисяча",
# "сто один", "тисяча одна", "o sută unu", "douăzeci și unu"): alone it is "one of" or "a", as "один із", "одна
# людина", "una dintre" are
_WORDS.update(dict.fromkeys("один одна одне одно одного одному одним одній одну одною однієї одной unu una".split(),
                            (_LAST_ONE, 1)))
# A scale word that is one of itself alone, as "a thousand" is ("тисяча людей", "понад тисячу"), in its singular
# cases only: "тисячі", "тысячи" are also "thousands"; Romanian "mie" alone is "to me", and "o mie" is read as "a"
_ALONE = {"тисяча", "тисячу", "тисячею", "тысяча", "тысячу", "тысячей", "тысячью", "тысяче", "мільйон", "миллион",
          "мільярд", "миллиард"}
# What makes a scale word after it one of it ("a million", "o mie", "un milion"); Romanian "o", "un" are also "her",
# "a", so never alone
_ONE = {"a", "an", "o", "un"}
_NEXT = {  # what may follow a word of each kind within one number ("twenty and thirty" is two)
    None: {_UNIT, _TEN, _HUNDREDS}, _UNIT: {_HUNDRED, _SCALE, _DOZEN}, _TEN: {_UNIT, _SCALE, _PLUS, _LAST_ONE},
    _HUNDREDS: {_UNIT, _TEN, _SCALE, _LAST_ONE}, _HUNDRED: {_UNIT, _TEN, _SCALE, _AND, _LAST_ONE},
    _SCALE: {_UNIT, _TEN, _HUNDREDS, _AND, _LAST_ONE}, _AND: {_UNIT, _TEN}, _PLUS: {_UNIT, _LAST_ONE}, _LAST_ONE: {_SCALE},
    _DOZEN: set(),
}
# "one" that is no count: "one of the victims", "one another", "one by one", "no one", "the one who"
_NOT_ONE_AFTER = {"of", "another", "by", "off"}
_NOT_ONE_BEFORE = {"no", "the", "any", "every", "each", "this", "that", "which", "one"}
# What makes a figure a percentage: the sign, or these words after it ("45 per cent", "45 de procente")
_PERCENT_SIGN = re.compile(r"[ \u00a0\u202f]?%")
_PERCENT = set("percent відсоток відсотка відсотки відсотків відсотками відсоткам відс процент процента проценты "
               "процентов процентам процентами процентах procent procente procentul".split())
_PERCENT_TWO = {("per", "cent"), ("la", "sută"), ("de", "procente")}
# A figure's currency, by its sign before or after it ("$5", "5 €") or its word after it ("5 млн грн", "500 de lei"):
# "$5 million" and "€5 million" are two figures, but "5 million" is either ("pound" and "фунт" left out: also weight)
_CURRENCIES = {word: code for words, code in (
    ("$ usd dollar dollars долар долари доларів долара доларами доларах дол доллар доллара долларов доллары "
     "долларами долларах долл dolar dolari dolarul dolarii", "USD"),
    ("€ eur euro euros євро евро", "EUR"), ("£ gbp sterling", "GBP"),
    ("₴ uah грн гривня гривні гривень гривню гривнею гривнями гривнях гривна гривны гривен гривну гривной гривнами "
     "hryvnia hryvnias hryvnya hryvnyas", "UAH"),
    ("₽ rub руб рубль рубля рублів рублі рублей рублям рублями rouble roubles ruble rubles", "RUB"),
    ("ron lei leu", "RON"),
) for word in words.split()}
# A comma before three digits ("1,250 млрд") is a decimal one before a scale word of Ukrainian, Russian or Romanian,
# whose news writes decimals with a comma and thousands with a space or a dot: "1,250 million" is 1250 million
_COMMA_ONE = re.compile(r"\d{1,3},\d{3}")
_DECIMAL_COMMA_SCALES = {word for word, (kind, _) in _WORDS.items() if kind == _SCALE and not word.isascii()} | set(
    "mie mii milion milioane miliard miliarde mld".split())
# "mln", also English wires' ("1,250 mln" is 1,250 million there), is of those only in a text of Cyrillic or Romanian
# letters or before Romanian "de", as a dot grouping thousands is; and not in an English one that has such letters
# in a name ("Chișinău"): one whose English short words outnumber its Romanian ones
_DECIMAL_COMMA_IF_DOTTED = {"mln"}
_ENGLISH_SHORT = re.compile(r"\b(?:the|and|of|to|is|was|were|for|that|with|said|has|have|from)\b", re.IGNORECASE)
_ROMANIAN_SHORT = re.compile(r"\b(?:și|şi|în|de|că|cu|pe|din|pentru|care|este|sunt|să|la|sau)\b", re.IGNORECASE)
_DE_SCALES = {"mii", "milioane", "miliarde", "mln", "mld"}  # Romanian's, after "de": "20 de milioane"
_CODES = {"usd", "eur", "gbp", "uah", "rub", "ron"}  # which may stand before the figure: "USD 5 million"
_ABBREVIATED = {"тис", "тыс", "млн", "млрд", "mln", "mld", "bn"}  # scale words whose dot is no sentence's end
_SPACE, _DOT_SPACE = re.compile(r"\s+"), re.compile(r"\.?\s+")
# What stands between the two ends of a range ("2-3 million", "2 to 3 million", "від двох до трьох мільйонів")
_DASH = re.compile(r"\s*[-\u2010-\u2015]\s*")
_RANGE = {"and", "to", "or", "і", "й", "та", "до", "або", "чи", "и", "или", "și", "şi", "la", "sau"}
# The words that end an ordinal begun as a number: "twenty-first", "one hundredth"
_ORDINAL_ENDS = set("first second third fourth fifth sixth seventh eighth ninth hundredth thousandth millionth".split())
# and in Ukrainian and Russian, in every case ("двадцять першого", "сорок второй"), but only after tens, hundreds or
# thousands ("два перших" is "the first two"), and never one that is also a case of a number
_ORDINALS = {stem + end for stems, ends in (
    ("перш друг четверт п'ят шост сьом восьм дев'ят десят одинадцят дванадцят тринадцят чотирнадцят п'ятнадцят "
     "шістнадцят сімнадцят вісімнадцят дев'ятнадцят двадцят тридцят сороков п'ятдесят шістдесят сімдесят "
     "вісімдесят дев'яност сот двохсот трьохсот чотирьохсот п'ятисот шестисот семисот восьмисот дев'ятисот тисячн "
     "мільйонн", "ий ого ому им ім а ої ій у ою е і их ими"),
    ("трет", "ій ього ьому ім я ьої ю ьою є і іх іми ий ьего ьему ьим ьем ья ьей ью ье ьи ьих ьими"),
    ("перв втор четвёрт четверт пят шест седьм восьм девят десят одиннадцат двенадцат тринадцат четырнадцат "
     "пятнадцат шестнадцат семнадцат восемнадцат девятнадцат двадцат тридцат сороков пятидесят шестидесят "
     "семидесят восьмидесят девяност сот двухсот трёхсот трехсот четырёхсот четырехсот пятисот шестисот семисот "
     "восьмисот девятисот тысячн миллионн", "ый ой ого ому ым ом ая ую ое ые ых ыми"),
) for stem in stems.split() for end in ends.split() if stem + end not in _WORDS}  # "дев'яноста" is also of 90
# and in Romanian after "și" ("al douăzeci și cincilea", "a douăzeci și doua"): an ordinal's last word ends in "-lea",
# or is one of these feminine ones
_ROMANIAN_ORDINALS = set("doua treia patra cincea șasea şasea șaptea şaptea opta noua zecea".split())
# What a figure is of: two reports differ only in figures of one kind, as "14 months ago" and "February 24, 2022" do
# not (both of one day); an amount of money and a share are quantities too, as "12%" of the residents against "12"
_QUANTITY, _DATE, _TIME, _ORDINAL = "quantity", "date", "time", "ordinal"
# A year after "in" or "since" and before a noun may be a count ("in 2014 elections", "in 2000 cases"): read as a date,
# it agrees with the same figure as a count too ("2,000 cases"), and differs only as a date ("since 2014 attacks",
# "since 2015 attacks"): no two reports differ for it that did not before
_DATE_OR_QUANTITY = "date or quantity"
_KINDS = {_DATE_OR_QUANTITY: (_DATE, _QUANTITY)}
# The months, in English as written (title case: "may" is no month), in Ukrainian and Russian in the cases a date
# takes ("20 квітня", "у квітні 2023"), and in Romanian, whose "mai" is also "more" ("12 mai mulți")
_MONTHS = set("January February March April May June July August September October November December Jan Feb Mar "
              "Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
_MONTHS_LOWER = MONTHS_UK_RU | set(
    "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie".split())
_ABBREVIATED_MONTHS = {"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
_YEARS = range(1800, 2100)  # a year four digits name: "1500 soldiers", "On 20 April 1500 soldiers came" are none
_YEAR_AFTER = {"року", "році", "рік", "р", "года", "году", "год", "г", "anul", "anului", "year"}  # "2022 року"
_YEAR_BEFORE = {"in", "since", "until", "till", "în"}  # "since 2014"
# A length of time ("14 months ago", "two years", "a 14-month siege", "20 de ani"): in "2 роки" "роки" is years,
# after a year, "2022 року", its date
_UNITS = set(
    "second seconds minute minutes hour hours day days week weeks fortnight fortnights month months year years decade "
    "decades century centuries hrs mins yrs "
    "секунда секунди секунд секунду хвилина хвилини хвилин хвилину хв година години годин годину год доба доби діб "
    "добу день дні днів дня тиждень тижні тижнів тижня місяць місяці місяців місяця рік роки років року десятиліття "
    "століття століть "
    "секунды минута минуты минут минуту мин час часа часов сутки суток дней неделя недели недель неделю месяц месяца "
    "месяцев года лет десятилетие десятилетия века веков "
    "secundă secunde minut minute oră ore zi zile săptămână săptămâni lună luni an ani deceniu decenii secol "
    "secole".split())
# What ends a day or a number written in digits as an ordinal ("4th", "20-го", "al 4-lea"): no figure, as "fourth"
_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
_DASHED_SUFFIXES = {"й", "го", "ї", "ий", "ого", "ої", "ій", "ому", "му", "lea"}


def shingles(text: str) -> frozenset[int]:
    """Hashes of the word 5-grams of ``text`` (case and punctuation ignored)."""
    words = list(map(str.lower, _WORD.findall(text)))
    if len(words) < _SHINGLE:
        return frozenset({hash(" ".join(words))})
    # Each run of _SHINGLE words, joined by map and zip rather than a slice per word: the same hashes, 15% sooner
    # (each file of the corpus is fingerprinted when `citebot add` or a feed update first looks at it)
    return frozenset(map(hash, map(" ".join, zip(*(words[i:] for i in range(_SHINGLE))))))


def figures(text: str) -> frozenset[str]:
    """The figures ``text`` states, in digits or in words: "12" for "twelve", "1500000" for "1.5 million"."""
    return frozenset(figure for figure, _, _ in _amounts(text))


def dateline(text: str) -> bool:
    """True when ``text`` states a day and nothing but names besides: an agency story's dateline alone ("București, 22
    aprilie 2026.", "Київ, 12 січня 2026 р.", "Odesa, April 25, 2026.", "Київ, 12.01.2026, 14:35."), which reports no
    fact, though e5 reads it as near any sentence that states a date (0.91 with "Următoarea ediţie va avea loc în oct.
    2026.")."""
    text, days = _NUMERIC_DAY.subn(" ", text)  # "12.01.2026" reads as a quantity, 12.01, and a year
    # The words first: most sentences have a word in lower case and are told at once, without reading their figures
    # (corroboration asks this of every candidate sentence, and _amounts was a tenth of a question's time)
    named = _PARTICLES.sub(lambda m: "-" if text[m.end()].isupper() else m[0], _PLACE_KIND.sub("", text))
    words = _LETTERS.findall(named)
    if not all(word[0].isupper() or word.lower() in _MONTHS_LOWER or word.lower() in _YEAR_AFTER for word in words):
        return False
    if any(len(word) > 1 and word.istitle() and word.lower() in _TITLE_CASE_WORDS
           for word in words[1:]):
        return False  # a headline in Title Case, a fact and its day: "Russia Invaded Ukraine On 24 February 2022"
    amounts = _amounts(text)
    return bool(amounts or days) and all(kind == _DATE for _, _, kind in amounts)


def _amounts(text: str) -> set[tuple[str, str | None, str]]:
    """The figures ``text`` states, each with its currency ("USD" for "$5", "5 dollars") or None, and its kind."""
    tokens = _Tokens(text)
    found, i, carried = set(), 0, (-1, None)
    while (token := tokens[i]) is not None:
        tokens.needed = i - 2  # "one" is told from "no one", "one by one" by the words before it
        first = _key(token)
        if first[0].isdecimal() or first in _WORDS or first in _ONE:  # the rest of the words at a glance
            figure, after, other = _number(text, tokens, i)
            if figure is not None:
                currency = None if figure.endswith("%") else _currency(text, tokens, i, after)
                if currency is None and other is not None:
                    currency = _currency(text, tokens, *other)  # "2-3 million dollars"
                elif currency is None and carried[0] == i:
                    currency = carried[1]  # "$2-3 million"
                if other is not None:
                    carried = (other[0], currency)
                if (kind := _kind(text, tokens, i, after, other, figure, currency)) != _ORDINAL:
                    found.add((figure, currency, kind))
            i = after
        else:
            i += 1
    return found


def _kind(text: str, tokens: _Tokens, i: int, after: int, other: tuple[int, int] | None, figure: str,
          currency: str | None) -> str:
    """What the figure of ``tokens[i:after]`` (a range's first end, with ``other`` its last) is of: a date ("April
    20", "20 квітня 2023", "since 2014"), a length of time ("14 months ago", "two years"), an ordinal ("4th"), or a
    quantity (a count, an amount of money, a share)."""
    if figure.endswith("%") or currency is not None:
        return _QUANTITY
    if after == i + 1 and tokens[i].group().isdecimal():
        if _is_date(text, tokens, i):
            return _DATE_OR_QUANTITY if _may_count(text, tokens, i) else _DATE
        if _suffix(text, tokens, i + 1) is not None:
            return _ORDINAL
    j = other[1] if other is not None else after  # "2-3 years"
    if tokens[j] is not None and _key(tokens[j]) == "de" and text[tokens[j - 1].end():tokens[j].start()] == " ":
        j += 1  # "20 de ani"
    if tokens[j] is not None and _key(tokens[j]) in _UNITS and \
            _JOINED.fullmatch(text[tokens[j - 1].end():tokens[j].start()]):
        return _TIME
    return _QUANTITY


def _is_date(text: str, tokens: _Tokens, i: int) -> bool:
    """True when the digits of ``tokens[i]`` are a day or a year of a date: beside a month ("April 20", "20 April
    2023", "April 20, 2023", "the 20th of April", "квітня 2023"), or a year with its word ("2022 року") or after "in",
    "since"."""
    digits = tokens[i].group()
    day, year = len(digits) <= 2 and 1 <= int(digits) <= 31, len(digits) == 4 and int(digits) in _YEARS
    if not (day or year):
        return False
    if i and _is_month(text, tokens, i - 1) and _gap(text, tokens, i - 1).isspace():
        return True
    if day:
        j = i + 2 if _suffix(text, tokens, i + 1) is not None else i + 1  # "20th April", "20-го квітня"
        if j == i + 2 and tokens[j] is not None and _key(tokens[j]) == "of" and _gap(text, tokens, j - 1).isspace():
            j += 1  # "the 20th of April"
        return tokens[j] is not None and _gap(text, tokens, j - 1).isspace() and _is_month(text, tokens, j)
    if i > 1 and _gap(text, tokens, i - 1) == ", " and tokens[i - 1].group().isdecimal() and \
            int(tokens[i - 1].group()) <= 31 and _is_month(text, tokens, i - 2):
        return True  # "April 20, 2023"
    if tokens[i + 1] is not None and _key(tokens[i + 1]) in _YEAR_AFTER and _gap(text, tokens, i).isspace():
        return True
    return i > 0 and _key(tokens[i - 1]) in _YEAR_BEFORE and _gap(text, tokens, i - 1).isspace()


def _may_count(text: str, tokens: _Tokens, i: int) -> bool:
    """True when the year of ``tokens[i]`` is one only for the word before it and a noun may follow it as what it
    counts: "in 2000 cases", not "in 2014 the war began", "in 2014, troops", "since 2014 Russia" (a name)."""
    if tokens[i + 1] is None or not _gap(text, tokens, i).isspace():
        return False
    word = tokens[i + 1].group()
    return word.isalpha() and word.islower() and word not in STOPWORDS and word not in _YEAR_AFTER and \
        not _is_month(text, tokens, i + 1)


def _is_month(text: str, tokens: _Tokens, j: int) -> bool:
    """True when ``tokens[j]`` names a month; Romanian "mai" only where no word follows it ("9 mai 2023", "9 mai,",
    not "12 mai mulți")."""
    word = tokens[j].group()
    if word in _MONTHS:
        return True
    if word.lower() != "mai":
        return word.lower() in _MONTHS_LOWER
    return tokens[j + 1] is None or not _gap(text, tokens, j).isspace() or tokens[j + 1].group().isdecimal()


def _gap(text: str, tokens: _Tokens, j: int) -> str:
    """What stands between ``tokens[j]`` and the token after it (the dot of "Apr. 20" dropped)."""
    end = tokens[j].end()
    if tokens[j].group() in _ABBREVIATED_MONTHS and text.startswith(".", end):
        end += 1
    return text[end:tokens[j + 1].start()] if tokens[j + 1] is not None else ""


def _suffix(text: str, tokens: _Tokens, j: int) -> str | None:
    """What stands before ``tokens[j]`` when it ends the digits before it as an ordinal ("4th": "", "20-го": "-"),
    else None."""
    if tokens[j] is None:
        return None
    gap, word = text[tokens[j - 1].end():tokens[j].start()], _key(tokens[j])
    if gap == "" and word in _ORDINAL_SUFFIXES or _DASH.fullmatch(gap) and gap.strip() and word in _DASHED_SUFFIXES:
        return gap
    return None


def _currency(text: str, tokens: _Tokens, i: int, after: int) -> str | None:
    """The currency of the figure of ``tokens[i:after]``, by the sign or word before or after it, or None."""
    start, end = tokens[i].start(), tokens[after - 1].end()
    for at in (start - 1, start - 2):  # "$5", "$ 5"
        if at >= 0 and text[at] in _CURRENCIES:
            return _CURRENCIES[text[at]]
        if at < 0 or text[at] not in " \u00a0":
            break
    if i and _key(tokens[i - 1]) in _CODES and text[tokens[i - 1].end():start] in (" ", "\u00a0"):
        return _CURRENCIES[_key(tokens[i - 1])]  # "USD 5"
    for at in (end, end + 1):  # "5€", "5 €", but not the sign of the next figure: "5, $6"
        if at < len(text) and text[at] in _CURRENCIES and not text[at + 1:at + 2].isdecimal():
            return _CURRENCIES[text[at]]
        if at >= len(text) or text[at] not in " \u00a0":
            break
    j, gap = after, (_DOT_SPACE if _key(tokens[after - 1]) in _ABBREVIATED else _SPACE)  # "12 тис. грн"
    for _ in range(2):  # "500 de lei", "5 million US dollars"
        if tokens[j] is None or not gap.fullmatch(text[tokens[j - 1].end():tokens[j].start()]):
            return None
        word = _key(tokens[j])
        if word in _CURRENCIES:
            return _CURRENCIES[word]
        if word not in ("de", "us"):
            return None
        j, gap = j + 1, _SPACE
    return None


class _Tokens:
    """The tokens of a text (``_TOKEN``), matched as they are asked for by index and forgotten once passed: a list of
    them all took 70 times the text's size (1.4 GB for a 20 MB file of "a a a ..."). None past the last."""

    def __init__(self, text: str):
        self._text = text
        self._matches = _TOKEN.finditer(text)
        self._kept: list[re.Match] = []
        self._first = 0  # the index of _kept[0]
        self.needed = 0  # the first index still asked for: those before it are forgotten
        self._dotted: bool | None = None
        self._english: bool | None = None

    @property
    def dotted(self) -> bool:
        """True when a dot before three digits groups thousands in the text ("1.500"): its letters are Cyrillic or
        Romanian ones."""
        if self._dotted is None:
            self._dotted = _DOTTED_SCRIPT.search(self._text) is not None
        return self._dotted

    @property
    def english(self) -> bool:
        """True when the text's English short words outnumber its Romanian ones ("the", "of" against "și", "de")."""
        if self._english is None:
            english, romanian = (sum(1 for _ in short.finditer(self._text))
                                 for short in (_ENGLISH_SHORT, _ROMANIAN_SHORT))
            self._english = english > romanian
        return self._english

    def __getitem__(self, j: int) -> re.Match | None:
        at = j - self._first
        if at < len(self._kept):
            return self._kept[at]
        if self.needed - self._first > 64:  # a few at a time: a deletion moves the rest
            del self._kept[:self.needed - self._first]
            self._first = self.needed
        while j >= self._first + len(self._kept):
            match = next(self._matches, None)
            if match is None:
                return None
            self._kept.append(match)
        return self._kept[j - self._first]


def _number(text: str, tokens: _Tokens, i: int) -> tuple[str | None, int, tuple[int, int] | None]:
    """The figure of the number that starts at ``tokens[i]``, if one does, the index of the token after it, and
    when it opens a range, the indexes of its other end's first token and of the token after that end; the first
    end of a range takes the scale written once at its other end: "between 2 and 3 million" is 2,000,000."""
    figure, after, _ = _read(text, tokens, i)
    if figure is not None and (percent := _percent_end(text, tokens, after)) is not None:
        return figure + "%", percent, None  # a share, never the count of the same digits
    if figure is None or len(figure) > _MAX_DIGITS or (other := _range_end(text, tokens, after)) is None:
        return figure, after, None
    last, end, scale = _read(text, tokens, other)
    if scale and after == i + 1 and _COMMA_ONE.fullmatch(tokens[i].group()) and \
            _decimal_comma_scale(text, tokens, end - 1):
        figure = _format(Decimal(tokens[i].group().replace(",", ".")))  # "1,250–1,500 млн"
    if last is not None and _percent_end(text, tokens, end) is not None:
        return figure + "%", after, None  # "12-15%"
    span = (other, end) if last is not None else None
    if scale is None or Decimal(figure) >= scale[0]:  # "from 800 to 1.2 million" is no range of millions
        return figure, after, span
    return _format(Decimal(figure) * scale[1]), after, span


def _percent_end(text: str, tokens: _Tokens, j: int) -> int | None:
    """The index of the token after the sign or words that make the number ending before ``tokens[j]`` a
    percentage ("12%", "12 per cent", "12 відсотків"); None when none do."""
    if _PERCENT_SIGN.match(text, tokens[j - 1].end()):
        return j  # the sign is no token
    if tokens[j] is None or not text[tokens[j - 1].end():tokens[j].start()].isspace():
        return None
    if _key(tokens[j]) in _PERCENT:
        return j + 1
    if tokens[j + 1] is not None and (_key(tokens[j]), _key(tokens[j + 1])) in _PERCENT_TWO and \
            text[tokens[j].end():tokens[j + 1].start()].isspace():
        return j + 2
    return None


def _range_end(text: str, tokens: _Tokens, j: int) -> int | None:
    """The index of the token that opens a range's other end, when ``tokens[j - 1]`` ends its first one and one
    of ``_RANGE`` stands between them ("2-3", "2 to 3", "between 2 and 3"); None when none does."""
    if tokens[j] is None:
        return None
    if _DASH.fullmatch(text[tokens[j - 1].end():tokens[j].start()]):
        return j
    if tokens[j + 1] is not None and _key(tokens[j]) in _RANGE and \
            text[tokens[j - 1].end():tokens[j].start()].isspace() and \
            text[tokens[j].end():tokens[j + 1].start()].isspace():
        return j + 1
    return None


def _read(text: str, tokens: _Tokens, i: int) -> tuple[str | None, int, tuple[Decimal, int] | None]:
    """The figure of the number that starts at ``tokens[i]``, if one does, the index of the token after it, and,
    when it ends in its only scale word ("3 million", "thirty thousand"), the number before that word and its
    value."""
    first = _key(tokens[i])
    scale = None
    if first[0].isdecimal():
        if _COMMA_ONE.fullmatch(first) and _decimal_comma_scale(text, tokens, i + 1):
            first = first.replace(",", ".")
        else:
            first = _digits(first, "." in first and (_is_de(text, tokens, i + 1) or tokens.dotted))
        if "." in first and len(first) <= _MAX_DIGITS:
            first = _format(Decimal(first))  # "35,50 грн" and "35,5 грн" are one price
        # as written: a hostile file's 5,000 digits are not an int's, nor a million digits scaled by "billion" a
        # Decimal's (it overflowed): no count has more digits than Decimal keeps
        if len(first) > _MAX_DIGITS or (_word(tokens, i + 1)[0] not in (_HUNDRED, _SCALE, _DOZEN)
                                        and not _is_de_scale(text, tokens, i + 1)):
            return first, i + 1, None
        total, group, kind = Decimal(0), Decimal(first), _UNIT
    elif first in _ONE:
        total, group, kind = Decimal(0), Decimal(1), _UNIT  # "a dozen", "a hundred", "a million": never alone
        if _word(tokens, i + 1)[0] not in (_HUNDRED, _SCALE, _DOZEN) or tokens[i].group() == "UN":
            return None, i + 1, None
    elif first in _ALONE:
        total, group, kind = Decimal(0), Decimal(1), _UNIT
    else:
        total, group, kind = Decimal(0), Decimal(0), None
    j = i if kind is None or first in _ALONE else i + 1
    digits = kind is not None and first[0].isdecimal()
    while tokens[j] is not None and j - i < _MAX_WORDS:
        gap = text[tokens[j - 1].end():tokens[j].start()] if j > i else " "
        if not _JOINED.fullmatch(gap) and not (gap == "" and digits):  # "£2bn" as "£2 bn"
            break
        if j > i and kind is not None and _SCALE in _NEXT[kind] and _is_de_scale(text, tokens, j):
            j += 1  # "20 de milioane": the scale word itself is next
            continue
        word, value = _word(tokens, j)
        if word not in _NEXT[kind] or (digits and word not in (_HUNDRED, _SCALE, _DOZEN)):
            break
        if word in (_AND, _PLUS):  # only into the rest of the number: "two hundred and fifty", not "hundred and the"
            if _word(tokens, j + 1)[0] not in _NEXT[word]:
                break
        elif word == _UNIT and kind in (_TEN, _PLUS) and not 1 <= value <= 9:
            break  # "twenty-one", "douăzeci și cinci", not "twenty twelve"
        elif word == _HUNDRED:
            if group >= 100:
                break
            scale = (group, 100) if scale is None and not total else False
            group *= 100
        elif word == _SCALE:
            scale = (group or 1, value) if scale is None else False
            total, group = total + (group or 1) * value, Decimal(0)
        elif word == _DOZEN:
            scale = (group, 12) if scale is None and not total else False
            group *= 12
        else:
            group += value
        kind = word
        j += 1
    if kind is None:
        return None, i + 1, None
    if j == i + 1 and first == "one" and _is_pronoun(tokens, i):
        return None, j, None
    if (ordinal := _ordinal_end(text, tokens, j, kind)) is not None:
        return None, ordinal, None
    return _format(total + group), j, scale if scale and kind in (_HUNDRED, _SCALE, _DOZEN) else None


def _digits(token: str, dotted: bool) -> str:
    """A figure token's digits as Decimal reads them: "1,500" and "1 500" are 1500, "1,5" (a decimal comma) 1.5,
    "1.500.000" 1500000, "2.500,50" 2500.50, and "1.500" 1500 where ``dotted`` (a dot groups thousands), else 1.5."""
    if "." in token and ("," in token or token.count(".") > 1 or dotted) and _DOT_GROUPED.fullmatch(token):
        return token.replace(".", "").replace(",", ".")
    if "," in token and len(token) - token.rindex(",") != 4:  # not three digits after it: a decimal comma
        return token.replace(",", ".")
    return token.translate(_SEPARATORS)


def _decimal_comma_scale(text: str, tokens: _Tokens, j: int) -> bool:
    """True when ``tokens[j]``, right after the figure before it, is a scale word of a language that writes decimals
    with a comma ("1,250 млрд", "1,500 milioane", "1,250 mln de lei"): the figure's comma is a decimal one."""
    if tokens[j] is None or not (text[tokens[j - 1].end():tokens[j].start()] or " ").isspace():
        return False
    word = _key(tokens[j])
    return word in _DECIMAL_COMMA_SCALES or word in _DECIMAL_COMMA_IF_DOTTED and (
        tokens.dotted and not tokens.english or _is_de(text, tokens, j + 1))


def _is_de(text: str, tokens: _Tokens, j: int) -> bool:
    """True when ``tokens[j]`` is Romanian "de" after a space ("1.500 de oameni", written without diacritics as often
    as with): a dot before it groups thousands."""
    return tokens[j] is not None and _key(tokens[j]) == "de" and text[tokens[j - 1].end():tokens[j].start()] == " "


def _is_de_scale(text: str, tokens: _Tokens, j: int) -> bool:
    """True when ``tokens[j]`` is Romanian "de" between spaces and before a scale word ("20 de milioane", "douăzeci de
    mii", as Romanian writes a count from twenty up): the number before it goes on into that word."""
    # Any space: "20\u00a0de milioane" (a no-break space, as typesetting puts one after a figure) or a line wrapped
    # after "de" read as 20 and no currency, though "20\u00a0milioane" was 20,000,000.
    return tokens[j] is not None and _key(tokens[j]) == "de" and tokens[j + 1] is not None and \
        _key(tokens[j + 1]) in _DE_SCALES and text[tokens[j - 1].end():tokens[j].start()].isspace() and \
        text[tokens[j].end():tokens[j + 1].start()].isspace()


def _ordinal_end(text: str, tokens: _Tokens, j: int, kind: int) -> int | None:
    """The index of the token after the words that make the number ending before ``tokens[j]`` (its last word of
    ``kind``) an ordinal ("twenty-first", "двадцять першого", "douăzeci și cincilea"); None when none do."""
    if tokens[j] is None or not _JOINED.fullmatch(text[tokens[j - 1].end():tokens[j].start()]):
        return None
    word = _key(tokens[j])
    if word in _ORDINAL_ENDS or (word in _ORDINALS and kind in (_TEN, _HUNDREDS, _HUNDRED, _SCALE)):
        return j + 1
    if word in ("și", "şi") and tokens[j + 1] is not None and \
            text[tokens[j].end():tokens[j + 1].start()].isspace() and \
            (_key(tokens[j + 1]).endswith("lea") or _key(tokens[j + 1]) in _ROMANIAN_ORDINALS):
        return j + 2
    return None


def _format(figure: Decimal) -> str:
    """A figure as ``figures`` gives it: its digits, no trailing zeros after a decimal point."""
    text = format(figure, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _word(tokens: _Tokens, j: int) -> tuple[int | None, int]:
    """The kind and value of ``tokens[j]`` as a word of a number; (None, 0) when it is none."""
    return _WORDS.get(_key(tokens[j]), (None, 0)) if tokens[j] is not None else (None, 0)


def _key(token: re.Match) -> str:
    """A token as ``_WORDS`` spells it: lowercase, its apostrophe typed (Ukrainian "п’ять" as "п'ять")."""
    return token.group().lower().replace("\u2019", "'").replace("\u02bc", "'")


def _is_pronoun(tokens: _Tokens, i: int) -> bool:
    """True when the word "one" at ``tokens[i]`` stands for someone, not a count: "one of the victims"."""
    after = tokens[i + 1].group().lower() if tokens[i + 1] is not None else ""
    before = tokens[i - 1].group().lower() if i else ""
    one_by = before == "by" and i > 1 and tokens[i - 2].group().lower() == "one"
    return after in _NOT_ONE_AFTER or before in _NOT_ONE_BEFORE or one_by


def disagree(text: str, other: str) -> bool:
    """True when each text states a figure of one kind the other does not: "rose to 12" against "rose to 15", the
    same story's earlier and later count, or two outlets' different ones; "$5 million" is not "€5 million", but a
    figure written with no currency is the same figure in any. Figures of other kinds never differ: a date ("on
    February 24, 2022") against a length of time ("14 months ago"), or either against a quantity (a count, an amount
    of money, a share)."""
    mine, theirs = _amounts(text), _amounts(other)
    by_mine, by_theirs = _by_figure(mine), _by_figure(theirs)
    for kind in {_KINDS.get(kind, (kind,))[0] for _, _, kind in mine}:
        if _unmatched(mine, by_theirs, kind) and _unmatched(theirs, by_mine, kind):
            return True
    return False


def _by_figure(amounts: set[tuple[str, str | None, str]]) -> dict[str, set[tuple[str | None, str]]]:
    """The currencies and kinds each figure of ``amounts`` is stated in."""
    found: dict[str, set[tuple[str | None, str]]] = {}
    for figure, currency, kind in amounts:
        found.setdefault(figure, set()).update((currency, one) for one in _KINDS.get(kind, (kind,)))
    return found


def _unmatched(mine: set[tuple[str, str | None, str]], theirs: dict[str, set[tuple[str | None, str]]],
               kind: str) -> bool:
    """True when a figure of ``mine`` read as of ``kind`` is not among ``theirs`` in a kind it may be of, in its
    currency, in none, or, having none, in any."""
    for figure, currency, of in mine:
        kinds = _KINDS.get(of, (of,))
        if kind == kinds[0] and not any(k in kinds and (currency is None or c is None or c == currency)
                                     for c, k in theirs.get(figure, ())):
            return True
    return False


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard similarity of two sets of 5-gram hashes."""
    return len(a & b) / len(a | b) if a and b else 0.0


def _prefix(size: int, threshold: float) -> int:
    """How many of the smallest hashes two sets at or over ``threshold`` surely share one of (prefix filtering,
    Chaudhuri et al. 2006): all but the ``ceil(threshold * size) - 1`` largest."""
    return size - math.ceil(threshold * size - 1e-9) + 1  # the epsilon: 0.55 * 100 is 55.00000000000001


@dataclass(frozen=True)
class Fingerprint:
    """An article's number of distinct 5-grams and its smallest 5-gram hashes, ascending."""

    size: int
    smallest: array  # of 64-bit hashes: an eighth of the memory of a tuple of ints

    @classmethod
    def of(cls, hashes: frozenset[int], threshold: float) -> Fingerprint:
        keep = max(SKETCH, _prefix(len(hashes), threshold))
        return cls(len(hashes), array("q", sorted(hashes)[:keep]))

    def may_reach(self, other: Fingerprint, threshold: float) -> bool:
        """False when the two texts' similarity is surely (size, prefix) or all but surely (sketch) under
        ``threshold``; True when they must be compared in full."""
        if not self.size or not other.size:
            return False
        if min(self.size, other.size) < threshold * max(self.size, other.size) - 1e-9:
            return False  # Jaccard is at most the smaller set over the larger
        mine = set(self.smallest[: _prefix(self.size, threshold)])
        if mine.isdisjoint(other.smallest[: _prefix(other.size, threshold)]):
            return False
        return self._estimate(other) >= threshold - ESTIMATE_MARGIN

    def _estimate(self, other: Fingerprint) -> float:
        """Jaccard similarity estimated from both sketches: the share of the union's smallest hashes in both."""
        a, b = set(self.smallest[:SKETCH]), set(other.smallest[:SKETCH])  # each its whole set when smaller
        union = sorted(a | b)[:SKETCH]  # the union's smallest: in both exactly when in both sketches
        return sum(1 for h in union if h in a and h in b) / len(union)
