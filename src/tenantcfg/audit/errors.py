"""Why an audit could not be completed."""

from __future__ import annotations


class AuditFailure(Exception):
    """The tenant could not be read (or not completely): exit 2, never "no findings".

    The message says what was being read, what went wrong and what to do; it never
    holds a secret or a token.
    """
