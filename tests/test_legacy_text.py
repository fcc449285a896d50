"""Text files a Ukrainian or Romanian editor saved before UTF-8 (windows-1251, KOI8-U, windows-1250, ISO-8859-16): read
in that encoding when it can be told, with a warning naming it, and refused as before when it cannot."""

import json
import logging
import os
import random
import subprocess

import pytest

from index.documents import read_corpus
from index.legacy_text import GUESS_BYTES, legacy_codec
from tests.living import CITEBOT

KYIV = ("Київська міська рада ухвалила бюджет на наступний рік. Депутати виділили шість мільярдів гривень на ремонт "
        "мостів через Дніпро. Голова комісії сказав, що роботи почнуться навесні, а завершаться до осені. Мешканці "
        "лівого берега чекають на відкриття нового мосту вже п'ять років.\n")
ODESA = ("Одеський порт відновив роботу після ремонту причалів. Перше судно із зерном вийшло в море у вівторок. "
         "Капітан порту розповів, що наступного місяця планують відправити ще двадцять суден.\n")
# What a Romanian editor's windows-1250 holds: ş and ţ with the cedilla (it has no comma-below letters), Word's „” and –
TIMIS = ("„Spitalul va fi gata în doi ani”, a spus preşedintele consiliului – lucrările încep la primăvară. "
         "Consiliul Judeţean Timiş a aprobat construcţia unui spital nou în Timişoara, care va costa patruzeci de "
         "milioane de lei. Ţara are nevoie de mai multe paturi de terapie intensivă, iar şantierul va fi deschis până "
         "în toamnă.\n")
# ISO-8859-16 writes ș and ț with the comma below, as Romanian is written now
CLUJ = ("Primăria Cluj-Napoca a început lucrările la noua linie de tramvai. Traseul va traversa cartierul Mănăștur "
        "și va fi gata până la sfârșitul anului. Consilierii au votat în unanimitate proiectul, finanțat din fonduri "
        "europene.\n")


def citebot(*args):
    """The real ``citebot`` with its default model, multilingual-e5-small (questions in Ukrainian and Romanian)."""
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("CITEBOT_MODEL", None)
    return subprocess.run([CITEBOT, *map(str, args)], env=env, capture_output=True, text=True, timeout=300)


def _noise(size: int, seed: int) -> bytes:
    """Random bytes without a NUL (which alone says "binary file"): what no one wrote."""
    rng = random.Random(seed)
    return bytes(rng.randrange(1, 256) for _ in range(size))


@pytest.mark.parametrize("text, codec", [
    (KYIV, "cp1251"), (KYIV, "koi8_u"), (TIMIS, "cp1250"), (CLUJ, "iso8859_16"),
    ("date 2023-04-20 Kyiv\n" + ODESA, "cp1251"),  # the first line ASCII: the guess is made from the Cyrillic on
    ("Kyiv city council. " * 5000 + "\n" + ODESA, "koi8_u"),  # past GUESS_BYTES of ASCII: bounded, and still told
])
def test_a_ukrainian_or_romanian_paragraph_is_told_to_be_in_the_encoding_it_was_saved_in(text, codec):
    assert legacy_codec(text.encode(codec)) == codec


def test_a_romanian_text_of_letters_alone_reads_the_same_in_windows_1250_and_iso_8859_16_so_in_the_one_with_commas():
    saved = TIMIS.split("– ", 1)[1]  # no „”, no –: its bytes are ISO-8859-16's for the same words
    assert legacy_codec(saved.encode("cp1250")) == "iso8859_16"
    assert saved.encode("cp1250").decode("iso8859_16") == saved.replace("ş", "ș").replace("ţ", "ț").replace("Ţ", "Ț")


