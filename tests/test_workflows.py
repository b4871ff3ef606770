"""The GitHub workflows: valid against GitHub's schema, clean under zizmor, least privilege."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers.paths import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$")
BLOCKING = {"Medium", "High"}


def _tool(name: str) -> str:
    # The console script sits next to the interpreter running the tests (dev extras).
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed; pip install -e '.[dev]'"
    return found


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _on(workflow: dict[Any, Any]) -> dict[str, Any]:
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict)
    return on


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_the_three_pipelines_exist_with_their_triggers() -> None:
    triggers = {path.name: set(_on(_load(path))) for path in FILES}
    assert triggers == {
        "pull-request.yml": {"pull_request"},
        "deploy.yml": {"push"},
        "drift.yml": {"schedule", "workflow_dispatch"},
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_workflow_validates_against_the_github_workflow_schema(path: Path) -> None:
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_zizmor_finds_nothing_of_medium_or_higher_severity() -> None:
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--no-config", "--format", "json", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    findings = json.loads(result.stdout)
    serious = [
        (f["ident"], f["determinations"]["severity"], f["locations"][0]["concrete"]["feature"])
        for f in findings
        if f["determinations"]["severity"] in BLOCKING
    ]
    assert serious == []
    assert "zizmor: ignore" not in "".join(p.read_text(encoding="utf-8") for p in FILES)


def test_zizmor_would_catch_an_unsafe_workflow(tmp_path: Path) -> None:
    # Guards the test above against passing because zizmor audited nothing.
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--no-config", "--format", "json", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    idents = {f["ident"] for f in json.loads(result.stdout)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses"} <= idents


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\s*(?:-\s+)?uses:", line)
    ]
    assert lines
    assert [line for line in lines if not PINNED.match(line)] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_permissions_are_empty_at_the_top_and_widened_per_job(path: Path) -> None:
    workflow = _load(path)
    assert workflow["permissions"] == {}
    allowed = {"contents": "read", "security-events": "write", "pull-requests": "write"}
    for name, job in workflow["jobs"].items():
        granted = job["permissions"]
        assert set(granted.items()) <= set(allowed.items()), name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_expression_is_expanded_inside_a_shell_script(path: Path) -> None:
    for step in _steps(_load(path)):
        assert "${{" not in step.get("run", ""), step.get("name")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_secrets_come_only_from_the_secrets_context(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "pull_request_target" not in text
    assert "secrets: inherit" not in text
    assert "toJSON(secrets)" not in text
    for step in _steps(_load(path)):
        for key, value in (step.get("env") or {}).items():
            if key.startswith(("AUTH0_CLIENT_", "PULUMI_ACCESS_")):
                assert value == f"${{{{ secrets.{key} }}}}", key


def test_pull_requests_run_check_diff_and_preview_with_the_policy_pack() -> None:
    workflow = _load(WORKFLOWS / "pull-request.yml")
    runs = "\n".join(step.get("run", "") for step in _steps(workflow))
    assert 'tenantcfg check --stack "$STACK" --format sarif' in runs
    assert 'tenantcfg" diff --stack "$stack" --base-ref "origin/${BASE_REF}"' in runs
    # The diff runs the base branch's tenantcfg, installed outside the pull request's tree.
    assert 'pip install "$RUNNER_TEMP/base"' in runs
    assert "python -m pytest" in runs
    uses = {
        step["uses"].split("@")[0]: step.get("with", {})
        for step in _steps(workflow)
        if "uses" in step
    }
    assert uses["pulumi/actions"]["command"] == "preview"
    assert uses["pulumi/actions"]["policyPacks"] == "policies"
    assert "github/codeql-action/upload-sarif" in uses
    diff_job = workflow["jobs"]["diff"]
    assert diff_job["steps"][0]["with"]["fetch-depth"] == 0  # origin/<base> must exist


def test_main_deploys_with_check_preview_and_pack_then_audits() -> None:
    deploy = _load(WORKFLOWS / "deploy.yml")
    assert _on(deploy)["push"] == {"branches": ["main"]}
    jobs = deploy["jobs"]
    # The canary first; the rest only after it, and never after it failed.
    assert jobs["up"]["needs"] == ["stacks", "up-canary"]
    assert "needs.up-canary.result == 'success'" in jobs["up"]["if"]
    assert "needs.stacks.result == 'success'" in jobs["up"]["if"]
    assert "failure" not in jobs["up"]["if"]
    for name, output in (("up-canary", "canary"), ("up", "rest")):
        job = jobs[name]
        assert job["strategy"]["matrix"]["stack"] == (
            f"${{{{ fromJSON(needs.stacks.outputs.{output}) }}}}"
        )
        assert job["env"]["STACK"] == "${{ matrix.stack }}"
        assert job["environment"] == "${{ matrix.stack }}"
        runs = [step.get("run", "") for step in job["steps"]]
        order = [
            next(i for i, r in enumerate(runs) if needle in r)
            for needle in (
                'tenantcfg check --stack "$STACK"',
                'pulumi up --stack "$STACK" --yes',
                'tenantcfg audit --stack "$STACK"',
            )
        ]
        assert order == sorted(order)
        up = next(r for r in runs if "pulumi up" in r)
        assert "--policy-pack policies" in up
        # Stack policies judge the preview; --skip-preview would run them after the changes.
        assert "skip-preview" not in up


def test_every_stack_matrix_comes_from_tenantcfg_stacks() -> None:
    for path in FILES:
        workflow = _load(path)
        finder = "\n".join(step.get("run", "") for step in workflow["jobs"]["stacks"]["steps"])
        assert "tenantcfg stacks --format json" in finder, path.name
        for name, job in workflow["jobs"].items():
            matrix = (job.get("strategy") or {}).get("matrix") or {}
            if "stack" in matrix:
                assert "needs.stacks.outputs." in matrix["stack"], (path.name, name)
                assert "stacks" in (
                    [job["needs"]] if isinstance(job["needs"], str) else job["needs"]
                )


def test_every_workflow_runs_the_pinned_pulumi_cli() -> None:
    for path in FILES:
        for step in _steps(_load(path)):
            if step.get("uses", "").startswith("pulumi/actions@"):
                assert step["with"]["pulumi-version"] == "3.274.1", path.name


def test_the_schedule_detects_drift() -> None:
    drift = _load(WORKFLOWS / "drift.yml")
    runs = "\n".join(step.get("run", "") for step in _steps(drift))
    assert 'pulumi refresh --stack "$STACK" --preview-only --expect-no-changes' in runs
    assert 'tenantcfg audit --stack "$STACK"' in runs


def test_one_required_check_covers_every_stack() -> None:
    jobs = _load(WORKFLOWS / "pull-request.yml")["jobs"]
    summary = jobs["checks"]
    assert summary["needs"] == ["stacks", "check"]
    assert summary["if"] == "always()"  # a failed or skipped check is a failure here
    run = summary["steps"][0]["run"]
    assert '"$STACKS" != success' in run
    assert '"$CHECK" != success' in run
