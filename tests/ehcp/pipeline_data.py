"""A small LA of plans whose pipeline figures are worked out by hand (tests/ehcp/test_pipeline.py).

Today is Monday 15 June 2026. LA X: School A and School C; LA Y: School B. Every plan is handed to the LA
(a version submitted) unless said otherwise. Deadlines, counted as the SEND Regulations 2014 count them
("within N weeks of X" is X + 7N days):

    plan  school  requested   decided     advice      draft sent  final       exception  need   stage
    P1    C       2026-05-01  -           -           -           -           -          ASD    request
    P2    A       2026-01-05  2026-02-10  -           -           -           -          ASD    decision
    P3    A       2026-03-02  2026-04-01  2026-04-20  -           -           -          ASD    advice
    P4    A       2026-02-02  2026-02-20  2026-03-01  2026-05-20  -           -          SEMH   draft
    P5    A       2025-12-01  2026-01-05  2026-01-10  2026-03-01  2026-04-10  -          ASD    final
    P6    C       2025-11-03  -           -           -           2026-04-30  personal   SEMH   final
    P7    C       2025-11-03  -           -           -           2026-03-23  away       SLCN   final
    P8    A       2025-10-01  -           -           -           2026-03-24  -          SLCN   final
    P9    A       2025-02-01  -           -           -           2025-06-20  -          SLCN   final

Not counted: school A's plan still in draft (never handed: requested 2026-01-01, it would be overdue),
and School B's plan in LA Y (final 2026-04-15, ASD).

By hand:
- Stages: request 1, decision 1, advice 1, draft 1, final 5 (9 plans).
- 20 weeks = 140 days. P5 due 2026-04-20, issued 04-10: within. P6 due 2026-03-23, issued 04-30: late
  (exception). P7 due 2026-03-23, issued that very day: within (exception). P8 due 2026-02-18, issued
  03-24: late (no exception). P9 issued in June 2025, before the 12 months shown (July 2025 - June 2026).
  April 2026: issued 2, within 1; no exception 1, within 1. March 2026: issued 2, within 1; no exception
  1, within 0. The 12 months: issued 4, within 2 (50%); no exception 2, within 1 (50%).
- Overdue on 15 June 2026 (plans not final): P2 "tell the family if no plan" due 2026-04-27 (16 weeks; 49
  days overdue) and "issue the final plan" due 2026-05-25 (21 days); P3 "advice given" due 2026-06-01
  (6 weeks from the request for advice; 14 days); P1 "decide whether to assess" due 2026-06-12 (3 days).
  P3's 16-week notice is due 2026-06-22 and P4's final plan 2026-06-22: not yet overdue.
- Primary needs: ASD 4, SLCN 3, SEMH 2.
"""

from datetime import UTC, date, datetime

from ehcp.models import PlanVersion
from tests.ehcp.factories import PlanFactory, PupilFactory
from tests.factories import SchoolFactory

TODAY = date(2026, 6, 15)
NOON_TODAY = datetime(2026, 6, 15, 11, 0, tzinfo=UTC)

PLANS = {
    # name: school, requested, decided, advice, draft sent, final, exception, need
    "P1": ("C", "2026-05-01", None, None, None, None, "", "ASD"),
    "P2": ("A", "2026-01-05", "2026-02-10", None, None, None, "", "ASD"),
    "P3": ("A", "2026-03-02", "2026-04-01", "2026-04-20", None, None, "", "ASD"),
    "P4": ("A", "2026-02-02", "2026-02-20", "2026-03-01", "2026-05-20", None, "", "SEMH"),
    "P5": ("A", "2025-12-01", "2026-01-05", "2026-01-10", "2026-03-01", "2026-04-10", "", "ASD"),
    "P6": ("C", "2025-11-03", None, None, None, "2026-04-30", "personal", "SEMH"),
    "P7": ("C", "2025-11-03", None, None, None, "2026-03-23", "away", "SLCN"),
    "P8": ("A", "2025-10-01", None, None, None, "2026-03-24", "", "SLCN"),
    "P9": ("A", "2025-02-01", None, None, None, "2025-06-20", "", "SLCN"),
}


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def make_plan(school, name: str, *, requested, decided=None, advice=None, draft=None, final=None,
              exception="", need="ASD", status=PlanVersion.Status.SUBMITTED):  # fmt: skip
    pupil = PupilFactory(
        school=school, first_name=name, last_name="Pupil", sen_provision="E", primary_need=need
    )
    return PlanFactory(
        pupil=pupil,
        school=school,
        status=status,
        requested_on=_d(requested),
        decided_on=_d(decided),
        advice_requested_on=_d(advice),
        draft_sent_on=_d(draft),
        draft_sent_by="by_hand" if draft else "",
        draft_served_on=_d(draft),
        final_issued_on=_d(final),
        time_limit_exception=exception,
    )


def build(world) -> dict:
    """Make the plans above; return them by name, with School C."""
    school_c = SchoolFactory(name="School C", urn="900003", local_authority=world.la_x)
    schools = {"A": world.school_a, "C": school_c}
    plans = {}
    for name, (school, requested, decided, advice, draft, final, exception, need) in PLANS.items():
        plans[name] = make_plan(
            schools[school], name, requested=requested, decided=decided, advice=advice, draft=draft,
            final=final, exception=exception, need=need,
        )  # fmt: skip
    plans["draft"] = make_plan(
        world.school_a, "Unsent", requested="2026-01-01", status=PlanVersion.Status.DRAFT, need="ASD"
    )
    plans["la_y"] = make_plan(
        world.school_b, "Elsewhere", requested="2026-01-01", final="2026-04-15", need="ASD"
    )
    plans["school_c"] = school_c
    return plans
