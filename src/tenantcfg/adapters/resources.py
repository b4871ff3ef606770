"""Pulumi resources, as the engine sends them to a policy pack, as the rules see them.

Inputs arrive with camelCase keys at every depth and numbers as floats. Values
not known yet (during a preview) arrive as :data:`UNKNOWN`; a resource with an
unknown field the rules need is reported as *uncertain*, so its findings can
only ever be advisory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tenantcfg.adapters import fields
from tenantcfg.adapters.fields import input_paths
from tenantcfg.rules.model import ApiView, GrantView, Settings, TenantView

RESOURCE_SERVER = "auth0:index/resourceServer:ResourceServer"
CLIENT_GRANT = "auth0:index/clientGrant:ClientGrant"


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""Stands for a value the engine does not know yet."""


@dataclass(frozen=True)
class Resource:
    """The parts of a registered resource the rules need."""

    type: str
    name: str
    urn: str
    inputs: Mapping[str, Any]
    protect: bool | None = None
    provider_inputs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResourceView:
    """The tenant view of a set of resources, and which of them could not be fully read."""

    view: TenantView
    unknown: Mapping[str, frozenset[str]]
    """Resource name to the top-level input keys whose values are not known yet."""
    urns: Mapping[str, str]
    """Resource name to URN, to report findings where the engine expects them."""

    def is_uncertain(self, resource: str, field: tuple[str | int, ...]) -> bool:
        """Whether a finding on ``field`` of ``resource`` rests on a value not known yet.

        A finding is uncertain when the field it is about is unknown, or when what
        makes the resource a My Account resource (identifier, audience) is.
        """
        keys = self.unknown.get(resource, frozenset())
        if not keys:
            return False
        if keys & {"identifier", "audience"}:
            return True
        return not field or str(field[0]) in keys


class _Reader:
    def __init__(self, inputs: Mapping[str, Any]) -> None:
        self.inputs = inputs
        self.unknown: set[str] = set()

    def get(self, *keys: str) -> Any:
        value: Any = self.inputs
        for key in keys:
            if value is UNKNOWN:
                break
            value = value.get(key) if isinstance(value, Mapping) else None
        if value is UNKNOWN:
            self.unknown.add(keys[0])
            return None
        return value


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


_API_INPUTS = input_paths(fields.API)
_GRANT_INPUTS = input_paths(fields.GRANT)


def _api(res: Resource, r: _Reader) -> ApiView:
    value = {name: r.get(*path) for name, path in _API_INPUTS.items()}
    return ApiView(
        resource=res.name,
        identifier=value["identifier"],
        user_policy=value["user_policy"],
        client_policy=value["client_policy"],
        anonymous_user_policy=value["anonymous_user_policy"],
        token_lifetime=_number(value["token_lifetime"]),
        step_up=bool(r.get("authorizationPolicy", "policyId")),
        protected=res.protect,
        fields=dict(_API_INPUTS),
    )


def _grant(res: Resource, r: _Reader) -> GrantView:
    value = {name: r.get(*path) for name, path in _GRANT_INPUTS.items()}
    scopes = value["scopes"]
    return GrantView(
        resource=res.name,
        client_id=value["client_id"],
        audience=value["audience"],
        subject_type=value["subject_type"],
        scopes=tuple(s for s in scopes if isinstance(s, str)) if isinstance(scopes, list) else None,
        allow_all_scopes=value["allow_all_scopes"] is True,
        default_for=value["default_for"],
        fields=dict(_GRANT_INPUTS),
    )


def _canonical_domain(resources: Iterable[Resource]) -> str | None:
    for res in resources:
        domain = res.provider_inputs.get("domain")
        if isinstance(domain, str) and domain:
            return domain.lower()
    return None


def view_of_resources(
    resources: Iterable[Resource], settings: Settings | None = None
) -> ResourceView:
    """The rules' view of Pulumi resources; other resource types are ignored.

    The canonical domain comes from ``settings`` or else from the auth0
    provider's ``domain`` input, when the engine sends it.
    """
    items = list(resources)
    apis: list[ApiView] = []
    grants: list[GrantView] = []
    unknown: dict[str, frozenset[str]] = {}
    for res in items:
        reader = _Reader(res.inputs)
        if res.type == RESOURCE_SERVER:
            apis.append(_api(res, reader))
        elif res.type == CLIENT_GRANT:
            grants.append(_grant(res, reader))
        if reader.unknown:
            unknown[res.name] = frozenset(reader.unknown)
    base = settings or Settings()
    canonical = base.canonical_domain or _canonical_domain(items)
    view = TenantView(
        apis=tuple(apis),
        grants=tuple(grants),
        settings=dataclasses.replace(base, canonical_domain=canonical),
    )
    return ResourceView(view, unknown, {r.name: r.urn for r in items})
