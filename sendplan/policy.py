"""Who may do what: every action a person can take, the roles that may take it, and on which rows.

``POLICY`` below is the whole rule, read in one screen. Everything else asks it:

* views declare the action they perform (``@performs("audit_accept")``): the decorator sends anonymous
  people to sign in, refuses roles the action does not name (403, or 404 where the action ``conceals``
  pupil data), logs concealed refusals as security events, and writes the access log for actions that
  show pupil data (``logs``);
* queries scope rows with ``restrict(queryset, membership, action)`` (NetBox's ``restrict(user, action)``),
  so an outsider's lookup finds nothing and gets 404;
* services that change state call ``check(by, action, row)`` and raise ``NotAllowed``, whatever view (or
  command, or task) called them.

The tests hold an independent, hand-written persona × action matrix and check this table, the URL walk
and the services against it (tests/test_policy.py, tests/test_url_access.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from sendplan.errors import DomainError
from sendplan.models import Role
from sendplan.tenancy import Rows, Tenancy

if TYPE_CHECKING:
    from sendplan.models import Membership


@dataclass(frozen=True)
class Rule:
    """Who may take one action: each role's rows, and what the action does with pupil data."""

    grants: dict[str, frozenset[Rows]] = field(default_factory=dict)
    public: bool = False  # anyone, signed in or not
    signed_in: bool = False  # any signed-in person, acting for an organisation or not
    conceal: bool = False  # members whose role is not granted get 404, not 403: pupil data stays hidden
    logs: str = ""  # "view" or "export": each success writes one access event per pupil shown

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.grants)

    def rows_for(self, role: str | None) -> frozenset[Rows]:
        return self.grants.get(role, frozenset()) if role else frozenset()


SENCO, HEAD, GOVERNOR = Role.SENCO.value, Role.HEADTEACHER.value, Role.GOVERNOR.value
OFFICER, ADMIN = Role.LA_OFFICER.value, Role.LA_ADMIN.value
STAFF = (SENCO, HEAD)  # the school's SENCO and headteacher: pupil data and every school write
SCHOOL = (SENCO, HEAD, GOVERNOR)
LA = (OFFICER, ADMIN)
OWN, GOVERNORS, LA_SCHOOLS, HANDED, PUBLISHED, PERSONAL, BOARD_RATES = (
    Rows.OWN,
    Rows.SHARED_WITH_GOVERNORS,
    Rows.LA_SCHOOLS,
    Rows.HANDED_TO_LA,
    Rows.PUBLISHED,
    Rows.PERSONAL,
    Rows.RATED_BY_GOVERNORS,
)


def grant(*pairs: tuple[Iterable[str], Rows | Iterable[Rows]], **flags) -> Rule:
    """Build a rule from (roles, rows) pairs; a role named twice gets the union of its rows."""
    grants: dict[str, frozenset[Rows]] = {}
    for roles, rows in pairs:
        rows = frozenset([rows] if isinstance(rows, Rows) else rows)
        for role in roles:
            grants[role] = grants.get(role, frozenset()) | rows
    return Rule(grants=grants, **flags)


PUPIL = {"conceal": True, "logs": "view"}  # pupil data: hidden from other roles, every view logged

