"""Every limit of the spec loader, each with the exact message a user sees.

One clean spec (``BASE``) is changed in one place per test. Messages are
compared whole: the position, the field and the advice are what a reviewer
relies on to fix the file without reading the code.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from helpers.clean_spec import BASE, FILE
from tenantcfg.spec import yamlsource
from tenantcfg.spec.loader import MAX_APPLICATIONS, LoadedSpec, load_bytes
from tenantcfg.spec.problems import SpecError
from tenantcfg.spec.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_LINE, parse_yaml

CLIENT_SECRET = "Zk3aB9xQ2w" * 6 + "Lm4P"
"""64 characters of mixed letters and digits: the shape of an Auth0 client secret."""
JWT = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhdXRoMHx1c2VyIiwiYXVkIjoiaHR0cHMifQ."
    "c2lnbmF0dXJlLW5vdC1yZWFs"
)
PRIVATE_KEY_LINE = "-----BEGIN RSA PRIVATE KEY-----"


def edit(old: str, new: str, text: str = BASE) -> str:
    """``text`` with its only occurrence of ``old`` replaced."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def at(text: str, needle: str) -> str:
    """``line:col`` (1-based) of the first occurrence of ``needle`` in ``text``."""
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return f"{line}:{index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def problems(raw: str | bytes) -> list[str]:
    """Every problem the loader reports for ``raw``, as printed."""
    data = raw.encode() if isinstance(raw, str) else raw
    with pytest.raises(SpecError) as caught:
        load_bytes(data, FILE)
    return [str(p) for p in caught.value.problems]


def loads(raw: str | bytes) -> LoadedSpec:
    """Load ``raw``; the test fails with the loader's own message if it does not."""
    data = raw.encode() if isinstance(raw, str) else raw
    try:
        return load_bytes(data, FILE)
    except SpecError as e:
        pytest.fail(f"expected to load, got:\n{e}")


def test_the_base_spec_is_clean() -> None:
    assert sorted(loads(BASE).spec.applications) == ["mobile-app", "settings-spa"]


# --- size ------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    raw = BASE.encode() + b"x" * (MAX_BYTES + 1 - len(BASE))
    assert problems(raw) == [
        f"{FILE}:1:1: (document): file is {MAX_BYTES + 1} bytes; specs are limited to "
        f"{MAX_BYTES} bytes: split the applications across stacks"
    ]


def test_a_file_exactly_at_the_size_limit_loads() -> None:
    line = "# " + "x" * (MAX_LINE - 3) + "\n"
    padding = line * ((MAX_BYTES - len(BASE)) // len(line))
    raw = BASE + padding + "#" * (MAX_BYTES - len(BASE) - len(padding) - 1) + "\n"
    assert len(raw.encode()) == MAX_BYTES
    loads(raw)


def test_the_size_limit_has_room_for_the_most_applications_a_spec_may_hold() -> None:
    # An application written out with an owner, a justification and a comment.
    app = edit("  settings-spa:\n", "  settings-spa:  # reviewed by the identity team\n")
    app = app[app.index("  settings-spa:") : app.index("  mobile-app:")]
    assert len(app.encode()) * MAX_APPLICATIONS < MAX_BYTES


# --- nesting ---------------------------------------------------------------------------


def test_nesting_one_level_deeper_than_the_limit_is_refused_where_it_starts() -> None:
    # The root mapping is level 1 and 'deep' holds level 2, so 31 brackets reach the limit.
    fits = BASE + "deep: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert parse_yaml(fits.encode(), FILE).data["deep"] is not None
    deeper = BASE + "deep: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    line = BASE.count("\n") + 1
    assert problems(deeper) == [
        f"{FILE}:{line}:{len('deep: ') + MAX_DEPTH}: (document): "
        f"nesting is deeper than {MAX_DEPTH} levels"
    ]


def test_block_nesting_is_bounded_the_same_way() -> None:
    # k0 holds level 2, so k31 holds level 33: the scalar 'v' on the last line.
    keys = "".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH))
    deeper = BASE + keys + " " * MAX_DEPTH + "v\n"
    line = BASE.count("\n") + MAX_DEPTH + 1
    assert problems(deeper) == [
        f"{FILE}:{line}:{MAX_DEPTH + 1}: (document): nesting is deeper than {MAX_DEPTH} levels"
    ]


