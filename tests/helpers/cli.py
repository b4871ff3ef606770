"""``tenantcfg`` run in this process, as a finished process looks."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
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
            try:
                code = main(list(args))
            finally:
                # After a failed write the command points stdout at /dev/null, as a
                # process would at exit; close that file here, where no exit follows.
                if sys.stdout is not out:
                    sys.stdout.close()
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["tenantcfg", *args], code, out.getvalue(), err.getvalue())
