"""Cyrillic letters in Latin ones: Ukrainian and Russian words as English-language text spells them.

The tables serve two ends, one each side of ``index/``'s boundary: a Ukrainian or Russian title names its stored file
(``index.add.slug``), and a Cyrillic name in a question finds the Latin spelling the articles give it
(``bot.language.latin_spellings``).

>>> "Київ".lower().translate(TO_LATIN["uk"]), "бюджет".translate(TO_LATIN_Y["ru"])
('kyiv', 'byudzhet')
"""

from __future__ import annotations

import re

# Ukraine's national transliteration (2010) inside a word, Russia's with и as i: the letters as names are commonly
# spelled inside a word (Вільнюс Vilnius, Гамлет Hamlet).
_COMMON = {
    "а": "a", "б": "b", "в": "v", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "e", "ж": "zh", "з": "z",
    "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}
TO_LATIN = {
    "uk": str.maketrans(dict(_COMMON, г="h", и="y")),
    "ru": str.maketrans(dict(_COMMON, г="g", и="i")),
}
# The other Latin spellings English-language text gives a Ukrainian or Russian word: й ю я є ї ё as y yu ya ye yi yo
# (BGN/PCGN; Ukraine's national system at a word's start: Yeltsin, Yuriy).
_Y_LETTERS = {"й": "y", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "ё": "yo"}
TO_LATIN_Y = {lang: str.maketrans(dict(_COMMON, **_Y_LETTERS, г=g, и=i))
              for lang, g, i in (("uk", "h", "y"), ("ru", "g", "i"))}
# Last, й є ю я ї ё as j je ju ja ji jo, as articles spell a German, Scandinavian or Central European name (Єнс, Йенс:
# Jens; Юрген: Jürgen's Jurgen).
TO_LATIN_J = {lang: str.maketrans(dict(_COMMON, й="j", є="je", ю="ju", я="ja", ї="ji", ё="jo", г=g, и=i))
              for lang, g, i in (("uk", "h", "y"), ("ru", "g", "i"))}
_UKRAINIAN_LETTERS = re.compile("[іїєґІЇЄҐ]")


def in_latin(text: str) -> str:
    """Lower-cased ``text`` with its Cyrillic letters in Latin ones: by Ukraine's national table (2010) when it holds a
    letter of Ukrainian's own (і ї є ґ), else as English-language text spells Russian (BGN/PCGN's y, yu, ya).

    >>> in_latin("Нова лінія з'єднає"), in_latin("Городской совет утвердил бюджет"), in_latin("Отчёт")
    ('nova liniia ziednaie', 'gorodskoy sovet utverdil byudzhet', 'otchet')
    """
    text = text.lower().replace("ё", "е")  # as Russian print mostly writes it, and its names in English: Gorbachev
    return text.translate(TO_LATIN["uk"] if _UKRAINIAN_LETTERS.search(text) else TO_LATIN_Y["ru"])