def test_the_careful_path_reports_nesting_at_the_same_place() -> None:
    # A ' &' sends the text through the composer that checks every event.
    deeper = "# R & D\n" + BASE + "deep: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    line = BASE.count("\n") + 2
    assert problems(deeper) == [
        f"{FILE}:{line}:{len('deep: ') + MAX_DEPTH}: (document): "
        f"nesting is deeper than {MAX_DEPTH} levels"
    ]


def test_nesting_a_hundred_thousand_levels_deep_is_refused_quickly_without_recursion() -> None:
    # Over several lines, so the line limit does not stop it first.
    deeper = BASE + "deep:\n" + " [\n" * 100_000 + " ]\n" * 100_000
    start = time.perf_counter()
    found = problems(deeper)
    assert time.perf_counter() - start < 10
    assert len(found) == 1
    assert found[0].endswith(f": (document): nesting is deeper than {MAX_DEPTH} levels")


# --- number of applications ------------------------------------------------------------


def _applications(count: int) -> str:
    lines = [edit("applications:\n", "", BASE[: BASE.index("  settings-spa:")]), "applications:"]
    lines += [
        f"  app-{i}: {{client_id: c{i:031d}, app_type: spa, first_party: true, "
        "owner: team@acme.example, scopes: [read:me:factors]}"
        for i in range(count)
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_more_applications_than_the_limit_are_refused_at_the_applications_key() -> None:
    text = _applications(MAX_APPLICATIONS + 1)
    assert problems(text) == [
        f"{FILE}:{at(text, 'applications:')}: applications: {MAX_APPLICATIONS + 1} "
        f"applications; a spec holds at most {MAX_APPLICATIONS}: split the tenant's "
        "applications across stacks or raise the limit deliberately"
    ]


@pytest.mark.slow
def test_exactly_the_limit_of_applications_loads() -> None:
    assert len(loads(_applications(MAX_APPLICATIONS)).spec.applications) == MAX_APPLICATIONS


# --- anchors and aliases ---------------------------------------------------------------

NO_ANCHORS = (
    "(document): YAML anchors and aliases are not allowed: write every value out "
    "where it applies, so reviewers see it"
)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        pytest.param(
            "owner: identity-team@acme.example",
            "owner: &team identity-team@acme.example",
            "&team",
            id="anchor-alone",
        ),
        pytest.param("owner: mobile-team@acme.example", "owner: *team", "*team", id="alias-alone"),
        pytest.param(
            "    scopes:\n      - read:me:factors\n",
            "    scopes: [&s read:me:factors]\n",
            "&s",
            id="anchor-in-flow",
        ),
        pytest.param(
            "  mobile-app:\n", "  mobile-app:\n    <<: *defaults\n", "*defaults", id="merge-key"
        ),
    ],
)
def test_anchors_and_aliases_are_refused(old: str, new: str, needle: str) -> None:
    """Anchors and aliases are refused outright, not expanded.

    A reviewer must see every value where it applies: with ``<<: *defaults`` or
    ``scopes: *admin`` a pull request can change what an application is granted
    on a line far from the application, or in a diff hunk nobody reads. And an
    alias to an alias expands exponentially (the "billion laughs"), so a few
    hundred bytes could take the loader's memory and time.
    """
    text = edit(old, new)
    assert problems(text) == [f"{FILE}:{at(text, needle)}: {NO_ANCHORS}"]


def test_an_alias_expansion_bomb_is_refused_at_its_first_anchor_in_no_time() -> None:
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    text = BASE + "\n".join(bomb) + "\n"
    start = time.perf_counter()
    assert problems(text) == [f"{FILE}:{at(text, '&a0')}: {NO_ANCHORS}"]
    assert time.perf_counter() - start < 2


def test_a_missed_alias_is_still_never_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Should the quick scan for '&' and '*' ever miss one, the builder meets the
    # shared node a second time and refuses (at the anchored node) instead of
    # expanding it.
    monkeypatch.setattr(yamlsource, "_MAY_ANCHOR", re.compile(r"(?!)"))
    text = BASE + "a: &a [x, y]\nb: *a\n"
    assert problems(text) == [f"{FILE}:{at(text, '&a')}: {NO_ANCHORS}"]


