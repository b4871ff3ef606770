"""Run ``tenantcfg audit`` in-process against a fake tenant, capturing everything it says.

The audit gets the fake's transport (the real auth0-python client talks to the fake),
a sleep that only records how long it was asked to wait, and a fixed clock shared
with the fake, so rate-limit resets are exact and no test really waits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenantcfg.cli import build_parser
from tenantcfg.cli.audit import execute
from tenantcfg.cli.tenantread import Runtime
from tenantcfg.spec.problems import SpecError

from .app import FakeAuth0
from .state import MANAGEMENT_SCOPES, load_seed

ROOT = Path(__file__).resolve().parents[2]
PROD_SEED = ROOT / "tests" / "fixtures" / "recordings" / "tenant-prod.json"
AUDIT_CLIENT_ID = "Au7dIt9Ro2Nl4Yq6Ck8Ap1Pz3Xm5Vb0Ns"
AUDIT_SECRET = "fake-loopback-secret-4f9c2e7a1b3d5e8f"
CREDENTIALS = {"AUTH0_CLIENT_ID": AUDIT_CLIENT_ID, "AUTH0_CLIENT_SECRET": AUDIT_SECRET}
NOW = 1_767_225_600.0
"""2026-01-01T00:00:00Z: the clock both the fake and the audit see."""
TODAY = dt.date(2026, 1, 1)


@dataclass
class Outcome:
    """What one audit run returned and wrote."""

    code: int
    stdout: str
    stderr: str
    sleeps: list[float] = field(default_factory=list)

    def json(self) -> Any:
        """The stdout of a ``--format json`` or ``sarif`` run."""
        return json.loads(self.stdout)

    def findings(self) -> set[tuple[str, str]]:
        """(rule id, resource) of every finding of a ``--format json`` run."""
        return {(f["rule"], f["resource"]) for f in self.json()["findings"]}


def prod_fake() -> FakeAuth0:
    """A fake of the tenant stacks/prod.yaml describes, on the shared fixed clock."""
    return FakeAuth0(load_seed(PROD_SEED), clock=lambda: NOW)


def generated_id(prefix: str, i: int) -> str:
    """A client id (32 letters and digits) for generated application ``i``."""
    return f"{prefix}{i:0{32 - len(prefix)}d}"


def many_applications(
    directory: Path, count: int, *, others: int = 0
) -> tuple[FakeAuth0, tuple[str, ...]]:
    """The prod tenant plus ``count`` granted applications and ``others`` ungranted clients.

    Returns the fake and the audit's target: a copy of stacks/prod.yaml in ``directory``
    that also lists the ``count`` applications (``Gen...`` ids; others are ``Ex...``).
    Every added client carries a client secret and the audit's token may read client
    keys, so only the ``fields`` filter keeps secrets out of the answers.
    """
    fake = prod_fake()
    fake.state.add_credential(AUDIT_CLIENT_ID, AUDIT_SECRET, MANAGEMENT_SCOPES)
    audience = f"https://{fake.state.domain}/me/"
    lines = []
    for i in range(count):
        client_id = generated_id("Gen", i)
        lines += [
            f"  generated-{i:03d}:",
            f"    client_id: {client_id}",
            "    app_type: spa",
            "    first_party: true",
            "    owner: web-team@acme.example",
            "    justification: Lists the user's factors on the security page.",
            "    scopes:",
            "      - read:me:factors",
        ]
        fake.state.clients[client_id] = {
            "client_id": client_id,
            "name": f"Generated {i}",
            "app_type": "spa",
            "is_first_party": True,
            "client_secret": f"generated-secret-{i:04d}",
        }
        fake.state.grants[f"cgr_gen{i:013d}"] = {
            "id": f"cgr_gen{i:013d}",
            "client_id": client_id,
            "audience": audience,
            "scope": ["read:me:factors"],
            "subject_type": "user",
        }
    for i in range(others):
        client_id = generated_id("Ex", i)
        fake.state.clients[client_id] = {
            "client_id": client_id,
            "name": f"Other {i}",
            "app_type": "regular_web",
            "is_first_party": True,
            "client_secret": f"other-secret-{i:04d}",
        }
    spec = (ROOT / "stacks" / "prod.yaml").read_text(encoding="utf-8")
    path = directory / "prod.yaml"
    path.write_text(
        spec.replace("waivers: []", "\n".join(lines) + "\nwaivers: []"), encoding="utf-8"
    )
    return fake, ("--spec", str(path))


def _run(
    fake: FakeAuth0,
    command: Callable[[argparse.Namespace, Runtime], int],
    argv: list[str],
    env: Mapping[str, str] | None,
) -> Outcome:
    """One command in-process against ``fake``: its transport, a recorded sleep, the clock."""
    parsed = build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    sleeps: list[float] = []
    runtime = Runtime(
        dict(CREDENTIALS if env is None else env),
        out,
        err,
        transport=fake.transport(),
        sleep=sleeps.append,
        clock=lambda: NOW,
        today=TODAY,
    )
    try:
        code = command(parsed, runtime)
    except SpecError as e:  # as ``tenantcfg.cli.main`` reports it
        err.write("".join(f"{line}\n" for line in e.lines()))
        code = 2
    return Outcome(code, out.getvalue(), err.getvalue(), sleeps)


def run_audit(
    fake: FakeAuth0,
    *args: str,
    env: Mapping[str, str] | None = None,
    target: tuple[str, ...] = ("--stack", "prod"),
) -> Outcome:
    """``tenantcfg audit <target> <args>`` with the project root as project dir."""
    return _run(fake, execute, ["audit", *target, "--project-dir", str(ROOT), *args], env)


def run_import(
    fake: FakeAuth0, *args: str, project: Path, env: Mapping[str, str] | None = None
) -> Outcome:
    """``tenantcfg import <args>`` in ``project`` against ``fake``, on the shared clock."""
    from tenantcfg.cli import import_tenant

    argv = ["import", "--project-dir", str(project), *args]
    return _run(fake, import_tenant.execute, argv, env)
