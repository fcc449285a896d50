import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.build import IndexBuilder, open_index
from index.documents import READER_RULES
from index.errors import CitebotError, IndexNotWritten
from index.faults import STAGES
from index.lexical import TOKEN_RULES
from index.sentences import SENTENCE_RULES
from index.store import FORMAT_VERSION, Store
from tests.conftest import FIXTURE_MODEL_ENV, SHIPPED_CORPUS

CITEBOT = Path(sys.executable).parent / "citebot"


@pytest.fixture()
def built(corpus, tmp_path, embedder):
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    return builder


def test_the_manifest_describes_model_dimension_format_and_every_corpus_file(built):
    manifest = json.loads((built.index_dir / "current" / "manifest.json").read_text())
    assert manifest["format"] == FORMAT_VERSION
    assert manifest["model"] == "all-MiniLM-L6-v2"
    assert manifest["dimension"] == 384
    assert sorted(manifest["files"]) == ["000_021f342df130e0f3.txt", "004_e0449b7e4a93b6e4.txt"]
    stamp = manifest["files"]["000_021f342df130e0f3.txt"]
    assert stamp["size"] == (SHIPPED_CORPUS / "000_021f342df130e0f3.txt").stat().st_size
    assert len(stamp["sha256"]) == 64


def test_status_is_fresh_until_a_file_changes_is_added_or_removed(built, corpus):
    assert built.status() == "fresh"
    os.utime(corpus / "000_021f342df130e0f3.txt")  # touched, same content
    assert built.status() == "fresh"
    (corpus / "new.txt").write_text("The summit ends on Wednesday.", encoding="utf-8")
    assert built.status() == "stale"
    built.build()
    assert built.status() == "fresh"
    (corpus / "new.txt").unlink()
    assert built.status() == "stale"


def test_an_index_read_by_older_reader_rules_reads_every_file_again_once_and_embeds_nothing_it_had(built):
    path = built.index_dir / "current" / "manifest.json"
    manifest = json.loads(path.read_text())
    assert manifest["reader"] == READER_RULES
    path.write_text(json.dumps(dict(manifest, reader=READER_RULES - 1)), encoding="utf-8")  # as an older citebot wrote it
    assert built.status() == "stale"
    report = built.build()
    assert (report.reused_files, report.embedded_passages, report.passages) == (0, 0, manifest["passages"])
    assert json.loads((built.index_dir / "current" / "manifest.json").read_text())["reader"] == READER_RULES
    assert built.status() == "fresh"


@pytest.mark.parametrize("recorded", ["trafilatura 1.12.0", "pypdf 6.0.0", "none, as an older release wrote it"])
def test_an_index_read_by_another_version_of_a_library_reading_files_reads_every_file_again_and_embeds_nothing_it_had(
        corpus, tmp_path, embedder, recorded):
    # A trafilatura upgrade reads the same page otherwise, but an unchanged file's articles were the previous build's:
    # the index kept what the old version had read until a release bumped READER_RULES
    from importlib.metadata import version

    from tests.news_site import STORIES, article_page

    (corpus / "tunnel.html").write_text(article_page(STORIES["tunnel"], "https://news.example.org/world/tunnel"),
                                        encoding="utf-8")
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    builder.build()
    path = builder.index_dir / "current" / "manifest.json"
    manifest = json.loads(path.read_text())
    assert {name: manifest["readers"][name] for name in ("trafilatura", "pypdf", "lxml")} == {
        "trafilatura": version("trafilatura"), "pypdf": version("pypdf"), "lxml": version("lxml")}
    name, _, older = recorded.partition(" ")
    before = ({k: v for k, v in manifest.items() if k != "readers"} if name == "none" else
              dict(manifest, readers=dict(manifest["readers"], **{name: older})))
    path.write_text(json.dumps(before), encoding="utf-8")  # as the build before the upgrade wrote it
    assert builder.status() == "stale" and builder.outdated()
    report = builder.build()
    assert (report.articles, report.reused_files, report.embedded_passages, report.passages) == (
        3, 0, 0, manifest["passages"])
    assert json.loads(path.read_text())["readers"] == manifest["readers"]
    assert builder.status() == "fresh"
    assert builder.build().reused_files == 3


def test_an_index_split_by_older_sentence_rules_splits_every_file_again_and_embeds_nothing_whose_text_it_had(built):
    path = built.index_dir / "current" / "manifest.json"
    manifest = json.loads(path.read_text())
    older = dict(manifest["splitter"], sentence_rules=SENTENCE_RULES - 1)
    path.write_text(json.dumps(dict(manifest, splitter=older)), encoding="utf-8")  # as the release before wrote it
    ids = sorted(Store.load(built.index_dir).passages)
    assert built.status() == "stale" and built.outdated()
    report = built.build()
    assert (report.reused_files, report.embedded_passages, report.passages) == (0, 0, manifest["passages"])
    assert sorted(Store.load(built.index_dir).passages) == ids  # a citation keeps its passage's id
    assert json.loads(path.read_text())["splitter"]["sentence_rules"] == SENTENCE_RULES
    assert built.status() == "fresh"


