from hypothesis import given, settings
from hypothesis import strategies as st

from index.documents import make_article, read_corpus
import index.passages as passages_module
from index.passages import SPLIT_WINDOW, PassageSplitter
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


_pieces = st.sampled_from(list("abcXYZ .!?\n\"'”)(—😀<&") + ["Mr. ", "U.S. ", "Dr. ", "e.g. ", "\n\n", "w" * 80,
                                                                  "| a | b |\n", "\u200b", "\u202e", "\r\n"])
_text = st.one_of(
    st.lists(_pieces, min_size=1, max_size=150).map("".join),
    st.text(min_size=1, max_size=300),
).filter(lambda t: t.strip())


def _solid(text: str, spans) -> set[int]:
    """The non-space character positions inside ``spans``."""
    return {i for s, e in spans for i in range(s, e) if not text[i].isspace()}


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
        assert len(p.text) <= max_chars
        assert all(article.text[s:e] == article.text[s:e].strip() for s, e in p.sentences)
        covered.update(p.sentences)
    sentences = sentence_spans(article.text, article.body_start)
    assert _solid(text, covered) == _solid(text, sentences)  # every sentence, whole or in pieces, once
    assert all(any(s <= a and b <= e for s, e in sentences) for a, b in covered)  # a piece stays in its sentence


def test_a_run_on_sentence_is_cut_after_a_word_into_passages_no_longer_than_the_limit():
    text = " ".join(f"word{i}" for i in range(2000))  # no full stop anywhere
    article = make_article("a.txt", text, "a.txt")
    passages = PassageSplitter(max_chars=200, overlap=1).split(article)
    assert all(len(p.text) <= 200 for p in passages)
    assert passages[0].text == " ".join(f"word{i}" for i in range(30))  # 30 words fill 199 characters
    assert [p.text.split()[0] for p in passages[1:3]] == ["word30", "word58"]
    assert " ".join(p.text for p in passages) == text


def test_a_word_longer_than_a_passage_is_cut_inside_the_word():
    text = "Start " + "x" * 450 + " end."
    passages = PassageSplitter(max_chars=200, overlap=0).split(make_article("a.txt", text, "a.txt"))
    assert [p.text for p in passages] == ["Start", "x" * 200, "x" * 200, "x" * 50 + " end."]


def test_a_long_markdown_table_becomes_many_passages_within_the_limit():
    rows = "\n".join(f"| {i} | item {i} | {i * 3} |" for i in range(2000))
    text = f"## Results\n\n| id | name | value |\n|---|---|---|\n{rows}"
    passages = PassageSplitter(max_chars=700).split(make_article("t.md", text, "t.md"))
    assert max(len(p.text) for p in passages) <= 700
    assert passages[0].text.startswith("## Results\n\n| id | name | value |")
    assert passages[-1].text.endswith("| 1999 | item 1999 | 5997 |")


def test_a_heading_stays_with_the_first_piece_of_a_long_sentence_after_it():
    text = "Summit results\n" + "The leaders agreed on many things " * 40
    passages = PassageSplitter(max_chars=300, overlap=0).split(make_article("a.txt", text, "a.txt"))
    assert passages[0].text.startswith("Summit results\nThe leaders agreed")
    assert all(len(p.text) <= 300 for p in passages)


def test_the_sentence_splitter_never_sees_more_than_a_window_of_a_huge_line(monkeypatch):
    seen = []

    def recording(text, start=0, end=None):
        seen.append((end if end is not None else len(text)) - start)
        return sentence_spans(text, start, end)

    monkeypatch.setattr(passages_module, "sentence_spans", recording)
    text = ("It is over. We won" + "," * 3 + " " + "y" * 30 + " ") * 40_000  # one line of 2 MB
    article = make_article("a.txt", text, "a.txt")
    passages = PassageSplitter().split(article)
    assert max(seen) <= SPLIT_WINDOW
    assert all(article.text[p.start : p.end] == p.text and len(p.text) <= 700 for p in passages)
