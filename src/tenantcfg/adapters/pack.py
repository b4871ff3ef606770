"""The policy pack's evaluation, without CrossGuard: resources and one policy's config in,
findings out. The pack's policies and the offline checker both call :func:`judge`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from tenantcfg.adapters.resources import Resource, ResourceView, view_of_resources
from tenantcfg.catalogue import scopes
from tenantcfg.rules import RULES, Finding, Level, evaluate
from tenantcfg.rules.model import Settings, TenantView, WaiverView


def _waivers(items: Iterable[Mapping[str, Any]], rule_id: str | None) -> tuple[WaiverView, ...]:
    out = []
    for i, item in enumerate(items):
        rule = str(item.get("rule", rule_id or ""))
        try:
            expires = dt.date.fromisoformat(str(item.get("expires", "")))
        except ValueError:
            expires = dt.date.min  # an unreadable expiry never silences anything
        out.append(
            WaiverView(i, rule, str(item.get("resource", "")), str(item.get("reason", "")), expires)
        )
    return tuple(out)


def _declared(raw: Any) -> scopes.Declared:
    """Declared scopes from pack config; an entry that does not read cleanly counts as
    undeclared, so its scope stays unknown (MYACC-007) rather than silently trusted."""
    out: dict[str, scopes.Scope] = {}
    for value, item in raw.items() if isinstance(raw, Mapping) else ():
        if not isinstance(item, Mapping) or scopes.declaration_problem(str(value)):
            continue
        try:
            risk = scopes.Risk(str(item.get("risk")))
        except ValueError:
            continue
        out[str(value)] = scopes.declared_scope(
            str(value), str(item.get("unlocks", "")), risk, item.get("sensitive") is not False
        )
    return out


def judge(
    resources: Iterable[Resource], config: Mapping[str, Any], rule_id: str | None = None
) -> tuple[ResourceView, list[Finding]]:
    """Evaluate the rules (one, or all) on resources with one policy's config."""
    settings = Settings(
        max_token_lifetime=int(config.get("maxTokenLifetime", Settings.max_token_lifetime)),
        canonical_domain=config.get("canonicalDomain"),
        declared_scopes=_declared(config.get("declaredScopes")),
        max_waiver_days=int(config.get("maxWaiverDays", Settings.max_waiver_days)),
    )
    rv = view_of_resources(resources, settings)
    view = TenantView(
        rv.view.apis, rv.view.grants, _waivers(config.get("waivers", ()), rule_id), rv.view.settings
    )
    levels = {r.id: Level.DISABLED for r in RULES if rule_id is not None and r.id != rule_id}
    return rv, evaluate(view, levels)
