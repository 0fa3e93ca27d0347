"""The XLSX writer (`pintu.dashboards.exports.xlsx_bytes`): what a spreadsheet program reads back."""
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from pintu.dashboards.exports import xlsx_bytes


def test_an_xlsx_sheet_reads_back_with_its_numbers_text_and_blanks():
    data = xlsx_bytes(title="Dasbor: Kab. [Trenggalek]/2026 dan kolom panjang sekali", header=["Kode", "Daerah", "IKM"],
                      rows=[["3503", "Kab. <Trenggalek> & \"Sekitarnya\"\x07", Decimal("82.51")],
                            ["3572", "  Kota Blitar  ", None],
                            ["5271", "Baris\nkedua", 7, True, 1.5, Decimal("NaN")]])
    book = load_workbook(io.BytesIO(data), read_only=True)
    [name] = book.sheetnames
    assert name == "Dasbor  Kab.  Trenggalek  2026 d"[:31].strip()  # 31 characters, none a sheet name refuses
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kode", "Daerah", "IKM")
    assert rows[1][:3] == ("3503", 'Kab. <Trenggalek> & "Sekitarnya"', 82.51)  # a code stays text; no control character
    assert rows[2][:3] == ("3572", "  Kota Blitar  ", None)  # spaces kept, None an empty cell
    assert rows[3] == ("5271", "Baris\nkedua", 7, True, 1.5, None)  # NaN is no number a sheet can hold
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_an_empty_export_is_a_sheet_with_its_header():
    book = load_workbook(io.BytesIO(xlsx_bytes(title="", header=["Tanggal"], rows=[])), read_only=True)
    assert book.sheetnames == ["Sheet1"]
    assert list(book.active.iter_rows(values_only=True)) == [("Tanggal",)]
