"""Changes to the My Account API's settings and access policies."""

from __future__ import annotations

from collections.abc import Iterator

from tenantcfg.catalogue.risk import POLICY_RISK
from tenantcfg.catalogue.scopes import Risk
from tenantcfg.review.changes import Change, Effect, by_rank, setting
from tenantcfg.rules.model import Settings
from tenantcfg.spec.model import ApiSettings, ProofOfPossession, TenantSpec

_POLICY_MEANS: dict[tuple[str, str], str] = {
    ("user", "allow_all"): "Any application of the tenant may ask for any My Account scope, "
    "with or without a client grant (MYACC-001).",
    ("user", "require_client_grant"): "Only applications with a client grant may call the API, "
    "with the scopes their grant lists.",
    ("user", "deny_all"): "No application may call the API for a user: every client grant of "
    "this stack stops working.",
    ("client", "require_client_grant"): "Machine-to-machine clients may call the API with no "
    "user present (MYACC-002).",
    ("client", "deny_all"): "No machine-to-machine access.",
    ("anonymous_user", "require_client_grant"): "Tokens issued with no signed-in user may reach "
    "the API (MYACC-003).",
    ("anonymous_user", "deny_all"): "No access without a signed-in user.",
}


def _policies(b: ApiSettings, h: ApiSettings) -> Iterator[Change]:
    for flow in ("user", "client", "anonymous_user"):
        if flow == "anonymous_user":
            old, new = b.policies.anonymous_user_in_effect(), h.policies.anonymous_user_in_effect()
        else:
            old, new = getattr(b.policies, flow), getattr(h.policies, flow)
        if old != new:
            risks = POLICY_RISK[flow]
            yield setting(
                f"{flow} policy",
                old,
                new,
                by_rank(risks[old], risks[new]),
                _POLICY_MEANS[(flow, new)],
            )


def _duration(seconds: int) -> str:
    for size, unit in ((86_400, "d"), (3600, "h"), (60, "min")):
        if seconds % size == 0:
            return f"{seconds} s ({seconds // size} {unit})"
    return f"{seconds} s"


def _lifetime(b: ApiSettings, h: ApiSettings) -> Iterator[Change]:
    old, new = b.token_lifetime, h.token_lifetime
    if old == new:
        return
    # Above the MYACC-017 threshold a lifetime is a finding of its own: one level up.
    limit = Settings().max_token_lifetime
    longest = max(old, new)
    risk = Risk.MEDIUM if longest > limit else Risk.LOW
    if new > old:
        graded = (Effect.RAISES, risk)
        note = "My Account tokens live longer: a stolen token stays usable longer" + (
            f" (over {limit} s, MYACC-017)." if new > limit else "."
        )
    else:
        graded, note = (Effect.LOWERS, risk), "My Account tokens expire sooner."
    yield setting("token lifetime", _duration(old), _duration(new), graded, note)


def _pop_strength(p: ProofOfPossession | None) -> int:
    """0 tokens need not be bound to a key, 1 bound for public clients, 2 for all."""
    if p is None or not p.required:
        return 0
    return 1 if p.required_for == "public_clients" else 2


def _pop_text(p: ProofOfPossession | None) -> str:
    if p is None:
        return "not configured"
    if not p.required:
        return f"{p.mechanism}, optional"
    return f"{p.mechanism}, required for {(p.required_for or 'all_clients').replace('_', ' ')}"


def _proof_of_possession(b: ApiSettings, h: ApiSettings) -> Iterator[Change]:
    old, new = _pop_text(b.proof_of_possession), _pop_text(h.proof_of_possession)
    if old == new:
        return
    was, now = _pop_strength(b.proof_of_possession), _pop_strength(h.proof_of_possession)
    if now < was:
        graded = (Effect.RAISES, Risk.MEDIUM if now == 0 else Risk.LOW)
        note = "Fewer clients must bind their tokens to a key: a stolen token can be replayed."
    elif now > was:
        graded = (Effect.LOWERS, Risk.MEDIUM if was == 0 else Risk.LOW)
        note = "More clients must bind their tokens to a key; check that they all support it."
    elif now == 0:
        graded = (Effect.NEUTRAL, Risk.LOW)
        note = "Clients may bind their tokens to a key but still need not: same protection."
    else:
        graded = (Effect.NEUTRAL, Risk.LOW)
        note = "Same protection, another mechanism; check that the clients support it."
    yield setting("proof of possession", old, new, graded, note)


def _step_up(b: ApiSettings, h: ApiSettings) -> Iterator[Change]:
    old = b.authorization_policy.policy_id if b.authorization_policy else None
    new = h.authorization_policy.policy_id if h.authorization_policy else None
    if old == new:
        return
    if new is None:
        graded = (Effect.RAISES, Risk.HIGH)
        note = (
            "Enrolling or removing authentication methods no longer needs a second factor "
            "first (MYACC-015)."
        )
    elif old is None:
        graded = (Effect.LOWERS, Risk.HIGH)
        note = "Sensitive operations need a step-up first."
    else:
        graded = (Effect.RAISES, Risk.MEDIUM)
        note = "Another step-up policy applies; check in the Dashboard what it requires."
    yield setting("step-up authorization_policy", old or "none", new or "none", graded, note)


def _adopt(b: ApiSettings, h: ApiSettings) -> Iterator[Change]:
    old, new = b.adopt_id, h.adopt_id
    if old == new:
        return
    if new is None:
        graded, note = (Effect.NEUTRAL, Risk.LOW), "The stack no longer names an API to import."
    else:
        graded = (Effect.RAISES, Risk.MEDIUM)
        note = (
            "The stack takes over the API resource with this id, which holds the access "
            "policies of every application; check the id in the Dashboard."
        )
    yield setting("adopt_id", old or "none", new or "none", graded, note)


def _consent(b: ApiSettings, h: ApiSettings) -> Iterator[Change]:
    old = b.skip_consent_for_verifiable_first_party_clients
    new = h.skip_consent_for_verifiable_first_party_clients
    if old == new:
        return
    if new:
        graded = (Effect.RAISES, Risk.MEDIUM)
        note = "Users are no longer asked to consent when a first-party application asks."
    else:
        graded = (Effect.LOWERS, Risk.MEDIUM)
        note = "Users are asked to consent before an application uses My Account scopes."
    yield setting(
        "skip consent for first-party clients", str(old).lower(), str(new).lower(), graded, note
    )


def settings_changes(b: TenantSpec, h: TenantSpec) -> Iterator[Change]:
    if b.tenant.domain != h.tenant.domain:
        note = (
            f"The stack manages another tenant: the API becomes {h.audience} and every "
            "grant is made anew there."
        )
        yield setting(
            "tenant domain",
            b.tenant.domain,
            h.tenant.domain,
            (Effect.RAISES, Risk.HIGH),
            note,
            subject="tenant",
        )
    for part in (_policies, _lifetime, _proof_of_possession, _step_up, _adopt, _consent):
        yield from part(b.my_account_api, h.my_account_api)
