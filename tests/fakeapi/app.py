"""The fake Management API as an httpx handler: routing, tokens, scopes, faults, a log.

``FakeAuth0(state).transport()`` plugs into any ``httpx.Client`` (and so into the
official auth0-python client); :mod:`tests.fakeapi.server` serves the same handler
on a loopback port. Every exchange is logged for the contract tests.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote_plus

import httpx

from . import clients, errors, grants, paging, resources
from .faults import Fault
from .state import Body, TenantState

_ANY_CLIENT_READ = (
    "read:clients",
    "read:client_keys",
    "read:client_credentials",
    "read:client_summary",
)


@dataclass(frozen=True)
class Call:
    """One API request, parsed."""

    method: str
    path: str
    key: str | None
    query: dict[str, list[str]]
    body: Any
    scopes: frozenset[str]

    def arg(self, name: str) -> str | None:
        """A single query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None

    def fields(self) -> tuple[list[str], bool]:
        """``fields`` (comma-separated) and ``include_fields`` (default true)."""
        raw = self.arg("fields") or ""
        return [f for f in raw.split(",") if f], self.arg("include_fields") != "false"


@dataclass(frozen=True)
class Exchange:
    """A request the fake received and what it answered."""

    operation: str | None
    """The published spec's operation, e.g. ``get /client-grants``; None for unrouted."""
    method: str
    raw_path: str
    query: dict[str, list[str]]
    request_body: Any
    status: int
    response_body: Any


Handler = Callable[["FakeAuth0", Call], tuple[int, Any]]


@dataclass(frozen=True)
class Route:
    """A method and path pattern, the spec operation it implements and its scopes."""

    method: str
    pattern: re.Pattern[str]
    operation: str
    scopes: tuple[str, ...]
    handler: Handler


def _rs_list(fake: FakeAuth0, call: Call) -> tuple[int, Any]:
    items = resources.listing(fake.state, call.query.get("identifiers", []))
    names, include = call.fields()
    if names:
        items = [{k: v for k, v in i.items() if (k in names) == include} for i in items]
    return 200, paging.offset(items, "resource_servers", call.query)


def _grant_list(fake: FakeAuth0, call: Call) -> tuple[int, Any]:
    items = grants.matching(
        fake.state,
        call.arg("audience"),
        call.arg("client_id"),
        call.arg("subject_type"),
        call.arg("default_for"),
    )
    if paging.is_checkpoint(call.query):
        return 200, paging.checkpoint(items, "client_grants", call.query, show=grants.public)
    return 200, paging.offset(items, "client_grants", call.query, show=grants.public)


def _client_list(fake: FakeAuth0, call: Call) -> tuple[int, Any]:
    names, include = call.fields()

    def show(body: Body) -> Body:
        return clients.visible(body, call.scopes, names, include)

    items = clients.listing(fake.state)
    if paging.is_checkpoint(call.query):
        return 200, paging.checkpoint(items, "clients", call.query, id_key="client_id", show=show)
    return 200, paging.offset(items, "clients", call.query, lowest_per_page=0, show=show)


def _client_get(fake: FakeAuth0, call: Call) -> tuple[int, Any]:
    names, include = call.fields()
    return 200, clients.get(fake.state, str(call.key), call.scopes, names, include)


def _no_content(action: Callable[[], None]) -> tuple[int, Any]:
    action()
    return 204, None


def _route(
    method: str, path: str, operation: str, scopes: tuple[str, ...], handler: Handler
) -> Route:
    return Route(method, re.compile(f"^{path}$"), operation, scopes, handler)


