"""What a change to a stack spec does to who may touch users' accounts: a risk-tagged diff.

Compares two specs (the base and the head of a pull request) and tags every
change with a risk taken from the scope catalogue and the rules, and with its
direction: a change that widens access *raises* risk, one that takes access
away *lowers* it. Pure: no Pulumi, YAML or git here; the command reads the files.
"""

from __future__ import annotations

from tenantcfg.review.changes import (
    Change,
    Effect,
    Section,
    SpecDiff,
    because,
    plural,
)
from tenantcfg.review.diff_applications import application_changes, scope_changes
from tenantcfg.review.diff_settings import settings_changes
from tenantcfg.review.diff_waivers import waiver_changes
from tenantcfg.spec.model import TenantSpec

__all__ = [
    "Change",
    "Effect",
    "Section",
    "SpecDiff",
    "because",
    "compare",
    "plural",
]


_EFFECT_ORDER = {Effect.RAISES: 0, Effect.NEUTRAL: 1, Effect.LOWERS: 2}


def _order(c: Change) -> tuple[int, int, int]:
    # Riskiest first inside a section: a reviewer reads from the top. The sort is
    # stable, so ties keep the order they were found in (spec order, then names).
    return (list(Section).index(c.section), _EFFECT_ORDER[c.effect], -c.risk.rank)


def _empty_like(spec: TenantSpec) -> TenantSpec:
    """A stack with nothing declared, on the same tenant: Auth0's defaults, no grants."""
    return TenantSpec(tenant=spec.tenant)


def compare(
    base: TenantSpec | None, head: TenantSpec | None, base_name: str, head_name: str
) -> SpecDiff:
    """Every change from ``base`` to ``head``; None stands for a side that does not exist."""
    if head is not None:
        b = base if base is not None else _empty_like(head)
    elif base is not None:
        b = base
    else:
        raise ValueError("at least one side must exist")
    h = head if head is not None else _empty_like(b)
    # A removed stack file deletes grants, not the API: its resource is protected and
    # retained, so its settings stay as they are and are not reported as reset.
    settings = settings_changes(b, h) if head is not None else iter(())
    changes = [*settings, *application_changes(b, h), *scope_changes(b, h), *waiver_changes(b, h)]
    return SpecDiff(
        base_name,
        head_name,
        base.tenant.domain if base else None,
        head.tenant.domain if head else None,
        tuple(sorted(changes, key=_order)),
    )
