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
