"""Refuse secrets in a spec, so no one commits one to the reviewed file.

A spec never needs a secret: client ids are public, and the credentials the
program uses come from ``pulumi config set --secret``. Anything that looks
like a client secret, an access token or a private key is an error, with the
advice to rotate it, since it may already be in version control.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tenantcfg.problems import Path

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a JSON Web Token (access or ID token)",
     re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    # Auth0 client secrets are 64 characters of base64url; client ids are 32.
    ("an Auth0 client secret",
     re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{64,}(?![A-Za-z0-9_-])")),
)
_SECRET_KEY = re.compile(
    r"(client_?secret|secret|password|passwd|(access_|api_|refresh_|id_)?token|private_?key|"
    r"api_?key|signing_?secret)", re.IGNORECASE)


def _looks_secret(value: str) -> str | None:
    for what, pattern in _PATTERNS:
        match = pattern.search(value)
        if match and (what != "an Auth0 client secret" or _mixed(match.group(0))):
            return what
    return None


def _mixed(token: str) -> bool:
    # Long runs of one kind (a row of dashes, a long lowercase word) are not secrets.
    kinds = sum(any(test(c) for c in token) for test in (str.islower, str.isupper, str.isdigit))
    return kinds >= 3


def find_secrets(data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """(path, what it looks like) for every value or key in ``data`` that looks secret."""
    if isinstance(data, dict):
        for key, value in data.items():
            if _SECRET_KEY.fullmatch(key):
                yield (*path, key), f"a secret's key ({key!r})"
            yield from find_secrets(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from find_secrets(value, (*path, i))
    elif isinstance(data, str):
        what = _looks_secret(data)
        if what:
            yield path, what
