"""Writes for pupils on the SEN register: adding and changing them, leavers, records added in error, the
legal hold, carers and graduated-approach cycles."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from ehcp import census
from ehcp.models import Carer, LookedAfter, Plan, Pupil, SupportCycle, YearGroup
from sendplan import policy
from sendplan.models import Membership, School
from sendplan.services import DomainError, access_events_record

OLDEST_PUPIL_YEARS = 25  # EHC plans can run to age 25; an older date of birth is a typing error
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"


class PupilInvalid(DomainError):
    """A pupil's details break a rule; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


class CarerInvalid(DomainError):
    """A carer's details break a rule; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


class PupilNotRemovable(DomainError):
    """The record cannot be deleted: it has an EHC plan, or is under a legal hold."""


# --- pupils ----------------------------------------------------------------------------------------------


def _need_error_field(message: str) -> str:
    # census.validate_needs returns sentences; attach each to the field the person must change.
    if "provision code" in message:
        return "sen_provision"
    if message.startswith("Secondary") or "recorded as the primary" in message:
        return "secondary_need"
    return "primary_need"


def _too_long(model, name: str, value: str, label: str) -> str | None:
    # The column's own limit, so a value the database would refuse is a message, not a server error.
    limit = model._meta.get_field(name).max_length
    return f"{label} must be {limit} characters or fewer" if len(value) > limit else None


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
    added_to_register_on: date | None = None,
    looked_after: str = LookedAfter.NO,
    free_school_meals: bool = False,
    pupil_premium: bool = False,
    eal: bool = False,
    pupil: Pupil | None = None,
    today: date | None = None,
    check_upn_unique: bool = True,
) -> dict[str, str]:
    """Return a message for each field that breaks a rule (census codes, UPN, dates); empty if valid.

    An import that has already matched each UPN to its pupil passes ``check_upn_unique=False``.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not first_name.strip():
        errors["first_name"] = "Enter the pupil's first name"
    elif message := _too_long(Pupil, "first_name", first_name.strip(), "First name"):
        errors["first_name"] = message
    if not last_name.strip():
        errors["last_name"] = "Enter the pupil's last name"
    elif message := _too_long(Pupil, "last_name", last_name.strip(), "Last name"):
        errors["last_name"] = message
    if date_of_birth is None:
        errors["date_of_birth"] = "Enter the pupil's date of birth"
    elif date_of_birth > today:
        errors["date_of_birth"] = "Date of birth must be in the past"
    elif date_of_birth.year < today.year - OLDEST_PUPIL_YEARS - 1:
        errors["date_of_birth"] = f"Date of birth must be within the last {OLDEST_PUPIL_YEARS} years"
    offered = census.year_groups_for(school.phase)
    if year_group not in YearGroup.values:
        errors["year_group"] = "Select a year group"
    elif year_group not in offered:
        first, last = YearGroup(offered[0]).label, YearGroup(offered[-1]).label
        errors["year_group"] = (
            f"{YearGroup(year_group).label} is not taught at a {school.get_phase_display().lower()} school: "
            f"choose from {first} to {last}"
        )
    if upn:
        upn = census.normalise_upn(upn)
        if message := census.validate_upn(upn):
            errors["upn"] = message
        elif check_upn_unique and (
            Pupil.objects.filter(school=school, upn=upn).exclude(pk=getattr(pupil, "pk", None)).exists()
        ):
            errors["upn"] = "Another pupil at this school already has this UPN"
    if added_to_register_on is not None:
        if added_to_register_on > today:
            errors["added_to_register_on"] = "Date added to the SEN register must be today or in the past"
        elif date_of_birth and added_to_register_on < date_of_birth:
            errors["added_to_register_on"] = "Date added to the SEN register must be after the date of birth"
    if looked_after not in LookedAfter.values:
        errors["looked_after"] = "Select whether the pupil is or was looked after"
    for message in census.validate_needs(
        provision=sen_provision, primary=primary_need or None, secondary=secondary_need or None
    ):
        errors.setdefault(_need_error_field(message), message)
    return errors


@transaction.atomic
def pupil_save(*, school: School, by: Membership, pupil: Pupil | None = None, **data) -> Pupil:
    """Add a pupil to the school's SEN register, or change one already on it (never its legal hold)."""
    policy.check(by, "pupil_edit", pupil) if pupil else policy.check(by, "pupil_add", school)
    errors = pupil_validate(school=school, pupil=pupil, **data)
    if errors:
        raise PupilInvalid(errors)
    if pupil is not None and pupil.school_id != school.pk:
        raise DomainError("That pupil is not at your school.")
    return _pupil_write(pupil or Pupil(school=school), data)


def _pupil_write(pupil: Pupil, data: dict) -> Pupil:
    # The one place a pupil's details are written, after the caller has checked the actor and the data.
    for name, value in data.items():
        setattr(pupil, name, value.strip() if isinstance(value, str) else value)
    pupil.upn = census.normalise_upn(pupil.upn)
    pupil.updated_at = timezone.now()
    pupil.save()
    return pupil


# How each of a carer's details is named in a message (the hand form and the import say the same).
CARER_LABELS = {
    "name": "Carer's name",
    "relationship": "Carer's relationship to the pupil",
    "phone": "Carer's phone number",
    "email": "Carer's email address",
}


