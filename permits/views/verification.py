"""What the platform publishes so anyone can check a permit without trusting the server's disk:
the certificate chain its signatures rest on (linked from the verification page the QR opens)."""
from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from permits.documents.trust import fingerprint_sha256, trust_roots_published


@require_GET
def trust_root(request):
    """`/verifikasi/sertifikat-akar.pem`: the PEM chain to trust in pyHanko, pdfsig (an NSS db) or Acrobat."""
    pem = trust_roots_published()
    if not pem:
        return HttpResponse("Belum ada sertifikat penandatangan izin di daerah ini.\n",
                            content_type="text/plain; charset=utf-8", status=404)
    response = HttpResponse(pem, content_type="application/x-pem-file")
    slug = request.tenant.schema_name.replace("_", "-")
    response["Content-Disposition"] = f'inline; filename="pintu-{slug}-akar.pem"'
    response["X-Certificate-SHA256"] = fingerprint_sha256(pem)
    response["Cache-Control"] = "public, max-age=3600"
    return response
