"""Serve a :class:`FakeAuth0` over plain HTTP on a loopback port (standard library only).

The same handler as in-process tests: each HTTP request becomes an ``httpx.Request``
for :meth:`FakeAuth0.handle`, and its answer is written back. A simulated timeout
holds the connection for ``hang`` seconds and then closes it without an answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx

from tenantcfg.audit.credentials import is_loopback

from .app import FakeAuth0

_SKIP_HEADERS = {"content-length", "transfer-encoding", "connection"}


def read_request(handler: BaseHTTPRequestHandler, base_url: str) -> httpx.Request:
    """The request a handler is serving, as the ``httpx.Request`` the fake answers."""
    length = int(handler.headers.get("content-length") or 0)
    content = handler.rfile.read(length) if length else b""
    headers = {k: v for k, v in handler.headers.items() if k.lower() not in _SKIP_HEADERS}
    return httpx.Request(
        handler.command, f"{base_url}{handler.path}", headers=headers, content=content
    )


def write_response(handler: BaseHTTPRequestHandler, response: httpx.Response) -> None:
    """Send the fake's answer back on the handler's connection."""
    handler.send_response(response.status_code)
    for key, value in response.headers.items():
        if key.lower() not in _SKIP_HEADERS:
            handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(response.content)))
    handler.end_headers()
    handler.wfile.write(response.content)


def make_server(
    fake: FakeAuth0,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    hang: float = 5.0,
    verbose: bool = False,
) -> HTTPServer:
    """A bound (not yet serving) HTTP server for ``fake``; port 0 picks a free one."""
    if not is_loopback(host):
        raise ValueError(f"the fake only listens on a loopback address, not {host!r}")

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            request = read_request(self, f"http://{host}:{port}")
            try:
                response = fake.handle(request)
            except httpx.TimeoutException:
                time.sleep(hang)
                self.close_connection = True
                return
            write_response(self, response)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            if verbose:
                super().log_message(format, *args)

    return HTTPServer((host, port), Handler)


@contextmanager
def running(fake: FakeAuth0, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``fake`` in a background thread; yields its base URL, e.g. http://127.0.0.1:PORT."""
    with serving(make_server(fake, host, port)) as server:
        yield f"http://{host}:{server.server_address[1]}"


SHUTDOWN_POLL = 0.02
"""Seconds between the serving loop's checks for a shutdown request. The standard
library's 0.5 s made every server a test stops cost up to half a second."""


@contextmanager
def serving(server: HTTPServer) -> Iterator[HTTPServer]:
    """Serve ``server`` in a background thread; shut it down and close it at the end."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
