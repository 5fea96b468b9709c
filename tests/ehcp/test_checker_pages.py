"""The plan pages give the checker what it needs about the pupil and the version: year group, sections C, D
and I, and whether the pupil moves phase, so its whole-plan rules reach the SENCO."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from ehcp import services
from tests.conftest import membership_of
from tests.ehcp.factories import PlanFactory, PupilFactory, add_golden_thread

pytestmark = pytest.mark.django_db


def test_reg_12_3_a_year_10_plan_without_preparing_for_adulthood_is_reported(senco_a, world):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a, year_group="10"), school=world.school_a)
    add_golden_thread(plan.versions.get())
    body = senco_a.get(reverse("ehcp:plan_detail", args=[plan.public_id])).content.decode()
    assert "The pupil is in Year 10 but no provision prepares them for adulthood" in body
    assert "Source: Regs 12(3); SEND Code of Practice 2015, 8.9 to 8.12" in body


def test_a_year_5_plan_is_not_asked_about_adulthood(senco_a, world):
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a, year_group="5"), school=world.school_a)
    add_golden_thread(plan.versions.get())
    body = senco_a.get(reverse("ehcp:plan_detail", args=[plan.public_id])).content.decode()
    assert "prepares them for adulthood" not in body


@time_machine.travel("2026-10-01 12:00 +00:00", tick=False)
def test_reg_22_2_a_new_school_in_amendments_before_a_phase_transfer_is_reported(
    senco_a, senco_a_user, la_officer_x_user, world
):
    senco, officer = membership_of(senco_a_user), membership_of(la_officer_x_user)
    plan = PlanFactory(pupil=PupilFactory(school=world.school_a, year_group="6"), school=world.school_a)
    add_golden_thread(plan.versions.get())
    services.plan_submit(plan=plan, by=senco)
    services.plan_finalise(plan=plan, by=officer)
    services.plan_dates_update(
        plan=plan, by=senco, requested_on=plan.requested_on, phase_transfer_on=date(2027, 9, 1)
    )
    version = services.plan_amendments_start(plan=plan, by=senco)
    services.section_text_update(version=version, by=senco, section="I", i_placement="Hill Top Academy")
    body = senco_a.get(reverse("ehcp:plan_detail", args=[plan.public_id])).content.decode()
    assert "Section I names a new school in the proposed amendments" in body
