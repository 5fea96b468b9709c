"""Writes for pupils, carers, graduated-approach cycles, EHC plans and their versions.

Every write is atomic and checks its own rules; a refused request raises a DomainError whose message is
shown to the person. A version the school has handed to the LA, or a final one, is never changed here.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from ehcp import census
from ehcp.models import (
    PROVISION_SECTIONS,
    SECTION_CODES,
    SHARED_WITH_LA,
    Advice,
    Carer,
    Need,
    Outcome,
    Plan,
    PlanComment,
    PlanEvent,
    PlanVersion,
    Provision,
    Pupil,
    SupportCycle,
    VersionStatus,
    YearGroup,
)
from sendplan.models import Membership, School
from sendplan.services import DomainError

OLDEST_PUPIL_YEARS = 25  # EHC plans can run to age 25; an older date of birth is a typing error


class PupilInvalid(DomainError):
    """A pupil's details break a rule; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


class VersionLocked(DomainError):
    pass


class PlanStateError(DomainError):
    pass


@dataclass
class ImportProblem:
    line: int
    field: str
    message: str


class ImportInvalid(DomainError):
    """The file could not be imported; ``problems`` lists every problem with its line and column."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}")


# --- pupils ----------------------------------------------------------------------------------------------


def _need_error_field(message: str) -> str:
    # census.validate_needs returns sentences; attach each to the field the person must change.
    if "provision code" in message:
        return "sen_provision"
    if message.startswith("Secondary") or "recorded as the primary" in message:
        return "secondary_need"
    return "primary_need"


def pupil_validate(
    *,
    school: School,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    year_group: str,
    upn: str,
    sen_provision: str,
    primary_need: str,
    secondary_need: str,
    pupil: Pupil | None = None,
    today: date | None = None,
) -> dict[str, str]:
    """Return a message for each field that breaks a rule (census codes, UPN, dates); empty if valid."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not first_name.strip():
        errors["first_name"] = "Enter the pupil's first name"
    if not last_name.strip():
        errors["last_name"] = "Enter the pupil's last name"
    if date_of_birth is None:
        errors["date_of_birth"] = "Enter the pupil's date of birth"
    elif date_of_birth > today:
        errors["date_of_birth"] = "Date of birth must be in the past"
    elif date_of_birth.year < today.year - OLDEST_PUPIL_YEARS - 1:
        errors["date_of_birth"] = f"Date of birth must be within the last {OLDEST_PUPIL_YEARS} years"
    if year_group not in YearGroup.values:
        errors["year_group"] = "Select a year group from Reception to Year 14"
    if upn:
        upn = census.normalise_upn(upn)
        if message := census.validate_upn(upn):
            errors["upn"] = message
        elif Pupil.objects.filter(school=school, upn=upn).exclude(pk=getattr(pupil, "pk", None)).exists():
            errors["upn"] = "Another pupil at this school already has this UPN"
    for message in census.validate_needs(
        provision=sen_provision, primary=primary_need or None, secondary=secondary_need or None
    ):
        errors.setdefault(_need_error_field(message), message)
    return errors


@transaction.atomic
def pupil_save(*, school: School, pupil: Pupil | None = None, legal_hold: bool = False, **data) -> Pupil:
    """Add a pupil to the school's SEN register, or change one already on it."""
    errors = pupil_validate(school=school, pupil=pupil, **data)
    if errors:
        raise PupilInvalid(errors)
    pupil = pupil or Pupil(school=school)
    if pupil.school_id != school.pk:
        raise DomainError("That pupil is not at your school.")
    for name, value in data.items():
        setattr(pupil, name, value.strip() if isinstance(value, str) else value)
    pupil.upn = census.normalise_upn(pupil.upn)
    pupil.legal_hold = legal_hold
    pupil.updated_at = timezone.now()
    pupil.save()
    return pupil


@transaction.atomic
def carer_add(*, pupil: Pupil, name: str, relationship: str, phone: str = "", email: str = "") -> Carer:
    """Record a parent or carer of the pupil."""
    return Carer.objects.create(
        school=pupil.school, pupil=pupil, name=name, relationship=relationship, phone=phone, email=email
    )


