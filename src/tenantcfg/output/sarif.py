"""SARIF 2.1.0 for GitHub code scanning.

Generic over what produced the results (the checker, the audit): each result
names a rule by id, and the document lists every rule that may appear so code
scanning can show titles and remediation even for rules with no results.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import tenantcfg
from tenantcfg.rules.model import RuleLike

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


@dataclass(frozen=True)
class Result:
    """One result at a place in a file."""

    rule_id: str
    level: str
    """'mandatory', 'advisory' (or 'disabled')."""
    message: str
    uri: str
    line: int
    column: int
    resource: str
    waived_reason: str | None = None


def _level(level: str) -> str:
    return {"mandatory": "error", "advisory": "warning"}.get(level, "note")


def _rule(rule: RuleLike) -> dict[str, Any]:
    severity = str(getattr(rule.severity, "value", rule.severity))
    level = str(getattr(rule.level, "value", rule.level))
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.title},
        "help": {"text": rule.remediation, "markdown": f"**Fix:** {rule.remediation}"},
        "defaultConfiguration": {"level": _level(level)},
        "properties": {
            "tags": ["security", "auth0", "my-account-api"],
            "security-severity": _SECURITY_SEVERITY.get(severity, "5.0"),
        },
    }


def _result(r: Result, index: dict[str, int]) -> dict[str, Any]:
    fingerprint = hashlib.sha256(f"{r.rule_id}|{r.uri}|{r.resource}|{r.message}".encode())
    out: dict[str, Any] = {
        "ruleId": r.rule_id,
        "ruleIndex": index[r.rule_id],
        "level": _level(r.level),
        "message": {"text": f"{r.resource}: {r.message}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": r.uri, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": r.line, "startColumn": r.column},
                }
            }
        ],
        "partialFingerprints": {"tenantcfg/v1": fingerprint.hexdigest()[:32]},
    }
    if r.waived_reason is not None:
        out["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": r.waived_reason}
        ]
    return out


def document(rules: Sequence[RuleLike], results: Sequence[Result]) -> dict[str, Any]:
    """A complete SARIF log with one run."""
    index = {rule.id: i for i, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tenantcfg",
                        "version": tenantcfg.__version__,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "results": [_result(r, index) for r in results],
            }
        ],
    }


def dumps(rules: Sequence[RuleLike], results: Sequence[Result]) -> str:
    """The SARIF log as indented JSON text."""
    return json.dumps(document(rules, results), indent=2) + "\n"
