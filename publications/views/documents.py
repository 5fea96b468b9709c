"""Pages for a whole document: the list, starting one, its task list, cover, check, preview, files,
publishing, the board's approval, and the LA's list of what its schools have published."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from publications import checks, documents, money, selectors, services
from publications.forms import ApprovalForm, CoverForm, ReportStartForm, StrategyStartForm
from publications.lookups import publication_for
from publications.models import Publication
from publications.views._shared import base_context, this_year
from sendplan import reports
from sendplan.policy import allows, performs
from sendplan.services import DomainError

# --- the school's list and starting a document ---------------------------------------------------------------


def _start_forms(request: HttpRequest, strategy_data=None, report_data=None) -> dict:
    if not allows(request.membership, "publication_edit"):
        return {}
    membership = request.membership
    strategies = selectors.carry_forward_candidates(membership, Publication.Kind.STRATEGY)
    reports_ = selectors.carry_forward_candidates(membership, Publication.Kind.SEN_REPORT)
    return {
        "strategy_form": StrategyStartForm(
            strategy_data,
            previous=strategies,
            initial={"first_year": _next_year(strategies) or this_year(), "years": 1},
            prefix="strategy",
        ),
        "report_form": ReportStartForm(
            report_data,
            previous=reports_,
            initial={"academic_year": _next_year(reports_) or this_year()},
            prefix="report",
        ),
    }


def _next_year(previous: list[Publication]) -> str:
    """Return the year after the newest earlier document ends, which the next one usually starts in."""
    return services.next_year(previous[0]) if previous else ""


def _list(request: HttpRequest, forms: dict, status: int = 200) -> HttpResponse:
    context = {"publications": selectors.school_publications(request.membership), **forms}
    form = (
        forms.get("strategy_form") if forms.get("strategy_form") and forms["strategy_form"].errors else None
    )
    form = form or (
        forms.get("report_form") if forms.get("report_form") and forms["report_form"].errors else None
    )
    context["form"] = form  # the form with errors, for the error summary and the "Error:" title
    return render(request, "publications/publication_list.html", context, status=status)


@performs("publication_view")
def publication_list(request: HttpRequest) -> HttpResponse:
    """List the school's inclusion strategies and SEN information reports; staff can start one."""
    return _list(request, _start_forms(request))


def _carried(request: HttpRequest, value: str | None) -> Publication | None:
    return publication_for(request.membership, value, action="publication_edit") if value else None


@require_POST
@performs("publication_edit")
def strategy_start(request: HttpRequest) -> HttpResponse:
    """Start an inclusion strategy."""
    forms = _start_forms(request, strategy_data=request.POST)
    form = forms["strategy_form"]
    if form.is_valid():
        try:
            publication = services.strategy_start(
                school=request.membership.school,
                first_year=form.cleaned_data["first_year"],
                years=form.cleaned_data["years"],
                carry_from=_carried(request, form.cleaned_data.get("carry_from")),
                by=request.membership,
            )
        except DomainError as exc:
            form.add_error("first_year", str(exc))
        else:
            messages.success(request, "Strategy started.")
            return redirect("publications:publication_detail", publication_id=publication.public_id)
    return _list(request, forms)


@require_POST
@performs("publication_edit")
def report_start(request: HttpRequest) -> HttpResponse:
    """Start an SEN information report."""
    forms = _start_forms(request, report_data=request.POST)
    form = forms["report_form"]
    if form.is_valid():
        try:
            publication = services.sen_report_start(
                school=request.membership.school,
                academic_year=form.cleaned_data["academic_year"],
                carry_from=_carried(request, form.cleaned_data.get("carry_from")),
                by=request.membership,
            )
        except DomainError as exc:
            form.add_error("academic_year", str(exc))
        else:
            messages.success(request, "SEN information report started.")
            return redirect("publications:publication_detail", publication_id=publication.public_id)
    return _list(request, forms)


# --- one document --------------------------------------------------------------------------------------------


