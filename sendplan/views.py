"""Views for the home pages, organisations, people, invitations, reports and service pages."""

import secrets
import uuid

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import activate_totp as allauth_activate_totp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sendplan import policy, reports, selectors, services
from sendplan.confirmation import Confirmation, confirmation_page
from sendplan.forms import AcceptInvitationForm, ChooseOrganisationForm, InvitationForm, SchoolForm
from sendplan.home import panels_for
from sendplan.lookups import membership_for, report_for, school_for
from sendplan.middleware import MEMBERSHIP_SESSION_KEY
from sendplan.models import Membership, Report, School
from sendplan.policy import performs


def posted(request: HttpRequest):
    """Return the POST data to bind a form to, or None for a GET.

    Not ``request.POST or None``: an empty POST is falsy and would show the form without its errors.
    """
    return request.POST if request.method == "POST" else None


@performs("home")
def home(request: HttpRequest) -> HttpResponse:
    """Show the home page for the person's role: their school, or their LA's schools."""
    membership = request.membership
    context = {"panels": panels_for(request)}
    if membership.is_la:
        context["schools"] = selectors.la_schools(membership.local_authority)
        return render(request, "sendplan/home_la.html", context)
    context["school"] = membership.school
    return render(request, "sendplan/home_school.html", context)


@performs("organisation_choose")
def choose_organisation(request: HttpRequest) -> HttpResponse:
    """Let a person with several roles choose which organisation they are acting for."""
    memberships = request.memberships
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("home")
    form = ChooseOrganisationForm(posted(request), memberships=memberships)
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in memberships if str(m.public_id) == form.cleaned_data["membership"])
        request.session[MEMBERSHIP_SESSION_KEY] = chosen.pk
        messages.success(
            request, f"You are now acting for {chosen.organisation_name} as {chosen.get_role_display()}."
        )
        return redirect(next_url)
    if request.membership:
        form.initial["membership"] = str(request.membership.public_id)
    return render(request, "sendplan/choose_organisation.html", {"form": form, "next": next_url})


@require_POST
@performs("session_extend")
def session_extend(request: HttpRequest) -> HttpResponse:
    """Keep a signed-in person's session: "Stay signed in" (the idle limit restarts with any request)."""
    return HttpResponse(status=204)


@performs("public_page")
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database, the broker and a worker answer; only "ok" or "fail" to outsiders."""
    from sendplan.celery import app

    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # reported, not raised: this page exists to say what is down
        checks["database"] = f"error: {type(exc).__name__}"
    if app.conf.task_always_eager:
        checks["broker"] = "not used (tasks run in the web process)"
        checks["worker"] = "not used (tasks run in the web process)"
    else:
        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = f"error: {type(exc).__name__}"
        try:
            replies = app.control.inspect(timeout=1.0).ping() or {}
            checks["worker"] = f"ok ({len(replies)} answering)" if replies else "none answering"
        except Exception as exc:
            checks["worker"] = f"error: {type(exc).__name__}"
    healthy = checks["database"] == "ok" and not checks["broker"].startswith("error")
    body = {"status": "ok" if healthy else "fail"}
    if _may_see_health_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)


LOOPBACK = {"127.0.0.1", "::1"}


def _may_see_health_details(request: HttpRequest) -> bool:
    """Return True for this machine's own checks, or a caller holding HEALTHZ_TOKEN.

    Loopback is judged by REMOTE_ADDR alone, and only for a request no proxy forwarded: behind a proxy on
    the same machine every request would come from 127.0.0.1.
    """
    if request.META.get("REMOTE_ADDR") in LOOPBACK and "HTTP_X_FORWARDED_FOR" not in request.META:
        return True
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    expected = settings.HEALTHZ_TOKEN
    return bool(expected) and scheme == "Bearer" and secrets.compare_digest(token.encode(), expected.encode())


@performs("public_page")
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "sendplan/accessibility.html")


@performs("public_page")
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "sendplan/privacy.html")


# --- the LA's schools -------------------------------------------------------------------------------


@performs("school_view")
def school_detail(request: HttpRequest, school_id) -> HttpResponse:
    """Show one school of the LA to its officers: its people, audits and levels, plans, and the LA's record.

    The plans listed are pupil data: each pupil shown is written to the access log (school_view logs).
    """
    from audits import rounds
    from audits.views.round import round_url
    from audits.weakest import PLACEHOLDER
    from ehcp.lookups import list_shown
    from ehcp.selectors import la_plans, next_deadline
    from notifications.selectors import school_staff

    school = school_for(request.membership, school_id)
    audits = rounds.school_audits(request.membership, school)
    today = timezone.localdate()
    # each address reversed once, not once a row (tags and links written inline in the template)
    audit_url = reverse("audits:audit_detail", args=[PLACEHOLDER])
    plan_url = reverse("ehcp:plan_detail", args=[PLACEHOLDER])
    for audit in audits:
        audit.detail_url = audit_url.replace(PLACEHOLDER, str(audit.public_id))
    plans = [
        {
            "plan": plan,
            "next": next_deadline(plan, today=today),
            "href": plan_url.replace(PLACEHOLDER, str(plan.public_id)),
        }
        for plan in la_plans(request.membership).filter(school=school)
    ]
    list_shown(request, [row["plan"].pupil for row in plans], what="A school's plans on its profile")
    context = {
        "school": school,
        "staff": school_staff([school.pk]).get(school.pk, []),
        "audits": audits,
        "plans": plans,
        "record": sorted(
            rounds.school_la_record(request.membership, audits)
            + selectors.plan_la_record([row["plan"] for row in plans]),
            key=lambda item: item["at"],
            reverse=True,
        ),
        "round_url": round_url(request),
    }
    return render(request, "sendplan/school_detail.html", context)


@performs("school_add")
def school_add(request: HttpRequest) -> HttpResponse:
    """Add a school to the LA."""
    return _school_form(request, school=None)


@performs("school_edit")
def school_edit(request: HttpRequest, school_id) -> HttpResponse:
    """Change a school's details."""
    return _school_form(request, school=school_for(request.membership, school_id, action="school_edit"))


