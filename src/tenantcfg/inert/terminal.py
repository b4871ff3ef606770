"""Terminal and log text: one escaping function for every command's output."""

from __future__ import annotations


def one_line(text: str) -> str:
    """Text with control, zero-width and bidirectional characters shown escaped.

    A value from a spec or a tenant (a waiver's reason, an application name, a file
    name) can then never start a forged line of output or a CI annotation, nor
    reorder what a reader sees. Printable text, including non-ASCII letters, is kept.
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))