@pytest.mark.parametrize("segments", ["one build", "a build that adds segments"])
def test_an_index_whose_words_were_counted_by_older_token_rules_counts_them_again_once_and_embeds_nothing(
        corpus, tmp_path, embedder, segments):
    # 5487fa9 read a Turkish İ as i and ı as i (TOKEN_RULES 2): an index built before it kept "kırıkkale" and the
    # words "i", "zmir" of "İzmir", which the question's "kirikkale" and "izmir" no longer found, and stayed "fresh"
    (corpus / "floods.txt").write_text("Floods in the east\n\nBoats from İzmir reached the villages of Kırıkkale.\n",
                                       encoding="utf-8")
    built = IndexBuilder(corpus, tmp_path / "index", embedder, delta_min=1 if segments != "one build" else 100_000)
    built.build()
    path = built.index_dir / "current" / "manifest.json"
    manifest = json.loads(path.read_text())
    assert manifest["token_rules"] == TOKEN_RULES
    path.write_text(json.dumps({k: v for k, v in manifest.items() if k != "token_rules"}), encoding="utf-8")
    assert built.status() == "stale" and built.outdated()
    report = built.build()
    assert (report.embedded_passages, report.passages) == (0, manifest["passages"])
    assert json.loads(path.read_text())["token_rules"] == TOKEN_RULES
    assert built.status() == "fresh"
    bm25 = Store.load(built.index_dir).parts[0].bm25
    assert [len(bm25.top(word, 5)[0]) for word in ("Kırıkkale", "KIRIKKALE", "İzmir", "izmir")] == [1, 1, 1, 1]


@pytest.mark.parametrize("older", ["reader rules", "sentence rules", "trafilatura", "token rules"])
def test_ask_after_an_upgrade_says_every_file_is_read_again_by_the_new_release_and_embeds_nothing_not_that_the_corpus_changed(
        tmp_path, older):
    shutil.copytree(SHIPPED_CORPUS, tmp_path / "corpus")
    assert _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path).returncode == 0
    path = tmp_path / "idx" / "current" / "manifest.json"
    manifest = json.loads(path.read_text())
    before = (dict(manifest, reader=READER_RULES - 1) if older == "reader rules" else
              dict(manifest, readers=dict(manifest["readers"], trafilatura="1.12.0")) if older == "trafilatura" else
              {k: v for k, v in manifest.items() if k != "token_rules"} if older == "token rules" else
              dict(manifest, splitter=dict(manifest["splitter"], sentence_rules=SENTENCE_RULES - 1)))
    path.write_text(json.dumps(before), encoding="utf-8")  # as the release before wrote it
    asked = _citebot("ask", "--corpus", "corpus", "--index", "idx", "where is the summit?", cwd=tmp_path)
    assert asked.returncode == 0, asked.stderr
    assert [re.sub(r"in [0-9.]+ s", "in _ s", line) for line in asked.stderr.splitlines()] == [
        "citebot: the index was built by another release of citebot, or of a library that reads its files "
        "(trafilatura, pypdf…): reading every file again, keeping the vectors of the passages it has…",
        f"citebot: indexed 2 articles into {manifest['passages']} passages in _ s (0 passages embedded)"]
    assert "Vilnius" in asked.stdout


def test_a_missing_index_is_reported_as_missing(tmp_path, corpus, embedder):
    assert IndexBuilder(corpus, tmp_path / "none", embedder).status() == "missing"
    with pytest.raises(CitebotError, match="no index at .*none; build one with `citebot index`"):
        Store.load(tmp_path / "none")


def test_loading_refuses_an_index_built_with_another_model(built):
    with pytest.raises(CitebotError) as err:
        Store.load(built.index_dir, model="multilingual-e5-small")
    assert str(err.value) == (
        f"index at {built.index_dir} was built with model 'all-MiniLM-L6-v2', not 'multilingual-e5-small'; "
        f"rebuild it with `citebot index --model multilingual-e5-small --index {built.index_dir}` or keep it with "
        "`--model all-MiniLM-L6-v2`"
    )


# an index folder, and what a command that rebuilds it adds: nothing for the default, else its --index (a build
# folder's index for a build folder)
INDEX_FOLDERS = [(".citebot", ""), (".citebot-minilm", " --index .citebot-minilm"), ("my index", " --index 'my index'"),
                 ("/srv/citebot/builds/20261206-0400-1", " --index /srv/citebot")]


@pytest.mark.parametrize("index_dir, where", INDEX_FOLDERS)
def test_the_rebuild_hint_for_another_model_names_the_index_folder_unless_it_is_the_default(index_dir, where):
    command = f"citebot index --model multilingual-e5-small{where}"
    # README's `--model all-MiniLM-L6-v2 --index .citebot-minilm`, then asked without --model, said to run
    # `citebot index --model multilingual-e5-small`, which rebuilt ./.citebot and left the refused index as it was.
    # A running bot's refusal names the build folder it loaded: the command rebuilds the index that holds it.
    with pytest.raises(CitebotError) as err:
        Store.check_manifest({"format": FORMAT_VERSION, "model": "all-MiniLM-L6-v2"}, Path(index_dir),
                             "multilingual-e5-small")
    assert str(err.value) == (f"index at {index_dir} was built with model 'all-MiniLM-L6-v2', not "
                              f"'multilingual-e5-small'; rebuild it with `{command}` or keep it with "
                              "`--model all-MiniLM-L6-v2`")


