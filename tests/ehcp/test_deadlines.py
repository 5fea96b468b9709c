"""Deadline arithmetic against the law, with every expected date worked out by hand.

Case names carry the rule's source. Month ends, leap years (2024, 2028), 14 February and the bank
holidays of England and Wales are in the tables on purpose.
"""

from datetime import date

import pytest

from ehcp.deadlines import (
    Deadline,
    PlanDates,
    ReviewDates,
    add_days,
    add_months,
    add_weeks,
    advice_due,
    amended_plan_due,
    amendment_comments_due,
    annual_review_timeline,
    assessment_timeline,
    deadline_status,
    decision_due,
    final_plan_due,
    issued_within_time_limit,
    la_review_decision_due,
    missing_before_final,
    no_plan_notice_due,
    parent_comments_due,
    phase_transfer_deadline,
    phase_transfer_meeting_by,
    plan_timeline,
    review_advice_circulated_by,
    review_concluded_by,
    review_meeting_by,
    review_notice_due,
    review_report_due,
    school_consultation_reply_due,
    window_status,
)
from ehcp.deadlines.service import (
    BY_HAND,
    EMAIL,
    FIRST_CLASS,
    SECOND_CLASS,
    add_working_days,
    bank_holidays,
    deemed_served,
    easter_sunday,
    is_working_day,
    service,
)

D = date


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 1), 0, D(2025, 1, 1)),
        (D(2025, 1, 31), 1, D(2025, 2, 1)),
        (D(2024, 2, 28), 1, D(2024, 2, 29)),
        (D(2025, 2, 28), 1, D(2025, 3, 1)),
        (D(2025, 12, 31), 1, D(2026, 1, 1)),
        (D(2025, 3, 1), -1, D(2025, 2, 28)),
        (D(2024, 3, 1), -1, D(2024, 2, 29)),
    ],
)
def test_add_days(start, n, expected):
    assert add_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 9, 1), 6, D(2025, 10, 13)),
        (D(2025, 12, 1), 6, D(2026, 1, 12)),
        (D(2024, 1, 31), 4, D(2024, 2, 28)),
        (D(2025, 3, 1), -2, D(2025, 2, 15)),
        (D(2026, 1, 8), -2, D(2025, 12, 25)),
    ],
)
def test_add_weeks(start, n, expected):
    assert add_weeks(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 15), 1, D(2025, 2, 15)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2023, 10, 31), 4, D(2024, 2, 29)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 1, 15), -1, D(2024, 12, 15)),
        (D(2025, 5, 31), 0, D(2025, 5, 31)),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(start, n) == expected


# --- working days and service (Interpretation Act 1978 s7; Practice Direction [1985] 1 WLR 489) ----------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2008, D(2008, 3, 23)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2038, D(2038, 4, 25)),  # the latest Easter this century
        (2285, D(2285, 3, 22)),  # the earliest possible
    ],
)
def test_easter_sunday(year, expected):
    assert easter_sunday(year) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # GOV.UK's published bank holidays for England and Wales, typed in by hand.
        pytest.param(
            2022,
            ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"],
            id="2022: new year on Saturday, jubilee, state funeral, Christmas on Sunday",
        ),
        pytest.param(
            2023,
            ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
            id="2023: coronation",
        ),
        pytest.param(
            2024, ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"], id="2024"
        ),
        pytest.param(
            2025, ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"], id="2025"
        ),
        pytest.param(
            2026,
            ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
            id="2026: Boxing Day on Saturday",
        ),
        pytest.param(
            2027,
            ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
            id="2027: Christmas on Saturday",
        ),
        pytest.param(
            2020, ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"], id="2020: VE day"
        ),
    ],
)
def test_bank_holidays_in_england_and_wales(year, expected):
    assert sorted(bank_holidays(year)) == [D(year, int(md[:2]), int(md[3:])) for md in expected]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 12, 24), True),
        (D(2025, 12, 25), False),
        (D(2025, 12, 27), False),  # Saturday
        (D(2026, 12, 28), False),  # the substitute for Boxing Day
        (D(2024, 2, 29), True),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("sent", "method", "expected"),
    [
        # First class: the second working day after posting.
        pytest.param(D(2025, 12, 18), FIRST_CLASS, D(2025, 12, 22), id="pd_1985_first_class_over_a_weekend"),
        pytest.param(D(2025, 4, 17), FIRST_CLASS, D(2025, 4, 23), id="pd_1985_first_class_over_easter"),
        pytest.param(D(2024, 2, 28), FIRST_CLASS, D(2024, 3, 1), id="pd_1985_first_class_across_29_february"),
        # Second class: the fourth working day; Christmas and Boxing Day are not working days.
        pytest.param(
            D(2025, 12, 22), SECOND_CLASS, D(2025, 12, 30), id="pd_1985_second_class_over_christmas"
        ),
        pytest.param(D(2025, 2, 26), "", D(2025, 3, 4), id="pd_1985_class_not_recorded_taken_as_second"),
        # Email: the next working day (CPR 6.26, the hour not being recorded).
        pytest.param(D(2025, 5, 23), EMAIL, D(2025, 5, 27), id="cpr_6_26_email_before_a_bank_holiday"),
        pytest.param(D(2026, 3, 2), EMAIL, D(2026, 3, 3), id="cpr_6_26_email_on_a_monday"),
        # Handed over: that day, even a Saturday.
        pytest.param(D(2026, 1, 10), BY_HAND, D(2026, 1, 10), id="handed_over_on_a_saturday"),
    ],
)
def test_interpretation_act_s7_deemed_service(sent, method, expected):
    assert deemed_served(sent, method) == expected


