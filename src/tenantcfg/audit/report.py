"""Audit results as text, JSON or SARIF 2.1.0 (through the shared SARIF writer).

Every finding sits at the spec line it concerns, so code scanning shows tenant drift
on the reviewed file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tenantcfg.audit.drift import DRIFT_RULES
from tenantcfg.audit.judge import AuditFinding
from tenantcfg.audit.live import LiveTenant
from tenantcfg.output import sarif
from tenantcfg.output.text import one_line
from tenantcfg.rules import RULES

FORMATS = ("text", "json", "sarif")


@dataclass(frozen=True)
class Context:
    """What was audited against what."""

    tenant: str
    spec_file: str
    live: LiveTenant


def counts(findings: Sequence[AuditFinding]) -> dict[str, int]:
    """How many findings block, advise, or are waived."""
    blocking = sum(f.blocking for f in findings)
    waived = sum(f.waiver is not None for f in findings)
    return {"mandatory": blocking, "advisory": len(findings) - blocking - waived, "waived": waived}


def _read_line(ctx: Context) -> str:
    live = ctx.live
    api = f"My Account API {live.api.id}" if live.api else "no My Account API (not activated)"
    unknown = (
        f" ({len(live.missing_clients)} unknown to the tenant)" if live.missing_clients else ""
    )
    return (
        f"read: {api}; {len(live.grants)} client grant(s) on {live.audience}; "
        f"{len(live.clients)} application(s){unknown}"
    )


def as_text(ctx: Context, findings: Sequence[AuditFinding]) -> str:
    """A header, ``file:line:col: [level] resource: message (ID)`` per finding, a count line."""
    lines = [
        one_line(f"Audit of tenant {ctx.tenant} against {ctx.spec_file} (read-only)"),
        one_line(_read_line(ctx)),
    ]
    for f in findings:
        tag = f"waived {f.level.value}" if f.waiver else f.level.value
        suffix = f"; waived until {f.waiver.expires} ({f.waiver.reason})" if f.waiver else ""
        # Reasons, messages and names come from the spec and the tenant: one line each.
        lines.append(
            one_line(
                f"{ctx.spec_file}:{f.mark.line}:{f.mark.col}: [{tag}] "
                f"{f.resource}: {f.message}{suffix} ({f.rule.id})"
            )
        )
    if not findings:
        lines.append("no drift: the tenant matches the spec and breaks no policy rule")
    c = counts(findings)
    lines.append(f"{c['mandatory']} mandatory, {c['advisory']} advisory, {c['waived']} waived")
    return "\n".join(lines) + "\n"


def _finding(ctx: Context, f: AuditFinding) -> dict[str, Any]:
    return {
        "rule": f.rule.id,
        "title": f.rule.title,
        "level": f.level.value,
        "severity": f.rule.severity.value,
        "origin": f.origin,
        "resource": f.resource,
        "message": f.message,
        "remediation": f.rule.remediation,
        "file": ctx.spec_file,
        "line": f.mark.line,
        "column": f.mark.col,
        "field": f.field,
        "waived": f.waiver is not None,
        "waiver": None
        if f.waiver is None
        else {"reason": f.waiver.reason, "expires": f.waiver.expires.isoformat()},
    }


def as_json(ctx: Context, findings: Sequence[AuditFinding]) -> str:
    """The whole result as one JSON document."""
    live = ctx.live
    doc = {
        "tenant": ctx.tenant,
        "spec": ctx.spec_file,
        "audience": live.audience,
        "read": {
            "my_account_api": None if live.api is None else {"id": live.api.id},
            "client_grants": [g.id for g in live.grants],
            "applications": sorted(live.clients),
            "unknown_applications": list(live.missing_clients),
        },
        "findings": [_finding(ctx, f) for f in findings],
        "counts": counts(findings),
    }
    return json.dumps(doc, indent=2) + "\n"


def as_sarif(ctx: Context, findings: Sequence[AuditFinding]) -> str:
    """SARIF 2.1.0 with every policy and drift rule, results on the spec's lines."""
    results = [
        sarif.Result(
            f.rule.id,
            "advisory" if f.waiver else f.level.value,
            f.message,
            ctx.spec_file,
            f.mark.line,
            f.mark.col,
            f.resource,
            f.waiver.reason if f.waiver else None,
        )
        for f in findings
    ]
    return sarif.dumps([*RULES, *DRIFT_RULES], results)


def render(ctx: Context, findings: Sequence[AuditFinding], form: str) -> str:
    """Findings in one of FORMATS."""
    if form == "json":
        return as_json(ctx, findings)
    if form == "sarif":
        return as_sarif(ctx, findings)
    return as_text(ctx, findings)
