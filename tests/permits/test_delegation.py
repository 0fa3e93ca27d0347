"""Who may sign: delegated, Plh, Plt, expired rule, no rule, overlap refused, across a regency's midnight."""
import datetime as dt

import pytest
from django.utils.translation import override
from django_tenants.utils import schema_context

from permits.errors import ActingOverlap, ConfigInvalid, DelegationOverlap
from permits.regency import regency_today
from permits.selectors.delegation import chain_as_recorded, delegation_resolve
from permits.services.catalog import permit_type_create
from permits.services.delegation import (
    acting_official_create,
    delegation_create,
    delegation_end,
    position_create,
)
from tests.factories import UserFactory

D = dt.date


def _posts(head_name="Bupati Trenggalek"):
    bupati = position_create(code="bupati", name=head_name, kind="regional_head",
                             holder=UserFactory(full_name="Mochamad Nur Arifin"))
    kepala = position_create(code="kepala-dpmptsp", name="Kepala DPMPTSP", kind="office_head",
                             holder=UserFactory(full_name="Ir. Kepala Dinas"))
    return bupati, kepala


def _rule(bupati, kepala, permit_types=None, **kw):
    values = dict(from_position=bupati, to_position=kepala, applies_to_all=permit_types is None,
                  legal_basis_number="Perbup Trenggalek Nomor 27 Tahun 2019", legal_basis_date=D(2019, 6, 3),
                  valid_from=D(2019, 7, 1))
    values.update(kw)
    return delegation_create(permit_types=permit_types, **values)


def test_no_rule_leaves_authority_with_the_regional_head_said_plainly(permit_type):
    bupati, _ = _posts()
    authority = delegation_resolve(permit_type=permit_type, on=D(2026, 5, 4))
    assert authority.position == bupati and authority.rule is None and authority.acting is None
    assert authority.official.full_name == "Mochamad Nur Arifin"
    assert any("kewenangan tetap pada Bupati Trenggalek" in line for line in authority.chain)


def test_delegated_to_the_office_head_records_the_rule(permit_type):
    bupati, kepala = _posts()
    rule = _rule(bupati, kepala, [permit_type])
    authority = delegation_resolve(permit_type=permit_type, on=D(2026, 5, 4))
    assert authority.position == kepala and authority.rule == rule
    assert authority.official.full_name == "Ir. Kepala Dinas"
    assert "Perbup Trenggalek Nomor 27 Tahun 2019" in authority.chain[1]
    other = permit_type_create(code="reklame", name="Izin Reklame", sla_working_days=5)
    assert delegation_resolve(permit_type=other, on=D(2026, 5, 4)).position == bupati  # not in the listed scope


def test_an_expired_rule_hands_authority_back(permit_type):
    bupati, kepala = _posts()
    rule = _rule(bupati, kepala)
    delegation_end(delegation=rule, on=D(2026, 4, 30))
    assert delegation_resolve(permit_type=permit_type, on=D(2026, 4, 30)).position == kepala
    after = delegation_resolve(permit_type=permit_type, on=D(2026, 5, 1))
    assert after.position == bupati and after.rule is None
    assert "Tidak ada pelimpahan wewenang yang berlaku pada 1 Mei 2026" in after.chain[-2]


def test_plh_signs_while_the_holder_is_away(permit_type):
    bupati, kepala = _posts()
    _rule(bupati, kepala)
    deputy = UserFactory(full_name="Sekretaris Dinas")
    acting_official_create(position=kepala, user=deputy, kind="plh", decree_number="800/12/2026",
                           valid_from=D(2026, 5, 4), valid_until=D(2026, 5, 8))
    during = delegation_resolve(permit_type=permit_type, on=D(2026, 5, 6))
    assert during.official == deputy and during.acting.kind == "plh"
    assert "Plh Kepala DPMPTSP" in during.chain[-1] and "berhalangan sementara" in during.chain[-1]
    assert delegation_resolve(permit_type=permit_type, on=D(2026, 5, 9)).official.full_name == "Ir. Kepala Dinas"


