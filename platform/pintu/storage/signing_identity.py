"""A regency's own signing certificate for development and demos: a self-signed root (CA) and a
signer certificate for the one-stop office, made at provisioning and kept in the regency's
private storage (`<schema>/signing/`). The private key is stored encrypted with a password
derived from SECRET_KEY and the regency. Production signs with a configured PKCS#12 or the
national CA instead (see permits.documents.signing).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.db import connection

from pintu.audit.services import audit_record
from pintu.errors import DomainError
from pintu.storage.services import regency_file_read, regency_file_write, regency_prefix

CA_FILE, CERT_FILE, KEY_FILE = "signing/ca.pem", "signing/signer.pem", "signing/signer-key.pem"
VALID_DAYS = 730


@dataclass(frozen=True)
class SigningIdentity:
    ca_cert_pem: bytes
    cert_pem: bytes
    key_pem: bytes        # PKCS#8, encrypted with `key_password`
    key_password: bytes

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem)

    @property
    def ca_certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.ca_cert_pem)


def signing_key_password(schema_name: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"pintu.signing:{schema_name}".encode(), hashlib.sha256).hexdigest().encode()


#: X.509's description attribute (2.5.4.13, up to 1024 characters): the full name lives here.
DESCRIPTION_OID = x509.ObjectIdentifier("2.5.4.13")
#: RFC 5280's upper bound on a common name, an organization's and an organizational unit's name.
NAME_LIMIT = 64
_LONG_OFFICE = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"


def short_common_name(name: str) -> str:
    """A common name within X.509's 64 characters that still reads whole (it was cut mid-word:
    "…Satu Pintu Kota Tang"): the office's long title becomes DPMPTSP, then whole words only."""
    name = " ".join(name.split())
    if len(name) <= NAME_LIMIT:
        return name
    name = name.replace(_LONG_OFFICE, "DPMPTSP")
    if len(name) <= NAME_LIMIT:
        return name
    words, kept = name.split(" "), ""
    for word in words:
        if len(f"{kept} {word}".strip()) > NAME_LIMIT - 1:
            break
        kept = f"{kept} {word}".strip()
    return f"{kept}…" if kept else name[:NAME_LIMIT - 1] + "…"


def _name(common_name: str, regency_name: str) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, short_common_name(regency_name)),
        x509.NameAttribute(NameOID.COMMON_NAME, short_common_name(common_name)),
    ]
    full = " ".join(common_name.split())
    if len(full) <= NAME_LIMIT:
        return x509.Name(attributes)
    # The full name, uncut, where X.509 allows it.
    return x509.Name([*attributes, x509.NameAttribute(DESCRIPTION_OID, full[:1024])])


def regency_signing_identity_create(regency, *, replace: bool = False, valid_days: int = VALID_DAYS,
                                    now: dt.datetime | None = None) -> SigningIdentity:
    """Give the regency a development signing certificate, unless it already has one (then return it)."""
    if regency.schema_name != getattr(connection, "schema_name", None):
        raise DomainError("Identitas tanda tangan hanya dapat dibuat dalam lingkup daerahnya sendiri.",
                          code="signing_identity_wrong_regency")
    regency_prefix()
    if not replace:
        existing = regency_signing_identity_load()
        if existing is not None:
            return existing
    now = now or dt.datetime.now(dt.timezone.utc)
    office = regency.office_name or f"DPMPTSP {regency.name}"
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"Pintu Dev CA {regency.name}", regency.name)
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=valid_days + 1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = (
        x509.CertificateBuilder().subject_name(_name(office, regency.name)).issuer_name(ca_name)
        .public_key(signer_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    password = signing_key_password(regency.schema_name)
    identity = SigningIdentity(
        ca_cert_pem=ca_cert.public_bytes(serialization.Encoding.PEM),
        cert_pem=signer_cert.public_bytes(serialization.Encoding.PEM),
        key_pem=signer_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.BestAvailableEncryption(password)),
        key_password=password,
    )
    # The CA key is thrown away: nothing else can ever be issued under this root.
    regency_file_write(name=KEY_FILE, data=identity.key_pem, replace=True)
    regency_file_write(name=CERT_FILE, data=identity.cert_pem, replace=True)
    regency_file_write(name=CA_FILE, data=identity.ca_cert_pem, replace=True)
    audit_record(actor=None, action="signing.identity_create", detail={
        "subject": office, "not_after": signer_cert.not_valid_after_utc.isoformat(),
        "fingerprint_sha256": signer_cert.fingerprint(hashes.SHA256()).hex(),
    })
    return identity


def regency_signing_identity_load() -> SigningIdentity | None:
    """The current regency's development signing identity, or None when it has none."""
    ca_pem, cert_pem, key_pem = (regency_file_read(name) for name in (CA_FILE, CERT_FILE, KEY_FILE))
    if not (ca_pem and cert_pem and key_pem):
        return None
    return SigningIdentity(ca_cert_pem=ca_pem, cert_pem=cert_pem, key_pem=key_pem,
                           key_password=signing_key_password(connection.schema_name))
