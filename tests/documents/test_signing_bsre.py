"""The national CA adapter against a local server speaking the BSrE e-sign format: it checks the
signer's certificate before anything is sent, signs by NIK + passphrase, and verifies."""
from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from permits.documents.errors import SignerNotReady, SigningFailed, SigningUnavailable
from permits.documents.pdf import render_permit_pdf
from permits.documents.signing import BsreSigner, SigningOfficial, signer_require_ready
from tests.documents.bsre_server import Holder, NationalCA, NationalCAServer
from tests.documents.factories import permit_document
from tests.s3 import free_ports

ACTIVE, EXPIRED, REVOKED, UNKNOWN = "3503014101800001", "3503014101800002", "3503014101800003", "3503019999999999"


@pytest.fixture(scope="module")
def national_ca():
    ca = NationalCA(holders={
        ACTIVE: Holder("Drs. Budi Santoso, M.Si", "Rahasia#123"),
        EXPIRED: Holder("Ani Lestari", "x", status="EXPIRED"),
        REVOKED: Holder("Joko Widodo", "x", status="REVOKE"),
    })
    with NationalCAServer(ca) as server:
        yield server


@pytest.fixture
def bsre(national_ca):
    national_ca.ca.requests.clear()
    return BsreSigner(base_url=national_ca.base_url, username=national_ca.ca.username, password=national_ca.ca.password)


def official(nik: str, passphrase: str = "Rahasia#123") -> SigningOfficial:
    return SigningOfficial(name="Drs. Budi Santoso, M.Si", position="Kepala DPMPTSP", nik=nik, passphrase=passphrase)


def test_signs_by_nik_and_passphrase_and_the_result_validates_with_pyhanko(bsre, national_ca):
    data = bsre.sign(render_permit_pdf(permit_document()), signer=official(ACTIVE))
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[national_ca.ca.root_asn1],
                                                                 allow_fetching=False))
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Drs. Budi Santoso, M.Si"
    # the certificate was checked before the file was sent
    assert [r[1] for r in national_ca.ca.requests] == [f"/api/user/status/{ACTIVE}", "/api/sign/pdf"]


def test_verify_reads_the_national_ca_answer(bsre):
    data = bsre.sign(render_permit_pdf(permit_document()), signer=official(ACTIVE))
    result = bsre.verify(data)
    assert (result.valid, result.intact, result.signer_name) == (True, True, "Drs. Budi Santoso, M.Si")
    assert result.signed_at is not None and result.signed_at.tzinfo is not None

    tampered = bytearray(data)
    tampered[data.index(b"/Title") + 2] ^= 0x01
    broken = bsre.verify(bytes(tampered))
    assert (broken.valid, broken.intact) == (False, False)

    unsigned = bsre.verify(render_permit_pdf(permit_document()))
    assert unsigned.valid is False and "tidak memiliki" in unsigned.summary


@pytest.mark.parametrize(("nik", "state", "words"), [
    (EXPIRED, "expired", "kedaluwarsa"),
    (REVOKED, "revoked", "dicabut"),
    (UNKNOWN, "unknown", "tidak terdaftar"),
])
def test_signer_not_ready_is_refused_before_routing_and_nothing_is_sent(bsre, national_ca, nik, state, words):
    status = bsre.signer_status(official(nik))
    assert status.state == state and words in status.reason
    with pytest.raises(SignerNotReady) as caught:
        signer_require_ready(backend=bsre, official=official(nik))
    assert caught.value.code == f"signer_certificate_{state}"
    with pytest.raises(SignerNotReady):
        bsre.sign(render_permit_pdf(permit_document()), signer=official(nik))
    assert all(path != "/api/sign/pdf" for _, path in national_ca.ca.requests)


def test_wrong_passphrase_gives_the_national_ca_reason(bsre):
    with pytest.raises(SigningFailed) as caught:
        bsre.sign(render_permit_pdf(permit_document()), signer=official(ACTIVE, passphrase="salah"))
    assert "Passphrase anda salah" in caught.value.message


def test_malformed_nik_is_unknown_without_a_call(bsre, national_ca):
    assert bsre.signer_status(official("12345")).state == "unknown"
    assert national_ca.ca.requests == []


def test_wrong_client_credentials_are_a_clear_error(national_ca):
    client = BsreSigner(base_url=national_ca.base_url, username="x", password="y")
    with pytest.raises(SigningFailed) as caught:
        client.signer_status(official(ACTIVE))
    assert caught.value.code == "signing_client_rejected"


def test_service_down_is_unavailable_not_a_crash():
    (port,) = free_ports(1)
    client = BsreSigner(base_url=f"http://127.0.0.1:{port}", username="a", password="b", timeout=2)
    with pytest.raises(SigningUnavailable) as caught:
        client.signer_status(official(ACTIVE))
    assert caught.value.status == 503


def test_configured_backend_is_chosen_from_settings(settings, national_ca, local_storage, trenggalek):
    from django_tenants.utils import schema_context

    from permits.documents.signing import LocalPadesSigner, signer_for_regency

    settings.PERMIT_SIGNING_BACKEND, settings.BSRE_BASE_URL = "bsre", national_ca.base_url
    settings.BSRE_USERNAME, settings.BSRE_PASSWORD = national_ca.ca.username, national_ca.ca.password
    chosen = signer_for_regency(trenggalek)
    assert isinstance(chosen, BsreSigner) and chosen.signer_status(official(ACTIVE)).ok

    settings.PERMIT_SIGNING_BACKEND = "local"
    with schema_context(trenggalek.schema_name):
        assert isinstance(signer_for_regency(trenggalek), LocalPadesSigner)
