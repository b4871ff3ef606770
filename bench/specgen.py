"""Generate a realistic, clean tenant spec of N applications, and the same data in plain form.

The YAML is what a reviewed spec looks like (comments, owners, one-line
justifications, one to four scopes); the plain form lets a minimal Pulumi
program declare exactly the same resources without reading any spec.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

from tenantcfg.catalogue.scopes import CATALOGUE, Lifecycle

DOMAIN = "bench.eu.auth0.com"
STEP_UP_POLICY = "019b76da-a800-73c9-b656-b349ae415c17"
APP_TYPES = ("spa", "native", "regular_web")
SCOPES = sorted(s for s, v in CATALOGUE.items() if v.lifecycle is Lifecycle.GA)


@dataclass(frozen=True)
class App:
    """One application as the minimal program needs it."""

    name: str
    client_id: str
    app_type: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Tenant:
    """The whole generated tenant: its YAML and the same data, plain."""

    yaml: str
    domain: str = DOMAIN
    token_lifetime: int = 600
    step_up_policy: str = STEP_UP_POLICY
    apps: list[App] = field(default_factory=list)


def generate(count: int, seed: int = 6) -> Tenant:
    """A clean spec of ``count`` applications (deterministic for a given seed)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    alphabet = string.ascii_letters + string.digits
    apps = [
        App(
            name=f"app-{i:05d}",
            client_id="".join(rng.choice(alphabet) for _ in range(32)),
            app_type=rng.choice(APP_TYPES),
            scopes=tuple(rng.sample(SCOPES, rng.randint(1, 4))),
        )
        for i in range(count)
    ]
    lines = [
        f"# Generated benchmark spec: {count} applications.",
        "version: 1",
        "tenant:",
        f"  domain: {DOMAIN}",
        "my_account_api:",
        "  policies:",
        "    user: require_client_grant",
        "    client: deny_all",
        "  token_lifetime: 600",
        "  authorization_policy:",
        f"    policy_id: {STEP_UP_POLICY}",
        "applications:",
    ]
    for i, app in enumerate(apps):
        lines += [
            f"  {app.name}:  # ticket SEC-{1000 + i}",
            f"    client_id: {app.client_id}",
            f"    app_type: {app.app_type}",
            "    first_party: true",
            f"    owner: team-{i % 40:02d}@acme.example",
            f"    justification: Feature {i} of the account settings lists and manages "
            "the user's sign-in methods.",
            "    scopes:",
            *(f"      - {scope}" for scope in app.scopes),
        ]
    lines.append("waivers: []")
    return Tenant("\n".join(lines) + "\n", apps=apps)
