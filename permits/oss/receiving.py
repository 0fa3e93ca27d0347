"""What OSS sends Pintu: receiveNIB (a business and its checklist of permits) and receiveFileDS.

Where it lives: the apex domain (`/oss/receiveNIB`), because OSS sends one NIB with one checklist
naming permits of several regencies. Each checklist item of kewenangan 02 is routed by its
`kd_daerah` to that regency's schema, and only when the call carries *that* regency's `user_key`:
OSS delivers the NIB to every agency with the agency's own key, so a regency's key can never place a
file in another regency. Items of other Pintu regencies are skipped (they arrive with their own key);
an item naming a regency that is not on Pintu, an unknown or unmapped `kd_izin`, a missing field or a
field over its PIA length refuses the whole call (nothing is created) with the field and the reason.
Every call, accepted or refused, is stored (OssInbound) for the administrator and the ministry.
The same `id_izin` sent again changes nothing.
"""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import get_urlconf, set_urlconf
from django.utils import timezone
from django_tenants.utils import schema_context

from permits.errors import ApplicationIncomplete
from permits.field_kinds import holds_nib
from permits.oss import pia
from permits.oss.credentials import oss_regency_for_key
from permits.oss.errors import OssRefused
from permits.oss.hub.models import OssHealth, OssInbound
from permits.oss.models import OssFile, PermitCodeMapping
from pintu.audit.services import audit_lock, audit_record
from pintu.identity.models import User
from tenants.models import Regency

log = logging.getLogger(__name__)


def max_body_bytes() -> int:
    return int(getattr(settings, "OSS_MAX_BODY_BYTES", 2 * 1024 * 1024))


def region_of(kd_daerah: str) -> str:
    """'3503', '35.03' or Kemendagri's 10-digit '3503000000' -> the regency code '3503' ('' if not one)."""
    digits = "".join(ch for ch in (kd_daerah or "") if ch.isascii() and ch.isdigit())
    if len(digits) == 4 or (len(digits) == 10 and digits[4:] == "000000"):
        return digits[:4]
    return ""


# --- validation --------------------------------------------------------------------------------


def _check(obj, spec: dict, path: str, errors: list[dict]) -> None:
    if not isinstance(obj, dict):
        errors.append(pia.error(path, "harus berupa objek JSON"))
        return
    for name, (length, required) in spec.items():
        value = obj.get(name)
        field = f"{path}.{name}"
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                errors.append(pia.error(field, "wajib diisi"))
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            errors.append(pia.error(field, "harus berupa teks"))
            continue
        if len(str(value)) > length:
            errors.append(pia.error(field, f"panjang {len(str(value))}, paling panjang {length} karakter"))


def _list(obj: dict, name: str, path: str, errors: list[dict], *, required: bool) -> list:
    value = obj.get(name)
    if value in (None, []):
        if required:
            errors.append(pia.error(f"{path}.{name}", "wajib berisi paling sedikit satu baris"))
        return []
    if not isinstance(value, list):
        errors.append(pia.error(f"{path}.{name}", "harus berupa daftar"))
        return []
    return value


def nib_payload_check(payload) -> dict:
    """The dataNIB object, checked against the PIA's fields and lengths; OssRefused lists every problem."""
    errors: list[dict] = []
    data = payload.get("dataNIB") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise OssRefused(errors=[pia.error("dataNIB", "wajib diisi")])
    _check(data, pia.NIB_FIELDS, "dataNIB", errors)
    nib = str(data.get("nib") or "")
    if nib and (len(nib) != 13 or not (nib.isascii() and nib.isdigit())):
        errors.append(pia.error("dataNIB.nib", "harus 13 angka"))
    for i, row in enumerate(_list(data, "penanggung_jwb", "dataNIB", errors, required=True)):
        _check(row, pia.PJ_FIELDS, f"dataNIB.penanggung_jwb[{i}]", errors)
    for i, row in enumerate(_list(data, "data_proyek", "dataNIB", errors, required=False)):
        _check(row, pia.PROYEK_FIELDS, f"dataNIB.data_proyek[{i}]", errors)
        if isinstance(row, dict):
            for j, place in enumerate(_list(row, "data_lokasi_proyek", f"dataNIB.data_proyek[{i}]", errors,
                                            required=False)):
                _check(place, pia.LOKASI_FIELDS, f"dataNIB.data_proyek[{i}].data_lokasi_proyek[{j}]", errors)
    for i, row in enumerate(_list(data, "data_checklist", "dataNIB", errors, required=True)):
        _check(row, pia.CHECKLIST_FIELDS, f"dataNIB.data_checklist[{i}]", errors)
    if errors:
        raise OssRefused(errors=errors)
    return data


