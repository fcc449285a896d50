from index.sentences import sentence_spans


def test_sentences_split_on_terminal_punctuation_but_not_abbreviations():
    text = "Mr. Smith went to Washington. He arrived on May 3.\nNext line"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Mr. Smith went to Washington.", "He arrived on May 3.", "Next line"]


def test_a_quotation_closed_by_a_comma_stays_one_sentence_with_its_attribution():
    text = '"Ukraine\'s future is in NATO. All allies agree on that," Stoltenberg said. He left.'
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        '"Ukraine\'s future is in NATO. All allies agree on that," Stoltenberg said.', "He left."]


def test_a_quotation_that_ends_a_sentence_still_splits():
    text = "He said: “We will win.” Then he left. “It is over.” The end."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "He said: “We will win.”", "Then he left.", "“It is over.”", "The end."]
