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
from sendplan.policy import allows, rule_for
from sendplan.tenancy import Rows
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
    """Return True for school staff: those who may rate every audit of their school, not only the board's."""
    membership = request.membership
    return membership is not None and Rows.OWN in rule_for("audit_edit").rows_for(membership.role)


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


def may(request: HttpRequest, action: str, audit: Audit) -> bool:
    """Return whether the person may take the action on this audit, asking the policy once per request.

    Who may rate depends on the audit's framework as well as the role (the board rates its health check),
    so pages ask about the audit, never about the role alone.
    """
    answers = request.__dict__.setdefault("_audit_allows", {})
    key = (action, audit.pk)
    if key not in answers:
        answers[key] = allows(request.membership, action, audit)
    return answers[key]


def _base_context(request: HttpRequest, audit: Audit) -> dict:
    return {
        "audit": audit,
        "can_edit": audit.is_editable and may(request, "audit_edit", audit),
        "can_submit": audit.is_editable and may(request, "audit_submit", audit),
        "can_withdraw": audit.status == Audit.Status.SUBMITTED and may(request, "audit_submit", audit),
        "is_staff": _is_staff(request),
        "is_la": _is_la(request),
        "is_governor": _role(request) == Role.GOVERNOR,
        "can_record_review": may(request, "board_review_record", audit),
        "la_can_decide": _is_la(request) and audit.status == Audit.Status.SUBMITTED,
        "weakest_back": weakest_back(request),
    }


WEAKEST_PAGE = "weakest_page"  # the session key: the weakest-provision page last seen, with its filters


def weakest_back(request: HttpRequest) -> str:
    """Return the weakest-provision page the LA officer came from (``?from=weakest``), filters kept, or ""."""
    if request.GET.get("from") != "weakest" or not _is_la(request):
        return ""
    page = request.session.get(WEAKEST_PAGE, "")
    return page if page.startswith(reverse("audits:la_weakest")) else reverse("audits:la_weakest")


def _criteria(audit: Audit) -> list[Criterion]:
    return list(
        Criterion.objects.filter(version_id=audit.framework_version_id)
        .select_related("section")
        .order_by("position")
    )
