"""Read a tenant through the Management API: the one way ``audit`` and ``import`` do it.

Same credentials, same retries, same deadline, same refusal of an answer that cannot
be trusted; only GETs (and the token request) are ever sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from tenantcfg.audit.client import Session, TokenSource, http_client, management_client
from tenantcfg.audit.credentials import Credentials, Redactor
from tenantcfg.audit.errors import AuditFailure
from tenantcfg.audit.live import LiveTenant
from tenantcfg.audit.reader import read_tenant
from tenantcfg.audit.retry import RetryPolicy


@dataclass(frozen=True)
class ReadLimits:
    """How long and how often a read may try."""

    timeout: float
    """Seconds per request."""
    deadline: float
    """Seconds for the whole read, every request and wait included."""
    max_retries: int
    max_wait: float
    """The longest single wait a rate limit may ask for."""


@dataclass(frozen=True)
class World:
    """The outside world a read touches; tests replace the transport and the clock."""

    transport: httpx.BaseTransport | None
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    progress: Callable[[str], None]


def check_endpoint(creds: Credentials, domain: str, spec_name: str) -> None:
    """Refuse to read one tenant for another's spec (loopback fakes excepted)."""
    endpoint = creds.endpoint
    if not endpoint.is_loopback and endpoint.hostname != domain:
        raise AuditFailure(
            f"AUTH0_DOMAIN is {endpoint.host} but {spec_name} describes "
            f"tenant {domain}: one tenant judged against another's spec would "
            f"be all drift. Set AUTH0_DOMAIN={domain} or audit with that "
            "tenant's spec"
        )


def read_live(
    creds: Credentials, redact: Redactor, audience: str, limits: ReadLimits, world: World
) -> LiveTenant:
    """Everything the audit judges on ``audience``; AuditFailure when it cannot all be read."""
    deadline = world.clock() + limits.deadline
    with http_client(
        creds, limits.timeout, world.transport, deadline=deadline, clock=world.clock
    ) as http:
        tokens = TokenSource(http, creds, redact)
        session = Session(
            management_client(creds, http, tokens, limits.timeout),
            tokens,
            redact,
            creds.endpoint.base_url,
            limits.timeout,
            RetryPolicy(limits.max_retries, limits.max_wait),
            world.sleep,
            world.clock,
            world.progress,
        )
        session.start()
        return read_tenant(session, audience)
