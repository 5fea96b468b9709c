"""Reads for the SEN register and a pupil's record: needs, cycles, audit evidence and the school's SEN counts."""

from django.db.models import Case, CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When

from audits.selectors import latest_submitted_section_levels
from ehcp.census import AREA_OF_NEED, AREAS_OF_NEED, NEED_CODES, census_flags
from ehcp.models import Plan, PlanVersion, Pupil, SupportCycle, VersionStatus
from sendplan.models import Membership, School
from sendplan.policy import restrict

# --- the register ----------------------------------------------------------------------------------------


def _with_final_plan(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    return pupils.annotate(
        has_final_plan=Exists(
            PlanVersion.objects.filter(plan__pupil=OuterRef("pk"), status=VersionStatus.FINAL)
        )
    )


def _name_search(pupils: QuerySet[Pupil], search: str) -> QuerySet[Pupil]:
    # Every word typed must be in the first or last name: "sam ok" finds Sam Okoro.
    for word in search.split()[:5]:
        pupils = pupils.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return pupils


def register_pupils(
    membership: Membership, *, need: str = "", provision: str = "", year: str = "", search: str = ""
) -> QuerySet[Pupil]:
    """Return the school's pupils on the register (not leavers), filtered, each with ``has_final_plan`` and
    their plans (latest first) in one extra query."""
    pupils = restrict(Pupil.objects.on_register(), membership, "register_view")
    if need:
        pupils = pupils.filter(Q(primary_need=need) | Q(secondary_need=need))
    if provision:
        pupils = pupils.filter(sen_provision=provision)
    if year:
        pupils = pupils.filter(year_group=year)
    if search:
        pupils = _name_search(pupils, search)
    plans = Plan.objects.order_by("-created_at").prefetch_related("reviews")  # the next deadline needs them
    return (
        _with_final_plan(pupils)
        .prefetch_related(Prefetch("plans", queryset=plans))
        .order_by("last_name", "first_name", "pk")
    )


def leavers(membership: Membership, *, search: str = "") -> QuerySet[Pupil]:
    """Return the school's pupils who have left, most recent first (kept until their retention date)."""
    pupils = restrict(Pupil.objects.left(), membership, "register_view")
    return _name_search(pupils, search).order_by("-left_on", "last_name", "first_name", "pk")


def pupil_census_flags(pupil: Pupil) -> list[str]:
    """Return what is inconsistent between the pupil's census code and their EHC plan (nothing for a leaver)."""
    if pupil.has_left:
        return []
    has_final = getattr(pupil, "has_final_plan", None)
    if has_final is None:
        has_final = PlanVersion.objects.filter(plan__pupil=pupil, status=VersionStatus.FINAL).exists()
    return census_flags(provision=pupil.sen_provision, has_final_plan=has_final)


def legal_hold_pupils(membership: Membership, *, search: str = "") -> QuerySet[Plan]:
    """Return the plans handed to the LA admin's LA, with their pupils, for placing or lifting a legal hold."""
    plans = restrict(Plan.objects.all(), membership, "pupil_legal_hold").select_related("pupil", "school")
    for word in search.split()[:5]:
        plans = plans.filter(Q(pupil__first_name__icontains=word) | Q(pupil__last_name__icontains=word))
    return plans.order_by("-pupil__legal_hold", "pupil__last_name", "pupil__first_name", "pk")


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
    """Return counts only (never a pupil): pupils on the register (not leavers) by SEN provision and, for E
    and K, by area of primary need."""
    on_register = Pupil.objects.on_register()
    by_provision = dict(
        on_register.filter(school=school).values_list("sen_provision").annotate(n=Count("pk")).order_by()
    )
    by_area = dict(
        on_register.filter(school=school, sen_provision__in=["E", "K"])
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


def sen_provision_counts_on(school: School, day) -> dict[str, int]:
    """Return counts only: pupils on SEN support (K) and with an EHC plan (E) on a past day.

    A pupil counts if added to the register (or, without that date, recorded) by then and not yet left.
    The register keeps no history of census codes, so each pupil counts under the code recorded today.
    """
    added = Q(added_to_register_on__lte=day) | Q(added_to_register_on__isnull=True, created_at__date__lte=day)
    present = Q(left_on__isnull=True) | Q(left_on__gt=day)
    counts = dict(
        Pupil.objects.filter(added, present, school=school, sen_provision__in=["E", "K"])
        .values_list("sen_provision")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {"E": counts.get("E", 0), "K": counts.get("K", 0)}


def need_label(code: str) -> str:
    return NEED_CODES.get(code, code)