def test_the_rebuild_hint_quotes_a_model_folder_whose_name_has_a_space(tmp_path, monkeypatch):
    # `citebot ask --model "my model"` over an index of "old model" was told to run `citebot index --model my model
    # --index idx` ("unrecognized arguments: model") or to keep it with `--model old model`
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my model").mkdir()
    with pytest.raises(CitebotError) as err:
        Store.check_manifest({"format": FORMAT_VERSION, "model": "old model"}, Path("idx"), "my model")
    assert str(err.value) == ("index at idx was built with model 'old model', not 'my model'; rebuild it with "
                              "`citebot index --model 'my model' --index idx` or keep it with `--model 'old model'`")


@pytest.mark.parametrize("index_dir, where", INDEX_FOLDERS)
def test_the_rebuild_hint_for_a_damaged_index_names_the_index_folder_unless_it_is_the_default(index_dir, where):
    command = f"citebot index{where}"
    # It said `citebot index` alone, which rebuilt ./.citebot and left the damaged index as it was
    with pytest.raises(CitebotError) as err:
        Store.check_manifest({"format": FORMAT_VERSION + 1}, Path(index_dir), None)
    assert str(err.value) == (f"index at {index_dir} has format {FORMAT_VERSION + 1}, this citebot reads format "
                              f"{FORMAT_VERSION}; rebuild it with `{command}`")


def test_loading_refuses_another_format_version(built):
    path = built.index_dir / "current" / "manifest.json"
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps(dict(manifest, format=FORMAT_VERSION + 1)))
    with pytest.raises(CitebotError) as err:
        Store.load(built.index_dir)
    assert str(err.value) == (
        f"index at {built.index_dir} has format {FORMAT_VERSION + 1}, this citebot reads format {FORMAT_VERSION}; "
        f"rebuild it with `citebot index --index {built.index_dir}`"
    )


@pytest.mark.parametrize("victim", ["faiss.index", "tables.npz", "passage_vectors.npy", "manifest.json"])
def test_a_corrupt_index_is_refused_with_how_to_rebuild(built, victim):
    (built.index_dir / "current" / victim).write_bytes(b"garbage")
    with pytest.raises(CitebotError, match=r"index at (.*) is corrupt \(.*\); rebuild it with `citebot index --index \1`$"):
        Store.load(built.index_dir)


def test_a_manifest_that_is_not_a_json_object_is_refused_as_corrupt(built):
    (built.index_dir / "current" / "manifest.json").write_text("[]", encoding="utf-8")
    with pytest.raises(CitebotError) as err:
        Store.load(built.index_dir)
    assert str(err.value) == (f"index at {built.index_dir} is corrupt (manifest unreadable: a JSON list, not an object); "
                              f"rebuild it with `citebot index --index {built.index_dir}`")


def test_a_table_cut_short_is_refused_when_loading_and_a_rebuild_replaces_it(built):
    victim = "sentence_vectors.npy"  # read a row at a time, it was first found short by a question
    path = built.index_dir / "current" / victim
    path.write_bytes(path.read_bytes()[:5000])  # its header intact, most rows gone
    with pytest.raises(CitebotError) as err:
        Store.load(built.index_dir)
    assert str(err.value).startswith(f"index at {built.index_dir} is corrupt (ValueError: {victim} holds 5000 bytes, "
                                     "its header needs ")
    built.build()
    store = Store.load(built.index_dir)
    assert all(store.sentence_vector(p.doc, *span).shape == (384,) for p in store.passages.values() for span in p.sentences)


def test_zero_usable_articles_is_a_clear_error(tmp_path, embedder):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(CitebotError, match=r"no usable articles in .*c \(1 skipped\)"):
        IndexBuilder(tmp_path / "c", tmp_path / "i", embedder).build()


def test_a_corpus_with_no_usable_article_is_told_every_kind_of_file_that_is_read(tmp_path, embedder):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "report.odt").write_bytes(b"PK\x03\x04")
    with pytest.raises(CitebotError) as told:
        IndexBuilder(tmp_path / "c", tmp_path / "i", embedder).build()
    assert str(told.value) == (f"no usable articles in {tmp_path / 'c'} (1 skipped); "
                               "add .txt, .md, .html, .mhtml, .pdf, .docx or .jsonl files")


def test_open_index_builds_when_missing_and_rebuilds_when_stale(corpus, tmp_path, embedder):
    events = []
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    store = open_index(builder, on_build=events.append)
    assert events[0] == "missing" and events[1].articles == 2
    events.clear()
    open_index(builder, on_build=events.append)
    assert events == []
    (corpus / "more.md").write_text("The Vilnius summit ends on 12 July.", encoding="utf-8")
    store = open_index(builder, on_build=events.append)
    assert events[0] == "stale"
    assert events[1].articles == 3 and events[1].embedded_passages == 1
    assert "more.md" in store.articles


