"""Upload limits are stated in MB, the unit a phone shows for its photos."""
import pytest
from django_tenants.utils import schema_context


@pytest.fixture
def built(trenggalek_office):
    from permits.services.catalog import requirement_create

    with schema_context("trenggalek"):
        office = trenggalek_office
        requirement_create(permit_type=office.permit_type, name="Pas foto", allowed_types=["jpg"], max_size_kb=512)
        requirement_create(permit_type=office.permit_type, name="KTP asli", allowed_types=["jpg", "pdf"],
                           max_size_kb=1024)
        return office


def test_the_permit_page_and_the_form_state_limits_in_mb(built, trenggalek, applicant, client_for):
    detail = client_for(trenggalek).get(f"/izin/{built.permit_type.code}/").content.decode()
    assert "maks. 0,5 MB" in detail and "maks. 1 MB" in detail and " KB" not in detail
    client = client_for(trenggalek, applicant)
    form = client.get(client.post(f"/izin/{built.permit_type.code}/ajukan/")["Location"]).content.decode()
    assert "maks. 0,5 MB" in form and " KB" not in form


def test_size_mb_never_says_zero():
    from permits.templatetags.permits_admin import size_mb

    assert size_mb(10) == "0,1 MB" and size_mb(1536) == "1,5 MB" and size_mb("x") == ""
