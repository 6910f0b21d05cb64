"""Will a dump fit in memory? The embedded store refuses one that would not, and points to the on-disk store.

A leaf module (only ``os``): the query fast path imports it before loading a dump.
"""

from __future__ import annotations

import os

from egovgraph.errors import InputError, MemoryLimitError

#: The environment variable capping the memory the embedded store may use (bytes, or with K, M, G, T).
MEMORY_VARIABLE = "EGOVGRAPH_MAX_MEMORY"
#: Memory an in-memory pyoxigraph store needs per byte of dump, by format (measured: 3.1-3.8x for
#: N-Quads at 1M and 10M quads; the terser Turtle and TriG pack more triples into a byte).
_MEMORY_PER_BYTE = {"nq": 4.0, "nt": 4.0, "ttl": 8.0, "trig": 8.0, "jsonld": 3.0, "rdf": 3.0, "xml": 3.0}


def check_fits(path: str | os.PathLike[str], available: int | None = None) -> None:
    """Refuse a dump the embedded store could not hold: the estimate exceeds the memory available.

    Available means the least of the system's available memory, the cgroup's (container's) limit and
    ``EGOVGRAPH_MAX_MEMORY``; the message points to the persistent store, which needs little memory.
    """
    name = os.fspath(path)
    size = os.stat(name).st_size
    factor = _MEMORY_PER_BYTE.get(name.rsplit(".", 1)[-1].lower() if "." in name else "", 4.0)
    needed = int(size * factor)
    limit = available if available is not None else available_memory()
    if limit is not None and needed > limit:
        raise MemoryLimitError(
            f"{name} ({_size(size)}) would need about {_size(needed)} of memory in the embedded store, more "
            f"than the {_size(limit)} available: load it once into a persistent store with "
            f"`egovgraph load --store oxigraph:./store {name}` and use --store oxigraph:./store"
        )


def available_memory() -> int | None:
    """Bytes of memory this process may still use (None where it cannot be told)."""
    limits: list[int] = []
    cap = os.environ.get(MEMORY_VARIABLE)
    if cap:
        limits.append(parse_size(cap))
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    limits.append(int(line.split()[1]) * 1024)
    except OSError:
        pass
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as f:
            maximum = f.read().strip()
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as f:
            current = f.read().strip()
        if maximum.isdigit() and current.isdigit():
            limits.append(int(maximum) - int(current))
    except OSError:
        pass
    return min(limits) if limits else None


def parse_size(text: str) -> int:
    """Bytes from ``2G``, ``512M``, ``512MiB``, ``1000``."""
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    number, unit = text.strip().upper().removesuffix("B").removesuffix("I").strip(), ""
    if number and number[-1] in units:
        number, unit = number[:-1], number[-1]
    try:
        value = float(number) * units[unit]
    except ValueError:
        raise InputError(f"{MEMORY_VARIABLE}={text!r} is not a size: give bytes or e.g. 2G, 512M") from None
    if value < 0:
        raise InputError(f"{MEMORY_VARIABLE}={text!r} is not a size: give bytes or e.g. 2G, 512M")
    return int(value)


def _size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
