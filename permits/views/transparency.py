"""The regency's public transparency page (/transparansi/, no sign-in): what each permit needs, how long it
takes and what it costs; the register of issued permits (nothing personal); the IKM of the last period."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from permits.models import Permit
from permits.regency import regency_today
from permits.selectors.stats import permit_register, transparency_catalog
from permits.selectors.survey import ikm_for_period, period_containing

REGISTER_PAGE = 50


def transparency(request):
    today = regency_today()
    page = Paginator(permit_register(), REGISTER_PAGE).get_page(request.GET.get("halaman"))
    labels = dict(Permit.Status.choices)
    register = [{**row, "status_label": "Kedaluwarsa" if (row["status"] == Permit.Status.VALID and row["valid_until"]
                                                          and row["valid_until"] < today) else labels[row["status"]]}
                for row in page]
    last_period = period_containing(kind="quarter").previous()
    return render(request, "permits/transparency/page.html", {
        "regency": request.tenant, "permit_types": transparency_catalog(), "page": page, "register": register,
        "ikm": ikm_for_period(last_period), "ikm_period": last_period,
    })
