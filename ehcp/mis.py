"""What school management information system (MIS) exports call things, mapped to the register's fields
and the census codes: one table for column headings and one for values. Pure Python: no Django.

The headings are those of the pupil exports and report fields of the common MIS in English schools:
SIMS ("Legal Surname", "Legal Forename", "DOB", "Year Taught In", "SEN Status", "UPN"), Arbor ("Last
name", "First name", "Date of birth", "Year", "SEN status", "Primary SEN need"), Bromcom ("Legal Surname",
"Legal Forename", "Year Group", "SEN Status", "SEN Need") and ScholarPack ("Surname", "Forename", "NC
Year", "SEN Provision", "Primary SEN Need"). The values are the DfE's codes and descriptions as each MIS
shows them:

* SIMS shows SEN status as code and description, "K - SEN Support", "E - Education, Health and Care Plan",
  "N - No Special Educational Need" (Capita: "what we call SEN Status is also known as SEN Provision").
  "S - Statement" is no longer used in England: statements were all transferred to EHC plans by April 2018.
* Arbor shows the description alone and maps "Monitoring" to N (Arbor help: "SEN Statuses of N, E and K").
* ScholarPack shows the DfE's SEN provision codes and SEN type codes with their descriptions.
* Need types come as codes in any case ("SpLD"), descriptions ("Specific Learning Difficulty"), or both
  ("SPLD - Specific learning difficulty", "Autistic Spectrum Disorder (ASD)").
"""

import re
from datetime import date, datetime

from ehcp.census import NEED_CODES, YEAR_GROUP_CODES

# --- the fields of the register an import fills ------------------------------------------------------------

FIELDS: dict[str, str] = {
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "year_group": "Year group",
    "upn": "UPN",
    "sen_provision": "SEN provision (E, K or N)",
    "primary_need": "Primary need",
    "secondary_need": "Secondary need",
    "added_to_register_on": "Date added to the SEN register",
    "free_school_meals": "Free school meals",
    "pupil_premium": "Pupil premium",
    "eal": "English as an additional language",
    "looked_after": "Looked after",
    "previously_looked_after": "Previously looked after",
    "carer_name": "Parent or carer's name",
    "carer_relationship": "Parent or carer's relationship",
    "carer_phone": "Parent or carer's phone",
    "carer_email": "Parent or carer's email",
}
REQUIRED = ("first_name", "last_name", "date_of_birth", "year_group", "sen_provision")


def in_sentence(name: str) -> str:
    """Return a field's label for the middle of a sentence: "first name", but "SEN provision", "UPN"."""
    label = FIELDS[name]
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def normalise_heading(text: object) -> str:
    """Return a heading as compared: lower case, runs of anything but letters and digits as one space."""
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").casefold()).strip()


# Headings recognised for each field, most specific first: where an export has both "Legal Surname" and
# "Preferred Surname", the legal name is the one the census and the register use.
HEADINGS: dict[str, tuple[str, ...]] = {
    "first_name": (
        "first name", "legal forename", "legal first name", "forename", "firstname", "given name",
        "preferred forename", "preferred first name",
    ),
    "last_name": (
        "last name", "legal surname", "legal last name", "surname", "lastname", "family name",
        "preferred surname", "preferred last name",
    ),
    "date_of_birth": ("date of birth", "dob", "d o b", "birth date", "birthdate"),
    "year_group": (
        "year group", "year taught in", "nc year", "national curriculum year", "curriculum year",
        "year", "ncy", "nc year actual",
    ),
    "upn": ("upn", "unique pupil number"),
    "sen_provision": ("sen provision", "sen status", "send status", "sen stage", "sen"),
    "primary_need": (
        "primary need", "primary sen need", "sen primary need", "primary sen type", "sen need type",
        "sen need", "sen need 1", "sen type", "need",
    ),
    "secondary_need": (
        "secondary need", "secondary sen need", "sen secondary need", "secondary sen type", "sen need 2",
    ),
    "added_to_register_on": (
        "added to register on", "date added to register", "date added to the sen register",
        "sen start date", "sen provision start date", "sen status start date",
    ),
    "free_school_meals": (
        "free school meals", "fsm", "fsm eligible", "fsm eligibility", "eligible for fsm", "fsm indicator",
    ),
    "pupil_premium": (
        "pupil premium", "pupil premium indicator", "pupil premium eligible", "pp", "pp eligible",
    ),
    "eal": ("eal", "english as an additional language", "eal status"),
    "looked_after": (
        "looked after", "in care", "looked after child", "child looked after", "lac", "cla",
    ),
    "previously_looked_after": (
        "previously looked after", "ever in care", "previously looked after child", "plac", "pla",
    ),
    "carer_name": ("carer name", "parent name", "contact name", "priority contact name"),
    "carer_relationship": (
        "carer relationship", "parent relationship", "contact relationship", "relationship",
    ),
    "carer_phone": ("carer phone", "parent phone", "contact phone", "contact telephone"),
    "carer_email": ("carer email", "parent email", "contact email"),
}  # fmt: skip


def recognise_headings(headings: list[str], remembered: dict[str, str] | None = None) -> dict[str, int]:
    """Return the column index for each field found among the file's headings.

    A school's remembered mapping (field to heading, as the SENCO chose it) wins over the table; each
    column is used for one field only.
    """
    normalised = [normalise_heading(h) for h in headings]
    found: dict[str, int] = {}
    for field, heading in (remembered or {}).items():
        wanted = normalise_heading(heading)
        if field in FIELDS and wanted and wanted in normalised:
            index = normalised.index(wanted)
            if index not in found.values():
                found[field] = index
    for field, aliases in HEADINGS.items():
        if field in found:
            continue
        for alias in aliases:
            if alias in normalised and normalised.index(alias) not in found.values():
                found[field] = normalised.index(alias)
                break
    return found


