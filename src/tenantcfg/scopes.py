"""The My Account API scope catalogue: the one place that knows every scope.

Each scope records what it unlocks, how risky it is to hand to an application,
and where it is in Auth0's lifecycle. Everything else (the spec schema, the
rules, the report, the audit) asks this module; nothing else lists scopes.
"""

from __future__ import annotations

import difflib
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
    FEATURE_GATED = "feature_gated"
    PLANNED = "planned"


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
            "List the MFA factors the tenant offers the user.",
            Risk.LOW,
            Lifecycle.GA,
        ),
        Scope(
            "read:me:authentication_methods",
            "List the user's enrolled authentication methods (passkeys, OTP, phone, email).",
            Risk.MEDIUM,
            Lifecycle.GA,
        ),
        Scope(
            "create:me:authentication_methods",
            "Enroll a new authentication method, such as a passkey, for the user.",
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


def lookup(value: str) -> Scope | None:
    """The catalogue entry for a scope, or None when Auth0 knows no such scope."""
    return CATALOGUE.get(value)


def underscore_spelling(value: str) -> str | None:
    """The real spelling of a scope written with hyphens, as older docs did.

    ``create:me:authentication-methods`` -> ``create:me:authentication_methods``.
    None when replacing the hyphens does not give a known scope.
    """
    if "-" not in value:
        return None
    fixed = value.replace("-", "_")
    return fixed if fixed in CATALOGUE else None


def closest(value: str) -> str | None:
    """The known scope nearest to an unknown one, for a 'did you mean' hint."""
    matches = difflib.get_close_matches(value.lower(), CATALOGUE, n=1, cutoff=0.6)
    return matches[0] if matches else None


def problem(value: str) -> str | None:
    """Why a scope string is not a scope Auth0 issues for the My Account API, or None.

    Planned scopes are known here and return None: the policy layer judges them.
    """
    if value in CATALOGUE:
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
    hint = closest(value)
    suffix = f"; did you mean {hint!r}?" if hint else ""
    return f"unknown My Account API scope {value!r}{suffix}"
