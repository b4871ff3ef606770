"""Changes to applications and to the scopes each one is granted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from tenantcfg.catalogue import risk
from tenantcfg.catalogue.risk import USER_FACING, kind_risk, scope_risk, type_risk
from tenantcfg.catalogue.scopes import Declared, Lifecycle, Risk, lookup
from tenantcfg.inert.markdown import code
from tenantcfg.review.changes import Change, Effect, Section, by_rank, plural
from tenantcfg.spec.model import Application, TenantSpec


def _unlocks(value: str, declared: Declared | None = None) -> str:
    known = lookup(value, declared)
    if known is None:
        return "Not in the scope catalogue."
    if known.lifecycle is Lifecycle.DECLARED:
        return f"{code(known.unlocks)} (declared by the spec, not in the catalogue: MYACC-019)"
    return known.unlocks


def _kind_risk(app: Application) -> Risk:
    return kind_risk(app.app_type, app.first_party)


def app_risk(app: Application, declared: Declared) -> Risk:
    """What an application's grant exposes, its spec's declared scopes known
    (see :func:`tenantcfg.catalogue.risk.app_risk`)."""
    return risk.app_risk(app.app_type, app.first_party, app.scopes, declared)


def _kind_text(app: Application) -> str:
    return f"{app.app_type}, {'first-party' if app.first_party else 'third-party'}"


def _added_app(name: str, app: Application, declared: Declared) -> Change:
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
        app_risk(app, declared),
        Effect.RAISES,
        note,
    )


def _removed_app(name: str, app: Application, declared: Declared) -> Change:
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
        app_risk(app, declared),
        Effect.LOWERS,
        note,
    )


def _app_type(name: str, b: Application, h: Application) -> Iterator[Change]:
    if b.app_type == h.app_type:
        return
    effect, risk = by_rank(type_risk(b.app_type), type_risk(h.app_type))
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


def _client_id(name: str, b: Application, h: Application, declared: Declared) -> Iterator[Change]:
    if b.client_id != h.client_id:
        yield Change(
            Section.APPLICATIONS,
            name,
            "client_id",
            "changed",
            b.client_id,
            h.client_id,
            app_risk(h, declared),
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


def application_changes(b: TenantSpec, h: TenantSpec) -> Iterator[Change]:
    renamed = _renames(b, h)
    old_declared, new_declared = b.scope_declarations(), h.scope_declarations()
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
            yield _added_app(name, new, new_declared)
        elif new is None and old is not None:
            yield _removed_app(name, old, old_declared)
        elif old is not None and new is not None:
            yield from _client_id(name, old, new, new_declared)
            for part in (_app_type, _first_party, _text_fields):
                yield from part(name, old, new)


def scope_changes(b: TenantSpec, h: TenantSpec) -> Iterator[Change]:
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
