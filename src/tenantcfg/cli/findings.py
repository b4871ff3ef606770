"""The findings of one target, for every command that reports them (check, report)."""

from __future__ import annotations

from tenantcfg.cli.target import Target
from tenantcfg.deploy.program import run as program
from tenantcfg.review.checker import check_program, check_spec, merge
from tenantcfg.review.located import Located
from tenantcfg.rules.model import Settings
from tenantcfg.stack.project import PROJECT


def findings_for(target: Target, settings: Settings, spec_only: bool) -> list[Located]:
    """Spec findings, plus (unless spec_only) findings on the registered resources."""
    spec_findings = check_spec(target.loaded, settings)
    if spec_only:
        return sorted(spec_findings, key=lambda f: (f.mark, f.rule.id))
    # Pulumi, imported here so that --spec-only never loads it.
    from tenantcfg.deploy.under_mocks import run_offline  # noqa: PLC0415

    result = run_offline(program, project=PROJECT, stack=target.stack, config=target.config)
    return merge(spec_findings, check_program(target.loaded, result, settings))
