"""MYACC-001: the user-flow policy of the My Account API must not be ``allow_all``.

With ``allow_all`` any application of the tenant may ask for any My Account
scope for a signed-in user, with no client grant at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_apis


def opens(policy: str | None) -> bool:
    """Whether a user policy opens the API to every application (what this rule refuses)."""
    return policy == "allow_all"


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per My Account API whose user policy is allow_all."""
    for api in my_account_apis(view):
        if opens(api.user_policy):
            yield Violation(
                api.resource,
                "user-flow policy is 'allow_all': every application of the tenant "
                "may request any My Account scope without a client grant",
                api.fields.get("user_policy", ()),
            )


RULE = Rule(
    id="MYACC-001",
    name="myaccount-user-policy-not-allow-all",
    title="My Account API user-flow policy must not be allow_all",
    severity=Severity.CRITICAL,
    level=Level.MANDATORY,
    remediation="Set the user policy to 'require_client_grant' and give each application a "
    "client grant with only the scopes it needs.",
    check=check,
    waivable=False,
)
