"""Several citebot processes over one corpus and index at once: readers while a build switches, builds and adds
side by side. Real processes; each moment is reached through index/faults.py's pause, never by sleeping."""

import os
import signal
import subprocess

import pytest

from tests.conftest import FIXTURE_MODEL_ENV, ROOT
from tests.living import CITEBOT, citebot, fresh_copy, indexed_template, live_build
from tests.process_lines import StderrLines

SUMMIT = "the NATO summit to be held in Vilnius in July"
TUNNEL = ("The harbour tunnel under Tallinn Bay will open to traffic on 14 March 2027, the city's chief engineer "
          "Kalle Kask said on Friday.")


@pytest.fixture(scope="module")
def template(tmp_path_factory, embedder):
    return indexed_template(tmp_path_factory.mktemp("concurrent-template"), embedder)


@pytest.fixture
def workspace(template, tmp_path):
    return fresh_copy(template, tmp_path / "w")


class Paused:
    """A ``citebot`` process started with CITEBOT_PAUSE_AT=``stage``, stopped there until ``go_on``."""

    def __init__(self, stage: str, *args):
        env = dict(os.environ, HF_HUB_OFFLINE="1", CITEBOT_PAUSE_AT=stage, **FIXTURE_MODEL_ENV)
        self.process = subprocess.Popen([CITEBOT, *map(str, args)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.stderr = StderrLines(self.process, f"citebot {args[0]}")
        self.stderr.wait_for_line(f"citebot: paused at {stage}")

    def go_on(self) -> tuple[int, str, str]:
        """Let it go on; its exit code, stdout and stderr."""
        self.process.send_signal(signal.SIGUSR1)
        out = self.process.stdout.read()
        code = self.process.wait(300)
        self.stderr.join()
        return code, out, "\n".join(self.stderr.lines)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def test_an_ask_loading_the_index_while_another_process_switches_builds_answers_from_the_new_build(workspace):
    corpus, index = workspace
    first = live_build(index)
    ask = Paused("loading", "ask", "--corpus", corpus, "--index", index, "where is the summit?")
    try:  # the ask has found the live build, and opened none of its files yet
        (corpus / "tunnel.txt").write_text(TUNNEL, encoding="utf-8")
        built = citebot("index", "--corpus", corpus, "--index", index)
        assert built.returncode == 0, built.stderr
        assert live_build(index) != first and not (index / first).exists()  # switched, and the old build removed
        code, out, err = ask.go_on()
    finally:
        ask.kill()
    assert (code, err.strip()) == (0, "citebot: paused at loading")
    assert SUMMIT in out
    assert sorted(p.name for p in (index / "builds").iterdir()) == [os.path.basename(live_build(index))]
