from hypothesis import given, settings
from hypothesis import strategies as st

from index.documents import make_article, read_corpus
from index.passages import PassageSplitter
from index.sentences import sentence_spans
from tests.conftest import SHIPPED_CORPUS


def test_passage_offsets_point_back_into_the_shipped_articles():
    splitter = PassageSplitter()
    for article in read_corpus(SHIPPED_CORPUS).articles:
        passages = splitter.split(article)
        assert passages
        for p in passages:
            assert article.text[p.start : p.end] == p.text
            assert p.doc == article.id
            assert all(p.start <= s < e <= p.end for s, e in p.sentences)


def test_passages_never_cut_a_sentence():
    article = next(a for a in read_corpus(SHIPPED_CORPUS).articles if a.id.startswith("004"))
    sentences = set(sentence_spans(article.text, article.body_start))
    for p in PassageSplitter().split(article):
        assert set(p.sentences) <= sentences
        assert (p.sentences[0][0], p.sentences[-1][1]) == (p.start, p.end)


def test_a_heading_line_is_kept_with_the_paragraph_after_it():
    text = "Long intro sentence number one here. " * 10 + "\n\nNATO supported Ukraine\n\nThe allies sent weapons."
    article = make_article("a.txt", text, "a.txt")
    passages = PassageSplitter(max_chars=200, overlap=0).split(article)
    holding = [p for p in passages if "NATO supported Ukraine" in p.text]
    assert len(holding) == 1
    assert holding[0].text.endswith("NATO supported Ukraine\n\nThe allies sent weapons.")


def test_consecutive_windows_overlap_by_one_sentence():
    text = " ".join(f"Sentence number {i} says something about topic {i}." for i in range(12))
    passages = PassageSplitter(max_chars=150, overlap=1).split(make_article("a.txt", text, "a.txt"))
    assert len(passages) > 2
    for before, after in zip(passages, passages[1:]):
        assert before.sentences[-1] == after.sentences[0]
    assert passages[-1].end == len(text)


def test_the_leading_date_line_is_metadata_not_a_passage():
    article = make_article("a.txt", " date 2023-04-20 This audio is created with AI assistance\n\nBody text.", "a.txt")
    (passage,) = PassageSplitter().split(article)
    assert passage.text == "Body text."
    assert article.date == "2023-04-20"


_pieces = st.sampled_from(list("abcXYZ .!?\n\"'”)(—😀<&") + ["Mr. ", "U.S. ", "Dr. ", "e.g. ", "\n\n"])
_text = st.one_of(
    st.lists(_pieces, min_size=1, max_size=150).map("".join),
    st.text(min_size=1, max_size=300),
).filter(lambda t: t.strip())


@settings(max_examples=300, deadline=None)
@given(_text, st.integers(min_value=50, max_value=300), st.integers(min_value=0, max_value=2))
def test_passage_offsets_hold_for_arbitrary_text(text, max_chars, overlap):
    article = make_article("x.txt", text, "x.txt")
    passages = PassageSplitter(max_chars=max_chars, overlap=overlap).split(article)
    assert passages
    covered = set()
    for p in passages:
        assert article.text[p.start : p.end] == p.text
        assert p.text == p.text.strip()
        covered.update(p.sentences)
    assert covered == set(sentence_spans(article.text, article.body_start))
