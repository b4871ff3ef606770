"""What a tenant holds, sorted into what a spec can declare and what it cannot.

A grant goes into the spec only if the spec can say exactly what the tenant has:
then adopting it changes nothing in the tenant. Anything else (a machine-to-machine
grant, ``allow_all_scopes``, a scope no spec may list, an application the tenant
does not have) is left out with the reason, so that ``pulumi up`` never touches it
and the audit keeps reporting it until a person has dealt with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import get_args

from pydantic import BaseModel, ValidationError

from tenantcfg.audit.live import LiveApi, LiveClient, LiveGrant, LiveTenant
from tenantcfg.catalogue import scopes
from tenantcfg.importing.names import unique_keys
from tenantcfg.importing.quoting import shown
from tenantcfg.rules import client_policy
from tenantcfg.spec.model import ApiSettings, Policies, ProofOfPossession
from tenantcfg.spec.secretscan import looks_secret
from tenantcfg.spec.text import is_blank
from tenantcfg.spec.valuetypes import CLIENT_ID, GRANT_ID, AppType

_DEFAULTS = ApiSettings()
"""The spec's own defaults: what an imported spec says where the tenant says nothing usable."""


@dataclass(frozen=True)
class ApiDraft:
    """The My Account API's settings as a spec writes them, with what could not be kept."""

    adopt_id: str | None = None
    user: str = _DEFAULTS.policies.user
    client: str = _DEFAULTS.policies.client
    anonymous_user: str | None = None
    token_lifetime: int = _DEFAULTS.token_lifetime
    proof_of_possession: tuple[str, bool, str | None] | None = None
    step_up_policy_id: str | None = None
    skip_consent: bool = _DEFAULTS.skip_consent_for_verifiable_first_party_clients
    notes: dict[str, str] = field(default_factory=dict)
    """Per spec key: how the tenant's value differs from what is written, and why."""


@dataclass(frozen=True)
class AppDraft:
    """One application whose grant the spec can declare exactly."""

    key: str
    client_id: str
    app_type: str
    first_party: bool
    scopes: tuple[str, ...]
    grant_id: str


@dataclass(frozen=True)
class LeftOut:
    """A grant the spec cannot declare as the tenant has it."""

    grant_id: str
    client_id: str | None
    why: str


@dataclass(frozen=True)
class Draft:
    """Everything an imported spec says, in the order it is written."""

    domain: str
    activated: bool
    api: ApiDraft
    declared: tuple[str, ...]
    apps: tuple[AppDraft, ...]
    left_out: tuple[LeftOut, ...]


def _fits(model: type[BaseModel], **values: object) -> bool:
    """Whether the spec's own schema accepts ``values`` for ``model``: its one definition."""
    try:
        model.model_validate(values)
    except ValidationError:
        return False
    return True


def _api(live: LiveApi) -> ApiDraft:
    notes: dict[str, str] = {}
    user = live.user_policy
    if user is None or not _fits(Policies, user=user):
        notes["user"] = (
            f"the tenant has user policy {shown(user)}; written as {ApiDraft.user}, "
            "which the audit compares"
        )
        user = ApiDraft.user
    if client_policy.opens(live.client_policy):
        notes["client"] = (
            f"the tenant has client policy {shown(live.client_policy)}, which no spec can declare "
            "(MYACC-002): Auth0 fixes it at deny_all"
        )
    anonymous = live.anonymous_user_policy
    if anonymous is not None and not _fits(Policies, anonymous_user=anonymous):
        notes["anonymous_user"] = (
            f"the tenant has anonymous_user policy {shown(anonymous)}, which no spec can declare "
            "(MYACC-003); left out, so Auth0's default deny_all is what the spec says"
        )
        anonymous = None
    lifetime = live.token_lifetime
    if lifetime is None or not _fits(ApiSettings, token_lifetime=lifetime):
        notes["token_lifetime"] = (
            f"the tenant has token_lifetime {shown(str(lifetime))}; written as "
            f"{ApiDraft.token_lifetime}, which the audit compares"
        )
        lifetime = ApiDraft.token_lifetime
    step_up = live.step_up_policy_id
    why = None if step_up is None else _step_up_problem(step_up)
    if why is not None:
        notes["authorization_policy"] = f"the tenant's step-up policy id {why}; left out"
        step_up = None
    return ApiDraft(
        adopt_id=live.id,  # the reader refuses an id that is not an Auth0 API id
        user=user,
        anonymous_user=anonymous,
        token_lifetime=lifetime,
        proof_of_possession=_pop(live, notes),
        step_up_policy_id=step_up,
        skip_consent=_skip_consent(live, notes),
        notes=notes,
    )


