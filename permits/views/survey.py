"""Satisfaction survey pages (SKM): the applicant's rating, the counter's tablet, the IKM pages.

- /skm/permohonan/<pk>/ — the applicant rates the service of their decided application, once
- /skm/loket/            — a tablet at the counter: one respondent after another, no account
- /skm/                  — IKM per month/quarter/year for heads and administrators (+ CSV)
- /skm/hasil/            — the public summary of the last completed month
"""
from __future__ import annotations

import csv
import hashlib
import logging
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from permits.models.applications import Application
from permits.models.survey import ELEMENTS, SurveyResponse
from permits.regency import regency_now, regency_zone
from permits.selectors.survey import (
    PERIOD_KINDS,
    IkmResult,
    Period,
    ikm_for_period,
    period_containing,
    period_of,
    responses_between,
    survey_comments,
)
from permits.services.survey import DECIDED, survey_counter_response_submit, survey_response_submit
from pintu.access.permissions import role_required
from pintu.access.roles import IKM_ROLES
from pintu.access.selectors import is_own_application
from pintu.errors import DomainError, errors_onto

log = logging.getLogger(__name__)

COUNTER_RESPONSES_PER_HOUR = 60  # a busy counter serves far fewer respondents than this


def rate_limited(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request in a fixed window per client address (hashed), in this regency's cache keys."""
    address = hashlib.sha256((request.META.get("REMOTE_ADDR") or "unknown").encode()).hexdigest()[:24]
    key = f"feedback-rate:{scope}:{address}"
    try:
        cache.add(key, 0, timeout=window_seconds)
        return cache.incr(key) > limit
    except Exception:  # Redis away: never refuse a citizen because of it
        log.warning("rate limit unavailable for %s", scope, exc_info=True)
        return False


class SurveyForm(forms.Form):
    """Nine radio groups labelled with the regulation's answer wording, and an optional suggestion."""

    comment = forms.CharField(label=_("Saran dan masukan (tidak wajib)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, with_registration: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for number, element in enumerate(ELEMENTS, start=1):
            self.fields[element.field] = forms.TypedChoiceField(
                label=f"{number}. {element.label}", help_text=element.question, coerce=int,
                choices=[(score, answer) for score, answer in enumerate(element.answers, start=1)],
                widget=forms.RadioSelect, error_messages={"required": _("Pilih salah satu jawaban.")})
        self.order_fields([e.field for e in ELEMENTS] + ["comment"])
        if with_registration:
            self.fields["registration_number"] = forms.CharField(
                label=_("Nomor registrasi permohonan (tidak wajib)"), required=False, max_length=32)
            self.fields["tracking_code"] = forms.CharField(
                label=_("Kode pelacakan (wajib bila nomor registrasi diisi)"), required=False, max_length=12)
            self.order_fields(["registration_number", "tracking_code"] + [e.field for e in ELEMENTS] + ["comment"])

    @property
    def elements(self):
        return [self[e.field] for e in ELEMENTS]

    def scores(self) -> dict:
        return {e.field: self.data.get(e.field) for e in ELEMENTS}

    def put_errors(self, exc: DomainError) -> None:
        """The service's refusal next to each field: the service, not the form, judges the scores."""
        if self._errors is None:  # not cleaned by the form: start with no errors of its own
            self._errors, self.cleaned_data = forms.utils.ErrorDict(), {}
        errors_onto(self, exc)


@login_required
@require_http_methods(["GET", "POST"])
def applicant_rate(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("permit_type"), pk=pk)
    if not is_own_application(user=request.user, application=application):
        raise Http404  # never confirm that someone else's application exists
    answered = SurveyResponse.objects.filter(application=application).first()
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            survey_response_submit(application=application, respondent=request.user, scores=form.scores(),
                                   comment=request.POST.get("comment", ""))
        except DomainError as exc:
            form.put_errors(exc)
            messages.error(request, exc.message)
            status = 409 if exc.code == "survey_already_answered" else 400
            answered = SurveyResponse.objects.filter(application=application).first()
        else:
            messages.success(request, _("Terima kasih. Penilaian Anda membantu kami memperbaiki layanan."))
            return redirect("permits:application", pk=application.pk)
    return render(request, "permits/survey/rate.html",
                  {"application": application, "form": form, "answered": answered,
                   "open": application.status in DECIDED}, status=status)


@require_http_methods(["GET", "POST"])
def counter_tablet(request):
    """The counter's tablet: no account; each submission thanks the respondent and clears the form."""
    form = SurveyForm(request.POST or None, with_registration=True)
    status = 200
    if request.method == "POST":
        if rate_limited(request, scope="skm-counter", limit=COUNTER_RESPONSES_PER_HOUR, window_seconds=3600):
            form.add_error(None, _("Terlalu banyak isian dari perangkat ini dalam satu jam. Coba lagi nanti."))
            status = 429
        else:
            try:
                survey_counter_response_submit(scores=form.scores(),
                                               registration_number=request.POST.get("registration_number", ""),
                                               tracking_code=request.POST.get("tracking_code", ""),
                                               comment=request.POST.get("comment", ""))
            except DomainError as exc:
                form.put_errors(exc)
                status = 409 if exc.code == "survey_already_answered" else 400
            else:
                return redirect(request.path + "?terima-kasih=1")
    response = render(request, "permits/survey/counter.html",
                      {"form": form, "thanked": "terima-kasih" in request.GET}, status=status)
    response["Cache-Control"] = "no-store"
    return response


# --- IKM ------------------------------------------------------------------------------------------------------


def period_from(request) -> Period:
    """?periode=month|quarter|year&tahun=YYYY&ke=N; anything unreadable falls back to the current period."""
    kind = request.GET.get("periode", "month")
    if kind not in PERIOD_KINDS:
        kind = "month"
    current = period_containing(kind=kind)
    try:
        year = int(request.GET.get("tahun", current.year))
        number = int(request.GET.get("ke", current.number))
    except ValueError:
        return current
    limit = {"month": 12, "quarter": 4, "year": 1}[kind]
    if not (2000 <= year <= 2100 and 1 <= number <= limit):
        return current
    return period_of(kind=kind, year=year, number=number)


CHART_LABEL_W, CHART_BAR_W, CHART_ROW, CHART_BAR_H = 290, 320, 30, 20
GOOD, WEAK = Decimal(3), Decimal("2.5")  # bar colours: green from 3 ("good"), amber from 2.5, red below


def nrr_chart(result: IkmResult) -> dict:
    """Horizontal bars of the nine NRRs on the 1–4 scale (0 at the left), as SVG geometry."""
    bars = []
    for index, row in enumerate(result.elements):
        y = 24 + index * CHART_ROW
        width = float(row.nrr) / 4 * CHART_BAR_W
        colour = "#0b6e4f" if row.nrr >= GOOD else "#a15c00" if row.nrr >= WEAK else "#a4262c"
        bars.append({"label": f"U{index + 1} {row.element.label}", "y": y, "text_y": y + 15, "width": round(width, 1),
                     "value": row.nrr_display if result.respondents else "–", "value_x": CHART_LABEL_W + round(width, 1) + 6,
                     "colour": colour})
    ticks = [{"x": CHART_LABEL_W + CHART_BAR_W * t / 4, "label": t} for t in range(5)]
    height = 24 + len(bars) * CHART_ROW + 4
    return {"bars": bars, "ticks": ticks, "x": CHART_LABEL_W, "bar_h": CHART_BAR_H, "height": height,
            "width": CHART_LABEL_W + CHART_BAR_W + 60, "bottom": height - 4}


def _nav(period: Period) -> dict:
    following = period.following()
    return {"previous": period.previous(), "next": following if following.start <= regency_now() else None}


@require_GET
@role_required(*IKM_ROLES)
def ikm_dashboard(request):
    period = period_from(request)
    result = ikm_for_period(period)
    return render(request, "permits/survey/ikm.html", {
        "period": period, "result": result, "chart": nrr_chart(result), "kinds": PERIOD_KINDS, **_nav(period),
        "comments": survey_comments(start=period.start, end=period.end),
        "zone_label": regency_zone().key,
    })


@require_GET
@role_required(*IKM_ROLES)
def ikm_csv(request):
    """The period's figures (per element and IKM), or with ?rinci=1 one row per response."""
    period = period_from(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    detailed = request.GET.get("rinci") == "1"
    name = f"skm-{period.kind}-{period.year}-{period.number}{'-rinci' if detailed else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    if detailed:
        zone = regency_zone()
        writer.writerow(["waktu", "saluran", "nomor_registrasi", *[f"U{i}" for i in range(1, 10)], "saran"])
        for row in (responses_between(start=period.start, end=period.end).select_related("application")
                    .order_by("submitted_at", "pk").iterator()):
            writer.writerow([row.submitted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), row.channel,
                             row.application.registration_number if row.application else "",
                             *row.scores().values(), row.comment])
        return response
    result = ikm_for_period(period)
    writer.writerow(["periode", period.label])
    writer.writerow(["responden", result.respondents])
    writer.writerow(["unsur", "nama", "jumlah_nilai", "nrr", "nrr_tertimbang"])
    for index, row in enumerate(result.elements, start=1):
        writer.writerow([f"U{index}", str(row.element.label), row.total, row.nrr_display if result.respondents else "",
                         row.weighted.quantize(Decimal("0.001")) if result.respondents else ""])
    writer.writerow(["IKM", result.ikm_display if result.ikm is not None else ""])
    writer.writerow(["mutu", f"{result.grade} ({result.grade_label})" if result.grade else ""])
    return response


@require_GET
def ikm_public(request):
    """What the public may see: the last completed month (and the running one, marked provisional)."""
    current = period_containing(kind="month")
    last = current.previous()
    last_result, current_result = ikm_for_period(last), ikm_for_period(current)
    return render(request, "permits/survey/public.html", {
        "last": last, "last_result": last_result, "chart": nrr_chart(last_result),
        "current": current, "current_result": current_result,
    })
