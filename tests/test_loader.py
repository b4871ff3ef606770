"""The spec loader on real files: valid specs load, every kind of invalid input is refused.

Each file under ``specs/invalid/`` is small and named after what is wrong with
it. The expected ``file:line:col: field: message`` lines were worked out from
the fixture text (line 1 of each is a comment saying what is wrong); the
whole list of problems is compared, so an extra or a missing report fails too.
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

DUPLICATE = "YAML would silently keep only the last one, so remove one of them"
PLAIN_DATA = "is not allowed: specs hold plain data only"
NOT_UTF8 = "save the file as UTF-8"
NOT_A_MAPPING = "a spec is a mapping of keys such as 'tenant' and 'applications'"
EMPTY = "(document): the file is empty; a spec is a mapping with at least 'tenant: {domain: ...}'"
QUOTE_IT = "unquoted, YAML reads it as a boolean or a number: put the value in quotes"
CLIENT_ID = (
    "an Auth0 client id is 32 letters and digits (Dashboard > Applications > the "
    "application > Settings > Client ID)"
)
APP_NAMES = (
    "application names are lower-case letters, digits and hyphens, e.g. 'account-settings-spa', not"
)


def problems_in(name: str) -> list[str]:
    """Every problem the loader reports for ``specs/invalid/<name>``, without the file name."""
    path = INVALID / name
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


# --- duplicate keys ----------------------------------------------------------------------


def test_a_duplicate_key_is_refused_at_the_second_one() -> None:
    assert problems_in("duplicate-domain.yaml") == [
        f"4:3: tenant.domain: duplicate key 'domain' (first at line 3, column 3); {DUPLICATE}"
    ]


def test_a_duplicate_policy_cannot_hide_allow_all_under_the_reviewed_line() -> None:
    assert problems_in("duplicate-user-policy-hides-allow-all.yaml") == [
        "8:5: my_account_api.policies.user: duplicate key 'user' (first at line 6, column 5); "
        f"{DUPLICATE}"
    ]


def test_a_duplicate_application_cannot_replace_the_reviewed_one() -> None:
    # The hidden copy (with allow_all_scopes) is never read, so only the duplicate is reported.
    assert problems_in("duplicate-application-hides-allow-all-scopes.yaml") == [
        "11:3: applications.mobile-app: duplicate key 'mobile-app' (first at line 5, column 3); "
        f"{DUPLICATE}"
    ]


def test_every_duplicate_in_a_file_is_reported_at_once() -> None:
    assert problems_in("two-duplicates.yaml") == [
        "6:3: my_account_api.token_lifetime: duplicate key 'token_lifetime' (first at line 5, "
        f"column 3); {DUPLICATE}",
        f"7:1: tenant: duplicate key 'tenant' (first at line 2, column 1); {DUPLICATE}",
    ]


# --- schema: unknown keys, types, missing fields -----------------------------------------


def test_an_unknown_key_is_refused_at_the_key() -> None:
    assert problems_in("unknown-key.yaml") == [
        "5:3: my_account_api.token_lifetme: unknown key 'token_lifetme'; check its spelling "
        "and indentation"
    ]


def test_a_key_that_lost_its_indentation_leaves_its_parent_empty() -> None:
    assert problems_in("misindented-domain.yaml") == [
        "2:8: tenant: no value given; expected keys indented under it",
        "3:1: domain: unknown key 'domain'; check its spelling and indentation",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "wrong-type-string-for-int.yaml",
            "5:19: my_account_api.token_lifetime: Input should be a valid integer (got '600')",
            id="string-for-int",
        ),
        pytest.param(
            "wrong-type-int-for-string.yaml",
            "9:12: applications.settings-spa.owner: Input should be a valid string "
            f"(got 1234); {QUOTE_IT}",
            id="int-for-string",
        ),
        pytest.param(
            "wrong-type-yaml11-no-as-client-id.yaml",
            "6:16: applications.settings-spa.client_id: Input should be a valid string "
            f"(got false); {QUOTE_IT}",
            id="yaml11-no",
        ),
        pytest.param(
            "wrong-type-quoted-boolean.yaml",
            "8:18: applications.settings-spa.first_party: Input should be a valid "
            "boolean (got 'true')",
            id="quoted-boolean",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_without_coercion(name: str, expected: str) -> None:
    assert problems_in(name) == [expected]


def test_a_missing_field_is_reported_at_the_nearest_enclosing_key() -> None:
    assert problems_in("missing-app-type.yaml") == [
        "5:3: applications.settings-spa.app_type: required key 'app_type' is missing"
    ]


def test_a_missing_top_level_field_is_reported_where_the_document_starts() -> None:
    assert problems_in("missing-tenant.yaml") == ["3:1: tenant: required key 'tenant' is missing"]


# --- scopes ------------------------------------------------------------------------------


def test_a_hyphenated_scope_is_refused_with_the_underscore_spelling() -> None:
    assert problems_in("hyphenated-scope.yaml") == [
        "12:9: applications.settings-spa.scopes[1]: scope 'create:me:authentication-methods' "
        "is spelled with hyphens; Auth0 uses underscores: 'create:me:authentication_methods'"
    ]


def test_an_unknown_scope_is_refused_with_the_closest_match() -> None:
    assert problems_in("unknown-scope.yaml") == [
        "10:14: applications.settings-spa.scopes[0]: unknown My Account API scope "
        "'read:me:factor'; did you mean 'read:me:factors'?"
    ]


# --- documents that are not a spec -------------------------------------------------------


def test_a_document_that_is_a_list_is_refused() -> None:
    assert problems_in("not-a-mapping.yaml") == [
        f"2:1: (document): the document is a list; {NOT_A_MAPPING}"
    ]


def test_a_document_that_is_a_single_value_is_refused() -> None:
    assert problems_in("a-single-value.yaml") == [
        f"2:1: (document): the document is a text value; {NOT_A_MAPPING}"
    ]


@pytest.mark.parametrize("name", ["empty.yaml", "comments-only.yaml"])
def test_an_empty_file_is_refused(name: str) -> None:
    assert problems_in(name) == [f"1:1: {EMPTY}"]


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(SpecError) as caught:
        load_file(missing)
    assert str(caught.value) == (
        f"{missing}:1:1: (document): cannot read the spec file: No such file or directory"
    )


def test_a_tab_in_the_indentation_is_refused_at_the_tab() -> None:
    assert problems_in("tab-indentation.yaml") == [
        "3:1: (document): a tab character; YAML indents with spaces only: replace the tab "
        "with spaces"
    ]


def test_bytes_that_are_not_utf8_are_refused_at_the_first_one() -> None:
    assert problems_in("not-utf8.yaml") == [f"9:15: (document): byte 0xe9 is not UTF-8; {NOT_UTF8}"]


def test_a_binary_file_is_refused_at_its_first_byte() -> None:
    assert problems_in("garbage-bytes.yaml") == [
        f"1:1: (document): byte 0x89 is not UTF-8; {NOT_UTF8}"
    ]


def test_a_control_character_is_refused_at_its_position() -> None:
    assert problems_in("control-character.yaml") == [
        "3:15: (document): character U+0000 is a control character, which YAML does not "
        "allow; remove it"
    ]


def test_several_documents_in_one_file_are_refused_at_the_second() -> None:
    assert problems_in("several-documents.yaml") == [
        "4:1: (document): a second YAML document ('---'); a spec is one document: remove the "
        "'---' line and merge or split the files"
    ]


def test_anchors_and_aliases_are_refused_at_the_first_anchor() -> None:
    assert problems_in("anchor-and-alias.yaml") == [
        "10:13: (document): YAML anchors and aliases are not allowed: write every value out "
        "where it applies, so reviewers see it"
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "python-object-tag.yaml",
            "2:9: tenant: tag 'tag:yaml.org,2002:python/object:tenantcfg.spec.Tenant' "
            f"{PLAIN_DATA}",
            id="on-a-mapping",
        ),
        pytest.param(
            "python-apply-tag-on-list.yaml",
            "10:13: applications.settings-spa.scopes: tag "
            f"'tag:yaml.org,2002:python/object/apply:os.system' {PLAIN_DATA}",
            id="on-a-list",
        ),
        pytest.param(
            "python-tag-on-value.yaml",
            f"3:11: tenant.domain: tag 'tag:yaml.org,2002:python/str' {PLAIN_DATA}",
            id="on-a-value",
        ),
    ],
)
def test_python_tags_are_refused_wherever_they_sit(name: str, expected: str) -> None:
    assert problems_in(name) == [expected]


# --- domains, client ids, application names ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "domain-with-scheme.yaml",
            "write the bare host name without the scheme: 'acme.eu.auth0.com'",
        ),
        (
            "domain-with-path.yaml",
            "write the bare host name without path or port: 'acme.eu.auth0.com'",
        ),
        (
            "domain-with-port.yaml",
            "write the bare host name without path or port: 'acme.eu.auth0.com'",
        ),
        ("domain-with-uppercase.yaml", "write the domain in lower case: 'acme.eu.auth0.com'"),
        (
            "domain-not-a-host-name.yaml",
            "not a host name; expected the tenant's canonical domain, e.g. 'acme.eu.auth0.com'",
        ),
    ],
)
def test_a_domain_must_be_a_bare_lower_case_host_name(name: str, message: str) -> None:
    assert problems_in(name) == [f"3:11: tenant.domain: {message}"]


@pytest.mark.parametrize("name", ["client-id-too-short.yaml", "client-id-with-a-hyphen.yaml"])
def test_a_client_id_must_be_32_letters_and_digits(name: str) -> None:
    assert problems_in(name) == [f"6:16: applications.settings-spa.client_id: {CLIENT_ID}"]


@pytest.mark.parametrize(
    ("name", "app"),
    [
        ("application-name-with-capitals.yaml", "Settings-SPA"),
        ("application-name-with-an-underscore.yaml", "settings_spa"),
    ],
)
def test_an_application_name_must_be_lower_case_with_hyphens(name: str, app: str) -> None:
    assert problems_in(name) == [f"5:3: applications.{app}: {APP_NAMES} {app!r}"]


# --- several problems --------------------------------------------------------------------


def test_every_problem_in_a_file_is_reported_at_once_in_file_order() -> None:
    # The schema checks tenant, my_account_api, then applications; the file has them reversed.
    assert problems_in("many-problems.yaml") == [
        "5:15: applications.settings-spa.app_type: Input should be 'spa', 'native', "
        "'regular_web', 'non_interactive', 'express_configuration' or 'sso_integration' "
        "(got 'browser')",
        "10:9: applications.settings-spa.scopes[1]: scope 'delete:me:authentication-methods' "
        "is spelled with hyphens; Auth0 uses underscores: 'delete:me:authentication_methods'",
        "13:11: my_account_api.policies.user: Input should be 'allow_all', "
        "'require_client_grant' or 'deny_all' (got 'allow-all')",
        "15:11: tenant.domain: write the bare host name without the scheme: 'acme.eu.auth0.com'",
    ]


def test_every_invalid_fixture_is_refused() -> None:
    # A fixture that starts loading (a schema change, a loader change) must not go unnoticed.
    names = sorted(p.name for p in INVALID.iterdir())
    assert len(names) >= 30
    for name in names:
        assert problems_in(name), name


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


def test_an_opened_client_policy_is_refused_because_auth0_refuses_it() -> None:
    # The program must never ask Auth0 for a change it refuses.
    assert problems_in("client-policy-opened.yaml") == [
        "7:13: my_account_api.policies.client: Auth0 fixes the My Account API's client "
        "(machine-to-machine) policy at deny_all and refuses 'require_client_grant' "
        "(MYACC-002); write deny_all or leave it out",
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
