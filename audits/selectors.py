"""Reads for audits: task list, section pages, summaries, comparisons, LA lists. Fixed numbers of queries."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from audits import scoring
from audits.models import Action, Audit, AuditEvent, Evidence, GovernorReview, LAComment, Rating
from sendplan.models import Membership, School
from sendplan.policy import restrict, rule_for
from sendplan.tenancy import Rows
from standards.models import Framework, FrameworkVersion, ScaleLevel, Section


def scale_levels(audit: Audit) -> list[ScaleLevel]:
    """Return the levels of the audit's scale, lowest first (cached: a published version never changes)."""
    version = audit.framework_version
    key = f"audits:scale-levels:{version.public_id}"
    if version.status != FrameworkVersion.Status.DRAFT:
        cached = cache.get(key)
        if cached is not None:
            return [
                ScaleLevel(scale_id=version.scale_id, value=v, label=lb, descriptor=d) for v, lb, d in cached
            ]
    levels = list(ScaleLevel.objects.filter(scale_id=version.scale_id).order_by("value"))
    if version.status != FrameworkVersion.Status.DRAFT:
        cache.set(key, [(lv.value, lv.label, lv.descriptor) for lv in levels], 24 * 60 * 60)
    return levels


def scale_of(audit: Audit, levels: list[ScaleLevel] | None = None) -> scoring.Scale:
    """Return the audit's scale as the scoring rules need it: its levels and where a duty is met."""
    levels = levels if levels is not None else scale_levels(audit)
    return scoring.Scale(
        values=tuple(lv.value for lv in levels),
        met=audit.framework_version.scale.met_value,
        labels=tuple(lv.label for lv in levels),
    )


# The scoring rules of audits/scoring.py, in SQL, for counts across many audits. Each mirrors one function
# there (tests/audits/test_scoring_sql.py checks they agree on every combination).


def lowest_level_value(scale_id_ref: str) -> Subquery:
    """Return, in SQL, the lowest level of the scale whose id is at ``scale_id_ref`` (scoring.lowest_level)."""
    lowest = ScaleLevel.objects.filter(scale_id=OuterRef(scale_id_ref)).order_by("value").values("value")[:1]
    return Subquery(lowest)


def rated_q(prefix: str = "") -> Q:
    """Return, in SQL, scoring.is_rated: a level given in this audit (not to confirm, not n/a)."""
    return Q(
        **{f"{prefix}level__isnull": False, f"{prefix}to_confirm": False, f"{prefix}not_applicable": False}
    )


def answered_q(prefix: str = "") -> Q:
    """Return, in SQL, scoring.is_answered: rated, or rightly not applicable (never a statutory duty)."""
    rightly_na = Q(
        **{
            f"{prefix}not_applicable": True,
            f"{prefix}to_confirm": False,
            f"{prefix}criterion__statutory": False,
        }
    )
    return rated_q(prefix) | rightly_na


def duty_unmet_q(prefix: str, met: str) -> Q:
    """Return, in SQL, scoring.duty_unmet: a statutory criterion rated below the met level at ``met``."""
    return rated_q(prefix) & Q(**{f"{prefix}criterion__statutory": True, f"{prefix}level__lt": F(met)})


def duty_unrated_q(prefix: str = "") -> Q:
    """Return, in SQL, a statutory criterion that is not rated (scoring.duties' "unrated")."""
    return Q(**{f"{prefix}criterion__statutory": True}) & ~rated_q(prefix)


def _rating(row: dict) -> scoring.Score:
    return scoring.Score(
        criterion_ref=row["criterion__ref"],
        section_ref=row["criterion__section__ref"],
        value=row["level"],
        not_applicable=row["not_applicable"],
        statutory=row["criterion__statutory"],
        to_confirm=row["to_confirm"],
    )


RATING_FIELDS = (
    "level",
    "not_applicable",
    "to_confirm",
    "criterion_id",
    "criterion__ref",
    "criterion__statement",
    "criterion__statutory",
    "criterion__statutory_guidance",
    "criterion__section_id",
    "criterion__section__ref",
    "criterion__section__title",
)


