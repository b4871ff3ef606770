"""Render a spec diff for people (Markdown for a pull-request comment) and for tools (JSON)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from tenantcfg.catalogue.scopes import Risk
from tenantcfg.inert.markdown import cell, code
from tenantcfg.review.diff import Change, Effect, Section, SpecDiff, plural


def as_json(diff: SpecDiff) -> str:
    """The diff as JSON for tools: sides, highest risk, counts and every change."""
    top = diff.highest_risk
    body = {
        "base": {
            "name": diff.base,
            "exists": diff.base_tenant is not None,
            "tenant": diff.base_tenant,
        },
        "head": {
            "name": diff.head,
            "exists": diff.head_tenant is not None,
            "tenant": diff.head_tenant,
        },
        "highest_risk": top.value if top else None,
        "counts": dataclasses.asdict(_counts(diff)),
        "changes": [
            {
                "section": c.section.value,
                "subject": c.subject,
                "item": c.item,
                "kind": c.kind,
                "before": c.before,
                "after": c.after,
                "risk": c.risk.value,
                "effect": c.effect.value,
                "note": c.note,
            }
            for c in diff.changes
        ],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Counts:
    """How many changes go each way, and how high the raising ones go."""

    by_effect: dict[str, int]
    raised_to: dict[str, int]


def _counts(diff: SpecDiff) -> Counts:
    by_effect = {e.value: 0 for e in Effect}
    raised_to = {r.value: 0 for r in reversed(Risk)}
    for c in diff.changes:
        by_effect[c.effect.value] += 1
        if c.effect is Effect.RAISES:
            raised_to[c.risk.value] += 1
    return Counts(by_effect, raised_to)


_MARK = {
    Risk.LOW: "🟢 low",
    Risk.MEDIUM: "🟡 medium",
    Risk.HIGH: "🟠 high",
    Risk.CRITICAL: "🔴 critical",
}

_TITLES = {
    Section.SETTINGS: "My Account API settings",
    Section.APPLICATIONS: "Applications",
    Section.SCOPES: "Scopes per application",
    Section.WAIVERS: "Waivers",
}


def _value(value: str | None) -> str:
    return "—" if value is None else code(value)


def _risk_cell(c: Change) -> str:
    if c.effect is Effect.RAISES:
        return f"⬆ {_MARK[c.risk]}"
    if c.effect is Effect.LOWERS:
        return f"⬇ lowers ({c.risk.value})"
    return "↔ neutral"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _row(c: Change) -> list[str]:
    # Values and names come from the specs: code spans (inert); notes are the diff's own
    # words, with any value they quote already a code span.
    if c.section is Section.SETTINGS:
        return [_risk_cell(c), c.item, _value(c.before), _value(c.after), c.note]
    if c.section is Section.APPLICATIONS:
        change = c.kind if c.item == "application" else f"{c.item} {c.kind}"
        return [_risk_cell(c), code(c.subject), change, _value(c.before), _value(c.after), c.note]
    if c.section is Section.SCOPES:
        return [_risk_cell(c), code(c.subject), code(c.item), c.kind, c.note]
    return [
        _risk_cell(c),
        code(c.item),
        code(c.subject),
        c.kind,
        _value(c.before),
        _value(c.after),
        c.note,
    ]


_HEADS = {
    Section.SETTINGS: ["risk", "setting", "before", "after", "what it means"],
    Section.APPLICATIONS: ["risk", "application", "change", "before", "after", "what it means"],
    Section.SCOPES: ["risk", "application", "scope", "change", "what the scope unlocks"],
    Section.WAIVERS: [
        "risk",
        "rule",
        "application",
        "change",
        "expires before",
        "expires after",
        "what it means",
    ],
}


def _summary(diff: SpecDiff) -> str:
    if not diff.changes:
        return "✅ **No change** to the My Account API settings, applications, scopes or waivers."
    counts = _counts(diff)
    n = counts.by_effect
    top = diff.highest_risk
    parts = [f"**Highest risk raised: {_MARK[top]}**" if top else "✅ **No change raises risk**"]
    if top:
        levels = ", ".join(f"{k} {level}" for level, k in counts.raised_to.items() if k)
        parts.append(plural(n["raises"], "change raises", "changes raise") + f" risk ({levels})")
    if n["lowers"]:
        parts.append(plural(n["lowers"], "change lowers", "changes lower") + " it")
    if n["neutral"]:
        parts.append(plural(n["neutral"], "neutral change", "neutral changes"))
    return " · ".join(parts)


def _side(name: str, tenant: str | None, *, is_base: bool) -> str:
    quoted = code(name, in_table=False)
    if tenant is not None:
        return f"{quoted} (tenant {code(tenant, in_table=False)})"
    if is_base:
        return (
            f"{quoted} (does not exist: compared as a stack with no applications and "
            "Auth0's default settings)"
        )
    return (
        f"{quoted} (does not exist: every application and waiver of the base is removed; "
        "the API and its settings stay as they are)"
    )


def as_markdown(diff: SpecDiff) -> str:
    """The diff as Markdown ready to post as a pull-request comment."""
    out = [
        f"## My Account API changes: {code(diff.head, in_table=False)}",
        "",
        _summary(diff),
        "",
        f"Base {_side(diff.base, diff.base_tenant, is_base=True)} → head "
        f"{_side(diff.head, diff.head_tenant, is_base=False)}.",
        "",
    ]
    for section in Section:
        rows = [_row(c) for c in diff.changes if c.section is section]
        if rows:
            out += [f"### {_TITLES[section]}", ""]
            out += _table(_HEADS[section], rows)
    if diff.changes:
        out += [
            "⬆ raises risk to the level shown · ⬇ takes access away (the level is that of "
            "what goes) · levels come from the scope catalogue and the rules' severities.",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"
