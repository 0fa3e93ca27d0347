"""Import of a regency's past permit register (permits it issued before Pintu), from CSV or XLSX.

Each row becomes an issued application and its permit, marked as issued outside Pintu (no PDF, no QR
signature), so the permit is in the public register, found by the verification page, reaches its holder's
portal when their NIK matches an account, and gets expiry reminders and renewal like any other.
The whole file is checked first and written only when every row is right (a dry run lists each row's
problem); a permit number already imported with the same data is left alone, so re-importing changes nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from permits.models import Application, Permit, PermitType
from permits.services.applications import TRACKING_CODE_LENGTH
from permits.services.transitions import By, status_on_create
from pintu.audit.services import audit_record
from pintu.errors import DomainError
from pintu.follow_code import code_random
from pintu.identity.models import User
from pintu.identity.nik import nik_validate

COLUMNS = ["nomor_izin", "kode_jenis_izin", "nama_pemegang", "nik", "tanggal_terbit", "berlaku_sampai",
           "penandatangan"]
REQUIRED = ["nomor_izin", "kode_jenis_izin", "nama_pemegang", "tanggal_terbit"]
MAX_ROWS = 100_000


class RegisterFileInvalid(DomainError):
    code = "register_file_invalid"
    message = gettext_lazy("Berkas register tidak dapat dibaca. Pakai templat CSV atau XLSX yang disediakan.")


class RegisterRowsInvalid(DomainError):
    code = "register_rows_invalid"
    message = gettext_lazy("Ada baris yang belum benar; tidak ada yang diimpor. Perbaiki baris yang disebut lalu impor lagi.")


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    unchanged: int = 0
    dry_run: bool = True
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number in the file, reason)


def register_template_csv() -> str:
    example = ["503/0112/SIPB/DPM-PTSP/2021", "sipb", "Rina Bidan", "3503015708900002", "2021-03-01",
               "2026-02-28", "Kepala DPMPTSP"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(example)
    return buffer.getvalue()


def register_rows_read(*, content: bytes, filename: str) -> list[tuple[int, dict]]:
    """(row number as a spreadsheet shows it, values by column) for each non-empty row."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(content)
    else:
        raise RegisterFileInvalid(gettext("Jenis berkas tidak didukung: unggah CSV atau XLSX."))
    if not rows:
        raise RegisterFileInvalid(gettext("Berkas kosong."))
    header = [str(c or "").strip().lower() for c in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RegisterFileInvalid(gettext("Kolom wajib tidak ada: %(join)s. Pakai baris judul templat.") % {"join": ', '.join(missing)})
    out = []
    for number, values in enumerate(rows[1:], start=2):
        if not any(str(v or "").strip() for v in values):
            continue
        out.append((number, {h: values[i] if i < len(values) else "" for i, h in enumerate(header) if h}))
        if len(out) > MAX_ROWS:
            raise RegisterFileInvalid(gettext("Paling banyak %(MAX_ROWS)s baris per berkas.") % {"MAX_ROWS": MAX_ROWS})
    return out


def _csv_rows(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same answer to a person
        raise RegisterFileInvalid(gettext("Berkas XLSX tidak dapat dibuka.")) from exc
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _date(value: object, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{label} '{text}' bukan tanggal (pakai TTTT-BB-HH, mis. 2021-03-01)")


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _row_check(values: dict, types: dict[str, PermitType], today: dt.date) -> dict:
    problems = []
    number = _text(values.get("nomor_izin"))
    if not number:
        problems.append(gettext("nomor izin kosong"))
    elif len(number) > 120:
        problems.append(gettext("nomor izin lebih dari 120 karakter"))
    code = _text(values.get("kode_jenis_izin"))
    permit_type = types.get(code)
    if permit_type is None:
        problems.append(gettext("jenis izin '%(code)s' tidak ada di katalog daerah ini")
                        % {"code": code} if code else gettext("kode jenis izin kosong"))
    name = _text(values.get("nama_pemegang"))
    if not name:
        problems.append(gettext("nama pemegang kosong"))
    nik = _text(values.get("nik"))
    if nik.endswith(".0"):  # a spreadsheet that stored the NIK as a number
        nik = nik[:-2]
    if nik:
        try:
            nik_validate(nik)
        except ValidationError as exc:
            problems.append(gettext("NIK %(nik)s tidak valid: %(join)s") % {"nik": nik, "join": ' '.join(exc.messages)})
    issued = until = None
    try:
        issued = _date(values.get("tanggal_terbit"), "tanggal terbit")
        if issued > today:
            problems.append(gettext("tanggal terbit di masa depan"))
    except ValueError as exc:
        problems.append(str(exc))
    if _text(values.get("berlaku_sampai")) or isinstance(values.get("berlaku_sampai"), dt.date):
        try:
            until = _date(values.get("berlaku_sampai"), "berlaku sampai")
            if issued and until < issued:
                problems.append(gettext("berlaku sampai sebelum tanggal terbit"))
        except ValueError as exc:
            problems.append(str(exc))
    return {"problems": problems, "number": number, "permit_type": permit_type, "name": name[:150], "nik": nik,
            "issued": issued, "until": until, "signer": _text(values.get("penandatangan"))[:150]}


def _same(permit: Permit, row: dict) -> bool:
    return (permit.is_imported and permit.application.permit_type_id == row["permit_type"].pk
            and permit.application.applicant_name == row["name"] and permit.application.applicant_nik == row["nik"]
            and permit.valid_from == row["issued"] and permit.valid_until == row["until"])


@transaction.atomic
def register_import(*, rows: list[tuple[int, dict]], actor: User | None, dry_run: bool,
                    progress: Callable[[str, int, int], None] | None = None) -> ImportReport:
    """Check every row (row number and reason in Indonesian); unless `dry_run`, write them all or none.

    `progress(stage, done, total)` hears how far it got: stage "check" per 500 rows, then "write" per chunk."""
    from permits.regency import regency_today

    report = ImportReport(total=len(rows), dry_run=dry_run)
    types = {p.code: p for p in PermitType.objects.all()}
    today = regency_today()
    checked, seen = [], {}
    for i, (line, values) in enumerate(rows, start=1):
        row = _row_check(values, types, today)
        if row["number"] in seen:
            row["problems"].append(gettext("nomor izin %(number)s sudah ada di baris %(value)s")
                                   % {"number": row['number'], "value": seen[row['number']]})
        elif row["number"]:
            seen[row["number"]] = line
        checked.append((line, row))
        if progress and (i % 500 == 0 or i == len(rows)):
            progress("check", i, len(rows))
    existing = {p.number: p for p in Permit.objects.select_related("application").filter(number__in=list(seen))}
    new = []
    for line, row in checked:
        found = existing.get(row["number"])
        if found is not None and not row["problems"]:
            if _same(found, row):
                report.unchanged += 1
                continue
            row["problems"].append(gettext("nomor izin sudah dipakai izin lain di daerah ini") if not found.is_imported
                                   else gettext("nomor izin sudah diimpor dengan data berbeda"))
        if row["problems"]:
            report.errors.append((line, "; ".join(row["problems"]) + "."))
        else:
            new.append(row)
    if dry_run:
        report.created = len(new)
        return report
    if report.errors:
        raise RegisterRowsInvalid(errors=[{"row": line, "message": m} for line, m in report.errors[:1000]],
                                  error_count=len(report.errors))
    _write(new, actor, progress)
    report.created = len(new)
    audit_record(actor=actor, action="register.import", target=None,
                 detail={"rows": report.total, "created": report.created, "unchanged": report.unchanged})
    return report


def _write(rows: list[dict], actor: User | None, progress: Callable[[str, int, int], None] | None) -> None:
    from permits.index.models import ApplicationIndex
    from tenants.selectors import current_regency

    holders = dict(User.objects.filter(nik__in={r["nik"] for r in rows if r["nik"]}).values_list("nik", "pk"))
    tz = timezone.get_current_timezone()
    regency = current_regency()
    now = timezone.now()
    issued = status_on_create(verb="register_import", by=By.REGISTER)  # issued outside Pintu: no process here
    for start in range(0, len(rows), 2000):
        chunk = rows[start:start + 2000]
        applications = Application.objects.bulk_create([Application(
            tracking_code=code_random(TRACKING_CODE_LENGTH), permit_type=r["permit_type"], channel=Application.Channel.IMPORTED,
            applicant_id=holders.get(r["nik"]), applicant_name=r["name"], applicant_nik=r["nik"],
            status=issued, created_by_id=getattr(actor, "pk", None),
            submitted_at=dt.datetime.combine(r["issued"], dt.time(8), tz),
            decided_at=dt.datetime.combine(r["issued"], dt.time(8), tz)) for r in chunk])
        permits = Permit.objects.bulk_create([Permit(
            application=a, number=r["number"], verification_code=secrets.token_urlsafe(18)[:24],
            issued_at=dt.datetime.combine(r["issued"], dt.time(8), tz), valid_from=r["issued"], valid_until=r["until"],
            pdf_key="", sha256="", signer_name=r["signer"], is_imported=True) for a, r in zip(applications, chunk)])
        ApplicationIndex.objects.bulk_create([ApplicationIndex(
            regency_id=regency.pk, application_id=a.pk, applicant_id=a.applicant_id, registration_number="",
            permit_type_name=a.permit_type.name, channel=a.channel, status=a.status,
            status_label=str(a.get_status_display()), next_action="", submitted_at=a.submitted_at, updated_at=now,
            permit_number=p.number, verification_code=p.verification_code, permit_valid_until=p.valid_until,
            permit_status=p.status) for a, p in zip(applications, permits) if a.applicant_id])
        if progress:
            progress("write", start + len(chunk), len(rows))
