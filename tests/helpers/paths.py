"""Paths of the bundled project files and spec fixtures, and the fixtures' waiver cap."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The project root, where Pulumi.yaml lives."""
SPECS = ROOT / "tests" / "specs"
"""The spec fixtures."""

FIXTURE_WAIVER_DAYS = 40_000
"""A waiver cap that admits the fixtures' waivers, which run to 2099 so that they never
expire while tests are about something else; the 90-day default has tests of its own."""
