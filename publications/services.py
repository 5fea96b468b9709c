"""Writes for the public documents: start, edit, keep or drop suggestions, publish, unpublish, approve.

Every write checks its actor against sendplan.policy, keeps the row inside the publication's school, and
records when the draft last changed, so the school can see that the public page is behind the draft.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from audits.models import Action
from publications import checks, money, schedule1, selectors
from publications.models import (
    MAX_YEARS,
    Activity,
    Barrier,
    BoardApproval,
    Outcome,
    Publication,
    PublishedVersion,
    ReportSection,
    academic_year_after,
)
from sendplan import policy, reports
from sendplan.models import Membership, School
from sendplan.services import DomainError
from standards.models import Criterion, FrameworkVersion

PRINCIPLES_FILE = Path(settings.BASE_DIR) / "fixtures" / "frameworks" / "inclusion-principles" / "2026.yaml"


class PublicationInvalid(DomainError):
    """The change would break a rule of the document; the message says which."""


class PublicationExists(DomainError):
    pass


# --- helpers -----------------------------------------------------------------------------------------------


def _lock(publication: Publication) -> Publication:
    """Lock the publication's row for this transaction, so that writes to one document queue up."""
    return Publication.objects.select_for_update().get(pk=publication.pk)


def _touch(publication: Publication) -> None:
    now = timezone.now()
    Publication.objects.filter(pk=publication.pk).update(updated_at=now)
    publication.updated_at = now


def _require_strategy(publication: Publication) -> None:
    if not publication.is_strategy:
        raise PublicationInvalid("Only an inclusion strategy has barriers, activities and outcomes.")


def _next_position(rows) -> int:
    return (rows.aggregate(m=Max("position"))["m"] or 0) + 1


def principles_version_ensure() -> FrameworkVersion:
    """Return the newest published seven principles, loading the shipped file once if none is loaded yet."""
    version = selectors.latest_principles_version()
    if version is not None:
        return version
    from standards.loader import FrameworkFileInvalid, parse_yaml
    from standards.services import framework_version_load

    data, problems = parse_yaml(PRINCIPLES_FILE.read_bytes(), source=PRINCIPLES_FILE.name)
    if problems:
        raise FrameworkFileInvalid(problems)
    framework_version_load(by=None, data=data)
    return selectors.latest_principles_version()


# --- starting ----------------------------------------------------------------------------------------------


@transaction.atomic
def strategy_start(
    *, school: School, first_year: str, years: int, by: Membership, carry_from: Publication | None = None
) -> Publication:
    """Start an inclusion strategy for one or more academic years, blank or from an earlier one."""
    policy.check(by, "publication_edit", school)
    if not 1 <= years <= MAX_YEARS:
        raise PublicationInvalid(f"Enter a number of years from 1 to {MAX_YEARS}")
    if carry_from is not None and (carry_from.school_id != school.pk or not carry_from.is_strategy):
        raise PublicationInvalid("Select one of your school's inclusion strategies to start from")
    version = principles_version_ensure()
    publication = _create(
        school=school, kind=Publication.Kind.STRATEGY, first_year=first_year, years=years, by=by,
        principles_version=version, carry_from=carry_from,
    )  # fmt: skip
    if carry_from is not None:
        _carry_strategy(carry_from, publication, version)
    return publication


@transaction.atomic
def sen_report_start(
    *, school: School, academic_year: str, by: Membership, carry_from: Publication | None = None
) -> Publication:
    """Start an SEN information report for an academic year, blank or from an earlier one."""
    policy.check(by, "publication_edit", school)
    if carry_from is not None and (carry_from.school_id != school.pk or carry_from.is_strategy):
        raise PublicationInvalid("Select one of your school's SEN information reports to start from")
    publication = _create(
        school=school, kind=Publication.Kind.SEN_REPORT, first_year=academic_year, years=1, by=by,
        principles_version=None, carry_from=carry_from,
    )  # fmt: skip
    if carry_from is not None:
        ReportSection.objects.bulk_create(
            [
                ReportSection(school=school, publication=publication, item=s.item, text=s.text, to_check=True)
                for s in carry_from.sections.all()
                if s.item in schedule1.BY_KEY and s.text.strip()
            ]
        )
    return publication


def _create(*, school, kind, first_year, years, by, principles_version, carry_from) -> Publication:
    if Publication.objects.filter(school=school, kind=kind, first_year=first_year).exists():
        raise PublicationExists(
            f"Your school already has an {Publication.Kind(kind).label.lower()} starting in {first_year}."
        )
    try:
        with transaction.atomic():
            return Publication.objects.create(
                school=school,
                kind=kind,
                first_year=first_year,
                years=years,
                principles_version=principles_version,
                carried_from=carry_from,
                authorised_by=carry_from.authorised_by if carry_from else "",
                authorised_by_name=carry_from.authorised_by_name if carry_from else "",
                statement_of_intent=carry_from.statement_of_intent if carry_from else "",
                created_by=by.user,
            )
    except IntegrityError as exc:  # a colleague started the same one a moment ago
        raise PublicationExists(f"Your school already has one starting in {first_year}.") from exc