@pytest.mark.parametrize("data", [
    _noise(50, 1), _noise(2_000, 2), _noise(100_000, 3),
    bytes(range(128, 256)) * 20,  # every byte over 127
    "Новости дня".encode("cp1251"),  # short: reads as well in windows-1250 ("Íîâîńňč äí˙")
    "Bună ziua, ţară".encode("cp1250"),  # short, and all of Romanian's diacritics in it are three
    KYIV.encode("cp1251") + KYIV.encode("koi8_u"),  # two encodings in one file
    KYIV.encode("utf-8") + b"\xff" + ODESA.encode("utf-8"),  # UTF-8 with a broken byte: not windows-1251
    KYIV.encode("utf-8") + ODESA.encode("cp1251"),
    ("Le président a déclaré à la presse que la réforme était nécessaire, après des mois de grève très dure. " * 3
     ).encode("cp1252"),  # French: "à" and "è" read as "ŕ" and "č" in windows-1250
    ("Die Bundesregierung hat beschlossen, die Förderung für Wärmepumpen zu erhöhen. Größere Häuser bekommen "
     "mehr. " * 3).encode("cp1252"),  # German letters: no Romanian text
    ("Rząd ogłosił dziś nowe przepisy dotyczące podatków. Minister finansów powiedział, że zmiany wejdą w życie od "
     "stycznia i obejmą wszystkie małe firmy w kraju.").encode("cp1250"),  # windows-1250, but Polish: not guessed
    ("הממשלה הודיעה היום על צעדים חדשים בכלכלה. ראש הממשלה אמר כי המשכורות יעלו מינואר וגם הפנסיות יעלו בהתאם "
     "לתוכנית החדשה של משרד האוצר.").encode("cp1255"),  # Hebrew: KOI8-R's capitals, "ДННЫЛД ДЕЦИРД ДИЕМ"
    ("Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία. Ο πρωθυπουργός δήλωσε ότι οι μισθοί θα αυξηθούν "
     "από τον Ιανουάριο.").encode("cp1253"),
    ("Президент России заявил, что переговоры продолжатся на следующей неделе в Стамбуле. Делегации обсудят обмен "
     "пленными.").encode("cp866"),  # DOS's Cyrillic: not among the encodings guessed
])
def test_random_bytes_a_short_line_mixed_encodings_and_other_languages_are_no_legacy_text(data):
    assert legacy_codec(data) is None


def test_a_file_in_a_legacy_encoding_is_read_in_it_with_a_warning_naming_it_and_the_encoding(tmp_path, caplog):
    (tmp_path / "kyiv.txt").write_bytes(KYIV.encode("cp1251"))
    (tmp_path / "odesa.txt").write_bytes(ODESA.encode("koi8_u"))
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "timis.txt").write_bytes(TIMIS.encode("cp1250"))
    (tmp_path / "ro" / "cluj.html").write_bytes(  # a page saved with no <meta charset>
        f"<html><head><title>Tramvai</title></head><body><article><p>{CLUJ}</p></article></body></html>"
        .encode("iso8859_16"))
    (tmp_path / "noise.txt").write_bytes(_noise(2_000, 4))
    (tmp_path / "short.txt").write_bytes("Новости дня".encode("cp1251"))
    with caplog.at_level(logging.WARNING, logger="citebot.documents"):
        corpus = read_corpus(tmp_path)
    assert {a.id: a.text for a in corpus.articles} == {
        "kyiv.txt": KYIV, "odesa.txt": ODESA, "ro/timis.txt": TIMIS, "ro/cluj.html": CLUJ.strip()}
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("noise.txt", f"not UTF-8 (invalid start byte at byte {_first_bad(_noise(2_000, 4))}): save it as UTF-8"),
        ("short.txt", "not UTF-8 (invalid continuation byte at byte 0): save it as UTF-8")]
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("reading")] == [
        "reading kyiv.txt as windows-1251 (not UTF-8)",
        "reading odesa.txt as KOI8-U (not UTF-8)",
        "reading ro/cluj.html as ISO-8859-16 (not UTF-8)",
        "reading ro/timis.txt as windows-1250 (not UTF-8)"]


def _first_bad(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    raise AssertionError("valid UTF-8")


def test_a_jsonl_line_is_never_guessed_at(tmp_path):
    row = json.dumps({"text": KYIV}, ensure_ascii=False).encode("cp1251")
    (tmp_path / "rows.jsonl").write_bytes(row + b"\n")
    corpus = read_corpus(tmp_path)
    assert corpus.articles == []
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("rows.jsonl:1", "not UTF-8 (invalid continuation byte at byte 10): save it as UTF-8")]


