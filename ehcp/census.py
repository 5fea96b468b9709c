"""School census SEN codes, the four broad areas of need, year groups by phase, UPN checks and the
consistency of a pupil's census code with their EHC plan.

Codes and labels follow the DfE school census (Common Basic Data Set): SEN provision E/K/N and the 13 SEN
type codes, ranked primary (1) and optional secondary (2); national curriculum year groups N1, N2, R and
1 to 14. The four broad areas of need are those of the SEND Code of Practice 2015, paragraphs 6.28 to 6.35.
Pure Python: no Django, no database.
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
NSA_NO_SECONDARY = "Secondary need must be blank when the primary need is NSA (type of need not yet assessed)"


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
    elif primary == NSA and secondary is not None:
        # NSA records that the type of need has not been assessed, so no type can be ranked second.
        errors.append(NSA_NO_SECONDARY)
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


# --- year groups -----------------------------------------------------------------------------------------

# National curriculum year groups as the census records them (NCyearActual): nursery years N1 and N2,
# Reception, and Years 1 to 14 (Years 12 to 14 are post-16; special schools teach to 19).
YEAR_GROUPS: list[tuple[str, str]] = [
    ("N1", "Nursery 1"),
    ("N2", "Nursery 2"),
    ("R", "Reception"),
    *[(str(n), f"Year {n}") for n in range(1, 15)],
]
YEAR_GROUP_CODES: list[str] = [code for code, _ in YEAR_GROUPS]


def _years(first: str, last: str) -> tuple[str, ...]:
    return tuple(YEAR_GROUP_CODES[YEAR_GROUP_CODES.index(first) : YEAR_GROUP_CODES.index(last) + 1])


# The year groups a school of each phase (School.Phase; DfE "Get information about schools" phases of
# education) teaches. A primary school may have a nursery class, an all-through school runs from nursery
# or Reception to Year 13, a special school takes pupils from 2 to 19, a secondary school runs from Year 7
# to a sixth form, a 16 plus institution from Year 12; alternative provision is for pupils of compulsory
# school age (Reception to Year 11).
PHASE_YEAR_GROUPS: dict[str, tuple[str, ...]] = {
    "nursery": _years("N1", "N2"),
    "primary": _years("N1", "6"),
    "secondary": _years("7", "13"),
    "all_through": _years("N1", "13"),
    "special": _years("N1", "14"),
    "alternative_provision": _years("R", "11"),
    "post_16": _years("12", "14"),
}


def year_groups_for(phase: str) -> tuple[str, ...]:
    """Return the year groups a school of this phase teaches (every year group for an unknown phase)."""
    return PHASE_YEAR_GROUPS.get(phase, tuple(YEAR_GROUP_CODES))


# --- the census code against the EHC plan ------------------------------------------------------------------

# Census code E means an EHC plan has been issued (DfE school census guide, "SEN provision": E is an
# education, health and care plan; LA census guidance, e.g. Norfolk and Devon: "E - EHCP issued"). A pupil
# being assessed, or whose plan is still a draft, is K (SEN support) until the final plan is issued.
K_WITH_FINAL_PLAN = "Coded K (SEN support), but has a final EHC plan: the census code should be E"
N_WITH_FINAL_PLAN = "Coded N (no SEN), but has a final EHC plan: the census code should be E"
E_WITHOUT_FINAL_PLAN = (
    "Coded E (EHC plan), but no final EHC plan is recorded: E is for pupils whose plan has been issued"
)


def census_flags(*, provision: str, has_final_plan: bool) -> list[str]:
    """Return what is inconsistent between a pupil's census SEN provision code and their EHC plan."""
    if has_final_plan and provision == "K":
        return [K_WITH_FINAL_PLAN]
    if has_final_plan and provision == "N":
        return [N_WITH_FINAL_PLAN]
    if not has_final_plan and provision == "E":
        return [E_WITHOUT_FINAL_PLAN]
    return []