def _step_up_problem(policy_id: str) -> str | None:
    """Why a step-up policy id cannot be written in a spec as it is, or None."""
    if is_blank(policy_id):
        return "is blank"
    # Not printable covers line breaks and half characters (lone surrogates) too.
    if len(policy_id) > 256 or not policy_id.isprintable():
        return "is not a policy id (too long, or not printable)"
    what = looks_secret(policy_id)
    return f"looks like {what}" if what else None


def _skip_consent(live: LiveApi, notes: dict[str, str]) -> bool:
    if live.skip_consent is None:
        notes["skip_consent_for_verifiable_first_party_clients"] = (
            "not set in the tenant; written as the spec's default, which `pulumi up` sends"
        )
        return ApiDraft.skip_consent
    return live.skip_consent


def _pop(live: LiveApi, notes: dict[str, str]) -> tuple[str, bool, str | None] | None:
    if live.dpop is None:
        return None
    mechanism, required, required_for = live.dpop
    required = False if required is None else required
    if mechanism is not None and _fits(
        ProofOfPossession, mechanism=mechanism, required=required, required_for=required_for
    ):
        return (mechanism, required, required_for)
    notes["proof_of_possession"] = (
        f"the tenant has proof_of_possession {shown(mechanism)}/{shown(required_for)}, which "
        "no spec can declare; left out"
    )
    return None


_LONGEST_SCOPE = 100
"""Longer than any scope Auth0 issues by far; a longer one would not even fit a line."""


def _grantable(scope: str) -> bool:
    """A scope a spec may list: one of the catalogue's, or one it may declare."""
    if scopes.lookup(scope) is not None:
        return True
    return len(scope) <= _LONGEST_SCOPE and scopes.declaration_problem(scope) is None


def _grant_problems(grant: LiveGrant) -> Iterator[str]:
    """What keeps a spec from declaring ``grant`` itself, whatever its application."""
    if grant.default_for is not None:
        yield f"a default grant for {shown(grant.default_for)} (MYACC-010)"
    if (grant.subject_type or "client") != "user":
        yield f"a {shown(grant.subject_type or 'client')} (machine-to-machine) grant (MYACC-004)"
    if grant.allow_all_scopes:
        yield "it allows every scope, present and future (allow_all_scopes, MYACC-005)"
    if grant.extras:
        yield f"it sets {', '.join(grant.extras)}, which no spec holds"
    if grant.client_id is None or not CLIENT_ID.fullmatch(grant.client_id):
        yield "its client id is not one a spec can hold"
    if not GRANT_ID.fullmatch(grant.id):
        yield "its id is not one a spec can adopt"
    bad = [s for s in grant.scopes or () if not _grantable(s)]
    if bad:
        yield f"it holds {', '.join(map(shown, bad[:3]))}, which no spec may grant (MYACC-007/008)"


def _why_not(grant: LiveGrant, client: LiveClient | None) -> str | None:
    """Why the spec cannot declare ``grant`` exactly as it is, or None when it can."""
    first = next(_grant_problems(grant), None)
    if first is not None:
        return first
    if client is None:
        return "it names an application the tenant does not have"
    if client.app_type not in get_args(AppType):
        return f"its application is of type {shown(client.app_type)} (MYACC-011)"
    return None


def draft(live: LiveTenant, domain: str) -> Draft:
    """Sort what ``live`` holds into a spec's parts and the grants left out."""
    declarable: list[tuple[LiveGrant, LiveClient]] = []
    left_out: list[LeftOut] = []
    seen: set[str] = set()
    for grant in sorted(live.grants, key=lambda g: g.id):
        client = live.clients.get(grant.client_id or "")
        why = _why_not(grant, client)
        if why is None and grant.client_id in seen:
            why = "a second user grant for the same application (MYACC-012)"
        if why is not None:
            left_out.append(LeftOut(grant.id, grant.client_id, why))
            continue
        assert client is not None  # _why_not names a grant without its application
        seen.add(client.client_id)
        declarable.append((grant, client))
    keys = unique_keys((c.client_id, c.name) for _, c in declarable)
    apps = [
        AppDraft(
            keys[c.client_id],
            c.client_id,
            str(c.app_type),
            bool(c.first_party),
            tuple(g.scopes or ()),  # the tenant's list as it is: see grant_scopes
            g.id,
        )
        for g, c in declarable
    ]
    declared = sorted({s for a in apps for s in a.scopes if scopes.lookup(s) is None})
    return Draft(
        domain=domain,
        activated=live.api is not None,
        api=_api(live.api) if live.api else ApiDraft(),
        declared=tuple(declared),
        apps=tuple(sorted(apps, key=lambda a: a.key)),
        left_out=tuple(left_out),
    )
