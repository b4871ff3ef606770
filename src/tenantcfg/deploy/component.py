"""The reusable Pulumi component: the My Account API and one client grant per application.

Other Pulumi programs can declare ``MyAccountApi(name, spec)`` with a
:class:`~tenantcfg.spec.model.TenantSpec` of their own.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_auth0 as auth0

from tenantcfg.spec.model import ApiSettings, Application, TenantSpec
from tenantcfg.stack.naming import (
    API_RESOURCE_NAME,
    COMPONENT_TYPE,
    grant_resource_names,
    legacy_grant_resource_name,
)


def resource_server_args(settings: ApiSettings, identifier: str) -> dict[str, Any]:
    """Inputs of the API resource: the identifier plus only what a system API lets us write.

    Auth0 refuses ``name``, ``signing_alg``, ``token_dialect``, scopes and other
    read-only fields on a system API ('Additional properties not allowed'), so
    they are never sent.
    """
    policies = settings.policies
    # anonymous_user is early access: Auth0's published schema for
    # subject_type_authorization has only user and client, so it is sent only when the
    # spec asks for it; a tenant without the feature would refuse it or not echo it.
    anonymous = (
        None
        if policies.anonymous_user is None
        else auth0.ResourceServerSubjectTypeAuthorizationAnonymousUserArgs(
            policy=policies.anonymous_user
        )
    )
    args: dict[str, Any] = {
        "identifier": identifier,
        "subject_type_authorization": auth0.ResourceServerSubjectTypeAuthorizationArgs(
            user=auth0.ResourceServerSubjectTypeAuthorizationUserArgs(policy=policies.user),
            client=auth0.ResourceServerSubjectTypeAuthorizationClientArgs(policy=policies.client),
            anonymous_user=anonymous,
        ),
        "token_lifetime": settings.token_lifetime,
        "skip_consent_for_verifiable_first_party_clients": (
            settings.skip_consent_for_verifiable_first_party_clients
        ),
    }
    pop = settings.proof_of_possession
    if pop is not None:
        args["proof_of_possession"] = auth0.ResourceServerProofOfPossessionArgs(
            mechanism=pop.mechanism, required=pop.required, required_for=pop.required_for
        )
    if settings.authorization_policy is not None:
        args["authorization_policy"] = auth0.ResourceServerAuthorizationPolicyArgs(
            policy_id=settings.authorization_policy.policy_id
        )
    return args


def grant_scopes(app: Application) -> list[str]:
    """The grant's scope list: exactly the declared scopes.

    Sorted and without duplicates, so that reordering a spec changes nothing; but an
    adopted grant's list is sent as the spec writes it, which ``tenantcfg import``
    writes as the tenant holds it: the provider compares scope lists item by item, and
    any other list would make adopting a grant send an update that changes nothing.
    """
    if app.adopt_grant_id is not None:
        return list(app.scopes)
    return sorted(set(app.scopes))


def wider_than_declared(
    app_name: str, declared: list[str], grant_id: str | None, live: list[str] | None
) -> str | None:
    """Why a grant's live scopes are a problem, or None when they are within the spec.

    The auth0 provider's create adopts a grant that already exists for the same
    client, audience and subject type, and keeps its scopes as they are; the engine
    then records them as the grant's state. Only a second ``pulumi up`` narrows them.
    """
    extra = sorted(set(live or []) - set(declared))
    if not extra:
        return None
    return (
        f"application {app_name!r}: its client already had a My Account grant "
        f"({grant_id}) that the auth0 provider adopted as it was, so the tenant still allows "
        f"{', '.join(extra)} beyond the spec. Run `pulumi up` again to narrow it, and adopt "
        f"existing grants explicitly (adopt_grant_id: {grant_id}) so one run imports and "
        "narrows them."
    )


def _report_wider(app_name: str, declared: list[str], grant: auth0.ClientGrant) -> None:
    def check(values: list[Any]) -> None:
        problem = wider_than_declared(app_name, declared, values[0], values[1])
        if problem is not None:
            # A failed program fails `pulumi up` (an error diagnostic alone does not):
            # a wider grant never ends in a green run.
            raise pulumi.RunError(problem)

    pulumi.Output.all(grant.id, grant.scopes).apply(check)


class MyAccountApi(pulumi.ComponentResource):
    """Activates the My Account API and declares a least-privilege grant per application.

    The API resource is protected and retained: destroying it would switch the
    My Account API off for every application of the tenant.

    Declare one per program: its children have fixed names (``my-account-api``,
    ``grant-<client id>``) that the policy rules map back to spec entries, so a
    second instance in the same program would collide. Use one stack per tenant.
    """

    api: auth0.ResourceServer
    audience: pulumi.Output[str]
    grants: dict[str, auth0.ClientGrant]

    def __init__(
        self, name: str, spec: TenantSpec, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(COMPONENT_TYPE, name, None, opts)
        settings = spec.my_account_api
        api = auth0.ResourceServer(
            API_RESOURCE_NAME,
            **resource_server_args(settings, spec.audience),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=True,
                retain_on_delete=True,
                import_=settings.adopt_id,
            ),
        )
        self.api = api
        self.audience = api.identifier
        names = grant_resource_names({n: a.client_id for n, a in spec.applications.items()})
        self.grants = {
            app_name: auth0.ClientGrant(
                names[app_name],
                client_id=app.client_id,
                audience=api.identifier,
                scopes=grant_scopes(app),
                subject_type="user",
                opts=pulumi.ResourceOptions(
                    parent=self,
                    # Stacks deployed before grants were named by client id keep their
                    # grants: the engine moves them to the new name without a replace.
                    aliases=[pulumi.Alias(name=legacy_grant_resource_name(app_name))],
                    import_=app.adopt_grant_id,
                ),
            )
            for app_name, app in spec.applications.items()
        }
        if not pulumi.runtime.is_dry_run():
            # A preview only ever sees the declared scopes (or unknowns): nothing to check,
            # and a thousand waiting callbacks would slow every preview down.
            for app_name, grant in self.grants.items():
                _report_wider(app_name, grant_scopes(spec.applications[app_name]), grant)
        self.register_outputs({"audience": self.audience})
