"""Which spec and which stack config a command works on."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tenantcfg.inert.terminal import one_line
from tenantcfg.spec.loader import LoadedSpec, load_file
from tenantcfg.spec.problems import Mark, Problem, SpecError
from tenantcfg.stack.config import read_stack_config
from tenantcfg.stack.project import PROJECT, SPEC_KEY, domain_mismatch


@dataclass(frozen=True)
class Target:
    """A loaded spec and the config the program would run with."""

    stack: str
    loaded: LoadedSpec
    config: dict[str, str] = field(default_factory=dict)
    secure_keys: tuple[str, ...] = ()


def add_project_dir(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, when: str = ""
) -> None:
    """--project-dir, the directory holding Pulumi.yaml; ``when`` says when it matters."""
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=Path("."),
        help=f"{when}directory holding Pulumi.yaml (default: current directory)",
    )


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """--stack / --spec / --project-dir, shared by every command that reads a spec."""
    group = parser.add_argument_group("what to read")
    group.add_argument("--stack", help="stack name: reads Pulumi.<stack>.yaml and its spec")
    group.add_argument("--spec", type=Path, help="spec file; alone, no stack config is needed")
    add_project_dir(group)


def resolve_target(args: argparse.Namespace) -> Target:
    """Load what --stack/--spec name; SpecError for anything invalid or missing."""
    project_dir: Path = args.project_dir
    if args.stack is None and args.spec is None:
        raise SpecError(
            [
                Problem(
                    "(command line)",
                    Mark(1, 1),
                    "--stack",
                    "name a stack (--stack dev) or a spec file (--spec FILE)",
                )
            ]
        )
    if args.stack is None:
        loaded = load_file(args.spec)
        config = {f"{PROJECT}:{SPEC_KEY}": str(Path(args.spec).resolve())}
        return Target(Path(args.spec).stem, loaded, config)
    stack_config = read_stack_config(project_dir, args.stack)
    spec_path = Path(args.spec) if args.spec else stack_config.spec_path(project_dir)
    loaded = load_file(spec_path)
    problem = domain_mismatch(loaded.spec.tenant.domain, stack_config.domain, loaded.file)
    if stack_config.domain is None:
        why = (
            "is a secret, which offline commands cannot decrypt"
            if "auth0:domain" in stack_config.secure_keys
            else "is not set"
        )
        print(
            one_line(
                f"note: {stack_config.file}: auth0:domain {why}, so the check that "
                f"{loaded.file} describes this stack's tenant did not run here; "
                "pulumi preview and up run it"
            ),
            file=sys.stderr,
        )
    if problem:
        raise SpecError(
            [
                Problem(
                    loaded.file,
                    loaded.source.mark_of(("tenant", "domain")),
                    "tenant.domain",
                    problem,
                )
            ]
        )
    config = dict(stack_config.values)
    config[f"{PROJECT}:{SPEC_KEY}"] = str(spec_path.resolve())
    return Target(args.stack, loaded, config, stack_config.secure_keys)
