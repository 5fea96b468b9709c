from dataclasses import replace

import pytest

from ehcp.quality import (
    VAGUE_PHRASES,
    Finding,
    Need,
    Outcome,
    PlanContent,
    Provision,
    check_plan,
    is_measurable,
    reads_as_aspiration,
    vague_phrases,
)

SPECIFY = "State what, how often, for how long and who delivers it."

N1 = Need("N1", "communication_interaction", "Sam finds it hard to understand spoken instructions.")
N2 = Need("N2", "semh", "Sam becomes anxious when moving between activities.")
O1 = Outcome(
    "O1",
    "Sam will follow three-step classroom instructions without prompting in 4 out of 5 observed lessons.",
    "By the end of Year 6 (July 2027)",
    ("N1",),
)
O2 = Outcome(
    "O2",
    "Sam will use his calm plan to return to class within 10 minutes after break on 4 days out of 5.",
    "By the end of the spring term 2027",
    ("N2",),
)
P1 = Provision(
    key="P1",
    section="F",
    what="Individual speech and language therapy to develop understanding of spoken language",
    who="Speech and language therapist",
    expertise="HCPC-registered speech and language therapist",
    frequency="Once a week",
    duration="30 minutes a session, for the length of the plan",
    group_size="1:1",
    need_keys=("N1",),
    outcome_keys=("O1",),
)
P2 = Provision(
    key="P2",
    section="F",
    what="Teaching assistant delivers the therapist's language programme",
    who="Teaching assistant trained by the speech and language therapist",
    expertise="Trained and supervised by the therapist each half term",
    frequency="3 times a week",
    duration="20 minutes a session",
    group_size="1:1",
    need_keys=("N1",),
    outcome_keys=("O1",),
)
P3 = Provision(
    key="P3",
    section="F",
    what="Key adult meets Sam at the classroom door after each break and goes through his calm plan",
    who="Named key adult",
    expertise="Trained in emotion coaching",
    frequency="Twice a day, after morning break and after lunch",
    duration="5 minutes",
    group_size="1:1",
    need_keys=("N2",),
    outcome_keys=("O2",),
)
P4 = Provision(
    key="P4",
    section="G",
    what="Review of anxiety by the children and young people's mental health service",
    who="Mental health clinician",
    frequency="Once a term",
    duration="1 hour",
    need_keys=("N2",),
    outcome_keys=("O2",),
)
CLEAN = PlanContent(
    needs=(N1, N2),
    outcomes=(O1, O2),
    provisions=(P1, P2, P3, P4),
    aspirations_text="Sam wants to be a vet and to have friends to play football with.",
)


def plan(**changes) -> PlanContent:
    return replace(CLEAN, **changes)


def test_a_clean_plan_has_no_findings():
    assert check_plan(CLEAN) == []


def test_an_empty_plan_has_no_findings():
    assert check_plan(PlanContent(needs=(), outcomes=(), provisions=())) == []


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        pytest.param(
            plan(needs=(N1, N2, Need("N3", "cognition_learning", "Sam reads well below his age."))),
            [
                ("need_without_outcome", "B", "N3", "Section B, need 3 has no outcome in section E"),
                ("need_without_provision", "B", "N3", "Section B, need 3 has no provision in section F"),
            ],
            id="need with neither outcome nor provision",
        ),
        pytest.param(
            plan(provisions=(P1, P2, P4)),
            [("need_without_provision", "B", "N2", "Section B, need 2 has no provision in section F")],
            id="need met only by health provision",
        ),
        pytest.param(
            plan(provisions=(P1, replace(P2, need_keys=()), P3, P4)),
            [("provision_without_need", "F", "P2", "Section F, provision 2 is not linked to a need")],
            id="provision serves no need",
        ),
        pytest.param(
            plan(provisions=(P1, P2, replace(P3, outcome_keys=()), replace(P4, outcome_keys=()))),
            [
                (
                    "outcome_without_provision",
                    "E",
                    "O2",
                    "Section E, outcome 2 has no provision that helps achieve it",
                )
            ],
            id="outcome without provision",
        ),
        pytest.param(
            plan(outcomes=(O1, replace(O2, need_keys=()))),
            [
                ("need_without_outcome", "B", "N2", "Section B, need 2 has no outcome in section E"),
                (
                    "outcome_without_need",
                    "E",
                    "O2",
                    "Section E, outcome 2 is not linked to a need in section B",
                ),
            ],
            id="outcome not linked to a need",
        ),
        pytest.param(
            plan(outcomes=(replace(O1, need_keys=("N1", "N5")), O2)),
            [
                (
                    "unknown_need_link",
                    "E",
                    "O1",
                    "Section E, outcome 1 is linked to a need that is not in the plan ('N5')",
                )
            ],
            id="outcome linked to a missing need",
        ),
        pytest.param(
            plan(provisions=(replace(P1, need_keys=("N1", "N9")), P2, P3, P4)),
            [
                (
                    "unknown_need_link",
                    "F",
                    "P1",
                    "Section F, provision 1 is linked to a need that is not in the plan ('N9')",
                )
            ],
            id="provision linked to a missing need",
        ),
        pytest.param(
            plan(provisions=(P1, P2, P3, replace(P4, outcome_keys=("O2", "O7")))),
            [
                (
                    "unknown_outcome_link",
                    "G",
                    "P4",
                    "Section G, provision 1 is linked to an outcome that is not in the plan ('O7')",
                )
            ],
            id="provision linked to a missing outcome",
        ),
        pytest.param(
            plan(provisions=(P1, P2, P3, replace(P4, need_keys=("N8",)))),
            [
                (
                    "unknown_need_link",
                    "G",
                    "P4",
                    "Section G, provision 1 is linked to a need that is not in the plan ('N8')",
                )
            ],
            id="provision linked only to a missing need",
        ),
    ],
)
def test_golden_thread_gaps(changed, expected):
    found = [(f.code, f.section, f.item_key, f.message) for f in check_plan(changed)]
    assert found == expected


