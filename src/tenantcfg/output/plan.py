"""Render an offline run as a plan a person can read, or as JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tenantcfg.inert.terminal import one_line
from tenantcfg.stack.registrations import OfflineRun, Registration


def _scalar(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return str(value).lower()
    return one_line(str(value))  # values come from the spec: one line each


def flatten(inputs: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested inputs as sorted ``(dotted.key, value)`` rows; lists joined by commas."""
    rows: list[tuple[str, str]] = []
    for key in sorted(inputs):
        value = inputs[key]
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(flatten(value, f"{name}."))
        elif isinstance(value, list):
            rows.append((name, ", ".join(_scalar(v) for v in value) or "(none)"))
        else:
            rows.append((name, _scalar(value)))
    return rows


def _options(reg: Registration) -> str:
    flags = []
    if reg.protect:
        flags.append("protected")
    if reg.retain_on_delete:
        flags.append("retained on delete")
    if reg.import_id:
        flags.append(f"imported from id {reg.import_id}")
    return f"  [{', '.join(flags)}]" if flags else ""


def _label(reg: Registration, labels: Mapping[str, str]) -> str:
    app = labels.get(reg.name)
    return f"  (application {app})" if app else ""


def render_text(run: OfflineRun, header: str, labels: Mapping[str, str] | None = None) -> str:
    """The plan as indented text: each resource, its options, then its key inputs.

    ``labels`` maps grant resource names to the spec's application names.
    """
    labels = labels or {}
    lines = [header, ""]
    depth: dict[str, int] = {}
    for reg in run.registrations:
        level = depth.get(reg.parent, 0)
        depth[reg.urn] = level + 1
        pad = "  " * level
        verb = "= import" if reg.import_id else "+ create"
        lines.append(f"{pad}{verb}  {reg.type}  {reg.name}{_label(reg, labels)}{_options(reg)}")
        for key, value in flatten(reg.inputs):
            lines.append(f"{pad}      {key}: {value}")
    if run.outputs:
        lines += ["", "Outputs:"]
        lines += [f"    {k}: {v}" for k, v in flatten(run.outputs)]
    counts = Counter(reg.type.rsplit(":", 1)[-1] for reg in run.registrations)
    summary = ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
    lines += ["", f"{len(run.registrations)} resources ({summary})"]
    return "\n".join(lines) + "\n"


def _changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    before, after = dict(flatten(old)), dict(flatten(new))
    return [
        f"{key}: {before.get(key, '(unset)')} -> {after.get(key, '(unset)')}"
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


@dataclass(frozen=True)
class Step:
    """What applying the head spec does to one resource, matched by URN as the engine does."""

    action: str
    """create, import, update, same or delete."""
    reg: Registration
    changes: tuple[str, ...] = ()
    renamed_from: str | None = None
    """The application's name in the base spec, when only that changed."""


def steps(
    base: OfflineRun,
    head: OfflineRun,
    base_labels: Mapping[str, str],
    head_labels: Mapping[str, str],
) -> list[Step]:
    """Every resource's step from the base spec's resources to the head's."""
    old = {r.urn: r for r in base.registrations}
    new_urns = {r.urn for r in head.registrations}
    out: list[Step] = []
    for reg in head.registrations:
        prior = old.get(reg.urn)
        if prior is None:
            out.append(Step("import" if reg.import_id else "create", reg))
            continue
        changes = tuple(_changed(prior.inputs, reg.inputs))
        was, now = base_labels.get(reg.name), head_labels.get(reg.name)
        out.append(
            Step(
                "update" if changes else "same",
                reg,
                changes,
                was if was and now and was != now else None,
            )
        )
    out += [Step("delete", reg) for reg in base.registrations if reg.urn not in new_urns]
    return out


_VERBS = {
    "create": "+ create",
    "import": "= import",
    "update": "~ update",
    "same": "  same  ",
    "delete": "- delete",
}


def render_changes(
    base: OfflineRun,
    head: OfflineRun,
    header: str,
    base_labels: Mapping[str, str] | None = None,
    head_labels: Mapping[str, str] | None = None,
) -> str:
    """What applying the head spec would change, compared with the base spec's resources.

    Resources are matched by URN, as the engine matches them with its state. The
    labels map grant resource names to application names on each side: a grant whose
    application was renamed keeps its resource, and is shown as a rename.
    """
    before_labels, after_labels = base_labels or {}, head_labels or {}
    lines = [header, ""]
    tally = {"create": 0, "update": 0, "delete": 0, "unchanged": 0}
    for step in steps(base, head, before_labels, after_labels):
        reg = step.reg
        key = {"import": "create", "same": "unchanged"}.get(step.action, step.action)
        tally[key] += 1
        labels = before_labels if step.action == "delete" else after_labels
        options = (
            (
                "  [retained on delete: leaves the stack, stays in Auth0]"
                if reg.retain_on_delete
                else ""
            )
            if step.action == "delete"
            else _options(reg)
        )
        lines.append(f"{_VERBS[step.action]}  {reg.type}  {reg.name}{_label(reg, labels)}{options}")
        if step.action in ("create", "import"):
            lines += [f"      {k}: {v}" for k, v in flatten(reg.inputs)]
        if step.renamed_from:
            lines.append(
                f"      renamed: application {one_line(step.renamed_from)} -> "
                f"{one_line(labels[reg.name])} (same client: the grant is kept)"
            )
        lines += [f"      {c}" for c in step.changes]
    lines += [
        "",
        ", ".join(
            f"{n} to {k}" if k != "unchanged" else f"{n} unchanged" for k, n in tally.items()
        ),
    ]
    return "\n".join(lines) + "\n"


def changes_as_json(
    base: OfflineRun,
    head: OfflineRun,
    *,
    stack: str,
    base_name: str,
    spec_file: str,
    base_labels: Mapping[str, str],
    head_labels: Mapping[str, str],
) -> dict[str, Any]:
    """``plan --base`` as JSON: one entry per resource with its action."""
    out = []
    for step in steps(base, head, base_labels, head_labels):
        labels = base_labels if step.action == "delete" else head_labels
        out.append(
            {
                "action": step.action,
                "type": step.reg.type,
                "name": step.reg.name,
                "application": labels.get(step.reg.name),
                "renamed_from": step.renamed_from,
                "changes": list(step.changes),
                "inputs": step.reg.inputs,
            }
        )
    return {"stack": stack, "base": base_name, "spec": spec_file, "steps": out}


def as_json(run: OfflineRun, stack: str, spec_file: str) -> dict[str, Any]:
    """The plan as a JSON-ready mapping, inputs camelCase as the engine gets them."""
    return {
        "stack": stack,
        "spec": spec_file,
        "resources": [
            {
                "type": r.type,
                "name": r.name,
                "urn": r.urn,
                "parent": r.parent,
                "protect": r.protect,
                "retainOnDelete": r.retain_on_delete,
                "importId": r.import_id or None,
                "inputs": r.inputs,
            }
            for r in run.registrations
        ],
        "outputs": run.outputs,
    }
