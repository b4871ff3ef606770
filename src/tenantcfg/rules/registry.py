"""The ordered list of every rule; the registry in ``tenantcfg.rules`` indexes it."""

from __future__ import annotations

from tenantcfg.rules import (
    allow_all_scopes,
    anonymous_policy,
    application_kind,
    client_policy,
    default_for,
    duplicate_grants,
    empty_scopes,
    grant_subject_type,
    identifier,
    justification,
    placeholders,
    protection,
    scope_names,
    step_up,
    token_lifetime,
    user_policy,
    waivers,
)
from tenantcfg.rules.model import Rule

RULES: tuple[Rule, ...] = (
    user_policy.RULE,
    client_policy.RULE,
    anonymous_policy.RULE,
    grant_subject_type.RULE,
    allow_all_scopes.RULE,
    empty_scopes.RULE,
    scope_names.UNKNOWN,
    scope_names.HYPHENATED,
    scope_names.PLANNED,
    default_for.RULE,
    application_kind.RULE,
    duplicate_grants.RULE,
    identifier.RULE,
    protection.RULE,
    step_up.RULE,
    justification.RULE,
    token_lifetime.RULE,
    waivers.RULE,
    scope_names.DECLARED,
    placeholders.RULE,
)
