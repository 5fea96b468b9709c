"""Writes for the audit round: its closing date, and reminding the schools that have not submitted."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from audits import rounds
from audits.models import RoundClosingDate, RoundReminder
from notifications import notify
from sendplan import policy
from sendplan.models import Membership, School
from sendplan.services import DomainError


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
    closing = rounds.round_closing_date(by, query, action="audit_round_remind")
    told = notify.audit_round_reminders(
        schools=schools,
        framework_version=query.version,
        academic_year=query.year,
        local_authority=by.local_authority,
        closes_on=closing and closing.closes_on,
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


@transaction.atomic
def round_closing_date_set(
    *, query: rounds.RoundQuery, closes_on: date | None, by: Membership
) -> RoundClosingDate | None:
    """Set the date the LA asks its schools to submit the round's audits by; None takes it away.

    The date is the LA's, for a framework version its schools may audit; it cannot be in the past.
    """
    policy.check(by, "audit_round_schedule")
    if query.version not in rounds.round_versions(by):
        raise DomainError("Your schools cannot audit that framework.")
    round_of = {
        "local_authority_id": by.local_authority_id,
        "framework_version": query.version,
        "academic_year": query.year,
    }
    if closes_on is None:
        RoundClosingDate.objects.filter(**round_of).delete()
        return None
    if closes_on < timezone.localdate():
        raise DomainError("The closing date must be today or in the future")
    closing, _ = RoundClosingDate.objects.update_or_create(
        **round_of, defaults={"closes_on": closes_on, "set_by": by.user, "set_at": timezone.now()}
    )
    return closing
