"""``tenantcfg import`` against the fake Management API: what it writes, keeps out and reports.

The recorded prod tenant is the tenant ``stacks/prod.yaml`` describes, so an import
of it must declare what that file declares; a hostile tenant is built grant by grant,
each with the reason it may not be declared, and must still give a file the strict
loader reads, with nothing of the tenant's text able to shape it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from fakeapi.app import FakeAuth0
from fakeapi.faults import Fault
from fakeapi.harness import (
    AUDIT_CLIENT_ID,
    AUDIT_SECRET,
    Outcome,
    many_applications,
    prod_fake,
    run_audit,
    run_import,
)
from fakeapi.state import MANAGEMENT_SCOPES
from helpers.paths import ROOT
from tenantcfg.adapters.spec import view_of_spec
from tenantcfg.cli import main
from tenantcfg.rules import evaluate
from tenantcfg.spec.loader import LoadedSpec, load_file
from tenantcfg.stack.config import read_stack_config

DOMAIN = "acme.eu.auth0.com"
AUDIENCE = f"https://{DOMAIN}/me/"


def fake_tenant() -> FakeAuth0:
    """The recorded prod tenant, with the reading application's credentials."""
    fake = prod_fake()
    fake.state.add_credential(AUDIT_CLIENT_ID, AUDIT_SECRET, MANAGEMENT_SCOPES)
    return fake


def my_account_api(fake: FakeAuth0) -> dict[str, Any]:
    """The fake tenant's My Account API, as stored (changes to it are the tenant's)."""
    api = fake.state.resource_server_by_identifier(AUDIENCE)
    assert api is not None
    return api


def imported(tmp_path: Path, fake: FakeAuth0, *args: str) -> tuple[Outcome, Path]:
    """Import stack ``prod`` into the empty project ``tmp_path``."""
    outcome = run_import(fake, "--stack", "prod", "--domain", DOMAIN, *args, project=tmp_path)
    return outcome, tmp_path / "stacks" / "prod.yaml"


def declared(loaded: LoadedSpec) -> dict[str, tuple[str, bool, tuple[str, ...]]]:
    """Per client id: type, first-party flag and sorted scopes of each declared application."""
    return {
        a.client_id: (a.app_type, a.first_party, tuple(sorted(a.scopes)))
        for a in loaded.spec.applications.values()
    }


