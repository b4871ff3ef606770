"""One version: the package, pyproject.toml and the policy pack say the same."""

from __future__ import annotations

import tomllib
from importlib.metadata import version

import yaml

import tenantcfg
from helpers.paths import ROOT


def test_the_version_has_one_value_everywhere() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pack = yaml.safe_load((ROOT / "policies" / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    assert tenantcfg.__version__ == version("tenantcfg")
    assert {project["project"]["version"], str(pack["version"])} == {tenantcfg.__version__}
