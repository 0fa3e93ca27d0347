"""Provisioning a regency gives it a development signing certificate in its own storage prefix."""
from __future__ import annotations

from django_tenants.utils import schema_context

from permits.documents.pdf import render_permit_pdf
from permits.documents.signing import LocalPadesSigner, SigningOfficial
from tenants.services import regency_provision
from tests.documents.factories import permit_document


def test_new_regency_can_sign_with_the_certificate_made_at_provisioning(db, local_storage):
    result = regency_provision(code="3317", subdomain="rembang", welcome=False)
    folder = local_storage / "rembang" / "signing"
    assert sorted(p.name for p in folder.iterdir()) == ["ca.pem", "signer-key.pem", "signer.pem"]
    made = (folder / "signer.pem").read_bytes()
    with schema_context(result.regency.schema_name):
        signer = LocalPadesSigner.for_regency(result.regency)
    assert (folder / "signer.pem").read_bytes() == made  # used, not replaced
    assert "Rembang" in signer.certificate.subject.rfc4514_string()
    signed = signer.sign(render_permit_pdf(permit_document()), signer=SigningOfficial(name="Kepala DPMPTSP"))
    assert signer.verify(signed).valid
