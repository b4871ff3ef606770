"""The changes a spec diff is made of, and the words shared by every kind of change."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tenantcfg.catalogue.scopes import Risk
from tenantcfg.inert.markdown import code
from tenantcfg.spec.text import is_blank


class Effect(StrEnum):
    """Which way a change moves the risk of the tenant."""

    RAISES = "raises"
    NEUTRAL = "neutral"
    LOWERS = "lowers"


class Section(StrEnum):
    """Where a change sits, in the order a reviewer reads them."""

    SETTINGS = "settings"
    APPLICATIONS = "applications"
    SCOPES = "scopes"
    WAIVERS = "waivers"


@dataclass(frozen=True, slots=True)
class Change:
    """One reviewable change.

    ``risk`` is the level the change raises risk to; for a change that lowers
    risk it is the level of what is taken away (a removed critical scope is
    tagged critical and ``lowers``).
    """

    section: Section
    subject: str
    """The application, the setting's owner (``my_account_api``, ``tenant``)."""
    item: str
    """The setting, application field, scope or waived rule that changed."""
    kind: str
    """added, removed, changed, extended or shortened."""
    before: str | None
    after: str | None
    risk: Risk
    effect: Effect
    note: str
    """What the change means, in words for a reviewer."""


@dataclass(frozen=True)
class SpecDiff:
    """Every change between two sides; a side that does not exist compares as empty."""

    base: str
    head: str
    base_tenant: str | None
    head_tenant: str | None
    changes: tuple[Change, ...]

    @property
    def highest_risk(self) -> Risk | None:
        """The highest risk any change raises to; None when nothing raises risk."""
        raised = [c.risk for c in self.changes if c.effect is Effect.RAISES]
        return max(raised, key=lambda r: r.rank) if raised else None

    def raises_to(self, level: Risk) -> bool:
        """Whether some change raises risk to ``level`` or above."""
        top = self.highest_risk
        return top is not None and top.rank >= level.rank


def plural(n: int, one: str, many: str) -> str:
    """``1 change`` / ``2 changes``."""
    return f"{n} {one if n == 1 else many}"


def because(reason: str) -> str:
    """A waiver's reason, quoted as inert text, or what its absence means."""
    return code(reason) if not is_blank(reason) else "none given (MYACC-018 rejects it)."


def by_rank(old: Risk, new: Risk) -> tuple[Effect, Risk]:
    """Direction and tag of a move between two graded values."""
    if new.rank > old.rank:
        return Effect.RAISES, new
    if new.rank < old.rank:
        return Effect.LOWERS, old
    return Effect.NEUTRAL, new


def setting(
    item: str,
    before: str,
    after: str,
    graded: tuple[Effect, Risk],
    note: str,
    *,
    subject: str = "my_account_api",
) -> Change:
    effect, risk = graded
    return Change(Section.SETTINGS, subject, item, "changed", before, after, risk, effect, note)
