"""``tenantcfg diff BASE HEAD``: risk-tagged changes between two specs, for pull requests.

Each side is a spec file or ``GIT_REF:path`` read from git
(``origin/main:stacks/prod.yaml``). A side whose file does not exist is an
empty stack, so a new stack shows as all added and a deleted one as all removed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tenantcfg.diff import compare
from tenantcfg.diffview import as_json, as_markdown
from tenantcfg.loader import LoadedSpec, load_bytes, load_file
from tenantcfg.problems import Mark, Problem, SpecError
from tenantcfg.scopes import Risk
from tenantcfg.spec import TenantSpec

GIT_TIMEOUT = 60
"""Seconds; reading one blob takes milliseconds, a hung git must not hang CI."""


@dataclass(frozen=True)
class Side:
    """One side of the comparison: its name as given, and its spec if the file exists."""

    name: str
    loaded: LoadedSpec | None

    @property
    def spec(self) -> TenantSpec | None:
        """The spec, or None when the file does not exist on this side."""
        return self.loaded.spec if self.loaded else None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``diff`` sub-command."""
    parser = sub.add_parser(
        "diff", help="risk-tagged changes between two specs (Markdown for a PR comment, JSON)",
        description="Compare two specs: settings and policies, applications, scopes per "
        "application and waivers, each change tagged with its risk. Exit 0, or 1 with "
        "--fail-on when a change raises risk to that level; 2 invalid input.")
    parser.add_argument("base", metavar="BASE",
                        help="spec file or GIT_REF:path, e.g. origin/main:stacks/prod.yaml")
    parser.add_argument("head", metavar="HEAD", help="spec file or GIT_REF:path")
    parser.add_argument("--format", choices=("md", "json"), default="md")
    parser.add_argument("--fail-on", choices=[r.value for r in Risk], metavar="LEVEL",
                        help="exit 1 when a change raises risk to LEVEL or above "
                        "(low, medium, high, critical)")
    parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
    parser.set_defaults(handler=run)


def _refuse(name: str, message: str) -> SpecError:
    return SpecError([Problem(name, Mark(1, 1), "(document)", message)])


def _git(name: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], capture_output=True, check=False,
                              timeout=GIT_TIMEOUT)
    except FileNotFoundError as e:
        raise _refuse(name, "git is not installed; name a spec file instead") from e
    except subprocess.TimeoutExpired as e:
        raise _refuse(name, f"git did not answer within {GIT_TIMEOUT} s") from e


def _commit(name: str, ref: str) -> str:
    """The commit ``ref`` names; a clear error when there is none."""
    if ref.startswith("-"):
        raise _refuse(name, f"{ref!r} is not a git ref")
    found = _git(name, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode == 0:
        return found.stdout.decode().strip()
    if _git(name, "rev-parse", "--git-dir").returncode != 0:
        raise _refuse(name, "not inside a git repository; run from the repository or name a "
                      "spec file")
    raise _refuse(name, f"unknown git ref {ref!r}; fetch it first (git fetch origin, or "
                  "actions/checkout with fetch-depth: 0)")


def _read_git(name: str, ref: str, path: str) -> Side:
    if not path:
        raise _refuse(name, "no path after the git ref; write GIT_REF:path, e.g. "
                      "origin/main:stacks/prod.yaml")
    obj = f"{_commit(name, ref)}:{path}"
    kind = _git(name, "cat-file", "-t", obj)
    if kind.returncode != 0:
        return Side(name, None)  # the commit has no such file: an empty side
    if kind.stdout.strip() != b"blob":
        raise _refuse(name, f"{path!r} is a {kind.stdout.decode().strip()} in {ref}, "
                      "not a spec file")
    blob = _git(name, "cat-file", "blob", obj)
    if blob.returncode != 0:
        raise _refuse(name, f"git could not read it: {blob.stderr.decode().strip()}")
    return Side(name, load_bytes(blob.stdout, name))


def read_side(arg: str) -> Side:
    """Load one side: a file on disk, else ``GIT_REF:path``; missing means empty."""
    path = Path(arg)
    if path.is_file():
        return Side(arg, load_file(path))
    if path.exists():
        raise _refuse(arg, "a directory, not a spec file")
    ref, sep, inner = arg.partition(":")
    if sep and ref:
        return _read_git(arg, ref, inner)
    return Side(arg, None)


def _read_both(base_arg: str, head_arg: str) -> tuple[Side, Side]:
    """Both sides, with the problems of both reported at once."""
    sides: list[Side] = []
    problems: list[Problem] = []
    for arg in (base_arg, head_arg):
        try:
            sides.append(read_side(arg))
        except SpecError as e:
            problems += e.problems
    if problems:
        raise SpecError(problems)
    base, head = sides
    if base.loaded is None and head.loaded is None:
        raise SpecError([Problem("(command line)", Mark(1, 1), "BASE, HEAD",
                                 f"neither {base_arg!r} nor {head_arg!r} exists; check both "
                                 "paths (and the git ref)")])
    return base, head


def run(args: argparse.Namespace) -> int:
    """Execute ``diff``; 1 only when --fail-on is given and reached."""
    base, head = _read_both(args.base, args.head)
    for side in (base, head):
        if side.loaded is None:
            print(f"note: {side.name} does not exist; compared as an empty stack",
                  file=sys.stderr)
    result = compare(base.spec, head.spec, base.name, head.name)
    text = as_json(result) if args.format == "json" else as_markdown(result)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if args.fail_on and result.raises_to(Risk(args.fail_on)) else 0
