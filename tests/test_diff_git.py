"""``tenantcfg diff`` on ``GIT_REF:path`` sides, against real commits in a temporary repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.paths import ROOT
from tenantcfg.cli import main

DEV = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")
DELETE_SCOPE = (
    "      - read:me:authentication_methods\n"
    "      - create:me:authentication_methods\n      - read:me:factors\n"
)
WITH_DELETE = (
    "      - read:me:authentication_methods\n"
    "      - create:me:authentication_methods\n"
    "      - delete:me:authentication_methods\n      - read:me:factors\n"
)


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def _commit(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main: the dev stack; branch feature: a delete scope added and a new staging stack."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    # Isolate from the user's git config (signing, hooks, default branch) and repository.
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Reviewer")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "reviewer@acme.example")
    work = tmp_path / "repo"
    work.mkdir()
    _git(work, "init", "--quiet", "--initial-branch=main")
    _commit(work, {"stacks/dev.yaml": DEV}, "dev stack")
    _git(work, "checkout", "--quiet", "-b", "feature")
    staging = DEV.replace("acme-dev.eu.auth0.com", "acme-staging.eu.auth0.com")
    _commit(
        work,
        {
            "stacks/dev.yaml": DEV.replace(DELETE_SCOPE, WITH_DELETE, 1),
            "stacks/staging.yaml": staging,
        },
        "delete scope, staging stack",
    )
    # What actions/checkout with fetch-depth: 0 leaves behind: a remote-tracking ref.
    _git(work, "update-ref", "refs/remotes/origin/main", "main")
    monkeypatch.chdir(work)
    return work


def _diff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, err = _diff(capsys, *args, "--format", "json")
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def _keys(data: dict[str, object]) -> list[tuple[str, str, str, str]]:
    changes = data["changes"]
    assert isinstance(changes, list)
    return [(c["subject"], c["item"], c["kind"], c["effect"]) for c in changes]


ADDED_DELETE = [("account-settings-spa", "delete:me:authentication_methods", "added", "raises")]


@pytest.mark.parametrize(
    ("base", "head"),
    [
        ("main:stacks/dev.yaml", "feature:stacks/dev.yaml"),  # two branches
        ("origin/main:stacks/dev.yaml", "stacks/dev.yaml"),  # as CI runs it
        ("HEAD~1:stacks/dev.yaml", "HEAD:stacks/dev.yaml"),  # commits
    ],
)
def test_git_sides_read_the_committed_specs(
    repo: Path, capsys: pytest.CaptureFixture[str], base: str, head: str
) -> None:
    data = _json(capsys, base, head)
    assert _keys(data) == ADDED_DELETE
    assert data["base"] == {"name": base, "exists": True, "tenant": "acme-dev.eu.auth0.com"}
    assert data["highest_risk"] == "critical"


def test_markdown_names_the_git_side_and_fail_on_applies(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _diff(
        capsys, "origin/main:stacks/dev.yaml", "stacks/dev.yaml", "--fail-on", "critical"
    )
    assert code == 1
    assert "Base `origin/main:stacks/dev.yaml` (tenant `acme-dev.eu.auth0.com`)" in out
    assert (
        "| ⬆ 🔴 critical | `account-settings-spa` | `delete:me:authentication_methods` | added |"
    ) in out


def test_a_file_missing_at_the_ref_means_all_added(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(capsys, "main:stacks/staging.yaml", "stacks/staging.yaml")
    assert data["base"] == {"name": "main:stacks/staging.yaml", "exists": False, "tenant": None}
    grants = [(s, i, kind) for s, i, kind, _ in _keys(data) if i == "application" or ":me:" in i]
    assert len(grants) == 12  # 3 applications and their 9 scopes
    assert {s for s, i, _ in grants if i == "application"} == {
        "account-settings-spa",
        "mobile-app",
        "partner-portal",
    }
    assert {kind for *_, kind in grants} == {"added"}
    assert data["highest_risk"] == "critical"


def test_a_file_missing_at_the_head_ref_means_all_removed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(capsys, "feature:stacks/staging.yaml", "main:stacks/staging.yaml")
    keys = _keys(data)
    assert len(keys) == 12  # 3 applications and their 9 scopes
    assert all(effect == "lowers" for *_, effect in keys)
    assert data["highest_risk"] is None


def test_invalid_spec_in_a_commit_is_named_by_its_ref(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _git(repo, "checkout", "--quiet", "-b", "broken")
    _commit(
        repo,
        {"stacks/dev.yaml": DEV.replace("user: require_client_grant", "user: allow_everyone", 1)},
        "broken",
    )
    line = (
        DEV.splitlines().index(
            "    user: require_client_grant   # an application needs a client grant below"
        )
        + 1
    )
    code, out, err = _diff(capsys, "broken:stacks/dev.yaml", "stacks/dev.yaml")
    assert (code, out) == (2, "")
    assert err.startswith(f"broken:stacks/dev.yaml:{line}:11: my_account_api.policies.user: ")


@pytest.mark.parametrize(
    ("side", "message"),
    [
        (
            "origin/release:stacks/dev.yaml",
            "origin/release:stacks/dev.yaml:1:1: (document): unknown git ref 'origin/release'",
        ),
        ("main:stacks", "'stacks' is a tree in main, not a spec file"),
        ("main:", "no path after the git ref"),
        ("--upload-pack=x:stacks/dev.yaml", "'--upload-pack=x' is not a git ref"),
    ],
)
def test_unusable_git_sides_exit_2(
    repo: Path, capsys: pytest.CaptureFixture[str], side: str, message: str
) -> None:
    code, out, err = _diff(capsys, "--", side, "stacks/dev.yaml")
    assert (code, out) == (2, "")
    assert message in err


def test_outside_a_repository_the_git_side_says_so(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "not-a-repo"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = _diff(capsys, "main:stacks/dev.yaml", str(repo / "stacks" / "dev.yaml"))
    assert code == 2
    assert "not inside a git repository" in err


# --- a gate that cannot be fooled ----------------------------------------------------------


def test_a_file_named_like_a_git_side_is_refused_not_read(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A pull request commits a file literally named origin/main:stacks/dev.yaml holding
    # its own new spec: read as the base, the diff would say "No change".
    shadow = {"origin/main:stacks/dev.yaml": DEV.replace(DELETE_SCOPE, WITH_DELETE, 1)}
    _commit(repo, shadow, "shadow the base")
    code, out, err = _diff(
        capsys, "origin/main:stacks/dev.yaml", "stacks/dev.yaml", "--fail-on", "low"
    )
    assert (code, out) == (2, "")
    assert "is both a file and GIT_REF:path" in err
    # Written as a file, it is one.
    data = _json(capsys, "./origin/main:stacks/dev.yaml", "stacks/dev.yaml")
    assert _keys(data) == []


FAILING_GIT = """#!/bin/sh
case "$1" in
  ls-tree|cat-file) echo "fatal: $FAIL" >&2; exit 128;;
