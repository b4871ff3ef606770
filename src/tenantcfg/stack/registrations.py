"""What a program registered, as plain data: read by the plan and the checks without Pulumi."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Registration:
    """One resource as the program registered it."""

    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    protect: bool
    retain_on_delete: bool
    import_id: str
    dependencies: tuple[str, ...] = ()
    alias_names: tuple[str, ...] = ()
    """Earlier names the engine may find this resource under (name-only aliases)."""


@dataclass
class OfflineRun:
    """What one offline run of a program declared."""

    registrations: list[Registration] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)

    def of_type(self, type_token: str) -> list[Registration]:
        """The registrations of one resource type, in registration order."""
        return [r for r in self.registrations if r.type == type_token]
