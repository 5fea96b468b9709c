"""Statutory deadlines for EHC needs assessments, annual reviews and phase transfers.

Sources: Children and Families Act 2014 (CFA), the SEND Regulations 2014 (Regs, SI 2014/1530) and the SEND
Code of Practice 2015 (CoP). The time limits are calendar days, weeks or months: the Regs have no
working-day rule here. Working days matter in one place only: when a document was posted and the day it
arrived is not known (see "Service" below). The exceptions to the assessment time limits (Regs 10(4)(a)
to (d), applied to the 20 weeks by Regs 13(3)) are for a caseworker to record; these functions do not
apply them, and the LA's figure is reported with and without them (selectors.la_timeliness).

How periods are counted, so the same words give the same answer everywhere:

- "within N weeks of X": the last day is X + 7N days (request on Monday 1 September 2025, decision due by
  Monday 13 October 2025 for 6 weeks).
- "at least N weeks before X" (Regs 20(3) and 20(4): "at least two weeks' notice of the date of the
  meeting", advice circulated "at least two weeks in advance"): "at least" means clear days, excluding
  both the day of the act and the day of the event (R v Justices of Shropshire (1838) 8 Ad & El 173;
  R v Justices of Herefordshire (1820) 3 B & Ald 581). Two clear weeks before a meeting on day M means
  acting on day M - 15 at the latest: "send on the 15th day before the meeting".
- "at least 15 days, beginning with the day on which [the document] was served" (Regs 13(1)(a),
  22(2)(c)): the day of service is day 1, so the last day of the window is service + 14 days and the
  local authority may finalise from service + 15 days. The day of service is the day the family
  received it, not the day it was sent.
- "within the period of 12 months starting with" a date (CFA s44(1)): that date is day 1, so the period
  ends the day before the anniversary (a plan made on 10 March 2025 must have its review concluded by
  9 March 2026). A period starting on 29 February ends on 28 February; one starting on 1 March 2023
  ends on 29 February 2024.
- "before 15 February" / "before 31 March" (Regs 18(1)): the last day is 14 February / 30 March.
- Months added to a date clamp to the end of a shorter month: 31 January + 1 month is 28 February (29 in
  a leap year). Used for retention and for "5 months before".

Service. When only the day a document was sent is known, the day it was served is deemed from how it was
sent (Interpretation Act 1978 s7 and the 1985 Practice Direction for post; ehcp/deadlines/service.py says
how), and every page that counts from it says so. Taking the later day never shortens the family's window.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from ehcp.deadlines.service import day_text, service

SOON_DAYS = 14

# The assessment's time limits in weeks from the request, named once for the arithmetic below, the LA's
# timeliness figure (in SQL) and the words on pages.
DECISION_WEEKS = 6  # Regs 4(1) and 5(1)
ADVICE_WEEKS = 6  # Regs 8(1)
NO_PLAN_NOTICE_WEEKS = 16  # Regs 10(1)
FINAL_PLAN_WEEKS = 20  # Regs 13(2); the national timeliness measure
FINAL_PLAN_PERIOD = timedelta(weeks=FINAL_PLAN_WEEKS)
COMMENT_DAYS = 15  # Regs 13(1)(a) and 22(2)(c): "at least 15 days, beginning with the day ... served"
REVIEW_NOTICE_DAYS = 15  # Regs 20(3) and 20(4): two clear weeks before the meeting
REVIEW_DECISION_WEEKS = 4  # Regs 20(10)
AMENDED_PLAN_WEEKS = 8  # Regs 22(3)
AMENDMENT_LONGSTOP_WEEKS = REVIEW_DECISION_WEEKS + AMENDED_PLAN_WEEKS  # R (L) v Devon CC [2022] EWHC 493


@dataclass(frozen=True)
class Deadline:
    """One statutory step: a stable key, a label, the last day, where the rule comes from, and a note.

    A ``window`` is a period given to the family (to comment on a draft), not a task: it is open until its
    last day and closed after it, and never overdue.
    """

    key: str
    label: str
    due: date
    source: str
    note: str = ""
    window: bool = False


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
    # Regs 4(1) and 5(1): "within 6 weeks of receiving a request for an EHC needs assessment", or of
    # becoming responsible for the child under CFA s24: the same clock starts from either.
    return add_weeks(request_date, DECISION_WEEKS)


def advice_due(advice_requested: date) -> date:
    """Return the last day for a body asked for advice to give it (6 weeks)."""
    # Regs 8(1): whoever is asked for advice must give it within 6 weeks of the request (exceptions in 8(2)).
    return add_weeks(advice_requested, ADVICE_WEEKS)


def no_plan_notice_due(request_date: date) -> date:
    """Return the last day to tell the parent or young person that no EHC plan will be issued (16 weeks)."""
    # Regs 10(1): within 16 weeks of receiving the request, or of becoming responsible under CFA s24.
    return add_weeks(request_date, NO_PLAN_NOTICE_WEEKS)


def final_plan_due(request_date: date) -> date:
    """Return the last day to issue the final EHC plan (20 weeks from the request)."""
    # Regs 13(2): within 20 weeks of receiving the request, or of becoming responsible under CFA s24;
    # Regs 13(3) excuses the reasons in Regs 10(4)(a) to (d).
    return add_weeks(request_date, FINAL_PLAN_WEEKS)


def issued_within_time_limit(request_date: date, final_issued: date) -> bool:
    """Return True if the final plan was issued within 20 weeks of the request (the timeliness measure)."""
    # The LA's figure applies the same rule in SQL: final_issued_on <= requested_on + FINAL_PLAN_PERIOD.
    return final_issued <= final_plan_due(request_date)


def parent_comments_due(served: date) -> date:
    """Return the last day of the family's window to comment on a draft plan served on ``served``."""
    # Regs 13(1)(a) and CoP 9.77: "at least 15 days, beginning with the day on which the draft plan was
    # served". The day of service is day 1, so the window ends 14 days later; the LA may finalise the
    # plan from the day after (served + 15 days), never earlier.
    return add_days(served, COMMENT_DAYS - 1)


