"""Spec keys for applications, made from the names the tenant gives them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_MAX = 64
"""The longest application key the spec accepts."""
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def slug(name: str | None) -> str:
    """``name`` as lower-case letters, digits and single hyphens; '' when none is left."""
    # Accents become their base letter (Café -> cafe); other scripts leave nothing.
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    key = _NOT_KEY.sub("-", ascii_name.lower()).strip("-")
    return key[:_MAX].rstrip("-")


def unique_keys(wanted: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """A spec key per client id from (client id, application name) pairs.

    Keys are taken in client id order, so the same tenant always gives the same keys;
    a name that says nothing becomes ``app-<first 8 of the client id>``, and a key
    already taken gets ``-2``, ``-3``... within the length limit.
    """
    taken: set[str] = set()
    keys: dict[str, str] = {}
    for client_id, name in sorted(wanted, key=lambda pair: pair[0]):
        base = slug(name) or f"app-{slug(client_id)[:8] or 'unnamed'}"
        key, n = base, 1
        while key in taken:
            n += 1
            suffix = f"-{n}"
            key = base[: _MAX - len(suffix)].rstrip("-") + suffix
        taken.add(key)
        keys[client_id] = key
    return keys
