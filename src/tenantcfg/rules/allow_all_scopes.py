"""MYACC-005: no ``allow_all_scopes`` on a My Account grant.

It hands over every scope the API has, including every scope Auth0 adds later,
without anyone reviewing them.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_grants


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per My Account grant with allow_all_scopes."""
    for grant in my_account_grants(view):
        if grant.allow_all_scopes:
            yield Violation(
                grant.resource,
                "allow_all_scopes grants every My Account scope, present and future",
                grant.fields.get("allow_all_scopes", ()),
            )


RULE = Rule(
    id="MYACC-005",
    name="myaccount-grant-no-allow-all-scopes",
    title="My Account client grants must list their scopes (no allow_all_scopes)",
    severity=Severity.CRITICAL,
    level=Level.MANDATORY,
    remediation="Remove allow_all_scopes and list exactly the scopes the application needs.",
    check=check,
    waivable=False,
)
