"""How a tenant's values are written into a spec: as values, and in comments."""

from __future__ import annotations

import re

from tenantcfg.spec.valuetypes import CLIENT_ID, GRANT_ID

_PART = r"[A-Za-z0-9_./@-]+"
_PLAIN = re.compile(rf"[A-Za-z]{_PART[:-1]}*(?::{_PART})*")
"""Plain scalars: a letter first, colons only between parts (``a:`` would start a mapping)."""
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf"})
_SHOWN = (
    re.compile(r"[a-z][a-z0-9_:-]{0,31}"),  # policy words, types, scopes
    GRANT_ID,
    CLIENT_ID,  # public
)
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escaped(ch: str) -> str:
    code = ord(ch)
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if 0x20 <= code < 0x7F:
        return ch
    if 0xD800 <= code <= 0xDFFF:
        # No YAML escape stands for half a character: such a value cannot be written.
        raise ValueError("a lone surrogate cannot be written in YAML")
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def scalar(value: str | int | bool | None) -> str:
    """A YAML scalar that reads back as exactly ``value`` (YAML 1.1 or 1.2), in ASCII.

    ValueError for the one kind of string no YAML scalar can hold (lone surrogates).
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if _PLAIN.fullmatch(value) and value.lower().lstrip(".") not in _YAML_WORDS:
        return value
    return '"' + "".join(_escaped(ch) for ch in value) + '"'


def shown(value: str | None) -> str:
    """A tenant's value as a comment may show it: a known kind of short value, or not at all.

    Only lower-case words, grant ids and client ids are shown: a mixed-case token of
    any length is never copied into the file, where it could pass for a secret.
    """
    if value is None:
        return "(none)"
    if any(pattern.fullmatch(value) for pattern in _SHOWN):
        return value
    return f"(a value of {len(value)} characters, not shown)"
