"""EHC plans: starting one, the task list, sections and items, timeline, dates, versions, export, submit and amend.

Which form and service each section uses is in ehcp/sections.py; these views route.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ehcp import deadlines, forms, sections, selectors, services
from ehcp.lookups import plan_for, pupil_for, render_shown
from ehcp.models import SECTION_CODES, SECTION_TITLES, Plan, PlanVersion
from ehcp.views._shared import _refuse, json_download
from sendplan.policy import performs, shown
from sendplan.services import DomainError


@performs("pupil_edit")
def plan_start(request: HttpRequest, pupil_id) -> HttpResponse:
    """Start an EHC plan for a pupil from the date the assessment was requested."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_edit")
    existing = pupil.plans.first()
    if existing is not None:
        return redirect("ehcp:plan_detail", plan_id=existing.public_id)
    form = forms.PlanStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_start(pupil=pupil, by=request.membership, **form.cleaned_data)
        except services.PlanExists:  # a second click, or a colleague at the same moment
            messages.info(request, f"{pupil.full_name} already has a plan. This is it.")
            return redirect("ehcp:plan_detail", plan_id=pupil.plans.get().public_id)
        except DomainError as exc:
            form.add_error("requested_on", str(exc))
        else:
            messages.success(request, "Plan started. Work through the sections in any order.")
            return redirect("ehcp:plan_detail", plan_id=plan.public_id)
    context = {
        "form": form,
        "decision_weeks": deadlines.DECISION_WEEKS,
        "final_plan_weeks": deadlines.FINAL_PLAN_WEEKS,
    }
    return render_shown(request, "ehcp/plan_start.html", context, pupil=pupil, what="Start an EHC plan")


# --- plans -----------------------------------------------------------------------------------------------


def _plan_context(request: HttpRequest, plan: Plan, version: PlanVersion | None = None) -> dict:
    version = version or selectors.version_for_viewer(plan, request.membership)
    content = selectors.version_content(version)
    findings = selectors.version_findings(content)
    return {
        "plan": plan,
        "version": version,
        "content": content,
        "findings": findings,
        "is_school": request.membership.is_school,
        "can_edit": request.membership.is_school and version.is_editable,
        "item_urls": _item_urls(plan, content),
        "need_labels": {n.pk: f"Need {i}" for i, n in enumerate(content.needs, start=1)},
        "outcome_labels": {o.pk: f"Outcome {i}" for i, o in enumerate(content.outcomes, start=1)},
    }


def _item_urls(plan: Plan, content) -> dict[str, tuple[str, str]]:
    """Map each item's public id to (label, edit URL), so a finding can link to what it is about."""
    urls = {}
    for need in content.needs:
        urls[str(need.public_id)] = (f"need {content.number_of(need)}", _item_url(plan, "B", need))
    for outcome in content.outcomes:
        urls[str(outcome.public_id)] = (
            f"outcome {content.number_of(outcome)}",
            _item_url(plan, "E", outcome),
        )
    for provision in content.provisions:
        urls[str(provision.public_id)] = (
            f"provision {content.number_of(provision)}",
            _item_url(plan, provision.section, provision),
        )
    return urls


def _item_url(plan: Plan, section: str, item) -> str:
    return reverse(
        "ehcp:item_edit", kwargs={"plan_id": plan.public_id, "section": section, "item_id": item.public_id}
    )


@performs("plan_view")
def plan_detail(request: HttpRequest, plan_id) -> HttpResponse:
    """Show the plan's task list of sections A to K, the quality checker's findings and the next steps."""
    plan = plan_for(request.membership, plan_id)
    context = _plan_context(request, plan)
    version = context["version"]
    context["tasks"] = selectors.task_list(context["content"], context["findings"])
    context["comments"] = selectors.version_comments(version)
    context["events"] = plan.events.select_related("actor")
    context["next"] = selectors.next_deadline(plan)
    context["comment_form"] = forms.CommentForm()
    context["completed_count"] = sum(1 for t in context["tasks"] if t.status == "completed")
    context["reviews"] = list(selectors.plan_reviews(plan, request.membership))
    context["can_start_review"] = (
        request.membership.is_school
        and plan.final_issued_on is not None
        and all(r.status == "decided" for r in context["reviews"])
        and services.final_version(plan) is not None
    )
    return render_shown(
        request,
        "ehcp/plan_detail.html",
        context,
        pupil=plan.pupil,
        what=f"EHC plan, version {version.number}",
    )


def _section_or_404(section: str) -> str:
    if section not in SECTION_CODES:
        raise Http404
    return section


