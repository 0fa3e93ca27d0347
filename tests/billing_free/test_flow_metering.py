"""The application flow meters itself: one application and its stored bytes, in its own regency only."""
from django_tenants.utils import schema_context

from billing_free.models import UsageMeter
from tests.factories import submitted_application


def test_submitting_meters_the_application_and_its_bytes_in_its_regency(trenggalek, blitar, applicant, trenggalek_office):
    with schema_context("trenggalek"):
        office = trenggalek_office
        application = submitted_application(office, applicant)
        sizes = sum(application.documents.values_list("size", flat=True))
    meters = {m.metric: m.value for m in UsageMeter.objects.filter(regency=trenggalek)}
    assert meters["applications"] == 1
    assert meters["stored_bytes"] >= sizes > 0
    assert not UsageMeter.objects.filter(regency=blitar, metric__in=["applications", "stored_bytes"]).exists()
