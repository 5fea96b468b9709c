"""Reads for audits: task list, section pages, summaries, comparisons, LA lists. Fixed numbers of queries."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404

from audits import scoring
from audits.models import Action, Audit, AuditEvent, Evidence, GovernorReview, LAComment, Rating
from sendplan.models import LocalAuthority, Membership, School
from sendplan.policy import restrict
from standards.models import FrameworkVersion, ScaleLevel, Section


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


def lowest_level_value(scale_id_ref: str) -> Subquery:
    """Return, in SQL, the lowest level of the scale whose id is at ``scale_id_ref`` (scoring.lowest_level).

    A statutory gap is a statutory criterion at this level; comparing with it rather than 0 keeps the LA's
    counts right on a scale that starts at 1.
    """
    lowest = ScaleLevel.objects.filter(scale_id=OuterRef(scale_id_ref)).order_by("value").values("value")[:1]
    return Subquery(lowest)


def _rating(row: dict) -> scoring.Score:
    return scoring.Score(
        criterion_ref=row["criterion__ref"],
        section_ref=row["criterion__section__ref"],
        value=row["level"],
        not_applicable=row["not_applicable"],
        statutory=row["criterion__statutory"],
    )


RATING_FIELDS = (
    "level",
    "not_applicable",
    "to_confirm",
    "criterion_id",
    "criterion__ref",
    "criterion__statement",
    "criterion__statutory",
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
            answered=Count("pk", filter=Q(level__isnull=False) | Q(not_applicable=True)),
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

    School staff see all their school's evidence; governors only what is shared with them; LA staff what
    an audit handed to them uses.
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


def section_level_of(ratings: list[Rating], levels: list[ScaleLevel]) -> tuple[scoring.LevelResult, str]:
    """Return the level of one section, and its label, from its ratings in memory (as audit_summary does)."""
    values, label_list = [lv.value for lv in levels], [lv.label for lv in levels]
    ref = ratings[0].criterion.section.ref if ratings else ""
    result = scoring.section_levels([_rating(_row_of(r)) for r in ratings], values, labels=label_list).get(
        ref, scoring.LevelResult(value=None, mean=None, rated=0, total=0, capped=False, cap_reason=None)
    )
    return result, level_label(levels, result)


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
    levels: list[ScaleLevel]
    labels: dict[int, str]
    overall: scoring.LevelResult
    sections: list[dict]
    priorities: list[dict]
    strengths: list[dict]
    unrated: int
    statutory_gaps: list[dict]
    rows: list[dict] = field(default_factory=list)

    @property
    def lowest_label(self) -> str:
        """Return the label of the scale's lowest level ("Not yet in place" on the shipped scale)."""
        return self.labels.get(scoring.lowest_level(list(self.labels)), "")

    @property
    def cap_label(self) -> str:
        """Return the label of the level a statutory gap caps a section at ("Emerging")."""
        return self.labels.get(scoring.cap_level(list(self.labels)), "")


def audit_summary(audit: Audit, levels: list[ScaleLevel] | None = None) -> Summary:
    """Return where the school stands: a level per section and overall, priorities and strengths."""
    levels = levels if levels is not None else scale_levels(audit)
    values = [lv.value for lv in levels]
    labels = {lv.value: lv.label for lv in levels}
    label_list = [lv.label for lv in levels]
    rows = rating_rows(audit)
    for row in rows:
        row["statutory_gap"] = scoring.is_statutory_gap(
            statutory=row["criterion__statutory"], value=row["level"], levels=values
        )
    ratings = [_rating(row) for row in rows]
    by_ref = {row["criterion__ref"]: row for row in rows}
    per_section = scoring.section_levels(ratings, values, labels=label_list)
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
                "label": labels.get(result.value, "No level yet")
                if result.value is not None
                else "No level yet",
            }
        )
    return Summary(
        levels=levels,
        labels=labels,
        overall=scoring.overall_level(ratings, values, labels=label_list),
        sections=sections,
        priorities=[by_ref[r.criterion_ref] for r in scoring.priorities(ratings, values)],
        strengths=[by_ref[r.criterion_ref] for r in scoring.strengths(ratings, values)],
        unrated=sum(1 for row in rows if row["level"] is None and not row["not_applicable"]),
        statutory_gaps=[row for row in rows if row["statutory_gap"]],
        rows=rows,
    )


def level_label(levels: list[ScaleLevel], result: scoring.LevelResult) -> str:
    return next((lv.label for lv in levels if lv.value == result.value), "No level yet")


def latest_submitted_section_levels(*, school: School, areas_of_need: list[str]) -> list[dict]:
    """Return, for the school's latest submitted or accepted audit, the level of each area-of-need section.

    One dict per section whose ``area_of_need`` is in the list:
    ``{"audit": audit, "section": section, "level": LevelResult, "level_label": str}``; empty if none.
    """
    audit = (
        Audit.objects.filter(school=school, submitted_at__isnull=False)
        .filter(status__in=[Audit.Status.SUBMITTED, Audit.Status.ACCEPTED])
        .select_related("framework_version__framework")
        .order_by("-submitted_at")
        .first()
    )
    if audit is None or not areas_of_need:
        return []
    levels = scale_levels(audit)
    values, label_list = [lv.value for lv in levels], [lv.label for lv in levels]
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
        level = scoring.overall_level(ratings, values, labels=label_list)
        result.append(
            {"audit": audit, "section": section, "level": level, "level_label": level_label(levels, level)}
        )
    return result


