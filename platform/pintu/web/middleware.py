"""Every date a regency's page shows is in that regency's own time zone (WIB, WITA or WIT)."""
from django.utils import timezone


class RegencyTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = getattr(getattr(request, "tenant", None), "time_zone", None)
        if zone:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
