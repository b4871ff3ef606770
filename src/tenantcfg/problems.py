"""Positions in a source file and the problems found at them.

Shared by the loader, the schema and the rules so that every message a user
sees has the same ``file:line:col`` shape.
"""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str | int, ...]
"""Where a value sits inside a spec: ``("applications", "spa", "scopes", 0)``."""


def dotted(path: Path) -> str:
    """A field path as people write it: ``applications.spa.scopes[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(document)"


@dataclass(frozen=True, slots=True, order=True)
class Mark:
    """A 1-based line and column in a file."""

    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with an input file, at a position, with a fix."""

    file: str
    mark: Mark
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.mark.line}:{self.mark.col}"
        return f"{where}: {self.field}: {self.message}"


class SpecError(Exception):
    """A spec file that cannot be used; holds every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.mark, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))
