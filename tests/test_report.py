"""``tenantcfg report``: golden Markdown and JSON, HTML parsed structurally and rendered once."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.paths import ROOT, SPECS

GOLDEN = Path(__file__).parent / "golden" / "report"
FIXTURE = SPECS / "report" / "waived-and-failing.yaml"
EPOCH = "1796000000"  # 2026-11-30 00:53 UTC: reports stamp this instead of the clock
REGENERATE = os.environ.get("TENANTCFG_REGENERATE_GOLDEN") == "1"


def _report(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return run_cli("report", *args, "--max-waiver-days", "40000", env=env)


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; set TENANTCFG_REGENERATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "golden", "code"),
    [
        (["--stack", "dev"], "dev.md", 0),
        (["--stack", "dev", "--stack", "prod"], "dev-prod.md", 0),
        (["--spec", str(FIXTURE.relative_to(ROOT))], "waived-and-failing.md", 1),
        (
            ["--spec", str(FIXTURE.relative_to(ROOT)), "--format", "json"],
            "waived-and-failing.json",
            1,
        ),
    ],
)
def test_report_matches_reviewed_golden_file(args: list[str], golden: str, code: int) -> None:
    result = _report(*args)
    assert result.returncode == code, result.stderr
    _golden(golden, result.stdout)


def test_json_report_marks_waived_and_expired_waivers() -> None:
    result = _report("--spec", str(FIXTURE), "--format", "json", "--spec-only")
    stack = json.loads(result.stdout)["stacks"][0]
    waived = {(f["rule"], f["resource"]) for f in stack["findings"] if f["waived"]}
    mandatory = {
        (f["rule"], f["resource"])
        for f in stack["findings"]
        if f["level"] == "mandatory" and not f["waived"]
    }
    assert waived == {("MYACC-015", "kiosk")}
    assert mandatory == {("MYACC-001", "my_account_api"), ("MYACC-018", "waivers[1]")}
    assert {w["application"]: w["status"] for w in stack["waivers"]} == {
        "kiosk": "active",
        "support-console": "expired",
    }
    assert stack["counts"]["mandatory"] == 2


class _Outline(HTMLParser):
    """Collects what a reader navigates by: headings, tables, links, scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self.external: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("h1", "h2", "h3"):
            self._in_heading = True
            self.headings.append("")
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3"):
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading and self.headings:
            self.headings[-1] += data


def test_html_report_is_one_self_contained_structured_document() -> None:
    result = _report("--stack", "dev", "--stack", "prod", "--format", "html")
    assert result.returncode == 0, result.stderr
    outline = _Outline()
    outline.feed(result.stdout)
    assert outline.external == []  # no stylesheet, script, font or image to fetch
    assert "script" not in outline.tags
    assert outline.headings[0] == "My Account API policy review: dev, prod"
    assert "Where the stacks differ" in outline.headings
    assert "Stack dev — acme-dev.eu.auth0.com" in outline.headings
    assert "Stack prod — acme.eu.auth0.com" in outline.headings
    assert outline.headings.count("Application \u00d7 scope") == 2
    assert outline.tags.count("table") >= 10


@pytest.mark.slow
def test_html_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium on this machine (Debian package 'chromium'); CI installs it")
    page = tmp_path / "report.html"
    shot = tmp_path / "report.png"
    result = _report("--spec", str(FIXTURE), "--format", "html", "--output", str(page))
    assert result.returncode == 1
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,1600",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=90,
        check=True,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 1600)


def test_two_specs_with_one_file_name_keep_their_differences(tmp_path: Path) -> None:
    for where, domain in (("a", "acme-dev.eu.auth0.com"), ("b", "acme.eu.auth0.com")):
        (tmp_path / where).mkdir()
        text = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")
        if where == "b":
            text = text.replace("token_lifetime: 600", "token_lifetime: 300")
        (tmp_path / where / "stack.yaml").write_text(
            text.replace("acme-dev.eu.auth0.com", domain), encoding="utf-8"
        )
    result = _report(
        "--spec",
        str(tmp_path / "a" / "stack.yaml"),
        "--spec",
        str(tmp_path / "b" / "stack.yaml"),
        "--format",
        "json",
        "--spec-only",
    )
    report = json.loads(result.stdout)
    names = [s["stack"] for s in report["stacks"]]
    assert len(set(names)) == 2
    assert {d["what"] for d in report["differences"]} >= {"setting: token lifetime (s)"}


def test_the_report_and_the_diff_agree_on_an_applications_risk(tmp_path: Path) -> None:
    # A third-party application with one low scope: critical, whichever view shows it.
    from tenantcfg.review.diff import Section, compare
    from tenantcfg.review.report.model import stack_report
    from tenantcfg.spec.loader import load_file

    text = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")
    head = text.replace(
        "waivers: []",
        "  partner-widget:\n"
        "    client_id: Kd8Lp2Qx7Rz4Tm1Vn6Wb3Yc9Fh5Gj0Ns\n    app_type: spa\n"
        "    first_party: false\n    owner: partner-platform@acme.example\n"
        "    scopes: [read:me:factors]\nwaivers: []",
    )
    path = tmp_path / "dev.yaml"
    path.write_text(head, encoding="utf-8")
    loaded = load_file(path)
    report = stack_report("dev", loaded, [], dt.date(2026, 1, 1))
    [row] = [a for a in report.applications if a.name == "partner-widget"]
    changes = compare(load_file(ROOT / "stacks" / "dev.yaml").spec, loaded.spec, "a", "b").changes
    [added] = [c for c in changes if c.section is Section.APPLICATIONS and c.kind == "added"]
    assert row.highest_risk == added.risk.value == "critical"


def test_a_waiver_the_waiver_rule_refuses_is_not_reported_as_active() -> None:
    spec = SPECS / "rules" / "invalid-waivers.yaml"  # its header says what each waiver lacks
    args = ("report", "--spec", str(spec), "--spec-only", "--format", "json")
    result = run_cli(*args, "--max-waiver-days", "40000")
    (stack,) = json.loads(result.stdout)["stacks"]
    status = {w["application"] + " " + w["rule"]: w["status"] for w in stack["waivers"]}
    refused = "not in force (MYACC-018)"
    assert status == {
        "expired-waiver MYACC-009": "expired",
        "reasonless-waiver MYACC-009": refused,
        "unknown-rule-waiver MYACC-099": refused,
        "no-such-application MYACC-009": refused,
        "unknown-rule-waiver MYACC-018": refused,
        "valid-waiver MYACC-009": "active",
    }
