//go:build tools

// Package tools pins the Python language host's main package so that
// `go mod tidy` keeps every module its build needs.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
)
