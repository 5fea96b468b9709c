"""Reads for a pupil's access log, their subject access export and records past retention."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from ehcp import deadlines
from ehcp.models import AnnualReview, Plan, PlanComment, Pupil
from ehcp.selectors.plans import _d, version_as_dict
from sendplan.models import AccessEvent, LocalAuthority


def pupil_access_log(pupil: Pupil) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(school_id=pupil.school_id, pupil_id=pupil.public_id).select_related(
        "actor"
    )


def _review_as_dict(review: AnnualReview) -> dict:
    dates = ("cycle_started_on", "meeting_on", "invitations_sent_on", "advice_requested_on")
    dates += ("advice_circulated_on", "report_sent_on", "decision_sent_on", "decision_served_on")
    return {
        "id": str(review.public_id),
        "status": review.status,
        **{name: _d(getattr(review, name)) for name in (*dates, "amended_plan_issued_on")},
        "child_views": review.child_views,
        "parent_views": review.parent_views,
        "changes_needed": review.changes_needed,
        "recommendation": review.recommendation,
        "decision": review.decision,
        "decision_reasons": review.decision_reasons,
        "invited": [
            {"name": a.name, "role": a.role, "kind": a.kind, "email": a.email, "attended": a.attended}
            for a in review.attendees.all()
        ],
        "progress": [
            {"outcome": str(p.outcome.public_id), "progress": p.progress, "evidence": p.evidence}
            for p in review.progress.select_related("outcome")
        ],
    }


def pupil_subject_access(pupil: Pupil) -> dict:
    """Return everything held about a pupil: record, carers, cycles, plans with every version, and access log."""
    plans = []
    for plan in pupil.plans.order_by("created_at"):
        plans.append(
            {
                "id": str(plan.public_id),
                "status": plan.status,
                **{name: _d(getattr(plan, name)) for name in Plan.DATE_FIELDS},
                **{
                    name: getattr(plan, name)
                    for name in ("started_by", "draft_sent_by", "time_limit_exception")
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
                "annual_reviews": [_review_as_dict(review) for review in plan.reviews.order_by("created_at")],
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
                "how_they_had_access": e.actor_origin,
                "action": e.action,
                "what": e.what,
            }
            for e in pupil_access_log(pupil).order_by("at")
        ],
    }


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
