"""An audit's ratings and action plan as CSV and Excel files, for the school, its governors and its LA.

The views add only the HTTP response. Every cell goes through sendplan.spreadsheets.safe_row, so no text
typed into the service can run as a formula when the file is opened.
"""

import csv
import io
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from audits import scoring, selectors
from audits.models import Audit, Rating
from sendplan.models import Membership
from sendplan.spreadsheets import safe_row

RATING_HEADINGS = [
    "Section",
    "Section title",
    "Criterion",
    "Statement",
    "Statutory duty",
    "Statutory guidance",
    "Level",
    "Level name",
    "Duty met",
    "Not applicable",
    "Reason not applicable",
    "Rationale",
    "To confirm",
    "Evidence",
    "Last changed by",
    "Last changed",
]
ACTION_HEADINGS = ["Criterion", "What", "Who", "Due", "Success measure", "Estimated cost (£)", "Status"]
RATING_WIDTHS = [8, 30, 10, 60, 9, 9, 6, 16, 9, 9, 30, 60, 9, 40, 20, 16]  # columns A to P of the sheet
LEVEL_HEADINGS = ["Section", "Section title", "Level", "Provisional", "Why", "Statutory duties", "Rated"]

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rating_rows(audit: Audit, membership: Membership) -> list[list]:
    """Return one row per criterion of the audit, in the framework's order, with the evidence they may see."""
    scale = selectors.scale_of(audit)
    ratings = (
        Rating.objects.filter(audit=audit)
        .select_related("criterion__section", "updated_by")
        .prefetch_related(Prefetch("evidence", queryset=selectors.visible_evidence(membership)))
        .order_by("criterion__position")
    )
    rows = []
    for r in ratings:
        score = scoring.Score(
            criterion_ref=r.criterion.ref,
            section_ref=r.criterion.section.ref,
            value=r.level,
            not_applicable=r.not_applicable,
            statutory=r.criterion.statutory,
            to_confirm=r.to_confirm,
        )
        rows.append(
            [
                r.criterion.section.ref,
                r.criterion.section.title,
                r.criterion.ref,
                r.criterion.statement,
                "Yes" if r.criterion.statutory else "No",
                "Yes" if r.criterion.statutory_guidance else "No",
                "" if r.level is None else r.level,
                scale.label(r.level) if r.level is not None else "",
                _duty_met(score, scale),
                "Yes" if r.not_applicable else "No",
                r.na_reason,
                r.rationale,
                "Yes" if r.to_confirm else "No",
                "; ".join(e.title for e in r.evidence.all()),
                str(r.updated_by) if r.updated_by else "",
                _local(r.updated_at),
            ]
        )
    return rows


def _local(moment: datetime | None) -> datetime | None:
    """Return a moment as local wall-clock time without a zone (Excel dates have none), to the minute."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


def _csv_cell(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else value


def _duty_met(score: scoring.Score, scale: scoring.Scale) -> str:
    """Return "Yes", "No" or "Not rated" for a statutory duty (blank for any other criterion)."""
    if not score.statutory:
        return ""
    if not scoring.is_rated(score):
        return "Not rated"
    return "No" if scoring.duty_unmet(score, scale) else "Yes"


def level_rows(audit: Audit) -> list[list]:
    """Return the level of each section and of the whole audit, as the summary page shows them."""
    summary = selectors.audit_summary(audit)

    def row(ref: str, title: str, result: scoring.LevelResult, label: str) -> list:
        why = result.cap_reason or result.withheld_reason or ""
        provisional = "Yes" if result.provisional else "No"
        return [ref, title, label, provisional, why, str(result.duties), f"{result.rated} of {result.total}"]

    rows = [row(s["ref"], s["title"], s["level"], s["label"]) for s in summary.sections]
    rows.append(row("", "Overall", summary.overall, summary.overall_label))
    return rows


def action_rows(audit: Audit) -> list[list]:
    """Return one row per action in the audit's action plan, soonest due first."""
    return [
        [
            a.criterion.ref if a.criterion else "",
            a.what,
            a.owner,
            a.due,
            a.success_measure,
            float(a.estimated_cost) if a.estimated_cost is not None else None,
            a.get_status_display(),
        ]
        for a in selectors.audit_actions(audit)
    ]


def file_name(audit: Audit, extension: str) -> str:
    """Return the name of the downloaded file: the school's URN and the academic year."""
    return f"audit-{audit.school.urn}-{audit.academic_year.replace('/', '-')}.{extension}"


