"""Values from specs and tenants, made inert in Markdown for pull-request comments.

Every value a pull request or a tenant controls (owners, justifications, reasons,
file and stack names, policy ids, finding messages) is shown as a code span: inside
one, nothing is markup, so no table breaks, no image or link, no heading, no
@mention (GitHub does not link mentions in code) and no emoji. Control, zero-width
and bidirectional characters are shown escaped first (:func:`one_line`), so a value
can neither start a line of its own nor reorder what a reviewer reads.
"""

from __future__ import annotations

import re

from tenantcfg.inert.terminal import one_line

_TICKS = re.compile(r"`+")


def code(value: str, *, in_table: bool = True) -> str:
    """``value`` as a code span; in a table cell its pipes are escaped as GFM requires."""
    text = one_line(value)
    if in_table:
        text = text.replace("|", "\\|")
    if not text.strip():
        return "*(blank)*"
    fence = "`" * (max((len(run) for run in _TICKS.findall(text)), default=0) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    """A table cell of the project's own words (and code spans made by :func:`code`)."""
    return one_line(text).replace("\n", " ").strip()
