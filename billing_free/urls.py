"""billing_free's pages, included by both root URLconfs under the `billing` namespace.

Regency subdomains get the usage statement and the two pungli pages for the public
(report, status by code) — and nothing else about pungli reports.
"""
from django.urls import path

from billing_free.views import pungli, usage

pungli_public = [
    path("lapor-pungli/", pungli.report_form, name="pungli-report"),
    path("lapor-pungli/status/", pungli.report_status, name="pungli-status"),
]

tenant_patterns = [
    *pungli_public,
    path("pemakaian/", usage.regency_statement, name="usage"),
    path("pemakaian/csv/", usage.regency_statement_csv, name="usage-csv"),
]

public_patterns = [
    *pungli_public,
    path("kementerian/pemakaian/", usage.ministry_overview, name="ministry-usage-overview"),
    path("kementerian/pemakaian/<str:code>/", usage.ministry_statement, name="ministry-usage"),
    path("kementerian/pemakaian/<str:code>/csv/", usage.ministry_statement_csv, name="ministry-usage-csv"),
    path("kementerian/pemakaian/<str:code>/kuota/", usage.ministry_quota_set, name="ministry-quota-set"),
    path("kementerian/pungli/", pungli.console_list, name="pungli-console"),
    path("kementerian/pungli/statistik/", pungli.console_statistics, name="pungli-statistics"),
    path("kementerian/pungli/<int:pk>/", pungli.console_detail, name="pungli-console-detail"),
    path("kementerian/pungli/<int:pk>/tindakan/", pungli.console_advance, name="pungli-console-advance"),
    path("kementerian/pungli/<int:pk>/lampiran/", pungli.console_file, name="pungli-console-file"),
]
