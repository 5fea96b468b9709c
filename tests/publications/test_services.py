"""The services: starting, carrying forward, activities from actions, publishing snapshots, approval, actors."""

import datetime

import pytest
from django.utils import timezone

from audits.models import Action
from publications import selectors, services
from publications.models import Activity, Publication
from sendplan.policy import NotAllowed
from tests.audits.factories import acting
from tests.conftest import membership_of
from tests.publications.factories import (
    fill_strategy,
    make_report,
    make_strategy,
    principles,
    published_strategy,
)


def test_a_strategy_pins_the_seven_principles_loaded_from_the_shipped_file(world, senco_a_user):
    strategy = make_strategy(world.school_a, senco_a_user, years=3)
    assert strategy.principles_version.framework.slug == "inclusion-principles"
    assert [p.statement for p in selectors.principles(strategy)] == [
        "Ambitious leadership and governance that embeds inclusion",
        "Evidence-based support that prioritises early intervention",
        "High-quality adaptive teaching and a curriculum designed for all",
        "Enriching provision beyond the classroom that is accessible to all",
        "A safe, respectful culture that fosters belonging, attendance and participation",
        "Strong partnerships with families and wider services",
        "Inclusive environments that keep improving accessibility",
    ]
    assert strategy.years_label == "2026/27 to 2028/29"


def test_one_strategy_per_school_and_first_year(world, senco_a_user):
    make_strategy(world.school_a, senco_a_user)
    with pytest.raises(services.PublicationExists):
        make_strategy(world.school_a, senco_a_user)
    make_report(world.school_a, senco_a_user)  # a report for the same year is another document


def test_the_statement_of_intent_is_at_most_500_words(world, senco_a_user):
    strategy = make_strategy(world.school_a, senco_a_user)
    by = membership_of(senco_a_user)
    services.statement_update(publication=strategy, text="word " * 500, by=by)
    with pytest.raises(services.PublicationInvalid, match="500 words or fewer"):
        services.statement_update(publication=strategy, text="word " * 501, by=by)
    strategy.refresh_from_db()
    assert len(strategy.statement_of_intent.split()) == 500


def test_an_audit_action_becomes_an_activity_in_one_step(world, senco_a_user, known_audit):
    strategy = make_strategy(world.school_a, senco_a_user)
    by = membership_of(senco_a_user)
    key = f"audit:{known_audit.public_id}:S1-01"
    barrier = services.barrier_add(
        publication=strategy, text="No qualified SENCO", suggestion_key=key, source="x", by=by
    )
    action = Action.objects.get(audit=known_audit)
    activity = services.activity_from_action(publication=strategy, action=action, by=by)
    assert activity.description == "Designate a qualified SENCO and give them two days a week"
    assert activity.cost_pence == 25000  # £250.00
    assert list(activity.barriers.all()) == [barrier]  # the barrier kept from the same criterion
    with pytest.raises(services.PublicationInvalid, match="already an activity"):
        services.activity_from_action(publication=strategy, action=action, by=by)


def test_publishing_takes_a_snapshot_that_later_edits_do_not_change(world, senco_a_user):
    strategy = published_strategy(world.school_a, senco_a_user)
    first = strategy.current_version
    assert first.number == 1 and first.content["barriers"] == [
        {"number": 1, "text": "Noisy corridors at lunchtime."}
    ]
    assert first.content["totals"]["total"] == "£1,200"
    by = membership_of(senco_a_user)
    services.barrier_add(publication=strategy, text="Steep stairs to the library.", by=by)
    first.refresh_from_db()
    assert len(first.content["barriers"]) == 1
    second = services.publication_publish(publication=strategy, by=by)
    strategy.refresh_from_db()
    assert (second.number, strategy.current_version_id) == (2, second.pk)
    assert [b["number"] for b in second.content["barriers"]] == [1, 2]


def test_unpublishing_takes_it_off_the_public_page(world, senco_a_user):
    strategy = published_strategy(world.school_a, senco_a_user)
    assert selectors.published_by_token(strategy.public_token) == strategy
    services.publication_unpublish(publication=strategy, by=membership_of(senco_a_user))
    assert selectors.published_by_token(strategy.public_token) is None
    assert strategy.versions.get().withdrawn_at is not None


def test_next_years_strategy_carries_the_plan_and_turns_outcomes_into_a_review(world, senco_a_user):
    old = fill_strategy(make_strategy(world.school_a, senco_a_user), senco_a_user)
    new = services.strategy_start(
        school=world.school_a, first_year="2027/28", years=1, carry_from=old, by=membership_of(senco_a_user)
    )
    assert new.statement_of_intent == "Every pupil belongs here."
    activity = new.activities.get()
    assert (activity.description, activity.cost_pence) == ("Quiet lunchtime club", 120000)
    assert list(activity.barriers.all()) == list(
        new.barriers.all()
    )  # linked to the copy, not the old barrier
    assert [p.ref for p in activity.principles.all()] == ["P1"]
    outcome = new.outcomes.get()
    assert (outcome.text, outcome.from_previous, outcome.what_happened) == ("Calmer lunchtimes", True, "")
    services.outcome_review(
        outcome=outcome,
        what_happened="Incidents halved",
        evidence="Behaviour log",
        by=membership_of(senco_a_user),
    )
    content = selectors.document_content(new)
    assert content["outcomes"] == []
    assert content["reviews"] == [
        {"text": "Calmer lunchtimes", "success_criteria": "Fewer incidents logged",
         "what_happened": "Incidents halved", "evidence": "Behaviour log"}
    ]  # fmt: skip