def fill_in(path: Path) -> None:
    """Do what a person does after an import: write an owner and a justification."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'owner: "FILL-IN:[^"]*"', "owner: identity-team@acme.example", text)
    text = re.sub(r'justification: "FILL-IN:[^"]*"', "justification: Reviewed.", text)
    path.write_text(text, encoding="utf-8")


def test_the_prod_tenant_imports_as_stacks_prod_yaml_declares_it(tmp_path: Path) -> None:
    outcome, spec = imported(tmp_path, fake_tenant())
    assert outcome.code == 0, outcome.stderr
    mine, theirs = load_file(spec), load_file(ROOT / "stacks" / "prod.yaml")
    assert declared(mine) == declared(theirs)
    assert mine.spec.my_account_api.model_dump(exclude={"adopt_id"}) == (
        theirs.spec.my_account_api.model_dump(exclude={"adopt_id"})
    )
    assert mine.spec.my_account_api.adopt_id == "6643a1f2b7e9c8d4a5f60712"
    assert {a.client_id: a.adopt_grant_id for a in mine.spec.applications.values()} == {
        "Pq4Rs6Tu8Vw0Xy2Za3Bc5De7Fg9Hi1Jk": "cgr_4pQs8TuV2wXy6ZaB",
        "Mn1Bv3Cx5Zl7Kj9Hg2Fd4Sa6Po8Iu0Yt": "cgr_7mNb3VcX1zLk5JhG",
    }
    # Named after the applications' names in the tenant ('Account Settings', 'Acme Mobile').
    assert set(mine.spec.applications) == {"account-settings", "acme-mobile"}


def test_owner_and_justification_are_placeholders_that_check_blocks(tmp_path: Path) -> None:
    _, spec = imported(tmp_path, fake_tenant())
    findings = evaluate(view_of_spec(load_file(spec)))
    blocking = {(f.rule.id, f.resource, f.field[-1]) for f in findings if f.blocking}
    assert blocking == {
        ("MYACC-020", app, key)
        for app in ("account-settings", "acme-mobile")
        for key in ("owner", "justification")
    }


def test_filled_in_it_checks_clean_plans_imports_only_and_the_audit_finds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = fake_tenant()
    _, spec = imported(tmp_path, fake)
    fill_in(spec)
    project = ("--stack", "prod", "--project-dir", str(tmp_path))
    assert main(["check", *project, "--format", "text"]) == 0, capsys.readouterr()
    capsys.readouterr()
    assert main(["plan", *project]) == 0
    plan = capsys.readouterr().out
    # The API and both grants are imported by the ids the tenant gave; nothing is created.
    assert plan.count("= import") == 3, plan
    assert "imported from id 6643a1f2b7e9c8d4a5f60712" in plan
    assert "imported from id cgr_4pQs8TuV2wXy6ZaB" in plan
    assert "+ create  auth0:" not in plan
    audit = run_audit(fake, "--format", "json", target=("--spec", str(spec)))
    assert audit.code == 0, audit.stdout
    assert audit.findings() == set()


def test_a_second_import_of_the_same_tenant_is_the_same_file(tmp_path: Path) -> None:
    fake = fake_tenant()
    _, spec = imported(tmp_path, fake)
    first = spec.read_bytes()
    again, _ = imported(tmp_path, fake)
    assert again.code == 0
    assert "unchanged" in again.stderr
    forced, _ = imported(tmp_path, fake, "--force")
    assert forced.code == 0
    assert spec.read_bytes() == first


def test_an_existing_spec_is_not_overwritten_and_the_differences_are_shown(
    tmp_path: Path,
) -> None:
    fake = fake_tenant()
    _, spec = imported(tmp_path, fake)
    fill_in(spec)
    fake.state.grants["cgr_4pQs8TuV2wXy6ZaB"]["scope"].append("delete:me:authentication_methods")
    before = spec.read_bytes()
    outcome, _ = imported(tmp_path, fake)
    assert outcome.code == 1
    assert spec.read_bytes() == before
    assert "not overwritten: pass --force" in outcome.stderr
    # The spec diff, as `tenantcfg diff` shows it: the scope the tenant added.
    assert "delete:me:authentication_methods" in outcome.stdout
    assert "account-settings" in outcome.stdout


def test_the_stack_config_is_written_when_absent_and_left_alone_when_present(
    tmp_path: Path,
) -> None:
    fake = fake_tenant()
    imported(tmp_path, fake)
    config = read_stack_config(tmp_path, "prod")
    assert config.domain == DOMAIN
    assert config.spec_path(tmp_path) == tmp_path / "stacks" / "prod.yaml"
    assert "clientSecret" in (tmp_path / "Pulumi.prod.yaml").read_text()  # said how to set it
    custom = "config:\n  auth0:domain: acme.eu.auth0.com\n  auth0-myaccount:spec: tenants/p.yaml\n"
    (tmp_path / "Pulumi.prod.yaml").write_text(custom)
    outcome = run_import(fake, "--stack", "prod", project=tmp_path)
    assert outcome.code == 0, outcome.stderr
    assert (tmp_path / "Pulumi.prod.yaml").read_text() == custom
    assert load_file(tmp_path / "tenants" / "p.yaml").spec.tenant.domain == DOMAIN


def test_the_domain_comes_from_the_stack_or_the_command_line(tmp_path: Path) -> None:
    fake = fake_tenant()
    missing = run_import(fake, "--stack", "new", project=tmp_path)
    assert missing.code == 2
    assert "--domain" in missing.stderr
    bad = run_import(
        fake, "--stack", "new", "--domain", "https://acme.eu.auth0.com/", project=tmp_path
    )
    assert bad.code == 2
    assert "bare host name" in bad.stderr
    assert not (tmp_path / "stacks").exists()


def test_nothing_is_written_when_the_tenant_cannot_be_read(tmp_path: Path) -> None:
    wrong = {"AUTH0_CLIENT_ID": AUDIT_CLIENT_ID, "AUTH0_CLIENT_SECRET": "not-the-secret"}
    outcome = run_import(
        fake_tenant(), "--stack", "prod", "--domain", DOMAIN, env=wrong, project=tmp_path
    )
    spec = tmp_path / "stacks" / "prod.yaml"
    assert outcome.code == 2
    assert "could not import tenant acme.eu.auth0.com" in outcome.stderr
    assert not spec.exists()
    assert not (tmp_path / "Pulumi.prod.yaml").exists()


def test_standard_output_gets_the_spec_and_nothing_else(tmp_path: Path) -> None:
    outcome = run_import(fake_tenant(), "--domain", DOMAIN, "--output", "-", project=tmp_path)
    assert outcome.code == 0
    assert outcome.stdout.startswith("# Tenant spec of stack")
    assert list(tmp_path.iterdir()) == []


def test_no_client_secret_is_ever_written(tmp_path: Path) -> None:
    fake, _ = many_applications(tmp_path, 30)
    outcome, spec = imported(tmp_path, fake)
    assert outcome.code == 0, outcome.stderr
    text = spec.read_text()
    secrets = [c["client_secret"] for c in fake.state.clients.values() if "client_secret" in c]
    assert secrets
    assert not [s for s in secrets if s in text]
    assert len(load_file(spec).spec.applications) == 32


# --- a tenant holding what no spec may declare ---------------------------------------------


def _client(fake: FakeAuth0, client_id: str, name: Any, app_type: str, first: bool = True) -> None:
    fake.state.clients[client_id] = {
        "client_id": client_id,
        "name": name,
        "app_type": app_type,
        "is_first_party": first,
        "client_secret": f"secret-of-{client_id}",
    }


def _grant(fake: FakeAuth0, grant_id: str, client_id: str | None, **body: Any) -> None:
    fake.state.grants[grant_id] = {
        "id": grant_id,
        "client_id": client_id,
        "audience": AUDIENCE,
        "scope": ["read:me:factors"],
        "subject_type": "user",
    } | body


HOSTILE_NAME = 'evil\n  injected: true\nwaivers: [{rule: MYACC-001}]\u2028# "'


def hostile_tenant() -> FakeAuth0:
    """The prod tenant plus one grant of each kind a spec must not (or cannot) declare."""
    fake = fake_tenant()
    api = my_account_api(fake)
    api["subject_type_authorization"]["user"]["policy"] = "allow_all"
    ids = iter(f"A{i:031d}" for i in range(100))
    cases = {
        "cgr_m2mGrant00000001": ("Batch Job", "non_interactive", True, {"subject_type": "client"}),
        "cgr_allScopes0000001": ("Wide SPA", "spa", True, {"allow_all_scopes": True, "scope": []}),
        "cgr_hyphens000000001": (
            "Old SPA",
            "spa",
            True,
            {"scope": ["read:me:authentication-methods"]},
        ),
        "cgr_appTypeRms000001": ("RMS App", "rms", True, {}),
        "cgr_thirdParty000001": ("Partner SPA", "spa", False, {}),
        "cgr_nonInteract00001": ("Cron", "non_interactive", True, {}),
        "cgr_newScope00000001": ("Sessions SPA", "spa", True, {"scope": ["read:me:sessions"]}),
        "cgr_hostileName00001": (HOSTILE_NAME, "spa", True, {}),
        "cgr_sameName00000001": ("Cafe\u0301 App", "spa", True, {}),
        "cgr_sameName00000002": ("café app", "native", True, {}),
    }
    for grant_id, (name, app_type, first, body) in cases.items():
        client_id = next(ids)
        _client(fake, client_id, name, app_type, first)
        _grant(fake, grant_id, client_id, **body)
    _grant(fake, "cgr_noClient00000001", next(ids))  # its application was deleted
    _grant(fake, "cgr_default000000001", None, default_for="third_party_clients")
    return fake


def test_a_hostile_tenant_gives_a_file_the_strict_loader_reads(tmp_path: Path) -> None:
    outcome, spec = imported(tmp_path, hostile_tenant())
    text = spec.read_text(encoding="utf-8")
    assert text.isascii()
    loaded = load_file(spec)  # raises on anything the loader refuses
    assert "injected" not in loaded.source.data
    assert loaded.spec.waivers == []
    assert outcome.code == 1


def test_what_a_spec_may_hold_is_written_as_the_tenant_has_it(tmp_path: Path) -> None:
    _, spec = imported(tmp_path, hostile_tenant())
    loaded = load_file(spec)
    assert loaded.spec.my_account_api.policies.user == "allow_all"
    by_grant = {a.adopt_grant_id: (name, a) for name, a in loaded.spec.applications.items()}
    assert set(by_grant) == {
        "cgr_4pQs8TuV2wXy6ZaB",
        "cgr_7mNb3VcX1zLk5JhG",
        "cgr_thirdParty000001",
        "cgr_nonInteract00001",
        "cgr_newScope00000001",
        "cgr_hostileName00001",
        "cgr_sameName00000001",
        "cgr_sameName00000002",
    }
    assert by_grant["cgr_thirdParty000001"][1].first_party is False
    assert by_grant["cgr_nonInteract00001"][1].app_type == "non_interactive"
    names = {by_grant[g][0] for g in ("cgr_sameName00000001", "cgr_sameName00000002")}
    assert names == {"cafe-app", "cafe-app-2"}
    assert by_grant["cgr_hostileName00001"][0] == "evil-injected-true-waivers-rule-myacc-001"
    declared_scope = loaded.spec.declared_scopes["read:me:sessions"]
    assert (declared_scope.risk, declared_scope.sensitive) == ("critical", True)
    assert declared_scope.unlocks.startswith("FILL-IN:")


def test_what_no_spec_may_hold_is_left_out_named_in_the_file(tmp_path: Path) -> None:
    _, spec = imported(tmp_path, hostile_tenant())
    comments = [line for line in spec.read_text().splitlines() if line.startswith("#   cgr_")]
    left_out = {line.split(",")[0].removeprefix("#   ") for line in comments}
    assert left_out == {
        "cgr_m2mGrant00000001",
        "cgr_allScopes0000001",
        "cgr_hyphens000000001",
        "cgr_appTypeRms000001",
        "cgr_noClient00000001",
        "cgr_default000000001",
    }
    reasons = " ".join(comments)
    for rule in ("MYACC-004", "MYACC-005", "MYACC-007/008", "MYACC-010", "MYACC-011"):
        assert rule in reasons


def test_each_risk_is_reported_with_the_rule_that_will_fail(tmp_path: Path) -> None:
    outcome, _ = imported(tmp_path, hostile_tenant())
    reported = {
        (m["rule"], m["resource"])
        for m in re.finditer(
            r"\] (?P<resource>[^:]+): .* \((?P<rule>MYACC-\d{3})\)$", outcome.stdout, re.M
        )
    }
    rules = {rule for rule, _ in reported}
    # Policy, machine-to-machine, every scope, hyphens, default grants, application kinds,
    # and the grants no spec declares (the audit's drift, which the audit will repeat).
    assert {"MYACC-001", "MYACC-004", "MYACC-005", "MYACC-008", "MYACC-010", "MYACC-011"} <= rules
    assert ("MYACC-011", "partner-spa") in reported
    assert ("MYACC-011", "cron") in reported
    assert "MYACC-020" not in rules  # placeholders are counted, not listed
    assert "values to fill in (MYACC-020)" in outcome.stderr
    assert "6 grants left out" in outcome.stderr


@pytest.mark.parametrize(
    ("policy", "field", "rule"),
    [
        ({"client": {"policy": "require_client_grant"}}, "client", "MYACC-002"),
        ({"anonymous_user": {"policy": "allow_all"}}, "anonymous_user", "MYACC-003"),
    ],
)
def test_a_policy_no_spec_can_declare_is_commented_and_reported(
    tmp_path: Path, policy: dict[str, Any], field: str, rule: str
) -> None:
    fake = fake_tenant()
    api = my_account_api(fake)
    api["subject_type_authorization"] |= policy
    outcome, spec = imported(tmp_path, fake)
    loaded = load_file(spec)
    assert loaded.spec.my_account_api.policies.client == "deny_all"
    assert loaded.spec.my_account_api.policies.anonymous_user is None
    assert f"    # the tenant has {field} policy" in spec.read_text()
    assert outcome.code == 1
    assert "my_account_api: " in outcome.stdout
    assert f"({rule})" in outcome.stdout


def test_a_tenant_without_the_api_gets_the_safe_settings_to_activate(tmp_path: Path) -> None:
    fake = fake_tenant()
    api = my_account_api(fake)
    del fake.state.resource_servers[api["id"]]
    outcome, spec = imported(tmp_path, fake)
    loaded = load_file(spec)
    assert loaded.spec.my_account_api.adopt_id is None
    assert loaded.spec.my_account_api.policies.user == "require_client_grant"
    assert "has not activated the My Account API" in spec.read_text()
    assert outcome.code == 1  # the audit's 'not activated' finding, until the first up


def test_findings_on_a_grant_left_out_point_at_its_comment(tmp_path: Path) -> None:
    outcome, spec = imported(tmp_path, hostile_tenant())
    lines = spec.read_text().splitlines()
    wide = next(i for i, line in enumerate(lines, 1) if line.startswith("#   cgr_allScopes"))
    at = {
        (m["rule"], int(m["line"]))
        for m in re.finditer(
            r":(?P<line>\d+):\d+: \[.*\((?P<rule>[A-Z]+-\d{3})\)$", outcome.stdout, re.M
        )
    }
    assert ("MYACC-005", wide) in at
    assert ("AUDIT-002", wide) in at


def test_an_adopted_grant_is_sent_in_the_spec_s_order_others_sorted(tmp_path: Path) -> None:
    from tenantcfg.deploy.component import grant_scopes

    _, spec = imported(tmp_path, fake_tenant())
    apps = load_file(spec).spec.applications
    held = ["read:me:factors", "create:me:authentication_methods", "read:me:factors"]
    adopted = apps["account-settings"].model_copy(update={"scopes": held})
    assert grant_scopes(adopted) == held
    declared = adopted.model_copy(update={"adopt_grant_id": None})
    assert grant_scopes(declared) == ["create:me:authentication_methods", "read:me:factors"]


def test_a_tenant_with_more_grants_than_a_spec_holds_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tenantcfg.cli import import_tenant

    monkeypatch.setattr(import_tenant, "MAX_APPLICATIONS", 1)
    outcome, spec = imported(tmp_path, fake_tenant())
    assert outcome.code == 2
    assert "holds 2 grants a spec could declare, more than one spec may hold (1)" in outcome.stderr
    assert not spec.exists()


# --- what the review of the import tried ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("true", "true-app"),
        ("On", "on-app"),
        ("123", "app-123"),
        ("0x1F", "app-0x1f"),
        ("2001-12-14", "app-2001-12-14"),
        ("Password", "password-app"),
        ("Token", "token-app"),
    ],
)
def test_names_yaml_or_the_loader_would_misread_become_plain_keys(
    tmp_path: Path, name: str, key: str
) -> None:
    fake = fake_tenant()
    fake.state.clients["Pq4Rs6Tu8Vw0Xy2Za3Bc5De7Fg9Hi1Jk"]["name"] = name
    outcome, spec = imported(tmp_path, fake)
    assert outcome.code == 0, outcome.stderr
    assert key in load_file(spec).spec.applications


@pytest.mark.parametrize(
    "policy_id",
    ["abc:", "a:b:", "x\U0001f600y", "#not-a-comment", "'quoted'", "\u00e9t\u00e9"],
)
def test_a_step_up_policy_id_is_written_as_the_tenant_has_it(
    tmp_path: Path, policy_id: str
) -> None:
    fake = fake_tenant()
    api = my_account_api(fake)
    api["authorization_policy"] = {"policy_id": policy_id}
    outcome, spec = imported(tmp_path, fake)
    assert outcome.code == 0, outcome.stderr
    policy = load_file(spec).spec.my_account_api.authorization_policy
    assert policy is not None
    assert policy.policy_id == policy_id


@pytest.mark.parametrize(
    "policy_id",
    [
        "A" * 300,
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig",
        "Ab1" * 22,
        "line\nbreak: true",
    ],
)
def test_a_step_up_policy_id_no_spec_can_hold_is_left_out_and_reported(
    tmp_path: Path, policy_id: str
) -> None:
    fake = fake_tenant()
    api = my_account_api(fake)
    api["authorization_policy"] = {"policy_id": policy_id}
    outcome, spec = imported(tmp_path, fake)
    text = spec.read_text()
    assert policy_id not in text
    assert "# the tenant's step-up policy id" in text
    assert load_file(spec).spec.my_account_api.authorization_policy is None
    assert outcome.code == 1  # the audit's settings drift
    assert "AUDIT-" in outcome.stdout


def test_nothing_is_written_through_a_symbolic_link(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "stacks").symlink_to(elsewhere, target_is_directory=True)
    outcome, _ = imported(project, fake_tenant())
    assert outcome.code == 2
    assert "outside the project" in outcome.stderr
    (project / "stacks").unlink()
    (project / "stacks").mkdir()
    (project / "stacks" / "prod.yaml").symlink_to(elsewhere / "planted.yaml")
    outcome, _ = imported(project, fake_tenant())
    assert outcome.code == 2
    assert "symbolic link" in outcome.stderr
    (project / "stacks" / "prod.yaml").unlink()
    (project / "Pulumi.prod.yaml").symlink_to(elsewhere / "config.yaml")
    outcome, _ = imported(project, fake_tenant())
    assert outcome.code == 2
    assert list(elsewhere.iterdir()) == []


def test_an_error_answer_cannot_forge_lines(tmp_path: Path) -> None:
    fake = fake_tenant()
    forged = "Bad\n::error file=stacks/prod.yaml::all clear\n\x1b[32mok\x1b[0m"
    fake.inject(Fault("/api/v2/client-grants", status=400, message=forged))
    outcome, _ = imported(tmp_path, fake)
    assert outcome.code == 2
    (line,) = outcome.stderr.splitlines()
    assert line.startswith("error: could not import tenant acme.eu.auth0.com")
    assert "\x1b" not in outcome.stderr


def test_a_second_import_of_an_unchanged_risky_tenant_still_reports(tmp_path: Path) -> None:
    fake = hostile_tenant()
    first, _ = imported(tmp_path, fake)
    again, _ = imported(tmp_path, fake)
    assert (first.code, again.code) == (1, 1)
    assert "unchanged" in again.stderr
    assert again.stdout == first.stdout


def test_a_grant_with_settings_no_spec_holds_is_left_out(tmp_path: Path) -> None:
    fake = fake_tenant()
    fake.state.grants["cgr_4pQs8TuV2wXy6ZaB"]["organization_usage"] = "allow"
    outcome, spec = imported(tmp_path, fake)
    comment = "#   cgr_4pQs8TuV2wXy6ZaB, client Pq4Rs6Tu8Vw0Xy2Za3Bc5De7Fg9Hi1Jk: it sets"
    assert f"{comment} organization_usage, which no spec holds" in spec.read_text()
    assert "account-settings" not in load_file(spec).spec.applications
    assert outcome.code == 1


def test_a_repeated_scope_is_kept_as_the_tenant_lists_it(tmp_path: Path) -> None:
    fake = fake_tenant()
    held = ["read:me:factors", "read:me:factors"]
    fake.state.grants["cgr_4pQs8TuV2wXy6ZaB"]["scope"] = held
    _, spec = imported(tmp_path, fake)
    assert load_file(spec).spec.applications["account-settings"].scopes == held


def test_an_output_encoding_that_cannot_show_a_name_exits_2_without_a_traceback(
    tmp_path: Path,
) -> None:
    import os
    import subprocess
    import sys

    spec = tmp_path / "dev.yaml"
    text = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("identity-team@acme.example", "équipe@acme.example"))
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    result = subprocess.run(
        [sys.executable, "-m", "tenantcfg", "report", "--spec", str(spec), "--spec-only"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "encoding (ascii) cannot hold every character" in result.stderr


def test_an_answer_repeating_a_grant_id_is_not_trusted(tmp_path: Path) -> None:
    fake = fake_tenant()
    twin = dict(fake.state.grants["cgr_4pQs8TuV2wXy6ZaB"])
    fake.state.grants["cgr_twin"] = twin | {"client_id": "Mn1Bv3Cx5Zl7Kj9Hg2Fd4Sa6Po8Iu0Yt"}
    outcome, spec = imported(tmp_path, fake)
    assert outcome.code == 2
    assert "holds grant 'cgr_4pQs8TuV2wXy6ZaB' twice" in outcome.stderr
    assert not spec.exists()
    audit = run_audit(fake)
    assert audit.code == 2


def test_an_api_id_auth0_would_not_issue_is_not_trusted(tmp_path: Path) -> None:
    fake = fake_tenant()
    api = my_account_api(fake)
    api["id"] = "6643A1F2B7E9C8D4A5F60712"
    outcome, spec = imported(tmp_path, fake)
    assert outcome.code == 2
    assert "is not an Auth0 API id" in outcome.stderr
    assert not spec.exists()


def test_thousands_of_applications_with_one_name_get_distinct_keys() -> None:
    from tenantcfg.importing.names import unique_keys

    keys = unique_keys((f"{i:032d}", "Same App") for i in range(3000))
    assert len(set(keys.values())) == 3000
    assert keys[f"{0:032d}"] == "same-app"
    assert keys[f"{2999:032d}"] == "same-app-3000"


def test_a_domain_other_than_the_stack_s_is_refused(tmp_path: Path) -> None:
    fake = fake_tenant()
    imported(tmp_path, fake)
    other = ("--domain", "other.eu.auth0.com")
    outcome = run_import(fake, "--stack", "prod", *other, project=tmp_path)
    assert outcome.code == 2
    assert "one stack is one tenant" in outcome.stderr


@pytest.mark.parametrize("stack", ["Prod", "eu_prod", "../prod", "prod\nx"])
def test_a_stack_name_the_workflows_would_not_find_is_refused(tmp_path: Path, stack: str) -> None:
    outcome = run_import(fake_tenant(), "--stack", stack, "--domain", DOMAIN, project=tmp_path)
    assert outcome.code == 2
    assert "is not a stack name: lower-case letters, digits and hyphens" in outcome.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_setting_the_tenant_leaves_unset_is_written_with_a_note(tmp_path: Path) -> None:
    fake = fake_tenant()
    api = my_account_api(fake)
    del api["skip_consent_for_verifiable_first_party_clients"]
    _, spec = imported(tmp_path, fake)
    lines = spec.read_text().splitlines()
    at = lines.index("  skip_consent_for_verifiable_first_party_clients: true")
    assert (
        lines[at - 1]
        == "  # not set in the tenant; written as the spec's default, which `pulumi up` sends"
    )
