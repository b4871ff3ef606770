"""The offline checker: the rules on a spec, and on what the program declares from it.

Spec findings carry the YAML position of the offending value. Findings on the
registered resources (the same evaluation the policy pack runs) are mapped back
to the spec entry that produced the resource, and kept only when the spec pass
did not already report the same rule on the same entry.
"""

from __future__ import annotations

import datetime as dt

from tenantcfg.adapters.fields import api_spec_path, grant_spec_path
from tenantcfg.adapters.pack import judge
from tenantcfg.adapters.resources import Resource
from tenantcfg.adapters.spec import API_ENTRY, view_of_spec
from tenantcfg.review.located import Located, Origin, placed
from tenantcfg.rules import WAIVER_RULE_ID, Finding, evaluate
from tenantcfg.rules.model import Settings
from tenantcfg.spec.loader import LoadedSpec
from tenantcfg.spec.problems import Mark, SpecPath
from tenantcfg.stack.naming import API_RESOURCE_NAME, applications_by_resource
from tenantcfg.stack.packconfig import WAIVED_POLICY, pack_config
from tenantcfg.stack.registrations import OfflineRun


def _entry_path(resource: str) -> SpecPath:
    if resource == API_ENTRY:
        return ("my_account_api",)
    if resource.startswith("waivers["):
        return ("waivers", int(resource[len("waivers[") : -1]))
    return ("applications", resource)


def _mark(loaded: LoadedSpec, path: SpecPath) -> Mark:
    # A finding about a key the spec leaves out (no justification, say) points at
    # the key of the entry that lacks it: the application's name, not its first field.
    doc = loaded.source
    if path in doc.values or not path:
        return doc.mark_of(path)
    return doc.mark_of(path[:-1], key=True)


def _place(loaded: LoadedSpec, f: Finding, path: SpecPath, origin: Origin) -> Located:
    return placed(f, loaded.file, _mark(loaded, path), path, origin)


def check_spec(
    loaded: LoadedSpec, settings: Settings | None = None, today: dt.date | None = None
) -> list[Located]:
    """The rules on the spec itself, each finding at its YAML position."""
    findings = evaluate(view_of_spec(loaded, settings, today))
    return [_place(loaded, f, f.field or _entry_path(f.resource), "spec") for f in findings]


def _spec_index(loaded: LoadedSpec, app: str, scopes: object, i: int) -> int:
    """Where the i-th scope of a grant (sorted, de-duplicated) stands in the spec's list."""
    entry = loaded.spec.applications.get(app)
    if entry is None or not isinstance(scopes, list) or i >= len(scopes):
        return i
    value = scopes[i]
    return entry.scopes.index(value) if value in entry.scopes else i


def _spec_terms(
    f: Finding,
    loaded: LoadedSpec,
    apps: dict[str, str],
    inputs: dict[str, dict[str, object]],
) -> tuple[str, SpecPath]:
    """A resource finding's spec entry and the spec path of its field.

    ``apps`` maps grant resource names to application names, ``inputs`` resource names
    to their inputs: both once per run, not per finding.
    """
    if f.resource == API_RESOURCE_NAME:
        return API_ENTRY, api_spec_path(f.field)
    app = apps.get(f.resource, f.resource)
    field = f.field
    if len(field) == 2 and field[0] == "scopes" and isinstance(field[1], int):
        scopes = inputs.get(f.resource, {}).get("scopes")
        field = ("scopes", _spec_index(loaded, app, scopes, field[1]))
    return app, grant_spec_path(app, field)


def check_program(
    loaded: LoadedSpec, run: OfflineRun, settings: Settings | None = None
) -> list[Located]:
    """The policy pack's evaluation on the resources the program registered."""
    settings = settings or Settings()
    config = dict(pack_config(loaded.spec, settings)[WAIVED_POLICY])
    config["maxTokenLifetime"] = settings.max_token_lifetime
    resources = [Resource(r.type, r.name, r.urn, r.inputs, r.protect) for r in run.registrations]
    _, findings = judge(resources, config)
    apps = applications_by_resource({n: a.client_id for n, a in loaded.spec.applications.items()})
    inputs = {r.name: dict(r.inputs) for r in resources}
    found = []
    for f in findings:
        if f.rule.id == WAIVER_RULE_ID:
            # Waivers are judged on the spec, where they are written; here they are only
            # the pack config derived from it, with resource names in place of entries.
            continue
        entry, path = _spec_terms(f, loaded, apps, inputs)
        moved = Finding(f.rule, f.level, entry, f.message, f.field, f.waiver)
        found.append(_place(loaded, moved, path, "program"))
    return found


def merge(spec: list[Located], program: list[Located]) -> list[Located]:
    """Spec findings, plus program findings on (rule, entry) pairs the spec pass missed."""
    seen = {(f.rule.id, f.resource) for f in spec}
    extra = [f for f in program if (f.rule.id, f.resource) not in seen]
    return sorted(spec + extra, key=lambda f: (f.file, f.mark, f.rule.id, f.resource))