def school_consultation_reply_due(consulted_on: date) -> date:
    """Return the date by which a school consulted about being named should reply (15 days)."""
    # CoP 9.83 (guidance, not a regulation): "should respond within 15 days". It has no "beginning with"
    # wording, so the day of consultation is not counted: consulted_on + 15 days.
    return add_days(consulted_on, 15)


# --- Annual review ---------------------------------------------------------------------------------------


def _anniversary(d: date) -> date:
    # The same day a year on; a year from 29 February starts again on 1 March.
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return date(d.year + 1, 3, 1)


def review_concluded_by(start: date) -> date:
    """Return the last day to conclude the annual review: the day before the anniversary of ``start``."""
    # CFA s44(1): the plan is reviewed "during the period of 12 months starting with the date on which
    # the EHC plan was made" and then "starting with the date on which it was last reviewed". The review
    # is concluded when the LA sends its decision (Regs 20(10)); pass the date the plan was made or the
    # date the last review was concluded.
    return _anniversary(start) - timedelta(days=1)


def review_meeting_by(start: date) -> date:
    """Return the last day to hold the review meeting so the LA can decide within the 12 months."""
    # The LA has 4 weeks after the meeting to decide (Regs 20(10)); a meeting held later than this leaves
    # it less than its full time before the review must be concluded (CFA s44(1)).
    return add_weeks(review_concluded_by(start), -REVIEW_DECISION_WEEKS)


def review_notice_due(meeting: date) -> date:
    """Return the last day to send invitations to a review meeting (two clear weeks' notice)."""
    # Regs 20(3) and 21(3): "At least two weeks' notice of the date of the meeting must be given". "At
    # least" excludes both the day of notice and the meeting day, so send on the 15th day before it.
    return add_days(meeting, -REVIEW_NOTICE_DAYS)


def review_advice_circulated_by(meeting: date) -> date:
    """Return the last day to circulate advice and information before a review meeting (two clear weeks)."""
    # Regs 20(4) and 21(4): circulated "at least two weeks in advance of the review meeting".
    return add_days(meeting, -REVIEW_NOTICE_DAYS)


def review_report_due(meeting: date) -> date:
    """Return the last day to send the review report to everyone invited (2 weeks after the meeting)."""
    # Regs 20(7) and 21(7): the report is prepared and sent within two weeks of the review meeting.
    return add_weeks(meeting, 2)


def la_review_decision_due(meeting: date) -> date:
    """Return the last day for the LA to decide to keep, amend or cease the plan (4 weeks)."""
    # Regs 20(10): decide and notify within four weeks of the review meeting, sending the proposed
    # amendments with the decision when it decides to amend (R (L) v Devon CC [2022] EWHC 493 (Admin)).
    return add_weeks(meeting, REVIEW_DECISION_WEEKS)


def amendment_comments_due(served: date) -> date:
    """Return the last day of the family's window to comment on proposed amendments served on ``served``."""
    # Regs 22(2)(c): "at least 15 days, beginning with the day on which" the notice was served: day 1 is
    # the day of service, so the window ends 14 days later.
    return add_days(served, COMMENT_DAYS - 1)


