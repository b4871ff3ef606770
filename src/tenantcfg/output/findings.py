"""Render located findings as text, JSON or GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tenantcfg.inert.terminal import one_line
from tenantcfg.output import sarif
from tenantcfg.review.located import Located
from tenantcfg.rules.model import RuleLike

__all__ = [
    "FORMATS",
    "as_github",
    "as_json",
    "as_sarif",
    "as_text",
    "counts",
    "finding_lines",
    "one_line",
    "render",
    "summary",
]

FORMATS = ("text", "json", "sarif", "github")
"""Every command that reports findings offers these."""


def _tag(f: Located) -> str:
    return f"waived {f.level.value}" if f.waiver else f.level.value


def as_text(findings: Sequence[Located]) -> str:
    """``file:line:col: [level] message (RULE-ID)`` per finding, then a count line."""
    return "\n".join([*finding_lines(findings), summary(findings)]) + "\n"


def finding_lines(findings: Sequence[Located]) -> list[str]:
    """``file:line:col: [level] resource: message (RULE-ID)``, one line per finding."""
    lines = []
    for f in findings:
        suffix = f"; waived until {f.waiver.expires} ({f.waiver.reason})" if f.waiver else ""
        lines.append(
            one_line(
                f"{f.file}:{f.mark.line}:{f.mark.col}: [{_tag(f)}] {f.resource}: "
                f"{f.message}{suffix} ({f.rule.id})"
            )
        )
    return lines


def counts(findings: Sequence[Located]) -> dict[str, int]:
    """How many findings block, advise, or are waived."""
    blocking = sum(f.blocking for f in findings)
    waived = sum(f.waiver is not None for f in findings)
    return {"mandatory": blocking, "advisory": len(findings) - blocking - waived, "waived": waived}


def summary(findings: Sequence[Located]) -> str:
    """One line: how many findings of each kind."""
    c = counts(findings)
    return f"{c['mandatory']} mandatory, {c['advisory']} advisory, {c['waived']} waived"


def as_dict(f: Located) -> dict[str, Any]:
    """One finding as JSON-ready data."""
    return {
        "rule": f.rule.id,
        "title": f.rule.title,
        "level": f.level.value,
        "severity": f.rule.severity.value,
        "resource": f.resource,
        "message": f.message,
        "remediation": f.rule.remediation,
        "file": f.file,
        "line": f.mark.line,
        "column": f.mark.col,
        "field": f.field,
        "origin": f.origin,
        "waived": f.waiver is not None,
        "waiver": None
        if f.waiver is None
        else {"reason": f.waiver.reason, "expires": f.waiver.expires.isoformat()},
    }


def as_json(findings: Sequence[Located], about: dict[str, Any] | None = None) -> str:
    """All findings as a JSON document with counts, after what ``about`` says of the run."""
    doc = {**(about or {}), "findings": [as_dict(f) for f in findings], "counts": counts(findings)}
    return json.dumps(doc, indent=2) + "\n"


def as_sarif(findings: Sequence[Located], rules: Sequence[RuleLike]) -> str:
    """SARIF 2.1.0 with ``rules`` and a result per finding on its line."""
    results = [
        sarif.Result(
            f.rule.id,
            "advisory" if f.waiver else f.level.value,
            f.message,
            f.file,
            f.mark.line,
            f.mark.col,
            f.resource,
            f.waiver.reason if f.waiver else None,
        )
        for f in findings
    ]
    return sarif.dumps(rules, results)


def render(findings: Sequence[Located], form: str, rules: Sequence[RuleLike]) -> str:
    """Findings in one of FORMATS (``rules`` are the ones SARIF describes)."""
    if form == "json":
        return as_json(findings)
    if form == "github":
        return as_github(findings)
    if form == "sarif":
        return as_sarif(findings, rules)
    return as_text(findings)


def _escape(value: str, *, prop: bool = False) -> str:
    # GitHub's workflow command escaping; properties also escape ':' and ','.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def as_github(findings: Sequence[Located]) -> str:
    """GitHub Actions workflow commands: an annotation per finding on its line."""
    lines = []
    for f in findings:
        kind = "error" if f.blocking else ("notice" if f.waiver else "warning")
        title = _escape(one_line(f"{f.rule.id} {f.rule.title}"), prop=True)
        text = f"{f.resource}: {f.message}"
        if f.waiver:
            text += f" (waived until {f.waiver.expires}: {f.waiver.reason})"
        # Control characters (escape sequences too) shown escaped, then GitHub's escaping.
        lines.append(
            f"::{kind} file={_escape(one_line(f.file), prop=True)},line={f.mark.line},"
            f"col={f.mark.col},title={title}::{_escape(one_line(text))}"
        )
    lines.append(summary(findings))
    return "\n".join(lines) + "\n"
