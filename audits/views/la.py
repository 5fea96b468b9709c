"""The local authority's pages: audit list, weakest provision, comments, return and accept."""

from collections import Counter

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from audits import selectors, services, weakest, weakest_export
from audits.forms import (
    CommentForm,
    DecisionForm,
)
from audits.lookups import audit_for
from audits.views._shared import (
    WEAKEST_PAGE,
    _base_context,
    _next_url,
    _section_url,
)
from sendplan.lookups import as_public_id
from sendplan.policy import performs
from standards.models import Criterion

HEATMAP_PAGE_SIZE = 100
AUDITS_PAGE_SIZE = 50

# --- the local authority -----------------------------------------------------------------------------


@performs("audit_la_list")
def la_audit_list(request: HttpRequest) -> HttpResponse:
    """List the audits schools in the LA have submitted, waiting ones first, a page at a time."""
    counts = selectors.la_counts(request.membership)
    total = counts["waiting"] + counts["returned"] + counts["accepted"]  # no second count for the pages
    paginator = Paginator(selectors.la_audits(request.membership), AUDITS_PAGE_SIZE)
    paginator.count = total
    page_obj = paginator.get_page(request.GET.get("page"))
    audits = list(page_obj.object_list)
    audit_url = reverse("audits:audit_detail", args=[weakest.PLACEHOLDER])  # once a page, not once a row
    for audit in audits:
        audit.duties = selectors.annotated_duties(audit)
        audit.detail_url = audit_url.replace(weakest.PLACEHOLDER, str(audit.public_id))
    context = {"audits": audits, "counts": counts, "page_obj": page_obj, "total": total}
    return render(request, "audits/la_audit_list.html", context)


def _remember_page(request: HttpRequest) -> None:
    """Keep the weakest-provision page just seen, for the audit pages' way back (only when it changed)."""
    here = request.get_full_path()
    if request.session.get(WEAKEST_PAGE) != here:
        request.session[WEAKEST_PAGE] = here


@require_GET
@performs("audit_la_list")
def la_weakest(request: HttpRequest) -> HttpResponse:
    """Show where provision is weakest: each criterion's spread of levels with the schools named."""
    choice = weakest.choose(request.membership, request.GET)
    _remember_page(request)
    context = {"choice": choice, "query": weakest.query_of(choice), "phases": weakest.PHASES}
    if choice.version is not None:
        scales = weakest.scales_for(choice.version)
        spreads = weakest.spread(request.membership, choice, scales)
        # the cells' markup, built once in Python (weakest.spread_cells_html); the links as the template had them
        criterion_page = f"{reverse('audits:la_weakest_criterion')}?{context['query']}&criterion="
        for item in spreads:
            html = weakest.spread_cells_html(item, criterion_page + item.criterion.ref)
            item.cells_html = mark_safe(html)  # noqa: S308 - every value escaped
        context.update(
            levels=scales.of(choice.version),
            spreads=spreads,
            coverage=weakest.coverage(request.membership, choice),
        )
    return render(request, "audits/la_weakest.html", context)


