"""{% permit_renewal permit user as renewal %}: whether the holder may renew now, online or at the counter."""
from django import template

register = template.Library()


@register.simple_tag
def permit_renewal(permit, user) -> dict:
    from permits.services.renewal import (
        counter_renewal_hint,
        permit_counter_renewal_refusal,
        permit_renewal_refusal,
        renewal_open_of,
    )

    if permit is None or not getattr(user, "is_authenticated", False):
        return {"can": False, "open": None, "reason": "", "at_counter": ""}
    reason = permit_renewal_refusal(permit=permit, applicant=user)
    # A counter-only type inside its window: no online button that would be refused, but where to go.
    at_counter = reason if reason and reason == counter_renewal_hint(permit) \
        and not permit_counter_renewal_refusal(permit=permit) else ""
    return {"can": not reason, "open": renewal_open_of(permit), "reason": reason, "at_counter": at_counter}
