"""Mark an index build as in use, so that another build's clean-up leaves its files alone.

A lease is a shared ``flock`` on the build's ``manifest.json``: the kernel drops it when the holder
closes it or dies, so a crashed bot never pins a build for ever.

>>> lease = Lease(Path(".citebot/builds/20261123T094000-ab12cd34"))   # doctest: +SKIP
>>> in_use(lease.folder)                                               # doctest: +SKIP
True
>>> lease.release()                                                    # doctest: +SKIP
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

MANIFEST = "manifest.json"


class Lease:
    """Holds ``folder`` (a finished build) in use until ``release``; FileNotFoundError when it is gone."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._fd: int | None = None  # set first: a folder gone makes open raise, and __del__ still runs
        self._fd = os.open(self.folder / MANIFEST, os.O_RDONLY)
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def __del__(self):
        self.release()


def in_use(folder: Path) -> bool:
    """True when some process holds a lease on the build in ``folder``."""
    try:
        fd = os.open(Path(folder) / MANIFEST, os.O_RDONLY)
    except OSError:  # no manifest: an unfinished or broken folder, nobody can be reading it
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also drops the probe's own lock
    return False
