"""Positions in a source file and the problems found at them.

Shared by the loader, the schema and the rules so that every message a user
sees has the same ``file:line:col`` shape.
"""

from __future__ import annotations

from dataclasses import dataclass

SpecPath = tuple[str | int, ...]
"""Where a value sits inside a spec: ``("applications", "spa", "scopes", 0)``."""


def dotted(path: SpecPath) -> str:
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


MAX_SHOWN = 100
"""Problems shown per file: a broken 8 MiB spec must not print megabytes of messages."""


class SpecError(Exception):
    """A spec file that cannot be used; holds every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.mark, p.field))
        super().__init__("\n".join(self.lines()))

    def lines(self, limit: int = MAX_SHOWN) -> list[str]:
        """At most ``limit`` problems per file, then how many of that file's were left out."""
        out: list[str] = []
        per_file: dict[str, int] = {}
        for p in self.problems:
            per_file[p.file] = per_file.get(p.file, 0) + 1
            if per_file[p.file] <= limit:
                out.append(str(p))
        out += [
            f"{file}: {n - limit} more problems not shown; fix the ones above first"
            for file, n in per_file.items()
            if n > limit
        ]
        return out
