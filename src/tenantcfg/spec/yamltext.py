"""The bytes of a YAML file before any parser reads them: size, encoding and lines.

A spec larger than any spec needs, not UTF-8, holding a character YAML takes as a
line break (so that messages would point at the wrong line) or a line longer than a
reviewer can see whole in a diff is refused here, naming where.
"""

from __future__ import annotations

import re

from yaml.reader import Reader

from tenantcfg.spec.problems import Mark, Problem, SpecError

MAX_BYTES = 8 * 1024 * 1024
"""Room for the most applications a spec may hold (loader.MAX_APPLICATIONS, 10,000)
written out with owner, justification and comments (about 500 bytes each)."""

MAX_LINE = 4096
"""Characters on one line. A reviewer must see every value whole in a diff (and a
message quoting a value stays readable); longer text folds over lines with '>-'."""

_LINE_BREAKS = re.compile("[\u0085\u2028\u2029\ufeff]")
"""Characters YAML may take as line breaks (or a stray byte-order mark): positions in
messages would then point at the wrong line, so they are refused where they stand."""


def decode(raw: bytes, file: str) -> str:
    """The text of a file, or SpecError when its size, encoding or lines are refused."""
    if len(raw) > MAX_BYTES:
        raise SpecError(
            [
                Problem(
                    file,
                    Mark(1, 1),
                    "(document)",
                    f"file is {len(raw)} bytes; specs are limited to {MAX_BYTES} "
                    "bytes: split the applications across stacks",
                )
            ]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start].decode("utf-8")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        raise SpecError(
            [
                Problem(
                    file,
                    Mark(line, col),
                    "(document)",
                    f"byte 0x{raw[e.start]:02x} is not UTF-8; save the file as UTF-8",
                )
            ]
        ) from e
    text = text.removeprefix("\ufeff")
    odd = _LINE_BREAKS.search(text)
    if odd is not None:
        before = text[: odd.start()]
        mark = Mark(before.count("\n") + 1, odd.start() - (before.rfind("\n") + 1) + 1)
        name = {
            "\u0085": "a NEL line break",
            "\u2028": "a Unicode line separator",
            "\u2029": "a Unicode paragraph separator",
            "\ufeff": "a byte-order mark in mid-file",
        }[odd.group()]
        raise SpecError(
            [
                Problem(
                    file,
                    mark,
                    "(document)",
                    f"{name} (U+{ord(odd.group()):04X}): invisible in an editor, it "
                    "shifts where YAML thinks lines begin; remove it",
                )
            ]
        )
    if len(text) > MAX_LINE:
        _refuse_long_lines(text, file)
    return text


def _refuse_long_lines(text: str, file: str) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > MAX_LINE:
            raise SpecError(
                [
                    Problem(
                        file,
                        Mark(number, MAX_LINE + 1),
                        "(document)",
                        f"line {number} is {len(line)} characters long; specs are "
                        f"limited to {MAX_LINE} a line so reviewers see every value "
                        "whole: fold long text over several lines with '>-'",
                    )
                ]
            )


def unprintable(text: str, file: str) -> Problem:
    """Where the first character YAML does not allow stands, for the reader's error."""
    found = Reader.NON_PRINTABLE.search(text)
    if found is None:
        return Problem(file, Mark(1, 1), "(document)", "not valid YAML: unreadable characters")
    before = text[: found.start()]
    mark = Mark(before.count("\n") + 1, found.start() - (before.rfind("\n") + 1) + 1)
    return Problem(
        file,
        mark,
        "(document)",
        f"character U+{ord(found.group()):04X} is a "
        "control character, which YAML does not allow; remove it",
    )
