"""A spec as the rules see it, each field tied to its path in the YAML."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tenantcfg.adapters.fields import api_spec_paths, grant_spec_paths
from tenantcfg.rules.model import ApiView, GrantView, Settings, TenantView, WaiverView
from tenantcfg.spec.loader import LoadedSpec
from tenantcfg.spec.model import TenantSpec
from tenantcfg.spec.placeholders import find_placeholders
from tenantcfg.spec.problems import SpecPath

API_ENTRY = "my_account_api"
"""The resource name spec findings about the API carry."""


API_FIELDS: dict[str, SpecPath] = api_spec_paths()
"""Where each field of the API's view is written in a spec (for the audit's view too)."""


def _api(spec: TenantSpec) -> ApiView:
    api = spec.my_account_api
    return ApiView(
        resource=API_ENTRY,
        identifier=spec.audience,
        user_policy=api.policies.user,
        client_policy=api.policies.client,
        anonymous_user_policy=api.policies.anonymous_user,
        token_lifetime=api.token_lifetime,
        step_up=api.authorization_policy is not None,
        fields=dict(API_FIELDS),
    )


def _grants(spec: TenantSpec) -> tuple[GrantView, ...]:
    grants = []
    for name, app in spec.applications.items():
        grants.append(
            GrantView(
                resource=name,
                client_id=app.client_id,
                audience=spec.audience,
                subject_type="user",
                scopes=tuple(app.scopes),
                app_type=app.app_type,
                first_party=app.first_party,
                justification=app.justification,
                fields=grant_spec_paths(name),
            )
        )
    return tuple(grants)


def waivers_of(spec: TenantSpec) -> tuple[WaiverView, ...]:
    """The spec's waivers as the rules see them, each field tied to its path."""
    return tuple(
        WaiverView(
            i,
            w.rule,
            w.application,
            w.reason,
            w.expires,
            fields={k: ("waivers", i, k) for k in ("rule", "application", "reason", "expires")},
        )
        for i, w in enumerate(spec.waivers)
    )


def _owner_of(path: SpecPath) -> str:
    """The resource a finding on ``path`` belongs to, named as the other rules name it."""
    head = path[0] if path else ""
    if head == "applications" and len(path) > 1:
        return str(path[1])
    if head == "waivers" and len(path) > 1:
        return f"waivers[{path[1]}]"
    if head == "declared_scopes" and len(path) > 1:
        return f"declared scope {path[1]}"
    return API_ENTRY


def _placeholders(loaded: LoadedSpec) -> tuple[tuple[str, SpecPath], ...]:
    found = sorted(find_placeholders(loaded.source.data), key=lambda p: tuple(map(str, p)))
    return tuple((_owner_of(path), path) for path in found)


def settings_of(spec: TenantSpec, settings: Settings | None = None) -> Settings:
    """``settings`` with the scopes ``spec`` declares."""
    return dataclasses.replace(settings or Settings(), declared_scopes=spec.scope_declarations())


def view_of_spec(
    loaded: LoadedSpec, settings: Settings | None = None, today: dt.date | None = None
) -> TenantView:
    """The rules' view of a loaded spec.

    The spec's own domain is not taken as canonical: only a configured canonical
    domain is, so a custom domain written in the spec is still caught (MYACC-013).
    """
    spec = loaded.spec
    return TenantView(
        apis=(_api(spec),),
        grants=_grants(spec),
        waivers=waivers_of(spec),
        settings=settings_of(spec, settings),
        today=today or dt.date.today(),
        knows_justifications=True,
        placeholders=_placeholders(loaded),
    )