# --- the business's data -----------------------------------------------------------------------


def business_of(data: dict, item: dict) -> dict:
    """What Pintu keeps of the business for one checklist item: identity, person in charge, project."""
    pj = (data.get("penanggung_jwb") or [{}])[0]
    projects = [p for p in data.get("data_proyek") or [] if isinstance(p, dict)]
    project = next((p for p in projects if p.get("id_proyek") == item.get("id_proyek")), projects[0] if projects else {})
    places = [p for p in project.get("data_lokasi_proyek") or [] if isinstance(p, dict)]
    place = places[0] if places else {}
    points = [p for p in place.get("data_lokasi_proyek") or [] if isinstance(p, dict)]
    return {
        "nib": str(data.get("nib") or ""), "nama_perseroan": str(data.get("nama_perseroan") or ""),
        "npwp_perseroan": str(data.get("npwp_perseroan") or ""),
        "alamat_perseroan": str(data.get("alamat_perseroan") or ""),
        "email_perusahaan": str(data.get("email_perusahaan") or ""),
        "nomor_telpon_perseroan": str(data.get("nomor_telpon_perseroan") or ""),
        "penanggung_jawab": {
            "nama": str(pj.get("nama_penanggung_jwb") or ""), "nik": str(pj.get("no_identitas_penanggung_jwb") or ""),
            "jabatan": str(pj.get("jabatan_penanggung_jwb") or ""), "email": str(pj.get("email_penanggung_jwb") or ""),
            "hp": str(pj.get("no_hp_penanggung_jwb") or ""), "alamat": str(pj.get("alamat_penanggung_jwb") or "")},
        "proyek": {
            "id_proyek": str(project.get("id_proyek") or ""), "uraian_usaha": str(project.get("uraian_usaha") or ""),
            "kbli": str(project.get("kbli") or ""), "skala_resiko": str(project.get("skala_resiko") or ""),
            "alamat_usaha": str(place.get("alamat_usaha") or ""),
            "lat_lng": str(points[0].get("lat_lng") or "") if points else ""},
    }


# Form fields filled from OSS, by the field's key (the regency names its fields; these are the usual ones).
_FORM_SOURCES = {
    "nib": lambda b: b["nib"],
    "nama_usaha": lambda b: b["nama_perseroan"], "nama_perusahaan": lambda b: b["nama_perseroan"],
    "nama_perseroan": lambda b: b["nama_perseroan"], "npwp": lambda b: b["npwp_perseroan"],
    "alamat_perusahaan": lambda b: b["alamat_perseroan"],
    "alamat_usaha": lambda b: b["proyek"]["alamat_usaha"] or b["alamat_perseroan"],
    "lokasi": lambda b: b["proyek"]["alamat_usaha"] or b["alamat_perseroan"],
    "koordinat": lambda b: b["proyek"]["lat_lng"],
    "kbli": lambda b: b["proyek"]["kbli"], "kegiatan_usaha": lambda b: b["proyek"]["uraian_usaha"],
    "uraian_usaha": lambda b: b["proyek"]["uraian_usaha"],
    "nama_penanggung_jawab": lambda b: b["penanggung_jawab"]["nama"],
    "nik_penanggung_jawab": lambda b: b["penanggung_jawab"]["nik"],
}


