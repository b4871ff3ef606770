"""``tenantcfg stacks``: the stacks a workflow matrix runs, found from the files alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenantcfg.cli import main

CONFIG = "config:\n  auth0:domain: {domain}\n  auth0-myaccount:spec: {spec}\n"


def stack(project: Path, name: str, spec: str | None = None) -> None:
    """A stack config and its spec, as `tenantcfg import` writes them."""
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
    for name in ("prod-eu", "dev", "prod-us", "staging.2"):
        stack(tmp_path, name)
    assert stacks(tmp_path, capsys) == (0, ["dev", "prod-eu", "prod-us", "staging.2"], "")
    assert stacks(tmp_path, capsys, "--except", "dev")[1] == ["prod-eu", "prod-us", "staging.2"]
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


@pytest.mark.parametrize("name", ["$(touch x)", "a b", "-rf", "${{ secrets.X }}"])
def test_a_config_file_whose_name_is_not_a_stack_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    stack(tmp_path, "dev")
    (tmp_path / f"Pulumi.{name}.yaml").write_text("config: {}\n")
    code, found, err = stacks(tmp_path, capsys)
    assert (code, found) == (2, ["dev"])
    assert "not a stack name" in err
