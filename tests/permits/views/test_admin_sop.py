"""The SOP editor (/pengaturan/jenis-izin/<code>/sop/): steps of the draft, the check always shown, publishing
refused with reasons, versions, the flow drawing."""
import pytest
from django_tenants.utils import schema_context

from permits.models import Sop
from permits.services.catalog import permit_type_create
from permits.services.workflow import sop_publish, sop_revise, sop_steps_set
from pintu.access.models import Role
from tests.factories import sip_steps

URL = "/pengaturan/jenis-izin/sip-bidan/sop/"


@pytest.fixture
def admin_client(client_for, trenggalek, officer):
    return client_for(trenggalek, officer(trenggalek, Role.REGENCY_ADMIN))


@pytest.fixture
def sip(trenggalek):
    with schema_context("trenggalek"):
        return permit_type_create(code="sip-bidan", name="SIP Bidan", sla_working_days=5)


def step(name, role, actions, **extra):
    return {"name": name, "role": role, "sla_working_days": extra.pop("sla", "1"), "allowed_actions": actions, **extra}


def steps_of(version=None):
    with schema_context("trenggalek"):
        sop = Sop.objects.get(permit_type__code="sip-bidan", **({"version": version} if version else
                                                                 {"status": "draft"}))
        return [(s.order, s.name) for s in sop.steps.order_by("order")]


def test_admin_builds_a_sop_step_by_step_and_publishes_it(admin_client, sip, trenggalek, officer):
    for role in (Role.FRONT_OFFICE, Role.SIGNING_OFFICIAL):
        officer(trenggalek, role)
    officer(trenggalek, Role.TECHNICAL_TEAM, agency="Dinas Kesehatan")
    page = admin_client.get(URL).content.decode()
    assert "Belum ada SOP yang berlaku" in page and "Mulai menyusun SOP" in page
    assert admin_client.post(URL + "draf/").status_code == 302
    page = admin_client.get(URL).content.decode()
    assert "Draf versi 1" in page and "SOP belum punya langkah." in page  # the check is always visible

    assert admin_client.post(URL + "langkah/baru/", step("Penandatanganan", "signing_official",
                                                         ["approve_sign", "reject"])).status_code == 302
    assert admin_client.post(URL + "langkah/baru/", step("Kajian teknis", "technical_team", ["recommend"],
                                                         agency="Dinas Kesehatan", sla="2",
                                                         checklist="Cek STR\r\nCek tempat praktik")).status_code == 302
    admin_client.post(URL + "langkah/baru/", dict(step("Pemeriksaan berkas", "front_office", ["forward", "return"]),
                                                  posisi="1"))
    assert steps_of() == [(1, "Pemeriksaan berkas"), (2, "Penandatanganan"), (3, "Kajian teknis")]
    page = admin_client.get(URL).content.decode()
    assert "berada setelah langkah keputusan akhir" in page  # an error, shown before publishing
    refused = admin_client.post(URL + "berlakukan/", follow=True).content.decode()
    assert "berada setelah langkah keputusan akhir" in refused
    with schema_context("trenggalek"):
        assert not Sop.objects.filter(status="published").exists()

    admin_client.post(URL + "langkah/3/ubah-urutan/", {"arah": "up"})
    assert steps_of() == [(1, "Pemeriksaan berkas"), (2, "Kajian teknis"), (3, "Penandatanganan")]
    page = admin_client.get(URL).content.decode()
    assert "Tidak ada kesalahan: SOP ini dapat diberlakukan." in page
    assert "Cek STR; Cek tempat praktik" in page
    published = admin_client.post(URL + "berlakukan/", follow=True).content.decode()
    assert "SOP versi 1 kini berlaku" in published
    with schema_context("trenggalek"):
        sop = Sop.objects.get(status="published")
        assert sop.version == 1 and sop.steps.get(order=2).checklist == ["Cek STR", "Cek tempat praktik"]
    assert "SOP berlaku v1" in admin_client.get("/pengaturan/").content.decode()


def test_step_errors_are_shown_next_to_fields_and_nothing_changes(admin_client, sip):
    admin_client.post(URL + "draf/")
    response = admin_client.post(URL + "langkah/baru/", step("", "technical_team", []))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nama langkah ke-1 wajib diisi." in text
    assert "dikerjakan tim teknis: sebutkan instansinya (OPD)." in text
    assert "belum punya tindakan." in text
    agency_block = text.split('for="id_agency"')[1].split('class="field')[0]
    assert "sebutkan instansinya" in agency_block
    assert steps_of() == []


def test_editing_a_published_sop_makes_a_new_draft_and_history_keeps_versions(admin_client, sip,
                                                                             django_assert_max_num_queries):
    with schema_context("trenggalek"):
        sop_publish(sop=sop_steps_set(sop=sop_revise(permit_type=sip), steps=sip_steps()))
    page = admin_client.get(URL).content.decode()
    assert "Ubah SOP (buat draf versi baru)" in page
    assert "bersamaan: kajian" in page  # parallel reviews drawn side by side
    assert page.count('class="flow-stage parallel"') == 1 and page.count('class="flow-stage"') == 2
    admin_client.post(URL + "draf/")
    admin_client.post(URL + "langkah/2/", step("Kajian Dinkes", "technical_team", ["recommend", "return"],
                                               agency="Dinas Kesehatan", sla="2", parallel_group="kajian"))
    assert steps_of(1)[1] == (2, "Kajian Dinas Kesehatan")  # v1 untouched
    assert steps_of()[1] == (2, "Kajian Dinkes")
    admin_client.post(URL + "berlakukan/")
    with django_assert_max_num_queries(12):
        page = admin_client.get(URL).content.decode()
    assert "versi 1" in page and "Tidak berlaku" in page and "Berlaku" in page
    old = admin_client.get(URL + "versi/1/").content.decode()
    assert "Kajian Dinas Kesehatan" in old and "Kajian Dinkes" not in old and "Tidak berlaku" in old


def test_empty_parallel_group_refused_and_draft_can_be_discarded(admin_client, sip):
    with schema_context("trenggalek"):
        sop_steps_set(sop=sop_revise(permit_type=sip), steps=[
            {"name": "Kajian", "role": "verifier", "allowed_actions": ["forward"], "parallel_group": "sendiri"},
            {"name": "Tanda tangan", "role": "signing_official", "allowed_actions": ["approve_sign"]}])
    refused = admin_client.post(URL + "berlakukan/", follow=True).content.decode()
    assert "hanya berisi satu langkah" in refused
    admin_client.post(URL + "buang-draf/")
    with schema_context("trenggalek"):
        assert not Sop.objects.exists()


def test_sop_pages_refused_to_front_office_and_read_only_for_the_head(client_for, trenggalek, officer, sip):
    with schema_context("trenggalek"):
        sop_revise(permit_type=sip)
    assert client_for(trenggalek, officer(trenggalek, Role.FRONT_OFFICE)).get(URL).status_code == 403
    head = client_for(trenggalek, officer(trenggalek, Role.HEAD))
    page = head.get(URL).content.decode()
    assert "Draf versi 1" in page and "Tambah langkah" not in page
    assert head.post(URL + "langkah/baru/", step("X", "verifier", ["forward"])).status_code == 403
    assert steps_of() == []
