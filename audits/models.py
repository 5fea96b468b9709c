"""A school's self-audit of one framework version: ratings, evidence, actions, events and reviews."""

import re
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from audits import scoring
from sendplan.models import School, User
from sendplan.tenancy import Tenancy
from standards.models import Criterion, Framework, FrameworkVersion

ACADEMIC_YEAR_PATTERN = r"^[0-9]{4}/[0-9]{2}$"


def validate_academic_year(value: str) -> None:
    """Accept "2026/27": four digits, a slash, and the last two digits of the following year."""
    if not re.match(ACADEMIC_YEAR_PATTERN, value or ""):
        raise ValidationError("Enter the academic year like 2026/27")
    start, end = int(value[:4]), int(value[5:])
    if (start + 1) % 100 != end:
        raise ValidationError("Enter an academic year whose second year follows the first, like 2026/27")
    if not 2000 <= start <= 2100:
        raise ValidationError("Enter an academic year between 2000/01 and 2100/01")


class Audit(models.Model):
    """One school's rating of one framework version for one academic year."""

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"
        ACCEPTED = "accepted", "Accepted"

    LA_VISIBLE = (Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED)
    # While an audit is back with the school, the LA reads what was submitted (``returned_snapshot``),
    # never the school's redraft: its live content is the LA's only when submitted or accepted.
    LA_CONTENT = (Status.SUBMITTED, Status.ACCEPTED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="audits")
    # Denormalised from the version, so "one open audit per school per framework" is a constraint.
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="audits")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="audits")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="audits_created")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)  # returned or accepted by the LA
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    # What carrying forward did (copied, split, merged, new, dropped refs), shown on the task list.
    carry_forward_summary = models.JSONField(default=dict, blank=True)
    # The ratings as submitted, taken when the LA returns the audit: what the LA reads until resubmission.
    returned_snapshot = models.JSONField(default=dict, blank=True)

    tenancy = Tenancy(
        handed_to_la=lambda: Q(status__in=Audit.LA_VISIBLE),
        rated_by_governors=lambda: Q(framework__rated_by=Framework.RatedBy.GOVERNORS),
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "framework"],
                condition=~Q(status="accepted"),
                name="audit_one_open_per_school_framework",
            ),
            models.CheckConstraint(
                condition=Q(academic_year__regex=ACADEMIC_YEAR_PATTERN), name="audit_academic_year_format"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="audit_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework_version} audit {self.academic_year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def shows_la_snapshot(self, membership) -> bool:
        """Return True if this person is LA staff and the audit is back with the school (see LA_CONTENT)."""
        return membership.is_la and self.status == self.Status.RETURNED

    @property
    def status_colour(self) -> str:
        return {"draft": "blue", "submitted": "purple", "returned": "orange", "accepted": "green"}[
            self.status
        ]


class Evidence(models.Model):
    """A file or link that shows a school's practice; one piece can support several criteria."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="evidence")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="evidence_added")  # added in
    title = models.CharField(max_length=200)
    file = models.FileField(max_length=200, blank=True)  # generated name under evidence/<school>/
    url = models.URLField(max_length=500, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=120, blank=True)  # detected from the content, not the browser
    shareable_with_governors = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="evidence_added")
    uploaded_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy(
        # The LA sees evidence added in, or used by, an audit handed to it.
        handed_to_la=lambda: (
            Q(audit__status__in=Audit.LA_CONTENT)
            | Q(
                pk__in=Rating.evidence.through.objects.filter(
                    rating__audit__status__in=Audit.LA_CONTENT
                ).values("evidence_id")
            )
        ),
        shared_with_governors=lambda: Q(shareable_with_governors=True),
        rated_by_governors=lambda: Q(audit__framework__rated_by=Framework.RatedBy.GOVERNORS),
    )

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)


class Rating(models.Model):
    """A school's rating of one criterion in an audit, with its rationale and evidence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="audit_ratings")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    level = models.SmallIntegerField(null=True, blank=True)  # a ScaleLevel.value of the version's scale
    not_applicable = models.BooleanField(default=False)
    na_reason = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    to_confirm = models.BooleanField(default=False)  # carried forward and not yet looked at again
    version = models.PositiveIntegerField(default=0)  # optimistic lock: UPDATE … WHERE version = n
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings_updated"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="ratings")

    tenancy = Tenancy(handed_to_la=lambda: Q(audit__status__in=Audit.LA_CONTENT))

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "criterion"], name="rating_one_per_criterion"),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(level__isnull=True), name="rating_na_has_no_level"
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | ~Q(na_reason=""), name="rating_na_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.ref} in {self.audit}"

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or self.level is not None

    def needs_rationale(self, levels: Sequence[int]) -> bool:
        """Return True if the rating is above the lowest level without a rationale (scoring.needs_rationale)."""
        return scoring.needs_rationale(value=self.level, rationale=self.rationale, levels=levels)

    @staticmethod
    def rationale_needed_q(lowest) -> Q:
        """Return scoring.needs_rationale as a filter, given the lowest level (a number or a subquery).

        Rationales are stored stripped, so "no rationale" is the empty string.
        """
        return Q(level__gt=lowest, rationale="")