def test_add_working_days_skips_weekends_and_bank_holidays():
    assert add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 29)
    assert add_working_days(D(2025, 12, 19), 3) == D(2025, 12, 24)


def test_a_recorded_served_date_wins_and_a_deemed_one_says_how():
    assert service(D(2025, 12, 1), FIRST_CLASS, D(2025, 12, 2)) == (D(2025, 12, 2), "")
    served, note = service(D(2025, 12, 1))
    assert served == D(2025, 12, 5)
    assert note == (
        "Served date not recorded: sent on 1 December 2025, posted second class (assumed: the class of post "
        "was not recorded); deemed served on the fourth working day after posting (Interpretation Act "
        "1978, s7; Practice Direction [1985] 1 WLR 489), so counted from 5 December 2025."
    )
    assert service(D(2025, 12, 1), FIRST_CLASS)[1].startswith(
        "Served date not recorded: sent on 1 December 2025, posted first class; deemed served on the "
        "second working day"
    )


# --- the assessment (Regs 5, 8, 10, 13) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "start", "expected"),
    [
        pytest.param(decision_due, D(2025, 9, 1), D(2025, 10, 13), id="reg_5_1_six_weeks"),
        pytest.param(decision_due, D(2025, 12, 19), D(2026, 1, 30), id="reg_5_1_across_the_new_year"),
        pytest.param(decision_due, D(2024, 1, 18), D(2024, 2, 29), id="reg_5_1_to_29_february"),
        pytest.param(decision_due, D(2025, 1, 18), D(2025, 3, 1), id="reg_5_1_no_29_february"),
        pytest.param(advice_due, D(2025, 10, 20), D(2025, 12, 1), id="reg_8_1_six_weeks"),
        pytest.param(advice_due, D(2025, 11, 20), D(2026, 1, 1), id="reg_8_1_to_new_years_day"),
        pytest.param(no_plan_notice_due, D(2025, 9, 1), D(2025, 12, 22), id="reg_10_1_sixteen_weeks"),
        pytest.param(no_plan_notice_due, D(2023, 11, 1), D(2024, 2, 21), id="reg_10_1_leap_year"),
        pytest.param(final_plan_due, D(2025, 9, 1), D(2026, 1, 19), id="reg_13_2_twenty_weeks"),
        pytest.param(final_plan_due, D(2023, 11, 1), D(2024, 3, 20), id="reg_13_2_across_29_february"),
        pytest.param(final_plan_due, D(2024, 11, 1), D(2025, 3, 21), id="reg_13_2_no_29_february"),
        # 15 days beginning with the day the draft is served: the last day is day 15.
        pytest.param(parent_comments_due, D(2025, 3, 1), D(2025, 3, 15), id="reg_13_1_a_day_one_is_service"),
        pytest.param(parent_comments_due, D(2025, 2, 20), D(2025, 3, 6), id="reg_13_1_a_over_february"),
        pytest.param(parent_comments_due, D(2024, 2, 20), D(2024, 3, 5), id="reg_13_1_a_over_29_february"),
        pytest.param(parent_comments_due, D(2025, 12, 25), D(2026, 1, 8), id="reg_13_1_a_over_christmas"),
        pytest.param(
            school_consultation_reply_due, D(2025, 3, 1), D(2025, 3, 16), id="cop_9_83_fifteen_days_after"
        ),
        pytest.param(
            school_consultation_reply_due, D(2025, 12, 20), D(2026, 1, 4), id="cop_9_83_across_the_new_year"
        ),
    ],
)
def test_assessment_deadlines(function, start, expected):
    assert function(start) == expected


@pytest.mark.parametrize(
    ("request_date", "issued", "expected"),
    [
        # Regs 13(2): "within 20 weeks" of the request; 6 January + 140 days = 26 May.
        pytest.param(D(2025, 1, 6), D(2025, 5, 26), True, id="reg_13_2_on_the_last_day"),
        pytest.param(D(2025, 1, 6), D(2025, 5, 27), False, id="reg_13_2_a_day_late"),
        # 8 January 2024 + 140 days, across a leap February = 27 May 2024.
        pytest.param(D(2024, 1, 8), D(2024, 5, 27), True, id="reg_13_2_leap_year_last_day"),
        pytest.param(D(2024, 1, 8), D(2024, 5, 28), False, id="reg_13_2_leap_year_a_day_late"),
    ],
)
def test_issued_within_the_20_week_time_limit(request_date, issued, expected):
    assert issued_within_time_limit(request_date, issued) is expected


