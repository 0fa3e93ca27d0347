"""Pages of the ministry console (apex domain only; see pintu.urls_public)."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pintu.access.permissions import ministry_role_required
from pintu.console import selectors, services
from pintu.console.forms import AnnouncementForm, ProvisionForm, RegencyFilterForm, StatusForm
from pintu.console.models import Announcement, ProvisioningJob
from pintu.console.tasks import regency_snapshots_refresh
from pintu.errors import DomainError, errors_onto
from tenants.models import Regency
from tenants.regions import official_regencies, official_regency
from tenants.selectors import regency_url

PAGE_SIZE = 50


def _link(request, regency: Regency) -> str:
    port = request.get_port()
    return regency_url(regency, scheme="https" if request.is_secure() else "http",
                       port="" if port in ("80", "443") else port)


@ministry_role_required()
def regencies(request):
    """All 514 official regencies, which are on Pintu, with each one's figures (a fixed number of queries)."""
    form = RegencyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.console_regency_rows(province=filters.get("province", ""), state=filters.get("state", ""),
                                          query=filters.get("q", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [(row, _link(request, row.regency) if row.regency is not None else "") for row in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/regencies.html", {
        "form": form, "page": page, "entries": entries, "totals": selectors.console_totals(),
        "matching": len(rows), "query": query.urlencode(),
    })


@ministry_role_required()
def regency_detail(request, code: str):
    official = official_regency(code)
    if official is None:
        raise Http404
    regency = selectors.console_regency_get(code=code)
    return render(request, "console/regency_detail.html", {
        "official": official, "regency": regency, "snapshot": getattr(regency, "snapshot", None),
        "link": _link(request, regency) if regency else "", "form": StatusForm(),
    })


@require_POST
@ministry_role_required()
def regency_admin_invite(request, code: str):
    """Resend the regency's first administrator their hand-over invitation (issue #15)."""
    regency = selectors.console_regency_get(code=code)
    if regency is None:
        raise Http404
    try:
        email = services.regency_admin_invitation_resend(actor=request.user, regency=regency)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Undangan administrator dikirim ulang ke %(email)s; tautan lama tidak berlaku lagi.")
                                  % {"email": email})
    return redirect("console:regency", code=code)


@require_POST
@ministry_role_required()
def regency_status(request, code: str):
    regency = selectors.console_regency_get(code=code)
    if regency is None:
        raise Http404
    form = StatusForm(request.POST)
    status = Regency.Status.SUSPENDED if request.POST.get("action") == "suspend" else Regency.Status.ACTIVE
    if form.is_valid():
        try:
            services.regency_status_change(actor=request.user, regency=regency, status=status,
                                           reason=form.cleaned_data["reason"])
        except DomainError as exc:
            errors_onto(form, exc)
        else:
            done = "dinonaktifkan" if status == Regency.Status.SUSPENDED else "diaktifkan kembali"
            messages.success(request, f"{regency.name} {done}.")
            return redirect("console:regency", code=code)
    return render(request, "console/regency_detail.html", {
        "official": official_regency(code), "regency": regency, "snapshot": getattr(regency, "snapshot", None),
        "link": _link(request, regency), "form": form, "action": request.POST.get("action"),
    }, status=400)


@require_POST
@ministry_role_required()
def snapshots_refresh(request):
    try:
        regency_snapshots_refresh.delay()
    except Exception:  # noqa: BLE001 - broker errors come in many classes
        messages.error(request, gettext("Antrean tugas tidak dapat dihubungi. Coba lagi nanti."))
    else:
        messages.success(request, gettext("Pembaruan angka setiap daerah sedang berjalan; muat ulang halaman sebentar lagi."))
    return redirect("console:regencies")


@ministry_role_required()
def provision(request):
    """Put a regency (or every missing one of a province) on Pintu, in the background."""
    initial = {"code": request.GET.get("kode", "")}
    form = ProvisionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.provisioning_job_start(actor=request.user, code=data["code"],
                                                  province_code=data["province"], subdomain=data["subdomain"],
                                                  admin_email=data["admin_email"])
        except DomainError as exc:
            errors_onto(form, exc)
        else:
            return redirect("console:job", job_id=job.pk)
    present = set(Regency.objects.exclude(code=None).values_list("code", flat=True))
    choices = [r for r in official_regencies().values() if r.code not in present]
    return render(request, "console/provision.html", {
        "form": form, "choices": choices, "jobs": selectors.provisioning_job_list(limit=10),
        "can_write": request.is_ministry_admin,
    }, status=400 if form.errors else 200)


@ministry_role_required()
def job_detail(request, job_id: int):
    job = get_object_or_404(ProvisioningJob.objects.select_related("created_by"), pk=job_id)
    passwords = services.provisioning_job_passwords_take(job=job, actor=request.user)
    items = [{**item, "password": passwords.get(item["code"], "")} for item in job.items]
    return render(request, "console/job.html", {"job": job, "items": items, "port": _port(request),
                                                "scheme": "https" if request.is_secure() else "http"})


def _port(request) -> str:
    port = request.get_port()
    return "" if port in ("80", "443") else f":{port}"


@ministry_role_required()
def jobs(request):
    return render(request, "console/jobs.html", {"jobs": selectors.provisioning_job_list(limit=100)})