def carer_validate(*, name: str, relationship: str, phone: str = "", email: str = "") -> dict[str, str]:
    """Return a message for each of a carer's details that breaks a rule; empty if valid."""
    values = {"name": name, "relationship": relationship, "phone": phone, "email": email}
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the carer's full name"
    if not relationship.strip():
        errors["relationship"] = "Enter the carer's relationship to the pupil"
    for key, label in CARER_LABELS.items():
        if key not in errors and (message := _too_long(Carer, key, values[key].strip(), label)):
            errors[key] = message
    if email.strip() and "email" not in errors:
        try:
            validate_email(email.strip())
        except ValidationError:
            errors["email"] = EMAIL_INVALID
    return errors


@transaction.atomic
def pupil_mark_left(*, pupil: Pupil, by: Membership, left_on: date, today: date | None = None) -> Pupil:
    """Record that the pupil has left the school: the record is kept for retention, off the register."""
    policy.check(by, "pupil_edit", pupil)
    today = today or timezone.localdate()
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if pupil.left_on is not None:
        raise DomainError(
            f"{pupil.full_name} is already recorded as having left on {pupil.left_on.day} {pupil.left_on:%B %Y}."
        )
    if left_on > today:
        raise PupilInvalid({"left_on": "Date the pupil left must be today or in the past"})
    if left_on < pupil.date_of_birth:
        raise PupilInvalid({"left_on": "Date the pupil left must be after their date of birth"})
    pupil.left_on, pupil.updated_at = left_on, timezone.now()
    pupil.save(update_fields=["left_on", "updated_at"])
    return pupil


@transaction.atomic
def pupil_rejoin(*, pupil: Pupil, by: Membership) -> Pupil:
    """Put a pupil recorded as having left back on the register (they returned, or left by mistake)."""
    policy.check(by, "pupil_edit", pupil)
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if pupil.left_on is None:
        raise DomainError(f"{pupil.full_name} is on the register already.")
    pupil.left_on, pupil.updated_at = None, timezone.now()
    pupil.save(update_fields=["left_on", "updated_at"])
    return pupil


def pupil_removal_refusal(pupil: Pupil) -> str:
    """Return why the pupil's record cannot be deleted as added in error, or an empty string if it can."""
    if pupil.legal_hold:
        return f"{pupil.full_name}'s record is under a legal hold, so it must be kept."
    if Plan.objects.filter(pupil=pupil).exists():
        return (
            f"{pupil.full_name} has an EHC plan, whose history must be kept. If they have left the school, "
            "mark them as left instead."
        )
    return ""


@transaction.atomic
def pupil_remove(*, pupil: Pupil, by: Membership) -> None:
    """Delete a record added in error, with its carers and cycles; its access log stays, with this removal."""
    policy.check(by, "pupil_remove", pupil)
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if refusal := pupil_removal_refusal(pupil):
        raise PupilNotRemovable(refusal)
    # The access log is keyed by the pupil's public id, not a foreign key, so it outlives the record.
    access_events_record(membership=by, shown=[(pupil, "Record removed: added in error")], action="view")
    pupil.delete()


@transaction.atomic
def pupil_legal_hold_set(*, plan: Plan, by: Membership, hold: bool, reason: str = "") -> Pupil:
    """Place or lift a legal hold on the pupil of a plan handed to the LA (an LA admin's control).

    A record under a legal hold is kept past its retention date and cannot be deleted. The school's data
    protection officer sets it for other records through the Django admin.
    """
    policy.check(by, "pupil_legal_hold", plan)
    reason = reason.strip()
    if hold and not reason:
        raise PupilInvalid({"reason": "Enter why the record must be kept"})
    if len(reason) > 200:
        raise PupilInvalid({"reason": "Reason must be 200 characters or fewer"})
    pupil = Pupil.objects.select_for_update().get(pk=plan.pupil_id)
    pupil.legal_hold = hold
    pupil.legal_hold_reason = reason if hold else ""
    pupil.legal_hold_set_by, pupil.legal_hold_set_at = by.user, timezone.now()
    pupil.save(update_fields=["legal_hold", "legal_hold_reason", "legal_hold_set_by", "legal_hold_set_at"])
    return pupil


@transaction.atomic
def carer_add(
    *, pupil: Pupil, by: Membership, name: str, relationship: str, phone: str = "", email: str = ""
) -> Carer:
    """Record a parent or carer of the pupil. Raise CarerInvalid if a detail breaks a rule."""
    policy.check(by, "pupil_edit", pupil)
    errors = carer_validate(name=name, relationship=relationship, phone=phone, email=email)
    if errors:
        raise CarerInvalid(errors)
    return Carer.objects.create(
        school=pupil.school,
        pupil=pupil,
        name=name.strip(),
        relationship=relationship.strip(),
        phone=phone.strip(),
        email=email.strip(),
    )


@transaction.atomic
def carer_remove(*, carer: Carer, by: Membership) -> None:
    """Remove a parent or carer from the pupil's record."""
    policy.check(by, "pupil_edit", carer)
    carer.delete()


@transaction.atomic
def cycle_save(*, pupil: Pupil, by: Membership, cycle: SupportCycle | None = None, **data) -> SupportCycle:
    """Record one assess, plan, do, review cycle for the pupil, or change one."""
    policy.check(by, "pupil_edit", pupil)
    if data["review_date"] < data["started_on"]:
        raise DomainError("The review date must be on or after the date the cycle started.")
    cycle = cycle or SupportCycle(school=pupil.school, pupil=pupil)
    for name, value in data.items():
        setattr(cycle, name, value)
    cycle.save()
    return cycle
