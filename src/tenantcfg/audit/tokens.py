"""The Management API token: the static one, or one fetched by client credentials."""

from __future__ import annotations

import base64
import binascii
import json
import time
from typing import Any

import httpx

from tenantcfg.audit.credentials import Credentials, Redactor
from tenantcfg.audit.errors import AuditFailure
from tenantcfg.audit.retry import RateLimited


class TokenSource:
    """A Management API token: the static one, or one fetched by client credentials."""

    def __init__(self, http: httpx.Client, creds: Credentials, redact: Redactor) -> None:
        self._http = http
        self._creds = creds
        self._redact = redact
        self._token = creds.api_token
        self._expires_at = float("inf")
        self.granted: frozenset[str] | None = _jwt_scopes(creds.api_token)
        """Scopes the token says it carries, when it says so; None when unknown."""

    def __call__(self) -> str:
        """The current token (the SDK calls this before every request)."""
        if self._token is None or time.time() >= self._expires_at:
            self.fetch()
        assert self._token is not None
        return self._token

    def fetch(self) -> None:
        """POST /oauth/token (client credentials); a no-op with a static token."""
        if self._creds.api_token:
            return
        response = self._http.post(
            f"https://{self._creds.endpoint.host}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self._creds.client_id or "",
                "client_secret": self._creds.client_secret or "",
                "audience": f"https://{self._creds.endpoint.host}/api/v2/",
            },
        )
        if response.status_code == 429:
            raise RateLimited(response.headers)
        body = _json(response)
        if response.status_code != 200 or not isinstance(body.get("access_token"), str):
            raise AuditFailure(self._refusal(response.status_code, body))
        self._token = body["access_token"]
        self._redact.add(self._token)
        self._expires_at = time.time() + float(body.get("expires_in", 3600)) - 30
        scope = body.get("scope")
        self.granted = frozenset(scope.split()) if isinstance(scope, str) else None

    def _refusal(self, status: int, body: dict[str, Any]) -> str:
        what = body.get("error_description") or body.get("error") or "no explanation"
        return self._redact(
            f"the token endpoint refused the client credentials ({status}: {what}). Check "
            "AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, and that the application may use the "
            "client credentials grant for the Auth0 Management API"
        )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _jwt_scopes(token: str | None) -> frozenset[str] | None:
    """The ``scope`` claim of a JWT, read without verifying it (only to name what is missing)."""
    parts = (token or "").split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    scope = payload.get("scope") if isinstance(payload, dict) else None
    return frozenset(scope.split()) if isinstance(scope, str) else None
