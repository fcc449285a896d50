import hashlib
import random
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from index.lexical import BM25, MAX_TOKEN_CHARS, TOKEN_RULES, Vocabulary, glued_words, tokenize

TEXTS = [
    "The NATO summit will be held in Vilnius in July.",
    "Stoltenberg arrived in Kyiv on April 20 and met Zelensky.",
    "Bucha, a small city near Kyiv, was occupied by Russian troops.",
    "Ukraine's future is in NATO, Stoltenberg said in Kyiv.",
    "The summit summit summit is a repeated word.",
]


def test_bm25_scores_equal_bm25s_lucene_scores():
    import bm25s

    ours = BM25.build(TEXTS)
    theirs = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    theirs.index([tokenize(t) for t in TEXTS], show_progress=False)
    for query in ["where is the summit", "Stoltenberg Kyiv", "Russian troops near Kyiv", "unknown words only"]:
        expected = theirs.get_scores(tokenize(query))
        np.testing.assert_allclose(ours.scores(query), expected, rtol=1e-5, atol=1e-6)


def test_top_returns_only_matching_rows_best_first():
    rows, scores = BM25.build(TEXTS).top("Kyiv Zelensky", 10)
    assert rows.tolist()[0] == 1
    assert set(rows.tolist()) == {1, 2, 3}
    assert list(scores) == sorted(scores, reverse=True)


def test_bm25_survives_a_save_and_load(tmp_path):
    bm25 = BM25.build(TEXTS)
    bm25.save(tmp_path / "bm25.npz")
    again = BM25.load(tmp_path / "bm25.npz")
    np.testing.assert_array_equal(again.scores("summit in Vilnius"), bm25.scores("summit in Vilnius"))


def test_top_k_equals_the_best_of_scoring_every_row_when_common_terms_are_pruned():
    rng = np.random.default_rng(7)
    words = ["the", "of", "and", "summit", "nato", "kyiv", "war", "vilnius", "troops", "city"]
    p = np.array([0.3, 0.2, 0.2, 0.06, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03])
    texts = [" ".join(rng.choice(words, size=rng.integers(1, 30), p=p)) for _ in range(3000)]
    bm25 = BM25.build(texts)
    for query in ["the summit of the war", "vilnius", "the and of", "troops city nato kyiv the", "the the summit"]:
        for k in (1, 10, 50, 5000):
            full = bm25.scores(query)
            rows, scores = bm25.top(query, k)
            expected = np.sort(full[full > 0])[::-1][:k]
            np.testing.assert_allclose(scores, expected, rtol=1e-5)
            np.testing.assert_allclose(full[rows], scores, rtol=1e-5)
            assert len(set(rows.tolist())) == len(rows)


def test_terms_in_most_rows_get_a_dense_row_and_top_k_stays_exact(tmp_path):
    rng = np.random.default_rng(11)
    words = ["the", "of", "summit", "nato", "kyiv", "war", "vilnius", "troops"]
    p = np.array([0.4, 0.2, 0.1, 0.08, 0.08, 0.06, 0.04, 0.04])
    texts = [" ".join(rng.choice(words, size=rng.integers(3, 30), p=p)) for _ in range(12_000)]
    bm25 = BM25.build(texts)
    in_most = sorted(w for w in words if sum(w in t.split() for t in texts) > 6000)
    assert sorted(bm25.vocab.get(w) for w in in_most) == bm25.dense_terms.tolist() and in_most
    bm25.save(tmp_path / "bm25.npz")
    loaded = BM25.load(tmp_path / "bm25.npz")
    np.testing.assert_array_equal(loaded.dense_weights, bm25.dense_weights)
    for query in ["the summit of the war", "the of", "troops vilnius the", "nato kyiv of of"]:
        full = bm25.scores(query)
        for k in (1, 10, 50):
            rows, scores = loaded.top(query, k)
            np.testing.assert_allclose(scores, np.sort(full[full > 0])[::-1][:k], rtol=1e-5)
            np.testing.assert_allclose(loaded.score_rows(query, rows), full[rows], rtol=1e-5)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from("a b c d e f the of".split()), max_size=12).map(" ".join), min_size=1,
                max_size=40),
       st.lists(st.sampled_from("a b c d e f the of zzz".split()), min_size=1, max_size=6).map(" ".join),
       st.integers(min_value=1, max_value=50))
