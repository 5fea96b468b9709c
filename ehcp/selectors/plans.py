"""Reads for plans and versions: the quality checker, the task list, comparing versions and the JSON export."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from ehcp import quality
from ehcp.census import AREAS_OF_NEED
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
    VersionStatus,
)
from ehcp.services import TEXT_SECTIONS
from sendplan.models import Membership
from sendplan.policy import restrict

# --- versions and the quality checker ----------------------------------------------------------------------


def version_for_viewer(plan: Plan, membership: Membership) -> PlanVersion | None:
    """Return the version this person works on: the latest for the school; the latest shared for the LA."""
    versions = plan.versions.order_by("-number")
    if membership.is_la:
        versions = versions.filter(
            status__in=[VersionStatus.SUBMITTED, VersionStatus.RETURNED, VersionStatus.FINAL]
        )
    return versions.first()


def version_comments(version: PlanVersion) -> QuerySet[PlanComment]:
    """Return the comments on a version, and on the returned version a redraft was made from (oldest first)."""
    returned_before = Q(
        version__plan_id=version.plan_id,
        version__number=version.number - 1,
        version__status=VersionStatus.RETURNED,
    )
    shown = (
        Q(version=version) | returned_before if version.status == VersionStatus.DRAFT else Q(version=version)
    )
    return PlanComment.objects.filter(shown).select_related("author", "version").order_by("created_at", "pk")


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

    def items_in(self, section: str) -> list:
        """Return the items of a list section (B, E, F, G, H1, H2 or K); a text section has none."""
        if section == "B":
            return self.needs
        if section == "E":
            return self.outcomes
        if section in PROVISION_SECTIONS:
            return self.provision_in(section)
        if section == "K":
            return self.advice
        return []

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


def plan_content_for_checker(content: VersionContent, *, today: date | None = None) -> quality.PlanContent:
    """Map a version's rows, its plan and pupil to the pure checker's dataclasses (keys are public ids)."""
    version = content.version
    plan = version.plan
    amending = version.kind == PlanVersion.Kind.PROPOSED_AMENDMENTS
    placement_before = ""
    if amending:
        placement_before = (
            plan.versions.filter(status=VersionStatus.FINAL, number__lt=version.number)
            .order_by("-number")
            .values_list("i_placement", flat=True)
            .first()
            or ""
        )
    moving = plan.phase_transfer_on is not None and plan.phase_transfer_on >= (today or timezone.localdate())
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
        aspirations_text=version.a_views,
        health_needs=version.c_health_needs,
        social_care_needs=version.d_social_care_needs,
        placement=version.i_placement,
        placement_before=placement_before,
        year_group=plan.pupil.year_group,
        proposed_amendments=amending,
        phase_transfer=moving,
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
    return bool(content.items_in(section))


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
            f"{name.replace('_', ' ')}: {getattr(item, name) or '–'}" for name in Provision.DETAIL_FIELDS
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
            items_a = a.items_in(code)
            items_b = b.items_in(code)
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


def la_plans(membership: Membership) -> QuerySet[Plan]:
    """Return plans schools have submitted to the LA (latest activity first), each with its pupil and school."""
    return (
        restrict(Plan.objects.all(), membership, "plan_view")
        .select_related("pupil", "school")
        .prefetch_related("reviews")
        .order_by("status", "-created_at")
    )
