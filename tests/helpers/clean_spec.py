"""One clean spec that the hostile and limit tests change in one place each."""

from __future__ import annotations

FILE = "spec.yaml"

BASE = """\
# A clean spec: every hostile case changes one thing in it.
version: 1
tenant:
  domain: acme.eu.auth0.com
my_account_api:
  policies:
    user: require_client_grant
    client: deny_all
applications:
  settings-spa:
    client_id: Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH
    app_type: spa
    first_party: true
    owner: identity-team@acme.example
    justification: The Security page lists the user's passkeys.
    scopes:
      - read:me:authentication_methods
      - read:me:factors
  mobile-app:
    client_id: Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df
    app_type: native
    first_party: true
    owner: mobile-team@acme.example
    justification: The app shows the factors the tenant offers.
    scopes:
      - read:me:factors
"""
