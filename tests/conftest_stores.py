"""Real SPARQL engines for the store tests: Oxigraph server and Virtuoso Open Source, private and on loopback.

Each runs as a child process with its own temporary directory on a free 127.0.0.1 port, is polled until
its SPARQL endpoint answers, and is killed by its PID at the end. Without the engine installed the
tests skip with the reason, unless CI=true: then they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
START_TIMEOUT = 60.0


def unavailable(reason: str) -> None:
    """Skip with the reason; under CI=true a missing engine is a failure, never a silent skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: install it, see scripts/test.sh)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_answers(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)


@dataclass(frozen=True)
class Engine:
    name: str
    query: str
    update: str
    graph_store: str | None
    user: str | None = None
    password: str | None = None


ASK = "?query=ASK%7B%7D"


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if exe is None:
        unavailable("the oxigraph server is not installed (pip install oxigraph)")
    assert exe is not None
    root = tmp_path_factory.mktemp("oxigraph-server")
    port = free_port()
    log = root / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen([exe, "serve", "--location", str(root / "db"), "--bind", f"127.0.0.1:{port}"],
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answers(f"{base}/query{ASK}", process, log)
        yield Engine("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")
    finally:
        stop(process)


def isql(exe: str, port: int, password: str, sql: str) -> str:
    """Run SQL through isql; it exits 0 even when a statement fails, so its output is checked."""
    done = subprocess.run([exe, f"127.0.0.1:{port}", "dba", password, f"exec={sql}"], capture_output=True,
                          text=True, timeout=60)
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output or "SQLState" in output:
        raise RuntimeError(f"isql failed on {sql!r}:\n{output}")
    return output


@contextmanager
def private_virtuoso(root: Path, exe: str, isql_exe: str) -> Iterator[tuple[str, str]]:
    """A private Virtuoso in ``root`` (own database, both ports on 127.0.0.1), stopped by its PID at the end.

    Yields its base URL and the password of ``egovwriter``, a user with SPARQL_UPDATE only; the fresh
    database's dba gets a random password.
    """
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db/", f"{root}/")
    lines = []
    section = ""
    for line in ini.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        if stripped.startswith("ServerPort") and section == "[Parameters]":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif stripped.startswith("ServerPort") and section == "[HTTPServer]":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        lines.append(line)
    (root / "virtuoso.ini").write_text("\n".join(lines) + "\n")
    log = root / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen([exe, "-f", "-c", str(root / "virtuoso.ini")], cwd=root, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_until_answers(f"{base}/sparql{ASK}", process, log)
        password = secrets.token_urlsafe(12)
        isql(isql_exe, sql_port, "dba", f"DB.DBA.USER_CREATE('egovwriter', '{password}');")
        isql(isql_exe, sql_port, "dba", 'GRANT SPARQL_UPDATE TO "egovwriter";')
        isql(isql_exe, sql_port, "dba", "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('egovwriter', 3);")
        yield base, password
    finally:
        stop(process)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    exe, isql_exe = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if exe is None or isql_exe is None or not VIRTUOSO_INI.is_file():
        unavailable("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    assert exe is not None and isql_exe is not None
    with private_virtuoso(tmp_path_factory.mktemp("virtuoso"), exe, isql_exe) as (base, password):
        yield Engine("virtuoso", f"{base}/sparql", f"{base}/sparql-auth", None, "egovwriter", password)
