import pytest

from audits.scoring import (
    LevelResult,
    Score,
    cap_level,
    is_statutory_gap,
    lowest_level,
    overall_level,
    priorities,
    section_level,
    section_levels,
    section_progress,
    strengths,
)

LEVELS = (1, 2, 3, 4)  # Not yet in place, Emerging, Established, Embedded
ONE_GAP = "1 statutory criterion is 'Not yet in place', so the level cannot be above 'Emerging'"
TWO_GAPS = "2 statutory criteria are 'Not yet in place', so the level cannot be above 'Emerging'"


def r(ref: str, value: int | None, *, stat: bool = False, na: bool = False, section: str = "S1") -> Score:
    return Score(criterion_ref=ref, section_ref=section, value=value, not_applicable=na, statutory=stat)


def rs(*values: int | None, stat_at: tuple[int, ...] = ()) -> list[Score]:
    return [r(f"C{i}", value, stat=i in stat_at) for i, value in enumerate(values, start=1)]


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        pytest.param([], LevelResult(None, None, 0, 0, False, None), id="no criteria"),
        pytest.param(rs(None, None), LevelResult(None, None, 0, 2, False, None), id="nothing rated"),
        pytest.param(
            [r("C1", None, na=True), r("C2", 3, na=True)],
            LevelResult(None, None, 0, 0, False, None),
            id="all n/a",
        ),
        pytest.param(rs(4), LevelResult(4, 4.0, 1, 1, False, None), id="one rating"),
        pytest.param(rs(3, 4), LevelResult(3, 3.5, 2, 2, False, None), id="3.5 rounds down"),
        pytest.param(rs(1, 2), LevelResult(1, 1.5, 2, 2, False, None), id="1.5 rounds down"),
        pytest.param(rs(2, 2, 3), LevelResult(2, 7 / 3, 3, 3, False, None), id="2.33 to 2"),
        pytest.param(rs(2, 3, 3), LevelResult(3, 8 / 3, 3, 3, False, None), id="2.67 to 3"),
        pytest.param(rs(4, 4, 4, 1), LevelResult(3, 3.25, 4, 4, False, None), id="non-statutory gap, no cap"),
        pytest.param(rs(3, None), LevelResult(3, 3.0, 1, 2, False, None), id="unrated counts in total only"),
        pytest.param(
            [r("C1", 4), r("C2", 1, na=True)], LevelResult(4, 4.0, 1, 1, False, None), id="n/a value ignored"
        ),
        # The statutory cap
        pytest.param(rs(4, 4, 4, 1, stat_at=(4,)), LevelResult(2, 3.25, 4, 4, True, ONE_GAP), id="capped"),
        pytest.param(
            rs(4, 4, 4, 4, 4, 4, 1, 1, stat_at=(7, 8)),
            LevelResult(2, 3.25, 8, 8, True, TWO_GAPS),
            id="two gaps",
        ),
        pytest.param(
            rs(1, 2, 3, stat_at=(1,)), LevelResult(2, 2.0, 3, 3, False, None), id="already Emerging"
        ),
        pytest.param(rs(1, 1, stat_at=(1,)), LevelResult(1, 1.0, 2, 2, False, None), id="already lowest"),
        pytest.param(
            rs(4, 4, 2, stat_at=(3,)), LevelResult(3, 10 / 3, 3, 3, False, None), id="statutory at 2"
        ),
        pytest.param(
            rs(4, None, stat_at=(2,)), LevelResult(4, 4.0, 1, 2, False, None), id="statutory unrated"
        ),
        pytest.param(
            [r("C1", 4), r("C2", 4), r("C3", 1, stat=True, na=True)],
            LevelResult(4, 4.0, 2, 2, False, None),
            id="statutory n/a",
        ),
    ],
)
def test_section_level(ratings, expected):
    assert section_level(ratings, LEVELS) == expected


@pytest.mark.parametrize(
    ("levels", "values", "expected_value"),
    [
        ((0, 1, 2, 3), (0, 1), 0),
        ((0, 1, 2, 3), (2, 3, 3), 3),
        ((0, 50, 100), (50, 100), 50),
        ((0, 50, 100), (0, 100, 100), 50),
        ((0, 50, 100), (100, 100, 100, 50), 100),
        ((1, 2, 3), (1, 3), 2),
    ],
)
def test_level_on_other_scales(levels, values, expected_value):
    assert section_level(rs(*values), levels).value == expected_value


def test_cap_on_another_scale_with_its_own_labels():
    result = section_level(
        rs(100, 100, 100, 100, 100, 0, stat_at=(6,)), (0, 50, 100), labels=("Missing", "Partial", "Full")
    )
    assert (result.value, result.capped) == (50, True)
    assert result.cap_reason == "1 statutory criterion is 'Missing', so the level cannot be above 'Partial'"


def test_overall_level_uses_every_criterion_and_the_same_cap():
    ratings = [
        r("1.1", 4, section="S1"),
        r("1.2", 4, section="S1"),
        r("2.1", 1, stat=True, section="S2"),
        r("2.2", 4, section="S2"),
        r("2.3", 4, section="S2"),
        r("2.4", 4, section="S2"),
    ]
    assert overall_level(ratings, LEVELS) == LevelResult(2, 3.5, 6, 6, True, ONE_GAP)
    assert section_levels(ratings, LEVELS) == {
        "S1": LevelResult(4, 4.0, 2, 2, False, None),
        "S2": LevelResult(2, 3.25, 4, 4, True, ONE_GAP),
    }


