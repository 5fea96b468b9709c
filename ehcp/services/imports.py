"""Importing pupils from the school's MIS export (CSV or Excel): upload, match the columns, preview, confirm.

Nothing reaches the register until the SENCO confirms the preview. The uploaded file is kept (in the
database, so any web process can read it) until then, and parsed again, against the register as it is, for
the preview and for the confirmation; if the two differ the confirmation is refused and the preview shown
again. The import is all or nothing: any problem in any row stops it, and every problem is reported with
its line and column.

Each row is matched to the register by one rule (``_match``): the same UPN is the same pupil; without a
UPN, the same name and date of birth is. A row that could be a pupil already on the register, but is not
certainly the same one, is a possible duplicate and is left out. So importing the same file twice adds
nobody.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ehcp import census, mis
from ehcp.models import Carer, ImportMapping, LookedAfter, Pupil, PupilImport, YearGroup
from ehcp.services.pupils import PupilInvalid, _pupil_write, carer_validate, pupil_validate
from sendplan import policy
from sendplan.models import Membership, School
from sendplan.services import DomainError
from sendplan.uploads import UploadRejected, check_upload, extension_of

IMPORT_MAX_BYTES = 1024 * 1024
IMPORT_MAX_ROWS = 5000
IMPORT_MAX_COLUMNS = 200
IMPORT_EXTENSIONS = ("csv", "xlsx")
PREVIEW_LIFETIME = timedelta(hours=24)  # an unconfirmed upload is discarded after this


@dataclass
class ImportProblem:
    line: int
    field: str  # the column as the file names it, or "file" / "row"
    message: str


class ImportInvalid(DomainError):
    """The file could not be imported; ``problems`` lists every problem with its line and column."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}")


class ImportClosed(DomainError):
    """The import was confirmed, discarded or left too long; nothing more can happen to it."""


class ImportChanged(DomainError):
    """The register changed between the preview and the confirmation; the preview must be seen again."""


# --- reading the file -------------------------------------------------------------------------------------


def _file_problem(message: str) -> ImportInvalid:
    return ImportInvalid([ImportProblem(0, "file", message)])


def check_import_file(filename: str, content: bytes) -> str:
    """Return the file's kind ('csv' or 'xlsx') if it can be read as one; raise ImportInvalid if not."""
    extension = extension_of(filename)
    if extension not in IMPORT_EXTENSIONS:
        raise _file_problem("The selected file must be a CSV or an Excel (.xlsx) file")
    if extension == "xlsx":
        try:
            check_upload(filename, content, max_bytes=IMPORT_MAX_BYTES, allowed=("xlsx",))
        except UploadRejected as exc:
            raise _file_problem(str(exc)) from None
    elif not content:
        raise _file_problem("The selected file is empty")
    elif len(content) > IMPORT_MAX_BYTES:
        raise _file_problem("The selected file must be smaller than 1 MB")
    return extension


def _decode_csv(content: bytes) -> str:
    if b"\x00" in content:  # a binary file, or UTF-16 "Unicode text": the database refuses NUL anyway
        raise _file_problem("The file must be a CSV file saved as UTF-8 (in Excel: CSV UTF-8)")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's plain "CSV (Comma delimited)" is saved in the Windows character set, not UTF-8.
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise _file_problem("The file must be a CSV file saved as UTF-8 (in Excel: CSV UTF-8)") from None


def read_rows(content: bytes, kind: str) -> list[tuple[int, list]]:
    """Return (line number, cells) for each non-blank row, the heading row first; raise ImportInvalid."""
    rows: list[tuple[int, list]] = []
    if kind == "csv":
        text = _decode_csv(content)
        first_line = text.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for cells in reader:
                if any(str(c).strip() for c in cells):
                    rows.append((reader.line_num, cells[:IMPORT_MAX_COLUMNS]))
                if len(rows) > IMPORT_MAX_ROWS + 1:
                    break
        except csv.Error:
            # The csv module refuses a field over its size limit (or a broken quote); say which line.
            line = reader.line_num
            raise ImportInvalid(
                [
                    ImportProblem(
                        line, "file", f"Line {line} has a value that is too long to be a pupil's details"
                    )
                ]
            ) from None
    else:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=IMPORT_MAX_COLUMNS), 1):
                if any(c is not None and str(c).strip() for c in cells):
                    rows.append((number, list(cells)))
                if len(rows) > IMPORT_MAX_ROWS + 1:
                    break
            workbook.close()
        except Exception:  # openpyxl raises many kinds of error for a damaged file; all mean the same here
            raise _file_problem(
                "The Excel file cannot be opened: save it again from Excel and upload it"
            ) from None
    if len(rows) > IMPORT_MAX_ROWS + 1:
        raise ImportInvalid(
            [ImportProblem(rows[-1][0], "file", f"The file must have at most {IMPORT_MAX_ROWS} pupils")]
        )
    if not rows:
        raise _file_problem("The file is empty: the first row must name the columns")
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- the upload and its columns ---------------------------------------------------------------------------


