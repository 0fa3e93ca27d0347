"""The public catalog (/izin/) is as cheap as the home page: one query, the page cached by its content."""
import re

import pytest
from django_tenants.utils import schema_context


@pytest.fixture
def built(trenggalek_office):
    return trenggalek_office


def _card(page: str, name: str) -> str:
    return re.search(rf"<section class=\"card\">\s*<h2><a [^>]*>{re.escape(name)}</a>.*?</section>", page, re.S).group(0)


def test_catalog_is_one_query_and_shows_what_it_did(built, trenggalek, client_for, django_assert_num_queries):
    client = client_for(trenggalek)
    client.get("/izin/")  # warm: routing cache, the connection's search_path
    with django_assert_num_queries(1):
        page = client.get("/izin/").content.decode()
    card = _card(page, built.permit_type.name)
    count = len(built.requirements)
    assert f"{count} persyaratan" in card and "5 hari kerja" in card and "Gratis" in card and "Daring" in card


def test_a_change_to_the_catalog_shows_at_once_through_the_cache(built, trenggalek, client_for):
    from permits.services.catalog import requirement_create

    client = client_for(trenggalek)
    before = _card(client.get("/izin/").content.decode(), built.permit_type.name)
    with schema_context("trenggalek"):
        requirement_create(permit_type=built.permit_type, name="Surat keterangan sehat", allowed_types=["pdf"])
    after = _card(client.get("/izin/").content.decode(), built.permit_type.name)
    assert f"{len(built.requirements)} persyaratan" in before
    assert f"{len(built.requirements) + 1} persyaratan" in after


def test_signed_in_visitors_get_their_own_rendering(built, trenggalek, applicant, client_for):
    page = client_for(trenggalek, applicant).get("/izin/").content.decode()
    assert applicant.full_name in page  # the header names the person: never a cached anonymous page
