"""Review without Pulumi: the checker, the spec diff, the report and the pack config."""
