"""The document rules, by hand: word counts, small numbers, what a strategy lacks, empty report items."""

import pytest

from publications import schedule1
from publications.checks import (
    ActivityFacts,
    check_strategy,
    empty_items,
    shown_count,
    word_count,
)


@pytest.mark.parametrize(
    "text, words",
    [
        ("", 0),
        ("   ", 0),
        ("Every pupil belongs.", 3),
        ("Every  pupil\n\nbelongs,\tand thrives.", 5),
        ("well-being counts as one", 4),
        ("Pupils' views — heard", 4),  # a dash standing alone is a word, as GOV.UK's counter counts it
    ],
)
def test_words_are_counted_as_the_gov_uk_character_count_counts_them(text, words):
    assert word_count(text) == words


@pytest.mark.parametrize("count, shown", [(0, None), (1, None), (2, None), (3, 3), (40, 40)])
def test_counts_below_three_are_never_shown(count, shown):
    assert shown_count(count) == shown


PRINCIPLES = [("P1", "1. Leadership"), ("P2", "2. Early support"), ("P3", "3. Teaching")]
BARRIERS = [(1, "Noise"), (2, "Reading"), (3, "Stairs")]


def facts(number, principles=(), barriers=(), cost=100, source="imf"):
    return ActivityFacts(number, f"Activity {number}", tuple(principles), tuple(barriers), cost, source)


def test_a_strategy_with_nothing_planned_lacks_every_principle_and_barrier():
    findings = check_strategy(principles=PRINCIPLES, barriers=BARRIERS, activities=[])
    assert findings.principles_without_activity == PRINCIPLES
    assert findings.barriers_without_activity == BARRIERS
    assert findings.activities_without_cost == []
    assert findings.count == 6


def test_the_check_lists_unserved_principles_unaddressed_barriers_and_uncosted_activities():
    activities = [
        facts(1, principles=["P1"], barriers=[1], cost=None),
        facts(2, principles=["P1", "P3"], barriers=[3], cost=0, source=""),
    ]
    findings = check_strategy(principles=PRINCIPLES, barriers=BARRIERS, activities=activities)
    assert findings.principles_without_activity == [("P2", "2. Early support")]
    assert findings.barriers_without_activity == [(2, "Reading")]
    assert findings.activities_without_cost == [(1, "Activity 1")]  # £0 is a cost; no cost at all is not
    assert findings.activities_without_source == [(2, "Activity 2")]
    assert findings.count == 4


def test_a_complete_strategy_has_nothing_to_report():
    activities = [facts(1, principles=["P1", "P2", "P3"], barriers=[1, 2, 3])]
    assert check_strategy(principles=PRINCIPLES, barriers=BARRIERS, activities=activities).count == 0


def test_empty_report_items_are_listed_in_order_and_blank_text_counts_as_empty():
    texts = {"1": "We provide for all four areas.", "2": "   \n", "4": "Ms Ada Lovelace"}
    assert empty_items(["1", "2", "3a", "4"], texts) == ["2", "3a"]


def test_the_report_asks_for_every_item_of_schedule_1_and_section_69():
    # Schedule 1 to the SEND Regulations 2014: paragraphs 1 to 13, paragraph 3 in parts (a) to (g);
    # CFA 2014 s69(3)(b): four items about disabled pupils. 13 - 1 + 7 + 4 = 23 items.
    keys = [item.key for item in schedule1.ITEMS]
    assert keys == [
        "1", "2", "3a", "3b", "3c", "3d", "3e", "3f", "3g", "4", "5", "6", "7", "8", "9", "10", "11", "12",
        "13", "s69-i", "s69-ii", "s69-iii", "s69-iv",
    ]  # fmt: skip
    assert schedule1.BY_KEY["4"].law.endswith("the name and contact details of the SEN co-ordinator.")
    assert (
        schedule1.BY_KEY["13"].law == "Information on where the local authority's local offer is published."
    )
    assert all(item.citation for item in schedule1.ITEMS)


@pytest.mark.parametrize(
    "title, keys",
    [
        ("Identifying needs", {"2"}),
        ("The graduated approach (assess, plan, do, review)", {"3b"}),
        ("High-quality teaching and adaptive practice", {"3c"}),
        ("Transitions", {"12"}),
        ("Staff development and the deployment of teaching assistants", {"5"}),
        ("Working with parents, carers and pupils", {"7", "8"}),
        ("Environment and accessibility", {"3d", "s69-iii"}),
        ("Social, emotional and mental health", {"3g"}),
        ("Leadership and the SENCO role", set()),
    ],
)
def test_audit_sections_suggest_for_the_items_their_titles_name(title, keys):
    # The shipped OAP framework's section titles, matched by hand to the Schedule 1 items they inform.
    assert {item.key for item in schedule1.ITEMS if item.matches(title)} == keys
