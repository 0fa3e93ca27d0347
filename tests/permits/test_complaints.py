"""Complaints (pengaduan): file → assign → answer → close, follow by code, the regency's own
deadline in working days, late detection and figures, and who may see what."""
from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import time_machine

from permits.errors import ComplaintInvalid, ComplaintTransitionNotAllowed
from permits.models.complaints import Complaint
from permits.selectors.complaints import complaint_stats
from permits.services.complaints import (
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_file,
    complaint_policy_set,
)
from pintu.access.models import Role
from pintu.audit.models import AuditEntry
from pintu.audit.services import audit_verify
from pintu.errors import PermissionDenied
from tests.factories import UserFactory, office_build, submitted_application

WIB = dt.timezone(dt.timedelta(hours=7))
MONDAY = dt.datetime(2026, 2, 2, 10, tzinfo=WIB)  # a plain working week: 2–6 and 9–13 February 2026
TEXT = "Berkas saya sudah dua minggu tidak ada kabar, petugas loket tidak bisa menjelaskan."


def _address() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def _code(html: str) -> str:
    return re.search(r'id="follow-code">(ADU-[A-Z0-9-]+)<', html).group(1)


def test_life_cycle_file_assign_answer_close_and_follow_by_code(in_trenggalek, trenggalek, officer, client_for,
                                                               national_2026):
    public = client_for(trenggalek)
    form = public.get("/pengaduan/").content.decode()
    assert "Diminta uang oleh petugas? Laporkan secara rahasia" in form and 'href="/lapor-pungli/"' in form
    with time_machine.travel(MONDAY, tick=False):
        filed = public.post("/pengaduan/", {"description": TEXT, "contact": "0812-3456-7890"}, REMOTE_ADDR=_address())
    html = filed.content.decode()
    assert filed.status_code == 200 and "Pengaduan diterima" in html and filed["Cache-Control"] == "private, no-store"
    code = _code(html)
    assert "9 Februari 2026" in html  # 5 working days after Monday 2 February
    complaint = Complaint.objects.get()
    assert complaint.due_at == dt.datetime(2026, 2, 9, 23, 59, 59, tzinfo=WIB)
    assert complaint.code_hash != code and code not in complaint.code_hash  # only the hash is kept

    status = public.post("/pengaduan/status/", {"kode": code.lower().replace("-", " ")}, REMOTE_ADDR=_address())
    assert status.status_code == 200 and "Diterima" in status.content.decode() and TEXT in status.content.decode()
    assert "0812-3456-7890" not in status.content.decode()

    desk = officer(trenggalek, Role.FRONT_OFFICE, full_name="Rina Loket")
    verifier = officer(trenggalek, Role.VERIFIER, full_name="Budi Verifikator")
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    desk_client = client_for(trenggalek, desk)
    listing = desk_client.get("/pengaduan/kelola/").content.decode()
    assert f"ADU#{complaint.pk}" in listing and 'id="complaint-stats"' in listing
    detail = desk_client.get(f"/pengaduan/kelola/{complaint.pk}/").content.decode()
    assert TEXT in detail and "0812-3456-7890" in detail and "Budi Verifikator" in detail
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        desk_client.post(f"/pengaduan/kelola/{complaint.pk}/tetapkan/", {"officer": verifier.pk})
    complaint.refresh_from_db()
    assert complaint.status == "assigned" and complaint.assigned_to_id == verifier.pk

    # The verifier is no handler, yet answers what was assigned to them.
    verifier_client = client_for(trenggalek, verifier)
    assert f"ADU#{complaint.pk}" in verifier_client.get("/pengaduan/kelola/").content.decode()
    with time_machine.travel(dt.datetime(2026, 2, 4, 15, tzinfo=WIB), tick=False):
        answered = verifier_client.post(f"/pengaduan/kelola/{complaint.pk}/jawab/",
                                        {"answer": "Berkas Anda menunggu kajian Dinas Kesehatan; selesai Jumat."},
                                        follow=True)
    assert "Jawaban tersimpan" in answered.content.decode()
    assert verifier_client.post(f"/pengaduan/kelola/{complaint.pk}/tutup/").status_code == 403  # handlers close

    too_long = client_for(trenggalek, admin).post(f"/pengaduan/kelola/{complaint.pk}/tutup/", {"note": "x" * 501},
                                                  follow=True).content.decode()
    assert "Catatan penutupan paling banyak 500 karakter (sekarang 501)" in too_long
    complaint.refresh_from_db()
    assert complaint.status == "answered"  # nothing cut, nothing closed
    client_for(trenggalek, admin).post(f"/pengaduan/kelola/{complaint.pk}/tutup/", {"note": "Dijawab tepat waktu"})
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.closed_by_id == admin.pk and not complaint.is_late

    followed = public.post("/pengaduan/status/", {"kode": code}, REMOTE_ADDR=_address()).content.decode()
    assert "Selesai" in followed and "menunggu kajian Dinas Kesehatan" in followed

    actions = list(AuditEntry.objects.filter(target_type="permits.complaint", target_id=str(complaint.pk))
                   .order_by("seq").values_list("action", "actor_id"))
    assert actions == [("complaint.file", None), ("complaint.assign", desk.pk), ("complaint.answer", verifier.pk),
                       ("complaint.close", admin.pk)]
    assert audit_verify() == []
    stats = complaint_stats()
    assert (stats.filed, stats.open, stats.closed, stats.late, stats.median_working_days_to_answer) == (1, 0, 1, 0, 2)


