"""Dashboard pages: national (apex, /kementerian/dasbor/) and a regency's own (subdomain, /dasbor/)."""
from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext

from permits.regency import regency_today
from permits.selectors import stats
from pintu.access.models import Role
from pintu.access.permissions import has_role, ministry_role_required, role_required
from pintu.access.roles import DASHBOARD_ROLES
from pintu.dashboards import charts, selectors, services
from pintu.dashboards.exports import csv_response, xlsx_response
from pintu.errors import DomainError

NATIONAL_HEADER = ["Kode", "Daerah", "Provinsi", "Diterima daring", "Diterima loket", "Diterima", "Diputus",
                   "Tepat waktu", "Terlambat", "Kepatuhan SLA (%)", "Median hari kerja", "Tunggakan",
                   "Berkas terlambat", "Responden SKM", "IKM", "Mutu IKM", "Pengaduan terbuka"]
DAILY_HEADER = ["Tanggal", "Diterima daring", "Diterima loket", "Diputus", "Tepat waktu", "Terlambat",
                "Median hari kerja", "Tunggakan", "Berkas terlambat", "Pengaduan terbuka", "Responden SKM", "IKM",
                "Mutu IKM", "Target daring", "Selisih target"]


def _period(request, today):
    return selectors.day_range_parse(first=request.GET.get("dari", ""), last=request.GET.get("sampai", ""),
                                     days=request.GET.get("hari", ""), today=today)


def _national_line(row) -> list:
    f = row.figures
    return [row.regency.code, row.regency.name, row.regency.province_name, f.received_online, f.received_counter,
            f.received, f.decided, f.sla_met, f.sla_missed, f.sla_percent, f.median_working_days, f.backlog, f.late,
            f.respondents, f.ikm, f.ikm_grade, f.complaints_open]


def _display_lines(lines) -> list[list]:
    """Numbers as the active language writes them (decimal separator looked up once); None stays None."""
    separator = formats.get_format("DECIMAL_SEPARATOR")
    return [[str(v).replace(".", separator) if isinstance(v, Decimal) else str(v) if isinstance(v, int) else v
             for v in line] for line in lines]


@ministry_role_required()
def national(request):
    """Every regency's figures over a period, rankings and charts, from the daily rows (fixed query count)."""
    period = _period(request, selectors.latest_today())
    province = request.GET.get("provinsi", "")
    rows = selectors.national_rows(period=period, province=province)
    export = request.GET.get("format", "")
    stem = f"dasbor-nasional-{period.first}-{period.last}"
    if export == "csv":
        return csv_response(filename=f"{stem}.csv", header=NATIONAL_HEADER, rows=(_national_line(r) for r in rows))
    if export == "xlsx":
        return xlsx_response(filename=f"{stem}.xlsx", title="Dasbor nasional", header=NATIONAL_HEADER,
                             rows=(_national_line(r) for r in rows))
    ranked = selectors.rankings(rows)
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "dashboards/national.html", {
        "period": period, "province": province, "provinces": selectors.provinces(), "rows": rows,
        # The table's cells computed and formatted once per regency (the export's lines, as text): 514 rows
        # x 10 numbers would otherwise each go through the template's per-value localization.
        "lines": _display_lines(_national_line(r) for r in rows),
        "totals": selectors.national_totals(rows), "rankings": ranked, "query": query.urlencode(),
        "as_of": _as_of(selectors.rollup_as_of(rows), "Asia/Jakarta"),
        "sla_chart": charts.hbars([(r.regency.name, r.figures.sla_percent) for r in ranked["sla_best"]
                                   + ranked["sla_worst"]], title="Kepatuhan SLA (%)", unit=" %", maximum=100),
        "online_chart": charts.hbars([(r.regency.name, r.figures.online_share) for r in ranked["online"]],
                                     title="Porsi daring (%)", unit=" %", maximum=100),
    })


@role_required(*DASHBOARD_ROLES)
def regency(request):
    """The office's own figures: stored days plus today live, backlog by step and officer, late files, types."""
    regency = request.tenant
    if request.method == "POST":
        return _target_set(request, regency)
    today = regency_today()
    period = _period(request, today)
    live = stats.regency_today_figures() if period.first <= today <= period.last else None
    series = selectors.regency_series(regency=regency, period=period, today=today, live=live)
    target = selectors.online_target(regency=regency)
    total = selectors.Figures()
    for day in series:
        total.add_day(day)
    lines = [(day, day.received_online - target if target else None) for day in series]
    stem = f"dasbor-{regency.schema_name}-{period.first}-{period.last}"
    if request.GET.get("format") == "csv":
        return csv_response(filename=f"{stem}.csv", header=DAILY_HEADER, rows=(_daily_line(day, target) for day in series))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(filename=f"{stem}.xlsx", title=f"Dasbor {regency.name}"[:31], header=DAILY_HEADER,
                             rows=(_daily_line(day, target) for day in series))
    start, _ = stats.day_bounds(period.first)
    _, end = stats.day_bounds(period.last)
    days_with_target_met = sum(1 for day in series if target and day.received_online >= target)
    return render(request, "dashboards/regency.html", {
        "regency": regency, "period": period, "today": today, "live": live, "total": total, "lines": lines,
        "target": target, "target_met_days": days_with_target_met,
        "today_gap": (live.received_online - target) if (live is not None and target) else None,
        "by_step": stats.backlog_by_step(), "by_officer": stats.backlog_by_officer(),
        "late_files": stats.late_files(), "by_type": stats.figures_by_permit_type(start=start, end=end),
        "can_set_target": has_role(request, Role.HEAD),
        "chart": charts.daily_columns(series, title="Permohonan per hari: daring dan loket", target=target),
        "as_of": _as_of(max((d.computed_at for d in series if getattr(d, "computed_at", None)), default=None),
                        regency.time_zone),
    })


def _as_of(moment, zone: str):
    """When the rolled-up figures were computed, in `zone` (the page says "data per ..." with it)."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)) if moment is not None else None


def _daily_line(day, target: int) -> list:
    gap = day.received_online - target if target else None
    return [day.day.isoformat(), day.received_online, day.received_counter, day.decided, day.sla_met, day.sla_missed,
            day.median_working_days, day.backlog, day.late, day.complaints_open, day.respondents, day.ikm,
            day.ikm_grade, target or None, gap]


def _target_set(request, regency):
    if not has_role(request, Role.HEAD):
        messages.error(request, gettext("Hanya kepala dinas yang dapat menetapkan target harian."))
        return redirect("dashboards:regency")
    try:
        target = services.regency_target_set(actor=request.user, regency=regency,
                                             online_daily_target=request.POST.get("online_daily_target"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Target permohonan daring per hari: %(online_daily_target)s.")
                                  % {"online_daily_target": target.online_daily_target})
    return redirect("dashboards:regency")
