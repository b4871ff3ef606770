"""tenantcfg: the Auth0 My Account API, its access policies and least-privilege grants as code."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tenantcfg")  # pyproject.toml is the one place the version is set
except PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
    __version__ = "0.0.0"
