"""POST /api/v1/tasks/<pk>/survey-schedule/ (issue #14.7): the surveyor sets the visit; structured refusals."""
from __future__ import annotations

from django_tenants.utils import schema_context

from permits.models.applications import StepTask
from pintu.access.models import Role
from pintu.notify.models import OutboxMessage
from tests.factories import office_build, pdf_bytes, submitted_application


def test_the_surveyor_schedules_the_visit_through_the_api_and_closing_needs_the_report(
        trenggalek, applicant, officer, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from permits.regency import regency_today
    from permits.services.processing import step_forward
    from permits.services.workflow import sop_publish, sop_revise, sop_steps_set
    from tests.permits.services.test_site_survey import at_nine, next_working_day, survey_steps

    surveyor = officer(trenggalek, Role.SURVEYOR, full_name="Bambang Survei")
    with schema_context("trenggalek"):
        built = office_build()
        sop_publish(sop=sop_steps_set(sop=sop_revise(permit_type=built.permit_type), steps=survey_steps()))
        application = submitted_application(built, applicant)
        step_forward(task=StepTask.objects.get(application=application, status="open"), officer=built.front_office)
        survey = StepTask.objects.get(application=application, status="open")
        visit = at_nine(next_working_day(regency_today()))
    api = client_for(trenggalek, surveyor)
    url = f"/api/v1/tasks/{survey.pk}/survey-schedule/"

    past = api.post(url, {"at": "2020-01-06T09:00:00+07:00"}, content_type="application/json")
    assert past.status_code == 400 and past.json()["code"] == "survey_schedule_invalid"
    assert past.json()["fields"]["at"][0]["code"] == "in_past"
    not_a_surveyor = api.post(url, {"at": visit.isoformat(), "officer": built.front_office.pk},
                              content_type="application/json")
    assert not_a_surveyor.status_code == 400 and not_a_surveyor.json()["fields"]["officer"][0]["code"] == "not_a_surveyor"
    front_office = client_for(trenggalek, built.front_office).post(url, {"at": visit.isoformat()},
                                                                    content_type="application/json")
    assert front_office.status_code == 403

    done = api.post(url, {"at": visit.isoformat(), "note": "Mohon pemilik hadir"}, content_type="application/json")
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["survey_at"] == visit.isoformat() and body["survey_officer"]["full_name"] == "Bambang Survei"
    with schema_context("trenggalek"):
        assert OutboxMessage.objects.filter(application_id=application.pk, event="survey_scheduled").count() == 1

    early = api.post(f"/api/v1/tasks/{survey.pk}/act/", {
        "action": "forward", "report": SimpleUploadedFile("laporan.pdf", pdf_bytes(), content_type="application/pdf")})
    assert early.status_code == 400 and early.json()["code"] == "survey_not_yet"
    assert early.json()["message"].startswith("Survei dijadwalkan ")
