"""The EHC plan pipeline as tables for spreadsheets (CSV and Excel): the same tables the page shows.

No pupil is named: overdue steps are listed with their school. The LA summary report's workbook
(sendplan/la_reports.py) is made of these tables too.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from ehcp.selectors.pipeline import PipelineFigures
from sendplan.spreadsheets import safe_row


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name in Excel (31 characters at most), and the block's title in CSV
    headings: list[str]
    rows: list[list]


def _share(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def pipeline_tables(figures: PipelineFigures) -> list[Table]:
    """Return the pipeline's figures as tables, in the order the page shows them."""
    weeks = figures.weeks
    month_rows = [
        [
            f"{m.month:%B %Y}",
            m.issued,
            m.on_time,
            _share(m.share),
            m.issued_without_exceptions,
            m.on_time_without_exceptions,
            _share(m.share_without_exceptions),
        ]
        for m in [*figures.months, figures.total]
    ]
    month_rows[-1][0] = f"{len(figures.months)} months to {figures.today:%B %Y}"
    return [
        Table("Stages", ["Stage", "Plans"], [[label, n] for _, label, n in figures.stages]),
        Table(
            f"Within {weeks} weeks by month",
            [
                "Month the final plan was issued",
                "Final plans issued",
                f"Issued within {weeks} weeks",
                f"Share within {weeks} weeks",
                "Issued, no exception recorded",
                f"No exception, within {weeks} weeks",
                f"Share within {weeks} weeks, excluding exceptions",
            ],
            month_rows,
        ),
        Table(
            "Overdue steps",
            ["School", "URN", "Step", "Due", "Days overdue", "Rule"],
            [[s.school, s.urn, s.label, s.due, s.days_overdue, s.source] for s in figures.overdue],
        ),
        Table("Primary needs", ["Primary need", "Plans"], [[label, n] for _, label, n in figures.needs]),
    ]


def tables_csv(tables: list[Table], *, title: str) -> str:
    """Return tables as one CSV text: a title row, then each table with its title and headings, a blank row
    between; with a byte order mark so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row([title]))
    for table in tables:
        writer.writerow([])
        writer.writerow(safe_row([table.title]))
        writer.writerow(safe_row(table.headings))
        for row in table.rows:
            writer.writerow(safe_row(_text(v) for v in row))
    return "\ufeff" + buffer.getvalue()


def tables_xlsx(tables: list[Table], *, title: str) -> bytes:
    """Return tables as an Excel workbook, one sheet each, the title above the first one's headings."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append(safe_row([title]))
        sheet.append([])
        sheet.append(safe_row(table.headings))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(safe_row(row))
        sheet.freeze_panes = "A4"
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = 14 if letter != "A" else 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(value):
    return f"{value:%Y-%m-%d}" if isinstance(value, date) else value


def _title(figures: PipelineFigures, la_name: str) -> str:
    return f"EHC plan pipeline – {la_name} – as at {figures.today:%d %B %Y}"


def pipeline_csv(figures: PipelineFigures, la_name: str = "") -> str:
    return tables_csv(pipeline_tables(figures), title=_title(figures, la_name))


def pipeline_xlsx(figures: PipelineFigures, la_name: str = "") -> bytes:
    return tables_xlsx(pipeline_tables(figures), title=_title(figures, la_name))
