"""How risky an application's grant and an access policy are: one answer for every view.

The diff, the report and the rules ask here, so the same application is never low
in one and critical in another.
"""

from __future__ import annotations

from collections.abc import Iterable

from tenantcfg.catalogue.scopes import Declared, Risk, lookup

USER_FACING = frozenset({"spa", "native", "regular_web"})
"""Application kinds with a signed-in user, the only ones the My Account API serves."""

NO_USER = frozenset({"non_interactive", "resource_server"})
"""Application kinds that never have a signed-in user (machine-to-machine)."""

POLICY_DEFAULTS = {"client": "deny_all", "anonymous_user": "deny_all"}
"""What Auth0 applies on the My Account API when a policy is not set."""

POLICY_RISK: dict[str, dict[str, Risk]] = {
    "user": {"allow_all": Risk.CRITICAL, "require_client_grant": Risk.MEDIUM, "deny_all": Risk.LOW},
    "client": {"require_client_grant": Risk.CRITICAL, "deny_all": Risk.LOW},
    "anonymous_user": {"require_client_grant": Risk.CRITICAL, "deny_all": Risk.LOW},
}
"""The risk of each access policy value, per flow."""


def scope_risk(value: str, declared: Declared | None = None) -> Risk:
    """A scope's risk; a scope nobody knows is treated as the worst."""
    known = lookup(value, declared)
    return known.risk if known else Risk.CRITICAL


def type_risk(app_type: str) -> Risk:
    """The risk of an application kind holding My Account scopes at all."""
    # A machine-to-machine app has no user at all (MYACC-011); other kinds without a
    # signed-in user are not what the My Account API is for.
    if app_type in NO_USER:
        return Risk.CRITICAL
    return Risk.LOW if app_type in USER_FACING else Risk.HIGH


def kind_risk(app_type: str, first_party: bool) -> Risk:
    """The risk of the application itself: third-party ones may never hold a grant."""
    return type_risk(app_type) if first_party else Risk.CRITICAL


def app_risk(
    app_type: str, first_party: bool, scopes: Iterable[str], declared: Declared | None = None
) -> Risk:
    """What an application's grant exposes: its riskiest scope, or its kind if worse."""
    levels = [kind_risk(app_type, first_party), *(scope_risk(s, declared) for s in scopes)]
    return max(levels, key=lambda r: r.rank)
