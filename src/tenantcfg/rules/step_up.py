"""MYACC-015 (advisory): sensitive scopes want a step-up authorization policy.

Enrolling or deleting an authentication method with a stolen session is how an
attacker persists or locks a user out; a recent second factor blunts that.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.catalogue import scopes
from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_apis, my_account_grants


def sensitive(values: tuple[str, ...] | None, declared: scopes.Declared | None = None) -> list[str]:
    """The sensitive scopes among ``values`` (the catalogue's or declared), in order."""
    return [
        v for v in values or () if (s := scopes.lookup(v, declared)) is not None and s.sensitive
    ]


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per grant with sensitive scopes when no API has step-up."""
    apis = list(my_account_apis(view))
    if not apis or any(api.step_up for api in apis):
        return
    for grant in my_account_grants(view):
        risky = sensitive(grant.scopes, view.settings.declared_scopes)
        if risky:
            yield Violation(
                grant.resource,
                f"sensitive scopes {', '.join(risky)} without a step-up "
                "authorization policy on the My Account API",
                grant.fields.get("scopes", ()),
            )


RULE = Rule(
    id="MYACC-015",
    name="myaccount-sensitive-scopes-step-up",
    title="Sensitive My Account scopes are protected by step-up",
    severity=Severity.MEDIUM,
    level=Level.ADVISORY,
    remediation="Set my_account_api.authorization_policy.policy_id to a step-up policy "
    "(e.g. second factor within 15 minutes).",
    check=check,
    cross_resource=True,
)
