"""The tenant spec: its schema (``model``), its strict YAML loader and their helpers."""
