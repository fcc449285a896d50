from index.sentences import sentence_spans


def test_sentences_split_on_terminal_punctuation_but_not_abbreviations():
    text = "Mr. Smith went to Washington. He arrived on May 3.\nNext line"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Mr. Smith went to Washington.", "He arrived on May 3.", "Next line"]
