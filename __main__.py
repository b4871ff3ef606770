"""Pulumi entry point: the program lives in tenantcfg.deploy.program."""

from tenantcfg.deploy.program import run

run()
