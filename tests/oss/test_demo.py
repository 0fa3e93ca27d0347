"""make demo connects the demo regencies to the OSS simulator, reusing their keys across runs."""
from __future__ import annotations

from permits.oss.credentials import oss_regency_for_key
from permits.oss.demo import DEMO_KD_IZIN, oss_demo_connect
from tests.factories import in_schema, oss_office


def test_demo_connects_trenggalek_with_a_reused_key_and_a_mapped_code(trenggalek, tmp_path):
    from permits.oss.models import PermitCodeMapping

    oss_office(trenggalek, "033000000101")
    keys = oss_demo_connect(regencies=[trenggalek], key_file=tmp_path / "keys.json")
    assert oss_regency_for_key(keys["3503"]) == trenggalek
    assert oss_demo_connect(regencies=[trenggalek], key_file=tmp_path / "keys.json") == keys  # next run
    with in_schema(trenggalek):
        assert PermitCodeMapping.objects.get(kd_izin=DEMO_KD_IZIN).permit_type_id is not None
