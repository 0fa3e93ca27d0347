"""The regency administrator's OSS page (/pengaturan/oss/): OSS codes seen and their mapping, the
user_key (rotate: shown once), the calls OSS made and why any was refused."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from permits.models import PermitType
from permits.oss.credentials import oss_user_key_rotate
from permits.oss.hub.models import OssCredential
from permits.oss.selectors import oss_inbound_recent, oss_mappings
from permits.oss.services import oss_mapping_set
from permits.regency import current_regency
from permits.views.admin._common import admin_view, can_edit
from pintu.errors import DomainError


@admin_view
def oss_settings(request):
    regency = current_regency()
    new_key = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rotate":
                new_key = oss_user_key_rotate(regency=regency, actor=request.user)
            elif action == "map":
                code = request.POST.get("permit_type", "")
                permit_type = PermitType.objects.filter(code=code).first() if code else None
                if code and permit_type is None:
                    raise DomainError("Jenis izin tidak dikenal.")
                mapping = oss_mapping_set(kd_izin=request.POST.get("kd_izin", ""), permit_type=permit_type,
                                          actor=request.user)
                messages.success(request, f"Kode OSS {mapping.kd_izin} disimpan.")
                return redirect(request.path)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "oss/settings.html", {
        "can_edit": can_edit(request), "mappings": list(oss_mappings()), "new_key": new_key,
        "credential": OssCredential.objects.filter(regency=regency).first(),
        "permit_types": list(PermitType.objects.filter(is_active=True).order_by("name")),
        "inbound": list(oss_inbound_recent(regency=regency)),
    })
