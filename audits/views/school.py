"""The school's pages: audit list and start, task list, sections and criteria, check and submit,
history, compare, and the CSV and Excel downloads (built in audits/exports.py)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from audits import exports, scoring, selectors, services
from audits.forms import (
    BLANK_AUDIT,
    NOT_APPLICABLE,
    AuditStartForm,
    CommentForm,
    CompareForm,
    ResponseForm,
)
from audits.lookups import audit_for
from audits.models import Audit, LAComment, Rating
from audits.views import rate
from audits.views._shared import (
    _base_context,
    _section_url,
    may,
    refuses_locked,
)
from sendplan.confirmation import Confirmation, confirmation_page
from sendplan.policy import allows, performs, restrict
from sendplan.services import DomainError
from standards.models import FrameworkVersion, Section

# --- the school's list and starting an audit ---------------------------------------------------------


def _start_form(request: HttpRequest, data=None) -> AuditStartForm:
    return AuditStartForm(
        data,
        versions=selectors.startable_versions(request.membership.school, request.membership),
        previous_audits=selectors.carry_forward_candidates(request.membership),
        initial={"academic_year": _this_year()},
    )


def _this_year() -> str:
    today = timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _audit_list(request: HttpRequest, form: AuditStartForm | None) -> HttpResponse:
    audits = list(selectors.school_audits(request.membership))
    return render(request, "audits/audit_list.html", {"audits": audits, "form": form})


@performs("audit_list")
def audit_list(request: HttpRequest) -> HttpResponse:
    """List the school's audits; school staff can start one."""
    return _audit_list(request, _start_form(request) if allows(request.membership, "audit_start") else None)


@require_POST
@performs("audit_start")
def audit_start(request: HttpRequest) -> HttpResponse:
    """Start an audit, blank or carried forward from an accepted one."""
    form = _start_form(request, request.POST)
    if form.is_valid():
        version = FrameworkVersion.objects.get(public_id=form.cleaned_data["framework_version"])
        carry_from = form.cleaned_data.get("carry_from")
        try:
            if carry_from and carry_from != BLANK_AUDIT:
                previous = audit_for(request.membership, carry_from, action="audit_start")
                audit = services.audit_carry_forward(
                    previous=previous,
                    framework_version=version,
                    academic_year=form.cleaned_data["academic_year"],
                    by=request.membership,
                )
            else:
                audit = services.audit_start(
                    school=request.membership.school,
                    framework_version=version,
                    academic_year=form.cleaned_data["academic_year"],
                    by=request.membership,
                )
        except services.CarryForwardNotPossible as exc:
            form.add_error("carry_from", str(exc))
        except DomainError as exc:
            form.add_error("framework_version", str(exc))
        else:
            messages.success(request, f"Audit started for {audit.academic_year}.")
            return redirect("audits:audit_detail", audit_id=audit.public_id)
    return _audit_list(request, form)


# --- one audit ---------------------------------------------------------------------------------------


@performs("audit_view")
def audit_detail(request: HttpRequest, audit_id) -> HttpResponse:
    """Show the audit's task list of sections with their progress, and its state."""
    audit = audit_for(request.membership, audit_id, as_submitted=True)
    context = _base_context(request, audit)
    if audit.shows_la_snapshot(request.membership):
        context.update(overall_comments=selectors.overall_comments(audit), snapshot=audit.returned_snapshot)
        return render(request, "audits/audit_as_submitted.html", context)
    sections = selectors.task_list(audit)
    context.update(
        sections=sections,
        completed=sum(1 for s in sections if s.status == "completed"),
        answered=sum(s.answered for s in sections),
        total=sum(s.total for s in sections),
        to_confirm=sum(s.to_confirm for s in sections),
        outcome_comments=selectors.outcome_comments(audit),
        reviews=selectors.governor_reviews(audit),
        summary=audit.carry_forward_summary,
    )
    return render(request, "audits/audit_detail.html", context)


