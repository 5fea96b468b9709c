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


SCHOOL_HEADINGS = ["School", "URN", "Phase", "Overall"]


def school_rows(membership: Membership, choice: weakest.Choice) -> tuple[list[str], list[list]]:
    """Return the headings and one row per school of the heatmap: its level for each section, by name."""
    scales = weakest.scales_for(choice.version)
    sections = weakest.heat_sections(choice)
    heading = SCHOOL_HEADINGS + [f"{s.ref} {s.title}" for s in sections]
    if choice.compare:
        heading += [f"Overall in {choice.previous_year}", "Change"]
    rows = []
    for row in weakest.heatmap(membership, choice, scales, sections):
        if row.audit_id is None:
            values = [row.school_name, row.urn, row.phase, "No audit handed to the local authority"]
            values += [""] * len(sections)
        else:
            values = [row.school_name, row.urn, row.phase, _text(row.overall)]
            values += [_text(cell) for cell in row.cells]
        if choice.compare:
            overall = row.overall
            values += [overall.last_year, overall.change] if overall else ["", ""]
        rows.append(values)
    return heading, rows


def _text(cell: weakest.HeatCell | None) -> str:
    if cell is None:
        return "Not in this audit"
    if cell.withheld:
        return f"{cell.text} (a statutory duty is not rated)"
    if cell.capped:
        return f"{cell.text} (held down by a duty not met)"
    return f"{cell.text} (provisional)" if cell.provisional else cell.text


def describe(choice: weakest.Choice, counts: dict[str, int]) -> list[str]:
    """Return the lines that say what the file holds: the version, year, filters and coverage."""
    phase = dict(weakest.PHASES).get(choice.phase, "All phases")
    area = choice.section.title if choice.section else "All areas"
    return [
        f"{choice.version} – {choice.year} – {phase} – {area}",
        f"{counts['handed']} of {counts['schools']} schools handed this audit to the local authority "
        "(submitted or accepted); the others are not counted.",
    ]


def file_name(choice: weakest.Choice, extension: str, view: str = "criteria") -> str:
    year = choice.year.replace("/", "-")
    suffix = "" if view == "criteria" else f"-{view}"
    return f"weakest-provision-{choice.version.framework.slug}-{year}{suffix}.{extension}"


def as_csv(membership: Membership, choice: weakest.Choice, view: str = "") -> str:
    """Return the criteria table (or the schools' table) as CSV text, with a byte order mark for Excel."""
    heading, rows = (school_rows if view == "schools" else criteria_rows)(membership, choice)
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
    schools = workbook.create_sheet("Schools")
    heading, rows = school_rows(membership, choice)
    schools.append(safe_row(heading))
    for cell in schools[1]:
        cell.font = Font(bold=True)
    for row in rows:
        schools.append(safe_row(row))
    schools.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def response(membership: Membership, choice: weakest.Choice, kind: str, view: str = "") -> HttpResponse:
    """Return the file as a download."""
    if kind == "csv":
        reply = HttpResponse(as_csv(membership, choice, view), content_type=CSV_CONTENT_TYPE)
    else:
        reply = HttpResponse(as_xlsx(membership, choice), content_type=XLSX_CONTENT_TYPE)
    name = file_name(choice, kind, "schools" if kind == "csv" and view == "schools" else "criteria")
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    return reply