def test_ampersands_and_asterisks_inside_values_are_plain_text() -> None:
    spaced = edit("lists the user's passkeys.", "lists passkeys & factors * R&D.")
    tight = edit("lists the user's passkeys.", "lists passkeys&factors R&D*.")
    assert loads(spaced).spec.applications["settings-spa"].justification == (
        "The Security page lists passkeys & factors * R&D."
    )
    assert loads(tight).spec.applications["settings-spa"].justification == (
        "The Security page lists passkeys&factors R&D*."
    )
    # Both readers give the same positions.
    assert loads(spaced).source.values == loads(BASE).source.values


# --- keys ------------------------------------------------------------------------------


def test_a_key_with_a_line_break_is_refused_so_it_cannot_forge_output_lines() -> None:
    # Every problem is one line of output; a key holding a line break would print
    # a second line that looks like a problem, or a CI annotation, of its own.
    text = edit("    app_type: spa\n", '    app_type: spa\n    "x\\nstacks/prod.yaml:1:1": 1\n')
    assert problems(text) == [
        f"{FILE}:13:5: applications.settings-spa: key 'x\\nstacks/prod.yaml:1:1' holds a line "
        "break or an invisible character; keys are plain text on one line"
    ]


# --- encodings and line endings --------------------------------------------------------


def test_bytes_that_are_not_utf8_are_refused_at_their_position() -> None:
    raw = edit("identity-team@acme.example", "identit\xe9-team").encode("latin-1")
    assert problems(raw) == [
        f"{FILE}:14:{len('    owner: identit') + 1}: (document): byte 0xe9 is not UTF-8; "
        "save the file as UTF-8"
    ]


def test_a_utf16_file_is_refused_at_its_first_byte() -> None:
    assert problems(BASE.encode("utf-16")) == [
        f"{FILE}:1:1: (document): byte 0xff is not UTF-8; save the file as UTF-8"
    ]


def test_control_characters_are_refused_at_their_position() -> None:
    text = edit("lists the user's", "lists the\x07user's")
    assert problems(text) == [
        f"{FILE}:{at(text, chr(7))}: (document): character U+0007 is a control character, "
        "which YAML does not allow; remove it"
    ]


def test_a_byte_order_mark_is_accepted_and_does_not_shift_columns() -> None:
    assert loads(b"\xef\xbb\xbf" + BASE.encode()).spec == loads(BASE).spec
    bad = edit("# A clean spec", "bad: key\n# A clean spec")
    assert (
        problems(b"\xef\xbb\xbf" + bad.encode())
        == problems(bad)
        == [f"{FILE}:1:1: bad: unknown key 'bad'; check its spelling and indentation"]
    )


def test_windows_line_endings_are_accepted_with_the_same_positions() -> None:
    crlf = BASE.replace("\n", "\r\n")
    assert loads(crlf).spec == loads(BASE).spec
    assert loads(crlf).source.values == loads(BASE).source.values
    bad = edit("    app_type: native\n", "    app_type: native\n    app_type: spa\n")
    assert (
        problems(bad.replace("\n", "\r\n"))
        == problems(bad)
        == [
            f"{FILE}:22:5: applications.mobile-app.app_type: duplicate key 'app_type' (first at "
            "line 21, column 5); YAML would silently keep only the last one, so remove one of them"
        ]
    )


# --- long lines ------------------------------------------------------------------------


def test_a_line_at_the_limit_loads_and_one_character_more_is_refused() -> None:
    prefix = "    justification: "
    fits = edit(
        prefix + "The Security page lists the user's passkeys.",
        prefix + "x" * (MAX_LINE - len(prefix)),
    )
    assert len(loads(fits).spec.applications["settings-spa"].justification or "") == (
        MAX_LINE - len(prefix)
    )
    longer = edit(
        prefix + "The Security page lists the user's passkeys.",
        prefix + "x" * (MAX_LINE + 1 - len(prefix)),
    )
    assert problems(longer) == [
        f"{FILE}:15:{MAX_LINE + 1}: (document): line 15 is {MAX_LINE + 1} characters long; "
        f"specs are limited to {MAX_LINE} a line so reviewers see every value whole: fold "
        "long text over several lines with '>-'"
    ]


