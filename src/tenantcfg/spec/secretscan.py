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

from tenantcfg.spec.problems import SpecPath

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Anchored at the start of a run: from every 'eyJ' inside one long run the
    # search would rescan the rest of it, quadratic time on a hostile line.
    (
        "a JSON Web Token (access or ID token)",
        re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
    ),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    # Auth0 client secrets are 64 characters of base64url; client ids are 32.
    (
        "an Auth0 client secret",
        re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{64,}(?![A-Za-z0-9_-])"),
    ),
)
_SECRET_KEY = re.compile(
    r"(client_?secret|secret|password|passwd|(access_|api_|refresh_|id_)?token|private_?key|"
    r"api_?key|signing_?secret)",
    re.IGNORECASE,
)


_SHORTEST = 24
"""No pattern matches fewer characters (a JWT's three parts); most values are shorter."""


def is_secret_key(key: str) -> bool:
    """Whether a mapping key is named like a credential (the loader refuses such keys)."""
    return _SECRET_KEY.fullmatch(key) is not None


def looks_secret(value: str) -> str | None:
    """What ``value`` looks like when it looks like a credential, else None."""
    if len(value) < _SHORTEST:
        return None
    for what, pattern in _PATTERNS:
        if what != "an Auth0 client secret":
            if pattern.search(value):
                return what
        # Every long run counts: a row of dashes before a secret must not hide it.
        elif any(_mixed(match.group(0)) for match in pattern.finditer(value)):
            return what
    return None


def _mixed(token: str) -> bool:
    # Long runs of one kind (a row of dashes, a long lowercase word) are not secrets.
    kinds = sum(any(test(c) for c in token) for test in (str.islower, str.isupper, str.isdigit))
    return kinds >= 3


def find_secrets(data: Any, path: SpecPath = ()) -> Iterator[tuple[SpecPath, str, bool]]:
    """(path, what it looks like, whether it is the key) for every secret-looking value or key.

    A key can be a pasted secret too; then it must not be shown, so callers name
    the enclosing path (``path[:-1]``) and point at the key's position.
    """
    # A stack, not recursion: a spec has tens of thousands of values.
    todo: list[tuple[SpecPath, Any]] = [(path, data)]
    while todo:
        where, item = todo.pop()
        if isinstance(item, str):
            what = looks_secret(item)
            if what:
                yield where, what, False
        elif isinstance(item, dict):
            for key, value in item.items():
                if _SECRET_KEY.fullmatch(key):
                    yield (*where, key), f"a secret's key ({key!r})", True
                elif what := looks_secret(key):
                    yield (*where, key), f"{what}, written as a key", True
                todo.append(((*where, key), value))
        elif isinstance(item, list):
            todo.extend(((*where, i), value) for i, value in enumerate(item))


_COMMENT = re.compile(r"(?:^|(?<=\s))#")


def secrets_in_comments(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, what it looks like) for every secret-looking comment of a YAML text.

    A comment is still in the repository: a secret pasted there is as leaked as a value.
    """
    for number, line in enumerate(text.split("\n"), 1):
        if "#" not in line:
            continue
        found = _COMMENT.search(line)
        if found is not None and (what := looks_secret(line[found.start() :])):
            yield number, found.start() + 1, what