_KEY = "(?P<key>[^/]+)"
ROUTES: tuple[Route, ...] = (
    _route(
        "GET",
        "/api/v2/resource-servers",
        "get /resource-servers",
        ("read:resource_servers",),
        _rs_list,
    ),
    _route(
        "POST",
        "/api/v2/resource-servers",
        "post /resource-servers",
        ("create:resource_servers",),
        lambda f, c: (201, resources.create(f.state, c.body)),
    ),
    _route(
        "GET",
        f"/api/v2/resource-servers/{_KEY}",
        "get /resource-servers/{id}",
        ("read:resource_servers",),
        lambda f, c: (200, resources.get(f.state, str(c.key))),
    ),
    _route(
        "PATCH",
        f"/api/v2/resource-servers/{_KEY}",
        "patch /resource-servers/{id}",
        ("update:resource_servers",),
        lambda f, c: (200, resources.update(f.state, str(c.key), c.body or {})),
    ),
    _route(
        "DELETE",
        f"/api/v2/resource-servers/{_KEY}",
        "delete /resource-servers/{id}",
        ("delete:resource_servers",),
        lambda f, c: _no_content(lambda: resources.delete(f.state, str(c.key))),
    ),
    _route(
        "GET", "/api/v2/client-grants", "get /client-grants", ("read:client_grants",), _grant_list
    ),
    _route(
        "POST",
        "/api/v2/client-grants",
        "post /client-grants",
        ("create:client_grants",),
        lambda f, c: (201, grants.create(f.state, c.body or {})),
    ),
    _route(
        "GET",
        f"/api/v2/client-grants/{_KEY}",
        "get /client-grants/{id}",
        ("read:client_grants",),
        lambda f, c: (200, grants.get(f.state, str(c.key))),
    ),
    _route(
        "PATCH",
        f"/api/v2/client-grants/{_KEY}",
        "patch /client-grants/{id}",
        ("update:client_grants",),
        lambda f, c: (200, grants.update(f.state, str(c.key), c.body or {})),
    ),
    _route(
        "DELETE",
        f"/api/v2/client-grants/{_KEY}",
        "delete /client-grants/{id}",
        ("delete:client_grants",),
        lambda f, c: _no_content(lambda: grants.delete(f.state, str(c.key))),
    ),
    _route("GET", "/api/v2/clients", "get /clients", _ANY_CLIENT_READ, _client_list),
    _route("GET", f"/api/v2/clients/{_KEY}", "get /clients/{id}", _ANY_CLIENT_READ, _client_get),
    _route(
        "PATCH",
        f"/api/v2/clients/{_KEY}",
        "patch /clients/{id}",
        ("update:clients",),
        lambda f, c: (200, clients.update(f.state, str(c.key), c.body or {})),
    ),
)


