"""Subprocesses: a throw-away database and gunicorn servers that always stop."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = 2
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
COMMAND_TIMEOUT = 120.0


def venv_bin() -> Path:
    """The project virtualenv's bin/ (or, if it has none, the running Python's)."""
    path = ROOT / ".venv" / "bin"
    return path if path.is_dir() else Path(sys.executable).parent


def app_environment(tmp: Path) -> dict[str, str]:
    """The environment for the app: a database in `tmp` and a fresh secret key."""
    env = dict(os.environ)
    env.pop("GUNICORN_CMD_ARGS", None)
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    env["SECRET_KEY"] = secrets.token_hex(32)
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Create the schema and load the demo communes, lessons' learners and progress."""
    flask = str(venv_bin() / "flask")
    for args in (["db", "upgrade"], ["demo-data"]):
        command = [flask, "--app", "app", *args]
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}"
            )


def free_port() -> int:
    """A TCP port nobody is listening on right now (bind to port 0, ask, release)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running gunicorn: where it listens and where its log goes."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 20) -> str:
        """The end of the server's log, to explain a failure."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def start_server(
    name: str, target: str, env: dict[str, str], log_dir: Path, workers: int = WORKERS
) -> Server:
    """Start `gunicorn target` with sync workers on a free local port."""
    port = free_port()
    log = log_dir / f"{name}.log"
    command = [
        str(venv_bin() / "gunicorn"),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        target,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return Server(name=name, port=port, process=process, log=log)


def wait_until_up(server: Server, path: str, timeout: float = START_TIMEOUT) -> None:
    """Poll `path` until the server answers at all; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} server exited ({server.process.returncode}):\n"
                f"{server.log_tail()}"
            )
        connection = http.client.HTTPConnection(HOST, server.port, timeout=2)
        try:
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise RuntimeError(
        f"{server.name} server did not answer within {timeout:.0f} s:\n"
        f"{server.log_tail()}"
    )


def stop_server(server: Server) -> None:
    """Ask gunicorn to stop (SIGTERM), then kill it if it has not after a while."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=STOP_TIMEOUT)


@contextmanager
def running(
    name: str,
    target: str,
    env: dict[str, str],
    log_dir: Path,
    probe: str,
    workers: int = WORKERS,
) -> Iterator[Server]:
    """A gunicorn server that answers on `probe`, stopped on leaving, even on error."""
    server = start_server(name, target, env, log_dir, workers)
    try:
        wait_until_up(server, probe)
        yield server
    finally:
        stop_server(server)
