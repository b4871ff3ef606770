"""The benchmark script runs end to end at small sizes, so it cannot rot. No timing is asserted."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers.paths import ROOT


@pytest.mark.slow
def test_the_benchmark_runs_at_small_sizes_and_prints_its_tables() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--sizes",
            "10,50",
            "--repeat",
            "1",
            "--audit-grants",
            "150",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("`python bench/run.py --sizes 10,50 --repeat 1` — medians of 1 runs;")
    ratio = r"\*\*\d+\.\d\dx\*\*"
    for size in ("10", "50"):
        # (a) the check, in-process and as a process, and (b) the program under mocks.
        assert re.search(rf"^\| {size} \| \d+ KiB \|.*\| {ratio} \|.*x \|$", out, re.M), out
        assert re.search(
            rf"^\| {size} \| {int(size) + 1} \| .* s \| .* s \| {ratio} \|", out, re.M
        ), out
    # (c) the audit and (d) the import against the fake: the requests each made, by operation.
    for command in ("audit", "import"):
        assert re.search(
            rf"^\| {command} \| 150 \| \*\*\d+\*\* \| .*get /client-grants: 2.*\| 2 \+ 2 \+ c \|",
            out,
            re.M,
        ), out
    assert "Traceback" not in result.stderr
