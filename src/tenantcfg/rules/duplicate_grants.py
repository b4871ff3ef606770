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
    """One violation for every grant that shares its key with another.

    All of them, not the later ones: which is 'later' depends on the order a
    source lists them in (spec order, registration order), and every adapter
    must report the same resources.
    """
    groups: dict[tuple[str | None, str, str], list[GrantView]] = {}
    for grant in my_account_grants(view):
        if grant.client_id is not None:
            groups.setdefault(_key(grant), []).append(grant)
    for key, grants in groups.items():
        if len(grants) < 2:
            continue
        for i, grant in enumerate(grants):
            others = ", ".join(g.resource for j, g in enumerate(grants) if j != i)
            yield Violation(
                grant.resource,
                f"client {grant.client_id} has more than one {key[2]} grant on this "
                f"audience (also {others})",
                grant.fields.get("client_id", ()),
            )


RULE = Rule(
    id="MYACC-012",
    name="myaccount-grant-unique",
    title="One grant per application, audience and subject type",
    severity=Severity.HIGH,
    level=Level.MANDATORY,
    remediation="Merge the two applications' scopes into one entry per client id.",
    check=check,
    cross_resource=True,
)
