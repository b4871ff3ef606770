"""The one httpx client every request of the audit goes through, bounded.

Each answer is read whole within the audit's deadline and a size limit, uncompressed;
a loopback test double is spoken to in plain http.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from tenantcfg.audit.credentials import Credentials
from tenantcfg.audit.errors import AuditFailure


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
