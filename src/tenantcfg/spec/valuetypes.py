"""The value types of the spec's schema: each a text or a list, checked as Auth0 needs it.

Each says what is wrong and how to write it instead: a domain with its scheme, a
client id that is not one, an API's identifier where its id belongs, a scope Auth0
does not issue, a blank owner. :mod:`tenantcfg.spec.model` builds the schema from them.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo

from tenantcfg.catalogue import scopes
from tenantcfg.spec.text import is_blank

UserPolicy = Literal["allow_all", "require_client_grant", "deny_all"]
ClientPolicy = Literal["require_client_grant", "deny_all"]
AnonymousUserPolicy = Literal["require_client_grant", "deny_all"]
AppType = Literal[
    "spa", "native", "regular_web", "non_interactive", "express_configuration", "sso_integration"
]

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?:{_LABEL}\.)+[a-z]{{2,63}}")
CLIENT_ID = re.compile(r"[A-Za-z0-9]{32}")
"""An Auth0 client id, as a spec holds it."""
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_RULE_ID = re.compile(r"[A-Z]+-[0-9]{3}")
API_ID = re.compile(r"[0-9a-f]{24}")
"""An Auth0 API (resource server) id."""
GRANT_ID = re.compile(r"cgr_[A-Za-z0-9]{16}")
"""An Auth0 client grant id."""


def _domain(value: str) -> str:
    if "://" in value:
        bare = re.split(r"[/:]", value.split("://", 1)[1], maxsplit=1)[0]
        raise ValueError(f"write the bare host name without the scheme: {bare!r}")
    if "/" in value or ":" in value:
        host = re.split(r"[/:]", value, maxsplit=1)[0]
        raise ValueError(f"write the bare host name without path or port: {host!r}")
    if not value.isascii():
        raise ValueError(
            "the domain contains non-ASCII characters (look-alike letters?); "
            "write the tenant's canonical domain in plain ASCII"
        )
    if value != value.lower():
        raise ValueError(f"write the domain in lower case: {value.lower()!r}")
    if len(value) > 253 or not _HOST.fullmatch(value):
        raise ValueError(
            "not a host name; expected the tenant's canonical domain, e.g. 'acme.eu.auth0.com'"
        )
    return value


DECLARED_CONTEXT = "declared_scopes"
"""Validation context key: the scopes the spec declares (see :func:`validation_context`)."""


def _scope(value: str, info: ValidationInfo) -> str:
    declared = (info.context or {}).get(DECLARED_CONTEXT, ())
    problem = scopes.problem(value, declared)
    if problem:
        raise ValueError(problem)
    return value


def _version(value: object) -> object:
    # `true` and `1.0` equal 1 in Python: only the number 1 itself is version 1.
    if type(value) is not int:
        raise ValueError("the spec version is the whole number 1: write 'version: 1'")
    return value


def _declarable(value: str) -> str:
    problem = scopes.declaration_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def validation_context(data: object) -> dict[str, object]:
    """The context the schema needs: which scopes the document declares.

    Scopes are checked item by item (so an error points at the item), and an item
    can only know the spec's own declarations through this context.
    """
    declared = data.get("declared_scopes") if isinstance(data, dict) else None
    keys = (
        frozenset(k for k in declared if isinstance(k, str))
        if isinstance(declared, dict)
        else frozenset()
    )
    return {DECLARED_CONTEXT: keys}


def _scope_list(value: object) -> object:
    # Scopes copied from a token request arrive as one space-separated string.
    if isinstance(value, str):
        items = ", ".join(repr(part) for part in value.split())
        raise ValueError(f"write the scopes as a list, one per item: {items or '[]'}")
    return value


def _client_id(value: str) -> str:
    if not CLIENT_ID.fullmatch(value):
        raise ValueError(
            "an Auth0 client id is 32 letters and digits (Dashboard > "
            "Applications > the application > Settings > Client ID)"
        )
    return value


def _api_id(value: str) -> str:
    # An identifier URL or any other string would make the engine plan a replacement
    # of the imported API, which `protect` turns into a failed deploy.
    if not API_ID.fullmatch(value):
        hint = " That is the API's identifier (audience), not its id." if "://" in value else ""
        raise ValueError(
            f"not an Auth0 API id.{hint} The id is 24 hexadecimal characters, e.g. "
            "6643a1f2b7e9c8d4a5f60712: Dashboard > Applications > APIs > Auth0 My Account "
            "API, or the 'id' of GET /api/v2/resource-servers/<url-encoded identifier>"
        )
    return value


def _grant_id(value: str) -> str:
    if not GRANT_ID.fullmatch(value):
        raise ValueError(
            "not an Auth0 client grant id: 'cgr_' and 16 letters and digits, e.g. "
            "cgr_1knWIGy7bcAfm7DZ; find it with `tenantcfg audit` or "
            "GET /api/v2/client-grants?client_id=<client id>"
        )
    return value


def _client_policy(value: str) -> str:
    # Auth0 refuses any other value on the My Account API; a program that sent one
    # would fail half-way through a deploy (MYACC-002 still judges other programs).
    if value != "deny_all":
        raise ValueError(
            f"Auth0 fixes the My Account API's client (machine-to-machine) policy at deny_all "
            f"and refuses {value!r} (MYACC-002); write deny_all or leave it out"
        )
    return value


def _app_name(value: str) -> str:
    if not _NAME.fullmatch(value):
        raise ValueError(
            f"application names are lower-case letters, digits and hyphens, "
            f"e.g. 'account-settings-spa', not {value!r}"
        )
    return value


def _non_blank(value: str) -> str:
    if is_blank(value):
        raise ValueError("must not be blank (whitespace and invisible characters do not count)")
    return value


Domain = Annotated[str, AfterValidator(_domain)]
ScopeName = Annotated[str, AfterValidator(_scope)]
ScopeList = Annotated[list[ScopeName], BeforeValidator(_scope_list)]
ClientId = Annotated[str, AfterValidator(_client_id)]
ApiId = Annotated[str, AfterValidator(_api_id)]
GrantId = Annotated[str, AfterValidator(_grant_id)]
AppName = Annotated[str, AfterValidator(_app_name)]
DeclarableScope = Annotated[str, AfterValidator(_declarable)]
Text = Annotated[str, AfterValidator(_non_blank)]
FixedClientPolicy = Annotated[ClientPolicy, AfterValidator(_client_policy)]
Version = Annotated[Literal[1], BeforeValidator(_version)]
RuleId = Annotated[str, Field(pattern=_RULE_ID.pattern)]
