"""The review report as Markdown (reads well on GitHub and in a PR)."""

from __future__ import annotations

from tenantcfg.inert.markdown import cell, code
from tenantcfg.review.report.model import Report, StackReport
from tenantcfg.spec.text import is_blank

_RISK_MARK = {"critical": "🔴 critical", "high": "🟠 high", "medium": "🟡 medium", "low": "🟢 low"}


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _stack(s: StackReport) -> list[str]:
    c = s.counts
    out = [
        f"## Stack {code(s.stack, in_table=False)} — {code(s.domain, in_table=False)}",
        "",
        f"**{c['mandatory']} mandatory**, {c['advisory']} advisory, {c['waived']} waived "
        f"findings · {c['applications']} applications · {c['critical scopes granted']} "
        f"critical scopes granted · spec {code(s.spec_file, in_table=False)} · audience "
        f"{code(s.audience, in_table=False)}",
        "",
        "### My Account API settings",
        "",
    ]
    out += _table(["setting", "value"], [[k, code(v)] for k, v in s.settings.items()])
    out += ["### Applications", ""]
    for a in s.applications:
        kind = f"{a.app_type}, {'first-party' if a.first_party else 'THIRD-PARTY'}"
        justification = (
            code(a.justification, in_table=False) if a.justification else "**none given**"
        )
        out += [
            f"#### {code(a.name, in_table=False)} ({kind}) — highest risk "
            f"{_RISK_MARK[a.highest_risk]}",
            "",
            f"- client id: {code(a.client_id, in_table=False)}",
            f"- owner: {code(a.owner, in_table=False)}",
            f"- justification: {justification}",
            "",
        ]
        out += _table(
            ["scope", "risk", "unlocks"],
            [[code(r.value), _RISK_MARK[r.risk], code(r.unlocks)] for r in a.scopes],
        )
    if s.applications and s.matrix_scopes:
        out += ["### Application \u00d7 scope", ""]
        head = ["application", *[code(v) for v in s.matrix_scopes]]
        rows = [
            [
                code(a.name),
                *["✔" if v in {r.value for r in a.scopes} else "" for v in s.matrix_scopes],
            ]
            for a in s.applications
        ]
        out += _table(head, rows)
    out += ["### Findings", ""]
    if s.findings:
        out += _table(
            ["level", "rule", "resource", "message", "where"],
            [
                [
                    ("waived " if f.waived else "") + f.level,
                    f.rule,
                    code(f.resource),
                    code(f.message),
                    code(f.location),
                ]
                for f in s.findings
            ],
        )
    else:
        out += ["No findings.", ""]
    out += ["### Waivers", ""]
    if s.waivers:
        out += _table(
            ["rule", "application", "reason", "expires", "status"],
            [
                [
                    code(w.rule),
                    code(w.application),
                    "**no reason**" if is_blank(w.reason) else code(w.reason),
                    w.expires,
                    w.status,
                ]
                for w in s.waivers
            ],
        )
    else:
        out += ["No waivers.", ""]
    return out


def render(report: Report) -> str:
    """The whole report as Markdown."""
    names = ", ".join(code(s.stack, in_table=False) for s in report.stacks)
    total = sum(s.counts["mandatory"] for s in report.stacks)
    verdict = "✅ no mandatory findings" if total == 0 else f"❌ {total} mandatory findings"
    out = [
        f"# My Account API policy review: {names}",
        "",
        f"{verdict} · generated {report.generated}",
        "",
    ]
    if report.differences:
        out += ["## Where the stacks differ", ""]
        out += _table(
            ["what", "value", "stacks"],
            [
                [
                    code(d["what"]) if i == 0 else "",
                    code(g["value"]),
                    f"{len(g['stacks'])}: every other stack"
                    if g["rest"]
                    else f"{len(g['stacks'])}: " + ", ".join(code(k) for k in g["stacks"]),
                ]
                for d in report.differences
                for i, g in enumerate(d["groups"])
            ],
        )
    for s in report.stacks:
        out += _stack(s)
    out += ["## Rules evaluated", ""]
    out += _table(
        ["id", "level", "severity", "rule"],
        [[r["id"], r["level"], r["severity"], r["title"]] for r in report.rules],
    )
    return "\n".join(out).rstrip() + "\n"
