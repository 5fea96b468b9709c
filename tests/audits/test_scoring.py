"""The scoring rules (audits/scoring.py), table by table, on a scale numbered from 0 and one from 1.

Every expected level is written by hand as a level's name (NY Not yet in place, EM Emerging, ES Established,
EB Embedded) and every mean as it would be on the 0-3 scale; on the 1-4 scale the same ratings give the
same names and a mean one higher. Statutory duties are met at Established on both.
"""

import pytest

from audits.scoring import (
    Duties,
    LevelResult,
    Scale,
    Score,
    duties,
    may_be_not_applicable,
    overall_level,
    priorities,
    section_level,
    section_levels,
    section_progress,
    strengths,
)

LABELS = ("Not yet in place", "Emerging", "Established", "Embedded")
SCALES = {
    "0-based": Scale(values=(0, 1, 2, 3), met=2, labels=LABELS),
    "1-based": Scale(values=(1, 2, 3, 4), met=3, labels=LABELS),
}
STEP = {"NY": 0, "EM": 1, "ES": 2, "EB": 3}
ONE_UNMET = "1 statutory duty is below ‘Established’, so the level cannot be above ‘Emerging’"
TWO_UNMET = "2 statutory duties are below ‘Established’, so the level cannot be above ‘Emerging’"
ONE_UNRATED = "1 statutory duty is not rated yet"
TWO_UNRATED = "2 statutory duties are not rated yet"


@pytest.fixture(params=sorted(SCALES))
def scale(request) -> Scale:
    return SCALES[request.param]


def v(scale: Scale, name: str | None) -> int | None:
    """Return the value of a level name on this scale."""
    return None if name is None else scale.values[STEP[name]]


def r(scale, ref, name, *, stat=False, na=False, confirm=False, section="S1") -> Score:
    return Score(
        criterion_ref=ref,
        section_ref=section,
        value=v(scale, name),
        not_applicable=na,
        statutory=stat,
        to_confirm=confirm,
    )


def rs(scale, *names, stat_at=()) -> list[Score]:
    return [r(scale, f"C{i}", name, stat=i in stat_at) for i, name in enumerate(names, start=1)]


def expect(scale, name, mean, rated, total, **extra) -> LevelResult:
    """Build the expected result from a level name and a mean on the 0-3 scale."""
    offset = scale.values[0]
    return LevelResult(
        value=v(scale, name),
        mean=None if mean is None else pytest.approx(mean + offset),
        rated=rated,
        total=total,
        **extra,
    )


# --- the level of a section --------------------------------------------------------------------------