def test_the_chain_reads_in_the_officers_language_and_is_recorded_in_indonesian(permit_type):
    bupati, kepala = _posts()
    _rule(bupati, kepala, valid_until=D(2026, 12, 31))
    acting_official_create(position=kepala, user=UserFactory(full_name="Sekretaris Dinas"), kind="plh",
                           decree_number="800/12/2026", valid_from=D(2026, 5, 4), valid_until=D(2026, 5, 8))
    authority = delegation_resolve(permit_type=permit_type, on=D(2026, 5, 6))
    with override("en"):
        english = [str(line) for line in authority.chain]
        recorded = chain_as_recorded(authority.chain)
    assert english[1] == ("Delegated to Kepala DPMPTSP by Perbup Trenggalek Nomor 27 Tahun 2019 of 3 June 2019 "
                          "for all permit types, in force from 1 July 2019 until 31 December 2026.")
    assert english[-1] == ("On 6 May 2026 signed by the Plh Kepala DPMPTSP, Sekretaris Dinas (800/12/2026), "
                           "because the official is temporarily away.")
    assert recorded[1] == ("Dilimpahkan kepada Kepala DPMPTSP dengan Perbup Trenggalek Nomor 27 Tahun 2019 tanggal "
                           "3 Juni 2019 untuk semua jenis izin, berlaku sejak 1 Juli 2019 sampai 31 Desember 2026.")
    assert recorded[-1].startswith("Pada 6 Mei 2026 ditandatangani oleh Plh Kepala DPMPTSP, Sekretaris Dinas")
    assert recorded == [str(line) for line in authority.chain]  # Indonesian is the default


def test_plt_signs_for_a_vacant_post_and_nobody_signs_without_one(permit_type):
    bupati, kepala = _posts()
    _rule(bupati, kepala)
    kepala.holder = None
    kepala.save()
    nobody = delegation_resolve(permit_type=permit_type, on=D(2026, 5, 6))
    assert nobody.official is None and not nobody.can_sign and "kosong" in nobody.chain[-1]
    with pytest.raises(ConfigInvalid) as exc:
        acting_official_create(position=kepala, user=UserFactory(), kind="plh", valid_from=D(2026, 5, 1),
                               valid_until=D(2026, 5, 30))
    assert exc.value.detail["fields"]["kind"][0]["code"] == "plh_needs_holder"
    plt = UserFactory(full_name="Plt Kepala")
    acting_official_create(position=kepala, user=plt, kind="plt", valid_from=D(2026, 5, 1))
    authority = delegation_resolve(permit_type=permit_type, on=D(2026, 5, 6))
    assert authority.official == plt and "jabatan kosong" in authority.chain[-1]
    with pytest.raises(ActingOverlap):
        acting_official_create(position=kepala, user=UserFactory(), kind="plt", valid_from=D(2026, 6, 1))


def test_overlapping_rules_for_the_same_scope_are_refused(permit_type):
    bupati, kepala = _posts()
    sekda = position_create(code="kabid", name="Kepala Bidang Perizinan", kind="division_head")
    _rule(bupati, kepala, [permit_type], valid_until=D(2026, 12, 31))
    with pytest.raises(DelegationOverlap) as exc:
        _rule(bupati, sekda, legal_basis_number="Perbup 5/2026", valid_from=D(2026, 6, 1))  # all types overlaps
    assert "Perbup Trenggalek Nomor 27 Tahun 2019" in exc.value.message
    other = permit_type_create(code="reklame", name="Izin Reklame", sla_working_days=5)
    _rule(bupati, sekda, [other], legal_basis_number="Perbup 5/2026", valid_from=D(2026, 6, 1))  # disjoint: fine
    _rule(bupati, sekda, [permit_type], legal_basis_number="Perbup 9/2027", valid_from=D(2027, 1, 1))  # after: fine


def test_a_rule_starting_at_midnight_applies_first_in_wita(mataram, trenggalek, permit_type):
    # 16:30 UTC on 31 March 2026 is 00:30 on 1 April in Mataram (WITA) but 23:30 on 31 March in Trenggalek (WIB).
    at = dt.datetime(2026, 3, 31, 16, 30, tzinfo=dt.timezone.utc)
    bupati, kepala = _posts()
    _rule(bupati, kepala, valid_from=D(2026, 4, 1))
    assert regency_today(at=at) == D(2026, 3, 31)
    assert delegation_resolve(permit_type=permit_type, on=regency_today(at=at)).position == bupati
    with schema_context(mataram.schema_name):
        pt = permit_type_create(code="sipb", name="SIP Bidan", sla_working_days=5)
        walikota, kepala_m = _posts("Walikota Mataram")
        _rule(walikota, kepala_m, valid_from=D(2026, 4, 1), legal_basis_number="Perwal Mataram 9/2019")
        assert regency_today(at=at) == D(2026, 4, 1)
        assert delegation_resolve(permit_type=pt, on=regency_today(at=at)).position == kepala_m
