"""The regency's public transparency page (/transparansi/, no sign-in): what each permit needs, how long it
takes and what it costs; the register of issued permits (nothing personal); the IKM of the last period."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from permits.regency import regency_today
from permits.selectors.stats import permit_register, register_status_label, transparency_catalog
from permits.selectors.survey import ikm_for_period, period_containing

REGISTER_PAGE = 50


def transparency(request):
    today = regency_today()
    page = Paginator(permit_register(), REGISTER_PAGE).get_page(request.GET.get("halaman"))
    register = [{**row, "status_label": register_status_label(row, today=today)} for row in page]
    last_period = period_containing(kind="quarter").previous()
    return render(request, "permits/transparency/page.html", {
        "regency": request.tenant, "permit_types": transparency_catalog(), "page": page, "register": register,
        "ikm": ikm_for_period(last_period), "ikm_period": last_period,
    })
