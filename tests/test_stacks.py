"""``tenantcfg stacks``: the stacks a workflow matrix runs, found from the files alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenantcfg.cli import main

CONFIG = "config:\n  auth0:domain: {domain}\n  auth0-myaccount:spec: {spec}\n"


def stack(project: Path, name: str, spec: str | None = None) -> None:
    """A stack config and its spec, as `tenantcfg import` writes them, in a project."""
    (project / "Pulumi.yaml").write_text("name: auth0-myaccount\nruntime: python\n")
    spec = spec or f"stacks/{name}.yaml"
    (project / f"Pulumi.{name}.yaml").write_text(
        CONFIG.format(domain=f"{name}.auth0.com", spec=spec)
    )
    (project / spec).parent.mkdir(parents=True, exist_ok=True)
    (project / spec).write_text("version: 1\n")


def stacks(
    project: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[str], str]:
    code = main(["stacks", "--project-dir", str(project), "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_every_stack_config_is_a_stack_in_name_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("prod-eu", "dev", "prod-us", "staging-2"):
        stack(tmp_path, name)
    assert stacks(tmp_path, capsys) == (0, ["dev", "prod-eu", "prod-us", "staging-2"], "")
    assert stacks(tmp_path, capsys, "--except", "dev")[1] == ["prod-eu", "prod-us", "staging-2"]
    assert stacks(tmp_path, capsys, "--only", "dev", "--only", "nope")[1] == ["dev"]


def test_the_repository_s_own_stacks(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    assert stacks(root, capsys) == (0, ["dev", "prod"], "")


def test_a_spec_no_stack_names_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack(tmp_path, "prod", spec="tenants/production.yaml")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "orphan.yaml").write_text("version: 1\n")
    code, found, err = stacks(tmp_path, capsys)
    assert (code, found) == (2, ["prod"])
    assert "stacks/orphan.yaml: no Pulumi.<stack>.yaml names this spec" in err
    assert "tenantcfg import --stack orphan" in err


@pytest.mark.parametrize(
    "name", ["$(touch x)", "a b", "-rf", "${{ secrets.X }}", "Prod", "eu_prod", "staging.2"]
)
def test_a_config_file_whose_name_is_not_a_stack_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    stack(tmp_path, "dev")
    (tmp_path / f"Pulumi.{name}.yaml").write_text("config: {}\n")
    code, found, err = stacks(tmp_path, capsys)
    assert (code, found) == (2, ["dev"])
    assert "not a stack name" in err


def test_a_linked_config_an_empty_project_and_a_dotted_spec_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, found, err = stacks(tmp_path, capsys)
    assert (code, found) == (2, [])
    assert "no Pulumi.yaml" in err
    stack(tmp_path, "dev", spec="./stacks/dev.yaml")
    assert stacks(tmp_path, capsys) == (0, ["dev"], "")
    (tmp_path / "Pulumi.prod.yaml").symlink_to(tmp_path / "Pulumi.dev.yaml")
    code, found, err = stacks(tmp_path, capsys)
    assert (code, found) == (2, ["dev"])
    assert "Pulumi.prod.yaml: a symbolic link" in err


def test_the_diff_job_finds_every_stack_this_command_accepts() -> None:
    import re

    from tenantcfg.stack.project import STACK_NAME

    workflow = Path(__file__).resolve().parent.parent / ".github/workflows/pull-request.yml"
    script = workflow.read_text()
    patterns = re.findall(r"s#\^(.*?)\$#", script)
    assert patterns, "the diff job's sed patterns"
    as_python = [re.compile(p.replace("\\(", "(").replace("\\)", ")")) for p in patterns]
    names = ["dev", "prod-eu", "a1", "Prod", "eu_prod", "staging.2", "-x", "x-", "a b"]
    for name in names:
        files = (f"Pulumi.{name}.yaml", f"stacks/{name}.yaml")
        for pattern, file in zip(as_python, files, strict=True):
            found = pattern.fullmatch(file)
            if STACK_NAME.fullmatch(name):  # every stack the checks run on is in the diff
                assert found is not None, (name, pattern.pattern)
                assert found[1] == name


def test_a_nul_in_a_configured_spec_path_is_refused_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack(tmp_path, "prod")
    (tmp_path / "Pulumi.prod.yaml").write_text(
        'config:\n  auth0:domain: prod.auth0.com\n  auth0-myaccount:spec: "stacks/prod.yaml\\0"\n'
    )
    assert main(["check", "--stack", "prod", "--project-dir", str(tmp_path)]) == 2
    assert "NUL character" in capsys.readouterr().err