def _school_form(request: HttpRequest, *, school: School | None) -> HttpResponse:
    initial = (
        {f: getattr(school, f) for f in ("name", "urn", "establishment_number", "phase", "school_type")}
        if school
        else None
    )
    form = SchoolForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        la = request.membership.local_authority
        try:
            saved = services.school_save(
                by=request.membership, local_authority=la, school=school, **form.cleaned_data
            )
        except services.UrnTaken as exc:
            form.add_error("urn", str(exc))
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("home")
    return render(request, "sendplan/school_form.html", {"form": form, "school": school})


# --- people and invitations ------------------------------------------------------------------------


def _invitable(membership: Membership) -> tuple[list[str], object]:
    allowed = policy.INVITES[membership.role]
    roles = sorted(allowed.get("school", set()) | allowed.get("la", set()))
    schools = selectors.la_schools(membership.local_authority) if membership.is_la else None
    return roles, schools


@performs("people_view")
def people(request: HttpRequest) -> HttpResponse:
    """List who has access to the organisation, and the invitations not yet used."""
    return render(
        request,
        "sendplan/people.html",
        {
            "memberships": selectors.organisation_people(request.membership),
            "invitations": selectors.pending_invitations(request.membership),
        },
    )


@performs("person_invite")
def invite(request: HttpRequest) -> HttpResponse:
    """Invite someone by email to a role."""
    roles, schools = _invitable(request.membership)
    form = InvitationForm(posted(request), roles=roles, schools=schools)
    if request.method == "POST" and form.is_valid():
        school = None
        if form.cleaned_data.get("school"):
            school = school_for(request.membership, form.cleaned_data["school"], action="person_invite")
        try:
            invitation, _ = services.invitation_create(
                by=request.membership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                school=school,
            )
        except services.DomainError as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}. The link works for 7 days.")
            return redirect("sendplan:people")
    return render(request, "sendplan/invite.html", {"form": form})


@performs("membership_remove")
def membership_remove(request: HttpRequest, membership_id) -> HttpResponse:
    """Ask to confirm, then remove someone's role at the organisation."""
    target = membership_for(request.membership, membership_id)
    if request.method != "POST":
        who = target.user.full_name or target.user.email
        return confirmation_page(
            request,
            Confirmation(
                heading=f"Remove {who} as {target.get_role_display()}?",
                details=[
                    ("Email", target.user.email),
                    ("Role", target.get_role_display()),
                    ("Organisation", target.organisation_name),
                ],
                paragraphs=[
                    f"They will no longer be able to act as {target.get_role_display()} for "
                    f"{target.organisation_name}. What they changed stays in the history."
                ],
                warning="If they are signed in, they will lose access at once. To give access again, invite them.",
                button="Remove access",
                destructive=True,
                action_url=reverse("sendplan:membership_remove", kwargs={"membership_id": target.public_id}),
                cancel_url=reverse("sendplan:people"),
            ),
        )
    try:
        services.membership_deactivate(membership=target, by=request.membership)
    except services.DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{target.user} no longer has the {target.get_role_display()} role.")
    return redirect("sendplan:people")


