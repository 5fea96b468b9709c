"""Reads for the SEN register, plans, deadlines, the quality checker, version comparison and exports."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from audits.selectors import latest_submitted_section_levels
from ehcp import deadlines, quality
from ehcp.census import AREA_OF_NEED, AREAS_OF_NEED, NEED_CODES
from ehcp.models import (
    PROVISION_SECTIONS,
    SECTION_TITLES,
    SECTIONS,
    Need,
    Outcome,
    Plan,
    PlanComment,
    PlanVersion,
    Provision,
    Pupil,
    SupportCycle,
    VersionStatus,
)
from ehcp.services import TEXT_SECTIONS
from sendplan.models import AccessEvent, LocalAuthority, Membership, School

STATUS_TAGS = {
    "on_track": ("On track", "blue"),
    "due_soon": ("Due soon", "yellow"),
    "overdue": ("Overdue", "red"),
    "done": ("Done", "green"),
    "done_late": ("Done late", "orange"),
}


# --- the register ----------------------------------------------------------------------------------------


def register_pupils(
    membership: Membership, *, need: str = "", provision: str = "", year: str = ""
) -> QuerySet[Pupil]:
    """Return the school's pupils, filtered, each with their plans (latest first) in one extra query."""
    pupils = Pupil.objects.for_membership(membership)
    if need:
        pupils = pupils.filter(Q(primary_need=need) | Q(secondary_need=need))
    if provision:
        pupils = pupils.filter(sen_provision=provision)
    if year:
        pupils = pupils.filter(year_group=year)
    return pupils.prefetch_related(Prefetch("plans", queryset=Plan.objects.order_by("-created_at"))).order_by(
        "last_name", "first_name", "pk"
    )


# --- deadlines -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    key: str
    label: str
    due: date
    source: str
    status: str
    done_on: date | None = None

    @property
    def tag(self) -> tuple[str, str]:
        return STATUS_TAGS[self.status]

    @property
    def outstanding(self) -> bool:
        return self.status in {"on_track", "due_soon", "overdue"}


def plan_deadlines(plan: Plan, *, today: date | None = None) -> list[DeadlineRow]:
    """Return the statutory deadlines that apply to the plan now, earliest first, with their status."""
    today = today or timezone.localdate()
    rows: list[DeadlineRow] = []
    done_by_key: dict[str, date | None] = {}
    implied_done: set[str] = set()
    if plan.final_issued_on is None:
        steps = deadlines.assessment_timeline(
            plan.requested_on, advice_requested=plan.advice_requested_on, draft_sent=plan.draft_sent_on
        )
        if plan.draft_sent_on is not None:
            # A draft plan went out, so the LA is issuing a plan: the "no plan" notice no longer applies.
            steps = [s for s in steps if s.key != "no_plan_notice"]
        done_by_key = {"decision": plan.decided_on, "final_plan": plan.final_issued_on}
        # Later steps show earlier ones happened, even when their own date was not recorded: advice is sought
        # only after deciding to assess, and a draft is sent only once the advice is in.
        if plan.advice_requested_on is not None or plan.draft_sent_on is not None:
            implied_done.add("decision")
        if plan.draft_sent_on is not None:
            implied_done.add("advice")
    else:
        steps = [
            deadlines.Deadline(
                "final_plan",
                "Issue the final EHC plan",
                deadlines.final_plan_due(plan.requested_on),
                f"{deadlines.REGS}, reg 13(2)",
            )
        ]
        done_by_key = {"final_plan": plan.final_issued_on}
        if plan.last_review_meeting_on is not None:
            steps += deadlines.annual_review_timeline(plan.last_review_meeting_on)
            # The notice and advice steps came before a meeting already held.
            steps = [s for s in steps if s.key not in {"review_notice", "review_advice"}]
        else:
            steps.append(
                deadlines.Deadline(
                    "next_review",
                    "Hold the first annual review",
                    deadlines.next_annual_review_due(plan.final_issued_on),
                    "Children and Families Act 2014, s44(1)",
                )
            )
    if plan.phase_transfer_on is not None:
        steps.append(
            deadlines.Deadline(
                "phase_transfer",
                "Amend the plan before the move to the next phase",
                deadlines.phase_transfer_deadline(
                    plan.phase_transfer_on, to_post16=plan.phase_transfer_to_post16
                ),
                f"{deadlines.REGS}, reg 18(1)",
            )
        )
    for step in sorted(steps, key=lambda s: s.due):
        done_on = done_by_key.get(step.key)
        if done_on is None and step.key in implied_done:
            status = "done"
        else:
            status = deadlines.deadline_status(step.due, today=today, done_on=done_on)
        rows.append(DeadlineRow(step.key, step.label, step.due, step.source, status, done_on))
    return rows


