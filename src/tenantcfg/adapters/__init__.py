"""Adapters from each source (spec, Pulumi resources) to the rules' neutral view."""
