"""One side of a comparison: a spec file on disk, or a spec at a git ref.

Shared by ``tenantcfg diff`` and ``tenantcfg plan --base``. A review gate reads
these, so nothing here may turn a doubt into "no change":

- a side is a git ref only when written ``GIT_REF:path`` and that ref exists, and a
  file only when it is one; a name that is both is refused, never picked silently;
- only "this path is not in that commit" (or "this file does not exist") makes an
  empty side; every other git failure is an error;
- a side that is not a regular file (a directory, a FIFO, a device) is refused.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tenantcfg.spec.loader import LoadedSpec, load_bytes, load_file
from tenantcfg.spec.model import TenantSpec
from tenantcfg.spec.problems import Mark, Problem, SpecError
from tenantcfg.stack.config import parse_stack_config, read_stack_config
from tenantcfg.stack.project import default_spec_path, path_leaves

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


def refuse(name: str, message: str) -> SpecError:
    """The error for a side that cannot be read."""
    return SpecError([Problem(name, Mark(1, 1), "(document)", message)])


def git(name: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run git; a missing or hung git is an error naming the side."""
    try:
        return subprocess.run(["git", *args], capture_output=True, check=False, timeout=GIT_TIMEOUT)
    except FileNotFoundError as e:
        raise refuse(name, "git is not installed; name a spec file instead") from e
    except subprocess.TimeoutExpired as e:
        raise refuse(name, f"git did not answer within {GIT_TIMEOUT} s") from e


def _stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    text = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return text[-1] if text else f"exit status {result.returncode}"


def commit_of(name: str, ref: str) -> str:
    """The commit ``ref`` names; a clear error when there is none."""
    if ref.startswith("-"):
        raise refuse(name, f"{ref!r} is not a git ref")
    found = git(name, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode == 0:
        return found.stdout.decode().strip()
    if git(name, "rev-parse", "--git-dir").returncode != 0:
        raise refuse(
            name, "not inside a git repository; run from the repository or name a spec file"
        )
    raise refuse(
        name,
        f"unknown git ref {ref!r}; fetch it first (git fetch origin, or "
        "actions/checkout with fetch-depth: 0)",
    )


def repository_path(name: str, path: str) -> str:
    """``path`` as a path inside the repository, or an error when it leaves it."""
    if not path or path_leaves(path):
        raise refuse(
            name,
            f"{path!r} is not a path inside the repository; write it from the "
            "repository root, e.g. stacks/prod.yaml",
        )
    return PurePosixPath(path).as_posix()


def git_blob(name: str, commit: str, path: str, where: str | None = None) -> bytes | None:
    """The file ``path`` at ``commit``; None only when that commit has no such path."""
    path = repository_path(name, path)
    where = where or commit[:12]
    listing = git(name, "ls-tree", "-z", "--full-tree", commit, "--", path)
    if listing.returncode != 0:
        raise refuse(name, f"git could not list {path!r} in {where}: {_stderr(listing)}")
    if not listing.stdout:
        return None  # the commit has no such path: an empty side
    meta, _, _ = listing.stdout.partition(b"\t")
    mode, kind, obj = meta.decode().split()
    if kind != "blob" or mode == "120000":
        what = "symbolic link" if mode == "120000" else kind
        raise refuse(name, f"{path!r} is a {what} in {where}, not a spec file")
    blob = git(name, "cat-file", "blob", obj)
    if blob.returncode != 0:
        raise refuse(name, f"git could not read {path!r}: {_stderr(blob)}")
    return blob.stdout


def _read_git(name: str, ref: str, path: str) -> Side:
    if not path:
        raise refuse(
            name, "no path after the git ref; write GIT_REF:path, e.g. origin/main:stacks/prod.yaml"
        )
    raw = git_blob(name, commit_of(name, ref), path, ref)
    return Side(name, None if raw is None else load_bytes(raw, name))


def _read_file(arg: str) -> Side:
    path = Path(arg)
    if not path.exists():
        if path.is_symlink():
            raise refuse(arg, "a symbolic link to nothing, not a spec file")
        return Side(arg, None)  # no such file: an empty side (a stack added or removed)
    return Side(arg, load_file(path))  # which refuses anything but a regular file


def _is_ref(ref: str) -> bool:
    if ref.startswith("-"):
        return False
    return git(ref, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0


def read_side(arg: str) -> Side:
    """Load one side: ``GIT_REF:path`` when written so and the ref exists, else a file.

    A name that is both (a file literally called ``origin/main:stacks/prod.yaml`` while
    ``origin/main`` exists) is refused: either reading would be a silent choice.
    """
    ref, sep, inner = arg.partition(":")
    written_as_ref = bool(sep and ref) and not arg.startswith(("./", "/"))
    if written_as_ref and _is_ref(ref):
        if Path(arg).exists() or Path(arg).is_symlink():
            raise refuse(
                arg,
                f"{arg!r} is both a file and GIT_REF:path; rename the file, or "
                f"write ./{arg} to mean the file",
            )
        return _read_git(arg, ref, inner)
    if written_as_ref and not Path(arg).exists():
        return _read_git(arg, ref, inner)  # an unknown ref: its own clear error
    return _read_file(arg)


def _prefix(name: str, directory: Path) -> str:
    """``directory`` relative to the repository root ('' at the root)."""
    found = git(name, "-C", str(directory), "rev-parse", "--show-prefix")
    if found.returncode != 0:
        raise refuse(name, "not inside a git repository; run from the repository")
    return found.stdout.decode().strip()


def stack_sides(stack: str, base_ref: str, project_dir: Path) -> tuple[Side, Side]:
    """The spec each side's ``Pulumi.<stack>.yaml`` names: at ``base_ref``, and on disk.

    A pull request that moves a stack's spec (its ``auth0-myaccount:spec``) is compared
    spec to spec, whatever the files are called; a stack config that names a path
    outside the project is refused on either side.
    """
    config_name = f"Pulumi.{stack}.yaml"
    label = f"{base_ref}:{config_name}"
    prefix = _prefix(label, project_dir)
    commit = commit_of(label, base_ref)
    raw = git_blob(label, commit, prefix + config_name, base_ref)
    base_spec = (
        parse_stack_config(raw, label, stack).spec_name
        if raw is not None
        else default_spec_path(stack)
    )
    problem = path_leaves(base_spec)  # in git, only the path as written can leave the tree
    if problem:
        raise refuse(label, f"spec path {base_spec!r}: {problem}")
    base_name = f"{base_ref}:{prefix}{base_spec}"
    spec_raw = git_blob(base_name, commit, prefix + base_spec, base_ref)
    base = Side(base_name, None if spec_raw is None else load_bytes(spec_raw, base_name))
    if (project_dir / config_name).exists():
        head_path = read_stack_config(project_dir, stack).spec_path(project_dir)
    else:
        head_path = project_dir / default_spec_path(stack)
    return base, _read_file(str(head_path))
