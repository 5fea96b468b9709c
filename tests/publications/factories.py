"""Builders for public-document tests: strategies and SEN information reports, through the services."""

from publications import services
from publications.models import Activity, Publication
from sendplan.models import Membership, School, User
from standards.models import Criterion
from tests.audits.factories import acting


def principles() -> list[Criterion]:
    """Return the shipped seven principles (loaded from fixtures/frameworks on first use), in order."""
    version = services.principles_version_ensure()
    return list(Criterion.objects.filter(version=version).order_by("position"))


def make_strategy(
    school: School, person: User | Membership, *, year: str = "2026/27", years: int = 1
) -> Publication:
    return services.strategy_start(school=school, first_year=year, years=years, by=acting(person, school))


def make_report(school: School, person: User | Membership, *, year: str = "2026/27") -> Publication:
    return services.sen_report_start(school=school, academic_year=year, by=acting(person, school))


def fill_strategy(strategy: Publication, person: User | Membership) -> Publication:
    """Give a strategy a statement, one barrier, one costed activity serving principle 1, and one outcome."""
    by = acting(person, strategy.school)
    services.statement_update(publication=strategy, text="Every pupil belongs here.", by=by)
    barrier = services.barrier_add(publication=strategy, text="Noisy corridors at lunchtime.", by=by)
    services.activity_save(
        publication=strategy,
        description="Quiet lunchtime club",
        reach=Activity.Reach.UNIVERSAL,
        principles=principles()[:1],
        barriers=[barrier],
        funding_source=Activity.FundingSource.IMF,
        cost_pence=120000,
        by=by,
    )
    services.outcome_save(
        publication=strategy, text="Calmer lunchtimes", success_criteria="Fewer incidents logged", by=by
    )
    return strategy


def published_strategy(school: School, person: User | Membership, **kwargs) -> Publication:
    strategy = fill_strategy(make_strategy(school, person, **kwargs), person)
    services.publication_publish(publication=strategy, by=acting(person, school))
    strategy.refresh_from_db()
    return strategy
