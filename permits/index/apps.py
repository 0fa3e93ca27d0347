from django.apps import AppConfig


class PermitsIndexConfig(AppConfig):
    """The permits domain's rows in the public schema: the cross-regency application index."""

    name = "permits.index"
    label = "permits_index"
    verbose_name = "Indeks permohonan lintas daerah"
