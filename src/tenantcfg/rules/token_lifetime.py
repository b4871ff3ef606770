"""MYACC-017 (advisory): My Account access tokens are short-lived.

Auth0 issues them for 600 s by default; a long-lived token that can delete
authentication methods is worth stealing.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_apis


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per My Account API whose token lifetime exceeds the threshold."""
    limit = view.settings.max_token_lifetime
    for api in my_account_apis(view):
        if api.token_lifetime is not None and api.token_lifetime > limit:
            yield Violation(
                api.resource,
                f"token lifetime {api.token_lifetime} s is above {limit} s",
                api.fields.get("token_lifetime", ()),
            )


RULE = Rule(
    id="MYACC-017",
    name="myaccount-token-lifetime",
    title="My Account access tokens live at most an hour",
    severity=Severity.LOW,
    level=Level.ADVISORY,
    remediation="Lower token_lifetime (Auth0's default for this API is 600 s).",
    check=check,
    options=("max_token_lifetime",),
)
