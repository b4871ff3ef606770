"""The one map of fields: each field the rules judge has a place in a spec and in a resource.

A field added to a view, a spec or the program without its place in
``tenantcfg.adapters.fields`` fails here, before a finding lands on the wrong line.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from tenantcfg.adapters.fields import (
    API,
    GRANT,
    api_spec_path,
    grant_spec_path,
    grant_spec_paths,
)
from tenantcfg.adapters.resources import (
    CLIENT_GRANT,
    RESOURCE_SERVER,
    Resource,
    view_of_resources,
)
from tenantcfg.adapters.spec import view_of_spec
from tenantcfg.deploy.program import run as program
from tenantcfg.deploy.under_mocks import run_offline
from tenantcfg.rules.model import ApiView, GrantView
from tenantcfg.spec.loader import LoadedSpec, load_bytes
from tenantcfg.stack.project import PROJECT, SPEC_KEY
from tenantcfg.stack.registrations import OfflineRun

SPEC = b"""\
version: 1
tenant:
  domain: acme-fields.eu.auth0.com
my_account_api:
  policies:
    user: require_client_grant
    client: deny_all
    anonymous_user: deny_all
  token_lifetime: 600
applications:
  web:
    client_id: Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH
    app_type: spa
    first_party: true
    owner: identity-team@acme.example
    justification: The settings page lists the user's factors.
    scopes:
      - read:me:factors
"""

APPLICATION_FACTS = {"app_type", "first_party", "justification"}
"""What the spec records of an application for review, which no grant input holds."""

NOT_DECLARED_BY_PROGRAM = {"allow_all_scopes", "default_for"}
"""Grant inputs the pack reads on any stack, which a spec cannot ask the program for."""


def loaded() -> LoadedSpec:
    return load_bytes(SPEC, "fields.yaml")


def offline(tmp_path: Path) -> OfflineRun:
    spec = tmp_path / "fields.yaml"
    spec.write_bytes(SPEC)
    return run_offline(
        program, project=PROJECT, stack="fields", config={f"{PROJECT}:{SPEC_KEY}": str(spec)}
    )


def at(inputs: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        inputs = inputs.get(key) if isinstance(inputs, dict) else None
    return inputs


UNPLACED = {"resource", "fields", "protected", "step_up"}
"""View fields no finding is placed on (step-up findings land on a grant's scopes)."""


def test_every_field_of_the_views_has_a_place() -> None:
    assert {f.name for f in dataclasses.fields(ApiView)} - UNPLACED == set(API)
    assert {f.name for f in dataclasses.fields(GrantView)} - UNPLACED == set(GRANT)


def test_the_spec_view_places_every_field() -> None:
    view = view_of_spec(loaded())
    assert view.apis[0].fields == {name: place.spec for name, place in API.items()}
    assert view.grants[0].fields == grant_spec_paths("web")


def test_every_field_but_the_application_facts_has_a_resource_input() -> None:
    assert all(place.resource is not None for place in API.values())
    assert {name for name, place in GRANT.items() if place.resource is None} == APPLICATION_FACTS


def test_the_resource_view_places_every_input_it_reads(tmp_path: Path) -> None:
    run = offline(tmp_path)
    view = view_of_resources(Resource(r.type, r.name, r.urn, r.inputs) for r in run.registrations)
    (api,) = view.view.apis
    (grant,) = view.view.grants
    assert api.fields == {name: place.resource for name, place in API.items()}
    assert grant.fields == {
        name: place.resource for name, place in GRANT.items() if place.resource is not None
    }


def test_the_program_writes_every_input_the_spec_declares(tmp_path: Path) -> None:
    run = offline(tmp_path)
    (api,) = run.of_type(RESOURCE_SERVER)
    (grant,) = run.of_type(CLIENT_GRANT)
    for name, place in API.items():
        assert place.resource is not None
        assert at(api.inputs, place.resource) is not None, name
    for name, place in GRANT.items():
        if place.resource is not None and name not in NOT_DECLARED_BY_PROGRAM:
            assert at(grant.inputs, place.resource) is not None, name


def test_every_spec_path_is_written_in_the_spec() -> None:
    spec = loaded()
    for name, place in API.items():
        assert place.spec in spec.source.values, name
    for name, path in grant_spec_paths("web").items():
        if path != ("applications", "web"):  # the entry itself: the subject type, default_for
            assert path in spec.source.values, name


def test_a_finding_on_an_input_lands_where_the_spec_declares_the_field() -> None:
    paths = grant_spec_paths("web")
    for name, place in API.items():
        assert place.resource is not None
        assert api_spec_path(place.resource) == place.spec, name
    for name, place in GRANT.items():
        if place.resource is not None:
            assert grant_spec_path("web", place.resource) == paths[name], name
    assert api_spec_path(("authorizationPolicy", "policyId")) == ("my_account_api",)
    assert grant_spec_path("web", ("scopes", 0)) == ("applications", "web", "scopes", 0)
