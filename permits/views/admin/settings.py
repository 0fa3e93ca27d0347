"""Local holidays (with the nation's shown beside them), and the configuration's export and import."""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from permits.models import LocalHoliday
from permits.regency import current_regency, regency_today
from permits.services import calendar as calendar_services
from permits.services.config_io import config_export_yaml, config_import
from permits.views.admin._common import admin_view, edit_page, form_page, page, post_action
from permits.views.admin.forms import HolidayForm, ImportConfirmForm, ImportUploadForm
from pintu.errors import DomainError
from pintu.national.selectors import national_holiday_list

MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _year(request) -> int:
    text = request.GET.get("tahun", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else regency_today().year


@admin_view
def holidays(request):
    year = _year(request)
    form = HolidayForm(request.POST or None)
    return form_page(request, form, lambda: calendar_services.local_holiday_create(
        actor=request.user, **form.values()),
        saved_message=lambda h: f"Hari libur daerah {h.name} ({h.date:%d-%m-%Y}) ditambahkan.",
        to=lambda h: f"{request.path}?tahun={h.date.year}", template="holidays.html", context=lambda: {
            "year": year, "local": list(LocalHoliday.objects.filter(date__year=year).order_by("date")),
            "national": list(national_holiday_list(year=year))})


@admin_view
def holiday_edit(request, pk: int):
    holiday = get_object_or_404(LocalHoliday, pk=pk)
    form = HolidayForm(request.POST or None, initial=HolidayForm.initial_of(holiday))
    return edit_page(request, form, lambda: calendar_services.local_holiday_update(
        holiday=holiday, actor=request.user, **form.values()),
        saved_message="Hari libur daerah tersimpan.", back="permits-admin:holidays",
        title=f"Ubah hari libur daerah: {holiday.name}")


@require_POST
@admin_view
def holiday_delete(request, pk: int):
    holiday = get_object_or_404(LocalHoliday, pk=pk)
    return post_action(request, lambda: calendar_services.local_holiday_delete(holiday=holiday, actor=request.user),
                       done_message=f"Hari libur daerah {holiday.name} dihapus.", to="permits-admin:holidays")


# --- Export / import --------------------------------------------------------------------


@require_GET
@admin_view
def export(request):
    regency = current_regency()
    name = f"pintu-{getattr(regency, 'schema_name', 'daerah')}-{regency_today():%Y%m%d}.yaml"
    response = HttpResponse(config_export_yaml(), content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin_view
def import_(request):
    """Upload -> dry run listing every change -> confirm applies it (all or nothing)."""
    upload = ImportUploadForm()
    confirm = report = None
    if request.method == "POST" and "content" in request.POST:  # the confirmation
        confirm = ImportConfirmForm(request.POST)
        if confirm.is_valid():
            try:
                report = config_import(source=confirm.cleaned_data["content"], dry_run=False, actor=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"Konfigurasi diimpor: {len(report.changes)} perubahan diterapkan."
                                 if report.changed else gettext("Tidak ada yang berubah: konfigurasi sudah sama."))
                return redirect("permits-admin:dashboard")
    elif request.method == "POST":
        upload = ImportUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            data = upload.cleaned_data["file"]
            if data.size > MAX_IMPORT_BYTES:
                upload.add_error("file", gettext("Berkas terlalu besar (maksimal 2 MB)."))
            else:
                try:
                    content = data.read().decode("utf-8")
                except UnicodeDecodeError:
                    upload.add_error("file", gettext("Berkas bukan teks YAML (UTF-8)."))
                else:
                    try:
                        report = config_import(source=content, dry_run=True, actor=request.user)
                    except DomainError as exc:  # the message names the entry: "permit_types[2] (pbg): ..."
                        upload.add_error("file", exc.message)
                    else:
                        confirm = ImportConfirmForm(initial={"content": content})
    return page(request, "import.html", {"upload": upload, "confirm": confirm, "report": report})