def test_last_years_report_is_carried_forward_to_check(world, senco_a_user):
    old = make_report(world.school_a, senco_a_user, year="2025/26")
    by = membership_of(senco_a_user)
    services.section_save(publication=old, item="9", text="Speak to the SENCO first.", by=by)
    new = services.sen_report_start(school=world.school_a, academic_year="2026/27", carry_from=old, by=by)
    section = selectors.section_for(new, "9")
    assert (section.text, section.to_check) == ("Speak to the SENCO first.", True)
    services.section_save(publication=new, item="9", text="Speak to the SENCO first, then the head.", by=by)
    assert selectors.section_for(new, "9").to_check is False
    assert [item.key for item in selectors.report_empty_items(new)][:3] == ["1", "2", "3a"]
    assert len(selectors.report_empty_items(new)) == 22


def test_a_multi_year_strategy_shows_its_annual_review_on_its_cover(world, senco_a_user):
    from publications.documents import cover_note

    strategy = make_strategy(world.school_a, senco_a_user, years=3)
    services.publication_cover_update(
        publication=strategy, years=3, review_date=datetime.date(2027, 7, 16),
        authorised_by=Publication.AuthorisedBy.GOVERNING_BOARD, authorised_by_name="", by=membership_of(senco_a_user),
    )  # fmt: skip
    strategy.refresh_from_db()
    assert cover_note(selectors.document_content(strategy)) == (
        "This is a 3-year strategy (2026/27 to 2028/29). It is reviewed every year: the next review is due by "
        "16 July 2027."
    )


def test_the_board_approval_is_recorded_by_a_governor_and_shown_on_the_cover(
    world, senco_a_user, governor_a_user
):
    strategy = make_strategy(world.school_a, senco_a_user)
    services.board_approval_record(
        publication=strategy, approved_on=datetime.date(2026, 11, 26), minute_reference="FGB 11/26 item 4",
        by=membership_of(governor_a_user),
    )  # fmt: skip
    assert selectors.document_content(strategy)["approval"] == {
        "approved_on": "26 November 2026",
        "minute_reference": "FGB 11/26 item 4",
    }
    with pytest.raises(services.PublicationInvalid):
        services.board_approval_record(
            publication=strategy, approved_on=timezone.localdate() + datetime.timedelta(days=1),
            minute_reference="x", by=membership_of(governor_a_user),
        )  # fmt: skip


@pytest.mark.parametrize("who", ["governor_a_user", "senco_b_user", "la_officer_x_user"])
def test_only_the_schools_senco_and_head_write_and_publish(request, world, senco_a_user, who):
    strategy = fill_strategy(make_strategy(world.school_a, senco_a_user), senco_a_user)
    by = membership_of(request.getfixturevalue(who))
    with pytest.raises(NotAllowed):
        services.barrier_add(publication=strategy, text="Sneaky", by=by)
    with pytest.raises(NotAllowed):
        services.publication_publish(publication=strategy, by=by)
    with pytest.raises(NotAllowed):
        services.strategy_start(school=world.school_a, first_year="2027/28", years=1, by=by)
    assert not strategy.versions.exists() and strategy.barriers.count() == 1


@pytest.mark.parametrize("who", ["senco_a_user", "headteacher_a_user", "la_admin_x_user"])
def test_only_governors_record_the_boards_approval(request, world, senco_a_user, who):
    strategy = make_strategy(world.school_a, senco_a_user)
    with pytest.raises(NotAllowed):
        services.board_approval_record(
            publication=strategy, approved_on=datetime.date(2026, 11, 1), minute_reference="x",
            by=membership_of(request.getfixturevalue(who)),
        )  # fmt: skip


def test_an_activity_cannot_point_at_another_strategys_barrier(world, senco_a_user):
    mine = make_strategy(world.school_a, senco_a_user)
    other = make_strategy(world.school_a, senco_a_user, year="2027/28")
    by = membership_of(senco_a_user)
    theirs = services.barrier_add(publication=other, text="Elsewhere", by=by)
    with pytest.raises(services.PublicationInvalid):
        services.activity_save(
            publication=mine, description="x", reach="universal", principles=principles()[:1], barriers=[theirs],
            funding_source="imf", cost_pence=1, by=by,
        )  # fmt: skip
    assert not Activity.objects.filter(publication=mine).exists()


def test_publications_due_for_review_lists_published_documents_soonest_first(world, senco_a_user):
    by = acting(senco_a_user, world.school_a)
    today = datetime.date(2026, 11, 30)
    strategy = published_strategy(world.school_a, senco_a_user)
    report = make_report(world.school_a, senco_a_user)
    draft = make_strategy(world.school_a, senco_a_user, year="2027/28")
    for publication, due in ((strategy, datetime.date(2027, 1, 15)), (report, datetime.date(2026, 11, 20)),
                             (draft, datetime.date(2026, 12, 1))):  # fmt: skip
        services.publication_cover_update(
            publication=publication, years=1, review_date=due, authorised_by="", authorised_by_name="", by=by
        )
    services.publication_publish(publication=report, by=by)
    due = selectors.publications_due_for_review(world.school_a, today=today)
    # The draft is not published, so it is not due; the report's review date has passed.
    assert [(d.publication.kind, d.days_left, d.overdue) for d in due] == [
        ("sen_report", -10, True),
        ("strategy", 46, False),
    ]
    assert (
        selectors.publications_due_for_review(world.school_a, today=today, within_days=30)[0].publication
        == report
    )
    assert len(selectors.publications_due_for_review(world.school_a, today=today, within_days=30)) == 1
