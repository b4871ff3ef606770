"""Load a spec file: strict YAML, then the schema, every error at file:line:col."""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tenantcfg.spec.model import TenantSpec, validation_context
from tenantcfg.spec.problems import Mark, Problem, SpecError, dotted
from tenantcfg.spec.secretscan import find_secrets, secrets_in_comments
from tenantcfg.spec.yamlsource import MAX_BYTES, YamlDocument, parse_yaml

MAX_APPLICATIONS = 10_000
"""Far above any tenant's first-party applications; bounds memory and run time."""


@dataclass(frozen=True)
class LoadedSpec:
    """A valid spec with the positions of its source, for messages about it."""

    spec: TenantSpec
    source: YamlDocument

    @property
    def file(self) -> str:
        """The path of the spec file as the user named it."""
        return self.source.file


_EXPECTED = {
    "model_type": "keys indented under it",
    "dict_type": "keys indented under it",
    "list_type": "a list",
    "string_type": "a text value",
    "int_type": "a whole number",
    "bool_type": "true or false",
}
"""What a key left empty should have held, by pydantic error type."""


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "missing":
        return f"required key {err['loc'][-1]!r} is missing"
    if kind == "extra_forbidden":
        return f"unknown key {err['loc'][-1]!r}; check its spelling and indentation"
    if kind == "value_error":
        ctx: dict[str, Any] = dict(err.get("ctx") or {})
        return str(ctx.get("error", err["msg"]))
    return _type_message(kind, err["msg"], err.get("input"))


def _as_written(got: Any) -> str:
    """A value as YAML shows it, not as Python's repr would (a date is 2026-01-01)."""
    if isinstance(got, bool):
        return "true" if got else "false"
    if isinstance(got, dt.date | dt.datetime):
        return got.isoformat()
    if isinstance(got, str):
        return repr(got)
    return str(got)


def _type_message(kind: str, msg: str, got: Any) -> str:
    if got is None and kind in _EXPECTED:  # `key:` with nothing after it
        return f"no value given; expected {_EXPECTED[kind]}"
    shown = "" if isinstance(got, dict | list) else f" (got {_as_written(got)})"
    if kind in ("model_type", "dict_type"):  # pydantic would name a Python class here
        return f"expected a mapping of keys and values{shown}"
    if kind == "string_type" and isinstance(got, dt.date | dt.datetime):
        return f"{msg}{shown}; unquoted, YAML reads it as a date: put the value in quotes"
    if kind == "string_type" and isinstance(got, bool | int | float):
        # `client_id: no` or `owner: 1234` were meant as text: YAML 1.1 typed them.
        return (
            f"{msg}{shown}; unquoted, YAML reads it as a boolean or a number: "
            "put the value in quotes"
        )
    if kind.startswith("date") and isinstance(got, str):
        # In strict mode a quoted date is text; YAML only reads bare YYYY-MM-DD as a date.
        return f"expected a date{shown}; write it unquoted as YYYY-MM-DD, e.g. 2027-03-31"
    return f"{msg}{shown}"


def _problem(doc: YamlDocument, err: ErrorDetails) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    if loc and loc[-1] == "[key]":  # the key itself is wrong (an application's name)
        loc = loc[:-1]
        mark = doc.mark_of(loc, key=True)
    elif kind == "missing":
        mark = doc.mark_of(loc[:-1], key=True)
    else:
        mark = doc.mark_of(loc, key=kind in ("extra_forbidden",))
    return Problem(doc.file, mark, dotted(loc), _message(err))


def _refuse_secrets(doc: YamlDocument) -> None:
    problems = [
        Problem(
            doc.file,
            doc.mark_of(path, key=key),
            dotted(path[:-1] if key else path),
            f"this looks like {what}; remove it from the spec, rotate it if it was ever "
            "committed, and keep credentials in 'pulumi config set --secret'",
        )
        for path, what, key in find_secrets(doc.data)
    ]
    if problems:
        raise SpecError(problems)


def _refuse_oversize(doc: YamlDocument) -> None:
    apps = doc.data.get("applications")
    if isinstance(apps, dict) and len(apps) > MAX_APPLICATIONS:
        raise SpecError(
            [
                Problem(
                    doc.file,
                    doc.mark_of(("applications",), key=True),
                    "applications",
                    f"{len(apps)} applications; a spec holds at "
                    f"most {MAX_APPLICATIONS}: split the tenant's applications "
                    "across stacks or raise the limit deliberately",
                )
            ]
        )


def validate(doc: YamlDocument) -> LoadedSpec:
    """Check plain data against the schema; SpecError lists every problem."""
    _refuse_secrets(doc)
    _refuse_oversize(doc)
    try:
        spec = TenantSpec.model_validate(doc.data, context=validation_context(doc.data))
    except ValidationError as e:
        raise SpecError([_problem(doc, err) for err in e.errors()]) from e
    return LoadedSpec(spec, doc)


def load_bytes(raw: bytes, file: str) -> LoadedSpec:
    """Load a spec from bytes; ``file`` is the name used in messages."""
    doc = parse_yaml(raw, file)  # refuses anything that is not UTF-8 first
    problems = [
        Problem(
            file,
            Mark(line, col),
            "(comment)",
            f"this comment holds what looks like {what}; remove it, rotate it if it "
            "was ever committed, and keep credentials in 'pulumi config set --secret'",
        )
        for line, col, what in secrets_in_comments(raw.decode("utf-8"))
    ]
    if problems:
        raise SpecError(problems)
    return validate(doc)


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a file"


def read_bounded(path: str | FsPath, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, reading at most ``limit`` + 1 of them.

    Opened without blocking and checked before reading: a FIFO would hang, and
    /dev/zero or a huge file would fill the memory before the size limit applied.
    """
    name = str(path)

    def refuse(message: str) -> SpecError:
        return SpecError([Problem(name, Mark(1, 1), "(document)", message)])

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise refuse(f"cannot read the spec file: {e.strerror or type(e).__name__}") from e
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):  # checked on the descriptor: a directory cannot be opened as a file
        os.close(fd)
        raise refuse(f"{_kind(mode)}, not a regular spec file; name the spec file itself")
    with os.fdopen(fd, "rb") as f:
        try:
            raw = f.read(limit + 1)
        except OSError as e:
            raise refuse(f"cannot read the spec file: {e.strerror or type(e).__name__}") from e
    if len(raw) > limit:
        raise refuse(
            f"file is larger than {limit} bytes; specs are limited to {limit} bytes "
            f"({limit // (1024 * 1024)} MiB)"
        )
    return raw


def load_file(path: str | FsPath) -> LoadedSpec:
    """Load a spec file; a missing or unreadable file is a SpecError too."""
    return load_bytes(read_bounded(path), str(path))
