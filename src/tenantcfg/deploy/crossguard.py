"""The rules as CrossGuard policies, for ``pulumi preview --policy-pack policies``.

One policy per rule, so each can be configured on its own and shows up under its
own name in the preview: a rule about one resource is a resource policy (judged
before that resource is created or updated), a rule about several is a stack
policy. They judge every resource of any Pulumi program: a hand-written
``auth0.ResourceServer`` on ``/me/`` is judged exactly like one declared from a
spec. Two advisory policies carry what a mandatory policy cannot: findings silenced
by a waiver, and findings on resources whose values are not known until the update.
The evaluation itself is :func:`tenantcfg.adapters.pack.judge`, free of CrossGuard.

Policy config (``--policy-pack-config``), for each rule's policy:
``enforcementLevel``, ``waivers`` (``[{rule, resource, reason, expires}]``),
``declaredScopes``, ``maxWaiverDays``, optionally ``canonicalDomain`` (else the
auth0 provider's domain), and for the token lifetime rule ``maxTokenLifetime``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from tenantcfg.adapters.pack import judge
from tenantcfg.adapters.resources import (
    CLIENT_GRANT,
    RESOURCE_SERVER,
    UNKNOWN,
    Resource,
)
from tenantcfg.rules import RULES, Level, Rule
from tenantcfg.rules.model import Settings
from tenantcfg.stack.packconfig import OPTIONS, UNKNOWN_POLICY, WAIVED_POLICY

PACK_NAME = "tenantcfg-myaccount"
_LEVELS = {
    Level.MANDATORY: EnforcementLevel.MANDATORY,
    Level.ADVISORY: EnforcementLevel.ADVISORY,
    Level.DISABLED: EnforcementLevel.DISABLED,
}

_WAIVER_ITEM = {
    "type": "object",
    "properties": {
        "rule": {"type": "string"},
        "resource": {"type": "string"},
        "reason": {"type": "string"},
        "expires": {"type": "string", "format": "date"},
    },
    "required": ["resource", "reason", "expires"],
}
_COMMON_SCHEMA: dict[str, dict[str, Any]] = {
    "canonicalDomain": {"type": "string", "description": "Tenant canonical domain."},
    "waivers": {"type": "array", "items": _WAIVER_ITEM},
    "maxWaiverDays": {
        "type": "integer",
        "minimum": 1,
        "default": Settings.max_waiver_days,
        "description": "A waiver may run at most this many days from today.",
    },
    "declaredScopes": {
        "type": "object",
        "description": "Scopes the spec declares beyond the "
        "catalogue: {scope: {unlocks, risk, sensitive}}.",
    },
}


def plain(value: Any) -> Any:
    """Inputs as plain data, with values the engine does not know yet as UNKNOWN."""
    if isinstance(value, Mapping):
        out = {}
        for key in list(value.keys()):
            try:
                out[key] = plain(value[key])
            except UnknownValueError:
                out[key] = UNKNOWN
        return out
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        # pulumi_policy hands lists over as its own read-only sequence proxy.
        try:
            return [plain(v) for v in value]
        except UnknownValueError:
            return UNKNOWN
    return value


def to_resource(res: PolicyResource | ResourceValidationArgs) -> Resource:
    """A CrossGuard resource (of a stack, or the one a resource policy judges) for the rules."""
    provider = plain(res.provider.props) if res.provider is not None else {}
    return Resource(
        type=res.resource_type,
        name=res.name,
        urn=res.urn,
        inputs=plain(res.props),
        protect=bool(res.opts.protect) if res.opts is not None else None,
        provider_inputs=provider if isinstance(provider, Mapping) else {},
    )


def _report(
    rule: Rule,
    resources: list[Resource],
    config: Mapping[str, Any],
    report_violation: ReportViolation,
) -> None:
    rv, findings = judge(resources, config, rule.id)
    for f in findings:
        if not f.waived and not rv.is_uncertain(f.resource, f.field):
            report_violation(
                f"{f.message} ({rule.id}). Fix: {rule.remediation}", rv.urns.get(f.resource)
            )


def _stack_validator(rule: Rule) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        _report(rule, [to_resource(r) for r in args.resources], args.get_config(), report_violation)

    return validate


def _resource_validator(rule: Rule) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type in (RESOURCE_SERVER, CLIENT_GRANT):
            _report(rule, [to_resource(args)], args.get_config(), report_violation)

    return validate


def _rule_policy(rule: Rule) -> ResourceValidationPolicy | StackValidationPolicy:
    """A rule as a CrossGuard policy.

    Rules about one resource are resource policies: the engine runs them before
    it creates or updates the resource, also under ``pulumi up --skip-preview``.
    Rules that need several resources at once can only be stack policies.
    """
    common: dict[str, Any] = {
        "name": rule.name,
        "description": f"{rule.id}: {rule.title}",
        "enforcement_level": _LEVELS[rule.level],
        "config_schema": _schema(rule),
        "remediation_steps": rule.remediation,
    }
    if rule.cross_resource:
        return StackValidationPolicy(validate=_stack_validator(rule), **common)
    return ResourceValidationPolicy(validate=_resource_validator(rule), **common)


def _side_validator(kind: str) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [to_resource(r) for r in args.resources]
        rv, findings = judge(resources, args.get_config())
        if kind == "unknown":
            for res in resources:
                if res.type == CLIENT_GRANT and res.inputs.get("audience") is UNKNOWN:
                    report_violation(
                        "audience not known during preview: whether this grant "
                        "is on the My Account API is judged at update",
                        res.urn,
                    )
        for f in findings:
            if kind == "waived" and f.waiver is not None:
                report_violation(
                    f"waived until {f.waiver.expires.isoformat()} "
                    f"({f.waiver.reason}): {f.message} ({f.rule.id})",
                    rv.urns.get(f.resource),
                )
            elif kind == "unknown" and rv.is_uncertain(f.resource, f.field):
                report_violation(
                    f"not yet known during preview, judged again at update: "
                    f"{f.message} ({f.rule.id})",
                    rv.urns.get(f.resource),
                )

    return validate


def _schema(rule: Rule) -> PolicyConfigSchema:
    props = dict(_COMMON_SCHEMA)
    for option in rule.options:  # the settings a rule declares it reads
        key, schema = OPTIONS[option]
        props[key] = {**schema, "default": getattr(Settings, option)}
    return PolicyConfigSchema(properties=props)


_SIDE_POLICIES = (
    (
        WAIVED_POLICY,
        "waived",
        "Findings silenced by a waiver, still shown until the waiver expires",
    ),
    (UNKNOWN_POLICY, "unknown", "Findings on values not known until the update; mandatory then"),
)
"""The two advisory side policies: name, the findings they show, what they say."""


def build_policies() -> list[ResourceValidationPolicy | StackValidationPolicy]:
    """Every rule as a policy, plus the two advisory side policies."""
    policies: list[ResourceValidationPolicy | StackValidationPolicy] = [
        _rule_policy(rule) for rule in RULES
    ]
    for name, kind, description in _SIDE_POLICIES:
        policies.append(
            StackValidationPolicy(
                name=name,
                description=description,
                validate=_side_validator(kind),
                enforcement_level=EnforcementLevel.ADVISORY,
                config_schema=PolicyConfigSchema(properties=dict(_COMMON_SCHEMA)),
            )
        )
    return policies
