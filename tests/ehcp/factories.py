"""factory_boy builders for pupils, cycles and EHC plans (all owned by the pupil's school)."""

from datetime import date

import factory

from ehcp.models import Carer, Need, Outcome, Plan, PlanVersion, Provision, Pupil, SupportCycle
from tests.factories import SchoolFactory


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Sequence(lambda n: f"Pupil{n}")
    last_name = factory.Sequence(lambda n: f"Surname{n:04d}")
    date_of_birth = date(2016, 9, 23)
    year_group = "4"
    sen_provision = "K"
    primary_need = "SLCN"


class CarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carer

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    name = factory.Sequence(lambda n: f"Carer {n}")
    relationship = "Mother"
    phone = "01234 567890"


class SupportCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportCycle

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    started_on = date(2025, 9, 8)
    assessed = "Reading age and phonics screening"
    outcomes_sought = "Read 40 high-frequency words by the review"
    provision_what = "Small-group phonics intervention"
    provision_frequency = "3 sessions of 20 minutes a week"
    provision_who = "Teaching assistant trained in the phonics programme"
    review_date = date(2025, 12, 12)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    pupil = factory.SubFactory(PupilFactory, sen_provision="E")
    school = factory.SelfAttribute("pupil.school")
    requested_on = date(2026, 3, 2)

    @factory.post_generation
    def version(obj, create, extracted, **kwargs):
        if create and not obj.versions.exists():
            PlanVersion.objects.create(school=obj.school, plan=obj, number=1, status=obj.status)


def add_golden_thread(version: PlanVersion) -> tuple[Need, Outcome, Provision]:
    """Give a version one need, one outcome and one well-specified provision, all linked."""
    need = Need.objects.create(
        version=version, school=version.school, area_of_need="communication_interaction", position=1,
        text="Finds it hard to understand spoken instructions.",
    )  # fmt: skip
    outcome = Outcome.objects.create(
        version=version, school=version.school, position=1, timeframe="By the end of Year 6",
        text="Will follow three-step instructions without prompting in 4 out of 5 lessons.",
    )  # fmt: skip
    outcome.needs.set([need])
    provision = Provision.objects.create(
        version=version, school=version.school, section="F", position=1,
        what="Individual speech and language therapy", who="Speech and language therapist",
        expertise="HCPC-registered", frequency="Once a week", duration="30 minutes, for the school year",
        group_size="1:1",
    )  # fmt: skip
    provision.needs.set([need])
    provision.outcomes.set([outcome])
    return need, outcome, provision
