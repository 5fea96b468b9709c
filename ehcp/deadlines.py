"""Statutory deadlines for EHC needs assessments, annual reviews and phase transfers.

Sources: Children and Families Act 2014 (CFA), the SEND Regulations 2014 (Regs, SI 2014/1530) and the SEND
Code of Practice 2015 (CoP). All periods are calendar days, weeks or months: the law has no working-day
rule here. The exceptions to the assessment time limits (a school closed for 4 weeks or more, a family's
exceptional circumstances, a missed appointment: Regs 5(4), 8(2), 10(4) and 13(3)) are for a caseworker to
record; these functions do not apply them.

How periods are counted, so the same words give the same answer everywhere:

- "within N weeks of X": the last day is X + 7N days (request on Monday 1 September 2025, decision due by
  Monday 13 October 2025 for 6 weeks).
- "at least N weeks before X": the last day to act is X - 7N days.
- "at least 15 days, beginning with the day on which [the document] was served" (Regs 13(1)(a), 22(2)(c)):
  the day of service is day 1, so the last day of the window is service + 14 days and the local authority
  may finalise from service + 15 days. Pass the date of service (for post, the day it arrives), not the
  date on the letter.
- Months clamp to the end of the month: 31 January + 1 month is 28 February (29 in a leap year).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

SOON_DAYS = 14

# The assessment's time limits in weeks from the request, named once for the arithmetic below, the LA's
# timeliness figure (in SQL) and the words on pages.
DECISION_WEEKS = 6  # Regs 4(1) and 5(1)
NO_PLAN_NOTICE_WEEKS = 16  # Regs 10(1)
FINAL_PLAN_WEEKS = 20  # Regs 13(2); the national timeliness measure
FINAL_PLAN_PERIOD = timedelta(weeks=FINAL_PLAN_WEEKS)


@dataclass(frozen=True)
class Deadline:
    """One statutory step: a stable key, a label for people, the last day, and where the rule comes from."""

    key: str
    label: str
    due: date
    source: str


def add_days(d: date, n: int) -> date:
    """Return the date n calendar days after d (before it if n is negative)."""
    return d + timedelta(days=n)


def add_weeks(d: date, n: int) -> date:
    """Return the date n weeks after d (before it if n is negative)."""
    return d + timedelta(weeks=n)


def add_months(d: date, n: int) -> date:
    """Return the same day n months after d, clamped to the last day of a shorter month."""
    month_index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


# --- EHC needs assessment -------------------------------------------------------------------------------


def decision_due(request_date: date) -> date:
    """Return the last day to tell the parent or young person whether the LA will assess (6 weeks)."""
    # Regs 4(1) and 5(1): "within 6 weeks of receiving a request for an EHC needs assessment".
    return add_weeks(request_date, DECISION_WEEKS)


def advice_due(advice_requested: date) -> date:
    """Return the last day for a body asked for advice to give it (6 weeks)."""
    # Regs 8(1): whoever is asked for advice must give it within 6 weeks of the request (exceptions in 8(2)).
    return add_weeks(advice_requested, 6)


def no_plan_notice_due(request_date: date) -> date:
    """Return the last day to tell the parent or young person that no EHC plan will be issued (16 weeks)."""
    # Regs 10(1): "within 16 weeks of the local authority receiving a request for an EHC needs assessment".
    return add_weeks(request_date, NO_PLAN_NOTICE_WEEKS)


def final_plan_due(request_date: date) -> date:
    """Return the last day to issue the final EHC plan (20 weeks from the request)."""
    # Regs 13(2): "within 20 weeks of the local authority receiving a request"; exceptions in Regs 13(3).
    return add_weeks(request_date, FINAL_PLAN_WEEKS)


def issued_within_time_limit(request_date: date, final_issued: date) -> bool:
    """Return True if the final plan was issued within 20 weeks of the request (the timeliness measure)."""
    # Counted without the exceptions in Regs 13(3), as the national figure is first reported. The LA's
    # figure applies the same rule in SQL: final_issued_on <= requested_on + FINAL_PLAN_PERIOD.
    return final_issued <= final_plan_due(request_date)


def parent_comments_due(draft_sent: date) -> date:
    """Return the last day of the parent's or young person's window to comment on a draft plan."""
    # Regs 13(1)(a) and CoP 9.77: "at least 15 days, beginning with the day on which the draft plan was
    # served". The day of service is day 1, so the window ends 14 days later; the LA may finalise the
    # plan from the day after (draft_sent + 15 days), never earlier.
    return add_days(draft_sent, 14)


def school_consultation_reply_due(consulted_on: date) -> date:
    """Return the date by which a school consulted about being named should reply (15 days)."""
    # CoP 9.83 (guidance, not a regulation): "should respond within 15 days". It has no "beginning with"
    # wording, so the day of consultation is not counted: consulted_on + 15 days.
    return add_days(consulted_on, 15)


# --- Annual review ---------------------------------------------------------------------------------------


def next_annual_review_due(last_review_or_issue: date) -> date:
    """Return the date by which the next review must be held: the same date a year on."""
    # CFA s44(1): a plan is reviewed within 12 months of being made, then within 12 months of each review.
    # We give the anniversary itself, the date families and LAs quote; 29 February falls back to
    # 28 February in a year that has no 29th. Pass the date of the review meeting (or the date the plan
    # was first issued): that is the date LAs count from in practice.
    return add_months(last_review_or_issue, 12)


def review_notice_due(meeting: date) -> date:
    """Return the last day to send invitations to a review meeting (2 weeks' notice)."""
    # Regs 20(3) and 21(3): "At least two weeks' notice of the date of the meeting must be given".
    return add_weeks(meeting, -2)


def review_advice_circulated_by(meeting: date) -> date:
    """Return the last day to circulate advice and information before a review meeting (2 weeks)."""
    # Regs 20(4) and 21(4): circulated "at least two weeks in advance of the review meeting".
    return add_weeks(meeting, -2)


def review_report_due(meeting: date) -> date:
    """Return the last day to send the review report to everyone invited (2 weeks after the meeting)."""
    # Regs 20(7) and 21(7): the report is prepared and sent within two weeks of the review meeting.
    return add_weeks(meeting, 2)


def la_review_decision_due(meeting: date) -> date:
    """Return the last day for the LA to decide to keep, amend or cease the plan (4 weeks)."""
    # Regs 20(10) (and reg 21 where the child attends no school): decide and notify within four weeks of
    # the review meeting.
    return add_weeks(meeting, 4)


def amendment_comments_due(sent: date) -> date:
    """Return the last day of the window to comment on proposed amendments to a plan."""
    # Regs 22(2)(c): "at least 15 days, beginning with the day on which" the notice was served: day 1 is
    # the day of service, so the window ends 14 days later.
    return add_days(sent, 14)


def amended_plan_due(proposed_amendments_sent: date) -> date:
    """Return the last day to issue the final amended plan (8 weeks from the proposed amendments)."""
    # Regs 22(3): "within 8 weeks of the local authority sending a copy of the EHC plan" with the notice.
    return add_weeks(proposed_amendments_sent, 8)


# --- Phase transfer --------------------------------------------------------------------------------------


def phase_transfer_deadline(transfer_year_start: date, *, to_post16: bool) -> date:
    """Return the statutory date for the amended plan before a move between phases of education."""
    # Regs 18(1): the plan must be reviewed and amended "before 15 February in the calendar year of the
    # child's transfer", or "before 31 March" for secondary school to a post-16 institution. Pass the date
    # the child starts the new phase (usually 1 September); the deadline is in that same calendar year.
    # We return the named date that LAs and families use; note the regulation says "before" it.
    if to_post16:
        return date(transfer_year_start.year, 3, 31)
    return date(transfer_year_start.year, 2, 15)


# --- Status and timelines --------------------------------------------------------------------------------


def deadline_status(
    due: date, *, today: date, done_on: date | None = None, soon_days: int = SOON_DAYS
) -> str:
    """Return "done", "done_late", "overdue", "due_soon" or "on_track" for a deadline."""
    if done_on is not None:
        return "done" if done_on <= due else "done_late"
    if today > due:
        return "overdue"
    if (due - today).days <= soon_days:
        return "due_soon"
    return "on_track"


def _in_order(deadlines: list[Deadline]) -> list[Deadline]:
    # Sorted by date; Python's sort is stable, so steps due on the same day keep their process order.
    return sorted(deadlines, key=lambda deadline: deadline.due)


REGS = "SEND Regulations 2014"
CFA = "Children and Families Act 2014"

# Each step's label for people and where its time limit comes from, said once for every timeline.
STEPS = {
    "decision": ("Decide whether to assess", f"{REGS}, reg 5(1)"),
    "advice": ("Advice given", f"{REGS}, reg 8(1)"),
    "no_plan_notice": ("Tell the family if no plan will be issued", f"{REGS}, reg 10(1)"),
    "parent_comments": ("Family's comments on the draft plan", f"{REGS}, reg 13(1)(a)"),
    "school_consultation": (
        "School's reply to the consultation",
        "SEND Code of Practice 2015, paragraph 9.83",
    ),
    "final_plan": ("Issue the final EHC plan", f"{REGS}, reg 13(2)"),
    "review_notice": ("Invite people to the review meeting", f"{REGS}, reg 20(3)"),
    "review_advice": ("Circulate advice and information", f"{REGS}, reg 20(4)"),
    "review_report": ("Send the review report", f"{REGS}, reg 20(7)"),
    "la_decision": ("Decide to keep, amend or cease the plan", f"{REGS}, reg 20(10)"),
    "amendment_comments": ("Family's comments on the proposed amendments", f"{REGS}, reg 22(2)(c)"),
    "amended_plan": ("Issue the final amended plan", f"{REGS}, reg 22(3)"),
    "first_review": ("Hold the first annual review", f"{CFA}, s44(1)"),
    "next_review": ("Hold the next annual review", f"{CFA}, s44(1)"),
    "phase_transfer": ("Amend the plan before the move to the next phase", f"{REGS}, reg 18(1)"),
}


def _step(key: str, due: date) -> Deadline:
    label, source = STEPS[key]
    # The first annual review is the plan's next review too, so pages find either under one key.
    return Deadline("next_review" if key == "first_review" else key, label, due, source)


def assessment_timeline(
    request_date: date,
    *,
    advice_requested: date | None = None,
    draft_sent: date | None = None,
    school_consulted: date | None = None,
) -> list[Deadline]:
    """Return the deadlines of an EHC needs assessment, earliest first."""
    steps = [_step("decision", decision_due(request_date))]
    if advice_requested is not None:
        steps.append(_step("advice", advice_due(advice_requested)))
    steps.append(_step("no_plan_notice", no_plan_notice_due(request_date)))
    if draft_sent is not None:
        steps.append(_step("parent_comments", parent_comments_due(draft_sent)))
    if school_consulted is not None:
        steps.append(_step("school_consultation", school_consultation_reply_due(school_consulted)))
    steps.append(_step("final_plan", final_plan_due(request_date)))
    return _in_order(steps)


def annual_review_timeline(meeting: date, *, proposed_amendments_sent: date | None = None) -> list[Deadline]:
    """Return the deadlines around an annual review meeting, earliest first."""
    steps = [
        _step("review_notice", review_notice_due(meeting)),
        _step("review_advice", review_advice_circulated_by(meeting)),
        _step("review_report", review_report_due(meeting)),
        _step("la_decision", la_review_decision_due(meeting)),
    ]
    if proposed_amendments_sent is not None:
        steps.append(_step("amendment_comments", amendment_comments_due(proposed_amendments_sent)))
        steps.append(_step("amended_plan", amended_plan_due(proposed_amendments_sent)))
    steps.append(_step("next_review", next_annual_review_due(meeting)))
    return _in_order(steps)


# --- One plan's timeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDates:
    """The dates recorded on an EHC plan, which its deadlines are counted from."""

    requested_on: date
    decided_on: date | None = None
    advice_requested_on: date | None = None
    draft_sent_on: date | None = None
    final_issued_on: date | None = None
    last_review_meeting_on: date | None = None
    phase_transfer_on: date | None = None
    phase_transfer_to_post16: bool = False


@dataclass(frozen=True)
class TimelineStep:
    """A deadline of one plan with its status today and, when recorded, the day it was met."""

    deadline: Deadline
    status: str
    done_on: date | None = None


def plan_timeline(dates: PlanDates, *, today: date) -> list[TimelineStep]:
    """Return the deadlines that apply to a plan now, earliest first, each with its status."""
    done_by_key: dict[str, date | None] = {}
    implied_done: set[str] = set()
    if dates.final_issued_on is None:
        steps = assessment_timeline(
            dates.requested_on, advice_requested=dates.advice_requested_on, draft_sent=dates.draft_sent_on
        )
        if dates.draft_sent_on is not None:
            # A draft plan went out, so the LA is issuing a plan: the "no plan" notice no longer applies.
            steps = [s for s in steps if s.key != "no_plan_notice"]
        done_by_key = {"decision": dates.decided_on}
        # Later steps show earlier ones happened, even when their own date was not recorded: advice is
        # sought only after deciding to assess, and a draft is sent only once the advice is in.
        if dates.advice_requested_on is not None or dates.draft_sent_on is not None:
            implied_done.add("decision")
        if dates.draft_sent_on is not None:
            implied_done.add("advice")
    else:
        steps = [_step("final_plan", final_plan_due(dates.requested_on))]
        done_by_key = {"final_plan": dates.final_issued_on}
        if dates.last_review_meeting_on is not None:
            # The notice and advice steps came before a meeting already held.
            steps += [
                s
                for s in annual_review_timeline(dates.last_review_meeting_on)
                if s.key not in {"review_notice", "review_advice"}
            ]
        else:
            steps.append(_step("first_review", next_annual_review_due(dates.final_issued_on)))
    if dates.phase_transfer_on is not None:
        due = phase_transfer_deadline(dates.phase_transfer_on, to_post16=dates.phase_transfer_to_post16)
        steps.append(_step("phase_transfer", due))
    timeline = []
    for step in _in_order(steps):
        done_on = done_by_key.get(step.key)
        if done_on is None and step.key in implied_done:
            status = "done"
        else:
            status = deadline_status(step.due, today=today, done_on=done_on)
        timeline.append(TimelineStep(step, status, done_on))
    return timeline
