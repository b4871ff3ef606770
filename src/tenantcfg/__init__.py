"""tenantcfg: the Auth0 My Account API, its access policies and least-privilege grants as code."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up on first use only: reading package metadata costs every command about 30 ms
    # of start-up, and only SARIF output and the tests need the version.
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("tenantcfg")  # pyproject.toml is the one place the version is set
    except PackageNotFoundError:  # pragma: no cover - a tree that is not installed
        return "0.0.0"
