"""What the permits domain announces, for apps above it (billing_free's meters) to listen to.

Sent inside the service's transaction, so a listener's rows commit or roll back with it.
"""
from django.dispatch import Signal

# sender=Application; kwargs: application, regency
application_submitted = Signal()
# sender=ApplicationDocument; kwargs: document, regency
document_stored = Signal()
