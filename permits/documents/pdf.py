"""Render the permit (surat izin) and the counter receipt (tanda terima) as PDF with reportlab.

Everything that comes from people (names, form answers, decision text) is escaped before it
reaches reportlab's markup, so "<script>" prints as text. Text is set in DejaVu Sans when the
system has it (covers non-Latin names), else Helvetica.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from permits.documents.qr import qr_image
from permits.documents.text import date_id, datetime_id

# Streams are written as binary (Flate only), not also ASCII85-encoded: that 7-bit armour made every
# image and font 25 % larger and cost ~7 ms of pure-Python encoding per permit (reportlab's C
# accelerator is not installed); every PDF reader decodes both the same.
rl_config.useA85 = 0

_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """(regular, bold) font names, registering DejaVu Sans once when it is installed."""
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("PintuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("PintuSans-Bold", str(bold)))
            return "PintuSans", "PintuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True)
class Letterhead:
    """The kop surat of the regency's one-stop office."""
    government: str          # "PEMERINTAH KABUPATEN TRENGGALEK"
    office_name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    place: str = ""          # the town written before the date: "Trenggalek"

    @classmethod
    def from_regency(cls, regency) -> Letterhead:
        name = regency.name.replace("Kab. ", "Kabupaten ").replace("Kab ", "Kabupaten ")
        if not name.startswith(("Kabupaten", "Kota")):
            name = f"{'Kota' if getattr(regency, 'kind', '') == 'kota' else 'Kabupaten'} {name}"
        return cls(government=f"PEMERINTAH {name.upper()}", office_name=regency.office_name or f"DPMPTSP {name}",
                   address=regency.office_address, phone=regency.office_phone, email=regency.office_email,
                   place=name.split(" ", 1)[1])


@dataclass(frozen=True)
class PermitDocument:
    letterhead: Letterhead
    title: str                                  # "SURAT IZIN PRAKTIK FISIOTERAPIS"
    permit_number: str
    decision_text: Sequence[str]                # paragraphs
    applicant_name: str
    form_rows: Sequence[tuple[str, str]]        # (label, answer), in the form's order
    valid_from: dt.date | dt.datetime
    valid_until: dt.date | dt.datetime | None   # None: valid while the activity lasts
    issued_at: dt.datetime                      # aware
    time_zone: str                              # the regency's
    verification_url: str
    official_name: str
    official_position: str                      # "Kepala Dinas Penanaman Modal dan PTSP"
    authority: str                              # "Berdasarkan pelimpahan wewenang ..." (a whole phrase)
    official_id: str = ""                       # NIP
    acting_as: str = ""                         # "Plh." / "Plt." when an acting official signs
    cost_text: str = ""                         # billing_free's one cost sentence (application_cost_statement)
    registration_number: str = ""
    validity_reason: str = ""                   # "mengikuti STR berlaku sampai" when a form date caps it


@dataclass(frozen=True)
class ReceiptDocument:
    letterhead: Letterhead
    registration_number: str
    tracking_code: str
    tracking_url: str
    permit_type: str
    applicant_name: str
    submitted_at: dt.datetime                   # aware
    time_zone: str
    requirements_received: Sequence[str]
    channel: str = "Loket"
    officer_name: str = ""
    due_on: dt.date | None = None
    cost_text: str = ""                         # billing_free's one cost sentence (application_cost_statement)
    notes: Sequence[str] = field(default_factory=tuple)


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    return {
        "gov": ParagraphStyle("gov", fontName=bold, fontSize=12, leading=15, alignment=TA_CENTER),
        "office": ParagraphStyle("office", fontName=bold, fontSize=13, leading=16, alignment=TA_CENTER),
        "contact": ParagraphStyle("contact", fontName=regular, fontSize=8.5, leading=11, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=bold, fontSize=13, leading=17, alignment=TA_CENTER, spaceBefore=6),
        "number": ParagraphStyle("number", fontName=regular, fontSize=10, leading=13, alignment=TA_CENTER, spaceAfter=8),
        "body": ParagraphStyle("body", fontName=regular, fontSize=10, leading=14, spaceAfter=5),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=9.5, leading=12),
        "cellb": ParagraphStyle("cellb", fontName=bold, fontSize=9.5, leading=12),
        "small": ParagraphStyle("small", fontName=regular, fontSize=7.5, leading=9.5),
        "sign": ParagraphStyle("sign", fontName=regular, fontSize=10, leading=13),
        "signb": ParagraphStyle("signb", fontName=bold, fontSize=10, leading=13),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _letterhead(head: Letterhead, styles) -> list:
    contact = " · ".join(part for part in (
        head.address, f"Telp. {head.phone}" if head.phone else "", f"Email: {head.email}" if head.email else "") if part)
    rule = Table([[""]], colWidths=[170 * mm], rowHeights=[2])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.5, colors.black)]))
    return [_p(head.government, styles["gov"]), _p(head.office_name.upper(), styles["office"]),
            _p(contact, styles["contact"]), Spacer(1, 2 * mm), rule, Spacer(1, 4 * mm)]


