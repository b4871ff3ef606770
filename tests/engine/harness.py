"""Run the real Pulumi CLI, language host and auth0 provider against the fake tenant.

Where the engine comes from (``TENANTCFG_ENGINE``):
- a directory printed by ``.ci/engine/build.sh``: its ``bin/`` goes first on PATH and
  its provider is installed as a plugin into a Pulumi home of the test session;
- ``path``: a normal Pulumi installation, with ``pulumi`` on PATH and the provider
  installed by ``pulumi plugin install resource auth0 <version>``;
- unset: the engine tests are skipped, with this explanation.

Every project runs in its own directory with its own ``file://`` backend and a
passphrase secrets provider; the fake answers for the tenant's own domain over TLS
(:mod:`fakeapi.tls`), so nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fakeapi import FakeAuth0, state_from_seed
from fakeapi.state import MANAGEMENT_SCOPES
from fakeapi.tls import Endpoint, running_tls

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_CLIENT = "Dep1oyC1ient0000000000000000000a"
DEPLOY_SECRET = "fake-deploy-secret-8a1d3f5c7e9b"
SKIP_REASON = (
    "engine tests skipped: TENANTCFG_ENGINE is not set. Build the engine with "
    "`.ci/engine/build.sh .venv/bin/python` and set TENANTCFG_ENGINE to the directory it "
    "prints, or set TENANTCFG_ENGINE=path to use a Pulumi CLI on PATH with "
    "`pulumi plugin install resource auth0 <pulumi_auth0's version>` done"
)

DEV_CLIENTS = {
    "Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH": ("Account settings", "spa"),
    "Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df": ("Mobile app", "native"),
    "Gh2Jk4Lm6Np8Qr0St1Uv3Wx5Yz7Ab9Cd": ("Partner portal", "regular_web"),
}
"""The applications stacks/dev.yaml names, as the tenant knows them."""


def provider_version() -> str:
    """The auth0 plugin version the installed pulumi_auth0 asks the engine for."""
    import pulumi_auth0

    meta = Path(pulumi_auth0.__file__).parent / "pulumi-plugin.json"
    return str(json.loads(meta.read_text(encoding="utf-8"))["version"])


@dataclass(frozen=True)
class Engine:
    """Where the CLI is and which Pulumi home holds the auth0 plugin."""

    path: str
    """PATH for the CLI, its language host and the project's Python."""
    home: Path | None
    """PULUMI_HOME holding the plugin; None keeps the user's own."""


def locate(session_dir: Path) -> Engine | None:
    """The engine named by ``TENANTCFG_ENGINE``, its plugin installed; None if unset."""
    where = os.environ.get("TENANTCFG_ENGINE", "").strip()
    python_bin = str(Path(sys.executable).parent)
    if not where:
        return None
    if where == "path":
        return Engine(f"{python_bin}{os.pathsep}{os.environ.get('PATH', '')}", None)
    built = Path(where)
    home = session_dir / "pulumi-home"
    path = f"{built / 'bin'}{os.pathsep}{python_bin}{os.pathsep}{os.environ.get('PATH', '')}"
    engine = Engine(path, home)
    subprocess.run(
        [
            "pulumi",
            "plugin",
            "install",
            "resource",
            "auth0",
            provider_version(),
            "--file",
            str(built / "provider" / "pulumi-resource-auth0"),
        ],
        env=engine_env(engine, session_dir),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return engine


def engine_env(
    engine: Engine, state: Path, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A clean environment for one CLI run: no ambient credentials or plugins."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PULUMI_", "AUTH0_", "HTTPS_PROXY", "https_proxy"))
    }
    env = {
        **keep,
        "PATH": engine.path,
        "PULUMI_BACKEND_URL": state.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": "engine-tests",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_IGNORE_AMBIENT_PLUGINS": "true",
        "PULUMI_SKIP_CONFIRMATIONS": "true",
        "PULUMI_COPILOT": "false",
        "PYTHONUNBUFFERED": "1",
    }
    if engine.home is not None:
        env["PULUMI_HOME"] = str(engine.home)
    return {**env, **(extra or {})}


def tenant_fake(domain: str, applications: Mapping[str, tuple[str, str]]) -> FakeAuth0:
    """A tenant before anything was deployed: first-party applications (client id -> name,
    type) and the deploy client the stacks authenticate as."""
    clients = [
        {"client_id": cid, "name": name, "app_type": kind, "is_first_party": True}
        for cid, (name, kind) in applications.items()
    ]
    fake = FakeAuth0(state_from_seed({"domain": domain, "clients": clients}))
    fake.state.add_credential(DEPLOY_CLIENT, DEPLOY_SECRET, MANAGEMENT_SCOPES)
    return fake


