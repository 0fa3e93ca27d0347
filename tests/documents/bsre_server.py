"""A stand-in for the national CA's e-sign client service (tests only): a threaded HTTP server on
127.0.0.1 speaking its v1 format — basic auth; POST /api/sign/pdf (multipart: nik, passphrase,
tampilan, file) answering the signed PDF with an `id_dokumen` header; GET /api/user/status/{nik};
POST /api/sign/verify (multipart: signed_file) answering nama_dokumen/jumlah_signature/details/summary.
It really signs, with pyHanko and a certificate per registered NIK under its own root.
"""
from __future__ import annotations

import base64
import datetime as dt
import email.parser
import email.policy
import io
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

STATUS_CODES = {"ISSUE": 1111, "EXPIRED": 2031, "REVOKE": 2032, "NOT_REGISTERED": 1110}


@dataclass
class Holder:
    name: str
    passphrase: str
    status: str = "ISSUE"


@dataclass
class NationalCA:
    username: str = "pintu-client"
    password: str = "rahasia-klien"
    holders: dict[str, Holder] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self):
        now = dt.datetime.now(dt.timezone.utc)
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Uji Balai Sertifikasi Elektronik")])
        self.root = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                     .public_key(self.root_key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                     .sign(self.root_key, hashes.SHA256()))
        self._signers: dict[str, object] = {}

    @property
    def root_asn1(self):
        from asn1crypto import x509 as asn1_x509

        return asn1_x509.Certificate.load(self.root.public_bytes(serialization.Encoding.DER))

    def signer_for(self, nik: str):
        if nik not in self._signers:
            from asn1crypto import keys as asn1_keys
            from pyhanko.sign.signers import SimpleSigner
            from pyhanko_certvalidator.registry import SimpleCertificateStore

            now = dt.datetime.now(dt.timezone.utc)
            key = ec.generate_private_key(ec.SECP256R1())
            cert = (x509.CertificateBuilder()
                    .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, self.holders[nik].name)]))
                    .issuer_name(self.root.subject).public_key(key.public_key())
                    .serial_number(x509.random_serial_number())
                    .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=30))
                    .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
                    .sign(self.root_key, hashes.SHA256()))
            from asn1crypto import x509 as asn1_x509

            self._signers[nik] = SimpleSigner(
                signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
                signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
                    serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
                cert_registry=SimpleCertificateStore.from_certs([self.root_asn1]))
        return self._signers[nik]


def _multipart(handler: BaseHTTPRequestHandler) -> dict[str, bytes]:
    length = int(handler.headers.get("Content-Length", "0"))
    raw = (f"Content-Type: {handler.headers['Content-Type']}\r\n\r\n").encode() + handler.rfile.read(length)
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.iter_parts()}


def make_handler(ca: NationalCA):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json", headers=None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: dict):
            self._send(status, json.dumps(data).encode())

        def _authorised(self) -> bool:
            expected = "Basic " + base64.b64encode(f"{ca.username}:{ca.password}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                self._json(401, {"error": "Unauthorized", "status_code": 401})
                return False
            return True

        def do_GET(self):
            ca.requests.append(("GET", self.path))
            if not self._authorised():
                return
            if self.path.startswith("/api/user/status/"):
                nik = self.path.rsplit("/", 1)[-1]
                holder = ca.holders.get(nik)
                status = holder.status if holder else "NOT_REGISTERED"
                messages = {"ISSUE": "Sertifikat AKTIF", "EXPIRED": "Sertifikat KADALUARSA",
                            "REVOKE": "Sertifikat DICABUT", "NOT_REGISTERED": "User tidak terdaftar"}
                return self._json(200, {"status_code": STATUS_CODES[status], "message": messages[status],
                                        "status": status})
            self._json(404, {"error": "Not found"})

        def do_POST(self):
            ca.requests.append(("POST", self.path))
            if not self._authorised():
                return
            fields = _multipart(self)
            if self.path == "/api/sign/pdf":
                return self._sign(fields)
            if self.path == "/api/sign/verify":
                return self._verify(fields)
            self._json(404, {"error": "Not found"})

        def _sign(self, fields):
            from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
            from pyhanko.sign import signers

            nik = (fields.get("nik") or b"").decode()
            holder = ca.holders.get(nik)
            if holder is None or holder.status != "ISSUE":
                return self._json(400, {"error": "User tidak terdaftar atau sertifikat tidak aktif", "status_code": 2021})
            if (fields.get("passphrase") or b"").decode() != holder.passphrase:
                return self._json(400, {"error": "Passphrase anda salah", "status_code": 2031})
            if (fields.get("tampilan") or b"").decode() not in {"visible", "invisible"}:
                return self._json(400, {"error": "Parameter tampilan tidak valid", "status_code": 2000})
            writer = IncrementalPdfFileWriter(io.BytesIO(fields["file"]))
            meta = signers.PdfSignatureMetadata(field_name="BSrE", reason=(fields.get("reason") or b"").decode() or None)
            signed = signers.sign_pdf(writer, meta, signer=ca.signer_for(nik)).getvalue()
            self._send(200, signed, "application/pdf", {"id_dokumen": uuid.uuid4().hex})

        def _verify(self, fields):
            from permits.documents.signing import pades_verify

            result = pades_verify(fields.get("signed_file") or b"", trust_roots=[ca.root_asn1])
            if not result.intact and not result.signer_name and "tidak memiliki" in result.summary:
                return self._json(200, {"nama_dokumen": "dokumen.pdf", "jumlah_signature": 0, "notes": "",
                                        "details": [], "summary": "NOT_SIGNED"})
            signed_in = result.signed_at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] \
                if result.signed_at else None
            self._json(200, {
                "nama_dokumen": "dokumen.pdf",
                "jumlah_signature": 1,
                "notes": "Dokumen valid, Sertifikat yang digunakan terpercaya" if result.valid else "Dokumen tidak valid",
                "details": [{
                    "info_tsa": {"name": "", "tsa_cert_validity": None},
                    "signature_field": "BSrE",
                    "info_signer": {"issuer_dn": "CN=Uji Balai Sertifikasi Elektronik", "signer_name": result.signer_name,
                                    "signer_cert_validity": "", "signer_dn": f"CN={result.signer_name}",
                                    "cert_user_certified": result.valid},
                    "signature_document": {"signed_using_tsa": False, "reason": "", "document_integrity": result.intact,
                                           "signature_value": None, "signed_in": signed_in, "location": None,
                                           "hash_value": None},
                }],
                "summary": "VALID" if result.valid else "INVALID",
            })

    return Handler


class NationalCAServer:
    def __init__(self, ca: NationalCA):
        self.ca = ca
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(ca))
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> NationalCAServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