def amended_plan_due(proposed_amendments_sent: date, meeting: date | None = None) -> date:
    """Return the last day to issue the final amended plan: 8 weeks from the proposals, 12 from the meeting."""
    # Regs 22(3): "within 8 weeks of the local authority sending a copy of the EHC plan" with the notice of
    # proposed amendments. R (L) v Devon CC [2022] EWHC 493 (Admin): the proposals go with the decision
    # (4 weeks), so the amended plan is never later than 12 weeks from the meeting, however late the
    # proposals were sent.
    due = add_weeks(proposed_amendments_sent, AMENDED_PLAN_WEEKS)
    if meeting is not None:
        due = min(due, add_weeks(meeting, AMENDMENT_LONGSTOP_WEEKS))
    return due


# --- Phase transfer --------------------------------------------------------------------------------------


def phase_transfer_deadline(transfer_year_start: date, *, to_post16: bool) -> date:
    """Return the last day to review and amend the plan before a move between phases of education."""
    # Regs 18(1): reviewed and amended "before 15 February in the calendar year of the child's transfer",
    # or "before 31 March" for a move from secondary school to a post-16 institution; "before" makes the
    # last days 14 February and 30 March. A school sixth form is a school, not a post-16 institution (CFA
    # s83(2)), so a move into one has the February date. Pass the day the child starts the new phase.
    if to_post16:
        return date(transfer_year_start.year, 3, 30)
    return date(transfer_year_start.year, 2, 14)


def phase_transfer_meeting_by(deadline: date) -> date:
    """Return the latest review meeting that still allows the plan to be amended by the deadline."""
    # 4 weeks to decide and send proposals (Regs 20(10)) and 8 weeks to the amended plan (Regs 22(3)).
    return add_weeks(deadline, -AMENDMENT_LONGSTOP_WEEKS)


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


def window_status(last_day: date, *, today: date) -> str:
    """Return "open" until the last day of a family's window, "closed" after it."""
    return "open" if today <= last_day else "closed"


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
    "review_meeting": ("Hold the annual review meeting", f"{CFA}, s44(1); {REGS}, reg 20(10)"),
    "review_notice": ("Send invitations to the review meeting", f"{REGS}, reg 20(3)"),
    "review_advice": ("Circulate advice and information", f"{REGS}, reg 20(4)"),
    "review_report": ("Send the review report", f"{REGS}, reg 20(7)"),
    "la_decision": ("LA decides to keep, amend or cease the plan", f"{REGS}, reg 20(10)"),
    "review_concluded": ("Conclude the annual review", f"{CFA}, s44(1)"),
    "first_review": ("Conclude the first annual review", f"{CFA}, s44(1)"),
    "amendment_comments": ("Family's comments on the proposed amendments", f"{REGS}, reg 22(2)(c)"),
    "amended_plan": (
        "Issue the final amended plan",
        f"{REGS}, reg 22(3); R (L) v Devon CC [2022] EWHC 493 (Admin)",
    ),
    "phase_transfer_meeting": (
        "Hold the review meeting for the move to the next phase",
        f"{REGS}, regs 18(1), 20(10) and 22(3)",
    ),
    "phase_transfer": ("Amend the plan before the move to the next phase", f"{REGS}, reg 18(1)"),
}
WINDOWS = {"parent_comments", "amendment_comments"}


def _step(key: str, due: date, note: str = "") -> Deadline:
    label, source = STEPS[key]
    # The first review is concluded like any later one, so pages find either under one key.
    return Deadline(
        "review_concluded" if key == "first_review" else key, label, due, source, note, key in WINDOWS
    )


def assessment_timeline(
    request_date: date,
    *,
    advice_requested: date | None = None,
    draft_served: date | None = None,
    school_consulted: date | None = None,
    served_note: str = "",
) -> list[Deadline]:
    """Return the deadlines of an EHC needs assessment, earliest first."""
    steps = [_step("decision", decision_due(request_date))]
    if advice_requested is not None:
        steps.append(_step("advice", advice_due(advice_requested)))
    steps.append(_step("no_plan_notice", no_plan_notice_due(request_date)))
    if draft_served is not None:
        steps.append(_step("parent_comments", parent_comments_due(draft_served), served_note))
    if school_consulted is not None:
        steps.append(_step("school_consultation", school_consultation_reply_due(school_consulted)))
    steps.append(_step("final_plan", final_plan_due(request_date)))
    return _in_order(steps)


