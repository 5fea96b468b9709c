"""Writes for pupils, carers, graduated-approach cycles and the CSV import of pupils."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from ehcp import census
from ehcp.models import Carer, Pupil, SupportCycle, YearGroup
from sendplan import policy
from sendplan.models import Membership, School
from sendplan.services import DomainError

OLDEST_PUPIL_YEARS = 25  # EHC plans can run to age 25; an older date of birth is a typing error
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"


class PupilInvalid(DomainError):
    """A pupil's details break a rule; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass
class ImportProblem:
    line: int
    field: str
    message: str


class CarerInvalid(DomainError):
    """A carer's details break a rule; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


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
    pupil: Pupil | None = None,
    today: date | None = None,
) -> dict[str, str]:
    """Return a message for each field that breaks a rule (census codes, UPN, dates); empty if valid."""
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
def pupil_save(
    *, school: School, by: Membership, pupil: Pupil | None = None, legal_hold: bool = False, **data
) -> Pupil:
    """Add a pupil to the school's SEN register, or change one already on it."""
    policy.check(by, "pupil_edit", pupil) if pupil else policy.check(by, "pupil_add", school)
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
        except (ValueError, TypeError, OverflowError):  # OverflowError: a year or month of many digits
            continue
    return None


def _rows(reader: csv.DictReader):
    """Yield (index, row) from the reader; a row it cannot read (a huge field) is a problem on its line."""
    index = 0
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The csv module refuses a field over its size limit; no pupil's details come near it.
            line = reader.reader.line_num  # the DictReader's own count stops at the last good row
            raise ImportInvalid(
                [
                    ImportProblem(
                        line, "file", f"Line {line} has a value that is too long to be a pupil's details"
                    )
                ]
            ) from None
        yield index, raw
        index += 1


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    pupils: list[Pupil] = field(default_factory=list)


@transaction.atomic
def pupil_import(
    *, school: School, by: Membership, content: bytes, today: date | None = None
) -> ImportResult:
    """Add or update the pupils in a CSV file exported from the school's MIS: all rows, or none.

    A row whose UPN matches a pupil already at the school updates that pupil; any other row adds one.
    Raise ImportInvalid listing every problem (line number and column) if any row is invalid.
    """
    policy.check(by, "pupil_add", school)
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
    for index, raw in _rows(reader):
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
        if carer["name"]:
            errors.update({f"carer_{k}": m for k, m in carer_validate(**carer).items()})
        elif any(carer.values()):
            errors["carer_name"] = "Enter the carer's name, or leave every carer column empty"
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
            by=by,
            pupil=row["existing"],
            legal_hold=getattr(row["existing"], "legal_hold", False),
            **row["data"],
        )
        if row["existing"] is None:
            result.created += 1
        else:
            result.updated += 1
        if row["carer"]["name"] and not pupil.carers.filter(name=row["carer"]["name"]).exists():
            carer_add(pupil=pupil, by=by, **row["carer"])
        result.pupils.append(pupil)
    return result
