"""Organisations, people, memberships, invitations, access events and rendered reports."""

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sendplan.tenancy import Tenancy


class Role(models.TextChoices):
    SENCO = "senco", "SENCO"
    HEADTEACHER = "headteacher", "Headteacher"
    GOVERNOR = "governor", "Governor"
    LA_OFFICER = "la_officer", "LA officer"
    LA_ADMIN = "la_admin", "LA admin"


SCHOOL_ROLES = frozenset({Role.SENCO, Role.HEADTEACHER, Role.GOVERNOR})
LA_ROLES = frozenset({Role.LA_OFFICER, Role.LA_ADMIN})

# A row belongs to exactly one kind of organisation, and its role fits that kind.
ONE_ORGANISATION = Q(school__isnull=False, local_authority__isnull=True) | Q(
    school__isnull=True, local_authority__isnull=False
)
# Lists in a fixed order (not from the frozensets above, whose order changes with the hash seed),
# so that makemigrations sees the same constraint on every run.
SCHOOL_ROLE_VALUES = [Role.HEADTEACHER.value, Role.SENCO.value, Role.GOVERNOR.value]
LA_ROLE_VALUES = [Role.LA_OFFICER.value, Role.LA_ADMIN.value]
ROLE_FITS_ORGANISATION = Q(school__isnull=False, role__in=SCHOOL_ROLE_VALUES) | Q(
    local_authority__isnull=False, role__in=LA_ROLE_VALUES
)


class LocalAuthority(models.Model):
    """An English local authority, identified by its 3-digit LA code."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    code = models.CharField(
        "LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter a 3-digit LA code")],
    )
    retention_years_after_birth = models.PositiveSmallIntegerField(
        default=31, help_text="Pupil records and plans are kept until date of birth plus this many years."
    )

    # An LA is its own staff's row: documents about the whole LA (the LA summary) are asked for on it.
    tenancy = Tenancy(school=None, local_authority="pk")

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{3}$"), name="la_code_three_digits")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SchoolQuerySet(models.QuerySet["School"]):
    def visible_to(self, membership: "Membership | None") -> "SchoolQuerySet":
        """Return the membership's own school, or every school in its LA; nothing otherwise."""
        if membership is None:
            return self.none()
        if membership.school_id is not None:
            return self.filter(pk=membership.school_id)
        return self.filter(local_authority_id=membership.local_authority_id)


