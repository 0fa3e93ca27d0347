"""What a permit costs, said the same way on every page: free, or a regional levy with its legal basis.

Licensing is free. Only a regional levy (retribusi) set by a regional regulation (Perda) may
apply; it is shown with its regulation and is paid to the regional treasury, never to an officer.
Nobody can add a charge to an application: there is deliberately no service for it. An
application's cost is the levy snapshot taken when it was submitted (`Application.levy_amount`).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CostStatement:
    is_free: bool
    amount: Decimal
    legal_basis: str
    text: str

    def as_dict(self) -> dict:
        return {"is_free": self.is_free, "amount": f"{self.amount:.2f}", "legal_basis": self.legal_basis,
                "text": self.text}


def rupiah(amount: Decimal) -> str:
    """`Rp 1.250.000` (Indonesian grouping); cents only when there are any (`Rp 1.250,50`)."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = divmod(abs(amount), 1)
    grouped = f"{int(whole):,}".replace(",", ".")
    text = f"Rp {grouped}" if not cents else f"Rp {grouped},{int(cents * 100):02d}"
    return f"-{text}" if amount < 0 else text


def levy_legal_basis(*, number: str, year: int | None, article: str) -> str:
    """`Perda Nomor 5 Tahun 2023 Pasal 12` from the permit type's regulation fields."""
    number, article = (number or "").strip(), (article or "").strip()
    if not number:
        return ""
    text = _("Perda Nomor %(number)s") % {"number": number}
    if year:
        text += " " + _("Tahun %(year)s") % {"year": year}
    if article:
        text += " " + (article if article.lower().startswith("pasal") else _("Pasal %(article)s") % {"article": article})
    return text


def _statement(amount: Decimal, legal_basis: str) -> CostStatement:
    amount = Decimal(amount or 0)
    if amount == 0:
        return CostStatement(is_free=True, amount=Decimal("0"), legal_basis="", text=_("Gratis — tidak dipungut biaya"))
    basis = legal_basis or _("peraturan daerah yang berlaku")
    text = _("Retribusi %(amount)s berdasarkan %(basis)s; dibayar ke kas daerah, bukan kepada petugas") % {
        "amount": rupiah(amount), "basis": basis}
    return CostStatement(is_free=False, amount=amount, legal_basis=legal_basis, text=text)


def cost_statement(permit_type) -> CostStatement:
    """The cost of a permit type as it stands now in the regency's catalog."""
    return _statement(permit_type.levy_amount, levy_legal_basis(
        number=permit_type.levy_regulation_number, year=permit_type.levy_regulation_year,
        article=permit_type.levy_regulation_article))


def application_cost_statement(application) -> CostStatement:
    """The cost of one application: the levy in force when it was submitted, not today's.

    A draft (never submitted) follows the catalog. After submission the amount is the
    snapshot; a levy raised later never reaches it. The regulation text is the catalog's
    current one (the snapshot keeps only the amount).
    """
    if application.submitted_at is None:
        return cost_statement(application.permit_type)
    permit_type = application.permit_type
    basis = ""
    if Decimal(application.levy_amount or 0) == Decimal(permit_type.levy_amount or 0):
        basis = levy_legal_basis(number=permit_type.levy_regulation_number, year=permit_type.levy_regulation_year,
                                 article=permit_type.levy_regulation_article)
    statement = _statement(application.levy_amount, basis)
    if not statement.is_free and not basis:
        text = _("Retribusi %(amount)s berdasarkan peraturan daerah yang berlaku saat permohonan diajukan; "
                 "dibayar ke kas daerah, bukan kepada petugas") % {"amount": rupiah(statement.amount)}
        statement = CostStatement(is_free=False, amount=statement.amount, legal_basis="", text=text)
    return statement


def cost_of(obj) -> CostStatement:
    """A statement for whatever a page holds: a statement, an application or a permit type."""
    if isinstance(obj, CostStatement):
        return obj
    if hasattr(obj, "permit_type") and hasattr(obj, "submitted_at") and hasattr(obj, "levy_amount"):
        return application_cost_statement(obj)
    if hasattr(obj, "application") and hasattr(obj.application, "levy_amount"):  # an issued Permit
        return application_cost_statement(obj.application)
    return cost_statement(obj)