@transaction.atomic
def carer_remove(*, carer: Carer) -> None:
    """Remove a parent or carer from the pupil's record."""
    carer.delete()


@transaction.atomic
def cycle_save(*, pupil: Pupil, cycle: SupportCycle | None = None, **data) -> SupportCycle:
    """Record one assess, plan, do, review cycle for the pupil, or change one."""
    if data["review_date"] < data["started_on"]:
        raise DomainError("The review date must be on or after the date the cycle started.")
    cycle = cycle or SupportCycle(school=pupil.school, pupil=pupil)
    for name, value in data.items():
        setattr(cycle, name, value)
    cycle.save()
    return cycle


# --- CSV import ------------------------------------------------------------------------------------------

IMPORT_MAX_BYTES = 1024 * 1024
IMPORT_MAX_ROWS = 5000
IMPORT_REQUIRED = ["first_name", "last_name", "date_of_birth", "year_group", "sen_provision"]
IMPORT_OPTIONAL = [
    "upn",
    "primary_need",
    "secondary_need",
    "carer_name",
    "carer_relationship",
    "carer_phone",
    "carer_email",
]
YEAR_ALIASES = {"R": "R", "RECEPTION": "R", "YR": "R"} | {
    alias: str(n) for n in range(1, 15) for alias in (str(n), f"Y{n}", f"YEAR {n}")
}


def _parse_date(text: str) -> date | None:
    text = text.strip()
    for parse in (
        lambda t: date.fromisoformat(t),
        lambda t: date(*reversed([int(p) for p in t.split("/")])),
    ):
        try:
            return parse(text)
        except (ValueError, TypeError):
            continue
    return None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    pupils: list[Pupil] = field(default_factory=list)


