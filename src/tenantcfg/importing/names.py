"""Spec keys for applications, made from the names the tenant gives them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from tenantcfg.importing.quoting import scalar
from tenantcfg.spec.secretscan import is_secret_key

_MAX = 64
"""The longest application key the spec accepts."""
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def slug(name: str | None) -> str:
    """``name`` as lower-case letters, digits and single hyphens; '' when none is left."""
    # Accents become their base letter (Café -> cafe); other scripts leave nothing.
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    key = _NOT_KEY.sub("-", ascii_name.lower()).strip("-")
    return key[:_MAX].rstrip("-")


def _plain(key: str) -> str:
    """``key`` made a key YAML reads as a string and the loader accepts as it is.

    A name such as 'On', '123', '2001-12-14' or 'Token' would read as a boolean, a
    number, a date or a credential's key: a letter in front, or ``-app`` behind, keeps
    the application's name recognisable and the key a plain name.
    """
    if not key[:1].isalpha():
        key = f"app-{key}"[:_MAX].rstrip("-")
    if scalar(key) != key or is_secret_key(key):
        key = f"{key[: _MAX - 4]}-app"
    return key


def unique_keys(wanted: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """A spec key per client id from (client id, application name) pairs.

    Keys are taken in client id order, so the same tenant always gives the same keys;
    a name that says nothing becomes ``app-<first 8 of the client id>``, and a key
    already taken gets ``-2``, ``-3``... within the length limit.
    """
    taken: set[str] = set()
    tried: dict[str, int] = {}  # per base, the last suffix tried: linear in same names
    keys: dict[str, str] = {}
    for client_id, name in sorted(wanted, key=lambda pair: pair[0]):
        base = _plain(slug(name) or f"app-{slug(client_id)[:8] or 'unnamed'}")
        key, n = base, tried.get(base, 1)
        while key in taken:
            n += 1
            suffix = f"-{n}"
            key = base[: _MAX - len(suffix)].rstrip("-") + suffix
        tried[base] = n
        taken.add(key)
        keys[client_id] = key
    return keys
