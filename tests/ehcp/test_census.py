import pytest

from ehcp.census import (
    AREA_OF_NEED,
    AREAS_OF_NEED,
    NEED_CODES,
    SEN_PROVISION,
    census_flags,
    upn_check_letter,
    validate_needs,
    validate_upn,
    year_groups_for,
)
from ehcp.models import YearGroup

PRIMARY_MISSING = "Select a primary need for a pupil on SEN support or with an EHC plan"
NSA_NOT_K = "NSA can only be used for pupils on SEN support (K)"
NSA_SECONDARY = "NSA can only be recorded as the primary need"
SAME_NEED = "Secondary need must be different from the primary need"
NO_SEN_WITH_NEED = "Pupils with no SEN (N) cannot have a need recorded"
NSA_NO_SECONDARY = "Secondary need must be blank when the primary need is NSA (type of need not yet assessed)"


def test_sen_provision_codes_and_labels():
    assert SEN_PROVISION == [
        ("E", "Education, health and care plan"),
        ("K", "SEN support"),
        ("N", "No special educational need"),
    ]


def test_need_codes_are_the_thirteen_census_codes():
    assert list(NEED_CODES) == [
        "SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH", "NSA",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("SPLD", "Specific learning difficulty"),
        ("MLD", "Moderate learning difficulty"),
        ("SLD", "Severe learning difficulty"),
        ("PMLD", "Profound and multiple learning difficulty"),
        ("SEMH", "Social, emotional and mental health"),
        ("SLCN", "Speech, language and communication needs"),
        ("HI", "Hearing impairment"),
        ("VI", "Vision impairment"),
        ("MSI", "Multi-sensory impairment"),
        ("PD", "Physical disability"),
        ("ASD", "Autistic spectrum disorder"),
        ("OTH", "Other difficulty/disability"),
        ("NSA", "SEN support but no specialist assessment of type of need"),
    ],
)
def test_need_labels(code, label):
    assert NEED_CODES[code] == label


@pytest.mark.parametrize(
    ("code", "area"),
    [
        ("SPLD", "cognition_learning"),
        ("MLD", "cognition_learning"),
        ("SLD", "cognition_learning"),
        ("PMLD", "cognition_learning"),
        ("SEMH", "semh"),
        ("SLCN", "communication_interaction"),
        ("ASD", "communication_interaction"),
        ("HI", "sensory_physical"),
        ("VI", "sensory_physical"),
        ("MSI", "sensory_physical"),
        ("PD", "sensory_physical"),
        ("OTH", None),
        ("NSA", None),
    ],
)
def test_area_of_need(code, area):
    assert AREA_OF_NEED[code] == area


def test_every_code_has_an_area_entry_and_areas_are_the_four_broad_areas():
    assert set(AREA_OF_NEED) == set(NEED_CODES)
    assert [key for key, _ in AREAS_OF_NEED] == [
        "communication_interaction",
        "cognition_learning",
        "semh",
        "sensory_physical",
    ]
    assert {area for area in AREA_OF_NEED.values() if area} == {key for key, _ in AREAS_OF_NEED}