def next_deadline(plan: Plan, *, today: date | None = None) -> DeadlineRow | None:
    """Return the earliest deadline not yet met (overdue ones first), or None."""
    return next((row for row in plan_deadlines(plan, today=today) if row.outstanding), None)


def school_upcoming_deadlines(school: School, *, today: date | None = None) -> list[tuple[Plan, DeadlineRow]]:
    """Return every outstanding deadline across the school's plans, earliest first (one query)."""
    today = today or timezone.localdate()
    rows = []
    for plan in Plan.objects.filter(school=school).select_related("pupil"):
        rows += [(plan, row) for row in plan_deadlines(plan, today=today) if row.outstanding]
    return sorted(rows, key=lambda pair: (pair[1].due, pair[0].pupil.last_name))


# --- versions and the quality checker ----------------------------------------------------------------------


def version_for_viewer(plan: Plan, membership: Membership) -> PlanVersion | None:
    """Return the version this person works on: the latest for the school; the latest shared for the LA."""
    versions = plan.versions.order_by("-number")
    if membership.is_la:
        versions = versions.filter(
            status__in=[VersionStatus.SUBMITTED, VersionStatus.RETURNED, VersionStatus.FINAL]
        )
    return versions.first()


def versions_visible(plan: Plan, membership: Membership) -> QuerySet[PlanVersion]:
    versions = plan.versions.order_by("-number")
    if membership.is_la:
        versions = versions.filter(
            status__in=[VersionStatus.SUBMITTED, VersionStatus.RETURNED, VersionStatus.FINAL]
        )
    return versions


@dataclass
class VersionContent:
    """A version with its items loaded once: needs, outcomes, provision (by section) and advice."""

    version: PlanVersion
    needs: list[Need]
    outcomes: list[Outcome]
    provisions: list[Provision]
    advice: list

    def provision_in(self, section: str) -> list[Provision]:
        return [p for p in self.provisions if p.section == section]

    def needs_by_area(self) -> list[tuple[str, str, list[Need]]]:
        return [
            (code, label, [n for n in self.needs if n.area_of_need == code]) for code, label in AREAS_OF_NEED
        ]

    def number_of(self, item) -> int:
        """Return the item's number within its section (1-based), as the checker counts them."""
        if isinstance(item, Need):
            return self.needs.index(item) + 1
        if isinstance(item, Outcome):
            return self.outcomes.index(item) + 1
        if isinstance(item, Provision):
            return self.provision_in(item.section).index(item) + 1
        return self.advice.index(item) + 1


def version_content(version: PlanVersion) -> VersionContent:
    """Load a version's items with their links in a fixed number of queries."""
    return VersionContent(
        version=version,
        needs=list(version.needs.order_by("position", "pk")),
        outcomes=list(version.outcomes.order_by("position", "pk").prefetch_related("needs")),
        provisions=list(version.provisions.order_by("position", "pk").prefetch_related("needs", "outcomes")),
        advice=list(version.advice.order_by("position", "pk")),
    )


def plan_content_for_checker(content: VersionContent) -> quality.PlanContent:
    """Map a version's rows to the pure checker's dataclasses (keys are the items' public ids)."""
    return quality.PlanContent(
        needs=[quality.Need(str(n.public_id), n.area_of_need, n.text) for n in content.needs],
        outcomes=[
            quality.Outcome(
                str(o.public_id), o.text, o.timeframe, tuple(str(n.public_id) for n in o.needs.all())
            )
            for o in content.outcomes
        ],
        provisions=[
            quality.Provision(
                key=str(p.public_id),
                section=p.section,
                what=p.what,
                who=p.who,
                expertise=p.expertise,
                frequency=p.frequency,
                duration=p.duration,
                group_size=p.group_size,
                need_keys=tuple(str(n.public_id) for n in p.needs.all()),
                outcome_keys=tuple(str(o.public_id) for o in p.outcomes.all()),
            )
            for p in content.provisions
        ],
        aspirations_text=content.version.a_views,
    )


def version_findings(content: VersionContent) -> list[quality.Finding]:
    """Return the quality checker's findings for a version."""
    return quality.check_plan(plan_content_for_checker(content))


TASK_STATUS = {
    "not_started": ("Not started", "blue"),
    "in_progress": ("In progress", "light-blue"),
    "completed": ("Completed", ""),
}