class Action(models.Model):
    """A step in the school's action plan, linked to the criterion it improves."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="audit_actions")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    what = models.TextField()
    owner = models.CharField(max_length=150)
    due = models.DateField()
    success_measure = models.TextField(blank=True)
    estimated_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="actions_created")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy(handed_to_la=lambda: Q(audit__status__in=Audit.LA_CONTENT))

    class Meta:
        ordering = ["due", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0),
                name="action_cost_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.what[:60]

    def is_overdue(self, today=None) -> bool:
        return self.status != self.Status.DONE and self.due < (today or timezone.localdate())


class AuditEvent(models.Model):
    """One thing that happened to an audit, with who and what changed (append-only, written by services)."""

    class Kind(models.TextChoices):
        CREATED = "created", "Audit started"
        RESPONSE_CHANGED = "response_changed", "Rating changed"
        RATINGS_CONFIRMED = "ratings_confirmed", "Carried-forward ratings confirmed"
        CONFIRM_UNDONE = "confirm_undone", "Confirmation undone"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"
        EVIDENCE_REMOVED = "evidence_removed", "Evidence removed"
        ACTION_CHANGED = "action_changed", "Action plan changed"
        SUBMITTED = "submitted", "Submitted to the local authority"
        RETURNED = "returned", "Returned for changes"
        ACCEPTED = "accepted", "Accepted"
        REOPENED = "reopened", "Withdrawn to make changes"
        COMMENT = "comment", "Local authority comment"
        GOVERNOR_REVIEW = "governor_review", "Reviewed by the governing board"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="audit_events")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="audit_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    detail = models.JSONField(default=dict, blank=True)  # {"field": {"old": …, "new": …}} or free facts

    tenancy = Tenancy(handed_to_la=lambda: Q(audit__status__in=Audit.LA_CONTENT))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class LAComment(models.Model):
    """A local authority officer's comment on an audit, or on one of its criteria."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="la_comments")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="la_comments")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="la_comments"
    )
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="la_comments")
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy(handed_to_la=lambda: Q(audit__status__in=Audit.LA_VISIBLE))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "LA comment"

    def __str__(self) -> str:
        return self.text[:60]