def test_a_megabyte_value_joined_from_many_lines_is_scanned_in_linear_time() -> None:
    # A double-quoted scalar continued with '\' joins lines without a space; the
    # secret scanner once rescanned such a run from every 'eyJ' in it.
    chunk = "eyJ" * 1300
    value = '"' + "\\\n      ".join([chunk] * 256) + '"'
    text = edit("owner: identity-team@acme.example", f"owner: {value}")
    start = time.perf_counter()
    owner = loads(text).spec.applications["settings-spa"].owner
    assert time.perf_counter() - start < 10
    assert owner == chunk * 256


# --- look-alikes, whitespace, several scopes, domains ----------------------------------


def with_second_spa_scope(item: str) -> str:
    """BASE with the second scope of settings-spa (line 18, column 9) written as ``item``."""
    return edit("      - read:me:factors\n  mobile-app:", f"      - {item}\n  mobile-app:")


def test_a_cyrillic_e_in_a_scope_is_refused() -> None:
    text = with_second_spa_scope("read:m\u0435:factors")
    assert problems(text) == [
        f"{FILE}:18:9: applications.settings-spa.scopes[1]: scope 'read:m\u0435:factors' "
        "contains non-ASCII characters (look-alike letters?)"
    ]


def test_a_cyrillic_a_in_the_domain_is_refused() -> None:
    assert problems(edit("acme.eu", "\u0430cme.eu")) == [
        f"{FILE}:4:11: tenant.domain: the domain contains non-ASCII characters (look-alike "
        "letters?); write the tenant's canonical domain in plain ASCII"
    ]


def test_whitespace_around_a_scope_is_refused_with_the_fix() -> None:
    text = with_second_spa_scope("' read:me:factors '")
    assert problems(text) == [
        f"{FILE}:18:9: applications.settings-spa.scopes[1]: scope ' read:me:factors ' has "
        "whitespace around it; write 'read:me:factors'"
    ]


def test_several_scopes_in_one_item_are_refused_with_the_list_to_write() -> None:
    text = with_second_spa_scope("read:me:factors read:me:authentication_methods")
    assert problems(text) == [
        f"{FILE}:18:9: applications.settings-spa.scopes[1]: scope 'read:me:factors "
        "read:me:authentication_methods' holds several scopes; list them one per item: "
        "'read:me:factors', 'read:me:authentication_methods'"
    ]


def test_scopes_written_as_one_string_are_refused_with_the_list_to_write() -> None:
    text = edit(
        "    scopes:\n      - read:me:authentication_methods\n      - read:me:factors\n",
        "    scopes: read:me:authentication_methods read:me:factors\n",
    )
    assert problems(text) == [
        f"{FILE}:16:13: applications.settings-spa.scopes: write the scopes as a list, one per "
        "item: 'read:me:authentication_methods', 'read:me:factors'"
    ]


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        (
            "https://acme.eu.auth0.com/",
            "write the bare host name without the scheme: 'acme.eu.auth0.com'",
        ),
        (
            "acme.eu.auth0.com/me/",
            "write the bare host name without path or port: 'acme.eu.auth0.com'",
        ),
        (
            "acme.eu.auth0.com:443",
            "write the bare host name without path or port: 'acme.eu.auth0.com'",
        ),
        ("ACME.eu.auth0.com", "write the domain in lower case: 'acme.eu.auth0.com'"),
    ],
)
def test_a_domain_with_a_scheme_path_port_or_capitals_is_refused(domain: str, message: str) -> None:
    assert problems(edit("domain: acme.eu.auth0.com", f"domain: {domain}")) == [
        f"{FILE}:4:11: tenant.domain: {message}"
    ]


# --- secrets ---------------------------------------------------------------------------

ADVICE = (
    "remove it from the spec, rotate it if it was ever committed, and keep credentials "
    "in 'pulumi config set --secret'"
)