@pytest.mark.parametrize(
    ("provision", "primary", "secondary", "expected"),
    [
        # Valid combinations
        ("E", "ASD", None, []),
        ("E", "ASD", "SLCN", []),
        ("K", "SPLD", None, []),
        ("K", "SEMH", "MLD", []),
        ("K", "NSA", None, []),
        ("K", "OTH", "PD", []),
        ("N", None, None, []),
        ("N", "", "", []),
        # E and K need a primary need
        ("E", None, None, [PRIMARY_MISSING]),
        ("K", None, None, [PRIMARY_MISSING]),
        ("K", "", None, [PRIMARY_MISSING]),
        ("K", None, "MLD", [PRIMARY_MISSING]),
        # NSA only with K, only as primary
        ("E", "NSA", None, [NSA_NOT_K]),
        ("K", "MLD", "NSA", [NSA_SECONDARY]),
        ("E", "MLD", "NSA", [NSA_NOT_K, NSA_SECONDARY]),
        # Secondary differs from primary
        ("E", "ASD", "ASD", [SAME_NEED]),
        ("K", "NSA", "NSA", [NSA_SECONDARY, SAME_NEED]),
        # NSA, "SEN support but no specialist assessment of type of need", has no type to rank second
        # (DfE school census guide, SEN type; issue 12)
        ("K", "NSA", "MLD", [NSA_NO_SECONDARY]),
        ("K", "NSA", "", []),
        # N forbids needs (one message however many are recorded)
        ("N", "MLD", None, [NO_SEN_WITH_NEED]),
        ("N", None, "MLD", [NO_SEN_WITH_NEED]),
        ("N", "NSA", "MLD", [NO_SEN_WITH_NEED]),
        # Unknown codes are named
        ("E", "DYS", None, ["Primary need 'DYS' is not a school census SEN type code"]),
        ("K", "MLD", "asd", ["Secondary need 'asd' is not a school census SEN type code"]),
        ("S", "MLD", None, ["'S' is not an SEN provision code. Use E, K or N"]),
        ("", None, None, ["'' is not an SEN provision code. Use E, K or N"]),
    ],
)
def test_validate_needs(provision, primary, secondary, expected):
    assert validate_needs(provision=provision, primary=primary, secondary=secondary) == expected


@pytest.mark.parametrize(
    ("last_twelve", "letter"),
    [
        # Worked by hand: characters 2-13 times weights 2-13, sum mod 23, looked up in A-Z without I, O, S.
        ("801200001001", "H"),  # 16+4+10+10+13 = 53; 53 mod 23 = 7 -> H (DfE guidance example)
        ("80120000101A", "G"),  # 16+4+10+10+12+0 = 52; 52 mod 23 = 6 -> G (temporary UPN, A = 0)
        ("801200005001", "B"),  # 16+4+10+50+13 = 93; 93 mod 23 = 1 -> B
        ("201300012345", "Q"),  # 4+4+15+9+20+33+48+65 = 198; 198 mod 23 = 14 -> Q
        ("93812345678Z", "D"),  # 18+9+32+5+12+21+32+45+60+77+96+286 = 693; 693 mod 23 = 3 -> D (Z = 22)
        ("801200001021", "J"),  # 53+24 = 77; 77 mod 23 = 8 -> J (I is skipped)
        ("801210001001", "P"),  # 53+6 = 59; 59 mod 23 = 13 -> P (O is skipped)
        ("801200001501", "T"),  # 16+4+10+10+55+13 = 108; 108 mod 23 = 16 -> T (S is skipped)
        ("000000000000", "A"),  # 0 mod 23 = 0 -> A
    ],
)
def test_upn_check_letter(last_twelve, letter):
    assert upn_check_letter(last_twelve) == letter


@pytest.mark.parametrize(
    "upn",
    [
        "H801200001001",
        "G80120000101A",
        "B801200005001",
        "Q201300012345",
        "D93812345678Z",
        "J801200001021",
        "P801210001001",
        "T801200001501",
        "h801200001001",  # lower case is accepted; store normalise_upn(upn)
        " H801200001001 ",  # so are surrounding spaces
    ],
)
def test_valid_upns(upn):
    assert validate_upn(upn) is None


