"""Registering ``audit`` costs the other commands nothing: its heavy imports wait for its run.

httpx and auth0-python (and Pulumi, for other reasons) take a good part of a second
to import; ``tenantcfg check --spec-only`` must not load them. Checked in a fresh
interpreter, through a small wrapper that runs ``python -m tenantcfg`` and then reports
which of those packages ``sys.modules`` holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers.paths import ROOT

HEAVY = ("httpx", "auth0", "pulumi", "pulumi_auth0", "pulumi_policy")

WRAPPER = """\
import json, runpy, sys
report, sys.argv = sys.argv[1], ["tenantcfg", *sys.argv[2:]]
code = 0
try:
    runpy.run_module("tenantcfg", run_name="__main__", alter_sys=True)
except SystemExit as e:
    code = e.code
loaded = sorted({name.split(".")[0] for name in sys.modules})
with open(report, "w", encoding="utf-8") as out:
    json.dump({"code": code, "loaded": loaded}, out)
"""


def _run(tmp_path: Path, *argv: str, **extra: str) -> dict[str, Any]:
    wrapper, report = tmp_path / "wrapper.py", tmp_path / "report.json"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTH0_")} | extra
    subprocess.run(
        [sys.executable, str(wrapper), str(report), *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


@pytest.mark.slow
def test_check_spec_only_imports_neither_httpx_nor_auth0_nor_pulumi(tmp_path: Path) -> None:
    result = _run(tmp_path, "check", "--spec-only", "--spec", "stacks/dev.yaml")
    assert result["code"] == 0
    assert "tenantcfg" in result["loaded"]
    assert [m for m in HEAVY if m in result["loaded"]] == []


@pytest.mark.slow
def test_the_wrapper_does_see_them_when_audit_runs(tmp_path: Path) -> None:
    # The same wrapper around `audit`, reaching for a tenant that is not there: exit 2
    # after the client was loaded (without credentials it stops before loading it).
    result = _run(
        tmp_path,
        "audit",
        "--stack",
        "prod",
        AUTH0_API_TOKEN="not-a-token",
        AUTH0_DOMAIN="http://127.0.0.1:9",
    )
    assert result["code"] == 2
    assert {"httpx", "auth0"} <= set(result["loaded"])