@pytest.mark.parametrize(
    ("old", "new", "secret", "expected"),
    [
        pytest.param(
            "The Security page lists the user's passkeys.",
            CLIENT_SECRET,
            CLIENT_SECRET,
            "15:20: applications.settings-spa.justification: this looks like an Auth0 "
            "client secret",
            id="client-secret-value",
        ),
        pytest.param(
            "identity-team@acme.example",
            f"Bearer {JWT}",
            JWT,
            "14:12: applications.settings-spa.owner: this looks like a JSON Web Token "
            "(access or ID token)",
            id="jwt",
        ),
        pytest.param(
            "justification: The Security page lists the user's passkeys.",
            f"justification: |\n      {PRIVATE_KEY_LINE}\n      MIIEowIBAAKCAQEA\n",
            "MIIEowIBAAKCAQEA",
            "15:20: applications.settings-spa.justification: this looks like a private key",
            id="private-key",
        ),
        pytest.param(
            "    owner: mobile-team@acme.example\n",
            "    owner: mobile-team@acme.example\n    client_secret: ${CLIENT_SECRET}\n",
            "${CLIENT_SECRET}",
            "24:5: applications.mobile-app: this looks like a secret's key ('client_secret')",
            id="client-secret-key",
        ),
        pytest.param(
            "    owner: mobile-team@acme.example\n",
            f"    owner: mobile-team@acme.example\n    {CLIENT_SECRET}: x\n",
            CLIENT_SECRET,
            "24:5: applications.mobile-app: this looks like an Auth0 client secret, "
            "written as a key",
            id="secret-as-key",
        ),
        pytest.param(
            "The Security page lists the user's passkeys.",
            f"{'-' * 70} {CLIENT_SECRET}",
            CLIENT_SECRET,
            "15:20: applications.settings-spa.justification: this looks like an Auth0 "
            "client secret",
            id="secret-after-a-row-of-dashes",
        ),
        pytest.param(
            "domain: acme.eu.auth0.com",
            f"domain: {JWT}",
            JWT,
            "4:11: tenant.domain: this looks like a JSON Web Token (access or ID token)",
            id="secret-where-the-schema-also-fails",
        ),
    ],
)
def test_secret_looking_values_are_refused_without_echoing_them(
    old: str, new: str, secret: str, expected: str
) -> None:
    found = problems(edit(old, new))
    assert found == [f"{FILE}:{expected}; {ADVICE}"]
    assert not any(secret in line or secret[:16] in line for line in found)


def test_a_secret_under_a_secrets_key_is_reported_twice_and_shown_neither_time() -> None:
    found = problems(
        edit(
            "    owner: mobile-team@acme.example\n",
            f"    owner: mobile-team@acme.example\n    client_secret: {CLIENT_SECRET}\n",
        )
    )
    assert found == [
        f"{FILE}:24:5: applications.mobile-app: this looks like a secret's key ('client_secret'); "
        f"{ADVICE}",
        f"{FILE}:24:20: applications.mobile-app.client_secret: this looks like an Auth0 client "
        f"secret; {ADVICE}",
    ]
    assert not any(CLIENT_SECRET[:16] in line for line in found)


def test_client_ids_and_long_plain_words_are_not_taken_for_secrets() -> None:
    text = edit(
        "The Security page lists the user's passkeys.",
        "a" * 80 + " " + "-" * 70 + " Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH",
    )
    loads(text)


def test_problems_are_capped_per_file_saying_how_many_were_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tenantcfg.cli import main

    apps = "".join(f"  app-{i}:\n    client_id: short\n" for i in range(300))
    spec = tmp_path / "many.yaml"
    spec.write_text(
        f"tenant:\n  domain: acme.eu.auth0.com\napplications:\n{apps}", encoding="utf-8"
    )
    assert main(["check", "--spec", str(spec), "--spec-only"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 101
    shown = [line for line in lines if line.startswith(f"{spec}:") and ": applications." in line]
    assert len(shown) == 100
    assert lines[-1].startswith(f"{spec}: ")
    assert lines[-1].endswith(" more problems not shown; fix the ones above first")
    total = int(lines[-1].split(": ")[1].split()[0]) + 100
    assert total == 300 * 5  # each application: a bad client id and four missing keys