@pytest.mark.parametrize(
    ("upn", "message"),
    [
        ("", "Enter a UPN"),
        ("   ", "Enter a UPN"),
        ("H80120000100", "UPN must be 13 characters"),
        ("H8012000010011", "UPN must be 13 characters"),
        ("H801 200001001", "UPN must be 13 characters"),
        ("I801200001001", "The first character of a UPN must be a letter other than I, O or S"),
        ("O801200001001", "The first character of a UPN must be a letter other than I, O or S"),
        ("S801200001001", "The first character of a UPN must be a letter other than I, O or S"),
        ("8801200001001", "The first character of a UPN must be a letter other than I, O or S"),
        ("H8012000A1001", "Characters 2 to 12 of a UPN must be numbers"),
        ("HA01200001001", "Characters 2 to 12 of a UPN must be numbers"),
        ("H80120000100I", "The last character of a UPN must be a number or a letter other than I, O or S"),
        ("H80120000100-", "The last character of a UPN must be a number or a letter other than I, O or S"),
        ("Z801200001001", "Check the UPN: the first letter does not match the rest of the number"),
        ("H801200001002", "Check the UPN: the first letter does not match the rest of the number"),
        ("H80120000101A", "Check the UPN: the first letter does not match the rest of the number"),
    ],
)
def test_invalid_upns(upn, message):
    assert validate_upn(upn) == message


# --- the census code against the EHC plan (issue 12) ----------------------------------------------------

K_FINAL = "Coded K (SEN support), but has a final EHC plan: the census code should be E"
N_FINAL = "Coded N (no SEN), but has a final EHC plan: the census code should be E"
E_NO_FINAL = (
    "Coded E (EHC plan), but no final EHC plan is recorded: E is for pupils whose plan has been issued"
)


@pytest.mark.parametrize(
    ("provision", "has_final_plan", "expected"),
    [
        # DfE school census guide, SEN provision: E = EHC plan; LA census guidance (Norfolk, Devon):
        # "E - EHCP issued", "K - SEN Support". A plan being drafted is not yet issued.
        pytest.param("E", True, [], id="E-with-final-plan-census-guide-consistent"),
        pytest.param("K", False, [], id="K-without-plan-census-guide-consistent"),
        pytest.param("N", False, [], id="N-without-plan-census-guide-consistent"),
        pytest.param("K", True, [K_FINAL], id="K-with-final-plan-census-guide-E-once-issued"),
        pytest.param("N", True, [N_FINAL], id="N-with-final-plan-census-guide-E-once-issued"),
        pytest.param("E", False, [E_NO_FINAL], id="E-without-final-plan-census-guide-EHCP-issued"),
    ],
)
def test_census_flags(provision, has_final_plan, expected):
    assert census_flags(provision=provision, has_final_plan=has_final_plan) == expected


# --- year groups by phase (issue 12; DfE phases of education, census NC year groups) ----------------------


@pytest.mark.parametrize(
    ("phase", "years"),
    [
        pytest.param("nursery", ["N1", "N2"], id="nursery-school-ages-2-to-4"),
        pytest.param(
            "primary", ["N1", "N2", "R", "1", "2", "3", "4", "5", "6"], id="primary-nursery-class-to-Y6"
        ),
        pytest.param("secondary", ["7", "8", "9", "10", "11", "12", "13"], id="secondary-Y7-to-sixth-form"),
        pytest.param(
            "all_through",
            ["N1", "N2", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"],
            id="all-through-nursery-to-Y13",
        ),
        pytest.param(
            "special",
            ["N1", "N2", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"],
            id="special-ages-2-to-19",
        ),
        pytest.param(
            "alternative_provision",
            ["R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"],
            id="AP-compulsory-school-age",
        ),
        pytest.param("post_16", ["12", "13", "14"], id="post-16-Y12-to-Y14"),
    ],
)
def test_year_groups_for_phase(phase, years):
    assert list(year_groups_for(phase)) == years


def test_every_year_group_of_every_phase_is_a_year_group_the_register_stores():
    assert [value for value, _ in YearGroup.choices][:3] == ["N1", "N2", "R"]
    for phase in (
        "nursery",
        "primary",
        "secondary",
        "all_through",
        "special",
        "alternative_provision",
        "post_16",
    ):
        assert set(year_groups_for(phase)) <= set(YearGroup.values)
