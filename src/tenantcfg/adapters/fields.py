"""Where each field the rules judge is written: in a spec, and in the Pulumi resource.

One table for the API and one for a grant, keyed by the field of the rules' view
(:class:`~tenantcfg.rules.model.ApiView`, :class:`~tenantcfg.rules.model.GrantView`).
Every adapter ties its view's fields to places through them: the spec's view and the
audit's to spec paths, the resources' view to input paths; and the offline checker
reads them backwards, to place a finding on a resource's input at the spec line that
declared it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tenantcfg.spec.problems import SpecPath

InputPath = tuple[str, ...]
"""A path into a Pulumi resource's inputs, camelCase keys as the engine sends them."""


@dataclass(frozen=True)
class Place:
    """Where one field of the rules' view is written."""

    spec: SpecPath
    """In a spec: from the document's root for the API; for a grant, from its application's
    entry (``()`` is the entry itself) unless ``in_tenant`` says from the root."""
    resource: InputPath | None
    """In the resource's inputs; None for what the program declares on no resource (facts
    about the Auth0 application that the spec records for review)."""
    in_tenant: bool = False
    """True when a grant's field is written once for the tenant, not per application."""


_API = ("my_account_api",)
_POLICY = ("subjectTypeAuthorization",)

API: Mapping[str, Place] = {
    "identifier": Place(("tenant", "domain"), ("identifier",)),
    "user_policy": Place((*_API, "policies", "user"), (*_POLICY, "user", "policy")),
    "client_policy": Place((*_API, "policies", "client"), (*_POLICY, "client", "policy")),
    "anonymous_user_policy": Place(
        (*_API, "policies", "anonymous_user"), (*_POLICY, "anonymousUser", "policy")
    ),
    "token_lifetime": Place((*_API, "token_lifetime"), ("tokenLifetime",)),
}
"""The My Account API's fields."""

GRANT: Mapping[str, Place] = {
    "client_id": Place(("client_id",), ("clientId",)),
    "audience": Place(("tenant", "domain"), ("audience",), in_tenant=True),
    "subject_type": Place((), ("subjectType",)),
    "scopes": Place(("scopes",), ("scopes",)),
    # A spec cannot grant every scope nor make a default grant: findings on either land on
    # what the spec does declare, the application's scopes and the application.
    "allow_all_scopes": Place(("scopes",), ("allowAllScopes",)),
    "default_for": Place((), ("defaultFor",)),
    "app_type": Place(("app_type",), None),
    "first_party": Place(("first_party",), None),
    "justification": Place(("justification",), None),
}
"""A grant's fields, with what the spec records of its application."""


def api_spec_paths() -> dict[str, SpecPath]:
    """Each API field's spec path."""
    return {name: place.spec for name, place in API.items()}


def grant_spec_paths(application: str) -> dict[str, SpecPath]:
    """Each grant field's spec path, for the grant of one of the spec's applications."""
    entry: SpecPath = ("applications", application)
    return {
        name: place.spec if place.in_tenant else (*entry, *place.spec)
        for name, place in GRANT.items()
    }


def input_paths(table: Mapping[str, Place]) -> dict[str, InputPath]:
    """Each field's path in the resource's inputs, for the fields a resource has."""
    return {name: place.resource for name, place in table.items() if place.resource is not None}


def _declaring(table: Mapping[str, Place], field: SpecPath) -> tuple[Place, SpecPath] | None:
    """The place whose input path starts ``field``, and the rest of ``field`` past it."""
    for place in table.values():
        path = place.resource
        if path is not None and tuple(field[: len(path)]) == path:
            return place, field[len(path) :]
    return None


def api_spec_path(field: SpecPath) -> SpecPath:
    """Where the spec declares an input of the API resource; the API's entry if nowhere."""
    found = _declaring(API, field)
    return (*found[0].spec, *found[1]) if found else _API


def grant_spec_path(application: str, field: SpecPath) -> SpecPath:
    """Where the spec declares an input of an application's grant; its entry if nowhere."""
    entry: SpecPath = ("applications", application)
    found = _declaring(GRANT, field)
    if found is None:
        return entry
    place, rest = found
    return (*(place.spec if place.in_tenant else (*entry, *place.spec)), *rest)
