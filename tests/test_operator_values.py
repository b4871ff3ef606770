"""Bad operator values, unwritable outputs and odd spec files: exit 2 with a message.

Never a traceback, and never exit 1, which means "findings".
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.paths import ROOT
from tenantcfg.cli import main

DEV = str(ROOT / "stacks" / "dev.yaml")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["audit", "--spec", DEV, "--timeout", "-1"], "--timeout"),
        (["audit", "--spec", DEV, "--timeout", "nan"], "--timeout"),
        (["audit", "--spec", DEV, "--timeout", "inf"], "--timeout"),
        (["audit", "--spec", DEV, "--timeout", "0"], "--timeout"),
        (["audit", "--spec", DEV, "--max-wait", "nan"], "--max-wait"),
        (["audit", "--spec", DEV, "--deadline", "-inf"], "--deadline"),
        (["audit", "--spec", DEV, "--max-retries", "-2"], "--max-retries"),
        (["check", "--spec", DEV, "--max-token-lifetime", "0"], "--max-token-lifetime"),
        (["check", "--spec", DEV, "--max-token-lifetime", "-600"], "--max-token-lifetime"),
        (["check", "--spec", DEV, "--max-waiver-days", "0"], "--max-waiver-days"),
        (["policy-config", "--spec", DEV, "--max-token-lifetime", "x"], "--max-token-lifetime"),
    ],
)
def test_a_bad_operator_value_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert named in err
    assert "Traceback" not in err


@pytest.mark.parametrize("epoch", ["yesterday", "1e9", "-5", "99999999999999999999", "١٢٣"])
def test_a_bad_source_date_epoch_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert main(["report", "--spec", DEV, "--spec-only"]) == 2
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH" in err


@pytest.mark.parametrize("name", ["AUTH0_API_TOKEN", "AUTH0_CLIENT_SECRET"])
def test_a_credential_with_foreign_characters_is_refused_unechoed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("AUTH0_CLIENT_ID", "Au7dIt9Ro2Nl4Yq6Ck8Ap1Pz3Xm5Vb0Ns")
    monkeypatch.setenv(name, "s\u00e9cret\u200b-value")
    assert main(["audit", "--spec", DEV]) == 2
    err = capsys.readouterr().err
    assert f"{name} holds non-ASCII" in err
    assert "s\u00e9cret" not in err


def _process(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m tenantcfg ARGS`` as a separate process: a hang fails the test, not the run."""
    return subprocess.run(
        [sys.executable, "-m", "tenantcfg", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("output", "said"),
    [
        ("/nonexistent/dir/out.txt", "error: cannot use /nonexistent/dir/out.txt: No such file"),
        ("/", "error: cannot use /: Is a directory"),
        ("/dev/full", "error: could not write the output: No space left on device"),
    ],
)
def test_an_output_that_cannot_be_written_is_exit_2(output: str, said: str) -> None:
    result = run_cli("check", "--spec", DEV, "--spec-only", "--output", output)
    assert result.returncode == 2, result
    assert result.stderr.startswith(said)
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_full_stdout_is_exit_2() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tenantcfg", "rules"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_closed_stdout_is_exit_2() -> None:
    result = subprocess.run(
        f'"{sys.executable}" -m tenantcfg rules >&-',
        shell=True,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "standard output is closed" in result.stderr


# --- spec files that are not files --------------------------------------------------------


@pytest.mark.slow
def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    result = _process("check", "--spec", str(fifo), "--spec-only")
    assert result.returncode == 2
    assert "not a regular spec file" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_before_anything_is_read(device: str) -> None:
    result = _process("check", "--spec", device, "--spec-only")
    assert result.returncode == 2
    assert "not a regular spec file" in result.stderr


def test_a_file_over_the_limit_is_refused_after_reading_only_the_limit(tmp_path: Path) -> None:
    from tenantcfg.spec.loader import read_bounded
    from tenantcfg.spec.problems import SpecError

    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 1025)
    assert read_bounded(big, 1025) == b"#" * 1025
    with pytest.raises(SpecError, match="larger than 1024 bytes"):
        read_bounded(big, 1024)


def test_a_directory_given_as_the_spec_is_named_for_what_it_is(tmp_path: Path) -> None:
    result = run_cli("check", "--spec", str(tmp_path), "--spec-only")
    assert result.returncode == 2
    assert f"{tmp_path}:1:1: (document): a directory, not a regular spec file" in result.stderr
