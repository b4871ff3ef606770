"""Strict YAML reading: plain data only, with the position of every key and value.

PyYAML keeps the last of two equal keys without a word; in a reviewed security
file that hides a ``policy: allow_all`` under a line the reviewer approved. This
reader refuses duplicate keys, anchors and aliases (a reviewer must see every
value where it applies), tags other than YAML's plain types, several documents
in one file, and input larger or deeper than a spec ever needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tenantcfg.problems import Mark, Path, Problem, SpecError, dotted

MAX_BYTES = 1024 * 1024
"""A spec of several thousand applications is far below this."""

MAX_DEPTH = 32
"""Specs nest five levels deep; anything deeper is not a spec."""

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp")
}


@dataclass(frozen=True)
class YamlDocument:
    """Plain data read from a file, with positions of values and of keys."""

    file: str
    data: Any
    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def mark_of(self, path: Path, *, key: bool = False) -> Mark:
        """The position of ``path``, or of its nearest enclosing node that exists."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Mark(1, 1)


def _mark(node: Node | Any) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and bounds nesting."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark, "YAML anchors and aliases are not allowed: "
                           "write every value out where it applies, so reviewers see it")
        self._depth = getattr(self, "_depth", 0) + 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Refused(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = Mark(mark.line + 1, mark.column + 1)
        self.message = message


class _Builder:
    """Turns a node tree into plain Python data, recording positions."""

    def __init__(self, file: str) -> None:
        self.doc = YamlDocument(file, None)
        self.problems: list[Problem] = []
        self._scalars = SafeConstructor()

    def build(self, node: Node, path: Path) -> Any:
        self.doc.values[path] = _mark(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag not in _PLAIN_TAGS:
            self._fail(node, path, f"tag {node.tag!r} is not allowed: specs hold plain data only")
            return None
        try:
            return self._scalars.construct_object(node)
        except (yaml.YAMLError, ValueError) as e:
            self._fail(node, path, f"cannot read this value: {e}")
            return None

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self._fail(node, path, f"tag {node.tag!r} is not allowed: specs hold plain data only")
        out: dict[str, Any] = {}
        seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key_node.tag != "tag:yaml.org,2002:str" or not isinstance(key, str):
                self._fail(key_node, path, "keys must be plain strings; quote this key")
                continue
            where = _mark(key_node)
            if key in seen:
                first = seen[key]
                self._fail(key_node, (*path, key),
                           f"duplicate key {key!r} (first at line {first.line}, column "
                           f"{first.col}); YAML would silently keep only the last one, "
                           "so remove one of them")
                continue
            seen[key] = where
            self.doc.keys[(*path, key)] = where
            out[key] = self.build(value_node, (*path, key))
        return out

    def _fail(self, node: Node, path: Path, message: str) -> None:
        self.problems.append(Problem(self.doc.file, _mark(node), dotted(path), message))


def _decode(raw: bytes, file: str) -> str:
    if len(raw) > MAX_BYTES:
        raise SpecError([Problem(file, Mark(1, 1), "(document)",
                                 f"file is {len(raw)} bytes; specs are limited to {MAX_BYTES}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start].decode("utf-8")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        raise SpecError([Problem(file, Mark(line, col), "(document)",
                                 f"byte 0x{raw[e.start]:02x} is not UTF-8; save the file "
                                 "as UTF-8")]) from e
    return text.removeprefix("\ufeff")


def parse_yaml(raw: bytes, file: str) -> YamlDocument:
    """Read one YAML document of plain data; raise SpecError naming every problem."""
    text = _decode(raw, file)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except _Refused as e:
        raise SpecError([Problem(file, e.mark, "(document)", e.message)]) from e
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        what = " ".join(str(x) for x in (e.context, e.problem) if x)
        raise SpecError([Problem(file, where, "(document)", f"not valid YAML: {what}")]) from e
    except yaml.YAMLError as e:
        raise SpecError([Problem(file, Mark(1, 1), "(document)", f"not valid YAML: {e}")]) from e
    finally:
        loader.dispose()
    if root is None:
        raise SpecError([Problem(file, Mark(1, 1), "(document)",
                                 "the file is empty; a spec is a mapping with at least "
                                 "'tenant: {domain: ...}'")])
    builder = _Builder(file)
    data = builder.build(root, ())
    if builder.problems:
        raise SpecError(builder.problems)
    if not isinstance(data, dict):
        raise SpecError([Problem(file, _mark(root), "(document)",
                                 f"the document is a {type(data).__name__}; a spec is a "
                                 "mapping of keys such as 'tenant' and 'applications'")])
    return YamlDocument(file, data, builder.doc.values, builder.doc.keys)
