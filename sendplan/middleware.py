"""Request middleware: the organisation a person acts for, MFA enforcement, absolute session timeout and
no caching of what a signed-in person sees."""

import time
from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from notifications.selectors import unread_count
from sendplan.models import Membership

MEMBERSHIP_SESSION_KEY = "membership_id"
AUTH_STARTED_SESSION_KEY = "auth_started_at"

# Paths a signed-in person without MFA may still reach: sign-in, MFA set-up and the public pages.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility", "/privacy", "/favicon")

Handler = Callable[[HttpRequest], HttpResponse]


def current_membership(get_response: Handler) -> Handler:
    """Set request.memberships and request.membership (the one the person is acting for)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.membership = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.active()
                .filter(user=request.user)
                .select_related("school__local_authority", "local_authority")
                # for the header: counted in the same query, so no page makes one more
                .annotate(unread_notifications=unread_count())
            )
            for membership in memberships:
                membership.user = request.user  # the same person: services record it without a query
            chosen = request.session.get(MEMBERSHIP_SESSION_KEY)
            membership = next((m for m in memberships if m.pk == chosen), None)
            if membership is None and len(memberships) == 1:
                membership = memberships[0]
            request.memberships = memberships
            request.membership = membership
        return get_response(request)

    return middleware


def user_needs_mfa(request: HttpRequest) -> bool:
    """Return True if the person can reach pupil data (or the admin) and so must use MFA."""
    return request.user.is_staff or any(m.needs_mfa for m in request.memberships)


def session_passed_mfa(request: HttpRequest) -> bool:
    """Return True if this session has been through an MFA step (login, or enrolment in this session)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def require_mfa(get_response: Handler) -> Handler:
    """Keep people who must use MFA away from every data page until they have, in this session."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and user_needs_mfa(request)
        ):
            if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
                messages.info(
                    request, "Set up an authenticator app to continue. Your role can see pupil data."
                )
                return redirect(reverse("mfa_activate_totp"))
            if not session_passed_mfa(request):
                logout(request)
                messages.info(request, "Sign in again with your authentication code.")
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware


def absolute_session_timeout(get_response: Handler) -> Handler:
    """End a session 12 hours after sign-in, however active it is (the idle limit is the cookie age)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(AUTH_STARTED_SESSION_KEY)
            if started is None:
                request.session[AUTH_STARTED_SESSION_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, "You have been signed out because your session reached 12 hours.")
                return redirect(reverse("account_login"))
        return get_response(request)

    return middleware


def no_store_when_signed_in(get_response: Handler) -> Handler:
    """Tell browsers and proxies to keep nothing shown to a signed-in person (pupil and audit data).

    Pages, files, exports and htmx fragments alike; pages seen without signing in may still be cached.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