SECTION_CASES = [
    # (id, ratings as (name, flags), expected name, mean on 0-3, rated, total, extra)
    ("no criteria", [], None, None, 0, 0, {}),
    ("nothing rated", [(None, {}), (None, {})], None, None, 0, 2, {}),
    ("all not applicable", [(None, {"na": True}), (None, {"na": True})], None, None, 0, 0, {}),
    ("one rating", [("EB", {})], "EB", 3.0, 1, 1, {}),
    ("2.5 rounds down", [("ES", {}), ("EB", {})], "ES", 2.5, 2, 2, {}),
    ("0.5 rounds down", [("NY", {}), ("EM", {})], "NY", 0.5, 2, 2, {}),
    ("1.33 to Emerging", [("EM", {}), ("EM", {}), ("ES", {})], "EM", 4 / 3, 3, 3, {}),
    ("1.67 to Established", [("EM", {}), ("ES", {}), ("ES", {})], "ES", 5 / 3, 3, 3, {}),
    (
        "a low non-statutory criterion never caps",
        [("EB", {}), ("EB", {}), ("EB", {}), ("NY", {})],
        "ES",
        2.25,
        4,
        4,
        {},
    ),
    ("unrated: provisional", [("ES", {}), (None, {})], "ES", 2.0, 1, 2, {}),
    ("not applicable left out", [("EB", {}), (None, {"na": True})], "EB", 3.0, 1, 1, {}),
    (
        "to confirm is not rated",
        [("EM", {}), ("EB", {"confirm": True})],
        "EM",
        1.0,
        1,
        2,
        {"to_confirm": 1},
    ),
    # A statutory duty below the met level caps the section at Emerging.
    (
        "duty Not yet in place caps",
        [("EB", {}), ("EB", {}), ("EB", {}), ("NY", {"stat": True})],
        "EM",
        2.25,
        4,
        4,
        {"capped": True, "cap_reason": ONE_UNMET, "duties": Duties(1, 0, 1, 0)},
    ),
    (
        "duty Emerging caps",
        [("EB", {}), ("EB", {}), ("EB", {}), ("EM", {"stat": True})],
        "EM",
        2.5,
        4,
        4,
        {"capped": True, "cap_reason": ONE_UNMET, "duties": Duties(1, 0, 1, 0)},
    ),
    (
        "duty Established is met",
        [("EB", {}), ("EB", {}), ("EB", {}), ("ES", {"stat": True})],
        "EB",
        2.75,
        4,
        4,
        {"duties": Duties(1, 1, 0, 0)},
    ),
    (
        "two duties below",
        [("EB", {}), ("EB", {}), ("EM", {"stat": True}), ("NY", {"stat": True})],
        "EM",
        1.75,
        4,
        4,
        {"capped": True, "cap_reason": TWO_UNMET, "duties": Duties(2, 0, 2, 0)},
    ),
    (
        "already at the cap",
        [("NY", {}), ("EM", {}), ("EM", {"stat": True})],
        "EM",
        2 / 3,
        3,
        3,
        {"duties": Duties(1, 0, 1, 0)},
    ),
    # Until every statutory duty in scope is rated there is no level.
    (
        "duty unrated withholds",
        [("EB", {}), (None, {"stat": True})],
        None,
        3.0,
        1,
        2,
        {"withheld_reason": ONE_UNRATED, "duties": Duties(1, 0, 0, 1)},
    ),
    (
        "duty marked not applicable counts as unrated",
        [("EB", {}), (None, {"stat": True, "na": True})],
        None,
        3.0,
        1,
        2,
        {"withheld_reason": ONE_UNRATED, "duties": Duties(1, 0, 0, 1)},
    ),
    (
        "duty to confirm counts as unrated",
        [("EB", {}), ("ES", {"stat": True, "confirm": True})],
        None,
        3.0,
        1,
        2,
        {"withheld_reason": ONE_UNRATED, "to_confirm": 1, "duties": Duties(1, 0, 0, 1)},
    ),
    (
        "withheld even when a duty is below",
        [("NY", {"stat": True}), (None, {"stat": True}), (None, {"stat": True})],
        None,
        0.0,
        1,
        3,
        {"withheld_reason": TWO_UNRATED, "duties": Duties(3, 0, 1, 2)},
    ),
]


@pytest.mark.parametrize(
    ("ratings", "name", "mean", "rated", "total", "extra"),
    [pytest.param(*case[1:], id=case[0]) for case in SECTION_CASES],
)
def test_section_level(scale, ratings, name, mean, rated, total, extra):
    scores = [r(scale, f"C{i}", level, **flags) for i, (level, flags) in enumerate(ratings, start=1)]
    assert section_level(scores, scale) == expect(scale, name, mean, rated, total, **extra)


@pytest.mark.parametrize(
    ("ratings", "provisional", "withheld"),
    [
        ([("ES", {}), (None, {})], True, False),
        ([("ES", {}), ("EB", {})], False, False),
        ([("ES", {}), ("EB", {"confirm": True})], True, False),
        ([("ES", {}), (None, {"stat": True})], False, True),
        ([(None, {}), (None, {})], False, False),
    ],
)
def test_provisional_until_every_criterion_in_scope_is_rated(scale, ratings, provisional, withheld):
    scores = [r(scale, f"C{i}", level, **flags) for i, (level, flags) in enumerate(ratings, start=1)]
    result = section_level(scores, scale)
    assert (result.provisional, result.withheld) == (provisional, withheld)


