"""``python -m tests.fakeapi --seed FILE [--port 8089] [--tls DIR]``: serve the fake on loopback.

For a manual end-to-end run of ``tenantcfg audit`` with no Auth0 tenant: point
``AUTH0_DOMAIN`` at the printed URL and use the credentials of the seed file.

With ``--tls DIR`` it answers over HTTPS under the tenant's own domain instead, for
``pulumi up`` and anything else that speaks to Auth0: it writes a test certificate
authority to DIR and prints the ``HTTPS_PROXY`` and ``SSL_CERT_FILE`` to export.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tenantcfg.audit.credentials import is_loopback

from .app import FakeAuth0
from .server import make_server
from .state import load_seed
from .tls import make_certificates, make_tls_server


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, load the seed and serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakeapi", description="Serve a fake Auth0 Management API on loopback."
    )
    parser.add_argument("--seed", required=True, help="seed file (tenant state as JSON)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8089, help="port (0 picks a free one)")
    parser.add_argument(
        "--rate-limit-first",
        type=int,
        default=0,
        metavar="N",
        help="answer the first N API reads with 429 and Retry-After: 1",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument(
        "--tls",
        metavar="DIR",
        type=Path,
        help="serve HTTPS under the tenant's domain behind a CONNECT endpoint; "
        "writes the test CA to DIR",
    )
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        parser.error(f"--host must be a loopback address, not {args.host!r}")
    fake = FakeAuth0(load_seed(args.seed))
    if args.rate_limit_first:
        fake.rate_limit("/api/v2/", times=args.rate_limit_first, retry_after="1")
    if args.tls is not None:
        certs = make_certificates(args.tls, fake.state.domain)
        server = make_tls_server(fake, certs, args.host, args.port, verbose=args.verbose)
        proxy = f"http://{args.host}:{server.server_address[1]}"
        print(
            f"fake Auth0 Management API for https://{fake.state.domain} (Ctrl-C to stop); "
            f"in the shell that runs pulumi:\n  export HTTPS_PROXY={proxy} "
            f"SSL_CERT_FILE={certs.ca} NO_PROXY=127.0.0.1,localhost",
            flush=True,
        )
    else:
        server = make_server(fake, args.host, args.port, verbose=args.verbose)
        url = f"http://{args.host}:{server.server_address[1]}"
        print(
            f"fake Auth0 Management API for tenant {fake.state.domain} on {url} (Ctrl-C to stop)",
            flush=True,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
