"""The My Account API scope catalogue: the one place that knows every scope.

Each scope records what it unlocks, how risky it is to hand to an application,
and where it is in Auth0's lifecycle. Everything else (the spec schema, the
rules, the report, the audit) asks this module; nothing else lists scopes.

Auth0 keeps adding scopes. A spec may declare one issued after this catalogue
was written (``declared_scopes``), with what it unlocks, its risk and why it is
needed; such a scope is looked up through :func:`lookup`'s ``declared`` and is
always reported as declared (MYACC-019), never mistaken for a reviewed one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Risk(StrEnum):
    """How much harm a scope lets an application do to a user's account."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Order for comparisons: low < medium < high < critical."""
        return list(Risk).index(self)


class Lifecycle(StrEnum):
    """Whether Auth0 issues the scope today."""

    GA = "ga"
    EARLY_ACCESS = "early_access"
    """Issued to tenants in Auth0's early-access programme (the published spec says so)."""
    FEATURE_GATED = "feature_gated"
    PLANNED = "planned"
    DECLARED = "declared"
    """Not in this catalogue: declared by a spec, with its own risk and justification."""


SYNTAX = re.compile(r"(?:create|read|update|delete):me:[a-z]+(?:_[a-z]+)*")
"""How every My Account scope is spelled: <action>:me:<thing with underscores>."""


@dataclass(frozen=True, slots=True)
class Scope:
    """One My Account API scope."""

    value: str
    unlocks: str
    risk: Risk
    lifecycle: Lifecycle
    sensitive: bool = False
    """Sensitive scopes can lock a user out or let an attacker persist: they want step-up."""


CATALOGUE: dict[str, Scope] = {
    s.value: s
    for s in (
        Scope(
            "read:me:factors",
            "List the MFA factors the tenant offers the user (GET /me/factors, early access).",
            Risk.LOW,
            Lifecycle.EARLY_ACCESS,
        ),
        Scope(
            "read:me:authentication_methods",
            "List the user's enrolled authentication methods (passkeys, OTP, phone, email).",
            Risk.MEDIUM,
            Lifecycle.GA,
        ),
        Scope(
            "create:me:authentication_methods",
            "Enroll a new authentication method for the user: a passkey, a password, "
            "recovery codes, push, TOTP, email or phone; an attacker's enrolment persists.",
            Risk.CRITICAL,
            Lifecycle.GA,
            sensitive=True,
        ),
        Scope(
            "update:me:authentication_methods",
            "Rename or change the settings of one of the user's authentication methods.",
            Risk.HIGH,
            Lifecycle.GA,
            sensitive=True,
        ),
        Scope(
            "delete:me:authentication_methods",
            "Remove one of the user's authentication methods; can lock the user out.",
            Risk.CRITICAL,
            Lifecycle.GA,
            sensitive=True,
        ),
        Scope(
            "create:me:connected_accounts",
            "Link an external account (for Token Vault) to the user.",
            Risk.HIGH,
            Lifecycle.GA,
            sensitive=True,
        ),
        Scope(
            "read:me:connected_accounts",
            "List the external accounts linked to the user.",
            Risk.MEDIUM,
            Lifecycle.GA,
        ),
        Scope(
            "delete:me:connected_accounts",
            "Unlink an external account from the user.",
            Risk.HIGH,
            Lifecycle.GA,
            sensitive=True,
        ),
        Scope(
            "read:me:profile",
            "Read the user's own profile attributes.",
            Risk.LOW,
            Lifecycle.FEATURE_GATED,
        ),
        Scope(
            "update:me:profile",
            "Change the user's own profile attributes.",
            Risk.MEDIUM,
            Lifecycle.FEATURE_GATED,
        ),
        Scope(
            "read:me:consents",
            "List the consents the user has given (announced, not yet issued).",
            Risk.LOW,
            Lifecycle.PLANNED,
        ),
        Scope(
            "read:me:organizations",
            "List the organizations the user belongs to (announced, not yet issued).",
            Risk.LOW,
            Lifecycle.PLANNED,
        ),
    )
}


Declared = Mapping[str, Scope]
"""Scopes a spec declares, by value (see :func:`declared_scope`)."""


def lookup(value: str, declared: Declared | None = None) -> Scope | None:
    """The catalogue entry for a scope (or the spec's declaration), None when unknown."""
    return CATALOGUE.get(value) or (declared or {}).get(value)


def declared_scope(value: str, unlocks: str, risk: Risk, sensitive: bool) -> Scope:
    """A scope a spec declares because Auth0 issued it after this catalogue was written."""
    return Scope(value, unlocks, risk, Lifecycle.DECLARED, sensitive)


def declaration_problem(value: str) -> str | None:
    """Why ``value`` cannot be declared by a spec, or None when it can."""
    if value in CATALOGUE:
        return f"{value!r} is already in the catalogue: remove the declaration"
    fixed = underscore_spelling(value)
    if fixed is not None:
        return f"{value!r} is spelled with hyphens; Auth0 uses underscores: {fixed!r}"
    if not SYNTAX.fullmatch(value):
        return (
            f"{value!r} is not spelled as a My Account scope "
            "(<create|read|update|delete>:me:<thing>, e.g. read:me:sessions)"
        )
    return None


def underscore_spelling(value: str) -> str | None:
    """The real spelling of a scope written with hyphens, as older docs did.

    ``create:me:authentication-methods`` -> ``create:me:authentication_methods``.
    None when replacing the hyphens does not give a known scope.
    """
    if "-" not in value:
        return None
    fixed = value.replace("-", "_")
    return fixed if fixed in CATALOGUE else None


def closest(value: str, declared: Collection[str] | None = None) -> str | None:
    """The known scope nearest to an unknown one, for a 'did you mean' hint."""
    known = [*CATALOGUE, *(declared or {})]
    matches = difflib.get_close_matches(value.lower(), known, n=1, cutoff=0.6)
    return matches[0] if matches else None


def problem(value: str, declared: Collection[str] | None = None) -> str | None:
    """Why a scope string is not a scope Auth0 issues for the My Account API, or None.

    Planned scopes are known here and return None: the policy layer judges them.
    """
    if value in CATALOGUE or value in (declared or {}):
        return None
    if value != value.strip():
        return f"scope {value!r} has whitespace around it; write {value.strip()!r}"
    if len(value.split()) > 1:  # spaces, tabs or line breaks between scopes
        parts = ", ".join(repr(p) for p in value.split())
        return f"scope {value!r} holds several scopes; list them one per item: {parts}"
    fixed = underscore_spelling(value)
    if fixed is not None:
        return f"scope {value!r} is spelled with hyphens; Auth0 uses underscores: {fixed!r}"
    if not value.isascii():
        return f"scope {value!r} contains non-ASCII characters (look-alike letters?)"
    hint = closest(value, declared)
    suffix = (
        f"; did you mean {hint!r}?"
        if hint
        else "; if Auth0 issued it after this catalogue was written, declare it under "
        "declared_scopes with its risk and a justification"
    )
    return f"unknown My Account API scope {value!r}{suffix}"