def test_the_overall_level_applies_the_same_rules_to_every_criterion(scale):
    ratings = [
        r(scale, "1.1", "EB", section="S1"),
        r(scale, "1.2", "EB", section="S1"),
        r(scale, "2.1", "EM", stat=True, section="S2"),
        r(scale, "2.2", "EB", section="S2"),
        r(scale, "2.3", "EB", section="S2"),
        r(scale, "2.4", "EB", section="S2"),
    ]
    one_unmet = {"capped": True, "cap_reason": ONE_UNMET, "duties": Duties(1, 0, 1, 0)}
    # 16/6 = 2.67 rounds to Embedded, capped at Emerging by the duty at Emerging in S2.
    assert overall_level(ratings, scale) == expect(scale, "EM", 16 / 6, 6, 6, **one_unmet)
    assert section_levels(ratings, scale) == {
        "S1": expect(scale, "EB", 3.0, 2, 2),
        "S2": expect(scale, "EM", 2.5, 4, 4, **one_unmet),
    }


def test_an_unrated_duty_withholds_its_section_and_the_overall_level_only(scale):
    ratings = [r(scale, "1.1", "EB", section="S1"), r(scale, "2.1", None, stat=True, section="S2")]
    unrated = {"withheld_reason": ONE_UNRATED, "duties": Duties(1, 0, 0, 1)}
    assert overall_level(ratings, scale) == expect(scale, None, 3.0, 1, 2, **unrated)
    assert section_levels(ratings, scale) == {
        "S1": expect(scale, "EB", 3.0, 1, 1),
        "S2": expect(scale, None, None, 0, 1, **unrated),
    }


# --- statutory duties ---------------------------------------------------------------------------------


def test_duties_are_counted_met_not_met_and_unrated(scale):
    ratings = [
        r(scale, "D1", "ES", stat=True),
        r(scale, "D2", "EB", stat=True),
        r(scale, "D3", "EM", stat=True),
        r(scale, "D4", None, stat=True),
        r(scale, "D5", "NY"),  # not statutory
        r(scale, "D6", "EB", stat=True, confirm=True),
    ]
    counted = duties(ratings, scale)
    assert counted == Duties(total=5, met=2, unmet=1, unrated=2)
    assert str(counted) == "2 of 5 met, 2 unrated"
    assert str(Duties(total=3, met=3)) == "3 of 3 met"
    assert str(Duties()) == "0 of 0 met"


@pytest.mark.parametrize(
    ("statutory", "scale_allows", "expected"),
    [(True, True, False), (True, False, False), (False, True, True), (False, False, False)],
)
def test_a_statutory_duty_can_never_be_not_applicable(statutory, scale_allows, expected):
    assert may_be_not_applicable(statutory=statutory, scale_allows=scale_allows) is expected


# --- priorities and strengths -------------------------------------------------------------------------


def priority_ratings(scale) -> list[Score]:
    return [
        r(scale, "A1", "EM", stat=True),
        r(scale, "A2", "EM"),
        r(scale, "A3", "NY", stat=True),
        r(scale, "A4", "EB"),
        r(scale, "A5", "ES"),
        r(scale, "A6", None, stat=True),
        r(scale, "A7", None, stat=True, na=True),
        r(scale, "A8", "NY", stat=True),
        r(scale, "A9", "ES"),
        r(scale, "A10", "NY", confirm=True),
        r(scale, "A11", "ES", stat=True),
    ]


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        # Duties below Established first, in the framework's order; then the rest below the top, lowest first.
        (10, ["A1", "A3", "A8", "A2", "A5", "A9", "A11"]),
        (4, ["A1", "A3", "A8", "A2"]),
        (1, ["A1"]),
        (0, []),
    ],
)
def test_priorities(scale, limit, expected):
    assert [
        rating.criterion_ref for rating in priorities(priority_ratings(scale), scale, limit=limit)
    ] == expected