@transaction.atomic
def pupil_import(*, school: School, content: bytes, today: date | None = None) -> ImportResult:
    """Add or update the pupils in a CSV file exported from the school's MIS: all rows, or none.

    A row whose UPN matches a pupil already at the school updates that pupil; any other row adds one.
    Raise ImportInvalid listing every problem (line number and column) if any row is invalid.
    """
    if len(content) > IMPORT_MAX_BYTES:
        raise ImportInvalid([ImportProblem(0, "file", "The file must be smaller than 1 MB")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportInvalid(
            [ImportProblem(0, "file", "The file must be a CSV file saved as UTF-8")]
        ) from None
    if "\x00" in text:  # a binary file renamed .csv; the database would refuse the NUL character anyway
        raise ImportInvalid([ImportProblem(0, "file", "The file must be a CSV file saved as UTF-8")])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [h for h in IMPORT_REQUIRED if h not in headers]
    if missing:
        raise ImportInvalid(
            [ImportProblem(1, "header", f"The first row must name the column '{h}'") for h in missing]
        )
    reader.fieldnames = headers
    problems: list[ImportProblem] = []
    rows: list[tuple[int, dict]] = []
    upns_in_file: dict[str, int] = {}
    for index, raw in enumerate(reader):
        line = reader.line_num
        if index >= IMPORT_MAX_ROWS:
            raise ImportInvalid(
                [ImportProblem(line, "file", f"The file must have at most {IMPORT_MAX_ROWS} rows")]
            )
        if None in raw:
            problems.append(
                ImportProblem(line, "row", "This row has more values than the header has columns")
            )
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        dob = _parse_date(row.get("date_of_birth", ""))
        year = YEAR_ALIASES.get(row.get("year_group", "").upper(), row.get("year_group", ""))
        data = {
            "first_name": row.get("first_name", ""),
            "last_name": row.get("last_name", ""),
            "date_of_birth": dob,
            "year_group": year,
            "upn": census.normalise_upn(row.get("upn", "")),
            "sen_provision": row.get("sen_provision", "").upper(),
            "primary_need": row.get("primary_need", "").upper(),
            "secondary_need": row.get("secondary_need", "").upper(),
        }
        existing = None
        if data["upn"]:
            existing = Pupil.objects.filter(school=school, upn=data["upn"]).first()
            if data["upn"] in upns_in_file:
                problems.append(
                    ImportProblem(line, "upn", f"This UPN is also on line {upns_in_file[data['upn']]}")
                )
            upns_in_file[data["upn"]] = line
        errors = pupil_validate(school=school, pupil=existing, today=today, **data)
        if dob is None and row.get("date_of_birth"):
            errors["date_of_birth"] = "Date of birth must be a real date, like 2016-09-23 or 23/09/2016"
        carer = {
            k[6:]: row.get(k, "") for k in ("carer_name", "carer_relationship", "carer_phone", "carer_email")
        }
        if carer["name"] and not carer["relationship"]:
            errors["carer_relationship"] = "Enter the carer's relationship to the pupil"
        problems += [ImportProblem(line, name, message) for name, message in errors.items()]
        rows.append((line, {"data": data, "existing": existing, "carer": carer}))
    if problems:
        raise ImportInvalid(problems)
    if not rows:
        raise ImportInvalid([ImportProblem(2, "file", "The file has no pupils in it")])
    result = ImportResult()
    for _line, row in rows:
        pupil = pupil_save(
            school=school,
            pupil=row["existing"],
            legal_hold=getattr(row["existing"], "legal_hold", False),
            **row["data"],
        )
        if row["existing"] is None:
            result.created += 1
        else:
            result.updated += 1
        if row["carer"]["name"] and not pupil.carers.filter(name=row["carer"]["name"]).exists():
            carer_add(pupil=pupil, **row["carer"])
        result.pupils.append(pupil)
    return result


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


@transaction.atomic
def plan_start(*, pupil: Pupil, requested_on: date, by: Membership) -> Plan:
    """Start an EHC plan for the pupil, from the date the assessment was requested, with a first draft."""
    if requested_on > timezone.localdate():
        raise DomainError("The date the assessment was requested must be today or in the past.")
    if pupil.plans.exists():
        raise PlanStateError(f"{pupil.full_name} already has a plan.")
    plan = Plan.objects.create(school=pupil.school, pupil=pupil, requested_on=requested_on)
    version = PlanVersion.objects.create(school=plan.school, plan=plan, number=1)
    _event(plan, by, PlanEvent.Action.CREATED, version=version)
    return plan


PLAN_DATE_FIELDS = [
    "requested_on",
    "decided_on",
    "advice_requested_on",
    "draft_sent_on",
    "final_issued_on",
    "last_review_meeting_on",
    "phase_transfer_on",
    "phase_transfer_to_post16",
]


@transaction.atomic
def plan_dates_update(*, plan: Plan, by: Membership, **dates) -> Plan:
    """Record the dates of the assessment, the final plan, the last review and the next phase transfer."""
    today = timezone.localdate()
    requested = dates.get("requested_on", plan.requested_on)
    for name in (
        "decided_on",
        "advice_requested_on",
        "draft_sent_on",
        "final_issued_on",
        "last_review_meeting_on",
    ):
        value = dates.get(name)
        if value is not None and value > today:
            raise DomainError(f"{Plan._meta.get_field(name).verbose_name} must be today or in the past.")
        if value is not None and value < requested:
            raise DomainError(
                f"{Plan._meta.get_field(name).verbose_name} must be on or after the request date."
            )
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
def section_text_update(*, version: PlanVersion, section: str, **texts: str) -> PlanVersion:
    """Save the text of section A, C, D, I or J."""
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
def section_mark(*, version: PlanVersion, section: str, completed: bool) -> PlanVersion:
    """Mark a section as completed, or as still in progress."""
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
def need_save(*, version: PlanVersion, need: Need | None = None, area_of_need: str, text: str) -> Need:
    """Add a need to section B, or change one."""
    version = _editable(version)
    need = need or Need(version=version, school=version.school, position=_next_position(version.needs))
    need.area_of_need, need.text = area_of_need, text
    need.full_clean(exclude=["version", "school"])
    need.save()
    _reopen(version, "B")
    return need


@transaction.atomic
def outcome_save(
    *, version: PlanVersion, outcome: Outcome | None = None, text: str, timeframe: str, steps: str, needs
) -> Outcome:
    """Add an outcome to section E, or change one, linked to the needs it addresses."""
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


PROVISION_FIELDS = [
    "what",
    "who",
    "expertise",
    "frequency",
    "duration",
    "group_size",
    "start_date",
    "review_date",
    "responsible_body",
]


@transaction.atomic
def provision_save(
    *, version: PlanVersion, section: str, provision: Provision | None = None, needs, outcomes, **data
) -> Provision:
    """Add provision to section F, G, H1 or H2, or change it, linked to the needs and outcomes it serves."""
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
    *, version: PlanVersion, advice: Advice | None = None, source: str, author: str, date: date
) -> Advice:
    """List advice or information gathered during the assessment in section K."""
    version = _editable(version)
    advice = advice or Advice(version=version, school=version.school, position=_next_position(version.advice))
    advice.source, advice.author, advice.date = source, author, date
    advice.save()
    _reopen(version, "K")
    return advice


@transaction.atomic
def item_remove(*, version: PlanVersion, section: str, item) -> None:
    """Remove a need, outcome, provision or advice item from a version the school holds."""
    version = _editable(version)
    if item.version_id != version.pk:
        raise DomainError("That item is not in this plan.")
    item.delete()
    _reopen(version, section)


@transaction.atomic
def plan_submit(*, plan: Plan, by: Membership) -> PlanVersion:
    """Hand the current version to the school's LA; the school cannot change it until it is returned."""
    _lock(plan)
    version = _editable(current_version(plan))
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["status", "submitted_at"])
    plan.status = VersionStatus.SUBMITTED
    plan.save(update_fields=["status"])
    _event(plan, by, PlanEvent.Action.SUBMITTED, version=version)
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
    # The LA comments on the latest version it has; a later draft of amendments is still the school's.
    version = plan.versions.filter(status__in=SHARED_WITH_LA).order_by("-number").first()
    if version is None:
        raise PlanStateError("You can comment once the school has submitted the plan.")
    comment = _comment(version, by, text, section)
    _event(plan, by, PlanEvent.Action.COMMENTED, version=version, note=text)
    return comment