@performs("public_page")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: create an account, or add the role to the signed-in person."""
    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_usable():
        return render(request, "sendplan/invitation_unusable.html", status=410)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(token=token, user=request.user)
            except services.InvitationNotUsable as exc:
                messages.error(request, str(exc))
                return redirect("home")
            messages.success(request, f"You now have access to {invitation.organisation_name}.")
            return redirect("choose_organisation")
        return render(request, "sendplan/invitation_confirm.html", {"invitation": invitation})
    form = AcceptInvitationForm(posted(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except services.InvitationNotUsable as exc:
            messages.error(request, str(exc))
            return redirect("account_login")
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        # They typed their new password a moment ago: that is the recent password check allauth asks
        # for before MFA set-up, so a new SENCO goes straight to scanning the QR code.
        record_authentication(request, user, "password", email=user.email, reauthenticated=True)
        return redirect("home")
    return render(request, "sendplan/invitation_accept.html", {"form": form, "invitation": invitation})


# --- reports ---------------------------------------------------------------------------------------

REPORTS_SHOWN = 25  # the latest reports a list shows


def _school_report_rows(request: HttpRequest, found: list[Report]) -> list[reports.ReportRow]:
    return reports.report_rows(
        found,
        status=lambda r: reverse("sendplan:report_status", args=[r.public_id]),
        download=lambda r: reverse("sendplan:report_download", args=[r.public_id]),
        page=reverse("sendplan:report_list"),
    )


def _asked_here(spec: reports.DocumentKind) -> bool:
    return spec.action == "report_request"  # the action this page's request view performs


def _prepare_text(spec: reports.DocumentKind, format: str) -> str:
    label = Report.Kind(spec.kind).label
    text = f"Prepare the {label[0].lower() + label[1:] if label[1:2].islower() else label}"
    return f"{text} ({Report.Format(format).label})" if len(spec.formats) > 1 else text


@performs("report_view")
def report_list(request: HttpRequest) -> HttpResponse:
    """List the school's reports and let members ask for a new one."""
    kinds = reports.school_report_kinds(request.membership)
    found = list(selectors.school_reports(request.membership, kinds=kinds)[:REPORTS_SHOWN])
    context = {"rows": _school_report_rows(request, found), "shown": REPORTS_SHOWN}
    # Documents asked for here about one row of the school's (an audit): a choice of rows, a button per kind.
    # Kinds listed here under another action (a public document) are asked for on their own pages.
    about = [spec for spec in map(reports.KINDS.get, kinds) if _asked_here(spec) and not spec.about_school]
    about = [spec for spec in about if spec.subject_models[0] is about[0].subject_models[0]]
    if about:
        context["about"] = {
            "name": about[0].subject_models[0]._meta.verbose_name,
            "buttons": [
                (spec.kind, format, _prepare_text(spec, format)) for spec in about for format in spec.formats
            ],
            "subjects": list(reports.subject_choices(about[0], request.membership)[:20]),
            "selected": request.GET.get("subject", ""),  # a link from the audit's summary chooses it
        }
    return render(request, "sendplan/report_list.html", context)


@require_POST
@performs("report_request")
def report_request(request: HttpRequest) -> HttpResponse:
    """Queue a new report about the school, or about one of its rows (an audit) chosen on the page."""
    kind = request.POST.get("kind", Report.Kind.SCHOOL_OVERVIEW)
    if kind not in reports.school_report_kinds(request.membership):
        raise Http404
    spec = reports.KINDS[kind]
    if not _asked_here(spec):
        raise Http404
    format = request.GET.get("format", Report.Format.PDF)  # the Word button's formaction adds ?format=docx
    if format not in spec.formats:
        raise Http404
    if spec.about_school:
        subject = request.membership.school
    else:
        try:
            subject = reports.subject_for(
                spec, request.membership, uuid.UUID(request.POST.get("subject", ""))
            )
        except ValueError:
            raise Http404 from None
    report = reports.report_request(kind=kind, subject=subject, by=request.membership, format=format)
    reports.tell_queued(request, report, "Your report")
    return redirect(reverse("sendplan:report_list") + f"#report-{report.public_id}")


