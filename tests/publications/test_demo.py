"""Demo data: a draft three-year strategy for the first demo school, seeded once."""

from publications import demo
from publications.models import Publication
from sendplan.demo import DemoContext
from sendplan.models import Role
from tests.conftest import membership_of


def test_the_demo_school_gets_a_draft_strategy_once(world, senco_a_user):
    context = DemoContext(
        local_authority=world.la_x,
        schools=[world.school_a],
        users={Role.SENCO: senco_a_user},
        memberships={Role.SENCO: membership_of(senco_a_user)},
    )
    demo.seed(context)
    demo.seed(context)
    strategy = Publication.objects.get()
    assert (strategy.school, strategy.years_label, strategy.is_published) == (
        world.school_a,
        "2026/27 to 2028/29",
        False,
    )
    assert strategy.statement_of_intent.startswith("At Northmere Primary every child belongs.")
    assert strategy.activities.count() == 3 and strategy.outcomes.count() == 1
    assert sorted(a.cost_pence for a in strategy.activities.exclude(cost_pence=None)) == [150000, 360000]
