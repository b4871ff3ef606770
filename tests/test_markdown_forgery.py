"""Markdown for pull-request comments cannot be forged by what a spec says.

Rendered as GitHub renders it (CommonMark with GFM tables): a hostile value in any
free-text field of a spec (owner, justification, waiver reason and target, step-up
policy id, a declared scope's text) leaves the document's structure exactly as the
same spec with a plain value gives it, adds no link, image, heading or @mention, and
shows no raw control or bidirectional character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from helpers.paths import ROOT
from tenantcfg.output.diff import as_markdown
from tenantcfg.review.diff import compare
from tenantcfg.spec.loader import load_bytes
from tenantcfg.spec.problems import SpecError
from tenantcfg.spec.text import is_blank

GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])
BASE = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")

HOSTILE = [
    "x | y | z",
    "x\r\n| forged | row |",
    "x\n\n## No change\n",
    "✅ **No change**",
    "![img](https://evil.example/a.png)",
    "[click](javascript:alert(1))",
    "<img src=x>",
    "@octocat please approve",
    "`code` ``more``",
    "```\nfence",
    "\u202eevil\u202c",
    "a\u2066b\u2069c",
    "x\u200by",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "| --- |",
    "<!-- hidden -->",
    "\\|",
    "*emph* _em_ ~~del~~",
    "https://evil.example",
    ":smile:",
    "\x1b[31mred",
    "line\u2028sep",
    "tab\there",
    "&#124; entity",
    "[x]: https://e.example",
]


def _yaml(value: str) -> str:
    return '"' + value.encode("unicode_escape").decode().replace('"', '\\"') + '"'


FIELDS: dict[str, Callable[[str], str]] = {
    "owner": lambda v: BASE.replace(
        "    owner: mobile-team@acme.example\n", f"    owner: {_yaml(v)}\n"
    ),
    "justification": lambda v: BASE.replace(
        "  partner-portal:\n", "  partner-portal:\n    justification: " + _yaml(v) + "\n", 1
    ).replace(
        "    justification: >-\n      The partner portal links a user's external calendar "
        "account for Token Vault and\n      lists the accounts already linked.\n",
        "",
    ),
    "waiver": lambda v: BASE.replace(
        "waivers: []\n",
        "waivers:\n  - rule: MYACC-017\n    application: my_account_api\n"
        f"    reason: {_yaml(v)}\n    expires: 2026-12-31\n",
    ),
    "waiver target": lambda v: BASE.replace(
        "waivers: []\n",
        f"waivers:\n  - rule: MYACC-017\n    application: {_yaml(v)}\n"
        "    reason: r\n    expires: 2026-12-31\n",
    ),
    "policy id": lambda v: BASE.replace(
        "policy_id: 019b76da-a800-73c9-b656-b349ae415c17", f"policy_id: {_yaml(v)}"
    ),
}


def _structure(markdown: str) -> list[tuple[str, str]]:
    """Token types and tags, inline ones included: the document's shape, without its text."""
    out = []
    for t in GFM.parse(markdown):
        out.append((t.type, t.tag))
        out += [(c.type, c.tag) for c in t.children or () if c.type != "text"]
    return out


def _outside_code(html: str) -> str:
    return re.sub(r"<code>.*?</code>", "", html, flags=re.S)


def _diff(head_text: str) -> str | None:
    """The diff comment, or None when the loader refuses the spec (nothing is rendered)."""
    base = load_bytes(BASE.encode(), "stacks/dev.yaml").spec
    try:
        head = load_bytes(head_text.encode(), "stacks/dev.yaml").spec
    except SpecError:
        return None
    return as_markdown(compare(base, head, "origin/main:stacks/dev.yaml", "stacks/dev.yaml"))


def _assert_inert(field: str, value: str) -> bool:
    """Whether the value was rendered (and then inert); False when the loader refused it."""
    plain = _diff(FIELDS[field]("plain value"))
    assert plain is not None
    hostile = _diff(FIELDS[field](value))
    if hostile is None:
        return False
    assert _structure(hostile) == _structure(plain), hostile
    html = GFM.render(hostile)
    outside = _outside_code(html)
    assert "@octocat" not in outside
    assert "<img" not in html
    assert "<a " not in html
    assert not re.search(r"[\u202a-\u202e\u2066-\u2069\u200b\u2028\x1b\r]", hostile)
    return True


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_cannot_change_the_diff_comment(value: str) -> None:
    rendered = [field for field in FIELDS if _assert_inert(field, value)]
    assert "waiver" in rendered  # a waiver's reason is free text: it always reaches the diff


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(FIELDS)),
    st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\x00" not in s),
)
def test_any_value_leaves_the_diff_comment_shaped_as_with_a_plain_one(
    field: str, value: str
) -> None:
    assume(not is_blank(value))  # a blank reason reads "none given": another shape, rightly
    assume(_assert_inert(field, value))


def test_the_report_is_inert_too(tmp_path: Path) -> None:
    from tenantcfg.cli import main

    spec = tmp_path / "dev.yaml"
    outputs = {}
    for label, value in (("plain", "plain value"), ("hostile", "x | y\n## No change @octocat")):
        spec.write_text(FIELDS["owner"](value), encoding="utf-8")
        out = tmp_path / f"{label}.md"
        assert main(
            [
                "report",
                "--spec",
                str(spec),
                "--spec-only",
                "--output",
                str(out),
                "--max-waiver-days",
                "40000",
            ]
        ) in (0, 1)
        outputs[label] = out.read_text(encoding="utf-8")
    assert _structure(outputs["hostile"]) == _structure(outputs["plain"])
    assert "@octocat" not in _outside_code(GFM.render(outputs["hostile"]))