@transaction.atomic
def pupil_import_start(*, school: School, by: Membership, filename: str, content: bytes) -> PupilImport:
    """Keep an uploaded MIS export for its preview, with its columns matched to the register's fields."""
    policy.check(by, "pupil_import", school)
    kind = check_import_file(filename, content)
    rows = read_rows(content, kind)
    headings = [_text(cell)[:200] for cell in rows[0][1]]
    remembered = ImportMapping.objects.filter(school=school).values_list("columns", flat=True).first()
    # Unconfirmed uploads hold pupils' details: clear any left longer than a preview lives.
    PupilImport.objects.filter(
        status=PupilImport.Status.PENDING, created_at__lt=timezone.now() - PREVIEW_LIFETIME
    ).update(status=PupilImport.Status.DISCARDED, content=b"")
    return PupilImport.objects.create(
        school=school,
        filename=filename[:200],
        content=content,
        headings=headings,
        columns=mis.recognise_headings(headings, remembered),
        created_by=by.user,
    )


def missing_columns(pupil_import: PupilImport) -> list[str]:
    """Return the required fields no column of the file has been matched to."""
    return [name for name in mis.REQUIRED if name not in pupil_import.columns]


@transaction.atomic
def pupil_import_columns_set(
    *, pupil_import: PupilImport, by: Membership, columns: dict[str, int | None]
) -> PupilImport:
    """Match the file's columns to the register's fields, and remember the match for the school's next file."""
    policy.check(by, "pupil_import", pupil_import)
    pupil_import = _open_import(pupil_import)
    chosen = {name: index for name, index in columns.items() if index is not None and name in mis.FIELDS}
    if errors := import_columns_validate(headings=pupil_import.headings, columns=chosen):
        raise PupilInvalid(errors)
    pupil_import.columns = chosen
    pupil_import.save(update_fields=["columns"])
    ImportMapping.objects.update_or_create(
        school=pupil_import.school,
        defaults={
            "columns": {name: pupil_import.headings[index] for name, index in chosen.items()},
            "updated_at": timezone.now(),
            "updated_by": by.user,
        },
    )
    return pupil_import


def import_columns_validate(*, headings: list[str], columns: dict[str, int]) -> dict[str, str]:
    """Return a message for each field matched wrongly: a required field left out, a column used twice."""
    errors: dict[str, str] = {}
    for name in mis.REQUIRED:
        if name not in columns:
            errors[name] = f"Select the column that holds the {mis.in_sentence(name)}"
    seen: dict[int, str] = {}
    for name, index in columns.items():
        if not 0 <= index < len(headings):
            errors[name] = "Select a column of the file"
        elif index in seen:
            errors[name] = f"This column is already matched to {mis.in_sentence(seen[index])}"
        else:
            seen[index] = name
    return errors


def import_is_open(pupil_import: PupilImport) -> bool:
    """Return True while the upload can still be previewed and confirmed (pending, and not too old)."""
    return (
        pupil_import.status == PupilImport.Status.PENDING
        and pupil_import.created_at >= timezone.now() - PREVIEW_LIFETIME
    )


def _open_import(pupil_import: PupilImport) -> PupilImport:
    locked = PupilImport.objects.select_for_update().get(pk=pupil_import.pk)
    if locked.status == PupilImport.Status.IMPORTED:
        raise ImportClosed("This file has already been imported.")
    if not import_is_open(locked):
        raise ImportClosed("This upload is no longer available: upload the file again.")
    return locked


