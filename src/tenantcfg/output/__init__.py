"""Findings in the formats CI systems read: text, JSON, SARIF 2.1.0, GitHub annotations."""
