from django.http import JsonResponse

from pintu.access.models import Membership


def membership_detail(request, pk: int):
    """One row by primary key from a regency table: the smallest real page."""
    row = Membership.objects.filter(pk=pk).values("id", "role", "agency", "is_active").first()
    return JsonResponse(row or {}, status=200 if row else 404)
