"""Electronic signatures on permits behind one interface, `DocumentSigner`:

- `sign(pdf_bytes, signer=official) -> bytes` — a PAdES-signed PDF;
- `signer_status(official) -> SignerStatus` — ok / expired / revoked / unknown with an Indonesian
  reason, asked *before* a file is routed to the official (`signer_require_ready`);
- `verify(pdf_bytes) -> VerifyResult` — valid, intact, signer name, signing time.

Adapters: `LocalPadesSigner` (pyHanko with the regency's certificate: the development identity
made at provisioning, or a configured PKCS#12 in production) and `BsreSigner` (the national CA's
signing API: POST /api/sign/pdf, GET /api/user/status/{nik}, POST /api/sign/verify).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

# Imported with the module, not at the first signing: pyHanko takes ~1 s to import, which a worker
# would otherwise add to the first permit it issues after every (re)start.
from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from permits.documents.errors import SignerNotReady, SigningFailed, SigningUnavailable

State = Literal["ok", "expired", "revoked", "unknown"]


@dataclass(frozen=True)
class SigningOfficial:
    """Who signs: the official holding authority (their NIK identifies them at the national CA)."""
    name: str
    position: str = ""
    nik: str = ""
    passphrase: str = ""    # typed by the official at signing time; never stored


@dataclass(frozen=True)
class SignerStatus:
    state: State
    reason: str

    @property
    def ok(self) -> bool:
        return self.state == "ok"


@dataclass(frozen=True)
class VerifyResult:
    valid: bool          # intact, and made by a certificate we trust
    intact: bool         # not a byte changed since signing
    signer_name: str = ""
    signed_at: dt.datetime | None = None
    summary: str = ""    # Indonesian, for the verification page


class DocumentSigner(Protocol):
    def sign(self, pdf_bytes: bytes, *, signer: SigningOfficial) -> bytes: ...

    def signer_status(self, signer: SigningOfficial) -> SignerStatus: ...

    def verify(self, pdf_bytes: bytes) -> VerifyResult: ...


def signer_require_ready(*, backend: DocumentSigner, official: SigningOfficial) -> SignerStatus:
    """Refuse to route a file to an official whose certificate cannot sign (expired, revoked, unknown)."""
    status = backend.signer_status(official)
    if not status.ok:
        raise SignerNotReady(status.reason, code=f"signer_certificate_{status.state}", state=status.state)
    return status


def certificate_status(certificate: x509.Certificate, *, now: dt.datetime | None = None) -> SignerStatus:
    now = now or dt.datetime.now(dt.timezone.utc)
    until = certificate.not_valid_after_utc.astimezone(ZoneInfo("Asia/Jakarta"))
    if now > certificate.not_valid_after_utc:
        return SignerStatus("expired", f"Sertifikat elektronik kedaluwarsa sejak {until:%d-%m-%Y}. "
                                       "Perpanjang sertifikat sebelum menandatangani.")
    if now < certificate.not_valid_before_utc:
        return SignerStatus("unknown", "Sertifikat elektronik belum berlaku.")
    return SignerStatus("ok", f"Sertifikat elektronik aktif sampai {until:%d-%m-%Y}.")


# --- validation with pyHanko, shared by the local adapter and the tests' national-CA server ----------


def pades_verify(pdf_bytes: bytes, *, trust_roots: list[asn1_x509.Certificate]) -> VerifyResult:
    """Validate the last signature of a PDF against `trust_roots`; never raises on a broken file."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return VerifyResult(False, False, summary="Dokumen tidak memiliki tanda tangan elektronik.")
        context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
        status = validate_pdf_signature(signatures[-1], context)
    except Exception:  # noqa: BLE001 - a tampered file can break the parser in many ways
        return VerifyResult(False, False, summary="Dokumen rusak atau telah diubah; tanda tangan tidak dapat diperiksa.")
    intact = bool(status.intact and status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
    valid = bool(intact and status.valid and status.trusted)
    name = status.signing_cert.subject.native.get("common_name", "") if status.signing_cert else ""
    if valid:
        summary = "Tanda tangan elektronik sah dan dokumen tidak berubah sejak ditandatangani."
    elif not intact:
        summary = "Dokumen telah diubah setelah ditandatangani; tanda tangan tidak sah."
    else:
        summary = "Tanda tangan dibuat dengan sertifikat yang tidak dipercaya."
    return VerifyResult(valid, intact, name, status.signer_reported_dt, summary)


# --- adapter 1: local PAdES ---------------------------------------------------------------------


class LocalPadesSigner:
    """Sign with a certificate and key held by the platform (per regency in development)."""

    def __init__(self, *, pyhanko_signer, certificate: x509.Certificate, trust_roots: list[asn1_x509.Certificate],
                 location: str = ""):
        self._signer = pyhanko_signer
        self._bytes_reserved: int | None = None
        self.certificate = certificate
        self.trust_roots = trust_roots
        self.location = location

    @classmethod
    def from_identity(cls, identity, *, location: str = "") -> LocalPadesSigner:
        """From a `pintu.storage.signing_identity.SigningIdentity` (PEM CA, cert, encrypted key)."""
        return _identity_signer(identity.cert_pem, identity.ca_cert_pem, identity.key_pem, identity.key_password,
                                location)

    @classmethod
    def for_regency(cls, regency) -> LocalPadesSigner:
        """The current regency's development identity (made now if provisioning did not)."""
        from pintu.storage.signing_identity import regency_signing_identity_create

        place = regency.name.replace("Kab. ", "").replace("Kota ", "")
        return cls.from_identity(regency_signing_identity_create(regency), location=place)

    @classmethod
    def from_pkcs12(cls, path: str, password: str, *, trust_root_paths: list[str] = ()) -> LocalPadesSigner:
        """Production: the regency's certificate from a configured PKCS#12 file (opened once per process
        and file version: its key derivation is deliberately slow)."""
        try:
            version = os.stat(path).st_mtime_ns
        except OSError:
            raise SigningFailed("Berkas sertifikat (PKCS#12) tidak dapat dibuka: periksa path dan kata sandinya.") from None
        return _pkcs12_signer(path, version, password, tuple(trust_root_paths))

    @classmethod
    def _open_pkcs12(cls, path: str, password: str, trust_root_paths: tuple[str, ...]) -> LocalPadesSigner:
        signer = SimpleSigner.load_pkcs12(path, passphrase=password.encode() if password else None)
        if signer is None:
            raise SigningFailed("Berkas sertifikat (PKCS#12) tidak dapat dibuka: periksa path dan kata sandinya.")
        with open(path, "rb") as handle:
            _, cert, extra = pkcs12.load_key_and_certificates(handle.read(), password.encode() if password else None)
        roots = [load_cert_from_pemder(p) for p in trust_root_paths] or [
            asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in (extra or [])]
        return cls(pyhanko_signer=signer, certificate=cert, trust_roots=roots)

    def signer_status(self, signer: SigningOfficial) -> SignerStatus:
        return certificate_status(self.certificate)

    def sign(self, pdf_bytes: bytes, *, signer: SigningOfficial) -> bytes:
        signer_require_ready(backend=self, official=signer)
        meta = signers.PdfSignatureMetadata(
            field_name="TandaTanganPejabat",
            name=signer.name or None,
            reason=f"Penetapan izin oleh {signer.position or signer.name}"[:200],
            location=self.location or None,
        )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
            signed = signers.sign_pdf(writer, meta, signer=self._signer, bytes_reserved=self._bytes_reserved).getvalue()
        except Exception as exc:  # noqa: BLE001 - pyHanko raises several kinds for a malformed input
            raise SigningFailed(f"Penandatanganan elektronik gagal: berkas PDF tidak dapat diproses ({type(exc).__name__}).") from exc
        if self._bytes_reserved is None:
            self._bytes_reserved = _space_reserved(signed)
        return signed

    def verify(self, pdf_bytes: bytes) -> VerifyResult:
        return pades_verify(pdf_bytes, trust_roots=self.trust_roots)


def _space_reserved(signed: bytes) -> int:
    """How much room pyHanko left for the signature in `signed` (its /Contents placeholder).

    Without a size given, pyHanko signs every document twice: once with a dummy digest only to
    measure the signature, then for real (~40 % of signing). That size depends on the signer
    (its certificates, key and digest), never on the document, so it is measured at the first
    signing and reused: this object is one signer identity (`_identity_signer`, `_pkcs12_signer`)."""
    (signature, *_) = reversed(PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures)
    _, start, end, _ = (int(value) for value in signature.sig_object["/ByteRange"])
    return end - start - 2  # the hole in the byte range is "<" + the hex placeholder + ">"


# --- adapter 2: the national certificate authority's API (BSrE) ----------------------------------

# Status words of GET /api/user/status/{nik}, mapped to ours.
BSRE_STATES: dict[str, tuple[State, str]] = {
    "ISSUE": ("ok", "Sertifikat elektronik aktif."),
    "EXPIRED": ("expired", "Sertifikat elektronik penandatangan sudah kedaluwarsa. Ajukan perpanjangan ke BSrE sebelum menandatangani."),
    "RENEW": ("expired", "Sertifikat elektronik penandatangan perlu diperpanjang di BSrE."),
    "REVOKE": ("revoked", "Sertifikat elektronik penandatangan telah dicabut. Hubungi koordinator TTE instansi."),
    "SUSPEND": ("revoked", "Sertifikat elektronik penandatangan sedang dibekukan. Hubungi koordinator TTE instansi."),
    "NOT_REGISTERED": ("unknown", "NIK penandatangan tidak terdaftar di BSrE."),
    "NO_CERTIFICATE": ("unknown", "Penandatangan belum memiliki sertifikat elektronik di BSrE."),
    "NEW": ("unknown", "Pendaftaran sertifikat elektronik penandatangan belum selesai."),
    "WAITING_FOR_VERIFICATION": ("unknown", "Sertifikat elektronik penandatangan masih menunggu verifikasi BSrE."),
}


class BsreSigner:
    """Client of the BSrE e-sign client service (basic auth), speaking its v1 request/response format."""

    def __init__(self, *, base_url: str, username: str, password: str, timeout: float = 30.0,
                 tampilan: Literal["invisible", "visible"] = "invisible", verification_url: str = ""):
        import urllib3

        self.base_url = base_url.rstrip("/")
        self.timeout = urllib3.Timeout(connect=5.0, read=timeout)
        self.headers = urllib3.make_headers(basic_auth=f"{username}:{password}")
        self.tampilan = tampilan
        self.verification_url = verification_url
        self._http = urllib3.PoolManager(retries=False)

    def _request(self, method: str, path: str, *, fields: dict | None = None):
        import urllib3

        try:
            if fields is None:
                return self._http.request(method, self.base_url + path, headers=self.headers, timeout=self.timeout)
            body, content_type = urllib3.encode_multipart_formdata(fields)
            return self._http.request(method, self.base_url + path, body=body, timeout=self.timeout,
                                      headers={**self.headers, "Content-Type": content_type})
        except urllib3.exceptions.HTTPError:
            raise SigningUnavailable() from None

    @staticmethod
    def _json(response) -> dict:
        try:
            data = json.loads(response.data.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def signer_status(self, signer: SigningOfficial) -> SignerStatus:
        if not (signer.nik.isdigit() and len(signer.nik) == 16):
            return SignerStatus("unknown", "NIK penandatangan belum diisi dengan benar (16 digit).")
        response = self._request("GET", f"/api/user/status/{signer.nik}")
        if response.status >= 500:
            raise SigningUnavailable()
        if response.status in (401, 403):
            raise SigningFailed("Aplikasi ditolak oleh layanan BSrE (kredensial klien salah).", code="signing_client_rejected")
        body = self._json(response)
        state, reason = BSRE_STATES.get(str(body.get("status", "")).upper(),
                                        ("unknown", "Status sertifikat penandatangan tidak dikenal di BSrE."))
        return SignerStatus(state, reason)

    def sign(self, pdf_bytes: bytes, *, signer: SigningOfficial) -> bytes:
        signer_require_ready(backend=self, official=signer)
        if not signer.passphrase:
            raise SigningFailed("Passphrase sertifikat elektronik wajib diisi.", code="signing_passphrase_missing")
        fields = {"nik": signer.nik, "passphrase": signer.passphrase, "tampilan": self.tampilan,
                  "reason": f"Penetapan izin oleh {signer.position or signer.name}"[:200],
                  "file": ("dokumen.pdf", pdf_bytes, "application/pdf")}
        if self.tampilan == "visible":
            fields.update({"image": "false", "linkQR": self.verification_url, "page": "1",
                           "xAxis": "60", "yAxis": "60", "width": "120", "height": "60"})
        response = self._request("POST", "/api/sign/pdf", fields=fields)
        if response.status == 200 and response.data.startswith(b"%PDF-"):
            return response.data
        if response.status >= 500 and not self._json(response):
            raise SigningUnavailable()
        error = self._json(response).get("error") or self._json(response).get("message") or f"HTTP {response.status}"
        raise SigningFailed(f"Penandatanganan ditolak oleh BSrE: {error}", bsre_status=response.status)

    def verify(self, pdf_bytes: bytes) -> VerifyResult:
        response = self._request("POST", "/api/sign/verify",
                                 fields={"signed_file": ("dokumen.pdf", pdf_bytes, "application/pdf")})
        if response.status >= 500:
            raise SigningUnavailable()
        body = self._json(response)
        details = body.get("details") or []
        if not body.get("jumlah_signature") or not details:
            return VerifyResult(False, False, summary="Dokumen tidak memiliki tanda tangan elektronik.")
        documents = [d.get("signature_document") or {} for d in details]
        intact = all(doc.get("document_integrity") is True for doc in documents)
        valid = intact and str(body.get("summary", "")).upper() == "VALID"
        last = details[-1]
        signed_at = _bsre_time(documents[-1].get("signed_in"))
        return VerifyResult(valid, intact, (last.get("info_signer") or {}).get("signer_name", ""), signed_at,
                            str(body.get("notes") or body.get("summary") or ""))


def _bsre_time(value) -> dt.datetime | None:
    """BSrE writes '2024-06-25 16:36:41.503' in WIB."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo("Asia/Jakarta"))


# One signer per identity and process: parsing the certificates and decrypting the key happen once, not
# at every permit. Keyed by the identity's content (or the PKCS#12 file's version), so a replaced
# certificate is used at once.
@lru_cache(maxsize=64)
def _identity_signer(cert_pem: bytes, ca_cert_pem: bytes, key_pem: bytes, key_password: bytes,
                     location: str) -> LocalPadesSigner:
    (cert,) = load_certs_from_pemder_data(cert_pem)
    (root,) = load_certs_from_pemder_data(ca_cert_pem)
    key = load_private_key_from_pemder_data(key_pem, passphrase=key_password)
    signer = SimpleSigner(signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore.from_certs([root]))
    return LocalPadesSigner(pyhanko_signer=signer, certificate=x509.load_pem_x509_certificate(cert_pem),
                            trust_roots=[root], location=location)


@lru_cache(maxsize=8)
def _pkcs12_signer(path: str, version: int, password: str, trust_root_paths: tuple[str, ...]) -> LocalPadesSigner:
    return LocalPadesSigner._open_pkcs12(path, password, trust_root_paths)


def signer_for_regency(regency) -> DocumentSigner:
    """The configured signer: PERMIT_SIGNING_BACKEND=bsre (national CA), or local PAdES (PKCS#12 if configured,
    else the regency's development identity)."""
    from django.conf import settings

    backend = getattr(settings, "PERMIT_SIGNING_BACKEND", "local")
    if backend == "bsre":
        return BsreSigner(base_url=settings.BSRE_BASE_URL, username=settings.BSRE_USERNAME,
                          password=settings.BSRE_PASSWORD)
    if getattr(settings, "SIGNING_PKCS12_PATH", ""):
        return LocalPadesSigner.from_pkcs12(settings.SIGNING_PKCS12_PATH, settings.SIGNING_PKCS12_PASSWORD,
                                            trust_root_paths=getattr(settings, "SIGNING_TRUST_ROOTS", []))
    return LocalPadesSigner.for_regency(regency)