@transaction.atomic
def plan_return(*, plan: Plan, by: Membership, reason: str) -> PlanVersion:
    """Return a submitted version to the school with the reason, so they can change it and resubmit."""
    _lock(plan)
    version = _submitted(plan)
    version.status = VersionStatus.RETURNED
    version.save(update_fields=["status"])
    plan.status = VersionStatus.RETURNED
    plan.save(update_fields=["status"])
    _comment(version, by, reason)
    _event(plan, by, PlanEvent.Action.RETURNED, version=version, note=reason)
    return version


@transaction.atomic
def plan_finalise(*, plan: Plan, by: Membership, issued_on: date | None = None) -> PlanVersion:
    """Mark the submitted version final: it never changes again; later changes are proposed amendments."""
    _lock(plan)
    version = _submitted(plan)
    now = timezone.now()
    version.status, version.kind, version.finalised_at = VersionStatus.FINAL, PlanVersion.Kind.FINAL, now
    version.save(update_fields=["status", "kind", "finalised_at"])
    plan.status = VersionStatus.FINAL
    if plan.final_issued_on is None:
        plan.final_issued_on = issued_on or timezone.localdate()
    plan.save(update_fields=["status", "final_issued_on"])
    _event(plan, by, PlanEvent.Action.FINALISED, version=version)
    return version


@transaction.atomic
def plan_amendments_start(*, plan: Plan, by: Membership) -> PlanVersion:
    """Start a new version as proposed amendments, copied from the final plan."""
    _lock(plan)
    latest = PlanVersion.objects.select_for_update().get(pk=current_version(plan).pk)
    if latest.status != VersionStatus.FINAL:
        raise PlanStateError("You can propose amendments only to a final plan.")
    version = _version_copy(latest, kind=PlanVersion.Kind.PROPOSED_AMENDMENTS)
    plan.status = VersionStatus.DRAFT
    plan.save(update_fields=["status"])
    _event(plan, by, PlanEvent.Action.AMENDMENTS_STARTED, version=version)
    return version


def _version_copy(source: PlanVersion, *, kind: str) -> PlanVersion:
    version = PlanVersion.objects.create(
        school=source.school,
        plan=source.plan,
        number=source.number + 1,
        kind=kind,
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
