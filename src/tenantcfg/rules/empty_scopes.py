"""MYACC-006: a My Account grant must list at least one scope."""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_grants


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per grant with no scopes (and no allow_all_scopes, judged elsewhere)."""
    for grant in my_account_grants(view):
        if not grant.allow_all_scopes and not grant.scopes:
            yield Violation(
                grant.resource,
                "the grant lists no scopes: it allows nothing, so it is either a "
                "mistake or should be removed",
                grant.fields.get("scopes", ()),
            )


RULE = Rule(
    id="MYACC-006",
    name="myaccount-grant-scopes-not-empty",
    title="My Account client grants must list at least one scope",
    severity=Severity.MEDIUM,
    level=Level.MANDATORY,
    remediation="List the scopes the application needs, or remove the application.",
    check=check,
)
