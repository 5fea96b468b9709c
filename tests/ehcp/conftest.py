"""Fixtures for the EHC plan tests: a pupil of school A with a draft plan that has a golden thread."""

import pytest

from tests.ehcp.factories import PlanFactory, PupilFactory, add_golden_thread


@pytest.fixture
def pupil_a(world):
    return PupilFactory(school=world.school_a, first_name="Sam", last_name="Okoro", sen_provision="E")


@pytest.fixture
def plan_a(pupil_a):
    plan = PlanFactory(pupil=pupil_a, school=pupil_a.school)
    add_golden_thread(plan.versions.get())
    return plan
