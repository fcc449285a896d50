import numpy as np

from index.lexical import BM25, tokenize

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