@performs("report_view")
def report_status(request: HttpRequest, report_id) -> HttpResponse:
    """Return one report's row (htmx polls this until the report is ready)."""
    report = report_for(request.membership, report_id, kinds=reports.school_report_kinds(request.membership))
    (row,) = _school_report_rows(request, [report])
    return render(request, "components/report_row.html", {"row": row})


@performs("report_view")
def report_download(request: HttpRequest, report_id) -> HttpResponse:
    """Download a ready report as an attachment."""
    report = report_for(request.membership, report_id, kinds=reports.school_report_kinds(request.membership))
    if report.status != Report.Status.READY:
        raise Http404
    return reports.report_file_response(report, name=f"{report.label} - {report.owner_name}")


# --- the LA's own reports --------------------------------------------------------------------------

LA_REPORT_KINDS = [Report.Kind.LA_SUMMARY]


def _la_report_rows(found: list[Report]) -> list[reports.ReportRow]:
    return reports.report_rows(
        found,
        status=lambda r: reverse("sendplan:la_report_status", args=[r.public_id]),
        download=lambda r: reverse("sendplan:la_report_download", args=[r.public_id]),
        page=reverse("sendplan:la_report_list"),
    )


@performs("la_report_view")
def la_report_list(request: HttpRequest) -> HttpResponse:
    """List the LA's reports and let its staff ask for a new LA summary, as PDF or Excel."""
    found = list(selectors.la_reports(request.membership, kinds=LA_REPORT_KINDS)[:REPORTS_SHOWN])
    context = {
        "rows": _la_report_rows(found),
        "shown": REPORTS_SHOWN,
        "formats": [(f, Report.Format(f).label) for f in reports.kind_for(Report.Kind.LA_SUMMARY).formats],
    }
    return render(request, "sendplan/la_report_list.html", context)


@require_POST
@performs("la_report_request")
def la_report_request(request: HttpRequest) -> HttpResponse:
    """Queue a new LA summary report in the format chosen."""
    format = request.POST.get("format", Report.Format.PDF)
    try:
        report = reports.report_request(
            kind=Report.Kind.LA_SUMMARY,
            subject=request.membership.local_authority,
            by=request.membership,
            format=format,
        )
    except reports.FormatNotOffered as exc:
        messages.error(request, str(exc))
        return redirect("sendplan:la_report_list")
    reports.tell_queued(request, report, "Your report")
    return redirect(reverse("sendplan:la_report_list") + f"#report-{report.public_id}")


@performs("la_report_view")
def la_report_status(request: HttpRequest, la_report_id) -> HttpResponse:
    """Return one LA report's row (htmx polls this until the report is ready)."""
    report = report_for(request.membership, la_report_id, kinds=LA_REPORT_KINDS, action="la_report_view")
    (row,) = _la_report_rows([report])
    return render(request, "components/report_row.html", {"row": row})


@performs("la_report_view")
def la_report_download(request: HttpRequest, la_report_id) -> HttpResponse:
    """Download a ready LA report as an attachment."""
    report = report_for(request.membership, la_report_id, kinds=LA_REPORT_KINDS, action="la_report_view")
    if report.status != Report.Status.READY:
        raise Http404
    return reports.report_file_response(report, name=f"{report.label} - {report.owner_name}")


# --- allauth's pages --------------------------------------------------------------------------------


@performs("public_page")
def account_email_removed(request: HttpRequest) -> HttpResponse:
    """Refuse allauth's e-mail management: an address changes only in the admin.

    allauth's page let anyone signed in change their sign-in address unverified, and merely opening it
    recorded their address as unverified, which blocks MFA enrolment.
    """
    raise Http404


# --- MFA enrolment ---------------------------------------------------------------------------------


def mfa_activate_totp(request: HttpRequest) -> HttpResponse:
    """allauth's TOTP activation, which also counts as this session's MFA step once a code is accepted."""
    response = allauth_activate_totp(request)
    if (
        request.method == "POST"
        and response.status_code == 302
        and Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    ):
        record_authentication(request, request.user, "mfa", type="totp", enrolled=True)
    return response
