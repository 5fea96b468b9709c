"""Frameworks of standards as versioned data: framework → version → sections → criteria, with a scale."""

import uuid

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sendplan.models import LocalAuthority
from sendplan.tenancy import Tenancy


class AreaOfNeed(models.TextChoices):
    """The four broad areas of need (SEND Code of Practice 6.28–6.35)."""

    COMMUNICATION_INTERACTION = "communication_interaction", "Communication and interaction"
    COGNITION_LEARNING = "cognition_learning", "Cognition and learning"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "sensory_physical", "Sensory and/or physical"


class Tier(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    TARGETED = "targeted", "Targeted"
    SPECIALIST = "specialist", "Specialist"


class Framework(models.Model):
    """A named set of standards from one publisher, published in versions."""

    class Publisher(models.TextChoices):
        NATIONAL = "national", "National"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        TRUST = "trust", "Multi-academy trust"
        SENDPLAN = "sendplan", "sendplan"

    class RatedBy(models.TextChoices):
        """Who rates a school's audit of the framework (sendplan.policy reads it through Rows)."""

        SCHOOL_STAFF = "school_staff", "The SENCO and headteacher"
        GOVERNORS = "governors", "The governing board"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=20, choices=Publisher.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="frameworks"
    )
    description = models.TextField(blank=True)
    rated_by = models.CharField(max_length=16, choices=RatedBy.choices, default=RatedBy.SCHOOL_STAFF)

    tenancy = Tenancy(
        school=None,
        local_authority="local_authority",
        published=lambda: Q(
            Exists(
                FrameworkVersion.objects.filter(framework=OuterRef("pk"), status__in=FrameworkVersion.VISIBLE)
            )
        ),
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(publisher="local_authority", local_authority__isnull=False)
                | (~Q(publisher="local_authority") & Q(local_authority__isnull=True)),
                name="framework_la_owner_iff_la_publisher",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RatingScale(models.Model):
    """The ordered levels a criterion is rated on, for one framework version.

    ``met_value`` is the level at which a statutory duty counts as met ("Established" on the shipped
    scale); audits/scoring.py caps a section with a duty below it. It is one of the scale's level
    values and never the lowest (the loader checks both).
    """

    allow_not_applicable = models.BooleanField(default=False)
    met_value = models.SmallIntegerField()

    def __str__(self) -> str:
        return " / ".join(level.label for level in self.levels.all())


class ScaleLevel(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="levels")
    value = models.SmallIntegerField()
    label = models.CharField(max_length=60)
    descriptor = models.TextField()

    class Meta:
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="scalelevel_unique_value"),
            models.UniqueConstraint(fields=["scale", "label"], name="scalelevel_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class FrameworkVersion(models.Model):
    """One version of a framework: a draft while edited, immutable once published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    VISIBLE = (Status.PUBLISHED, Status.RETIRED)  # every member may read these; drafts stay with their LA

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    scale = models.OneToOneField(RatingScale, on_delete=models.PROTECT, related_name="version")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy(
        school=None,
        local_authority="framework__local_authority",
        published=lambda: Q(status__in=FrameworkVersion.VISIBLE),
    )

    class Meta:
        ordering = ["framework", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "label"], name="frameworkversion_unique_label"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_on__isnull=False),
                name="frameworkversion_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.title} {self.label}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Section(models.Model):
    """A heading in a version: a whole-school heading or an area of need; sections may nest."""

    class Kind(models.TextChoices):
        WHOLE_SCHOOL = "whole_school", "Whole school"
        AREA_OF_NEED = "area_of_need", "Area of need"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    ref = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    area_of_need = models.CharField(max_length=32, choices=AreaOfNeed.choices, blank=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField()  # order within the whole version (depth-first)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "ref"], name="section_unique_ref"),
            models.CheckConstraint(
                condition=Q(kind="whole_school") | ~Q(area_of_need=""), name="section_area_when_area_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One observable statement a school is rated on. Its ``ref`` is stable across versions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="criteria")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="criteria")
    ref = models.CharField(max_length=40)
    statement = models.TextField()
    guidance = models.TextField(blank=True)
    evidence_examples = models.JSONField(default=list)  # 1–3 short strings
    # A legal duty ("statutory"), an expectation of statutory guidance such as the SEND Code of Practice
    # ("statutory_guidance": shown, never capping), or neither; the source names the law or paragraph.
    statutory = models.BooleanField(default=False)
    statutory_guidance = models.BooleanField(default=False)
    statutory_source = models.CharField(max_length=300, blank=True)
    area_of_need = models.CharField(max_length=32, choices=AreaOfNeed.choices, blank=True)
    tier = models.CharField(max_length=12, choices=Tier.choices, blank=True)
    position = models.PositiveIntegerField()  # order within the whole version

    tenancy = Tenancy(
        school=None,
        local_authority="version__framework__local_authority",
        published=lambda: Q(version__status__in=FrameworkVersion.VISIBLE),
    )

    class Meta:
        ordering = ["version", "position"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["version", "ref"], name="criterion_unique_ref"),
            models.CheckConstraint(
                condition=Q(statutory=False) | Q(statutory_guidance=False),
                name="criterion_law_or_guidance_not_both",
            ),
            models.CheckConstraint(
                condition=Q(statutory=False, statutory_guidance=False, statutory_source="")
                | ((Q(statutory=True) | Q(statutory_guidance=True)) & ~Q(statutory_source="")),
                name="criterion_statutory_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref}: {self.statement[:60]}"

    @property
    def basis_label(self) -> str:
        """Return "Statutory duty", "Statutory guidance" or "" for what the criterion rests on."""
        if self.statutory:
            return "Statutory duty"
        return "Statutory guidance" if self.statutory_guidance else ""


class CriterionMapping(models.Model):
    """How a criterion of a new version continues criteria of the previous one (or retires them)."""

    class Change(models.TextChoices):
        SAME = "same", "Unchanged"
        REWORDED = "reworded", "Reworded"
        SPLIT = "split", "Split from an earlier criterion"
        MERGED = "merged", "Merged from earlier criteria"
        NEW = "new", "New"
        RETIRED = "retired", "Retired"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="mappings")
    from_ref = models.CharField(max_length=40, blank=True)  # a ref in version.previous; blank for new
    to_ref = models.CharField(max_length=40, blank=True)  # a ref in version; blank for retired
    change = models.CharField(max_length=12, choices=Change.choices)

    class Meta:
        ordering = ["version", "to_ref", "from_ref"]
        constraints = [
            models.UniqueConstraint(fields=["version", "from_ref", "to_ref"], name="mapping_unique_pair"),
            models.CheckConstraint(
                condition=(Q(change="new") & Q(from_ref="") & ~Q(to_ref=""))
                | (Q(change="retired") & ~Q(from_ref="") & Q(to_ref=""))
                | (Q(change__in=["same", "reworded", "split", "merged"]) & ~Q(from_ref="") & ~Q(to_ref="")),
                name="mapping_refs_fit_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_ref or '–'} → {self.to_ref or '–'} ({self.change})"


class FrameworkUpload(models.Model):
    """An LA's own spreadsheet of criteria, kept while its columns are matched and it is checked.

    The file is kept in the database (any web process can read it) so that the officer never chooses it
    again after a mistake in matching; it is read again for each preview and for the import, and its
    content is cleared once it is imported or discarded.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be imported"
        IMPORTED = "imported", "Imported"
        DISCARDED = "discarded", "Discarded"

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="framework_uploads"
    )
    filename = models.CharField(max_length=200)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    content = models.BinaryField(default=bytes)
    headings = models.JSONField(default=list)  # the first row, as the file writes it
    columns = models.JSONField(default=dict)  # field name -> column index, as matched
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    version = models.ForeignKey(
        FrameworkVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey("sendplan.User", null=True, on_delete=models.SET_NULL, related_name="+")

    tenancy = Tenancy(school=None, local_authority="local_authority")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["csv", "xlsx"]), name="frameworkupload_kind_is_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="imported") | Q(content=b""), name="frameworkupload_imported_is_cleared"
            ),
        ]

    def __str__(self) -> str:
        return self.filename
