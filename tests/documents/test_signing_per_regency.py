"""What a worker keeps between permits (the signer built from an identity, the room a signature
takes) never crosses regencies and follows a replaced certificate: each permit, issued through the
real services one after another in one process, carries its own regency's signer and letterhead."""
from __future__ import annotations

import io

import pypdf
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django_tenants.utils import schema_context

from permits.documents.signing import pades_verify
from pintu.storage.services import document_read
from pintu.storage.signing_identity import regency_signing_identity_create, regency_signing_identity_load
from tests.factories import UserFactory, issue, office_build, submitted_application

pytestmark = pytest.mark.django_db


def root_of(identity) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(identity.ca_certificate.public_bytes(serialization.Encoding.DER))


def issued_in(regency, office=None) -> tuple[bytes, object]:
    """A permit issued in `regency` through the real services: its stored PDF, and the identity in use."""
    with schema_context(regency.schema_name):
        office = office or office_build()
        permit = issue(office, submitted_application(office, UserFactory()))
        return document_read(permit.pdf_key), regency_signing_identity_load()


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_each_regencys_permit_carries_its_own_signer_and_letterhead_after_a_warm_cache(local_storage, trenggalek,
                                                                                       blitar):
    first, trenggalek_identity = issued_in(trenggalek)  # warms the signer and its signature size
    from_blitar, blitar_identity = issued_in(blitar)
    again, _ = issued_in(trenggalek)
    assert trenggalek_identity.cert_pem != blitar_identity.cert_pem
    for pdf, own, other, government, place in (
            (first, trenggalek_identity, blitar_identity, "PEMERINTAH KABUPATEN TRENGGALEK", "Trenggalek"),
            (from_blitar, blitar_identity, trenggalek_identity, "PEMERINTAH KOTA BLITAR", "Blitar"),
            (again, trenggalek_identity, blitar_identity, "PEMERINTAH KABUPATEN TRENGGALEK", "Trenggalek")):
        mine = pades_verify(pdf, trust_roots=[root_of(own)])
        assert (mine.valid, mine.intact) == (True, True), mine.summary
        assert place in mine.signer_name
        theirs = pades_verify(pdf, trust_roots=[root_of(other)])
        assert (theirs.valid, theirs.intact) == (False, True)
        text = text_of(pdf)
        assert government in text and f"Ditetapkan di {place}" in text
        assert ("KOTA BLITAR" in text) == (place == "Blitar")


def test_a_replaced_signing_certificate_signs_the_next_permit(local_storage, trenggalek):
    with schema_context(trenggalek.schema_name):
        office = office_build()
    before, old = issued_in(trenggalek, office)
    assert pades_verify(before, trust_roots=[root_of(old)]).valid
    with schema_context(trenggalek.schema_name):
        new = regency_signing_identity_create(trenggalek, replace=True)  # the rotation
    after, in_use = issued_in(trenggalek, office)
    assert in_use.cert_pem == new.cert_pem != old.cert_pem
    assert pades_verify(after, trust_roots=[root_of(new)]).valid
    assert not pades_verify(after, trust_roots=[root_of(old)]).valid