def _criterion_item(request, audit, response, levels, *, data=None, conflict=None, saved=False) -> dict:
    can_edit = audit.is_editable and may(request, "audit_edit", audit)
    form = None
    if can_edit:
        initial = {
            "level": NOT_APPLICABLE if response.not_applicable else response.level,
            "na_reason": response.na_reason,
            "rationale": response.rationale,
            "version": response.version,
        }
        form = ResponseForm(
            data,
            initial=initial,
            prefix=response.criterion.ref,
            levels=levels,
            allow_na=scoring.may_be_not_applicable(
                statutory=response.criterion.statutory,
                scale_allows=audit.framework_version.scale.allow_not_applicable,
            ),
            statutory=response.criterion.statutory,
        )
    return {
        "response": response,
        "criterion": response.criterion,
        "form": form,
        "conflict": conflict,
        "saved": saved,
        "rationale_needed": response.needs_rationale([lv.value for lv in levels]),
    }


@performs("audit_view")
def section(request: HttpRequest, audit_id, section_ref: str) -> HttpResponse:
    """Show a section's criteria: each with guidance, its rating form (school staff) and evidence."""
    audit = audit_for(request.membership, audit_id)
    section_row = Section.objects.filter(version_id=audit.framework_version_id, ref=section_ref).first()
    if section_row is None:
        raise Http404
    levels = selectors.scale_levels(audit)
    responses = selectors.section_ratings(audit, section_row, request.membership)
    refs = list(
        Section.objects.filter(version_id=audit.framework_version_id, criteria__isnull=False)
        .distinct()
        .order_by("position")
        .values_list("ref", "title")
    )
    index = next((i for i, (ref, _) in enumerate(refs) if ref == section_ref), 0)
    context = _base_context(request, audit)
    section_level, section_label = selectors.section_level_of(audit, responses, levels)
    context.update(
        section=section_row,
        section_ref=section_row.ref,
        section_level=section_level,
        section_label=section_label,
        to_confirm=sum(1 for r in responses if r.to_confirm),
        levels=levels,
        items=[_criterion_item(request, audit, r, levels) for r in responses],
        previous_section=refs[index - 1] if index > 0 else None,
        next_section=refs[index + 1] if index + 1 < len(refs) else None,
        comment_form=CommentForm() if context["la_can_decide"] else None,
    )
    return render(request, "audits/section.html", context)


@performs("audit_edit")
@refuses_locked
def rating_save(request: HttpRequest, audit_id, criterion_ref: str) -> HttpResponse:
    """Save one criterion's rating (htmx autosave or a plain POST); a stale save shows the conflict.

    An autosave from a row of the whole-audit view (its id starts "row-") gets that view's fragments.
    """
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=request.method == "POST")
    levels = selectors.scale_levels(audit)
    # The whole section in one query: the target row, and the section's level after the save.
    ratings = selectors.section_ratings_holding(audit, criterion_ref)
    response = next((r for r in ratings if r.criterion.ref == criterion_ref), None)
    if response is None:
        raise Http404
    live = {"section_ref": response.criterion.section.ref}
    if request.method != "POST":
        _attach_comments(audit, response)
        item = _criterion_item(request, audit, response, levels)
        live["section_level"], live["section_label"] = selectors.section_level_of(audit, ratings, levels)
        context = {**_base_context(request, audit), "item": item, "levels": levels, **live}
        return render(request, "audits/criterion.html", context)
    compact = bool(request.htmx) and (request.htmx.trigger or "").startswith("row-")
    item = _criterion_item(request, audit, response, levels, data=request.POST)
    form = item["form"]
    explicit = "save" in request.POST or not request.htmx  # a button press, not an autosave on change
    status = 200
    if form.is_valid():
        try:
            services.rating_record(
                audit=audit,
                response=response,
                level=form.cleaned_data["level_value"],
                not_applicable=form.cleaned_data["not_applicable"],
                na_reason=form.cleaned_data["na_reason"],
                rationale=form.cleaned_data["rationale"],
                expected_version=form.cleaned_data["version"],
                by=request.membership,
                scale={lv.value: lv.label for lv in levels},
            )
        except services.StaleResponse as exc:
            if compact:
                return rate.conflict_row(request, audit, levels, exc.current, request.POST)
            # Keep what the person typed, but carry the new version: saving again is a deliberate choice.
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(exc.current.version)
            item = _criterion_item(request, audit, exc.current, levels, data=data, conflict=exc.current)
            item["form"].is_valid()
            explicit, status = True, 409
        except services.InvalidResponse as exc:
            form.add_error("level", str(exc))
        else:
            if request.htmx:
                item["saved"] = True
                item["rationale_needed"] = response.needs_rationale([lv.value for lv in levels])
                live["section_level"], live["section_label"] = selectors.section_level_of(
                    audit, ratings, levels
                )
                context = {"item": item, "audit": audit, "compact": compact, **live}
                if compact:
                    context["was"] = rate.fingerprint(response)
                return render(request, "audits/partials/_criterion_saved.html", context)
            messages.success(request, f"Your rating of {response.criterion.ref} has been saved.")
            return redirect(_section_url(audit, response.criterion))
    context = {**_base_context(request, audit), "item": item, "levels": levels, "compact": compact}
    if request.htmx and not explicit:
        # An autosave of an unfinished answer (422): say what is missing; don't redraw the form.
        context["not_saved"] = next(iter(item["form"].errors.values()))[0]
        return render(request, "audits/partials/_criterion_not_saved.html", context, status=422)
    _attach_comments(audit, item["response"])
    if request.htmx:
        result = render(
            request, "audits/partials/_criterion.html", {**context, "standalone_errors": True}, status=status
        )
        return reswap(retarget(result, f"#criterion-{response.criterion.ref}"), "outerHTML")
    return render(request, "audits/criterion.html", context, status=status)


