"""The monthly statement of fair use: for the regency (its subdomain) and for the ministry (apex)."""
from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from billing_free.charts import history_bars, quota_bars
from billing_free.errors import MonthInvalid
from billing_free.models import Metric, Quota
from billing_free.selectors import month_parse, quota_state, usage_history, usage_overview
from billing_free.services.alerts import month_label
from billing_free.services.metering import month_of, quota_defaults, quota_reset, quota_set
from permits.documents.text import month_name
from pintu.access.permissions import ministry_role_required, role_required
from pintu.access.roles import MINISTRY_ADMIN_ROLES, REGENCY_USAGE_ROLES, USAGE_READ_ROLES
from pintu.errors import DomainError
from tenants.models import Regency


def _short_month(month) -> str:
    return f"{month_name(month.month)[:3]} {month:%y}"


def _month(request, regency):
    try:
        return month_parse(request.GET.get("bulan"), regency=regency)
    except MonthInvalid as exc:
        messages.error(request, exc.message)
        return month_of(regency)


def _statement_context(request, regency) -> dict:
    month = _month(request, regency)
    lines = quota_state(regency, month)
    history = usage_history(regency, until=month, months=6)
    return {
        "subject": regency, "month": month, "month_label": month_label(month), "month_value": f"{month:%Y-%m}",
        "lines": lines, "chart": quota_bars(lines),
        "history_chart": history_bars(history, metric=Metric.APPLICATIONS, month_label=_short_month),
        "any_over": any(line.state == "over" for line in lines),
    }


class _Echo:
    def write(self, value):
        return value


def _csv_response(regency, month) -> StreamingHttpResponse:
    """12 months ending with `month`, one row per metric, streamed."""

    def rows():
        yield ["kode_wilayah", "daerah", "bulan", "metrik", "nama_metrik", "pemakaian", "kuota", "persen", "status",
               "biaya_rp"]
        for each_month, lines in usage_history(regency, until=month, months=12):
            for line in lines:
                yield [regency.code, regency.name, f"{each_month:%Y-%m}", line.metric, line.label, line.used,
                       line.limit, f"{line.percent:.1f}", line.state_label, "0"]

    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pemakaian-{regency.code}-{month:%Y-%m}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*REGENCY_USAGE_ROLES)
def regency_statement(request):
    context = _statement_context(request, request.tenant)
    return render(request, "billing_free/usage_statement.html", {**context, "csv_url": "csv/", "ministry": False})


@role_required(*REGENCY_USAGE_ROLES)
def regency_statement_csv(request):
    regency = request.tenant
    return _csv_response(regency, _month(request, regency))


def _regency_by_code(code: str) -> Regency:
    regency = Regency.objects.filter(code=code).exclude(schema_name="public").first()
    if regency is None:
        raise Http404()
    return regency


@ministry_role_required(*USAGE_READ_ROLES)
def ministry_overview(request):
    month = timezone.localdate().replace(day=1)  # the platform's month
    if request.GET.get("bulan"):
        try:
            month = month_parse(request.GET["bulan"], regency=None)
        except MonthInvalid as exc:
            messages.error(request, exc.message)
    rows = usage_overview(month=month)
    return render(request, "billing_free/usage_overview.html",
                  {"rows": rows, "month_label": month_label(month), "month_value": f"{month:%Y-%m}"})


@ministry_role_required(*USAGE_READ_ROLES)
def ministry_statement(request, code: str):
    regency = _regency_by_code(code)
    context = _statement_context(request, regency)
    overrides = dict(Quota.objects.filter(regency=regency).values_list("metric", "limit"))
    defaults = quota_defaults()
    defaults.update(dict(Quota.objects.filter(regency__isnull=True).values_list("metric", "limit")))
    quota_rows = [{"metric": m.value, "label": m.label, "default": defaults[m.value], "override": overrides.get(m.value)}
                  for m in Metric]
    can_edit = request.is_ministry_admin
    return render(request, "billing_free/usage_statement.html",
                  {**context, "csv_url": "csv/", "ministry": True, "quota_rows": quota_rows, "can_edit": can_edit})


@ministry_role_required(*USAGE_READ_ROLES)
def ministry_statement_csv(request, code: str):
    regency = _regency_by_code(code)
    return _csv_response(regency, _month(request, regency))


@require_POST
@ministry_role_required(*MINISTRY_ADMIN_ROLES)
def ministry_quota_set(request, code: str):
    regency = _regency_by_code(code)
    metric = request.POST.get("metric", "")
    try:
        if request.POST.get("reset"):
            quota_reset(actor=request.user, metric=metric, regency=regency)
            messages.success(request, "Kuota khusus dihapus; kuota bawaan berlaku kembali.")
        else:
            quota_set(actor=request.user, metric=metric, limit=request.POST.get("limit", ""), regency=regency)
            messages.success(request, gettext("Kuota daerah disimpan."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("billing:ministry-usage", code=regency.code)