# --- the annual review (CFA s44; Regs 20 and 22) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param(D(2025, 3, 10), D(2026, 3, 9), id="cfa_s44_the_day_before_the_anniversary"),
        pytest.param(D(2026, 1, 1), D(2026, 12, 31), id="cfa_s44_a_calendar_year"),
        pytest.param(D(2025, 12, 31), D(2026, 12, 30), id="cfa_s44_from_a_month_end"),
        pytest.param(D(2024, 2, 29), D(2025, 2, 28), id="cfa_s44_from_29_february"),
        pytest.param(D(2023, 3, 1), D(2024, 2, 29), id="cfa_s44_into_a_leap_february"),
        pytest.param(D(2027, 2, 28), D(2028, 2, 27), id="cfa_s44_from_28_february_before_a_leap_year"),
        pytest.param(D(2027, 3, 1), D(2028, 2, 29), id="cfa_s44_from_1_march_before_a_leap_year"),
    ],
)
def test_cfa_s44_review_concluded_within_12_months_starting_with(start, expected):
    assert review_concluded_by(start) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param(D(2025, 3, 10), D(2026, 2, 9), id="cfa_s44_reg_20_10_four_weeks_before"),
        pytest.param(D(2023, 3, 1), D(2024, 2, 1), id="cfa_s44_reg_20_10_across_29_february"),
        pytest.param(D(2024, 2, 29), D(2025, 1, 31), id="cfa_s44_reg_20_10_from_29_february"),
        pytest.param(D(2027, 4, 1), D(2028, 3, 3), id="cfa_s44_reg_20_10_leap_march"),
    ],
)
def test_cfa_s44_hold_the_meeting_four_weeks_before_the_review_must_conclude(start, expected):
    assert review_meeting_by(start) == expected


@pytest.mark.parametrize(
    ("function", "meeting", "expected"),
    [
        # "At least two weeks' notice": two clear weeks, so the 15th day before the meeting.
        pytest.param(review_notice_due, D(2025, 3, 10), D(2025, 2, 23), id="reg_20_3_notice_two_clear_weeks"),
        pytest.param(
            review_notice_due, D(2024, 3, 10), D(2024, 2, 24), id="reg_20_3_notice_over_29_february"
        ),
        pytest.param(review_notice_due, D(2026, 1, 8), D(2025, 12, 24), id="reg_20_3_notice_over_christmas"),
        pytest.param(review_notice_due, D(2028, 3, 14), D(2028, 2, 28), id="reg_20_3_notice_leap_year"),
        pytest.param(
            review_advice_circulated_by, D(2025, 3, 10), D(2025, 2, 23), id="reg_20_4_advice_two_clear_weeks"
        ),
        pytest.param(
            review_advice_circulated_by, D(2024, 3, 10), D(2024, 2, 24), id="reg_20_4_advice_over_29_february"
        ),
        pytest.param(
            review_report_due, D(2025, 12, 22), D(2026, 1, 5), id="reg_20_7_report_within_two_weeks"
        ),
        pytest.param(review_report_due, D(2024, 2, 20), D(2024, 3, 5), id="reg_20_7_report_over_29_february"),
        pytest.param(
            la_review_decision_due, D(2025, 12, 10), D(2026, 1, 7), id="reg_20_10_decision_within_four_weeks"
        ),
        pytest.param(la_review_decision_due, D(2025, 2, 1), D(2025, 3, 1), id="reg_20_10_decision_february"),
        pytest.param(
            la_review_decision_due, D(2024, 2, 1), D(2024, 2, 29), id="reg_20_10_decision_to_29_february"
        ),
        pytest.param(
            amendment_comments_due,
            D(2025, 11, 10),
            D(2025, 11, 24),
            id="reg_22_2_c_fifteen_days_from_service",
        ),
        pytest.param(
            amendment_comments_due, D(2025, 12, 20), D(2026, 1, 3), id="reg_22_2_c_across_the_new_year"
        ),
    ],
)
def test_review_steps_around_the_meeting(function, meeting, expected):
    assert function(meeting) == expected


@pytest.mark.parametrize(
    ("sent", "meeting", "expected"),
    [
        pytest.param(D(2025, 11, 10), None, D(2026, 1, 5), id="reg_22_3_eight_weeks_from_the_proposals"),
        pytest.param(D(2024, 1, 5), None, D(2024, 3, 1), id="reg_22_3_over_29_february"),
        # Proposals sent 3 weeks after a meeting on 10 November: 8 weeks from them (26 January) is earlier
        # than 12 weeks from the meeting (2 February).
        pytest.param(D(2025, 12, 1), D(2025, 11, 10), D(2026, 1, 26), id="reg_22_3_within_both_limits"),
        # Proposals sent late (1 January): 8 weeks would be 26 February, but 12 weeks from the meeting is
        # 2 February.
        pytest.param(
            D(2026, 1, 1), D(2025, 11, 10), D(2026, 2, 2), id="devon_2022_twelve_weeks_from_meeting"
        ),
        pytest.param(D(2024, 1, 5), D(2023, 12, 1), D(2024, 2, 23), id="devon_2022_leap_year"),
    ],
)
def test_amended_plan_within_8_weeks_and_never_later_than_12_weeks_from_the_meeting(sent, meeting, expected):
    assert amended_plan_due(sent, meeting) == expected


