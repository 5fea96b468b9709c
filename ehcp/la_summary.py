"""The LA summary report (PDF and Excel): the LA's EHC plan pipeline and its audit round, through the
report pipeline.

A document about the whole LA, which belongs to the LA (sendplan.models.Report.local_authority): its
officers and admins ask for it and download it on their reports page (``la_report_request`` and
``la_report_view``). It names no pupil: overdue steps are counted by school, and primary needs across
the whole LA only.
"""

from datetime import date

from django.urls import reverse

from audits.round_summary import latest_rounds
from ehcp.pipeline_exports import Table, pipeline_tables, tables_xlsx
from ehcp.selectors.pipeline import pipeline_figures
from sendplan.models import LocalAuthority, Membership, Report
from sendplan.reports import DocumentKind, register_kind


def la_summary_gather(la: LocalAuthority, *, by: Membership | None) -> dict:
    """Gather the LA's figures as they are now (the membership asking is one of the LA's own staff)."""
    figures = pipeline_figures(by)
    return {
        "la": {"name": la.name, "code": la.code},
        "today": figures.today,
        "weeks": figures.weeks,
        "plans": figures.plans,
        "tables": [
            {"title": t.title, "headings": t.headings, "rows": t.rows} for t in pipeline_tables(figures)
        ],
        "overdue_by_step": figures.overdue_by_step,
        "overdue_by_school": figures.overdue_by_school,
        "coverage": latest_rounds(by),
    }


def la_summary_layout(data: dict) -> dict:
    """Return the print layout's context: the tables by name, and the title."""
    tables = {t["title"]: t for t in data["tables"]}
    weeks = data["weeks"]
    return {
        **data,
        "title": f"LA summary report – {data['la']['name']}",
        "as_of": date.fromisoformat(data["today"]),
        "stages": tables["Stages"],
        "months": tables[f"Within {weeks} weeks by month"],
        "needs": tables["Primary needs"],
        "overdue_steps": len(tables["Overdue steps"]["rows"]),
        "overdue_by_school": [
            [name, urn, count, date.fromisoformat(earliest)]
            for name, urn, count, earliest in data["overdue_by_school"]
        ],
    }


def la_summary_workbook(context: dict, document: dict) -> bytes:
    """Return the report's figures as an Excel workbook: one sheet per table, overdue steps by school too."""
    tables = [Table(t["title"], t["headings"], t["rows"]) for t in context["tables"]]
    by_school = Table(
        "Overdue steps by school",
        ["School", "URN", "Overdue steps", "Earliest due"],
        [list(row) for row in context["overdue_by_school"]],
    )
    tables.insert(3, by_school)
    coverage = context["coverage"]
    year = coverage["year"] or "no audit yet"
    tables.append(
        Table(
            "Audit round",
            [
                "Academic year",
                "Framework",
                "Version",
                "Schools in the LA",
                "Submitted, awaiting a decision",
                "Accepted",
                "Returned for changes",
                "Not submitted (not started or in progress)",
            ],
            [
                [
                    year,
                    r["framework"],
                    r["version"],
                    coverage["schools"],
                    r["submitted"],
                    r["accepted"],
                    r["returned"],
                    r["not_submitted"],
                ]
                for r in coverage["rounds"]
            ],
        )  # fmt: skip
    )
    tables.append(
        Table(
            "Overall levels",
            [
                "Academic year",
                "Framework",
                "Version",
                "Overall level (submitted or accepted audits)",
                "Audits",
            ],
            [
                [year, r["framework"], r["version"], label, n]
                for r in coverage["rounds"]
                for label, n in r["levels"]
            ],
        )
    )
    tables.append(
        Table(
            "Weakest sections",
            ["Academic year", "Framework", "Version", "Section", "Title", "Level", "Audits at this level"],
            [
                [year, r["framework"], r["version"], row[0], row[1], label, count]
                for r in coverage["rounds"]
                for row in r["weakest_sections"]
                for label, count in zip(r["section_levels"], row[2:], strict=True)
            ],
        )
    )
    return tables_xlsx(tables, title=f"{document['title']} – {document['statement']}")


def la_summary_summary(data: dict) -> str:
    return f"{data['plans']} plan{'s' if data['plans'] != 1 else ''} handed to the LA"


register_kind(
    DocumentKind(
        kind=Report.Kind.LA_SUMMARY,
        action="la_report_request",
        subject=LocalAuthority,
        gather=la_summary_gather,
        template="reports/la_summary.html",
        layout=la_summary_layout,
        workbook=la_summary_workbook,
        summary=la_summary_summary,
        page=lambda report: reverse("sendplan:la_report_list") + f"#report-{report.public_id}",
    )
)
