"""The review report as Markdown (reads well on GitHub and in a PR)."""

from __future__ import annotations

from tenantcfg.report.model import Report, StackReport

_RISK_MARK = {"critical": "🔴 critical", "high": "🟠 high", "medium": "🟡 medium", "low": "🟢 low"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _stack(s: StackReport) -> list[str]:
    c = s.counts
    out = [f"## Stack `{s.stack}` — {s.domain}", "",
           f"**{c['mandatory']} mandatory**, {c['advisory']} advisory, {c['waived']} waived "
           f"findings · {c['applications']} applications · {c['critical scopes granted']} "
           f"critical scopes granted · spec `{s.spec_file}` · audience `{s.audience}`", "",
           "### My Account API settings", ""]
    out += _table(["setting", "value"], [[k, f"`{v}`"] for k, v in s.settings.items()])
    out += ["### Applications", ""]
    for a in s.applications:
        kind = f"{a.app_type}, {'first-party' if a.first_party else 'THIRD-PARTY'}"
        out += [f"#### `{a.name}` ({kind}) — highest risk {_RISK_MARK[a.highest_risk]}", "",
                f"- client id: `{a.client_id}`", f"- owner: {a.owner}",
                f"- justification: {a.justification or '**none given**'}", ""]
        out += _table(["scope", "risk", "unlocks"],
                      [[f"`{r.value}`", _RISK_MARK[r.risk], r.unlocks] for r in a.scopes])
    if s.applications and s.matrix_scopes:
        out += ["### Application \u00d7 scope", ""]
        head = ["application", *[f"`{v}`" for v in s.matrix_scopes]]
        rows = [[a.name, *["✔" if v in {r.value for r in a.scopes} else "" for v in
                           s.matrix_scopes]] for a in s.applications]
        out += _table(head, rows)
    out += ["### Findings", ""]
    if s.findings:
        out += _table(["level", "rule", "resource", "message", "where"],
                      [[("waived " if f.waived else "") + f.level, f.rule, f.resource, f.message,
                        f"`{f.location}`"] for f in s.findings])
    else:
        out += ["No findings.", ""]
    out += ["### Waivers", ""]
    if s.waivers:
        out += _table(["rule", "application", "reason", "expires", "status"],
                      [[w.rule, w.application, w.reason or "**no reason**", w.expires, w.status]
                       for w in s.waivers])
    else:
        out += ["No waivers.", ""]
    return out


def render(report: Report) -> str:
    """The whole report as Markdown."""
    names = ", ".join(f"`{s.stack}`" for s in report.stacks)
    total = sum(s.counts["mandatory"] for s in report.stacks)
    verdict = "✅ no mandatory findings" if total == 0 else f"❌ {total} mandatory findings"
    out = [f"# My Account API policy review: {names}", "",
           f"{verdict} · generated {report.generated}", ""]
    if report.differences:
        stacks = [s.stack for s in report.stacks]
        out += ["## Where the stacks differ", ""]
        out += _table(["what", *stacks],
                      [[d["what"], *[d["values"][k] for k in stacks]] for d in report.differences])
    for s in report.stacks:
        out += _stack(s)
    out += ["## Rules evaluated", ""]
    out += _table(["id", "level", "severity", "rule"],
                  [[r["id"], r["level"], r["severity"], r["title"]] for r in report.rules])
    return "\n".join(out).rstrip() + "\n"
