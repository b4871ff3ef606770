"""The two ways the Management API pages lists, as recorded.

- Offset paging (``page``/``per_page``): with ``include_totals=true`` the answer is
  ``{"total", "start", "limit", "<items>": [...]}``, otherwise a bare array.
- Checkpoint paging (``from``/``take``, client grants and clients): the answer is
  ``{"<items>": [...], "next": "<opaque>"}`` with ``next`` only while more remain. A
  request carrying ``take`` gets this shape even with ``include_totals`` and ``per_page``
  (recorded, terraform-provider-auth0 TestAccDataSourceClientGrants #18).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from . import errors
from .state import Body

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
Show = Callable[[Body], Body]
"""How an item of a page is answered (a projection on ``fields``, say)."""


def _as_is(item: Body) -> Body:
    return item


def _int(query: dict[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    # Limits from the published parameters (per_page and take: 1..100). No recording
    # sends a bad one: the answer has the recorded "... validation error" body shape.
    raw = query.get(name, [None])[0]
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise errors.ApiFailure(
            400,
            "Query validation error: 'Expected type integer but found "
            f"type string' on property {name}.",
            "invalid_query_string",
        ) from None
    if not low <= value <= high:
        raise errors.ApiFailure(
            400,
            f"Query validation error: '{name} out of range {low}..{high}' on property {name}.",
            "invalid_query_string",
        )
    return value


def is_checkpoint(query: dict[str, list[str]]) -> bool:
    """Whether the request asks for checkpoint paging."""
    return "take" in query or "from" in query


def cursor_of(item_id: str) -> str:
    """The opaque ``next`` value after ``item_id``."""
    return base64.urlsafe_b64encode(item_id.encode()).decode().rstrip("=")


def _after(cursor: str) -> str:
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode()).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise errors.ApiFailure(
            400,
            "Query validation error: 'Invalid checkpoint' on property from.",
            "invalid_query_string",
        ) from None


def checkpoint(
    items: list[Body],
    key: str,
    query: dict[str, list[str]],
    *,
    id_key: str = "id",
    show: Show = _as_is,
) -> dict[str, Any]:
    """One checkpoint page of ``items`` (sorted by ``id_key``) under ``key``."""
    take = _int(query, "take", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    start = query.get("from", [None])[0]
    if start:
        last = _after(start)
        items = [i for i in items if str(i[id_key]) > last]
    page = items[:take]
    answer: dict[str, Any] = {key: [show(i) for i in page]}
    if len(items) > take:
        answer["next"] = cursor_of(str(page[-1][id_key]))
    return answer


def offset(
    items: list[Body],
    key: str,
    query: dict[str, list[str]],
    *,
    lowest_per_page: int = 1,
    show: Show = _as_is,
) -> Any:
    """One offset page of ``items`` under ``key``, or a bare array without totals.

    ``lowest_per_page``: the published minimum of ``per_page`` (0 on ``/clients``).
    """
    per_page = _int(query, "per_page", DEFAULT_PAGE_SIZE, lowest_per_page, MAX_PAGE_SIZE)
    page = _int(query, "page", 0, 0, 1_000_000)
    start = page * per_page
    chunk = [show(i) for i in items[start : start + per_page]]
    if query.get("include_totals", ["false"])[0] == "true":
        return {"total": len(items), "start": start, "limit": per_page, key: chunk}
    return chunk