# --- phase transfer (Regs 18) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("transfer_starts", "to_post16", "expected"),
    [
        pytest.param(D(2026, 9, 1), False, D(2026, 2, 14), id="reg_18_1_b_before_15_february"),
        pytest.param(D(2026, 9, 1), True, D(2026, 3, 30), id="reg_18_1_a_before_31_march"),
        pytest.param(D(2027, 9, 3), False, D(2027, 2, 14), id="reg_18_1_b_2027"),
        pytest.param(D(2028, 9, 4), True, D(2028, 3, 30), id="reg_18_1_a_leap_year"),
        pytest.param(D(2026, 12, 31), False, D(2026, 2, 14), id="reg_18_1_b_same_calendar_year"),
    ],
)
def test_reg_18_phase_transfer_deadline(transfer_starts, to_post16, expected):
    assert phase_transfer_deadline(transfer_starts, to_post16=to_post16) == expected


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        pytest.param(D(2027, 2, 14), D(2026, 11, 22), id="reg_18_twelve_weeks_before_14_february"),
        pytest.param(D(2028, 2, 14), D(2027, 11, 22), id="reg_18_twelve_weeks_before_14_february_2028"),
        pytest.param(D(2027, 3, 30), D(2027, 1, 5), id="reg_18_twelve_weeks_before_30_march"),
        pytest.param(D(2028, 3, 30), D(2028, 1, 6), id="reg_18_twelve_weeks_before_30_march_leap_year"),
    ],
)
def test_reg_18_latest_compliant_review_meeting(deadline, expected):
    assert phase_transfer_meeting_by(deadline) == expected


# --- statuses -----------------------------------------------------------------------------------------------

DUE = D(2025, 3, 15)


@pytest.mark.parametrize(
    ("today", "done_on", "soon_days", "expected"),
    [
        (D(2025, 3, 1), D(2025, 3, 10), 14, "done"),
        (D(2025, 3, 20), D(2025, 3, 15), 14, "done"),
        (D(2025, 4, 1), D(2025, 3, 14), 14, "done"),
        (D(2025, 3, 20), D(2025, 3, 16), 14, "done_late"),
        (D(2025, 3, 16), None, 14, "overdue"),
        (D(2026, 1, 1), None, 14, "overdue"),
        (D(2025, 3, 15), None, 14, "due_soon"),
        (D(2025, 3, 1), None, 14, "due_soon"),
        (D(2025, 2, 28), None, 14, "on_track"),
        (D(2025, 3, 14), None, 0, "on_track"),
        (D(2025, 3, 15), None, 0, "due_soon"),
        (D(2025, 2, 13), None, 30, "due_soon"),
    ],
)
def test_deadline_status(today, done_on, soon_days, expected):
    assert deadline_status(DUE, today=today, done_on=done_on, soon_days=soon_days) == expected


def test_deadline_status_default_window_is_14_days():
    assert deadline_status(DUE, today=D(2025, 3, 1)) == "due_soon"
    assert deadline_status(DUE, today=D(2025, 2, 28)) == "on_track"


def test_a_familys_window_is_open_then_closed_and_never_overdue():
    assert window_status(DUE, today=D(2025, 3, 15)) == "open"
    assert window_status(DUE, today=D(2025, 3, 16)) == "closed"


# --- timelines ----------------------------------------------------------------------------------------------


def test_assessment_timeline_from_the_request_alone():
    assert assessment_timeline(D(2025, 9, 1)) == [
        Deadline("decision", "Decide whether to assess", D(2025, 10, 13), "SEND Regulations 2014, reg 5(1)"),
        Deadline(
            "no_plan_notice",
            "Tell the family if no plan will be issued",
            D(2025, 12, 22),
            "SEND Regulations 2014, reg 10(1)",
        ),
        Deadline(
            "final_plan", "Issue the final EHC plan", D(2026, 1, 19), "SEND Regulations 2014, reg 13(2)"
        ),
    ]


