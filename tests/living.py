"""Helpers for the tests of a living corpus: a copy of an indexed corpus per test, and the real `citebot`."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURE_MODEL_ENV, ROOT, SHIPPED_CORPUS

CITEBOT = str(Path(sys.executable).with_name("citebot"))


def indexed_template(root: Path, embedder) -> Path:
    """``root``/corpus (the shipped corpus) and ``root``/index, built once with the real model."""
    from index.build import IndexBuilder

    shutil.copytree(SHIPPED_CORPUS, root / "corpus")
    IndexBuilder(root / "corpus", root / "index", embedder).build()
    return root


def fresh_copy(template: Path, where: Path) -> tuple[Path, Path]:
    """A private (corpus, index) copied from ``template``: tests may add to it freely."""
    shutil.copytree(template, where, symlinks=True)
    return where / "corpus", where / "index"


def citebot(*args, stdin: str | None = None, env: dict | None = None, timeout: float = 300, cwd: Path = ROOT):
    """Run the real ``citebot`` entry point; the finished process (text stdout and stderr)."""
    full_env = dict(os.environ, HF_HUB_OFFLINE="1", **FIXTURE_MODEL_ENV, **(env or {}))
    return subprocess.run([CITEBOT, *map(str, args)], cwd=cwd, env=full_env, input=stdin, capture_output=True,
                          text=True, timeout=timeout)


def files_under(folder: Path) -> set[str]:
    """Every file under ``folder`` (hidden ones too), relative."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def live_build(index: Path) -> str:
    return os.readlink(index / "current")


def read_with_warnings(folder: Path, caplog) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """``folder`` read as the corpus: its articles' ids, each file skipped and why, and the warnings logged."""
    from index.documents import read_corpus

    with caplog.at_level(logging.WARNING, logger="citebot.documents"):
        corpus = read_corpus(folder)
    return [a.id for a in corpus.articles], [(s.path, s.reason) for s in corpus.skipped], caplog.messages
