"""The documents as files: the PDF through the report pipeline, and the Word file from a plain outline.

Both are built from the same content (selectors.document_content, or a published version's snapshot of
it) as the public page, so the three never disagree.
"""

from publications import selectors
from publications.models import Publication, PublishedVersion
from sendplan.models import Membership, Report
from sendplan.reports import DocumentKind, register_kind
from sendplan.word import Bullets, Heading, Outline, Paragraph, Table, docx_bytes


def publication_gather(subject: Publication | PublishedVersion, *, by: Membership | None) -> dict:
    """Return what the PDF shows: a published version as it was published, or the draft as it is now."""
    if isinstance(subject, PublishedVersion):
        return {"content": subject.content, "draft": False}
    return {"content": selectors.document_content(subject), "draft": True}


def publication_layout(data: dict) -> dict:
    """Return the print layout's context: the content, whether it is a draft, and the PDF's title."""
    content = data["content"]
    return {"content": content, "draft": data["draft"], "title": f"{content['title']} – {content['school']}"}


for _kind in (Report.Kind.INCLUSION_STRATEGY, Report.Kind.SEN_INFORMATION_REPORT):
    register_kind(
        DocumentKind(
            kind=_kind,
            action="publication_view",
            subject=(PublishedVersion, Publication),
            gather=publication_gather,
            template="reports/publication.html",
            layout=publication_layout,
            summary=lambda data: "Draft" if data["draft"] else "As published",
            on_reports_page=True,
        )
    )


def docx_for(content: dict, *, draft: bool) -> bytes:
    """Return the document as a Word file."""
    return docx_bytes(outline_for(content, draft=draft))


def outline_for(content: dict, *, draft: bool) -> Outline:
    """Return the document as an outline of headings, paragraphs, lists and tables."""
    outline = Outline(
        title=content["title"],
        organisation=content["school"],
        draft=draft,
        subtitle=content["school"],
    )
    outline.add(Heading("About this document", 1), Table(headers=["", ""], rows=_cover_rows(content)))
    if content["kind"] == "strategy":
        _strategy(outline, content)
    else:
        for section in content["sections"]:
            outline.add(Heading(section["heading"], 1))
            outline.add(*_paragraphs(section["text"] or "Not yet written."))
    return outline


def cover_note(content: dict) -> str:
    """Return the sentence on the cover that says how long the document lasts and when it is reviewed."""
    review = (
        f"the next review is due by {content['review_date']}"
        if content["review_date"]
        else "review date to be set"
    )
    if content["kind"] == "strategy" and content["multi_year"]:
        return (
            f"This is a {content['years']}-year strategy ({content['years_label']}). "
            f"It is reviewed every year: {review}."
        )
    return f"This document covers {content['years_label']} and is reviewed every year: {review}."


def _cover_rows(content: dict) -> list[list[str]]:
    rows = [
        ["School", content["school"]],
        ["Years covered", content["years_label"]],
        ["Annual review", cover_note(content)],
        ["Published", content["published_on"] or "Not yet published (draft)"],
    ]
    if content["authorised_by"]:
        who = content["authorised_by"]
        if content["authorised_by_name"]:
            who = f"{who} ({content['authorised_by_name']})"
        rows.append(["Authorised by", who])
    if content["approval"]:
        rows.append(
            [
                "Approved by the governing board",
                f"{content['approval']['approved_on']} (minute {content['approval']['minute_reference']})",
            ]
        )
    return rows


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(part.strip()) for part in text.split("\n\n") if part.strip()]


def _strategy(outline: Outline, content: dict) -> None:
    outline.add(
        Heading("Statement of intent", 1), *_paragraphs(content["statement_of_intent"] or "Not yet written.")
    )
    outline.add(Heading("The seven principles of inclusion", 1))
    outline.add(Bullets([p["statement"] for p in content["principles"]], numbered=True))
    outline.add(Heading("Barriers to learning and participation", 1))
    if content["barriers"]:
        outline.add(Bullets([b["text"] for b in content["barriers"]], numbered=True))
    else:
        outline.add(Paragraph("None listed yet."))
    outline.add(Heading("Activities and budgeted costs", 1))
    outline.add(
        Table(
            headers=[
                "Activity",
                "Universal or targeted",
                "Principles",
                "Barriers",
                "Funding",
                "Budgeted cost",
            ],
            rows=[
                [
                    f"{a['number']}. {a['description']}",
                    a["reach"],
                    ", ".join(str(n) for n in a["principles"]),
                    ", ".join(str(n) for n in a["barriers"]),
                    a["source"],
                    a["cost"] or "Not costed yet",
                ]
                for a in content["activities"]
            ],
            caption="Activities",
        )
    )
    totals = content["totals"]
    outline.add(Heading("Budget by funding source", 2))
    outline.add(
        Table(
            headers=["Funding source", "Budgeted cost"],
            rows=[[r["label"], r["amount"]] for r in totals["by_source"]] + [["Total", totals["total"]]],
        )
    )
    outline.add(Heading("Budget by principle", 2))
    outline.add(
        Paragraph(
            "An activity that serves more than one principle counts in full under each, so these figures "
            "add up to more than the total."
        ),
        Table(
            headers=["Principle", "Budgeted cost"],
            rows=[
                [f"{r['number']}. {r['label']}" if r["number"] else r["label"], r["amount"]]
                for r in totals["by_principle"]
            ],  # fmt: skip
        ),
    )
    outline.add(Heading("Intended outcomes", 1))
    if content["outcomes"]:
        outline.add(
            Table(
                headers=["Outcome", "Success criteria"],
                rows=[[o["text"], o["success_criteria"]] for o in content["outcomes"]],
            )
        )
    else:
        outline.add(Paragraph("None listed yet."))
    if content["reviews"]:
        outline.add(Heading("Review of last year's outcomes", 1))
        outline.add(
            Table(
                headers=["Outcome", "Success criteria", "What happened", "Evidence"],
                rows=[
                    [
                        o["text"],
                        o["success_criteria"],
                        o["what_happened"] or "Not yet reviewed",
                        o["evidence"],
                    ]
                    for o in content["reviews"]
                ],  # fmt: skip
            )
        )