def annual_review_timeline(
    meeting: date, *, start: date, amendments_served: date | None = None, amendments_sent: date | None = None
) -> list[Deadline]:
    """Return the deadlines of one annual review, from the 12 months starting ``start``, earliest first.

    ``start`` is the date the plan was made or the last review concluded; ``amendments_sent`` and
    ``amendments_served`` the days the LA's notice of proposed amendments was sent and served.
    """
    steps = [
        _step("review_notice", review_notice_due(meeting)),
        _step("review_advice", review_advice_circulated_by(meeting)),
        _step("review_meeting", review_meeting_by(start)),
        _step("review_report", review_report_due(meeting)),
        _step("la_decision", la_review_decision_due(meeting)),
        _step("review_concluded", review_concluded_by(start)),
    ]
    if amendments_served is not None:
        steps.append(_step("amendment_comments", amendment_comments_due(amendments_served)))
    if amendments_sent is not None:
        steps.append(_step("amended_plan", amended_plan_due(amendments_sent, meeting)))
    return _in_order(steps)


# --- One plan's timeline ---------------------------------------------------------------------------------


MAINTAIN, AMEND, CEASE = "maintain", "amend", "cease"


@dataclass(frozen=True)
class ReviewDates:
    """One annual review's recorded dates: the meeting, what was sent when, and the LA's decision."""

    cycle_started_on: date  # the date the plan was made or last reviewed: the 12 months start with it
    meeting_on: date  # arranged, or held
    held: bool = False
    invitations_sent_on: date | None = None
    advice_circulated_on: date | None = None
    report_sent_on: date | None = None
    decision: str = ""  # MAINTAIN, AMEND or CEASE once decided
    decision_sent_on: date | None = None
    decision_sent_by: str = ""
    decision_served_on: date | None = None
    amended_plan_issued_on: date | None = None

    @property
    def finished(self) -> bool:
        """Concluded, and when amending, the amended plan issued: nothing of this review is left to do."""
        if self.decision_sent_on is None:
            return False
        return self.decision != AMEND or self.amended_plan_issued_on is not None


@dataclass(frozen=True)
class PlanDates:
    """The dates recorded on an EHC plan, which its deadlines are counted from."""

    requested_on: date
    decided_on: date | None = None
    advice_requested_on: date | None = None
    draft_sent_on: date | None = None
    draft_sent_by: str = ""
    draft_served_on: date | None = None
    final_issued_on: date | None = None
    last_review_meeting_on: date | None = None
    last_review_concluded_on: date | None = None
    phase_transfer_on: date | None = None
    phase_transfer_to_post16: bool = False


@dataclass(frozen=True)
class TimelineStep:
    """A deadline of one plan with its status today and, when recorded, the day it was met."""

    deadline: Deadline
    status: str
    done_on: date | None = None


def _review_start(dates: PlanDates) -> date:
    # The 12 months run from the last review's conclusion, or from the day the plan was made.
    return dates.last_review_concluded_on or dates.final_issued_on


def _review_steps(review: ReviewDates) -> tuple[list[Deadline], dict[str, date | None]]:
    amendments_served = amendments_sent = None
    served_note = ""
    if review.decision == AMEND:
        if review.decision_sent_on is not None:
            amendments_sent = review.decision_sent_on
            amendments_served, served_note = service(
                review.decision_sent_on, review.decision_sent_by, review.decision_served_on
            )
        else:
            # Not yet sent: the amended plan is still due 12 weeks from the meeting at the latest.
            amendments_sent = add_weeks(review.meeting_on, REVIEW_DECISION_WEEKS)
    steps = annual_review_timeline(
        review.meeting_on,
        start=review.cycle_started_on,
        amendments_served=amendments_served,
        amendments_sent=amendments_sent,
    )
    steps = [
        Deadline(s.key, s.label, s.due, s.source, served_note, s.window)
        if s.key == "amendment_comments"
        else s
        for s in steps
    ]
    done = {
        "review_notice": review.invitations_sent_on,
        "review_advice": review.advice_circulated_on,
        "review_meeting": review.meeting_on if review.held else None,
        "review_report": review.report_sent_on,
        "la_decision": review.decision_sent_on,
        "review_concluded": review.decision_sent_on,
        "amended_plan": review.amended_plan_issued_on,
    }
    return steps, done


def _phase_transfer_done(dates: PlanDates, review: ReviewDates | None) -> tuple[date | None, date | None]:
    """Return when the review for the next phase met its meeting and when the plan was settled, if it has."""
    if review is None or dates.phase_transfer_on is None:
        return None, None
    # Regs 18(1) applies "within 12 months of a transfer": an earlier review is not the one for the move.
    if review.meeting_on <= add_months(dates.phase_transfer_on, -12):
        return None, None
    meeting = review.meeting_on if review.held else None
    if review.decision == AMEND:
        return meeting, review.amended_plan_issued_on
    if review.decision in (MAINTAIN, CEASE):
        return meeting, review.decision_sent_on
    return meeting, None


