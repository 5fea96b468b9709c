"""Writes for EHC plans and their versions: dates, sections, items, submit, return, finalise, amend."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from ehcp.models import (
    PROVISION_SECTIONS,
    SECTION_CODES,
    SHARED_WITH_LA,
    Advice,
    AnnualReview,
    Need,
    Outcome,
    Plan,
    PlanComment,
    PlanEvent,
    PlanVersion,
    Provision,
    Pupil,
    VersionStatus,
)
from notifications import notify
from sendplan import policy
from sendplan.models import Membership
from sendplan.services import DomainError


class VersionLocked(DomainError):
    pass


class PlanStateError(DomainError):
    pass


class PlanExists(PlanStateError):
    """The pupil already has a plan (one plan per pupil; changes are versions of it)."""


# --- plans -----------------------------------------------------------------------------------------------


def _event(plan: Plan, by: Membership, action: str, *, version: PlanVersion | None = None, note: str = ""):
    PlanEvent.objects.create(
        school=plan.school,
        plan=plan,
        version_number=version.number if version else None,
        actor=by.user,
        actor_role=by.role,
        action=action,
        note=note,
    )


def current_version(plan: Plan) -> PlanVersion:
    """Return the plan's latest version."""
    return plan.versions.order_by("-number").first()


def _lock(plan: Plan) -> Plan:
    # Every change of a plan's state takes the plan's row lock first, so two requests at once (a double
    # click, two officers) run one after the other and the second sees what the first did.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    return plan


class PlanDatesInvalid(DomainError):
    """A plan's dates break a rule; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


# The dates that record a step already taken after the request (the next phase is still to come).
STEP_DATES = (
    "decided_on",
    "advice_requested_on",
    "draft_sent_on",
    "draft_served_on",
    "final_issued_on",
    "last_review_meeting_on",
    "last_review_concluded_on",
)


def _the(name: str) -> str:
    label = Plan._meta.get_field(name).verbose_name
    return f"The {label[0].lower()}{label[1:]}"


def plan_dates_validate(*, today: date | None = None, **dates: date | bool | None) -> dict[str, str]:
    """Return a message for each of a plan's dates that breaks a rule; empty if they are all valid.

    The dates record what has happened, so none is in the future, and every step comes on or after the
    request the deadlines run from. Forms show these messages by their fields; services refuse with them.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    requested = dates.get("requested_on")
    if requested is not None and requested > today:
        errors["requested_on"] = f"{_the('requested_on')} must be today or in the past"
    for name in STEP_DATES:
        value = dates.get(name)
        if value is None:
            continue
        if value > today:
            errors[name] = f"{_the(name)} must be today or in the past"
        elif requested is not None and value < requested:
            errors[name] = f"{_the(name)} must be the same as or after {_the('requested_on').lower()}"
    # A document is served on or after the day it was sent (the database holds the same rule).
    sent, served = dates.get("draft_sent_on"), dates.get("draft_served_on")
    if served is not None and "draft_served_on" not in errors:
        if sent is None:
            errors["draft_served_on"] = f"Enter {_the('draft_sent_on').lower()} as well"
        elif served < sent:
            errors["draft_served_on"] = (
                f"{_the('draft_served_on')} must be the same as or after {_the('draft_sent_on').lower()}"
            )
    return errors


@transaction.atomic
def plan_start(*, pupil: Pupil, requested_on: date, by: Membership, started_by: str = "request") -> Plan:
    """Start an EHC plan with a first draft, counted from the request or the day the LA became responsible."""
    policy.check(by, "plan_edit", pupil)
    if errors := plan_dates_validate(requested_on=requested_on):
        raise PlanDatesInvalid(errors)
    if pupil.plans.exists():
        raise PlanExists(f"{pupil.full_name} already has a plan.")
    try:
        with transaction.atomic():  # a savepoint: a double click's second request loses here, cleanly
            plan = Plan.objects.create(
                school=pupil.school, pupil=pupil, requested_on=requested_on, started_by=started_by
            )
    except IntegrityError as exc:
        raise PlanExists(f"{pupil.full_name} already has a plan.") from exc
    version = PlanVersion.objects.create(school=plan.school, plan=plan, number=1)
    _event(plan, by, PlanEvent.Action.CREATED, version=version)
    return plan


