"""What the permits domain announces, for apps above it (billing_free's meters) to listen to.

Sent inside the service's transaction, so a listener's rows commit or roll back with it.
"""
from django.dispatch import Signal

# sender=Application; kwargs: application, regency
application_submitted = Signal()
# sender=ApplicationDocument, Permit (the signed PDF) or StoredFile (a survey report); kwargs: document
# (anything with the stored `key` and its `size` in bytes), regency
document_stored = Signal()
