"""Misbehaviour a test can inject: error answers, rate limits, timeouts, cut-off pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import httpx


@dataclass
class Fault:
    """One injected misbehaviour for requests matching ``method`` and a ``path`` prefix.

    Exactly one of ``status``, ``timeout``, ``truncate`` or ``rewrite`` says what happens.
    """

    path: str
    method: str | None = "GET"
    status: int | None = None
    times: int | None = 1
    """How many matching requests misbehave; None: every one, forever."""
    retry_after: str | None = None
    """``Retry-After`` of a 429, as sent (seconds, or an HTTP date)."""
    reset_in: float | None = None
    """``X-RateLimit-Reset`` of a 429: the fake's clock plus this many seconds."""
    message: str | None = None
    """For a 403 the scope named as missing; for other errors the message."""
    timeout: bool = False
    truncate: bool = False
    """Answer 200 with the JSON body cut off halfway."""
    rewrite: Callable[[Any], Any] | None = None
    """Answer with the real answer's JSON body passed through this (a page short of items,
    without its total...): what a misbehaving server or proxy could send, not recorded."""
    raw: bytes | None = None
    """Answer 200 with exactly these bytes as a JSON body (malformed on purpose)."""
    later_pages_only: bool = False
    """Only requests for a page after the first (``from=`` or ``page`` > 0)."""
    hits: int = 0

    @property
    def spent(self) -> bool:
        """Whether this fault has misbehaved as many times as it was asked to."""
        return self.times is not None and self.hits >= self.times

    def matches(self, request: httpx.Request) -> bool:
        """Whether ``request`` is one this fault applies to (ignoring whether it is spent)."""
        if self.method is not None and request.method != self.method:
            return False
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        if not path.startswith(self.path):
            return False
        if self.later_pages_only:
            query = parse_qs(request.url.query.decode("ascii"))
            return bool(query.get("from")) or query.get("page", ["0"])[0] not in ("", "0")
        return True
