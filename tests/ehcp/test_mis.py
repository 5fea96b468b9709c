"""The MIS export tables: headings to fields, and SEN statuses, needs, years, dates and yes/no to codes.

Expected values are written by hand from the MIS vendors' help pages and the DfE codes (sources in each
case's id), never taken from the tables under test.
"""

from datetime import date, datetime

import pytest

from ehcp import mis

SIMS = ["UPN", "Legal Surname", "Legal Forename", "Preferred Forename", "DOB", "Gender", "Year Taught In",
        "Reg Group", "SEN Status", "Primary Need", "Secondary Need", "FSM Eligible", "EAL", "In Care"]  # fmt: skip
ARBOR = ["First name", "Last name", "Date of birth", "Year", "UPN", "SEN status", "Primary SEN need",
         "Secondary SEN need", "Pupil Premium", "Looked after"]  # fmt: skip
BROMCOM = ["Legal Surname", "Legal Forename", "DOB", "Year Group", "UPN", "SEN Status", "SEN Need"]
SCHOLARPACK = ["Surname", "Forename", "Date of Birth", "NC Year", "UPN", "SEN Provision", "Primary SEN Need"]


def _named(headings: list[str], found: dict[str, int]) -> dict[str, str]:
    return {name: headings[index] for name, index in found.items()}


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        pytest.param(
            SIMS,
            {
                "upn": "UPN", "last_name": "Legal Surname", "first_name": "Legal Forename", "date_of_birth": "DOB",
                "year_group": "Year Taught In", "sen_provision": "SEN Status", "primary_need": "Primary Need",
                "secondary_need": "Secondary Need", "free_school_meals": "FSM Eligible", "eal": "EAL",
                "looked_after": "In Care",
            },
            id="SIMS-report-fields-legal-name-wins-over-preferred",
        ),
        pytest.param(
            ARBOR,
            {
                "first_name": "First name", "last_name": "Last name", "date_of_birth": "Date of birth",
                "year_group": "Year", "upn": "UPN", "sen_provision": "SEN status",
                "primary_need": "Primary SEN need", "secondary_need": "Secondary SEN need",
                "pupil_premium": "Pupil Premium", "looked_after": "Looked after",
            },
            id="Arbor-student-export",
        ),
        pytest.param(
            BROMCOM,
            {
                "last_name": "Legal Surname", "first_name": "Legal Forename", "date_of_birth": "DOB",
                "year_group": "Year Group", "upn": "UPN", "sen_provision": "SEN Status", "primary_need": "SEN Need",
            },
            id="Bromcom-student-list",
        ),
        pytest.param(
            SCHOLARPACK,
            {
                "last_name": "Surname", "first_name": "Forename", "date_of_birth": "Date of Birth",
                "year_group": "NC Year", "upn": "UPN", "sen_provision": "SEN Provision",
                "primary_need": "Primary SEN Need",
            },
            id="ScholarPack-SEN-provision-and-need",
        ),
        pytest.param(
            ["first_name", "last_name", "date_of_birth", "year_group", "sen_provision", "carer_name"],
            {
                "first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth",
                "year_group": "year_group", "sen_provision": "sen_provision", "carer_name": "carer_name",
            },
            id="sendplan-template-docs-pupil-import",
        ),
    ],
)  # fmt: skip
def test_recognise_headings_of_common_mis_exports(headings, expected):
    assert _named(headings, mis.recognise_headings(headings)) == expected


def test_a_schools_remembered_column_wins_and_each_column_is_used_once():
    headings = ["Child forename", "Surname", "Birthday", "Year", "SEN Status"]
    remembered = {"first_name": "child forename", "date_of_birth": "Birthday", "last_name": "Gone column"}
    found = _named(headings, mis.recognise_headings(headings, remembered))
    assert found == {
        "first_name": "Child forename",
        "last_name": "Surname",
        "date_of_birth": "Birthday",
        "year_group": "Year",
        "sen_provision": "SEN Status",
    }
    # "Year" matched to the year group cannot also be read as anything else.
    assert list(found.values()).count("Year") == 1