def plan_timeline(dates: PlanDates, *, today: date, review: ReviewDates | None = None) -> list[TimelineStep]:
    """Return the deadlines that apply to a plan now, earliest first, each with its status.

    ``review`` is the plan's latest annual review, if one is recorded: while it is under way its own dates
    give the review's steps; once finished, the next review's run from the plan's dates.
    """
    done_by_key: dict[str, date | None] = {}
    implied_done: set[str] = set()
    if dates.final_issued_on is None:
        served = note = None
        if dates.draft_sent_on is not None:
            served, note = service(dates.draft_sent_on, dates.draft_sent_by, dates.draft_served_on)
        steps = assessment_timeline(
            dates.requested_on,
            advice_requested=dates.advice_requested_on,
            draft_served=served,
            served_note=note or "",
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
        if review is not None and not review.finished:
            review_steps, done_by_key_review = _review_steps(review)
            steps += review_steps
            done_by_key |= done_by_key_review
        else:
            start = _review_start(dates)
            first = dates.last_review_concluded_on is None and dates.last_review_meeting_on is None
            meeting = dates.last_review_meeting_on
            if meeting is not None and (
                dates.last_review_concluded_on is None or meeting > dates.last_review_concluded_on
            ):
                # A meeting recorded by hand whose decision is not yet recorded: the review is under way.
                steps += [
                    _step("review_report", review_report_due(meeting)),
                    _step("la_decision", la_review_decision_due(meeting)),
                    _step("review_concluded", review_concluded_by(start)),
                ]
            else:
                steps += [
                    _step("review_meeting", review_meeting_by(start)),
                    _step("first_review" if first else "review_concluded", review_concluded_by(start)),
                ]
    if dates.phase_transfer_on is not None:
        due = phase_transfer_deadline(dates.phase_transfer_on, to_post16=dates.phase_transfer_to_post16)
        steps.append(_step("phase_transfer_meeting", phase_transfer_meeting_by(due)))
        steps.append(_step("phase_transfer", due))
        meeting_done, settled = _phase_transfer_done(dates, review)
        done_by_key |= {"phase_transfer_meeting": meeting_done, "phase_transfer": settled}
    timeline = []
    for step in _in_order(steps):
        done_on = done_by_key.get(step.key)
        if step.window:
            status = window_status(step.due, today=today)
        elif done_on is None and step.key in implied_done:
            status = "done"
        else:
            status = deadline_status(step.due, today=today, done_on=done_on)
        timeline.append(TimelineStep(step, status, done_on))
    return timeline


# --- Making a plan final ---------------------------------------------------------------------------------


def missing_before_final(
    dates: PlanDates,
    *,
    today: date,
    placement: str,
    amending: bool = False,
    review: ReviewDates | None = None,
) -> list[str]:
    """Return what is missing before the LA makes the plan, or the amended plan, final (empty if nothing)."""
    missing = []
    sent = by = served_on = None
    if amending:
        if review is None or review.decision_sent_on is None:
            missing.append(
                f"No date is recorded for sending the proposed amendments to the family ({REGS}, reg 22(2))."
            )
        else:
            sent, by, served_on = review.decision_sent_on, review.decision_sent_by, review.decision_served_on
        what, rule = "the proposed amendments", f"{REGS}, reg 22(2)(c)"
    else:
        if dates.decided_on is None:
            missing.append(f"No date is recorded for the LA's decision to assess ({REGS}, reg 5(1)).")
        if dates.draft_sent_on is None:
            missing.append(
                "The draft plan has not been sent to the family, so it has not been served: they must have "
                f"at least 15 days to comment ({REGS}, reg 13(1)(a))."
            )
        else:
            sent, by, served_on = dates.draft_sent_on, dates.draft_sent_by, dates.draft_served_on
        what, rule = "the draft plan", f"{REGS}, reg 13(1)(a)"
    if sent is not None:
        served, note = service(sent, by or "", served_on)
        last = add_days(served, COMMENT_DAYS - 1)
        if today <= last:
            missing.append(
                f"The family's 15 days to comment on {what} end on {day_text(last)}: it can be made final "
                f"from {day_text(last + timedelta(days=1))} ({rule}).{' ' + note if note else ''}"
            )
    if not placement.strip():
        missing.append(
            "Section I is blank: the final plan must name the school or other institution, or its type "
            f"({REGS}, reg 12(1)(i))."
        )
    return missing
