"""The tenant spec: the schema of ``stacks/<stack>.yaml``, the file people review.

Strict (no type coercion), frozen, and closed (unknown keys are errors). The
schema accepts insecure values that Auth0 itself accepts, such as a user policy
of ``allow_all``: judging them is the job of :mod:`tenantcfg.rules`, which can
then say why and how to fix it, and honour waivers.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tenantcfg.catalogue import scopes
from tenantcfg.spec.valuetypes import (
    DECLARED_CONTEXT,
    AnonymousUserPolicy,
    ApiId,
    AppName,
    AppType,
    ClientId,
    DeclarableScope,
    Domain,
    FixedClientPolicy,
    GrantId,
    RuleId,
    ScopeList,
    Text,
    UserPolicy,
    Version,
    validation_context,
)

__all__ = [
    "ANONYMOUS_USER_DEFAULT",
    "DECLARED_CONTEXT",
    "ApiSettings",
    "Application",
    "AuthorizationPolicy",
    "DeclaredScope",
    "Policies",
    "ProofOfPossession",
    "Tenant",
    "TenantSpec",
    "Waiver",
    "validation_context",
]


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
    client: FixedClientPolicy = "deny_all"
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

    rule: RuleId
    application: str
    reason: str = ""
    expires: dt.date


class TenantSpec(_Strict):
    """A whole stack spec."""

    version: Version = 1
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
