"""Pupils on the SEN register, their carers and graduated-approach cycles, and EHC plans with versions.

A plan's content lives on its versions: section text on PlanVersion, and the golden thread of needs (B),
outcomes (E) and provision (F, G, H1, H2) as rows linked to each other. Items carry a ``lineage`` id that
is copied into the next version, so two versions can be compared item by item.
"""

import uuid

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ehcp.census import AREAS_OF_NEED, NEED_CODES, NSA, SEN_PROVISION
from ehcp.deadlines import AMEND, CEASE, MAINTAIN
from ehcp.deadlines.service import DELIVERY_METHODS
from sendplan.models import Role, School, User
from sendplan.tenancy import Tenancy

# The sections of an EHC plan (SEND Regulations 2014, reg 12), each separately identified.
SECTIONS: list[tuple[str, str]] = [
    ("A", "Views, interests and aspirations"),
    ("B", "Special educational needs"),
    ("C", "Health needs"),
    ("D", "Social care needs"),
    ("E", "Outcomes"),
    ("F", "Special educational provision"),
    ("G", "Health provision"),
    ("H1", "Social care provision (Chronically Sick and Disabled Persons Act 1970)"),
    ("H2", "Other social care provision"),
    ("I", "Placement"),
    ("J", "Personal budget"),
    ("K", "Advice and information"),
]
SECTION_CODES = [code for code, _ in SECTIONS]
SECTION_TITLES = dict(SECTIONS)
PROVISION_SECTIONS = ("F", "G", "H1", "H2")
NEED_CHOICES = [(code, f"{code}: {label}") for code, label in NEED_CODES.items()]


class YearGroup(models.TextChoices):
    RECEPTION = "R", "Reception"
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12 = "12", "Year 12"
    Y13 = "13", "Year 13"
    Y14 = "14", "Year 14"


YEAR_ORDER = [value for value, _ in YearGroup.choices]


