"""The spec loader on real files: valid specs load, every kind of invalid input is refused.

Each file under ``specs/invalid/`` is small and named after what is wrong with
it; line 1 is a comment saying what. Beside each, ``<name>.expected`` holds the
``line:col: field: message`` lines the loader must report, worked out from the
fixture text (lines starting with ``#`` are notes). The whole list of problems
is compared, so an extra or a missing report fails too.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from helpers.paths import ROOT, SPECS
from tenantcfg.catalogue import scopes
from tenantcfg.spec.loader import load_bytes, load_file
from tenantcfg.spec.problems import Mark, SpecError

VALID = SPECS / "valid"
INVALID = SPECS / "invalid"

INVALID_FIXTURES = sorted(INVALID.glob("*.yaml"))


def problems_in(path: Path) -> list[str]:
    """Every problem the loader reports for an invalid fixture, without the file name."""
    with pytest.raises(SpecError) as caught:
        load_file(path)
    lines = [str(p) for p in caught.value.problems]
    prefix = f"{path}:"
    assert all(line.startswith(prefix) for line in lines), lines
    return [line.removeprefix(prefix) for line in lines]


# --- valid specs -------------------------------------------------------------------------


def test_a_minimal_spec_takes_the_safe_defaults() -> None:
    loaded = load_file(VALID / "minimal.yaml")
    spec = loaded.spec
    assert spec.tenant.domain == "acme.eu.auth0.com"
    assert spec.audience == "https://acme.eu.auth0.com/me/"
    api = spec.my_account_api
    assert (api.policies.user, api.policies.client, api.policies.anonymous_user) == (
        "require_client_grant",
        "deny_all",
        None,
    )
    assert api.policies.anonymous_user_in_effect() == "deny_all"
    assert api.token_lifetime == 600
    assert api.adopt_id is None
    assert api.proof_of_possession is None
    assert api.authorization_policy is None
    assert api.skip_consent_for_verifiable_first_party_clients is True
    assert spec.applications == {}
    assert spec.waivers == []
    assert loaded.file == str(VALID / "minimal.yaml")


def test_every_field_loads_as_written_including_values_only_the_rules_judge() -> None:
    spec = load_file(VALID / "every-field.yaml").spec
    api = spec.my_account_api
    assert api.adopt_id == "6643a1f2b7e9c8d4a5f60712"
    assert api.policies.user == "allow_all"
    assert api.policies.client == "deny_all"
    assert api.policies.anonymous_user == "require_client_grant"
    assert api.token_lifetime == 86400
    assert api.proof_of_possession is not None
    assert (
        api.proof_of_possession.mechanism,
        api.proof_of_possession.required,
        api.proof_of_possession.required_for,
    ) == ("mtls", True, "all_clients")
    assert api.authorization_policy is not None
    assert api.authorization_policy.policy_id == "019b76da-a800-73c9-b656-b349ae415c17"
    assert api.skip_consent_for_verifiable_first_party_clients is False
    assert list(spec.applications) == ["profile-editor", "empty-grant"]
    editor = spec.applications["profile-editor"]
    # The schema keeps the list as written; sorting and de-duplication are the grant's job.
    assert editor.scopes == [
        "update:me:profile",
        "read:me:profile",
        "read:me:consents",
        "read:me:profile",
    ]
    assert (editor.app_type, editor.first_party, editor.justification) == (
        "regular_web",
        False,
        None,
    )
    empty = spec.applications["empty-grant"]
    assert empty.scopes == []
    assert empty.justification == "Kept for a release that needs no scope yet."
    waiver = spec.waivers[0]
    assert (waiver.rule, waiver.application, waiver.expires) == (
        "MYACC-001",
        "profile-editor",
        dt.date(2030, 1, 31),
    )


def test_positions_of_keys_and_values_are_kept_for_messages() -> None:
    source = load_file(VALID / "every-field.yaml").source
    assert source.mark_of(("tenant", "domain")) == Mark(5, 11)
    assert source.mark_of(("tenant", "domain"), key=True) == Mark(5, 3)
    assert source.mark_of(("applications", "profile-editor", "scopes", 2)) == Mark(29, 9)
    assert source.mark_of(("applications", "profile-editor"), key=True) == Mark(21, 3)
    # A path that does not exist gets the position of its nearest enclosing node.
    assert source.mark_of(("applications", "profile-editor", "justification"), key=True) == Mark(
        21, 3
    )


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_bundled_stacks_load(stack: str) -> None:
    loaded = load_file(ROOT / "stacks" / f"{stack}.yaml")
    spec = loaded.spec
    assert spec.tenant.domain.endswith(".auth0.com")
    assert spec.applications, "a bundled stack with no application shows nothing"
    for app in spec.applications.values():
        assert app.owner.strip()
        assert app.justification, "every bundled grant says why"
        assert all(scopes.lookup(s) is not None for s in app.scopes)


def test_the_prod_stack_adopts_the_api_activated_in_the_dashboard() -> None:
    assert load_file(ROOT / "stacks" / "prod.yaml").spec.my_account_api.adopt_id
    assert load_file(ROOT / "stacks" / "dev.yaml").spec.my_account_api.adopt_id is None


def test_a_loaded_spec_is_frozen() -> None:
    spec = load_file(VALID / "minimal.yaml").spec
    with pytest.raises(ValueError, match="frozen"):
        spec.tenant.domain = "evil.eu.auth0.com"  # type: ignore[misc]


# --- invalid fixtures --------------------------------------------------------------------


def expected_problems(fixture: Path) -> list[str]:
    """The problems written beside ``fixture`` in ``<name>.expected``, notes left out."""
    lines = fixture.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("fixture", INVALID_FIXTURES, ids=lambda p: p.stem)
def test_each_invalid_fixture_reports_exactly_the_problems_written_beside_it(
    fixture: Path,
) -> None:
    expected = expected_problems(fixture)
    assert expected, f"{fixture.name}: its .expected file lists no problem"
    assert problems_in(fixture) == expected


def test_every_invalid_fixture_has_its_expected_problems_and_nothing_else_is_there() -> None:
    # A fixture without expectations, or expectations without a fixture, must not go unnoticed.
    assert len(INVALID_FIXTURES) >= 30
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(
        name for f in INVALID_FIXTURES for name in (f.name, f.with_suffix(".expected").name)
    )


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(SpecError) as caught:
        load_file(missing)
    assert str(caught.value) == (
        f"{missing}:1:1: (document): cannot read the spec file: No such file or directory"
    )


def test_a_quoted_waiver_date_says_to_remove_the_quotes() -> None:
    raw = (
        b"tenant:\n  domain: acme.eu.auth0.com\nwaivers:\n  - rule: MYACC-015\n"
        b"    application: spa\n    reason: rollout\n    expires: '2027-01-31'\n"
    )
    with pytest.raises(SpecError) as caught:
        load_bytes(raw, "quoted.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "quoted.yaml:7:14: waivers[0].expires: expected a date (got '2027-01-31'); "
        "write it unquoted as YYYY-MM-DD, e.g. 2027-03-31"
    ]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_bundled_specs_hold_only_values_of_the_shape_auth0_issues(stack: str) -> None:
    # Ids Auth0 issues: a 24-hex API id, cgr_ grant ids, 32-character client ids and
    # time-ordered UUIDs for step-up policies (the one recorded is a UUIDv7).
    api = load_file(ROOT / "stacks" / f"{stack}.yaml").spec.my_account_api
    assert api.authorization_policy is not None
    uuid7 = r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert re.fullmatch(uuid7, api.authorization_policy.policy_id)
    assert api.adopt_id is None or re.fullmatch(r"[0-9a-f]{24}", api.adopt_id)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("https://acme.eu.auth0.com/me/", "That is the API's identifier (audience), not its id."),
        ("6643A1F2B7E9C8D4A5F60712", "24 hexadecimal characters"),
        ("6643a1f2", "24 hexadecimal characters"),
    ],
)
def test_adopt_id_takes_only_the_id_form_auth0_uses(value: str, hint: str) -> None:
    raw = f"tenant:\n  domain: acme.eu.auth0.com\nmy_account_api:\n  adopt_id: '{value}'\n"
    with pytest.raises(SpecError) as caught:
        load_bytes(raw.encode(), "spec.yaml")
    (problem,) = caught.value.problems
    assert str(problem).startswith("spec.yaml:4:13: my_account_api.adopt_id: not an Auth0 API id.")
    assert hint in str(problem)
    assert "Dashboard > Applications > APIs > Auth0 My Account API" in str(problem)


@pytest.mark.parametrize(
    "value", ["cgr_short", "grant-1", "CGR_1knWIGy7bcAfm7DZ", "cgr_1knWIGy7bcAfm7DZx"]
)
def test_adopt_grant_id_takes_only_the_id_form_auth0_uses(value: str) -> None:
    raw = (
        f"tenant:\n  domain: acme.eu.auth0.com\napplications:\n  spa:\n"
        f"    client_id: Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH\n    app_type: spa\n"
        f"    first_party: true\n    owner: team@acme.example\n"
        f"    scopes: [read:me:factors]\n    adopt_grant_id: {value}\n"
    )
    with pytest.raises(SpecError) as caught:
        load_bytes(raw.encode(), "spec.yaml")
    (problem,) = caught.value.problems
    assert "applications.spa.adopt_grant_id: not an Auth0 client grant id" in str(problem)
