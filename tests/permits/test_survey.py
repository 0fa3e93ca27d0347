"""Satisfaction survey (SKM): IKM and grade from seeded responses, grade boundaries, once per
application, periods in the regency's own time zone, the counter tablet, and who may see what."""
from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
import time_machine
from django_tenants.utils import schema_context

from permits.errors import SurveyAlreadyAnswered, SurveyInvalid, SurveyNotOpen
from permits.models.applications import StepTask
from permits.models.survey import ELEMENT_FIELDS, SurveyResponse
from permits.selectors.survey import grade_of, ikm_for, period_of
from permits.services.survey import survey_counter_response_submit, survey_response_submit
from pintu.access.models import Role
from pintu.audit.services import audit_verify
from tests.factories import UserFactory, submitted_application

WIB = dt.timezone(dt.timedelta(hours=7))


def decide(office, application, *, outcome: str = "approve_sign"):
    """Walk the SOP to the end: completeness check, both technical reviews, then sign or reject."""
    from permits.actions import step_button_press

    for _ in range(3):
        for task in StepTask.objects.filter(application=application, status="open"):
            officer = {"front_office": office.front_office, "signing_official": office.signer}.get(task.role) or \
                (office.health if task.agency == "Dinas Kesehatan" else office.police)
            action = {"front_office": "forward", "technical_team": "recommend"}.get(task.role, outcome)
            step_button_press(task=task, officer=officer, action=action,
                              note="Lokasi tidak sesuai tata ruang" if outcome == "reject" else "")
    application.refresh_from_db()
    return application


def scores(*values: int) -> dict[str, int]:
    return dict(zip(ELEMENT_FIELDS, values, strict=True))


# Four respondents in March 2026, scores in element order U1..U9.
SEEDED = [
    scores(4, 4, 4, 4, 4, 4, 4, 4, 4),
    scores(3, 3, 3, 4, 3, 3, 4, 3, 2),
    scores(3, 2, 3, 4, 3, 4, 4, 3, 3),
    scores(2, 3, 2, 4, 3, 3, 3, 3, 1),
]
# Hand computation (PermenPANRB 14/2017), n = 4:
#   sums  U1 12, U2 12, U3 12, U4 16, U5 13, U6 14, U7 15, U8 13, U9 10
#   NRR = sum / 4: 3.00, 3.00, 3.00, 4.00, 3.25, 3.50, 3.75, 3.25, 2.50
#   Σ(NRR × 1/9) = 29.25 / 9 = 3.25
#   IKM = 3.25 × 25 = 81.25  → grade B (76.61–88.30), "Baik"
EXPECTED_NRR = [Decimal(x) for x in ("3", "3", "3", "4", "3.25", "3.5", "3.75", "3.25", "2.5")]
EXPECTED_IKM = Decimal("81.25")


@pytest.fixture
def seeded(in_trenggalek):
    """The four respondents on the counter tablet in March 2026, and one in February that must not count."""
    with time_machine.travel(dt.datetime(2026, 2, 27, 10, tzinfo=WIB), tick=False):
        survey_counter_response_submit(scores=scores(1, 1, 1, 1, 1, 1, 1, 1, 1))
    for day, values in enumerate(SEEDED, start=2):
        with time_machine.travel(dt.datetime(2026, 3, day, 10, tzinfo=WIB), tick=False):
            survey_counter_response_submit(scores=values, comment="Pelayanan cepat" if day == 2 else "")


def test_ikm_and_grade_equal_the_hand_computed_figure(seeded):
    march = period_of(kind="month", year=2026, number=3)
    result = ikm_for(start=march.start, end=march.end)
    assert result.respondents == 4
    assert [r.nrr for r in result.elements] == EXPECTED_NRR
    assert result.ikm == EXPECTED_IKM and result.ikm_display == Decimal("81.25")
    assert (result.grade, result.grade_label) == ("B", "Baik")
    assert result.by_channel == {"counter": 4}
    quarter = period_of(kind="quarter", year=2026, number=1)
    assert ikm_for(start=quarter.start, end=quarter.end).respondents == 5  # February's one is in Q1


