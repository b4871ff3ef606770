"""(c) ``tenantcfg audit`` and ``tenantcfg import`` against the fake Management API.

The fake (``tests/fakeapi``) holds the My Account API, N client grants and their
applications, exactly as a generated spec declares them; both commands run
in-process through the fake's transport with the real auth0-python client, taken
in alternation, each on a fresh fake. Requests are those the fake answered; peak
memory is tracemalloc's peak over a separate audit run (tracing slows it down).
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, cast

from specgen import Tenant, generate

ROOT = Path(__file__).resolve().parent.parent


def progress(message: str) -> None:
    """One line on stderr: the tables go to stdout."""
    print(message, file=sys.stderr, flush=True)


class RequestCounter:
    """Stands in for the fake's log of exchanges: counts them by operation, keeps nothing.

    The fake would otherwise keep every answer it gave, and its log would dominate
    the peak memory measured.
    """

    def __init__(self) -> None:
        self.by_operation: dict[str, int] = {}

    def append(self, exchange: Any) -> None:
        """Count one exchange (the fake's ``exchanges.append``)."""
        name = exchange.operation or f"{exchange.method} {exchange.raw_path.split('?')[0]}"
        self.by_operation[name] = self.by_operation.get(name, 0) + 1

    @property
    def total(self) -> int:
        """Every request the fake answered."""
        return sum(self.by_operation.values())

    def detail(self) -> str:
        """Requests per operation, in one cell."""
        return ", ".join(f"{op}: {n:,}" for op, n in sorted(self.by_operation.items()))


def fake_tenant(tenant: Tenant, counter: RequestCounter) -> Any:
    """The fake Management API holding exactly what the generated spec declares."""
    from fakeapi import FakeAuth0
    from fakeapi.harness import AUDIT_CLIENT_ID, AUDIT_SECRET
    from fakeapi.state import state_from_seed

    audience = f"https://{tenant.domain}/me/"
    seed = {
        "domain": tenant.domain,
        "resource_servers": [
            {
                "id": "6643a1f2b7e9c8d4a5f60712",
                "name": "Auth0 My Account API",
                "identifier": audience,
                "is_system": True,
                "token_lifetime": tenant.token_lifetime,
                "skip_consent_for_verifiable_first_party_clients": True,
                "subject_type_authorization": {
                    "user": {"policy": "require_client_grant"},
                    "client": {"policy": "deny_all"},
                },
                "authorization_policy": {"policy_id": tenant.step_up_policy},
            }
        ],
        "clients": [
            {
                "client_id": app.client_id,
                "name": app.name,
                "app_type": app.app_type,
                "is_first_party": True,
            }
            for app in tenant.apps
        ],
        "client_grants": [
            {
                "id": f"cgr_bench{i:011d}",  # cgr_ and 16 letters and digits, as Auth0's
                "client_id": app.client_id,
                "audience": audience,
                "scope": sorted(set(app.scopes)),
                "subject_type": "user",
            }
            for i, app in enumerate(tenant.apps)
        ],
        "credentials": [
            {
                "client_id": AUDIT_CLIENT_ID,
                "client_secret": AUDIT_SECRET,
                "scopes": ["read:resource_servers", "read:client_grants", "read:clients"],
            }
        ],
    }
    # The fake only ever appends to its log, which is all a RequestCounter offers.
    return FakeAuth0(state_from_seed(seed), exchanges=cast("list[Any]", counter))


def _timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    outcome = run()
    if outcome.code != 0:  # a tenant matching its spec: both must be clean
        raise SystemExit(f"{run} exited {outcome.code}: {outcome.stderr[:500]}")
    return time.perf_counter() - start


def _s(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def audit_and_import(grants: int, tmp: Path, repeat: int) -> str:
    """(c): requests, time (and the audit's peak memory) for ``grants`` grants."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from fakeapi.harness import run_audit, run_import
        from tenantcfg.audit.applications import PAGE_SIZE as CLIENT_PAGE
        from tenantcfg.audit.reader import PAGE_SIZE
    except ImportError as e:
        return f"(c) audit and import: not measured, the fake is not importable ({e})."
    tenant = generate(grants, seed=7)
    spec = tmp / f"audit-{grants}.yaml"
    spec.write_text(tenant.yaml, encoding="utf-8")
    progress(f"(c) audit and import, {grants} grants")
    audits, imports = [RequestCounter() for _ in range(repeat)], []
    audit_times, import_times = [], []
    target = ("--spec", str(spec))
    for i, counter in enumerate(audits):
        fake = fake_tenant(tenant, counter)
        audit_times.append(_timed(partial(run_audit, fake, "--format", "json", target=target)))
        imports.append(RequestCounter())
        fake = fake_tenant(tenant, imports[-1])
        args = ("--stack", "bench", "--domain", tenant.domain)
        import_times.append(_timed(partial(run_import, fake, *args, project=tmp / f"imp-{i}")))
    written = (tmp / "imp-0" / "stacks" / "bench.yaml").stat().st_size
    fake = fake_tenant(tenant, RequestCounter())
    tracemalloc.start()
    run_audit(fake, "--format", "json", target=("--spec", str(spec)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    pages = -(-grants // PAGE_SIZE)
    # One application per grant: the list of clients is as long as the list of grants.
    client_pages = -(-len(tenant.apps) // CLIENT_PAGE)
    audit_time, import_time = statistics.median(audit_times), statistics.median(import_times)
    return "\n".join(
        [
            f"(c) `tenantcfg audit` and `tenantcfg import` against the fake Management "
            f"API with {grants:,} grants to as many applications (target: one request per "
            f"page of {PAGE_SIZE} grants, i.e. {pages}, and per page of {CLIENT_PAGE} "
            f"applications, i.e. {client_pages}, plus a constant):",
            "",
            "| command | grants | requests | of which | target | time | vs audit |",
            "|---|---:|---:|---|---:|---:|---:|",
            f"| audit | {grants:,} | **{audits[-1].total:,}** | {audits[-1].detail()} "
            f"| {pages} + {client_pages} + c | {_s(audit_time)} | 1.00x |",
            f"| import | {grants:,} | **{imports[-1].total:,}** | {imports[-1].detail()} "
            f"| {pages} + {client_pages} + c | {_s(import_time)} "
            f"| **{import_time / audit_time:.2f}x** |",
            "",
            f"The audit's peak memory (tracemalloc): {peak / 2**20:,.1f} MiB; the spec "
            f"`import` wrote: {written / 1024:,.0f} KiB.",
        ]
    )
