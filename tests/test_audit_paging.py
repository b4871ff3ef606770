"""``tenantcfg audit`` on tenants with many applications: the paged list of clients.

Above ``LIST_ABOVE`` named applications the audit reads ``GET /clients`` page by page
(only the judged fields) instead of one ``GET /clients/{id}`` each; counted here from
the fake's log of exchanges. Every way that list can come back incomplete is exit 2.
A page size of 10 keeps the tenants small while still spanning several pages.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fakeapi import FakeAuth0, Fault
from fakeapi.harness import AUDIT_CLIENT_ID, Outcome, generated_id, many_applications, run_audit
from tenantcfg.audit import applications
from tenantcfg.audit.applications import CLIENT_FIELDS, LIST_ABOVE

CLIENTS = "/api/v2/clients"
SPEC_APPS = 2
"""Applications stacks/prod.yaml already lists (and the prod seed grants)."""


@pytest.fixture(autouse=True)
def pages_of_ten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(applications, "PAGE_SIZE", 10)


def _by_operation(fake: FakeAuth0) -> Counter[str | None]:
    return Counter(e.operation for e in fake.exchanges)


def _audit(fake: FakeAuth0, target: tuple[str, ...], *args: str) -> Outcome:
    return run_audit(fake, "--format", "json", *args, target=target)


def _failed(result: Outcome, *words: str) -> None:
    assert result.code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith(
        "error: could not audit tenant acme.eu.auth0.com: "
    )
    for word in words:
        assert word in result.stderr, result.stderr


def test_many_applications_are_read_from_the_list_one_request_per_page(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 45)
    result = _audit(fake, target)
    assert result.code == 0, result.stderr
    assert result.json()["findings"] == []
    assert len(result.json()["read"]["client_grants"]) == 47
    # 51 clients in the tenant (45 + the seed's 6) on 6 pages of 10; the 47 named ones
    # are all on the first 5 (by id, "Zx9C..." last), so the 6th is not read.
    assert _by_operation(fake) == {
        None: 1,
        "get /resource-servers/{id}": 1,
        "get /client-grants": 1,
        "get /clients": 5,
    }
    pages = [e for e in fake.exchanges if e.operation == "get /clients"]
    assert [e.query["page"] for e in pages] == [[str(n)] for n in range(5)]
    for e in pages:
        assert e.query["fields"] == [CLIENT_FIELDS]
        assert e.query["include_fields"] == ["true"]
        assert e.query["include_totals"] == ["true"]
        assert e.query["per_page"] == ["10"]
        assert all(set(c) <= set(CLIENT_FIELDS.split(",")) for c in e.response_body["clients"])
    assert "secret" not in str([e.response_body for e in fake.exchanges if e.operation])
    assert "reading applications: page 5 of 6" in result.stderr


@pytest.mark.parametrize(
    ("named", "one_by_one", "pages"), [(LIST_ABOVE, LIST_ABOVE, 0), (LIST_ABOVE + 1, 0, 3)]
)
def test_the_list_is_used_above_the_threshold_only(
    tmp_path: Path, named: int, one_by_one: int, pages: int
) -> None:
    fake, target = many_applications(tmp_path, named - SPEC_APPS)
    assert _audit(fake, target).code == 0
    counts = _by_operation(fake)
    assert (counts["get /clients/{id}"], counts["get /clients"]) == (one_by_one, pages)


def test_a_tenant_of_many_more_clients_switches_to_reading_each(tmp_path: Path) -> None:
    # 25 named applications among 431 clients: 44 pages, against 25 single reads. The
    # first page (other clients only: "Ex..." sorts first) shows it; the rest one by one.
    fake, target = many_applications(tmp_path, 25 - SPEC_APPS, others=400)
    result = _audit(fake, target)
    assert result.code == 0, result.stderr
    counts = _by_operation(fake)
    assert (counts["get /clients"], counts["get /clients/{id}"]) == (1, 25)
    assert "reading applications: 25 more one by one (not in the pages of the list read)" in (
        result.stderr
    )


def test_an_application_moved_while_the_list_is_read_is_read_alone(tmp_path: Path) -> None:
    # Offset paging: a client deleted after page 1 moves the next one back onto page 1,
    # already read. The audit does not lose it: it reads it by id.
    fake, target = many_applications(tmp_path, 45)
    moved = generated_id("Gen", 9)  # 10th by id after the audit's own client "Au7d..."

    def delete_first(body: Any) -> Any:
        del fake.state.clients[AUDIT_CLIENT_ID]
        return body

    fake.rewrite(CLIENTS, delete_first)
    result = _audit(fake, target)
    assert result.code == 0, result.stderr
    alone = [e.raw_path.split("?")[0] for e in fake.exchanges if e.operation == "get /clients/{id}"]
    assert alone == [f"{CLIENTS}/{moved}"]
    assert "1 more one by one" in result.stderr


def test_a_granted_application_the_tenant_lacks_is_confirmed_missing(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 30)
    gone = generated_id("Gen", 3)
    del fake.state.clients[gone]
    result = _audit(fake, target)
    assert result.code in (0, 1), result.stderr
    statuses = [e.status for e in fake.exchanges if e.operation == "get /clients/{id}"]
    assert statuses == [404]
    assert result.json()["read"]["unknown_applications"] == [gone]
    assert len(result.json()["read"]["applications"]) == 31


def test_a_rate_limited_page_of_the_list_is_retried(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 45)
    fake.inject(Fault(CLIENTS, status=429, retry_after="2", times=2, later_pages_only=True))
    result = _audit(fake, target)
    assert result.code == 0, result.stderr
    assert result.sleeps == [2.0, 2.0]
    assert (
        "rate limited reading applications (page 2): waiting 2.0 s (Retry-After), retry 1 of 5"
    ) in result.stderr
    assert _by_operation(fake)["get /clients"] == 5  # the 429s are not logged as exchanges


def test_a_page_of_the_list_that_fails(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 45)
    fake.fail(CLIENTS, 500, later_pages_only=True)
    _failed(
        _audit(fake, target), "answered 500 reading applications (page 2)", "nothing was judged"
    )


def test_a_page_of_the_list_cut_off(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 45)
    fake.truncate(CLIENTS)
    _failed(_audit(fake, target), "reading applications (page 2) is not valid JSON (cut off?)")


def test_a_list_that_ends_before_its_total(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 45)
    fake.rewrite(CLIENTS, lambda b: {**b, "clients": b["clients"][:4]}, later_pages_only=True)
    _failed(
        _audit(fake, target),
        "the application list stopped at 14 of 51 applications: page 2 holds 4 where 10 "
        "were asked for. The list is incomplete, so nothing was judged",
    )


def test_an_empty_page_before_the_total(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 45)
    fake.rewrite(CLIENTS, lambda b: {**b, "clients": []}, later_pages_only=True, times=None)
    _failed(_audit(fake, target), "stopped at 10 of 51 applications: page 2 holds 0")


def test_a_page_without_its_total(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 45)
    fake.rewrite(CLIENTS, lambda b: {k: v for k, v in b.items() if k != "total"})
    _failed(_audit(fake, target), "reading applications (page 1) has no total")


def test_a_bare_list_instead_of_a_page(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 45)
    fake.rewrite(CLIENTS, lambda b: b["clients"])
    _failed(_audit(fake, target), "reading applications (page 1) does not have the published shape")


def test_a_server_that_ignores_the_page_number(tmp_path: Path) -> None:
    fake, target = many_applications(tmp_path, 45)
    first: list[Any] = []

    def same_page(body: Any) -> Any:
        first.append(first[0] if first else body)
        return first[0]

    fake.rewrite(CLIENTS, same_page, times=None)
    _failed(_audit(fake, target), "the application list repeats a page")
