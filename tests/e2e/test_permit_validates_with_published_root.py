"""A permit downloaded over HTTP validates with pyHanko and with poppler's `pdfsig`, trusting only the
certificate the platform publishes (linked from the verification page the QR opens), never a file
from the server's disk. An unrelated root makes both refuse it, so the check can fail."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django_tenants.utils import schema_context


def _get(pintu_server, path: str) -> tuple[bytes, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{pintu_server['port']}{path}",
                                     headers={"Host": f"trenggalek.localhost:{pintu_server['port']}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own test server
        return response.read(), dict(response.headers)


def _pyhanko_trusts(pdf: bytes, root_pem: bytes) -> tuple[bool, bool]:
    """(intact, trusted) of the permit's signature with `root_pem` as the only trust root."""
    import io

    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    context = ValidationContext(trust_roots=list(load_certs_from_pemder_data(root_pem)), allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    return bool(status.intact), bool(status.trusted)


def _other_root_pem() -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Akar Palsu")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def _pdfsig(pdf_path, root_pem: bytes | None, nss_dir) -> str:
    """pdfsig's report with an NSS database in `nss_dir` holding `root_pem` (trusted) or nothing."""
    nss_dir.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss_dir}", "--empty-password"], check=True, capture_output=True)
    if root_pem is not None:
        (nss_dir / "root.pem").write_bytes(root_pem)
        subprocess.run(["certutil", "-A", "-d", f"sql:{nss_dir}", "-n", "pintu-akar", "-t", "CT,C,C",
                        "-i", str(nss_dir / "root.pem")], check=True, capture_output=True)
    done = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss_dir}", str(pdf_path)], capture_output=True, text=True,
                          timeout=60)
    return done.stdout + done.stderr


@pytest.fixture
def pdfsig_tools():
    if not (shutil.which("pdfsig") and shutil.which("certutil")):
        if os.environ.get("CI"):
            pytest.fail("pdfsig/certutil missing: .ci/run installs poppler-utils and libnss3-tools")
        pytest.skip("poppler-utils / libnss3-tools not installed")


def test_downloaded_permit_validates_with_pyhanko_and_pdfsig_using_the_published_root(
        pintu_server, issued_permit, tmp_path, pdfsig_tools):
    issued = issued_permit(holder="Dewi Fisioterapis", number_tag="SIP-AKAR")

    # What a clinic does: open the QR's page, follow its link to the root, download the permit.
    page, _ = _get(pintu_server, f"/verifikasi/{issued['code']}/")
    link = re.search(rb'<a href="([^"]+)" data-trust-root>', page)
    assert link is not None, "the verification page links to the published root"
    root_pem, headers = _get(pintu_server, link.group(1).decode())
    assert root_pem.startswith(b"-----BEGIN CERTIFICATE-----") and headers["Content-Type"] == "application/x-pem-file"
    pdf, _ = _get(pintu_server, f"/lacak/izin.pdf?nomor={issued['number']}&kode={issued['tracking']}")
    assert pdf.startswith(b"%PDF-")
    pdf_path = tmp_path / "izin.pdf"
    pdf_path.write_bytes(pdf)

    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(_pyhanko_trusts, pdf, root_pem).result() == (True, True)
        assert pool.submit(_pyhanko_trusts, pdf, _other_root_pem()).result() == (True, False)

    trusted = _pdfsig(pdf_path, root_pem, tmp_path / "nss-akar")
    assert "Signature is Valid" in trusted and "Certificate is Trusted" in trusted, trusted
    untrusted = _pdfsig(pdf_path, None, tmp_path / "nss-kosong")
    assert "Signature is Valid" in untrusted and "Certificate is Trusted" not in untrusted, untrusted


def test_each_regency_publishes_its_own_root(client_for, trenggalek, blitar):
    """Each regency publishes its own chain (its own development root), with its fingerprint."""
    from permits.documents.trust import fingerprint_sha256

    with schema_context("trenggalek"):
        from pintu.storage.signing_identity import regency_signing_identity_create

        regency_signing_identity_create(trenggalek)
    with schema_context("kota_blitar"):
        regency_signing_identity_create(blitar)
    first = client_for(trenggalek).get("/verifikasi/sertifikat-akar.pem")
    second = client_for(blitar).get("/verifikasi/sertifikat-akar.pem")
    assert first.status_code == second.status_code == 200
    assert first.content != second.content
    assert first["X-Certificate-SHA256"] == fingerprint_sha256(first.content) != second["X-Certificate-SHA256"]