def test_overall_level_without_gaps():
    ratings = [r("1.1", 3, section="S1"), r("2.1", 4, section="S2"), r("2.2", None, section="S2")]
    assert overall_level(ratings, LEVELS) == LevelResult(3, 3.5, 2, 3, False, None)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: section_level(rs(1), (1,)), "levels must be at least two values"),
        (lambda: section_level(rs(1), (2, 1)), "levels must be at least two values"),
        (lambda: section_level(rs(1), (1, 1, 2)), "levels must be at least two values"),
        (lambda: section_level(rs(5), LEVELS), "C1 is rated 5, which is not a level of the scale"),
        (
            lambda: section_level(rs(1), LEVELS, labels=("A", "B")),
            "labels must have one label for each level",
        ),
        (
            lambda: section_level([r("1", 1, section="S1"), r("2", 2, section="S2")], LEVELS),
            "ratings come from more than one section",
        ),
        (lambda: priorities(rs(9), LEVELS), "C1 is rated 9"),
        (lambda: strengths(rs(1), (3,)), "levels must be at least two values"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


PRIORITY_RATINGS = [
    r("A1", 2, stat=True),
    r("A2", 1),
    r("A3", 1, stat=True),
    r("A4", 4),
    r("A5", 3),
    r("A6", None, stat=True),
    r("A7", None, stat=True, na=True),
    r("A8", 1, stat=True),
    r("A9", 2),
    r("A10", 1, stat=True, na=True),
]


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (10, ["A3", "A8", "A2", "A1", "A9", "A5"]),
        (3, ["A3", "A8", "A2"]),
        (1, ["A3"]),
        (0, []),
    ],
)
def test_priorities(limit, expected):
    assert [rating.criterion_ref for rating in priorities(PRIORITY_RATINGS, LEVELS, limit=limit)] == expected


def test_priorities_default_limit_is_ten():
    ratings = [r(f"C{i}", 2) for i in range(1, 13)]
    assert [rating.criterion_ref for rating in priorities(ratings, LEVELS)] == [f"C{i}" for i in range(1, 11)]


STRENGTH_RATINGS = [
    r("B1", 4),
    r("B2", 3),
    r("B3", 4),
    r("B4", 2),
    r("B5", 3),
    r("B6", 4, na=True),
    r("B7", None),
    r("B8", 1),
]


@pytest.mark.parametrize(
    ("levels", "ratings", "limit", "expected"),
    [
        (LEVELS, STRENGTH_RATINGS, 10, ["B1", "B3", "B2", "B5"]),
        (LEVELS, STRENGTH_RATINGS, 3, ["B1", "B3", "B2"]),
        (LEVELS, rs(1, 2, 2), 10, []),
        ((0, 1), [r("Y1", 1), r("Y2", 0), r("Y3", 1)], 10, ["Y1", "Y3"]),
        ((1, 2, 3), [r("Z1", 2), r("Z2", 1), r("Z3", 3)], 10, ["Z3", "Z1"]),
    ],
)
def test_strengths(levels, ratings, limit, expected):
    assert [rating.criterion_ref for rating in strengths(ratings, levels, limit=limit)] == expected


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([], "completed"),
        (rs(None, None), "not_started"),
        ([r("C1", None), r("C2", None, na=True)], "in_progress"),
        (rs(3, None), "in_progress"),
        ([r("C1", 3), r("C2", None, na=True)], "completed"),
        ([r("C1", None, na=True), r("C2", None, na=True)], "completed"),
        (rs(1, 2, 3, 4), "completed"),
    ],
)
def test_section_progress(ratings, expected):
    assert section_progress(ratings) == expected


@pytest.mark.parametrize(
    ("statutory", "value", "levels", "expected"),
    [
        pytest.param(True, 0, (0, 1, 2, 3), True, id="0-based scale, statutory at 0"),
        pytest.param(True, 1, (0, 1, 2, 3), False, id="0-based scale, statutory at 1 (Emerging)"),
        pytest.param(True, 1, (1, 2, 3, 4), True, id="1-based scale, statutory at 1"),
        pytest.param(True, 0, (1, 2, 3, 4), False, id="1-based scale, 0 is not a level"),
        pytest.param(False, 1, (1, 2, 3, 4), False, id="not statutory"),
        pytest.param(True, None, (1, 2, 3, 4), False, id="not rated"),
    ],
)
def test_a_statutory_gap_is_a_statutory_criterion_at_the_scales_lowest_level(
    statutory, value, levels, expected
):
    assert is_statutory_gap(statutory=statutory, value=value, levels=levels) is expected


def test_the_lowest_and_cap_levels_are_the_scales_first_two_values():
    assert (lowest_level((1, 2, 3, 4)), cap_level((1, 2, 3, 4))) == (1, 2)
    assert (lowest_level((0, 1, 2, 3)), cap_level((0, 1, 2, 3))) == (0, 1)
