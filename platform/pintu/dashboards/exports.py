"""Streamed exports: CSV row by row (StreamingHttpResponse), XLSX in openpyxl's write-only mode to a temp file."""
from __future__ import annotations

import csv
import tempfile
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


def xlsx_response(*, filename: str, title: str, header: list[str], rows: Iterable[list]) -> FileResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # rows go to disk as they come; nothing is kept per cell
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    spool = tempfile.TemporaryFile()
    book.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