def rating_rows(audit: Audit) -> list[dict]:
    """Return one row per criterion of the audit (one query), in the framework's order."""
    return list(Rating.objects.filter(audit=audit).order_by("criterion__position").values(*RATING_FIELDS))


@dataclass
class SectionProgress:
    section: Section
    total: int
    answered: int
    to_confirm: int
    comments: int = 0
    status: str = "not_started"
    rationale_needed: int = 0

    @property
    def status_label(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress", "completed": "Completed"}[
            self.status
        ]


def task_list(audit: Audit) -> list[SectionProgress]:
    """Return each section with criteria, its counts and its progress (two queries)."""
    counts = {
        row["criterion__section_id"]: row
        for row in Rating.objects.filter(audit=audit)
        .values("criterion__section_id")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=answered_q()),
            to_confirm=Count("pk", filter=Q(to_confirm=True)),
            rationale_needed=Count(
                "pk",
                filter=Rating.rationale_needed_q(lowest_level_value("audit__framework_version__scale_id")),
            ),
        )
    }
    comments = dict(
        LAComment.objects.filter(audit=audit, criterion__isnull=False)
        .values("criterion__section_id")
        .annotate(n=Count("pk"))
        .values_list("criterion__section_id", "n")
    )
    result = []
    for section in Section.objects.filter(version_id=audit.framework_version_id).order_by("position"):
        row = counts.get(section.pk)
        if row is None:
            continue
        item = SectionProgress(
            section=section,
            total=row["total"],
            answered=row["answered"],
            to_confirm=row["to_confirm"],
            comments=comments.get(section.pk, 0),
            rationale_needed=row["rationale_needed"],
        )
        if item.answered == item.total and not item.to_confirm and not item.rationale_needed:
            item.status = "completed"
        elif item.answered or item.to_confirm:
            item.status = "in_progress"
        result.append(item)
    return result


def visible_evidence(membership: Membership) -> QuerySet[Evidence]:
    """Return the evidence this membership may see at all: the one rule for pages, history, exports, reports.

    School staff see all their school's evidence; governors what is shared with them and the evidence of
    audits the board rates; LA staff what an audit handed to them uses.
    """
    return restrict(Evidence.objects.all(), membership, "evidence_view")


def section_ratings(audit: Audit, section: Section, membership: Membership) -> list[Rating]:
    """Return the ratings of one section with criterion, visible evidence and LA comments (three queries)."""
    evidence = visible_evidence(membership).order_by("title")
    return list(
        Rating.objects.filter(audit=audit, criterion__section=section)
        .select_related("criterion__section", "updated_by")
        .prefetch_related(
            Prefetch("evidence", queryset=evidence),
            Prefetch(
                "criterion__la_comments",
                queryset=LAComment.objects.filter(audit=audit).select_related("author"),
                to_attr="audit_comments",
            ),
        )
        .order_by("criterion__position")
    )


def rating_for(audit: Audit, criterion_ref: str) -> Rating:
    """Return the audit's response to one criterion (by its ref), or raise 404."""
    response = (
        Rating.objects.filter(audit=audit, criterion__ref=criterion_ref)
        .select_related("criterion__section", "updated_by")
        .first()
    )
    if response is None:
        raise Http404
    return response


def section_ratings_holding(audit: Audit, criterion_ref: str) -> list[Rating]:
    """Return the ratings of the section that holds a criterion (by its ref), in order (one query)."""
    return list(
        Rating.objects.filter(audit=audit, criterion__section__criteria__ref=criterion_ref)
        .select_related("criterion__section", "updated_by")
        .order_by("criterion__position")
    )


def _row_of(rating: Rating) -> dict:
    """Return a rating already in memory as a rating_rows() row, following each field's path."""
    row = {}
    for name in RATING_FIELDS:
        value = rating
        for part in name.split("__"):
            value = getattr(value, part)
        row[name] = value
    return row


