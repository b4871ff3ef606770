"""The drift checks' identities: stable ids (AUDIT-…), words and severities.

The same public fields as a policy rule, so findings, reports and SARIF show both alike;
what each check compares is in :mod:`tenantcfg.audit.drift`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenantcfg.rules.model import Level, Severity
from tenantcfg.spec.problems import SpecPath


@dataclass(frozen=True)
class DriftRule:
    """A drift check's identity and words; the same public fields as a policy rule."""

    id: str
    name: str
    title: str
    severity: Severity
    level: Level
    remediation: str


@dataclass(frozen=True)
class Drift:
    """One difference between tenant and spec, placed at the spec path it concerns."""

    rule: DriftRule
    resource: str
    message: str
    path: SpecPath


def _rule(number: int, name: str, title: str, severity: Severity, remediation: str) -> DriftRule:
    return DriftRule(
        f"AUDIT-{number:03d}", f"audit-{name}", title, severity, Level.MANDATORY, remediation
    )


_APPLY = "Run `pulumi up` for this stack to restore what the spec declares"
NOT_ACTIVATED = _rule(
    1,
    "my-account-api-activated",
    "The My Account API is activated",
    Severity.MEDIUM,
    f"{_APPLY}; if it was switched off on purpose, say so "
    "in the spec by removing its applications.",
)
UNDECLARED_GRANT = _rule(
    2,
    "grant-declared",
    "Every My Account grant is declared in the spec",
    Severity.HIGH,
    "Delete the grant (Dashboard > Applications > APIs > "
    "Auth0 My Account API > Application Access), or declare the "
    "application in the spec and have it reviewed.",
)
MISSING_GRANT = _rule(
    3,
    "grant-present",
    "Every application in the spec has its user grant",
    Severity.MEDIUM,
    f"{_APPLY}; remove the application from the spec if it was retired.",
)
SCOPES_ADDED = _rule(
    4,
    "no-scopes-added",
    "No grant holds scopes the spec does not declare",
    Severity.HIGH,
    f"{_APPLY} (it removes the extra scopes), or add them to "
    "the spec with a justification and have them reviewed.",
)
SCOPES_REMOVED = _rule(
    5,
    "no-scopes-removed",
    "No grant lacks scopes the spec declares",
    Severity.LOW,
    f"{_APPLY}, or remove the scopes from the spec.",
)
APP_TYPE = _rule(
    6,
    "app-type-matches",
    "Each application's type is the one the spec declares",
    Severity.HIGH,
    "Correct app_type in the spec after checking the application "
    "(Dashboard > Applications > the application > Settings), or change it back.",
)
FIRST_PARTY = _rule(
    7,
    "first-party-matches",
    "Each application's first-party flag matches the spec",
    Severity.HIGH,
    "Make the application first-party again "
    "(Management API: PATCH /api/v2/clients/{id} is_first_party) or remove "
    "its grant and the application from the spec.",
)
POLICY = _rule(
    8,
    "policies-match",
    "The API's access policies are the ones the spec declares",
    Severity.MEDIUM,
    f"{_APPLY}.",
)
SETTINGS = _rule(
    9,
    "settings-match",
    "The API's token, DPoP, step-up and consent settings match the spec",
    Severity.MEDIUM,
    f"{_APPLY}, or update the spec after review.",
)

APP_EXISTS = _rule(
    10,
    "application-exists",
    "Each application in the spec exists in the tenant",
    Severity.MEDIUM,
    "Remove the application from the spec and run "
    "`pulumi up` (it deletes the orphaned grant), after finding out why the "
    "application was deleted.",
)

DRIFT_RULES: tuple[DriftRule, ...] = (
    NOT_ACTIVATED,
    UNDECLARED_GRANT,
    MISSING_GRANT,
    SCOPES_ADDED,
    SCOPES_REMOVED,
    APP_TYPE,
    FIRST_PARTY,
    POLICY,
    SETTINGS,
    APP_EXISTS,
)