def test_top_k_is_exact_for_any_corpus_and_query(texts, query, k):
    bm25 = BM25.build(texts)
    full = bm25.scores(query)
    rows, scores = bm25.top(query, k)
    expected = np.sort(full[full > 0])[::-1][:k]
    np.testing.assert_allclose(scores, expected, rtol=1e-5)
    np.testing.assert_allclose(full[rows], scores, rtol=1e-5)
    np.testing.assert_allclose(bm25.score_rows(query, np.arange(len(texts))), full, rtol=1e-5)


def test_a_megabyte_word_is_indexed_by_its_first_characters_only(tmp_path):
    bm25 = BM25.build(["x" * 1_000_000 + " summit", "the war"])
    assert max(len(t) for t in bm25.vocab) == MAX_TOKEN_CHARS
    assert bm25.top("x" * 70, 5)[0].tolist() == [0]  # the query's long word is capped the same way
    bm25.save(tmp_path / "bm25.npz")
    assert (tmp_path / "bm25.npz").stat().st_size < 4000


def test_the_saved_vocabulary_costs_the_bytes_of_its_terms(tmp_path):
    texts = [f"word{i} " + "y" * (i % 60) for i in range(20_000)]
    bm25 = BM25.build(texts)
    bm25.save(tmp_path / "bm25.npz")
    term_bytes = sum(len(t.encode()) + 1 for t in bm25.vocab)
    size = (tmp_path / "bm25.npz").stat().st_size
    # blob + one offset, max weight and df offset per term + one posting (row, weight, count: a byte here) per word
    # + one length per row (a byte here)
    assert size < term_bytes + len(bm25.vocab) * (8 + 4 + 8) + 2 * 20_000 * (8 + 1) + 20_000 + 4096


def test_a_loaded_index_is_memory_mapped_and_answers_the_same(tmp_path):
    bm25 = BM25.build(TEXTS)
    bm25.save(tmp_path / "bm25.npz")
    again = BM25.load(tmp_path / "bm25.npz")
    assert isinstance(again.rows.base, np.memmap) and isinstance(again.weights.base, np.memmap)
    assert sorted(again.vocab) == sorted(bm25.vocab) and again.vocab["summit"] == bm25.vocab["summit"]
    assert [again.idf(t) for t in ("kyiv", "nope")] == [bm25.idf(t) for t in ("kyiv", "nope")]
    for query in ["Kyiv Zelensky", "summit summit", "unknown"]:
        assert [x.tolist() for x in again.top(query, 3)] == [x.tolist() for x in bm25.top(query, 3)]


def test_a_vocabulary_finds_non_ascii_terms_in_byte_order():
    terms = sorted(["київ", "kyiv", "ßtraße", "zelensky", "été", "a", "日本"])
    vocab = Vocabulary.from_sorted(terms)
    assert [vocab[t] for t in terms] == list(range(len(terms)))
    assert list(vocab) == terms and "b" not in vocab and vocab.get("") is None


def test_top_k_stays_exact_when_a_few_rows_scored_in_full_tighten_the_bound():
    # Thousands of rows met by the rare terms before the common ones: top() scores the best few
    # hundred of them in full to prune the rest; whatever it prunes, the top k is the full scan's.
    rng = np.random.default_rng(23)
    words = [f"w{i}" for i in range(80)]
    p = 1.0 / np.arange(1, 81) ** 0.8
    texts = [" ".join(rng.choice(words, size=rng.integers(2, 40), p=p / p.sum())) for _ in range(6000)]
    bm25 = BM25.build(texts)
    for _ in range(40):
        query = " ".join(rng.choice(words, size=rng.integers(2, 14)))
        full = bm25.scores(query)
        for k in (1, 10, 50, 300, 5500):  # more than the rows scored in full, and than the rows sampled
            rows, scores = bm25.top(query, k)
            np.testing.assert_allclose(scores, np.sort(full[full > 0])[::-1][:k], rtol=1e-5)
            np.testing.assert_allclose(full[rows], scores, rtol=1e-5)
            assert len(set(rows.tolist())) == len(rows)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_text_tokenizes_as_the_unicode_path_does(text):
    import unicodedata

    from index.lexical import _CAMEL, _FOLD, _TOKEN

    slow = [t[:MAX_TOKEN_CHARS] for t in _TOKEN.findall(unicodedata.normalize("NFC", text).lower().translate(_FOLD))]
    slow += [part.lower()[:MAX_TOKEN_CHARS] for word in _GLUED_ONCE.findall(text) for part in _CAMEL.split(word)]
    assert tokenize(text) == slow