# --- values ----------------------------------------------------------------------------------------------


def _words(text: object) -> str:
    return normalise_heading(text)


SEN_PROVISION_VALUES: dict[str, str] = {
    "e": "E",
    "k": "K",
    "n": "N",
    "education health and care plan": "E",
    "ehc plan": "E",
    "ehcp": "E",
    "sen support": "K",
    "no special educational need": "N",
    "no sen": "N",
    "none": "N",
    "monitoring": "N",  # Arbor: a pupil being watched is not on SEN support and is counted as N
}
STATEMENT_MESSAGE = (
    "Statements of SEN ended in 2018, when they became EHC plans: use E if the pupil has an EHC plan, "
    "otherwise K or N"
)


def sen_provision_code(value: object) -> tuple[str | None, str | None]:
    """Return (census code, None) for an SEN status as an MIS exports it, or (None, why not)."""
    text = _words(value)
    if not text:
        return None, "Enter the SEN provision: E, K or N"
    code, _, label = str(value).strip().partition(" - ")
    for candidate in (text, _words(code), _words(label)):
        if candidate in SEN_PROVISION_VALUES:
            return SEN_PROVISION_VALUES[candidate], None
    if text in ("s", "statement") or _words(code) == "s":
        return None, STATEMENT_MESSAGE
    return None, f"'{str(value).strip()[:40]}' is not an SEN provision. Use E, K or N"


# Descriptions as the DfE writes them and as the MIS show them, each to its census code.
NEED_VALUES: dict[str, str] = {
    **{code.casefold(): code for code in NEED_CODES},
    **{_words(label): code for code, label in NEED_CODES.items()},
    "specific learning difficulties": "SPLD",
    "moderate learning difficulties": "MLD",
    "severe learning difficulties": "SLD",
    "profound and multiple learning difficulties": "PMLD",
    "profound multiple learning difficulty": "PMLD",
    "social emotional and mental health difficulties": "SEMH",
    "speech language and communication need": "SLCN",
    "visual impairment": "VI",
    "multisensory impairment": "MSI",
    "autism": "ASD",
    "autism spectrum disorder": "ASD",
    "autistic spectrum condition": "ASD",
    "autism spectrum condition": "ASD",
    "asc": "ASD",
    "other difficulty or disability": "OTH",
    "other": "OTH",
    "sen support but no specialist assessment": "NSA",
    "no specialist assessment": "NSA",
}
RETIRED_NEEDS = {
    "besd": "BESD (behaviour, emotional and social difficulty) was replaced by SEMH in 2015: check the "
    "pupil's need and record its census code",
}


def need_code(value: object) -> tuple[str | None, str | None]:
    """Return (census code, None) for a need as an MIS exports it ('' for none), or (None, why not)."""
    raw = str(value or "").strip()
    text = _words(raw)
    if not text:
        return "", None
    candidates = [text]
    code, _, label = raw.partition(" - ")
    candidates += [_words(code), _words(label)]
    bracketed = re.fullmatch(r"(.*)\(([^()]*)\)\s*", raw)
    if bracketed:
        candidates += [_words(bracketed.group(2)), _words(bracketed.group(1))]
    for candidate in candidates:
        if candidate in NEED_VALUES:
            return NEED_VALUES[candidate], None
    for candidate in candidates:
        if candidate in RETIRED_NEEDS:
            return None, RETIRED_NEEDS[candidate]
    return None, f"'{raw[:40]}' is not a school census SEN type code, such as SPLD, SLCN or ASD"


def year_group_code(value: object) -> str | None:
    """Return the year group code for 'R', 'Reception', '4', 'Y4', 'Year 4', 'N1' and the like, or None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _words(value).replace(" ", "")
    for prefix in ("year", "yr", "y", "nc"):
        if text.startswith(prefix) and text[len(prefix) :].isdigit():
            text = text[len(prefix) :]
            break
    if text in ("r", "reception", "yr", "rec"):
        return "R"
    if text in ("n1", "nursery1"):
        return "N1"
    if text in ("n2", "nursery2"):
        return "N2"
    if text.isdigit() and str(int(text)) in YEAR_GROUP_CODES:
        return str(int(text))
    return None


def parse_date(value: object) -> date | None:
    """Return a date from 2016-09-23, 23/09/2016, 23-09-2016, 23.09.2016 or a spreadsheet date, or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}( 00:00(:00)?)?", text):
        text = text[:10]
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    parts = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if parts:
        day, month, year = (int(p) for p in parts.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


YES = {"y", "yes", "true", "t", "1", "eligible", "x"}
NO = {"", "n", "no", "false", "f", "0", "not eligible", "none"}


def yes_no(value: object) -> bool | None:
    """Return True or False for the ways an export writes yes and no, or None if it is neither."""
    if isinstance(value, bool):
        return value
    text = _words(value)
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def looked_after_value(value: object, previously: object = "") -> tuple[str | None, str | None]:
    """Return ('current', 'previous' or 'no', None) from the looked-after columns, or (None, why not)."""
    text = _words(value)
    if text in ("previously looked after", "previous", "plac", "previously"):
        return "previous", None
    now, before = yes_no(value), yes_no(previously)
    if now is None:
        return None, "Looked after must be Yes or No (or 'Previously looked after')"
    if before is None:
        return None, "Previously looked after must be Yes or No"
    if now:
        return "current", None
    return ("previous" if before else "no"), None