# --- lists -------------------------------------------------------------------------------------------


def school_audits(membership: Membership) -> QuerySet[Audit]:
    """Return the school's audits with their progress counted in SQL."""
    return (
        restrict(Audit.objects.all(), membership, "audit_list")
        .select_related("framework_version__framework")
        .annotate(
            total=Count("ratings", distinct=True),
            answered=Count(
                "ratings",
                filter=Q(ratings__level__isnull=False) | Q(ratings__not_applicable=True),
                distinct=True,
            ),
        )
        .order_by("-created_at")
    )


def current_audit(membership: Membership) -> Audit | None:
    """Return the school's most recent audit that is not yet accepted, else the latest one."""
    audits = list(school_audits(membership)[:10])
    return next((a for a in audits if a.status != Audit.Status.ACCEPTED), audits[0] if audits else None)


def la_audits(membership: Membership) -> QuerySet[Audit]:
    """Return the LA's submitted, returned and accepted audits, with counts worked out in SQL."""
    return (
        restrict(Audit.objects.all(), membership, "audit_view")
        .select_related("school", "framework_version__framework")
        .annotate(
            total=Count("ratings", distinct=True),
            statutory_gaps=Count(
                "ratings",
                filter=Q(
                    ratings__level=lowest_level_value("framework_version__scale_id"),
                    ratings__criterion__statutory=True,
                ),
                distinct=True,
            ),
            comment_count=Count("la_comments", distinct=True),
            average=Avg("ratings__level"),
        )
        .annotate(waiting=Case(When(status=Audit.Status.SUBMITTED, then=0), default=1))
        .order_by("waiting", "-submitted_at")  # awaiting a decision first, then the most recent
    )


def la_counts(membership: Membership) -> dict[str, int]:
    """Return how many of the LA's audits are waiting, returned and accepted (one query)."""
    return restrict(Audit.objects.all(), membership, "audit_view").aggregate(
        waiting=Count("pk", filter=Q(status=Audit.Status.SUBMITTED)),
        returned=Count("pk", filter=Q(status=Audit.Status.RETURNED)),
        accepted=Count("pk", filter=Q(status=Audit.Status.ACCEPTED)),
    )


def la_weakest_criteria(local_authority: LocalAuthority, limit: int = 20) -> list[dict]:
    """Return the criteria with the lowest average level across the LA's latest submitted/accepted audits."""
    latest = Audit.objects.filter(
        school_id=OuterRef("school_id"),
        framework_id=OuterRef("framework_id"),
        status__in=[Audit.Status.SUBMITTED, Audit.Status.ACCEPTED],
    ).order_by("-submitted_at")
    audits = Audit.objects.filter(
        school__local_authority=local_authority,
        status__in=[Audit.Status.SUBMITTED, Audit.Status.ACCEPTED],
        pk=Subquery(latest.values("pk")[:1]),
    )
    return list(
        Rating.objects.filter(audit__in=audits, level__isnull=False)
        .values(
            "criterion_id",
            "criterion__ref",
            "criterion__statement",
            "criterion__statutory",
            "criterion__section__title",
            "criterion__version__framework__title",
            "criterion__version__label",
        )
        .annotate(
            average=Avg("level"),
            schools=Count("audit__school_id", distinct=True),
            not_in_place=Count(
                "pk", filter=Q(level=lowest_level_value("audit__framework_version__scale_id"))
            ),
        )
        .order_by("average", "-schools", "criterion__ref")[:limit]
    )


def audit_history(audit: Audit, membership: Membership, limit: int = 1000) -> list[AuditEvent]:
    """Return the audit's events, newest first, with the titles of evidence the membership may not see hidden."""
    events = list(
        AuditEvent.objects.filter(audit=audit)
        .select_related("actor", "criterion")
        .order_by("-at", "-pk")[:limit]
    )
    if any(e.kind == AuditEvent.Kind.EVIDENCE_ADDED for e in events):
        seen = {str(e.public_id) for e in audit_evidence(audit, membership)}
        for event in events:
            if event.kind == AuditEvent.Kind.EVIDENCE_ADDED and event.detail.get("evidence") not in seen:
                event.detail = {"title": HIDDEN_EVIDENCE}
    return events


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


def governor_reviews(audit: Audit) -> list[GovernorReview]:
    return list(GovernorReview.objects.filter(audit=audit).select_related("recorded_by"))


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


def startable_versions(school: School) -> QuerySet[FrameworkVersion]:
    """Return the published versions a school may audit: national and sendplan ones, and its own LA's."""
    return (
        FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED)
        .filter(
            Q(framework__local_authority__isnull=True) | Q(framework__local_authority=school.local_authority)
        )
        .select_related("framework")
        .order_by("framework__title", "-published_on")
    )


def carry_forward_candidates(membership: Membership, limit: int = 5) -> list[Audit]:
    """Return the school's most recent accepted audits, which a new audit may start from."""
    return list(
        restrict(Audit.objects.all(), membership, "audit_start")
        .filter(status=Audit.Status.ACCEPTED)
        .select_related("framework_version__framework")
        .order_by("-submitted_at")[:limit]
    )
