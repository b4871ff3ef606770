"""Values a person still has to write: the marker ``tenantcfg import`` leaves behind.

An imported spec knows which grants exist, never who answers for them or why:
``owner``, ``justification`` and what a scope outside the catalogue unlocks are
written as ``FILL-IN: ...`` so that ``tenantcfg check`` (MYACC-020) blocks until
someone has filled them in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tenantcfg.spec.problems import SpecPath
from tenantcfg.spec.text import visible

MARKER = "FILL-IN:"
"""How a placeholder starts."""


def placeholder(what: str) -> str:
    """The placeholder text that asks for ``what``."""
    return f"{MARKER} {what}"


def is_placeholder(value: str) -> bool:
    """Whether ``value`` is still a placeholder, however its case or spacing was changed."""
    return visible(value).upper().startswith(visible(MARKER))


def find_placeholders(data: Any, path: SpecPath = ()) -> Iterator[SpecPath]:
    """The path of every string under ``data`` (plain dicts and lists) that is a placeholder."""
    todo: list[tuple[SpecPath, Any]] = [(path, data)]
    while todo:
        where, item = todo.pop()
        if isinstance(item, str):
            if is_placeholder(item):
                yield where
        elif isinstance(item, dict):
            todo += [((*where, k), v) for k, v in item.items()]
        elif isinstance(item, list):
            todo += [((*where, i), v) for i, v in enumerate(item)]
