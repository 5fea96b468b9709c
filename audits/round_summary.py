"""The audit round in brief, for the LA summary report: how many schools have submitted, and their overall
levels by name.

Four grouped queries whatever the number of schools. The LA sees only work handed to it (the policy's
``audit_view``): audits submitted, returned or accepted, and the levels of those submitted or accepted
(``AuditLevel``, kept by audits.levels). A school whose audit is a draft, or that has none, is "not
submitted": the LA is not shown which of the two it is.
"""

from django.db.models import Count, Max

from audits.models import Audit, AuditLevel
from sendplan.models import Membership, School
from sendplan.policy import restrict

NO_LEVEL = "No overall level (a statutory duty is not rated)"


def round_coverage(membership: Membership) -> dict:
    """Return the latest academic year's audit round of the LA: each framework version's coverage and levels."""
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
    result = []
    for entry in rounds.values():
        handed = entry[Audit.Status.SUBMITTED] + entry[Audit.Status.RETURNED] + entry[Audit.Status.ACCEPTED]
        result.append(
            {
                "framework": entry["framework"],
                "version": entry["version"],
                "submitted": entry[Audit.Status.SUBMITTED],
                "returned": entry[Audit.Status.RETURNED],
                "accepted": entry[Audit.Status.ACCEPTED],
                "not_submitted": max(schools - handed, 0),
                # Lowest level first, as its scale orders them; audits without a level last.
                "levels": sorted(entry["levels"], key=lambda pair: pair[0] == NO_LEVEL),
            }
        )
    return {"year": year, "schools": schools, "rounds": result}
