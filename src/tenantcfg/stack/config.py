"""Read a stack's ``Pulumi.<stack>.yaml`` the way the Pulumi CLI hands config to a program.

The SDK does not read stack files (the CLI does), so offline commands read them
here. Secure values cannot be decrypted without the backend: they are left
out and named, never guessed.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenantcfg.spec.problems import Mark, Problem, SpecError
from tenantcfg.spec.yamlsource import parse_yaml
from tenantcfg.stack.project import PROJECT, SPEC_KEY, STACK_NAME, default_spec_path, spec_outside


@dataclass(frozen=True)
class StackConfig:
    """A stack's plain config, fully qualified keys to string values."""

    stack: str
    file: str
    values: dict[str, str] = field(default_factory=dict)
    secure_keys: tuple[str, ...] = ()

    @property
    def domain(self) -> str | None:
        """The tenant domain the stack's auth0 provider talks to, if set."""
        return self.values.get("auth0:domain")

    @property
    def spec_name(self) -> str:
        """The stack's spec as its config writes it (relative to the project)."""
        return self.values.get(f"{PROJECT}:{SPEC_KEY}", default_spec_path(self.stack))

    def spec_path(self, project_dir: Path) -> Path:
        """The stack's spec file: its config value, else stacks/<stack>.yaml.

        It must lie inside the project: a spec elsewhere is outside what a pull request
        shows and what the diff job reads, so a review could never see it change.
        """
        problem = spec_outside(self.spec_name, project_dir.resolve())
        if problem:
            raise SpecError(
                [
                    Problem(
                        self.file,
                        Mark(1, 1),
                        f"config.{PROJECT}:{SPEC_KEY}",
                        f"spec path {self.spec_name!r}: {problem}; keep the spec "
                        "in the repository, e.g. stacks/<stack>.yaml",
                    )
                ]
            )
        return project_dir / self.spec_name


def _qualify(key: str) -> str:
    return key if ":" in key else f"{PROJECT}:{key}"


def _as_config_string(value: Any) -> str:
    # The CLI passes structured values to programs as JSON text.
    return value if isinstance(value, str) else json.dumps(value)


def read_stack_config(project_dir: Path, stack: str) -> StackConfig:
    """Read ``Pulumi.<stack>.yaml`` in ``project_dir``; SpecError when missing or invalid."""
    path = project_dir / f"Pulumi.{stack}.yaml"
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SpecError(
            [
                Problem(
                    str(path),
                    Mark(1, 1),
                    "(document)",
                    f"no stack config for stack {stack!r} ({e.strerror}); "
                    f"create it with 'pulumi stack init {stack}' or pass "
                    "--spec FILE",
                )
            ]
        ) from e
    return parse_stack_config(raw, str(path), stack)


def parse_stack_config(raw: bytes, file: str, stack: str) -> StackConfig:
    """A stack config from the bytes of a ``Pulumi.<stack>.yaml`` named ``file``."""
    doc = parse_yaml(raw, file)
    if not isinstance(doc.data, dict):
        raise SpecError(
            [
                Problem(
                    file,
                    Mark(1, 1),
                    "(document)",
                    "a stack config is a mapping with a 'config' key",
                )
            ]
        )
    config = doc.data.get("config") or {}
    if not isinstance(config, dict):
        raise SpecError(
            [
                Problem(
                    file,
                    doc.mark_of(("config",)),
                    "config",
                    "'config' must be a mapping of keys to values",
                )
            ]
        )
    values: dict[str, str] = {}
    secure: list[str] = []
    for key, value in config.items():
        if isinstance(value, dict) and set(value) == {"secure"}:
            secure.append(_qualify(key))
        else:
            values[_qualify(key)] = _as_config_string(value)
    return StackConfig(stack, file, values, tuple(secure))


_CONFIG_FILE = re.compile(r"Pulumi\.(?P<stack>.+)\.yaml")


def find_stacks(project_dir: Path) -> tuple[list[str], list[str]]:
    """(stacks, problems): every ``Pulumi.<stack>.yaml`` in the project, by name.

    A stack is its config file: adding a tenant is adding that file and its spec. A
    project without any, a config file whose name is not a stack name or that is a
    link, and a spec in ``stacks/`` that no config names, are problems to report.
    """
    stacks: list[str] = []
    problems: list[str] = []
    named: set[str] = set()
    if not (project_dir / "Pulumi.yaml").is_file():
        return [], [f"{project_dir}: no Pulumi.yaml, so not the project directory"]
    for path in sorted(project_dir.glob("Pulumi.*.yaml")):
        match = _CONFIG_FILE.fullmatch(path.name)
        if match is None:
            continue
        if not STACK_NAME.fullmatch(match["stack"]):
            problems.append(
                f"{path.name}: not a stack name (lower-case letters, digits and hyphens)"
            )
            continue
        if path.is_symlink():
            problems.append(f"{path.name}: a symbolic link; each stack has its own config file")
            continue
        stacks.append(match["stack"])
        try:
            named.add(posixpath.normpath(read_stack_config(project_dir, match["stack"]).spec_name))
        except SpecError as e:
            problems += e.lines()
    for spec in sorted((project_dir / "stacks").glob("*.yaml")):
        if f"stacks/{spec.name}" not in named:
            problems.append(
                f"stacks/{spec.name}: no Pulumi.<stack>.yaml names this spec, so no workflow "
                f"checks or deploys it; `tenantcfg import --stack {spec.stem}` writes one"
            )
    if not stacks and not problems:
        problems.append(f"{project_dir}: no Pulumi.<stack>.yaml, so no stack to check or deploy")
    return stacks, problems
