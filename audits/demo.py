"""Demonstration audits on the shipped OAP framework (development only; does nothing without it)."""

import datetime

from django.db import transaction
from django.utils import timezone

from audits import selectors, services
from audits.models import Audit, Rating
from sendplan.models import Role
from standards.models import Criterion, FrameworkVersion

# A believable spread of levels, as steps up the scale from its lowest level, cycled over the criteria:
# mostly Established, some gaps.
PATTERN = [2, 2, 1, 3, 2, 0, 2, 1, 3, 2, 1, 2]


def _rate(audit: Audit, by, share: float) -> None:
    scale = selectors.scale_of(audit)
    values = scale.values
    responses = list(
        Rating.objects.filter(audit=audit).select_related("criterion").order_by("criterion__position")
    )
    for index, response in enumerate(responses[: int(len(responses) * share)]):
        level = values[min(PATTERN[index % len(PATTERN)], len(values) - 1)]
        if response.criterion.statutory and level < scale.met:
            level = scale.met  # the demo schools meet their statutory duties
        services.rating_record(
            audit=audit,
            response=response,
            level=level,
            not_applicable=False,
            na_reason="",
            rationale="Seen in lesson visits and the provision map; reviewed with the SENCO this term.",
            expected_version=response.version,
            by=by,
        )


@transaction.atomic
def seed(context) -> None:
    """Give the first demo school an audit in progress and another school a submitted one."""
    version = (
        FrameworkVersion.objects.filter(
            framework__slug="sendplan-oap", status=FrameworkVersion.Status.PUBLISHED
        )
        .order_by("-published_on")
        .first()
    )
    senco = context.memberships.get(Role.SENCO)
    if version is None or senco is None:
        return
    school = context.school
    if not Audit.objects.filter(school=school, framework_id=version.framework_id).exists():
        audit = services.audit_start(
            school=school, framework_version=version, academic_year="2026/27", by=senco
        )
        _rate(audit, senco, 0.6)
        first = Criterion.objects.filter(version=version).order_by("position").first()
        services.action_create(
            audit=audit,
            criterion=first,
            what="Agree the SENCO's protected leadership time with governors",
            owner="Headteacher",
            due=timezone.localdate() + datetime.timedelta(days=45),
            success_measure="Time is in the SENCO's timetable and the governors' minutes",
            estimated_cost=None,
            by=senco,
        )
    if len(context.schools) > 1:
        other = context.schools[1]
        if not Audit.objects.filter(school=other, framework_id=version.framework_id).exists():
            their_senco = context.senco_at(other)
            audit = services.audit_start(
                school=other, framework_version=version, academic_year="2026/27", by=their_senco
            )
            _rate(audit, their_senco, 1.0)
            services.audit_submit(audit=audit, by=their_senco)