@performs("publication_view")
def publication_detail(request: HttpRequest, publication_id) -> HttpResponse:
    """Show a document's task list, its status on the public page and the board's approvals."""
    publication = publication_for(request.membership, publication_id)
    approvals = list(publication.approvals.select_related("recorded_by"))
    version = publication.current_version
    context = {
        **base_context(request, publication),
        "approvals": approvals,
        # The board approved after the last publication: the public page does not say so until republished.
        "approval_not_public": bool(
            version and approvals and max(a.recorded_at for a in approvals) > version.published_at
        ),
        "public_url": request.build_absolute_uri(
            reverse("publications:public_page", kwargs={"public_token": publication.public_token})
        ),
    }
    edit = context["can_edit"]
    if publication.is_strategy:
        context["tasks"] = _strategy_tasks(publication, edit)
    else:
        sections = selectors.report_sections(publication)
        context["tasks"] = [
            _task(row["item"].key, row["item"].heading, edit and reverse(
                "publications:section_edit", kwargs={"sen_report_id": publication.public_id, "item": row["item"].key}
            ), row["item"].citation, bool(row["text"].strip()), bool(row["section"] and row["section"].to_check))
            for row in sections
        ]  # fmt: skip
        context["empty"] = [t for t in context["tasks"] if not t["done"]]
    return render(request, "publications/publication_detail.html", context)


def _task(id: str, name: str, href: str | bool, hint: str, done: bool, to_check: bool = False) -> dict:
    return {"id": id, "name": name, "href": href or "", "hint": hint, "done": done, "to_check": to_check}


def _strategy_tasks(publication: Publication, edit: bool) -> list[dict]:
    figures = selectors.strategy_figures(publication)
    outcomes = selectors.outcomes(publication)
    to_review = [o for o in outcomes if o.from_previous and not o.is_reviewed]
    words = checks.word_count(publication.statement_of_intent)

    def url(name: str) -> str | bool:
        kwarg = "publication_id" if name == "cover_edit" else "strategy_id"
        return edit and reverse(f"publications:{name}", kwargs={kwarg: publication.public_id})

    review = (
        f"review by {selectors.long_date(publication.review_date)}"
        if publication.review_date
        else "no review date"
    )
    return [
        _task("cover", "Years, review date and who authorised it", url("cover_edit"),
              f"{publication.years_label}, {review}", bool(publication.review_date and publication.authorised_by)),
        _task("statement", "Statement of intent", url("statement_edit"),
              f"{words} of {checks.STATEMENT_MAX_WORDS} words", bool(words)),
        _task("barriers", "Barriers to learning and participation", url("barrier_list"),
              f"{len(figures.barriers)} barrier{pluralize(len(figures.barriers))}", bool(figures.barriers)),
        _task("activities", "Activities and budgeted costs", url("activity_list"),
              f"{len(figures.activities)} activit{pluralize(len(figures.activities), 'y,ies')}, "
              f"{money.format_pence(figures.totals.total)} budgeted", bool(figures.activities)),
        _task("outcomes", "Intended outcomes, and last year's to review", url("outcome_list"),
              f"{len([o for o in outcomes if not o.from_previous])} outcome{pluralize(len([o for o in outcomes if not o.from_previous]))}"
              + (f", {len(to_review)} of last year's to review" if to_review else ""),
              bool(outcomes) and not to_review),
    ]  # fmt: skip


