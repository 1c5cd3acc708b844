"""CSV export of exactly what a list shows. Cells are neutralised against spreadsheet formulas."""

import csv

from django.http import StreamingHttpResponse


class _Echo:
    def write(self, value):
        return value


def _safe(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # so spreadsheet programs read UTF-8 accents right
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
