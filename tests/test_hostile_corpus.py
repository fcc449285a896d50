"""A hostile corpus never crashes a build: every skip is named, passages stay verbatim and bounded.

The property test draws corpora of hostile files and runs the reading, passage and BM25 stages on
them; the last test runs the real `citebot index` on the files that took main down (issue 9).
"""

import json
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.hostile_corpus import index_bytes, run_index, write_issue_cases, write_unreadable
from index.build import IndexBuilder
from index.documents import SUPPORTED_SUFFIXES, read_corpus
from index.lexical import BM25
from index.passages import PassageSplitter
from index.store import Store
from tests.conftest import FIXTURE_MODEL_ENV, SHIPPED_CORPUS

MAX_CHARS = 700

_hostile_pieces = st.sampled_from([
    "The summit met in Vilnius. ", "word ", "\x00", "\ufeff", "\r\n", "\n", "\n\n", "\u200b", "\u200f", "\u202e",
    "\u2066", "שלום ", "مرحبا ", "😀", "é", "e\u0301", "<script>alert('x')</script>", "<!-- comment -->",
    "&amp; &lt;p&gt; &#x1F600; &nbsp;", "<p>Para</p>", "| a | b |\n", "- item\n", "Q: ", "\t", '"', "{", "[",
])
# A megabyte line of one word or none; sentence-dense runs stay shorter because pySBD splits them at
# roughly a megabyte a few minutes (measured), which the suite cannot pay 25 times over.
_long_run = st.one_of(
    st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "z ", "\u200b"]), st.integers(min_value=1, max_value=1_200_000)),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["ab. ", "x\n"]), st.integers(min_value=1, max_value=5_000)),
)
_pieces = st.lists(_hostile_pieces, max_size=20).map("".join)
_text = st.builds(lambda a, run, b: a + run + b, _pieces, st.one_of(st.just(""), _long_run), _pieces)


def _jsonl(draw) -> bytes:
    lines = []
    for kind in draw(st.lists(st.sampled_from(["row", "nested", "truncated", "list", "blank", "bytes"]), max_size=6)):
        if kind == "row":
            row = {"id": draw(st.text(max_size=5)), "text": draw(_text), "title": draw(st.text(max_size=10))}
            lines.append(json.dumps(row, ensure_ascii=draw(st.booleans())).encode())
        elif kind == "nested":
            depth = draw(st.integers(min_value=1, max_value=200_000))
            lines.append(b"[" * depth + b"]" * draw(st.integers(min_value=0, max_value=depth)))
        elif kind == "truncated":
            full = json.dumps({"text": draw(_text)}).encode()
            lines.append(full[: draw(st.integers(min_value=0, max_value=len(full)))])
        elif kind == "list":
            lines.append(b'["not", "an", "object"]')
        elif kind == "blank":
            lines.append(b"   ")
        else:
            lines.append(draw(st.binary(max_size=200)).replace(b"\n", b""))
    return b"\n".join(lines)


@st.composite
def hostile_files(draw) -> dict[str, bytes]:
    files = {}
    for n in range(draw(st.integers(min_value=1, max_value=5))):
        suffix = draw(st.sampled_from(sorted(SUPPORTED_SUFFIXES)))
        kind = draw(st.sampled_from(["text", "bytes", "html"]))
        if suffix == ".jsonl":
            content = _jsonl(draw)
        elif kind == "bytes":
            content = draw(st.binary(max_size=2000))
        elif kind == "html":
            content = ("<html><head><title>" + draw(_text) + "</title><script>var x = '<p>no</p>';</script></head>"
                       "<body><!-- hidden --><article><p>" + draw(_text) + "</p></article></body></html>").encode()
        else:
            content = draw(_text).encode("utf-8", "surrogatepass")
        files[f"f{n}{suffix}"] = content
    return files