def test_a_guess_looks_at_a_bounded_sample_so_a_large_file_costs_what_its_first_page_does():
    text = KYIV * (3 * GUESS_BYTES // len(KYIV.encode("cp1251")))
    # the text after the sample is never looked at: another encoding's bytes there do not change the guess
    assert legacy_codec(text.encode("cp1251") + ODESA.encode("koi8_u")) == "cp1251"


def test_legacy_files_are_built_into_an_index_and_cited_and_noise_is_still_refused(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "kyiv.txt").write_bytes(KYIV.encode("cp1251"))
    (corpus / "odesa.txt").write_bytes(ODESA.encode("koi8_u"))
    (corpus / "timis.txt").write_bytes(TIMIS.encode("cp1250"))
    (corpus / "noise.txt").write_bytes(_noise(2_000, 4))
    built = citebot("index", "--corpus", corpus, "--index", index)
    assert built.returncode == 0, built.stderr
    bad = _first_bad(_noise(2_000, 4))
    assert built.stderr == (
        "citebot: warning: reading kyiv.txt as windows-1251 (not UTF-8)\n"
        f"citebot: warning: skipping noise.txt: not UTF-8 (invalid start byte at byte {bad}): save it as UTF-8\n"
        "citebot: warning: reading odesa.txt as KOI8-U (not UTF-8)\n"
        "citebot: warning: reading timis.txt as windows-1250 (not UTF-8)\n")
    assert built.stdout.startswith("indexed 3 articles into ")
    asked = {}
    for question in ("Скільки грошей виділили на ремонт мостів?", "Коли перше судно із зерном вийшло в море?",
                     "Cât va costa spitalul din Timișoara?"):
        result = citebot("ask", "--json", "--corpus", corpus, "--index", index, question)
        assert (result.returncode, result.stderr) == (0, "")  # the index is fresh: nothing read again, no warning
        answer = json.loads(result.stdout)
        asked[question] = (answer["sources"][0]["doc"], answer["answer"])
    assert asked == {
        "Скільки грошей виділили на ремонт мостів?": (
            "kyiv.txt", "Депутати виділили шість мільярдів гривень на ремонт мостів через Дніпро."),
        "Коли перше судно із зерном вийшло в море?": (
            "odesa.txt", "Перше судно із зерном вийшло в море у вівторок."),
        "Cât va costa spitalul din Timișoara?": (
            "timis.txt", "Consiliul Judeţean Timiş a aprobat construcţia unui spital nou în Timişoara, care va costa "
                         "patruzeci de milioane de lei.")}


def test_adding_a_legacy_file_stores_it_as_utf_8_with_a_warning_and_noise_is_refused(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (tmp_path / "kyiv.txt").write_bytes(KYIV.encode("cp1251"))
    (tmp_path / "noise.txt").write_bytes(_noise(2_000, 4))
    added = citebot("add", "--corpus", corpus, "--index", index, tmp_path / "kyiv.txt")
    assert added.returncode == 0, added.stderr
    assert added.stderr == f"citebot: warning: reading {tmp_path / 'kyiv.txt'} as windows-1251 (not UTF-8)\n"
    [stored] = (corpus / "local").glob("kyiv-*.md")
    assert stored.read_text(encoding="utf-8").endswith("---\n\n" + KYIV)
    refused = citebot("add", "--corpus", corpus, "--index", index, tmp_path / "noise.txt")
    assert (refused.returncode, refused.stderr) == (
        1, f"citebot: error: cannot add {tmp_path / 'noise.txt'}: not UTF-8 text\n")


def test_a_page_fetched_from_a_site_naming_no_charset_is_read_in_its_legacy_encoding_not_stored_as_question_marks(
        tmp_path, site):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    page = (f"<html><head><title>Бюджет Києва</title></head><body><article><h1>Бюджет Києва</h1><p>{KYIV}</p>"
            f"<p>{ODESA}</p></article></body></html>")
    site.files["/old/kyiv.html"] = ("text/html", page.encode("cp1251"))  # no charset in the header nor in a <meta>
    url = site.url("/old/kyiv.html")
    added = citebot("add", "--corpus", corpus, "--index", index, url)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added: Бюджет Києва (")  # was "added: ������ ����", every letter lost
    assert added.stderr == f"citebot: warning: reading {url} as windows-1251 (not UTF-8)\n"
    [stored] = corpus.rglob("*.md")
    assert stored.read_text(encoding="utf-8").endswith(f"---\n\nБюджет Києва\n{KYIV.strip()}\n{ODESA.strip()}\n")
