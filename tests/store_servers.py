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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    process: subprocess.Popen[bytes] | None = field(default=None, compare=False, repr=False)


ASK = "?query=ASK%7B%7D"


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    exe = oxigraph_exe()
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph-server"), exe) as engine:
        yield engine


def oxigraph_exe() -> str:
    """The ``oxigraph`` command (the PyPI package installs it next to the interpreter)."""
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if exe is None:
        unavailable("the oxigraph server is not installed (pip install oxigraph)")
    assert exe is not None
    return exe


@contextmanager
def running_oxigraph(root: Path, exe: str, *options: str, data: Path | None = None) -> Iterator[Engine]:
    """A private ``oxigraph serve`` on a free loopback port with its database in ``root`` (``data`` loaded first)."""
    if data is not None:
        subprocess.run(
            [exe, "load", "--location", str(root / "db"), "--file", str(data)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    port = free_port()
    log = root / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [exe, "serve", "--location", str(root / "db"), "--bind", f"127.0.0.1:{port}", *options],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answers(f"{base}/query{ASK}", process, log)
        yield Engine("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", process=process)
    finally:
        stop(process)


def isql(exe: str, port: int, password: str, sql: str, *, timeout: float = 60.0) -> str:
    """Run SQL through isql; it exits 0 even when a statement fails, so its output is checked."""
    done = subprocess.run(
        [exe, f"127.0.0.1:{port}", "dba", password, f"exec={sql}"], capture_output=True, text=True, timeout=timeout
    )
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output or "SQLState" in output:
        raise RuntimeError(f"isql failed on {sql!r}:\n{output}")
    return output


@dataclass(frozen=True)
class Virtuoso:
    """A running private Virtuoso: its HTTP base URL, SQL port, passwords and process ID."""

    base: str
    sql_port: int
    password: str
    dba_password: str
    pid: int


def virtuoso_ini(
    root: Path,
    sql_port: int,
    http_port: int,
    *,
    allowed_dirs: Sequence[Path] = (),
    settings: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """The distribution's virtuoso.ini with the database in ``root``, loopback ports and ``settings``.

    ``allowed_dirs`` are added to ``DirsAllowed`` (the bulk loader reads only from there); ``settings``
    maps a section name (without brackets) to keys whose values replace or are added to that section's.
    """
    ini = VIRTUOSO_INI.read_text().replace("/var/lib/virtuoso-opensource-7/db/", f"{root}/")
    pending = {f"[{name}]": dict(values) for name, values in (settings or {}).items()}
    lines: list[str] = []
    section = ""

    def close(section: str) -> None:
        lines.extend(f"{key} = {value}" for key, value in pending.pop(section, {}).items())

    for line in ini.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            close(section)
            section = stripped
        key = stripped.split("=", 1)[0].strip() if "=" in stripped and not stripped.startswith(";") else ""
        if key == "ServerPort" and section == "[Parameters]":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif key == "ServerPort" and section == "[HTTPServer]":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif key == "DirsAllowed" and section == "[Parameters]" and allowed_dirs:
            line = ", ".join([line.rstrip(), *(str(d) for d in allowed_dirs)])
        if key in pending.get(section, {}):
            line = f"{key} = {pending[section].pop(key)}"
        lines.append(line)
    close(section)
    for name, values in pending.items():
        lines += ["", name, *(f"{key} = {value}" for key, value in values.items())]
    return "\n".join(lines) + "\n"


@contextmanager
def virtuoso_instance(
    root: Path,
    exe: str,
    isql_exe: str,
    *,
    allowed_dirs: Sequence[Path] = (),
    settings: Mapping[str, Mapping[str, str]] | None = None,
) -> Iterator[Virtuoso]:
    """A private Virtuoso in ``root`` (own database, both ports on 127.0.0.1), stopped by its PID at the end.

    The fresh database's dba gets a random password; ``egovwriter``, another random one, has SPARQL_UPDATE
    and read/write permission on all graphs, the grants docs/stores.md asks of an admin: enough for
    /sparql-auth (updates) and /sparql-graph-crud-auth (Graph Store protocol). ``allowed_dirs`` and
    ``settings`` change the ini (see :func:`virtuoso_ini`).
    """
    sql_port, http_port = free_port(), free_port()
    (root / "virtuoso.ini").write_text(
        virtuoso_ini(root, sql_port, http_port, allowed_dirs=allowed_dirs, settings=settings)
    )
    log = root / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [exe, "-f", "-c", str(root / "virtuoso.ini")], cwd=root, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_until_answers(f"{base}/sparql{ASK}", process, log)
        password, dba_password = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        isql(isql_exe, sql_port, "dba", f"DB.DBA.USER_CREATE('egovwriter', '{password}');")
        isql(isql_exe, sql_port, "dba", 'GRANT SPARQL_UPDATE TO "egovwriter";')
        isql(isql_exe, sql_port, "dba", "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('egovwriter', 3);")
        isql(isql_exe, sql_port, "dba", f"DB.DBA.USER_PASSWORD_SET('dba', '{dba_password}');")
        yield Virtuoso(base, sql_port, password, dba_password, process.pid)
    finally:
        stop(process)


@contextmanager
def private_virtuoso(root: Path, exe: str, isql_exe: str) -> Iterator[tuple[str, str]]:
    """A private Virtuoso as in :func:`virtuoso_instance`; yields its base URL and egovwriter's password."""
    with virtuoso_instance(root, exe, isql_exe) as instance:
        yield instance.base, instance.password


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    exe, isql_exe = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if exe is None or isql_exe is None or not VIRTUOSO_INI.is_file():
        unavailable("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    assert exe is not None and isql_exe is not None
    with private_virtuoso(tmp_path_factory.mktemp("virtuoso"), exe, isql_exe) as (base, password):
        yield Engine(
            "virtuoso",
            f"{base}/sparql",
            f"{base}/sparql-auth",
            f"{base}/sparql-graph-crud-auth",
            "egovwriter",
            password,
        )
