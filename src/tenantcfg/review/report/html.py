"""The review report as one self-contained HTML file (inline CSS, no scripts, prints well)."""

from __future__ import annotations

from html import escape

from tenantcfg.review.report.model import Report, StackReport
from tenantcfg.spec.text import is_blank

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;margin:2rem auto;
max-width:72rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2rem;
margin-top:2.2rem}h3{margin-top:1.6rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}th,td{border:1px solid #d0d7de;
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem}
.counts{display:flex;gap:.6rem;flex-wrap:wrap;margin:.6rem 0}.count{border:1px solid #d0d7de;
border-radius:6px;padding:.4rem .8rem}.count b{display:block;font-size:1.3rem}
.risk-critical{color:#fff;background:#b42318}.risk-high{background:#f79009}
.risk-medium{background:#fedf89}.risk-low{background:#d1fadf}
.badge{border-radius:4px;padding:0 .35rem;font-size:.85em;white-space:nowrap}
.mandatory{color:#b42318;font-weight:600}.advisory{color:#93370d}.waived{color:#475467;
font-style:italic}.ok{color:#067647;font-weight:600}.bad{color:#b42318;font-weight:600}
td.tick{text-align:center}
.matrix th code{word-break:break-all;font-size:11px}.matrix td:first-child{white-space:nowrap}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-before:page}
h2:first-of-type{break-before:auto}table{break-inside:auto}tr{break-inside:avoid}}
"""


_TIMES = "\u00d7"  # the multiplication sign, as in "application x scope"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _risk(risk: str) -> str:
    return f'<span class="badge risk-{_e(risk)}">{_e(risk)}</span>'


def _table(head: list[str], rows: list[list[str]], caption: str = "") -> str:
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    th = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{cap}<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _counts(s: StackReport) -> str:
    return (
        '<div class="counts">'
        + "".join(f'<div class="count"><b>{v}</b>{_e(k)}</div>' for k, v in s.counts.items())
        + "</div>"
    )


def _apps(s: StackReport) -> str:
    out = []
    for a in s.applications:
        party = "first-party" if a.first_party else '<span class="bad">third-party</span>'
        rows = [[f"<code>{_e(r.value)}</code>", _risk(r.risk), _e(r.unlocks)] for r in a.scopes]
        out.append(
            f'<section class="app" id="app-{_e(s.stack)}-{_e(a.name)}">'
            f"<h4><code>{_e(a.name)}</code> — {_e(a.app_type)}, {party}, highest risk "
            f"{_risk(a.highest_risk)}</h4><p>client id <code>{_e(a.client_id)}</code> · owner "
            f"{_e(a.owner)}<br>justification: {_e(a.justification) or '<b>none given</b>'}</p>"
            + _table(["scope", "risk", "unlocks"], rows)
            + "</section>"
        )
    return "".join(out)


def _matrix(s: StackReport) -> str:
    if not (s.applications and s.matrix_scopes):
        return ""
    head = ["application", *[f"<code>{_e(v)}</code>" for v in s.matrix_scopes]]
    rows = []
    for a in s.applications:
        have = {r.value for r in a.scopes}
        rows.append(
            [f"<code>{_e(a.name)}</code>", *["✔" if v in have else "" for v in s.matrix_scopes]]
        )
    table = _table(head, rows).replace("<td>✔", '<td class="tick">✔')
    table = table.replace("<table>", '<table class="matrix">', 1)
    return f"<h3>Application {_TIMES} scope</h3>{table}"


def _findings(s: StackReport) -> str:
    if not s.findings:
        return '<h3>Findings</h3><p class="ok">No findings.</p>'
    rows = []
    for f in s.findings:
        cls = "waived" if f.waived else f.level
        label = f"waived {f.level}" if f.waived else f.level
        rows.append(
            [
                f'<span class="{cls}">{_e(label)}</span>',
                _e(f.rule),
                _e(f.resource),
                _e(f.message) + f"<br><small>Fix: {_e(f.remediation)}</small>",
                f"<code>{_e(f.location)}</code>",
            ]
        )
    return "<h3>Findings</h3>" + _table(["level", "rule", "resource", "message", "where"], rows)


def _waivers(s: StackReport) -> str:
    if not s.waivers:
        return "<h3>Waivers</h3><p>No waivers.</p>"
    rows = [
        [
            _e(w.rule),
            _e(w.application),
            "<b>no reason</b>" if is_blank(w.reason) else _e(w.reason),
            _e(w.expires),
            f'<span class="{"ok" if w.status == "active" else "bad"}">{_e(w.status)}</span>',
        ]
        for w in s.waivers
    ]
    return "<h3>Waivers</h3>" + _table(["rule", "application", "reason", "expires", "status"], rows)


def _stack(s: StackReport) -> str:
    settings = _table(
        ["setting", "value"], [[_e(k), f"<code>{_e(v)}</code>"] for k, v in s.settings.items()]
    )
    return (
        f'<section class="stack" id="stack-{_e(s.stack)}"><h2>Stack <code>{_e(s.stack)}</code>'
        f" — {_e(s.domain)}</h2><p>spec <code>{_e(s.spec_file)}</code> · audience "
        f"<code>{_e(s.audience)}</code></p>{_counts(s)}<h3>My Account API settings</h3>"
        f"{settings}<h3>Applications</h3>{_apps(s)}{_matrix(s)}{_findings(s)}{_waivers(s)}"
        "</section>"
    )


def render(report: Report) -> str:
    """The whole report as an HTML document."""
    names = ", ".join(s.stack for s in report.stacks)
    total = sum(s.counts["mandatory"] for s in report.stacks)
    verdict = (
        '<p class="ok">No mandatory findings.</p>'
        if total == 0
        else f'<p class="bad">{total} mandatory findings.</p>'
    )
    diff = ""
    if report.differences:
        rows = [
            [
                _e(d["what"]) if i == 0 else "",
                _e(g["value"]),
                f"{len(g['stacks'])}: every other stack"
                if g["rest"]
                else f"{len(g['stacks'])}: {_e(', '.join(g['stacks']))}",
            ]
            for d in report.differences
            for i, g in enumerate(d["groups"])
        ]
        diff = "<h2>Where the stacks differ</h2>" + _table(["what", "value", "stacks"], rows)
    rules = _table(
        ["id", "level", "severity", "rule"],
        [[_e(r["id"]), _e(r["level"]), _e(r["severity"]), _e(r["title"])] for r in report.rules],
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>My Account API policy review: {_e(names)}</title><style>{_CSS}</style>"
        f"</head><body><header><h1>My Account API policy review: {_e(names)}</h1>"
        f"<p>Generated {_e(report.generated)}</p>{verdict}</header><main>{diff}"
        + "".join(_stack(s) for s in report.stacks)
        + f"<h2>Rules evaluated</h2>{rules}</main></body></html>\n"
    )
