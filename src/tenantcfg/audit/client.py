"""The official auth0-python Management client, and a session that makes every read fail loudly.

auth0-python 6.x takes a ready ``httpx.Client`` (``httpx_client=``) and a ``timeout``;
the audit gives it one whose transport tests can replace, and a ``token`` callable
backed by :class:`TokenSource` (the SDK's own token provider opens a separate httpx
client, which would bypass that transport). The SDK's built-in retries (on 429, 408,
409 and 5xx) sleep with ``time.sleep`` and cut any wait to 60 s whatever the answer
asks, so every call passes ``max_retries: 0`` and :class:`Session` retries 429s itself:
after the time the answer asks for, a bounded number of times, saying so, with an
injectable sleep.

The httpx client with its bounds is in :mod:`tenantcfg.audit.transport`, the token
in :mod:`tenantcfg.audit.tokens`; both are exported from here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from auth0.management import ManagementClient
from auth0.management.core.api_error import ApiError
from auth0.management.core.parse_error import ParsingError
from auth0.management.core.request_options import RequestOptions

from tenantcfg.audit.credentials import REQUIRED_SCOPES, Credentials, Redactor
from tenantcfg.audit.errors import AuditFailure
from tenantcfg.audit.retry import RateLimited, RetryPolicy, wait_for
from tenantcfg.audit.tokens import TokenSource
from tenantcfg.audit.transport import MAX_ANSWER_BYTES, DeadlinePassed, http_client

__all__ = [
    "MAX_ANSWER_BYTES",
    "DeadlinePassed",
    "Progress",
    "Session",
    "TokenSource",
    "http_client",
    "management_client",
]

T = TypeVar("T")
Progress = Callable[[str], None]

_EXPECTED_SCOPES = re.compile(r"expected any of:\s*(.+?)\.?$", re.IGNORECASE)
_SCOPE_HELP = (
    "The audit needs read:resource_servers, read:client_grants and read:clients: "
    "authorise its application for the Auth0 Management API with these scopes "
    "(Dashboard > Applications > the application > APIs)."
)


def management_client(
    creds: Credentials, http: httpx.Client, tokens: TokenSource, timeout: float
) -> ManagementClient:
    """The official client, on the audit's httpx client, with the audit's tokens."""
    return ManagementClient(
        domain=creds.endpoint.host, token=tokens, timeout=timeout, httpx_client=http
    )


@dataclass
class Session:
    """Runs reads through the SDK; turns every failure into an :class:`AuditFailure`."""

    mgmt: ManagementClient
    tokens: TokenSource
    redact: Redactor
    base_url: str
    timeout: float
    policy: RetryPolicy
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    progress: Progress

    @property
    def options(self) -> RequestOptions:
        """Per-request options: no SDK retries (ours are bounded and observable)."""
        return {"max_retries": 0, "timeout": self.timeout}

    def start(self) -> None:
        """Get a token and check it carries the scopes the audit needs, when it says."""
        self.call("a Management API token", "", lambda _: self.tokens.fetch())
        granted = self.tokens.granted
        if granted is not None:
            missing = [s for s in REQUIRED_SCOPES if s not in granted]
            if missing:
                raise AuditFailure(
                    f"the Management API token lacks {', '.join(missing)}. {_SCOPE_HELP}"
                )

    def call(
        self, what: str, scope: str, fn: Callable[[RequestOptions], T], *, absent_ok: bool = False
    ) -> T | None:
        """``fn(options)``, retried on 429; None for a 404 when ``absent_ok``."""
        attempt = 0
        while True:
            try:
                return fn(self.options)
            except RateLimited as e:
                self._wait(what, e.headers, attempt, e)
            except ApiError as e:
                if e.status_code == 429:
                    self._wait(what, e.headers or {}, attempt, e)
                elif e.status_code == 404 and absent_ok:
                    return None
                else:
                    raise AuditFailure(self.redact(_api_failure(what, scope, e))) from e
            except ParsingError as e:
                raise AuditFailure(
                    f"the answer to reading {what} does not have the published "
                    "shape; nothing was judged"
                ) from e
            except DeadlinePassed as e:
                raise AuditFailure(
                    f"the audit ran past its deadline reading {what} from "
                    f"{self.base_url} (an answer arriving too slowly?); nothing "
                    "was judged. Retry, or raise --deadline"
                ) from e
            except httpx.TimeoutException as e:
                raise AuditFailure(
                    f"timed out after {self.timeout:g} s reading {what} from "
                    f"{self.base_url}; nothing was judged. Retry, or raise "
                    "--timeout"
                ) from e
            except httpx.TransportError as e:
                raise AuditFailure(
                    f"could not reach {self.base_url} reading {what} "
                    f"({type(e).__name__}); check AUTH0_DOMAIN and the "
                    "network"
                ) from e
            except AuditFailure:
                raise
            except Exception as e:
                # Any other surprise (a malformed number, JSON nested past the parser's
                # limit, a body that is not UTF-8...) is an answer that could not be read
                # exactly: exit 2, named, and never a traceback that could carry a token.
                raise AuditFailure(
                    self.redact(
                        f"the answer to reading {what} could not be read ({type(e).__name__}); "
                        "nothing was judged"
                    )
                ) from None
            attempt += 1

    def _wait(self, what: str, headers: dict[str, str], attempt: int, cause: Exception) -> None:
        limit = self.policy.max_retries
        if attempt >= limit:
            raise AuditFailure(
                f"still rate limited reading {what} after {limit} retries; "
                "nothing was judged. Try again later"
            ) from cause
        seconds, why = wait_for(headers, self.clock(), attempt)
        if seconds > self.policy.max_wait:
            raise AuditFailure(
                f"rate limited reading {what}: the answer asks to wait "
                f"{seconds:.0f} s ({why}), more than {self.policy.max_wait:g} s; "
                "nothing was judged. Try again later"
            ) from cause
        self.progress(
            f"rate limited reading {what}: waiting {seconds:.1f} s ({why}), "
            f"retry {attempt + 1} of {limit}"
        )
        self.sleep(seconds)


def _message(body: Any) -> str:
    if isinstance(body, dict):
        return str(body.get("message") or body.get("error_description") or body.get("error") or "")
    return ""


def _api_failure(what: str, scope: str, error: ApiError) -> str:
    status, message = error.status_code, _message(error.body)
    if status == 401:
        return (
            f"the Management API refused the token reading {what} (401 Unauthorized"
            f"{': ' + message if message else ''}). Check AUTH0_API_TOKEN (expired?) or "
            "AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET, and that AUTH0_DOMAIN is the tenant's "
            "canonical domain"
        )
    if status == 403:
        found = _EXPECTED_SCOPES.search(message)
        needed = found.group(1) if found else scope
        return (
            f"the Management API token lacks {needed}, needed to read {what} "
            f"(403 Forbidden{': ' + message if message else ''}). {_SCOPE_HELP}"
        )
    if status is not None and 200 <= status < 300:
        return (
            f"the answer to reading {what} is not valid JSON (cut off?); the list may be "
            "incomplete, so nothing was judged. Retry the audit"
        )
    return (
        f"the Management API answered {status} reading {what}"
        f"{': ' + message if message else ''}; nothing was judged"
    )
