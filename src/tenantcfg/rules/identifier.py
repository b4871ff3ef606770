"""MYACC-013: the API identifier is exactly ``https://<canonical domain>/me/``.

A missing trailing slash, plain http or a custom domain registers a different
audience; tokens, audience and calls must all use the canonical domain.
"""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import MY_ACCOUNT_PATH, Level, Rule, Severity, TenantView, Violation
from tenantcfg.rules.select import my_account_apis, my_account_grants

_CANONICAL_SUFFIX = ".auth0.com"


def expected(host: str, canonical: str | None) -> str:
    """The identifier the API should have, given what is known of the canonical domain."""
    return f"https://{(canonical or host).lower()}/me/"


def problem(value: str, canonical: str | None) -> str | None:
    """Why ``value`` is not the right My Account identifier, or None."""
    match = MY_ACCOUNT_PATH.match(value.strip())
    if match is None:
        return None
    host = match.group(1)
    if canonical is None and not host.lower().endswith(_CANONICAL_SUFFIX):
        return (
            f"{value!r} does not use a canonical *.auth0.com domain (custom domain?); "
            "register the API with the tenant's canonical domain"
        )
    want = expected(host, canonical)
    return None if value == want else f"{value!r} should be {want!r}"


def check(view: TenantView) -> Iterator[Violation]:
    """One violation per My Account API or grant audience that is not the canonical one."""
    canonical = view.settings.canonical_domain
    for api in my_account_apis(view):
        message = problem(api.identifier or "", canonical)
        if message:
            yield Violation(api.resource, f"identifier {message}", api.fields.get("identifier", ()))
    for grant in my_account_grants(view):
        message = problem(grant.audience or "", canonical)
        if message:
            yield Violation(grant.resource, f"audience {message}", grant.fields.get("audience", ()))


RULE = Rule(
    id="MYACC-013",
    name="myaccount-identifier-canonical",
    title="My Account API identifier is https://<canonical domain>/me/",
    severity=Severity.HIGH,
    level=Level.MANDATORY,
    remediation="Use exactly https://<tenant canonical domain>/me/ (https, trailing slash, "
    "no custom domain).",
    check=check,
)