# How glued words were found before: one pattern, quadratic in a long word of humps (kept as the reference).
_GLUED_ONCE = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aBzZ é1_-'’ .\nÉ\u0301ж")), max_size=60) | st.text(max_size=60))
def test_glued_words_are_the_whole_latin_words_with_a_hump_as_before(text):
    assert glued_words(text) == _GLUED_ONCE.findall(text)


def test_glued_words_split_at_each_hump_and_a_long_humped_word_at_every_one():
    assert tokenize("ZelenskyiPhoto camelCase NATOsummit McDonald e2eTest") == [
        "zelenskyiphoto", "camelcase", "natosummit", "mcdonald", "e2etest",
        "zelenskyi", "photo", "camel", "case", "mc", "donald"]
    # Humps ending in a digit (not a Latin word, so no hump is split); the one old pattern backtracked over
    # them (5.6 s at 50 KB: python -m bench.hostile_text times it)
    question = "aB" * 2_500 + "1"
    assert tokenize(question) == [question.lower()[:MAX_TOKEN_CHARS]]
    split = tokenize(question[:-1])  # a Latin word: split at each of its 2,500 humps
    assert (split[1:3], split[-2:], len(split)) == (["a", "ba"], ["ba", "b"], 1 + 2_501)


def test_a_caption_glued_to_its_photo_credit_is_found_by_either_word():
    bm25 = BM25.build([
        "Head of NATO Jens Stoltenberg and President of Ukraine Volodymyr ZelenskyiPhoto: Yefrem Lukatsky / AP",
        "Stoltenberg took questions from reporters in Kyiv.",
    ])
    assert bm25.top("who took the photo", 2)[0].tolist() == [1, 0]  # "took" and "photo" each find a passage
    assert bm25.top("zelenskyiphoto", 2)[0].tolist() == [0]
    assert tokenize("an iPhone") == ["an", "iphone", "i", "phone"]


def test_a_word_with_soft_hyphens_is_one_token_and_found_by_its_plain_spelling():
    assert tokenize("Міст Па\u00adто\u00adна в Києві") == ["міст", "патона", "в", "києві"]
    bm25 = BM25.build(["Міст Па\u00adто\u00adна відремонтують до 2026 р.", "Трамваї у Львові"])
    rows, _ = bm25.top("Коли ремонтуватимуть Патона?", 2)
    assert rows.tolist() == [0]


def test_a_ukrainian_word_is_one_token_whichever_apostrophe_it_is_typed_with():
    spellings = "м'ясо м’ясо мʼясо м‘ясо м`ясо"
    assert tokenize(spellings) == ["м'ясо"] * 5
    bm25 = BM25.build(["Ціна кілограма м`яса становила 280 грн.", "Мед коштував 200 грн."])
    assert bm25.top("Скільки коштувало мʼяса?", 2)[0].tolist() == [0]



def test_a_turkish_dotted_capital_i_is_a_letter_of_its_word_not_a_break_in_it():
    # "İstanbul".lower() is "i" + U+0307 (a combining dot, no letter of \w): the word was two tokens, "i" and "stanbul",
    # so "Istanbul" or "istanbul" in a question found no article that wrote it "İstanbul" or "İSTANBUL", nor the other
    # way round; a dotless ı ("Diyarbakır") is an i as "DIYARBAKIR" lower-cased is, as dates read them (CASE_BLIND)
    assert tokenize("İstanbul İSTANBUL I\u0307stanbul Istanbul") == ["istanbul"] * 4
    assert tokenize("DİYARBAKIR Diyarbakır Diyarbakir") == ["diyarbakir"] * 3
    bm25 = BM25.build(["Talks opened in İstanbul on Monday.", "The ferry sank near the port of Odesa."])
    assert bm25.top("Istanbul?", 2)[0].tolist() == [0]
    bm25 = BM25.build(["Talks opened in Istanbul on Monday.", "The ferry sank near the port of Odesa."])
    assert bm25.top("İstanbul görüşmeleri ne zaman?", 2)[0].tolist() == [0]


