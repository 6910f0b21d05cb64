"""Small immutable records: equality, hash and repr from ``__slots__``, what a frozen dataclass gives.

``dataclasses`` imports ``inspect`` (and with it ast, dis, tokenize ...), about 10 ms at every start of
the command line; the value types on the path of ``egovgraph query`` are built on this instead.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Record:
    """A subclass sets ``__slots__ = _fields = (...)``; its ``__init__`` calls ``self._init(*values)`` in that order."""

    __slots__: tuple[str, ...] = ()
    _fields: tuple[str, ...] = ()
    #: Fields left out of the repr (like ``field(repr=False)``).
    _hidden: tuple[str, ...] = ()

    def _init(self, *values: object) -> None:
        for name, value in zip(self._fields, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields if name not in self._hidden)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a {type(self).__name__}")

    def __getstate__(self) -> dict[str, Any]:  # pickle and copy
        return {name: getattr(self, name) for name in self._fields if hasattr(self, name)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