def fillable_keys(fields) -> list[str]:
    """The keys of these form fields that OSS's business data can fill."""
    return [f.key for f in fields if f.key in _FORM_SOURCES or holds_nib(f)]


def form_from_business(permit_type, business: dict) -> dict:
    """The permit type's form answers that OSS already knows; a value the field refuses is left for the
    applicant (it is kept in the OSS file either way)."""
    from permits.regency import regency_code
    from permits.services.catalog import form_value_clean

    answers = {}
    for field in permit_type.form_fields.all():
        source = _FORM_SOURCES.get(field.key) or ({"nib": _FORM_SOURCES["nib"]}.get(field.kind))
        value = source(business) if source else ""
        if not value:
            continue
        try:
            answers[field.key] = form_value_clean(field, value, regency_code=regency_code())
        except ValidationError:
            continue
    return answers


# --- receiveNIB --------------------------------------------------------------------------------


def _mapping_seen(items: list[dict], now) -> dict[str, PermitCodeMapping]:
    """Record every OSS permit code this regency was sent (the administrator's list of codes to map)."""
    rows = {}
    for item in items:
        code = str(item["kd_izin"]).strip()
        row, _ = PermitCodeMapping.objects.get_or_create(kd_izin=code, defaults={
            "nama_izin": str(item.get("nama_izin") or "")[:255], "first_seen_at": now})
        PermitCodeMapping.objects.filter(pk=row.pk).update(times_seen=F("times_seen") + 1, last_seen_at=now)
        rows[code] = row
    return rows


def _file_create(*, data: dict, item: dict, permit_type, now) -> OssFile | None:
    """One checklist item -> one application in this regency; None when this id_izin is already here."""
    from permits.models import Application
    from permits.services.applications import (
        application_draft_create,
        application_form_save,
        application_submit,
    )

    id_izin = str(item["id_izin"]).strip()
    if OssFile.objects.filter(id_izin=id_izin).exists():
        return None
    business = business_of(data, item)
    pj = business["penanggung_jawab"]
    nik = pj["nik"] if len(pj["nik"]) == 16 and pj["nik"].isdigit() else ""
    account = User.objects.filter(nik=nik, is_active=True).first() if nik else None
    application = application_draft_create(
        permit_type=permit_type, applicant=account, channel=Application.Channel.ONLINE,
        applicant_name=pj["nama"][:150] or business["nama_perseroan"][:150], applicant_nik=nik,
        applicant_email=(pj["email"] or business["email_perusahaan"])[:254] if account is None else "",
        applicant_phone=pj["hp"][:20] if account is None else "")
    file = OssFile.objects.create(
        application=application, id_izin=id_izin, kd_izin=str(item["kd_izin"]).strip(),
        nama_izin=str(item.get("nama_izin") or "")[:255], kd_daerah=str(item["kd_daerah"]).strip(),
        nib=business["nib"], oss_id=str(item.get("oss_id") or data.get("oss_id") or "")[:25],
        id_proyek=str(item.get("id_proyek") or "")[:25], id_produk=str(item.get("id_produk") or "")[:25],
        business=business, received_at=now)
    if account is None and nik:
        from permits.oss.services import oss_holder_wait

        oss_holder_wait(file=file, nik=nik)
    answers = form_from_business(permit_type, business)
    if answers:
        application_form_save(application=application, data=answers)
    try:
        with transaction.atomic():
            application_submit(application=application, actor=account)  # complete already: code 10 follows
    except ApplicationIncomplete:
        from permits.oss.reporting import oss_status_enqueue

        oss_status_enqueue(file=file, kd_status="11", key=f"received:{file.pk}:11",
                           keterangan="Dokumen permohonan belum lengkap; pelaku usaha melengkapi di Pintu.")
    audit_record(actor=account, action="oss.receive_nib", target=application,
                 detail={"id_izin": id_izin, "kd_izin": file.kd_izin, "nib": file.nib})
    return file


