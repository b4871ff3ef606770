"""MYACC-012: at most one grant per (client, audience, subject type).

Auth0 keeps only one such grant; two declarations fight over it, and the
provider silently adopts the existing one, so the effective scopes are whichever
was applied last.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import GrantView, Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_grants


def _key(grant: GrantView) -> tuple[str | None, str, str]:
    audience = (grant.audience or "").rstrip("/").lower()
    return (grant.client_id, audience, grant.subject_type or "client")


def check(view: TenantView) -> Iterator[Violation]:
    """One violation for each grant after the first with the same key."""
    first: dict[tuple[str | None, str, str], GrantView] = {}
    for grant in my_account_grants(view):
        if grant.client_id is None:
            continue
        key = _key(grant)
        if key in first:
            yield Violation(grant.resource,
                            f"client {grant.client_id} already has a {key[2]} grant on this "
                            f"audience ({first[key].resource})",
                            grant.fields.get("client_id", ()))
        else:
            first[key] = grant


RULE = Rule(
    id="MYACC-012",
    name="myaccount-grant-unique",
    title="One grant per application, audience and subject type",
    severity=Severity.HIGH,
    level=Level.MANDATORY,
    remediation="Merge the two applications' scopes into one entry per client id.",
    check=check,
)
