"""School census SEN codes, the four broad areas of need, and UPN checks.

Codes and labels follow the DfE school census (Common Basic Data Set): SEN provision E/K/N and the 13 SEN
type codes, ranked primary (1) and optional secondary (2). The four broad areas of need are those of the
SEND Code of Practice 2015, paragraphs 6.28 to 6.35. Pure Python: no Django, no database.
"""

import re

SEN_PROVISION: list[tuple[str, str]] = [
    ("E", "Education, health and care plan"),
    ("K", "SEN support"),
    ("N", "No special educational need"),
]

SEN_PROVISION_CODES: frozenset[str] = frozenset(code for code, _ in SEN_PROVISION)

NEED_CODES: dict[str, str] = {
    "SPLD": "Specific learning difficulty",
    "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty",
    "SEMH": "Social, emotional and mental health",
    "SLCN": "Speech, language and communication needs",
    "HI": "Hearing impairment",
    "VI": "Vision impairment",
    "MSI": "Multi-sensory impairment",
    "PD": "Physical disability",
    "ASD": "Autistic spectrum disorder",
    "OTH": "Other difficulty/disability",
    "NSA": "SEN support but no specialist assessment of type of need",
}

AREAS_OF_NEED: list[tuple[str, str]] = [
    ("communication_interaction", "Communication and interaction"),
    ("cognition_learning", "Cognition and learning"),
    ("semh", "Social, emotional and mental health"),
    ("sensory_physical", "Sensory and/or physical needs"),
]

# OTH and NSA belong to no broad area: OTH is by definition outside the named types, and NSA records that
# the type of need has not been assessed.
AREA_OF_NEED: dict[str, str | None] = {
    "SPLD": "cognition_learning",
    "MLD": "cognition_learning",
    "SLD": "cognition_learning",
    "PMLD": "cognition_learning",
    "SEMH": "semh",
    "SLCN": "communication_interaction",
    "ASD": "communication_interaction",
    "HI": "sensory_physical",
    "VI": "sensory_physical",
    "MSI": "sensory_physical",
    "PD": "sensory_physical",
    "OTH": None,
    "NSA": None,
}

NSA = "NSA"


def validate_needs(*, provision: str, primary: str | None, secondary: str | None) -> list[str]:
    """Return error messages for a pupil's SEN provision and ranked needs, empty if they are valid."""
    # An empty form field arrives as "", which means "no need recorded", the same as None.
    primary = primary or None
    secondary = secondary or None
    errors: list[str] = []

    if provision not in SEN_PROVISION_CODES:
        errors.append(f"'{provision}' is not an SEN provision code. Use E, K or N")
    for rank, code in (("Primary", primary), ("Secondary", secondary)):
        if code is not None and code not in NEED_CODES:
            errors.append(f"{rank} need '{code}' is not a school census SEN type code")

    if provision == "N":
        if primary is not None or secondary is not None:
            errors.append("Pupils with no SEN (N) cannot have a need recorded")
        return errors

    if provision in ("E", "K") and primary is None:
        errors.append("Select a primary need for a pupil on SEN support or with an EHC plan")
    if provision == "E" and NSA in (primary, secondary):
        errors.append("NSA can only be used for pupils on SEN support (K)")
    if secondary == NSA:
        errors.append("NSA can only be recorded as the primary need")
    if secondary is not None and secondary == primary:
        errors.append("Secondary need must be different from the primary need")
    return errors


# The DfE check-letter table: 23 letters, leaving out I, O and S because they look like 1, 0 and 5.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_LETTER_VALUE: dict[str, int] = {letter: value for value, letter in enumerate(UPN_LETTERS)}
_DIGITS_2_TO_12 = re.compile(r"[0-9]{11}")


def normalise_upn(upn: str) -> str:
    """Return the UPN as it should be stored: surrounding spaces removed, letters in capitals."""
    return upn.strip().upper()


def upn_check_letter(last_twelve: str) -> str:
    """Return the DfE check letter for characters 2 to 13 of a UPN."""
    # Characters 2 to 13 are weighted 2 to 13; a letter in position 13 (a temporary UPN) counts by its
    # place in the same table as the check letter.
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        value = int(char) if char.isdigit() else _UPN_LETTER_VALUE[char]
        total += weight * value
    return UPN_LETTERS[total % 23]


def validate_upn(upn: str) -> str | None:
    """Return an error message if the Unique Pupil Number is not valid, or None if it is."""
    upn = normalise_upn(upn)
    if not upn:
        return "Enter a UPN"
    if len(upn) != 13:
        return "UPN must be 13 characters"
    if upn[0] not in _UPN_LETTER_VALUE:
        return "The first character of a UPN must be a letter other than I, O or S"
    if not _DIGITS_2_TO_12.fullmatch(upn[1:12]):
        return "Characters 2 to 12 of a UPN must be numbers"
    if not (upn[12].isascii() and upn[12].isdigit()) and upn[12] not in _UPN_LETTER_VALUE:
        return "The last character of a UPN must be a number or a letter other than I, O or S"
    if upn_check_letter(upn[1:]) != upn[0]:
        return "Check the UPN: the first letter does not match the rest of the number"
    return None