def audit_csv(audit: Audit, membership: Membership) -> str:
    """Return the audit's ratings as CSV text, with a byte order mark so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(RATING_HEADINGS)
    for row in rating_rows(audit, membership):
        writer.writerow(safe_row([_csv_cell(value) for value in row]))
    return "\ufeff" + buffer.getvalue()


# Fills for the level cells, lowest level first: pale enough for black text, and the level is always written
# in the cell, so the colour is never the only way to read it.
LEVEL_FILLS = ("F4CCCC", "FCE5CD", "FFF2CC", "D9EAD3", "B6D7A8", "93C47D")
NO_LEVEL_FILL = "EEEEEE"
DATE_FORMAT = "d mmm yyyy"
DATE_TIME_FORMAT = "d mmm yyyy hh:mm"


def level_fills(labels: list[str]) -> dict[str, str]:
    """Return a fill colour for each level's label, spread from the first (lowest) to the last colour."""
    steps = len(labels)
    last = len(LEVEL_FILLS) - 1
    return {
        label: LEVEL_FILLS[round(i * last / (steps - 1)) if steps > 1 else last]
        for i, label in enumerate(labels)
    }


def _fill(cell, colour: str) -> None:
    from openpyxl.styles import PatternFill

    cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _bold(row) -> None:
    from openpyxl.styles import Font

    for cell in row:
        cell.font = Font(bold=True)


def _summary_sheet(sheet, audit: Audit, fills: dict[str, str]) -> None:
    """Write the summary: the audit's dates as date cells, then the level of each section and overall."""
    sheet.append(safe_row([f"{audit.school.name} – {audit.framework_version} – {audit.academic_year}"]))
    _bold(sheet[1])
    facts = [
        ("Status", audit.get_status_display()),
        ("Started", _local(audit.created_at)),
        ("Submitted to the local authority", _local(audit.submitted_at)),
        ("Decided by the local authority", _local(audit.decided_at)),
        ("Exported", _local(timezone.now())),
    ]
    for label, value in facts:
        sheet.append(safe_row([label, value]))
        if isinstance(value, datetime):
            sheet.cell(row=sheet.max_row, column=2).number_format = DATE_TIME_FORMAT
    sheet.append([])
    sheet.append(safe_row(LEVEL_HEADINGS))
    heading_row = sheet.max_row
    _bold(sheet[heading_row])
    for row in level_rows(audit):
        sheet.append(safe_row(row))
        _fill(sheet.cell(row=sheet.max_row, column=3), fills.get(row[2], NO_LEVEL_FILL))
    _bold(sheet[sheet.max_row])  # the overall row
    sheet.freeze_panes = f"A{heading_row + 1}"
    for column, width in zip("ABCDEFG", [10, 40, 18, 12, 60, 22, 10], strict=True):
        sheet.column_dimensions[column].width = width


def audit_xlsx(audit: Audit, membership: Membership) -> bytes:
    """Return the audit as an Excel workbook: a summary of levels, the ratings, and the action plan."""
    from openpyxl import Workbook

    workbook = Workbook()
    fills = level_fills([lv.label for lv in selectors.scale_levels(audit)])
    _summary_sheet(workbook.active, audit, fills)
    workbook.active.title = "Summary"
    sheet = workbook.create_sheet("Audit")
    sheet.append(safe_row([f"{audit.school.name} – {audit.framework_version} – {audit.academic_year}"]))
    sheet.append(safe_row([f"Status: {audit.get_status_display()}"]))
    sheet.append([])
    sheet.append(safe_row(RATING_HEADINGS))
    _bold(sheet[4])
    level_column = RATING_HEADINGS.index("Level name") + 1
    changed_column = RATING_HEADINGS.index("Last changed") + 1
    for row in rating_rows(audit, membership):
        sheet.append(safe_row(row))
        if row[level_column - 1]:
            _fill(
                sheet.cell(row=sheet.max_row, column=level_column),
                fills.get(row[level_column - 1], NO_LEVEL_FILL),
            )
        sheet.cell(row=sheet.max_row, column=changed_column).number_format = DATE_TIME_FORMAT
    sheet.freeze_panes = "A5"
    for column, width in zip("ABCDEFGHIJKLMNOP", RATING_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    actions = workbook.create_sheet("Action plan")
    actions.append(safe_row(ACTION_HEADINGS))
    _bold(actions[1])
    due_column = ACTION_HEADINGS.index("Due") + 1
    for row in action_rows(audit):
        actions.append(safe_row(row))
        if isinstance(row[due_column - 1], date):
            actions.cell(row=actions.max_row, column=due_column).number_format = DATE_FORMAT
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