def section_level_of(
    audit: Audit, ratings: list[Rating], levels: list[ScaleLevel]
) -> tuple[scoring.LevelResult, str]:
    """Return the level of one section, and its label, from its ratings in memory (as audit_summary does)."""
    scale = scale_of(audit, levels)
    ref = ratings[0].criterion.section.ref if ratings else ""
    result = scoring.section_levels([_rating(_row_of(r)) for r in ratings], scale).get(
        ref, scoring.LevelResult(value=None, mean=None, rated=0, total=0)
    )
    return result, level_text(result, scale)


def _count_of(queryset: QuerySet) -> Coalesce:
    return Coalesce(Subquery(queryset.values("n")[:1]), 0)


def rate_rows(audit: Audit, membership: Membership) -> list[dict]:
    """Return one row per criterion for the whole-audit view, with its counts, in order (one query).

    Evidence counts only what the membership may see (visible_evidence).
    """
    evidence = (
        Rating.evidence.through.objects.filter(
            rating_id=OuterRef("pk"), evidence__in=visible_evidence(membership)
        )
        .values("rating_id")
        .annotate(n=Count("pk"))
    )
    actions = (
        Action.objects.filter(audit=audit, criterion_id=OuterRef("criterion_id"))
        .values("criterion_id")
        .annotate(n=Count("pk"))
    )
    comments = (
        LAComment.objects.filter(audit=audit, criterion_id=OuterRef("criterion_id"))
        .values("criterion_id")
        .annotate(n=Count("pk"))
    )
    return list(
        Rating.objects.filter(audit=audit)
        .annotate(
            evidence_count=_count_of(evidence),
            action_count=_count_of(actions),
            comment_count=_count_of(comments),
        )
        .order_by("criterion__position")
        .values(
            *RATING_FIELDS,
            "na_reason",
            "rationale",
            "version",
            "evidence_count",
            "action_count",
            "comment_count",
        )
    )


def rationale_needed_rows(audit: Audit, levels: list[ScaleLevel]) -> list[dict]:
    """Return the criteria rated above the lowest level without a rationale, in order (one query)."""
    return list(
        Rating.objects.filter(audit=audit)
        .filter(Rating.rationale_needed_q(scoring.lowest_level([lv.value for lv in levels])))
        .order_by("criterion__position")
        .values("criterion__ref", "criterion__statement", "criterion__section__ref")
    )


@dataclass
class Summary:
    """Where a school stands: every figure the summary, check and governor pages show, from one place."""

    levels: list[ScaleLevel]
    labels: dict[int, str]
    scale: scoring.Scale
    overall: scoring.LevelResult
    sections: list[dict]
    priorities: list[dict]
    strengths: list[dict]
    rows: list[dict] = field(default_factory=list)

    @property
    def duties(self) -> scoring.Duties:
        return self.overall.duties

    @property
    def answered(self) -> int:
        """Return how many criteria need nothing more: rated, or rightly not applicable."""
        return sum(1 for row in self.rows if row["answered"])

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def to_confirm(self) -> int:
        return sum(1 for row in self.rows if row["to_confirm"])

    @property
    def outstanding(self) -> int:
        """Return how many criteria are not rated yet, counting those still to confirm."""
        return self.total - self.answered

    @property
    def unrated(self) -> list[dict]:
        """Return the criteria with no answer in this audit, leaving out those still to confirm."""
        return [row for row in self.rows if not row["answered"] and not row["to_confirm"]]

    @property
    def unconfirmed(self) -> list[dict]:
        return [row for row in self.rows if row["to_confirm"]]

    @property
    def duties_unmet(self) -> list[dict]:
        return [row for row in self.rows if row["duty_unmet"]]

    @property
    def duties_unrated(self) -> list[dict]:
        return [row for row in self.rows if row["criterion__statutory"] and not row["rated"]]

    @property
    def met_label(self) -> str:
        return self.scale.label(self.scale.met)

    @property
    def cap_label(self) -> str:
        """Return the label of the level a duty below the met level caps a section at ("Emerging")."""
        return self.scale.label(self.scale.cap)

    @property
    def overall_label(self) -> str:
        return level_text(self.overall, self.scale)


def level_text(result: scoring.LevelResult, scale: scoring.Scale) -> str:
    """Return a level's label, or "No level yet" when there is none (nothing rated, or withheld)."""
    return scale.label(result.value) if result.value is not None else "No level yet"


