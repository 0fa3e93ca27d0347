"""The applicant portal: every file in every regency from the public index, issued permits, profile."""
from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from pintu.portal.models import ApplicantProfile
from tests.factories import UserFactory, build_office, issue, submit

URL = "/portal/"


def test_an_applicant_sees_files_in_two_regencies_and_another_sees_neither(trenggalek, blitar, client_for,
                                                                           django_assert_max_num_queries):
    sari, other = UserFactory(full_name="Sari Pemohon"), UserFactory()
    t_office, b_office = build_office(trenggalek), build_office(blitar)
    with schema_context(trenggalek.schema_name):
        t_app = submit(t_office, sari)
    with schema_context(blitar.schema_name):
        b_app = submit(b_office, sari)
        b_permit = issue(b_office, b_app)
    client = client_for(None, sari)
    client.get(URL)
    with django_assert_max_num_queries(12):
        page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert t_app.registration_number in html and b_app.registration_number in html
    assert "Kabupaten Trenggalek" in html or "Trenggalek" in html
    assert f"/permohonan/{t_app.pk}/" in html
    assert b_permit.number in html and f"/verifikasi/{b_permit.verification_code}/" in html
    assert "Diajukan" in html or "Sedang diproses" in html

    other_html = client_for(None, other).get(URL).content.decode()
    for value in (t_app.registration_number, b_app.registration_number, b_permit.number):
        assert value not in other_html
    assert "Anda belum memiliki permohonan" in other_html


def test_permits_from_three_regencies_come_from_the_index_without_visiting_their_schemas(
        trenggalek, blitar, mataram, client_for):
    from permits.services.issuance import permit_revoke

    sari = UserFactory(full_name="Sari Pemohon")
    permits = []
    for regency in (trenggalek, blitar, mataram):
        office = build_office(regency)
        with schema_context(regency.schema_name):
            permits.append((regency, issue(office, submit(office, sari)), office))
    revoked_regency, revoked, office = permits[2]
    with schema_context(revoked_regency.schema_name):
        permit_revoke(permit=revoked, actor=office.signer, reason="Tempat praktik tidak sesuai")
    client = client_for(None, sari)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert len(queries) <= 12  # the same as with one regency: nothing per issuing regency
    assert not [q["sql"] for q in queries if "permits_permit" in q["sql"]]
    table = html.split('id="permits"')[1]
    for regency, permit, _ in permits:
        assert permit.number in table and f"/verifikasi/{permit.verification_code}/" in table
    assert table.count("DICABUT") == 1 and table.split(revoked.number)[1].split("</td>")[0].count("DICABUT") == 1


def test_the_portal_needs_sign_in_and_lives_on_the_apex(trenggalek, client_for, db):
    assert client_for(None).get(URL).status_code == 302
    assert client_for(trenggalek, UserFactory()).get(URL).status_code == 404


def test_profile_keeps_a_valid_nik_and_nib(client_for, db):
    user = UserFactory()
    client = client_for(None, user)
    response = client.post(URL + "profil/", {"nik": "3503014101900002", "nib": "1234567890123", "business_name": "UD Maju"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.nik == "3503014101900002"
    assert ApplicantProfile.objects.get(user=user).nib == "1234567890123"


def test_profile_refuses_a_bad_nik_or_nib_with_a_message(client_for, db):
    user = UserFactory()
    client = client_for(None, user)
    page = client.post(URL + "profil/", {"nik": "9999990101900001"})
    assert page.status_code == 400 and 'data-code="nik_invalid"' in page.content.decode()
    page = client.post(URL + "profil/", {"nib": "12345"})
    assert page.status_code == 400 and "NIB harus 13 angka" in page.content.decode()
    user.refresh_from_db()
    assert user.nik is None


def test_profile_nib_takes_ascii_digits_only_like_the_application_form(client_for, db):
    """The portal and the permit form share one NIB rule (pintu.identity.nik.nib_is_valid)."""
    user = UserFactory()
    page = client_for(None, user).post(URL + "profil/", {"nib": "١٢٣٤٥٦٧٨٩٠١٢٣"})  # 13 Arabic-Indic digits
    assert page.status_code == 400 and "NIB harus 13 angka" in page.content.decode()
    assert not ApplicantProfile.objects.filter(user=user).exclude(nib="").exists()
