"""A permit never outlives the document it rests on, and its letter cites every technical
recommendation (issue #16, item 12)."""
import datetime as dt
import io

import pytest
from dateutil.relativedelta import relativedelta
from django_tenants.utils import schema_context
from pypdf import PdfReader

from permits.errors import PermitTypeInvalid, PermitValidityEnded
from permits.models.applications import Permit
from permits.models.catalog import PermitNumberCounter
from permits.regency import regency_today
from permits.services.catalog import form_field_create, permit_type_update
from pintu.storage.services import document_read
from tests.factories import office_build, submitted_application
from tests.permits.test_survey import decide


@pytest.fixture
def capped(trenggalek):
    with schema_context("trenggalek"):
        office = office_build()
        form_field_create(permit_type=office.permit_type, order=3, key="str_sampai", label="Masa berlaku STR",
                          kind="date")
        permit_type_update(permit_type=office.permit_type, validity_capped_by="str_sampai")
        return office


def _apply(office, applicant, ends: dt.date):
    office.form = {**office.form, "str_sampai": ends.isoformat()}
    return submitted_application(office, applicant)


def _text(permit: Permit) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(document_read(permit.pdf_key))).pages)


def test_permit_ends_with_the_str_it_rests_on_and_cites_every_recommendation(capped, applicant):
    with schema_context("trenggalek"):
        ends = regency_today() + relativedelta(years=2, months=9)  # before the type's 60 months
        application = decide(capped, _apply(capped, applicant, ends))
        permit = application.permit
        assert permit.valid_until == ends
        text = " ".join(_text(permit).split())
    assert "(mengikuti masa berlaku STR)" in text
    assert "Memperhatikan rekomendasi teknis Dinas Kesehatan (" in text and ") dan Satpol PP (" in text


def test_a_str_longer_than_the_permit_leaves_the_types_own_validity(capped, applicant):
    with schema_context("trenggalek"):
        application = decide(capped, _apply(capped, applicant, regency_today() + relativedelta(years=9)))
        today = application.permit.valid_from
        assert application.permit.valid_until == today + relativedelta(months=60) - dt.timedelta(days=1)


def test_an_ended_str_refuses_the_signature_and_takes_no_number(capped, applicant):
    from permits.models.applications import StepTask
    from permits.services.processing import application_approve, recommendation_give, step_forward

    with schema_context("trenggalek"):
        application = _apply(capped, applicant, regency_today() + dt.timedelta(days=30))
        for _ in range(2):
            for task in StepTask.objects.filter(application=application, status="open"):
                officer = capped.front_office if task.role == "front_office" else (
                    capped.health if task.agency == "Dinas Kesehatan" else capped.police)
                (step_forward if task.role == "front_office" else recommendation_give)(task=task, officer=officer)
        # The STR ends (the applicant's answer is what the office holds) before the signer decides.
        type(application).objects.filter(pk=application.pk).update(
            form_data={**capped.form, "str_sampai": (regency_today() - dt.timedelta(days=1)).isoformat()})
        counters = list(PermitNumberCounter.objects.values_list("pk", "last"))
        [signing] = StepTask.objects.filter(application=application, status="open")
        with pytest.raises(PermitValidityEnded) as refused:
            application_approve(task=signing, officer=capped.signer)
        assert "Masa berlaku STR berakhir" in refused.value.message
        assert list(PermitNumberCounter.objects.values_list("pk", "last")) == counters
        assert not Permit.objects.filter(application=application).exists()
        assert StepTask.objects.get(pk=signing.pk).status == "open"


def test_only_a_date_field_of_the_form_can_cap_validity(capped):
    with schema_context("trenggalek"):
        with pytest.raises(PermitTypeInvalid) as refused:
            permit_type_update(permit_type=capped.permit_type, validity_capped_by="alamat_praktik")
        assert "validity_capped_by" in refused.value.detail["fields"]
