"""YAML that means something other than it shows is refused, at the right line and column."""

from __future__ import annotations

import pytest

from tenantcfg.spec.loader import load_bytes
from tenantcfg.spec.problems import SpecError

HEAD = "tenant:\n  domain: acme.eu.auth0.com\n"


def _problems(raw: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_bytes(raw.encode("utf-8"), "s.yaml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("value", ["true", "1.0", "yes", "'1'"])
def test_the_version_is_the_number_1_only(value: str) -> None:
    (problem,) = _problems(f"version: {value}\n{HEAD}")
    assert problem.startswith("s.yaml:1:10: version: ")


@pytest.mark.parametrize(
    ("value", "form"),
    [
        ("1:00", "base 60"),
        ("10:00", "base 60"),
        ("0600", "octal, from the leading zero"),
        ("0x258", "hexadecimal, binary or octal"),
        ("0b1001011000", "hexadecimal, binary or octal"),
        ("6_00", "digits with underscores"),
        ("+600", "an unusual spelling"),
    ],
)
def test_yaml_1_1_number_forms_are_refused(value: str, form: str) -> None:
    (problem,) = _problems(f"{HEAD}my_account_api:\n  token_lifetime: {value}\n")
    assert problem == (
        f"s.yaml:4:19: my_account_api.token_lifetime: {value!r} is a YAML 1.1 "
        f"number form ({form}) that means something else than it shows; write "
        "a plain decimal number, or quote it if it is text"
    )


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u0085", "a NEL line break"),
        ("\u2028", "a Unicode line separator"),
        ("\u2029", "a Unicode paragraph separator"),
        ("\ufeff", "a byte-order mark in mid-file"),
    ],
)
def test_invisible_line_breaks_are_refused_where_they_stand(char: str, name: str) -> None:
    (problem,) = _problems(f"{HEAD}# note{char}more\napplications: {{}}\n")
    assert problem.startswith(f"s.yaml:3:7: (document): {name}")


def test_a_leading_byte_order_mark_is_fine() -> None:
    assert load_bytes(("\ufeff" + HEAD).encode(), "s.yaml").spec.tenant.domain


def test_a_date_where_text_belongs_is_shown_as_written() -> None:
    (problem,) = _problems(
        f"{HEAD}applications:\n  spa:\n    client_id: Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH\n"
        "    app_type: spa\n    first_party: true\n    owner: 2026-01-01\n"
        "    scopes: [read:me:factors]\n"
    )
    assert problem == (
        "s.yaml:8:12: applications.spa.owner: Input should be a valid string "
        "(got 2026-01-01); unquoted, YAML reads it as a date: put the value in "
        "quotes"
    )


SECRET = "Zx9" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3" * 2


@pytest.mark.parametrize(
    "comment",
    [
        f"# old secret: {SECRET}",
        f"  # {SECRET}",
        "# eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc",
    ],
)
def test_a_secret_in_a_comment_is_refused_without_echoing_it(comment: str) -> None:
    (problem,) = _problems(f"{HEAD}{comment}\n")
    assert problem.startswith("s.yaml:3:")
    assert "this comment holds what looks like" in problem
    assert SECRET not in problem
    assert "eyJ" not in problem


def test_an_ordinary_comment_is_fine() -> None:
    raw = HEAD + "# https://acme.eu.auth0.com/me/ -- see RUNBOOK-1234 for rotation\n"
    assert load_bytes(raw.encode(), "s.yaml").spec.tenant.domain == "acme.eu.auth0.com"
