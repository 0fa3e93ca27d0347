"""Permits signed with the regency's own certificate validate with pyHanko against that regency's
root; any change after signing is detected; an expired certificate refuses before routing."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django_tenants.utils import schema_context
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from permits.documents.errors import SignerNotReady
from permits.documents.pdf import render_permit_pdf
from permits.documents.signing import LocalPadesSigner, SigningOfficial, signer_require_ready
from pintu.audit.models import AuditEntry
from pintu.storage.services import document_sha256, generated_document_store
from pintu.storage.signing_identity import regency_signing_identity_create, regency_signing_identity_load
from tests.documents.factories import permit_document

pytestmark = pytest.mark.django_db
OFFICIAL = SigningOfficial(name="Drs. Budi Santoso, M.Si", position="Kepala DPMPTSP Kabupaten Trenggalek")


def root_of(identity) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(identity.ca_certificate.public_bytes(serialization.Encoding.DER))


def pyhanko_status(data: bytes, root):
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[root], allow_fetching=False))


@pytest.fixture
def signed(local_storage, trenggalek):
    with schema_context(trenggalek.schema_name):
        signer = LocalPadesSigner.for_regency(trenggalek)
        identity = regency_signing_identity_load()
        return signer.sign(render_permit_pdf(permit_document()), signer=OFFICIAL), identity, signer


def test_identity_is_kept_in_the_regencys_private_storage_with_an_encrypted_key(local_storage, trenggalek):
    with schema_context(trenggalek.schema_name):
        identity = regency_signing_identity_create(trenggalek)
        assert regency_signing_identity_create(trenggalek).cert_pem == identity.cert_pem  # made once
        assert AuditEntry.objects.filter(action="signing.identity_create").exists()
    folder = local_storage / "trenggalek" / "signing"
    assert sorted(p.name for p in folder.iterdir()) == ["ca.pem", "signer-key.pem", "signer.pem"]
    assert b"ENCRYPTED PRIVATE KEY" in (folder / "signer-key.pem").read_bytes()
    subject = identity.certificate.subject.rfc4514_string()
    assert "Satu Pintu" in subject and "C=ID" in subject


def test_signed_permit_validates_with_pyhanko_against_the_regency_root(signed):
    data, identity, _ = signed
    status = pyhanko_status(data, root_of(identity))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    # X.509 limits the common name to 64 characters: the office's long name is abbreviated there
    # (the full name stays in the description attribute, tests/storage/test_signing_identity_names.py).
    common_name = status.signing_cert.subject.native["common_name"]
    assert common_name.startswith("DPMPTSP ") and "Trenggalek" in common_name and len(common_name) <= 64


def test_verify_reports_valid_intact_signer_and_time(signed):
    data, _, signer = signed
    result = signer.verify(data)
    assert (result.valid, result.intact) == (True, True)
    assert result.signer_name.startswith("DPMPTSP ") and "Trenggalek" in result.signer_name
    assert abs((dt.datetime.now(dt.timezone.utc) - result.signed_at).total_seconds()) < 120
    assert "sah" in result.summary


def test_editing_one_byte_after_signing_is_detected(signed):
    data, identity, signer = signed
    tampered = bytearray(data)
    position = data.index(b"/Title")  # inside the signed byte range
    tampered[position + 2] ^= 0x01
    result = signer.verify(bytes(tampered))
    assert (result.valid, result.intact) == (False, False)
    assert "diubah" in result.summary
    assert not pyhanko_status(bytes(tampered), root_of(identity)).intact


def test_content_appended_after_signing_is_not_valid(signed):
    data, _, signer = signed
    appended = data + b"\n1 0 obj\n<< /Injected true >>\nendobj\n%%EOF\n"
    assert signer.verify(appended).valid is False


def test_another_regencys_root_does_not_vouch_for_this_signature(signed, blitar):
    data, _, _ = signed
    with schema_context(blitar.schema_name):
        blitar_signer = LocalPadesSigner.for_regency(blitar)
    result = blitar_signer.verify(data)
    assert result.intact is True and result.valid is False


def test_unsigned_pdf_is_not_valid(signed):
    _, _, signer = signed
    result = signer.verify(render_permit_pdf(permit_document()))
    assert (result.valid, result.intact) == (False, False)
    assert "tidak memiliki tanda tangan" in result.summary


def test_expired_certificate_refuses_before_routing_and_signing(local_storage, trenggalek):
    with schema_context(trenggalek.schema_name):
        regency_signing_identity_create(trenggalek, replace=True, valid_days=1,
                                        now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=10))
        signer = LocalPadesSigner.for_regency(trenggalek)
    status = signer.signer_status(OFFICIAL)
    assert status.state == "expired" and "kedaluwarsa" in status.reason
    with pytest.raises(SignerNotReady) as caught:
        signer_require_ready(backend=signer, official=OFFICIAL)
    assert caught.value.code == "signer_certificate_expired"
    with pytest.raises(SignerNotReady):
        signer.sign(render_permit_pdf(permit_document()), signer=OFFICIAL)


def test_production_pkcs12_certificate_signs_and_validates(local_storage, trenggalek, tmp_path):
    with schema_context(trenggalek.schema_name):
        identity = regency_signing_identity_create(trenggalek)
    key = serialization.load_pem_private_key(identity.key_pem, password=identity.key_password)
    bundle = pkcs12.serialize_key_and_certificates(b"dpmptsp", key, identity.certificate, [identity.ca_certificate],
                                                   serialization.BestAvailableEncryption(b"sandi-p12"))
    path = tmp_path / "dpmptsp.p12"
    path.write_bytes(bundle)
    signer = LocalPadesSigner.from_pkcs12(str(path), "sandi-p12")
    data = signer.sign(render_permit_pdf(permit_document()), signer=OFFICIAL)
    assert pyhanko_status(data, root_of(identity)).bottom_line


def test_signed_permit_hash_matches_what_storage_records(signed, trenggalek):
    data, _, _ = signed
    with schema_context(trenggalek.schema_name):
        stored = generated_document_store(data=data, kind="permit")
    assert stored.sha256 == document_sha256(data) and stored.key.endswith(".pdf")