@dataclass
class FakeAuth0:
    """A stateful fake of the Management API endpoints tenantcfg uses."""

    state: TenantState
    clock: Callable[[], float] = time.time
    faults: list[Fault] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    """Every token /oauth/token handed out, so tests can look for them in output."""

    # --- wiring -------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """An httpx transport answering every request from this fake."""
        return httpx.MockTransport(self.handle)

    def client(self, token: str | None = None) -> httpx.Client:
        """An httpx client acting as a Dashboard user: every scope, the tenant's base URL."""
        token = token or self.state.issue_token()
        return httpx.Client(
            transport=self.transport(),
            base_url=f"https://{self.state.domain}",
            headers={"Authorization": f"Bearer {token}"},
        )

    # --- faults -------------------------------------------------------------------

    def inject(self, fault: Fault) -> Fault:
        """Add a fault; the first matching unspent fault decides a request's fate."""
        self.faults.append(fault)
        return fault

    def rate_limit(
        self,
        path: str,
        *,
        times: int | None = 1,
        retry_after: str | None = None,
        reset_in: float | None = None,
    ) -> Fault:
        """429 on GETs under ``path``, with Retry-After and/or X-RateLimit-Reset."""
        return self.inject(
            Fault(path, status=429, times=times, retry_after=retry_after, reset_in=reset_in)
        )

    def fail(
        self,
        path: str,
        status: int,
        *,
        times: int | None = 1,
        later_pages_only: bool = False,
        message: str | None = None,
    ) -> Fault:
        """An error answer on GETs under ``path``; for a 403, ``message`` is the missing scope."""
        return self.inject(
            Fault(
                path, status=status, times=times, message=message, later_pages_only=later_pages_only
            )
        )

    def time_out(self, path: str, *, times: int | None = 1) -> Fault:
        """GETs under ``path`` time out."""
        return self.inject(Fault(path, timeout=True, times=times))

    def malformed(self, path: str, raw: bytes, *, method: str = "GET") -> Fault:
        """One answer under ``path`` is exactly ``raw`` (not what Auth0 would send)."""
        return self.inject(Fault(path, method=method, raw=raw))

    def truncate(self, path: str, *, later_pages_only: bool = True) -> Fault:
        """A page under ``path`` answers 200 with its body cut off."""
        return self.inject(Fault(path, truncate=True, later_pages_only=later_pages_only))

    def rewrite(
        self,
        path: str,
        change: Callable[[Any], Any],
        *,
        times: int | None = 1,
        later_pages_only: bool = False,
        method: str = "GET",
    ) -> Fault:
        """Requests under ``path`` (GETs by default) answer with the real body, changed."""
        return self.inject(
            Fault(
                path, method=method, rewrite=change, times=times, later_pages_only=later_pages_only
            )
        )

    # --- handling -----------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request (the MockTransport handler)."""
        raw_path = request.url.raw_path.decode("ascii")
        path, _, raw_query = raw_path.partition("?")
        query = parse_qs(raw_query, keep_blank_values=True)
        route, match = _find_route(request.method, path)
        operation = route.operation if route else None
        body: Any = None
        try:
            fault_answer = self._fault(request)
            if fault_answer is not None:
                return fault_answer
            body = _json_or_none(request)
            if path == "/oauth/token" and request.method == "POST":
                status, answer = self._token(request)
            elif route is None or match is None:
                raise errors.ApiFailure(404, "Not Found")
            else:
                scopes = self._authorise(request, route)
                key = match.groupdict().get("key")
                status, answer = route.handler(
                    self, Call(request.method, path, key, query, body, scopes)
                )
            headers = self._rate_headers()
        except errors.ApiFailure as failure:
            status, answer = failure.status, failure.body()
            headers = {**self._rate_headers(), **failure.headers}
        self.exchanges.append(
            Exchange(operation, request.method, raw_path, query, body, status, answer)
        )
        return _json_response(status, answer, headers)

    def _authorise(self, request: httpx.Request, route: Route) -> frozenset[str]:
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
        scopes = self.state.tokens.get(token)
        if scopes is None:
            raise errors.invalid_token()
        if not scopes & set(route.scopes):
            raise errors.insufficient_scope(*route.scopes)
        return scopes

    def _token(self, request: httpx.Request) -> tuple[int, Any]:
        """POST /oauth/token, client credentials only.

        Not recorded (the recorders stripped authentication): the answer follows Auth0's
        documented token response, and a wrong secret its documented
        ``{"error": "access_denied", "error_description": "Unauthorized"}`` with 401.
        """
        form = {**_basic_credentials(request), **_form_or_json(request)}
        if form.get("grant_type") != "client_credentials":
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "Unsupported grant type",
            }
        cred = self.state.credentials.get(str(form.get("client_id", "")))
        if cred is None or cred.client_secret != form.get("client_secret"):
            return 401, {"error": "access_denied", "error_description": "Unauthorized"}
        token = self.state.issue_token(cred.scopes)
        self.issued.append(token)
        return 200, {
            "access_token": token,
            "scope": " ".join(sorted(cred.scopes)),
            "expires_in": 86400,
            "token_type": "Bearer",
        }

    def _fault(self, request: httpx.Request) -> httpx.Response | None:
        for fault in self.faults:
            if fault.spent or not fault.matches(request):
                continue
            fault.hits += 1
            if fault.timeout:
                raise httpx.ReadTimeout(
                    "the fake Management API did not answer in time", request=request
                )
            if fault.truncate:
                return self._truncated(request)
            if fault.rewrite is not None:
                return self._rewritten(request, fault.rewrite)
            if fault.raw is not None:
                return httpx.Response(
                    200, content=fault.raw, headers={"content-type": "application/json"}
                )
            return self._fault_answer(fault)
        return None

    def _unfaulted(self, request: httpx.Request) -> httpx.Response:
        """The real answer (the log records it as such, not as it is then changed)."""
        faults, self.faults = self.faults, []
        try:
            return self.handle(request)
        finally:
            self.faults = faults

    def _truncated(self, request: httpx.Request) -> httpx.Response:
        """The real answer with its body cut off halfway (a connection dropped mid-page)."""
        full = self._unfaulted(request)
        content = full.content[: len(full.content) // 2]
        return httpx.Response(200, content=content, headers={"content-type": "application/json"})

    def _rewritten(self, request: httpx.Request, change: Callable[[Any], Any]) -> httpx.Response:
        full = self._unfaulted(request)
        kept = {k: v for k, v in full.headers.items() if k.startswith("x-")}
        return _json_response(full.status_code, change(full.json()), kept)

    def _fault_answer(self, fault: Fault) -> httpx.Response:
        status = fault.status or 500
        headers = self._rate_headers()
        if status == 429:
            headers["x-ratelimit-remaining"] = "0"
            if fault.reset_in is not None:
                headers["x-ratelimit-reset"] = str(int(self.clock() + fault.reset_in))
            if fault.retry_after is not None:
                headers["retry-after"] = fault.retry_after
            failure = errors.rate_limited(headers)
        elif status == 403:
            failure = errors.insufficient_scope(fault.message or "read:client_grants")
        elif status == 401:
            failure = errors.invalid_token()
        else:
            failure = errors.ApiFailure(status, fault.message or errors.REASONS.get(status, ""))
        return _json_response(status, failure.body(), {**headers, **failure.headers})

    def _rate_headers(self) -> dict[str, str]:
        # Modelled on Auth0's documented rate-limit headers; the recorders stripped them.
        return {
            "x-ratelimit-limit": "50",
            "x-ratelimit-remaining": "49",
            "x-ratelimit-reset": str(int(self.clock()) + 1),
        }


def _find_route(method: str, path: str) -> tuple[Route | None, re.Match[str] | None]:
    for route in ROUTES:
        match = route.pattern.match(path)
        if match and route.method == method:
            return route, match
    return None, None


def _json_or_none(request: httpx.Request) -> Any:
    content = request.content
    if not content or "json" not in request.headers.get("content-type", ""):
        return None
    try:
        return json.loads(content)
    except json.JSONDecodeError:
        raise errors.invalid_payload("Invalid JSON body") from None


def _basic_credentials(request: httpx.Request) -> Body:
    """Client id and secret sent as HTTP Basic (``client_secret_basic``).

    Not recorded (authentication was stripped): Auth0 documents both Basic and
    form-post client authentication on /oauth/token, and Go's oauth2 package, which
    the Terraform provider uses, tries Basic first.
    """
    auth = request.headers.get("authorization", "")
    if not auth.startswith("Basic "):
        return {}
    try:
        decoded = base64.b64decode(auth.removeprefix("Basic ").strip()).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return {}
    client_id, _, secret = decoded.partition(":")
    return {"client_id": unquote_plus(client_id), "client_secret": unquote_plus(secret)}


def _form_or_json(request: httpx.Request) -> Body:
    if "json" in request.headers.get("content-type", ""):
        data = _json_or_none(request)
        return data if isinstance(data, dict) else {}
    return {k: v[0] for k, v in parse_qs(request.content.decode("utf-8")).items()}


def _json_response(status: int, body: Any, headers: dict[str, str]) -> httpx.Response:
    if status == 204 or body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={**headers, "content-type": "application/json; charset=utf-8"},
    )