def test_assessment_timeline_with_every_step():
    timeline = assessment_timeline(
        D(2025, 9, 1),
        advice_requested=D(2025, 10, 20),
        draft_served=D(2025, 12, 15),
        school_consulted=D(2025, 12, 16),
    )
    assert [(step.key, step.due, step.window) for step in timeline] == [
        ("decision", D(2025, 10, 13), False),
        ("advice", D(2025, 12, 1), False),
        ("no_plan_notice", D(2025, 12, 22), False),
        ("parent_comments", D(2025, 12, 29), True),
        ("school_consultation", D(2025, 12, 31), False),
        ("final_plan", D(2026, 1, 19), False),
    ]
    assert [step.source for step in timeline] == [
        "SEND Regulations 2014, reg 5(1)",
        "SEND Regulations 2014, reg 8(1)",
        "SEND Regulations 2014, reg 10(1)",
        "SEND Regulations 2014, reg 13(1)(a)",
        "SEND Code of Practice 2015, paragraph 9.83",
        "SEND Regulations 2014, reg 13(2)",
    ]


def test_assessment_timeline_is_in_date_order_when_a_step_runs_late():
    # Advice asked for late, so it falls due after the 16-week point.
    timeline = assessment_timeline(D(2025, 9, 1), advice_requested=D(2025, 11, 17))
    assert [(step.key, step.due) for step in timeline] == [
        ("decision", D(2025, 10, 13)),
        ("no_plan_notice", D(2025, 12, 22)),
        ("advice", D(2025, 12, 29)),
        ("final_plan", D(2026, 1, 19)),
    ]


def test_annual_review_timeline():
    # Plan made 10 March 2025; meeting 10 November 2025; proposals sent 1 December, served 3 December.
    timeline = annual_review_timeline(
        D(2025, 11, 10),
        start=D(2025, 3, 10),
        amendments_sent=D(2025, 12, 1),
        amendments_served=D(2025, 12, 3),
    )
    assert [(step.key, step.due, step.source) for step in timeline] == [
        ("review_notice", D(2025, 10, 26), "SEND Regulations 2014, reg 20(3)"),
        ("review_advice", D(2025, 10, 26), "SEND Regulations 2014, reg 20(4)"),
        ("review_report", D(2025, 11, 24), "SEND Regulations 2014, reg 20(7)"),
        ("la_decision", D(2025, 12, 8), "SEND Regulations 2014, reg 20(10)"),
        ("amendment_comments", D(2025, 12, 17), "SEND Regulations 2014, reg 22(2)(c)"),
        (
            "amended_plan",
            D(2026, 1, 26),
            "SEND Regulations 2014, reg 22(3); R (L) v Devon CC [2022] EWHC 493 (Admin)",
        ),
        (
            "review_meeting",
            D(2026, 2, 9),
            "Children and Families Act 2014, s44(1); SEND Regulations 2014, reg 20(10)",
        ),
        ("review_concluded", D(2026, 3, 9), "Children and Families Act 2014, s44(1)"),
    ]


REG = "SEND Regulations 2014, reg"
S44 = "Children and Families Act 2014, s44(1)"
S44_MEETING = f"{S44}; {REG} 20(10)"
PT_MEETING = "SEND Regulations 2014, regs 18(1), 20(10) and 22(3)"


