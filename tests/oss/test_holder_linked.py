"""A person in charge without an account when OSS sent their business's file: signing up with their NIK,
or adding it to their profile later, puts the file on their account; nobody else's NIK does."""
from __future__ import annotations

from permits.oss.hub.models import OssHolderWaiting
from tests.factories import in_schema, oss_office
from tests.oss.test_receive_nib import payload
from tests.services import post_nib

KD = "033000000101"
NIK = "3503014107900011"
PERMIT_NAME = "Surat Izin Praktik Fisioterapis"


def _file_arrives(apex, keys, trenggalek, seed: int, nik: str = NIK):
    from permits.oss.models import OssFile

    oss_office(trenggalek, KD)
    body = payload(seed=seed, daerah=("3503000000",), pj_nik=nik)
    assert post_nib(apex, body, keys["3503"]).status_code == 200
    with in_schema(trenggalek):
        application = OssFile.objects.get(id_izin=body["dataNIB"]["data_checklist"][0]["id_izin"]).application
    assert application.applicant_id is None and application.applicant_nik == nik
    return application


def _sign_up(client, email: str, nik: str):
    response = client.post("/daftar/", {"full_name": "Penanggung Jawab", "email": email, "nik": nik,
                                        "password": "kopi-tubruk-77"})
    assert response.status_code == 302, response.content.decode()[:2000]
    from pintu.identity.models import User

    return User.objects.get(email=email)


def test_signing_up_with_the_nik_links_the_oss_file_and_the_portal_shows_it(apex, keys, trenggalek, client_for):
    application = _file_arrives(apex, keys, trenggalek, seed=51)
    assert OssHolderWaiting.objects.filter(application_id=application.pk, regency=trenggalek).count() == 1
    stranger = _sign_up(client_for(None), "orang-lain@contoh.id", "3503015506900044")
    holder = _sign_up(client_for(None), "pj-usaha@contoh.id", NIK)
    with in_schema(trenggalek):
        application.refresh_from_db()
        assert application.applicant_id == holder.pk
        from pintu.audit.models import AuditEntry

        assert AuditEntry.objects.filter(action="oss.holder_linked", target_id=str(application.pk)).count() == 1
    assert not OssHolderWaiting.objects.filter(application_id=application.pk, regency=trenggalek).exists()
    # the person in charge sees it on the regency's "Permohonan saya", on its own page and in the portal
    own = client_for(trenggalek, holder)
    assert PERMIT_NAME in own.get("/permohonan/").content.decode()
    assert own.get(f"/permohonan/{application.pk}/").status_code == 200
    portal = client_for(None, holder).get("/portal/").content.decode()
    assert f"/permohonan/{application.pk}/" in portal
    # someone with another NIK sees none of it
    other = client_for(trenggalek, stranger)
    assert PERMIT_NAME not in other.get("/permohonan/").content.decode()
    assert other.get(f"/permohonan/{application.pk}/").status_code == 404
    assert f"/permohonan/{application.pk}/" not in client_for(None, stranger).get("/portal/").content.decode()


def test_adding_the_nik_to_the_profile_later_links_the_file(apex, keys, trenggalek, client_for):
    from pintu.portal.services import applicant_profile_update
    from tests.factories import UserFactory

    application = _file_arrives(apex, keys, trenggalek, seed=52)
    person = UserFactory(nik=None)
    applicant_profile_update(user=person, nik="3503015506900045")  # someone else's NIK: nothing moves
    with in_schema(trenggalek):
        application.refresh_from_db()
        assert application.applicant_id is None
    applicant_profile_update(user=person, nik=NIK)
    with in_schema(trenggalek):
        application.refresh_from_db()
        assert application.applicant_id == person.pk
    assert PERMIT_NAME in client_for(trenggalek, person).get("/permohonan/").content.decode()


def test_a_file_whose_holder_already_has_an_account_waits_for_nobody(apex, keys, trenggalek):
    from tests.factories import UserFactory

    person = UserFactory(nik="3503015506900046")
    oss_office(trenggalek, KD)
    body = payload(seed=53, daerah=("3503000000",), pj_nik=person.nik)
    assert post_nib(apex, body, keys["3503"]).status_code == 200
    assert not OssHolderWaiting.objects.filter(regency=trenggalek, id_izin=body["dataNIB"]["data_checklist"][0]["id_izin"]).exists()