class _QrCode(Flowable):
    """The QR drawn from its pixels as one grey image: the same picture as a PNG of it, without
    encoding a PNG that reportlab decodes again and without widening it to RGB (3x the data to
    compress) on every permit."""

    def __init__(self, url: str, size: float):
        super().__init__()
        self.url, self.size = url, size
        self.hAlign = "CENTER"  # as reportlab's Image

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self) -> None:
        image = ImageReader(qr_image(self.url).convert("L"))
        self.canv.drawImage(image, 0, 0, self.size, self.size, mask="auto")


def _qr(url: str, size_mm: float) -> Flowable:
    return _QrCode(url, size_mm * mm)


def _cost_line(cost_text: str) -> str:
    """The cost as the tracking page and the transparency page word it, never reworded here."""
    return f"Biaya: {cost_text}." if cost_text else ""


def _rows_table(rows: Sequence[tuple[str, str]], styles) -> Table:
    table = Table([[_p(label, styles["cellb"]), _p(":", styles["cell"]), _p(value or "-", styles["cell"])]
                   for label, value in rows], colWidths=[55 * mm, 4 * mm, 111 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


DRAFT_MARK = "DRAF"


def _draft_mark(canvas, _doc) -> None:
    """A large diagonal DRAF across the page: a preview can never pass for the signed permit."""
    canvas.saveState()
    canvas.setFont(fonts()[1], 110)
    canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.18))
    width, height = A4
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -40, DRAFT_MARK)
    canvas.setFont(fonts()[0], 11)
    canvas.drawCentredString(0, -80, "Pratinjau sebelum ditandatangani - bukan dokumen izin")
    canvas.restoreState()


def _build(story: list, *, title: str, author: str, subject: str, draft: bool = False) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=title, author=author, subject=subject, creator="Pintu")
    if draft:
        doc.build(story, onFirstPage=_draft_mark, onLaterPages=_draft_mark)
    else:
        doc.build(story)
    return buffer.getvalue()