@transaction.atomic
def pupil_import_discard(*, pupil_import: PupilImport, by: Membership) -> None:
    """Throw away an upload without importing anything."""
    policy.check(by, "pupil_import", pupil_import)
    pupil_import = _open_import(pupil_import)
    pupil_import.status, pupil_import.content = PupilImport.Status.DISCARDED, b""
    pupil_import.save(update_fields=["status", "content"])


# --- the preview -----------------------------------------------------------------------------------------


@dataclass
class PlannedRow:
    """What confirming the import will do with one row of the file."""

    line: int
    data: dict  # the pupil's details from the row, as the register stores them
    carer: dict
    pupil: Pupil | None = None  # the pupil already on the register that the row is
    matched_by: str = ""  # "UPN" or "name and date of birth"
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, from, to)
    duplicate: str = ""  # why the row may be a pupil already on the register, and is left out

    @property
    def name(self) -> str:
        return f"{self.data['first_name']} {self.data['last_name']}"


@dataclass
class ImportPlan:
    adds: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    duplicates: list[PlannedRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def pupils_shown(self) -> list[Pupil]:
        """Return the pupils on the register whose details the preview shows (for the access log)."""
        return [row.pupil for row in self.updates + self.duplicates if row.pupil is not None]

    @property
    def digest(self) -> str:
        """Return a fingerprint of what confirming would do, to tell whether it changed since the preview."""
        summary = [
            [[r.line, r.pupil.pk if r.pupil else None, r.data, r.carer, r.changes, r.duplicate] for r in rows]
            for rows in (self.adds, self.updates, self.unchanged, self.duplicates)
        ]
        return hashlib.sha256(json.dumps(summary, default=str).encode()).hexdigest()


def _name_key(first_name: str, last_name: str, date_of_birth: date | None) -> tuple:
    return (" ".join(first_name.casefold().split()), " ".join(last_name.casefold().split()), date_of_birth)


def _left_note(pupil: Pupil) -> str:
    return f", who left on {pupil.left_on.day} {pupil.left_on:%B %Y}" if pupil.left_on else ""


def _match(upn: str, key: tuple, by_upn: dict, by_name: dict) -> tuple[Pupil | None, str, str]:
    """Return (the pupil on the register the row is, how it matched, why it may be a duplicate instead).

    The same UPN is the same pupil. Without a UPN match, the same name and date of birth is the same pupil
    if exactly one pupil has them and that pupil has no other UPN. A pupil who has left is never updated:
    the row is a possible duplicate until the SENCO puts them back on the register.
    """
    if upn and upn in by_upn:
        pupil = by_upn[upn]
        if pupil.left_on:
            return pupil, "", f"Has the same UPN as {pupil.full_name}{_left_note(pupil)}"
        return pupil, "UPN", ""
    same = by_name.get(key, [])
    if len(same) == 1 and not same[0].left_on and not (upn and same[0].upn):
        return same[0], "name and date of birth", ""
    if same:
        pupil = same[0]
        other = f" (UPN {pupil.upn})" if pupil.upn and upn else ""
        return (
            pupil,
            "",
            f"Has the same name and date of birth as {pupil.full_name}{other}{_left_note(pupil)}",
        )
    return None, "", ""


def _display(name: str, value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if name == "looked_after":
        return LookedAfter(value).label
    if name == "year_group" and value in YearGroup.values:
        return YearGroup(value).label
    return str(value) if value not in ("", None) else "Not recorded"


def _read_row(cells: list, columns: dict[str, int], headings: list[str]) -> tuple[dict, dict, dict[str, str]]:
    """Return (pupil details, carer, {column heading: problem}) for one row, from the matched columns."""

    def cell(name: str) -> object:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def heading(name: str) -> str:
        return headings[columns[name]] or mis.FIELDS[name]

    problems: dict[str, str] = {}
    data: dict = {name: _text(cell(name)) for name in ("first_name", "last_name")}
    for name in ("date_of_birth", "added_to_register_on"):
        if name not in columns:
            continue
        raw = cell(name)
        data[name] = mis.parse_date(raw)
        if data[name] is None and _text(raw):
            problems[heading(name)] = f"{mis.FIELDS[name]} must be a real date, like 23/09/2016 or 2016-09-23"
    year = _text(cell("year_group"))
    data["year_group"] = mis.year_group_code(cell("year_group")) or year
    if year and data["year_group"] == year and year not in census.YEAR_GROUP_CODES:
        problems[heading("year_group")] = f"'{year[:20]}' is not a year group: use N1, N2, R or 1 to 14"
    if _text(cell("upn")):  # a blank UPN cell never clears the UPN the register already has
        data["upn"] = census.normalise_upn(_text(cell("upn")))
    code, message = mis.sen_provision_code(cell("sen_provision"))
    data["sen_provision"] = code or ""
    if message:
        problems[heading("sen_provision")] = message
    for name in ("primary_need", "secondary_need"):
        if name in columns:
            code, message = mis.need_code(cell(name))
            data[name] = code or ""
            if message:
                problems[heading(name)] = message
    for name in ("free_school_meals", "pupil_premium", "eal"):
        if name in columns:
            answer = mis.yes_no(cell(name))
            data[name] = bool(answer)
            if answer is None:
                problems[heading(name)] = f"{mis.FIELDS[name]} must be Yes or No"
    if "looked_after" in columns or "previously_looked_after" in columns:
        value, message = mis.looked_after_value(
            cell("looked_after") or "", cell("previously_looked_after") or ""
        )
        data["looked_after"] = value or LookedAfter.NO
        if message:
            problems[heading("looked_after" if "looked_after" in columns else "previously_looked_after")] = (
                message
            )
    carer = {
        name[6:]: _text(cell(name))
        for name in ("carer_name", "carer_relationship", "carer_phone", "carer_email")
    }

    def carer_heading(key: str) -> str:
        name = f"carer_{key}"
        return heading(name) if name in columns else mis.FIELDS[name]

    if carer["name"]:  # checked exactly as the carer form checks them (one rule, one wording)
        for key, message in carer_validate(**carer).items():
            problems[carer_heading(key)] = message
    elif any(carer.values()):
        problems[carer_heading("name")] = "Enter the carer's name, or leave every carer column empty"
    return data, carer, problems


def pupil_import_plan(pupil_import: PupilImport, *, today: date | None = None) -> ImportPlan:
    """Return what confirming the import would do to the register now, or every problem in the file."""
    plan = ImportPlan()
    columns = {name: int(index) for name, index in pupil_import.columns.items()}
    if missing := missing_columns(pupil_import):
        plan.problems = [
            ImportProblem(
                1,
                "header",
                f"No column for {mis.in_sentence(name)}: the first row must name one, such as '{name}'",
            )
            for name in missing
        ]
        return plan
    school = pupil_import.school
    rows = read_rows(bytes(pupil_import.content), extension_of(pupil_import.filename))[1:]
    if not rows:
        plan.problems = [ImportProblem(2, "file", "The file has no pupils in it")]
        return plan
    register = list(Pupil.objects.filter(school=school).prefetch_related("carers"))
    by_upn = {p.upn: p for p in register if p.upn}
    by_name: dict[tuple, list[Pupil]] = {}
    for pupil in register:
        by_name.setdefault(_name_key(pupil.first_name, pupil.last_name, pupil.date_of_birth), []).append(
            pupil
        )
    upn_lines: dict[str, int] = {}
    claimed: dict[int, int] = {}  # pupil pk -> the line that updates it
    added_keys: dict[tuple, int] = {}
    headings = pupil_import.headings
    for line, cells in rows:
        data, carer, problems = _read_row(cells, columns, headings)
        upn = data.get("upn", "")
        if upn and upn in upn_lines:
            problems[headings[columns["upn"]]] = f"This UPN is also on line {upn_lines[upn]}"
        elif upn:
            upn_lines[upn] = line
        key = _name_key(data["first_name"], data["last_name"], data.get("date_of_birth"))
        pupil, matched_by, duplicate = _match(upn, key, by_upn, by_name)
        if pupil is not None and not duplicate and pupil.pk in claimed:
            matched_by, duplicate = "", f"Is the same pupil as line {claimed[pupil.pk]}"
        if pupil is None and key in added_keys:
            duplicate = f"Has the same name and date of birth as line {added_keys[key]}"
        current = _merged(pupil, data)
        errors = pupil_validate(school=school, pupil=pupil, today=today, check_upn_unique=False, **current)
        for name, message in errors.items():
            column = (
                headings[columns[name]]
                if name in columns and headings[columns[name]]
                else mis.FIELDS.get(name, name)
            )
            problems.setdefault(column, message)
        plan.problems += [ImportProblem(line, column, message) for column, message in problems.items()]
        row = PlannedRow(
            line=line, data=data, carer=carer, pupil=pupil, matched_by=matched_by, duplicate=duplicate
        )
        if duplicate:
            plan.duplicates.append(row)
        elif pupil is None:
            added_keys.setdefault(key, line)
            plan.adds.append(row)
        else:
            claimed[pupil.pk] = line
            row.changes = [
                (mis.FIELDS.get(name, name), _display(name, getattr(pupil, name)), _display(name, value))
                for name, value in data.items()
                if getattr(pupil, name) != value
            ]
            if carer["name"] and carer["name"] not in {c.name for c in pupil.carers.all()}:
                row.changes.append(
                    ("Parent or carer", "", f"{carer['name']} ({carer['relationship']}) added")
                )
            (plan.updates if row.changes else plan.unchanged).append(row)
    return plan


def _merged(pupil: Pupil | None, data: dict) -> dict:
    """Return the pupil's details after the row is applied: the row's columns over what is recorded."""
    names = (
        "first_name", "last_name", "date_of_birth", "year_group", "upn", "sen_provision", "primary_need",
        "secondary_need", "added_to_register_on", "looked_after", "free_school_meals", "pupil_premium", "eal",
    )  # fmt: skip
    defaults = {"upn": "", "primary_need": "", "secondary_need": "", "looked_after": LookedAfter.NO}
    return {
        name: data[name] if name in data else getattr(pupil, name) if pupil else defaults.get(name)
        for name in names
        if name in data or pupil is not None or name in defaults
    }


# --- confirming it ---------------------------------------------------------------------------------------


@transaction.atomic
def pupil_import_confirm(
    *, pupil_import: PupilImport, by: Membership, digest: str, today: date | None = None
) -> PupilImport:
    """Add and update the pupils as the preview showed, all or none; possible duplicates are left out.

    Raise ImportChanged if the register (or the column matching) changed since the preview was shown.
    """
    policy.check(by, "pupil_import_review", pupil_import)
    pupil_import = _open_import(pupil_import)
    plan = pupil_import_plan(pupil_import, today=today)
    if plan.problems:
        raise ImportInvalid(plan.problems)
    if plan.digest != digest:
        raise ImportChanged("The register has changed since the preview was shown: check the preview again.")
    _apply(plan, school=pupil_import.school)
    pupil_import.status, pupil_import.content = PupilImport.Status.IMPORTED, b""
    pupil_import.imported_at, pupil_import.imported_by = timezone.now(), by.user
    pupil_import.added, pupil_import.updated = len(plan.adds), len(plan.updates)
    pupil_import.skipped = len(plan.duplicates)
    pupil_import.save()
    return pupil_import


def _apply(plan: ImportPlan, *, school: School) -> None:
    try:
        with transaction.atomic():
            for row in plan.adds + plan.updates:
                pupil = _pupil_write(row.pupil or Pupil(school=school), _merged(row.pupil, row.data))
                if row.carer["name"] and not pupil.carers.filter(name=row.carer["name"]).exists():
                    Carer.objects.create(school=school, pupil=pupil, **row.carer)
    except IntegrityError:
        # Someone added a pupil with one of these UPNs between the check above and this write.
        raise ImportChanged(
            "The register has changed since the preview was shown: check the preview again."
        ) from None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0


@transaction.atomic
def pupil_import(
    *, school: School, by: Membership, content: bytes, filename: str = "pupils.csv", today: date | None = None
) -> ImportResult:
    """Import a file in one step, as if its preview were confirmed at once (for scripts and tests)."""
    policy.check(by, "pupil_import", school)
    pupil_import = pupil_import_start(school=school, by=by, filename=filename, content=content)
    plan = pupil_import_plan(pupil_import, today=today)
    if plan.problems:
        raise ImportInvalid(plan.problems)
    pupil_import_confirm(pupil_import=pupil_import, by=by, digest=plan.digest, today=today)
    return ImportResult(len(plan.adds), len(plan.updates), len(plan.unchanged), len(plan.duplicates))