def audit_summary(audit: Audit, levels: list[ScaleLevel] | None = None) -> Summary:
    """Return where the school stands: a level per section and overall, duties, priorities and strengths."""
    levels = levels if levels is not None else scale_levels(audit)
    scale = scale_of(audit, levels)
    rows = rating_rows(audit)
    ratings = []
    for row in rows:
        rating = _rating(row)
        row["rated"] = scoring.is_rated(rating)
        row["answered"] = scoring.is_answered(rating)
        row["duty_unmet"] = scoring.duty_unmet(rating, scale)
        row["level_label"] = scale.label(row["level"]) if row["rated"] else ""
        ratings.append(rating)
    by_ref = {row["criterion__ref"]: row for row in rows}
    per_section = scoring.section_levels(ratings, scale)
    sections = []
    seen = set()
    for row in rows:
        ref = row["criterion__section__ref"]
        if ref in seen:
            continue
        seen.add(ref)
        result = per_section[ref]
        sections.append(
            {
                "ref": ref,
                "title": row["criterion__section__title"],
                "level": result,
                "label": level_text(result, scale),
            }
        )
    return Summary(
        levels=levels,
        labels={lv.value: lv.label for lv in levels},
        scale=scale,
        overall=scoring.overall_level(ratings, scale),
        sections=sections,
        priorities=[by_ref[r.criterion_ref] for r in scoring.priorities(ratings, scale)],
        strengths=[by_ref[r.criterion_ref] for r in scoring.strengths(ratings, scale)],
        rows=rows,
    )


def level_label(levels: list[ScaleLevel], result: scoring.LevelResult) -> str:
    """Return a level's label, or "No level yet" (kept for callers that hold levels, not a Scale)."""
    return next((lv.label for lv in levels if lv.value == result.value), "No level yet")


def latest_submitted_section_levels(*, school: School, areas_of_need: list[str]) -> list[dict]:
    """Return, for the school's latest submitted or accepted audit, the level of each area-of-need section.

    One dict per section whose ``area_of_need`` is in the list:
    ``{"audit": audit, "section": section, "level": LevelResult, "level_label": str}``; empty if none.
    """
    audit = (
        Audit.objects.filter(school=school, submitted_at__isnull=False)
        .filter(status__in=[Audit.Status.SUBMITTED, Audit.Status.ACCEPTED])
        .select_related("framework_version__framework", "framework_version__scale")
        .order_by("-submitted_at")
        .first()
    )
    if audit is None or not areas_of_need:
        return []
    levels = scale_levels(audit)
    scale = scale_of(audit, levels)
    sections = list(
        Section.objects.filter(
            version_id=audit.framework_version_id, area_of_need__in=areas_of_need
        ).order_by("position")
    )
    if not sections:
        return []
    rows = list(Rating.objects.filter(audit=audit, criterion__section__in=sections).values(*RATING_FIELDS))
    result = []
    for section in sections:
        ratings = [_rating(row) for row in rows if row["criterion__section_id"] == section.pk]
        level = scoring.overall_level(ratings, scale)
        result.append(
            {"audit": audit, "section": section, "level": level, "level_label": level_text(level, scale)}
        )
    return result


# --- lists -------------------------------------------------------------------------------------------


def school_audits(membership: Membership) -> QuerySet[Audit]:
    """Return the school's audits with their progress counted in SQL."""
    return (
        restrict(Audit.objects.all(), membership, "audit_list")
        .select_related("framework_version__framework", "framework")
        .annotate(
            total=Count("ratings", distinct=True),
            answered=Count("ratings", filter=answered_q("ratings__"), distinct=True),
            to_confirm=Count("ratings", filter=Q(ratings__to_confirm=True), distinct=True),
        )
        .order_by("-created_at")
    )


def current_audit(membership: Membership) -> Audit | None:
    """Return the school's most recent audit rated by staff that is not yet accepted, else the latest one."""
    audits = list(school_audits(membership).filter(framework__rated_by=Framework.RatedBy.SCHOOL_STAFF)[:10])
    return next((a for a in audits if a.status != Audit.Status.ACCEPTED), audits[0] if audits else None)