def _carry_strategy(old: Publication, new: Publication, version: FrameworkVersion) -> None:
    """Copy barriers and activities into next year's draft; last year's outcomes become outcomes to review."""
    barrier_map = {}
    for barrier in old.barriers.order_by("position", "pk"):
        barrier_map[barrier.pk] = Barrier.objects.create(
            school=new.school, publication=new, position=barrier.position, text=barrier.text,
            source=barrier.source, suggestion_key=barrier.suggestion_key,
        )  # fmt: skip
    # Principles are matched by ref, so a new version of the principles keeps each activity's links.
    new_principles = {c.ref: c for c in Criterion.objects.filter(version=version)}
    for activity in old.activities.prefetch_related("principles", "barriers").order_by("position", "pk"):
        copy = Activity.objects.create(
            school=new.school, publication=new, position=activity.position, description=activity.description,
            reach=activity.reach, funding_source=activity.funding_source, cost_pence=activity.cost_pence,
        )  # fmt: skip
        copy.principles.set(
            [new_principles[p.ref] for p in activity.principles.all() if p.ref in new_principles]
        )
        copy.barriers.set([barrier_map[b.pk] for b in activity.barriers.all() if b.pk in barrier_map])
    Outcome.objects.bulk_create(
        [
            Outcome(
                school=new.school,
                publication=new,
                position=o.position,
                text=o.text,
                success_criteria=o.success_criteria,
                from_previous=True,
            )  # fmt: skip
            for o in old.outcomes.filter(from_previous=False).order_by("position", "pk")
        ]
    )


# --- the cover and the statement of intent ------------------------------------------------------------------


@transaction.atomic
def publication_cover_update(
    *,
    publication: Publication,
    years: int,
    review_date: date | None,
    authorised_by: str,
    authorised_by_name: str,
    by: Membership,
) -> Publication:
    """Change the years covered, the review date and who authorised the document."""
    policy.check(by, "publication_edit", publication)
    _lock(publication)
    if not 1 <= years <= MAX_YEARS or (not publication.is_strategy and years != 1):
        raise PublicationInvalid("An SEN information report covers one year" if not publication.is_strategy
                                 else f"Enter a number of years from 1 to {MAX_YEARS}")  # fmt: skip
    if authorised_by and authorised_by not in Publication.AuthorisedBy.values:
        raise PublicationInvalid("Select who authorised it")
    publication.years = years
    publication.review_date = review_date
    publication.authorised_by = authorised_by
    publication.authorised_by_name = authorised_by_name.strip()
    publication.updated_at = timezone.now()
    publication.save(
        update_fields=["years", "review_date", "authorised_by", "authorised_by_name", "updated_at"]
    )
    return publication


@transaction.atomic
def statement_update(*, publication: Publication, text: str, by: Membership) -> Publication:
    """Save the strategy's statement of intent: at most 500 words."""
    policy.check(by, "publication_edit", publication)
    _require_strategy(publication)
    if checks.word_count(text) > checks.STATEMENT_MAX_WORDS:
        raise PublicationInvalid(f"Statement of intent must be {checks.STATEMENT_MAX_WORDS} words or fewer")
    _lock(publication)
    publication.statement_of_intent = text.strip()
    publication.updated_at = timezone.now()
    publication.save(update_fields=["statement_of_intent", "updated_at"])
    return publication


# --- barriers ----------------------------------------------------------------------------------------------


@transaction.atomic
def barrier_add(
    *, publication: Publication, text: str, by: Membership, source: str = "", suggestion_key: str = ""
) -> Barrier:
    """Add a barrier at the end of the list: the school's own, or a suggestion it kept (with its source)."""
    policy.check(by, "publication_edit", publication)
    _require_strategy(publication)
    publication = _lock(publication)
    if not text.strip():
        raise PublicationInvalid("Enter the barrier")
    if suggestion_key and publication.barriers.filter(suggestion_key=suggestion_key).exists():
        raise PublicationInvalid("You have already kept this suggestion")
    barrier = Barrier.objects.create(
        school_id=publication.school_id, publication=publication, position=_next_position(publication.barriers),
        text=text.strip(), source=source, suggestion_key=suggestion_key,
    )  # fmt: skip
    _touch(publication)
    return barrier


@transaction.atomic
def barrier_update(*, barrier: Barrier, text: str, by: Membership) -> Barrier:
    policy.check(by, "publication_edit", barrier)
    if not text.strip():
        raise PublicationInvalid("Enter the barrier")
    barrier.text = text.strip()
    barrier.save(update_fields=["text"])
    _touch(barrier.publication)
    return barrier


