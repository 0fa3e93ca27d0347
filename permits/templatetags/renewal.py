"""{% permit_renewal permit user as renewal %}: whether the holder may renew now (issue #5)."""
from django import template

register = template.Library()


@register.simple_tag
def permit_renewal(permit, user) -> dict:
    from permits.services.renewal import permit_renewal_refusal, renewal_open_of

    if permit is None or not getattr(user, "is_authenticated", False):
        return {"can": False, "open": None, "reason": ""}
    reason = permit_renewal_refusal(permit=permit, applicant=user)
    return {"can": not reason, "open": renewal_open_of(permit), "reason": reason}