def test_golden_thread_findings_say_how_to_fix():
    findings = check_plan(plan(provisions=(P1, P2, P4)))
    assert findings == [
        Finding(
            "need_without_provision",
            "B",
            "N2",
            "Section B, need 2 has no provision in section F",
            f"Add provision in section F that meets this need. {SPECIFY}",
        )
    ]


def test_section_f_provision_must_say_who_how_often_and_how_long():
    bare = replace(P1, who="", frequency="  ", duration="")
    assert check_plan(plan(provisions=(bare, P2, P3, P4))) == [
        Finding(
            "provision_missing_who", "F", "P1", "Section F, provision 1 does not say who delivers it", SPECIFY
        ),
        Finding(
            "provision_missing_frequency",
            "F",
            "P1",
            "Section F, provision 1 does not say how often it happens",
            SPECIFY,
        ),
        Finding(
            "provision_missing_duration",
            "F",
            "P1",
            "Section F, provision 1 does not say how long it lasts",
            SPECIFY,
        ),
    ]


@pytest.mark.parametrize("section", ["G", "H1", "H2"])
def test_only_section_f_must_be_quantified(section):
    other = replace(P4, section=section, who="", frequency="", duration="")
    assert check_plan(plan(provisions=(P1, P2, P3, other))) == []


@pytest.mark.parametrize("phrase", list(VAGUE_PHRASES))
def test_each_vague_phrase_is_reported_by_name(phrase):
    vague = replace(P2, what=f"Teaching assistant support {phrase} the language programme")
    findings = check_plan(plan(provisions=(P1, vague, P3, P4)))
    assert [(f.code, f.section, f.item_key, f.message) for f in findings] == [
        ("vague_wording", "F", "P2", f"Section F, provision 2: '{phrase}' is vague")
    ]
    assert findings[0].how_to_fix.endswith(SPECIFY)
    assert findings[0].how_to_fix.startswith(VAGUE_PHRASES[phrase])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ACCESS TO a laptop", ["access to"]),
        ("Regularly checked", ["regularly"]),
        ("Up  to three sessions", ["up to"]),
        ("Adult help as\nrequired", ["as required"]),
        ("Sam May use a laptop", ["may"]),
        ("Sam may need a break in May", ["may"]),
        (
            "Regular access to support as appropriate, where possible",
            [
                "access to",
                "regular",
                "where possible",
                "support as appropriate",
            ],
        ),  # fmt: skip
        ("Irregular attendance is followed up", []),
        ("Shoulder exercises from the physiotherapist", []),
        ("Maybe a setup to try", []),
        ("Accessible toilet on the ground floor", []),
        ("Reviewed in May and by May 2027, and on 3 May", []),
        ("From May to July", []),
        ("The mayor's award for regularity", []),
        ("", []),
    ],
)
def test_vague_phrases_are_whole_words_in_any_case(text, expected):
    assert vague_phrases(text) == expected


@pytest.mark.parametrize("section", ["G", "H1", "H2"])
def test_vague_wording_is_reported_in_health_and_care_provision(section):
    vague = replace(P4, section=section, what="Access to a physiotherapist")
    findings = check_plan(plan(provisions=(P1, P2, P3, vague)))
    assert [(f.code, f.section, f.message) for f in findings] == [
        ("vague_wording", section, f"Section {section}, provision 1: 'access to' is vague")
    ]


