"""The regency's side of expiry (issue #5): one digest a working day, in the regency's own zone, to its
administrators, heads and office e-mail, listing each permit once per lead time however often the
scheduler runs."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django_tenants.utils import schema_context

from permits.models.applications import Application, Permit
from permits.services.applications import application_draft_create
from permits.services.reminders import regency_tick
from permits.services.renewal import expiry_digest_send
from pintu.access.models import Role
from pintu.access.services import membership_grant
from pintu.notify.models import OutboxMessage
from pintu.notify.services import expiry_lead_days_set
from tenants.models import Regency
from tests.factories import UserFactory, office_build, submitted_application
from tests.notify.helpers import issue

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
MONDAY = dt.date(2026, 2, 9)  # 5-10 February 2026 hold no national holiday


def at(day: dt.date, hour: int, zone=WIB) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def ending(permit: Permit, on: dt.date) -> Permit:
    Permit.objects.filter(pk=permit.pk).update(valid_until=on)
    permit.refresh_from_db()
    return permit


def digests() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(event="expiring_digest").order_by("pk"))


def test_the_office_gets_one_digest_a_working_day_each_permit_once_per_lead_time(in_trenggalek):
    Regency.objects.filter(pk=in_trenggalek.pk).update(office_email="dpmptsp@trenggalekkab.go.id")
    office = office_build()
    expiry_lead_days_set(days=[60, 14], actor=None)
    head = UserFactory(full_name="Kepala DPMPTSP Trenggalek")
    membership_grant(user=head, role=Role.HEAD)
    holder_a, holder_b = UserFactory(full_name="Ani Fisioterapis"), UserFactory(full_name="Budi Fisioterapis")
    permit_a = ending(issue(office, submitted_application(office, holder_a)), MONDAY + dt.timedelta(days=60))
    permit_b = ending(issue(office, submitted_application(office, holder_b)), MONDAY + dt.timedelta(days=14))
    far = ending(issue(office, submitted_application(office, UserFactory())), MONDAY + dt.timedelta(days=75))

    regency_tick(now=at(MONDAY, 6))  # before the office day starts: nothing
    assert digests() == []
    regency_tick(now=at(MONDAY, 8))
    regency_tick(now=at(MONDAY, 15))  # the scheduler runs again the same day
    monday = digests()
    recipients = {m.recipient for m in monday}
    assert recipients == {"admin@trenggalek.localhost", head.email, "dpmptsp@trenggalekkab.go.id"}
    assert len(monday) == 3 and {m.channel for m in monday} == {"email"}
    mail = next(m for m in monday if m.user_id == head.pk)
    assert mail.subject == "2 izin akan berakhir — Kab. Trenggalek, Senin, 9 Februari 2026"
    assert mail.body.startswith("Yth. Kepala DPMPTSP Trenggalek,")
    assert f"{permit_a.number} · Surat Izin Praktik Fisioterapis · Ani Fisioterapis · berakhir 10 April 2026 " \
           "(60 hari lagi)" in mail.body
    assert f"{permit_b.number} · Surat Izin Praktik Fisioterapis · Budi Fisioterapis · berakhir 23 Februari 2026 " \
           "(14 hari lagi)" in mail.body
    assert far.number not in mail.body
    assert f"http://trenggalek.localhost:8000/kantor/permohonan/{permit_a.application_id}/" in mail.body
    # The head's inbox keeps it too; the office address is not an account, so it has none.
    office_mail = next(m for m in monday if m.recipient == "dpmptsp@trenggalekkab.go.id")
    assert office_mail.user_id is None and office_mail.body.startswith("Yth. ")

    # Tuesday: nothing reached a new lead time, so no digest.
    regency_tick(now=at(MONDAY + dt.timedelta(days=1), 8))
    assert len(digests()) == 3
    # Wednesday: permit A reaches its 14-day lead (renewal already started); B and the far one do not reappear.
    wednesday = MONDAY + dt.timedelta(days=2)
    ending(permit_a, wednesday + dt.timedelta(days=14))
    ending(far, wednesday + dt.timedelta(days=59))
    application_draft_create(permit_type=office.permit_type, applicant=holder_a, kind=Application.Kind.RENEWAL,
                             renewal_of=permit_a)
    regency_tick(now=at(wednesday, 9))
    regency_tick(now=at(wednesday, 10))
    latest = [m for m in digests() if m.user_id == head.pk][-1]
    assert latest.subject.startswith("2 izin akan berakhir") and "Rabu, 11 Februari 2026" in latest.subject
    assert f"{permit_a.number} · Surat Izin Praktik Fisioterapis · Ani Fisioterapis · berakhir 25 Februari 2026 " \
           "(14 hari lagi) · perpanjangan sedang diproses" in latest.body
    assert far.number in latest.body and permit_b.number not in latest.body
    assert len(digests()) == 6
    # The holders' own reminders are unchanged: one each at their lead time.
    assert OutboxMessage.objects.filter(event="expiring", application_id=permit_b.application_id).count() == 1


def test_no_digest_on_a_weekend_the_permits_wait_for_the_next_working_day(in_trenggalek):
    office = office_build()
    expiry_lead_days_set(days=[30], actor=None)
    saturday = MONDAY - dt.timedelta(days=2)
    permit = ending(issue(office, submitted_application(office, UserFactory())), saturday + dt.timedelta(days=30))
    assert expiry_digest_send(now=at(saturday, 9)) == 0 and digests() == []
    assert expiry_digest_send(now=at(MONDAY, 9)) == 1
    [mail] = digests()  # the provisioned administrator only
    assert permit.number in mail.body and "(28 hari lagi)" in mail.body
    assert expiry_digest_send(now=at(MONDAY, 9)) == 0


def test_a_permit_reaching_its_lead_after_todays_digest_is_listed_the_next_day(in_trenggalek):
    office = office_build()
    expiry_lead_days_set(days=[30], actor=None)
    first = ending(issue(office, submitted_application(office, UserFactory())), MONDAY + dt.timedelta(days=30))
    assert expiry_digest_send(now=at(MONDAY, 8)) == 1
    late = ending(issue(office, submitted_application(office, UserFactory())), MONDAY + dt.timedelta(days=20))
    assert expiry_digest_send(now=at(MONDAY, 16)) == 0  # today's digest went out
    assert expiry_digest_send(now=at(MONDAY + dt.timedelta(days=1), 8)) == 1
    monday, tuesday = digests()
    assert first.number in monday.body and late.number not in monday.body
    assert late.number in tuesday.body and first.number not in tuesday.body


def test_the_digest_follows_each_regencys_own_date(trenggalek, mataram):
    """16:30 UTC on Sunday 8 February is 23:30 Sunday in Trenggalek (WIB) and 00:30 Monday in Mataram (WITA)."""
    moment = dt.datetime(2026, 2, 8, 16, 30, tzinfo=dt.UTC)
    numbers = {}
    for regency in (trenggalek, mataram):
        with schema_context(regency.schema_name):
            office = office_build()
            expiry_lead_days_set(days=[14], actor=None)
            numbers[regency.pk] = ending(issue(office, submitted_application(office, UserFactory())),
                                         MONDAY + dt.timedelta(days=10)).number
    with schema_context(trenggalek.schema_name):
        assert expiry_digest_send(now=moment) == 0
    with schema_context(mataram.schema_name):
        assert expiry_digest_send(now=moment) == 1
        [mail] = digests()
        assert "Senin, 9 Februari 2026" in mail.subject and numbers[mataram.pk] in mail.body
        assert numbers[trenggalek.pk] not in mail.body and "kota-mataram" in mail.body