@pytest.mark.parametrize(
    ("dates", "today", "expected"),
    [
        pytest.param(
            PlanDates(requested_on=D(2025, 9, 1)),
            D(2025, 10, 6),
            [
                ("decision", D(2025, 10, 13), f"{REG} 5(1)", "due_soon", None),
                ("no_plan_notice", D(2025, 12, 22), f"{REG} 10(1)", "on_track", None),
                ("final_plan", D(2026, 1, 19), f"{REG} 13(2)", "on_track", None),
            ],
            id="reg_5_1_just_requested",
        ),
        pytest.param(
            PlanDates(requested_on=D(2025, 9, 1), decided_on=D(2025, 10, 20)),
            D(2025, 10, 21),
            [
                ("decision", D(2025, 10, 13), f"{REG} 5(1)", "done_late", D(2025, 10, 20)),
                ("no_plan_notice", D(2025, 12, 22), f"{REG} 10(1)", "on_track", None),
                ("final_plan", D(2026, 1, 19), f"{REG} 13(2)", "on_track", None),
            ],
            id="reg_5_1_decided_a_week_late",
        ),
        pytest.param(
            # Posted on Monday 1 December, class not recorded: served Friday 5 December (fourth working
            # day), so the family may comment until 19 December. Advice asked for means the LA decided to
            # assess; a draft sent means the advice is in and a plan is coming.
            PlanDates(
                requested_on=D(2025, 9, 1), advice_requested_on=D(2025, 10, 20), draft_sent_on=D(2025, 12, 1)
            ),
            D(2025, 12, 2),
            [
                ("decision", D(2025, 10, 13), f"{REG} 5(1)", "done", None),
                ("advice", D(2025, 12, 1), f"{REG} 8(1)", "done", None),
                ("parent_comments", D(2025, 12, 19), f"{REG} 13(1)(a)", "open", None),
                ("final_plan", D(2026, 1, 19), f"{REG} 13(2)", "on_track", None),
            ],
            id="reg_13_1_a_draft_posted_window_from_deemed_service",
        ),
        pytest.param(
            PlanDates(
                requested_on=D(2025, 9, 1),
                draft_sent_on=D(2025, 12, 1),
                draft_sent_by=FIRST_CLASS,
                draft_served_on=D(2025, 12, 2),
            ),
            D(2025, 12, 17),
            [
                ("decision", D(2025, 10, 13), f"{REG} 5(1)", "done", None),
                ("parent_comments", D(2025, 12, 16), f"{REG} 13(1)(a)", "closed", None),
                ("final_plan", D(2026, 1, 19), f"{REG} 13(2)", "on_track", None),
            ],
            id="reg_13_1_a_served_date_recorded_window_closed",
        ),
        pytest.param(
            PlanDates(requested_on=D(2024, 1, 8), final_issued_on=D(2024, 5, 20)),
            D(2024, 6, 1),
            [
                ("final_plan", D(2024, 5, 27), f"{REG} 13(2)", "done", D(2024, 5, 20)),
                ("review_meeting", D(2025, 4, 21), S44_MEETING, "on_track", None),
                ("review_concluded", D(2025, 5, 19), S44, "on_track", None),
            ],
            id="cfa_s44_first_review_within_12_months_of_the_plan",
        ),
        pytest.param(
            # A meeting recorded by hand on 28 February 2025 with no decision yet: the review is under way
            # and must still conclude within the 12 months starting with 20 May 2024.
            PlanDates(
                requested_on=D(2024, 1, 8),
                final_issued_on=D(2024, 5, 20),
                last_review_meeting_on=D(2025, 2, 28),
                phase_transfer_on=D(2026, 9, 1),
            ),
            D(2025, 3, 1),
            [
                ("final_plan", D(2024, 5, 27), f"{REG} 13(2)", "done", D(2024, 5, 20)),
                ("review_report", D(2025, 3, 14), f"{REG} 20(7)", "due_soon", None),
                ("la_decision", D(2025, 3, 28), f"{REG} 20(10)", "on_track", None),
                ("review_concluded", D(2025, 5, 19), S44, "on_track", None),
                ("phase_transfer_meeting", D(2025, 11, 22), PT_MEETING, "on_track", None),
                ("phase_transfer", D(2026, 2, 14), f"{REG} 18(1)", "on_track", None),
            ],
            id="reg_20_7_after_a_meeting_moving_to_secondary",
        ),
        pytest.param(
            PlanDates(
                requested_on=D(2024, 1, 8),
                final_issued_on=D(2024, 5, 20),
                last_review_meeting_on=D(2025, 2, 28),
                last_review_concluded_on=D(2025, 3, 20),
            ),
            D(2025, 4, 1),
            [
                ("final_plan", D(2024, 5, 27), f"{REG} 13(2)", "done", D(2024, 5, 20)),
                ("review_meeting", D(2026, 2, 19), S44_MEETING, "on_track", None),
                ("review_concluded", D(2026, 3, 19), S44, "on_track", None),
            ],
            id="cfa_s44_next_review_from_the_last_conclusion",
        ),
        pytest.param(
            PlanDates(
                requested_on=D(2024, 1, 8),
                final_issued_on=D(2024, 6, 3),
                phase_transfer_on=D(2026, 9, 1),
                phase_transfer_to_post16=True,
            ),
            D(2026, 4, 1),
            [
                ("final_plan", D(2024, 5, 27), f"{REG} 13(2)", "done_late", D(2024, 6, 3)),
                ("review_meeting", D(2025, 5, 5), S44_MEETING, "overdue", None),
                ("review_concluded", D(2025, 6, 2), S44, "overdue", None),
                ("phase_transfer_meeting", D(2026, 1, 5), PT_MEETING, "overdue", None),
                ("phase_transfer", D(2026, 3, 30), f"{REG} 18(1)", "overdue", None),
            ],
            id="reg_18_1_a_issued_late_no_review_moving_to_post16",
        ),
    ],
)
def test_plan_timeline(dates, today, expected):
    timeline = plan_timeline(dates, today=today)
    assert [
        (s.deadline.key, s.deadline.due, s.deadline.source, s.status, s.done_on) for s in timeline
    ] == expected


def test_the_first_annual_review_and_later_ones_are_named_apart():
    issued = PlanDates(requested_on=D(2024, 1, 8), final_issued_on=D(2024, 5, 20))
    reviewed = PlanDates(
        requested_on=D(2024, 1, 8), final_issued_on=D(2024, 5, 20), last_review_concluded_on=D(2025, 5, 1)
    )
    assert plan_timeline(issued, today=D(2024, 6, 1))[-1].deadline.label == "Conclude the first annual review"
    assert plan_timeline(reviewed, today=D(2025, 5, 2))[-1].deadline.label == "Conclude the annual review"


