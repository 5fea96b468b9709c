from datetime import date

import pytest

from ehcp.deadlines import (
    Deadline,
    PlanDates,
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
    next_annual_review_due,
    no_plan_notice_due,
    parent_comments_due,
    phase_transfer_deadline,
    plan_timeline,
    review_advice_circulated_by,
    review_notice_due,
    review_report_due,
    school_consultation_reply_due,
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


@pytest.mark.parametrize(
    ("function", "start", "expected"),
    [
        # 6 weeks from the request to decide whether to assess
        (decision_due, D(2025, 9, 1), D(2025, 10, 13)),
        (decision_due, D(2025, 12, 19), D(2026, 1, 30)),
        (decision_due, D(2024, 1, 18), D(2024, 2, 29)),
        (decision_due, D(2025, 1, 18), D(2025, 3, 1)),
        # 6 weeks for advice
        (advice_due, D(2025, 10, 20), D(2025, 12, 1)),
        (advice_due, D(2025, 11, 20), D(2026, 1, 1)),
        # 16 weeks to say no plan will be issued
        (no_plan_notice_due, D(2025, 9, 1), D(2025, 12, 22)),
        (no_plan_notice_due, D(2023, 11, 1), D(2024, 2, 21)),
        # 20 weeks to the final plan
        (final_plan_due, D(2025, 9, 1), D(2026, 1, 19)),
        (final_plan_due, D(2023, 11, 1), D(2024, 3, 20)),
        (final_plan_due, D(2024, 11, 1), D(2025, 3, 21)),
        # 15 days beginning with the day the draft is served: the last day is day 15
        (parent_comments_due, D(2025, 3, 1), D(2025, 3, 15)),
        (parent_comments_due, D(2025, 2, 20), D(2025, 3, 6)),
        (parent_comments_due, D(2024, 2, 20), D(2024, 3, 5)),
        (parent_comments_due, D(2025, 12, 25), D(2026, 1, 8)),
        # 15 days after a school is consulted
        (school_consultation_reply_due, D(2025, 3, 1), D(2025, 3, 16)),
        (school_consultation_reply_due, D(2025, 12, 20), D(2026, 1, 4)),
    ],
)
def test_assessment_deadlines(function, start, expected):
    assert function(start) == expected


@pytest.mark.parametrize(
    ("function", "start", "expected"),
    [
        # The anniversary; 29 February falls back to 28 February
        (next_annual_review_due, D(2025, 3, 10), D(2026, 3, 10)),
        (next_annual_review_due, D(2024, 2, 29), D(2025, 2, 28)),
        (next_annual_review_due, D(2023, 2, 28), D(2024, 2, 28)),
        (next_annual_review_due, D(2027, 2, 28), D(2028, 2, 28)),
        (next_annual_review_due, D(2025, 12, 31), D(2026, 12, 31)),
        # 2 weeks' notice and advice 2 weeks before the meeting
        (review_notice_due, D(2025, 3, 10), D(2025, 2, 24)),
        (review_notice_due, D(2024, 3, 10), D(2024, 2, 25)),
        (review_notice_due, D(2026, 1, 8), D(2025, 12, 25)),
        (review_advice_circulated_by, D(2025, 3, 10), D(2025, 2, 24)),
        (review_advice_circulated_by, D(2024, 3, 10), D(2024, 2, 25)),
        # Report within 2 weeks, LA decision within 4 weeks of the meeting
        (review_report_due, D(2025, 12, 22), D(2026, 1, 5)),
        (review_report_due, D(2024, 2, 20), D(2024, 3, 5)),
        (la_review_decision_due, D(2025, 12, 10), D(2026, 1, 7)),
        (la_review_decision_due, D(2025, 2, 1), D(2025, 3, 1)),
        (la_review_decision_due, D(2024, 2, 1), D(2024, 2, 29)),
        # Amendments: 15 days to comment, final amended plan within 8 weeks
        (amendment_comments_due, D(2025, 11, 10), D(2025, 11, 24)),
        (amendment_comments_due, D(2025, 12, 20), D(2026, 1, 3)),
        (amended_plan_due, D(2025, 11, 10), D(2026, 1, 5)),
        (amended_plan_due, D(2024, 1, 5), D(2024, 3, 1)),
    ],
)
def test_annual_review_deadlines(function, start, expected):
    assert function(start) == expected


@pytest.mark.parametrize(
    ("transfer_starts", "to_post16", "expected"),
    [
        (D(2026, 9, 1), False, D(2026, 2, 15)),
        (D(2026, 9, 1), True, D(2026, 3, 31)),
        (D(2027, 9, 3), False, D(2027, 2, 15)),
        (D(2028, 9, 4), True, D(2028, 3, 31)),
        (D(2026, 12, 31), False, D(2026, 2, 15)),
    ],
)
def test_phase_transfer_deadline(transfer_starts, to_post16, expected):
    assert phase_transfer_deadline(transfer_starts, to_post16=to_post16) == expected


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
        draft_sent=D(2025, 12, 15),
        school_consulted=D(2025, 12, 16),
    )
    assert [(step.key, step.due) for step in timeline] == [
        ("decision", D(2025, 10, 13)),
        ("advice", D(2025, 12, 1)),
        ("no_plan_notice", D(2025, 12, 22)),
        ("parent_comments", D(2025, 12, 29)),
        ("school_consultation", D(2025, 12, 31)),
        ("final_plan", D(2026, 1, 19)),
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
    timeline = annual_review_timeline(D(2025, 11, 10), proposed_amendments_sent=D(2025, 12, 1))
    assert [(step.key, step.due, step.source) for step in timeline] == [
        ("review_notice", D(2025, 10, 27), "SEND Regulations 2014, reg 20(3)"),
        ("review_advice", D(2025, 10, 27), "SEND Regulations 2014, reg 20(4)"),
        ("review_report", D(2025, 11, 24), "SEND Regulations 2014, reg 20(7)"),
        ("la_decision", D(2025, 12, 8), "SEND Regulations 2014, reg 20(10)"),
        ("amendment_comments", D(2025, 12, 15), "SEND Regulations 2014, reg 22(2)(c)"),
        ("amended_plan", D(2026, 1, 26), "SEND Regulations 2014, reg 22(3)"),
        ("next_review", D(2026, 11, 10), "Children and Families Act 2014, s44(1)"),
    ]


def test_annual_review_timeline_without_amendments_and_out_of_step():
    assert [(step.key, step.due) for step in annual_review_timeline(D(2024, 2, 29))] == [
        ("review_notice", D(2024, 2, 15)),
        ("review_advice", D(2024, 2, 15)),
        ("review_report", D(2024, 3, 14)),
        ("la_decision", D(2024, 3, 28)),
        ("next_review", D(2025, 2, 28)),
    ]
    late = annual_review_timeline(D(2025, 11, 10), proposed_amendments_sent=D(2026, 10, 1))
    assert [step.key for step in late][-3:] == ["amendment_comments", "next_review", "amended_plan"]
    assert late[-1].due == D(2026, 11, 26)


@pytest.mark.parametrize(
    ("request_date", "issued", "expected"),
    [
        # SEND Regulations 2014, reg 13(2): "within 20 weeks" of the request; 6 January + 140 days = 26 May.
        (D(2025, 1, 6), D(2025, 5, 26), True),
        (D(2025, 1, 6), D(2025, 5, 27), False),
        # 8 January 2024 + 140 days, across a leap February = 27 May 2024.
        (D(2024, 1, 8), D(2024, 5, 27), True),
        (D(2024, 1, 8), D(2024, 5, 28), False),
    ],
)
def test_issued_within_the_20_week_time_limit(request_date, issued, expected):
    assert issued_within_time_limit(request_date, issued) is expected


REG = "SEND Regulations 2014, reg"
S44 = "Children and Families Act 2014, s44(1)"


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
            id="just requested",
        ),
        pytest.param(
            PlanDates(requested_on=D(2025, 9, 1), decided_on=D(2025, 10, 20)),
            D(2025, 10, 21),
            [
                ("decision", D(2025, 10, 13), f"{REG} 5(1)", "done_late", D(2025, 10, 20)),
                ("no_plan_notice", D(2025, 12, 22), f"{REG} 10(1)", "on_track", None),
                ("final_plan", D(2026, 1, 19), f"{REG} 13(2)", "on_track", None),
            ],
            id="decided a week late",
        ),
        pytest.param(
            # Advice asked for means the LA decided to assess; a draft sent means the advice is in and a
            # plan is coming, so the "no plan" notice no longer applies.
            PlanDates(
                requested_on=D(2025, 9, 1), advice_requested_on=D(2025, 10, 20), draft_sent_on=D(2025, 12, 1)
            ),
            D(2025, 12, 2),
            [
                ("decision", D(2025, 10, 13), f"{REG} 5(1)", "done", None),
                ("advice", D(2025, 12, 1), f"{REG} 8(1)", "done", None),
                ("parent_comments", D(2025, 12, 15), f"{REG} 13(1)(a)", "due_soon", None),
                ("final_plan", D(2026, 1, 19), f"{REG} 13(2)", "on_track", None),
            ],
            id="draft sent",
        ),
        pytest.param(
            PlanDates(requested_on=D(2024, 1, 8), final_issued_on=D(2024, 5, 20)),
            D(2024, 6, 1),
            [
                ("final_plan", D(2024, 5, 27), f"{REG} 13(2)", "done", D(2024, 5, 20)),
                ("next_review", D(2025, 5, 20), S44, "on_track", None),
            ],
            id="final, first review a year after issue",
        ),
        pytest.param(
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
                ("phase_transfer", D(2026, 2, 15), f"{REG} 18(1)", "on_track", None),
                ("next_review", D(2026, 2, 28), S44, "on_track", None),
            ],
            id="after a review, moving to secondary",
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
                ("next_review", D(2025, 6, 3), S44, "overdue", None),
                ("phase_transfer", D(2026, 3, 31), f"{REG} 18(1)", "overdue", None),
            ],
            id="issued late, no review held, moving to post-16",
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
        requested_on=D(2024, 1, 8), final_issued_on=D(2024, 5, 20), last_review_meeting_on=D(2025, 5, 1)
    )
    assert plan_timeline(issued, today=D(2024, 6, 1))[-1].deadline.label == "Hold the first annual review"
    assert plan_timeline(reviewed, today=D(2025, 5, 2))[-1].deadline.label == "Hold the next annual review"
