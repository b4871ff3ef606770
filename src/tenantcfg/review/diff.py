"""What a change to a stack spec does to who may touch users' accounts: a risk-tagged diff.

Compares two specs (the base and the head of a pull request) and tags every
change with a risk taken from the scope catalogue and the rules, and with its
direction: a change that widens access *raises* risk, one that takes access
away *lowers* it. Pure: no Pulumi, YAML or git here; the command reads the files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from tenantcfg.catalogue import risk
from tenantcfg.catalogue.risk import POLICY_RISK, USER_FACING, kind_risk, scope_risk, type_risk
from tenantcfg.catalogue.scopes import Declared, Lifecycle, Risk, lookup
from tenantcfg.output.markdown import code
from tenantcfg.rules import REGISTRY
from tenantcfg.rules.model import Settings
from tenantcfg.spec.model import ApiSettings, Application, ProofOfPossession, TenantSpec, Waiver
from tenantcfg.spec.text import is_blank


class Effect(StrEnum):
    """Which way a change moves the risk of the tenant."""

    RAISES = "raises"
    NEUTRAL = "neutral"
    LOWERS = "lowers"


class Section(StrEnum):
    """Where a change sits, in the order a reviewer reads them."""

    SETTINGS = "settings"
    APPLICATIONS = "applications"
    SCOPES = "scopes"
    WAIVERS = "waivers"


@dataclass(frozen=True, slots=True)
class Change:
    """One reviewable change.

    ``risk`` is the level the change raises risk to; for a change that lowers
    risk it is the level of what is taken away (a removed critical scope is
    tagged critical and ``lowers``).
    """

    section: Section
    subject: str
    """The application, the setting's owner (``my_account_api``, ``tenant``)."""
    item: str
    """The setting, application field, scope or waived rule that changed."""
    kind: str
    """added, removed, changed, extended or shortened."""
    before: str | None
    after: str | None
    risk: Risk
    effect: Effect
    note: str
    """What the change means, in words for a reviewer."""


@dataclass(frozen=True)
class SpecDiff:
    """Every change between two sides; a side that does not exist compares as empty."""

    base: str
    head: str
    base_tenant: str | None
    head_tenant: str | None
    changes: tuple[Change, ...]

    @property
    def highest_risk(self) -> Risk | None:
        """The highest risk any change raises to; None when nothing raises risk."""
        raised = [c.risk for c in self.changes if c.effect is Effect.RAISES]
        return max(raised, key=lambda r: r.rank) if raised else None

    def raises_to(self, level: Risk) -> bool:
        """Whether some change raises risk to ``level`` or above."""
        top = self.highest_risk
        return top is not None and top.rank >= level.rank


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


def plural(n: int, one: str, many: str) -> str:
    """``1 change`` / ``2 changes``."""
    return f"{n} {one if n == 1 else many}"


def because(reason: str) -> str:
    """A waiver's reason, quoted as inert text, or what its absence means."""
    return code(reason) if not is_blank(reason) else "none given (MYACC-018 rejects it)."


