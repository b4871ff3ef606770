"""Strict YAML reading: plain data only, with the position of every key and value.

PyYAML keeps the last of two equal keys without a word; in a reviewed security
file that hides a ``policy: allow_all`` under a line the reviewer approved. This
reader refuses duplicate keys, anchors and aliases (a reviewer must see every
value where it applies), tags other than YAML's plain types, several documents
in one file, and input larger, deeper or with longer lines than a spec ever needs.

Speed: libyaml (PyYAML's C parser) composes the node tree whenever the text
cannot hold an anchor or alias, which is nearly always; otherwise, or without
libyaml, a composer that refuses them at their first event does the work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader
from yaml.resolver import Resolver

from tenantcfg.spec.problems import Mark, Problem, SpecError, SpecPath, dotted

MAX_BYTES = 8 * 1024 * 1024
"""Room for the most applications a spec may hold (loader.MAX_APPLICATIONS, 10,000)
written out with owner, justification and comments (about 500 bytes each)."""

MAX_DEPTH = 32
"""Specs nest five levels deep; anything deeper is not a spec."""

MAX_LINE = 4096
"""Characters on one line. A reviewer must see every value whole in a diff (and a
message quoting a value stays readable); longer text folds over lines with '>-'."""

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp")
}
_STR = "tag:yaml.org,2002:str"
_NO_ANCHORS = (
    "YAML anchors and aliases are not allowed: write every value out where it "
    "applies, so reviewers see it"
)
_MAY_ANCHOR = re.compile(r"(?:^|[\s\ufeff\[\]{},:?-])[&*]")
"""Where an anchor (&a) or alias (*a) could begin: after a separator or flow indicator."""

try:
    from yaml._yaml import CParser

    LIBYAML = True
except ImportError:  # PyYAML built without libyaml: the careful path alone is as correct
    LIBYAML = False


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


def _mark(node: Node | Any) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Checks:
    """Composer hook that refuses anchors and aliases and bounds nesting, event by event."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark, _NO_ANCHORS)
        self._depth = getattr(self, "_depth", 0) + 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
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


class _Refused(Exception):
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


_LINE_BREAKS = re.compile("[\u0085\u2028\u2029\ufeff]")
"""Characters YAML may take as line breaks (or a stray byte-order mark): positions in
messages would then point at the wrong line, so they are refused where they stand."""


class _Builder:
    """Turns a node tree into plain Python data, recording positions."""

    def __init__(self, file: str) -> None:
        self.doc = YamlDocument(file, None)
        self.problems: list[Problem] = []
        self._scalars = SafeConstructor()
        self._seen: set[int] = set()

    def build(self, node: Node, path: SpecPath) -> Any:
        # The fast path composes without the checks: repeat them here. A node
        # met twice is an alias; building it again is how aliases blow up.
        if len(path) >= MAX_DEPTH:
            raise _Refused(node.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
        if id(node) in self._seen:
            raise _Refused(node.start_mark, _NO_ANCHORS)
        self._seen.add(id(node))
        start = node.start_mark
        self.doc.values[path] = Mark(start.line + 1, start.column + 1)
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
            where = _mark(key_node)
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
            self.doc.keys[(*path, key)] = where
            out[key] = self.build(value_node, (*path, key))
        return out

    def _fail(self, node: Node, path: SpecPath, message: str) -> None:
        self.problems.append(Problem(self.doc.file, _mark(node), dotted(path), message))


def _decode(raw: bytes, file: str) -> str:
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


def _compose(text: str) -> Node | None:
    if not LIBYAML:
        loader: Any = _Loader(text)
    elif _MAY_ANCHOR.search(text):
        loader = _CLoader(text)
    else:
        loader = _FastLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def _unprintable(text: str, file: str) -> Problem:
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
    text = _decode(raw, file)
    try:
        root = _compose(text)
        builder = _Builder(file)
        data = None if root is None else builder.build(root, ())
    except _Refused as e:
        raise SpecError([Problem(file, e.mark, "(document)", e.message)]) from e
    except yaml.reader.ReaderError as e:
        raise SpecError([_unprintable(text, file)]) from e
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
                    _mark(root),
                    "(document)",
                    f"the document is {kind}; a spec is a mapping of keys such "
                    "as 'tenant' and 'applications'",
                )
            ]
        )
    return YamlDocument(file, data, builder.doc.values, builder.doc.keys)
