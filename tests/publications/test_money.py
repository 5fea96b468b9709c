"""Money in pence, worked out by hand: parsing what people type, formatting, and the strategy's totals."""

from decimal import Decimal

import pytest

from publications.money import (
    Costed,
    NotAnAmount,
    format_pence,
    parse_pounds,
    pence_as_pounds_text,
    pounds_to_pence,
    totals,
)

SOURCES = ["imf", "notional_sen", "core"]
PRINCIPLES = ["P1", "P2", "P3"]


@pytest.mark.parametrize(
    "typed, pence",
    [
        ("1250", 125000),
        ("1,250.50", 125050),
        ("£99", 9900),
        ("75.5", 7550),  # one decimal place means tens of pence
        ("0.05", 5),
        ("0", 0),
        (" £ 3,000 ", 300000),
        ("99999999.99", 9999999999),
    ],
)
def test_typed_pounds_become_whole_pence(typed, pence):
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter the cost in pounds"),
        ("twelve", "Enter the cost in pounds"),
        ("12.345", "Enter the cost in pounds"),  # fractions of a penny
        ("1.2.3", "Enter the cost in pounds"),
        ("-5", "Enter a cost of £0 or more"),
        ("100000000.01", "less than £100,000,000"),
        ("1e5", "Enter the cost in pounds"),
    ],
)
def test_what_is_not_an_amount_says_what_to_type(typed, message):
    with pytest.raises(NotAnAmount, match=message):
        parse_pounds(typed)


@pytest.mark.parametrize(
    "pence, shown",
    [(125000, "£1,250"), (125050, "£1,250.50"), (5, "£0.05"), (0, "£0"), (100, "£1"), (None, "")],
)
def test_pence_are_shown_as_gov_uk_writes_money(pence, shown):
    assert format_pence(pence) == shown


@pytest.mark.parametrize("pence, text", [(125050, "1250.50"), (125000, "1250"), (7, "0.07"), (None, "")])
def test_a_cost_is_shown_again_as_typed(pence, text):
    assert pence_as_pounds_text(pence) == text


@pytest.mark.parametrize(
    "pounds, pence", [(Decimal("250.00"), 25000), (Decimal("99.5"), 9950), (Decimal("0"), 0)]
)
def test_an_audit_actions_cost_in_pounds_becomes_pence(pounds, pence):
    assert pounds_to_pence(pounds) == pence


# Each case: the activities, then the totals worked out by hand.
CASES = [
    pytest.param(
        [], 0, {"imf": 0, "notional_sen": 0, "core": 0}, {"P1": 0, "P2": 0, "P3": 0}, 0, id="nothing yet"
    ),
    pytest.param(
        [Costed(100000, "imf", ("P1",)), Costed(50050, "core", ("P2",))],
        150050,
        {"imf": 100000, "notional_sen": 0, "core": 50050},
        {"P1": 100000, "P2": 50050, "P3": 0},
        0,
        id="one source and one principle each",
    ),
    pytest.param(
        [Costed(30000, "notional_sen", ("P1", "P3")), Costed(20000, "notional_sen", ("P3",))],
        50000,
        {"imf": 0, "notional_sen": 50000, "core": 0},
        # £300 counts in full under both P1 and P3: the principles add up to £800, more than the £500 total
        {"P1": 30000, "P2": 0, "P3": 50000},
        0,
        id="an activity serving two principles counts in full under each",
    ),
    pytest.param(
        [Costed(None, "imf", ("P1",)), Costed(10000, "imf", ("P1",))],
        10000,
        {"imf": 10000, "notional_sen": 0, "core": 0},
        {"P1": 10000, "P2": 0, "P3": 0},
        1,
        id="an uncosted activity adds nothing and is counted",
    ),
    pytest.param(
        [Costed(0, "core", ("P2",))],
        0,
        {"imf": 0, "notional_sen": 0, "core": 0},
        {"P1": 0, "P2": 0, "P3": 0},
        0,
        id="a cost of zero is a cost",
    ),
    pytest.param(
        [Costed(4000, "", ()), Costed(6000, "imf", ())],
        10000,
        {"imf": 6000, "notional_sen": 0, "core": 0, "": 4000},
        {"P1": 0, "P2": 0, "P3": 0, "": 10000},
        0,
        id="no source and no principle yet are totalled apart",
    ),
    pytest.param(
        [Costed(1, "imf", ("P1", "P1"))],
        1,
        {"imf": 1, "notional_sen": 0, "core": 0},
        {"P1": 1, "P2": 0, "P3": 0},
        0,
        id="a principle named twice counts once",
    ),
]


@pytest.mark.parametrize("activities, total, by_source, by_principle, uncosted", CASES)
def test_totals_per_source_and_per_principle(activities, total, by_source, by_principle, uncosted):
    result = totals(activities, sources=SOURCES, principles=PRINCIPLES)
    assert result.total == total
    assert result.by_source == by_source
    assert result.by_principle == by_principle
    assert result.uncosted == uncosted


def test_the_sources_always_add_up_to_the_total():
    activities = [Costed(12345, "imf", ("P1",)), Costed(None, "", ()), Costed(678, "core", ("P2", "P3"))]
    result = totals(activities, sources=SOURCES, principles=PRINCIPLES)
    assert sum(result.by_source.values()) == result.total == 13023
