"""Shared test helpers: paths of the bundled project files and spec fixtures."""

from __future__ import annotations

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