# fmt: off
POLICY: dict[str, Rule] = {
    # Pages for anyone, and for anyone signed in
    "public_page":          Rule(public=True),
    "organisation_choose":  Rule(signed_in=True),
    "session_extend":       Rule(signed_in=True),  # "Stay signed in" before the idle timeout
    "home":                 grant((SCHOOL + LA, OWN)),
    # Schools of an LA, and the people who may act for an organisation
    "school_view":          grant((LA, LA_SCHOOLS), logs="view"),  # its profile lists plans handed to the LA
    "school_add":           grant(([ADMIN], OWN)),
    "school_edit":          grant(([ADMIN], LA_SCHOOLS)),
    "people_view":          grant(([HEAD, ADMIN], OWN)),
    "person_invite":        grant(([HEAD], OWN), ([ADMIN], [OWN, LA_SCHOOLS])),
    "membership_remove":    grant(([HEAD], OWN), ([ADMIN], [OWN, LA_SCHOOLS])),
    # Reports about the school (governors too); documents about one plan or pupil are pupil data below
    "report_view":          grant((SCHOOL, OWN)),  # the school's reports page, progress and downloads
    "report_request":       grant((SCHOOL, OWN)),
    "la_report_view":       grant((LA, OWN)),  # the LA's own reports page, progress and downloads
    "la_report_request":    grant((LA, OWN)),  # the LA summary, about the LA itself
    # Frameworks of standards: published versions for all; an LA's own drafts for its staff
    "framework_view":       grant((SCHOOL + LA, PUBLISHED), (LA, OWN)),
    "framework_upload":     grant(([ADMIN], OWN)),
    "framework_manage":     grant(([ADMIN], OWN)),  # review, publish, retire, delete a draft
    # The school's self-audit. Staff rate every audit; any governor (the whole board holds the duties, so
    # a link SEND governor needs no role of their own) rates the audits of frameworks the board rates.
    "audit_list":           grant((SCHOOL, OWN)),
    "audit_start":          grant((STAFF, OWN), ([GOVERNOR], BOARD_RATES)),
    "audit_view":           grant((SCHOOL, OWN), (LA, HANDED)),
    "audit_edit":           grant((STAFF, OWN), ([GOVERNOR], BOARD_RATES)),  # rate, evidence, actions
    "audit_submit":         grant((STAFF, OWN), ([GOVERNOR], BOARD_RATES)),  # submit; withdraw before a decision
    "audit_compare":        grant((SCHOOL, OWN)),
    "audit_export":         grant((SCHOOL, OWN), (LA, HANDED)),
    "evidence_view":        grant((STAFF, OWN), ([GOVERNOR], [GOVERNORS, BOARD_RATES]), (LA, HANDED)),
    "board_review_record":  grant(([GOVERNOR], OWN)),  # of any audit, submitted or not
    "audit_la_list":        grant((LA, OWN)),  # the LA's lists and figures across its schools
    "audit_comment":        grant((LA, HANDED)),
    "audit_decide":         grant((LA, HANDED)),  # return or accept
    # The audit round: every school of the LA, submitted or not (a draft shows only how far it has got),
    # exported; reminding those that have not submitted, with their SENCO's and head's contacts; and
    # Setting the date the LA asks its schools to submit by (the round's closing date, the LA's own row)
    "audit_round_view":     grant((LA, [LA_SCHOOLS, OWN])),
    "audit_round_remind":   grant((LA, [LA_SCHOOLS, OWN])),  # the reminder gives the closing date
    "audit_round_schedule": grant((LA, OWN)),
    # Pupils, the SEN register and EHC plans
    "register_view":        grant((STAFF, OWN), **PUPIL),  # the register and the deadlines list
    "pupil_add":            grant((STAFF, OWN), conceal=True),  # by hand
    "pupil_import":         grant((STAFF, OWN), conceal=True),  # upload an MIS export, match its columns
    "pupil_import_review":  grant((STAFF, OWN), **PUPIL),  # the import's preview, and confirming it
    "pupil_view":           grant((STAFF, OWN), **PUPIL),
    "pupil_edit":           grant((STAFF, OWN), **PUPIL),  # record, leaving, carers, cycles, starting a plan
    "pupil_remove":         grant((STAFF, OWN), **PUPIL),  # delete a record added in error
    # The legal hold is not the school's: the LA admin sets it on records handed to the LA; the data
    # protection officer sets it on any record through the Django admin (staff, behind MFA).
    "pupil_legal_hold":     grant(([ADMIN], HANDED), **PUPIL),
    "pupil_export":         grant((STAFF, OWN), conceal=True, logs="export"),  # JSON and the packs
    "pupil_document":       grant((STAFF, OWN), conceal=True),  # ask for a request or subject access pack
    "plan_view":            grant((STAFF, OWN), (LA, HANDED), **PUPIL),
    "plan_edit":            grant((STAFF, OWN), **PUPIL),  # dates, sections, items, amendments
    "plan_submit":          grant((STAFF, OWN), conceal=True),
    "plan_export":          grant((STAFF, OWN), (LA, HANDED), conceal=True, logs="export"),  # JSON, PDF, Word
    "plan_document":        grant((STAFF, OWN), (LA, HANDED), conceal=True),  # ask for a PDF or Word file
    "plan_la_list":         grant((LA, OWN), **PUPIL),
    "plan_pipeline":        grant((LA, HANDED), conceal=True),  # the LA's figures and exports; no pupil names
    "plan_comment":         grant((LA, HANDED), conceal=True),
    "plan_decide":          grant((LA, HANDED), **PUPIL),  # return, or mark final
    # The school's public documents (inclusion strategy, SEN information report); the public page
    # itself is "public_page", reached only through its unguessable link
    "publication_view":     grant((SCHOOL, OWN)),  # drafts, the check, the preview, downloads
    "publication_edit":     grant((STAFF, OWN)),
    "publication_publish":  grant((STAFF, OWN)),  # publish, and take off the public page
    "publication_approve":  grant(([GOVERNOR], OWN)),  # record the board's approval
    "publication_la_list":  grant((LA, HANDED)),  # what the LA's schools have published; never drafts
    # What each person is told: their own notifications, and how they want them emailed
    "notification_view":    grant((SCHOOL + LA, PERSONAL)),  # list, and mark as read
    "notification_settings": grant((SCHOOL + LA, PERSONAL)),
    # The annual review: held by the school; the LA sees it once the report is sent, and decides
    "review_view":          grant((STAFF, OWN), (LA, HANDED), **PUPIL),
    "review_edit":          grant((STAFF, OWN), **PUPIL),  # arrange, invite, record the meeting, report
    "review_decide":        grant((LA, HANDED), **PUPIL),  # keep, amend or cease the plan
}
# fmt: on

