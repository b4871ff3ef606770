"""Strict YAML reading: plain data only, with the position of every key and value.

PyYAML keeps the last of two equal keys without a word; in a reviewed security
file that hides a ``policy: allow_all`` under a line the reviewer approved. This
reader refuses duplicate keys, anchors and aliases (a reviewer must see every
value where it applies), tags other than YAML's plain types, several documents
in one file, and input larger, deeper or with longer lines than a spec ever needs.

The reading is in three parts: the bytes and lines (:mod:`tenantcfg.spec.yamltext`),
the nodes composed and walked with their positions (:mod:`tenantcfg.spec.yamlnodes`),
and here the document they make, with its index of positions.

Speed: libyaml (PyYAML's C parser) composes the node tree whenever the text
cannot hold an anchor or alias, which is nearly always; otherwise, or without
libyaml, a composer that refuses them at their first event does the work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import Node

from tenantcfg.spec.problems import Mark, Problem, SpecError, SpecPath
from tenantcfg.spec.yamlnodes import LIBYAML, MAX_DEPTH, Builder, Refused, loader, node_mark
from tenantcfg.spec.yamltext import MAX_BYTES, MAX_LINE, decode, unprintable

__all__ = ["LIBYAML", "MAX_BYTES", "MAX_DEPTH", "MAX_LINE", "YamlDocument", "parse_yaml"]

_MAY_ANCHOR = re.compile(r"(?:^|[\s\ufeff\[\]{},:?-])[&*]")
"""Where an anchor (&a) or alias (*a) could begin: after a separator or flow indicator."""


@dataclass(frozen=True)
class YamlDocument:
    """Plain data read from a file, with positions of values and of keys."""

    file: str
    data: Any
    values: dict[SpecPath, Mark] = field(default_factory=dict)
    keys: dict[SpecPath, Mark] = field(default_factory=dict)

    def mark_of(self, path: SpecPath, *, key: bool = False) -> Mark:
        """The position of ``path``, or of its nearest enclosing node that exists."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Mark(1, 1)


def _compose(text: str) -> Node | None:
    composer = loader(text, may_anchor=_MAY_ANCHOR.search(text) is not None)
    try:
        return composer.get_single_node()  # type: ignore[no-any-return]
    finally:
        composer.dispose()


_KINDS = {
    list: "a list",
    str: "a text value",
    int: "a number",
    float: "a number",
    bool: "a boolean",
}
"""What a document that is not a mapping is, in YAML words rather than Python's."""


def _syntax(text: str, where: Mark, what: str) -> str:
    """A parser's complaint, with the fix for the two mistakes people make most."""
    lines = text.split("\n")
    line = lines[where.line - 1] if where.line <= len(lines) else ""
    if line[where.col - 1 : where.col] == "\t":
        return "a tab character; YAML indents with spaces only: replace the tab with spaces"
    if "but found another document" in what:
        return (
            "a second YAML document ('---'); a spec is one document: remove the '---' "
            "line and merge or split the files"
        )
    return f"not valid YAML: {what}"


def parse_yaml(raw: bytes, file: str) -> YamlDocument:
    """Read one YAML document of plain data; raise SpecError naming every problem."""
    text = decode(raw, file)
    try:
        root = _compose(text)
        builder = Builder(file)
        data = None if root is None else builder.build(root, ())
    except Refused as e:
        raise SpecError([Problem(file, e.mark, "(document)", e.message)]) from e
    except yaml.reader.ReaderError as e:
        raise SpecError([unprintable(text, file)]) from e
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        what = " ".join(str(x) for x in (e.context, e.problem) if x)
        if "exceeded maximum nesting depth" in what:  # libyaml's own bound, 1,000 levels
            raise SpecError(
                [Problem(file, where, "(document)", f"nesting is deeper than {MAX_DEPTH} levels")]
            ) from e
        raise SpecError([Problem(file, where, "(document)", _syntax(text, where, what))]) from e
    except yaml.YAMLError as e:
        raise SpecError([Problem(file, Mark(1, 1), "(document)", f"not valid YAML: {e}")]) from e
    if root is None:
        raise SpecError(
            [
                Problem(
                    file,
                    Mark(1, 1),
                    "(document)",
                    "the file is empty; a spec is a mapping with at least 'tenant: {domain: ...}'",
                )
            ]
        )
    if builder.problems:
        raise SpecError(builder.problems)
    if not isinstance(data, dict):
        kind = _KINDS.get(type(data), "a single value")
        raise SpecError(
            [
                Problem(
                    file,
                    node_mark(root),
                    "(document)",
                    f"the document is {kind}; a spec is a mapping of keys such "
                    "as 'tenant' and 'applications'",
                )
            ]
        )
    return YamlDocument(file, data, builder.values, builder.keys)
