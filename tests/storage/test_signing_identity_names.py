"""The signing certificate's common name stays within X.509's 64 characters without being cut mid-word;
the full name of the office is kept in the certificate's description attribute."""
from cryptography.x509.oid import NameOID
from django_tenants.utils import schema_context

from pintu.storage.signing_identity import DESCRIPTION_OID, regency_signing_identity_create, short_common_name

LONG = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Tangerang Selatan"


def test_short_common_name_keeps_short_names_and_abbreviates_the_office_title():
    assert short_common_name("DPMPTSP Kab. Rembang") == "DPMPTSP Kab. Rembang"
    assert short_common_name(LONG) == "DPMPTSP Kota Tangerang Selatan"
    cut = short_common_name("Badan " + "Pelayanan Perizinan Terpadu " * 4)
    assert len(cut) <= 64 and cut.endswith("…") and not cut[:-1].endswith(" ")
    assert cut[:-1].split(" ")[-1] in ("Badan", "Pelayanan", "Perizinan", "Terpadu")


def test_a_long_office_name_gets_a_short_common_name_and_the_full_name_elsewhere(trenggalek, local_storage):
    from permits.documents.pdf import render_permit_pdf
    from permits.documents.signing import LocalPadesSigner, SigningOfficial
    from tests.documents.factories import permit_document

    trenggalek.office_name = LONG  # not saved: only the certificate reads it
    with schema_context(trenggalek.schema_name):
        identity = regency_signing_identity_create(trenggalek, replace=True)
        signer = LocalPadesSigner.for_regency(trenggalek)
    subject = identity.certificate.subject
    common_name = subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert common_name == "DPMPTSP Kota Tangerang Selatan" and len(common_name) <= 64
    assert subject.get_attributes_for_oid(DESCRIPTION_OID)[0].value == LONG
    signed = signer.sign(render_permit_pdf(permit_document()), signer=SigningOfficial(name="Kepala DPMPTSP"))
    assert signer.verify(signed).valid
