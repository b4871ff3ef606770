"""Changes to waivers: what they silence, for how long, and why."""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.catalogue.scopes import Risk
from tenantcfg.inert.markdown import code
from tenantcfg.review.changes import Change, Effect, Section, because
from tenantcfg.rules import REGISTRY
from tenantcfg.spec.model import TenantSpec, Waiver


def _effective_waivers(spec: TenantSpec) -> dict[tuple[str, str], Waiver]:
    """One waiver per (rule, application): the one that silences the rule longest."""
    out: dict[tuple[str, str], Waiver] = {}
    for w in spec.waivers:
        key = (w.rule, w.application)
        if key not in out or w.expires > out[key].expires:
            out[key] = w
    return out


def _waived_risk(rule_id: str) -> tuple[Risk, str]:
    rule = REGISTRY.get(rule_id)
    if rule is None:
        return Risk.MEDIUM, f"{rule_id} is no known rule (MYACC-018 rejects the waiver)"
    return Risk(rule.severity.value), f"{rule_id} ({rule.title}, {rule.level})"


def _waiver_change(key: tuple[str, str], old: Waiver | None, new: Waiver | None) -> Change | None:
    rule_id, app = key
    risk, what = _waived_risk(rule_id)
    before = old.expires.isoformat() if old else None
    after = new.expires.isoformat() if new else None
    current = new if new is not None else old
    reason = current.reason if current is not None else ""
    if old is None:
        kind, effect = "added", Effect.RAISES
        note = f"{what} no longer fails for {code(app)} until {after}. Reason: {because(reason)}"
    elif new is None:
        kind, effect = "removed", Effect.LOWERS
        note = f"{what} applies to {code(app)} again."
    elif new.expires > old.expires:
        kind, effect = "extended", Effect.RAISES
        note = (
            f"{what} stays silenced for {code(app)} {(new.expires - old.expires).days} days "
            f"longer. Reason: {because(reason)}"
        )
    elif new.expires < old.expires:
        kind, effect = "shortened", Effect.LOWERS
        note = f"{what} applies to {code(app)} again sooner."
    elif new.reason != old.reason:
        kind, effect, risk = "changed", Effect.NEUTRAL, Risk.LOW
        note = f"New reason: {because(new.reason)}"
    else:
        return None
    return Change(Section.WAIVERS, app, rule_id, kind, before, after, risk, effect, note)


def waiver_changes(b: TenantSpec, h: TenantSpec) -> Iterator[Change]:
    old, new = _effective_waivers(b), _effective_waivers(h)
    for key in sorted(old.keys() | new.keys()):
        change = _waiver_change(key, old.get(key), new.get(key))
        if change is not None:
            yield change
