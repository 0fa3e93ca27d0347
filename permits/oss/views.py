"""OSS's HTTP face. Apex: /oss/receiveNIB and /oss/receiveFileDS (OSS calls them, host to host, JSON,
`user_key` header). Regency subdomain: /oss/izin/<token>/, the signed permit PDF OSS downloads."""
from __future__ import annotations

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from permits.oss import pia
from permits.oss.receiving import max_body_bytes, oss_file_ds_receive, oss_nib_receive


def _body(request) -> bytes | None:
    """The request body, read no further than the limit (+1 byte to tell an oversized one)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_body_bytes():
        return b"x" * (max_body_bytes() + 1)
    return request.read(max_body_bytes() + 1)


def _endpoint(method: str, handler):
    @csrf_exempt
    def view(request):
        if request.method != "POST":
            return JsonResponse(pia.receive_response(method, ok=False, keterangan=pia.RESPONSE_CODES[405]), status=405)
        status, answer = handler(body=_body(request), user_key=request.headers.get("user_key", "")
                                 or request.headers.get("user-key", ""))
        return JsonResponse(answer, status=status)

    view.__name__ = method
    return view


receive_nib = _endpoint("receiveNIB", oss_nib_receive)
receive_file_ds = _endpoint("receiveFileDS", oss_file_ds_receive)


def permit_file(request, token: str):
    """The signed PDF of a permit reported to OSS, for the link in receiveLicense's file_izin."""
    from permits.models import Permit
    from permits.oss.reporting import permit_file_token_resolve
    from pintu.storage.services import document_response

    pk = permit_file_token_resolve(token)
    permit = Permit.objects.filter(pk=pk, application__oss_file__isnull=False).first() if pk else None
    if permit is None:
        raise Http404()
    return document_response(permit.pdf_key, download_name=f"izin-{permit.pk}.pdf", as_attachment=False)


def nib_lookup(request):
    """GET /oss/nib/?nib=<13 digits>&jenis=<permit type code>: the form answers OSS knows, for this
    regency's counter officers filling a walk-in's form. The answers carry the person in charge's name
    and NIK, so a NIB (printed on every business's papers) must not open them to any signed-in account."""
    from permits.models import PermitType
    from permits.oss.lookups import oss_nib_form_answers, oss_nib_inquire
    from pintu.access.models import Role
    from pintu.access.selectors import membership_roles
    from pintu.errors import DomainError

    if not request.user.is_authenticated:
        return JsonResponse({"code": "not_authenticated", "message": "Silakan masuk terlebih dahulu."}, status=401)
    if Role.FRONT_OFFICE not in membership_roles(user=request.user):
        return JsonResponse({"code": "permission_denied",
                             "message": "Pencarian NIB hanya untuk petugas loket daerah ini."}, status=403)
    permit_type = PermitType.objects.filter(code=request.GET.get("jenis", ""), is_active=True).first()
    try:
        if permit_type is None:
            return JsonResponse({"code": "permit_type_unknown", "message": "Jenis izin tidak dikenal."}, status=400)
        answers = oss_nib_form_answers(permit_type=permit_type, nib=request.GET.get("nib", ""))
        business = oss_nib_inquire(nib=request.GET.get("nib", ""))
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.status)
    return JsonResponse({"answers": answers, "business": {"nama_perseroan": business["nama_perseroan"],
                                                         "alamat_perseroan": business["alamat_perseroan"],
                                                         "kbli": business["proyek"]["kbli"]}})