# Who may invite someone to which role: a headteacher staffs their school; an LA admin staffs the LA, and
# the leaders of a school that has no headteacher yet (services.invitation_create holds that condition).
INVITES: dict[str, dict[str, frozenset[str]]] = {
    HEAD: {"school": frozenset({SENCO, HEAD, GOVERNOR})},
    ADMIN: {"la": frozenset({OFFICER, ADMIN}), "school": frozenset({HEAD, SENCO})},
}


# --- rows ---------------------------------------------------------------------------------------------


def rule_for(action: str) -> Rule:
    try:
        return POLICY[action]
    except KeyError as exc:
        raise ImproperlyConfigured(f"No action {action!r} in sendplan.policy.POLICY") from exc


def restrict(queryset: QuerySet, membership: Membership | None, action: str) -> QuerySet:
    """Return the rows of ``queryset`` this membership may take the action on (none if it may not)."""
    rule = rule_for(action)
    if membership is None or not membership.is_active:
        return queryset.none()
    tenancy: Tenancy = queryset.model.tenancy
    allowed: Q | None = None
    for rows in rule.rows_for(membership.role):
        q = tenancy.q(rows, membership)
        if q is not None:
            allowed = q if allowed is None else allowed | q
    return queryset.none() if allowed is None else queryset.filter(allowed)


class NotAllowed(DomainError):
    """The person may not take this action on this row."""


