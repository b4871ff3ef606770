"""What every command that reads a live tenant shares: its options and its outside world."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from tenantcfg.cli.values import count, positive_seconds

if TYPE_CHECKING:
    # Only for hints: httpx and auth0-python (a good part of a second to import) are
    # imported by the functions that read, so other commands do not pay for them.
    import httpx

    from tenantcfg.audit.connect import ReadLimits, World
    from tenantcfg.audit.credentials import Redactor


@dataclass(frozen=True)
class Runtime:
    """The outside world the command touches; tests replace the transport and the clock."""

    env: Mapping[str, str]
    stdout: TextIO
    stderr: TextIO
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    today: dt.date | None = None

    def world(self, redact: Redactor) -> World:
        """The read's view of this runtime; progress goes to stderr, redacted."""
        # audit.connect brings httpx and auth0-python: only commands that read load them.
        from tenantcfg.audit.connect import World  # noqa: PLC0415

        def progress(message: str) -> None:
            self.stderr.write(redact(f"{message}\n"))
            self.stderr.flush()

        return World(self.transport, self.sleep, self.clock, progress)


def add_read_arguments(parser: argparse.ArgumentParser) -> None:
    """--timeout, --deadline, --max-retries and --max-wait."""
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=30.0,
        metavar="SECONDS",
        help="per request (default 30)",
    )
    parser.add_argument(
        "--deadline",
        type=positive_seconds,
        default=600.0,
        metavar="SECONDS",
        help="the whole read, every request and wait included (default 600)",
    )
    parser.add_argument(
        "--max-retries",
        type=count,
        default=5,
        metavar="N",
        help="retries of a rate-limited read (default 5)",
    )
    parser.add_argument(
        "--max-wait",
        type=positive_seconds,
        default=120.0,
        metavar="SECONDS",
        help="longest single wait a rate limit may ask for (default 120)",
    )


def read_limits(args: argparse.Namespace) -> ReadLimits:
    """The limits the read options give."""
    # As in Runtime.world: httpx loads only for the commands that read a tenant.
    from tenantcfg.audit.connect import ReadLimits  # noqa: PLC0415

    return ReadLimits(args.timeout, args.deadline, args.max_retries, args.max_wait)


CREDENTIALS_HELP = (
    "Credentials: AUTH0_DOMAIN (default: the tenant's domain) and AUTH0_API_TOKEN, or "
    "AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET; only read:resource_servers, read:client_grants "
    "and read:clients are needed."
)
