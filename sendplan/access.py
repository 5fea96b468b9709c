"""The tenancy choke point: who may call a view, and which rows a membership may reach.

Every view is wrapped in ``@access(...)``, which records its rule on the view (the URL-walking test
reads it) and enforces it:

* anonymous people are sent to sign in (unless the rule is ``public``);
* a signed-in person acting for no organisation is asked to choose one;
* a member whose role is not in the rule gets 403 — or 404 when ``conceal`` is set, for pupil data
  whose very existence must not be confirmed to, say, a governor.

``shared`` declares that the rows the view shows are visible to every entitled role, whatever their
organisation (a published framework version, for instance): the URL walker then expects members of
other schools and LAs to be allowed rather than to get 404. It changes nothing at run time.

Rows are reached through scoped querysets (``School.objects.visible_to(membership)``,
``Audit.objects.for_membership(membership)``), so an outsider's lookup finds nothing: 404.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from sendplan.models import LA_ROLES, SCHOOL_ROLES, Membership, Role, School

SCHOOL_STAFF = frozenset({Role.SENCO, Role.HEADTEACHER})
SCHOOL_MEMBERS = SCHOOL_ROLES
LA_STAFF = LA_ROLES
EVERY_ROLE = SCHOOL_ROLES | LA_ROLES


@dataclass(frozen=True)
class AccessRule:
    """Who may call a view."""

    roles: frozenset[str] = field(default_factory=frozenset)
    public: bool = False  # anyone, signed in or not
    signed_in: bool = False  # any signed-in person, acting for an organisation or not
    conceal: bool = False  # members without the role get 404 instead of 403
    shared: bool = False  # its rows are visible to every entitled role of any organisation (walker only)

    def allows_role(self, role: str | None) -> bool:
        return self.public or self.signed_in or (role is not None and role in self.roles)


def access(
    *roles: str | Iterable[str],
    public: bool = False,
    signed_in: bool = False,
    conceal: bool = False,
    shared: bool = False,
) -> Callable:
    """Declare and enforce who may call the decorated view."""
    flat: set[str] = set()
    for role in roles:
        flat.update([role] if isinstance(role, str) else role)
    rule = AccessRule(
        roles=frozenset(str(r) for r in flat),
        public=public,
        signed_in=signed_in,
        conceal=conceal,
        shared=shared,
    )
    if not (rule.roles or rule.public or rule.signed_in):
        raise ValueError("An access rule must name roles, or be public or signed_in")

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
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


def schools_for(membership: Membership) -> QuerySet[School]:
    """Return the schools this membership may see: its own school, or every school in its LA."""
    return School.objects.visible_to(membership)


def get_school_for(request: HttpRequest, public_id) -> School:
    """Return a school the current membership may see, or raise 404."""
    try:
        return schools_for(request.membership).select_related("local_authority").get(public_id=public_id)
    except School.DoesNotExist as exc:
        raise Http404 from exc
