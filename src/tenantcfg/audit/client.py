"""The official auth0-python Management client, and a session that makes every read fail loudly.

auth0-python 6.x takes a ready ``httpx.Client`` (``httpx_client=``) and a ``timeout``;
the audit gives it one whose transport tests can replace, and a ``token`` callable
backed by :class:`TokenSource` (the SDK's own token provider opens a separate httpx
client, which would bypass that transport). The SDK's built-in retries (on 429, 408,
409 and 5xx) sleep with ``time.sleep`` and cut any wait to 60 s whatever the answer
asks, so every call passes ``max_retries: 0`` and :class:`Session` retries 429s itself:
after the time the answer asks for, a bounded number of times, saying so, with an
injectable sleep.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
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

T = TypeVar("T")
Progress = Callable[[str], None]

_EXPECTED_SCOPES = re.compile(r"expected any of:\s*(.+?)\.?$", re.IGNORECASE)
_SCOPE_HELP = (
    "The audit needs read:resource_servers, read:client_grants and read:clients: "
    "authorise its application for the Auth0 Management API with these scopes "
    "(Dashboard > Applications > the application > APIs)."
)


class _LoopbackHttp(httpx.BaseTransport):
    """Sends the SDK's https:// requests as plain http, for a loopback test double only."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http")
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


MAX_ANSWER_BYTES = 16 * 1024 * 1024
"""The largest answer the audit reads; a page of 100 grants is tens of kilobytes."""


class DeadlinePassed(httpx.TimeoutException):
    """The whole audit ran past its deadline (``--deadline``)."""


class _Bounded(httpx.BaseTransport):
    """Reads each answer whole, within the audit's deadline and size limit.

    httpx's timeout bounds each wait for bytes, not an answer that arrives one byte
    at a time; this bounds the whole audit, and refuses an answer too large to be a
    page of the Management API before it fills the memory.
    """

    def __init__(
        self, inner: httpx.BaseTransport, deadline: float, clock: Callable[[], float]
    ) -> None:
        self._inner, self._deadline, self._clock = inner, deadline, clock

    def _check_time(self, request: httpx.Request) -> None:
        if self._clock() > self._deadline:
            raise DeadlinePassed("the audit's deadline passed", request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._check_time(request)
        response = self._inner.handle_request(request)
        if response.headers.get("content-encoding", "identity").lower() != "identity":
            response.close()  # asked for identity: a compressed answer could be a bomb
            raise AuditFailure(
                f"{request.url.host} answered compressed "
                f"({response.headers['content-encoding']}) though asked not to; "
                "nothing was judged"
            )
        body = bytearray()
        try:
            for chunk in response.stream:  # type: ignore[union-attr]
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise AuditFailure(
                        f"an answer from {request.url.host} is larger than "
                        f"{MAX_ANSWER_BYTES // (1024 * 1024)} MiB; nothing was "
                        "judged"
                    )
                self._check_time(request)
        finally:
            response.close()
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=bytes(body), request=request
        )

    def close(self) -> None:
        self._inner.close()


def http_client(
    creds: Credentials,
    timeout: float,
    transport: httpx.BaseTransport | None = None,
    *,
    deadline: float = float("inf"),
    clock: Callable[[], float] = time.monotonic,
) -> httpx.Client:
    """The one httpx client every request goes through (token and API alike)."""
    inner: httpx.BaseTransport = _Bounded(transport or httpx.HTTPTransport(), deadline, clock)
    if creds.endpoint.scheme == "http":
        inner = _LoopbackHttp(inner)
    return httpx.Client(
        transport=inner,
        timeout=timeout,
        follow_redirects=False,
        headers={"Accept-Encoding": "identity"},
    )


class TokenSource:
    """A Management API token: the static one, or one fetched by client credentials."""

    def __init__(self, http: httpx.Client, creds: Credentials, redact: Redactor) -> None:
        self._http = http
        self._creds = creds
        self._redact = redact
        self._token = creds.api_token
        self._expires_at = float("inf")
        self.granted: frozenset[str] | None = _jwt_scopes(creds.api_token)
        """Scopes the token says it carries, when it says so; None when unknown."""

    def __call__(self) -> str:
        """The current token (the SDK calls this before every request)."""
        if self._token is None or time.time() >= self._expires_at:
            self.fetch()
        assert self._token is not None
        return self._token

    def fetch(self) -> None:
        """POST /oauth/token (client credentials); a no-op with a static token."""
        if self._creds.api_token:
            return
        response = self._http.post(
            f"https://{self._creds.endpoint.host}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self._creds.client_id or "",
                "client_secret": self._creds.client_secret or "",
                "audience": f"https://{self._creds.endpoint.host}/api/v2/",
            },
        )
        if response.status_code == 429:
            raise RateLimited(response.headers)
        body = _json(response)
        if response.status_code != 200 or not isinstance(body.get("access_token"), str):
            raise AuditFailure(self._refusal(response.status_code, body))
        self._token = body["access_token"]
        self._redact.add(self._token)
        self._expires_at = time.time() + float(body.get("expires_in", 3600)) - 30
        scope = body.get("scope")
        self.granted = frozenset(scope.split()) if isinstance(scope, str) else None

    def _refusal(self, status: int, body: dict[str, Any]) -> str:
        what = body.get("error_description") or body.get("error") or "no explanation"
        return self._redact(
            f"the token endpoint refused the client credentials ({status}: {what}). Check "
            "AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, and that the application may use the "
            "client credentials grant for the Auth0 Management API"
        )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _jwt_scopes(token: str | None) -> frozenset[str] | None:
    """The ``scope`` claim of a JWT, read without verifying it (only to name what is missing)."""
    parts = (token or "").split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    scope = payload.get("scope") if isinstance(payload, dict) else None
    return frozenset(scope.split()) if isinstance(scope, str) else None


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
