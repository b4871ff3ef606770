"""``tenantcfg`` run in this process, as a finished process looks."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from helpers.paths import ROOT

Result = subprocess.CompletedProcess[str]


def run_cli(*args: str, cwd: Path = ROOT, env: Mapping[str, str] | None = None) -> Result:
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
