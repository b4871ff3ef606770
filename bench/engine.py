"""Benchmarks with the real Pulumi engine, as Markdown tables of medians and ratios.

    TENANTCFG_ENGINE=$(.ci/engine/build.sh .venv/bin/python) python bench/engine.py --apps 1000

(d) ``pulumi preview`` of a spec of N applications: the project's program against a
    minimal program that declares the same resources with the same inputs and options
    from plain data (no spec, no component), under the same engine, the same provider
    and the same fake tenant; the median of ``--repeat`` runs taken in alternation.
    Target: at most 1.2x.
(e) ``pulumi up`` of the N grants into an empty tenant (the fake over TLS): the
    requests the provider sends per grant, and the wall time.

The engine comes from ``TENANTCFG_ENGINE`` exactly as in the engine tests. Progress
goes to stderr, tables to stdout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from specgen import Tenant, generate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from engine.harness import Engine, Project, locate, project, tenant_fake  # noqa: E402
from fakeapi import FakeAuth0  # noqa: E402

MINIMAL = '''\
"""The floor: the same resources as the project's program, from plain data."""
import json
import pulumi
import pulumi_auth0 as auth0

data = json.load(open("apps.json"))
api = auth0.ResourceServer(
    "my-account-api", identifier=f"https://{data['domain']}/me/",
    subject_type_authorization={"user": {"policy": "require_client_grant"},
                                "client": {"policy": "deny_all"}},
    token_lifetime=data["token_lifetime"], skip_consent_for_verifiable_first_party_clients=True,
    authorization_policy={"policy_id": data["step_up_policy"]},
    opts=pulumi.ResourceOptions(protect=True, retain_on_delete=True))
for app in data["apps"]:
    auth0.ClientGrant(f"grant-{app['client_id']}", client_id=app["client_id"],
                      audience=api.identifier, scopes=sorted(set(app["scopes"])),
                      subject_type="user")
'''


def _fake(tenant: Tenant) -> FakeAuth0:
    return tenant_fake(tenant.domain, {a.client_id: (a.name, a.app_type) for a in tenant.apps})


def _prepare(proj: Project, tenant: Tenant) -> tuple[str, str]:
    """Write the spec and the minimal program's data; (ours, minimal) program sources."""
    proj.write_spec(tenant.yaml)
    data = {
        "domain": tenant.domain,
        "token_lifetime": tenant.token_lifetime,
        "step_up_policy": tenant.step_up_policy,
        "apps": [{"client_id": a.client_id, "scopes": list(a.scopes)} for a in tenant.apps],
    }
    (proj.directory / "apps.json").write_text(json.dumps(data), encoding="utf-8")
    return (proj.directory / "__main__.py").read_text(encoding="utf-8"), MINIMAL


def _timed(proj: Project, *args: str) -> float:
    start = time.perf_counter()
    result = proj.pulumi(*args, timeout=3600)
    elapsed = time.perf_counter() - start
    if result.code != 0:
        raise SystemExit(f"pulumi {' '.join(args)} failed:\n{result.out[-3000:]}")
    return elapsed


def preview_ratio(engine: Engine, tenant: Tenant, repeat: int, work: Path) -> tuple[float, float]:
    """Median seconds of ``pulumi preview``: (minimal program, ours)."""
    with project(
        work / "preview", engine, _fake(tenant), stack="bench", domain=tenant.domain
    ) as proj:
        ours, minimal = _prepare(proj, tenant)
        main = proj.directory / "__main__.py"
        times: dict[str, list[float]] = {"ours": [], "minimal": []}
        for i in range(repeat):
            for name, source in (("minimal", minimal), ("ours", ours)):
                main.write_text(source, encoding="utf-8")
                times[name].append(_timed(proj, "preview"))
                print(f"  preview {name} run {i + 1}: {times[name][-1]:.1f} s", file=sys.stderr)
        return statistics.median(times["minimal"]), statistics.median(times["ours"])


def up_cost(engine: Engine, tenant: Tenant, work: Path) -> tuple[float, Counter[str], int]:
    """Wall seconds of the first ``pulumi up``, requests by kind, grants created."""
    fake = _fake(tenant)
    with project(work / "up", engine, fake, stack="bench", domain=tenant.domain) as proj:
        _prepare(proj, tenant)
        seconds = _timed(proj, "up", "--yes")
        kinds = Counter(f"{e.method} {e.operation or e.raw_path}" for e in fake.exchanges)
        return seconds, kinds, len(fake.state.grants)


def main(argv: Sequence[str] | None = None) -> int:
    """Run (d) and (e) and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=1000, help="applications in the spec")
    parser.add_argument("--repeat", type=int, default=3, help="previews per program (median)")
    parser.add_argument("--only", choices=("preview", "up"), help="run (d) or (e) alone")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        engine = locate(work / "session")
        if engine is None:
            raise SystemExit("set TENANTCFG_ENGINE (see the README: engine tests)")
        tenant = generate(args.apps)
        if args.only != "up":
            print(f"(d) pulumi preview, {args.apps} applications", file=sys.stderr)
            floor, ours = preview_ratio(engine, tenant, args.repeat, work)
            print(f"## (d) `pulumi preview`, {args.apps} applications, median of {args.repeat}\n")
            print("| minimal program | tenantcfg | ratio |\n|---|---|---|")
            print(f"| {floor:.1f} s | {ours:.1f} s | {ours / floor:.2f}x |\n", flush=True)
        if args.only == "preview":
            return 0
        print(f"(e) pulumi up, {args.apps} grants", file=sys.stderr)
        seconds, kinds, grants = up_cost(engine, tenant, work)
    total = sum(kinds.values())
    print(f"## (e) `pulumi up` of {grants} grants into an empty tenant\n")
    print("| requests | per grant | wall time | per grant |\n|---|---|---|---|")
    print(
        f"| {total} | {total / max(grants, 1):.2f} | {seconds:.1f} s | "
        f"{1000 * seconds / max(grants, 1):.0f} ms |\n"
    )
    print("| request | count |\n|---|---|")
    for kind, n in kinds.most_common():
        print(f"| {kind} | {n} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
