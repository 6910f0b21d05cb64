"""Atomic file writing: a temporary file beside the target, then a rename — never a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from egovgraph.errors import InputError


def _umask() -> int:
    """The process's umask (read by setting and restoring it: the only portable way)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory and a rename."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path} is a directory: give a file name, e.g. {path / 'graph.html'}")
    if not path.parent.exists():
        raise InputError(f"cannot write {path}: the directory {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes the file 0600; a new file follows the umask
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_all_atomic(out_dir: Path, outputs: Mapping[str, bytes]) -> tuple[Path, ...]:
    """Write every file to a temporary name in ``out_dir`` first, then rename them all into place."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot create output directory {out_dir}: {err.strerror}") from err
    temps: dict[str, Path] = {}
    try:
        for name, data in outputs.items():
            fd, tmp_name = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            temps[name] = Path(tmp_name)
        for name, tmp in temps.items():
            os.replace(tmp, out_dir / name)
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
    return tuple(out_dir / name for name in outputs)
