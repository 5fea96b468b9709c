"""Counts of pupils in documents, by hand: 1 and 2 are never shown; a total never gives one away."""

import pytest

from sendplan.disclosure import count_text, counts_text


@pytest.mark.parametrize(
    "count, text", [(0, "0"), (1, "fewer than 3"), (2, "fewer than 3"), (3, "3"), (17, "17")]
)
def test_a_count_of_one_or_two_pupils_is_shown_as_fewer_than_3(count, text):
    assert count_text(count) == text


@pytest.mark.parametrize(
    "counts, total_shown, texts",
    [
        # two hidden counts: neither can be worked out from the total
        ([2, 1, 3, 0], True, ["fewer than 3", "fewer than 3", "3", "0"]),
        # one hidden count beside a total: 10 - 4 - 5 would give it away, so the smallest shown goes too
        ([1, 4, 5, 0], True, ["fewer than 3", "not shown", "5", "0"]),
        # no total shown: nothing to subtract from
        ([1, 4, 5, 0], False, ["fewer than 3", "4", "5", "0"]),
        # nothing hidden: every count shown
        ([3, 4, 0, 9], True, ["3", "4", "0", "9"]),
    ],
)
def test_one_hidden_count_beside_a_total_hides_the_next_smallest_too(counts, total_shown, texts):
    assert counts_text(counts, total_shown=total_shown) == texts
