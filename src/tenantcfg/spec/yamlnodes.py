"""YAML nodes into plain data: composing them with the checks, walking them with positions.

Anchors and aliases are refused (a reviewer must see every value where it applies),
as are tags other than YAML's plain types, nesting deeper than a spec needs, keys
that are not plain one-line strings, duplicate keys, and YAML 1.1 number forms that
mean something else than they show. Every value's and key's position is recorded.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from tenantcfg.spec.problems import Mark, Problem, SpecPath, dotted

MAX_DEPTH = 32
"""Specs nest five levels deep; anything deeper is not a spec."""

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp")
}
_STR = "tag:yaml.org,2002:str"
_NO_ANCHORS = (
    "YAML anchors and aliases are not allowed: write every value out where it "
    "applies, so reviewers see it"
)
try:
    from yaml._yaml import CParser

    LIBYAML = True
except ImportError:  # PyYAML built without libyaml: the careful path alone is as correct
    LIBYAML = False


def node_mark(node: Node | Any) -> Mark:
    """Where a node starts, counted from 1."""
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Checks:
    """Composer hook that refuses anchors and aliases and bounds nesting, event by event."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise Refused(event.start_mark, _NO_ANCHORS)
        self._depth = getattr(self, "_depth", 0) + 1
        if self._depth > MAX_DEPTH:
            raise Refused(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)  # type: ignore[misc,no-any-return]
        finally:
            self._depth -= 1


class _Loader(_Checks, yaml.SafeLoader):
    """The careful path without libyaml: PyYAML's pure-Python parser."""


if LIBYAML:

    class _CLoader(_Checks, Composer, CParser, Resolver):
        """The careful path: libyaml's events, composed in Python with the checks."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            Resolver.__init__(self)

    class _FastLoader(CParser, Resolver):
        """The fast path: libyaml composes (it bounds nesting at 1,000 levels itself)."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            Resolver.__init__(self)


class Refused(Exception):
    """A construct refused outright, at its position: reading stops there."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = Mark(mark.line + 1, mark.column + 1)
        self.message = message


_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def _form(value: str) -> str:
    if ":" in value:
        return "base 60"
    if "_" in value:
        return "digits with underscores"
    if value.lower().lstrip("+-").startswith(("0x", "0b", "0o")):
        return "hexadecimal, binary or octal"
    if value.lstrip("+-").startswith("0") and value.lstrip("+-")[1:2].isdigit():
        return "octal, from the leading zero"
    return "an unusual spelling"


class Builder:
    """Turns a node tree into plain Python data, recording the positions of values and keys."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[SpecPath, Mark] = {}
        self.keys: dict[SpecPath, Mark] = {}
        self.problems: list[Problem] = []
        self._scalars = SafeConstructor()
        self._seen: set[int] = set()

    def build(self, node: Node, path: SpecPath) -> Any:
        # The fast path composes without the checks: repeat them here. A node
        # met twice is an alias; building it again is how aliases blow up.
        if len(path) >= MAX_DEPTH:
            raise Refused(node.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
        if id(node) in self._seen:
            raise Refused(node.start_mark, _NO_ANCHORS)
        self._seen.add(id(node))
        start = node.start_mark
        self.values[path] = Mark(start.line + 1, start.column + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":  # e.g. !!python/object/apply, !!omap
                self._fail(
                    node, path, f"tag {node.tag!r} is not allowed: specs hold plain data only"
                )
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag == _STR:
            return node.value  # what SafeConstructor returns for a str, without its overhead
        return self._scalar(node, path)

    def _scalar(self, node: ScalarNode, path: SpecPath) -> Any:
        if node.tag not in _PLAIN_TAGS:
            self._fail(node, path, f"tag {node.tag!r} is not allowed: specs hold plain data only")
            return None
        if node.tag in (_INT, _FLOAT) and not _PLAIN_NUMBER.fullmatch(node.value):
            # YAML 1.1 reads 1:00 as 60, 0600 as 384, 0x10 as 16 and 1_000 as 1000: a
            # reviewer would read something else than the program gets.
            self._fail(
                node,
                path,
                f"{node.value!r} is a YAML 1.1 number form "
                f"({_form(node.value)}) that means something else than it shows; write "
                "a plain decimal number, or quote it if it is text",
            )
            return None
        try:
            return self._scalars.construct_object(node)
        except (yaml.YAMLError, ValueError) as e:
            self._fail(node, path, f"cannot read this value: {e}")
            return None

    def _mapping(self, node: MappingNode, path: SpecPath) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self._fail(node, path, f"tag {node.tag!r} is not allowed: specs hold plain data only")
        out: dict[str, Any] = {}
        seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key_node.tag != "tag:yaml.org,2002:str" or not isinstance(key, str):
                self._fail(key_node, path, "keys must be plain strings; quote this key")
                continue
            if not key.isprintable():  # a line break here would forge lines in the output
                self._fail(
                    key_node,
                    path,
                    f"key {key!r} holds a line break or an invisible "
                    "character; keys are plain text on one line",
                )
                continue
            where = node_mark(key_node)
            if key in seen:
                first = seen[key]
                self._fail(
                    key_node,
                    (*path, key),
                    f"duplicate key {key!r} (first at line {first.line}, column "
                    f"{first.col}); YAML would silently keep only the last one, "
                    "so remove one of them",
                )
                continue
            seen[key] = where
            self.keys[(*path, key)] = where
            out[key] = self.build(value_node, (*path, key))
        return out

    def _fail(self, node: Node, path: SpecPath, message: str) -> None:
        self.problems.append(Problem(self.file, node_mark(node), dotted(path), message))


def loader(text: str, *, may_anchor: bool) -> Any:
    """A loader for ``text``: libyaml composes unless the text may hold an anchor or alias."""
    if not LIBYAML:
        return _Loader(text)
    if may_anchor:
        return _CLoader(text)
    return _FastLoader(text)
