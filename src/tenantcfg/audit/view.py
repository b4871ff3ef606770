"""The live tenant as the shared rules see it, each field tied to where the spec declares it.

Grants of applications the spec lists are named after the application, so the
spec's waivers apply to them and findings land on the application's lines; other
grants are named ``client <client id>``.
"""

from __future__ import annotations

import datetime as dt

from tenantcfg.adapters.fields import grant_spec_paths
from tenantcfg.adapters.spec import API_ENTRY, API_FIELDS, settings_of, waivers_of
from tenantcfg.audit.live import LiveApi, LiveGrant, LiveTenant
from tenantcfg.rules.model import ApiView, GrantView, Settings, TenantView
from tenantcfg.spec.loader import LoadedSpec
from tenantcfg.spec.problems import SpecPath


def application_names(loaded: LoadedSpec) -> dict[str, str]:
    """The spec's application name of each client id it declares."""
    return {app.client_id: name for name, app in loaded.spec.applications.items()}


def grant_resource(names: dict[str, str], grant: LiveGrant) -> str:
    """The name findings on ``grant`` carry: the spec's application name when it has one."""
    if grant.client_id is None:
        return f"default grant ({grant.default_for or 'no client'})"
    return names.get(grant.client_id, f"client {grant.client_id}")


def _grant_fields(loaded: LoadedSpec, resource: str) -> dict[str, SpecPath]:
    if resource not in loaded.spec.applications:
        return {}
    return grant_spec_paths(resource)


def _api(api: LiveApi) -> ApiView:
    return ApiView(
        resource=API_ENTRY,
        identifier=api.identifier,
        user_policy=api.user_policy,
        client_policy=api.client_policy,
        anonymous_user_policy=api.anonymous_user_policy,
        token_lifetime=api.token_lifetime,
        step_up=api.step_up_policy_id is not None,
        protected=None,
        fields=dict(API_FIELDS),
    )


def _grant(
    loaded: LoadedSpec, names: dict[str, str], live: LiveTenant, grant: LiveGrant
) -> GrantView:
    resource = grant_resource(names, grant)
    client = live.clients.get(grant.client_id or "")
    return GrantView(
        resource=resource,
        client_id=grant.client_id,
        audience=grant.audience,
        subject_type=grant.subject_type,
        scopes=grant.scopes,
        allow_all_scopes=grant.allow_all_scopes,
        default_for=grant.default_for,
        app_type=client.app_type if client else None,
        first_party=client.first_party if client else None,
        fields=_grant_fields(loaded, resource),
    )


def view_of_tenant(
    loaded: LoadedSpec, live: LiveTenant, settings: Settings, today: dt.date | None = None
) -> TenantView:
    """The rules' view of what the tenant holds, with the spec's waivers and domain."""
    names = application_names(loaded)
    return TenantView(
        apis=(_api(live.api),) if live.api else (),
        grants=tuple(_grant(loaded, names, live, g) for g in live.grants),
        waivers=waivers_of(loaded.spec),
        settings=settings_of(loaded.spec, settings),
        today=today or dt.date.today(),
        knows_justifications=False,
    )
