"""One list of audit findings: the shared policy rules on the live tenant, plus drift.

Waivers in the spec mark rule findings on the applications they name, exactly as in
``tenantcfg check``. The waiver rule itself (MYACC-018) judges the spec, not the
tenant, and is left to ``tenantcfg check``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tenantcfg.adapters.spec import API_RESOURCE
from tenantcfg.audit.drift import Drift, DriftRule, drift
from tenantcfg.audit.live import LiveTenant
from tenantcfg.audit.view import view_of_tenant
from tenantcfg.loader import LoadedSpec
from tenantcfg.problems import Mark, Path, dotted
from tenantcfg.rules import Finding, Level, Rule, evaluate
from tenantcfg.rules.model import Settings, WaiverView
from tenantcfg.rules.waivers import WAIVER_RULE_ID

_NOT_FOR_A_TENANT = {WAIVER_RULE_ID: Level.DISABLED}


@dataclass(frozen=True)
class AuditFinding:
    """A rule violation or a drift, placed at the spec line it concerns."""

    rule: Rule | DriftRule
    level: Level
    resource: str
    message: str
    path: Path
    mark: Mark
    origin: str
    """'rules' for policy rule findings, 'drift' for differences from the spec."""
    waiver: WaiverView | None = None

    @property
    def blocking(self) -> bool:
        """Mandatory and not waived: the audit exits 1."""
        return self.level is Level.MANDATORY and self.waiver is None

    @property
    def field(self) -> str:
        """The spec path as people write it."""
        return dotted(self.path)


def _entry(loaded: LoadedSpec, resource: str) -> Path:
    if resource == API_RESOURCE:
        return ("my_account_api",)
    if resource in loaded.spec.applications:
        return ("applications", resource)
    return ("applications",)


def _from_rule(loaded: LoadedSpec, f: Finding) -> AuditFinding:
    path = f.field or _entry(loaded, f.resource)
    return AuditFinding(
        f.rule, f.level, f.resource, f.message, path, loaded.source.mark_of(path), "rules", f.waiver
    )


def _from_drift(loaded: LoadedSpec, d: Drift) -> AuditFinding:
    return AuditFinding(
        d.rule, d.rule.level, d.resource, d.message, d.path, loaded.source.mark_of(d.path), "drift"
    )


def judge(
    loaded: LoadedSpec, live: LiveTenant, settings: Settings, today: dt.date | None = None
) -> list[AuditFinding]:
    """Rule findings on the tenant and drift from the spec, in spec order."""
    view = view_of_tenant(loaded, live, settings, today)
    found = [_from_rule(loaded, f) for f in evaluate(view, _NOT_FOR_A_TENANT)]
    found += [_from_drift(loaded, d) for d in drift(loaded, live)]
    return sorted(found, key=lambda f: (f.mark, f.rule.id, f.resource, f.message))
