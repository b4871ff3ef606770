#!/usr/bin/env bash
# Build the Pulumi engine the engine tests run, from the Go module proxy only:
#   pulumi                       the CLI              (cli/)
#   pulumi-language-python       the Python host      (langhost/, behind the adapter in
#                                cli/cmd/pulumi-language-python) + its exec script
#   pulumi-resource-auth0        the auth0 provider   (provider/)
#
# Usage: .ci/engine/build.sh [PYTHON]
#   PYTHON (default: python3) is the interpreter whose pulumi_auth0 decides the
#   provider version to report. Prints the engine directory on its last line:
#   bin/ goes on PATH; provider/pulumi-resource-auth0 is installed as a plugin
#   (`pulumi plugin install resource auth0 <version> --file ...`), never put on PATH.
#
# Binaries are cached in $TENANTCFG_ENGINE_CACHE (default ~/.cache/tenantcfg-engine)
# under a key made of every input file of this directory and the provider version,
# so a second run with nothing changed only checks the cache.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${1:-python3}"
[[ "$python" == */* ]] && python="$(cd "$(dirname "$python")" && pwd)/$(basename "$python")"

CLI_VERSION=v3.274.1          # the pulumi CLI the workflows install too
LANGHOST_SDK=v3.79.0          # why: the header of cli/cmd/pulumi-language-python/main.go
TF_PROVIDER=v1.57.0           # terraform-provider-auth0 under the bridge (provider/go.mod)

provider_version="$("$python" - <<'EOF'
import json, pathlib, pulumi_auth0
print(json.loads((pathlib.Path(pulumi_auth0.__file__).parent / "pulumi-plugin.json").read_text())["version"])
EOF
)"

key="$( { cd "$here" && find . -path ./provider/upstream -prune -o -type f \
          \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' -o -name '*.in' -o -name '*.sh' \) -print \
          | LC_ALL=C sort | xargs sha256sum; echo "$provider_version $CLI_VERSION"; } \
        | sha256sum | cut -c1-16)"
cache="${TENANTCFG_ENGINE_CACHE:-$HOME/.cache/tenantcfg-engine}"
out="$cache/$key"

if [[ -f "$out/complete" ]]; then
    echo "engine: cached in $out (provider $provider_version)" >&2
    echo "$out"
    exit 0
fi

# --- probe: every module that no route can do without, by exact version ---------------
probe() {
    local failed=0 mv out
    for mv in "$@"; do
        if out="$(go mod download -json "$mv" 2>&1)"; then
            echo "engine: probe ok   $mv" >&2
        else
            echo "engine: probe FAIL $mv: $(printf %s "$out" | tr '\n' ' ' | cut -c1-300)" >&2
            failed=1
        fi
    done
    return $failed
}
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && go mod init probe >/dev/null 2>&1 && probe \
    "github.com/pulumi/pulumi/pkg/v3@$CLI_VERSION" \
    "github.com/pulumi/pulumi/sdk/v3@$CLI_VERSION" \
    "github.com/pulumi/pulumi/sdk/v3@$LANGHOST_SDK" \
    "github.com/auth0/terraform-provider-auth0@$TF_PROVIDER" \
    github.com/pulumi/pulumi-terraform-bridge/v3@v3.137.0 \
    github.com/pulumi/terraform-plugin-sdk/v2@v2.0.0-20260318212141-5525259d096b ) || {
    echo "engine: the Go module proxy refused a module every route needs (above); nothing built" >&2
    exit 3
}

rm -rf "$out.partial"
bin="$out.partial/bin"
mkdir -p "$bin" "$out.partial/provider"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
start=$(date +%s)

echo "engine: building pulumi $CLI_VERSION" >&2
( cd "$here/cli" && go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$CLI_VERSION" \
    -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi )

echo "engine: building pulumi-language-python (sdk $LANGHOST_SDK)" >&2
( cd "$here/langhost" && go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$LANGHOST_SDK" \
    -o "$bin/pulumi-language-python-upstream" github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python )
( cd "$here/cli" && go build -trimpath -ldflags "-s -w" -o "$bin/pulumi-language-python" ./cmd/pulumi-language-python )
# The host runs the exec script that sits beside it; take the one of the CLI's SDK,
# which matches the Python SDK the project installs (module cache files are read-only).
exec_script="$(cd "$here/cli" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)/python/cmd/pulumi-language-python-exec"
install -m 0755 "$exec_script" "$bin/pulumi-language-python-exec"

echo "engine: building pulumi-resource-auth0 $provider_version (terraform-provider-auth0 $TF_PROVIDER)" >&2
( cd "$here/provider"
  upstream_src="$(go mod download -json "github.com/auth0/terraform-provider-auth0@$TF_PROVIDER" \
                  | "$python" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
  rm -rf upstream && cp -r "$upstream_src" upstream && chmod -R u+w upstream
  mkdir -p upstream/shim && cp shim.go.in upstream/shim/shim.go
  go build -trimpath -ldflags "-s -w -X main.Version=$provider_version" \
    -o "$out.partial/provider/pulumi-resource-auth0" ./cmd/pulumi-resource-auth0 )

echo "$provider_version" > "$out.partial/provider/version"
touch "$out.partial/complete"
rm -rf "$out" && mv "$out.partial" "$out"
echo "engine: built in $(( $(date +%s) - start )) s into $out" >&2
echo "$out"