def test_repeating_decimals_are_kept_exact_and_rounded_only_for_display(in_trenggalek):
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, tzinfo=WIB), tick=False):
        for values in (scores(4, 4, 4, 4, 4, 4, 4, 4, 4), scores(3, 3, 3, 3, 3, 3, 3, 3, 3),
                       scores(3, 3, 3, 3, 3, 3, 3, 3, 3)):
            survey_counter_response_submit(scores=values)
    may = period_of(kind="month", year=2026, number=5)
    result = ikm_for(start=may.start, end=may.end)
    # NRR = 10/3 = 3.333… for every element; IKM = 9 × (10/3) / 9 × 25 = 83.333…
    assert result.elements[0].nrr_display == Decimal("3.33")
    assert result.ikm_display == Decimal("83.33") and result.ikm > Decimal("83.3333333")
    assert result.grade == "B"


@pytest.mark.parametrize("figure, grade", [
    ("100", "A"), ("88.31", "A"), ("88.305", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25.00", "D"),
    # graded as shown (two decimals, half up): the digits the page does not show never change the grade
    ("88.3041", "B"), ("88.3049", "B"), ("76.6049", "C"), ("76.605", "B"), ("64.9949", "D"), ("64.995", "C"),
])
def test_grade_boundaries(figure, grade):
    assert grade_of(Decimal(figure))[0] == grade


def test_the_grade_is_that_of_the_figure_shown(in_trenggalek):
    """Issue #14.5: 19 respondents, 604 points in all: IKM 88.3041, shown 88.30, so B (A is from 88.31)."""
    from permits.selectors.stats import ikm_from

    with time_machine.travel(dt.datetime(2026, 6, 3, 10, tzinfo=WIB), tick=False):
        for i in range(19):
            survey_counter_response_submit(scores=scores(4, 4, 4, 4, 4 if i < 15 else 3, 3, 3, 3, 3))
    june = period_of(kind="month", year=2026, number=6)
    result = ikm_for(start=june.start, end=june.end)
    assert result.respondents == 19 and sum(r.total for r in result.elements) == 604
    assert Decimal("88.304") < result.ikm < Decimal("88.305")
    assert result.ikm_display == Decimal("88.30") and (result.grade, result.grade_label) == ("B", "Baik")
    assert ikm_from(respondents=19, score_sum=604) == Decimal("88.30")


def test_ikm_page_shows_figures_chart_and_comments_to_the_head_only(seeded, trenggalek, blitar, officer, client_for,
                                                                   applicant, django_assert_max_num_queries):
    head = officer(trenggalek, Role.HEAD)
    client = client_for(trenggalek, head)
    with django_assert_max_num_queries(14):
        page = client.get("/skm/", {"periode": "month", "tahun": 2026, "ke": 3})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Maret 2026" in text and 'id="ikm-value">81,25<' in text and 'id="ikm-grade">B<' in text
    assert 'id="respondents">4<' in text and "tablet loket 4" in text
    assert "<svg" in text and text.count("<rect") == 9 and ">3.25</text>" in text  # SVG numbers unlocalised
    assert "<script" not in text and "Pelayanan cepat" in text
    quarter = client.get("/skm/", {"periode": "quarter", "tahun": 2026, "ke": 1}).content.decode()
    assert "Triwulan I 2026" in quarter and 'id="respondents">5<' in quarter
    assert client.get("/skm/", {"periode": "bogus", "tahun": "x"}).status_code == 200  # falls back, no 500

    assert client_for(trenggalek).get("/skm/").status_code == 302  # sign in first
    assert client_for(trenggalek, applicant).get("/skm/").status_code == 403
    assert client_for(trenggalek, officer(blitar, Role.HEAD)).get("/skm/").status_code == 403  # another regency
    assert client_for(trenggalek, officer(trenggalek, Role.FRONT_OFFICE)).get("/skm/").status_code == 403


def test_csv_export_summary_and_per_response(seeded, trenggalek, officer, client_for):
    client = client_for(trenggalek, officer(trenggalek, Role.REGENCY_ADMIN))
    summary = client.get("/skm/csv/", {"periode": "month", "tahun": 2026, "ke": 3})
    assert summary["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(summary.content.decode("utf-8-sig"))))
    assert rows[1] == ["responden", "4"]
    assert rows[3][:4] == ["U1", "Persyaratan", "12", "3.00"] and rows[11][:4][3] == "2.50"
    assert ["IKM", "81.25"] in rows and ["mutu", "B (Baik)"] in rows
    detail = client.get("/skm/csv/", {"periode": "month", "tahun": 2026, "ke": 3, "rinci": "1"})
    rows = list(csv.reader(io.StringIO(detail.content.decode("utf-8-sig"))))
    assert len(rows) == 5 and rows[1][:3] == ["2026-03-02 10:00", "counter", ""] and rows[1][-1] == "Pelayanan cepat"


def test_public_page_shows_last_month_without_comments(seeded, trenggalek, client_for):
    with time_machine.travel(dt.datetime(2026, 4, 15, 10, tzinfo=WIB), tick=False):
        text = client_for(trenggalek).get("/skm/hasil/").content.decode()
    assert "Maret 2026" in text and "81,25" in text and 'id="respondents">4<' in text
    assert "Pelayanan cepat" not in text  # suggestions stay with the office


def test_a_response_at_2330_wib_on_the_last_day_belongs_to_the_next_month_in_wita(trenggalek, mataram):
    late_evening = dt.datetime(2026, 1, 31, 23, 30, tzinfo=WIB)  # = 1 February 00:30 WITA
    for schema in (trenggalek.schema_name, mataram.schema_name):
        with schema_context(schema), time_machine.travel(late_evening, tick=False):
            survey_counter_response_submit(scores=scores(4, 4, 4, 4, 4, 4, 4, 4, 4))

    def respondents(schema, month):
        with schema_context(schema):
            period = period_of(kind="month", year=2026, number=month)
            return ikm_for(start=period.start, end=period.end).respondents

    assert (respondents(trenggalek.schema_name, 1), respondents(trenggalek.schema_name, 2)) == (1, 0)  # WIB
    assert (respondents(mataram.schema_name, 1), respondents(mataram.schema_name, 2)) == (0, 1)  # WITA
    with schema_context(mataram.schema_name):
        assert period_of(kind="month", year=2026, number=2).start.utcoffset() == dt.timedelta(hours=8)


# --- once per application -------------------------------------------------------------------------------------


@pytest.fixture
def built(office):
    return office


def test_applicant_rates_an_issued_application_once(built, trenggalek, applicant, client_for):
    application = decide(built, submitted_application(built, applicant))
    assert application.status == "issued"
    client = client_for(trenggalek, applicant)
    page = client.get(f"/permohonan/{application.pk}/").content.decode()
    assert "Nilai layanan kami" in page and f"/skm/permohonan/{application.pk}/" in page
    form = client.get(f"/skm/permohonan/{application.pk}/").content.decode()
    assert "Sangat sesuai" in form and "Dikelola dengan baik" in form and "Gratis" in form

    missing = client.post(f"/skm/permohonan/{application.pk}/", {"requirements": "4"})
    assert missing.status_code == 400 and missing.content.decode().count("Pilih nilai untuk unsur Biaya/tarif") == 1
    assert not SurveyResponse.objects.filter(application=application).exists()

    done = client.post(f"/skm/permohonan/{application.pk}/", {**scores(4, 3, 3, 4, 4, 3, 4, 3, 3),
                                                              "comment": "Terima kasih"}, follow=True)
    assert "Terima kasih. Penilaian Anda" in done.content.decode()
    assert "survey-invitation" not in done.content.decode()  # the invitation is gone once rated
    response = SurveyResponse.objects.get(application=application)
    assert response.channel == "online" and response.respondent_id == applicant.pk and response.cost == 4

    again = client.post(f"/skm/permohonan/{application.pk}/", scores(1, 1, 1, 1, 1, 1, 1, 1, 1))
    assert again.status_code == 409 and "sudah Anda nilai" in again.content.decode()
    assert SurveyResponse.objects.get(application=application).requirements == 4  # unchanged
    with pytest.raises(SurveyAlreadyAnswered):  # nor from the counter's tablet with the registration number
        survey_counter_response_submit(scores=scores(1, 1, 1, 1, 1, 1, 1, 1, 1),
                                       registration_number=application.registration_number,
                                       tracking_code=application.tracking_code)
    assert SurveyResponse.objects.count() == 1
    assert audit_verify() == []


def test_rejected_applications_are_invited_too_open_ones_are_not(built, trenggalek, client_for):
    rejected_by = UserFactory()
    rejected = decide(built, submitted_application(built, rejected_by), outcome="reject")
    assert rejected.status == "rejected"
    assert "survey-invitation" in client_for(trenggalek, rejected_by).get(f"/permohonan/{rejected.pk}/").content.decode()
    survey_response_submit(application=rejected, respondent=rejected_by, scores=scores(2, 2, 2, 4, 1, 2, 2, 3, 2))

    waiting_for = UserFactory()
    open_application = submitted_application(built, waiting_for)
    assert "survey-invitation" not in client_for(trenggalek, waiting_for).get(
        f"/permohonan/{open_application.pk}/").content.decode()
    with pytest.raises(SurveyNotOpen):
        survey_response_submit(application=open_application, respondent=waiting_for,
                               scores=scores(4, 4, 4, 4, 4, 4, 4, 4, 4))
    page = client_for(trenggalek, waiting_for).get(f"/skm/permohonan/{open_application.pk}/").content.decode()
    assert "dibuka setelah permohonan selesai" in page
    # Someone else's application: not found, never confirmed.
    assert client_for(trenggalek, UserFactory()).get(f"/skm/permohonan/{rejected.pk}/").status_code == 404


def test_scores_out_of_range_are_refused_with_the_element_named(in_trenggalek):
    with pytest.raises(SurveyInvalid) as exc:
        survey_counter_response_submit(scores={**scores(4, 4, 4, 4, 4, 4, 4, 4, 4), "time": 5})
    assert exc.value.detail["fields"]["time"][0]["code"] == "out_of_range"
    assert SurveyResponse.objects.count() == 0


# --- counter tablet -------------------------------------------------------------------------------------------


def _address() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_counter_tablet_takes_one_respondent_after_another_without_an_account(built, trenggalek, applicant,
                                                                              client_for):
    client, address = client_for(trenggalek), _address()
    page = client.get("/skm/loket/").content.decode()
    assert "Bagaimana layanan kami hari ini?" in page and "Nomor registrasi permohonan (tidak wajib)" in page
    first = client.post("/skm/loket/", scores(4, 4, 3, 4, 3, 3, 4, 3, 3), REMOTE_ADDR=address)
    assert first.status_code == 302 and first["Location"].endswith("?terima-kasih=1")
    thanks = client.get(first["Location"]).content.decode()
    assert "Terima kasih atas penilaian Anda!" in thanks and " checked>" not in thanks  # a clean form for the next

    unknown = client.post("/skm/loket/", {**scores(4, 4, 4, 4, 4, 4, 4, 4, 4), "registration_number": "3503-X"},
                          REMOTE_ADDR=address)
    assert unknown.status_code == 400 and "Nomor registrasi dan kode pelacakan tidak cocok" in unknown.content.decode()
    application = decide(built, submitted_application(built, applicant))
    tied = client.post("/skm/loket/", {**scores(3, 3, 3, 4, 3, 3, 3, 3, 3),
                                       "registration_number": application.registration_number.lower(),
                                       "tracking_code": application.tracking_code.lower()},
                       REMOTE_ADDR=address)
    assert tied.status_code == 302
    assert list(SurveyResponse.objects.order_by("pk").values_list("channel", "application_id")) == [
        ("counter", None), ("counter", application.pk)]
    # The applicant already rated at the counter: no invitation online any more.
    assert "survey-invitation" not in client_for(trenggalek, applicant).get(
        f"/permohonan/{application.pk}/").content.decode()


def test_counter_tablet_takes_only_a_decided_application_with_its_tracking_code(built, trenggalek, applicant,
                                                                              client_for):
    """Issue #14.4: a file still in process, or a number without its code, is refused and stays unrated."""
    client, address = client_for(trenggalek), _address()
    in_process = submitted_application(built, applicant)
    refused = client.post("/skm/loket/", {**scores(4, 4, 4, 4, 4, 4, 4, 4, 4),
                                          "registration_number": in_process.registration_number,
                                          "tracking_code": in_process.tracking_code}, REMOTE_ADDR=address)
    assert refused.status_code == 400 and "dibuka setelah permohonan selesai" in refused.content.decode()
    application = decide(built, in_process)
    for code in ("", "SALAH1"):  # someone who read the number off a screen cannot rate (and close) it
        guessed = client.post("/skm/loket/", {**scores(1, 1, 1, 1, 1, 1, 1, 1, 1),
                                              "registration_number": application.registration_number,
                                              "tracking_code": code}, REMOTE_ADDR=address)
        assert guessed.status_code == 400 and "kode pelacakan tidak cocok" in guessed.content.decode()
    assert not SurveyResponse.objects.exists()
    # the real applicant can still rate their decided file
    page = client_for(trenggalek, applicant).get(f"/permohonan/{application.pk}/").content.decode()
    assert "survey-invitation" in page


def test_counter_tablet_is_rate_limited_per_address(in_trenggalek, trenggalek, client_for, monkeypatch):
    from permits.views import survey as views

    monkeypatch.setattr(views, "COUNTER_RESPONSES_PER_HOUR", 2)
    client, address = client_for(trenggalek), _address()
    for _ in range(2):
        assert client.post("/skm/loket/", scores(4, 4, 4, 4, 4, 4, 4, 4, 4), REMOTE_ADDR=address).status_code == 302
    refused = client.post("/skm/loket/", scores(4, 4, 4, 4, 4, 4, 4, 4, 4), REMOTE_ADDR=address)
    assert refused.status_code == 429 and "Terlalu banyak isian" in refused.content.decode()
    assert SurveyResponse.objects.count() == 2
    assert client.post("/skm/loket/", scores(4, 4, 4, 4, 4, 4, 4, 4, 4), REMOTE_ADDR=_address()).status_code == 302


# --- API -----------------------------------------------------------------------------------------------------


def test_api_rate_once_and_read_ikm(built, trenggalek, blitar, applicant, officer, client_for):
    application = decide(built, submitted_application(built, applicant))
    client = client_for(trenggalek, applicant)
    url = f"/api/v1/survey/applications/{application.pk}/"
    bad = client.post(url, {"scores": {"requirements": 9}}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "survey_invalid"
    assert "procedure" in bad.json()["detail"]["fields"]
    ok = client.post(url, {"scores": scores(4, 4, 4, 4, 4, 4, 4, 4, 4)}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["channel"] == "online"
    again = client.post(url, {"scores": scores(4, 4, 4, 4, 4, 4, 4, 4, 4)}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "survey_already_answered"
    stranger = client_for(trenggalek, UserFactory()).post(url, {"scores": scores(4, 4, 4, 4, 4, 4, 4, 4, 4)},
                                                          content_type="application/json")
    assert stranger.status_code == 404

    head = client_for(trenggalek, officer(trenggalek, Role.HEAD))
    ikm = head.get("/api/v1/survey/ikm/").json()
    assert ikm["respondents"] == 1 and ikm["ikm"] == "100.00" and ikm["grade"] == "A"
    assert ikm["elements"][0] == {"element": "requirements", "label": "Persyaratan", "total": 4, "nrr": "4.00"}
    assert head.get("/api/v1/survey/ikm/", {"period": "week"}).status_code == 400
    assert client_for(trenggalek, officer(blitar, Role.HEAD)).get("/api/v1/survey/ikm/").status_code == 403
