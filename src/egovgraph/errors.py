"""The errors egovgraph raises; ``str(err)`` is the sentence a user reads."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


class EgovGraphError(Exception):
    """Base of every error egovgraph raises on purpose."""

    exit_code = 2


class InputError(EgovGraphError):
    """Bad input: a missing file or directory, an empty file, a wrong option value."""


class DataSyntaxError(InputError):
    """A data or ontology file that cannot be parsed."""

    def __init__(self, path: Path, line: int | None, column: int | None, reason: str) -> None:
        self.path, self.line, self.column, self.reason = path, line, column, reason

    def __repr__(self) -> str:
        return (
            f"{type(self).__qualname__}(path={self.path!r}, line={self.line!r}, column={self.column!r}, "
            f"reason={self.reason!r})"
        )

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f" line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        return f"{where}: {self.reason}"


class ValidationFailed(EgovGraphError):
    """The graph does not pass validation; ``problems`` lists why."""

    exit_code = 1

    def __init__(self, problems: list[object]) -> None:
        self.problems = problems
        super().__init__(f"validation failed with {len(problems)} problem(s)")
