"""What every audit page uses: the locked-audit guard, role checks, safe next URLs, the base context."""

from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from audits import services
from audits.models import Audit
from sendplan.models import Role
from sendplan.policy import allows
from standards.models import Criterion


def refuses_locked(view):
    """Turn AuditLocked into a message on the audit page instead of an error page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.AuditLocked as exc:
            messages.error(request, str(exc))
            return redirect("audits:audit_detail", audit_id=exc.audit.public_id)

    return wrapped


def _role(request: HttpRequest) -> str:
    return request.membership.role


def _is_staff(request: HttpRequest) -> bool:
    return allows(request.membership, "audit_edit")


def _is_la(request: HttpRequest) -> bool:
    return request.membership.is_la


def _next_url(request: HttpRequest, audit: Audit, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    prefix = reverse("audits:audit_detail", kwargs={"audit_id": audit.public_id})
    if candidate.startswith(prefix) and url_has_allowed_host_and_scheme(candidate, {request.get_host()}):
        return candidate
    return default


def _section_url(audit: Audit, criterion: Criterion) -> str:
    url = reverse(
        "audits:section", kwargs={"audit_id": audit.public_id, "section_ref": criterion.section.ref}
    )
    return f"{url}#criterion-{criterion.ref}"


def _base_context(request: HttpRequest, audit: Audit) -> dict:
    return {
        "audit": audit,
        "can_edit": _is_staff(request) and audit.is_editable,
        "is_staff": _is_staff(request),
        "is_la": _is_la(request),
        "is_governor": _role(request) == Role.GOVERNOR,
        "la_can_decide": _is_la(request) and audit.status == Audit.Status.SUBMITTED,
    }


def _criteria(audit: Audit) -> list[Criterion]:
    return list(
        Criterion.objects.filter(version_id=audit.framework_version_id)
        .select_related("section")
        .order_by("position")
    )
