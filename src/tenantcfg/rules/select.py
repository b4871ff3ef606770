"""Which parts of a tenant view a rule looks at."""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.rules.model import ApiView, GrantView, TenantView, is_my_account


def my_account_apis(view: TenantView) -> Iterator[ApiView]:
    """The resource servers whose identifier means the My Account API."""
    return (api for api in view.apis if is_my_account(api.identifier))


def my_account_grants(view: TenantView) -> Iterator[GrantView]:
    """The client grants whose audience means the My Account API."""
    return (g for g in view.grants if is_my_account(g.audience))
