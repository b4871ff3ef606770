"""tenantcfg: the Auth0 My Account API, its access policies and least-privilege grants as code."""

__version__ = "0.1.0"
