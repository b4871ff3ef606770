"""Pulumi names of the resources the program declares, shared with Pulumi-free code.

Kept apart from the component so the spec-only checker can map resource
findings back to spec entries without importing Pulumi.

A grant is named after its application's client id, not the spec's key for the
application: renaming an entry must not change the resource. (A changed name is
a create plus a delete; the auth0 provider's create adopts the live grant of the
same client, and the delete then removes that very grant.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

COMPONENT_TYPE = "tenantcfg:index:MyAccountApi"
API_RESOURCE_NAME = "my-account-api"
_GRANT_PREFIX = "grant-"


def grant_resource_names(client_ids: Mapping[str, str]) -> dict[str, str]:
    """The Pulumi name of each application's grant, from application -> client id.

    ``grant-<client id>``. A client id declared twice (which MYACC-012 refuses) gets
    ``grant-<client id>-<application>`` for each of its entries, so that both still
    reach the policy rules instead of colliding in the engine.
    """
    shared = Counter(client_ids.values())
    return {
        app: f"{_GRANT_PREFIX}{cid}" if shared[cid] == 1 else f"{_GRANT_PREFIX}{cid}-{app}"
        for app, cid in client_ids.items()
    }


def legacy_grant_resource_name(app_name: str) -> str:
    """The name grants had before they were named by client id (kept as an alias)."""
    return f"{_GRANT_PREFIX}{app_name}"


def applications_by_resource(client_ids: Mapping[str, str]) -> dict[str, str]:
    """Grant resource name -> application, the inverse of :func:`grant_resource_names`."""
    return {name: app for app, name in grant_resource_names(client_ids).items()}
