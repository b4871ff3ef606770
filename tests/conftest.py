"""Shared test helpers: paths of the bundled project files and spec fixtures."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = Path(__file__).resolve().parent / "specs"


@pytest.fixture
def root() -> Path:
    """The project root, where Pulumi.yaml lives."""
    return ROOT


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The real Pulumi engine (``TENANTCFG_ENGINE``), or a skip that says how to get it."""
    from engine.harness import SKIP_REASON, locate

    found = locate(tmp_path_factory.mktemp("engine"))
    if found is None:
        pytest.skip(SKIP_REASON)
    return found


FIXTURE_WAIVER_DAYS = 40_000
"""A waiver cap that admits the fixtures' waivers, which run to 2099 so that they never
expire while tests are about something else; the 90-day default has tests of its own."""


def run_cli(
    *args: str, cwd: Path = ROOT, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``tenantcfg ARGS`` run in this process (its ``main``), as a finished process looks.

    Where a separate interpreter adds nothing, this spares its start-up (about half a
    second a run); tests about imports, exit-time behaviour or file descriptors keep
    running real processes.
    """
    from tenantcfg.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["tenantcfg", *args], code, out.getvalue(), err.getvalue())
