"""The certificate chain a regency's permits are signed under, as the platform publishes it.

A clinic or a bank that downloads a permit must be able to validate its signature (pyHanko, poppler's
`pdfsig`, Acrobat) with nothing but what the platform publishes: the verification page links to
`/verifikasi/sertifikat-akar.pem`, which serves this chain. Which chain depends on the signer in use:

- the regency's development identity (local PAdES, no PKCS#12 configured): its own root (`ca.pem`);
- a configured PKCS#12, or the national CA (BSrE): the roots named by `SIGNING_TRUST_ROOTS`
  (for a PKCS#12 without them, the CA certificates the file carries).

Only `cryptography` here, no pyHanko: the public page that links to it stays light; and it is imported
inside the functions, so that start-up (every command, worker and test process) does not pay for it.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from cryptography import x509


def _pem_of(data: bytes) -> list[x509.Certificate]:
    """Certificates in a PEM bundle or one DER file."""
    from cryptography import x509

    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def trust_roots_published() -> bytes:
    """The PEM chain of the current regency's signer; empty when nothing can sign here yet."""
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    certificates: list[x509.Certificate] = []
    paths = list(getattr(settings, "SIGNING_TRUST_ROOTS", []) or [])
    pkcs12_path = getattr(settings, "SIGNING_PKCS12_PATH", "")
    if getattr(settings, "PERMIT_SIGNING_BACKEND", "local") == "bsre" or pkcs12_path:
        for path in paths:
            with open(path, "rb") as handle:
                certificates += _pem_of(handle.read())
        if not certificates and pkcs12_path:
            password = settings.SIGNING_PKCS12_PASSWORD
            with open(pkcs12_path, "rb") as handle:
                _, _, extra = pkcs12.load_key_and_certificates(handle.read(),
                                                               password.encode() if password else None)
            certificates += list(extra or [])
    else:
        from pintu.storage.services import regency_file_read
        from pintu.storage.signing_identity import CA_FILE

        root = regency_file_read(CA_FILE)
        certificates += _pem_of(root) if root else []
    return b"".join(c.public_bytes(Encoding.PEM) for c in certificates)


def fingerprint_sha256(pem: bytes) -> str:
    """The SHA-256 fingerprint of the first certificate (what a person compares aloud), AA:BB:… form."""
    from cryptography.hazmat.primitives.serialization import Encoding

    if not pem:
        return ""
    digest = hashlib.sha256(_pem_of(pem)[0].public_bytes(Encoding.DER)).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))