def la_audits(membership: Membership) -> QuerySet[Audit]:
    """Return the LA's submitted, returned and accepted audits, waiting ones first, with their duties.

    The duties come from the audit's overall row in the level summary table (``audits/levels.py``), kept
    by the scoring rules: one join, whatever the number of ratings.
    """
    comments = LAComment.objects.filter(audit=OuterRef("pk")).order_by().values("audit")
    return (
        restrict(Audit.objects.all(), membership, "audit_view")
        .select_related("school", "framework_version__framework")
        .annotate(
            overall=FilteredRelation("levels", condition=Q(levels__section__isnull=True)),
            duties_total=Coalesce(F("overall__duties_total"), 0),
            duties_unmet=Coalesce(F("overall__duties_unmet"), 0),
            duties_unrated=Coalesce(F("overall__duties_unrated"), 0),
            comment_count=Coalesce(Subquery(comments.annotate(n=Count("pk")).values("n")), 0),
            waiting=Case(When(status=Audit.Status.SUBMITTED, then=0), default=1),
        )
        .order_by("waiting", "-submitted_at")  # awaiting a decision first, then the most recent
    )


def annotated_duties(audit: Audit) -> scoring.Duties:
    """Return the statutory duties counted in SQL on an audit from la_audits."""
    met = audit.duties_total - audit.duties_unmet - audit.duties_unrated
    return scoring.Duties(
        total=audit.duties_total, met=met, unmet=audit.duties_unmet, unrated=audit.duties_unrated
    )


def la_counts(membership: Membership) -> dict[str, int]:
    """Return how many of the LA's audits are waiting, returned and accepted (one query)."""
    return restrict(Audit.objects.all(), membership, "audit_view").aggregate(
        waiting=Count("pk", filter=Q(status=Audit.Status.SUBMITTED)),
        returned=Count("pk", filter=Q(status=Audit.Status.RETURNED)),
        accepted=Count("pk", filter=Q(status=Audit.Status.ACCEPTED)),
    )


def audit_history(audit: Audit, membership: Membership, limit: int = 1000) -> list[AuditEvent]:
    """Return the audit's events, newest first, with the titles of evidence the membership may not see hidden."""
    events = list(
        AuditEvent.objects.filter(audit=audit)
        .select_related("actor", "criterion")
        .order_by("-at", "-pk")[:limit]
    )
    kinds = (AuditEvent.Kind.EVIDENCE_ADDED, AuditEvent.Kind.EVIDENCE_REMOVED)
    if any(e.kind in kinds for e in events):
        seen = {str(e.public_id) for e in audit_evidence(audit, membership)}
        removed = {
            e.detail.get("evidence"): e.detail for e in events if e.kind == AuditEvent.Kind.EVIDENCE_REMOVED
        }
        for event in events:
            evidence_id = event.detail.get("evidence")
            if event.kind not in kinds or evidence_id in seen:
                continue
            if evidence_id in removed and _could_see_removed(membership, audit, removed[evidence_id]):
                continue
            event.detail = {"title": HIDDEN_EVIDENCE}
    return events


def _could_see_removed(membership: Membership, audit: Audit, detail: dict) -> bool:
    """Return True if the membership could see a piece of evidence before it was removed.

    The rows are gone, so this reads the same rule as Evidence.tenancy from what the removal recorded.
    """
    rows = rule_for("evidence_view").rows_for(membership.role)
    if audit.school_id != membership.school_id:
        return False  # the LA reads only evidence handed to it, which can no longer be removed
    return (
        Rows.OWN in rows
        or (Rows.SHARED_WITH_GOVERNORS in rows and bool(detail.get("shareable_with_governors")))
        or (Rows.RATED_BY_GOVERNORS in rows and audit.framework.rated_by == Framework.RatedBy.GOVERNORS)
    )


HIDDEN_EVIDENCE = "Evidence not shared with you"


def audit_actions(audit: Audit) -> list[Action]:
    return list(Action.objects.filter(audit=audit).select_related("criterion").order_by("due", "created_at"))


