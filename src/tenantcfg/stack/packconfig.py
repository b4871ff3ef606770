"""Policy pack config derived from a spec: one source of truth for waivers and thresholds.

``tenantcfg policy-config --stack dev`` writes it for
``pulumi preview --policy-pack policies --policy-pack-config policies/dev.json``.
"""

from __future__ import annotations

from typing import Any

from tenantcfg.adapters.spec import API_ENTRY
from tenantcfg.rules import RULES
from tenantcfg.rules.model import Level, Settings
from tenantcfg.rules.waivers import WAIVER_RULE_ID
from tenantcfg.spec.model import TenantSpec, Waiver
from tenantcfg.stack.naming import (
    API_RESOURCE_NAME,
    grant_resource_names,
    legacy_grant_resource_name,
)

OPTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "max_token_lifetime": ("maxTokenLifetime", {"type": "integer", "minimum": 60}),
}
"""Each rule option (a ``Settings`` field): its key in the pack config and its JSON Schema."""

WAIVED_POLICY = "myaccount-waived-findings"
UNKNOWN_POLICY = "myaccount-unknown-during-preview"


def _waiver(w: Waiver, names: dict[str, str]) -> dict[str, Any]:
    """One waiver as the pack sees it: ``names`` maps applications to grant resources."""
    # Spec waivers name an application, or my_account_api for the API itself.
    resource = (
        API_RESOURCE_NAME
        if w.application == API_ENTRY
        else names.get(w.application) or legacy_grant_resource_name(w.application)
    )
    return {
        "rule": w.rule,
        "resource": resource,
        "reason": w.reason,
        "expires": w.expires.isoformat(),
    }


def pack_config(
    spec: TenantSpec,
    settings: Settings | None = None,
    levels: dict[str, Level] | None = None,
) -> dict[str, dict[str, Any]]:
    """The pack config for a spec's stack: waivers, levels, thresholds.

    No canonical domain: the pack takes it from the auth0 provider's domain, and
    the spec's own domain is not proof that it is the canonical one.
    """
    settings = settings or Settings()
    names = grant_resource_names({n: a.client_id for n, a in spec.applications.items()})
    waivers = [_waiver(w, names) for w in spec.waivers]
    declared = declared_scopes_config(spec)
    config: dict[str, dict[str, Any]] = {}
    for rule in RULES:
        entry: dict[str, Any] = {}
        level = (levels or {}).get(rule.id)
        if level is not None:
            entry["enforcementLevel"] = level.value
        # The waiver rule judges every waiver (expired, unknown target, no reason); each
        # other rule gets the waivers that may silence it.
        mine = (
            waivers if rule.id == WAIVER_RULE_ID else [w for w in waivers if w["rule"] == rule.id]
        )
        if mine:
            entry["waivers"] = mine
        for option in rule.options:  # each rule declares the settings it reads
            entry[OPTIONS[option][0]] = getattr(settings, option)
        if declared:
            entry["declaredScopes"] = declared
        if settings.max_waiver_days != Settings.max_waiver_days:
            entry["maxWaiverDays"] = settings.max_waiver_days
        config[rule.name] = entry
    config[WAIVED_POLICY] = {"waivers": waivers}
    config[UNKNOWN_POLICY] = {}
    for side in (WAIVED_POLICY, UNKNOWN_POLICY):
        if declared:
            config[side]["declaredScopes"] = declared
        if settings.max_waiver_days != Settings.max_waiver_days:
            config[side]["maxWaiverDays"] = settings.max_waiver_days
    return config


def declared_scopes_config(spec: TenantSpec) -> dict[str, dict[str, Any]]:
    """The spec's declared scopes as the pack reads them (``declaredScopes``)."""
    return {
        value: {"unlocks": d.unlocks, "risk": d.risk, "sensitive": d.sensitive}
        for value, d in spec.declared_scopes.items()
    }
