"""MYACC-007/008/009: every granted scope is one Auth0 issues for the My Account API.

Unknown scopes (007) are typos or scopes of another API; hyphenated ones (008)
come from older docs and real tenants do not know them; planned ones (009) are
announced but not issued, so granting them is granting something unreviewed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tenantcfg.catalogue import scopes
from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_grants

Judge = Callable[[str, scopes.Declared], str | None]


def _each_scope(view: TenantView, judge: Judge) -> Iterator[Violation]:
    declared = view.settings.declared_scopes
    for grant in my_account_grants(view):
        for i, value in enumerate(grant.scopes or ()):
            message = judge(value, declared)
            if message:
                base = grant.fields.get("scopes", ("scopes",))
                yield Violation(grant.resource, message, (*base, i))


def _unknown(value: str, declared: scopes.Declared) -> str | None:
    if scopes.lookup(value, declared) or scopes.underscore_spelling(value):
        return None
    return scopes.problem(value, declared)


def _hyphenated(value: str, declared: scopes.Declared) -> str | None:
    return scopes.problem(value) if scopes.underscore_spelling(value) else None


def _declared(value: str, declared: scopes.Declared) -> str | None:
    scope = declared.get(value) if value not in scopes.CATALOGUE else None
    if scope is None:
        return None
    return (
        f"scope {value!r} is not in tenantcfg's catalogue; granted as the spec declares it "
        f"(risk {scope.risk.value}: {scope.unlocks})"
    )


def _planned(value: str, declared: scopes.Declared) -> str | None:
    scope = scopes.lookup(value)
    if scope is None or scope.lifecycle is not scopes.Lifecycle.PLANNED:
        return None
    return f"scope {value!r} is announced but not yet issued by Auth0"


UNKNOWN = Rule(
    id="MYACC-007",
    name="myaccount-scope-known",
    title="Granted scopes must be known My Account API scopes",
    severity=Severity.HIGH,
    level=Level.MANDATORY,
    remediation="Use a scope from the catalogue ('tenantcfg scopes') and fix the spelling; "
    "declare a scope Auth0 issued later under declared_scopes.",
    check=lambda view: _each_scope(view, _unknown),
)

HYPHENATED = Rule(
    id="MYACC-008",
    name="myaccount-scope-underscores",
    title="Scopes are spelled with underscores, not hyphens",
    severity=Severity.MEDIUM,
    level=Level.MANDATORY,
    remediation="Write the scope with underscores, e.g. create:me:authentication_methods.",
    check=lambda view: _each_scope(view, _hyphenated),
)

PLANNED = Rule(
    id="MYACC-009",
    name="myaccount-scope-issued",
    title="Scopes that Auth0 has not issued yet must not be granted",
    severity=Severity.MEDIUM,
    level=Level.MANDATORY,
    remediation="Remove the scope until Auth0 issues it, then review what it unlocks.",
    check=lambda view: _each_scope(view, _planned),
)

DECLARED = Rule(
    id="MYACC-019",
    name="myaccount-scope-declared",
    title="Scopes outside the catalogue are granted only as the spec declares them",
    severity=Severity.MEDIUM,
    level=Level.ADVISORY,
    remediation="Review the declaration (what the scope unlocks, its risk); once the catalogue "
    "knows the scope, remove the declaration.",
    check=lambda view: _each_scope(view, _declared),
)