STATEMENT = (
    "Statements of SEN ended in 2018, when they became EHC plans: use E if the pupil has an EHC plan, "
    "otherwise K or N"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("K - SEN Support", ("K", None), id="SIMS-code-and-description-K"),
        pytest.param("E - Education, Health and Care Plan", ("E", None), id="SIMS-code-and-description-E"),
        pytest.param("N - No Special Educational Need", ("N", None), id="SIMS-code-and-description-N"),
        pytest.param("SEN Support", ("K", None), id="Arbor-description-SEN-Support"),
        pytest.param("Education, Health and Care Plan", ("E", None), id="Arbor-description-EHC-plan"),
        pytest.param("Monitoring", ("N", None), id="Arbor-Monitoring-is-census-N"),
        pytest.param("No Special Educational Need", ("N", None), id="Arbor-description-no-SEN"),
        pytest.param("k", ("K", None), id="ScholarPack-DfE-code-any-case"),
        pytest.param(" E ", ("E", None), id="DfE-code-with-spaces"),
        pytest.param("EHCP", ("E", None), id="common-abbreviation-EHCP"),
        pytest.param("S - Statement", (None, STATEMENT), id="SIMS-statement-retired-2018-Capita-and-Arbor"),
        pytest.param("", (None, "Enter the SEN provision: E, K or N"), id="blank-is-not-guessed"),
        pytest.param("A - School Action", (None, "'A - School Action' is not an SEN provision. Use E, K or N"),
                     id="school-action-retired-2015"),
    ],
)  # fmt: skip
def test_sen_provision_code(value, expected):
    assert mis.sen_provision_code(value) == expected


BESD = (
    "BESD (behaviour, emotional and social difficulty) was replaced by SEMH in 2015: check the pupil's need "
    "and record its census code"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("SpLD", ("SPLD", None), id="code-mixed-case-SpLD"),
        pytest.param("Specific Learning Difficulty", ("SPLD", None), id="DfE-description"),
        pytest.param("SPLD - Specific learning difficulty", ("SPLD", None), id="SIMS-code-and-description"),
        pytest.param("Autistic Spectrum Disorder (ASD)", ("ASD", None), id="description-and-bracketed-code"),
        pytest.param("Autism", ("ASD", None), id="autism"),
        pytest.param("Speech, language and communication needs", ("SLCN", None), id="DfE-SLCN-description"),
        pytest.param("Social, Emotional and Mental Health", ("SEMH", None), id="DfE-SEMH-description"),
        pytest.param("Visual Impairment", ("VI", None), id="older-VI-wording"),
        pytest.param("Other Difficulty/Disability", ("OTH", None), id="DfE-OTH-description"),
        pytest.param(
            "SEN support but no specialist assessment of type of need",
            ("NSA", None),
            id="DfE-NSA-description",
        ),
        pytest.param("pmld", ("PMLD", None), id="code-lower-case"),
        pytest.param("", ("", None), id="blank-is-no-need"),
        pytest.param("BESD", (None, BESD), id="BESD-replaced-by-SEMH-CoP-2015"),
        pytest.param(
            "Dyslexia",
            (None, "'Dyslexia' is not a school census SEN type code, such as SPLD, SLCN or ASD"),
            id="a-diagnosis-is-not-a-census-type",
        ),
    ],
)
def test_need_code(value, expected):
    assert mis.need_code(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("R", "R"), ("Reception", "R"), ("YR", "R"), ("4", "4"), ("Y4", "4"), ("Year 4", "4"), ("Year 04", "4"),
        ("NC 10", "10"), (4, "4"), (4.0, "4"), ("N1", "N1"), ("Nursery 2", "N2"), ("14", "14"),
        ("15", None), ("Year 0", None), ("Form 4B", None), ("", None),
    ],
)  # fmt: skip
def test_year_group_code(value, expected):
    assert mis.year_group_code(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-09-23", date(2016, 9, 23)),
        ("23/09/2016", date(2016, 9, 23)),
        ("3/9/2016", date(2016, 9, 3)),
        ("23-09-2016", date(2016, 9, 23)),
        ("23.09.2016", date(2016, 9, 23)),
        ("2016-09-23 00:00:00", date(2016, 9, 23)),
        (datetime(2016, 9, 23, 0, 0), date(2016, 9, 23)),  # an Excel date cell
        (date(2016, 9, 23), date(2016, 9, 23)),
        ("31/02/2016", None),  # no such day
        ("23/09/16", None),  # a two-digit year could be either century
        ("09/23/2016", None),  # an American date: month 23
        ("next Tuesday", None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    assert mis.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Y", True), ("Yes", True), ("TRUE", True), ("1", True), (True, True), ("x", True), ("Eligible", True),
     ("N", False), ("No", False), ("", False), (None, False), ("0", False), ("Maybe", None)],
)  # fmt: skip
def test_yes_no(value, expected):
    assert mis.yes_no(value) == expected


@pytest.mark.parametrize(
    ("looked_after", "previously", "expected"),
    [
        ("Yes", "", ("current", None)),
        ("No", "Yes", ("previous", None)),
        ("No", "No", ("no", None)),
        ("", "", ("no", None)),
        ("Previously looked after", "", ("previous", None)),
        ("Perhaps", "", (None, "Looked after must be Yes or No (or 'Previously looked after')")),
    ],
)
def test_looked_after_value(looked_after, previously, expected):
    assert mis.looked_after_value(looked_after, previously) == expected
