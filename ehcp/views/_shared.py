"""What the pupil and plan pages share: JSON downloads and refusing an action with a message."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from sendplan.services import DomainError


def json_download(data: dict, *, filename: str) -> HttpResponse:
    """Return data as a JSON attachment (the action's access log records the export)."""
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _refuse(request: HttpRequest, error: DomainError, to: str) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(to)