esac
exec "$REAL_GIT" "$@"
"""


@pytest.mark.parametrize(
    "failure",
    ["bad object 1a2b3c", "unable to read tree 9f8e7d", "not a tree object", "index file corrupt"],
)
def test_a_git_failure_is_an_error_never_an_empty_side(
    repo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: str,
) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(FAILING_GIT, encoding="utf-8")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("REAL_GIT", str(shutil.which("git")))
    monkeypatch.setenv("FAIL", failure)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    code, out, err = _diff(
        capsys, "origin/main:stacks/dev.yaml", "stacks/dev.yaml", "--fail-on", "critical"
    )
    assert (code, out) == (2, "")
    assert failure in err


def _stack_config(spec: str) -> str:
    return f"config:\n  auth0:domain: acme-dev.eu.auth0.com\n  auth0-myaccount:spec: {spec}\n"


def test_a_stack_is_compared_spec_to_spec_wherever_its_config_moves_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _git(repo, "checkout", "--quiet", "main")
    _commit(repo, {"Pulumi.dev.yaml": _stack_config("stacks/dev.yaml")}, "config")
    _git(repo, "update-ref", "refs/remotes/origin/main", "main")
    _git(repo, "checkout", "--quiet", "-b", "moved")
    # The new spec lives where a filter on stacks/*.yaml would never look.
    _commit(
        repo,
        {
            "Pulumi.dev.yaml": _stack_config("config/tenant.yml"),
            "config/tenant.yml": DEV.replace(DELETE_SCOPE, WITH_DELETE, 1),
        },
        "move",
    )
    data = _json(capsys, "--stack", "dev", "--base-ref", "origin/main")
    assert data["base"]["name"] == "origin/main:stacks/dev.yaml"  # type: ignore[index]
    assert data["head"]["name"] == "config/tenant.yml"  # type: ignore[index]
    assert _keys(data) == ADDED_DELETE


@pytest.mark.parametrize("spec", ["../outside.yaml", "/etc/tenant.yaml", "stacks/../../x.yaml"])
def test_a_spec_outside_the_repository_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str], spec: str
) -> None:
    (repo / "Pulumi.dev.yaml").write_text(_stack_config(spec), encoding="utf-8")
    code, out, err = _diff(capsys, "--stack", "dev", "--base-ref", "origin/main")
    assert (code, out) == (2, "")
    assert f"spec path {spec!r}" in err
    code, _, err = _tenantcfg_check(capsys)
    assert code == 2
    assert f"spec path {spec!r}" in err


def _tenantcfg_check(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", "--stack", "dev", "--spec-only"])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_spec_reached_through_a_link_out_of_the_repository_is_refused(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(DEV, encoding="utf-8")
    (repo / "stacks" / "linked.yaml").symlink_to(outside)
    (repo / "Pulumi.dev.yaml").write_text(_stack_config("stacks/linked.yaml"), encoding="utf-8")
    code, _, err = _tenantcfg_check(capsys)
    assert code == 2
    assert "outside the project" in err


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (os.mkfifo, "a named pipe (FIFO)"),
        (lambda p: p.mkdir(), "a directory"),
    ],
)
def test_a_side_that_is_not_a_regular_file_is_named_for_what_it_is(
    repo: Path, capsys: pytest.CaptureFixture[str], make: object, kind: str
) -> None:
    odd = repo / "odd.yaml"
    make(odd)  # type: ignore[operator]
    code, out, err = _diff(capsys, "odd.yaml", "stacks/dev.yaml")
    assert (code, out) == (2, "")
    assert f"odd.yaml:1:1: (document): {kind}, not a regular spec file" in err


def test_a_device_is_not_a_spec(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _diff(capsys, "/dev/null", "stacks/dev.yaml")
    assert code == 2
    assert "a device, not a regular spec file" in err
