"""Exports: CSV streamed row by row (StreamingHttpResponse), XLSX written as SpreadsheetML in memory.

The XLSX is one sheet of numbers and inline text, written directly (`xlsx_bytes`): the national export
(514 regencies x 17 columns) took ~54 ms of CPU with openpyxl's write-only mode, ~39 ms with XlsxWriter
in memory (quiet machine; ~100 ms on a loaded one), most of the export; one join over the rows is a few
milliseconds (bench/dashboard.py). A few hundred rows a sheet fit in memory.
"""
from __future__ import annotations

import csv
import html
import io
import math
import zipfile
from collections.abc import Iterable
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(["" if v is None else v for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _column(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


#: Characters XML 1.0 cannot carry (control characters but tab, newline, carriage return).
_NOT_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)], None)
#: ... and those a sheet's name cannot hold in a spreadsheet program.
_NOT_IN_SHEET_NAME = {**_NOT_XML, **dict.fromkeys(map(ord, "[]:*?/\\"), " ")}


_NUMBERS = (int, float, Decimal)
#: A row's XML as one format string per sequence of cell types (the national export has a handful):
#: {0} the row's number, {n} the n-th value, written as the type says.
_ROW_FORMATS: dict[tuple[type, ...], str] = {}


def _row_format(kinds: tuple[type, ...]) -> str:
    cells = []
    for index, kind in enumerate(kinds):
        ref = f"{_column(index)}{{0}}"
        if kind is bool:
            cells.append(f'<c r="{ref}" t="b"><v>{{{index + 1}:d}}</v></c>')
        elif kind in _NUMBERS:
            cells.append(f'<c r="{ref}"><v>{{{index + 1}}}</v></c>')
        elif kind is not type(None):
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{{{index + 1}}}</t></is></c>')
    return _ROW_FORMATS.setdefault(kinds, '<row r="{0}">' + "".join(cells) + "</row>")


_AS_IS = frozenset((int, bool, type(None)))


def _row(number: int, line) -> str:
    """One row's cells: numbers as numbers (none that is not finite), text inline and escaped, None and "" blank."""
    kinds = tuple(map(type, line))
    if not _AS_IS.issuperset(kinds):
        values = list(line)
        retyped = False
        for index, kind in enumerate(kinds):
            if kind in _AS_IS:
                continue
            value = values[index]
            if kind is float or kind is Decimal:
                if not math.isfinite(value):
                    values[index], retyped = None, True
            elif value == "":
                values[index], retyped = None, True
            else:
                values[index] = html.escape(str(value).translate(_NOT_XML), quote=False)  # & < >, as xml.sax's
                retyped = retyped or kind is not str
        line = values
        if retyped:
            kinds = tuple(map(type, values))
    return (_ROW_FORMATS.get(kinds) or _row_format(kinds)).format(number, *line)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>')
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def xlsx_bytes(*, title: str, header: list[str], rows: Iterable[list]) -> bytes:
    """One sheet (`title`, at most 31 characters) of `header` and `rows`: numbers as numbers, text inline.

    Written directly as SpreadsheetML (ECMA-376): the sheet's XML is one join over the rows, so the national
    export (515 x 17 cells) costs a few milliseconds where a general writer's per-cell calls cost ~100 ms on
    a loaded machine (xlsxwriter in memory, openpyxl's write-only mode slower still; bench/README.md).
    """
    title = html.escape(title.translate(_NOT_IN_SHEET_NAME)[:31].strip() or "Sheet1", quote=False).replace(
        '"', "&quot;")
    lines = [header, *rows]
    width = max((len(line) for line in lines), default=0)
    columns = [_column(i) for i in range(width)]
    sheet_rows = "".join(_row(number, line) for number, line in enumerate(lines, start=1))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="{f"A1:{columns[-1]}{len(lines)}" if columns else "A1"}"/>'
             f'<sheetData>{sheet_rows}</sheetData></worksheet>')
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    spool = io.BytesIO()
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                           ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
                           ("xl/styles.xml", _STYLES), ("xl/worksheets/sheet1.xml", sheet)):
            archive.writestr(name, text)
    return spool.getvalue()


def xlsx_response(*, filename: str, title: str, header: list[str], rows: Iterable[list]) -> FileResponse:
    spool = io.BytesIO(xlsx_bytes(title=title, header=header, rows=rows))
    return FileResponse(spool, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
