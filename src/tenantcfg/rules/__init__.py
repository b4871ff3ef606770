"""The policy rules: one registry, judged the same way by every adapter.

Pure Python: no Pulumi, YAML or HTTP import here or in any rule module, so the
policy pack, the offline checker and the audit share exactly this code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, WaiverView
from tenantcfg.rules.registry import RULES
from tenantcfg.rules.waivers import WAIVER_RULE_ID
from tenantcfg.spec.problems import SpecPath

REGISTRY: dict[str, Rule] = {rule.id: rule for rule in RULES}


@dataclass(frozen=True)
class Finding:
    """A violation of one rule on one resource, at its enforcement level."""

    rule: Rule
    level: Level
    resource: str
    message: str
    field: SpecPath = ()
    waiver: WaiverView | None = None

    @property
    def waived(self) -> bool:
        """Waived findings are still reported, never hidden, but do not fail a run."""
        return self.waiver is not None

    @property
    def blocking(self) -> bool:
        """Whether this finding fails a check (mandatory and not waived)."""
        return self.level is Level.MANDATORY and not self.waived


def _waiver_for(view: TenantView, rule_id: str, resource: str) -> WaiverView | None:
    for waiver in view.waivers:
        # Checked here too: MYACC-018 may be switched off in a pack's config, and the
        # pack's own MYACC-018 policy never sees other rules' waivers.
        valid = waiver.in_force(view.today, view.settings)
        if valid and waiver.rule == rule_id and waiver.application == resource:
            return waiver
    return None


def evaluate(view: TenantView, levels: Mapping[str, Level] | None = None) -> list[Finding]:
    """Run every enabled rule; waivers mark findings, they never drop them.

    ``levels`` overrides a rule's default enforcement level by rule id.
    Only current waivers with a reason mark findings; none waives the waiver rule itself.
    """
    findings: list[Finding] = []
    view = dataclasses.replace(
        view,
        rule_ids=frozenset(REGISTRY),
        unwaivable=frozenset(r.id for r in RULES if not r.waivable),
    )
    for rule in RULES:
        level = (levels or {}).get(rule.id, rule.level)
        if level is Level.DISABLED:
            continue
        for v in rule.check(view):
            waiver = _waiver_for(view, rule.id, v.resource) if rule.waivable else None
            findings.append(Finding(rule, level, v.resource, v.message, v.field, waiver))
    return findings


__all__ = [
    "REGISTRY",
    "RULES",
    "WAIVER_RULE_ID",
    "Finding",
    "Level",
    "Rule",
    "Severity",
    "TenantView",
    "evaluate",
]
