"""Demonstration pupils: a dozen fictional children at the demo school across E, K and N, two with plans;
and at the LA's other schools, children with EHC plans at every stage, so the LA's pipeline is believable."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ehcp import services
from ehcp.models import Plan, Pupil, SupportCycle
from sendplan.models import Membership, Role

# first name, last name, date of birth, year, provision, primary need, secondary need
DEMO_PUPILS = [
    ("Amara", "Bennett", date(2016, 10, 4), "4", "E", "ASD", "SLCN"),
    ("Callum", "Dawes", date(2017, 2, 19), "3", "E", "SEMH", ""),
    ("Erin", "Fletcher", date(2015, 11, 30), "5", "E", "PD", ""),
    ("Farhan", "Gill", date(2016, 6, 12), "4", "K", "SPLD", ""),
    ("Grace", "Holloway", date(2018, 1, 7), "2", "K", "SLCN", ""),
    ("Harvey", "Iqbal", date(2015, 4, 25), "6", "K", "MLD", "SEMH"),
    ("Isla", "Jenkins", date(2019, 3, 14), "1", "K", "NSA", ""),
    ("Jacob", "Kowalski", date(2017, 8, 2), "3", "K", "HI", ""),
    ("Keira", "Lund", date(2014, 12, 9), "6", "K", "SEMH", ""),
    ("Leo", "Mensah", date(2020, 5, 21), "R", "K", "SLCN", "ASD"),
    ("Maya", "Novak", date(2016, 9, 1), "4", "N", "", ""),
    ("Noah", "Osei", date(2018, 7, 16), "2", "N", "", ""),
]


# The plans at the other schools, as (stage, weeks since the request): at the request (the LA has six weeks
# to decide), decided, advice asked for, draft sent, final, and returned to the school. The longer ones
# are overdue; one final plan is late with an exception, the others in time or late.
OTHER_PLANS = [
    ("request", 2), ("request", 9), ("decision", 8), ("decision", 22), ("advice", 12), ("advice", 24),
    ("draft", 17), ("draft", 26), ("final", 19), ("final", 30), ("final_exception", 33), ("returned", 15),
]  # fmt: skip
FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dylan",
    "Evie",
    "Finn",
    "Hana",
    "Idris",
    "Jade",
    "Kai",
    "Lola",
    "Musa",
]
LAST_NAMES = ["Ahmed", "Brooks", "Carter", "Dunn", "Ellis", "Frost", "Greene", "Hart", "Irving", "Joshi"]
NEEDS = ["ASD", "SLCN", "SEMH", "SPLD", "MLD", "HI", "PD"]


def _other_plans(context, officer, today: date) -> None:
    """Give each other demo school a few plans at different stages (once: a school with plans is left alone)."""
    if officer is None:
        return
    for number, school in enumerate(context.schools[1:], start=1):
        if Plan.objects.filter(school=school).exists():
            continue
        senco = context.senco_at(school)
        rng = random.Random(school.urn)  # noqa: S311 - demo data varies by school; nothing secret
        for index in range(4):
            stage, weeks = OTHER_PLANS[(number * 4 + index) % len(OTHER_PLANS)]
            requested = today - timedelta(weeks=weeks, days=rng.randint(0, 4))
            year = "9" if school.phase == "secondary" else "4"
            pupil = services.pupil_save(
                school=school, by=senco, first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                date_of_birth=date(2012 if year == "9" else 2017, rng.randint(1, 8), rng.randint(1, 28)),
                year_group=year, upn="", sen_provision="E" if stage.startswith("final") else "K",
                primary_need=rng.choice(NEEDS), secondary_need="",
            )  # fmt: skip
            plan = services.plan_start(pupil=pupil, requested_on=requested, by=senco)
            dates = {}
            if stage != "request":
                dates["decided_on"] = requested + timedelta(weeks=5)
            if stage in ("advice", "draft", "final", "final_exception"):
                dates["advice_requested_on"] = requested + timedelta(weeks=6)
            if stage in ("draft", "final", "final_exception"):
                dates["draft_sent_on"] = min(
                    requested + timedelta(weeks=weeks - 2 if stage != "draft" else 14), today
                )
                dates["draft_sent_by"] = "email"
            if stage == "final_exception":
                dates["time_limit_exception"] = "personal"
            if dates:
                services.plan_dates_update(plan=plan, by=senco, **dates)
            services.plan_submit(plan=plan, by=senco)
            if stage.startswith("final"):
                services.plan_finalise(
                    plan=plan, by=officer, issued_on=min(requested + timedelta(weeks=weeks), today)
                )
            elif stage == "returned":
                services.plan_return(
                    plan=plan, by=officer, reason="Section F must say how often and for how long."
                )


@transaction.atomic
def seed(context) -> None:
    """Create the demo pupils, carers, cycles and two plans at the demo school, and the other schools' plans."""
    school = context.school
    senco_user = context.users.get(Role.SENCO)
    officer_user = context.users.get(Role.LA_OFFICER)
    senco = Membership.objects.filter(user=senco_user, school=school).first() if senco_user else None
    officer = Membership.objects.filter(user=officer_user, local_authority=context.local_authority).first()
    today = timezone.localdate()
    pupils = {}
    for first, last, dob, year, provision, primary, secondary in DEMO_PUPILS:
        pupil = Pupil.objects.filter(school=school, first_name=first, last_name=last).first()
        if pupil is None:
            pupil = services.pupil_save(
                school=school, by=senco, first_name=first, last_name=last, date_of_birth=dob, year_group=year, upn="",
                sen_provision=provision, primary_need=primary, secondary_need=secondary,
            )  # fmt: skip
            services.carer_add(
                pupil=pupil,
                by=senco,
                name=f"Parent of {first} {last}",
                relationship="Parent",
                phone="01632 960000",
            )
        pupils[last] = pupil
    for last in ("Gill", "Holloway", "Iqbal", "Bennett"):
        pupil = pupils[last]
        if not SupportCycle.objects.filter(pupil=pupil).exists():
            start = today - timedelta(weeks=30)
            services.cycle_save(
                pupil=pupil, by=senco, started_on=start, review_date=start + timedelta(weeks=12),
                assessed="Reading and spelling assessment; classroom observation",
                outcomes_sought="Read and spell 30 of the first 100 high-frequency words",
                provision_what="Small-group phonics intervention with overlearning",
                provision_frequency="3 sessions of 20 minutes a week", provision_who="Trained teaching assistant",
                review_findings="Read 22 of the 30 words; continue with the same group",
                parent_views="Pleased with progress; reading at home each night", pupil_views="I like the word games",
            )  # fmt: skip
    _other_plans(context, officer, today)
    if senco is None or Plan.objects.filter(school=school).exists():
        return
    # A plan in draft, with findings for the quality checker to show.
    draft = services.plan_start(pupil=pupils["Dawes"], requested_on=today - timedelta(weeks=5), by=senco)
    version = draft.versions.get()
    services.section_text_update(
        version=version, by=senco, section="A", a_views="Callum loves football and drawing."
    )
    need = services.need_save(
        version=version,
        by=senco,
        area_of_need="semh",
        text="Callum finds it hard to manage strong feelings at unstructured times.",
    )
    services.provision_save(
        version=version,
        by=senco,
        section="F",
        needs=[need],
        outcomes=[],
        what="Access to a calm space as required",
    )
    # A plan submitted to the LA and made final.
    final = services.plan_start(pupil=pupils["Bennett"], requested_on=today - timedelta(weeks=40), by=senco)
    version = final.versions.get()
    services.section_text_update(
        version=version, by=senco, section="A", a_views="Amara enjoys music and trains. She wants to be a train driver.",
        a_communication="Short, clear sentences with visual supports; give time to respond.",
    )  # fmt: skip
    need = services.need_save(
        version=version,
        by=senco,
        area_of_need="communication_interaction",
        text="Amara finds it hard to understand spoken instructions of more than one step.",
    )
    outcome = services.outcome_save(
        version=version, by=senco, text="Amara will follow two-step classroom instructions without prompting in 4 out of 5 lessons.",
        timeframe="By the end of Year 5 (July 2027)", steps="One-step with visual; two-step with visual; two-step spoken.", needs=[need],
    )  # fmt: skip
    services.provision_save(
        version=version, by=senco, section="F", needs=[need], outcomes=[outcome], what="Individual speech and language therapy",
        who="Speech and language therapist", expertise="HCPC-registered", frequency="Once a week",
        duration="30 minutes a session, for the school year", group_size="1:1",
    )  # fmt: skip
    services.advice_save(
        version=version,
        by=senco,
        source="Educational psychologist's report",
        author="Dr R. Patel",
        date=today - timedelta(weeks=30),
    )
    services.plan_submit(plan=final, by=senco)
    if officer is not None:
        services.plan_finalise(plan=final, by=officer, issued_on=today - timedelta(weeks=21))
        # Its annual review, arranged by the school, with the family and a therapist to invite.
        review = services.review_start(plan=final, meeting_on=today + timedelta(weeks=3), by=senco)
        services.review_attendee_add(
            review=review, by=senco, name="Parent of Amara Bennett", role="Parent", kind="parent"
        )
        services.review_attendee_add(
            review=review, by=senco, name="Sam Price", role="Speech and language therapist", kind="health",
            advice_requested=True,
        )  # fmt: skip
