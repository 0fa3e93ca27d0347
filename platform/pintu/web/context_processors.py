from django.conf import settings

from pintu.degraded.state import reading_from_standby


def platform(request):
    tenant = getattr(request, "tenant", None)
    regency = tenant if tenant is not None and not tenant.is_public else None
    return {"regency": regency, "PINTU_DOMAIN": settings.PINTU_DOMAIN,
            "degraded": reading_from_standby.get()}