def test_registration_number_is_validated_and_links_the_application(in_trenggalek, applicant):
    office = office_build()
    application = submitted_application(office, applicant)
    with pytest.raises(ComplaintInvalid) as exc:
        complaint_file(description=TEXT, registration_number="3503-2026-999999")
    assert exc.value.detail["fields"]["registration_number"][0]["code"] == "unknown"
    with pytest.raises(ComplaintInvalid) as exc:
        complaint_file(description="lambat")
    assert "paling sedikit" in exc.value.message
    complaint, code = complaint_file(description=TEXT, registration_number=f" {application.registration_number.lower()} ",
                                     complainant=applicant)
    assert complaint.application_id == application.pk and complaint.permit_type_id == office.permit_type.pk
    assert complaint.complainant_id == applicant.pk and code.startswith("ADU-")
    assert Complaint.objects.count() == 1


def test_form_shows_errors_next_to_fields(in_trenggalek, trenggalek, client_for):
    page = client_for(trenggalek).post("/pengaduan/", {"description": "pendek", "registration_number": "NGAWUR"},
                                       REMOTE_ADDR=_address())
    text = page.content.decode()
    assert page.status_code == 400 and "paling sedikit 15 karakter" in text
    assert Complaint.objects.count() == 0


def test_deadline_follows_the_regencys_policy_and_late_ones_are_counted(in_trenggalek, trenggalek, officer,
                                                                        national_2026, client_for):
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    with pytest.raises(PermissionDenied):
        complaint_policy_set(actor=officer(trenggalek, Role.FRONT_OFFICE), answer_working_days=2)
    with pytest.raises(ComplaintInvalid):
        complaint_policy_set(actor=admin, answer_working_days=0)
    client_for(trenggalek, admin).post("/pengaduan/kelola/aturan/", {"answer_working_days": "3"})

    def filed(at):
        with time_machine.travel(at, tick=False):
            return complaint_file(description=TEXT)[0]

    on_time = filed(MONDAY)  # due Thursday 5 February (3 working days)
    answered_late = filed(MONDAY)
    same_day = filed(MONDAY + dt.timedelta(days=1))
    never = filed(MONDAY)
    assert on_time.due_at == dt.datetime(2026, 2, 5, 23, 59, 59, tzinfo=WIB)

    def answer(complaint, at):
        with time_machine.travel(at, tick=False):
            complaint_answer(complaint=complaint, actor=admin, answer="Sudah kami tindak lanjuti, terima kasih.")

    answer(on_time, dt.datetime(2026, 2, 4, 9, tzinfo=WIB))  # 2 working days
    answer(answered_late, dt.datetime(2026, 2, 10, 9, tzinfo=WIB))  # 6 working days, past Thursday
    answer(same_day, dt.datetime(2026, 2, 3, 16, tzinfo=WIB))  # 0 working days
    with time_machine.travel(dt.datetime(2026, 2, 11, 9, tzinfo=WIB), tick=False):
        complaint_close(complaint=on_time, actor=admin)
        stats = complaint_stats()
        assert (stats.filed, stats.open, stats.answered, stats.closed) == (4, 3, 3, 1)
        assert stats.late == 2  # one answered after its deadline, one still unanswered past it
        assert stats.median_working_days_to_answer == 2  # median of 2, 6, 0
        assert stats.answer_working_days == 3
        late_list = client_for(trenggalek, admin).get("/pengaduan/kelola/", {"status": "all", "terlambat": "1"})
        text = late_list.content.decode()
        assert f"ADU#{answered_late.pk}<" in text and f"ADU#{never.pk}<" in text and f"ADU#{on_time.pk}<" not in text
        api = client_for(trenggalek, admin).get("/api/v1/complaints/stats/").json()
        assert api["late"] == 2 and api["median_working_days_to_answer"] == 2.0


def test_transitions_in_the_wrong_order_are_refused_with_a_message(in_trenggalek, trenggalek, officer):
    head = officer(trenggalek, Role.HEAD)
    complaint, _ = complaint_file(description=TEXT)
    with pytest.raises(ComplaintTransitionNotAllowed) as exc:
        complaint_close(complaint=complaint, actor=head)
    assert "Jawab pengaduan ini sebelum menutupnya" in exc.value.message
    with pytest.raises(ComplaintInvalid):
        complaint_assign(complaint=complaint, officer=UserFactory(), actor=head)  # no role here
    complaint_answer(complaint=complaint, actor=head, answer="Jawaban langsung dari kepala dinas.")
    complaint_close(complaint=complaint, actor=head)
    with pytest.raises(ComplaintTransitionNotAllowed):
        complaint_answer(complaint=complaint, actor=head, answer="Terlambat, sudah ditutup.")