def action_progress(actions: list[Action]) -> dict[str, int]:
    from django.utils import timezone

    today = timezone.localdate()
    return {
        "total": len(actions),
        "done": sum(1 for a in actions if a.status == Action.Status.DONE),
        "in_progress": sum(1 for a in actions if a.status == Action.Status.IN_PROGRESS),
        "overdue": sum(1 for a in actions if a.is_overdue(today)),
    }


def audit_evidence(audit: Audit, membership: Membership) -> list[Evidence]:
    """Return the evidence linked to the audit's criteria or added in it that the membership may see."""
    linked = Rating.evidence.through.objects.filter(rating__audit=audit, evidence_id=OuterRef("pk"))
    qs = (
        visible_evidence(membership).filter(Q(audit=audit) | Exists(linked)).filter(school_id=audit.school_id)
    )
    return list(
        qs.select_related("uploaded_by")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.filter(audit=audit).select_related("criterion"),
                to_attr="audit_ratings",
            )
        )
        .order_by("title")
    )


def evidence_for(audit: Audit, evidence_id, membership: Membership) -> Evidence:
    """Return a piece of the audit's evidence the membership may see, by public id, or raise 404."""
    for evidence in audit_evidence(audit, membership):
        if str(evidence.public_id) == str(evidence_id):
            return evidence
    raise Http404


def overall_comments(audit: Audit) -> list[LAComment]:
    return list(LAComment.objects.filter(audit=audit, criterion__isnull=True).select_related("author"))


def outcome_comments(audit: Audit) -> list[LAComment]:
    """Return the LA's comments on the whole audit that belong with where it stands now.

    While it is with the LA or back with the school: those made since it was last submitted (a return's
    reasons among them). Once accepted: only the comment given with the acceptance, never the reasons of
    an earlier return.
    """
    comments = LAComment.objects.filter(audit=audit, criterion__isnull=True).select_related("author")
    if audit.status == Audit.Status.ACCEPTED:
        return list(comments.filter(at__gte=audit.decided_at)) if audit.decided_at else []
    if audit.submitted_at:
        comments = comments.filter(at__gte=audit.submitted_at)
    return list(comments)


def governor_reviews(audit: Audit) -> list[GovernorReview]:
    return list(GovernorReview.objects.filter(audit=audit).select_related("recorded_by"))


def latest_board_review(membership: Membership) -> GovernorReview | None:
    """Return the governing board's most recent review of any of the school's audits, with its audit."""
    audits = restrict(Audit.objects.all(), membership, "audit_view")
    return (
        GovernorReview.objects.filter(audit__in=audits)
        .select_related("audit__framework_version__framework", "recorded_by")
        .order_by("-reviewed_on", "-recorded_at")
        .first()
    )


def compare_audits(first: Audit, second: Audit) -> dict:
    """Return the change per section and per criterion (by ref) from ``first`` to ``second``."""
    a, b = audit_summary(first), audit_summary(second)
    rows_a = {row["criterion__ref"]: row for row in a.rows}
    rows_b = {row["criterion__ref"]: row for row in b.rows}
    criteria = []
    for ref in list(rows_b) + [ref for ref in rows_a if ref not in rows_b]:
        old, new = rows_a.get(ref), rows_b.get(ref)
        old_value = old["level"] if old else None
        new_value = new["level"] if new else None
        change = None
        if old_value is not None and new_value is not None:
            change = new_value - old_value
        criteria.append(
            {
                "ref": ref,
                "statement": (new or old)["criterion__statement"],
                "section": (new or old)["criterion__section__title"],
                "old": _row_label(old, a.labels),
                "new": _row_label(new, b.labels),
                "change": change,
            }
        )
    sections_a = {s["ref"]: s for s in a.sections}
    sections = []
    for s in b.sections + [s for s in a.sections if s["ref"] not in {x["ref"] for x in b.sections}]:
        old = sections_a.get(s["ref"])
        new = next((x for x in b.sections if x["ref"] == s["ref"]), None)
        change = None
        if old and new and old["level"].value is not None and new["level"].value is not None:
            change = new["level"].value - old["level"].value
        sections.append(
            {
                "ref": s["ref"],
                "title": s["title"],
                "old": old["label"] if old else "Not in this audit",
                "new": new["label"] if new else "Not in this audit",
                "change": change,
            }
        )
    return {
        "sections": sections,
        "criteria": criteria,
        "overall": (a.overall, b.overall, a.labels, b.labels),
    }