def _items_by_regency(data: dict, caller: Regency) -> tuple[list[dict], list[dict]]:
    """(items for the calling regency, errors) among the kewenangan-02 items."""
    errors, mine = [], []
    known = set(Regency.objects.exclude(code__isnull=True).values_list("code", flat=True))
    for i, item in enumerate(data["data_checklist"]):
        if str(item.get("kewenangan")).strip() != pia.KEWENANGAN_KABKOTA:
            continue
        code = region_of(str(item["kd_daerah"]))
        if not code or code not in known:
            errors.append(pia.error(f"dataNIB.data_checklist[{i}].kd_daerah",
                                    f"daerah {item['kd_daerah']} tidak terdaftar di Pintu"))
        elif code == caller.code:
            mine.append(item)
    if not errors and not mine:
        errors.append(pia.error("dataNIB.data_checklist",
                                f"tidak ada izin kewenangan 02 untuk {caller.name} (kd_daerah {caller.code})"))
    return mine, errors


def _inbound(*, method, status, regency=None, nib="", id_izin=(), keterangan="", errors=(), body=b"", created=0):
    try:
        OssInbound.objects.create(received_at=timezone.now(), method=method, regency=regency, http_status=status,
                                  nib=str(nib)[:13], id_izin=list(id_izin)[:50], keterangan=keterangan[:255],
                                  errors=list(errors)[:50], body_excerpt=body[:4000].decode("utf-8", "replace"),
                                  created_applications=created)
    except Exception:  # noqa: BLE001 - the log of a call must never change the answer to it
        log.exception("oss: could not store an inbound call")


def oss_nib_receive(*, body: bytes, user_key: str) -> tuple[int, dict]:
    """Handle one receiveNIB call; returns (HTTP status, answer in the PIA's shape)."""
    method = "receiveNIB"
    if len(body) > max_body_bytes():
        message = f"Ukuran data melebihi batas {max_body_bytes()} byte"
        _inbound(method=method, status=413, keterangan=message, body=body[:200])
        return 413, pia.receive_response(method, ok=False, keterangan=message,
                                         errors=[pia.error("body", message)])
    regency = oss_regency_for_key(user_key)
    if regency is None:
        _inbound(method=method, status=401, keterangan=pia.RESPONSE_CODES[401], body=body)
        return 401, pia.receive_response(method, ok=False, keterangan=pia.RESPONSE_CODES[401],
                                         errors=[pia.error("user_key", "tidak dikenal")])
    nib, ids = "", []
    try:
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise OssRefused(errors=[pia.error("body", f"bukan JSON yang sah ({exc.__class__.__name__})")]) from exc
        data = nib_payload_check(payload)
        nib = data["nib"]
        mine, errors = _items_by_regency(data, regency)
        if errors:
            raise OssRefused(errors=errors)
        ids = [str(item["id_izin"]) for item in mine]
        created = _receive_in_regency(regency=regency, data=data, items=mine)
    except OssRefused as exc:
        keterangan = pia.RESPONSE_CODES[exc.status] + ": " + "; ".join(
            f"{e['field']} {e['reason']}" for e in exc.errors[:5])
        _inbound(method=method, status=exc.status, regency=regency, nib=nib, id_izin=ids, keterangan=keterangan,
                 errors=exc.errors, body=body)
        return exc.status, pia.receive_response(method, ok=False, keterangan=keterangan, errors=exc.errors)
    keterangan = (f"Berhasil menyimpan data: {created} permohonan baru di {regency.name}" if created
                  else f"Data sudah diterima sebelumnya di {regency.name}")
    _inbound(method=method, status=200, regency=regency, nib=nib, id_izin=ids, keterangan=keterangan, body=body,
             created=created)
    return 200, pia.receive_response(method, ok=True, keterangan=keterangan)


@contextmanager
def _regency_urls():
    """The call arrives on the apex, but links written while creating a file (notifications) are the
    regency's own pages: reverse them with the regency URLconf meanwhile."""
    previous = get_urlconf()
    set_urlconf(settings.ROOT_URLCONF)
    try:
        yield
    finally:
        set_urlconf(previous)