class Pupil(models.Model):
    """A pupil of one school, as recorded on its SEN register (school census codes)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupils")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    year_group = models.CharField(max_length=2, choices=YearGroup.choices)
    upn = models.CharField("UPN", max_length=13, blank=True)
    sen_provision = models.CharField("SEN provision", max_length=1, choices=SEN_PROVISION)
    primary_need = models.CharField(max_length=4, choices=NEED_CHOICES, blank=True)
    secondary_need = models.CharField(max_length=4, choices=NEED_CHOICES, blank=True)
    legal_hold = models.BooleanField(
        default=False, help_text="Keep this record past its retention date (for example, a legal claim)."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["school", "last_name", "first_name"], name="pupil_school_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "upn"], condition=~Q(upn=""), name="pupil_upn_unique_per_school"
            ),
            models.CheckConstraint(
                condition=Q(sen_provision__in=["E", "K", "N"]), name="pupil_provision_ekn"
            ),
            models.CheckConstraint(
                condition=Q(primary_need="") | Q(primary_need__in=list(NEED_CODES)),
                name="pupil_primary_need_census_code",
            ),
            models.CheckConstraint(
                condition=Q(secondary_need="") | Q(secondary_need__in=list(NEED_CODES)),
                name="pupil_secondary_need_census_code",
            ),
            models.CheckConstraint(
                condition=~Q(sen_provision="N") | Q(primary_need="", secondary_need=""),
                name="pupil_no_sen_has_no_need",
            ),
            models.CheckConstraint(
                condition=Q(sen_provision="N") | ~Q(primary_need=""), name="pupil_sen_has_primary_need"
            ),
            models.CheckConstraint(
                condition=~Q(primary_need=NSA) | Q(sen_provision="K"), name="pupil_nsa_only_with_k"
            ),
            models.CheckConstraint(condition=~Q(secondary_need=NSA), name="pupil_nsa_never_secondary"),
            models.CheckConstraint(
                condition=Q(secondary_need="") | ~Q(secondary_need=models.F("primary_need")),
                name="pupil_needs_differ",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Carer(models.Model):
    """A parent or carer of a pupil, and how to contact them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="carers")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=60)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    tenancy = Tenancy()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class SupportCycle(models.Model):
    """One assess, plan, do, review cycle of SEN support (the graduated approach)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="cycles")
    started_on = models.DateField()
    assessed = models.TextField("What was assessed")
    outcomes_sought = models.TextField()
    provision_what = models.TextField("Provision put in place")
    provision_frequency = models.CharField("How often", max_length=200)
    provision_who = models.CharField("Who delivers it", max_length=200)
    review_date = models.DateField()
    review_findings = models.TextField("What the review found", blank=True)
    parent_views = models.TextField("Parents' views", blank=True)
    pupil_views = models.TextField("Pupil's views", blank=True)

    tenancy = Tenancy()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_date__gte=models.F("started_on")), name="cycle_review_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"Cycle from {self.started_on:%d %B %Y}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted to the LA"
    RETURNED = "returned", "Returned by the LA"
    FINAL = "final", "Final"


SHARED_WITH_LA = [VersionStatus.SUBMITTED, VersionStatus.RETURNED, VersionStatus.FINAL]


class Plan(models.Model):
    """An EHC plan for a pupil, from the request for assessment through its versions."""

    # The statutory dates recorded on a plan, in the order the process reaches them.
    DATE_FIELDS = (
        "requested_on",
        "decided_on",
        "advice_requested_on",
        "draft_sent_on",
        "draft_served_on",
        "final_issued_on",
        "last_review_meeting_on",
        "last_review_concluded_on",
        "phase_transfer_on",
    )

    class StartedBy(models.TextChoices):
        # Regs 5(1), 10(1) and 13(2): the 6-, 16- and 20-week clocks run from either.
        REQUEST = "request", "A request for an EHC needs assessment"
        RESPONSIBLE = (
            "responsible",
            "The LA became responsible for the child (Children and Families Act 2014, s24)",
        )

    class TimeLimitException(models.TextChoices):
        # Regs 13(3): the 20 weeks need not be met for the reasons in Regs 10(4)(a) to (d).
        SCHOOL_CLOSED = "school_closed", "Advice asked of a school closed for 4 weeks or more (reg 10(4)(a))"
        EARLY_YEARS_CLOSED = (
            "early_years_closed",
            "Advice asked of an early years provider closed for 4 weeks or more (reg 10(4)(b))",
        )
        PERSONAL = "personal", "Exceptional personal circumstances of the child or family (reg 10(4)(c))"
        AWAY = "away", "The child or family away from the area for 4 weeks or more (reg 10(4)(d))"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="plans")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    requested_on = models.DateField("Date the assessment was requested")
    decided_on = models.DateField("Date the LA decided to assess", null=True, blank=True)
    advice_requested_on = models.DateField("Date advice was requested", null=True, blank=True)
    started_by = models.CharField(
        "What started the assessment", max_length=12, choices=StartedBy.choices, default=StartedBy.REQUEST
    )
    draft_sent_on = models.DateField("Date the draft plan was sent to the family", null=True, blank=True)
    draft_sent_by = models.CharField(
        "How the draft plan was sent", max_length=12, choices=DELIVERY_METHODS, blank=True
    )
    draft_served_on = models.DateField("Date the family received the draft plan", null=True, blank=True)
    final_issued_on = models.DateField("Date the final plan was issued", null=True, blank=True)
    time_limit_exception = models.CharField(
        "Exception to the 20-week time limit", max_length=20, choices=TimeLimitException.choices, blank=True
    )
    last_review_meeting_on = models.DateField("Date of the last annual review meeting", null=True, blank=True)
    last_review_concluded_on = models.DateField(
        "Date the LA sent its decision on the last annual review", null=True, blank=True
    )
    phase_transfer_on = models.DateField("Date the pupil moves to the next phase", null=True, blank=True)
    # A school sixth form is a school, not a post-16 institution (CFA s83(2)): a move into one is not this.
    phase_transfer_to_post16 = models.BooleanField(
        "Moving from secondary school to a post-16 institution such as a college", default=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy(
        handed_to_la=lambda: Q(
            Exists(PlanVersion.objects.filter(plan=OuterRef("pk"), status__in=SHARED_WITH_LA))
        )
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in VersionStatus]), name="plan_status_known"
            ),
            # One EHC plan per pupil: amendments and reviews are versions of it, never a second plan.
            models.UniqueConstraint(fields=["pupil"], name="plan_one_per_pupil"),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("requested_on")),
                name="plan_decision_after_request",
            ),
            models.CheckConstraint(
                condition=Q(final_issued_on__isnull=True) | Q(final_issued_on__gte=models.F("requested_on")),
                name="plan_final_after_request",
            ),
            models.CheckConstraint(
                condition=Q(draft_served_on__isnull=True)
                | Q(draft_sent_on__isnull=False, draft_served_on__gte=models.F("draft_sent_on")),
                name="plan_draft_served_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(started_by__in=["request", "responsible"]), name="plan_started_by_known"
            ),
            models.CheckConstraint(
                condition=Q(draft_sent_by="") | Q(draft_sent_by__in=[m for m, _ in DELIVERY_METHODS]),
                name="plan_draft_sent_by_known",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_exception="")
                | Q(time_limit_exception__in=["school_closed", "early_years_closed", "personal", "away"]),
                name="plan_time_limit_exception_known",
            ),
        ]

    def __str__(self) -> str:
        return f"EHC plan for {self.pupil}"


class PlanVersion(models.Model):
    """One version of a plan: a draft, proposed amendments, or a final plan (which never changes)."""

    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft plan"
        PROPOSED_AMENDMENTS = "proposed_amendments", "Proposed amendments"
        FINAL = "final", "Final plan"

    Status = VersionStatus

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DRAFT)
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    # Section A
    a_views = models.TextField("Views, interests and aspirations of the child and parents", blank=True)
    a_history = models.TextField("History", blank=True)
    a_communication = models.TextField("How best to communicate with the child", blank=True)
    c_health_needs = models.TextField("Health needs related to the SEN", blank=True)
    d_social_care_needs = models.TextField("Social care needs related to the SEN or disability", blank=True)
    i_placement = models.TextField("Name and type of school or setting", blank=True)
    j_personal_budget = models.TextField("Personal budget and direct payments", blank=True)
    # Sections the SENCO has marked as completed, e.g. ["A", "B"].
    completed_sections = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    tenancy = Tenancy(handed_to_la=lambda: Q(status__in=SHARED_WITH_LA))

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in VersionStatus]), name="plan_version_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="final") | Q(kind="final", finalised_at__isnull=False),
                name="plan_version_final_is_final_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.get_kind_display()})"

    @property
    def is_editable(self) -> bool:
        """A draft is the school's to change; what the LA has (or returned) stays as the LA saw it."""
        return self.status == VersionStatus.DRAFT

    @property
    def is_shared_with_la(self) -> bool:
        return self.status in SHARED_WITH_LA


