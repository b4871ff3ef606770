"""What counts as text: blank means blank after invisible characters are taken out.

A reason, owner or justification made of zero-width spaces, bidirectional marks,
Hangul fillers or other characters that render as nothing says nothing, however
many code points it holds. One definition for the schema and every rule.
"""

from __future__ import annotations

import unicodedata

# Letters and marks that render as nothing, though their categories are not blank ones.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u034f\u17b4\u17b5")
_BLANK_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def visible(text: str) -> str:
    """``text`` without whitespace and characters that render as nothing."""
    return "".join(
        ch
        for ch in text
        if ch not in _INVISIBLE
        and not ch.isspace()
        and unicodedata.category(ch) not in _BLANK_CATEGORIES
    )


def is_blank(text: str | None) -> bool:
    """True when ``text`` shows nothing a reviewer could read."""
    return text is None or not visible(text)
