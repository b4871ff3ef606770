// Command pulumi-resource-auth0 serves terraform-provider-auth0 as the Pulumi
// "auth0" resource provider, for tenantcfg's engine tests.
//
// The published pulumi-auth0 provider module is not served by the Go module
// proxy these machines reach, so this is a bridge of the same Terraform
// provider under the same token rules: every auth0_<name> Terraform resource
// becomes auth0:index/<camelName>:<PascalName>, with the bridge's default
// property naming, which is what the pulumi_auth0 Python SDK sends.
package main

import (
	"github.com/auth0/terraform-provider-auth0/shim"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
)

// Version is set at link time to the version the pulumi_auth0 SDK asks for,
// so that the engine selects this plugin.
var Version = "0.0.0-dev"

func main() {
	prov := tfbridge.ProviderInfo{
		P:           shimv2.NewProvider(shim.NewProvider()),
		Name:        "auth0",
		DisplayName: "Auth0",
		Publisher:   "Pulumi",
		Version:     Version,
		GitHubOrg:   "auth0",
		Repository:  "https://github.com/pulumi/pulumi-auth0",
	}
	prov.MustComputeTokens(tokens.SingleModule("auth0_", "index", tokens.MakeStandard("auth0")))
	prov.SetAutonaming(255, "-")
	tfbridge.Main("auth0", Version, prov, []byte(`{"name":"auth0","version":"`+Version+`"}`))
}