def render_permit_pdf(doc: PermitDocument, *, draft: bool = False) -> bytes:
    """The permit as issued: letterhead, number, decision, applicant data, validity, cost, QR, signature block.

    `draft`: the unsigned preview the signing official reads, watermarked DRAF on every page."""
    styles = _styles()
    tz = doc.time_zone
    story = _letterhead(doc.letterhead, styles)
    story += [_p(doc.title.upper(), styles["title"]), _p(f"Nomor: {doc.permit_number}", styles["number"])]
    story += [_p(paragraph, styles["body"]) for paragraph in doc.decision_text]
    story += [Spacer(1, 2 * mm), _rows_table([("Nama Pemohon", doc.applicant_name), *doc.form_rows], styles),
              Spacer(1, 4 * mm)]
    if doc.valid_until is None:
        validity = f"Izin ini berlaku sejak {date_id(doc.valid_from, tz)} selama kegiatan masih dijalankan sesuai ketentuan."
    else:
        validity = f"Izin ini berlaku sejak {date_id(doc.valid_from, tz)} sampai dengan {date_id(doc.valid_until, tz)}"
        validity += f" ({doc.validity_reason})." if doc.validity_reason else "."
    story += [_p(validity, styles["body"]), _p(_cost_line(doc.cost_text), styles["body"]), Spacer(1, 6 * mm)]

    acting = f"{doc.acting_as} " if doc.acting_as else ""
    signature = [
        _p(f"Ditetapkan di {doc.letterhead.place or '-'}", styles["sign"]),
        _p(f"pada tanggal {date_id(doc.issued_at, tz)}", styles["sign"]),
        Spacer(1, 2 * mm),
        _p(f"{acting}{doc.official_position}".upper(), styles["signb"]),
        _p(doc.authority, styles["small"]),
        Spacer(1, 3 * mm),
        _p("Ditandatangani secara elektronik", styles["small"]),
        Spacer(1, 3 * mm),
        _p(doc.official_name, styles["signb"]),
    ]
    if doc.official_id:
        signature.append(_p(f"NIP. {doc.official_id}", styles["sign"]))
    qr_cell = [_qr(doc.verification_url, 30), _p("Pindai untuk memeriksa keaslian dokumen:", styles["small"]),
               _p(doc.verification_url, styles["small"])]
    block = Table([[qr_cell, signature]], colWidths=[75 * mm, 95 * mm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [KeepTogether([block]), Spacer(1, 6 * mm)]
    footer = ("Dokumen ini ditandatangani secara elektronik. Keaslian dan status izin dapat diperiksa melalui kode QR "
              "di atas. Setiap perubahan pada berkas ini membatalkan tanda tangannya.")
    if doc.registration_number:
        footer = f"No. registrasi {doc.registration_number}. " + footer
    story.append(_p(footer, styles["small"]))
    return _build(story, title=f"{'DRAF ' if draft else ''}{doc.title} {doc.permit_number}",
                  author=doc.letterhead.office_name, subject=doc.title, draft=draft)


def render_receipt_pdf(doc: ReceiptDocument) -> bytes:
    """The counter receipt (tanda terima berkas) handed to a walk-in applicant, with the tracking QR."""
    styles = _styles()
    tz = doc.time_zone
    story = _letterhead(doc.letterhead, styles)
    story += [_p("TANDA TERIMA BERKAS PERMOHONAN", styles["title"]),
              _p(f"Nomor Registrasi: {doc.registration_number}", styles["number"])]
    rows = [
        ("Jenis Izin", doc.permit_type),
        ("Nama Pemohon", doc.applicant_name),
        ("Diterima", datetime_id(doc.submitted_at, tz)),
        ("Saluran", doc.channel),
        ("Kode Pelacakan", doc.tracking_code),
    ]
    if doc.due_on:
        rows.append(("Perkiraan Selesai", date_id(doc.due_on, tz)))
    if doc.officer_name:
        rows.append(("Petugas", doc.officer_name))
    story += [_rows_table(rows, styles), Spacer(1, 4 * mm), _p("Persyaratan yang diterima:", styles["cellb"])]
    story += [_p(f"{index}. {item}", styles["body"]) for index, item in enumerate(doc.requirements_received, 1)]
    story += [_p(_cost_line(doc.cost_text), styles["body"])]
    story += [_p(note, styles["body"]) for note in doc.notes]
    qr_cell = [_qr(doc.tracking_url, 32)]
    text = [_p("Lacak permohonan Anda tanpa perlu datang ke kantor:", styles["sign"]),
            _p(doc.tracking_url, styles["small"]), Spacer(1, 2 * mm),
            _p(f"Masukkan nomor registrasi {doc.registration_number} dan kode pelacakan {doc.tracking_code}.",
               styles["sign"])]
    block = Table([[qr_cell, text]], colWidths=[40 * mm, 130 * mm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [Spacer(1, 4 * mm), block]
    return _build(story, title=f"Tanda Terima {doc.registration_number}", author=doc.letterhead.office_name,
                  subject="Tanda terima berkas permohonan")
