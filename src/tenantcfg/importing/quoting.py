"""How a tenant's values are written into a spec: as values, and in comments."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.:/@-]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})
_SHOWN = re.compile(r"[A-Za-z0-9:_|-]{1,40}")


def scalar(value: str | int | bool | None) -> str:
    """A YAML scalar that reads back as exactly ``value`` (YAML 1.1 or 1.2)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=True)


def shown(value: str | None) -> str:
    """A tenant's value as a comment may show it: short and of a known alphabet, or not at all."""
    if value is None:
        return "(none)"
    if _SHOWN.fullmatch(value):
        return value
    return f"(a value of {len(value)} characters, not shown)"
