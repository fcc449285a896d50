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


def test_the_installed_wheel_answers_in_a_folder_outside_the_checkout_from_its_own_files(wheel, tmp_path):
    # not the editable install: the wheel's files alone, its answerability weights read as package data
    site, user = tmp_path / "site", tmp_path / "user"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", str(site), str(wheel)]
    assert subprocess.run(pip, capture_output=True, text=True, timeout=300).returncode == 0
    shutil.copytree(SHIPPED_CORPUS, user / "corpus")
    code = f"import sys, bot.cli; assert bot.cli.__file__.startswith({str(site)!r}), bot.cli.__file__; sys.exit(bot.cli.main())"
    env = dict(os.environ, PYTHONPATH=str(site), HF_HUB_OFFLINE="1")
    env.pop("CITEBOT_CORPUS", None), env.pop("CITEBOT_INDEX", None), env.pop("CITEBOT_MODEL", None)
    result = subprocess.run([sys.executable, "-c", code, "ask", "--json", "where is the summit?"], cwd=user, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["found"] and "Vilnius" in answer["answer"]

def test_the_sdist_builds_citebot_and_carries_no_test_files_that_cannot_run_without_the_repository(tree, tmp_path):
    with tarfile.open(build("sdist", tree, tmp_path)) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert not [name for name in names if name.startswith("tests/")]  # test_cli.py without conftest.py, corpus/, …
    assert {"pyproject.toml", "README.md", "bot/cli.py", "bot/answering/answerability.json",
            "bot/answering/answerability-e5.json", "bot/answering/answerability-e5-foreign.json"} <= names
