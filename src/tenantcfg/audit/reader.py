"""What the audit reads from a live tenant, and how (GETs only).

1. the My Account API, by its identifier (404 means: not activated);
2. every client grant on that audience, filtered by the server, page after page;
3. the applications those grants name, asking only for the fields judged: each one,
   or the paged list of clients when there are many (:mod:`.applications`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from auth0.management.core.pagination import SyncPager
from auth0.management.core.request_options import RequestOptions
from auth0.management.types import (
    ClientGrantResponseContent,
    ListClientGrantPaginatedResponseContent,
)

from tenantcfg.audit.applications import read_clients
from tenantcfg.audit.client import Session
from tenantcfg.audit.errors import AuditFailure
from tenantcfg.audit.live import LiveApi, LiveGrant, LiveTenant
from tenantcfg.spec.valuetypes import API_ID

PAGE_SIZE = 100
"""The most the API gives per page: fewer requests on tenants with low rate limits."""
MAX_PAGES = 1000


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _policy(sta: Any, who: str) -> str | None:
    part = getattr(sta, who, None) if sta is not None else None
    return _text(getattr(part, "policy", None)) if part is not None else None


def _api(rs: Any) -> LiveApi:
    sta = rs.subject_type_authorization
    pop = rs.proof_of_possession
    policy = rs.authorization_policy
    return LiveApi(
        id=str(rs.id),
        identifier=str(rs.identifier),
        user_policy=_policy(sta, "user"),
        client_policy=_policy(sta, "client"),
        anonymous_user_policy=_policy(sta, "anonymous_user"),
        token_lifetime=rs.token_lifetime,
        step_up_policy_id=_text(getattr(policy, "policy_id", None)) if policy else None,
        dpop=(_text(pop.mechanism), pop.required, _text(pop.required_for)) if pop else None,
        skip_consent=rs.skip_consent_for_verifiable_first_party_clients,
    )


def read_api(session: Session, identifier: str) -> LiveApi | None:
    """The My Account API by identifier; None when the tenant has not activated it."""
    rs = session.call(
        "the My Account API",
        "read:resource_servers",
        lambda o: session.mgmt.resource_servers.get(identifier, request_options=o),
        absent_ok=True,
    )
    if rs is None:
        return None
    if rs.identifier != identifier:
        # Judging another API's settings as the My Account API's would hide its own.
        raise AuditFailure(
            f"asked for the My Account API {identifier}, the answer describes "
            f"{rs.identifier!r}; nothing was judged"
        )
    if not API_ID.fullmatch(str(rs.id)):
        # Every API id Auth0 issues is 24 hexadecimal characters; a spec adopts it by it.
        raise AuditFailure(
            f"the My Account API's id {str(rs.id)[:40]!r} is not an Auth0 API id "
            "(24 hexadecimal characters); nothing was judged"
        )
    return _api(rs)


def _grant(g: Any) -> LiveGrant:
    if not g.id or not g.audience:
        # A grant that cannot be named or placed cannot be judged.
        raise AuditFailure(
            "the client grant list holds a grant without an id or audience; nothing was judged"
        )
    scope = g.scope
    extras = [
        name
        for name, default in (
            ("organization_usage", g.organization_usage in (None, "deny")),
            ("allow_any_organization", not g.allow_any_organization),
            ("authorization_details_types", not g.authorization_details_types),
        )
        if not default
    ]
    return LiveGrant(
        id=str(g.id),
        client_id=_text(g.client_id),
        audience=str(g.audience),
        subject_type=_text(g.subject_type),
        scopes=None if scope is None else tuple(str(s) for s in scope),
        allow_all_scopes=bool(g.allow_all_scopes),
        default_for=_text(g.default_for),
        extras=tuple(extras),
    )


GrantPage = SyncPager[ClientGrantResponseContent, ListClientGrantPaginatedResponseContent]


def _grant_page(
    session: Session, audience: str, cursor: str | None, options: RequestOptions
) -> GrantPage:
    return session.mgmt.client_grants.list(
        audience=audience, take=PAGE_SIZE, from_=cursor, request_options=options
    )


def read_grants(session: Session, audience: str) -> tuple[LiveGrant, ...]:
    """Every grant on ``audience``, all pages; a page that cannot be read fails the audit."""
    grants: list[LiveGrant] = []
    cursor: str | None = None
    seen: set[str] = set()
    ids: set[str] = set()
    for page in range(1, MAX_PAGES + 1):
        if page > 1:
            session.progress(f"reading client grants: page {page} ({len(grants)} so far)")
        pager = session.call(
            f"client grants (page {page})",
            "read:client_grants",
            partial(_grant_page, session, audience, cursor),
        )
        assert pager is not None
        for item in pager.items or []:
            grant = _grant(item)
            if grant.id in ids:
                # Two answers under one id: which one the tenant applies is unknowable.
                raise AuditFailure(
                    f"the client grant list holds grant {grant.id!r} twice; nothing was judged"
                )
            ids.add(grant.id)
            grants.append(grant)
        cursor = pager.response.next or None
        if not cursor:
            # An empty page that still carries a cursor is not the end: only a page
            # without one is (a server may page by time or by shard).
            return _on_audience(grants, audience)
        if cursor in seen:
            raise AuditFailure(
                "the client grant list repeats a page (paging did not advance); nothing was judged"
            )
        seen.add(cursor)
    raise AuditFailure(
        f"the client grant list did not end after {MAX_PAGES} pages; nothing was judged"
    )


def _on_audience(grants: list[LiveGrant], audience: str) -> tuple[LiveGrant, ...]:
    """The grants, refusing an answer that ignored the audience filter.

    Dropping the others would judge a list the tenant did not give as asked for: a
    grant spelled with another audience could hide among them.
    """
    other = sorted({g.audience for g in grants if g.audience != audience})
    if other:
        raise AuditFailure(
            f"the client grant list for audience {audience} also holds grants "
            f"for {', '.join(repr(a) for a in other[:3])}: the filter was not "
            "applied, so the list cannot be trusted; nothing was judged"
        )
    return tuple(grants)


def read_tenant(session: Session, audience: str) -> LiveTenant:
    """Read everything the audit judges, in that order."""
    api = read_api(session, audience)
    grants = read_grants(session, audience)
    ids = sorted({g.client_id for g in grants if g.client_id})
    clients, missing = read_clients(session, ids)
    return LiveTenant(audience, api, grants, clients, missing)