def _receive_in_regency(*, regency: Regency, data: dict, items: list[dict]) -> int:
    now = timezone.now()
    with schema_context(regency.schema_name), _regency_urls():
        with transaction.atomic():  # the codes seen are recorded even when the call is refused
            mappings = _mapping_seen(items, now)
        unmapped = [(i, item) for i, item in enumerate(items)
                    if mappings[str(item["kd_izin"]).strip()].permit_type_id is None]
        if unmapped:
            raise OssRefused(errors=[pia.error(
                "dataNIB.data_checklist.kd_izin",
                f"kode izin {item['kd_izin']} belum dipetakan ke jenis izin {regency.name}") for _, item in unmapped])
        from permits.errors import PermitTypeNotOffered
        from pintu.errors import DomainError

        try:
            with transaction.atomic():  # all items or none
                created = 0
                for item in items:
                    permit_type = mappings[str(item["kd_izin"]).strip()].permit_type
                    if _file_create(data=data, item=item, permit_type=permit_type, now=now) is not None:
                        created += 1
                if created:
                    health, _ = OssHealth.objects.get_or_create(regency=regency)
                    OssHealth.objects.filter(pk=health.pk).update(files_received=F("files_received") + created)
        except IntegrityError as exc:  # the same id_izin sent twice at the same moment: the other call won
            raise OssRefused("Data sedang diproses", errors=[pia.error("dataNIB.data_checklist.id_izin",
                                                                       "sedang diproses oleh panggilan lain")]) from exc
        except PermitTypeNotOffered as exc:
            raise OssRefused(errors=[pia.error("dataNIB.data_checklist.kd_izin", exc.message)]) from exc
        except DomainError as exc:
            raise OssRefused(errors=[pia.error("dataNIB", exc.message)]) from exc
    return created


# --- receiveFileDS -----------------------------------------------------------------------------


def oss_file_ds_receive(*, body: bytes, user_key: str) -> tuple[int, dict]:
    """OSS hands back a file it signed electronically; kept on the OSS file of that id_izin."""
    method = "receiveFileDS"
    if len(body) > max_body_bytes():
        return 413, pia.receive_response(method, ok=False, keterangan="Ukuran data melebihi batas")
    regency = oss_regency_for_key(user_key)
    if regency is None:
        _inbound(method=method, status=401, keterangan=pia.RESPONSE_CODES[401], body=body)
        return 401, pia.receive_response(method, ok=False, keterangan=pia.RESPONSE_CODES[401])
    errors: list[dict] = []
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        payload = None
    data = payload.get("receiveFileDS") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        errors.append(pia.error("receiveFileDS", "wajib diisi"))
    else:
        _check(data, pia.FILE_DS_FIELDS, "receiveFileDS", errors)
    if not errors:
        with schema_context(regency.schema_name), transaction.atomic():
            # The file's row is the OSS queue's, which a decision locks after the audit chain: same order here.
            audit_lock()
            file = OssFile.objects.select_for_update().filter(id_izin=str(data["id_izin"]).strip(),
                                                             nib=str(data["nib"]).strip()).first()
            if file is None:
                errors.append(pia.error("receiveFileDS.id_izin", f"tidak ada di {regency.name}"))
            else:
                file.signed_file_url = str(data["file_izin"])
                file.save(update_fields=["signed_file_url"])
                audit_record(actor=None, action="oss.receive_file_ds", target=file.application,
                             detail={"id_izin": file.id_izin})
    status = 404 if errors and errors[0]["field"] == "receiveFileDS.id_izin" else (400 if errors else 200)
    keterangan = pia.RESPONSE_CODES[status] + ("" if not errors else ": " + errors[0]["field"] + " " + errors[0]["reason"])
    _inbound(method=method, status=status, regency=regency, nib=str((data or {}).get("nib") or ""), errors=errors,
             keterangan=keterangan, body=body)
    return status, pia.receive_response(method, ok=not errors, keterangan=keterangan, errors=errors)