@performs("publication_edit")
def cover_edit(request: HttpRequest, publication_id) -> HttpResponse:
    """Change the years covered, the review date and who authorised the document."""
    publication = publication_for(request.membership, publication_id, action="publication_edit")
    initial = {
        "years": publication.years,
        "review_date": publication.review_date,
        "authorised_by": publication.authorised_by,
        "authorised_by_name": publication.authorised_by_name,
    }
    form = CoverForm(request.POST or None, publication=publication, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publication_cover_update(
                publication=publication,
                years=data.get("years") or 1,
                review_date=data["review_date"],
                authorised_by=data["authorised_by"],
                authorised_by_name=data["authorised_by_name"],
                by=request.membership,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("publications:publication_detail", publication_id=publication.public_id)
    context = {
        **base_context(request, publication),
        "form": form,
        "heading": "Years, review date and who authorised it",
    }
    return render(request, "publications/cover_form.html", context)


@performs("publication_view")
def publication_check(request: HttpRequest, publication_id) -> HttpResponse:
    """Report what the document still lacks; publishing is never blocked by it."""
    publication = publication_for(request.membership, publication_id)
    context = base_context(request, publication)
    if publication.is_strategy:
        context["findings"] = selectors.strategy_figures(publication).findings
    else:
        context["empty"] = selectors.report_empty_items(publication)
    return render(request, "publications/check.html", context)


@performs("publication_view")
def publication_preview(request: HttpRequest, publication_id) -> HttpResponse:
    """Show the draft as it would appear on the public page."""
    publication = publication_for(request.membership, publication_id)
    context = {
        **base_context(request, publication),
        "content": selectors.document_content(publication),
        "draft": True,
    }
    return render(request, "publications/preview.html", context)


@performs("publication_view")
def publication_docx(request: HttpRequest, publication_id) -> HttpResponse:
    """Download the draft as a Word file (marked DRAFT on every page)."""
    publication = publication_for(request.membership, publication_id)
    data = documents.docx_for(selectors.document_content(publication), draft=True)
    return _docx_response(data, f"{publication.title} - {publication.school.name} - draft")


def _docx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    safe = "".join(c for c in name if c.isalnum() or c in " -_.,()").strip().replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{safe}.docx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@performs("publication_view")  # the pipeline checks the kind's action on the publication too
def publication_pdf(request: HttpRequest, publication_id) -> HttpResponse:
    """Ask the report pipeline for a PDF of the draft; the reports page shows it when it is ready."""
    publication = publication_for(request.membership, publication_id)
    report = reports.report_request(
        kind=selectors.REPORT_KINDS[publication.kind], subject=publication, by=request.membership
    )
    reports.tell_queued(request, report, "Your PDF")
    return redirect(reverse("sendplan:report_list") + f"#report-{report.public_id}")


# --- publishing ----------------------------------------------------------------------------------------------


@performs("publication_publish")
def publication_publish(request: HttpRequest, publication_id) -> HttpResponse:
    """Check the document, then publish it as it stands to its public page."""
    publication = publication_for(request.membership, publication_id, action="publication_publish")
    if request.method == "POST":
        services.publication_publish(publication=publication, by=request.membership)
        messages.success(request, "Published. The public page now shows this version.")
        return redirect("publications:publication_detail", publication_id=publication.public_id)
    context = base_context(request, publication)
    if publication.is_strategy:
        context["findings"] = selectors.strategy_figures(publication).findings
    else:
        context["empty"] = selectors.report_empty_items(publication)
    return render(request, "publications/publish.html", context)


@require_POST
@performs("publication_publish")
def publication_unpublish(request: HttpRequest, publication_id) -> HttpResponse:
    """Take the document off its public page."""
    publication = publication_for(request.membership, publication_id, action="publication_publish")
    try:
        services.publication_unpublish(publication=publication, by=request.membership)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Taken off the public page. Its link now shows ‘Page not found’.")
    return redirect("publications:publication_detail", publication_id=publication.public_id)


@performs("publication_approve")
def board_approval(request: HttpRequest, publication_id) -> HttpResponse:
    """Record that the governing board approved the document."""
    publication = publication_for(request.membership, publication_id, action="publication_approve")
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_approval_record(
                publication=publication,
                approved_on=form.cleaned_data["approved_on"],
                minute_reference=form.cleaned_data["minute_reference"],
                by=request.membership,
            )
        except DomainError as exc:
            form.add_error("approved_on", str(exc))
        else:
            messages.success(request, "The board's approval has been recorded.")
            return redirect("publications:publication_detail", publication_id=publication.public_id)
    context = {
        **base_context(request, publication),
        "form": form,
        "heading": "Record the board's approval",
        "approvals": list(publication.approvals.all()),
    }
    return render(request, "publications/approval_form.html", context)


# --- the local authority -------------------------------------------------------------------------------------


@performs("publication_la_list")
def la_list(request: HttpRequest) -> HttpResponse:
    """List what the LA's schools have published, with links to their public pages."""
    return render(
        request, "publications/la_list.html", {"publications": selectors.la_publications(request.membership)}
    )