class School(models.Model):
    """A school, identified by its 6-digit URN, maintained by or located in one LA."""

    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"
        ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
        POST_16 = "post_16", "16 plus"

    class Type(models.TextChoices):
        COMMUNITY = "community", "Community school"
        FOUNDATION = "foundation", "Foundation school"
        VOLUNTARY_AIDED = "voluntary_aided", "Voluntary aided school"
        VOLUNTARY_CONTROLLED = "voluntary_controlled", "Voluntary controlled school"
        ACADEMY = "academy", "Academy"
        FREE_SCHOOL = "free_school", "Free school"
        COMMUNITY_SPECIAL = "community_special", "Community special school"
        ACADEMY_SPECIAL = "academy_special", "Academy special school"
        PUPIL_REFERRAL_UNIT = "pupil_referral_unit", "Pupil referral unit"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="schools")
    urn = models.CharField(
        "URN", max_length=6, unique=True, validators=[RegexValidator(r"^\d{6}$", "Enter a 6-digit URN")]
    )
    establishment_number = models.CharField(
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", "Enter a 4-digit establishment number")],
    )
    name = models.CharField(max_length=160)
    phase = models.CharField(max_length=24, choices=Phase.choices)
    school_type = models.CharField(max_length=24, choices=Type.choices)

    objects = SchoolQuerySet.as_manager()

    tenancy = Tenancy(school="pk")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(urn__regex=r"^[0-9]{6}$"), name="school_urn_six_digits"),
            models.CheckConstraint(
                condition=Q(establishment_number="") | Q(establishment_number__regex=r"^[0-9]{4}$"),
                name="school_estab_four_digits_or_blank",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def laestab(self) -> str:
        """Return the LA code plus establishment number, or an empty string if unknown."""
        return f"{self.local_authority.code}{self.establishment_number}" if self.establishment_number else ""


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """A person's role at one school or one local authority."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Who gave this role (from the invitation), kept as text too so it survives the granter's account.
    granted_by = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships_granted"
    )
    granted_by_description = models.CharField(max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    tenancy = Tenancy(school="school", local_authority="local_authority")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=ONE_ORGANISATION, name="membership_one_organisation"),
            models.CheckConstraint(
                condition=ROLE_FITS_ORGANISATION, name="membership_role_fits_organisation"
            ),
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                condition=Q(school__isnull=False),
                name="membership_unique_school_role",
            ),
            models.UniqueConstraint(
                fields=["user", "local_authority", "role"],
                condition=Q(local_authority__isnull=False),
                name="membership_unique_la_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.organisation_name}"

    @property
    def is_school(self) -> bool:
        return self.school_id is not None

    @property
    def is_la(self) -> bool:
        return self.local_authority_id is not None

    @property
    def organisation(self) -> School | LocalAuthority:
        return self.school if self.is_school else self.local_authority

    @property
    def organisation_name(self) -> str:
        return self.school.name if self.is_school else self.local_authority.name

    @property
    def needs_mfa(self) -> bool:
        return self.role in settings.MFA_REQUIRED_ROLES

    @property
    def origin(self) -> str:
        """Say how this person came to hold the role, for the people page and pupils' access logs."""
        since = f"since {timezone.localtime(self.created_at):%-d %B %Y}"
        if self.granted_by_description:
            return f"Invited by {self.granted_by_description}, {since}"
        return f"Set up by a service administrator, {since}"


class Invitation(models.Model):
    """A single-use, expiring link that lets someone join a school or LA in a role."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 of the token sent by email
    email = models.EmailField()
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    # Emptied when the inviter's account is deleted (sendplan.services.user_erase); the invitation stays.
    invited_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    invited_by_role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    invited_by_local_authority = models.ForeignKey(  # set when an LA admin gave a school role
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    invited_by_description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_accepted"
    )

    tenancy = Tenancy(school="school", local_authority="local_authority")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=ONE_ORGANISATION, name="invitation_one_organisation"),
            models.CheckConstraint(
                condition=ROLE_FITS_ORGANISATION, name="invitation_role_fits_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def organisation_name(self) -> str:
        return self.school.name if self.school_id else self.local_authority.name

    def is_usable(self, now=None) -> bool:
        return self.accepted_at is None and (now or timezone.now()) < self.expires_at


class AccessEvent(models.Model):
    """One view or export of a pupil's record or plan (append-only)."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="access_events")  # whose data
    pupil_id = models.UUIDField(db_index=True)  # the pupil's public_id, kept after the pupil row goes
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="access_events")
    actor_role = models.CharField(max_length=16, choices=Role.choices)
    actor_organisation = models.CharField(max_length=160)
    action = models.CharField(max_length=8, choices=Action.choices)
    what = models.CharField(max_length=200)
    actor_origin = models.CharField(max_length=400, blank=True)  # how the actor came to hold their role

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.what}"


