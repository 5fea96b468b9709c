"""When reminders fall due, worked out by hand on a calendar: 14 and 2 days before a statutory deadline's
last day and on the first day it is overdue; an action the day after its due date. Across month ends and
29 February."""

from datetime import date

import pytest

from notifications.schedule import action_reminder, days_left, deadline_reminder

# Last day Tuesday 2 March 2027 (2027 is not a leap year: February has 28 days).
# 14 days before: Tuesday 16 February. 2 days before: Sunday 28 February. First day overdue: Wednesday 3 March.
MARCH_2027 = [
    (date(2027, 2, 15), None),
    (date(2027, 2, 16), "14_days_before"),
    (date(2027, 2, 17), "14_days_before"),  # a missed run catches up, until the next point
    (date(2027, 2, 27), "14_days_before"),
    (date(2027, 2, 28), "2_days_before"),
    (date(2027, 3, 1), "2_days_before"),
    (date(2027, 3, 2), "2_days_before"),  # the last day itself: not yet overdue
    (date(2027, 3, 3), "overdue"),
    (date(2027, 3, 9), "overdue"),  # seventh day overdue: the last catch-up
    (date(2027, 3, 10), None),  # never years late
]

# Last day Thursday 2 March 2028 (a leap year). 14 days before: Thursday 17 February; 2 days before:
# Tuesday 29 February; first day overdue: Friday 3 March.
MARCH_2028 = [
    (date(2028, 2, 16), None),
    (date(2028, 2, 17), "14_days_before"),
    (date(2028, 2, 28), "14_days_before"),
    (date(2028, 2, 29), "2_days_before"),
    (date(2028, 3, 2), "2_days_before"),
    (date(2028, 3, 3), "overdue"),
]

# Last day Friday 1 January 2027: the points fall in December 2026, overdue from Saturday 2 January.
NEW_YEAR = [
    (date(2026, 12, 17), None),
    (date(2026, 12, 18), "14_days_before"),
    (date(2026, 12, 30), "2_days_before"),
    (date(2027, 1, 1), "2_days_before"),
    (date(2027, 1, 2), "overdue"),
]


@pytest.mark.parametrize("today,expected", MARCH_2027)
def test_deadline_points_across_the_end_of_february(today, expected):
    assert deadline_reminder(date(2027, 3, 2), today) == expected


@pytest.mark.parametrize("today,expected", MARCH_2028)
def test_deadline_points_in_a_leap_year(today, expected):
    assert deadline_reminder(date(2028, 3, 2), today) == expected


@pytest.mark.parametrize("today,expected", NEW_YEAR)
def test_deadline_points_across_the_new_year(today, expected):
    assert deadline_reminder(date(2027, 1, 1), today) == expected


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2027, 1, 31), None),  # due today: not yet late
        (date(2027, 2, 1), "overdue"),  # the day after its due date
        (date(2027, 2, 7), "overdue"),
        (date(2027, 2, 8), None),
    ],
)
def test_an_action_is_reminded_of_the_day_after_its_due_date(today, expected):
    assert action_reminder(date(2027, 1, 31), today) == expected


@pytest.mark.parametrize(
    "due,expected",
    [
        (date(2027, 3, 2), "today"),
        (date(2027, 3, 3), "tomorrow"),
        (date(2027, 3, 16), "in 14 days"),
        (date(2027, 3, 1), "1 day ago"),
        (date(2027, 2, 28), "2 days ago"),
    ],
)
def test_days_left_in_words(due, expected):
    assert days_left(due, date(2027, 3, 2)) == expected