def _attach_comments(audit: Audit, response: Rating) -> None:
    """Give the criterion the LA's comments on it in this audit (the section page prefetches them)."""
    response.criterion.audit_comments = list(
        LAComment.objects.filter(audit=audit, criterion_id=response.criterion_id).select_related("author")
    )


@performs("audit_view")
def audit_summary(request: HttpRequest, audit_id) -> HttpResponse:
    """Show where the school stands: levels per section and overall, priorities and strengths."""
    audit = audit_for(request.membership, audit_id)
    summary = selectors.audit_summary(audit)
    actions = selectors.audit_actions(audit)
    context = _base_context(request, audit)
    context.update(
        summary=summary,
        progress=selectors.action_progress(actions),
        outcome_comments=selectors.outcome_comments(audit),
        reviews=selectors.governor_reviews(audit),
    )
    return render(request, "audits/summary.html", context)


@performs("audit_submit")
def audit_check(request: HttpRequest, audit_id) -> HttpResponse:
    """Check your answers: unrated criteria, ratings to confirm, statutory gaps; then submit."""
    audit = audit_for(request.membership, audit_id, action="audit_submit")
    context = _base_context(request, audit)
    summary = selectors.audit_summary(audit)
    context.update(summary=summary, rationale_needed=selectors.rationale_needed_rows(audit, summary.levels))
    return render(request, "audits/check.html", context)


@performs("audit_submit")
def audit_submit(request: HttpRequest, audit_id) -> HttpResponse:
    """Ask to confirm, then submit the audit to the school's LA (once, however often it is pressed)."""
    audit = audit_for(request.membership, audit_id, action="audit_submit")
    if request.method != "POST":
        return _submit_confirmation(request, audit)
    try:
        services.audit_submit(audit=audit, by=request.membership)
    except services.AuditAlreadySubmitted as exc:
        messages.info(request, str(exc))
    except services.AuditIncomplete as exc:
        messages.error(request, str(exc))
        return redirect("audits:audit_check", audit_id=audit.public_id)
    else:
        messages.success(
            request,
            f"Audit submitted to {audit.school.local_authority.name}. It is locked while they review it.",
        )
    return redirect("audits:audit_detail", audit_id=audit.public_id)


