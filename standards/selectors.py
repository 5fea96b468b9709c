"""Reads of frameworks: who may see which versions, the criteria list with filters, and comparisons.

Visibility: published and retired versions of every framework are visible to every member. Drafts
are visible only to the owning LA's admins and officers (officers read only); national, trust and
sendplan frameworks are loaded by command, so members never see their drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from sendplan.models import Membership
from sendplan.policy import allows, restrict
from standards.models import Criterion, CriterionMapping, Framework, FrameworkVersion, Section


def versions_for(membership: Membership) -> QuerySet[FrameworkVersion]:
    """Return the framework versions this membership may see."""
    return restrict(FrameworkVersion.objects.all(), membership, "framework_view")


def framework_versions(membership: Membership, framework: Framework) -> list[FrameworkVersion]:
    """Return the framework's versions this membership may see, newest first."""
    return list(
        versions_for(membership)
        .filter(framework=framework)
        .select_related("previous")
        .order_by("-created_at")
    )


def can_manage(membership: Membership, framework: Framework) -> bool:
    """Return True if this membership may upload, publish and retire versions of the framework."""
    return allows(membership, "framework_manage", framework)


def managed_frameworks(membership: Membership) -> QuerySet[Framework]:
    """Return the frameworks an LA admin manages (their LA's), for the upload form."""
    return restrict(Framework.objects.all(), membership, "framework_manage").order_by("title")


def framework_list(membership: Membership) -> list[Framework]:
    """Return visible frameworks with their visible versions, newest first (two queries)."""
    versions = versions_for(membership).order_by("-created_at")
    return list(
        restrict(Framework.objects.all(), membership, "framework_view")
        .select_related("local_authority")
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="visible_versions"))
        .order_by("publisher", "title")
    )


@dataclass
class CriteriaFilter:
    """The filters of the criteria list, from the query string."""

    words: str = ""
    area: str = ""  # an AreaOfNeed value, "whole_school", or "" for all
    statutory: str = ""  # "yes", "no" or ""

    @property
    def active(self) -> bool:
        return bool(self.words or self.area or self.statutory)

    def apply(self, qs: QuerySet[Criterion]) -> QuerySet[Criterion]:
        for word in self.words.split()[:10]:
            qs = qs.filter(Q(statement__icontains=word) | Q(guidance__icontains=word) | Q(ref__iexact=word))
        if self.area == "whole_school":
            qs = qs.filter(area_of_need="")
        elif self.area:
            qs = qs.filter(area_of_need=self.area)
        if self.statutory == "yes":
            qs = qs.filter(statutory=True)
        elif self.statutory == "no":
            qs = qs.filter(statutory=False)
        return qs


@dataclass
class SectionBlock:
    section: Section
    depth: int
    criteria: list[Criterion] = field(default_factory=list)


def version_contents(
    version: FrameworkVersion, criteria_filter: CriteriaFilter
) -> tuple[list[SectionBlock], int]:
    """Return the version's sections in order, each with its criteria that pass the filter (two queries)."""
    sections = list(version.sections.order_by("position"))
    depth: dict[int, int] = {}
    blocks: dict[int, SectionBlock] = {}
    for section in sections:
        depth[section.pk] = depth[section.parent_id] + 1 if section.parent_id else 0
        blocks[section.pk] = SectionBlock(section, depth[section.pk])
    criteria = criteria_filter.apply(version.criteria.all()).order_by("position")
    total = 0
    for criterion in criteria:
        blocks[criterion.section_id].criteria.append(criterion)
        total += 1
    shown = [b for b in blocks.values() if b.criteria or not criteria_filter.active]
    return shown, total


def version_counts(versions: list[FrameworkVersion]) -> dict[int, int]:
    """Return the number of criteria of each version (one query)."""
    rows = Criterion.objects.filter(version__in=versions).values("version_id").annotate(n=Count("pk"))
    return {row["version_id"]: row["n"] for row in rows}


@dataclass
class Change:
    """One line of a comparison: an old criterion, a new one, and how they relate."""

    kind: str  # CriterionMapping.Change value, or "changed_text" when the refs match but text differs
    old: list[Criterion]
    new: Criterion | None

    @property
    def label(self) -> str:
        return CriterionMapping.Change(self.kind).label


@dataclass
class Comparison:
    older: FrameworkVersion
    newer: FrameworkVersion
    added: list[Change]
    changed: list[Change]
    retired: list[Change]
    unchanged: list[Change]
    via_mappings: bool  # True when the newer version's own mapping was used


def compare_versions(older: FrameworkVersion, newer: FrameworkVersion) -> Comparison:
    """Compare two versions of a framework (three queries).

    When ``newer`` declares ``older`` as its previous version, its mapping says what continues what.
    Otherwise criteria are matched by ref: same ref and text is unchanged, same ref with other text is
    reworded, a ref only in ``newer`` is added, a ref only in ``older`` is retired.
    """
    old_criteria = {c.ref: c for c in older.criteria.order_by("position")}
    new_criteria = list(newer.criteria.order_by("position"))
    added: list[Change] = []
    changed: list[Change] = []
    retired: list[Change] = []
    unchanged: list[Change] = []
    via = newer.previous_id == older.pk
    if via:
        mappings = list(newer.mappings.all())
        sources: dict[str, list[CriterionMapping]] = {}
        for m in mappings:
            if m.to_ref:
                sources.setdefault(m.to_ref, []).append(m)
        for criterion in new_criteria:
            links = sources.get(criterion.ref, [])
            olds = [old_criteria[m.from_ref] for m in links if m.from_ref in old_criteria]
            kind = links[0].change if links else CriterionMapping.Change.NEW
            change = Change(kind, olds, criterion)
            {"new": added, "same": unchanged}.get(kind, changed).append(change)
        retired = [
            Change(CriterionMapping.Change.RETIRED, [old_criteria[m.from_ref]], None)
            for m in mappings
            if m.change == CriterionMapping.Change.RETIRED and m.from_ref in old_criteria
        ]
    else:
        seen: set[str] = set()
        for criterion in new_criteria:
            old = old_criteria.get(criterion.ref)
            if old is None:
                added.append(Change(CriterionMapping.Change.NEW, [], criterion))
                continue
            seen.add(criterion.ref)
            if old.statement == criterion.statement and old.guidance == criterion.guidance:
                unchanged.append(Change(CriterionMapping.Change.SAME, [old], criterion))
            else:
                changed.append(Change(CriterionMapping.Change.REWORDED, [old], criterion))
        retired = [
            Change(CriterionMapping.Change.RETIRED, [old], None)
            for ref, old in old_criteria.items()
            if ref not in seen
        ]
    return Comparison(older, newer, added, changed, retired, unchanged, via)
