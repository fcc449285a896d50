"""The near-duplicate filter: it never drops a pair at or over the threshold, and drops unrelated articles; and the
figures a sentence states, which tell two moments of a story apart."""

import random

from index.near_duplicates import Fingerprint, disagree, figures, similarity

THRESHOLD = 0.9


def pair(rng: random.Random, size: int, changed: int) -> tuple[frozenset[int], frozenset[int]]:
    """Two sets of ``size`` random 64-bit hashes, the second with ``changed`` of them replaced."""
    a = [rng.getrandbits(64) - 2**63 for _ in range(size)]
    b = a[: size - changed] + [rng.getrandbits(64) - 2**63 for _ in range(changed)]
    return frozenset(a), frozenset(b)


def test_every_pair_at_or_over_the_threshold_is_compared_in_full_whatever_its_size():
    rng = random.Random(20261205)
    checked = 0
    for size in [1, 2, 5, 9, 10, 11, 19, 20, 21, 100, 127, 128, 129, 400, 1000, 3000]:
        for changed in range(0, max(1, size // 10) + 2):
            a, b = pair(rng, size, min(changed, size))
            if similarity(a, b) >= THRESHOLD:
                checked += 1
                assert Fingerprint.of(a, THRESHOLD).may_reach(Fingerprint.of(b, THRESHOLD), THRESHOLD), (size, changed)
    assert checked > 100


def test_a_pair_at_exactly_the_threshold_is_compared_in_full_though_floats_round_over_it():
    a, c = frozenset(range(100)), frozenset(range(45, 100))  # 55 of 100, where 0.55 * 100 is 55.00000000000001
    assert similarity(a, c) == 0.55
    assert Fingerprint.of(a, 0.55).may_reach(Fingerprint.of(c, 0.55), 0.55)


def test_articles_sharing_only_a_site_boilerplate_are_not_read_again():
    rng = random.Random(7)
    boilerplate = [rng.getrandbits(64) - 2**63 for _ in range(30)]
    articles = [frozenset(boilerplate + [rng.getrandbits(64) - 2**63 for _ in range(400)]) for _ in range(200)]
    new = Fingerprint.of(articles[0], THRESHOLD)
    alike = [i for i, other in enumerate(articles) if new.may_reach(Fingerprint.of(other, THRESHOLD), THRESHOLD)]
    assert alike == [0]


def test_an_empty_text_matches_nothing():
    assert not Fingerprint.of(frozenset(), THRESHOLD).may_reach(Fingerprint.of(frozenset({1}), THRESHOLD), THRESHOLD)


def test_a_compound_number_word_ending_in_one_is_one_number_in_ukrainian_russian_and_romanian():
    # "двадцять одна тисяча" was read as 20 and 1000 (a word for "one" was never read): a report of 21 000 in digits
    # was reported differently
    assert figures("двадцять одна тисяча людей, двадцать один человек, сто одна людина, douăzeci și unu de oameni") == {
        "21000", "21", "101"}
    assert figures("двадцяти одного, тридцять одну тисячу, сорок одно, douăzeci și una") == {"21", "31000", "41", "21"}
    assert figures("одна тисяча, один із загиблих, одна людина, una dintre victime") == {"1000"}
    assert not disagree("Евакуювали двадцять одну тисячу людей.", "Евакуювали 21 тисячу людей.")
    assert disagree("Погибли двадцать один человек.", "Погибли двадцать два человека.")


def test_a_thousand_or_a_million_ending_in_one_is_one_number_as_a_hundred_ending_in_one_is():
    # "тисяча одна людина" was read as 1000, its "одна" dropped after a scale word (but not after "сто"): a report of
    # 1001 in digits was reported differently
    assert figures("тисяча одна людина, дві тисячі один, мільйон одна, тысяча один, o mie unu, două mii una") == {
        "1001", "2001", "1000001", "1001", "2001"}
    assert not disagree("Евакуювали тисячу одну людину.", "Евакуювали 1001 людину.")
    assert disagree("Евакуювали тисячу одну людину.", "Евакуювали тисячу дві людини.")
    assert figures("тисяча, одна людина; тисячі одна за одною") == {"1000"}


def test_a_romanian_hundred_ending_in_one_is_one_number_as_the_ukrainian_and_russian_ones_are():
    # "o sută unu" was read as 100, its "unu" dropped after Romanian's "sută" (but not after "сто"): a report of 101
    # evacuated in digits was reported differently
    assert figures("o sută unu locuitori, două sute una de familii") == {"101", "201"}
    assert not disagree("Au fost evacuați o sută unu locuitori.", "Au fost evacuați 101 locuitori.")
    assert disagree("Au fost evacuați o sută unu locuitori.", "Au fost evacuați o sută doi locuitori.")


def test_a_romanian_scale_word_after_de_scales_the_number_before_it():
    # "20 de milioane de euro", as Romanian writes 20 million from twenty up, was read as 20 and no currency: against
    # "20.000.000 de euro" or "20 milioane euro" it was reported differently
    assert figures("20 de milioane, douăzeci de mii, o sută una de mii, 2,5 miliarde, între 20 și 30 de milioane") == {
        "20000000", "20000", "101000", "2500000000", "30000000"}
    assert not disagree("Guvernul a alocat 20 de milioane de euro.", "Guvernul a alocat 20.000.000 de euro.")
    assert disagree("Guvernul a alocat 20 de milioane de euro.", "Guvernul a alocat 25 de milioane de euro.")
    assert disagree("Guvernul a alocat 20 de milioane de euro.", "Guvernul a alocat 20 de milioane de lei.")
    assert figures("20 de ani, 300 de oameni, 20 de mii") == {"20", "300", "20000"}


def test_a_romanian_scale_word_after_de_scales_the_number_across_a_no_break_space_or_a_line_break():
    # "20\u00a0de milioane de euro" (a no-break space after the figure, as Romanian typesetting and &nbsp; put it) or a
    # line wrapped after "de" read as 20 and no currency, though "20\u00a0milioane" was 20,000,000
    assert figures("20\u00a0de milioane, 30 de\u00a0milioane, 40 de\nmilioane, douăzeci\nde mii") == {
        "20000000", "30000000", "40000000", "20000"}
    assert not disagree("Guvernul a alocat 20\u00a0de milioane de euro.", "Guvernul a alocat 20.000.000 de euro.")


def test_a_comma_before_three_digits_and_a_ukrainian_russian_or_romanian_scale_word_is_a_decimal_comma():
    # "1,250 млрд гривень" was read as 1,250 billion, against another outlet's "1,25 млрд гривень": reported differently
    assert figures("1,250 млрд гривень, 1,500 мільйона, 2,125 млн рублей, 1,750 milioane de lei, 3,750 тыс.") == {
        "1250000000", "1500000", "2125000", "1750000", "3750"}
    assert figures("1,250–1,500 млн, 1,500 soldiers, 1,500 million, 1,500 людей, 1,500,000 млн") == {
        "1250000", "1500000", "1500", "1500000000", "1500000000000"}
    assert not disagree("Збитки оцінили в 1,250 млрд гривень.", "Збитки оцінили в 1,25 млрд гривень.")
    assert disagree("Збитки оцінили в 1,250 млрд гривень.", "Збитки оцінили в 1,5 млрд гривень.")



def test_a_comma_before_three_digits_and_mln_is_a_decimal_comma_in_romanian_or_ukrainian_but_not_in_english():
    # "1,250 mln lei" in a Romanian report was read as 1,250 million, against another outlet's "1,25 mln lei": reported
    # differently; "mln" is Romanian's abbreviation as much as English wires', and an English "1,250 mln" is 1,250
    assert figures("Guvernul a alocat 1,250 mln lei pentru școli.") == {"1250000"}
    assert figures("Guvernul a alocat 1,250 mln de lei.") == {"1250000"}
    assert figures("Збитки склали 1,250 mln гривень.") == {"1250000"}
    assert figures("The fund received 1,250 mln dollars.") == {"1250000000"}
    assert not disagree("Guvernul a alocat 1,250 mln lei pentru școli.", "Guvernul a alocat 1,25 mln lei pentru școli.")
    assert disagree("Guvernul a alocat 1,250 mln lei pentru școli.", "Guvernul a alocat 1,5 mln lei pentru școli.")


def test_an_english_1250_mln_stays_1250_million_in_a_report_that_names_chisinau():
    # one Romanian letter in a name made the whole English report "Romanian": its "1,250 mln euros" read as 1.25 million,
    # and the same pledge in another outlet's words was reported differently
    assert figures("The EU pledged 1,250 mln euros to Moldova, the government in Chișinău said.") == {"1250000000"}
    assert figures("Kyiv's Укрзалізниця said the railway lost 1,250 mln dollars in the war.") == {"1250000000"}
    assert not disagree("The EU pledged 1,250 mln euros to Moldova, the government in Chișinău said.",
                        "The EU pledged 1,250 mln euros to Moldova, the government said.")
    assert not disagree("The EU pledged 1,250 mln euros to Chișinău.", "The EU pledged 1.25 billion euros to Chisinau.")
    assert figures("Guvernul de la Chișinău a alocat 1,250 mln euro pentru drumuri și școli.") == {"1250000"}


def test_a_year_after_in_before_a_noun_may_be_a_count_and_agrees_with_that_count():
    # "in 2000 cases" was read as the year 2000 only: against "in 2,000 cases in 2021" the two reports each stated a
    # date the other did not, and were reported differently
    found, counted = "The strain was found in 2000 cases.", "The strain was found in 2,000 cases in 2021."
    assert not disagree(found, counted) and not disagree(counted, found)
    assert disagree(found, "The strain was found in 2,500 cases in 2021.")
    assert disagree("Since 2014 attacks have doubled.", "Since 2015 attacks have doubled.")
    assert disagree("Since 2014 attacks have doubled.", "Since 2015, attacks have doubled.")
    assert not disagree("In 2014 troops entered Crimea.", "In 2014, 20,000 troops entered Crimea.")
    assert not disagree("In 2014 troops entered Crimea, killing 3.", "Troops entered Crimea, killing 3; 500 fled.")


def test_the_twentieth_of_april_in_a_title_case_headline_is_a_date_too():
    # "The 20th Of April" (a headline's capitals) was an ordinal, no figure: against "On 22 April" it did not differ
    assert disagree("Talks Began On The 20th Of April", "Talks Began On 22 April")
    assert not disagree("Talks Began On The 20th Of April", "Talks began on April 20.")
    assert not disagree("He Came 20th Of 30 Runners", "He Came 21st Of 30 Runners")


def test_the_twentieth_of_april_is_a_date_as_april_the_twentieth_is():
    # "the 20th of April" was an ordinal, no figure: against "on 22 April" it did not differ
    assert disagree("The talks began on the 20th of April.", "The talks began on 22 April.")
    assert not disagree("The talks began on the 20th of April.", "The talks began on April 20.")
    assert not disagree("He came 20th of 30 runners.", "He came 21st of 30 runners.")


def test_a_circled_number_or_a_footnote_mark_is_no_figure_and_stops_nothing():
    # "①" and "¹" are digits to str.isdigit, not to int(): a recipe's steps or a footnote stopped every question whose
    # candidates held one, with a ValueError
    assert figures("Step ① takes 5 minutes, as the manual says.¹ ² See ³ below.") == {"5"}
    assert disagree("Step ① takes 5 minutes.", "Step ① takes 7 minutes.")
