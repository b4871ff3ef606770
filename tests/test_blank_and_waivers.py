"""Blank means blank, waivers are short-lived, and no waiver opens /me/ to the wrong app."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers.paths import ROOT
from tenantcfg.review.checker import check_spec
from tenantcfg.review.located import Located
from tenantcfg.rules import REGISTRY
from tenantcfg.rules.model import Settings
from tenantcfg.spec.loader import load_bytes, load_file
from tenantcfg.spec.problems import SpecError
from tenantcfg.spec.text import is_blank

INVISIBLE = [
    "\u200b",
    "\u200b\u200c\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u180e",
    "\u3164",
    "\u115f\u1160",
    "\uffa0",
    "\u2800",
    "\u202e\u202c",
    "\u2066\u2069",
    "\u034f",
    " \t\u00a0\u2003\u3000",
    "\u200e\u200f",
    "\U000e0020\U000e0041",
    "\u0301\u0302",
]


@pytest.mark.parametrize("text", INVISIBLE, ids=lambda t: "+".join(f"U{ord(c):04X}" for c in t))
def test_invisible_characters_are_blank(text: str) -> None:
    assert is_blank(text)
    assert is_blank(f" {text}\n{text} ")


@pytest.mark.parametrize("text", ["ok", "é", "\u200bx", "日本", "0", "-"])
def test_anything_that_shows_is_text(text: str) -> None:
    assert not is_blank(text)


BASE = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")


def _spec(owner: str, justification: str) -> bytes:
    return (
        "tenant:\n  domain: acme.eu.auth0.com\napplications:\n  spa:\n"
        "    client_id: Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH\n    app_type: spa\n"
        f'    first_party: true\n    owner: "{owner}"\n'
        f'    justification: "{justification}"\n    scopes: [read:me:factors]\n'
    ).encode()


def _escaped(text: str) -> str:
    return text.encode("unicode_escape").decode()


@pytest.mark.parametrize("text", INVISIBLE[:8], ids=lambda t: f"U{ord(t[0]):04X}")
def test_an_invisible_owner_or_justification_is_refused(text: str) -> None:
    for raw, field in (
        (_spec(_escaped(text), "Lists factors."), "owner"),
        (_spec("team@acme.example", _escaped(text)), "justification"),
    ):
        with pytest.raises(SpecError) as caught:
            load_bytes(raw, "spec.yaml")
        (problem,) = caught.value.problems
        assert f"applications.spa.{field}: must not be blank" in str(problem)


WAIVE = (
    "waivers: []\n",
    "waivers:\n  - rule: MYACC-015\n    application: mobile-app\n"
    "    reason: {reason}\n    expires: {expires}\n",
)


def _waived(tmp_path: Path, reason: str, expires: dt.date, rule: str = "MYACC-015") -> Path:
    text = BASE.replace("  authorization_policy:\n", "  # no step-up\n").replace(
        "    # The id of this tenant's own step-up policy (second factor within 15 minutes).\n"
        "    policy_id: 019b76da-a800-73c9-b656-b349ae415c17\n",
        "",
    )
    text = text.replace(WAIVE[0], WAIVE[1].format(reason=reason, expires=expires.isoformat()))
    text = text.replace("rule: MYACC-015", f"rule: {rule}")
    path = tmp_path / "dev.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _on(findings: list[Located], rule: str) -> set[tuple[str, bool]]:
    return {(f.resource, f.waiver is not None) for f in findings if f.rule.id == rule}


TODAY = dt.date.today()


def test_a_waiver_within_the_cap_silences_its_finding(tmp_path: Path) -> None:
    findings = check_spec(load_file(_waived(tmp_path, "rollout", TODAY + dt.timedelta(days=90))))
    assert ("mobile-app", True) in _on(findings, "MYACC-015")
    assert _on(findings, "MYACC-018") == set()


@pytest.mark.parametrize(("days", "cap"), [(91, 90), (365, 90), (31, 30), (10_000, 90)])
def test_a_waiver_longer_than_the_cap_is_a_finding_and_silences_nothing(
    tmp_path: Path, days: int, cap: int
) -> None:
    expires = TODAY + dt.timedelta(days=days)
    findings = check_spec(
        load_file(_waived(tmp_path, "rollout", expires)), Settings(max_waiver_days=cap)
    )
    assert ("mobile-app", False) in _on(findings, "MYACC-015")
    [finding] = [f for f in findings if f.rule.id == "MYACC-018"]
    assert f"more than {cap} days from today" in finding.message
    assert finding.blocking


@pytest.mark.parametrize("reason", ['"\\u200b"', '"\\u2800\\u3164"', '" \\u00a0 "'])
def test_a_waiver_with_an_invisible_reason_silences_nothing(tmp_path: Path, reason: str) -> None:
    findings = check_spec(load_file(_waived(tmp_path, reason, TODAY + dt.timedelta(days=10))))
    assert ("mobile-app", False) in _on(findings, "MYACC-015")
    assert any("has no reason" in f.message for f in findings if f.rule.id == "MYACC-018")


# Each rule that, waived, would let an application without a signed-in user or a
# third-party application near the user's own account.
UNWAIVABLE = {
    "MYACC-001",
    "MYACC-002",
    "MYACC-003",
    "MYACC-004",
    "MYACC-005",
    "MYACC-010",
    "MYACC-011",
    "MYACC-018",
    # A waived placeholder would let a grant nobody answers for pass review.
    "MYACC-020",
}


def test_rules_that_guard_who_reaches_me_cannot_be_waived() -> None:
    assert {rule_id for rule_id, rule in REGISTRY.items() if not rule.waivable} == UNWAIVABLE


def test_a_third_party_machine_to_machine_app_fails_whatever_the_waivers_say(
    tmp_path: Path,
) -> None:
    text = BASE.replace(
        "    app_type: native\n    first_party: true\n",
        "    app_type: non_interactive\n    first_party: false\n",
    )
    text = text.replace(
        WAIVE[0],
        "waivers:\n"
        + "".join(
            f"  - rule: {rule}\n    application: mobile-app\n    reason: partner integration\n"
            f"    expires: {(TODAY + dt.timedelta(days=30)).isoformat()}\n"
            for rule in ("MYACC-011", "MYACC-015", "MYACC-016")
        ),
    )
    path = tmp_path / "dev.yaml"
    path.write_text(text, encoding="utf-8")
    findings = check_spec(load_file(path))
    assert {("mobile-app", False)} == _on(findings, "MYACC-011")
    assert any("cannot be waived" in f.message for f in findings if f.rule.id == "MYACC-018")