class SecurityEvent(models.Model):
    """A signed-in member refused pupil data they asked for: the 404 they saw hides it (append-only)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="security_events")
    actor_role = models.CharField(max_length=16, choices=Role.choices)
    actor_organisation = models.CharField(max_length=160)
    action = models.CharField(max_length=40)  # the policy action asked for
    path = models.CharField(max_length=500)
    reason = models.CharField(max_length=20)  # "role": the role may never; "not found": no such row for them

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.actor} refused {self.action} at {self.path}"


class Erasure(models.Model):
    """Personal data erased on the controlled path: which records and how many rows, never a name.

    Append-only like the histories, and never erasable itself: it is what remains of what was erased.
    """

    class Kind(models.TextChoices):
        PUPILS_PAST_RETENTION = "pupils_past_retention", "Pupil records past retention"
        USER = "user", "A person's account"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    by = models.CharField(max_length=200)  # what did it: the command, or the admin and a staff member's id
    erased_ids = models.JSONField(default=list)  # public ids of the pupils, or of the person
    counts = models.JSONField(default=dict)  # rows deleted, or history rows anonymised, by model

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} erased at {self.at:%Y-%m-%d %H:%M}"


def report_upload_to(report: "Report", filename: str) -> str:
    # Derived from the job, so a retried or duplicated task overwrites rather than adds a file.
    owner = report.school.public_id if report.school_id else f"la-{report.local_authority.public_id}"
    return f"reports/{owner}/{report.public_id}.{report.format}"


class Report(models.Model):
    """A document rendered in the background from a snapshot of the data taken when it was asked for.

    ``school`` is the school whose data it shows. The school's members reach it through the policy's
    ``OWN`` rows; LA staff reach only the documents their own LA asked for (``requested_by_la``), which
    the policy calls rows handed to the LA: a document about a plan the school handed to them. A document
    about a whole LA (the LA summary) belongs to ``local_authority`` instead, and is that LA's ``OWN`` row:
    exactly one of the two is set.
    """

    class Kind(models.TextChoices):
        SCHOOL_OVERVIEW = "school_overview", "School SEND overview"
        INCLUSION_STRATEGY = "inclusion_strategy", "Inclusion strategy"
        SEN_INFORMATION_REPORT = "sen_information_report", "SEN information report"
        EHC_PLAN = "ehc_plan", "EHC plan"
        ASSESSMENT_REQUEST = "assessment_request", "EHC needs assessment request pack"
        SUBJECT_ACCESS = "subject_access", "Subject access pack"
        LA_SUMMARY = "la_summary", "LA summary report"

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"
        XLSX = "xlsx", "Excel"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    # A report still unfinished this long after it was asked for has been lost (a worker died for good,
    # or the database went away while it failed): the page says so instead of polling for ever.
    ABANDONED_AFTER = timedelta(minutes=30)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.PDF)
    subject_id = models.UUIDField(
        null=True, blank=True
    )  # public_id of what the report is about, if not the school
    # The data the document shows, gathered when it was asked for: later edits never change it.
    snapshot = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=report_upload_to, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="reports_requested"
    )
    # The role the person asked in: the worker checks that this membership may still see the subject.
    requested_as = models.ForeignKey(
        "Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_la = models.ForeignKey(  # set when LA staff asked: the document is their LA's
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The role they asked in, e.g. "SENCO, School A": never their name, which goes with their account.
    requester_description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    tenancy = Tenancy(
        local_authority="local_authority",
        handed_to_la=lambda: Q(requested_by_la_id=models.F("school__local_authority_id")),
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="ready") | ~Q(file=""), name="report_ready_has_file"),
            models.CheckConstraint(
                condition=Q(format__in=["pdf", "docx", "xlsx"]), name="report_format_known"
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=False, local_authority__isnull=True)
                | Q(school__isnull=True, local_authority__isnull=False),
                name="report_belongs_to_school_or_la",
            ),
        ]
        indexes = [models.Index(fields=["school", "subject_id"], name="report_school_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.owner_name}"

    @property
    def owner_name(self) -> str:
        """Name the school or LA the document belongs to."""
        return self.school.name if self.school_id else self.local_authority.name

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED}

    @property
    def is_abandoned(self) -> bool:
        """Return True if the report never finished and no worker will finish it now."""
        return not self.is_finished and timezone.now() - self.created_at > self.ABANDONED_AFTER

    @property
    def label(self) -> str:
        """Name the document for lists: its kind, and its format when it has a choice of two."""
        if self.kind in (self.Kind.EHC_PLAN, self.Kind.LA_SUMMARY):
            return f"{self.get_kind_display()} ({self.get_format_display()})"
        return self.get_kind_display()

    @property
    def summary(self) -> str:
        """Return the short description gathered with the data (never a pupil's name), e.g. the version."""
        return str(self.snapshot.get("summary", "")) if isinstance(self.snapshot, dict) else ""