def sentence(text: str) -> str:
    """Text ending with a full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _by_rank(old: Risk, new: Risk) -> tuple[Effect, Risk]:
    """Direction and tag of a move between two graded values."""
    if new.rank > old.rank:
        return Effect.RAISES, new
    if new.rank < old.rank:
        return Effect.LOWERS, old
    return Effect.NEUTRAL, new


def _setting(
    item: str,
    before: str,
    after: str,
    graded: tuple[Effect, Risk],
    note: str,
    *,
    subject: str = "my_account_api",
) -> Change:
    effect, risk = graded
    return Change(Section.SETTINGS, subject, item, "changed", before, after, risk, effect, note)


def _policies(b: ApiSettings, h: ApiSettings) -> Iterator[Change]:
    for flow in ("user", "client", "anonymous_user"):
        if flow == "anonymous_user":
            old, new = b.policies.anonymous_user_in_effect(), h.policies.anonymous_user_in_effect()
        else:
            old, new = getattr(b.policies, flow), getattr(h.policies, flow)
        if old != new:
            risks = POLICY_RISK[flow]
            yield _setting(
                f"{flow} policy",
                old,
                new,
                _by_rank(risks[old], risks[new]),
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
    yield _setting("token lifetime", _duration(old), _duration(new), graded, note)


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
    yield _setting("proof of possession", old, new, graded, note)


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
    yield _setting("step-up authorization_policy", old or "none", new or "none", graded, note)


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
    yield _setting("adopt_id", old or "none", new or "none", graded, note)


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
    yield _setting(
        "skip consent for first-party clients", str(old).lower(), str(new).lower(), graded, note
    )


def _settings(b: TenantSpec, h: TenantSpec) -> Iterator[Change]:
    if b.tenant.domain != h.tenant.domain:
        note = (
            f"The stack manages another tenant: the API becomes {h.audience} and every "
            "grant is made anew there."
        )
        yield _setting(
            "tenant domain",
            b.tenant.domain,
            h.tenant.domain,
            (Effect.RAISES, Risk.HIGH),
            note,
            subject="tenant",
        )
    for part in (_policies, _lifetime, _proof_of_possession, _step_up, _adopt, _consent):
        yield from part(b.my_account_api, h.my_account_api)


def _unlocks(value: str, declared: Declared | None = None) -> str:
    known = lookup(value, declared)
    if known is None:
        return "Not in the scope catalogue."
    if known.lifecycle is Lifecycle.DECLARED:
        return f"{code(known.unlocks)} (declared by the spec, not in the catalogue: MYACC-019)"
    return known.unlocks


def _kind_risk(app: Application) -> Risk:
    return kind_risk(app.app_type, app.first_party)


def app_risk(app: Application, declared: Declared | None = None) -> Risk:
    """What an application's grant exposes (see :func:`tenantcfg.catalogue.risk.app_risk`)."""
    return risk.app_risk(app.app_type, app.first_party, app.scopes, declared)


def _kind_text(app: Application) -> str:
    return f"{app.app_type}, {'first-party' if app.first_party else 'third-party'}"


def _added_app(name: str, app: Application) -> Change:
    justification = code(app.justification) if app.justification else "none given."
    note = (
        f"New client grant for client {code(app.client_id)} ({_kind_text(app)}), owner "
        f"{code(app.owner)}, {plural(len(app.scopes), 'scope', 'scopes')}. Justification: "
        f"{justification}"
    )
    if _kind_risk(app) is Risk.CRITICAL:
        note += " Only first-party, user-facing applications may hold one (MYACC-011)."
    return Change(
        Section.APPLICATIONS,
        name,
        "application",
        "added",
        None,
        _kind_text(app),
        app_risk(app),
        Effect.RAISES,
        note,
    )


def _removed_app(name: str, app: Application) -> Change:
    note = (
        f"Its client grant is deleted: client {code(app.client_id)} can no longer call the "
        f"My Account API ({plural(len(app.scopes), 'scope', 'scopes')} taken away)."
    )
    return Change(
        Section.APPLICATIONS,
        name,
        "application",
        "removed",
        _kind_text(app),
        None,
        app_risk(app),
        Effect.LOWERS,
        note,
    )


def _app_type(name: str, b: Application, h: Application) -> Iterator[Change]:
    if b.app_type == h.app_type:
        return
    effect, risk = _by_rank(type_risk(b.app_type), type_risk(h.app_type))
    note = (
        "The application has a signed-in user."
        if h.app_type in USER_FACING
        else "Not a user-facing application: it must not hold My Account scopes (MYACC-011)."
    )
    yield Change(
        Section.APPLICATIONS,
        name,
        "app_type",
        "changed",
        b.app_type,
        h.app_type,
        risk,
        effect,
        note,
    )


def _first_party(name: str, b: Application, h: Application) -> Iterator[Change]:
    if b.first_party == h.first_party:
        return
    if h.first_party:
        risk, effect = Risk.MEDIUM, Effect.RAISES
        note = (
            "Declared first-party now, which lets it hold My Account scopes; check in the "
            "Dashboard that it really is."
        )
    else:
        risk, effect = Risk.CRITICAL, Effect.RAISES
        note = "A third-party application must never hold My Account scopes (MYACC-011)."
    yield Change(
        Section.APPLICATIONS,
        name,
        "first_party",
        "changed",
        str(b.first_party).lower(),
        str(h.first_party).lower(),
        risk,
        effect,
        note,
    )


