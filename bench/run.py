"""Benchmarks of tenantcfg against the floor, as Markdown tables of medians and ratios.

    python bench/run.py --sizes 10,100,1000,5000 --repeat 5
    python bench/run.py --repeat 3 --only audit      # (c) alone

For each size N it writes a generated spec of N applications (``specgen.py``) to
a temporary directory and measures, as the median of ``--repeat`` runs taken in
alternation with the floor they are compared with:

(a) ``tenantcfg check --spec-only``: in-process (the command's own ``main``:
    strict load, schema, rules, text output) against PyYAML's C loader reading
    the same file; and the whole command as a process against a process that
    only runs that ``yaml.load``. Target: at most 3x at 5,000 applications, and
    linear (the time per application stays flat).
(b) The Pulumi program under mocks (``run_offline`` with ``program.run``)
    against a minimal program that registers the same resources with the same
    inputs and options, from plain data, under the same mocks. Target: 1.2x.
(c) The audit and the import against the fake Management API: see
    ``livetenant.audit_and_import``.

Standard library and the project only; progress goes to stderr, tables to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from livetenant import audit_and_import
from specgen import Tenant, generate

MEASUREMENTS = ("check", "program", "audit")
"""What ``--only`` selects: (a), (b) and (c) below."""
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
Timer = Callable[[], object]


@dataclass(frozen=True)
class Pair:
    """Median seconds of the floor and of what is compared with it."""

    floor: float
    subject: float

    @property
    def ratio(self) -> float:
        """How many times the floor the subject takes."""
        return self.subject / self.floor


def measure(floor: Timer, subject: Timer, repeat: int, *, warm_up: bool = True) -> Pair:
    """Medians of ``repeat`` runs of each, alternating so that drift affects both alike."""
    if warm_up:  # imports and first-call caches are not what is measured
        floor()
        subject()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((floor, times[0]), (subject, times[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return Pair(statistics.median(times[0]), statistics.median(times[1]))


def progress(message: str) -> None:
    """A line on stderr, so stdout stays the report."""
    print(message, file=sys.stderr, flush=True)


# --- (a) the spec check ----------------------------------------------------------------


def _check_in_process(path: Path) -> Timer:
    from tenantcfg.cli import main

    def run() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["check", "--spec-only", "--spec", str(path)])
        if code != 0:
            raise SystemExit(f"tenantcfg check --spec-only {path} exited {code}")

    return run


def _yaml_load(path: Path) -> Timer:
    # The floor the issue names: PyYAML's C loader (the input is generated here).
    return lambda: yaml.load(path.read_bytes(), Loader=yaml.CLoader)  # noqa: S506


def _process(*args: str) -> Timer:
    def run() -> None:
        subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=ROOT)

    return run


YAML_SCRIPT = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb').read(), Loader=yaml.CLoader)"


def check_table(specs: dict[int, Path], repeat: int) -> str:
    """Table (a): the check against yaml.load, in-process and as processes."""
    rows = [
        "| applications | spec size | `yaml.load` (C loader) | `check --spec-only` in-process "
        "| ratio | per application | `yaml.load` process | `tenantcfg check --spec-only` process "
        "| ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, path in specs.items():
        progress(f"(a) check --spec-only, {count} applications")
        inner = measure(_yaml_load(path), _check_in_process(path), repeat)
        outer = measure(
            _process("-c", YAML_SCRIPT, str(path)),
            _process("-m", "tenantcfg", "check", "--spec-only", "--spec", str(path)),
            repeat,
            warm_up=False,
        )
        rows.append(
            f"| {count:,} | {path.stat().st_size / 1024:,.0f} KiB | {_ms(inner.floor)} "
            f"| {_ms(inner.subject)} | **{inner.ratio:.2f}x** | {_us(inner.subject / count)} "
            f"| {_ms(outer.floor)} | {_ms(outer.subject)} | {outer.ratio:.2f}x |"
        )
    return "\n".join(rows)


# --- (b) the program under mocks -------------------------------------------------------


def minimal_program(tenant: Tenant) -> Callable[[], None]:
    """The floor: the same resources and inputs, declared from plain data, nothing else."""

    def program() -> None:
        import pulumi
        import pulumi_auth0 as auth0

        api = auth0.ResourceServer(
            "my-account-api",
            identifier=f"https://{tenant.domain}/me/",
            subject_type_authorization=auth0.ResourceServerSubjectTypeAuthorizationArgs(
                user=auth0.ResourceServerSubjectTypeAuthorizationUserArgs(
                    policy="require_client_grant"
                ),
                client=auth0.ResourceServerSubjectTypeAuthorizationClientArgs(policy="deny_all"),
            ),
            token_lifetime=tenant.token_lifetime,
            skip_consent_for_verifiable_first_party_clients=True,
            authorization_policy=auth0.ResourceServerAuthorizationPolicyArgs(
                policy_id=tenant.step_up_policy
            ),
            opts=pulumi.ResourceOptions(protect=True, retain_on_delete=True),
        )
        for app in tenant.apps:
            auth0.ClientGrant(
                f"grant-{app.client_id}",
                client_id=app.client_id,
                audience=api.identifier,
                scopes=sorted(set(app.scopes)),
                subject_type="user",
            )

    return program


def _offline(program: Callable[[], None], path: Path, tenant: Tenant) -> Callable[[], Any]:
    from tenantcfg.deploy.program import PROJECT, SPEC_KEY
    from tenantcfg.deploy.under_mocks import run_offline

    config = {"auth0:domain": tenant.domain, f"{PROJECT}:{SPEC_KEY}": str(path)}
    return lambda: run_offline(program, project=PROJECT, stack="bench", config=config)


def _declared(run: Any) -> dict[str, tuple[str, Any, bool, bool]]:
    custom = [r for r in run.registrations if r.custom]
    return {r.name: (r.type, r.inputs, r.protect, r.retain_on_delete) for r in custom}


def program_table(specs: dict[int, Path], tenants: dict[int, Tenant], repeat: int) -> str:
    """Table (b): the program against a minimal one, both under the same mocks."""
    from tenantcfg.deploy.program import run as tenantcfg_program

    rows = [
        "| applications | resources | minimal program | tenantcfg program | ratio | per resource |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for count, path in specs.items():
        progress(f"(b) program under mocks, {count} applications")
        floor = _offline(minimal_program(tenants[count]), path, tenants[count])
        subject = _offline(tenantcfg_program, path, tenants[count])
        # The comparison is fair only if both declare exactly the same resources.
        if _declared(floor()) != _declared(subject()):
            raise SystemExit(f"the two programs declare different resources at {count}")
        pair = measure(floor, subject, repeat, warm_up=False)
        resources = count + 1
        rows.append(
            f"| {count:,} | {resources:,} | {_s(pair.floor)} | {_s(pair.subject)} "
            f"| **{pair.ratio:.2f}x** | {_ms(pair.subject / resources)} |"
        )
    return "\n".join(rows)


# --- report ----------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _us(seconds: float) -> str:
    return f"{seconds * 1_000_000:,.0f} µs"


def _s(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def environment() -> str:
    """One line naming what the numbers were measured on."""
    from importlib.metadata import version

    from yaml import _yaml

    return (
        f"Python {platform.python_version()} on {platform.machine()} "
        f"({os.cpu_count()} CPUs), PyYAML {yaml.__version__} (libyaml "
        f"{_yaml.get_version_string()}), pulumi {version('pulumi')}, "
        f"pulumi-auth0 {version('pulumi_auth0')}"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="10,100,1000,5000",
        help="comma-separated numbers of applications (default 10,100,1000,5000)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument(
        "--audit-grants", type=int, default=10_000, help="client grants in the fake tenant for (c)"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=MEASUREMENTS,
        help="run only this measurement (repeatable): check (a), program (b) "
        "or audit (c); default all",
    )
    return parser.parse_args(argv)


def _command(args: argparse.Namespace, sizes: list[int]) -> str:
    """The command line that reproduces the report (as before ``--only`` when it is absent)."""
    if not args.only:
        return f"python bench/run.py --sizes {','.join(map(str, sizes))} --repeat {args.repeat}"
    command = "python bench/run.py"
    if {"check", "program"} & set(args.only):
        command += f" --sizes {','.join(map(str, sizes))}"
    command += f" --repeat {args.repeat}"
    if "audit" in args.only:
        command += f" --audit-grants {args.audit_grants}"
    return command + "".join(f" --only {name}" for name in args.only)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the specs, measure, print the report."""
    args = parse_args(argv)
    only = set(args.only or MEASUREMENTS)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    with tempfile.TemporaryDirectory(prefix="tenantcfg-bench-") as tmp:
        tenants = {n: generate(n) for n in sizes} if only & {"check", "program"} else {}
        specs = {}
        for n, tenant in tenants.items():
            specs[n] = Path(tmp) / f"spec-{n}.yaml"
            specs[n].write_text(tenant.yaml, encoding="utf-8")
        report = [f"`{_command(args, sizes)}` — medians of {args.repeat} runs; {environment()}."]
        if "check" in only:
            report += [
                "",
                "(a) `tenantcfg check --spec-only` against `yaml.load(..., Loader=yaml.CLoader)` "
                "of the same file (target: at most 3x at 5,000 applications, linear):",
                "",
                check_table(specs, args.repeat),
            ]
        if "program" in only:
            report += [
                "",
                "(b) the Pulumi program under mocks against a minimal program registering the "
                "same resources (target: at most 1.2x):",
                "",
                program_table(specs, tenants, args.repeat),
            ]
        if "audit" in only:
            report += ["", audit_and_import(args.audit_grants, Path(tmp), args.repeat)]
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
