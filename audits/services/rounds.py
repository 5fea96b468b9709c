"""Writes for the audit round: reminding the schools that have not submitted."""

from dataclasses import dataclass

from django.db import transaction

from audits import rounds
from audits.models import RoundReminder
from notifications import notify
from sendplan import policy
from sendplan.models import Membership, School


@dataclass(frozen=True)
class Reminded:
    """What a reminder did: the schools reminded, and those with no SENCO or headteacher to tell."""

    schools: int
    people: int
    nobody_to_tell: list[School]


@transaction.atomic
def round_remind(*, query: rounds.RoundQuery, by: Membership) -> Reminded:
    """Remind the SENCO and headteacher of each school in the round that has not submitted its audit.

    The schools are those of the officer's LA that the query narrows to (phase, type, search) whose audit
    for the round is not started, in progress or returned; the status filter itself is ignored.
    """
    policy.check(by, "audit_round_remind")
    schools = [
        school
        for school in rounds.round_filtered(
            rounds.round_schools(by, query, action="audit_round_remind"), query
        )
        if school.round_status in rounds.NOT_SUBMITTED
    ]
    told = notify.audit_round_reminders(
        schools=schools,
        framework_version=query.version,
        academic_year=query.year,
        local_authority=by.local_authority,
    )
    RoundReminder.objects.bulk_create(
        RoundReminder(
            school=school,
            framework_version=query.version,
            academic_year=query.year,
            sent_by=by.user,
            people=told[school.pk],
        )
        for school in schools
        if told[school.pk]
    )
    return Reminded(
        schools=sum(1 for n in told.values() if n),
        people=sum(told.values()),
        nobody_to_tell=[school for school in schools if not told[school.pk]],
    )
