"""Demo audits: seeded on the shipped OAP framework when it is there, once, and nothing without it."""

import pytest

from audits import demo
from audits.models import Audit, Rating
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


def test_demo_schools_differ_and_have_last_years_audit(world, senco_a_user, la_officer_x_user):
    from standards.models import Criterion

    schools = [world.school_a] + [SchoolFactory(local_authority=world.la_x) for _ in range(3)]
    context = DemoContext(
        local_authority=world.la_x,
        schools=schools,
        users={Role.SENCO: senco_a_user, Role.LA_OFFICER: la_officer_x_user},
        memberships={
            Role.SENCO: membership_of(senco_a_user),
            Role.LA_OFFICER: membership_of(la_officer_x_user),
        },
    )
    version = make_version(sections=3, per_section=4, slug="sendplan-oap", statutory=("S1-01", "S2-01"))
    demo.seed(context)
    this_year = {s: Audit.objects.filter(school=s, academic_year="2026/27").first() for s in schools}
    # As SCHOOLS states: in progress, submitted, accepted, returned with a comment.
    assert [this_year[s].status for s in schools] == ["draft", "submitted", "accepted", "returned"]
    assert this_year[schools[3]].la_comments.exists()
    # Last year's audit, accepted, dated in that year, every criterion answered.
    last = Audit.objects.get(school=world.school_a, academic_year="2025/26")
    assert last.status == "accepted" and last.submitted_at.year == 2026 and last.created_at.year == 2025
    assert last.ratings.filter(level__isnull=True, not_applicable=False).count() == 0
    # Different schools, different levels and words.
    levels = {s: list(this_year[s].ratings.order_by("criterion__position").values_list("level", flat=True)) for s in schools[1:]}  # fmt: skip
    assert len({tuple(v) for v in levels.values()}) == 3
    rationales = set(Audit.objects.filter(school__in=schools).values_list("ratings__rationale", flat=True))
    assert len(rationales) > 20
    # The returned school leaves a statutory duty unmet; the others meet theirs.
    duties = Criterion.objects.filter(version=version, statutory=True)
    unmet = {r.audit.school for r in Rating.objects.filter(criterion__in=duties, level__lt=2)}
    assert unmet <= {schools[3]}  # met at Established (2) everywhere else
