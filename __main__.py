"""Pulumi entry point: the program lives in tenantcfg.program."""

from tenantcfg.program import run

run()
