"""``tenantcfg plan`` end to end, as a user runs it: a real subprocess in the project root."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from helpers.cli import run_cli
from helpers.paths import ROOT


def _tenantcfg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)


def test_plan_dev_stack_lists_every_resource_with_its_key_inputs() -> None:
    result = _tenantcfg("plan", "--stack", "dev")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing leaks from the mocked engine's event loops
    out = result.stdout
    assert (
        "auth0:index/resourceServer:ResourceServer  my-account-api  [protected, retained on delete]"
    ) in out
    assert "identifier: https://acme-dev.eu.auth0.com/me/" in out
    assert "subjectTypeAuthorization.user.policy: require_client_grant" in out
    assert "subjectTypeAuthorization.client.policy: deny_all" in out
    for app, cid in (
        ("account-settings-spa", "Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH"),
        ("mobile-app", "Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df"),
        ("partner-portal", "Gh2Jk4Lm6Np8Qr0St1Uv3Wx5Yz7Ab9Cd"),
    ):
        assert f"auth0:index/clientGrant:ClientGrant  grant-{cid}  (application {app})" in out
    assert out.count("subjectType: user") == 3
    assert "5 resources (3 ClientGrant, 1 MyAccountApi, 1 ResourceServer)" in out


def test_plan_json_has_camel_case_inputs_as_the_engine_sees_them() -> None:
    result = _tenantcfg("plan", "--spec", "stacks/dev.yaml", "--format", "json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    grants = {r["name"]: r for r in plan["resources"] if r["type"].endswith("ClientGrant")}
    assert grants["grant-Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df"]["inputs"] == {
        "audience": "https://acme-dev.eu.auth0.com/me/",
        "clientId": "Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df",
        "scopes": [
            "create:me:authentication_methods",
            "delete:me:authentication_methods",
            "read:me:authentication_methods",
            "read:me:factors",
        ],
        "subjectType": "user",
    }


def test_plan_prod_spec_imports_the_dashboard_activated_api() -> None:
    result = _tenantcfg("plan", "--stack", "prod")
    assert result.returncode == 0, result.stderr
    assert "= import  auth0:index/resourceServer:ResourceServer  my-account-api" in result.stdout
    assert "imported from id 6643a1f2b7e9c8d4a5f60712" in result.stdout


def test_plan_refuses_a_spec_for_another_tenant_before_declaring_anything() -> None:
    result = _tenantcfg("plan", "--stack", "dev", "--spec", "stacks/prod.yaml")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("stacks/prod.yaml:5:11: tenant.domain: ")
    assert "'acme-dev.eu.auth0.com'" in result.stderr
    assert "Traceback" not in result.stderr


def test_plan_on_an_invalid_spec_exits_2_with_positions(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("tenant:\n  domain: acme.eu.auth0.com\n  domain: evil.eu.auth0.com\n")
    result = _tenantcfg("plan", "--spec", str(bad))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{bad}:3:3: tenant.domain: duplicate key 'domain' (first at line 2, column 3); "
        "YAML would silently keep only the last one, so remove one of them"
    ]


def test_plan_without_stack_or_spec_is_a_usage_error() -> None:
    result = _tenantcfg("plan")
    assert result.returncode == 2
    assert "--stack" in result.stderr


def _head_without_partner_portal_and_delete_scope(tmp_path: Path) -> Path:
    text = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")
    start, end = text.index("  partner-portal:"), text.index("waivers:")
    text = text[:start] + text[end:]
    text = text.replace("      - delete:me:authentication_methods\n", "", 1)
    head = tmp_path / "dev.yaml"
    head.write_text(text, encoding="utf-8")
    return head


def test_plan_against_a_base_shows_the_removed_grant_deleted(tmp_path: Path) -> None:
    head = _head_without_partner_portal_and_delete_scope(tmp_path)
    result = _tenantcfg("plan", "--stack", "dev", "--spec", str(head), "--base", "stacks/dev.yaml")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "- delete  auth0:index/clientGrant:ClientGrant  grant-Gh2Jk4Lm6Np8Qr0St1Uv3Wx5Yz7Ab9Cd"
        "  (application partner-portal)"
    ) in lines
    assert (
        "~ update  auth0:index/clientGrant:ClientGrant  grant-Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df"
        "  (application mobile-app)"
    ) in lines
    assert (
        "  same    auth0:index/resourceServer:ResourceServer  my-account-api  "
        "[protected, retained on delete]"
    ) in lines
    assert lines[-1] == "0 to create, 1 to update, 1 to delete, 3 unchanged"


def test_plan_against_a_git_ref_without_the_spec_creates_everything(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "README").write_text("empty\n", encoding="utf-8")
    subprocess.run([*git, "add", "README"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        (repo / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "stacks").mkdir()
    (repo / "stacks" / "dev.yaml").write_text(
        (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = _tenantcfg("plan", "--stack", "dev", "--base", "HEAD:stacks/dev.yaml", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "5 to create, 0 to update, 0 to delete, 0 unchanged"


def test_plan_against_a_base_shows_a_renamed_application_as_a_rename(tmp_path: Path) -> None:
    text = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")
    head = tmp_path / "dev.yaml"
    head.write_text(text.replace("  mobile-app:\n", "  mobile-banking-app:\n"), encoding="utf-8")
    result = _tenantcfg("plan", "--stack", "dev", "--spec", str(head), "--base", "stacks/dev.yaml")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    grant = "auth0:index/clientGrant:ClientGrant  grant-Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df"
    at = lines.index(f"  same    {grant}  (application mobile-banking-app)")
    assert lines[at + 1] == (
        "      renamed: application mobile-app -> mobile-banking-app "
        "(same client: the grant is kept)"
    )
    assert lines[-1] == "0 to create, 0 to update, 0 to delete, 5 unchanged"


def test_plan_json_against_a_base_lists_each_step(tmp_path: Path) -> None:
    head = _head_without_partner_portal_and_delete_scope(tmp_path)
    result = _tenantcfg(
        "plan",
        "--stack",
        "dev",
        "--spec",
        str(head),
        "--base",
        "stacks/dev.yaml",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["base"] == "stacks/dev.yaml"
    actions = {
        (s["action"], s["application"]) for s in plan["steps"] if s["type"].endswith("ClientGrant")
    }
    assert actions == {
        ("delete", "partner-portal"),
        ("update", "mobile-app"),
        ("same", "account-settings-spa"),
    }
    [update] = [s for s in plan["steps"] if s["action"] == "update"]
    assert update["changes"] == [
        "scopes: create:me:authentication_methods, delete:me:authentication_methods, "
        "read:me:authentication_methods, read:me:factors -> create:me:authentication_methods, "
        "read:me:authentication_methods, read:me:factors"
    ]