def _client_id(name: str, b: Application, h: Application) -> Iterator[Change]:
    if b.client_id != h.client_id:
        yield Change(
            Section.APPLICATIONS,
            name,
            "client_id",
            "changed",
            b.client_id,
            h.client_id,
            app_risk(h),
            Effect.RAISES,
            f"The grant ({plural(len(h.scopes), 'scope', 'scopes')}) moves to another "
            f"Auth0 application: client {code(h.client_id)} gets it, {code(b.client_id)} "
            "loses it.",
        )


def _text_fields(name: str, b: Application, h: Application) -> Iterator[Change]:
    if b.owner != h.owner:
        yield Change(
            Section.APPLICATIONS,
            name,
            "owner",
            "changed",
            b.owner,
            h.owner,
            Risk.LOW,
            Effect.NEUTRAL,
            "Someone else is accountable for this grant.",
        )
    if b.justification != h.justification:
        yield Change(
            Section.APPLICATIONS,
            name,
            "justification",
            "changed",
            b.justification,
            h.justification,
            Risk.LOW,
            Effect.NEUTRAL,
            "The stated reason for the grant changed; check it still covers every scope.",
        )


def _by_unique_client(spec: TenantSpec, names: Iterable[str]) -> dict[str, str]:
    """Client id -> name of the given entries whose client id no other entry shares."""
    counts = Counter(a.client_id for a in spec.applications.values())
    return {
        spec.applications[n].client_id: n
        for n in names
        if counts[spec.applications[n].client_id] == 1
    }


def _renames(b: TenantSpec, h: TenantSpec) -> dict[str, str]:
    """New name -> old name of every application that only changed its spec key.

    An entry that left the base and one that arrived in the head with the same client
    id are one application: its grant resource is named by client id, so it is kept.
    """
    gone = _by_unique_client(b, b.applications.keys() - h.applications.keys())
    came = _by_unique_client(h, h.applications.keys() - b.applications.keys())
    return {came[cid]: gone[cid] for cid in gone.keys() & came.keys()}


def _pairs(
    b: TenantSpec, h: TenantSpec
) -> Iterator[tuple[str, Application | None, Application | None]]:
    """(name, base entry, head entry) per application, a renamed one under its new name."""
    renamed = _renames(b, h)
    old_names = set(renamed.values())
    for name in sorted((b.applications.keys() - old_names) | h.applications.keys()):
        before = renamed.get(name, name)
        yield name, b.applications.get(before), h.applications.get(name)


def _applications(b: TenantSpec, h: TenantSpec) -> Iterator[Change]:
    renamed = _renames(b, h)
    for name, old, new in _pairs(b, h):
        if name in renamed:
            yield Change(
                Section.APPLICATIONS,
                name,
                "application",
                "renamed",
                renamed[name],
                name,
                Risk.LOW,
                Effect.NEUTRAL,
                "Only the spec's name changed: same client, and its grant is kept "
                "(the grant resource is named by client id).",
            )
        if old is None and new is not None:
            yield _added_app(name, new)
        elif new is None and old is not None:
            yield _removed_app(name, old)
        elif old is not None and new is not None:
            for part in (_client_id, _app_type, _first_party, _text_fields):
                yield from part(name, old, new)


def _scopes(b: TenantSpec, h: TenantSpec) -> Iterator[Change]:
    old_declared, new_declared = b.scope_declarations(), h.scope_declarations()
    for name, old, new in _pairs(b, h):
        had = set(old.scopes) if old else set()
        has = set(new.scopes) if new else set()
        why = "new application" if old is None else "application removed" if new is None else ""
        for scope in sorted(has - had):
            yield Change(
                Section.SCOPES,
                name,
                scope,
                "added",
                None,
                scope,
                scope_risk(scope, new_declared),
                Effect.RAISES,
                _unlocks(scope, new_declared) + (f" ({why})" if why else ""),
            )
        for scope in sorted(had - has):
            yield Change(
                Section.SCOPES,
                name,
                scope,
                "removed",
                scope,
                None,
                scope_risk(scope, old_declared),
                Effect.LOWERS,
                _unlocks(scope, old_declared) + (f" ({why})" if why else ""),
            )


