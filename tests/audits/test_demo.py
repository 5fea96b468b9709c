"""Demo audits: seeded on the shipped OAP framework when it is there, once, and nothing without it."""

import pytest

from audits import demo
from audits.models import Audit
from sendplan.demo import DemoContext
from sendplan.models import Role
from tests.audits.factories import make_version
from tests.conftest import membership_of
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_once_and_needs_the_framework(world, senco_a_user):
    context = DemoContext(
        local_authority=world.la_x,
        schools=[world.school_a, SchoolFactory(local_authority=world.la_x)],
        users={Role.SENCO: senco_a_user},
        memberships={Role.SENCO: membership_of(senco_a_user)},
    )
    demo.seed(context)
    assert not Audit.objects.exists()
    make_version(sections=3, per_section=4, slug="sendplan-oap")
    demo.seed(context)
    demo.seed(context)
    mine, theirs = Audit.objects.get(school=world.school_a), Audit.objects.get(school=context.schools[1])
    assert mine.status == "draft" and mine.ratings.filter(level__isnull=False).count() == 7
    assert theirs.status == "submitted"