PLAN_DATE_FIELDS = [
    *Plan.DATE_FIELDS,
    "started_by",
    "draft_sent_by",
    "time_limit_exception",
    "phase_transfer_to_post16",
]


@transaction.atomic
def plan_dates_update(*, plan: Plan, by: Membership, **dates) -> Plan:
    """Record the dates of the assessment, the final plan, the last review and the next phase transfer."""
    policy.check(by, "plan_edit", plan)
    if errors := plan_dates_validate(**{"requested_on": plan.requested_on, **dates}):
        raise PlanDatesInvalid(errors)
    for name, value in dates.items():
        setattr(plan, name, value)
    plan.save()
    _event(plan, by, PlanEvent.Action.DATES_CHANGED)
    return plan


def _editable(version: PlanVersion) -> PlanVersion:
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        if version.status == VersionStatus.FINAL:
            raise VersionLocked(
                "This version is final and cannot be changed. Start proposed amendments instead."
            )
        if version.status == VersionStatus.RETURNED:
            raise VersionLocked("This version was returned by the LA. Change the new draft made from it.")
        raise VersionLocked("This version is with the LA. You can change it if they return it to you.")
    return version


TEXT_SECTIONS = {
    "A": ["a_views", "a_history", "a_communication"],
    "C": ["c_health_needs"],
    "D": ["d_social_care_needs"],
    "I": ["i_placement"],
    "J": ["j_personal_budget"],
}


@transaction.atomic
def section_text_update(*, version: PlanVersion, section: str, by: Membership, **texts: str) -> PlanVersion:
    """Save the text of section A, C, D, I or J."""
    policy.check(by, "plan_edit", version)
    version = _editable(version)
    allowed = TEXT_SECTIONS.get(section, [])
    unknown = set(texts) - set(allowed)
    if unknown:
        raise DomainError(f"Section {section} has no field {', '.join(sorted(unknown))}.")
    if section == "I" and version.kind == PlanVersion.Kind.DRAFT and texts.get("i_placement"):
        raise DomainError(
            "Section I is left blank in a draft plan: the LA names the school in the final plan."
        )
    for name, value in texts.items():
        setattr(version, name, value)
    version.save(update_fields=list(texts))
    return version


@transaction.atomic
def section_mark(*, version: PlanVersion, section: str, completed: bool, by: Membership) -> PlanVersion:
    """Mark a section as completed, or as still in progress."""
    policy.check(by, "plan_edit", version)
    if section not in SECTION_CODES:
        raise DomainError("There is no such section.")
    version = _editable(version)
    done = [s for s in version.completed_sections if s != section]
    if completed:
        done.append(section)
    version.completed_sections = sorted(done, key=SECTION_CODES.index)
    version.save(update_fields=["completed_sections"])
    return version


def _reopen(version: PlanVersion, section: str) -> None:
    # Changing a section's items means it is being worked on again.
    if section in version.completed_sections:
        version.completed_sections = [s for s in version.completed_sections if s != section]
        version.save(update_fields=["completed_sections"])


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _own(version: PlanVersion, items, model) -> list:
    """Return the given items only if every one belongs to this version (never another plan's rows)."""
    items = list(items or [])
    ids = {item.pk for item in items}
    if ids and model.objects.filter(version=version, pk__in=ids).count() != len(ids):
        raise DomainError("Link only to items in this plan.")
    return items


@transaction.atomic
def need_save(
    *, version: PlanVersion, by: Membership, need: Need | None = None, area_of_need: str, text: str
) -> Need:
    """Add a need to section B, or change one."""
    policy.check(by, "plan_edit", version)
    version = _editable(version)
    need = need or Need(version=version, school=version.school, position=_next_position(version.needs))
    need.area_of_need, need.text = area_of_need, text
    need.full_clean(exclude=["version", "school"])
    need.save()
    _reopen(version, "B")
    return need


@transaction.atomic
def outcome_save(
    *,
    version: PlanVersion,
    by: Membership,
    outcome: Outcome | None = None,
    text: str,
    timeframe: str,
    steps: str,
    needs,
) -> Outcome:
    """Add an outcome to section E, or change one, linked to the needs it addresses."""
    policy.check(by, "plan_edit", version)
    version = _editable(version)
    needs = _own(version, needs, Need)
    outcome = outcome or Outcome(
        version=version, school=version.school, position=_next_position(version.outcomes)
    )
    outcome.text, outcome.timeframe, outcome.steps = text, timeframe, steps
    outcome.save()
    outcome.needs.set(needs)
    _reopen(version, "E")
    return outcome