@transaction.atomic
def barrier_remove(*, barrier: Barrier, by: Membership) -> None:
    """Remove a barrier; later barriers move up a number, and activities stop pointing at it."""
    policy.check(by, "publication_edit", barrier)
    publication = barrier.publication
    barrier.delete()
    _touch(publication)


@transaction.atomic
def suggestion_drop(*, publication: Publication, key: str, by: Membership) -> None:
    """Stop offering a suggestion for this document."""
    policy.check(by, "publication_edit", publication)
    locked = _lock(publication)
    if key and key not in locked.suggestions_dealt_with:
        locked.suggestions_dealt_with = [*locked.suggestions_dealt_with, key]
        locked.save(update_fields=["suggestions_dealt_with"])
    publication.suggestions_dealt_with = locked.suggestions_dealt_with


# --- activities --------------------------------------------------------------------------------------------


@transaction.atomic
def activity_save(
    *,
    publication: Publication,
    description: str,
    reach: str,
    principles: Iterable[Criterion],
    barriers: Iterable[Barrier],
    funding_source: str,
    cost_pence: int | None,
    by: Membership,
    activity: Activity | None = None,
) -> Activity:
    """Add an activity, or change one: what it is, whom it reaches, what it serves, who pays and how much."""
    policy.check(by, "publication_edit", publication)
    _require_strategy(publication)
    publication = _lock(publication)
    principles, barriers = list(principles), list(barriers)
    if not description.strip():
        raise PublicationInvalid("Enter what the activity is")
    if reach and reach not in Activity.Reach.values:
        raise PublicationInvalid("Select universal or targeted")
    if funding_source and funding_source not in Activity.FundingSource.values:
        raise PublicationInvalid("Select where the money comes from")
    if cost_pence is not None and not 0 <= cost_pence <= money.MAX_PENCE:
        raise PublicationInvalid("Enter a cost of £0 or more, and less than £100,000,000")
    if any(p.version_id != publication.principles_version_id for p in principles):
        raise PublicationInvalid("Select principles from the list")
    if any(b.publication_id != publication.pk for b in barriers):
        raise PublicationInvalid("Select barriers from this strategy")
    if activity is None:
        activity = Activity(
            school_id=publication.school_id,
            publication=publication,
            position=_next_position(publication.activities),
        )
    elif activity.publication_id != publication.pk:
        raise PublicationInvalid("That activity belongs to another document")
    activity.description = description.strip()
    activity.reach = reach
    activity.funding_source = funding_source
    activity.cost_pence = cost_pence
    activity.save()
    activity.principles.set(principles)
    activity.barriers.set(barriers)
    _touch(publication)
    return activity


@transaction.atomic
def activity_remove(*, activity: Activity, by: Membership) -> None:
    policy.check(by, "publication_edit", activity)
    publication = activity.publication
    activity.delete()
    _touch(publication)


@transaction.atomic
def activity_from_action(*, publication: Publication, action: Action, by: Membership) -> Activity:
    """Turn one of the school's audit actions into an activity: its words, its cost, its barrier if kept."""
    policy.check(by, "publication_edit", publication)
    policy.check(by, "audit_view", action.audit)
    _require_strategy(publication)
    if action.school_id != publication.school_id:
        raise PublicationInvalid("Select an action from your school's audit")
    publication = _lock(publication)
    if publication.activities.filter(from_action=action).exists():
        raise PublicationInvalid("This action is already an activity in the strategy")
    barrier = None
    if action.criterion_id:
        key = f"audit:{action.audit.public_id}:{action.criterion.ref}"
        barrier = publication.barriers.filter(suggestion_key=key).first()
    activity = Activity.objects.create(
        school_id=publication.school_id, publication=publication, position=_next_position(publication.activities),
        description=action.what.strip(), from_action=action,
        cost_pence=money.pounds_to_pence(action.estimated_cost) if action.estimated_cost is not None else None,
    )  # fmt: skip
    if barrier is not None:
        activity.barriers.set([barrier])
    _touch(publication)
    return activity


# --- outcomes ----------------------------------------------------------------------------------------------


@transaction.atomic
def outcome_save(
    *,
    publication: Publication,
    text: str,
    success_criteria: str,
    by: Membership,
    outcome: Outcome | None = None,
) -> Outcome:
    """Add an intended outcome with its success criteria, or change one."""
    policy.check(by, "publication_edit", publication)
    _require_strategy(publication)
    publication = _lock(publication)
    if not text.strip() or not success_criteria.strip():
        raise PublicationInvalid("Enter the outcome and how you will know you have achieved it")
    if outcome is None:
        outcome = Outcome(
            school_id=publication.school_id,
            publication=publication,
            position=_next_position(publication.outcomes),
        )
    elif outcome.publication_id != publication.pk:
        raise PublicationInvalid("That outcome belongs to another document")
    outcome.text, outcome.success_criteria = text.strip(), success_criteria.strip()
    outcome.save()
    _touch(publication)
    return outcome