def test_only_the_live_build_is_kept_after_rebuilds(built, corpus):
    (corpus / "more.md").write_text("One more article.", encoding="utf-8")
    built.build()
    built.build()
    assert [p.name for p in (built.index_dir / "builds").iterdir()] == [(built.index_dir / "current").resolve().name]


def _answers_vilnius(index_dir, embedder):
    from bot.answer import AnswerEngine
    from index.search import Searcher

    store = Store.load(index_dir, model=embedder.model)
    answer = AnswerEngine(Searcher(store, embedder)).ask("where is the summit?")
    return answer.found and "Vilnius" in " ".join(s.passage for s in answer.sources)


@pytest.mark.parametrize("stage", STAGES)
def test_a_build_killed_at_any_stage_leaves_the_previous_index_answering(built, corpus, embedder, stage):
    (corpus / "extra.txt").write_text("The Vilnius summit ends on 12 July with a joint statement.", encoding="utf-8")
    env = dict(os.environ, HF_HUB_OFFLINE="1", CITEBOT_PAUSE_AT=stage)
    proc = subprocess.Popen([str(CITEBOT), "index", "--corpus", str(corpus), "--index", str(built.index_dir)],
                            env=env, stderr=subprocess.PIPE, text=True)
    try:
        # The build announces the moment itself (index/faults.py), so no timing is guessed.
        for line in proc.stderr:
            if line.strip() == f"citebot: paused at {stage}":
                break
        else:
            pytest.fail(f"the build ended without reaching {stage!r} (exit {proc.wait()})")
    finally:
        proc.kill()
        proc.wait()
        proc.stderr.close()
    assert _answers_vilnius(built.index_dir, embedder)
    assert Store.load(built.index_dir).manifest["articles"] == 2
    report = built.build()  # the next build cleans up what the killed one left
    assert report.articles == 3
    assert [p.name for p in (built.index_dir / "builds").iterdir()] == [report.folder.name]



def _citebot(*args, cwd, write_limit=None):
    """``citebot ARGS``; with ``write_limit``, every file write stops at that many bytes (RLIMIT_FSIZE: EFBIG,
    where a full disk gives ENOSPC, at the same place)."""
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("CITEBOT_MODEL", None)
    limit = resource.RLIM_INFINITY if write_limit is None else write_limit
    return subprocess.run([str(CITEBOT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))


@pytest.mark.parametrize("victim", ["passage_vectors.npy", "faiss.index"])  # numpy's write, then FAISS's
def test_a_build_that_cannot_write_its_files_says_why_in_one_line_and_the_previous_index_stays(tmp_path, victim):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(10):  # one sentence each: the FAISS file is the biggest, written after the vector tables
        (corpus / f"a{i}.txt").write_text(f"Summit number {i} met in city number {i}.", encoding="utf-8")
    assert _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path).returncode == 0
    (corpus / "new.txt").write_text("The Vilnius summit ends on 12 July.", encoding="utf-8")
    shutil.copytree(corpus, tmp_path / "probe")  # the new build's file sizes, to stop just short of the victim's
    assert _citebot("index", "--corpus", "probe", "--index", "probe-idx", cwd=tmp_path).returncode == 0
    sizes = {p.name: p.stat().st_size for p in (tmp_path / "probe-idx" / "current").iterdir()}
    written_first = ["tables.npz", "passage_ids.npy", "passage_vectors.npy", "sentence_vectors.npy", "faiss.index"]
    assert all(sizes[name] < sizes[victim] for name in written_first[: written_first.index(victim)])
    live = (tmp_path / "idx" / "current").resolve()

    result = _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path, write_limit=sizes[victim] - 1)

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("citebot: error: cannot write the index at idx: File too large; "
                             "the previous build still answers\n")
    assert [p.name for p in (tmp_path / "idx" / "builds").iterdir()] == [live.name]  # the half-written one removed
    assert (tmp_path / "idx" / "current").resolve() == live and Store.load(tmp_path / "idx").manifest["articles"] == 10
    again = _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout.startswith("indexed 11 articles into 11 passages")