@require_GET
@performs("audit_la_list")
def la_weakest_schools(request: HttpRequest) -> HttpResponse:
    """Show the heatmap: each school's level for each section, the level written in every cell."""
    choice = weakest.choose(request.membership, request.GET)
    _remember_page(request)
    context = {
        "choice": choice,
        "query": weakest.query_of(choice),
        "phases": weakest.PHASES,
        "plain": request.GET.get("plain", "") == "yes",
    }
    if choice.version is not None:
        scales = weakest.scales_for(choice.version)
        sections = weakest.heat_sections(choice)
        rows = weakest.heatmap(request.membership, choice, scales, sections)
        # 100 schools a page: the lowest first; the whole table is in the exports
        page = Paginator(rows, HEATMAP_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        for row in page.object_list:  # the cells' markup, built once in Python (weakest.heat_cells_html)
            row.cells_html = mark_safe(weakest.heat_cells_html(row, choice))  # noqa: S308 - every value escaped
        context.update(
            levels=scales.of(choice.version),
            sections=sections,
            rows=page.object_list,
            page_obj=page,
            query_prefix=f"{query.urlencode()}&" if query else "",
            schools=len(rows),
            handed=sum(1 for row in rows if row.audit_id is not None),
        )
    return render(request, "audits/la_weakest_schools.html", context)


@require_GET
@performs("audit_la_list")
def la_weakest_criterion(request: HttpRequest) -> HttpResponse:
    """Show one criterion across the LA's schools: every school named with its level, and last year's."""
    choice = weakest.choose(request.membership, request.GET)
    if choice.version is None:
        return redirect("audits:la_weakest")
    criterion = (
        Criterion.objects.filter(version=choice.version, ref=request.GET.get("criterion", ""))
        .select_related("section")
        .first()
    )
    if criterion is None:
        raise Http404
    _remember_page(request)
    scales = weakest.scales_for(choice.version)
    levels = scales.of(choice.version)
    rows = weakest.criterion_schools(request.membership, choice, scales, criterion)
    counts = Counter(row.kind for row in rows)
    return render(
        request,
        "audits/la_weakest_criterion.html",
        {
            "choice": choice,
            "query": weakest.query_of(choice),
            "criterion": criterion,
            "levels": levels,
            "counts": [(level, counts[level.position]) for level in levels],
            "not_applicable": counts[weakest.NOT_APPLICABLE],
            "not_rated": counts[weakest.NOT_RATED],
            "no_audit": counts[None],
            "rows": rows,
        },
    )


@require_GET
@performs("audit_la_list")
def la_weakest_export(request: HttpRequest, kind: str) -> HttpResponse:
    """Download what the weakest-provision page shows, every school named, as CSV or Excel."""
    choice = weakest.choose(request.membership, request.GET)
    if choice.version is None:
        return redirect("audits:la_weakest")  # nothing handed to the LA yet: the page says so
    return weakest_export.response(request.membership, choice, kind, request.GET.get("view", ""))


@performs("audit_comment")
def la_comment(request: HttpRequest, audit_id) -> HttpResponse:
    """Comment on the audit as a whole or on one criterion."""
    audit = audit_for(request.membership, audit_id, action="audit_comment")
    criterion_id = request.POST.get("criterion") or request.GET.get("criterion") or ""
    criterion = None
    if criterion_id:
        criterion = (
            Criterion.objects.filter(version_id=audit.framework_version_id, public_id=criterion_id)
            .select_related("section")
            .first()
            if as_public_id(criterion_id)
            else None
        )
        if criterion is None:
            raise Http404
    form = CommentForm(request.POST or None, initial={"criterion": criterion_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.la_comment_add(
                audit=audit, criterion=criterion, text=form.cleaned_data["text"], by=request.membership
            )
        except services.AuditWrongState as exc:
            messages.error(request, str(exc))
            return redirect("audits:audit_detail", audit_id=audit.public_id)
        messages.success(request, "Comment added. The school can see it beside the criterion.")
        default = (
            _section_url(audit, criterion)
            if criterion
            else reverse("audits:audit_detail", kwargs={"audit_id": audit.public_id})
        )
        return redirect(_next_url(request, audit, default))
    context = {**_base_context(request, audit), "form": form, "criterion": criterion}
    return render(request, "audits/la_comment.html", context)


def _decision(request: HttpRequest, audit_id, *, accept: bool) -> HttpResponse:
    audit = audit_for(request.membership, audit_id, action="audit_decide")
    form = DecisionForm(request.POST or None, accept=accept)
    if request.method == "POST" and form.is_valid():
        try:
            if accept:
                services.audit_accept(
                    audit=audit, by=request.membership, comment=form.cleaned_data["comment"]
                )
            else:
                services.audit_return(
                    audit=audit, by=request.membership, comment=form.cleaned_data["comment"]
                )
        except services.AuditWrongState as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"{audit.school.name}'s audit accepted."
                if accept
                else f"{audit.school.name}'s audit returned. The school can now change it.",
            )
        return redirect("audits:audit_detail", audit_id=audit.public_id)
    context = {**_base_context(request, audit), "form": form, "accept": accept}
    return render(request, "audits/la_decision.html", context)


@performs("audit_decide")
def la_return(request: HttpRequest, audit_id) -> HttpResponse:
    """Return a submitted audit to the school for changes, saying what to change."""
    return _decision(request, audit_id, accept=False)


@performs("audit_decide")
def la_accept(request: HttpRequest, audit_id) -> HttpResponse:
    """Accept a submitted audit."""
    return _decision(request, audit_id, accept=True)
