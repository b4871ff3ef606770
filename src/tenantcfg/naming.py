"""Pulumi names of the resources the program declares, shared with Pulumi-free code.

Kept apart from the component so the spec-only checker can map resource
findings back to spec entries without importing Pulumi.
"""

from __future__ import annotations

COMPONENT_TYPE = "tenantcfg:index:MyAccountApi"
API_RESOURCE_NAME = "my-account-api"
_GRANT_PREFIX = "grant-"


def grant_resource_name(app_name: str) -> str:
    """The Pulumi name of an application's grant; stable, so renames show as replacements."""
    return f"{_GRANT_PREFIX}{app_name}"


def application_of(resource_name: str) -> str | None:
    """The application a grant resource was declared for, or None for other resources."""
    if not resource_name.startswith(_GRANT_PREFIX):
        return None
    return resource_name.removeprefix(_GRANT_PREFIX)
