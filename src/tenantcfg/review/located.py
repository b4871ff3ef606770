"""One finding model for every command: a rule's or a drift's finding placed in a spec file.

``tenantcfg check`` places findings on the spec and on what the program declares;
``tenantcfg audit`` places the rules' findings on the live tenant, and drift, on the
spec lines they concern. Both render through :mod:`tenantcfg.output.findings`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenantcfg.rules import Finding, Level
from tenantcfg.rules.model import RuleLike, WaiverView
from tenantcfg.spec.problems import Mark, SpecPath, dotted

Origin = str
"""Where a finding comes from: 'spec' or 'program' (check), 'rules' or 'drift' (audit)."""


@dataclass(frozen=True)
class Located:
    """A finding placed in the spec file."""

    rule: RuleLike
    level: Level
    resource: str
    message: str
    file: str
    mark: Mark
    field: str
    origin: Origin
    waiver: WaiverView | None = None

    @property
    def blocking(self) -> bool:
        """Mandatory and not waived: fails the check."""
        return self.level is Level.MANDATORY and self.waiver is None


def placed(f: Finding, file: str, mark: Mark, path: SpecPath, origin: Origin) -> Located:
    """A rule's finding placed at ``mark`` in ``file``, the spec ``path`` it concerns."""
    return Located(
        f.rule, f.level, f.resource, f.message, file, mark, dotted(path), origin, f.waiver
    )
