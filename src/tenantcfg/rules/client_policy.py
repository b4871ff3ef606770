"""MYACC-002: the client-flow (machine-to-machine) policy must be ``deny_all``.

The My Account API acts on a signed-in user's own account; a client-credentials
token has no user, and Auth0 fixes this policy at ``deny_all``.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_apis


def opens(policy: str | None) -> bool:
    """Whether a client policy lets machine-to-machine tokens in (what this rule refuses)."""
    # Not set means Auth0's default for the My Account API, which is deny_all.
    return policy not in (None, "deny_all")


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per My Account API whose client policy is known and not deny_all."""
    for api in my_account_apis(view):
        if opens(api.client_policy):
            yield Violation(
                api.resource,
                f"client-flow policy is {api.client_policy!r}; machine-to-machine "
                "access to the My Account API must be 'deny_all'",
                api.fields.get("client_policy", ()),
            )


RULE = Rule(
    id="MYACC-002",
    name="myaccount-client-policy-deny-all",
    title="My Account API client-flow policy must be deny_all",
    severity=Severity.CRITICAL,
    level=Level.MANDATORY,
    remediation="Set the client policy to 'deny_all'.",
    check=check,
    waivable=False,
)
