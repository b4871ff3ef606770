"""``tenantcfg diff``: reviewed golden files, risk tagging, ``--fail-on`` and bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers.paths import ROOT
from tenantcfg.catalogue.scopes import CATALOGUE, Risk
from tenantcfg.cli import main
from tenantcfg.review.diff import Effect, Section, compare
from tenantcfg.spec.loader import load_bytes, load_file
from tenantcfg.spec.model import TenantSpec

GOLDEN = Path(__file__).parent / "golden" / "diff"
REGENERATE = os.environ.get("TENANTCFG_REGENERATE_GOLDEN") == "1"
BASE = "tests/specs/diff/base.yaml"
HEAD = "tests/specs/diff/head.yaml"
ABSENT = "tests/specs/diff/absent.yaml"  # never created: a side whose file does not exist


def _diff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; set TENANTCFG_REGENERATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths in the output are as the user typed them: run from the project root.
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (["stacks/dev.yaml", "stacks/prod.yaml"], "dev-prod.md"),
        ([BASE, HEAD], "base-to-head.md"),
        ([BASE, HEAD, "--format", "json"], "base-to-head.json"),
        ([HEAD, BASE], "head-to-base.md"),
        ([ABSENT, "stacks/prod.yaml"], "new-stack.md"),
        (["stacks/dev.yaml", ABSENT], "removed-stack.md"),
        (["stacks/prod.yaml", "stacks/prod.yaml"], "unchanged.md"),
    ],
)
def test_diff_matches_reviewed_golden_file(
    capsys: pytest.CaptureFixture[str], args: list[str], golden: str
) -> None:
    assert not (ROOT / ABSENT).exists()
    code, out, _ = _diff(capsys, *args)
    assert code == 0
    _golden(golden, out)


def _changes(
    capsys: pytest.CaptureFixture[str], *args: str
) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    code, out, _ = _diff(capsys, *args, "--format", "json")
    assert code == 0
    return {
        (c["section"], c["subject"], c["item"]): (c["kind"], c["effect"], c["risk"])
        for c in json.loads(out)["changes"]
    }


def test_every_kind_of_change_is_found_and_tagged(capsys: pytest.CaptureFixture[str]) -> None:
    changes = _changes(capsys, BASE, HEAD)
    api = "my_account_api"
    assert changes == {
        ("settings", api, "user policy"): ("changed", "raises", "critical"),
        ("settings", api, "anonymous_user policy"): ("changed", "raises", "critical"),
        ("settings", api, "step-up authorization_policy"): ("changed", "raises", "high"),
        ("settings", api, "adopt_id"): ("changed", "raises", "medium"),
        ("settings", api, "proof of possession"): ("changed", "raises", "medium"),
        ("settings", api, "skip consent for first-party clients"): ("changed", "raises", "medium"),
        ("settings", api, "token lifetime"): ("changed", "raises", "medium"),
        ("applications", "kiosk", "application"): ("added", "raises", "critical"),
        ("applications", "partner-widget", "application"): ("added", "raises", "critical"),
        ("applications", "support-console", "app_type"): ("changed", "raises", "critical"),
        ("applications", "support-console", "first_party"): ("changed", "raises", "critical"),
        ("applications", "mobile-app", "client_id"): ("changed", "raises", "low"),
        ("applications", "mobile-app", "owner"): ("changed", "neutral", "low"),
        ("applications", "mobile-app", "justification"): ("changed", "neutral", "low"),
        ("applications", "legacy-portal", "application"): ("removed", "lowers", "high"),
        ("scopes", "account-settings-spa", "delete:me:authentication_methods"): (
            "added",
            "raises",
            "critical",
        ),
        ("scopes", "account-settings-spa", "read:me:profile"): ("added", "raises", "low"),
        ("scopes", "account-settings-spa", "create:me:authentication_methods"): (
            "removed",
            "lowers",
            "critical",
        ),
        ("scopes", "account-settings-spa", "read:me:factors"): ("removed", "lowers", "low"),
        ("scopes", "kiosk", "create:me:authentication_methods"): ("added", "raises", "critical"),
        ("scopes", "kiosk", "read:me:factors"): ("added", "raises", "low"),
        ("scopes", "partner-widget", "read:me:connected_accounts"): ("added", "raises", "medium"),
        ("scopes", "legacy-portal", "read:me:connected_accounts"): ("removed", "lowers", "medium"),
        ("scopes", "legacy-portal", "delete:me:connected_accounts"): ("removed", "lowers", "high"),
        ("waivers", api, "MYACC-001"): ("added", "raises", "critical"),
        ("waivers", "mobile-app", "MYACC-015"): ("extended", "raises", "medium"),
        ("waivers", api, "MYACC-017"): ("shortened", "lowers", "low"),
        ("waivers", api, "MYACC-014"): ("changed", "neutral", "low"),
        ("waivers", "legacy-portal", "MYACC-016"): ("removed", "lowers", "low"),
    }


def test_reversing_the_sides_reverses_every_direction(capsys: pytest.CaptureFixture[str]) -> None:
    forward = _changes(capsys, BASE, HEAD)
    backward = _changes(capsys, HEAD, BASE)
    assert forward.keys() == backward.keys()
    flipped = {
        "added": "removed",
        "removed": "added",
        "extended": "shortened",
        "shortened": "extended",
        "changed": "changed",
    }
    for key, (kind, _, _) in forward.items():
        assert backward[key][0] == flipped[kind], key
    # Loosened policies read back as tightened, at the level they were.
    assert backward[("settings", "my_account_api", "user policy")] == (
        "changed",
        "lowers",
        "critical",
    )


def _spec(text: str) -> TenantSpec:
    return load_bytes(text.encode(), "inline.yaml").spec


def _dev_with(**apps_scopes: list[str]) -> TenantSpec:
    dev = load_file(ROOT / "stacks" / "dev.yaml").spec
    apps = {
        name: app.model_copy(update={"scopes": apps_scopes.get(name, app.scopes)})
        for name, app in dev.applications.items()
    }
    return dev.model_copy(update={"applications": apps})


@pytest.mark.parametrize("scope", sorted(CATALOGUE))
def test_scope_changes_carry_the_catalogue_risk(scope: str) -> None:
    without = _dev_with(**{"partner-portal": ["read:me:connected_accounts"]})
    with_it = _dev_with(**{"partner-portal": ["read:me:connected_accounts", scope]})
    added = compare(without, with_it, "a", "b").changes
    removed = compare(with_it, without, "b", "a").changes
    if scope == "read:me:connected_accounts":
        assert added == removed == ()
        return
    assert [(c.section, c.item, c.effect, c.risk) for c in added] == [
        (Section.SCOPES, scope, Effect.RAISES, CATALOGUE[scope].risk)
    ]
    assert [(c.section, c.item, c.effect, c.risk) for c in removed] == [
        (Section.SCOPES, scope, Effect.LOWERS, CATALOGUE[scope].risk)
    ]


@pytest.mark.parametrize(
    ("flow", "old", "new", "effect", "risk"),
    [
        ("user", "require_client_grant", "allow_all", Effect.RAISES, Risk.CRITICAL),
        ("user", "deny_all", "allow_all", Effect.RAISES, Risk.CRITICAL),
        ("user", "deny_all", "require_client_grant", Effect.RAISES, Risk.MEDIUM),
        ("user", "require_client_grant", "deny_all", Effect.LOWERS, Risk.MEDIUM),
        ("user", "allow_all", "require_client_grant", Effect.LOWERS, Risk.CRITICAL),
        ("anonymous_user", "deny_all", "require_client_grant", Effect.RAISES, Risk.CRITICAL),
    ],
)
def test_policy_changes_are_graded(
    flow: str, old: str, new: str, effect: Effect, risk: Risk
) -> None:
    def spec(value: str) -> TenantSpec:
        return _spec(
            "tenant: {domain: acme-dev.eu.auth0.com}\n"
            f"my_account_api: {{policies: {{{flow}: {value}}}}}\n"
        )

    [change] = compare(spec(old), spec(new), "a", "b").changes
    assert (change.item, change.before, change.after) == (f"{flow} policy", old, new)
    assert (change.effect, change.risk) == (effect, risk)


def _variant(tmp_path: Path, old: str, new: str) -> str:
    text = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "head.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


LOW_SCOPE = (
    "      - create:me:connected_accounts\n",
    "      - create:me:connected_accounts\n      - read:me:profile\n",
)
LONGER_TOKENS = ("token_lifetime: 600", "token_lifetime: 7200")
NO_DELETE = ("      - delete:me:authentication_methods\n", "")
ALLOW_ALL = ("user: require_client_grant", "user: allow_all")


@pytest.mark.parametrize(
    ("edit", "fail_on", "code"),
    [
        (LOW_SCOPE, "low", 1),
        (LOW_SCOPE, "medium", 0),
        (LONGER_TOKENS, "medium", 1),
        (LONGER_TOKENS, "high", 0),
        (NO_DELETE, "low", 0),  # removing a scope only lowers risk
        (ALLOW_ALL, "critical", 1),
        (ALLOW_ALL, None, 0),  # without --fail-on the diff only informs
    ],
)
def test_fail_on_exits_1_when_the_change_raises_risk_that_far(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    edit: tuple[str, str],
    fail_on: str | None,
    code: int,
) -> None:
    head = _variant(tmp_path, *edit)
    extra = ["--fail-on", fail_on] if fail_on else []
    got, out, _ = _diff(capsys, "stacks/dev.yaml", head, *extra)
    assert got == code
    assert out.startswith("## My Account API changes")


def test_output_option_writes_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "comment.md"
    code, out, _ = _diff(capsys, BASE, HEAD, "--output", str(target))
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8") == (GOLDEN / "base-to-head.md").read_text(
        encoding="utf-8"
    )


def test_invalid_spec_exits_2_at_file_line_col(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _diff(capsys, "stacks/dev.yaml", "tests/specs/diff/invalid.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "tests/specs/diff/invalid.yaml:7:5: my_account_api.policies.usr: unknown "
        "key 'usr'; check its spelling and indentation\n"
    )


def test_both_sides_invalid_reports_both(capsys: pytest.CaptureFixture[str]) -> None:
    invalid = "tests/specs/diff/invalid.yaml"
    code, _, err = _diff(capsys, invalid, invalid)
    assert code == 2
    assert err.count(f"{invalid}:7:5:") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([ABSENT, ABSENT], "neither"),
        (["tests/specs", "stacks/dev.yaml"], "tests/specs:1:1: (document): a directory"),
    ],
)
def test_unusable_sides_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = _diff(capsys, *args)
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


def test_unknown_fail_on_level_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _diff(capsys, BASE, HEAD, "--fail-on", "severe")
    assert code == 2
    assert "invalid choice: 'severe'" in err


def test_a_renamed_application_is_one_rename_plus_its_real_changes(tmp_path: Path) -> None:
    head = _variant(tmp_path, "  mobile-app:\n", "  mobile-banking-app:\n")
    text = (
        Path(head)
        .read_text(encoding="utf-8")
        .replace("      - delete:me:authentication_methods\n", "", 1)
    )
    Path(head).write_text(text, encoding="utf-8")
    changes = compare(
        load_file(ROOT / "stacks" / "dev.yaml").spec, load_file(head).spec, "a", "b"
    ).changes
    assert {(c.subject, c.item, c.kind, c.before, c.after) for c in changes} == {
        ("mobile-banking-app", "application", "renamed", "mobile-app", "mobile-banking-app"),
        (
            "mobile-banking-app",
            "delete:me:authentication_methods",
            "removed",
            "delete:me:authentication_methods",
            None,
        ),
    }


def test_two_entries_of_one_client_are_not_paired_as_a_rename(tmp_path: Path) -> None:
    cid = "Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df"
    head = _variant(tmp_path, "  mobile-app:\n", "  mobile-banking-app:\n")
    text = Path(head).read_text(encoding="utf-8").replace("Gh2Jk4Lm6Np8Qr0St1Uv3Wx5Yz7Ab9Cd", cid)
    Path(head).write_text(text, encoding="utf-8")
    changes = compare(
        load_file(ROOT / "stacks" / "dev.yaml").spec, load_file(head).spec, "a", "b"
    ).changes
    kinds = {(c.subject, c.kind) for c in changes if c.item == "application"}
    assert kinds == {("mobile-app", "removed"), ("mobile-banking-app", "added")}


def test_an_added_application_s_risk_knows_the_scopes_its_spec_declares() -> None:
    declared = (
        "declared_scopes:\n  read:me:sessions:\n    unlocks: Lists the user's sessions.\n"
        "    risk: low\n    sensitive: false\n    justification: Reviewed by the identity team.\n"
    )
    base = _spec("version: 1\ntenant:\n  domain: acme.eu.auth0.com\n" + declared)
    head = _spec(
        "version: 1\ntenant:\n  domain: acme.eu.auth0.com\n" + declared + "applications:\n"
        "  sessions-page:\n    client_id: Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH\n    app_type: spa\n"
        "    first_party: true\n    owner: identity-team@acme.example\n"
        "    scopes:\n      - read:me:sessions\n"
    )
    rows = {(c.subject, c.item): c.risk for c in compare(base, head, "a", "b").changes}
    assert rows == {
        ("sessions-page", "application"): Risk.LOW,
        ("sessions-page", "read:me:sessions"): Risk.LOW,
    }
