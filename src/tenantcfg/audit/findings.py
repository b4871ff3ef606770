"""One list of audit findings: the shared policy rules on the live tenant, plus drift.

Waivers in the spec mark rule findings on the applications they name, exactly as in
``tenantcfg check``. The waiver rule itself (MYACC-018) judges the spec, not the
tenant, and is left to ``tenantcfg check``.
"""

from __future__ import annotations

import datetime as dt

from tenantcfg.adapters.spec import API_ENTRY
from tenantcfg.audit.drift import Drift, drift
from tenantcfg.audit.live import LiveTenant
from tenantcfg.audit.view import view_of_tenant
from tenantcfg.review.located import Located, placed
from tenantcfg.rules import Finding, Level, evaluate
from tenantcfg.rules.model import Settings
from tenantcfg.rules.waivers import WAIVER_RULE_ID
from tenantcfg.spec.loader import LoadedSpec
from tenantcfg.spec.problems import SpecPath, dotted

_NOT_FOR_A_TENANT = {WAIVER_RULE_ID: Level.DISABLED}


def _entry(loaded: LoadedSpec, resource: str) -> SpecPath:
    if resource == API_ENTRY:
        return ("my_account_api",)
    if resource in loaded.spec.applications:
        return ("applications", resource)
    return ("applications",)


def _from_rule(loaded: LoadedSpec, f: Finding) -> Located:
    path = f.field or _entry(loaded, f.resource)
    return placed(f, loaded.file, loaded.source.mark_of(path), path, "rules")


def _from_drift(loaded: LoadedSpec, d: Drift) -> Located:
    return Located(
        d.rule,
        d.rule.level,
        d.resource,
        d.message,
        loaded.file,
        loaded.source.mark_of(d.path),
        dotted(d.path),
        "drift",
    )


def assess(
    loaded: LoadedSpec, live: LiveTenant, settings: Settings, today: dt.date | None = None
) -> list[Located]:
    """Rule findings on the tenant and drift from the spec, in spec order."""
    view = view_of_tenant(loaded, live, settings, today)
    found = [_from_rule(loaded, f) for f in evaluate(view, _NOT_FOR_A_TENANT)]
    found += [_from_drift(loaded, d) for d in drift(loaded, live)]
    return sorted(found, key=lambda f: (f.mark, f.rule.id, f.resource, f.message))
