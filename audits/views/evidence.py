"""Evidence pages: list, add, edit and download."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from audits import selectors, services
from audits.forms import (
    EvidenceForm,
)
from audits.lookups import audit_for
from audits.views._shared import (
    _base_context,
    _criteria,
    _next_url,
    refuses_locked,
)
from sendplan.confirmation import Confirmation, confirmation_page
from sendplan.policy import performs
from standards.models import Criterion

# --- evidence ----------------------------------------------------------------------------------------


def _criteria_groups(form: EvidenceForm, criteria: list[Criterion]) -> list[dict]:
    """Return the criteria as checkboxes grouped by section, numbered from 1 as the error summary links."""
    chosen = {str(value) for value in (form["criteria"].value() or [])}
    groups: list[dict] = []
    for number, criterion in enumerate(criteria, start=1):
        if not groups or groups[-1]["ref"] != criterion.section.ref:
            groups.append({"ref": criterion.section.ref, "title": criterion.section.title, "items": []})
        value = str(criterion.public_id)
        groups[-1]["items"].append(
            {
                "id": f"id_criteria_{number}",
                "value": value,
                "label": f"{criterion.ref}: {criterion.statement}",
                "checked": value in chosen,
            }
        )
    return groups


@performs("audit_view")
def evidence_list(request: HttpRequest, audit_id) -> HttpResponse:
    """List the audit's evidence and the criteria each piece supports."""
    audit = audit_for(request.membership, audit_id)
    evidence = selectors.audit_evidence(audit, request.membership)
    return render(
        request, "audits/evidence_list.html", {**_base_context(request, audit), "evidence": evidence}
    )


@performs("audit_edit")
@refuses_locked
def evidence_add(request: HttpRequest, audit_id) -> HttpResponse:
    """Upload a file or give a link as evidence for one or more criteria."""
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=True)
    criteria = _criteria(audit)
    chosen = request.GET.get("criterion")
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        criteria=criteria,
        initial={"criteria": [chosen] if chosen else []},
    )
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["criteria"])
        upload = form.cleaned_data.get("file")
        try:
            evidence = services.evidence_add(
                audit=audit,
                title=form.cleaned_data["title"],
                criteria=[c for c in criteria if str(c.public_id) in wanted],
                by=request.membership,
                file_name=upload.name if upload else "",
                data=upload.read() if upload else None,
                url=form.cleaned_data.get("url") or "",
                shareable_with_governors=form.cleaned_data["shareable_with_governors"],
            )
        except services.EvidenceRejected as exc:
            form.add_error("file" if upload else "url", str(exc))
        else:
            messages.success(request, f"‘{evidence.title}’ added as evidence.")
            default = reverse("audits:evidence_list", kwargs={"audit_id": audit.public_id})
            return redirect(_next_url(request, audit, default))
    context = {
        **_base_context(request, audit),
        "form": form,
        "criteria_groups": _criteria_groups(form, criteria),
        "next": _next_url(request, audit, ""),
    }
    return render(request, "audits/evidence_form.html", context)


@performs("audit_edit")
@refuses_locked
def evidence_edit(request: HttpRequest, audit_id, evidence_id) -> HttpResponse:
    """Rename evidence, choose the criteria it supports, and whether governors may see it."""
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=True)
    evidence = selectors.evidence_for(audit, evidence_id, request.membership)
    criteria = _criteria(audit)
    initial = {
        "title": evidence.title,
        "shareable_with_governors": evidence.shareable_with_governors,
        "criteria": [str(r.criterion.public_id) for r in evidence.audit_ratings],
    }
    form = EvidenceForm(request.POST or None, criteria=criteria, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["criteria"])
        services.evidence_update(
            audit=audit,
            evidence=evidence,
            title=form.cleaned_data["title"],
            criteria=[c for c in criteria if str(c.public_id) in wanted],
            shareable_with_governors=form.cleaned_data["shareable_with_governors"],
            by=request.membership,
        )
        messages.success(request, f"‘{evidence.title}’ saved.")
        return redirect("audits:evidence_list", audit_id=audit.public_id)
    context = {
        **_base_context(request, audit),
        "form": form,
        "evidence": evidence,
        "criteria_groups": _criteria_groups(form, criteria),
    }
    return render(request, "audits/evidence_form.html", context)


@performs("evidence_view")
def evidence_download(request: HttpRequest, audit_id, evidence_id) -> HttpResponse:
    """Download an evidence file as an attachment (governors: only evidence marked shareable)."""
    audit = audit_for(request.membership, audit_id)
    evidence = selectors.evidence_for(audit, evidence_id, request.membership)
    if not evidence.file:
        raise Http404
    extension = evidence.file.name.rsplit(".", 1)[-1]
    filename = evidence.original_name or f"{evidence.title}.{extension}"
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@performs("audit_edit")
@refuses_locked
def evidence_remove(request: HttpRequest, audit_id, evidence_id) -> HttpResponse:
    """Ask to confirm, then remove a piece of evidence from the audit and from every criterion it supports."""
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=True)
    evidence = selectors.evidence_for(audit, evidence_id, request.membership)
    if request.method == "POST":
        try:
            services.evidence_remove(audit=audit, evidence=evidence, by=request.membership)
        except services.EvidenceRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"‘{evidence.title}’ removed from the audit.")
        return redirect("audits:evidence_list", audit_id=audit.public_id)
    criteria = ", ".join(r.criterion.ref for r in evidence.audit_ratings) or "None"
    return confirmation_page(
        request,
        Confirmation(
            caption=f"{audit.school.name} · {audit.academic_year}",
            heading=f"Remove ‘{evidence.title}’ from the audit?",
            details=[("Kind", "Link" if evidence.is_link else "File"), ("Supports", criteria)],
            warning="It will no longer support any criterion of this audit, and no one will be able to "
            "open it from here. The history will still show that it was added and removed.",
            button="Remove the evidence",
            destructive=True,
            action_url=reverse(
                "audits:evidence_remove",
                kwargs={"audit_id": audit.public_id, "evidence_id": evidence.public_id},
            ),
            cancel_url=reverse(
                "audits:evidence_edit",
                kwargs={"audit_id": audit.public_id, "evidence_id": evidence.public_id},
            ),
        ),
    )
