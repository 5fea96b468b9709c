"""Pages for writing an SEN information report: one page per item of Schedule 1, with suggestions."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from publications import schedule1, selectors, services
from publications.forms import SectionForm
from publications.lookups import sen_report_for
from publications.views._shared import base_context
from sendplan.policy import performs
from sendplan.services import DomainError


def _item(key: str) -> schedule1.Item:
    item = schedule1.BY_KEY.get(key)
    if item is None:
        raise Http404
    return item


def _section_url(publication, item: schedule1.Item, audit) -> str:
    url = reverse(
        "publications:section_edit", kwargs={"sen_report_id": publication.public_id, "item": item.key}
    )
    return f"{url}?{urlencode({'audit': audit.public_id})}" if audit else url


@performs("publication_edit")
def section_edit(request: HttpRequest, sen_report_id, item) -> HttpResponse:
    """Write one section of the report, with what sendplan suggests for it and where each suggestion comes from."""
    publication = sen_report_for(request.membership, sen_report_id)
    item = _item(item)
    section = selectors.section_for(publication, item.key)
    form = SectionForm(
        request.POST or None, initial={"text": section.text if section else ""}, label=item.heading
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(
                publication=publication, item=item.key, text=form.cleaned_data["text"], by=request.membership
            )
        except DomainError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, f"Saved ‘{item.heading}’.")
            return redirect("publications:publication_detail", publication_id=publication.public_id)
    audit = selectors.suggestion_audit(request.membership, request.GET.get("audit"))
    keys = [i.key for i in schedule1.ITEMS]
    position = keys.index(item.key)
    context = {
        **base_context(request, publication),
        "item": item,
        "section": section,
        "form": form,
        "audit": audit,
        "audits": selectors.suggestion_audits(request.membership),
        "suggestions": selectors.section_suggestions(publication, audit)[item.key],
        "next_item": schedule1.ITEMS[position + 1] if position + 1 < len(keys) else None,
    }
    return render(request, "publications/section_form.html", context)


@require_POST
@performs("publication_edit")
def section_suggestion(request: HttpRequest, sen_report_id, item) -> HttpResponse:
    """Add a suggestion's text to the section, or drop the suggestion."""
    publication = sen_report_for(request.membership, sen_report_id)
    item = _item(item)
    audit = selectors.suggestion_audit(request.membership, request.POST.get("audit"))
    suggestion = selectors.suggestion_by_key(
        selectors.section_suggestions(publication, audit)[item.key], request.POST.get("key", "")
    )
    if suggestion is None:
        messages.error(request, "That suggestion is no longer offered.")
    elif request.POST.get("decision") == "drop":
        services.suggestion_drop(publication=publication, key=suggestion.key, by=request.membership)
        messages.success(request, "Suggestion dropped.")
    else:
        services.suggestion_use(
            publication=publication, item=item.key, suggestion=suggestion, by=request.membership
        )
        messages.success(request, "Suggestion added to the section. Check and edit the words.")
    return redirect(_section_url(publication, item, audit))