def _submit_confirmation(request: HttpRequest, audit: Audit) -> HttpResponse:
    check = reverse("audits:audit_check", kwargs={"audit_id": audit.public_id})
    if not audit.is_editable:
        messages.info(
            request, f"This audit is {audit.get_status_display().lower()}: there is nothing to submit."
        )
        return redirect("audits:audit_detail", audit_id=audit.public_id)
    summary = selectors.audit_summary(audit)
    if summary.unrated or summary.unconfirmed or selectors.rationale_needed_rows(audit, summary.levels):
        messages.error(
            request,
            "Rate every criterion, confirm every carried-forward rating and give every rationale needed "
            "before you submit.",
        )
        return redirect(check)
    la = audit.school.local_authority.name
    overall = summary.overall_label + (" (provisional)" if summary.overall.provisional else "")
    return confirmation_page(
        request,
        Confirmation(
            caption=f"{audit.school.name} · {audit.academic_year}",
            heading=f"Submit the audit to {la}?",
            paragraphs=[
                f"{la} will read the audit, may comment on any criterion, and will accept it or return it to you."
            ],
            details=[
                ("Framework", str(audit.framework_version)),
                ("Criteria rated", f"{summary.answered} of {summary.total}"),
                ("Overall level", overall),
                ("Statutory duties", str(summary.duties)),
            ],
            warning=f"You cannot change the audit while {la} reviews it, unless you withdraw it.",
            button="Submit the audit",
            action_url=reverse("audits:audit_submit", kwargs={"audit_id": audit.public_id}),
            cancel_url=check,
        ),
    )


@require_POST
@performs("audit_submit")
def audit_withdraw(request: HttpRequest, audit_id) -> HttpResponse:
    """Withdraw a submitted audit, before the LA decides, to change it."""
    audit = audit_for(request.membership, audit_id, action="audit_submit")
    try:
        services.audit_reopen(audit=audit, by=request.membership)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Audit withdrawn. You can change it and submit it again.")
    return redirect("audits:audit_detail", audit_id=audit.public_id)


@performs("audit_view")
def audit_history(request: HttpRequest, audit_id) -> HttpResponse:
    """Show every change to the audit: who, when and what."""
    audit = audit_for(request.membership, audit_id)
    events = selectors.audit_history(audit, request.membership)
    return render(request, "audits/history.html", {**_base_context(request, audit), "events": events})


@performs("audit_compare")
def audit_compare(request: HttpRequest, audit_id) -> HttpResponse:
    """Compare this audit with another of the school's: the change per section and per criterion."""
    audit = audit_for(request.membership, audit_id, action="audit_compare")
    others = list(
        restrict(Audit.objects.all(), request.membership, "audit_compare")
        .exclude(pk=audit.pk)
        .select_related("framework_version__framework")
        .order_by("-created_at")
    )
    form = CompareForm(request.GET or None, audits=others)
    comparison, other = None, None
    if request.GET and form.is_valid():
        other = next(a for a in others if str(a.public_id) == form.cleaned_data["other"])
        earlier, later = sorted([other, audit], key=lambda a: (a.academic_year, a.created_at))
        comparison = selectors.compare_audits(earlier, later)
        comparison["earlier"], comparison["later"] = earlier, later
    context = {**_base_context(request, audit), "form": form, "others": others, "comparison": comparison}
    return render(request, "audits/compare.html", context)


# --- exports -----------------------------------------------------------------------------------------


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@performs("audit_export")
def audit_export_csv(request: HttpRequest, audit_id) -> HttpResponse:
    """Download the audit's ratings as CSV."""
    audit = audit_for(request.membership, audit_id, action="audit_export")
    return _download(
        exports.audit_csv(audit, request.membership),
        exports.CSV_CONTENT_TYPE,
        exports.file_name(audit, "csv"),
    )


@performs("audit_export")
def audit_export_xlsx(request: HttpRequest, audit_id) -> HttpResponse:
    """Download the audit's ratings and action plan as an Excel workbook."""
    audit = audit_for(request.membership, audit_id, action="audit_export")
    return _download(
        exports.audit_xlsx(audit, request.membership),
        exports.XLSX_CONTENT_TYPE,
        exports.file_name(audit, "xlsx"),
    )
