"""Fixtures shared by the test modules (plain helpers live in the ``helpers`` package)."""

from __future__ import annotations

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
