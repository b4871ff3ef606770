"""``python -m tests.fakeapi --seed FILE [--port 8089]``: serve the fake on loopback.

For a manual end-to-end run of ``tenantcfg audit`` with no Auth0 tenant: point
``AUTH0_DOMAIN`` at the printed URL and use the credentials of the seed file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tenantcfg.audit.credentials import is_loopback

from .app import FakeAuth0
from .server import make_server
from .state import load_seed


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, load the seed and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m tests.fakeapi",
                                     description="Serve a fake Auth0 Management API on loopback.")
    parser.add_argument("--seed", required=True, help="seed file (tenant state as JSON)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8089, help="port (0 picks a free one)")
    parser.add_argument("--rate-limit-first", type=int, default=0, metavar="N",
                        help="answer the first N API reads with 429 and Retry-After: 1")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        parser.error(f"--host must be a loopback address, not {args.host!r}")
    fake = FakeAuth0(load_seed(args.seed))
    if args.rate_limit_first:
        fake.rate_limit("/api/v2/", times=args.rate_limit_first, retry_after="1")
    server = make_server(fake, args.host, args.port, verbose=args.verbose)
    url = f"http://{args.host}:{server.server_address[1]}"
    print(f"fake Auth0 Management API for tenant {fake.state.domain} on {url} "
          "(Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
