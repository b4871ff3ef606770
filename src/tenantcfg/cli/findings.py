"""The findings of one target, for every command that reports them (check, report)."""

from __future__ import annotations

from tenantcfg.cli.target import Target
from tenantcfg.review.checker import check_spec, merge
from tenantcfg.review.located import Located
from tenantcfg.rules.model import Settings


def findings_for(target: Target, settings: Settings, spec_only: bool) -> list[Located]:
    """Spec findings, plus (unless spec_only) findings on the registered resources."""
    spec_findings = check_spec(target.loaded, settings)
    if spec_only:
        return sorted(spec_findings, key=lambda f: (f.mark, f.rule.id))
    from tenantcfg.deploy.program import PROJECT
    from tenantcfg.deploy.program import run as program
    from tenantcfg.deploy.under_mocks import run_offline
    from tenantcfg.review.checker import check_program

    result = run_offline(program, project=PROJECT, stack=target.stack, config=target.config)
    return merge(spec_findings, check_program(target.loaded, result, settings))