def test_other_regencys_officers_and_the_public_see_nothing(in_trenggalek, trenggalek, blitar, officer, applicant,
                                                            client_for):
    complaint, code = complaint_file(description=TEXT, contact="sari@contoh.id")
    detail = f"/pengaduan/kelola/{complaint.pk}/"
    blitar_head = client_for(trenggalek, officer(blitar, Role.HEAD))
    assert blitar_head.get("/pengaduan/kelola/").status_code == 403
    assert blitar_head.get(detail).status_code == 403
    assert blitar_head.post(f"{detail}jawab/", {"answer": "Jawaban dari daerah lain."}).status_code == 403
    assert client_for(trenggalek, applicant).get(detail).status_code == 403
    assert client_for(trenggalek).get(detail).status_code == 302  # sign in first
    # An officer here without a handling role, not assigned: refused.
    surveyor = client_for(trenggalek, officer(trenggalek, Role.SURVEYOR))
    assert surveyor.get(detail).status_code == 403
    assert f"ADU#{complaint.pk}" not in surveyor.get("/pengaduan/kelola/").content.decode()
    with pytest.raises(PermissionDenied):
        complaint_answer(complaint=complaint, actor=applicant, answer="Saya menjawab sendiri.")

    wrong = client_for(trenggalek).post("/pengaduan/status/", {"kode": "ADU-AAAA-BBBB-CCCC"}, REMOTE_ADDR=_address())
    assert wrong.status_code == 404 and TEXT not in wrong.content.decode()
    # The same code on another regency's subdomain finds nothing.
    other = client_for(blitar).post("/pengaduan/status/", {"kode": code}, REMOTE_ADDR=_address())
    assert other.status_code == 404 and TEXT not in other.content.decode()
    assert client_for(trenggalek).get("/pengaduan/status/").content.decode().count(TEXT) == 0
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.answer == ""


def test_status_lookups_are_rate_limited(in_trenggalek, trenggalek, client_for, monkeypatch):
    from permits.views import complaints as views

    monkeypatch.setattr(views, "STATUS_LOOKUPS_PER_10_MINUTES", 3)
    client, address = client_for(trenggalek), _address()
    for _ in range(3):
        assert client.post("/pengaduan/status/", {"kode": "ADU-XXXX"}, REMOTE_ADDR=address).status_code == 404
    assert client.post("/pengaduan/status/", {"kode": "ADU-XXXX"}, REMOTE_ADDR=address).status_code == 429


def test_api_file_and_follow(in_trenggalek, trenggalek, client_for):
    client = client_for(trenggalek)
    bad = client.post("/api/v1/complaints/", {"description": TEXT, "registration_number": "NGAWUR"},
                      content_type="application/json", REMOTE_ADDR=_address())
    assert bad.status_code == 400 and bad.json()["code"] == "complaint_invalid"
    filed = client.post("/api/v1/complaints/", {"description": TEXT}, content_type="application/json",
                        REMOTE_ADDR=_address())
    assert filed.status_code == 201 and filed.json()["status"] == "received"
    status = client.post("/api/v1/complaints/status/", {"code": filed.json()["code"]}, content_type="application/json",
                         REMOTE_ADDR=_address())
    assert status.status_code == 200 and status.json()["description"] == TEXT and status.json()["answer"] == ""
    missing = client.post("/api/v1/complaints/status/", {"code": "ADU-AAAA-AAAA-AAAA"},
                          content_type="application/json", REMOTE_ADDR=_address())
    assert missing.status_code == 404 and missing.json()["code"] == "complaint_not_found"
    assert client.get("/api/v1/complaints/stats/").status_code in (401, 403)


def test_officers_list_reads_a_fixed_number_of_queries(in_trenggalek, trenggalek, officer, client_for,
                                                      django_assert_max_num_queries):
    head = officer(trenggalek, Role.HEAD)
    desk = officer(trenggalek, Role.FRONT_OFFICE)
    for index in range(12):
        complaint, _ = complaint_file(description=f"{TEXT} ({index})")
        if index % 2:
            complaint_assign(complaint=complaint, officer=desk, actor=head)
        if index % 3 == 0:
            complaint_answer(complaint=complaint, actor=head, answer="Sudah kami tindak lanjuti, terima kasih.")
    client = client_for(trenggalek, head)
    client.get("/pengaduan/kelola/")  # warm the routing cache
    with django_assert_max_num_queries(14):
        page = client.get("/pengaduan/kelola/", {"status": "all"})
    assert page.content.decode().count("ADU#") == 12
