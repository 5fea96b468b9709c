"""Reads for the SEN register and a pupil's record: needs, cycles, audit evidence and the school's SEN counts."""

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When

from audits.selectors import latest_submitted_section_levels
from ehcp.census import AREA_OF_NEED, AREAS_OF_NEED, NEED_CODES
from ehcp.models import Plan, Pupil, SupportCycle
from sendplan.models import Membership, School
from sendplan.policy import restrict

# --- the register ----------------------------------------------------------------------------------------


def register_pupils(
    membership: Membership, *, need: str = "", provision: str = "", year: str = ""
) -> QuerySet[Pupil]:
    """Return the school's pupils, filtered, each with their plans (latest first) in one extra query."""
    pupils = restrict(Pupil.objects.all(), membership, "register_view")
    if need:
        pupils = pupils.filter(Q(primary_need=need) | Q(secondary_need=need))
    if provision:
        pupils = pupils.filter(sen_provision=provision)
    if year:
        pupils = pupils.filter(year_group=year)
    plans = Plan.objects.order_by("-created_at").prefetch_related("reviews")  # the next deadline needs them
    return pupils.prefetch_related(Prefetch("plans", queryset=plans)).order_by(
        "last_name", "first_name", "pk"
    )


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


def need_label(code: str) -> str:
    return NEED_CODES.get(code, code)
