"""Who may reach a pupil or plan, and the access event every page and export of one writes."""

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ehcp.models import Plan, Pupil
from sendplan.access import LA_STAFF, SCHOOL_STAFF
from sendplan.services import DomainError, access_event_record

PLAN_READERS = SCHOOL_STAFF | LA_STAFF


# --- access helpers --------------------------------------------------------------------------------------


def get_pupil_for(request: HttpRequest, pupil_id) -> Pupil:
    """Return a pupil of the current school (SENCO or headteacher only), or raise 404."""
    try:
        return (
            Pupil.objects.for_membership(request.membership).select_related("school").get(public_id=pupil_id)
        )
    except Pupil.DoesNotExist as exc:
        raise Http404 from exc


def get_plan_for(request: HttpRequest, plan_id) -> Plan:
    """Return a plan the current membership may see (school staff; LA staff once submitted), or raise 404."""
    try:
        return (
            Plan.objects.for_membership(request.membership)
            .select_related("pupil__school", "school__local_authority")
            .get(public_id=plan_id)
        )
    except Plan.DoesNotExist as exc:
        raise Http404 from exc


def _record(request: HttpRequest, pupil: Pupil, what: str, action: str = "view") -> None:
    access_event_record(
        membership=request.membership, school=pupil.school, pupil_id=pupil.public_id, action=action, what=what
    )


def _render_logged(
    request: HttpRequest, template: str, context: dict, *, pupil: Pupil, what: str
) -> HttpResponse:
    """Render a page showing a pupil's data, recording one access event for it."""
    _record(request, pupil, what)
    return render(request, template, {"pupil": pupil, **context})


def _json_logged(request: HttpRequest, data: dict, *, pupil: Pupil, what: str, filename: str) -> HttpResponse:
    """Return an export as a JSON download, recording one access event (an export) for it."""
    _record(request, pupil, what, action="export")
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _refuse(request: HttpRequest, error: DomainError, to: str) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(to)
