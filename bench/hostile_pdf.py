"""Reading hostile PDFs (index/pdf.py): CPU seconds, wall seconds and peak memory until each is refused.

The files are those of tests/test_pdf.py, at the bench's sizes: a stream inflating to 40 MB of blanks, 1,001 pages,
100,000 nested arrays, and 200 forms of 2 MB each (a heavy file read within the default budgets of 60 CPU-seconds and
512 MB: how near it comes). Each is read in a child process, so its peak RSS is its own.

    python -m bench.hostile_pdf
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.pdfs import pdf_bytes, text_stream


def _inflating() -> bytes:
    return pdf_bytes(streams=[text_stream(["x"]) + b" " * 40_000_000])


def _pages() -> bytes:
    return pdf_bytes(streams=[text_stream(["x"])] * 1_001)


def _nested() -> bytes:
    return pdf_bytes(streams=[b"BT /F1 11 Tf " + b"[" * 100_000 + b"(x)" + b"]" * 100_000 + b" TJ ET"])


def _forms() -> bytes:
    return pdf_bytes(streams=[b" ".join(b"/Fm%d Do" % i for i in range(200))],
                     forms=[text_stream(["x"]) + b" " * 2_000_000] * 200)


CASES = {"inflating stream (40 MB)": _inflating, "1,001 pages": _pages, "nested arrays (100,000)": _nested,
         "200 forms of 2 MB": _forms}

CHILD = """
import json, resource, sys, time
from bench.hostile_pdf import CASES
from index.pdf import read_pdf
data = CASES[sys.argv[1]]()
cpu, wall = time.process_time(), time.perf_counter()
try:
    read_pdf(data, max_chars=1_000_000)
    said = "read, within the budgets"
except ValueError as exc:
    said = str(exc)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "said": said,
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    print(f"{'file':<28} {'cpu s':>7} {'wall s':>7} {'peak MB':>8}  what it said")
    for name in CASES:
        out = subprocess.run([sys.executable, "-c", CHILD, name], capture_output=True, text=True, check=True).stdout
        r = json.loads(out)
        print(f"{name:<28} {r['cpu']:>7.2f} {r['wall']:>7.2f} {r['mb']:>8.0f}  {r['said']}")


if __name__ == "__main__":
    main()