def test_vague_wording_in_how_often_and_how_long_is_reported_once_each():
    vague = replace(
        P1, what="Speech therapy, as required", frequency="As required", duration="Up to 30 minutes"
    )
    assert [f.message for f in check_plan(plan(provisions=(vague, P2, P3, P4)))] == [
        "Section F, provision 1: 'as required' is vague",
        "Section F, provision 1: 'up to' is vague",
    ]


def test_vague_phrase_is_not_found_across_two_fields():
    split = replace(P1, what="Speech therapy, set up", frequency="to once a week")
    assert check_plan(plan(provisions=(split, P2, P3, P4))) == []


def test_provision_is_numbered_within_its_section_and_reported_in_section_order():
    h2 = replace(P4, key="P6", section="H2", what="Help with travel where possible")
    h1 = replace(P4, key="P5", section="H1", what="Short breaks, may be offered")
    g = replace(P4, what="Occupational therapy review, if possible")
    f = replace(P2, what="Regular reading practice")
    findings = check_plan(plan(provisions=(h2, h1, P1, g, f, P3)))
    assert [(found.section, found.item_key, found.message) for found in findings] == [
        ("F", "P2", "Section F, provision 2: 'regular' is vague"),
        ("G", "P4", "Section G, provision 1: 'if possible' is vague"),
        ("H1", "P5", "Section H1, provision 1: 'may' is vague"),
        ("H2", "P6", "Section H2, provision 1: 'where possible' is vague"),
    ]


def test_outcome_without_timeframe():
    assert check_plan(plan(outcomes=(O1, replace(O2, timeframe=" ")))) == [
        Finding(
            "outcome_missing_timeframe",
            "E",
            "O2",
            "Section E, outcome 2 has no timeframe",
            "Say when the outcome should be achieved, for example 'by the end of Year 6'.",
        )
    ]


@pytest.mark.parametrize(
    ("text", "measurable"),
    [
        ("Sam will improve his reading", False),
        ("Sam will develop better social skills", False),
        ("Sam will be more confident in class", False),
        ("Sam will read 20 common words", True),
        ("Sam will write a paragraph independently", True),
        ("Sam will ask an adult for help without prompting", True),
        ("Sam will take part in every lesson", True),
        ("Sam will travel to college by bus unaided", True),
        ("Sam will spell three-syllable words accurately", True),
        ("Sam will reach the expected standard in 80% of spelling tests", True),
        ("Sam will stay in class for the whole of each lesson", True),
    ],
)
def test_measurable_heuristic_is_conservative(text, measurable):
    assert is_measurable(text) is measurable


def test_outcome_with_nothing_to_measure_is_reported():
    vague_outcome = replace(O1, text="Sam will improve his listening")
    assert [(f.code, f.item_key, f.message) for f in check_plan(plan(outcomes=(vague_outcome, O2)))] == [
        ("outcome_not_measurable", "O1", "Section E, outcome 1 has nothing to measure progress by")
    ]


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("To be happy at school", "to be happy"),
        ("to have friends in his class", "to have friends"),
        ("Sam wants to be a vet", "wants to"),
        ("Sam Jones wants to be a vet", "wants to"),
        ("He would like to go to college", "would like to"),
        ("Amira hopes to live on her own", "hopes to"),
        ("My dream is to work with animals", "dream"),
        ("Dreams of playing for a football team", "dreams"),
        ("Sam will tell an adult when he wants to stop an activity", None),
        ("By July 2027 Sam will be happy to read aloud to a partner", None),
        ("Sam will make and keep 2 friends, to have friends at break", None),
        ("Sam will learn to have friends over at home", None),
    ],
)
def test_aspiration_wording(text, wording):
    assert reads_as_aspiration(text) == wording


def test_aspiration_written_as_an_outcome_is_reported():
    aspiration = replace(O1, text="Sam wants to be a vet")
    assert check_plan(plan(outcomes=(aspiration, O2))) == [
        Finding(
            "outcome_not_measurable",
            "E",
            "O1",
            "Section E, outcome 1 has nothing to measure progress by",
            "Say what the child will be able to do and how you will know, for example a number, an amount or "
            "'independently'.",
        ),
        Finding(
            "outcome_is_aspiration",
            "E",
            "O1",
            "Section E, outcome 1: 'wants to' reads as an aspiration, not an outcome",
            "Move aspirations to section A. Write the outcome as what the child will achieve and by when.",
        ),
    ]


def test_findings_come_in_plan_order_b_then_e_then_provision():
    messy = PlanContent(
        needs=(N1, N2),
        outcomes=(replace(O1, timeframe=""), O2),
        provisions=(replace(P1, what="Access to therapy"), P4),
    )
    assert [(f.section, f.code, f.item_key) for f in check_plan(messy)] == [
        ("B", "need_without_provision", "N2"),
        ("E", "outcome_missing_timeframe", "O1"),
        ("F", "vague_wording", "P1"),
    ]
