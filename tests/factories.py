"""One set of test factories and builders, imported by every test folder (never from a conftest).

Factories (factory-boy) make single rows; builders make a working regency office through the real
services: a permit type with requirements, a form, a published SOP with parallel technical reviews,
officers and a delegation (`office_build`), and applications that travel it (`submitted_application`,
`issue`). Fixtures that wrap them live in tests/conftest.py.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from pintu.access.models import Role
from pintu.access.services import membership_grant
from pintu.identity.models import MinistryRole, User

TEST_PASSWORD = "rahasia-uji-123"
UTC = dt.timezone.utc


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"orang{n}@contoh.id")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password(TEST_PASSWORD)


class MinistryRoleFactory(factory.django.DjangoModelFactory):
    """A ministry role (administrator, inspector, analyst, ...) held by a new user unless one is given."""

    class Meta:
        model = MinistryRole

    user = factory.SubFactory(UserFactory)
    role = MinistryRole.Role.ADMINISTRATOR


def ministry_user(role: str, **fields) -> User:
    """A new user holding `role` at the ministry."""
    return MinistryRoleFactory(role=role, user=UserFactory(**fields)).user


# ---- documents ----

@functools.lru_cache(maxsize=64)
def pdf_bytes(text: str = "dokumen") -> bytes:
    """A one-page PDF saying `text`; drawn once per text and process (every submitted_application uploads two,
    ~10 ms each), the same bytes after (nothing in Pintu tells uploads apart by content: keys are random)."""
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


def sip_steps():
    return [
        {"name": "Pemeriksaan kelengkapan", "role": "front_office", "sla_working_days": 1,
         "allowed_actions": ["forward", "return"]},
        {"name": "Kajian Dinas Kesehatan", "role": "technical_team", "agency": "Dinas Kesehatan",
         "sla_working_days": 2, "allowed_actions": ["recommend", "return"], "parallel_group": "kajian"},
        {"name": "Kajian Satpol PP", "role": "technical_team", "agency": "Satpol PP",
         "sla_working_days": 1, "allowed_actions": ["recommend", "return"], "parallel_group": "kajian"},
        {"name": "Penandatanganan", "role": "signing_official", "sla_working_days": 1,
         "allowed_actions": ["approve_sign", "reject"]},
    ]



# ---- dashboards: offices in a given regency, applications at fixed moments ----

def at(zone: str, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


def submit(office, applicant=None, *, channel="online"):
    """A real submission (service), with its channel."""
    from permits.models import Application

    application = submitted_application(office, applicant or UserFactory())
    if channel != "online":
        Application.objects.filter(pk=application.pk).update(channel=channel)
        application.refresh_from_db()
    return application


def place(application, **fields):
    """Move a real application's moments to fixed dates (the clock cannot be moved for a service call)."""
    from permits.models import Application

    Application.objects.filter(pk=application.pk).update(**fields)
    application.refresh_from_db()
    return application


def to_signing(office, application):
    """Front office forwards, both technical teams recommend (real services): the signing step, open."""
    from permits.models import StepTask
    from permits.services.processing import recommendation_give, step_forward

    for _ in range(2):
        for task in StepTask.objects.filter(application=application, status="open"):
            officer = office.front_office if task.role == "front_office" else \
                (office.health if task.agency == "Dinas Kesehatan" else office.police)
            (step_forward if task.role == "front_office" else recommendation_give)(task=task, officer=officer)
    return StepTask.objects.get(application=application, status="open", role="signing_official")


def issue(office, application):
    """Take a submitted application through every SOP step to an issued permit (real services)."""
    from permits.models import Permit
    from permits.services.processing import application_approve

    application_approve(task=to_signing(office, application), officer=office.signer)
    application.refresh_from_db()
    return Permit.objects.get(application_id=application.pk)


def build_office(regency):
    with schema_context(regency.schema_name):
        return office_build()


# ---- OSS ----

@contextmanager
def in_schema(regency):
    with schema_context(regency.schema_name):
        yield


def oss_office(regency, kd_izin: str):
    """In `regency`: the practice-permit office of the flow tests, plus an OSS code mapped to it."""
    from permits.oss.models import PermitCodeMapping

    with in_schema(regency):
        office = office_build()
        from permits.services.catalog import form_field_create

        form_field_create(permit_type=office.permit_type, order=3, key="nib", label="NIB", kind="nib",
                          is_required=False)
        form_field_create(permit_type=office.permit_type, order=4, key="nama_usaha", label="Nama usaha",
                          is_required=False)
        PermitCodeMapping.objects.update_or_create(kd_izin=kd_izin, defaults={"permit_type": office.permit_type})
    return office


