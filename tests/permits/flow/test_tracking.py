"""Public tracking read in one query (`tracking_lookup`): the same content as the model selectors, in every state."""
from decimal import Decimal

from permits.fees import application_cost_statement
from permits.models import PermitType
from permits.models.applications import StepTask
from permits.selectors.applications import application_for_tracking, application_tracking, tracking_lookup
from permits.services.processing import application_return, recommendation_give, step_forward
from tests.factories import submitted_application
from tests.services import free_port


def _content(tracking):
    """What the tracking page shows of a Tracking."""
    application = tracking.application
    return {
        "number": application.registration_number, "status": application.get_status_display(),
        "status_label": str(tracking.status_label),
        "is_open": application.is_open, "type": application.permit_type.name,
        "cost": application_cost_statement(application).text, "due_at": tracking.due_at,
        "holders": tracking.holders, "events": [(event.at, event.message) for event in tracking.events],
    }


def _assert_same(application, django_assert_num_queries):
    number, code = application.registration_number, application.tracking_code
    expected = _content(application_tracking(application_for_tracking(registration_number=number,
                                                                       tracking_code=code)))
    with django_assert_num_queries(1):
        found = tracking_lookup(registration_number=f"  {number.lower()} ", tracking_code=code.lower())
    assert _content(found) == expected
    return expected


def test_one_query_reads_what_the_model_selectors_read_through_the_whole_journey(office, applicant,
                                                                                 django_assert_num_queries):
    PermitType.objects.filter(pk=office.permit_type.pk).update(
        levy_amount=Decimal("150000"), levy_regulation_number="5", levy_regulation_year=2023,
        levy_regulation_article="12")
    office.permit_type.refresh_from_db()
    application = submitted_application(office, applicant)

    first = _assert_same(application, django_assert_num_queries)
    assert first["status_label"] == first["status"] == "Sedang diproses"
    assert first["holders"] == ["Pemeriksaan kelengkapan — Petugas loket"]
    assert "Retribusi Rp 150.000 berdasarkan Perda Nomor 5 Tahun 2023 Pasal 12" in first["cost"]
    assert len(first["events"]) == 2 and first["due_at"].tzinfo is not None

    # Two technical reviews in parallel: both held, each with its agency, in due order.
    step_forward(task=StepTask.objects.get(application=application, status="open"), officer=office.front_office)
    parallel = _assert_same(application, django_assert_num_queries)
    assert len(parallel["holders"]) == 2 and any("(Dinas Kesehatan)" in h for h in parallel["holders"])

    # One review done: the other is still held.
    review = StepTask.objects.get(application=application, status="open", agency="Dinas Kesehatan")
    recommendation_give(task=review, officer=office.health)
    assert _assert_same(application, django_assert_num_queries)["holders"] == [
        h for h in parallel["holders"] if "(Satpol PP)" in h]


def test_returned_to_the_applicant_the_applicant_holds_it(office, applicant, django_assert_num_queries):
    from permits.services.processing import document_review

    application = submitted_application(office, applicant)
    ktp = application.documents.get(requirement=office.requirements[0], is_current=True)
    document_review(document=ktp, officer=office.front_office, accepted=False, reason="Foto KTP buram")
    application_return(task=StepTask.objects.get(application=application, status="open"), officer=office.front_office)
    back = _assert_same(application, django_assert_num_queries)
    assert back["holders"] == ["Pemohon (perbaikan berkas)"] and "KTP: Foto KTP buram" in back["events"][-1][1]


def test_both_numbers_must_match_and_no_hint_which_was_wrong(office, applicant, django_assert_num_queries):
    application = submitted_application(office, applicant)
    with django_assert_num_queries(1):
        assert tracking_lookup(registration_number=application.registration_number, tracking_code="AAAAAAAA") is None
    assert tracking_lookup(registration_number="3503-1999-999999", tracking_code=application.tracking_code) is None
    assert tracking_lookup(registration_number="", tracking_code="") is None
    assert tracking_lookup(registration_number="x' OR '1'='1", tracking_code="x' OR '1'='1") is None


def test_a_draft_has_no_number_and_is_never_found(office, applicant):
    from permits.services.applications import application_draft_create

    draft = application_draft_create(permit_type=office.permit_type, applicant=applicant)
    assert draft.registration_number is None
    assert tracking_lookup(registration_number="", tracking_code=draft.tracking_code) is None


def _get(client, application):
    response = client.get("/lacak/", {"nomor": application.registration_number, "kode": application.tracking_code})
    assert response.status_code == 200
    return response


def _page(client, application) -> str:
    return _get(client, application).content.decode()


def test_the_cached_page_follows_every_change_at_once(office, applicant, trenggalek, client_for):
    application = submitted_application(office, applicant)
    client = client_for(trenggalek)
    rendered = _get(client, application)
    first = rendered.content.decode()
    assert [t.name for t in rendered.templates][:1] == ["permits/applicant/track.html"]
    again = _get(client, application)
    assert again.templates == [] and again.content.decode() == first  # served from the cache, same bytes
    assert "Pemeriksaan kelengkapan — Petugas loket" in first and "Dinas Kesehatan" not in first

    step_forward(task=StepTask.objects.get(application=application, status="open"), officer=office.front_office)
    after = _page(client, application)
    assert "(Dinas Kesehatan)" in after and "(Satpol PP)" in after and "Pemeriksaan kelengkapan — Petugas" not in after
    assert first.count('<li><span class="muted">') == 2
    assert after.count('<li><span class="muted">') == application.events.count() > 2


def test_without_redis_the_tracking_page_still_answers(office, applicant, trenggalek, client_for, settings):
    application = submitted_application(office, applicant)
    closed = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": closed}}
    page = _page(client_for(trenggalek), application)
    assert "Riwayat" in page and "Permohonan diterima" in page and "Laporkan pungli" in page


def test_signed_in_visitors_and_other_typed_values_get_their_own_page(office, applicant, trenggalek, client_for):
    application = submitted_application(office, applicant)
    anonymous = _page(client_for(trenggalek), application)
    signed_in = _get(client_for(trenggalek, applicant), application)
    assert signed_in.templates and "Keluar" in signed_in.content.decode() and "Keluar" not in anonymous
    lower = client_for(trenggalek).get("/lacak/", {"nomor": application.registration_number.lower(),
                                                   "kode": application.tracking_code.lower()})
    html = lower.content.decode()
    assert lower.templates and f'value="{application.tracking_code.lower()}"' in html  # what was typed, echoed
