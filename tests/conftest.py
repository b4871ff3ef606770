"""Fixtures shared by the test modules (plain helpers live in the ``helpers`` package)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from helpers.paths import ROOT


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


@pytest.fixture(scope="module", autouse=True)
def _settled_heap() -> None:
    """Collect the garbage so far and leave what survives out of later collections.

    Each offline program run ends in a full ``gc.collect()``; in a test process that
    holds every imported library and earlier module's objects, scanning them made up
    much of each run. Frozen objects are alive now; the garbage of this module's tests
    is still collected as before.
    """
    gc.collect()
    gc.freeze()
