"""The benchmark scripts as a contributor runs them (bench/)."""

import stat
import subprocess
import sys

from bench.run import ROOT, section_build


def test_the_build_section_runs_again_from_scratch_in_a_folder_an_earlier_keep_run_left(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bridge.txt").write_text("The old bridge over the river was built in 1820.", encoding="utf-8")
    (corpus / "harbour.txt").write_text("Fishing boats leave the harbour at dawn.", encoding="utf-8")
    work = tmp_path / "kept"  # python -m bench.run --keep kept, run twice
    work.mkdir()
    assert section_build(work, 1, report=False, source=corpus) == work / "squad"
    (corpus / "kiln.txt").write_text("Potters fire clay in a kiln.", encoding="utf-8")
    capsys.readouterr()
    assert section_build(work, 1, report=False, source=corpus) == work / "squad"
    assert sorted(p.name for p in (work / "squad-corpus").iterdir()) == ["bridge.txt", "harbour.txt", "kiln.txt"]
    err = capsys.readouterr().err  # every passage embedded: the index of the earlier run was not reused
    assert "bench: built the SQuAD index: indexed 3 articles into 3 passages in " in err
    assert " s (3 passages embedded, 0 skipped)" in err


def test_model_speed_with_no_runs_is_a_usage_error_line_not_a_traceback():
    done = subprocess.run([sys.executable, "-m", "bench.model_speed", "--runs", "0"], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == "python -m bench.model_speed: error: --runs must be at least 1"


def test_the_build_sections_copy_of_read_only_eval_data_is_its_owners_to_append_to_and_remove(tmp_path):
    source = tmp_path / "squad"  # as ../shared/eval/squad/corpus is: r--r--r-- in dr-xr-xr-x
    (source / "deep").mkdir(parents=True)
    for name in ("squad.jsonl", "deep/more.jsonl"):
        (source / name).write_text('{"text": "The old bridge was built in 1820."}\n', encoding="utf-8")
        (source / name).chmod(0o444)
    for folder in (source / "deep", source):
        folder.chmod(0o555)
    work = tmp_path / "work"
    work.mkdir()
    assert section_build(work, 1, report=False, source=source) == work / "squad"
    copy = work / "squad-corpus"
    modes = {p.relative_to(copy).as_posix(): stat.S_IMODE(p.stat().st_mode) & stat.S_IWUSR
             for p in [copy, *copy.rglob("*")]}
    assert modes == {".": stat.S_IWUSR, "deep": stat.S_IWUSR, "squad.jsonl": stat.S_IWUSR,
                     "deep/more.jsonl": stat.S_IWUSR}


def test_a_pg_passages_value_that_is_no_count_is_a_usage_error_before_any_section_runs():
    done = subprocess.run([sys.executable, "-m", "bench.run", "--only", "build,pg", "--pg-passages", "100k"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == ("python -m bench.run: error: argument --pg-passages: passage counts are "
                                            "whole numbers, comma-separated, not '100k'")
