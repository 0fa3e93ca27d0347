"""Any change to a regency or a domain invalidates the host -> regency cache."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Domain, Regency
from tenants.routing import routing_invalidate


@receiver([post_save, post_delete], sender=Regency)
@receiver([post_save, post_delete], sender=Domain)
def _invalidate(**_kwargs) -> None:
    routing_invalidate()
