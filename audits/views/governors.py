"""Governors' pages: record the board's review of an audit."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from audits import selectors, services
from audits.forms import (
    GovernorReviewForm,
)
from audits.lookups import audit_for
from audits.views._shared import (
    _base_context,
)
from sendplan.policy import performs
from sendplan.services import DomainError

# --- governors ---------------------------------------------------------------------------------------


@performs("board_review_record")
def governor_review(request: HttpRequest, audit_id) -> HttpResponse:
    """Record that the governing board reviewed the audit."""
    audit = audit_for(request.membership, audit_id, action="board_review_record")
    form = GovernorReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.governor_review_record(
                audit=audit,
                reviewed_on=form.cleaned_data["reviewed_on"],
                minute_reference=form.cleaned_data["minute_reference"],
                by=request.membership,
            )
        except DomainError as exc:
            form.add_error("reviewed_on", str(exc))
        else:
            messages.success(request, "The board's review has been recorded.")
            return redirect("audits:audit_summary", audit_id=audit.public_id)
    context = {**_base_context(request, audit), "form": form, "reviews": selectors.governor_reviews(audit)}
    return render(request, "audits/governor_review.html", context)
