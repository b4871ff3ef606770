"""Values from a spec cannot forge lines of output or CI annotations."""

from __future__ import annotations

from pathlib import Path

from helpers.paths import FIXTURE_WAIVER_DAYS, ROOT
from tenantcfg.output.findings import as_github, as_text
from tenantcfg.review.checker import check_spec
from tenantcfg.rules.model import Settings
from tenantcfg.spec.loader import load_file

FORGED = "fake.yaml:1:1: [mandatory] my_account_api: forged (MYACC-001)"


def _waived_with_reason(tmp_path: Path, reason: str) -> Path:
    text = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")
    start = text.index("  authorization_policy:")
    end = text.index("\napplications:")
    text = text[:start] + text[end + 1 :]
    quoted = reason.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
    text = text.replace(
        "waivers: []",
        "waivers:\n  - rule: MYACC-015\n"
        "    application: mobile-app\n"
        f'    reason: "{quoted}"\n    expires: 2099-12-31\n',
    )
    spec = tmp_path / "dev.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def test_a_line_break_in_a_waiver_reason_cannot_forge_a_finding_line(tmp_path: Path) -> None:
    spec = _waived_with_reason(tmp_path, f"rollout\n{FORGED}")
    findings = check_spec(load_file(spec), Settings(max_waiver_days=FIXTURE_WAIVER_DAYS))
    assert any(f.waiver is not None for f in findings)
    text = as_text(findings)
    assert len(text.splitlines()) == len(findings) + 1
    assert not any(line.startswith("fake.yaml") for line in text.splitlines())
    assert "rollout\\nfake.yaml:1:1" in text


def test_a_line_break_in_a_waiver_reason_cannot_forge_an_annotation(tmp_path: Path) -> None:
    spec = _waived_with_reason(tmp_path, f"rollout\n::error file=x::{FORGED}")
    findings = check_spec(load_file(spec), Settings(max_waiver_days=FIXTURE_WAIVER_DAYS))
    lines = as_github(findings).splitlines()
    assert len(lines) == len(findings) + 1
    assert [line for line in lines if line.startswith("::error")] == []
    [notice] = [line for line in lines if line.startswith("::notice")]
    assert notice.endswith("(waived until 2099-12-31: rollout\\n::error file=x::" + FORGED + ")")