def _accounted_for(name: str, content: bytes, articles, skipped) -> bool:
    """A file gave articles, or is named in a skip, or is a .jsonl with nothing but blank lines."""
    if any(a.path == name for a in articles) or any(s.path == name or s.path.startswith(name + ":") for s in skipped):
        return True
    return name.endswith(".jsonl") and not content.decode("utf-8", "replace").strip("\ufeff \t\r\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_files())
def test_any_hostile_corpus_reads_splits_and_indexes_within_bounds(tmp_path_factory, files):
    corpus = tmp_path_factory.mktemp("hostile")
    for name, content in files.items():
        (corpus / name).write_bytes(content)
    unreadable = write_unreadable(corpus)
    (corpus / "locked.txt").write_text("Locked away.", encoding="utf-8")
    os.chmod(corpus / "locked.txt", 0)  # unreadable unless we are root: either way accounted for below

    read = read_corpus(corpus)
    for s in read.skipped:  # every skip names a file of the corpus and says why
        assert s.path.split(":")[0] in {*files, *unreadable, "locked.txt"} and s.reason
    assert {s.path for s in read.skipped} >= set(unreadable)
    for name, content in {**files, "locked.txt": b"Locked away."}.items():
        assert _accounted_for(name, content, read.articles, read.skipped), name

    splitter = PassageSplitter(max_chars=MAX_CHARS)
    texts = []
    for article in read.articles:
        for p in splitter.split(article):
            assert article.text[p.start : p.end] == p.text  # verbatim
            assert 0 < len(p.text) <= MAX_CHARS
            assert all(article.text[s:e] for s, e in p.sentences)
            texts.append(p.text)
    corpus_bytes = sum(len(c) for c in files.values())
    bm25 = BM25.build(texts)
    bm25.save(corpus / "bm25.npz")
    # Postings cost 8 bytes a token (a token and a separator take 2 characters at least), terms their bytes.
    assert (corpus / "bm25.npz").stat().st_size <= 6 * corpus_bytes + 4096
    shutil.rmtree(corpus)


def test_citebot_index_builds_the_corpus_that_took_main_down_within_bounds(tmp_path):
    # The 2 MB one-letter line and the 5 MB single token at full size; the run-on sentence (no full
    # stop) and the Markdown table at a sixth of the issue's, which keeps the embedding time of the
    # suite down (`python -m bench.hostile_corpus` builds them at full size).
    corpus = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    sizes = write_issue_cases(corpus, words_in_sentence=20_000, table_rows=3_500)
    unreadable = write_unreadable(corpus)
    # MiniLM embeds these 7 MB in under a minute, the default multilingual-e5-small in over ten on two cores;
    # what is bounded here (reading, splitting, BM25, the index's size) does not depend on the model, and
    # `python -m bench.hostile_corpus` builds the default's at full size.
    result, _seconds, peak_mb = run_index(corpus, tmp_path / "index", env=FIXTURE_MODEL_ENV)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("indexed 6 articles into ")
    assert sorted(line.split(":")[0] for line in result.stdout.splitlines() if "skipped " in line
                  and not line.startswith("indexed")) == [f"  skipped {n}" for n in unreadable]

    store = Store.load(tmp_path / "index")
    assert set(sizes) <= set(store.articles)
    texts = {name: (corpus / name).read_text(encoding="utf-8") for name in sizes}
    seen = set()
    for passage in store.passages.values():
        if passage.doc in texts:
            assert texts[passage.doc][passage.start : passage.end] == passage.text
            assert len(passage.text) <= MAX_CHARS
            seen.add(passage.doc)
    assert seen == set(sizes)

    corpus_bytes = sum(p.stat().st_size for p in Path(corpus).iterdir() if p.is_file() and not p.is_symlink())
    files = index_bytes(tmp_path / "index")
    assert files["bm25.npz"] <= corpus_bytes
    assert sum(files.values()) <= 4 * corpus_bytes, files
    assert peak_mb < 4000  # main tried to allocate 317 GiB here


def built_from(tmp_path, embedder, files: dict[str, str | bytes]) -> tuple[list[tuple[str, str]], list[str]]:
    """A real build of a corpus of ``files`` (name -> text, or raw bytes): what it skipped, and its article ids."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, content in files.items():
        if isinstance(content, bytes):
            (corpus / name).write_bytes(content)
        else:
            (corpus / name).write_text(content, encoding="utf-8")
    report = IndexBuilder(corpus, tmp_path / "index", embedder).build()
    return [(s.path, s.reason) for s in report.skipped], sorted(Store.load(tmp_path / "index").articles)


GOOD_ROW = '{"id":"a","text":"The summit in Vilnius opened on Tuesday. Leaders discussed support for Ukraine."}\n'
GOOD_FILE = "It rained all day in Chisinau."


def test_a_lone_surrogate_from_a_json_escape_skips_its_row_or_file_by_name_and_the_build_goes_on(tmp_path, embedder):
    # JSON may escape half a surrogate pair ("\ud800"): json.loads gives a str that no UTF-8 writer
    # takes, and the embedder's tokenizer raised on it, ending the whole build.
    skipped, articles = built_from(tmp_path, embedder, {
        "rows.jsonl": GOOD_ROW + '{"id":"b","text":"A broken row \\ud800 with a lone surrogate. It should be skipped."}\n'
                      '{"id":"c","title":"Half \\udc00 a pair","text":"Its title is broken."}\n',
        "note.md": '---\ntitle: "bad \\ud800 title"\n---\n\nA note on the weather.\n',
        "w.txt": GOOD_FILE})
    assert skipped == [
        ("note.md", 'not UTF-8 (a lone surrogate \\ud800 in "title" at character 4)'),
        ("rows.jsonl:2", 'not UTF-8 (a lone surrogate \\ud800 in "text" at character 13)'),
        ("rows.jsonl:3", 'not UTF-8 (a lone surrogate \\udc00 in "title" at character 5)'),
    ]
    assert articles == ["rows.jsonl#a", "w.txt"]


def test_a_nul_character_skips_its_row_or_file_by_name_and_the_build_goes_on(tmp_path, embedder):
    # PostgreSQL text cannot hold NUL, so a "\u0000" escape made every build into a database fail; the text is
    # cited verbatim by offset, so the row is skipped rather than the character dropped. Raw NUL bytes
    # already made a file (or the rest of a .jsonl) "binary".
    skipped, articles = built_from(tmp_path, embedder, {
        "rows.jsonl": GOOD_ROW + '{"id":"b","text":"The council met.\\u0000 It approved the budget."}\n'
                      '{"id":"c","title":"Wire\\u0000story","text":"Its title holds a NUL."}\n'
                      '{"id":"d\\u0000","text":"Its id holds a NUL."}\n',
        "note.md": '---\ntitle: "bad \\u0000 title"\n---\n\nA note on the weather.\n',
        "raw.txt": b"A raw NUL \x00 byte.",
        "w.txt": GOOD_FILE})
    assert skipped == [
        ("note.md", 'a NUL character (\\u0000) in "title" at character 4'),
        ("raw.txt", "binary file"),
        ("rows.jsonl:2", 'a NUL character (\\u0000) in "text" at character 16'),
        ("rows.jsonl:3", 'a NUL character (\\u0000) in "title" at character 4'),
        ("rows.jsonl:4", 'a NUL character (\\u0000) in "id" at character 12'),
    ]
    assert articles == ["rows.jsonl#a", "w.txt"]


def test_a_page_nested_deeper_than_the_html_parser_reads_is_skipped_saying_so_not_that_it_has_no_text(tmp_path, embedder):
    # libxml2 reads elements 255 deep at most and drops what lies deeper: the story of a page wrapped in 300 <div>s was
    # skipped as "no main text found in the HTML", which sent its owner looking for a story that is plainly there
    story = "<p>The ferry Marmara sank near the port of Odesa on Monday after a storm, the harbour master said.</p>" * 3
    page = "<html><head><title>Ferry sinks</title></head><body>{}</body></html>"
    skipped, articles = built_from(tmp_path, embedder, {
        "deep.html": page.format("<div>" * 300 + story + "</div>" * 300),
        "shallow.html": page.format("<div>" * 200 + story + "</div>" * 200),
        "empty.html": page.format("<div>" * 10 + "</div>" * 10),
        "w.txt": GOOD_FILE})
    assert skipped == [
        ("deep.html", "no main text found in the HTML: its elements nest more than 255 deep, and the HTML parser "
                      "reads none deeper"),
        ("empty.html", "no main text found in the HTML"),
    ]
    assert articles == ["shallow.html", "w.txt"]


def test_a_file_named_as_a_jsonl_row_is_skipped_and_the_row_it_shadowed_is_answered(tmp_path):
    from tests.living import citebot

    corpus = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    tunnel = "The harbour tunnel under Tallinn Bay will open to traffic on 14 March 2027, the engineer said."
    (corpus / "dump.jsonl").write_text(json.dumps({"id": "7.txt", "text": tunnel}) + "\n", encoding="utf-8")
    # Its id is the row's, dump.jsonl#7.txt: with two articles of one id, neither was ever answered ("Not found").
    (corpus / "dump.jsonl#7.txt").write_text("The council of Tartu voted on Friday to close the old bridge over the "
                                             "Emajogi river for repairs.\n", encoding="utf-8")
    where = ("--corpus", corpus, "--index", tmp_path / "index")
    built = citebot("index", *where)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ("citebot: warning: skipping dump.jsonl#7.txt: its name reads as a row of dump.jsonl "
                            "(dump.jsonl#ID): rename it\n")
    asked = citebot("ask", "--json", *where, "When will the harbour tunnel under Tallinn Bay open?")
    answer = json.loads(asked.stdout)
    assert (answer["answer"], answer["sources"][0]["doc"]) == (tunnel, "dump.jsonl#7.txt")
