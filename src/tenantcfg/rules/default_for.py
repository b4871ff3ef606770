"""MYACC-010: no ``default_for`` grant on the My Account audience.

A default grant applies to every third-party application; Auth0 forbids
third-party access to system APIs, and a blanket grant is never least privilege.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_grants


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per My Account grant with default_for set."""
    for grant in my_account_grants(view):
        if grant.default_for:
            yield Violation(
                grant.resource,
                f"default_for {grant.default_for!r} would grant the My Account "
                "API to a whole class of applications",
                grant.fields.get("default_for", ()),
            )


RULE = Rule(
    id="MYACC-010",
    name="myaccount-grant-no-default-for",
    title="No default_for grants on the My Account API",
    severity=Severity.CRITICAL,
    level=Level.MANDATORY,
    remediation="Remove default_for; grant named first-party applications one by one.",
    check=check,
    # Waiving it would let an application without a signed-in user, or any third-party
    # application, near the user's own account.
    waivable=False,
)