PROVISION_FIELDS = list(Provision.DETAIL_FIELDS)


@transaction.atomic
def provision_save(
    *,
    version: PlanVersion,
    by: Membership,
    section: str,
    provision: Provision | None = None,
    needs,
    outcomes,
    **data,
) -> Provision:
    """Add provision to section F, G, H1 or H2, or change it, linked to the needs and outcomes it serves."""
    policy.check(by, "plan_edit", version)
    if section not in PROVISION_SECTIONS:
        raise DomainError("Provision belongs in section F, G, H1 or H2.")
    version = _editable(version)
    needs = _own(version, needs, Need)
    outcomes = _own(version, outcomes, Outcome)
    start, review = data.get("start_date"), data.get("review_date")
    if start and review and review < start:
        raise DomainError("The review date must be on or after the start date.")
    provision = provision or Provision(
        version=version,
        school=version.school,
        section=section,
        position=_next_position(version.provisions.filter(section=section)),
    )
    for name in PROVISION_FIELDS:
        setattr(provision, name, data.get(name) if name.endswith("_date") else data.get(name, ""))
    provision.save()
    provision.needs.set(needs)
    provision.outcomes.set(outcomes)
    _reopen(version, section)
    return provision


@transaction.atomic
def advice_save(
    *,
    version: PlanVersion,
    by: Membership,
    advice: Advice | None = None,
    source: str,
    author: str,
    date: date,
) -> Advice:
    """List advice or information gathered during the assessment in section K."""
    policy.check(by, "plan_edit", version)
    version = _editable(version)
    advice = advice or Advice(version=version, school=version.school, position=_next_position(version.advice))
    advice.source, advice.author, advice.date = source, author, date
    advice.save()
    _reopen(version, "K")
    return advice


@transaction.atomic
def item_remove(*, version: PlanVersion, section: str, item, by: Membership) -> None:
    """Remove a need, outcome, provision or advice item from a version the school holds."""
    policy.check(by, "plan_edit", version)
    version = _editable(version)
    if item.version_id != version.pk:
        raise DomainError("That item is not in this plan.")
    item.delete()
    _reopen(version, section)


@transaction.atomic
def plan_submit(*, plan: Plan, by: Membership) -> PlanVersion:
    """Hand the current version to the school's LA; the school cannot change it until it is returned."""
    policy.check(by, "plan_submit", plan)
    _lock(plan)
    version = _editable(current_version(plan))
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["status", "submitted_at"])
    plan.status = VersionStatus.SUBMITTED
    plan.save(update_fields=["status"])
    _event(plan, by, PlanEvent.Action.SUBMITTED, version=version)
    notify.plan_submitted(plan=plan, version=version)
    return version


def _submitted(plan: Plan) -> PlanVersion:
    version = PlanVersion.objects.select_for_update().get(pk=current_version(plan).pk)
    if version.status != VersionStatus.SUBMITTED:
        raise PlanStateError("Only a version submitted to the LA can be returned or marked final.")
    return version


def _comment(version: PlanVersion, by: Membership, text: str, section: str = "") -> PlanComment:
    return PlanComment.objects.create(
        school=version.school,
        version=version,
        author=by.user,
        author_role=by.role,
        author_organisation=by.organisation_name,
        section=section,
        text=text,
    )


@transaction.atomic
def plan_comment_add(*, plan: Plan, by: Membership, text: str, section: str = "") -> PlanComment:
    """Add a comment to the version the LA has, optionally about one section."""
    policy.check(by, "plan_comment", plan)
    # The LA comments on the latest version it has; a later draft of amendments is still the school's.
    version = plan.versions.filter(status__in=SHARED_WITH_LA).order_by("-number").first()
    if version is None:
        raise PlanStateError("You can comment once the school has submitted the plan.")
    comment = _comment(version, by, text, section)
    _event(plan, by, PlanEvent.Action.COMMENTED, version=version, note=text)
    return comment


