"""Atomic file writing: a temporary file beside the target, then a rename — never a half-written file.

Every file the project writes goes through here, so every file gets the same mode: what the user's umask
allows (0644 under umask 022), as ``open()`` would give it. ``tempfile.mkstemp`` alone makes 0600 files,
which a web server running as another user cannot read.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TextIO

from egovgraph.errors import InputError

#: The mode a new file gets before the umask is applied (as for ``open()``).
FILE_MODE = 0o666


def current_umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux), else set and reset."""
    with contextlib.suppress(OSError):
        found = re.search(r"^Umask:\s*([0-7]+)$", Path("/proc/self/status").read_text(), re.MULTILINE)
        if found:
            return int(found.group(1), 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a file written now gets: ``FILE_MODE`` less the umask."""
    return FILE_MODE & ~current_umask()


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise InputError(f"{path} is a directory: give a file name, e.g. {path / 'graph.html'}")
    if not path.parent.exists():
        raise InputError(f"cannot write {path}: the directory {path.parent} does not exist")


def _temporary(directory: Path, name: str, mode: int) -> tuple[int, Path]:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return fd, Path(tmp)


@contextlib.contextmanager
def open_atomic_text(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text handle (``\\n`` line ends) for ``path``: a temporary file renamed into place at a clean end."""
    with _replacing(Path(path)) as fd, os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[int]:
    """A descriptor of a temporary file beside ``path``, renamed onto it when the block ends without error."""
    _check_target(path)
    fd, tmp = _temporary(path.parent, path.name, file_mode())
    try:
        yield fd
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory and a rename."""
    path = Path(path)
    with _replacing(path) as fd, os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


def write_all_atomic(out_dir: Path, outputs: Mapping[str, bytes]) -> tuple[Path, ...]:
    """Write every file to a temporary name in ``out_dir`` first, then rename them all into place."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot create output directory {out_dir}: {err.strerror}") from err
    mode = file_mode()
    temps: dict[str, Path] = {}
    try:
        for name, data in outputs.items():
            fd, tmp = _temporary(out_dir, name, mode)
            temps[name] = tmp
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        for name, tmp in temps.items():
            os.replace(tmp, out_dir / name)
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
    return tuple(out_dir / name for name in outputs)