class PlanItem(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)  # the same item across versions
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Need(PlanItem):
    """A special educational need in section B, in one of the four broad areas of need."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="needs")
    area_of_need = models.CharField(max_length=32, choices=AREAS_OF_NEED)
    text = models.TextField()

    class Meta(PlanItem.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(area_of_need__in=[a for a, _ in AREAS_OF_NEED]), name="need_area_known"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Outcome(PlanItem):
    """An outcome in section E, linked to the needs it addresses."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField()
    timeframe = models.CharField(max_length=200, blank=True)
    steps = models.TextField("Steps towards the outcome", blank=True)
    needs = models.ManyToManyField(Need, related_name="outcomes", blank=True)

    def __str__(self) -> str:
        return self.text[:60]


class Provision(PlanItem):
    """An item of provision in section F, G, H1 or H2, linked to the needs and outcomes it serves."""

    # What specifies an item (what, who, how often, how long…), in the order the form and exports show it.
    DETAIL_FIELDS = (
        "what",
        "who",
        "expertise",
        "frequency",
        "duration",
        "group_size",
        "start_date",
        "review_date",
        "responsible_body",
    )

    class Section(models.TextChoices):
        F = "F", "F: special educational provision"
        G = "G", "G: health provision"
        H1 = "H1", "H1: social care provision (CSDPA 1970)"
        H2 = "H2", "H2: other social care provision"

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="provisions")
    section = models.CharField(max_length=2, choices=Section.choices)
    what = models.TextField()
    who = models.CharField("Who delivers it", max_length=200, blank=True)
    expertise = models.CharField(max_length=200, blank=True)
    frequency = models.CharField("How often", max_length=200, blank=True)
    duration = models.CharField("For how long", max_length=200, blank=True)
    group_size = models.CharField("Group size or ratio", max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    responsible_body = models.CharField(max_length=200, blank=True)
    needs = models.ManyToManyField(Need, related_name="provisions", blank=True)
    outcomes = models.ManyToManyField(Outcome, related_name="provisions", blank=True)

    class Meta(PlanItem.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(section__in=list(PROVISION_SECTIONS)), name="provision_section"
            ),
            models.CheckConstraint(
                condition=Q(review_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(review_date__gte=models.F("start_date")),
                name="provision_review_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:60]


class Advice(PlanItem):
    """Advice or information gathered during the assessment, listed in section K."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="advice")
    source = models.CharField(max_length=200)
    author = models.CharField(max_length=200)
    date = models.DateField()

    class Meta(PlanItem.Meta):
        verbose_name_plural = "advice"

    def __str__(self) -> str:
        return f"{self.source} ({self.author})"


class PlanComment(models.Model):
    """A comment on a plan version, usually from the LA officer reading it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    author_role = models.CharField(max_length=16, choices=Role.choices)
    author_organisation = models.CharField(max_length=160)
    section = models.CharField(max_length=2, choices=SECTIONS, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PlanEvent(models.Model):
    """Something that happened to a plan: created, submitted, returned, finalised (append-only)."""

    class Action(models.TextChoices):
        CREATED = "created", "Plan started"
        SUBMITTED = "submitted", "Submitted to the LA"
        RETURNED = "returned", "Returned to the school"
        COMMENTED = "commented", "Comment added"
        FINALISED = "finalised", "Marked final"
        AMENDMENTS_STARTED = "amendments_started", "Proposed amendments started"
        AMENDMENTS_WITHDRAWN = "amendments_withdrawn", "Proposed amendments withdrawn"
        DATES_CHANGED = "dates_changed", "Dates changed"
        REVIEW_ARRANGED = "review_arranged", "Annual review meeting arranged"
        REVIEW_HELD = "review_held", "Annual review meeting held"
        REVIEW_REPORTED = "review_reported", "Annual review report sent"
        REVIEW_DECIDED = "review_decided", "LA decided after the annual review"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    version_number = models.PositiveSmallIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField(max_length=16, choices=Role.choices)
    action = models.CharField(max_length=24, choices=Action.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at}"


# --- The annual review ---------------------------------------------------------------------------------------


class AnnualReview(models.Model):
    """One annual review of a final plan, held by the school for the LA (CFA s44; Regs 18 to 22).

    The school arranges the meeting, invites people, circulates advice, records the meeting and sends the
    report; the LA then decides to keep, amend or cease the plan. LA staff see a review once the report
    is sent to them. Its dates feed ``ehcp.deadlines.ReviewDates``.
    """

    class Status(models.TextChoices):
        ARRANGED = "arranged", "Meeting arranged"
        INVITED = "invited", "Invitations sent"
        HELD = "held", "Meeting held"
        REPORT_SENT = "report_sent", "Report sent to the LA"
        DECIDED = "decided", "LA decided"

    class Decision(models.TextChoices):
        MAINTAIN = MAINTAIN, "Keep the plan as it is"
        AMEND = AMEND, "Amend the plan"
        CEASE = CEASE, "Stop maintaining the plan"

    HANDED = ["report_sent", "decided"]

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ARRANGED)
    cycle_started_on = models.DateField("Date the plan was made or last reviewed")
    meeting_on = models.DateField("Date of the review meeting")
    invitations_sent_on = models.DateField("Date the invitations were sent", null=True, blank=True)
    advice_requested_on = models.DateField("Date advice was asked for", null=True, blank=True)
    advice_circulated_on = models.DateField("Date advice was circulated", null=True, blank=True)
    child_views = models.TextField("The child's or young person's views", blank=True)
    parent_views = models.TextField("The parents' views", blank=True)
    changes_needed = models.TextField("What should change", blank=True)
    recommendation = models.CharField(
        "The school's recommendation", max_length=8, choices=Decision.choices, blank=True
    )
    amendments_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report_sent_on = models.DateField("Date the report was sent", null=True, blank=True)
    decision = models.CharField("The LA's decision", max_length=8, choices=Decision.choices, blank=True)
    decision_sent_on = models.DateField("Date the decision was sent to the family", null=True, blank=True)
    decision_sent_by = models.CharField(
        "How the decision was sent", max_length=12, choices=DELIVERY_METHODS, blank=True
    )
    decision_served_on = models.DateField("Date the family received the decision", null=True, blank=True)
    decision_reasons = models.TextField("The LA's reasons", blank=True)
    amended_plan_issued_on = models.DateField("Date the amended plan was issued", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy(handed_to_la=lambda: Q(status__in=AnnualReview.HANDED))

    class Meta:
        ordering = ["-meeting_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["arranged", "invited", "held", "report_sent", "decided"]),
                name="review_status_known",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=[MAINTAIN, AMEND, CEASE]),
                name="review_decision_known",
            ),
            models.CheckConstraint(
                condition=Q(recommendation="") | Q(recommendation__in=[MAINTAIN, AMEND, CEASE]),
                name="review_recommendation_known",
            ),
            models.CheckConstraint(
                condition=Q(decision_sent_by="") | Q(decision_sent_by__in=[m for m, _ in DELIVERY_METHODS]),
                name="review_decision_sent_by_known",
            ),
            # One review under way at a time; decided reviews are the plan's history.
            models.UniqueConstraint(
                fields=["plan"], condition=~Q(status="decided"), name="review_one_open_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(meeting_on__gte=models.F("cycle_started_on")), name="review_meeting_in_its_cycle"
            ),
            models.CheckConstraint(
                condition=Q(report_sent_on__isnull=True) | Q(report_sent_on__gte=models.F("meeting_on")),
                name="review_report_after_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["report_sent", "decided"]) | Q(report_sent_on__isnull=False),
                name="review_reported_has_date",
            ),
            models.CheckConstraint(
                condition=Q(decision_sent_on__isnull=True) | Q(decision_sent_on__gte=models.F("meeting_on")),
                name="review_decision_after_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | (~Q(decision="") & Q(decision_sent_on__isnull=False)),
                name="review_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(decision_served_on__isnull=True)
                | Q(decision_sent_on__isnull=False, decision_served_on__gte=models.F("decision_sent_on")),
                name="review_decision_served_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(amended_plan_issued_on__isnull=True)
                | Q(decision=AMEND, amended_plan_issued_on__gte=models.F("decision_sent_on")),
                name="review_amended_plan_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Annual review, meeting on {self.meeting_on:%d %B %Y}"

    @property
    def is_handed_to_la(self) -> bool:
        return self.status in self.HANDED

    @property
    def is_held(self) -> bool:
        return self.status in ("held", "report_sent", "decided")


class ReviewAttendee(models.Model):
    """Someone invited to an annual review meeting: the family, the school, and professionals (Regs 20(2))."""

    class Kind(models.TextChoices):
        CHILD = "child", "The child or young person"
        PARENT = "parent", "Parent or carer"
        SCHOOL = "school", "School staff"
        EDUCATION = "education", "Education professional, for example an educational psychologist"
        HEALTH = "health", "Health professional"
        SOCIAL_CARE = "social_care", "Social care"
        LA = "la", "Local authority officer"
        OTHER = "other", "Someone else"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=150)
    role = models.CharField("Role or relationship", max_length=150)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    email = models.EmailField(blank=True)
    advice_requested = models.BooleanField("Asked for advice", default=False)
    attended = models.BooleanField(default=False)

    tenancy = Tenancy(handed_to_la=lambda: Q(review__status__in=AnnualReview.HANDED))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "child",
                        "parent",
                        "school",
                        "education",
                        "health",
                        "social_care",
                        "la",
                        "other",
                    ]
                ),
                name="review_attendee_kind_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class OutcomeProgress(models.Model):
    """Progress towards one outcome of the plan, recorded at the annual review meeting (Regs 20(7))."""

    class Progress(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        ON_TRACK = "on_track", "On track"
        SOME = "some", "Some progress"
        NONE = "none", "No progress yet"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="+")
    progress = models.CharField(max_length=8, choices=Progress.choices)
    evidence = models.TextField("What shows it", blank=True)

    tenancy = Tenancy(handed_to_la=lambda: Q(review__status__in=AnnualReview.HANDED))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome"], name="review_progress_one_per_outcome"),
            models.CheckConstraint(
                condition=Q(progress__in=["achieved", "on_track", "some", "none"]),
                name="review_progress_known",
            ),
        ]

    def __str__(self) -> str:
        return self.get_progress_display()
