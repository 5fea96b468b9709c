"""The audit round in brief, for the LA summary report: how many schools have submitted, their overall
levels by name, and the sections where most audits are at the lowest levels.

Five grouped queries whatever the number of schools. The LA sees only work handed to it (the policy's
``audit_view``): audits submitted, returned or accepted, and the levels of those submitted or accepted
(``AuditLevel``, kept by audits.levels). A school whose audit is a draft, or that has none, is "not
submitted": the LA is not shown which of the two it is.
"""

from django.db.models import Count, Max

from audits.models import Audit, AuditLevel
from sendplan.models import Membership, School
from sendplan.policy import restrict

NO_LEVEL = "No overall level (a statutory duty is not rated)"


def latest_rounds(membership: Membership) -> dict:
    """Return the latest academic year's audit round of the LA: each framework version's coverage and levels.

    Counted as the round page counts (``audits.rounds``), but with returned audits in a column of their own:
    "not submitted" here is the schools with no audit submitted, returned or accepted.
    """
    schools = restrict(School.objects.all(), membership, "school_view").count()
    audits = restrict(Audit.objects.all(), membership, "audit_view")
    year = audits.aggregate(latest=Max("academic_year"))["latest"]
    if year is None:
        return {"year": None, "schools": schools, "rounds": []}
    statuses = (
        audits.filter(academic_year=year)
        .values(
            "framework_version_id",
            "framework_version__framework__title",
            "framework_version__label",
            "status",
        )
        .annotate(n=Count("school_id", distinct=True))
        .order_by("framework_version__framework__title", "framework_version__label")
    )
    levels = (
        restrict(AuditLevel.objects.filter(section__isnull=True), membership, "audit_view")
        .filter(audit__academic_year=year)
        .values("audit__framework_version_id", "level_position", "level_label")
        .annotate(n=Count("pk"))
        .order_by("audit__framework_version_id", "level_position")
    )
    section_levels = (
        restrict(AuditLevel.objects.filter(section__isnull=False), membership, "audit_view")
        .filter(audit__academic_year=year, level_position__isnull=False)
        .values(
            "audit__framework_version_id", "section__ref", "section__title", "level_position", "level_label"
        )
        .annotate(n=Count("pk"))
        .order_by("audit__framework_version_id", "section__ref", "level_position")
    )
    rounds: dict[int, dict] = {}
    for row in statuses:
        entry = rounds.setdefault(
            row["framework_version_id"],
            {
                "framework": row["framework_version__framework__title"],
                "version": row["framework_version__label"],
                Audit.Status.SUBMITTED: 0,
                Audit.Status.RETURNED: 0,
                Audit.Status.ACCEPTED: 0,
                "levels": [],
            },
        )
        entry[row["status"]] = row["n"]
    for row in levels:
        if row["audit__framework_version_id"] in rounds:
            label = row["level_label"] or NO_LEVEL
            rounds[row["audit__framework_version_id"]]["levels"].append([label, row["n"]])
    sections: dict[int, dict] = {}
    for row in section_levels:
        by_version = sections.setdefault(row["audit__framework_version_id"], {"levels": {}, "sections": {}})
        by_version["levels"][row["level_position"]] = row["level_label"]
        counts = by_version["sections"].setdefault((row["section__ref"], row["section__title"]), {})
        counts[row["level_position"]] = row["n"]
    result = []
    for version_id, entry in rounds.items():
        sent_once = (
            entry[Audit.Status.SUBMITTED] + entry[Audit.Status.RETURNED] + entry[Audit.Status.ACCEPTED]
        )
        result.append(
            {
                "framework": entry["framework"],
                "version": entry["version"],
                "submitted": entry[Audit.Status.SUBMITTED],
                "returned": entry[Audit.Status.RETURNED],
                "accepted": entry[Audit.Status.ACCEPTED],
                "not_submitted": max(schools - sent_once, 0),
                # Lowest level first, as its scale orders them; audits without a level last.
                "levels": sorted(entry["levels"], key=lambda pair: pair[0] == NO_LEVEL),
                **_weakest_sections(sections.get(version_id)),
            }
        )
    return {"year": year, "schools": schools, "rounds": result}


WEAKEST_SHOWN = 5


def _weakest_sections(found: dict | None) -> dict:
    """Return the level names (lowest first) and the sections with most audits at the lowest levels."""
    if not found:
        return {"section_levels": [], "weakest_sections": []}
    positions = sorted(found["levels"])
    rows = [
        [ref, title, *(counts.get(p, 0) for p in positions)]
        for (ref, title), counts in found["sections"].items()
    ]
    # Most audits at the lowest level first, then at the next level up; then in the framework's order.
    rows.sort(key=lambda row: (*(-n for n in row[2:]), row[0]))
    return {
        "section_levels": [found["levels"][p] for p in positions],
        "weakest_sections": rows[:WEAKEST_SHOWN],
    }