def _row_label(row: dict | None, labels: dict[int, str]) -> str:
    if row is None:
        return "Not in this audit"
    if row["not_applicable"]:
        return "Not applicable"
    if row["level"] is None:
        return "Not rated"
    return labels.get(row["level"], str(row["level"]))


def startable_versions(school: School, membership: Membership | None = None) -> QuerySet[FrameworkVersion]:
    """Return the published versions a school may audit: national and sendplan ones, and its own LA's.

    With a membership, only those its role may start: a governor, the frameworks the board rates.
    """
    versions = (
        FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED)
        .filter(
            Q(framework__local_authority__isnull=True) | Q(framework__local_authority=school.local_authority)
        )
        .select_related("framework")
        .order_by("framework__title", "-published_on")
    )
    if membership is not None:
        rows = rule_for("audit_start").rows_for(membership.role)
        if Rows.OWN not in rows:
            board_rates = Rows.RATED_BY_GOVERNORS in rows
            versions = (
                versions.filter(framework__rated_by=Framework.RatedBy.GOVERNORS)
                if board_rates
                else versions.none()
            )
    return versions


def carry_forward_candidates(membership: Membership, limit: int = 5) -> list[Audit]:
    """Return the school's most recent accepted audits, which a new audit may start from."""
    return list(
        restrict(Audit.objects.all(), membership, "audit_start")
        .filter(status=Audit.Status.ACCEPTED)
        .select_related("framework_version__framework")
        .order_by("-submitted_at")[:limit]
    )


# --- what needs doing (notifications' to-do list and reminders) ---------------------------------------


def ratings_needing_rationale(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    """Return the ratings that still need a rationale: rated above the scale's lowest level, with none given.

    The rule is scoring.needs_rationale; this is its SQL form (Rating.rationale_needed_q) for many audits.
    """
    return ratings.filter(Rating.rationale_needed_q(lowest_level_value("audit__framework_version__scale_id")))


def actions_past_due(today, *, since=None) -> QuerySet[Action]:
    """Return unfinished actions whose due date is before ``today`` (and on or after ``since``, if given).

    An action carried into a newer audit is finished there, so only the latest copy counts, and an audit
    carried forward hands all its actions on.
    """
    actions = Action.objects.exclude(status=Action.Status.DONE).filter(
        due__lt=today, carried_to__isnull=True, audit__carried_to__isnull=True
    )
    return actions.filter(due__gte=since) if since is not None else actions


def returned_comment_refs(audits: list[Audit]) -> dict[int, list[str]]:
    """Return, for each returned audit, the refs of the criteria the LA commented on, in framework order."""
    refs: dict[int, list[str]] = {audit.pk: [] for audit in audits}
    rows = (
        LAComment.objects.filter(audit__in=audits, criterion__isnull=False)
        .values_list("audit_id", "criterion__ref", "criterion__position")
        .distinct()
        .order_by("audit_id", "criterion__position")
    )
    for audit_id, ref, _ in rows:
        refs[audit_id].append(ref)
    return refs


def audits_awaiting_board_review(audits: QuerySet[Audit]) -> list[Audit]:
    """Return, of these audits, each framework's latest one handed to the LA that the board has not reviewed."""
    latest: dict[int, Audit] = {}
    for audit in (
        audits.filter(status__in=Audit.LA_VISIBLE)
        .annotate(reviewed=Exists(GovernorReview.objects.filter(audit=OuterRef("pk"))))
        .select_related("framework_version__framework")
        .order_by("framework_id", "-submitted_at")
    ):
        latest.setdefault(audit.framework_id, audit)
    return [audit for audit in latest.values() if not audit.reviewed]
