"""How long a rate-limited read waits before trying again, from what the answer says."""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from dataclasses import dataclass

BACKOFF_CAP = 30.0


@dataclass(frozen=True)
class RetryPolicy:
    """How many times, and for how long at most, a rate-limited read is retried."""

    max_retries: int = 5
    max_wait: float = 120.0
    """A single wait longer than this gives up at once rather than hang a pipeline."""


class RateLimited(Exception):
    """A 429 outside the SDK (the token endpoint), with its answer's headers."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        super().__init__("429 Too Many Requests")
        self.headers = dict(headers)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _retry_after(value: str, now: float) -> float | None:
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def wait_for(headers: Mapping[str, str], now: float, attempt: int) -> tuple[float, str]:
    """Seconds to wait before retry ``attempt`` (0-based), and what said so.

    ``Retry-After`` (seconds or an HTTP date) first, then ``X-RateLimit-Reset`` (epoch
    seconds), else exponential backoff.
    """
    retry_after = _header(headers, "retry-after")
    if retry_after is not None:
        seconds = _retry_after(retry_after, now)
        if seconds is not None:
            return seconds, "Retry-After"
    reset = _header(headers, "x-ratelimit-reset")
    if reset is not None and reset.strip().isdigit():
        return max(0.0, float(reset) - now), "X-RateLimit-Reset"
    return min(BACKOFF_CAP, 2.0**attempt), "no Retry-After or X-RateLimit-Reset; backing off"
