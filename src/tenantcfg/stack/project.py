"""Facts about a stack that need no Pulumi: its project, its spec path, its tenant guard.

The program (under the engine) and the offline commands both use them.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

PROJECT = "auth0-myaccount"
SPEC_KEY = "spec"
"""Project config key (``auth0-myaccount:spec``) holding the spec path."""


def default_spec_path(stack: str) -> str:
    """Where a stack's spec lives when its config does not say."""
    return f"stacks/{stack}.yaml"


def normalise_domain(value: str) -> str:
    """A domain as written in config, without scheme, trailing slash or case."""
    value = value.strip().lower()
    value = value.removeprefix("https://").removeprefix("http://")
    return value.rstrip("/")


def path_leaves(path: str) -> str | None:
    """Why a relative path as written (in config, or after GIT_REF:) leaves its root, or None."""
    if "\x00" in path:
        return "it holds a NUL character"
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or (len(path) > 1 and path[1] == ":"):
        return "an absolute path"
    if ".." in pure.parts:
        return "it leaves the project directory ('..')"
    return None


def spec_outside(path: str, project: Path) -> str | None:
    """Why a configured spec path leaves the project directory, or None.

    The stack config lives in the repository, but could point anywhere; a spec outside
    the repository changes without any pull request showing it.
    """
    written = path_leaves(path)
    if written is not None:
        return written
    if not (project / path).resolve().is_relative_to(project):
        return "it resolves (through a symbolic link) to a file outside the project"
    return None


def domain_mismatch(spec_domain: str, config_domain: str | None, spec_file: str) -> str | None:
    """Why the spec may not be applied to the stack's tenant, or None when it may."""
    if config_domain is None or normalise_domain(config_domain) == spec_domain:
        return None
    return (
        f"{spec_file} describes tenant {spec_domain!r} but this stack's auth0:domain is "
        f"{config_domain!r}; nothing was declared. Point the stack at the right spec "
        f"(pulumi config set {PROJECT}:{SPEC_KEY} stacks/<stack>.yaml) or fix the domain."
    )


STACK_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
"""A stack name: lower-case letters, digits and inner hyphens. Narrower than Pulumi's on
purpose: GitHub environment names ignore case, so 'Prod' would run in the environment of
'prod'; and it is what the workflows' own patterns match."""