class GovernorReview(models.Model):
    """The governing board's record that it reviewed an audit."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="governor_reviews")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="governor_reviews")
    reviewed_on = models.DateField()
    minute_reference = models.CharField(max_length=120)
    recorded_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="governor_reviews"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy(handed_to_la=lambda: Q(audit__status__in=Audit.LA_VISIBLE))

    class Meta:
        ordering = ["-reviewed_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"Reviewed on {self.reviewed_on}"


class AuditLevel(models.Model):
    """An audit's level, overall (no section) or for one section, as the scoring rules worked it out.

    Written only by ``audits.levels.audit_levels_refresh`` (see its module for why this table exists). A
    level is kept as its name and its position in its scale (1 = the lowest level) with the scale's size,
    so audits of frameworks with different scales are compared by name and position, never by a number.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="audit_levels")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="levels")
    section = models.ForeignKey(  # None: the audit as a whole
        "standards.Section", null=True, blank=True, on_delete=models.CASCADE, related_name="audit_levels"
    )
    level_label = models.CharField(max_length=60, blank=True)  # "" while there is no level
    level_position = models.PositiveSmallIntegerField(null=True, blank=True)  # 1 = the scale's lowest
    scale_size = models.PositiveSmallIntegerField()
    rated = models.PositiveIntegerField(default=0)  # criteria rated in this audit (never "to confirm")
    in_scope = models.PositiveIntegerField(default=0)  # criteria in scope: not-applicable ones left out
    percent_rated = models.PositiveSmallIntegerField(default=0)  # rated of in scope, rounded down
    duties_total = models.PositiveIntegerField(default=0)
    duties_unmet = models.PositiveIntegerField(default=0)  # statutory duties rated below the met level
    duties_unrated = models.PositiveIntegerField(default=0)
    withheld = models.BooleanField(default=False)  # a statutory duty is not rated: no level
    withheld_reason = models.CharField(max_length=200, blank=True)
    provisional = models.BooleanField(default=False)  # a level, but some criteria are not rated yet
    capped = models.BooleanField(default=False)  # held below the met level by a duty not met
    cap_reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    # What an audit's levels say is its content: the LA reads it only while the audit is submitted or
    # accepted (as Audit.LA_CONTENT), never a draft's or a returned audit's redraft.
    tenancy = Tenancy(handed_to_la=lambda: Q(audit__status__in=Audit.LA_CONTENT))

    class Meta:
        ordering = ["audit", "section__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit"], condition=Q(section__isnull=True), name="auditlevel_one_overall"
            ),
            models.UniqueConstraint(
                fields=["audit", "section"],
                condition=Q(section__isnull=False),
                name="auditlevel_one_per_section",
            ),
            models.CheckConstraint(
                condition=Q(level_position__isnull=True)
                | (Q(level_position__gte=1) & Q(level_position__lte=models.F("scale_size"))),
                name="auditlevel_position_in_scale",
            ),
            models.CheckConstraint(
                condition=Q(level_position__isnull=True, level_label="")
                | Q(level_position__isnull=False) & ~Q(level_label=""),
                name="auditlevel_label_with_position",
            ),
            models.CheckConstraint(
                condition=Q(rated__lte=models.F("in_scope")), name="auditlevel_rated_in_scope"
            ),
        ]

    def __str__(self) -> str:
        return self.level_label or "No level yet"

    @property
    def has_level(self) -> bool:
        return self.level_position is not None


class RoundReminder(models.Model):
    """That the LA reminded a school to submit its audit of a framework version for an academic year.

    Written by ``audits.services.round_remind`` for each school whose SENCO or headteacher it told; the
    round page shows each school's latest, so an officer chasing schools sees who was chased and when.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="round_reminders")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    people = models.PositiveSmallIntegerField()  # SENCOs and headteachers told

    tenancy = Tenancy()  # the school's, and so its LA's to see (never shown to the school)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["framework_version", "academic_year", "school"])]

    def __str__(self) -> str:
        return f"Reminded {self.school_id} on {self.sent_at:%Y-%m-%d}"


class RoundClosingDate(models.Model):
    """The date by which an LA asks its schools to submit their audits of a framework version for a year.

    Set by the LA's officers on the round page (``audits.services.round_closing_date_set``); its schools
    see it on their home page's list of what needs doing until their audit is submitted.
    """

    local_authority = models.ForeignKey(
        "sendplan.LocalAuthority", on_delete=models.CASCADE, related_name="round_closing_dates"
    )
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])
    closes_on = models.DateField()
    set_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy(school=None, local_authority="local_authority")  # the LA's own

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "framework_version", "academic_year"],
                name="one_closing_date_a_round",
            )
        ]

    def __str__(self) -> str:
        return f"Closes on {self.closes_on}"