def phone_photo(*, size: tuple[int, int] = (4000, 3000), megabytes: float = 3.0, orientation: int = 6,
                gps: bool = True, heic: bool = False) -> bytes:
    """A phone camera's JPEG (or HEIC): ~`megabytes` of detailed pixels, sideways with an EXIF
    orientation to turn it upright, and the EXIF a phone writes (maker, GPS position)."""
    from PIL import Image, ImageDraw

    width, height = size
    noise = Image.effect_noise((width // 4, height // 4), 60).resize((width, height)).convert("RGB")
    image = Image.blend(Image.linear_gradient("L").resize((width, height)).convert("RGB"), noise, 0.5)
    # A red block in the top-left quarter of the stored pixels, to tell where "up" went.
    ImageDraw.Draw(image).rectangle((0, 0, width // 4, height // 4), fill=(220, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif[0x8825] = {1: "S", 2: (6.0, 42.0, 30.0), 3: "E", 4: (111.0, 20.0, 10.0)}
    if heic:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        out = io.BytesIO()
        image.save(out, "HEIF", quality=90, exif=exif.tobytes())
        return out.getvalue()
    data = b""
    for quality in (95, 92, 88, 84, 80, 75, 70, 60, 50):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, exif=exif)
        data = out.getvalue()
        if len(data) <= megabytes * 1024 * 1024 * 1.1:
            break
    return data


def applications_bulk(office, applicant, *, count: int, in_process_every: int) -> int:
    """`count` applications of `office`'s permit type written by SQL (no services: a regency's history at
    scale), each with its SOP's first step: every `in_process_every`-th still in process with that step
    open (unclaimed, due in 1 to 21 days), the rest issued with it done; then ANALYZE, as autovacuum
    would. Open and issued ones spread alike over the deadlines, so the planner's estimates of a window of
    deadlines hold for the open steps (a band holding half the open steps misled it into reading them all).
    Returns how many are in process."""
    from django.db import connection

    sample = submitted_application(office, applicant)
    first_step = sample.sop.steps.order_by("order").first()
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO permits_application (registration_number, tracking_code, permit_type_id, sop_id, kind, channel,
                applicant_id, applicant_name, applicant_nik, applicant_email, applicant_phone, form_data, status,
                levy_amount, created_at, updated_at, submitted_at, due_at, paused_working_days)
            SELECT 'BULK-' || g, 'BULK' || g, %s, %s, 'new', 'online', %s, 'Pemohon ' || g, '', '', '', '{}',
                   CASE WHEN g %% %s = 0 THEN 'in_process' ELSE 'issued' END, 0, now(), now(), now(),
                   now() + ((g / %s %% 20 + 1) || ' days')::interval + (g || ' seconds')::interval, 0
            FROM generate_series(1, %s) AS g""",
                       [office.permit_type.pk, sample.sop_id, applicant.pk, in_process_every, in_process_every, count])
        cursor.execute("""
            INSERT INTO permits_steptask (application_id, step_id, stage, role, agency, status, opened_at, due_at,
                action, note, checklist_result, survey_note, report_key)
            SELECT a.id, %s, 1, %s, '', CASE WHEN a.status = 'in_process' THEN 'open' ELSE 'done' END,
                   a.submitted_at, a.due_at, '', '', '{}', '', ''
            FROM permits_application a WHERE a.registration_number LIKE 'BULK-%%'""",
                       [first_step.pk, first_step.role])
        cursor.execute("ANALYZE permits_application")
        cursor.execute("ANALYZE permits_steptask")
    return count // in_process_every


def _row_copy(row, **changes):
    """An unsaved copy of `row` (every stored column but its id), with `changes`."""
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if not f.primary_key}
    return type(row)(**{**values, **changes})


def applications_at_signing(office, applicant, *, count: int) -> list:
    """`count` applications of `office` waiting at the signing step, their open signing tasks returned.

    The first is submitted and taken through every step by the real services (`submitted_application`,
    `to_signing`); the others are copies of it written in a few bulk inserts: the application under a
    registration number of its own (the regency's counter moved past them, as the service would have), its
    documents, its steps (the front office's and both recommendations done, the signing one open), its history
    and its public index row. Signing one of them is the same act as signing the first; preparing 100 through
    the services took ~30 s before 100 signatures that took ~25 s. Not copied: the audit entries, messages and
    meters the first one's submission wrote (nothing a decision reads)."""
    from django.db.models import F

    from permits.index.models import ApplicationIndex
    from permits.models import Application, ApplicationDocument, ApplicationEvent, StepTask
    from permits.models.applications import RegistrationCounter
    from permits.regency import current_regency, regency_now
    from permits.services.applications import TRACKING_CODE_LENGTH
    from pintu.follow_code import code_random

    first = to_signing(office, submitted_application(office, applicant))
    if count == 1:
        return [first]
    sample = Application.objects.get(pk=first.application_id)
    prefix, _, sequence = sample.registration_number.rpartition("-")
    year = regency_now(at=sample.submitted_at).year
    moved = RegistrationCounter.objects.filter(year=year, last=int(sequence)).update(last=F("last") + count - 1)
    assert moved == 1, "the counter moved on since the first submission: the copies' numbers would be taken"
    copies = Application.objects.bulk_create([
        _row_copy(sample, registration_number=f"{prefix}-{int(sequence) + i:0{len(sequence)}d}",
                  tracking_code=code_random(TRACKING_CODE_LENGTH))
        for i in range(1, count)])
    for model in (ApplicationDocument, ApplicationEvent, StepTask):
        rows = list(model.objects.filter(application=sample).order_by("pk"))
        model.objects.bulk_create([_row_copy(row, application_id=copy.pk) for copy in copies for row in rows])
    index = ApplicationIndex.objects.get(regency_id=current_regency().pk, application_id=sample.pk)
    ApplicationIndex.objects.bulk_create([
        _row_copy(index, application_id=copy.pk, registration_number=copy.registration_number) for copy in copies])
    signing = StepTask.objects.filter(application__in=copies, status=StepTask.Status.OPEN,
                                      role=first.role).order_by("application_id")
    return [first, *signing]
