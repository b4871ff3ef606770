"""The scope catalogue and what it says about strings that are not scopes.

The expected tables restate the facts (Auth0's docs, as summarised in the
design notes) rather than reading them back from the catalogue, so a scope
added, dropped or re-rated there fails here until someone checks it.
"""

from __future__ import annotations

import pytest

from tenantcfg.catalogue import scopes
from tenantcfg.catalogue.scopes import CATALOGUE, Lifecycle, Risk

GA = {
    "read:me:factors",
    "create:me:authentication_methods",
    "read:me:authentication_methods",
    "update:me:authentication_methods",
    "delete:me:authentication_methods",
    "create:me:connected_accounts",
    "read:me:connected_accounts",
    "delete:me:connected_accounts",
}
FEATURE_GATED = {"read:me:profile", "update:me:profile"}
PLANNED = {"read:me:consents", "read:me:organizations"}

SENSITIVE = {
    "create:me:authentication_methods",
    "update:me:authentication_methods",
    "delete:me:authentication_methods",
    "create:me:connected_accounts",
    "delete:me:connected_accounts",
}
"""Can lock a user out (removing a method) or let an attacker persist (adding one, linking)."""


def test_the_catalogue_holds_exactly_the_known_scopes() -> None:
    assert set(CATALOGUE) == GA | FEATURE_GATED | PLANNED


def test_every_scope_is_written_with_underscores_and_keyed_by_its_value() -> None:
    for value, scope in CATALOGUE.items():
        assert scope.value == value
        assert "-" not in value
        action, me, resource = value.split(":")
        assert (action in {"create", "read", "update", "delete"}, me) == (True, "me")
        assert resource.replace("_", "").isalpha()
        assert resource.islower()


def test_every_scope_says_what_it_unlocks() -> None:
    for scope in CATALOGUE.values():
        assert scope.unlocks.endswith("."), scope.value
        assert len(scope.unlocks) > 20, scope.value


def test_the_lifecycle_of_each_scope() -> None:
    expected = dict.fromkeys(GA, Lifecycle.GA)
    expected |= dict.fromkeys(FEATURE_GATED, Lifecycle.FEATURE_GATED)
    expected |= dict.fromkeys(PLANNED, Lifecycle.PLANNED)
    expected["read:me:factors"] = Lifecycle.EARLY_ACCESS  # GET /me/factors is early access
    assert {v: s.lifecycle for v, s in CATALOGUE.items()} == expected


def test_the_sensitive_scopes_are_the_ones_that_add_change_or_remove_access() -> None:
    assert {v for v, s in CATALOGUE.items() if s.sensitive} == SENSITIVE


def test_adding_or_deleting_an_authentication_method_is_the_most_sensitive() -> None:
    top = max(s.risk.rank for s in CATALOGUE.values())
    assert {v for v, s in CATALOGUE.items() if s.risk.rank == top} == {
        "create:me:authentication_methods",
        "delete:me:authentication_methods",
    }
    assert CATALOGUE["create:me:authentication_methods"].risk is Risk.CRITICAL


def test_sensitive_scopes_rank_above_every_read_scope() -> None:
    lowest_sensitive = min(CATALOGUE[v].risk.rank for v in SENSITIVE)
    highest_read = max(s.risk.rank for v, s in CATALOGUE.items() if v.startswith("read:"))
    assert lowest_sensitive > highest_read
    assert CATALOGUE["read:me:factors"].risk is Risk.LOW


def test_risk_ranks_in_order_of_harm() -> None:
    assert [r.rank for r in (Risk.LOW, Risk.MEDIUM, Risk.HIGH, Risk.CRITICAL)] == [0, 1, 2, 3]


def test_lookup_knows_real_scopes_only() -> None:
    assert scopes.lookup("read:me:factors") is CATALOGUE["read:me:factors"]
    assert scopes.lookup("create:me:authentication-methods") is None
    assert scopes.lookup("openid") is None


def test_underscore_spelling_fixes_hyphens_only_when_that_gives_a_real_scope() -> None:
    assert scopes.underscore_spelling("delete:me:authentication-methods") == (
        "delete:me:authentication_methods"
    )
    assert scopes.underscore_spelling("read:me:factors") is None
    assert scopes.underscore_spelling("read:me:connected-account") is None


# --- problem() ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", sorted(CATALOGUE))
def test_every_catalogued_scope_has_no_problem_including_planned_ones(value: str) -> None:
    # Planned and feature-gated scopes are the policy layer's to judge, not the schema's.
    assert scopes.problem(value) is None


@pytest.mark.parametrize(
    ("value", "fix"),
    [
        ("create:me:authentication-methods", "create:me:authentication_methods"),
        ("read:me:authentication-methods", "read:me:authentication_methods"),
        ("delete:me:connected-accounts", "delete:me:connected_accounts"),
    ],
)
def test_a_hyphenated_scope_gets_the_underscore_spelling(value: str, fix: str) -> None:
    assert scopes.problem(value) == (
        f"scope {value!r} is spelled with hyphens; Auth0 uses underscores: {fix!r}"
    )


@pytest.mark.parametrize(
    "value", [" read:me:factors", "read:me:factors ", "read:me:factors\n", "\tread:me:factors"]
)
def test_whitespace_around_a_scope_is_named_with_the_trimmed_spelling(value: str) -> None:
    assert scopes.problem(value) == (
        f"scope {value!r} has whitespace around it; write 'read:me:factors'"
    )


@pytest.mark.parametrize("sep", [" ", "\t", "\n", "  "])
def test_several_scopes_in_one_string_are_split_into_the_list_to_write(sep: str) -> None:
    value = f"read:me:factors{sep}read:me:profile"
    assert scopes.problem(value) == (
        f"scope {value!r} holds several scopes; list them one per item: "
        "'read:me:factors', 'read:me:profile'"
    )


@pytest.mark.parametrize(
    "value",
    [
        "read:m\u0435:factors",  # Cyrillic ie
        "re\u0430d:me:factors",  # Cyrillic a
        "read:me:fact\u043ers",  # Cyrillic o
        "read\uff1ame:factors",  # fullwidth colon
    ],
)
def test_a_non_ascii_look_alike_is_refused(value: str) -> None:
    assert scopes.problem(value) == (
        f"scope {value!r} contains non-ASCII characters (look-alike letters?)"
    )


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("read:me:factor", "read:me:factors"),
        ("read:me:connected-account", "read:me:connected_accounts"),
        ("READ:ME:FACTORS", "read:me:factors"),
        ("delete:me:authentication_method", "delete:me:authentication_methods"),
    ],
)
def test_an_unknown_scope_gets_the_closest_match(value: str, hint: str) -> None:
    assert scopes.problem(value) == (
        f"unknown My Account API scope {value!r}; did you mean {hint!r}?"
    )


@pytest.mark.parametrize("value", ["openid", "offline_access", "", "email"])
def test_an_unknown_scope_with_nothing_close_gets_no_hint(value: str) -> None:
    assert scopes.problem(value) == (
        f"unknown My Account API scope {value!r}; if Auth0 issued it after this catalogue was "
        "written, declare it under declared_scopes with its risk and a justification"
    )
