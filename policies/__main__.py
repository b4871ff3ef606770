"""The CrossGuard policy pack: ``pulumi preview --policy-pack policies``.

Constructing the pack starts its gRPC server and never returns, so nothing
else belongs here: the policies live in :mod:`tenantcfg.deploy.crossguard`.
"""

from pulumi_policy import Policy, PolicyPack

from tenantcfg.deploy.crossguard import PACK_NAME, build_policies

policies: list[Policy] = list(build_policies())
PolicyPack(
    name=PACK_NAME,
    policies=policies,
    description="Auth0 My Account API: access policies locked, least-privilege user grants only.",
)
