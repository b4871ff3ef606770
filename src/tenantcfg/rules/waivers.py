"""MYACC-018: every waiver names a real rule and application, says why, and is current.

An expired waiver stops silencing its finding; a waiver with no reason or a
typo in its target silences nothing a reviewer can check.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation, WaiverView
from tenantcfg.spec.text import is_blank

WAIVER_RULE_ID = "MYACC-018"


def _problems(
    waiver: WaiverView, view: TenantView, rules: set[str], unwaivable: set[str]
) -> Iterator[tuple[str, str]]:
    """(field, message) for each thing wrong with one waiver."""
    if waiver.rule not in rules:
        yield "rule", f"waiver names unknown rule {waiver.rule!r}"
    elif waiver.rule in unwaivable:
        yield "rule", f"rule {waiver.rule!r} cannot be waived: fix what it reports instead"
    targets = {g.resource for g in view.grants} | {a.resource for a in view.apis}
    if waiver.application not in targets:
        yield "application", f"waiver names unknown application {waiver.application!r}"
    if is_blank(waiver.reason):
        yield "reason", "waiver has no reason (blank or invisible characters only)"
    if waiver.expires < view.today:
        yield "expires", f"waiver expired on {waiver.expires.isoformat()}"
    elif waiver.expires > view.today + view.settings.max_waiver_span:
        yield (
            "expires",
            (
                f"waiver runs until {waiver.expires.isoformat()}, more than "
                f"{view.settings.max_waiver_days} days from today; waive for at most "
                "that long and review it again then"
            ),
        )


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per problem with a waiver, on the waiver itself."""
    for waiver in view.waivers:
        for field, message in _problems(waiver, view, set(view.rule_ids), set(view.unwaivable)):
            yield Violation(f"waivers[{waiver.index}]", message, waiver.fields.get(field, ()))


RULE = Rule(
    id=WAIVER_RULE_ID,
    name="myaccount-waivers-valid",
    title="Waivers name a real rule and application, give a reason and have not expired",
    severity=Severity.HIGH,
    level=Level.MANDATORY,
    remediation="Fix the waiver's rule id or application name, add a reason, or renew it with a "
    "new expiry date after review (or remove it).",
    check=check,
    cross_resource=True,
    waivable=False,
)
