"""Drift: where the live tenant differs from the reviewed spec in ways no policy rule sees.

The policy rules (MYACC-…) judge the tenant on its own: ``allow_all``, a client policy
that is not ``deny_all``, ``allow_all_scopes``, a wrong ``subject_type``, a third-party
or machine-to-machine application. The checks here compare it with the spec, with
their own stable ids (AUDIT-…); where a rule already reports a difference (a policy
loosened to ``allow_all``), drift does not report it twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.adapters.fields import API, grant_spec_paths
from tenantcfg.adapters.spec import API_ENTRY
from tenantcfg.audit.drift_rules import (
    APP_EXISTS,
    APP_TYPE,
    DRIFT_RULES,
    FIRST_PARTY,
    MISSING_GRANT,
    NOT_ACTIVATED,
    POLICY,
    SCOPES_ADDED,
    SCOPES_REMOVED,
    SETTINGS,
    UNDECLARED_GRANT,
    Drift,
    DriftRule,
)
from tenantcfg.audit.live import LiveApi, LiveGrant, LiveTenant
from tenantcfg.audit.view import application_names, grant_resource
from tenantcfg.catalogue.risk import POLICY_DEFAULTS
from tenantcfg.rules import anonymous_policy, client_policy, user_policy
from tenantcfg.spec.loader import LoadedSpec
from tenantcfg.spec.model import ApiSettings, Application

__all__ = [
    "APP_EXISTS",
    "APP_TYPE",
    "DRIFT_RULES",
    "FIRST_PARTY",
    "MISSING_GRANT",
    "NOT_ACTIVATED",
    "POLICY",
    "SCOPES_ADDED",
    "SCOPES_REMOVED",
    "SETTINGS",
    "UNDECLARED_GRANT",
    "Drift",
    "DriftRule",
    "drift",
]

_API_PATH = ("my_account_api",)
_DEFAULT_POLICY = POLICY_DEFAULTS
"""What an absent policy means on the My Account API."""


_OPENS = {
    "user": user_policy.opens,
    "client": client_policy.opens,
    "anonymous_user": anonymous_policy.opens,
}


def _rule_covers(who: str, live: str | None) -> bool:
    """Whether MYACC-001/002/003 already reports this live policy (their own predicates)."""
    return _OPENS[who](live)


def _policies(spec: ApiSettings, api: LiveApi) -> Iterator[Drift]:
    for who in ("user", "client", "anonymous_user"):
        want = (
            spec.policies.anonymous_user_in_effect()
            if who == "anonymous_user"
            else getattr(spec.policies, who)
        )
        live = getattr(api, f"{who}_policy")
        effective = live or _DEFAULT_POLICY.get(who)
        if effective != want and not _rule_covers(who, live):
            yield Drift(
                POLICY,
                API_ENTRY,
                f"{who} policy is {effective or 'absent'}, the spec declares {want}",
                API[f"{who}_policy"].spec,
            )


def _shown(value: object) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):  # proof_of_possession
        mechanism, required, required_for = value
        text = f"{mechanism}, required: {_shown(required)}"
        return f"{text}, required_for: {required_for}" if required_for else text
    return str(value)


def _settings(spec: ApiSettings, api: LiveApi) -> Iterator[Drift]:
    def differs(field: str, live: object, want: object, path: str) -> Iterator[Drift]:
        if live != want:
            yield Drift(
                SETTINGS,
                API_ENTRY,
                f"{field} is {_shown(live)} in the tenant, the spec declares {_shown(want)}",
                (*_API_PATH, path),
            )

    yield from differs("token_lifetime", api.token_lifetime, spec.token_lifetime, "token_lifetime")
    want_policy = spec.authorization_policy.policy_id if spec.authorization_policy else None
    yield from differs(
        "authorization_policy (step-up)", api.step_up_policy_id, want_policy, "authorization_policy"
    )
    if spec.proof_of_possession is not None:
        pop = spec.proof_of_possession
        want = (pop.mechanism, pop.required, pop.required_for)
        yield from differs("proof_of_possession", api.dpop, want, "proof_of_possession")
    yield from differs(
        "skip_consent_for_verifiable_first_party_clients",
        api.skip_consent,
        spec.skip_consent_for_verifiable_first_party_clients,
        "skip_consent_for_verifiable_first_party_clients",
    )
    if spec.adopt_id is not None and api.id != spec.adopt_id:
        yield Drift(
            SETTINGS,
            API_ENTRY,
            f"the API's id is {api.id}, not the adopted "
            f"{spec.adopt_id}: it was deleted and activated again outside the stack",
            (*_API_PATH, "adopt_id"),
        )


def _undeclared(names: dict[str, str], live: LiveTenant, grant: LiveGrant) -> Iterator[Drift]:
    if grant.client_id is None:
        return  # a default_for grant: MYACC-010 reports it
    if grant.client_id in names:
        return
    client = live.clients.get(grant.client_id)
    who = (
        f"application {client.name!r} ({client.app_type or 'type not set'})"
        if client
        else "an application the tenant does not know"
    )
    scopes = "all scopes" if grant.allow_all_scopes else ", ".join(grant.scopes or ()) or "none"
    yield Drift(
        UNDECLARED_GRANT,
        grant_resource(names, grant),
        f"{who} holds a {grant.subject_type} grant ({scopes}) that the spec does not declare",
        ("applications",),
    )


def _application(
    name: str, app: Application, user: LiveGrant | None, live: LiveTenant
) -> Iterator[Drift]:
    base = ("applications", name)
    paths = grant_spec_paths(name)
    if user is None:
        yield Drift(
            MISSING_GRANT,
            name,
            f"no user grant for client {app.client_id}: the spec grants {', '.join(app.scopes)}",
            base,
        )
    elif not user.allow_all_scopes:  # allow_all_scopes is MYACC-005's
        held = user.scopes or ()
        added = [s for s in held if s not in app.scopes]
        removed = [s for s in app.scopes if s not in held]
        if added:
            # The id lets a spec adopt the grant (adopt_grant_id), which narrows it in one up.
            yield Drift(
                SCOPES_ADDED,
                name,
                f"scopes added in the tenant: {', '.join(added)} (grant {user.id})",
                paths["scopes"],
            )
        if removed:
            yield Drift(
                SCOPES_REMOVED,
                name,
                f"scopes missing in the tenant: {', '.join(removed)}",
                paths["scopes"],
            )
    if user is not None and app.client_id in live.missing_clients:
        # A grant left behind by a deleted application: nothing can use it, but the spec
        # still declares the application, so the review record is wrong; say so.
        yield Drift(
            APP_EXISTS,
            name,
            f"the grant names client {app.client_id}, which the "
            "tenant does not have (the application was deleted)",
            paths["client_id"],
        )
    client = live.clients.get(app.client_id)
    if client and client.app_type is not None and client.app_type != app.app_type:
        yield Drift(
            APP_TYPE,
            name,
            f"the application is of type {client.app_type!r} in the "
            f"tenant, the spec declares {app.app_type!r}",
            paths["app_type"],
        )
    if client and client.first_party is not None and client.first_party != app.first_party:
        real = "first-party" if client.first_party else "third-party"
        yield Drift(
            FIRST_PARTY,
            name,
            f"the application is {real} in the tenant, the spec "
            f"declares first_party: {str(app.first_party).lower()}",
            paths["first_party"],
        )


def drift(loaded: LoadedSpec, live: LiveTenant) -> list[Drift]:
    """Every difference between the tenant and the spec."""
    spec = loaded.spec
    names = application_names(loaded)
    found: list[Drift] = []
    for grant in live.grants:
        found += _undeclared(names, live, grant)
    if live.api is None:
        # No API, no grant can be used: one finding, not one per application.
        found.append(
            Drift(
                NOT_ACTIVATED,
                API_ENTRY,
                f"the tenant has no API with identifier "
                f"{live.audience}: the My Account API is not activated, so none of "
                f"the {len(spec.applications)} applications in the spec can use it",
                _API_PATH,
            )
        )
        return found
    found += [*_policies(spec.my_account_api, live.api), *_settings(spec.my_account_api, live.api)]
    # Auth0 keeps one grant per (client, audience, subject type): a dict loses nothing.
    user = {g.client_id: g for g in live.grants if g.subject_type == "user" and g.client_id}
    for name, app in spec.applications.items():
        found += _application(name, app, user.get(app.client_id), live)
    return found
