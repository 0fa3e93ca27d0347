"""Service rules the administrators' pages needed: delete guard, moving items, clear 'taken' messages,
attaching a scanned regulation (called directly, without the pages)."""
import datetime as dt

import pytest

from permits.errors import ConfigInvalid, PermitTypeInUse
from permits.models import FormField, PermitType, Requirement
from permits.models.applications import Application
from permits.services import catalog as catalog_services
from permits.services.delegation import delegation_create, delegation_legal_basis_attach, position_create
from permits.services.workflow import sop_revise, sop_step_move, sop_steps_set
from pintu.storage.errors import UploadRefused
from tests.factories import pdf_bytes, sip_steps


def test_permit_type_with_an_application_cannot_be_deleted(permit_type, applicant):
    Application.objects.create(permit_type=permit_type, applicant=applicant, applicant_name="Sari",
                               tracking_code="ABC")
    with pytest.raises(PermitTypeInUse) as refused:
        catalog_services.permit_type_delete(permit_type=permit_type)
    assert refused.value.code == "permit_type_in_use" and "1 permohonan" in refused.value.message
    assert PermitType.objects.filter(pk=permit_type.pk).exists()


def test_permit_type_without_applications_is_deleted(permit_type):
    catalog_services.permit_type_delete(permit_type=permit_type)
    assert not PermitType.objects.exists()


def test_requirement_and_form_field_move_renumber_and_stop_at_the_ends(permit_type):
    a, b, c = (catalog_services.requirement_create(permit_type=permit_type, name=n, allowed_types=["pdf"])
               for n in "ABC")
    catalog_services.requirement_move(requirement=c, direction="up")
    catalog_services.requirement_move(requirement=a, direction="up")  # already first: stays
    assert list(Requirement.objects.order_by("order").values_list("name", "order")) == [("A", 1), ("C", 2), ("B", 3)]
    x, y = (catalog_services.form_field_create(permit_type=permit_type, key=k, label=k) for k in ("x", "y"))
    catalog_services.form_field_move(field=x, direction="down")
    catalog_services.form_field_move(field=x, direction="down")
    assert list(FormField.objects.order_by("order").values_list("key", flat=True)) == ["y", "x"]


def test_sop_step_move_swaps_neighbours_in_the_draft(permit_type):
    draft = sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=sip_steps())
    draft = sop_step_move(sop=draft, order=4, direction="up")
    assert [s.name for s in draft.steps.order_by("order")] == [
        "Pemeriksaan kelengkapan", "Kajian Dinas Kesehatan", "Penandatanganan", "Kajian Satpol PP"]
    with pytest.raises(ConfigInvalid):
        sop_step_move(sop=draft, order=9, direction="up")


def test_duplicate_requirement_name_and_form_key_say_taken_plainly(permit_type):
    catalog_services.requirement_create(permit_type=permit_type, name="KTP", allowed_types=["pdf"])
    with pytest.raises(ConfigInvalid) as refused:
        catalog_services.requirement_create(permit_type=permit_type, name="KTP", allowed_types=["pdf"])
    assert refused.value.detail["fields"] == {"name": [{"code": "name_taken", "message":
                                                        "Persyaratan 'KTP' sudah ada pada jenis izin ini."}]}
    catalog_services.form_field_create(permit_type=permit_type, key="alamat", label="Alamat")
    with pytest.raises(ConfigInvalid) as refused:
        catalog_services.form_field_create(permit_type=permit_type, key="alamat", label="Alamat lain")
    assert refused.value.detail["fields"]["key"][0]["code"] == "key_taken"


def test_scanned_regulation_is_checked_by_content_and_kept_under_the_regency(permit_type):
    head = position_create(code="bupati", name="Bupati", kind="regional_head")
    office = position_create(code="kadis", name="Kepala DPMPTSP", kind="office_head")
    rule = delegation_create(from_position=head, to_position=office, applies_to_all=True,
                             legal_basis_number="Perbup 1/2024", legal_basis_date=dt.date(2024, 1, 1),
                             valid_from=dt.date(2024, 1, 1))
    with pytest.raises(UploadRefused):
        delegation_legal_basis_attach(delegation=rule, file=b"MZ not a pdf")
    rule.refresh_from_db()
    assert not rule.legal_basis_file
    delegation_legal_basis_attach(delegation=rule, file=pdf_bytes())
    rule.refresh_from_db()
    assert rule.legal_basis_file.name.startswith("trenggalek/delegation/")
