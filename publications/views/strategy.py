"""Pages for writing an inclusion strategy: the statement of intent, barriers (with suggestions),
activities and their costs, and outcomes with their review."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from audits.models import Action
from publications import checks, money, selectors, services
from publications.forms import ActivityForm, BarrierForm, OutcomeForm, OutcomeReviewForm, StatementForm
from publications.lookups import activity_for, barrier_for, outcome_for, strategy_for
from publications.views._shared import base_context
from sendplan.policy import get_or_404, performs
from sendplan.services import DomainError

# --- statement of intent -------------------------------------------------------------------------------------


@performs("publication_edit")
def statement_edit(request: HttpRequest, strategy_id) -> HttpResponse:
    """Write the statement of intent (500 words at most, counted as you type)."""
    publication = strategy_for(request.membership, strategy_id)
    form = StatementForm(request.POST or None, initial={"statement": publication.statement_of_intent})
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_update(
                publication=publication, text=form.cleaned_data["statement"], by=request.membership
            )
        except DomainError as exc:
            form.add_error("statement", str(exc))
        else:
            messages.success(request, "Statement of intent saved.")
            return redirect("publications:publication_detail", publication_id=publication.public_id)
    context = {
        **base_context(request, publication),
        "form": form,
        "heading": "Statement of intent",
        "max_words": checks.STATEMENT_MAX_WORDS,
    }
    return render(request, "publications/statement_form.html", context)


# --- barriers ------------------------------------------------------------------------------------------------


def _barriers_url(publication, audit) -> str:
    url = reverse("publications:barrier_list", kwargs={"strategy_id": publication.public_id})
    return f"{url}?{urlencode({'audit': audit.public_id})}" if audit else url


def _barrier_page(request: HttpRequest, publication, form: BarrierForm, status: int = 200) -> HttpResponse:
    audit = selectors.suggestion_audit(
        request.membership, request.GET.get("audit") or request.POST.get("audit")
    )
    context = {
        **base_context(request, publication),
        "barriers": selectors.barriers(publication),
        "audit": audit,
        "audits": selectors.suggestion_audits(request.membership),
        "suggestions": selectors.barrier_suggestions(publication, audit),
        "form": form,
    }
    return render(request, "publications/barrier_list.html", context, status=status)


@performs("publication_edit")
def barrier_list(request: HttpRequest, strategy_id) -> HttpResponse:
    """List the barriers, offer sendplan's suggestions with their sources, and add the school's own."""
    publication = strategy_for(request.membership, strategy_id)
    form = BarrierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.barrier_add(
                publication=publication, text=form.cleaned_data["text"], by=request.membership
            )
        except DomainError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, "Barrier added.")
            audit = selectors.suggestion_audit(request.membership, request.POST.get("audit"))
            return redirect(_barriers_url(publication, audit))
    return _barrier_page(request, publication, form)


@require_POST
@performs("publication_edit")
def barrier_suggestion(request: HttpRequest, strategy_id) -> HttpResponse:
    """Keep a suggested barrier (as suggested or as edited, with its source), or drop it."""
    publication = strategy_for(request.membership, strategy_id)
    audit = selectors.suggestion_audit(request.membership, request.POST.get("audit"))
    # The suggestion and its source are worked out again here: only the text may come from the form.
    suggestion = selectors.suggestion_by_key(
        selectors.barrier_suggestions(publication, audit), request.POST.get("key", "")
    )
    if suggestion is None:
        messages.error(request, "That suggestion is no longer offered.")
        return redirect(_barriers_url(publication, audit))
    try:
        if request.POST.get("decision") == "drop":
            services.suggestion_drop(publication=publication, key=suggestion.key, by=request.membership)
            messages.success(request, "Suggestion dropped.")
        else:
            text = (request.POST.get("text") or "").strip()[:1000] or suggestion.text
            services.barrier_add(
                publication=publication, text=text, source=suggestion.source, suggestion_key=suggestion.key,
                by=request.membership,
            )  # fmt: skip
            messages.success(request, "Barrier kept.")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(_barriers_url(publication, audit))


@performs("publication_edit")
def barrier_edit(request: HttpRequest, strategy_id, barrier_id) -> HttpResponse:
    """Change a barrier's words."""
    publication = strategy_for(request.membership, strategy_id)
    barrier = barrier_for(publication, barrier_id)
    form = BarrierForm(request.POST or None, initial={"text": barrier.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.barrier_update(barrier=barrier, text=form.cleaned_data["text"], by=request.membership)
        except DomainError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, "Barrier saved.")
            return redirect("publications:barrier_list", strategy_id=publication.public_id)
    context = {
        **base_context(request, publication),
        "form": form,
        "barrier": barrier,
        "heading": "Change a barrier",
    }
    return render(request, "publications/barrier_form.html", context)


@require_POST
@performs("publication_edit")
def barrier_remove(request: HttpRequest, strategy_id, barrier_id) -> HttpResponse:
    """Remove a barrier; the ones after it move up a number."""
    publication = strategy_for(request.membership, strategy_id)
    services.barrier_remove(barrier=barrier_for(publication, barrier_id), by=request.membership)
    messages.success(request, "Barrier removed.")
    return redirect("publications:barrier_list", strategy_id=publication.public_id)


# --- activities ----------------------------------------------------------------------------------------------


@performs("publication_edit")
def activity_list(request: HttpRequest, strategy_id) -> HttpResponse:
    """List the activities with their costs and totals, and the audit's actions that can become activities."""
    publication = strategy_for(request.membership, strategy_id)
    audit = selectors.suggestion_audit(request.membership, request.GET.get("audit"))
    actions = selectors.audit_actions(audit)
    used = set(publication.activities.exclude(from_action=None).values_list("from_action_id", flat=True))
    for action in actions:
        action.used = action.pk in used
    context = {
        **base_context(request, publication),
        "figures": selectors.strategy_figures(publication),
        "audit": audit,
        "audits": selectors.suggestion_audits(request.membership),
        "actions": actions,
    }
    return render(request, "publications/activity_list.html", context)


def _activity_form(request: HttpRequest, publication, activity) -> HttpResponse:
    principles = selectors.principles(publication)
    barriers = selectors.barriers(publication)
    initial = {}
    if activity is not None:
        initial = {
            "description": activity.description,
            "reach": activity.reach,
            "principles": [str(p.public_id) for p in activity.principles.all()],
            "barriers": [str(b.public_id) for b in activity.barriers.all()],
            "funding_source": activity.funding_source,
            "cost": money.pence_as_pounds_text(activity.cost_pence),
        }
    form = ActivityForm(request.POST or None, principles=principles, barriers=barriers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_save(
                publication=publication,
                activity=activity,
                description=data["description"],
                reach=data["reach"],
                principles=[p for p in principles if str(p.public_id) in data["principles"]],
                barriers=[b for b in barriers if str(b.public_id) in data.get("barriers", [])],
                funding_source=data["funding_source"],
                cost_pence=data["cost"],
                by=request.membership,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Activity saved.")
            return redirect("publications:activity_list", strategy_id=publication.public_id)
    heading = "Change an activity" if activity else "Add an activity"
    context = {**base_context(request, publication), "form": form, "activity": activity, "heading": heading}
    return render(request, "publications/activity_form.html", context)


@performs("publication_edit")
def activity_add(request: HttpRequest, strategy_id) -> HttpResponse:
    """Add an activity."""
    return _activity_form(request, strategy_for(request.membership, strategy_id), None)


@performs("publication_edit")
def activity_edit(request: HttpRequest, strategy_id, activity_id) -> HttpResponse:
    """Change an activity."""
    publication = strategy_for(request.membership, strategy_id)
    return _activity_form(request, publication, activity_for(publication, activity_id))


@require_POST
@performs("publication_edit")
def activity_remove(request: HttpRequest, strategy_id, activity_id) -> HttpResponse:
    """Remove an activity."""
    publication = strategy_for(request.membership, strategy_id)
    services.activity_remove(activity=activity_for(publication, activity_id), by=request.membership)
    messages.success(request, "Activity removed.")
    return redirect("publications:activity_list", strategy_id=publication.public_id)


@require_POST
@performs("publication_edit")
def activity_from_action(request: HttpRequest, strategy_id, action_id) -> HttpResponse:
    """Turn an audit action into an activity in one step, then ask for what it cannot say."""
    publication = strategy_for(request.membership, strategy_id)
    action = get_or_404(
        Action.objects.select_related("audit", "criterion"),
        request.membership,
        "audit_view",
        public_id=action_id,
    )
    try:
        activity = services.activity_from_action(
            publication=publication, action=action, by=request.membership
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("publications:activity_list", strategy_id=publication.public_id)
    messages.success(
        request,
        "The action is now an activity. Choose the principles it serves and where the money comes from.",
    )
    return redirect(
        "publications:activity_edit", strategy_id=publication.public_id, activity_id=activity.public_id
    )


# --- outcomes ------------------------------------------------------------------------------------------------


@performs("publication_edit")
def outcome_list(request: HttpRequest, strategy_id) -> HttpResponse:
    """List the intended outcomes, and last year's outcomes to review."""
    publication = strategy_for(request.membership, strategy_id)
    found = selectors.outcomes(publication)
    context = {
        **base_context(request, publication),
        "outcomes": [o for o in found if not o.from_previous],
        "previous": [o for o in found if o.from_previous],
    }
    return render(request, "publications/outcome_list.html", context)


def _outcome_form(request: HttpRequest, publication, outcome) -> HttpResponse:
    initial = {"text": outcome.text, "success_criteria": outcome.success_criteria} if outcome else {}
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_save(
                publication=publication,
                outcome=outcome,
                text=form.cleaned_data["text"],
                success_criteria=form.cleaned_data["success_criteria"],
                by=request.membership,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Outcome saved.")
            return redirect("publications:outcome_list", strategy_id=publication.public_id)
    heading = "Change an outcome" if outcome else "Add an intended outcome"
    context = {**base_context(request, publication), "form": form, "outcome": outcome, "heading": heading}
    return render(request, "publications/outcome_form.html", context)


@performs("publication_edit")
def outcome_add(request: HttpRequest, strategy_id) -> HttpResponse:
    """Add an intended outcome."""
    return _outcome_form(request, strategy_for(request.membership, strategy_id), None)


@performs("publication_edit")
def outcome_edit(request: HttpRequest, strategy_id, outcome_id) -> HttpResponse:
    """Change an intended outcome."""
    publication = strategy_for(request.membership, strategy_id)
    return _outcome_form(request, publication, outcome_for(publication, outcome_id))


@performs("publication_edit")
def outcome_review(request: HttpRequest, strategy_id, outcome_id) -> HttpResponse:
    """Record what happened to an outcome, and the evidence."""
    publication = strategy_for(request.membership, strategy_id)
    outcome = outcome_for(publication, outcome_id)
    form = OutcomeReviewForm(
        request.POST or None, initial={"what_happened": outcome.what_happened, "evidence": outcome.evidence}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_review(
                outcome=outcome,
                what_happened=form.cleaned_data["what_happened"],
                evidence=form.cleaned_data["evidence"],
                by=request.membership,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Review saved.")
            return redirect("publications:outcome_list", strategy_id=publication.public_id)
    context = {
        **base_context(request, publication),
        "form": form,
        "outcome": outcome,
        "heading": "Review an outcome",
    }
    return render(request, "publications/outcome_review.html", context)


@require_POST
@performs("publication_edit")
def outcome_remove(request: HttpRequest, strategy_id, outcome_id) -> HttpResponse:
    """Remove an outcome."""
    publication = strategy_for(request.membership, strategy_id)
    services.outcome_remove(outcome=outcome_for(publication, outcome_id), by=request.membership)
    messages.success(request, "Outcome removed.")
    return redirect("publications:outcome_list", strategy_id=publication.public_id)
