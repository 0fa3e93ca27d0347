"""The form's NIK comes from the account (or the counter's start form); Enter submits; required is said."""
import re

import pytest
from django_tenants.utils import schema_context

from permits.models.applications import Application
from tests.factories import UserFactory

NIK = "3503011204850001"


@pytest.fixture
def built(trenggalek_office):
    from permits.services.catalog import form_field_create

    with schema_context("trenggalek"):
        office = trenggalek_office
        form_field_create(permit_type=office.permit_type, order=0, key="nik_pemohon", label="NIK pemohon",
                          kind="nik", is_required=True)
        return office


def test_the_applicants_nik_is_prefilled_from_the_account(built, trenggalek, client_for):
    person = UserFactory(nik=NIK)
    client = client_for(trenggalek, person)
    start = client.post(f"/izin/{built.permit_type.code}/ajukan/")
    page = client.get(start["Location"]).content.decode()
    field = re.search(r'<input[^>]*name="nik_pemohon"[^>]*>', page).group(0)
    assert f'value="{NIK}"' in field and 'inputmode="numeric"' in field and "required" in field


def test_the_counter_start_forms_nik_fills_the_form(built, trenggalek, client_for, officer):
    clerk = officer(trenggalek, "front_office")
    client = client_for(trenggalek, clerk)
    client.post("/loket/baru/", {"permit_type": built.permit_type.pk, "applicant_name": "Budi Walk-in",
                                 "applicant_nik": NIK})
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant_name="Budi Walk-in")
    assert application.form_data["nik_pemohon"] == NIK


def test_enter_in_the_form_submits_rather_than_saving_a_draft(built, trenggalek, applicant, client_for):
    client = client_for(trenggalek, applicant)
    page = client.get(client.post(f"/izin/{built.permit_type.code}/ajukan/")["Location"]).content.decode()
    form = page[page.index('class="application-form"'):]
    buttons = re.findall(r'<button type="submit" name="(\w+)" value="([\w-]+)"', form)
    assert buttons[0] == ("submit", "1")  # the first submit button is the one Enter presses
    assert buttons[-1] == ("tempat", "aksi")  # the draft button, last