def test_the_deemed_service_is_explained_on_the_window():
    dates = PlanDates(requested_on=D(2025, 9, 1), draft_sent_on=D(2025, 12, 18), draft_sent_by=FIRST_CLASS)
    window = next(
        s for s in plan_timeline(dates, today=D(2025, 12, 19)) if s.deadline.key == "parent_comments"
    )
    assert window.deadline.due == D(2026, 1, 5)  # served Monday 22 December; day 15 is 5 January
    assert "posted first class" in window.deadline.note and "22 December 2025" in window.deadline.note


# A plan made on 10 March 2025 (requested 1 November 2024, so 20 weeks end on 21 March 2025).
MADE = PlanDates(requested_on=D(2024, 11, 1), final_issued_on=D(2025, 3, 10))
UNDER_WAY = ReviewDates(
    cycle_started_on=D(2025, 3, 10),
    meeting_on=D(2026, 2, 2),
    held=True,
    invitations_sent_on=D(2026, 1, 16),
    advice_circulated_on=D(2026, 1, 19),
    report_sent_on=D(2026, 2, 13),
)


def test_reg_20_a_review_under_way_shows_each_step_and_what_is_done():
    timeline = plan_timeline(MADE, today=D(2026, 2, 20), review=UNDER_WAY)
    assert [(s.deadline.key, s.deadline.due, s.status, s.done_on) for s in timeline] == [
        ("final_plan", D(2025, 3, 21), "done", D(2025, 3, 10)),
        ("review_notice", D(2026, 1, 18), "done", D(2026, 1, 16)),
        ("review_advice", D(2026, 1, 18), "done_late", D(2026, 1, 19)),
        ("review_meeting", D(2026, 2, 9), "done", D(2026, 2, 2)),
        ("review_report", D(2026, 2, 16), "done", D(2026, 2, 13)),
        ("la_decision", D(2026, 3, 2), "due_soon", None),
        ("review_concluded", D(2026, 3, 9), "on_track", None),
    ]


def test_reg_22_after_a_decision_to_amend_the_window_and_the_amended_plan():
    # Decision and proposals emailed on Friday 27 February 2026: served Monday 2 March, so comments until
    # 16 March; the amended plan is due 8 weeks from 27 February (24 April), within 12 weeks of the
    # meeting (27 April).
    decided = ReviewDates(
        **{
            **UNDER_WAY.__dict__,
            "decision": "amend",
            "decision_sent_on": D(2026, 2, 27),
            "decision_sent_by": EMAIL,
        }
    )
    timeline = {s.deadline.key: s for s in plan_timeline(MADE, today=D(2026, 3, 10), review=decided)}
    assert (timeline["la_decision"].status, timeline["la_decision"].done_on) == ("done", D(2026, 2, 27))
    assert timeline["review_concluded"].status == "done"
    assert (timeline["amendment_comments"].deadline.due, timeline["amendment_comments"].status) == (
        D(2026, 3, 16),
        "open",
    )
    assert "emailed" in timeline["amendment_comments"].deadline.note
    assert (timeline["amended_plan"].deadline.due, timeline["amended_plan"].status) == (
        D(2026, 4, 24),
        "on_track",
    )


def test_devon_2022_amendments_not_yet_sent_are_still_due_12_weeks_from_the_meeting():
    deciding = ReviewDates(**{**UNDER_WAY.__dict__, "decision": "amend"})
    timeline = {s.deadline.key: s for s in plan_timeline(MADE, today=D(2026, 3, 10), review=deciding)}
    assert timeline["amended_plan"].deadline.due == D(2026, 4, 27)
    assert timeline["la_decision"].status == "overdue"
    assert "amendment_comments" not in timeline


def test_cfa_s44_once_a_review_is_finished_the_next_runs_from_its_conclusion():
    finished = ReviewDates(
        **{
            **UNDER_WAY.__dict__,
            "decision": "amend",
            "decision_sent_on": D(2026, 2, 27),
            "amended_plan_issued_on": D(2026, 4, 20),
        }
    )
    dates = PlanDates(
        requested_on=D(2024, 11, 1),
        final_issued_on=D(2025, 3, 10),
        last_review_meeting_on=D(2026, 2, 2),
        last_review_concluded_on=D(2026, 2, 27),
    )
    timeline = plan_timeline(dates, today=D(2026, 4, 21), review=finished)
    assert [(s.deadline.key, s.deadline.due, s.status) for s in timeline] == [
        ("final_plan", D(2025, 3, 21), "done"),
        ("review_meeting", D(2027, 1, 29), "on_track"),
        ("review_concluded", D(2027, 2, 26), "on_track"),
    ]


