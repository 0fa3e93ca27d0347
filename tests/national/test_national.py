"""National calendar and catalog templates (public schema), and adopting a template in a regency."""
import datetime as dt

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from permits.errors import PermitTypeCodeTaken
from permits.models import PermitType
from permits.selectors.workflow import sop_in_force
from permits.services.templates import template_adopt
from pintu.national.errors import MinistryAdminRequired
from pintu.national.models import CatalogTemplate, NationalHoliday
from pintu.national.services import national_holiday_set, national_holidays_seed
from tests.factories import UserFactory, ministry_user


def test_calendar_has_idul_fitri_2026_joint_leave(db):
    national_holidays_seed(years=[2026])
    joint = NationalHoliday.objects.filter(kind="joint_leave", date__month=3, date__year=2026)
    assert {h.date for h in joint} >= {dt.date(2026, 3, 20), dt.date(2026, 3, 23), dt.date(2026, 3, 24)}
    assert NationalHoliday.objects.get(date=dt.date(2026, 3, 21)).kind == "holiday"
    assert national_holidays_seed(years=[2026]) == 0  # idempotent


def test_only_ministry_admins_edit_the_national_calendar(db):
    from pintu.identity.models import MinistryRole

    with pytest.raises(MinistryAdminRequired):
        national_holiday_set(date=dt.date(2026, 12, 31), name="Cuti bersama", kind="joint_leave", actor=UserFactory())
    admin = ministry_user(MinistryRole.Role.ADMINISTRATOR)
    holiday = national_holiday_set(date=dt.date(2026, 12, 31), name="Cuti Bersama Akhir Tahun", kind="joint_leave",
                                   actor=admin)
    assert holiday.source == "ministry"


def test_seed_command_is_idempotent_and_publishes_the_starter_set(db, capsys):
    call_command("seed_national_templates", "--no-holidays")
    call_command("seed_national_templates", "--no-holidays")
    codes = set(CatalogTemplate.objects.values_list("code", flat=True))
    assert codes == {"sip-fisioterapis", "sip-bidan", "sip-perawat", "reklame", "pbg", "izin-penelitian",
                     "izin-operasional-tk"}
    assert set(CatalogTemplate.objects.values_list("version", flat=True)) == {1}
    sip = CatalogTemplate.objects.get(code="sip-bidan").data
    assert sip["permit_type"]["sla_working_days"] == 5 and sip["permit_type"]["levy_amount"] == "0"
    assert len([r for r in sip["requirements"] if r["applies_to"] != "renewal"]) == 11
    assert [r["name"] for r in sip["requirements"] if r["applies_to"] == "renewal"] == ["SIP lama"]


def test_every_starter_template_adopts_with_a_valid_sop_in_force(trenggalek):
    call_command("seed_national_templates", "--no-holidays")
    with schema_context(trenggalek.schema_name):
        for template in CatalogTemplate.objects.all():
            pt = template_adopt(template=template)
            sop = sop_in_force(pt)
            assert sop is not None and sop.version == 1, template.code
            assert pt.requirements.count() == len(template.data["requirements"])
            assert pt.adopted_from == f"{template.code}@v1"
        pbg = PermitType.objects.get(code="pbg")
        assert not pbg.is_free and pbg.levy_regulation_year == 2024
        # A practice permit never outlives the STR it rests on (issue #16, item 12).
        assert PermitType.objects.get(code="sip-fisioterapis").validity_capped_by == "str_valid_until"
        reklame = PermitType.objects.get(code="reklame")
        assert reklame.validity_months == 12 and reklame.sla_working_days == 5
        groups = {s.parallel_group for s in sop_in_force(pbg).steps.all()}
        assert "kajian" in groups


def test_adopted_copy_is_the_regencys_own(trenggalek, blitar):
    call_command("seed_national_templates", "--no-holidays")
    template = CatalogTemplate.objects.get(code="reklame")
    with schema_context(trenggalek.schema_name):
        pt = template_adopt(template=template, overrides={"is_online": False})
        assert not pt.is_online
        with pytest.raises(PermitTypeCodeTaken):
            template_adopt(template=template)
        pt.requirements.all().delete()
    template.refresh_from_db()
    assert len(template.data["requirements"]) == 8  # the national template is untouched
    with schema_context(blitar.schema_name):
        assert not PermitType.objects.filter(code="reklame").exists()
        assert template_adopt(template=template).is_online


def test_demo_seed_gives_each_regency_its_local_difference(trenggalek, blitar):
    from permits.selectors.delegation import delegation_resolve
    from permits.services.demo import demo_catalog_seed

    call_command("seed_national_templates", "--no-holidays")
    demo_catalog_seed(trenggalek)
    assert demo_catalog_seed(trenggalek) == []  # idempotent
    demo_catalog_seed(blitar)
    with schema_context(trenggalek.schema_name):
        assert set(PermitType.objects.filter(is_online=False).values_list("code", flat=True)) == {"reklame", "pbg"}
        authority = delegation_resolve(permit_type=PermitType.objects.get(code="reklame"), on=dt.date(2026, 5, 4))
        assert authority.position.code == "kepala-dpmptsp"
    with schema_context(blitar.schema_name):
        assert not PermitType.objects.filter(is_online=False).exists()
        assert PermitType.objects.get(code="izin-penelitian").sla_working_days == 2