def dev_fake() -> FakeAuth0:
    """The dev tenant before anything was deployed."""
    return tenant_fake("acme-dev.eu.auth0.com", DEV_CLIENTS)


@dataclass
class Result:
    """One CLI run."""

    code: int
    out: str

    def __str__(self) -> str:
        return f"exit {self.code}\n{self.out}"


@dataclass
class Project:
    """A copy of the project with one stack, on its own backend, against one fake tenant."""

    directory: Path
    engine: Engine
    endpoint: Endpoint
    fake: FakeAuth0
    stack: str = "dev"

    @property
    def env(self) -> dict[str, str]:
        """The environment every CLI run of this project gets."""
        return engine_env(self.engine, self.directory / ".state", self.endpoint.environment())

    def pulumi(self, *args: str, timeout: float = 600) -> Result:
        """``pulumi <args> --non-interactive`` in the project directory."""
        proc = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Result(proc.returncode, proc.stdout + proc.stderr)

    def write_spec(self, text: str) -> None:
        """Replace the stack's spec."""
        (self.directory / "stacks" / f"{self.stack}.yaml").write_text(text, encoding="utf-8")

    def spec_text(self) -> str:
        """The stack's spec as it is now."""
        return (self.directory / "stacks" / f"{self.stack}.yaml").read_text(encoding="utf-8")

    def pack_args(self) -> list[str]:
        """``--policy-pack`` with the pack config ``tenantcfg policy-config`` writes."""
        config = self.directory / "pack-config.json"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "tenantcfg",
                "policy-config",
                "--spec",
                str(self.directory / "stacks" / f"{self.stack}.yaml"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        config.write_text(proc.stdout, encoding="utf-8")
        return [
            "--policy-pack",
            str(self.directory / "policies"),
            "--policy-pack-config",
            str(config),
        ]

    def grants(self) -> dict[str, list[str]]:
        """client id -> sorted scopes of every grant for the tenant's My Account API."""
        audience = f"https://{self.fake.state.domain}/me/"
        return {
            g["client_id"]: sorted(g.get("scope", []))
            for g in self.fake.state.grants.values()
            if g.get("audience") == audience
        }

    def writes(self) -> list[tuple[str, str]]:
        """(method, path) of every request that changed something, in order."""
        return [
            (e.method, e.raw_path.partition("?")[0])
            for e in self.fake.exchanges
            if e.method in {"POST", "PATCH", "DELETE", "PUT"} and e.raw_path != "/oauth/token"
        ]


def copy_project(directory: Path) -> None:
    """The files ``pulumi`` needs from the repository, and the current virtualenv as .venv."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, directory / name)
    shutil.copytree(ROOT / "stacks", directory / "stacks")
    shutil.copytree(
        ROOT / "policies", directory / "policies", ignore=shutil.ignore_patterns("__pycache__")
    )
    (directory / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    (directory / ".state").mkdir()


@contextmanager
def project(
    directory: Path,
    engine: Engine,
    fake: FakeAuth0,
    *,
    stack: str = "dev",
    domain: str | None = None,
) -> Iterator[Project]:
    """A project copy with stack ``stack`` initialised and configured for ``fake``."""
    copy_project(directory)
    with running_tls(fake, directory / ".certs") as endpoint:
        proj = Project(directory, engine, endpoint, fake, stack)
        for args in (
            ("stack", "init", stack),
            ("config", "set", "auth0:domain", domain or fake.state.domain),
            ("config", "set", "auth0:clientId", DEPLOY_CLIENT),
            ("config", "set", "--secret", "auth0:clientSecret", DEPLOY_SECRET),
            ("config", "set", "auth0-myaccount:spec", f"stacks/{stack}.yaml"),
        ):
            result = proj.pulumi(*args)
            assert result.code == 0, result
        yield proj


def audit(proj: Project) -> tuple[int, str]:
    """``tenantcfg audit`` of the project's spec against the same fake, in-process."""
    import io

    from tenantcfg.cli import build_parser
    from tenantcfg.cli.audit import execute
    from tenantcfg.cli.tenantread import Runtime

    client, secret = "AuditC1ient00000000000000000000a", "fake-audit-secret-0b2d4f6a8c"
    proj.fake.state.add_credential(
        client, secret, {"read:resource_servers", "read:client_grants", "read:clients"}
    )
    spec = proj.directory / "stacks" / f"{proj.stack}.yaml"
    parsed = build_parser().parse_args(["audit", "--spec", str(spec)])
    out, err = io.StringIO(), io.StringIO()
    env = {"AUTH0_CLIENT_ID": client, "AUTH0_CLIENT_SECRET": secret}
    code = execute(parsed, Runtime(env, out, err, transport=proj.fake.transport()))
    return code, out.getvalue() + err.getvalue()