def test_reg_18_a_phase_transfer_review_settles_the_move_and_nothing_stays_overdue():
    # Moving to secondary school on 1 September 2027: amend by 14 February 2027, meet by 22 November 2026.
    review = ReviewDates(
        cycle_started_on=D(2026, 2, 27),
        meeting_on=D(2026, 11, 9),
        held=True,
        decision="amend",
        decision_sent_on=D(2026, 12, 4),
        amended_plan_issued_on=D(2027, 1, 29),
    )
    dates = PlanDates(
        requested_on=D(2024, 11, 1),
        final_issued_on=D(2025, 3, 10),
        last_review_meeting_on=D(2026, 11, 9),
        last_review_concluded_on=D(2026, 12, 4),
        phase_transfer_on=D(2027, 9, 1),
    )
    timeline = plan_timeline(dates, today=D(2027, 3, 1), review=review)
    assert [(s.deadline.key, s.deadline.due, s.status, s.done_on) for s in timeline] == [
        ("final_plan", D(2025, 3, 21), "done", D(2025, 3, 10)),
        ("phase_transfer_meeting", D(2026, 11, 22), "done", D(2026, 11, 9)),
        ("phase_transfer", D(2027, 2, 14), "done", D(2027, 1, 29)),
        ("review_meeting", D(2027, 11, 5), "on_track", None),
        ("review_concluded", D(2027, 12, 3), "on_track", None),
    ]


def test_reg_18_a_review_more_than_12_months_before_the_move_is_not_the_phase_transfer_review():
    review = ReviewDates(
        cycle_started_on=D(2025, 3, 10),
        meeting_on=D(2026, 2, 2),
        held=True,
        decision="maintain",
        decision_sent_on=D(2026, 2, 27),
    )
    dates = PlanDates(
        requested_on=D(2024, 11, 1),
        final_issued_on=D(2025, 3, 10),
        last_review_concluded_on=D(2026, 2, 27),
        phase_transfer_on=D(2027, 9, 1),
    )
    timeline = {s.deadline.key: s for s in plan_timeline(dates, today=D(2026, 3, 1), review=review)}
    assert timeline["phase_transfer"].done_on is None
    assert timeline["phase_transfer_meeting"].done_on is None


# --- what is missing before a plan is made final -----------------------------------------------------------

R5 = "No date is recorded for the LA's decision to assess (SEND Regulations 2014, reg 5(1))."
NOT_SERVED = (
    "The draft plan has not been sent to the family, so it has not been served: they must have at least 15 "
    "days to comment (SEND Regulations 2014, reg 13(1)(a))."
)
I_BLANK = (
    "Section I is blank: the final plan must name the school or other institution, or its type (SEND "
    "Regulations 2014, reg 12(1)(i))."
)


@pytest.mark.parametrize(
    ("dates", "today", "placement", "expected"),
    [
        pytest.param(
            PlanDates(requested_on=D(2025, 9, 1)), D(2025, 12, 1), "", [R5, NOT_SERVED, I_BLANK],
            id="reg_5_1_reg_13_1_a_reg_12_1_i_nothing_recorded",
        ),
        pytest.param(
            PlanDates(
                requested_on=D(2025, 9, 1), decided_on=D(2025, 10, 6), draft_sent_on=D(2025, 12, 1),
                draft_sent_by=FIRST_CLASS, draft_served_on=D(2025, 12, 2),
            ),
            D(2025, 12, 16),
            "Northmere Primary School (mainstream)",
            [
                "The family's 15 days to comment on the draft plan end on 16 December 2025: it can be made "
                "final from 17 December 2025 (SEND Regulations 2014, reg 13(1)(a)).",
            ],
            id="reg_13_1_a_window_open_on_its_last_day",
        ),
        pytest.param(
            PlanDates(
                requested_on=D(2025, 9, 1), decided_on=D(2025, 10, 6), draft_sent_on=D(2025, 12, 1),
                draft_served_on=D(2025, 12, 2),
            ),
            D(2025, 12, 17),
            "Northmere Primary School (mainstream)",
            [],
            id="reg_13_1_a_window_closed_nothing_missing",
        ),
    ],
)  # fmt: skip
def test_missing_before_the_final_plan(dates, today, placement, expected):
    assert missing_before_final(dates, today=today, placement=placement) == expected


def test_missing_before_the_final_amended_plan():
    made = PlanDates(requested_on=D(2024, 11, 1), final_issued_on=D(2025, 3, 10))
    assert missing_before_final(made, today=D(2026, 3, 1), placement="Hill Top", amending=True) == [
        "No date is recorded for sending the proposed amendments to the family (SEND Regulations 2014, "
        "reg 22(2))."
    ]
    emailed = ReviewDates(
        cycle_started_on=D(2025, 3, 10),
        meeting_on=D(2026, 2, 2),
        held=True,
        decision="amend",
        decision_sent_on=D(2026, 2, 27),
        decision_sent_by=EMAIL,
    )
    [message] = missing_before_final(
        made, today=D(2026, 3, 16), placement="Hill Top", amending=True, review=emailed
    )
    assert message.startswith(
        "The family's 15 days to comment on the proposed amendments end on 16 March 2026: it can be made final "
        "from 17 March 2026 (SEND Regulations 2014, reg 22(2)(c)). Served date not recorded: sent on 27 "
        "February 2026, emailed"
    )
    assert (
        missing_before_final(made, today=D(2026, 3, 17), placement="Hill Top", amending=True, review=emailed)
        == []
    )
