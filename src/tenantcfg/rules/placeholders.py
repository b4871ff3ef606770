"""MYACC-020: nothing in the spec is still an import placeholder.

``tenantcfg import`` writes the grants a tenant holds, but cannot know who answers
for each or why it needs its scopes: it leaves ``FILL-IN: ...`` there. A grant
nobody has claimed is exactly what a review exists to catch, so the spec does not
pass until a person has written those values. Only a spec has them to judge.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import Level, Rule, Severity, TenantView, Violation


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per value still written as a placeholder."""
    for resource, path in view.placeholders:
        name = next((part for part in reversed(path) if isinstance(part, str)), "a value")
        yield Violation(resource, f"{name} is still the import's placeholder", path)


RULE = Rule(
    id="MYACC-020",
    name="myaccount-no-import-placeholders",
    title="Import placeholders are filled in",
    severity=Severity.MEDIUM,
    level=Level.MANDATORY,
    remediation="Replace each 'FILL-IN: ...' value with what it asks for: the team that "
    "answers for the grant, why the application needs its scopes, what a declared scope "
    "unlocks.",
    check=check,
    waivable=False,
)