def allows(membership: Membership | None, action: str, row: Model | None = None) -> bool:
    """Return True if the membership may take the action (on the row, if one is given)."""
    rule = rule_for(action)
    if rule.public:
        return True
    if membership is None or not membership.is_active or not rule.rows_for(membership.role):
        return False
    if row is None:
        return True
    rows = rule.rows_for(membership.role)
    if rows == {Rows.OWN} and membership.school_id and row.tenancy.school == "school":
        return row.school_id == membership.school_id  # the common case, without a query
    return restrict(type(row)._default_manager.filter(pk=row.pk), membership, action).exists()


def check(by: Membership | None, action: str, row: Model | None = None) -> None:
    """Raise NotAllowed unless the membership may take the action (on the row, if one is given)."""
    if not allows(by, action, row):
        raise NotAllowed("You do not have permission to do that.")


# --- views -------------------------------------------------------------------------------------------


def performs(action: str) -> Callable:
    """Declare that the view performs ``action``, and enforce the policy's rule for it."""
    rule = rule_for(action)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if rule.public:
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if rule.signed_in:
                return view(request, *args, **kwargs)
            membership: Membership | None = request.membership
            if membership is None:
                if request.memberships:
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse('choose_organisation')}?{query}")
                raise PermissionDenied("You are not a member of any school or local authority.")
            if membership.role not in rule.roles:
                if rule.conceal:
                    _refused(request, action, "role")
                    raise Http404
                raise PermissionDenied
            request.pupils_shown, request.pupils_logged, request.logs = [], False, rule.logs
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                if rule.conceal:
                    _refused(request, action, "not found")
                raise
            if rule.logs and 200 <= response.status_code < 300:
                if not (request.pupils_shown or request.pupils_logged):
                    raise ImproperlyConfigured(
                        f"{action} shows pupil data: its view must call policy.shown()"
                    )
                _log_pupils_shown(request)
            return response

        wrapped.action = action  # type: ignore[attr-defined]
        return wrapped

    return decorator


def shown(request: HttpRequest, *pupils, what: str, now: bool = False) -> None:
    """Say which pupils the page or file shows, and what of them, for the access log its action writes.

    With ``now``, write the events at once (an access log page or an export that must include itself).
    """
    request.pupils_shown.extend((pupil, what) for pupil in pupils)
    if now:
        _log_pupils_shown(request)


def nothing_shown(request: HttpRequest) -> None:
    """Say that this page of a logged action shows no pupil (an empty list)."""
    request.pupils_logged = True


def _log_pupils_shown(request: HttpRequest) -> None:
    from sendplan.services import access_events_record

    if request.pupils_shown:
        access_events_record(membership=request.membership, shown=request.pupils_shown, action=request.logs)
    request.pupils_shown, request.pupils_logged = [], True


def _refused(request: HttpRequest, action: str, reason: str) -> None:
    from sendplan.services import security_event_record

    path = request.path.replace("\x00", "\\x00")  # a NUL probe is worth logging; PostgreSQL text refuses it
    security_event_record(membership=request.membership, action=action, path=path, reason=reason)


def url_allowed(membership: Membership | None, url_name: str) -> bool:
    """Return True if the membership's role may use the view behind a URL name (for links and menus)."""
    return allows(membership, actions_by_url_name()[url_name])


@lru_cache(maxsize=1)
def actions_by_url_name() -> dict[str, str]:
    """Return the action each named URL's view declares, e.g. {"audits:audit_submit": "audit_submit"}."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, str] = {}

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace and (f"{namespace}:{entry.namespace}" if namespace else entry.namespace)
                walk(entry, ns or namespace)
            elif isinstance(entry, URLPattern) and entry.name and hasattr(entry.callback, "action"):
                found[f"{namespace}:{entry.name}" if namespace else entry.name] = entry.callback.action

    walk(get_resolver(), "")
    return found


def get_or_404(queryset: QuerySet, membership: Membership | None, action: str, **lookup) -> Model:
    """Return the one row matching ``lookup`` that the membership may take the action on, or raise 404."""
    row = restrict(queryset, membership, action).filter(**lookup).first()
    if row is None:
        raise Http404
    return row
