"""MYACC-011: only first-party, user-facing applications may hold a My Account grant.

Machine-to-machine (``non_interactive``) applications have no user; SSO
integrations and other special types are not where users manage their own
accounts; third-party applications can never be granted a system API. Only
first-party spa, native and regular_web applications pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.catalogue.risk import NO_USER as _NO_USER
from tenantcfg.catalogue.risk import USER_FACING
from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_grants

__all__ = ["RULE", "USER_FACING", "check"]


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per grant whose application is known to be m2m or third-party."""
    for grant in my_account_grants(view):
        if grant.app_type in _NO_USER:
            yield Violation(
                grant.resource,
                f"application type {grant.app_type!r} has no signed-in user; "
                "the My Account API is only for user-facing applications",
                grant.fields.get("app_type", ()),
            )
        elif grant.app_type is not None and grant.app_type not in USER_FACING:
            yield Violation(
                grant.resource,
                f"application type {grant.app_type!r} may not use the My Account "
                "API; only spa, native and regular_web applications may",
                grant.fields.get("app_type", ()),
            )
        if grant.first_party is False:
            yield Violation(
                grant.resource,
                "third-party applications cannot be granted the My Account API",
                grant.fields.get("first_party", ()),
            )


RULE = Rule(
    id="MYACC-011",
    name="myaccount-grant-first-party-user-app",
    title="My Account grants only to first-party, user-facing applications",
    severity=Severity.CRITICAL,
    level=Level.MANDATORY,
    remediation="Remove the grant; only first-party spa, native or regular_web applications "
    "may use the My Account API.",
    check=check,
    # Waiving it would let an application without a signed-in user, or any third-party
    # application, near the user's own account.
    waivable=False,
)
