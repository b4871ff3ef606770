"""The data of a review report, independent of how it is rendered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tenantcfg.catalogue import scopes
from tenantcfg.catalogue.risk import app_risk
from tenantcfg.review.located import Located
from tenantcfg.rules import RULES, WAIVER_RULE_ID
from tenantcfg.spec.loader import LoadedSpec
from tenantcfg.spec.model import ANONYMOUS_USER_DEFAULT


@dataclass(frozen=True)
class ScopeRow:
    """A granted scope with what it unlocks."""

    value: str
    unlocks: str
    risk: str
    lifecycle: str


@dataclass(frozen=True)
class AppRow:
    """One application as a reviewer sees it."""

    name: str
    client_id: str
    app_type: str
    first_party: bool
    owner: str
    justification: str
    scopes: list[ScopeRow]
    highest_risk: str


@dataclass(frozen=True)
class WaiverRow:
    """One waiver and whether it still applies."""

    rule: str
    application: str
    reason: str
    expires: str
    status: str


@dataclass(frozen=True)
class FindingRow:
    """One finding, placed in the spec."""

    rule: str
    title: str
    level: str
    severity: str
    resource: str
    message: str
    location: str
    waived: bool
    remediation: str


@dataclass(frozen=True)
class StackReport:
    """Everything the report says about one stack."""

    stack: str
    spec_file: str
    domain: str
    audience: str
    settings: dict[str, str]
    applications: list[AppRow]
    matrix_scopes: list[str]
    findings: list[FindingRow]
    waivers: list[WaiverRow]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """A report over one or more stacks."""

    generated: str
    stacks: list[StackReport]
    rules: list[dict[str, str]]
    differences: list[dict[str, Any]]


def _settings(loaded: LoadedSpec) -> dict[str, str]:
    api = loaded.spec.my_account_api
    pop = api.proof_of_possession
    return {
        "user policy": api.policies.user,
        "client policy": api.policies.client,
        "anonymous user policy": (
            api.policies.anonymous_user or f"not set (Auth0 default: {ANONYMOUS_USER_DEFAULT})"
        ),
        "token lifetime (s)": str(api.token_lifetime),
        "proof of possession": (
            f"{pop.mechanism}, {'required' if pop.required else 'optional'}"
            if pop
            else "not configured"
        ),
        "step-up policy": (
            api.authorization_policy.policy_id if api.authorization_policy else "none"
        ),
        "adopted API id": api.adopt_id or "created by this stack",
    }


def _scope(value: str, declared: scopes.Declared) -> scopes.Scope:
    # The loader admits only catalogue scopes and the spec's own declarations.
    known = scopes.lookup(value, declared)
    assert known is not None, value
    return known


def _app(name: str, loaded: LoadedSpec, declared: scopes.Declared) -> AppRow:
    app = loaded.spec.applications[name]
    rows = []
    for value in sorted(set(app.scopes)):
        s = _scope(value, declared)
        rows.append(ScopeRow(value, s.unlocks, s.risk.value, s.lifecycle.value))
    # The same answer the diff gives: the riskiest scope, or the application's kind if worse.
    top = app_risk(app.app_type, app.first_party, app.scopes, declared)
    return AppRow(
        name,
        app.client_id,
        app.app_type,
        app.first_party,
        app.owner,
        app.justification or "",
        rows,
        top.value,
    )


def _finding(f: Located) -> FindingRow:
    return FindingRow(
        f.rule.id,
        f.rule.title,
        f.level.value,
        f.rule.severity.value,
        f.resource,
        f.message,
        f"{f.file}:{f.mark.line}:{f.mark.col}",
        f.waiver is not None,
        f.rule.remediation,
    )


def stack_report(
    stack: str, loaded: LoadedSpec, findings: list[Located], today: dt.date
) -> StackReport:
    """The report of one stack from its spec and its check findings."""
    spec = loaded.spec
    declared = spec.scope_declarations()
    apps = [_app(name, loaded, declared) for name in sorted(spec.applications)]
    used = {s.value for a in apps for s in a.scopes}
    # A waiver MYACC-018 refuses waives nothing, whatever its date says.
    refused = {f.resource for f in findings if f.rule.id == WAIVER_RULE_ID}
    waivers = [
        WaiverRow(
            w.rule,
            w.application,
            w.reason,
            w.expires.isoformat(),
            "expired"
            if w.expires < today
            else "not in force (MYACC-018)"
            if f"waivers[{i}]" in refused
            else "active",
        )
        for i, w in enumerate(spec.waivers)
    ]
    rows = [_finding(f) for f in findings]
    counts = {
        "applications": len(apps),
        "mandatory": sum(f.blocking for f in findings),
        "advisory": sum(not f.blocking and f.waiver is None for f in findings),
        "waived": sum(f.waiver is not None for f in findings),
        "critical scopes granted": sum(s.risk == "critical" for a in apps for s in a.scopes),
    }
    return StackReport(
        stack,
        loaded.file,
        spec.tenant.domain,
        spec.audience,
        _settings(loaded),
        apps,
        [v for v in [*scopes.CATALOGUE, *spec.declared_scopes] if v in used],
        rows,
        waivers,
        counts,
    )


MANY_STACKS = 10
"""Above this many stacks, the value most of them share is not listed stack by stack."""


def _groups(values: dict[str, str]) -> list[dict[str, Any]]:
    """The stacks grouped by the value they have: the most common value first.

    Twenty stacks read as 'this value in 18 of them, that one in these 2', not as
    twenty columns.
    """
    by_value: dict[str, list[str]] = {}
    for stack, value in values.items():
        by_value.setdefault(value, []).append(stack)
    ordered = sorted(by_value.items(), key=lambda item: (-len(item[1]), item[0]))
    groups = [{"value": value, "stacks": names, "rest": False} for value, names in ordered]
    # The norm of a large fleet is named as 'every other stack', not stack by stack.
    if len(values) > MANY_STACKS and len(ordered[0][1]) * 2 > len(values):
        groups[0]["rest"] = True
    return groups


def differences(stacks: list[StackReport]) -> list[dict[str, Any]]:
    """Settings and grants that differ between stacks (empty for a single stack)."""
    if len(stacks) < 2:
        return []
    found: list[tuple[str, dict[str, str]]] = []
    for key in stacks[0].settings:
        found.append((f"setting: {key}", {s.stack: s.settings.get(key, "") for s in stacks}))
    names = sorted({a.name for s in stacks for a in s.applications})
    for name in names:
        values = {}
        for s in stacks:
            app = next((a for a in s.applications if a.name == name), None)
            values[s.stack] = ", ".join(r.value for r in app.scopes) if app else "(absent)"
        found.append((f"application: {name}", values))
    return [
        {"what": what, "values": values, "groups": _groups(values)}
        for what, values in found
        if len(set(values.values())) > 1
    ]


def build(stacks: list[StackReport], now: dt.datetime) -> Report:
    """The whole report."""
    rules = [
        {"id": r.id, "title": r.title, "level": r.level.value, "severity": r.severity.value}
        for r in RULES
    ]
    return Report(now.strftime("%Y-%m-%d %H:%M UTC"), stacks, rules, differences(stacks))
