"""An imported spec as YAML text: stable, plain ASCII, commented where a person must act.

The text is written, not dumped, so that its order and layout never change between
two imports of the same tenant and read like ``stacks/dev.yaml``. Every value from
the tenant is checked first (by the spec's patterns, or :mod:`.draft`'s) and written
with :func:`.quoting.scalar`, which quotes and escapes whatever is not a plain word;
comments only show short values of known kinds (:func:`.quoting.shown`). The command
then reads the text back with the strict loader before writing it anywhere.
"""

from __future__ import annotations

import json

from tenantcfg.importing.draft import ApiDraft, AppDraft, Draft, LeftOut
from tenantcfg.importing.quoting import scalar, shown
from tenantcfg.spec.placeholders import placeholder

OWNER = placeholder("the team or person who answers for this grant")
JUSTIFICATION = placeholder("which feature needs these scopes, and why each one")


def _comment(text: str, indent: int) -> str:
    # The text is built from shown() values and fixed words; escaping is belt and braces.
    return " " * indent + "# " + json.dumps(text, ensure_ascii=True)[1:-1]


def _noted(api: ApiDraft, key: str, indent: int, *lines: str) -> list[str]:
    """``lines`` for setting ``key``, after the note saying how the tenant differs, if any."""
    note = api.notes.get(key)
    return ([_comment(note, indent)] if note else []) + list(lines)


def _api(api: ApiDraft, activated: bool) -> list[str]:
    lines = ["my_account_api:"]
    if not activated:
        lines.append(
            _comment(
                "The tenant has not activated the My Account API: `pulumi up` "
                "activates it with these settings.",
                2,
            )
        )
    if api.adopt_id:
        lines.append(f"  adopt_id: {scalar(api.adopt_id)}")
    anonymous: tuple[str, ...] = ()
    if api.anonymous_user is not None:
        anonymous = (f"    anonymous_user: {scalar(api.anonymous_user)}",)
    lines += [
        "  policies:",
        *_noted(api, "user", 4, f"    user: {scalar(api.user)}"),
        *_noted(api, "client", 4, f"    client: {scalar(api.client)}"),
        *_noted(api, "anonymous_user", 4, *anonymous),
        *_noted(api, "token_lifetime", 2, f"  token_lifetime: {api.token_lifetime}"),
    ]
    pop: tuple[str, ...] = ()
    if api.proof_of_possession is not None:
        mechanism, required, required_for = api.proof_of_possession
        pop = ("  proof_of_possession:", f"    mechanism: {scalar(mechanism)}")
        pop += (f"    required: {scalar(required)}",)
        if required_for is not None:
            pop += (f"    required_for: {scalar(required_for)}",)
    step_up: tuple[str, ...] = ()
    if api.step_up_policy_id is not None:
        step_up = ("  authorization_policy:", f"    policy_id: {scalar(api.step_up_policy_id)}")
    skip = "skip_consent_for_verifiable_first_party_clients"
    return [
        *lines,
        *_noted(api, "proof_of_possession", 2, *pop),
        *_noted(api, "authorization_policy", 2, *step_up),
        *_noted(api, skip, 2, f"  {skip}: {scalar(api.skip_consent)}"),
    ]


_WHY_DECLARED = placeholder("why the tenant grants it, who reviewed what it unlocks")


def _declared(values: tuple[str, ...]) -> list[str]:
    if not values:
        return []
    lines = [
        "",
        "# Scopes the tenant grants that tenantcfg's catalogue does not know yet: assumed",
        "# critical and sensitive until a person has read what each unlocks.",
        "declared_scopes:",
    ]
    for value in values:
        lines += [
            f"  {scalar(value)}:",
            f"    unlocks: {scalar(placeholder(f'what an application holding {value} may do'))}",
            "    risk: critical",
            "    sensitive: true",
            f"    justification: {scalar(_WHY_DECLARED)}",
        ]
    return lines


def _app(app: AppDraft) -> list[str]:
    lines = [
        f"  {scalar(app.key)}:",
        f"    client_id: {scalar(app.client_id)}",
        f"    app_type: {scalar(app.app_type)}",
        f"    first_party: {scalar(app.first_party)}",
        f"    owner: {scalar(OWNER)}",
        f"    justification: {scalar(JUSTIFICATION)}",
    ]
    if app.scopes:
        lines += ["    scopes:", *(f"      - {scalar(s)}" for s in app.scopes)]
    else:
        lines.append("    scopes: []")
    lines.append(f"    adopt_grant_id: {scalar(app.grant_id)}")
    return lines


LEFT_OUT_PREFIX = "#   "
"""How each grant left out starts its comment line (findings on it point there)."""


def _left_out(grants: tuple[LeftOut, ...]) -> list[str]:
    if not grants:
        return []
    lines = [
        "",
        "# Grants the tenant holds that no spec can declare as they are. `pulumi up` leaves",
        "# them alone and `tenantcfg audit` reports each until it is removed (Dashboard >",
        "# Applications > APIs > Auth0 My Account API > Application Access):",
    ]
    for g in grants:
        lines.append(
            _comment(
                f"{LEFT_OUT_PREFIX[2:]}{shown(g.grant_id)}, client {shown(g.client_id)}: {g.why}", 0
            )
        )
    return lines


def spec_text(d: Draft, stack: str) -> str:
    """The whole spec file for ``d``, as stack ``stack``'s."""
    lines = [
        f"# Tenant spec of stack {shown(stack)}, imported from {d.domain} by `tenantcfg import`.",
        "# Replace every FILL-IN value (`tenantcfg check` reports each) and review each grant",
        "# before the first `pulumi up`: adopting them changes nothing in the tenant.",
        "version: 1",
        "",
        "tenant:",
        f"  domain: {scalar(d.domain)}",
        "",
        *_api(d.api, d.activated),
        *_declared(d.declared),
        "",
    ]
    if d.apps:
        lines.append("applications:")
        for i, app in enumerate(d.apps):
            lines += ([""] if i else []) + _app(app)
    else:
        lines.append("applications: {}")
    lines += [*_left_out(d.left_out), "", "waivers: []"]
    return "\n".join(lines) + "\n"