def test_a_stress_mark_on_a_cyrillic_vowel_is_no_break_in_its_word():
    # Russian and Ukrainian text with stress marks (as Wikipedia writes a name: "Влади́мир Пу́тин") has a combining acute
    # (U+0301) that NFC composes with no Cyrillic letter: "Пу́тин" was the tokens "пу" and "тин", which "Путин" in a
    # question did not find; so was a lower-cased "İstanbul" ("i" and a combining dot, as JavaScript lower-cases it)
    assert tokenize("Влади́мир Пу́тин, Зеле́нський прибу́в до Ки́єва") == [
        "владимир", "путин", "зеленський", "прибув", "до", "києва"]
    assert tokenize("i\u0307stanbul école e\u0301cole") == ["istanbul", "école", "école"]
    bm25 = BM25.build(["Влади́мир Пу́тин прибыл в Минск в понедельник.", "The ferry sank near the port of Odesa."])
    assert bm25.top("Когда Путин прибыл в Минск?", 2)[0].tolist() == [0]

# What ``tokenize`` made of TOKENIZE_SAMPLES under each TOKEN_RULES. A build reuses the term counts a previous build
# kept only when its TOKEN_RULES is this one: a tokenize changed with it left as it was kept the old tokens of every
# unchanged passage beside the new tokens of the others, an index no build from scratch makes.
TOKENIZE_DIGESTS = {1: "7273f8682f2ac88c", 2: "1dd6b8d4a0fffc48", 3: "bb66cb517a02c488"}
TOKENIZE_SAMPLES = [
    "The NATO summit will be held in Vilnius in July.", "ZelenskyiPhoto: AP, an iPhone, NATOsummit, e2eTest, McDonald",
    "Ședința a avut loc în Chişinău, ţară, ştiri, ÎNCHIS", "Ёлка ёж ЁЖ", "п’ять м'ясо мʼясо м‘ясо м`ясо l’homme rock'n'roll",
    "Па\u00adто\u00adна", "e\u0301cole Éc\u0327", "x" * (MAX_TOKEN_CHARS + 10) + " " + "aB" * 40,
    "snake_case 3.14 1,000 2026-07-11", "東京 Ελλάδα עברית العربية हिन्दी", "Ⅻ ① ² ½ ﬁ ǅ ß ẞ İ",
    "tab\tnew\nline  emoji 🙏 flag 🇺🇦 ❤",
]
_rnd = random.Random(20261207)
_ALPHABET = list("aBzZ é1_-'’ʼ‘` .\nÉ\u0301\u00adжЁёşșţțăâîÎ") + ["ř", "ß", "İ", "ǅ", "²", "東"]
TOKENIZE_SAMPLES += ["".join(_rnd.choice(_ALPHABET) for _ in range(40)) for _ in range(200)]


def test_what_tokenize_makes_of_a_fixed_sample_is_the_one_its_token_rules_names():
    tokens = "\n".join("\x1f".join(tokenize(text)) for text in TOKENIZE_SAMPLES)
    digest = hashlib.blake2b(tokens.encode("utf-8"), digest_size=8).hexdigest()
    assert TOKENIZE_DIGESTS.get(TOKEN_RULES) == digest, (
        f"tokenize changed: make index.lexical.TOKEN_RULES one more and add {{{TOKEN_RULES + 1}: {digest!r}}} here")


def test_counts_kept_by_a_python_of_another_unicode_version_are_counted_again_not_reused(tmp_path, monkeypatch):
    import index.lexical

    # A Python upgraded under a kept index (14.0 -> 15.0: letters unassigned before are words now) tokenizes a text
    # otherwise: the next build's counts of its unchanged passages were the old Python's for good, and a question
    # typed with such a letter never found them
    monkeypatch.setattr(index.lexical, "_UNICODE", (13, 0, 0))
    BM25.build(TEXTS).save(tmp_path / "bm25.npz")
    monkeypatch.undo()
    assert (BM25.load(tmp_path / "bm25.npz").tf, BM25.load(tmp_path / "bm25.npz").lengths) == (None, None)
    BM25.build(TEXTS).save(tmp_path / "now.npz")
    assert BM25.load(tmp_path / "now.npz").tf is not None
