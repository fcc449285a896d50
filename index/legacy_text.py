"""The legacy encoding of a text file not in UTF-8 (an editor's "ANSI", windows-1251 or -1250), when it can be told.

>>> legacy_codec("Депутати виділили шість мільярдів гривень на ремонт мостів.".encode("cp1251"))
'cp1251'
>>> legacy_codec(bytes(range(128, 256))) is None
True
"""

from __future__ import annotations

import re

# The encodings Ukrainian and Romanian editors saved text in before UTF-8 (Python's codec: the name a user is told).
# No other is guessed: windows-1252 and its kin read Romanian or Cyrillic bytes as plausible Western letters.
LEGACY_CODECS = {
    "cp1251": "windows-1251", "koi8_u": "KOI8-U", "koi8_r": "KOI8-R",
    "cp1250": "windows-1250", "iso8859_2": "ISO-8859-2", "iso8859_16": "ISO-8859-16",
}
_CYRILLIC = {"cp1251", "koi8_u", "koi8_r"}
# What is guessed on: the bytes from the line of the first one over 127 on (the guess costs the same on a 20 MB file)
GUESS_BYTES = 65_536
# A guess needs this many words with letters that only the guessed encoding's bytes over 127 give: a line or two
# ("Привіт, світ" reads as well in windows-1250, "Ďđčâłň, ńâłň") is no evidence of a language.
MIN_WORDS = 8
# The letters a Romanian text has beyond ASCII, with the cedilla that windows-1250 and ISO-8859-2 write ş and ţ with
_ROMANIAN = set("ăâîșțşţĂÂÎȘȚŞŢ")
_C1 = re.compile("[\x80-\x9f]")
_WORD = re.compile(r"[^\W\d_]+")


def decode_legacy(data: bytes) -> tuple[str, str] | None:
    """``data`` (not UTF-8, no NUL byte) read in the encoding ``legacy_codec`` tells, and that encoding's name for the
    user; None when none is told, or the whole file does not read as text in it (garbage after a first page of text).
    """
    codec = legacy_codec(data)
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:  # a byte windows-1251 or -1250 has no character for
        return None
    return None if _C1.search(text) else (text, LEGACY_CODECS[codec])


def legacy_codec(data: bytes) -> str | None:
    """The codec of LEGACY_CODECS that ``data`` (not UTF-8, no NUL byte) reads as language text in, else None:
    charset-normalizer's best among them, taken only when its text is nearly free of mess and its letters past ASCII
    are those of that encoding's language (Cyrillic; Romanian), enough of them, in words whose case reads as written
    (windows-1251 read as KOI8, or UTF-8 as windows-1251, is "кИЇВ", "РљРёС—РІ"). The same bytes get the same answer."""
    from charset_normalizer import from_bytes  # only a file that is not UTF-8 pays for the import

    first = re.search(rb"[\x80-\xff]", data)
    if first is None:
        return None
    start = max(data.rfind(b"\n", 0, first.start()) + 1, first.start() - GUESS_BYTES // 2)
    sample = data[start:start + GUESS_BYTES]
    best = from_bytes(sample, cp_isolation=list(LEGACY_CODECS), threshold=0.1, preemptive_behaviour=False,
                      enable_fallback=False).best()
    if best is None or best.encoding not in LEGACY_CODECS:
        return None
    return best.encoding if _reads_as_language(str(best), best.encoding in _CYRILLIC) else None


def _reads_as_language(text: str, cyrillic: bool) -> bool:
    """Whether ``text`` is what a person wrote: no control character past ASCII (ISO-8859's C1 controls, where a
    windows code page has its quotes and dashes), at least MIN_WORDS words with letters past ASCII, nine in ten of
    them only of Cyrillic (or Romanian) ones, most of them with a small letter (Hebrew's windows-1255 reads as KOI8
    capitals: "ДННЫЛД ДЕЦИРД"), and no more than one in twenty with a capital after a small letter."""
    if _C1.search(text):
        return False
    words = [word for word in _WORD.findall(text) if not word.isascii()]
    ours = sum(all(char.isascii() or _native(char, cyrillic) for char in word) for word in words)
    small = sum(not word.isupper() for word in words)
    mixed = sum(any(a.islower() and b.isupper() for a, b in zip(word, word[1:])) for word in words)
    return ours >= MIN_WORDS and ours * 10 >= len(words) * 9 and small * 2 > len(words) and mixed * 20 <= len(words)


def _native(char: str, cyrillic: bool) -> bool:
    return "\u0400" <= char <= "\u04ff" if cyrillic else char in _ROMANIAN
