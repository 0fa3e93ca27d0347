"""The public transparency page: catalog with SLA, cost and channel; the register of issued permits; IKM."""
from __future__ import annotations

from django_tenants.utils import schema_context

from tests.factories import UserFactory, build_office, issue, submit

URL = "/transparansi/"


def test_visitors_see_types_requirements_and_the_register_without_personal_data(trenggalek, client_for,
                                                                                django_assert_max_num_queries):
    office = build_office(trenggalek)
    person = UserFactory(full_name="Wulan Kusumawardani", nik="3503014101900001")
    with schema_context(trenggalek.schema_name):
        application = submit(office, person)
        from permits.models import Application

        Application.objects.filter(pk=application.pk).update(applicant_nik=person.nik)
        permit = issue(office, application)
    client = client_for(trenggalek)
    client.get(URL)
    with django_assert_max_num_queries(12):
        page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert office.permit_type.name in html and "5 hari kerja" in html
    assert "STR Fisioterapis" in html and 'data-cost="free"' in html and "Dapat diajukan daring" in html
    assert permit.number in html and "Berlaku" in html
    for personal in ("Wulan Kusumawardani", "3503014101900001", person.email, "Soekarno-Hatta"):
        assert personal not in html
    assert "Indeks Kepuasan Masyarakat" in html


def test_a_counter_only_type_says_so_and_other_regencies_permits_do_not_show(trenggalek, blitar, client_for):
    office = build_office(trenggalek)
    with schema_context(trenggalek.schema_name):
        office.permit_type.is_online = False
        office.permit_type.save(update_fields=["is_online"])
    blitar_office = build_office(blitar)
    with schema_context(blitar.schema_name):
        blitar_permit = issue(blitar_office, submit(blitar_office))
    html = client_for(trenggalek).get(URL).content.decode()
    assert "Hanya di loket" in html
    assert blitar_permit.number not in html


def test_index_rows_from_before_permit_issued_at_are_backfilled_from_each_regency(trenggalek, blitar):
    """Migration permits_index 0004: a row indexed before the column existed gets the permit's issue time
    from its own regency's permit (and never another regency's with the same application id)."""
    import importlib

    from django.db import connection

    from permits.index.models import ApplicationIndex

    backfill = importlib.import_module("permits.index.migrations.0004_backfill_permit_issued_at").backfill
    issued = {}
    for regency in (trenggalek, blitar):
        office = build_office(regency)
        with schema_context(regency.schema_name):
            issued[regency.pk] = issue(office, submit(office))
    connection.set_schema_to_public()
    rows = ApplicationIndex.objects.filter(regency__in=[trenggalek, blitar]).exclude(permit_number="")
    assert rows.count() == 2
    rows.update(permit_issued_at=None)  # as written before migration 0003
    with connection.schema_editor() as editor:
        backfill(None, editor)
    for row in ApplicationIndex.objects.filter(pk__in=rows.values("pk")):
        assert row.permit_issued_at == issued[row.regency_id].issued_at