@performs("plan_view")
def section_detail(request: HttpRequest, plan_id, section) -> HttpResponse:
    """Show one section of the plan with its findings; the school adds items or edits text here."""
    plan = plan_for(request.membership, plan_id)
    section = _section_or_404(section)
    context = _plan_context(request, plan)
    version, content = context["version"], context["content"]
    if request.method == "POST" and not context["can_edit"]:
        messages.error(request, _locked_message(request, version))
        return redirect("ehcp:section_detail", plan_id=plan.public_id, section=section)
    data = request.POST if request.method == "POST" else None
    form = sections.form_for(section, version, content, data)
    complete_form = forms.SectionCompleteForm(
        initial={"completed": "yes" if section in version.completed_sections else None}
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            sections.save(section, version, form, request.membership)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if sections.is_text(section):
                messages.success(request, f"Section {section} saved.")
                return redirect("ehcp:plan_detail", plan_id=plan.public_id)
            messages.success(request, "Item added.")
            return redirect("ehcp:section_detail", plan_id=plan.public_id, section=section)
    context.update(
        {
            "section": section,
            "section_title": SECTION_TITLES[section],
            "form": form if context["can_edit"] else None,
            "complete_form": complete_form,
            "section_findings": [f for f in context["findings"] if f.section == section],
            "items": content.items_in(section),
            "is_text": sections.is_text(section),
            "noun": sections.noun(section),
            "comments": selectors.version_comments(version).filter(section=section),
        }
    )
    return render_shown(
        request, "ehcp/section.html", context, pupil=plan.pupil, what=f"EHC plan section {section}"
    )


def _locked_message(request: HttpRequest, version: PlanVersion) -> str:
    if request.membership.is_la:
        return "Only the school can change the plan. Add a comment or return it to the school instead."
    if version.status == "final":
        return "This version is final and cannot be changed. Start proposed amendments instead."
    return "This version is with the LA. You can change it if they return it to you."


def _item_or_404(version: PlanVersion, section: str, item_id):
    item = sections.item_in(version, section, item_id)
    if item is None:
        raise Http404
    return item


@performs("plan_edit")
def section_complete(request: HttpRequest, plan_id, section) -> HttpResponse:
    """Mark a section as completed, or as still in progress."""
    plan = plan_for(request.membership, plan_id, action="plan_edit")
    section = _section_or_404(section)
    back = reverse("ehcp:section_detail", kwargs={"plan_id": plan.public_id, "section": section})
    if request.method != "POST":
        return redirect(back)
    form = forms.SectionCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select whether you have completed this section.")
        return redirect(back)
    try:
        services.section_mark(
            by=request.membership,
            version=services.current_version(plan),
            section=section,
            completed=form.cleaned_data["completed"] == "yes",
        )
    except DomainError as exc:
        return _refuse(request, exc, back)
    messages.success(
        request,
        f"Section {section} marked as {'completed' if form.cleaned_data['completed'] == 'yes' else 'in progress'}.",
    )
    return redirect("ehcp:plan_detail", plan_id=plan.public_id)


@performs("plan_edit")
def item_edit(request: HttpRequest, plan_id, section, item_id) -> HttpResponse:
    """Change one need, outcome, provision or advice item."""
    plan = plan_for(request.membership, plan_id, action="plan_edit")
    section = _section_or_404(section)
    context = _plan_context(request, plan)
    version, content = context["version"], context["content"]
    item = _item_or_404(version, section, item_id)
    back = reverse("ehcp:section_detail", kwargs={"plan_id": plan.public_id, "section": section})
    if request.method == "POST" and not context["can_edit"]:
        messages.error(request, _locked_message(request, version))
        return redirect(back)
    form = sections.form_for(
        section, version, content, request.POST if request.method == "POST" else None, item=item
    )
    if request.method == "POST" and form.is_valid():
        try:
            sections.save(section, version, form, request.membership, item=item)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Changes saved.")
            return redirect(back)
    context.update(
        {
            "section": section,
            "section_title": SECTION_TITLES[section],
            "form": form,
            "item": item,
            "item_number": content.number_of(item),
            "noun": sections.noun(section),
            "item_findings": [f for f in context["findings"] if f.item_key == str(item.public_id)],
        }
    )
    return render_shown(
        request, "ehcp/item_form.html", context, pupil=plan.pupil, what=f"EHC plan section {section} item"
    )


@require_POST
@performs("plan_edit")
def item_remove(request: HttpRequest, plan_id, section, item_id) -> HttpResponse:
    """Remove one need, outcome, provision or advice item."""
    plan = plan_for(request.membership, plan_id, action="plan_edit")
    section = _section_or_404(section)
    version = services.current_version(plan)
    item = _item_or_404(version, section, item_id)
    back = reverse("ehcp:section_detail", kwargs={"plan_id": plan.public_id, "section": section})
    try:
        services.item_remove(by=request.membership, version=version, section=section, item=item)
    except DomainError as exc:
        return _refuse(request, exc, back)
    messages.success(request, "Item removed.")
    return redirect(back)


@performs("plan_view")
def plan_timeline(request: HttpRequest, plan_id) -> HttpResponse:
    """Show the plan's statutory deadlines with on track, due soon and overdue tags."""
    plan = plan_for(request.membership, plan_id)
    context = {
        "plan": plan,
        "rows": selectors.plan_deadlines(plan),
        "is_school": request.membership.is_school,
    }
    return render_shown(
        request, "ehcp/plan_timeline.html", context, pupil=plan.pupil, what="EHC plan timeline"
    )


@performs("plan_edit")
def plan_dates(request: HttpRequest, plan_id) -> HttpResponse:
    """Record the dates the deadlines are counted from."""
    plan = plan_for(request.membership, plan_id, action="plan_edit")
    form = forms.PlanDatesForm(
        request.POST or None, initial={n: getattr(plan, n) for n in services.PLAN_DATE_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_dates_update(plan=plan, by=request.membership, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Dates saved.")
            return redirect("ehcp:plan_timeline", plan_id=plan.public_id)
    return render_shown(
        request, "ehcp/plan_dates.html", {"plan": plan, "form": form}, pupil=plan.pupil, what="EHC plan dates"
    )


@require_POST
@performs("plan_submit")
def plan_submit(request: HttpRequest, plan_id) -> HttpResponse:
    """Submit the current version to the school's LA."""
    plan = plan_for(request.membership, plan_id, action="plan_submit")
    try:
        version = services.plan_submit(plan=plan, by=request.membership)
    except DomainError as exc:
        return _refuse(request, exc, reverse("ehcp:plan_detail", kwargs={"plan_id": plan.public_id}))
    messages.success(request, f"Version {version.number} submitted to {plan.school.local_authority.name}.")
    return redirect("ehcp:plan_detail", plan_id=plan.public_id)


@require_POST
@performs("plan_edit")
def plan_amend(request: HttpRequest, plan_id) -> HttpResponse:
    """Start proposed amendments to a final plan, as a new version."""
    plan = plan_for(request.membership, plan_id, action="plan_edit")
    try:
        version = services.plan_amendments_start(plan=plan, by=request.membership)
    except DomainError as exc:
        return _refuse(request, exc, reverse("ehcp:plan_detail", kwargs={"plan_id": plan.public_id}))
    messages.success(request, f"Version {version.number} started as proposed amendments.")
    return redirect("ehcp:plan_detail", plan_id=plan.public_id)


@performs("plan_view")
def version_list(request: HttpRequest, plan_id) -> HttpResponse:
    """List the plan's versions and compare two of them section by section."""
    plan = plan_for(request.membership, plan_id)
    versions = list(selectors.versions_visible(plan, request.membership))
    form = forms.CompareForm(request.GET or None, versions=versions)
    diffs = None
    old = new = None
    if len(versions) >= 2 and form.is_valid():
        by_number = {str(v.number): v for v in versions}
        old, new = by_number[form.cleaned_data["old"]], by_number[form.cleaned_data["new"]]
        diffs = selectors.compare_versions(old, new)
    elif len(versions) >= 2 and not request.GET:
        form = forms.CompareForm(
            initial={"old": versions[1].number, "new": versions[0].number}, versions=versions
        )
    context = {
        "plan": plan,
        "versions": versions,
        "compare_form": form,
        "diffs": diffs,
        "old": old,
        "new": new,
    }
    return render_shown(request, "ehcp/versions.html", context, pupil=plan.pupil, what="EHC plan versions")


@performs("plan_export")
def version_export(request: HttpRequest, plan_id, version_id) -> HttpResponse:
    """Download one version of the plan as structured JSON."""
    plan = plan_for(request.membership, plan_id, action="plan_export")
    version = selectors.versions_visible(plan, request.membership).filter(public_id=version_id).first()
    if version is None:
        raise Http404
    shown(request, plan.pupil, what=f"EHC plan version {version.number} (JSON)")
    return json_download(
        selectors.version_as_dict(version), filename=f"ehc-plan-{plan.public_id}-v{version.number}.json"
    )