def _announcement_form(request, announcement: Announcement | None = None):
    initial = {"audience": Announcement.Audience.ALL, "published_from": timezone.localtime().replace(second=0, microsecond=0)}
    if announcement is not None:
        initial = {"title": announcement.title, "body": announcement.body, "audience": announcement.audience,
                   "regencies": list(announcement.regencies.all()),
                   "published_from": timezone.localtime(announcement.published_from),
                   "published_until": announcement.published_until and timezone.localtime(announcement.published_until)}
    return AnnouncementForm(request.POST if request.method == "POST" else None, initial=initial,
                            regencies=selectors.platform_regencies().order_by("code"))


def _announcement_submit(request, form, announcement=None):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.announcement_save(
            actor=request.user, announcement=announcement, title=data["title"], body=data["body"],
            audience=data["audience"], regencies=data["regencies"], published_from=data["published_from"],
            published_until=data["published_until"])
    except DomainError as exc:
        errors_onto(form, exc)
        return None


@ministry_role_required()
def announcements(request):
    form = _announcement_form(request)
    if request.method == "POST" and _announcement_submit(request, form):
        messages.success(request, "Pengumuman disimpan.")
        return redirect("console:announcements")
    now = timezone.now()
    return render(request, "console/announcements.html", {
        "form": form, "announcements": selectors.announcement_list(), "now": now,
        "can_write": request.is_ministry_admin,
    }, status=400 if form.errors else 200)


@ministry_role_required()
def announcement_edit(request, pk: int):
    announcement = get_object_or_404(Announcement, pk=pk)
    form = _announcement_form(request, announcement)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.announcement_delete(actor=request.user, announcement=announcement)
            messages.success(request, "Pengumuman dihapus.")
            return redirect("console:announcements")
        if _announcement_submit(request, form, announcement):
            messages.success(request, "Pengumuman diperbarui.")
            return redirect("console:announcements")
    return render(request, "console/announcement_edit.html", {
        "form": form, "announcement": announcement, "can_write": request.is_ministry_admin,
    }, status=400 if form.errors else 200)


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@ministry_role_required()
def national(request):
    """The national holiday calendar and catalog templates, read from pintu.national."""
    from pintu.national.models import NationalHoliday
    from pintu.national.selectors import catalog_template_list, national_holiday_list
    from pintu.national.services import national_holiday_remove, national_holiday_set

    year = _year(request.GET.get("tahun") or request.POST.get("tahun"))
    error = ""
    if request.method == "POST":
        try:
            day = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            error = "Tanggal tidak valid (format TTTT-BB-HH)."
        else:
            try:
                if request.POST.get("action") == "remove":
                    national_holiday_remove(date=day, actor=request.user)
                    messages.success(request, gettext("%(day)s kini hari kerja nasional.") % {"day": format(day, '%d-%m-%Y')})
                else:
                    national_holiday_set(date=day, name=request.POST.get("name", ""),
                                         kind=request.POST.get("kind", ""), actor=request.user)
                    messages.success(request, gettext("%(day)s disimpan sebagai hari libur.") % {"day": format(day, '%d-%m-%Y')})
                return redirect(f"{request.path}?tahun={day.year}")
            except DomainError as exc:
                error = exc.message
    return render(request, "console/national.html", {
        "year": year, "holidays": national_holiday_list(year=year), "kinds": NationalHoliday.Kind.choices,
        "templates": catalog_template_list(published_only=False), "error": error,
        "can_write": request.is_ministry_admin,
    }, status=400 if error else 200)


@ministry_role_required()
def catalog_template_edit(request, code: str | None = None):
    """A national catalog template as YAML: publish (a new version) or withdraw it."""
    import yaml

    from pintu.national.models import CatalogTemplate
    from pintu.national.services import catalog_template_publish, catalog_template_withdraw

    template = get_object_or_404(CatalogTemplate, code=code) if code else None
    values = {"code": template.code if template else "", "name": template.name if template else "",
              "summary": template.summary if template else "",
              "data": yaml.safe_dump(template.data, allow_unicode=True, sort_keys=False) if template else ""}
    error = ""
    if request.method == "POST":
        if not request.is_ministry_admin:
            raise PermissionDenied
        values = {key: request.POST.get(key, "") for key in values}
        try:
            if request.POST.get("action") == "withdraw" and template is not None:
                catalog_template_withdraw(template=template, actor=request.user)
                messages.success(request, gettext("Templat %(name)s ditarik; salinan daerah tetap milik daerah.") % {"name": template.name})
                return redirect("console:national")
            try:
                data = yaml.safe_load(values["data"] or "")
            except yaml.YAMLError as exc:
                raise DomainError(gettext("Isi templat bukan YAML yang valid: %(value)s") % {"value": str(exc).splitlines()[0]}) from exc
            if not values["code"].strip() or not values["name"].strip():
                raise DomainError(gettext("Kode dan nama templat wajib diisi."))
            saved = catalog_template_publish(code=values["code"].strip(), name=values["name"].strip(), data=data,
                                             summary=values["summary"], actor=request.user)
            messages.success(request, f"Templat {saved.name} diterbitkan (versi {saved.version}).")
            return redirect("console:national")
        except DomainError as exc:
            error = exc.message
    return render(request, "console/template_edit.html",
                  {"template": template, "values": values, "error": error, "can_write": request.is_ministry_admin},
                  status=400 if error else 200)