def _unprivileged() -> list[str]:
    """A command prefix under which a chmod 000 folder cannot be read: nothing for a user; for root (whose
    capabilities read anything), setpriv without them."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root reads any folder, and setpriv (util-linux) is not here to drop that")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_a_folder_that_cannot_be_read_is_skipped_by_name_and_an_unreadable_corpus_is_one_error(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    (corpus / "locked" / "inner").mkdir(parents=True)
    (corpus / "locked" / "more.txt").write_text("The summit ends on 12 July.", encoding="utf-8")
    (corpus / "locked").chmod(0)
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("CITEBOT_MODEL", None)
    command = [*_unprivileged(), str(CITEBOT), "index", "--corpus", "corpus", "--index", "idx"]
    try:
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[1:] == ["  skipped locked: folder not read: Permission denied"]
        assert result.stderr == "citebot: warning: skipping locked: folder not read: Permission denied\n"
        corpus.chmod(0)
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == "citebot: error: cannot read the corpus folder corpus: Permission denied\n"
    finally:
        corpus.chmod(0o755)
        (corpus / "locked").chmod(0o755)


def test_a_skipped_file_named_with_a_newline_or_an_escape_is_one_line_of_the_report_and_of_the_warnings(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    (corpus / "two\nlines.txt").write_text("", encoding="utf-8")
    (corpus / "clear\x1b[2J.txt").write_text("", encoding="utf-8")
    rows = [{"id": "a\nb", "text": "The summit met in Vilnius."}, {"id": "a\nb", "text": "The summit ended."}]
    (corpus / "rows.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")

    result = _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["  skipped clear\ufffd[2J.txt: empty file",
                                              '  skipped rows.jsonl:2: duplicate id "a\ufffdb"',
                                              "  skipped two\ufffdlines.txt: empty file"]
    assert result.stderr.splitlines() == ["citebot: warning: skipping clear\ufffd[2J.txt: empty file",
                                          'citebot: warning: skipping rows.jsonl:2: duplicate id "a\ufffdb"',
                                          "citebot: warning: skipping two\ufffdlines.txt: empty file"]


def test_a_skipped_file_named_with_a_direction_override_is_reported_with_a_replacement_character_in_its_place(
        tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "summit.txt").write_text("The summit met in Vilnius.", encoding="utf-8")
    (corpus / "report\u202etxt.md").write_text("", encoding="utf-8")  # shown as "reportdm.txt", reversed after it

    result = _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["  skipped report\ufffdtxt.md: empty file"]
    assert result.stderr.splitlines() == ["citebot: warning: skipping report\ufffdtxt.md: empty file"]


def test_ask_answers_from_the_previous_build_when_the_update_cannot_be_written(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    assert _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path).returncode == 0
    (corpus / "new.txt").write_text("The Riga summit ends on 3 June.", encoding="utf-8")
    ask = ("ask", "--corpus", "corpus", "where is the summit?")

    result = _citebot(*ask, "--index", "idx", cwd=tmp_path, write_limit=1000)  # as a full disk stops it

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "citebot: the corpus changed: updating the index…",
        "citebot: warning: cannot write the index at idx: File too large; the previous build still answers, "
        "without the corpus's latest changes"]
    assert "Vilnius" in result.stdout and "Riga" not in result.stdout
    result = _citebot(*ask, "--index", "none", cwd=tmp_path, write_limit=1000)  # no previous build to answer from
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == ["citebot: no index yet: building it from the corpus…",
                                          "citebot: error: cannot write the index at none: File too large"]


@pytest.mark.parametrize("field, value, reason", [
    ("files", {"000_021f342df130e0f3.txt": "x"}, 'manifest unreadable: "files" is not a table of file stamps'),
    ("segments", [], "its manifest lists no segments"),
])
def test_a_manifest_of_malformed_fields_is_refused_as_corrupt_and_the_next_build_replaces_it(built, field, value, reason):
    path = built.index_dir / "current" / "manifest.json"
    path.write_text(json.dumps(dict(json.loads(path.read_text(encoding="utf-8")), **{field: value})), encoding="utf-8")
    with pytest.raises(CitebotError) as err:
        open_index(built)
    assert str(err.value) == (f"index at {built.index_dir} is corrupt ({reason}); "
                              f"rebuild it with `citebot index --corpus {built.corpus_dir} --index {built.index_dir}`")
    assert built.build().articles == 2
    assert built.status() == "fresh" and len(open_index(built).passages) > 0


def test_an_index_copied_with_its_link_followed_is_built_over_and_keeps_one_build(built, corpus):
    current = built.index_dir / "current"
    live = current.resolve()
    current.unlink()
    shutil.copytree(live, current)  # as cp -rL or scp -r copy an index: the live build as a folder named current
    shutil.rmtree(live)
    assert Store.load(built.index_dir).manifest["articles"] == 2
    (corpus / "more.md").write_text("The Vilnius summit ends on 12 July.", encoding="utf-8")

    report = built.build()

    assert current.is_symlink() and current.resolve() == report.folder
    assert [p.name for p in (built.index_dir / "builds").iterdir()] == [report.folder.name]
    assert sorted(p.name for p in built.index_dir.iterdir()) == [".lock", "builds", "current"]
    assert Store.load(built.index_dir).manifest["articles"] == 3 and built.status() == "fresh"


def test_a_build_that_fails_after_its_folder_is_named_removes_that_folder(built, corpus):
    live = (built.index_dir / "current").resolve()
    (corpus / "more.md").write_text("The Vilnius summit ends on 12 July.", encoding="utf-8")
    blocker = built.index_dir / f"current.tmp-{os.getpid()}"  # where the new link is made: a folder fails it
    blocker.mkdir()
    (blocker / "x").touch()
    with pytest.raises(CitebotError) as err:
        built.build()
    assert str(err.value) == f"cannot write the index at {built.index_dir}: Is a directory; the previous build still answers"
    assert [p.name for p in (built.index_dir / "builds").iterdir()] == [live.name]
    assert (built.index_dir / "current").resolve() == live


@pytest.mark.parametrize("damaged", ["manifest.json", "passage_vectors.npy"])
def test_the_rebuild_command_a_damaged_index_of_another_corpus_folder_is_refused_with_works_as_written(
        tmp_path, damaged):
    # Built with `--corpus articles`, then damaged, it was refused with `citebot index --index idx`: run as written
    # that answered "corpus folder not found: corpus" (6048171 named the corpus for another model's index only).
    (tmp_path / "articles").mkdir()
    summit = "The NATO summit will be held in Vilnius in July."
    (tmp_path / "articles" / "summit.txt").write_text(summit, encoding="utf-8")
    where = ("--corpus", "articles", "--index", "idx")
    assert _citebot("index", *where, cwd=tmp_path).returncode == 0
    broken = next((tmp_path / "idx" / "current").resolve().rglob(damaged))
    broken.write_bytes(b"{")
    asked = _citebot("ask", *where, "Where is the summit?", cwd=tmp_path)
    assert asked.returncode == 1
    assert asked.stderr.endswith("; rebuild it with `citebot index --corpus articles --index idx`\n"), asked.stderr
    rebuilt = _citebot(*shlex.split(asked.stderr.split("`")[1])[1:], cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Vilnius in July" in _citebot("ask", *where, "Where is the summit?", cwd=tmp_path).stdout


def test_a_passage_whose_stored_text_changed_on_disk_is_one_error_line_and_the_next_build_replaces_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "summit.txt").write_text("The NATO summit will be held in Vilnius in July.", encoding="utf-8")
    assert _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path).returncode == 0
    tables = (tmp_path / "idx" / "current" / "tables.npz").resolve()
    data = tables.read_bytes()
    tables.write_bytes(data.replace(b"Vilnius in July", b"Vilnius in \xffuly"))  # one byte, as a bad disk flips it

    asked = _citebot("ask", "--corpus", "corpus", "--index", "idx", "Where is the summit?", cwd=tmp_path)
    assert (asked.returncode, asked.stdout) == (1, "")
    # It said `citebot index` alone, which rebuilt ./.citebot and left idx as damaged as it was
    assert asked.stderr == (f"citebot: error: index file {tables} is corrupt (passage row 0's text is not UTF-8); "
                            "rebuild it with `citebot index --index idx`\n")
    rebuilt = _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    # what it met, without "rebuild it with `citebot index …`": that is the command saying it, rebuilding it
    assert rebuilt.stderr == (f"citebot: warning: not reusing the previous index: index file {tables} is corrupt "
                              "(passage row 0's text is not UTF-8)\n")
    assert "Vilnius in July" in _citebot("ask", "--corpus", "corpus", "--index", "idx", "Where is the summit?",
                                         cwd=tmp_path).stdout


def test_citebot_index_over_an_unreadable_manifest_warns_what_it_met_and_not_to_run_itself_and_rebuilds(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "summit.txt").write_text("The NATO summit will be held in Vilnius in July.", encoding="utf-8")
    assert _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path).returncode == 0
    (tmp_path / "idx" / "current" / "manifest.json").resolve().write_text("garbage\n", encoding="utf-8")

    asked = _citebot("ask", "--corpus", "corpus", "--index", "idx", "Where is the summit?", cwd=tmp_path)
    assert (asked.returncode, asked.stderr) == (1, "citebot: error: index at idx is corrupt (manifest unreadable: "
                                                "Expecting value: line 1 column 1 (char 0)); rebuild it with "
                                                "`citebot index --index idx`\n")
    rebuilt = _citebot("index", "--corpus", "corpus", "--index", "idx", cwd=tmp_path)
    assert (rebuilt.returncode, rebuilt.stderr) == (0, "citebot: warning: not reusing the previous index: index at idx "
                                                    "is corrupt (manifest unreadable: Expecting value: line 1 column 1 "
                                                    "(char 0))\n")
    assert "Vilnius in July" in _citebot("ask", "--corpus", "corpus", "--index", "idx", "Where is the summit?",
                                         cwd=tmp_path).stdout


def test_an_index_folder_that_is_the_corpus_folder_is_one_error_line_and_nothing_is_written_there(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The summit met in Vilnius.", encoding="utf-8")

    result = _citebot("index", "--corpus", "corpus", "--index", "corpus/", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("citebot: error: cannot use index folder corpus: it is the corpus folder; give the index "
                             "a folder of its own (--index or CITEBOT_INDEX)\n")
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"]


def test_an_index_folder_that_holds_the_corpus_folder_among_other_files_as_slash_does_is_refused_untouched(
        tmp_path, embedder):
    corpus = tmp_path / "news" / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text("The summit met in Vilnius.", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not the index's", encoding="utf-8")

    with pytest.raises(CitebotError) as refused:
        IndexBuilder(corpus, tmp_path, embedder).build()

    assert str(refused.value) == (f"cannot use index folder {tmp_path}: it holds the corpus folder {corpus} among other "
                                  "files; give the index a folder of its own (--index or CITEBOT_INDEX)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news", "notes.txt"]


def test_an_index_folder_holding_only_the_corpus_folder_as_a_deployment_s_data_folder_may_is_built(tmp_path, embedder):
    corpus = tmp_path / "data" / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text("The summit met in Vilnius.", encoding="utf-8")

    IndexBuilder(corpus, tmp_path / "data", embedder).build()

    assert list(Store.load(tmp_path / "data").manifest["files"]) == ["a.txt"]


@pytest.mark.parametrize("victim, why", [
    ("tokenizer.json", "key must be a string at line 1 column 2"),
    ("model.onnx", "[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : Load model from {build}/model.onnx failed:Protobuf "
                   "parsing failed."),
    ("embedder.json", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
])
def test_an_unreadable_file_of_the_builds_onnx_embedder_is_one_error_line_and_citebot_index_repairs_it(
        tmp_path, victim, why):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The summit met in Vilnius in July.", encoding="utf-8")
    model = ("--model", FIXTURE_MODEL_ENV["CITEBOT_MODEL"])
    assert _citebot("index", "--corpus", "corpus", "--index", "idx", *model, cwd=tmp_path).returncode == 0
    build = (tmp_path / "idx" / "current").resolve()
    (build / victim).unlink()  # a new file: the copy this machine caches (hard-linked) stays whole
    (build / victim).write_text("{oops", encoding="utf-8")
    ask = ("ask", "--corpus", "corpus", "--index", "idx", *model, "where did the summit meet?")

    result = _citebot(*ask, cwd=tmp_path)

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"citebot: error: index at idx is corrupt (its onnx embedder's {victim} cannot be read: "
                             f"{why.format(build=build)}); rebuild it with `citebot index --index idx`\n")
    assert _citebot("index", "--corpus", "corpus", "--index", "idx", *model, cwd=tmp_path).returncode == 0
    result = _citebot(*ask, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert "Vilnius" in result.stdout


@pytest.mark.parametrize("victim, damage, why", [
    ("tables.npz", "garbage", "tables.npz: BadZipFile: File is not a zip file"),
    ("bm25.npz", "garbage", "bm25.npz: BadZipFile: File is not a zip file"),
    ("passage_vectors.npy", "garbage", "passage_vectors.npy: not a .npy table"),
    ("passage_vectors.npy", "cut", "passage_vectors.npy: ValueError: mmap length is greater than file size"),
    ("sentence_vectors.npy", "garbage", "sentence_vectors.npy: not a .npy table"),
    ("bm25.npz", "gone", "bm25.npz is missing"),
    ("sentence_vectors.npy", "gone", "sentence_vectors.npy is missing"),
])
def test_a_damaged_file_of_the_index_is_named_in_the_one_line_that_refuses_it(built, victim, damage, why):
    path = built.index_dir / "current" / victim
    if damage == "garbage":
        path.write_bytes(b"garbage")
    elif damage == "cut":
        path.write_bytes(path.read_bytes()[:200])
    else:
        path.unlink()
    with pytest.raises(CitebotError) as err:
        Store.load(built.index_dir)
    assert str(err.value) == (f"index at {built.index_dir} is corrupt ({why}); "
                              f"rebuild it with `citebot index --index {built.index_dir}`")


@pytest.mark.parametrize("ours_name, index_name, command", [
    ("ours", "index", "citebot index --corpus {ours} --index {index}"),
    # it said `citebot index --corpus /…/our articles --index /…/the index`: run as written, "unrecognized arguments"
    ("our articles", "the index", "citebot index --corpus '{ours}' --index '{index}'"),
])
def test_an_index_of_another_corpus_folder_is_refused_by_ask_not_rebuilt_and_citebot_index_replaces_it(
        ours_name, index_name, command, tmp_path, embedder):
    ours, theirs, index = tmp_path / ours_name, tmp_path / "theirs", tmp_path / index_name
    ours.mkdir(), theirs.mkdir()
    (ours / "summit.txt").write_text("The summit met in Vilnius.", encoding="utf-8")
    (theirs / "tram.txt").write_text("The tram line opens in June.", encoding="utf-8")
    IndexBuilder(theirs, index, embedder).build()

    with pytest.raises(CitebotError) as refused:
        open_index(IndexBuilder(ours, index, embedder))

    assert str(refused.value) == (
        f"index at {index} was built from another corpus folder ({theirs}), which has none of {ours}'s files; give "
        f"--index the index of {ours}, or replace this one with `{command.format(ours=ours, index=index)}`")
    assert list(Store.load(index).manifest["files"]) == ["tram.txt"]
    IndexBuilder(ours, index, embedder).build()
    assert list(open_index(IndexBuilder(ours, index, embedder)).manifest["files"]) == ["summit.txt"]


def test_an_index_whose_corpus_folder_was_moved_or_copied_is_updated_as_its_corpus_changes(tmp_path, embedder):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "summit.txt").write_text("The summit met in Vilnius.", encoding="utf-8")
    IndexBuilder(corpus, index, embedder).build()
    moved = corpus.rename(tmp_path / "moved")
    (moved / "tram.txt").write_text("The tram line opens in June.", encoding="utf-8")

    store = open_index(IndexBuilder(moved, index, embedder))

    assert sorted(store.manifest["files"]) == ["summit.txt", "tram.txt"]


def test_ask_answers_from_the_previous_build_when_the_index_folder_became_read_only(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The summit met in Vilnius in July.", encoding="utf-8")
    model = ("--model", FIXTURE_MODEL_ENV["CITEBOT_MODEL"])
    assert _citebot("index", "--corpus", "corpus", "--index", "idx", *model, cwd=tmp_path).returncode == 0
    (corpus / "new.txt").write_text("The Riga summit ends on 3 June.", encoding="utf-8")
    # made immutable (root, as the tests run in CI, writes through a mode of 0o555)
    if subprocess.run(["chattr", "+i", str(index)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not possible here")
    try:
        ask = _citebot("ask", "--corpus", "corpus", "--index", "idx", *model, "where did the summit meet?", cwd=tmp_path)
        build = _citebot("index", "--corpus", "corpus", "--index", "idx", *model, cwd=tmp_path)
    finally:
        subprocess.run(["chattr", "-i", str(index)], check=True)

    assert ask.returncode == 0, ask.stderr
    assert ask.stderr.splitlines() == [
        "citebot: the corpus changed: updating the index…",
        "citebot: warning: cannot write the index at idx: Operation not permitted; the previous build still answers, "
        "without the corpus's latest changes"]
    assert "Vilnius" in ask.stdout
    assert (build.returncode, build.stderr) == (
        1, "citebot: error: cannot write the index at idx: Operation not permitted; the previous build still answers\n")


def test_an_index_folder_that_is_one_build_of_an_index_is_read_but_never_built_into(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The summit met in Vilnius in July.", encoding="utf-8")
    model = ("--model", FIXTURE_MODEL_ENV["CITEBOT_MODEL"])
    assert _citebot("index", "--corpus", "corpus", "--index", "idx", *model, cwd=tmp_path).returncode == 0
    build = sorted((tmp_path / "idx" / "current").resolve().iterdir())
    (corpus / "new.txt").write_text("The Riga summit ends on 3 June.", encoding="utf-8")

    ask = _citebot("ask", "--corpus", "corpus", "--index", "idx/current", *model, "where did the summit meet?",
                   cwd=tmp_path)
    update = _citebot("index", "--corpus", "corpus", "--index", "idx/current", *model, cwd=tmp_path)

    assert ask.returncode == 0, ask.stderr
    assert ask.stderr.splitlines() == [
        "citebot: the corpus changed: updating the index…",
        "citebot: warning: cannot update idx/current: it is one build of the index at idx, which builds go to (give "
        "--index idx); it still answers, without the corpus's latest changes"]
    assert "Vilnius" in ask.stdout
    assert (update.returncode, update.stderr) == (1, "citebot: error: cannot update idx/current: it is one build of the "
                                                     "index at idx, which builds go to (give --index idx); it still answers\n")
    assert sorted((tmp_path / "idx" / "current").resolve().iterdir()) == build


def test_an_index_folder_inside_another_index_s_builds_is_refused_and_that_index_stays_whole(tmp_path, embedder):
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The summit met in Vilnius in July.", encoding="utf-8")
    IndexBuilder(corpus, index, embedder).build()
    before = sorted(p.name for p in (index / "builds").iterdir())

    with pytest.raises(CitebotError) as refused:
        open_index(IndexBuilder(corpus, index / "builds", embedder))

    assert str(refused.value) == (f"cannot use index folder {index / 'builds'}: it is inside the index at {index} "
                                  f"(give --index {index})")
    assert sorted(p.name for p in (index / "builds").iterdir()) == before


def test_a_build_that_may_wait_for_another_a_few_seconds_gives_up_after_them_naming_the_process_and_the_way_out(
        built, corpus, caplog):
    # A build waited for another for as long as that one held the index's lock: for good behind one that never ends
    # (its process stopped with Ctrl-Z), and a cron job's builds piled up behind it.
    import fcntl
    import logging

    (corpus / "fund.txt").write_text("Leaders agreed on a new fund for air defence called Skyshield.\n")
    idx = built.index_dir
    caplog.set_level(logging.WARNING, logger="citebot.build")
    with (idx / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another build holds the index throughout: the builder gives up by itself
        built.wait = 0.5
        with pytest.raises(IndexNotWritten) as caught:
            built.build()
        assert str(caught.value) == (
            f"cannot write the index at {idx}: another build (process {os.getpid()}) still held its lock after the "
            "0.5 s this build waits for it (--wait, CITEBOT_BUILD_WAIT); if that build is stuck, end it "
            f"(kill {os.getpid()}) and build again; the previous build still answers")
        assert [r.getMessage() for r in caplog.records] == [
            f"another build of {idx} is running: waiting at most 0.5 s for it to finish"]
        built.wait = 0
        with pytest.raises(IndexNotWritten) as caught:
            built.build()
        assert str(caught.value).startswith(f"cannot write the index at {idx}: another build (process {os.getpid()}) "
                                            "holds its lock, and this build does not wait for it (--wait, "
                                            "CITEBOT_BUILD_WAIT: 0); if that build is stuck")
        assert built.status() == "stale"
    assert built.build().articles == 3
