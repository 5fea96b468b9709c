"""A known plan, pupil and support history, written out by hand, for the document tests to check against."""

from datetime import UTC, date, datetime

from ehcp.models import Advice, Need, Outcome, PlanVersion, Provision
from tests.ehcp.factories import CarerFactory, PlanFactory, PupilFactory, SupportCycleFactory

# Each section headed as reg 12 names it, in the order the plan must follow.
SECTION_HEADINGS = [
    "Section A: The views, interests and aspirations of the child and their parents, or of the young person",
    "Section B: The special educational needs",
    "Section C: The health needs which relate to the special educational needs",
    "Section D: The social care needs which relate to the special educational needs or to a disability",
    "Section E: The outcomes sought",
    "Section F: The special educational provision required by each of the needs",
    "Section G: Any health provision reasonably required by the learning difficulties or disabilities "
    "which result in the special educational needs",
    "Section H1: Any social care provision which must be made under section 2 of the Chronically Sick and "
    "Disabled Persons Act 1970",
    "Section H2: Any other social care provision reasonably required by the learning difficulties or "
    "disabilities which result in the special educational needs",
    "Section I: The name and type of the school or other institution to be attended",
    "Section J: The personal budget, including any direct payments",
    "Section K: The advice and information gathered during the EHC needs assessment",
]


def known_pupil(school, **kwargs):
    """Sam Okoro, Year 4, with an EHC plan request under way: SLCN first, SEMH second."""
    defaults = {
        "first_name": "Sam",
        "last_name": "Okoro",
        "date_of_birth": date(2016, 9, 23),
        "year_group": "4",
        "sen_provision": "K",
        "primary_need": "SLCN",
        "secondary_need": "SEMH",
    }
    return PupilFactory(school=school, **(defaults | kwargs))


def add_support_history(pupil) -> None:
    """Two assess, plan, do, review cycles and one parent, as the school recorded them."""
    CarerFactory(
        pupil=pupil, school=pupil.school, name="Grace Okoro", relationship="Mother", email="grace@example.org"
    )
    SupportCycleFactory(
        pupil=pupil, school=pupil.school, started_on=date(2025, 9, 8), review_date=date(2025, 12, 12),
        assessed="Understanding of spoken language (CELF-5 screener)",
        outcomes_sought="Follow two-step instructions in class",
        provision_what="Small-group language intervention", provision_frequency="3 sessions of 20 minutes a week",
        provision_who="Teaching assistant trained in the programme",
        review_findings="Some progress: follows two-step instructions with a visual prompt",
        parent_views="Grace says Sam is calmer at home when he knows what is coming.",
        pupil_views="Sam likes the picture cards.",
    )  # fmt: skip
    SupportCycleFactory(
        pupil=pupil, school=pupil.school, started_on=date(2026, 1, 5), review_date=date(2026, 3, 27),
        assessed="Observation of transitions between lessons",
        outcomes_sought="Move between lessons calmly",
        provision_what="Visual timetable and a five-minute warning", provision_frequency="Before every transition",
        provision_who="Class teacher",
        review_findings="Calm in 6 of 10 transitions; needs more help than the school can give alone",
        parent_views="Grace would like specialist speech and language therapy.",
        pupil_views="",
    )  # fmt: skip


def known_plan(pupil, *, final: bool = False):
    """Give the pupil a plan (version 1, a draft or final) with every section but D, H1, H2, I and J filled in."""
    plan = PlanFactory(pupil=pupil, school=pupil.school, requested_on=date(2026, 3, 2))
    version = plan.versions.get()
    if final:
        final_status = PlanVersion.Status.FINAL
        version.status, version.kind = final_status, PlanVersion.Kind.FINAL
        version.finalised_at = datetime(2026, 7, 20, 10, 0, tzinfo=UTC)
        plan.status, plan.final_issued_on = final_status, date(2026, 7, 20)
        plan.save()
    version.a_views = "Sam loves trains and wants to drive one."
    version.a_history = "Joined the school in Reception."
    version.a_communication = "Short sentences, with pictures."
    version.c_health_needs = "Mild asthma; uses an inhaler before PE."
    version.save()
    school = pupil.school
    need1 = Need.objects.create(version=version, school=school, position=1, area_of_need="communication_interaction", text="Finds it hard to understand spoken instructions.")  # fmt: skip
    need2 = Need.objects.create(version=version, school=school, position=2, area_of_need="semh", text="Becomes anxious at transitions between lessons.")  # fmt: skip
    out1 = Outcome.objects.create(version=version, school=school, position=1, text="Will follow three-step instructions without prompting in 4 out of 5 lessons.", timeframe="By the end of Year 6", steps="Two-step instructions by Easter")  # fmt: skip
    out1.needs.set([need1])
    out2 = Outcome.objects.create(version=version, school=school, position=2, text="Will move between lessons calmly in 9 out of 10 transitions.", timeframe="By July 2027")  # fmt: skip
    out2.needs.set([need2])
    f1 = Provision.objects.create(
        version=version, school=school, section="F", position=1, what="Individual speech and language therapy",
        who="Speech and language therapist", expertise="HCPC-registered", frequency="Once a week",
        duration="30 minutes, for the school year", group_size="1:1", responsible_body="Northmere County Council",
        start_date=date(2026, 9, 7), review_date=date(2027, 7, 16),
    )  # fmt: skip
    f1.needs.set([need1])
    f1.outcomes.set([out1])
    f2 = Provision.objects.create(
        version=version, school=school, section="F", position=2,
        what="Visual timetable checked with Sam each morning", who="Class teacher",
        frequency="Daily, 5 minutes", duration="For the school year", group_size="1:1",
    )  # fmt: skip
    f2.needs.set([need2])
    f2.outcomes.set([out2])
    g1 = Provision.objects.create(version=version, school=school, section="G", position=1, what="Asthma care plan review", who="School nurse", frequency="Once a year")  # fmt: skip
    g1.needs.set([need2])
    Advice.objects.create(version=version, school=school, position=1, source="Educational psychologist's report", author="Dr A. Patel", date=date(2026, 4, 14))  # fmt: skip
    Advice.objects.create(version=version, school=school, position=2, source="Speech and language therapy advice", author="J. Brown", date=date(2026, 4, 20))  # fmt: skip
    return plan
