"""The Pulumi program: read the stack's config and spec, declare the component, export.

The root ``__main__.py`` calls :func:`run`; the offline runner calls it too,
under mocks, so both see exactly the same program.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tenantcfg.spec.loader import LoadedSpec, load_file
from tenantcfg.spec.problems import SpecError
from tenantcfg.stack.project import (
    PROJECT,
    SPEC_KEY,
    default_spec_path,
    domain_mismatch,
    spec_outside,
)

__all__ = ["PROJECT", "SPEC_KEY", "declare", "load_stack_spec", "run"]

if TYPE_CHECKING:
    from tenantcfg.deploy.component import MyAccountApi

# Pulumi is imported inside the functions that need it: the names and helpers
# below also serve Pulumi-free commands (`tenantcfg check --spec-only`).


def _under_mocks() -> bool:
    """Whether this is an offline run (tenantcfg plan/check), not the engine.

    Offline runs read a spec the user named on the command line, wherever it is; the
    commands check stack configs themselves (StackConfig.spec_path). Under the engine
    the spec path comes from the stack config alone, so it must stay in the project.
    """
    import pulumi  # noqa: PLC0415
    from pulumi.runtime.mocks import MockMonitor  # noqa: PLC0415

    monitor = getattr(pulumi.runtime.settings.SETTINGS, "monitor", None)
    return isinstance(monitor, MockMonitor)


def load_stack_spec(base: Path | None = None) -> LoadedSpec:
    """Load the current stack's spec and check it belongs to the stack's tenant.

    Raises pulumi.RunError, which the CLI prints without a traceback.
    """
    import pulumi  # noqa: PLC0415

    stack = pulumi.get_stack()
    path = pulumi.Config().get(SPEC_KEY) or default_spec_path(stack)
    project = (base or Path.cwd()).resolve()
    full = project / path
    outside = None if _under_mocks() else spec_outside(path, project)
    if outside:
        raise pulumi.RunError(
            f"the stack's spec path {path!r}: {outside}; keep the spec in "
            "the repository, where pull requests show its changes"
        )
    try:
        loaded = load_file(full)
    except SpecError as e:
        raise pulumi.RunError(f"invalid spec:\n{e}") from e
    # The provider falls back to AUTH0_DOMAIN when the stack sets no auth0:domain: guard
    # against the tenant it would really talk to.
    configured = pulumi.Config("auth0").get("domain") or os.environ.get("AUTH0_DOMAIN") or None
    problem = domain_mismatch(loaded.spec.tenant.domain, configured, path)
    if problem:
        raise pulumi.RunError(problem)
    if configured is None and not _under_mocks():
        pulumi.log.warn(
            f"neither auth0:domain nor AUTH0_DOMAIN is set: the check that {path} "
            "belongs to this stack's tenant could not run"
        )
    return loaded


def declare(loaded: LoadedSpec) -> MyAccountApi:
    """Declare the component for a loaded spec and export the stack outputs."""
    import pulumi  # noqa: PLC0415

    from tenantcfg.deploy.component import MyAccountApi, grant_scopes  # noqa: PLC0415

    component = MyAccountApi("my-account", loaded.spec)
    pulumi.export("audience", component.audience)
    # The scopes are the grant's inputs, known at declaration: exporting them as plain
    # data spares an Output per grant (a large spec declares thousands of grants).
    apps = loaded.spec.applications
    pulumi.export(
        "grants",
        {
            name: {"id": grant.id, "scopes": grant_scopes(apps[name])}
            for name, grant in component.grants.items()
        },
    )
    return component


def run() -> None:
    """The whole program, as ``pulumi up`` runs it."""
    declare(load_stack_spec())
