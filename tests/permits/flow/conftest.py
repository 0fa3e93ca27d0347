"""A regency office ready to process practice permits: catalog, SOP, officers, delegation."""
from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pintu.access.models import Role
from pintu.access.services import membership_grant
from tests.factories import UserFactory
from tests.permits.conftest import sip_steps


def pdf_bytes(text: str = "dokumen") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def upload(name: str = "ktp.pdf", text: str = "KTP") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


@dataclass
class Office:
    permit_type: object
    requirements: list
    front_office: object
    health: object
    police: object
    signer: object
    head_position: object
    delegation: object
    form: dict


def office_build(code: str | None = None) -> Office:
    """Build, in the current regency schema, a permit type with an SOP, officers and a delegation."""
    from permits.services.catalog import form_field_create, permit_type_create, requirement_create
    from permits.services.delegation import delegation_create, position_create
    from permits.services.workflow import sop_publish, sop_revise, sop_steps_set

    code = code or f"sip-{uuid.uuid4().hex[:6]}"
    permit_type = permit_type_create(
        code=code, name="Surat Izin Praktik Fisioterapis", sla_working_days=5, validity_months=60,
        is_renewable=True, number_format="503/{seq:04d}/{code}/DPM-PTSP/{year}", letter_title="Surat Izin Praktik",
        letter_body="Memberikan izin praktik kepada {applicant_name} di {form.alamat_praktik}.",
    )
    requirements = [
        requirement_create(permit_type=permit_type, order=1, name="KTP", allowed_types=["pdf", "jpg"], max_size_kb=1536),
        requirement_create(permit_type=permit_type, order=2, name="STR Fisioterapis", allowed_types=["pdf"]),
        requirement_create(permit_type=permit_type, order=3, name="Izin lama", allowed_types=["pdf"],
                           applies_to="renewal"),
    ]
    form_field_create(permit_type=permit_type, order=1, key="alamat_praktik", label="Alamat praktik", kind="address")
    form_field_create(permit_type=permit_type, order=2, key="kecamatan", label="Kecamatan", kind="district")
    sop = sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=sip_steps())
    sop_publish(sop=sop)
    front_office, health, police, signer, regent = (UserFactory() for _ in range(5))
    membership_grant(user=front_office, role=Role.FRONT_OFFICE)
    membership_grant(user=health, role=Role.TECHNICAL_TEAM, agency="Dinas Kesehatan")
    membership_grant(user=police, role=Role.TECHNICAL_TEAM, agency="Satpol PP")
    membership_grant(user=signer, role=Role.SIGNING_OFFICIAL)
    membership_grant(user=front_office, role=Role.VERIFIER)
    from permits.models import Position

    bupati = Position.objects.filter(kind="regional_head").first() or position_create(
        code="bupati", name="Bupati", kind="regional_head", holder=regent)
    head = position_create(code=f"kadis-{code}", name="Kepala DPMPTSP", kind="office_head", holder=signer)
    delegation = delegation_create(from_position=bupati, to_position=head, permit_types=[permit_type],
                                   legal_basis_number="Perbup 12/2024", legal_basis_date=dt.date(2024, 1, 2),
                                   valid_from=dt.date(2024, 1, 2))
    from permits.regency import regency_code
    from tenants.regions import districts

    form = {"alamat_praktik": "Jl. Soekarno-Hatta No. 5, RT 01/RW 02, Kelurahan Sumbergedong",
            "kecamatan": districts(regency_code())[0][0]}
    return Office(permit_type, requirements, front_office, health, police, signer, head, delegation, form)


@pytest.fixture
def office(in_trenggalek):
    return office_build()


def submitted_application(office, applicant):
    from permits.services.applications import (
        application_document_upload,
        application_draft_create,
        application_form_save,
        application_submit,
    )

    application = application_draft_create(permit_type=office.permit_type, applicant=applicant)
    application_form_save(application=application, data=office.form, actor=applicant)
    application_document_upload(application=application, requirement=office.requirements[0], file=upload("ktp.pdf"),
                                actor=applicant)
    application_document_upload(application=application, requirement=office.requirements[1], file=upload("str.pdf"),
                                actor=applicant)
    return application_submit(application=application, actor=applicant)
