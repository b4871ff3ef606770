"""``tenantcfg import``: a spec written from what a tenant already holds.

Pure: it works on what the audit read (:mod:`tenantcfg.audit.live`) and writes
text the strict loader then reads back; the reading itself is the audit's.
"""