def test_priorities_default_limit_is_ten(scale):
    ratings = [r(scale, f"C{i}", "ES") for i in range(1, 13)]
    assert [rating.criterion_ref for rating in priorities(ratings, scale)] == [f"C{i}" for i in range(1, 11)]


def test_strengths_are_the_top_two_levels_rated_in_this_audit(scale):
    ratings = [
        r(scale, "B1", "EB"),
        r(scale, "B2", "ES"),
        r(scale, "B3", "EB"),
        r(scale, "B4", "EM"),
        r(scale, "B5", "ES"),
        r(scale, "B6", None, na=True),
        r(scale, "B7", None),
        r(scale, "B8", "EB", confirm=True),
    ]
    assert [rating.criterion_ref for rating in strengths(ratings, scale)] == ["B1", "B3", "B2", "B5"]
    assert [rating.criterion_ref for rating in strengths(ratings, scale, limit=3)] == ["B1", "B3", "B2"]


def test_on_a_two_level_scale_the_lowest_level_is_never_a_strength():
    two = Scale(values=(0, 1), met=1, labels=("Not met", "Met"))
    ratings = [Score("Y1", "S", 1), Score("Y2", "S", 0), Score("Y3", "S", 1)]
    assert [rating.criterion_ref for rating in strengths(ratings, two)] == ["Y1", "Y3"]
    capped = section_level(
        [Score("Y1", "S", 1), Score("Y2", "S", 1), Score("Y3", "S", 0, statutory=True)], two
    )
    # 2/3 rounds to Met; the duty at Not met caps the section at the level below Met.
    assert (capped.value, capped.cap_reason) == (
        0,
        "1 statutory duty is below ‘Met’, so the level cannot be above ‘Not met’",
    )


# --- progress and bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([], "completed"),
        ([(None, {}), (None, {})], "not_started"),
        ([(None, {}), (None, {"na": True})], "in_progress"),
        ([("ES", {}), (None, {})], "in_progress"),
        ([("ES", {}), (None, {"na": True})], "completed"),
        ([(None, {"na": True}), (None, {"na": True})], "completed"),
        ([("NY", {}), ("EM", {}), ("ES", {}), ("EB", {})], "completed"),
        ([("ES", {"confirm": True}), ("ES", {"confirm": True})], "in_progress"),
        ([("ES", {}), (None, {"stat": True, "na": True})], "in_progress"),
    ],
)
def test_section_progress(scale, ratings, expected):
    scores = [r(scale, f"C{i}", level, **flags) for i, (level, flags) in enumerate(ratings, start=1)]
    assert section_progress(scores) == expected


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Scale(values=(1,), met=1), "levels must be at least two values"),
        (lambda: Scale(values=(2, 1), met=2), "levels must be at least two values"),
        (lambda: Scale(values=(1, 1, 2), met=2), "levels must be at least two values"),
        (
            lambda: Scale(values=(0, 1, 2, 3), met=0),
            "the met level must be one of the levels above the lowest",
        ),
        (
            lambda: Scale(values=(0, 1, 2, 3), met=5),
            "the met level must be one of the levels above the lowest",
        ),
        (
            lambda: Scale(values=(0, 1, 2, 3), met=2, labels=("A", "B")),
            "labels must have one label for each level",
        ),
    ],
)
def test_a_bad_scale_is_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_bad_ratings_are_refused(scale):
    with pytest.raises(ValueError, match="C1 is rated 9, which is not a level of the scale"):
        section_level([Score("C1", "S1", 9)], scale)
    with pytest.raises(ValueError, match="ratings come from more than one section"):
        section_level([Score("1", "S1", v(scale, "EM")), Score("2", "S2", v(scale, "EM"))], scale)


def test_a_bare_list_of_levels_is_refused_with_a_pointer_to_the_scale(scale):
    with pytest.raises(TypeError, match="pass a scoring.Scale"):
        section_level([r(scale, "C1", "ES")], (0, 1, 2, 3))
