"""The Lampiran 10 codes of the steps the end-to-end run does not pass through: a survey (40), a technical
agency's rejection (93 then 90), a plain rejection (90) and fiktif positif (57, and receiveLicense
with status_izin 57), as the OSS simulator receives them."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.factories import UserFactory, in_schema, oss_office
from tests.oss.test_receive_nib import payload
from tests.oss.test_reporting_end_to_end import drain, open_task, statuses
from tests.services import post_nib

KD = "033000000101"


def _file(apex, keys, trenggalek, office, seed: int):
    """An OSS file for `office`'s type, completed and submitted by its person in charge."""
    from permits.oss.models import OssFile
    from permits.services.applications import application_document_upload, application_form_save, application_submit
    from tests.factories import upload

    person = UserFactory(nik=f"35030155069{seed:05d}")
    body = payload(seed=seed, daerah=("3503000000",), pj_nik=person.nik)
    assert post_nib(apex, body, keys["3503"]).status_code == 200
    id_izin = body["dataNIB"]["data_checklist"][0]["id_izin"]
    with in_schema(trenggalek):
        application = OssFile.objects.get(id_izin=id_izin).application
        application_form_save(application=application, data=office.form, actor=person)
        for requirement in office.requirements[:2]:
            application_document_upload(application=application, requirement=requirement, file=upload(), actor=person)
        application_submit(application=application, actor=person)
    return application, id_izin


def test_a_survey_and_a_technical_agencys_rejection_reach_oss_as_40_93_90(simulator, apex, keys, trenggalek, officer):
    from permits.models import StepTask
    from permits.services.processing import application_reject, step_forward
    from permits.services.workflow import sop_publish, sop_revise, sop_steps_set
    from tests.factories import upload

    office = oss_office(trenggalek, KD)
    surveyor = officer(trenggalek, "surveyor")
    with in_schema(trenggalek):
        sop_publish(sop=sop_steps_set(sop=sop_revise(permit_type=office.permit_type), steps=[
            {"name": "Pemeriksaan kelengkapan", "role": "front_office", "sla_working_days": 1,
             "allowed_actions": ["forward", "return"]},
            {"name": "Survei lokasi", "role": "surveyor", "sla_working_days": 2, "allowed_actions": ["forward"]},
            {"name": "Kajian Dinas Kesehatan", "role": "technical_team", "agency": "Dinas Kesehatan",
             "sla_working_days": 2, "allowed_actions": ["recommend", "reject"]},
            {"name": "Penandatanganan", "role": "signing_official", "sla_working_days": 1,
             "allowed_actions": ["approve_sign", "reject"]}]))
    application, id_izin = _file(apex, keys, trenggalek, office, seed=61)
    with in_schema(trenggalek):
        step_forward(task=open_task(application), officer=office.front_office)
        survey = open_task(application)  # the visit took place an hour ago (scheduling has its own tests)
        StepTask.objects.filter(pk=survey.pk).update(survey_at=timezone.now() - dt.timedelta(hours=1),
                                                     survey_officer=surveyor)
        step_forward(task=open_task(application), officer=surveyor, report=upload("laporan-survei.pdf", "Laporan"))
        application_reject(task=open_task(application), officer=office.health,
                           reason="Sarana praktik tidak memenuhi standar kesehatan.")
        application.refresh_from_db()
        assert application.status == "rejected"
    drain(trenggalek)
    assert statuses(simulator, id_izin) == ["11", "10", "20", "40", "93", "90"]
    assert not [r for r in simulator.received("receiveLicense") if r["body"]["IZINFINAL"]["id_izin"] == id_izin]


def test_the_signing_officials_rejection_is_90_alone(simulator, apex, keys, trenggalek):
    from permits.services.processing import application_reject, recommendation_give, step_forward

    office = oss_office(trenggalek, KD)
    application, id_izin = _file(apex, keys, trenggalek, office, seed=62)
    with in_schema(trenggalek):
        step_forward(task=open_task(application), officer=office.front_office)
        recommendation_give(task=open_task(application), officer=office.health)
        recommendation_give(task=open_task(application), officer=office.police)
        application_reject(task=open_task(application), officer=office.signer, reason="Lokasi tidak sesuai tata ruang")
    drain(trenggalek)
    assert statuses(simulator, id_izin) == ["11", "10", "20", "45", "45", "90"]


def test_fiktif_positif_reaches_oss_as_57_and_the_permit_with_status_57(simulator, apex, keys, trenggalek):
    from permits.models import Application
    from permits.services.catalog import permit_type_update
    from permits.services.fiktif_positif import fiktif_positif_run

    office = oss_office(trenggalek, KD)
    with in_schema(trenggalek):
        permit_type_update(permit_type=office.permit_type, is_fiktif_positif=True)
    application, id_izin = _file(apex, keys, trenggalek, office, seed=63)
    with in_schema(trenggalek):
        Application.objects.filter(pk=application.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
        assert fiktif_positif_run() == 1
    drain(trenggalek)
    assert statuses(simulator, id_izin) == ["11", "10", "20", "57"]  # no 50: OSS's own code for it
    [final] = [r["body"]["IZINFINAL"] for r in simulator.received("receiveLicense")
               if r["body"]["IZINFINAL"]["id_izin"] == id_izin]
    assert final["status_izin"] == "57" and final["nomor_izin"]


def test_a_permit_signed_by_a_plh_reaches_oss_with_the_plh_s_nip_and_title(simulator, apex, keys, trenggalek):
    import pytest

    from permits.regency import regency_today
    from permits.services.delegation import acting_official_create, position_update
    from permits.services.processing import application_approve, recommendation_give, step_forward
    from pintu.access.services import membership_grant
    from pintu.errors import DomainError

    office = oss_office(trenggalek, KD)
    deputy = UserFactory(full_name="Sekretaris Dinas")
    with in_schema(trenggalek):
        position_update(position=office.head_position, official_nip="197001011995031001")  # the absent holder's
        membership_grant(user=deputy, role="signing_official")
        with pytest.raises(DomainError):  # a NIP is 18 digits
            acting_official_create(position=office.head_position, user=deputy, kind="plh", nip="1234",
                                   valid_from=regency_today(), valid_until=regency_today())
        acting_official_create(position=office.head_position, user=deputy, kind="plh", nip="198502022010012002",
                               decree_number="800/7/2026", valid_from=regency_today(), valid_until=regency_today())
    application, id_izin = _file(apex, keys, trenggalek, office, seed=65)
    with in_schema(trenggalek):
        step_forward(task=open_task(application), officer=office.front_office)
        recommendation_give(task=open_task(application), officer=office.health)
        recommendation_give(task=open_task(application), officer=office.police)
        application_approve(task=open_task(application), officer=deputy)
    drain(trenggalek)
    [final] = [r["body"]["IZINFINAL"] for r in simulator.received("receiveLicense")
               if r["body"]["IZINFINAL"]["id_izin"] == id_izin]
    assert final["nama_ttd"] == "Sekretaris Dinas" and final["nip_ttd"] == "198502022010012002"
    assert final["jabatan_ttd"] == "Plh. Kepala DPMPTSP"
    import io

    from pypdf import PdfReader

    from pintu.storage.services import document_read

    with in_schema(trenggalek):
        application.refresh_from_db()
        pdf = PdfReader(io.BytesIO(document_read(application.permit.pdf_key)))
    assert "NIP. 198502022010012002" in " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
