"""The applicant portal: every file in every regency, issued permits with verification links, profile."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from pintu.errors import DomainError
from pintu.portal import selectors, services
from tenants.selectors import regency_url


def _apex_only(request) -> None:
    tenant = getattr(request, "tenant", None)
    if tenant is not None and not tenant.is_public:
        raise PermissionDenied(gettext("Portal pemohon hanya tersedia di domain utama."))


def _base(request, regency) -> str:
    port = request.get_port()
    return regency_url(regency, scheme="https" if request.is_secure() else "http",
                       port="" if port in ("80", "443") else port).rstrip("/")


@login_required
def home(request):
    _apex_only(request)
    entries = selectors.portal_applications(applicant=request.user)
    links = {}
    rows = []
    for entry in entries:
        base = links.setdefault(entry.regency_id, _base(request, entry.regency))
        rows.append((entry, f"{base}/permohonan/{entry.application_id}/"))
    permits = [(p, f"{links[p.regency_id]}/verifikasi/{p.verification_code}/")
               for p in selectors.portal_permits(entries=entries)]
    return render(request, "portal/home.html", {"rows": rows, "permits": permits,
                                                "regency_count": len({e.regency_id for e in entries})})


@login_required
def profile(request):
    _apex_only(request)
    current = selectors.applicant_profile(user=request.user)
    values = {"nik": request.user.nik or "", "nib": current.nib if current else "",
              "business_name": current.business_name if current else "",
              # The phone given at sign-up lives on the account (it is what text messages use).
              "phone": request.user.phone or (current.phone if current else "")}
    error = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            services.applicant_profile_update(user=request.user, **values)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "Profil tersimpan.")
            return redirect("portal:profile")
    return render(request, "portal/profile.html", {"values": values, "error": error},
                  status=400 if error else 200)
