"""Audit results in the formats of `tenantcfg check`, through the same renderers.

Every finding sits at the spec line it concerns, so code scanning shows tenant drift
on the reviewed file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tenantcfg.audit.drift import DRIFT_RULES
from tenantcfg.audit.live import LiveTenant
from tenantcfg.inert.terminal import one_line
from tenantcfg.output import findings as findings_output
from tenantcfg.review.located import Located
from tenantcfg.rules import RULES


@dataclass(frozen=True)
class Context:
    """What was audited against what."""

    tenant: str
    spec_file: str
    live: LiveTenant


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


def as_text(ctx: Context, findings: Sequence[Located]) -> str:
    """A header, ``file:line:col: [level] resource: message (ID)`` per finding, a count line."""
    lines = [
        one_line(f"Audit of tenant {ctx.tenant} against {ctx.spec_file} (read-only)"),
        one_line(_read_line(ctx)),
        *findings_output.finding_lines(findings),
    ]
    if not findings:
        lines.append("no drift: the tenant matches the spec and breaks no policy rule")
    lines.append(findings_output.summary(findings))
    return "\n".join(lines) + "\n"


def as_json(ctx: Context, findings: Sequence[Located]) -> str:
    """The whole result as one JSON document: what was read, then the findings."""
    live = ctx.live
    about = {
        "tenant": ctx.tenant,
        "spec": ctx.spec_file,
        "audience": live.audience,
        "read": {
            "my_account_api": None if live.api is None else {"id": live.api.id},
            "client_grants": [g.id for g in live.grants],
            "applications": sorted(live.clients),
            "unknown_applications": list(live.missing_clients),
        },
    }
    return findings_output.as_json(findings, about)


def render(ctx: Context, findings: Sequence[Located], form: str) -> str:
    """Findings in one of FORMATS; SARIF describes every policy and drift rule."""
    if form == "json":
        return as_json(ctx, findings)
    if form == "text":
        return as_text(ctx, findings)
    return findings_output.render(findings, form, [*RULES, *DRIFT_RULES])
