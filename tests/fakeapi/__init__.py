"""A stateful fake of the Auth0 Management API endpoints tenantcfg reads and writes.

Its answers follow recorded Auth0 traffic (``tests/fixtures/recordings``) and its bodies
the published Management API spec (``tests/fixtures/openapi``); every answer that no
recording shows says in code what it is modelled on. Use it in-process through
``FakeAuth0(state).transport()`` (an ``httpx.MockTransport``), or serve it on a loopback
port with ``python -m tests.fakeapi --seed FILE --port 8089``.
"""

from .app import Exchange, FakeAuth0
from .faults import Fault
from .state import MANAGEMENT_SCOPES, TenantState, load_seed, state_from_seed

__all__ = [
    "MANAGEMENT_SCOPES",
    "Exchange",
    "FakeAuth0",
    "Fault",
    "TenantState",
    "load_seed",
    "state_from_seed",
]
