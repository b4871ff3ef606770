"""What the rules judge: a neutral view of a tenant's My Account API configuration.

Three adapters fill these views: from a spec (with YAML positions), from Pulumi
resources as the engine sends them (the policy pack and the offline checker),
and from a live tenant (the audit). The rules themselves import nothing from
Pulumi, YAML or HTTP.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from tenantcfg.catalogue import scopes
from tenantcfg.spec.problems import SpecPath
from tenantcfg.spec.text import is_blank

MY_ACCOUNT_PATH = re.compile(r"^https?://([^/]+)/me/?$", re.IGNORECASE)
"""An identifier or audience that means the My Account API, written right or wrong."""


def is_my_account(identifier: str | None) -> bool:
    """Whether an API identifier or grant audience points at a My Account API."""
    return identifier is not None and MY_ACCOUNT_PATH.match(identifier.strip()) is not None


class Level(StrEnum):
    """Enforcement level, as CrossGuard names them."""

    MANDATORY = "mandatory"
    ADVISORY = "advisory"
    DISABLED = "disabled"


class Severity(StrEnum):
    """How bad a violation is, independent of how it is enforced."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class ApiView:
    """A My Account API resource server. None means 'not known from this source'."""

    resource: str
    identifier: str | None
    user_policy: str | None = None
    client_policy: str | None = None
    anonymous_user_policy: str | None = None
    token_lifetime: int | None = None
    step_up: bool = False
    protected: bool | None = None
    fields: dict[str, SpecPath] = field(default_factory=dict)
    """Where each field sits in the source (spec path or property path), for positions."""


@dataclass(frozen=True)
class GrantView:
    """A client grant on a My Account audience, with what is known of its application."""

    resource: str
    client_id: str | None
    audience: str | None
    subject_type: str | None = None
    scopes: tuple[str, ...] | None = None
    allow_all_scopes: bool = False
    default_for: str | None = None
    app_type: str | None = None
    first_party: bool | None = None
    justification: str | None = None
    fields: dict[str, SpecPath] = field(default_factory=dict)


@dataclass(frozen=True)
class WaiverView:
    """A waiver as declared, with its position."""

    index: int
    rule: str
    application: str
    reason: str
    expires: dt.date
    fields: dict[str, SpecPath] = field(default_factory=dict)

    def in_force(self, today: dt.date, settings: Settings) -> bool:
        """Current, within the longest span allowed, and with a reason: only then it waives.

        MYACC-018 says why a waiver is not in force; this is the yes or no.
        """
        current = today <= self.expires <= today + settings.max_waiver_span
        return current and not is_blank(self.reason)


@dataclass(frozen=True)
class Settings:
    """Thresholds and declarations that policy config may carry."""

    max_token_lifetime: int = 3600
    canonical_domain: str | None = None
    declared_scopes: scopes.Declared = field(default_factory=dict)
    """Scopes the spec declares beyond the catalogue (spec ``declared_scopes``)."""
    max_waiver_days: int = 90
    """A waiver may run at most this many days from today (MYACC-018)."""

    @property
    def max_waiver_span(self) -> dt.timedelta:
        """``max_waiver_days`` as a duration."""
        return dt.timedelta(days=self.max_waiver_days)

    def scope(self, value: str) -> scopes.Scope | None:
        """A scope from the catalogue or the declarations; None when unknown."""
        return scopes.lookup(value, self.declared_scopes)


@dataclass(frozen=True)
class TenantView:
    """Everything the rules see at once."""

    apis: tuple[ApiView, ...] = ()
    grants: tuple[GrantView, ...] = ()
    waivers: tuple[WaiverView, ...] = ()
    settings: Settings = Settings()
    today: dt.date = field(default_factory=dt.date.today)
    rule_ids: frozenset[str] = frozenset()
    """Every rule id there is, and below those no waiver may silence: filled in by
    :func:`tenantcfg.rules.evaluate`, so the waiver rule needs no list of rules."""
    unwaivable: frozenset[str] = frozenset()
    knows_justifications: bool = False
    """True when the source is a spec: only a spec can say a justification is missing."""
    placeholders: tuple[tuple[str, SpecPath], ...] = ()
    """(resource, path) of every value still written as an import placeholder (a spec's)."""


@dataclass(frozen=True)
class Violation:
    """One thing a rule found wrong, on one resource, at one field."""

    resource: str
    message: str
    field: SpecPath = ()


Check = Callable[[TenantView], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    """A policy rule: stable id, words for people, and a check."""

    id: str
    name: str
    """CrossGuard policy name: lower-case and hyphens."""
    title: str
    severity: Severity
    level: Level
    remediation: str
    check: Check
    cross_resource: bool = False
    """True when the check needs several resources at once (the pack runs it per stack)."""
    waivable: bool = True
    """False for rules no waiver may silence: opening the API to every application."""
    options: tuple[str, ...] = ()
    """The ``Settings`` fields this rule reads, which its pack config carries."""


class RuleLike(Protocol):
    """What a finding shows of its rule: a policy rule or an audit drift check.

    The finding model, the reports and SARIF read only these; :class:`Rule` has them.
    """

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def remediation(self) -> str: ...
    @property
    def severity(self) -> Any: ...
    @property
    def level(self) -> Any: ...
