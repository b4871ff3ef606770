"""MYACC-003: the anonymous-user policy (early access) must be ``deny_all`` or absent."""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_apis


def opens(policy: str | None) -> bool:
    """Whether an anonymous-user policy lets tokens without a user in (what this rule refuses)."""
    return policy not in (None, "deny_all")


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per My Account API that lets anonymous users in."""
    for api in my_account_apis(view):
        if opens(api.anonymous_user_policy):
            yield Violation(
                api.resource,
                f"anonymous-user policy is {api.anonymous_user_policy!r}; an "
                "anonymous user has no account to manage",
                api.fields.get("anonymous_user_policy", ()),
            )


RULE = Rule(
    id="MYACC-003",
    name="myaccount-anonymous-policy-deny-all",
    title="My Account API anonymous-user policy must be deny_all",
    severity=Severity.HIGH,
    level=Level.MANDATORY,
    remediation="Set the anonymous_user policy to 'deny_all' or leave it out.",
    check=check,
    # Waiving it would let an application without a signed-in user, or any third-party
    # application, near the user's own account.
    waivable=False,
)
