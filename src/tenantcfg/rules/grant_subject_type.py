"""MYACC-004: a grant on the My Account audience must have ``subject_type: user``.

Auth0 reads an absent subject type as ``client`` (machine-to-machine), which is
useless here and wrong: the grant must cover user flows.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_grants


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per My Account grant whose subject type is not user."""
    for grant in my_account_grants(view):
        if grant.subject_type != "user":
            shown = grant.subject_type or "absent (Auth0 reads it as 'client')"
            yield Violation(
                grant.resource,
                f"grant subject_type is {shown}; My Account grants must be 'user'",
                grant.fields.get("subject_type", ()),
            )


RULE = Rule(
    id="MYACC-004",
    name="myaccount-grant-subject-type-user",
    title="My Account client grants must have subject_type user",
    severity=Severity.HIGH,
    level=Level.MANDATORY,
    remediation="Set subject_type to 'user' on the grant (Auth0 replaces the grant to change it).",
    check=check,
    # Waiving it would let an application without a signed-in user, or any third-party
    # application, near the user's own account.
    waivable=False,
)
