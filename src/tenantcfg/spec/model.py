"""The tenant spec: the schema of ``stacks/<stack>.yaml``, the file people review.

Strict (no type coercion), frozen, and closed (unknown keys are errors). The
schema accepts insecure values that Auth0 itself accepts, such as a user policy
of ``allow_all``: judging them is the job of :mod:`tenantcfg.rules`, which can
then say why and how to fix it, and honour waivers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
)

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
_CLIENT_ID = re.compile(r"[A-Za-z0-9]{32}")
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_RULE_ID = re.compile(r"[A-Z]+-[0-9]{3}")
_API_ID = re.compile(r"[0-9a-f]{24}")
_GRANT_ID = re.compile(r"cgr_[A-Za-z0-9]{16}")


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
    if not _CLIENT_ID.fullmatch(value):
        raise ValueError(
            "an Auth0 client id is 32 letters and digits (Dashboard > "
            "Applications > the application > Settings > Client ID)"
        )
    return value


def _api_id(value: str) -> str:
    # An identifier URL or any other string would make the engine plan a replacement
    # of the imported API, which `protect` turns into a failed deploy.
    if not _API_ID.fullmatch(value):
        hint = " That is the API's identifier (audience), not its id." if "://" in value else ""
        raise ValueError(
            f"not an Auth0 API id.{hint} The id is 24 hexadecimal characters, e.g. "
            "6643a1f2b7e9c8d4a5f60712: Dashboard > Applications > APIs > Auth0 My Account "
            "API, or the 'id' of GET /api/v2/resource-servers/<url-encoded identifier>"
        )
    return value


def _grant_id(value: str) -> str:
    if not _GRANT_ID.fullmatch(value):
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


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")


class Tenant(_Strict):
    """The Auth0 tenant this stack manages."""

    domain: Domain = Field(description="Canonical tenant domain, e.g. acme.eu.auth0.com.")


ANONYMOUS_USER_DEFAULT = "deny_all"
"""What Auth0 applies to anonymous users when nothing is set (and without the feature)."""


class Policies(_Strict):
    """Application access policies of the My Account API (subject_type_authorization)."""

    user: UserPolicy = "require_client_grant"
    client: Annotated[ClientPolicy, AfterValidator(_client_policy)] = "deny_all"
    anonymous_user: AnonymousUserPolicy | None = Field(
        default=None,
        description="Early access: the policy for tokens issued with no signed-in user. "
        "Leave it out unless the tenant has the feature: it is then not sent, and Auth0 "
        "applies its own default (deny_all).",
    )

    def anonymous_user_in_effect(self) -> str:
        """The anonymous-user policy the tenant applies: the spec's, or Auth0's default."""
        return self.anonymous_user or ANONYMOUS_USER_DEFAULT


class ProofOfPossession(_Strict):
    """Sender-constrained tokens (DPoP or mTLS)."""

    mechanism: Literal["dpop", "mtls"] = "dpop"
    required: bool = False
    required_for: Literal["public_clients", "all_clients"] | None = None


class AuthorizationPolicy(_Strict):
    """Step-up policy (early access), e.g. 'second factor within 15 minutes'."""

    policy_id: Text


class ApiSettings(_Strict):
    """Settings of the My Account API; only fields Auth0 lets a system API change."""

    adopt_id: ApiId | None = Field(
        default=None,
        description="Id (24 hexadecimal characters) of a My Account API already activated "
        "in the Dashboard, to import instead of creating it.",
    )
    policies: Policies = Policies()
    token_lifetime: int = Field(default=600, ge=60, le=2_592_000)
    proof_of_possession: ProofOfPossession | None = None
    authorization_policy: AuthorizationPolicy | None = None
    skip_consent_for_verifiable_first_party_clients: bool = True


class Application(_Strict):
    """One application and the My Account scopes its client grant allows."""

    client_id: ClientId
    app_type: AppType
    first_party: bool
    owner: Text = Field(description="Team or person accountable for this grant.")
    justification: Text | None = None
    scopes: ScopeList
    adopt_grant_id: GrantId | None = Field(
        default=None,
        description="Id of the application's existing My Account grant (made in the "
        "Dashboard, say), to import and narrow to these scopes in the same `pulumi up`.",
    )


class DeclaredScope(_Strict):
    """A scope Auth0 issued after tenantcfg's catalogue was written, reviewed here."""

    unlocks: Text = Field(description="What an application holding it may do to an account.")
    risk: Literal["low", "medium", "high", "critical"]
    sensitive: bool = Field(
        description="Can it lock a user out or let an attacker persist? "
        "Sensitive scopes want step-up (MYACC-015)."
    )
    justification: Text = Field(
        description="Why the tenant grants it before the catalogue "
        "knows it, and who reviewed what it unlocks."
    )


class Waiver(_Strict):
    """Silences one rule for one application until it expires; still reported as waived."""

    rule: Annotated[str, Field(pattern=_RULE_ID.pattern)]
    application: str
    reason: str = ""
    expires: dt.date


class TenantSpec(_Strict):
    """A whole stack spec."""

    version: Annotated[Literal[1], BeforeValidator(_version)] = 1
    tenant: Tenant
    my_account_api: ApiSettings = ApiSettings()
    declared_scopes: dict[DeclarableScope, DeclaredScope] = {}
    applications: dict[AppName, Application] = {}
    waivers: list[Waiver] = []

    def scope_declarations(self) -> scopes.Declared:
        """The declared scopes as catalogue entries (lifecycle ``declared``)."""
        return {
            value: scopes.declared_scope(value, d.unlocks, scopes.Risk(d.risk), d.sensitive)
            for value, d in self.declared_scopes.items()
        }

    @property
    def audience(self) -> str:
        """The My Account API identifier for this tenant (trailing slash included)."""
        return f"https://{self.tenant.domain}/me/"
