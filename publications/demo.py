"""Demonstration data: a draft inclusion strategy for the first demo school (development only)."""

import datetime

from django.db import transaction

from publications import selectors, services
from publications.models import Activity, Publication
from sendplan.models import Role

STATEMENT = (
    "At Northmere Primary every child belongs. We want every pupil, whatever their needs, to learn "
    "alongside their friends, to take part in everything the school offers and to leave us ready for "
    "the next step. This strategy sets out what we will do this year to remove the barriers that "
    "stand in the way, what it will cost, and how we will know it has worked."
)


@transaction.atomic
def seed(context) -> None:
    """Give the first demo school a draft strategy with barriers kept from its audit, and costed activities."""
    senco = context.memberships.get(Role.SENCO)
    school = context.school
    if senco is None or Publication.objects.filter(school=school, kind=Publication.Kind.STRATEGY).exists():
        return
    strategy = services.strategy_start(school=school, first_year="2026/27", years=3, by=senco)
    services.publication_cover_update(
        publication=strategy,
        years=3,
        review_date=datetime.date(2027, 7, 16),
        authorised_by=Publication.AuthorisedBy.GOVERNING_BOARD,
        authorised_by_name="",
        by=senco,
    )
    services.statement_update(publication=strategy, text=STATEMENT, by=senco)
    audit = selectors.suggestion_audit(senco, None)
    kept = []
    for suggestion in selectors.barrier_suggestions(strategy, audit)[:3]:
        kept.append(
            services.barrier_add(
                publication=strategy,
                text=suggestion.text,
                source=suggestion.source,
                suggestion_key=suggestion.key,
                by=senco,
            )
        )
    principles = selectors.principles(strategy)
    plans = [
        (
            "Whole-staff training in adaptive teaching, two twilight sessions a term",
            "universal",
            [2],
            "imf",
            360000,
        ),
        ("Speech and language screening for every Reception pupil", "targeted", [1], "notional_sen", 150000),
        (
            "A quiet room and lunchtime club for pupils who find the hall overwhelming",
            "targeted",
            [4, 6],
            "core",
            None,
        ),
    ]
    for index, (description, reach, principle_indexes, source, cost) in enumerate(plans):
        services.activity_save(
            publication=strategy,
            description=description,
            reach=reach,
            principles=[principles[i] for i in principle_indexes if i < len(principles)],
            barriers=kept[index : index + 1],
            funding_source=source if source in Activity.FundingSource.values else "",
            cost_pence=cost,
            by=senco,
        )
    services.outcome_save(
        publication=strategy,
        text="Pupils with SEND take part fully in lessons",
        success_criteria="Lesson visits find adaptive teaching in 9 out of 10 lessons by July 2027",
        by=senco,
    )