@transaction.atomic
def outcome_review(*, outcome: Outcome, what_happened: str, evidence: str, by: Membership) -> Outcome:
    """Record what happened to an outcome over the year, and the evidence for it."""
    policy.check(by, "publication_edit", outcome)
    if not what_happened.strip():
        raise PublicationInvalid("Enter what happened")
    outcome.what_happened, outcome.evidence = what_happened.strip(), evidence.strip()
    outcome.save(update_fields=["what_happened", "evidence"])
    _touch(outcome.publication)
    return outcome


@transaction.atomic
def outcome_remove(*, outcome: Outcome, by: Membership) -> None:
    policy.check(by, "publication_edit", outcome)
    publication = outcome.publication
    outcome.delete()
    _touch(publication)


# --- SEN information report ----------------------------------------------------------------------------------


@transaction.atomic
def section_save(*, publication: Publication, item: str, text: str, by: Membership) -> ReportSection:
    """Save the school's text for one item of the SEN information report."""
    policy.check(by, "publication_edit", publication)
    if publication.is_strategy or item not in schedule1.BY_KEY:
        raise PublicationInvalid("Select an item of the SEN information report")
    publication = _lock(publication)
    section, _ = ReportSection.objects.get_or_create(
        publication=publication, item=item, defaults={"school_id": publication.school_id}
    )
    section.text, section.to_check, section.updated_at = text.strip(), False, timezone.now()
    section.save(update_fields=["text", "to_check", "updated_at"])
    _touch(publication)
    return section


@transaction.atomic
def suggestion_use(
    *, publication: Publication, item: str, suggestion: selectors.Suggestion, by: Membership
) -> ReportSection:
    """Add a suggestion's text to the end of a section, and stop offering it."""
    policy.check(by, "publication_edit", publication)
    current = selectors.section_for(publication, item)
    text = f"{current.text}\n\n{suggestion.text}" if current and current.text.strip() else suggestion.text
    section = section_save(publication=publication, item=item, text=text, by=by)
    suggestion_drop(publication=publication, key=suggestion.key, by=by)
    return section


# --- publishing and approval ---------------------------------------------------------------------------------


@transaction.atomic
def publication_publish(*, publication: Publication, by: Membership) -> PublishedVersion:
    """Publish the draft as it stands: the public page, PDF and Word file show this until it is published again.

    The check never stops publication. The PDF is rendered in the background by the report pipeline.
    """
    policy.check(by, "publication_publish", publication)
    original, publication = publication, _lock(publication)
    content = selectors.document_content(publication)
    now = timezone.now()
    content["published_on"] = selectors.long_date(now)
    version = PublishedVersion.objects.create(
        school_id=publication.school_id,
        publication=publication,
        number=(publication.versions.aggregate(m=Max("number"))["m"] or 0) + 1,
        content=content,
        published_at=now,
        published_by=by.user,
    )
    publication.current_version = original.current_version = version
    publication.save(update_fields=["current_version"])
    reports.report_request(kind=selectors.REPORT_KINDS[publication.kind], subject=version, by=by)
    return version


@transaction.atomic
def publication_unpublish(*, publication: Publication, by: Membership) -> Publication:
    """Take the document off its public page: the link answers "page not found" until it is published again."""
    policy.check(by, "publication_publish", publication)
    original, publication = publication, _lock(publication)
    if publication.current_version_id is None:
        raise PublicationInvalid("This document is not published")
    PublishedVersion.objects.filter(pk=publication.current_version_id).update(withdrawn_at=timezone.now())
    publication.current_version = original.current_version = None
    publication.save(update_fields=["current_version"])
    return publication


@transaction.atomic
def board_approval_record(
    *, publication: Publication, approved_on: date, minute_reference: str, by: Membership
) -> BoardApproval:
    """Record that the governing board approved the document, at a meeting, under a minute reference."""
    policy.check(by, "publication_approve", publication)
    if approved_on > timezone.localdate():
        raise PublicationInvalid("The date of the meeting must be today or in the past")
    if not minute_reference.strip():
        raise PublicationInvalid("Enter the minute reference")
    return BoardApproval.objects.create(
        school_id=publication.school_id,
        publication=publication,
        approved_on=approved_on,
        minute_reference=minute_reference.strip(),
        draft_changed_at=publication.updated_at,
        recorded_by=by.user,
    )


def next_year(publication: Publication) -> str:
    """Return the academic year after the last one the publication covers (for starting the next)."""
    return academic_year_after(publication.last_year)
