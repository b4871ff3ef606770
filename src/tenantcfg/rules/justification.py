"""MYACC-016 (advisory): a grant with sensitive scopes says why it needs them.

Only a spec can carry a justification, so only spec-based checks judge this.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_grants
from tenantcfg.rules.step_up import sensitive
from tenantcfg.spec.text import is_blank


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per grant with sensitive scopes and no justification."""
    if not view.knows_justifications:
        return
    for grant in my_account_grants(view):
        risky = sensitive(grant.scopes, view.settings.declared_scopes)
        if risky and is_blank(grant.justification):
            yield Violation(
                grant.resource,
                f"sensitive scopes {', '.join(risky)} with no justification",
                grant.fields.get("justification", ()),
            )


RULE = Rule(
    id="MYACC-016",
    name="myaccount-sensitive-scopes-justified",
    title="Sensitive My Account scopes carry a justification",
    severity=Severity.LOW,
    level=Level.ADVISORY,
    remediation="Add a 'justification' to the application saying which feature needs the scopes.",
    check=check,
)