@transaction.atomic
def plan_return(*, plan: Plan, by: Membership, reason: str) -> PlanVersion:
    """Return a submitted version to the school with the reason; the school changes a new draft made from it.

    The returned version itself never changes, so the LA goes on seeing what the school submitted (not a
    half-finished redraft) until the school submits again.
    """
    policy.check(by, "plan_decide", plan)
    _lock(plan)
    version = _submitted(plan)
    version.status = VersionStatus.RETURNED
    version.save(update_fields=["status"])
    plan.status = VersionStatus.RETURNED
    plan.save(update_fields=["status"])
    _comment(version, by, reason)
    _version_copy(version, kind=version.kind, completed=version.completed_sections)
    _event(plan, by, PlanEvent.Action.RETURNED, version=version, note=reason)
    notify.plan_returned(plan=plan, version=version)
    return version


@transaction.atomic
def plan_finalise(*, plan: Plan, by: Membership, issued_on: date | None = None) -> PlanVersion:
    """Mark the submitted version final: it never changes again; later changes are proposed amendments."""
    policy.check(by, "plan_decide", plan)
    _lock(plan)
    version = _submitted(plan)
    amending = version.kind == PlanVersion.Kind.PROPOSED_AMENDMENTS
    now = timezone.now()
    issued_on = issued_on or timezone.localdate()
    version.status, version.kind, version.finalised_at = VersionStatus.FINAL, PlanVersion.Kind.FINAL, now
    version.save(update_fields=["status", "kind", "finalised_at"])
    plan.status = VersionStatus.FINAL
    if plan.final_issued_on is None:
        plan.final_issued_on = issued_on
    plan.save(update_fields=["status", "final_issued_on"])
    if amending:
        # The amended plan that follows an annual review ends that review's steps (Regs 22(3)).
        AnnualReview.objects.filter(
            plan=plan, decision=AnnualReview.Decision.AMEND, amended_plan_issued_on__isnull=True
        ).update(amended_plan_issued_on=issued_on)
    _event(plan, by, PlanEvent.Action.FINALISED, version=version)
    notify.plan_finalised(plan=plan, version=version)
    return version


@transaction.atomic
def plan_amendments_start(*, plan: Plan, by: Membership) -> PlanVersion:
    """Start a new version as proposed amendments, copied from the final plan."""
    policy.check(by, "plan_edit", plan)
    _lock(plan)
    latest = PlanVersion.objects.select_for_update().get(pk=current_version(plan).pk)
    if latest.status != VersionStatus.FINAL:
        raise PlanStateError("You can propose amendments only to a final plan.")
    version = _version_copy(latest, kind=PlanVersion.Kind.PROPOSED_AMENDMENTS)
    plan.status = VersionStatus.DRAFT
    plan.save(update_fields=["status"])
    _event(plan, by, PlanEvent.Action.AMENDMENTS_STARTED, version=version)
    return version


def _version_copy(source: PlanVersion, *, kind: str, completed: list | None = None) -> PlanVersion:
    version = PlanVersion.objects.create(
        school=source.school,
        plan=source.plan,
        number=source.number + 1,
        kind=kind,
        completed_sections=list(completed or []),
        **{name: getattr(source, name) for fields in TEXT_SECTIONS.values() for name in fields},
    )
    needs = {}
    for need in source.needs.all():
        needs[need.pk] = Need.objects.create(
            version=version, school=version.school, lineage=need.lineage, position=need.position,
            area_of_need=need.area_of_need, text=need.text,
        )  # fmt: skip
    outcomes = {}
    for outcome in source.outcomes.prefetch_related("needs"):
        copy = Outcome.objects.create(
            version=version, school=version.school, lineage=outcome.lineage, position=outcome.position,
            text=outcome.text, timeframe=outcome.timeframe, steps=outcome.steps,
        )  # fmt: skip
        copy.needs.set([needs[n.pk] for n in outcome.needs.all()])
        outcomes[outcome.pk] = copy
    for provision in source.provisions.prefetch_related("needs", "outcomes"):
        copy = Provision.objects.create(
            version=version, school=version.school, lineage=provision.lineage, position=provision.position,
            section=provision.section, **{name: getattr(provision, name) for name in PROVISION_FIELDS},
        )  # fmt: skip
        copy.needs.set([needs[n.pk] for n in provision.needs.all()])
        copy.outcomes.set([outcomes[o.pk] for o in provision.outcomes.all()])
    for advice in source.advice.all():
        Advice.objects.create(
            version=version, school=version.school, lineage=advice.lineage, position=advice.position,
            source=advice.source, author=advice.author, date=advice.date,
        )  # fmt: skip
    return version
