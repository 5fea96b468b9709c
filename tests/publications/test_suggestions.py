"""Suggestions from a known audit and register (tests/publications/conftest.py), worked out by hand.

The audit's priorities follow the README's rule: statutory criteria not yet in place first, then the
lowest-rated, leaving out what is at the top level. With the ratings in conftest.RATINGS that is S1-01
(statutory, Not yet in place), S2-02 (Not yet in place), S1-02 (Emerging), S2-03 (Established).
"""

import pytest

from publications import selectors, services
from publications.selectors import Suggestion
from tests.audits.factories import acting
from tests.publications.factories import make_report, make_strategy


def _audit_name(audit) -> str:
    return f"your 2026/27 audit against {audit.framework_version}"


def test_barriers_are_suggested_from_the_audit_gaps_and_priorities_then_the_register(
    world, senco_a_user, known_audit, known_register
):
    strategy = make_strategy(world.school_a, senco_a_user)
    found = selectors.barrier_suggestions(strategy, known_audit)
    name = _audit_name(known_audit)
    assert [(s.key, s.text, s.source) for s in found] == [
        (
            f"audit:{known_audit.public_id}:S1-01",
            "Statement for S1-01 (our audit rates this ‘Not yet in place’).",
            f"From {name}: S1-01 (Identifying needs) is a statutory duty rated ‘Not yet in place’.",
        ),
        (
            f"audit:{known_audit.public_id}:S2-02",
            "Statement for S2-02 (our audit rates this ‘Not yet in place’).",
            f"From {name}: S2-02 (Social, emotional and mental health) is one of its priorities, rated "
            "‘Not yet in place’.",
        ),
        (
            f"audit:{known_audit.public_id}:S1-02",
            "Statement for S1-02 (our audit rates this ‘Emerging’).",
            f"From {name}: S1-02 (Identifying needs) is one of its priorities, rated ‘Emerging’.",
        ),
        (
            f"audit:{known_audit.public_id}:S2-03",
            "Statement for S2-03 (our audit rates this ‘Established’).",
            f"From {name}: S2-03 (Social, emotional and mental health) is one of its priorities, rated "
            "‘Established’.",
        ),
        (
            "register:communication_interaction",
            "Communication and interaction: 4 pupils on our SEN register have their main need in this area.",
            found[4].source,
        ),
        (
            "register:semh",
            "Social, emotional and mental health: 3 pupils on our SEN register have their main need in this area.",
            found[5].source,
        ),
    ]
    # Cognition and learning (2 pupils) and sensory and/or physical (1 pupil) are never suggested.
    assert found[4].source.startswith("From your SEN register on ")
    assert "fewer than 3 pupils are never suggested" in found[4].source


def test_kept_and_dropped_suggestions_are_not_offered_again(world, senco_a_user, known_audit, known_register):
    strategy = make_strategy(world.school_a, senco_a_user)
    by = acting(senco_a_user, world.school_a)
    first, second = selectors.barrier_suggestions(strategy, known_audit)[:2]
    services.barrier_add(
        publication=strategy,
        text="Our SENCO is not yet qualified.",
        source=first.source,
        suggestion_key=first.key,
        by=by,
    )
    services.suggestion_drop(publication=strategy, key=second.key, by=by)
    keys = [s.key for s in selectors.barrier_suggestions(strategy, known_audit)]
    assert first.key not in keys and second.key not in keys and len(keys) == 4
    barrier = strategy.barriers.get()
    assert (barrier.text, barrier.source) == (
        "Our SENCO is not yet qualified.",
        first.source,
    )  # edited, sourced


def test_without_an_audit_only_the_register_suggests(world, senco_a_user, known_register):
    strategy = make_strategy(world.school_a, senco_a_user)
    assert [s.key for s in selectors.barrier_suggestions(strategy, None)] == [
        "register:communication_interaction",
        "register:semh",
    ]


def test_a_register_with_only_small_numbers_suggests_nothing(world, senco_a_user):
    from tests.ehcp.factories import PupilFactory

    PupilFactory(school=world.school_a, sen_provision="K", primary_need="SLCN")
    PupilFactory(school=world.school_a, sen_provision="K", primary_need="ASD")  # 2 in one area
    strategy = make_strategy(world.school_a, senco_a_user)
    assert selectors.barrier_suggestions(strategy, None) == []


def test_report_sections_are_suggested_from_practice_the_audit_rates_in_place(
    world, senco_a_user, known_audit, known_register
):
    senco_a_user.full_name = "Ada Lovelace"
    senco_a_user.save()
    report = make_report(world.school_a, senco_a_user)
    found = selectors.section_suggestions(report, known_audit)
    name = _audit_name(known_audit)
    texts = {key: [s.text for s in items] for key, items in found.items() if items}
    assert texts == {
        "1": [
            "Pupils at our school have special educational needs in these broad areas: communication and "
            "interaction (4 pupils); social, emotional and mental health (3 pupils).",
            "We make provision for pupils with needs in each of the broad areas of need in the SEND Code of "
            "Practice: social, emotional and mental health.",
        ],
        # Only criteria rated above Emerging: S1-03 (Embedded) in "Identifying needs"...
        "2": ["Statement for S1-03. Every new pupil has a reading and language screen within two weeks."],
        # ...and S2-01 (Embedded), S2-03 (Established, no rationale) in the SEMH section.
        "3g": [
            "Statement for S2-01. Tutors check in with every pupil on SEN support each morning.",
            "Statement for S2-03.",
        ],
        "4": ["Our SENCO is Ada Lovelace. You can contact them at senco.a@example.org."],
        "13": [
            "Our local authority is LA X. Its local offer, which describes the support available for children "
            "and young people with SEND in the area, is published at [add the web address of the local offer]."
        ],
    }
    assert found["2"][0].source == (
        f"From {name}: S1-03 (Identifying needs), rated ‘Embedded’, with your rationale."
    )


def test_no_suggestion_is_without_its_source(world, senco_a_user, known_audit, known_register):
    strategy = make_strategy(world.school_a, senco_a_user)
    report = make_report(world.school_a, senco_a_user)
    every = selectors.barrier_suggestions(strategy, known_audit) + [
        s for items in selectors.section_suggestions(report, known_audit).values() for s in items
    ]
    assert len(every) == 6 + 7
    assert all(s.source.startswith("From ") for s in every)
    with pytest.raises(ValueError, match="no source"):
        Suggestion(key="x", text="A barrier", source=" ")


def test_using_a_suggestion_adds_its_words_to_the_section_and_stops_offering_it(
    world, senco_a_user, known_audit
):
    report = make_report(world.school_a, senco_a_user)
    by = acting(senco_a_user, world.school_a)
    services.section_save(publication=report, item="2", text="We screen every new pupil.", by=by)
    suggestion = selectors.section_suggestions(report, known_audit)["2"][0]
    services.suggestion_use(publication=report, item="2", suggestion=suggestion, by=by)
    assert selectors.section_for(report, "2").text == f"We screen every new pupil.\n\n{suggestion.text}"
    assert selectors.section_suggestions(report, known_audit)["2"] == []
