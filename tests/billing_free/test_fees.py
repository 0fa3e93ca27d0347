"""The cost sentence every page shows: free, or a regional levy with its legal basis."""
from decimal import Decimal

from django.template import Context, Template
from django.utils import timezone
from django_tenants.utils import schema_context

from billing_free.serializers import CostStatementField
from permits.fees import application_cost_statement, cost_statement, rupiah
from permits.services.catalog import permit_type_create, permit_type_update
from pintu.audit.models import AuditEntry


def _render(obj) -> str:
    return Template("{% load fees %}<p>{% cost_line obj %}</p>").render(Context({"obj": obj}))


def test_a_free_permit_type_says_gratis_in_the_cost_line(trenggalek):
    with schema_context(trenggalek.schema_name):
        sip = permit_type_create(code="sip-fisio", name="SIP Fisioterapis", sla_working_days=5)
        statement = cost_statement(sip)
        html = _render(sip)
    assert statement.is_free and statement.amount == 0 and statement.legal_basis == ""
    assert statement.text == "Gratis — tidak dipungut biaya"
    assert "Gratis — tidak dipungut biaya" in html and 'data-cost="free"' in html
    assert "Retribusi" not in html


def test_a_levy_is_stated_with_its_regulation_and_the_treasury(levy_type):
    statement = cost_statement(levy_type)
    assert not statement.is_free
    assert statement.amount == Decimal("1250000")
    assert statement.legal_basis == "Perda Nomor 5 Tahun 2023 Pasal 12"
    assert statement.text == ("Retribusi Rp 1.250.000 berdasarkan Perda Nomor 5 Tahun 2023 Pasal 12; "
                              "dibayar ke kas daerah, bukan kepada petugas")
    html = _render(levy_type)
    assert "Retribusi Rp 1.250.000 berdasarkan Perda Nomor 5 Tahun 2023 Pasal 12" in html
    assert "bukan kepada petugas" in html and 'data-cost="levy"' in html


def test_rupiah_uses_indonesian_grouping():
    assert rupiah(Decimal("1250000")) == "Rp 1.250.000"
    assert rupiah(Decimal("0")) == "Rp 0"
    assert rupiah(Decimal("7500.50")) == "Rp 7.500,50"


def test_article_without_the_word_pasal_is_prefixed(trenggalek):
    with schema_context(trenggalek.schema_name):
        reklame = permit_type_create(code="reklame", name="Izin Reklame", sla_working_days=5, levy_amount="300000",
                                     levy_regulation_number="2", levy_regulation_year=2024,
                                     levy_regulation_article="7 ayat (2)")
    assert cost_statement(reklame).legal_basis == "Perda Nomor 2 Tahun 2024 Pasal 7 ayat (2)"


def test_a_levy_change_is_audited_and_only_reaches_later_applications(trenggalek, levy_type):
    from permits.models.applications import Application

    with schema_context(trenggalek.schema_name):
        before = Application.objects.create(permit_type=levy_type, applicant_name="Budi", tracking_code="AAAA1111",
                                            status=Application.Status.SUBMITTED, submitted_at=timezone.now(),
                                            levy_amount=levy_type.levy_amount)
        permit_type_update(permit_type=levy_type, levy_amount=Decimal("2000000"))
        entry = AuditEntry.objects.order_by("-seq").first()
        assert entry.action == "permit_type.update"
        assert [Decimal(v) for v in entry.detail["changed"]["levy_amount"]] == [Decimal("1250000"), Decimal("2000000")]
        levy_type.refresh_from_db()
        after = Application.objects.create(permit_type=levy_type, applicant_name="Sari", tracking_code="BBBB2222",
                                           status=Application.Status.SUBMITTED, submitted_at=timezone.now(),
                                           levy_amount=levy_type.levy_amount)
        draft = Application.objects.create(permit_type=levy_type, applicant_name="Ani", tracking_code="CCCC3333")
        # The earlier application keeps the levy in force when it was submitted.
        old = application_cost_statement(before)
        assert old.amount == Decimal("1250000")
        assert old.text.startswith("Retribusi Rp 1.250.000 berdasarkan peraturan daerah yang berlaku saat permohonan diajukan")
        assert "Rp 2.000.000" not in _render(before)
        new = application_cost_statement(after)
        assert new.text.startswith("Retribusi Rp 2.000.000 berdasarkan Perda Nomor 5 Tahun 2023 Pasal 12")
        # A draft follows the catalog until it is submitted.
        assert application_cost_statement(draft).amount == Decimal("2000000")


def test_an_application_submitted_when_free_stays_free(trenggalek, levy_type):
    from permits.models.applications import Application

    with schema_context(trenggalek.schema_name):
        free_then = Application.objects.create(permit_type=levy_type, applicant_name="Budi", tracking_code="DDDD4444",
                                               status=Application.Status.IN_PROCESS, submitted_at=timezone.now(),
                                               levy_amount=0)
        assert application_cost_statement(free_then).is_free
        assert "Gratis — tidak dipungut biaya" in _render(free_then)


def test_the_api_cost_field_is_read_only_and_structured(levy_type):
    field = CostStatementField()
    assert field.read_only
    assert field.to_representation(levy_type) == {
        "is_free": False, "amount": "1250000.00", "legal_basis": "Perda Nomor 5 Tahun 2023 Pasal 12",
        "text": "Retribusi Rp 1.250.000 berdasarkan Perda Nomor 5 Tahun 2023 Pasal 12; dibayar ke kas daerah, "
                "bukan kepada petugas"}
