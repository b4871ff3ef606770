"""Error answers of the fake, in the body shape the recorded tenants answer with.

Every recorded Management API error reads
``{"statusCode": 404, "error": "Not Found", "message": "...", "errorCode": "..."}``.
Each helper below says whether its message was recorded or what it is modelled on.
"""

from __future__ import annotations

from typing import Any

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class ApiFailure(Exception):
    """An error answer: raised anywhere in the fake, turned into a response by the app."""

    def __init__(
        self,
        status: int,
        message: str,
        error_code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.error_code = error_code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body, with ``errorCode`` only when Auth0 sends one."""
        body: dict[str, Any] = {
            "statusCode": self.status,
            "error": REASONS.get(self.status, ""),
            "message": self.message,
        }
        if self.error_code is not None:
            body["errorCode"] = self.error_code
        return body


# Recorded: terraform-provider-auth0 TestAccDataSourceResourceServer #0.
def resource_server_not_found() -> ApiFailure:
    """GET of an unknown resource server."""
    return ApiFailure(404, "The resource server does not exist", "inexistent_resource_server")


# Recorded: go-auth0 TestClientGrantManager_Delete #4.
def grant_not_found() -> ApiFailure:
    """GET of an unknown client grant."""
    return ApiFailure(404, "The grant does not exist.", "inexistent_client_grant")


# Recorded: terraform-provider-auth0 TestAccDataSourceClientNonexistentID #0.
def client_not_found() -> ApiFailure:
    """GET of an unknown client."""
    return ApiFailure(404, "The client does not exist", "inexistent_client")


# Recorded shape and wording: auth0-deploy-cli e2e recordings (403 on routes whose
# scope the deploy token lacked), e.g. "Insufficient scope, expected any of: read:...".
def insufficient_scope(*scopes: str) -> ApiFailure:
    """A token without the scope a route needs."""
    return ApiFailure(
        403, f"Insufficient scope, expected any of: {', '.join(scopes)}", "insufficient_scope"
    )


# Not recorded (the recorders never sent a bad token): modelled on the published spec,
# whose 401 answers read "Invalid token.", in the recorded body shape.
def invalid_token() -> ApiFailure:
    """A missing, unknown or expired bearer token."""
    return ApiFailure(401, "Invalid token", "invalid_token")


# Recorded shape: terraform-provider-auth0 TestAccNetworkACLAuth0ManagedAPIRejections #1,
# "Payload validation error: '<what>' on property <where>."
def invalid_payload(detail: str) -> ApiFailure:
    """A body the API refuses before looking at the tenant."""
    return ApiFailure(400, f"Payload validation error: '{detail}'.", "invalid_body")


def additional_properties(names: list[str]) -> ApiFailure:
    """Fields the endpoint does not accept (seen for read-only fields of system APIs)."""
    return invalid_payload(f"Additional properties not allowed: {', '.join(sorted(names))}")


# Recorded: go-auth0 TestClientGrant_ExpressConfiguration #5.
def express_configuration_client() -> ApiFailure:
    """A grant for a client of type express_configuration."""
    return ApiFailure(
        400, "Client of type express_configuration cannot be used", "validation_error"
    )


# Not recorded: modelled on the published spec's 400 answer of POST /client-grants
# ("Client grants for this API cannot be created for third-party clients").
def third_party_on_system_api() -> ApiFailure:
    """A grant of a system API to a third-party client, or a default_for grant on it."""
    return ApiFailure(
        400, "Client grants for this API cannot be created for third-party clients", "invalid_body"
    )


# Not recorded: a duplicate grant was never sent. The message is the one users report
# for a second POST of the same (client, audience) ("client_grant already exists", 409);
# the body shape is the recorded 409 of go-auth0 TestEmailTemplateManager_Create, which
# carries no errorCode.
def duplicate_grant() -> ApiFailure:
    """A second grant for the same (client, audience, subject_type)."""
    return ApiFailure(409, "client_grant already exists")


# Not recorded: modelled on the published spec's 409 of POST /resource-servers ("A resource
# server with the same identifier already exists."), in the recorded body shape.
def duplicate_identifier() -> ApiFailure:
    """A second resource server with an identifier already in use."""
    return ApiFailure(409, "A resource server with the same identifier already exists.", "conflict")


# Not recorded: modelled on Auth0's documentation that the client (machine-to-machine)
# policy of the My Account API is fixed at deny_all; the wording is the fake's own.
def my_account_client_policy() -> ApiFailure:
    """A change of the My Account API's client policy."""
    return invalid_payload(
        "subject_type_authorization.client.policy of the My Account API can only be deny_all"
    )


# Not recorded: modelled on the published spec's 400 answers for system resource servers
# ("System resource servers cannot be patched." / "... cannot be deleted.").
def system_api_refused(action: str) -> ApiFailure:
    """A change to a system API that is not the My Account API."""
    return ApiFailure(400, f"System resource servers cannot be {action}.", "invalid_uri")


# Not recorded (the recorders dropped 429s): modelled on the published spec ("Too many
# requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset
# headers.") and on the "Global limit has been reached" message users report.
def rate_limited(headers: dict[str, str]) -> ApiFailure:
    """A rate-limit answer with the headers that say when to come back."""
    return ApiFailure(429, "Global limit has been reached", "too_many_requests", headers)


# Not recorded: a server-side failure, for pages that cannot be read.
def server_error() -> ApiFailure:
    """An internal error of the API."""
    return ApiFailure(500, "Internal Server Error", "internal_error")
