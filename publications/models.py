"""The school's public documents: the inclusion strategy and the SEN information report.

A ``Publication`` is a draft the SENCO and headteacher keep changing. Publishing it takes a snapshot
(``PublishedVersion``): the public page, its PDF and its Word file show that snapshot, never the draft,
until the school publishes again. The public page is reached only through ``public_token``, a long
random string the school puts on its website; it never shows anything about an individual pupil.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from audits.models import ACADEMIC_YEAR_PATTERN, Action, validate_academic_year
from sendplan.models import School, User
from sendplan.tenancy import Tenancy
from standards.models import Criterion, FrameworkVersion

MAX_YEARS = 5  # the longest strategy a school may write; the DfE asks for a yearly review whatever its length


def new_public_token() -> str:
    """Return a new link token: 32 random bytes (256 bits), URL-safe, so it can be neither guessed nor listed."""
    return secrets.token_urlsafe(32)


def academic_year_after(year: str, n: int = 1) -> str:
    """Return the academic year ``n`` years after ``year`` ("2026/27", 2 → "2028/29")."""
    start = int(year[:4]) + n
    return f"{start}/{(start + 1) % 100:02d}"


class Publication(models.Model):
    """One of a school's public documents, as a draft the school edits and publishes."""

    class Kind(models.TextChoices):
        STRATEGY = "strategy", "Inclusion strategy"
        SEN_REPORT = "sen_report", "SEN information report"

    class AuthorisedBy(models.TextChoices):
        HEADTEACHER = "headteacher", "The headteacher"
        GOVERNING_BOARD = "governing_board", "The governing board"
        TRUST_BOARD = "trust_board", "The academy trust board"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="publications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    first_year = models.CharField(max_length=7, validators=[validate_academic_year])
    years = models.PositiveSmallIntegerField(default=1)  # academic years covered, from first_year
    review_date = models.DateField(null=True, blank=True)  # when the school next reviews it (yearly)
    authorised_by = models.CharField(max_length=16, choices=AuthorisedBy.choices, blank=True)
    authorised_by_name = models.CharField(max_length=150, blank=True)
    statement_of_intent = models.TextField(blank=True)  # the strategy's, for parents and pupils
    # The version of the seven principles a strategy is written against (none for an SEN report).
    principles_version = models.ForeignKey(
        FrameworkVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public_token = models.CharField(max_length=64, unique=True, default=new_public_token, editable=False)
    current_version = models.ForeignKey(  # what the public page shows; None = not published
        "PublishedVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Keys of suggestions the school dropped, or (in an SEN report) added to a section: not offered again.
    suggestions_dealt_with = models.JSONField(default=list, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)  # the draft's last change

    # The LA sees what its schools have published, which is public anyway; never a draft.
    tenancy = Tenancy(handed_to_la=lambda: Q(current_version__isnull=False))

    class Meta:
        ordering = ["-first_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "first_year"], name="publication_one_per_school_kind_year"
            ),
            models.CheckConstraint(
                condition=Q(first_year__regex=ACADEMIC_YEAR_PATTERN), name="publication_year_format"
            ),
            models.CheckConstraint(
                condition=Q(years__gte=1, years__lte=MAX_YEARS), name="publication_years_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(kind="strategy") | Q(years=1), name="publication_sen_report_one_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.years_label}"

    @property
    def is_strategy(self) -> bool:
        return self.kind == self.Kind.STRATEGY

    @property
    def last_year(self) -> str:
        return academic_year_after(self.first_year, self.years - 1)

    @property
    def years_label(self) -> str:
        """Return "2026/27", or "2026/27 to 2028/29" for a multi-year strategy."""
        return self.first_year if self.years == 1 else f"{self.first_year} to {self.last_year}"

    @property
    def is_multi_year(self) -> bool:
        return self.years > 1

    @property
    def is_published(self) -> bool:
        return self.current_version_id is not None

    @property
    def title(self) -> str:
        return f"{self.get_kind_display()} {self.years_label}"


class PublishedVersion(models.Model):
    """What a publication said when the school published it: the public page shows only this."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()  # the whole document (selectors.document_content), never pupil-level data
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)  # taken off the public page

    tenancy = Tenancy()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="published_version_number")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.publication}"


class BoardApproval(models.Model):
    """The governing board's record that it approved a publication, at a meeting, under a minute."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="approvals")
    approved_on = models.DateField()
    minute_reference = models.CharField(max_length=120)
    draft_changed_at = models.DateTimeField()  # the draft's last change when the board approved it
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy()

    class Meta:
        ordering = ["-approved_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"Approved on {self.approved_on}"


class Barrier(models.Model):
    """A barrier to learning and participation the strategy sets out to reduce; numbered in order."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="barriers")
    position = models.PositiveIntegerField()
    text = models.TextField()
    source = models.CharField(max_length=500, blank=True)  # where a kept suggestion came from
    suggestion_key = models.CharField(max_length=120, blank=True)

    tenancy = Tenancy()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "suggestion_key"],
                condition=~Q(suggestion_key=""),
                name="barrier_suggestion_kept_once",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Activity(models.Model):
    """An activity the strategy funds: which principles it serves, which barriers it reduces, its cost."""

    class Reach(models.TextChoices):
        UNIVERSAL = "universal", "Universal"
        TARGETED = "targeted", "Targeted"

    class FundingSource(models.TextChoices):
        IMF = "imf", "Inclusive mainstream fund"
        NOTIONAL_SEN = "notional_sen", "Notional SEN budget"
        CORE = "core", "Other core funding"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveIntegerField()
    description = models.TextField()
    reach = models.CharField(max_length=10, choices=Reach.choices, blank=True)
    principles = models.ManyToManyField(Criterion, blank=True, related_name="+")
    barriers = models.ManyToManyField(Barrier, blank=True, related_name="activities")
    funding_source = models.CharField(max_length=12, choices=FundingSource.choices, blank=True)
    cost_pence = models.PositiveBigIntegerField(null=True, blank=True)  # budgeted cost; None = not yet costed
    from_action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenancy = Tenancy()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "from_action"],
                condition=Q(from_action__isnull=False),
                name="activity_from_action_once",
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class Outcome(models.Model):
    """An intended outcome with its success criteria, and later what happened and the evidence for it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveIntegerField()
    text = models.TextField()
    success_criteria = models.TextField()
    from_previous = models.BooleanField(default=False)  # last year's outcome, carried forward for review
    what_happened = models.TextField(blank=True)
    evidence = models.TextField(blank=True)

    tenancy = Tenancy()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_reviewed(self) -> bool:
        return bool(self.what_happened.strip())


class ReportSection(models.Model):
    """The school's text for one item of the SEN information report (publications/schedule1.py)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="sections")
    item = models.CharField(max_length=10)
    text = models.TextField(blank=True)
    to_check = models.BooleanField(default=False)  # carried forward from last year and not saved since
    updated_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "item"], name="report_section_item_once")
        ]

    def __str__(self) -> str:
        return f"Item {self.item}"