def _effective_waivers(spec: TenantSpec) -> dict[tuple[str, str], Waiver]:
    """One waiver per (rule, application): the one that silences the rule longest."""
    out: dict[tuple[str, str], Waiver] = {}
    for w in spec.waivers:
        key = (w.rule, w.application)
        if key not in out or w.expires > out[key].expires:
            out[key] = w
    return out


def _waived_risk(rule_id: str) -> tuple[Risk, str]:
    rule = REGISTRY.get(rule_id)
    if rule is None:
        return Risk.MEDIUM, f"{rule_id} is no known rule (MYACC-018 rejects the waiver)"
    return Risk(rule.severity.value), f"{rule_id} ({rule.title}, {rule.level})"


def _waiver_change(key: tuple[str, str], old: Waiver | None, new: Waiver | None) -> Change | None:
    rule_id, app = key
    risk, what = _waived_risk(rule_id)
    before = old.expires.isoformat() if old else None
    after = new.expires.isoformat() if new else None
    current = new if new is not None else old
    reason = current.reason if current is not None else ""
    if old is None:
        kind, effect = "added", Effect.RAISES
        note = f"{what} no longer fails for {code(app)} until {after}. Reason: {because(reason)}"
    elif new is None:
        kind, effect = "removed", Effect.LOWERS
        note = f"{what} applies to {code(app)} again."
    elif new.expires > old.expires:
        kind, effect = "extended", Effect.RAISES
        note = (
            f"{what} stays silenced for {code(app)} {(new.expires - old.expires).days} days "
            f"longer. Reason: {because(reason)}"
        )
    elif new.expires < old.expires:
        kind, effect = "shortened", Effect.LOWERS
        note = f"{what} applies to {code(app)} again sooner."
    elif new.reason != old.reason:
        kind, effect, risk = "changed", Effect.NEUTRAL, Risk.LOW
        note = f"New reason: {because(new.reason)}"
    else:
        return None
    return Change(Section.WAIVERS, app, rule_id, kind, before, after, risk, effect, note)


def _waivers(b: TenantSpec, h: TenantSpec) -> Iterator[Change]:
    old, new = _effective_waivers(b), _effective_waivers(h)
    for key in sorted(old.keys() | new.keys()):
        change = _waiver_change(key, old.get(key), new.get(key))
        if change is not None:
            yield change


_EFFECT_ORDER = {Effect.RAISES: 0, Effect.NEUTRAL: 1, Effect.LOWERS: 2}


def _order(c: Change) -> tuple[int, int, int]:
    # Riskiest first inside a section: a reviewer reads from the top. The sort is
    # stable, so ties keep the order they were found in (spec order, then names).
    return (list(Section).index(c.section), _EFFECT_ORDER[c.effect], -c.risk.rank)


def _empty_like(spec: TenantSpec) -> TenantSpec:
    """A stack with nothing declared, on the same tenant: Auth0's defaults, no grants."""
    return TenantSpec(tenant=spec.tenant)


def compare(
    base: TenantSpec | None, head: TenantSpec | None, base_name: str, head_name: str
) -> SpecDiff:
    """Every change from ``base`` to ``head``; None stands for a side that does not exist."""
    if head is not None:
        b = base if base is not None else _empty_like(head)
    elif base is not None:
        b = base
    else:
        raise ValueError("at least one side must exist")
    h = head if head is not None else _empty_like(b)
    # A removed stack file deletes grants, not the API: its resource is protected and
    # retained, so its settings stay as they are and are not reported as reset.
    settings = _settings(b, h) if head is not None else iter(())
    changes = [*settings, *_applications(b, h), *_scopes(b, h), *_waivers(b, h)]
    return SpecDiff(
        base_name,
        head_name,
        base.tenant.domain if base else None,
        head.tenant.domain if head else None,
        tuple(sorted(changes, key=_order)),
    )