def section_has_content(content: VersionContent, section: str) -> bool:
    version = content.version
    if section in TEXT_SECTIONS:
        return any(getattr(version, name).strip() for name in TEXT_SECTIONS[section])
    if section == "B":
        return bool(content.needs)
    if section == "E":
        return bool(content.outcomes)
    if section in PROVISION_SECTIONS:
        return bool(content.provision_in(section))
    return bool(content.advice)  # K


def section_status(content: VersionContent, section: str) -> str:
    if section in content.version.completed_sections:
        return "completed"
    return "in_progress" if section_has_content(content, section) else "not_started"


@dataclass
class TaskRow:
    code: str
    title: str
    status: str
    findings: int

    @property
    def tag(self) -> tuple[str, str]:
        return TASK_STATUS[self.status]


def task_list(content: VersionContent, findings: list[quality.Finding]) -> list[TaskRow]:
    """Return one row per section A to K with its status and number of findings."""
    return [
        TaskRow(code, title, section_status(content, code), sum(1 for f in findings if f.section == code))
        for code, title in SECTIONS
    ]


# --- comparing versions ----------------------------------------------------------------------------------


@dataclass
class SectionDiff:
    code: str
    title: str
    added: list[str]
    removed: list[str]
    changed: list[tuple[str, str]]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _item_text(item) -> str:
    if isinstance(item, Need):
        return f"{dict(AREAS_OF_NEED)[item.area_of_need]}: {item.text}"
    if isinstance(item, Outcome):
        needs = ", ".join(sorted(str(n.lineage)[:8] for n in item.needs.all()))
        return f"{item.text} (timeframe: {item.timeframe or 'none'}; steps: {item.steps or 'none'}) [{needs}]"
    if isinstance(item, Provision):
        parts = [
            f"{name.replace('_', ' ')}: {getattr(item, name) or '–'}"
            for name in (
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
        ]
        return "; ".join(parts)
    return f"{item.source}, {item.author}, {item.date:%d %B %Y}"


def _short(item) -> str:
    if isinstance(item, Provision | Outcome | Need):
        return (item.what if isinstance(item, Provision) else item.text)[:120]
    return f"{item.source} ({item.author})"


def compare_versions(old: PlanVersion, new: PlanVersion) -> list[SectionDiff]:
    """Return, per section, the items added, removed and changed from ``old`` to ``new``."""
    a, b = version_content(old), version_content(new)
    diffs = []
    for code, title in SECTIONS:
        added: list[str] = []
        removed: list[str] = []
        changed: list[tuple[str, str]] = []
        if code in TEXT_SECTIONS:
            for name in TEXT_SECTIONS[code]:
                before, after = getattr(old, name), getattr(new, name)
                label = PlanVersion._meta.get_field(name).verbose_name
                if before != after:
                    if not before:
                        added.append(f"{label}: {after[:200]}")
                    elif not after:
                        removed.append(f"{label}: {before[:200]}")
                    else:
                        changed.append((f"{label}: {before[:200]}", f"{label}: {after[:200]}"))
        else:
            items_a = _items(a, code)
            items_b = _items(b, code)
            by_a = {i.lineage: i for i in items_a}
            by_b = {i.lineage: i for i in items_b}
            added = [_short(i) for i in items_b if i.lineage not in by_a]
            removed = [_short(i) for i in items_a if i.lineage not in by_b]
            changed = [
                (_item_text(by_a[i.lineage]), _item_text(i))
                for i in items_b
                if i.lineage in by_a and _item_text(by_a[i.lineage]) != _item_text(i)
            ]
        diffs.append(SectionDiff(code, title, added, removed, changed))
    return diffs


def _items(content: VersionContent, code: str) -> list:
    if code == "B":
        return content.needs
    if code == "E":
        return content.outcomes
    if code in PROVISION_SECTIONS:
        return content.provision_in(code)
    return content.advice


# --- exports ---------------------------------------------------------------------------------------------


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def version_as_dict(version: PlanVersion) -> dict:
    """Return a version as structured data: sections A to K with needs, outcomes and provision linked by id."""
    content = version_content(version)
    plan, pupil = version.plan, version.plan.pupil

    def provision(p: Provision) -> dict:
        return {
            "id": str(p.public_id),
            **{
                name: getattr(p, name)
                for name in (
                    "what",
                    "who",
                    "expertise",
                    "frequency",
                    "duration",
                    "group_size",
                    "responsible_body",
                )
            },
            "start_date": _d(p.start_date),
            "review_date": _d(p.review_date),
            "needs": [str(n.public_id) for n in p.needs.all()],
            "outcomes": [str(o.public_id) for o in p.outcomes.all()],
        }

    sections = {
        "A": {
            "title": SECTION_TITLES["A"],
            "views_interests_aspirations": version.a_views,
            "history": version.a_history,
            "communication": version.a_communication,
        },
        "B": {
            "title": SECTION_TITLES["B"],
            "needs": [
                {"id": str(n.public_id), "area_of_need": n.area_of_need, "text": n.text}
                for n in content.needs
            ],
        },
        "C": {"title": SECTION_TITLES["C"], "text": version.c_health_needs},
        "D": {"title": SECTION_TITLES["D"], "text": version.d_social_care_needs},
        "E": {
            "title": SECTION_TITLES["E"],
            "outcomes": [
                {
                    "id": str(o.public_id),
                    "text": o.text,
                    "timeframe": o.timeframe,
                    "steps": o.steps,
                    "needs": [str(n.public_id) for n in o.needs.all()],
                }
                for o in content.outcomes
            ],
        },
        **{
            code: {
                "title": SECTION_TITLES[code],
                "provision": [provision(p) for p in content.provision_in(code)],
            }
            for code in PROVISION_SECTIONS
        },
        "I": {"title": SECTION_TITLES["I"], "text": version.i_placement},
        "J": {"title": SECTION_TITLES["J"], "text": version.j_personal_budget},
        "K": {
            "title": SECTION_TITLES["K"],
            "advice": [
                {"id": str(a.public_id), "source": a.source, "author": a.author, "date": _d(a.date)}
                for a in content.advice
            ],
        },
    }
    return {
        "format": "sendplan.ehcp.version/1",
        "plan": str(plan.public_id),
        "version": version.number,
        "kind": version.kind,
        "status": version.status,
        "pupil": {
            "id": str(pupil.public_id),
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "date_of_birth": _d(pupil.date_of_birth),
            "upn": pupil.upn,
        },
        "school": {"urn": plan.school.urn, "name": plan.school.name},
        "sections": sections,
    }


def pupil_access_log(pupil: Pupil) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(school_id=pupil.school_id, pupil_id=pupil.public_id).select_related(
        "actor"
    )


def pupil_subject_access(pupil: Pupil) -> dict:
    """Return everything held about a pupil: record, carers, cycles, plans with every version, and access log."""
    plans = []
    for plan in pupil.plans.order_by("created_at"):
        plans.append(
            {
                "id": str(plan.public_id),
                "status": plan.status,
                **{
                    name: _d(getattr(plan, name))
                    for name in (
                        "requested_on",
                        "decided_on",
                        "advice_requested_on",
                        "draft_sent_on",
                        "final_issued_on",
                        "last_review_meeting_on",
                        "phase_transfer_on",
                    )
                },
                "phase_transfer_to_post16": plan.phase_transfer_to_post16,
                "versions": [version_as_dict(v) for v in plan.versions.order_by("number")],
                "comments": [
                    {
                        "version": c.version.number,
                        "by": c.author_organisation,
                        "role": c.author_role,
                        "section": c.section,
                        "text": c.text,
                        "at": c.created_at.isoformat(),
                    }
                    for c in PlanComment.objects.filter(version__plan=plan).select_related("version")
                ],
                "events": [
                    {
                        "action": e.action,
                        "version": e.version_number,
                        "role": e.actor_role,
                        "at": e.at.isoformat(),
                        "note": e.note,
                    }
                    for e in plan.events.all()
                ],
            }
        )
    return {
        "format": "sendplan.ehcp.subject-access/1",
        "generated_at": timezone.now().isoformat(),
        "pupil": {
            "id": str(pupil.public_id),
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "date_of_birth": _d(pupil.date_of_birth),
            "year_group": pupil.year_group,
            "upn": pupil.upn,
            "sen_provision": pupil.sen_provision,
            "primary_need": pupil.primary_need,
            "secondary_need": pupil.secondary_need,
            "legal_hold": pupil.legal_hold,
            "school": {"urn": pupil.school.urn, "name": pupil.school.name},
        },
        "carers": [
            {"name": c.name, "relationship": c.relationship, "phone": c.phone, "email": c.email}
            for c in pupil.carers.all()
        ],
        "graduated_approach": [
            {
                "started_on": _d(c.started_on),
                "assessed": c.assessed,
                "outcomes_sought": c.outcomes_sought,
                "provision": {
                    "what": c.provision_what,
                    "frequency": c.provision_frequency,
                    "who": c.provision_who,
                },
                "review_date": _d(c.review_date),
                "review_findings": c.review_findings,
                "parent_views": c.parent_views,
                "pupil_views": c.pupil_views,
            }
            for c in pupil.cycles.order_by("started_on")
        ],
        "plans": plans,
        "access_log": [
            {
                "at": e.at.isoformat(),
                "by": e.actor.email if e.actor else None,
                "role": e.actor_role,
                "organisation": e.actor_organisation,
                "action": e.action,
                "what": e.what,
            }
            for e in pupil_access_log(pupil).order_by("at")
        ],
    }


# --- evidence, counts, the LA's list, retention ------------------------------------------------------------


def pupil_areas_of_need(pupil: Pupil) -> list[str]:
    """Return the broad areas of the pupil's primary and secondary needs, in that order, without repeats."""
    areas = []
    for code in (pupil.primary_need, pupil.secondary_need):
        area = AREA_OF_NEED.get(code) if code else None
        if area and area not in areas:
            areas.append(area)
    return areas


def audit_evidence(school: School, areas: list[str]) -> list[dict]:
    """Return the school's latest submitted audit ratings of the sections for these areas of need."""
    if not areas:
        return []
    return latest_submitted_section_levels(school=school, areas_of_need=areas)


def cycles_for(pupil: Pupil) -> QuerySet[SupportCycle]:
    return pupil.cycles.order_by("-started_on", "-pk")


def _area_case() -> Case:
    return Case(
        *[
            When(primary_need__in=[c for c, a in AREA_OF_NEED.items() if a == area], then=Value(area))
            for area, _ in AREAS_OF_NEED
        ],
        default=Value(""),
        output_field=CharField(),
    )


def school_sen_counts(school: School) -> dict:
    """Return counts only (never a pupil): pupils by SEN provision and, for E and K, by area of primary need."""
    by_provision = dict(
        Pupil.objects.filter(school=school).values_list("sen_provision").annotate(n=Count("pk")).order_by()
    )
    by_area = dict(
        Pupil.objects.filter(school=school, sen_provision__in=["E", "K"])
        .annotate(area=_area_case())
        .values_list("area")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "E": by_provision.get("E", 0),
        "K": by_provision.get("K", 0),
        "areas": [(label, by_area.get(code, 0)) for code, label in AREAS_OF_NEED],
        "other": by_area.get("", 0),
    }


def la_plans(local_authority: LocalAuthority) -> QuerySet[Plan]:
    """Return plans submitted to the LA (latest activity first), each with its pupil and school."""
    return (
        Plan.objects.filter(school__local_authority=local_authority)
        .filter(versions__status__in=[VersionStatus.SUBMITTED, VersionStatus.RETURNED, VersionStatus.FINAL])
        .distinct()
        .select_related("pupil", "school")
        .order_by("status", "-created_at")
    )


TWENTY_WEEKS = timedelta(weeks=20)


def la_timeliness(local_authority: LocalAuthority) -> dict:
    """Return how many final plans the LA issued, and how many within 20 weeks of the request, in one query."""
    issued = Plan.objects.filter(school__local_authority=local_authority, final_issued_on__isnull=False)
    figures = issued.aggregate(
        issued=Count("pk"),
        on_time=Count("pk", filter=Q(final_issued_on__lte=F("requested_on") + TWENTY_WEEKS)),
    )
    figures["share"] = round(100 * figures["on_time"] / figures["issued"]) if figures["issued"] else None
    return figures


def pupils_past_retention(*, today: date | None = None) -> list[tuple[Pupil, date]]:
    """Return pupils whose date of birth plus their LA's retention years has passed, except legal holds."""
    today = today or timezone.localdate()
    rows = []
    for la in LocalAuthority.objects.all():
        years = la.retention_years_after_birth
        # Retained until date of birth + years; past it once that day is before today.
        cutoff = deadlines.add_months(today, -12 * years)
        pupils = Pupil.objects.filter(
            school__local_authority=la, legal_hold=False, date_of_birth__lte=cutoff
        ).select_related("school")
        for pupil in pupils:
            until = deadlines.add_months(pupil.date_of_birth, 12 * years)
            if until < today:
                rows.append((pupil, until))
    return sorted(rows, key=lambda pair: (pair[1], pair[0].pk))


def need_label(code: str) -> str:
    return NEED_CODES.get(code, code)
