"""Rows of a table on disk read with ``pread``: what a question reads is not kept mapped in the process.

A memory map would do, but each touched page brings its neighbours into the process's resident set
(the kernel maps pages around a fault), so a long-running bot over a million passages would hold
gigabytes of vectors no question asked for. Reading the few rows a question needs costs a system
call each and leaves them in the page cache, shared and not counted against the process.

>>> vectors = RowFile.npy(Path("sentence_vectors.npy"))       # doctest: +SKIP
>>> vectors.rows([3, 17]).shape, vectors.shape                 # doctest: +SKIP
((2, 384), (1200, 384))
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

# The most bytes one read asks for: a build reusing a million passages' vectors read them as one run, which Linux cut
# at 2 GiB (and which took a copy of that size beside the table it filled).
_MOST_BYTES = 1 << 26


class RowFile:
    """Fixed-size rows of ``dtype`` starting at byte ``offset`` of ``path``; ``array()`` maps them all."""

    def __init__(self, path: Path, offset: int, shape: tuple[int, ...], dtype):
        self.path, self.offset, self.shape, self.dtype = Path(path), int(offset), tuple(shape), np.dtype(dtype)
        self.row_bytes = int(np.prod(self.shape[1:], dtype="int64")) * self.dtype.itemsize
        self._fd = os.open(self.path, os.O_RDONLY)
        self._array: np.ndarray | None = None
        # A cut file (a full disk, a copy stopped midway) is refused here, while loading, where the store
        # calls it corrupt and a rebuild starts afresh, not at the first question that reads past its end.
        need = self.offset + self.shape[0] * self.row_bytes if self.shape else self.offset
        size = os.fstat(self._fd).st_size
        if size < need:
            raise ValueError(f"{self.path.name} holds {size} bytes, its header needs {need}")

    @classmethod
    def npy(cls, path: Path) -> RowFile:
        """The rows of a C-ordered .npy file."""
        with open(path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read(handle)
            if fortran or dtype.hasobject:
                raise ValueError(f"{Path(path).name}: not a plain C-ordered table")
            return cls(path, handle.tell(), shape, dtype)

    def __len__(self) -> int:
        return self.shape[0]

    def row(self, i: int) -> np.ndarray:
        return self.rows([i])[0]

    def rows(self, rows) -> np.ndarray:
        """The rows ``rows`` (in that order) as a new array; a run of consecutive rows is one read."""
        rows = np.asarray(rows, dtype="int64").reshape(-1)
        out = np.empty((len(rows),) + self.shape[1:], dtype=self.dtype)
        if not len(rows):
            return out
        bad = (rows < 0) | (rows >= self.shape[0])
        if bad.any():
            raise IndexError(f"row {int(rows[np.argmax(bad)])} of {self.shape[0]}")
        flat = out.reshape(-1).view("uint8")
        cuts = (np.flatnonzero(np.diff(rows) != 1) + 1).tolist()
        for lo, hi in zip([0] + cuts, cuts + [len(rows)]):
            start, at, end = self.offset + int(rows[lo]) * self.row_bytes, lo * self.row_bytes, hi * self.row_bytes
            while at < end:  # a read may return less than asked: Linux's at most 2 GiB - 4 KiB a call
                data = os.pread(self._fd, min(end - at, _MOST_BYTES), start)
                if not data:
                    raise ValueError(f"{self.path} ends before the rows its header holds")
                flat[at : at + len(data)] = np.frombuffer(data, dtype="uint8")
                start, at = start + len(data), at + len(data)
        return out

    def read(self, start: int, stop: int) -> bytes:
        """Bytes ``start:stop`` of a one-dimensional byte table."""
        return os.pread(self._fd, stop - start, self.offset + start)

    def array(self) -> np.ndarray:
        """The whole table, memory-mapped read-only (for a full scan, or tests)."""
        if self._array is None:
            self._array = np.memmap(self.path, dtype=self.dtype, mode="r", offset=self.offset, shape=self.shape).view(
                np.ndarray)
        return self._array

    def __del__(self):
        fd = getattr(self, "_fd", None)
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
