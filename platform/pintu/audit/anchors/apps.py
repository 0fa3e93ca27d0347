from django.apps import AppConfig


class AuditAnchorsConfig(AppConfig):
    """The audit chains' heads, kept by the ministry in the public schema (one row per regency)."""

    name = "pintu.audit.anchors"
    label = "audit_anchors"
    verbose_name = "Jangkar rantai audit"
