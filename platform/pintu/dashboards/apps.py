from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "pintu.dashboards"
    label = "dashboards"
    verbose_name = "Dasbor kinerja layanan"
