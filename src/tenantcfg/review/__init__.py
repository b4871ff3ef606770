"""Review without Pulumi: the checker, the spec diff, the report and the one finding model."""
