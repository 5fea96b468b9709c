"""The weakest-provision page as CSV and Excel files: each criterion's spread, every school named.

Levels are written by name; every cell goes through sendplan.spreadsheets.safe_row (school names are
typed by people).
"""

import csv
import io

from django.http import HttpResponse

from audits import weakest
from audits.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from sendplan.models import Membership
from sendplan.spreadsheets import safe_row


def headings(levels: list[weakest.Level], choice: weakest.Choice) -> list[str]:
    """Return the column headings of the criteria table: a count and the schools for each level."""
    row = ["Criterion", "Statement", "Section", "Statutory duty"]
    for level in levels:
        row += [f"{level.label} ({level.place}): schools", f"{level.label}: school names"]
    row += ["Not applicable: schools", "Not applicable: school names", "Not rated: schools"]
    row += ["Not rated: school names"]
    if choice.compare:
        row.append(f"At {levels[0].label} in {choice.previous_year}: schools" if levels else "")
    return row


def _names(cell: weakest.Cell) -> str:
    return "; ".join(named.school_name for named in cell.named)


def criteria_rows(membership: Membership, choice: weakest.Choice) -> tuple[list[str], list[list]]:
    """Return the headings and one row per criterion, most schools at the lowest level first."""
    scales = weakest.scales_for(choice.version)
    levels = scales.of(choice.version)
    rows = []
    for item in weakest.spread(membership, choice, scales, names=None):
        c = item.criterion
        row = [c.ref, c.statement, c.section.title, "Yes" if c.statutory else "No"]
        for cell in item.levels:
            row += [cell.count, _names(cell)]
        row += [item.not_applicable.count, _names(item.not_applicable)]
        row += [item.not_rated.count, _names(item.not_rated)]
        if choice.compare:
            row.append(item.lowest_last_year)
        rows.append(row)
    return headings(levels, choice), rows


def describe(choice: weakest.Choice, counts: dict[str, int]) -> list[str]:
    """Return the lines that say what the file holds: the version, year, filters and coverage."""
    phase = dict(weakest.PHASES).get(choice.phase, "All phases")
    area = choice.section.title if choice.section else "All areas"
    return [
        f"{choice.version} – {choice.year} – {phase} – {area}",
        f"{counts['handed']} of {counts['schools']} schools handed this audit to the local authority "
        "(submitted or accepted); the others are not counted.",
    ]


def file_name(choice: weakest.Choice, extension: str) -> str:
    return f"weakest-provision-{choice.version.framework.slug}-{choice.year.replace('/', '-')}.{extension}"


def as_csv(membership: Membership, choice: weakest.Choice) -> str:
    """Return the criteria table as CSV text, with a byte order mark so Excel reads it as UTF-8."""
    heading, rows = criteria_rows(membership, choice)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(heading))
    for row in rows:
        writer.writerow(safe_row(row))
    return "\ufeff" + buffer.getvalue()


def as_xlsx(membership: Membership, choice: weakest.Choice) -> bytes:
    """Return the criteria table as an Excel workbook, with what it holds above it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    heading, rows = criteria_rows(membership, choice)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Criteria"
    for line in describe(choice, weakest.coverage(membership, choice)):
        sheet.append(safe_row([line]))
    sheet.append([])
    sheet.append(safe_row(heading))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    sheet.freeze_panes = f"B{header_row + 1}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def response(membership: Membership, choice: weakest.Choice, kind: str) -> HttpResponse:
    """Return the file as a download."""
    if kind == "csv":
        reply = HttpResponse(as_csv(membership, choice), content_type=CSV_CONTENT_TYPE)
    else:
        reply = HttpResponse(as_xlsx(membership, choice), content_type=XLSX_CONTENT_TYPE)
    reply["Content-Disposition"] = f'attachment; filename="{file_name(choice, kind)}"'
    return reply
