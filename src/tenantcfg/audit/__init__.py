"""Read-only audit of a live tenant: read it through the Management API, judge it.

The live My Account API, its client grants and the applications they name are read
with the official auth0-python client (:mod:`.client`, :mod:`.reader`), judged by the
shared policy rules and compared with the spec (:mod:`.drift`), and reported as text,
JSON, SARIF or annotations (:mod:`.render`). Nothing here ever writes to the tenant.
"""

from tenantcfg.audit.errors import AuditFailure

__all__ = ["AuditFailure"]
