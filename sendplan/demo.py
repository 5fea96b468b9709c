"""Demonstration data: a fictional LA, its schools and one account per role (development only)."""

import importlib
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from sendplan.models import LocalAuthority, Membership, Role, School, User

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - the published demo password (DEMO_MODE only; seed_demo refuses without DEBUG)
# A fixed TOTP secret for the demo accounts only, so anyone trying the service can sign in with
# `make demo-code`. Never use it, or these accounts, on a real installation.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - the published demo TOTP secret, for demo accounts only (see above)

DEMO_SCHOOLS = [
    ("100001", "Northmere Primary School", School.Phase.PRIMARY, School.Type.COMMUNITY, "2001"),
    (
        "100002",
        "Saltmarsh Church of England Primary School",
        School.Phase.PRIMARY,
        School.Type.VOLUNTARY_AIDED,
        "3001",
    ),
    ("100003", "Kestrel Fields Infant School", School.Phase.PRIMARY, School.Type.ACADEMY, "2002"),
    ("100004", "Northmere Academy", School.Phase.SECONDARY, School.Type.ACADEMY, "4001"),
    ("100005", "Harbour Road High School", School.Phase.SECONDARY, School.Type.FOUNDATION, "5001"),
    ("100006", "Willowbank School", School.Phase.SPECIAL, School.Type.COMMUNITY_SPECIAL, "7001"),
    ("100007", "The Lantern Special Academy", School.Phase.SPECIAL, School.Type.ACADEMY_SPECIAL, "7002"),
    ("100008", "Northmere Through School", School.Phase.ALL_THROUGH, School.Type.FREE_SCHOOL, "4002"),
]

DEMO_ACCOUNTS = [
    ("senco@northmere-primary.example", "Sam Okafor", Role.SENCO, "school"),
    ("head@northmere-primary.example", "Priya Shah", Role.HEADTEACHER, "school"),
    ("governor@northmere-primary.example", "Alex Morgan", Role.GOVERNOR, "school"),
    ("officer@northmere.example", "Jordan Ellis", Role.LA_OFFICER, "la"),
    ("admin@northmere.example", "Chris Taylor", Role.LA_ADMIN, "la"),
]


@dataclass
class DemoContext:
    local_authority: LocalAuthority
    schools: list[School]
    users: dict[str, User] = field(default_factory=dict)  # by role
    memberships: dict[str, Membership] = field(default_factory=dict)  # by role

    @property
    def school(self) -> School:
        return self.schools[0]

    def senco_at(self, school: School) -> Membership:
        """Return the SENCO membership that acts for a school in the demo (made for schools without one)."""
        if school.pk == self.school.pk and Role.SENCO in self.memberships:
            return self.memberships[Role.SENCO]
        user, _ = User.objects.get_or_create(
            email=f"senco@{school.urn}.schools.example", defaults={"full_name": f"SENCO, {school.name}"}
        )  # never signs in: it has no password, and stands for the school's own SENCO in the demo
        membership, _ = Membership.objects.get_or_create(user=user, school=school, role=Role.SENCO)
        return membership


def enrol_demo_mfa(user: User) -> None:
    """Give a demo account the fixed TOTP secret and recovery codes, if it has none."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


@transaction.atomic
def seed() -> DemoContext:
    """Create (or leave as they are) the demo LA, schools, accounts, and each app's demo data."""
    la, _ = LocalAuthority.objects.get_or_create(code="951", defaults={"name": "Northmere County Council"})
    schools = []
    for urn, name, phase, school_type, estab in DEMO_SCHOOLS:
        school, _ = School.objects.get_or_create(
            urn=urn,
            defaults={
                "name": name,
                "phase": phase,
                "school_type": school_type,
                "local_authority": la,
                "establishment_number": estab,
            },
        )
        schools.append(school)
    context = DemoContext(local_authority=la, schools=schools)
    for email, name, role, kind in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
        membership, _ = Membership.objects.get_or_create(
            user=user,
            role=role,
            school=schools[0] if kind == "school" else None,
            local_authority=la if kind == "la" else None,
        )
        enrol_demo_mfa(user)
        context.users[role] = user
        context.memberships[role] = membership
    # Each app seeds its own demo rows, if it has any.
    for app in ("standards", "audits", "ehcp", "publications"):
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        module.seed(context)
    return context
