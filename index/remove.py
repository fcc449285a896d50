"""Remove an article from the corpus folder: named by its id, the link it was added from, or its file's name.

>>> removed = remove(ArticleAdder(Path("corpus")), "https://news.example.org/2026/11/20/summit")  # doctest: +SKIP
>>> removed.title, removed.date, removed.id                                                      # doctest: +SKIP
('Summit opens in Vilnius', '2026-11-20', 'news.example.org/2026-11-20-summit-opens-in-vilnius-3f2a9c.md')
"""

from __future__ import annotations

import os
import re
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from index.add import AddError, ArticleAdder, canonical
from index.documents import Skipped, corpus_paths
from index.errors import CitebotError


class RemoveError(CitebotError):
    """Why ``what`` could not be removed, in one line."""


@dataclass(frozen=True)
class Removed:
    """One article taken out of the corpus folder: its file deleted."""

    id: str
    title: str
    date: str | None
    skipped: Skipped | None = None  # why every build left the file out, for a file that held no article


def remove(adder: ArticleAdder, target: str) -> Removed:
    """Delete the corpus file of the one article ``target`` names (RemoveError says why not); the index is not touched:
    the next build (an incremental one) drops its passages."""
    try:
        with adder._lock(target):  # an add of the same story meanwhile would find it there, then see it gone
            return _remove(adder, target)
    except AddError as exc:  # the lock file cannot be made: a read-only corpus folder
        raise RemoveError(exc.reason, key=exc.key, **exc.values) from None


def _remove(adder: ArticleAdder, target: str) -> Removed:
    target = target.strip()
    try:
        seen = _named(adder, target)
    except RemoveError as exc:
        skipped = _skipped(adder, target) if exc.key == "not_in_corpus" else None
        if skipped is None:
            raise
        # the file the build skips goes as an article's file goes: an admin in a chat has no other way to delete it
        rel, why = skipped
        _delete(adder, rel, rel, target)
        return Removed(rel, rel, None, skipped=why)
    articles, _ = adder._read(adder.corpus_dir / seen.file)
    article = next((a for a in articles if a.id == seen.id), None)
    _delete(adder, seen.file, seen.id, target)
    title = article.title if article is not None else seen.title
    return Removed(seen.id, title, article.date if article is not None else None)


def _delete(adder: ArticleAdder, file: str, id: str, target: str) -> None:
    """Delete the corpus file ``file`` (and its site's folder, if that empties)."""
    try:
        os.unlink(adder.corpus_dir / file)
    except FileNotFoundError:  # another process removed it between the look and now
        raise RemoveError(f"no article {target} in the corpus", key="not_in_corpus", what=target) from None
    except OSError as exc:
        raise RemoveError(f"cannot remove {id} from the corpus folder {adder.corpus_dir}: "
                          f"{exc.strerror or exc}", key="cannot_delete", id=id, folder=adder.corpus_dir,
                          why=exc) from None
    folder = (adder.corpus_dir / file).parent
    if folder != adder.corpus_dir:
        with suppress(OSError):  # a site's folder emptied goes too; one holding anything else stays
            folder.rmdir()


def _skipped(adder: ArticleAdder, target: str) -> tuple[str, Skipped] | None:
    """``target`` as a corpus file the build skips, holding no article (``report.html``: no main text found), and
    the build's reason; None for anything else."""
    rel = _in_corpus(adder.corpus_dir, target)
    if rel is None and not os.path.isabs(target):
        rel = os.path.normpath(target).replace(os.sep, "/")
    parts = rel.split("/") if rel else []
    if not parts or parts[0] in ("", ".", "..") or any(part.startswith(".") for part in parts):
        return None  # outside the corpus folder, or a hidden file the build never reads
    # Only a file the build reads: read here, an image or a video passed over without a word was "skipped" (a binary
    # file, over the size limit) and deleted
    path = corpus_paths(adder.corpus_dir).get(rel)
    if path is None:
        return None
    articles, skipped = adder._read(path)
    return (rel, skipped[0]) if skipped and not articles else None


def _named(adder: ArticleAdder, target: str):
    """The article ``target`` names: an id, a link (the address it was fetched from or its canonical URL), a corpus
    file's path (as a shell completes it, corpus folder included), its file name, or the name of the local file
    `citebot add` stored it from."""
    every = [seen for seens in adder.known().values() for seen in seens]
    if re.match(r"^[a-zA-Z][\w+.-]*://", target):
        wanted = canonical(target)
        found = [s for s in every if wanted in s.urls]
    else:
        rel = _in_corpus(adder.corpus_dir, target)
        found = ([s for s in every if s.id == target] or [s for s in every if s.file in (target, rel)]
                 or [s for s in every if os.path.basename(s.file) == target or s.file_name == target])
    if not found:
        raise RemoveError(f"no article {target} in the corpus", key="not_in_corpus", what=target)
    rows = next((s.file for s in found if s.id != s.file), None)
    if rows is not None:
        raise RemoveError(f"{target} is in {rows}, a .jsonl file of articles one a line, which citebot does not rewrite: "
                          f"delete the line there", key="a_row", what=target, file=rows)
    if len({s.id for s in found}) > 1:
        ids = ", ".join(sorted({s.id for s in found})[:5]) + (", …" if len({s.id for s in found}) > 5 else "")
        raise RemoveError(f"{target} names {len({s.id for s in found})} articles: {ids}; give the id of the one to remove",
                          key="ambiguous", what=target, ids=ids)
    return found[0]


def _in_corpus(corpus_dir: Path, target: str) -> str | None:
    """``target`` as a path relative to the corpus folder, where it is one of its files (``corpus/local/notes.md``)."""
    try:
        return Path(os.path.abspath(target)).relative_to(os.path.abspath(corpus_dir)).as_posix()
    except ValueError:
        return None


__all__ = ["Removed", "RemoveError", "remove"]
