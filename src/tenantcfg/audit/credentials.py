"""Where the audit connects and with what: ``AUTH0_DOMAIN`` and a credential from the environment.

Either ``AUTH0_API_TOKEN`` (a Management API token) or ``AUTH0_CLIENT_ID`` +
``AUTH0_CLIENT_SECRET`` (a machine-to-machine application allowed to ask for one).
The values are kept out of every ``repr`` and can be scrubbed from any text.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field

from tenantcfg.audit.errors import AuditFailure

REQUIRED_SCOPES = ("read:resource_servers", "read:client_grants", "read:clients")
"""Everything the audit needs; it asks for nothing that could write."""

REDACTED = "[REDACTED]"


@dataclass(frozen=True)
class Endpoint:
    """The Management API host; plain http only for a loopback test double."""

    scheme: str
    host: str
    """Host name, with ``:port`` when one is given."""

    @property
    def base_url(self) -> str:
        """``scheme://host``, without a trailing slash."""
        return f"{self.scheme}://{self.host}"

    @property
    def is_loopback(self) -> bool:
        """Whether the host is this machine (a fake served for a manual run)."""
        return is_loopback(self.hostname)

    @property
    def hostname(self) -> str:
        """The host without its port."""
        if self.host.startswith("["):
            return self.host[1:].split("]", 1)[0]
        return self.host.rsplit(":", 1)[0] if self.host.count(":") == 1 else self.host


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``localhost`` or a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_endpoint(value: str) -> Endpoint:
    """``AUTH0_DOMAIN`` as written: ``acme.eu.auth0.com``, ``https://…`` or ``http://127.0.0.1:8089``."""
    text = value.strip().rstrip("/")
    scheme, _, rest = text.rpartition("://")
    scheme = scheme.lower() or "https"
    if not rest or "/" in rest or "?" in rest or "@" in rest:
        raise AuditFailure(
            f"AUTH0_DOMAIN {value!r} is not a host name; write the tenant's "
            "domain, e.g. acme.eu.auth0.com"
        )
    endpoint = Endpoint(scheme, rest.lower())
    if scheme == "http" and not endpoint.is_loopback:
        raise AuditFailure(
            f"AUTH0_DOMAIN {value!r} uses plain http: credentials would cross "
            "the network unencrypted. Use https (plain http is accepted only "
            "for a test double on a loopback address)"
        )
    if scheme not in ("http", "https"):
        raise AuditFailure(f"AUTH0_DOMAIN {value!r}: unknown scheme {scheme!r}; use https")
    return endpoint


@dataclass(frozen=True)
class Credentials:
    """How to get a Management API token; secrets never show in ``repr``."""

    endpoint: Endpoint
    api_token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        """Which environment variables are used, for the report header."""
        return "AUTH0_API_TOKEN" if self.api_token else "AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET"

    def secrets(self) -> tuple[str, ...]:
        """The secret values, for scrubbing."""
        return tuple(s for s in (self.api_token, self.client_secret) if s)


def from_env(env: Mapping[str, str], default_domain: str) -> Credentials:
    """Credentials from the environment; ``default_domain`` when AUTH0_DOMAIN is unset.

    AUTH0_API_TOKEN wins when both kinds are set.
    """
    endpoint = parse_endpoint(env.get("AUTH0_DOMAIN") or default_domain)
    token = (env.get("AUTH0_API_TOKEN") or "").strip()
    for name, value in (
        ("AUTH0_API_TOKEN", token),
        ("AUTH0_CLIENT_ID", env.get("AUTH0_CLIENT_ID")),
        ("AUTH0_CLIENT_SECRET", env.get("AUTH0_CLIENT_SECRET")),
    ):
        if value and not (value.isascii() and value.isprintable()):
            # It could never go into an HTTP header or form; never echo it.
            raise AuditFailure(
                f"{name} holds non-ASCII or control characters: copy it again "
                "from the Dashboard (a stray character from a document?)"
            )
    if token:
        return Credentials(endpoint, api_token=token)
    client_id = (env.get("AUTH0_CLIENT_ID") or "").strip()
    secret = (env.get("AUTH0_CLIENT_SECRET") or "").strip()
    if client_id and secret:
        return Credentials(endpoint, client_id=client_id, client_secret=secret)
    missing = "AUTH0_CLIENT_SECRET" if client_id else "AUTH0_CLIENT_ID" if secret else None
    if missing:
        raise AuditFailure(
            f"{missing} is not set: set both AUTH0_CLIENT_ID and "
            "AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN"
        )
    raise AuditFailure(
        "no credentials: set AUTH0_API_TOKEN, or AUTH0_CLIENT_ID and "
        "AUTH0_CLIENT_SECRET of a machine-to-machine application authorised "
        f"for the Management API with {', '.join(REQUIRED_SCOPES)}"
    )


class Redactor:
    """Scrubs known secret values (and tokens learnt later) out of any text."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str) -> None:
        """Remember one more value to scrub (e.g. a token just fetched)."""
        if len(secret) >= 4:
            self._secrets.add(secret)

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text
