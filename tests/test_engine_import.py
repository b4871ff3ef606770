"""The import's round trip under the real engine: import, check, plan, up, audit.

A tenant set up in the Dashboard (the API activated, grants made by hand) is imported;
once a person has filled in the placeholders, ``check`` is clean, the offline plan
only imports, the real ``pulumi up`` with the policy pack sends no write at all, and
the audit finds nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.harness import Engine, audit, dev_fake, project
from fakeapi import grants, resources
from fakeapi.harness import AUDIT_CLIENT_ID, AUDIT_SECRET, run_import
from fakeapi.state import MANAGEMENT_SCOPES
from tenantcfg.cli import main

pytestmark = pytest.mark.engine

HELD = {
    "Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH": ["read:me:factors", "read:me:authentication_methods"],
    "Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df": ["read:me:factors", "delete:me:authentication_methods"],
}
"""What the Dashboard granted (client id -> scopes); the third dev client has no grant."""


def test_an_imported_tenant_is_adopted_by_up_without_a_single_write(
    tmp_path: Path, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = dev_fake()
    state = fake.state
    audience = f"https://{state.domain}/me/"
    api_id = resources.create(state, {"identifier": audience})["id"]
    for client_id, scopes in HELD.items():
        body = {"client_id": client_id, "audience": audience, "scope": scopes}
        grants.create(state, body | {"subject_type": "user"})
    state.add_credential(AUDIT_CLIENT_ID, AUDIT_SECRET, MANAGEMENT_SCOPES)
    before = {g["client_id"]: sorted(g["scope"]) for g in state.grants.values()}

    with project(tmp_path, engine, fake, stack="imported") as proj:
        imported = run_import(fake, "--stack", "imported", project=proj.directory)
        assert imported.code == 0, imported.stderr
        spec = proj.directory / "stacks" / "imported.yaml"
        text = spec.read_text(encoding="utf-8")
        assert f'adopt_id: "{api_id}"' in text or f"adopt_id: {api_id}" in text
        filled = re.sub(r'"FILL-IN:[^"]*"', "identity-team@acme.example", text)
        spec.write_text(filled, encoding="utf-8")

        assert main(["check", "--spec", str(spec), "--spec-only"]) == 0
        assert main(["plan", "--stack", "imported", "--project-dir", str(proj.directory)]) == 0
        plan = capsys.readouterr().out
        assert plan.count("= import") == 1 + len(HELD), plan
        assert "+ create  auth0:" not in plan, plan

        result = proj.pulumi("up", "--yes", *proj.pack_args())
        assert result.code == 0, result
        assert proj.writes() == [], result
        assert proj.grants() == before
        assert proj.pulumi("preview", "--expect-no-changes").code == 0
        code, report = audit(proj)
        assert code == 0, report
