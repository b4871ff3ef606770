"""MYACC-014 (advisory): the My Account API resource is protected against deletion.

Deleting it switches the API off for every application of the tenant.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_apis


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per My Account API known not to be protected."""
    for api in my_account_apis(view):
        if api.protected is False:
            yield Violation(
                api.resource,
                "the My Account API resource is not protected: a 'pulumi destroy' "
                "or a removed line switches the API off for every application",
            )


RULE = Rule(
    id="MYACC-014",
    name="myaccount-api-protected",
    title="My Account API resource is protected against deletion",
    severity=Severity.MEDIUM,
    level=Level.ADVISORY,
    remediation="Declare the resource with protect=True and retain_on_delete=True.",
    check=check,
)
